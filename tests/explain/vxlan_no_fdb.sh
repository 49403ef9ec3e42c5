#!/bin/bash
# A point-to-point vxlan made without 'remote' and without an fdb entry:
# the device has nowhere to send the overlay's frames.
# explain: a 192.168.100.2
# first-line: dropped in a at neighbour
# first-line: vx0
# first-line: no fdb entry
# status: 1
ip netns add a
ip netns add b
ip link add veth0 netns a type veth peer name veth1 netns b
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
ip -n a link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev veth0
ip -n b link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.2 dev veth1
ip -n b bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.1
ip -n a addr add 192.168.100.1/24 dev vx0
ip -n b addr add 192.168.100.2/24 dev vx0
ip -n a link set vx0 up
ip -n b link set vx0 up
