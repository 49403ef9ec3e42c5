# TCP conntrack beyond the usual path: a refused connection (RST) leaves no
# entry; deleting the entry of an open connection makes the next segment
# start a new one picked up mid-stream (nf_conntrack_tcp_loose=1), not
# ASSURED until both sides have been seen; with tcp_loose=0 such a segment
# is INVALID.
ip netns add c
ip link add eth0 type veth peer name eth0 netns c
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip link set lo up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
ip -n c link set lo up
iptables -A INPUT -m conntrack --ctstate INVALID
iptables -A INPUT -m conntrack --ctstate NEW
iptables -A INPUT -m conntrack --ctstate ESTABLISHED
sleep 3
ip netns exec c nc -p 41000 10.0.0.2 70
conntrack -L -p tcp
nc -l -p 80 >srv.txt 2>&1 &
sleep 1
(echo one; sleep 2; echo two; sleep 2) | ip netns exec c nc -N -p 41001 10.0.0.2 80 >cli.txt 2>&1 &
sleep 1
conntrack -L -p tcp
conntrack -D -p tcp --dport 80
sleep 2
conntrack -L -p tcp
wait
sleep 1
conntrack -L -p tcp
cat srv.txt
iptables -L INPUT -n -v
iptables -Z INPUT
sysctl -w net.netfilter.nf_conntrack_tcp_loose=0
nc -l -p 81 >srv2.txt 2>&1 &
sleep 1
(echo three; sleep 2; echo four; sleep 2) | ip netns exec c nc -N -p 41002 10.0.0.2 81 >cli2.txt 2>&1 &
sleep 1
conntrack -D -p tcp --dport 81
sleep 2
conntrack -L -p tcp --dport 81
wait
sleep 1
cat srv2.txt
iptables -L INPUT -n -v
