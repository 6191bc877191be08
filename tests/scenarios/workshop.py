"""The Zukunftswerkstatt by script, headless through the real SDL UI: staff
start a workshop (gesture + PIN), cards are written in three phases in
German and Arabic (one with a drawing), staff approve them and reject one,
merge a duplicate, switch to voting; several participants give dots (one
tries to give more than the budget, one taps in a burst), staff show the
results. Checks what is stored (sqlite3), the ranking shown, the exported workshop
files (Python csv), and the layout of every workshop screen at
800x480, 1280x800 and 720x1280 in German and Arabic (with screenshots)."""
import _path  # noqa: F401
import csv
import glob
import json
import os
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor

from kiosk import BIN, REPO, SAMPLE_FORMS, check, main, target, tmpdir
from tour import SIZES, Kiosk, config_for, layout_problems
from ws_tour import staff_in, taps, ws_tour

SHOTS = os.path.join(REPO, os.environ.get("KS_BUILD", "build"), "screenshots", "workshop")


def q(db, sql, *args):
    con = sqlite3.connect(db)
    rows = con.execute(sql, args).fetchall()
    con.close()
    return rows


def card_id(db, text):
    rows = q(db, "SELECT id FROM ws_card WHERE text = ?", text)
    check(len(rows) == 1, f"card {text!r}: {rows}")
    return rows[0][0]


