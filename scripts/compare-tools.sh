#!/usr/bin/env bash
# compare-tools.sh: privctl side by side with what an operator would use instead, on one
# generated mail store, warm cache, in one go (issue 5). Prints every figure and privctl's ratio
# to each, and writes them as a Markdown table into Benchmarks/RESULTS.md (between its
# "figures" markers; the notes around them are kept).
#
#   scripts/compare-tools.sh [--messages N] [--store DIR] [--out FILE] [--runs R]
#                            [--archive-messages N] [--small-messages N] [--copies K]
#                            [--scratch-path DIR] [--keep]
#
#   --messages N          messages in the generated store (default 100000: about 9 GB and 5
#                         minutes of generation; needs python3)
#   --store DIR           use DIR/Maildir and DIR/truth.jsonl written by
#                         scripts/generate-mailstore.py instead of generating a store
#   --archive-messages N  messages in the Maildir whose tar.gz backup (the generator's
#                         --backups 1) is rewritten (default 15000: a backup of about 1.1 GB)
#   --small-messages N    a second, smaller store (default 10000; 0: none) on which privctl
#                         classify and erase --dry-run run again, to show that peak memory does
#                         not grow with the store
#   --copies K            and a larger one: privctl classify and erase --dry-run (one run each)
#                         over K hard-linked copies of the store, K times its messages without
#                         using more disk (default 4; 0: none; needs the store and the work
#                         folder on one file system)
#   --runs R              runs of each measurement; the median wall time counts (default 3)
#   --out FILE            the results file (default Benchmarks/RESULTS.md)
#   --scratch-path DIR    where privctl is built (default .build)
#   --keep                keep the generated stores and the work folder
#   PRIVCTL_REVISION      how the results name privctl's version (default: git's last commit)
#
# Measured, each on the same Maildir:
#   read floor          every message file read once with one read(2) loop into a reused
#                       buffer, one thread (scripts/compare-tools/read-floor.c, built with gcc)
#   python email        scripts/compare-tools/email-headers.py: every message's headers parsed
#                       and decoded with Python's email package, one thread
#   mu index            into an empty mu home;  notmuch new: into an empty database
#   rg                  rg -l -F --hidden --no-ignore ADDRESS (finding a subject)
#   privctl             classify --no-record; classify with an empty ledger (first run);
#                       classify again (nothing changed); erase --dry-run --subject ADDRESS
# and on the backup: privctl erase --subject ADDRESS2 (rewriting it without the messages it
# erases, then reading the copy back before it replaces the original), bsdtar rewriting it
# without the same members, gzip -dc | gzip -6, and pigz -dc | pigz -6. ADDRESS (ADDRESS2) is
# the person outside the owner's domain who is in the most messages of the store (the backup),
# from truth.jsonl. privctl decides as of the generator's last day (--at 2026-11-26), so the
# figures do not depend on the date of the run. Installs what it needs with apt-get (as root
# or with sudo). Wall times on a shared machine are noisy: take them as a median of --runs,
# and rerun.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

messages=100000
archive_messages=15000
small_messages=10000
copies=4
store=""
out="$root/Benchmarks/RESULTS.md"
runs=3
scratch=".build"
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --messages) messages=$2; shift 2 ;;
    --archive-messages) archive_messages=$2; shift 2 ;;
    --small-messages) small_messages=$2; shift 2 ;;
    --copies) copies=$2; shift 2 ;;
    --store) store=$(cd "$2" && pwd); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --scratch-path) scratch=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-tools.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done

# say, person, tally
. "$root/scripts/lib/generated-store.sh"

# --- What it needs: privctl's packages and the tools it is compared with ---------------------
scripts/install-packages.sh maildir-utils notmuch ripgrep libarchive-tools pigz gzip time gcc libc6-dev python3

