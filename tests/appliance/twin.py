"""twin: the headless kiosk beside the virtual machine. It runs the same
source (build/km2kiosk, SDL's dummy driver and software renderer) with the
same kiosk.conf at the same size and is tapped the same way, so it can say
where each target is (its `dump`) and what the screen must look like next
(its screenshot), which the test then looks for on the virtual screen."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
from tour import Kiosk  # noqa: E402


def config(path, images, usb_root, usb_mounts):
    """The packaged kiosk.conf as the test image has it (image.sh), with the
    installed paths pointed at the source tree and the stick at a folder."""
    lines = []
    with open(os.path.join(REPO, "assets", "packaging", "kiosk.conf"), encoding="utf-8") as f:
        for line in f:
            key = line.split("=", 1)[0].strip()
            if key in ("assets_dir", "locale_dir", "usb_root", "usb_eject"):
                continue
            lines.append(line.rstrip("\n"))
    with open(os.path.join(HERE, "kiosk-test.conf"), encoding="utf-8") as f:
        lines += [line.rstrip("\n") for line in f]
    recipient = subprocess.run(["age-keygen", "-y", os.path.join(images, "age.key")],
                               capture_output=True, text=True, check=True).stdout.strip()
    lines += [f"age_recipient = {recipient}",
              f"assets_dir = {os.path.join(REPO, 'assets')}",
              f"locale_dir = {os.path.join(REPO, 'build', 'locale')}",
              f"usb_root = {usb_root}", f"usb_mounts = {usb_mounts}", "usb_eject = true"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


class Twin(Kiosk):
    """A headless kiosk fed one script line at a time; `shots` is the
    folder its screenshots go to, its stderr goes to <db>.log."""

    error = RuntimeError  # run.py's steps report it

    def __init__(self, db, size, conf, shots):
        self.shots = shots
        os.makedirs(shots, exist_ok=True)
        self.err = open(db + ".log", "w")
        super().__init__(db, size, config=conf, stderr=self.err)

    def ended(self):
        return f"status {self.p.returncode}; see {self.err.name}"

    def shot(self, name):
        """The screen now as a PNG; returns (path, dump)."""
        path = os.path.join(self.shots, f"{name}-twin.png")
        self.do(f"screenshot {path}")
        return path, self.dump()  # the dump comes after the file is written

    def centre(self, tid, dump=None):
        """The middle of target `tid` on the current screen."""
        d = dump or self.dump()
        for t in d["targets"]:
            if t["id"] == tid:
                x, y, w, h = t["rect"]
                return x + w // 2, y + h // 2
        raise RuntimeError(f"no target {tid} on the twin's {d['screen']} screen: "
                           f"{[t['id'] for t in d['targets']]}")

    def close(self):
        try:
            self.do("quit")
            self.p.stdin.close()
            self.p.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()
        self.err.close()
