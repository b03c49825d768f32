#!/usr/bin/env python3
"""generate-mailstore.py: a deterministic, seeded generator of realistic mail stores.

Builds the mailbox of a small German hosting company ("Muster Hosting GmbH", muster-hosting.de)
over 15 years, as Dovecot would keep it (Maildir++) and as a mail client would export it
(mboxrd), with the true retention category of every message. privctl's classifier, eraser and
stores are tested and benchmarked on it. Python 3.11 standard library only.

USAGE
    scripts/generate-mailstore.py --out DIR [--messages N] [--seed S]
                                  [--format maildir|mbox|both] [--mix default|hard] [--backups K]
                                  [--today YYYY-MM-DD] [--force] [--quiet]
    scripts/generate-mailstore.py --sample [--out DIR]
        the README quick start: 300 messages, seed 1, both formats, into DIR (default ./sample)

    --messages N   messages to write (default 1000)
    --seed S       integer seed (default 1); the same seed and arguments give byte-identical
                   output on every run and machine (no clock, no hash-order dependence)
    --format F     maildir, mbox or both (default both)
    --mix M        default, or hard: a second store for measuring the classifier on mail it was
                   not written for (invoices and letters sent to jobs@, bewerbung@ and
                   datenschutz@, applications to rechnung@, half the friends writing from their
                   own or their employer's domain, more private mail, inquiries, applications)
    --backups K    also write K nightly backups of the Maildir (needs the Maildir)
    --today D      the last day of the store (default 2026-11-26; never the clock)
    --force        replace DIR/Maildir, DIR/mbox, DIR/backups and DIR/truth.jsonl if present
                   (without it they are replaced only when DIR/truth.jsonl shows that this
                   script wrote them)

OUTPUT (under DIR)
    Maildir/                 Maildir++: INBOX as cur/ new/ tmp/ at the top, folders
                             .Sent .Drafts .Trash .Junk .Newsletter .Buchhaltung .Bewerbungen
                             .Kunden .Lieferanten .Steuerberater .Privat .Systemmeldungen
                             .Archive.YYYY ... each with cur/ new/ tmp/ and maildirfolder;
                             dovecot-uidlist, dovecot.index.cache and subscriptions at the
                             top (the cache holds header snippets, as Dovecot's does) and a
                             dovecot-uidlist per folder. Files are named
                             TIME.MUSECpPID.HOST,S=SIZE,W=CRLFSIZE[:2,FLAGS] with TIME the
                             delivery time, S the real byte size; unread new mail sits in new/
                             without ":2,". File mtimes are set to the delivery time.
    mbox/FOLDER.mbox         the same messages, one mboxrd file per folder, oldest first:
                             "From sender Thu Jan  1 00:00:00 2020" separator lines (UTC), body
                             lines matching ^>*From  get one more ">", a blank line between
                             messages. Some bodies begin lines with "From " on purpose.
    backups/maildir-YYYY-MM-DD.tar.gz
                             K nightly backups ending at --today, each taken at 03:00 UTC and
                             holding the Maildir files delivered before then (with their current
                             names) plus the Dovecot files, under "Maildir/".
    truth.jsonl              one JSON line per message, oldest first:
        {"maildirPath": "cur/..." or ".Sent/cur/..." (relative to DIR/Maildir; null without
                        the Maildir),
         "mbox": "mbox/INBOX.mbox" (null without mbox), "mboxIndex": 0-based index in it,
         "messageId": "<...>", "category": one of the ids below,
         "subjects": sorted lower-case addresses of everyone in the message: every address
                     in From, To, Cc and Reply-To, every address in the text of its text/*
                     parts (signatures, quotes, forms, HTML mailto links, attachments of text
                     type) and in the headers of a bounced or attached message; Message-IDs
                     are not addresses,
         "date": "YYYY-MM-DD", the UTC day of the Date header,
         "folder": "INBOX", ".Sent", ".Archive.2019", ...}

CATEGORIES (shares are the weights normalised to 100 %, counts are exact, not sampled)
    accounting-document 15   invoices, credit notes, receipts, bank statements (mostly PDF;
                             some only in the body; some from noreply billing systems)
    business-letter     20   orders, order confirmations, offers, contracts, cancellations,
                             delivery notes, complaints, correspondence (sent ones in .Sent)
    annual-accounts      1   Jahresabschluss, Bilanz, Inventur with the tax adviser
    job-application      4   applications with CV/cover-letter attachments, replies to them
    inquiry              8   requests for quotes, questions, web contact-form mail
    privacy-request      1   GDPR Art. 15/17/21 requests and their answers
    newsletter          12   bulk mail with List-Id, List-Unsubscribe, HTML
    system-mail         15   cron, logwatch, fail2ban, smartd, DSN bounces, monitoring, DMARC
    spam                 8   mostly in .Junk with spam headers, some in INBOX without
    personal             6   staff's private mail with friends and family, photos
    Ambiguity is deliberate: newsletters that say "Rechnung", invoices from noreply, business
    letters with non-invoice PDFs, spam dressed as invoices, cron output about invoices,
    contact-form mail that is a GDPR request.

SPEED  about 1,000-1,500 messages a second on one core plus disk time; --sample takes about a
       second. Attachments are slices of a pre-encoded random pool with real magic bytes.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime
import gzip
import json
import math
import os
import random
import re
import shutil
import sys
import tarfile
import unicodedata

TODAY_DEFAULT = "2026-11-26"
YEARS = 15
GENERATOR_TAG = "privctl-generate-mailstore v1"

CATEGORIES = [
    ("accounting-document", 15), ("business-letter", 20), ("annual-accounts", 1),
    ("job-application", 4), ("inquiry", 8), ("privacy-request", 1), ("newsletter", 12),
    ("system-mail", 15), ("spam", 8), ("personal", 6),
]
# --mix hard: another store for measuring, not the one the rules were written on. Role
# addresses receive what they were not meant for (invoices and letters to jobs@, bewerbung@ and
# datenschutz@, applications to rechnung@), half the staff's friends write from their own or
# their employer's domain instead of a free-mail provider, and the mix has more private mail,
# inquiries and applications.
CATEGORIES_HARD = [
    ("accounting-document", 14), ("business-letter", 20), ("annual-accounts", 1),
    ("job-application", 7), ("inquiry", 12), ("privacy-request", 2), ("newsletter", 9),
    ("system-mail", 10), ("spam", 7), ("personal", 12),
]
MIX = "default"

MAX_MESSAGE = 8 * 1024 * 1024          # no message is larger than this
MAX_ATTACH_DECODED = 5_800_000         # decoded bytes of all attachments of one message

UTC = datetime.timezone.utc
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONATE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


# =============================================================================================
# Small helpers
# =============================================================================================

class Rng(random.Random):
    """random.Random with a few shorthands; every draw of the generator goes through one."""

    def chance(self, p):
        return self.random() < p

    def pick(self, seq):
        return seq[int(self.random() * len(seq))]

    def wpick(self, pairs):
        """Pick from [(item, weight), ...]."""
        total = 0.0
        for _, w in pairs:
            total += w
        x = self.random() * total
        for item, w in pairs:
            x -= w
            if x < 0:
                return item
        return pairs[-1][0]

    def hexs(self, n, upper=False):
        s = "%0*x" % (n, self.getrandbits(4 * n))
        return s.upper() if upper else s

    def alnum(self, n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"):
        return "".join(alphabet[int(self.random() * len(alphabet))] for _ in range(n))

    def b64(self, nbytes):
        return base64.b64encode(self.randbytes(nbytes)).decode("ascii")

    def ip(self, first=None):
        a = first if first is not None else self.pick((31, 37, 46, 62, 77, 78, 79, 80, 81, 84,
                                                       85, 87, 88, 89, 91, 92, 93, 94, 95, 109,
                                                       176, 178, 185, 188, 193, 194, 195, 212,
                                                       213, 217))
        return f"{a}.{self.randint(0, 255)}.{self.randint(0, 255)}.{self.randint(1, 254)}"

    def lognorm_int(self, median, sigma, lo, hi):
        v = int(median * math.exp(self.gauss(0.0, sigma)))
        return max(lo, min(hi, v))


TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                          "ß": "ss", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa", "æ": "ae",
                          "ł": "l", "Ł": "L", "ı": "i", "đ": "d", "Đ": "D", "'": ""})


def slug(text, sep=""):
    """ASCII address/domain form of a name: umlauts as ae/oe/ue, accents dropped."""
    t = re.sub(r"[^a-z0-9]+", sep, ascii_fold(text).lower())
    return t.strip(sep) if sep else t


def ascii_fold(text):
    t = text.translate(TRANSLIT)
    return unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode("ascii")


def is_ascii(s):
    return s.isascii()


def wrap(text, width=72):
    """Greedy word wrap of one paragraph (no hyphenation), keeping existing newlines."""
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        cur = ""
        for word in line.split(" "):
            if not cur:
                cur = word
            elif len(cur) + 1 + len(word) <= width:
                cur += " " + word
            else:
                out.append(cur)
                cur = word
        out.append(cur)
    return out


def html_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# The address rule of /work/shared/tools/mail-oracle.py, so that "subjects" and the oracle's
# body_addresses agree on what an address in a text is.
LOCAL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")
DOMAIN_RE = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\b")
LOCAL_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-.")


def find_addresses(text, found):
    at = text.find("@")
    while at != -1:
        start = max(0, at - 64)
        local = LOCAL_RE.search(text, start, at)
        domain = DOMAIN_RE.match(text, at + 1, at + 1 + 255)
        too_long = local is not None and local.start() == start and start > 0 \
            and text[start - 1] in LOCAL_CHARS
        if local and domain and not too_long:
            found.add((local.group() + "@" + domain.group()).lower())
        at = text.find("@", at + 1)


# =============================================================================================
# Time
# =============================================================================================

_DST_CACHE = {}


def _nth_sunday(year, month, n):
    """Day of month of the n-th Sunday (n = -1: the last one)."""
    if n > 0:
        first = datetime.date(year, month, 1)
        return 1 + (6 - first.weekday()) % 7 + 7 * (n - 1)
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - datetime.timedelta(days=1)
    return last.day - (last.weekday() - 6) % 7


def _epoch(y, m, d, h=0, mi=0, s=0):
    return int(datetime.datetime(y, m, d, h, mi, s, tzinfo=UTC).timestamp())


def utc_year(ts):
    return datetime.datetime.fromtimestamp(ts, UTC).year


def zone_offset(zone, ts):
    """Offset in seconds of a zone at an instant: 'eu' (Berlin), 'uk', 'us' (New York), 'fixed:N'."""
    if zone.startswith("fixed:"):
        return int(zone[6:])
    y = utc_year(ts)
    key = (zone, y)
    rules = _DST_CACHE.get(key)
    if rules is None:
        if zone in ("eu", "uk"):
            rules = (_epoch(y, 3, _nth_sunday(y, 3, -1), 1), _epoch(y, 10, _nth_sunday(y, 10, -1), 1))
        else:
            rules = (_epoch(y, 3, _nth_sunday(y, 3, 2), 7), _epoch(y, 11, _nth_sunday(y, 11, 1), 6))
        _DST_CACHE[key] = rules
    dst = rules[0] <= ts < rules[1]
    base = {"eu": 3600, "uk": 0, "us": -18000}[zone]
    return base + (3600 if dst else 0)


def zone_name(zone, off):
    if zone == "eu":
        return "CEST" if off == 7200 else "CET"
    if zone == "uk":
        return "BST" if off == 3600 else "GMT"
    if zone == "us":
        return "EDT" if off == -14400 else "EST"
    return "UTC" if off == 0 else None


def fmt_date(ts, zone, style="std"):
    """RFC 5322 date in a zone; style: std, pad, nowd, comment, gmt, utc0."""
    off = zone_offset(zone, ts)
    if style == "utc0":
        off = 0
    t = datetime.datetime.fromtimestamp(ts + off, UTC)
    sign = "+" if off >= 0 else "-"
    hh, mm = divmod(abs(off) // 60, 60)
    day = f"{t.day:02d}" if style in ("pad", "comment") else str(t.day)
    body = f"{day} {MONTHS[t.month - 1]} {t.year} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    if style == "gmt" and off == 0:
        return f"{WEEKDAYS[t.weekday()]}, {body} GMT"
    zs = f"{sign}{hh:02d}{mm:02d}"
    if style == "utc0":
        zs = "+0000"
    if style == "nowd":
        return f"{body} {zs}"
    s = f"{WEEKDAYS[t.weekday()]}, {body} {zs}"
    if style == "comment":
        name = zone_name(zone, off)
        if name:
            s += f" ({name})"
    return s


def local_dt(ts, zone):
    return datetime.datetime.fromtimestamp(ts + zone_offset(zone, ts), UTC)


def de_date(ts, zone="eu"):
    t = local_dt(ts, zone)
    return f"{t.day:02d}.{t.month:02d}.{t.year}"


def en_date(ts, zone="eu"):
    t = local_dt(ts, zone)
    return f"{MONTHS_EN[t.month - 1]} {t.day}, {t.year}"


def asctime_utc(ts):
    t = datetime.datetime.fromtimestamp(ts, UTC)
    return f"{WEEKDAYS[t.weekday()]} {MONTHS[t.month - 1]} {t.day:2d} {t.hour:02d}:{t.minute:02d}:{t.second:02d} {t.year}"


# =============================================================================================
# RFC 2047 / 2231 and header formatting
# =============================================================================================

_Q_SAFE = frozenset(b"!*+-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def encodable(text, charset):
    try:
        text.encode(charset)
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def encoded_words(text, charset, enc):
    """RFC 2047 encoded-words of at most 75 characters; a character is never split."""
    prefix = f"=?{charset}?{enc}?"
    room = 75 - len(prefix) - 2
    words = []
    if enc.upper() == "Q":
        cur = []
        cur_len = 0
        for ch in text:
            piece = []
            for byte in ch.encode(charset):
                if byte == 0x20:
                    piece.append("_")
                elif byte in _Q_SAFE:
                    piece.append(chr(byte))
                else:
                    piece.append("=%02X" % byte)
            p = "".join(piece)
            if cur_len + len(p) > room and cur:
                words.append(prefix + "".join(cur) + "?=")
                cur, cur_len = [], 0
            cur.append(p)
            cur_len += len(p)
        if cur:
            words.append(prefix + "".join(cur) + "?=")
    else:
        max_bytes = room // 4 * 3
        cur = b""
        for ch in text:
            b = ch.encode(charset)
            if len(cur) + len(b) > max_bytes and cur:
                words.append(prefix + base64.b64encode(cur).decode("ascii") + "?=")
                cur = b""
            cur += b
        if cur:
            words.append(prefix + base64.b64encode(cur).decode("ascii") + "?=")
    return words


class HeaderStyle:
    """How a mail program writes non-ASCII headers."""
    __slots__ = ("charset", "enc", "partial")

    def __init__(self, charset="UTF-8", enc="Q", partial=False):
        self.charset, self.enc, self.partial = charset, enc, partial


def encode_text(text, hs):
    """Unstructured header text (Subject, display names) as the mailer would write it."""
    if text.isascii():
        return text
    charset = hs.charset if encodable(text, hs.charset) else "UTF-8"
    if not hs.partial:
        return " ".join(encoded_words(text, charset, hs.enc))
    out, run = [], []
    for tok in text.split(" "):
        if tok.isascii():
            if run:
                out.append(" ".join(encoded_words(" ".join(run), charset, hs.enc)))
                run = []
            out.append(tok)
        else:
            run.append(tok)
    if run:
        out.append(" ".join(encoded_words(" ".join(run), charset, hs.enc)))
    return " ".join(out)


_SPECIALS = set('()<>[]:;@\\,."')


def fmt_addr(name, addr, hs):
    if not name:
        return addr
    if name.isascii():
        if any(c in _SPECIALS for c in name):
            return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '" <' + addr + ">"
        return f"{name} <{addr}>"
    return encode_text(name, hs) + f" <{addr}>"


def fold(name, value, limit=76):
    """Fold a header at spaces so that lines stay near the limit (long words are left as is)."""
    line = f"{name}: {value}"
    if len(line) <= limit or "\n" in value:
        return line
    parts = line.split(" ")
    out, cur = [], parts[0]
    for p in parts[1:]:
        if len(cur) + 1 + len(p) > limit and cur.strip():
            out.append(cur)
            cur = " " + p
        else:
            cur += " " + p
    out.append(cur)
    return "\n".join(out)


def rfc2231(filename, lang=""):
    quoted = "".join(c if (c.isascii() and (c.isalnum() or c in "-._~")) else
                     "".join("%%%02X" % b for b in c.encode("utf-8")) for c in filename)
    return f"UTF-8'{lang}'{quoted}"


# =============================================================================================
# The world: the operator, places, names, companies, people
# =============================================================================================

OP_NAME = "Muster Hosting GmbH"
OP_DOMAIN = "muster-hosting.de"
OP_STREET = "Am Sandtorkai 41"
OP_CITY = "20457 Hamburg"
OP_PHONE = "+49 40 3009 4410"
OP_FAX = "+49 40 3009 4419"
OP_REGISTER = "Amtsgericht Hamburg, HRB 123456"
OP_VAT = "DE298765432"
OP_IBAN = "DE89 2005 0550 1234 5678 90"
OP_HOSTS = ("web01", "web02", "web03", "web04", "db01", "db02", "backup01", "storage02", "mx01",
            "mx02", "monitor01", "dns1", "dns2", "kvm03", "kvm04")
OP_IP = {h: f"185.21.{100 + i // 8}.{10 + i * 3}" for i, h in enumerate(OP_HOSTS)}
OP_LAN = {h: f"10.0.{i // 8}.{11 + i}" for i, h in enumerate(OP_HOSTS)}

# (first, last, role title, gender, mailer, alias addresses)
STAFF = [
    ("Thomas", "Muster", "Geschäftsführer", "m", "thunderbird", ("info", "thomas", "t.muster")),
    ("Sabine", "Krüger", "Buchhaltung", "f", "outlook", ("buchhaltung", "rechnung")),
    ("Jonas", "Becker", "Systemadministration", "m", "mutt", ("root", "postmaster", "abuse", "hostmaster")),
    ("Aylin", "Demir", "Vertrieb & Kundenbetreuung", "f", "apple", ("vertrieb", "support")),
    ("Lukas", "Brandt", "Auszubildender Fachinformatiker", "m", "thunderbird", ()),
]

PLACES = [  # city, postcode, area code, country, zone
    ("Hamburg", "20095", "40", "DE"), ("Berlin", "10117", "30", "DE"), ("München", "80331", "89", "DE"),
    ("Köln", "50667", "221", "DE"), ("Frankfurt am Main", "60311", "69", "DE"),
    ("Stuttgart", "70173", "711", "DE"), ("Düsseldorf", "40213", "211", "DE"), ("Leipzig", "04109", "341", "DE"),
    ("Dresden", "01067", "351", "DE"), ("Hannover", "30159", "511", "DE"), ("Nürnberg", "90402", "911", "DE"),
    ("Bremen", "28195", "421", "DE"), ("Lübeck", "23552", "451", "DE"), ("Kiel", "24103", "431", "DE"),
    ("Münster", "48143", "251", "DE"), ("Freiburg im Breisgau", "79098", "761", "DE"),
    ("Würzburg", "97070", "931", "DE"), ("Göttingen", "37073", "551", "DE"), ("Osnabrück", "49074", "541", "DE"),
    ("Regensburg", "93047", "941", "DE"), ("Rostock", "18055", "381", "DE"), ("Lüneburg", "21335", "4131", "DE"),
    ("Norderstedt", "22846", "40", "DE"), ("Pinneberg", "25421", "4101", "DE"), ("Buxtehude", "21614", "4161", "DE"),
    ("Wien", "1010", "1", "AT"), ("Graz", "8010", "316", "AT"), ("Zürich", "8001", "44", "CH"), ("Basel", "4051", "61", "CH"),
]
PLACES_EN = [
    ("London", "EC1A 1BB", "20", "UK"), ("Manchester", "M1 1AE", "161", "UK"), ("Dublin", "D02 X285", "1", "IE"),
    ("Amsterdam", "1012 JS", "20", "NL"), ("Copenhagen", "1050", "33", "DK"), ("New York, NY", "10001", "212", "US"),
    ("Austin, TX", "78701", "512", "US"), ("Milan", "20121", "02", "IT"), ("Warsaw", "00-001", "22", "PL"),
]
COUNTRY_CODE = {"DE": "49", "AT": "43", "CH": "41", "UK": "44", "IE": "353", "NL": "31", "DK": "45",
                "US": "1", "IT": "39", "PL": "48"}
STREETS = ["Hauptstraße", "Bahnhofstraße", "Lindenallee", "Schillerstraße", "Goethestraße", "Am Markt",
           "Industriestraße", "Gartenweg", "Mühlenweg", "Königstraße", "Große Bleichen", "Schloßstraße",
           "Friedrich-Ebert-Straße", "Kirchplatz", "Hafenstraße", "Rosenstraße", "Am Steinweg",
           "Gewerbering", "Elbchaussee", "Lange Reihe", "Dorfstraße", "Poststraße", "Wilhelmstraße",
           "Am Rathaus", "Feldstraße", "Birkenweg", "Ahornweg", "Turmstraße", "Mönckebergstraße"]
STREETS_EN = ["High Street", "Station Road", "Church Lane", "Park Avenue", "Main Street", "Keizersgracht",
              "Broadway", "Via Roma", "Congress Avenue"]

M_FIRST = ["Thomas", "Michael", "Andreas", "Stefan", "Frank", "Jürgen", "Jörg", "Matthias", "Markus",
           "Christian", "Peter", "Klaus", "Uwe", "Wolfgang", "Sven", "Björn", "Sören", "Lars", "Jan", "Tim",
           "Lukas", "Jonas", "Felix", "Maximilian", "Paul", "Leon", "Niklas", "Florian", "Tobias", "Dirk",
           "Holger", "Ralf", "Günter", "Hans-Peter", "Karl-Heinz", "Dieter", "Bernd", "Torsten", "Kai",
           "Malte", "Ole", "Henrik", "Moritz", "Fabian", "Philipp", "Jens", "Olaf", "Rüdiger"]
F_FIRST = ["Sabine", "Claudia", "Petra", "Andrea", "Susanne", "Birgit", "Monika", "Karin", "Stefanie",
           "Julia", "Anna", "Laura", "Lena", "Katharina", "Christina", "Nicole", "Sandra", "Melanie", "Anja",
           "Silke", "Heike", "Jana", "Sophie", "Marie", "Hannah", "Lea", "Jessica", "Kerstin", "Ute",
           "Gabriele", "Bärbel", "Jutta", "Ines", "Maren", "Svenja", "Wiebke", "Franziska", "Johanna",
           "Charlotte", "Annika", "Lisa", "Miriam", "Dörte", "Jülide"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
        "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
        "Schwarz", "Zimmermann", "Braun", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner",
        "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann",
        "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller",
        "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
        "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon",
        "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger",
        "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas", "Schreiber", "Graf", "Schulte",
        "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Voigt",
        "Sauer", "Arnold", "Wolff", "Pfeiffer", "Brückner", "Hansen", "Petersen", "Jensen", "Thiele",
        "Claßen", "Sönksen", "Ehlers", "von der Heide", "Oßwald", "Grüneberg"]
INTL = [  # first, last, gender, writes English
    ("Mehmet", "Yılmaz", "m", False), ("Ayşe", "Kaya", "f", False), ("Emre", "Demir", "m", False),
    ("Elif", "Şahin", "f", False), ("Murat", "Çelik", "m", False), ("Zeynep", "Öztürk", "f", False),
    ("Hakan", "Arslan", "m", False), ("Gülşen", "Koç", "f", False), ("Can", "Aydın", "m", False),
    ("Łukasz", "Nowak", "m", False), ("Małgorzata", "Kowalska", "f", False), ("Piotr", "Wiśniewski", "m", True),
    ("Agnieszka", "Wójcik", "f", False), ("Krzysztof", "Kamiński", "m", True), ("Giuseppe", "Rossi", "m", True),
    ("Francesca", "Bianchi", "f", True), ("Marco", "Romano", "m", False), ("Giulia", "Ricci", "f", True),
    ("Dimitrios", "Papadopoulos", "m", False), ("Eleni", "Georgiou", "f", True), ("Ivana", "Horvat", "f", False),
    ("Marko", "Kovačević", "m", False), ("Olga", "Iwanowa", "f", False), ("Sergej", "Wolkow", "m", False),
    ("Natalia", "Smirnova", "f", True), ("James", "Smith", "m", True), ("Emily", "Johnson", "f", True),
    ("Oliver", "Brown", "m", True), ("Charlotte", "Taylor", "f", True), ("David", "Wilson", "m", True),
    ("Sarah", "Davies", "f", True), ("Michael", "O'Brien", "m", True), ("Jennifer", "Miller", "f", True),
    ("Robert", "Anderson", "m", True), ("Daniel", "Clarke", "m", True), ("Hannah", "Walsh", "f", True),
    ("François", "Dubois", "m", True), ("Hélène", "Lefèvre", "f", True), ("Jérôme", "Laurent", "m", True),
    ("Chloé", "Girard", "f", True), ("José", "García", "m", True), ("María", "Fernández", "f", True),
    ("Javier", "Núñez", "m", True), ("João", "Silva", "m", True), ("Inês", "Costa", "f", True),
    ("Sanne", "Jansen", "f", True), ("Pieter", "van den Berg", "m", True), ("Ingrid", "Sørensen", "f", True),
    ("Lars", "Ødegaard", "m", True), ("Åsa", "Nilsson", "f", True), ("Tomáš", "Dvořák", "m", True),
    ("Petra", "Nováková", "f", False), ("Linh", "Nguyễn", "f", False), ("Minh", "Trần", "m", True),
    ("Ahmed", "Hassan", "m", False), ("Fatima", "Al-Sayed", "f", False), ("Omar", "Haddad", "m", True),
    ("Leila", "Mansour", "f", False), ("Priya", "Sharma", "f", True), ("Rahul", "Gupta", "m", True),
    ("Ananya", "Iyer", "f", True), ("Wei", "Zhang", "m", True), ("Mei", "Chen", "f", True),
]
FREEMAIL = [("gmail.com", 22), ("gmx.de", 18), ("web.de", 18), ("t-online.de", 10), ("gmx.net", 6),
            ("outlook.de", 5), ("hotmail.com", 4), ("yahoo.de", 3), ("icloud.com", 4), ("posteo.de", 3),
            ("mailbox.org", 2), ("freenet.de", 2), ("arcor.de", 1), ("online.de", 1), ("aol.com", 1)]
FREEMAIL_EN = [("gmail.com", 40), ("outlook.com", 15), ("hotmail.com", 10), ("yahoo.com", 8),
               ("icloud.com", 8), ("protonmail.com", 4)]

TRADES = [("Bäckerei", ""), ("Autohaus", "GmbH"), ("Zahnarztpraxis Dr.", ""), ("Tischlerei", ""),
          ("Elektro", "GmbH"), ("Kanzlei", "& Partner"), ("Weingut", ""), ("Physiotherapie", ""),
          ("Blumenhaus", ""), ("Architekturbüro", ""), ("Fahrschule", ""), ("Malerbetrieb", "GmbH"),
          ("Immobilien", "GmbH & Co. KG"), ("Optik", ""), ("Reisebüro", ""), ("Sanitär", "GmbH"),
          ("Hotel", ""), ("Buchhandlung", ""), ("Landmaschinen", "KG"), ("Steinmetz", ""),
          ("Druckerei", "GmbH"), ("Ingenieurbüro", ""), ("Fotostudio", ""), ("Dachdeckerei", "GmbH"),
          ("Hausverwaltung", "GmbH"), ("Tierarztpraxis", ""), ("Metallbau", "GmbH"), ("Schreibwaren", "")]
FANCY_CUSTOMERS = [
    ("Nordlicht Medien GmbH", "nordlicht-medien.de", "de"), ("Kaffeerösterei Elbbohne", "elbbohne.de", "de"),
    ("Hafenkante Events UG (haftungsbeschränkt)", "hafenkante-events.de", "de"),
    ("Grünwerk Landschaftsbau GmbH", "gruenwerk-gala.de", "de"),
    ("SV Blau-Weiß Musterhausen e.V.", "sv-blauweiss-musterhausen.de", "de"),
    ("Förderverein Grundschule am See e.V.", "gs-am-see.de", "de"), ("Tanzschule Rhythmus", "tanzschule-rhythmus.de", "de"),
    ("Brightline Media Ltd", "brightline-media.co.uk", "en"), ("Northwind Analytics Inc.", "northwind-analytics.com", "en"),
    ("Keller Consulting AG", "keller-consulting.ch", "de"), ("Alpenblick Tourismus GmbH", "alpenblick-tourismus.at", "de"),
    ("Van Dijk Logistics B.V.", "vandijk-logistics.nl", "en"), ("Hansen & Sørensen ApS", "hansen-soerensen.dk", "en"),
    ("Studio Bellavista S.r.l.", "studio-bellavista.it", "en"), ("Elbe Kreativagentur GmbH", "elbe-kreativ.de", "de"),
    ("Praxis für Ergotherapie Lindenhof", "ergo-lindenhof.de", "de"), ("Ostsee Ferienwohnungen Möller", "ostsee-fewo-moeller.de", "de"),
    ("Quantum Leap Software GmbH", "quantumleap-software.de", "de"), ("Bio-Hofladen Sonnenfeld", "hofladen-sonnenfeld.de", "de"),
    ("Evangelische Kirchengemeinde St. Petri", "st-petri-gemeinde.de", "de"),
]
SUPPLIERS = [  # name, domain, kind, lang, billing mailbox
    ("Serverpark Nord GmbH", "serverpark-nord.de", "datacenter", "de", "noreply@billing.serverpark-nord.de"),
    ("Rechenzentrum Süd AG", "rz-sued.de", "datacenter", "de", "rechnung@rz-sued.de"),
    ("DomainHub Registry GmbH", "domainhub.de", "registrar", "de", "invoice@domainhub.de"),
    ("NetTrans Carrier GmbH", "nettrans-carrier.de", "transit", "de", "billing@nettrans-carrier.de"),
    ("Hardware-Versand Kraus GmbH", "hw-kraus.de", "hardware", "de", "buchhaltung@hw-kraus.de"),
    ("Bürobedarf Schäfer KG", "buero-schaefer.de", "office", "de", "rechnungen@buero-schaefer.de"),
    ("FonNet Telekommunikation GmbH", "fonnet.de", "telco", "de", "kundenservice@rechnung.fonnet.de"),
    ("SoftLizenz24 GmbH", "softlizenz24.de", "licenses", "de", "noreply@softlizenz24.de"),
    ("Stadtwerke Elbtal GmbH", "stadtwerke-elbtal.de", "energy", "de", "service@stadtwerke-elbtal.de"),
    ("Versicherungsbüro Lorenz", "versicherung-lorenz.de", "insurance", "de", "buero@versicherung-lorenz.de"),
    ("CloudVault Backup Ltd", "cloudvault.co.uk", "backup", "en", "billing@cloudvault.co.uk"),
    ("Certify Trust Ltd", "certifytrust.com", "ssl", "en", "no-reply@certifytrust.com"),
    ("Nimbus Monitoring Inc.", "nimbusmon.io", "saas", "en", "receipts@nimbusmon.io"),
    ("PixelForge Design Studio", "pixelforge.design", "agency", "en", "accounts@pixelforge.design"),
    ("Kaffee & Co Automatenservice", "kaffee-und-co.de", "coffee", "de", "rechnung@kaffee-und-co.de"),
    ("Reinigungsservice Blitzblank", "blitzblank-hh.de", "cleaning", "de", "info@blitzblank-hh.de"),
    ("RailTours Reisen GmbH", "railtours.de", "travel", "de", "buchung@railtours.de"),
    ("Kabelwerk IT-Distribution GmbH", "kabelwerk-it.de", "hardware", "de", "faktura@kabelwerk-it.de"),
]
BANK = ("Hansebank eG", "hansebank.de", "kontoauszug@service.hansebank.de")
PAYMENT = ("PayFlux Europe S.à r.l.", "payflux.eu", "service@payflux.eu")
TAX_FIRM = ("Steuerberatung Hoffmann & Partner mbB", "stb-hoffmann.de")
TAX_PEOPLE = [("Claudia", "Hoffmann", "f", "Dr.", "Steuerberaterin"), ("Markus", "Lehmann", "m", "", "Steuerfachwirt"),
              ("Nina", "Schulz", "f", "", "Steuerfachangestellte")]

NEWSLETTERS = [  # brand, domain, from local, lang, esp, topic
    ("Hosting-Insider", "hosting-insider.de", "newsletter", "de", "cleverreach", "tech"),
    ("Büroprofi24", "bueroprofi24.de", "angebote", "de", "rapidmail", "shop"),
    ("TechDeals Weekly", "techdeals.com", "deals", "en", "mailchimp", "shop"),
    ("Serverpark Nord", "serverpark-nord.de", "news", "de", "inxmail", "tech"),
    ("DomainHub", "domainhub.de", "newsletter", "de", "cleverreach", "tech"),
    ("Handelskammer Nord", "hk-nord.de", "info", "de", "inxmail", "chamber"),
    ("Datenschutz-Praxis", "datenschutz-praxis.de", "redaktion", "de", "cleverreach", "privacy"),
    ("Steuer-Update für Unternehmer", "steuer-update.de", "newsletter", "de", "rapidmail", "tax"),
    ("Linux Weekly Digest", "linuxweekly.org", "digest", "en", "mailchimp", "tech"),
    ("Gartenwelt Brückner", "gartenwelt-brueckner.de", "service", "de", "brevo", "shop"),
    ("Urlaubsfreude Reisen", "urlaubsfreude.de", "angebote", "de", "brevo", "travel"),
    ("KochKiste", "kochkiste.de", "hallo", "de", "mailchimp", "shop"),
    ("Cloud Expo Europe", "cloudexpo-europe.com", "events", "en", "hubspot", "event"),
    ("Nimbus Monitoring", "nimbusmon.io", "product", "en", "hubspot", "tech"),
    ("Fahrradladen Speiche", "speiche-hh.de", "news", "de", "rapidmail", "shop"),
    ("Open Source Business Forum", "osbf.eu", "newsletter", "en", "mailchimp", "event"),
    ("IT-Sicherheit aktuell", "it-sicherheit-aktuell.de", "redaktion", "de", "inxmail", "security"),
    ("Weinhandel Rebstock", "rebstock-weine.de", "post", "de", "brevo", "shop"),
]

PRODUCTS = [  # German name, English name, monthly net price
    ("Webhosting Business", "Web Hosting Business", 12.90), ("Webhosting Starter", "Web Hosting Starter", 4.90),
    ("Managed Server M", "Managed Server M", 89.00), ("Managed Server L", "Managed Server L", 149.00),
    ("vServer Pro 8", "VPS Pro 8", 29.90), ("vServer Pro 16", "VPS Pro 16", 49.90),
    ("E-Mail-Paket Office 25", "Email Office 25", 19.90), ("Domain .de", "Domain .de", 0.99),
    ("Backup-Speicher 500 GB", "Backup Storage 500 GB", 9.90), ("SSL-Zertifikat Wildcard", "Wildcard SSL certificate", 8.25),
    ("Nextcloud Team", "Nextcloud Team", 24.90), ("Colocation 1 HE", "Colocation 1U", 69.00),
    ("Monitoring Plus", "Monitoring Plus", 14.90), ("Dedizierter Server XL", "Dedicated Server XL", 219.00),
]


class Person:
    __slots__ = ("first", "last", "gender", "title", "addr", "lang", "company", "role", "phone",
                 "mobile", "mailer", "zone", "kind", "weight", "street", "city", "country", "cust_no")

    @property
    def name(self):
        return f"{self.title + ' ' if self.title else ''}{self.first} {self.last}"

    @property
    def plain(self):
        return f"{self.first} {self.last}"


class Company:
    __slots__ = ("name", "domain", "lang", "street", "city", "country", "phone", "register",
                 "people", "kind", "billing", "mailer", "host", "ceo")


def _phone(rng, country, area, mobile=False):
    cc = COUNTRY_CODE[country]
    if mobile and country == "DE":
        pre = rng.pick(("151", "160", "170", "171", "172", "175", "176", "177", "179", "152", "157"))
        num = str(rng.randint(1000000, 99999999))
        return rng.pick((f"+49 {pre} {num}", f"0{pre} {num}", f"0{pre}/{num}", f"+49 ({pre}) {num}"))
    num = str(rng.randint(100000, 9999999))
    if country == "DE":
        return rng.pick((f"+49 {area} {num}", f"0{area} {num}", f"0{area} / {num[:3]} {num[3:]}",
                         f"+49 (0){area} {num[:-2]}-{num[-2:]}", f"({area and '0' + area}) {num}"))
    return f"+{cc} {area} {num}"


class World:
    """People, companies and senders; built from its own Rng so it only depends on the seed."""

    def __init__(self, seed):
        rng = Rng(f"{GENERATOR_TAG}:{seed}:world")
        self.rng = rng
        self.used_addrs = set()
        self.staff = []
        for first, last, title, gender, mailer, aliases in STAFF:
            p = Person()
            p.first, p.last, p.gender, p.title = first, last, gender, ""
            p.addr = f"{slug(first)}.{slug(last)}@{OP_DOMAIN}"
            p.lang, p.company, p.role, p.mailer, p.zone, p.kind = "de", None, title, mailer, "eu", "staff"
            p.phone = f"+49 40 3009 441{len(self.staff) + 1}"
            p.mobile = _phone(rng, "DE", "", mobile=True)
            p.weight, p.street, p.city, p.country, p.cust_no = 1.0, OP_STREET, OP_CITY, "DE", None
            self.used_addrs.add(p.addr)
            self.staff.append(p)
        self.boss, self.accountant, self.admin, self.sales, self.trainee = self.staff
        self.customers_c = []   # companies
        self.customers = []     # persons (company contacts and private customers)
        self.suppliers = []
        self.supplier_people = []
        self.applicants = []
        self.friends = []
        self.prospects = []
        self.tax = []
        self._build(rng)

    # -- names ---------------------------------------------------------------------------
    def _name(self, rng, intl_p=0.28):
        if rng.chance(intl_p):
            first, last, gender, en = rng.pick(INTL)
            return first, last, gender, en
        if rng.chance(0.5):
            return rng.pick(M_FIRST), rng.pick(LAST), "m", False
        return rng.pick(F_FIRST), rng.pick(LAST), "f", False

    def _local(self, rng, first, last, style=None):
        f, l = slug(first, "-").replace("-", ""), slug(last, "")
        style = style or rng.wpick([("f.l", 40), ("fl", 8), ("f1.l", 14), ("f_l", 4), ("l", 6),
                                    ("fl_num", 8), ("l.f", 3), ("f", 4), ("fancy", 8), ("f1l", 5)])
        if style == "f.l":
            return f"{f}.{l}"
        if style == "fl":
            return f"{f}{l}"
        if style == "f1.l":
            return f"{f[0]}.{l}"
        if style == "f1l":
            return f"{f[0]}{l}"
        if style == "f_l":
            return f"{f}_{l}"
        if style == "l":
            return l
        if style == "l.f":
            return f"{l}.{f}"
        if style == "f":
            return f
        if style == "fl_num":
            return f"{f}.{l}{rng.randint(1, 99):02d}" if rng.chance(0.5) else f"{f}{l}{rng.randint(1960, 2004)}"
        return rng.pick((f"{rng.pick(('sonnen', 'kaese', 'nordsee', 'haus', 'wolke', 'kiez', 'hanse', 'blau', 'moin', 'elb'))}"
                         f"{rng.pick(('kind', 'kuchen', 'liebe', 'maus', 'fan', 'pirat', 'fuchs', 'bär'.replace('ä', 'ae')))}{rng.randint(1, 999)}",
                         f"{f}.{l[0]}{rng.randint(10, 99)}", f"{l}.{f[:3]}"))

    def _unique(self, local, domain):
        addr = f"{local}@{domain}"
        n = 2
        while addr in self.used_addrs:
            addr = f"{local}{n}@{domain}"
            n += 1
        self.used_addrs.add(addr)
        return addr

    def _person(self, rng, kind, company=None, freemail=False, lang=None, intl_p=0.28, place=None):
        p = Person()
        p.first, p.last, p.gender, en = self._name(rng, intl_p)
        p.title = "Dr." if rng.chance(0.04) else ""
        p.kind, p.company, p.role, p.cust_no = kind, company, "", None
        if company is not None:
            p.lang = company.lang if not en or company.lang == "en" else rng.pick(("de", "en"))
            p.addr = self._unique(self._local(rng, p.first, p.last, rng.wpick([("f.l", 60), ("f1.l", 20), ("f", 10), ("f1l", 10)])), company.domain)
            p.street, p.city, p.country = company.street, company.city, company.country
            area = company.phone
            p.phone = area + f"-{rng.randint(10, 59)}" if rng.chance(0.6) else area
        else:
            p.lang = lang or ("en" if en and rng.chance(0.6) else "de")
            dom = rng.wpick(FREEMAIL_EN if p.lang == "en" else FREEMAIL)
            p.addr = self._unique(self._local(rng, p.first, p.last), dom)
            city, zipc, area, country = place or (rng.pick(PLACES_EN) if p.lang == "en" else rng.pick(PLACES[:25]))
            p.street = f"{rng.pick(STREETS_EN if p.lang == 'en' else STREETS)} {rng.randint(1, 140)}"
            p.city, p.country = (f"{zipc} {city}" if country not in ("UK", "US", "IE") else f"{city} {zipc}"), country
            p.phone = _phone(rng, country, area)
        p.mobile = _phone(rng, "DE", "", mobile=True) if p.country == "DE" else _phone(rng, p.country or "UK", "7700")
        p.zone = {"UK": "uk", "IE": "uk", "US": "us"}.get(p.country, "eu")
        p.weight = 1.0
        if company is not None:
            p.mailer = company.mailer if rng.chance(0.85) else rng.pick(("outlook", "thunderbird", "apple", "iphone"))
        else:
            dom = p.addr.split("@")[1]
            if dom == "gmail.com":
                p.mailer = rng.wpick([("gmail", 70), ("iphone", 15), ("thunderbird", 10), ("android", 5)])
            elif dom in ("gmx.de", "gmx.net", "web.de"):
                p.mailer = rng.wpick([("gmx", 65), ("thunderbird", 15), ("iphone", 10), ("apple", 10)])
            elif dom in ("outlook.de", "hotmail.com", "outlook.com"):
                p.mailer = rng.wpick([("outlookcom", 80), ("iphone", 20)])
            elif dom == "icloud.com":
                p.mailer = rng.wpick([("apple", 50), ("iphone", 50)])
            elif dom in ("t-online.de",):
                p.mailer = rng.wpick([("tonline", 60), ("outlook", 25), ("thunderbird", 15)])
            else:
                p.mailer = rng.wpick([("thunderbird", 40), ("roundcube", 25), ("apple", 15), ("iphone", 10), ("android", 10)])
        return p

    def _company(self, rng, name, domain, lang, kind):
        c = Company()
        c.name, c.domain, c.lang, c.kind = name, domain, lang, kind
        if domain.endswith((".co.uk", ".com", ".io", ".nl", ".dk", ".it", ".design")) and lang == "en":
            tld = ".co.uk" if domain.endswith(".co.uk") else "." + domain.rsplit(".", 1)[1]
            city, zipc, area, country = {".co.uk": PLACES_EN[0], ".nl": PLACES_EN[3], ".dk": PLACES_EN[4],
                                         ".it": PLACES_EN[7]}.get(tld) or rng.pick(PLACES_EN)
            c.street = f"{rng.randint(1, 220)} {rng.pick(STREETS_EN)}"
            c.city = f"{city} {zipc}" if country in ("UK", "US", "IE") else f"{zipc} {city}"
        else:
            pl = [p for p in PLACES if (p[3] == "AT") == domain.endswith(".at") and (p[3] == "CH") == domain.endswith(".ch")]
            city, zipc, area, country = rng.pick(pl)
            c.street = f"{rng.pick(STREETS)} {rng.randint(1, 140)}{rng.pick(('', '', '', 'a', 'b'))}"
            c.city = f"{zipc} {city}"
        c.country = country
        c.phone = f"+{COUNTRY_CODE[country]} {area} {rng.randint(100000, 9999999)}"
        c.register = (f"Amtsgericht {city.split(',')[0]}, HRB {rng.randint(1000, 199999)}" if lang == "de" and country == "DE" and
                      ("GmbH" in name or "AG" in name or "KG" in name or "UG" in name or "mbB" in name) else
                      (f"Company No. {rng.randint(1000000, 13999999)}" if country == "UK" else ""))
        c.mailer = rng.wpick([("outlook", 45), ("outlook365", 20), ("thunderbird", 15), ("apple", 8), ("roundcube", 7), ("gmailws", 5)])
        c.host = rng.wpick([("own", 30), ("o365", 25), ("ionos", 20), ("strato", 10), ("hetznerish", 10), ("gws", 5)])
        if c.mailer == "outlook365":
            c.host = "o365"
        if c.mailer == "gmailws":
            c.host = "gws"
        c.people, c.billing, c.ceo = [], None, None
        return c

    def _build(self, rng):
        # customers: companies with one to three contacts, and private customers
        names = set()
        companies = []
        for name, domain, lang in FANCY_CUSTOMERS:
            companies.append(self._company(rng, name, domain, lang, "customer"))
        while len(companies) < 62:
            trade, suffix = rng.pick(TRADES)
            last = rng.pick(LAST)
            name = f"{trade} {last}{(' ' + suffix) if suffix else ''}"
            if name in names:
                continue
            names.add(name)
            t = slug(trade.replace(" Dr.", ""), "-")
            domain = rng.pick((f"{t}-{slug(last, '-')}.de", f"{slug(last, '-')}-{t}.de", f"{t}{slug(last)}.de",
                               f"{slug(last)}-{t}.com", f"{t}-{slug(last, '-')}.net"))
            companies.append(self._company(rng, name, domain, "de", "customer"))
        cust_no = 10000
        for c in companies:
            for _ in range(rng.wpick([(1, 45), (2, 40), (3, 15)])):
                p = self._person(rng, "customer", company=c, intl_p=0.15 if c.lang == "de" else 0.9)
                c.people.append(p)
                self.customers.append(p)
            c.ceo = c.people[0]
            cust_no += rng.randint(3, 140)
            for p in c.people:
                p.cust_no = cust_no
        self.customers_c = companies
        for _ in range(28):
            p = self._person(rng, "customer", freemail=True)
            cust_no += rng.randint(3, 140)
            p.cust_no = cust_no
            self.customers.append(p)
        # suppliers with one or two contacts and a billing mailbox
        for name, domain, kind, lang, billing in SUPPLIERS:
            c = self._company(rng, name, domain, lang, kind)
            c.billing = billing
            for _ in range(rng.wpick([(1, 50), (2, 50)])):
                p = self._person(rng, "supplier", company=c, intl_p=0.1 if lang == "de" else 0.9)
                c.people.append(p)
                self.supplier_people.append(p)
            c.ceo = c.people[0]
            self.suppliers.append(c)
        # the tax adviser's office
        tc = self._company(rng, TAX_FIRM[0], TAX_FIRM[1], "de", "tax")
        tc.city, tc.street, tc.phone, tc.country = "20354 Hamburg", "Neuer Wall 18", "+49 40 3570 880", "DE"
        tc.register, tc.mailer, tc.host = "Partnerschaftsregister Hamburg PR 1234", "outlook", "own"
        for first, last, gender, title, role in TAX_PEOPLE:
            p = self._person(rng, "tax", company=tc, intl_p=0)
            p.first, p.last, p.gender, p.title, p.role, p.lang = first, last, gender, title, role, "de"
            self.used_addrs.discard(p.addr)
            p.addr = self._unique(f"{slug(first)[0]}.{slug(last)}", tc.domain)
            p.mailer = "outlook"
            tc.people.append(p)
            self.tax.append(p)
        self.tax_company = tc
        # applicants (freemail, some English), friends and family of the staff, prospects
        for _ in range(62):
            p = self._person(rng, "applicant", freemail=True, intl_p=0.35)
            self.applicants.append(p)
        for _ in range(38):
            p = self._person(rng, "friend", freemail=True, intl_p=0.2)
            if MIX == "hard" and rng.chance(0.5):
                family = slug(p.last)
                dom = rng.pick((f"{family}.de", f"familie-{family}.de", f"{family}-{rng.pick(('bau', 'design', 'it', 'immobilien', 'steuer'))}.de",
                                f"praxis-{family}.de", f"stadtwerke-{slug(rng.pick(PLACES[:25])[0])}.de"))
                self.used_addrs.discard(p.addr)
                p.addr = self._unique(self._local(rng, p.first, p.last), dom)
            self.friends.append(p)
        prospects_c = []
        for _ in range(14):
            trade, suffix = rng.pick(TRADES)
            last = rng.pick(LAST)
            name = f"{trade} {last}{(' ' + suffix) if suffix else ''}"
            if name in names:
                continue
            names.add(name)
            domain = f"{slug(trade.replace(' Dr.', ''), '-')}-{slug(last, '-')}.de"
            prospects_c.append(self._company(rng, name, domain, "de", "prospect"))
        for c in prospects_c:
            p = self._person(rng, "prospect", company=c, intl_p=0.15)
            c.people.append(p)
            c.ceo = p
            self.prospects.append(p)
        for _ in range(26):
            self.prospects.append(self._person(rng, "prospect", freemail=True))
        self.prospect_companies = prospects_c
        # Zipf-like weights: some correspondents write all the time, most now and then
        for group in (self.customers, self.supplier_people, self.friends, self.prospects, self.applicants):
            order = list(range(len(group)))
            rng.shuffle(order)
            for rank, idx in enumerate(order):
                group[idx].weight = 1.0 / (rank + 1) ** (0.75 if group is not self.applicants else 0.3)
        self._cum = {}
        self.cust_supp = self.customers + self.supplier_people
        self.cust_prosp = self.customers + self.prospects

    def people(self):
        return (self.staff + self.customers + self.supplier_people + self.tax + self.applicants
                + self.friends + self.prospects)

    def choose(self, rng, group):
        key = id(group)
        cached = self._cum.get(key)
        cum = cached[1] if cached is not None and cached[0] is group else None
        if cum is None:
            cum, t = [], 0.0
            for p in group:
                t += p.weight
                cum.append(t)
            self._cum[key] = (group, cum)
        x = rng.random() * cum[-1]
        lo, hi = 0, len(cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cum[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return group[lo]


# =============================================================================================
# Attachment bytes: slices of a pre-encoded random pool, with real magic bytes at both ends
# =============================================================================================

class Pool:
    """Base64 lines of random bytes; an attachment is head + pool lines + tail, all valid base64."""

    def __init__(self, seed, nlines=24000):
        rng = Rng(f"{GENERATOR_TAG}:{seed}:pool")
        self.enc = base64.encodebytes(rng.randbytes(nlines * 57))   # 77 bytes a line
        self.n = nlines

    def lines(self, start, count):
        out = []
        while count > 0:
            take = min(count, self.n - start)
            out.append(self.enc[start * 77:(start + take) * 77])
            count -= take
            start = 0
        return b"".join(out)

    def encode(self, rng, head, size, tail):
        """Base64 (76-column lines) of head + random + tail, decoding to about size bytes."""
        pad = (-len(head)) % 57
        head = head + rng.randbytes(pad)
        middle = max(0, size - len(head) - len(tail)) // 57
        return (base64.encodebytes(head) + self.lines(int(rng.random() * self.n), middle)
                + base64.encodebytes(tail)), len(head) + middle * 57 + len(tail)


PDF_PRODUCERS = ["LibreOffice 6.4", "LibreOffice 7.3", "Microsoft® Word für Microsoft 365", "Microsoft® Word 2016",
                 "wkhtmltopdf 0.12.5", "TCPDF 6.2.13 (http://www.tcpdf.org)", "iText® 5.5.13 ©2000-2018 iText Group NV",
                 "Acrobat Distiller 11.0 (Windows)", "DATEV Druckdienst", "mPDF 8.0", "Canon iR-ADV C5535 PDF",
                 "Skia/PDF m119", "macOS Version 13.4 (Build 22F66) Quartz PDFContext", "FPDF 1.84", "Dompdf 2.0.3"]


def magic(kind, rng, name=""):
    """(head, tail) bytes that make an attachment look like its type to a sniffer."""
    if kind == "pdf":
        ver = rng.pick(("1.3", "1.4", "1.4", "1.5", "1.6", "1.7"))
        prod = rng.pick(PDF_PRODUCERS).encode("latin-1", "replace")
        head = (b"%PDF-" + ver.encode() + b"\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n"
                b"3 0 obj\n<</Producer (" + prod + b") /CreationDate (D:20" + str(rng.randint(10, 26)).encode()
                + b"0412093011+02'00')>>\nendobj\n4 0 obj\n<</Length 5 0 R /Filter /FlateDecode>>\nstream\nx\x9c")
        tail = (b"\nendstream\nendobj\nxref\n0 6\n0000000000 65535 f \ntrailer\n<</Size 6 /Root 1 0 R /Info 3 0 R>>\n"
                b"startxref\n" + str(rng.randint(10000, 999999)).encode() + b"\n%%EOF\n")
        return head, tail
    if kind == "jpg":
        cam = rng.pick((b"Apple\x00iPhone 12\x00", b"Apple\x00iPhone 14 Pro\x00", b"samsung\x00SM-G991B\x00",
                        b"Google\x00Pixel 7\x00", b"Canon\x00Canon EOS 80D\x00", b"HUAWEI\x00ELE-L29\x00"))
        return (b"\xff\xd8\xff\xe1\x1c\x45Exif\x00\x00MM\x00*\x00\x00\x00\x08" + cam + b"\x00" * 8,
                b"\xff\xd9")
    if kind == "png":
        return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\xc8\x00\x00\x00\x3c\x08\x06\x00\x00\x00",
                b"\x00\x00\x00\x00IEND\xaeB`\x82")
    if kind in ("zip", "docx", "xlsx"):
        inner = {"docx": b"[Content_Types].xml", "xlsx": b"[Content_Types].xml"}.get(kind, name.encode("utf-8", "replace") or b"document.pdf")
        head = b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + rng.randbytes(16) + len(inner).to_bytes(2, "little") + b"\x00\x00" + inner
        return head, b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00" + rng.randbytes(8) + b"\x00\x00"
    if kind == "gz":
        return b"\x1f\x8b\x08\x00" + rng.randbytes(4) + b"\x00\x03", rng.randbytes(8)
    if kind == "doc":
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b">\x00\x03\x00\xfe\xff", b""
    return b"", b""


KIND_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "zip": "application/zip",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "gz": "application/gzip", "doc": "application/msword"}


# =============================================================================================
# MIME tree
# =============================================================================================

class Text:
    __slots__ = ("subtype", "text", "filename", "disposition", "cte", "charset", "params", "role")

    def __init__(self, subtype, text, filename=None, disposition=None, cte=None, charset=None, params="", role="body"):
        self.subtype, self.text, self.filename, self.disposition = subtype, text, filename, disposition
        self.cte, self.charset, self.params, self.role = cte, charset, params, role


class Binary:
    __slots__ = ("kind", "filename", "size", "disposition", "cid", "ctype")

    def __init__(self, kind, filename, size, disposition="attachment", cid=None, ctype=None):
        self.kind, self.filename, self.size, self.disposition, self.cid = kind, filename, size, disposition, cid
        self.ctype = ctype or KIND_TYPES.get(kind, "application/octet-stream")


class Multi:
    __slots__ = ("subtype", "parts", "params")

    def __init__(self, subtype, parts, params=""):
        self.subtype, self.parts, self.params = subtype, parts, params


class RawPart:
    """A part given as header lines and body text (delivery-status, message/rfc822)."""
    __slots__ = ("headers", "body", "addresses")

    def __init__(self, headers, body, addresses=()):
        self.headers, self.body, self.addresses = headers, body, addresses


# =============================================================================================
# Mail programs: how each one writes headers, MIME structure, quotes and attachments
# =============================================================================================

def _uuid(rng, upper=False):
    h = rng.hexs(32, upper)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.pick('89ab' if not upper else '89AB')}{h[17:20]}-{h[20:]}"


def _by_year(year, table):
    for y, v in table:
        if year <= y:
            return v
    return table[-1][1]


class Style:
    """One mail program at one time. All fields are plain data; see mailer_style()."""
    __slots__ = ("name", "ua", "extra", "hs", "text_cs", "text_cte", "flowed", "html", "html_only",
                 "html_cte", "boundary", "preamble", "date_style", "att_name", "att_size", "quote",
                 "msgid", "signoff", "related_logo", "mime_version", "blank_before_boundary", "lang_hdr")


def mailer_style(name, year, rng, domain, lang="de"):
    s = Style()
    s.name, s.extra, s.flowed, s.html, s.html_only = name, [], False, False, False
    s.hs = HeaderStyle("UTF-8", "Q")
    s.text_cs, s.text_cte, s.html_cte = "UTF-8", "8bit", "quoted-printable"
    s.preamble, s.date_style, s.att_name, s.att_size = "", "std", "2047", False
    s.quote, s.signoff, s.related_logo, s.mime_version = "tb", "", False, "1.0"
    s.blank_before_boundary, s.lang_hdr = True, None
    if name == "thunderbird":
        ver = _by_year(year, [(2012, "10.0.2"), (2013, "17.0.8"), (2014, "24.6.0"), (2015, "31.7.0"), (2016, "45.5.1"),
                              (2017, "52.5.0"), (2018, "60.3.0"), (2019, "60.9.0"), (2020, "78.5.0"), (2021, "91.4.0"),
                              (2022, "102.5.0"), (2023, "115.5.0"), (2024, "115.16.0"), (2025, "128.5.0"), (2026, "140.4.0")])
        osx = rng.pick(("Windows NT 10.0; Win64; x64" if year > 2015 else "Windows NT 6.1; WOW64",
                        "X11; Linux x86_64", "Macintosh; Intel Mac OS X 10.15" if year > 2019 else "Macintosh; Intel Mac OS X 10.9"))
        major = ver.split(".")[0]
        s.ua = ("User-Agent", f"Mozilla/5.0 ({osx}; rv:{major}.0) Gecko/{'20100101' if year > 2013 else '20120129'} Thunderbird/{ver}")
        s.flowed = True
        s.text_cs = "ISO-8859-15" if year < 2016 and lang == "de" and rng.chance(0.7) else "UTF-8"
        s.html = rng.chance(0.25)
        s.html_cte = "8bit"
        s.hs = HeaderStyle(s.text_cs if s.text_cs != "UTF-8" else "UTF-8", "Q")
        s.boundary = (lambda r: "------------" + r.alnum(24)) if year >= 2020 else (lambda r: "------------" + "".join(r.pick("0123456789") for _ in range(24)))
        s.preamble = "This is a multi-part message in MIME format.\n"
        s.att_name = "2231" if year >= 2018 else "2047+2231"
        s.msgid = (lambda r, d: f"<{_uuid(r)}@{d}>") if year >= 2019 else (lambda r, d: f"<{r.hexs(8, True)}.{r.randint(1000000, 9999999)}@{d}>")
        s.lang_hdr = ("Content-Language", "de-DE" if lang == "de" else "en-US") if year >= 2015 else None
        s.quote = "tb"
    elif name in ("outlook", "outlook365", "outlookcom"):
        s.hs = HeaderStyle(rng.pick(("iso-8859-1", "Windows-1252", "utf-8")) if name == "outlook" else "utf-8",
                           "Q" if name == "outlook" else "B")
        s.text_cs = "iso-8859-1" if (name == "outlook" and rng.chance(0.6)) else "utf-8"
        s.text_cte = "quoted-printable"
        s.html = True
        s.preamble = "This is a multipart message in MIME format.\n" if name == "outlook" else ""
        s.quote = "outlook-old" if year < 2017 else "outlook"
        s.att_size = name == "outlook365"
        s.related_logo = rng.chance(0.35)
        if name == "outlook":
            ver = _by_year(year, [(2013, "Microsoft Outlook 14.0"), (2016, "Microsoft Outlook 15.0"), (2100, "Microsoft Outlook 16.0")])
            s.ua = ("X-Mailer", ver)
            tid = rng.b64(22)[:30]
            s.extra = [("Thread-Index", tid)]
            s.lang_hdr = ("Content-Language", "de" if lang == "de" else "en-us")

            def mk_outlook(r, d):
                return f"<{r.pick(('000001', '000101', '001a01', r.hexs(4) + '01'))}d{r.hexs(5)}${r.hexs(8)}${r.hexs(8)}$@{d}>"
            s.msgid = mk_outlook
            s.boundary = lambda r: f"----=_NextPart_000_{r.hexs(4, True)}_01D{r.hexs(5, True)}.{r.hexs(8, True)}"
            s.att_name = "2047"
        else:
            host = rng.pick(("AM0PR04MB", "DB8PR03MB", "VI1PR07MB", "FR2P281MB", "BE1P281MB", "AS8PR02MB"))
            num = rng.randint(1000, 9999)
            region = "eurprd0%d" % rng.randint(1, 9) if host[:2] in ("AM", "DB", "VI", "AS") else "DEUP281"
            s.ua = None
            s.extra = [("Thread-Topic", None), ("Thread-Index", rng.b64(24)[:32]), ("Accept-Language", "de-DE, en-US"),
                       ("X-MS-Has-Attach", None), ("X-MS-TNEF-Correlator", ""), ("x-ms-publictraffictype", "Email"),
                       ("x-ms-exchange-organization-scl", "-1"),
                       ("x-forefront-antispam-report", "CIP:255.255.255.255;CTRY:;LANG:de;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:"
                        f"{host}{num}.{region}.prod.outlook.com;PTR:;CAT:NONE;SFS:(13230031)(4636009)(366004)(39860400002)"
                        "(136003)(396003)(346002)(376002)(186009)(1800799012)(451199024)(64100799003)(55016003)(33656002)"
                        "(86362001)(38070700009)(122000001)(26005)(9686003)(6506007)(7696005)(71200400001);DIR:OUT;SFP:1101;"),
                       ("x-ms-exchange-antispam-messagedata-chunkcount", "1"),
                       ("x-ms-exchange-antispam-messagedata-0", rng.b64(500)),
                       ("MIME-Version", None)]
            s.lang_hdr = ("Content-Language", "de-DE" if lang == "de" else "en-US")
            s.msgid = lambda r, d, h=host, n=num, g=region: f"<{h}{n}{r.hexs(28, True)}@{h}{n}.{g}.prod.outlook.com>"
            s.boundary = lambda r, h=host, n=num, g=region: f"_000_{h}{n}{r.hexs(16, True)}{h}{n}{g}prod_"
            s.att_name = "2047"
    elif name in ("apple", "iphone"):
        build = _by_year(year, [(2013, "1499"), (2015, "1990.1"), (2017, "3124"), (2019, "3445.104.11"),
                                (2021, "3654.120.0.1.13"), (2023, "3731.700.6"), (2100, "3826.500.181.1.5")])
        if name == "apple":
            s.ua = ("X-Mailer", f"Apple Mail (2.{build})")
            s.mime_version = f"1.0 (Mac OS X Mail {_by_year(year, [(2013, '6.6'), (2015, '8.2'), (2017, '10.3'), (2019, '12.4'), (2021, '14.0'), (2023, '16.0'), (2100, '16.0')])} \\({build}\\))"
            s.html = rng.chance(0.5)
        else:
            s.ua = ("X-Mailer", f"iPhone Mail ({_by_year(year, [(2013, '10B329'), (2015, '12H143'), (2017, '14G60'), (2019, '16G102'), (2021, '18H17'), (2023, '20G75'), (2100, '21G93')])})")
            s.mime_version = "1.0 (1.0)"
            s.signoff = "Von meinem iPhone gesendet" if lang == "de" else "Sent from my iPhone"
        s.text_cs, s.text_cte = "utf-8", "quoted-printable"
        s.hs = HeaderStyle("utf-8", "Q")
        s.msgid = lambda r, d: f"<{_uuid(r, True)}@{d}>"
        s.boundary = lambda r: f"Apple-Mail={'_' if r.chance(0.7) else '-'}{_uuid(r, True)}"
        s.att_name = "2231"
        s.quote = "apple"
        s.blank_before_boundary = False
    elif name in ("gmail", "gmailws", "android"):
        s.ua = None
        s.html = True
        s.text_cs, s.text_cte = "UTF-8", "quoted-printable"
        s.hs = HeaderStyle("UTF-8", "B")
        s.msgid = lambda r, d: f"<CA{r.alnum(rng.randint(40, 52), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+_=-')}@mail.gmail.com>"
        s.boundary = lambda r: "0000000000" + r.hexs(18)
        s.quote = "gmail"
        s.att_name = "2047b"
        if name == "android":
            s.signoff = "Gesendet von meinem Android" if lang == "de" else "Sent from my Android"
    elif name in ("gmx", "tonline"):
        s.ua = None
        s.html = True
        s.html_only = rng.chance(0.6)
        s.text_cs, s.text_cte = "UTF-8", "quoted-printable"
        s.hs = HeaderStyle("UTF-8", "Q")
        app = "webde" if domain == "web.de" else "gmx"
        if name == "gmx":
            s.msgid = lambda r, d, a=app: f"<trinity-{_uuid(r)}-{r.randint(1300000000000, 1799999999999)}@3c-app-{a}-b{r.pick('sa')}{r.randint(1, 60):02d}>"
            s.extra = [("Importance", "normal"), ("Sensitivity", "Normal"), ("X-Priority", "3"),
                       ("X-Provags-ID", f"V03:K1:{rng.b64(60)}"), ("X-UI-Message-Type", "mail")]
        else:
            s.msgid = lambda r, d: f"<{r.randint(1300000000000, 1799999999999)}.{r.randint(100000, 999999)}.{r.hexs(16)}@webmail.t-online.de>"
            s.extra = [("X-TOI-MSGID", _uuid(rng)), ("X-Mailer", "T-Online EMail Center")]
        s.boundary = lambda r: f"=_{r.hexs(32)}"
        s.quote = "gmx"
        s.att_name = "2231"
    elif name == "roundcube":
        s.ua = ("User-Agent", f"Roundcube Webmail/{_by_year(year, [(2013, '0.9.5'), (2016, '1.1.5'), (2019, '1.3.8'), (2022, '1.4.13'), (2100, '1.6.6')])}")
        s.flowed = True
        s.text_cte = "quoted-printable" if rng.chance(0.5) else "8bit"
        s.msgid = lambda r, d: f"<{r.hexs(32)}@{d}>"
        s.boundary = lambda r: f"=_{r.hexs(32)}"
        s.quote = "roundcube"
        s.att_name = "2231"
        s.hs = HeaderStyle("UTF-8", "Q")
    elif name == "mutt":
        s.ua = ("User-Agent", _by_year(year, [(2015, "Mutt/1.5.23 (2014-03-12)"), (2019, "Mutt/1.10.1 (2018-07-13)"), (2100, "NeoMutt/20220429")]))
        s.text_cte = "8bit"
        s.msgid = lambda r, d: f"<{r.randint(2011, 2026)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 235959):06d}.{r.alnum(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}@{r.pick(('web01', 'kvm03', 'monitor01'))}.{OP_DOMAIN}>"
        s.boundary = lambda r: r.alnum(16)
        s.quote = "mutt"
        s.att_name = "2231"
        s.hs = HeaderStyle("utf-8", "Q", partial=True)
    else:  # "phpmailer", "java": billing systems, web forms, portals
        s.ua = ("X-Mailer", "PHPMailer 6.%d.%d (https://github.com/PHPMailer/PHPMailer)" % (rng.randint(0, 9), rng.randint(0, 5))) if name == "phpmailer" else None
        s.html = True
        s.text_cte = "quoted-printable"
        s.hs = HeaderStyle(*rng.pick((("UTF-8", "Q"), ("UTF-8", "B"), ("UTF-8", "B"), ("ISO-8859-1", "B"), ("ISO-8859-15", "Q"))))
        if name == "java" and rng.chance(0.3):
            s.text_cte = "base64"
        if name == "phpmailer":
            s.msgid = lambda r, d: f"<{r.alnum(43)}@{d}>"
            s.boundary = lambda r: f"b1_{r.alnum(43)}"
        else:
            s.msgid = lambda r, d: f"<{r.randint(100000000, 2147483647)}.{r.randint(1000, 99999)}.{r.randint(1300000000000, 1799999999999)}@{r.pick(('app', 'mailer', 'jboss'))}{r.randint(1, 20):02d}>"
            s.boundary = lambda r: f"----=_Part_{r.randint(1000, 999999)}_{r.randint(100000000, 2147483647)}.{r.randint(1300000000000, 1799999999999)}"
        s.att_name = "2047"
        s.quote = "tb"
    return s


# =============================================================================================
# Rendering a MIME tree to bytes
# =============================================================================================

def _content_type_line(ctype, params):
    return f"Content-Type: {ctype}{params}"


def _filename_params(fn, style, kind):
    """Content-Type name and Content-Disposition filename parameters as the mailer writes them."""
    if fn.isascii():
        if style == "apple" and " " not in fn:
            return f'; name="{fn}"', f"; filename={fn}"
        return f'; name="{fn}"', f'; filename="{fn}"'
    if style == "2231":
        v = rfc2231(fn)
        return f"; name*={v}", f"; filename*={v}"
    if style == "2047+2231":
        return f'; name="{" ".join(encoded_words(fn, "UTF-8", "B"))}"', f"; filename*={rfc2231(fn)}"
    if style == "2047b":
        e = " ".join(encoded_words(fn, "UTF-8", "B"))
        return f'; name="{e}"', f'; filename="{e}"'
    cs = "iso-8859-1" if encodable(fn, "iso-8859-1") else "utf-8"
    e = " ".join(encoded_words(fn, cs, "Q"))
    return f'; name="{e}"', f'; filename="{e}"'


def _text_body(text, charset, cte):
    data = text.encode(charset, "replace") if charset.lower() not in ("utf-8",) else text.encode("utf-8")
    if cte == "quoted-printable":
        return binascii.b2a_qp(data, istext=True)
    if cte == "base64":
        return base64.encodebytes(data)
    return data


class Renderer:
    def __init__(self, pool):
        self.pool = pool

    def render(self, node, st, rng, found, top_headers=None):
        """(header lines, body bytes); found collects the addresses in text parts."""
        if isinstance(node, Text):
            return self._text(node, st, found)
        if isinstance(node, Binary):
            return self._binary(node, st, rng)
        if isinstance(node, RawPart):
            for a in node.addresses:
                found.add(a.lower())
            if any(h.lower().startswith("content-type: text/") for h in node.headers):
                find_addresses(node.body, found)
            return list(node.headers), node.body.encode("utf-8")
        boundary = st.boundary(rng) if callable(st.boundary) else st.boundary
        if node.subtype == "report":
            boundary = f"{rng.hexs(10, True)}.{rng.randint(1300000000, 1799999999)}/{rng.pick(('mx01', 'mx02'))}.{OP_DOMAIN}"
        chunks = []
        if st.preamble and top_headers is not None:
            chunks.append(st.preamble.encode() + b"\n")
        sep = b"\n" if st.blank_before_boundary else b""
        for child in node.parts:
            h, b = self.render(child, st, rng, found)
            chunks.append(b"--" + boundary.encode() + b"\n" + "\n".join(h).encode("utf-8") + b"\n\n" + b)
            if not b.endswith(b"\n"):
                chunks.append(b"\n")
            chunks.append(sep)
        chunks.append(b"--" + boundary.encode() + b"--\n")
        headers = [f'Content-Type: multipart/{node.subtype};{" " if st.name.startswith("apple") or rng.chance(0.5) else chr(10) + chr(9)}boundary="{boundary}"{node.params}']
        return headers, b"".join(chunks)

    def _text(self, node, st, found):
        find_addresses(node.text, found)
        text = node.text
        charset = node.charset or st.text_cs
        if not encodable(text, charset):
            charset = "UTF-8"
        cte = node.cte or (st.text_cte if node.subtype == "plain" else st.html_cte)
        if text.isascii() and cte in ("8bit",):
            cte = "7bit"
        if cte in ("7bit", "8bit"):
            # 7bit/8bit lines must stay below 998 octets; long lines make the mailer switch to QP
            if any(len(line) > 900 for line in text.split("\n")):
                cte = "quoted-printable"
        if not text.endswith("\n"):
            text += "\n"
        ct = f"Content-Type: text/{node.subtype}; charset={charset if st.name not in ('outlook', 'outlook365', 'outlookcom', 'gmail', 'gmailws', 'android') else chr(34) + charset + chr(34)}"
        if node.subtype == "plain" and st.flowed and node.role == "body":
            ct += "; format=flowed"
        ct += node.params
        headers = []
        if node.filename:
            np, fp = _filename_params(node.filename, st.att_name, "text")
            headers.append(ct + np)
        else:
            headers.append(ct)
        headers.append(f"Content-Transfer-Encoding: {cte}")
        if node.filename:
            headers.append(f"Content-Disposition: {node.disposition or 'attachment'}" + fp)
        elif st.name == "mutt" and node.subtype == "plain":
            headers.append("Content-Disposition: inline")
        return headers, _text_body(text, charset, cte)

    def _binary(self, node, st, rng):
        head, tail = magic(node.kind, rng, node.filename)
        body, real = self.pool.encode(rng, head, node.size, tail)
        np, fp = _filename_params(node.filename, st.att_name, node.kind)
        if st.name == "apple":
            ct = f"Content-Type: {node.ctype};\n\tx-unix-mode=0644" + np.replace("; ", ";\n\t", 1)
        elif st.name.startswith("outlook"):
            ct = f"Content-Type: {node.ctype}" + np.replace("; ", ";\n\t", 1)
        else:
            ct = f"Content-Type: {node.ctype}" + np
        headers = [ct, "Content-Transfer-Encoding: base64"]
        disp = f"Content-Disposition: {node.disposition}" + fp
        if st.att_size and node.disposition == "attachment":
            disp += f"; size={real}"
        if node.cid:
            headers.append(f"Content-ID: <{node.cid}>")
        headers.append(disp)
        if st.name in ("gmail", "gmailws", "android") and node.cid:
            headers.append(f"X-Attachment-Id: {node.cid}")
        return headers, body


# =============================================================================================
# One message
# =============================================================================================

class Msg:
    """What a category generator decides; assemble() turns it into bytes."""

    def __init__(self, cat, ts):
        self.cat, self.ts = cat, ts
        self.zone, self.lang = "eu", "de"
        self.frm, self.to, self.cc, self.reply_to = None, [], [], []
        self.subject = ""
        self.direction = "in"          # in, out (a copy in .Sent), draft, local (from our servers)
        self.style = None
        self.provider = None           # how it reached our MX: see transport()
        self.envelope = None           # Return-Path address ("" for bounces)
        self.rcpt = None               # Delivered-To
        self.folder = None             # chosen by the generator, or by the category default
        self.text, self.html = None, None
        self.attachments = []
        self.root = None               # a complete MIME tree instead of text/html/attachments
        self.extra = []                # (name, value) after the standard headers
        self.top_extra = []            # (name, value) added by our MX (spam verdicts)
        self.in_reply_to, self.references = None, []
        self.spam = None               # None, "ham", "spam-flagged", "spam-missed"
        self.list_headers = []
        self.msgid = None
        self.date_zone = None
        self.inner_addresses = []
        self.sender_domain = None
        self.seen = None               # forced flags
        self.mbox_from = None
        self.extra_related = None
        self.local_host = None
        self.date_ts = None


def letter_text(m, greet, paras, close, sig, quote_lines=None, flowed=False, width=72, top_posting=True):
    """Plain text of a letter; paragraphs are wrapped (flowed: with trailing spaces) or left long."""
    out = []
    if greet:
        out += [greet, ""]
    for p in paras:
        if flowed:
            for para in p.split("\n"):
                lines = wrap(para, width)
                out += [ln + " " for ln in lines[:-1]] + [lines[-1]]
        elif width:
            out += wrap(p, width)
        else:
            out += p.split("\n")
        out.append("")
    if close:
        out.append(close)
    if sig:
        out += sig
    if m.style.signoff:
        out += ["", m.style.signoff]
    if quote_lines:
        out.append("")
        out += quote_lines
    if flowed:
        out = [(" " + ln) if (ln.startswith("From ") or ln.startswith(" ")) else ln for ln in out]
    return "\n".join(out) + "\n"


def para_html(p, flavor):
    e = html_escape(p).replace("\n", "<br>\n")
    e = re.sub(r"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})", r'<a href="mailto:\1">\1</a>', e) if flavor in ("outlook", "gmail") else e
    if flavor == "outlook":
        return f'<p class="MsoNormal">{e}<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
    if flavor == "gmail":
        return f"<div>{e}</div><div><br></div>"
    if flavor == "apple":
        return f'<div class="">{e}</div><div class=""><br class=""></div>'
    if flavor == "gmx":
        return f"<div>{e}</div>\n\n<div>&nbsp;</div>"
    return f"<p>{e}</p>"


OUTLOOK_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=%s">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
<!--[if !mso]><style>v\\:* {behavior:url(#default#VML);}
o\\:* {behavior:url(#default#VML);}
w\\:* {behavior:url(#default#VML);}
.shape {behavior:url(#default#VML);}
</style><![endif]--><style><!--
/* Font Definitions */
@font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face
	{font-family:Calibri;
	panose-1:2 15 5 2 2 2 4 3 2 4;}
@font-face
	{font-family:Verdana;
	panose-1:2 11 6 4 3 5 4 4 2 4;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0cm;
	font-size:11.0pt;
	font-family:"Calibri",sans-serif;
	mso-fareast-language:EN-US;}
a:link, span.MsoHyperlink
	{mso-style-priority:99;
	color:#0563C1;
	text-decoration:underline;}
span.E-MailFormatvorlage17
	{mso-style-type:personal-compose;
	font-family:"Calibri",sans-serif;
	color:windowtext;}
.MsoChpDefault
	{mso-style-type:export-only;
	font-family:"Calibri",sans-serif;
	mso-fareast-language:EN-US;}
@page WordSection1
	{size:612.0pt 792.0pt;
	margin:70.85pt 70.85pt 2.0cm 70.85pt;}
div.WordSection1
	{page:WordSection1;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext="edit">
<o:idmap v:ext="edit" data="1" />
</o:shapelayout></xml><![endif]-->
</head>
<body lang="DE" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">
<div class="WordSection1">
"""


