"""The four shipped surveys (kinder, jugendliche, eltern, fachkraefte), every
path through their skip logic, in every one of the six languages.

The forms' CSV files are read here and their `relevant` and `choice_filter`
expressions evaluated by a small model of the kiosk's rules: every
combination of the answers that drive them (each choice and "skipped" for a
single choice, every subset for a multiple choice) gives a path, the
sequence of pages shown. The longest path must stay within the screen budget
(kinder 10 pages, the others 15, counted from the opening page to the last
question; the thank-you screen comes on top). Then one kiosk per path and language answers by script
(several at a time): the pages it shows must be exactly the predicted ones,
and the stored answers must hold every answer given on a shown page and
nothing for a page that was skipped. Every follow-up question must be asked
in some run and skipped in another.

Static checks on the side: the first page is a note that says how to stop
(the × button), no question is required (the opening page promises that any
can be skipped), and the children's feelings are 3-point faces."""
import csv
import itertools
import os
import re
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from kiosk import REPO, Fail, check, main, tmpdir  # noqa: E402
from tour import LANGS, Kiosk, ids  # noqa: E402

FORMS_DIR = os.path.join(REPO, "assets", "forms")
FORMS = ("kinder", "jugendliche", "eltern", "fachkraefte")
MAX_PAGES = {"kinder": 10, "jugendliche": 15, "eltern": 15, "fachkraefte": 15}
SKIP = ""  # the answer of a driver that is left unanswered


# ---- the forms, read as the kiosk reads them ----

class Form:
    def __init__(self, name):
        self.name = name
        d = os.path.join(FORMS_DIR, name)
        with open(os.path.join(d, "survey.csv"), encoding="utf-8-sig") as f:
            self.questions = [r for r in csv.DictReader(f) if r["type"].strip()]
        with open(os.path.join(d, "choices.csv"), encoding="utf-8-sig") as f:
            rows = [r for r in csv.DictReader(f) if r["list_name"].strip()]
        self.lists = {}
        for r in rows:
            self.lists.setdefault(r["list_name"], []).append(r)
        for q in self.questions:
            check(q["type"].split()[0] not in ("begin_group", "end_group"),
                  f"{name}: this test counts one page per question; groups need a new count")
            q["relevant_x"] = parse(q.get("relevant", ""))
            q["filter_x"] = parse(q.get("choice_filter", ""))

    def choices(self, q):
        parts = q["type"].split()
        return self.lists[parts[1]] if len(parts) > 1 else []

    def kind(self, q):
        return q["type"].split()[0]


# ---- the XPath subset the forms use ----

TOKEN = re.compile(r"\s*(?:(\$\{[^}]+\})|('[^']*'|\"[^\"]*\")|(!=|<=|>=|=|<|>)|([(),.])|"
                   r"([A-Za-z_][A-Za-z0-9_-]*)|(\d+(?:\.\d+)?))")


