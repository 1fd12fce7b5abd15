#!/usr/bin/env bash
# run.sh — the ssmpath benchmark (what `make bench` calls). Needs root for the capture lab and the
# live test (network namespaces); everything else runs unprivileged.
#
#   1. swift build -c release (repo root)
#   2. make/reuse the >= 1 GiB lab capture (make-capture.sh), compile the raw libpcap loop
#   3. BENCH_RUNS (default 3) timed runs each of: raw pcap_next_ex loop, tshark field extraction,
#      `ssmpath analyze --format json` (all CPUs, and --threads 1), and the pipeline up to each
#      stage (Benchmarks/ StageBench); wall time and peak RSS from /usr/bin/time
#   4. many files and gzip: the capture cut into 12 rotated files (editcap -c) and gzip -1'd, each
#      analyzed with --threads 1 and with every CPU; the reports must be byte-identical
#   5. a 1,000,000-SYN capture (make-syn-flood.py): ssmpath's peak RSS and the flow-limit counter
#   6. live: tcpreplay of lab traffic at BENCH_LIVE_PPS onto a veth while `ssmpath live` sniffs it
#
# Prints a table, the ratios against the targets and PASS/FAIL for each; the same text is saved in
# $BENCH_CACHE/results-<UTC time>.txt. Exit status: 0 when everything was measured (targets may
# still FAIL), 2 when a tool is missing or a measurement could not be made.
#
# Environment: BENCH_CACHE (default /var/tmp/ssmpath-bench), BENCH_CAPTURE (default
# $BENCH_CACHE/bench-1g.pcap), BENCH_RUNS (3), BENCH_TSHARK_RUNS (BENCH_RUNS), BENCH_SKIP_BUILD=1,
# BENCH_SKIP_STAGES=1, BENCH_SKIP_FILES=1,
# BENCH_SKIP_LIVE=1, BENCH_SKIP_SYN=1, BENCH_LIVE_PPS (250000), BENCH_LIVE_SECONDS (10).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${BENCH_CACHE:-/var/tmp/ssmpath-bench}
CAPTURE=${BENCH_CAPTURE:-$CACHE/bench-1g.pcap}
RUNS=${BENCH_RUNS:-3}
TSHARK_RUNS=${BENCH_TSHARK_RUNS:-$RUNS}
LIVE_PPS=${BENCH_LIVE_PPS:-250000}
LIVE_SECONDS=${BENCH_LIVE_SECONDS:-10}
SYN_CAPTURE=$CACHE/syn-1m.pcap

# Targets (issue 7 and 8).
MAX_RAW_RATIO=2.0          # ssmpath wall / raw libpcap loop wall
MIN_TSHARK_RATIO=30.0      # tshark wall / ssmpath wall
MAX_RSS_KIB=65536          # 64 MiB peak RSS on the big capture
MAX_SYN_RSS_KIB=131072     # 128 MiB peak RSS on a million SYNs
MIN_LIVE_PPS=200000

mkdir -p "$CACHE"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$CACHE/results-$STAMP.txt
WORK=$(mktemp -d /tmp/bench-run.XXXXXX)
MEASUREMENT_ERRORS=0
cleanup_run() { rm -rf "$WORK"; }
trap cleanup_run EXIT

say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail_tool() { echo "run.sh: $*" >&2; exit 2; }

# MARK: - Tools
if [[ ! -x /usr/bin/time ]]; then
    log "installing time"
    apt-get install -y time >/dev/null || fail_tool "missing /usr/bin/time (apt-get install time)"
fi
for tool in swift cc tshark editcap gzip python3 awk; do
    command -v "$tool" >/dev/null || fail_tool "missing $tool"
done
[[ -f /usr/include/pcap/pcap.h ]] || fail_tool "missing libpcap headers (apt-get install libpcap-dev)"

# MARK: - Build
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    log "swift build -c release"
    (cd "$ROOT" && swift build -c release --product ssmpath >&2) || fail_tool "release build failed"
fi
SSMPATH=$(cd "$ROOT" && swift build -c release --show-bin-path)/ssmpath
[[ -x $SSMPATH ]] || fail_tool "no release binary at $SSMPATH"
# Stage-by-stage driver over the same sources (Benchmarks/, a separate package).
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    log "swift build -c release --package-path Benchmarks"
    swift build -c release --package-path "$ROOT/Benchmarks" >&2 || fail_tool "StageBench build failed"
fi
STAGEBENCH=$(swift build -c release --package-path "$ROOT/Benchmarks" --show-bin-path)/StageBench
[[ -x $STAGEBENCH ]] || fail_tool "no StageBench at $STAGEBENCH"
ANALYZE=("$SSMPATH" analyze --format json)
CPUS=$(nproc)
cc -O2 -o "$CACHE/pcap-loop" "$HERE/pcap-loop.c" -lpcap || fail_tool "cannot compile pcap-loop.c"

