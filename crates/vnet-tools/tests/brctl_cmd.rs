//! `brctl` against transcripts recorded from bridge-utils 1.7.1 on a real
//! kernel (Debian 12 tools), replayed on the simulated kernel.

#[path = "bridge_common.rs"]
mod common;
use common::Lab;

/// Recorded on Linux 6.18 with bridge-utils 1.7.1 (Debian 12).
const F17_BRCTL: &str = r##"$ brctl
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
$ brctl show
$ brctl addbr br0
$ brctl addbr br1
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.000000000000	no		
br1		8000.000000000000	no		
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		8000.000000000000	no		
$ ip link add v0 address 02:00:00:00:00:a0 type veth peer name v0p address 02:00:00:00:00:a1
$ ip link add v1 address 02:00:00:00:00:b0 type veth peer name v1p address 02:00:00:00:00:b1
$ brctl addif br0 v0
$ brctl addif br0 v1
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.0200000000a0	no		v0
							v1
br1		8000.000000000000	no		
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		8000.0200000000a0	no		v0
							v1
$ brctl showmacs br0
port no	mac addr		is local?	ageing timer
  1	02:00:00:00:00:a0	yes		   0.00
  2	02:00:00:00:00:b0	yes		   0.00
$ brctl showstp br0
br0
 bridge id		8000.0200000000a0
 designated root	8000.0200000000a0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		 300.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		   0.00
 flags			


v0 (1)
 port id		8001			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

v1 (2)
 port id		8002			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ ip link show br0
2: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:a0 brd ff:ff:ff:ff:ff:ff
$ brctl setageing br0 100
$ brctl setfd br0 4
$ brctl sethello br0 3
$ brctl setmaxage br0 30
$ brctl setbridgeprio br0 1000
$ brctl setpathcost br0 v0 50
$ brctl setportprio br0 v0 10
$ brctl showstp br0
br0
 bridge id		03e8.0200000000a0
 designated root	03e8.0200000000a0
 root port		   0			path cost		   0
 max age		  30.00			bridge max age		  30.00
 hello time		   3.00			bridge hello time	   3.00
 forward delay		   4.00			bridge forward delay	   4.00
 ageing time		 100.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  99.99
 flags			


v0 (1)
 port id		2801			state		       disabled
 designated root	8000.0200000000a0	path cost		  50
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

v1 (2)
 port id		8002			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ ip -d link show br0
2: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:a0 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    bridge forward_delay 400 hello_time 300 max_age 3000 ageing_time 10000 stp_state 0 priority 1000 vlan_filtering 0 bridge_id 03e8.2:0:0:0:0:a0 designated_root 03e8.2:0:0:0:0:a0 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer   99.98 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
$ brctl stp br0 on
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		03e8.0200000000a0	yes		v0
							v1
br1		8000.000000000000	no		
$ brctl showstp br0
br0
 bridge id		03e8.0200000000a0
 designated root	03e8.0200000000a0
 root port		   0			path cost		   0
 max age		  30.00			bridge max age		  30.00
 hello time		   3.00			bridge hello time	   3.00
 forward delay		   4.00			bridge forward delay	   4.00
 ageing time		 100.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  99.98
 flags			


v0 (1)
 port id		2801			state		       disabled
 designated root	8000.0200000000a0	path cost		  50
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

v1 (2)
 port id		8002			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ brctl stp br0 off
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		03e8.0200000000a0	no		v0
							v1
br1		8000.000000000000	no		
$ ip link set br0 up
$ ip link set v0 up
$ ip link set v1 up
$ ip link set v0p up
$ ip link set v1p up
$ sleep 3
$ brctl showmacs br0
port no	mac addr		is local?	ageing timer
  1	02:00:00:00:00:a0	yes		   0.00
  1	02:00:00:00:00:a1	no		   1.62
  2	02:00:00:00:00:b0	yes		   0.00
  2	02:00:00:00:00:b1	no		   0.38
