# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="The endpoint ENIs answer every SYN to 443 with a TCP RST (nothing listening / firewall REJECT --reject-with tcp-reset): connection refused"
SCENARIO_FORMAT=pcapng
EXPECT_VERDICT=connection-refused
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["refused","refused"],
 "ec2messages.ap-northeast-1.amazonaws.com":["refused","refused"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["refused","refused"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    in_ns "$NS_VPC" iptables -A INPUT -p tcp --syn --dport 443 -m iprange --dst-range "$EP_SSM-$EP_SSMMSG" \
        -j REJECT --reject-with tcp-reset
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() { lab_agent ap-northeast-1; }
