# ICMPv6 errors to a link-local sender go back out of the device its
# packet came in on (the router has fe80::/64 on two links).
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
ip netns exec a ping -c 1 -I fe80::ff:fe00:a%va fd00:3::2
ip netns exec a ping -c 1 -I fe80::ff:fe00:a%va fd00:2::2
ip netns exec b ping -c 1 -I fe80::ff:fe00:b%vb fd00:3::2
