"""make bench: start-up, frame, memory, idle CPU, touch-to-photon and
answer-commit figures of km2kiosk, and the welcome screen into a PNG next to
headless Chromium, each printed next to its target (issue 20). A missed
target is only reported; a crash or a figure that cannot be taken ends the
run with exit status 1. Run from the repo root (tests/bench.sh does); BUILD
names the build folder."""
import glob
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
import browser  # noqa: E402  (tests/bench/, this file's folder)

BUILD = os.environ.get("BUILD", "build")
BIN = os.path.join(BUILD, "km2kiosk")
COMMIT_BIN = os.path.join(BUILD, "bench", "bench_commit")
EVAL_BIN = os.path.join(BUILD, "km2eval")
EVAL_GEN = os.path.join(BUILD, "bench", "bench_eval_gen")
SIZES = ("1280x800", "800x480")
MAIN_SIZE = "1280x800"  # the frame, full-survey memory and touch targets are set at this size
FIRST_FRAME_FRESH_RUNS = 7
FIRST_FRAME_EXISTING_RUNS = 5
FIRST_EVER_RUNS = 3
RENDER_FRAMES = 200
IDLE_SECONDS = 10.0
TIMEOUT_S = 60

TARGET_FIRST_FRAME_MS = {"1280x800": 30.0, "800x480": 20.0}
TARGET_FRAME_MEDIAN_MS = 1.0
TARGET_FRAME_P99_MS = 2.0
TARGET_FIRST_SCREEN_RSS_MB = 20.0
TARGET_SURVEY_RSS_MB = 25.0
TARGET_IDLE_CPU_PCT = 1.0
TARGET_TOUCH_MS = 5.0

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


# ---- 1. process start to first frame, and its memory ------------------------