def write_card(k, lang, keys, topic=None, draw=False, age=None, idea=None):
    """One participant writes one card (a realisation card about the card
    id `idea`, which is chosen first); returns the sent screen's dump."""
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
    k = Kiosk(db, size, SAMPLE_FORMS, config_for(size, tmp))

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

    # Fantasy and realisation.
    staff(k, "ws:phase:fantasy", "staff:exit")
    write_card(k, "de", "baeume", topic="nature")
    write_card(k, "ar", "حديقة", topic="nature")
    moderate(k)
    staff(k, "ws:phase:realisation", "staff:exit")
    # A realisation card belongs to an idea: without one it is refused.
    k.do("touch start")
    k.do("touch lang:de")
    k.do("touch ws:add")
    card = k.dump()
    baeume = card_id(db, "baeume")
    ideas = [t["id"] for t in card["targets"] if t["id"].startswith("ws:idea:")]
    check(target(card, "ws:ideas")["selected"] and ideas == [f"ws:idea:{baeume}",
          f"ws:idea:{card_id(db, 'حديقة')}"], f"ideas offered: {ideas}")
    taps(k, ["ws:text", "key:x", "ws:confirm"])
    refused = k.dump()
    check(refused["screen"] == "ws_card" and "Idee" in refused["title"], refused["title"])
    k.do("touch ws:cancel")
    k.do("touch ws:exit")
    write_card(k, "de", "wir", topic="friends", idea=baeume)
    moderate(k)
    k.do("touch start")
    k.do("touch lang:ar")
    wall = k.dump()
    check(wall["title"] == "ماذا، ومن يمكنه المساعدة، ومتى؟", wall["title"])
    check([t["id"] for t in wall["targets"] if t["id"].startswith("card:")]
          == [f"card:{card_id(db, 'wir')}"], "the realisation wall")
    k.do("touch ws:exit")
    k.dump()
    phases = dict(q(db, "SELECT text, phase FROM ws_card"))
    check(phases["baeume"] == "fantasy" and phases["wir"] == "realisation", f"{phases}")
    abouts = q(db, "SELECT text, about_card FROM ws_card WHERE about_card IS NOT NULL")
    check(abouts == [("wir", baeume)], f"about_card: {abouts}")

    # Staff merge the duplicate ("kaputt") into "laerm".
    laerm, kaputt = card_id(db, "laerm"), card_id(db, "kaputt")
    staff(k, "ws:merge", f"merge:{kaputt}")
    d1 = k.dump()
    check(target(d1, f"merge:{kaputt}")["selected"], "merge source not marked")
    k.do(f"touch merge-into:{laerm}")
    d2 = k.dump()
    check(d2["message"] == "Die Karten sind zusammengeführt.", d2["message"])
    check(not any(t["id"].endswith(f":{kaputt}") for t in d2["targets"]), "merged card still shown")
    k.do("touch ws:back")
    k.do("touch ws:phase:voting")
    k.do("touch staff:exit")
    k.dump()
    check(q(db, "SELECT merged_into FROM ws_card WHERE id=?", kaputt)[0][0] == laerm, "not merged")

    # Voting: three visits within the budget, one trying to exceed it.
    d = vote(k, "de", [f"vote:{laerm}", f"vote:{laerm}", f"vote:{baeume}"])
    check(d["message"] == "Du hast alle Punkte vergeben.", d["message"])
    check(not target(d, f"vote:{laerm}")["enabled"], "dots beyond the budget offered")
    k.do("touch vote:confirm")
    check(k.dump()["message"] == "Deine Punkte sind gezählt.", "vote not confirmed")
    k.do("touch done")
    d = vote(k, "ar", [f"vote:{baeume}"] * 3)
    k.do("touch vote:confirm")
    k.do("touch done")
    d = vote(k, "de", [f"vote:{laerm}"] * 4)  # the fourth is refused
    check(d["message"] == "Du hast alle Punkte vergeben.", d["message"])
    k.do("touch vote:confirm")
    k.do("touch done")
    # A burst: ten taps within a second, then one dot.
    d = vote(k, "de", [f"vote:{laerm}", f"unvote:{laerm}"] * 5 + [f"vote:{laerm}"], wait=10)
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

    # Results: the ranking on the screen is the stored one.
    staff(k, "ws:phase:results", "ws:results")
    full = k.dump()
    check(full["screen"] == "staff_ws_results", full["screen"])
    bars = [int(t["id"][4:]) for t in full["targets"] if t["id"].startswith("bar:")]
    totals = dict(q(db, "SELECT coalesce(c.merged_into, c.id), sum(v.count) FROM ws_vote v"
                        " JOIN ws_card c ON c.id = v.card_id GROUP BY 1"))
    check(totals == {laerm: 6, baeume: 4}, f"totals: {totals}")
    check(bars[:2] == [laerm, baeume], f"ranking shown: {bars}")
    check(kaputt not in bars and card_id(db, "doof") not in bars, f"bars: {bars}")
    k.do("touch ws:back")
    k.do("touch staff:exit")
    k.do("touch start")
    k.do("touch lang:ar")
    res = k.dump()
    check(res["screen"] == "ws_results" and res["dir"] == "rtl", res["screen"])
    check([int(t["id"][4:]) for t in res["targets"] if t["id"].startswith("bar:")][:2]
          == [laerm, baeume], "participants' ranking")
    k.do("touch ws:rphase:fantasy")
    res = k.dump()
    check([int(t["id"][4:]) for t in res["targets"] if t["id"].startswith("bar:")][0] == baeume,
          "fantasy ranking")
    k.do("touch done")

    # Closing: the surveys come back.
    staff(k, "ws:close", "staff:exit")
    k.do("touch start")
    check(k.dump()["screen"] == "language", "the survey did not come back")
    k.close()
    check(q(db, "SELECT open FROM workshop")[0][0] == 0, "workshop still open")

    # The export's workshop files, when the export writes them.
    out = os.path.join(tmp, "stick")
    os.makedirs(out)
    p = subprocess.run([BIN, "export", "--db", db, "--to", out], capture_output=True, text=True,
                       cwd=REPO)
    cards_csv = glob.glob(os.path.join(out, "KM2KIOSK", "*", "data", f"workshop-{wid}-cards.csv"))
    check(cards_csv, f"no workshop cards exported: {p.stdout.strip()[:300]} {p.stderr[-300:]}")
    if cards_csv:
        with open(cards_csv[0], newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        by_text = {r["text"]: r for r in rows}
        check(set(by_text) == {"laerm", "بيت", "baeume", "حديقة", "wir"},
              f"exported cards (approved, not merged away): {sorted(by_text)}")
        top = by_text["laerm"]
        # The burst visit's dot is counted apart; the merged duplicate is named.
        check((top["votes"], top["votes_flagged"], top["merged_cards"], top["rank"])
              == ("5", "1", "1", "1"), f"laerm exported as {top}")
        check((by_text["baeume"]["votes"], by_text["baeume"]["rank"]) == ("4", "2"),
              f"baeume exported as {by_text['baeume']}")
        # The realisation card names its idea by the batch's random card_id.
        check(by_text["wir"]["about_card"] == by_text["baeume"]["card_id"] != "",
              f"wir exported as {by_text['wir']}")
        check(all(r["about_card"] == "" for t, r in by_text.items() if t != "wir"),
              f"about_card on other cards: {rows}")
        data_dir = os.path.dirname(cards_csv[0])
        with open(os.path.join(data_dir, "datapackage.json"), encoding="utf-8") as f:
            pkg = json.load(f)
        fields = [fl["name"] for r in pkg["resources"] if r["name"] == f"workshop-{wid}-cards"
                  for fl in r["schema"]["fields"]]
        check("about_card" in fields, f"datapackage fields: {fields}")
        with open(os.path.join(data_dir, "codebook.md"), encoding="utf-8") as f:
            check("about_card" in f.read(), "codebook does not describe about_card")
        drawing = by_text["بيت"]["drawing"]
        check(drawing and os.path.exists(os.path.join(os.path.dirname(cards_csv[0]), drawing)),
              f"drawing {drawing!r} not exported")
        votes_csv = cards_csv[0].replace("-cards.csv", "-votes.csv")
        with open(votes_csv, newline="", encoding="utf-8") as f:
            dots = {r["card_id"]: r for r in csv.DictReader(f)}
        check(dots[top["card_id"]]["dots_round_1"] == "5", f"votes file: {dots}")

    # Every workshop screen at three sizes, German and Arabic: layout and screenshots.
    def one(job):
        sz, lang = job
        shots = os.path.join(SHOTS, sz, lang)
        os.makedirs(shots, exist_ok=True)
        probs = []

        def on(kk, dump, name):
            kk.do(f"screenshot {shots}/{name}.png")
            probs.extend(layout_problems(dump, sz, f"{sz} {lang} {name}"))
        ws_tour(os.path.join(tmp, f"t-{sz}-{lang}.db"), sz, lang, on, config_for(sz, tmp))
        return probs
    with ThreadPoolExecutor(max_workers=6) as pool:
        problems = [p for r in pool.map(one, [(s, l) for s in SIZES for l in ("de", "ar")])
                    for p in r]
    check(not problems, "\n".join(problems[:30]))


main(scenario)
