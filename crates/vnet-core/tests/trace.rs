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
