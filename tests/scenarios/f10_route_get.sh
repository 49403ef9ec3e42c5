# ip route get for local, connected, gatewayed, broadcast, multicast,
# special-type and unroutable destinations.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v1
ip link set v0 up
ip link set v1 up
sleep 3
ip route add 10.1.0.0/16 via 10.0.0.254
ip route add 10.2.0.0/16 via 10.0.0.254 src 10.0.0.1
ip route add blackhole 10.10.0.0/16
ip route add unreachable 10.11.0.0/16
ip route add prohibit 10.12.0.0/16
ip route
ip route get 10.0.0.1
ip route get 10.0.0.2
ip route get 10.0.0.3
ip route get 10.0.0.255
ip route get 10.1.2.3
ip route get 10.2.2.3
ip route get 127.0.0.1
ip route get 127.1.2.3
ip route get 224.0.0.1
ip route get 255.255.255.255
ip route get 8.8.8.8
ip route get 10.10.0.1
ip route get 10.11.0.1
ip route get 10.12.0.1
ip route get 10.0.0.3 from 10.0.0.2
ip route get 10.0.0.3 oif v1
ip route get to 10.1.0.1 oif v0
ip route get 10.1.0.1 from 10.0.0.1
ip -j route get 10.1.2.3
ip -o route get 10.1.2.3
ip route get 10.0.0.0/24
ip route get nosuch
ip route add default via 10.0.0.254
ip route get 8.8.8.8
ip route get 0.0.0.0
ip -6 route get ::1
ip -6 route get 2001:db8::1
