# Neighbour states in time: REACHABLE turns STALE after base_reachable_time
# (shortened), a STALE entry used again goes DELAY then REACHABLE; replace,
# del, flush; arp -n/-s/-d; an absent host going INCOMPLETE then FAILED.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a link set va address 02:00:00:00:0a:01
ip -n b link set vb address 02:00:00:00:0b:01
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip netns exec a sysctl -w net.ipv4.neigh.va.base_reachable_time_ms=2000
ip netns exec a sysctl net.ipv4.neigh.va.delay_first_probe_time
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
sleep 3
ip netns exec a ping -c 1 10.0.0.2
ip -n a neigh show 10.0.0.2
sleep 5
ip -n a neigh show 10.0.0.2
ip netns exec a arp -n
ip netns exec a ping -c 1 10.0.0.2
ip -n a neigh show 10.0.0.2
sleep 7
ip -n a neigh show 10.0.0.2
ip -n a neigh replace 10.0.0.2 lladdr 02:00:00:00:0b:99 dev va
ip -n a neigh show 10.0.0.2
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip -n a neigh replace 10.0.0.2 lladdr 02:00:00:00:0b:01 dev va nud stale
ip -n a neigh show 10.0.0.2
ip netns exec a ping -c 1 10.0.0.2
ip -n a neigh show 10.0.0.2
ip -n a neigh del 10.0.0.2 dev va
ip -n a neigh show 10.0.0.2
ip netns exec a arp -s 10.0.0.77 02:00:00:00:00:77
ip netns exec a arp -n
ip -n a neigh show 10.0.0.77
ip netns exec a arp -d 10.0.0.77
ip netns exec a arp -n
ip netns exec a arp -d 10.0.0.77
ip netns exec a ping -c 3 -i 0.5 10.0.0.9
ip -n a neigh show 10.0.0.9
ip -n a neigh flush dev va
ip -n a neigh
ip netns exec a ping -c 1 -W 1 10.0.0.9
ip -n a neigh show 10.0.0.9
ip -n a neigh flush nud incomplete
ip -n a neigh
