#!/usr/bin/env bash
# Prints the README's fidelity table from a run of the golden tests:
# per scenario, commands identical to the real kernel's recording / total.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo test --release -q -p vnet --test golden golden_transcripts -- --nocapture 2>&1 | grep '^fidelity:')
total=$(echo "$out" | awk '$2=="total" {print $3}')
echo "Commands identical / total, per scenario ($total overall):"
echo
echo "| scenario | identical |"
echo "|---|---|"
echo "$out" | awk '$2!="total" {print "| " $2 " | " $3 " |"}'
