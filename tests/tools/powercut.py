"""Recovery side of the power-cut shim (tests/tools/powercut.c): reads the
undo/redo log a killed process left and turns the files below the watched
directory into what a disk could hold after a power cut at that moment.

The model: everything written before the last fsync/fdatasync of a file is on
the disk; of the writes since, any subset of 512-byte sectors may have made it,
in any order (sectors are atomic, nothing else is); a size change that was not
synced may or may not have happened; directory entries (creations, unlinks,
renames) since the last fsync of their directory are kept as an ordered
prefix of some length (a journalling file system keeps metadata in order).
SQLite's -shm file is shared memory; it is lost or kept as a whole.

recover() first undoes every logged change and checks that this gives back
the files as they were before the run (so no change escaped the log), redoes
all of them and checks that this gives the files as the kill left them, then
undoes again and redoes only what the simulated disk kept."""
import os
import random

SECTOR = 512


class LogError(Exception):
    pass


def parse(log_path):
    """The records of a log as dicts; a record cut short by the kill (its
    change was never made) ends the list."""
    data = open(log_path, "rb").read() if os.path.exists(log_path) else b""
    recs = []
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl < 0:
            break
        head = data[pos:nl].decode("utf-8", "surrogateescape")
        pos = nl + 1
        tag, rest = head[0], head[2:]
        r = {"tag": tag}
        if tag == "W":
            off, ln, oldsize, oldlen, path = rest.split(" ", 4)
            off, ln, oldsize, oldlen = int(off), int(ln), int(oldsize), int(oldlen)
            if pos + ln + oldlen > len(data):
                break
            r.update(path=path, off=off, new=data[pos:pos + ln], oldsize=oldsize,
                     old=data[pos + ln:pos + ln + oldlen])
            pos += ln + oldlen
        elif tag == "T":
            newsize, oldsize, oldlen, path = rest.split(" ", 3)
            newsize, oldsize, oldlen = int(newsize), int(oldsize), int(oldlen)
            if pos + oldlen > len(data):
                break
            r.update(path=path, newsize=newsize, oldsize=oldsize, old=data[pos:pos + oldlen])
            pos += oldlen
        elif tag == "U":
            size, path = rest.split(" ", 1)
            size = int(size)
            if pos + size > len(data):
                break
            r.update(path=path, content=data[pos:pos + size])
            pos += size
        elif tag == "R":
            _, paths = rest.split(" ", 1)
            r["src"], r["path"] = paths.split("\t", 1)
        elif tag in "CSDML":
            r["path"] = rest.split(" ", 1)[1]
        else:
            raise LogError(f"unknown record {head!r}")
        recs.append(r)
    return recs


