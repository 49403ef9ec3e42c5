# Two tenants with the same 10.0.0.0/24 on one router, each in its own
# VRF; tenant blue also has a second subnet the router forwards to.
ip netns add r
ip netns add a1
ip netns add a2
ip netns add b1
ip -n r link add blue type vrf
ip -n r link add blue type vrf table 0
ip -n r link add blue type vrf table 10 bogus
ip -n r link add blue type vrf table 10
ip -n r link add red type vrf table 20
ip -n r rule
ip -n r -6 rule
ip -n r link set blue up
ip -n r link set red up
ip -n r link add ra address 02:00:00:00:0a:01 type veth peer name eth0 netns a1 address 02:00:00:00:0a:02
ip -n r link add ra2 address 02:00:00:00:0a:11 type veth peer name eth0 netns a2 address 02:00:00:00:0a:12
ip -n r link add rb address 02:00:00:00:0b:01 type veth peer name eth0 netns b1 address 02:00:00:00:0b:02
ip -n r addr add 10.0.0.1/24 dev ra
ip -n r addr add 10.1.0.1/24 dev ra2
ip -n r addr add 10.0.0.1/24 dev rb
for d in ra ra2 rb; do ip -n r link set $d up; done
ip -n r route show table local
ip -n r link set ra master blue
ip -n r link set ra2 master blue
ip -n r link set rb master red
ip -n r link set blue master red
ip -n r addr add 2001:db8:a::1/64 dev ra nodad
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
for n in a1 a2 b1; do ip -n $n link set lo up; ip -n $n link set eth0 up; done
ip -n a1 addr add 10.0.0.2/24 dev eth0
ip -n a1 addr add 2001:db8:a::2/64 dev eth0 nodad
ip -n a2 addr add 10.1.0.2/24 dev eth0
ip -n b1 addr add 10.0.0.2/24 dev eth0
ip -n a1 route add default via 10.0.0.1
ip -n a2 route add default via 10.1.0.1
sleep 2
ip -n r route
ip -n r route show table local
ip -n r route show vrf blue
ip -n r route show table 20
ip -n r -6 route show vrf blue
ip -n r vrf
ip -n r vrf show red
ip -n r link show type vrf
ip -n r link show vrf blue
ip -n r -d link show blue
ip -n r -d link show rb
ip -n r route get 10.0.0.2 vrf blue
ip -n r route get 10.0.0.2
ip netns exec r ip vrf exec blue ping -c 1 10.0.0.2
ip netns exec r ip vrf exec red ping -c 1 10.0.0.2
ip netns exec r ip vrf exec blue ping -c 1 2001:db8:a::2
ip netns exec r ip vrf exec blue ip vrf identify
ip netns exec r ip vrf exec nosuch true
ip netns exec r ping -c 1 10.0.0.2
ip netns exec a1 ping -c 1 10.1.0.2
ip netns exec b1 ping -c 1 10.0.0.1
ip netns exec b1 ping -c 1 -W 1 10.1.0.2
ip -n r neigh
ip -n r route show vrf nosuch
ip -n r link set ra nomaster
ip -n r route show vrf blue
ip -n r route show table local
ip -n r link del red
ip -n r -d link show rb
ip -n r route show table local
