#!/usr/bin/env bash
# measure-costs.sh [RUNS] — measures, on the REAL kernel inside a throw-away
# sandbox (new net, mount and pid namespaces; nothing touches this machine's
# own network), how long each command a lab script runs takes, and prints
# the table crates/vnet-tools/src/cost.rs holds:
#
#   tool           total_us  effect_us  tail_us  what was run
#
#   total_us   median wall time from the shell's fork to the end of its
#              wait for the command (bash's $EPOCHREALTIME around it, RUNS
#              runs, default 200);
#   tail_us    median time from the command's effect (the syscall that makes
#              the change or reads the state: its last netlink sendmsg, the
#              write to /proc/sys, the connect, ...) to the process's exit,
#              from `strace --seccomp-bpf -f -ttt` (only the named syscalls
#              are stopped, so the trace barely slows the rest down);
#   effect_us  total_us - tail_us: when, counted from the fork, the effect
#              happens.
#
# and then the figures of the running programs: tcpdump's fork to its
# "listening on" line (its capture is armed just before it), ping's fork to
# its first echo request (seen by an armed capture), and iputils ping -i 0's
# gap between echo requests that get no reply, and a cold
# `ping -c 10000 -i 0` across a router (three namespaces), whose received
# count is what the kernel gives.
#
# Re-measure with: sudo scripts/measure-costs.sh [RUNS] | tee costs.txt
# (root on Linux with the reference tools: scripts/install-deps.sh).
set -u

if [ "${MEASURE_COSTS_SANDBOX:-}" != 1 ]; then
  if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ]; then
    echo "measure-costs: must run as root on Linux (it measures the real kernel inside a namespace sandbox)" >&2
    exit 1
  fi
  exec env MEASURE_COSTS_SANDBOX=1 unshare --net --mount --pid --fork --kill-child \
    --mount-proc --propagation private bash -c \
    'mkdir -p /run/netns && mount -t tmpfs nsbox /run/netns && mount -t sysfs sysfs /sys && ip link set lo up && exec bash "$0" "$@"' \
    "$0" "$@"
fi

