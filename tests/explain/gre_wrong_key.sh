#!/bin/bash
# A GRE tunnel whose two ends disagree on the key (1 and 2): the
# receiving side has no tunnel for the packet.
# explain: a 192.168.200.2
# first-line: dropped in b at gre receive
# first-line: no tunnel matches
# status: 1
ip netns add a
ip netns add b
ip link add veth0 netns a type veth peer name veth1 netns b
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
ip netns exec a modprobe ip_gre
ip -n a tunnel add gre1 mode gre local 10.0.0.1 remote 10.0.0.2 key 1
ip -n b tunnel add gre1 mode gre local 10.0.0.2 remote 10.0.0.1 key 2
ip -n a addr add 192.168.200.1/30 dev gre1
ip -n b addr add 192.168.200.2/30 dev gre1
ip -n a link set gre1 up
ip -n b link set gre1 up
