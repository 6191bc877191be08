"""The welcome screen at 1280x800 into a PNG, as a new user would make it:
km2kiosk headless against headless Chromium showing the same screen as a
local page (tests/bench/welcome.html), process start to exit, side by side
in one run (the two alternate, so a busy machine slows both alike).

Time: median of RUNS runs of each, from spawning the process to reaping it,
with nothing else measuring meanwhile.

Peak memory, in RUNS separate runs (the sampling below costs CPU):
- km2kiosk is one process: its exact peak RSS (ru_maxrss from wait4).
- Chromium starts about a dozen processes. They map the same 200 MB browser
  binary and libraries, so the sum of their RSS counts every shared page once
  per process (about 1 GB here), and the largest process alone (what GNU
  time's "maximum resident set size" reports, ~220 MB) leaves the others out.
  The bench takes the tree's peak total PSS instead (proportional set size:
  each shared page divided among the processes that map it): every process
  of Chromium's session (started with setsid, so helpers reparented to init
  still count) is read from /proc/<pid>/smaps_rollup again and again, with a
  pause of SAMPLE_S between readings (a reading of Chromium's tree takes
  ~10 ms), and the highest sum is the figure. Sampling may miss a short peak and the kiosk's
  RSS counts its shared libraries in full: both err against the ratio. A
  cgroup's memory peak is not used: it counts the page cache of the files
  read (the browser binary), and this machine may be a container without
  cgroups of its own.
The largest process and the peak RSS sum are printed beside it."""
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time

RUNS = 5
SAMPLE_S = 0.005
TIMEOUT_S = 120
TARGET_FASTER = 20.0
TARGET_SMALLER = 10.0
PAGE = os.path.join("tests", "bench", "welcome.html")


class Unmeasured(Exception):
    """A figure that could not be taken (Chromium missing or failing)."""


def chromium_cmd(png, profile):
    return ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--window-size=1280,800", f"--user-data-dir={profile}", f"--screenshot={png}",
            "file://" + os.path.abspath(PAGE)]


def kiosk_cmd(binary, db):
    return [binary, "--headless", "--db", db, "--windowed", "1280x800", "--script", "-"]


def session_pids(sid):
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[3]) == sid:
                    pids.append(name)
        except (OSError, IndexError, ValueError):
            pass  # ended meanwhile
    return pids


def tree_memory(pids):
    """(RSS sum, PSS sum) in KiB of the processes."""
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
                        break
        except (OSError, ValueError):
            pass
    return rss, pss


def run(cmd, stdin_text, png, sample, env):
    """Runs cmd in a session of its own until it exits. Returns (seconds,
    largest process's peak RSS, peak RSS sum, peak PSS sum, processes seen)
    in MB; the sums are 0 unless sample."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin_text else subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=err, env=env,
                             start_new_session=True)
        if stdin_text:
            try:
                p.stdin.write(stdin_text.encode())
                p.stdin.close()
            except BrokenPipeError:
                pass
        peak_rss = peak_pss = 0
        seen = set()
        # A timed run blocks in wait4 (a watchdog ends a hung one); a sampled
        # one reads the tree between polls.
        hung = threading.Timer(TIMEOUT_S, os.killpg, (p.pid, signal.SIGKILL))
        hung.start()
        try:
            while True:
                pid, status, ru = os.wait4(p.pid, os.WNOHANG if sample else 0)
                if pid:
                    break
                pids = session_pids(p.pid)
                seen.update(pids)
                rss, pss = tree_memory(pids)
                peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
                time.sleep(SAMPLE_S)
        finally:
            hung.cancel()
        secs = time.perf_counter() - t0
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            raise Unmeasured(f"{os.path.basename(cmd[0])} did not finish within {TIMEOUT_S} s")
        p.returncode = os.waitstatus_to_exitcode(status)
        try:
            os.killpg(p.pid, signal.SIGKILL)  # helpers left behind, if any
        except ProcessLookupError:
            pass
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if p.returncode != 0 or not os.path.exists(png) or os.path.getsize(png) == 0:
        last = "\n".join("    " + l for l in stderr.strip().splitlines()[-5:])
        raise Unmeasured(f"{os.path.basename(cmd[0])} exited with status {p.returncode} "
                         f"without a PNG\n{last}")
    return secs, ru.ru_maxrss / 1024.0, peak_rss / 1024.0, peak_pss / 1024.0, len(seen)


def chromium_version():
    try:
        return subprocess.run(["chromium", "--version"], capture_output=True, text=True,
                              timeout=30).stdout.strip().splitlines()[-1]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "chromium"


class KioskFailed(Exception):
    """km2kiosk itself did not make its PNG: a failure of the bench."""


def measure(tmp, kiosk_bin, kiosk_env):
    """Both programs RUNS times for time, then RUNS times for memory. Returns
    a dict of figures; without Chromium (missing or failing) only the
    kiosk's, and "error" saying why."""
    work = tempfile.mkdtemp(prefix="browser-", dir=tmp)
    error = None
    if not shutil.which("chromium"):
        error = ("chromium is not installed (make bench installs the Debian package chromium; "
                 "did apt-get fail?)")
    runs = {"kiosk time": [], "kiosk memory": [], "chromium time": [], "chromium memory": []}
    for phase in ("time", "memory"):
        for i in range(RUNS):
            sample = phase == "memory"
            png = os.path.join(work, f"kiosk-{phase}-{i}.png")
            try:
                runs["kiosk " + phase].append(
                    run(kiosk_cmd(kiosk_bin, os.path.join(work, f"kiosk-{phase}-{i}.db")),
                        f"screenshot {png}\nquit\n", png, sample, kiosk_env))
            except Unmeasured as e:
                raise KioskFailed(str(e))
            if error:
                continue
            png = os.path.join(work, f"chromium-{phase}-{i}.png")
            try:
                runs["chromium " + phase].append(
                    run(chromium_cmd(png, os.path.join(work, f"profile-{phase}-{i}")), None, png,
                        sample, None))
            except Unmeasured as e:
                error = str(e)
    med = statistics.median
    r = {"kiosk_ms": med(x[0] for x in runs["kiosk time"]) * 1000.0,
         "kiosk_mb": med(x[1] for x in runs["kiosk memory"]), "error": error}
    if error:
        return r
    c_mem = runs["chromium memory"]
    r.update({
        "chromium_ms": med(x[0] for x in runs["chromium time"]) * 1000.0,
        "chromium_mb": med(x[3] for x in c_mem),
        "chromium_largest_mb": med(x[1] for x in c_mem),
        "chromium_rss_sum_mb": med(x[2] for x in c_mem),
        "chromium_procs": max(x[4] for x in c_mem),
        "version": chromium_version(),
    })
    return r