# MARK: - Captures
"$HERE/make-capture.sh" "$CAPTURE" || fail_tool "could not make the capture"
if [[ ${BENCH_SKIP_SYN:-0} != 1 && ! -s $SYN_CAPTURE ]]; then
    log "writing 1,000,000 SYNs to $SYN_CAPTURE"
    python3 "$HERE/make-syn-flood.py" "$SYN_CAPTURE.tmp" 1000000 443 && mv "$SYN_CAPTURE.tmp" "$SYN_CAPTURE"
fi
log "warming the page cache"
cat "$CAPTURE" > /dev/null

# MARK: - Measuring
# measure NAME OK_EXIT_CODES CMD... — RUNS timed runs; appends "name wall_s rss_kib exit" lines.
TIMINGS=$WORK/timings
measure() {
    local name=$1 ok_codes=$2 runs=$3; shift 3
    local i wall rss code
    for ((i = 1; i <= runs; i++)); do
        code=0
        /usr/bin/time -f '%e %M' -o "$WORK/time.out" "$@" > /dev/null 2> "$WORK/$name.stderr" || code=$?
        read -r wall rss < <(tail -1 "$WORK/time.out")
        if [[ ! " $ok_codes " =~ " $code " ]]; then
            log "$name run $i: exit $code; stderr tail:"; tail -3 "$WORK/$name.stderr" >&2
            MEASUREMENT_ERRORS=$((MEASUREMENT_ERRORS + 1))
        fi
        echo "$name $wall $rss $code" >> "$TIMINGS"
        log "$name run $i: ${wall}s, ${rss} KiB, exit $code"
    done
}
# stat NAME FIELD — prints "min median max" of a column (2 wall, 3 rss) for NAME.
stat_of() {
    awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$TIMINGS" | sort -g | awk '
        { v[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
          m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print v[1], m, v[NR] }'
}
verdict() { if awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { exit !((op == "<=") ? a <= b : a >= b) }'; then echo PASS; else echo FAIL; fi; }

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "measuring ($RUNS runs each, tshark $TSHARK_RUNS; load average $LOAD_AT_START)"
# Interleaved, so that drift in the machine's speed (other guests) falls on all three alike.
for ((round = 1; round <= RUNS; round++)); do
    measure raw-pcap-loop "0" 1 "$CACHE/pcap-loop" "$CAPTURE"
    measure ssmpath-analyze "0 1" 1 "${ANALYZE[@]}" "$CAPTURE"
    measure ssmpath-1-thread "0 1" 1 "${ANALYZE[@]}" --threads 1 "$CAPTURE"
done
cp "$WORK/ssmpath-analyze.stderr" "$CACHE/ssmpath-analyze-$STAMP.stderr"
"${ANALYZE[@]}" "$CAPTURE" > "$CACHE/ssmpath-analyze-$STAMP.json" 2>/dev/null || true
if [[ ${BENCH_SKIP_STAGES:-0} != 1 ]]; then
    for stage in read decode flows correlate report; do
        measure "stage-$stage" "0" "$RUNS" "$STAGEBENCH" "$stage" "$CAPTURE"
    done
fi
measure tshark-fields "0" "$TSHARK_RUNS" tshark -r "$CAPTURE" -T fields \
    -e tls.handshake.extensions_server_name -e dns.qry.name -e dns.a -e dns.aaaa

# MARK: - Report
read -r PACKETS BYTES < <("$CACHE/pcap-loop" "$CAPTURE")
say "ssmpath benchmark $STAMP"
say "machine: $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(nproc) CPUs," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)," \
    "$(swift --version 2>&1 | head -1 | sed 's/ (swiftlang.*//')"
say "load average at start: $LOAD_AT_START; at report: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews figures)"
say "ssmpath: $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null || echo unknown)"
say "capture: $CAPTURE, $(stat -c %s "$CAPTURE") bytes, $PACKETS packets (page cache warm)"
say "ssmpath-analyze: ssmpath analyze --format json (reads ahead on $((CPUS > 1 ? 1 : 0)) more thread of the $CPUS CPUs); ssmpath-1-thread: with --threads 1"
say ""
say "$(printf '%-18s %5s %10s %10s %10s %14s' tool runs 'min s' 'median s' 'max s' 'peak RSS MiB')"
for name in raw-pcap-loop ssmpath-analyze ssmpath-1-thread tshark-fields; do
    read -r wmin wmed wmax < <(stat_of "$name" 2)
    read -r _ _ rmax < <(stat_of "$name" 3)
    runs=$(awk -v n="$name" '$1 == n' "$TIMINGS" | wc -l)
    say "$(printf '%-18s %5d %10s %10s %10s %14s' "$name" "$runs" "$wmin" "$wmed" "$wmax" \
        "$(awk -v r="$rmax" 'BEGIN { if (r == "-") print "-"; else printf "%.1f", r / 1024 }')")"
done
read -r raw_min _ < <(stat_of raw-pcap-loop 2)
read -r ssm_min _ < <(stat_of ssmpath-analyze 2)
read -r tsh_min _ < <(stat_of tshark-fields 2)
read -r _ _ ssm_rss < <(stat_of ssmpath-analyze 3)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "inf"; else printf "%.2f", a / b }'; }
r_raw=$(ratio "$ssm_min" "$raw_min")
r_tshark=$(ratio "$tsh_min" "$ssm_min")
say ""
say "ssmpath / raw loop      = ${r_raw}x   (target <= ${MAX_RAW_RATIO}x)  $(verdict "$r_raw" '<=' "$MAX_RAW_RATIO")"
say "tshark / ssmpath        = ${r_tshark}x   (target >= ${MIN_TSHARK_RATIO}x)  $(verdict "$r_tshark" '>=' "$MIN_TSHARK_RATIO")"
say "ssmpath peak RSS        = $(awk -v r="$ssm_rss" 'BEGIN { printf "%.1f", r / 1024 }') MiB   (target <= 64 MiB)  $(verdict "$ssm_rss" '<=' "$MAX_RSS_KIB")"
if [[ ${BENCH_SKIP_STAGES:-0} != 1 ]]; then
    say ""
    say "stage breakdown (StageBench: each row runs the pipeline up to that stage; cost = difference of min walls)"
    previous=$raw_min
    for stage in read decode flows correlate report; do
        read -r smin _ < <(stat_of "stage-$stage" 2)
        read -r _ _ srss < <(stat_of "stage-$stage" 3)
        say "$(printf '  %-10s %8s s  (+%6s s)  peak RSS %6s MiB' "$stage" "$smin" \
            "$(awk -v a="$smin" -v b="$previous" 'BEGIN { printf "%.2f", a - b }')" \
            "$(awk -v r="$srss" 'BEGIN { printf "%.1f", r / 1024 }')")"
        previous=$smin
    done
    say "  (read is measured against the raw loop; layout: $("$STAGEBENCH" layout | paste -sd, - | sed 's/,/, /g'))"
