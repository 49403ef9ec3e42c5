# ARP flux: a host with two interfaces on one segment answers ARP for
# either address on both (arp_ignore=0), so a neighbour may learn the
# wrong MAC; arp_ignore=1 answers only on the interface that has the
# address, arp_filter by the route back. arp_announce=2 makes requests
# say the outgoing interface's own address, not the packet's source.
ip netns add c
ip netns add h
ip netns add sw
ip -n sw link add br0 type bridge
ip link add c0 netns c type veth peer name p0 netns sw
ip link add e1 netns h type veth peer name p1 netns sw
ip link add e2 netns h type veth peer name p2 netns sw
ip -n c link set c0 address 02:00:00:00:00:0c
ip -n h link set e1 address 02:00:00:00:00:e1
ip -n h link set e2 address 02:00:00:00:00:e2
for p in p0 p1 p2; do ip -n sw link set $p master br0 up; done
ip -n sw link set br0 up
ip -n c addr add 10.0.0.1/24 dev c0
ip -n h addr add 10.0.0.10/24 dev e1
ip -n h addr add 10.0.0.11/24 dev e2
ip -n c link set c0 up
ip -n h link set e1 up
ip -n h link set e2 up
ip netns exec h sysctl net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce net.ipv4.conf.e1.arp_filter
sleep 2
# arp_ignore=0: both interfaces answer for 10.0.0.10.
ip netns exec c tcpdump -lenni c0 -c 3 arp >cap1.txt 2>&1 &
sleep 1
ip netns exec c ping -c 1 -W 1 10.0.0.10 | head -2
wait
sed 's/^[0-9:.]* //' cap1.txt
ip -n c neigh show 10.0.0.10
# arp_ignore=1: only e1, which has the address, answers.
ip netns exec h sysctl -w net.ipv4.conf.all.arp_ignore=1
ip -n c neigh flush dev c0
ip netns exec c tcpdump -lenni c0 -c 2 arp >cap2.txt 2>&1 &
sleep 1
ip netns exec c ping -c 1 -W 1 10.0.0.10 | head -2
wait
sed 's/^[0-9:.]* //' cap2.txt
ip -n c neigh show 10.0.0.10
# arp_ignore=8 on e2 alone: e2 never answers, even for its own address.
ip netns exec h sysctl -w net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.e2.arp_ignore=8
ip -n c neigh flush dev c0
ip netns exec c ping -c 1 -W 1 10.0.0.11 | tail -2 | head -1
ip -n c neigh show 10.0.0.11
ip netns exec h sysctl -w net.ipv4.conf.e2.arp_ignore=0
# arp_filter: e2 keeps quiet for 10.0.0.10, as the route back to 10.0.0.1 leaves by e1.
ip netns exec h sysctl -w net.ipv4.conf.all.arp_filter=1
ip -n c neigh flush dev c0
ip netns exec c tcpdump -lenni c0 -c 2 arp >cap3.txt 2>&1 &
sleep 1
ip netns exec c ping -c 1 -W 1 10.0.0.10 | head -2
wait
sed 's/^[0-9:.]* //' cap3.txt
ip netns exec h awk '$1 == "TcpExt:" { if (!x) { for (i = 2; i <= NF; i++) n[i] = $i; x = 1 } else for (i = 2; i <= NF; i++) if (n[i] == "ArpFilter") print n[i], $i }' /proc/net/netstat
ip netns exec h sysctl -w net.ipv4.conf.all.arp_filter=0
# arp_announce: a packet from 10.0.0.10 sent out by e2.
ip -n h route add 10.0.0.1/32 dev e2
ip -n h neigh flush dev e2
ip netns exec c tcpdump -lenni c0 -c 1 'arp and ether broadcast' >cap4.txt 2>&1 &
sleep 1
ip netns exec h ping -I 10.0.0.10 -c 1 -W 1 10.0.0.1 | head -2
wait
sed 's/^[0-9:.]* //' cap4.txt
ip netns exec h sysctl -w net.ipv4.conf.e2.arp_announce=2
ip -n h neigh flush dev e2
ip netns exec c tcpdump -lenni c0 -c 1 'arp and ether broadcast' >cap5.txt 2>&1 &
sleep 1
ip netns exec h ping -I 10.0.0.10 -c 1 -W 1 10.0.0.1 | head -2
wait
sed 's/^[0-9:.]* //' cap5.txt
ip -n h neigh show dev e2
