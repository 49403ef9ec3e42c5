#!/bin/bash
# Two hosts on one link; h2's address got a /25 by mistake, so h1
# (10.0.0.1) is outside h2's network and h2 cannot answer it.
# explain: h1 10.0.0.130
# first-line: no reply
# first-line: in h2
# first-line: no route back to 10.0.0.1
# status: 1
ip netns add h1
ip netns add h2
ip link add veth0 netns h1 type veth peer name veth1 netns h2
ip -n h1 addr add 10.0.0.1/24 dev veth0
ip -n h2 addr add 10.0.0.130/25 dev veth1
ip -n h1 link set veth0 up
ip -n h2 link set veth1 up
