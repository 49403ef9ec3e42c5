# Two namespaces behind one MASQUERADE --to-ports 5000-5001 connect from
# the same source port to the same server while both connections are open:
# the first keeps 5000, the second (its mapping would clash) gets 5001, a
# third flow finds the range used up and is dropped (the kernel would
# evict a TIME_WAIT entry for it, so the first two are still open then).
# conntrack and tcpdump show the mapped ports.
ip netns add srv
ip netns add ns1
ip netns add ns2
ip link add eth0 type veth peer name eth0 netns srv
ip link add v1 type veth peer name eth0 netns ns1
ip link add v2 type veth peer name eth0 netns ns2
ip addr add 192.168.1.32/24 dev eth0
ip addr add 10.0.1.1/24 dev v1
ip addr add 10.0.2.1/24 dev v2
ip link set eth0 up
ip link set v1 up
ip link set v2 up
ip -n srv addr add 192.168.1.15/24 dev eth0
ip -n ns1 addr add 10.0.1.2/24 dev eth0
ip -n ns1 addr add 10.0.1.3/24 dev eth0
ip -n ns2 addr add 10.0.2.2/24 dev eth0
ip -n srv link set eth0 up
ip -n ns1 link set eth0 up
ip -n ns2 link set eth0 up
ip -n srv link set lo up
ip -n ns1 route add default via 10.0.1.1
ip -n ns2 route add default via 10.0.2.1
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 5000-5001
sleep 3
tcpdump -nn -q -i eth0 'tcp[tcpflags] == tcp-syn' >cap.txt 2>&1 &
ip netns exec srv nc -l -k -p 80 >srv.txt 2>&1 &
sleep 1
(echo one; sleep 6) | ip netns exec ns1 nc -N -p 5000 192.168.1.15 80 >c1.txt 2>&1 &
sleep 1
(echo two; sleep 5) | ip netns exec ns2 nc -N -p 5000 192.168.1.15 80 >c2.txt 2>&1 &
sleep 1
echo three | ip netns exec ns1 nc -v -N -w 2 -s 10.0.1.3 -p 5000 192.168.1.15 80
echo $?
conntrack -L -p tcp
conntrack -L -p tcp --reply-port-dst 5001
iptables -t nat -L POSTROUTING -n -v
wait %3 %4
sleep 1
conntrack -L -p tcp --state TIME_WAIT
kill %1 %2
wait
cat srv.txt
cat cap.txt