fi
say "ssmpath throughput      = $(awk -v p="$PACKETS" -v b="$BYTES" -v t="$ssm_min" 'BEGIN { if (t > 0) printf "%.0f packets/s, %.0f MB/s", p / t, b / t / 1e6; else print "-" }')"

# MARK: - Many files, gzip (issue 7: every core, the same report)
if [[ ${BENCH_SKIP_FILES:-0} != 1 ]]; then
    SPLIT=$CACHE/split
    if [[ ! -s $SPLIT/.done ]]; then
        log "cutting the capture into rotated files in $SPLIT"
        rm -rf "$SPLIT"; mkdir -p "$SPLIT"
        editcap -c $(( (PACKETS + 11) / 12 )) "$CAPTURE" "$SPLIT/part.pcap" >&2 || fail_tool "editcap failed"
        echo done > "$SPLIT/.done"
    fi
    GZ=$CACHE/bench-1g.pcap.gz
    if [[ ! -s $GZ ]]; then
        log "gzip -1 of the capture to $GZ"
        gzip -1 -c "$CAPTURE" > "$GZ.tmp" && mv "$GZ.tmp" "$GZ"
    fi
    cat "$SPLIT"/part* "$GZ" > /dev/null
    files_runs=$(( RUNS < 2 ? RUNS : 2 ))
    measure files-1-thread "0 1" "$files_runs" "${ANALYZE[@]}" --threads 1 "$SPLIT"
    measure files-all-cpus "0 1" "$files_runs" "${ANALYZE[@]}" "$SPLIT"
    measure gzip-1-thread "0 1" "$files_runs" "${ANALYZE[@]}" --threads 1 "$GZ"
    measure gzip-all-cpus "0 1" "$files_runs" "${ANALYZE[@]}" "$GZ"
    same() {  # same NAME ARGS...: reports with --threads 1 and with every CPU are byte-identical
        "${ANALYZE[@]}" --threads 1 "$@" > "$WORK/one.json" 2>/dev/null || true
        "${ANALYZE[@]}" "$@" > "$WORK/all.json" 2>/dev/null || true
        if [[ -s $WORK/one.json ]] && cmp -s "$WORK/one.json" "$WORK/all.json"; then echo "identical PASS"; else echo "DIFFERENT FAIL"; fi
    }
    say ""
    say "many files and gzip: --threads 1 against every CPU ($CPUS); cost = min wall"
    for pair in "files:$(ls "$SPLIT" | grep -c pcap) rotated files (editcap -c)" "gzip:gzip -1, $(stat -c %s "$GZ") bytes"; do
        key=${pair%%:*}; label=${pair#*:}
        read -r one _ < <(stat_of "$key-1-thread" 2)
        read -r all _ < <(stat_of "$key-all-cpus" 2)
        read -r _ _ rss < <(stat_of "$key-all-cpus" 3)
        if [[ $key == files ]]; then result=$(same "$SPLIT"); else result=$(same "$GZ"); fi
        say "$(printf '  %-34s %6s s -> %6s s (%sx), peak RSS %s MiB, report %s' "$label" "$one" "$all" \
            "$(ratio "$one" "$all")" "$(awk -v r="$rss" 'BEGIN { printf "%.1f", r / 1024 }')" "$result")"
    done
fi

# MARK: - A million SYNs (issue 8)
if [[ ${BENCH_SKIP_SYN:-0} != 1 ]]; then
    measure ssmpath-syn-flood "0 1" 1 "${ANALYZE[@]}" "$SYN_CAPTURE"
    "${ANALYZE[@]}" "$SYN_CAPTURE" > "$WORK/syn.json" 2>/dev/null || true
    measure syn-stage-decode "0" 1 "$STAGEBENCH" decode "$SYN_CAPTURE"
    measure syn-stage-flows "0" 1 "$STAGEBENCH" flows "$SYN_CAPTURE"
    read -r _ _ syn_rss < <(stat_of ssmpath-syn-flood 3)
    read -r syn_wall _ < <(stat_of ssmpath-syn-flood 2)
    # The limit counter's JSON name is the report writer's; accept any numeric field named like a
    # limit/eviction counter that is > 0.
    limit_hit=$(python3 "$HERE/json-counters.py" "$WORK/syn.json" 'evict|limit|notretained|not_retained|dropped' 2>/dev/null || true)
    say ""
    say "1,000,000 SYNs (distinct sources, port 443): ${syn_wall}s, peak RSS $(awk -v r="$syn_rss" 'BEGIN { printf "%.1f", r / 1024 }') MiB" \
        "(target <= 128 MiB)  $(verdict "$syn_rss" '<=' "$MAX_SYN_RSS_KIB")"
    read -r _ _ syn_flows_rss < <(stat_of syn-stage-flows 3)
    read -r syn_flows_wall _ < <(stat_of syn-stage-flows 2)
    read -r syn_decode_wall _ < <(stat_of syn-stage-decode 2)
    say "  of which flow tracking: $(awk -v a="$syn_flows_wall" -v b="$syn_decode_wall" 'BEGIN { printf "%.2f", a - b }')s," \
        "peak RSS up to flows $(awk -v r="$syn_flows_rss" 'BEGIN { printf "%.1f", r / 1024 }') MiB"
    if [[ -n $limit_hit ]]; then say "  limit counters > 0: $limit_hit  PASS"
    else say "  no flow-limit counter > 0 in the JSON report  FAIL"; fi
fi

# MARK: - Live throughput
if [[ ${BENCH_SKIP_LIVE:-0} == 1 ]]; then
    say ""; say "live: skipped (BENCH_SKIP_LIVE=1)"
else
    say ""
    if "$HERE/live.sh" "$SSMPATH" "$CAPTURE" "$LIVE_PPS" "$LIVE_SECONDS" "$WORK/live.txt"; then
        while read -r line; do say "$line"; done < "$WORK/live.txt"
        live_pps=$(awk '/^live-pps/ { print $2 }' "$WORK/live.txt")
        live_drops=$(awk '/^live-drops/ { print $2 }' "$WORK/live.txt")
        # Target: >= 200k packets/s seen with no kernel drops (at most 0.1 % of what was seen).
        live_ok=$(awk -v p="${live_pps:-0}" -v d="${live_drops:-0}" -v m="$MIN_LIVE_PPS" -v s="$LIVE_SECONDS" \
            'BEGIN { print (p >= m && d <= p * s / 1000) ? "PASS" : "FAIL" }')
        say "live sniffing: ${live_pps:-?} packets/s seen, ${live_drops:-?} kernel drops (target >= $MIN_LIVE_PPS/s, no drops)  $live_ok"
        say "  (if tcpreplay's offered rate is below the target, the generator, not the sniffer, was the limit)"
    else
        say "live: measurement failed (see above)"
        MEASUREMENT_ERRORS=$((MEASUREMENT_ERRORS + 1))
    fi
fi

say ""
say "raw timings (name wall_s rss_kib exit):"
while read -r line; do say "  $line"; done < "$TIMINGS"
log "results saved to $RESULTS"
(( MEASUREMENT_ERRORS == 0 )) || { echo "run.sh: $MEASUREMENT_ERRORS measurement(s) failed" >&2; exit 2; }
