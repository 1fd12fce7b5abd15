#!/usr/bin/env bash
# make demo: analyze every bundled capture in Captures/, print each verdict, and write a report per
# capture in every format (English and Japanese) into a folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

binary=${SSMPATH:-.build/release/ssmpath}
out=${DEMO_OUT:-reports}
shopt -s nullglob
captures=(Captures/*.pcap Captures/*.pcapng Captures/*.gz)
if [[ ${#captures[@]} -eq 0 ]]; then
    echo "demo: no captures in Captures/" >&2
    exit 1
fi
mkdir -p "$out"

for capture in "${captures[@]}"; do
    name=$(basename "$capture")
    name=${name%.gz}; name=${name%.pcapng}; name=${name%.pcap}
    # The verdict line, from the JSON report.
    "$binary" analyze --format json --output "$out/$name.json" "$capture" || [[ $? -eq 1 ]]
    verdict=$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["verdict"]; print(v["code"])' "$out/$name.json")
    printf '%-40s %s\n' "$name" "$verdict"
    for lang in en ja; do
        for format in text markdown html; do
            case $format in text) ext=txt ;; markdown) ext=md ;; html) ext=html ;; esac
            "$binary" analyze --format "$format" --lang "$lang" --no-color --output "$out/$name.$lang.$ext" "$capture" || [[ $? -eq 1 ]]
        done
    done
done

echo
echo "The star case, the AD-joined instance whose DNS returns public addresses:"
echo
"$binary" analyze --format text --no-color Captures/02-domain-joined-timeout.pcapng || true
echo
echo "demo: reports for ${#captures[@]} captures (text, Markdown, HTML, JSON; en and ja) are in $(pwd)/$out/"
