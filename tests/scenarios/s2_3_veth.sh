# Seed section 2.3 (veth pair): two namespaces joined by a veth pair.
ip link add tap1 type veth peer name tap2
ip link
ip -br link
ip netns add ns1
ip netns add ns2
ip netns list
ip link set tap1 netns ns1
ip link set tap2 netns ns2
ip link
ip netns list
ip netns exec ns1 ip link
ip netns exec ns1 ip addr add local 192.168.50.1/24 dev tap1
ip netns exec ns2 ip addr add local 192.168.50.2/24 dev tap2
ip netns exec ns1 ifconfig tap1 up
ip netns exec ns2 ifconfig tap2 up
sleep 3
ip netns exec ns1 ip addr
ip netns exec ns2 ip addr
ip netns exec ns1 ip -br addr
ip netns exec ns1 ip route
ip netns exec ns2 ping -c 2 192.168.50.1
ip netns exec ns1 ping -c 2 192.168.50.2
ip netns exec ns1 ip neigh
ip netns exec ns2 ip neigh
ip netns exec ns1 ifconfig -a
ip netns exec ns1 route -n
