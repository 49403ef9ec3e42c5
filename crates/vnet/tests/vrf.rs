//! VRF devices. The recording kernel has no vrf module, so what they show
//! and do is pinned here against the kernel sources (drivers/net/vrf.c
//! vrf_newlink()/vrf_dev_init()/vrf_setup()/vrf_add_fib_rules()/
//! do_vrf_add_slave()/vrf_dellink(), net/l3mdev/l3mdev.c
//! l3mdev_fib_table(), net/ipv4/fib_frontend.c fib_netdev_event()'s
//! NETDEV_CHANGEUPPER, fib_magic(), net/ipv4/icmp.c icmp_reply()'s
//! l3mdev oif) and iproute2 6.1's ip/ipvrf.c and ip/iplink_vrf.c.

mod common;

use common::*;

const TENANTS: &str = include_str!("vrf/tenants.sh");

#[test]
fn a_vrf_needs_a_table_and_adds_the_l3mdev_rules_once() {
    let t = run("vrf_new", TENANTS);
    // vrf_newlink(): IFLA_VRF_TABLE missing, or RT_TABLE_UNSPEC.
    assert_eq!(
        output_of(&t, "ip -n r link add blue type vrf"),
        "[stderr]\nError: VRF table id is missing.\n[exit 2]\n"
    );
    assert_eq!(
        output_of(&t, "ip -n r link add blue type vrf table 0"),
        "[stderr]\nError: Invalid VRF table id.\n[exit 2]\n"
    );
    // vrf_parse_opt(): anything but `table` is refused with vrf_explain().
    assert_eq!(
        output_of(&t, "ip -n r link add blue type vrf table 10 bogus"),
        "[stderr]\nvrf: unknown option \"bogus\"?\nUsage: ... vrf table TABLEID\n[exit 1]\n"
    );
    // vrf_add_fib_rules(): FIB_RULE_PREF 1000, l3mdev, protocol kernel
    // (not printed), for IPv4 and IPv6; the second VRF adds nothing.
    assert_eq!(
        output_of(&t, "ip -n r rule"),
        "0:\tfrom all lookup local\n1000:\tfrom all lookup [l3mdev-table]\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n"
    );
    assert_eq!(
        output_of(&t, "ip -n r -6 rule"),
        "0:\tfrom all lookup local\n1000:\tfrom all lookup [l3mdev-table]\n32766:\tfrom all lookup main\n"
    );
    // vrf_dev_init()/vrf_setup(): IFF_MASTER|IFF_NOARP, operstate UP,
    // IFF_NO_QUEUE, MTU bounds IPV6_MIN_MTU..IP6_MAX_MTU.
    let l = output_of(&t, "ip -n r link show type vrf");
    assert!(
        l.starts_with("2: blue: <NOARP,MASTER,UP,LOWER_UP> mtu 65575 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n"),
        "{l}"
    );
    assert_eq!(l.lines().count(), 4, "{l}");
    let d = output_of(&t, "ip -n r -d link show blue");
    assert!(
        d.contains(" minmtu 1280 maxmtu 65575 \n    vrf table 10 addrgenmode"),
        "{d}"
    );
    // vrf_slave_print_opt(): the slave's master's table.
    let s = outputs_of(&t, "ip -n r -d link show rb")[0].clone();
    assert!(
        s.contains("\n    veth \n    vrf_slave table 20 addrgenmode"),
        "{s}"
    );
    // An L3 master is not a port.
    assert_eq!(
        output_of(&t, "ip -n r link set blue master red"),
        "[stderr]\nError: Can not enslave an L3 master device to a VRF.\n[exit 2]\n"
    );
}

#[test]
fn enslaving_moves_the_routes_into_the_vrf_table_and_releasing_back() {
    let t = run("vrf_routes", TENANTS);
    // Before: both 10.0.0.1 are in local.
    let before = outputs_of(&t, "ip -n r route show table local");
    assert!(
        before[0].contains("local 10.0.0.1 dev ra "),
        "{}",
        before[0]
    );
    // NETDEV_CHANGEUPPER flushes every route of the port; the cycle
    // (cycle_netdev) puts them back through fib_magic() into the VRF's
    // table: connected, local and broadcast together, main and local empty.
    assert_eq!(output_of(&t, "ip -n r route"), "");
    assert_eq!(before[1], "");
    assert_eq!(
        outputs_of(&t, "ip -n r route show vrf blue")[0],
        "10.0.0.0/24 dev ra proto kernel scope link src 10.0.0.1 \nlocal 10.0.0.1 dev ra proto kernel scope host src 10.0.0.1 \nbroadcast 10.0.0.255 dev ra proto kernel scope link src 10.0.0.1 \n10.1.0.0/24 dev ra2 proto kernel scope link src 10.1.0.1 \nlocal 10.1.0.1 dev ra2 proto kernel scope host src 10.1.0.1 \nbroadcast 10.1.0.255 dev ra2 proto kernel scope link src 10.1.0.1 \n"
    );
    assert!(output_of(&t, "ip -n r route show table 20")
        .starts_with("10.0.0.0/24 dev rb proto kernel scope link src 10.0.0.1 \n"));
    // IPv6: the VRF's table (made by vrf_rt6_create()) holds the slave's
    // prefix and local routes.
    let v6 = output_of(&t, "ip -n r -6 route show vrf blue");
    assert!(
        v6.contains("2001:db8:a::/64 dev ra proto kernel metric 256 pref medium\n"),
        "{v6}"
    );
    assert!(
        v6.contains("local 2001:db8:a::1 dev ra proto kernel metric 0 pref medium\n"),
        "{v6}"
    );
    // Released: back to main and local.
    assert!(!output_of(&t, "ip -n r route show vrf blue").contains("dev ra "));
    let after = outputs_of(&t, "ip -n r route show table local");
    assert!(
        after[2].contains("local 10.0.0.1 dev ra proto kernel scope host"),
        "{}",
        after[2]
    );
    // vrf_dellink(): deleting the VRF releases its ports.
    let rb = outputs_of(&t, "ip -n r -d link show rb");
    assert!(!rb[1].contains("master red"), "{}", rb[1]);
    assert!(after[3].contains("local 10.0.0.1 dev rb "), "{}", after[3]);
}

