# ip netns: list, ids, set, identify, list-id, pids, exec, -n, veth ends in
# different namespaces (link-netns / link-netnsid), moving devices around.
ip netns list
ip netns add red
ip netns add blue
ip netns
ip netns list
ls /run/netns
ip netns list-id
ip link add v-red type veth peer name v-blue
ip link set v-red netns red
ip netns list
ip netns list-id
ip link
ip link set v-blue netns blue
ip netns list
ip -n red link
ip -n blue link
ip -n red -d link show v-red
ip -n red -br link
ip -n red -j link show v-red
ip netns exec red ip netns list
ip netns exec red ip netns list-id
ip netns exec red ip netns identify
ip netns identify
ip netns add green
ip netns set green 7
ip netns list
ip netns list-id
ip netns set green 8
ip netns add yellow
ip netns set yellow auto
ip netns list
ip netns pids red
ip -n red link set v-red netns blue
ip -n blue link
ip -n red link
ip -n blue link set v-red netns 1
ip link
ip -br link
ip link set v-red netns red
ip -n red link
ip netns exec blue ip link set v-blue netns green
ip -n green link
ip -n red link
ip netns exec green ip link set lo up
ip -n green addr
ip -n green route
ip -n green route show table local
ip netns delete green
# Namespace teardown (and with it the veth pair) is asynchronous.
sleep 1
ip netns list
ip -n red link
ip netns del red
ip netns list
ip -all netns exec ip -br link
ip -all netns delete
ip netns list
