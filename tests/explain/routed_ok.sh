#!/bin/bash
# A working routed lab, for contrast.
# Topology: h1 (10.0.1.2) -- r (10.0.1.1 | 10.0.2.1) -- h2 (10.0.2.2)
# explain: h1 10.0.2.2
# first-line: delivered: 10.0.2.2 answered
# first-line: echo reply back via r
# status: 0
ip netns add h1
ip netns add r
ip netns add h2
ip link add veth0 type veth peer name veth1
ip link add veth2 type veth peer name veth3
ip link set veth0 netns h1
ip link set veth1 netns r
ip link set veth2 netns r
ip link set veth3 netns h2
ip -n h1 addr add 10.0.1.2/24 dev veth0
ip -n r addr add 10.0.1.1/24 dev veth1
ip -n r addr add 10.0.2.1/24 dev veth2
ip -n h2 addr add 10.0.2.2/24 dev veth3
ip -n h1 link set veth0 up
ip -n r link set veth1 up
ip -n r link set veth2 up
ip -n h2 link set veth3 up
ip -n h1 route add default via 10.0.1.1
ip -n h2 route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
