# NAT targets on a router: NETMAP (a whole prefix), SNAT into a port range
# (a clash takes the next free port, a full range drops the flow), REDIRECT
# to a local port, MASQUERADE --to-ports; conntrack's reply tuples and
# tcpdump on the far side show the mappings. Source ports are fixed (nc -p).
ip netns add a
ip netns add b
ip link add va type veth peer name eth0 netns a
ip link add vb type veth peer name eth0 netns b
ip addr add 10.0.1.1/24 dev va
ip addr add 10.0.2.1/24 dev vb
ip link set va up
ip link set vb up
ip link set lo up
ip -n a addr add 10.0.1.2/24 dev eth0
ip -n a addr add 10.0.1.3/24 dev eth0
ip -n a addr add 10.0.1.4/24 dev eth0
ip -n b addr add 10.0.2.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
ip -n b link set lo up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
sysctl -w net.ipv4.ip_forward=1
sleep 3
# NETMAP: 10.9.2.0/24 stands for 10.0.2.0/24.
iptables -t nat -A PREROUTING -i va -d 10.9.2.0/24 -j NETMAP --to 10.0.2.0/24
ip netns exec b tcpdump -nn -i eth0 -c 2 icmp >cap1.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 -e 300 10.9.2.2
wait
cat cap1.txt
conntrack -L -p icmp
# SNAT into 10.0.2.1:7000-7001 (b drops the datagrams: no replies).
ip netns exec b iptables -A INPUT -p udp --dport 9000 -j DROP
iptables -t nat -A POSTROUTING -o vb -p udp -j SNAT --to-source 10.0.2.1:7000-7001
ip netns exec b tcpdump -nn -i eth0 -c 2 udp >cap2.txt 2>&1 &
sleep 1
echo one | ip netns exec a nc -u -w 1 -s 10.0.1.2 -p 7000 10.0.2.2 9000
echo two | ip netns exec a nc -u -w 1 -s 10.0.1.3 -p 7000 10.0.2.2 9000
echo three | ip netns exec a nc -u -w 1 -s 10.0.1.4 -p 7000 10.0.2.2 9000
wait
cat cap2.txt
conntrack -L -p udp
iptables -t nat -L POSTROUTING -n -v
# REDIRECT: TCP to port 80 anywhere lands on the router's port 5555.
iptables -t nat -A PREROUTING -i va -p tcp --dport 80 -j REDIRECT --to-ports 5555
nc -l -p 5555 >r.txt 2>&1 &
sleep 1
echo redirected | ip netns exec a nc -N -p 40100 10.0.2.2 80
wait
cat r.txt
conntrack -L -p tcp --orig-port-src 40100
# MASQUERADE --to-ports: TCP leaves with source port 6000.
iptables -t nat -A POSTROUTING -o vb -p tcp -j MASQUERADE --to-ports 6000
ip netns exec b nc -l -p 8080 >m.txt 2>&1 &
sleep 1
echo masqueraded | ip netns exec a nc -N -p 40200 10.0.2.2 8080
wait
cat m.txt
conntrack -L -p tcp --orig-port-src 40200
iptables -t nat -L -n -v
iptables-save -t nat
