#!/usr/bin/env python3
"""measure-classification.py: how right privctl's retention decisions are on a generated store.

USAGE
    scripts/measure-classification.py --store DIR [--privctl PATH] [--policy FILE]
                                      [--at YYYY-MM-DD] [--mistakes N]

    DIR holds Maildir/ and truth.jsonl as scripts/generate-mailstore.py writes them (any seed,
    any --mix). privctl classifies DIR/Maildir with --no-record as of --at (default the
    generator's last day, 2026-11-26), with a throw-away key; nothing is recorded anywhere.

PRINTS (stdout, Markdown)
    - retention dates right: privctl's last day to keep and first day to erase equal those of
      the true category, counted from privctl's own message day (the figure of the "Right
      decisions" issue; a wrong category with the same period counts as right);
    - documents with a duty given no or a shorter duty: the true category has a legal
      retention duty and privctl's keeps the message for a shorter time or not under a duty;
    - mail without a duty kept for years: the true category has no duty and privctl keeps the
      message at least a year longer than the true category would;
    - the confusion matrix of categories (rows: truth, columns: privctl) and the most frequent
      mistakes with the rule that made them.

Python 3.11 standard library only. Exit status 0, or 1 when privctl or the store fails.
"""

from __future__ import annotations

import argparse
import calendar
import collections
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def add_months(day: dt.date, months: int) -> dt.date:
    """CalendarDay.adding(months:): the same day of the month, or the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_period(text: str) -> tuple[int, int] | None:
    """'8 years', '3 months', '1 year 2 days', 'none' -> (months, days) or None."""
    words = text.replace(",", " ").split()
    if words == ["none"]:
        return None
    months = days = 0
    for count, unit in zip(words[0::2], words[1::2]):
        n = int(count)
        if unit.startswith("year"):
            months += 12 * n
        elif unit.startswith("month"):
            months += n
        elif unit.startswith("week"):
            days += 7 * n
        else:
            days += n
    return months, days


def schedule(category: dict, message_day: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """(retainUntil, expiresOn) as RetentionSchedule computes them; events not recorded."""
    start = message_day
    if category["from"] == "end-of-year":
        start = dt.date(message_day.year, 12, 31)
    if category["from"].startswith("event:") and category.get("reviewWithoutEvent"):
        # The generator records no decisions: kept, and reviewed this long after the message.
        months, days = parse_period(category["reviewWithoutEvent"])
        return None, add_months(message_day, months) + dt.timedelta(days=days + 1)
    period = parse_period(category["period"])
    if period is None:
        return None, None
    last = add_months(start, period[0]) + dt.timedelta(days=period[1])
    return (last if category["duty"] else None), last + dt.timedelta(days=1)


def duties_in(yaml: str) -> dict[str, bool]:
    """The `duty:` of each category in a policy file, for a privctl whose JSON does not say."""
    duties, current = {}, None
    for line in yaml.splitlines():
        text = line.strip()
        if text.startswith("- id:"):
            current = text[5:].strip().strip('"')
        elif text.startswith("duty:") and current:
            duties[current] = text[5:].strip().lower() in ("true", "yes")
    return duties


def day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def run(command: list[str], env: dict) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode not in (0, 2):  # 2: something is due, which is not a failure here
        sys.stderr.write(result.stderr)
        sys.exit(f"measure-classification.py: {' '.join(command[:2])} failed with exit {result.returncode}")
    return result.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True, metavar="DIR")
    ap.add_argument("--privctl", metavar="PATH", help="default: .build/release/privctl, else .build/debug/privctl")
    ap.add_argument("--policy", metavar="FILE", help="a policy file (default: the built-in policy)")
    ap.add_argument("--at", default="2026-11-26", metavar="YYYY-MM-DD")
    ap.add_argument("--mistakes", type=int, default=15, metavar="N", help="mistakes to list (default 15)")
    args = ap.parse_args()

    privctl = args.privctl
    if privctl is None:
        for build in ("release", "debug"):
            candidate = os.path.join(ROOT, ".build", build, "privctl")
            if os.path.exists(candidate):
                privctl = candidate
                break
    if privctl is None:
        sys.exit("measure-classification.py: no privctl built; run swift build -c release, or give --privctl")
    maildir = os.path.join(args.store, "Maildir")
    truth_path = os.path.join(args.store, "truth.jsonl")
    if not (os.path.isdir(maildir) and os.path.isfile(truth_path)):
        sys.exit(f"measure-classification.py: {args.store} has no Maildir and truth.jsonl")

    with tempfile.TemporaryDirectory(prefix="privctl-measure-") as scratch:
        env = dict(os.environ, PRIVCTL_CONFIG="none", HOME=scratch)
        key = os.path.join(scratch, "pseudonym.key")
        run([privctl, "init", "--quiet", "--ledger", os.path.join(scratch, "ledger.sqlite"), "--key", key], env)
        policy_args = ["--policy", args.policy] if args.policy else []
        policy_file = args.policy
        if policy_file is None:
            policy_file = os.path.join(scratch, "policy.yaml")
            with open(policy_file, "w") as f:
                f.write(run([privctl, "policy", "show", "--built-in"], env))
        categories = {c["id"]: c for c in json.loads(run([privctl, "policy", "check", "--json", policy_file], env))["categories"]}
        if any("duty" not in c for c in categories.values()):  # privctl before 2026-12: read the file
            duties = duties_in(open(policy_file, encoding="utf-8").read())
            for c in categories.values():
                c.setdefault("duty", duties.get(c["id"], False))
        output = run([privctl, "classify", "--no-record", "--json", "--quiet", "--at", args.at, "--key", key]
                     + policy_args + [maildir], env)

    found = {}
    for line in output.splitlines():
        record = json.loads(line)
        found[os.path.relpath(record["path"], maildir)] = record
    truth = [json.loads(line) for line in open(truth_path, encoding="utf-8")]

    total = right = duty_lost = kept_years = no_duty = with_duty = category_right = missing = 0
    matrix: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    mistakes: collections.Counter = collections.Counter()
    for message in truth:
        record = found.get(message["maildirPath"])
        if record is None:
            missing += 1
            continue
        total += 1
        true_category = categories[message["category"]]
        predicted = record["category"]
        matrix[message["category"]][predicted] += 1
        if predicted == message["category"]:
            category_right += 1
        else:
            mistakes[(message["category"], predicted, record["rule"])] += 1
        retain, expires = schedule(true_category, day(record["messageDay"]))
        got_retain, got_expires = day(record["retainUntil"]), day(record["expiresOn"])
        if (retain, expires) == (got_retain, got_expires):
            right += 1
        if true_category["duty"]:
            with_duty += 1
            if got_retain is None or got_retain < retain:
                duty_lost += 1
        else:
            no_duty += 1
            if expires is not None and (got_expires is None or (got_expires - expires).days >= 365):
                kept_years += 1

    def share(n: int, of: int) -> str:
        return f"{n:,} of {of:,} ({100 * n / of:.1f} %)" if of else "0"

    print(f"# Classification of {args.store} (as of {args.at}, {os.path.basename(privctl)} {policy_file if args.policy else 'built-in policy'})")
    print()
    if missing:
        print(f"- {missing:,} messages of truth.jsonl not in privctl's output")
    print(f"- retention dates right: {share(right, total)}")
    print(f"- category right: {share(category_right, total)}")
    print(f"- documents with a duty given no or a shorter duty: {share(duty_lost, with_duty)}")
    print(f"- mail without a duty kept a year or more too long: {share(kept_years, no_duty)}")
    print()
    columns = sorted({c for row in matrix.values() for c in row} | set(matrix))
    short = {c: c[:9] for c in columns}
    print("| truth \\ privctl | " + " | ".join(short[c] for c in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for row in columns:
        if row in matrix:
            print(f"| {row} | " + " | ".join(str(matrix[row][c]) if matrix[row][c] else "" for c in columns) + " |")
    print()
    print("| truth | privctl | rule | messages |")
    print("|---|---|---|---:|")
    for (true, predicted, rule), count in mistakes.most_common(args.mistakes):
        print(f"| {true} | {predicted} | {rule} | {count} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
