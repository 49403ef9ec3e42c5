ip netns add a
ip link add v0 type veth peer name v1 netns a
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip netns exec a ip addr add 10.0.0.2/24 dev v1
ip netns exec a ip link set v1 up
ip netns exec a ip link set lo up
ping -c 1 -W 1 10.0.0.2 >/dev/null
ping -c 1 -W 1 10.0.0.99 >/dev/null
cat /proc/net/arp
sleep 3
cat /proc/net/arp
ip neigh replace 10.0.0.7 lladdr 02:00:00:00:00:07 dev v0 nud reachable
cat /proc/net/arp
ip netns exec a cat /proc/net/arp
ip netns exec a cat /proc/net/route
ip netns exec a cat /proc/net/snmp
cat /proc/net/dev
ip netns exec a cat /proc/net/dev
cat /sys/class/net/v0/statistics/tx_packets
