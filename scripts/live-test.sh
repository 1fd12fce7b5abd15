#!/usr/bin/env bash
# Runs `ssmpath live` against real traffic in network namespaces and records what happened, for
# Tests/EndToEndTests/LiveCaptureTests.swift (or by hand). Needs root.
#
#   scripts/live-test.sh probe
#       exit 0 if this process may create network namespaces, else 77 with the reason on stderr.
#   scripts/live-test.sh lab SCENARIO OUTDIR [--signal INT|TERM] [--wait-lab SECONDS] [-- LIVE-ARGS...]
#       lab.sh up SCENARIO; `ssmpath live -i eth0 --write OUTDIR/live.pcap --format json
#       --output OUTDIR/report.json` inside ssmlab-inst; the scenario's clients; then the signal;
#       lab.sh down. If another lab is up it waits up to --wait-lab seconds (default 20) for it to
#       go, then gives up with exit 77. It never tears down a lab it did not bring up.
#   scripts/live-test.sh veth OUTDIR STOP [-- LIVE-ARGS...]
#       Two namespaces of our own (live-PID-a, live-PID-b) joined by a veth; TCP connects from b to
#       a's closed port 443 (10 a second); `ssmpath live -i lva ... --format json --output OUTDIR/report.json` in a. STOP is how the
#       capture ends: signal:INT, signal:TERM, none (it must stop by itself: --duration / --count),
#       link-down (ip link set lva down) or link-delete (ip link del lva) after 1.5 s.
#
# OUTDIR receives: report.json, live.pcap (lab), stderr.txt (ssmpath's stderr), exit-status,
# stop-ms (ms from the stop action to ssmpath's exit; "none" stop: from the start), run.log.
# Exit: 0 when ssmpath ran (its own status is in OUTDIR/exit-status), 77 skipped (reason on
# stderr), anything else a harness failure. Every wait is bounded; everything made is removed on
# exit, even on failure. Environment: SSMPATH (binary, default .build/debug/ssmpath).
set -uo pipefail

# A caller may hand us SIGINT/SIGTERM blocked (Foundation's Process does: children inherit the
# spawning thread's mask) and some signals ignored. Start over with nothing blocked, so that our
# traps, the harness's time limit (SIGTERM) and the signals sent to ssmpath act as from a shell.
if [[ -z ${LIVE_TEST_UNMASKED:-} ]] && grep -qE '^SigBlk:[[:space:]]*0*[1-9a-f]' /proc/$$/status; then
    export LIVE_TEST_UNMASKED=1
    exec python3 -c 'import os, signal, sys
for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGPIPE, signal.SIGXFSZ):
    signal.signal(number, signal.SIG_DFL)
signal.pthread_sigmask(signal.SIG_SETMASK, [])
os.execv(sys.argv[1], sys.argv[1:])' "$0" "$@"
fi