$ brctl delif br0 v1
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		03e8.0200000000a0	no		v0
br1		8000.000000000000	no		
$ brctl delif br0 v1
[stderr]
device v1 is not a port of br0
[exit 1]
$ brctl delbr br0
[stderr]
bridge br0 is still up; can't delete it
[exit 1]
$ ip link set br0 down
$ brctl delbr br0
$ brctl delbr br1
$ brctl show
$ brctl delbr br1
[stderr]
bridge br1 doesn't exist; can't delete it
[exit 1]
$ brctl addbr br0
$ brctl addbr br0
[stderr]
device br0 already exists; can't create bridge with the same name
[exit 1]
$ brctl addif br0 nosuch
[stderr]
interface nosuch does not exist!
[exit 1]
$ brctl addif nosuch v0
[stderr]
bridge nosuch does not exist!
[exit 1]
$ brctl addif br0 v0
$ brctl addif br0 v0
[stderr]
device v0 is already a member of a bridge; can't add it to bridge br0.
[exit 1]
$ brctl addif br0 lo
[stderr]
can't add lo to bridge br0: Invalid argument
[exit 1]
$ brctl delif br0 v1
[stderr]
device v1 is not a port of br0
[exit 1]
$ brctl showmacs nosuch
[stderr]
read of forward table failed: No such device
[exit 1]
$ brctl showstp nosuch
[stderr]
bridge nosuch does not exist!
[exit 1]
$ brctl show nosuch
[stderr]
bridge nosuch does not exist!
[exit 1]
$ brctl stp br0 maybe
[stderr]
expect on/off for argument
[exit 1]
$ brctl setageing br0 abc
[stderr]
bad ageing time value
[exit 1]
$ brctl bogus
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
[stderr]
never heard of command [bogus]
[exit 1]
$ brctl addbr
Incorrect number of arguments for command
Usage: brctl addbr <bridge>		add bridge
[exit 1]
"##;

/// Recorded on Linux 6.18 with bridge-utils 1.7.1 (Debian 12).
const ERRORS: &str = r##"$ brctl -V
bridge-utils, 1.7
$ brctl --version
bridge-utils, 1.7
$ brctl -h
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
$ brctl --help
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
$ brctl help
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
[stderr]
never heard of command [help]
[exit 1]
$ brctl -x
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
[stderr]
brctl: invalid option -- 'x'
Unknown option '?'
[exit 1]
$ brctl -x show
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
[stderr]
brctl: invalid option -- 'x'
Unknown option '?'
[exit 1]
$ brctl addif
Incorrect number of arguments for command
Usage: brctl addif <bridge> <device>	add interface to bridge
[exit 1]
$ brctl addif br0
Incorrect number of arguments for command
Usage: brctl addif <bridge> <device>	add interface to bridge
[exit 1]
$ brctl delif br0
Incorrect number of arguments for command
Usage: brctl delif <bridge> <device>	delete interface from bridge
[exit 1]
$ brctl hairpin br0 x
Incorrect number of arguments for command
Usage: brctl hairpin <bridge> <port> {on|off}	turn hairpin on/off
[exit 1]
$ brctl setageing br0
Incorrect number of arguments for command
Usage: brctl setageing <bridge> <time>		set ageing time
[exit 1]
$ brctl setbridgeprio br0
Incorrect number of arguments for command
Usage: brctl setbridgeprio <bridge> <prio>		set bridge priority
[exit 1]
$ brctl setfd
Incorrect number of arguments for command
Usage: brctl setfd <bridge> <time>		set bridge forward delay
[exit 1]
$ brctl sethello br0
Incorrect number of arguments for command
Usage: brctl sethello <bridge> <time>		set hello time
[exit 1]
$ brctl setmaxage br0
Incorrect number of arguments for command
Usage: brctl setmaxage <bridge> <time>		set max message age
[exit 1]
$ brctl setpathcost br0 x
Incorrect number of arguments for command
Usage: brctl setpathcost <bridge> <port> <cost>	set path cost
[exit 1]
$ brctl setportprio br0 x
Incorrect number of arguments for command
Usage: brctl setportprio <bridge> <port> <prio>	set port priority
[exit 1]
$ brctl showmacs
Incorrect number of arguments for command
Usage: brctl showmacs <bridge>		show a list of mac addrs
[exit 1]
$ brctl showstp
Incorrect number of arguments for command
Usage: brctl showstp <bridge>		show bridge stp info
[exit 1]
$ brctl stp br0
Incorrect number of arguments for command
Usage: brctl stp <bridge> {on|off}	turn stp on/off
[exit 1]
$ brctl delbr
Incorrect number of arguments for command
Usage: brctl delbr <bridge>		delete bridge
[exit 1]
$ brctl addbr br0 extra
$ brctl delbr br0 extra
$ brctl show br0 extra
[stderr]
bridge br0 does not exist!
bridge extra does not exist!
[exit 1]
$ brctl addbr br0 br1
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.000000000000	no		
$ brctl show nosuch br0
bridge name	bridge id		STP enabled	interfaces
br0		8000.000000000000	no		
[stderr]
bridge nosuch does not exist!
[exit 1]
$ brctl show br0 br1
bridge name	bridge id		STP enabled	interfaces
br0		8000.000000000000	no		
[stderr]
bridge br1 does not exist!
[exit 1]
$ brctl show lo
[stderr]
device lo is not a bridge!
[exit 1]
$ brctl showstp lo
[stderr]
device lo is not a bridge!
[exit 1]
$ brctl showmacs lo
[stderr]
read of forward table failed: Operation not supported
[exit 1]
$ brctl delbr lo
[stderr]
can't delete bridge lo: Operation not permitted
[exit 1]
$ brctl addbr lo
[stderr]
device lo already exists; can't create bridge with the same name
[exit 1]
$ brctl addbr abcdefghijklmnopqrstu
$ brctl addbr abcdefghijklmno
[stderr]
device abcdefghijklmno already exists; can't create bridge with the same name
[exit 1]
$ brctl addbr 'a b'
[stderr]
add bridge failed: Invalid argument
[exit 1]
$ brctl addbr a/b
[stderr]
add bridge failed: Invalid argument
[exit 1]
$ brctl show
bridge name	bridge id		STP enabled	interfaces
abcdefghijklmno		8000.000000000000	no		
br0		8000.000000000000	no		
$ ip link add v0 address 02:00:00:00:00:a0 type veth peer name v0p address 02:00:00:00:00:a1
$ ip link add v1 address 02:00:00:00:00:b0 type veth peer name v1p address 02:00:00:00:00:b1
$ brctl delbr v0
[stderr]
can't delete bridge v0: Operation not permitted
[exit 1]
$ brctl addif v0 v1
[stderr]
can't add v1 to bridge v0: Operation not supported
[exit 1]
$ brctl addif br0 br1
[stderr]
interface br1 does not exist!
[exit 1]
$ brctl addif br0 br0
[stderr]
device br0 is a bridge device itself; can't add a bridge device to a bridge device.
[exit 1]
$ brctl addif br1 v0
[stderr]
bridge br1 does not exist!
[exit 1]
$ brctl addif br0 v0
$ brctl addif br0 v0p extra
[stderr]
interface extra does not exist!
[exit 1]
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		8000.0200000000a0	no		v0
							v0p
