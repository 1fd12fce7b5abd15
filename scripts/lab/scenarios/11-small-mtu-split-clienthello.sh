# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="Post-quantum ClientHello (Chromium, X25519MLKEM768 key share, ~1.9 KB = 2 TCP segments) through a path that silently drops IP packets larger than 1200 bytes (MTU black hole: small-MTU link, ICMP blocked). The full-size first segment never arrives; only the second does (the endpoint SACKs it); the client retransmits the first until it gives up: no ServerHello"
SCENARIO_FORMAT=pcapng
EXPECT_VERDICT=tls-failure
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["tls-failed"],
 "ec2messages.ap-northeast-1.amazonaws.com":["tls-failed"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["tls-failed"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    in_ns "$NS_VPC" iptables -A INPUT -p tcp --dport 443 -m iprange --dst-range "$EP_SSM-$EP_SSMMSG" \
        -m length --length 1201:65535 -j DROP
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() { lab_chromium_agent ap-northeast-1; }
