ip netns add a
ip netns add r
ip netns add b
ip link add va netns a type veth peer name ra netns r
ip link add vb netns b type veth peer name rb netns r
ip netns exec a ip addr add 10.0.1.2/24 dev va
ip netns exec r ip addr add 10.0.1.1/24 dev ra
ip netns exec r ip addr add 10.0.2.1/24 dev rb
ip netns exec b ip addr add 10.0.2.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec r ip link set ra up
ip netns exec r ip link set rb up
ip netns exec b ip link set vb up
ip netns exec a ip route add default via 10.0.1.1
ip netns exec b ip route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec a ping -c 2 -i 0.2 10.0.2.2 >/dev/null
ip netns exec a ping -c 1 -W 1 10.0.3.3 >/dev/null
ip netns exec a ping -c 1 -t 1 10.0.2.2 >/dev/null
sleep 2
ip netns exec r cat /proc/net/snmp
ip netns exec a cat /proc/net/snmp
ip netns exec r cat /proc/net/arp
ip netns exec a cat /proc/net/route
