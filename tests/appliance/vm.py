"""vm: one QEMU virtual machine of the appliance test (run.py): its command
line for amd64 or arm64, QMP for what a person and a power socket do (look
at the screen, tap, plug and pull a USB stick, pull the plug) and the guest
agent for what a technician would read inside (systemctl, sqlite3). A
machine that was started is always killed: at the end of a `with` block,
at exit, and on SIGTERM/SIGINT."""
import atexit
import base64
import json
import os
import signal
import socket
import subprocess
import time

ABS_MAX = 0x7FFF          # QEMU's absolute pointer range (both axes)
RUNNING = set()           # machines to kill whatever happens


def _kill_all(*_):
    for vm in list(RUNNING):
        vm.kill()


atexit.register(_kill_all)
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, lambda s, f: (_kill_all(), os._exit(128 + s)))


class VmError(Exception):
    pass


class _Json:
    """A line-delimited JSON connection on a unix socket (QMP or the agent)."""

    def __init__(self, path, timeout):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.f = self.sock.makefile("rw", encoding="utf-8", newline="\n")
        self.events = []

    def send(self, obj):
        self.f.write(json.dumps(obj) + "\n")
        self.f.flush()

    def reply(self):
        """The next reply, keeping the QMP events that come between."""
        while True:
            line = self.f.readline()
            if not line:
                raise VmError("the connection closed")
            msg = json.loads(line)
            if "event" in msg:
                self.events.append(msg)
                continue
            return msg

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Vm:
    """A kiosk appliance booted from `images` (kiosk.img, vmlinuz,
    initrd.img from image.sh) with a throw-away qcow2 overlay in `work`."""

    def __init__(self, arch, images, work, width=800, height=480, accel="tcg"):
        self.arch, self.images, self.work = arch, images, work
        self.width, self.height, self.accel = width, height, accel
        self.overlay = os.path.join(work, "overlay.qcow2")
        self.qmp_path = os.path.join(work, "qmp.sock")
        self.qga_path = os.path.join(work, "qga.sock")
        self.serial = os.path.join(work, "serial.log")
        self.proc = None
        self.qmp_conn = None
        self.started = None
        self.boots = 0

    # ---- life ---------------------------------------------------------

    def new_disk(self):
        """A fresh overlay: the appliance as installed, never booted."""
        if os.path.exists(self.overlay):
            os.remove(self.overlay)
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                        os.path.join(os.path.abspath(self.images), "kiosk.img"), self.overlay],
                       check=True)

    def command(self):
        # Emulated CPUs: for x86 a model without AVX, whose TCG emulation
        # makes llvmpipe (the guest's GLES2) slow: taps answer in 0.3 s
        # instead of 0.5 s; for arm64 pointer authentication the cheap way.
        # APPLIANCE_CPU names another model.
        cpu = os.environ.get("APPLIANCE_CPU") or \
            ("max,pauth-impdef=on" if self.arch == "arm64" else "Nehalem")
        accel = ["-accel", "kvm", "-cpu", "host"] if self.accel == "kvm" else \
            ["-accel", "tcg,thread=multi", "-cpu", cpu]
        if self.arch == "amd64":
            machine = ["qemu-system-x86_64", "-machine", "q35", "-vga", "none"]
            console = "ttyS0"
        else:
            machine = ["qemu-system-aarch64", "-machine", "virt"]
            console = "ttyAMA0"
        return machine + accel + [
            "-smp", "2", "-m", "1024", "-nodefaults", "-no-user-config",
            "-device", f"virtio-gpu-pci,xres={self.width},yres={self.height}",
            "-display", "none",
            "-kernel", os.path.join(self.images, "vmlinuz"),
            "-initrd", os.path.join(self.images, "initrd.img"),
            "-append", f"root=/dev/vda rw console={console} quiet",
            # writethrough: a flush the guest asks for is on the host's disk
            # before it completes, so a power cut loses what a real one would.
            "-drive", f"file={self.overlay},if=virtio,format=qcow2,cache=writethrough",
            "-device", "qemu-xhci,id=xhci", "-device", "usb-tablet,bus=xhci.0",
            "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
            "-chardev", f"socket,path={self.qga_path},server=on,wait=off,id=qga0",
            "-device", "virtio-serial-pci",
            "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
            "-serial", f"file:{self.serial}",
        ]

    def start(self):
        """Boots the machine (the overlay keeps what earlier boots wrote)."""
        for p in (self.qmp_path, self.qga_path):
            if os.path.exists(p):
                os.remove(p)
        self.boots += 1
        log = open(os.path.join(self.work, f"qemu-{self.boots}.log"), "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        RUNNING.add(self)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.qmp_path):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise VmError(f"QEMU did not start (see {log.name})")
            time.sleep(0.05)
        self.qmp_conn = _Json(self.qmp_path, 30)
        greeting = self.qmp_conn.reply()
        if "QMP" not in greeting:
            raise VmError(f"no QMP greeting: {greeting}")
        self.qmp("qmp_capabilities")

    def since_start(self):
        return time.monotonic() - self.started

    def power_cut(self):
        """Pulls the plug: QEMU ends at once, nothing is flushed or shut down."""
        try:
            self.qmp_conn.send({"execute": "quit"})
        except (OSError, VmError):
            pass
        self._reap()

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        self._reap()

    def _reap(self):
        if self.proc:
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.qmp_conn:
            self.qmp_conn.close()
            self.qmp_conn = None
        RUNNING.discard(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    # ---- QMP ----------------------------------------------------------

    def qmp(self, command, **args):
        msg = {"execute": command}
        if args:
            msg["arguments"] = args
        self.qmp_conn.send(msg)
        r = self.qmp_conn.reply()
        if "error" in r:
            raise VmError(f"QMP {command}: {r['error'].get('desc', r['error'])}")
        return r.get("return")

    def screendump(self, path):
        """What the virtual screen shows now, as a file (PNG or PPM by name)."""
        fmt = "png" if path.endswith(".png") else "ppm"
        self.qmp("screendump", filename=os.path.abspath(path), format=fmt)
        return path

    def _abs(self, x, y):
        ax = round(x * ABS_MAX / (self.width - 1))
        ay = round(y * ABS_MAX / (self.height - 1))
        self.qmp("input-send-event", events=[
            {"type": "abs", "data": {"axis": "x", "value": ax}},
            {"type": "abs", "data": {"axis": "y", "value": ay}}])

    def _button(self, down):
        self.qmp("input-send-event",
                 events=[{"type": "btn", "data": {"down": down, "button": "left"}}])

    def press(self, x, y, seconds=0.08):
        """A finger (the tablet's button) down at screen pixel x,y for
        `seconds`, then up. QEMU 7.2 has no multitouch device: the guest sees
        an absolute pointer. The pointer is moved there first and given time
        to arrive, as a finger is somewhere before it presses."""
        self._abs(x, y)
        time.sleep(0.05)
        self._button(True)
        time.sleep(seconds)
        self._button(False)

    def tap(self, x, y):
        self.press(x, y, 0.08)

    def drag(self, points, seconds):
        """A finger down at the first point, moved through the others over
        `seconds`, and up at the last."""
        self._abs(*points[0])
        time.sleep(0.1)
        self._button(True)
        for p in points[1:]:
            time.sleep(seconds / max(1, len(points) - 1))
            self._abs(*p)
        time.sleep(0.05)
        self._button(False)

    def plug(self, image, name="stick0"):
        """A USB stick: the raw image file on QEMU's xHCI bus."""
        self.qmp("blockdev-add", driver="raw", **{"node-name": name},
                 file={"driver": "file", "filename": os.path.abspath(image)})
        self.qmp("device_add", driver="usb-storage", id=name, bus="xhci.0", drive=name,
                 removable=True)

    def pull(self, name="stick0", timeout=30):
        """Pulls the stick out (as a hand would: no unmount on the way)."""
        self.qmp("device_del", id=name)
        deadline = time.monotonic() + timeout
        while True:
            done = [e for e in self.qmp_conn.events if e["event"] == "DEVICE_DELETED"
                    and e.get("data", {}).get("device") == name]
            if done:
                self.qmp_conn.events = [e for e in self.qmp_conn.events if e not in done]
                break
            if time.monotonic() > deadline:
                raise VmError(f"the stick {name} was not removed within {timeout} s")
            self.qmp("query-status")  # reads the events that arrived meanwhile
            time.sleep(0.2)
        self.qmp("blockdev-del", **{"node-name": name})

    # ---- guest agent --------------------------------------------------

    def sh(self, command, timeout=60):
        """Runs `sh -c command` as root inside the guest through the agent.
        Returns (exit status, stdout, stderr); raises VmError when the agent
        does not answer within `timeout`."""
        deadline = time.monotonic() + timeout
        conn = None
        try:
            conn = _Json(self.qga_path, max(1.0, deadline - time.monotonic()))
            # Anything an earlier, interrupted caller left unread is skipped.
            token = int(time.monotonic() * 1000) % 2**31
            conn.send({"execute": "guest-sync", "arguments": {"id": token}})
            while conn.reply().get("return") != token:
                pass
            conn.send({"execute": "guest-exec", "arguments": {
                "path": "/bin/sh", "arg": ["-c", command], "capture-output": True}})
            r = conn.reply()
            if "error" in r:
                raise VmError(f"guest-exec: {r['error']}")
            pid = r["return"]["pid"]
            while True:
                conn.send({"execute": "guest-exec-status", "arguments": {"pid": pid}})
                st = conn.reply().get("return", {})
                if st.get("exited"):
                    out = base64.b64decode(st.get("out-data", "")).decode("utf-8", "replace")
                    err = base64.b64decode(st.get("err-data", "")).decode("utf-8", "replace")
                    return st.get("exitcode", -1), out, err
                if time.monotonic() > deadline:
                    raise VmError(f"guest command did not end in {timeout} s: {command}")
                time.sleep(0.1)
        except (OSError, ValueError) as e:
            raise VmError(f"guest agent: {e}") from e
        finally:
            if conn:
                conn.close()

    def wait_agent(self, timeout):
        """Waits until the guest agent answers; False when it never did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise VmError("QEMU ended while booting")
            try:
                self.sh("true", timeout=min(5, max(1, deadline - time.monotonic())))
                return True
            except VmError:
                time.sleep(0.5)
        return False

    def unit(self, *props, name="km2kiosk.service"):
        """systemctl show of the kiosk's unit as a dict."""
        rc, out, _ = self.sh(f"systemctl show -p {','.join(props)} {name}", timeout=30)
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def put(self, path, data):
        """Writes a file inside the guest."""
        conn = _Json(self.qga_path, 30)
        try:
            conn.send({"execute": "guest-file-open", "arguments": {"path": path, "mode": "w"}})
            h = conn.reply()["return"]
            conn.send({"execute": "guest-file-write", "arguments": {
                "handle": h, "buf-b64": base64.b64encode(data).decode()}})
            conn.reply()
            conn.send({"execute": "guest-file-close", "arguments": {"handle": h}})
            conn.reply()
        finally:
            conn.close()
