# Nexthop objects beyond the basics: traffic through an nhid route, group
# replacement, resilient buckets when a member goes, IPv6 next hops and
# their routes, carrier loss, flush by device, and the kernel's refusals.
ip netns add h1
ip netns add h2
ip link add a1 type veth peer name b1
ip link add a2 type veth peer name b2
ip link set b1 netns h1
ip link set b2 netns h2
ip addr add 10.1.0.1/24 dev a1
ip addr add 10.2.0.1/24 dev a2
ip -6 addr add 2001:db8:1::1/64 dev a1 nodad
ip -6 addr add 2001:db8:2::1/64 dev a2 nodad
ip link set a1 up
ip link set a2 up
ip -n h1 addr add 10.1.0.2/24 dev b1
ip -n h2 addr add 10.2.0.2/24 dev b2
ip -n h1 -6 addr add 2001:db8:1::2/64 dev b1 nodad
ip -n h2 -6 addr add 2001:db8:2::2/64 dev b2 nodad
ip -n h1 link set b1 up
ip -n h2 link set b2 up
ip -n h1 link set lo up
ip -n h1 addr add 192.0.2.1/32 dev lo
ip -n h2 link set lo up
ip -n h2 addr add 192.0.2.1/32 dev lo
sleep 2
ip nexthop add id 1 via 10.1.0.2 dev a1 proto static
ip nexthop add id 2 via 10.2.0.2 dev a2
ip nexthop add id 3 via 10.1.0.2 dev a1 onlink
ip nexthop add id 4 blackhole
ip nexthop add group 1/2
ip nexthop
ip -d nexthop show id 3
ip nexthop add id 20 group 1/2 type resilient buckets 6
ip nexthop bucket show id 20 | awk '{ print $1, $2, $3, $4, $7, $8 }'
ip nexthop bucket get id 20 index 0 | awk '{ print $1, $2, $3, $4, $7, $8 }'
ip -j nexthop bucket get id 20 index 5 | grep -c '"nhid":1'
ip route add 192.0.2.1/32 nhid 1
ping -c 1 -W 1 192.0.2.1 | head -2
ip route replace 192.0.2.1/32 nhid 2
ping -c 1 -W 1 192.0.2.1 | head -2
ip route get 192.0.2.1
ip route replace 192.0.2.1/32 nhid 4
ping -c 1 -W 1 192.0.2.1; echo blackhole $?
ip route get 192.0.2.1; echo get $?
ip route replace 192.0.2.1/32 nhid 20
ip route show 192.0.2.1
ip nexthop replace id 20 group 1/2/3 type resilient
ip nexthop show id 20
ip nexthop bucket show id 20 nhid 3 | awk '{ print $1, $2, $3, $4, $7, $8 }'
ip nexthop bucket show nhid 3 | wc -l
ip nexthop del id 3
ip nexthop bucket show id 20 | awk '{ print $1, $2, $3, $4, $7, $8 }'
ip route show 192.0.2.1
ip nexthop replace id 5 group 2
ip nexthop show id 5
ip route add 198.51.100.0/24 nhid 5
ip route add 198.51.100.0/24 via 10.1.0.2 nhid 5; echo both $?
ip route add 203.0.113.0/24 nhid 5 scope host; echo hostscope $?
ip nexthop add id 6 group 1/4; echo bhgroup $?
ip nexthop add id 6 group 1/5; echo nested $?
ip nexthop add id 6 group 1/2 type resilient; echo nobuckets $?
ip nexthop add id 6 group 1/2 type resilient buckets 0; echo zerobuckets $?
ip nexthop replace id 5 via 10.1.0.2 dev a1; echo grouptosingle $?
ip nexthop replace id 1 group 2; echo singletogroup $?
ip nexthop replace id 1 blackhole; echo bhmember $?
ip nexthop add id 6 dev a1 onlink; echo onlinknogw $?
ip nexthop add id 6 via 10.1.0.2 dev nosuch; echo nodev $?
ip nexthop add id 6 via 2001:db8:1::2 dev a1 via 10.1.0.2; echo mismatch $?
ip nexthop add id 6 group 1,300; echo weight $?
ip nexthop add id 6 group x; echo badgroup $?
ip nexthop add id 6 group 1 type foo; echo badtype $?
ip nexthop add id 6 foo; echo garbage $?
ip nexthop show id 99; echo showmissing $?
ip nexthop get id 99; echo getmissing $?
ip nexthop del; echo delnoid $?
ip nexthop bucket show id 5; echo notres $?
ip nexthop bucket show id 1; echo notgroup $?
ip nexthop bucket show id 99; echo nores $?
ip nexthop bucket get id 20 index 9; echo outofrange $?
ip nexthop flush id 99; echo flushmissing $?
ip -6 nexthop add id 30 via 2001:db8:1::2 dev a1
ip -6 nexthop add id 31 via 2001:db8:2::2 dev a2
ip nexthop add id 32 via 2001:db8:9::9 dev a1; echo v6badgw $?
ip nexthop add id 33 group 30/31
ip -6 nexthop
ip -4 nexthop
ip nexthop show groups
ip -6 route add 2001:db8:99::/64 nhid 30
ip -6 route add 2001:db8:98::/64 nhid 1; echo v6routev4nh $?
ip -6 route show 2001:db8:99::/64
ip -j -6 route show 2001:db8:99::/64
ip -n h2 link set b2 down
sleep 1
ip nexthop
ip route
ip nexthop flush dev a1
ip nexthop
ip -6 route show 2001:db8:99::/64
ip nexthop flush
ip nexthop flush
