"""`km2kiosk export` end to end: scripted sessions on the probe form, then a
batch on a stand-in stick, checked with standard tools only — sha256sum -c
on both manifests, minisign -V with the exported public key, zbarimg on the
QR receipt, readstat converting responses.sav back to the CSV's rows,
Python's csv and json modules on every file, a k-anonymity recount over the
declared quasi-identifiers and the survey language, site_code in every row,
the ledger in SQLite, a second export finding nothing new, a re-export by
batch id (once with export_qi_lang = no), and a batch encrypted to an age
recipient that `age -d` decrypts."""
import base64
import csv
import glob
import hashlib
import json
import os
import sqlite3
import subprocess

import _path  # noqa: F401
from kiosk import BIN, EXPORT_FORMS, REPO, check, main, probe_session, run, sh, tmpdir

FORMS = EXPORT_FORMS
LOCALE = os.path.join(REPO, os.path.dirname(BIN), "locale")
K = 5
SITE = "HH-Nord_2"
FIXED = ["response_id", "form", "form_version", "site_code", "lang", "audience", "period",
         "clock_doubt"]
# (geschlecht, alter, sprachen, nr): 6 + 5 alike, and one on its own whose
# quasi-identifiers must be suppressed.
PROFILES = [("female", "12_13", "de", "4")] * 6 + [("male", "14_15", "tr", "7")] * 5 + \
           [("diverse", "10_11", "ar", "8")]



def fill(db, profiles):
    lines = []
    for p in profiles:
        lines += probe_session(*p)
    run("\n".join(lines + ["quit"]) + "\n", db, extra=("--forms", FORMS), timeout=300)


def export(db, stick, config, *extra, expect=0):
    cmd = [BIN, "export", "--db", db, "--to", stick, "--config", config, "--forms", FORMS,
           *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=REPO)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    check(len(lines) == 1, f"one JSON line, got {p.stdout!r}\n{p.stderr[-2000:]}")
    r = json.loads(lines[0])
    check(p.returncode == expect,
          f"exit {p.returncode}, expected {expect}: {r}\n{p.stderr[-2000:]}")
    return r



