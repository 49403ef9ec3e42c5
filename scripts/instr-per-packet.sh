#!/usr/bin/env bash
# instr-per-packet.sh [CASE...]
#
# Instructions per packet of `vnet bench` packet cases, counted by
# valgrind's callgrind: deterministic, so a change of a few per cent shows
# where wall-clock figures on a shared machine are noise. Two runs per case
# (10,000 and 30,000 packets per timed run) are subtracted, which cancels
# the set-up and the warm-up (nat-100k's warm-up is 100,000 packets in both,
# so its difference is 20,000 packets, not 40,000).
# Needs valgrind and a release build (cargo build --release).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${VNET:-$here/target/release/vnet}
command -v valgrind >/dev/null || { echo "instr-per-packet: valgrind not found" >&2; exit 1; }
[ -x "$bin" ] || { echo "instr-per-packet: $bin missing; cargo build --release first" >&2; exit 1; }
[ $# -gt 0 ] || set -- veth bridge4 route nat-1 nat-1k nat-100k rules-0 rules-100 rules-10k rules-100k
cd "$(mktemp -d)"
refs() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" bench --packets "$2" --runs 1 "$1" 2>&1 |
    awk '/refs:/ { gsub(",", "", $NF); print $NF }'
}
for c in "$@"; do
  a=$(refs "$c" 10000)
  b=$(refs "$c" 30000)
  # The warm-up is max(packets, flows) packets: equal in both runs when flows >= 30,000.
  case "$c" in nat-100k) n=20000 ;; *) n=40000 ;; esac
  echo "$c $(( (b - a) / n )) instructions/packet"
done