$ brctl delif nosuch v0
[stderr]
bridge nosuch does not exist!
[exit 1]
$ brctl delif v1 v0
[stderr]
can't delete v0 from v1: Operation not supported
[exit 1]
$ brctl delif br0 nosuch
[stderr]
interface nosuch does not exist!
[exit 1]
$ brctl delif br1 v0
[stderr]
bridge br1 does not exist!
[exit 1]
$ brctl hairpin br0 v0 on
$ brctl showstp br0
br0
 bridge id		8000.0200000000a0
 designated root	8000.0200000000a0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		 300.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		   0.00
 flags			


v0 (1)
 port id		8001			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			
 hairpin mode		   1

v0p (2)
 port id		8002			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ brctl hairpin br0 v0 yes
$ brctl hairpin br0 v0 1
$ brctl hairpin br0 v0 off
$ brctl hairpin br0 v0 no
$ brctl hairpin br0 v0 0
$ brctl hairpin br0 v0 maybe
[stderr]
expect on/off for argument
[exit 1]
$ brctl hairpin br0 v1 on
[stderr]
can't set v1 to hairpin on bridge br0: No such file or directory
[exit 1]
$ brctl hairpin br0 nosuch on
[stderr]
interface nosuch does not exist!
[exit 1]
$ brctl hairpin nosuch v0 on
[stderr]
bridge nosuch does not exist!
[exit 1]
$ brctl hairpin v1 v0 on
$ brctl stp br0 yes
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		8000.0200000000a0	yes		v0
							v0p
$ brctl stp br0 1
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		8000.0200000000a0	yes		v0
							v0p
