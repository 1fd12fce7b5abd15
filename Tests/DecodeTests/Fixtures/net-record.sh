#!/bin/bash
# Records the net-*.pcap fixtures of DecodeTests in two network namespaces (netdecode-a, netdecode-b)
# joined by a veth pair. (This kernel has no vlan/ipip/sit/ip6tnl modules: VLAN stacks and tunnels are
# tested with built bytes and the corpus's 4in6tunnel.pcap instead.)
# Traffic stays inside the namespaces. Run as root from this directory: ./net-record.sh
set -euo pipefail
A=netdecode-a; B=netdecode-b
OUT=$(pwd)
PIDS=()
cleanup() {
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
    ip netns del $A 2>/dev/null || true
    ip netns del $B 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add $A; ip netns add $B
ip link add nd-a type veth peer name nd-b
ip link set nd-a netns $A; ip link set nd-b netns $B
inA() { ip netns exec $A "$@"; }
inB() { ip netns exec $B "$@"; }
for ns in $A $B; do ip netns exec $ns ip link set lo up; done
inA ip link set nd-a up; inB ip link set nd-b up
inA ip addr add 192.0.2.1/24 dev nd-a; inB ip addr add 192.0.2.2/24 dev nd-b
inA ip addr add fd00:ec0::1/64 dev nd-a nodad; inB ip addr add fd00:ec0::2/64 dev nd-b nodad
sleep 1

# Servers in B: HTTP on 8080 (v4+v6), UDP sink on 5353.
inB timeout 60 python3 -m http.server 8080 --bind :: >/dev/null 2>&1 & PIDS+=($!)
inB timeout 60 python3 -c '
import socket
s4=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM); s4.bind(("::",5353))
s4.settimeout(50)
try:
    while True: s4.recvfrom(70000)
except Exception: pass' & PIDS+=($!)
sleep 1

capture() {  # capture NAME NS IFACE [tcpdump options...]; sets CAP_PID
    local name=$1 ns=$2 ifc=$3; shift 3
    ip netns exec "$ns" timeout 30 tcpdump -i "$ifc" -U -w "$OUT/$name" "$@" 2>/dev/null & CAP_PID=$!
    PIDS+=($CAP_PID)
}
udp() {  # udp DST SIZE
    inA timeout 5 python3 -c "
import socket,sys
d=sys.argv[1]; fam=socket.AF_INET6 if ':' in d else socket.AF_INET
s=socket.socket(fam,socket.SOCK_DGRAM); s.sendto(b'U'*int(sys.argv[2]),(d,5353))" "$1" "$2"
}
finish() { sleep 1; kill -INT "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

capture net-eth-frag.pcap $A nd-a; sleep 1
inA timeout 5 curl -s -o /dev/null http://192.0.2.2:8080/ || true
inA timeout 5 curl -s -o /dev/null "http://[fd00:ec0::2]:8080/" || true
udp 192.0.2.2 4000; udp fd00:ec0::2 4000; udp 192.0.2.2 100
finish $CAP_PID

# 3. Raw IP (DLT_RAW) on a tun device whose reader discards what it reads.
inA timeout 20 python3 -c '
import fcntl, os, struct, time
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", b"nd-tun", 0x0001 | 0x1000))  # TUNSETIFF, IFF_TUN|IFF_NO_PI
end = time.time() + 15
while time.time() < end:
    try: os.read(fd, 70000)
    except OSError: break' & PIDS+=($!)
sleep 1
inA ip link set nd-tun up
inA ip addr add 198.51.100.1/24 dev nd-tun
inA ip addr add fd00:ec2::1/64 dev nd-tun nodad
capture net-raw-tun.pcap $A nd-tun; sleep 1
inA timeout 2 curl -s -o /dev/null http://198.51.100.2:8080/ || true
inA timeout 2 curl -s -o /dev/null "http://[fd00:ec2::2]:8080/" || true
udp 198.51.100.2 200; udp fd00:ec2::2 2000
finish $CAP_PID

# 4. Linux cooked v2 (-i any) and v1 (-y LINUX_SLL).
capture net-any-sll2.pcap $A any; sleep 1
inA timeout 5 curl -s -o /dev/null http://192.0.2.2:8080/ || true
udp fd00:ec0::2 300
finish $CAP_PID
capture net-any-sll.pcap $A any -y LINUX_SLL; sleep 1
inA timeout 5 curl -s -o /dev/null "http://[fd00:ec0::2]:8080/" || true
udp 192.0.2.2 300
finish $CAP_PID

# 5. Snaplen 96: every larger frame cut.
capture net-eth-snaplen96.pcap $A nd-a -s 96; sleep 1
inA timeout 5 curl -s -o /dev/null http://192.0.2.2:8080/ || true
udp fd00:ec0::2 500
finish $CAP_PID
ls -l "$OUT"/net-*.pcap
