# Two hosts, one VXLAN, as Neutron's Open vSwitch-less (linuxbridge) agent
# builds it: each host has eth0 on the underlay 192.168.0.0/24, a bridge
# brq with a vxlan port (VNI 42, the IANA port) and a veth into a "VM"
# namespace. The VMs (10.0.0.1 and 10.0.0.2) ping each other across it.
#
#   h1: vm1 --veth-- brq --vxlan-42-- eth0 ===wire=== eth0 --vxlan-42-- brq --veth-- vm2 :h2
vnet-host add h2
vnet-host link h1:eth0 h2:eth0
vnet-host
on h1 ip addr add 192.168.0.1/24 dev eth0
on h2 ip addr add 192.168.0.2/24 dev eth0
for h in 1 2; do
  on h$h ip link set eth0 up
  on h$h ip link add vxlan-42 type vxlan id 42 dev eth0 dstport 4789
  on h$h ip link add brq type bridge
  on h$h ip link set vxlan-42 master brq
  on h$h ip netns add vm
  on h$h ip link add tap$h type veth peer name eth0 netns vm
  on h$h ip link set tap$h master brq
  on h$h ip -n vm addr add 10.0.0.$h/24 dev eth0
  on h$h ip -n vm link set eth0 up
  on h$h ip link set tap$h up
  on h$h ip link set vxlan-42 up
  on h$h ip link set brq up
done
# Neutron's l2population (or the agent) points the flood entry at the peer VTEP.
on h1 bridge fdb append 00:00:00:00:00:00 dev vxlan-42 dst 192.168.0.2
on h2 bridge fdb append 00:00:00:00:00:00 dev vxlan-42 dst 192.168.0.1
sleep 3
on h1 ip -d link show vxlan-42
on h1 tcpdump -n -e -i eth0 -c 4 udp port 4789 > cap.txt 2>&1 &
sleep 1
ssh h1 ip netns exec vm ping -c 2 10.0.0.2
wait
cat cap.txt
on h1 bridge fdb show dev vxlan-42
on h2 bridge fdb show dev vxlan-42
on h2 ip -s link show vxlan-42
