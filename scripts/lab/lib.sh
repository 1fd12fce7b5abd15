# shellcheck shell=bash
# Shared code of the ssmpath lab: topology, services, capture, teardown.
# Sourced by lab.sh, run.sh and record-all.sh; never run directly.
#
# NETWORK RULE: every interface created here is a veth whose BOTH ends live in
# ssmlab-* namespaces, so nothing is bridged to the host. Addresses are private
# (10/8, 172.16/12, fd00::/8) or documentation ranges (192.0.2/24, 198.51.100/24,
# 203.0.113/24, 2001:db8::/32). lab_check_isolated enforces this after bring-up.

# MARK: - Names and addresses

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_STATE=${LAB_STATE:-/run/ssmlab}          # pids, certs, configs, logs of the running lab
NS_INST=ssmlab-inst     # the EC2 instance (capture point: interface eth0)
NS_VPC=ssmlab-vpc       # VPC router + AmazonProvidedDNS + endpoint ENIs + R53 inbound + proxy
NS_ONPREM=ssmlab-onprem # on-prem AD DNS behind the "VPN"
NS_NAT=ssmlab-nat       # NAT gateway (iptables MASQUERADE)
NS_INET=ssmlab-inet     # "internet": public SSM endpoints and unrelated web servers
LAB_NAMESPACES=("$NS_INST" "$NS_VPC" "$NS_ONPREM" "$NS_NAT" "$NS_INET")
INST_IF=eth0            # instance interface inside $NS_INST (sniff here)

INST_IP=10.0.1.10;  INST_IP6=fd00:10::10
VPC_GW=10.0.1.1;    VPC_GW6=fd00:10::1
AMAZON_DNS=10.0.0.2; AMAZON_DNS_LL=169.254.169.253; AMAZON_DNS6=fd00:ec2::253
R53_INBOUND=10.0.2.53
PROXY_IP=10.0.1.50; PROXY_PORT=8888
AD_DNS=172.16.0.10
# Endpoint ENIs (both regions share the lab VPC's ENIs).
EP_SSM=10.0.1.100; EP_EC2MSG=10.0.1.101; EP_SSMMSG=10.0.1.102
EP6_SSM=fd00:10::100; EP6_EC2MSG=fd00:10::101; EP6_SSMMSG=fd00:10::102
EP4_ALL=("$EP_SSM" "$EP_EC2MSG" "$EP_SSMMSG"); EP6_ALL=("$EP6_SSM" "$EP6_EC2MSG" "$EP6_SSMMSG")
# "Public" regional endpoints (documentation ranges only).
PUB_APNE1=(203.0.113.21 203.0.113.22 203.0.113.23)   # ssm ec2messages ssmmessages ap-northeast-1
PUB_USE1=(203.0.113.31 203.0.113.32 203.0.113.33)    # ssm ec2messages ssmmessages us-east-1
WEB_IP=198.51.100.80; WEB6_IP=2001:db8:80::80       # unrelated "internet" web site
SSM_SERVICES=(ssm ec2messages ssmmessages)
LAB_REGIONS=(ap-northeast-1 us-east-1)
LAB_TIMEOUT=${LAB_TIMEOUT:-300}   # hard cap (s) on every lab daemon's lifetime

# MARK: - Small helpers

