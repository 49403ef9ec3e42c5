# area: monitors
# `bridge monitor` in the background (fdb, link, all with its banners, and
# no argument) while a bridge gets two ports, hosts behind them talk (their
# addresses learnt), static entries come and go, a port's cost changes, a
# learnt entry ages out, a port leaves and the bridge is deleted: which
# RTM_NEWNEIGH/DELNEIGH (AF_BRIDGE) and RTM_NEWLINK/DELLINK messages the
# kernel sends, in which order, as bridge(8) prints them.
ip netns add b
ip netns add h1
ip netns add h2
ip netns exec b bridge monitor fdb >fdb.txt 2>&1 &
ip netns exec b bridge monitor link >link.txt 2>&1 &
ip netns exec b bridge monitor all >all.txt 2>&1 &
ip netns exec b bridge monitor >plain.txt 2>&1 &
sleep 0.5
ip -n b link add br0 address 02:00:00:00:01:00 type bridge ageing_time 300
ip netns exec b sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
ip link add p1 netns b address 02:00:00:00:01:01 type veth peer name e1 netns h1 address 02:00:00:00:01:11
ip link add p2 netns b address 02:00:00:00:01:02 type veth peer name e2 netns h2 address 02:00:00:00:01:12
ip netns exec b sysctl -qw net.ipv6.conf.p1.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.p2.disable_ipv6=1
ip netns exec h1 sysctl -qw net.ipv6.conf.e1.disable_ipv6=1
ip netns exec h2 sysctl -qw net.ipv6.conf.e2.disable_ipv6=1
ip -n b link set p1 master br0
ip -n b link set p2 master br0
ip -n b link set br0 up
ip -n b link set p1 up
ip -n b link set p2 up
ip -n h1 addr add 10.0.0.1/24 dev e1
ip -n h2 addr add 10.0.0.2/24 dev e2
ip -n h1 link set e1 up
ip -n h2 link set e2 up
sleep 1
ip netns exec h1 ping -c 1 10.0.0.2 >/dev/null
sleep 0.5
ip netns exec b bridge link set dev p2 cost 50
ip netns exec b bridge fdb add 02:00:00:00:01:99 dev p1 master static
ip netns exec b bridge fdb add 02:00:00:00:01:98 dev p2 master
ip netns exec b bridge fdb replace 02:00:00:00:01:98 dev p1 master static
ip netns exec b bridge fdb del 02:00:00:00:01:99 dev p1 master
ip netns exec b bridge fdb show br br0 | grep -v self
sleep 5
ip netns exec b bridge fdb show br br0 | grep -v self
ip -n b link set p2 nomaster
sleep 0.5
ip -n b link del br0
sleep 0.5
kill %1 %2 %3 %4
wait
cat fdb.txt
cat link.txt
cat all.txt
cat plain.txt
ip netns exec b bridge monitor bogus
ip netns exec b bridge monitor help
