# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="No SSM endpoints in the VPC and no NAT/internet path: AmazonProvidedDNS returns the public addresses, every connect times out"
SCENARIO_FORMAT=pcap
EXPECT_VERDICT=no-endpoint-no-route
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["timeout","timeout"],
 "ec2messages.ap-northeast-1.amazonaws.com":["timeout","timeout"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["timeout","timeout"]}'

scenario_setup() {
    lab_amazon_dns public
    lab_public_endpoints ap-northeast-1
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
