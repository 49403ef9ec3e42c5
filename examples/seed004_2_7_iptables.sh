# Seed 004 §2.7: a firewall rule and its listings.
ip link add eth0 type veth peer name peer0
iptables -A INPUT -i eth0 -p icmp -j ACCEPT
iptables -L
iptables -L -n -v
iptables -S
iptables-save
