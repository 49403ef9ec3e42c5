#!/usr/bin/env bash
# fuzz.sh [MINUTES]: runs the random-input property tests of the command
# parsers (random_iptables: iptables, ip6tables and their -save, -restore;
# random_commands for the tools in VNET_FUZZ_TOOLS, default conntrack,nc,xtables-monitor —
# set it to "" for all of them) over and over with fresh random seeds until
# MINUTES (default 10) have passed. Invariants: no panic, and a failed
# configuration command leaves the world byte-identical. cargo-fuzz needs a
# nightly toolchain this project cannot assume; these stand in.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
cases=${VNET_FUZZ_CASES:-20000}
export VNET_FUZZ_TOOLS=${VNET_FUZZ_TOOLS-conntrack,nc,xtables-monitor}
[ -n "$VNET_FUZZ_TOOLS" ] || unset VNET_FUZZ_TOOLS
# Build once and run the test binaries themselves, so editing the sources
# while this runs does not change what is being fuzzed.
bins=$(cargo test --release -p vnet-tools --test random_commands --test random_iptables --no-run 2>&1 |
  sed -n 's/.*Executable .*(\(.*\))$/\1/p')
[ -n "$bins" ] || { echo "fuzz: could not build the test binaries"; exit 1; }
end=$(( $(date +%s) + minutes * 60 ))
rounds=0
start=$(date +%s)
while [ "$(date +%s)" -lt "$end" ]; do
  for b in $bins; do
    VNET_FUZZ_CASES=$cases "$b" >/tmp/vnet-fuzz.$$ 2>&1 || {
      cat /tmp/vnet-fuzz.$$
      echo "fuzz: $b FAILED after $rounds rounds"
      exit 1
    }
  done
  rounds=$((rounds + 1))
done
rm -f /tmp/vnet-fuzz.$$
echo "fuzz: $rounds rounds of $cases cases per property, $(( $(date +%s) - start )) s, no failure"