$ brctl stp br0 no
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		8000.0200000000a0	no		v0
							v0p
$ brctl stp br0 0
$ brctl stp br0 ON
[stderr]
expect on/off for argument
[exit 1]
$ brctl stp nosuch on
[stderr]
set stp status failed: No such device
[exit 1]
$ brctl stp v1 on
[stderr]
set stp status failed: Operation not supported
[exit 1]
$ brctl setageing br0 12.5
$ brctl showstp br0
br0
 bridge id		8000.0200000000a0
 designated root	8000.0200000000a0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  12.50
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  12.50
 flags			


v0 (1)
 port id		8001			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			
 hairpin mode		   1

v0p (2)
 port id		8002			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ brctl setageing br0 -1
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
[stderr]
brctl: invalid option -- '1'
Unknown option '?'
[exit 1]
$ brctl setageing br0 0
$ brctl setageing br0 1
$ brctl setageing br0 9
$ brctl setageing br0 10
$ brctl setageing br0 1000000
$ brctl setageing br0 1000001
$ brctl setageing br0 99999999999
$ brctl setageing br0 1e3
$ brctl setageing br0 12abc
$ brctl setageing nosuch 10
[stderr]
set ageing time failed: No such device
[exit 1]
$ brctl setageing v1 10
[stderr]
set ageing time failed: Operation not supported
[exit 1]
$ brctl showstp br0
br0
 bridge id		8000.0200000000a0
 designated root	8000.0200000000a0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  12.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  11.98
 flags			


v0 (1)
 port id		8001			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			
 hairpin mode		   1

v0p (2)
 port id		8002			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ brctl setfd br0 abc
[stderr]
bad forward delay value
[exit 1]
$ brctl setfd br0 0
$ brctl setfd br0 1
$ brctl setfd br0 31
$ brctl setfd br0 2.5
$ brctl setfd nosuch 3
[stderr]
set forward delay failed: No such device
[exit 1]
$ brctl sethello br0 0
[stderr]
set hello timer failed: Numerical result out of range
[exit 1]
$ brctl sethello br0 0.5
[stderr]
set hello timer failed: Numerical result out of range
[exit 1]
$ brctl sethello br0 11
[stderr]
set hello timer failed: Numerical result out of range
[exit 1]
$ brctl sethello br0 10
$ brctl sethello br0 abc
[stderr]
bad hello timer value
[exit 1]
$ brctl sethello nosuch 2
[stderr]
set hello timer failed: No such device
[exit 1]
$ brctl setmaxage br0 5
[stderr]
set max age failed: Numerical result out of range
[exit 1]
$ brctl setmaxage br0 41
[stderr]
set max age failed: Numerical result out of range
[exit 1]
$ brctl setmaxage br0 6
$ brctl setmaxage br0 abc
[stderr]
bad max age value
[exit 1]
$ brctl setmaxage nosuch 10
[stderr]
set max age failed: No such device
[exit 1]
$ brctl showstp br0
br0
 bridge id		8000.0200000000a0
 designated root	8000.0200000000a0
 root port		   0			path cost		   0
 max age		   6.00			bridge max age		   6.00
 hello time		  10.00			bridge hello time	  10.00
 forward delay		   2.50			bridge forward delay	   2.50
 ageing time		  12.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  11.94
 flags			


v0 (1)
 port id		8001			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			
 hairpin mode		   1

v0p (2)
 port id		8002			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ brctl stp br0 on
$ brctl setfd br0 1
[stderr]
set forward delay failed: Numerical result out of range
[exit 1]
$ brctl setfd br0 31
[stderr]
set forward delay failed: Numerical result out of range
[exit 1]
$ brctl setfd br0 30
$ brctl setmaxage br0 40
$ brctl stp br0 off
$ brctl setbridgeprio br0 abc
[stderr]
bad priority
[exit 1]
$ brctl setbridgeprio br0 -1
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
[stderr]
brctl: invalid option -- '1'
Unknown option '?'
[exit 1]
$ brctl setbridgeprio br0 65535
$ brctl setbridgeprio br0 65536
$ brctl setbridgeprio br0 70000
$ brctl setbridgeprio br0 0x10
$ brctl setbridgeprio br0 12abc
$ brctl setbridgeprio nosuch 1
[stderr]
set bridge priority failed: No such device
[exit 1]
$ brctl setbridgeprio v1 1
[stderr]
set bridge priority failed: Operation not supported
[exit 1]
$ brctl showstp br0
br0
 bridge id		000c.0200000000a0
 designated root	000c.0200000000a0
 root port		   0			path cost		   0
 max age		  40.00			bridge max age		  40.00
 hello time		  10.00			bridge hello time	  10.00
 forward delay		  30.00			bridge forward delay	  30.00
 ageing time		  12.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  11.90
 flags			


