"""A required question cannot be skipped: next stays on it and says why;
an optional one can be skipped and stores nothing."""
import _path  # noqa: F401
from kiosk import begin, check, main, run_new, sessions, target

SCRIPT = begin() + """touch next
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
    db, d = run_new(SCRIPT)
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
