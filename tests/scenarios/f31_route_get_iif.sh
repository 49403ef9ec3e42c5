# ip route get with from, iif, oif, tos and mark; forwarding off and on;
# source selection among several addresses.
ip link add v0 type veth peer name v1
ip link add v2 type veth peer name v3
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.5/24 dev v0
ip addr add 10.0.1.1/24 dev v2
ip link set v0 up
ip link set v1 up
ip link set v2 up
ip link set v3 up
sleep 3
ip route add 10.9.0.0/16 via 10.0.1.254
ip route add 10.8.0.0/16 via 10.0.0.254 src 10.0.0.5
ip route get 10.0.0.9
ip route get 10.0.0.9 from 10.0.0.5
ip route get 10.9.1.1
ip route get 10.9.1.1 from 10.0.0.1
ip route get 10.8.1.1
ip route get 10.8.1.1 from 10.0.0.1
ip route get 10.9.1.1 from 10.0.0.7 iif v0
ip route get 10.0.1.7 from 10.0.0.7 iif v0
ip route get 10.0.0.1 from 10.0.0.7 iif v0
ip route get 10.0.0.1 from 10.0.1.7 iif v2
sysctl -qw net.ipv4.ip_forward=1
ip route get 10.9.1.1 from 10.0.0.7 iif v0
ip route get 10.0.1.7 from 10.0.0.7 iif v0
ip route get 10.0.0.255 from 10.0.0.7 iif v0
ip route get 10.9.1.1 oif v0
ip route get 10.9.1.1 oif v2
ip route get 10.0.0.9 oif v2
ip route get 10.9.1.1 tos 0x10
ip route get 10.9.1.1 mark 5
ip route get 10.9.1.1 from 10.0.1.1 oif v2
ip -j route get 10.9.1.1 from 10.0.0.7 iif v0
ip route add prohibit 10.7.0.0/16
ip route get 10.7.0.1 from 10.0.0.7 iif v0
ip route add blackhole 10.6.0.0/16
ip route get 10.6.0.1 from 10.0.0.7 iif v0
ip route get 192.0.2.1 from 10.0.0.7 iif v0
