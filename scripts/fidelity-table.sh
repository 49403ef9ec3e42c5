#!/usr/bin/env bash
# Regenerates the README's fidelity table: `vnet diff --table` over every
# scenario, against the kernel's recordings in tests/golden (so it is the same
# on any machine; `vnet diff` without --recorded asks the live kernel). The
# table replaces what stands between the two marker lines in README.md;
# crates/vnet/tests/golden.rs fails when the README is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p vnet
scen=()
for g in tests/golden/*.out; do
  s=tests/scenarios/$(basename "$g" .out).sh
  [ -f "$s" ] && scen+=("$s")
done
out=$(./target/release/vnet diff --quiet --table --recorded tests/golden "${scen[@]}" || true)
table=$(printf '%s\n' "$out" | sed -n '/^$/,$p' | sed '1d')
summary=$(printf '%s\n' "$out" | sed -n '/^$/{x;p;q};h')
begin='<!-- fidelity table: scripts/fidelity-table.sh -->'
end='<!-- end of fidelity table -->'
python3 - "$begin" "$end" "$summary" "$table" <<'PY'
import sys
begin, end, summary, table = sys.argv[1:]
readme = open("README.md").read()
a, b = readme.index(begin) + len(begin), readme.index(end)
block = f"\n\nCommands: {summary} (`vnet diff --recorded tests/golden tests/scenarios/*.sh`).\n\n{table}\n\n"
open("README.md", "w").write(readme[:a] + block + readme[b:])
PY
echo "fidelity-table: README.md updated ($summary)"
