# area: monitors
# Neighbour details: `ip neigh get ADDR dev D` (an entry, a missing one,
# without dev), `arp -n HOST` ("-- no entry" when there is none), and
# `ip neigh flush` with `nud permanent` and `nud all` (which the plain
# flush spares).
ip netns add a
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 netns a address 02:00:00:00:00:11
sysctl -qw net.ipv6.conf.v0.disable_ipv6=1
ip netns exec a sysctl -qw net.ipv6.conf.v1.disable_ipv6=1
ip addr add 10.0.0.1/24 dev v0
ip -n a addr add 10.0.0.2/24 dev v1
ip link set v0 up
ip -n a link set v1 up
ping -c 1 -W 1 10.0.0.2 >/dev/null
ip neigh add 10.0.0.50 lladdr 02:00:00:00:00:50 dev v0
ip neigh add 10.0.0.51 lladdr 02:00:00:00:00:51 dev v0 nud noarp
ip neigh get 10.0.0.2 dev v0
ip neigh get 10.0.0.50 dev v0
ip neigh get 10.0.0.51 dev v0
ip neigh get 10.0.0.99 dev v0
ip neigh get 10.0.0.2
ip neigh get 10.0.0.2 dev nosuch
ip neigh get bogus dev v0
arp -n 10.0.0.2
arp -n 10.0.0.50
arp -n 10.0.0.99
arp -n -i v0 10.0.0.2
arp -n -i v0 10.0.0.99
ip neigh flush dev v0
ip neigh show dev v0
ip neigh flush nud permanent
ip neigh show dev v0
ip neigh add 10.0.0.50 lladdr 02:00:00:00:00:50 dev v0
ping -c 1 -W 1 10.0.0.2 >/dev/null
ip neigh flush all
ip neigh show dev v0
ip neigh flush nud noarp dev v0
ip neigh show dev v0
