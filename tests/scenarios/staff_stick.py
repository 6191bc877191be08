"""Staff mode and a (faked) USB stick, headless through the real SDL UI: a
config whose usb_mounts names a fixture mount table lets the test "plug in"
a temp folder below usb_root. The export page notices the stick within a
second; `export:start` runs the export beside the UI (the page shows its
progress bar at once, a second tap is refused, leaving staff mode waits)
and writes a batch whose on-screen QR receipt zbarimg
reads back as the batch's -batch-qr.txt (carrying the base32 SHA-256 of the
tag manifest); sha256sum -c and minisign -V check what the screen export
wrote; `export:eject` takes the stick away; a form on the stick is checked
(its problems shown as `check` prints them) and a good one imported into
forms_dir, offered at once and after a restart. Layout at three sizes."""
import base64
import hashlib
import os
import shutil
import sqlite3
import struct
import subprocess

import _path  # noqa: F401
from kiosk import (BIN, EXPORT_FORMS, REPO, check, main, pin_lines, probe_session, run, sh, staff,
                    target, tmpdir)
from stick import Stick
from tour import SIZES, Kiosk, layout_problems, panel_for

FORMS = EXPORT_FORMS
LOCALE = os.path.join(REPO, os.path.dirname(BIN), "locale")
KINDER = os.path.join(REPO, "tests", "fixtures", "forms", "sample", "kinder")
PIN = "2468"
KIOSK_ID = "foyer"







def export_finishes(k, size, what, problems=None):
    """Right after the tap the page shows the export running (a progress
    bar, the phase); a `wait` gives the export on its thread real time, and
    then the page shows the result."""
    dump = k.dump()
    check(dump["screen"] == "staff_export" and dump.get("progress", [0, 0])[1] == 1000
          and "Export läuft" in dump["message"], f"{size} {what}: not running: {dump}")
    if problems is not None:
        problems += layout_problems(dump, size, f"{size} staff_export running")
    k.do("wait 60000")
    dump = k.dump()
    check("progress" not in dump, f"{size} {what}: still running after a minute: {dump}")
    return dump


