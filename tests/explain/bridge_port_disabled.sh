#!/bin/bash
# Two hosts on a bridge; h1's port was put in STP state disabled (0) by
# hand and left there.
# explain: h1 10.0.0.2
# first-line: dropped in h1 at neighbour
# first-line: sw at br0
# first-line: not in the forwarding state
# status: 1
ip netns add sw
ip netns add h1
ip netns add h2
ip -n sw link add br0 type bridge
ip -n sw link set br0 up
ip link add eth0 netns h1 type veth peer name p1 netns sw
ip link add eth0 netns h2 type veth peer name p2 netns sw
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
ip -n sw link set p1 up
ip -n sw link set p2 up
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip netns exec sw bridge link set dev p1 state 0
