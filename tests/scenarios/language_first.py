"""The language comes first, then "who are you?" in that language: the
language screen offers every language an active form speaks (de en tr ar uk
ru first), each in its own name with "Answer in …" in it, under a heading
that says "Language" in each of them; the audience screen that follows
speaks the chosen language (right to left for Arabic) and shows only the
forms offered in it. kiosk.conf `languages` narrows the list, and a form
with none of those languages still offers its own."""
import os
import shutil

import _path  # noqa: F401
from kiosk import REPO, check, main, run, target, tmpdir

FIXTURES = os.path.join(REPO, "tests", "fixtures", "forms")


def ids(dump, prefix):
    return [t["id"] for t in dump["targets"] if t["id"].startswith(prefix)]


def scenario():
    d = tmpdir()
    forms = os.path.join(d, "forms")
    shutil.copytree(os.path.join(FIXTURES, "widgets"), os.path.join(forms, "widgets"))
    shutil.copytree(os.path.join(FIXTURES, "export", "zweit"), os.path.join(forms, "zweit"))
    db = os.path.join(d, "k.db")
    extra = ("--forms", forms)

    _, dumps = run("touch start\ndump\ntouch lang:ar\ndump\ntouch back\ndump\ntouch lang:de\ndump\n"
                   "touch audience:zweit\ndump\nquit\n", db, extra=extra)
    lang, ar, back, de, question = dumps
    check(lang["screen"] == "language", f"start leads to {lang['screen']}")
    check(ids(lang, "lang:") == [f"lang:{c}" for c in ("de", "en", "tr", "ar", "uk", "ru")],
          f"languages offered: {ids(lang, 'lang:')}")
    for word in ("Sprache", "Language", "Dil", "اللغة", "Мова", "Язык"):
        check(word in lang["title"], f"the heading lacks {word}: {lang['title']}")
    check(target(lang, "lang:ar")["text"] == "العربية", "Arabic in its own name")
    check(ar["screen"] == "audience" and ar["lang"] == "ar" and ar["dir"] == "rtl",
          f"after lang:ar: {ar['screen']} {ar['lang']} {ar['dir']}")
    check(ar["title"] == "من أنت؟", f"the audience screen in Arabic: {ar['title']}")
    check(ids(ar, "audience:") == ["audience:widgets"],
          f"only forms in Arabic are offered: {ids(ar, 'audience:')}")
    check(back["screen"] == "language", f"back from the audience screen: {back['screen']}")
    check(de["title"] == "Wer bist du?" and sorted(ids(de, "audience:")) ==
          ["audience:widgets", "audience:zweit"], f"German: {de['title']} {ids(de, 'audience:')}")
    check(question["screen"] == "question" and question["form"] == "zweit" and
          question["lang"] == "de", f"zweit in German: {question['screen']} {question['lang']}")

    # languages = ar: the widgets form offers Arabic only; zweit has no
    # Arabic and so still offers its German.
    conf = os.path.join(d, "kiosk.conf")
    with open(conf, "w") as f:
        f.write("languages = ar\n")
    _, dumps = run("touch start\ndump\ntouch lang:de\ndump\nquit\n",
                   os.path.join(d, "k2.db"), extra=extra + ("--config", conf))
    lang, de = dumps
    check(ids(lang, "lang:") == ["lang:de", "lang:ar"], f"narrowed: {ids(lang, 'lang:')}")
    check(ids(de, "audience:") == ["audience:zweit"], f"German only for zweit: {ids(de, 'audience:')}")


    # The shipped surveys beside a staff-imported youth form: children first,
    # then youth, parents and educators; the two youth tiles carry their
    # short titles (up to the first colon); in Arabic the speaker sits at the start of the heading, on the
    # right, as on the question pages.
    shutil.copytree(os.path.join(REPO, "assets", "forms"), os.path.join(d, "all"))
    shutil.copytree(os.path.join(FIXTURES, "widgets"), os.path.join(d, "all", "widgets"))
    _, dumps = run("touch start\ntouch lang:ar\ndump\ntouch back\ntouch lang:en\ndump\nquit\n",
                   os.path.join(d, "all.db"), size="1280x800",
                   extra=("--forms", os.path.join(d, "all")))
    ar, en = dumps
    order = ["audience:kinder", "audience:jugendliche", "audience:widgets", "audience:eltern",
             "audience:fachkraefte"]
    check(ids(ar, "audience:") == order, f"audience order: {ids(ar, 'audience:')}")
    check(target(ar, "speak")["rect"][0] > 640, f"Arabic speaker: {target(ar, 'speak')['rect']}")
    check(target(en, "speak")["rect"][0] < 640, f"English speaker: {target(en, 'speak')['rect']}")
    subs = {t["id"]: t.get("subtext", "") for t in en["targets"] if t["id"] in order}
    check(subs["audience:widgets"] == "Test form" and subs["audience:jugendliche"] == "Youth survey" and
          subs["audience:kinder"] == "" and subs["audience:fachkraefte"] == "",
          f"titles beneath the youth tiles only: {subs}")
    check(target(en, "audience:fachkraefte")["text"] == "Educator",
          f"the educators' tile: {target(en, 'audience:fachkraefte')['text']}")


main(scenario)
