#!/usr/bin/env python3
"""grow-ledger.py: a large SQLite ledger for measuring `privctl ledger verify`, from a real one.

USAGE
    scripts/grow-ledger.py --from LEDGER --events N --out FILE

    Copies LEDGER (a privctl SQLite ledger, for example one a first `privctl classify` of a
    generated store wrote) to FILE, then appends events until the chain of its first host holds
    N: copies of its events, in order, each with a fresh id (in the payload too), linked into
    the chain with its hash computed as privctl computes it (SHA-256 of the previous hash, a
    newline and the stored payload), and its rows in the subject index. `privctl ledger
    verify --ledger FILE` must then find the ledger intact. LEDGER must have the compact rows
    of schema v7 (any privctl since opens an older one and converts it): ids and hashes as
    bytes, times as milliseconds, the subject index as (subject number, event row), payloads
    compressed with the ledger's zstd dictionary (format byte 1, the dictionary id and the JSON's
    length as LEB128 numbers, a magicless zstd frame), or as a delta from the last payload stored
    whole (format byte 2, with the distance back to that row before the length), as privctl
    stores them; since schema v12 a payload is compressed without its id and time, each written
    as `#` and put back from its row's columns (format bytes 3 and 4 for 1 and 2). Each new
    event's previous hash is stored as no bytes, which stands for the hash of the event before it
    (schema v10), and its kind and category as the template's numbers (schema v12), as privctl
    stores them.

Python 3.11 and the zstandard module (Debian: python3-zstandard, for /usr/bin/python3).
"""

import argparse
import datetime
import hashlib
import shutil
import sqlite3
import sys
import uuid

try:
    import zstandard
except ImportError:
    sys.exit("grow-ledger.py: needs the zstandard module (Debian: apt-get install python3-zstandard; "
             "run with /usr/bin/python3)")


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
        "SELECT row, id, time, kind, category, payload FROM event WHERE host = ? ORDER BY sequence", (host,)).fetchall()
    subjects = {}
    for event_row, subject in db.execute("SELECT event, subject FROM event_subject"):
        subjects.setdefault(event_row, []).append(subject)
    sequence, previous = db.execute(
        "SELECT sequence, hash FROM event WHERE host = ? ORDER BY sequence DESC LIMIT 1", (host,)).fetchone()
    previous = previous.hex()
    codec = PayloadCodec(db)
    # Every payload of the template as text, in row order (a delta's base comes before it).
    texts, stored_texts = {}, {}
    for event_row, ident, ms, stored in db.execute("SELECT row, id, time, payload FROM event ORDER BY row"):
        as_stored = codec.text(stored, lambda distance, r=event_row: stored_texts.get(r - distance))
        stored_texts[event_row] = as_stored
        texts[event_row] = as_stored
        if not isinstance(stored, str) and stored[0] in (3, 4):
            texts[event_row] = restore(as_stored, ident if isinstance(ident, str) else str(uuid.UUID(bytes=ident)),
                                       timestamp(ms))
    row, = db.execute("SELECT max(row) FROM event").fetchone()
    if not template:
        sys.exit("grow-ledger.py: the ledger has no events to copy")
    events, links = [], []
    while sequence < args.events:
        old_row, old_id, time, kind, category, payload = template[(sequence) % len(template)]
        old_id = str(uuid.UUID(bytes=old_id))
        payload = texts[old_row]
        new_id = uuid.uuid4()
        needle = f'"id":"{old_id}"'
        if payload.count(needle) != 1:
            sys.exit(f"grow-ledger.py: event {old_id} does not name its id once in its payload")
        payload = payload.replace(needle, f'"id":"{new_id}"')
        sequence += 1
        row += 1
        digest = hashlib.sha256(previous.encode() + b"\n" + payload.encode()).hexdigest()
        events.append((row, new_id.bytes, host, sequence, time, kind, category,
                       codec.stored(payload, row, str(new_id), timestamp(time)), b"", bytes.fromhex(digest)))
        links += [(subject, row) for subject in subjects.get(old_row, [])]
        previous = digest
        if len(events) >= 50000:
            flush(db, events, links)
    flush(db, events, links)
    db.commit()
    print(f"{args.out}: {sequence:,} events in the chain of {host}", file=sys.stderr)
    return 0


