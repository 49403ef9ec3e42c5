# IPv6 fragmentation and path MTU: a router's "packet too big" for a
# narrower next link, the source's path MTU cache, fragments as tcpdump
# shows them, reassembly at both ends, ping -M do's local error.
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
ip -n r link set rb mtu 1400
ip -n b link set vb mtu 1400
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
ip netns exec a ping -c 1 -s 1400 fd00:1::1
ip netns exec r tcpdump -n -i ra -c 6 ip6 and not icmp6[0] == 133 and not icmp6[0] == 135 and not icmp6[0] == 136 >cap.txt 2>&1 &
sleep 1
ip netns exec a ping -c 3 -s 1400 fd00:2::2
wait
cat cap.txt
ip netns exec a ping -c 1 -s 3000 fd00:1::1
ip netns exec a ping -c 1 -M do -s 1500 fd00:1::1
