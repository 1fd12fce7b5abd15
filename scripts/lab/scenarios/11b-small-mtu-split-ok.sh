# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="Same post-quantum ClientHello (Chromium, X25519MLKEM768), but the router clamps the TCP MSS to 1160, so the ClientHello is sent as two small segments that pass; TLS established through the endpoints"
SCENARIO_FORMAT=pcap
EXPECT_VERDICT=healthy-vpc-endpoint
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["vpc-endpoint"],
 "ec2messages.ap-northeast-1.amazonaws.com":["vpc-endpoint"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["vpc-endpoint"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    # MSS clamping on the endpoints' SYN-ACKs (what a VPN/TGW router does)
    in_ns "$NS_VPC" iptables -t mangle -A OUTPUT -p tcp --sport 443 --tcp-flags SYN,ACK SYN,ACK \
        -j TCPMSS --set-mss 1160
    in_ns "$NS_VPC" iptables -A INPUT -p tcp --dport 443 -m iprange --dst-range "$EP_SSM-$EP_SSMMSG" \
        -m length --length 1201:65535 -j DROP
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() { lab_chromium_agent ap-northeast-1; }
