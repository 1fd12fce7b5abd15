#!/usr/bin/env bash
# Fuzz/run.sh [TARGET...] — build the libFuzzer targets (ASan + fuzzer instrumentation) and run each
# for a bounded time, seeded from real captures. What `make fuzz` calls.
#
#   Fuzz/run.sh                      all targets, FUZZ_SECONDS (default 60) each
#   Fuzz/run.sh FuzzDNS FuzzClientHello
#   Fuzz/run.sh --replay             run every saved crasher in Fuzz/Crashers/<target>/ once (regression)
#
# Crashers (and property failures, which abort with "PROPERTY FAILED") go to Fuzz/Crashers/<target>/;
# replay one with .build/debug/<target> Fuzz/Crashers/<target>/<file>. The working corpus and the
# seeds live in FUZZ_WORK (default /var/tmp/ssmpath-fuzz), never in the repo; seeds are re-extracted
# with FUZZ_RESEED=1. Exit status: 0 no crash, 1 a target crashed (or a replayed crasher still
# fails), 2 build or tool failure.
# Environment: FUZZ_SECONDS, FUZZ_WORK, FUZZ_RESEED=1, FUZZ_PROPERTIES=0 (crashes only, no property
# checks).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
WORK=${FUZZ_WORK:-/var/tmp/ssmpath-fuzz}
ALL_TARGETS=(FuzzPacketDecoder FuzzDNS FuzzClientHello FuzzServerRecords FuzzHTTPConnect FuzzPipeline)

# Longest input per target: a few frames; a DNS message; a ClientHello (up to 16 KB of records);
# the server's first flight; a proxy request head; a small pcap file.
max_len() {
    case $1 in
        FuzzPacketDecoder) echo 8192 ;; FuzzDNS) echo 4096 ;; FuzzClientHello) echo 16384 ;;
        FuzzServerRecords) echo 16384 ;; FuzzHTTPConnect) echo 4096 ;; FuzzPipeline) echo 65536 ;;
        *) echo 4096 ;;
    esac
}

log() { printf '[fuzz %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

REPLAY=0
TARGETS=()
for arg in "$@"; do
    case $arg in
        --replay) REPLAY=1 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) TARGETS+=("$arg") ;;
    esac
done
(( ${#TARGETS[@]} )) || TARGETS=("${ALL_TARGETS[@]}")

# MARK: - Build
# SwiftPM passes `--sanitize=fuzzer --sanitize=address` to swiftc as two `-sanitize=` flags, and the
# driver keeps only the last: the code got ASan but no coverage instrumentation, so libFuzzer ran
# blind ("no interesting inputs were found ... Is the code instrumented for coverage?"). The joined
# flag, last on the command line, gives both (check: `nm X.o | grep __sanitizer_cov`).
BUILD_FLAGS=(--package-path "$HERE" -c debug --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
log "swift build ${BUILD_FLAGS[*]}"
mkdir -p "$WORK"
build_status=0
swift build "${BUILD_FLAGS[@]}" > "$WORK/build.log" 2>&1 || build_status=$?
# ld.gold warns once per ASan helper symbol ("Cannot export local symbol"); that is noise.
grep -v "Cannot export local symbol" "$WORK/build.log" | tail -20 >&2
(( build_status == 0 )) || { echo "Fuzz/run.sh: build failed" >&2; exit 2; }
BIN=$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)
for target in "${TARGETS[@]}"; do
    [[ -x $BIN/$target ]] || { echo "Fuzz/run.sh: $target was not built (see above)" >&2; exit 2; }
done

# MARK: - Replay saved crashers
if (( REPLAY )); then
    failed=0
    for target in "${TARGETS[@]}"; do
        shopt -s nullglob
        files=("$HERE/Crashers/$target"/*)
        shopt -u nullglob
        (( ${#files[@]} )) || continue
        if "$BIN/$target" -runs=1 "${files[@]}" > "$WORK-replay-$target.log" 2>&1; then
            log "$target: ${#files[@]} saved crasher(s) pass"
        else
            log "$target: a saved crasher still fails (log: $WORK-replay-$target.log)"
            failed=1
        fi
    done
    exit $failed
fi

# MARK: - Seeds
mkdir -p "$WORK/logs"
if [[ ${FUZZ_RESEED:-0} == 1 || ! -f $WORK/seeds/.done ]]; then
    command -v tshark >/dev/null && command -v editcap >/dev/null \
        || { echo "Fuzz/run.sh: seeding needs tshark and editcap" >&2; exit 2; }
    log "extracting seeds (once; FUZZ_RESEED=1 to redo)"
    rm -rf "$WORK/seeds"
    python3 "$HERE/extract-seeds.py" "$WORK/seeds"
    touch "$WORK/seeds/.done"
fi

# MARK: - Fuzz
status=0
summary=()
for target in "${TARGETS[@]}"; do
    corpus=$WORK/corpus/$target
    crashers=$HERE/Crashers/$target
    mkdir -p "$corpus" "$crashers" "$WORK/seeds/$target"
    before=$(find "$crashers" -type f | wc -l)
    log "$target for ${SECONDS_PER_TARGET}s"
    code=0
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a leak or unbounded state.
    "$BIN/$target" -max_total_time="$SECONDS_PER_TARGET" -max_len="$(max_len "$target")" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashers/" "$corpus" "$WORK/seeds/$target" \
        > "$WORK/logs/$target.log" 2>&1 || code=$?
    after=$(find "$crashers" -type f | wc -l)
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$WORK/logs/$target.log" | grep -oE '[0-9]+$' | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$WORK/logs/$target.log" | tail -1)
    corpus_size=$(find "$corpus" -type f | wc -l)
    if (( after > before )) || (( code != 0 )); then
        status=1
        reason=$(grep -m1 -E 'PROPERTY FAILED|ERROR: AddressSanitizer|Fatal error|ERROR: libFuzzer' "$WORK/logs/$target.log" || echo "exit $code")
        summary+=("$(printf '%-18s CRASH  %s runs, %s, corpus %s; %s (saved in Fuzz/Crashers/%s/)' \
            "$target" "${runs:-?}" "${cov:-no coverage}" "$corpus_size" "$reason" "$target")")
    else
        summary+=("$(printf '%-18s ok     %s runs, %s, corpus %s' "$target" "${runs:-?}" "${cov:-no coverage}" "$corpus_size")")
    fi
done
printf '%s\n' "fuzz summary (${SECONDS_PER_TARGET}s per target, logs in $WORK/logs):" "${summary[@]}"
exit $status
