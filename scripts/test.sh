#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test, runs the SwiftPM plugins
# from a dependent package, then fuzzes the mail parser for a short fixed time (FUZZ_SECONDS,
# default 60; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-packages.sh
swift build --build-tests
swift test --skip-build
# SwiftPM plugins from a package that depends on this one; it shares .build, so privctl is not
# built a second time.
PLUGIN_SCRATCH="$PWD/.build" scripts/test-swiftpm-plugins.sh
if [ "${FUZZ_SECONDS:-60}" != 0 ]; then
  scripts/fuzz-mail-parser.sh "${FUZZ_SECONDS:-60}"
fi
