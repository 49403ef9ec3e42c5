//! ip6tables' evaluation at the IPv6 hooks (`World::nf_hook6`), a table
//! of cases over hand-built IPv6 packets: each installs IPv6 rules in one
//! namespace, runs one packet through one hook, and checks the verdict and
//! which rule counted it.

use etherparse::PacketBuilder;
use std::net::{IpAddr, Ipv6Addr};
use vnet_core::netfilter::hook::{Nf6Verdict, Skb};
use vnet_core::netfilter::rule::{IpSpec, Match, MultiportKind, RejectWith};
use vnet_core::netfilter::{Family, Hook, Policy, Rule, Table, TableId, Target};
use vnet_core::World;

const A: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const B: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
/// fd00::1, outside 2001:db8::/32.
const C: [u8; 16] = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

fn echo_request(src: [u8; 16], dst: [u8; 16]) -> Vec<u8> {
    let mut v = Vec::new();
    PacketBuilder::ipv6(src, dst, 64)
        .icmpv6_echo_request(7, 1)
        .write(&mut v, &[0u8; 8])
        .unwrap();
    v
}

fn tcp_syn(src: [u8; 16], dst: [u8; 16], dport: u16) -> Vec<u8> {
    let mut v = Vec::new();
    PacketBuilder::ipv6(src, dst, 64)
        .tcp(40000, dport, 1, 1024)
        .syn()
        .write(&mut v, &[])
        .unwrap();
    v
}

fn udp(src: [u8; 16], dst: [u8; 16], dport: u16) -> Vec<u8> {
    let mut v = Vec::new();
    PacketBuilder::ipv6(src, dst, 64)
        .udp(5000, dport)
        .write(&mut v, b"x")
        .unwrap();
    v
}

/// The packet with a hop-by-hop options header (8 bytes of PadN) before
/// its upper layer: rules must look past it.
fn with_hop_by_hop(mut p: Vec<u8>) -> Vec<u8> {
    let next = p[6];
    p[6] = 0;
    let plen = u16::from_be_bytes([p[4], p[5]]) + 8;
    p[4..6].copy_from_slice(&plen.to_be_bytes());
    p.splice(40..40, [next, 0, 1, 4, 0, 0, 0, 0]);
    p
}

fn net(a: [u8; 16], len: u32) -> (IpAddr, IpAddr) {
    let m = u128::MAX.checked_shl(128 - len).unwrap_or(0);
    (
        Ipv6Addr::from(u128::from_be_bytes(a) & m).into(),
        Ipv6Addr::from(m).into(),
    )
}

fn ip6() -> IpSpec {
    IpSpec::any(true)
}

fn rule(ip: IpSpec, matches: Vec<Match>, target: Target) -> Rule {
    Rule {
        ip,
        matches,
        target,
        counters: Default::default(),
        handle: 0,
    }
}

fn icmp6(typ: u8) -> Match {
    Match::Icmp6 {
        typ,
        code: (0, 0xff),
        inv: false,
    }
}

struct Case {
    name: &'static str,
    /// Rules appended to filter INPUT (or the hook's chain, see `chain`).
    rules: Vec<Rule>,
    chain: &'static str,
    policy: Policy,
    hook: Hook,
    inname: &'static str,
    packet: Vec<u8>,
    want: Nf6Verdict,
    /// The rule (index) that counted the packet, if one did.
    counted: Option<usize>,
}

fn case(name: &'static str, rules: Vec<Rule>, packet: Vec<u8>, want: Nf6Verdict) -> Case {
    Case {
        name,
        rules,
        chain: "INPUT",
        policy: Policy::Accept,
        hook: Hook::LocalIn,
        inname: "eth0",
        packet,
        want,
        counted: Some(0),
    }
}

