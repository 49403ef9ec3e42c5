#!/usr/bin/env bash
# record-golden.sh [--check] tests/scenarios/NAME.sh...
#
# Runs each scenario on the REAL kernel, inside a throw-away sandbox (new net,
# mount and pid namespaces; /run/netns is a private tmpfs), through
# scripts/transcript.sh, and writes the transcript to tests/golden/NAME.out.
# Nothing the scenario does touches this machine's own interfaces, routes,
# sysctls or firewall; everything it creates dies with the sandbox.
#
#   --check   record each scenario twice more and compare both runs with each
#             other and with the existing golden, modulo
#             vnet_transcript::normalise (MACs, times, ICMP ids...). Writes
#             nothing; exits 1 if anything differs (a flaky scenario or a
#             stale golden).
#
# Needs root on Linux with the reference tools (scripts/install-deps.sh).
# Goldens are never edited by hand: fix the scenario and record again.
set -uo pipefail

if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ]; then
  echo "record-golden: must run as root on Linux (it runs scenarios against the real kernel inside a namespace sandbox)" >&2
  exit 1
fi
for t in unshare ip mount timeout; do
  if ! command -v "$t" >/dev/null; then
    echo "record-golden: '$t' not found; run scripts/install-deps.sh" >&2
    exit 1
  fi
done

root=$(cd "$(dirname "$0")/.." && pwd)
check=0
if [ "${1:-}" = --check ]; then
  check=1
  shift
fi
if [ $# -eq 0 ]; then
  echo "usage: record-golden.sh [--check] tests/scenarios/NAME.sh..." >&2
  exit 2
fi

# One sandboxed run of a scenario; transcript on stdout.
run_sandboxed() {
  local scen
  scen=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  timeout --kill-after=10 600 \
    unshare --net --mount --pid --fork --kill-child --mount-proc --propagation private \
    bash -c 'mkdir -p /run/netns && mount -t tmpfs nsbox /run/netns && mount -t sysfs sysfs /sys && ip link set lo up && exec bash "$0" "$1"' \
    "$root/scripts/transcript.sh" "$scen"
}

tdiff() {
  cargo run --release -q --manifest-path "$root/Cargo.toml" -p vnet-transcript --example tdiff -- "$@"
}

status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for scen in "$@"; do
  if [ ! -f "$scen" ]; then
    echo "record-golden: no such scenario: $scen" >&2
    status=1
    continue
  fi
  name=$(basename "$scen" .sh)
  golden=$root/tests/golden/$name.out
  if [ "$check" = 1 ]; then
    run_sandboxed "$scen" >"$tmp/$name.1" || { echo "record-golden: $name: sandbox failed" >&2; status=1; continue; }
    run_sandboxed "$scen" >"$tmp/$name.2" || { echo "record-golden: $name: sandbox failed" >&2; status=1; continue; }
    ok=1
    tdiff "$tmp/$name.1" "$tmp/$name.2" || { echo "record-golden: $name: FLAKY (two runs differ)"; ok=0; }
    if [ -f "$golden" ]; then
      tdiff "$golden" "$tmp/$name.1" || { echo "record-golden: $name: golden differs from a fresh run"; ok=0; }
    else
      echo "record-golden: $name: no golden yet"
      ok=0
    fi
    [ "$ok" = 1 ] && echo "record-golden: $name: deterministic" || status=1
  else
    if run_sandboxed "$scen" >"$tmp/$name.out"; then
      mv "$tmp/$name.out" "$golden"
      echo "record-golden: wrote tests/golden/$name.out"
    else
      echo "record-golden: $name: sandbox failed; golden not written" >&2
      status=1
    fi
  fi
done
exit $status