#[test]
fn tenants_with_the_same_subnet_stay_in_their_vrf() {
    let t = run("vrf_ping", TENANTS);
    // `route get ... vrf` is RTA_OIF = the VRF: the l3mdev rule picks its
    // table; without it the main table has no route.
    assert_eq!(
        output_of(&t, "ip -n r route get 10.0.0.2 vrf blue"),
        "10.0.0.2 dev ra table 10 src 10.0.0.1 uid 0 \n    cache \n"
    );
    assert_eq!(
        output_of(&t, "ip -n r route get 10.0.0.2"),
        "[stderr]\nRTNETLINK answers: Network is unreachable\n[exit 2]\n"
    );
    for cmd in [
        "ip netns exec r ip vrf exec blue ping -c 1 10.0.0.2",
        "ip netns exec r ip vrf exec red ping -c 1 10.0.0.2",
        "ip netns exec r ip vrf exec blue ping -c 1 2001:db8:a::2",
        // Forwarded inside blue, and answered by r in red (icmp_reply()
        // routes by the input device's VRF).
        "ip netns exec a1 ping -c 1 10.1.0.2",
        "ip netns exec b1 ping -c 1 10.0.0.1",
    ] {
        assert!(
            output_of(&t, cmd).contains(" 1 received, 0% packet loss"),
            "{cmd}: {t}"
        );
    }
    // Each tenant's 10.0.0.2 was reached through its own port.
    let n = output_of(&t, "ip -n r neigh");
    assert!(
        n.contains("10.0.0.2 dev ra lladdr 02:00:00:00:0a:02 REACHABLE \n"),
        "{n}"
    );
    assert!(
        n.contains("10.0.0.2 dev rb lladdr 02:00:00:00:0b:02 REACHABLE \n"),
        "{n}"
    );
    // red has no route to blue's second subnet.
    assert_eq!(
        output_of(&t, "ip netns exec b1 ping -c 1 -W 1 10.1.0.2"),
        "[stderr]\nping: connect: Network is unreachable\n[exit 2]\n"
    );
    assert_eq!(
        output_of(&t, "ip netns exec r ping -c 1 10.0.0.2"),
        "[stderr]\nping: connect: Network is unreachable\n[exit 2]\n"
    );
}

#[test]
fn ip_vrf_lists_identifies_and_refuses_unknown_names() {
    let t = run("vrf_cmd", TENANTS);
    // ipvrf_print(): "%-16s %5s" header, a rule of 23 dashes, "%-16s %5u".
    assert_eq!(
        output_of(&t, "ip -n r vrf"),
        "Name             Table\n-----------------------\nblue                10\nred                 20\n"
    );
    assert_eq!(
        output_of(&t, "ip -n r vrf show red"),
        "Name             Table\n-----------------------\nred                 20\n"
    );
    assert_eq!(
        output_of(&t, "ip netns exec r ip vrf exec blue ip vrf identify"),
        "blue\n"
    );
    assert_eq!(
        output_of(&t, "ip netns exec r ip vrf exec nosuch true"),
        "[stderr]\nInvalid VRF name\n[exit 1]\n"
    );
    // The `vrf NAME` selector: ip link show lists the VRF's ports.
    let l = output_of(&t, "ip -n r link show vrf blue");
    assert!(l.starts_with("4: ra@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master blue state UP "), "{l}");
    assert!(l.contains("\n5: ra2@if2: "), "{l}");
    assert_eq!(
        output_of(&t, "ip -n r route show vrf nosuch"),
        "[stderr]\nError: argument \"nosuch\" is wrong: Not a valid VRF name\n\n[exit 255]\n"
    );
}
