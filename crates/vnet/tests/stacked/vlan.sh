ip netns add a
ip netns add b
ip link add eth0 type veth peer name eth1
ip link set eth0 netns a
ip link set eth1 netns b
ip -n a link set eth0 address 02:00:00:00:00:0a
ip -n b link set eth1 address 02:00:00:00:00:0b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n a link add link eth0 name eth0.10 type vlan id 10
ip -n a link add link eth0 name eth0.20 type vlan id 20
ip -n b link add link eth1 name eth1.10 type vlan id 10
ip -n b link add link eth1 name eth1.20 type vlan id 20
ip -n a -d link show eth0.10
ip -n a link show
ip -n a link set eth0.10 up
ip -n a link set eth0 up
ip -n b link set eth1 up
ip -n a link show
ip -n b link set eth1.10 up
ip -n b link set eth1.20 up
ip -n a link set eth0.20 up
ip -n a addr add 10.0.10.1/24 dev eth0.10
ip -n b addr add 10.0.10.2/24 dev eth1.10
ip -n a addr add 10.0.20.1/24 dev eth0.20
ip -n b addr add 10.0.20.2/24 dev eth1.20
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth1
ip netns exec b tcpdump -eni eth1 -c 4 >cap.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.0.10.2
wait
cat cap.txt
ip netns exec a ping -c 1 10.0.20.2
ip netns exec a ping -c 1 10.0.0.2
ip netns add b20
ip -n b link set eth1.20 netns b20
ip -n b20 addr add 10.0.10.3/24 dev eth1.20
ip -n b20 link set eth1.20 up
ip -n b20 link show
ip netns exec b20 tcpdump -ni eth1.20 -c 1 >cap20.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 -W 1 10.0.10.3
wait
cat cap20.txt
ip -n a neigh
ip -n b neigh
ip netns exec a cat /proc/net/vlan/config
cat /proc/net/vlan/config
ip -n a link add link eth0 name v10 type vlan id 10
ip -n a link add link eth0 name v4095 type vlan id 4095
ip -n a link add link eth0 name vx type vlan id 70000
ip -n a link add link eth0 name vx type vlan
ip -n a link add name vx type vlan id 5
ip -n a link add link eth0 name vx type vlan id 5 protocol 802.1ad
ip -n a -d link show vx
ip -n a link add link eth0 name vy type vlan id 5 protocol foo
ip -n a link add link eth0 name vy type vlan id 5 bogus
ip -n a link set eth0.10 mtu 1600
ip -n a link set eth0 mtu 1400
ip -n a link show eth0.10
ip -n a link set eth0 down
ip -n a link show
ip -n a link set eth0.10 up
ip -n a link set eth0 up
ip -n a -br link
ip -n a link del eth0
ip -n a link show
ip -n b link show
