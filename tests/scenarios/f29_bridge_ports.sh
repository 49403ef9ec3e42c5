# Bridge port settings and states: bridge link set (cost, priority,
# learning, flood, hairpin), STP on (listening/learning/forwarding) and off,
# brctl showstp, ip -d link of a port.
ip link add br0 type bridge
ip link set br0 address 02:00:00:00:02:00
ip link add v0 address 02:00:00:00:02:01 type veth peer name v0p address 02:00:00:00:02:11
ip link add v1 address 02:00:00:00:02:02 type veth peer name v1p address 02:00:00:00:02:12
ip link set v0 master br0
ip link set v1 master br0
bridge link set dev v0 cost 10
bridge link set dev v0 priority 5
bridge link set dev v1 learning off
bridge link set dev v1 flood off
bridge link set dev v1 hairpin on
bridge -d link show dev v0
bridge -d link show dev v1
ip -d link show v1
brctl showstp br0
bridge link set dev v1 learning on flood on hairpin off
bridge -d link show dev v1
bridge link set dev nosuch cost 5
bridge link set dev v0 cost abc
bridge link set dev v0 state 9
brctl hairpin br0 v0 on
bridge -d link show dev v0
brctl hairpin br0 v0 off
ip link set br0 up
ip link set v0 up
ip link set v0p up
sleep 1
bridge link
brctl stp br0 on
bridge link
brctl showstp br0
sleep 3
bridge link
brctl show
brctl stp br0 off
bridge link
ip link set v1 up
ip link set v1p up
sleep 1
bridge link
ip link set v0p down
bridge link
ip -br link
