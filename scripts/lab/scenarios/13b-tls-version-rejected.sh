# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="An old client TLS stack (TLS 1.2 disabled by policy, offers at most TLS 1.1) meets an endpoint that requires TLS 1.2 or later: the endpoint answers the ClientHello with a fatal protocol_version alert"
SCENARIO_FORMAT=pcapng
EXPECT_VERDICT=tls-failure
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["tls-failed","tls-failed"],
 "ec2messages.ap-northeast-1.amazonaws.com":["tls-failed","tls-failed"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["tls-failed","tls-failed"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints -no_tls1 -no_tls1_1 -cipher "DEFAULT@SECLEVEL=0"   # TLS >= 1.2, like AWS endpoints
    lab_inst_resolver "$AMAZON_DNS"
}

# OpenSSL 3 only sends a TLS 1.0/1.1 ClientHello at security level 0.
scenario_client() { lab_agent ap-northeast-1 --tlsv1.0 --tls-max 1.1 --ciphers 'DEFAULT@SECLEVEL=0'; }
