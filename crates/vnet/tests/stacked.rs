//! vlan and ipvlan devices: a VLAN trunk between two namespaces over a
//! veth, and ipvlan l2 between namespaces. The recording kernel has no
//! 8021q and no ipvlan module, so what they show and do is pinned here
//! against the kernel sources (net/8021q/vlan_netlink.c, vlan_dev.c,
//! vlan_core.c, vlanproc.c; drivers/net/ipvlan/) and iproute2 6.1's
//! iplink_vlan.c and iplink_ipvlan.c. macvlan, which it has, is pinned by
//! the kernel-recorded tests/scenarios/f37_macvlan.sh.

mod common;

use common::*;

const VLAN: &str = include_str!("stacked/vlan.sh");
const IPVLAN: &str = include_str!("stacked/ipvlan.sh");

#[test]
fn vlan_trunk_tags_frames_and_keeps_vlans_apart() {
    let t = run("vlan", VLAN);
    // vlan_newlink(): REORDER_HDR by default; the lower's MAC (vlan_dev_init).
    let d = output_of(&t, "ip -n a -d link show eth0.10");
    assert!(
        d.starts_with(
            "2: eth0.10@eth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN "
        ),
        "{d}"
    );
    assert!(d.contains("link/ether 02:00:00:00:00:0a brd"), "{d}");
    assert!(
        d.contains("\n    vlan protocol 802.1Q id 10 <REORDER_HDR> addrgenmode eui64 "),
        "{d}"
    );
    // vlan_dev_open(): not while the real device is down.
    assert_eq!(
        output_of(&t, "ip -n a link set eth0.10 up"),
        "[stderr]\nRTNETLINK answers: Network is down\n[exit 2]\n"
    );
    // vlan_device_event(NETDEV_UP): the vlans come up with the lower.
    let l = outputs_of(&t, "ip -n a link show")[1].clone();
    assert!(
        l.contains(
            "4: eth0.20@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP"
        ),
        "{l}"
    );
    // Tagged on the trunk: tcpdump -e prints the tag before the inner type.
    let cap = output_of(&t, "cat cap.txt");
    assert!(cap.contains(
        "02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 46: vlan 10, p 0, ethertype ARP (0x0806), Request who-has 10.0.10.2 tell 10.0.10.1, length 28\n"
    ), "{cap}");
    assert!(cap.contains(
        "02:00:00:00:00:0b > 02:00:00:00:00:0a, ethertype 802.1Q (0x8100), length 102: vlan 10, p 0, ethertype IPv4 (0x0800), 10.0.10.2 > 10.0.10.1: ICMP echo reply"
    ), "{cap}");
    for dst in ["10.0.10.2", "10.0.20.2", "10.0.0.2"] {
        let p = output_of(&t, &format!("ip netns exec a ping -c 1 {dst}"));
        assert!(p.contains("1 received"), "{dst}: {p}");
    }
    // VLAN 20's end, in a namespace of its own with a VLAN-10 address,
    // never hears VLAN 10's ARP: no reply, and only its own IPv6 noise.
    let p = output_of(&t, "ip netns exec a ping -c 1 -W 1 10.0.10.3");
    assert!(p.contains("0 received"), "{p}");
    let cap20 = output_of(&t, "cat cap20.txt");
    assert!(!cap20.contains("10.0.10"), "{cap20}");
    assert!(
        output_of(&t, "ip -n b20 link show")
            .contains("4: eth1.20@if2: <BROADCAST,MULTICAST,UP,LOWER_UP>"),
        "{t}"
    );
    // vlanproc.c vlan_seq_show().
    assert_eq!(
        output_of(&t, "ip netns exec a cat /proc/net/vlan/config"),
        "VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\neth0.10        | 10  | eth0\neth0.20        | 20  | eth0\n"
    );
    assert_eq!(
        output_of(&t, "cat /proc/net/vlan/config"),
        "VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\n"
    );
    // The kernel's errors (NL_SET_ERR_MSG_MOD: "8021q: ") and iproute2's.
    for (cmd, out) in [
        (
            "ip -n a link add link eth0 name v10 type vlan id 10",
            "[stderr]\nError: 8021q: VLAN device already exists.\n[exit 2]\n",
        ),
        (
            "ip -n a link add link eth0 name v4095 type vlan id 4095",
            "[stderr]\nError: 8021q: Invalid VLAN id.\n[exit 2]\n",
        ),
        (
            "ip -n a link add link eth0 name vx type vlan id 70000",
            "[stderr]\nError: argument \"70000\" is wrong: id is invalid\n[exit 255]\n",
        ),
        (
            "ip -n a link add link eth0 name vx type vlan",
            "[stderr]\nError: 8021q: VLAN properties not specified.\n[exit 2]\n",
        ),
        (
            "ip -n a link add name vx type vlan id 5",
            "[stderr]\nError: 8021q: link not specified.\n[exit 2]\n",
        ),
        (
            "ip -n a link set eth0.10 mtu 1600",
            "[stderr]\nRTNETLINK answers: Numerical result out of range\n[exit 2]\n",
        ),
    ] {
        assert_eq!(output_of(&t, cmd), out, "{cmd}");
    }
    assert!(output_of(&t, "ip -n a -d link show vx")
        .contains("\n    vlan protocol 802.1ad id 5 <REORDER_HDR> "));
    // NETDEV_CHANGEMTU: a vlan larger than its lower shrinks to it.
    assert!(output_of(&t, "ip -n a link show eth0.10").contains(" mtu 1400 "));
    // NETDEV_DOWN takes the vlans down; deleting the lower deletes them.
    let l = outputs_of(&t, "ip -n a link show")[2].clone();
    assert!(
        l.contains(
            "2: eth0.10@eth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1400 qdisc noqueue state DOWN"
        ),
        "{l}"
    );
    assert!(output_of(&t, "ip -n a -br link").contains("vx@eth0          UP "));
    assert!(!output_of(&t, "ip -n a link show").contains("eth0."));
}