lab_log() { printf '[ssmlab] %s\n' "$*" >&2; }
lab_die() { lab_log "error: $*"; exit 1; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Starts a daemon inside a namespace, capped by `timeout`, and records its pid.
# usage: lab_spawn NAME NS CMD...
lab_spawn() {
    local name=$1 ns=$2; shift 2
    ip netns exec "$ns" timeout -s TERM "$LAB_TIMEOUT" "$@" \
        >"$LAB_STATE/log/$name.out" 2>&1 </dev/null &
    echo $! >"$LAB_STATE/pids/$name"
}

# Waits (bounded, 5 s) until something listens on PROTO (tcp|udp) ADDR:PORT inside NS (ADDR "*" = any).
lab_wait_listen() {
    local ns=$1 proto=$2 addr=$3 port=$4 i
    for i in $(seq 1 50); do
        if in_ns "$ns" ss -Hln"${proto:0:1}" "sport = :$port" 2>/dev/null |
            awk -v a="$addr" '$0 ~ /./ && (a == "*" || index($0, a) > 0) { f = 1 } END { exit !f }'; then
            return 0
        fi
        sleep 0.1
    done
    lab_die "nothing listening on $proto $addr:$port in $ns (see $LAB_STATE/log)"
}

# MARK: - Teardown (safe to call any time, any number of times)

lab_down() {
    local -; set +e   # best effort: never stop half-way
    local f pid ns
    if [[ -d $LAB_STATE/pids ]]; then
        for f in "$LAB_STATE"/pids/*; do
            [[ -f $f ]] || continue
            pid=$(cat "$f")
            [[ $pid =~ ^[0-9]+$ ]] && kill -TERM "$pid" 2>/dev/null
        done
        sleep 0.2
        for f in "$LAB_STATE"/pids/*; do
            [[ -f $f ]] || continue
            pid=$(cat "$f")
            [[ $pid =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null
            rm -f "$f"
        done
    fi
    # Anything still running inside OUR namespaces is ours.
    for ns in "${LAB_NAMESPACES[@]}"; do
        if ip netns list | grep -qw "^$ns"; then
            for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
            ip netns del "$ns" 2>/dev/null
        fi
        rm -rf "/etc/netns/$ns"
    done
    rm -rf "$LAB_STATE"
    rmdir /etc/netns 2>/dev/null   # only if empty (we may have created it)
    return 0
}

# Dies (before any trap is set) if a lab is already up, so a second run never tears down the first.
lab_require_absent() {
    local ns
    for ns in "${LAB_NAMESPACES[@]}"; do
        ip netns list | grep -qw "^$ns" && lab_die "$ns already exists (lab up?): run scripts/lab/lab.sh down first"
    done
    [[ ! -e $LAB_STATE ]] || lab_die "$LAB_STATE exists (lab up?): run scripts/lab/lab.sh down first"
}

# MARK: - Topology

# Creates a veth pair with each end directly inside a lab namespace (never in the host).
lab_veth() { # NS_A IF_A NS_B IF_B
    ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
    # No segmentation/receive offloads: captures show wire-sized segments (a 1.9 KB
    # ClientHello is two TCP segments, as on a real NIC's wire), not 64 KB super-packets.
    in_ns "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1 || lab_log "ethtool missing: offloads stay on"
    in_ns "$3" ethtool -K "$4" tso off gso off gro off >/dev/null 2>&1 || true
    in_ns "$1" ip link set "$2" up
    in_ns "$3" ip link set "$4" up
}

lab_topology_up() {
    local ns a
    mkdir -p "$LAB_STATE"/{pids,log,etc}
    for ns in "${LAB_NAMESPACES[@]}"; do
        ip netns list | grep -qw "^$ns" && lab_die "$ns already exists: run scripts/lab/lab.sh down first"
        ip netns add "$ns"
        in_ns "$ns" ip link set lo up
        # Quiet IPv6 (no RS/DAD chatter in captures); scenarios enable v6 where they need it.
        in_ns "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0 \
            net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.default.dad_transmits=0
        in_ns "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6="$(( ${LAB_IPV6:-0} ? 0 : 1 ))"
        mkdir -p "/etc/netns/$ns"
        printf '127.0.0.1 localhost\n::1 localhost\n' >"/etc/netns/$ns/hosts"
        printf '# ssmlab: no resolver\noptions timeout:1 attempts:1\n' >"/etc/netns/$ns/resolv.conf"
    done

    # instance <-> VPC router (same /24 as the endpoint ENIs, like a real subnet)
    lab_veth "$NS_INST" "$INST_IF" "$NS_VPC" slv-inst
    in_ns "$NS_INST" ip addr add "$INST_IP/24" dev "$INST_IF"
    in_ns "$NS_INST" ip route add default via "$VPC_GW"
    in_ns "$NS_VPC" ip addr add "$VPC_GW/24" dev slv-inst
    for a in "$PROXY_IP" "$EP_SSM" "$EP_EC2MSG" "$EP_SSMMSG"; do
        in_ns "$NS_VPC" ip addr add "$a/24" dev slv-inst
    done
    for a in "$AMAZON_DNS" "$AMAZON_DNS_LL" "$R53_INBOUND"; do
        in_ns "$NS_VPC" ip addr add "$a/32" dev lo
    done
    in_ns "$NS_VPC" sysctl -qw net.ipv4.ip_forward=1
    in_ns "$NS_VPC" ip route add blackhole default   # no IGW/NAT: silently dropped, like a VPC route table
    # The VPC router answers for 169.254.169.253 only to the instance: route it back.
    if (( ${LAB_IPV6:-0} )); then
        in_ns "$NS_INST" ip -6 addr add "$INST_IP6/64" dev "$INST_IF" nodad
        in_ns "$NS_INST" ip -6 route add default via "$VPC_GW6"
        in_ns "$NS_VPC" ip -6 addr add "$VPC_GW6/64" dev slv-inst nodad
        for a in "$EP6_SSM" "$EP6_EC2MSG" "$EP6_SSMMSG"; do
            in_ns "$NS_VPC" ip -6 addr add "$a/64" dev slv-inst nodad
        done
        in_ns "$NS_VPC" ip -6 addr add "$AMAZON_DNS6/128" dev lo nodad
        in_ns "$NS_VPC" sysctl -qw net.ipv6.conf.all.forwarding=1
        in_ns "$NS_VPC" ip -6 route add blackhole default
    fi

    # VPC <-> on-prem over the "VPN"
    lab_veth "$NS_VPC" slv-vpn "$NS_ONPREM" slo-vpn
    in_ns "$NS_VPC" ip addr add 172.16.255.1/30 dev slv-vpn
    in_ns "$NS_ONPREM" ip addr add 172.16.255.2/30 dev slo-vpn
    in_ns "$NS_ONPREM" ip addr add "$AD_DNS/32" dev lo
    in_ns "$NS_VPC" ip route add 172.16.0.0/16 via 172.16.255.2
    in_ns "$NS_ONPREM" ip route add 10.0.0.0/16 via 172.16.255.1

    # VPC <-> NAT gateway <-> internet (used only when a scenario calls lab_enable_nat)
    lab_veth "$NS_VPC" slv-nat "$NS_NAT" sln-vpc
    in_ns "$NS_VPC" ip addr add 10.0.9.1/24 dev slv-nat
    in_ns "$NS_NAT" ip addr add 10.0.9.2/24 dev sln-vpc
    in_ns "$NS_NAT" ip route add 10.0.0.0/16 via 10.0.9.1
    lab_veth "$NS_NAT" sln-inet "$NS_INET" sli-nat
    in_ns "$NS_NAT" ip addr add 192.0.2.1/24 dev sln-inet
    in_ns "$NS_INET" ip addr add 192.0.2.254/24 dev sli-nat
    in_ns "$NS_NAT" ip route add default via 192.0.2.254   # the "internet gateway"
    in_ns "$NS_NAT" sysctl -qw net.ipv4.ip_forward=1
    in_ns "$NS_NAT" iptables -t nat -A POSTROUTING -o sln-inet -j MASQUERADE
    for a in "${PUB_APNE1[@]}" "${PUB_USE1[@]}" "$WEB_IP"; do
        in_ns "$NS_INET" ip addr add "$a/32" dev lo
    done
    if (( ${LAB_IPV6:-0} )); then
        in_ns "$NS_VPC" ip -6 addr add fd00:9::1/64 dev slv-nat nodad
        in_ns "$NS_NAT" ip -6 addr add fd00:9::2/64 dev sln-vpc nodad
        in_ns "$NS_NAT" ip -6 route add fd00:10::/64 via fd00:9::1
        in_ns "$NS_NAT" ip -6 addr add 2001:db8:ffff::1/64 dev sln-inet nodad
        in_ns "$NS_INET" ip -6 addr add 2001:db8:ffff::2/64 dev sli-nat nodad
        in_ns "$NS_INET" ip -6 addr add "$WEB6_IP/128" dev lo nodad
        in_ns "$NS_NAT" ip -6 route add default via 2001:db8:ffff::2
        in_ns "$NS_NAT" sysctl -qw net.ipv6.conf.all.forwarding=1
        in_ns "$NS_NAT" ip6tables -t nat -A POSTROUTING -o sln-inet -j MASQUERADE
    fi
    lab_check_isolated
}

# Gives the VPC a default route to the NAT gateway (the "NAT gateway" fix).
lab_enable_nat() {
    in_ns "$NS_VPC" ip route replace default via 10.0.9.2
    if (( ${LAB_IPV6:-0} )); then in_ns "$NS_VPC" ip -6 route replace default via fd00:9::2; fi
}

# Refuses to go on if any lab interface is connected to the host namespace.
lab_check_isolated() {
    local ns
    for ns in "${LAB_NAMESPACES[@]}"; do
        # every veth must name its peer namespace (a peer in the host shows no link-netns)
        if in_ns "$ns" ip -d -o link show type veth | grep -v 'link-netns ssmlab-' | grep -q .; then
            lab_die "a veth in $ns is not peered with another ssmlab namespace"
        fi
        if in_ns "$ns" ip -o link show type bridge | grep -q .; then lab_die "bridge found in $ns"; fi
    done
    if ip -o link show | grep -Eq 'sl[vonie]-|ssmlab'; then lab_die "lab interface visible in the host namespace"; fi
}

# MARK: - Certificates (generated at run time, never committed)

lab_certs() {
    local d=$LAB_STATE/pki san
    mkdir -p "$d"
    san="subjectAltName=DNS:*.ap-northeast-1.amazonaws.com,DNS:*.us-east-1.amazonaws.com,DNS:*.example.net"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj "/CN=ssmlab CA" -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -subj "/CN=*.ap-northeast-1.amazonaws.com" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
        -days 2 -extfile <(printf '%s\n' "$san") -out "$d/server.pem" 2>/dev/null
    # A "TLS-inspecting proxy" certificate from a CA the instance does not trust.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj "/CN=Corp TLS Inspection CA" -addext "$san" \
        -keyout "$d/inspect.key" -out "$d/inspect.pem" 2>/dev/null
    [[ -s $d/server.pem && -s $d/inspect.pem ]] || lab_die "certificate generation failed"
    cp "$d/ca.pem" "$LAB_STATE/ca.pem"
}

# MARK: - DNS (dnsmasq)

# Prints dnsmasq host-record lines for the SSM names of both regions.
#   mode private: endpoint ENI addresses (v4 + v6 when LAB_IPV6)   mode public: public addresses
lab_ssm_records() {
    local mode=$1 region i name v4 v6
    for region in "${LAB_REGIONS[@]}"; do
        for i in 0 1 2; do
            name="${SSM_SERVICES[$i]}.$region.amazonaws.com"
            if [[ $mode == private ]]; then
                v4=${EP4_ALL[$i]}; v6=${EP6_ALL[$i]}
                if (( ${LAB_IPV6:-0} )) && [[ ${LAB_V6_ONLY:-0} == 1 ]]; then
                    echo "host-record=$name,$v6"
                elif (( ${LAB_IPV6:-0} )); then
                    echo "host-record=$name,$v4,$v6"
                else
                    echo "host-record=$name,$v4"
                fi
            elif [[ $region == us-east-1 ]]; then
                echo "host-record=$name,${PUB_USE1[$i]}"
            else
                echo "host-record=$name,${PUB_APNE1[$i]}"
            fi
        done
    done
}

# usage: lab_dnsmasq NAME NS "listen,addrs" CONFIG-LINES...
lab_dnsmasq() {
    local name=$1 ns=$2 listen=$3; shift 3
    local conf=$LAB_STATE/etc/$name.conf a
    {
        echo "keep-in-foreground"; echo "no-resolv"; echo "no-hosts"; echo "no-poll"
        echo "bind-interfaces"; echo "pid-file="; echo "user=root"; echo "cache-size=0"
        echo "log-queries"; echo "log-facility=-"
        for a in ${listen//,/ }; do echo "listen-address=$a"; done
        printf '%s\n' "$@"
    } >"$conf"
    lab_spawn "$name" "$ns" dnsmasq --conf-file="$conf"
    for a in ${listen//,/ }; do lab_wait_listen "$ns" udp "$a" 53; done
}

# AmazonProvidedDNS at VPC+2 and 169.254.169.253 (and fd00:ec2::253 with IPv6).
# usage: lab_amazon_dns private|public|nxdomain [extra dnsmasq lines...]
lab_amazon_dns() {
    local mode=$1; shift
    local listen="$AMAZON_DNS,$AMAZON_DNS_LL" recs=()
    (( ${LAB_IPV6:-0} )) && listen="$listen,$AMAZON_DNS6"
    case $mode in
        private) mapfile -t recs < <(lab_ssm_records private); recs+=("local=/amazonaws.com/") ;;
        public) mapfile -t recs < <(lab_ssm_records public); recs+=("local=/amazonaws.com/") ;;
        nxdomain) recs=("local=/amazonaws.com/") ;;   # authoritative "no such name"
    esac
    lab_dnsmasq amazon-dns "$NS_VPC" "$listen" "${recs[@]}" "$@" \
        "local=/example.net/" "host-record=updates.example.net,$WEB_IP,$WEB6_IP" \
        "host-record=intranet.example.net,$WEB_IP"
}

# On-prem AD DNS: answers amazonaws.com with PUBLIC addresses, or forwards it
# to the Route 53 Resolver inbound endpoint (conditional forwarder fix).
lab_ad_dns() {
    local mode=$1 recs=()
    case $mode in
        public) mapfile -t recs < <(lab_ssm_records public); recs+=("local=/amazonaws.com/") ;;
        forward) recs=("server=/amazonaws.com/$R53_INBOUND") ;;
    esac
    lab_dnsmasq ad-dns "$NS_ONPREM" "$AD_DNS" "${recs[@]}" \
        "local=/corp.example.net/" "host-record=dc01.corp.example.net,$AD_DNS"
}

# Route 53 Resolver inbound endpoint inside the VPC: resolves like AmazonProvidedDNS.
lab_r53_inbound() {
    local recs=(); mapfile -t recs < <(lab_ssm_records private); recs+=("local=/amazonaws.com/")
    lab_dnsmasq r53-inbound "$NS_VPC" "$R53_INBOUND" "${recs[@]}"
}

# Instance resolver (bind-mounted over /etc/resolv.conf by `ip netns exec`).
lab_inst_resolver() { # NAMESERVER...
    local f=/etc/netns/$NS_INST/resolv.conf n
    : >"$f"
    for n in "$@"; do echo "nameserver $n" >>"$f"; done
    echo "options timeout:2 attempts:2" >>"$f"
}

lab_inst_hosts() { # lines "IP NAME"
    printf '127.0.0.1 localhost\n::1 localhost\n' >"/etc/netns/$NS_INST/hosts"
    printf '%s\n' "$@" >>"/etc/netns/$NS_INST/hosts"
}

# MARK: - TLS servers (openssl s_server -www answers any HTTP request with a status page)

# usage: lab_tls_server NAME NS ADDR [extra s_server args...]   (LAB_CERT/LAB_KEY override the cert)
lab_tls_server() {
    local name=$1 ns=$2 addr=$3; shift 3
    local d=$LAB_STATE/pki hostport=$addr:443
    [[ $addr == *:* ]] && hostport="[$addr]:443"
    lab_spawn "$name" "$ns" openssl s_server -accept "$hostport" -cert "${LAB_CERT:-$d/server.pem}" \
        -key "${LAB_KEY:-$d/server.key}" -www -quiet "$@"
    lab_wait_listen "$ns" tcp "$addr" 443
}

# One s_server per endpoint address (each ENI answers on its own, as in AWS; s_server is iterative).
lab_endpoints() { # [extra s_server args...]
    local a addrs=("${EP4_ALL[@]}")
    (( ${LAB_IPV6:-0} )) && addrs+=("${EP6_ALL[@]}")
    for a in "${addrs[@]}"; do lab_tls_server "ep-$a" "$NS_VPC" "$a" "$@"; done
}
lab_public_endpoints() { # REGION [extra s_server args...]
    local region=$1 a addrs; shift
    if [[ $region == us-east-1 ]]; then addrs=("${PUB_USE1[@]}"); else addrs=("${PUB_APNE1[@]}"); fi
    for a in "${addrs[@]}"; do lab_tls_server "pub-$a" "$NS_INET" "$a" "$@"; done
}

# Plain HTTP "web site" for unrelated traffic.
lab_web() {
    lab_spawn web80 "$NS_INET" python3 -m http.server 80 --bind :: --directory "$LAB_STATE/etc"
    lab_wait_listen "$NS_INET" tcp "*" 80
}

# MARK: - Proxy (tinyproxy)

lab_proxy() {
    local conf=$LAB_STATE/etc/tinyproxy.conf
    cat >"$conf" <<CONF
User nobody
Group nogroup
Port $PROXY_PORT
Listen $PROXY_IP
Timeout 20
MaxClients 10
Allow 10.0.0.0/16
ConnectPort 443
LogLevel Info
CONF
    # The proxy itself resolves with a resolver returning public addresses.
    printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$AD_DNS" >"/etc/netns/$NS_VPC/resolv.conf"
    lab_spawn tinyproxy "$NS_VPC" tinyproxy -d -c "$conf"
    lab_wait_listen "$NS_VPC" tcp "$PROXY_IP" "$PROXY_PORT"
}

# MARK: - Capture

# usage: lab_capture_start OUTFILE pcap|pcapng|sll2
lab_capture_start() {
    local out=$1 fmt=$2 i
    case $fmt in
        pcap) lab_spawn capture "$NS_INST" tcpdump -n -U --immediate-mode -i "$INST_IF" -w "$out" ;;
        sll2) lab_spawn capture "$NS_INST" tcpdump -n -U --immediate-mode -i any -y LINUX_SLL2 -w "$out" ;;
        pcapng) lab_spawn capture "$NS_INST" dumpcap -q -i "$INST_IF" -w "$out" ;;
        *) lab_die "unknown format $fmt (pcap|pcapng|sll2)" ;;
    esac
    for i in $(seq 1 50); do
        grep -qE 'listening on|Capturing on' "$LAB_STATE/log/capture.out" 2>/dev/null && break
        sleep 0.1
    done
    [[ -s $LAB_STATE/log/capture.out ]] || lab_die "capture did not start"
    sleep 0.3
}

lab_capture_stop() {
    local pid i
    pid=$(cat "$LAB_STATE/pids/capture" 2>/dev/null) || return 0
    # Let the last packets land and the capture ring's block timeout (1 s) pass: a
    # capturer stopped earlier loses what is still in the kernel's TPACKET_V3 block.
    sleep 1.2
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$LAB_STATE/pids/capture"
}

# MARK: - Scenarios

# Resolves a scenario argument ("01", "healthy-endpoint", "01-healthy-endpoint") to its file.
lab_scenario_file() {
    local arg=$1 f
    for f in "$LAB_DIR"/scenarios/*.sh; do
        local base; base=$(basename "$f" .sh)
        if [[ $base == "$arg" || ${base#*-} == "$arg" || ${base%%-*} == "$arg" ]]; then
            echo "$f"; return 0
        fi
    done
    lab_die "unknown scenario '$arg' (see scripts/lab/scenarios/)"
}

# Loads a scenario: sets SCENARIO_* / EXPECT_* and defines scenario_setup / scenario_client.
# (The variables are read by run.sh and record-all.sh.)
# shellcheck disable=SC2034
lab_load_scenario() {
    local f; f=$(lab_scenario_file "$1")
    SCENARIO_IPV6=0; SCENARIO_FORMAT=pcap; SCENARIO_GZIP=0
    # shellcheck source=/dev/null
    source "$f"
    SCENARIO_NAME=$(basename "$f" .sh)
    LAB_IPV6=$SCENARIO_IPV6
}

# Brings up the topology, certificates and the scenario's services.
lab_up_scenario() {
    lab_topology_up
    lab_certs
    scenario_setup
    echo "$SCENARIO_NAME" >"$LAB_STATE/scenario"
}

# Runs the simulated agent inside the instance namespace (failures are expected in some scenarios).
lab_agent() { # REGION [curl options...]
    in_ns "$NS_INST" env LAB_CA="$LAB_STATE/ca.pem" "$LAB_DIR/agent-sim.sh" "$@" || true
}

# Headless Chromium as a post-quantum TLS client: its ClientHello carries an
# X25519MLKEM768 key share (~1.9 KB, two TCP segments), like the Go-built SSM agent's.
# It loads a local page that fetches the three SSM names in parallel. Other names are
# answered NOTFOUND inside Chromium (--host-resolver-rules), so its background services
# send no DNS queries. Bounded by --timeout (ms) and `timeout`.
lab_chromium_agent() { # REGION
    local region=$1 page=$LAB_STATE/etc/agent-$1.html svc
    {
        echo "<!doctype html><html><body>"
        for svc in "${SSM_SERVICES[@]}"; do echo "<img src=\"https://$svc.$region.amazonaws.com/\">"; done
        echo "</body></html>"
    } >"$page"
    in_ns "$NS_INST" timeout 25 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-default-apps \
        --no-pings --disable-domain-reliability --user-data-dir="$LAB_STATE/chromium" \
        --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE *.amazonaws.com" \
        --ignore-certificate-errors --timeout=9000 --dump-dom "file://$page" >/dev/null 2>&1 || true
}
