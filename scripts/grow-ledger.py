#!/usr/bin/env python3
"""grow-ledger.py: a large SQLite ledger for measuring `privctl ledger verify`, from a real one.

USAGE
    scripts/grow-ledger.py --from LEDGER --events N --out FILE

    Copies LEDGER (a privctl SQLite ledger, for example one a first `privctl classify` of a
    generated store wrote) to FILE, then appends events until the chain of its first host holds
    N: copies of its events, in order, each with a fresh id (in the payload too), linked into
    the chain with its hash computed as privctl computes it (SHA-256 of the previous hash, a
    newline and the stored payload), and its rows in the subject index. `privctl ledger
    verify --ledger FILE` must then find the ledger intact.

Python 3.11 standard library only.
"""

import argparse
import hashlib
import shutil
import sqlite3
import sys
import uuid


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--from", dest="source", required=True, metavar="LEDGER")
    ap.add_argument("--events", type=int, required=True, metavar="N")
    ap.add_argument("--out", required=True, metavar="FILE")
    args = ap.parse_args()
    shutil.copyfile(args.source, args.out)
    db = sqlite3.connect(args.out)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    host, = db.execute("SELECT host FROM event ORDER BY host LIMIT 1").fetchone()
    template = db.execute(
        "SELECT id, time, kind, category, payload FROM event WHERE host = ? ORDER BY sequence", (host,)).fetchall()
    subjects = {}
    for event_id, subject in db.execute("SELECT event_id, subject FROM event_subject"):
        subjects.setdefault(event_id, []).append(subject)
    sequence, previous = db.execute(
        "SELECT sequence, hash FROM event WHERE host = ? ORDER BY sequence DESC LIMIT 1", (host,)).fetchone()
    if not template:
        sys.exit("grow-ledger.py: the ledger has no events to copy")
    events, links = [], []
    while sequence < args.events:
        old_id, time, kind, category, payload = template[(sequence) % len(template)]
        new_id = str(uuid.uuid4())
        needle = f'"id":"{old_id}"'
        if payload.count(needle) != 1:
            sys.exit(f"grow-ledger.py: event {old_id} does not name its id once in its payload")
        payload = payload.replace(needle, f'"id":"{new_id}"')
        sequence += 1
        digest = hashlib.sha256(previous.encode() + b"\n" + payload.encode()).hexdigest()
        events.append((new_id, host, sequence, time, kind, category, payload, previous, digest))
        links += [(subject, new_id) for subject in subjects.get(old_id, [])]
        previous = digest
        if len(events) >= 50000:
            flush(db, events, links)
    flush(db, events, links)
    db.commit()
    print(f"{args.out}: {sequence:,} events in the chain of {host}", file=sys.stderr)
    return 0


def flush(db, events, links):
    db.executemany("INSERT INTO event (id, host, sequence, time, kind, category, payload, previous_hash, hash) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
    db.executemany("INSERT INTO event_subject (subject, event_id) VALUES (?, ?)", links)
    events.clear()
    links.clear()


if __name__ == "__main__":
    sys.exit(main())
