"""Layout check on every screen and widget: the widgets fixture form and the
three shipped surveys, in all six languages, at 800x480, 1280x800 and
720x1280 (portrait) on a 7" panel (154.08 x 85.92 mm, turned for portrait):
no text overflows its box, no targets overlap, answers are at least 15 mm and
everything tappable at least 10 mm, all inside the screen (tests/tools/tour.py
walks the screens). A deliberately tiny panel must be reported, so the check
can fail."""
import os
from concurrent.futures import ThreadPoolExecutor

import _path  # noqa: F401
from kiosk import check, main, tmpdir
from tour import (LANGS, SIZES, TOUR_FORMS, Kiosk, config_for, layout_problems, tour,
                  tour_forms_dir)


def walk(d, forms, size, lang, config=None):
    problems, screens = [], set()

    def on_screen(k, dump, name):
        screens.add(dump["screen"])
        problems.extend(layout_problems(dump, size, f"{size} {lang} {name} {dump['question']}"))

    for form in TOUR_FORMS:
        tour(forms, form, lang, size, on_screen, os.path.join(d, f"{size}-{lang}-{form}.db"),
             config or config_for(size, d), extras=form == "widgets")
    return problems, screens


def scenario():
    d = tmpdir()
    forms = tour_forms_dir(d)
    jobs = [(size, lang) for size in SIZES for lang in LANGS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda j: walk(d, forms, *j), jobs))
    problems = [p for r, _ in results for p in r]
    seen = set().union(*(s for _, s in results))
    check(not problems, f"{len(problems)} layout problem(s):\n" + "\n".join(problems[:40]))
    want = {"attract", "audience", "language", "question", "confirm_quit", "idle_prompt", "thanks"}
    check(want <= seen, f"screens checked: {sorted(seen)}")
    # The staff fault screen (a database that is not one), at every size.
    broken = os.path.join(d, "broken.db")
    with open(broken, "w") as f:
        f.write("this is not a database\n")
    for size in SIZES:
        k = Kiosk(broken, size, forms, config_for(size, d))
        dump = k.dump()
        k.close()
        check(dump["screen"] == "fault", f"fault screen expected, got {dump['screen']}")
        bad = layout_problems(dump, size, f"{size} fault")
        check(not bad, "\n".join(bad))
    # A panel far too small for its pixels must be reported.
    tiny = os.path.join(d, "tiny.conf")
    with open(tiny, "w") as f:
        f.write("panel_width_mm = 60\npanel_height_mm = 36\n")
    bad, _ = walk(d, forms, "800x480", "de", tiny)
    check(len(bad) > 0, "a 60 x 36 mm panel passed the layout check")
    print(f"{len(jobs)} size/language runs, {len(TOUR_FORMS)} forms each: clean")


main(scenario)