RUNS=${1:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

echo "# measured $(date -u +%Y-%m-%d) on $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"
echo "# runs: $RUNS; bash ${BASH_VERSION}; $(ip -V 2>&1 | head -1); $(iptables -V)"
printf '# %-14s %9s %9s %9s  %s\n' tool total_us effect_us tail_us command

# The median of the numbers on stdin.
median() { sort -n | awk '{a[NR]=$1} END{if (NR) print a[int((NR+1)/2)]; else print 0}'; }

# Microseconds now.
now_us() { local t=$EPOCHREALTIME; echo $((10#${t/./})); }

# time_cmd CMD... — one run's wall time in µs (fork to wait done).
time_cmd() {
  local s=$EPOCHREALTIME e
  "$@" >/dev/null 2>&1
  e=$EPOCHREALTIME
  echo $((10#${e/./} - 10#${s/./}))
}

# tail_of SYSCALLS CMD... — µs from the last of SYSCALLS to the exit.
tail_of() {
  local calls=$1
  shift
  strace --seccomp-bpf -f -ttt -e trace="$calls,exit_group" -o "$work/st" "$@" >/dev/null 2>&1
  awk -v calls="$calls" '
    { split(calls, c, ","); for (i in c) if (index($3, c[i] "(") == 1) eff = $2 }
    /\+\+\+ exited/ { ex = $2 }
    END { if (eff && ex) printf "%d\n", (ex - eff) * 1e6 }' "$work/st"
}

# measure NAME SYSCALLS GENERATOR — GENERATOR I prints the command of run I.
measure() {
  local name=$1 calls=$2 gen=$3 i cmd total tail
  : >"$work/t"
  : >"$work/s"
  for ((i = 0; i < RUNS; i++)); do
    cmd=$($gen "$i")
    eval "time_cmd $cmd" >>"$work/t"
  done
  if [ "$calls" != - ]; then
    for ((i = RUNS; i < RUNS + 20; i++)); do
      cmd=$($gen "$i")
      eval "tail_of $calls $cmd" >>"$work/s"
    done
  fi
  total=$(median <"$work/t")
  tail=$(median <"$work/s")
  printf '%-16s %9d %9d %9d  %s\n' "$name" "$total" $((total - tail)) "$tail" "$($gen 0)"
}

ip link add dm0 type veth peer name dm1
ip link set dm1 up
ip link set dm0 up

g_builtin() { echo ":"; }
g_true() { echo "/bin/true"; }
g_ip_v() { echo "ip -V"; }
g_link_add() { echo "ip link add v$1 type veth peer name p$1"; }
g_link_up() { echo "ip link set v$1 up"; }
g_addr_add() { echo "ip addr add 10.1.$(($1 / 250)).$(($1 % 250 + 1))/32 dev dm0"; }
g_route_add() { echo "ip route add 10.2.$(($1 / 250)).$(($1 % 250 + 1))/32 dev dm0"; }
g_link_show() { echo "ip link show dev lo"; }
g_addr_show() { echo "ip addr show dev lo"; }
g_netns_add() { echo "ip netns add n$1"; }
g_netns_exec() { echo "ip netns exec n0 true"; }
g_ipt_a() { echo "iptables -A INPUT -s 10.3.$(($1 / 250)).$(($1 % 250 + 1)) -j ACCEPT"; }
g_ipt_l() { echo "iptables -L -n"; }
g_ipt_save() { echo "iptables-save"; }
g_sysctl() { echo "sysctl -w net.ipv4.ip_forward=$(($1 % 2))"; }
g_conntrack() { echo "conntrack -L"; }
g_nc() { echo "nc -z 127.0.0.1 9"; }
g_grep() { echo "grep x /dev/null"; }
g_sed() { echo "sed -n p /dev/null"; }
g_awk() { echo "awk 1 /dev/null"; }
g_cat() { echo "cat /dev/null"; }
g_sleep() { echo "sleep 0"; }
g_brctl() { echo "brctl show"; }
g_ifconfig() { echo "ifconfig lo"; }

measure builtin - g_builtin
measure true exit_group g_true
measure ip-version write g_ip_v
measure ip-link-add sendmsg g_link_add
measure ip-link-set-up sendmsg g_link_up
measure ip-addr-add sendmsg g_addr_add
measure ip-route-add sendmsg g_route_add
measure ip-link-show recvmsg g_link_show
measure ip-addr-show recvmsg g_addr_show
measure ip-netns-add mount g_netns_add
measure ip-netns-exec execve g_netns_exec
measure iptables-L sendmsg g_ipt_l
measure iptables-save recvmsg g_ipt_save
measure iptables-A sendmsg g_ipt_a
measure sysctl-w write g_sysctl
measure conntrack-L recvmsg g_conntrack
measure nc-z connect g_nc
measure grep read g_grep
measure sed read g_sed
measure awk read g_awk
measure cat read g_cat
measure sleep-0 clock_nanosleep g_sleep
command -v brctl >/dev/null && measure brctl-show openat g_brctl
command -v ifconfig >/dev/null && measure ifconfig ioctl g_ifconfig

# tcpdump: fork to "listening on" (stderr), and to its exit after -c 1.
: >"$work/t"
for ((i = 0; i < RUNS / 4; i++)); do
  s=$(now_us)
  { timeout 5 tcpdump -i lo -n -c 1 2>&1 >/dev/null & } | {
    read -r _ && echo $(($(now_us) - s)) >>"$work/t"
    ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
    cat >/dev/null
  }
done
printf '%-16s %9d %9s %9s  %s\n' tcpdump-armed "$(median <"$work/t")" - - "tcpdump -i lo -n -c 1 (fork to 'listening on')"

# ping: fork to the first echo request, seen by an armed capture on a veth.
ip netns add pa
ip link add pv type veth peer name pw netns pa
ip addr add 10.4.0.1/24 dev pv
ip link set pv up
ip -n pa addr add 10.4.0.2/24 dev pw
ip -n pa link set pw up
ip -n pa link set lo up
ping -c 1 -W 1 10.4.0.2 >/dev/null
tcpdump -i pv -n -tt -l -Q out icmp >"$work/cap" 2>"$work/err" &
dump=$!
until grep -q listening "$work/err" 2>/dev/null; do sleep 0.01; done
: >"$work/starts"
for ((i = 0; i < RUNS / 4; i++)); do
  echo "$EPOCHREALTIME" >>"$work/starts"
  ping -c 1 -W 1 10.4.0.2 >/dev/null
  sleep 0.02
done
sleep 0.2
kill $dump
wait $dump 2>/dev/null
paste "$work/starts" <(awk '/echo request/{print $1}' "$work/cap") |
  awk '{printf "%d\n", ($2 - $1) * 1e6}' | median >"$work/m"
printf '%-16s %9d %9s %9s  %s\n' ping-first-send "$(cat "$work/m")" - - "ping -c 1 10.4.0.2 (fork to first echo request)"

# ping -i 0 without replies: the gap between echo requests.
ip netns exec pa iptables -A INPUT -p icmp -j DROP
tcpdump -i pv -n -tt -l -Q out icmp >"$work/cap" 2>"$work/err" &
dump=$!
until grep -q listening "$work/err" 2>/dev/null; do sleep 0.01; done
ping -c 1000 -i 0 -w 2 10.4.0.2 >/dev/null
sleep 0.2
kill $dump
wait $dump 2>/dev/null
awk 'NR > 1 {printf "%d\n", ($1 - p) * 1e6} {p = $1}' "$work/cap" | median >"$work/m"
printf '%-16s %9d %9s %9s  %s\n' ping-i0-noreply "$(cat "$work/m")" - - "ping -c 1000 -i 0 -w 2 (gap between unanswered probes)"

# A cold ping -c 10000 -i 0 across a router: how many replies come back.
ip netns add ra
ip netns add rr
ip netns add rb
ip link add va type veth peer name xa netns rr
ip link set va netns ra
ip link add vb type veth peer name xb netns rr
ip link set vb netns rb
ip -n ra addr add 10.5.1.2/24 dev va
ip -n ra link set va up
ip -n ra route add default via 10.5.1.1
ip -n rr addr add 10.5.1.1/24 dev xa
ip -n rr addr add 10.5.2.1/24 dev xb
ip -n rr link set xa up
ip -n rr link set xb up
ip netns exec rr sysctl -qw net.ipv4.ip_forward=1
ip -n rb addr add 10.5.2.2/24 dev vb
ip -n rb link set vb up
ip -n rb route add default via 10.5.2.1
got=$(ip netns exec ra ping -c 10000 -i 0 -q 10.5.2.2 | awk '/received/{print $4}')
printf '%-16s %9s %9s %9s  %s\n' ping-cold-router "$got" - - "ping -c 10000 -i 0 across a router right after setup (replies received)"
