#!/usr/bin/env python3
"""json-counters.py FILE REGEX [--all] — prints `path=value` for every numeric JSON field whose key
matches REGEX (case-insensitive) and whose value is > 0 (with --all: every matching numeric field).
Exit 0 when something was printed, 1 otherwise. Used by run.sh and live.sh so they do not depend on
the exact names the report writer chooses."""
import json
import re
import sys

def walk(node, path, pattern, show_all, out):
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            if isinstance(value, (int, float)) and not isinstance(value, bool) and pattern.search(key):
                if show_all or value > 0:
                    out.append(f"{child}={value}")
            else:
                walk(value, child, pattern, show_all, out)
    elif isinstance(node, list):
        for index, value in enumerate(node[:50]):  # counters live at the top, not in long lists
            walk(value, f"{path}[{index}]", pattern, show_all, out)

def main() -> int:
    text = open(sys.argv[1], encoding="utf-8").read()
    pattern = re.compile(sys.argv[2], re.IGNORECASE)
    show_all = "--all" in sys.argv[3:]
    out = []
    # A live run may print several JSON documents (status lines, then the report): take each line
    # that parses, else the whole text.
    documents = []
    try:
        documents.append(json.loads(text))
    except ValueError:
        for line in text.splitlines():
            try:
                documents.append(json.loads(line))
            except ValueError:
                pass
    for doc in documents:
        walk(doc, "", pattern, show_all, out)
    print(" ".join(dict.fromkeys(out)))
    return 0 if out else 1

if __name__ == "__main__":
    sys.exit(main())