work=$(mktemp -d "${TMPDIR:-/tmp}/privctl-compare.XXXXXX")
cleanup() {
  local status=$?
  # A run that failed late still shows what it measured.
  [ "$status" -ne 0 ] && [ -s "$work/figures.tsv" ] && { echo "measured so far:" >&2; cat "$work/figures.tsv" >&2; }
  if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- The stores ------------------------------------------------------------------------------
day=2026-11-26   # the generator's default --today
if [ -z "$store" ]; then
  store="$work/store"
  say "generating $messages messages into $store"
  python3 scripts/generate-mailstore.py --out "$store" --messages "$messages" --seed 5 --format maildir --quiet
fi
maildir="$store/Maildir"
[ -d "$maildir" ] && [ -f "$store/truth.jsonl" ] || { echo "compare-tools.sh: $store has no Maildir and truth.jsonl" >&2; exit 1; }
if [ "$small_messages" -gt 0 ]; then
  say "generating the small store: $small_messages messages"
  python3 scripts/generate-mailstore.py --out "$work/small" --messages "$small_messages" --seed 5 --format maildir --quiet
fi
say "generating the backup: a Maildir of $archive_messages messages and its tar.gz"
python3 scripts/generate-mailstore.py --out "$work/archive" --messages "$archive_messages" --seed 6 --format maildir \
  --backups 1 --quiet
backup=$(ls "$work"/archive/backups/*.tar.gz | head -1)
rm -rf "$work/archive/Maildir"   # only the backup is measured

read -r address address_messages < <(person "$store/truth.jsonl")
read -r count bytes < <(tally "$maildir")
say "store: $maildir, $count messages, $((bytes / 1000000)) MB; ADDRESS $address (in $address_messages messages)"
small_count=0 small_bytes=0
if [ "$small_messages" -gt 0 ]; then
  read -r small_address _ < <(person "$work/small/truth.jsonl")
  read -r small_count small_bytes < <(tally "$work/small/Maildir")
fi
read -r archive_address archive_address_messages < <(person "$work/archive/truth.jsonl")
backup_bytes=$(stat -c %s "$backup")

# --- privctl and the read floor --------------------------------------------------------------
say "building privctl (release, $scratch)"
swift build -c release --product privctl --scratch-path "$scratch" 2>&1 | grep -E "error|warning: unre|Compiling privctl|Build complete" >&2 || true
privctl="$(swift build -c release --product privctl --scratch-path "$scratch" --show-bin-path)/privctl"
[ -x "$privctl" ] || { echo "compare-tools.sh: privctl did not build" >&2; exit 1; }
gcc -O2 -o "$work/read-floor" scripts/compare-tools/read-floor.c

export XDG_DATA_HOME="$work/privctl-data" XDG_CONFIG_HOME="$work/privctl-config"
export PRIVCTL_LEDGER="$work/ledger.sqlite" PRIVCTL_KEY="$work/pseudonym.key" PRIVCTL_HOST=compare
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
"$privctl" init -q >/dev/null

# The members privctl erase removes from the backup (its dry run's "erased" messages; messages
# still under a retention duty stay, as blocked): bsdtar leaves out the same ones.
"$privctl" erase --dry-run --json --at "$day" --subject "$archive_address" "$backup" > "$work/archive-dry-run.json"
python3 - "$work/archive-dry-run.json" > "$work/drop.txt" <<'EOF'
import json, sys
for item in json.load(open(sys.argv[1]))["items"]:
    if item["action"] == "erased":
        print(item["path"].split("!", 1)[1])
EOF
dropped=$(wc -l < "$work/drop.txt")
[ "$dropped" -gt 0 ] || { echo "compare-tools.sh: privctl finds nothing of $archive_address to erase in $backup" >&2; exit 1; }

# Each store is read twice right before its measurements, so that the page cache holds it
# (notmuch's and mu's databases take memory of their own).
warm() { "$work/read-floor" "$@" >/dev/null; "$work/read-floor" "$@" >/dev/null; }
say "warming the cache"
warm "$maildir"

# --- Measuring -------------------------------------------------------------------------------
# measure NAME PREPARE COMMAND...: runs PREPARE (untimed; may be :) then COMMAND, --runs times;
# records the median wall time, the median CPU time (user + system, all threads: steadier than
# wall time when other work shares the machine), the largest peak RSS, and the messages and
# bytes it went through ($unit_messages, $unit_bytes) in $work/figures.tsv.
measure() {
  local name=$1 prepare=$2; shift 2
  local times=() cpus=() rss=0 run
  for run in $(seq "$runs"); do
    eval "$prepare"
    if ! /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr"; then
      echo "compare-tools.sh: $name failed:" >&2; tail -5 "$work/stderr" >&2; exit 1
    fi
    read -r seconds kb user system < "$work/time"
    times+=("$seconds")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}')")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  local median cpu
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$median" "$((rss / 1024))" "${times[*]}" "$unit_messages" "$unit_bytes" \
    "$cpu" >> "$work/figures.tsv"
  printf '%-44s %8.2f s  %8.2f s CPU  %6d MB  (runs: %s)\n' "$name" "$median" "$cpu" "$((rss / 1024))" "${times[*]}" >&2
}
: > "$work/figures.tsv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)

say "measuring, $runs runs each (median wall time, largest peak RSS)"
unit_messages=$count unit_bytes=$bytes
measure "read floor" : "$work/read-floor" "$maildir"
measure "rg -l -F ADDRESS" : rg -l -F --hidden --no-ignore "$address" "$maildir"
measure "privctl erase --dry-run" : "$privctl" erase --dry-run --at "$day" --subject "$address" "$maildir"
measure "privctl classify --no-record" : "$privctl" classify --no-record --at "$day" "$maildir"
measure "privctl classify (first run)" 'rm -f "$PRIVCTL_LEDGER"*; "$privctl" init -q >/dev/null' "$privctl" classify --at "$day" "$maildir"
measure "privctl classify (unchanged)" : "$privctl" classify --at "$day" "$maildir"
measure "python email headers" : python3 scripts/compare-tools/email-headers.py "$maildir"
cat > "$work/notmuch-config" <<EOF
[database]
path=$work/notmuch-db
mail_root=$maildir
[user]
name=compare
primary_email=compare@example.org
[new]
tags=unread;
ignore=dovecot-uidlist;dovecot.index.cache;subscriptions;maildirfolder
[maildir]
synchronize_flags=false
EOF
measure "notmuch new" 'rm -rf "$work/notmuch-db"; mkdir -p "$work/notmuch-db"' \
  env NOTMUCH_CONFIG="$work/notmuch-config" notmuch new --quiet
rm -rf "$work/notmuch-db"
measure "mu index" 'rm -rf "$work/mu"; mu init --muhome="$work/mu" --maildir="$maildir" >/dev/null' \
  mu index --muhome="$work/mu" --quiet
rm -rf "$work/mu"

if [ "$small_messages" -gt 0 ]; then
  say "the small store: $small_count messages, $((small_bytes / 1000000)) MB; ADDRESS $small_address"
  unit_messages=$small_count unit_bytes=$small_bytes
  warm "$work/small/Maildir"
  measure "privctl erase --dry-run (small store)" : \
    "$privctl" erase --dry-run --at "$day" --subject "$small_address" "$work/small/Maildir"
  measure "privctl classify --no-record (small store)" : "$privctl" classify --no-record --at "$day" "$work/small/Maildir"
  measure "privctl classify (first run, small store)" 'rm -f "$PRIVCTL_LEDGER"*; "$privctl" init -q >/dev/null' \
    "$privctl" classify --at "$day" "$work/small/Maildir"
  rm -rf "$work/small"
fi

# K times the store: hard links to its files under K names, which privctl takes for K stores.
# Peak memory is the point here, so one run each.
copies_count=0
if [ "$copies" -gt 1 ]; then
  mkdir -p "$work/copies"
  copy_paths=()
  for k in $(seq "$copies"); do
    cp -al "$maildir" "$work/copies/Maildir$k" 2>/dev/null || break
    copy_paths+=("$work/copies/Maildir$k")
  done
  if [ ${#copy_paths[@]} -eq "$copies" ]; then
    copies_count=$((count * copies))
    say "$copies hard-linked copies of the store: $copies_count messages"
    unit_messages=$copies_count unit_bytes=$((bytes * copies))
    saved_runs=$runs runs=1
    measure "privctl erase --dry-run ($copies copies)" : \
      "$privctl" erase --dry-run --at "$day" --subject "$address" "${copy_paths[@]}"
    measure "privctl classify --no-record ($copies copies)" : "$privctl" classify --no-record --at "$day" "${copy_paths[@]}"
    measure "privctl classify (first run, $copies copies)" 'rm -f "$PRIVCTL_LEDGER"*; "$privctl" init -q >/dev/null' \
      "$privctl" classify --at "$day" "${copy_paths[@]}"
    runs=$saved_runs
  else
    echo "compare-tools.sh: cannot hard-link $maildir into $work (another file system?); no copies measured" >&2
  fi
  rm -rf "$work/copies"
fi

say "backup: $(basename "$backup"), $((backup_bytes / 1000000)) MB; privctl erases $dropped messages of $archive_address"
unit_messages=0 unit_bytes=$backup_bytes
cat "$backup" >/dev/null; cat "$backup" >/dev/null
# Each run rewrites a fresh copy (made, and written back to disk, before the clock starts).
measure "privctl erase (archive)" \
  'rm -f "$PRIVCTL_LEDGER"*; "$privctl" init -q >/dev/null; cp "$backup" "$work/privctl.tar.gz"; sync' \
  "$privctl" erase --at "$day" --subject "$archive_address" "$work/privctl.tar.gz"
measure "bsdtar rewrite without members" 'rm -f "$work/rewritten.tar.gz"; sync' \
  bsdtar -czf "$work/rewritten.tar.gz" -X "$work/drop.txt" "@$backup"
measure "gzip -dc | gzip -6" 'rm -f "$work/recompressed.tar.gz"; sync' \
  sh -c 'gzip -dc "$1" | gzip -6 > "$2"' sh "$backup" "$work/recompressed.tar.gz"
measure "pigz -dc | pigz -6" 'rm -f "$work/recompressed.tar.gz"; sync' \
  sh -c 'pigz -dc "$1" | pigz -6 > "$2"' sh "$backup" "$work/recompressed.tar.gz"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
minutes=$(( ($(date +%s) - started + 59) / 60 ))

# privctl's and bsdtar's rewrites must hold the same members: otherwise the race is not fair.
bsdtar -tzf "$work/privctl.tar.gz" | sort > "$work/privctl-members.txt"
bsdtar -tzf "$work/rewritten.tar.gz" | sort > "$work/bsdtar-members.txt"
if ! cmp -s "$work/privctl-members.txt" "$work/bsdtar-members.txt"; then
  echo "compare-tools.sh: privctl's and bsdtar's rewrites hold different members:" >&2
  diff "$work/privctl-members.txt" "$work/bsdtar-members.txt" | head -10 >&2
  exit 1
fi
privctl_archive_bytes=$(stat -c %s "$work/privctl.tar.gz")
bsdtar_archive_bytes=$(stat -c %s "$work/rewritten.tar.gz")
rm -f "$work/privctl.tar.gz" "$work/rewritten.tar.gz" "$work/recompressed.tar.gz"

# --- The report ------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
ram=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
privctl_version=${PRIVCTL_REVISION:-$(git -C "$root" log -1 --format='%h %cs' 2>/dev/null || echo unknown)}
os=$(. /etc/os-release && echo "$PRETTY_NAME")
swift_version=$(swift --version 2>/dev/null | grep -o 'Swift version [0-9.]*' | head -1)
command="scripts/compare-tools.sh --messages $messages --archive-messages $archive_messages --small-messages $small_messages --copies $copies --runs $runs"
[ "$messages" = 100000 ] && [ "$archive_messages" = 15000 ] && [ "$small_messages" = 10000 ] && [ "$copies" = 4 ] \
  && [ "$runs" = 3 ] && command="scripts/compare-tools.sh"
export CMP_COUNT=$count CMP_BYTES=$bytes CMP_SMALL_COUNT=$small_count CMP_COPIES=$copies CMP_COPIES_COUNT=$copies_count \
  CMP_ADDRESS=$address \
  CMP_ADDRESS_MESSAGES=$address_messages CMP_BACKUP_BYTES=$backup_bytes CMP_DROPPED=$dropped \
  CMP_ARCHIVE_MESSAGES=$archive_messages CMP_ARCHIVE_ADDRESS=$archive_address \
  CMP_ARCHIVE_ADDRESS_MESSAGES=$archive_address_messages CMP_PRIVCTL_ARCHIVE_BYTES=$privctl_archive_bytes \
  CMP_BSDTAR_ARCHIVE_BYTES=$bsdtar_archive_bytes CMP_RUNS=$runs CMP_CORES=$(nproc) CMP_CPU=$cpu CMP_RAM=$ram \
  CMP_VERSION=$privctl_version CMP_OS=$os CMP_SWIFT=$swift_version CMP_MINUTES=$minutes \
  CMP_LOAD_BEFORE=$load_before CMP_LOAD_AFTER=$load_after CMP_COMMAND=$command CMP_DAY=$day
python3 - "$work/figures.tsv" "$out" <<'EOF'
import os, sys
figures, out = sys.argv[1:]
e = os.environ
count, size, small_count = int(e["CMP_COUNT"]), int(e["CMP_BYTES"]), int(e["CMP_SMALL_COUNT"])
copies, copies_count = int(e["CMP_COPIES"]), int(e["CMP_COPIES_COUNT"])
backup_bytes = int(e["CMP_BACKUP_BYTES"])
rows, order = {}, []
for line in open(figures):
    name, median, rss, times, messages, nbytes, cpu = line.rstrip("\n").split("\t")
    rows[name] = (float(median), int(rss), times, int(messages), int(nbytes), float(cpu))
    order.append(name)

def t(name): return rows[name][0]
def rss(name): return rows[name][1]
def cpu(name): return rows[name][5]
classify = t("privctl classify --no-record")
erase = t("privctl erase --dry-run")
rewrite = t("privctl erase (archive)")
# Which privctl figure each tool is held against.
versus = {
    "read floor": ("classify --no-record", classify),
    "python email headers": ("classify --no-record", classify),
    "mu index": ("classify --no-record", classify),
    "notmuch new": ("classify --no-record", classify),
    "rg -l -F ADDRESS": ("erase --dry-run", erase),
    "bsdtar rewrite without members": ("erase (archive)", rewrite),
    "gzip -dc | gzip -6": ("erase (archive)", rewrite),
    "pigz -dc | pigz -6": ("erase (archive)", rewrite),
}

def ratio(name):
    if name not in versus:
        return ""
    other, seconds = versus[name]
    return f"{other}: {t(name) / seconds:.2f}×"

def cell(text): return text.replace("|", "\\|")

lines = [
    f"Store: {count:,} messages, {size / 1e9:.1f} GB (Maildir++, generated, seed 5); "
    f"ADDRESS = `{e['CMP_ADDRESS']}` (in {int(e['CMP_ADDRESS_MESSAGES']):,} messages by the generator's truth). "
    + (f"Small store: {small_count:,} messages (seed 5), for peak memory against store size. " if small_count else "")
    + (f"\"{copies} copies\": the store {copies} times over as hard links ({copies_count:,} messages, one run each), "
       "likewise. " if copies_count else "")
    + f"Backup: the generator's `--backups 1` of a {int(e['CMP_ARCHIVE_MESSAGES']):,}-message Maildir, a "
    f"{backup_bytes / 1e9:.2f} GB tar.gz; privctl erases the {e['CMP_DROPPED']} messages of "
    f"`{e['CMP_ARCHIVE_ADDRESS']}` that no retention duty keeps (of {e['CMP_ARCHIVE_ADDRESS_MESSAGES']} with "
    f"the address), and bsdtar leaves out the same members (both copies were checked to hold the same "
    f"member list; {int(e['CMP_PRIVCTL_ARCHIVE_BYTES']) / 1e9:.3f} GB from privctl, "
    f"{int(e['CMP_BSDTAR_ARCHIVE_BYTES']) / 1e9:.3f} GB from bsdtar). privctl decides as of {e['CMP_DAY']}.",
    "",
    f"Machine: {e['CMP_CORES']} cores ({e['CMP_CPU']}), {e['CMP_RAM']} RAM, {e['CMP_OS']}, {e['CMP_SWIFT']}; "
    f"privctl {e['CMP_VERSION']} (release build). Warm page cache; wall time is the median of {e['CMP_RUNS']} run{'' if e['CMP_RUNS'] == '1' else 's'} "
    f"(all runs in the last column), CPU time the median of user + system time over all threads, peak RSS "
    f"the largest of the runs (`/usr/bin/time -f %M`). The machine is shared with other builds: load average "
    f"{e['CMP_LOAD_BEFORE']} before and {e['CMP_LOAD_AFTER']} after the {e['CMP_MINUTES']} minutes of "
    f"measuring, so wall times are noisy; compare the runs, and the CPU times, which other work disturbs less. "
    f"Reproduce with `{e['CMP_COMMAND']}`.",
    "",
    "| What | Wall time | CPU time | Messages/s | MB/s | Peak RSS | privctl's speed as a multiple of this | Runs (s) |",
    "|---|---:|---:|---:|---:|---:|---|---|",
]
for name in order:
    seconds, peak, times, messages, nbytes, cpu_seconds = rows[name]
    mps = f"{messages / seconds:,.0f}" if messages else ""
    lines.append(f"| {cell(name)} | {seconds:.2f} s | {cpu_seconds:.2f} s | {mps} | {nbytes / 1e6 / seconds:,.0f} | "
                 f"{peak} MB | {ratio(name)} | {times.replace(' ', ', ')} |")

peak_name = max((n for n in order if n.startswith("privctl")), key=rss)
peak = rss(peak_name)
def verdict(ok): return "**met**" if ok else "**missed**"
targets = [
    ("classify at least half the speed of the read floor", t("read floor") / classify >= 0.5,
     f"{t('read floor') / classify:.2f} of the read floor's speed ({classify:.2f} s vs {t('read floor'):.2f} s)"),
    ("classify at least 50× the Python baseline", t("python email headers") / classify >= 50,
     f"{t('python email headers') / classify:.1f}×"),
    ("erase --dry-run no slower than ripgrep", erase <= t("rg -l -F ADDRESS"),
     f"{erase:.2f} s vs {t('rg -l -F ADDRESS'):.2f} s"),
    (f"rewriting a {backup_bytes / 1e9:.1f} GB tar.gz faster than bsdtar",
     rewrite < t("bsdtar rewrite without members"),
     f"{rewrite:.2f} s vs {t('bsdtar rewrite without members'):.2f} s"
     + ("" if backup_bytes >= 1e9 else " (the backup is smaller than 1 GB: run with more --archive-messages)")),
    ("peak memory under 200 MB", peak < 200, f"largest privctl peak RSS {peak} MB ({peak_name.removeprefix('privctl ')})"),
]
if small_count or copies_count:
    sizes = ([f"{small_count:,}"] if small_count else []) + [f"{count:,}"] + ([f"{copies_count:,}"] if copies_count else [])
    def series(base, first_run=False):
        names = ([f"{base} (small store)" if not first_run else "privctl classify (first run, small store)"] if small_count else [])
        names.append(base)
        if copies_count:
            names.append(f"{base} ({copies} copies)" if not first_run else f"privctl classify (first run, {copies} copies)")
        return " → ".join(f"{rss(n)} MB" for n in names)
    targets.append((f"memory flat from {' to '.join(sizes)} messages", None,
                    f"classify --no-record {series('privctl classify --no-record')}; "
                    f"classify (first run) {series('privctl classify (first run)', first_run=True)}; "
                    f"erase --dry-run {series('privctl erase --dry-run')}"))
lines += ["", "| Target | | Measured |", "|---|---|---|"]
for text, ok, measured in targets:
    lines.append(f"| {text} | {'see figures' if ok is None else verdict(ok)} | {measured} |")
table = "\n".join(lines)
print("\n" + table)

begin, end = "<!-- figures:begin (scripts/compare-tools.sh writes this part) -->", "<!-- figures:end -->"
if os.path.exists(out) and begin in open(out).read():
    text = open(out).read()
    text = text[: text.index(begin) + len(begin)] + "\n" + table + "\n" + text[text.index(end):]
else:
    text = f"# privctl next to the tools users would use instead\n\n{begin}\n{table}\n{end}\n"
open(out, "w").write(text)
print(f"\nwritten to {out}", file=sys.stderr)
EOF
