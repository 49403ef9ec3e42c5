# Bridge learning and ageing: entries learned from traffic, a short ageing
# time letting them expire, static entries that never age, bridge fdb add/del.
# IPv6 is off and the namespaces know each other's MAC (no ARP), so the only
# frames are the pings': nothing refreshes an entry behind the scenario's back.
ip link add br0 type bridge
ip link set br0 address 02:00:00:00:01:00
for n in 1 2; do ip netns add ns$n; ip link add p$n address 02:00:00:00:00:0$n type veth peer name p${n}b address 02:00:00:00:01:0$n; ip link set p$n netns ns$n; ip -n ns$n addr add 192.168.60.$n/24 dev p$n; ip link set p${n}b master br0; done
sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
for n in 1 2; do sysctl -qw net.ipv6.conf.p${n}b.disable_ipv6=1; ip netns exec ns$n sysctl -qw net.ipv6.conf.p$n.disable_ipv6=1; done
ip -n ns1 neigh add 192.168.60.2 lladdr 02:00:00:00:00:02 dev p1 nud permanent
ip -n ns2 neigh add 192.168.60.1 lladdr 02:00:00:00:00:01 dev p2 nud permanent
ip link set br0 up
for n in 1 2; do ip link set p${n}b up; ip -n ns$n link set p$n up; done
sleep 3
ip netns exec ns1 ping -c 1 192.168.60.2
brctl showmacs br0
bridge fdb show br br0 | grep -v 33:33
brctl setageing br0 2
brctl showstp br0
ip -d link show br0
sleep 4
brctl showmacs br0
bridge fdb show br br0 | grep -v 33:33
bridge fdb add 02:00:00:00:00:99 dev p1b master static
bridge fdb add 02:00:00:00:00:98 dev p2b master
bridge fdb show br br0 | grep -v 33:33
brctl showmacs br0
sleep 4
brctl showmacs br0
bridge fdb add 02:00:00:00:00:99 dev p1b master static
bridge fdb replace 02:00:00:00:00:99 dev p2b master static
bridge fdb show dev p2b | grep -v 33:33
bridge fdb del 02:00:00:00:00:99 dev p2b master
bridge fdb del 02:00:00:00:00:99 dev p2b master
bridge fdb del 02:00:00:00:00:98 dev p2b master
bridge fdb show br br0 | grep -v 33:33
brctl setageing br0 300
ip netns exec ns2 ping -c 1 192.168.60.1
brctl showmacs br0
ip link set p2b down
brctl showmacs br0
bridge fdb show br br0 | grep -v 33:33
