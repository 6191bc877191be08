"""The kiosk speaks systemd's notify protocol (the unit is Type=notify with
WatchdogSec=): started with NOTIFY_SOCKET and WATCHDOG_USEC as systemd sets
them, it sends READY=1 once its first frame is up, then WATCHDOG=1 at half
the interval while nobody touches the screen, a STATUS= line naming the
screen (and the fault, on a fault screen), and STOPPING=1 when it ends.
Without NOTIFY_SOCKET it sends nothing (no_sockets.py). A script's dump
names when the first frame was presented, on the machine's monotonic
clock (for `make bench`): after the kiosk was started, before the dump."""
import os
import signal
import socket
import subprocess
import time

import _path  # noqa: F401
from kiosk import BIN, REPO, SAMPLE_FORMS, check, main, run, stop, tmpdir

WATCHDOG_USEC = 1_000_000  # pings expected every 0.5 s
LISTEN_S = 3.0


def listen(d, script=None, extra=()):
    """Runs the kiosk under a fake service manager; returns the messages."""
    path = os.path.join(d, "notify.sock")
    if os.path.exists(path):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC=str(WATCHDOG_USEC))
    cmd = [BIN, "--headless", "--db", os.path.join(d, "k.db"), "--windowed", "800x480",
           "--forms", SAMPLE_FORMS, *extra]
    if script is not None:
        cmd += ["--script", "-"]
    p = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    if script is not None:
        p.stdin.write(script)
        p.stdin.close()
    msgs = []
    end = time.monotonic() + LISTEN_S
    while time.monotonic() < end:
        try:
            data = sock.recv(4096).decode()
        except socket.timeout:
            if p.poll() is not None:
                break
            continue
        msgs.append((time.monotonic(), data))
    stop(p, signal.SIGINT)
    while True:  # whatever arrived while stopping
        try:
            msgs.append((time.monotonic(), sock.recv(4096).decode()))
        except (socket.timeout, BlockingIOError):
            break
    sock.close()
    return [m for _, m in msgs], [t for t, m in msgs if m == "WATCHDOG=1"]


def scenario():
    d = tmpdir()
    msgs, pings = listen(d)
    check("READY=1" in msgs, f"no READY=1: {msgs[:5]}")
    ready_at = msgs.index("READY=1")
    check(msgs.count("READY=1") == 1, "READY=1 sent more than once")
    check(any(m.startswith("STATUS=showing attract") for m in msgs),
          f"no STATUS for the welcome screen: {[m for m in msgs if m.startswith('STATUS')]}")
    # An idle kiosk still pings: at 0.5 s over 3 s, at least four of them.
    check(len(pings) >= 4, f"{len(pings)} watchdog pings in {LISTEN_S} s idle")
    gaps = [b - a for a, b in zip(pings, pings[1:])]
    check(max(gaps) < 0.9, f"watchdog gap of {max(gaps):.2f} s (interval 1 s)")
    check(msgs.index("WATCHDOG=1") > ready_at or "READY=1" in msgs[:2],
          "pings began long before the kiosk was ready")

    # A fault screen is named in the status line.
    conf = os.path.join(d, "full.conf")
    with open(conf, "w") as f:
        f.write("min_free_mb = 1000000\n")
    msgs, _ = listen(tmpdir(), "touch start\nwait 200\nquit\n", ("--config", conf))
    status = [m for m in msgs if m.startswith("STATUS=")]
    check(any(m.startswith("STATUS=fault: ") for m in status), f"no fault status: {status}")
    check(msgs[-1] == "STOPPING=1", f"last message {msgs[-1]!r}, expected STOPPING=1")

    t0 = time.clock_gettime(time.CLOCK_MONOTONIC) * 1000.0
    _, dumps = run("dump\nquit\n", os.path.join(tmpdir(), "k.db"))
    t1 = time.clock_gettime(time.CLOCK_MONOTONIC) * 1000.0
    shown = dumps[0].get("first_frame_mono_ms", -1)
    check(t0 < shown < t1, f"first frame at {shown}, not between the start {t0} and the end {t1}")
    print(f"READY once, {len(pings)} pings in {LISTEN_S:.0f} s idle (max gap {max(gaps):.2f} s), "
          f"fault named in STATUS, STOPPING at the end, first frame {shown - t0:.1f} ms after the "
          f"start")


main(scenario)
