//! `bridge` (iproute2 6.1) against transcripts recorded on a real kernel,
//! replayed on the simulated kernel; also `brctl` where they share state.

#[path = "bridge_common.rs"]
mod common;
use common::Lab;

/// tests/golden/s2_4_bridge.out (seed section 2.4).
const S2_4_BRIDGE: &str = r##"$ brctl
Usage: brctl [commands]
commands:
	addbr     	<bridge>		add bridge
	delbr     	<bridge>		delete bridge
	addif     	<bridge> <device>	add interface to bridge
	delif     	<bridge> <device>	delete interface from bridge
	hairpin   	<bridge> <port> {on|off}	turn hairpin on/off
	setageing 	<bridge> <time>		set ageing time
	setbridgeprio	<bridge> <prio>		set bridge priority
	setfd     	<bridge> <time>		set bridge forward delay
	sethello  	<bridge> <time>		set hello time
	setmaxage 	<bridge> <time>		set max message age
	setpathcost	<bridge> <port> <cost>	set path cost
	setportprio	<bridge> <port> <prio>	set port priority
	show      	[ <bridge> ]		show a list of bridges
	showmacs  	<bridge>		show a list of mac addrs
	showstp   	<bridge>		show bridge stp info
	stp       	<bridge> {on|off}	turn stp on/off
[exit 1]
$ ip link add tap1 type veth peer name tap1_peer
$ ip link add tap2 type veth peer name tap2_peer
$ ip link add tap3 type veth peer name tap3_peer
$ ip link add tap4 type veth peer name tap4_peer
$ ip netns add ns1
$ ip netns add ns2
$ ip netns add ns3
$ ip netns add ns4
$ ip link set tap1 netns ns1
$ ip link set tap2 netns ns2
$ ip link set tap3 netns ns3
$ ip link set tap4 netns ns4
$ brctl addbr br1
$ ip link set br1 address 02:00:00:00:01:00
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br1		8000.020000000100	no		
$ brctl addif br1 tap1_peer
$ brctl addif br1 tap2_peer
$ brctl addif br1 tap3_peer
$ brctl addif br1 tap4_peer
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br1		8000.020000000100	no		tap1_peer
							tap2_peer
							tap3_peer
							tap4_peer
$ ip link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: tap1_peer@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br1 state DOWN mode DEFAULT group default qlen 1000
    link/ether 1e:2a:43:aa:2c:25 brd ff:ff:ff:ff:ff:ff link-netns ns1
4: tap2_peer@if5: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br1 state DOWN mode DEFAULT group default qlen 1000
    link/ether 0a:42:ec:2d:82:11 brd ff:ff:ff:ff:ff:ff link-netns ns2
6: tap3_peer@if7: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br1 state DOWN mode DEFAULT group default qlen 1000
    link/ether 86:51:01:8a:1d:67 brd ff:ff:ff:ff:ff:ff link-netns ns3
8: tap4_peer@if9: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br1 state DOWN mode DEFAULT group default qlen 1000
    link/ether 46:6d:af:fd:80:b1 brd ff:ff:ff:ff:ff:ff link-netns ns4
10: br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:01:00 brd ff:ff:ff:ff:ff:ff
$ ip netns exec ns1 ip addr add local 192.168.50.1/24 dev tap1
$ ip netns exec ns2 ip addr add local 192.168.50.2/24 dev tap2
$ ip netns exec ns3 ip addr add local 192.168.50.3/24 dev tap3
$ ip netns exec ns4 ip addr add local 192.168.50.4/24 dev tap4
$ ip link set br1 up
$ ip link set tap1_peer up
$ ip link set tap2_peer up
$ ip link set tap3_peer up
$ ip link set tap4_peer up
$ ip netns exec ns1 ip link set tap1 up
$ ip netns exec ns2 ip link set tap2 up
$ ip netns exec ns3 ip link set tap3 up
$ ip netns exec ns4 ip link set tap4 up
$ sleep 3
$ ip link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: tap1_peer@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP mode DEFAULT group default qlen 1000
    link/ether 1e:2a:43:aa:2c:25 brd ff:ff:ff:ff:ff:ff link-netns ns1
4: tap2_peer@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP mode DEFAULT group default qlen 1000
    link/ether 0a:42:ec:2d:82:11 brd ff:ff:ff:ff:ff:ff link-netns ns2
6: tap3_peer@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP mode DEFAULT group default qlen 1000
    link/ether 86:51:01:8a:1d:67 brd ff:ff:ff:ff:ff:ff link-netns ns3
8: tap4_peer@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP mode DEFAULT group default qlen 1000
    link/ether 46:6d:af:fd:80:b1 brd ff:ff:ff:ff:ff:ff link-netns ns4
10: br1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:01:00 brd ff:ff:ff:ff:ff:ff
$ ip -br link
lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
tap1_peer@if3    UP             1e:2a:43:aa:2c:25 <BROADCAST,MULTICAST,UP,LOWER_UP> 
tap2_peer@if5    UP             0a:42:ec:2d:82:11 <BROADCAST,MULTICAST,UP,LOWER_UP> 
tap3_peer@if7    UP             86:51:01:8a:1d:67 <BROADCAST,MULTICAST,UP,LOWER_UP> 
tap4_peer@if9    UP             46:6d:af:fd:80:b1 <BROADCAST,MULTICAST,UP,LOWER_UP> 
br1              UP             02:00:00:00:01:00 <BROADCAST,MULTICAST,UP,LOWER_UP> 
$ ip addr
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: tap1_peer@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP group default qlen 1000
    link/ether 1e:2a:43:aa:2c:25 brd ff:ff:ff:ff:ff:ff link-netns ns1
    inet6 fe80::1c2a:43ff:feaa:2c25/64 scope link 
       valid_lft forever preferred_lft forever
4: tap2_peer@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP group default qlen 1000
    link/ether 0a:42:ec:2d:82:11 brd ff:ff:ff:ff:ff:ff link-netns ns2
    inet6 fe80::842:ecff:fe2d:8211/64 scope link 
       valid_lft forever preferred_lft forever
