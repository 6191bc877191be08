"""A tour of every screen and widget: a headless kiosk is driven page by page
(it reads each `dump` before deciding the next touch), through the widgets
fixture form and every shipped survey, in any language and at any screen
size. `make screenshots` uses it to save each screen as a PNG; the layout
scenario uses it to check each screen's geometry.

    tour(form_dir_parent, form, lang, size, on_screen, config=None)

calls on_screen(kiosk, dump, name) for every screen shown; `name` is a short
stable label ("02-language", "q07-rangfolge-rank") for file names."""
import json
import os
import shutil
import subprocess
import threading

from kiosk import BIN, REPO, TIME_SCALE, Fail, check

# A 7" panel (the official Raspberry Pi display), landscape and portrait.
PANEL_LANDSCAPE = (154.08, 85.92)
SIZES = ("800x480", "1280x800", "720x1280")
LANGS = ("de", "en", "tr", "ar", "uk", "ru")


# What a tour walks: the widgets fixture form and the shipped surveys.
TOUR_FORMS = ("widgets", "kinder", "jugendliche", "eltern", "fachkraefte")


def tour_forms_dir(tmp):
    """A forms folder in tmp with the shipped surveys and the widgets
    fixture side by side; returns its path."""
    d = os.path.join(tmp, "forms")
    shutil.copytree(os.path.join(REPO, "assets", "forms"), d)
    shutil.copytree(os.path.join(REPO, "tests", "fixtures", "forms", "widgets"),
                    os.path.join(d, "widgets"))
    return d


def panel_for(size):
    w, h = map(int, size.split("x"))
    return PANEL_LANDSCAPE if w >= h else PANEL_LANDSCAPE[::-1]


def config_for(size, directory):
    """A kiosk.conf for the panel in the orientation of `size`."""
    pw, ph = panel_for(size)
    path = os.path.join(directory, f"panel-{pw}x{ph}.conf")
    # Written aside and renamed: tours running in parallel may read it.
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}"
    with open(tmp, "w") as f:
        f.write(f"panel_width_mm = {pw}\npanel_height_mm = {ph}\n")
    os.replace(tmp, path)
    return path


class Kiosk:
    """A headless kiosk fed one script line at a time: on the forms folder
    and kiosk.conf given (either may be None); what it prints on stderr is
    kept for a failure's message unless stderr names a file for it."""

    error = Fail  # what dump() raises when the kiosk has ended

    def __init__(self, db, size, forms=None, config=None, stderr=subprocess.PIPE):
        cmd = [BIN, "--headless", "--db", db, "--windowed", size, "--script", "-"]
        if forms:
            cmd += ["--forms", forms]
        if config:
            cmd += ["--config", config]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=stderr, cwd=REPO, text=True, bufsize=1,
                                  errors="replace")

    def do(self, cmd):
        self.p.stdin.write(cmd + "\n")

    def ended(self):
        """Why the kiosk is gone: its exit status and its last words."""
        return f"status {self.p.returncode}:\n{self.p.stderr.read()[-2000:]}"

    def dump(self):
        self.do("dump")
        line = self.p.stdout.readline()
        if not line:
            self.p.wait(timeout=30 * TIME_SCALE)
            raise self.error(f"the kiosk ended ({self.ended()})")
        return json.loads(line)

    def close(self):
        self.do("quit")
        self.p.stdin.close()
        err = self.p.stderr.read()
        check(self.p.wait(timeout=60 * TIME_SCALE) == 0,
              f"kiosk exit status {self.p.returncode}:\n{err[-2000:]}")


def ids(d, prefix):
    return [t["id"] for t in d["targets"] if t["id"].startswith(prefix)]


