# A bridge managed with ip link: ports, its MAC (the lowest port MAC),
# master/nomaster, bridge link, ip -d details.
ip link add br0 type bridge
ip link show br0
ip -d link show br0
ip -br link
ip link add v0 address 02:00:00:00:00:20 type veth peer name v0p address 02:00:00:00:00:21
ip link add v1 address 02:00:00:00:00:10 type veth peer name v1p address 02:00:00:00:00:11
ip link set v0 master br0
ip link show br0
ip link set v1 master br0
ip link show br0
ip link show master br0
ip -br link show master br0
bridge link
bridge link show dev v0
brctl show
ip link set br0 up
ip link set v0 up
ip link set v1 up
sleep 3
ip link show br0
ip -br link
bridge link
ip -d link show v0
ip -j link show v1
bridge -d link show dev v1
ip addr add 192.168.77.1/24 dev br0
ip link set v0p up
ip link set v1p up
sleep 3
ip link show br0
ip -br link
bridge link
ip addr show br0
ip route
ip link set v1 nomaster
ip link show br0
bridge link
brctl show
ip link set v0 nomaster
ip link show br0
brctl show br0
bridge fdb show br br0
ip link del br0
ip -br link
brctl show
