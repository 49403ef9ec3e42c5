# area: bridge
# Static fdb entries of every kind on a bridge and its ports (master/self,
# static/dynamic/local, replace, append, del), the listings filtered by
# bridge, port and device, and multicast database entries added by hand
# (permanent and temp, IPv4 and IPv6), their listing and errors; snooping
# switched off.
ip link add br0 address 02:00:00:00:01:00 type bridge
sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
for n in 1 2; do ip netns add h$n; ip netns exec h$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip link add p$n address 02:00:00:00:01:0$n type veth peer name eth0 netns h$n address 02:00:00:00:00:0$n; sysctl -qw net.ipv6.conf.p$n.disable_ipv6=1; ip -n h$n addr add 192.168.1.$n/24 dev eth0; ip -n h$n link set eth0 up; ip link set p$n master br0; ip link set p$n up; done
ip link set br0 up
bridge fdb add 02:00:00:00:00:aa dev p1 master static
bridge fdb add 02:00:00:00:00:bb dev p1 master dynamic
bridge fdb add 02:00:00:00:00:cc dev p2 master
bridge fdb add 02:00:00:00:00:dd dev p2 master local
bridge fdb add 02:00:00:00:00:ee dev br0 self static
bridge fdb add 02:00:00:00:00:ef dev br0 master static
bridge fdb add 02:00:00:00:00:aa dev p2 master static
bridge fdb replace 02:00:00:00:00:aa dev p2 master static
bridge fdb append 02:00:00:00:00:ab dev p2 master static
bridge fdb add 02:00:00:00:00:a1 dev p1 master static vlan 10
bridge fdb add 02:00:00:00:00:a2 dev p1 static
bridge fdb show | grep -v 33:33
bridge fdb show br br0 | grep -v 33:33
bridge fdb show brport p2 | grep -v 33:33
bridge fdb show dev p1 | grep -v 33:33
bridge fdb show br br0 brport p1 | grep -v 33:33
bridge -s fdb show brport p1 | grep -v 33:33
bridge -j fdb show brport p2 state static
bridge fdb show br br0 state static | grep -v 33:33
bridge fdb del 02:00:00:00:00:aa dev p2 master
bridge fdb del 02:00:00:00:00:aa dev p2 master
bridge fdb del 02:00:00:00:00:ee dev br0 self
bridge fdb del 02:00:00:00:00:cc dev p2
bridge fdb show br br0 | grep -v 33:33
bridge fdb add 02:00:00:00:00:99 dev nosuch master
bridge fdb add zz:00:00:00:00:99 dev p1 master
bridge fdb add 02:00:00:00:00:99 dev p1 master vlan 4096
bridge fdb get 02:00:00:00:00:bb br br0
bridge mdb show
bridge mdb add dev br0 port p1 grp 239.1.1.1 permanent
bridge mdb add dev br0 port p2 grp 239.1.1.4
bridge mdb add dev br0 port p2 grp 239.1.1.2 temp
bridge mdb add dev br0 port p1 grp ff0e::1 permanent
bridge mdb add dev br0 port p1 grp 239.1.1.1 permanent
bridge mdb show
bridge mdb show dev br0
bridge -d mdb show
bridge -j mdb show
bridge -j -p mdb show
bridge mdb add dev br0 port p1 grp 10.0.0.1 permanent
bridge mdb add dev br0 port nosuch grp 239.1.1.3
bridge mdb add dev p1 port p1 grp 239.1.1.3
bridge mdb add dev br0 port p1 grp 239.1.1.3 vid 10
bridge mdb add dev br0 port p1 grp 224.0.0.1
bridge mdb del dev br0 port p2 grp 239.1.1.4
bridge mdb del dev br0 port p2 grp 239.1.1.4
bridge mdb show
ip link set br0 type bridge mcast_snooping 0
bridge mdb show
bridge mdb add dev br0 port p1 grp 239.1.1.5 permanent
ip link set br0 type bridge mcast_snooping 1
bridge mdb show
cat /sys/class/net/br0/bridge/multicast_snooping
echo 0 > /sys/class/net/br0/bridge/multicast_snooping
bridge mdb show
ip link set p1 nomaster
bridge fdb show br br0 | grep -v 33:33
