# DNAT variants: to an address and port range (the first port of the range
# is taken when nothing clashes), in nat OUTPUT for the host's own
# connections, and REDIRECT of local traffic; conntrack shows each mapping,
# the server sees the original client. Client ports are fixed (nc -p).
ip netns add b
ip link add vb type veth peer name eth0 netns b
ip addr add 10.0.2.1/24 dev vb
ip link set vb up
ip link set lo up
ip -n b addr add 10.0.2.2/24 dev eth0
ip -n b link set eth0 up
ip -n b link set lo up
ip -n b route add default via 10.0.2.1
sleep 3
iptables -t nat -A OUTPUT -d 10.9.9.9 -p tcp --dport 80 -j DNAT --to-destination 10.0.2.2:8000-8001
iptables -t nat -A OUTPUT -d 10.9.9.10 -p tcp -j DNAT --to-destination 10.0.2.2
iptables -t nat -A OUTPUT -d 127.0.0.2 -p tcp --dport 81 -j REDIRECT --to-ports 9090
iptables -t nat -A OUTPUT -p udp --dport 53 -j DNAT --to-destination 10.0.2.2:5353 --random
iptables -t nat -L OUTPUT -n
iptables -t nat -S OUTPUT
ip route add 10.9.9.0/24 dev vb
ip netns exec b nc -l -p 8000 >s1.txt 2>&1 &
sleep 1
echo first | nc -N -p 40001 10.9.9.9 80
wait
cat s1.txt
ip netns exec b nc -l -p 8000 >s2.txt 2>&1 &
sleep 1
echo second | nc -N -p 40002 10.9.9.9 80
wait
cat s2.txt
ip netns exec b nc -l -p 22 >s3.txt 2>&1 &
sleep 1
echo third | nc -N -p 40003 10.9.9.10 22
wait
cat s3.txt
nc -l -p 9090 >s4.txt 2>&1 &
sleep 1
echo local | nc -N -p 40004 127.0.0.2 81
wait
cat s4.txt
ip netns exec b nc -u -l -W 1 -p 5353 >s5.txt 2>&1 &
sleep 1
echo query | nc -u -w 1 -p 40005 10.9.9.11 53
wait
cat s5.txt
conntrack -L -p tcp
conntrack -L -p udp
conntrack -L --dst-nat 10.0.2.2 -p tcp --orig-port-src 40003
iptables -t nat -L OUTPUT -n -v
