"""Power-cut test: the database lives on its own file system (a loop-mounted
ext4 image when running as root, else a plain directory), surveys are
answered in a loop under tests/tools/powercut.c, an LD_PRELOAD shim that logs
every change below that directory, and the kiosk is killed at random moments
(on a timer, or at the n-th file change: inside commits, checkpoints, the
creation of the database). After each kill tests/tools/powercut.py drops a
random part (a third of the time all) of what was not yet fsynced, sector by
sector and in any order, and unsynced directory entries, as a disk losing its
power would. A copy is then checked after a restart of the kiosk: PRAGMA
integrity_check is ok, every session whose thank-you was shown is stored
complete once, every answer whose page was left with "next" is stored, no
session stays open. The cut database itself goes on to the next run, whose
start (WAL recovery, closing what was left open) is also cut now and then.
Last, the same is done with fsync turned into a lie (KS_POWERCUT_LIE): the
check must then notice lost answers, or the test proves nothing.
KS_POWERCUT_SEED repeats a run; KS_POWERCUT_VERBOSE=1 prints every cut.
Without the image (not root, no mkfs.ext4, no loop mount) the loop runs on a
plain directory and the scenario then ends as skipped (counted): the file
system part was not tested. KS_POWERCUT_PLAIN=1 asks for the plain directory
on purpose, and passes."""
import _path  # noqa: F401
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time

import powercut
from kiosk import (BIN, REPO, SAMPLE_FORMS, TIME_SCALE, check, keep_feeding, main, skip,
                    tmpdir)

CUTS = int(os.environ.get("KS_POWERCUT_CUTS", "36"))
LIE_CUTS = int(os.environ.get("KS_POWERCUT_LIE_CUTS", "8"))
SHIM = os.path.join(REPO, os.environ.get("KS_BUILD", "build"), "tests", "libpowercut.so")

QUESTIONS = ["schule", "lesen", "freunde", "schulweg", "nachmittag", "orte", "bibliothek"]
EXPECTED = {"schule": "4", "lesen": "2", "freunde": "yes", "schulweg": "5",
            "nachmittag": "music", "orte": "park", "bibliothek": "yes"}
# A dump after every "next" shows which page the kiosk moved to: the answers
# of the pages before it were committed (the kiosk commits before moving on).
SURVEY = ["touch start", "touch lang:de", "touch audience:kinder", "touch next", "dump"]
for _q in QUESTIONS:
    SURVEY += [f"touch choice:{EXPECTED[_q]}", "touch next", "dump"]
SURVEY += ["wait 8000"]


def mount_image(base):
    """A fresh ext4 image mounted below base when we may; else None."""
    if os.environ.get("KS_POWERCUT_PLAIN") == "1":
        return None, "KS_POWERCUT_PLAIN=1"
    if os.geteuid() != 0 or not shutil.which("mkfs.ext4"):
        return None, "not root or no mkfs.ext4"
    img, mnt = base + "/data.img", base + "/mnt"
    os.makedirs(mnt)
    # 128 MB, sparse: the kiosk wants 50 MB free beside its database.
    with open(img, "wb") as f:
        f.truncate(128 << 20)
    r = subprocess.run(["mkfs.ext4", "-q", "-F", img], capture_output=True, text=True)
    if r.returncode != 0:
        return None, "mkfs.ext4 failed: " + " ".join(r.stderr.split())[:200]
    r = subprocess.run(["mount", "-o", "loop", img, mnt], capture_output=True, text=True)
    if r.returncode != 0:
        return None, "mount -o loop failed: " + " ".join(r.stderr.split())[:200]
    return mnt, ""


def one_run(db, env, delay):
    """Runs surveys in a loop under the shim until it or the timer (delay
    seconds) kills the kiosk. Returns the run's thanked session ids, in order,
    and how many answers the kiosk confirmed after its last thank-you."""
    p = subprocess.Popen([BIN, "--headless", "--db", db, "--windowed", "800x480", "--script", "-",
                          "--forms", SAMPLE_FORMS],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         cwd=REPO, text=True, bufsize=1, env=env)
    state = {"thanked": [], "left": 0}

    def reader():
        for line in p.stdout:
            if not line.startswith("{"):
                continue
            try:
                d = json.loads(line)
            except ValueError:
                continue  # cut off by the kill
            if d.get("screen") == "thanks":
                state["thanked"].append(d["session"])
                state["left"] = 0
            elif d.get("screen") == "question" and d.get("question") in QUESTIONS:
                state["left"] = QUESTIONS.index(d["question"])

    tr = threading.Thread(target=reader)
    tr.start()
    keep_feeding(p, SURVEY)
    try:
        p.wait(timeout=delay * TIME_SCALE)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
    tr.join(timeout=10)
    return state["thanked"], state["left"]