class PayloadCodec:
    """Payloads as privctl's SQLite ledger stores them (Sources/SQLiteLedger/PayloadCodec.swift)."""

    def __init__(self, db):
        self.dictionaries = {}
        for ident, content in db.execute("SELECT id, content FROM payload_dictionary"):
            self.dictionaries[ident] = zstandard.ZstdCompressionDict(content)
        self.newest = max(self.dictionaries) if self.dictionaries else None
        if self.newest is not None:
            params = zstandard.ZstdCompressionParameters.from_level(
                3, format=zstandard.FORMAT_ZSTD1_MAGICLESS, write_checksum=False, write_content_size=False,
                write_dict_id=False)
            self.compressor = zstandard.ZstdCompressor(
                dict_data=self.dictionaries[self.newest], compression_params=params)

    @staticmethod
    def number(data, index):
        value, shift = 0, 0
        while True:
            byte = data[index]
            index += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value, index
            shift += 7

    @staticmethod
    def leb128(value):
        out = bytearray()
        while value >= 0x80:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
        return bytes(out)

    def text(self, stored, base):
        """The payload's text; `base(distance)` gives the text of the row that many before it."""
        if isinstance(stored, str):
            return stored
        if stored[0] not in (1, 2, 3, 4):
            sys.exit("grow-ledger.py: a payload in a format this script does not know")
        ident, index = self.number(stored, 1)
        distance = 0
        if stored[0] in (2, 4):
            distance, index = self.number(stored, index)
        length, index = self.number(stored, index)
        decompressor = zstandard.ZstdDecompressor(
            dict_data=self.dictionaries[ident], format=zstandard.FORMAT_ZSTD1_MAGICLESS)
        # Streaming: decompress() wants a frame header with the content size, which has none.
        text = decompressor.decompressobj().decompress(stored[index:])
        if len(text) != length:
            sys.exit("grow-ledger.py: a payload does not decompress to its stated length")
        if stored[0] in (2, 4):
            base_text = base(distance)
            if base_text is None:
                sys.exit("grow-ledger.py: a delta's base is not in the ledger")
            text = merge(text, base_text.encode())
        return text.decode()

    def stored(self, payload, row, ident, time):
        """The stored form, as privctl's append chooses it: without its id and time where it
        holds both (Sources/SQLiteLedger/PayloadElision.swift), then a delta from the last
        payload stored whole (and alike: both without, or both with them) when it inherits at
        least 60 % of its bytes, else whole (Sources/SQLiteLedger/PayloadDelta.swift)."""
        if self.newest is None:
            return payload
        elided = elide(payload, ident, time)
        data = (elided if elided is not None else payload).encode()
        whole, delta_format = (b"\x03", b"\x04") if elided is not None else (b"\x01", b"\x02")
        if self.base is not None and self.base[2] == (elided is not None):
            delta, inherited = make_delta(data, self.base[1])
            if inherited > 0 and inherited >= 0.6 * len(data):
                return (delta_format + self.leb128(self.newest) + self.leb128(row - self.base[0]) + self.leb128(len(delta))
                        + self.compressor.compress(delta))
        self.base = (row, data, elided is not None)
        return whole + self.leb128(self.newest) + self.leb128(len(data)) + self.compressor.compress(data)

    base = None


def timestamp(ms):
    """A time in milliseconds as a payload writes it (EventChain.timestamp)."""
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def elide(payload, ident, time):
    """The payload with `"id":"ID"` and `"time":"TIME"` written as `"id":#` and `"time":#`; None
    when it does not hold both or holds a marker already."""
    if '"id":#' in payload or '"time":#' in payload:
        return None
    id_member, time_member = f'"id":"{ident}"', f'"time":"{time}"'
    if id_member not in payload or time_member not in payload:
        return None
    return payload.replace(id_member, '"id":#', 1).replace(time_member, '"time":#', 1)


def restore(stored, ident, time):
    return stored.replace('"id":#', f'"id":"{ident}"', 1).replace('"time":#', f'"time":"{time}"', 1)


def members(text):
    """The top-level members of a JSON object without white space, as (key, value) bytes."""
    found, i, end = [], 1, len(text) - 1

    def string_end(i):
        i += 1
        while i < end:
            if text[i] == 0x5C:
                i += 2
            elif text[i] == 0x22:
                return i + 1
            else:
                i += 1
        raise ValueError("unterminated string")

    def value_end(i):
        if text[i] == 0x22:
            return string_end(i)
        if text[i] in (0x7B, 0x5B):
            depth = 0
            while i < end:
                c = text[i]
                if c == 0x22:
                    i = string_end(i)
                    continue
                if c in (0x7B, 0x5B):
                    depth += 1
                elif c in (0x7D, 0x5D):
                    depth -= 1
                    if depth == 0:
                        return i + 1
                i += 1
            raise ValueError("unbalanced")
        while i < end and text[i] not in (0x2C, 0x7D, 0x5D):
            i += 1
        return i

    if end == 1:
        return found
    while True:
        key_end = string_end(i)
        value_start = key_end + 1
        stop = value_end(value_start)
        found.append((text[i:key_end], text[value_start:stop]))
        if stop == end:
            return found
        i = stop + 1


def make_delta(payload, base):
    theirs = dict(members(base))
    parts, inherited = [], 0
    for key, value in members(payload):
        if len(value) > 1 and theirs.get(key) == value:
            parts.append(key + b":@")
            inherited += len(value)
        else:
            parts.append(key + b":" + value)
    return b"{" + b",".join(parts) + b"}", inherited


def merge(delta, base):
    theirs = dict(members(base))
    return b"{" + b",".join(key + b":" + (theirs[key] if value == b"@" else value) for key, value in members(delta)) + b"}"


def flush(db, events, links):
    db.executemany("INSERT INTO event (row, id, host, sequence, time, kind, category, payload, previous_hash, hash) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
    db.executemany("INSERT INTO event_subject (subject, event) VALUES (?, ?)", links)
    events.clear()
    links.clear()


if __name__ == "__main__":
    sys.exit(main())
