//! `ifconfig` against transcripts recorded from net-tools 2.10 (Debian 12)
//! on a real kernel (6.18), replayed on the simulated kernel.

mod common;
use common::Lab;

/// Listing order (nstrcmp), aliases, the short format, tun/loopback/ether
/// hardware lines, address/netmask/broadcast/dstaddr semantics of the
/// SIOCSIF* ioctls, add/del aliases, hardware addresses, MTU, renaming, and
/// the error messages and exit codes. Recorded in a namespace with IPv6
/// disabled, so that no autoconfiguration traffic moves the counters. The
/// recording ran a hundred `ip netns exec` commands in well over a second,
/// so linkwatch's deferred work ran in between.
#[test]
fn ifconfig_forms_match_net_tools() {
    Lab::with_command_cost(15).replay_file("tests/transcripts/ifconfig/forms.out");
}

/// `ifconfig IF ADDR` replaces the address labelled IF (its secondaries go
/// with it) and gives the classful netmask and broadcast; `/24` then narrows
/// the netmask and moves the default broadcast along.
#[test]
fn setting_an_address_replaces_the_labelled_one() {
    let mut lab = Lab::new();
    for c in [
        "ip link add v0 type veth peer name v1",
        "ip addr add 10.3.0.1/24 dev v0",
        "ip addr add 10.3.0.2/24 dev v0",
        "ip addr add 10.4.0.1/24 dev v0 label v0:foo",
        "ifconfig v0 10.9.0.1/24",
    ] {
        assert_eq!(lab.run(c).exit, 0, "{c}");
    }
    let n = lab.m.world.ns(0);
    let i = n.ifindex_of("v0").unwrap();
    let got: Vec<(String, u8, Option<std::net::Ipv4Addr>, String)> = n
        .addrs4_of(i)
        .map(|a| {
            (
                a.local.to_string(),
                a.prefix_len,
                a.broadcast,
                a.label.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("10.4.0.1".into(), 24, None, "v0:foo".into()),
            (
                "10.9.0.1".into(),
                24,
                Some("10.9.0.255".parse().unwrap()),
                "v0".into()
            ),
        ]
    );
    // The address brought the device up.
    assert!(n.dev(i).unwrap().up);
}

/// Without -a only interfaces that are up; with it all, sorted by name the
/// way net-tools compares names (numbers by value, aliases after devices).
#[test]
fn listing_sorts_names_like_nstrcmp() {
    let mut lab = Lab::new();
    for c in [
        "ip link add eth10 type veth peer name eth2",
        "ip link add eth1 type veth peer name A0",
        "ip addr add 10.0.0.1/8 dev eth2 label eth2:10",
        "ip addr add 10.0.0.2/8 dev eth2 label eth2:9",
    ] {
        assert_eq!(lab.run(c).exit, 0, "{c}");
    }
    let out = lab.run("ifconfig -a -s").stdout;
    let names: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["A0", "eth1", "eth2", "eth2:9", "eth2:10", "eth10", "lo"]
    );
    let out = lab.run("ifconfig -s").stdout;
    assert_eq!(out.lines().count(), 2, "only lo is up: {out}");
}
