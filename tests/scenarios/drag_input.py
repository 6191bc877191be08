"""A finger dragged along a slider (the `drag X1 Y1 X2 Y2 MS` script command:
down, a motion report every ~16 ms, up) sets the value where it is let go,
on an upright screen and on one turned by 90 degrees; the value is stored.
A drag with bad arguments names the line and the screen size."""
import os

import _path  # noqa: F401
from kiosk import check, main, run, sessions, target, tmpdir

SETTINGS = """form_id,form_title::Deutsch (de),form_title::English (en),version,default_language,audience
dragf,Ziehen,Drag,2026-11-1,de,youth
"""
SURVEY = """type,name,label::Deutsch (de),label::English (en),required,parameters
range,wert,Wie viel?,How much?,yes,start=0 end=100 step=1
"""
START = "touch start\ntouch lang:de\ntouch audience:dragf\ndump\n"


def forms(tmp):
    d = os.path.join(tmp, "forms", "dragf")
    os.makedirs(d)
    with open(os.path.join(d, "settings.csv"), "w") as f:
        f.write(SETTINGS)
    with open(os.path.join(d, "survey.csv"), "w") as f:
        f.write(SURVEY)
    return os.path.join(tmp, "forms")


def slide(size, extra=()):
    tmp = tmpdir()
    fdir = forms(tmp)
    db = os.path.join(tmp, "k.db")
    args = ("--forms", fdir, *extra)
    _, d = run(START + "quit\n", db, size=size, extra=args)
    x, y, w, h = target(d[0], "slider")["rect"]
    cy = y + h // 2
    x_end = x + (w - 1) * 3 // 4
    _, d = run(START + f"drag {x} {cy} {x_end} {cy} 400\ndump\n"
               f"drag {x + w - 1} {cy} {x + (w - 1) // 4} {cy + h} 100\ndump\n"
               "touch next\ndump\nquit\n", db, size=size, extra=args)
    q, first, second, done = d
    check(q["items"][0]["widget"] == "slider", f"a slider: {q['items'][0]['widget']}")
    v1 = int(first["items"][0]["entry"] or -1)
    v2 = int(second["items"][0]["entry"] or -1)
    check(74 <= v1 <= 76, f"{size} {extra}: dragged to 3/4, value {v1}")
    check(24 <= v2 <= 26, f"{size} {extra}: dragged back to 1/4 (ending below it), value {v2}")
    check(done["screen"] == "thanks", f"after next: {done['screen']}")
    s = sessions(db)[-1]
    check(s["answers"].get("wert") == str(v2), f"stored {s['answers']}, shown {v2}")
    return fdir


def scenario():
    slide("800x480")
    tmp = tmpdir()
    conf = os.path.join(tmp, "kiosk.conf")
    with open(conf, "w") as f:
        f.write("rotation = 90\n")
    fdir = slide("1280x800", ("--config", conf))
    p, _ = run("drag 1 2 3 4\n", os.path.join(tmp, "e.db"), extra=("--forms", fdir), expect_rc=2)
    check("stdin:1: drag needs X1 Y1 X2 Y2 MS inside the 800x480 screen" in p.stderr,
          f"error message: {p.stderr[-300:]}")
    p, _ = run("drag 1 2 3 900 10\n", os.path.join(tmp, "e.db"), extra=("--forms", fdir),
               expect_rc=2)
    check("drag needs X1 Y1 X2 Y2 MS inside the 800x480 screen" in p.stderr, "off-screen end")


main(scenario)
