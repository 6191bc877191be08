#!/usr/bin/env python3
"""Writes the small .xlsx fixtures of tests/unit/test_xlsx.c into
tests/fixtures/xlsx/ (python3 standard library only).

    python3 tests/tools/make_xlsx.py [OUTDIR]

Each workbook is the minimum Excel needs: [Content_Types].xml, _rels/.rels,
xl/workbook.xml, its relationships, optional shared strings and the sheets.
A sheet is a list of rows; a row is (row_number or None, [cell, ...]) and a
cell is (ref or None, type or None, payload) where payload is the <v> text,
or for inline strings the inner XML of <is>. The hostile fixtures are built
from the same pieces and then broken on purpose.
"""
import os
import sys
import zipfile
from xml.sax.saxutils import escape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PNS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def sheet_xml(rows):
    out = [DECL, f'<worksheet xmlns="{NS}" xmlns:r="{RNS}"><sheetData>']
    for number, cells in rows:
        out.append(f'<row r="{number}">' if number else "<row>")
        for ref, typ, payload in cells:
            attrs = (f' r="{ref}"' if ref else "") + (f' t="{typ}"' if typ else "")
            if typ == "inlineStr":
                out.append(f"<c{attrs}><is>{payload}</is></c>")
            elif payload is None:
                out.append(f"<c{attrs}/>")
            else:
                out.append(f"<c{attrs}><v>{escape(payload)}</v></c>")
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def sst_xml(items):
    """items: inner XML of each <si>."""
    body = "".join(f"<si>{i}</si>" for i in items)
    return f'{DECL}<sst xmlns="{NS}" count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>'


def workbook(path, sheets, sst=None, targets=None, extra=None, absolute=False,
             method=zipfile.ZIP_DEFLATED):
    """sheets: list of (name, rows); sst: list of <si> inner XML or None;
    targets: override of each sheet's relationship target; extra: more
    (archive name, bytes) entries."""
    ct = [DECL, '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    wb = [DECL, f'<workbook xmlns="{NS}" xmlns:r="{RNS}"><sheets>']
    rels = [DECL, f'<Relationships xmlns="{PNS}">']
    files = []
    for i, (name, rows) in enumerate(sheets, 1):
        wb.append(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>')
        target = f"worksheets/sheet{i}.xml"
        if targets and targets[i - 1]:
            target = targets[i - 1]
        elif absolute:
            target = "/xl/" + target
        rels.append(f'<Relationship Id="rId{i}" Type="{RNS}/worksheet" Target="{target}"/>')
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        files.append((f"xl/worksheets/sheet{i}.xml", sheet_xml(rows)))
    if sst is not None:
        rels.append(f'<Relationship Id="rIdS" Type="{RNS}/sharedStrings" Target="sharedStrings.xml"/>')
        files.append(("xl/sharedStrings.xml", sst_xml(sst)))
    wb.append("</sheets></workbook>")
    rels.append("</Relationships>")
    ct.append("</Types>")
    top = (f'{DECL}<Relationships xmlns="{PNS}"><Relationship Id="rId1" '
           f'Type="{RNS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    parts = [("[Content_Types].xml", "".join(ct)), ("_rels/.rels", top),
             ("xl/workbook.xml", "".join(wb)), ("xl/_rels/workbook.xml.rels", "".join(rels))]
    with zipfile.ZipFile(path, "w", method) as z:
        for name, text in parts + files + (extra or []):
            # A fixed date keeps the files byte-identical from run to run.
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), text, compress_type=method)


