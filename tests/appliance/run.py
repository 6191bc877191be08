#!/usr/bin/python3
"""run: `make test-appliance` — the kiosk package, as `make deb` built it,
installed on Debian bookworm and booted in QEMU (KMSDRM on virtio-gpu,
systemd, udev, polkit), driven from outside as a person and a power socket
would, and compared with the headless kiosk (twin.py) screen by screen.

    /usr/bin/python3 tests/appliance/run.py --arch amd64 --images DIR --out DIR

Checks, each printed with its figures:
  1 boot       the unit is active (READY) and the virtual screen is the
               twin's welcome screen
  2 tap        a tap where the twin has a target opens that target's screen
  3 export     a survey answered by taps, staff mode (gesture, PIN chosen
               twice), a USB stick plugged, the export run on the
               touchscreen and the stick then unmounted by the kiosk through
               polkit (the mount unit gone), and the batch checked on the
               host with sha256sum, minisign, age and zbarimg (the QR read
               off the virtual screen)
  4 power      the power pulled at random moments of further surveys; after
               each boot the database is intact, every survey that reached
               the thank-you screen is stored complete exactly once, and the
               welcome screen is back
  5 watchdog   the kiosk stopped (SIGSTOP) is restarted by systemd within
               WatchdogSec plus a margin, and its screen comes back
  6 self-test  forced onto the renderer that draws nothing on KMSDRM, the
               kiosk says so in the journal and is not reported ready
Steps run in this order; each starts where the one before left the kiosk.
Screens go to OUT/screens/ (NNN-name-vm.png beside NNN-name-twin.png); a
failure names the step and the screendump to look at."""
import argparse
import base64
import hashlib
import os
import random
import shutil
import subprocess
import sys
import time

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from twin import Twin, config  # noqa: E402
from vm import Vm, VmError  # noqa: E402

SIZE = (800, 480)
PIN = "2468"
DB = "/var/lib/km2kiosk/kiosk.db"
STICK_MOUNT = "/media/km2kiosk/sda"
KIOSK_ID = "QEMU-KIOSK"
# A pixel differs when a channel is off by more than PIXEL_TOLERANCE. The
# GLES2 renderer in the VM and the twin's software renderer put the edges of
# rounded tiles and glyphs a pixel apart, so a difference counts only where
# it is more than a line: what survives one step of erosion (a pixel that
# differs with all four neighbours). A screen matches when at most
# MATCH_PIXELS such pixels remain; a PIN dot or a tick is far more.
PIXEL_TOLERANCE = 48
MATCH_PIXELS = 8
# The welcome picture floats up and down by a few pixels (attract motion).
FLOAT_PX = 8
# Seconds a survey page is shown at least before "next" (misuse_min_ms is 0.8).
PAGE_S = 1.0


class Fail(Exception):
    pass


def log(msg):
    print(msg, flush=True)


# ---- screens -------------------------------------------------------------

