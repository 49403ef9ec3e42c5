# ip route / route error cases: unreachable gateways, missing routes,
# unknown devices, bad prefixes and types.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip route add 10.1.0.0/16 via 10.0.0.254
ip link set v0 up
ip route add 10.1.0.0/16 via 10.9.9.9
ip route add 10.1.0.0/16 via 10.0.0.254 dev v1
ip route add 10.1.0.0/16 via 10.0.0.1
ip route add 10.1.0.0/16 dev nosuch
ip route add 10.1.0.0/33 via 10.0.0.254
ip route add 10.1.0.1/16 via 10.0.0.254
ip route add 10.1.0.0/16
ip route add 1.2.3 via 10.0.0.254
ip route add bogus via 10.0.0.254
ip route add 10.1.0.0/16 via 10.0.0.254
ip route add 10.1.0.0/16 via 10.0.0.254
ip route add 10.2.0.0/16 via 10.0.0.254 table bogus
ip route add 10.2.0.0/16 via 10.0.0.254 metric abc
ip route add 10.2.0.0/16 via 10.0.0.254 proto nosuchproto
ip route add 10.2.0.0/16 via 10.0.0.254 scope bogus
ip route add 10.2.0.0/16 via 10.0.0.254 src 10.9.9.9
ip route add 10.2.0.0/16 via 10.0.0.254 bogus
ip route add default via 10.0.0.254
ip route add default via 10.0.0.253
ip route del 10.9.0.0/16
ip route del 10.1.0.0/16 via 10.0.0.253
ip route del 10.1.0.0/16 dev v1
ip route del default via 10.0.0.253
ip route del 10.1.0.0/16 dev nosuch
ip route del blackhole 10.1.0.0/16
ip route delete bogus
ip route replace 10.3.0.0/16 via 10.9.9.9
ip route change 10.4.0.0/16 via 10.0.0.254
ip route show table nosuch
ip route show dev nosuch
ip route flush dev nosuch
ip route get 10.0.0.1 oif nosuch
ip route
route add -net 10.5.0.0 netmask 255.255.0.0 gw 10.9.9.9
route del -net 10.5.0.0 netmask 255.255.0.0
route add -net 10.5.0.0/33 gw 10.0.0.254
ip route
