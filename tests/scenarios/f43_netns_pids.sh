# area: netns
# `ip netns identify`, `ip netns pids` and `ip netns attach` (ip-netns(8)),
# with processes started in namespaces and the shell's own namespace.
ip netns add red
ip netns identify
ip netns identify $$
echo "rc=$?"
ip netns pids red
echo "rc=$?"
ip netns exec red sleep 2 >/dev/null 2>&1 &
sleep 0.5
ip netns pids red | wc -l
ip netns identify $!
ip netns pids blue
echo "rc=$?"
ip netns attach host $$
echo "rc=$?"
ip netns list
ip netns identify
ip netns attach host2 $$
ip netns attach red $$
echo "rc=$?"
ip netns identify 999999
echo "rc=$?"
ip netns identify abc
echo "rc=$?"
ip netns attach blue 999999
echo "rc=$?"
ip netns attach blue
echo "rc=$?"
ip netns list
ip link add v1 type veth peer name v2
ip link set v2 netns $!
echo "rc=$?"
ip -n red link show v2
wait
ip netns pids red | wc -l
ip link set v1 netns 999999
echo "rc=$?"
ip link set v1 netns abc
echo "rc=$?"
ip netns delete host
ip netns delete host2
ip netns list
ip link show v1
