# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="The resolver answers NXDOMAIN for the SSM names (e.g. a private hosted zone for amazonaws.com that lacks them): no TCP connection is attempted"
SCENARIO_FORMAT=sll2
EXPECT_VERDICT=dns-error
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":[],
 "ec2messages.ap-northeast-1.amazonaws.com":[],
 "ssmmessages.ap-northeast-1.amazonaws.com":[]}'

scenario_setup() {
    lab_amazon_dns nxdomain
    lab_endpoints
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
