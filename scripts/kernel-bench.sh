#!/usr/bin/env bash
# kernel-bench.sh [--json] [--seconds S] [--runs N] [CASE...]
#
# The topologies of `vnet bench` on the REAL kernel, inside a throw-away
# sandbox (new net, mount and pid namespaces, /run/netns a private tmpfs, as
# DESIGN.md says): nothing touches this machine's own interfaces, routes,
# firewall or sysctls, and traffic flows only between namespaces made inside
# the sandbox. 64-byte UDP frames come from scripts/udpflood.py (a raw
# socket in the sending namespace) for S seconds per run (default 2); a
# packet counts when it reached the receiving namespace's device (rx_packets).
# Medians of N runs (default 3). Prints the same JSON keys as
# `vnet bench --json` for the cases the kernel can run here:
#   veth bridge4 route nat-1 nat-1k nat-100k rules-0 rules-100 rules-10k
#   rules-100k netns-1k conntrack-1m
# netns-100k and netns-1m are not run (the machine is shared); conntrack-1m
# reports the nf_conntrack slab object size, since nf_conntrack_max can be
# raised only in the initial namespace, which the sandbox leaves alone.
# Needs root on Linux, iproute2, iptables, python3 (scripts/install-deps.sh).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${KBENCH_SANDBOX:-}" ]; then
  if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ]; then
    echo "kernel-bench: must run as root on Linux (it runs inside a namespace sandbox)" >&2
    exit 1
  fi
  for t in unshare ip iptables-restore python3 timeout; do
    command -v "$t" >/dev/null || { echo "kernel-bench: '$t' not found; run scripts/install-deps.sh" >&2; exit 1; }
  done
  exec timeout --kill-after=10 1200 \
    unshare --net --mount --pid --fork --kill-child --mount-proc --propagation private \
    env KBENCH_SANDBOX=1 bash -c 'mkdir -p /run/netns && mount -t tmpfs nsbox /run/netns && mount -t sysfs sysfs /sys && ip link set lo up && exec bash "$0" "$@"' \
    "$0" "$@"
fi

json=0 secs=2 runs=3 cases=()
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json=1 ;;
    --seconds) secs=$2; shift ;;
    --runs) runs=$2; shift ;;
    *) cases+=("$1") ;;
  esac
  shift
