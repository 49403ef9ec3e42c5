#!/bin/bash
# An IPIP tunnel whose far end names the wrong remote (10.0.0.9, not
# 10.0.0.1): b has no tunnel from 10.0.0.1 to take the packet.
# explain: a 192.168.201.2
# first-line: dropped in b at ipip receive
# first-line: no tunnel matches
# status: 1
ip netns add a
ip netns add b
ip link add veth0 netns a type veth peer name veth1 netns b
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
ip netns exec a modprobe ipip
ip -n a tunnel add tun1 mode ipip local 10.0.0.1 remote 10.0.0.2
ip -n b tunnel add tun1 mode ipip local 10.0.0.2 remote 10.0.0.9
ip -n a addr add 192.168.201.1/30 dev tun1
ip -n b addr add 192.168.201.2/30 dev tun1
ip -n a link set tun1 up
ip -n b link set tun1 up
