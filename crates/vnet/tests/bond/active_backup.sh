# Active-backup over two veths to a switch (a bridge in namespace sw),
# with MII monitoring and a primary slave; failover and failback.
ip netns add h
ip netns add sw
ip -n sw link add br0 type bridge
ip -n sw link set br0 up
for i in 1 2; do
  ip link add eth$i netns h address 02:00:00:00:00:0$i type veth peer name sw$i netns sw
  ip -n sw link set sw$i master br0
  ip -n sw link set sw$i up
done
ip -n sw addr add 10.0.0.2/24 dev br0
ip -n h link add bond0 type bond mode active-backup miimon 100 primary eth2
ip -n h link add bond0 type bond
ip -n h -d link show bond0
ip -n h link set eth1 master bond0
ip -n h link set eth2 master bond0 up
ip -n h link set eth2 up
ip -n h link set eth1 master bond0
ip -n h link set bond0 up
ip -n h addr add 10.0.0.1/24 dev bond0
ip -n h link show
ip -n h -d link show bond0
ip -n h -d link show eth1
cat /proc/net/bonding/bond0
ip netns exec h cat /proc/net/bonding/bond0
ip netns exec h ping -c 2 10.0.0.2
ip -n h link set eth2 down
ip netns exec h cat /proc/net/bonding/bond0
ip netns exec h ping -c 2 10.0.0.2
ip -n h link set eth2 up
ip netns exec h cat /sys/class/net/bond0/bonding/active_slave
ip netns exec h cat /sys/class/net/eth1/bonding_slave/state
ip -n h link set eth1 nomaster
ip -n h link show eth1
ip -n h -d link show bond0
ip -n h link set bond0 type bond mode balance-rr
ip -n h link del bond0
ip -n h link show eth2
