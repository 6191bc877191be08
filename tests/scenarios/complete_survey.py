"""A child completes the sample survey by touch, in German and in English;
every answer and the session's identity are stored, and the thank-you
screen comes only after the session is stored complete."""
import _path  # noqa: F401
from kiosk import check, main, run, sessions, target, tmpdir

ANSWERS = [("schule", "4"), ("lesen", "3"), ("freunde", "yes"), ("schulweg", "5"),
           ("nachmittag", "art")]


def survey(lang):
    lines = ["touch start", f"touch lang:{lang}", "touch audience:kinder", "dump", "touch next"]
    for q, v in ANSWERS:
        lines += ["dump", f"touch choice:{v}", "touch next"]
    lines += ["dump", "touch choice:library", "touch choice:park", "touch choice:home",
              "touch choice:home", "touch next", "dump", "touch choice:no", "touch next", "dump",
              "wait 10000", "dump", "quit"]
    return "\n".join(lines) + "\n"


def scenario():
    d = tmpdir()
    for lang, title in (("de", "Wie gern gehst du in die Schule?"),
                        ("en", "How much do you like going to school?")):
        db = f"{d}/{lang}.db"
        _, dumps = run(survey(lang), db)
        note, first = dumps[0], dumps[1]
        check(note["screen"] == "question" and note["question"] == "hallo", f"note first: {note}")
        check(note["progress"] == [1, 8], f"progress {note['progress']}")
        check(first["title"] == title, f"title in {lang}: {first['title']}")
        check(first["lang"] == lang and first["dir"] == "ltr", "language shown")
        check(len([t for t in first["targets"] if t["id"].startswith("choice:")]) == 5, "five faces")
        thanks, after = dumps[-2], dumps[-1]
        check(thanks["screen"] == "thanks", f"thanks screen, got {thanks['screen']}")
        check(after["screen"] == "attract", "back to the welcome screen after a few seconds")
        rows = sessions(db)
        check(len(rows) == 1, f"one session stored, got {len(rows)}")
        s = rows[0]
        check(s["outcome"] == "complete", f"outcome {s['outcome']}")
        check(s["uuid"] == thanks["session"], "the thanked session is the stored one")
        check(len(s["uuid"]) == 32 and s["uuid"] != "0" * 32, "random 128-bit session id")
        check(s["form_id"] == "kinder" and s["form_version"] == "2026-11-1", "form id and version")
        check(len(s["form_sha256"]) == 64, "form hash")
        check(s["lang"] == lang and s["audience"] == "child", "language and audience")
        check(s["started_at"] and s["ended_at"] and s["started_at"] <= s["ended_at"], "times")
        want = dict(ANSWERS)
        want["orte"] = "library park"
        want["bibliothek"] = "no"
        check(s["answers"] == want, f"answers {s['answers']} != {want}")
    # Two sessions never share an id.
    a, b = sessions(f"{d}/de.db")[0]["uuid"], sessions(f"{d}/en.db")[0]["uuid"]
    check(a != b, "session ids differ")


main(scenario)
