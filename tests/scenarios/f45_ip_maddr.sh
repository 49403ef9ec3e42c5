# area: addresses
# `ip maddress` (ip/ipmaddr.c, read from /proc/net/dev_mcast, igmp and
# igmp6): the link-layer, IPv4 and IPv6 groups of a veth pair and of a
# bridge with a port, groups joined with `ip addr add ... autojoin` on a
# device that is up and on one that is down, the family and device
# filters, JSON, and the usage errors.
ip link add br0 address 02:00:00:00:06:00 type bridge
ip link add p0 address 02:00:00:00:06:01 type veth peer name p1 address 02:00:00:00:06:02
ip link set p0 master br0
ip link add v0 address 02:00:00:00:06:10 type veth peer name v1 address 02:00:00:00:06:11
ip link set p1 up
ip link set p0 up
ip link set br0 up
ip link set v0 up
ip addr add 10.0.0.1/24 dev v0
ip addr add 239.5.5.5/32 dev v0 autojoin
ip addr add 239.5.5.6/32 dev v0 autojoin
ip addr add 239.5.5.5/32 dev v1 autojoin
sleep 3
ip maddr show
ip maddr show dev v0
ip -4 maddr
ip -6 maddr show dev br0
ip -0 maddr show dev v1
ip -j maddr show dev v0
ip m s lo
ip maddr show dev nosuch
ip maddr show dev v0 dev v1
echo "rc=$?"
ip maddr foo
echo "rc=$?"
ip addr del 239.5.5.5/32 dev v0
ip link set v1 up
sleep 3
ip maddr show dev v0
ip maddr show dev v1
