#!/usr/bin/env bash
# Bring a scenario's lab topology up, run its client, tear it down -- in separate steps,
# so another program can sniff the instance interface in between:
#
#   scripts/lab/lab.sh up SCENARIO      # namespaces, addresses, daemons of SCENARIO
#   ip netns exec ssmlab-inst <sniffer> -i eth0 ...   # the instance's interface
#   scripts/lab/lab.sh client [SCENARIO] # run the scenario's clients (agent-sim, aws CLI, ...)
#   scripts/lab/lab.sh exec CMD...      # any command inside the instance namespace
#   scripts/lab/lab.sh down             # remove everything (idempotent)
#   scripts/lab/lab.sh status
set -uo pipefail
source "$(dirname "$0")/lib.sh"
[[ $(id -u) == 0 ]] || lab_die "needs root (network namespaces)"

cmd=${1:-}; shift || true
case $cmd in
    up)
        [[ $# -ge 1 ]] || lab_die "usage: lab.sh up SCENARIO"
        lab_load_scenario "$1"
        lab_require_absent
        trap 'lab_down' EXIT          # a failed bring-up leaves nothing behind
        trap 'exit 130' INT TERM HUP
        set -e
        lab_up_scenario
        if declare -F scenario_before_capture >/dev/null; then scenario_before_capture; fi
        set +e
        trap - EXIT INT TERM HUP
        lab_log "up: $SCENARIO_NAME (instance: ip netns exec $NS_INST ..., interface $INST_IF)"
        ;;
    client)
        [[ -f $LAB_STATE/scenario ]] || lab_die "lab is not up"
        lab_load_scenario "${1:-$(cat "$LAB_STATE/scenario")}"
        LAB_IPV6=$SCENARIO_IPV6
        scenario_client
        ;;
    exec)
        [[ -f $LAB_STATE/scenario ]] || lab_die "lab is not up"
        exec ip netns exec "$NS_INST" "$@"
        ;;
    down) lab_down; lab_log "down" ;;
    status)
        if [[ -f $LAB_STATE/scenario ]]; then echo "up: $(cat "$LAB_STATE/scenario")"; else echo "down"; fi
        ip netns list | grep ssmlab- || true
        ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
esac