def export_with_qr(d, db, size, shots, problems):
    """Exports from the staff screen at one size; checks the screen's QR."""
    stick = Stick(d, size)
    conf = stick.config(f"stick-{size}.conf", size, kiosk_id=KIOSK_ID, locale_dir=LOCALE,
                        forms_dir=os.path.join(d, f"imported-{size}"))
    k = Kiosk(db, size, FORMS, conf)
    staff(k, PIN)
    k.do("touch staff:export")
    dump = k.dump()
    check(dump["screen"] == "staff_export", f"{size}: {dump['screen']}")
    check("Kein USB-Stick" in dump["message"], f"{size}: no stick: {dump['message']}")
    check("export:eject" not in [t["id"] for t in dump["targets"]], "eject without a stick")
    # Plugged in: noticed within about a second, with mount point and free space.
    stick.plug()
    k.do("wait 1200")
    dump = k.dump()
    check(stick.mount in dump["message"] and "frei" in dump["message"],
          f"{size}: the stick was not noticed: {dump['message']}")
    target(dump, "export:eject")
    problems += layout_problems(dump, size, f"{size} staff_export stick")
    k.do("touch export:start")
    # Running: a second tap is refused with a word, leaving staff mode
    # waits (the page says why); the screenshot shows the bar.
    k.do(f"screenshot {shots}/{size}-export-running.png")
    k.do("touch export:start")
    dump = k.dump()
    check("Ein Export läuft. Bitte warten" in dump["message"], f"{size}: {dump['message']}")
    k.do("touch staff:exit")
    dump = k.dump()
    check(dump["screen"] == "staff_export" and "bleibt offen" in dump["message"],
          f"{size}: left staff mode while exporting: {dump['screen']} {dump['message']}")
    dump = export_finishes(k, size, "export", problems)
    qr = target(dump, "export:qr")
    problems += layout_problems(dump, size, f"{size} staff_export qr")
    shot = os.path.join(shots, f"{size}-export-qr.png")
    k.do(f"screenshot {shot}")
    k.dump()  # the screenshot is written before the next line is read
    top = os.path.join(stick.mount, "KM2KIOSK")
    batches = [n for n in os.listdir(top) if os.path.isdir(os.path.join(top, n))]
    check(len(batches) == 1 and not batches[0].startswith("_PARTIAL_"), f"batches {batches}")
    bag = os.path.join(top, batches[0])
    sh(["sha256sum", "--quiet", "-c", "manifest-sha256.txt"], bag, "sha256sum manifest")
    sh(["sha256sum", "--quiet", "-c", "tagmanifest-sha256.txt"], bag, "sha256sum tagmanifest")
    sh(["minisign", "-Vm", "tagmanifest-sha256.txt", "-p",
        os.path.join(top, f"{KIOSK_ID}.pub")], bag, "minisign -V")
    with open(os.path.join(top, f"{batches[0]}-batch-qr.txt"), encoding="ascii") as f:
        txt = f.read().strip()
    with open(os.path.join(bag, "tagmanifest-sha256.txt"), "rb") as f:
        b32 = base64.b32encode(hashlib.sha256(f.read()).digest()).decode().rstrip("=")
    check(f"/T{b32}/" in txt, f"the receipt lacks the tag hash {b32}: {txt}")
    scanned = sh(["zbarimg", "--raw", "-q", shot], d, f"zbarimg on the {size} screen").strip()
    check(scanned == txt, f"{size}: screen QR {scanned!r}, receipt {txt!r}")
    # The receipt PNG has 8 px a module (quiet zone included); the tile
    # draws it inside a 1.8 mm inset: on screen a module must get >= 6 px.
    with open(os.path.join(top, f"{batches[0]}-batch-qr.png"), "rb") as f:
        modules = struct.unpack(">I", f.read(24)[16:20])[0] // 8
    w, h = map(int, size.split("x"))
    pw, ph = panel_for(size)
    inner = qr["rect"][2] - 2 * 1.8 * min(w / pw, h / ph)
    check(inner / modules >= 6, f"{size}: {inner / modules:.1f} px a module ({qr['rect']})")

    # Eject: synced (umount of a plain folder fails), then not offered again
    # while the table still lists it; unplugged and plugged: offered again.
    k.do("touch export:eject")
    dump = k.dump()
    check("abgezogen" in dump["message"], f"{size}: eject: {dump['message']}")
    check("export:eject" not in [t["id"] for t in dump["targets"]], "eject still offered")
    check("Kein USB-Stick" in dump["message"], f"{size}: ejected stick shown: {dump['message']}")
    problems += layout_problems(dump, size, f"{size} staff_export ejected")
    k.do("wait 1500")
    check("export:eject" not in [t["id"] for t in k.dump()["targets"]], "ejected stick back")
    # Each change of the mount table only after the kiosk has answered a
    # dump: its script runs behind this one, and a slow kiosk would otherwise
    # read the table only once it is plugged again.
    stick.unplug()
    k.do("wait 1500")
    check("export:eject" not in [t["id"] for t in k.dump()["targets"]], "unplugged stick offered")
    stick.plug()
    k.do("wait 1500")
    dump = k.dump()
    target(dump, "export:eject")
    # A lost stick: the last batch written once more, under a re-export id.
    target(dump, "export:again")
    problems += layout_problems(dump, size, f"{size} staff_export again")
    k.do("touch export:again")
    dump = export_finishes(k, size, "re-export")
    target(dump, "export:qr")
    again = [n for n in os.listdir(top) if os.path.isdir(os.path.join(top, n))
             and n.startswith(batches[0] + "-R")]
    check(len(again) == 1, f"{size}: re-export folders {os.listdir(top)}")
    sh(["sha256sum", "--quiet", "-c", "tagmanifest-sha256.txt"], os.path.join(top, again[0]),
       "sha256sum tagmanifest of the re-export")
    k.close()
    return stick


