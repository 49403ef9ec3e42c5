# raw table: NOTRACK and CT --notrack in PREROUTING and OUTPUT. Untracked
# packets get no conntrack entry and match --ctstate UNTRACKED; an echo
# reply whose request was not tracked is not NEW (ICMP replies never start
# a connection) and matches no state. CT --zone puts entries in a zone.
ip netns add c
ip link add eth0 type veth peer name eth0 netns c
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
ip -n c link set lo up
iptables -A INPUT -m conntrack --ctstate UNTRACKED
iptables -A INPUT -m conntrack --ctstate NEW
iptables -A INPUT -m state --state ESTABLISHED
iptables -A INPUT -m conntrack --ctstate INVALID
iptables -A OUTPUT -m conntrack --ctstate UNTRACKED
iptables -A OUTPUT -m state --state ESTABLISHED,RELATED
iptables -A OUTPUT -m conntrack --ctstate NEW
iptables -A OUTPUT -m conntrack --ctstate INVALID
sleep 3
ip netns exec c ping -c 2 -i 0.2 -e 100 10.0.0.2
conntrack -L
iptables -L -n -v
iptables -Z
iptables -t raw -A PREROUTING -p icmp --icmp-type echo-request -j NOTRACK
ip netns exec c ping -c 2 -i 0.2 -e 101 10.0.0.2
conntrack -L -p icmp
iptables -L -n -v
iptables -Z
iptables -t raw -A OUTPUT -p icmp -j CT --notrack
ip netns exec c ping -c 2 -i 0.2 -e 102 10.0.0.2
ping -c 1 -e 103 10.0.0.1
conntrack -L -p icmp
iptables -L -n -v
iptables -t raw -L -n -v
iptables -t raw -S
iptables -t raw -F
iptables -Z
iptables -t raw -A PREROUTING -i eth0 -j CT --zone 7
ip netns exec c ping -c 1 -e 104 10.0.0.2
conntrack -L -p icmp
cat /proc/net/nf_conntrack
iptables -L INPUT -n -v
iptables-save -t raw