def letter_html(m, greet, paras, close, sig, quote_html=None, logo_cid=None):
    st = m.style
    flavor = {"outlook": "outlook", "outlook365": "outlook", "outlookcom": "outlook", "gmail": "gmail", "gmailws": "gmail",
              "android": "gmail", "apple": "apple", "iphone": "apple", "gmx": "gmx", "tonline": "gmx"}.get(st.name, "tb")
    body = []
    if greet:
        body.append(para_html(greet, flavor))
    body += [para_html(p, flavor) for p in paras]
    if close:
        body.append(para_html(close, flavor))
    sig_html = para_html("\n".join(sig).strip("\n").lstrip("- \n"), flavor) if sig else ""
    if logo_cid:
        sig_html += f'<p class="MsoNormal"><img width="180" height="54" style="width:1.875in;height:.5625in" id="Grafik_x0020_1" src="cid:{logo_cid}" alt="Logo"></p>'
    cs = "utf-8" if st.text_cs.lower() == "utf-8" else st.text_cs
    q = quote_html or ""
    if flavor == "outlook":
        return OUTLOOK_HEAD % cs + "\n".join(body) + "\n" + sig_html + "\n" + q + "\n</div>\n</body>\n</html>\n"
    if flavor == "gmail":
        return ('<div dir="ltr">' + "".join(body) + (f'<div><br></div>-- <br><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature">{sig_html}</div>' if sig_html else "")
                + "</div>" + ("<br>" + q if q else "") + "\n")
    if flavor == "apple":
        return ('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;" class="">'
                + "".join(body) + sig_html + q + "</body></html>\n")
    if flavor == "gmx":
        return ('<html><head></head><body><div style="font-family: Verdana;font-size: 12.0px;">' + "\n".join(body) + "\n" + sig_html
                + q + "</div></body></html>\n")
    return ('<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n  </head>\n  <body>\n    '
            + "\n    ".join(body) + ('\n    <div class="moz-signature">-- <br>\n      ' + sig_html + "\n    </div>" if sig_html else "")
            + ("\n    " + q if q else "") + "\n  </body>\n</html>\n")