def import_forms(d, db, stick, size, shots, problems):
    forms_dir = os.path.join(d, f"imported-{size}")
    conf = stick.config(f"stick-{size}.conf", size, kiosk_id=KIOSK_ID, locale_dir=LOCALE,
                        forms_dir=forms_dir)
    src = os.path.join(stick.mount, "KM2KIOSK", "forms")
    os.makedirs(src, exist_ok=True)
    if not os.path.isdir(os.path.join(src, "kinder")):
        shutil.copytree(KINDER, os.path.join(src, "kinder"))
        bad = os.path.join(stick.mount, "kaputt")
        shutil.copytree(KINDER, bad)
        with open(os.path.join(bad, "survey.csv"), "a", encoding="utf-8") as f:
            f.write("select_one nirgends,wohin,Wohin?,Where?,yes,,\n"
                    "integer,alter,Wie alt?,How old?,yes,,\n"
                    "geopoint,ort,Wo?,Where?,,,\n")
    checked = subprocess.run([BIN, "check", os.path.join(stick.mount, "kaputt")],
                             capture_output=True, text=True, cwd=REPO).stdout
    first = [l for l in checked.splitlines() if ": warning:" not in l][0]
    first = first.replace(stick.mount + "/", "")[:100]  # shown relative, cut to fit
    k = Kiosk(db, size, FORMS, conf)
    staff(k, PIN)
    k.do("touch staff:forms")
    dump = k.dump()
    target(dump, "forms:import")
    problems += layout_problems(dump, size, f"{size} staff_forms")
    k.do("touch forms:import")
    dump = k.dump()
    names = sorted(t["id"] for t in dump["targets"] if t["id"].startswith("import:"))
    check(names == ["import:back", "import:kaputt", "import:kinder"], f"{size}: {names}")
    problems += layout_problems(dump, size, f"{size} staff_forms import")
    k.do(f"screenshot {shots}/{size}-import.png")
    k.do("touch import:kaputt")
    dump = k.dump()
    check("nicht verwendbar" in dump["message"] and first in dump["message"],
          f"{size}: problems {dump['message']!r}, check says {first!r}")
    problems += layout_problems(dump, size, f"{size} staff_forms problems")
    k.do(f"screenshot {shots}/{size}-import-problems.png")
    check(not os.path.exists(os.path.join(forms_dir, "kaputt")), "a bad form was installed")
    k.do("touch import:back")
    k.do("touch import:kinder")
    dump = k.dump()
    check("installiert" in dump["message"], f"{size}: import: {dump['message']}")
    target(dump, "form:kinder")
    problems += layout_problems(dump, size, f"{size} staff_forms imported")
    check(os.path.isfile(os.path.join(forms_dir, "kinder", "survey.csv")), "not copied")
    # Offered at once: the audience screen has it.
    k.do("touch staff:exit")
    k.do("touch start")
    k.do("touch lang:de")
    dump = k.dump()
    check(dump["screen"] == "audience", dump["screen"])
    target(dump, "audience:kinder")
    # Twice: refused, the installed one stays.
    staff(k, PIN)
    k.do("touch staff:forms")
    k.do("touch forms:import")
    k.do("touch import:kinder")
    dump = k.dump()
    check("schon installiert" in dump["message"], f"{size}: second import: {dump['message']}")
    k.close()
    # After a restart it is loaded from forms_dir.
    _, dumps = run("touch start\ntouch lang:de\ndump\nquit\n", db, size,
                   extra=("--forms", FORMS, "--config", conf))
    target(dumps[-1], "audience:kinder")


def scenario():
    d = tmpdir()
    shots = os.path.join(REPO, "build", "screenshots", "staff")
    os.makedirs(shots, exist_ok=True)
    base = os.path.join(d, "base.db")
    # The PIN, then six complete sessions (export_k = 2).
    run("press 5 5 3000\n" + pin_lines(PIN) + pin_lines(PIN) + "touch staff:exit\n"
        + "\n".join(probe_session() * 6) + "\nquit\n", base, extra=("--forms", FORMS), timeout=300)
    con = sqlite3.connect(base)
    n = con.execute("SELECT count(*) FROM session WHERE outcome='complete'").fetchone()[0]
    con.close()
    check(n == 6, f"{n} complete sessions")
    problems = []
    for size in SIZES:
        db = os.path.join(d, f"k-{size}.db")
        shutil.copy(base, db)
        stick = export_with_qr(d, db, size, shots, problems)
        import_forms(d, db, stick, size, shots, problems)
    check(not problems, "\n".join(problems[:30]))


main(scenario)
