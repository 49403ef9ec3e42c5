#!/bin/bash
# The same asymmetric lab in loose mode (rp_filter=2): the reply is taken.
# Topology: h1 a1 (10.0.1.2) -- r1 -- h2 b1 (10.0.2.2)
#           h1 a2 (10.0.3.2) -- r2 -- h2 b2 (10.0.4.2)
# explain: h1 10.0.2.2
# first-line: delivered: 10.0.2.2 answered
# status: 0
ip netns add h1
ip netns add h2
ip netns add r1
ip netns add r2
ip link add a1 netns h1 type veth peer name r1a netns r1
ip link add a2 netns h1 type veth peer name r2a netns r2
ip link add b1 netns h2 type veth peer name r1b netns r1
ip link add b2 netns h2 type veth peer name r2b netns r2
ip -n h1 addr add 10.0.1.2/24 dev a1
ip -n h1 addr add 10.0.3.2/24 dev a2
ip -n h2 addr add 10.0.2.2/24 dev b1
ip -n h2 addr add 10.0.4.2/24 dev b2
ip -n r1 addr add 10.0.1.1/24 dev r1a
ip -n r1 addr add 10.0.2.1/24 dev r1b
ip -n r2 addr add 10.0.3.1/24 dev r2a
ip -n r2 addr add 10.0.4.1/24 dev r2b
ip -n h1 link set a1 up
ip -n h1 link set a2 up
ip -n h2 link set b1 up
ip -n h2 link set b2 up
ip -n r1 link set r1a up
ip -n r1 link set r1b up
ip -n r2 link set r2a up
ip -n r2 link set r2b up
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
ip -n h1 route add 10.0.2.0/24 via 10.0.1.1
ip -n h2 route add 10.0.1.0/24 via 10.0.4.1
ip -n r2 route add 10.0.1.0/24 via 10.0.3.2
ip netns exec h1 sysctl -qw net.ipv4.conf.all.rp_filter=2
