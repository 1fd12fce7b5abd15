# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="A TLS-inspecting firewall on the internet path (domain-joined instance, NAT) presents its own certificate from a CA the instance does not trust; TLS 1.2, so the client's fatal alert unknown_ca is visible in clear"
SCENARIO_FORMAT=pcap
EXPECT_VERDICT=tls-failure
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["tls-failed","tls-failed"],
 "ec2messages.ap-northeast-1.amazonaws.com":["tls-failed","tls-failed"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["tls-failed","tls-failed"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_ad_dns public
    LAB_CERT=$LAB_STATE/pki/inspect.pem LAB_KEY=$LAB_STATE/pki/inspect.key \
        lab_public_endpoints ap-northeast-1 -no_tls1_3
    lab_enable_nat
    lab_inst_resolver "$AD_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
