"""`km2kiosk stats --db FILE` prints the stored sessions per form and outcome, and
the staff overview."""
import _path  # noqa: F401
import json
import subprocess

from kiosk import BIN, REPO, check, main, run, tmpdir

DONE = ("touch start\ntouch lang:de\ntouch audience:kinder\ntouch next\ntouch choice:1\n"
        "touch next\ntouch choice:1\ntouch next\ntouch choice:no\ntouch next\ntouch choice:1\n"
        "touch next\ntouch choice:sport\ntouch next\ntouch next\ntouch next\nwait 10000\n")


def scenario():
    db = tmpdir() + "/k.db"
    run(DONE * 3 + "touch start\ntouch lang:en\ntouch audience:kinder\ntouch quit\ntouch yes\n"
        "quit\n", db)
    p = subprocess.run([BIN, "stats", "--db", db], capture_output=True, text=True, cwd=REPO)
    check(p.returncode == 0, p.stderr)
    out = json.loads(p.stdout)
    check(out["sessions"] == {"kinder": {"abandoned": 1, "complete": 3}}, f"stats: {out}")
    # The staff overview's figures (staff_mode.py checks the rest).
    forms = out["overview"]["forms"]
    # The scripted sessions answer faster than anyone reads: all flagged.
    check(forms == {"kinder": {"complete": 3, "abandoned": 1, "open": 0, "misuse": 3}},
          f"overview: {forms}")


main(scenario)
