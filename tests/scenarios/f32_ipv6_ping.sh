# IPv6 between namespaces: neighbour discovery, forwarding through a router
# namespace, ping -6/ping6 and iputils' texts for ICMPv6 errors (no route,
# address unreachable, hop limit), link-local scopes, error routes, and the
# neighbour and route tables this leaves.
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name ra
ip link add vb type veth peer name rb
ip link set va netns a
ip link set ra netns r
ip link set rb netns r
ip link set vb netns b
ip -n a link set va address 02:00:00:00:00:0a
ip -n r link set ra address 02:00:00:00:00:01
ip -n r link set rb address 02:00:00:00:00:02
ip -n b link set vb address 02:00:00:00:00:0b
ip -n a link set lo up
ip -n r link set lo up
ip -n b link set lo up
ip -n a addr add fd00:1::2/64 dev va
ip -n a link set va up
ip -n r addr add fd00:1::1/64 dev ra
ip -n r link set ra up
ip -n r addr add fd00:2::1/64 dev rb
ip -n r link set rb up
ip -n b addr add fd00:2::2/64 dev vb
ip -n b link set vb up
ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=1
ip -n a -6 route add default via fd00:1::1
ip -n b -6 route add default via fd00:2::1
sleep 3
ip netns exec a ping -c 2 fd00:1::1
ip netns exec a ping -6 -c 2 fd00:2::2
ip netns exec a ping6 -c 1 -I va fd00:2::2
ip netns exec a ping -c 1 -I fd00:1::2 fd00:2::2
ip netns exec a ping -c 1 fd00:3::2
ip netns exec a ping -c 1 -t 1 fd00:2::2
ip netns exec b ping -c 1 fd00:1::99
ip netns exec a ping -c 2 fd00:1::98
ip netns exec a ping -c 1 -W 1 fd00:1::97
ip netns exec a ping -c 1 ::1
ip netns exec a ping -c 1 fe80::ff:fe00:1%va
ip netns exec a ping -c 1 fe80::1
ip -n a -6 neigh
ip -n b -6 neigh show dev vb
ip -n a -6 route
ip -n a -6 route add fd00:8::/64 via fd00:7::1
ip -n a -6 route add unreachable fd00:5::/64
ip -n a -6 route add prohibit fd00:6::/64
ip -n a -6 route add fd00:9::/64 via fd00:1::1
ip netns exec a ping -c 1 fd00:5::1
ip netns exec a ping -c 1 fd00:6::1
ip -n a -6 route
ip netns exec a ping -c 1 fe80::1%nosuch
ip netns exec a ping -c 1 -I nosuch fd00:1::1
ip netns exec a ping -c 1 -I fd00:1::5 fd00:1::1
ip netns exec a ping -6 -c 1 localhost
ip netns exec a ping -6 -c 1 10.0.0.1
ip netns exec a ping -4 -c 1 ::1
ip netns exec b ping -c 1 fd00:1::2
ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=0
ip netns exec b ping -c 1 -W 1 fd00:1::2
