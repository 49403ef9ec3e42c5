# ip route: add/del/replace/change/flush with via, dev, src, metric, proto,
# scope, table; blackhole/unreachable/prohibit/throw; listings.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v1
ip link set v0 up
ip link set v1 up
sleep 3
ip route
ip route add 10.1.0.0/16 via 10.0.0.254
ip route add 10.2.0.0/16 via 10.0.0.254 dev v0 metric 100
ip route add 10.3.0.0/16 dev v0 proto static
ip route add 10.4.0.0/16 via 10.0.0.254 src 10.0.0.1
ip route add 10.5.0.0/16 dev v0 scope link proto boot
ip route add 10.6.0.1 via 10.0.0.254
ip route add 10.7.0.0/16 dev v0 proto 42 metric 5
ip route add default via 10.0.0.254
ip route add blackhole 10.10.0.0/16
ip route add unreachable 10.11.0.0/16
ip route add prohibit 10.12.0.0/16
ip route add throw 10.13.0.0/16
ip route add 10.14.0.0/16 via 10.0.0.254 mtu 1400
ip route
ip -o route
ip -j route
ip -d route
ip route show 10.1.0.0/16
ip route show dev v0
ip route show proto static
ip route show type blackhole
ip route show scope link
ip route show root 10.0.0.0/8
ip route show match 10.1.2.3
ip route show exact 10.2.0.0/16
ip route list via 10.0.0.254
route -n
route -nee
route
ip route add 10.1.0.0/16 via 10.0.0.253
ip route add 10.1.0.0/16 via 10.0.0.253 metric 10
ip route replace 10.1.0.0/16 via 10.0.0.252
ip route change 10.2.0.0/16 via 10.0.0.251 dev v0 metric 100
ip route append 10.3.0.0/16 dev v1 proto static
ip route prepend 10.15.0.0/16 dev v1
ip route
ip route del 10.1.0.0/16 via 10.0.0.253 metric 10
ip route del 10.1.0.0/16
ip route del 10.4.0.0/16 via 10.0.0.254
ip route del default
ip route del blackhole 10.10.0.0/16
ip route delete 10.11.0.0/16
ip route
ip route add 10.20.0.0/16 via 10.0.0.254 table 100
ip route add default via 10.0.0.254 table 100
ip route add 10.21.0.0/16 dev v0 table main
ip route show table 100
ip route show table main
ip -4 route show table all
ip route flush table 100
ip route show table 100
ip route flush proto static
ip route
ip route flush dev v1
ip route
ip route flush 10.0.0.0/8
ip route
ip -6 route
ip -6 route add 2001:db8:1::/64 dev v0
ip -6 route add 2001:db8:2::/64 via fe80::1 dev v0
ip -6 route
ip route show table local
ip -4 route show table local
ip route show table local type local
ip route show table local dev v0