v0 (1)
 port id		8001			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			
 hairpin mode		   1

v0p (2)
 port id		8002			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ brctl setpathcost br0 v0 abc
[stderr]
bad path cost value
[exit 1]
$ brctl setpathcost br0 v0 0
[stderr]
set path cost failed: Numerical result out of range
[exit 1]
$ brctl setpathcost br0 v0 -1
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
[stderr]
brctl: invalid option -- '1'
Unknown option '?'
[exit 1]
$ brctl setpathcost br0 v0 65535
$ brctl setpathcost br0 v0 65536
[stderr]
set path cost failed: Numerical result out of range
[exit 1]
$ brctl setpathcost br0 v0 4294967295
[stderr]
set path cost failed: Numerical result out of range
[exit 1]
$ brctl setpathcost br0 v0 12abc
$ brctl setpathcost br0 v1 10
[stderr]
set path cost failed: No such file or directory
[exit 1]
$ brctl setpathcost br0 nosuch 10
[stderr]
set path cost failed: No such device
[exit 1]
$ brctl setpathcost nosuch v0 10
$ brctl setportprio br0 v0 abc
[stderr]
bad path priority value
[exit 1]
$ brctl setportprio br0 v0 63
$ brctl setportprio br0 v0 64
[stderr]
set port priority failed: Numerical result out of range
[exit 1]
$ brctl setportprio br0 v0 -1
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
[stderr]
brctl: invalid option -- '1'
Unknown option '?'
[exit 1]
$ brctl setportprio br0 v0 255
[stderr]
set port priority failed: Numerical result out of range
[exit 1]
$ brctl setportprio br0 v0 256
[stderr]
set port priority failed: Numerical result out of range
[exit 1]
$ brctl setportprio br0 v1 1
[stderr]
set port priority failed: No such file or directory
[exit 1]
$ brctl setportprio nosuch v0 1
$ brctl showstp br0
br0
 bridge id		000c.0200000000a0
 designated root	000c.0200000000a0
 root port		   0			path cost		   0
 max age		  40.00			bridge max age		  40.00
 hello time		  10.00			bridge hello time	  10.00
 forward delay		  30.00			bridge forward delay	  30.00
 ageing time		  12.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  11.84
 flags			


v0 (1)
 port id		0401			state		       disabled
 designated root	8000.0200000000a0	path cost		  10
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			
 hairpin mode		   1

v0p (2)
 port id		8002			state		       disabled
 designated root	8000.0200000000a0	path cost		   2
 designated bridge	8000.0200000000a0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ ip link set br0 up
$ brctl delbr br0
[stderr]
bridge br0 is still up; can't delete it
[exit 1]
$ ip link set br0 down
$ brctl delbr br0
$ ip link show v0
6: v0@v0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:a0 brd ff:ff:ff:ff:ff:ff
$ brctl show
bridge name	bridge id		STP enabled	interfaces
abcdefghijklmno		8000.000000000000	no		
"##;

/// Recorded on Linux 6.18 with bridge-utils 1.7.1 (Debian 12).
const PORTS_AND_STP: &str = r##"$ brctl addbr br0
$ brctl addbr br1
$ brctl addif nosuch nosuch2
[stderr]
interface nosuch2 does not exist!
[exit 1]
$ brctl addif br0 br1
[stderr]
device br1 is a bridge device itself; can't add a bridge device to a bridge device.
[exit 1]
$ ip link add z0 type veth peer name z0p
$ ip link add a0 type veth peer name a0p
$ ip link add M0 type veth peer name M0p
$ ip tuntap add tap0 mode tap
$ ip tuntap add tun0 mode tun
$ brctl addif br0 z0 a0 M0
$ brctl addif br0 tap0
$ brctl addif br0 tun0
[stderr]
can't add tun0 to bridge br0: Invalid argument
[exit 1]
$ brctl addif br1 a0
[stderr]
device a0 is already a member of a bridge; can't add it to bridge br1.
[exit 1]
$ brctl delif br1 a0
[stderr]
device a0 is not a port of br1
[exit 1]
$ brctl delif br0 a0 z0p
[stderr]
device z0p is not a port of br0
[exit 1]
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.72fa01c37ad0	no		M0
							tap0
							z0
