# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="The recommended fix: AD DNS has a conditional forwarder for amazonaws.com to a Route 53 Resolver inbound endpoint (10.0.2.53), which answers with the endpoints' private IPs; TLS established through the VPC endpoints"
SCENARIO_FORMAT=sll2
EXPECT_VERDICT=healthy-vpc-endpoint
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["vpc-endpoint"],
 "ec2messages.ap-northeast-1.amazonaws.com":["vpc-endpoint"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["vpc-endpoint"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_r53_inbound
    lab_endpoints
    lab_ad_dns forward
    lab_public_endpoints ap-northeast-1
    lab_inst_resolver "$AD_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
