# Seed 000 §2.3 (DNAT): host2 reaches a TCP server in myspace through
# host1's 192.168.1.32:8080. Same network as n01_seed000 (host2 is a namespace
# behind host1's eth0), with the seed's steps 1-9 (FORWARD policy DROP).
# The client's source port is fixed (-p) so conntrack and tcpdump show the
# same ports on every run; captures use -q (TCP sequence numbers and
# timestamps are random). tcpdump is stopped with kill after `sleep 2`: it
# reads packets in blocks that are handed over up to 1 s late.
ip netns add host2
ip link add eth0 type veth peer name eth0 netns host2
ip addr add 192.168.1.32/24 dev eth0
ip link set eth0 up
ip -n host2 addr add 192.168.1.15/24 dev eth0
ip -n host2 addr add 192.168.1.1/24 dev eth0
ip -n host2 link set eth0 up
ip -n host2 link set lo up
ip route add default via 192.168.1.1
ip netns add myspace
ip link add veth1 type veth peer name veth2
ip link set veth2 netns myspace
ifconfig veth1 192.168.45.2 netmask 255.255.255.0 up
ip netns exec myspace ifconfig veth2 192.168.45.3 netmask 255.255.255.0 up
ip netns exec myspace route add default gw 192.168.45.2
echo 1 > /proc/sys/net/ipv4/ip_forward
iptables -t nat -A POSTROUTING -s 192.168.45.0/24 -o eth0 -j MASQUERADE
iptables -P FORWARD DROP
iptables -t filter -A FORWARD -i eth0 -o veth1 -j ACCEPT
iptables -t filter -A FORWARD -o eth0 -i veth1 -j ACCEPT
sleep 3
# Without DNAT nothing listens on host1:8080: the connection is refused.
echo hello | ip netns exec host2 nc -N -w 2 -p 40000 192.168.1.32 8080
conntrack -L
# §2.3: the DNAT rule.
iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.45.3:80
iptables -t nat -L PREROUTING -n -v
ip netns exec myspace nc -l -p 80 >server.txt 2>&1 &
tcpdump -nn -q -i eth0 tcp >cap1.txt 2>&1 &
tcpdump -nn -q -i veth1 tcp >cap2.txt 2>&1 &
sleep 1
echo hello | ip netns exec host2 nc -N -w 2 -p 40001 192.168.1.32 8080
sleep 2
kill %2 %3
wait
cat server.txt
cat cap1.txt
cat cap2.txt
conntrack -L
conntrack -L -p tcp --dport 8080
iptables -t nat -L -n -v
iptables -L FORWARD -n -v
iptables-save -t nat
