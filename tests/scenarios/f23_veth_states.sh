# veth carrier and operstate: one end down (NO-CARRIER, LOWERLAYERDOWN),
# the peer in another namespace, the peer's namespace deleted. IPv6 is off
# on the pair so that the counters ifconfig shows stay at zero.
ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
sysctl -qw net.ipv6.conf.v0.disable_ipv6=1
sysctl -qw net.ipv6.conf.v1.disable_ipv6=1
ip link set v0 up
ip link show v0
ip -br link
ip -d link show v0
ip link set v1 up
ip link show v0
ip link show v1
ip link set v1 down
ip link show v0
ip -br link
ifconfig v0
ip addr add 10.0.0.1/24 dev v0
ip route
ip route get 10.0.0.2
ip netns add b
ip link set v1 netns b
ip link show v0
ip -n b link show v1
ip -n b link set v1 up
ip link show v0
ip -n b link show v1
ip route
ip -n b link set v1 down
ip link show v0
ip netns del b
sleep 1
ip link show v0
ip -br link
ip link add v2 type veth peer name v3
ip link set v2 up
ip link set v3 up
ip link del v3
ip link show v2
ip -br link
