# area: link
# `ip -j -d link` (the linkinfo object: info_kind, info_data,
# info_slave_kind/info_slave_data) for the kinds container tools read
# back as JSON: veth, bridge and its ports, vxlan, macvlan, macvtap,
# tun/tap, ifb; options that change what info_data holds.
ip link add v1 type veth peer name v2
ip link add br0 type bridge
ip link set v2 master br0
ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev v1
ip link add mv0 link v1 type macvlan mode bridge
ip link add ifb0 type ifb
ip tuntap add dev tap0 mode tap
ip tuntap add dev tun0 mode tun
ip -j -d link show v1
echo
ip -j -d link show v2
echo
ip -j -d link show br0
echo
ip -j -d link show vx0
echo
ip -j -d link show mv0
echo
ip -j -d link show ifb0
echo
ip -j -d link show tap0
echo
ip -j -d link show tun0
echo
ip -j -d link show lo
echo
ip -j -p -d link show v1
ip netns add ns1
ip link add v3 type veth peer name v4 netns ns1
ip -j link show v3
echo
ip -j addr show v3
echo
ip netns exec ns1 ip -j link show v4
echo
ip link add mvt0 link v1 type macvtap mode vepa
ip -j -d link show mvt0
echo
ip link add vx1 type vxlan id 7 remote 10.0.0.9 dstport 8472 nolearning ttl 5 tos 0x10 df set ageing 100 maxaddr 10 noudpcsum
ip -j -d link show vx1
echo
ip link add vx2 type vxlan id 8 group 239.1.1.1 dev v1 ttl inherit
ip -j -d link show vx2
echo
ip tuntap add dev tap1 mode tap multi_queue user 0 group 0 vnet_hdr
ip -j -d link show tap1
echo
ip link add br1 type bridge stp_state 1 priority 100 group_fwd_mask 8
ip link add v5 type veth peer name v6
ip link set v5 master br1
ip link set v5 type bridge_slave cost 10 priority 5 learning off hairpin on group_fwd_mask 8
ip -j -d link show br1
echo
ip -j -d link show v5
echo
ip -j -d addr show v5
echo
ip -j -p -d link show v5
