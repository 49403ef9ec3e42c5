# IPv4 path MTU discovery: a "fragmentation needed" from a router makes
# the sender learn a next-hop exception (ip_rt_update_pmtu) that `ip
# route get` and `ip route show cache` show with its expiry, that later
# DF packets obey, that expires after net.ipv4.route.mtu_expires and
# that `ip route flush cache` forgets. Below min_pmtu the exception is
# locked at 552.
ip netns add a
ip netns add r
ip netns add b
ip link add va netns a type veth peer name vra netns r
ip link add vb netns b type veth peer name vrb netns r
ip -n a addr add 10.0.1.1/24 dev va
ip -n r addr add 10.0.1.254/24 dev vra
ip -n r addr add 10.0.2.254/24 dev vrb
ip -n b addr add 10.0.2.1/24 dev vb
ip -n b addr add 10.0.2.2/24 dev vb
ip -n r link set vrb mtu 1280
ip -n b link set vb mtu 1280
ip -n a link set va up
ip -n r link set vra up
ip -n r link set vrb up
ip -n b link set vb up
ip -n a route add default via 10.0.1.254
ip -n b route add default via 10.0.2.254
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec a sysctl net.ipv4.route.mtu_expires net.ipv4.route.min_pmtu net.ipv4.ip_no_pmtu_disc
sleep 2
ip -n a route get 10.0.2.1
ip -n a route show cache
ip netns exec a ping -c 1 -M do -s 1400 10.0.2.1
ip -n a route get 10.0.2.1
ip -n a route get 10.0.2.2
ip -n a route show cache
ip -n a route show cache 10.0.2.1
ip -n a -4 route show table all cache
ip -n a -j route get 10.0.2.1
ip netns exec a ping -c 1 -M do -s 1400 10.0.2.1
ip netns exec a ping -c 1 -M do -s 1252 10.0.2.1 | head -2 | tail -1 | cut -d' ' -f1-6
ip netns exec a ping -c 1 -M want -s 1400 10.0.2.1 | head -2 | tail -1 | cut -d' ' -f1-6
sleep 5
ip -n a route get 10.0.2.1
ip -n a route list cache
ip -n a route flush cache
ip -n a route show cache
ip -n a route get 10.0.2.1
ip netns exec a ping -c 1 -M do -s 1400 10.0.2.1 | head -2
# A shorter lifetime, and its expiry.
ip netns exec a sysctl -w net.ipv4.route.mtu_expires=30
ip netns exec a ping -c 1 -M do -s 1400 10.0.2.2 | head -2
ip -n a route get 10.0.2.2
sleep 12
ip -n a route get 10.0.2.2
sleep 20
ip -n a route get 10.0.2.2
ip -n a route show cache
# Below min_pmtu: locked at 552.
ip -n r link set vrb mtu 500
ip -n b link set vb mtu 500
ip netns exec a ping -c 1 -M do -s 1000 10.0.2.1 | head -2
ip -n a route get 10.0.2.1
ip netns exec a ping -c 1 -M do -s 1000 10.0.2.1 | head -2
ip -n a -4 route flush cache
ip -n a route get 10.0.2.1
