#!/usr/bin/env python3
"""Turns an XLSForm CSV folder into the .xlsx workbook a spreadsheet user
would have written, for the test that both load to the same model.

    python3 tests/tools/csv_to_xlsx.py FORM_DIR OUT.xlsx

Text goes into shared strings (every third one as an inline string, as some
tools write), whole numbers become number cells, empty cells are left out,
the sheets come in the order choices, notes, survey, settings (with an extra
sheet the kiosk must ignore). python3 standard library only.
"""
import csv
import os
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_xlsx  # noqa: E402


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_rows(path, sst, index):
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for r, row in enumerate(csv.reader(f), 1):
            cells = []
            for c, text in enumerate(row):
                if text == "":
                    continue
                ref = f"{col_name(c)}{r}"
                if text.isdigit() and not text.startswith("0"):
                    cells.append((ref, None, text))
                elif len(sst) % 3 == 2:
                    sst.append(None)  # keep the rhythm; this one is inline
                    cells.append((ref, "inlineStr",
                                  f'<t xml:space="preserve">{escape(text)}</t>'))
                else:
                    if text not in index:
                        index[text] = len([s for s in sst if s is not None])
                        sst.append(f'<t xml:space="preserve">{escape(text)}</t>')
                    else:
                        sst.append(None)
                    cells.append((ref, "s", str(index[text])))
            rows.append((r, cells))
    return rows


def main():
    form_dir, out = sys.argv[1], sys.argv[2]
    sst, index = [], {}
    sheets = []
    for name in ("choices", "survey", "settings"):
        path = os.path.join(form_dir, name + ".csv")
        if os.path.exists(path):
            sheets.append((name, sheet_rows(path, sst, index)))
        if name == "choices":
            sheets.append(("notes", [(1, [("A1", "inlineStr", "<t>not part of the form</t>")])]))
    make_xlsx.workbook(out, sheets, sst=[s for s in sst if s is not None])


if __name__ == "__main__":
    main()
