# ip link set / add error cases not in e02: bad flag values, mtu limits of
# each device type, bad addresses and lengths, txqueuelen, alias, veth/tap.
ip link add d0 type veth peer name d0p
ip link add v0 type veth peer name v1
ip tuntap add mode tap tap0
ip link set d0 promisc maybe
ip link set d0 arp
ip link set d0 allmulticast yes
ip link set d0 multicast bogus
ip link set d0 txqueuelen abc
ip link set d0 txqueuelen -1
ip link set d0 mtu 0
ip link set d0 mtu -5
ip link set d0 mtu 70000
ip link set d0 mtu 65535
ip link set v0 mtu 65535
ip link set v0 mtu 65536
ip link set tap0 mtu 65521
ip link set tap0 mtu 65522
ip link set tap0 mtu 67
ip link set lo mtu 100000
ip link set lo mtu 1500
ip link set d0 address 02:00:00:00:00
ip link set d0 address 02:00:00:00:00:01:02
ip link set d0 address 02:00:00:00:00:1g
ip link set d0 address
ip link set d0 mtu
ip link set d0 name
ip link set d0 name v0
ip link set d0 netns
ip link set d0 master d0
ip link set d0 nomaster
ip link set d0 up down
ip link set d0 dev v0 up
ip link set
ip link set up
ip link add d1 mtu 100 type veth
ip link add d2 mtu 70000 type veth
ip link add d3 address zz type veth
ip link add d4 txqueuelen x type veth
ip link add d0 type veth peer name d0p
ip link add dev d5 type bridge peer name d6
ip link add v2 type veth peer
ip link add v2 type veth peer name
ip link add v2 type veth peer name v0
ip link show dev
ip link show type nosuchtype
ip link show v0 bogus
ip -br link
ip -d link show d0
