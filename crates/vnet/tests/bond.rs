//! Bonding devices. The recording kernel has no bonding module, so what
//! they show and do is pinned here against the kernel sources
//! (drivers/net/bonding/bond_main.c bond_enslave()/__bond_release_one(),
//! bond_options.c, bond_netlink.c bond_fill_info(), bond_procfs.c
//! bond_info_seq_show(), bond_sysfs.c, bond_3ad.c) and iproute2 6.1's
//! ip/iplink_bond.c bond_print_opt() and iplink_bond_slave.c.

mod common;

use common::*;

const AB: &str = include_str!("bond/active_backup.sh");
const LACP: &str = include_str!("bond/lacp.sh");
const MODES: &str = include_str!("bond/modes.sh");

/// bond_print_opt()'s fixed part for a bond with default options.
const DEFAULTS_TAIL: &str = "arp_validate none arp_all_targets any primary_reselect always fail_over_mac none xmit_hash_policy layer2 resend_igmp 1 num_grat_arp 1 all_slaves_active 0 min_links 0 lp_interval 1 packets_per_slave 1 lacp_active on lacp_rate slow ad_select stable tlb_dynamic_lb 1 addrgenmode eui64 numtxqueues 16 numrxqueues 16 ";

#[test]
fn active_backup_fails_over_to_the_backup_and_back_to_the_primary() {
    let t = run("ab", AB);
    // A new bond: IFF_MASTER, 16 queues (BOND_DEFAULT_TX_QUEUES), the
    // module's defaults; bond_fill_info() has no active slave yet.
    let d = output_of(&t, "ip -n h -d link show bond0");
    assert!(
        d.contains("\n    bond mode active-backup active_slave eth2 miimon 100 updelay 0 downdelay 0 peer_notify_delay 0 use_carrier 1 arp_interval 0 arp_missed_max 2 arp_validate none arp_all_targets any primary eth2 primary_reselect always "),
        "{d}"
    );
    let first = outputs_of(&t, "ip -n h -d link show bond0")[0].clone();
    assert!(
        first.starts_with("4: bond0: <BROADCAST,MULTICAST,MASTER> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n"),
        "{first}"
    );
    assert!(first.contains(&format!("\n    bond mode active-backup miimon 100 updelay 0 downdelay 0 peer_notify_delay 0 use_carrier 1 arp_interval 0 arp_missed_max 2 {DEFAULTS_TAIL}")), "{first}");
    assert_eq!(
        output_of(&t, "ip -n h link add bond0 type bond"),
        "[stderr]\nRTNETLINK answers: File exists\n[exit 2]\n"
    );
    // bond_enslave(): the bond takes its first slave's address, every
    // slave the bond's; slaves show IFF_SLAVE and their master.
    let l = output_of(&t, "ip -n h link show");
    assert!(l.contains("3: eth2@if4: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc noqueue master bond0 state UP mode DEFAULT group default qlen 1000\n    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns sw\n"), "{l}");
    // bond_fill_slave_info(): the backup keeps its permanent address.
    let s = output_of(&t, "ip -n h -d link show eth1");
    assert!(s.contains("\n    veth \n    bond_slave state BACKUP mii_status UP link_failure_count 0 perm_hwaddr 02:00:00:00:00:01 queue_id 0 prio 0 addrgenmode"), "{s}");
    // bond_info_show_master() in the bond's namespace only.
    let p = outputs_of(&t, "ip netns exec h cat /proc/net/bonding/bond0");
    assert_eq!(p[0], "Ethernet Channel Bonding Driver: v6.1.0-vnet\n\nBonding Mode: fault-tolerance (active-backup)\nPrimary Slave: eth2 (primary_reselect always)\nCurrently Active Slave: eth2\nMII Status: up\nMII Polling Interval (ms): 100\nUp Delay (ms): 0\nDown Delay (ms): 0\nPeer Notification Delay (ms): 0\n\nSlave Interface: eth1\nMII Status: up\nSpeed: 10000 Mbps\nDuplex: full\nLink Failure Count: 0\nPermanent HW addr: 02:00:00:00:00:01\nSlave queue ID: 0\n\nSlave Interface: eth2\nMII Status: up\nSpeed: 10000 Mbps\nDuplex: full\nLink Failure Count: 0\nPermanent HW addr: 02:00:00:00:00:02\nSlave queue ID: 0\n");
    assert!(output_of(&t, "cat /proc/net/bonding/bond0").contains("No such file or directory"));
    // The primary's link fails: the backup takes over, traffic continues.
    assert!(p[1].contains("Currently Active Slave: eth1\n"), "{}", p[1]);
    assert!(p[1].contains("Slave Interface: eth2\nMII Status: down\nSpeed: Unknown\nDuplex: Unknown\nLink Failure Count: 1\n"), "{}", p[1]);
    for ping in outputs_of(&t, "ip netns exec h ping -c 2 10.0.0.2") {
        assert!(ping.contains(" 2 received, 0% packet loss"), "{ping}");
    }
    // primary_reselect always: back to the primary once its link returns.
    assert_eq!(
        output_of(
            &t,
            "ip netns exec h cat /sys/class/net/bond0/bonding/active_slave"
        ),
        "eth2\n"
    );
    assert_eq!(
        output_of(
            &t,
            "ip netns exec h cat /sys/class/net/eth1/bonding_slave/state"
        ),
        "backup\n"
    );
    // __bond_release_one(): the slave is closed, its address restored.
    assert_eq!(output_of(&t, "ip -n h link show eth1"), "2: eth1@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\n    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns sw\n");
    // bond_opt_check_deps(): mode needs a bond without slaves, and down.
    assert_eq!(
        output_of(&t, "ip -n h link set bond0 type bond mode balance-rr"),
        "[stderr]\nError: unable to set option because the bond device has slaves.\n[exit 2]\n"
    );
    // Deleting the bond releases eth2, which gets its own address back.
    assert!(output_of(&t, "ip -n h link show eth2").contains("<BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\n    link/ether 02:00:00:00:00:02 "), "{t}");
}

