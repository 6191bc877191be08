"""A kiosk database with many stored sessions, for timing a start on a
large database (its integrity check, the first frame, the memory):

    python3 tests/tools/many_sessions.py DB [SESSIONS] [ANSWERS]

makes DB (replacing it) with SESSIONS complete sessions (default 100 000)
of ANSWERS answers each (default 12): one scripted start of build/km2kiosk
(KS_BIN) creates the schema and records the shipped forms, the sessions
are then copied in with plain SQL in one transaction, and the WAL is
checkpointed into the file, as a kiosk that has run for a while leaves it.
With 100 000 sessions the file has about 80 MiB."""
import os
import random
import sqlite3
import subprocess
import sys

BIN = os.environ.get("KS_BIN", "build/km2kiosk")


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    db = sys.argv[1]
    sessions = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    answers = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    # One session begun through the kiosk: the schema, the forms' versions
    # and the metadata the copies take.
    script = "touch start\ntouch lang:de\ntouch audience:kinder\nquit\n"
    subprocess.run([BIN, "--headless", "--db", db, "--windowed", "800x480", "--script", "-"],
                   input=script, text=True, capture_output=True, check=True,
                   env=dict(os.environ, SDL_VIDEODRIVER="dummy"))
    con = sqlite3.connect(db)
    meta = con.execute("SELECT form_id, form_version, form_sha256, lang, audience, started_at "
                       "FROM session").fetchone()
    rnd = random.Random(7)
    rows, values = [], []
    for sid in range(1000, 1000 + sessions - 1):
        # the id, the random public id, form, version, hash, language,
        # audience, outcome, start and end
        rows.append((sid, "%032x" % rnd.getrandbits(128), *meta[:5], "complete", meta[5],
                     meta[5]))
        values += [(sid, "q%02d" % q, str(rnd.randint(1, 5)), meta[5]) for q in range(answers)]
    with con:
        con.executemany("INSERT INTO session (id, uuid, form_id, form_version, form_sha256, "
                        "lang, audience, outcome, started_at, ended_at) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        con.executemany("INSERT INTO answer (session_id, question, value, answered_at) "
                        "VALUES (?,?,?,?)", values)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    print(f"{db}: {sessions} sessions, {os.path.getsize(db) >> 20} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
