"""make screenshots: every screen and widget, in all six languages, at
800x480, 1280x800 and 720x1280 (portrait), into $BUILD/screenshots/ as
<size>/<lang>/<form>-<screen>.png, every Zukunftswerkstatt screen as
<size>/<lang>/workshop-<screen>.png, plus the fault screen. Layout problems
found on the way are listed at the end (the layout scenario fails on them)."""
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import BIN, REPO  # noqa: E402
from tour import (LANGS, SIZES, TOUR_FORMS, config_for, layout_problems, tour,  # noqa: E402
                  tour_forms_dir)
from ws_tour import ws_tour  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
OUT = os.path.join(BUILD, "screenshots")


def one(tmp, forms, size, lang, form):
    """One form's tour ("workshop": the Zukunftswerkstatt's) at a size and
    in a language, each screen saved as a PNG; returns the layout problems
    met on the way."""
    out = os.path.abspath(os.path.join(OUT, size, lang))
    os.makedirs(out, exist_ok=True)
    problems = []

    def on_screen(k, dump, name):
        k.do(f"screenshot {out}/{form}-{name}.png")
        problems.extend(layout_problems(dump, size, f"{size} {lang} {form} {name}"))

    db = os.path.join(tmp, f"{size}-{lang}-{form}.db")
    if form == "workshop":
        ws_tour(db, size, lang, on_screen, config_for(size, tmp))
    else:
        tour(forms, form, lang, size, on_screen, db, config_for(size, tmp),
             extras=form == "widgets")
    return problems


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    tmp = tempfile.mkdtemp(prefix="ks-shots-")
    try:
        forms = tour_forms_dir(tmp)
        jobs = [(size, lang, form) for size in SIZES for lang in LANGS
                for form in (*TOUR_FORMS, "workshop")]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = list(pool.map(lambda j: one(tmp, forms, *j), jobs))
        broken = os.path.join(tmp, "broken.db")
        with open(broken, "w") as f:
            f.write("this is not a database\n")
        for size in SIZES:
            subprocess.run([BIN, "--headless", "--db", broken, "--windowed", size, "--script", "-"],
                           input=f"screenshot {os.path.abspath(OUT)}/{size}/fault.png\n",
                           text=True, capture_output=True, cwd=REPO, check=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = sum(len(files) for _, _, files in os.walk(OUT))
    problems = [p for r in results for p in r]
    print(f"screenshots in {OUT}: {n} files")
    for p in problems:
        print("layout:", p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
