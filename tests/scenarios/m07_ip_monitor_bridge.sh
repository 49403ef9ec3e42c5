# area: monitors
# `ip monitor link` and `ip monitor neigh` while a bridge gets a port and
# a host behind it talks: what ip(8) prints for the port's AF_BRIDGE link
# messages and for the bridge's fdb entries (AF_BRIDGE neighbours).
ip netns add b
ip netns add h1
ip netns exec b ip monitor link >link.txt 2>&1 &
ip netns exec b ip monitor neigh >neigh.txt 2>&1 &
sleep 0.5
ip -n b link add br0 address 02:00:00:00:04:00 type bridge
ip netns exec b sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
ip link add p1 netns b address 02:00:00:00:04:01 type veth peer name e1 netns h1 address 02:00:00:00:04:11
ip netns exec b sysctl -qw net.ipv6.conf.p1.disable_ipv6=1
ip netns exec h1 sysctl -qw net.ipv6.conf.e1.disable_ipv6=1
ip -n b link set p1 master br0
ip -n b link set br0 up
ip -n b link set p1 up
ip -n h1 addr add 10.0.0.1/24 dev e1
ip -n h1 link set e1 up
sleep 1
ip netns exec h1 ping -c 1 -W 1 10.0.0.9 >/dev/null
ip netns exec b bridge fdb add 02:00:00:00:04:99 dev p1 master static
ip -n b link set p1 nomaster
sleep 0.5
kill %1 %2
wait
cat link.txt
cat neigh.txt
