# ip link set: rename, mtu, up/down, address, txqueuelen, alias, and delete.
ip link add v0 type veth peer name v1
ip link set v0 address 02:00:00:00:aa:01
ip link set dev v1 address 02:00:00:00:aa:02
ip link show
ip link set v0 name eth0
ip link show
ip -br link
ip link set dev eth0 mtu 9000
ip link set v1 mtu 1400
ip link show eth0
ip link show v1
ip link set eth0 txqueuelen 500
ip link set eth0 alias "uplink port"
ip link show eth0
ip -br link show eth0
ifconfig eth0
ip link set eth0 up
ip link show eth0
ip link set eth0 name eth1
ip link set eth0 down
ip link set eth0 name eth1
ip link set eth1 up
ip link set v1 up
ip link show
ip link set v1 down
ip link show eth1
ip -br link
ip link set eth1 mtu 65536
ip link set eth1 mtu 67
ip link set eth1 mtu 68
ip link show eth1
ip link set eth1 mtu 1500
ip link set eth1 address ff:ff:ff:ff:ff:ff
ip link set eth1 address 01:00:00:00:00:01
ip link set eth1 address zz
ip link set eth1 name lo
ip link set eth1 name ""
ip link set eth1 name abcdefghijklmnopq
ip link set eth1 name abcdefghijklmno
ip -br link
ip link delete v1
ip link
ip link add name d0 type veth
ip -br link
ip link del d0
ip link del dev veth0
ip -br link
