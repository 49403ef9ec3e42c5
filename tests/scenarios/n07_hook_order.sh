# Which chains a packet traverses: a counting rule (no target) in every
# builtin chain of raw, mangle, nat and filter on a router, then pings each
# way (to the router itself, through it, from it), and each table's
# counters. The nat chains are traversed only when conntrack is on in the
# namespace (a rule needing it: here the usual INVALID drop), and then only
# by the first packet of a connection. Chain policy counters count only
# after the chain has been zeroed (iptables -Z) or its policy set.
ip netns add a
ip netns add b
ip link add va type veth peer name eth0 netns a
ip link add vb type veth peer name eth0 netns b
ip addr add 10.0.1.1/24 dev va
ip addr add 10.0.2.1/24 dev vb
ip link set va up
ip link set vb up
ip -n a addr add 10.0.1.2/24 dev eth0
ip -n b addr add 10.0.2.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
sysctl -w net.ipv4.ip_forward=1
iptables -t raw -A PREROUTING
iptables -t raw -A OUTPUT
iptables -t mangle -A PREROUTING
iptables -t mangle -A INPUT
iptables -t mangle -A FORWARD
iptables -t mangle -A OUTPUT
iptables -t mangle -A POSTROUTING
iptables -t nat -A PREROUTING
iptables -t nat -A INPUT
iptables -t nat -A OUTPUT
iptables -t nat -A POSTROUTING
iptables -t filter -A INPUT
iptables -t filter -A FORWARD
iptables -t filter -A OUTPUT
iptables -t mangle -S
iptables-save
sleep 3
# No rule needs conntrack yet: the nat chains see nothing.
ip netns exec a ping -c 2 -i 0.2 10.0.2.2
iptables -t nat -L -n -v -x
iptables -t filter -L -n -v -x
conntrack -L
iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
for t in raw mangle nat filter; do iptables -t $t -Z; done
# Local in (and the reply, local out).
ip netns exec a ping -c 2 -i 0.2 10.0.1.1
iptables -t raw -L -n -v -x
iptables -t mangle -L -n -v -x
iptables -t nat -L -n -v -x
iptables -t filter -L -n -v -x
for t in raw mangle nat filter; do iptables -t $t -Z; done
# Forwarded, both directions.
ip netns exec a ping -c 2 -i 0.2 10.0.2.2
iptables -t raw -L -n -v -x
iptables -t mangle -L -n -v -x
iptables -t nat -L -n -v -x
iptables -t filter -L -n -v -x
for t in raw mangle nat filter; do iptables -t $t -Z; done
# Local out (and the reply, local in).
ping -c 2 -i 0.2 10.0.2.2
iptables -t raw -L -n -v -x
iptables -t mangle -L -n -v -x
iptables -t nat -L -n -v -x
iptables -t filter -L -n -v -x
conntrack -L
