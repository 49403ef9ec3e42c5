#!/usr/bin/env bash
# fuzz.sh [MINUTES]: runs each random-input property test over and over
# with fresh random seeds for MINUTES (default 10, as issue 20 asks) each:
#   random_iptables   iptables, ip6tables and their -save, -restore
#   random_commands   the tools in VNET_FUZZ_TOOLS (default conntrack,nc,
#                     xtables-monitor; "" for all of them)
#   lab_file          the lab loader on mutated lab files (World::validate)
# then the deterministic flag_ends (flags last on the line, hostile words)
# once. Invariants: no panic, a failed configuration command leaves the
# world byte-identical, a lab file that validates runs commands.
# VNET_FUZZ_SECONDS=N overrides MINUTES with seconds (CI: a short run only;
# CI must not run this for long). cargo-fuzz needs a nightly toolchain
# this project cannot assume; these stand in.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
each=${VNET_FUZZ_SECONDS:-$((minutes * 60))}
cases=${VNET_FUZZ_CASES:-2000}
export VNET_FUZZ_TOOLS=${VNET_FUZZ_TOOLS-conntrack,nc,xtables-monitor}
[ -n "$VNET_FUZZ_TOOLS" ] || unset VNET_FUZZ_TOOLS
# Build once and run the test binaries themselves, so editing the sources
# while this runs does not change what is being fuzzed.
built=$(cargo test --release -p vnet-tools --test random_iptables --test random_commands \
  --test lab_file --test flag_ends --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*\)".*/\1/p')
bin() { printf '%s\n' "$built" | grep "/$1-" | head -1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in random_iptables random_commands lab_file; do
  b=$(bin "$t")
  [ -n "$b" ] || { echo "fuzz: could not build $t"; exit 1; }
  start=$(date +%s)
  rounds=0
  while [ $(($(date +%s) - start)) -lt "$each" ]; do
    VNET_FUZZ_CASES=$cases "$b" >"$log" 2>&1 || {
      cat "$log"
      echo "fuzz: $t FAILED after $rounds rounds"
      exit 1
    }
    rounds=$((rounds + 1))
  done
  echo "fuzz: $t: $rounds rounds of $cases cases, $(($(date +%s) - start)) s, no failure"
done
b=$(bin flag_ends)
"$b" >"$log" 2>&1 || { cat "$log"; echo "fuzz: flag_ends FAILED"; exit 1; }
echo "fuzz: flag_ends passed"