#[test]
fn ipvlan_l2_slaves_share_the_lower_mac_and_reach_each_other() {
    let t = run("ipvlan", IPVLAN);
    let d = output_of(&t, "ip -d link show iv1");
    // The lower's MAC; iplink_ipvlan.c prints " mode %s " after the kind.
    assert!(d.contains("link/ether 02:00:00:00:00:e0 brd"), "{d}");
    assert!(
        d.contains("\n    ipvlan  mode l2 bridge addrgenmode eui64 "),
        "{d}"
    );
    assert_eq!(
        output_of(&t, "ip link add link eth0 name iv3 type ipvlan mode l9"),
        "[stderr]\nError: argument of \"mode\" must be either \"l2\", \"l3\" or \"l3s\"\n[exit 1]\n"
    );
    // The lower's rx_handler is ipvlan's: a macvlan cannot take it.
    assert_eq!(
        output_of(&t, "ip link add link eth0 name mv3 type macvlan"),
        "[stderr]\nRTNETLINK answers: Device or resource busy\n[exit 2]\n"
    );
    assert!(outputs_of(&t, "ip -n c1 link show")[0]
        .contains("4: iv1@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP"));
    for dst in ["192.168.1.22", "192.168.1.1"] {
        let p = output_of(&t, &format!("ip netns exec c1 ping -c 1 {dst}"));
        assert!(p.contains("1 received"), "{dst}: {p}");
    }
    // Every slave answers with the one MAC.
    assert!(
        output_of(&t, "ip -n c1 neigh").contains("192.168.1.22 dev iv1 lladdr 02:00:00:00:00:e0 ")
    );
    assert!(
        output_of(&t, "ip -n out neigh").contains("192.168.1.21 dev sw0 lladdr 02:00:00:00:00:e0 ")
    );
    // The slaves go with their lower.
    assert!(!outputs_of(&t, "ip -n c1 link show")[1].contains("iv1"));
}

