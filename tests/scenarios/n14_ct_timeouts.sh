# net.netfilter.* conntrack timeouts: reading and setting them, bad
# values, and entries that expire after a shortened timeout (a listing no
# longer shows them).
ip netns add c
ip link add eth0 type veth peer name eth0 netns c
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
iptables -A INPUT -p tcp --dport 81 -j DROP
sysctl net.netfilter.nf_conntrack_icmp_timeout
sysctl -w net.netfilter.nf_conntrack_icmp_timeout=3
cat /proc/sys/net/netfilter/nf_conntrack_icmp_timeout
echo 4 > /proc/sys/net/netfilter/nf_conntrack_udp_timeout
sysctl net.netfilter.nf_conntrack_udp_timeout
sysctl -w net.netfilter.nf_conntrack_tcp_timeout_syn_sent=2
sysctl -w net.netfilter.nf_conntrack_udp_timeout=abc
sysctl -w net.netfilter.nf_conntrack_udp_timeout=-1
sysctl net.netfilter.nf_conntrack_udp_timeout
sysctl -w net.netfilter.nf_conntrack_nosuch=1
sysctl net.netfilter.nf_conntrack_tcp_loose net.netfilter.nf_conntrack_tcp_be_liberal net.netfilter.nf_conntrack_checksum
sleep 3
ip netns exec c ping -c 1 -e 600 10.0.0.2
echo x | ip netns exec c nc -u -w 1 -p 6000 10.0.0.2 9000
ip netns exec c nc -w 1 -p 6001 10.0.0.2 81
conntrack -L
sleep 2
conntrack -L
sleep 2
conntrack -L
conntrack -C
sysctl -w net.netfilter.nf_conntrack_icmp_timeout=30
ip netns exec c ping -c 1 -e 601 10.0.0.2
sleep 4
conntrack -L
cat /proc/net/nf_conntrack
