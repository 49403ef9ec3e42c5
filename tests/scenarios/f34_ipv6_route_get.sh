# ip -6 route get: local, connected, through a gateway (and its metric),
# link-local with and without a device, groups, error routes, no route.
ip netns add a
ip netns add r
ip link add va type veth peer name ra
ip link set va netns a
ip link set ra netns r
ip -n a link set va address 02:00:00:00:00:0a
ip -n r link set ra address 02:00:00:00:00:01
ip -n a link set lo up
ip -n r link set lo up
ip -n a addr add fd00:1::2/64 dev va
ip -n a link set va up
ip -n r addr add fd00:1::1/64 dev ra
ip -n r link set ra up
sleep 3
ip -n a -6 route add default via fd00:1::1
ip -n a -6 route add fd00:7::/64 via fd00:1::1 metric 10
ip -n a -6 route add unreachable fd00:5::/64
ip -n a -6 route add prohibit fd00:6::/64
ip -n a -6 route add blackhole fd00:8::/64
ip -n a -6 route get fd00:1::2
ip -n a -6 route get fd00:1::1
ip -n a -6 route get fd00:2::2
ip -n a -6 route get fd00:7::1
ip -n a -6 route get fd00:5::1
ip -n a -6 route get fd00:6::1
ip -n a -6 route get fd00:8::1
ip -n a -6 route get fe80::1
ip -n a -6 route get fe80::1 oif va
ip -n a -6 route get ::1
ip -n a -6 route get fd00:2::2 from fd00:1::2
ip -n a -6 route get ff02::1
ip -n r -6 route get fd00:9::1
ip -n a -6 route del default
ip -n a -6 route get fd00:2::2
ip -n a -6 route del default
ip -n a -6 route del fd00:7::/64 via fd00:1::1 metric 11
ip -n a -6 route del fd00:7::/64 via fd00:1::1 metric 10
ip -n a -6 route
