"""The Django admin peer's figures (its bench.py results.json) as rows of bench.sh's table,
with ebdesk's first list page (requests/s, the second argument) as a multiple of each."""

import json
import sys

NAMES = {
    "ping": "/ping (trivial)",
    "changelist": "changelist",
    "search": "search ?q=Peeters",
    "page200": "page 200",
}

data = json.load(open(sys.argv[1]))
ours = float(sys.argv[2])
for r in data["results"]:
    m = r["median"]
    times = "-" if r["target"] == "ping" else f"{ours / m['rps']:.1f}x"
    print(
        f"| {NAMES.get(r['target'], r['target'])} | {m['rps']:.0f} | {m['p50_ms']:.1f} ms "
        f"| {m['p99_ms']:.1f} ms | {times} |"
    )
