# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="Domain-joined instance resolves the PUBLIC SSM addresses via AD DNS; a NAT gateway gives the VPC an internet path, so SSM works over the internet (not through the endpoints)"
SCENARIO_FORMAT=pcapng
SCENARIO_GZIP=1
EXPECT_VERDICT=healthy-internet
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["nat-internet"],
 "ec2messages.ap-northeast-1.amazonaws.com":["nat-internet"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["nat-internet"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    lab_ad_dns public
    lab_public_endpoints ap-northeast-1
    lab_enable_nat
    lab_inst_resolver "$AD_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
