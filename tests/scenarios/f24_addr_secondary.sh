# Secondary addresses: deleting the primary removes its secondaries unless
# promote_secondaries is set; flush by prefix; labels; brd +; scopes.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v0
ip addr add 10.0.0.3/24 dev v0 label v0:sec
ip addr add 10.1.0.1/16 brd + dev v0
ip addr show v0
ip -4 addr show v0 secondary
ip addr del 10.0.0.1/24 dev v0
ip addr show v0
sysctl net.ipv4.conf.v0.promote_secondaries
sysctl -w net.ipv4.conf.v0.promote_secondaries=1
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v0
ip addr add 10.0.0.3/24 dev v0
ip addr show v0
ip route show table local
ip addr del 10.0.0.1/24 dev v0
ip addr show v0
ip route show table local
ip addr del 10.0.0.2/24 dev v0
ip -4 addr show v0
ip addr add 10.2.0.1/24 dev v0
ip addr add 10.2.0.2/24 dev v0
ip addr add 10.3.0.1/24 dev v0
ip addr flush dev v0 to 10.2.0.0/24
ip -4 addr show v0
ip addr add 10.4.0.1/24 dev v0 scope host
ip addr add 10.5.0.1/24 dev v0 scope link
ip addr show dev v0 scope host
ip addr show dev v0 scope link
ip addr show dev v0 scope global
ip -4 addr flush dev v0 scope global
ip -4 addr show v0
ip addr add 192.168.1.1/30 brd + dev v0
ip addr add 192.168.2.1/31 dev v0
ip addr add 192.168.3.1/32 brd + dev v0
ip -4 addr show v0
ip route show table local dev v0
ip addr add 192.168.4.1/24 dev v0 label v0:a
ip addr add 192.168.5.1/24 dev v0 label bad
ip -4 addr show label v0:a
ip addr flush label v0:a
ip -4 -o addr show v0
