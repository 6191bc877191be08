"""Helpers for the headless scenario tests: run build/km2kiosk with a script,
collect its `dump` lines, and read what it stored with Python's sqlite3.
A scenario ends through main(): status 0 passed, 1 failed, SKIP_STATUS
skipped (what it could not test here is printed as "SKIP: why"); its
temporary folders are removed when it ends, however it ends short of
SIGKILL."""
import atexit
import json
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading

BIN = os.environ.get("KS_BIN", "build/km2kiosk")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _exec_wrapped(binary, wrapper):
    """A small script that runs `binary` through `wrapper` (a command such as
    "qemu-aarch64" for a build of another architecture), so that every
    [BIN, ...] command line of the scenarios goes through it. exec keeps one
    process: signals and kills reach the emulator, which passes them on."""
    d = tempfile.mkdtemp(prefix="ks-exec-")
    atexit.register(shutil.rmtree, d, True)
    path = os.path.join(d, "km2kiosk")
    with open(path, "w") as f:
        # An LD_PRELOAD shim (built for the binary's architecture) is for the
        # program, not the emulator: qemu-user hands QEMU_SET_ENV to it alone.
        f.write('#!/bin/sh\n'
                'if [ -n "${LD_PRELOAD:-}" ]; then\n'
                '    QEMU_SET_ENV="LD_PRELOAD=$LD_PRELOAD"; export QEMU_SET_ENV; unset LD_PRELOAD\n'
                'fi\n'
                f'exec {wrapper} {shlex.quote(os.path.join(REPO, binary))} "$@"\n')
    os.chmod(path, 0o755)
    return path


# KS_EXEC_WRAPPER (default empty: the binary runs by itself), set by
# `make test ARCH=arm64`.
if os.environ.get("KS_EXEC_WRAPPER", "").strip():
    BIN = _exec_wrapped(BIN, os.environ["KS_EXEC_WRAPPER"].strip())
# KS_TIME_SCALE (default 1): how much slower the kiosk runs here (about 5
# under qemu-user); scenarios stretch their timeouts and timed kills by it.
TIME_SCALE = float(os.environ.get("KS_TIME_SCALE") or 1)


# The exit status of a skipped scenario (automake's), counted by tests/run.sh.
SKIP_STATUS = 77


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def skip(why):
    """Ends the scenario as skipped: what it needs is not there (why says
    what). Only for what the machine lacks, never for a wrong result."""
    raise Skip(why)


def _remove(d):
    """Removes folder d, also where a test took the write permission away."""
    def writable_again(func, path, _):
        try:
            os.chmod(os.path.dirname(path), 0o700)
            func(path)
        except OSError:
            pass
    shutil.rmtree(d, onerror=writable_again)


def tmpdir():
    """A new temporary folder, removed when the scenario ends."""
    d = tempfile.mkdtemp(prefix="ks-test-")
    atexit.register(_remove, d)
    return d


SAMPLE_FORMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "forms", "sample")


def run(script, db, size="800x480", extra=(), expect_rc=0, timeout=120):
    """Runs the kiosk headless on `script`; returns (process, list of dumps)."""
    # The foundation scenarios walk the fixed sample form; the shipped surveys
    # have their own scenario (shipped_forms.py).
    forms = () if "--forms" in extra else ("--forms", SAMPLE_FORMS)
    cmd = [BIN, "--headless", "--db", db, "--windowed", size, "--script", "-", *forms, *extra]
    p = subprocess.run(cmd, input=script, capture_output=True, text=True,
                       timeout=timeout * TIME_SCALE, cwd=REPO)
    if expect_rc is not None and p.returncode != expect_rc:
        raise Fail(f"exit status {p.returncode}, expected {expect_rc}\nstderr:\n{p.stderr[-3000:]}")
    dumps = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    return p, dumps


def run_new(script, **kw):
    """run() on a new database in a new temporary folder; returns (the
    database's path, the list of dumps)."""
    db = tmpdir() + "/k.db"
    _, dumps = run(script, db, **kw)
    return db, dumps


def begin(lang="de", audience="kinder"):
    """The script lines from the welcome screen into a survey: start, the
    language, the audience."""
    return f"touch start\ntouch lang:{lang}\ntouch audience:{audience}\n"


def pin_lines(pin):
    """The script lines that type a PIN on the staff PIN pad and confirm it."""
    return "".join(f"touch pin:{d}\n" for d in pin) + "touch pin:ok\n"


def staff(k, pin):
    """Into staff mode (a PIN set before) on a kiosk fed line by line."""
    k.do("press 5 5 3000")
    for line in pin_lines(pin).splitlines():
        k.do(line)


EXPORT_FORMS = os.path.join(REPO, "tests", "fixtures", "forms", "export")


def probe_session(gender="female", age="12_13", lang="de", nr="4"):
    """The script lines of one complete session of EXPORT_FORMS' probe form
    with these quasi-identifiers, a second between taps."""
    s = ["touch start", "wait 1000", "touch lang:de", "wait 1000", "touch audience:probe",
         "wait 1000", "touch next"]
    for v in (gender, age, lang):
        s += ["wait 1000", f"touch choice:{v}", "wait 1000", "touch next"]
    s += ["wait 1000", f"touch key:{nr}", "wait 1000", "touch next"]  # nr
    s += ["wait 1000", "touch next"] * 8                              # weg … danke
    s += ["wait 10000"]
    return s


def sh(cmd, cwd, what, rc=0):
    """Runs a tool; fails the scenario unless it exits with rc. Its output."""
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    check(p.returncode == rc, f"{what}: exit {p.returncode}\n{p.stdout[-1500:]}{p.stderr[-1500:]}")
    return p.stdout


def keep_feeding(p, lines):
    """Writes the script lines to the kiosk process p over and over, from a
    daemon thread, until its input is gone; returns the thread."""
    def writer():
        try:
            while True:
                p.stdin.write("\n".join(lines) + "\n")
                p.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    return t


def stop(p, sig=signal.SIGTERM, timeout=10):
    """Sends sig to process p unless it has ended; kills it when it has not
    ended timeout seconds later. True when it ended without the kill."""
    if p.poll() is None:
        p.send_signal(sig)
    try:
        p.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return False


def target(dump, tid):
    for t in dump["targets"]:
        if t["id"] == tid:
            return t
    raise Fail(f"no target {tid} on screen {dump['screen']}: {[t['id'] for t in dump['targets']]}")


def sessions(db):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM session ORDER BY id")]
    for r in rows:
        r["answers"] = {a["question"]: a["value"] for a in
                        con.execute("SELECT question, value FROM answer WHERE session_id=?",
                                    (r["id"],))}
    con.close()
    return rows


def main(fn):
    """Runs a scenario function, printing a readable failure or skip."""
    # SIGTERM (a runner giving up) ends through sys.exit, so the temporary
    # folders are still removed.
    signal.signal(signal.SIGTERM, lambda sig, frame: sys.exit(128 + sig))
    try:
        fn()
    except Fail as e:
        print(f"FAIL: {e}")
        sys.exit(1)
    except Skip as e:
        print(f"SKIP: {e}")
        sys.exit(SKIP_STATUS)
    print("ok")
