# area: bridge
# VLAN filtering on one bridge: h1 and h2 in vlan 10, h3 and h4 in vlan 20
# (access ports: pvid untagged), a trunk port carrying both tagged into a
# namespace that only listens. Pings pass within a vlan and fail across;
# tcpdump -e on the trunk shows the 802.1Q tags; `bridge vlan show` at
# each step; fdb entries per vlan; the errors of bad requests; filtering
# switched off through ip link and back on through sysfs.
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add br0 address 02:00:00:00:01:00 type bridge vlan_filtering 1
bridge vlan show
for n in 1 2 3 4; do ip netns add h$n; ip netns exec h$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip link add p$n address 02:00:00:00:01:0$n type veth peer name eth0 netns h$n address 02:00:00:00:00:0$n; ip -n h$n addr add 192.168.1.$n/24 dev eth0; ip -n h$n link set eth0 up; ip link set p$n master br0; ip link set p$n up; done
ip netns add t
ip netns exec t sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add trunk address 02:00:00:00:01:09 type veth peer name eth0 netns t address 02:00:00:00:00:09
ip link set trunk master br0
ip link set trunk up
ip -n t link set eth0 up
bridge vlan show
bridge vlan add dev p1 vid 10 pvid untagged
bridge vlan add dev p2 vid 10 pvid untagged
bridge vlan add dev p3 vid 20 pvid untagged
bridge vlan add dev p4 vid 20 pvid untagged
bridge vlan del dev p1 vid 1
bridge vlan del dev p2 vid 1
bridge vlan del dev p3 vid 1
bridge vlan del dev p4 vid 1
bridge vlan add dev trunk vid 10
bridge vlan add dev trunk vid 20
bridge vlan del dev trunk vid 1
bridge vlan show
bridge vlan show dev trunk
bridge -c vlan show
bridge vlan show vid 10
bridge -j vlan show
bridge -j -p vlan show dev p1
ip link set br0 up
sleep 2
ip netns exec t tcpdump -n -e -i eth0 -c 2 >cap.txt 2>&1 &
sleep 1
ip netns exec h1 ping -c 2 -i 0.2 192.168.1.2
ip netns exec h3 ping -c 1 192.168.1.4
wait
cat cap.txt
ip netns exec h1 ping -c 1 -W 1 192.168.1.3
bridge fdb show br br0
bridge fdb show dev p1
bridge -j fdb show dev p3
bridge vlan add dev p1 vid 4095
bridge vlan add dev p1 vid 0
bridge vlan add dev nosuch vid 10
bridge vlan add dev p1 vid 10-20 pvid
bridge vlan del dev p1 vid 99
bridge vlan add dev trunk vid 30-33
bridge vlan show dev trunk
bridge -c vlan show dev trunk
bridge vlan del dev trunk vid 31-32
bridge vlan show dev trunk
bridge vlan add dev trunk vid 30 pvid untagged
bridge vlan show dev trunk
bridge vlan add dev p1 vid 10 master
bridge vlan add dev br0 vid 10 self
bridge vlan show dev br0
cat /sys/class/net/br0/bridge/vlan_filtering
cat /sys/class/net/br0/bridge/default_pvid
cat /sys/class/net/br0/bridge/vlan_protocol
ip link set br0 type bridge vlan_filtering 0
cat /sys/class/net/br0/bridge/vlan_filtering
ip netns exec h1 ping -c 1 -W 1 192.168.1.3
echo 1 > /sys/class/net/br0/bridge/vlan_filtering
ip netns exec h1 ping -c 1 -W 1 192.168.1.3
ip link set br0 type bridge vlan_protocol 802.1ad
cat /sys/class/net/br0/bridge/vlan_protocol
ip link set br0 type bridge vlan_protocol 802.1Q
ip link set br0 type bridge vlan_protocol foo
ip link add br1 type bridge vlan_default_pvid 5
ip link add d1 type veth peer name d1p
ip link set d1 master br1
bridge vlan show dev d1
bridge vlan show dev br1
ip link set br1 type bridge vlan_default_pvid 7
bridge vlan show dev d1
ip link set br1 type bridge vlan_default_pvid 0
bridge vlan show dev d1
ip link set br1 type bridge vlan_default_pvid 4095
ip link set d1 nomaster
bridge vlan show
