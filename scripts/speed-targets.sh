#!/usr/bin/env bash
# speed-targets.sh: privctl against the speed targets of issue 16, on two generated stores made
# differently, beside ripgrep and the one-thread read floor, in one go. Prints every figure and
# writes them, with whether each target is met and a profile of where the time goes, into
# Benchmarks/RESULTS.md between its "speed-targets" markers (the notes around them are kept).
#
#   scripts/speed-targets.sh [--messages N] [--default-store DIR] [--hard-store DIR] [--runs R]
#                            [--copies K] [--verify-events N] [--no-profile] [--out FILE]
#                            [--scratch-path DIR] [--keep]
#
#   --messages N          messages in each generated store (default 100000: about 9 and 12 GB,
#                         a minute and a half of generation each; needs python3)
#   --default-store DIR   use DIR (scripts/generate-mailstore.py's DIR/Maildir and
#                         DIR/truth.jsonl) as the default-mix store instead of generating one
#                         (the script generates it with --seed 7)
#   --hard-store DIR      the same for the second store (generated with --mix hard --seed 8:
#                         role addresses, more HTML and encoded text parts, longer threads)
#   --runs R              runs of each measurement; the median wall time counts (default 3)
#   --copies K            peak memory of every command over K hard-linked copies of the
#                         default store, K times its messages without more disk (default 10:
#                         1,000,000 messages; one run each; 0: none)
#   --verify-events N     `privctl ledger verify` over a ledger grown to N events from the
#                         first run's (scripts/grow-ledger.py; default 1000000; 0: none)
#   --no-profile          no `perf` profile (otherwise one of classify --no-record, a first
#                         run and erase --dry-run on the default store, when perf is installed)
#   --out FILE            the results file (default Benchmarks/RESULTS.md)
#   --scratch-path DIR    where privctl is built (default .build)
#   --keep                keep the generated stores and the work folder
#
# The targets (issue 16), each on both stores: classify --no-record ≤ 1.5× rg's time; a first
# classify (recording) ≤ 2.0×; erase --dry-run --subject ADDRESS ≤ 1.2×, finding every
# planted occurrence; classify over the unchanged store ≤ 0.5×; ledger ≤ 600 bytes per message
# after the first run (the ledger file: events, subject index and scan index together);
# `ledger verify` of 1,000,000 events ≤ 5 s; peak RSS < 200 MB for every command at 1,000,000
# messages. ADDRESS is the person outside the owner's domain in the most messages (truth.jsonl);
# "planted" is the messages truth.jsonl lists them in. privctl decides as of the generator's
# last day (--at 2026-11-26). Installs what it needs with apt-get (as root or with sudo). Wall
# times on a shared machine are noisy: take them as a median of --runs, and rerun.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
arguments="$*"

messages=100000
default_store=""
hard_store=""
runs=3
copies=10
verify_events=1000000
profile=1
out="$root/Benchmarks/RESULTS.md"
scratch=".build"
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --messages) messages=$2; shift 2 ;;
    --default-store) default_store=$(cd "$2" && pwd); shift 2 ;;
    --hard-store) hard_store=$(cd "$2" && pwd); shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --copies) copies=$2; shift 2 ;;
    --verify-events) verify_events=$2; shift 2 ;;
    --no-profile) profile=0; shift ;;
    --out) out=$2; shift 2 ;;
    --scratch-path) scratch=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "speed-targets.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
grep -q '<!-- speed-targets:begin -->' "$out" && grep -q '<!-- speed-targets:end -->' "$out" \
  || { echo "speed-targets.sh: $out has no speed-targets markers" >&2; exit 1; }

# say, person, tally
. "$root/scripts/lib/generated-store.sh"