#[test]
fn two_802_3ad_bonds_aggregate_all_their_links_over_lacp() {
    let t = run("lacp", LACP);
    // bond_3ad_get_active_agg_info(): one aggregator of three ports; the
    // key is 10 Gb/s (7 << 1) and full duplex (1).
    let d = outputs_of(&t, "ip -n a -d link show bond0");
    assert!(d[0].contains("lacp_active on lacp_rate fast ad_select stable ad_aggregator 1 ad_num_ports 3 ad_actor_key 15 ad_partner_key 15 ad_partner_mac 02:bb:00:00:00:01 ad_actor_sys_prio 65535 ad_user_port_key 0 ad_actor_system 00:00:00:00:00:00 tlb_dynamic_lb 1 "), "{}", d[0]);
    // Collecting and distributing on both sides (0x3f with the fast timeout).
    let s = output_of(&t, "ip -n a -d link show a2");
    assert!(s.contains("bond_slave state ACTIVE mii_status UP link_failure_count 0 perm_hwaddr 02:aa:00:00:01:02 queue_id 0 prio 0 ad_aggregator_id 1 ad_actor_oper_port_state 63 ad_actor_oper_port_state_str <active,short_timeout,aggregating,in_sync,collecting,distributing> ad_partner_oper_port_state 63 ad_partner_oper_port_state_str <active,short_timeout,aggregating,in_sync,collecting,distributing> "), "{s}");
    let p = output_of(&t, "ip netns exec a cat /proc/net/bonding/bond0");
    assert!(p.contains("\n802.3ad info\nLACP active: on\nLACP rate: fast\nMin links: 0\nAggregator selection policy (ad_select): stable\nSystem priority: 65535\nSystem MAC address: 02:aa:00:00:00:01\nActive Aggregator Info:\n\tAggregator ID: 1\n\tNumber of ports: 3\n\tActor Key: 15\n\tPartner Key: 15\n\tPartner Mac Address: 02:bb:00:00:00:01\n"), "{p}");
    assert!(p.contains("\nSlave Interface: a3\nMII Status: up\nSpeed: 10000 Mbps\nDuplex: full\nLink Failure Count: 0\nPermanent HW addr: 02:aa:00:00:01:03\nSlave queue ID: 0\nAggregator ID: 1\nActor Churn State: none\nPartner Churn State: none\nActor Churned Count: 0\nPartner Churned Count: 0\ndetails actor lacp pdu:\n    system priority: 65535\n    system mac address: 02:aa:00:00:00:01\n    port key: 15\n    port priority: 255\n    port number: 3\n    port state: 63\ndetails partner lacp pdu:\n    system priority: 65535\n    system mac address: 02:bb:00:00:00:01\n    oper key: 15\n    port priority: 255\n    port number: 3\n    port state: 63\n"), "{p}");
    // LACPDUs leave each slave from its permanent address to the slow
    // protocols' group address.
    let cap = output_of(&t, "cat lacp.txt");
    assert!(
        cap.contains(
            "02:aa:00:00:01:01 > 01:80:c2:00:00:02, ethertype Slow Protocols (0x8809), length 124: LACPv1, length 110\n"
        ),
        "{cap}"
    );
    for ping in outputs_of(&t, "ip netns exec a ping -c 3 10.0.0.2") {
        assert!(ping.contains(" 3 received, 0% packet loss"), "{ping}");
    }
    // A link fails: the aggregator keeps the other two.
    assert!(d[1].contains("ad_aggregator 1 ad_num_ports 2 "), "{}", d[1]);
    assert_eq!(
        output_of(
            &t,
            "ip netns exec a cat /sys/class/net/bond0/bonding/ad_num_ports"
        ),
        "2\n"
    );
}