# =============================================================================================
# Transport: the Received chain and our MX's verdicts
# =============================================================================================

FREEMAIL_PROVIDER = {
    "gmail.com": "google", "gmx.de": "gmx", "gmx.net": "gmx", "web.de": "webde", "t-online.de": "tonline",
    "outlook.de": "outlookcom", "hotmail.com": "outlookcom", "outlook.com": "outlookcom", "yahoo.de": "yahoo",
    "yahoo.com": "yahoo", "icloud.com": "icloud", "posteo.de": "posteo", "mailbox.org": "mailboxorg",
    "freenet.de": "freenet", "arcor.de": "arcor", "online.de": "ionos", "aol.com": "yahoo", "protonmail.com": "proton",
}

TLS_BY_YEAR = [(2013, "TLSv1 with cipher DHE-RSA-AES256-SHA (256/256 bits)"),
               (2016, "TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)"),
               (2019, "TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)"),
               (2100, "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256")]


def _qid(rng, year):
    if year < 2016:
        return rng.hexs(10, True)
    return rng.alnum(4, "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz") + "z" + rng.alnum(9, "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz")


def outbound_host(rng, provider, domain, year):
    """(helo/ptr name, ip, extra provider-internal hop or None) for the sender's outgoing server."""
    if provider == "google":
        n = rng.randint(1, 99)
        return f"mail-{rng.pick(('wm1', 'ej1', 'ed1', 'lf1', 'wr1', 'yb1', 'pj1'))}-f{n}.google.com", f"209.85.{rng.randint(128, 221)}.{n}", "google"
    if provider in ("gmx", "webde"):
        if provider == "gmx":
            return "mout.gmx.net", f"212.227.{rng.pick((15, 17))}.{rng.randint(15, 22)}", "gmx"
        return "mout.web.de", f"217.72.192.{rng.randint(75, 80)}", "gmx"
    if provider == "tonline":
        n = rng.randint(1, 12)
        return f"mailout{n:02d}.t-online.de", f"194.25.134.{80 + n}", None
    if provider in ("outlookcom", "o365"):
        reg = rng.pick(("EUR05-AM6", "EUR04-DB3", "EUR03-VI1", "DEU01-FR2", "EUR01-HE1", "EUR02-AM0"))
        return f"{reg}-obe.outbound.protection.outlook.com", f"{rng.pick(('40.107', '52.101', '40.92'))}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "o365"
    if provider == "yahoo":
        return f"sonic{rng.randint(301, 330)}-{rng.randint(1, 30)}.consmr.mail.ir2.yahoo.com", f"77.238.{rng.randint(176, 179)}.{rng.randint(1, 254)}", None
    if provider == "icloud":
        return f"mr85p00im-zteg0602150{rng.randint(1, 9)}.me.com", f"17.58.23.{rng.randint(180, 199)}", None
    if provider == "posteo":
        return "mout01.posteo.de", f"185.67.36.{rng.randint(60, 70)}", None
    if provider == "mailboxorg":
        return f"mout-p-{rng.randint(101, 202)}.mailbox.org", f"80.241.56.{rng.randint(150, 180)}", None
    if provider == "freenet":
        return f"mout{rng.randint(1, 3)}.freenet.de", f"195.4.92.{rng.randint(90, 99)}", None
    if provider == "arcor":
        return f"mail-out.m-online.net", f"212.18.0.{rng.randint(9, 10)}", None
    if provider == "proton":
        return f"mail-{rng.randint(4000, 4999)}.protonmail.ch", f"185.70.40.{rng.randint(10, 140)}", None
    if provider == "ionos":
        return "mout.kundenserver.de", f"{rng.pick(('212.227.126', '212.227.17', '217.72.192'))}.{rng.randint(130, 235)}", "ionos"
    if provider == "strato":
        return f"mo{rng.randint(4, 6)}-p00-ob.smtp.rzone.de", f"{rng.pick(('81.169.146', '85.215.255'))}.{rng.randint(160, 230)}", None
    if provider == "gws":
        n = rng.randint(1, 99)
        return f"mail-{rng.pick(('ej1', 'wm1', 'ed1'))}-f{n}.google.com", f"209.85.{rng.randint(128, 221)}.{n}", "google"
    if provider.startswith("esp:"):
        esp = provider[4:]
        n = rng.randint(2, 250)
        return {"mailchimp": (f"mail{n}.atl{rng.randint(11, 251)}.mcdlv.net", f"198.2.{rng.randint(128, 191)}.{n}"),
                "cleverreach": (f"mta{n}.crsend.com", f"46.163.{rng.randint(120, 127)}.{n}"),
                "rapidmail": (f"mx{n}.emsmtp.com", f"91.194.{rng.randint(36, 39)}.{n}"),
                "brevo": (f"smtp-{n}.sendinblue.com", f"77.32.{rng.randint(128, 191)}.{n}"),
                "inxmail": (f"mail{n}.inxserver.de", f"91.198.{rng.randint(2, 3)}.{n}"),
                "hubspot": (f"{n}.hubspotemail.net", f"143.244.{rng.randint(80, 95)}.{n}")}[esp] + (None,)
    if provider == "spam":
        ip = rng.ip(rng.pick((5, 14, 27, 36, 41, 45, 103, 110, 112, 113, 117, 121, 177, 179, 186, 189, 190, 191, 196, 200, 201)))
        a, b, c, d = ip.split(".")
        return rng.pick((f"{d}-{c}-{b}-{a}.dynamic.{rng.pick(('vivozap.com.br', 'airtel.in', 'telecom.net.ar', 'viettel.vn', 'chinanet.cn'))}",
                         f"unknown", f"host{rng.randint(1, 99)}.{rng.alnum(7, 'abcdefghijklmnopqrstuvwxyz')}.{rng.pick(('xyz', 'top', 'ru', 'cn', 'info', 'online'))}",
                         f"ip-{a}-{b}-{c}-{d}.static.{rng.pick(('ovh.net', 'contabo.host', 'vultr.com'))}")), ip, None
    # a company's own server
    return f"mail.{domain}" if provider == "own" else f"static.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.clients.your-server.de", rng.ip(), None


def dkim_header(rng, d, sel, ts, heavy=False, ts_tag=True):
    h = "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type" if not heavy else \
        "from:from:reply-to:subject:subject:date:date:message-id:message-id:to:to:cc:mime-version:mime-version:content-type:content-type:in-reply-to:in-reply-to:references:references"
    b = rng.b64(256)
    bl = "\n\t ".join(b[i:i + 70] for i in range(0, len(b), 70))
    t = f" t={ts};" if ts_tag else ""
    return f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={d};\n\ts={sel};{t} bh={rng.b64(32)};\n\th={h};\n\tb={bl}"


def mx_name(ts):
    return "mx01" if utc_year(ts) < 2021 else "mx02"


def transport(g, m, rng, deliver_ts):
    """Header lines our side and the sender's side added, top to bottom."""
    year = utc_year(m.ts)
    mx = f"{mx_name(m.ts)}.{OP_DOMAIN}"
    rspamd = year >= 2020
    lines = []
    env = m.envelope if m.envelope is not None else m.frm[1]
    rcpt = m.rcpt or f"info@{OP_DOMAIN}"
    lines.append(f"Return-Path: <{env}>")
    lines.append(f"Delivered-To: {rcpt}")
    t_lmtp = deliver_ts
    t_mx = deliver_ts - rng.randint(0, 3)
    qid = _qid(rng, year)
    if year >= 2016:
        lines.append(f"Received: from {mx}\n\tby mail.{OP_DOMAIN} with LMTP\n\tid {rng.b64(16)[:22]}\n\t(envelope-from <{env}>)\n\tfor <{rcpt}>; {fmt_date(t_lmtp, 'eu')}")
    scan = []
    if m.spam in ("spam-flagged",):
        score = round(rng.uniform(6.5, 28.0), 2)
    elif m.spam == "spam-missed":
        score = round(rng.uniform(1.5, 5.9), 2)
    else:
        score = round(rng.uniform(-4.5, 2.5), 2)
    is_flag = m.spam == "spam-flagged"
    if not rspamd:
        tests = ["BAYES_00=-1.9" if score < 2 else ("BAYES_99=3.5" if is_flag else "BAYES_50=0.8"), "DKIM_SIGNED=0.1",
                 "DKIM_VALID=-0.1" if not is_flag else "RDNS_NONE=1.274", "HTML_MESSAGE=0.001",
                 "SPF_PASS=-0.001" if not is_flag else "SPF_SOFTFAIL=0.665"]
        if is_flag:
            tests += rng.sample(["URIBL_BLOCKED=0.001", "RCVD_IN_SBL_CSS=3.335", "MIME_HTML_ONLY=0.723", "FREEMAIL_FORGED_REPLYTO=2.095",
                                 "URIBL_ABUSE_SURBL=1.948", "PYZOR_CHECK=1.985", "RAZOR2_CF_RANGE_51_100=2.43", "HTML_IMAGE_ONLY_24=1.282",
                                 "SUBJ_ALL_CAPS=0.5", "FROM_EXCESS_BASE64=0.001", "MONEY_FRAUD_5=2.999"], 5)
        show = m.spam != "spam-flagged" or rng.chance(0.85)
        if show:
            scan = [f"X-Virus-Scanned: Debian amavisd-new at {mx}",
                    f"X-Spam-Flag: {'YES' if is_flag else 'NO'}", f"X-Spam-Score: {score}",
                    f"X-Spam-Level: {'*' * max(0, int(score))}",
                    "X-Spam-Status: " + ("Yes" if is_flag else "No") + f", score={score} tagged_above=-999 required=6.31\n\ttests=[" +
                    ",\n\t".join(", ".join(tests[i:i + 3]) for i in range(0, len(tests), 3)) + f"]\n\tautolearn={'spam' if is_flag else 'ham'} autolearn_force=no"]
        lines.append(f"Received: from localhost (localhost [127.0.0.1])\n\tby {mx} (Postfix) with ESMTP id {qid}\n\tfor <{rcpt}>; {fmt_date(t_mx, 'eu', 'comment')}")
        lines += scan
        lines.append(f"Received: from {mx} ([127.0.0.1])\n\tby localhost ({mx} [127.0.0.1]) (amavisd-new, port 10024)\n\twith ESMTP id {rng.alnum(12)} for <{rcpt}>;\n\t{fmt_date(t_mx, 'eu', 'comment')}")
    else:
        flagged_hdr = is_flag and rng.chance(0.9)
        if flagged_hdr:
            lines.append("X-Spam-Flag: YES")
            lines.append("X-Spam: Yes")
        if m.spam != "spam-flagged" or flagged_hdr:
            sym = (["BAYES_SPAM(5.10)[99.87%]", "RBL_SPAMHAUS_XBL(4.00)[%s:from]" % rng.ip(), "MIME_HTML_ONLY(0.20)[]", "R_SPF_SOFTFAIL(0.00)[~all]",
                    "FROM_NEQ_ENVFROM(0.00)[]", "ABUSE_SURBL(5.00)[%s:url]" % rng.pick(("bit.ly", "rebrand.ly", "t.co"))] if is_flag else
                   ["BAYES_HAM(-2.99)[99.99%]", "R_DKIM_ALLOW(-0.20)[]", "R_SPF_ALLOW(-0.20)[+ip4]", "MIME_GOOD(-0.10)[multipart/alternative,text/plain]",
                    "DMARC_POLICY_ALLOW(-0.50)[]", "ASN(0.00)[asn:8560, ipnet:212.227.0.0/16, country:DE]", "RCVD_TLS_LAST(0.00)[]"])
            lines.append(f"X-Spamd-Result: default: {'True' if is_flag else 'False'} [{score:.2f} / 15.00];\n\t" + ";\n\t".join(sym))
            lines.append(f"X-Rspamd-Server: {mx_name(m.ts)}")
            lines.append(f"X-Rspamd-Queue-Id: {qid}")
            lines.append(f"X-Rspamd-Action: {'add header' if is_flag else 'no action'}")
    m_spam_headers = lines[:]
    del m_spam_headers
    helo, ip, internal = outbound_host(rng, m.provider, m.sender_domain, year)
    dkim = None
    d = m.sender_domain
    if year >= 2016 and m.provider not in ("spam",):
        if internal == "google":
            dkim = (d if m.provider == "gws" else "gmail.com", _by_year(year, [(2016, "20120113"), (2020, "20161025"), (2022, "20210112"), (2100, "20230601")]))
        elif internal == "gmx":
            dkim = (d, "s31663417" if year >= 2022 else "badeba3b8450")
        elif internal == "o365":
            dkim = (d if m.provider == "outlookcom" else f"{slug(d.split('.')[0])}.onmicrosoft.com", "selector1" if m.provider != "outlookcom" else "selector1")
        elif m.provider.startswith("esp:") or m.provider in ("own", "tonline", "icloud", "posteo", "mailboxorg", "yahoo"):
            dkim = (d, rng.pick(("default", "mail", "dkim", "s1", "k1", "202301", "20161025")) if m.provider != "tonline" else "20191014")
    if year >= 2016 and dkim:
        auth = (f"Authentication-Results: {mx};\n\tdkim=pass (2048-bit key; unprotected) header.d={dkim[0]} header.i=@{dkim[0]} header.a=rsa-sha256 header.s={dkim[1]} header.b={rng.alnum(8)};"
                f"\n\tspf=pass (mailfrom) smtp.mailfrom={env.split('@')[-1] if env else 'mx'};\n\tdmarc=pass (p=none dis=none) header.from={m.frm[1].split('@')[1]}")
        lines.append(auth)
    elif year >= 2016:
        lines.append(f"Authentication-Results: {mx};\n\tdkim=none;\n\tspf={'softfail' if m.provider == 'spam' else 'none'} (mailfrom) smtp.mailfrom={(env or '@x').split('@')[-1]}")
    if year >= 2016 and rng.chance(0.4) and m.provider != "spam":
        lines.append(f"Received-SPF: Pass (mailfrom) identity=mailfrom; client-ip={ip}; helo={helo};\n\tenvelope-from={env}; receiver=<UNKNOWN>")
    t_out = t_mx - rng.randint(0, 2)
    if m.provider == "spam":
        helo_str = rng.pick((f"[{ip}]", rng.alnum(8).lower(), "User", "localhost", f"{rng.alnum(6).lower()}.com"))
        lines.append(f"Received: from {helo} (unknown [{ip}])\n\tby {mx} (Postfix) with {'ESMTPS' if rng.chance(0.4) else 'ESMTP'} id {qid}\n\tfor <{rcpt}>; {fmt_date(t_out, 'eu', 'comment')}")
        if rng.chance(0.5):
            lines.append(f"Received: from {helo_str} ({rng.ip(10)}) by {rng.alnum(6).lower()}.{rng.pick(('com', 'net'))} with ESMTP; {fmt_date(t_out - rng.randint(5, 4000), 'fixed:%d' % rng.pick((-18000, 28800, 10800, 0, 19800)))}")
    else:
        tls = _by_year(year, TLS_BY_YEAR)
        lines.append(f"Received: from {helo} ({helo} [{ip}])\n\t(using {tls})\n\t(No client certificate requested)\n\tby {mx} (Postfix) with ESMTPS id {qid}\n\tfor <{rcpt}>; {fmt_date(t_out, 'eu', 'comment')}")
    if dkim:
        lines.append("DKIM-Signature: " + dkim_header(rng, dkim[0], dkim[1], m.ts, heavy=internal == "google"))
    if internal == "o365" and year >= 2019:
        lines.append(f"ARC-Seal: i=1; a=rsa-sha256; s=arcselector9901; d=microsoft.com; cv=none;\n\tb={rng.b64(256)}")
        lines.append(f"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com;\n\ts=arcselector9901;\n\th=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-AntiSpam-MessageData-ChunkCount:X-MS-Exchange-AntiSpam-MessageData-0:X-MS-Exchange-AntiSpam-MessageData-1;\n\tbh={rng.b64(32)};\n\tb={rng.b64(256)}")
        lines.append("ARC-Authentication-Results: i=1; mx.microsoft.com 1; spf=pass\n\tsmtp.mailfrom=%s; dmarc=pass action=none\n\theader.from=%s; dkim=pass\n\theader.d=%s; arc=none" % (d, d, d))
        lines.append(f"Received: from {rng.pick(('AM0PR04MB', 'DB8PR03MB', 'VI1PR07MB'))}{rng.randint(1000, 9999)}.eurprd04.prod.outlook.com\n\t([fe80::{rng.hexs(4)}:{rng.hexs(4)}:{rng.hexs(4)}:{rng.hexs(4)}]) by\n\t{rng.pick(('AM0PR04MB', 'DB8PR03MB'))}{rng.randint(1000, 9999)}.eurprd04.prod.outlook.com\n\t([fe80::{rng.hexs(4)}:{rng.hexs(4)}:{rng.hexs(4)}:{rng.hexs(4)}%5]) with mapi id 15.20.{rng.randint(6000, 8999)}.{rng.randint(10, 40)}; {fmt_date(m.ts, 'fixed:0')}")
    elif internal == "google":
        lines.append(f"Received: by {helo} with SMTP id {rng.alnum(20, 'abcdefghijklmnopqrstuvwxyz0123456789')}.{rng.randint(1, 9)}\n\tfor <{rcpt}>; {fmt_date(m.ts + 1, 'fixed:-28800' if year > 2016 else 'fixed:-25200')}")
        if year >= 2016:
            lines.append(f"X-Google-Smtp-Source: {rng.b64(66)}")
            lines.append(f"X-Received: by 2002:a05:{rng.hexs(4)}:{rng.hexs(4)} with SMTP id {rng.alnum(10).lower()}{rng.randint(100000, 999999)}{rng.alnum(3).lower()}.{rng.randint(1, 99)}.{rng.randint(1000000000000, 1799999999999)};\n        {fmt_date(m.ts + 1, 'fixed:-28800')}")
    elif internal == "gmx":
        lines.append(f"Received: from [{rng.pick(('192.168.178', '192.168.2', '10.0.0'))}.{rng.randint(2, 60)}] ([{rng.ip()}]) by mail.{'gmx.net' if 'gmx' in (d or '') else 'web.de'}\n\t(mrgmx{rng.randint(1, 9):03d} [212.227.17.{rng.randint(180, 200)}]) with ESMTPSA (Nemesis) id 1M{rng.alnum(14)}-{rng.hexs(3)}; {fmt_date(m.ts, 'eu')}")
    elif internal == "ionos":
        lines.append(f"Received: from [{rng.ip()}] ([{rng.ip()}]) by mrelayeu.kundenserver.de\n\t(mreue{rng.randint(100, 112)} [212.227.15.{rng.randint(160, 190)}]) with ESMTPSA (Nemesis) id 1M{rng.alnum(14)}-{rng.hexs(3)}; {fmt_date(m.ts, 'eu')}")
    elif m.provider == "own" and rng.chance(0.6):
        lines.append(f"Received: from [{rng.pick(('192.168.1', '192.168.10', '172.16.0'))}.{rng.randint(2, 200)}] ({rng.pick(('p5B0C', 'dslb-178-', 'ip-88-'))}{rng.randint(100, 999)}.dip0.t-ipconnect.de [{rng.ip(rng.pick((79, 87, 91, 93)))}])\n\t(Authenticated sender: {m.frm[1]})\n\tby mail.{d} (Postfix) with ESMTPSA id {_qid(rng, year)}; {fmt_date(m.ts, 'eu', 'comment')}")
    return lines


def local_transport(m, rng, deliver_ts, host):
    """System mail generated on one of our hosts and relayed by our MX."""
    year = utc_year(m.ts)
    mx = f"{mx_name(m.ts)}.{OP_DOMAIN}"
    rcpt = m.rcpt or f"root@{OP_DOMAIN}"
    env = m.envelope if m.envelope is not None else m.frm[1]
    lines = [f"Return-Path: <{env}>", f"Delivered-To: {rcpt}"]
    if year >= 2016:
        lines.append(f"Received: from {mx}\n\tby mail.{OP_DOMAIN} with LMTP\n\tid {rng.b64(16)[:22]}\n\t(envelope-from <{env}>)\n\tfor <{rcpt}>; {fmt_date(deliver_ts, 'eu')}")
    if host != mx_name(m.ts):
        lines.append(f"Received: from {host}.{OP_DOMAIN} ({host}.{OP_DOMAIN} [{OP_LAN.get(host, '10.0.0.9')}])\n\tby {mx} (Postfix) with ESMTP id {_qid(rng, year)}\n\tfor <{rcpt}>; {fmt_date(deliver_ts - 1, 'eu', 'comment')}")
    if m.envelope != "":
        lines.append(f"Received: by {host}.{OP_DOMAIN} (Postfix, from userid 0)\n\tid {_qid(rng, year)}; {fmt_date(m.ts, 'eu', 'comment')}")
    return lines


# =============================================================================================
# Letter pieces: greetings, signatures, quotes, amounts
# =============================================================================================

WOCHENTAGE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
WT_KURZ = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")
MON_KURZ = ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.")

OP_ROLE_ADDRS = {"info": f"info@{OP_DOMAIN}", "buchhaltung": f"buchhaltung@{OP_DOMAIN}", "rechnung": f"rechnung@{OP_DOMAIN}",
                 "bewerbung": f"bewerbung@{OP_DOMAIN}", "jobs": f"jobs@{OP_DOMAIN}", "datenschutz": f"datenschutz@{OP_DOMAIN}",
                 "support": f"support@{OP_DOMAIN}", "vertrieb": f"vertrieb@{OP_DOMAIN}", "root": f"root@{OP_DOMAIN}",
                 "noreply": f"noreply@{OP_DOMAIN}", "postmaster": f"postmaster@{OP_DOMAIN}", "abuse": f"abuse@{OP_DOMAIN}"}


def greet(r, p, lang, formal=True):
    if p is None:
        return r.pick(("Sehr geehrte Damen und Herren,", "Guten Tag,", "Hallo,")) if lang == "de" else \
            r.pick(("Dear Sir or Madam,", "Hello,", "Hi,", "Dear team,"))
    last = p.last
    if lang == "de":
        herr = "Herr" if p.gender == "m" else "Frau"
        tit = (p.title + " ") if p.title else ""
        if formal:
            return r.wpick([(f"Sehr geehrte{'r' if p.gender == 'm' else ''} {herr} {tit}{last},", 50), (f"Guten Tag {herr} {last},", 20),
                            (f"Hallo {herr} {last},", 18), ("Sehr geehrte Damen und Herren,", 8), (f"Moin {herr} {last},", 4)])
        return r.wpick([(f"Hallo {p.first},", 50), (f"Hi {p.first},", 20), (f"Liebe{'r' if p.gender == 'm' else ''} {p.first},", 15),
                        (f"Moin {p.first},", 10), (f"Hey {p.first}!", 5)])
    if formal:
        return r.wpick([(f"Dear {'Mr' if p.gender == 'm' else 'Ms'} {last},", 50), (f"Hello {p.first},", 25), ("Dear Sir or Madam,", 5),
                        (f"Hi {p.first},", 20)])
    return r.pick((f"Hi {p.first},", f"Hey {p.first}!", f"Dear {p.first},", f"Hello {p.first},"))


def closing(r, lang, formal=True):
    if lang == "de":
        if formal:
            return r.wpick([("Mit freundlichen Grüßen", 50), ("Freundliche Grüße", 20), ("Viele Grüße", 15), ("Beste Grüße", 10), ("MfG", 2),
                            ("Mit freundlichem Gruß", 3)])
        return r.wpick([("Viele Grüße", 30), ("LG", 15), ("Liebe Grüße", 25), ("Bis bald", 10), ("Gruß", 10), ("Herzliche Grüße", 10)])
    if formal:
        return r.wpick([("Best regards,", 40), ("Kind regards,", 35), ("Many thanks and best regards,", 10), ("Sincerely,", 5), ("Best,", 10)])
    return r.pick(("Cheers,", "Best,", "Love,", "See you soon,", "Take care,"))


def sig_person(r, p, lang, full_p=0.55, mail_p=0.65):
    """Signature lines of a correspondent, often with the e-mail address."""
    lines = ["-- "] if r.chance(0.45) else [""]
    lines.append(p.name if r.chance(0.8) else p.plain)
    c = p.company
    if c is None:
        if r.chance(0.4):
            lines.append(r.pick((f"Tel. {p.phone}", f"Mobil: {p.mobile}", p.mobile, f"Handy {p.mobile}")) if lang == "de" else f"Phone: {p.mobile}")
        if r.chance(0.3):
            lines += [p.street, p.city]
        if r.chance(mail_p * 0.5):
            lines.append(p.addr)
        return lines
    if p.role and r.chance(0.6):
        lines.append(p.role)
    lines.append(c.name)
    lines.append(c.street if r.chance(0.5) else f"{c.street} | {c.city}")
    if not lines[-1].endswith(c.city):
        lines.append(c.city)
    tel = "Tel." if lang == "de" else "Phone"
    lines.append(f"{tel} {p.phone}" + (f" | Fax {c.phone[:-1]}9" if r.chance(0.2) else ""))
    if r.chance(mail_p):
        lines.append(r.pick((f"E-Mail: {p.addr}", f"Mail: {p.addr}", p.addr, f"mailto:{p.addr}")) if lang == "de"
                     else r.pick((f"Email: {p.addr}", p.addr, f"E: {p.addr}")))
    lines.append(r.pick((f"www.{c.domain}", f"https://www.{c.domain}", f"Web: www.{c.domain}")))
    if r.chance(full_p) and c.register:
        lines.append("")
        if lang == "de":
            lines.append(f"{c.name} | Sitz: {c.city.split(' ', 1)[1]} | {c.register}")
            if c.ceo and c.ceo is not p:
                lines.append(f"Geschäftsführung: {c.ceo.plain}")
        else:
            lines.append(f"{c.name}, registered in {c.city.rsplit(' ', 2)[0] if c.country in ('UK',) else c.city}, {c.register}")
        if r.chance(0.35):
            lines.append("")
            lines += (["Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie nicht",
                       "der richtige Adressat sind oder diese E-Mail irrtümlich erhalten haben, informieren Sie bitte",
                       "sofort den Absender und vernichten Sie diese Mail. Das unerlaubte Kopieren sowie die unbefugte",
                       "Weitergabe dieser Mail ist nicht gestattet."] if lang == "de" else
                      ["This e-mail may contain confidential and/or privileged information. If you are not the intended",
                       "recipient (or have received this e-mail in error) please notify the sender immediately and destroy",
                       "this e-mail. Any unauthorised copying, disclosure or distribution is strictly forbidden."])
    return lines


def sig_staff(r, p, lang="de", short=False):
    lines = ["-- "] if p.mailer in ("thunderbird", "mutt") else [""]
    lines.append(p.plain)
    if short:
        return lines
    lines.append(p.role if lang == "de" else {"Geschäftsführer": "Managing Director", "Buchhaltung": "Accounting",
                                               "Systemadministration": "System Administration"}.get(p.role, "Customer Care"))
    lines += ["", OP_NAME, OP_STREET, OP_CITY, ""]
    lines.append(f"Tel.: {p.phone}" if lang == "de" else f"Phone: {p.phone}")
    lines.append(f"Fax: {OP_FAX}")
    lines.append(f"E-Mail: {p.addr}" if lang == "de" else f"Email: {p.addr}")
    lines.append(f"Web: https://www.{OP_DOMAIN}")
    lines.append("")
    lines.append(f"Geschäftsführer: Thomas Muster | {OP_REGISTER} | USt-IdNr.: {OP_VAT}")
    return lines


def de_money(x):
    s = f"{x:,.2f}"
    return s.replace(",", "X").replace(".", ",").replace("X", ".")


def money(x, lang, style=0):
    if lang == "de":
        return (f"{de_money(x)} EUR", f"{de_money(x)} €", f"EUR {de_money(x)}")[style % 3]
    return (f"EUR {x:,.2f}", f"€{x:,.2f}", f"{x:,.2f} EUR")[style % 3]


def vat_rate(ts):
    t = datetime.datetime.fromtimestamp(ts, UTC)
    return 0.16 if (t.year == 2020 and t.month >= 7) else 0.19


