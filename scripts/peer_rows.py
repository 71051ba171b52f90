"""The Django admin peer's figures (its bench.py results.json) as rows of bench.sh's table,
with ebdesk's same route as a multiple of each: the arguments after the file are ebdesk's
requests/s on the first list page, a common name searched, and page 200."""

import json
import sys

ROUTES = {
    "ping": ("/ping (trivial)", None),
    "changelist": ("changelist", 0),
    "search": ("search ?q=Peeters", 1),
    "page200": ("page 200", 2),
}

data = json.load(open(sys.argv[1]))
ours = [float(x) for x in sys.argv[2:5]]
for r in data["results"]:
    m = r["median"]
    name, index = ROUTES.get(r["target"], (r["target"], None))
    times = "-" if index is None else f"{ours[index] / m['rps']:.1f}x"
    print(f"| {name} | {m['rps']:.0f} | {m['p50_ms']:.1f} ms | {m['p99_ms']:.1f} ms | {times} |")
