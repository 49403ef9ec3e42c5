ip link add br0 type bridge
ip link add v0 type veth peer name v1
ip link set v1 master br0
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.1.1/24 dev br0
ip -6 addr add 2001:db8::1/64 dev v0 nodad
ip link set v0 up
ip link set v1 up
ip link set br0 up
ip route add 192.168.5.0/24 via 10.0.0.254
ip route add 10.9.9.9/32 dev v0 metric 5
ip route add unreachable 10.8.0.0/16
ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0
ip link add v2 type veth peer name v3
ip link set v2 mtu 1400
ip link set v2 alias test-alias
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.ipv6.conf.v0.forwarding=1
sleep 3
