#!/usr/bin/env bash
# The quick start: installs what is missing, builds privctl (release), generates a sample mail
# store (300 German and English messages, Maildir++ and mbox) and classifies it.
# The sample and its ledger live in ./sample (git-ignored); run again to see an unchanged store
# classified without parsing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-packages.sh
swift build -c release --product privctl
[ -d sample/store/Maildir ] || python3 scripts/generate-mailstore.py --sample --out sample/store >/dev/null

export PRIVCTL_LEDGER="$PWD/sample/ledger.sqlite" PRIVCTL_KEY="$PWD/sample/pseudonym.key"
privctl="$(swift build -c release --show-bin-path)/privctl"
"$privctl" init --quiet >/dev/null  # once: the ledger and the key (a second run changes nothing)
"$privctl" classify sample/store/Maildir
echo
"$privctl" ledger verify
