# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="The agent uses an HTTP proxy (tinyproxy at 10.0.1.50:8888, https_proxy): HTTP CONNECT to each SSM name; the proxy resolves them itself and reaches the public endpoints via NAT"
SCENARIO_FORMAT=sll2
EXPECT_VERDICT=healthy-proxy
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["proxy"],
 "ec2messages.ap-northeast-1.amazonaws.com":["proxy"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["proxy"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_ad_dns public
    lab_public_endpoints ap-northeast-1
    lab_enable_nat
    lab_proxy
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() {
    in_ns "$NS_INST" env https_proxy="http://$PROXY_IP:$PROXY_PORT" LAB_CA="$LAB_STATE/ca.pem" \
        "$LAB_DIR/agent-sim.sh" ap-northeast-1 || true
}
