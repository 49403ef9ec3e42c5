# Routes through nexthop objects with `ip -d route`: the object itself is
# shown after the route (nh_info), for a single next hop and a group.
ip link add a1 type veth peer name b1
ip link add a2 type veth peer name b2
ip addr add 10.1.0.1/24 dev a1
ip addr add 10.2.0.1/24 dev a2
ip link set a1 up
ip link set b1 up
ip link set a2 up
ip link set b2 up
sleep 1
ip nexthop add id 1 via 10.1.0.2 dev a1
ip nexthop add id 2 via 10.2.0.2 dev a2 proto static
ip nexthop add id 3 group 1/2,2
ip nexthop add id 4 blackhole
ip route add 10.9.0.0/24 nhid 1
ip route add 10.8.0.0/24 nhid 3
ip route add 10.7.0.0/24 nhid 4
ip -d route show 10.9.0.0/24
ip -d route show 10.8.0.0/24
ip -d route show 10.7.0.0/24
ip -j route show 10.8.0.0/24
