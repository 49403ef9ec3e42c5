# Seed 004 §2.6: a gre tunnel between two namespaces, on top of §2.5's
# routed topology (tap1/tap2 and the host as the router between them).
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
ip netns exec ns1 ping -c 1 192.168.200.2
# §2.6: the ip_gre module, then a tunnel in each namespace.
ip tunnel help
lsmod | grep ip
modprobe ip_gre
lsmod | grep ip
ip netns exec ns1 ip tunnel add tun1 mode gre remote 192.168.200.2 local 192.168.100.2 ttl 255
ip netns exec ns1 ip link set tun1 up
ip netns exec ns1 ip addr add 192.168.50.10 peer 192.168.60.10 dev tun1
ip netns exec ns2 ip tunnel add tun2 mode gre remote 192.168.100.2 local 192.168.200.2 ttl 255
ip netns exec ns2 ip link set tun2 up
ip netns exec ns2 ip addr add 192.168.60.10 peer 192.168.50.10 dev tun2
ip netns exec ns1 ping -c 2 192.168.60.10
ip netns exec ns1 ifconfig -a
ip netns exec ns1 route -n
ip netns exec ns1 ip route
ip netns exec ns1 ip tunnel show
ip netns exec ns1 ip -d link show tun1
