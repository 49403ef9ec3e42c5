# Nexthop objects (ip nexthop): single next hops, blackhole, groups with
# weights, resilient groups and their buckets, routes through `nhid`,
# deleting a member (groups shrink, routes go), a device going down, and
# the errors.
ip link add v0 type veth peer name v1
ip link add v2 type veth peer name v3
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.1.1/24 dev v2
ip link set v0 up
ip link set v1 up
ip link set v2 up
ip link set v3 up
sleep 3
ip nexthop add id 1 via 10.0.0.2 dev v0
ip nexthop add id 2 via 10.0.1.2 dev v2
ip nexthop add id 3 dev v0
ip nexthop add id 4 blackhole
ip nexthop add id 10 group 1/2
ip nexthop add id 11 group 1,3/2,1
ip nexthop add id 12 group 1/2 type resilient buckets 8 idle_timer 60 unbalanced_timer 120
ip nexthop
ip nexthop show id 11
ip nexthop list
ip -j nexthop show
ip -d nexthop show id 12
ip nexthop get id 10
ip nexthop show group
ip nexthop show dev v0
# A bucket's idle time is the wall time since it was last used or moved:
# after a pause it is shown in whole seconds, which both sides agree on.
sleep 2
ip nexthop bucket show id 12 | sort | awk '{ $6 = int($6); print }'
ip route add 10.9.0.0/24 nhid 10
ip route add 10.8.0.0/24 nhid 1
ip route add 10.7.0.0/24 nhid 4
ip route
ip -j route show 10.9.0.0/24
ip route get 10.8.0.1
ip nexthop add id 1 via 10.0.0.3 dev v0; echo dup $?
ip nexthop add id 5 via 10.5.5.5 dev v0; echo badgw $?
ip nexthop add id 5 group 1/99; echo nogroupmember $?
ip nexthop add id 5 group 1/1; echo dupmember $?
ip nexthop add id 5 via 10.0.0.2; echo nodev $?
ip nexthop add id 0 via 10.0.0.2 dev v0; echo id0 $?
ip route add 10.6.0.0/24 nhid 99; echo nonhid $?
ip nexthop del id 99; echo delmissing $?
ip nexthop replace id 1 via 10.0.0.4 dev v0
ip nexthop show id 1
ip route show 10.9.0.0/24
ip nexthop del id 2
ip nexthop show id 10
ip route show 10.9.0.0/24
ip nexthop del id 1
ip nexthop
ip route
ip nexthop add id 20 via 10.0.1.2 dev v2
ip nexthop add id 21 group 3/20
ip route add 10.5.0.0/24 nhid 21
ip link set v2 down
sleep 1
ip nexthop
ip route
ip nexthop flush
ip nexthop
ip route
