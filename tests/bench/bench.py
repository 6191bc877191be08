"""make bench: start-up, frame, memory, idle CPU and answer-commit figures of
km2kiosk, each printed next to its target. A missed target is only reported;
a crash or a figure that cannot be taken ends the run with exit status 1.
Run from the repo root (tests/bench.sh does); BUILD names the build folder."""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from kiosk import stop  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
BIN = os.path.join(BUILD, "km2kiosk")
COMMIT_BIN = os.path.join(BUILD, "bench", "bench_commit")
EVAL_BIN = os.path.join(BUILD, "km2eval")
EVAL_GEN = os.path.join(BUILD, "bench", "bench_eval_gen")
SIZES = ("1280x800", "800x480")
FIRST_FRAME_FRESH_RUNS = 7
FIRST_FRAME_EXISTING_RUNS = 3
RENDER_FRAMES = 200
IDLE_SECONDS = 10.0
TIMEOUT_S = 60

TARGET_FIRST_FRAME_MS = 100.0
TARGET_FRAME_MS = 4.0
TARGET_RSS_MB = 40.0
TARGET_IDLE_CPU_PCT = 1.0

# The kiosk's own drivers are dummy under --headless; the idle run needs them
# from the environment.
ENV = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")

missed = []


class BenchError(Exception):
    pass


def mark(ok, what):
    if not ok:
        missed.append(what)
    return "ok" if ok else "MISSED"


def tail(text, n=20):
    lines = (text or "").strip().splitlines()
    return "\n".join("    " + l for l in lines[-n:])


def feed(p, data):
    """Writes the script and closes stdin; a kiosk that died early is
    reported by its exit status, not by the broken pipe."""
    try:
        p.stdin.write(data)
        p.stdin.close()
    except BrokenPipeError:
        pass


FORMS_DIR = None  # the shipped surveys and the widgets fixture, set up by main()


def headless_cmd(db, size):
    forms = ["--forms", FORMS_DIR] if FORMS_DIR else []
    return [BIN, "--headless", "--db", db, "--windowed", size, "--script", "-", *forms]


def run_script(db, size, script, what):
    """Runs the headless kiosk on a script; returns its stdout lines."""
    try:
        p = subprocess.run(headless_cmd(db, size), input=script, capture_output=True, text=True,
                           timeout=TIMEOUT_S, env=ENV)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{what} at {size}: the kiosk did not finish within {TIMEOUT_S} s")
    if p.returncode != 0:
        raise BenchError(f"{what} at {size}: the kiosk exited with status {p.returncode}\n"
                         f"{tail(p.stderr)}")
    return p.stdout.splitlines()


# ---- 1. process start to first frame ----------------------------------------

