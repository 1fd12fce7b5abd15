#!/usr/bin/env bash
# Simulates the amazon-ssm-agent's startup call pattern with curl, from INSIDE the
# instance namespace (run it with `ip netns exec ssmlab-inst`, or via lab.sh client).
#
#   agent-sim.sh REGION [extra curl options...]
#
# Like the agent, it calls ssm (UpdateInstanceInformation), ec2messages (GetMessages)
# and ssmmessages (CreateControlChannel) at about the same time, each over HTTPS 443,
# and retries a failed call once after a short back-off. Requests are GETs: openssl
# s_server -www answers only GET (a POST would hang it), and on the wire both are just
# TLS application data. Every curl is bounded:
# --connect-timeout 4 gives a SYN and its retransmissions (1 s apart: Linux >= 6.7 uses
# linear SYN back-off) on a black hole; --max-time 8.
# Honours https_proxy / HTTPS_PROXY like the agent does. Exit status: 0 if all three succeeded.
set -u
region=${1:?usage: agent-sim.sh REGION [curl options...]}; shift
ca=${LAB_CA:-/run/ssmlab/ca.pem}
attempts=${AGENT_ATTEMPTS:-2}

call() { # HOST TARGET PATH
    local host=$1 target=$2 path=$3 attempt
    shift 3
    for ((attempt = 1; attempt <= attempts; attempt++)); do
        if timeout 15 curl -sS -o /dev/null --connect-timeout 4 --max-time 8 --cacert "$ca" \
            -A 'aws-sdk-go/1.55.5 (go1.22.12; linux; amd64) amazon-ssm-agent/3.3.1142.0' \
            -H 'Content-Type: application/x-amz-json-1.1' -H "X-Amz-Target: $target" \
            "$@" "https://$host$path"; then
            echo "agent-sim: $host ok (attempt $attempt)" >&2
            return 0
        fi
        echo "agent-sim: $host failed (attempt $attempt)" >&2
        (( attempt < attempts )) && sleep 1
    done
    return 1
}

extra=("$@")
# AGENT_SERVICES limits the calls (e.g. "ssm ec2messages" when a control channel is already up).
services=${AGENT_SERVICES:-ssm ec2messages ssmmessages}
pids=()
for svc in $services; do
    case $svc in
        ssm) call "ssm.$region.amazonaws.com" AmazonSSM.UpdateInstanceInformation / "${extra[@]}" & ;;
        ec2messages) call "ec2messages.$region.amazonaws.com" EC2WindowsMessageDeliveryService.GetMessages / \
            "${extra[@]}" & ;;
        ssmmessages) call "ssmmessages.$region.amazonaws.com" AmazonSSMMessageGatewayService.CreateControlChannel \
            /v1/control-channel/i-0123456789abcdef0 "${extra[@]}" & ;;
        *) echo "agent-sim: unknown service $svc" >&2; continue ;;
    esac
    pids+=($!)
    sleep 0.3
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit $rc
