"""A youth fills in the widgets fixture form (tests/fixtures/forms/widgets) by
touch, in German, English and Arabic, at 800x480 and 1280x800: the number
pad (a refused constraint keeps the page and says why), the decimal pad, the
keyboard, a numbered scale, a slider dragged (in Arabic it runs from the
right), a drawing (strokes, undo, another pen; stored as PNG), a rank list
(a tap on a placed row takes it and every later place back), acknowledge,
and a field-list page with two questions. Every page is saved as a screenshot into
$KS_BUILD/screenshots/widgets/; the stored answers are checked."""
import os
import shutil
import sqlite3

import _path  # noqa: F401
from kiosk import REPO, check, main, run, sessions, target, tmpdir

FORM = os.path.join(REPO, "tests", "fixtures", "forms", "widgets")
SHOTS = os.path.join(os.environ.get("KS_BUILD", "build"), "screenshots", "widgets")
PANEL_W_MM, PANEL_H_MM = 154.08, 85.92


def keys(text):
    return [f"touch key:{'space' if ch == ' ' else ch}" for ch in text]


# What is typed on the keyboard page, in letters of the language's layout.
WISH = {"de": ("mehr parks", " und noch viel mehr baeume und spielplaetze"),
        "en": ("more parks", " and many more trees and playgrounds here"),
        "ar": ("حديقة كبيرة", " وأشجار كثيرة وملاعب للأطفال في كل مكان")}
# Where the slider is let go, and the value that gives in reading order.
SLIDER = {"ltr": ("0.35", "35"), "rtl": ("0.35", "65")}


def script(prefix):
    s = lambda name: f"screenshot {prefix}-{name}.png"  # noqa: E731
    short, more = WISH[LANG]
    lines = ["touch start", f"touch lang:{LANG}", "touch audience:widgets",
             # 1 integer: 150 is refused by the constraint, 42 is taken
             "dump", s("01-integer-empty"), *keys("150"), "touch next", "dump",
             s("02-integer-refused"),
             "touch key:backspace", "touch key:backspace", "touch key:backspace", *keys("42"),
             "dump", "touch next",
             # 2 decimal
             "dump", *keys("2.5"), s("03-decimal"), "touch next",
             # 3 text on the keyboard
             "dump", *keys(short), "dump", s("04-keyboard"),
             *keys(more), s("04b-keyboard-long"),
             *(["touch key:backspace"] * len(more)), "dump", "touch next",
             # 4 range 1..5 with appearance picker: numbered tiles
             "dump", s("05-scale-empty"), "touch value:4", "dump", s("06-scale"), "touch next",
             # 5 range 0..100 step 5: a slider, dragged
             "dump", s("07-slider-empty"),
             f"drag slider 0.1 0.5 {SLIDER[DIR][0]} 0.5 300", "dump", s("07b-slider"),
             "touch next",
             # 6 a drawing: two strokes, one undone, one more in red
             "dump", s("08-canvas-empty"), "drag canvas 0.1 0.1 0.9 0.9 400",
             "drag canvas 0.1 0.9 0.9 0.1 400", "touch undo", "touch pen:red",
             "drag canvas 0.2 0.5 0.8 0.5 300", "dump", s("08b-canvas"), "touch next",
             # 7 rank: bib park club, then park again takes park and club back
             "dump", s("09-rank-empty"), "touch rank:bib", "touch rank:park", "touch rank:club",
             "dump", "touch rank:park", "dump", "touch rank:park", "touch rank:sport",
             "touch rank:club", "dump", s("10-rank"), "touch next",
             # 8 acknowledge
             "dump", s("11-ack-empty"), "touch ack", "dump", s("12-ack"), "touch next",
             # 9 field-list group: two questions on one page
             "dump", s("13-group-empty"), "touch next", "dump", s("14-group-refused"),
             "touch choice:verein/ja", "touch choice:jugendclub/manchmal", "dump", s("15-group"),
             "touch next", "dump", "quit"]
    return "\n".join(lines) + "\n"


LANG = "de"
DIR = "ltr"


def check_layout(dump, size):
    """Every target inside the screen, at least 10 mm (answers 15 mm), no
    overlaps, nothing overflowing."""
    w, h = map(int, size.split("x"))
    ppm = min(w / PANEL_W_MM, h / PANEL_H_MM)
    where = f"{size} {LANG} {dump['screen']} {dump['question']}"
    check(dump["overflow"] == 0, f"{where}: {dump['overflow']} part(s) do not fit")
    ts = dump["targets"]
    for t in ts:
        x, y, tw, th = t["rect"]
        check(x >= 0 and y >= 0 and x + tw <= w and y + th <= h, f"{where}: {t['id']} off screen")
        least = 15 if t["id"].startswith("choice:") else 10
        check(min(tw, th) >= least * ppm - 1,
              f"{where}: {t['id']} is {tw / ppm:.1f}x{th / ppm:.1f} mm, needs {least} mm")
    for i, a in enumerate(ts):
        for b in ts[i + 1:]:
            ax, ay, aw, ah = a["rect"]
            bx, by, bw, bh = b["rect"]
            check(not (ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah),
                  f"{where}: {a['id']} overlaps {b['id']}")


def item(dump, i=0):
    check("items" in dump, f"dump has no items: {sorted(dump)}")
    return dump["items"][i]


def ranks(dump):
    return {t["id"]: t["selected"] for t in dump["targets"] if t["id"].startswith("rank:")}


