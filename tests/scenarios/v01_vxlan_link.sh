# area: vxlan
# vxlan devices: creation forms and what `ip -d link` shows for them (MTU
# from the lower device, dstport default and its warning, ttl/tos/df,
# srcport range, flags), the errors of iproute2 and the kernel, MTU limits,
# and the configured fdb entries (`bridge fdb add|append|del ... dst`).
# Two namespaces stand for two hosts, joined by a veth (their eth0).
ip netns add h1
ip netns add h2
ip link add eth0 netns h1 address 02:00:00:00:01:01 type veth peer name eth0 netns h2 address 02:00:00:00:02:01
ip -n h1 addr add 192.168.0.1/24 dev eth0
ip -n h1 link set eth0 up
ip -n h1 link add vxlan0 address 02:00:00:00:01:0a type vxlan id 42 remote 192.168.0.2 dev eth0
ip -n h1 -d link show vxlan0
ip -n h1 link add vxlan1 address 02:00:00:00:01:1a type vxlan id 43 remote 192.168.0.2 dstport 4789 dev eth0
ip -n h1 -d link show vxlan1
ip -n h1 link add vxlan2 address 02:00:00:00:01:2a type vxlan id 44 group 239.1.1.1 dev eth0 dstport 4789 ttl 5 tos 0x10 srcport 1000 2000 noudpcsum nolearning
ip -n h1 -d link show vxlan2
ip -n h1 link add vxlan3 address 02:00:00:00:01:3a type vxlan id 45 local 192.168.0.1 dstport 4789
ip -n h1 -d link show vxlan3
ip -n h1 link add vxlan5 address 02:00:00:00:01:5a type vxlan id 47 dstport 4789 nolearning ageing 100 maxaddress 10 l2miss l3miss proxy rsc udp6zerocsumtx udp6zerocsumrx
ip -n h1 -d link show vxlan5
ip -n h1 link add vxlan6 address 02:00:00:00:01:6a type vxlan vni 48 dstport 0 ttl inherit tos inherit df set
ip -n h1 -d link show vxlan6
ip -n h1 link add vxlan7 address 02:00:00:00:01:7a type vxlan id 49 dstport 4790 ttl 64 df inherit
ip -n h1 -d link show vxlan7
ip -n h1 link add vxlan8 address 02:00:00:00:01:8a mtu 1400 type vxlan id 50 dstport 4789 dev eth0
ip -n h1 link show vxlan8
ip -n h1 link add vxlan9 mtu 1451 type vxlan id 51 dstport 4789 dev eth0
ip -n h1 link add vxlan4 type vxlan remote 1.2.3.4
ip -n h1 link add vxlan4 type vxlan id 16777216
ip -n h1 link add vxlan4 type vxlan id 46 dstport 70000
ip -n h1 link add vxlan4 type vxlan id 46 dstport abc
ip -n h1 link add vxlan4 type vxlan id 45 local 192.168.0.1 dstport 4789
ip -n h1 link add vxlan4 type vxlan id 45 dstport 4789
ip -n h1 link add vxlan4 type vxlan id 42 dstport 4789
ip -n h1 link add vxlan4 type vxlan id 46 remote 1.2.3.4 group 239.1.1.1
ip -n h1 link add vxlan4 type vxlan id 46 group 1.2.3.4
ip -n h1 link add vxlan4 type vxlan id 46 remote 239.1.1.1
ip -n h1 link add vxlan4 type vxlan id 46 dev nosuch
ip -n h1 link add vxlan4 type vxlan id 46 ttl 300
ip -n h1 link add vxlan4 type vxlan id 46 group 239.1.1.1
ip -n h1 link add vxlan4 type vxlan id 46 bogus
ip -n h1 link add vxlan4 type vxlan id 46 dstport 4789 flowlabel 5
ip -n h1 link add vxlan0 type vxlan id 46 dstport 4789
ip -n h1 link show
ip -n h1 link set vxlan0 up
ip -n h1 link show vxlan0
ip -n h1 link set vxlan0 mtu 1500
ip -n h1 link set vxlan0 mtu 1450
ip -n h1 link set vxlan0 mtu 1200
ip -n h1 link set vxlan0 mtu 67
ip -n h1 link set vxlan3 mtu 9000
ip -n h1 link show vxlan0
ip -n h1 link show vxlan3
bridge -n h1 fdb show dev vxlan0
bridge -n h1 fdb show dev vxlan2
bridge -n h1 fdb show dev vxlan3
bridge -n h1 fdb add 00:00:00:00:00:00 dst 192.168.0.3 dev vxlan0
bridge -n h1 fdb append 00:00:00:00:00:00 dst 192.168.0.4 dev vxlan0
bridge -n h1 fdb add 02:00:00:00:aa:01 dst 192.168.0.5 dev vxlan0
bridge -n h1 fdb add 02:00:00:00:aa:02 dst 192.168.0.5 dev vxlan0 port 1234 vni 99 via eth0
bridge -n h1 fdb add 02:00:00:00:aa:03 dst 192.168.0.6 dev vxlan3
bridge -n h1 fdb show dev vxlan0
bridge -n h1 fdb show
bridge -n h1 fdb del 02:00:00:00:aa:01 dev vxlan0
bridge -n h1 fdb del 02:00:00:00:aa:01 dev vxlan0
bridge -n h1 fdb del 00:00:00:00:00:00 dst 192.168.0.4 dev vxlan0
bridge -n h1 fdb replace 02:00:00:00:aa:02 dst 192.168.0.7 dev vxlan0
bridge -n h1 fdb show dev vxlan0
ip -n h1 link del vxlan1
ip -n h1 link show vxlan1
