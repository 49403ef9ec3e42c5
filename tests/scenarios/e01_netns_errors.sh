# ip netns error cases: duplicates, missing namespaces, bad names.
ip netns add ns1
ip netns add ns1
ip netns delete nosuch
ip netns del nosuch
ip netns exec nosuch ip link
ip netns exec ns1 nosuchcommand
ip netns exec ns1 false
ip netns exec ns1
ip netns exec
ip netns add
ip netns add a/b
ip netns add ..
ip netns set nosuch 5
ip netns set ns1 bogus
ip netns pids nosuch
ip netns identify 999999
ip netns bogus
ip -n nosuch link
ip link set nosuch netns ns1
ip link add v0 type veth peer name v1
ip link set v0 netns nosuch
ip link set v0 netns 999999
ip netns list
ip netns delete ns1
ip netns delete ns1
ip netns list
