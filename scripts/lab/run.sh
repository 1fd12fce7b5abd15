#!/usr/bin/env bash
# Record one lab scenario:
#   scripts/lab/run.sh SCENARIO OUTFILE [--format pcap|pcapng|sll2]
# Run a scenario's clients without capturing (someone else sniffs ssmlab-inst/eth0):
#   scripts/lab/run.sh --no-capture SCENARIO [--sniff-delay SECONDS]
#   (if the lab is already up via `lab.sh up`, only the clients run and the lab stays up)
# Everything the run creates is torn down on exit, success or failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[[ $(id -u) == 0 ]] || lab_die "needs root (network namespaces)"

capture=1 format="" scenario="" out="" delay=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --no-capture) capture=0 ;;
        --format) format=${2:?}; shift ;;
        --format=*) format=${1#--format=} ;;
        --sniff-delay) delay=${2:?}; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) if [[ -z $scenario ]]; then scenario=$1; else out=$1; fi ;;
    esac
    shift
done
[[ -n $scenario ]] || lab_die "usage: run.sh SCENARIO OUTFILE [--format pcap|pcapng|sll2]"
lab_load_scenario "$scenario"

if (( ! capture )) && [[ -f $LAB_STATE/scenario ]]; then
    scenario_client          # lab brought up by lab.sh: leave it to lab.sh down
    exit 0
fi
(( capture )) && [[ -z $out ]] && lab_die "usage: run.sh SCENARIO OUTFILE [--format pcap|pcapng|sll2]"
format=${format:-$SCENARIO_FORMAT}

lab_require_absent
trap 'lab_down' EXIT
trap 'exit 130' INT TERM HUP   # make sure the EXIT trap runs on a signal too
lab_up_scenario
# optional: traffic that must already be running when the capture starts
if declare -F scenario_before_capture >/dev/null; then scenario_before_capture; fi
if (( capture )); then
    tmp_out=$LAB_STATE/capture.out
    lab_capture_start "$tmp_out" "$format"
    start=$SECONDS
    scenario_client
    lab_capture_stop
    mkdir -p "$(dirname "$out")"
    cp "$tmp_out" "$out"
    lab_log "$SCENARIO_NAME: $(capinfos -c -M "$out" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}') packets, $((SECONDS - start)) s -> $out"
else
    sleep "$delay"
    scenario_client
fi
