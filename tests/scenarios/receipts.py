"""The evaluation office's receipts, headless through the real SDL UI: with
eval_pubkey set (an office key made by `minisign -G -W`), staff export two
batches to a faked stick; the overview counts both as not yet confirmed.
A receipt for the first batch is written onto the stick exactly as
export/ack.h describes it and signed with `minisign -S`; one for the second
is signed with another key. The export page reads them when it notices the
stick: the good one is recorded, the forged one ignored with its journal
line; the overview's count drops to one, `stats` and `export` report the
receipts. The overview's QR code, at three sizes, decodes (zbarimg) to the
public key line `km2kiosk key` prints, and its layout holds."""
import hashlib
import json
import os
import sqlite3

import _path  # noqa: F401
from kiosk import (BIN, EXPORT_FORMS, REPO, check, main, probe_session, run, sh, staff, target,
                    tmpdir)
from stick import Stick
from tour import SIZES, Kiosk, layout_problems

FORMS = EXPORT_FORMS
PIN = "2468"
KIOSK_ID = "foyer"
# The catalogs built beside the binary under test (never another build's).
LOCALE = os.path.join(REPO, os.path.dirname(BIN), "locale")




def minisign_key(d, name):
    """An unencrypted minisign key pair; returns (secret key file, public key line)."""
    sec, pub = os.path.join(d, f"{name}.key"), os.path.join(d, f"{name}.pub")
    sh(["minisign", "-G", "-W", "-p", pub, "-s", sec], d, f"minisign -G {name}")
    with open(pub, encoding="ascii") as f:
        return sec, f.read().splitlines()[1].strip()


def write_receipt(received, bag, secret):
    """<batch-id>.ack as export/ack.h specifies, and its .minisig."""
    batch = os.path.basename(bag)
    with open(os.path.join(bag, "tagmanifest-sha256.txt"), "rb") as f:
        tag = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(bag, "bag-info.txt"), encoding="utf-8") as f:
        rows = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("KM2-Rows:")][0]
    path = os.path.join(received, f"{batch}.ack")
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(f"KM2-Ack-Version: 1\nKM2-Batch-Id: {batch}\nKM2-Tagmanifest-SHA256: {tag}\n"
                f"KM2-Rows: {rows}\nKM2-Received: 2026-12-07T10:11:12Z\n")
    sh(["minisign", "-S", "-s", secret, "-m", path], received, f"minisign -S {batch}")
    return batch