fn run(c: Case) {
    let mut w = World::new(1);
    let mut t = Table::new_in(Family::Ipv6, TableId::Filter);
    let ch = t.chain_mut(c.chain).unwrap();
    ch.rules = c.rules;
    ch.policy = c.policy;
    ch.policy_counted = true;
    w.nf_replace_table(0, t);
    let mut pkt = c.packet;
    let len = pkt.len() as u64;
    let mut skb = Skb::default();
    let v = w.nf_hook6_named(0, c.hook, &mut pkt, c.inname, "", &mut skb);
    assert_eq!(v, c.want, "{}: verdict", c.name);
    let t = w
        .ns(0)
        .nf()
        .table_in(Family::Ipv6, TableId::Filter)
        .unwrap();
    let ch = t.chain(c.chain).unwrap();
    for (i, r) in ch.rules.iter().enumerate() {
        let want = if c.counted == Some(i) {
            (1, len)
        } else {
            (0, 0)
        };
        assert_eq!(
            (r.counters.pkts, r.counters.bytes),
            want,
            "{}: rule {i} counters",
            c.name
        );
    }
    if c.counted.is_none() && c.hook == Hook::LocalIn {
        assert_eq!(ch.counters.pkts, 1, "{}: the policy counts", c.name);
    }
}

#[test]
fn ip6tables_rules_decide_ipv6_packets_at_their_hooks() {
    let tcp22 = Match::Tcp {
        sport: (0, 0xffff),
        dport: (22, 22),
        flags: None,
        option: None,
        inv: 0,
    };
    let (s32, m32) = net(A, 32);
    let cases = vec![
        case(
            "icmpv6 echo-request dropped",
            vec![rule(
                IpSpec { proto: 58, ..ip6() },
                vec![icmp6(128)],
                Target::Drop,
            )],
            echo_request(A, B),
            Nf6Verdict::Drop,
        ),
        Case {
            counted: None,
            ..case(
                "an echo-reply rule leaves a request to the policy",
                vec![rule(
                    IpSpec { proto: 58, ..ip6() },
                    vec![icmp6(129)],
                    Target::Drop,
                )],
                echo_request(A, B),
                Nf6Verdict::Accept,
            )
        },
        case(
            "-s 2001:db8::/32 rejected with icmp6-adm-prohibited",
            vec![rule(
                IpSpec {
                    src: s32,
                    smsk: m32,
                    ..ip6()
                },
                vec![],
                Target::Reject(RejectWith::Icmp6AdmProhibited),
            )],
            echo_request(A, B),
            Nf6Verdict::Reject(RejectWith::Icmp6AdmProhibited),
        ),
        Case {
            counted: None,
            policy: Policy::Drop,
            ..case(
                "a source outside the prefix falls to policy DROP",
                vec![rule(
                    IpSpec {
                        src: s32,
                        smsk: m32,
                        ..ip6()
                    },
                    vec![],
                    Target::Accept,
                )],
                echo_request(C, B),
                Nf6Verdict::Drop,
            )
        },
        case(
            "! -s matches the outside source",
            vec![rule(
                IpSpec {
                    src: s32,
                    smsk: m32,
                    inv: IpSpec::INV_SRCIP,
                    ..ip6()
                },
                vec![],
                Target::Drop,
            )],
            echo_request(C, B),
            Nf6Verdict::Drop,
        ),
        case(
            "-p tcp --dport 22 past a hop-by-hop header",
            vec![rule(
                IpSpec { proto: 6, ..ip6() },
                vec![tcp22.clone()],
                Target::Drop,
            )],
            with_hop_by_hop(tcp_syn(A, B, 22)),
            Nf6Verdict::Drop,
        ),
        Case {
            counted: None,
            ..case(
                "--dport 22 leaves port 80 alone",
                vec![rule(
                    IpSpec { proto: 6, ..ip6() },
                    vec![tcp22],
                    Target::Drop,
                )],
                tcp_syn(A, B, 80),
                Nf6Verdict::Accept,
            )
        },
        case(
            "udp multiport",
            vec![rule(
                IpSpec { proto: 17, ..ip6() },
                vec![Match::Multiport {
                    kind: MultiportKind::Destination,
                    ports: vec![(53, 53), (123, 125)],
                    inv: false,
                }],
                Target::Reject(RejectWith::Icmp6PortUnreach),
            )],
            udp(A, B, 124),
            Nf6Verdict::Reject(RejectWith::Icmp6PortUnreach),
        ),
        Case {
            counted: None,
            ..case(
                "-i eth1 does not match a packet from eth0",
                vec![rule(
                    IpSpec {
                        iniface: "eth1".into(),
                        ..ip6()
                    },
                    vec![],
                    Target::Drop,
                )],
                echo_request(A, B),
                Nf6Verdict::Accept,
            )
        },
        Case {
            chain: "FORWARD",
            hook: Hook::Forward,
            ..case(
                "FORWARD's rules at the forward hook",
                vec![rule(IpSpec { proto: 58, ..ip6() }, vec![], Target::Drop)],
                echo_request(A, B),
                Nf6Verdict::Drop,
            )
        },
    ];
    for c in cases {
        run(c);
    }
}

