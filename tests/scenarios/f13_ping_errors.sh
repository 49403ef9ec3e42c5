# ping failures: network unreachable, destination host unreachable (absent
# host on a connected subnet), TTL exceeded through a router, routes of type
# unreachable/prohibit/blackhole, unknown hosts and bad usage.
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name vra
ip link add vb type veth peer name vrb
ip link set va netns a
ip link set vra netns r
ip link set vb netns b
ip link set vrb netns r
ip -n a addr add 10.0.1.1/24 dev va
ip -n r addr add 10.0.1.254/24 dev vra
ip -n r addr add 10.0.2.254/24 dev vrb
ip -n b addr add 10.0.2.1/24 dev vb
ip -n a link set va up
ip -n r link set vra up
ip -n r link set vrb up
ip -n b link set vb up
ip -n a route add default via 10.0.1.254
ip -n b route add default via 10.0.2.254
sleep 3
ip netns exec r sysctl net.ipv4.ip_forward
ip netns exec a ping -c 1 -W 1 10.0.2.1
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec a ping -c 2 -i 0.2 10.0.2.1
ip netns exec a ping -c 2 -i 0.2 -t 1 10.0.2.1
ip netns exec a ping -c 1 -t 2 10.0.2.1
# With lo down (as in the seed's namespaces) the local "host unreachable"
# error cannot be delivered: ping just loses the packet.
ip netns exec a ping -c 1 -W 1 10.0.1.9
ip netns exec a ip neigh show 10.0.1.9
ip -n a link set lo up
ip netns exec a ping -c 2 -i 0.5 10.0.1.9
ip netns exec a ip neigh show 10.0.1.9
ip netns exec a ping -c 1 10.0.1.9
ip netns exec a ip neigh show 10.0.1.9
ip netns exec a ping -c 1 -W 1 10.0.2.9
ip netns exec r ip neigh show 10.0.2.9
ip netns exec a ping -c 1 -W 5 10.0.2.9
ip netns exec r ip neigh show 10.0.2.9
ip netns exec a ip neigh
ip netns exec r ip neigh show dev vrb
ip -n a route del default
ip netns exec a ping -c 1 10.0.2.1
ip netns exec a ping -c 1 192.0.2.1
ip -n a route add unreachable 192.0.2.0/24
ip netns exec a ping -c 1 192.0.2.1
ip -n a route add prohibit 198.51.100.0/24
ip netns exec a ping -c 1 198.51.100.1
ip -n a route add blackhole 203.0.113.0/24
ip netns exec a ping -c 1 203.0.113.1
ip -n a route add default via 10.0.1.254
ip -n r route add unreachable 192.0.2.0/24
ip -n a route del unreachable 192.0.2.0/24
ip netns exec a ping -c 1 -W 1 192.0.2.1
ip -n r route add prohibit 198.51.100.0/24
ip -n a route del prohibit 198.51.100.0/24
ip netns exec a ping -c 1 -W 1 198.51.100.1
ip netns exec a ping -c 1 -W 1 172.31.0.1
ping -c 1 nosuchhost.invalid
ping
ping -c
ping -c 0 127.0.0.1
ping -Z 127.0.0.1
ping -c 1 300.1.1.1
ip netns exec a ping -c 1 -I nosuch 10.0.2.1
