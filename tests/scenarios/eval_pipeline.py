"""The whole pipeline from the kiosks to the evaluation office and back.

Three kiosks at two sites answer surveys by script, one also runs a
Zukunftswerkstatt; they export several batches each — one kiosk encrypted to
the office, one batch re-exported, one held back (too few answers), one
kiosk cloned from a backup (a fork), one stranger never enrolled, one batch
tampered with. The office `init`s, `enrol`s the kiosks from what
`km2kiosk key` printed, and `receive`s: a wrong QR receipt is refused, the
first stick brings a gap, the tampered batch, the stranger, the fork and a
re-export standing in for a missing original; `status --json` shows exactly
those gaps, forks and quarantined batches; the second stick brings the
missing batches and the gaps close (the stand-in gives way to its original).
The merged dataset counts every exported response once and ReadStat reads
its SAV; the report renders in headless Chromium. Back at the kiosk, the
office's signed receipts are read from the stick and retention deletes only
what they acknowledged."""
import csv
import glob
import json
import os
import shutil
import sqlite3
import subprocess

import _path  # noqa: F401
import png
from kiosk import BIN, REPO, check, main, tmpdir
from ws_tour import ws_tour

EVAL = os.path.join(os.path.dirname(BIN) or "build", "km2eval")
FORMS = os.path.join(REPO, "tests", "fixtures", "forms", "export")
LOCALE = os.path.join(REPO, os.environ.get("KS_BUILD", "build"), "locale")


def sh(cmd, expect=0, what=None):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=REPO)
    check(expect is None or p.returncode == expect,
          f"{what or cmd[:3]}: exit {p.returncode}, expected {expect}\n{p.stdout[-3000:]}"
          f"\n{p.stderr[-3000:]}")
    return p


def lines(p):
    return [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]


def session(nr):
    s = ["touch start", "wait 1000", "touch lang:de", "wait 1000", "touch audience:probe",
         "wait 1000", "touch next"]
    for v in ("female", "12_13", "de"):
        s += ["wait 1000", f"touch choice:{v}", "wait 1000", "touch next"]
    s += ["wait 1000", f"touch key:{nr}", "wait 1000", "touch next"]
    s += ["wait 1000", "touch next"] * 8
    s += ["wait 10000"]
    return s


def fill(db, conf, n):
    script = []
    for i in range(n):
        script += session(i % 9 + 1)
    cmd = [BIN, "--headless", "--db", db, "--windowed", "800x480", "--script", "-",
           "--forms", FORMS, "--config", conf]
    p = subprocess.run(cmd, input="\n".join(script + ["quit"]) + "\n", capture_output=True,
                       text=True, timeout=600, cwd=REPO)
    check(p.returncode == 0, f"fill {db}: {p.stderr[-2000:]}")


class Kiosk:
    def __init__(self, d, name, site, **conf):
        self.dir = os.path.join(d, name)
        os.makedirs(self.dir)
        self.name, self.db = name, os.path.join(self.dir, "k.db")
        self.conf = os.path.join(self.dir, "kiosk.conf")
        with open(self.conf, "w") as f:
            f.write(f"kiosk_id = {name}\nsite_code = {site}\nexport_k = 5\n"
                    f"locale_dir = {LOCALE}\n")
            for k, v in conf.items():
                f.write(f"{k} = {v}\n")

    def fill(self, n):
        fill(self.db, self.conf, n)

    def export(self, stick, *extra, expect=0):
        os.makedirs(stick, exist_ok=True)
        p = sh([BIN, "export", "--db", self.db, "--to", stick, "--config", self.conf,
                "--forms", FORMS, *extra], expect=expect, what=f"export {self.name}")
        r = lines(p)[0]
        return r

    def key_file(self):
        p = sh([BIN, "key", "--db", self.db, "--config", self.conf], what="km2kiosk key")
        path = os.path.join(self.dir, "key.json")
        with open(path, "w") as f:
            f.write(p.stdout)
        return path


def eval_(*args, expect=0):
    return sh([EVAL, *args], expect=expect, what="km2eval " + args[0])


