# conntrack -E: the event mask (-e), protocol and address filters, and the
# summary each listener prints on SIGTERM; NEW and UPDATE events of an
# ICMP echo and a UDP exchange (no DESTROY: entries outlive the listeners).
ip netns add c
ip link add eth0 type veth peer name eth0 netns c
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
sleep 3
conntrack -E -e FOO
conntrack -E -e NEW -p foo
conntrack -E -e NEW >new.txt 2>&1 &
conntrack -E -e UPDATE -p udp >upd.txt 2>&1 &
conntrack -E -s 10.0.0.1 -p icmp >icmp.txt 2>&1 &
conntrack -E -e NEW,UPDATE -d 10.0.0.9 >none.txt 2>&1 &
sleep 1
ip netns exec c ping -c 1 -e 900 10.0.0.2
(echo pong; sleep 4) | nc -u -l -q 1 -p 5000 >u.txt 2>&1 &
sleep 1
(echo ping; sleep 3; echo again) | ip netns exec c nc -u -q 1 -p 6000 10.0.0.2 5000 >uc.txt 2>&1 &
wait $!
cat uc.txt
kill %1 %2 %3 %4
wait
cat new.txt
cat upd.txt
cat icmp.txt
cat none.txt
