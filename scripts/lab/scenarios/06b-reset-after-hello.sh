# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="A firewall on the path lets the TCP handshake through but answers the ClientHello with a TCP RST (SNI filtering): connection reset after the handshake"
SCENARIO_FORMAT=sll2
EXPECT_VERDICT=connection-reset
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["reset","reset"],
 "ec2messages.ap-northeast-1.amazonaws.com":["reset","reset"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["reset","reset"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    # packets to 443 carrying data (the ClientHello) are answered with RST; bare ACKs pass
    in_ns "$NS_VPC" iptables -A INPUT -p tcp --dport 443 -m iprange --dst-range "$EP_SSM-$EP_SSMMSG" \
        -m length --length 200:65535 -j REJECT --reject-with tcp-reset
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
