//! Bridge VLAN filtering: access ports, a trunk, the bridge as a tagged
//! member routing between vlans through vlan devices (router on a stick).
//! The recording kernel lacks CONFIG_BRIDGE_VLAN_FILTERING (`type bridge
//! vlan_filtering 1` answers "Operation not supported" there) and 8021q,
//! so what these show is pinned here against the sources: net/bridge/
//! br_vlan.c (br_allowed_ingress, br_handle_vlan, __vlan_add_flags),
//! br_netlink.c (br_vlan_info, br_process_vlan_info, br_validate) and
//! iproute2 6.1's bridge/vlan.c (vlan_modify, print_vlan_info,
//! open_vlan_port, print_range, print_vlan_flags).

mod common;

use common::*;

const FILTERING: &str = include_str!("br_vlan/filtering.sh");
const ROUTER: &str = include_str!("br_vlan/router_on_stick.sh");

/// The filtering lab's transcript, run once for all the tests that read it
/// (they would otherwise share, and race on, one scratch directory).
fn filtering() -> &'static str {
    static T: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    T.get_or_init(|| run("br_vlan", FILTERING))
}

#[test]
fn vlan_show_lists_default_pvid_and_access_and_trunk_ports() {
    let t = filtering().to_owned();
    // br_vlan_init(): the bridge itself starts in vlan 1, pvid, untagged.
    let shows = outputs_of(&t, "bridge vlan show");
    assert_eq!(
        shows[0],
        "port              vlan-id  \nbr0               1 PVID Egress Untagged\n"
    );
    // nbp_vlan_init() gives every port the default pvid; after the adds
    // and dels each access port has its vlan and the trunk both, tagged.
    assert_eq!(
        shows[2],
        "port              vlan-id  \n\
         br0               1 PVID Egress Untagged\n\
         p1                10 PVID Egress Untagged\n\
         p2                10 PVID Egress Untagged\n\
         p3                20 PVID Egress Untagged\n\
         p4                20 PVID Egress Untagged\n\
         trunk             10\n                  20\n"
    );
    assert_eq!(
        output_of(&t, "bridge vlan show vid 10"),
        "port              vlan-id  \np1                10 PVID Egress Untagged\np2                10 PVID Egress Untagged\ntrunk             10\n"
    );
    assert_eq!(
        output_of(&t, "bridge -j -p vlan show dev p1"),
        "[ {\n        \"ifname\": \"p1\",\n        \"vlans\": [ {\n                \"vlan\": 10,\n                \"flags\": [ \"PVID\",\"Egress Untagged\" ]\n            } ]\n    } ]\n"
    );
    assert!(output_of(&t, "bridge -j vlan show").starts_with(
        "[{\"ifname\":\"br0\",\"vlans\":[{\"vlan\":1,\"flags\":[\"PVID\",\"Egress Untagged\"]}]},"
    ));
}

#[test]
fn pings_pass_within_a_vlan_and_fail_across() {
    let t = filtering().to_owned();
    let p = output_of(&t, "ip netns exec h1 ping -c 2 -i 0.2 192.168.1.2");
    assert!(p.contains("2 received"), "{p}");
    let p = output_of(&t, "ip netns exec h3 ping -c 1 192.168.1.4");
    assert!(p.contains("1 received"), "{p}");
    let across = outputs_of(&t, "ip netns exec h1 ping -c 1 -W 1 192.168.1.3");
    assert!(across[0].contains("0 received"), "{}", across[0]);
    // vlan_filtering 0 through ip link: one broadcast domain again.
    assert!(across[1].contains("1 received"), "{}", across[1]);
    // Back on through sysfs (br_vlan_filter_toggle): apart again.
    assert!(across[2].contains("0 received"), "{}", across[2]);
}

#[test]
fn the_trunk_carries_802_1q_tags_that_tcpdump_shows() {
    let t = filtering().to_owned();
    let cap = output_of(&t, "cat cap.txt");
    // The ARP requests flood to the trunk tagged with their vlan.
    assert!(cap.contains(
        "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 46: vlan 10, p 0, ethertype ARP (0x0806), Request who-has 192.168.1.2 tell 192.168.1.1, length 28\n"
    ), "{cap}");
    assert!(cap.contains(
        "02:00:00:00:00:03 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 46: vlan 20, p 0, ethertype ARP (0x0806), Request who-has 192.168.1.4 tell 192.168.1.3, length 28\n"
    ), "{cap}");
}

