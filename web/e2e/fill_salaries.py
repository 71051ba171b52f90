#!/usr/bin/env python3
"""Fills in a downloaded "Invullijst salarissen" the way a user's spreadsheet program would.

    python3 fill_salaries.py IN.xlsx OUT.xlsx

Opens IN.xlsx with openpyxl, finds the sheet ("Salarissen 2027", "Salaires 2027" or
"Salaries 2027") and its columns by header text (not by position), and on every data row
types a new annual salary as text with a decimal comma and thousands points
("52.000,50"), and a work fraction: "80 %" on the first row, the number 1 on the others.
Saves OUT.xlsx and prints what it did as JSON on stdout:

    {"rows": data rows, "filled": [{"row", "affiliation", "cents", "fraction"}, ...]}

Row numbers are the sheet's own (1-based, the header row included), as the preview shows them.
"""

import json
import sys

import openpyxl

# The sheet's name prefix and headers in each language (web/locales/*/sheets.ftl).
LANGUAGES = {
    "Salarissen": {
        "key": "Aansluiting (niet wijzigen)",
        "salary": "Pensioengevend jaarloon (voltijds, €)",
        "fraction": "Arbeidsbreuk (0-1 of %)",
    },
    "Salaires": {
        "key": "Affiliation (ne pas modifier)",
        "salary": "Salaire annuel de référence (temps plein, €)",
        "fraction": "Fraction d'occupation (0-1 ou %)",
    },
    "Salaries": {
        "key": "Affiliation (do not change)",
        "salary": "Pensionable annual salary (full time, €)",
        "fraction": "Work fraction (0-1 or %)",
    },
}


def text(value):
    return "" if value is None else str(value).strip()


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    source, target = argv[1], argv[2]
    workbook = openpyxl.load_workbook(source)
    found = [
        (name, LANGUAGES[prefix])
        for name in workbook.sheetnames
        for prefix in LANGUAGES
        if name.startswith(prefix)
    ]
    if not found:
        sys.exit(f"no salary sheet in {source}: {workbook.sheetnames}")
    name, headers = found[0]
    sheet = workbook[name]
    columns = {text(c.value): c.column for c in sheet[1] if text(c.value)}
    for wanted in headers.values():
        if wanted not in columns:
            sys.exit(f"no column {wanted!r} in {name!r}: {sorted(columns)}")
    key, salary, fraction = (columns[headers[k]] for k in ("key", "salary", "fraction"))

    filled = []
    for r in range(2, sheet.max_row + 1):
        affiliation = text(sheet.cell(row=r, column=key).value)
        if not affiliation:
            continue
        euros = 52_000 + 10 * len(filled)
        typed = f"{euros:,}".replace(",", ".") + ",50"
        sheet.cell(row=r, column=salary).value = typed
        first = not filled
        sheet.cell(row=r, column=fraction).value = "80 %" if first else 1
        filled.append(
            {
                "row": r,
                "affiliation": int(float(affiliation)),
                "cents": euros * 100 + 50,
                "fraction": 8000 if first else 10000,
            }
        )
    workbook.save(target)
    json.dump({"rows": len(filled), "filled": filled}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
