"""The Zukunftswerkstatt by script, headless through the real SDL UI: staff
start a workshop (gesture + PIN), critique cards are written in German and
Arabic (one with a drawing), staff approve them and reject one, merge a
duplicate; a voting round about the critique (only critique cards offered);
in the Fantasie phase the wall offers the top critique cards and an idea
answers one; plan cards (idea, what, who, when — one from pictures only)
in the Verwirklichung phase; a voting round about the ideas (only ideas
offered, the critique never mixed in); several participants give dots (one
tries to give more than the budget, one taps in a burst); the results per
round and the plan. Checks what is stored (sqlite3), what the screens show,
the exported workshop files — cards, votes per round, the plan as CSV and
as German Markdown (Python csv) — and the layout of every workshop screen
at 800x480, 1280x800 and 720x1280 in all six languages (with screenshots in
German and Arabic; the children's new tiles at least 15 mm)."""
import _path  # noqa: F401
import csv
import glob
import json
import os
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor

from kiosk import BIN, REPO, SAMPLE_FORMS, check, main, target, tmpdir
from tour import LANGS, SIZES, Kiosk, config_for, layout_problems, panel_for
from ws_tour import staff_in, taps, with_locale, ws_tour

SHOTS = os.path.join(REPO, os.environ.get("KS_BUILD", "build"), "screenshots", "workshop")


# The children's tiles of the plan and the starting points: 15 mm at least,
# as the answers of a survey (layout_problems asks 10 mm of other targets).
CHILD_TILES = ("ws:who:", "ws:when:", "ws:answer:", "ws:idea:", "ws:topic:")


def child_sizes(dump, size, where):
    w, h = map(int, size.split("x"))
    pw, ph = panel_for(size)
    ppm = min(w / pw, h / ph)
    return [f"{where}: {t['id']} is {t['rect'][2] / ppm:.1f}x{t['rect'][3] / ppm:.1f} mm, "
            "needs 15 mm" for t in dump["targets"]
            if t["id"].startswith(CHILD_TILES) and min(t["rect"][2:]) < 15 * ppm - 1]


def q(db, sql, *args):
    con = sqlite3.connect(db)
    rows = con.execute(sql, args).fetchall()
    con.close()
    return rows


def card_id(db, text):
    rows = q(db, "SELECT id FROM ws_card WHERE text = ?", text)
    check(len(rows) == 1, f"card {text!r}: {rows}")
    return rows[0][0]


def write_card(k, lang, keys, topic=None, draw=False, age=None, idea=None, who=(), when=None):
    """One participant writes one card (a plan card about the card id
    `idea`, which is chosen first, with its helpers `who` and its time
    `when`); returns the sent screen's dump."""
    k.do("touch start")
    k.do(f"touch lang:{lang}")
    k.do("touch ws:add")
    if idea:
        taps(k, [f"ws:idea:{idea}", "ws:text"])
    taps(k, [f"key:{c}" for c in keys])
    if topic:
        taps(k, ["ws:topics", f"ws:topic:{topic}"])
    if draw:
        k.do("touch ws:draw")
        k.do("drag canvas 0.1 0.1 0.9 0.9 400")
    if age:
        taps(k, ["ws:ages", f"ws:age:{age}"])
    if who:
        taps(k, ["ws:who"] + [f"ws:who:{w}" for w in who])
    if when:
        taps(k, ["ws:when", f"ws:when:{when}"])
    k.do("touch ws:confirm")
    d = k.dump()
    k.do("touch ws:wall")
    k.do("touch ws:exit")
    return d


def staff(k, *ids):
    staff_in(k, False)
    k.do("touch staff:workshop")
    for i in ids:
        k.do(f"touch {i}")


def moderate(k, reject=()):
    """Staff decide every pending card: reject those whose text is in
    `reject`, approve the rest. Returns what was seen."""
    staff(k, "ws:moderate")
    seen = []
    for _ in range(20):
        d = k.dump()
        ids = [t["id"] for t in d["targets"]]
        if "ws:approve" not in ids:
            break
        bad = any(r in d["message"] for r in reject)
        seen.append((d["message"], "ws:drawing" in ids, bad))
        k.do("touch ws:reject" if bad else "touch ws:approve")
    k.do("touch staff:exit")
    return seen


