#!/usr/bin/env bash
# scripts/bench/syn-flood-check.sh — flow state stays bounded under a SYN flood (issue 8).
#
# Generates (once) a pcap of COUNT (default 1,000,000) SYNs from distinct sources to 203.0.113.20:443
# with make-syn-flood.py, analyzes it with the release binary under /usr/bin/time -v, and checks:
#   - ssmpath completes with a report (exit 0 or 1, JSON on stdout);
#   - peak RSS is under RSS_LIMIT_MIB (default 128);
#   - the limit hit is counted (counters.flowsEvictedAtLimit > 0 or counters.flowsNotRetained > 0)
#     and reported (a `limits-hit` finding).
# Prints the figures and PASS or FAIL; exit 0 on PASS, 1 on FAIL, 2 when it cannot run.
# Environment: SSMPATH (default .build/release/ssmpath; build it with `make build`), COUNT,
# RSS_LIMIT_MIB, FLOOD (default /var/tmp/ssmpath-syn-flood-COUNT.pcap; never inside the repo).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SSMPATH=${SSMPATH:-$ROOT/.build/release/ssmpath}
COUNT=${COUNT:-1000000}
RSS_LIMIT_MIB=${RSS_LIMIT_MIB:-128}
FLOOD=${FLOOD:-/var/tmp/ssmpath-syn-flood-$COUNT.pcap}

[[ -x $SSMPATH ]] || { echo "syn-flood-check: no binary at $SSMPATH (run: make build)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "syn-flood-check: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

WORK=$(mktemp -d /var/tmp/ssmpath-syn-flood-check.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [[ ! -s $FLOOD ]]; then
    echo "syn-flood-check: writing $COUNT SYNs to $FLOOD" >&2
    python3 "$ROOT/scripts/bench/make-syn-flood.py" "$FLOOD.tmp" "$COUNT"
    mv "$FLOOD.tmp" "$FLOOD"
fi

status=0
/usr/bin/time -v "$SSMPATH" analyze --format json "$FLOOD" > "$WORK/report.json" 2> "$WORK/time.txt" || status=$?

python3 - "$WORK/report.json" "$WORK/time.txt" "$status" "$RSS_LIMIT_MIB" <<'PY'
import json, re, sys

report_path, time_path, status, limit_mib = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
timing = open(time_path).read()
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", timing).group(1)
problems = []
if status not in (0, 1):
    problems.append(f"ssmpath exited {status}: " + timing.strip().splitlines()[0] if timing.strip() else "")
try:
    report = json.load(open(report_path))
except ValueError:
    report = None
    problems.append("no JSON report on stdout")
counters = (report or {}).get("counters", {})
codes = [f.get("code") for f in (report or {}).get("findings", [])]
rss_mib = rss_kb / 1024
print(f"packets {sum(c.get('packets', 0) for c in (report or {}).get('captures', []))}, "
      f"flowsSeen {counters.get('flowsSeen')}, flowsEvictedAtLimit {counters.get('flowsEvictedAtLimit')}, "
      f"flowsNotRetained {counters.get('flowsNotRetained')}, retained flows in report {len((report or {}).get('flows', []))}")
print(f"peak RSS {rss_mib:.1f} MiB (limit {limit_mib:g}), wall {wall}, exit {status}, findings {codes}")
if rss_mib >= limit_mib:
    problems.append(f"peak RSS {rss_mib:.1f} MiB is not under {limit_mib:g} MiB")
if not (counters.get("flowsEvictedAtLimit", 0) > 0 or counters.get("flowsNotRetained", 0) > 0):
    problems.append("the flow limit hit is not counted")
if "limits-hit" not in codes:
    problems.append("no limits-hit finding")
print("FAIL: " + "; ".join(problems) if problems else "PASS")
sys.exit(1 if problems else 0)
PY
