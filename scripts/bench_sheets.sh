#!/usr/bin/env bash
# Benchmark of the "Overzicht verzekerden" workbook, sheets part only (no database):
# time and peak memory to write N rows and to read + validate them, next to Python openpyxl
# writing and reading the same workbook in the same run. Prints a markdown table.
#
#   scripts/bench_sheets.sh [ROWS]        (default 100000; needs python3 with openpyxl)
#
# Targets (issue 4): export >= 15x faster than openpyxl's write, parse >= 10x faster than
# openpyxl's read, parse <= 1 s and <= 64 MB.
set -euo pipefail

rows="${1:-100000}"
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -c 'import openpyxl' 2>/dev/null || {
    echo "openpyxl is missing: pip install openpyxl" >&2
    exit 1
}
cargo build --quiet --release -p ebdesk-sheets --example bench_sheets
bench=target/release/examples/bench_sheets

cat >"$work/openpyxl_bench.py" <<'PY'
"""The reference: what an employer's own script would do with openpyxl's defaults."""
import datetime as dt
import json
import sys

import openpyxl

DATE_COLUMNS = {8, 9, 10, 12}

if sys.argv[1] == "write":
    rows = json.load(open(sys.argv[2]))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Verzekerden"
    ws.append(["Contractnummer", "Categorie", "Werknemersnummer", "Rijksregisternummer", "Naam",
               "Voornaam", "Geslacht", "Taal", "Geboortedatum", "Datum in dienst",
               "Datum aansluiting", "Status", "Datum uittreding", "Zakelijk e-mailadres",
               "Privé e-mailadres gekend"])
    for r, row in enumerate(rows, start=2):
        values = [dt.date.fromisoformat(v) if i in DATE_COLUMNS and v else (v or None)
                  for i, v in enumerate(row)]
        ws.append(values)
        for i in DATE_COLUMNS:
            ws.cell(r, i + 1).number_format = "dd/mm/yyyy"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(sys.argv[3])
else:
    wb = openpyxl.load_workbook(sys.argv[2])
    ws = wb["Verzekerden"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    key, email = header.index("Rijksregisternummer"), header.index("Zakelijk e-mailadres")
    valid = sum(1 for r in rows[1:] if r[key] and (r[email] is None or "@" in r[email]))
    print(f"read {len(rows) - 1} rows, {valid} valid", file=sys.stderr)
PY

# Runs a command under /usr/bin/time -v; sets secs (wall clock), cpu (user + system) and mb
# (peak resident set). CPU time shows what wall time hides when other work shares the cores.
measure() {
    /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt"
    secs="$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$work/time.txt")"
    cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/time.txt")"
    mb="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time.txt")"
}

"$bench" rows-json "$rows" "$work/rows.json"

measure "$bench" write "$rows" "$work/ebdesk.xlsx"
rust_write_s=$secs rust_write_cpu=$cpu rust_write_mb=$mb
measure "$bench" read "$work/ebdesk.xlsx"
rust_read_s=$secs rust_read_cpu=$cpu rust_read_mb=$mb
measure python3 "$work/openpyxl_bench.py" write "$work/rows.json" "$work/openpyxl.xlsx"
py_write_s=$secs py_write_cpu=$cpu py_write_mb=$mb
measure python3 "$work/openpyxl_bench.py" read "$work/ebdesk.xlsx"
py_read_s=$secs py_read_cpu=$cpu py_read_mb=$mb

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.01; printf "%.1f", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN {
    ok = (dir == "min") ? v >= t : v <= t; print (ok ? "met" : "MISSED") }'; }
write_ratio="$(ratio "$py_write_s" "$rust_write_s")"
read_ratio="$(ratio "$py_read_s" "$rust_read_s")"
size_kb=$(( $(stat -c %s "$work/ebdesk.xlsx") / 1024 ))

cat <<EOF

Overzicht verzekerden, $rows rows x 15 columns ($size_kb KB), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%Y-%m-%d)

| step | ebdesk-sheets: wall, cpu, peak RSS | openpyxl: wall, cpu, peak RSS | openpyxl / ebdesk (wall) |
|---|---|---|---|
| write the workbook | ${rust_write_s} s, ${rust_write_cpu} s, ${rust_write_mb} MB | ${py_write_s} s, ${py_write_cpu} s, ${py_write_mb} MB | ${write_ratio}x |
| read + validate | ${rust_read_s} s, ${rust_read_cpu} s, ${rust_read_mb} MB | ${py_read_s} s, ${py_read_cpu} s, ${py_read_mb} MB | ${read_ratio}x |

| target | figure | |
|---|---|---|
| export >= 15x faster than openpyxl's write | ${write_ratio}x | $(verdict "$write_ratio" 15 min) |
| parse >= 10x faster than openpyxl's read | ${read_ratio}x | $(verdict "$read_ratio" 10 min) |
| parse <= 1 s | ${rust_read_s} s | $(verdict "$rust_read_s" 1 max) |
| parse <= 64 MB | ${rust_read_mb} MB | $(verdict "$rust_read_mb" 64 max) |
EOF
