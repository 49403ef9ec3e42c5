# Two 802.3ad bonds joined by three veths exchange LACPDUs and aggregate.
ip netns add a
ip netns add b
ip -n a link add bond0 address 02:aa:00:00:00:01 type bond mode 802.3ad lacp_rate fast xmit_hash_policy layer3+4
ip -n b link add bond0 address 02:bb:00:00:00:01 type bond mode 802.3ad lacp_rate fast xmit_hash_policy layer3+4
for i in 1 2 3; do
  ip link add a$i netns a address 02:aa:00:00:01:0$i type veth peer name b$i netns b address 02:bb:00:00:01:0$i
  ip -n a link set a$i master bond0
  ip -n b link set b$i master bond0
done
ip netns exec a tcpdump -nn -e -i a1 -c 2 ether proto 0x8809 > lacp.txt &
ip -n a link set bond0 up
ip -n b link set bond0 up
ip -n a addr add 10.0.0.1/24 dev bond0
ip -n b addr add 10.0.0.2/24 dev bond0
sleep 2
wait
cat lacp.txt
ip -n a -d link show bond0
ip -n a -d link show a2
ip netns exec a cat /proc/net/bonding/bond0
ip netns exec a ping -c 3 10.0.0.2
ip -n b link set b1 down
ip -n a -d link show bond0
ip netns exec a ping -c 3 10.0.0.2
ip netns exec a cat /sys/class/net/bond0/bonding/ad_num_ports
ip netns exec a cat /sys/class/net/a1/bonding_slave/ad_aggregator_id
