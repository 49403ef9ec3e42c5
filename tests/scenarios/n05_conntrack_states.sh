# conntrack states of UDP and TCP flows through a router (the host) with
# MASQUERADE: UNREPLIED, a reply seen, ASSURED, SYN_SENT, ESTABLISHED,
# TIME_WAIT; conntrack -L filters, -E events, -D, -F and their messages;
# the conntrack sysctls. Client ports are fixed with nc -p.
ip netns add c
ip netns add s
ip link add v1 type veth peer name eth0 netns c
ip link add eth0 type veth peer name eth0 netns s
ip addr add 10.0.1.1/24 dev v1
ip addr add 192.168.1.32/24 dev eth0
ip link set v1 up
ip link set eth0 up
ip -n c addr add 10.0.1.2/24 dev eth0
ip -n s addr add 192.168.1.15/24 dev eth0
ip -n c link set eth0 up
ip -n s link set eth0 up
ip -n c link set lo up
ip -n s link set lo up
ip -n c route add default via 10.0.1.1
sysctl -w net.ipv4.ip_forward=1
sysctl net.netfilter.nf_conntrack_udp_timeout
sysctl net.netfilter.nf_conntrack_udp_timeout_stream
sysctl net.netfilter.nf_conntrack_icmp_timeout
sysctl net.netfilter.nf_conntrack_tcp_timeout_syn_sent
sysctl net.netfilter.nf_conntrack_tcp_timeout_established
sysctl net.netfilter.nf_conntrack_tcp_timeout_time_wait
sysctl net.netfilter.nf_conntrack_generic_timeout
cat /proc/sys/net/netfilter/nf_conntrack_max
cat /proc/sys/net/netfilter/nf_conntrack_count
conntrack -L
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
sleep 3
conntrack -E >events.txt 2>&1 &
# UDP, no answer: UNREPLIED.
ip netns exec s nc -u -l -p 5000 >udp1.txt 2>&1 &
sleep 1
echo one | ip netns exec c nc -u -w 1 -p 6000 192.168.1.15 5000
conntrack -L -p udp
cat /proc/net/nf_conntrack
kill %2
# UDP with an answer (not yet ASSURED), then more traffic more than 2 s
# after the first packet: ASSURED, with the stream timeout.
(echo two; sleep 4) | ip netns exec s nc -u -l -q 1 -p 5001 >udp2.txt 2>&1 &
sleep 1
(echo ping; sleep 3; echo again) | ip netns exec c nc -u -q 1 -p 6001 192.168.1.15 5001 >udpc.txt 2>&1 &
sleep 1
conntrack -L -p udp --dport 5001
wait $!
cat udpc.txt
cat udp2.txt
conntrack -L -p udp --dport 5001
# TCP to a port where the server drops SYNs: SYN_SENT, UNREPLIED.
ip netns exec s iptables -A INPUT -p tcp --dport 81 -j DROP
ip netns exec c nc -w 1 -p 7000 192.168.1.15 81
conntrack -L -p tcp
# TCP to an open port: ESTABLISHED while open, TIME_WAIT after the close.
ip netns exec s nc -l -p 80 >tcp.txt 2>&1 &
sleep 1
(echo hello; sleep 2) | ip netns exec c nc -N -p 7001 192.168.1.15 80 >tcpc.txt 2>&1 &
sleep 1
conntrack -L -p tcp --dport 80
conntrack -L -p tcp --state ESTABLISHED
wait $!
sleep 1
cat tcp.txt
conntrack -L -p tcp --dport 80
conntrack -L -p tcp --state TIME_WAIT
conntrack -L -s 10.0.1.2 -p udp
conntrack -C
cat /proc/sys/net/netfilter/nf_conntrack_count
conntrack -L -p tcp -o extended
kill %1
wait
cat events.txt
conntrack -D -p tcp --dport 81
conntrack -D -p tcp --dport 81
conntrack -L
conntrack -F
conntrack -L
conntrack -C
