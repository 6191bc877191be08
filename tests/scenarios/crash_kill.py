"""Crash test: surveys are answered in a loop while the kiosk is killed with
SIGKILL at random moments (at least 50 kills on one database). Afterwards the
database passes PRAGMA integrity_check, every session that reached the
thank-you screen is stored complete with all its answers, none is stored
twice, and sessions cut off are closed as abandoned at the next start."""
import _path  # noqa: F401
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time

from kiosk import BIN, REPO, SAMPLE_FORMS, TIME_SCALE, check, keep_feeding, main, run, tmpdir

KILLS = int(os.environ.get("KS_CRASH_KILLS", "60"))

SURVEY = ["touch start", "touch lang:de", "touch audience:kinder", "touch next",
          "touch choice:4", "touch next", "touch choice:2", "touch next", "touch choice:yes",
          "touch next", "touch choice:5", "touch next", "touch choice:music", "touch next",
          "touch choice:park", "touch next", "touch choice:yes", "touch next", "dump",
          "wait 8000"]
EXPECTED = {"schule": "4", "lesen": "2", "freunde": "yes", "schulweg": "5",
            "nachmittag": "music", "orte": "park", "bibliothek": "yes"}


def one_run(db, rng):
    """Starts the kiosk on an endless stream of surveys and kills it after a
    random delay; returns the session ids it showed a thank-you for."""
    p = subprocess.Popen([BIN, "--headless", "--db", db, "--windowed", "800x480", "--script", "-",
                          "--forms", SAMPLE_FORMS],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         cwd=REPO, text=True, bufsize=1)
    thanked = []

    def reader():
        for line in p.stdout:
            if '"screen":"thanks"' in line:
                thanked.append(line.split('"session":"')[1].split('"')[0])

    tr = threading.Thread(target=reader)
    tr.start()
    keep_feeding(p, SURVEY)
    time.sleep(rng.uniform(0.05, 0.5) * TIME_SCALE)
    p.send_signal(signal.SIGKILL)
    p.wait()
    tr.join(timeout=10)
    return thanked


def scenario():
    db = tmpdir() + "/crash.db"
    rng = random.Random(int(os.environ.get("KS_CRASH_SEED", str(int(time.time())))))
    thanked = []
    for _ in range(KILLS):
        thanked += one_run(db, rng)
    check(len(thanked) >= 10, f"enough surveys completed between kills: {len(thanked)}")
    check(len(set(thanked)) == len(thanked), "a thank-you is shown once per session")

    con = sqlite3.connect(db)
    check(con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "integrity_check ok")
    rows = {u: o for u, o in con.execute("SELECT uuid, outcome FROM session")}
    uuids = [r[0] for r in con.execute("SELECT uuid FROM session")]
    check(len(uuids) == len(set(uuids)), "no session stored twice")
    for u in thanked:
        check(rows.get(u) == "complete", f"thanked session {u} stored complete: {rows.get(u)}")
        sid = con.execute("SELECT id FROM session WHERE uuid=?", (u,)).fetchone()[0]
        got = dict(con.execute("SELECT question, value FROM answer WHERE session_id=?", (sid,)))
        check(got == EXPECTED, f"all answers of {u}: {got}")
    con.close()

    # The next start closes what the kills left open.
    run("quit\n", db)
    con = sqlite3.connect(db)
    still_open = con.execute("SELECT count(*) FROM session WHERE outcome='open'").fetchone()[0]
    complete = con.execute("SELECT count(*) FROM session WHERE outcome='complete'").fetchone()[0]
    con.close()
    check(still_open == 0, f"no session left open after restart: {still_open}")
    print(f"{KILLS} kills, {len(thanked)} thanked sessions, {complete} complete in the database")


main(scenario)
