#!/usr/bin/env bash
# Shows how vnet's transcript of a scenario differs from the kernel's golden.
# Usage: scripts/vdiff.sh NAME   (tests/scenarios/NAME.sh vs tests/golden/NAME.out)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
(cd "$tmp" && "$OLDPWD/target/release/vnet" run --transcript "$OLDPWD/tests/scenarios/$1.sh") > "$tmp/actual.out" || true
./target/release/examples/tdiff "tests/golden/$1.out" "$tmp/actual.out" || true
rm -rf "$tmp"
