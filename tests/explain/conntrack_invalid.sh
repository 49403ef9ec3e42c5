#!/bin/bash
# Asymmetric routing: h1 reaches h2 through r1, h2 answers through r2.
# r2 drops what conntrack calls INVALID, and an echo reply it never saw
# the request of is INVALID.
# Topology: LAN A 10.0.1.0/24 (h1, r1 .1, r2 .3) on bridge bra in sw;
#           LAN B 10.0.2.0/24 (h2, r1 .1, r2 .3) on bridge brb in sw.
# explain: h1 10.0.2.2
# first-line: no reply
# first-line: dropped in r2 at filter/FORWARD
# first-line: rule 1
# first-line: INVALID
# status: 1
ip netns add sw
ip netns add h1
ip netns add h2
ip netns add r1
ip netns add r2
ip -n sw link add bra type bridge
ip -n sw link add brb type bridge
ip -n sw link set bra up
ip -n sw link set brb up
# One veth pair per attachment: NAME in its namespace, NAME-sw on a bridge.
attach() {
    ip link add "$2" netns "$1" type veth peer name "$2-sw" netns sw
    ip -n sw link set "$2-sw" master "$3"
    ip -n sw link set "$2-sw" up
    ip -n "$1" link set "$2" up
}
attach h1 h1a bra
attach r1 r1a bra
attach r2 r2a bra
attach h2 h2b brb
attach r1 r1b brb
attach r2 r2b brb
ip -n h1 addr add 10.0.1.2/24 dev h1a
ip -n r1 addr add 10.0.1.1/24 dev r1a
ip -n r2 addr add 10.0.1.3/24 dev r2a
ip -n h2 addr add 10.0.2.2/24 dev h2b
ip -n r1 addr add 10.0.2.1/24 dev r1b
ip -n r2 addr add 10.0.2.3/24 dev r2b
ip -n h1 route add default via 10.0.1.1
ip -n h2 route add default via 10.0.2.3
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 iptables -A FORWARD -m conntrack --ctstate INVALID -j DROP
