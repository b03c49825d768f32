#!/usr/bin/env bash
# compare-archives.sh: privctl erasing people from a tar.gz backup, beside bsdtar rewriting the
# same backup without the same members (issue 17), warm cache, in one go. Writes the figures as a
# Markdown table into Benchmarks/RESULTS.md (between its "archive-figures" markers).
#
#   scripts/compare-archives.sh [--archive-messages N] [--scrub-messages N] [--runs R]
#                               [--out FILE] [--scratch-path DIR] [--keep]
#
#   --archive-messages N  messages in the generated Maildir that is backed up (default 11000:
#                         a tar.gz of about 750 MB)
#   --scrub-messages N    messages in the Maildir of the eight nightly backups the scrub reads
#                         (default 3000)
#   --runs R              runs of each measurement; the median wall time counts (default 3)
#   --out FILE            the results file (default Benchmarks/RESULTS.md)
#   --scratch-path DIR    where privctl is built (default .build)
#   --keep                keep the work folder
#
# The backup is written by another program: GNU tar with gzip (`tar -czf`, one gzip member), of
# a Maildir from scripts/generate-mailstore.py (seed 6). Measured:
#   first erase    privctl erase --subject A on that backup (the messages of A that no duty
#                  keeps are removed; the copy is read back before it replaces the original),
#                  and bsdtar -czf new -X list @backup leaving out the same members
#   second erase   privctl erase --subject B on the archive privctl wrote in the first erase
#                  (its gzip members that do not change are copied as they are), and bsdtar
#                  rewriting that same archive without B's members
#   scrub          privctl scrub --all over eight nightly backups (the generator's --backups 8,
#                  seed 7): the first run (which also removes what has expired), a run with
#                  nothing new (the scrub index), and a run after one new erasure request
#                  (privctl request erase): only the archives that hold the person may change
#                  (checked by SHA-256 and mtime), and none holds her mail without a duty after it
# A and B are the two people outside the owner's domain in the most messages. privctl decides
# as of the generator's last day (--at 2026-11-26). Every run starts from a fresh copy and an
# empty ledger. Installs what it needs with apt-get (as root or with sudo).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

archive_messages=11000
scrub_messages=3000
out="$root/Benchmarks/RESULTS.md"
runs=3
scratch=".build"
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --archive-messages) archive_messages=$2; shift 2 ;;
    --scrub-messages) scrub_messages=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --scratch-path) scratch=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-archives.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
say() { printf '\n== %s\n' "$*" >&2; }

scripts/install-packages.sh libarchive-tools gzip tar time python3

work=$(mktemp -d "${TMPDIR:-/tmp}/privctl-archives.XXXXXX")
cleanup() { if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

say "building privctl (release, $scratch)"
swift build -c release --product privctl --scratch-path "$scratch" 2>&1 | grep -E "error|Build complete" >&2 || true
privctl="$(swift build -c release --product privctl --scratch-path "$scratch" --show-bin-path)/privctl"
[ -x "$privctl" ] || { echo "compare-archives.sh: privctl did not build" >&2; exit 1; }

day=2026-11-26
say "generating a Maildir of $archive_messages messages; GNU tar writes its backup"
python3 scripts/generate-mailstore.py --out "$work/store" --messages "$archive_messages" --seed 6 --format maildir --quiet
tar -czf "$work/backup.tar.gz" -C "$work/store" Maildir
rm -rf "$work/store/Maildir"
read -r first_address second_address < <(python3 - "$work/store/truth.jsonl" <<'PY'
import collections, json, sys
counts = collections.Counter()
for line in open(sys.argv[1]):
    counts.update(json.loads(line)["subjects"])
owner = counts.most_common(1)[0][0].split("@")[1]
people = [a for a, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if a.split("@")[1] != owner]
print(people[0], people[1])
PY
)

export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
export PRIVCTL_LEDGER="$work/ledger.sqlite" PRIVCTL_KEY="$work/pseudonym.key" PRIVCTL_HOST=compare
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
"$privctl" init -q >/dev/null

# drop ARCHIVE ADDRESS LIST: the members privctl erases (its dry run's "erased" items), for bsdtar.
drop() {
  "$privctl" erase --dry-run --json --at "$day" --subject "$2" "$1" | python3 -c '
import json, sys
for item in json.load(sys.stdin)["items"]:
    if item["action"] == "erased":
        print(item["path"].split("!", 1)[1])' > "$3"
  [ -s "$3" ] || { echo "compare-archives.sh: privctl finds nothing of $2 to erase in $1" >&2; exit 1; }
}

: > "$work/figures.tsv"
# measure NAME PREPARE COMMAND...: median wall time, median CPU time, largest peak RSS of --runs.
measure() {
  local name=$1 prepare=$2; shift 2
  local times=() cpus=() rss=0 run seconds kb user system
  for run in $(seq "$runs"); do
    eval "$prepare"
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" \
      || { echo "compare-archives.sh: $name failed:" >&2; tail -5 "$work/stderr" >&2; exit 1; }
    read -r seconds kb user system < "$work/time"
    times+=("$seconds")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}')")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  local median cpu
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$median" "$cpu" "$((rss / 1024))" "${times[*]}" >> "$work/figures.tsv"
  printf '%-40s %8.2f s  %8.2f s CPU  %6d MB  (runs: %s)\n' "$name" "$median" "$cpu" "$((rss / 1024))" "${times[*]}" >&2
}
fresh='rm -f "$PRIVCTL_LEDGER"*; "$privctl" init -q >/dev/null'
same_members() {
  cmp -s <(bsdtar -tzf "$1" | sort) <(bsdtar -tzf "$2" | sort) \
    || { echo "compare-archives.sh: $1 and $2 hold different members" >&2; exit 1; }
}

