# ip link / ip tuntap / tunctl error cases: duplicates, unknown devices,
# unknown types, options and subcommands.
ip link add v0 type veth peer name v1
ip link add v0 type veth peer name v2
ip link add v5 type veth peer name v0
ip link add v6 type veth peer name v6
ip link add br0 type bridge
ip link add br0 type bridge
ip link add lo type bridge
ip link add x0 type nosuchtype
ip link add x0
ip link add name abcdefghijklmnopq type bridge
ip link set nosuch up
ip link set dev nosuch down
ip link set v0 bogus
ip link set v0 mtu abc
ip link set v0 master nosuch
ip link set v0 master v1
ip link show nosuch
ip link del nosuch
ip link delete dev nosuch
ip link del lo
ip link bogus
ip link help
ip bogus
ip -bogus link
ip
ip -V
ip addr bogus
ip route bogus
ip neigh bogus
ip li
ip lin sh lo
ip a s lo
tunctl -t v0
tunctl -d nosuch
tunctl -x
ip tuntap add mode tap v0
ip tuntap add mode bogus t0
ip tuntap del mode tap v0
ip -br link
