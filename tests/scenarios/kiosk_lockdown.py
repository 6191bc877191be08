"""Kiosk lockdown: in kiosk (--fullscreen) mode closing the window, Escape,
Alt+F4 and Alt+Tab do nothing — the kiosk keeps running and taking
touches. In windowed (developer) mode Escape and closing the window quit."""
import _path  # noqa: F401
from kiosk import check, main, run, tmpdir

ATTEMPTS = "close\nkey escape\nkey alt+f4\nkey alt+tab\n"


def scenario():
    db = tmpdir() + "/k.db"
    _, d = run(ATTEMPTS + "dump\n" + "touch start\n" + ATTEMPTS + "dump\nquit\n", db,
               extra=("--fullscreen",))
    check(len(d) == 2, f"kiosk mode: the kiosk stopped after {len(d)} dumps")
    check(d[0]["screen"] == "attract", f"still on the welcome screen: {d[0]['screen']}")
    check(d[1]["screen"] == "language", f"touches still work: {d[1]['screen']}")
    for how in ("key escape", "close"):
        p, d = run(f"touch start\n{how}\ndump\nquit\n", db)
        check(d == [], f"windowed: `{how}` should quit, the kiosk went on: {d}")
    p, _ = run("key ctrl+alt+f1\n", db, expect_rc=2)
    check("key needs escape, alt+f4 or alt+tab" in p.stderr, f"unknown key: {p.stderr[-200:]}")


main(scenario)
