#!/bin/bash
# Two bridges joined by two links and STP off: a loop. The first
# broadcast (h1's ARP request) goes round forever.
# explain: h1 10.0.0.2
# first-line: storm in sw
# first-line: br0
# status: 1
ip netns add sw
ip netns add h1
ip netns add h2
ip -n sw link add br0 type bridge stp_state 0
ip -n sw link add br1 type bridge stp_state 0
ip -n sw link add l1a type veth peer name l1b
ip -n sw link add l2a type veth peer name l2b
ip -n sw link set l1a master br0
ip -n sw link set l2a master br0
ip -n sw link set l1b master br1
ip -n sw link set l2b master br1
ip link add eth0 netns h1 type veth peer name p1 netns sw
ip link add eth0 netns h2 type veth peer name p2 netns sw
ip -n sw link set p1 master br0
ip -n sw link set p2 master br1
for d in br0 br1 l1a l1b l2a l2b p1 p2; do ip -n sw link set "$d" up; done
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
