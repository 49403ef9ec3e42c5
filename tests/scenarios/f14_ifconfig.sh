# ifconfig forms: list, -a, -s, one device, address/netmask/broadcast, up/down,
# mtu, aliases, errors.
tunctl -t tap0
ip link add v0 type veth peer name v1
ifconfig
ifconfig -a
ifconfig -s
ifconfig -a -s
ifconfig v0
ifconfig v0 10.0.0.1/24 up
ifconfig v0
ifconfig v1 10.0.0.2 netmask 255.255.255.0 broadcast 10.0.0.255
ifconfig v1 up
sleep 3
ifconfig v1
ifconfig
ip addr show v0
ip addr show v1
ifconfig v0 10.1.0.1
ifconfig v0
ifconfig v0 netmask 255.255.0.0
ifconfig v0 broadcast 10.1.255.255
ifconfig v0 mtu 1400
ifconfig v0
ip addr show v0
ifconfig v0:0 10.2.0.1 netmask 255.255.255.0
ifconfig v0:0
ip -4 addr show v0
ifconfig v0:0 down
ip -4 addr show v0
ifconfig v0 down
ifconfig v0
ip link show v0
ifconfig
ifconfig tap0 192.168.100.1/24
ifconfig tap0
ifconfig tap0 hw ether 02:00:00:00:11:22
ifconfig tap0
ifconfig v0 up
ifconfig v0 0.0.0.0
ifconfig v0
ifconfig nosuch
ifconfig nosuch up
ifconfig v0 300.1.1.1
ifconfig v0 netmask 255.0.255.0
ifconfig v0 mtu 70000
ifconfig v0 bogus
ifconfig --help
