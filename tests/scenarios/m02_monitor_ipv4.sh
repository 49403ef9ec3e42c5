# area: monitors
# `ip -4 monitor` (every group, IPv4 only) with `label`, and `ip monitor
# address`, `ip monitor route`, `ip monitor neigh` each on its own, while
# a namespace, a veth pair, addresses (primary and secondary), routes and
# neighbours come and go: the kernel's messages and their order (the
# address before its local, prefix and broadcast routes; deletions in the
# reverse order; a deleted neighbour turning FAILED first; the netns id
# announced before the link that names it; the neighbours flushed when
# the device's last address goes).
ip -4 monitor label >all.txt 2>&1 &
ip monitor address >addr.txt 2>&1 &
ip monitor route >route.txt 2>&1 &
ip monitor neigh >neigh.txt 2>&1 &
sleep 0.5
ip netns add peer
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 netns peer address 02:00:00:00:00:11
sysctl -qw net.ipv6.conf.v0.disable_ipv6=1
ip -n peer link set v1 up
ip -n peer addr add 10.1.0.2/24 dev v1
ip link set v0 up
sleep 1.5
ip addr add 10.1.0.1/24 dev v0
ip addr add 10.1.0.9/24 dev v0
ip addr add 192.168.5.1/32 dev v0
ip route add 10.9.0.0/24 via 10.1.0.2
ip route add 10.8.0.0/16 dev v0 metric 50
ip route replace 10.8.0.0/16 dev v0 metric 50 mtu 1400
ip route add blackhole 10.7.0.0/16
ip route add 10.6.0.0/24 via 10.1.0.2 table 100
ip neigh add 10.1.0.50 lladdr 02:00:00:00:00:50 dev v0
ip neigh replace 10.1.0.50 lladdr 02:00:00:00:00:51 dev v0
ip neigh add 10.1.0.51 lladdr 02:00:00:00:00:52 dev v0 nud stale
ip neigh del 10.1.0.50 dev v0
ping -c 1 -W 1 10.1.0.2 >/dev/null
sleep 0.5
ip route del 10.9.0.0/24
ip route del blackhole 10.7.0.0/16
ip route flush table 100
ip neigh del 10.1.0.51 dev v0
ip addr del 10.1.0.1/24 dev v0
ip addr del 192.168.5.1/32 dev v0
ip link set v0 mtu 1300
sleep 0.5
kill %1 %2 %3 %4
wait
cat all.txt
cat addr.txt
cat route.txt
cat neigh.txt
