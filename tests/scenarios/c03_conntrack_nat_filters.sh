# conntrack(8) beyond listing: the NAT filters with and without an
# address, entries created and updated by hand (-I, -U), the xml output
# and the per-CPU statistics. A SNAT router between two namespaces gives
# NATed entries; pings with fixed ids make them stable.
ip netns add a
ip netns add b
ip link add eth0 type veth peer name eth0 netns a
ip link add eth1 type veth peer name eth0 netns b
ip addr add 10.0.1.1/24 dev eth0
ip addr add 10.0.2.1/24 dev eth1
ip link set eth0 up
ip link set eth1 up
ip -n a addr add 10.0.1.2/24 dev eth0
ip -n a link set eth0 up
ip -n a route add default via 10.0.1.1
ip -n b addr add 10.0.2.2/24 dev eth0
ip -n b link set eth0 up
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o eth1 -j SNAT --to-source 10.0.2.1
iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 8080 -j DNAT --to-destination 10.0.1.2:80
sleep 3
ip netns exec a ping -c 1 -e 900 10.0.2.2
ip netns exec a ping -c 1 -e 901 10.0.1.1
conntrack -L -p icmp
conntrack -L --src-nat
conntrack -L --dst-nat
conntrack -L --src-nat 10.0.2.1
conntrack -L --src-nat 10.0.2.9
conntrack -L --dst-nat 10.0.2.2
conntrack -L -n
conntrack -L -g
conntrack -L -j
conntrack -L --any-nat
conntrack -L --any-nat 10.0.2.1
conntrack -I -p tcp -s 10.9.0.1 -d 10.9.0.2 --sport 1000 --dport 80 --state ESTABLISHED -t 100 -u ASSURED
conntrack -I -p udp -s 10.9.0.1 -d 10.9.0.2 --sport 53 --dport 53 -t 50
conntrack -I -p tcp -s 10.9.0.1 -d 10.9.0.2 --sport 1000 --dport 80 --state ESTABLISHED -t 100
conntrack -I -p tcp -s 10.9.0.1 -d 10.9.0.2 --sport 1001 --dport 80 -t 100
conntrack -I -p udp -s 10.9.0.1 -d 10.9.0.2 --sport 54 --dport 53
conntrack -L -p tcp
conntrack -L -p udp
conntrack -U -p tcp --sport 1000 -m 7
conntrack -U -p udp --mark 3
conntrack -U -s 10.99.0.1 -m 1
conntrack -L -p tcp -o extended
conntrack -L -m 3
conntrack -L -p udp -o xml
conntrack -L -o xml,id -p tcp
conntrack -L -p icmp -o xml
conntrack -I -p icmp -s 10.9.0.1 -d 10.9.0.2 --icmp-type 8 --icmp-code 0 --icmp-id 5 -t 30 -w 3 -m 0x10
conntrack -I -p udp -s 10.9.0.1 -d 10.9.0.3 --sport 5 --dport 6 -t 40 --src-nat 10.9.9.9
conntrack -I -p udp -s 10.9.0.1 -d 10.9.0.4 --sport 5 --dport 6 -t 40 --dst-nat 10.9.9.8
conntrack -I -p tcp --state SYN_SENT -t 30
conntrack -I -s 1.1.1.1 -d 2.2.2.2 -t 30
conntrack -L -w 3
conntrack -L -w 3 -o xml
conntrack -L --src-nat 10.9.9.9
conntrack -L --dst-nat 10.9.9.8 -o xml
conntrack -L -j 10.9.9.8
conntrack -C
conntrack -D -p udp
conntrack -D -p udp
conntrack -L -o xml -p udp