#[test]
fn fdb_entries_are_per_vlan() {
    let t = filtering().to_owned();
    let f = output_of(&t, "bridge fdb show dev p1");
    // Learned in vlan 10; the port's own address local in its vlan.
    assert!(f.contains("02:00:00:00:00:01 vlan 10 master br0 \n"), "{f}");
    assert!(
        f.contains("02:00:00:00:01:01 vlan 10 master br0 permanent\n"),
        "{f}"
    );
    let j = output_of(&t, "bridge -j fdb show dev p3");
    assert!(j.contains("{\"mac\":\"02:00:00:00:00:03\",\"vlan\":20,\"flags\":[],\"master\":\"br0\",\"state\":\"\"}"), "{j}");
}

#[test]
fn bad_vlan_requests_get_the_tools_and_kernels_errors() {
    let t = filtering().to_owned();
    // br_vlan_valid_id() with an extack.
    assert_eq!(
        output_of(&t, "bridge vlan add dev p1 vid 4095"),
        "[stderr]\nError: bridge: Vlan id is invalid.\n[exit 255]\n"
    );
    assert_eq!(
        output_of(&t, "bridge vlan add dev p1 vid 0"),
        "[stderr]\nError: bridge: Vlan id is invalid.\n[exit 255]\n"
    );
    // vlan_modify()'s own checks.
    assert_eq!(
        output_of(&t, "bridge vlan add dev nosuch vid 10"),
        "[stderr]\nCannot find bridge device \"nosuch\"\n[exit 255]\n"
    );
    assert_eq!(
        output_of(&t, "bridge vlan add dev p1 vid 10-20 pvid"),
        "[stderr]\npvid cannot be configured for a vlan range\n[exit 255]\n"
    );
    // br_vlan_info() ignores deleting a vlan that is not there.
    assert_eq!(output_of(&t, "bridge vlan del dev p1 vid 99"), "");
    // rtnl_bridge_setlink(): `master` on a port goes to its bridge.
    assert_eq!(output_of(&t, "bridge vlan add dev p1 vid 10 master"), "");
    // __br_vlan_set_proto() refuses what is not a vlan protocol (br_validate).
    assert_eq!(
        output_of(&t, "ip link set br0 type bridge vlan_protocol foo"),
        "[stderr]\nError: argument \"foo\" is wrong: invalid vlan_protocol\n[exit 255]\n"
    );
    assert_eq!(
        output_of(&t, "cat /sys/class/net/br0/bridge/vlan_protocol"),
        "0x88a8\n"
    );
    assert_eq!(
        output_of(&t, "ip link set br1 type bridge vlan_default_pvid 4095"),
        "[stderr]\nRTNETLINK answers: Invalid argument\n[exit 2]\n"
    );
}

#[test]
fn ranges_compress_and_the_default_pvid_moves() {
    let t = filtering().to_owned();
    let tr = outputs_of(&t, "bridge vlan show dev trunk");
    assert_eq!(
        tr[1],
        "port              vlan-id  \ntrunk             10\n                  20\n                  30\n                  31\n                  32\n                  33\n"
    );
    assert_eq!(
        output_of(&t, "bridge -c vlan show dev trunk"),
        "port              vlan-id  \ntrunk             10\n                  20\n                  30-33\n"
    );
    assert_eq!(
        tr[3],
        "port              vlan-id  \ntrunk             10\n                  20\n                  30 PVID Egress Untagged\n                  33\n"
    );
    // __br_vlan_set_default_pvid(): ports still on the default follow it.
    let d1 = outputs_of(&t, "bridge vlan show dev d1");
    assert_eq!(
        d1[0],
        "port              vlan-id  \nd1                5 PVID Egress Untagged\n"
    );
    assert_eq!(
        d1[1],
        "port              vlan-id  \nd1                7 PVID Egress Untagged\n"
    );
    assert_eq!(d1[2], "port              vlan-id  \n");
}

#[test]
fn router_on_a_stick_routes_between_vlans_through_the_bridge() {
    let t = run("br_vlan_ros", ROUTER);
    assert_eq!(
        output_of(&t, "bridge vlan show"),
        "port              vlan-id  \n\
         br0               1 PVID Egress Untagged\n                  10\n                  20\n\
         p1                1 Egress Untagged\n                  10 PVID Egress Untagged\n\
         p2                1 Egress Untagged\n                  20 PVID Egress Untagged\n"
    );
    let p = output_of(&t, "ip netns exec h1 ping -c 2 -i 0.2 10.0.20.2");
    assert!(p.contains("2 received"), "{p}");
    assert!(p.contains("ttl=63"), "{p}");
    let p = output_of(&t, "ip netns exec h2 ping -c 1 10.0.10.1");
    assert!(p.contains("1 received"), "{p}");
    // Without vlan 20 on the bridge, br0.20 hears nothing from h2.
    let p = output_of(&t, "ip netns exec h1 ping -c 1 -W 1 10.0.20.2");
    assert!(p.contains("0 received"), "{p}");
}
