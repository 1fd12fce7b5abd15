# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="Domain-joined instance asks the on-prem AD DNS (172.16.0.10 over the VPN); it returns the PUBLIC SSM addresses; the VPC has no internet path, so every connect times out (SYN + 2 retransmissions, twice per name)"
SCENARIO_FORMAT=pcapng
EXPECT_VERDICT=resolver-bypasses-endpoint
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["timeout","timeout"],
 "ec2messages.ap-northeast-1.amazonaws.com":["timeout","timeout"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["timeout","timeout"]}'

scenario_setup() {
    lab_amazon_dns private          # the endpoints exist and AmazonProvidedDNS would answer right...
    lab_endpoints
    lab_ad_dns public               # ...but the instance asks AD DNS instead
    lab_public_endpoints ap-northeast-1
    lab_inst_resolver "$AD_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