root=$(cd "$(dirname "$0")/.." && pwd)
lab=$root/scripts/lab/lab.sh
binary=${SSMPATH:-$root/.build/debug/ssmpath}
skip() { printf 'live-test: skipped: %s\n' "$*" >&2; exit 77; }
die() { printf 'live-test: error: %s\n' "$*" >&2; exit 3; }
log() { printf '[live-test %s] %s\n' "$(date +%T.%N | cut -c1-12)" "$*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# MARK: - Preconditions

# Whether we may create network namespaces (root, not inside a restricted container).
probe() {
    [[ $(id -u) == 0 ]] || skip "not root: network namespaces need root (run the tests with sudo)"
    command -v ip >/dev/null || skip "ip (iproute2) not installed"
    local name="live-probe-$$"
    ip netns add "$name" 2>/dev/null || skip "ip netns add is not permitted here (container without CAP_SYS_ADMIN?)"
    ip netns del "$name"
}

# MARK: - Running ssmpath live

# Creates OUTDIR and removes what an earlier run left there.
prepare_outdir() {
    mkdir -p "$outdir" || die "cannot create $outdir"
    rm -f "$outdir"/{report.json,live.pcap,stdout.txt,stderr.txt,exit-status,stop-ms,lab-up.log}
    : >"$outdir/run.log"
    grep -E "^Sig(Blk|Ign)" /proc/$$/status >>"$outdir/run.log"   # inherited signal mask, for diagnosis
}

live_pid=""
# Starts ssmpath live in namespace NS with ARGS; stderr to OUTDIR/stderr.txt.
start_live() { # NS ARGS...
    local ns=$1; shift
    # A background job of a non-interactive shell starts with SIGINT ignored; ssmpath installs its
    # own handling, which is part of what is tested here.
    ip netns exec "$ns" "$binary" live "$@" >"$outdir/stdout.txt" 2>"$outdir/stderr.txt" </dev/null &
    live_pid=$!
}

# Waits (at most 5 s) until ssmpath has printed its first status line: the capture is active.
wait_capturing() {
    local i
    for i in $(seq 1 50); do
        grep -q packets "$outdir/stderr.txt" 2>/dev/null && return 0
        kill -0 "$live_pid" 2>/dev/null || return 0     # already ended: wait_live reports it
        sleep 0.1
    done
    log "no status line after 5 s"
}

# Waits (at most LIMIT s) for ssmpath to exit; records exit-status and stop-ms from START_MS.
wait_live() { # START_MS LIMIT_SECONDS
    local start=$1 limit=$2 i status
    for (( i = 0; i < limit * 20; i++ )); do
        kill -0 "$live_pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$live_pid" 2>/dev/null; then
        log "ssmpath still running ${limit} s after the stop: KILL"
        kill -KILL "$live_pid" 2>/dev/null
        echo "killed" >"$outdir/exit-status"
    fi
    wait "$live_pid"; status=$?
    [[ -f $outdir/exit-status ]] || echo "$status" >"$outdir/exit-status"
    echo $(( $(now_ms) - start )) >"$outdir/stop-ms"
    live_pid=""
    log "ssmpath exit $(cat "$outdir/exit-status") after $(cat "$outdir/stop-ms") ms"
}

kill_live() { [[ -n $live_pid ]] && kill -KILL "$live_pid" 2>/dev/null; live_pid=""; }

# MARK: - Lab mode

lab_is_up() { [[ -e /run/ssmlab ]] || ip netns list | grep -q '^ssmlab-'; }
lab_ours=0 client_pid=""
lab_cleanup() {
    kill_live
    [[ -n $client_pid ]] && kill -TERM "$client_pid" 2>/dev/null   # its processes in the lab: lab.sh down
    if (( lab_ours )); then "$lab" down >>"$outdir/run.log" 2>&1; fi
}

run_lab() {
    local scenario=$1 signal=INT wait_lab=20
    shift
    outdir=${1:?usage: live-test.sh lab SCENARIO OUTDIR}; shift
    while [[ $# -gt 0 ]]; do
        case $1 in
            --signal) signal=${2:?}; shift ;;
            --wait-lab) wait_lab=${2:?}; shift ;;
            --) shift; break ;;
            *) die "unknown option $1" ;;
        esac
        shift
    done
    prepare_outdir
    probe
    [[ -x $binary ]] || die "$binary not built"

    # Someone else's lab (another person's test or recording): wait a bounded time, never touch it.
    local i
    for (( i = 0; i < wait_lab * 2; i++ )); do lab_is_up || break; sleep 0.5; done
    lab_is_up && skip "a lab (ssmlab-* namespaces or /run/ssmlab) is already up and stayed up ${wait_lab} s; not touching it"

    trap lab_cleanup EXIT
    trap 'exit 130' INT TERM HUP
    local up_log=$outdir/lab-up.log
    if ! "$lab" up "$scenario" >"$up_log" 2>&1; then
        # lab.sh up refuses (touching nothing) when a lab appeared since our check; any other
        # failure it has already torn down itself.
        grep -q 'lab up?' "$up_log" && skip "another lab came up at the same moment; not touching it"
        cat "$up_log" >&2
        die "lab.sh up $scenario failed"
    fi
    lab_ours=1
    log "lab up: $scenario"

    start_live ssmlab-inst --interface eth0 --write "$outdir/live.pcap" --format json \
        --output "$outdir/report.json" "$@"
    wait_capturing
    # In the background and waited for, so that a signal to this script runs the cleanup at once.
    "$lab" client >>"$outdir/run.log" 2>&1 &
    client_pid=$!
    wait "$client_pid"; client_pid=""
    log "clients done"
    sleep 0.3                                   # the last packets reach the capture
    local stop; stop=$(now_ms)
    kill -"$signal" "$live_pid" 2>/dev/null
    wait_live "$stop" 10
}

