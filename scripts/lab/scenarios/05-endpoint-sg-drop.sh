# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="AmazonProvidedDNS returns the endpoints' private IPs, but the endpoints' security group does not allow 443 from the instance (silently dropped): SYN timeouts to the private IPs"
SCENARIO_FORMAT=pcap
EXPECT_VERDICT=endpoint-unreachable
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["timeout","timeout"],
 "ec2messages.ap-northeast-1.amazonaws.com":["timeout","timeout"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["timeout","timeout"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    in_ns "$NS_VPC" iptables -A INPUT -p tcp --dport 443 -m iprange --dst-range "$EP_SSM-$EP_SSMMSG" -j DROP
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
