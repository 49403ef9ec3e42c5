# Seed 004 §2.7 (iptables): the rule `iptables -A INPUT -i eth0 -p icmp -j
# ACCEPT` in a fresh namespace that has an eth0, and its listings. Also what
# a listing does to a ruleset that is still empty (iptables-nft creates the
# table and its builtin chains only when asked to change something).
ip netns add peer
ip link add eth0 type veth peer name eth0 netns peer
ip addr add 10.1.1.1/24 dev eth0
ip link set eth0 up
ip -n peer addr add 10.1.1.2/24 dev eth0
ip -n peer link set eth0 up
sleep 3
iptables-save
iptables -L
iptables-save
iptables -A INPUT -i eth0 -p icmp -j ACCEPT
iptables -L
iptables -L -n -v
iptables -S
iptables -S INPUT
iptables-save
ip netns exec peer ping -c 2 -i 0.2 10.1.1.1
iptables -L -n -v
iptables -L INPUT -n -v -x --line-numbers
iptables -L INPUT -v
iptables-save -c
iptables -Z
iptables -L INPUT -n -v
iptables -A INPUT -i eth0 -p tcp --dport 22 -j ACCEPT
iptables -I INPUT 1 -s 10.1.1.0/24 -j DROP
iptables -L INPUT -n --line-numbers
iptables -S
ip netns exec peer ping -c 1 -W 1 10.1.1.1
iptables -L INPUT -n -v
iptables -D INPUT 1
iptables -D INPUT -i eth0 -p tcp --dport 22 -j ACCEPT
iptables -S
iptables -D INPUT -i eth0 -p tcp --dport 22 -j ACCEPT
iptables -A INPUT -i eth0 -p icmpx -j ACCEPT
iptables -A INPUTX -j ACCEPT
iptables -L FOO
iptables -F
iptables -S
iptables-save
