ip netns add c1
ip netns add c2
ip netns add out
ip link add eth0 type veth peer name sw0
ip link set sw0 netns out
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
ip netns exec out sysctl -qw net.ipv6.conf.sw0.disable_ipv6=1
ip link set eth0 address 02:00:00:00:00:e0
ip -n out link set sw0 address 02:00:00:00:00:f0
ip addr add 192.168.1.10/24 dev eth0
ip -n out addr add 192.168.1.1/24 dev sw0
ip link set eth0 up
ip -n out link set sw0 up
ip -n out route add 10.1.1.0/24 via 192.168.1.10
ip link add link eth0 name iv1 type ipvlan
ip link add link eth0 name iv2 type ipvlan mode l3
ip -d link show iv1
ip link set iv1 netns c1
ip link set iv2 netns c2
ip netns exec c1 sysctl -qw net.ipv6.conf.iv1.disable_ipv6=1
ip netns exec c2 sysctl -qw net.ipv6.conf.iv2.disable_ipv6=1
ip -n c1 addr add 10.1.1.1/24 dev iv1
ip -n c2 addr add 10.1.1.2/24 dev iv2
ip -n c1 link set iv1 up
ip -n c2 link set iv2 up
ip -n c1 route add default dev iv1
ip -n c2 route add default dev iv2
ip -n c1 link show iv1
ip netns exec c1 ping -c 1 10.1.1.2
ip netns exec out tcpdump -eni sw0 -c 2 icmp >cap.txt 2>&1 &
sleep 1
ip netns exec c1 ping -c 1 192.168.1.1
wait
cat cap.txt
ip -n c1 neigh
ip -n out neigh
iptables -t nat -A POSTROUTING -s 10.1.1.0/24 -o eth0 -j MASQUERADE
ip netns exec out tcpdump -ni sw0 -c 2 icmp >cap2.txt 2>&1 &
sleep 1
ip netns exec c2 ping -c 1 192.168.1.1
wait
cat cap2.txt
iptables -t nat -F
iptables -t mangle -A PREROUTING -d 10.1.1.2
ip netns exec out ping -c 1 10.1.1.2
iptables -t mangle -L PREROUTING -v -n -x
ip link add link eth0 name iv3 type ipvlan mode l3s
ip -n c1 -d link show iv1
ip netns exec out ping -c 1 10.1.1.2
iptables -t mangle -L PREROUTING -v -n -x
ip -n c2 -s link show iv2
iptables -t nat -A POSTROUTING -s 10.1.1.0/24 -o eth0 -j MASQUERADE
ip netns exec c2 ping -c 1 192.168.1.1
