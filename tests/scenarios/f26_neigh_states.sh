# Neighbour states in time, with base_reachable_time and
# delay_first_probe_time shortened: REACHABLE turns STALE when unused, a
# STALE entry used goes DELAY, then PROBE and REACHABLE again; replace with
# a wrong address, nud stale; arp -s/-d. b's entry for a is static, so b
# never probes a (its requests would reset a's state at random moments).
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
ip netns exec a sysctl -w net.ipv4.neigh.va.delay_first_probe_time=1
ip netns exec a sysctl net.ipv4.neigh.va.base_reachable_time
ip netns exec a sysctl net.ipv4.neigh.va.retrans_time_ms
ip netns exec a sysctl -w net.ipv4.neigh.va.retrans_time=50
ip netns exec a sysctl net.ipv4.neigh.va.retrans_time_ms
ip netns exec a sysctl -w net.ipv4.neigh.va.retrans_time_ms=1000
ip netns exec a sysctl net.ipv4.neigh.va.ucast_solicit net.ipv4.neigh.va.mcast_solicit
ip -n b neigh add 10.0.0.1 lladdr 02:00:00:00:0a:01 dev vb nud permanent
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
sleep 3
ip netns exec a ping -c 1 10.0.0.2
ip -n a neigh show 10.0.0.2
sleep 4
ip -n a neigh show 10.0.0.2
ip netns exec a arp -n
ip netns exec a ping -c 1 10.0.0.2
ip -n a neigh show 10.0.0.2
sleep 5
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
ip netns exec a arp -an
ip netns exec a arp -d 10.0.0.77
ip netns exec a arp -n
ip netns exec a arp -d 10.0.0.77
ip netns exec a arp -s 10.0.0.78 02:00:00:00:00:78 temp
ip -n a neigh show 10.0.0.78
ip netns exec a arp -i va -n
ip netns exec a arp -i lo -n
ip -n a neigh flush dev va
ip -n a neigh
