#!/usr/bin/env bash
# Installs the Debian packages privctl needs to build, test and run its sample, and any more
# named as arguments (what a benchmark script compares privctl with).
# Runs apt-get only when something is missing; uses sudo when not root.
set -euo pipefail

packages=(
  libarchive-dev     # CArchive: tar, zip, gzip/xz/zstd archives
  zlib1g-dev         # CZlib: gzip
  libdeflate-dev     # CDeflate: gzip members written on every core
  libpq-dev          # CLibpq: the fleet ledger's PostgreSQL client
  libsqlite3-dev     # GRDB: the embedded ledger
  libzstd-dev        # CZstd: the embedded ledger's compressed payloads
  libarchive-tools   # bsdtar, to check archives in tests
  sqlite3            # the sqlite3 shell, to tamper with ledgers in tests
  xz-utils           # tar -J in tests
  acl                # setfacl/getfacl: archive members with ACLs in tests
  python3            # the sample generator and the mail oracle
  dovecot-imapd      # a real IMAP server for the erase tests
  postgresql         # a throw-away PostgreSQL cluster for the fleet ledger tests
)

packages+=("$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "installing: ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
