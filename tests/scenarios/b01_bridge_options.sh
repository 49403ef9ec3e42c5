# Bridge and bridge port options: set with ip link (add and set), bridge
# link set, sysfs and brctl; printed by ip -d link, ip -j -d link, bridge -d
# link, sysfs and brctl showstp; the kernel's range checks and iproute2's errors.
ip link add br0 address 02:00:00:00:05:00 type bridge forward_delay 500 hello_time 300 max_age 1200 ageing_time 6000 priority 100 group_fwd_mask 0x4000 nf_call_iptables 1 mcast_snooping 1 vlan_default_pvid 1
ip -d link show br0
ip link set br0 type bridge stp_state 1 priority 4096 nf_call_arptables 1 group_address 01:80:c2:00:00:0e
ip -d link show br0
cat /sys/class/net/br0/bridge/stp_state /sys/class/net/br0/bridge/priority /sys/class/net/br0/bridge/forward_delay /sys/class/net/br0/bridge/hello_time /sys/class/net/br0/bridge/max_age /sys/class/net/br0/bridge/ageing_time
cat /sys/class/net/br0/bridge/group_fwd_mask /sys/class/net/br0/bridge/group_addr /sys/class/net/br0/bridge/nf_call_iptables /sys/class/net/br0/bridge/bridge_id /sys/class/net/br0/bridge/root_id
echo 0 > /sys/class/net/br0/bridge/stp_state 2>/dev/null || echo "write failed: $?"
echo 700 > /sys/class/net/br0/bridge/forward_delay 2>/dev/null || echo "write failed: $?"
echo 2000 > /sys/class/net/br0/bridge/hello_time 2>/dev/null || echo "write failed: $?"
echo 8192 > /sys/class/net/br0/bridge/priority 2>/dev/null || echo "write failed: $?"
echo 0x8 > /sys/class/net/br0/bridge/group_fwd_mask 2>/dev/null || echo "write failed: $?"
cat /sys/class/net/br0/bridge/stp_state /sys/class/net/br0/bridge/forward_delay /sys/class/net/br0/bridge/hello_time /sys/class/net/br0/bridge/priority /sys/class/net/br0/bridge/group_fwd_mask
echo 1 > /sys/class/net/br0/bridge/group_fwd_mask 2>/dev/null || echo "write failed: $?"
echo 50 > /sys/class/net/br0/bridge/hello_time 2>/dev/null || echo "write failed: $?"
brctl showstp br0
ip link set br0 type bridge hello_time 50
ip link set br0 type bridge max_age 100
ip link set br0 type bridge priority 70000
ip link set br0 type bridge group_fwd_mask 1
ip link set br0 type bridge group_address 01:80:c2:00:00:10
ip link set br0 type bridge stp_state 1 forward_delay 100
ip link set br0 type bridge forward_delay abc
ip link set br0 type bridge bogus 1
ip link set br0 type bridge_slave cost 5
ip link add v0 address 02:00:00:00:05:01 type veth peer name v0p address 02:00:00:00:05:11
ip link add v1 address 02:00:00:00:05:02 type veth peer name v1p address 02:00:00:00:05:12
ip link set v0 master br0
ip link set v1 master br0
ip link set v0 type bridge_slave cost 20 priority 10 hairpin on guard on root_block on fastleave on learning off flood off proxy_arp on mcast_flood off bcast_flood off neigh_suppress on isolated on
ip -d link show v0
bridge -d link show dev v0
cat /sys/class/net/v0/brport/path_cost /sys/class/net/v0/brport/priority /sys/class/net/v0/brport/hairpin_mode /sys/class/net/v0/brport/bpdu_guard /sys/class/net/v0/brport/root_block /sys/class/net/v0/brport/learning /sys/class/net/v0/brport/unicast_flood /sys/class/net/v0/brport/isolated /sys/class/net/v0/brport/proxyarp /sys/class/net/v0/brport/neigh_suppress /sys/class/net/v0/brport/multicast_flood /sys/class/net/v0/brport/broadcast_flood /sys/class/net/v0/brport/multicast_fast_leave
echo 0 > /sys/class/net/v0/brport/isolated 2>/dev/null || echo "write failed: $?"
echo 0 > /sys/class/net/v0/brport/hairpin_mode 2>/dev/null || echo "write failed: $?"
echo 30 > /sys/class/net/v0/brport/path_cost 2>/dev/null || echo "write failed: $?"
bridge link set dev v0 guard off root_block off fastleave off learning on flood on proxy_arp off mcast_flood on bcast_flood on neigh_suppress off
bridge link set dev v0 guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on neigh_suppress off
bridge link set dev v1 isolated on hairpin on mcast_router 2 vlan_tunnel on locked on
bridge -d link show
brctl showstp br0
ip link set v0 type bridge_slave state 5
ip link set v0 type bridge_slave priority 64
ip link set v0 type bridge_slave cost 0
ip link set v0 type bridge_slave hairpin maybe
ip link set v0 type bridge_slave bogus on
ip link set v0 type bridge_slave mcast_router 7
bridge link set dev v0 priority 64
bridge link set dev v0 isolated maybe
brctl setageing br0 30
brctl setbridgeprio br0 12
brctl setfd br0 3
brctl sethello br0 4
brctl setmaxage br0 15
brctl setpathcost br0 v1 77
brctl setportprio br0 v1 3
brctl stp br0 on
brctl showstp br0
brctl setfd br0 1
brctl sethello br0 0
brctl setmaxage br0 50
brctl setportprio br0 v1 99
brctl setpathcost br0 nosuch 5
ip -d link show br0
ip link set br0 type bridge fdb_flush
ip link set br0 type bridge vlan_stats_enabled 1 mcast_stats_enabled 1 mcast_querier 1 nf_call_ip6tables 1 no_linklocal_learn 1
ip -d link show br0
