"""Start-up self-test of free disk space: with less room beside the
database than `min_free_mb`, the kiosk starts on the staff fault screen with
its own message, a tap starts no session, staff mode can still be opened
there; with enough room the kiosk works as usual."""
import os
import sqlite3

import _path  # noqa: F401
from kiosk import check, main, run, tmpdir


def scenario():
    d = tmpdir()
    full = os.path.join(d, "full.conf")
    with open(full, "w") as f:
        f.write("min_free_mb = 1000000\n")  # a terabyte: more than any test disk has
    db = os.path.join(d, "full.db")
    _, dumps = run("dump\ntap 400 300\ndump\npress 20 20 3500\ndump\nquit\n", db,
                   extra=("--config", full))
    check(dumps[0]["screen"] == "fault", f"start on a full disk: {dumps[0]['screen']}")
    check(dumps[1]["screen"] == "fault", f"a full disk must stop the session: {dumps[1]['screen']}")
    check("Speicher" in dumps[1]["message"], f"the fault says why: {dumps[1]['message']}")
    check(dumps[2]["screen"] == "staff_pin", f"staff mode on a full disk: {dumps[2]['screen']}")
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM session").fetchone()[0]
    con.close()
    check(n == 0, f"{n} session(s) started on a full disk")

    roomy = os.path.join(d, "roomy.conf")
    with open(roomy, "w") as f:
        f.write("min_free_mb = 1\n")
    _, dumps = run("touch start\ndump\nquit\n", os.path.join(d, "ok.db"), extra=("--config", roomy))
    check(dumps[0]["screen"] == "language", f"enough room: {dumps[0]['screen']}")
    print("a full disk stops new sessions with its own staff message")


main(scenario)
