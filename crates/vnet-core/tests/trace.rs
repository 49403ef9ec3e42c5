//! Every decision on the packet path is observable: route lookups, forwarding,
//! neighbour resolution, bridge learning and flooding, ICMP errors and drops
//! with their reasons arrive as structured trace events.

use std::cell::RefCell;
use std::net::Ipv4Addr;
use std::rc::Rc;
use vnet_core::addr::Ifaddr4;
use vnet_core::dev::rtnetlink::LinkChange;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::ipv4::fib::Route;
use vnet_core::neigh::NudState;
use vnet_core::trace::{DropReason, Trace};
use vnet_core::{NsId, Prefix4, Time, World};

fn addr(w: &mut World, ns: NsId, dev: &str, a: [u8; 4]) {
    let ifindex = w.ns(ns).ifindex_of(dev).unwrap();
    let ip = Ipv4Addr::from(a);
    let f = Ifaddr4::new(ifindex, ip, 24);
    w.addr_add(ns, f).unwrap();
    w.link_set(ns, ifindex, LinkChange::Up(true)).unwrap();
}

fn default_via(w: &mut World, ns: NsId, gw: [u8; 4]) {
    let r = Route::via(Prefix4::DEFAULT, Ipv4Addr::from(gw));
    w.route_add(ns, r, vnet_core::ipv4::fib_frontend::RouteAdd::Excl)
        .unwrap();
}

/// a — router r — bridge br0 in r with port rb — b
fn lab() -> (World, NsId, NsId, NsId, Rc<RefCell<Vec<Trace>>>) {
    let mut w = World::new(3);
    let a = w.netns_add("a").unwrap();
    let r = w.netns_add("r").unwrap();
    let b = w.netns_add("b").unwrap();
    w.link_add(
        a,
        "va",
        NewLink::Veth {
            peer: "ra".into(),
            peer_ns: Some(r),
            peer_mac: None,
        },
        None,
    )
    .unwrap();
    w.link_add(
        b,
        "vb",
        NewLink::Veth {
            peer: "rb".into(),
            peer_ns: Some(r),
            peer_mac: None,
        },
        None,
    )
    .unwrap();
    let br = w.link_add(r, "br0", NewLink::Bridge, None).unwrap();
    let rb = w.ns(r).ifindex_of("rb").unwrap();
    w.link_set(r, rb, LinkChange::Master(Some(br))).unwrap();
    w.link_set(r, rb, LinkChange::Up(true)).unwrap();
    addr(&mut w, a, "va", [10, 0, 1, 1]);
    addr(&mut w, r, "ra", [10, 0, 1, 254]);
    addr(&mut w, r, "br0", [10, 0, 2, 254]);
    addr(&mut w, b, "vb", [10, 0, 2, 1]);
    default_via(&mut w, a, [10, 0, 1, 254]);
    default_via(&mut w, b, [10, 0, 2, 254]);
    w.sysctl_write(r, "net.ipv4.ip_forward", "1").unwrap();
    // Linkwatch enables the bridge port whose carrier came up.
    w.settle();
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    w.set_tracer(Some(Box::new(move |t: &vnet_core::trace::Traced| {
        sink.borrow_mut().push(t.ev.clone())
    })));
    (w, a, r, b, events)
}

fn echo(w: &mut World, from: NsId, to: [u8; 4], ttl: Option<u8>) {
    let msg = vnet_core::wire::icmp::icmp_echo(9, 1, &[0u8; 16]);
    w.ip_send(from, None, Ipv4Addr::from(to), None, 1, ttl, true, 0, &msg)
        .unwrap();
    let t = w.now() + Time::from_secs(5);
    w.advance(t);
}

#[test]
fn a_routed_ping_explains_itself() {
    let (mut w, a, r, _, events) = lab();
    echo(&mut w, a, [10, 0, 2, 1], None);
    let ev = events.borrow();
    let has = |f: &dyn Fn(&Trace) -> bool| ev.iter().any(f);
    assert!(
        has(
            &|e| matches!(e, Trace::Neigh { ns, ip, state: NudState::Incomplete, .. } if *ns == a && *ip == std::net::IpAddr::from(Ipv4Addr::new(10, 0, 1, 254)))
        ),
        "a resolves its gateway"
    );
    assert!(
        has(
            &|e| matches!(e, Trace::RouteLookup { ns, dst, .. } if *ns == r && *dst == Ipv4Addr::new(10, 0, 2, 1))
        ),
        "the router looks the destination up"
    );
    assert!(
        has(&|e| matches!(e, Trace::Forward { ns, out, .. } if *ns == r && out == "br0")),
        "and forwards it out of br0"
    );
    assert!(
        has(&|e| matches!(e, Trace::Flood { ns, bridge, .. } if *ns == r && bridge == "br0")),
        "the ARP request floods the bridge"
    );
    assert!(
        has(
            &|e| matches!(e, Trace::FdbLearn { ns, bridge, port, .. } if *ns == r && bridge == "br0" && port == "rb")
        ),
        "the bridge learns b's MAC on rb"
    );
    assert!(
        has(
            &|e| matches!(e, Trace::LocalDeliver { dst, proto: 1, .. } if *dst == Ipv4Addr::new(10, 0, 2, 1))
        ),
        "b gets the echo request"
    );
    assert!(
        has(
            &|e| matches!(e, Trace::LocalDeliver { dst, proto: 1, .. } if *dst == Ipv4Addr::new(10, 0, 1, 1))
        ),
        "a gets the echo reply"
    );
}

