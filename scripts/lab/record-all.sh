#!/usr/bin/env bash
# Regenerates every capture in Captures/ from the lab, plus Captures/expected.json.
#   scripts/lab/record-all.sh [OUTDIR]      (default: <repo>/Captures)
# Each scenario's format (pcap, pcapng, sll2) and gzip flag come from its file in
# scripts/lab/scenarios/. Takes about 2-3 minutes; leaves nothing running.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
[[ $(id -u) == 0 ]] || lab_die "needs root (network namespaces)"
out=${1:-$(cd "$here/../.." && pwd)/Captures}
mkdir -p "$out"
trap 'lab_down' EXIT
lab_down   # start from a clean slate

entries=()
for f in "$here"/scenarios/*.sh; do
    name=$(basename "$f" .sh)
    ( lab_load_scenario "$name"
      ext=pcap; [[ $SCENARIO_FORMAT == pcapng ]] && ext=pcapng
      file=$name.$ext
      rm -f "$out/$name".pcap "$out/$name".pcapng "$out/$name".pcap*.gz
      "$here/run.sh" "$name" "$out/$file" --format "$SCENARIO_FORMAT" 2>"$LAB_STATE.$name.log" ||
          { cat "$LAB_STATE.$name.log" >&2; exit 1; }
      grep '^\[ssmlab\]' "$LAB_STATE.$name.log" >&2 || true
      rm -f "$LAB_STATE.$name.log"
      if (( SCENARIO_GZIP )); then gzip -n -9 -f "$out/$file"; file=$file.gz; fi
      # one JSON object per scenario (compact), assembled below
      python3 - "$file" "$name" "$SCENARIO_FORMAT" "$EXPECT_VERDICT" "$EXPECT_FLOWS" "$SCENARIO_TITLE" \
          >"$out/.$name.json" <<'PY'
import json, sys
file, name, fmt, verdict, flows, title = sys.argv[1:]
print(json.dumps({"file": file, "scenario": name, "format": fmt, "verdict": verdict,
                  "flows": json.loads(flows), "models": title}))
PY
    )
done

python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
items = []
for p in sorted(glob.glob(os.path.join(out, ".*.json"))):
    with open(p) as f:
        items.append(json.load(f))
    os.remove(p)
doc = {
    "comment": "Expected ssmpath results for the lab captures. verdict: the overall verdict code. "
               "flows: SSM hostname -> one label per TCP connection to that name, in order of the first SYN "
               "(an empty list: the name was looked up but never connected to). Regenerate with scripts/lab/record-all.sh.",
    "captures": items,
}
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
PY
lab_log "wrote $(ls "$out" | grep -c -E '\.pcap(ng)?(\.gz)?$') captures and expected.json to $out"