br1		8000.000000000000	no		
$ brctl addif br0 a0
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		8000.72fa01c37ad0	no		M0
							a0
							tap0
							z0
br1		8000.000000000000	no		
$ brctl showstp br0
br0
 bridge id		8000.72fa01c37ad0
 designated root	8000.72fa01c37ad0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		 300.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		   0.00
 flags			


M0 (3)
 port id		8003			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8003			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

a0 (2)
 port id		8002			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

tap0 (4)
 port id		8004			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8004			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

z0 (1)
 port id		8001			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ brctl showmacs br0
port no	mac addr		is local?	ageing timer
  3	72:fa:01:c3:7a:d0	yes		   0.00
  1	7e:ef:88:47:0d:c6	yes		   0.00
  2	de:c4:49:d5:94:e5	yes		   0.00
  4	f2:3c:76:35:12:0d	yes		   0.00
$ brctl showmacs br1
port no	mac addr		is local?	ageing timer
$ brctl setbridgeprio br0 70000
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		1170.72fa01c37ad0	no		M0
							a0
							tap0
							z0
$ brctl setbridgeprio br0 0x10
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		0010.72fa01c37ad0	no		M0
							a0
							tap0
							z0
$ brctl setbridgeprio br0 010
$ brctl show br0
bridge name	bridge id		STP enabled	interfaces
br0		0008.72fa01c37ad0	no		M0
							a0
							tap0
							z0
$ brctl setpathcost br0 a0 0x10
$ brctl setportprio br0 a0 010
$ brctl setageing br0 0x10
$ brctl showstp br0
br0
 bridge id		0008.72fa01c37ad0
 designated root	0008.72fa01c37ad0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  16.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  15.99
 flags			


M0 (3)
 port id		8003			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8003			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

a0 (2)
 port id		2002			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		  16
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

tap0 (4)
 port id		8004			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8004			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

z0 (1)
 port id		8001			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ ip link set br0 up
$ brctl showstp br0
br0
 bridge id		0008.72fa01c37ad0
 designated root	0008.72fa01c37ad0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  16.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		   0.10
 flags			


M0 (3)
 port id		8003			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8003			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

a0 (2)
 port id		2002			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		  16
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

tap0 (4)
 port id		8004			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8004			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

z0 (1)
 port id		8001			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ ip link set a0 up
$ ip link set a0p up
$ brctl showstp br0
br0
 bridge id		0008.72fa01c37ad0
 designated root	0008.72fa01c37ad0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  16.00
 hello timer		   0.00			tcn timer		   0.00
 topology change timer	   0.00			gc timer		   0.09
 flags			


M0 (3)
 port id		8003			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8003			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

a0 (2)
 port id		2002			state		     forwarding
 designated root	0008.72fa01c37ad0	path cost		  16
 designated bridge	0008.72fa01c37ad0	message age timer	   0.00
 designated port	2002			forward delay timer	  15.00
 designated cost	   0			hold timer		   0.00
 flags			

tap0 (4)
 port id		8004			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8004			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

z0 (1)
 port id		8001			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ brctl stp br0 on
$ brctl showstp br0
br0
 bridge id		0008.72fa01c37ad0
 designated root	0008.72fa01c37ad0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  16.00
 hello timer		   1.99			tcn timer		   0.00
 topology change timer	   0.00			gc timer		   0.08
 flags			


M0 (3)
 port id		8003			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8003			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

a0 (2)
 port id		2002			state		     forwarding
 designated root	0008.72fa01c37ad0	path cost		  16
 designated bridge	0008.72fa01c37ad0	message age timer	   0.00
 designated port	2002			forward delay timer	  14.99
 designated cost	   0			hold timer		   0.00
 flags			

tap0 (4)
 port id		8004			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8004			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

z0 (1)
 port id		8001			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ sleep 2.5
$ brctl showstp br0
br0
 bridge id		0008.72fa01c37ad0
 designated root	0008.72fa01c37ad0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  16.00
 hello timer		   1.63			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  13.54
 flags			


