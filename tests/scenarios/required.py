"""A required question cannot be skipped: next stays on it and says why;
an optional one can be skipped and stores nothing."""
import _path  # noqa: F401
from kiosk import check, main, run, sessions, target, tmpdir

SCRIPT = """
touch start
touch lang:de
touch audience:kinder
touch next
dump
touch next
dump
touch choice:3
dump
touch next
dump
touch choice:2
touch next
touch choice:yes
touch next
touch choice:1
touch next
touch choice:games
touch next
touch next
dump
quit
"""


def scenario():
    db = tmpdir() + "/k.db"
    _, d = run(SCRIPT, db)
    first, blocked, chosen, moved, optional = d
    check(not target(first, "next")["enabled"], "next looks disabled while unanswered")
    check(blocked["question"] == "schule", "required question not skipped")
    check(blocked["message"] == "Bitte wähle eine Antwort.", f"says why: {blocked['message']}")
    check(chosen["message"] == "" and target(chosen, "next")["enabled"], "answer clears the hint")
    check(moved["question"] == "lesen", "moves on once answered")
    check(optional["question"] == "bibliothek", f"optional question skipped: {optional['question']}")
    s = sessions(db)[0]
    check("orte" not in s["answers"], "a skipped optional question stores nothing")


main(scenario)
