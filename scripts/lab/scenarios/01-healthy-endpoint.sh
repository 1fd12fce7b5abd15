# shellcheck shell=bash disable=SC2034  # sourced by lib.sh: the variables are read there
SCENARIO_TITLE="Healthy: AmazonProvidedDNS returns the interface endpoints' private IPs; TLS established"
SCENARIO_FORMAT=pcap
EXPECT_VERDICT=healthy-vpc-endpoint
EXPECT_FLOWS='{"ssm.ap-northeast-1.amazonaws.com":["vpc-endpoint","vpc-endpoint"],
 "ec2messages.ap-northeast-1.amazonaws.com":["vpc-endpoint"],
 "ssmmessages.ap-northeast-1.amazonaws.com":["vpc-endpoint"]}'

scenario_setup() {
    lab_amazon_dns private
    lab_endpoints
    lab_inst_resolver "$AMAZON_DNS"
}

scenario_client() {
    lab_agent ap-northeast-1
    # and what an operator runs to check: the aws CLI (dummy credentials, lab CA)
    in_ns "$NS_INST" env AWS_ACCESS_KEY_ID=AKIDEXAMPLE \
        AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY AWS_CA_BUNDLE="$LAB_STATE/ca.pem" \
        AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard AWS_CONFIG_FILE=/dev/null \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
        timeout 30 aws ssm describe-instance-information --region ap-northeast-1 \
        --cli-connect-timeout 4 --cli-read-timeout 4 >/dev/null 2>&1 || true
}
