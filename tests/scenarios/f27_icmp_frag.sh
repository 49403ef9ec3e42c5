# ICMP errors from a router: fragmentation needed (DF and a smaller MTU
# beyond the router), port unreachable (seen by tcpdump), net unreachable;
# and the local "message too long" of ping -M do.
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name vra
ip link add vb type veth peer name vrb
ip link set va netns a
ip link set vra netns r
ip link set vb netns b
ip link set vrb netns r
ip -n a addr add 10.0.1.1/24 dev va
ip -n r addr add 10.0.1.254/24 dev vra
ip -n r addr add 10.0.2.254/24 dev vrb
ip -n b addr add 10.0.2.1/24 dev vb
ip -n r link set vrb mtu 1300
ip -n b link set vb mtu 1300
ip -n a link set lo up
ip -n a link set va up
ip -n r link set vra up
ip -n r link set vrb up
ip -n b link set vb up
ip -n a route add default via 10.0.1.254
ip -n b route add default via 10.0.2.254
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
sleep 3
ip netns exec a ping -c 1 -s 1200 10.0.2.1
ip netns exec a ping -c 1 -M do -s 1400 10.0.2.1
ip netns exec a ping -c 1 -M dont -s 1400 10.0.2.1
ip netns exec a ping -c 1 -M do -s 1473 10.0.1.254
ip netns exec a ping -c 1 -M do -s 1472 10.0.1.254
ip netns exec a tcpdump -i va -n -c 2 icmp > cap.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 -W 1 10.0.3.1
wait
cat cap.txt
ip netns exec a tcpdump -i va -n -c 2 udp or icmp > cap2.txt 2>&1 &
sleep 1
echo hi | ip netns exec a nc -u -w 1 10.0.2.1 9999
wait
cat cap2.txt