def scenario():
    d = tmpdir()
    db = os.path.join(d, "k.db")
    office_key, office_line = minisign_key(d, "office")
    other_key, _ = minisign_key(d, "other")
    stick = Stick(d, "receipts")
    plug = stick.plug

    def config(size):
        return stick.config(f"kiosk-{size}.conf", size, kiosk_id=KIOSK_ID, locale_dir=LOCALE,
                            eval_pubkey=office_line)

    conf = config("800x480")
    extra = ("--forms", FORMS, "--config", conf)
    plug(False)

    # The first staff PIN, chosen twice.
    pin = "".join(f"touch pin:{c}\n" for c in PIN) + "touch pin:ok\n"
    run("press 5 5 3000\n" + pin * 2 + "touch staff:exit\nquit\n", db, extra=extra)

    # Two batches exported from the staff screen, each of two sessions.
    bags = []
    top = os.path.join(stick.mount, "KM2KIOSK")
    for n in range(2):
        run("\n".join(probe_session() * 2) + "\nquit\n", db, extra=extra)
        plug(True)
        k = Kiosk(db, "800x480", FORMS, conf)
        staff(k, PIN)
        k.do("touch staff:export")
        k.do("wait 1200")
        k.do("touch export:start")
        k.do("wait 60000")  # the export runs on its own thread, in real time
        dump = k.dump()
        target(dump, "export:qr")
        k.do("touch staff:overview")
        dump = k.dump()
        want = f"Vom Auswertungsbüro noch nicht bestätigt: {n + 1} Export"
        check(want in dump["message"], f"after export {n + 1}: {dump['message']}")
        k.close()
        plug(False)
        new = sorted(x for x in os.listdir(top) if os.path.isdir(os.path.join(top, x))
                     and x not in bags)
        check(len(new) == 1, f"export {n + 1} left {new}")
        bags.append(new[0])

    # The office's receipts: a good one for the first, a forged one for the second.
    received = os.path.join(top, "received")
    os.makedirs(received)
    good = write_receipt(received, os.path.join(top, bags[0]), office_key)
    forged = write_receipt(received, os.path.join(top, bags[1]), other_key)
    sh(["minisign", "-Vm", f"{good}.ack", "-P", office_line], received, "minisign -V")

    plug(True)
    k = Kiosk(db, "800x480", FORMS, conf)
    staff(k, PIN)
    dump = k.dump()
    check("noch nicht bestätigt: 2 Exporte (seit " in dump["message"], dump["message"])
    k.do("touch staff:export")
    dump = k.dump()
    shots = os.path.join(REPO, os.path.dirname(BIN), "screenshots", "staff")
    os.makedirs(shots, exist_ok=True)
    k.do(f"screenshot {os.path.join(shots, '800x480-export-receipts.png')}")
    problems = layout_problems(dump, "800x480", "800x480 staff_export receipts")
    msg = dump["message"]
    check("Das Auswertungsbüro hat 1 Export bestätigt." in msg, f"export page: {msg}")
    check("1 Empfangsbestätigung auf dem Stick wurde nicht angenommen" in msg,
          f"export page: {msg}")
    k.do("touch staff:overview")
    dump = k.dump()
    check("noch nicht bestätigt: 1 Export (seit " in dump["message"], dump["message"])
    k.do("quit")
    k.p.stdin.close()
    journal = k.p.stderr.read()
    check(k.p.wait(timeout=60) == 0, f"kiosk exit status {k.p.returncode}:\n{journal[-2000:]}")
    check(f"receipt KM2KIOSK/received/{forged}.ack ignored: its signature does not verify"
          in journal,
          f"no journal line for the forged receipt:\n{journal[-3000:]}")
    check(f"receipt for batch {good} recorded" in journal, journal[-3000:])

    con = sqlite3.connect(db)
    acked = con.execute("SELECT id FROM batch WHERE acked_at IS NOT NULL").fetchall()
    sessions = con.execute("SELECT count(*), count(acked_at) FROM session"
                           " WHERE batch_id = ?", (good,)).fetchone()
    con.close()
    check(acked == [(good,)], f"acknowledged: {acked}")
    check(sessions[0] == 2 and sessions[1] == 2, f"sessions of {good}: {sessions}")

    stats = json.loads(sh([BIN, "stats", "--db", db], REPO, "stats"))["overview"]["receipts"]
    check(stats["acknowledged"] == 1 and stats["unacknowledged"] == 1, f"stats: {stats}")
    # `export` reads them too: nothing new to export, the receipts reported.
    out = json.loads(sh([BIN, "export", "--db", db, "--to", stick.mount, "--config", conf,
                         "--forms", FORMS], REPO, "export", rc=3))
    check(out["receipts"] == {"recorded": 0, "known": 1, "ignored": 1}, f"export: {out}")

    # The overview's QR code is the key `km2kiosk key` prints, at every size.
    key = json.loads(sh([BIN, "key", "--db", db, "--config", conf], REPO, "key"))
    check(key["kiosk_id"] == KIOSK_ID and not key["created"], f"key: {key}")
    check(key["public_key_file"].splitlines()[1] == key["public_key"], f"key: {key}")
    for size in SIZES:
        k = Kiosk(db, size, FORMS, config(size))
        staff(k, PIN)
        dump = k.dump()
        qr = target(dump, "overview:key")
        check(key["key_id"] in qr["text"], f"{size}: key id {key['key_id']} not in {qr['text']}")
        problems += layout_problems(dump, size, f"{size} staff_overview")
        shot = os.path.join(shots, f"{size}-overview-key.png")
        k.do(f"screenshot {shot}")
        k.dump()
        k.close()
        scanned = sh(["zbarimg", "--raw", "-q", shot], d, f"zbarimg on the {size} overview")
        check(scanned.strip() == key["public_key"],
              f"{size}: overview QR {scanned.strip()!r}, key {key['public_key']!r}")
    check(not problems, "\n".join(problems))


main(scenario)
