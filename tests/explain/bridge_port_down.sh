#!/bin/bash
# Two hosts on a bridge; the bridge port towards h2 was never brought up.
# explain: h1 10.0.0.2
# first-line: dropped in h1 at neighbour
# first-line: 10.0.0.2
# first-line: br0 in sw
# first-line: p2 is down
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
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
