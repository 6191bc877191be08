"""The kiosk never listens on the network: while it runs (a survey page,
then staff mode's export page), none of its file descriptors is a TCP or
UDP socket in any state, and no Unix socket of it is listening."""
import os
import time

import _path  # noqa: F401
from kiosk import check, main, tmpdir
from tour import Kiosk

FORMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "forms",
                     "sample")


def socket_inodes(pid):
    out = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(target[8:-1])
    return out


def table(name):
    """Inode -> state of every socket in /proc/net/<name> (of our namespace)."""
    rows = {}
    try:
        with open(f"/proc/net/{name}") as f:
            next(f)
            for line in f:
                parts = line.split()
                if name == "unix":
                    # Num RefCount Protocol Flags Type St Inode [Path]
                    rows[parts[6]] = int(parts[3], 16)
                else:
                    rows[parts[9]] = parts[3]
    except OSError:
        pass
    return rows


def check_pid(pid, where):
    inodes = socket_inodes(pid)
    for proto in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        hit = inodes & set(table(proto))
        check(not hit, f"{where}: the kiosk holds {proto} socket(s) {sorted(hit)}")
    unix = table("unix")
    listening = [i for i in inodes if i in unix and unix[i] & 0x10000]  # __SO_ACCEPTCON
    check(not listening, f"{where}: the kiosk listens on Unix socket(s) {listening}")
    return len(inodes)


def scenario():
    d = tmpdir()
    k = Kiosk(os.path.join(d, "k.db"), "800x480", FORMS)
    for cmd in ("touch start", "touch lang:de", "touch audience:kinder", "touch next"):
        k.do(cmd)
    k.dump()  # everything above has run
    n1 = check_pid(k.p.pid, "survey page")
    for cmd in ("press 20 20 3500", "touch pin:1", "touch pin:2", "touch pin:3", "touch pin:4",
                "touch pin:ok", "touch pin:1", "touch pin:2", "touch pin:3", "touch pin:4",
                "touch pin:ok", "touch staff:export"):
        k.do(cmd)
    dump = k.dump()
    check(dump["screen"] == "staff_export", f"staff export page expected, got {dump['screen']}")
    time.sleep(0.2)
    n2 = check_pid(k.p.pid, "staff export page")
    k.close()
    print(f"no network sockets ({n1} and {n2} sockets of any kind held)")


main(scenario)
