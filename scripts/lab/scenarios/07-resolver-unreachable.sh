# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="DNS queries to AmazonProvidedDNS (10.0.0.2) are dropped (e.g. a host firewall or NACL): every lookup times out, no TCP connection is ever attempted"
SCENARIO_FORMAT=pcap
EXPECT_VERDICT=dns-unreachable
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":[],
 "ec2messages.ap-northeast-1.amazonaws.com":[],
 "ssmmessages.ap-northeast-1.amazonaws.com":[]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    in_ns "$NS_VPC" iptables -A INPUT -d "$AMAZON_DNS" -p udp --dport 53 -j DROP
    in_ns "$NS_VPC" iptables -A INPUT -d "$AMAZON_DNS" -p tcp --dport 53 -j DROP
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
