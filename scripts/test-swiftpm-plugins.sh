#!/usr/bin/env bash
# Runs privctl's SwiftPM command plugins from a package that depends on this checkout through a
# local path (Tests/PluginPackage), as a hosting firm's own repository would:
#   swift package privctl-check-policy            accepts a valid policy, rejects one with a typo
#   swift package privctl policy check FILE       the general plugin runs any privctl command
# With PLUGIN_SCRATCH set to this checkout's .build (as scripts/test.sh does) the already built
# privctl is reused (about 40 s); with its own scratch folder the first run builds privctl from
# scratch (about 5 minutes on 2 cores). Exit status 0 when every check passed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scratch=${PLUGIN_SCRATCH:-$work/.build}

sed "s|PRIVCTL_ROOT|$root|" "$root/Tests/PluginPackage/Package.swift" > "$work/Package.swift"
mkdir -p "$work/policies"
swift build --package-path "$root" --product privctl >/dev/null
"$root/.build/debug/privctl" policy show --built-in > "$work/policies/company.privctl-policy.yaml"
cd "$work"

fail() { echo "test-swiftpm-plugins: FAILED: $*" >&2; exit 1; }

out=$(swift package --scratch-path "$scratch" --disable-sandbox privctl-check-policy 2>&1) || fail "a valid policy was rejected: $out"
grep -q "1 policy file(s) valid" <<<"$out" || fail "no confirmation: $out"
echo "ok: swift package privctl-check-policy accepts the built-in policy"

out=$(swift package --scratch-path "$scratch" --disable-sandbox privctl policy check policies/company.privctl-policy.yaml 2>&1) \
  || fail "swift package privctl policy check failed: $out"
echo "ok: swift package privctl policy check FILE"

sed 's/^    period: 8 years/    perod: 8 years/' policies/company.privctl-policy.yaml > policies/broken.privctl-policy.yaml
if out=$(swift package --scratch-path "$scratch" --disable-sandbox privctl-check-policy 2>&1); then
  fail "a policy with a typo passed: $out"
fi
grep -q 'broken.privctl-policy.yaml:[0-9]*: .*perod' <<<"$out" || fail "the error does not name the file, line and key: $out"
echo "ok: swift package privctl-check-policy rejects a typo with FILE:LINE"
