#!/usr/bin/env bash
# make-capture.sh OUT.pcap — record a benchmark capture (>= 1 GiB by default) of REAL traffic in a
# network-namespace lab built here and torn down on exit.
#
# The lab (all names prefixed bench-, all addresses lab-only):
#   bench-cli  10.77.0.2/24  ── veth bench-c0 ══ bench-s0 ──  10.77.0.1/24  bench-srv
#                                                              + 203.0.113.10,20-23 and 198.51.100.30 on lo
#   bench-srv runs dnsmasq (10.77.0.1:53) answering the SSM names and *.lab.example with lab addresses,
#   NXDOMAIN for *.noise.example; and one `openssl s_server -WWW` per "public" address on port 443
#   (self-signed certificate made at run time).
#   bench-cli resolves through dnsmasq (/etc/netns/bench-cli/resolv.conf) and runs:
#     - bulk HTTPS downloads of a big file from 203.0.113.10 (most of the bytes),
#     - many short HTTPS connections, each after a real DNS lookup of its name (curl → getaddrinfo),
#     - DNS query noise (dns-noise.py: random names, several query types).
#   tcpdump -s 0 on bench-c0 (client side) writes the capture. Offloads are off on both veth ends
#   (tso, gso, gro, tx checksum), so every frame is at most 1514 bytes as on a real NIC.
#
# The result is cached: if OUT exists and is at least BENCH_CAPTURE_BYTES, it is reused.
# Environment: BENCH_CAPTURE_BYTES (default 1100000000), BENCH_SHORT_CONNECTIONS (default 1500),
#              BENCH_DNS_QUERIES (default 30000), BENCH_BULK_MIB (file size, default 128).
# Needs root (namespaces), ethtool, tcpdump, dnsmasq, openssl, curl, python3.
set -euo pipefail

OUT=${1:?usage: make-capture.sh OUT.pcap}
TARGET_BYTES=${BENCH_CAPTURE_BYTES:-1100000000}
SHORT_CONNECTIONS=${BENCH_SHORT_CONNECTIONS:-1500}
DNS_QUERIES=${BENCH_DNS_QUERIES:-30000}
BULK_MIB=${BENCH_BULK_MIB:-128}
MAX_BULK_DOWNLOADS=64          # hard bound on the bulk loop, whatever the target
OVERALL_TIMEOUT=600            # seconds; every background job is killed after this
HERE=$(cd "$(dirname "$0")" && pwd)

CLI=bench-cli
SRV=bench-srv
RESOLVER=10.77.0.1
BULK_ADDR=203.0.113.10
SSM_ADDR=203.0.113.20
SSMMESSAGES_ADDR=203.0.113.21
EC2MESSAGES_ADDR=203.0.113.22
OTHER_AWS_ADDR=203.0.113.23
LAB_ADDR=198.51.100.30
SERVER_ADDRS=("$BULK_ADDR" "$SSM_ADDR" "$SSMMESSAGES_ADDR" "$EC2MESSAGES_ADDR" "$OTHER_AWS_ADDR" "$LAB_ADDR")