def make_quote(m, r, prev, to_name=None):
    """Quoted text of an earlier message (prev: dict name, addr, ts, paras, subject, sig) in the style of m's mailer."""
    st, lang = m.style, m.lang
    t = local_dt(prev["ts"], "eu")
    name, addr = prev["name"], prev["addr"]
    body = []
    for p in prev["paras"]:
        body += wrap(p, 70) + [""]
    body += [ln for ln in prev.get("sig", []) if ln != "-- "]
    q = st.quote
    pre = ">" if (q in ("tb", "roundcube") and r.chance(0.2)) else "> "
    if q in ("tb", "roundcube"):
        if lang == "de":
            head = f"Am {t.day:02d}.{t.month:02d}.{t.year % 100:02d} um {t.hour:02d}:{t.minute:02d} schrieb {name}:" if q == "tb" else \
                f"Am {t.day:02d}.{t.month:02d}.{t.year} {t.hour:02d}:{t.minute:02d}, schrieb {name}:"
        else:
            head = f"On {t.day:02d}.{t.month:02d}.{t.year % 100:02d} {t.hour:02d}:{t.minute:02d}, {name} wrote:" if q == "tb" else \
                f"On {t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}, {name} wrote:"
        lines = [head] + [(pre + ln).rstrip() if ln else pre.strip() for ln in body]
    elif q == "gmail":
        if lang == "de":
            head = f"Am {WT_KURZ[t.weekday()]}, {t.day}. {MON_KURZ[t.month - 1]} {t.year} um {t.hour:02d}:{t.minute:02d} Uhr schrieb {name} <{addr}>:"
        else:
            h12 = t.hour % 12 or 12
            head = f"On {WEEKDAYS[t.weekday()]}, {MONTHS[t.month - 1]} {t.day}, {t.year} at {h12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'} {name} <{addr}> wrote:"
        lines = wrap(head, 76) + [""] + [("> " + ln).rstrip() if ln else ">" for ln in body]
    elif q == "apple":
        head = f"Am {t.day:02d}.{t.month:02d}.{t.year} um {t.hour:02d}:{t.minute:02d} schrieb {name} <{addr}>:" if lang == "de" else \
            f"On {t.day} {MONTHS[t.month - 1]} {t.year}, at {t.hour:02d}:{t.minute:02d}, {name} <{addr}> wrote:"
        lines = ["> " + head, "> "] + [("> " + ln).rstrip() if ln else ">" for ln in body]
    elif q in ("outlook", "outlook-old"):
        if lang == "de":
            sent = f"{WOCHENTAGE[t.weekday()]}, {t.day}. {MONATE[t.month - 1]} {t.year} {t.hour:02d}:{t.minute:02d}"
            lines = (["-----Ursprüngliche Nachricht-----", f"Von: {name} [mailto:{addr}] "] if q == "outlook-old" else
                     ["", f"Von: {name} <{addr}> "])
            lines += [f"Gesendet: {sent}", f"An: {to_name or 'info@' + OP_DOMAIN}", f"Betreff: {prev['subject']}", ""]
        else:
            sent = f"{('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')[t.weekday()]}, {MONTHS_EN[t.month - 1]} {t.day}, {t.year} {t.hour % 12 or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"
            lines = (["-----Original Message-----", f"From: {name} [mailto:{addr}] "] if q == "outlook-old" else
                     ["", f"From: {name} <{addr}> "])
            lines += [f"Sent: {sent}", f"To: {to_name or 'info@' + OP_DOMAIN}", f"Subject: {prev['subject']}", ""]
        lines = ["_" * 32] + lines if q == "outlook" and r.chance(0.5) else lines
        lines += body
    elif q == "gmx":
        lines = ["", f"Gesendet: {WOCHENTAGE[t.weekday()]}, {t.day:02d}. {MONATE[t.month - 1]} {t.year} um {t.hour:02d}:{t.minute:02d} Uhr",
                 f'Von: "{name}" <{addr}>', f"An: {to_name or 'info@' + OP_DOMAIN}", f"Betreff: {prev['subject']}", ""] + body
    else:  # mutt
        off = zone_offset("eu", prev["ts"])
        head = f"On {WEEKDAYS[t.weekday()]}, {MONTHS[t.month - 1]} {t.day:02d}, {t.year} at {t.hour % 12 or 12:02d}:{t.minute:02d}:{t.second:02d}{'AM' if t.hour < 12 else 'PM'} +0{off // 3600}00, {name} wrote:"
        lines = [head] + [("> " + ln).rstrip() if ln else ">" for ln in body]
    # the HTML form of the quote
    hbody = "".join(f"<div>{html_escape(ln)}</div>" if ln else "<div><br></div>" for ln in body)
    if q == "gmail":
        qh = (f'<div class="gmail_quote"><div dir="ltr" class="gmail_attr">{html_escape(head)}<br></div>'
              f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">{hbody}</blockquote></div>')
    elif q.startswith("outlook"):
        hdr = "<br>\n".join(html_escape(ln) for ln in lines[:6] if ln and not ln.startswith("_"))
        qh = f'<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal">{hdr}<o:p></o:p></p></div>\n<p class="MsoNormal">{hbody}</p>'
    else:
        qh = f'<div class="moz-cite-prefix">{html_escape(lines[0].lstrip("> "))}<br></div><blockquote type="cite">{hbody}</blockquote>'
    return lines, qh


REPLY = {"de": ("AW: ", "Re: ", "AW: ", "RE: ", "Aw: ", "Re: "), "en": ("Re: ", "RE: ", "Re: ")}
FWD = {"de": ("WG: ", "Fwd: ", "FW: "), "en": ("Fwd: ", "FW: ")}


def reply_subject(r, lang, subj, style_name):
    if style_name.startswith("outlook"):
        p = "AW: " if lang == "de" else "RE: "
    elif style_name in ("gmx",):
        p = "Aw: " if lang == "de" else "Re: "
    else:
        p = "Re: "
    s = subj
    while s[:4] in ("AW: ", "Re: ", "RE: ", "Aw: ", "WG: ", "FW: ") or s[:5] == "Fwd: ":
        s = s.split(": ", 1)[1]
    if r.chance(0.15):
        return p + p + s if r.chance(0.3) else p + subj
    return p + s


# =============================================================================================
# The generator: world + pool + one Rng for the message stream
# =============================================================================================

COMPANY_PROVIDER = {"own": "own", "o365": "o365", "ionos": "ionos", "strato": "strato", "hetznerish": "hetznerish", "gws": "gws"}


class Gen:
    def __init__(self, seed, today):
        self.seed = seed
        self.world = World(seed)
        self.pool = Pool(seed)
        self.renderer = Renderer(self.pool)
        self.rng = Rng(f"{GENERATOR_TAG}:{seed}:messages")
        self.today = today
        self.threads = {}
        self.counters = {}
        self.used_msgids = set()
        w = self.world
        fmts = ["{y}-{n:04d}", "INV-{n}", "RE{n}", "R{y}{n:05d}", "{n}", "RG-{y}-{n:05d}", "{y}{n:06d}", "INV{y}-{n:05d}"]
        self.inv_fmt = {c.domain: fmts[i % len(fmts)] for i, c in enumerate(w.suppliers)}

    # -- bookkeeping ---------------------------------------------------------------------
    def count(self, key, start, step=(1, 3)):
        v = self.counters.get(key, start)
        v += self.rng.randint(*step)
        self.counters[key] = v
        return v

    def remember(self, key, m, author_name, author_addr, paras, sig):
        lst = self.threads.setdefault(key, [])
        lst.append({"name": author_name, "addr": author_addr, "ts": m.ts, "paras": paras, "subject": m.subject,
                    "sig": sig, "m": m})
        if len(lst) > 3:
            del lst[0]

    def last(self, key):
        lst = self.threads.get(key)
        return lst[-1] if lst else None

    # -- senders -------------------------------------------------------------------------
    def use(self, m, p, lang=None):
        """An incoming message written by person p with p's own mail program."""
        r = self.rng
        m.frm = (p.name if r.chance(0.93) else "", p.addr)
        m.lang = lang or p.lang
        dom = p.addr.split("@")[1]
        m.sender_domain = dom
        m.zone = p.zone
        m.style = mailer_style(p.mailer, utc_year(m.ts), r, dom, m.lang)
        m.provider = FREEMAIL_PROVIDER.get(dom) or COMPANY_PROVIDER.get(p.company.host if p.company else "own", "own")
        m.envelope = p.addr

    def use_system(self, m, name, addr, mailer, provider, lang="de", zone="eu"):
        r = self.rng
        m.frm = (name, addr)
        m.lang = lang
        m.sender_domain = addr.split("@")[1]
        m.zone = zone
        m.style = mailer_style(mailer, utc_year(m.ts), r, m.sender_domain, lang)
        m.provider = provider
        m.envelope = addr

    def use_staff(self, m, s, lang="de"):
        """A message written by staff member s: a copy in .Sent."""
        m.frm = (s.plain, s.addr)
        m.lang = lang
        m.direction = "out"
        m.sender_domain = OP_DOMAIN
        m.zone = "eu"
        m.style = mailer_style(s.mailer, utc_year(m.ts), self.rng, OP_DOMAIN, lang)

    def op_to(self, role=None, person=None):
        r = self.rng
        if person is not None:
            return (person.plain if r.chance(0.7) else "", person.addr)
        addr = OP_ROLE_ADDRS[role or "info"]
        return (r.pick(("", "", OP_NAME, "Muster Hosting")), addr)

    # -- bodies --------------------------------------------------------------------------
    def letter(self, m, author, greeting, paras, close, sig, prev=None, to_name=None, remember_key=None):
        st = m.style
        qt = qh = None
        if prev is not None:
            qt, qh = make_quote(m, self.rng, prev, to_name)
            pm = prev["m"]
            m.in_reply_to = pm.msgid
            refs = list(pm.references or [])
            if pm.msgid:
                refs.append(pm.msgid)
            m.references = refs[-8:]
        flowed = st.flowed
        width = 72 if st.name in ("thunderbird", "mutt", "roundcube") else 0
        m.text = letter_text(m, greeting, paras, close, sig, qt, flowed, width)
        if st.html or st.html_only:
            logo = None
            if st.related_logo:
                logo = f"image001.png@01D{self.rng.hexs(5, True)}.{self.rng.hexs(8, True)}"
                m.extra_related = logo
            m.html = letter_html(m, greeting, paras, close, sig, qh, logo)
        if remember_key:
            self.remember(remember_key, m, m.frm[0] or m.frm[1], m.frm[1], paras, sig)

    def attach(self, m, kind, filename, size, disposition="attachment"):
        total = sum(a.size for a in m.attachments if isinstance(a, Binary))
        size = max(300, min(size, MAX_ATTACH_DECODED - total))
        cid = None
        if m.style.name in ("gmail", "gmailws", "android"):
            cid = f"f_{self.rng.alnum(9, 'abcdefghijklmnopqrstuvwxyz0123456789')}{self.rng.randint(0, 9)}"
        m.attachments.append(Binary(kind, filename, size, disposition, cid))

    def pdf_size(self, kind="doc"):
        r = self.rng
        if kind == "invoice":
            return r.lognorm_int(55_000, 0.8, 9_000, 900_000)
        if kind == "scan":
            return r.lognorm_int(300_000, 0.9, 60_000, 5_500_000)
        if kind == "cv":
            return r.lognorm_int(220_000, 0.8, 40_000, 4_000_000)
        return r.lognorm_int(80_000, 1.0, 15_000, 3_000_000)

    def photo_size(self):
        return self.rng.lognorm_int(900_000, 0.7, 80_000, 5_500_000)


# =============================================================================================
# Category: accounting-document
# =============================================================================================

def _period(ts, lang):
    t = local_dt(ts, "eu")
    mo = t.month - 1 if t.month > 1 else 12
    y = t.year if t.month > 1 else t.year - 1
    return f"{MONATE[mo - 1]} {y}" if lang == "de" else f"{MONTHS_EN[mo - 1]} {y}"


def _inv_lines(r, lang, ts, items):
    net = sum(q * p for _, q, p in items)
    vat = round(net * vat_rate(ts), 2)
    rows = []
    if lang == "de":
        rows.append("Pos  Bezeichnung                        Menge    Einzelpreis       Gesamt")
    else:
        rows.append("Item Description                         Qty     Unit price        Total")
    rows.append("-" * 72)
    for i, (name, q, p) in enumerate(items, 1):
        rows.append(f"{i:<4} {name[:34]:<34} {q:>5} {money(p, lang):>14} {money(q * p, lang):>12}")
    rows.append("-" * 72)
    pct = int(round(vat_rate(ts) * 100))
    if lang == "de":
        rows += [f"{'Nettobetrag':<56}{money(net, lang):>16}", f"{'zzgl. %d %% USt.' % pct:<56}{money(vat, lang):>16}",
                 f"{'Rechnungsbetrag':<56}{money(net + vat, lang):>16}"]
    else:
        rows += [f"{'Net amount':<56}{money(net, lang):>16}", f"{'VAT %d %%' % pct:<56}{money(vat, lang):>16}",
                 f"{'Total due':<56}{money(net + vat, lang):>16}"]
    return "\n".join(rows), net + vat


def gen_accounting(g, m):
    r, w = g.rng, g.world
    kind = r.wpick([("supplier", 40), ("sent", 13), ("billing_copy", 9), ("credit", 5), ("receipt", 8), ("bank", 7),
                    ("reminder", 5), ("travel", 5), ("payflux", 6), ("tax_invoice", 2)])
    year = local_dt(m.ts, "eu").year
    if kind in ("supplier", "credit", "reminder"):
        c = r.pick(w.suppliers)
        lang = c.lang
        n = g.count(("inv", c.domain), r.randint(1000, 40000), (1, 25))
        no = g.inv_fmt[c.domain].format(y=year, n=n)
        cust = f"{r.randint(10000, 99999)}" if c.domain not in g.counters else str(g.counters.get(("cust", c.domain), 10023))
        g.counters[("cust", c.domain)] = int(cust)
        items = [(r.pick(("Colocation 1 HE", "Traffic-Paket 10 TB", "IPv4-Netz /28", "Stromkontingent 2 kW", "Domain-Registrierung .de (x%d)" % r.randint(5, 80),
                          "Remote Hands (30 Min.)", "Festplatte 4 TB SAS", "Server Dell R650", "Lizenz Windows Server 2022", "Toner HP 59A",
                          "Kopierpapier A4 (5 Kartons)", "Kaffeebohnen Crema 6 kg", "Büroreinigung", "Cloud Backup 2 TB", "SSL Wildcard (1 Jahr)",
                          "Monitoring Pro (monthly)", "Website Redesign (milestone 2)", "Telefonanschluss Business", "Strom Abschlag")),
                  r.randint(1, 4), round(r.lognormvariate(4.2, 1.0), 2)) for _ in range(r.randint(1, 4))]
        table, total = _inv_lines(r, lang, m.ts, items)
        billing_person = c.people[0]
        from_noreply = c.billing.startswith(("noreply", "no-reply", "kundenservice", "service", "receipts"))
        if from_noreply or r.chance(0.6):
            g.use_system(m, c.name if r.chance(0.8) else "", c.billing, r.pick(("phpmailer", "java")) if from_noreply else c.mailer if c.mailer in ("outlook", "thunderbird") else "outlook",
                         COMPANY_PROVIDER.get(c.host, "own"), lang)
            if not from_noreply:
                m.style = mailer_style("outlook", utc_year(m.ts), r, c.domain, lang)
            author = None
        else:
            g.use(m, billing_person, lang)
            author = billing_person
        m.to = [g.op_to(r.pick(("buchhaltung", "rechnung", "info") + (("jobs", "bewerbung", "datenschutz") if MIX == "hard" else ())))]
        m.rcpt = m.to[0][1]
        fname = r.pick((f"Rechnung_{no}.pdf", f"RE{no}.pdf", f"Rechnung {no}.pdf", f"{no}.pdf", f"Rechnung-{no}-{slug(OP_NAME, '_')}.pdf")) if lang == "de" else \
            r.pick((f"invoice-{no}.pdf", f"Invoice_{no}.pdf", f"{no}.pdf", f"{slug(c.name, '-')}-invoice-{no}.pdf"))
        due = de_date(m.ts + 14 * 86400) if lang == "de" else en_date(m.ts + 14 * 86400)
        if kind == "credit":
            gsno = f"GS-{year}-{g.count(('gs', c.domain), 1, (1, 2)):04d}"
            m.subject = r.pick((f"Gutschrift {gsno}", f"Ihre Gutschrift Nr. {gsno}", f"Gutschrift zu Rechnung {no}")) if lang == "de" else \
                r.pick((f"Credit note {gsno}", f"Your credit note {gsno} from {c.name}"))
            paras = ([f"anbei erhalten Sie die Gutschrift {gsno} zu unserer Rechnung {no} über {money(total * r.uniform(0.1, 1), lang)}.",
                      r.pick(("Der Betrag wird mit der nächsten Rechnung verrechnet.", "Wir überweisen Ihnen den Betrag in den nächsten Tagen auf Ihr Konto.",
                              "Die Gutschrift erfolgt aufgrund der Störung vom " + de_date(m.ts - r.randint(5, 40) * 86400) + " gemäß SLA."))] if lang == "de" else
                     [f"please find attached credit note {gsno} for invoice {no}.", "The amount will be offset against your next invoice."])
            fname = f"Gutschrift_{gsno}.pdf" if lang == "de" else f"credit-note-{gsno}.pdf"
        elif kind == "reminder":
            m.subject = r.pick((f"Zahlungserinnerung zu Rechnung {no}", f"Erinnerung: Rechnung {no} ist noch offen", f"1. Mahnung Rechnung Nr. {no}")) if lang == "de" else \
                r.pick((f"Payment reminder: invoice {no}", f"Overdue invoice {no}"))
            paras = ([f"sicher haben Sie es im Tagesgeschäft übersehen: Unsere Rechnung {no} vom {de_date(m.ts - 30 * 86400)} über {money(total, lang)} ist noch nicht beglichen.",
                      f"Bitte überweisen Sie den offenen Betrag bis zum {due}. Die Rechnung finden Sie zur Sicherheit noch einmal im Anhang.",
                      "Sollten Sie die Zahlung bereits veranlasst haben, betrachten Sie dieses Schreiben bitte als gegenstandslos."] if lang == "de" else
                     [f"our records show that invoice {no} of {money(total, lang)} is still unpaid.", f"Please settle the amount by {due}. A copy of the invoice is attached.",
                      "If you have already paid, please disregard this message."])
        else:
            m.subject = r.pick([f"Ihre Rechnung Nr. {no}", f"Rechnung {no} / Kundennummer {cust}", f"Ihre Rechnung vom {de_date(m.ts)}",
                                f"Neue Rechnung verfügbar: {no}", f"Rechnung {no}", f"{c.name}: Rechnung {no} für {_period(m.ts, 'de')}",
                                f"Ihre {c.name.split()[0]} Rechnung für {_period(m.ts, 'de')}", f"Rechnung zu Auftrag {year}-{r.randint(100, 999)}"]) if lang == "de" else \
                r.pick([f"Invoice {no} from {c.name}", f"Your invoice {no}", f"[{c.name}] Invoice #{no}", f"Invoice {no} for {_period(m.ts, 'en')}",
                        f"Your {c.name.split()[0]} invoice is ready"])
            if lang == "de":
                paras = [r.pick((f"anbei erhalten Sie unsere Rechnung Nr. {no} vom {de_date(m.ts)} über {money(total, lang, r.randint(0, 2))}.",
                                 f"im Anhang finden Sie Ihre aktuelle Rechnung für den Zeitraum {_period(m.ts, 'de')}.",
                                 f"vielen Dank für Ihren Auftrag. Ihre Rechnung {no} steht ab sofort als PDF zur Verfügung.")),
                         r.pick((f"Der Rechnungsbetrag wird in den nächsten Tagen per SEPA-Lastschrift von Ihrem Konto DE** **** **** **** **{r.randint(10, 99)} {r.randint(10, 99)} eingezogen.",
                                 f"Bitte überweisen Sie den Betrag bis zum {due} unter Angabe der Rechnungsnummer auf das unten genannte Konto.",
                                 "Der Betrag ist sofort und ohne Abzug fällig.", "Zahlbar innerhalb von 14 Tagen ohne Abzug."))]
                if r.chance(0.5):
                    paras.append(f"Alle Rechnungen finden Sie auch in Ihrem Kundenkonto unter https://portal.{c.domain}/rechnungen.")
                if from_noreply:
                    paras.append(f"Diese E-Mail wurde automatisch erstellt. Bei Fragen zu Ihrer Rechnung wenden Sie sich bitte an buchhaltung@{c.domain}.")
            else:
                paras = [r.pick((f"please find attached invoice {no} dated {en_date(m.ts)} for {money(total, lang, r.randint(0, 2))}.",
                                 f"thank you for your business. Your invoice for {_period(m.ts, 'en')} is attached.")),
                         r.pick((f"The amount will be charged to your card ending in {r.randint(1000, 9999)}.", f"Payment is due by {due}.",
                                 "Payment terms: 14 days net."))]
                if from_noreply:
                    paras.append(f"This is an automated message. Questions about billing? Contact accounts@{c.domain}.")
        body_only = kind == "supplier" and r.chance(0.18)
        if body_only:
            paras.append(table)
            m.subject = m.subject if not m.subject.startswith("Ihre Rechnung vom") else m.subject
        if author is not None:
            sig = sig_person(r, author, lang)
        else:
            sig = ["", c.name, c.street, c.city, (f"Tel. {c.phone}" if lang == "de" else f"Phone {c.phone}"),
                   (f"USt-IdNr. DE{r.randint(100000000, 999999999)} | {c.register}" if lang == "de" else c.register),
                   f"IBAN DE{r.randint(10, 99)} {r.randint(1000, 9999)} {r.randint(1000, 9999)} {r.randint(1000, 9999)} {r.randint(1000, 9999)} {r.randint(10, 99)}"]
        g.letter(m, author, greet(r, None if author is None else w.accountant, lang, True), paras, closing(r, lang), sig)
        if not body_only:
            g.attach(m, "pdf", fname, g.pdf_size("invoice"))
            if r.chance(0.08):
                g.attach(m, "pdf", "AGB.pdf" if lang == "de" else "terms.pdf", g.pdf_size())
        if from_noreply and r.chance(0.25):
            m.extra.append(("Auto-Submitted", "auto-generated"))
        m.folder = r.pick(("INBOX", "INBOX", ".Buchhaltung"))
        return
    if kind in ("sent", "billing_copy"):
        cust = w.choose(r, w.customers)
        lang = cust.lang
        no = f"RE-{year}-{g.count(('our-inv', year), 0, (1, 4)):04d}"
        prod = r.pick(PRODUCTS)
        months = r.pick((1, 3, 12))
        items = [(prod[0] if lang == "de" else prod[1], months, prod[2])]
        if r.chance(0.4):
            p2 = r.pick(PRODUCTS)
            items.append((p2[0] if lang == "de" else p2[1], months, p2[2]))
        table, total = _inv_lines(r, lang, m.ts, items)
        fname = f"{no}.pdf" if r.chance(0.6) else (f"Rechnung_{no}.pdf" if lang == "de" else f"Invoice_{no}.pdf")
        if kind == "sent":
            g.use_staff(m, w.accountant, lang)
            m.to = [(cust.name, cust.addr)]
            m.subject = (f"Ihre Rechnung {no} von {OP_NAME}" if lang == "de" else f"Invoice {no} from {OP_NAME}") if r.chance(0.7) else \
                (f"Rechnung {no} / Kundennummer {cust.cust_no}" if lang == "de" else f"Invoice {no} / customer no. {cust.cust_no}")
            paras = ([f"anbei erhalten Sie unsere Rechnung {no} über {money(total, lang)}.",
                      f"Bitte überweisen Sie den Betrag bis zum {de_date(m.ts + 14 * 86400)} auf unser Konto {OP_IBAN} (Hansebank eG)."
                      if r.chance(0.5) else "Der Betrag wird wie vereinbart per Lastschrift eingezogen.",
                      "Vielen Dank für Ihren Auftrag!"] if lang == "de" else
                     [f"please find attached our invoice {no} for {money(total, lang)}.", f"Kindly transfer the amount to IBAN {OP_IBAN} by {en_date(m.ts + 14 * 86400)}.",
                      "Thank you for your business."])
            g.letter(m, w.accountant, greet(r, cust, lang), paras, closing(r, lang), sig_staff(r, w.accountant, lang))
            g.attach(m, "pdf", fname, g.pdf_size("invoice"))
            m.folder = ".Sent"
        else:
            g.use_system(m, OP_NAME + (" Kundenservice" if r.chance(0.5) else ""), OP_ROLE_ADDRS["noreply"], "phpmailer", "local", lang)
            m.direction = "local"
            m.local_host = r.pick(("web01", "web02"))
            m.to = [(cust.name, cust.addr)]
            m.rcpt = OP_ROLE_ADDRS["buchhaltung"]
            m.extra.append(("Bcc", OP_ROLE_ADDRS["buchhaltung"]) if r.chance(0.2) else ("X-Billing-Run", f"{year}-{r.randint(1, 12):02d}"))
            m.subject = f"Ihre Rechnung {no}" if lang == "de" else f"Your invoice {no}"
            paras = ([f"für Ihr Kundenkonto {cust.cust_no} haben wir die Rechnung {no} erstellt. Rechnungsbetrag: {money(total, lang)}.",
                      table, f"Die Rechnung als PDF finden Sie im Anhang und in Ihrem Kundencenter unter https://kunden.{OP_DOMAIN}/rechnungen.",
                      f"Fragen zur Rechnung? Schreiben Sie uns an {OP_ROLE_ADDRS['buchhaltung']}."] if lang == "de" else
                     [f"we have issued invoice {no} for your customer account {cust.cust_no}. Amount due: {money(total, lang)}.",
                      table, f"The PDF is attached and available at https://kunden.{OP_DOMAIN}/invoices.",
                      f"Questions? Write to {OP_ROLE_ADDRS['buchhaltung']}."])
            g.letter(m, None, greet(r, cust, lang), paras, closing(r, lang), ["", OP_NAME, OP_STREET, OP_CITY, f"{OP_REGISTER} | USt-IdNr. {OP_VAT}"])
            g.attach(m, "pdf", fname, g.pdf_size("invoice"))
            m.folder = ".Buchhaltung"
        return
    if kind == "receipt":
        c = r.pick(w.suppliers[10:14] + w.suppliers[:3])
        lang = c.lang
        g.use_system(m, c.name, c.billing, "java", COMPANY_PROVIDER.get(c.host, "own"), lang, "us" if c.domain.endswith(".io") else "eu")
        rid = f"{r.randint(1000, 9999)}-{r.randint(1000, 9999)}"
        amt = round(r.lognormvariate(3.5, 0.8), 2)
        m.to = [g.op_to("buchhaltung")]
        m.subject = r.pick((f"Your receipt from {c.name} #{rid}", f"Receipt for your payment [{rid}]", f"Payment received - thank you")) if lang == "en" else \
            r.pick((f"Zahlungsbestätigung {rid}", f"Ihre Quittung Nr. {rid}", "Vielen Dank für Ihre Zahlung"))
        paras = ([f"Receipt #{rid}", f"Amount paid: {money(amt, 'en', 1)}\nDate paid: {en_date(m.ts)}\nPayment method: Visa - {r.randint(1000, 9999)}",
                  f"If you have any questions, contact us at {c.billing} or call {c.phone}."] if lang == "en" else
                 [f"Quittung Nr. {rid}", f"Betrag: {money(amt, 'de')}\nDatum: {de_date(m.ts)}\nZahlungsart: Lastschrift",
                  f"Bei Fragen erreichen Sie uns unter {c.billing}."])
        g.letter(m, None, None, paras, "", ["", c.name, c.street, c.city])
        if r.chance(0.5):
            g.attach(m, "pdf", f"Receipt-{rid}.pdf" if lang == "en" else f"Quittung_{rid}.pdf", g.pdf_size("invoice"))
        m.folder = r.pick(("INBOX", ".Buchhaltung"))
        return
    if kind == "bank":
        name, dom, addr = BANK
        g.use_system(m, name, addr, "java", "own", "de")
        t = local_dt(m.ts, "eu")
        no = f"{t.year}/{(t.month - 1) or 12:03d}"
        m.to = [(w.accountant.plain, OP_ROLE_ADDRS["buchhaltung"])]
        m.subject = r.pick((f"Ihr Kontoauszug {no}", f"Kontoauszug Nr. {no} für Konto {OP_IBAN[-7:]}", "Neuer Kontoauszug im Postfach"))
        paras = [f"anbei erhalten Sie Ihren elektronischen Kontoauszug Nr. {no} für das Konto {OP_IBAN[:4]} **** **** **** {OP_IBAN[-7:]} ({OP_NAME}).",
                 "Bitte prüfen Sie die Umsätze. Einwendungen gegen den Rechnungsabschluss sind innerhalb von sechs Wochen zu erheben.",
                 "Aus Sicherheitsgründen fragen wir niemals per E-Mail nach Ihrer PIN oder TAN."]
        g.letter(m, None, "Sehr geehrte Damen und Herren,", paras, "Ihre Hansebank eG",
                 ["", "Hansebank eG | Ballindamm 12 | 20095 Hamburg", "Vorstand: Dr. Jens Petersen, Maren Ehlers | Genossenschaftsregister Hamburg GnR 987"])
        g.attach(m, "pdf", f"Kontoauszug_{t.year}_{(t.month - 1) or 12:03d}.pdf", g.pdf_size("invoice"))
        m.folder = ".Buchhaltung"
        return
    if kind == "payflux":
        name, dom, addr = PAYMENT
        g.use_system(m, "PayFlux", addr, "java", "own", "de" if r.chance(0.7) else "en")
        c = r.pick(w.suppliers)
        amt = round(r.lognormvariate(3.8, 1.0), 2)
        tx = r.alnum(17, "0123456789ABCDEFGHJKLMNPRSTUVWXYZ")
        m.to = [("Thomas Muster", w.boss.addr)]
        m.rcpt = w.boss.addr
        if m.lang == "de":
            m.subject = r.pick((f"Sie haben eine Zahlung an {c.name} gesendet", f"Beleg für Ihre Zahlung an {c.name}"))
            paras = [f"Sie haben eine Zahlung über {money(amt, 'de', 1)} an {c.name} gesendet.",
                     f"Transaktionscode: {tx}\nDatum: {de_date(m.ts)}\nEmpfänger: {c.name} ({c.billing})\nVerwendungszweck: Rechnung {r.randint(10000, 99999)}",
                     "Diese Zahlung erscheint auf Ihrem Kontoauszug als PAYFLUX *" + slug(c.name).upper()[:12] + "."]
        else:
            m.subject = f"Receipt for your payment to {c.name}"
            paras = [f"You sent a payment of {money(amt, 'en', 1)} to {c.name}.", f"Transaction ID: {tx}\nDate: {en_date(m.ts)}\nRecipient: {c.billing}"]
        m.style.html_only = r.chance(0.5)
        g.letter(m, None, "Hallo Thomas Muster," if m.lang == "de" else "Hello Thomas Muster,", paras, "",
                 ["", "PayFlux Europe S.à r.l. et Cie, S.C.A. | 22-24 Boulevard Royal | L-2449 Luxembourg"])
        m.folder = r.pick(("INBOX", ".Buchhaltung"))
        return
    if kind == "travel":
        s = r.pick((w.boss, w.sales, w.admin))
        g.use_staff(m, s)
        m.direction = "internal"
        m.to = [g.op_to("buchhaltung")]
        m.rcpt = m.to[0][1]
        m.envelope = s.addr
        what = r.pick(("Bahnfahrkarte", "Hotelrechnung", "Tankquittung", "Taxiquittung", "Bewirtungsbeleg", "Parkquittung"))
        m.subject = r.pick((f"WG: {what} {de_date(m.ts)}", f"{what} Kundentermin", f"Beleg: {what}", f"Fwd: Ihre Buchungsbestätigung / Rechnung"))
        paras = [r.pick((f"hier der Beleg ({what}) vom Termin bei {r.pick(w.customers_c).name}.", f"anbei {what} für die Reisekostenabrechnung.",
                         f"{what} von letzter Woche, bitte buchen.")), r.pick(("Danke!", "Original liegt in deinem Fach.", "Betrag wurde mit der Firmenkarte bezahlt."))]
        g.letter(m, s, f"Hallo {w.accountant.first},", paras, "Gruß", [s.first])
        if what in ("Tankquittung", "Taxiquittung", "Bewirtungsbeleg", "Parkquittung") and r.chance(0.7):
            g.attach(m, "jpg", f"IMG_{r.randint(1000, 9999)}.jpg" if r.chance(0.6) else f"Scan_{de_date(m.ts)}.jpg", g.photo_size() // 3)
        else:
            fn = {"Bahnfahrkarte": "Fahrkarte.pdf" if r.chance(0.5) else f"Online-Ticket_{r.randint(100000000, 999999999)}.pdf",
                  "Hotelrechnung": f"Hotel_{slug(r.pick(PLACES)[0], '_')}_Rechnung.pdf"}.get(what, f"Rechnung_{r.randint(100000, 999999)}.pdf")
            g.attach(m, "pdf", fn, g.pdf_size("invoice"))
        m.folder = r.pick(("INBOX", ".Buchhaltung"))
        return
    # tax adviser's own invoice
    p = g.world.tax[0]
    g.use(m, p, "de")
    no = f"{year}{g.count('stb-inv', 100, (1, 9)):04d}"
    m.to = [g.op_to("buchhaltung")]
    m.subject = r.pick((f"Honorarrechnung {no}", f"Rechnung Nr. {no} - Finanzbuchhaltung {_period(m.ts, 'de')}", f"Unsere Rechnung {no}"))
    paras = [f"anbei übersenden wir Ihnen unsere Honorarrechnung Nr. {no} für die Finanzbuchhaltung und Lohnabrechnung {_period(m.ts, 'de')}.",
             "Der Betrag wird vereinbarungsgemäß per Lastschrift eingezogen."]
    g.letter(m, p, greet(r, w.accountant, "de"), paras, closing(r, "de"), sig_person(r, p, "de", 0.9, 0.8))
    g.attach(m, "pdf", f"Rechnung_{no}.pdf", g.pdf_size("invoice"))
    m.folder = r.pick((".Steuerberater", ".Buchhaltung", "INBOX"))


# =============================================================================================
# Category: business-letter
# =============================================================================================

TOPICS_DE = [
    "die Umstellung Ihrer Domains auf unsere Nameserver", "den Umzug Ihrer Website auf den neuen Server", "die Erweiterung Ihres Speicherplatzes",
    "die Einrichtung zusätzlicher Postfächer", "das Upgrade auf PHP 8.2", "die Migration Ihrer Datenbank", "die Einrichtung des VPN-Zugangs",
    "die Anpassung der Backup-Zeiten", "die Verlängerung Ihres SSL-Zertifikats", "die Einrichtung von Nextcloud für Ihr Team",
    "den Wechsel auf den Managed Server", "die Weiterleitung der alten Domain", "den Zugang für Ihre Agentur",
]
TOPICS_EN = ["moving your domains to our name servers", "migrating your website to the new server", "adding more storage", "setting up additional mailboxes",
             "the PHP 8.2 upgrade", "your database migration", "the VPN access", "renewing your SSL certificate", "the managed server upgrade"]
FROM_LINES = [  # English sentences that start a line with "From " (mbox escaping must handle them)
    "From our side everything is ready for the migration next week.",
    "From next month on the new prices apply to all contracts.",
    "From what I can see in the logs, the backup ran fine last night.",
    "From the 1st of March our office will be at a new address.",
    "From my point of view we can go ahead with the second option.",
    "From the attached list you can see which mailboxes are affected.",
]


def _sentence_pool_de(r, w, topic):
    return [
        f"vielen Dank für Ihre Nachricht bezüglich {topic}.",
        f"wie telefonisch besprochen, hier die Zusammenfassung zu {topic}.",
        f"ich melde mich wegen {topic}. Können wir dafür einen Termin in der nächsten Woche vereinbaren?",
        "Wir haben die Änderungen gestern Abend umgesetzt. Bitte prüfen Sie, ob alles wie gewünscht funktioniert.",
        f"Die Umstellung erfolgt am {r.pick(WOCHENTAGE[:5])} zwischen 22:00 und 23:00 Uhr. In dieser Zeit kann es zu kurzen Unterbrechungen kommen.",
        "Die Zugangsdaten senden wir Ihnen aus Sicherheitsgründen getrennt per Post.",
        "Bitte geben Sie uns kurz Bescheid, ob der Termin für Sie passt.",
        "Für Rückfragen stehe ich Ihnen gerne zur Verfügung.",
        "Anbei finden Sie die gewünschten Unterlagen.",
        f"Unser Techniker {r.pick(('Herr Becker', 'Jonas', 'Herr Brandt'))} wird sich direkt mit Ihnen in Verbindung setzen.",
        "Leider ist uns bei der letzten Änderung ein Fehler unterlaufen, den wir inzwischen behoben haben. Bitte entschuldigen Sie die Unannehmlichkeiten.",
        "Könnten Sie uns bitte noch die Zugangsdaten zu Ihrem alten Provider schicken? Ohne den Auth-Code können wir den Domainumzug nicht starten.",
        "Wir würden die Arbeiten gern vor Monatsende abschließen.",
    ]


def _sentence_pool_en(r, topic):
    return [
        f"thank you for your message regarding {topic}.", f"as discussed on the phone, here is a short summary regarding {topic}.",
        "We implemented the changes last night. Please check whether everything works as expected.",
        "Please let us know if the proposed date works for you.", "Please find the requested documents attached.",
        "Could you please send us the auth code for the domain transfer?", "We would like to finish this before the end of the month.",
        "Sorry for the late reply, we were quite busy with a large migration project.",
    ]


def gen_business(g, m):
    r, w = g.rng, g.world
    kind = r.wpick([("offer_out", 12), ("order_in", 10), ("ab_out", 6), ("ab_in", 6), ("contract", 7), ("avv", 3), ("cancel_in", 6),
                    ("cancel_conf", 4), ("delivery", 5), ("complaint", 6), ("corr", 22), ("supplier_corr", 6), ("inv_question", 4), ("meeting", 5)])
    year = local_dt(m.ts, "eu").year
    cust = w.choose(r, w.customers)
    lang = cust.lang
    prod = r.pick(PRODUCTS)
    pname = prod[0] if lang == "de" else prod[1]
    if kind in ("offer_out", "ab_out", "cancel_conf", "contract") or (kind == "corr" and r.chance(0.45)):
        staff = r.pick((w.sales, w.sales, w.boss, w.admin)) if kind != "cancel_conf" else r.pick((w.sales, w.accountant))
        g.use_staff(m, staff, lang)
        m.to = [(cust.name, cust.addr)]
        if cust.company and len(cust.company.people) > 1 and r.chance(0.3):
            other = cust.company.people[1] if cust.company.people[0] is cust else cust.company.people[0]
            m.cc = [(other.name, other.addr)]
        if r.chance(0.15):
            m.cc.append((w.boss.plain, w.boss.addr))
        prev = g.last(cust.addr) if r.chance(0.5) else None
        ano = f"AN-{year}-{g.count(('an', year), 100, (1, 3))}"
        if kind == "offer_out":
            m.subject = r.pick((f"Angebot {ano}: {pname}", f"Ihr Angebot für {pname}", f"Angebot Nr. {ano}", f"Unser Angebot für {cust.company.name if cust.company else 'Sie'}")) if lang == "de" else \
                r.pick((f"Quote {ano}: {pname}", f"Our offer for {pname}", f"Quotation {ano}"))
            paras = ([f"vielen Dank für Ihr Interesse an unserem {pname}. Gerne unterbreiten wir Ihnen das gewünschte Angebot.",
                      f"Der monatliche Preis beträgt {money(prod[2], 'de')} zzgl. USt., die Einrichtung ist bei einer Laufzeit von 12 Monaten kostenlos.",
                      f"Das Angebot ist bis zum {de_date(m.ts + 30 * 86400)} gültig. Alle Details finden Sie im angehängten PDF.",
                      "Über eine Zusage würden wir uns sehr freuen."] if lang == "de" else
                     [f"thank you for your interest in our {pname}. Please find our quote attached.",
                      f"The monthly price is {money(prod[2], 'en')} plus VAT; setup is free with a 12-month term.", f"The offer is valid until {en_date(m.ts + 30 * 86400)}."])
            att = (f"Angebot_{ano}.pdf" if lang == "de" else f"Quote_{ano}.pdf", "pdf")
        elif kind == "ab_out":
            m.subject = (f"Auftragsbestätigung {ano.replace('AN', 'AB')} – {pname}" if lang == "de" else f"Order confirmation {ano.replace('AN', 'OC')}")
            paras = ([f"vielen Dank für Ihren Auftrag. Hiermit bestätigen wir die Bestellung von {pname} zum {de_date(m.ts + 7 * 86400)}.",
                      f"Die Bereitstellung erfolgt innerhalb von zwei Werktagen. Die Zugangsdaten erhalten Sie von {w.admin.plain}."] if lang == "de" else
                     [f"thank you for your order. We hereby confirm {pname}, starting {en_date(m.ts + 7 * 86400)}.", "Provisioning takes about two business days."])
            att = (f"Auftragsbestaetigung_{ano.replace('AN', 'AB')}.pdf" if r.chance(0.5) else f"Auftragsbestätigung {ano.replace('AN', 'AB')}.pdf", "pdf") if lang == "de" else (f"OrderConfirmation_{ano}.pdf", "pdf")
        elif kind == "cancel_conf":
            m.subject = "Kündigungsbestätigung Kundennummer %s" % cust.cust_no if lang == "de" else f"Cancellation confirmed (customer {cust.cust_no})"
            paras = ([f"hiermit bestätigen wir die Kündigung Ihres Vertrags {pname} (Kundennummer {cust.cust_no}) zum {de_date(m.ts + r.randint(20, 90) * 86400)}.",
                      "Bitte sichern Sie bis dahin alle Daten. Nach Vertragsende werden die Daten innerhalb von 30 Tagen gelöscht.",
                      "Schade, dass Sie uns verlassen. Über eine kurze Rückmeldung zu den Gründen würden wir uns freuen."] if lang == "de" else
                     [f"we confirm the cancellation of {pname} (customer {cust.cust_no}) effective {en_date(m.ts + 60 * 86400)}.",
                      "Please back up your data; it will be deleted 30 days after the end of the contract."])
            att = None
        elif kind == "contract":
            m.subject = r.pick((f"Vertrag {pname} zur Unterschrift", f"Ihr Vertrag {pname}", "Vertragsunterlagen")) if lang == "de" else f"Contract for {pname}"
            paras = ([f"anbei erhalten Sie den Vertrag über {pname} in zweifacher Ausfertigung.",
                      f"Bitte senden Sie uns ein unterschriebenes Exemplar zurück, gern auch als Scan an {OP_ROLE_ADDRS['vertrieb']}."] if lang == "de" else
                     ["please find the contract attached.", f"Kindly return a signed copy, a scan to {OP_ROLE_ADDRS['vertrieb']} is fine."])
            att = (r.pick(("Vertrag.pdf", f"Vertrag_{slug(pname, '_')}_{year}.pdf", "Rahmenvertrag.pdf")) if lang == "de" else "Contract.pdf", "pdf")
        else:
            topic = r.pick(TOPICS_DE if lang == "de" else TOPICS_EN)
            pool = _sentence_pool_de(r, w, topic) if lang == "de" else _sentence_pool_en(r, topic)
            paras = [pool[0 if r.chance(0.5) else 1]] + r.sample(pool[3:], r.randint(1, 3))
            if lang == "en" and r.chance(0.35):
                paras.insert(1, r.pick(FROM_LINES))
            m.subject = (prev["subject"] if prev else (f"Ihr Auftrag: {topic[4:].capitalize()}" if lang == "de" else f"Your project: {topic}"))
            att = None
            if prev:
                m.subject = reply_subject(r, lang, m.subject, m.style.name)
        g.letter(m, staff, greet(r, cust, lang, r.chance(0.8)), paras, closing(r, lang), sig_staff(r, staff, lang), prev=prev,
                 to_name=f"{cust.plain} <{cust.addr}>" if prev else None, remember_key=cust.addr)
        if att:
            g.attach(m, att[1], att[0], g.pdf_size())
            if kind == "contract" and r.chance(0.5):
                g.attach(m, "pdf", "AGB_Muster_Hosting.pdf" if lang == "de" else "Terms_and_Conditions.pdf", g.pdf_size())
        m.folder = ".Sent"
        return
    if kind in ("ab_in", "delivery", "supplier_corr"):
        c = r.pick([s for s in w.suppliers if s.kind in ("hardware", "office", "datacenter", "licenses", "transit", "telco", "agency")])
        p = r.pick(c.people)
        g.use(m, p)
        lang = m.lang
        m.to = [g.op_to(person=r.pick((w.boss, w.admin))) if r.chance(0.6) else g.op_to(r.pick(("info", "jobs", "datenschutz")) if MIX == "hard" else "info")]
        m.rcpt = m.to[0][1]
        no = f"{r.randint(400000000, 499999999)}"
        if kind == "ab_in":
            m.subject = (r.pick((f"Auftragsbestätigung {no} zu Ihrer Bestellung", f"Auftragsbestätigung Nr. {no}", f"AB {no} / Ihre Bestellung vom {de_date(m.ts - 86400)}"))
                         if lang == "de" else f"Order confirmation {no}")
            paras = ([f"vielen Dank für Ihre Bestellung. Anbei erhalten Sie unsere Auftragsbestätigung Nr. {no}.",
                      f"Voraussichtlicher Liefertermin: KW {local_dt(m.ts + 7 * 86400, 'eu').isocalendar()[1]}. Bitte prüfen Sie die Angaben und melden Sie sich bei Abweichungen umgehend.",
                      "Es gelten unsere Allgemeinen Geschäftsbedingungen."] if lang == "de" else
                     [f"thank you for your order. Please find our order confirmation {no} attached.", "Estimated delivery: 5-7 business days."])
            fname = f"AB_{no}.pdf" if lang == "de" else f"OrderConfirmation_{no}.pdf"
        elif kind == "delivery":
            m.subject = (r.pick((f"Lieferschein {no}", f"Versandbestätigung / Lieferschein {no}", f"Ihre Lieferung {no} ist unterwegs")) if lang == "de" else
                         f"Delivery note {no} - your order has shipped")
            paras = ([f"Ihre Bestellung wurde heute versandt. Den Lieferschein {no} finden Sie im Anhang.",
                      f"Sendungsnummer: {r.randint(10**11, 10**12 - 1)} (DHL). Die Zustellung erfolgt voraussichtlich am {de_date(m.ts + 2 * 86400)}.",
                      "Bitte prüfen Sie die Ware bei Erhalt auf Vollständigkeit und Transportschäden."] if lang == "de" else
                     [f"your order has shipped today. Delivery note {no} is attached.", f"Tracking number: 1Z{r.alnum(16, '0123456789ABCDEFGHJKLMNPRSTUVWXYZ')}"])
            fname = f"Lieferschein_{no}.pdf" if lang == "de" else f"DeliveryNote_{no}.pdf"
        else:
            m.subject = (r.pick((f"Preisanpassung zum 01.01.{year + 1}", "Änderung unserer AGB", f"Wartungsarbeiten im Rechenzentrum am {de_date(m.ts + 10 * 86400)}",
                                 "Neuer Ansprechpartner für Ihr Kundenkonto", "Ihre Rahmenvereinbarung")) if lang == "de" else
                         r.pick((f"Price adjustment from January 1, {year + 1}", "Updated terms of service", "Your new account manager")))
            paras = ([r.pick((f"aufgrund gestiegener Energie- und Personalkosten sehen wir uns gezwungen, unsere Preise zum 01.01.{year + 1} um {r.randint(3, 12)} % anzupassen.",
                              "wir möchten Sie über eine Änderung unserer Allgemeinen Geschäftsbedingungen informieren. Die neue Fassung finden Sie im Anhang.",
                              "am genannten Termin führen wir Wartungsarbeiten an der Stromversorgung durch. Eine Unterbrechung ist nicht zu erwarten.",
                              f"ab sofort ist {p.plain} Ihr persönlicher Ansprechpartner.")),
                      "Bei Fragen stehen wir Ihnen selbstverständlich gern zur Verfügung."] if lang == "de" else
                     [r.pick((f"due to rising energy costs we will adjust our prices by {r.randint(3, 12)}% from January {year + 1}.",
                              "we have updated our terms of service; the new version is attached.")), r.pick(FROM_LINES)])
            fname = r.pick(("AGB_neu.pdf", "Preisliste.pdf", "Anschreiben.pdf")) if lang == "de" else "terms.pdf"
        g.letter(m, p, greet(r, None, lang), paras, closing(r, lang), sig_person(r, p, lang))
        if kind != "supplier_corr" or r.chance(0.5):
            g.attach(m, "pdf", fname, g.pdf_size())
        m.folder = r.pick(("INBOX", "INBOX", ".Lieferanten"))
        return
    # incoming from a customer
    g.use(m, cust)
    lang = m.lang
    to = w.sales if r.chance(0.4) else (w.boss if r.chance(0.4) else None)
    m.to = [g.op_to("support" if to is None and r.chance(0.5) else r.pick(("info", "datenschutz", "jobs")) if MIX == "hard" else "info", to)]
    m.rcpt = m.to[0][1]
    if r.chance(0.12):
        m.cc = [(w.boss.plain, w.boss.addr)]
    prev = g.last(cust.addr) if r.chance(0.55) else None
    att = None
    if kind == "order_in":
        m.subject = (r.pick((f"Bestellung: {pname}", f"Auftrag {pname}", f"Annahme Ihres Angebots", f"Bestellung {pname} für {r.randint(12, 36)} Monate"))
                     if lang == "de" else r.pick((f"Purchase order: {pname}", f"PO-{r.randint(1000, 9999)} {pname}", "We accept your offer")))
        paras = ([f"hiermit bestellen wir verbindlich {r.randint(1, 5)}x {pname} gemäß Ihrem Angebot.", "Bitte senden Sie uns eine Auftragsbestätigung.",
                  f"Die Rechnung bitte an {cust.addr if r.chance(0.5) else 'unsere Buchhaltung'}."] if lang == "de" else
                 [f"we would like to order {pname} as per your quote.", "Please send us an order confirmation.", f"Invoices please to {cust.addr}."])
        if r.chance(0.3):
            att = ("pdf", f"Bestellung_{r.randint(1000, 9999)}.pdf" if lang == "de" else f"PO_{r.randint(1000, 9999)}.pdf", g.pdf_size())
    elif kind == "cancel_in":
        m.subject = (r.pick((f"Kündigung Vertrag Kundennummer {cust.cust_no}", "Kündigung", f"Kündigung {pname} zum nächstmöglichen Termin", "Kündigung unseres Hostingvertrags"))
                     if lang == "de" else f"Cancellation of contract {cust.cust_no}")
        paras = ([f"hiermit kündige ich den Vertrag über {pname} (Kundennummer {cust.cust_no}) fristgerecht zum nächstmöglichen Zeitpunkt.",
                  "Bitte bestätigen Sie mir die Kündigung schriftlich unter Angabe des Beendigungszeitpunkts.",
                  "Die Domain soll zu einem anderen Anbieter umziehen, bitte senden Sie mir den Auth-Code."] if lang == "de" else
                 [f"I hereby cancel the contract for {pname} (customer no. {cust.cust_no}) at the next possible date.", "Please confirm in writing."])
        if r.chance(0.35):
            att = ("pdf", "Kündigung.pdf" if lang == "de" else "cancellation.pdf", g.pdf_size("scan"))
    elif kind == "complaint":
        m.subject = (r.pick(("Beschwerde: Ausfall unserer Website", f"Reklamation: Server seit {de_date(m.ts - 86400)} nicht erreichbar", "Erneuter Ausfall – so geht das nicht weiter",
                             "E-Mails kommen nicht an!", "Beschwerde über Ihren Support")) if lang == "de" else
                     r.pick(("Complaint: website down again", "Emails are not being delivered!", "Unacceptable downtime")))
        paras = ([r.pick(("unsere Website war gestern über vier Stunden nicht erreichbar. Das ist bereits der zweite Ausfall in diesem Monat.",
                          "seit heute Morgen kommen keine E-Mails mehr an. Unsere Kunden beschweren sich bereits.",
                          "ich bin mit der Bearbeitung meines Tickets sehr unzufrieden. Seit einer Woche warte ich auf eine Rückmeldung.")),
                  "Ich erwarte eine Erklärung und eine Gutschrift für den Ausfallzeitraum.", "Sollte sich das wiederholen, werden wir den Vertrag kündigen."] if lang == "de" else
                 ["our website was down for more than four hours yesterday. This is the second outage this month.", "We expect an explanation and a service credit."])
    elif kind == "avv":
        m.subject = "Auftragsverarbeitungsvertrag (AVV) nach Art. 28 DSGVO" if lang == "de" else "Data processing agreement (Art. 28 GDPR)"
        paras = (["für unsere Dokumentation benötigen wir einen Vertrag zur Auftragsverarbeitung nach Art. 28 DSGVO.",
                  "Anbei unser unterschriebenes Exemplar. Bitte senden Sie uns das gegengezeichnete Dokument zurück.",
                  "Außerdem bitten wir um eine aktuelle Übersicht Ihrer technischen und organisatorischen Maßnahmen (TOM)."] if lang == "de" else
                 ["for our records we need a data processing agreement under Art. 28 GDPR.", "Please find our signed copy attached."])
        att = ("pdf", "AVV_unterschrieben.pdf" if lang == "de" else "DPA_signed.pdf", g.pdf_size("scan"))
    elif kind == "inv_question":
        m.subject = (r.pick(("Frage zu Ihrer letzten Rechnung", f"Rechnung RE-{year}-{r.randint(100, 999):04d} – Rückfrage", "Rechnungsanschrift ändern"))
                     if lang == "de" else "Question about your last invoice")
        paras = ([r.pick(("auf Ihrer letzten Rechnung ist der Backup-Speicher doppelt aufgeführt. Können Sie das bitte prüfen?",
                          f"bitte ändern Sie ab sofort unsere Rechnungsanschrift auf: {cust.company.name if cust.company else cust.plain}, {r.pick(STREETS)} {r.randint(1, 99)}, {cust.city}.",
                          "wir benötigen die Rechnungen künftig mit unserer Bestellnummer im Betreff.")),
                  "Vielen Dank vorab."] if lang == "de" else ["the backup storage appears twice on your last invoice. Could you please check?"])
    elif kind == "meeting":
        d = local_dt(m.ts + r.randint(2, 14) * 86400, "eu")
        m.subject = (r.pick((f"Termin am {d.day:02d}.{d.month:02d}.", "Terminvorschlag Projektbesprechung", f"Treffen nächste Woche – {WOCHENTAGE[d.weekday() % 5]}?"))
                     if lang == "de" else "Meeting next week?")
        paras = ([f"wie besprochen schlage ich als Termin {WOCHENTAGE[d.weekday() % 5]}, den {d.day:02d}.{d.month:02d}. um {r.randint(9, 16)}:00 Uhr vor.",
                  r.pick(("Gern bei uns im Büro, alternativ per Videokonferenz.", "Ich bringe die Unterlagen mit.")), "Passt Ihnen das?"] if lang == "de" else
                 [f"how about {('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday')[d.weekday() % 5]} at {r.randint(9, 16)}:00?", r.pick(FROM_LINES)])
        if r.chance(0.25):
            ics = ("BEGIN:VCALENDAR\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VEVENT\n"
                   f"ORGANIZER;CN=\"{cust.plain}\":mailto:{cust.addr}\nATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{m.to[0][1]}\n"
                   f"DTSTART:{d.year}{d.month:02d}{d.day:02d}T{r.randint(8, 15):02d}0000Z\nSUMMARY:Besprechung {OP_NAME}\nUID:{_uuid(r)}\nEND:VEVENT\nEND:VCALENDAR\n")
            m.attachments.append(Text("calendar", ics, filename="invite.ics", disposition="attachment", cte="7bit", charset="utf-8", params="; method=REQUEST", role="att"))
    else:
        topic = r.pick(TOPICS_DE if lang == "de" else TOPICS_EN)
        pool = _sentence_pool_de(r, w, topic) if lang == "de" else _sentence_pool_en(r, topic)
        paras = [pool[r.pick((0, 1, 2))]] + r.sample(pool[3:], r.randint(1, 3))
        if lang == "en" and r.chance(0.4):
            paras.insert(1, r.pick(FROM_LINES))
        m.subject = prev["subject"] if prev else (r.pick((f"Frage zu {topic[4:]}", topic[4:].capitalize(), f"{pname}: {topic[4:]}")) if lang == "de" else topic.capitalize())
        if r.chance(0.2):
            att = (r.pick(("pdf", "docx", "xlsx", "png")), r.pick(("Übersicht.pdf", "Liste_Postfaecher.xlsx", "Screenshot.png", "Notizen.docx", "Bildschirmfoto 2023-04-12 um 10.14.22.png"))
                   if lang == "de" else r.pick(("overview.pdf", "mailboxes.xlsx", "screenshot.png")), g.pdf_size())
            att = (att[1].rsplit(".", 1)[1].replace("jpg", "jpg"), att[1], att[2])
    if prev:
        m.subject = reply_subject(r, lang, prev["subject"], m.style.name)
    g.letter(m, cust, greet(r, to, lang, True), paras, closing(r, lang), sig_person(r, cust, lang),
             prev=prev, to_name=f"{m.to[0][0] or m.to[0][1]}", remember_key=cust.addr)
    if att:
        g.attach(m, att[0], att[1], att[2])
    m.folder = r.pick(("INBOX", "INBOX", "INBOX", ".Kunden"))


# =============================================================================================
# Category: annual-accounts
# =============================================================================================

def gen_annual(g, m):
    r, w = g.rng, g.world
    t = local_dt(m.ts, "eu")
    fy = t.year - 1 if t.month < 10 else t.year - 1
    kind = r.wpick([("draft", 30), ("final", 20), ("documents", 15), ("inventory_out", 15), ("ebilanz", 10), ("resolution", 10)])
    p = r.pick(w.tax)
    if kind == "inventory_out":
        g.use_staff(m, w.accountant)
        m.to = [(p.name, p.addr)]
        m.subject = r.pick((f"Inventur zum 31.12.{fy}", f"Inventurliste {fy}", f"Unterlagen Inventur 31.12.{fy}"))
        paras = [f"anbei die Inventurliste zum 31.12.{fy} (Hardware, Ersatzteile und Lizenzen) sowie die Aufstellung der Anlagenzugänge.",
                 "Die Bestände wurden am 30.12. von Herrn Becker und mir gezählt. Die Zählprotokolle liegen im Original vor.",
                 "Die Bankbestätigungen reiche ich nach, sobald sie vorliegen."]
        g.letter(m, w.accountant, greet(r, p, "de"), paras, closing(r, "de"), sig_staff(r, w.accountant))
        g.attach(m, "xlsx", f"Inventur_31.12.{fy}.xlsx", r.lognorm_int(45_000, 0.6, 12_000, 400_000))
        if r.chance(0.5):
            g.attach(m, "pdf", f"Zaehlprotokolle_{fy}.pdf", g.pdf_size("scan"))
        m.folder = ".Sent"
        return
    g.use(m, p, "de")
    m.to = [(w.boss.plain, w.boss.addr)] if r.chance(0.6) else [g.op_to("buchhaltung")]
    if r.chance(0.5):
        m.cc = [(w.accountant.plain, OP_ROLE_ADDRS["buchhaltung"])] if m.to[0][1] != OP_ROLE_ADDRS["buchhaltung"] else [(w.boss.plain, w.boss.addr)]
    m.rcpt = m.to[0][1]
    prev = g.last(p.addr) if r.chance(0.3) else None
    if kind == "draft":
        m.subject = r.pick((f"Jahresabschluss {fy} – Entwurf zur Durchsicht", f"Entwurf Jahresabschluss {fy} {OP_NAME}", f"JA {fy}: Entwurf Bilanz und GuV"))
        paras = [f"anbei erhalten Sie den Entwurf des Jahresabschlusses zum 31.12.{fy} (Bilanz, Gewinn- und Verlustrechnung, Anhang) zur Durchsicht.",
                 f"Das Jahresergebnis beträgt vorläufig {money(r.randint(20000, 380000) + r.random(), 'de')}. Die Abschreibungen auf die Serverhardware haben wir wie besprochen linear über drei Jahre angesetzt.",
                 "Bitte prüfen Sie insbesondere die Rückstellungen und die Forderungen aus Lieferungen und Leistungen. Für eine Besprechung stehe ich gern zur Verfügung."]
        fn = [f"Jahresabschluss_{fy}_Entwurf.pdf", f"Bilanz_GuV_{fy}_Entwurf.pdf"]
    elif kind == "final":
        m.subject = r.pick((f"Jahresabschluss {fy} – final", f"Bilanz {fy} final", f"Ihr Jahresabschluss {fy}"))
        paras = [f"anbei übersenden wir Ihnen den endgültigen Jahresabschluss zum 31.12.{fy} sowie den Bericht über die Erstellung.",
                 "Der Jahresabschluss ist bis zum Ende des Folgejahres im Unternehmensregister offenzulegen. Die Offenlegung übernehmen wir gern für Sie.",
                 "Bitte bewahren Sie den Abschluss zehn Jahre auf."]
        fn = [f"Jahresabschluss_{fy}_{slug(OP_NAME, '_')}.pdf", f"Erstellungsbericht_{fy}.pdf"]
    elif kind == "documents":
        m.subject = r.pick((f"Unterlagen für den Jahresabschluss {fy}", f"Jahresabschluss {fy}: fehlende Unterlagen", f"Checkliste Jahresabschluss {fy}"))
        paras = [f"für die Erstellung des Jahresabschlusses {fy} benötigen wir noch folgende Unterlagen:",
                 "- Inventurliste zum 31.12.\n- Saldenbestätigungen der Banken\n- Liste der offenen Posten (Debitoren und Kreditoren)\n- Verträge über neue Leasinggegenstände",
                 "Bitte senden Sie uns die Unterlagen bis Ende des Monats."]
        fn = [f"Checkliste_JA_{fy}.pdf"]
    elif kind == "ebilanz":
        m.subject = r.pick((f"E-Bilanz {fy} übermittelt", f"Übermittlungsprotokoll E-Bilanz {fy}"))
        paras = [f"die E-Bilanz für das Wirtschaftsjahr {fy} wurde heute erfolgreich an das Finanzamt übermittelt. Das Übermittlungsprotokoll finden Sie im Anhang.",
                 "Die Steuererklärungen folgen in den nächsten Wochen."]
        fn = [f"Uebermittlungsprotokoll_E-Bilanz_{fy}.pdf"]
    else:
        m.subject = r.pick((f"Feststellung Jahresabschluss {fy} – Gesellschafterbeschluss", f"Gesellschafterbeschluss Jahresabschluss {fy}"))
        paras = [f"anbei der vorbereitete Gesellschafterbeschluss zur Feststellung des Jahresabschlusses {fy} und zur Ergebnisverwendung.",
                 "Bitte unterschreiben und im Original an uns zurücksenden."]
        fn = [f"Gesellschafterbeschluss_JA_{fy}.pdf"]
    if prev:
        m.subject = reply_subject(r, "de", prev["subject"], m.style.name)
    g.letter(m, p, greet(r, w.boss if m.to[0][1] == w.boss.addr else None, "de"), paras, closing(r, "de"), sig_person(r, p, "de", 0.9, 0.9),
             prev=prev, remember_key=p.addr)
    for f in fn:
        g.attach(m, "pdf", f, g.pdf_size("doc") * 2)
    m.folder = r.pick((".Steuerberater", ".Buchhaltung", "INBOX"))


# =============================================================================================
# Category: job-application
# =============================================================================================

JOBS_DE = ["Systemadministrator (m/w/d)", "Linux-Administrator (m/w/d)", "Werkstudent Support (m/w/d)", "Kaufmann/-frau für Büromanagement",
           "Ausbildung Fachinformatiker für Systemintegration", "Mitarbeiter Kundenservice (m/w/d)", "DevOps Engineer (m/w/d)", "Buchhalter (m/w/d) in Teilzeit"]
JOBS_EN = ["DevOps Engineer", "Site Reliability Engineer", "Linux System Administrator", "Customer Support Specialist (English/German)"]


def gen_job(g, m):
    r, w = g.rng, g.world
    a = w.choose(r, w.applicants)
    kind = r.wpick([("apply", 55), ("portal", 12), ("followup", 8), ("ack", 10), ("reject", 9), ("invite", 6)])
    lang = a.lang
    job = r.pick(JOBS_DE if lang == "de" else JOBS_EN)
    if kind in ("ack", "reject", "invite"):
        g.use_staff(m, w.boss if r.chance(0.7) else w.accountant, lang)
        s = w.boss if m.frm[1] == w.boss.addr else w.accountant
        m.frm = (m.frm[0], OP_ROLE_ADDRS["bewerbung"]) if r.chance(0.4) else m.frm
        m.to = [(a.name, a.addr)]
        prev = g.last(a.addr)
        if kind == "ack":
            paras = ([f"vielen Dank für Ihre Bewerbung und Ihr Interesse an einer Tätigkeit bei der {OP_NAME}.",
                      "Wir haben Ihre Unterlagen erhalten und melden uns innerhalb der nächsten zwei Wochen bei Ihnen."] if lang == "de" else
                     ["thank you for your application. We have received your documents and will get back to you within two weeks."])
        elif kind == "reject":
            paras = ([f"nochmals vielen Dank für Ihre Bewerbung als {job}.",
                      "Leider müssen wir Ihnen mitteilen, dass wir uns für eine andere Bewerberin bzw. einen anderen Bewerber entschieden haben. Diese Entscheidung ist uns nicht leichtgefallen.",
                      "Ihre Unterlagen werden wir sechs Monate nach Abschluss des Verfahrens gemäß den datenschutzrechtlichen Vorgaben löschen.",
                      "Wir wünschen Ihnen für Ihren weiteren Berufsweg alles Gute."] if lang == "de" else
                     ["thank you again for your application.", "Unfortunately we have decided to move forward with another candidate.",
                      "We will delete your documents six months after the end of the process. We wish you all the best."])
        else:
            d = local_dt(m.ts + r.randint(4, 12) * 86400, "eu")
            paras = ([f"vielen Dank für Ihre Bewerbung als {job}. Wir möchten Sie gern persönlich kennenlernen.",
                      f"Passt Ihnen {WOCHENTAGE[d.weekday() % 5]}, der {d.day:02d}.{d.month:02d}.{d.year}, um {r.randint(9, 16)}:00 Uhr bei uns im Büro ({OP_STREET}, {OP_CITY})?",
                      f"Bitte bestätigen Sie den Termin kurz an {OP_ROLE_ADDRS['bewerbung']}."] if lang == "de" else
                     ["thank you for your application. We would like to invite you to an interview.", f"Would {en_date(m.ts + 7 * 86400)} at 10:00 work for you (video call)?"])
        m.subject = reply_subject(r, lang, prev["subject"], m.style.name) if prev else \
            ((f"Ihre Bewerbung als {job}" if lang == "de" else f"Your application: {job}"))
        g.letter(m, s, greet(r, a, lang), paras, closing(r, lang), sig_staff(r, s, lang), prev=prev if r.chance(0.5) else None, remember_key=a.addr)
        m.folder = ".Sent"
        return
    if kind == "portal":
        portal, dom = r.pick((("JobBörse Nord", "jobboerse-nord.de"), ("Karriereportal24", "karriereportal24.de"), ("TalentHub", "talenthub.io")))
        g.use_system(m, portal, f"noreply@{dom}", "java", "own", "de")
        m.to = [g.op_to("bewerbung")]
        m.rcpt = m.to[0][1]
        m.reply_to = [(a.name, a.addr)]
        m.subject = r.pick((f"Neue Bewerbung: {a.plain} – {job}", f"Neue Bewerbung über {portal} für {job}", f"Bewerbung eingegangen: {job}"))
        paras = [f"für Ihre Stellenanzeige \"{job}\" ist eine neue Bewerbung eingegangen.",
                 f"Bewerber/in: {a.plain}\nE-Mail: {a.addr}\nTelefon: {a.mobile}\nWohnort: {a.city}",
                 f"Die vollständigen Unterlagen finden Sie im Anhang und in Ihrem Arbeitgeberkonto unter https://arbeitgeber.{dom}/bewerbungen/{r.randint(100000, 999999)}."]
        g.letter(m, None, "Guten Tag,", paras, f"Ihr {portal}-Team", ["", f"{portal} GmbH | Datenschutz: https://{dom}/datenschutz"])
        g.attach(m, "pdf", f"Lebenslauf_{slug(a.last, '_').capitalize()}.pdf", g.pdf_size("cv"))
        m.folder = r.pick((".Bewerbungen", "INBOX"))
        return
    g.use(m, a)
    m.to = [g.op_to(r.pick(("bewerbung", "jobs", "info") + (("rechnung", "buchhaltung") if MIX == "hard" else ())))] if r.chance(0.8) else [g.op_to(person=w.boss)]
    m.rcpt = m.to[0][1] if m.to[0][1] != OP_ROLE_ADDRS["jobs"] else OP_ROLE_ADDRS["bewerbung"]
    prev = g.last(a.addr)
    if kind == "followup":
        m.subject = reply_subject(r, lang, prev["subject"], m.style.name) if prev else ("Nachfrage zu meiner Bewerbung" if lang == "de" else "Follow-up on my application")
        paras = ([f"vor einigen Wochen habe ich mich bei Ihnen als {job} beworben. Darf ich nachfragen, wie der Stand des Verfahrens ist?",
                  "Ich bin weiterhin sehr an der Stelle interessiert."] if lang == "de" else
                 ["a few weeks ago I applied for the position. Could you let me know about the status?",
                  "From my side I could start on short notice, and I am happy to come in for an interview any day next week."])
        g.letter(m, a, greet(r, None, lang), paras, closing(r, lang), sig_person(r, a, lang, mail_p=0.9), prev=prev, remember_key=a.addr)
        m.folder = r.pick((".Bewerbungen", "INBOX"))
        return
    initiative = r.chance(0.2)
    if lang == "de":
        m.subject = ("Initiativbewerbung" + r.pick(("", f" – {a.plain}", " als Systemadministrator"))) if initiative else \
            r.pick((f"Bewerbung als {job}", f"Bewerbung um die Stelle als {job}", f"Bewerbung: {job} – {a.plain}", f"Ihre Stellenanzeige {job}"))
        paras = [r.pick((f"mit großem Interesse habe ich Ihre Stellenanzeige als {job} gelesen und bewerbe mich hiermit.",
                         f"hiermit bewerbe ich mich {'initiativ ' if initiative else ''}um eine Stelle in Ihrem Unternehmen.",
                         f"über {r.pick(('Ihre Website', 'die Arbeitsagentur', 'einen Bekannten', 'LinkedIn'))} bin ich auf Ihr Unternehmen aufmerksam geworden.")),
                 r.pick(("Ich habe meine Ausbildung zum Fachinformatiker abgeschlossen und arbeite seit drei Jahren als Administrator in einem mittelständischen Unternehmen.",
                         "Derzeit studiere ich Informatik an der Universität Hamburg im fünften Semester.", "Ich bringe mehrjährige Erfahrung mit Linux, Postfix, Dovecot und Ansible mit.",
                         "In meiner bisherigen Tätigkeit war ich für die Debitorenbuchhaltung und den Zahlungsverkehr verantwortlich.")),
                 f"Meine Gehaltsvorstellung liegt bei {r.randint(38, 72)}.000 EUR brutto jährlich, ich könnte zum {r.pick(('nächstmöglichen Zeitpunkt', '01.' + str(r.randint(1, 12)).zfill(2) + '.'))} beginnen.",
                 "Über eine Einladung zu einem persönlichen Gespräch freue ich mich sehr. Meine Unterlagen finden Sie im Anhang."]
    else:
        m.subject = r.pick((f"Application for the position of {job}", f"Application: {job}", f"{job} - {a.plain}"))
        paras = [f"I am writing to apply for the position of {job} advertised on your website.",
                 r.pick(("I have five years of experience running Linux infrastructure and mail servers.", "I recently graduated in computer science and relocated to Hamburg.")),
                 "I speak English fluently and German at B2 level.", "Please find my CV and cover letter attached. I look forward to hearing from you."]
    g.letter(m, a, greet(r, None, lang), paras, closing(r, lang), sig_person(r, a, lang, mail_p=0.9), remember_key=a.addr)
    ln = slug(a.last, "_").capitalize()
    files = []
    if r.chance(0.45):
        files.append(("pdf", r.pick((f"Bewerbung_{a.first}_{a.last}.pdf", f"Bewerbungsunterlagen_{ln}.pdf", f"Bewerbung {a.plain}.pdf")) if lang == "de" else f"Application_{ln}.pdf", "scan"))
    else:
        files.append(("pdf", r.pick((f"Anschreiben_{ln}.pdf", "Anschreiben.pdf", f"Anschreiben {a.plain}.pdf")) if lang == "de" else f"Cover_Letter_{ln}.pdf", "doc"))
        files.append(("pdf", r.pick((f"Lebenslauf_{ln}.pdf", "Lebenslauf.pdf", f"CV_{a.first}_{a.last}.pdf")) if lang == "de" else f"CV_{a.first}_{ln}.pdf", "cv"))
        if r.chance(0.5):
            files.append(("pdf", r.pick(("Zeugnisse.pdf", "Arbeitszeugnisse.pdf", f"Zeugnisse_{ln}.pdf")) if lang == "de" else "References.pdf", "scan"))
        if r.chance(0.2):
            files.append(("jpg", "Bewerbungsfoto.jpg", "photo"))
        if r.chance(0.08):
            files.append(("docx", "Anschreiben.docx", "doc"))
    for kind_, fn, sz in files:
        g.attach(m, kind_, fn, g.photo_size() // 4 if sz == "photo" else g.pdf_size(sz))
    m.folder = r.pick((".Bewerbungen", ".Bewerbungen", "INBOX"))


# =============================================================================================
# Category: inquiry
# =============================================================================================

def gen_inquiry(g, m):
    r, w = g.rng, g.world
    kind = r.wpick([("direct", 42), ("webform", 30), ("rfq_out", 10), ("partner", 6), ("existing", 12)])
    if kind == "rfq_out":
        c = r.pick([s for s in w.suppliers if s.kind in ("hardware", "datacenter", "transit", "licenses", "agency", "office")])
        p = r.pick(c.people)
        lang = c.lang
        g.use_staff(m, r.pick((w.boss, w.admin)), lang)
        s = w.boss if m.frm[1] == w.boss.addr else w.admin
        m.to = [(p.name, p.addr)]
        what = r.pick(("3 Server Dell R660 mit 256 GB RAM", "10 SSDs 3,84 TB (Enterprise)", "ein weiteres Rack mit 2 x 16 A", "Transit 10 Gbit/s", "50 Lizenzen Windows Server",
                       "Wartungsvertrag für unsere Switches")) if lang == "de" else r.pick(("a redesign of our website", "an enterprise backup plan for 20 TB", "a multi-domain certificate"))
        m.subject = (f"Anfrage: Angebot für {what}" if lang == "de" else f"Request for quote: {what}")
        paras = ([f"wir planen die Erweiterung unserer Infrastruktur und bitten um ein Angebot für {what}.",
                  f"Lieferung bitte an {OP_NAME}, {OP_STREET}, {OP_CITY}. Wichtig sind uns Lieferzeit und Garantiebedingungen.",
                  "Vielen Dank vorab!"] if lang == "de" else
                 [f"we are looking for a quote for {what}.", "Could you also tell us about lead times and support options?"])
        g.letter(m, s, greet(r, p, lang), paras, closing(r, lang), sig_staff(r, s, lang), remember_key=p.addr)
        m.folder = ".Sent"
        return
    if kind == "webform":
        p = w.choose(r, w.prospects)
        lang = p.lang
        g.use_system(m, "Muster Hosting Website" if r.chance(0.6) else "", OP_ROLE_ADDRS["noreply"] if r.chance(0.7) else f"www-data@web0{r.randint(1, 4)}.{OP_DOMAIN}",
                     "phpmailer", "local", lang)
        m.direction = "local"
        m.local_host = r.pick(("web01", "web02", "web03"))
        m.to = [g.op_to(r.pick(("info", "vertrieb")))]
        m.rcpt = m.to[0][1]
        m.reply_to = [(p.plain, p.addr)]
        m.style.html = r.chance(0.3)
        subj = r.pick(("Neue Nachricht über das Kontaktformular", "Kontaktformular: Anfrage", f"[muster-hosting.de] Kontaktanfrage von {p.plain}", "Anfrage über www.muster-hosting.de"))
        m.subject = subj
        topic = r.pick(("Wir suchen Webhosting für unseren Verein mit ca. 30 E-Mail-Postfächern. Was würde das kosten?",
                        "Bieten Sie auch Managed Server mit Backup an? Wir haben eine Shopware-Installation mit ca. 5.000 Artikeln.",
                        "Können Sie unsere Domain von einem anderen Anbieter übernehmen? Wie läuft das ab?",
                        "Ich hätte gern ein Angebot für 10 Nextcloud-Zugänge für unser Büro.",
                        "Do you offer hosting in Germany with a data processing agreement? We need about 200 GB of storage.",
                        "Wie schnell ist Ihr Support im Störungsfall erreichbar? Gibt es eine Notfall-Hotline?"))
        text = (f"Folgende Nachricht wurde über das Kontaktformular auf https://www.{OP_DOMAIN}/kontakt gesendet:\n\n"
                f"Name: {p.plain}\nFirma: {p.company.name if p.company else '-'}\nE-Mail: {p.addr}\nTelefon: {p.phone if r.chance(0.7) else ''}\n"
                f"Betreff: {r.pick(('Angebot', 'Frage', 'Webhosting', 'Server', 'Domain'))}\n\nNachricht:\n{topic}\n\n"
                f"Datenschutzerklärung akzeptiert: ja\n--\nGesendet am {de_date(m.ts)} um {local_dt(m.ts, 'eu').hour:02d}:{local_dt(m.ts, 'eu').minute:02d} Uhr\n"
                f"IP-Adresse: {r.ip()}\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{r.randint(90, 130)}.0.0.0 Safari/537.36\n")
        m.text = text
        if m.style.html:
            rows = "".join(f"<tr><td><b>{html_escape(k)}</b></td><td>{html_escape(v)}</td></tr>" for k, v in
                           (("Name", p.plain), ("E-Mail", p.addr), ("Nachricht", topic)))
            m.html = f"<html><body><h3>Kontaktformular</h3><table>{rows}</table></body></html>\n"
        g.remember(p.addr, m, p.plain, p.addr, [topic], [])
        m.folder = "INBOX"
        return
    p = w.choose(r, w.prospects if kind != "existing" else w.customers)
    g.use(m, p)
    lang = m.lang
    m.to = [g.op_to(r.pick(("info", "vertrieb", "support")))]
    m.rcpt = m.to[0][1]
    if kind == "partner":
        m.subject = r.pick(("Anfrage Kooperation / Reseller-Programm", "Partnerschaft Agentur – Hosting für unsere Kunden")) if lang == "de" else "Partnership inquiry"
        paras = (["wir sind eine Webagentur und betreuen rund 40 Kunden. Bieten Sie ein Reseller- oder Partnerprogramm an?",
                  "Interessant wären für uns Sonderkonditionen und ein zentraler Zugang für alle Kundenprojekte."] if lang == "de" else
                 ["we are a web agency looking for a hosting partner in Germany. Do you have a reseller program?", r.pick(FROM_LINES)])
    else:
        pr = r.pick(PRODUCTS)
        if lang == "de":
            m.subject = r.pick((f"Anfrage {pr[0]}", "Anfrage Webhosting", f"Frage zu Ihren Hosting-Paketen", "Angebotsanfrage", f"Preis für {pr[0]}?",
                                "Anfrage: Umzug unserer Website zu Ihnen", "Frage zu Ihrem Angebot"))
            paras = [r.pick((f"wir interessieren uns für Ihr Produkt {pr[0]} und hätten dazu einige Fragen.", "ich bin auf der Suche nach einem neuen Hosting-Anbieter für unsere Firma.",
                             "eine Bekannte hat Sie mir empfohlen. Wir suchen einen Anbieter für unsere E-Mail-Postfächer und die Website.")),
                     r.pick(("Wie viele Postfächer sind enthalten und gibt es eine tägliche Datensicherung?", "Stehen die Server in Deutschland? Das ist uns aus Datenschutzgründen wichtig.",
                             "Können Sie uns beim Umzug von unserem bisherigen Anbieter unterstützen?", "Welche Vertragslaufzeit hat das Paket?")),
                     "Über ein unverbindliches Angebot würden wir uns freuen."]
        else:
            m.subject = r.pick((f"Question about {pr[1]}", "Request for quote: hosting", "Question about your hosting packages", "Pricing inquiry"))
            paras = [f"we are interested in your {pr[1]} and have a few questions.", "Are your servers located in Germany? Do you offer daily backups?",
                     "Could you send us a quote?"]
            if r.chance(0.4):
                paras.insert(1, r.pick(FROM_LINES))
    g.letter(m, p, greet(r, None, lang), paras, closing(r, lang), sig_person(r, p, lang), remember_key=p.addr)
    m.folder = "INBOX"


# =============================================================================================
# Category: privacy-request
# =============================================================================================

def gen_privacy(g, m):
    r, w = g.rng, g.world
    kind = r.wpick([("art15", 30), ("art17", 25), ("art21", 10), ("webform", 10), ("lawyer", 5), ("answer", 20)])
    p = w.choose(r, w.customers if r.chance(0.6) else w.prospects)
    lang = p.lang
    if kind == "answer":
        g.use_staff(m, w.boss, lang)
        m.frm = (f"{OP_NAME} Datenschutz", OP_ROLE_ADDRS["datenschutz"]) if r.chance(0.5) else m.frm
        m.to = [(p.name, p.addr)]
        prev = g.last(p.addr)
        which = r.pick(("15", "17"))
        if which == "15":
            m.subject = "Ihre Anfrage nach Art. 15 DSGVO" if lang == "de" else "Your data subject access request (Art. 15 GDPR)"
            paras = ([f"Sie haben uns am {de_date(m.ts - r.randint(3, 25) * 86400)} um Auskunft über die zu Ihrer Person gespeicherten Daten gebeten.",
                      f"Wir verarbeiten folgende Daten: Name, Anschrift, E-Mail-Adresse ({p.addr}), Telefonnummer, Vertrags- und Rechnungsdaten sowie Ihre Korrespondenz mit uns.",
                      "Die vollständige Auskunft einschließlich der Zwecke, Empfänger und Speicherdauer finden Sie im angehängten PDF. Eine Kopie der Daten erhalten Sie auf Wunsch zusätzlich in einem maschinenlesbaren Format."]
                     if lang == "de" else
                     ["you asked us for access to the personal data we hold about you.", f"We process: name, postal address, email address ({p.addr}), phone number, contract and billing data.",
                      "The full information is attached."])
            att = (f"Auskunft_Art15_{slug(p.last, '_')}.pdf" if lang == "de" else f"DSAR_response_{slug(p.last, '_')}.pdf")
        else:
            m.subject = "Bestätigung der Löschung Ihrer Daten" if lang == "de" else "Confirmation: your data has been erased"
            paras = (["hiermit bestätigen wir, dass wir Ihre personenbezogenen Daten gemäß Art. 17 DSGVO gelöscht haben.",
                      "Ausgenommen sind Rechnungsdaten, die wir aufgrund gesetzlicher Aufbewahrungspflichten (§ 147 AO, § 257 HGB) bis zum Ablauf der Fristen aufbewahren müssen. Diese Daten sind gesperrt."]
                     if lang == "de" else ["we confirm that we have erased your personal data under Art. 17 GDPR, except for invoices we must keep by law."])
            att = None
        if prev:
            m.subject = reply_subject(r, lang, prev["subject"], m.style.name)
        g.letter(m, w.boss, greet(r, p, lang), paras, closing(r, lang), sig_staff(r, w.boss, lang), prev=prev if r.chance(0.6) else None, remember_key=p.addr)
        if att:
            g.attach(m, "pdf", att, g.pdf_size())
        m.folder = ".Sent"
        return
    if kind == "webform":
        g.use_system(m, "Muster Hosting Website", OP_ROLE_ADDRS["noreply"], "phpmailer", "local", "de")
        m.direction = "local"
        m.local_host = r.pick(("web01", "web02"))
        m.to = [g.op_to(r.pick(("info", "datenschutz")))]
        m.rcpt = m.to[0][1]
        m.reply_to = [(p.plain, p.addr)]
        m.style.html = False
        m.subject = r.pick(("Neue Nachricht über das Kontaktformular", "Kontaktformular: Datenschutz", "Kontaktformular: Anfrage"))
        msg = r.pick(("Ich möchte wissen, welche Daten Sie über mich gespeichert haben (Art. 15 DSGVO). Bitte schicken Sie mir eine Kopie.",
                      "Bitte löschen Sie alle meine Daten und bestätigen Sie mir die Löschung. Ich bin kein Kunde mehr.",
                      "Ich widerspreche der Verwendung meiner Daten für Werbung. Bitte keine Newsletter mehr."))
        m.text = (f"Folgende Nachricht wurde über das Kontaktformular auf https://www.{OP_DOMAIN}/kontakt gesendet:\n\n"
                  f"Name: {p.plain}\nE-Mail: {p.addr}\nBetreff: Datenschutz\n\nNachricht:\n{msg}\n\nDatenschutzerklärung akzeptiert: ja\n--\nIP-Adresse: {r.ip()}\n")
        g.remember(p.addr, m, p.plain, p.addr, [msg], [])
        m.folder = "INBOX"
        return
    if kind == "lawyer":
        firm = r.pick(("Rechtsanwälte Brandt & Weiß", "Kanzlei Dr. Oßwald", "Datenschutzkanzlei Nord"))
        lawyer_addr = f"{slug(r.pick(LAST))}@{slug(firm.split()[-1] if '&' not in firm else 'brandt-weiss', '-')}-recht.de"
        m.frm = (firm, lawyer_addr)
        g.use_system(m, f"RA {r.pick(F_FIRST + M_FIRST)} {firm.split()[-1]}", lawyer_addr, "outlook", "own", "de")
        m.to = [g.op_to("datenschutz")]
        m.rcpt = m.to[0][1]
        m.subject = f"Unser Mandant {p.plain} – Auskunftsersuchen gem. Art. 15 DSGVO"
        paras = [f"wir zeigen an, dass wir die rechtlichen Interessen von {'Herrn' if p.gender == 'm' else 'Frau'} {p.plain}, {p.street}, {p.city}, vertreten. Eine auf uns lautende Vollmacht fügen wir bei.",
                 f"Namens und im Auftrag unseres Mandanten verlangen wir Auskunft gemäß Art. 15 DSGVO über sämtliche zu seiner Person gespeicherten Daten, insbesondere unter der E-Mail-Adresse {p.addr}.",
                 f"Wir haben uns hierfür eine Frist bis zum {de_date(m.ts + 30 * 86400)} notiert."]
        g.letter(m, None, "Sehr geehrte Damen und Herren,", paras, "Mit freundlichen Grüßen", ["", m.frm[0], firm, "Rechtsanwalt", f"E-Mail: {lawyer_addr}"])
        g.attach(m, "pdf", "Vollmacht.pdf", g.pdf_size("scan"))
        m.folder = "INBOX"
        return
    g.use(m, p)
    m.to = [g.op_to(r.pick(("datenschutz", "info", "support")))]
    m.rcpt = m.to[0][1]
    if kind == "art15":
        m.subject = r.pick(("Auskunftsersuchen nach Art. 15 DSGVO", "Auskunft über gespeicherte Daten", "Antrag auf Auskunft gemäß Art. 15 DS-GVO", "Datenauskunft")) if lang == "de" else \
            r.pick(("Data subject access request", "Subject access request under Art. 15 GDPR", "Request for a copy of my personal data"))
        paras = ([f"hiermit verlange ich gemäß Art. 15 DSGVO Auskunft darüber, ob Sie mich betreffende personenbezogene Daten verarbeiten (E-Mail: {p.addr}, Kundennummer {p.cust_no or 'unbekannt'}).",
                  "Falls ja, bitte ich um Auskunft über die Verarbeitungszwecke, die Kategorien der Daten, die Empfänger, die geplante Speicherdauer und die Herkunft der Daten sowie um eine Kopie der Daten (Art. 15 Abs. 3 DSGVO).",
                  f"Ich erwarte Ihre Antwort innerhalb eines Monats, also bis zum {de_date(m.ts + 30 * 86400)}."] if lang == "de" else
                 [f"under Article 15 GDPR I request access to the personal data you process about me (email: {p.addr}).",
                  "Please include the purposes, recipients, retention period and a copy of the data.", "I look forward to your reply within one month."])
    elif kind == "art17":
        m.subject = r.pick(("Löschung meiner Daten", "Antrag auf Löschung gem. Art. 17 DSGVO", "Bitte alle Daten löschen", "Recht auf Vergessenwerden")) if lang == "de" else \
            r.pick(("Right to erasure request", "Please delete my personal data", "Erasure request (Art. 17 GDPR)"))
        paras = ([f"ich fordere Sie auf, sämtliche personenbezogenen Daten zu meiner Person (insbesondere zu {p.addr}) gemäß Art. 17 DSGVO unverzüglich zu löschen.",
                  "Bitte bestätigen Sie mir die Löschung schriftlich. Soweit Sie Daten aufgrund gesetzlicher Pflichten aufbewahren müssen, bitte ich um Einschränkung der Verarbeitung."] if lang == "de" else
                 [f"please erase all personal data relating to me (in particular {p.addr}) under Article 17 GDPR and confirm the erasure in writing."])
    else:
        m.subject = "Widerspruch gegen Werbung (Art. 21 DSGVO)" if lang == "de" else "Objection to direct marketing (Art. 21 GDPR)"
        paras = (["ich widerspreche hiermit der Verarbeitung meiner Daten zu Werbezwecken. Bitte senden Sie mir keine Newsletter und Angebote mehr.",
                  f"Meine E-Mail-Adresse: {p.addr}"] if lang == "de" else [f"I object to the processing of my data for marketing. Please remove {p.addr} from all lists."])
    g.letter(m, p, greet(r, None, lang), paras, closing(r, lang), sig_person(r, p, lang, mail_p=0.8), remember_key=p.addr)
    m.folder = "INBOX"


# =============================================================================================
# Category: newsletter
# =============================================================================================

ARTICLES = {
    "tech": [("PHP 8.4 ist erschienen: Was Hoster jetzt wissen müssen", "Property Hooks, neue Array-Funktionen und einige Abkündigungen."),
             ("Let's Encrypt verkürzt die Laufzeit von Zertifikaten", "Automatisierung wird Pflicht: So stellen Sie Ihre Server um."),
             ("Kritische Lücke in OpenSSH geschlossen", "Admins sollten ihre Systeme umgehend aktualisieren."),
             ("So schützen Sie Ihren Mailserver vor Spam", "SPF, DKIM und DMARC richtig konfigurieren."),
             ("IPv6 in Deutschland: Mehr als die Hälfte des Traffics", "Warum Sie Ihre Dienste jetzt dual-stack betreiben sollten."),
             ("Neues Rechenzentrum in Frankfurt eröffnet", "Mehr Kapazität und 100 % Ökostrom."),
             ("Debian 13 \"Trixie\": Upgrade-Checkliste", "Was Sie vor dem Dist-Upgrade prüfen sollten.")],
    "shop": [("Jetzt bequem auf Rechnung kaufen!", "Bestellen Sie wie gewohnt und bezahlen Sie erst nach Erhalt der Ware – per Rechnung."),
             ("Nur heute: 20 % auf alles", "Mit dem Code SPAR20 im Warenkorb."), ("Gratis Versand ab 49 €", "Gilt für alle Bestellungen bis Sonntag."),
             ("Neu im Sortiment", "Entdecken Sie unsere Frühjahrskollektion."), ("Black Week: Die besten Deals", "Bis zu 50 % Rabatt auf ausgewählte Artikel."),
             ("Ihre Rechnung sparen: Staffelpreise für Geschäftskunden", "Ab 10 Stück gelten automatisch günstigere Preise.")],
    "chamber": [("E-Rechnung: Neue Pflichten für Unternehmen", "Ab 2025 müssen Unternehmen E-Rechnungen empfangen können."),
                ("Ausbildungsmesse: Jetzt Stand buchen", "Treffen Sie Bewerberinnen und Bewerber für Ihre Ausbildungsplätze."),
                ("Konjunkturumfrage: Ihre Meinung zählt", "Die Umfrage dauert nur fünf Minuten."), ("Mindestlohn steigt zum 1. Januar", "Was Arbeitgeber beachten müssen."),
                ("Webinar: Fachkräfte gewinnen und halten", "Kostenfrei für Mitgliedsunternehmen.")],
    "privacy": [("Auskunftsersuchen nach Art. 15 DSGVO richtig beantworten", "Fristen, Umfang und typische Fehler bei der Datenauskunft."),
                ("Löschkonzept: So erfüllen Sie Art. 17 DSGVO", "Aufbewahrungsfristen und Löschpflichten sauber dokumentieren."),
                ("Bußgeld wegen fehlender AV-Verträge", "Eine Aufsichtsbehörde verhängt 25.000 Euro gegen einen Online-Händler."),
                ("Aufbewahrungsfristen: Was ändert sich?", "Buchungsbelege nur noch acht statt zehn Jahre aufbewahren."),
                ("Bewerberdaten: Wie lange dürfen Sie speichern?", "Sechs Monate nach Absage gelten als Richtwert.")],
    "tax": [("E-Rechnung ab 2025: Was Unternehmer wissen müssen", "Übergangsfristen, Formate und Pflichten im Überblick."),
            ("Aufbewahrungsfrist für Buchungsbelege auf acht Jahre verkürzt", "Das Bürokratieentlastungsgesetz ändert § 147 AO."),
            ("Jahresabschluss: Diese Fristen gelten", "Offenlegung, Feststellung und Steuererklärung im Überblick."),
            ("Umsatzsteuer: Neue Regeln für Gutschriften", "Warum eine falsch bezeichnete Gutschrift teuer werden kann."),
            ("Kassenbelege und Quittungen richtig archivieren", "Tipps für die GoBD-konforme Ablage.")],
    "travel": [("Last-Minute an die Ostsee", "Ferienwohnungen ab 59 € pro Nacht."), ("Frühbucher-Rabatt Mallorca", "Jetzt bis zu 25 % sparen."),
               ("Städtereise Wien", "3 Nächte im 4-Sterne-Hotel inkl. Frühstück.")],
    "event": [("Early bird tickets end Friday", "Save 30% on your conference pass."), ("Call for papers is open", "Submit your talk by the end of the month."),
              ("Keynote speakers announced", "Hear from leaders in cloud infrastructure."), ("Your invoice-free trial: try the Pro plan", "No credit card needed.")],
    "security": [("Warnung: Phishing-Mails mit gefälschten Rechnungen", "Kriminelle verschicken derzeit E-Mails mit angeblichen Rechnungen im ZIP-Anhang."),
                 ("Ransomware-Welle trifft den Mittelstand", "So bereiten Sie sich auf den Ernstfall vor."),
                 ("Patchday: Microsoft schließt 74 Lücken", "Drei davon werden bereits aktiv ausgenutzt.")],
}
ARTICLES_EN = {"tech": [("Kubernetes 1.30: what's new", "Highlights of the latest release."), ("The state of IPv6 in 2024", "Adoption keeps growing."),
                        ("A practical guide to DMARC", "From p=none to p=reject in four weeks.")],
               "shop": [("Deals of the week", "Up to 60% off laptops and monitors."), ("Pay later with invoice", "Now available for business customers."),
                        ("Flash sale: 24 hours only", "Don't miss out.")]}


def gen_newsletter(g, m):
    r, w = g.rng, g.world
    weights = [(b, 1.0 / (i + 1) ** 0.7) for i, b in enumerate(NEWSLETTERS)]
    brand, dom, local, lang, esp, topic = r.wpick(weights)
    year = utc_year(m.ts)
    sub = r.pick(("news", "mail", "newsletter", "em", "info")) + "." + dom if esp != "mailchimp" else dom
    g.use_system(m, brand, f"{local}@{sub}", "phpmailer", f"esp:{esp}", lang, "us" if lang == "en" else "eu")
    recipient = r.pick((w.boss, w.boss, w.accountant, w.admin, None))
    to_addr = recipient.addr if recipient else OP_ROLE_ADDRS["info"]
    m.to = [(recipient.plain if recipient and r.chance(0.5) else "", to_addr)]
    m.rcpt = to_addr
    sid = r.hexs(10)
    m.envelope = {"mailchimp": f"bounce-mc.us{r.randint(1, 21)}_{r.randint(10**7, 10**8)}.{r.randint(10**5, 10**6)}-{r.hexs(10)}@mail{r.randint(10, 250)}.atl{r.randint(11, 250)}.mcdlv.net",
                  "cleverreach": f"bounce-{r.randint(10**6, 10**7)}-{r.randint(10**6, 10**7)}-{sid}@crsend.com",
                  "rapidmail": f"bounces+{r.randint(10**5, 10**6)}-{sid}@emsmtp.com",
                  "brevo": f"{r.alnum(20)}@bounces.sendinblue.com" if year < 2023 else f"{r.alnum(20)}@bounces.brevo.com",
                  "inxmail": f"bounce-{r.randint(10**5, 10**6)}@bounce.inxserver.de",
                  "hubspot": f"{r.alnum(24)}@bounce.{dom}"}[esp]
    pool = ARTICLES.get(topic) if lang == "de" else ARTICLES_EN.get(topic, ARTICLES_EN["tech"])
    if pool is None:
        pool = ARTICLES["tech"]
    arts = r.sample(pool, min(len(pool), r.randint(2, 5)))
    issue = g.count(("issue", dom), r.randint(10, 200), (1, 1))
    emoji = r.pick(("", "", "", "🎉 ", "🔥 ", "📢 ", "☀️ ", "⚡ "))
    m.subject = r.pick((f"{emoji}{arts[0][0]}", f"{brand} #{issue}: {arts[0][0]}", f"{brand} Newsletter {local_dt(m.ts, 'eu').month:02d}/{local_dt(m.ts, 'eu').year}",
                        f"{emoji}{arts[0][0]} | {brand}")) if lang == "de" else r.pick((f"{emoji}{arts[0][0]}", f"{brand} #{issue}: {arts[0][0]}", f"This week at {brand}"))
    m.style.hs = HeaderStyle("UTF-8", r.pick(("B", "Q")))
    unsub_id = r.hexs(24)
    unsub = f"https://{sub}/u/{unsub_id}"
    lid = {"mailchimp": f"{r.hexs(25)}.{r.randint(100000, 999999)}.list-id.mcsv.net", "cleverreach": f"{r.randint(100000, 999999)}.{dom}"}.get(esp, f"{slug(brand, '-')}.{dom}")
    m.list_headers = [("List-Id", f"{brand} <{lid}>" if r.chance(0.6) else f"<{lid}>"),
                      ("List-Unsubscribe", f"<mailto:unsubscribe-{unsub_id}@{sub}?subject=unsubscribe>, <{unsub}>" if r.chance(0.7) else f"<{unsub}>")]
    if year >= 2019 and r.chance(0.8 if year >= 2024 else 0.4):
        m.list_headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    m.list_headers.append(("Precedence", "bulk"))
    m.list_headers.append(("Feedback-ID", f"{r.randint(1000, 99999)}:{r.randint(1000, 99999)}:{esp}"))
    if esp in ("cleverreach", "inxmail"):
        m.list_headers.append(("X-CSA-Complaints", "csa-complaints@eco.de"))
    if esp == "mailchimp":
        m.list_headers.append(("X-Mailer", f"MailChimp Mailer - **CID{r.hexs(20)}**"))
        m.list_headers.append(("X-Campaign", f"mailchimp{r.hexs(25)}.{r.hexs(10)}"))
    m.style.ua = None
    link = lambda slugtext: f"https://{sub}/c/{r.hexs(16)}?url=https%3A%2F%2Fwww.{dom}%2F{slug(slugtext, '-')[:40]}&utm_source=newsletter&utm_medium=email&utm_campaign={slug(brand, '-')}-{issue}"
    hello = (f"Hallo {recipient.first}," if recipient and lang == "de" else f"Hi {recipient.first}," if recipient else ("Liebe Leserinnen und Leser," if lang == "de" else "Hello,"))
    txt = [f"{brand} – Ausgabe {issue}" if lang == "de" else f"{brand} – issue {issue}", "", hello, ""]
    blocks = []
    for title, teaser in arts:
        url = link(title)
        more = r.pick(("Weiterlesen", "Mehr erfahren", "Jetzt entdecken")) if lang == "de" else r.pick(("Read more", "Learn more"))
        body = teaser + " " + " ".join(r.sample([
            "Unsere Redaktion hat die wichtigsten Punkte für Sie zusammengefasst." if lang == "de" else "Our editors summarised the key points for you.",
            "Ein Praxisbeispiel zeigt, wie kleine Unternehmen die Umstellung bewältigen." if lang == "de" else "A case study shows how small businesses cope.",
            "Außerdem: eine Checkliste zum Herunterladen." if lang == "de" else "Plus: a checklist to download.",
            "Die Anmeldung ist ab sofort möglich." if lang == "de" else "Registration is open now.",
            "Das Angebot gilt nur solange der Vorrat reicht." if lang == "de" else "While stocks last."], 2))
        txt += [title.upper() if r.chance(0.3) else title, "-" * min(len(title), 60), body, f"{more}: {url}", ""]
        img = f"https://{sub}/img/{r.hexs(12)}.jpg"
        blocks.append(f'''<tr><td style="padding:20px 30px 0 30px;font-family:Arial,Helvetica,sans-serif;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td width="180" valign="top" style="padding-right:20px;"><a href="{url}" target="_blank"><img src="{img}" width="180" height="120" alt="{html_escape(title)}" style="display:block;border:0;border-radius:4px;"></a></td>
<td valign="top"><h2 style="margin:0 0 10px 0;font-size:20px;line-height:26px;color:#1a1a1a;font-weight:bold;">{html_escape(title)}</h2>
<p style="margin:0 0 12px 0;font-size:15px;line-height:22px;color:#444444;">{html_escape(body)}</p>
<a href="{url}" target="_blank" style="display:inline-block;padding:10px 18px;background-color:#0069b4;color:#ffffff;text-decoration:none;border-radius:3px;font-size:14px;">{more} &rarr;</a></td>
</tr></table></td></tr>''')
    imprint = (f"{brand} | {r.pick(STREETS)} {r.randint(1, 99)} | {r.pick(PLACES)[1]} {r.pick(PLACES)[0]} | info@{dom}" if lang == "de" else
               f"{brand} | {r.randint(1, 999)} {r.pick(STREETS_EN)} | {r.pick(PLACES_EN)[0]} | hello@{dom}")
    foot_de = f"Sie erhalten diesen Newsletter, weil Sie sich mit der Adresse {to_addr} angemeldet haben. Abmelden: {unsub}"
    foot_en = f"You are receiving this email because {to_addr} subscribed to {brand}. Unsubscribe: {unsub}"
    txt += ["-" * 40, imprint, foot_de if lang == "de" else foot_en, ""]
    m.text = "\n".join(txt)
    pixel = f'<img src="https://{sub}/o/{r.hexs(32)}.gif" width="1" height="1" alt="" style="display:block;height:1px;width:1px;border:0;">'
    style_block = "".join(f".c{i}{{margin:0;padding:{i}px;font-size:{12 + i % 6}px;line-height:{18 + i % 8}px;color:#{r.hexs(6)};}}\n" for i in range(r.randint(20, 120)))
    m.html = f'''<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" lang="{lang}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html_escape(m.subject)}</title>
<style type="text/css">
body{{margin:0;padding:0;-webkit-text-size-adjust:100%;-ms-text-size-adjust:100%;}}
table,td{{border-collapse:collapse;mso-table-lspace:0pt;mso-table-rspace:0pt;}}
img{{border:0;height:auto;line-height:100%;outline:none;text-decoration:none;-ms-interpolation-mode:bicubic;}}
@media only screen and (max-width:600px){{.mobile-full{{width:100%!important;}} .mobile-hide{{display:none!important;}}}}
{style_block}</style>
</head>
<body style="margin:0;padding:0;background-color:#f2f2f2;">
<div style="display:none;max-height:0;overflow:hidden;">{html_escape(arts[0][1])}&#847;&zwnj;&nbsp;&#847;&zwnj;&nbsp;&#847;&zwnj;&nbsp;</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f2f2f2"><tr><td align="center">
<table role="presentation" class="mobile-full" width="640" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff">
<tr><td style="padding:10px 30px;font-size:11px;color:#888888;font-family:Arial,sans-serif;" align="right"><a href="https://{sub}/web/{r.hexs(16)}" style="color:#888888;">{"Im Browser ansehen" if lang == "de" else "View in browser"}</a></td></tr>
<tr><td style="padding:20px 30px;"><img src="https://{sub}/img/logo.png" width="200" height="50" alt="{html_escape(brand)}"></td></tr>
<tr><td style="padding:0 30px;font-family:Arial,sans-serif;font-size:16px;">{html_escape(hello)}</td></tr>
{"".join(blocks)}
<tr><td style="padding:30px;font-size:12px;line-height:18px;color:#888888;font-family:Arial,sans-serif;">{html_escape(imprint)}<br>
{html_escape(foot_de if lang == "de" else foot_en).replace(html_escape(unsub), f'<a href="{unsub}" style="color:#888888;">{html_escape(unsub)}</a>')}</td></tr>
</table></td></tr></table>
{pixel}
</body>
</html>
'''
    m.style.html_only = r.chance(0.1)
    m.folder = r.wpick([(".Newsletter", 50), ("INBOX", 42), (".Trash", 8)])


# =============================================================================================
# Category: system-mail
# =============================================================================================

def _sysmsg(g, m, host, frm_name, frm_local, subject, text, rcpt_local="root"):
    r = g.rng
    m.frm = (frm_name, f"{frm_local}@{host}.{OP_DOMAIN}" if "@" not in frm_local else frm_local)
    m.sender_domain = OP_DOMAIN
    m.style = mailer_style("mutt", utc_year(m.ts), r, OP_DOMAIN, "de")
    m.style.ua = None
    m.style.flowed = False
    m.style.name = "system"
    m.direction = "local"
    m.local_host = host
    m.envelope = m.frm[1]
    m.to = [("", f"{rcpt_local}@{host}.{OP_DOMAIN}" if r.chance(0.5) else OP_ROLE_ADDRS["root"])]
    m.rcpt = OP_ROLE_ADDRS["root"] if r.chance(0.7) else w_admin_addr(g)
    m.subject = subject
    m.text = text
    y = utc_year(m.ts)
    t = local_dt(m.ts, "eu")
    m.msgid = f"<{t.year}{t.month:02d}{t.day:02d}{t.hour:02d}{t.minute:02d}{t.second:02d}.{_qid(r, y)}@{host}.{OP_DOMAIN}>"


def w_admin_addr(g):
    return g.world.admin.addr


def gen_system(g, m):
    r, w = g.rng, g.world
    kind = r.wpick([("cron", 26), ("logwatch", 12), ("fail2ban", 10), ("monitor", 14), ("dsn", 9), ("dsn_remote", 3), ("smartd", 3),
                    ("dmarc", 8), ("letsencrypt", 3), ("upgrades", 6), ("vzdump", 5), ("mdadm", 1), ("ups", 1), ("quota", 2)])
    host = r.pick(OP_HOSTS)
    t = local_dt(m.ts, "eu")
    if kind == "cron":
        job = r.wpick([("backup", 30), ("certbot", 10), ("invoices", 12), ("mysqldump", 10), ("apt", 8), ("logrotate", 6), ("rkhunter", 6), ("custom", 8),
                       ("spamtrap", 4)])
        if job == "backup":
            cmd = r.pick(("/usr/local/bin/backup.sh", "/usr/local/sbin/borg-backup.sh", "/root/bin/nightly-backup"))
            arch = f"{host}-{t.year}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}"
            orig = r.randint(20, 900)
            text = (f"------------------------------------------------------------------------------\nRepository: borg@backup01.{OP_DOMAIN}:/srv/borg/{host}\n"
                    f"Archive name: {arch}\nArchive fingerprint: {r.hexs(64)}\nTime (start): {WEEKDAYS[t.weekday()]}, {t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}\n"
                    f"Duration: {r.randint(1, 59)} minutes {r.randint(0, 59)}.{r.randint(10, 99)} seconds\nNumber of files: {r.randint(10000, 3000000)}\n"
                    "------------------------------------------------------------------------------\n                       Original size      Compressed size    Deduplicated size\n"
                    f"This archive:               {orig}.{r.randint(10, 99)} GB            {orig * 0.6:.2f} GB            {r.randint(10, 999)}.{r.randint(10, 99)} MB\n"
                    f"All archives:                {orig * 30 / 1000:.2f} TB              {orig * 18 / 1000:.2f} TB            {orig * 0.9:.2f} GB\n"
                    "------------------------------------------------------------------------------\n")
            if r.chance(0.2):
                text += f"Warning: /var/lib/mysql/ibdata1: file changed while we backed it up\nterminating with warning status, rc 1\n"
        elif job == "certbot":
            cmd = "test -x /usr/bin/certbot -a \\! -d /run/systemd/system && perl -e 'sleep int(rand(43200))' && certbot -q renew"
            dom = r.pick(w.customers_c).domain
            text = (f"Attempting to renew cert ({dom}) from /etc/letsencrypt/renewal/{dom}.conf produced an unexpected error: "
                    f"Failed authorization procedure. www.{dom} (http-01): urn:ietf:params:acme:error:unauthorized :: The client lacks sufficient authorization :: "
                    f"Invalid response from http://www.{dom}/.well-known/acme-challenge/{r.alnum(43)}: 404. Skipping.\n"
                    f"All renewal attempts failed. The following certs could not be renewed:\n  /etc/letsencrypt/live/{dom}/fullchain.pem (failure)\n")
        elif job == "invoices":
            cmd = "cd /var/www/billing && php artisan billing:run --month=previous"
            n = r.randint(180, 640)
            text = (f"[{t.year}-{t.month:02d}-{t.day:02d} 03:00:01] Rechnungslauf gestartet ({_period(m.ts, 'de')})\n"
                    f"[{t.year}-{t.month:02d}-{t.day:02d} 03:0{r.randint(1, 9)}:12] {n} Rechnungen erzeugt, {r.randint(0, 4)} Fehler\n")
            for _ in range(r.randint(0, 3)):
                c = w.choose(r, w.customers)
                text += f"[WARN] Rechnung für Kunde {c.cust_no} ({c.addr}): SEPA-Mandat fehlt, Versand per E-Mail\n"
            text += f"[{t.year}-{t.month:02d}-{t.day:02d} 03:1{r.randint(0, 9)}:40] Versand an {n} Empfänger abgeschlossen. PDF-Archiv: /srv/billing/archive/{t.year}/{t.month:02d}/\n"
            host = "web01"
        elif job == "mysqldump":
            cmd = "/usr/local/bin/mysql-backup.sh"
            text = "mysqldump: [Warning] Using a password on the command line interface can be insecure.\n" * r.randint(1, 3)
            if r.chance(0.3):
                text += "mysqldump: Error: 'Lost connection to MySQL server during query' when trying to dump tablespaces\n"
            host = r.pick(("db01", "db02"))
        elif job == "apt":
            cmd = "apt-get -qq update"
            text = (f"W: Failed to fetch http://deb.debian.org/debian/dists/{r.pick(('bullseye', 'bookworm', 'trixie'))}/InRelease  Temporary failure resolving 'deb.debian.org'\n"
                    "W: Some index files failed to download. They have been ignored, or old ones used instead.\n")
        elif job == "logrotate":
            cmd = "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )"
            text = ("/etc/cron.daily/logrotate:\nerror: error creating output file /var/log/nginx/access.log.1.gz: File exists\n"
                    "run-parts: /etc/cron.daily/logrotate exited with return code 1\n")
        elif job == "spamtrap":
            # a digest of a spam trap mailbox, pasted as mbox text: From_ lines and >From lines in a body
            cmd = "/usr/local/bin/spamtrap-digest --since yesterday"
            text = f"Spamtrap digest for trap@{OP_DOMAIN} ({t.year}-{t.month:02d}-{t.day:02d})\n\n"
            for _ in range(r.randint(1, 4)):
                sender = f"{r.alnum(7, 'abcdefghijklmnopqrstuvwxyz0123456789')}@{r.alnum(6, 'abcdefghijklmnopqrstuvwxyz')}.{r.pick(('top', 'xyz', 'ru', 'info'))}"
                text += (f"From {sender}  {asctime_utc(m.ts - r.randint(3600, 80000))}\nSubject: {r.pick(('Invoice overdue', 'Dear Friend', 'Your parcel', 'Bitcoin'))}\n"
                         f">From the desk of {r.pick(('Dr. Ahmed Bello', 'Mrs. Grace Williams', 'the Claims Department'))}\n"
                         f"{r.pick(('Kindly reply urgently.', 'Click the link below.', 'Open the attachment.'))}\n\n")
        elif job == "rkhunter":
            cmd = "/etc/cron.daily/rkhunter"
            text = ("Warning: The file properties have changed:\n         File: /usr/bin/curl\n         Current hash: " + r.hexs(64) +
                    "\n         Stored hash : " + r.hexs(64) + "\n         Current inode: " + str(r.randint(100000, 999999)) + "\n")
        else:
            cmd = r.pick(("/usr/local/bin/check-disk-usage", "/opt/scripts/sync-dns-zones.sh", "/usr/local/bin/mailq-report"))
            text = f"Filesystem      Size  Used Avail Use% Mounted on\n/dev/md2        {r.randint(1, 8)}.{r.randint(0, 9)}T  {r.randint(1, 8)}.{r.randint(0, 9)}T  {r.randint(10, 900)}G  {r.randint(80, 99)}% /srv\n"
            if "mailq" in cmd:
                text = "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n"
                for _ in range(r.randint(1, 4)):
                    c = w.choose(r, w.customers)
                    text += f"{_qid(r, utc_year(m.ts))}*    {r.randint(1000, 90000)} {WEEKDAYS[t.weekday()]} {MONTHS[t.month - 1]} {t.day} 0{r.randint(0, 5)}:{r.randint(10, 59)}:{r.randint(10, 59)}  {w.sales.addr}\n                                         {c.addr}\n\n"
        _sysmsg(g, m, host, "Cron Daemon", "root", f"Cron <root@{host}> {cmd}", text)
        m.extra += [("X-Cron-Env", "<SHELL=/bin/sh>"), ("X-Cron-Env", "<HOME=/root>"), ("X-Cron-Env", "<PATH=/usr/bin:/bin>"), ("X-Cron-Env", "<LOGNAME=root>")]
        if r.chance(0.6):
            m.extra.append(("Auto-Submitted", "auto-generated"))
        m.extra.append(("Precedence", "bulk"))
    elif kind == "logwatch":
        lines = [" ################### Logwatch 7.%d.%d (%s) ####################" % (r.randint(4, 9), r.randint(0, 9), f"{t.month:02d}/{t.day:02d}/{t.year % 100:02d}"),
                 f"        Processing Initiated: {WEEKDAYS[t.weekday()]} {MONTHS[t.month - 1]} {t.day} 06:25:0{r.randint(1, 9)} {t.year}",
                 "        Date Range Processed: yesterday", f"        Detail Level of Output: 0", "        Type of Output/Format: mail / text",
                 f"        Logfiles for Host: {host}.{OP_DOMAIN}", " ##################################################################", "",
                 " --------------------- postfix Begin ------------------------ ", ""]
        lines += [f"    {r.randint(10, 999)}.{r.randint(100, 999)}K  Bytes accepted", f"    {r.randint(100, 9999)}   Accepted", f"    {r.randint(10, 900)}   Rejected", "",
                  " Top rejected senders:"]
        for _ in range(r.randint(3, 15)):
            lines.append(f"      {r.randint(1, 40):>4}   {r.alnum(r.randint(5, 10)).lower()}@{r.alnum(r.randint(5, 9)).lower()}.{r.pick(('ru', 'cn', 'xyz', 'top', 'com.br', 'info'))}")
        lines += ["", " Top senders:"]
        for _ in range(r.randint(3, 12)):
            p = w.choose(r, w.cust_supp)
            lines.append(f"      {r.randint(1, 90):>4}   {p.addr}")
        lines += ["", " ---------------------- postfix End ------------------------- ", "", " --------------------- SSHD Begin ------------------------ ", "",
                  " Failed logins from:"]
        for _ in range(r.randint(5, 40)):
            lines.append(f"    {r.ip()}: {r.randint(1, 200)} time(s)")
        lines += ["", " Users logging in through sshd:", "    root:", f"       {OP_LAN['monitor01']}: {r.randint(1, 40)} times", "    jonas:",
                  f"       {r.ip(91)} (p5b{r.hexs(6)}.dip0.t-ipconnect.de): {r.randint(1, 9)} times", "", " ---------------------- SSHD End ------------------------- ", "",
                  " --------------------- Disk Space Begin ------------------------ ", "", " Filesystem      Size  Used Avail Use% Mounted on"]
        for fs in ("/dev/md0", "/dev/md1", "/dev/md2"):
            lines.append(f" {fs}        {r.randint(20, 900)}G  {r.randint(5, 800)}G  {r.randint(5, 400)}G  {r.randint(5, 95)}% {r.pick(('/', '/var', '/srv'))}")
        lines += ["", " ---------------------- Disk Space End ------------------------- ", "", " ###################### Logwatch End #########################", ""]
        _sysmsg(g, m, host, "logwatch", "logwatch", f"Logwatch for {host}.{OP_DOMAIN} (Linux)", "\n".join(lines))
        m.extra.append(("Auto-Submitted", "auto-generated"))
    elif kind == "fail2ban":
        ip = r.ip(r.pick((45, 61, 92, 103, 112, 141, 159, 167, 178, 185, 194, 218, 222)))
        jail = r.pick(("sshd", "postfix-sasl", "dovecot", "nginx-botsearch", "recidive"))
        net = r.pick(("RIPE", "APNIC", "ARIN", "LACNIC"))
        text = (f"Hi,\n\nThe IP {ip} has just been banned by Fail2Ban after\n{r.randint(3, 12)} attempts against {jail}.\n\n\nHere is more information about {ip} :\n\n"
                f"% This is the {net} Database query service.\n% Abuse contact for '{ip.rsplit('.', 1)[0]}.0 - {ip.rsplit('.', 1)[0]}.255' is 'abuse@{r.alnum(6).lower()}.{r.pick(('net', 'com', 'cn', 'ru'))}'\n\n"
                f"inetnum:        {ip.rsplit('.', 1)[0]}.0 - {ip.rsplit('.', 1)[0]}.255\nnetname:        {r.alnum(8).upper()}-NET\ncountry:        {r.pick(('CN', 'RU', 'BR', 'VN', 'IN', 'US', 'NL'))}\n"
                f"admin-c:        {r.alnum(6).upper()}-{net}\nstatus:         ASSIGNED PA\nmnt-by:         MNT-{r.alnum(6).upper()}\ncreated:        20{r.randint(10, 22)}-0{r.randint(1, 9)}-1{r.randint(0, 9)}T10:00:00Z\n"
                f"source:         {net}\n\n"
                f"Lines containing failures of {ip}\n")
        for _ in range(r.randint(3, 8)):
            text += f"{t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d} {host} sshd[{r.randint(1000, 99999)}]: Failed password for invalid user {r.pick(('admin', 'test', 'oracle', 'ubuntu', 'git', 'postgres'))} from {ip} port {r.randint(30000, 65000)} ssh2\n"
        text += "\n\nRegards,\n\nFail2Ban\n"
        _sysmsg(g, m, host, "Fail2Ban", "fail2ban", f"[Fail2Ban] {jail}: banned {ip} from {host}.{OP_DOMAIN}", text)
    elif kind == "monitor":
        svc = r.pick(("HTTP", "HTTPS", "SMTP", "IMAP", "ping4", "disk /srv", "load", "mysql", "ssl-cert", "swap", "backup-age"))
        tgt = r.pick(OP_HOSTS)
        state = r.wpick([("CRITICAL", 40), ("WARNING", 25), ("OK", 35)])
        ntype = "RECOVERY" if state == "OK" else "PROBLEM"
        style = r.pick(("icinga", "nagios", "kuma"))
        if style == "icinga":
            subj = f"[{ntype}] {svc} on {tgt} is {state}!"
            text = (f"***** Service Monitoring on monitor01.{OP_DOMAIN} *****\n\n{svc} on {tgt} is {state}!\n\nInfo:    {r.pick(('HTTP CRITICAL: HTTP/1.1 503 Service Unavailable', 'connect to address ' + OP_IP.get(tgt, '') + ' and port 443: Connection refused', 'DISK WARNING - free space: /srv 12034 MB (8% inode=97%)', 'CRITICAL - load average: 24.12, 18.40, 9.03', 'OK - 200 OK'))}\n\n"
                    f"When:    {t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d} {'+0100' if zone_offset('eu', m.ts) == 3600 else '+0200'}\nService: {svc}\nHost:    {tgt}\nIPv4:\t {OP_IP.get(tgt)}\n\n"
                    f"Comment by {r.pick(('icingaadmin', 'jonas'))}:\n  {r.pick(('', 'Wartung angekündigt', 'Ticket #' + str(r.randint(1000, 9999))))}\n")
            frm = ("Icinga", "icinga")
        elif style == "nagios":
            subj = f"** {ntype} Service Alert: {tgt}/{svc} is {state} **"
            text = (f"***** Nagios *****\n\nNotification Type: {ntype}\n\nService: {svc}\nHost: {tgt}.{OP_DOMAIN}\nAddress: {OP_IP.get(tgt)}\nState: {state}\n\n"
                    f"Date/Time: {WEEKDAYS[t.weekday()]} {MONTHS[t.month - 1]} {t.day} {t.hour:02d}:{t.minute:02d}:{t.second:02d} CET {t.year}\n\nAdditional Info:\n\n{state} - {svc} check returned {r.randint(0, 3)}\n")
            frm = ("Nagios", "nagios")
        else:
            subj = f"[Uptime Kuma] [{tgt}] [{'✅ Up' if state == 'OK' else '🔴 Down'}] {r.pick(('Connection refused', 'timeout of 48000ms exceeded', '200 - OK', 'certificate has expired'))}"
            text = f"[{tgt}] [{'Up' if state == 'OK' else 'Down'}] {subj.split('] ', 3)[-1]}\nTime ({'Europe/Berlin'}): {t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}\n"
            frm = ("Uptime Kuma", "uptime-kuma")
        _sysmsg(g, m, "monitor01", frm[0], frm[1], subj, text)
        m.to = [("", OP_ROLE_ADDRS["root"])] if r.chance(0.5) else [(w.admin.plain, w.admin.addr)]
        m.extra.append(("Auto-Submitted", "auto-generated"))
    elif kind in ("dsn", "dsn_remote"):
        gen_dsn(g, m, remote=(kind == "dsn_remote"))
    elif kind == "smartd":
        dev = r.pick(("/dev/sda", "/dev/sdb", "/dev/sdc [SAT]", "/dev/nvme0"))
        attr = r.pick(("CurrentPendingSector", "OfflineUncorrectableSector", "FailedReadSmartErrorLog", "ErrorCount"))
        text = (f"This message was generated by the smartd daemon running on:\n\n   host name:  {host}\n   DNS domain: {OP_DOMAIN}\n\n"
                f"The following warning/error was logged by the smartd daemon:\n\nDevice: {dev}, {r.randint(1, 64)} Currently unreadable (pending) sectors\n\n"
                f"Device info:\n{r.pick(('ST4000NM0035-1V4107', 'WDC WD4003FFBX-68MU3N0', 'SAMSUNG MZ7LH960HAJR-00005'))}, S/N:{r.alnum(8).upper()}, WWN:5-000c50-0{r.hexs(8)}, FW:{r.alnum(4).upper()}, 4.00 TB\n\n"
                f"For details see host's SYSLOG.\n\nYou can also use the smartctl utility for further investigation.\nThe original message about this issue was sent at {WEEKDAYS[t.weekday()]} {MONTHS[t.month - 1]} {t.day} {t.hour:02d}:{t.minute:02d}:{t.second:02d} {t.year} CET\n"
                "Another message will be sent in 24 hours if the problem persists.\n")
        _sysmsg(g, m, host, "", "root", f"SMART error ({attr}) detected on host: {host}", text)
    elif kind == "dmarc":
        src = r.pick((("google.com", "noreply-dmarc-support@google.com", "google", "google.com"), ("Outlook.com", "dmarcreport@microsoft.com", "o365", "protection.outlook.com"),
                      ("Yahoo! Inc.", "noreply@dmarc.yahoo.com", "yahoo", "yahoo.com"), ("GMX", "dmarc_agg@auth.gmx.net", "gmx", "gmx.net"),
                      ("mail.ru", "dmarc_support@corp.mail.ru", "own", "mail.ru")))
        g.use_system(m, src[0] if src[0] != "google.com" else "", src[1], "java", src[2], "en", "us")
        m.to = [("", f"dmarc@{OP_DOMAIN}")]
        m.rcpt = OP_ROLE_ADDRS["postmaster"]
        begin = m.ts - 86400 - m.ts % 86400
        rid = str(r.randint(10**18, 10**19))
        m.subject = f"Report domain: {OP_DOMAIN} Submitter: {src[3]} Report-ID: {rid if src[2] != 'o365' else '<' + r.hexs(32) + '@' + 'protection.outlook.com>'}"
        m.text = (f"This is an aggregate report from {src[0]}.\n\nReport domain: {OP_DOMAIN}\nSubmitter: {src[0].lower()}\nReport-ID: {rid}\n" if r.chance(0.6) else "")
        fn = f"{src[3]}!{OP_DOMAIN}!{begin}!{begin + 86399}{'' if r.chance(0.5) else '!' + rid}.{'zip' if src[2] == 'google' else 'xml.gz'}"
        if m.text:
            m.attachments.append(Binary("zip" if fn.endswith("zip") else "gz", fn, r.randint(600, 4000)))
        else:
            m.root = Binary("zip" if fn.endswith("zip") else "gz", fn, r.randint(600, 4000))
        m.folder = r.pick(("INBOX", ".Systemmeldungen"))
        return
    elif kind == "letsencrypt":
        dom = r.pick(w.customers_c).domain
        g.use_system(m, "Let's Encrypt Expiry Bot", "expiry@letsencrypt.org", "java", "own", "en", "us")
        m.to = [("", OP_ROLE_ADDRS["hostmaster"] if "hostmaster" in OP_ROLE_ADDRS else w.admin.addr)]
        m.rcpt = w.admin.addr
        m.subject = f'Let\'s Encrypt certificate expiration notice for domain "{dom}" (and {r.randint(1, 4)} more)'
        m.text = (f"Hello,\n\nYour certificate (or certificates) for the names listed below will expire in {r.randint(10, 20)} days (on {t.day:02d} {MONTHS[t.month - 1]} {t.year + (t.month == 12)} 10:32:11 +0000). "
                  f"Please make sure to renew your certificate before then, or visitors to your web site will encounter errors.\n\nWe recommend renewing certificates automatically when they have a third of their\ntotal lifetime left. For Let's Encrypt's current 90-day certificates, that means\nrenewing 30 days before expiration. See\nhttps://letsencrypt.org/docs/integration-guide/ for details.\n\n"
                  f"{dom}\nwww.{dom}\n\nFor any questions or support, please visit:\nhttps://community.letsencrypt.org/\n\n"
                  "If you want to stop receiving all email from this address, click\n*|UNSUB:https://mandrillapp.com/unsub|*\n(Warning: this is a one-click action that cannot be undone)\n\nRegards,\nThe Let's Encrypt Team\n")
        m.extra.append(("Auto-Submitted", "auto-generated"))
        m.folder = r.pick(("INBOX", ".Systemmeldungen"))
        return
    elif kind == "upgrades":
        pk = r.sample(["openssl", "libssl3", "linux-image-amd64", "postfix", "dovecot-core", "nginx", "php8.2-fpm", "curl", "libc6", "systemd", "openssh-server"], r.randint(1, 5))
        reboot = "linux-image-amd64" in pk or "libc6" in pk
        text = (f"Unattended upgrade result: All upgrades installed\n\n{'Warning: A reboot is required to complete this upgrade, or a previous one.' + chr(10) + chr(10) if reboot else ''}"
                f"Packages that were upgraded:\n {' '.join(pk)}\n\nPackage installation log:\nLog started: {t.year}-{t.month:02d}-{t.day:02d}  06:{r.randint(10, 59)}:{r.randint(10, 59)}\n")
        for p in pk:
            text += f"Preparing to unpack .../{p}_{r.randint(1, 5)}.{r.randint(0, 20)}-{r.randint(1, 9)}+deb12u{r.randint(1, 9)}_amd64.deb ...\nUnpacking {p} ...\nSetting up {p} ...\n"
        text += f"Log ended: {t.year}-{t.month:02d}-{t.day:02d}  06:{r.randint(10, 59)}:{r.randint(10, 59)}\n\nUnattended-upgrades log:\nStarting unattended upgrades script\nAllowed origins are: origin=Debian,codename=bookworm,label=Debian-Security\nAll upgrades installed\n"
        _sysmsg(g, m, host, "", "root", f"{'[reboot required] ' if reboot else ''}unattended-upgrades result for {host}.{OP_DOMAIN}: SUCCESS", text)
    elif kind == "vzdump":
        kh = r.pick(("kvm03", "kvm04"))
        text = "Details\n=======\nVMID    Name                  Status    Time       Size           Filename\n"
        for i in range(r.randint(3, 14)):
            text += f"{100 + i:<7} {r.pick(OP_HOSTS) + '.' + OP_DOMAIN:<22}ok        {r.randint(1, 59)}min {r.randint(1, 59)}s  {r.randint(1, 300)}.{r.randint(10, 99)} GiB      vzdump-qemu-{100 + i}-{t.year}_{t.month:02d}_{t.day:02d}-01_{r.randint(10, 59)}_{r.randint(10, 59)}.vma.zst\n"
        text += f"\nTotal running time: {r.randint(1, 5)}h {r.randint(1, 59)}min {r.randint(1, 59)}s\nTotal size: {r.randint(100, 900)} GiB\n"
        _sysmsg(g, m, kh, "", "root", f"vzdump backup status ({kh}.{OP_DOMAIN}): backup {'successful' if r.chance(0.85) else 'failed'}", text)
    elif kind == "mdadm":
        _sysmsg(g, m, "storage02", "mdadm monitoring", "root", f"Fail event on /dev/md{r.randint(0, 3)}:storage02.{OP_DOMAIN}",
                f"This is an automatically generated mail message from mdadm\nrunning on storage02.{OP_DOMAIN}\n\nA Fail event had been detected on md device /dev/md2.\n\nIt could be related to component device /dev/sdc1.\n\nFaithfully yours, etc.\n\nP.S. The /proc/mdstat file currently contains the following:\n\nPersonalities : [raid1] [raid6] [raid5] [raid4]\nmd2 : active raid6 sdc1[2](F) sdb1[1] sda1[0] sdd1[3]\n      11720661504 blocks super 1.2 level 6, 512k chunk, algorithm 2 [4/3] [UU_U]\n")
    elif kind == "ups":
        _sysmsg(g, m, "kvm04", "apcupsd UPS", "root", "kvm04 UPS Power Failure !!!",
                f"apcupsd broadcast message:\nPower failure on UPS SMT1500RMI2U. Running on batteries.\n\nAPC      : 001,036,0876\nDATE     : {t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d} +0100\nSTATUS   : ONBATT\nBCHARGE  : {r.randint(60, 100)}.0 Percent\nTIMELEFT : {r.randint(5, 60)}.0 Minutes\n")
    else:
        _sysmsg(g, m, "mail", "Postmaster", OP_ROLE_ADDRS["postmaster"], "Quota warning",
                f"Your mailbox is now {r.randint(85, 99)}% full.\n\nPlease delete old messages or ask {OP_ROLE_ADDRS['postmaster']} for more space.\n")
        m.to = [("", r.pick((w.boss.addr, w.accountant.addr, OP_ROLE_ADDRS["info"])))]
        m.local_host = mx_name(m.ts)
    m.folder = r.wpick([("INBOX", 55), (".Systemmeldungen", 40), (".Trash", 5)])


def gen_dsn(g, m, remote=False):
    """A bounce of a message we sent: multipart/report with the original attached."""
    r, w = g.rng, g.world
    sender = r.pick((w.sales, w.boss, w.accountant, w.admin))
    target = w.choose(r, w.cust_prosp)
    bad = target.addr if r.chance(0.5) else target.addr.replace("@", r.pick(("1@", "@mail.", "x@")))
    orig_ts = m.ts - r.randint(2, 400)
    if remote:
        prov = r.pick((("mx.gmx.net", "mailer-daemon@gmx.net", "gmx"), ("mx00.emig.gmx.net", "MAILER-DAEMON@web.de", "gmx"),
                       ("mailin.t-online.de", "MAILER-DAEMON@t-online.de", "tonline")))
        g.use_system(m, "Mail Delivery System", prov[1], "java", prov[2], "en")
        m.envelope = ""
        m.subject = r.pick(("Mail delivery failed: returning message to sender", "Undelivered Mail Returned to Sender", "Unzustellbar: " + "Ihre Nachricht"))
        reporting = prov[0]
    else:
        m.frm = ("Mail Delivery System", f"MAILER-DAEMON@{mx_name(m.ts)}.{OP_DOMAIN}")
        m.sender_domain = OP_DOMAIN
        m.style = mailer_style("mutt", utc_year(m.ts), r, OP_DOMAIN, "en")
        m.style.name = "system"
        m.direction = "local"
        m.local_host = mx_name(m.ts)
        m.envelope = ""
        m.subject = r.pick(("Undelivered Mail Returned to Sender", "Delayed Mail (still being retried)", "Undelivered Mail Returned to Sender"))
        reporting = f"{mx_name(m.ts)}.{OP_DOMAIN}"
    m.to = [("", sender.addr)]
    m.rcpt = sender.addr
    delayed = m.subject.startswith("Delayed")
    reason = r.pick((f"550 5.1.1 <{bad}>: Recipient address rejected: User unknown in virtual mailbox table",
                     f"552 5.2.2 <{bad}>: Mailbox full", "554 5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org",
                     f"550 5.7.1 Message rejected due to content restrictions", f"Host or domain name not found. Name service error for name={bad.split('@')[1]} type=MX: Host not found"))
    human = (f"This is the mail system at host {reporting}.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n"
             f"For further assistance, please send mail to postmaster.\n\nIf you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n"
             f"                   The mail system\n\n<{bad}>: host {r.pick(('mx00.' + bad.split('@')[1], 'mail.' + bad.split('@')[1]))}[{r.ip()}] said:\n    {reason} (in reply to RCPT TO command)\n")
    if delayed:
        human = (f"This is the mail system at host {reporting}.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\n"
                 f"Your message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n<{bad}>: connect to {bad.split('@')[1]}[{r.ip()}]:25: Connection timed out\n")
    status = (f"Reporting-MTA: dns; {reporting}\nX-Postfix-Queue-ID: {_qid(r, utc_year(m.ts))}\nX-Postfix-Sender: rfc822; {sender.addr}\nArrival-Date: {fmt_date(orig_ts, 'eu')}\n\n"
              f"Final-Recipient: rfc822; {bad}\nOriginal-Recipient: rfc822;{bad}\nAction: {'delayed' if delayed else 'failed'}\nStatus: {'4.4.1' if delayed else '5.1.1'}\n"
              f"Remote-MTA: dns; mail.{bad.split('@')[1]}\nDiagnostic-Code: smtp; {reason}\n")
    # the original message
    osubj = r.pick((f"Angebot AN-{local_dt(m.ts, 'eu').year}-{r.randint(100, 400)}", f"Ihre Rechnung RE-{local_dt(m.ts, 'eu').year}-{r.randint(1, 999):04d}",
                    "Re: Termin", "Ihre Zugangsdaten", "Wartungsarbeiten am Wochenende"))
    omid = f"<{_uuid(r)}@{OP_DOMAIN}>"
    ohead = (f"Return-Path: <{sender.addr}>\nReceived: from [192.168.10.{r.randint(20, 90)}] (p{r.hexs(8)}.dip0.t-ipconnect.de [{r.ip(91)}])\n\t(Authenticated sender: {sender.addr})\n"
             f"\tby {mx_name(m.ts)}.{OP_DOMAIN} (Postfix) with ESMTPSA id {_qid(r, utc_year(m.ts))};\n\t{fmt_date(orig_ts, 'eu', 'comment')}\n"
             f"Message-ID: {omid}\nDate: {fmt_date(orig_ts, 'eu')}\nFrom: {sender.plain} <{sender.addr}>\nTo: {target.plain} <{bad}>\nSubject: {encode_text(osubj, HeaderStyle())}\n"
             f"MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 8bit\n")
    obody = f"{greet(r, target, 'de')}\n\nanbei wie besprochen die Unterlagen.\n\nMit freundlichen Grüßen\n{sender.plain}\n-- \n{OP_NAME}\nE-Mail: {sender.addr}\n"
    parts = [Text("plain", human, charset="us-ascii", cte="7bit", params="", role="att"),
             RawPart(["Content-Description: Delivery report", "Content-Type: message/delivery-status"], status, (bad,))]
    if r.chance(0.7) and not delayed:
        parts.append(RawPart(["Content-Description: Undelivered Message", "Content-Type: message/rfc822", "Content-Transfer-Encoding: 8bit"],
                             ohead + "\n" + obody, (sender.addr, bad) + tuple(find_all(obody))))
    else:
        parts.append(RawPart(["Content-Description: Undelivered Message Headers", "Content-Type: text/rfc822-headers"], ohead, (sender.addr, bad)))
    parts[0].params = ""
    m.root = Multi("report", parts, "; report-type=delivery-status")
    m.root_desc = True
    m.extra.append(("Auto-Submitted", "auto-replied"))
    m.folder = r.wpick([("INBOX", 80), (".Systemmeldungen", 15), (".Trash", 5)])


def find_all(text):
    s = set()
    find_addresses(text, s)
    return sorted(s)


# =============================================================================================
# Category: spam
# =============================================================================================

SPAM_NAMES = ["Paketdienst Zustellung", "Hansebank Sicherheit", "PayFIux Service", "Amazon.de Kundenservice", "DHL Express", "Microsoft 365",
              "Buchhaltung", "Rechnungsstelle", "Mrs. Grace Williams", "Dr. Ahmed Bello", "Crypto Profits", "Online Apotheke", "Support", "Webmaster",
              "Domain Registry Services", "SEO Expert", "HR Department", "IT-Service", "Postmaster", "Mailbox Administrator"]


def gen_spam(g, m):
    r, w = g.rng, g.world
    kind = r.wpick([("fake_invoice", 24), ("phishing", 20), ("seo", 10), ("crypto", 8), ("pharma", 6), ("lottery", 7), ("cjk", 6), ("russian", 5),
                    ("domain", 5), ("fake_job", 5), ("sextortion", 4)])
    dom = f"{r.alnum(r.randint(5, 11), 'abcdefghijklmnopqrstuvwxyz')}{r.pick(('', '-mail', '-info', '24', '-service', 'online'))}.{r.pick(('com', 'net', 'ru', 'cn', 'xyz', 'top', 'info', 'de', 'biz', 'online', 'shop', 'com.br', 'in'))}"
    local = r.pick((r.alnum(r.randint(4, 10), "abcdefghijklmnopqrstuvwxyz0123456789"), "info", "service", "noreply", "admin", "billing", "rechnung", "support",
                    f"{slug(r.pick(F_FIRST + M_FIRST))}.{slug(r.pick(LAST))}"))
    name = r.pick(SPAM_NAMES) if r.chance(0.7) else ""
    addr = f"{local}@{dom}"
    m.spam = "spam-flagged" if r.chance(0.75) else "spam-missed"
    mailer = r.pick(("phpmailer", "outlook", "java", "gmx"))
    g.use_system(m, name, addr, mailer, "spam", "de", r.pick(("eu", "us", "fixed:28800", "fixed:10800", "fixed:-10800", "fixed:19800", "fixed:0")))
    m.style.related_logo = False
    if mailer == "outlook" and r.chance(0.5):
        m.style.ua = ("X-Mailer", r.pick(("Microsoft Outlook Express 6.00.2900.5512", "Microsoft Office Outlook, Build 11.0.5510", "Foxmail 7.2.25.228[cn]")))
    if r.chance(0.3):
        m.envelope = f"{r.alnum(8).lower()}@{r.alnum(7).lower()}.{r.pick(('com', 'net', 'ru'))}"
    targets = [w.boss.addr, w.accountant.addr, OP_ROLE_ADDRS["info"], OP_ROLE_ADDRS["buchhaltung"], OP_ROLE_ADDRS["support"], f"office@{OP_DOMAIN}", f"kontakt@{OP_DOMAIN}"]
    tgt = r.pick(targets)
    m.to = [("", tgt)] if r.chance(0.8) else [("", "undisclosed-recipients:;")]
    m.rcpt = tgt if "@" in tgt else OP_ROLE_ADDRS["info"]
    if r.chance(0.15):
        m.to = [("", a) for a in r.sample(targets, 3)]
    if r.chance(0.1):
        m.extra.append(("X-Priority", "1 (Highest)"))
    amount = money(round(r.uniform(120, 4800), 2), "de")
    no = f"{r.randint(2019, 2026)}-{r.randint(10000, 99999)}"
    html = None
    if kind == "fake_invoice":
        lang = r.pick(("de", "de", "en"))
        m.lang = lang
        m.subject = r.pick((f"Rechnung Nr. {no} – Zahlung überfällig", f"Ihre Rechnung {no}", f"Mahnung: offene Rechnung {no}", f"Rechnung {no} vom {de_date(m.ts)}",
                            f"Letzte Mahnung vor Inkasso – Rechnung {no}", f"RE: Rechnung {no}", "Ihre Rechnung ist verfügbar")) if lang == "de" else \
            r.pick((f"Invoice #{no} overdue", f"INVOICE {no}", f"Payment for invoice {no}", "Your invoice is ready", f"Re: Outstanding invoice INV-{no}"))
        text = (f"Sehr geehrter Kunde,\n\nwir haben bis heute keinen Zahlungseingang für die Rechnung {no} über {amount} feststellen können.\n\n"
                f"Die vollständige Rechnung finden Sie im Anhang. Bitte begleichen Sie den Betrag innerhalb von 24 Stunden, andernfalls wird die Forderung an unser Inkassobüro übergeben.\n\n"
                f"Mit freundlichen Grüßen\nBuchhaltung\n" if lang == "de" else
                f"Dear customer,\n\nplease find attached invoice {no} for {amount}. Payment is overdue. Open the attached document to view the invoice details.\n\nRegards,\nAccounts Department\n")
        att = r.pick(((f"Rechnung_{no}.zip", "zip"), (f"Rechnung_{no}.pdf.zip", "zip"), (f"Rechnung_{no}.html", "html"), (f"Invoice_{no}.doc", "doc"),
                      (f"Rechnung_{no}.pdf", "pdf"), (f"RE_{no}.xlsm", "zip"), (f"Rechnung-{no}.iso", "zip")))
        if att[1] == "html":
            m.attachments.append(Text("html", f"<html><head><meta http-equiv=\"refresh\" content=\"0;url=https://{dom}/inv/{r.hexs(12)}\"></head><body><form action=\"https://{dom}/l.php\" method=\"post\">"
                                      f"<input name=\"email\" value=\"{m.rcpt}\"><input type=\"password\" name=\"pw\"></form></body></html>", filename=att[0],
                                      disposition="attachment", cte="base64", charset="utf-8", role="att"))
        else:
            m.attachments.append(Binary(att[1], att[0], r.lognorm_int(30_000, 0.8, 4_000, 600_000)))
    elif kind == "phishing":
        brand = r.pick(("Hansebank", "PayFIux", "Paketdienst", "Microsoft 365", "Ihr E-Mail-Postfach", "DHL", "Sparkasse"))
        m.subject = r.pick((f"Ihr {brand}-Konto wurde vorübergehend gesperrt", "Wichtig: Bestätigen Sie Ihre Identität", "Ihr Paket konnte nicht zugestellt werden",
                            "Ihr Postfach ist voll – jetzt Speicher erweitern", f"Sicherheitswarnung: Ungewöhnliche Anmeldung", f"{m.rcpt}: Passwort läuft heute ab",
                            "Zahlungsfehler: Aktualisieren Sie Ihre Zahlungsdaten"))
        link = f"https://{r.alnum(8).lower()}.{r.pick(('web.app', 'firebaseapp.com', 'ru', 'xyz', 'blogspot.com'))}/{r.hexs(10)}?u={m.rcpt.replace('@', '%40')}"
        text = (f"Sehr geehrte/r Kunde/in,\n\nzum Schutz Ihres Kontos haben wir ungewöhnliche Aktivitäten festgestellt. Bitte bestätigen Sie Ihre Daten innerhalb von 48 Stunden:\n\n{link}\n\n"
                f"Andernfalls wird Ihr Zugang dauerhaft gesperrt.\n\nIhr {brand} Sicherheitsteam\n")
        html = (f"<html><body><table width=\"600\"><tr><td><img src=\"https://{dom}/logo.png\"></td></tr><tr><td><p>Sehr geehrte/r Kunde/in,</p><p>zum Schutz Ihres Kontos "
                f"haben wir ungewöhnliche Aktivitäten festgestellt.</p><p><a href=\"{link}\" style=\"background:#c00;color:#fff;padding:10px\">Jetzt bestätigen</a></p>"
                f"<p style=\"font-size:10px\">Diese E-Mail wurde an {m.rcpt} gesendet.</p></td></tr></table></body></html>")
    elif kind == "seo":
        m.lang = "en"
        m.subject = r.pick((f"SEO services for {OP_DOMAIN}", f"Re: {OP_DOMAIN} – first page of Google", "Website redesign proposal", "Increase your website traffic",
                            f"Guest post on {OP_DOMAIN}?"))
        person = f"{r.pick(('Ravi', 'Sam', 'Anna', 'Mike', 'Priya', 'Jack'))} {r.pick(('Kumar', 'Smith', 'Lee', 'Wilson', 'Brown'))}"
        text = (f"Hi,\n\nI was checking your website {OP_DOMAIN} and noticed it is not ranking on the first page of Google for many important keywords.\n\n"
                "We are a team of 50+ SEO experts and can get your website on the first page within 3 months. We also offer web design, social media and content writing.\n\n"
                f"Can I send you a proposal? Just reply with \"Yes\".\n\nBest regards,\n{person}\nSenior SEO Consultant\n{r.alnum(8).lower()}.seo.{r.pick(('in', 'com'))}@gmail.com\n\n"
                "If you don't want to hear from me again, please reply \"NO\".\n")
        m.reply_to = [("", f"{slug(person, '.')}{r.randint(1, 99)}@gmail.com")]
    elif kind == "crypto":
        m.subject = r.pick(("Verdienen Sie 3.000 € pro Tag mit Bitcoin", "🚀 Exklusive Investitionsmöglichkeit", "Ihr Krypto-Konto wartet auf Sie", "Passives Einkommen – jetzt starten"))
        text = f"Hallo,\n\nmit unserer KI-gestützten Trading-Plattform verdienen Anleger bis zu 3.000 € täglich. Startkapital nur 250 €.\n\nJetzt registrieren: https://{dom}/r/{r.hexs(8)}\n\nLimitierte Plätze!\n"
        html = f"<html><body><h1 style=\"color:#f7931a\">Bitcoin Profit</h1><p>Mit unserer KI-gestützten Trading-Plattform verdienen Anleger bis zu 3.000 &euro; t&auml;glich.</p><a href=\"https://{dom}/r/{r.hexs(8)}\">Jetzt starten</a></body></html>"
    elif kind == "pharma":
        m.lang = "en"
        m.subject = r.pick(("Cheap meds online - 80% OFF", "Your prescription is ready", "Best pharmacy prices", "V1agra & C1alis no prescription"))
        text = f"Top quality medications at the lowest prices.\nNo prescription needed. Discreet worldwide shipping.\n\nOrder now: http://{dom}/?{r.hexs(6)}\n"
        html = f"<html><body><center><a href=\"http://{dom}/?{r.hexs(6)}\"><img src=\"http://{dom}/i/{r.hexs(8)}.jpg\" alt=\"Click here\"></a></center></body></html>"
    elif kind == "lottery":
        m.lang = "en"
        contact = f"{r.pick(('barrister', 'dr', 'mrs', 'agent'))}.{slug(r.pick(('williams', 'johnson', 'bello', 'okafor', 'lee')))}{r.randint(1, 99)}@{r.pick(('outlook.com', 'gmail.com', 'yahoo.com', 'mail.com'))}"
        m.subject = r.pick(("CONGRATULATIONS!!! You have won", "Compensation Payment Notification", "URGENT BUSINESS PROPOSAL", "Inheritance claim - reply urgently", "Dear Friend"))
        text = (f"Dear Friend,\n\nI am {r.pick(('Mrs. Grace Williams', 'Barrister James Okafor', 'Dr. Ahmed Bello'))}, and I have an urgent and confidential business proposal for you regarding "
                f"the sum of USD {r.randint(5, 45)},{r.randint(100, 999)},000.00 (FORTY FIVE MILLION DOLLARS) left by a deceased client.\n\n"
                f"Kindly reply to my private email {contact} with your full name, address and telephone number for more details.\n\nRegards.\n")
        m.reply_to = [("", contact)]
    elif kind == "cjk":
        m.subject = r.pick(("代开各地正规发票，点数优惠", "您好！专业外贸客户开发", "企业邮箱安全升级通知"))
        text = f"您好：\n\n本公司长期代开各地增值税发票，点数优惠，保真可验证。\n\n联系人：王经理\n电话：13{r.randint(100000000, 999999999)}\n微信同号\n"
        m.style.hs = HeaderStyle("gb2312", "B")
        m.style.text_cs = "gb2312"
        m.style.text_cte = "base64"
        m.style.html = False
    elif kind == "russian":
        m.subject = r.pick(("Продвижение сайта в ТОП-10", "Базы данных клиентов 2024", "Ваш сайт может приносить больше"))
        text = f"Здравствуйте!\n\nПредлагаем услуги по продвижению сайта {OP_DOMAIN} в поисковых системах. Гарантия результата.\n\nПишите: {r.alnum(6).lower()}@mail.ru\n"
        cs = r.pick(("windows-1251", "koi8-r"))
        m.style.hs = HeaderStyle(cs, "B")
        m.style.text_cs = cs
        m.style.text_cte = r.pick(("base64", "8bit"))
        m.style.html = False
    elif kind == "domain":
        m.subject = r.pick((f"Domain Notice: {OP_DOMAIN}", f"Final notice: {OP_DOMAIN} SEO submission expires", f"{OP_DOMAIN} – Registrierung läuft ab"))
        m.lang = "en"
        text = (f"Attn: Domain owner\nDomain Name: {OP_DOMAIN}\n\nThis is your final notice for the search engine submission of {OP_DOMAIN}. Failure to complete your submission by "
                f"{en_date(m.ts + 2 * 86400)} may result in the loss of online visibility.\n\nSecure online payment: https://{dom}/pay?d={OP_DOMAIN}\n\n"
                "This notice is not an invoice. It is a courtesy reminder.\n")
    elif kind == "fake_job":
        m.subject = r.pick(("Nebenjob: 500 € pro Tag von zu Hause", "Stellenangebot: Finanzagent (m/w/d) gesucht", "Ihre Bewerbung wurde angenommen!", "Job offer – remote assistant"))
        text = ("Guten Tag,\n\nwir haben Ihr Profil auf einem Jobportal gefunden und möchten Ihnen eine Tätigkeit als Finanzagent anbieten. Sie arbeiten bequem von zu Hause, "
                "Verdienst bis zu 500 € pro Tag. Keine Vorkenntnisse erforderlich.\n\nSenden Sie uns Ihren Lebenslauf und eine Kopie Ihres Personalausweises an "
                f"hr@{dom}\n\nPersonalabteilung\n")
    else:
        m.lang = "en"
        m.subject = r.pick((f"{m.rcpt}", "Security Alert: your account was hacked", "I know your password", "Payment request"))
        text = (f"Hello!\n\nI am a hacker who has access to your operating system. I also have full access to your account {m.rcpt}.\n\n"
                f"Pay {r.randint(900, 1900)} USD in Bitcoin to this address: bc1q{r.alnum(38, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l')}\n\nYou have 48 hours.\n")
    if html is None and r.chance(0.6):
        # most spam is HTML, padded with invisible text against hash filters
        paras = "".join(f"<p>{html_escape(p)}</p>" for p in text.split("\n\n"))
        junk = " ".join(r.alnum(r.randint(3, 10), "abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(150, 1400)))
        html = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style>.x{r.hexs(4)}{{display:none;font-size:1px;color:#fff}}</style></head>'
                f'<body bgcolor="#ffffff"><table width="620" align="center" cellpadding="10"><tr><td style="font-family:Arial;font-size:14px">{paras}</td></tr></table>'
                f'<div class="x" style="display:none;font-size:1px;color:#ffffff">{junk}</div></body></html>')
    m.text = text
    if html:
        m.html = html
        m.style.html = True
        m.style.html_only = r.chance(0.5)
    else:
        m.style.html = False
        m.style.html_only = False
    if m.spam == "spam-flagged" and utc_year(m.ts) < 2020 and r.chance(0.3):
        m.subject = "***SPAM*** " + m.subject
    m.folder = ".Junk" if m.spam == "spam-flagged" else r.wpick([("INBOX", 85), (".Trash", 15)])


# =============================================================================================
# Category: personal
# =============================================================================================

PERSONAL_DE = [
    ("Geburtstag am Samstag", ["wir feiern am Samstag ab 18 Uhr bei uns im Garten. Hast du Lust zu kommen? Kinder sind natürlich auch eingeladen.",
                               "Bring gern was zu trinken mit, für Essen ist gesorgt. Sag mir kurz Bescheid, ob ihr kommt!"]),
    ("Alles Gute zum Geburtstag!", ["alles Liebe und Gute zu deinem Geburtstag! Lass dich schön feiern.", "Wir sollten uns bald mal wieder treffen, es ist viel zu lange her."]),
    ("Urlaubsfotos", ["hier endlich die Fotos aus dem Urlaub an der Ostsee. Das Wetter war traumhaft, nur am letzten Tag hat es geregnet.",
                      "Die Kinder wollen nächstes Jahr unbedingt wieder hin."]),
    ("Essen nächste Woche?", ["hättet ihr nächste Woche Lust, mal wieder zusammen essen zu gehen? Der neue Italiener am Hafen soll sehr gut sein.",
                              "Donnerstag oder Freitag würde bei uns passen."]),
    ("Grillen am Wochenende", ["das Wetter soll ja super werden. Wollen wir am Sonntag grillen? Wir hätten Platz für alle.", "Ich kümmere mich um die Würstchen."]),
    ("Umzug – brauchen noch Hilfe", ["wir ziehen am 15. um und könnten noch zwei starke Hände gebrauchen. Für Pizza und Getränke ist gesorgt!", "Der Transporter ist ab 9 Uhr da."]),
    ("Karten für das Konzert", ["ich habe noch zwei Karten für das Konzert im Stadtpark am Freitag übrig. Hast du Interesse?", "Die Karten kosten 45 Euro pro Stück."]),
    ("Fußball am Dienstag", ["denkst du an das Training am Dienstag? Wir treffen uns um 19:30 Uhr am Platz.", "Bitte bring die Trikots mit, die sind noch bei dir."]),
    ("Hochzeitseinladung", ["wir heiraten! Und wir würden uns riesig freuen, wenn du dabei bist. Die Einladung mit allen Details hängt an.",
                            "Bitte gib uns bis Ende des Monats Bescheid."]),
    ("Fotos vom Wochenende", ["hier die Bilder vom Wochenende. Das war wirklich schön mit euch!", "Das Gruppenfoto ist leider etwas unscharf geworden."]),
    ("Klassentreffen", ["nach 25 Jahren wird es mal wieder Zeit für ein Klassentreffen! Wir planen es für den Herbst.", "Hast du noch Kontakt zu den anderen?"]),
    ("Re: Urlaub im Sommer", ["ja, wir haben das Ferienhaus gebucht! Zwei Wochen in Dänemark, direkt am Strand.", "Ihr könnt gern für ein paar Tage dazukommen."]),
]
PERSONAL_EN = [
    ("Dinner on Friday?", ["are you free for dinner on Friday? There's a new Thai place near the harbour.", "From what I heard the food is amazing."]),
    ("Happy birthday!", ["happy birthday! Hope you have a wonderful day.", "Let's catch up soon, it's been way too long."]),
    ("Photos from the trip", ["here are the photos from our trip. The weather was great, except for the last day.", "From the top of the mountain you could see all the way to the sea!"]),
    ("Visiting Hamburg in May", ["we're coming to Hamburg in May! Would be great to see you.", "Do you have any restaurant tips?"]),
]


REPLIES_DE = ["klingt super, wir sind dabei!", "danke für die Fotos, die sind wirklich toll geworden!",
              "leider klappt es bei uns an dem Tag nicht, wir sind bei meinen Eltern. Nächstes Mal bestimmt!",
              "na klar, ich helfe gern. Sag mir einfach, wann ich da sein soll.", "vielen Dank für die Einladung, wir freuen uns sehr!",
              "oh wie schön, herzlichen Glückwunsch!", "super Idee! Ich bringe Salat mit."]
REPLIES_EN = ["sounds great, count us in!", "thanks for the photos, they look amazing!", "sorry, we can't make it that day. Next time for sure!",
              "From Thursday on I'm free, so any day after that works for me."]


def gen_personal(g, m):
    r, w = g.rng, g.world
    staff = r.wpick([(w.boss, 40), (w.sales, 25), (w.trainee, 15), (w.admin, 12), (w.accountant, 8)])
    f = w.choose(r, w.friends)
    lang = f.lang
    subj, paras = r.pick(PERSONAL_DE if lang == "de" else PERSONAL_EN)
    paras = list(paras)
    photos = (("foto" in subj.lower() or "photo" in subj.lower()) and r.chance(0.7)) or r.chance(0.04)
    last = g.last(f.addr)
    if last is not None:
        for s_ in w.staff:
            if s_.addr in (last["addr"], *(a for _, a in last["m"].to)):
                staff = s_
    if r.chance(0.38):
        g.use_staff(m, staff, lang)
        m.style = mailer_style(r.pick((staff.mailer, "iphone", "thunderbird")), utc_year(m.ts), r, OP_DOMAIN, lang)
        m.to = [(f.plain, f.addr)]
        if r.chance(0.2):
            other = w.choose(r, w.friends)
            if other is not f:
                m.to.append((other.plain, other.addr))
        prev = last if r.chance(0.6) else None
        if prev:
            subj = reply_subject(r, lang, prev["subject"], m.style.name)
            paras = [r.pick(REPLIES_DE if lang == "de" else REPLIES_EN)]
            photos = photos and r.chance(0.3)
        m.subject = subj
        g.letter(m, staff, greet(r, f, lang, False), paras, closing(r, lang, False), [staff.first], prev=prev, remember_key=f.addr)
        m.folder = ".Sent"
    else:
        g.use(m, f)
        m.to = [(staff.first if r.chance(0.3) else staff.plain, staff.addr)]
        m.rcpt = staff.addr
        if r.chance(0.15):
            other = w.choose(r, w.friends)
            if other is not f:
                m.cc = [(other.plain, other.addr)]
        prev = last if r.chance(0.5) else None
        if prev:
            subj = reply_subject(r, lang, prev["subject"], m.style.name)
            paras = [r.pick(REPLIES_DE if lang == "de" else REPLIES_EN)]
            photos = photos and r.chance(0.3)
        m.subject = subj
        sig = [f.first] if r.chance(0.6) else sig_person(r, f, lang, mail_p=0.3)
        g.letter(m, f, greet(r, staff, lang, False), paras, closing(r, lang, False), sig, prev=prev, remember_key=f.addr)
        m.folder = r.wpick([("INBOX", 60), (".Privat", 40)])
    if photos:
        for i in range(r.wpick([(1, 40), (2, 25), (3, 20), (4, 10), (6, 5)])):
            size = g.photo_size() if r.chance(0.6) else r.lognorm_int(250_000, 0.5, 40_000, 900_000)
            fn = r.pick((f"IMG_{r.randint(1000, 9999)}.jpg", f"IMG_{r.randint(1000, 9999)}.JPG", f"IMG-{local_dt(m.ts, 'eu').year}{r.randint(1, 12):02d}{r.randint(1, 28):02d}-WA{r.randint(0, 99):04d}.jpg",
                         f"PXL_{local_dt(m.ts, 'eu').year}{r.randint(1, 12):02d}{r.randint(1, 28):02d}_{r.randint(100000000, 999999999)}.jpg", f"Foto {i + 1}.jpeg", f"DSC0{r.randint(1000, 9999)}.JPG"))
            g.attach(m, "jpg", fn, size)
    elif "einladung" in subj.lower() and r.chance(0.7):
        g.attach(m, "pdf", "Einladung.pdf", g.pdf_size())


# =============================================================================================
# Assembly: headers in each mail program's order, the MIME body, the transport chain
# =============================================================================================

GENERATORS = {"accounting-document": gen_accounting, "business-letter": gen_business, "annual-accounts": gen_annual,
              "job-application": gen_job, "inquiry": gen_inquiry, "privacy-request": gen_privacy, "newsletter": gen_newsletter,
              "system-mail": gen_system, "spam": gen_spam, "personal": gen_personal}

ORDERS = {
    "thunderbird": ["Message-ID", "Date", "MIME-Version", "User-Agent", "Subject", "Content-Language", "To", "Cc", "References", "From",
                    "Reply-To", "In-Reply-To", "*", "Content-Type"],
    "outlook": ["From", "To", "Cc", "Reply-To", "References", "In-Reply-To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
                "X-Mailer", "Thread-Index", "Content-Language", "*"],
    "outlook365": ["From", "To", "Cc", "Reply-To", "Subject", "Thread-Topic", "Thread-Index", "Date", "Message-ID", "References", "In-Reply-To",
                   "Accept-Language", "Content-Language", "X-MS-Has-Attach", "X-MS-TNEF-Correlator", "*", "Content-Type", "MIME-Version"],
    "apple": ["From", "Content-Type", "Mime-Version", "Subject", "Message-Id", "Date", "In-Reply-To", "Cc", "To", "References", "Reply-To", "X-Mailer", "*"],
    "gmail": ["MIME-Version", "References", "In-Reply-To", "From", "Date", "Message-ID", "Subject", "To", "Cc", "Reply-To", "*", "Content-Type"],
    "default": ["Date", "From", "To", "Cc", "Reply-To", "Subject", "Message-ID", "In-Reply-To", "References", "MIME-Version", "*", "Content-Type"],
}
ORDER_OF = {"thunderbird": "thunderbird", "outlook": "outlook", "outlook365": "outlook365", "outlookcom": "outlook365", "apple": "apple",
            "iphone": "apple", "gmail": "gmail", "gmailws": "gmail", "android": "gmail"}
DATE_STYLE = {"thunderbird": "std", "outlook": "std", "outlook365": "std", "outlookcom": "std", "apple": "std", "iphone": "std",
              "gmail": "std", "gmailws": "std", "android": "std", "gmx": "std", "tonline": "std", "roundcube": "std", "mutt": "std",
              "phpmailer": "std", "java": "comment", "system": "comment"}


def build_root(g, m, r):
    st = m.style
    if m.root is not None:
        return m.root
    text_node = Text("plain", m.text) if m.text is not None else None
    body = text_node
    if m.html is not None and (st.html or st.html_only):
        html_node = Text("html", m.html)
        if m.extra_related:
            html_node = Multi("related", [html_node, Binary("png", "image001.png", r.randint(3_000, 28_000), "inline", m.extra_related)],
                              '; type="text/html"')
        body = html_node if (st.html_only or text_node is None) else Multi("alternative", [text_node, html_node])
    if body is None:
        body = Text("plain", "")
    if m.attachments:
        return Multi("mixed", [body] + m.attachments)
    return body


def assemble(g, m):
    """The message as bytes, its delivery time and the set of addresses in it."""
    r = g.rng
    st = m.style
    if not m.msgid:
        dom = m.sender_domain or OP_DOMAIN
        if st.name == "mutt":
            t = local_dt(m.ts, "eu")
            st.msgid = lambda r_, d_, t=t: (f"<{t.year}{t.month:02d}{t.day:02d}{t.hour:02d}{t.minute:02d}{t.second:02d}."
                                            f"{r_.alnum(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}@{r_.pick(('web01', 'kvm03', 'monitor01'))}.{OP_DOMAIN}>")
        mid = st.msgid(r, dom)
        while mid in g.used_msgids:
            mid = st.msgid(r, dom)
        m.msgid = mid
    g.used_msgids.add(m.msgid)
    found = set()
    root = build_root(g, m, r)
    ct_lines, body = g.renderer.render(root, st, r, found, top_headers=True)
    hs = st.hs
    fields = {}
    fields["From"] = fmt_addr(m.frm[0], m.frm[1], hs)
    if m.to:
        fields["To"] = ", ".join(a if "@" not in a else fmt_addr(n, a, hs) for n, a in m.to)
    if m.cc:
        fields["Cc"] = ", ".join(fmt_addr(n, a, hs) for n, a in m.cc)
    if m.reply_to:
        fields["Reply-To"] = ", ".join(fmt_addr(n, a, hs) for n, a in m.reply_to)
    subject = m.subject
    if r.chance(0.004) and st.name in ("java", "phpmailer") and not subject.isascii():
        fields["Subject"] = subject                      # raw 8-bit UTF-8, as broken web forms send it
    else:
        fields["Subject"] = encode_text(subject, hs)
    date_ts = m.date_ts if m.date_ts is not None else m.ts
    ds = DATE_STYLE.get(st.name, "std")
    if st.name == "java" and r.chance(0.3):
        ds = "nowd"
    fields["Date"] = fmt_date(date_ts, m.zone, ds)
    mid_name = "Message-Id" if st.name in ("apple", "iphone") else "Message-ID"
    fields[mid_name] = m.msgid
    if m.in_reply_to:
        fields["In-Reply-To"] = m.in_reply_to
    if m.references:
        fields["References"] = " ".join(m.references)
    mv = "Mime-Version" if st.name in ("apple", "iphone") else "MIME-Version"
    fields[mv] = st.mime_version
    if st.ua:
        fields[st.ua[0]] = st.ua[1]
    if st.lang_hdr:
        fields[st.lang_hdr[0]] = st.lang_hdr[1]
    for name, value in st.extra:
        if name == "MIME-Version":
            continue
        if value is None:
            value = encode_text(subject, hs) if name == "Thread-Topic" else ("yes" if m.attachments else "")
        fields.setdefault(name, value)
    extras = list(m.list_headers) + list(m.extra)
    order = ORDERS[ORDER_OF.get(st.name, "default")]
    out = []
    placed = set()
    for key in order:
        if key == "*":
            for name, value in extras:
                out.append(fold(name, value) if value else f"{name}: ")
            continue
        if key == "Content-Type":
            out += ct_lines
            continue
        if key in fields:
            v = fields[key]
            out.append(fold(key, v) if v else f"{key}: ")
            placed.add(key)
    for key, v in fields.items():
        if key not in placed:
            out.insert(len(out) - len(ct_lines) if order[-1] == "Content-Type" else len(out), fold(key, v) if v else f"{key}: ")
    # transport
    if m.direction == "in":
        delay = r.randint(1, 30) if r.chance(0.94) else r.randint(240, 1500)
        deliver = m.ts + delay
        top = transport(g, m, r, deliver)
    elif m.direction == "local":
        deliver = m.ts + r.randint(0, 4)
        top = local_transport(m, r, deliver, m.local_host or "web01")
    elif m.direction == "internal":
        deliver = m.ts + r.randint(1, 6)
        mx = f"{mx_name(m.ts)}.{OP_DOMAIN}"
        rcpt = m.rcpt or OP_ROLE_ADDRS["info"]
        top = [f"Return-Path: <{m.frm[1]}>", f"Delivered-To: {rcpt}"]
        if utc_year(m.ts) >= 2016:
            top.append(f"Received: from {mx}\n\tby mail.{OP_DOMAIN} with LMTP\n\tid {r.b64(16)[:22]}\n\t(envelope-from <{m.frm[1]}>)\n\tfor <{rcpt}>; {fmt_date(deliver, 'eu')}")
        top.append(f"Received: from [{r.pick(('192.168.10', '10.8.0'))}.{r.randint(20, 200)}] (unknown [{r.ip(r.pick((79, 87, 91, 93)))}])\n\t(Authenticated sender: {m.frm[1]})\n"
                   f"\tby {mx} (Postfix) with ESMTPSA id {_qid(r, utc_year(m.ts))}\n\tfor <{rcpt}>; {fmt_date(deliver - 1, 'eu', 'comment')}")
    else:
        deliver = m.ts + r.randint(0, 3)
        top = []
    head = "\n".join(top + out)
    data = head.encode("utf-8") + b"\n\n" + body
    if not data.endswith(b"\n"):
        data += b"\n"
    people = set(found)
    for n, a in [m.frm] + m.to + m.cc + m.reply_to:
        if "@" in a:
            people.add(a.lower())
    people.discard("")
    return data, deliver, people


# =============================================================================================
# Schedule: which category at which instant
# =============================================================================================

def category_counts(n):
    total = sum(w for _, w in CATEGORIES)
    raw = [(c, n * w / total) for c, w in CATEGORIES]
    counts = {c: int(x) for c, x in raw}
    rest = n - sum(counts.values())
    for c, x in sorted(raw, key=lambda cx: (-(cx[1] - int(cx[1])), cx[0]))[:rest]:
        counts[c] += 1
    return counts


def schedule(seed, n, end_ts):
    """[(ts, category)] sorted by time: 15 years, mail volume growing fourfold towards the end."""
    r = Rng(f"{GENERATOR_TAG}:{seed}:schedule")
    counts = category_counts(n)
    cats = []
    for c, _ in CATEGORIES:
        cats += [c] * counts[c]
    r.shuffle(cats)
    span = int(YEARS * 365.25 * 86400)
    start = end_ts - span
    k = math.log(4.0)
    out = []
    for i, cat in enumerate(cats):
        u = r.random()
        x = math.log(1 + u * (math.exp(k) - 1)) / k
        day0 = (start + int(x * span)) // 86400 * 86400
        wd = datetime.datetime.fromtimestamp(day0, UTC).weekday()
        if cat in ("accounting-document", "business-letter", "annual-accounts", "job-application", "inquiry", "privacy-request"):
            if wd >= 5 and r.chance(0.85):
                day0 -= (wd - 4) * 86400
            hour = min(20.5, max(6.5, r.gauss(11.5, 2.8)))
        elif cat == "newsletter":
            hour = r.pick((r.uniform(5, 11), r.uniform(15, 19)))
        elif cat == "system-mail":
            hour = r.uniform(0, 7) if r.chance(0.55) else r.uniform(0, 24)
        elif cat == "personal":
            hour = r.uniform(17, 23) if (wd < 5 and r.chance(0.7)) else r.uniform(8, 22)
        else:
            hour = r.uniform(0, 24)
        ts = day0 + int(hour * 3600) - 3600 + r.randint(0, 59)   # local hours, roughly CET
        ts = min(ts, end_ts - r.randint(60, 7200))
        out.append((ts, i, cat))
    out.sort()
    return [(ts, cat) for ts, _, cat in out]


# =============================================================================================
# Folders, flags, file names
# =============================================================================================

BASE_FOLDERS = [".Sent", ".Drafts", ".Trash", ".Junk", ".Newsletter", ".Buchhaltung", ".Bewerbungen", ".Kunden", ".Lieferanten",
                ".Steuerberater", ".Privat", ".Systemmeldungen", ".Gel&APY-schte Elemente"]
ARCHIVE_LAG = 4          # the owner archived each year's mail until four years before --today


def final_folder(m, r, start_year, archive_last):
    f = m.folder or "INBOX"
    if m.direction == "out" and r.chance(0.012):
        m.direction = "draft"
        return ".Drafts"
    if f == ".Trash" and r.chance(0.3):
        return ".Gel&APY-schte Elemente"
    year = local_dt(m.ts, "eu").year
    if start_year < year <= archive_last and m.cat != "spam" and m.cat != "system-mail":
        if f in ("INBOX", ".Kunden", ".Lieferanten") and r.chance(0.6):
            return f".Archive.{year}"
        if f == ".Sent" and r.chance(0.3):
            return f".Archive.{year}"
    if m.cat == "spam" and f == "INBOX" and r.chance(0.2):
        return ".Trash"
    return f


def flags_for(folder, age, r):
    """(subdir, flags or None for new/)."""
    if folder == ".Drafts":
        return "cur", "DS"
    if folder == ".Sent":
        return "cur", "S" if r.chance(0.97) else "FS"
    if folder in (".Trash", ".Gel&APY-schte Elemente"):
        return "cur", r.wpick([("S", 60), ("ST", 25), ("T", 10), ("", 5)])
    # mail stays in new/ until a client opens the folder: INBOX daily, the Sieve-filled folders rarely
    window = {"INBOX": 2, ".Newsletter": 21, ".Junk": 60, ".Systemmeldungen": 240, ".Bewerbungen": 5, ".Buchhaltung": 10}.get(folder, 4)
    if age < window * 86400 and r.chance(0.9):
        return "new", None
    if folder == ".Junk":
        return "cur", r.wpick([("", 60), ("S", 40)])
    if folder in (".Newsletter", ".Systemmeldungen"):
        return "cur", r.wpick([("", 45), ("S", 55)])
    return "cur", r.wpick([("S", 70), ("RS", 12), ("FS", 3), ("FRS", 1), ("", 10 if age < 120 * 86400 else 2), ("ST", 1), ("T", 0.5)])


def mbox_name(folder):
    if folder == "INBOX":
        return "INBOX"
    name = folder[1:].replace("&APY-", "ö").replace("&APw-", "ü")
    return ascii_fold(name)


FROM_RE = re.compile(rb"^(>*From )", re.M)


def mboxrd(data):
    if b"From " not in data:
        return data
    return FROM_RE.sub(rb">\1", data)


# =============================================================================================
# Writing the store
# =============================================================================================

def _envelope_text(info):
    date, subj, frm, to, mid = info

    def addr_list(lst):
        if not lst:
            return "NIL"
        out = []
        for n, a in lst:
            if "@" not in a:
                continue
            lp, dom = a.split("@", 1)
            nm = '"' + n.replace('"', "") + '"' if n else "NIL"
            out.append(f'({nm} NIL "{lp}" "{dom}")')
        return "(" + "".join(out) + ")" if out else "NIL"
    s = subj.replace('"', '\\"').replace("\n", " ")
    return f'"{date}" "{s}" {addr_list([frm])} {addr_list([frm])} {addr_list([frm])} {addr_list(to)} NIL NIL NIL "{mid}"'


def dovecot_cache(seed, infos):
    """A plausible dovecot.index.cache: binary header, field table, IMAP envelopes of recent mail."""
    import struct
    r = Rng(f"{GENERATOR_TAG}:{seed}:cache")
    fields = [b"flags", b"date.received", b"size.virtual", b"imap.envelope", b"hdr.message-id", b"imap.bodystructure"]
    body = bytearray()
    body += struct.pack("<BBxxIII", 1, 8, r.getrandbits(32), 1, 0)
    body += struct.pack("<I", len(fields))
    for f in fields:
        body += struct.pack("<IHH", 0, 2, len(f)) + f + b"\x00" * ((-len(f)) % 4)
    for uid, info in enumerate(infos, 1):
        env = _envelope_text(info).encode("utf-8", "replace")
        rec = struct.pack("<IIII", 0, uid, len(env) + 16, 3) + env + b"\x00" * ((-len(env)) % 4)
        body += rec
    return bytes(body)


def write_backup(job):
    """One tar.gz of the Maildir as it was at cutoff (a separate process may run it)."""
    out_dir, day, cutoff, entries, dirs, extra_files = job
    path = os.path.join(out_dir, "backups", f"maildir-{day}.tar.gz")
    tmp = path + ".part"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=cutoff, compresslevel=3) as gz:
            with tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
                members = []
                for d in dirs:
                    members.append((d, None, cutoff - 3600))
                for rel, mtime in extra_files:
                    members.append((rel, rel, min(mtime, cutoff)))
                for rel, mtime in entries:
                    if mtime < cutoff:
                        members.append((rel, rel, mtime))
                members.sort(key=lambda x: x[0])
                for rel, src, mtime in members:
                    ti = tarfile.TarInfo("Maildir/" + rel if rel else "Maildir")
                    ti.mtime = mtime
                    ti.uid = ti.gid = 5000
                    ti.uname = ti.gname = "vmail"
                    if src is None:
                        ti.type = tarfile.DIRTYPE
                        ti.mode = 0o700
                        tar.addfile(ti)
                    else:
                        full = os.path.join(out_dir, "Maildir", src)
                        ti.size = os.path.getsize(full)
                        ti.mode = 0o600
                        with open(full, "rb") as f:
                            tar.addfile(ti, f)
    os.replace(tmp, path)
    return path


def generate(out, n, seed, fmt, backups, today, quiet=False):
    import time
    t0 = time.monotonic()
    end_ts = _epoch(today.year, today.month, today.day, 9, 0, 0)
    g = Gen(seed, today)
    r = g.rng
    sched = schedule(seed, n, end_ts)
    start_year = local_dt(end_ts - int(YEARS * 365.25 * 86400), "eu").year
    want_maildir = fmt in ("maildir", "both")
    want_mbox = fmt in ("mbox", "both")
    os.makedirs(out, exist_ok=True)
    md = os.path.join(out, "Maildir")
    archive_last = today.year - ARCHIVE_LAG
    folders = ["INBOX"] + BASE_FOLDERS + [f".Archive.{y}" for y in range(start_year + 1, archive_last + 1)]
    if want_maildir:
        for f in folders:
            base = md if f == "INBOX" else os.path.join(md, f)
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(base, sub), exist_ok=True)
            if f != "INBOX":
                with open(os.path.join(base, "maildirfolder"), "wb"):
                    pass
    mboxes, mbox_count = {}, {}
    if want_mbox:
        os.makedirs(os.path.join(out, "mbox"), exist_ok=True)
    truth = open(os.path.join(out, "truth.jsonl"), "w", encoding="utf-8", newline="\n")
    names = set()
    uidlists = {f: [] for f in folders}
    inbox_recent = []
    entries = []
    stats = {"bytes": 0, "count": {}, "max": 0, "sizes": []}
    for i, (ts, cat) in enumerate(sched):
        m = Msg(cat, ts)
        GENERATORS[cat](g, m)
        if cat == "spam" and r.chance(0.1):
            m.date_ts = m.ts + r.randint(-3 * 86400, 86400)
        data, deliver, people = assemble(g, m)
        folder = final_folder(m, r, start_year, archive_last)
        sub, flags = flags_for(folder, end_ts - deliver, r)
        year = utc_year(deliver)
        host = "mail" if year >= 2017 else "srv01"
        size = len(data)
        base = f"{deliver}.M{r.randint(0, 999999)}P{r.randint(1000, 65000)}.{host},S={size},W={size + data.count(bytes([10]))}"
        while base in names:
            base = f"{deliver}.M{r.randint(0, 999999)}P{r.randint(1000, 65000)}.{host},S={size},W={size + data.count(bytes([10]))}"
        names.add(base)
        fname = base if flags is None else f"{base}:2,{flags}"
        rel = (f"{sub}/{fname}" if folder == "INBOX" else f"{folder}/{sub}/{fname}")
        if want_maildir:
            full = os.path.join(md, rel)
            with open(full, "wb") as f:
                f.write(data)
            os.utime(full, (deliver, deliver))
            entries.append((rel, deliver))
        uidlists[folder].append((deliver, base))
        if folder == "INBOX":
            enc = lambda pair: (encode_text(pair[0], m.style.hs), pair[1])
            inbox_recent.append((fmt_date(m.date_ts or m.ts, m.zone), encode_text(m.subject, m.style.hs), enc(m.frm),
                                 [enc(x) for x in m.to], m.msgid))
            if len(inbox_recent) > 400:
                del inbox_recent[:100]
        mbox_rel, mbox_idx = None, None
        if want_mbox:
            mn = mbox_name(folder)
            fh = mboxes.get(mn)
            if fh is None:
                fh = open(os.path.join(out, "mbox", mn + ".mbox"), "wb", buffering=1 << 20)
                mboxes[mn] = fh
                mbox_count[mn] = 0
            env = m.envelope if m.envelope is not None else m.frm[1]
            fh.write(f"From {env or 'MAILER-DAEMON'} {asctime_utc(deliver)}\n".encode("ascii", "replace"))
            fh.write(mboxrd(data))
            fh.write(b"\n")
            mbox_rel, mbox_idx = f"mbox/{mn}.mbox", mbox_count[mn]
            mbox_count[mn] += 1
        day = datetime.datetime.fromtimestamp(m.date_ts or m.ts, UTC).strftime("%Y-%m-%d")
        truth.write(json.dumps({"maildirPath": rel if want_maildir else None, "mbox": mbox_rel, "mboxIndex": mbox_idx,
                                "messageId": m.msgid, "category": cat, "subjects": sorted(people), "date": day,
                                "folder": folder}, ensure_ascii=False) + "\n")
        stats["bytes"] += size
        stats["count"][cat] = stats["count"].get(cat, 0) + 1
        stats["sizes"].append(size)
        if not quiet and (i + 1) % 10000 == 0:
            print(f"  {i + 1} messages, {stats['bytes'] / 1e6:.0f} MB, {time.monotonic() - t0:.1f} s", file=sys.stderr)
    truth.close()
    for fh in mboxes.values():
        fh.close()
    extra_files = []
    if want_maildir:
        for f in folders:
            lst = sorted(uidlists[f])
            validity = (lst[0][0] if lst else end_ts) - 86400 * 3
            text = f"3 V{validity} N{len(lst) + 1} G{Rng(f'{GENERATOR_TAG}:{seed}:{f}').hexs(32)}\n" + "".join(f"{u} :{b}\n" for u, (_, b) in enumerate(lst, 1))
            rel = "dovecot-uidlist" if f == "INBOX" else f"{f}/dovecot-uidlist"
            with open(os.path.join(md, rel), "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            extra_files.append((rel, lst[-1][0] if lst else end_ts))
        with open(os.path.join(md, "dovecot.index.cache"), "wb") as fh:
            fh.write(dovecot_cache(seed, inbox_recent[-300:]))
        subs = "V\t2\n\n" + "".join(f[1:].replace(".", "\t") + "\n" for f in folders if f != "INBOX")
        with open(os.path.join(md, "subscriptions"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(subs)
        extra_files += [("dovecot.index.cache", end_ts - 60), ("subscriptions", end_ts - 86400 * 200)]
        for rel, mt in extra_files:
            os.utime(os.path.join(md, rel), (mt, mt))
    t_msgs = time.monotonic() - t0
    if backups:
        os.makedirs(os.path.join(out, "backups"), exist_ok=True)
        dirs = [""]
        for f in folders:
            if f != "INBOX":
                dirs.append(f)
            for sub in ("cur", "new", "tmp"):
                dirs.append(sub if f == "INBOX" else f"{f}/{sub}")
        extra = extra_files + [(f"{f}/maildirfolder", end_ts - 86400 * 365 * 5) for f in folders if f != "INBOX"]
        jobs = []
        for k in range(backups):
            d = today - datetime.timedelta(days=backups - 1 - k)
            cutoff = _epoch(d.year, d.month, d.day, 3, 0, 0)
            jobs.append((out, d.isoformat(), cutoff, entries, dirs, extra))
        workers = max(1, min(len(jobs), os.cpu_count() or 1))
        if workers > 1 and len(entries) > 2000:
            from concurrent.futures import ProcessPoolExecutor
            with ProcessPoolExecutor(max_workers=workers) as ex:
                list(ex.map(write_backup, jobs))
        else:
            for j in jobs:
                write_backup(j)
    return stats, t_msgs, time.monotonic() - t0


# =============================================================================================
# Command line
# =============================================================================================

def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="generate-mailstore.py",
        description="Write a deterministic, realistic Maildir++/mbox mail store of a small German hosting company, "
                    "with the true retention category of every message (truth.jsonl).",
        epilog="Example: scripts/generate-mailstore.py --out /tmp/store --messages 10000 --seed 7 --backups 3\n"
               "         scripts/generate-mailstore.py --sample        (300 messages, seed 1, both formats, into ./sample)\n"
               "Output: DIR/Maildir, DIR/mbox/*.mbox, DIR/backups/maildir-YYYY-MM-DD.tar.gz, DIR/truth.jsonl "
               "(one line per message: maildirPath, mbox, mboxIndex, messageId, category, subjects, date, folder). "
               "See the docstring at the top of the script for the details.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", metavar="DIR", help="output directory (created if missing)")
    ap.add_argument("--messages", type=int, default=1000, metavar="N", help="number of messages (default 1000)")
    ap.add_argument("--seed", type=int, default=1, metavar="S", help="seed (default 1)")
    ap.add_argument("--format", choices=("maildir", "mbox", "both"), default="both", help="stores to write (default both)")
    ap.add_argument("--mix", choices=("default", "hard"), default="default",
                    help="default, or hard: role addresses receiving invoices and letters, private mail from company domains (default default)")
    ap.add_argument("--backups", type=int, default=0, metavar="K", help="nightly Maildir backups ending at --today (default 0)")
    ap.add_argument("--today", default=TODAY_DEFAULT, metavar="YYYY-MM-DD", help=f"last day of the store (default {TODAY_DEFAULT})")
    ap.add_argument("--sample", action="store_true", help="README quick start: 300 messages, seed 1, both formats, into ./sample")
    ap.add_argument("--force", action="store_true", help="replace existing output in DIR")
    ap.add_argument("--quiet", action="store_true", help="print nothing but errors")
    a = ap.parse_args(argv)
    global MIX, CATEGORIES
    MIX = a.mix
    if a.mix == "hard":
        CATEGORIES = CATEGORIES_HARD
    if a.sample:
        a.messages, a.seed, a.format = 300, 1, "both"
        a.out = a.out or "sample"
    if not a.out:
        ap.error("--out DIR is required (or use --sample)")
    if a.messages < 1:
        ap.error("--messages must be at least 1")
    if a.backups < 0:
        ap.error("--backups must not be negative")
    if a.backups and a.format == "mbox":
        ap.error("--backups copies the Maildir: use --format maildir or both")
    try:
        today = datetime.date.fromisoformat(a.today)
    except ValueError:
        ap.error(f"--today {a.today!r} is not a date of the form YYYY-MM-DD")
    ours = ("Maildir", "mbox", "backups", "truth.jsonl")
    present = [p for p in ours if os.path.lexists(os.path.join(a.out, p))]
    if present:
        if not (a.force or os.path.isfile(os.path.join(a.out, "truth.jsonl"))):
            print(f"generate-mailstore: {a.out} already holds {', '.join(present)} that this script did not write; "
                  "use --force to replace them", file=sys.stderr)
            return 2
        for p in present:
            full = os.path.join(a.out, p)
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full)
            else:
                os.remove(full)
    stats, t_msgs, t_all = generate(a.out, a.messages, a.seed, a.format, a.backups, today, a.quiet)
    if not a.quiet:
        sizes = sorted(stats["sizes"])
        med = sizes[len(sizes) // 2]
        print(f"wrote {a.messages} messages ({stats['bytes'] / 1e6:.1f} MB of mail, median {med / 1000:.1f} KB, "
              f"largest {sizes[-1] / 1e6:.2f} MB) to {a.out} in {t_all:.1f} s"
              + (f" ({t_msgs:.1f} s messages, {t_all - t_msgs:.1f} s backups)" if a.backups else ""), file=sys.stderr)
        for c, _ in CATEGORIES:
            print(f"  {c:<20} {stats['count'].get(c, 0):>7}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
