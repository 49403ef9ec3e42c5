//! `ip -j -d link` for the kinds the recording kernel lacks (vlan,
//! ipvlan, ipip, gre, sit, vti): the `linkinfo` object is pinned here
//! against iproute2 6.1's print_opt functions in a JSON context —
//! iplink_vlan.c vlan_print_opt()/vlan_print_flags()/vlan_print_map(),
//! iplink_ipvlan.c ipvlan_print_opt(),
//! link_iptnl.c iptunnel_print_opt(), link_gre.c gre_print_opt(),
//! link_vti.c vti_print_opt() and tunnel.c tnl_print_endpoint(). The
//! kinds the kernel has are in tests/scenarios/f44_link_json_details.sh.

mod common;

use common::*;

const KINDS: &str = include_str!("link_json/kinds.sh");

/// The `"linkinfo":{...}` part of a one-device `ip -j -d link show`.
fn linkinfo(out: &str) -> &str {
    let start = out.find("\"linkinfo\":").expect("linkinfo") + "\"linkinfo\":".len();
    let end = out[start..].find(",\"inet6_addr_gen_mode\"").expect("end") + start;
    &out[start..end]
}

#[test]
fn linkinfo_of_kinds_the_recording_kernel_lacks() {
    let t = run("kinds", KINDS);
    // vlan: protocol and id always, the flags as an array, each qos map
    // as {from,to} objects under its JSON name (ingress_qos, egress_qos).
    assert_eq!(
        linkinfo(&output_of(&t, "ip -j -d link show vl10")),
        r#"{"info_kind":"vlan","info_data":{"protocol":"802.1Q","id":10,"flags":["REORDER_HDR"],"ingress_qos":[{"from":3,"to":4}],"egress_qos":[{"from":1,"to":2}]}}"#
    );
    // ipvlan: the mode, and the flag as a boolean key of its own.
    assert_eq!(
        linkinfo(&output_of(&t, "ip -j -d link show ipv0")),
        r#"{"info_kind":"ipvlan","info_data":{"mode":"l3","bridge":true}}"#
    );
    // iptunnel_print_opt(): proto (`any`: iproute2 sends 0 without
    // `mode`), endpoints, ttl as a number even when 0, pmtudisc as a
    // boolean.
    assert_eq!(
        linkinfo(&output_of(&t, "ip -j -d link show ipip0")),
        r#"{"info_kind":"ipip","info_data":{"proto":"any","remote":"10.0.0.2","local":"10.0.0.1","ttl":64,"pmtudisc":true}}"#
    );
    // gre_print_opt(): the link's name, tos as print_0xhex's string,
    // keys as dotted quads.
    assert_eq!(
        linkinfo(&output_of(&t, "ip -j -d link show gre0x")),
        r#"{"info_kind":"gre","info_data":{"remote":"10.0.0.2","local":"10.0.0.1","link":"v1","ttl":0,"tos":"0x10","pmtudisc":false,"ikey":"0.0.0.5","okey":"0.0.0.5"}}"#
    );
    // A sit sends its 6rd prefix (2002::/16 by default).
    assert_eq!(
        linkinfo(&output_of(&t, "ip -j -d link show sit0x")),
        r#"{"info_kind":"sit","info_data":{"proto":"any","remote":"10.0.0.2","local":"10.0.0.1","ttl":0,"pmtudisc":true,"prefix":"2002::","prefixlen":16}}"#
    );
    assert_eq!(
        linkinfo(&output_of(&t, "ip -j -d link show vti0x")),
        r#"{"info_kind":"vti","info_data":{"remote":"10.0.0.2","local":"10.0.0.1","ikey":"0.0.0.7","okey":"0.0.0.8"}}"#
    );
}
