# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="Temporary workaround (us-east-1): the hosts file maps the SSM names to the endpoints' private IPs, so no DNS query is sent for them; TLS established through the endpoints"
SCENARIO_FORMAT=pcapng
EXPECT_VERDICT=healthy-vpc-endpoint
EXPECT_FLOWS='{"ssm.us-east-1.amazonaws.com":["vpc-endpoint"],
 "ec2messages.us-east-1.amazonaws.com":["vpc-endpoint"],
 "ssmmessages.us-east-1.amazonaws.com":["vpc-endpoint"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    lab_ad_dns public
    lab_inst_resolver "$AD_DNS"
    lab_inst_hosts "$EP_SSM ssm.us-east-1.amazonaws.com" "$EP_EC2MSG ec2messages.us-east-1.amazonaws.com" \
        "$EP_SSMMSG ssmmessages.us-east-1.amazonaws.com"
}

scenario_client() { lab_agent us-east-1; }