scripts/install-packages.sh ripgrep time gcc libc6-dev python3 python3-zstandard
[ "$profile" = 1 ] && ! command -v perf >/dev/null && { echo "speed-targets.sh: no perf (apt-get install linux-perf); no profile" >&2; profile=0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/privctl-speed.XXXXXX")
cleanup() {
  local status=$?
  [ "$status" -ne 0 ] && [ -s "$work/figures.tsv" ] && { echo "measured so far:" >&2; cat "$work/figures.tsv" >&2; }
  if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

day=2026-11-26   # the generator's default --today
if [ -z "$default_store" ]; then
  default_store="$work/default"
  say "generating $messages messages (default mix, seed 7) into $default_store"
  python3 scripts/generate-mailstore.py --out "$default_store" --messages "$messages" --seed 7 --format maildir --quiet
fi
if [ -z "$hard_store" ]; then
  hard_store="$work/hard"
  say "generating $messages messages (hard mix, seed 8) into $hard_store"
  python3 scripts/generate-mailstore.py --out "$hard_store" --messages "$messages" --seed 8 --mix hard --format maildir --quiet
fi
for s in "$default_store" "$hard_store"; do
  [ -d "$s/Maildir" ] && [ -f "$s/truth.jsonl" ] || { echo "speed-targets.sh: $s has no Maildir and truth.jsonl" >&2; exit 1; }
done

say "building privctl (release, $scratch)"
swift build -c release --product privctl --scratch-path "$scratch" 2>&1 | grep -E "error|Build complete" >&2 || true
privctl="$(swift build -c release --product privctl --scratch-path "$scratch" --show-bin-path)/privctl"
[ -x "$privctl" ] || { echo "speed-targets.sh: privctl did not build" >&2; exit 1; }
gcc -O2 -o "$work/read-floor" scripts/compare-tools/read-floor.c
export XDG_DATA_HOME="$work/privctl-data" XDG_CONFIG_HOME="$work/privctl-config"
export PRIVCTL_LEDGER="$work/ledger.sqlite" PRIVCTL_KEY="$work/pseudonym.key" PRIVCTL_HOST=speed
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
fresh_ledger() { rm -f "$PRIVCTL_LEDGER"*; "$privctl" init -q >/dev/null; }


# measure STORE NAME PREPARE COMMAND...: PREPARE (untimed; may be :), then COMMAND, --runs
# times; records the median wall time, median CPU time and largest peak RSS in figures.tsv.
measure() {
  local store=$1 name=$2 prepare=$3; shift 3
  local times=() cpus=() rss=0 run
  for run in $(seq "$runs"); do
    eval "$prepare"
    if ! /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr"; then
      # rg exits 1 when it finds nothing; anything else failing stops the measurement.
      if [ "$1" != rg ] || [ "$(head -c 1 "$work/stderr")" != "" ]; then
        echo "speed-targets.sh: $name failed:" >&2; tail -5 "$work/stderr" >&2; exit 1
      fi
    fi
    read -r seconds kb user system < <(tail -1 "$work/time")
    times+=("$seconds")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}')")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  local median cpu
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$store" "$name" "$median" "$cpu" "$((rss / 1024))" "${times[*]}" >> "$work/figures.tsv"
  printf '%-8s %-34s %8.2f s  %8.2f s CPU  %6d MB  (runs: %s)\n' "$store" "$name" "$median" "$cpu" "$((rss / 1024))" "${times[*]}" >&2
}
# fact STORE NAME VALUE: a figure that is not a time.
fact() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$work/facts.tsv"; printf '%-8s %-34s %s\n' "$1" "$2" "$3" >&2; }

: > "$work/figures.tsv"
: > "$work/facts.tsv"
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for label in default hard; do
  store=$default_store
  [ "$label" = hard ] && store=$hard_store
  maildir="$store/Maildir"
  read -r address planted < <(person "$store/truth.jsonl" "$work/planted-$label")
  read -r count bytes < <(tally "$maildir")
  say "$label store: $maildir, $count messages, $((bytes / 1000000)) MB; ADDRESS $address (planted in $planted)"
  fact "$label" messages "$count"
  fact "$label" bytes "$bytes"
  fact "$label" planted "$planted"
  "$work/read-floor" "$maildir" >/dev/null; "$work/read-floor" "$maildir" >/dev/null
  measure "$label" "read floor" : "$work/read-floor" "$maildir"
  measure "$label" rg : rg -l -F --hidden --no-ignore "$address" "$maildir"
  fresh_ledger
  measure "$label" "erase --dry-run" : "$privctl" erase --dry-run --json --at "$day" --subject "$address" "$maildir"
  # Every planted message found? (by unique name; what else it finds, rg finds too)
  found=$(python3 - "$work/stdout" "$work/planted-$label" <<'EOF'
import json, sys
found = {item["path"].rsplit("/", 1)[1].split(":2,")[0] for item in json.load(open(sys.argv[1]))["items"]}
planted = {line.strip() for line in open(sys.argv[2]) if line.strip()}
print(len(planted & found))
EOF
)
  fact "$label" found "$found"
  measure "$label" "classify --no-record" : "$privctl" classify --no-record --at "$day" "$maildir"
  measure "$label" "classify, first run" fresh_ledger "$privctl" classify --at "$day" "$maildir"
  ledger_bytes=0
  for f in "$PRIVCTL_LEDGER" "$PRIVCTL_LEDGER-wal"; do [ -f "$f" ] && ledger_bytes=$((ledger_bytes + $(stat -c %s "$f"))); done
  fact "$label" "ledger bytes" "$ledger_bytes"
  measure "$label" "classify, unchanged" : "$privctl" classify --at "$day" "$maildir"
  if [ "$label" = default ] && [ "$verify_events" -gt 0 ]; then
    say "growing the first run's ledger to $verify_events events"
    /usr/bin/python3 scripts/grow-ledger.py --from "$PRIVCTL_LEDGER" --events "$verify_events" --out "$work/grown.sqlite" >&2
    measure "$label" "ledger verify ($verify_events events)" : "$privctl" ledger verify --ledger "$work/grown.sqlite"
    rm -f "$work/grown.sqlite"*
  fi
  if [ "$label" = default ] && [ "$profile" = 1 ]; then
    say "profiling (perf, default store)"
    profile_one() {
      local name=$1; shift
      perf record -q -F 999 -g -o "$work/perf.data" "$@" >/dev/null 2>&1 || true
      { echo "#### $name"; echo; echo '```'
        perf report -i "$work/perf.data" --no-children --sort dso,symbol -g none --percent-limit 1.5 --stdio 2>/dev/null \
          | grep -E '^ +[0-9.]+%' | head -15 | swift demangle --simplified --compact | sed -E 's/  +/  /g; s/( +-)+ *$//' | cut -c1-140 | sed -E 's/ +$//'
        echo '```'; echo; } >> "$work/profile.md"
    }
    profile_one "classify --no-record" "$privctl" classify --no-record --at "$day" "$maildir"
    fresh_ledger
    profile_one "classify, first run" "$privctl" classify --at "$day" "$maildir"
    profile_one "erase --dry-run --subject" "$privctl" erase --dry-run --at "$day" --subject "$address" "$maildir"
    rm -f "$work/perf.data"*
  fi
done

# Peak memory at K times the default store: K hard-linked copies, which privctl takes for K
# stores. One run each.
copies_count=0
if [ "$copies" -gt 1 ]; then
  mkdir -p "$work/copies"
  copy_paths=()
  for k in $(seq "$copies"); do
    cp -al "$default_store/Maildir" "$work/copies/Maildir$k" 2>/dev/null || break
    copy_paths+=("$work/copies/Maildir$k")
  done
  if [ ${#copy_paths[@]} -eq "$copies" ]; then
    read -r count _ < <(tally "$default_store/Maildir")
    copies_count=$((count * copies))
    read -r address _ < <(person "$default_store/truth.jsonl" "$work/planted-copies")
    say "$copies hard-linked copies of the default store: $copies_count messages"
    fact copies messages "$copies_count"
    saved_runs=$runs runs=1
    measure copies "erase --dry-run" : "$privctl" erase --dry-run --at "$day" --subject "$address" "${copy_paths[@]}"
    measure copies "classify --no-record" : "$privctl" classify --no-record --at "$day" "${copy_paths[@]}"
    measure copies "classify, first run" fresh_ledger "$privctl" classify --at "$day" "${copy_paths[@]}"
    measure copies "classify, unchanged" : "$privctl" classify --at "$day" "${copy_paths[@]}"
    runs=$saved_runs
  else
    echo "speed-targets.sh: cannot hard-link the default store into $work (another file system?); no copies measured" >&2
  fi
  rm -rf "$work/copies"
  fresh_ledger
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
minutes=$(( ($(date +%s) - started + 59) / 60 ))

# --- The report ------------------------------------------------------------------------------
[ -f "$work/profile.md" ] || : > "$work/profile.md"
export ST_VERSION=${PRIVCTL_REVISION:-$(git -C "$root" log -1 --format='%h %cs' 2>/dev/null || echo unknown)}
export ST_CPU=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') ST_CORES=$(nproc)
export ST_RAM=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
export ST_RUNS=$runs ST_MINUTES=$minutes ST_LOAD_BEFORE=$load_before ST_LOAD_AFTER=$load_after ST_DAY=$day
export ST_COMMAND="scripts/speed-targets.sh $arguments"
python3 - "$work/figures.tsv" "$work/facts.tsv" "$work/profile.md" "$out" <<'EOF'
import os, sys
figures, facts, profile, out = sys.argv[1:]
e = os.environ
t, cpu, rss, runs = {}, {}, {}, {}
for line in open(figures):
    store, name, median, c, r, times = line.rstrip("\n").split("\t")
    t[store, name], cpu[store, name], rss[store, name], runs[store, name] = float(median), float(c), int(r), times
fact = {}
for line in open(facts):
    store, name, value = line.rstrip("\n").split("\t")
    fact[store, name] = int(value)
stores = [s for s in ("default", "hard") if (s, "rg") in t]
def n(x): return f"{x:,}"
def verdict(ok): return "**met**" if ok else "not met"
lines = ["<!-- speed-targets:begin -->", "",
         f"Written by `{e['ST_COMMAND'].strip()}` for privctl {e['ST_VERSION']}: {e['ST_CORES']} cores "
         f"({e['ST_CPU']}), {e['ST_RAM']}, warm page cache, median of {e['ST_RUNS']} runs (wall time; CPU "
         f"time, all threads, beside it); load {e['ST_LOAD_BEFORE']} before, {e['ST_LOAD_AFTER']} after; "
         f"{e['ST_MINUTES']} minutes; decided as of {e['ST_DAY']}.", ""]
lines.append("| | " + " | ".join(f"{s} store: {n(fact[s, 'messages'])} messages, {fact[s, 'bytes'] / 1e9:.1f} GB" for s in stores) + " | target |")
lines.append("|---|" + "---:|" * len(stores) + "---|")
def row(label, cells, target): lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
def timed(s, name): return f"{t[s, name]:.2f} s ({cpu[s, name]:.2f} s CPU, {rss[s, name]} MB)"
row("read floor (one thread)", [timed(s, "read floor") for s in stores], "")
row("`rg -l -F ADDRESS`", [timed(s, "rg") for s in stores], "")
targets = [("erase --dry-run", "`erase --dry-run --subject`", 1.2), ("classify --no-record", "`classify --no-record`", 1.5),
           ("classify, first run", "`classify`, first run", 2.0), ("classify, unchanged", "`classify`, unchanged", 0.5)]
met = {}
for name, label, limit in targets:
    cells = []
    for s in stores:
        ratio = t[s, name] / t[s, "rg"]
        ok = ratio <= limit and (name != "erase --dry-run" or fact[s, "found"] == fact[s, "planted"])
        met[s, name] = ok
        extra = f"; finds {n(fact[s, 'found'])} of {n(fact[s, 'planted'])} planted" if name == "erase --dry-run" else ""
        cells.append(f"{timed(s, name)}: {ratio:.2f}× rg{extra}, {verdict(ok)}")
    row(label, cells, f"≤ {limit}× rg" + (", every planted occurrence" if name == "erase --dry-run" else ""))
cells = []
for s in stores:
    per = fact[s, "ledger bytes"] / fact[s, "messages"]
    cells.append(f"{n(fact[s, 'ledger bytes'])} bytes: {per:,.0f} per message, {verdict(per <= 600)}")
row("ledger after the first run", cells, "≤ 600 bytes per message")
verify = [k for k in t if k[0] == "default" and k[1].startswith("ledger verify")]
if verify:
    k = verify[0]
    row(f"`{k[1]}`", [f"{timed('default', k[1])}, {verdict(t[k] <= 5)}"] + [""] * (len(stores) - 1), "≤ 5 s")
if ("copies", "messages") in fact:
    peak = max(r for (s, _), r in rss.items() if s == "copies")
    names = ", ".join(f"{name} {rss['copies', name]} MB ({t['copies', name]:.1f} s)" for (s, name) in t if s == "copies")
    row(f"peak RSS at {n(fact['copies', 'messages'])} messages (hard-linked copies of the default store)",
        [f"{names}: {verdict(peak < 200)}"] + [""] * (len(stores) - 1), "< 200 MB, every command")
lines.append("")
text = open(profile).read().strip()
if text:
    lines += ["Where the time goes (`perf record -g`, default store, self time by library and symbol, "
              "entries of 1.5 % and more):", "", text, ""]
lines.append("<!-- speed-targets:end -->")
body = open(out).read()
start = body.index("<!-- speed-targets:begin -->")
end = body.index("<!-- speed-targets:end -->") + len("<!-- speed-targets:end -->")
open(out, "w").write(body[:start] + "\n".join(lines) + body[end:])
print(f"wrote {out}", file=sys.stderr)
EOF
