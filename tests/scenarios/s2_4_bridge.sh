# Seed section 2.4 (Bridge): four namespaces on one bridge via veth pairs.
brctl
ip link add tap1 type veth peer name tap1_peer
ip link add tap2 type veth peer name tap2_peer
ip link add tap3 type veth peer name tap3_peer
ip link add tap4 type veth peer name tap4_peer
ip netns add ns1
ip netns add ns2
ip netns add ns3
ip netns add ns4
ip link set tap1 netns ns1
ip link set tap2 netns ns2
ip link set tap3 netns ns3
ip link set tap4 netns ns4
brctl addbr br1
# A bridge takes the lowest MAC of its ports, which is random on a real
# kernel; an explicitly set address stays, so the listings are deterministic.
ip link set br1 address 02:00:00:00:01:00
brctl show
brctl addif br1 tap1_peer
brctl addif br1 tap2_peer
brctl addif br1 tap3_peer
brctl addif br1 tap4_peer
brctl show
ip link
ip netns exec ns1 ip addr add local 192.168.50.1/24 dev tap1
ip netns exec ns2 ip addr add local 192.168.50.2/24 dev tap2
ip netns exec ns3 ip addr add local 192.168.50.3/24 dev tap3
ip netns exec ns4 ip addr add local 192.168.50.4/24 dev tap4
ip link set br1 up
ip link set tap1_peer up
ip link set tap2_peer up
ip link set tap3_peer up
ip link set tap4_peer up
ip netns exec ns1 ip link set tap1 up
ip netns exec ns2 ip link set tap2 up
ip netns exec ns3 ip link set tap3 up
ip netns exec ns4 ip link set tap4 up
sleep 3
ip link
ip -br link
ip addr
brctl show
bridge link
ip netns exec ns1 ping -c 2 192.168.50.2
ip netns exec ns4 ping -c 2 192.168.50.1
ip netns exec ns1 ip neigh
ip netns exec ns4 ip neigh
brctl showmacs br1
bridge fdb
ip netns list