M0 (3)
 port id		8003			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8003			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

a0 (2)
 port id		2002			state		     forwarding
 designated root	0008.72fa01c37ad0	path cost		  16
 designated bridge	0008.72fa01c37ad0	message age timer	   0.00
 designated port	2002			forward delay timer	  12.48
 designated cost	   0			hold timer		   0.63
 flags			

tap0 (4)
 port id		8004			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8004			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

z0 (1)
 port id		8001			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ bridge link
5: z0@z0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
7: a0@a0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 8 cost 16 
9: M0@M0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
10: tap0: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 2 
$ sleep 16
$ brctl showstp br0
br0
 bridge id		0008.72fa01c37ad0
 designated root	0008.72fa01c37ad0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  16.00
 hello timer		   1.61			tcn timer		   0.00
 topology change timer	   0.00			gc timer		  11.04
 flags			


M0 (3)
 port id		8003			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8003			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

a0 (2)
 port id		2002			state		     forwarding
 designated root	0008.72fa01c37ad0	path cost		  16
 designated bridge	0008.72fa01c37ad0	message age timer	   0.00
 designated port	2002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.61
 flags			

tap0 (4)
 port id		8004			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8004			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

z0 (1)
 port id		8001			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ bridge link
5: z0@z0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
7: a0@a0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 8 cost 16 
9: M0@M0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
10: tap0: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 2 
$ sleep 16
$ brctl showstp br0
br0
 bridge id		0008.72fa01c37ad0
 designated root	0008.72fa01c37ad0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  16.00
 hello timer		   1.59			tcn timer		   0.00
 topology change timer	   0.00			gc timer		   9.63
 flags			


M0 (3)
 port id		8003			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8003			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

a0 (2)
 port id		2002			state		     forwarding
 designated root	0008.72fa01c37ad0	path cost		  16
 designated bridge	0008.72fa01c37ad0	message age timer	   0.00
 designated port	2002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.59
 flags			

tap0 (4)
 port id		8004			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8004			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

z0 (1)
 port id		8001			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ bridge link
5: z0@z0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
7: a0@a0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 8 cost 16 
9: M0@M0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
10: tap0: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 2 
$ brctl stp br0 off
$ brctl showstp br0
br0
 bridge id		0008.72fa01c37ad0
 designated root	0008.72fa01c37ad0
 root port		   0			path cost		   0
 max age		  20.00			bridge max age		  20.00
 hello time		   2.00			bridge hello time	   2.00
 forward delay		  15.00			bridge forward delay	  15.00
 ageing time		  16.00
 hello timer		   1.56			tcn timer		   0.00
 topology change timer	   0.00			gc timer		   9.60
 flags			


M0 (3)
 port id		8003			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8003			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

a0 (2)
 port id		2002			state		     forwarding
 designated root	0008.72fa01c37ad0	path cost		  16
 designated bridge	0008.72fa01c37ad0	message age timer	   0.00
 designated port	2002			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.56
 flags			

tap0 (4)
 port id		8004			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8004			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

z0 (1)
 port id		8001			state		       disabled
 designated root	8000.72fa01c37ad0	path cost		   2
 designated bridge	8000.72fa01c37ad0	message age timer	   0.00
 designated port	8001			forward delay timer	   0.00
 designated cost	   0			hold timer		   0.00
 flags			

$ bridge link
5: z0@z0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
7: a0@a0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 8 cost 16 
9: M0@M0p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 
10: tap0: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 2 
$ brctl delbr br0
[stderr]
bridge br0 is still up; can't delete it
[exit 1]
$ brctl show
bridge name	bridge id		STP enabled	interfaces
br0		0008.72fa01c37ad0	no		M0
							a0
							tap0
							z0
br1		8000.000000000000	no		
"##;

#[test]
fn f17_brctl_scenario() {
    let mut lab = Lab::new();
    lab.replay(F17_BRCTL, &[]);
    lab.finish();
}

#[test]
fn usage_options_and_errors() {
    let mut lab = Lab::new();
    lab.replay(ERRORS, &[]);
    lab.finish();
}

#[test]
fn ports_priorities_and_stp() {
    let mut lab = Lab::new();
    lab.replay(PORTS_AND_STP, &[]);
    lab.finish();
}