def move(batch_json, stick):
    """Moves an exported batch folder (with its QR files) onto another stick."""
    src = os.path.dirname(batch_json["path"])
    dst = os.path.join(stick, "KM2KIOSK")
    os.makedirs(dst, exist_ok=True)
    shutil.move(batch_json["path"], os.path.join(dst, batch_json["batch"]))
    for ext in ("-batch-qr.png", "-batch-qr.txt"):
        p = os.path.join(src, batch_json["batch"] + ext)
        if os.path.exists(p):
            shutil.move(p, os.path.join(dst, batch_json["batch"] + ext))


def by_batch(results):
    return {r["batch"]: r for r in results}


def scenario():
    d = tmpdir()
    office = os.path.join(d, "office")
    init = lines(eval_("init", office))[0]
    check(init["recipient"].startswith("age1") and init["office_key"].startswith("RW"), init)

    a = Kiosk(d, "NORD-A", "NORD", age_recipient=init["recipient"],
              eval_pubkey=init["office_key"], retention_days=1)
    b = Kiosk(d, "NORD-B", "NORD")
    c = Kiosk(d, "SUED-C", "SUED")
    x = Kiosk(d, "NORD-X", "NORD")   # never enrolled
    for k in (a, b, c):
        r = lines(eval_("enrol", office, "--key", k.key_file(), "--site",
                        "NORD" if k.name.startswith("NORD") else "SUED"))[0]
        check(r["outcome"] == "enrolled" and r["kiosk"] == k.name, r)
    # The same key again changes nothing; a different one needs --replace.
    r = lines(eval_("enrol", office, "--key", a.key_file()))[0]
    check(r["outcome"] == "already", r)
    r = lines(eval_("enrol", office, "--key", b.key_file(), "--kiosk", "NORD-A", expect=1))[0]
    check(r["outcome"] == "refused", r)

    work = os.path.join(d, "exports")
    # Kiosk A (encrypted): A1, A2, A3, a tampered A4, and 2 answers held back.
    a.fill(6)
    a1 = a.export(work)
    a.fill(5)
    a2 = a.export(work)
    a.fill(5)
    a3 = a.export(work)
    a.fill(5)
    a4 = a.export(work)
    a.fill(2)
    held = a.export(work, expect=3)
    check(held["outcome"] == "too_few" and held["held_back"] == 2, held)
    # Kiosk B: B1, then a copy of it restored from a backup exports too: a fork.
    b.fill(5)
    b1 = b.export(work)
    clone = Kiosk(d, "NORD-B-clone", "NORD")
    with open(clone.conf, "w") as f:
        f.write(open(b.conf).read())
    for suffix in ("", "-wal", "-shm", ".signkey"):
        if os.path.exists(b.db + suffix):
            shutil.copy(b.db + suffix, clone.db + suffix)
    b.fill(5)
    b2 = b.export(work)
    clone.fill(5)
    b2f = clone.export(work)
    # Kiosk C: a workshop and C1; C2 and its re-export.
    ws_tour(c.db, "800x480", "de", lambda k, dump, name: None, config=c.conf, forms=FORMS)
    c.fill(5)
    c1 = c.export(work)
    check(any(os.path.basename(p).startswith("workshop-")
              for p in os.listdir(os.path.join(c1["path"], "data"))), "C1 carries no workshop")
    c.fill(5)
    c2 = c.export(work)
    c2r = c.export(work, "--batch", c2["batch"])
    check(c2r["redo_of"] == c2["batch"], c2r)
    # A stranger, with its own .pub beside the batch (which must not count).
    x.fill(5)
    xb = x.export(work)

    # A wrong QR receipt: refused; the right one: taken in.
    stick_r = os.path.join(d, "stick-r")
    move(c1, stick_r)
    wrong = c1["qr"].replace(f"/R{c1['rows']}/", f"/R{c1['rows'] + 1}/")
    r = by_batch(lines(eval_("receive", office, stick_r, "--receipt", wrong, expect=1)))
    check(r[c1["batch"]]["outcome"] == "receipt_mismatch", r)
    r = by_batch(lines(eval_("receive", office, stick_r, "--receipt", c1["qr"])))
    check(r[c1["batch"]]["outcome"] == "received" and r[c1["batch"]]["rows"] == 5, r)

    # Stick 1: A2 and C2 missing; A4 tampered; the stranger; the fork; C2's re-export.
    stick1 = os.path.join(d, "stick-1")
    for batch in (a1, a3, a4, b1, b2, b2f, c2r, xb):
        move(batch, stick1)
    shutil.copytree(os.path.join(stick_r, "KM2KIOSK", c1["batch"]),
                    os.path.join(stick1, "KM2KIOSK", c1["batch"]))
    shutil.copy(os.path.join(os.path.dirname(xb["path"]), "NORD-X.pub"),
                os.path.join(stick1, "KM2KIOSK", "NORD-X.pub"))
    enc = glob.glob(os.path.join(stick1, "KM2KIOSK", a4["batch"], "data", "responses.csv.age"))
    check(enc, "A4 is not encrypted")
    with open(enc[0], "r+b") as f:
        f.seek(200)
        byte = f.read(1)
        f.seek(200)
        f.write(bytes([byte[0] ^ 0x01]))
    r = by_batch(lines(eval_("receive", office, stick1, expect=1)))
    outcome = {k: v["outcome"] for k, v in r.items()}
    check(outcome[a1["batch"]] == "received" and outcome[a3["batch"]] == "received", outcome)
    check(outcome[a4["batch"]] == "bad_manifest", outcome)
    check(outcome[b1["batch"]] == "received", outcome)
    fork_pair = sorted([outcome[b2["batch"]], outcome[b2f["batch"]]])
    check(fork_pair == ["fork", "received"], outcome)
    forked = b2["batch"] if outcome[b2["batch"]] == "fork" else b2f["batch"]
    kept_b2 = b2 if forked == b2f["batch"] else b2f
    check(outcome[c2r["batch"]] == "stands_in", outcome)
    check(outcome[xb["batch"]] == "unknown_key" and "km2eval enrol" in r[xb["batch"]]["enrol"],
          r[xb["batch"]])
    check(outcome[c1["batch"]] == "already", outcome)
    check(all(v["acked"] for v in r.values() if v["outcome"] in ("received", "already",
                                                                    "stands_in")), r)

    st = json.loads(eval_("status", office, "--json").stdout)["kiosks"]
    check(st["NORD-A"]["gaps"] == [a2["batch"]] and st["NORD-A"]["quarantined"] == 1,
          st["NORD-A"])
    check(st["NORD-A"]["rows"] == 11 and st["NORD-A"]["site"] == "NORD", st["NORD-A"])
    check(st["NORD-B"]["gaps"] == [] and st["NORD-B"]["forks"] == [forked] and
          st["NORD-B"]["quarantined"] == 1, st["NORD-B"])
    check(st["SUED-C"]["gaps"] == [] and st["SUED-C"]["stands_in"] == [c2["batch"]] and
          st["SUED-C"]["quarantined"] == 1, st["SUED-C"])   # the wrong receipt
    check(st["NORD-X"]["quarantined"] == 1 and st["NORD-X"]["batches"] == 0, st["NORD-X"])
    quarantine = glob.glob(os.path.join(office, "quarantine", "*", "*", "REASON.txt"))
    check(len(quarantine) == 4, f"quarantine: {quarantine}")

    # Stick 2: the missing batches arrive; the gap closes, C2 replaces its stand-in.
    stick2 = os.path.join(d, "stick-2")
    move(a2, stick2)
    move(c2, stick2)
    r = by_batch(lines(eval_("receive", office, stick2)))
    check(r[a2["batch"]]["outcome"] == "received" and r[c2["batch"]]["outcome"] == "received", r)
    st = json.loads(eval_("status", office, "--json").stdout)["kiosks"]
    check(st["NORD-A"]["gaps"] == [] and st["SUED-C"]["stands_in"] == [], st)
    # Receiving a stick again changes nothing.
    r = by_batch(lines(eval_("receive", office, stick2)))
    check(all(v["outcome"] == "already" for v in r.values()), r)

    # The dataset counts each exported response once.
    exported = sum(x["rows"] for x in (a1, a2, a3, b1, kept_b2, c1, c2))
    out = os.path.join(d, "dataset")
    ds = lines(eval_("dataset", office, "--form", "probe", "--to", out))[0]
    check(ds["rows"] == exported, f"dataset {ds['rows']} rows, exported {exported}")
    with open(os.path.join(out, "responses.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == exported and rows[0]["site"] in ("NORD", "SUED"), rows[:1])
    ids = [row["response_id"] for row in rows]
    check(len(set(ids)) == len(ids), "a response twice")
    check({row["batch"] for row in rows} == {x["batch"] for x in (a1, a2, a3, b1, kept_b2, c1, c2)},
          "batches in the dataset")
    conv = os.path.join(d, "from-sav.csv")
    p = sh(["readstat", os.path.join(out, "responses.sav"), conv], what="readstat")
    check(f"{exported} rows" in p.stdout + p.stderr, p.stdout + p.stderr)
    north = lines(eval_("dataset", office, "--form", "probe", "--to", out + "-nord", "--site",
                        "NORD"))[0]
    check(north["rows"] == sum(x["rows"] for x in (a1, a2, a3, b1, kept_b2)), north)
    check(ds["workshop_cards"] > 0, ds)

    # The report, rendered by a real browser.
    html = os.path.join(d, "bericht.html")
    rep = lines(eval_("report", office, "--to", html))[0]
    check(rep["forms"] == 1 and rep["rows"] == exported and rep["charts"] > 0, rep)
    text = open(html, encoding="utf-8").read()
    check("<script" not in text and "http://" not in text.replace(
        "http://www.w3.org/2000/svg", ""), "the report must be self-contained")
    check("Zukunftswerkstatt" in text and "weniger als 5" in text, "report sections")
    shot = os.path.join(d, "bericht.png")
    profile = os.path.join(d, "chromium")
    p = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", f"--screenshot={shot}",
                        "--window-size=1000,1400", "file://" + html],
                       capture_output=True, text=True, timeout=120)
    check(os.path.exists(shot), f"chromium wrote no screenshot: {p.stderr[-1500:]}")
    dark = png.ink(shot)
    check(dark > 0.01, f"the rendered report is blank ({dark:.4f} of pixels inked)")
    keep = os.path.join(REPO, os.environ.get("KS_BUILD", "build"), "screenshots", "eval")
    os.makedirs(keep, exist_ok=True)
    shutil.copy(shot, os.path.join(keep, "report.png"))

    # Back at kiosk A: the receipts on stick 1 acknowledge A1 and A3 only.
    r = a.export(stick1, expect=3)
    check(r["receipts"]["recorded"] == 2, r)
    con = sqlite3.connect(a.db)
    before = con.execute("SELECT count(*) FROM session").fetchone()[0]
    con.close()
    # The scripted sessions ran on a virtual clock ahead of the real one: the
    # kiosk starts in clock doubt (no retention then), so staff confirm the
    # clock first; two days later the daily run deletes.
    staff = ["press 5 5 3100"] + [f"touch pin:{c}" for c in "2468"] + ["touch pin:ok"]
    staff += [f"touch pin:{c}" for c in "2468"] + ["touch pin:ok"]
    staff += ["touch staff:clock", "touch clock:confirm", "touch staff:exit"]
    p = subprocess.run([BIN, "--headless", "--db", a.db, "--windowed", "800x480", "--script", "-",
                        "--forms", FORMS, "--config", a.conf],
                       input="\n".join(staff + ["wait 86400000", "wait 86400000", "quit"]) + "\n",
                       capture_output=True, text=True, timeout=300, cwd=REPO)
    check(p.returncode == 0, p.stderr[-2000:])
    con = sqlite3.connect(a.db)
    left = dict(con.execute("SELECT coalesce(batch_id, ''), count(*) FROM session"
                            " GROUP BY 1").fetchall())
    con.close()
    check(a1["batch"] not in left and a3["batch"] not in left,
          f"acknowledged sessions kept: {left}")
    check(left.get(a2["batch"]) == 5 and left.get(a4["batch"]) == 5 and left.get("") == 2,
          f"unacknowledged sessions must stay: {left} (before {before})")


if __name__ == "__main__":
    main(scenario)