def answer_item(k, d, i, step):
    """Answers item i of a question page the way a respondent would."""
    it = d["items"][i]
    q, w = it["question"], it["widget"]
    multi = len(d["items"]) > 1
    choices = [c for c in ids(d, "choice:") if not multi or c.startswith(f"choice:{q}/")]
    if w in ("faces", "tiles", "yes_no", "list"):
        k.do(f"touch {choices[min(step, len(choices) - 1)]}")
    elif w == "checks":
        for c in choices[:2]:
            k.do(f"touch {c}")
    elif w == "rank":
        for c in ids(d, "rank:"):
            k.do(f"touch {c}")
    elif w == "scale":
        k.do(f"touch {ids(d, 'value:')[-1]}")
    elif w == "slider":
        k.do(f"touch {ids(d, 'slider')[0]}")
    elif w == "ack":
        k.do("touch ack")
    elif w == "numpad":
        k.do(f"touch field:{q}")
        k.do("touch key:1")
        k.do("touch key:2")
    elif w == "keyboard":
        k.do(f"touch field:{q}")
        for key in ids(d, "key:")[:3]:
            if key not in ("key:backspace", "key:space", "key:symbols", "key:layout"):
                k.do(f"touch {key}")
    elif w == "canvas":
        k.do("drag canvas 0.2 0.3 0.8 0.7 300")


def tour(forms, form, lang, size, on_screen, db, config=None, extras=True):
    """Walks `form` in `lang` from the attract screen to the thank-you
    screen. With extras, also shows the screens a respondent meets on the
    way: a refused answer, the keyboard's symbols page and next layout, the
    quit question and the idle prompt."""
    k = Kiosk(db, size, forms, config)
    seen = []

    def show(name):
        d = k.dump()
        on_screen(k, d, name)
        seen.append(d)
        return d

    show("01-attract")
    k.do("touch start")
    show("02-language")
    k.do(f"touch lang:{lang}")
    show("03-audience")
    k.do(f"touch audience:{form}")
    extra_done = set()
    for page in range(60):
        d = show(f"q{page + 4:02d}")
        if d["screen"] == "thanks":
            break
        check(d["screen"] == "question", f"{form}/{lang}/{size}: unexpected screen {d['screen']}")
        q = d["question"]
        widgets = [it["widget"] for it in d["items"]]
        if extras and "keyboard" in widgets and "keys" not in extra_done:
            extra_done.add("keys")
            k.do(f"touch field:{q}")
            k.do("touch key:symbols")
            show(f"q{page + 4:02d}-symbols")
            k.do("touch key:symbols")
            k.do("touch key:layout")
            show(f"q{page + 4:02d}-next-layout")
            for _ in range(len(LANGS) - 1):  # round to the language's own letters
                k.do("touch key:layout")
        if extras and "refused" not in extra_done and any(
                t["id"] == "next" and not t["enabled"] for t in d["targets"]):
            extra_done.add("refused")
            k.do("touch next")
            show(f"q{page + 4:02d}-refused")
        for i in range(len(d["items"])):
            answer_item(k, d, i, page)
        if widgets:
            show(f"q{page + 4:02d}-answered")
        if extras and page == 1:
            k.do("touch quit")
            show("x1-confirm-quit")
            k.do("touch no")
            k.do("wait 60000")
            show("x2-idle-prompt")
            k.do("touch continue")
        k.do("touch next")
        after = k.dump()
        if after["screen"] == "question" and after["question"] == q:
            # Still here: the answer was refused; try the next choice.
            for i in range(len(after["items"])):
                answer_item(k, after, i, page + 1)
            k.do("touch next")
    else:
        check(False, f"{form}/{lang}/{size}: never reached the thank-you screen")
    k.close()
    return seen


def overlaps(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def layout_problems(dump, size, where):
    """What is wrong with one screen's geometry: text that does not fit,
    targets off screen, below 10 mm (15 mm for answers), or overlapping."""
    w, h = map(int, size.split("x"))
    pw, ph = panel_for(size)
    ppm = min(w / pw, h / ph)
    out = []
    if dump["overflow"]:
        out.append(f"{where}: {dump['overflow']} text(s) or part(s) do not fit")
    ts = dump["targets"]
    for t in ts:
        x, y, tw, th = t["rect"]
        if not (x >= 0 and y >= 0 and x + tw <= w and y + th <= h):
            out.append(f"{where}: {t['id']} outside the screen {t['rect']}")
        least = 15 if t["id"].startswith("choice:") else 10
        if min(tw, th) < least * ppm - 1:
            out.append(f"{where}: {t['id']} is {tw / ppm:.1f}x{th / ppm:.1f} mm, needs {least} mm")
    for i, a in enumerate(ts):
        for b in ts[i + 1:]:
            if overlaps(a["rect"], b["rect"]):
                out.append(f"{where}: {a['id']} overlaps {b['id']}")
    return out
