"""Staff mode, headless through the real SDL UI: `press` in the top-left
corner opens the PIN pad (a short press or another corner does not), the
first PIN is chosen twice, every staff screen is dumped and checked for its
layout at 800x480, 1280x800 and 720x1280 (with screenshots), free text and a
drawing are reviewed, wrong PINs lock the pad — across a restart — and
`stats` prints the overview."""
import _path  # noqa: F401
import json
import os
import sqlite3
import subprocess

from kiosk import BIN, REPO, SAMPLE_FORMS, check, main, pin_lines, run, target, tmpdir
from tour import SIZES, Kiosk, config_for, layout_problems

PIN = "2468"
SCREENS = ("overview", "clock", "forms", "review", "export")



def seed_review(db, png):
    """A complete session with a free-text answer and a drawing, both
    waiting for review."""
    con = sqlite3.connect(db)
    cur = con.execute(
        "INSERT INTO session(uuid, form_id, form_version, form_sha256, lang, audience, outcome,"
        " started_at, ended_at) VALUES (lower(hex(randomblob(16))), 'kinder', '1',"
        " '00', 'de', 'child', 'complete', '2026-11-20T10:00:00.000Z',"
        " '2026-11-20T10:05:00.000Z')")
    sid = cur.lastrowid
    con.execute("INSERT INTO answer(session_id, question, value, answered_at, review)"
                " VALUES (?, 'wunsch', 'Mehr Bänke am Spielplatz', '2026-11-20T10:01:00.000Z',"
                " 'pending')", (sid,))
    con.execute("INSERT INTO answer(session_id, question, value, answered_at, review)"
                " VALUES (?, 'bild', 'bild.png', '2026-11-20T10:02:00.000Z', 'pending')", (sid,))
    with open(png, "rb") as f:
        con.execute("INSERT INTO answer_media(session_id, question, mime, data)"
                    " VALUES (?, 'bild', 'image/png', ?)", (sid, f.read()))
    con.commit()
    con.close()


