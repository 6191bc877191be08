"""The screen turned by configuration (kiosk.conf `rotation`): at an 800x480
output with rotation 90 the kiosk lays out, scripts and screenshots a
480x800 upright screen, and touches reach the right targets through the
rotation; the same with rotation 270 and a differently wired panel
(touch_swap_xy, touch_flip_x). The screenshots land in
$KS_BUILD/screenshots/rotation/ (upright, logical size)."""
import os
import struct

import _path  # noqa: F401
from kiosk import check, main, run, target, tmpdir

SHOTS = os.path.join(os.environ.get("KS_BUILD", "build"), "screenshots", "rotation")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    check(head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def centre(t):
    x, y, w, h = t["rect"]
    return x + w // 2, y + h // 2


def turned(rotation, wiring=""):
    tmp = tmpdir()
    conf = os.path.join(tmp, "kiosk.conf")
    with open(conf, "w") as f:
        f.write(f"rotation = {rotation}\n{wiring}")
    os.makedirs(SHOTS, exist_ok=True)
    shot = os.path.abspath(os.path.join(SHOTS, f"rotation-{rotation}-language.png"))
    db = os.path.join(tmp, "k.db")
    # First find where the English tile is, then tap it by its pixels.
    _, d = run("dump\ntouch start\ndump\nquit\n", db, extra=("--config", conf))
    attract, language = d
    check(attract["size"] == [480, 800], f"rotation {rotation}: logical size {attract['size']}")
    check(target(attract, "start")["rect"] == [0, 0, 480, 800], "the start target is the screen")
    check(language["screen"] == "language", f"touch start: {language['screen']}")
    x, y = centre(target(language, "lang:en"))
    _, d = run(f"touch start\nscreenshot {shot}\ntap {x} {y}\ndump\ntap 479 799\ndump\n"
               "tap 480 10\n", db, extra=("--config", conf), expect_rc=2)
    audience, after = d
    check(audience["screen"] == "audience" and audience["lang"] == "en",
          f"rotation {rotation}: tap at {x},{y} gave {audience['screen']} {audience['lang']}")
    check(after["screen"] == "audience", "a tap in the bottom right corner is on the screen")
    check(png_size(shot) == (480, 800), f"screenshot size {png_size(shot)}")


def scenario():
    turned(90)
    turned(270, "touch_swap_xy = yes\ntouch_flip_x = yes\n")


main(scenario)
