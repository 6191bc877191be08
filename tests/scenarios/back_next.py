"""Back and next: answers survive going back, a changed answer replaces the
stored one, a multiple choice toggles, and progress follows."""
import _path  # noqa: F401
from kiosk import begin, check, main, run_new, sessions, target

SCRIPT = begin("en") + """dump
touch next
touch choice:2
touch next
dump
touch back
dump
touch choice:5
touch next
touch choice:1
touch next
touch back
touch back
dump
quit
"""


def scenario():
    db, d = run_new(SCRIPT)
    note, lesen, schule, schule2 = d
    check("back" not in [t["id"] for t in note["targets"]], "no back on the first screen")
    check(lesen["question"] == "lesen" and lesen["progress"] == [3, 8], f"progress {lesen}")
    check(schule["question"] == "schule" and schule["progress"] == [2, 8], "back goes back")
    check(target(schule, "choice:2")["selected"], "earlier answer shown after back")
    check(target(schule2, "choice:5")["selected"] and not target(schule2, "choice:2")["selected"],
          "single choice replaced")
    s = sessions(db)[0]
    check(s["answers"]["schule"] == "5", f"changed answer stored: {s['answers']}")
    check(s["answers"]["lesen"] == "1", f"answer committed when moving back: {s['answers']}")


main(scenario)
