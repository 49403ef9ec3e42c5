ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 10.1.0.1/16 dev v0
ip addr add 10.1.0.5/32 dev v0
ip addr add 192.0.2.1 peer 192.0.2.2 dev v1
ip -6 addr add 2001:db8::1/64 dev v0 nodad
ip route add default via 10.1.0.254 metric 100
ip route add 172.16.0.0/12 via 10.1.0.253 dev v0 mtu 1400
ip route add blackhole 10.99.0.0/16
ip route add prohibit 10.98.0.0/16 metric 7
ip route add 10.1.2.0/24 dev v0 src 10.1.0.5 table 100
ip -6 route add 2001:db8:1::/64 via 2001:db8::fe dev v0
ip -6 route add default via 2001:db8::ff metric 50
ip -6 route add blackhole 2001:db8:dead::/48
ip -6 route add unreachable 2001:db8:beef::/48
sleep 2
cat /proc/net/route
cat /proc/net/ipv6_route