def scenario():
    d = tmpdir()
    db = os.path.join(d, "k.db")
    shots = os.path.join(REPO, "build", "screenshots", "staff")
    os.makedirs(shots, exist_ok=True)
    first_png = os.path.join(d, "first.png")

    # The gesture: too short, the wrong corner, then 3 s in the top left.
    _, dumps = run("press 5 5 1500\ndump\npress 795 475 3500\ndump\npress 5 5 3100\ndump\n"
                   + pin_lines("12") + "dump\n" + pin_lines(PIN) + "dump\n" + pin_lines(PIN)
                   + f"dump\nscreenshot {first_png}\ntouch staff:exit\ndump\nquit\n", db)
    # (A short press is a tap: the welcome screen moves on.)
    check(not dumps[0]["screen"].startswith("staff"), f"a 1.5 s press opened {dumps[0]['screen']}")
    check(not dumps[1]["screen"].startswith("staff"),
          f"the bottom-right corner opened {dumps[1]['screen']}")
    check(dumps[2]["screen"] == "staff_pin", f"no PIN pad: {dumps[2]['screen']}")
    check("Neue Personal-PIN" in dumps[2]["title"], dumps[2]["title"])
    for tid in [f"pin:{i}" for i in range(10)] + ["pin:backspace", "pin:ok", "staff:cancel"]:
        target(dumps[2], tid)
    check(dumps[3]["message"] == "Eine PIN hat 4 bis 8 Ziffern.", dumps[3]["message"])
    check(dumps[4]["title"] == "Neue PIN noch einmal eingeben", dumps[4]["title"])
    check(dumps[5]["screen"] == "staff_overview", f"PIN not set: {dumps[5]}")
    check(dumps[6]["screen"] == "attract", f"staff:exit led to {dumps[6]['screen']}")

    # Every staff screen at three sizes: layout and a screenshot each.
    problems = []
    for size in SIZES:
        seed_review(db, first_png)
        k = Kiosk(db, size, SAMPLE_FORMS, config_for(size, d))
        k.do("press 5 5 3000")
        pad = k.dump()
        check(pad["screen"] == "staff_pin", f"{size}: no PIN pad")
        problems += layout_problems(pad, size, f"{size} staff_pin")
        k.do(f"screenshot {shots}/{size}-pin.png")
        for digit in PIN:
            k.do(f"touch pin:{digit}")
        k.do("touch pin:ok")
        for name in SCREENS:
            k.do(f"touch staff:{name}")
            dump = k.dump()
            check(dump["screen"] == f"staff_{name}", f"{size}: staff:{name} -> {dump['screen']}")
            problems += layout_problems(dump, size, f"{size} staff_{name}")
            k.do(f"screenshot {shots}/{size}-{name}.png")
            if name == "review":
                # Both wait: the free text and the drawing (as a picture).
                seen = []
                for _ in range(2):
                    ids = [t["id"] for t in dump["targets"]]
                    if "review:drawing" in ids:
                        seen.append("drawing")
                        problems += layout_problems(dump, size, f"{size} staff_review drawing")
                        k.do(f"screenshot {shots}/{size}-review-drawing.png")
                    elif "Mehr Bänke am Spielplatz" in dump["message"]:
                        seen.append("text")
                    k.do("touch review:approve")
                    dump = k.dump()
                check(sorted(seen) == ["drawing", "text"], f"{size}: reviewed {seen}")
                check(dump["message"] == "Nichts wartet auf Freigabe.", dump["message"])
        k.do("touch staff:exit")
        check(k.dump()["screen"] == "attract", f"{size}: staff:exit")
        k.close()
    check(not problems, "\n".join(problems[:30]))

    # Wrong PINs: the pad locks for 30 s, and a restart does not undo it.
    _, dumps = run("press 5 5 3000\n" + pin_lines("1111") * 3 + "dump\nquit\n", db)
    locked = dumps[-1]
    check("30 s" in locked["message"] and locked.get("countdown") == 30,
          f"no lockout: {locked['message']}")
    check(not target(locked, "pin:1")["enabled"], "keys enabled while locked")
    _, dumps = run("press 5 5 3000\ndump\n" + pin_lines(PIN) + "dump\nwait 30000\n"
                   + pin_lines(PIN) + "dump\nquit\n", db)
    check(dumps[0]["screen"] == "staff_pin" and " s " in dumps[0]["message"] + " ",
          f"lockout forgotten after a restart: {dumps[0]['message']}")
    check(dumps[1]["screen"] == "staff_pin", "the right PIN was taken while locked")
    check(dumps[2]["screen"] == "staff_overview", f"not unlocked after the wait: {dumps[2]}")

    # Export without a stick below usb_root: a clear message, nothing written.
    conf = os.path.join(d, "nostick.conf")
    os.makedirs(os.path.join(d, "media"), exist_ok=True)
    with open(conf, "w") as f:
        f.write(f"usb_root = {os.path.join(d, 'media')}\n")
    _, dumps = run("press 5 5 3000\n" + pin_lines(PIN) + "touch staff:export\ntouch export:start\n"
                   "dump\nquit\n", db, extra=("--config", conf))
    check(dumps[-1]["message"].startswith("Kein USB-Stick gefunden"), dumps[-1]["message"])

    # `stats` prints the overview with the same figures.
    p = subprocess.run([BIN, "stats", "--db", db], capture_output=True, text=True, cwd=REPO)
    check(p.returncode == 0, p.stderr)
    ov = json.loads(p.stdout)["overview"]
    check(ov["forms"]["kinder"]["complete"] == 3, f"overview: {ov}")
    check(ov["pending"] == {"complete": 3, "misuse": 0}, f"pending: {ov['pending']}")
    check(ov["disk"]["free_bytes"] > 0 and ov["last_export"] is None, f"overview: {ov}")
    check(ov["days"][0]["day"] == "2026-11-20", f"days: {ov['days']}")


main(scenario)
