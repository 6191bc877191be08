"""Layout check on every screen of the sample survey, in German and English,
at 800x480 and 1280x800 on the default 7" panel (154.08 x 85.92 mm): no text
overflows its box, no targets overlap, answers are at least 15 mm and
everything tappable at least 10 mm, all inside the screen."""
import _path  # noqa: F401
from kiosk import check, main, run, tmpdir

PANEL_W_MM, PANEL_H_MM = 154.08, 85.92
WALK = ["dump", "touch start", "dump", "touch audience:kinder", "dump", "touch lang:{lang}", "dump",
        "touch next", "touch next", "dump", "touch choice:4", "touch next", "dump",
        "touch choice:3", "touch next", "dump", "touch choice:yes", "touch next", "touch choice:5",
        "touch next", "dump", "touch choice:art", "touch next", "dump", "touch choice:park",
        "dump", "touch quit", "dump", "touch no", "wait 60000", "dump", "touch continue",
        "touch next", "dump", "touch next", "dump", "quit"]


def overlaps(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def scenario():
    d = tmpdir()
    seen = set()
    for size in ("800x480", "1280x800"):
        w, h = map(int, size.split("x"))
        ppm = min(w / PANEL_W_MM, h / PANEL_H_MM)
        for lang in ("de", "en"):
            script = "\n".join(WALK).replace("{lang}", lang) + "\n"
            _, dumps = run(script, f"{d}/{size}{lang}.db", size=size)
            for dump in dumps:
                where = f"{size} {lang} {dump['screen']} {dump['question']}"
                seen.add(dump["screen"])
                check(dump["overflow"] == 0, f"{where}: {dump['overflow']} text(s) do not fit")
                targets = dump["targets"]
                for t in targets:
                    x, y, tw, th = t["rect"]
                    check(x >= 0 and y >= 0 and x + tw <= w and y + th <= h,
                          f"{where}: {t['id']} outside the screen {t['rect']}")
                    least = 15 if t["id"].startswith("choice:") else 10
                    check(min(tw, th) >= least * ppm - 1,
                          f"{where}: {t['id']} is {tw / ppm:.1f}x{th / ppm:.1f} mm, needs {least} mm")
                for i, a in enumerate(targets):
                    for b in targets[i + 1:]:
                        check(not overlaps(a["rect"], b["rect"]),
                              f"{where}: {a['id']} overlaps {b['id']}")
    want = {"attract", "audience", "language", "question", "confirm_quit", "idle_prompt", "thanks"}
    check(want <= seen, f"screens checked: {sorted(seen)}")


main(scenario)