#[test]
fn drops_carry_their_reason() {
    let (mut w, a, r, _, events) = lab();
    echo(&mut w, a, [10, 0, 2, 1], Some(1));
    echo(&mut w, a, [10, 0, 2, 77], None);
    let ev = events.borrow();
    assert!(ev
        .iter()
        .any(|e| matches!(e, Trace::Drop { ns, reason: DropReason::TtlExceeded, .. } if *ns == r)));
    assert!(
        ev.iter()
            .any(|e| matches!(e, Trace::IcmpSend { ns, icmp_type: 11, .. } if *ns == r)),
        "time exceeded goes back"
    );
    assert!(
        ev.iter().any(
            |e| matches!(e, Trace::Drop { ns, reason: DropReason::NeighFailed, .. } if *ns == r)
        ),
        "an absent host fails resolution"
    );
    assert!(
        ev.iter()
            .any(|e| matches!(e, Trace::IcmpSend { ns, icmp_type: 3, code: 1, .. } if *ns == r)),
        "host unreachable goes back"
    );
}

#[test]
fn tracing_is_off_by_default_and_changes_nothing() {
    let (mut w1, a1, _, _, _) = lab();
    w1.set_tracer(None);
    let (mut w2, a2, _, _, _) = lab();
    echo(&mut w1, a1, [10, 0, 2, 1], None);
    echo(&mut w2, a2, [10, 0, 2, 1], None);
    let s1 = serde_json::to_string(&w1).unwrap();
    let s2 = serde_json::to_string(&w2).unwrap();
    assert_eq!(s1, s2, "a listener observes; it never alters the outcome");
}

// ---- Decisions with their reasons: netfilter, conntrack, NAT, routes, drops.

use vnet_core::netfilter::rule::{IpSpec, NatRange};
use vnet_core::netfilter::{Policy, Rule, Table, TableId, Target};
use vnet_core::trace::{PktId, Traced};

/// a (va 10.0.1.2) — r (ra 10.0.1.1, rb 10.0.2.1) — b (vb 10.0.2.2); a
/// routes by default via r, b has no route beyond its link.
fn routed() -> (World, NsId, NsId, NsId, Rc<RefCell<Vec<Traced>>>) {
    let mut w = World::new(5);
    let a = w.netns_add("a").unwrap();
    let r = w.netns_add("r").unwrap();
    let b = w.netns_add("b").unwrap();
    for (ns, dev, peer) in [(a, "va", "ra"), (b, "vb", "rb")] {
        let link = NewLink::Veth {
            peer: peer.into(),
            peer_ns: Some(r),
            peer_mac: None,
        };
        w.link_add(ns, dev, link, None).unwrap();
    }
    for ns in [a, r, b] {
        w.sysctl_write(ns, "net.ipv6.conf.all.disable_ipv6", "1")
            .unwrap();
    }
    addr(&mut w, a, "va", [10, 0, 1, 2]);
    addr(&mut w, r, "ra", [10, 0, 1, 1]);
    addr(&mut w, r, "rb", [10, 0, 2, 1]);
    addr(&mut w, b, "vb", [10, 0, 2, 2]);
    default_via(&mut w, a, [10, 0, 1, 1]);
    w.sysctl_write(r, "net.ipv4.ip_forward", "1").unwrap();
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    w.set_tracer(Some(Box::new(move |t: &Traced| {
        sink.borrow_mut().push(t.clone())
    })));
    (w, a, r, b, events)
}

fn rule(ip: IpSpec, target: Target) -> Rule {
    Rule {
        ip,
        matches: vec![],
        target,
        counters: Default::default(),
        handle: 0,
    }
}

