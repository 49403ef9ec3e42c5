# ip addr error cases: bad prefixes and addresses, unknown devices,
# duplicates, deleting what is not there.
ip link add v0 type veth peer name v1
ip addr add 1.2.3.4/24 dev nosuch
ip addr add 10.0.0.1/33 dev v0
ip addr add 10.0.0.1/-1 dev v0
ip addr add 10.0.0.1/abc dev v0
ip addr add 1.2.3 dev v0
ip addr add 1.2.3/24 dev v0
ip addr add 256.1.1.1/24 dev v0
ip addr add 10.0.0.1.5/24 dev v0
ip addr add nonsense dev v0
ip addr add 10.0.0.1/24
ip addr add dev v0
ip addr add 2001:db8::1/129 dev v0
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.1/16 dev v0
ip addr add 10.0.0.1/24 dev v1
ip addr add 10.0.0.9/24 dev v0 scope bogus
ip addr add 10.0.0.9/24 dev v0 bogus
ip addr add 10.0.0.9/24 brd + dev v0 label foo
ip addr del 10.0.0.2/24 dev v0
ip addr del 10.0.0.1/25 dev v0
ip addr del 10.0.0.1/24 dev nosuch
ip addr del 10.0.0.1/24
ip addr show dev nosuch
ip addr flush dev nosuch
ip addr flush
ip -4 addr show v0
ip addr show v1
ifconfig v0 10.0.0.1/33
ifconfig v0 1.2.3
ip -4 addr show v0
