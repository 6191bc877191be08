"""Each shipped survey (kinder, jugendliche, eltern) is taken through its skip
logic twice, once in German and once in Arabic, answering so that the
follow-up questions are asked in one run and skipped in the other. The
stored answers must hold the follow-ups exactly when they were relevant, and
nothing for a question that was skipped."""
import json
import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from kiosk import BIN, REPO, check, main, tmpdir  # noqa: E402

FORMS = os.path.join(REPO, "assets", "forms")

# form -> list of (language, answers to give, follow-ups asked, follow-ups skipped)
PLANS = {
    "kinder": [
        ("de", {"schulweg": "1", "bibliothek": "yes"},
         ["schulweg_sorgen", "bibliothek_tun"], ["bibliothek_mit"]),
        ("ar", {"schulweg": "5", "bibliothek": "no"},
         ["bibliothek_mit"], ["schulweg_sorgen", "bibliothek_tun"]),
    ],
    "jugendliche": [
        ("ar", {"schulart": "gymnasium", "nach_schule": "dont_know", "jugendclub": "no"},
         ["orientierung", "jugendclub_warum_nicht"], []),
        ("de", {"schulart": "other_secondary", "nach_schule": "training", "jugendclub": "yes"},
         [], ["orientierung", "jugendclub_warum_nicht"]),
    ],
    "eltern": [
        ("de", {"unterstuetzung": "parent_cafe"}, ["elterncafe_tage"], ["dolmetschen_sprache"]),
        ("ar", {"unterstuetzung": "interpreting"}, ["dolmetschen_sprache"], ["elterncafe_tage"]),
    ],
}


class Kiosk:
    def __init__(self, db):
        self.p = subprocess.Popen([BIN, "--headless", "--db", db, "--windowed", "800x480",
                                   "--script", "-", "--forms", FORMS],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, cwd=REPO, text=True, bufsize=1)

    def do(self, cmd):
        self.p.stdin.write(cmd + "\n")

    def dump(self):
        self.do("dump")
        return json.loads(self.p.stdout.readline())

    def close(self):
        self.do("quit")
        self.p.stdin.close()
        check(self.p.wait(timeout=60) == 0, "kiosk exit status")


def choice_ids(d):
    return [t["id"] for t in d["targets"] if t["id"].startswith("choice:")]


def take(form, lang, plan, db):
    k = Kiosk(db)
    k.do("touch start")
    k.do(f"touch audience:{form}")
    k.do(f"touch lang:{lang}")
    seen = []
    for _ in range(80):
        d = k.dump()
        if d["screen"] == "thanks":
            break
        check(d["screen"] == "question", f"{form}/{lang}: screen {d['screen']}")
        check(d["dir"] == ("rtl" if lang == "ar" else "ltr"), "text direction")
        q = d["question"]
        seen.append(q)
        ids = choice_ids(d)
        want = plan.get(q, "first")
        if ids:
            pick = f"choice:{want}" if want != "first" else ids[0]
            check(pick in ids, f"{form}/{lang}: {pick} offered on {q}: {ids}")
            k.do(f"touch {pick}")
        k.do("touch next")
    else:
        check(False, f"{form}/{lang}: never reached the thank-you screen")
    k.close()
    return seen


def stored(db):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT s.id, s.form_id, s.lang, s.outcome, a.question, a.value"
                       " FROM session s LEFT JOIN answer a ON a.session_id = s.id"
                       " ORDER BY s.id").fetchall()
    con.close()
    out = {}
    for sid, form, lang, outcome, q, v in rows:
        s = out.setdefault(sid, {"form": form, "lang": lang, "outcome": outcome, "answers": {}})
        if q:
            s["answers"][q] = v
    return list(out.values())


def test():
    d = tmpdir()
    for form, plans in PLANS.items():
        for lang, plan, asked, skipped in plans:
            db = os.path.join(d, f"{form}-{lang}.db")
            seen = take(form, lang, plan, db)
            s = stored(db)
            check(len(s) == 1 and s[0]["outcome"] == "complete", f"{form}/{lang}: one complete")
            check(s[0]["lang"] == lang and s[0]["form"] == form, "form and language recorded")
            ans = s[0]["answers"]
            for q, v in plan.items():
                check(v in ans.get(q, "").split(), f"{form}/{lang}: {q} stored as {v}: {ans}")
            for q in asked:
                check(q in seen, f"{form}/{lang}: {q} was asked")
                check(ans.get(q), f"{form}/{lang}: {q} stored")
            for q in skipped:
                check(q not in seen, f"{form}/{lang}: {q} was skipped")
                check(q not in ans, f"{form}/{lang}: nothing stored for {q}")
            print(f"{form}/{lang}: {len(seen)} pages, {len(ans)} answers")


if __name__ == "__main__":
    main(test)
