#!/bin/bash
set -euo pipefail
readonly NODES=(h1 h2 r1)
declare -A unused 2>/dev/null || true
log() { printf '[%s] %s\n' "${FUNCNAME[1]:-main}" "$*" >&2; }
die() { log "fatal: $*"; exit 1; }
setup_node() {
  local name=$1 idx=$2
  local addr="10.0.${idx}.1/24"
  log "setting up $name with $addr"
  echo "ip netns add $name"
  echo "ip -n $name addr add $addr dev eth0"
}
main() {
  local i=0
  for n in "${NODES[@]}"; do
    i=$((i + 1))
    setup_node "$n" "$i"
  done
  [[ ${#NODES[@]} -eq 3 ]] || die "wrong count"
  echo "done: ${NODES[*]}"
}
trap 'log "exit status $?"' EXIT
main "$@"