def parse(src):
    """An expression as nested tuples: ("ref", name), ("str", s), ("col", name),
    ("call", fn, args), ("op", op, a, b)."""
    src = (src or "").strip()
    if not src:
        return None
    toks, pos = [], 0
    while pos < len(src):
        m = TOKEN.match(src, pos)
        check(m and m.end() > pos, f"cannot read expression at {src[pos:]!r}")
        pos = m.end()
        ref, s, op, punct, word, num = m.groups()
        if ref:
            toks.append(("ref", ref[2:-1]))
        elif s:
            toks.append(("str", s[1:-1]))
        elif op:
            toks.append(("op", op))
        elif punct:
            toks.append(("p", punct))
        elif word:
            toks.append(("word", word))
        elif num:
            toks.append(("str", num))
    toks.append(("end", None))
    i = 0

    def peek():
        return toks[i]

    def take():
        nonlocal i
        i += 1
        return toks[i - 1]

    def chain(word, operand):
        """operand (word operand)*, left to right."""
        a = operand()
        while peek() == ("word", word):
            take()
            a = ("op", word, a, operand())
        return a

    def expr():
        return chain("or", conj)

    def conj():
        return chain("and", comp)

    def comp():
        a = prim()
        if peek()[0] == "op":
            op = take()[1]
            a = ("op", op, a, prim())
        return a

    def prim():
        t = take()
        if t == ("p", "("):
            a = expr()
            check(take() == ("p", ")"), f"missing ) in {src!r}")
            return a
        if t[0] in ("ref", "str"):
            return t
        if t == ("p", "."):
            return ("dot",)
        if t[0] == "word" and peek() == ("p", "("):
            take()
            args = []
            if peek() != ("p", ")"):
                args.append(expr())
                while peek() == ("p", ","):
                    take()
                    args.append(expr())
            check(take() == ("p", ")"), f"missing ) in {src!r}")
            return ("call", t[1], args)
        if t[0] == "word":
            return ("col", t[1])
        raise Fail(f"unexpected {t} in {src!r}")

    tree = expr()
    check(peek()[0] == "end", f"trailing text in {src!r}")
    return tree


def evaluate(x, answers, choice=None):
    kind = x[0]
    if kind == "ref":
        return answers.get(x[1], "")
    if kind == "str":
        return x[1]
    if kind == "col":
        check(choice is not None, f"column {x[1]} outside a choice_filter")
        return choice.get(x[1], "")
    if kind == "call":
        fn, args = x[1], [evaluate(a, answers, choice) for a in x[2]]
        if fn == "selected":
            return args[1] in str(args[0]).split()
        if fn == "not":
            return not truth(args[0])
        if fn == "count-selected":
            return len(str(args[0]).split())
        raise Fail(f"the model does not know {fn}()")
    op, a, b = x[1], x[2], x[3]
    if op == "or":
        return truth(evaluate(a, answers, choice)) or truth(evaluate(b, answers, choice))
    if op == "and":
        return truth(evaluate(a, answers, choice)) and truth(evaluate(b, answers, choice))
    va, vb = evaluate(a, answers, choice), evaluate(b, answers, choice)
    if op == "=":
        return str(va) == str(vb)
    if op == "!=":
        return str(va) != str(vb)
    raise Fail(f"the model does not compare with {op}")


def truth(v):
    return bool(v) if not isinstance(v, str) else v != ""


def refs(x, out):
    if x is None:
        return out
    if x[0] == "ref":
        out.add(x[1])
    elif x[0] == "call":
        for a in x[2]:
            refs(a, out)
    elif x[0] == "op":
        refs(x[2], out)
        refs(x[3], out)
    return out


# ---- paths ----

def visible(form, q, answers):
    return [c for c in form.choices(q)
            if q["filter_x"] is None or truth(evaluate(q["filter_x"], answers, c))]


def walk(form, given):
    """The pages shown (question names, in order) and the answers kept, for
    the answers `given` to the drivers; every other question is answered
    with its first visible choice (see fill)."""
    answers, pages = {}, []
    for q in form.questions:
        name = q["name"]
        if q["relevant_x"] is not None and not truth(evaluate(q["relevant_x"], answers)):
            continue
        pages.append(name)
        if name in given:
            if given[name] != SKIP:
                answers[name] = given[name]
        else:
            v = fill(form, q, answers)
            if v:
                answers[name] = v
    return tuple(pages), answers


def fill(form, q, answers):
    """The answer the script gives to a question that drives nothing."""
    kind = form.kind(q)
    if kind in ("select_one", "select_multiple"):
        return visible(form, q, answers)[0]["name"]
    if kind == "image":
        return f"{q['name']}.png"
    if kind == "text":
        return "typed"  # stands for what the keys typed; checked from the dump
    return ""