def scenario():
    global LANG
    d = tmpdir()
    forms = os.path.join(d, "forms")
    shutil.copytree(FORM, os.path.join(forms, "widgets"))
    os.makedirs(SHOTS, exist_ok=True)
    global DIR
    for size, lang in (("800x480", "de"), ("800x480", "ar"), ("1280x800", "en"),
                       ("1280x800", "ar")):
        LANG = lang
        DIR = "rtl" if lang == "ar" else "ltr"
        db = f"{d}/{size}-{lang}.db"
        _, dumps = run(script(os.path.join(SHOTS, f"{size}-{lang}")), db, size=size,
                       extra=("--forms", forms))
        for dump in dumps:
            check_layout(dump, size)
        it = iter(dumps)
        first = next(it)
        check(first["question"] == "alter" and item(first)["widget"] == "numpad",
              f"first page: {first['question']}")
        check(first["keys"] == "numbers", f"integer pad: {first['keys']}")
        for k in ("key:0", "key:9", "key:backspace", "field:alter"):
            target(first, k)
        refused = next(it)
        check(refused["question"] == "alter", "a refused number keeps the page")
        check(item(refused)["problem"], f"the item says what is wrong: {item(refused)}")
        want_msg = {"de": "Bitte eine Zahl von 0 bis 120.", "en": "Please a number from 0 to 120.",
                    "ar": "من فضلك اكتب رقمًا من 0 إلى 120."}
        check(item(refused)["message"] == want_msg[lang], f"message {item(refused)['message']}")
        check(item(refused)["entry"] == "150", f"entry {item(refused)['entry']}")
        typed = next(it)
        check(item(typed)["entry"] == "42" and not item(typed)["problem"], f"entry {item(typed)}")
        check(target(typed, "field:alter")["text"] == "42", "the field shows what was typed")
        dec = next(it)
        check(dec["question"] == "weg" and dec["keys"] == "decimal", f"decimal pad {dec['keys']}")
        target(dec, "key:.")
        text = next(it)
        check(text["question"] == "wunsch" and item(text)["widget"] == "keyboard", "keyboard")
        check(text["keys"] == lang, f"keyboard layout {text['keys']}")
        check(len([t for t in text["targets"] if t["id"].startswith("key:")]) >= 30, "letter keys")
        typed = next(it)
        check(item(typed)["entry"] == WISH[lang][0], f"typed {item(typed)['entry']}")
        typed = next(it)
        check(item(typed)["entry"] == WISH[lang][0], f"after backspaces {item(typed)['entry']}")
        sc = next(it)
        check(item(sc)["widget"] == "scale", "range 1..5 is a scale")
        vals = [t["id"] for t in sc["targets"] if t["id"].startswith("value:")]
        check(vals == [f"value:{n}" for n in range(1, 6)], f"scale tiles {vals}")
        sc = next(it)
        check(target(sc, "value:4")["selected"], "the tapped number is selected")
        sl = next(it)
        check(sl["question"] == "prozent" and item(sl)["widget"] == "slider", "range 0..100: slider")
        check(target(sl, "slider")["selected"] is False, "no value before the slider is touched")
        sl = next(it)
        check(item(sl)["entry"] == SLIDER[DIR][1], f"slider value {item(sl)['entry']}")
        cv = next(it)
        check(cv["question"] == "bild" and item(cv)["widget"] == "canvas", "drawing page")
        for t in ("canvas", "pen:black", "pen:red", "undo", "clear"):
            target(cv, t)
        check(not target(cv, "undo")["enabled"], "nothing to undo yet")
        cv = next(it)
        check(target(cv, "pen:red")["selected"] and target(cv, "undo")["enabled"], "drawn in red")
        rk = next(it)
        check(item(rk)["widget"] == "rank" and len(ranks(rk)) == 4, f"rank rows {ranks(rk)}")
        rk = next(it)
        check(ranks(rk) == {"rank:park": True, "rank:sport": False, "rank:bib": True,
                            "rank:club": True}, f"three placed {ranks(rk)}")
        rk = next(it)
        check(ranks(rk) == {"rank:park": False, "rank:sport": False, "rank:bib": True,
                            "rank:club": False}, f"park and later taken back {ranks(rk)}")
        next(it)
        ack = next(it)
        check(item(ack)["widget"] == "ack" and not target(ack, "ack")["selected"], "ack page")
        ack = next(it)
        check(target(ack, "ack")["selected"], "acknowledged")
        grp = next(it)
        check(len(grp["items"]) == 2, f"two questions on the group page: {grp['items']}")
        check(grp["title"] in ("Deine Freizeit", "Your free time", "وقت فراغك"),
              f"group title {grp['title']}")
        for t in ("choice:verein/ja", "choice:verein/nein", "choice:jugendclub/nie"):
            target(grp, t)
        grp = next(it)
        check(grp["question"] == "verein" and item(grp, 0)["problem"], "required item complains")
        grp = next(it)
        check(target(grp, "choice:verein/ja")["selected"], "choice on a group page")
        end = next(it)
        check(end["screen"] == "thanks", f"thanks after the group, got {end['screen']}")

        rows = sessions(db)
        check(len(rows) == 1 and rows[0]["outcome"] == "complete", f"one complete session {rows}")
        want = {"alter": "42", "weg": "2.5", "wunsch": WISH[lang][0], "zufrieden": "4",
                "prozent": SLIDER[DIR][1], "bild": "bild.png", "rangfolge": "bib park sport club",
                "ok": "OK", "verein": "ja", "jugendclub": "manchmal"}
        got = rows[0]["answers"]
        check(got == want, f"answers {got} != {want}")
        con = sqlite3.connect(db)
        media = con.execute("SELECT question, mime, substr(data, 1, 8) FROM answer_media").fetchall()
        con.close()
        check(media == [("bild", "image/png", b"\x89PNG\r\n\x1a\n")], f"the drawing's PNG: {media}")


main(scenario)