# erase_beside_bsdtar WHICH ARCHIVE PERSON COPY: privctl erasing PERSON from a fresh copy of
# ARCHIVE (at COPY), and bsdtar writing ARCHIVE again without the same members.
erase_beside_bsdtar() {
  local which=$1 archive=$2 person=$3 copy=$4
  say "$which erase: $person in $(basename "$archive"), $(($(stat -c %s "$archive") / 1000000)) MB"
  drop "$archive" "$person" "$work/drop-$which.txt"
  cat "$archive" > /dev/null
  measure "privctl erase, $which" "$fresh; cp \"$archive\" \"$copy\"; sync" \
    "$privctl" erase --at "$day" --subject "$person" "$copy"
  measure "bsdtar without the same members, $which" 'rm -f "$work/bsdtar.tar.gz"; sync' \
    bsdtar -czf "$work/bsdtar.tar.gz" -X "$work/drop-$which.txt" "@$archive"
  same_members "$copy" "$work/bsdtar.tar.gz"
  gzip -t "$copy"
}
backup_bytes=$(stat -c %s "$work/backup.tar.gz")
erase_beside_bsdtar first "$work/backup.tar.gz" "$first_address" "$work/own.tar.gz"
own_bytes=$(stat -c %s "$work/own.tar.gz")
erase_beside_bsdtar second "$work/own.tar.gz" "$second_address" "$work/again.tar.gz"

# --- Nightly backups: scrub ---------------------------------------------------------------------
say "generating eight nightly backups of a Maildir of $scrub_messages messages"
python3 scripts/generate-mailstore.py --out "$work/nightly" --messages "$scrub_messages" --seed 7 --format maildir \
  --backups 8 --quiet
