#!/usr/bin/env bash
# Fuzzes the MailParsing module with libFuzzer and AddressSanitizer.
#
#   scripts/fuzz-mail-parser.sh [SECONDS]     (default 60)
#
# Builds Sources/MailParsing/*.swift plus Tests/Fuzz/MailParserFuzzer.swift into one
# instrumented binary in a temporary directory, seeds it with the project's fixtures
# (Tests/Fixtures) and, when it is there, the shared mail corpus (../shared/corpus beside the
# project, or $PRIVCTL_SHARED_DIR/corpus; PRIVCTL_SHARED_DIR=none leaves it out), with the mail
# tokens in Tests/Fuzz/mail.dict, and runs it for SECONDS. Exit status: 0 when no input
# crashed, hung or leaked; otherwise libFuzzer's status, with the crashing input kept in the
# temporary directory (its path is printed). Save every crashing input in
# Tests/Fixtures/hostile/ (FuzzRegressionTests reads them all) and fix the parser.
#
# FUZZ_MAX_LEN (default 65536) caps the input size; a small cap (4096) runs many more inputs
# per second and digs deeper into header syntax.
#
# ld.gold may print "Cannot export local symbol" warnings while linking; they are harmless.
set -euo pipefail

seconds="${1:-60}"
case "$seconds" in
    '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${PRIVCTL_SHARED_DIR-unset}" in
    unset) seeds="$root/../shared/corpus" ;;
    '' | none) seeds="" ;;
    *) seeds="$PRIVCTL_SHARED_DIR/corpus" ;;
esac
work="$(mktemp -d "${TMPDIR:-/tmp}/fuzz-mail-parser.XXXXXX")"

echo "fuzz-mail-parser: building in $work"
swiftc -sanitize=fuzzer,address -parse-as-library -O \
    -module-name MailParserFuzz \
    "$root"/Sources/MailParsing/*.swift "$root/Tests/Fuzz/MailParserFuzzer.swift" \
    -o "$work/fuzzer"

mkdir -p "$work/corpus"
# Flattened, numbered copies: several folders hold files with the same name.
n=0
while IFS= read -r -d '' file; do
    n=$((n + 1))
    cp "$file" "$work/corpus/$n-$(basename "$file")"
done < <(find "$root/Tests/Fixtures" -type f \( -name '*.eml' -o -name '*.mbox' \) -print0 | sort -z)
echo "fuzz-mail-parser: seeded with $n fixture files"
if [ -n "$seeds" ] && [ -d "$seeds" ]; then
    while IFS= read -r -d '' file; do
        n=$((n + 1))
        cp "$file" "$work/corpus/$n-$(basename "$file")"
    done < <(find "$seeds" -type f \( -name '*.eml' -o -name '*.mbox' \) -print0 | sort -z)
    echo "fuzz-mail-parser: $n seeds with the shared corpus at $seeds"
else
    echo "fuzz-mail-parser: no shared corpus${seeds:+ at $seeds}; seeded with the fixtures only"
fi

dict=()
if [ -f "$root/Tests/Fuzz/mail.dict" ]; then dict=(-dict="$root/Tests/Fuzz/mail.dict"); fi

status=0
"$work/fuzzer" "$work/corpus" ${dict[@]+"${dict[@]}"} \
    -max_total_time="$seconds" \
    -max_len="${FUZZ_MAX_LEN:-65536}" \
    -timeout=10 \
    -rss_limit_mb=4096 \
    -artifact_prefix="$work/" \
    -print_final_stats=1 || status=$?

if [ "$status" -ne 0 ]; then
    echo "fuzz-mail-parser: FAILED (status $status); inputs kept in $work:" >&2
    ls "$work" | grep -E '^(crash|timeout|leak|oom|slow-unit)-' >&2 || true
    exit "$status"
fi
echo "fuzz-mail-parser: no crash in ${seconds}s"
rm -rf "$work"
