# generated-store.sh: shell functions the measuring scripts share (compare-tools.sh,
# speed-targets.sh), sourced, not run. A generated store is scripts/generate-mailstore.py's
# DIR/Maildir beside DIR/truth.jsonl.

# say TEXT: a section heading on stderr.
say() { printf '\n== %s\n' "$*" >&2; }

# person TRUTH [PLANTED]: the person outside the owner's domain (the most frequent domain) who is
# in the most messages of a generated store, and in how many ("ADDRESS N"); with PLANTED, also
# writes those messages' Maildir unique names there, one per line.
person() {
  python3 - "$1" "${2:-}" <<'PY'
import collections, json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
counts = collections.Counter()
for row in rows:
    counts.update(row["subjects"])
owner = counts.most_common(1)[0][0].split("@")[1]
address, n = next((a, n) for a, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if a.split("@")[1] != owner)
if sys.argv[2]:
    with open(sys.argv[2], "w") as planted:
        for row in rows:
            if address in row["subjects"] and row.get("maildirPath"):
                planted.write(row["maildirPath"].rsplit("/", 1)[1].split(":2,")[0] + "\n")
print(address, n)
PY
}

# tally MAILDIR: the number of message files (in cur/ and new/) and their bytes ("N BYTES").
tally() {
  find "$1" -type f \( -path '*/cur/*' -o -path '*/new/*' \) -printf '%s\n' | awk '{s+=$1} END {printf "%d %.0f\n", NR, s}'
}
