#!/usr/bin/env bash
# Regenerates the captures in Captures/ from the lab, and Captures/expected.json.
#   scripts/lab/record-all.sh [--out DIR] [SCENARIO...]
# With no SCENARIO, records every scenario; expected.json always covers all of them.
# Each scenario's format (pcap, pcapng, sll2), gzip flag and expectations come from its
# file in scripts/lab/scenarios/. All of them take about 3-4 minutes; nothing is left running.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
[[ $(id -u) == 0 ]] || lab_die "needs root (network namespaces)"
out=$(cd "$here/../.." && pwd)/Captures
selected=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --out) out=${2:?}; shift ;;
        *) selected+=("$(basename "$(lab_scenario_file "$1")" .sh)") ;;
    esac
    shift
done
mkdir -p "$out"
lab_require_absent
trap 'lab_down' EXIT
trap 'exit 130' INT TERM HUP   # make sure the EXIT trap runs on a signal too

capture_file() { # prints the capture's file name for the loaded scenario
    local ext=pcap
    [[ $SCENARIO_FORMAT == pcapng ]] && ext=pcapng
    if (( SCENARIO_GZIP )); then echo "$SCENARIO_NAME.$ext.gz"; else echo "$SCENARIO_NAME.$ext"; fi
}

json_dir=$(mktemp -d /tmp/ssmlab-json.XXXXXX)
trap 'rm -rf "$json_dir"; lab_down' EXIT
for f in "$here"/scenarios/*.sh; do
    name=$(basename "$f" .sh)
    ( lab_load_scenario "$name"
      file=$(capture_file)
      if [[ ${#selected[@]} -eq 0 || " ${selected[*]} " == *" $name "* ]]; then
          rm -f "$out/$name".pcap "$out/$name".pcapng "$out/$name".pcap*.gz
          raw=${file%.gz}
          log=$json_dir/$name.log
          "$here/run.sh" "$name" "$out/$raw" --format "$SCENARIO_FORMAT" 2>"$log" || { cat "$log" >&2; exit 1; }
          grep '^\[ssmlab\]' "$log" >&2 || true
          if (( SCENARIO_GZIP )); then gzip -n -9 -f "$out/$raw"; fi
      fi
      python3 - "$file" "$name" "$SCENARIO_FORMAT" "$EXPECT_VERDICT" "$EXPECT_FLOWS" "$SCENARIO_TITLE" \
          >"$json_dir/$name.json" <<'PY'
import json, sys
file, name, fmt, verdict, flows, title = sys.argv[1:]
print(json.dumps({"file": file, "scenario": name, "format": fmt, "verdict": verdict,
                  "flows": json.loads(flows), "models": title}))
PY
    )
done

python3 - "$out" "$json_dir" <<'PY'
import glob, json, os, sys
out, jd = sys.argv[1:]
items = []
for p in sorted(glob.glob(os.path.join(jd, "*.json"))):
    with open(p) as f:
        items.append(json.load(f))
doc = {
    "comment": "Expected ssmpath results for the lab captures. verdict: the overall verdict code. "
               "flows: SSM hostname -> one label per TCP connection to that name, in order of the "
               "connection's first packet in the capture (an empty list: the name was looked up but never "
               "connected to). Regenerate with scripts/lab/record-all.sh.",
    "captures": items,
}
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
PY
done_json=("$json_dir"/*.json)
lab_log "expected.json covers ${#done_json[@]} scenarios in $out"
