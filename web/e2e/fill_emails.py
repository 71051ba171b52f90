#!/usr/bin/env python3
"""Fills in a downloaded "Overzicht verzekerden" the way a user's spreadsheet program would.

    python3 fill_emails.py IN.xlsx OUT.xlsx [DOMAIN]

Opens IN.xlsx with openpyxl, finds the columns by their header text in the sheet
"Verzekerden" (or the French "Assurés", the English "Insured": the workbook comes in its
requester's language; not by position), gives a business e-mail address to the first 3 employees
without one and puts the invalid value "geen-adres" on the row of a 4th, then saves the
workbook as OUT.xlsx. Only employees on exactly one row (one affiliation) are chosen, so each
filled row is one employee. Prints what it did as JSON on stdout:

    {"rows": data rows, "employees": distinct national numbers,
     "filled": [{"row", "national_number", "last_name", "first_name", "email"}, ...],
     "invalid": {"row", "national_number", "last_name", "first_name", "value"}}

Row numbers are the sheet's own (1-based, the header row included), as the preview shows them.
"""

import json
import sys
from collections import Counter

import openpyxl

# The sheet's name and headers in each language of the workbook (web/locales/*/sheets.ftl).
LANGUAGES = {
    "Verzekerden": {
        "email": "Zakelijk e-mailadres",
        "national_number": "Rijksregisternummer",
        "last_name": "Naam",
        "first_name": "Voornaam",
        "status": "Status",
        "active": "Actief",
    },
    "Assurés": {
        "email": "Adresse e-mail professionnelle",
        "national_number": "Numéro de registre national",
        "last_name": "Nom",
        "first_name": "Prénom",
        "status": "Statut",
        "active": "Actif",
    },
    "Insured": {
        "email": "Business e-mail address",
        "national_number": "National register number",
        "last_name": "Last name",
        "first_name": "First name",
        "status": "Status",
        "active": "Active",
    },
}
INVALID = "geen-adres"
HOW_MANY = 3


def text(value):
    return "" if value is None else str(value).strip()


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    source, target = argv[1], argv[2]
    domain = argv[3] if len(argv) == 4 else "peeters.test"

    workbook = openpyxl.load_workbook(source)
    found = [name for name in LANGUAGES if name in workbook.sheetnames]
    if not found:
        sys.exit(f"no sheet {sorted(LANGUAGES)!r} in {source}: {workbook.sheetnames}")
    SHEET = found[0]
    sheet = workbook[SHEET]
    headers = LANGUAGES[SHEET]
    EMAIL, NATIONAL_NUMBER = headers["email"], headers["national_number"]
    LAST_NAME, FIRST_NAME, STATUS = headers["last_name"], headers["first_name"], headers["status"]

    # The header row: the first row that names both the key and the e-mail column.
    header_row, columns = None, {}
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 20)):
        names = {text(c.value): c.column for c in row if text(c.value)}
        if NATIONAL_NUMBER in names and EMAIL in names:
            header_row, columns = row[0].row, names
            break
    if header_row is None:
        sys.exit(f"no header row with {NATIONAL_NUMBER!r} and {EMAIL!r} in sheet {SHEET!r}")
    for name in (EMAIL, NATIONAL_NUMBER, LAST_NAME, FIRST_NAME):
        if name not in columns:
            sys.exit(f"no column {name!r} in the header row {header_row}: {sorted(columns)}")

    def value(r, name):
        return text(sheet.cell(row=r, column=columns[name]).value)

    data_rows = [
        r
        for r in range(header_row + 1, sheet.max_row + 1)
        if value(r, NATIONAL_NUMBER)
    ]
    per_number = Counter(value(r, NATIONAL_NUMBER) for r in data_rows)
    # Names that occur once keep the employee search short; active employees first.
    per_name = Counter((value(r, LAST_NAME), value(r, FIRST_NAME)) for r in data_rows)
    candidates = [
        r
        for r in data_rows
        if not value(r, EMAIL) and per_number[value(r, NATIONAL_NUMBER)] == 1
    ]
    candidates.sort(
        key=lambda r: (
            per_name[(value(r, LAST_NAME), value(r, FIRST_NAME))] != 1,
            STATUS in columns and value(r, STATUS) != headers["active"],
            r,
        )
    )
    if len(candidates) < HOW_MANY + 1:
        sys.exit(f"only {len(candidates)} rows without an address, {HOW_MANY + 1} needed")

    def person(r):
        return {
            "row": r,
            "national_number": value(r, NATIONAL_NUMBER),
            "last_name": value(r, LAST_NAME),
            "first_name": value(r, FIRST_NAME),
        }

    filled = []
    for r in sorted(candidates[:HOW_MANY]):
        email = f"e2e.upload.rij{r}@{domain}"
        sheet.cell(row=r, column=columns[EMAIL]).value = email
        filled.append({**person(r), "email": email})
    bad = candidates[HOW_MANY]
    sheet.cell(row=bad, column=columns[EMAIL]).value = INVALID

    workbook.save(target)
    json.dump(
        {
            "rows": len(data_rows),
            "employees": len(per_number),
            "filled": filled,
            "invalid": {**person(bad), "value": INVALID},
            "sheet": SHEET,
        },
        sys.stdout,
        ensure_ascii=False,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
