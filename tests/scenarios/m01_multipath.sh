# Multipath routes (ECMP), IPv4 and IPv6: add with weights, dev-only and
# onlink next hops, listings (plain, -o, -j, -d), append, replace, delete,
# a next hop whose device goes down, and the errors the tools print.
ip link add v0 type veth peer name v1
ip link add v2 type veth peer name v3
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.1.1/24 dev v2
ip -6 addr add 2001:db8:0::1/64 dev v0 nodad
ip -6 addr add 2001:db8:1::1/64 dev v2 nodad
ip link set v0 up
ip link set v1 up
ip link set v2 up
ip link set v3 up
sleep 3
ip route add 10.9.0.0/24 nexthop via 10.0.0.2 dev v0 weight 1 nexthop via 10.0.1.2 weight 2
ip route add 10.8.0.0/24 nexthop via 10.0.0.2 nexthop via 10.0.1.2
ip route add 10.7.0.0/24 nexthop dev v0 nexthop dev v2
ip route add 10.6.0.0/24 nexthop via 10.5.5.5 dev v0 onlink nexthop via 10.0.1.2 dev v2 weight 3
ip route add 10.5.0.0/24 metric 20 proto static nexthop via 10.0.0.2 nexthop via 10.0.1.2
ip route
ip -o route
ip -j route
ip -d route show 10.9.0.0/24
ip route show 10.9.0.0/24
ip route show dev v2
ip route show via 10.0.1.2
ip route get 10.9.0.1 > /dev/null; echo get $?
ip route add 10.9.0.0/24 nexthop via 10.0.0.2 nexthop via 10.0.1.2; echo add-again $?
ip route add 10.4.0.0/24 nexthop via 10.3.3.3 nexthop via 10.0.1.2; echo bad-gw $?
ip route add 10.4.0.0/24 nexthop via 10.0.0.2 weight 0; echo weight0 $?
ip route add 10.4.0.0/24 nexthop via 10.0.0.2 weight 257; echo weight257 $?
ip route add 10.3.0.0/24 nexthop via 10.0.0.2 weight 256 nexthop via 10.0.1.2 weight 1; echo weight256 $?
ip route show 10.3.0.0/24
ip route add 10.4.0.0/24 nexthop; echo empty $?
ip route add 10.4.0.0/24 nexthop via 10.0.0.2 dev nosuch; echo nodev $?
ip route add 10.4.0.0/24 nexthop via 10.0.0.2 bogus 1; echo garbage $?
ip route add 10.4.0.0/24 nexthop via 10.0.0.2
ip route show 10.4.0.0/24
ip route replace 10.4.0.0/24 nexthop via 10.0.0.2 weight 5 nexthop via 10.0.1.2 weight 7
ip route show 10.4.0.0/24
ip route replace 10.4.0.0/24 via 10.0.0.2
ip route show 10.4.0.0/24
ip route append 10.4.0.0/24 nexthop via 10.0.1.2 nexthop via 10.0.0.2
ip route show 10.4.0.0/24
ip route del 10.4.0.0/24 nexthop via 10.0.1.2 nexthop via 10.0.0.2; echo del-mp $?
ip route show 10.4.0.0/24
ip route del 10.8.0.0/24 via 10.0.0.2; echo del-via $?
ip route show 10.8.0.0/24
ip route del 10.8.0.0/24; echo del $?
ip route del 10.7.0.0/24 nexthop dev v2 nexthop dev v0; echo del-order $?
# IPv6: multipath add, append siblings, listings, delete one sibling.
ip -6 route add 2001:db8:9::/64 nexthop via 2001:db8::2 dev v0 weight 1 nexthop via 2001:db8:1::2 dev v2 weight 2
ip -6 route add 2001:db8:8::/64 via 2001:db8::2 dev v0
ip -6 route append 2001:db8:8::/64 via 2001:db8:1::2 dev v2
ip -6 route add 2001:db8:7::/64 via 2001:db8::2 dev v0
ip -6 route add 2001:db8:7::/64 via 2001:db8:1::2 dev v2; echo v6-add-second $?
ip -6 route prepend 2001:db8:7::/64 via 2001:db8:1::2 dev v2; echo v6-prepend $?
ip -6 route append 2001:db8:7::/64 dev v2; echo v6-append-devonly $?
ip -6 route add 2001:db8:6::/64 nexthop dev v0 nexthop dev v2; echo v6-devonly $?
ip -6 route
ip -6 -o route show 2001:db8:9::/64
ip -6 -j route show 2001:db8:9::/64
ip -6 -d route show 2001:db8:8::/64
ip -6 route get 2001:db8:9::1 > /dev/null; echo get6 $?
ip -6 route del 2001:db8:7::/64 via 2001:db8::2; echo v6-del-first $?
ip -6 route show 2001:db8:7::/64
ip -6 route del 2001:db8:8::/64 via 2001:db8:1::2; echo v6-del-one $?
ip -6 route show 2001:db8:8::/64
ip -6 route replace 2001:db8:8::/64 nexthop via 2001:db8::3 dev v0 nexthop via 2001:db8:1::3 dev v2
ip -6 route show 2001:db8:8::/64
ip -6 route del 2001:db8:9::/64; echo v6-del $?
ip -6 route show 2001:db8:9::/64
ip link set v3 down
sleep 1
ip route show 10.9.0.0/24
ip route show 10.6.0.0/24
ip link set v2 down
sleep 1
ip route
ip link set v2 up
ip link set v3 up
sleep 3
ip route show 10.9.0.0/24
ip -6 route show 2001:db8:8::/64
