ip link add v1 type veth peer name v2
ip link add vl10 link v1 type vlan id 10 egress-qos-map 1:2 ingress-qos-map 3:4
ip -j -d link show vl10
ip link add ipv0 link v1 type ipvlan mode l3
ip -j -d link show ipv0
ip link add ipip0 type ipip remote 10.0.0.2 local 10.0.0.1 ttl 64
ip -j -d link show ipip0
ip link add gre0x type gre remote 10.0.0.2 local 10.0.0.1 key 5 tos 0x10 nopmtudisc dev v1
ip -j -d link show gre0x
ip link add sit0x type sit remote 10.0.0.2 local 10.0.0.1
ip -j -d link show sit0x
ip link add vti0x type vti remote 10.0.0.2 local 10.0.0.1 ikey 7 okey 8
ip -j -d link show vti0x
