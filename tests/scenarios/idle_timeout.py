"""Idle timeout: after 60 s without a touch the "still there?" prompt counts
down; `continue` returns to the same question with the answer kept; without
an answer the session is stored as abandoned with the answers so far, and
the next person starts from nothing."""
import _path  # noqa: F401
from kiosk import begin, check, main, run_new, sessions, target

SCRIPT = begin() + """touch next
touch choice:2
touch next
touch choice:1
wait 59000
dump
wait 1000
dump
wait 5000
dump
touch continue
dump
wait 60000
wait 19000
dump
wait 1000
dump
""" + begin() + """touch next
dump
touch next
dump
quit
"""


def scenario():
    db, d = run_new(SCRIPT)
    before, prompt, later, back, last_second, gone, fresh, fresh2 = d
    check(before["screen"] == "question", f"no prompt before 60 s: {before['screen']}")
    check(prompt["screen"] == "idle_prompt", f"prompt at 60 s: {prompt['screen']}")
    check(prompt["countdown"] == 20, f"countdown starts at 20: {prompt.get('countdown')}")
    check(later["countdown"] == 15, f"counts down: {later.get('countdown')}")
    target(prompt, "continue")
    check(back["screen"] == "question" and back["question"] == "lesen", "continue returns")
    check(target(back, "choice:1")["selected"], "answer kept after continue")
    check(last_second["screen"] == "idle_prompt", "prompt again after another minute")
    check(gone["screen"] == "attract", f"welcome screen after the countdown: {gone['screen']}")
    rows = sessions(db)
    check(len(rows) == 2, f"two sessions: {len(rows)}")
    check(rows[0]["outcome"] == "abandoned", f"first abandoned: {rows[0]['outcome']}")
    # The answer tapped on the screen the child left counts as given.
    check(rows[0]["answers"] == {"schule": "2", "lesen": "1"}, f"answers so far: {rows[0]['answers']}")
    check(rows[1]["outcome"] == "abandoned", "a session running at quit is closed as abandoned")
    check(not any(t["selected"] for t in fresh["targets"]), "next person sees no earlier answer")
    check(fresh2["question"] == "schule", "required question blocks the next person too")


main(scenario)
