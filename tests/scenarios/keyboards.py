"""A sentence typed on each keyboard layout (de, en, tr, ar, uk, ru): the
widgets fixture's free-text question in that language, every character by a
touch on its key (letters of the language's layout, a capital after shift,
digits and punctuation from the symbols page), then the layout key goes round all six layouts and
back. The stored answer must be the sentence exactly."""
import os
import shutil
import sqlite3

import _path  # noqa: F401
from kiosk import REPO, check, main, tmpdir
from tour import Kiosk

SENTENCES = {
    "de": "Mehr Bäume, größere Spielplätze und 3 Straßenfeste!",
    "en": "More trees and a safe way to school (please).",
    "tr": "Daha çok ağaç, güvenli yollar ve ışıklı parklar. İyi olur!",
    "ar": "أريد حديقة أكبر، وملعب جديد؟ نعم 2",
    "uk": "Більше дерев, їдальня і безпечна дорога до школи: 100%",
    "ru": "Ещё больше деревьев и безопасная дорога в школу!",
}


def key_ids(d):
    return {t["id"] for t in d["targets"] if t["id"].startswith("key:")}


def type_sentence(k, lang, text):
    d = k.dump()
    check(d["keys"] == lang, f"{lang}: the keyboard opens in its language, got {d['keys']}")
    symbols = False
    for ch in text:
        key = "key:space" if ch == " " else f"key:{ch}"
        if key not in key_ids(d) and "key:shift" in key_ids(d) and ch != ch.lower():
            k.do("touch key:shift")  # one capital, then back to small letters
            d = k.dump()
            check(key in key_ids(d), f"{lang}: no capital {ch!r}")
            k.do(f"touch {key}")
            d = k.dump()
            check(key not in key_ids(d) or ch in "-.,'", f"{lang}: shift held after {ch!r}")
            continue
        if key not in key_ids(d):
            k.do("touch key:symbols")
            symbols = not symbols
            d = k.dump()
        check(key in key_ids(d), f"{lang}: no key for {ch!r} on the {d['keys']} page")
        k.do(f"touch {key}")
        if symbols and ch not in "0123456789":
            # Back to the letters after punctuation, as a phone keyboard does
            # by hand here: the script says so explicitly.
            k.do("touch key:symbols")
            symbols = False
            d = k.dump()
    if symbols:
        k.do("touch key:symbols")
    d = k.dump()
    check(d["items"][0]["entry"] == text, f"{lang}: typed {d['items'][0]['entry']!r}")
    # The layout key goes round every language and back to this one.
    order = []
    for _ in range(6):
        k.do("touch key:layout")
        order.append(k.dump()["keys"])
    check(sorted(order) == sorted(SENTENCES) and order[-1] == lang, f"{lang}: layouts {order}")


def scenario():
    d = tmpdir()
    forms = os.path.join(d, "forms")
    shutil.copytree(os.path.join(REPO, "tests", "fixtures", "forms", "widgets"),
                    os.path.join(forms, "widgets"))
    for lang, text in SENTENCES.items():
        db = os.path.join(d, f"{lang}.db")
        k = Kiosk(db, "800x480", forms)
        for cmd in ("touch start", f"touch lang:{lang}", "touch audience:widgets",
                    "touch key:4", "touch key:2", "wait 3000", "touch next",
                    "touch key:1", "wait 3000", "touch next"):
            k.do(cmd)
        check(k.dump()["question"] == "wunsch", f"{lang}: the text question")
        type_sentence(k, lang, text)
        k.do("touch next")
        k.close()
        con = sqlite3.connect(db)
        got = con.execute("SELECT value FROM answer WHERE question = 'wunsch'").fetchone()
        con.close()
        check(got and got[0] == text, f"{lang}: stored {got!r}, typed {text!r}")
        print(f"{lang}: {len(text)} characters typed and stored")


main(scenario)