rm -rf "$work/nightly/Maildir"
nightly_bytes=$(du -cb "$work"/nightly/backups/*.tar.gz | tail -1 | cut -f1)
rm -f "$PRIVCTL_LEDGER"*; "$privctl" init -q >/dev/null
cat "$work"/nightly/backups/*.tar.gz > /dev/null
save_runs=$runs; runs=1
measure "privctl scrub --all, first run" : "$privctl" scrub --all "$work/nightly/backups" --at "$day"
runs=$save_runs
measure "privctl scrub --all, nothing new" : "$privctl" scrub --all "$work/nightly/backups" --at "$day"
# The person: of those outside the owner's domain whose mail dates from the last four nights
# (so the older backups cannot hold it), in the most messages, the first with mail that no duty
# keeps in the newest backup after the first scrub (which removed what had expired); when there
# is none, of everyone outside the owner's domain.
erasable() {
  "$privctl" erase --dry-run --json --at "$day" --subject "$1" "$2" \
    | python3 -c 'import json, sys; print(sum(i["action"] == "erased" for i in json.load(sys.stdin)["items"]))'
}
newest=$(ls "$work"/nightly/backups/*.tar.gz | tail -1)
scrub_person=""
for candidate in $(python3 - "$work/nightly/truth.jsonl" <<'PY'
import collections, json, sys
counts = collections.Counter()
for line in open(sys.argv[1]):
    counts.update(json.loads(line)["subjects"])
owner = counts.most_common(1)[0][0].split("@")[1]
first = {}
for line in open(sys.argv[1]):
    record = json.loads(line)
    for a in record["subjects"]:
        first[a] = min(first.get(a, record["date"]), record["date"])
people = [a for a, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if a.split("@")[1] != owner]
recent = [a for a in people if first[a] >= "2026-11-23"]
print(" ".join(recent[:10] + people[:10]))
PY
); do
  if [ "$(erasable "$candidate" "$newest")" -gt 0 ]; then scrub_person=$candidate; break; fi
done
[ -n "$scrub_person" ] || { echo "compare-archives.sh: nobody with erasable mail in $newest" >&2; exit 1; }
# Which archives hold the person's mail that no duty keeps (a dry run per archive), and each
# archive's bytes and time before the request.
holding=()
for archive in "$work"/nightly/backups/*.tar.gz; do
  [ "$(erasable "$scrub_person" "$archive")" -gt 0 ] && holding+=("$(basename "$archive")")
done
# Each backup's name, modification time and SHA-256.
fingerprints() { (cd "$work/nightly/backups" && for f in *.tar.gz; do echo "$f $(stat -c %Y "$f") $(sha256sum < "$f" | cut -c1-64)"; done); }
fingerprints > "$work/before.txt"
"$privctl" request erase --subject "$scrub_person" --reference compare-archives -q >/dev/null
save_runs=$runs; runs=1
measure "privctl scrub --all, one new request" : "$privctl" scrub --all "$work/nightly/backups" --at "$day"
runs=$save_runs
fingerprints > "$work/after.txt"
changed=$(join "$work/before.txt" "$work/after.txt" | awk '$3 != $5 {print $1}' | sort | tr '\n' ' ')
retimed=$(join "$work/before.txt" "$work/after.txt" | awk '$2 != $4 {print $1}' | wc -l)
expected=$(printf '%s\n' "${holding[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
left=0
for archive in "$work"/nightly/backups/*.tar.gz; do
  left=$((left + $(erasable "$scrub_person" "$archive")))
done
say "scrub: ${#holding[@]} of 8 archives held $scrub_person; changed: ${changed:-none}; her mail without a duty left: $left"

export CMP_MESSAGES=$archive_messages CMP_BACKUP_BYTES=$backup_bytes CMP_OWN_BYTES=$own_bytes \
  CMP_AGAIN_BYTES=$(stat -c %s "$work/again.tar.gz") CMP_FIRST=$first_address CMP_SECOND=$second_address \
  CMP_DROP1=$(wc -l < "$work/drop-first.txt") CMP_DROP2=$(wc -l < "$work/drop-second.txt") CMP_RUNS=$runs \
  CMP_CORES=$(nproc) CMP_CPU="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')" \
  CMP_VERSION=${PRIVCTL_REVISION:-$(git -C "$root" log -1 --format='%h %cs' 2>/dev/null || echo unknown)} \
  CMP_SCRUB_MESSAGES=$scrub_messages CMP_NIGHTLY_BYTES=$nightly_bytes CMP_SCRUB_PERSON=$scrub_person \
  CMP_HOLDING=${#holding[@]} CMP_CHANGED_OK=$([ "$changed" = "$expected" ] && [ "$retimed" = 0 ] && echo 1 || echo 0) \
  CMP_CHANGED="${changed:-none}" CMP_LEFT=$left \
  CMP_COMMAND="scripts/compare-archives.sh$([ "$archive_messages" = 11000 ] || echo " --archive-messages $archive_messages")$([ "$scrub_messages" = 3000 ] || echo " --scrub-messages $scrub_messages")$([ "$runs" = 3 ] || echo " --runs $runs")"
python3 - "$work/figures.tsv" "$out" <<'PY'
import os, sys
figures, out = sys.argv[1:]
e = os.environ
rows = {}
for line in open(figures):
    name, median, cpu, rss, times = line.rstrip("\n").split("\t")
    rows[name] = (float(median), float(cpu), int(rss), times)
t = lambda name: rows[name][0]
first = t("privctl erase, first") / t("bsdtar without the same members, first")
second = t("privctl erase, second") / t("bsdtar without the same members, second")
peak = max(rows[n][2] for n in rows if n.startswith("privctl"))
verdict = lambda ok: "**met**" if ok else "**missed**"
lines = [
    f"Backup: a {int(e['CMP_MESSAGES']):,}-message Maildir (scripts/generate-mailstore.py, seed 6) written by GNU tar "
    f"with gzip, {int(e['CMP_BACKUP_BYTES']) / 1e6:,.0f} MB. First erase: `{e['CMP_FIRST']}` ({e['CMP_DROP1']} members "
    f"removed) from that backup; second erase: `{e['CMP_SECOND']}` ({e['CMP_DROP2']} members) from the archive privctl "
    f"wrote in the first ({int(e['CMP_OWN_BYTES']) / 1e6:,.0f} MB). bsdtar (`bsdtar -czf new -X list @old`) leaves out "
    f"the same members of the same archive (both results checked to hold the same member list). privctl's times include "
    f"reading the copy back before it replaces the original. {e['CMP_CORES']} cores ({e['CMP_CPU']}), warm cache, "
    f"privctl {e['CMP_VERSION']} (release), median of {e['CMP_RUNS']} runs. Reproduce with `{e['CMP_COMMAND']}`.",
    "",
    "| What | Wall time | CPU time | Peak RSS | Runs (s) |",
    "|---|---:|---:|---:|---|",
]
for name, (median, cpu, rss, times) in rows.items():
    lines.append(f"| {name} | {median:.2f} s | {cpu:.2f} s | {rss} MB | {times.replace(' ', ', ')} |")
quiet = t("privctl scrub --all, nothing new") / t("privctl scrub --all, first run")
lines += [
    "",
    f"Scrub: eight nightly backups (scripts/generate-mailstore.py --backups 8, seed 7) of a "
    f"{int(e['CMP_SCRUB_MESSAGES']):,}-message Maildir, {int(e['CMP_NIGHTLY_BYTES']) / 1e6:,.0f} MB together; the "
    f"new request is for `{e['CMP_SCRUB_PERSON']}`, whose mail without a duty {e['CMP_HOLDING']} of the 8 held "
    f"(a dry run per archive before the request); changed by the scrub: {e['CMP_CHANGED']}.",
    "", "| Target | | Measured |", "|---|---|---|",
    f"| first erase ≤ 0.5× bsdtar | {verdict(first <= 0.5)} | {first:.2f}× |",
    f"| second erase, in an archive privctl wrote, ≤ 0.2× bsdtar | {verdict(second <= 0.2)} | {second:.2f}× |",
    f"| scrub with nothing new ≤ 0.03× the first scrub | {verdict(quiet <= 0.03)} | {quiet:.3f}× |",
    f"| one new request: only the archives that hold the person change (bytes and mtime) | "
    f"{verdict(e['CMP_CHANGED_OK'] == '1')} | {e['CMP_HOLDING']} held her mail; changed: {e['CMP_CHANGED']} |",
    f"| her mail without a duty gone from every backup | {verdict(e['CMP_LEFT'] == '0')} | {e['CMP_LEFT']} messages left |",
    f"| peak memory under 200 MB | {verdict(peak < 200)} | {peak} MB |",
]
table = "\n".join(lines)
print("\n" + table)
begin, end = "<!-- archive-figures:begin (scripts/compare-archives.sh writes this part) -->", "<!-- archive-figures:end -->"
text = open(out).read() if os.path.exists(out) else "# privctl next to the tools users would use instead\n"
if begin in text:
    text = text[: text.index(begin) + len(begin)] + "\n" + table + "\n" + text[text.index(end):]
else:
    text += f"\n## Backups: erasing from a tar.gz beside bsdtar\n\n{begin}\n{table}\n{end}\n"
open(out, "w").write(text)
print(f"\nwritten to {out}", file=sys.stderr)
PY
