#!/bin/bash
# A host answers ARP only for addresses on the interface the request came
# in on (arp_ignore=1): c reaches 192.168.5.1, h's address on another
# interface, as an on-link destination and gets no ARP reply.
# Topology: c c0 (10.0.0.1) -- h e1 (10.0.0.10); h e2 (192.168.5.1)
# explain: c 192.168.5.1
# first-line: dropped in c at neighbour
# first-line: reached h on e1, which ignored it: net.ipv4.conf.all.arp_ignore=1
# status: 1
ip netns add c
ip netns add h
ip link add c0 netns c type veth peer name e1 netns h
ip link add e2 netns h type veth peer name x2
ip -n c addr add 10.0.0.1/24 dev c0
ip -n h addr add 10.0.0.10/24 dev e1
ip -n h addr add 192.168.5.1/24 dev e2
ip -n c link set c0 up
ip -n h link set e1 up
ip -n h link set e2 up
ip link set x2 up
ip -n c route add 192.168.5.0/24 dev c0
ip netns exec h sysctl -qw net.ipv4.conf.all.arp_ignore=1
