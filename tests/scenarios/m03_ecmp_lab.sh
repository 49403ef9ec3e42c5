# A router with two equal paths to a network (ECMP): UDP flows from many
# source ports spread over both paths under the L4 hash policy, and all
# take one path under the L3 policy. tcpdump counts on each path; only
# totals and "both used / one used" are printed, which do not depend on
# the kernel's random hash seed. tcpdump is given 3 s before the kill:
# libpcap hands packets over in blocks with a 1 s timeout.
ip netns add a
ip netns add r
ip netns add s
ip netns add b
ip link add a0 netns a type veth peer name r0 netns r
ip link add r1 netns r type veth peer name s1 netns s
ip link add r2 netns r type veth peer name s2 netns s
ip link add s3 netns s type veth peer name b0 netns b
ip -n a addr add 10.0.0.2/24 dev a0
ip -n r addr add 10.0.0.1/24 dev r0
ip -n r addr add 10.1.1.1/24 dev r1
ip -n s addr add 10.1.1.2/24 dev s1
ip -n r addr add 10.1.2.1/24 dev r2
ip -n s addr add 10.1.2.2/24 dev s2
ip -n s addr add 10.2.0.1/24 dev s3
ip -n b addr add 10.2.0.2/24 dev b0
for n in a r s b; do ip -n $n link set lo up; done
ip -n a link set a0 up
ip -n r link set r0 up
ip -n r link set r1 up
ip -n r link set r2 up
ip -n s link set s1 up
ip -n s link set s2 up
ip -n s link set s3 up
ip -n b link set b0 up
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec s sysctl -qw net.ipv4.ip_forward=1
ip -n a route add default via 10.0.0.1
ip -n b route add default via 10.2.0.1
ip -n s route add 10.0.0.0/24 via 10.1.1.1
ip -n r route add 10.2.0.0/24 nexthop via 10.1.1.2 nexthop via 10.1.2.2
ip -n r route
sleep 3
ip netns exec a ping -c 2 -i 0.2 10.2.0.2 | grep -c 'bytes from'
ip netns exec r sysctl net.ipv4.fib_multipath_hash_policy
ip netns exec r sysctl -w net.ipv4.fib_multipath_hash_policy=1
ip netns exec r tcpdump -i r1 -n -l udp > c1.txt 2>/dev/null &
t1=$!
ip netns exec r tcpdump -i r2 -n -l udp > c2.txt 2>/dev/null &
t2=$!
sleep 1
for p in $(seq 40000 40031); do echo x | ip netns exec a nc -u -w 1 -p $p 10.2.0.2 9; done
sleep 3
kill $t1 $t2
wait
n1=$(grep -c UDP c1.txt); n2=$(grep -c UDP c2.txt); true
echo "L4 policy: total $((n1 + n2))"
if [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ]; then echo "L4 policy: both paths used"; else echo "L4 policy: one path"; fi
ip netns exec r sysctl -w net.ipv4.fib_multipath_hash_policy=0
ip netns exec r tcpdump -i r1 -n -l udp > c1.txt 2>/dev/null &
t1=$!
ip netns exec r tcpdump -i r2 -n -l udp > c2.txt 2>/dev/null &
t2=$!
sleep 1
for p in $(seq 40000 40031); do echo x | ip netns exec a nc -u -w 1 -p $p 10.2.0.2 9; done
sleep 3
kill $t1 $t2
wait
n1=$(grep -c UDP c1.txt); n2=$(grep -c UDP c2.txt); true
echo "L3 policy: total $((n1 + n2))"
if [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ]; then echo "L3 policy: both paths used"; else echo "L3 policy: one path"; fi
ip netns exec r sysctl net.ipv4.fib_multipath_use_neigh net.ipv4.fib_multipath_hash_fields
ip netns exec r sysctl net.ipv6.fib_multipath_hash_policy
ip -n r link set r2 down
ip -n r route
ip netns exec a ping -c 3 -i 0.2 10.2.0.2 | grep -c 'bytes from'
ip -n r route get 10.2.0.2 from 10.0.0.2 iif r0
