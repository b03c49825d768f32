#!/usr/bin/env bash
# CI's benchmark pass: builds the benchmark package (release) and runs the single-message
# benchmarks (Benchmarks/Benchmarks/PipelineBenchmarks), failing when a malloc count rose more
# than the tolerance written beside them (5 %) above its threshold in Benchmarks/Thresholds/.
# Allocation counts are exact on any machine with the same toolchain; wall time is reported by
# `swift package benchmark` but never checked, since it is not stable on shared machines.
#
#   scripts/benchmark-check.sh            check (exit 0: no count regressed)
#   scripts/benchmark-check.sh --update   record the current counts as the new thresholds
#
# BENCH_SCRATCH sets the build folder (default Benchmarks/.build). A clean build and check of
# the benchmark package take about 5.5 minutes on 2 cores; the check alone about 15 seconds.
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"

scratch=()
[ -n "${BENCH_SCRATCH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH")
thresholds="$PWD/Thresholds"
selection=(--target PipelineBenchmarks --metric mallocCountTotal --no-progress --path "$thresholds")

if [ "${1:-}" = --update ]; then
  swift package "${scratch[@]}" --disable-sandbox --allow-writing-to-package-directory \
    benchmark thresholds update "${selection[@]}"
  exit 0
fi

# `swift package` exits 1 for any deviation, better or worse, and for a failed build: the
# tool's verdict line tells them apart.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift package "${scratch[@]}" --disable-sandbox benchmark thresholds check "${selection[@]}" 2>&1 | tee "$log" \
  || status=$?
if [ "$status" -eq 0 ]; then
  echo "benchmark check: malloc counts as recorded in Benchmarks/Thresholds"
elif grep -q "is WORSE than the defined thresholds" "$log"; then
  echo "benchmark check: malloc counts rose above Benchmarks/Thresholds (see above); find the new allocations with" >&2
  echo "  cd Benchmarks && swift package benchmark run --target PipelineBenchmarks --allocation-stacks --filter NAME" >&2
  exit 1
elif grep -q "is BETTER than the defined thresholds" "$log"; then
  echo "benchmark check: malloc counts fell below Benchmarks/Thresholds; record them with scripts/benchmark-check.sh --update"
else
  echo "benchmark check: the benchmarks did not build or run (exit $status)" >&2
  exit 1
fi