6: tap3_peer@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP group default qlen 1000
    link/ether 86:51:01:8a:1d:67 brd ff:ff:ff:ff:ff:ff link-netns ns3
    inet6 fe80::8451:1ff:fe8a:1d67/64 scope link 
       valid_lft forever preferred_lft forever
8: tap4_peer@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br1 state UP group default qlen 1000
    link/ether 46:6d:af:fd:80:b1 brd ff:ff:ff:ff:ff:ff link-netns ns4
    inet6 fe80::446d:afff:fefd:80b1/64 scope link 
       valid_lft forever preferred_lft forever
10: br1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 02:00:00:00:01:00 brd ff:ff:ff:ff:ff:ff
    inet6 fe80::ff:fe00:100/64 scope link 
       valid_lft forever preferred_lft forever
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br1		8000.020000000100	no		tap1_peer
							tap2_peer
							tap3_peer
							tap4_peer
$ bridge link
2: tap1_peer@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 2 
4: tap2_peer@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 2 
6: tap3_peer@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 2 
8: tap4_peer@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 2 
$ ip netns exec ns1 ping -c 2 192.168.50.2
PING 192.168.50.2 (192.168.50.2) 56(84) bytes of data.
64 bytes from 192.168.50.2: icmp_seq=1 ttl=64 time=0.342 ms
64 bytes from 192.168.50.2: icmp_seq=2 ttl=64 time=0.068 ms

--- 192.168.50.2 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 1005ms
rtt min/avg/max/mdev = 0.068/0.205/0.342/0.137 ms
$ ip netns exec ns4 ping -c 2 192.168.50.1
PING 192.168.50.1 (192.168.50.1) 56(84) bytes of data.
64 bytes from 192.168.50.1: icmp_seq=1 ttl=64 time=0.309 ms
64 bytes from 192.168.50.1: icmp_seq=2 ttl=64 time=0.061 ms

--- 192.168.50.1 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 1011ms
rtt min/avg/max/mdev = 0.061/0.185/0.309/0.124 ms
$ ip netns exec ns1 ip neigh
192.168.50.2 dev tap1 lladdr 4a:ec:65:39:d3:10 REACHABLE 
192.168.50.4 dev tap1 lladdr 06:20:be:36:13:71 DELAY 
$ ip netns exec ns4 ip neigh
192.168.50.1 dev tap4 lladdr 96:61:06:d2:68:c0 REACHABLE 
$ brctl showmacs br1
port no	mac addr		is local?	ageing timer
  4	06:20:be:36:13:71	no		   0.01
  2	0a:42:ec:2d:82:11	yes		   0.00
  1	1e:2a:43:aa:2c:25	yes		   0.00
  4	46:6d:af:fd:80:b1	yes		   0.00
  2	4a:ec:65:39:d3:10	no		   1.03
  3	86:51:01:8a:1d:67	yes		   0.00
  1	96:61:06:d2:68:c0	no		   0.01
  3	aa:d2:1e:87:94:f2	no		   2.48
$ bridge fdb
96:61:06:d2:68:c0 dev tap1_peer master br1 
1e:2a:43:aa:2c:25 dev tap1_peer master br1 permanent
33:33:00:00:00:01 dev tap1_peer self permanent
01:00:5e:00:00:01 dev tap1_peer self permanent
33:33:ff:aa:2c:25 dev tap1_peer self permanent
4a:ec:65:39:d3:10 dev tap2_peer master br1 
0a:42:ec:2d:82:11 dev tap2_peer master br1 permanent
33:33:00:00:00:01 dev tap2_peer self permanent
01:00:5e:00:00:01 dev tap2_peer self permanent
33:33:ff:2d:82:11 dev tap2_peer self permanent
aa:d2:1e:87:94:f2 dev tap3_peer master br1 
86:51:01:8a:1d:67 dev tap3_peer master br1 permanent
33:33:00:00:00:01 dev tap3_peer self permanent
01:00:5e:00:00:01 dev tap3_peer self permanent
33:33:ff:8a:1d:67 dev tap3_peer self permanent
06:20:be:36:13:71 dev tap4_peer master br1 
46:6d:af:fd:80:b1 dev tap4_peer master br1 permanent
33:33:00:00:00:01 dev tap4_peer self permanent
01:00:5e:00:00:01 dev tap4_peer self permanent
33:33:ff:fd:80:b1 dev tap4_peer self permanent
33:33:00:00:00:01 dev br1 self permanent
01:00:5e:00:00:6a dev br1 self permanent
33:33:00:00:00:6a dev br1 self permanent
01:00:5e:00:00:01 dev br1 self permanent
33:33:ff:00:01:00 dev br1 self permanent
02:00:00:00:01:00 dev br1 master br1 permanent
$ ip netns list
ns4 (id: 3)
ns3 (id: 2)
ns2 (id: 1)
ns1 (id: 0)
"##;

/// tests/scenarios/f05_bridge_ip.sh, recorded on Linux 6.18.
const F05_BRIDGE_IP: &str = r##"$ ip link add br0 type bridge
$ ip link show br0
2: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether c2:3e:58:9d:f1:39 brd ff:ff:ff:ff:ff:ff
$ ip -d link show br0
2: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether c2:3e:58:9d:f1:39 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.0:0:0:0:0:0 designated_root 8000.0:0:0:0:0:0 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 
$ ip -br link
lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
br0              DOWN           c2:3e:58:9d:f1:39 <BROADCAST,MULTICAST> 
$ ip link add v0 address 02:00:00:00:00:20 type veth peer name v0p address 02:00:00:00:00:21
$ ip link add v1 address 02:00:00:00:00:10 type veth peer name v1p address 02:00:00:00:00:11
$ ip link set v0 master br0
$ ip link show br0
2: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:20 brd ff:ff:ff:ff:ff:ff
$ ip link set v1 master br0
$ ip link show br0
2: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff
$ ip link show master br0
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop master br0 state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:20 brd ff:ff:ff:ff:ff:ff
6: v1@v1p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop master br0 state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff
$ ip -br link show master br0
v0@v0p           DOWN           02:00:00:00:00:20 <BROADCAST,MULTICAST,M-DOWN> 
v1@v1p           DOWN           02:00:00:00:00:10 <BROADCAST,MULTICAST,M-DOWN> 
$ bridge link
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
6: v1@v1p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
$ bridge link show dev v0
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.020000000010	no		v0
							v1