def vote(k, lang, ids, wait=300):
    k.do("touch start")
    k.do(f"touch lang:{lang}")
    taps(k, ids, wait)
    d = k.dump()
    return d


def scenario():
    tmp = tmpdir()
    db = os.path.join(tmp, "k.db")
    size = "1280x800"
    k = Kiosk(db, size, SAMPLE_FORMS, with_locale(config_for(size, tmp)))

    # Staff start the workshop with the defaults.
    staff_in(k, True)
    k.do("touch staff:workshop")
    setup = k.dump()
    check(setup["screen"] == "staff_workshop", setup["screen"])
    check(target(setup, "ws:set:title")["text"] == "Titel: Zukunftswerkstatt", setup["targets"])
    check(target(setup, "ws:set:question")["text"] == "Frage: Unser Kiez in 5 Jahren", "question")
    check(target(setup, "ws:dots")["text"] == "je 3 Punkte", target(setup, "ws:dots")["text"])
    check(target(setup, "ws:approval")["selected"], "approval off by default")
    k.do("touch ws:start")
    k.do("touch staff:exit")
    k.dump()  # the kiosk has done everything asked so far
    ws = q(db, "SELECT id, title, question, langs, dots, approval, phase, open FROM workshop")
    check(len(ws) == 1 and ws[0][1:] == ("Zukunftswerkstatt", "Unser Kiez in 5 Jahren",
                                         "de en tr ar uk ru", 3, 1, "critique", 1), f"{ws}")
    wid = ws[0][0]

    # Critique: cards in German and Arabic (with a drawing and an age).
    sent = write_card(k, "de", "laerm", topic="safety")
    check(sent["screen"] == "ws_sent" and sent["message"] == "Deine Karte wartet auf Freigabe.",
          f"{sent['screen']}: {sent['message']}")
    sent = write_card(k, "ar", "بيت", topic="play", draw=True, age="10-13")
    check(sent["dir"] == "rtl" and sent["message"] == "بطاقتك بانتظار الموافقة.", sent["message"])
    write_card(k, "de", "kaputt", topic="play")
    write_card(k, "de", "doof")
    # An empty card is not sent: the screen says why.
    k.do("touch start")
    k.do("touch lang:de")
    k.do("touch ws:add")
    k.do("touch ws:confirm")
    empty = k.dump()
    check(empty["screen"] == "ws_card" and "Schreib etwas" in empty["title"], empty["title"])
    k.do("touch ws:cancel")
    wall = k.dump()
    check(wall["screen"] == "ws_wall" and wall["title"] == "Was nervt dich?", wall["title"])
    check(not any(t["id"].startswith("card:") for t in wall["targets"]), "pending card on the wall")
    k.do("touch ws:exit")
    k.dump()

    rows = q(db, "SELECT text, lang, topic, age_band, status, phase FROM ws_card ORDER BY id")
    check(rows == [("laerm", "de", "safety", "", "pending", "critique"),
                   ("بيت", "ar", "play", "10-13", "pending", "critique"),
                   ("kaputt", "de", "play", "", "pending", "critique"),
                   ("doof", "de", "", "", "pending", "critique")], f"cards: {rows}")
    check(q(db, "SELECT count(*) FROM ws_drawing")[0][0] == 1, "drawing not stored")
    png = q(db, "SELECT png FROM ws_drawing")[0][0]
    check(png[:8] == b"\x89PNG\r\n\x1a\n", "the drawing is not a PNG")

    seen = moderate(k, reject=("doof",))
    check(len(seen) == 4 and sum(s[2] for s in seen) == 1, f"moderation saw {seen}")
    check(any(s[1] for s in seen), "the drawing was not shown for moderation")
    k.dump()
    check(q(db, "SELECT status FROM ws_card WHERE text='doof'")[0][0] == "rejected", "not rejected")

    # The wall now shows the three approved critique cards, grouped by topic.
    k.do("touch start")
    k.do("touch lang:de")
    wall = k.dump()
    on_wall = [t["id"] for t in wall["targets"] if t["id"].startswith("card:")]
    check(len(on_wall) == 3, f"wall: {on_wall}")
    play = {card_id(db, "بيت"), card_id(db, "kaputt")}
    check({int(i[5:]) for i in on_wall[:2]} == play, f"not grouped by topic: {on_wall}")
    k.do("touch ws:exit")

    # Staff merge the duplicate ("kaputt") into "laerm".
    laerm, kaputt, bait = card_id(db, "laerm"), card_id(db, "kaputt"), card_id(db, "بيت")
    staff(k, "ws:merge", f"merge:{kaputt}")
    d1 = k.dump()
    check(target(d1, f"merge:{kaputt}")["selected"], "merge source not marked")
    k.do(f"touch merge-into:{laerm}")
    d2 = k.dump()
    check(d2["message"] == "Die Karten sind zusammengeführt.", d2["message"])
    check(not any(t["id"].endswith(f":{kaputt}") for t in d2["targets"]), "merged card still shown")
    k.do("touch ws:back")

    # A voting round about the critique: staff choose it while voting.
    k.do("touch ws:phase:voting")
    ctl = k.dump()
    check(target(ctl, "ws:vphase:fantasy")["selected"], "voting is about the ideas by default")
    k.do("touch ws:vphase:critique")
    ctl = k.dump()
    check(target(ctl, "ws:vphase:critique")["selected"]
          and ctl["message"] == "Abstimmungsrunde 1 über: Kritik", ctl["message"])
    k.do("touch staff:exit")
    k.dump()
    check(q(db, "SELECT merged_into FROM ws_card WHERE id=?", kaputt)[0][0] == laerm, "not merged")
    d = vote(k, "de", [f"vote:{laerm}", f"vote:{laerm}", f"vote:{bait}"])
    check(d["title"] == "Was stört am meisten?", d["title"])
    offered = [t["id"] for t in d["targets"] if t["id"].startswith("vote:") and t["id"] != "vote:confirm"]
    check(sorted(offered) == sorted([f"vote:{laerm}", f"vote:{bait}"]), f"critique round: {offered}")
    check(d["message"] == "Du hast alle Punkte vergeben.", d["message"])
    check(not target(d, f"vote:{laerm}")["enabled"], "dots beyond the budget offered")
    k.do("touch vote:confirm")
    check(k.dump()["message"] == "Deine Punkte sind gezählt.", "vote not confirmed")
    k.do("touch done")
    # A burst: ten taps within a second, then one dot.
    d = vote(k, "de", [f"vote:{laerm}", f"unvote:{laerm}"] * 5 + [f"vote:{laerm}"], wait=10)
    k.do("touch vote:confirm")
    k.do("touch done")

    # Fantasy: the top critique cards are the starting points; one tap on
    # "laerm" (the most dots) writes its opposite.
    staff(k, "ws:phase:fantasy", "staff:exit")
    k.do("touch start")
    k.do("touch lang:de")
    wall = k.dump()
    starters = [t["id"] for t in wall["targets"] if t["id"].startswith("ws:answer:")]
    check(starters == [f"ws:answer:{laerm}", f"ws:answer:{bait}"], f"starting points: {starters}")
    k.do(f"touch ws:answer:{laerm}")
    card = k.dump()
    check(card["screen"] == "ws_card" and card["title"] == "Das Gegenteil von: laerm", card["title"])
    taps(k, ["key:r", "key:u", "key:h", "key:e", "ws:confirm"])
    check(k.dump()["screen"] == "ws_sent", "the opposite was not sent")
    k.do("touch ws:wall")
    k.do("touch ws:exit")
    write_card(k, "de", "baeume", topic="nature")
    write_card(k, "ar", "حديقة", topic="nature")
    moderate(k)
    ruhe, baeume = card_id(db, "ruhe"), card_id(db, "baeume")
    check(q(db, "SELECT about_card FROM ws_card WHERE id=?", ruhe)[0][0] == laerm,
          "the idea does not remember the critique it answers")

    # Verwirklichung: a plan card belongs to an idea: without one it is refused.
    staff(k, "ws:phase:realisation", "staff:exit")
    k.do("touch start")
    k.do("touch lang:de")
    k.do("touch ws:add")
    card = k.dump()
    ideas = [t["id"] for t in card["targets"] if t["id"].startswith("ws:idea:")]
    check(target(card, "ws:ideas")["selected"] and set(ideas) == {f"ws:idea:{baeume}",
          f"ws:idea:{ruhe}", f"ws:idea:{card_id(db, 'حديقة')}"}, f"ideas offered: {ideas}")
    check([t["id"] for t in card["targets"] if t["id"] in ("ws:topics", "ws:ages")] == [],
          "a plan has no topic or age part")
    taps(k, ["ws:text", "key:x", "ws:confirm"])
    refused = k.dump()
    check(refused["screen"] == "ws_card" and "Idee" in refused["title"], refused["title"])
    k.do("touch ws:cancel")
    k.do("touch ws:exit")
    # The plan: what first (typed), who (two), by when; then one from pictures only.
    write_card(k, "de", "wir", idea=baeume, who=("us", "parents"), when="week")
    sent = write_card(k, "ar", "", idea=baeume, who=("city",), when="later")
    check(sent["screen"] == "ws_sent", f"a plan of pictures only: {sent['title']}")
    moderate(k)
    k.do("touch start")
    k.do("touch lang:ar")
    wall = k.dump()
    check(wall["title"] == "ماذا، ومن يمكنه المساعدة، ومتى؟", wall["title"])
    plans = q(db, "SELECT id, text, who, by_when, about_card FROM ws_card"
                  " WHERE phase = 'realisation' ORDER BY id")
    check([p[1:] for p in plans] == [("wir", "us parents", "week", baeume),
                                     ("", "city", "later", baeume)], f"plan cards: {plans}")
    check(sorted(t["id"] for t in wall["targets"] if t["id"].startswith("card:"))
          == sorted(f"card:{p[0]}" for p in plans), "the realisation wall")
    check(target(wall, f"card:{plans[1][0]}")["text"] == "الحي أو المدينة", "a plan of pictures")
    k.do("touch ws:exit")

    # A voting round about the ideas: a new round (the critique one has dots).
    staff(k, "ws:phase:voting", "ws:vphase:fantasy")
    ctl = k.dump()
    check(ctl["message"] == "Abstimmungsrunde 2 über: Fantasie", ctl["message"])
    k.do("touch staff:exit")
    d = vote(k, "ar", [f"vote:{baeume}"] * 3)
    offered = {t["id"] for t in d["targets"] if t["id"].startswith("vote:") and t["id"] != "vote:confirm"}
    check(f"vote:{laerm}" not in offered and f"vote:{baeume}" in offered and len(offered) == 3,
          f"idea round: {offered}")
    k.do("touch vote:confirm")
    k.do("touch done")
    d = vote(k, "de", [f"vote:{baeume}"] * 4)  # the fourth is refused
    check(d["message"] == "Du hast alle Punkte vergeben.", d["message"])
    k.do("touch vote:confirm")
    k.do("touch done")
    k.dump()
    tokens = q(db, "SELECT token, sum(count) FROM ws_vote GROUP BY token")
    check(len(tokens) == 4 and all(n <= 3 for _, n in tokens), f"tokens: {tokens}")
    check(sorted(n for _, n in tokens) == [1, 3, 3, 3], f"dots per visit: {tokens}")
    # (Card writers typing at script speed are flagged too; voters who
    # tapped at a human pace are not.)
    flags = dict(q(db, "SELECT token, reason FROM ws_flag WHERE workshop_id=?", wid))
    check([flags.get(t) for t, n in sorted(tokens, key=lambda r: r[1])] ==
          ["burst", None, None, None], f"flags: {flags}")
    # Never mixed: each round's dots went to one phase's cards.
    mixed = q(db, "SELECT v.round, group_concat(DISTINCT c.phase) FROM ws_vote v"
                  " JOIN ws_card c ON c.id = v.card_id GROUP BY v.round ORDER BY v.round")
    check(mixed == [(1, "critique"), (2, "fantasy")], f"rounds: {mixed}")
    check(q(db, "SELECT round, phase FROM ws_round ORDER BY round") == [(1, "critique"),
          (2, "fantasy")], "ws_round")

    # Results: each round on its own; the plan.
    staff(k, "ws:phase:results", "ws:results")
    full = k.dump()
    check(full["screen"] == "staff_ws_results", full["screen"])
    check(target(full, "ws:round:2")["selected"], "the latest round first")
    bars = [int(t["id"][4:]) for t in full["targets"] if t["id"].startswith("bar:")]
    check(bars[0] == baeume and laerm not in bars, f"idea round shown: {bars}")
    k.do("touch ws:round:1")
    full = k.dump()
    bars = [int(t["id"][4:]) for t in full["targets"] if t["id"].startswith("bar:")]
    check(bars == [laerm, bait], f"critique round shown: {bars}")
    check(kaputt not in bars and card_id(db, "doof") not in bars, f"bars: {bars}")
    k.do("touch ws:plan")
    full = k.dump()
    check(full["message"] == "Idee: baeume", full["message"])
    check([t["id"] for t in full["targets"] if t["id"].startswith("plan:who:")]
          == ["plan:who:us", "plan:who:parents"], f"plan rows: {full['targets']}")
    k.do("touch ws:page:next")
    full = k.dump()
    check([t["id"] for t in full["targets"] if t["id"].startswith("plan:")]
          == ["plan:who:city", f"plan:city:{plans[1][0]}"], "the plan's second page")
    k.do("touch ws:back")
    k.do("touch staff:exit")
    k.do("touch start")
    k.do("touch lang:ar")
    res = k.dump()
    check(res["screen"] == "ws_results" and res["dir"] == "rtl", res["screen"])
    check([int(t["id"][4:]) for t in res["targets"] if t["id"].startswith("bar:")][0] == baeume,
          "participants' ranking")
    k.do("touch ws:plan")
    res = k.dump()
    check(res["title"] == "خطتنا" and target(res, "plan:who:us")["text"] == "نحن أنفسنا",
          f"the plan in Arabic: {res['title']}")
    k.do("touch done")

    # Closing: the surveys come back.
    staff(k, "ws:close", "staff:exit")
    k.do("touch start")
    d_ = k.dump()
    check(d_["screen"] == "language", f"the survey did not come back: {d_['screen']}")
    k.close()
    check(q(db, "SELECT open FROM workshop")[0][0] == 0, "workshop still open")

    # The export's workshop files: cards, votes per round, the plan.
    out = os.path.join(tmp, "stick")
    os.makedirs(out)
    p = subprocess.run([BIN, "export", "--db", db, "--to", out], capture_output=True, text=True,
                       cwd=REPO)
    cards_csv = glob.glob(os.path.join(out, "KM2KIOSK", "*", "data", f"workshop-{wid}-cards.csv"))
    check(cards_csv, f"no workshop cards exported: {p.stdout.strip()[:300]} {p.stderr[-300:]}")
    data_dir = os.path.dirname(cards_csv[0])
    with open(cards_csv[0], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_text = {r["text"]: r for r in rows}
    check(set(by_text) == {"laerm", "بيت", "ruhe", "baeume", "حديقة", "wir", ""},
          f"exported cards (approved, not merged away): {sorted(by_text)}")
    top, idea = by_text["laerm"], by_text["baeume"]
    # The burst visit's dot is counted apart; the merged duplicate is named.
    check((top["votes"], top["votes_flagged"], top["merged_cards"], top["rank"])
          == ("2", "1", "1", "2"), f"laerm exported as {top}")
    check((idea["votes"], idea["rank"]) == ("6", "1"), f"baeume exported as {idea}")
    # About: a plan names its idea, an idea the critique it answers.
    check(by_text["wir"]["about_card"] == idea["card_id"] != "", f"wir exported as {by_text['wir']}")
    check(by_text["ruhe"]["about_card"] == top["card_id"], f"ruhe exported as {by_text['ruhe']}")
    check(all(r["about_card"] == "" for t, r in by_text.items() if t not in ("wir", "ruhe", "")),
          f"about_card on other cards: {rows}")
    check((by_text["wir"]["who"], by_text["wir"]["by_when"]) == ("us parents", "week"),
          f"who/when: {by_text['wir']}")
    with open(os.path.join(data_dir, "datapackage.json"), encoding="utf-8") as f:
        pkg = json.load(f)
    fields = {r["name"]: [fl["name"] for fl in r["schema"]["fields"]] for r in pkg["resources"]
              if "schema" in r}
    check("about_card" in fields[f"workshop-{wid}-cards"], f"datapackage fields: {fields}")
    with open(os.path.join(data_dir, "codebook.md"), encoding="utf-8") as f:
        check("about_card" in f.read(), "codebook does not describe about_card")
    drawing = by_text["بيت"]["drawing"]
    check(drawing and os.path.exists(os.path.join(data_dir, drawing)),
          f"drawing {drawing!r} not exported")
    with open(cards_csv[0].replace("-cards.csv", "-votes.csv"), newline="", encoding="utf-8") as f:
        dots = {r["card_id"]: r for r in csv.DictReader(f)}
    check((dots[top["card_id"]]["dots_round_1"], dots[top["card_id"]]["dots_round_2"]) == ("2", "0")
          and (dots[idea["card_id"]]["dots_round_1"], dots[idea["card_id"]]["dots_round_2"])
          == ("0", "6"), f"votes file: {dots}")
    # The plan: the approved plan cards of the ideas, most dots first.
    with open(os.path.join(data_dir, f"workshop-{wid}-plan.csv"), newline="",
              encoding="utf-8") as f:
        plan = list(csv.DictReader(f))
    check(list(plan[0]) == fields[f"workshop-{wid}-plan"] == ["card_id", "idea_card_id",
          "idea_rank", "idea", "what", "masked", "drawing", "who", "when", "dots"],
          f"plan columns: {list(plan[0])}")
    got = sorted((r["idea"], r["what"], r["who"], r["when"], r["dots"], r["idea_rank"])
                 for r in plan)
    check(got == [("baeume", "", "city", "later", "6", "1"),
                  ("baeume", "wir", "us parents", "week", "6", "1")], f"plan rows: {plan}")
    check({r["idea_card_id"] for r in plan} == {idea["card_id"]}, "plan ideas by card_id")
    with open(os.path.join(data_dir, f"workshop-{wid}-plan.md"), encoding="utf-8") as f:
        md = f.read()
    for line in ("# Unser Plan: Zukunftswerkstatt", "## 1. baeume (6 Punkte)", "### Wir selbst",
                 "- wir – bis: diese Woche", "### Eltern", "### Bezirk/Stadt",
                 "- (ohne Text) – bis: später"):
        check(line in md, f"plan.md lacks {line!r}:\n{md}")
    check(md.index("### Wir selbst") < md.index("### Eltern") < md.index("### Bezirk/Stadt"),
          "plan.md: helpers out of order")

    # Every workshop screen at three sizes in all six languages: layout (and
    # screenshots in German and Arabic).
    def one(job):
        sz, lang = job
        shots = os.path.join(SHOTS, sz, lang)
        if lang in ("de", "ar"):
            os.makedirs(shots, exist_ok=True)
        probs = []

        def on(kk, dump, name):
            if lang in ("de", "ar"):
                kk.do(f"screenshot {shots}/{name}.png")
            where = f"{sz} {lang} {name}"
            probs.extend(layout_problems(dump, sz, where))
            probs.extend(child_sizes(dump, sz, where))
        ws_tour(os.path.join(tmp, f"t-{sz}-{lang}.db"), sz, lang, on, config_for(sz, tmp))
        return probs
    with ThreadPoolExecutor(max_workers=2) as pool:
        problems = [p for r in pool.map(one, [(s, l) for s in SIZES for l in LANGS]) for p in r]
    check(not problems, "\n".join(problems[:30]))


main(scenario)
