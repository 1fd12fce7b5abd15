#!/usr/bin/env bash
# live.sh SSMPATH CAPTURE PPS SECONDS OUT.txt — live sniffing throughput.
# SSMPATH is the ssmpath binary.
#
# Builds two namespaces joined by a veth (bench-lsrc/bench-l0 ══ bench-l1/bench-lsnk, offloads off),
# starts `ssmpath live --interface bench-l1 --duration SECONDS+8 --format json` in bench-lsnk, and
# replays BENCH_LIVE_SLICE (default 200000) packets of CAPTURE from bench-lsrc with
# `tcpreplay --pps=PPS --preload-pcap` (PPS "top" = --topspeed): real lab traffic, every packet under
# 1000 bytes (DNS, handshakes, ACKs, short connections) and one in four bulk data frames (make-live-mix.py)
# for SECONDS. Frames stay on the veth; nothing is routed anywhere. Writes lines to OUT.txt:
#   tcpreplay <its Actual/Rated lines>
#   ssmpath-counters <packet/drop counters found in ssmpath's JSON>
#   live-pps <packets per second ssmpath saw (its own counter, else bench-l1 rx minus pcap drops)>
# Tears everything down on exit. Needs root, tcpreplay, ethtool, python3.
set -euo pipefail

SSMPATH=${1:?usage: live.sh SSMPATH CAPTURE PPS SECONDS OUT.txt}
CAPTURE=${2:?}
PPS=${3:?}
SECONDS_TO_RUN=${4:?}
OUT=${5:?}
SLICE=${BENCH_LIVE_SLICE:-200000}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=$(dirname "$CAPTURE")
SRC=bench-lsrc
SNK=bench-lsnk

