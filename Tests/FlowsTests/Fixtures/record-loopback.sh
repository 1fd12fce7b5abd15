#!/bin/bash
# Records real TLS client/server first flights on loopback for the Flows tests.
# curl and chromium talk to `openssl s_server` on 127.0.0.1 (directly and through tinyproxy's CONNECT);
# tcpdump captures lo; tshark extracts each side's TCP payload in stream order into *.bin.
# Loopback only; every process started here is stopped on exit.
set -euo pipefail
OUT=${1:-$(pwd)}
WORK=$(mktemp -d /tmp/flows-lab.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

TLS_PORT=18443; PROXY_PORT=18888
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=ssm.test \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
openssl s_server -accept 127.0.0.1:$TLS_PORT -cert "$WORK/cert.pem" -key "$WORK/key.pem" -www -quiet >/dev/null 2>&1 &
PIDS+=($!)
cat > "$WORK/tinyproxy.conf" <<CONF
Port $PROXY_PORT
Listen 127.0.0.1
Timeout 10
MaxClients 5
ConnectPort $TLS_PORT
Allow 127.0.0.1
LogLevel Critical
CONF
tinyproxy -d -c "$WORK/tinyproxy.conf" >/dev/null 2>&1 &
PIDS+=($!)
tcpdump -i lo -U -s 0 -w "$WORK/lo.pcap" "tcp port $TLS_PORT or tcp port $PROXY_PORT" >/dev/null 2>&1 &
PIDS+=($!)
sleep 1

timeout 10 curl -sk --tlsv1.3 "https://127.0.0.1:$TLS_PORT/" -o /dev/null || true
timeout 10 curl -sk --tls-max 1.2 "https://127.0.0.1:$TLS_PORT/" -o /dev/null || true
timeout 10 curl -sk -x "http://127.0.0.1:$PROXY_PORT" "https://127.0.0.1:$TLS_PORT/" -o /dev/null || true
timeout 20 chromium --headless=new --no-sandbox --disable-gpu --ignore-certificate-errors \
  --user-data-dir="$WORK/chromium" --no-first-run --dump-dom "https://127.0.0.1:$TLS_PORT/" >/dev/null 2>&1 || true
# DNS: dnsmasq on a loopback high port, answering from its own records only (no upstream).
DNS_PORT=15353
dnsmasq --no-daemon --no-resolv --no-hosts --port=$DNS_PORT --listen-address=127.0.0.1 --bind-interfaces \
  --host-record=ssm.ap-northeast-1.amazonaws.com,203.0.113.10,2001:db8::10 \
  --cname=ssm.example.internal,ssm.ap-northeast-1.amazonaws.com >/dev/null 2>&1 &
PIDS+=($!)
tcpdump -i lo -U -s 0 -w "$WORK/dns.pcap" "port $DNS_PORT" >/dev/null 2>&1 &
PIDS+=($!)
sleep 1
timeout 5 dig +tries=1 +time=2 @127.0.0.1 -p $DNS_PORT ssm.example.internal A >/dev/null || true
timeout 5 dig +tcp +tries=1 +time=2 @127.0.0.1 -p $DNS_PORT ssm.ap-northeast-1.amazonaws.com AAAA >/dev/null || true
sleep 1
for i in 2 4; do kill "${PIDS[$i]}" 2>/dev/null || true; done
sleep 1

# One .bin per stream and direction: the TCP payload bytes in capture order (lo has no loss), cut
# to keep fixtures small.
dump() { # pcap stream srcport file maxbytes
  tshark -r "$1" -Y "tcp.stream==$2 && tcp.srcport==$3 && tcp.len>0" -T fields -e tcp.payload 2>/dev/null \
    | tr -d '\n:' | xxd -r -p | head -c "$5" > "$OUT/$4" || true
}
port_of() { tshark -r "$WORK/lo.pcap" -Y "tcp.stream==$1 && tcp.flags.syn==1 && tcp.flags.ack==0" -T fields -e tcp.srcport 2>/dev/null | head -1; }
# Streams in order: 0 curl TLS 1.3, 1 curl TLS 1.2, 2 curl→tinyproxy, 3 tinyproxy→server, 4 chromium.
dump "$WORK/lo.pcap" 0 "$(port_of 0)" curl-tls13-client-stream.bin 8192
dump "$WORK/lo.pcap" 0 $TLS_PORT curl-tls13-server-stream.bin 1024
dump "$WORK/lo.pcap" 1 "$(port_of 1)" curl-tls12-client-stream.bin 8192
dump "$WORK/lo.pcap" 1 $TLS_PORT curl-tls12-server-stream.bin 1024
dump "$WORK/lo.pcap" 2 "$(port_of 2)" curl-connect-client-stream.bin 8192
dump "$WORK/lo.pcap" 2 $PROXY_PORT curl-connect-server-stream.bin 1024
dump "$WORK/lo.pcap" 4 "$(port_of 4)" chromium-pq-client-stream.bin 8192
dump "$WORK/lo.pcap" 4 $TLS_PORT chromium-pq-server-stream.bin 1024
udp() { # direction-filter file
  tshark -r "$WORK/dns.pcap" -Y "udp && $1" -T fields -e udp.payload 2>/dev/null | head -1 | tr -d '\n:' | xxd -r -p > "$OUT/$2" || true
}
udp "udp.dstport==$DNS_PORT" dns-udp-query.bin
udp "udp.srcport==$DNS_PORT" dns-udp-response.bin
DNS_CLIENT=$(tshark -r "$WORK/dns.pcap" -Y "tcp.flags.syn==1 && tcp.flags.ack==0" -T fields -e tcp.srcport 2>/dev/null | head -1)
dump "$WORK/dns.pcap" 0 "$DNS_CLIENT" dns-tcp-client-stream.bin 4096
dump "$WORK/dns.pcap" 0 $DNS_PORT dns-tcp-server-stream.bin 4096
ls -l "$OUT"
