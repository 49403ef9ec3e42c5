# Commands take time, as on a kernel (crates/vnet-tools/src/cost.rs): an
# `ip` command about 1.5 ms. The first MLD report after a veth comes up
# leaves 8-12 ms later (2 jiffies of mld_ifc_work): after forty more commands
# (some 60 ms) both ends have sent theirs, which a machine whose commands
# took no time would not show yet. A cold ping -i 0 across a router gets every
# reply: the first probe waits in the neighbour queues, and each next one
# goes when the last is answered.
ip link add v0 type veth peer name v1
ip link set v1 up
ip link set v0 up
for i in $(seq 40); do ip link show v0 >/dev/null; done
ip -s link show v0 | awk 'NR==4 {print "rx > 0:", ($2 > 0)} NR==6 {print "tx > 0:", ($2 > 0)}'
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name ra netns r
ip link set va netns a
ip link add vb type veth peer name rb netns r
ip link set vb netns b
ip -n a addr add 10.0.1.2/24 dev va
ip -n a link set va up
ip -n a route add default via 10.0.1.1
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n r link set ra up
ip -n r link set rb up
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip -n b addr add 10.0.2.2/24 dev vb
ip -n b link set vb up
ip -n b route add default via 10.0.2.1
ip netns exec a ping -c 200 -i 0 -q 10.0.2.2 | awk '/transmitted/ {print $1, "sent,", $4, "received"}'
