"""Start-up self-test: each failure has its own staff screen and its own
journal line. A data folder that cannot be written (a read-only bind mount
when running as root, who ignores permission bits; a folder without write
permission otherwise), a missing font file (the screen is still drawn, with
a font that is there), and no forms at all. A full disk is disk_full.py's.
Where no read-only folder can be made (root without the right to mount),
the data folder case is skipped, and the scenario with it (counted)."""
import os
import subprocess

import _path  # noqa: F401
from kiosk import check, main, run, skip, tmpdir


def readonly(d):
    """Makes folder d read-only; returns (how to undo it, None), or (None,
    why not) when it cannot be done here."""
    if os.geteuid() == 0:
        for cmd in (["mount", "--bind", d, d], ["mount", "-o", "remount,bind,ro", d]):
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                subprocess.run(["umount", d], capture_output=True)
                return None, f"{' '.join(cmd[:3])}: {' '.join(r.stderr.split())[:160]}"

        def undo():
            subprocess.run(["umount", d], check=True)
    else:
        os.chmod(d, 0o500)

        def undo():
            os.chmod(d, 0o700)
    # Proof that it took: a file can no longer be made there.
    try:
        with open(os.path.join(d, "probe"), "w"):
            pass
    except OSError:
        return undo, None
    os.unlink(os.path.join(d, "probe"))
    undo()
    return None, "the folder stayed writable"


def data_folder():
    """Returns None when the case ran, else why it could not."""
    d = os.path.join(tmpdir(), "data")
    os.makedirs(d)
    db = os.path.join(d, "k.db")
    run("quit\n", db)  # a database from an earlier start
    undo, why = readonly(d)
    if undo is None:
        return f"no read-only data folder can be made here ({why})"
    try:
        p, dumps = run("dump\ntap 400 300\ndump\nquit\n", db)
    finally:
        undo()
    check(dumps[0]["screen"] == "fault", f"read-only data folder: {dumps[0]['screen']}")
    check("Datenordner" in dumps[0]["message"] and d in dumps[0]["message"],
          f"the fault names the folder: {dumps[0]['message']}")
    check(dumps[1]["screen"] == "fault", "a tap on the fault screen started something")
    check(dumps[0]["overflow"] == 0, "the fault message does not fit")
    check(f"self-test: the data folder {d} is not writable" in p.stderr,
          f"no journal line: {p.stderr[-600:]}")
    return None


def fonts():
    d = tmpdir()
    conf = os.path.join(d, "k.conf")
    with open(conf, "w") as f:
        f.write("font_arabic = /nonexistent/NotoSansArabic-Regular.ttf\n"
                "font_regular = /nonexistent/NotoSans-Regular.ttf\n")
    shot = os.path.join(d, "fonts.png")
    p, dumps = run(f"dump\nscreenshot {shot}\npress 20 20 3500\ndump\nquit\n",
                   os.path.join(d, "k.db"), extra=("--config", conf))
    check(dumps[0]["screen"] == "fault", f"missing fonts: {dumps[0]['screen']}")
    check("Schriftdatei /nonexistent/NotoSans-Regular.ttf" in dumps[0]["message"],
          f"the fault names the first missing font: {dumps[0]['message']}")
    check(dumps[0]["overflow"] == 0, "the fault message does not fit")
    check("self-test: font /nonexistent/NotoSansArabic-Regular.ttf cannot be read" in p.stderr,
          "no journal line for the second missing font")
    check(dumps[1]["screen"] == "staff_pin", "staff mode must open to export before a reinstall")
    check(os.path.getsize(shot) > 1000, "no screenshot of the fault screen")


def forms():
    d = tmpdir()
    empty = os.path.join(d, "forms")
    os.makedirs(empty)
    p, dumps = run("dump\nquit\n", os.path.join(d, "k.db"), extra=("--forms", empty))
    check(dumps[0]["screen"] == "fault", f"no forms: {dumps[0]['screen']}")
    check("Umfrage" in dumps[0]["message"], f"no-forms message: {dumps[0]['message']}")
    check("self-test: no form to offer" in p.stderr, f"no journal line: {p.stderr[-600:]}")


def scenario():
    not_run = data_folder()
    fonts()
    forms()
    if not_run:
        skip(f"the read-only data folder case: {not_run}; missing fonts and no forms passed")
    print("read-only data folder, missing fonts and no forms each have their own staff screen")


main(scenario)