def pixels(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def differing(a, b, shift=0):
    """Pixels of a that differ from b by more than a line (see above); with
    shift, a pixel may match b up to `shift` rows above or below (the
    floating picture)."""
    if a.shape != b.shape:
        return a.shape[0] * a.shape[1]
    d = np.abs(a - b).max(axis=2)
    for dy in range(1, shift + 1):
        down = np.full(d.shape, 255, dtype=np.int16)
        down[dy:] = np.abs(a[dy:] - b[:-dy]).max(axis=2)
        up = np.full(d.shape, 255, dtype=np.int16)
        up[:-dy] = np.abs(a[:-dy] - b[dy:]).max(axis=2)
        d = np.minimum(d, np.minimum(down, up))
    m = d > PIXEL_TOLERANCE
    core = m.copy()
    core[1:, :] &= m[:-1, :]
    core[:-1, :] &= m[1:, :]
    core[:, 1:] &= m[:, :-1]
    core[:, :-1] &= m[:, 1:]
    core[0, :] = core[-1, :] = core[:, 0] = core[:, -1] = False
    return int(core.sum())


class Screens:
    """Names and numbers the screens a run looks at, and finds the twin's
    screen on the virtual one."""

    def __init__(self, vm, out):
        self.vm, self.dir, self.n = vm, os.path.join(out, "screens"), 0
        os.makedirs(self.dir, exist_ok=True)
        self.poll = os.path.join(out, "poll.ppm")

    def name(self, what):
        self.n += 1
        return f"{self.n:03d}-{what}"

    def grab(self, name):
        path = os.path.join(self.dir, f"{name}-vm.png")
        Image.open(self.vm.screendump(self.poll)).save(path)
        return path

    def wait_for(self, twin_png, name, timeout=30, shift=0):
        """Polls the virtual screen until it matches twin_png. Returns the
        seconds it took; raises Fail naming both pictures."""
        want = pixels(twin_png)
        t0 = time.monotonic()
        best = None
        while True:
            got = pixels(self.vm.screendump(self.poll))
            diff = differing(got, want, shift)
            best = diff if best is None else min(best, diff)
            if diff <= MATCH_PIXELS:
                Image.open(self.poll).save(os.path.join(self.dir, f"{name}-vm.png"))
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                path = os.path.join(self.dir, f"{name}-vm.png")
                Image.open(self.poll).save(path)
                self.save_diff(got, want, os.path.join(self.dir, f"{name}-diff.png"))
                raise Fail(f"the virtual screen did not become {name} within {timeout} s "
                           f"({diff} pixels differ, best {best}); screendump {path}, "
                           f"expected {twin_png}")
            time.sleep(0.1)

    @staticmethod
    def save_diff(got, want, path):
        if got.shape != want.shape:
            return
        d = (np.abs(got - want).max(axis=2) > PIXEL_TOLERANCE)
        img = (want // 3 + 170).astype(np.uint8)
        img[d] = (255, 0, 0)
        Image.fromarray(img).save(path)


# ---- the guest -------------------------------------------------------------

def sql(vm, query):
    rc, out, err = vm.sh(f"sqlite3 -batch -noheader {DB} \"{query}\"", timeout=60)
    if rc != 0:
        raise Fail(f"sqlite3 in the guest: {err.strip()} ({query})")
    return out.strip()


def wait_ready(vm, timeout, since=None):
    """Seconds from `since` (QEMU start by default) until the kiosk unit is
    active, i.e. the kiosk sent READY after its first verified frame."""
    t0 = vm.started if since is None else since
    deadline = time.monotonic() + timeout
    if not vm.wait_agent(timeout):
        raise Fail(f"the guest agent did not answer within {timeout} s (see {vm.serial})")
    while time.monotonic() < deadline:
        u = vm.unit("ActiveState", "SubState", "StatusText")
        if u.get("ActiveState") == "active":
            return time.monotonic() - t0
        if u.get("ActiveState") == "failed":
            break
        time.sleep(0.3)
    _, journal, _ = vm.sh("journalctl -b -u km2kiosk --no-pager | tail -25")
    raise Fail(f"km2kiosk.service is not active after {timeout} s "
               f"({vm.unit('ActiveState', 'SubState', 'StatusText')}):\n{journal}")


def wait_status(vm, text, timeout=30):
    """Waits until the kiosk's status line (sd_notify STATUS=) is `text`."""
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = vm.unit("StatusText").get("StatusText", "")
        if status == text:
            return
        time.sleep(0.3)
    raise Fail(f"the kiosk's status is {status!r}, expected {text!r} within {timeout} s")


def timespan_s(text):
    """Seconds of a systemd time span as `systemctl show` prints it
    ("1min", "30s", "1min 30s", "500ms")."""
    units = {"h": 3600, "min": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    total = 0.0
    for part in text.split():
        num = part.rstrip("abcdefghijklmnopqrstuvwxyz")
        total += float(num) * units.get(part[len(num):], 1)
    return total


def journal_line(vm, pattern):
    _, out, _ = vm.sh(f"journalctl -b -u km2kiosk --no-pager -o cat | grep -F -- '{pattern}' | tail -1")
    return out.strip()


# ---- one run -------------------------------------------------------------

class Run:
    def __init__(self, args):
        args.images = os.path.abspath(args.images)
        self.args = args
        self.out = os.path.abspath(args.out)
        self.work = os.path.join(self.out, "run")
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(os.path.join(self.out, "screens"), ignore_errors=True)
        os.makedirs(self.work)
        self.vm = Vm(args.arch, args.images, self.work, *SIZE, accel=args.accel)
        self.screens = Screens(self.vm, self.out)
        self.twin = None
        self.twins = 0
        self.stick_root = os.path.join(self.work, "twin-media")
        self.stick_table = os.path.join(self.work, "twin-mounts")
        os.makedirs(os.path.join(self.stick_root, "STICK"))
        self.unplug_twin()
        self.conf = config(os.path.join(self.work, "twin.conf"), args.images, self.stick_root,
                           self.stick_table)
        self.on_first_page = False  # step 2 left both kiosks on a survey's first page
        self.survey_taps = 0  # taps the last survey to its thank-you screen took
        self.slow = 1 if args.arch == "amd64" else 4  # time limits: arm64 is emulated on x86

    def figure(self, text):
        log(f"  {text}")

    # the twin

    def new_twin(self):
        if self.twin:
            self.twin.close()
        self.twins += 1
        self.twin = Twin(os.path.join(self.work, f"twin-{self.twins}.db"), f"{SIZE[0]}x{SIZE[1]}",
                         self.conf, self.screens.dir)
        return self.twin

    def plug_twin(self):
        with open(self.stick_table, "w") as f:
            f.write(f"/dev/sdz1 {os.path.join(self.stick_root, 'STICK')} vfat rw 0 0\n")

    def unplug_twin(self):
        with open(self.stick_table, "w") as f:
            f.write("proc /proc proc rw 0 0\n")

    # both kiosks

    def expect(self, what, timeout=20, shift=0):
        """The twin's screen now must show on the VM within timeout."""
        name = self.screens.name(what)
        png, dump = self.twin.shot(name)
        if dump["screen"] == "attract":
            shift = max(shift, FLOAT_PX)
        secs = self.screens.wait_for(png, name, timeout * self.slow, shift)
        with open(os.path.join(self.work, "screens.log"), "a") as f:
            f.write(f"{name}: on the VM {secs:.2f} s after the twin\n")
        return secs, dump

    def tap(self, tid, what=None, timeout=20, compare=True):
        """Taps target tid on both kiosks (on the VM at the twin's position
        of it) and waits for the VM to show the twin's next screen; with
        compare False only taps (a screen with the clock or the free space
        on it cannot be the twin's)."""
        x, y = self.twin.centre(tid)
        self.twin.do(f"touch {tid}")
        self.vm.tap(x, y)
        if not compare:
            return None, self.twin.dump()
        return self.expect(what or tid.replace(":", "-"), timeout)

    def twin_export_done(self, limit_s=120):
        """The twin exports on a worker thread beside its UI, as the VM does:
        its `wait` gives the run time (virtual time passes no faster than
        real time meanwhile) until the export page shows no progress."""
        deadline = time.monotonic() + limit_s * self.slow
        while "progress" in self.twin.dump():
            if time.monotonic() > deadline:
                raise Fail("the twin's export did not finish")
            self.twin.do("wait 500")

    def survey(self, cut=None, begin=True):
        """The children's survey to the thank-you screen, every answer a tap:
        from the welcome screen (begin) or from the page shown now. cut(i) is
        asked before tap i of target tid and may pull the plug instead (it
        then returns True and the survey stops). True when the thank-you
        screen was seen."""
        i = 0
        for tid in ("start", "lang:de", "audience:kinder") if begin else ():
            if cut and cut(i, tid):
                return False
            self.tap(tid)
            i += 1
        for _ in range(40):
            shown = time.monotonic()
            d = self.twin.dump()
            if d["screen"] == "thanks":
                self.survey_taps = i
                return True
            if d["screen"] != "question":
                raise Fail(f"the twin shows {d['screen']} in the middle of the survey")
            ids = [t["id"] for t in d["targets"]]
            choices = [t for t in ids if t.startswith("choice:")]
            for tid in choices[:1] + ["next"]:
                if cut and cut(i, tid):
                    return False
                if tid == "next":
                    # A quick reader, not a child tapping through: pages
                    # left faster than misuse_min_ms flag the session as
                    # misuse, and flagged sessions are not exported.
                    time.sleep(max(0.0, PAGE_S - (time.monotonic() - shown)))
                self.tap(tid, f"{d['question']}-{tid.replace(':', '-')}")
                i += 1
        raise Fail("the survey did not end within 40 pages")

    # steps

    def boot(self, timeout):
        self.vm.start()
        return wait_ready(self.vm, timeout)

    def step_boot(self):
        self.vm.new_disk()
        ready = self.boot(300 * self.slow)
        self.figure(f"QEMU start to READY: {ready:.1f} s")
        mono = int(self.vm.unit("ActiveEnterTimestampMonotonic")["ActiveEnterTimestampMonotonic"])
        self.figure(f"guest kernel start to READY: {mono / 1e6:.1f} s")
        self.figure(journal_line(self.vm, "display: video"))
        self.new_twin()
        secs, _ = self.expect("welcome", 60, shift=FLOAT_PX)
        self.figure(f"QEMU start to the correct welcome screen: {self.vm.since_start():.1f} s "
                    f"({secs:.1f} s after READY was seen)")

    def step_tap(self):
        # The whole welcome screen is its start button: the proof is a
        # language tile, then the audience tile in that language.
        self.tap("start", "language")
        x, y = self.twin.centre("lang:uk")
        self.figure(f"tap at ({x},{y}), the twin's centre of lang:uk (second row, middle)")
        secs, d = self.tap("lang:uk", "audience-uk")
        if d["lang"] != "uk" or d["screen"] != "audience":
            raise Fail(f"the twin is on {d['screen']}/{d['lang']}")
        self.figure(f"the audience screen in Ukrainian showed {secs:.1f} s after the tap")
        secs, d = self.tap("audience:kinder", "first-page-uk")
        if d["lang"] != "uk" or d["form"] != "kinder":
            raise Fail(f"the twin is on {d['form']}/{d['lang']}")
        self.figure(f"the children's survey in Ukrainian showed {secs:.1f} s after the tap")
        self.on_first_page = True

    def step_export(self):
        t0 = time.monotonic()
        self.survey(begin=not self.on_first_page)  # on from step 2's first page
        self.figure(f"a whole survey answered by taps: {time.monotonic() - t0:.0f} s, "
                    f"{self.screens.n} screens matched so far")
        # The thank-you screen offers "done" after its cool-down (`cooldown`,
        # 2 s), counted from when the VM showed it: survey() has just seen it.
        self.twin.do("wait 2500")
        time.sleep(2.5)
        self.expect("thanks-done", 20)
        self.tap("done", "welcome-after-thanks")

        # Staff mode: a finger held in the corner, a PIN chosen twice.
        self.twin.do("press 5 5 3500")
        self.vm.press(20, 20, 3.5)
        self.expect("pin-new", 20)
        for n, digit in enumerate(PIN):
            self.tap(f"pin:{digit}", f"pin-new-{n + 1}")
        self.tap("pin:ok", "pin-repeat")
        for n, digit in enumerate(PIN):
            self.tap(f"pin:{digit}", f"pin-repeat-{n + 1}")
        self.tap("pin:ok", compare=False)
        wait_status(self.vm, "showing staff_overview", 60 * self.slow)
        self.screens.grab(self.screens.name("staff-overview"))
        self.tap("staff:export", compare=False)
        wait_status(self.vm, "showing staff_export", 20 * self.slow)

        # A stick plugged: udev mounts it, the export page notices it.
        stick = os.path.join(self.work, "stick.img")
        subprocess.run(["mkfs.vfat", "-C", "-n", "KM2STICK", stick, str(64 * 1024)], check=True,
                       capture_output=True)
        t_plug = time.monotonic()
        self.vm.plug(stick)
        deadline = time.monotonic() + 60 * self.slow
        while self.vm.sh(f"findmnt -rn {STICK_MOUNT}")[0] != 0:
            if time.monotonic() > deadline:
                _, out, _ = self.vm.sh("journalctl -b --no-pager | tail -30")
                raise Fail(f"the stick was not mounted at {STICK_MOUNT}:\n{out}")
            time.sleep(0.3)
        self.figure(f"stick plugged to mounted at {STICK_MOUNT}: {time.monotonic() - t_plug:.1f} s")
        self.plug_twin()
        self.twin.do("wait 1500")
        time.sleep(2)  # the export page reads the mount table about once a second
        self.screens.grab(self.screens.name("staff-export-stick"))

        t_exp = time.monotonic()
        self.tap("export:start", compare=False)
        self.twin_export_done()
        deadline = time.monotonic() + 180 * self.slow
        batch = ""
        while not batch:
            outcome = journal_line(self.vm, "staff mode: export to")
            if outcome and ": done" not in outcome:
                raise Fail(f"the export did not write a batch: {outcome}")
            if time.monotonic() > deadline:
                raise Fail(f"no batch was recorded within the time limit ({outcome})")
            time.sleep(0.5)
            batch = sql(self.vm, "SELECT id FROM batch ORDER BY created_at DESC LIMIT 1")
        self.figure(f"export tapped to batch {batch} recorded: {time.monotonic() - t_exp:.1f} s")
        # The screen shows the receipt once the export returned; the kiosk
        # then unmounts the stick itself (systemd-mount --umount, allowed by
        # the package's polkit rule), so staff can pull it without a tap.
        screen_qr, shot = "", None
        name = self.screens.name("staff-export-done")
        while not screen_qr:
            if time.monotonic() > deadline:
                raise Fail(f"zbarimg finds no QR code on the virtual screen ({shot})")
            time.sleep(0.5)
            shot = self.screens.grab(name)
            screen_qr = subprocess.run(["zbarimg", "--raw", "-q", shot], capture_output=True,
                                       text=True).stdout.strip()
        self.figure(f"export tapped to the QR receipt on the screen: {time.monotonic() - t_exp:.1f} s")
        deadline = time.monotonic() + 60 * self.slow
        while True:
            mounted = self.vm.sh(f"findmnt -rn {STICK_MOUNT}")[0] == 0
            _, units, _ = self.vm.sh("systemctl list-units --plain --no-legend 'media-km2kiosk-*.mount'")
            if not mounted and not units.strip():
                break
            if time.monotonic() > deadline:
                raise Fail(f"the stick is still mounted after the export: {units.strip()} "
                           f"({journal_line(self.vm, 'eject')})")
            time.sleep(0.3)
        self.figure(f"export tapped to the stick's mount unit gone: {time.monotonic() - t_exp:.1f} s "
                    f"({journal_line(self.vm, 'after the export, eject')})")
        self.vm.pull()
        self.check_stick(stick, batch, screen_qr)
        # Leaving staff mode.
        self.tap("staff:exit", "welcome-after-staff", 30)

    def check_stick(self, stick, batch, screen_qr):
        """The batch as the evaluation team gets it, checked with their tools."""
        top = os.path.join(self.work, "stick")
        shutil.rmtree(top, ignore_errors=True)
        os.makedirs(top)
        subprocess.run(["mcopy", "-s", "-n", "-i", stick, "::KM2KIOSK", top], check=True,
                       capture_output=True)
        top = os.path.join(top, "KM2KIOSK")
        bag = os.path.join(top, batch)
        if not os.path.isdir(bag):
            raise Fail(f"no folder {batch} on the stick: {os.listdir(top)}")

        def run(cmd, cwd):
            p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
            if p.returncode != 0:
                raise Fail(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stdout}{p.stderr}")
            return p.stdout

        run(["sha256sum", "--quiet", "-c", "manifest-sha256.txt"], bag)
        run(["sha256sum", "--quiet", "-c", "tagmanifest-sha256.txt"], bag)
        run(["minisign", "-Vm", "tagmanifest-sha256.txt", "-p",
             os.path.join(top, f"{KIOSK_ID}.pub")], bag)
        with open(os.path.join(top, f"{batch}-batch-qr.txt"), encoding="ascii") as f:
            receipt = f.read().strip()
        png_qr = run(["zbarimg", "--raw", "-q", os.path.join(top, f"{batch}-batch-qr.png")],
                     top).strip()
        with open(os.path.join(bag, "tagmanifest-sha256.txt"), "rb") as f:
            tag = base64.b32encode(hashlib.sha256(f.read()).digest()).decode().rstrip("=")
        if not (receipt == png_qr == screen_qr) or f"/T{tag}/" not in receipt:
            raise Fail(f"receipts differ or lack the tag hash {tag}: file {receipt!r}, "
                       f"PNG {png_qr!r}, screen {screen_qr!r}")
        responses = run(["age", "-d", "-i", os.path.join(self.args.images, "age.key"),
                         os.path.join(bag, "data", "responses.csv.age")], bag)
        rows = [r for r in responses.splitlines()[1:] if r.strip()]
        if len(rows) != 1 or ",kinder," not in rows[0]:
            raise Fail(f"responses.csv should hold the one survey: {responses[:500]!r}")
        self.figure(f"batch {batch} verified on the host: sha256sum, minisign, age -d "
                    f"({len(rows)} row), zbarimg on the stick's PNG and on the screen agree")

    def step_power(self):
        rng = random.Random(self.args.seed)
        self.figure(f"seed {self.args.seed} (APPLIANCE_SEED=N repeats a run)")
        # start, language, audience, then choice and next a page: the cuts
        # fall among the answers (from tap 3 on), as many taps as the survey
        # step's run took.
        survey_taps = self.survey_taps or 30
        # Every complete session holds as many answers as the first one the
        # export step completed (the same taps along the same path; 1 when
        # that step did not run here).
        full = int(sql(self.vm, "SELECT count(*) FROM answer WHERE session_id ="
                                " (SELECT min(id) FROM session WHERE outcome='complete')")) or 1
        for r in range(self.args.cuts):
            before = int(sql(self.vm, "SELECT count(*) FROM session WHERE outcome='complete'"))
            # The last round pulls the plug after the thank-you screen was
            # seen; the others while a tap is being handled: the tap sent,
            # the plug pulled a random part of a second later, so the cut
            # may fall before, during or after the answer's commit.
            at = rng.randrange(3, survey_taps) if r < self.args.cuts - 1 else None
            delay = rng.uniform(0.0, 0.6 if at is not None else 1.2)
            self.new_twin()
            self.expect(f"power-{r + 1}-welcome", 30, shift=FLOAT_PX)
            last = {}

            def cut(i, tid):
                if i != at:
                    return False
                x, y = self.twin.centre(tid)
                self.twin.do(f"touch {tid}")
                last["thanked"] = self.twin.dump()["screen"] == "thanks"
                last["what"] = f"{delay:.2f} s into tap {i} ({tid})"
                self.vm.tap(x, y)
                time.sleep(delay)
                self.vm.power_cut()
                return True

            thanked = self.survey(cut)
            if thanked:
                last["what"] = f"{delay:.2f} s after the thank-you screen"
                time.sleep(delay)
                self.vm.power_cut()
            t0 = time.monotonic()
            ready = self.boot(300 * self.slow)
            check = sql(self.vm, "PRAGMA integrity_check")
            after = int(sql(self.vm, "SELECT count(*) FROM session WHERE outcome='complete'"))
            opened = int(sql(self.vm, "SELECT count(*) FROM session WHERE outcome='open'"))
            missing = sql(self.vm, "SELECT count(*) FROM session s WHERE outcome='complete' AND"
                                   " (SELECT count(*) FROM answer a WHERE a.session_id=s.id)"
                                   f" < {full}")
            # Thanked surveys must all be there; the one whose last tap was
            # cut may or may not be (its thank-you screen was never seen).
            sure = before + (1 if thanked else 0)
            maybe = 1 if last.get("thanked") else 0
            ok = check == "ok" and sure <= after <= sure + maybe and opened == 0 and missing == "0"
            self.figure(f"cut {r + 1}: {last['what']}; boot to READY {ready:.1f} s; "
                        f"integrity {check}; complete sessions {before} -> {after}; open {opened}")
            if not ok:
                raise Fail(f"after cut {r + 1}: integrity {check!r}, complete sessions {before} -> "
                           f"{after} (expected {sure}{' or one more' if maybe else ''}), open "
                           f"{opened}, complete with fewer than {full} answers {missing}")
            self.new_twin()
            self.expect(f"power-{r + 1}-back", 60, shift=FLOAT_PX)

    def step_watchdog(self):
        u = self.vm.unit("MainPID", "NRestarts", "WatchdogUSec")
        pid, restarts = u["MainPID"], int(u["NRestarts"])
        limit = timespan_s(u["WatchdogUSec"])
        t0 = time.monotonic()
        self.vm.sh(f"kill -STOP {pid}")
        deadline = t0 + (limit + 45) * self.slow
        while True:
            u = self.vm.unit("MainPID", "NRestarts", "ActiveState")
            if int(u["NRestarts"]) > restarts and u["ActiveState"] == "active" and u["MainPID"] != pid:
                break
            if time.monotonic() > deadline:
                raise Fail(f"no restart within {limit} s + margin after SIGSTOP: {u}")
            time.sleep(1)
        secs = time.monotonic() - t0
        self.figure(f"SIGSTOP to a new kiosk READY: {secs:.1f} s (WatchdogSec {limit} s)")
        self.new_twin()
        self.expect("watchdog-back", 60, shift=FLOAT_PX)

    def step_selftest(self):
        dropin = "/run/systemd/system/km2kiosk.service.d"
        self.vm.sh(f"mkdir -p {dropin} && printf '[Service]\\nEnvironment=SDL_RENDER_DRIVER=opengl\\n'"
                   f" > {dropin}/renderer.conf && systemctl daemon-reload && "
                   "systemctl restart --no-block km2kiosk")
        deadline = time.monotonic() + 60 * self.slow
        line = ""
        while not line:
            if time.monotonic() > deadline:
                raise Fail("no journal line about the failed display probe")
            time.sleep(1)
            line = journal_line(self.vm, "self-test: the display draws nothing")
        state = self.vm.unit("ActiveState", "StatusText")
        self.figure(f"forced opengl: {line}")
        self.figure(f"unit {state['ActiveState']} ({state['StatusText']})")
        if state["ActiveState"] == "active":
            raise Fail("the kiosk was reported ready on a renderer that draws nothing")
        self.vm.sh(f"rm -rf {dropin} && systemctl daemon-reload && systemctl restart km2kiosk")
        wait_ready(self.vm, 120 * self.slow, since=time.monotonic())
        self.new_twin()
        self.expect("selftest-back", 60, shift=FLOAT_PX)


STEPS = [("boot", Run.step_boot), ("tap", Run.step_tap), ("export", Run.step_export),
         ("power", Run.step_power), ("watchdog", Run.step_watchdog),
         ("self-test", Run.step_selftest)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", default="amd64", choices=("amd64", "arm64"))
    ap.add_argument("--images", required=True, help="image.sh's output folder")
    ap.add_argument("--out", required=True, help="where screens and logs go")
    ap.add_argument("--accel", default=os.environ.get("ACCEL", "tcg"), choices=("tcg", "kvm"))
    ap.add_argument("--steps", default="boot,tap,export,power,watchdog,self-test")
    ap.add_argument("--cuts", type=int, default=int(os.environ.get("APPLIANCE_CUTS", "3")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("APPLIANCE_SEED", "0"))
                    or random.SystemRandom().randrange(1, 10**6))
    args = ap.parse_args()
    wanted = args.steps.split(",")
    run = Run(args)
    passed = failed = 0
    t_all = time.monotonic()
    try:
        for n, (name, fn) in enumerate(STEPS, 1):
            if name not in wanted:
                continue
            t0 = time.monotonic()
            log(f"appliance {args.arch}: step {n} {name}")
            try:
                fn(run)
            except (Fail, VmError, RuntimeError, subprocess.CalledProcessError) as e:
                failed += 1
                log(f"FAIL step {n} {name} ({time.monotonic() - t0:.0f} s): {e}")
                try:
                    log(f"  last screen: {run.screens.grab(run.screens.name(f'FAIL-{name}'))}")
                except (VmError, OSError, AttributeError):
                    pass
                break
            passed += 1
            log(f"ok   step {n} {name} ({time.monotonic() - t0:.0f} s)")
    finally:
        if run.twin:
            run.twin.close()
        run.vm.kill()
    log(f"appliance {args.arch}: {time.monotonic() - t_all:.0f} s; screens in {run.screens.dir}")
    log(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