def driver_values(form, q):
    names = [c["name"] for c in form.choices(q)]
    if form.kind(q) == "select_one":
        return [SKIP] + names
    check(form.kind(q) == "select_multiple" and len(names) <= 8,
          f"{q['name']}: the model enumerates single choices and small multiple choices")
    return [SKIP] + [" ".join(s) for n in range(1, len(names) + 1)
                     for s in itertools.combinations(names, n)]


def paths(form):
    """One set of driver answers per distinct path (pages and the choices a
    filter leaves), and every path's pages."""
    drivers = set()
    for q in form.questions:
        refs(q["relevant_x"], drivers)
        refs(q["filter_x"], drivers)
    byname = {q["name"]: q for q in form.questions}
    drivers = [n for n in byname if n in drivers]
    found = {}
    for combo in itertools.product(*(driver_values(form, byname[n]) for n in drivers)):
        given = dict(zip(drivers, combo))
        pages, answers = walk(form, given)
        shown = tuple((p, tuple(c["name"] for c in visible(form, byname[p], answers)))
                      for p in pages if byname[p]["filter_x"] is not None)
        key = (pages, shown)
        if key not in found:
            # A driver's answer matters only where it was asked.
            found[key] = {n: v for n, v in given.items() if n in pages}
    return drivers, list(found.items())


# ---- the kiosk ----

def start(k, form, lang):
    """From the welcome screen to the first question, whichever of the
    language and the audience screen comes first."""
    k.do("touch start")
    for _ in range(4):
        d = k.dump()
        if d["screen"] == "question":
            return d
        if d["screen"] == "audience":
            check(f"audience:{form}" in ids(d, "audience:"), f"{form} offered: {ids(d, 'audience:')}")
            k.do(f"touch audience:{form}")
        elif d["screen"] == "language":
            check(f"lang:{lang}" in ids(d, "lang:"), f"{form}: {lang} offered: {ids(d, 'lang:')}")
            k.do(f"touch lang:{lang}")
        else:
            raise Fail(f"{form}/{lang}: screen {d['screen']} before the first question")
    raise Fail(f"{form}/{lang}: no question after language and audience")


def answer(k, form, q, d, value):
    """Gives `value` to the question on the page `d`; returns what the kiosk
    should store ("" for nothing)."""
    kind = form.kind(q)
    if value == SKIP:
        return ""
    if kind in ("select_one", "select_multiple"):
        offered = ids(d, "choice:")
        for v in value.split():
            check(f"choice:{v}" in offered, f"choice:{v} offered on {q['name']}: {offered}")
            k.do(f"touch choice:{v}")
        return value
    if kind == "image":
        k.do("drag canvas 0.2 0.3 0.8 0.7 300")
        return value
    if kind == "text":
        k.do(f"touch field:{q['name']}")
        keys = [t for t in ids(k.dump(), "key:") if t not in
                ("key:backspace", "key:space", "key:symbols", "key:layout", "key:shift")]
        for key in keys[:4]:
            k.do(f"touch {key}")
        return k.dump()["items"][0]["entry"]
    return ""


def take(form, lang, given, db, skip_rest):
    """One run: returns the pages shown and the answers the kiosk should
    have stored."""
    k = Kiosk(db, "800x480", FORMS_DIR)
    d = start(k, form.name, lang)
    byname = {q["name"]: q for q in form.questions}
    seen, gave = [], {}
    for _ in range(40):
        if d["screen"] == "thanks":
            break
        check(d["screen"] == "question", f"{form.name}/{lang}: screen {d['screen']}")
        check(d["dir"] == ("rtl" if lang == "ar" else "ltr"), f"{form.name}/{lang}: text direction")
        check(len(d["items"]) == 1, f"{form.name}: one question a page: {d['items']}")
        name = d["question"]
        seen.append(name)
        q = byname[name]
        if name in given:
            value = given[name]
        elif skip_rest:
            value = SKIP
        else:
            answers_so_far = {n: v for n, v in gave.items() if v}
            value = fill(form, q, answers_so_far)
        stored = answer(k, form, q, d, value)
        if stored:
            gave[name] = stored
        k.do("touch next")
        d = k.dump()
        check(d["screen"] != "question" or d["question"] != name,
              f"{form.name}/{lang}: {name} refused the answer {value!r}: {d['message']}")
    else:
        raise Fail(f"{form.name}/{lang}: never reached the thank-you screen")
    k.close()
    return seen, gave