def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_every_file(bag):
    for path in glob.glob(os.path.join(bag, "**", "*"), recursive=True):
        if os.path.isdir(path):
            continue
        name = os.path.basename(path)
        check(name == name.encode("ascii", "ignore").decode() and
              not any(c in name for c in ':*?"<>|\\'), f"FAT-safe name {name}")
        if path.endswith(".csv"):
            with open(path, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            check(rows and all(len(r) == len(rows[0]) for r in rows), f"{name}: rectangular")
        elif path.endswith(".json"):
            with open(path, encoding="utf-8") as f:
                json.load(f)
        elif path.endswith((".txt", ".md", ".minisig")):
            with open(path, encoding="utf-8") as f:
                f.read()


def same_as_sav(bag, work):
    """readstat's CSV of responses.sav holds the same rows as responses.csv:
    categories by their SPSS codes (datapackage.json, spssCodes), numbers as
    numbers, strings as they are, an empty cell for a missing value."""
    out = os.path.join(work, "sav.csv")
    if os.path.exists(out):
        os.unlink(out)
    sh(["readstat", os.path.join(bag, "data", "responses.sav"), out], work, "readstat")
    sav, txt = read_csv(out), read_csv(os.path.join(bag, "data", "responses.csv"))
    with open(os.path.join(bag, "data", "datapackage.json"), encoding="utf-8") as f:
        pkg = json.load(f)
    fields = {fd["name"]: fd for r in pkg["resources"] if r["name"] == "responses"
              for fd in r["schema"]["fields"]}
    check(len(sav) == len(txt), f"sav rows {len(sav)} != csv rows {len(txt)}")
    check(list(sav[0].keys()) == list(txt[0].keys()), "same columns in the same order")
    for a, b in zip(sav, txt):
        for col, v in b.items():
            s = a[col]
            fd = fields.get(col, {})
            if v == "":
                check(s.strip() in ("", "."), f"{col}: missing in csv, {s!r} in sav")
            elif "spssCodes" in fd:
                check(float(s) == float(fd["spssCodes"][v]), f"{col}: {v} coded as {s}")
            elif fd.get("type") in ("integer", "number", "boolean"):
                check(float(s) == float(v), f"{col}: {v} != {s}")
            else:
                check(s == v, f"{col}: {v!r} != {s!r}")
    return txt, fields


def k_anonymous(rows, fields, k):
    """Every combination of quasi-identifier values that occurs fewer than k
    times within a form has no value left (local suppression)."""
    qi = [n for n, fd in fields.items() if fd.get("quasiIdentifier")]
    check(qi, "the probe form declares quasi-identifiers")
    for form in {r["form"] for r in rows}:
        cols = [c for c in qi if form in [x.strip() for x in
                                          fields[c].get("forms", form).split(",")]]
        groups = {}
        for r in rows:
            if r["form"] == form:
                key = tuple(r[c] for c in cols)
                groups[key] = groups.get(key, 0) + 1
        for key, n in groups.items():
            check(n >= k or all(v == "" or v == "0" for v in key),
                  f"{form}: group {dict(zip(cols, key))} has {n} < {k} records")
    return qi


def check_privacy(bag, rows, fields, qi_lang):
    """The batch columns come first, site_code is the kiosk's in every row
    and no quasi-identifier; lang is one exactly when export_qi_lang says
    so, in datapackage.json, the disclosure report and the codebook."""
    check(list(rows[0].keys())[:len(FIXED)] == FIXED, f"batch columns {list(rows[0].keys())}")
    check(all(x["site_code"] == SITE for x in rows), "site_code in every row")
    check(not fields["site_code"].get("quasiIdentifier"), "site_code is no quasi-identifier")
    check(bool(fields["lang"].get("quasiIdentifier")) == qi_lang,
          f"lang quasiIdentifier {fields['lang']}")
    with open(os.path.join(bag, "data", "disclosure-report.json"), encoding="utf-8") as f:
        rep = json.load(f)
    for form in rep["forms"]:
        check(("lang" in form["quasi_identifiers"]) == qi_lang,
              f"disclosure report quasi-identifiers {form['quasi_identifiers']}")
        check(("lang" in form["suppressed"]) == qi_lang, "disclosure report: lang suppressed")
    with open(os.path.join(bag, "data", "codebook.md"), encoding="utf-8") as f:
        book = f.read()
    check(("die Spalte `lang` als Quasi-Identifikator" in book) == qi_lang, "codebook: lang")
    check("| `site_code` |" in book, "codebook: site_code")


def check_bag(stick, r, kiosk_id, work, encrypted=False):
    top = os.path.join(stick, "KM2KIOSK")
    bag = os.path.join(top, r["batch"])
    check(r["path"] == bag, f"path {r['path']}")
    check(not [n for n in os.listdir(top) if n.startswith("_PARTIAL_")], "no leftovers")
    sh(["sha256sum", "--quiet", "-c", "manifest-sha256.txt"], bag, "sha256sum manifest")
    sh(["sha256sum", "--quiet", "-c", "tagmanifest-sha256.txt"], bag, "sha256sum tagmanifest")
    pub = os.path.join(top, f"{kiosk_id}.pub")
    sh(["minisign", "-Vm", "tagmanifest-sha256.txt", "-p", pub], bag, "minisign -V")
    with open(os.path.join(bag, "tagmanifest-sha256.txt"), "rb") as f:
        tag = hashlib.sha256(f.read()).digest()
    check(r["tag_sha256"] == tag.hex(), "tag hash reported")
    png = os.path.join(top, f"{r['batch']}-batch-qr.png")
    with open(os.path.join(top, f"{r['batch']}-batch-qr.txt"), encoding="ascii") as f:
        txt = f.read().strip()
    scanned = sh(["zbarimg", "--raw", "-q", png], work, "zbarimg").strip()
    check(scanned == txt == r["qr"], f"QR {scanned!r} / txt {txt!r} / json {r['qr']!r}")
    b32 = base64.b32encode(tag).decode().rstrip("=")
    check(f"/T{b32}/" in txt and txt == txt.upper() and f"/R{r['rows']}/" in txt,
          f"QR carries rows and the tag hash: {txt}")
    info = open(os.path.join(bag, "bag-info.txt"), encoding="utf-8").read()
    check(r["batch"] in info and r["key_id"] in info, "bag-info names batch and key")
    if not encrypted:
        check_every_file(bag)
    return bag, info


def ledger(db):
    con = sqlite3.connect(db)
    marked = dict(con.execute(
        "SELECT coalesce(batch_id, ''), count(*) FROM session GROUP BY 1").fetchall())
    batches = [r[0] for r in con.execute("SELECT id FROM batch ORDER BY created_at, id")]
    con.close()
    return marked, batches


def scenario():
    d = tmpdir()
    db, stick, work = f"{d}/kiosk.db", f"{d}/stick", f"{d}/work"
    os.makedirs(stick)
    os.makedirs(work)
    config = f"{d}/kiosk.conf"
    with open(config, "w") as f:
        f.write(f"kiosk_id = Foyer-1\nsite_code = {SITE}\nexport_k = {K}\n"
                f"locale_dir = {LOCALE}\n")
    fill(db, PROFILES)

    r = export(db, stick, config)
    check(r["outcome"] == "done" and r["rows"] == len(PROFILES), f"first export: {r}")
    check(r["batch"].startswith("FOYER-1-") and r["batch"] == r["batch"].upper(), r["batch"])
    check(r["message"] == f"Export fertig: 12 Antworten in KM2KIOSK/{r['batch']}. "
          "Der Stick kann jetzt ausgeworfen werden.", r["message"])
    check(r["cause"] == "none", f"cause {r['cause']}")
    bag, info = check_bag(stick, r, "Foyer-1", work)
    check("KM2-Previous-Batch-Id: none" in info or "Previous" in info, "previous batch field")
    rows, fields = same_as_sav(bag, work)
    check_privacy(bag, rows, fields, qi_lang=True)
    qi = k_anonymous(rows, fields, K)
    check("lang" in qi, f"lang among the quasi-identifiers {qi}")
    lone = [x for x in rows if all(x[c] in ("", "0") for c in qi)]
    check(len(lone) >= 1, "the lone profile's quasi-identifiers were suppressed")
    check(sorted(x["nr"] for x in rows) == sorted(p[3] for p in PROFILES),
          "a non-identifying answer is kept for every response")
    check(not os.path.exists(f"{d}/export-work"), "the work folder is removed")
    marked, batches = ledger(db)
    check(marked == {r["batch"]: len(PROFILES)}, f"all sessions marked: {marked}")
    check(batches == [r["batch"]], f"ledger {batches}")

    # Nothing new: no second batch, nothing changes; said in the staff
    # language.
    english = f"{d}/kiosk-en.conf"
    with open(english, "w") as f:
        f.write(f"kiosk_id = Foyer-1\nsite_code = {SITE}\nexport_k = {K}\n"
                f"locale_dir = {LOCALE}\nstaff_language = en\n")
    r2 = export(db, stick, english, expect=3)
    check(r2["outcome"] == "nothing" and
          r2["message"] == "There are no new responses to export.", f"second export: {r2}")
    check(len([n for n in os.listdir(f"{stick}/KM2KIOSK") if os.path.isdir(
        f"{stick}/KM2KIOSK/{n}")]) == 1, "still one bag")

    # A re-export: the same responses again under a new id, marked as such.
    r3 = export(db, stick, config, "--batch", r["batch"])
    check(r3["outcome"] == "done" and r3["batch"].startswith(r["batch"] + "-R") and
          r3["rows"] == r["rows"] and r3.get("redo_of") == r["batch"], f"re-export: {r3}")
    bag3, info3 = check_bag(stick, r3, "Foyer-1", work)
    check(f"KM2-Previous-Batch-Id: {r['batch']}" in info3, "the chain names the first batch")
    rows3, fields3 = same_as_sav(bag3, work)
    check_privacy(bag3, rows3, fields3, qi_lang=True)
    marked, batches = ledger(db)
    check(marked == {r["batch"]: len(PROFILES)}, f"nothing marked again: {marked}")
    # A re-export of the re-export repeats the original batch.
    # ... here with export_qi_lang = no: lang is no quasi-identifier.
    no_lang = f"{d}/kiosk-no-lang.conf"
    with open(no_lang, "w") as f:
        f.write(f"kiosk_id = Foyer-1\nsite_code = {SITE}\nexport_k = {K}\n"
                f"locale_dir = {LOCALE}\nexport_qi_lang = no\n")
    r3b = export(db, stick, no_lang, "--batch", r3["batch"])
    check(r3b["batch"].startswith(r["batch"] + "-R") and len(r3b["batch"]) == len(r3["batch"])
          and r3b["redo_of"] == r3["batch"] and r3b["rows"] == r["rows"], f"re-re-export: {r3b}")
    bag3b, _ = check_bag(stick, r3b, "Foyer-1", work)
    rows3b, fields3b = same_as_sav(bag3b, work)
    check_privacy(bag3b, rows3b, fields3b, qi_lang=False)
    check(all(x["lang"] == "de" for x in rows3b), "every language kept")
    r4 = export(db, stick, config, "--batch", "NO-SUCH-BATCH", expect=1)
    check(r4["outcome"] == "failed" and r4["cause"] == "no_such_batch" and
          r4["message"] == "Einen Export mit der Nummer NO-SUCH-BATCH gibt es nicht.",
          f"unknown batch {r4}")

    # Too few: two new responses are held back.
    fill(db, PROFILES[:2])
    r5 = export(db, stick, config, expect=3)
    check(r5["outcome"] == "too_few" and r5["held_back"] == 2 and
          r5["message"].startswith("Noch zu wenige Antworten"), f"held back: {r5}")

    # Encrypted to the evaluation team: age -d with their identity.
    ident = f"{d}/team.key"
    out = sh(["age-keygen", "-o", ident], d, "age-keygen") + open(ident).read()
    recipient = [w for w in out.split() if w.startswith("age1")][0]
    with open(config, "a") as f:
        f.write(f"age_recipient = {recipient}\n")
    fill(db, PROFILES[:4])
    r6 = export(db, stick, config)
    check(r6["outcome"] == "done" and r6["rows"] == 6, f"encrypted export: {r6}")
    bag6, info6 = check_bag(stick, r6, "Foyer-1", work, encrypted=True)
    enc = glob.glob(os.path.join(bag6, "data", "*.age"))
    check(enc and not os.path.exists(os.path.join(bag6, "data", "responses.csv")),
          f"data files encrypted: {os.listdir(os.path.join(bag6, 'data'))}")
    plain = sh(["age", "-d", "-i", ident, os.path.join(bag6, "data", "responses.csv.age")], d,
               "age -d")
    rows6 = list(csv.DictReader(plain.splitlines()))
    check(len(rows6) == 6, f"6 decrypted rows, got {len(rows6)}")
    check(f"KM2-Previous-Batch-Id: {r3b['batch']}" in info6, "chain continues")

    # A stick pulled before the export: a clear message, nothing marked.
    fill(db, PROFILES[:5])
    marked_before, batches_before = ledger(db)
    r7 = export(db, f"{d}/pulled", config, expect=1)
    check(r7["outcome"] == "stick_gone" and r7["cause"] == "stick_gone" and
          "entfernt" in r7["message"], f"pulled: {r7}")
    check(ledger(db) == (marked_before, batches_before), "nothing marked after a failure")
    r8 = export(db, stick, config)
    check(r8["outcome"] == "done" and r8["rows"] == 5, f"after the failure: {r8}")


main(scenario)