fn net(a: [u8; 4], len: u32) -> (std::net::IpAddr, std::net::IpAddr) {
    let m = u32::MAX.checked_shl(32 - len).unwrap_or(0);
    (Ipv4Addr::from(a).into(), Ipv4Addr::from(m).into())
}

/// FORWARD with policy DROP and these rules.
fn forward(w: &mut World, r: NsId, rules: Vec<Rule>, user: Option<(&str, Vec<Rule>)>) {
    let mut t = Table::new(TableId::Filter);
    let f = t.chain_mut("FORWARD").unwrap();
    f.policy = Policy::Drop;
    f.rules = rules;
    if let Some((name, rules)) = user {
        let mut c = vnet_core::netfilter::Chain::user(name);
        c.rules = rules;
        t.chains.push(c);
    }
    w.nf_replace_table(r, t);
}

/// The id of the echo request a sent (the packet its Built event names).
fn request_id(ev: &[Traced], a: NsId) -> PktId {
    ev.iter()
        .find(|t| matches!(t.ev, Trace::Built { ns, .. } if ns == a))
        .map(|t| t.pkt)
        .expect("the request was built")
}

#[test]
fn a_forward_policy_drop_names_the_policy_and_the_rules_tried() {
    let (mut w, a, r, _, events) = routed();
    let (src, smsk) = net([10, 9, 0, 0], 16);
    let tcp = IpSpec {
        proto: 6,
        ..IpSpec::default()
    };
    let accept_other = rule(
        IpSpec {
            src,
            smsk,
            ..IpSpec::default()
        },
        Target::Accept,
    );
    forward(
        &mut w,
        r,
        vec![accept_other, rule(tcp, Target::Accept)],
        None,
    );
    echo(&mut w, a, [10, 0, 2, 2], None);
    let ev = events.borrow();
    let req = request_id(&ev, a);
    let nf: Vec<&Traced> = ev
        .iter()
        .filter(|t| matches!(t.ev, Trace::Netfilter { .. }))
        .collect();
    assert_eq!(nf.len(), 1, "one chain traversal: {nf:?}");
    assert_eq!(nf[0].pkt, req, "about the echo request");
    assert_eq!(nf[0].place, "r");
    let Trace::Netfilter {
        family,
        hook,
        table,
        chain,
        rule,
        text,
        verdict,
        tried,
        ..
    } = &nf[0].ev
    else {
        unreachable!()
    };
    assert_eq!(
        (*family, *hook, *table, chain.as_str()),
        ("ip", "FORWARD", "filter", "FORWARD")
    );
    assert_eq!(*rule, None);
    assert_eq!(text, "-P FORWARD DROP");
    assert_eq!(verdict, "DROP");
    assert_eq!(*tried, 2, "both rules were tried");
    let drop = ev
        .iter()
        .find(|t| matches!(t.ev, Trace::Drop { .. }))
        .expect("a drop");
    assert_eq!(drop.pkt, req);
    let Trace::Drop {
        reason,
        kernel_reason,
        counter,
        detail,
        ..
    } = &drop.ev
    else {
        unreachable!()
    };
    assert_eq!(*reason, DropReason::Netfilter);
    assert_eq!(*kernel_reason, "NETFILTER_DROP");
    assert_eq!(*counter, None);
    assert_eq!(detail.as_deref(), Some("filter/FORWARD policy DROP"));
    assert_eq!(
        drop.to_string(),
        "r drop NETFILTER_DROP (filter/FORWARD policy DROP)"
    );
}

#[test]
fn a_matching_drop_rule_is_named_by_number_and_its_iptables_s_text() {
    let (mut w, a, r, _, events) = routed();
    let (src, smsk) = net([10, 9, 0, 0], 16);
    let (dst, dmsk) = net([10, 0, 2, 2], 32);
    let first = rule(
        IpSpec {
            src,
            smsk,
            ..IpSpec::default()
        },
        Target::Accept,
    );
    let icmp_to_b = IpSpec {
        dst,
        dmsk,
        proto: 1,
        ..IpSpec::default()
    };
    forward(&mut w, r, vec![first, rule(icmp_to_b, Target::Drop)], None);
    echo(&mut w, a, [10, 0, 2, 2], None);
    let ev = events.borrow();
    let hit = ev
        .iter()
        .find_map(|t| match &t.ev {
            Trace::Netfilter {
                rule,
                text,
                verdict,
                tried,
                ..
            } => Some((*rule, text.clone(), verdict.clone(), *tried)),
            _ => None,
        })
        .expect("a netfilter decision");
    assert_eq!(
        hit,
        (
            Some(2),
            "-A FORWARD -d 10.0.2.2/32 -p icmp -j DROP".to_string(),
            "DROP".to_string(),
            2
        )
    );
    assert!(ev.iter().any(|t| matches!(&t.ev,
        Trace::Drop { detail: Some(d), .. } if d == "filter/FORWARD rule 2: -A FORWARD -d 10.0.2.2/32 -p icmp -j DROP")));
}

