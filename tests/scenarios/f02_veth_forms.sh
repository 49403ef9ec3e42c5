# Every listing form for a veth pair, down and then up with addresses.
ip link add v0 type veth peer name v1
ip link
ip link show v0
ip link show type veth
ip -br link
ip -o link
ip -d link show v0
ip -s link show v1
ip -j link show v0
ip addr show v0
ip -br addr
ifconfig -a
ifconfig v0
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 dev v1
ip addr show v0
ip link set v0 up
ip link show v0
ip -br link show v0
ip -br addr show v0
ip link set v1 up
sleep 3
ip link
ip -br link
ip -o link
ip addr
ip -br addr
ip -o addr
ip -4 addr
ip -6 addr
ip -4 -o addr show v0
ip -6 -br addr
ip -j addr show v0
ip -d addr show v1
ip link show up
ip addr show up
ip route
ip -6 route
ip -j route
ifconfig v0
ifconfig