#[test]
fn other_modes_options_and_their_refusals() {
    let t = run("modes", MODES);
    // balance-rr: the pings' frames alternate over both slaves.
    let (a1, a2) = (
        output_of(&t, "ip -s -n a link show a1"),
        output_of(&t, "ip -s -n a link show a2"),
    );
    let tx = |s: &str| -> u64 {
        let l: Vec<&str> = s.lines().collect();
        l[l.len() - 1]
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(tx(&a1) >= 5 && tx(&a2) >= 5, "{a1}{a2}");
    let p = outputs_of(&t, "ip netns exec a cat /proc/net/bonding/bond0");
    assert!(p[0].contains("Bonding Mode: fault-tolerance (broadcast)\nMII Status: up\nMII Polling Interval (ms): 0\n"), "{}", p[0]);
    // The ARP monitor's lines (bond_info_show_master()).
    assert!(p[1].contains("ARP Polling Interval (ms): 100\nARP Missed Max: 2\nARP IP target/s (n.n.n.n form): 10.0.0.2, 10.0.0.3\nNS IPv6 target/s (xx::xx form):\n"), "{}", p[1]);
    let d = output_of(&t, "ip -n a -d link show bond0");
    assert!(d.contains("bond mode broadcast miimon 0 updelay 0 downdelay 0 peer_notify_delay 0 use_carrier 1 arp_interval 100 arp_missed_max 2 arp_ip_target 10.0.0.2,10.0.0.3 arp_validate all arp_all_targets any primary_reselect always fail_over_mac none xmit_hash_policy layer2+3 "), "{d}");
    // Each refusal, with the extended ack bond_opt_error_interpret() sets.
    for (cmd, out) in [
        (
            "ip -n a link set bond0 type bond mode broadcast",
            "Error: unable to set option because the bond device has slaves.\n",
        ),
        (
            "ip -n a link set bond0 type bond xmit_hash_policy layer2+3 packets_per_slave 3",
            "Error: option not supported in mode.\n",
        ),
        (
            "ip -n a link set bond0 type bond primary a1",
            "Error: option not supported in mode.\n",
        ),
        (
            "ip -n a link set a2 type bond_slave queue_id 2",
            "RTNETLINK answers: Operation not permitted\n",
        ),
        (
            "ip -n a link set a2 type bond_slave queue_id 17",
            "RTNETLINK answers: Operation not permitted\n",
        ),
        (
            "ip -n a link add bond1 type bond updelay 200",
            "RTNETLINK answers: Operation not permitted\n",
        ),
        (
            "ip -n a link add bond1 type bond mode 802.3ad arp_interval 100",
            "Error: option not supported in mode.\n",
        ),
        (
            "ip -n a link add bond1 type bond lacp_rate fast",
            "Error: option not supported in mode.\n",
        ),
        (
            "ip -n a link add bond1 type bond ad_actor_sys_prio 0 mode 802.3ad",
            "Error: invalid option value.\n",
        ),
        (
            "ip -n a link set bond1 type bond mode active-backup",
            "Error: unable to set option because the bond is up.\n",
        ),
        (
            "ip -n a link set bond1 master bond1",
            "Error: Cannot enslave bond to itself.\n",
        ),
    ] {
        // The first run of each (some are run again once allowed).
        assert_eq!(
            outputs_of(&t, cmd)[0],
            format!("[stderr]\n{out}[exit 2]\n"),
            "{cmd}"
        );
    }
    assert_eq!(
        output_of(&t, "ip -n a link add bond1 type bond mode nosuch"),
        "[stderr]\nError: argument \"nosuch\" is wrong: invalid mode\n[exit 255]\n"
    );
    // bond_slave_changelink(): queue id and priority.
    assert!(
        output_of(&t, "ip -n a -d link show a1")
            .contains("bond_slave state ACTIVE mii_status UP link_failure_count 0 perm_hwaddr "),
        "{t}"
    );
    assert!(
        output_of(&t, "ip -n a -d link show a1").contains(" queue_id 2 prio 7 "),
        "{t}"
    );
    assert_eq!(
        output_of(
            &t,
            "ip netns exec a cat /sys/class/net/bond0/bonding/queue_id"
        ),
        "a1:2 a2:0\n"
    );
    // updelay is kept in miimon units (250 rounds down to 200).
    assert!(
        output_of(&t, "ip -n a -d link show bond1")
            .contains("bond mode balance-rr miimon 100 updelay 200 downdelay 100 "),
        "{t}"
    );
    // The sysfs store names the missing interface's errno.
    assert!(
        output_of(
            &t,
            "ip netns exec a sh -c 'echo +nosuch > /sys/class/net/bond1/bonding/slaves'"
        )
        .contains("write error: No such device"),
        "{t}"
    );
    assert!(
        output_of(&t, "ls /sys/class/net").contains("bonding_masters\n"),
        "{t}"
    );
    assert_eq!(
        output_of(&t, "lsmod | grep -E '^(bonding|tls) '"),
        "bonding               229376  0\ntls                   139264  1 bonding\n"
    );
}
