# REJECT in FORWARD on a router: ICMP errors come from the router's address
# towards the client, tcp-reset from the server's address (the RST is
# forged for it); ping, nc and tcpdump on the client's side.
ip netns add a
ip netns add b
ip link add va type veth peer name eth0 netns a
ip link add vb type veth peer name eth0 netns b
ip addr add 10.0.1.1/24 dev va
ip addr add 10.0.2.1/24 dev vb
ip link set va up
ip link set vb up
ip -n a addr add 10.0.1.2/24 dev eth0
ip -n b addr add 10.0.2.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
ip -n a link set lo up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
sysctl -w net.ipv4.ip_forward=1
sysctl -w net.ipv4.icmp_ratelimit=0
iptables -A FORWARD -p icmp -j REJECT --reject-with icmp-host-prohibited
iptables -A FORWARD -p tcp --dport 80 -j REJECT --reject-with tcp-reset
iptables -A FORWARD -p tcp --dport 81 -j REJECT
iptables -A FORWARD -p udp -j REJECT --reject-with icmp-net-unreachable
sleep 3
ip netns exec a tcpdump -nn -i eth0 -c 10 not ip6 >cap.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 -s 0 -e 500 10.0.2.2
ip netns exec a nc -v -w 1 -p 7000 10.0.2.2 80
ip netns exec a nc -v -w 1 -p 7001 10.0.2.2 81
echo hi | ip netns exec a nc -u -w 1 -p 7002 10.0.2.2 53
wait
cat cap.txt
iptables -L FORWARD -n -v
iptables -R FORWARD 1 -p icmp -j REJECT --reject-with icmp-net-unreachable
ip netns exec a ping -c 1 -s 0 -e 501 10.0.2.2
iptables -R FORWARD 1 -p icmp -j REJECT --reject-with icmp-admin-prohibited
ip netns exec a ping -c 1 -s 0 -e 502 10.0.2.2
iptables -R FORWARD 1 -p icmp -j REJECT --reject-with icmp-port-unreachable
ip netns exec a ping -c 1 -s 0 -e 503 10.0.2.2
ip netns exec b ping -c 1 -s 0 -e 504 10.0.1.2
iptables -L FORWARD -n -v
