# A bridge between three namespaces: learning (fdb / showmacs after pings),
# flooding, ageing time 0 (no learning), port removal flushing entries.
ip link add br1 type bridge
ip link set br1 address 02:00:00:00:01:00
for n in 1 2 3; do ip netns add ns$n; ip link add tap$n address 02:00:00:00:00:0$n type veth peer name tap${n}_peer address 02:00:00:00:01:0$n; ip link set tap$n netns ns$n; ip -n ns$n addr add 192.168.50.$n/24 dev tap$n; ip link set tap${n}_peer master br1; done
ip link
bridge link
bridge fdb show br br1
brctl showmacs br1
ip link set br1 up
for n in 1 2 3; do ip link set tap${n}_peer up; ip -n ns$n link set tap$n up; done
sleep 3
bridge link
ip netns exec ns1 ping -c 2 -i 0.2 192.168.50.2
ip netns exec ns1 ping -c 2 -i 0.2 192.168.50.3
ip netns exec ns2 ping -c 1 192.168.50.3
brctl showmacs br1
bridge fdb show br br1
bridge fdb show dev tap1_peer
bridge -j fdb show dev tap2_peer
ip -n ns1 neigh
ip -n ns2 neigh
ip -n ns3 neigh
brctl setageing br1 0
brctl showmacs br1
brctl setageing br1 300
ip netns exec ns1 ping -c 1 192.168.50.2
brctl showmacs br1
ip link set tap3_peer nomaster
brctl showmacs br1
bridge link
ip netns exec ns1 ping -c 1 -W 1 192.168.50.3
brctl show br1
ip link set br1 down
bridge link
ip netns exec ns1 ping -c 1 -W 1 192.168.50.2
ip -n ns1 neigh
