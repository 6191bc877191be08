"""A database that fails its integrity check puts the kiosk on the "please
call staff" screen instead of collecting answers."""
import _path  # noqa: F401
import sqlite3

from kiosk import check, main, run, sessions, tmpdir


def scenario():
    d = tmpdir()
    bad = d + "/notadb.db"
    with open(bad, "w") as f:
        f.write("this is not a database at all\n" * 200)
    _, dumps = run("dump\ntap 400 240\ndump\nquit\n", bad)
    check(dumps[0]["screen"] == "fault" and dumps[1]["screen"] == "fault", f"fault: {dumps}")
    check(dumps[0]["targets"] == [], "nothing to tap on the fault screen")

    # A real database with a damaged page.
    db = d + "/k.db"
    run("touch start\ntouch lang:de\ntouch audience:kinder\ntouch next\ntouch choice:3\n"
        "touch next\nquit\n", db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_schema WHERE name='answer'").fetchone()[0]
    con.close()
    # Overwrite the b-tree page header of the answers table.
    with open(db, "r+b") as f:
        f.seek(page * (root - 1))
        f.write(b"\x0d" + b"\xff" * 200)
    _, dumps = run("dump\nquit\n", db, expect_rc=None)
    check(dumps and dumps[0]["screen"] == "fault", f"damaged database detected: {dumps}")


main(scenario)
