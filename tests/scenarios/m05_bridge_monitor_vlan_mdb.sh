# area: monitors
# `bridge monitor mdb` (and `all`, and `vlan`, which this kernel has no
# vlan filtering for) in the background on a snooping bridge: static mdb
# entries added and deleted, and a host behind a port joining an IPv4
# group (its IGMP report makes the bridge learn a temporary entry); then
# the port leaves. Messages as bridge(8) prints them, in the kernel's order.
ip netns add b
ip netns add h1
ip netns exec b bridge monitor vlan >vlan.txt 2>&1 &
ip netns exec b bridge monitor mdb >mdb.txt 2>&1 &
ip netns exec b bridge monitor all >all.txt 2>&1 &
sleep 0.5
ip -n b link add br0 address 02:00:00:00:03:00 type bridge mcast_snooping 1
ip netns exec b sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
ip link add p1 netns b address 02:00:00:00:03:01 type veth peer name e1 netns h1 address 02:00:00:00:03:11
ip netns exec b sysctl -qw net.ipv6.conf.p1.disable_ipv6=1
ip netns exec h1 sysctl -qw net.ipv6.conf.e1.disable_ipv6=1
ip -n b link set p1 master br0
ip -n b link set br0 up
ip -n b link set p1 up
sleep 0.5
ip netns exec b bridge mdb add dev br0 port p1 grp 239.1.1.1 permanent
ip netns exec b bridge mdb add dev br0 port p1 grp 239.1.1.2 temp
ip netns exec b bridge mdb show
ip netns exec b bridge mdb del dev br0 port p1 grp 239.1.1.1
ip -n h1 addr add 10.0.0.1/24 dev e1
ip -n h1 link set e1 up
sleep 1
ip -n h1 addr add 239.5.5.5/32 dev e1 autojoin
sleep 2
ip netns exec b bridge mdb show
ip -n b link set p1 nomaster
sleep 0.5
kill %1 %2 %3
wait
cat vlan.txt
cat mdb.txt
cat all.txt