def stored(db):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT s.form_id, s.lang, s.outcome, a.question, a.value"
                       " FROM session s LEFT JOIN answer a ON a.session_id = s.id").fetchall()
    con.close()
    sessions = {(f, lang, outcome) for f, lang, outcome, _, _ in rows}
    return sessions, {q: v for _, _, _, q, v in rows if q}


# ---- the scenario ----

def static_checks(form):
    name = form.name
    first = form.questions[0]
    check(first["type"] == "note", f"{name}: the first page is the opening note")
    for col, text in first.items():
        if col.lower().startswith("hint::"):
            check("×" in text, f"{name}: the opening page says where the × button is ({col})")
    for q in form.questions:
        check(q.get("required", "").strip().lower() in ("", "no", "false"),
              f"{name}/{q['name']}: required, but the opening page says any question can be skipped")
        if name == "kinder" and "faces" in q.get("appearance", ""):
            check(len(form.choices(q)) == 3, f"kinder/{q['name']}: children's faces have 3 points")


def scenario():
    d = tmpdir()
    jobs, budget = [], {}
    for fi, name in enumerate(FORMS):
        form = Form(name)
        static_checks(form)
        drivers, found = paths(form)
        longest = max(len(pages) for (pages, _), _ in found)
        budget[name] = (len(found), longest)
        check(longest <= MAX_PAGES[name],
              f"{name}: a path of {longest} pages, more than {MAX_PAGES[name]}")
        # Every follow-up asked in some path and skipped in another.
        for q in form.questions:
            if q["relevant_x"] is None:
                continue
            asked = [q["name"] in pages for (pages, _), _ in found]
            check(any(asked) and not all(asked),
                  f"{name}/{q['name']}: asked in {sum(asked)} of {len(asked)} paths")
        for i, ((pages, _), given) in enumerate(found):
            for lang in LANGS:
                # The first path skips its drivers; in one language it also
                # leaves every other question unanswered: all can be skipped.
                skip_rest = i == 0 and lang == LANGS[fi % len(LANGS)]
                jobs.append((len(jobs), form, lang, given, pages, skip_rest))

    def run(job):
        n, form, lang, given, pages, skip_rest = job
        db = os.path.join(d, f"{n:03d}-{form.name}-{lang}.db")
        seen, gave = take(form, lang, given, db, skip_rest)
        where = f"{form.name}/{lang} {given}"
        check(tuple(seen) == pages, f"{where}: pages {seen}, expected {list(pages)}")
        sessions, answers = stored(db)
        check(sessions == {(form.name, lang, "complete")}, f"{where}: one complete session: {sessions}")
        check(answers == gave, f"{where}: stored {answers}, given {gave}")
        for q in form.questions:
            if q["name"] not in seen:
                check(q["name"] not in answers, f"{where}: {q['name']} skipped but stored")
        return form.name, len(seen)

    workers = max(2, min(8, os.cpu_count() or 2))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run, jobs))
    for name in FORMS:
        counts = [n for f, n in results if f == name]
        paths_n, longest = budget[name]
        check(max(counts) == longest, f"{name}: the longest run had {max(counts)} pages, "
                                      f"the model {longest}")
        print(f"{name}: {paths_n} paths x {len(LANGS)} languages, "
              f"{min(counts)}-{max(counts)} pages (limit {MAX_PAGES[name]})")


if __name__ == "__main__":
    main(scenario)
