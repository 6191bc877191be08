"""The quit button asks first: "no" returns to the question, "yes" ends the
session as abandoned (answers kept) and shows the welcome screen."""
import _path  # noqa: F401
from kiosk import begin, check, main, run_new, sessions, target

SCRIPT = begin() + """touch next
touch choice:4
touch next
touch quit
dump
touch no
dump
touch quit
touch yes
dump
quit
"""


def scenario():
    db, d = run_new(SCRIPT)
    ask, back, home = d
    check(ask["screen"] == "confirm_quit", f"asks first: {ask['screen']}")
    target(ask, "yes")
    check(back["screen"] == "question" and back["question"] == "lesen", "no returns")
    check(home["screen"] == "attract", "yes ends")
    s = sessions(db)[0]
    check(s["outcome"] == "abandoned" and s["answers"] == {"schule": "4"}, f"stored: {s}")


main(scenario)