done
[ ${#cases[@]} -eq 0 ] && cases=(veth bridge4 route nat-1 nat-1k nat-100k rules-0 rules-100 rules-10k rules-100k netns-1k conntrack-1m)

q() { "$@" >/dev/null 2>&1; }
reset() {
  local d
  ip -all netns delete 2>/dev/null
  for d in /sys/class/net/br*; do [ -e "$d" ] && ip link del "${d##*/}" 2>/dev/null; done
  true
}
rx() { # NS DEV...: packets received on those devices
  local ns=$1 sum=0 d; shift
  for d in "$@"; do
    sum=$((sum + $(ip netns exec "$ns" cat "/sys/class/net/$d/statistics/rx_packets")))
  done
  echo $sum
}
mkns() { ip netns add "$1" && ip -n "$1" link set lo up; }

veth_topo() {
  mkns a; mkns b
  ip -n a link add va type veth peer vb netns b
  ip -n a addr add 10.0.0.1/24 dev va; ip -n a link set va up
  ip -n b addr add 10.0.0.2/24 dev vb; ip -n b link set vb up
  SRC=10.0.0.1 DST=10.0.0.2 RXNS=b RXDEV=vb
}
bridge4_topo() {
  ip link add br0 type bridge; ip link set br0 up
  for k in 1 2 3 4; do
    mkns h$k
    ip link add p$k type veth peer eth0 netns h$k
    ip link set p$k master br0; ip link set p$k up
    ip -n h$k addr add 10.0.0.$k/24 dev eth0; ip -n h$k link set eth0 up
  done
  SRC=10.0.0.1 DST=10.0.0.2,10.0.0.3,10.0.0.4 RXNS=
}
router_topo() {
  mkns a; mkns r; mkns b
  ip -n a link add va type veth peer ra netns r
  ip -n b link add vb type veth peer rb netns r
  ip -n a addr add 10.0.1.1/24 dev va; ip -n a link set va up
  ip -n r addr add 10.0.1.254/24 dev ra; ip -n r link set ra up
  ip -n r addr add 10.0.2.254/24 dev rb; ip -n r link set rb up
  ip -n b addr add 10.0.2.1/24 dev vb; ip -n b link set vb up
  ip -n a route add default via 10.0.1.254
  ip -n b route add default via 10.0.2.254
  ip netns exec r sysctl -qw net.ipv4.ip_forward=1
  SRC=10.0.1.1 DST=10.0.2.1 RXNS=b RXDEV=vb
}
# FORWARD: N rules the traffic does not match (the same prefixes and ports
# as vnet-bench's nonmatching_rule), then the accepting one; policy DROP.
rules_file() {
  python3 - "$1" <<'PY'
import sys, ipaddress
n = int(sys.argv[1])
out = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]"]
for i in range(n):
    ln = 16 + i % 17
    base = (int(ipaddress.IPv4Address("172.16.0.0")) | (((i * 2654435761) & 0xffffffff) >> 12))
    mask = (0xffffffff << (32 - ln)) & 0xffffffff
    out.append("-A FORWARD -s %s/%d -p udp -m udp --dport %d -j DROP"
               % (ipaddress.IPv4Address(base & mask), ln, 1024 + i % 60000))
out.append("-A FORWARD -s 10.0.1.0/24 -d 10.0.2.0/24 -p udp -m udp --dport 9 -j ACCEPT")
out.append("COMMIT")
print("\n".join(out))
PY
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

results=()
emit_pps() { # CASE PPS PACKETS
  local ns
  ns=$(awk -v p="$2" 'BEGIN { if (p > 0) printf "%.1f", 1e9 / p; else print "null" }')
  results+=("{\"case\": \"$1\", \"packets\": $3, \"pps\": $2, \"ns_per_packet\": $ns}")
  [ $json = 1 ] || printf '%-14s %8.3f Mpps %9s ns/packet  (kernel)\n' "$1" "$(awk -v p="$2" 'BEGIN{print p/1e6}')" "$ns"
}

flood_case() { # CASE FLOWS
  local name=$1 flows=$2 r before after sent pps=() got=()
  # One untimed second first: neighbours resolved, conntrack entries made.
  ip netns exec "${SRCNS:-a}" python3 "$here/udpflood.py" "$SRC" "$DST" "$flows" 1 >/dev/null
  for r in $(seq "$runs"); do
    if [ -n "$RXNS" ]; then before=$(rx "$RXNS" "$RXDEV"); else before=$(( $(rx h2 eth0) + $(rx h3 eth0) + $(rx h4 eth0) )); fi
    sent=$(ip netns exec "${SRCNS:-a}" python3 "$here/udpflood.py" "$SRC" "$DST" "$flows" "$secs")
    sleep 0.2
    if [ -n "$RXNS" ]; then after=$(rx "$RXNS" "$RXDEV"); else after=$(( $(rx h2 eth0) + $(rx h3 eth0) + $(rx h4 eth0) )); fi
    got+=($((after - before)))
    pps+=("$(awk -v n=$((after - before)) -v s="$secs" 'BEGIN { printf "%.0f", n / s }')")
  done
  emit_pps "$name" "$(printf '%s\n' "${pps[@]}" | median)" "$(printf '%s\n' "${got[@]}" | median)"
}

meminfo_avail() { awk '/^MemAvailable:/ {print $2 * 1024}' /proc/meminfo; }

for c in "${cases[@]}"; do
  reset; SRCNS=a
  case "$c" in
    veth) veth_topo; flood_case veth 1 ;;
    bridge4) bridge4_topo; SRCNS=h1; flood_case bridge4 1 ;;
    route) router_topo; flood_case route 1 ;;
    nat-1|nat-1k|nat-100k)
      router_topo
      ip netns exec r iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
      flows=${c#nat-}; flows=${flows/k/000}
      flood_case "$c" "$flows" ;;
    rules-0|rules-100|rules-10k|rules-100k)
      router_topo
      n=${c#rules-}; n=${n/k/000}
      rules_file "$n" > /tmp/kbench-rules.$$
      if ! timeout 300 ip netns exec r iptables-restore < /tmp/kbench-rules.$$; then
        echo "kernel-bench: $c: iptables-restore failed or timed out" >&2
        rm -f /tmp/kbench-rules.$$; continue
      fi
      rm -f /tmp/kbench-rules.$$
      flood_case "$c" 1 ;;
    netns-1k)
      n=1000
      # As vnet-bench: a bridge for every 100 namespaces.
      m0=$(meminfo_avail); t0=$(date +%s.%N)
      for i in $(seq 0 $((n - 1))); do
        [ $((i % 100)) = 0 ] && ip link add br$((i / 100)) type bridge
        ip netns add ns$i && ip link add veth$i type veth peer eth0 netns ns$i && ip link set veth$i master br$((i / 100))
      done
      t1=$(date +%s.%N); m1=$(meminfo_avail)
      s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
      b=$(awk -v a="$m0" -v b="$m1" -v n=$n 'BEGIN { printf "%.0f", (a - b) / n }')
      results+=("{\"case\": \"netns-1k\", \"namespaces\": $n, \"seconds\": $s, \"bytes_per_netns\": $b}")
      [ $json = 1 ] || printf '%-14s %8.3f s      %9s bytes/netns (kernel, MemAvailable drop)\n' netns-1k "$s" "$b" ;;
    conntrack-1m)
      router_topo
      ip netns exec r iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
      ip netns exec a python3 "$here/udpflood.py" "$SRC" "$DST" 100000 2 >/dev/null
      n=$(ip netns exec r cat /proc/sys/net/netfilter/nf_conntrack_count)
      sz=$(awk '$1 == "nf_conntrack" {print $4}' /proc/slabinfo)
      results+=("{\"case\": \"conntrack-1m\", \"entries\": $n, \"seconds\": null, \"bytes_per_entry\": ${sz:-null}}")
      [ $json = 1 ] || printf '%-14s %8s        %9s bytes/entry (kernel: nf_conntrack slab object, %s entries)\n' conntrack-1m - "${sz:-?}" "$n" ;;
    netns-100k|netns-1m) echo "kernel-bench: $c is not run on the shared machine (see netns-1k)" >&2 ;;
    *) echo "kernel-bench: unknown case $c" >&2; exit 2 ;;
  esac
done
reset
if [ $json = 1 ]; then
  (IFS=,; echo "[${results[*]}]")
fi
