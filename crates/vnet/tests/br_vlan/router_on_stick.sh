# Router on a stick: h1 in vlan 10, h2 in vlan 20 on a filtering bridge;
# the bridge itself is a tagged member of both and routes between them
# through br0.10 and br0.20.
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
sysctl -qw net.ipv4.ip_forward=1
ip link add br0 address 02:00:00:00:01:00 type bridge vlan_filtering 1
for n in 1 2; do ip netns add h$n; ip netns exec h$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip link add p$n address 02:00:00:00:01:0$n type veth peer name eth0 netns h$n address 02:00:00:00:00:0$n; ip -n h$n link set eth0 up; ip link set p$n master br0; ip link set p$n up; done
bridge vlan add dev p1 vid 10 pvid untagged
bridge vlan add dev p2 vid 20 pvid untagged
bridge vlan add dev br0 vid 10 self
bridge vlan add dev br0 vid 20 self
bridge vlan show
ip link add link br0 name br0.10 type vlan id 10
ip link add link br0 name br0.20 type vlan id 20
ip addr add 10.0.10.1/24 dev br0.10
ip addr add 10.0.20.1/24 dev br0.20
ip link set br0 up
ip link set br0.10 up
ip link set br0.20 up
ip -n h1 addr add 10.0.10.2/24 dev eth0
ip -n h1 route add default via 10.0.10.1
ip -n h2 addr add 10.0.20.2/24 dev eth0
ip -n h2 route add default via 10.0.20.1
sleep 1
ip netns exec h1 ping -c 2 -i 0.2 10.0.20.2
ip netns exec h2 ping -c 1 10.0.10.1
bridge fdb show br br0 | grep -v 33:33
bridge vlan del dev br0 vid 20 self
ip netns exec h1 ping -c 1 -W 1 10.0.20.2