def first_frame_ms(db, size):
    """Spawn to the first stdout line (the dump printed after the first frame)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(headless_cmd(db, size), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=err, env=ENV)
        try:
            feed(p, b"dump\nquit\n")
            line = p.stdout.readline()
            t1 = time.perf_counter()
            p.stdout.read()
            rc = p.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise BenchError(f"first frame at {size}: the kiosk did not quit")
        finally:
            p.stdout.close()
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if rc != 0:
        raise BenchError(f"first frame at {size}: the kiosk exited with status {rc}\n{tail(stderr)}")
    try:
        screen = json.loads(line)["screen"]
    except (ValueError, KeyError):
        raise BenchError(f"first frame at {size}: first output line is not a dump: {line[:200]!r}")
    if screen != "attract":
        raise BenchError(f"first frame at {size}: started on the {screen} screen, not attract")
    return (t1 - t0) * 1000.0


def bench_first_frame(tmp, size):
    fresh = []
    for i in range(FIRST_FRAME_FRESH_RUNS):
        fresh.append(first_frame_ms(os.path.join(tmp, f"ff-{size}-{i}.db"), size))
    existing_db = os.path.join(tmp, f"ff-{size}-0.db")
    existing = [first_frame_ms(existing_db, size) for _ in range(FIRST_FRAME_EXISTING_RUNS)]
    return statistics.median(fresh), statistics.median(existing)


# ---- 2. frame times per screen kind -----------------------------------------

# (label, expected screen, expected question or None, script lines to reach it
# from the previous step): the children's survey in German, then every widget
# of the widgets fixture form in Arabic (right to left, shaped text).
SCREENS = [
    ("attract", "attract", None, []),
    ("language", "language", None, ["touch start"]),
    ("audience", "audience", None, ["touch lang:de"]),
    ("question: note", "question", "hallo", ["touch audience:kinder"]),
    ("question: tiles", "question", "alter", ["touch next"]),
    ("question: faces", "question", "schulgefuehl", ["touch choice:8_9", "touch next"]),
    ("question: pictures", "question", "hort", ["touch choice:3", "touch next"]),
    ("question: multiple", "question", "schwer", ["touch choice:gern", "touch next"]),
    ("confirm_quit", "confirm_quit", None, ["touch quit"]),
    ("idle_prompt", "idle_prompt", None, ["touch no", "wait 60000"]),
    ("ar: number pad", "question", "alter",
     ["touch continue", "touch quit", "touch yes", "touch start", "touch lang:ar",
      "touch audience:widgets", "touch key:9"]),
    ("ar: keyboard", "question", "wunsch",
     ["touch next", "touch key:1", "touch next", "touch key:ب", "touch key:space"]),
    ("ar: scale", "question", "zufrieden", ["touch next", "touch value:3"]),
    ("ar: slider", "question", "prozent", ["touch next", "touch slider"]),
    ("ar: drawing", "question", "bild",
     ["touch next", "drag canvas 0.1 0.1 0.9 0.9 500", "drag canvas 0.1 0.9 0.9 0.1 500"]),
    ("ar: rank", "question", "rangfolge", ["touch next", "touch rank:bib", "touch rank:park"]),
    ("ar: acknowledge", "question", "ok", ["touch next", "touch ack"]),
    ("ar: field-list", "question", "verein", ["touch next", "touch choice:verein/ja"]),
    ("thanks", "thanks", None, ["touch choice:jugendclub/oft", "touch next"]),
]


def bench_render(tmp, size):
    script = []
    for _, _, _, steps in SCREENS:
        script += steps + ["dump", f"render {RENDER_FRAMES}"]
    script.append("quit")
    lines = run_script(os.path.join(tmp, f"render-{size}.db"), size, "\n".join(script) + "\n",
                       "frame times")
    objs = []
    for line in lines:
        if line.startswith("{"):
            try:
                objs.append(json.loads(line))
            except ValueError:
                raise BenchError(f"frame times at {size}: unreadable output line {line[:200]!r}")
    if len(objs) != 2 * len(SCREENS):
        raise BenchError(f"frame times at {size}: expected {2 * len(SCREENS)} JSON lines, "
                         f"got {len(objs)}")
    rows = []
    for i, (label, screen, question, _) in enumerate(SCREENS):
        d, r = objs[2 * i], objs[2 * i + 1]
        if d.get("screen") != screen or (question and d.get("question") != question):
            raise BenchError(f"frame times at {size}: expected {label} ({question or screen}), "
                             f"the kiosk showed {d.get('screen')} {d.get('question', '')}")
        if r.get("render") != screen or r.get("frames") != RENDER_FRAMES:
            raise BenchError(f"frame times at {size}: bad render line {r}")
        rows.append((label, r["cold_ms"], r["median_ms"], r["p99_ms"]))
    return rows


# ---- 3. peak RSS over a full survey -----------------------------------------

FULL_SURVEY = [
    "touch start", "touch lang:de", "touch audience:kinder", "touch speak", "touch next",
    "touch choice:8_9", "touch next", "touch choice:3", "touch next", "touch choice:gern",
    "touch next", "touch choice:lesen", "touch choice:spielen", "touch quit", "touch no",
    "wait 60000", "touch continue", "touch next", "touch choice:freunde",
    "touch choice:bibliothek", "touch next", "touch choice:ja", "touch next", "touch choice:3",
    "touch next", "drag canvas 0.1 0.1 0.9 0.9 500", "drag canvas 0.1 0.9 0.9 0.1 500",
    "touch next", "dump", "quit",
]


def bench_rss(tmp, size):
    """Peak RSS in MB of one kiosk process over a full survey (ru_maxrss of
    that child alone, via wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(headless_cmd(os.path.join(tmp, f"rss-{size}.db"), size),
                             stdin=subprocess.PIPE, stdout=out, stderr=err, env=ENV)
        feed(p, ("\n".join(FULL_SURVEY) + "\n").encode())
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                p.returncode = -9
                raise BenchError(f"peak RSS at {size}: the kiosk did not finish")
            time.sleep(0.01)
        rc = os.waitstatus_to_exitcode(status)
        p.returncode = rc  # reaped here; keep Popen from waiting again
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if rc != 0:
        raise BenchError(f"peak RSS at {size}: the kiosk exited with status {rc}\n{tail(stderr)}")
    last = [l for l in stdout.splitlines() if l.startswith("{")]
    if not last or json.loads(last[-1]).get("screen") != "thanks":
        raise BenchError(f"peak RSS at {size}: the survey did not reach the thanks screen")
    return ru.ru_maxrss / 1024.0  # Linux: KiB


# ---- 4. idle CPU on the welcome screen --------------------------------------

def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return int(fields[11]) + int(fields[12])


def bench_idle(tmp, size):
    cmd = [BIN, "--windowed", size, "--db", os.path.join(tmp, f"idle-{size}.db")]
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                             env=ENV)
        try:
            time.sleep(1.0)
            if p.poll() is not None:
                raise BenchError(f"idle CPU at {size}: the kiosk exited during start-up "
                                 f"(status {p.returncode})")
            c0, t0 = cpu_ticks(p.pid), time.monotonic()
            time.sleep(IDLE_SECONDS)
            c1, t1 = cpu_ticks(p.pid), time.monotonic()
            if p.poll() is not None:
                raise BenchError(f"idle CPU at {size}: the kiosk exited while idling "
                                 f"(status {p.returncode})")
        except BenchError as e:
            err.seek(0)
            raise BenchError(f"{e}\n{tail(err.read().decode(errors='replace'))}")
        finally:
            stop(p, signal.SIGTERM, timeout=3)
    secs = (c1 - c0) / os.sysconf("SC_CLK_TCK")
    return 100.0 * secs / (t1 - t0)