def vm_hwm_mb(pid):
    """The process's peak resident set so far (VmHWM), in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    raise BenchError(f"no VmHWM in /proc/{pid}/status")


def first_frame_ms(db, size):
    """Spawn to the return of the first frame's present (the kiosk's dump
    names that moment on CLOCK_MONOTONIC, the clock this process reads too),
    the peak RSS up to the first dump (VmHWM read while the kiosk waits for
    its next script line, before it is sent `quit`), and spawn to that
    dump's line. The dump comes after the script runner's first pump: the
    kiosk's first tick (the integrity check, the clock's first save,
    retention), which the interactive loop runs once the first frame is
    up."""
    with tempfile.TemporaryFile() as err:
        t0 = time.clock_gettime(time.CLOCK_MONOTONIC)
        p = subprocess.Popen(headless_cmd(db, size), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=err, env=ENV)
        try:
            hwm = None
            try:
                p.stdin.write(b"dump\n")
                p.stdin.flush()
            except BrokenPipeError:
                pass
            line = p.stdout.readline()
            t1 = time.clock_gettime(time.CLOCK_MONOTONIC)
            if line:
                hwm = vm_hwm_mb(p.pid)
            feed(p, b"quit\n")
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
        d = json.loads(line)
        screen, shown = d["screen"], d["first_frame_mono_ms"]
    except (ValueError, KeyError):
        raise BenchError(f"first frame at {size}: first output line is not a dump with the "
                         f"first frame's time: {line[:200]!r}")
    if screen != "attract":
        raise BenchError(f"first frame at {size}: started on the {screen} screen, not attract")
    if not t0 * 1000.0 < shown <= t1 * 1000.0:
        raise BenchError(f"first frame at {size}: its time {shown} is not between the spawn "
                         f"({t0 * 1000.0:.3f}) and the dump ({t1 * 1000.0:.3f})")
    return shown - t0 * 1000.0, hwm, (t1 - t0) * 1000.0


def bench_first_ever(tmp, size):
    """Medians of time and peak RSS to the first frame of a kiosk's very first
    start: a fresh database in a folder of its own, so no picture cache
    beside it yet (SDL2_image loaded, the pictures rasterised)."""
    runs = []
    for i in range(FIRST_EVER_RUNS):
        folder = os.path.join(tmp, f"first-{size}-{i}")
        os.makedirs(folder)
        runs.append(first_frame_ms(os.path.join(folder, "kiosk.db"), size))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def bench_first_frame(tmp, size):
    """Medians: time to the first frame with a fresh database and with the
    one the first run made, the fresh runs' peak RSS to the first screen,
    and the time to the first dump with a fresh and an existing database.
    The databases share a folder, so after the first run the pictures come
    from the picture cache beside them, as on every start of a kiosk but its
    first (bench_first_ever)."""
    fresh = [first_frame_ms(os.path.join(tmp, f"ff-{size}-{i}.db"), size)
             for i in range(FIRST_FRAME_FRESH_RUNS)]
    existing_db = os.path.join(tmp, f"ff-{size}-0.db")
    existing = [first_frame_ms(existing_db, size) for _ in range(FIRST_FRAME_EXISTING_RUNS)]
    return (statistics.median(r[0] for r in fresh), statistics.median(r[0] for r in existing),
            statistics.median(r[1] for r in fresh), statistics.median(r[2] for r in fresh),
            statistics.median(r[2] for r in existing))


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
        if (r.get("render") != screen or r.get("frames") != RENDER_FRAMES
                or any(len(r.get(k, ())) != RENDER_FRAMES
                       for k in ("ms", "cpu_ms", "faults", "switches"))):
            raise BenchError(f"frame times at {size}: bad render line {str(r)[:300]}")
        rows.append(dict(r, label=label))
    return rows


def p99(values):
    """The p99 as the kiosk's `render` reports it: of n values sorted, the
    one at index n*99//100."""
    v = sorted(values)
    return v[len(v) * 99 // 100]


# A spike is a repaint taking more than SPIKE times its screen's median: all
# repaints of a screen draw the same area (a press or its lift) from the same
# caches, so a spike is not the drawing's own cost. It is put down to the machine when the
# kiosk's thread was preempted in it or got less than MACHINE_CPU_SHARE of
# the wall time as CPU time (it was runnable while something else ran).
SPIKE = 1.5
MACHINE_CPU_SHARE = 0.8


def slow_causes(row):
    """The spikes among the repaints (the frames after the cold one), by
    likely cause: (machine, page faults, CPU: the same drawing took more CPU
    time, i.e. cache misses)."""
    machine = faults = work = 0
    limit = SPIKE * row["median_ms"]
    for ms, cpu, flt, sw in list(zip(row["ms"], row["cpu_ms"], row["faults"],
                                     row["switches"]))[1:]:
        if ms <= limit:
            continue
        if sw > 0 or cpu < MACHINE_CPU_SHARE * ms:
            machine += 1
        elif flt > 0:
            faults += 1
        else:
            work += 1
    return machine, faults, work


def print_frames(size, rows):
    """The per-screen table; at MAIN_SIZE with the targets, the worst screen
    and what the slow repaints were."""
    targeted = size == MAIN_SIZE
    print(f"\nframe times, {RENDER_FRAMES} renders per screen (cold = the first, with empty "
          f"text and picture caches; then a finger put down on the target in column 'pressed' "
          f"and lifted, in turn, as a tap draws them: median, p99 and max over those "
          f"{RENDER_FRAMES - 1} repaints; p99 cpu = of the thread's CPU time alone)")
    print("  the software renderer keeps the last frame in the window, so a repaint draws only "
          "what changed: the pressed target's area (the one whose press changes the most "
          "pixels); '-': nothing on the screen can be pressed, so nothing is drawn again")
    if targeted:
        print(f"target per screen: median < {TARGET_FRAME_MEDIAN_MS:g} ms and "
              f"p99 < {TARGET_FRAME_P99_MS:g} ms")
    else:
        print(f"(for information: the frame targets are set at {MAIN_SIZE})")
    head = (f"  {'screen':<20} {'pressed':<14} {'cold ms':>8} {'median ms':>10} {'p99 ms':>8} "
            f"{'max ms':>8} {'p99 cpu':>8}  {'spikes: machine/faults/cpu':<28}")
    print(head + "  target" if targeted else head.rstrip())
    for r in rows:
        m, f, w = slow_causes(r)
        pressed = (r.get("pressed") or "-")[:14]
        line = (f"  {r['label']:<20} {pressed:<14} {r['cold_ms']:8.2f} {r['median_ms']:10.2f} "
                f"{r['p99_ms']:8.2f} {max(r['ms'][1:]):8.2f} {p99(r['cpu_ms'][1:]):8.2f}  "
                f"{m:>7d} /{f:>4d} /{w:>4d}{'':<12}")
        if targeted:
            ok = r["median_ms"] < TARGET_FRAME_MEDIAN_MS and r["p99_ms"] < TARGET_FRAME_P99_MS
            line += "  " + mark(ok, f"{size} frame time {r['label']}")
        print(line.rstrip())
    worst_med = max(rows, key=lambda r: r["median_ms"])
    worst_p99 = max(rows, key=lambda r: r["p99_ms"])
    print(f"worst median {worst_med['median_ms']:.2f} ms ({worst_med['label']}), "
          f"worst p99 {worst_p99['p99_ms']:.2f} ms ({worst_p99['label']})")
    if targeted:
        print_outliers(rows)


def print_outliers(rows):
    """Where the p99 outliers come from: the machine (preempted or starved
    of CPU), first touches of memory (page faults: textures or buffers made
    anew), or the same drawing taking more CPU time (cache misses: this
    machine exposes no hardware counters to count them); and the cold frame
    (texture uploads) and the first repaint after it against the rest."""
    m = f = w = n = over = 0
    for r in rows:
        a, b, c = slow_causes(r)
        m, f, w, n = m + a, f + b, w + c, n + RENDER_FRAMES - 1
        over += sum(1 for x in r["ms"][1:] if x >= TARGET_FRAME_P99_MS)
    cold = statistics.median(r["cold_ms"] for r in rows)
    first = statistics.median(r["ms"][1] for r in rows)
    rest = statistics.median(x for r in rows for x in r["ms"][2:])
    share = statistics.median(c / x for r in rows for x, c in zip(r["ms"][1:], r["cpu_ms"][1:])
                              if x > 0)
    worst_cpu = max(rows, key=lambda r: p99(r["cpu_ms"][1:]))
    print(f"p99 outliers: {over} of {n} repaints took {TARGET_FRAME_P99_MS:g} ms or more; "
          f"{m + f + w} were spikes (> {SPIKE:g}x their screen's median): {m} the machine "
          f"(preempted, or CPU time < {MACHINE_CPU_SHARE:.0%} of the frame's), {f} page faults, "
          f"{w} more CPU time for the same drawing (cache misses)")
    print(f"  the repaints got {share:.0%} of their wall time as CPU time (median); on CPU time "
          f"alone the worst p99 is {p99(worst_cpu['cpu_ms'][1:]):.2f} ms ({worst_cpu['label']})")
    faults = statistics.median(r["faults"][0] for r in rows)
    print(f"  cold frames (layout, text rasterised, pictures decoded, textures uploaded): median "
          f"{cold:.2f} ms, {faults:.0f} page faults; the first repaint after them {first:.2f} ms, "
          f"later repaints {rest:.2f} ms" + (
              ": nothing is left to upload after the cold frame" if first <= SPIKE * rest else
              ": the first repaint still makes what the cold frame left"))


# ---- 3. peak RSS over a full survey -----------------------------------------

# The children's survey end to end: read aloud on its first page (the kiosk
# is given SPEAK_S of real time to speak before the next tap stops it), the
# quit and idle prompts, every kind of question, and a drawing on its canvas.
FULL_SURVEY_SPEAK = ["touch start", "touch lang:de", "touch audience:kinder", "touch speak"]
FULL_SURVEY_REST = [
    "touch next",
    "touch choice:8_9", "touch next", "touch choice:3", "touch next", "touch choice:gern",
    "touch next", "touch choice:lesen", "touch choice:spielen", "touch quit", "touch no",
    "wait 60000", "touch continue", "touch next", "touch choice:freunde",
    "touch choice:bibliothek", "touch next", "touch choice:ja", "touch next", "touch choice:3",
    "touch next", "drag canvas 0.1 0.1 0.9 0.9 500", "drag canvas 0.1 0.9 0.9 0.1 500",
    "touch next", "dump", "quit",
]
SPEAK_S = 1.5
SPEECH_RATE_HZ = 22050  # ui/audio.c: mono int16 at the rate speech.c opens it with


def spoken_seconds(raw_path):
    """Seconds from the first to the last sample that is not silence in what
    SDL's disk audio driver wrote: proof that the read-aloud was heard."""
    import array
    samples = array.array("h")
    with open(raw_path, "rb") as f:
        data = f.read()
    samples.frombytes(data[:len(data) // 2 * 2])
    loud = [i for i, v in enumerate(samples) if abs(v) > 64]
    return (loud[-1] - loud[0]) / SPEECH_RATE_HZ if loud else 0.0


def bench_rss(tmp, size):
    """Peak RSS in MB of one kiosk process over a full survey (ru_maxrss of
    that child alone, via wait4), and the seconds of speech it played (SDL's
    disk audio driver stands in for the sound card)."""
    raw = os.path.join(tmp, f"speech-{size}.raw")
    env = dict(ENV, SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=raw)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(headless_cmd(os.path.join(tmp, f"rss-{size}.db"), size),
                             stdin=subprocess.PIPE, stdout=out, stderr=err, env=env)
        try:
            p.stdin.write(("\n".join(FULL_SURVEY_SPEAK) + "\n").encode())
            p.stdin.flush()
        except BrokenPipeError:
            pass
        time.sleep(SPEAK_S)
        feed(p, ("\n".join(FULL_SURVEY_REST) + "\n").encode())
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
    spoken = spoken_seconds(raw) if os.path.exists(raw) else 0.0
    if spoken <= 0:
        raise BenchError(f"peak RSS at {size}: the read-aloud played no sound\n{tail(stderr)}")
    return ru.ru_maxrss / 1024.0, spoken  # Linux: KiB


# ---- 4. idle CPU on the welcome screen --------------------------------------

def cpu_seconds(pid):
    """CPU time of all the process's threads so far, from the scheduler's own
    account (/proc/PID/task/*/schedstat, in ns): exact, where utime and stime
    are sampled at the clock tick and miss or overcount a loop that wakes
    briefly at a steady rate."""
    total = 0
    for stat in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(stat) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass  # a thread that ended meanwhile
    return total / 1e9


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
            c0, t0 = cpu_seconds(p.pid), time.monotonic()
            time.sleep(IDLE_SECONDS)
            c1, t1 = cpu_seconds(p.pid), time.monotonic()
            if p.poll() is not None:
                raise BenchError(f"idle CPU at {size}: the kiosk exited while idling "
                                 f"(status {p.returncode})")
        except BenchError as e:
            err.seek(0)
            raise BenchError(f"{e}\n{tail(err.read().decode(errors='replace'))}")
        finally:
            stop(p, signal.SIGTERM, timeout=3)
    return 100.0 * (c1 - c0) / (t1 - t0)


# ---- touch to photon ----------------------------------------------------------

TOUCH_ROUNDS = 2  # the children's survey twice: about 40 taps
POLL_TOUCH_MS = 2  # ui/sdl_platform.c: the interactive loop's sleep while a finger is down


class Kiosk:
    """A headless kiosk driven line by line: commands out, JSON lines back."""

    def __init__(self, db, size):
        self.err = tempfile.TemporaryFile()
        self.p = subprocess.Popen(headless_cmd(db, size), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=self.err, env=ENV, text=True,
                                  bufsize=1)

    def send(self, line):
        try:
            self.p.stdin.write(line + "\n")
            self.p.stdin.flush()
        except BrokenPipeError:
            raise self.died()

    def ask(self, line):
        self.send(line)
        out = self.p.stdout.readline()
        if not out:
            raise self.died()
        return json.loads(out)

    def died(self):
        self.p.kill()
        self.p.wait()
        self.err.seek(0)
        return BenchError(f"touch to photon: the kiosk ended (status {self.p.returncode})\n"
                          f"{tail(self.err.read().decode(errors='replace'))}")

    def close(self):
        feed(self.p, "quit\n")
        try:
            rc = self.p.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise self.died()
        self.p.stdout.close()
        self.err.close()
        if rc != 0:
            raise BenchError(f"touch to photon: the kiosk exited with status {rc}")


def next_tap(d):
    """The target to tap on screen dump d: through the children's survey,
    choosing the first answer on each question page before `next`."""
    screen = d["screen"]
    if screen in ("attract", "language", "audience"):
        return {"attract": "start", "language": "lang:de", "audience": "audience:kinder"}[screen]
    if screen != "question":
        raise BenchError(f"touch to photon: unexpected {screen} screen")
    choices = [t for t in d["targets"] if t["id"].startswith("choice:")]
    if choices and not any(t["selected"] for t in choices):
        return choices[0]["id"]
    return "next"


def bench_touch(tmp, size):
    """Touch to photon, measured inside the kiosk (ui_touch_to_photon_ms):
    from the injected finger lift to the return of the present of the first
    frame that shows another view. Each tap is `press X Y 0` on the centre of
    a target: the finger goes down (its pressed frame drawn) and then up, as
    on a panel; only the lift is timed. Returns [(target, first visit, ms,
    label)]."""
    k = Kiosk(os.path.join(tmp, f"touch-{size}.db"), size)
    taps, seen, rounds = [], set(), 0
    while rounds < TOUCH_ROUNDS:
        d = k.ask("dump")
        if d["screen"] == "thanks":
            rounds += 1
            k.send("wait 15000")  # back to the welcome screen
            continue
        tid = next_tap(d)
        rect = next((t["rect"] for t in d["targets"] if t["id"] == tid), None)
        if rect is None:
            raise BenchError(f"touch to photon: no {tid} on the {d['screen']} screen")
        k.send(f"press {rect[0] + rect[2] // 2} {rect[1] + rect[3] // 2} 0")
        ms = k.ask("latency")["touch_to_photon_ms"]
        if ms is None:
            raise BenchError(f"touch to photon: tapping {tid} on the {d['screen']} screen "
                             f"showed nothing new")
        where = (d["screen"], d.get("question", ""), tid)
        taps.append((tid, where not in seen, ms, f"{d.get('question') or d['screen']}: {tid}"))
        seen.add(where)
        if len(taps) > 200:
            raise BenchError("touch to photon: the survey does not end")
    k.close()
    return taps


def print_touch(size, taps):
    ms = [t[2] for t in taps]
    med = statistics.median(ms)
    p95 = sorted(ms)[len(ms) * 95 // 100]
    print(f"\ntouch to photon, {len(ms)} taps through the children's survey "
          f"({TOUCH_ROUNDS} rounds, {size})")
    print(f"finger lift to frame presented  median {med:6.2f} ms   p95 {p95:6.2f} ms   "
          f"target median < {TARGET_TOUCH_MS:g} ms   "
          f"{mark(med < TARGET_TOUCH_MS, f'{size} touch to photon')}")
    sel = [t[2] for t in taps if t[0].startswith("choice:")]
    page = [t[2] for t in taps if not t[0].startswith("choice:")]
    first = [t[2] for t in taps if t[1]]
    again = [t[2] for t in taps if not t[1]]
    parts = []
    for name, v in (("an answer chosen", sel), ("a new page", page),
                    ("first visits", first), ("repeat visits", again)):
        if v:
            parts.append(f"{name} {statistics.median(v):.2f}")
    print("  medians in ms: " + ", ".join(parts) + " (a new page after an answer includes its "
          "commit: one transaction, synchronous=FULL)")
    slow = sorted(taps, key=lambda t: -t[2])[:3]
    print("  slowest: " + ", ".join(f"{t[3]} {t[2]:.1f} ms ({'first' if t[1] else 'repeat'} "
                                    f"visit)" for t in slow))
    print(f"  measured inside the kiosk from the lift entering SDL's queue; the script pumps at "
          f"once, the interactive loop looks every {POLL_TOUCH_MS} ms while a finger is down "
          f"(mean ~{POLL_TOUCH_MS // 2} ms on top), and the panel's refresh comes after that")


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
    fresh, existing, rss0, fresh_dump, existing_dump = bench_first_frame(tmp, size)
    target = TARGET_FIRST_FRAME_MS[size]
    print(f"start to first frame, fresh db     {fresh:8.1f} ms  median of {FIRST_FRAME_FRESH_RUNS}"
          f"   target < {target:.0f} ms  "
          f"{mark(fresh < target, f'{size} first frame (fresh db)')}")
    print(f"start to first frame, existing db  {existing:8.1f} ms  median of "
          f"{FIRST_FRAME_EXISTING_RUNS}   target < {target:.0f} ms  "
          f"{mark(existing < target, f'{size} first frame (existing db)')}")
    print(f"  (spawn to the return of the first frame's present; the first dump, after the "
          f"first tick: {fresh_dump:.1f} ms fresh, {existing_dump:.1f} ms existing)")
    print(f"peak RSS, start to first screen    {rss0:8.1f} MB  median of {FIRST_FRAME_FRESH_RUNS}"
          f"   target < {TARGET_FIRST_SCREEN_RSS_MB:.0f} MB   "
          f"{mark(rss0 < TARGET_FIRST_SCREEN_RSS_MB, f'{size} peak RSS to the first screen')}"
          f"   (VmHWM at the first dump, fresh db)")
    ever, ever_rss = bench_first_ever(tmp, size)
    print(f"  for information, a kiosk's first start (no picture cache yet): {ever:.1f} ms, "
          f"{ever_rss:.1f} MB, median of {FIRST_EVER_RUNS}")

    print_frames(size, bench_render(tmp, size))

    rss, spoken = bench_rss(tmp, size)
    what = (f"target < {TARGET_SURVEY_RSS_MB:.0f} MB   "
            f"{mark(rss < TARGET_SURVEY_RSS_MB, f'{size} peak RSS over a full survey')}"
            if size == MAIN_SIZE else f"(for information: the target is set at {MAIN_SIZE})")
    print(f"\npeak RSS, full scripted survey     {rss:8.1f} MB              {what}")
    print(f"  the children's survey with {spoken:.1f} s of read-aloud played and a drawing; "
          f"ru_maxrss of the kiosk")
    cpu = bench_idle(tmp, size)
    print(f"attract idle CPU, {IDLE_SECONDS:.0f} s (its motion)  {cpu:6.2f} % of one core     "
          f"target < {TARGET_IDLE_CPU_PCT:.0f} %    "
          f"{mark(cpu < TARGET_IDLE_CPU_PCT, f'{size} idle CPU')}")
    if size == MAIN_SIZE:
        print_touch(size, bench_touch(tmp, size))


def report_browser(tmp):
    print(f"\n== the welcome screen at 1280x800 into a PNG, process start to exit: km2kiosk and "
          f"headless Chromium ({browser.PAGE}) ==")
    try:
        r = browser.measure(tmp, BIN, ENV)
    except browser.KioskFailed as e:
        raise BenchError(f"welcome screen into a PNG: {e}")
    n = browser.RUNS
    print(f"km2kiosk   {r['kiosk_ms']:8.1f} ms  median of {n}   peak memory "
          f"{r['kiosk_mb']:7.1f} MB  (its peak RSS, median of {n})")
    if r["error"]:
        print(f"chromium   not measured: {r['error']}")
        print(f"time ratio      not measured   target >= {browser.TARGET_FASTER:g}x   "
              f"{mark(False, 'Chromium comparison: time (not measured)')}")
        print(f"memory ratio    not measured   target >= {browser.TARGET_SMALLER:g}x   "
              f"{mark(False, 'Chromium comparison: memory (not measured)')}")
        return
    print(f"chromium   {r['chromium_ms']:8.1f} ms  median of {n}   peak memory "
          f"{r['chromium_mb']:7.1f} MB  (peak PSS sum of its {r['chromium_procs']} processes, "
          f"sampled, median of {n})")
    print(f"  {r['version']}: largest process {r['chromium_largest_mb']:.1f} MB (GNU time's "
          f"figure), peak RSS sum {r['chromium_rss_sum_mb']:.1f} MB (shared pages counted per "
          f"process); method in tests/bench/browser.py")
    faster = r["chromium_ms"] / r["kiosk_ms"]
    smaller = r["chromium_mb"] / r["kiosk_mb"]
    print(f"time ratio     {faster:6.1f}x faster   target >= {browser.TARGET_FASTER:g}x   "
          f"{mark(faster >= browser.TARGET_FASTER, 'Chromium comparison: time')}")
    print(f"memory ratio   {smaller:6.1f}x less     target >= {browser.TARGET_SMALLER:g}x   "
          f"{mark(smaller >= browser.TARGET_SMALLER, 'Chromium comparison: memory')}")


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
        print(f"km2kiosk bench: {BIN}, {os.cpu_count()} CPU(s), load average "
              f"{os.getloadavg()[0]:.2f} (figures of a shared machine vary with it), temp files "
              f"in {tmp}")
        for size in SIZES:
            report_size(tmp, size)
        report_browser(tmp)
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
          + f"  (bench took {time.monotonic() - started:.0f} s, load average "
          f"{os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