const IPVLAN_L3: &str = include_str!("stacked/ipvlan_l3.sh");

#[test]
fn ipvlan_l3_slaves_are_noarp_and_route_through_the_lower_namespace() {
    let t = run("ipvlan_l3", IPVLAN_L3);
    // ipvlan_link_new(): l3 by default; ipvlan_set_port_mode() makes the
    // slaves NOARP; iplink_ipvlan.c ipvlan_print_opt() prints the mode.
    let d = output_of(&t, "ip -d link show iv1");
    assert!(
        d.starts_with("4: iv1@eth0: <BROADCAST,MULTICAST,NOARP,M-DOWN> mtu 1500 ")
            || d.starts_with("4: iv1@eth0: <BROADCAST,MULTICAST,NOARP> mtu 1500 "),
        "{d}"
    );
    assert!(
        d.contains("\n    ipvlan  mode l3 bridge addrgenmode eui64 "),
        "{d}"
    );
    // Made on a lower that has carrier: no linkwatch event, so the
    // operstate stays IF_OPER_UNKNOWN (linkwatch_init_dev()).
    assert!(
        output_of(&t, "ip -n c1 link show iv1")
            .starts_with("4: iv1@if3: <BROADCAST,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN"),
        "{t}"
    );
    // ipvlan_xmit_mode_l3(): another slave's address is delivered to it.
    let p = output_of(&t, "ip netns exec c1 ping -c 1 10.1.1.2");
    assert!(p.contains("1 received"), "{p}");
    // The rest is routed in the lower's namespace and leaves the lower
    // with its MAC, after the lower's ARP (ipvlan_process_v4_outbound).
    let p = output_of(&t, "ip netns exec c1 ping -c 1 192.168.1.1");
    assert!(p.contains("1 received"), "{p}");
    let cap = output_of(&t, "cat cap.txt");
    assert!(
        cap.contains("02:00:00:00:00:e0 > 02:00:00:00:00:f0, ethertype IPv4 (0x0800), length 98: 10.1.1.1 > 192.168.1.1: ICMP echo request"),
        "{cap}"
    );
    // No neighbour resolution on a NOARP slave (nothing `ip neigh` lists).
    assert_eq!(output_of(&t, "ip -n c1 neigh"), "");
    assert!(
        output_of(&t, "ip -n out neigh").contains("192.168.1.10 dev sw0 lladdr 02:00:00:00:00:e0 "),
        "{t}"
    );
    // The lower namespace's POSTROUTING sees the slaves' packets: they
    // leave masqueraded. In l3 the reply reaches the lower's stack for its
    // own address, is un-NATed in PREROUTING and finds no route to the
    // slave; in l3s the l3mdev hook (ipvlan_l3_rcv) hands it over.
    let cap2 = output_of(&t, "cat cap2.txt");
    assert!(
        cap2.contains("192.168.1.10 > 192.168.1.1: ICMP echo request"),
        "{cap2}"
    );
    assert!(
        cap2.contains("192.168.1.1 > 192.168.1.10: ICMP echo reply"),
        "{cap2}"
    );
    let masq = outputs_of(&t, "ip netns exec c2 ping -c 1 192.168.1.1");
    assert!(masq[0].contains(" 0 received"), "{}", masq[0]);
    assert!(masq[1].contains(" 1 received"), "{}", masq[1]);
    // l3: arriving packets go straight to the slave, past the lower
    // namespace's PREROUTING; l3s: through it (ipvlan_l3_rcv).
    let counts = outputs_of(&t, "iptables -t mangle -L PREROUTING -v -n -x");
    let hits = |s: &str| -> u64 {
        s.lines()
            .find(|l| l.contains("10.1.1.2"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(99)
    };
    assert_eq!(hits(&counts[0]), 0, "{}", counts[0]);
    assert_eq!(hits(&counts[1]), 1, "{}", counts[1]);
    for p in outputs_of(&t, "ip netns exec out ping -c 1 10.1.1.2") {
        assert!(p.contains("1 received"), "{p}");
    }
    // The port's mode is the last one given: iv1 is l3s now.
    assert!(
        output_of(&t, "ip -n c1 -d link show iv1").contains("\n    ipvlan  mode l3s bridge "),
        "{t}"
    );
}

const VLAN_SET: &str = include_str!("stacked/vlan_set.sh");

#[test]
fn vlan_changelink_sets_flags_and_qos_maps_but_not_the_id() {
    let t = run("vlan_set", VLAN_SET);
    // vlan_fill_info() dumps a QoS map only with entries; iproute2 6.1's
    // vlan_print_map() starts each on a new line, six spaces in.
    let d = outputs_of(&t, "ip -n a -d link show eth0.10");
    assert!(
        d[0].contains("\n    vlan protocol 802.1Q id 10 <REORDER_HDR> \n      egress-qos-map { 0:3 2:5 } addrgenmode eui64 "),
        "{}",
        d[0]
    );
    // vlan_changelink(): vlan_dev_change_flags() with the mask iproute2
    // sends; ingress by TCI priority; egress by hash bucket (priority &
    // 0xF), the newest first in a bucket (vlan_dev_set_egress_priority).
    assert!(
        d[1].contains("\n    vlan protocol 802.1Q id 10 <GVRP> \n      ingress-qos-map { 1:2 3:4 } \n      egress-qos-map { 0:3 1:6 17:1 2:5 } addrgenmode "),
        "{}",
        d[1]
    );
    assert!(
        d[2].contains(" <GVRP,MVRP,LOOSE_BINDING,BRIDGE_BINDING> "),
        "{}",
        d[2]
    );
    // The id is not looked at by changelink; vlan_validate() still
    // range-checks it.
    assert_eq!(
        output_of(&t, "ip -n a link set eth0.10 type vlan id 20"),
        ""
    );
    assert!(d[1].contains(" id 10 "));
    assert_eq!(
        output_of(&t, "ip -n a link set eth0.10 type vlan id 4095"),
        "[stderr]\nError: 8021q: Invalid VLAN id.\n[exit 2]\n"
    );
    // vlan_parse_qos_map() cut the word at its colon before invarg(),
    // which exits with -1.
    assert_eq!(
        output_of(&t, "ip -n a link set eth0.10 type vlan egress-qos-map 1:x"),
        "[stderr]\nError: argument \"1\" is wrong: invalid egress-qos-map\n[exit 255]\n"
    );
    assert!(output_of(&t, "ip -n a link set eth0.10 type vlan bogus")
        .starts_with("[stderr]\nvlan: unknown command \"bogus\"?\nUsage: ... vlan id VLANID\n"));
    // Data for a kind the device is not: rtnl_newlink() refuses it.
    assert_eq!(
        output_of(&t, "ip -n a link set eth0 type vlan gvrp on"),
        "[stderr]\nRTNETLINK answers: Operation not supported\n[exit 2]\n"
    );
    // vlan_dev_hard_start_xmit(): the egress map's priority for skb
    // priority 0 goes into the tag (tcpdump's "p 3").
    let cap = output_of(&t, "cat cap.txt");
    assert!(
        cap.contains("ethertype 802.1Q (0x8100), length 102: vlan 10, p 3, ethertype IPv4 (0x0800), 10.0.10.1 > 10.0.10.2: ICMP echo request"),
        "{cap}"
    );
    assert!(
        cap.contains(
            "vlan 10, p 0, ethertype IPv4 (0x0800), 10.0.10.2 > 10.0.10.1: ICMP echo reply"
        ),
        "{cap}"
    );
}
