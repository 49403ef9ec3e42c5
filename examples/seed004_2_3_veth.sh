# Seed 004 §2.3: a veth pair joining two namespaces.
ip link add tap1 type veth peer name tap2
ip netns add ns1
ip netns add ns2
ip link set tap1 netns ns1
ip link set tap2 netns ns2
ip netns exec ns1 ip addr add local 192.168.50.1/24 dev tap1
ip netns exec ns2 ip addr add local 192.168.50.2/24 dev tap2
ip netns exec ns1 ifconfig tap1 up
ip netns exec ns2 ifconfig tap2 up
ip netns exec ns2 ping 192.168.50.1
ip netns exec ns1 ping 192.168.50.2