def set_encrypted(path):
    """Sets the 'encrypted' flag of every entry, as a password-zip has."""
    data = bytearray(open(path, "rb").read())
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.find(sig)
        while i >= 0:
            data[i + off] |= 1
            i = data.find(sig, i + 4)
    open(path, "wb").write(bytes(data))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/xlsx"
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)

    # Every kind of cell, the sheet order, gaps and missing references.
    survey = [
        (1, [("A1", "s", "0"), ("B1", "s", "1"), ("C1", "s", "2")]),
        (2, [("A2", "inlineStr", "<t>text</t>"), ("B2", "inlineStr", "<t xml:space=\"preserve\"> q1 &amp; </t>"),
             ("C2", "s", "3")]),
        # row 3 missing; row 5 has an empty cell first
        (4, [("A4", None, "42"), ("B4", "n", "1.0E+1"), ("C4", None, "0.30000000000000004"),
             ("D4", None, "3.25"), ("E4", "b", "1"), ("F4", "b", "0"), ("G4", "e", "#DIV/0!"),
             ("H4", "str", "formula text")]),
        (5, [("A5", None, None), ("C5", "s", "4")]),
        (7, [(None, "inlineStr", "<t>a7</t>"), (None, "inlineStr", "<t>b7</t>"),
             ("E7", "inlineStr", "<t>e7</t>"), (None, "inlineStr", "<t>f7</t>")]),
        (None, [(None, "inlineStr", "<t>a8</t>")]),
        (9, [("B9", "inlineStr", "<r><t>rich </t></r><r><rPr><b/></rPr><t>run</t></r>"
              "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh>")]),
    ]
    choices = [(1, [("A1", "s", "0"), ("B1", "s", "1")]), (2, [("A2", "inlineStr", "<t>yn</t>"),
                                                                ("B2", "inlineStr", "<t>ja</t>")])]
    sst = ["<t>type</t>", "<t>name</t>", "<t>label::Deutsch (de)</t>",
           "<r><t>Grü</t></r><r><rPr><i/></rPr><t>ße</t></r><rPh sb=\"0\" eb=\"1\"><t>X</t></rPh>",
           "<t>&lt;b&gt; &#x263A;</t>"]
    sheets = [("survey", survey), ("choices", choices),
              ("Settings", [(1, [("A1", "inlineStr", "<t>form_title</t>")])]), ("notes", [])]
    workbook(p("cells.xlsx"), sheets, sst=sst)
    # The same uncompressed: lets a fuzzer mutate the XML directly.
    workbook(p("cells-stored.xlsx"), sheets, sst=sst, method=zipfile.ZIP_STORED)

    # Targets written absolute, no shared strings, sheets in another order.
    workbook(p("absolute.xlsx"), [("settings", [(1, [("A1", "inlineStr", "<t>form_id</t>")])]),
                                  ("survey", [(3, [("C3", None, "7")])])], absolute=True)

    # Hostile or broken workbooks.
    one = [("survey", [(1, [("A1", "inlineStr", "<t>x</t>")])])]
    workbook(p("traversal.xlsx"), one, extra=[("../../evil", "x")])
    workbook(p("backslash.xlsx"), one, extra=[("xl\\evil.xml", "x")])
    workbook(p("escape-target.xlsx"), one, targets=["../../etc/passwd"])
    workbook(p("sst-range.xlsx"), [("survey", [(1, [("A1", "s", "5")])])], sst=["<t>only</t>"])
    deep = "<x>" * 100 + "</x>" * 100
    workbook(p("deep.xlsx"), [("survey", [(1, [("A1", "inlineStr", "<t>x</t>" + deep)])])])
    workbook(p("bad-ref.xlsx"), [("survey", [(1, [("XFE1", "inlineStr", "<t>x</t>")])])])
    laughs = (DECL + '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
              '&lol2;</t></is></c></row></sheetData></worksheet>')
    workbook(p("doctype.xlsx"), [("survey", [])], targets=["worksheets/laughs.xml"],
             extra=[("xl/worksheets/laughs.xml", laughs)])
    workbook(p("encrypted.xlsx"), one)
    set_encrypted(p("encrypted.xlsx"))
    workbook(p("broken-xml.xlsx"), [("survey", [])], targets=["worksheets/bad.xml"],
             extra=[("xl/worksheets/bad.xml", DECL + "<worksheet><sheetData><row></sheetData>")])
    with open(p("not-a-workbook.xlsx"), "w") as f:
        f.write("type,name,label\ntext,q1,Question\n")
    with zipfile.ZipFile(p("not-excel.xlsx"), "w") as z:
        for name, text in (("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                           ("content.xml", "<office:document-content/>")):
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), text)


if __name__ == "__main__":
    main()
