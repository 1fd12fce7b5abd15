# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="Healthy agent whose ssmmessages control channel (a long-lived TLS connection to the endpoint 10.0.1.102) was opened BEFORE the capture started: that flow has no SYN and no ClientHello in the capture, only data both ways (ping N / ack ping N lines inside TLS). The agent's fresh calls to all three names (DNS + full TLS) are in the capture too, so 10.0.1.102 is known as ssmmessages"
SCENARIO_FORMAT=pcapng
EXPECT_VERDICT=healthy-vpc-endpoint
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["vpc-endpoint"],
 "ec2messages.ap-northeast-1.amazonaws.com":["vpc-endpoint"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["incomplete","vpc-endpoint"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_tls_server "ep-$EP_SSM" "$NS_VPC" "$EP_SSM"
    lab_tls_server "ep-$EP_EC2MSG" "$NS_VPC" "$EP_EC2MSG"
    # ssmmessages: a concurrent TLS server that keeps channels open and answers fresh calls
    lab_spawn "ep-$EP_SSMMSG" "$NS_VPC" python3 "$LAB_DIR/tls-channel-server.py" "$EP_SSMMSG" \
        "$LAB_STATE/pki/server.pem" "$LAB_STATE/pki/server.key"
    lab_wait_listen "$NS_VPC" tcp "$EP_SSMMSG" 443
    lab_inst_resolver "$AMAZON_DNS"
}

# The control channel: opened (DNS, handshake) before the capture, kept open past its end.
scenario_before_capture() {
    lab_spawn control-channel "$NS_INST" sh -c "for i in \$(seq 1 40); do echo \"ping \$i\"; sleep 0.5; done |
        openssl s_client -connect ssmmessages.ap-northeast-1.amazonaws.com:443 -quiet \
        -servername ssmmessages.ap-northeast-1.amazonaws.com -CAfile $LAB_STATE/ca.pem"
    sleep 1.5
}

scenario_client() {
    lab_agent ap-northeast-1    # all three names, so the capture has the DNS for 10.0.1.102
    sleep 1
}
