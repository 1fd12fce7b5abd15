# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="IPv6: the instance asks AmazonProvidedDNS at fd00:ec2::253 and gets AAAA records with the endpoints' ULA addresses (fd00:10::100-102); TLS over IPv6"
SCENARIO_FORMAT=pcap
SCENARIO_IPV6=1
LAB_V6_ONLY=1
EXPECT_VERDICT=healthy-vpc-endpoint
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["vpc-endpoint"],
 "ec2messages.ap-northeast-1.amazonaws.com":["vpc-endpoint"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["vpc-endpoint"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    lab_inst_resolver "$AMAZON_DNS6"
}

scenario_client() { lab_agent ap-northeast-1; }
