ip netns add a
ip netns add b
ip link add eth0 netns a address 02:00:00:00:00:0a type veth peer name eth1 netns b address 02:00:00:00:00:0b
ip -n a link set eth0 up
ip -n b link set eth1 up
ip -n a link add link eth0 name eth0.10 type vlan id 10 egress-qos-map 0:3 2:5
ip -n b link add link eth1 name eth1.10 type vlan id 10
ip -n a -d link show eth0.10
ip -n a link set eth0.10 type vlan reorder_hdr off gvrp on ingress-qos-map 1:2 3:4 egress-qos-map 17:1 1:6
ip -n a -d link show eth0.10
ip -n a link set eth0.10 type vlan id 20
ip -n a link set eth0.10 type vlan id 4095
ip -n a link set eth0.10 type vlan egress-qos-map 1:x
ip -n a link set eth0.10 type vlan bogus
ip -n a link set eth0 type vlan gvrp on
ip -n a link set eth0.10 type vlan loose_binding on bridge_binding on mvrp on
ip -n a -d link show eth0.10
ip -n a addr add 10.0.10.1/24 dev eth0.10
ip -n b addr add 10.0.10.2/24 dev eth1.10
ip -n a link set eth0.10 up
ip -n b link set eth1.10 up
ip netns exec b tcpdump -eni eth1 -c 2 icmp >cap.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.0.10.2
wait
cat cap.txt
