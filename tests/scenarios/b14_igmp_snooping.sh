# area: bridge
# IGMP snooping as a multicast lab meets it: hosts behind a bridge join
# groups with `ip addr add GROUP/32 dev eth0 autojoin` (IGMPv3 state-change
# reports, sent twice, seen by a neighbour's tcpdump), the bridge learns
# temporary mdb entries (`bridge -d mdb show`: proto kernel), a host leaves
# (TO_IN {}) and the entry ages out after the last-member interval; the
# autojoin flag in `ip addr` and its refusals.
ip netns add b
ip -n b link add br0 address 02:00:00:00:05:00 type bridge
ip netns exec b sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
for n in 1 2; do ip netns add h$n; ip netns exec h$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip link add p$n netns b address 02:00:00:00:05:0$n type veth peer name eth0 netns h$n address 02:00:00:00:05:1$n; ip netns exec b sysctl -qw net.ipv6.conf.p$n.disable_ipv6=1; ip -n h$n addr add 10.0.5.$n/24 dev eth0; ip -n h$n link set eth0 up; ip -n b link set p$n master br0; ip -n b link set p$n up; done
ip -n b link set br0 up
sleep 2
ip netns exec h2 tcpdump -i eth0 -nv -t -l -c 6 igmp >cap.txt 2>&1 &
sleep 0.5
ip -n h1 addr add 239.1.1.1/32 dev eth0 autojoin
sleep 2
ip -n h1 addr add 239.1.1.2/32 dev eth0 autojoin
sleep 2
ip netns exec b bridge mdb show
ip netns exec b bridge -d mdb show dev br0
ip -n h1 addr show dev eth0
ip -n h1 -j addr show dev eth0
ip -n h1 addr add 10.0.5.9/24 dev eth0 autojoin
echo "rc=$?"
ip -n h1 addr add 239.1.1.2/24 dev eth0 autojoin
echo "rc=$?"
ip -n h1 addr add 239.1.1.2/32 dev eth0 autojoin
echo "rc=$?"
ip -n h1 addr del 239.1.1.1/32 dev eth0
sleep 1
ip netns exec b bridge mdb show
sleep 2.5
ip netns exec b bridge mdb show
wait
cat cap.txt
ip -n b neigh show nud all
ip netns exec h1 cat /proc/net/igmp
ip netns exec b cat /proc/net/igmp
ip -n h1 link set eth0 down
ip netns exec h1 cat /proc/net/igmp