# ---- 5. answer commit latency -----------------------------------------------

def bench_commit(tmp):
    try:
        p = subprocess.run([COMMIT_BIN, tmp], capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{COMMIT_BIN} did not finish within {TIMEOUT_S} s")
    if p.returncode != 0:
        raise BenchError(f"{COMMIT_BIN} exited with status {p.returncode}\n{tail(p.stderr)}")
    try:
        return json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise BenchError(f"{COMMIT_BIN}: unreadable output {p.stdout[:200]!r}")


# ---- report -----------------------------------------------------------------

EXPORT_RESPONSES = 100_000
TARGET_EXPORT_S = 5.0


def bench_export(tmp):
    """Export time for EXPORT_RESPONSES stored responses of the export probe
    form: one scripted session registers the form, the rest are copied in
    with direct SQL (one transaction; the storage API commits per answer),
    then `km2kiosk export` writes the whole batch to a folder."""
    import random
    import sqlite3
    forms = os.path.join("tests", "fixtures", "forms", "export")
    db = os.path.join(tmp, "export.db")
    stick = os.path.join(tmp, "stick")
    os.makedirs(stick, exist_ok=True)
    steps = ["touch start", "wait 1000", "touch lang:de", "wait 1000", "touch audience:probe",
             "wait 1000", "touch next"] + ["wait 1000", "touch next"] * 12 + ["wait 10000", "quit"]
    p = subprocess.run([BIN, "--headless", "--db", db, "--forms", forms, "--windowed", "800x480",
                        "--script", "-"], input="\n".join(steps) + "\n", capture_output=True,
                       text=True, timeout=TIMEOUT_S)
    if p.returncode != 0:
        raise BenchError(f"export bench: the scripted session failed\n{tail(p.stderr)}")
    con = sqlite3.connect(db)
    meta = con.execute("SELECT form_id, form_version, form_sha256, lang, audience, started_at, "
                       "ended_at FROM session WHERE outcome='complete'").fetchone()
    if not meta:
        raise BenchError("export bench: the scripted session was not stored complete")
    rnd = random.Random(7)
    sessions, answers = [], []
    for i in range(EXPORT_RESPONSES - 1):
        sid = i + 1000
        sessions.append((sid, "%032x" % rnd.getrandbits(128), *meta[:5], "complete", meta[5],
                         meta[6]))
        vals = {"geschlecht": rnd.choice(["female", "male", "diverse"]),
                "alter": rnd.choice(["10_11", "12_13", "14_15"]),
                "sprachen": " ".join(sorted(rnd.sample(["de", "tr", "ar"], rnd.randint(1, 2)))),
                "nr": str(rnd.randint(1, 999)), "weg": "%.1f" % rnd.uniform(0.1, 9),
                "zufrieden": str(rnd.randint(1, 5)),
                "orte": " ".join(rnd.sample(["park", "sport", "library"], rnd.randint(1, 3)))}
        answers += [(sid, q, v, meta[5]) for q, v in vals.items()]
    with con:
        con.executemany("INSERT INTO session (id, uuid, form_id, form_version, form_sha256, lang, "
                        "audience, outcome, started_at, ended_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        sessions)
        con.executemany("INSERT INTO answer (session_id, question, value, answered_at) "
                        "VALUES (?,?,?,?)", answers)
    con.close()
    t0 = time.monotonic()
    p = subprocess.run([BIN, "export", "--db", db, "--to", stick, "--forms", forms],
                       capture_output=True, text=True, timeout=TIMEOUT_S * 5)
    secs = time.monotonic() - t0
    if p.returncode != 0:
        raise BenchError(f"export bench: km2kiosk export exited {p.returncode}\n"
                         f"{tail(p.stdout)}\n{tail(p.stderr)}")
    r = json.loads(p.stdout.strip().splitlines()[-1])
    return secs, r



EVAL_KIOSKS, EVAL_BATCHES, EVAL_ROWS = 40, 5, 1500   # 200 batches, 300 000 responses
TARGET_RECEIVE_S, TARGET_DATASET_S, TARGET_REPORT_S = 60.0, 10.0, 10.0
TARGET_EVAL_RSS_MB = 200.0


def timed(cmd, what):
    """Runs cmd under GNU time; returns (seconds, peak RSS in MB, stdout).
    GNU time forks from a small process, so the peak is the program's own
    (a fork of this Python would count Python's pages too)."""
    with tempfile.NamedTemporaryFile("w+", suffix=".time") as meas:
        t0 = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", meas.name, *cmd],
                           capture_output=True, text=True, timeout=TIMEOUT_S * 10)
        secs = time.monotonic() - t0
        if p.returncode != 0:
            raise BenchError(f"{what}: exit {p.returncode}\n{tail(p.stdout)}\n{tail(p.stderr)}")
        meas.seek(0)
        kb = int(meas.read().strip().splitlines()[-1])
    return secs, kb / 1024.0, p.stdout


def bench_eval(tmp):
    """km2eval at the scale of a whole programme: EVAL_KIOSKS kiosks with
    EVAL_BATCHES encrypted, signed batches of EVAL_ROWS responses each (made
    by bench_eval_gen with the kiosk's own format code), enrolled, received,
    merged into one dataset and reported."""
    office = os.path.join(tmp, "office")
    gen = os.path.join(tmp, "eval-gen")
    p = subprocess.run([EVAL_BIN, "init", office], capture_output=True, text=True)
    if p.returncode != 0:
        raise BenchError(f"km2eval init: {tail(p.stderr)}")
    recipient = json.loads(p.stdout)["recipient"]
    p = subprocess.run([EVAL_GEN, gen, recipient, str(EVAL_KIOSKS), str(EVAL_BATCHES),
                        str(EVAL_ROWS)], capture_output=True, text=True)
    if p.returncode != 0:
        raise BenchError(f"bench_eval_gen: {tail(p.stderr)}")
    for name in sorted(os.listdir(os.path.join(gen, "keys"))):
        if name.endswith(".json"):
            path = os.path.join(gen, "keys", name)
            with open(path) as f:
                site = json.load(f)["site"]
            p = subprocess.run([EVAL_BIN, "enrol", office, "--key", path, "--site", site],
                               capture_output=True, text=True)
            if p.returncode != 0:
                raise BenchError(f"km2eval enrol {name}: {tail(p.stderr)}")
    figures = {}
    secs, rss, out = timed([EVAL_BIN, "receive", office, os.path.join(gen, "stick")], "receive")
    received = sum(json.loads(l)["rows"] for l in out.splitlines() if l.startswith("{"))
    figures["receive"] = (secs, rss, received)
    secs, rss, out = timed([EVAL_BIN, "dataset", office, "--form", "kinder", "--to",
                            os.path.join(tmp, "eval-dataset")], "dataset")
    figures["dataset"] = (secs, rss, json.loads(out)["rows"])
    secs, rss, out = timed([EVAL_BIN, "report", office, "--to", os.path.join(tmp, "eval.html"),
                            "--compare", "2026-W10..2026-W42"], "report")
    figures["report"] = (secs, rss, json.loads(out)["rows"])
    return figures


def report_size(tmp, size):
    print(f"\n== {size} (headless: SDL dummy driver, software renderer) ==")
    fresh, existing = bench_first_frame(tmp, size)
    print(f"start to first frame, fresh db     {fresh:8.1f} ms  median of {FIRST_FRAME_FRESH_RUNS}"
          f"   target < {TARGET_FIRST_FRAME_MS:.0f} ms  "
          f"{mark(fresh < TARGET_FIRST_FRAME_MS, f'{size} first frame (fresh db)')}")
    print(f"start to first frame, existing db  {existing:8.1f} ms  median of "
          f"{FIRST_FRAME_EXISTING_RUNS}   target < {TARGET_FIRST_FRAME_MS:.0f} ms  "
          f"{mark(existing < TARGET_FIRST_FRAME_MS, f'{size} first frame (existing db)')}")

    rows = bench_render(tmp, size)
    print(f"\nframe times, {RENDER_FRAMES} renders per screen "
          f"(target: median and p99 < {TARGET_FRAME_MS:.0f} ms; cold = empty caches, for information)")
    print(f"  {'screen':<22} {'cold ms':>8} {'median ms':>10} {'p99 ms':>8}  target")
    for label, cold, med, p99 in rows:
        ok = med < TARGET_FRAME_MS and p99 < TARGET_FRAME_MS
        print(f"  {label:<22} {cold:8.2f} {med:10.2f} {p99:8.2f}  "
              f"{mark(ok, f'{size} frame time {label}')}")

    rss = bench_rss(tmp, size)
    print(f"\npeak RSS, full scripted survey     {rss:8.1f} MB              target < "
          f"{TARGET_RSS_MB:.0f} MB   {mark(rss < TARGET_RSS_MB, f'{size} peak RSS')}")
    cpu = bench_idle(tmp, size)
    print(f"attract idle CPU, {IDLE_SECONDS:.0f} s (its motion)  {cpu:6.2f} % of one core     "
          f"target < {TARGET_IDLE_CPU_PCT:.0f} %    "
          f"{mark(cpu < TARGET_IDLE_CPU_PCT, f'{size} idle CPU')}")


def main():
    for path in (BIN, COMMIT_BIN, EVAL_BIN, EVAL_GEN):
        if not os.access(path, os.X_OK):
            print(f"bench: {path} is missing; run `make bench`", file=sys.stderr)
            return 1
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="ks-bench-")
    global FORMS_DIR
    FORMS_DIR = os.path.join(tmp, "forms")
    shutil.copytree("assets/forms", FORMS_DIR)
    shutil.copytree(os.path.join("tests", "fixtures", "forms", "widgets"),
                    os.path.join(FORMS_DIR, "widgets"))
    try:
        print(f"km2kiosk bench: {BIN}, {os.cpu_count()} CPU(s), temp files in {tmp}")
        for size in SIZES:
            report_size(tmp, size)
        c = bench_commit(tmp)
        print(f"\n== storage (store_answer_put: one transaction each, WAL + synchronous=FULL) ==")
        print(f"answer commit   median {c['answer_median_ms']:7.3f} ms   p99 "
              f"{c['answer_p99_ms']:7.3f} ms   ({c['answers']} answers)")
        print(f"session begin+finish  median {c['session_median_ms']:7.3f} ms   p99 "
              f"{c['session_p99_ms']:7.3f} ms   ({c['sessions']} sessions)")
        secs, r = bench_export(tmp)
        print(f"\n== export (km2kiosk export: anonymise, bag, sign, copy to a folder, read back) ==")
        print(f"export of {r['rows']} responses   {secs:7.2f} s   target < {TARGET_EXPORT_S:.0f} s   "
              f"{mark(secs < TARGET_EXPORT_S, 'export time')}")
        ev = bench_eval(tmp)
        print(f"\n== km2eval ({EVAL_KIOSKS} kiosks, {EVAL_KIOSKS * EVAL_BATCHES} encrypted batches, "
              f"{EVAL_KIOSKS * EVAL_BATCHES * EVAL_ROWS} responses) ==")
        targets = {"receive": TARGET_RECEIVE_S, "dataset": TARGET_DATASET_S,
                   "report": TARGET_REPORT_S}
        for what, (secs, rss, rows) in ev.items():
            print(f"{what:<8} {rows:7d} rows  {secs:6.2f} s   target < {targets[what]:.0f} s   "
                  f"{mark(secs < targets[what], f'km2eval {what} time')}   peak RSS {rss:6.1f} MB  "
                  f"target < {TARGET_EVAL_RSS_MB:.0f} MB   "
                  f"{mark(rss < TARGET_EVAL_RSS_MB, f'km2eval {what} memory')}")
    except BenchError as e:
        print(f"\nbench: FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{len(missed)} target(s) missed" + (": " + "; ".join(missed) if missed else "")
          + f"  (bench took {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
