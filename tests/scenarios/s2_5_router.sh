# Seed section 2.5 (Router): two subnets routed through the host namespace.
less /proc/sys/net/ipv4/ip_forward
echo "1" > /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_forward
ip link add tap1 type veth peer name tap1_peer
ip link add tap2 type veth peer name tap2_peer
ip netns add ns1
ip netns add ns2
ip link set tap1 netns ns1
ip link set tap2 netns ns2
ip addr add local 192.168.100.1/24 dev tap1_peer
ip addr add local 192.168.200.1/24 dev tap2_peer
ip netns exec ns1 ip addr add local 192.168.100.2/24 dev tap1
ip netns exec ns2 ip addr add local 192.168.200.2/24 dev tap2
ip link set tap1_peer up
ip link set tap2_peer up
ip netns exec ns1 ip link set tap1 up
ip netns exec ns2 ip link set tap2 up
sleep 3
ip route
route -n
ip addr
ip netns exec ns1 ping -c 2 192.168.200.2
ip netns exec ns1 route -nee
ip netns exec ns1 route add -net 192.168.200.0 netmask 255.255.255.0 gw 192.168.100.1
ip netns exec ns2 route add -net 192.168.100.0 netmask 255.255.255.0 gw 192.168.200.1
ip netns exec ns1 route -nee
ip netns exec ns1 ip route
ip netns exec ns1 ping -c 2 192.168.200.2
ip netns exec ns2 ping -c 2 192.168.100.2
ip neigh
ip netns exec ns1 ip neigh
