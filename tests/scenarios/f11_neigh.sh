# The neighbour (ARP) table: states after a successful ping (REACHABLE),
# after a ping to an absent host (INCOMPLETE, then FAILED), static entries.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a link set va address 02:00:00:00:0a:01
ip -n b link set vb address 02:00:00:00:0b:01
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
sleep 3
ip -n a neigh
ip netns exec a ping -c 1 10.0.0.2
ip -n a neigh
ip -n a neigh show dev va
ip -n a -4 neigh
ip -n b neigh
ip -n a neigh show 10.0.0.2
ip -n a -br neigh
ip -n a -j neigh
ip netns exec a arp -n
ip netns exec a ping -c 1 -W 1 10.0.0.9
ip -n a neigh show 10.0.0.9
sleep 3
ip -n a neigh show 10.0.0.9
ip -n a neigh show nud failed
ip -n a neigh show nud reachable
ip netns exec a arp -n
ip netns exec a arp -an
ip -n a neigh add 10.0.0.50 lladdr 02:00:00:00:00:50 dev va
ip -n a neigh add 10.0.0.51 lladdr 02:00:00:00:00:51 dev va nud reachable
ip -n a neigh add 10.0.0.52 dev va nud noarp lladdr 02:00:00:00:00:52
ip -n a neigh show 10.0.0.50
ip -n a neigh show 10.0.0.51
ip -n a neigh show 10.0.0.52
ip -n a neigh show nud permanent
ip -n a neigh add 10.0.0.50 lladdr 02:00:00:00:00:55 dev va
ip -n a neigh replace 10.0.0.50 lladdr 02:00:00:00:00:55 dev va
ip -n a neigh change 10.0.0.52 lladdr 02:00:00:00:00:56 dev va
ip -n a neigh show 10.0.0.50
ip -n a neigh show 10.0.0.52
ip -n a neigh del 10.0.0.50 dev va
ip -n a neigh del 10.0.0.50 dev va
ip -n a neigh show 10.0.0.50
ip -n a neigh flush dev va
ip -n a neigh
ip -n a neigh flush all
ip -n a neigh show nud all
ip -n a neigh add 10.0.0.60 lladdr zz dev va
ip -n a neigh add 10.0.0.60 dev nosuch lladdr 02:00:00:00:00:60
ip -n a neigh show dev nosuch