# MARK: - Veth mode

ns_a="live-$$-a" ns_b="live-$$-b"
traffic_pid=""
# Kills every process left in our two namespaces (SIGKILL: a caller may have left SIGTERM blocked
# in the mask we inherit, and a connect to a downed peer blocks for minutes), then deletes them.
veth_cleanup() {
    kill_live
    local ns pid
    for ns in "$ns_a" "$ns_b"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    done
    [[ -n $traffic_pid ]] && kill -KILL "$traffic_pid" 2>/dev/null
    ip netns del "$ns_a" 2>/dev/null
    ip netns del "$ns_b" 2>/dev/null
}

run_veth() {
    outdir=${1:?usage: live-test.sh veth OUTDIR STOP}; shift
    local stop_action=${1:?usage: live-test.sh veth OUTDIR STOP}; shift
    [[ ${1:-} == -- ]] && shift
    prepare_outdir
    probe
    [[ -x $binary ]] || die "$binary not built"

    trap veth_cleanup EXIT
    trap 'exit 130' INT TERM HUP
    ip netns add "$ns_a" || die "ip netns add $ns_a"
    ip netns add "$ns_b" || die "ip netns add $ns_b"
    # Both ends created directly inside our namespaces, never in the host's.
    ip link add lva netns "$ns_a" type veth peer name lvb netns "$ns_b" || die "veth"
    ip -n "$ns_a" addr add 10.77.0.1/24 dev lva
    ip -n "$ns_b" addr add 10.77.0.2/24 dev lvb
    ip -n "$ns_a" link set lva up
    ip -n "$ns_b" link set lvb up
    ip -n "$ns_a" link set lo up

    # Bounded traffic: at most 200 TCP connects to a closed port 443 (SYN, RST), 10 per second.
    ip netns exec "$ns_b" timeout 30 bash -c 'for i in $(seq 1 200); do
        (exec 3<>/dev/tcp/10.77.0.1/443) 2>/dev/null; sleep 0.1; done' </dev/null >/dev/null 2>&1 &
    traffic_pid=$!

    local start; start=$(now_ms)
    start_live "$ns_a" --interface lva --format json --output "$outdir/report.json" "$@"
    case $stop_action in
        none)
            wait_live "$start" 20 ;;
        signal:*)
            wait_capturing; sleep 0.5
            local stop; stop=$(now_ms)
            kill -"${stop_action#signal:}" "$live_pid" 2>/dev/null
            wait_live "$stop" 10 ;;
        link-down|link-delete)
            wait_capturing; sleep 0.5
            local stop; stop=$(now_ms)
            if [[ $stop_action == link-down ]]; then ip -n "$ns_a" link set lva down
            else ip -n "$ns_a" link del lva; fi
            log "$stop_action done"
            wait_live "$stop" 10 ;;
        *) die "unknown STOP $stop_action" ;;
    esac
}

# MARK: - Main

outdir=""
case ${1:-} in
    probe) probe; exit 0 ;;
    lab) shift; run_lab "$@" ;;
    veth) shift; run_veth "$@" ;;
    *) sed -n '2,24p' "$0"; exit 2 ;;
esac