log() { printf '[live %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

[[ $(id -u) == 0 ]] || { echo "live.sh: needs root" >&2; exit 2; }
if ! command -v tcpreplay >/dev/null; then
    log "installing tcpreplay"
    apt-get install -y tcpreplay >/dev/null
fi
for tool in tcpreplay ethtool python3; do
    command -v "$tool" >/dev/null || { echo "live.sh: missing $tool" >&2; exit 2; }
done

REPLAY=$CACHE/live-mix-$SLICE.pcap
if [[ ! -s $REPLAY ]]; then
    log "making the replay mix from $CAPTURE"
    python3 "$HERE/make-live-mix.py" "$CAPTURE" "$REPLAY.tmp" "$SLICE" && mv "$REPLAY.tmp" "$REPLAY"
fi

WORK=$(mktemp -d /tmp/bench-live.XXXXXX)
SNIFFER=
cleanup() {
    local status=$?
    [[ -n $SNIFFER ]] && kill "$SNIFFER" 2>/dev/null || true
    for ns in $SRC $SNK; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    done
    sleep 0.3
    for ns in $SRC $SNK; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in $SRC $SNK; do
    if ip netns list | grep -qw "$ns"; then echo "live.sh: namespace $ns exists" >&2; exit 2; fi
done
ip netns add $SRC
ip netns add $SNK
ip link add bench-l0 netns $SRC type veth peer name bench-l1 netns $SNK
ip -n $SRC link set bench-l0 up
ip -n $SNK link set bench-l1 up
ip netns exec $SRC ethtool -K bench-l0 tso off gso off gro off tx off >/dev/null
ip netns exec $SNK ethtool -K bench-l1 tso off gso off gro off tx off >/dev/null

# The sniffer runs 8 s longer than the replay (tcpreplay preloads first, and a sniffer that lags
# must drain its ring before the deadline); rates are per replay second.
SNIFF_SECONDS=$((SECONDS_TO_RUN + 8))
log "ssmpath live on bench-l1 for ${SNIFF_SECONDS}s; tcpreplay at $PPS packets/s for ${SECONDS_TO_RUN}s"
SNIFF=("$SSMPATH" live --interface bench-l1 --duration "$SNIFF_SECONDS" --format json ${BENCH_LIVE_ARGS:-})
ip netns exec $SNK timeout $((SNIFF_SECONDS + 30)) "${SNIFF[@]}" > "$WORK/live.json" 2> "${BENCH_LIVE_ERR:-$WORK/live.err}" &
SNIFFER=$!
sleep 1.5
rx_before=$(ip -n $SNK -s -j link show bench-l1 | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]["stats64"]["rx"]; print(s["packets"], s["dropped"])')
if [[ $PPS == top ]]; then RATE=(--topspeed); else RATE=(--pps="$PPS"); fi
# --duration bounds the replay in time, --loop in count; timeout is the backstop.
ip netns exec $SRC timeout $((SECONDS_TO_RUN + 20)) tcpreplay -i bench-l0 "${RATE[@]}" --preload-pcap \
    --loop=100 --duration="$SECONDS_TO_RUN" "$REPLAY" > "$WORK/tcpreplay.out" 2>&1 || true
rx_after=$(ip -n $SNK -s -j link show bench-l1 | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]["stats64"]["rx"]; print(s["packets"], s["dropped"])')
status=0
wait "$SNIFFER" || status=$?
SNIFFER=
if (( status > 1 )); then
    echo "live.sh: ssmpath live exited $status:" >&2
    tail -5 "$WORK/live.err" >&2
    exit 1
fi

sent=$(awk '/Actual:/ { print $2; exit }' "$WORK/tcpreplay.out")
sent_seconds=$(awk '/Actual:/ { for (i = 1; i <= NF; i++) if ($i == "in") { print $(i + 1); exit } }' "$WORK/tcpreplay.out")
# Top-level counters only (not the per-flow packet counts of the report).
counters=$(python3 "$HERE/json-counters.py" "$WORK/live.json" 'packet|drop' --all | tr ' ' '\n' | grep -v '^flows\[' | paste -sd' ' || true)
drops=$(printf '%s\n' $counters | awk -F= 'tolower($1) ~ /drop/ && $2 > 0 { s += $2 } END { print s + 0 }')
# ssmpath reports kernel drops as a capture warning ("the kernel dropped N packets"): count those too.
warned=$(grep -oE 'kernel dropped [0-9]+ packets' "$WORK/live.json" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }' || true)
[[ -n $warned ]] || warned=0
if (( warned > drops )); then drops=$warned; fi
read -r rx0 rxdrop0 <<< "$rx_before"
read -r rx1 rxdrop1 <<< "$rx_after"
delivered=$((rx1 - rx0))
veth_dropped=$((rxdrop1 - rxdrop0))
# Packets ssmpath says it saw, if its JSON has such a counter (name not fixed yet: packetsSeen,
# packetsReceived, packets, ...); else what bench-l1 received minus pcap's drops.
seen=$(printf '%s\n' $counters | awk -F= '{ n = tolower($1); sub(/.*\./, "", n) }
    n ~ /^(packets(seen|received|captured|processed)?|packets_(seen|received|captured|processed))$/ { if ($2 > m) m = $2; f = 1 }
    END { if (f) print m }')
[[ -n $seen ]] || seen=$((delivered - drops))
{
    grep -E 'Actual:|Rated:|Failed packets' "$WORK/tcpreplay.out" | sed 's/^[[:space:]]*/tcpreplay /'
    echo "ssmpath-counters ${counters:-none found}"
    # What reached bench-l1 is what the sniffer was offered; what pcap says it dropped, it missed.
    awk -v n="${sent:-0}" -v t="${sent_seconds:-0}" -v d="$drops" -v r="$delivered" -v vd="$veth_dropped" \
        -v s="$seen" 'BEGIN { if (t > 0) printf "live-drops %d\nlive-offered-pps %.0f\n", d, r / t; if (t > 0) printf "live-pps %.0f\nlive-detail tcpreplay sent %d in %.2fs; bench-l1 received %d (%.0f/s), veth rx dropped %d; ssmpath saw %d, pcap drops %d\n", s / t, n, t, r, r / t, vd, s, d; else print "live-pps 0" }'
} > "$OUT"
cp "$WORK/live.json" "$CACHE/live-last.json"
