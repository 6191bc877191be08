"""Clock doubt and retention, headless through the real SDL UI: a database
whose last known time lies a day ahead of the clock puts the kiosk in
doubt at start (journal line, staff warning on the overview and the clock
page, `stats` says so), sessions exported 40 days ago leave at start-up
while newer and unexported ones stay, the overview says what is kept; the
overview and clock pages are checked for layout at every size (screenshots
in build/screenshots/staff/*-doubt-*.png), and "the time shown is right"
ends the doubt."""
import _path  # noqa: F401
import json
import os
import sqlite3
import subprocess
import time

from kiosk import BIN, REPO, SAMPLE_FORMS, check, main, pin_lines, run, target, tmpdir
from tour import SIZES, Kiosk, config_for, layout_problems

PIN = "2468"


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))


def seed(db):
    """Twelve complete sessions: four in a batch of 40 days ago, three in
    one of 2 days ago, five never exported; the last known time a day
    ahead of the clock."""
    now = time.time()
    con = sqlite3.connect(db)
    con.execute("INSERT INTO batch(id, tag_sha256, prev_id, rows, created_at) VALUES"
                " ('OLD', ?, '', 4, ?), ('NEW', ?, 'OLD', 3, ?)",
                ("a" * 64, iso(now - 40 * 86400), "b" * 64, iso(now - 2 * 86400)))
    for i in range(12):
        batch = "OLD" if i < 4 else "NEW" if i < 7 else None
        started = now - (45 - i) * 86400
        cur = con.execute(
            "INSERT INTO session(uuid, form_id, form_version, form_sha256, lang, audience,"
            " outcome, started_at, ended_at, batch_id) VALUES (lower(hex(randomblob(16))),"
            " 'kinder', '1', '00', 'de', 'child', 'complete', ?, ?, ?)",
            (iso(started), iso(started + 300), batch))
        con.execute("INSERT INTO answer(session_id, question, value, answered_at)"
                    " VALUES (?, 'q1', '3', ?)", (cur.lastrowid, iso(started + 60)))
    con.execute("INSERT OR REPLACE INTO kiosk_meta(key, value) VALUES ('clock_last_known_ms', ?)",
                (str(int((now + 86400) * 1000)),))
    con.commit()
    con.close()


def count(db, sql):
    con = sqlite3.connect(db)
    v = con.execute(sql).fetchone()[0]
    con.close()
    return v



def scenario():
    d = tmpdir()
    db = os.path.join(d, "k.db")
    shots = os.path.join(REPO, "build", "screenshots", "staff")
    os.makedirs(shots, exist_ok=True)
    run("quit\n", db)  # the schema
    seed(db)
    check(count(db, "SELECT count(*) FROM session") == 12, "seeding failed")

    # The first start: old exports leave (nothing is deleted in doubt, so the
    # doubt comes second: a restart with the last known time moved ahead).
    con = sqlite3.connect(db)
    con.execute("UPDATE kiosk_meta SET value = '0' WHERE key = 'clock_last_known_ms'")
    con.commit()
    con.close()
    p, _ = run("quit\n", db)
    check("retention: deleted 4 session(s)" in p.stderr, f"no deletion logged:\n{p.stderr[-1500:]}")
    check(count(db, "SELECT count(*) FROM session") == 8, "old exported sessions kept")
    check(count(db, "SELECT count(*) FROM session WHERE batch_id IS NULL") == 5,
          "unexported sessions deleted")
    check(count(db, "SELECT count(*) FROM answer") == 8, "answers of deleted sessions kept")
    check(count(db, "SELECT count(*) FROM batch") == 2, "the ledger lost a batch")

    con = sqlite3.connect(db)
    con.execute("UPDATE kiosk_meta SET value = ? WHERE key = 'clock_last_known_ms'",
                (str(int((time.time() + 86400) * 1000)),))
    con.commit()
    con.close()
    p, dumps = run("press 5 5 3000\n" + pin_lines(PIN) + pin_lines(PIN) + "dump\nquit\n", db)
    check("clock in doubt" in p.stderr, f"no journal line:\n{p.stderr[-1500:]}")
    ov = dumps[-1]
    check(ov["screen"] == "staff_overview", f"no overview: {ov['screen']}")
    check(ov["message"].startswith("Achtung, Uhr zweifelhaft"), ov["message"])
    check("Datum und Uhrzeit" in ov["message"], ov["message"])
    check("Auf dem Kiosk: 8 Antworten (3 exportiert, werden nach 30 Tagen gelöscht)"
          in ov["message"], ov["message"])

    # stats says so too.
    p = subprocess.run([BIN, "stats", "--db", db], capture_output=True, text=True, cwd=REPO)
    check(p.returncode == 0, p.stderr)
    st = json.loads(p.stdout)["overview"]
    check(st["clock_doubt"] is True and st["last_known_time"].endswith("Z"), f"stats: {st}")
    check(st["kept"] == {"sessions": 8, "exported": 3}, f"kept: {st['kept']}")

    # Overview and clock page with the warning, at every size.
    problems = []
    for size in SIZES:
        k = Kiosk(db, size, SAMPLE_FORMS, config_for(size, d))
        k.do("press 5 5 3000")
        for digit in PIN:
            k.do(f"touch pin:{digit}")
        k.do("touch pin:ok")
        dump = k.dump()
        check(dump["screen"] == "staff_overview", f"{size}: {dump['screen']}")
        problems += layout_problems(dump, size, f"{size} overview in doubt")
        k.do(f"screenshot {shots}/{size}-doubt-overview.png")
        k.do("touch staff:clock")
        dump = k.dump()
        target(dump, "clock:confirm")
        check(dump["message"].startswith("Uhr zweifelhaft"), dump["message"])
        problems += layout_problems(dump, size, f"{size} clock in doubt")
        k.do(f"screenshot {shots}/{size}-doubt-clock.png")
        k.close()
    check(not problems, "\n".join(problems[:30]))

    # "The time shown is right" ends the doubt, for good.
    p, dumps = run("press 5 5 3000\n" + pin_lines(PIN) + "touch staff:clock\n"
                   "touch clock:confirm\ndump\ntouch staff:overview\ndump\nquit\n", db)
    check(dumps[0]["message"] == "Die Uhrzeit ist bestätigt.", dumps[0]["message"])
    check(not any(t["id"] == "clock:confirm" for t in dumps[0]["targets"]), "confirm still there")
    check("Achtung" not in dumps[1]["message"], dumps[1]["message"])
    p = subprocess.run([BIN, "stats", "--db", db], capture_output=True, text=True, cwd=REPO)
    check(json.loads(p.stdout)["overview"]["clock_doubt"] is False, p.stdout)


main(scenario)
