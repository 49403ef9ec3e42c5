# Matches against real traffic: counting rules (no target) in INPUT for
# ttl, iprange, addrtype, pkttype, mac, comment, interface wildcards,
# multiport, --tcp-flags, --icmp-type names and numbers, limit, and `!`.
ip netns add c
ip link add eth0 type veth peer name eth0 netns c
ip -n c link set eth0 address 02:00:00:00:00:01
ip addr add 10.0.0.2/24 brd + dev eth0
ip link set eth0 up
ip -n c addr add 10.0.0.1/24 brd + dev eth0
ip -n c link set eth0 up
ip -n c link set lo up
sleep 3
iptables -A INPUT -p icmp --icmp-type echo-request -m ttl --ttl-eq 64 -m comment --comment "ttl 64"
iptables -A INPUT -p icmp -m ttl --ttl-lt 10
iptables -A INPUT -p icmp -m ttl ! --ttl-eq 64
iptables -A INPUT -p icmp --icmp-type 8/0
iptables -A INPUT -p icmp ! --icmp-type echo-request
iptables -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.1
iptables -A INPUT -m iprange ! --src-range 10.0.0.5-10.0.0.9
iptables -A INPUT -m iprange --dst-range 10.0.0.200-10.0.0.255
iptables -A INPUT -m addrtype --dst-type LOCAL
iptables -A INPUT -m addrtype --dst-type BROADCAST
iptables -A INPUT -m addrtype --src-type UNICAST
iptables -A INPUT -m pkttype --pkt-type broadcast
iptables -A INPUT -m pkttype --pkt-type unicast
iptables -A INPUT -m pkttype ! --pkt-type unicast
iptables -A INPUT -m mac --mac-source 02:00:00:00:00:01
iptables -A INPUT -m mac ! --mac-source 02:00:00:00:00:01
iptables -A INPUT -i eth+
iptables -A INPUT ! -i eth+
iptables -A INPUT -i et
iptables -A INPUT -p tcp -m multiport --dports 79,80:81
iptables -A INPUT -p tcp -m multiport --ports 81
iptables -A INPUT -p tcp -m multiport ! --dports 80
iptables -A INPUT -p tcp --syn
iptables -A INPUT -p tcp --tcp-flags SYN,ACK SYN
iptables -A INPUT -p tcp --tcp-flags ALL ACK
iptables -A INPUT -p tcp ! --tcp-flags SYN SYN
iptables -A INPUT -p tcp --dport 80:81
iptables -A INPUT -p icmp -m limit --limit 1/hour --limit-burst 2
iptables -A INPUT -p icmp -m limit --limit 1/hour
ip netns exec c ping -c 3 -i 0.2 10.0.0.2
ip netns exec c ping -c 2 -i 0.2 -t 5 10.0.0.2
ip netns exec c ping -c 1 -b 10.0.0.255
ip netns exec c nc -z 10.0.0.2 79-81
iptables -L INPUT -n -v -x --line-numbers
iptables -L INPUT -v
iptables -S INPUT
