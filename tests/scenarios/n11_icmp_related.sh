# ICMP errors through MASQUERADE: a UDP datagram to a closed port and a
# TCP SYN answered with an ICMP REJECT come back as port/host unreachable
# errors, RELATED to their connection; the router rewrites the outer
# destination and the quoted header back to the client's address (tcpdump
# -v on both sides for UDP). A ping with TTL 1 gets Time to live exceeded.
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
ip -n b link set lo up
ip -n a route add default via 10.0.1.1
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o vb -j MASQUERADE
iptables -A FORWARD -m conntrack --ctstate NEW
iptables -A FORWARD -m conntrack --ctstate ESTABLISHED
iptables -A FORWARD -m conntrack --ctstate RELATED
iptables -A FORWARD -p icmp -m conntrack --ctstate RELATED --ctproto udp
ip netns exec b iptables -A INPUT -p tcp --dport 81 -j REJECT --reject-with icmp-host-unreachable
sleep 3
ip netns exec a tcpdump -nn -v -i eth0 -c 2 udp or icmp >capa.txt 2>&1 &
ip netns exec b tcpdump -nn -v -i eth0 -c 2 udp or icmp >capb.txt 2>&1 &
sleep 1
echo hi | ip netns exec a nc -u -w 1 -p 7000 10.0.2.2 9999
echo $?
wait
cat capa.txt
cat capb.txt
# TCP without -v: locally sent segments carry a partial checksum on veth.
ip netns exec a tcpdump -nn -i eth0 -c 2 tcp or icmp >capc.txt 2>&1 &
sleep 1
ip netns exec a nc -v -w 1 -p 7001 10.0.2.2 81
echo $?
wait
cat capc.txt
conntrack -L
iptables -L FORWARD -n -v
iptables -t nat -L POSTROUTING -n -v
ip netns exec a ping -c 1 -t 1 -e 400 10.0.2.2
ip netns exec a ping -c 1 -t 2 -e 401 10.0.2.2
conntrack -L -p icmp