#[test]
fn a_jump_a_user_chains_end_and_the_policy_are_each_an_event() {
    let (mut w, a, r, _, events) = routed();
    let udp = IpSpec {
        proto: 17,
        ..IpSpec::default()
    };
    forward(
        &mut w,
        r,
        vec![rule(IpSpec::default(), Target::Jump("CHECKS".into()))],
        Some(("CHECKS", vec![rule(udp, Target::Accept)])),
    );
    echo(&mut w, a, [10, 0, 2, 2], None);
    let ev = events.borrow();
    let req = request_id(&ev, a);
    let seen: Vec<(String, Option<u32>, String, u32)> = ev
        .iter()
        .filter(|t| t.pkt == req)
        .filter_map(|t| match &t.ev {
            Trace::Netfilter {
                chain,
                rule,
                verdict,
                tried,
                ..
            } => Some((chain.clone(), *rule, verdict.clone(), *tried)),
            _ => None,
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        seen,
        vec![
            (s("FORWARD"), Some(1), s("jump CHECKS"), 1),
            (s("CHECKS"), None, s("RETURN"), 1),
            (s("FORWARD"), None, s("DROP"), 1),
        ]
    );
}

#[test]
fn masquerade_shows_the_mapping_and_conntrack_new_then_established() {
    let (mut w, a, r, b, events) = routed();
    let mut nat = Table::new(TableId::Nat);
    nat.chain_mut("POSTROUTING").unwrap().rules.push(rule(
        IpSpec {
            outiface: "rb".into(),
            ..IpSpec::default()
        },
        Target::Masquerade(NatRange::EMPTY),
    ));
    w.nf_replace_table(r, nat);
    echo(&mut w, a, [10, 0, 2, 2], None);
    let ev = events.borrow();
    let req = request_id(&ev, a);
    let in_r = |t: &&Traced| t.place == "r";
    let ct: Vec<(PktId, &str, &str, bool)> = ev
        .iter()
        .filter(in_r)
        .filter_map(|t| match &t.ev {
            Trace::Conntrack {
                hook, state, reply, ..
            } => Some((t.pkt, *hook, *state, *reply)),
            _ => None,
        })
        .collect();
    assert_eq!(ct.len(), 2, "{ct:?}");
    assert_eq!(ct[0], (req, "PREROUTING", "NEW", false));
    let reply = ct[1].0;
    assert_ne!(reply, req);
    assert_eq!(ct[1], (reply, "PREROUTING", "ESTABLISHED", true));
    // b made the reply, caused by the request.
    assert!(ev.iter().any(|t| t.pkt == reply
        && t.place == "b"
        && matches!(t.ev, Trace::Born { cause, .. } if cause == req)));
    let nat: Vec<(PktId, &str, &str, String, String)> = ev
        .iter()
        .filter(in_r)
        .filter_map(|t| match &t.ev {
            Trace::Nat {
                hook,
                kind,
                before,
                after,
                ..
            } => Some((t.pkt, *hook, *kind, before.clone(), after.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(nat.len(), 2, "{nat:?}");
    let s = |x: &str| x.to_string();
    assert_eq!(
        nat[0],
        (
            req,
            "POSTROUTING",
            "MASQUERADE",
            s("10.0.1.2 -> 10.0.2.2 id 9"),
            s("10.0.2.1 -> 10.0.2.2 id 9")
        )
    );
    assert_eq!(
        nat[1],
        (
            reply,
            "PREROUTING",
            "DNAT",
            s("10.0.2.2 -> 10.0.2.1 id 9"),
            s("10.0.2.2 -> 10.0.1.2 id 9")
        )
    );
    assert!(ev
        .iter()
        .any(|t| t.pkt == reply && matches!(t.ev, Trace::LocalDeliver { ns, .. } if ns == a)));
    let _ = b;
}

#[test]
fn without_masquerade_the_reply_has_no_route_and_says_so() {
    let (mut w, a, _, b, events) = routed();
    echo(&mut w, a, [10, 0, 2, 2], None);
    let ev = events.borrow();
    let req = request_id(&ev, a);
    let routes: Vec<(PktId, &str, Option<u32>, &str)> = ev
        .iter()
        .filter_map(|t| match &t.ev {
            Trace::RouteLookup { table, result, .. } => {
                Some((t.pkt, t.place.as_str(), *table, result.as_str()))
            }
            _ => None,
        })
        .collect();
    // The request: a's output lookup, r's forwarding lookup, b's local one.
    assert!(
        routes.contains(&(req, "a", Some(254), "default via 10.0.1.1 dev va")),
        "{routes:?}"
    );
    assert!(routes.contains(&(
        req,
        "r",
        Some(254),
        "10.0.2.0/24 dev rb proto kernel scope link src 10.0.2.1"
    )));
    assert!(routes.contains(&(
        req,
        "b",
        Some(255),
        "local 10.0.2.2 dev vb proto kernel scope host src 10.0.2.2"
    )));
    // The reply: b made it, and it has nowhere to go.
    let reply = ev
        .iter()
        .find(|t| t.place == "b" && matches!(t.ev, Trace::Born { cause, .. } if cause == req))
        .map(|t| t.pkt)
        .expect("b answers");
    assert!(routes.contains(&(
        reply,
        "b",
        None,
        "no route to 10.0.1.2 (table main has no default route): ENETUNREACH"
    )));
    let drop = ev
        .iter()
        .find(|t| t.pkt == reply && matches!(t.ev, Trace::Drop { .. }))
        .expect("the reply is dropped");
    assert!(matches!(
        drop.ev,
        Trace::Drop {
            reason: DropReason::OutNoRoute,
            kernel_reason: "IP_OUTNOROUTES",
            counter: Some("IpOutNoRoutes"),
            ..
        }
    ));
    assert_eq!(
        drop.to_string(),
        "b drop IP_OUTNOROUTES (OutNoRoute; IpOutNoRoutes)"
    );
    assert_eq!(w.ns(b).snmp().get(vnet_core::snmp::Mib::IpOutNoRoutes), 1);
}

#[test]
fn every_drop_names_the_kernels_reason() {
    let (mut w, a, r, _, events) = lab();
    echo(&mut w, a, [10, 0, 2, 1], Some(1));
    echo(&mut w, a, [10, 0, 2, 77], None);
    let ev = events.borrow();
    let drops: Vec<(DropReason, &str, Option<&str>)> = ev
        .iter()
        .filter_map(|e| match e {
            Trace::Drop {
                ns,
                reason,
                kernel_reason,
                counter,
                ..
            } if *ns == r => Some((*reason, *kernel_reason, *counter)),
            _ => None,
        })
        .collect();
    assert!(drops.contains(&(DropReason::TtlExceeded, "IP_INHDR", Some("IpInHdrErrors"))));
    assert!(drops.contains(&(
        DropReason::NeighFailed,
        "NEIGH_FAILED",
        Some("unresolved_discards")
    )));
    assert_eq!(DropReason::NoSocket.kernel_name(), "NO_SOCKET");
    assert_eq!(DropReason::UnknownProtocol.kernel_name(), "IP_NOPROTO");
    assert_eq!(
        DropReason::UnhandledEtherType.kernel_name(),
        "UNHANDLED_PROTO"
    );
    assert_eq!(
        DropReason::ForwardingDisabled.kernel_name(),
        "IP_INADDRERRORS"
    );
    assert_eq!(DropReason::NoRoute.counter(), Some("IpExtInNoRoutes"));
    assert_eq!(
        DropReason::ConntrackFull.counter(),
        Some("nf_conntrack drop")
    );
}

#[test]
fn a_route_text_follows_its_device_when_renamed() {
    let (mut w, a, r, _, events) = routed();
    let route_in_r = |ev: &[Traced]| -> Vec<String> {
        ev.iter()
            .filter(|t| t.place == "r")
            .filter_map(|t| match &t.ev {
                Trace::RouteLookup { result, .. } => Some(result.clone()),
                _ => None,
            })
            .collect()
    };
    echo(&mut w, a, [10, 0, 2, 2], None);
    let first = route_in_r(&events.borrow());
    assert_eq!(
        first,
        vec!["10.0.2.0/24 dev rb proto kernel scope link src 10.0.2.1"]
    );
    // The route is the same; the text the trace kept for it is not.
    let rb = w.ns(r).ifindex_of("rb").unwrap();
    w.link_set(r, rb, LinkChange::Up(false)).unwrap();
    w.link_set(r, rb, LinkChange::Name("east".into())).unwrap();
    w.link_set(r, rb, LinkChange::Up(true)).unwrap();
    events.borrow_mut().clear();
    echo(&mut w, a, [10, 0, 2, 2], None);
    let second = route_in_r(&events.borrow());
    assert_eq!(
        second.first().map(String::as_str),
        Some("10.0.2.0/24 dev east proto kernel scope link src 10.0.2.1")
    );
}