def max_session_id(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT coalesce(max(id), 0) FROM session").fetchone()[0]
    finally:
        con.close()


def verify(db, thanked, partials):
    """Restarts the kiosk on the recovered database and lists what is wrong:
    thanked: every session id ever thanked; partials: (the run's last thanked
    session or None, the highest session id before the run, number of answers
    the cut session confirmed)."""
    r = subprocess.run([BIN, "--headless", "--db", db, "--windowed", "800x480", "--script", "-",
                        "--forms", SAMPLE_FORMS], input="dump\nquit\n", capture_output=True,
                       text=True, cwd=REPO, timeout=60 * TIME_SCALE)
    if r.returncode != 0:
        return [f"kiosk restart failed ({r.returncode}): {r.stderr.strip()[-300:]}"]
    if '"screen":"fault"' in r.stdout:
        return [f"kiosk restarted on its fault screen: {r.stderr.strip()[-3000:]}"]
    problems = []
    con = sqlite3.connect(db)
    try:
        ic = con.execute("PRAGMA integrity_check").fetchall()
        if ic != [("ok",)]:
            return [f"integrity_check: {ic[:3]}"]
        rows = {u: (i, o) for i, u, o in con.execute("SELECT id, uuid, outcome FROM session")}
        n = con.execute("SELECT count(*) FROM session").fetchone()[0]
        if n != len(rows):
            problems.append("a session is stored twice")
        still_open = [u for u, (_, o) in rows.items() if o == "open"]
        if still_open:
            problems.append(f"{len(still_open)} session(s) left open after the restart")
        for u in thanked:
            if u not in rows or rows[u][1] != "complete":
                problems.append(f"thanked session {u} lost or not complete: {rows.get(u)}")
                continue
            got = dict(con.execute("SELECT question, value FROM answer WHERE session_id=?",
                                   (rows[u][0],)))
            if got != EXPECTED:
                problems.append(f"answers of thanked session {u}: {got}")
        for last, ref, left in partials:
            # The cut session is the first after the run's last thanked one.
            after_id = rows[last][0] if last in rows else ref
            sid = con.execute("SELECT id FROM session WHERE id > ? ORDER BY id LIMIT 1",
                              (after_id,)).fetchone()
            if not sid:
                problems.append(f"the session cut off after {left} answers is gone")
                continue
            got = dict(con.execute("SELECT question, value FROM answer WHERE session_id=?", sid))
            want = {q: EXPECTED[q] for q in QUESTIONS[:left]}
            if any(got.get(q) != v for q, v in want.items()):
                problems.append(f"confirmed answers of the cut session lost: {got} lacks {want}")
    except sqlite3.DatabaseError as e:
        problems.append(f"reading the database: {e}")
    finally:
        con.close()
    return problems


def verify_copy(datadir, scratch, thanked, partials):
    """Checks a copy of the cut database (its -shm left behind, as a power
    cut may lose it), so the kiosk itself carries on with its WAL and any
    sessions left open: the next run's boot is also under the shim."""
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    for f in os.listdir(datadir):
        # The database's files; the folders beside it (the picture cache)
        # are the kiosk's own business.
        if os.path.isfile(os.path.join(datadir, f)) and not f.endswith("-shm"):
            shutil.copy(os.path.join(datadir, f), scratch)
    db = scratch + "/kiosk.db"
    if not os.path.exists(db):
        return ["the database file is gone"] if thanked else [], 0
    problems = verify(db, thanked, partials)
    try:
        return problems, max_session_id(db)
    except sqlite3.Error:
        return problems, 0


def cut_loop(datadir, rng, cuts, lie, work, figures):
    """Runs cuts power cuts on datadir/kiosk.db; returns (number of cuts
    after which something was wrong, the first problems seen, number of
    thanked sessions)."""
    db = datadir + "/kiosk.db"
    env = dict(os.environ, LD_PRELOAD=SHIM, KS_POWERCUT_DIR=datadir,
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
    thanked, partials, bad, first, caught = [], [], 0, [], []
    ref_id = max_session_id(db) if os.path.exists(db) else 0
    for i in range(cuts):
        log = f"{work}/cut{i}.log"
        env["KS_POWERCUT_LOG"] = log
        if os.path.exists(log):
            os.unlink(log)
        # Most cuts fall on a random file change (inside a commit, a
        # checkpoint, the first creation of the database), the others on a
        # timer, some of them right at the start.
        env.pop("KS_POWERCUT_KILL_AT", None)
        env.pop("KS_POWERCUT_KILL_MATCH", None)
        delay = 3.0
        if lie:
            # Long enough for thanked sessions, which a lying disk must lose:
            # every fsync lies, or only the WAL's (as with synchronous=OFF).
            env["KS_POWERCUT_LIE"] = "1" if i % 4 < 2 else "-wal"
            delay = rng.uniform(0.4, 0.8)
        elif i == 0:
            env["KS_POWERCUT_KILL_AT"] = str(rng.randint(1, 60))
        elif i % 9 == 7:
            # the n-th write to the database file itself: a checkpoint
            env["KS_POWERCUT_KILL_AT"] = str(rng.randint(1, 30))
            env["KS_POWERCUT_KILL_MATCH"] = "/kiosk.db"
            delay = 5.0
        elif i % 2:
            env["KS_POWERCUT_KILL_AT"] = str(rng.randint(1, 450))
        else:
            delay = rng.uniform(0.02, 0.15) if i % 5 == 4 else rng.uniform(0.15, 0.7)
        before = powercut.snapshot(datadir)
        run_thanked, left = one_run(db, env, delay)
        keep = 0.0 if i % (2 if lie else 3) == 0 else rng.uniform(0.2, 0.9)
        try:
            stats = powercut.recover(datadir, log, before, keep, rng)
        except powercut.LogError as e:
            check(False, f"cut {i}: the shim's log is not exact, so the cut proves nothing: {e}")
        # A kill before the shim's constructor ran leaves no log: the kiosk
        # had changed nothing yet.
        if os.path.exists(log):
            os.unlink(log)
        figures.append((keep, stats, len(run_thanked)))
        if os.environ.get("KS_POWERCUT_VERBOSE"):
            print(f"cut {i}: kill_at {env.get('KS_POWERCUT_KILL_AT', '-')}"
                  f"{env.get('KS_POWERCUT_KILL_MATCH', '')} keep {keep:.2f} "
                  f"thanked {len(run_thanked)} left {left} {stats}")
        thanked += run_thanked
        if left:
            partials.append((run_thanked[-1] if run_thanked else None, ref_id, left))
        problems, top = verify_copy(datadir, work + "/verify", thanked, partials)
        if problems:
            bad += 1
            first = first or problems[:3]
            if lie:
                corrupt = any(w in " ".join(problems) for w in
                              ("integrity", "malformed", "fault screen", "restart failed"))
                caught.append((env["KS_POWERCUT_LIE"], "corrupt" if corrupt else "lost"))
            # Go on from what is there: what was lost stays lost.
            thanked, partials = [], []
        else:
            ref_id = top
    return bad, first, sum(f[2] for f in figures), caught


def scenario():
    check(os.path.exists(SHIM), f"{SHIM} missing: build it with make test")
    seed = int(os.environ.get("KS_POWERCUT_SEED", str(int(time.time()))))
    print(f"power_cut: seed {seed} (KS_POWERCUT_SEED={seed} repeats this run)")
    rng = random.Random(seed)
    base = tmpdir()
    start = time.time()
    mnt, why = mount_image(base)
    try:
        if mnt:
            mode = "ext4 image, loop-mounted"
            root = mnt
        else:
            mode = "plain directory"
            root = base + "/plain"
            os.makedirs(root)
            print(f"power_cut: no file system image ({why}): running on a plain directory")
        datadir = root + "/data"
        os.makedirs(datadir)
        # The logs and the checked copies stay off the image: they grow with
        # every cut, and the kiosk's own free-space check looks at the image.
        work = base + "/work"
        os.makedirs(work)
        figures = []
        bad, first, n_thanked, _ = cut_loop(datadir, rng, CUTS, False, work, figures)
        check(bad == 0, f"{bad} of {CUTS} power cuts lost or broke data: {first}")
        check(n_thanked >= 10, f"enough surveys thanked between cuts: {n_thanked}")

        # The inverted check: a disk whose fsync lies must be caught.
        liedir = root + "/lie"
        os.makedirs(liedir)
        shutil.copy(work + "/verify/kiosk.db", liedir + "/kiosk.db")  # checked, closed
        lie_figures = []
        lie_bad, lie_first, _, caught = cut_loop(liedir, rng, LIE_CUTS, True, work, lie_figures)
        check(lie_bad >= 1, f"with fsync lying, none of {LIE_CUTS} cuts was caught: the check is blind")
    finally:
        if mnt and subprocess.run(["umount", mnt]).returncode != 0:
            subprocess.run(["umount", "-l", mnt], check=False)
        shutil.rmtree(base, ignore_errors=True)

    dropped = [s["dropped"] for _, s, _ in figures]
    sectors = [s["sectors"] for _, s, _ in figures]
    print(f"power_cut: {CUTS} cuts on a {mode}, {n_thanked} thanked sessions kept; unsynced "
          f"sectors dropped per cut: min {min(dropped)}, median {sorted(dropped)[len(dropped) // 2]}, "
          f"max {max(dropped)} (of up to {max(sectors)} pending), directory entries dropped: "
          f"{sum(s['entries_dropped'] for _, s, _ in figures)}")
    kinds = {k: sum(c == k for c in caught) for k in sorted(set(caught))}
    print(f"power_cut: fsync lying (\"1\": every sync, \"-wal\": the WAL's): {lie_bad} of "
          f"{LIE_CUTS} cuts caught {kinds}, e.g. {lie_first[:1]}")
    print(f"power_cut: {time.time() - start:.1f} s")
    if not mnt and os.environ.get("KS_POWERCUT_PLAIN") != "1":
        skip(f"power cuts on an ext4 image ({why}); on a plain directory they passed")


main(scenario)