$ ip link set br0 up
$ ip link set v0 up
$ ip link set v1 up
$ sleep 3
$ ip link show br0
2: br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff
$ ip -br link
lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
br0              DOWN           02:00:00:00:00:10 <NO-CARRIER,BROADCAST,MULTICAST,UP> 
v0p@v0           DOWN           02:00:00:00:00:21 <BROADCAST,MULTICAST> 
v0@v0p           LOWERLAYERDOWN 02:00:00:00:00:20 <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> 
v1p@v1           DOWN           02:00:00:00:00:11 <BROADCAST,MULTICAST> 
v1@v1p           LOWERLAYERDOWN 02:00:00:00:00:10 <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> 
$ bridge link
4: v0@v0p: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
6: v1@v1p: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
$ ip -d link show v0
4: v0@v0p: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue master br0 state LOWERLAYERDOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:20 brd ff:ff:ff:ff:ff:ff promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 
    veth 
    bridge_slave state disabled priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.2:0:0:0:0:10 designated_root 8000.2:0:0:0:0:10 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
$ ip -j link show v1
[{"ifindex":6,"link":"v1p","ifname":"v1","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"LOWERLAYERDOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:10","broadcast":"ff:ff:ff:ff:ff:ff"}]
$ bridge -d link show dev v1
6: v1@v1p: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off 
$ ip addr add 192.168.77.1/24 dev br0
$ ip link set v0p up
$ ip link set v1p up
$ sleep 3
$ ip link show br0
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff
$ ip -br link
lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
br0              UP             02:00:00:00:00:10 <BROADCAST,MULTICAST,UP,LOWER_UP> 
v0p@v0           UP             02:00:00:00:00:21 <BROADCAST,MULTICAST,UP,LOWER_UP> 
v0@v0p           UP             02:00:00:00:00:20 <BROADCAST,MULTICAST,UP,LOWER_UP> 
v1p@v1           UP             02:00:00:00:00:11 <BROADCAST,MULTICAST,UP,LOWER_UP> 
v1@v1p           UP             02:00:00:00:00:10 <BROADCAST,MULTICAST,UP,LOWER_UP> 
$ bridge link
4: v0@v0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 
6: v1@v1p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 
$ ip addr show br0
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff
    inet 192.168.77.1/24 scope global br0
       valid_lft forever preferred_lft forever
    inet6 fe80::ff:fe00:10/64 scope link 
       valid_lft forever preferred_lft forever
$ ip route
192.168.77.0/24 dev br0 proto kernel scope link src 192.168.77.1 
$ ip link set v1 nomaster
$ ip link show br0
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:20 brd ff:ff:ff:ff:ff:ff
$ bridge link
4: v0@v0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.020000000020	no		v0
$ ip link set v0 nomaster
$ ip link show br0
2: br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000
    link/ether 00:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		8000.000000000000	no		
$ bridge fdb show br br0
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:10 dev br0 self permanent
$ ip link del br0
$ ip -br link
lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
v0p@v0           UP             02:00:00:00:00:21 <BROADCAST,MULTICAST,UP,LOWER_UP> 
v0@v0p           UP             02:00:00:00:00:20 <BROADCAST,MULTICAST,UP,LOWER_UP> 
v1p@v1           UP             02:00:00:00:00:11 <BROADCAST,MULTICAST,UP,LOWER_UP> 
v1@v1p           UP             02:00:00:00:00:10 <BROADCAST,MULTICAST,UP,LOWER_UP> 
$ brctl show
"##;

/// tests/golden/f20_bridge_fdb.out.
const F20_BRIDGE_FDB: &str = r##"$ ip link add br1 type bridge
$ ip link set br1 address 02:00:00:00:01:00
$ for n in 1 2 3; do ip netns add ns$n; ip link add tap$n address 02:00:00:00:00:0$n type veth peer name tap${n}_peer address 02:00:00:00:01:0$n; ip link set tap$n netns ns$n; ip -n ns$n addr add 192.168.50.$n/24 dev tap$n; ip link set tap${n}_peer master br1; done
$ ip link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:01:00 brd ff:ff:ff:ff:ff:ff
3: tap1_peer@if4: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br1 state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns ns1
5: tap2_peer@if6: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br1 state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:01:02 brd ff:ff:ff:ff:ff:ff link-netns ns2
7: tap3_peer@if8: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br1 state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:01:03 brd ff:ff:ff:ff:ff:ff link-netns ns3
$ bridge link
3: tap1_peer@if4: <BROADCAST,MULTICAST> mtu 1500 master br1 state disabled priority 32 cost 2 
5: tap2_peer@if6: <BROADCAST,MULTICAST> mtu 1500 master br1 state disabled priority 32 cost 2 
7: tap3_peer@if8: <BROADCAST,MULTICAST> mtu 1500 master br1 state disabled priority 32 cost 2 
$ bridge fdb show br br1
33:33:00:00:00:01 dev br1 self permanent
02:00:00:00:01:00 dev br1 master br1 permanent
02:00:00:00:01:01 dev tap1_peer master br1 permanent
33:33:00:00:00:01 dev tap1_peer self permanent
02:00:00:00:01:02 dev tap2_peer master br1 permanent
33:33:00:00:00:01 dev tap2_peer self permanent
02:00:00:00:01:03 dev tap3_peer master br1 permanent
33:33:00:00:00:01 dev tap3_peer self permanent
$ brctl showmacs br1
port no	mac addr		is local?	ageing timer
  1	02:00:00:00:01:01	yes		   0.00
  2	02:00:00:00:01:02	yes		   0.00
  3	02:00:00:00:01:03	yes		   0.00
$ ip link set br1 up
$ for n in 1 2 3; do ip link set tap${n}_peer up; ip -n ns$n link set tap$n up; done
$ sleep 3
$ bridge link
3: tap1_peer@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 2 
5: tap2_peer@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 2 
7: tap3_peer@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 2 
$ ip netns exec ns1 ping -c 2 -i 0.2 192.168.50.2
PING 192.168.50.2 (192.168.50.2) 56(84) bytes of data.
64 bytes from 192.168.50.2: icmp_seq=1 ttl=64 time=0.126 ms
64 bytes from 192.168.50.2: icmp_seq=2 ttl=64 time=0.071 ms

--- 192.168.50.2 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 204ms
rtt min/avg/max/mdev = 0.071/0.098/0.126/0.027 ms
$ ip netns exec ns1 ping -c 2 -i 0.2 192.168.50.3
PING 192.168.50.3 (192.168.50.3) 56(84) bytes of data.
64 bytes from 192.168.50.3: icmp_seq=1 ttl=64 time=0.275 ms
64 bytes from 192.168.50.3: icmp_seq=2 ttl=64 time=0.074 ms

--- 192.168.50.3 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 204ms
rtt min/avg/max/mdev = 0.074/0.174/0.275/0.100 ms
$ ip netns exec ns2 ping -c 1 192.168.50.3
PING 192.168.50.3 (192.168.50.3) 56(84) bytes of data.
64 bytes from 192.168.50.3: icmp_seq=1 ttl=64 time=0.316 ms

--- 192.168.50.3 ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.316/0.316/0.316/0.000 ms
$ brctl showmacs br1
port no	mac addr		is local?	ageing timer
  1	02:00:00:00:00:01	no		   0.01
  2	02:00:00:00:00:02	no		   0.00
  3	02:00:00:00:00:03	no		   0.00
  1	02:00:00:00:01:01	yes		   0.00
  2	02:00:00:00:01:02	yes		   0.00
  3	02:00:00:00:01:03	yes		   0.00
$ bridge fdb show br br1
33:33:00:00:00:01 dev br1 self permanent
01:00:5e:00:00:6a dev br1 self permanent
33:33:00:00:00:6a dev br1 self permanent
01:00:5e:00:00:01 dev br1 self permanent
33:33:ff:00:01:00 dev br1 self permanent
02:00:00:00:01:00 dev br1 master br1 permanent
02:00:00:00:00:01 dev tap1_peer master br1 
02:00:00:00:01:01 dev tap1_peer master br1 permanent
33:33:00:00:00:01 dev tap1_peer self permanent
01:00:5e:00:00:01 dev tap1_peer self permanent
33:33:ff:00:01:01 dev tap1_peer self permanent
02:00:00:00:00:02 dev tap2_peer master br1 
02:00:00:00:01:02 dev tap2_peer master br1 permanent
33:33:00:00:00:01 dev tap2_peer self permanent
01:00:5e:00:00:01 dev tap2_peer self permanent
33:33:ff:00:01:02 dev tap2_peer self permanent
02:00:00:00:00:03 dev tap3_peer master br1 
02:00:00:00:01:03 dev tap3_peer master br1 permanent
33:33:00:00:00:01 dev tap3_peer self permanent
01:00:5e:00:00:01 dev tap3_peer self permanent
33:33:ff:00:01:03 dev tap3_peer self permanent
$ bridge fdb show dev tap1_peer
02:00:00:00:00:01 master br1 
02:00:00:00:01:01 master br1 permanent
33:33:00:00:00:01 self permanent
01:00:5e:00:00:01 self permanent
33:33:ff:00:01:01 self permanent
$ bridge -j fdb show dev tap2_peer
[{"mac":"02:00:00:00:00:02","flags":[],"master":"br1","state":""},{"mac":"02:00:00:00:01:02","flags":[],"master":"br1","state":"permanent"},{"mac":"33:33:00:00:00:01","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","flags":["self"],"state":"permanent"},{"mac":"33:33:ff:00:01:02","flags":["self"],"state":"permanent"}]
$ ip -n ns1 neigh
192.168.50.3 dev tap1 lladdr 02:00:00:00:00:03 REACHABLE 
192.168.50.2 dev tap1 lladdr 02:00:00:00:00:02 REACHABLE 
$ ip -n ns2 neigh
192.168.50.3 dev tap2 lladdr 02:00:00:00:00:03 REACHABLE 
192.168.50.1 dev tap2 lladdr 02:00:00:00:00:01 DELAY 
$ ip -n ns3 neigh
192.168.50.1 dev tap3 lladdr 02:00:00:00:00:01 DELAY 
192.168.50.2 dev tap3 lladdr 02:00:00:00:00:02 DELAY 
$ brctl setageing br1 0
$ brctl showmacs br1
port no	mac addr		is local?	ageing timer
  1	02:00:00:00:01:01	yes		   0.00
  2	02:00:00:00:01:02	yes		   0.00
  3	02:00:00:00:01:03	yes		   0.00
$ brctl setageing br1 300
$ ip netns exec ns1 ping -c 1 192.168.50.2
PING 192.168.50.2 (192.168.50.2) 56(84) bytes of data.
64 bytes from 192.168.50.2: icmp_seq=1 ttl=64 time=0.053 ms

--- 192.168.50.2 ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.053/0.053/0.053/0.000 ms
$ brctl showmacs br1
port no	mac addr		is local?	ageing timer
  1	02:00:00:00:00:01	no		   0.00
  2	02:00:00:00:00:02	no		   0.00
  1	02:00:00:00:01:01	yes		   0.00
  2	02:00:00:00:01:02	yes		   0.00
  3	02:00:00:00:01:03	yes		   0.00
$ ip link set tap3_peer nomaster
$ brctl showmacs br1
port no	mac addr		is local?	ageing timer
  1	02:00:00:00:00:01	no		   0.01
  2	02:00:00:00:00:02	no		   0.01
  1	02:00:00:00:01:01	yes		   0.00
  2	02:00:00:00:01:02	yes		   0.00
$ bridge link
3: tap1_peer@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 2 
5: tap2_peer@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 2 
$ ip netns exec ns1 ping -c 1 -W 1 192.168.50.3
PING 192.168.50.3 (192.168.50.3) 56(84) bytes of data.

--- 192.168.50.3 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms

[exit 1]
$ brctl show br1
bridge name	bridge id		STP enabled	interfaces
br1		8000.020000000100	no		tap1_peer
							tap2_peer
$ ip link set br1 down
$ bridge link
3: tap1_peer@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state disabled priority 32 cost 2 
5: tap2_peer@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state disabled priority 32 cost 2 
$ ip netns exec ns1 ping -c 1 -W 1 192.168.50.2
PING 192.168.50.2 (192.168.50.2) 56(84) bytes of data.

--- 192.168.50.2 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms

[exit 1]
$ ip -n ns1 neigh
192.168.50.3 dev tap1 lladdr 02:00:00:00:00:03 REACHABLE 
192.168.50.2 dev tap1 lladdr 02:00:00:00:00:02 REACHABLE 
"##;

/// fdb dumps, filters, changes, errors; recorded on Linux 6.18.
const FDB: &str = r##"$ bridge
[stderr]
Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
[exit 255]
$ bridge help
[stderr]
Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
[exit 255]
$ bridge foo
[stderr]
Object "foo" is unknown, try "bridge help".
[exit 255]
$ bridge -V
bridge utility, 6.1.0
$ bridge -x link
[stderr]
Option "-x" is unknown, try "bridge help".
[exit 255]
$ bridge link
$ bridge fdb
$ ip link add v0 address 02:00:00:00:00:a0 type veth peer name v0p address 02:00:00:00:00:a1
$ bridge fdb
33:33:00:00:00:01 dev v0p self permanent
33:33:00:00:00:01 dev v0 self permanent
$ ip link set v0p up
$ bridge fdb
33:33:00:00:00:01 dev v0p self permanent
01:00:5e:00:00:01 dev v0p self permanent
33:33:00:00:00:01 dev v0 self permanent
$ ip link add br0 address 02:00:00:00:00:01 type bridge
$ bridge fdb
33:33:00:00:00:01 dev v0p self permanent
01:00:5e:00:00:01 dev v0p self permanent
33:33:00:00:00:01 dev v0 self permanent
33:33:00:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ ip link set br0 up
$ bridge fdb
33:33:00:00:00:01 dev v0p self permanent
01:00:5e:00:00:01 dev v0p self permanent
33:33:00:00:00:01 dev v0 self permanent
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ ip link set v0 master br0
$ bridge fdb
33:33:00:00:00:01 dev v0p self permanent
01:00:5e:00:00:01 dev v0p self permanent
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ bridge link
3: v0@v0p: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 2 
$ ip link set v0 up
$ sleep 3
$ bridge link
3: v0@v0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 
$ bridge fdb show br br0
02:00:00:00:00:a1 dev v0 master br0 
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
01:00:5e:00:00:01 dev v0 self permanent
33:33:ff:00:00:a0 dev v0 self permanent
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ bridge fdb show dev v0
02:00:00:00:00:a1 master br0 
02:00:00:00:00:a0 master br0 permanent
33:33:00:00:00:01 self permanent
01:00:5e:00:00:01 self permanent
33:33:ff:00:00:a0 self permanent
$ bridge fdb show brport v0
02:00:00:00:00:a1 master br0 
02:00:00:00:00:a0 master br0 permanent
33:33:00:00:00:01 self permanent
01:00:5e:00:00:01 self permanent
33:33:ff:00:00:a0 self permanent
$ bridge fdb show br v0
$ bridge fdb show dev br0
33:33:00:00:00:01 self permanent
01:00:5e:00:00:6a self permanent
33:33:00:00:00:6a self permanent
01:00:5e:00:00:01 self permanent
33:33:ff:00:00:01 self permanent
02:00:00:00:00:01 master br0 permanent
$ bridge fdb show br nosuch
[stderr]
Cannot find bridge device "nosuch"
[exit 255]
$ bridge fdb show dev nosuch
[stderr]
Cannot find device "nosuch"
[exit 255]
$ bridge fdb show nosuch
33:33:00:00:00:01 dev v0p self permanent
01:00:5e:00:00:01 dev v0p self permanent
33:33:ff:00:00:a1 dev v0p self permanent
02:00:00:00:00:a1 dev v0 master br0 
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
01:00:5e:00:00:01 dev v0 self permanent
33:33:ff:00:00:a0 dev v0 self permanent
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ bridge fdb show dev
[stderr]
Command line is not complete. Try option "help"
[exit 255]
$ bridge fdb show br
[stderr]
Command line is not complete. Try option "help"
[exit 255]
$ bridge fdb list
33:33:00:00:00:01 dev v0p self permanent
01:00:5e:00:00:01 dev v0p self permanent
33:33:ff:00:00:a1 dev v0p self permanent
02:00:00:00:00:a1 dev v0 master br0 
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
01:00:5e:00:00:01 dev v0 self permanent
33:33:ff:00:00:a0 dev v0 self permanent
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ bridge fdb sh
33:33:00:00:00:01 dev v0p self permanent
01:00:5e:00:00:01 dev v0p self permanent
33:33:ff:00:00:a1 dev v0p self permanent
02:00:00:00:00:a1 dev v0 master br0 
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
01:00:5e:00:00:01 dev v0 self permanent
33:33:ff:00:00:a0 dev v0 self permanent
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ bridge f
33:33:00:00:00:01 dev v0p self permanent
01:00:5e:00:00:01 dev v0p self permanent
33:33:ff:00:00:a1 dev v0p self permanent
02:00:00:00:00:a1 dev v0 master br0 
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
01:00:5e:00:00:01 dev v0 self permanent
33:33:ff:00:00:a0 dev v0 self permanent
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ bridge fdb foo
[stderr]
Command "foo" is unknown, try "bridge fdb help".
[exit 255]
$ bridge fdb help
[stderr]
Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
[exit 255]
$ bridge fdb add 02:00:00:00:99:01 dev v0 master static
$ bridge fdb add 02:00:00:00:99:02 dev v0 master
$ bridge fdb add 02:00:00:00:99:03 dev v0 master dynamic
$ bridge fdb add 02:00:00:00:99:04 dev v0 master permanent
$ bridge fdb add 02:00:00:00:99:06 dev br0 self
$ bridge fdb add 02:00:00:00:99:07 dev br0 master
[stderr]
RTNETLINK answers: Operation not supported
[exit 255]
$ bridge fdb add 02:00:00:00:99:08 dev br0 self static
[stderr]
RTNETLINK answers: Invalid argument
[exit 255]
$ bridge fdb add 02:00:00:00:99:08 dev v0 master vlan 1
[stderr]
RTNETLINK answers: Invalid argument
[exit 255]
$ bridge fdb show dev v0
02:00:00:00:99:04 master br0 permanent
02:00:00:00:99:03 master br0 
02:00:00:00:99:02 master br0 permanent
02:00:00:00:99:01 master br0 static
02:00:00:00:00:a1 master br0 
02:00:00:00:00:a0 master br0 permanent
33:33:00:00:00:01 self permanent
01:00:5e:00:00:01 self permanent
33:33:ff:00:00:a0 self permanent
$ bridge fdb show dev br0
33:33:00:00:00:01 self permanent
01:00:5e:00:00:6a self permanent
33:33:00:00:00:6a self permanent
01:00:5e:00:00:01 self permanent
33:33:ff:00:00:01 self permanent
02:00:00:00:99:06 master br0 permanent
02:00:00:00:00:01 master br0 permanent
$ bridge fdb show dynamic
02:00:00:00:99:03 dev v0 master br0 
02:00:00:00:99:01 dev v0 master br0 static
02:00:00:00:00:a1 dev v0 master br0 
$ bridge fdb show state static
02:00:00:00:99:01 dev v0 master br0 static
$ bridge fdb add 02:00:00:00:99:01 dev v0 master static
[stderr]
RTNETLINK answers: File exists
[exit 255]
$ bridge fdb replace 02:00:00:00:99:01 dev v0 master
$ bridge fdb append 02:00:00:00:99:09 dev v0 master
$ bridge fdb add zz dev v0 master
[stderr]
Invalid mac address zz
[exit 255]
$ bridge fdb add 02:00:00:00:99:0a dev nosuch master
[stderr]
Cannot find device "nosuch"
[exit 255]
$ bridge fdb add 02:00:00:00:99:0a master
[stderr]
Device and address are required arguments.
[exit 255]
$ bridge fdb add dev v0 master
[stderr]
Device and address are required arguments.
[exit 255]
$ bridge fdb add 02:00:00:00:99:0a junk dev v0 master
[stderr]
Error: either "to" is duplicate, or "junk" is a garbage.
[exit 255]
$ bridge fdb del 02:00:00:00:99:01 dev v0 master
$ bridge fdb del 02:00:00:00:99:01 dev v0 master
[stderr]
RTNETLINK answers: No such file or directory
[exit 255]
$ bridge fdb del 02:00:00:00:99:06 dev br0
$ bridge fdb show br br0
02:00:00:00:99:09 dev v0 master br0 permanent
02:00:00:00:99:04 dev v0 master br0 permanent
02:00:00:00:99:03 dev v0 master br0 
02:00:00:00:99:02 dev v0 master br0 permanent
02:00:00:00:00:a1 dev v0 master br0 
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
01:00:5e:00:00:01 dev v0 self permanent
33:33:ff:00:00:a0 dev v0 self permanent
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ bridge -j fdb show dev v0
[{"mac":"02:00:00:00:99:09","flags":[],"master":"br0","state":"permanent"},{"mac":"02:00:00:00:99:04","flags":[],"master":"br0","state":"permanent"},{"mac":"02:00:00:00:99:03","flags":[],"master":"br0","state":""},{"mac":"02:00:00:00:99:02","flags":[],"master":"br0","state":"permanent"},{"mac":"02:00:00:00:00:a1","flags":[],"master":"br0","state":""},{"mac":"02:00:00:00:00:a0","flags":[],"master":"br0","state":"permanent"},{"mac":"33:33:00:00:00:01","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","flags":["self"],"state":"permanent"},{"mac":"33:33:ff:00:00:a0","flags":["self"],"state":"permanent"}]
$ bridge -j -p fdb show dev v0
[ {
        "mac": "02:00:00:00:99:09",
        "flags": [ ],
        "master": "br0",
        "state": "permanent"
    },{
        "mac": "02:00:00:00:99:04",
        "flags": [ ],
        "master": "br0",
        "state": "permanent"
    },{
        "mac": "02:00:00:00:99:03",
        "flags": [ ],
        "master": "br0",
        "state": ""
    },{
        "mac": "02:00:00:00:99:02",
        "flags": [ ],
        "master": "br0",
        "state": "permanent"
    },{
        "mac": "02:00:00:00:00:a1",
        "flags": [ ],
        "master": "br0",
        "state": ""
    },{
        "mac": "02:00:00:00:00:a0",
        "flags": [ ],
        "master": "br0",
        "state": "permanent"
    },{
        "mac": "33:33:00:00:00:01",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "01:00:5e:00:00:01",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:ff:00:00:a0",
        "flags": [ "self" ],
        "state": "permanent"
    } ]
$ bridge fdb get 02:00:00:00:99:02 br br0
02:00:00:00:99:02 dev v0 master br0 permanent
$ bridge fdb get 02:00:00:00:99:77 br br0
[stderr]
Error: Fdb entry not found.
[exit 254]
$ bridge -j link
[{"ifindex":3,"link":"v0p","ifname":"v0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"master":"br0","state":"forwarding","priority":32,"cost":2}]
$ bridge -p -j link
[ {
        "ifindex": 3,
        "link": "v0p",
        "ifname": "v0",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "master": "br0",
        "state": "forwarding",
        "priority": 32,
        "cost": 2
    } ]
$ ip link set v0 nomaster
$ bridge fdb show br br0
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:01 dev br0 self permanent
02:00:00:00:00:01 dev br0 master br0 permanent
$ bridge link
"##;

/// link show/set, details, json, errors, namespaces; recorded on Linux 6.18.
const LINK: &str = r##"$ ip link add br0 type bridge
$ ip link add v0 address 02:00:00:00:00:a0 type veth peer name v0p address 02:00:00:00:00:a1
$ ip link add v1 address 02:00:00:00:00:b0 type veth peer name v1p address 02:00:00:00:00:b1
$ ip link set v0 master br0
$ ip link set v1 master br0
$ bridge link show v1
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
6: v1@v1p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
$ bridge link show dev v1
6: v1@v1p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
$ bridge link show dev v1 dev v0
[stderr]
Error: duplicate "dev": "v0" is the second value.
[exit 255]
$ bridge link show dev nosuch
[stderr]
Cannot find device "nosuch"
[exit 255]
$ bridge link show dev
[stderr]
Command line is not complete. Try option "help"
[exit 255]
$ bridge link show dev v0p
$ bridge link show dev br0
$ bridge -d link show dev v0
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off 
$ bridge -o -d link show dev v0
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 \    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off 
$ bridge -s link
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
6: v1@v1p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
$ bridge l
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
6: v1@v1p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
$ bridge link list
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
6: v1@v1p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
$ bridge link s
[stderr]
Device is a required argument.
[exit 255]
$ bridge link foo
[stderr]
Command "foo" is unknown, try "bridge link help".
[exit 255]
$ bridge link help
[stderr]
Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
[exit 255]
$ bridge vlan
port              vlan-id  
$ bridge vlan show
port              vlan-id  
$ bridge -j vlan show
[]
$ bridge mdb
$ bridge link set dev nosuch cost 5
[stderr]
Cannot find bridge device "nosuch"
[exit 255]
$ bridge link set dev v0p cost 5
[stderr]
RTNETLINK answers: Operation not supported
[exit 255]
$ bridge link set dev br0 cost 5
[stderr]
RTNETLINK answers: Operation not supported
[exit 255]
$ bridge link set dev v0 cost 0
$ bridge link set dev v0 cost abc
$ bridge link set dev v0 cost 70000
[stderr]
RTNETLINK answers: Numerical result out of range
[exit 255]
$ bridge link set dev v0 priority 64
[stderr]
RTNETLINK answers: Numerical result out of range
[exit 255]
$ bridge link set dev v0 priority 10
$ bridge link set dev v0 state 3
[stderr]
RTNETLINK answers: Network is down
[exit 255]
$ bridge link set dev v0 state forwarding
[stderr]
RTNETLINK answers: Network is down
[exit 255]
$ bridge link set dev v0 state 0
[stderr]
RTNETLINK answers: Network is down
[exit 255]
$ bridge link set dev v0 hairpin on learning off flood off
$ bridge link set dev v0 hairpin maybe
[stderr]
Error: argument of "hairpin" must be one of "off", "on", not "maybe"
[exit 234]
$ bridge link set dev v0 bogus
[stderr]
Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
[exit 255]
$ bridge link set v0 cost 5
[stderr]
Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
[exit 255]
$ bridge link set cost 5
[stderr]
Device is a required argument.
[exit 255]
$ bridge link set dev v0
$ bridge link set dev v1 cost 12abc
$ bridge link
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 10 cost 2 
6: v1@v1p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 12 
$ bridge -d link
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 10 cost 2 
    hairpin on guard off root_block off fastleave off learning off flood off mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off 
6: v1@v1p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 12 
    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off 
$ bridge -d -j link
[{"ifindex":4,"link":"v0p","ifname":"v0","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"master":"br0","state":"disabled","priority":10,"cost":2,"hairpin":true,"guard":false,"root_block":false,"fastleave":false,"learning":false,"flood":false,"mcast_flood":true,"bcast_flood":true,"mcast_router":1,"mcast_to_unicast":false,"neigh_suppress":false,"vlan_tunnel":false,"isolated":false,"locked":false},{"ifindex":6,"link":"v1p","ifname":"v1","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"master":"br0","state":"disabled","priority":32,"cost":12,"hairpin":false,"guard":false,"root_block":false,"fastleave":false,"learning":true,"flood":true,"mcast_flood":true,"bcast_flood":true,"mcast_router":1,"mcast_to_unicast":false,"neigh_suppress":false,"vlan_tunnel":false,"isolated":false,"locked":false}]
$ bridge -n nosuch link
[stderr]
Cannot open network namespace "nosuch": No such file or directory
[exit 255]
$ ip netns add ns1
$ ip link set v1p netns ns1
$ bridge link
4: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 10 cost 2 
6: v1@if5: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 12 
$ bridge -j link
[{"ifindex":4,"link":"v0p","ifname":"v0","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":1500,"master":"br0","state":"disabled","priority":10,"cost":2},{"ifindex":6,"link":"if5","ifname":"v1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"master":"br0","state":"disabled","priority":32,"cost":12}]
$ bridge -n ns1 link
$ bridge -netns ns1 fdb
33:33:00:00:00:01 dev v1p self permanent
$ bridge -d fdb
33:33:00:00:00:01 dev br0 self permanent
33:33:00:00:00:01 dev v0p self permanent
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
02:00:00:00:00:b0 dev v1 master br0 permanent
33:33:00:00:00:01 dev v1 self permanent
$ ip link set br0 up
$ ip link set v0 up
$ ip link set v0p up
$ sleep 2
$ bridge link set dev v0 state blocking
$ bridge link
4: v0@v0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 10 cost 2 
6: v1@if5: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 12 
$ bridge link set dev v0 state 7
[stderr]
RTNETLINK answers: Invalid argument
[exit 255]
$ bridge link set dev v0 state bogus
[stderr]
Error: invalid STP port state
[exit 255]
$ bridge link set dev v0 state 3
$ bridge link
4: v0@v0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 10 cost 2 
6: v1@if5: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 12 
$ brctl stp br0 on
$ bridge link set dev v0 state 3
[stderr]
RTNETLINK answers: Device or resource busy
[exit 255]
$ brctl stp br0 off
$ ip link set v1 nomaster
$ bridge link
4: v0@v0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 10 cost 2 
"##;

/// the multicast (self) entries of devices and bridges; recorded on Linux 6.18.
const MULTICAST: &str = r##"$ ip link add br0 type bridge
$ bridge fdb
33:33:00:00:00:01 dev br0 self permanent
d2:f8:5e:2f:99:a6 dev br0 master br0 permanent
$ brctl addbr br1
$ bridge fdb
33:33:00:00:00:01 dev br0 self permanent
d2:f8:5e:2f:99:a6 dev br0 master br0 permanent
33:33:00:00:00:01 dev br1 self permanent
22:b9:42:a6:d1:8c dev br1 master br1 permanent
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.000000000000	no		
br1		8000.000000000000	no		
$ ip tuntap add tun0 mode tun
$ ip tuntap add tap0 mode tap
$ ip link set tun0 up
$ ip link set tap0 up
$ bridge fdb
33:33:00:00:00:01 dev br0 self permanent
d2:f8:5e:2f:99:a6 dev br0 master br0 permanent
33:33:00:00:00:01 dev br1 self permanent
22:b9:42:a6:d1:8c dev br1 master br1 permanent
33:33:00:00:00:01 dev tap0 self permanent
01:00:5e:00:00:01 dev tap0 self permanent
$ ip link add v0 address 02:00:00:00:00:a0 type veth peer name v0p address 02:00:00:00:00:a1
$ ip link set v0 master br0
$ bridge fdb
33:33:00:00:00:01 dev br0 self permanent
33:33:00:00:00:01 dev br1 self permanent
22:b9:42:a6:d1:8c dev br1 master br1 permanent
33:33:00:00:00:01 dev tap0 self permanent
01:00:5e:00:00:01 dev tap0 self permanent
33:33:00:00:00:01 dev v0p self permanent
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
$ ip link set v0 up
$ ip link set v0p up
$ ip link set br0 up
$ sleep 2
$ bridge fdb show br br0
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:a0 dev br0 self permanent
02:00:00:00:00:a1 dev v0 master br0 
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
01:00:5e:00:00:01 dev v0 self permanent
33:33:ff:00:00:a0 dev v0 self permanent
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.0200000000a0	no		v0
br1		8000.000000000000	no		
$ brctl showmacs br0
port no	mac addr		is local?	ageing timer
  1	02:00:00:00:00:a0	yes		   0.00
  1	02:00:00:00:00:a1	no		   0.04
$ ip -6 addr add 2001:db8::5/64 dev br0
$ bridge fdb show dev br0
33:33:00:00:00:01 self permanent
01:00:5e:00:00:6a self permanent
33:33:00:00:00:6a self permanent
01:00:5e:00:00:01 self permanent
33:33:ff:00:00:a0 self permanent
33:33:ff:00:00:05 self permanent
$ ip link set br0 address 02:00:00:00:00:05
$ bridge fdb show br br0
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:a0 dev br0 self permanent
33:33:ff:00:00:05 dev br0 self permanent
02:00:00:00:00:05 dev br0 master br0 permanent
02:00:00:00:00:a1 dev v0 master br0 
02:00:00:00:00:a0 dev v0 master br0 permanent
33:33:00:00:00:01 dev v0 self permanent
01:00:5e:00:00:01 dev v0 self permanent
33:33:ff:00:00:a0 dev v0 self permanent
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.020000000005	no		v0
br1		8000.000000000000	no		
$ brctl showmacs br0
port no	mac addr		is local?	ageing timer
  1	02:00:00:00:00:a0	yes		   0.00
  1	02:00:00:00:00:a1	no		   0.06
$ ip link set v0 nomaster
$ bridge fdb show br br0
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:00:00:a0 dev br0 self permanent
33:33:ff:00:00:05 dev br0 self permanent
02:00:00:00:00:05 dev br0 master br0 permanent
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.020000000005	no		
br1		8000.000000000000	no		
$ ip link set br1 address 02:00:00:00:00:07
$ bridge fdb show br br1
33:33:00:00:00:01 dev br1 self permanent
02:00:00:00:00:07 dev br1 master br1 permanent
$ ip link set br0 down
$ bridge fdb show dev br0
02:00:00:00:00:05 master br0 permanent
$ sysctl -w net.ipv6.conf.all.forwarding=1
net.ipv6.conf.all.forwarding = 1
$ bridge fdb show dev v0
33:33:00:00:00:01 self permanent
01:00:5e:00:00:01 self permanent
33:33:ff:00:00:a0 self permanent
33:33:00:00:00:02 self permanent
33:33:ff:00:00:00 self permanent
$ bridge fdb show dev tap0
33:33:00:00:00:01 self permanent
01:00:5e:00:00:01 self permanent
33:33:00:00:00:02 self permanent
"##;

#[test]
fn s2_4_bridge_scenario() {
    let mut lab = Lab::new();
    lab.replay(S2_4_BRIDGE, &[]);
    lab.finish();
}

#[test]
fn f05_bridge_ip_scenario() {
    let mut lab = Lab::new();
    lab.replay(F05_BRIDGE_IP, &[]);
    lab.finish();
}

#[test]
fn f20_bridge_fdb_scenario() {
    let mut lab = Lab::new();
    lab.replay(F20_BRIDGE_FDB, &[]);
    lab.finish();
}

#[test]
fn fdb_show_add_del() {
    let mut lab = Lab::new();
    lab.replay(FDB, &[]);
    lab.finish();
}

#[test]
fn link_show_set() {
    let mut lab = Lab::new();
    lab.replay(LINK, &[]);
    lab.finish();
}

#[test]
fn multicast_entries() {
    let mut lab = Lab::new();
    lab.replay(MULTICAST, &[]);
    lab.finish();
}
