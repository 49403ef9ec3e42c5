# Seed 004 §2.6 with mode sit: IPv6 over IPv4 between two namespaces, on
# top of §2.5's routed topology (the host routes the outer IPv4 packets).
echo "1" > /proc/sys/net/ipv4/ip_forward
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
ip netns exec ns1 route add -net 192.168.200.0 netmask 255.255.255.0 gw 192.168.100.1
ip netns exec ns2 route add -net 192.168.100.0 netmask 255.255.255.0 gw 192.168.200.1
# §2.6: the sit module, then a tunnel in each namespace with IPv6 addresses.
modprobe sit
ip netns exec ns1 ip tunnel add tun1 mode sit remote 192.168.200.2 local 192.168.100.2 ttl 255
ip netns exec ns1 ip link set tun1 up
ip netns exec ns1 ip addr add fd00:50::1/64 dev tun1
ip netns exec ns2 ip tunnel add tun2 mode sit remote 192.168.100.2 local 192.168.200.2 ttl 255
ip netns exec ns2 ip link set tun2 up
ip netns exec ns2 ip addr add fd00:50::2/64 dev tun2
sleep 2
ip netns exec ns1 ping -6 -c 2 fd00:50::2
ip netns exec ns1 ping6 -c 1 fe80::c0a8:c802%tun1
ip netns exec ns1 ip -6 addr show dev tun1
ip netns exec ns1 ip -6 route
ip netns exec ns1 ip tunnel show tun1