#[test]
fn ipv4_and_ipv6_tables_are_apart() {
    let mut w = World::new(1);
    // An IPv4 filter table dropping everything does not see IPv6 packets.
    let mut t4 = Table::new(TableId::Filter);
    t4.chain_mut("INPUT").unwrap().policy = Policy::Drop;
    w.nf_replace_table(0, t4);
    let mut p = echo_request(A, B);
    let v = w.nf_hook6_named(0, Hook::LocalIn, &mut p, "eth0", "", &mut Skb::default());
    assert_eq!(v, Nf6Verdict::Accept);
    // And an IPv6 table does not take the IPv4 one's place.
    let mut t6 = Table::new_in(Family::Ipv6, TableId::Filter);
    t6.chain_mut("INPUT").unwrap().policy = Policy::Drop;
    w.nf_replace_table(0, t6);
    let nf = &w.ns(0).nf();
    assert_eq!(nf.table(TableId::Filter).unwrap().family, Family::Ipv4);
    assert_eq!(
        nf.table_in(Family::Ipv6, TableId::Filter).unwrap().family,
        Family::Ipv6
    );
    assert_eq!(nf.tables().count(), 1);
    let v = w.nf_hook6_named(0, Hook::LocalIn, &mut p, "eth0", "", &mut Skb::default());
    assert_eq!(v, Nf6Verdict::Drop);
}

#[test]
fn a_mark_set_in_mangle_prerouting_is_seen_by_filter_input() {
    let mut w = World::new(1);
    let mut m = Table::new_in(Family::Ipv6, TableId::Mangle);
    m.chain_mut("PREROUTING").unwrap().rules = vec![rule(
        ip6(),
        vec![],
        Target::Mark {
            value: 7,
            mask: u32::MAX,
        },
    )];
    w.nf_replace_table(0, m);
    let mut f = Table::new_in(Family::Ipv6, TableId::Filter);
    f.chain_mut("INPUT").unwrap().rules = vec![rule(
        ip6(),
        vec![Match::Mark {
            value: 7,
            mask: u32::MAX,
            inv: false,
        }],
        Target::Drop,
    )];
    w.nf_replace_table(0, f);
    let mut p = echo_request(A, B);
    let mut skb = Skb::default();
    let pre = w.nf_hook6_named(0, Hook::PreRouting, &mut p, "eth0", "", &mut skb);
    assert_eq!((pre, skb.mark), (Nf6Verdict::Accept, 7));
    let inp = w.nf_hook6_named(0, Hook::LocalIn, &mut p, "eth0", "", &mut skb);
    assert_eq!(inp, Nf6Verdict::Drop);
    // A packet without the mark passes.
    let mut skb = Skb::default();
    let inp = w.nf_hook6_named(0, Hook::LocalIn, &mut p, "eth0", "", &mut skb);
    assert_eq!(inp, Nf6Verdict::Accept);
}

#[test]
fn dscp_rewrites_the_traffic_class() {
    let mut w = World::new(1);
    let mut m = Table::new_in(Family::Ipv6, TableId::Mangle);
    m.chain_mut("POSTROUTING").unwrap().rules = vec![rule(ip6(), vec![], Target::Dscp(10))];
    w.nf_replace_table(0, m);
    let mut p = echo_request(A, B);
    let v = w.nf_hook6_named(
        0,
        Hook::PostRouting,
        &mut p,
        "",
        "eth0",
        &mut Skb::default(),
    );
    assert_eq!(v, Nf6Verdict::Accept);
    // Traffic class 10 << 2 = 0x28 across version/TC/flow label.
    assert_eq!(&p[..2], &[0x62, 0x80]);
}