log() { printf '[make-capture %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if [[ -f $OUT ]] && (( $(stat -c %s "$OUT") >= TARGET_BYTES )); then
    log "reusing $OUT ($(stat -c %s "$OUT") bytes)"
    exit 0
fi

# MARK: - Preconditions
[[ $(id -u) == 0 ]] || { echo "make-capture.sh: needs root (network namespaces)" >&2; exit 2; }
if ! command -v ethtool >/dev/null; then
    log "installing ethtool"
    apt-get install -y ethtool >/dev/null
fi
for tool in ip ethtool tcpdump dnsmasq openssl curl python3; do
    command -v "$tool" >/dev/null || { echo "make-capture.sh: missing $tool" >&2; exit 2; }
done
for ns in $CLI $SRV; do
    if ip netns list | grep -qw "$ns"; then
        echo "make-capture.sh: namespace $ns exists (another run, or a crashed one: ip netns del $ns)" >&2
        exit 2
    fi
done
mkdir -p "$(dirname "$OUT")"

# MARK: - Teardown (always)
WORK=$(mktemp -d /var/tmp/bench-lab.XXXXXX)
PIDS=()
cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    # Anything still running inside our own namespaces was started by this script.
    for ns in $CLI $SRV; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    done
    sleep 0.3
    for ns in $CLI $SRV; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "/etc/netns/$CLI" "$WORK"
    rm -f "$OUT.partial"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# MARK: - Namespaces and addresses
log "building lab"
ip netns add $SRV
ip netns add $CLI
ip link add bench-c0 netns $CLI type veth peer name bench-s0 netns $SRV
ip -n $SRV link set lo up
ip -n $CLI link set lo up
ip -n $SRV addr add $RESOLVER/24 dev bench-s0
ip -n $CLI addr add 10.77.0.2/24 dev bench-c0
for addr in "${SERVER_ADDRS[@]}"; do ip -n $SRV addr add "$addr/32" dev lo; done
ip -n $SRV link set bench-s0 up
ip -n $CLI link set bench-c0 up
ip -n $CLI route add default via $RESOLVER
ip netns exec $CLI ethtool -K bench-c0 tso off gso off gro off tx off >/dev/null
ip netns exec $SRV ethtool -K bench-s0 tso off gso off gro off tx off >/dev/null
mkdir -p "/etc/netns/$CLI"
printf 'nameserver %s\noptions timeout:1 attempts:2\n' "$RESOLVER" > "/etc/netns/$CLI/resolv.conf"

# MARK: - DNS server
REGIONS=(ap-northeast-1 us-east-1 eu-west-1 ap-southeast-2)
DNSMASQ_ARGS=(--keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address=$RESOLVER
              --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/dnsmasq.log" --cache-size=1000
              --address=/lab.example/$LAB_ADDR --address=/noise.example/)
for region in "${REGIONS[@]}"; do
    DNSMASQ_ARGS+=(--address=/ssm.$region.amazonaws.com/$SSM_ADDR
                   --address=/ssmmessages.$region.amazonaws.com/$SSMMESSAGES_ADDR
                   --address=/ec2messages.$region.amazonaws.com/$EC2MESSAGES_ADDR)
done
DNSMASQ_ARGS+=(--address=/amazonaws.com/$OTHER_AWS_ADDR)
ip netns exec $SRV dnsmasq "${DNSMASQ_ARGS[@]}" &
PIDS+=($!)

# MARK: - HTTPS servers
mkdir -p "$WORK/www"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench.lab.example" \
    -addext "subjectAltName=DNS:*.amazonaws.com,DNS:*.lab.example,DNS:*.ap-northeast-1.amazonaws.com" \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
truncate -s "${BULK_MIB}M" "$WORK/www/big.bin"            # content is irrelevant: TLS encrypts it
head -c 2048 /dev/urandom | base64 > "$WORK/www/small.txt"  # ~2.7 KB answer for short connections
for addr in "${SERVER_ADDRS[@]}"; do
    (cd "$WORK/www" && exec ip netns exec $SRV openssl s_server -quiet -WWW -accept "$addr:443" \
        -cert "$WORK/cert.pem" -key "$WORK/key.pem" >/dev/null 2>&1) &
    PIDS+=($!)
done
# Wait (bounded) until every server accepts.
for _ in $(seq 50); do
    ready=0
    for addr in "${SERVER_ADDRS[@]}"; do
        ip netns exec $SRV bash -c "exec 3<>/dev/tcp/$addr/443" 2>/dev/null && ready=$((ready + 1))
    done
    (( ready == ${#SERVER_ADDRS[@]} )) && break
    sleep 0.2
done
(( ready == ${#SERVER_ADDRS[@]} )) || { echo "make-capture.sh: HTTPS servers did not start" >&2; exit 1; }
ip netns exec $CLI getent hosts ssm.ap-northeast-1.amazonaws.com >/dev/null \
    || { echo "make-capture.sh: lab DNS does not answer" >&2; exit 1; }

# MARK: - Record
log "recording on bench-c0 → $OUT"
ip netns exec $CLI tcpdump -i bench-c0 -s 0 -B 131072 -Z root -w "$OUT.partial" 2>"$WORK/tcpdump.log" &
TCPDUMP=$!
PIDS+=($TCPDUMP)
for _ in $(seq 50); do grep -q 'listening on' "$WORK/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
sleep 0.2

# Short connections: real lookups through dnsmasq, then one HTTPS GET each. Two loops in parallel.
SHORT_NAMES=()
for region in "${REGIONS[@]}"; do
    SHORT_NAMES+=("ssm.$region.amazonaws.com" "ssmmessages.$region.amazonaws.com" "ec2messages.$region.amazonaws.com")
done
SHORT_NAMES+=(s3.ap-northeast-1.amazonaws.com kms.ap-northeast-1.amazonaws.com logs.ap-northeast-1.amazonaws.com)
short_loop() {
    local n=$1 seed=$2 i name
    RANDOM=$seed
    for ((i = 0; i < n; i++)); do
        if (( RANDOM % 3 == 0 )); then name="svc$((RANDOM % 500)).lab.example"
        else name=${SHORT_NAMES[RANDOM % ${#SHORT_NAMES[@]}]}; fi
        ip netns exec $CLI curl -sk --http1.1 --connect-timeout 2 --max-time 5 -o /dev/null "https://$name/small.txt" || true
    done
}
short_loop $((SHORT_CONNECTIONS / 2)) 11 & PIDS+=($!); SHORT1=$!
short_loop $((SHORT_CONNECTIONS - SHORT_CONNECTIONS / 2)) 23 & PIDS+=($!); SHORT2=$!
timeout 180 ip netns exec $CLI python3 "$HERE/dns-noise.py" $RESOLVER "$DNS_QUERIES" & PIDS+=($!); NOISE=$!

# Bulk downloads until the capture reaches the target size (bounded count and time).
started=$(date +%s)
downloads=0
while (( downloads < MAX_BULK_DOWNLOADS )) && (( $(date +%s) - started < OVERALL_TIMEOUT )); do
    size=$(stat -c %s "$OUT.partial")
    (( size >= TARGET_BYTES )) && break
    ip netns exec $CLI curl -sk --http1.1 --max-time 120 -o /dev/null "https://$BULK_ADDR/big.bin" || true
    downloads=$((downloads + 1))
    log "bulk download $downloads done, capture at $((size / 1000000)) MB"
done

log "waiting for short connections and DNS noise"
for pid in $SHORT1 $SHORT2 $NOISE; do
    remaining=$(( OVERALL_TIMEOUT - ($(date +%s) - started) ))
    (( remaining > 0 )) || remaining=1
    timeout "$remaining" tail --pid="$pid" -f /dev/null || kill "$pid" 2>/dev/null || true
done
# Top up if the short traffic finished after the bulk loop stopped below the target (cannot
# happen often, but the size promise holds).
while (( downloads < MAX_BULK_DOWNLOADS )) && (( $(stat -c %s "$OUT.partial") < TARGET_BYTES )); do
    ip netns exec $CLI curl -sk --http1.1 --max-time 120 -o /dev/null "https://$BULK_ADDR/big.bin" || true
    downloads=$((downloads + 1))
done
sleep 0.5
kill -INT $TCPDUMP
wait $TCPDUMP || true
cat "$WORK/tcpdump.log" | grep -E 'captured|received|dropped' >&2 || true

size=$(stat -c %s "$OUT.partial")
if (( size < TARGET_BYTES )); then
    echo "make-capture.sh: capture is only $size bytes (target $TARGET_BYTES)" >&2
    exit 1
fi
mv "$OUT.partial" "$OUT"
log "wrote $OUT: $size bytes, $downloads bulk downloads, $SHORT_CONNECTIONS short connections, $DNS_QUERIES DNS queries"
