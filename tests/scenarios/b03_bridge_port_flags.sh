# Bridge port flags that change forwarding: learning off (no fdb entry for
# what arrives there), flood off (no unknown unicast out of the port),
# isolated (isolated ports do not talk to each other), hairpin (a frame goes
# back out of the port it came in on).
ip link add br0 address 02:00:00:00:06:00 type bridge
for n in 1 2 3; do ip netns add ns$n; ip link add p$n address 02:00:00:00:06:0$n type veth peer name p${n}b address 02:00:00:00:06:1$n; ip link set p$n netns ns$n; ip -n ns$n addr add 192.168.61.$n/24 dev p$n; ip link set p${n}b master br0; done
sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
for n in 1 2 3; do sysctl -qw net.ipv6.conf.p${n}b.disable_ipv6=1; ip netns exec ns$n sysctl -qw net.ipv6.conf.p$n.disable_ipv6=1; done
bridge link set dev p3b learning off
ip link set br0 up
for n in 1 2 3; do ip link set p${n}b up; ip -n ns$n link set p$n up; done
sleep 1
ip netns exec ns3 ping -c 1 -W 1 192.168.61.1
bridge fdb show br br0 | grep -v 33:33
bridge link set dev p3b learning on
ip netns exec ns3 ping -c 1 -W 1 192.168.61.1
bridge fdb show br br0 | grep -v 33:33
ip netns exec ns1 ping -c 1 -W 1 192.168.61.2
bridge fdb del 02:00:00:00:06:02 dev p2b master
bridge link set dev p2b flood off
bridge -d link show dev p2b | grep -o 'flood [a-z]*'
ip netns exec ns1 ping -c 1 -W 1 192.168.61.2
ip -n ns1 neigh flush all
ip netns exec ns1 ping -c 1 -W 1 192.168.61.2
bridge link set dev p2b flood on
bridge link set dev p1b isolated on
bridge link set dev p2b isolated on
ip netns exec ns1 ping -c 1 -W 1 192.168.61.2
ip netns exec ns1 ping -c 1 -W 1 192.168.61.3
ip netns exec ns2 ping -c 1 -W 1 192.168.61.3
bridge -d link show dev p1b | grep -o 'isolated [a-z]*'
cat /sys/class/net/p1b/brport/isolated
bridge link set dev p2b isolated off
ip netns exec ns1 ping -c 1 -W 1 192.168.61.2
bridge link set dev p1b isolated off
ip netns exec ns1 timeout 5 tcpdump -n -i p1 -Q in -c 1 icmp >hp.txt 2>&1 &
sleep 1
bridge fdb replace 02:00:00:00:06:02 dev p1b master static
bridge link set dev p1b hairpin on
ip netns exec ns1 ping -c 1 -W 1 192.168.61.2
wait
cat hp.txt
cat /sys/class/net/p1b/brport/hairpin_mode
bridge link set dev p1b hairpin off
ip netns exec ns1 ping -c 1 -W 1 192.168.61.2