/// An IPv6 packet with `payload` after a bare header (next header `nh`).
fn raw6(src: [u8; 16], dst: [u8; 16], nh: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x60, 0, 0, 0];
    v.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    v.extend_from_slice(&[nh, 64]);
    v.extend_from_slice(&src);
    v.extend_from_slice(&dst);
    v.extend_from_slice(payload);
    v
}

fn echo_reply(src: [u8; 16], dst: [u8; 16]) -> Vec<u8> {
    let mut v = Vec::new();
    PacketBuilder::ipv6(src, dst, 64)
        .icmpv6_echo_reply(7, 1)
        .write(&mut v, &[0u8; 8])
        .unwrap();
    v
}

fn ctstate(bits: u8) -> Match {
    Match::Conntrack(vnet_core::netfilter::rule::ConntrackMatch {
        state: Some((bits, false)),
        ..Default::default()
    })
}

/// The everyday stateful ruleset, `-A INPUT -m conntrack --ctstate
/// ESTABLISHED,RELATED -j ACCEPT; -P INPUT DROP`, on ICMPv6: a ping sent
/// from here is tracked (confirmed after POST_ROUTING), its reply is
/// ESTABLISHED, an error quoting it RELATED; an unsolicited request is
/// NEW and dropped; neighbour discovery is UNTRACKED.
#[test]
fn ipv6_conntrack_tracks_echo_and_relates_its_errors() {
    use vnet_core::netfilter::rule::ctstate::{ESTABLISHED, RELATED, UNTRACKED};
    let mut w = World::new(1);
    let mut t = Table::new_in(Family::Ipv6, TableId::Filter);
    let ch = t.chain_mut("INPUT").unwrap();
    ch.rules = vec![
        rule(ip6(), vec![ctstate(ESTABLISHED | RELATED)], Target::Accept),
        rule(ip6(), vec![ctstate(UNTRACKED)], Target::Accept),
    ];
    ch.policy = Policy::Drop;
    w.nf_replace_table(0, t);
    assert!(w.ns(0).nf().ct6_enabled && !w.ns(0).nf().ct_enabled);
    let hook = |w: &mut World, h: Hook, p: &mut Vec<u8>, skb: &mut Skb| {
        let (i, o) = if matches!(h, Hook::PreRouting | Hook::LocalIn) {
            ("eth0", "")
        } else {
            ("", "eth0")
        };
        w.nf_hook6_named(0, h, p, i, o, skb)
    };
    let recv = |w: &mut World, mut p: Vec<u8>| {
        let mut skb = Skb::default();
        let v = hook(w, Hook::PreRouting, &mut p, &mut skb);
        assert_eq!(v, Nf6Verdict::Accept);
        hook(w, Hook::LocalIn, &mut p, &mut skb)
    };
    // Before anything was sent, the reply is INVALID: dropped.
    assert_eq!(recv(&mut w, echo_reply(B, A)), Nf6Verdict::Drop);
    let mut req = echo_request(A, B);
    let mut skb = Skb::default();
    assert_eq!(
        hook(&mut w, Hook::LocalOut, &mut req, &mut skb),
        Nf6Verdict::Accept
    );
    assert_eq!(
        w.ns(0).nf().ct_count(),
        0,
        "not confirmed before POST_ROUTING"
    );
    assert_eq!(
        hook(&mut w, Hook::PostRouting, &mut req, &mut skb),
        Nf6Verdict::Accept
    );
    let ct6 = w.ns(0).nf().conntrack6.as_deref().unwrap();
    let (_, c) = ct6.iter().next().unwrap();
    assert_eq!(
        (c.tuple[0].proto, c.tuple[0].icmp_type(), c.tuple[0].sport),
        (58, 128, 7)
    );
    assert_eq!(
        (c.tuple[1].src, c.tuple[1].icmp_type()),
        (Ipv6Addr::from(B), 129)
    );
    assert_eq!(
        w.ns(0).nf().conntrack.count(),
        0,
        "IPv4's table stays empty"
    );
    assert_eq!(recv(&mut w, echo_reply(B, A)), Nf6Verdict::Accept);
    // A reply with another id is not part of it.
    let mut other = echo_reply(B, A);
    other[44] ^= 0xff;
    assert_eq!(recv(&mut w, other), Nf6Verdict::Drop);
    // An unsolicited request: NEW, not accepted.
    assert_eq!(recv(&mut w, echo_request(B, A)), Nf6Verdict::Drop);
    // Time exceeded from a router, quoting our request: RELATED.
    let mut err = vec![3, 0, 0, 0, 0, 0, 0, 0];
    err.extend_from_slice(&echo_request(A, B));
    assert_eq!(recv(&mut w, raw6(C, A, 58, &err)), Nf6Verdict::Accept);
    // The same error quoting a request never sent: INVALID.
    let mut err = vec![3, 0, 0, 0, 0, 0, 0, 0];
    err.extend_from_slice(&echo_request(A, C));
    assert_eq!(recv(&mut w, raw6(C, A, 58, &err)), Nf6Verdict::Drop);
    // A neighbour solicitation is UNTRACKED, so the second rule takes it.
    let ns = raw6(B, A, 58, &[135, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(recv(&mut w, ns), Nf6Verdict::Accept);
    let t = w
        .ns(0)
        .nf()
        .table_in(Family::Ipv6, TableId::Filter)
        .unwrap();
    let rules = &t.chain("INPUT").unwrap().rules;
    assert_eq!((rules[0].counters.pkts, rules[1].counters.pkts), (2, 1));
    assert_eq!(w.ns(0).nf().ct_count(), 1);
    // Without a rule that needs it, IPv6 conntrack is unregistered.
    w.nf_remove_table(0, Family::Ipv6, TableId::Filter);
    assert!(!w.ns(0).nf().ct6_enabled);
}

/// UDP over IPv6 takes the same tracker as IPv4's: the answer to a
/// datagram sent from here is ESTABLISHED; one from another port is not.
#[test]
fn ipv6_conntrack_tracks_udp_by_ports() {
    use vnet_core::netfilter::rule::ctstate::ESTABLISHED;
    let mut w = World::new(1);
    let mut t = Table::new_in(Family::Ipv6, TableId::Filter);
    let ch = t.chain_mut("INPUT").unwrap();
    ch.rules = vec![rule(ip6(), vec![ctstate(ESTABLISHED)], Target::Accept)];
    ch.policy = Policy::Drop;
    w.nf_replace_table(0, t);
    let mut out = udp(A, B, 53);
    let mut skb = Skb::default();
    for h in [Hook::LocalOut, Hook::PostRouting] {
        assert_eq!(
            w.nf_hook6_named(0, h, &mut out, "", "eth0", &mut skb),
            Nf6Verdict::Accept
        );
    }
    let mut answer = Vec::new();
    PacketBuilder::ipv6(B, A, 64)
        .udp(53, 5000)
        .write(&mut answer, b"y")
        .unwrap();
    let mut stray = Vec::new();
    PacketBuilder::ipv6(B, A, 64)
        .udp(54, 5000)
        .write(&mut stray, b"y")
        .unwrap();
    for (mut p, want) in [(answer, Nf6Verdict::Accept), (stray, Nf6Verdict::Drop)] {
        let mut skb = Skb::default();
        w.nf_hook6_named(0, Hook::PreRouting, &mut p, "eth0", "", &mut skb);
        let v = w.nf_hook6_named(0, Hook::LocalIn, &mut p, "eth0", "", &mut skb);
        assert_eq!(v, want);
    }
    let c = w.ns(0).nf().conntrack6.as_deref().unwrap();
    // The stray's new entry was dropped in INPUT before confirmation.
    assert_eq!(c.count(), 1);
}