def snapshot(root):
    """{path: bytes} of the regular files below root, without -shm files."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if not p.endswith("-shm") and os.path.isfile(p):
                out[p] = open(p, "rb").read()
    return out


def _pwrite(path, off, data):
    if not os.path.exists(path):
        return
    fd = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(fd, data, off)
    finally:
        os.close(fd)


def _truncate(path, size):
    if os.path.exists(path):
        os.truncate(path, size)


def _size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


def _undo_all(recs):
    for r in reversed(recs):
        t, p = r["tag"], r["path"]
        if t == "W":
            _pwrite(p, r["off"], r["old"])
            if _size(p) > r["oldsize"]:
                _truncate(p, r["oldsize"])
        elif t == "T":
            _truncate(p, r["oldsize"])
            _pwrite(p, r["newsize"], r["old"])
        elif t == "C":
            if os.path.exists(p):
                os.unlink(p)
        elif t == "U":
            with open(p, "wb") as f:
                f.write(r["content"])
        elif t == "R":
            if os.path.exists(p):
                os.rename(p, r["src"])


def _durability(recs):
    """Marks each change durable when a later sync covers it: a file's data by
    an fsync of the file, a directory entry by an fsync of its directory."""
    synced_files, synced_dirs = set(), set()
    for r in reversed(recs):
        t, p = r["tag"], r["path"]
        if t == "S":
            synced_files.add(p)
        elif t == "D":
            synced_dirs.add(p)
        elif t in "WT":
            r["durable"] = p in synced_files
        elif t in "CUR":
            r["durable"] = os.path.dirname(p) in synced_dirs and (
                t != "R" or os.path.dirname(r["src"]) in synced_dirs)


def _redo(recs, keep, rng, stats):
    """Applies the records in order: durable ones always, the others as the
    simulated disk chooses (keep: probability a pending sector survives)."""
    # Pending directory entries: an ordered prefix per directory survives.
    pending = {}
    for i, r in enumerate(recs):
        if r["tag"] in "CUR" and not r.get("durable"):
            pending.setdefault(os.path.dirname(r["path"]), []).append(i)
    dropped_entries = set()
    for d, idx in pending.items():
        n = len(idx) if keep >= 1 else 0 if keep <= 0 else rng.randint(0, len(idx))
        dropped_entries.update(idx[n:])
    for i, r in enumerate(recs):
        t, p = r["tag"], r["path"]
        if t == "W":
            if not os.path.exists(p):
                continue
            data, off = r["new"], r["off"]
            if r["durable"] or keep >= 1:
                _pwrite(p, off, data)
                continue
            end = off + len(data)
            if end > _size(p) and rng.random() < keep:
                _truncate(p, end)  # the size got there, the data maybe not
            s = off
            while s < end:
                e = min(end, (s // SECTOR + 1) * SECTOR)
                stats["sectors"] += 1
                if keep > 0 and rng.random() < keep:
                    _pwrite(p, s, data[s - off:e - off])
                else:
                    stats["dropped"] += 1
                s = e
        elif t == "T":
            if not os.path.exists(p):
                continue
            if r["durable"] or keep >= 1 or (keep > 0 and rng.random() < keep):
                _truncate(p, r["newsize"])
            else:
                stats["dropped"] += 1
        elif t in "CUR":
            if i in dropped_entries:
                stats["entries_dropped"] += 1
                continue
            if t == "C":
                if not os.path.exists(p):
                    open(p, "wb").close()
            elif t == "U":
                if os.path.exists(p):
                    os.unlink(p)
            elif os.path.exists(r["src"]):
                os.rename(r["src"], p)


def _diff(a, b):
    keys = sorted(set(a) | set(b))
    return [k for k in keys if a.get(k) != b.get(k)]


def recover(root, log_path, before, keep, rng):
    """Turns the files below root into a power-cut state. before: snapshot()
    of root taken before the run; keep: 0 drops every unsynced change, 1
    keeps all, in between each pending sector survives with that chance.
    Returns counts of what was dropped; raises LogError when the log does not
    account for the files exactly."""
    recs = parse(log_path)
    for r in recs:
        if r["tag"] == "M":
            raise LogError(f"shared writable mmap of {r['path']}: its writes cannot be followed")
    after = snapshot(root)
    _undo_all(recs)
    bad = _diff(snapshot(root), before)
    if bad:
        raise LogError(f"undoing the log does not give the files before the run: {bad}")
    _durability(recs)
    stats = {"records": len(recs), "sectors": 0, "dropped": 0, "entries_dropped": 0,
             "lies": sum(r["tag"] == "L" for r in recs),
             "pending": sum(r["tag"] in "WTCUR" and not r["durable"] for r in recs),
             "db_writes": sum(r["tag"] == "W" and not r["path"].endswith(("-wal", "-journal"))
                              for r in recs)}
    _redo(recs, 1, rng, dict(stats))
    bad = _diff(snapshot(root), after)
    if bad and recs:
        # The kill may fall between logging a change and making it.
        _undo_all(recs)
        _redo(recs[:-1], 1, rng, dict(stats))
        if not _diff(snapshot(root), after):
            recs = recs[:-1]
            bad = []
    if bad:
        raise LogError(f"redoing the log does not give the files the kill left: {bad}")
    _undo_all(recs)
    _redo(recs, keep, rng, stats)
    # The -shm file holds no data of its own (SQLite rebuilds it from the
    # WAL); after a power cut it may be gone or hold anything stale.
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith("-shm") and (keep <= 0 or rng.random() < 0.5):
                os.unlink(os.path.join(d, f))
    return stats
