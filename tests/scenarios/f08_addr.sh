# ip addr: peer, brd +, label, secondaries, scope, del, flush; and how
# ifconfig and ip route see them.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v0
ip addr add 10.0.0.3/24 brd + dev v0 label v0:1
ip addr add 10.9.0.1/16 brd + dev v0
ip addr add 10.8.0.1/16 broadcast 10.8.255.254 dev v0
ip addr add 172.16.0.1 peer 172.16.0.2 dev v0
ip addr add 172.16.1.1/32 dev v0
ip addr add 192.0.2.1/24 scope link dev v0
ip addr add 198.51.100.1/24 scope host dev v0
ip addr add 2001:db8::1/64 dev v0
ip addr add 2001:db8:1::1/64 dev v0 nodad
ip addr show v0
ip -4 addr show v0
ip -6 addr show v0
ip -br addr show v0
ip -o addr show v0
ip -j addr show v0
ip addr show v0 label v0:1
ip addr show dev v0 scope link
ip addr show dev v0 secondary
ip addr show dev v0 primary
ip -4 addr show to 10.0.0.0/24
ip route
ip route show table local
ifconfig v0
ifconfig v0:1
ifconfig -a
ip link set v0 up
ip link set v1 up
sleep 3
ip addr show v0
ip route
ip -6 route
ip route show table local
ip addr del 10.0.0.2/24 dev v0
ip addr show v0
ip addr del 10.0.0.1/24 dev v0
ip -4 addr show v0
ip route
ip addr del 10.9.0.1 dev v0
ip -4 addr show v0
ip addr flush dev v0 label v0:1
ip -4 addr show v0
ip addr flush dev v0 scope host
ip -br addr show v0
ip -6 addr flush dev v0
ip addr show v0
ip addr flush dev v0
ip addr show v0
ip route
ip route show table local
ip addr add 10.5.0.1/8 dev v1
ip addr add 10.6.0.1/8 dev v1
ip addr add 10.7.0.1/8 dev v1
ip addr show v1
ip addr del 10.5.0.1/8 dev v1
ip addr show v1
ip addr flush dev v1
ip addr add 10.5.0.1/8 dev v1
ip addr replace 10.5.0.1/8 dev v1 label v1:x
ip addr change 10.5.0.1/8 dev v1 valid_lft 3600 preferred_lft 1800
ip addr show v1
ip addr add 127.0.0.2/8 dev lo
ip addr show lo
