ip netns add c1
ip netns add c2
ip netns add out
ip link add eth0 type veth peer name sw0
ip link set sw0 netns out
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
ip netns exec out sysctl -qw net.ipv6.conf.sw0.disable_ipv6=1
ip link set eth0 address 02:00:00:00:00:e0
ip addr add 192.168.1.10/24 dev eth0
ip -n out addr add 192.168.1.1/24 dev sw0
ip link add link eth0 name iv1 type ipvlan mode l2
ip link add link eth0 name iv2 type ipvlan mode l2
ip -d link show iv1
ip link add link eth0 name iv3 type ipvlan mode l9
ip link add link eth0 name mv3 type macvlan
ip link set iv1 netns c1
ip link set iv2 netns c2
ip netns exec c1 sysctl -qw net.ipv6.conf.iv1.disable_ipv6=1
ip netns exec c2 sysctl -qw net.ipv6.conf.iv2.disable_ipv6=1
ip -n c1 addr add 192.168.1.21/24 dev iv1
ip -n c2 addr add 192.168.1.22/24 dev iv2
ip link set eth0 up
ip -n out link set sw0 up
ip -n c1 link set iv1 up
ip -n c2 link set iv2 up
sleep 1
ip -n c1 link show
ip netns exec c1 ping -c 1 192.168.1.22
ip netns exec c1 ping -c 1 192.168.1.1
ip -n c1 neigh
ip -n out neigh
ip link del eth0
sleep 1
ip -n c1 link show
