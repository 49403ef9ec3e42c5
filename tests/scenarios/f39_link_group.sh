# area: link
# Device groups as the ip-link(8) man page and Cumulus/LARTC-style guides
# use them: `ip link set dev X group N`, `ip link show group N`, setting
# every member of a group at once, names from /etc/iproute2/group, JSON.
ip link add v1 type veth peer name v1p
ip link add v2 type veth peer name v2p
ip link add br0 type bridge
ip link set dev v1 group 5
ip link set dev v2 group 5
ip link set v1p group 7
ip link show group 5
ip link show group 7
ip link show group 0
ip link show group default
ip link show group 9
echo "rc=$?"
ip link set group 5 up
ip -br link show
ip link set group 5 mtu 1400
ip link show v1
ip link set dev v1 group 4294967295
ip link show v1
ip link set dev v1 group foo
echo "rc=$?"
ip link set dev v1 group -1
echo "rc=$?"
ip link show group foo
echo "rc=$?"
ip -j link show dev v2
echo
ip -o link show group 5
ip addr show group 5
ip link set group 5 down
ip link show up
ip link set dev v2 group default
ip link show v2
ip link del group 7
echo "rc=$?"
ip link show
ip link set group 12 up
echo "rc=$?"
ip link set group
echo "rc=$?"
