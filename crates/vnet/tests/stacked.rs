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
