# Two namespaces behind one MASQUERADE ping host2 with the same ICMP id
# (ping -e fixes the id; without it the id is random for a raw socket).
# After SNAT both flows would have the same tuple (192.168.1.32, id 4242 ->
# host2), so NAT gives the second flow another id; conntrack shows the
# mapping in the reply tuple.
ip netns add host2
ip netns add ns1
ip netns add ns2
ip link add eth0 type veth peer name eth0 netns host2
ip link add v1 type veth peer name eth0 netns ns1
ip link add v2 type veth peer name eth0 netns ns2
ip addr add 192.168.1.32/24 dev eth0
ip addr add 10.0.1.1/24 dev v1
ip addr add 10.0.2.1/24 dev v2
ip link set eth0 up
ip link set v1 up
ip link set v2 up
ip -n host2 addr add 192.168.1.15/24 dev eth0
ip -n ns1 addr add 10.0.1.2/24 dev eth0
ip -n ns2 addr add 10.0.2.2/24 dev eth0
ip -n host2 link set eth0 up
ip -n ns1 link set eth0 up
ip -n ns2 link set eth0 up
ip -n ns1 route add default via 10.0.1.1
ip -n ns2 route add default via 10.0.2.1
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
sleep 3
tcpdump -ni eth0 -c 4 icmp >cap.txt 2>&1 &
sleep 1
ip netns exec ns1 ping -c 1 -e 4242 192.168.1.15
ip netns exec ns2 ping -c 1 -e 4242 192.168.1.15
wait
cat cap.txt
conntrack -L
conntrack -L -p icmp -s 10.0.2.2
conntrack -L -p icmp --reply-src 192.168.1.15
# The same id again from ns1 reuses its entry (same tuple, still in the table).
ip netns exec ns1 ping -c 1 -e 4242 192.168.1.15
conntrack -L -s 10.0.1.2
# A third flow with the same id, from the host itself (no NAT needed, but
# its tuple clashes with ns1's mapped one).
ping -c 1 -e 4242 192.168.1.15
conntrack -L
conntrack -C
iptables -t nat -L POSTROUTING -n -v
