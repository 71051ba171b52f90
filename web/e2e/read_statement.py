#!/usr/bin/env python3
"""Reads a downloaded "Premiebordereel" workbook as a user's spreadsheet program would.

    python3 read_statement.py STATEMENT.xlsx

Finds the columns by their Dutch headers (web/locales/nl/sheets.ftl) and prints the lines
(not the subtotal and total rows) as JSON on stdout:

    [{"month": "11/2026", "name": "…", "salary": 52000.5, "fraction": 0.8, "days": 30,
      "premium": 216.67, "reason": "25" or ""}, ...]
"""

import json
import sys

import openpyxl

HEADERS = {
    "month": "Maand",
    "name": "Naam",
    "salary": "Pensioengevend jaarloon",
    "fraction": "Arbeidsbreuk",
    "days": "Dagen",
    "premium": "Premie",
    "reason": "Redencode",
}


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    sheet = openpyxl.load_workbook(argv[1], read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(v or "").strip() for v in next(rows)]
    missing = [h for h in HEADERS.values() if h not in header]
    if missing:
        sys.exit(f"no columns {missing} in {header}")
    at = {key: header.index(title) for key, title in HEADERS.items()}
    lines = []
    for row in rows:
        if not row[at["month"]]:
            continue  # a subtotal, the total (label in the name column) or a blank row
        line = {key: row[i] for key, i in at.items()}
        line["reason"] = line["reason"] or ""
        lines.append(line)
    json.dump(lines, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
