# balance-rr, balance-xor and broadcast spread frames over their slaves.
ip netns add a
ip netns add b
ip -n a link add bond0 type bond mode balance-rr
ip -n b link add br0 type bridge
for i in 1 2; do
  ip link add a$i netns a type veth peer name b$i netns b
  ip -n a link set a$i master bond0
  ip -n b link set b$i master br0
  ip -n b link set b$i up
done
ip -n b link set br0 up
ip -n b addr add 10.0.0.2/24 dev br0
ip -n a link set bond0 up
ip -n a addr add 10.0.0.1/24 dev bond0
ip netns exec a ping -c 10 -i 0.2 10.0.0.2
ip -s -n a link show a1
ip -s -n a link show a2
ip -n a link set bond0 down
ip -n a link set bond0 type bond mode broadcast
ip -n a link set a1 nomaster
ip -n a link set a2 nomaster
ip -n a link set bond0 type bond mode broadcast
ip -n a link set a1 master bond0
ip -n a link set a2 master bond0
ip -n a link set bond0 up
ip netns exec a cat /proc/net/bonding/bond0
ip -n a link set bond0 type bond xmit_hash_policy layer2+3 packets_per_slave 3
ip -n a link set bond0 type bond primary a1
ip -n a link set bond0 type bond arp_interval 100 arp_ip_target 10.0.0.2,10.0.0.3 arp_validate all
ip -n a -d link show bond0
ip netns exec a cat /proc/net/bonding/bond0
ip -n a link set a1 type bond_slave queue_id 2 prio 7
ip -n a link set a2 type bond_slave queue_id 2
ip -n a link set a2 type bond_slave queue_id 17
ip netns exec a cat /sys/class/net/bond0/bonding/queue_id
ip -n a -d link show a1
ip -n a link add bond1 type bond updelay 200
ip -n a link add bond1 type bond mode 802.3ad arp_interval 100
ip -n a link add bond1 type bond mode nosuch
ip -n a link add bond1 type bond lacp_rate fast
ip -n a link add bond1 type bond ad_actor_sys_prio 0 mode 802.3ad
ip -n a link add bond1 type bond miimon 100 updelay 250 downdelay 100
ip -n a -d link show bond1
ip -n a link set bond1 up
ip -n a link set bond1 type bond mode active-backup
ip -n a link set a1 master bond1
ip -n a link set bond1 master bond1
ip netns exec a sh -c 'echo +nosuch > /sys/class/net/bond1/bonding/slaves'
ls /sys/class/net
modprobe bonding
lsmod | grep -E '^(bonding|tls) '
ls /proc/net/bonding
