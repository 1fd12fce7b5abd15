# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="No SSM traffic at all: the instance only talks to unrelated sites (198.51.100.80) over HTTP and HTTPS via NAT"
SCENARIO_FORMAT=sll2
EXPECT_VERDICT=no-ssm-traffic
EXPECT_FLOWS='{}'

scenario_setup() {
    lab_amazon_dns private
    lab_enable_nat
    lab_web
    lab_tls_server web443 "$NS_INET" "$WEB_IP"
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() {
    in_ns "$NS_INST" timeout 10 curl -sS -o /dev/null --connect-timeout 4 --max-time 6 http://intranet.example.net/ || true
    in_ns "$NS_INST" timeout 10 curl -sS -o /dev/null --connect-timeout 4 --max-time 6 \
        --cacert "$LAB_STATE/ca.pem" https://updates.example.net/ || true
}
