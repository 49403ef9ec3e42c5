# area: vxlan
# The Neutron layout on two "hosts" (namespaces h1, h2 joined by a veth as
# their eth0): on each, a bridge with a vxlan port and a veth into a "VM"
# namespace. A ping between the VMs crosses the VXLAN: tcpdump on the
# underlay shows the encapsulation, the vxlan fdb learns the remote MACs
# with their VTEP, the counters count the inner frames.
ip netns add h1
ip netns add h2
ip netns add vm1
ip netns add vm2
for n in h1 h2 vm1 vm2; do ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
ip link add eth0 netns h1 address 02:00:00:00:01:01 type veth peer name eth0 netns h2 address 02:00:00:00:02:01
ip -n h1 addr add 192.168.0.1/24 dev eth0
ip -n h2 addr add 192.168.0.2/24 dev eth0
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h1 link add vxlan0 address 02:00:00:00:01:0a type vxlan id 42 remote 192.168.0.2 dev eth0 dstport 4789
ip -n h2 link add vxlan0 address 02:00:00:00:02:0a type vxlan id 42 remote 192.168.0.1 dev eth0 dstport 4789
for h in 1 2; do ip -n h$h link add br0 address 02:00:00:00:0$h:0b type bridge mcast_snooping 0; ip -n h$h link set vxlan0 master br0; ip link add tap$h netns h$h address 02:00:00:00:0$h:0c type veth peer name eth0 netns vm$h address 02:00:00:00:0$h:0d; ip -n h$h link set tap$h master br0; ip -n vm$h addr add 10.0.0.$h/24 dev eth0; ip -n vm$h link set eth0 up; ip -n h$h link set tap$h up; ip -n h$h link set vxlan0 up; ip -n h$h link set br0 up; done
sleep 3
ip netns exec h1 tcpdump -n -e -i eth0 -c 6 udp >cap.txt 2>&1 &
sleep 1
ip netns exec vm1 ping -c 2 10.0.0.2
wait
cat cap.txt
bridge -n h1 fdb show dev vxlan0
bridge -n h2 fdb show dev vxlan0
ip netns exec h2 brctl showmacs br0
ip -n vm1 neigh
ip netns exec h2 tcpdump -n -v -i eth0 -c 2 udp >cap2.txt 2>&1 &
sleep 1
ip netns exec vm2 ping -c 1 10.0.0.1
wait
cat cap2.txt
ip -n h1 -s link show vxlan0
ip -n h2 -s link show vxlan0
ip netns exec vm1 ping -c 1 -s 1500 -M do 10.0.0.2
ip -n vm1 link set eth0 mtu 1450
ip netns exec vm1 ping -c 1 -s 1422 -M do 10.0.0.2
ip -n h1 link set vxlan0 down
ip netns exec vm1 ping -c 1 -W 1 10.0.0.2
ip -n h1 link set vxlan0 up
bridge -n h1 fdb del 00:00:00:00:00:00 dev vxlan0
bridge -n h1 fdb show dev vxlan0
ip netns exec vm1 ping -c 1 10.0.0.2
