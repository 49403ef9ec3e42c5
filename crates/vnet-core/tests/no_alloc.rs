//! The packet path allocates nothing per packet in steady state: after a
//! warm-up (neighbours resolved, buffer pool and event queue grown), routing
//! packets through a router namespace makes no heap allocation at all, and
//! neither does a TCP connection's data and ACKs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::{Ipv4Addr, SocketAddrV4};
use vnet_core::addr::Ifaddr4;
use vnet_core::dev::rtnetlink::{LinkChange, NewLink};
use vnet_core::ipv4::fib::Route;
use vnet_core::neigh::neighbour::NeighAdd;
use vnet_core::neigh::NudState;
use vnet_core::snmp::Mib;
use vnet_core::sock::tcp::{Read, TcpState};
use vnet_core::{NsId, Prefix4, Time, World};

struct Counting;

thread_local! {
    // Per test thread, so tests running in parallel do not count each other.
    static ALLOCS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn allocs() -> u64 {
    ALLOCS.with(|c| c.get())
}

fn bump() {
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        bump();
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        bump();
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn addr(w: &mut World, ns: NsId, dev: &str, a: [u8; 4], len: u8) {
    // IPv6 off: its timer-driven control traffic (router solicitations) is
    // not the data path under test.
    w.sysctl_write(ns, "net.ipv6.conf.all.disable_ipv6", "1")
        .unwrap();
    let ifindex = w.ns(ns).ifindex_of(dev).unwrap();
    let ip = Ipv4Addr::from(a);
    w.addr_add(ns, Ifaddr4::new(ifindex, ip, len)).unwrap();
    w.link_set(ns, ifindex, LinkChange::Up(true)).unwrap();
}

fn veth(w: &mut World, ns: NsId, name: &str, peer_ns: NsId, peer: &str) {
    let peer = NewLink::Veth {
        peer: peer.into(),
        peer_ns: Some(peer_ns),
        peer_mac: None,
    };
    w.link_add(ns, name, peer, None).unwrap();
}

fn via(w: &mut World, ns: NsId, dst: [u8; 4], gw: [u8; 4]) {
    let r = Route::via(Prefix4::new(Ipv4Addr::from(dst), 24), Ipv4Addr::from(gw));
    w.route_add(ns, r, vnet_core::ipv4::fib_frontend::RouteAdd::Excl)
        .unwrap();
}

/// Sends `n` copies of `reply` from `from` to `to`, 100 µs apart.
fn send(w: &mut World, from: NsId, to: [u8; 4], reply: &[u8], n: u32) {
    for _ in 0..n {
        w.ip_send(
            from,
            None,
            Ipv4Addr::from(to),
            None,
            1,
            None,
            false,
            0,
            reply,
        )
        .unwrap();
        let t = w.now() + Time::from_micros(100);
        w.advance(t);
    }
}

/// Unsolicited echo replies (forwarded or bridged on the way, delivered and
/// consumed silently): 200 of warm-up (ARP resolved, pools and queues
/// grown), then 1000 more. How many of those `seen` counts, and the heap
/// allocations they made.
fn steady_state(
    w: &mut World,
    from: NsId,
    to: [u8; 4],
    seen: impl Fn(&World) -> u64,
) -> (u64, u64) {
    let mut reply = vnet_core::wire::icmp::icmp_echo(1, 1, &[0u8; 56]);
    reply[0] = 0;
    send(w, from, to, &reply, 200);
    let before_seen = seen(w);
    let before = allocs();
    send(w, from, to, &reply, 1000);
    let allocs = allocs() - before;
    (seen(w) - before_seen, allocs)
}

#[test]
fn routed_packets_allocate_nothing_in_steady_state() {
    let mut w = World::new(7);
    let a = w.netns_add("a").unwrap();
    let r = w.netns_add("r").unwrap();
    let b = w.netns_add("b").unwrap();
    veth(&mut w, a, "va", r, "ra");
    veth(&mut w, b, "vb", r, "rb");
    addr(&mut w, a, "va", [10, 0, 1, 1], 24);
    addr(&mut w, r, "ra", [10, 0, 1, 254], 24);
    addr(&mut w, r, "rb", [10, 0, 2, 254], 24);
    addr(&mut w, b, "vb", [10, 0, 2, 1], 24);
    via(&mut w, a, [10, 0, 2, 0], [10, 0, 1, 254]);
    via(&mut w, b, [10, 0, 1, 0], [10, 0, 2, 254]);
    w.sysctl_write(r, "net.ipv4.ip_forward", "1").unwrap();

    let fwd = |w: &World| w.ns(r).snmp().get(vnet_core::snmp::Mib::IpForwDatagrams);
    let (forwarded, allocs) = steady_state(&mut w, a, [10, 0, 2, 1], fwd);
    assert_eq!(forwarded, 1000, "every packet crossed the router");
    assert_eq!(
        allocs, 0,
        "{allocs} heap allocations for 1000 routed packets"
    );
}

#[test]
fn bridged_packets_allocate_nothing_in_steady_state() {
    let mut w = World::new(9);
    let a = w.netns_add("a").unwrap();
    let b = w.netns_add("b").unwrap();
    let br = w.link_add(0, "br0", NewLink::Bridge, None).unwrap();
    for (ns, name, peer, ip) in [
        (a, "va", "pa", [10, 0, 0, 1]),
        (b, "vb", "pb", [10, 0, 0, 2]),
    ] {
        veth(&mut w, ns, name, 0, peer);
        let p = w.ns(0).ifindex_of(peer).unwrap();
        w.sysctl_write(0, "net.ipv6.conf.all.disable_ipv6", "1")
            .unwrap();
        w.link_set(0, p, LinkChange::Master(Some(br))).unwrap();
        w.link_set(0, p, LinkChange::Up(true)).unwrap();
        addr(&mut w, ns, name, ip, 24);
    }
    w.link_set(0, br, LinkChange::Up(true)).unwrap();
    // Linkwatch enables the ports whose carrier came up (as after a command).
    w.settle();
    let rx = |w: &World| {
        w.ns(b)
            .dev(w.ns(b).ifindex_of("vb").unwrap())
            .unwrap()
            .stats
            .rx_packets
    };
    let (crossed, allocs) = steady_state(&mut w, a, [10, 0, 0, 2], rx);
    assert_eq!(crossed, 1000, "every frame crossed the bridge");
    assert_eq!(
        allocs, 0,
        "{allocs} heap allocations for 1000 bridged packets"
    );
}

#[test]
fn tunneled_packets_allocate_nothing_in_steady_state() {
    use vnet_core::tunnel::{TunnelKind, TunnelOpts, TunnelParm};
    // a --veth-- b, and a gre tunnel with key, checksum and sequence numbers
    // between them, carrying 172.16.0.1 -> 172.16.0.2.
    let mut w = World::new(11);
    let a = w.netns_add("a").unwrap();
    let b = w.netns_add("b").unwrap();
    veth(&mut w, a, "va", b, "vb");
    addr(&mut w, a, "va", [10, 0, 0, 1], 24);
    addr(&mut w, b, "vb", [10, 0, 0, 2], 24);
    w.module_load("ip_gre");
    for (ns, name, local, remote, inner, peer) in [
        (
            a,
            "t",
            [10, 0, 0, 1],
            [10, 0, 0, 2],
            [172, 16, 0, 1],
            [172, 16, 0, 2],
        ),
        (
            b,
            "t",
            [10, 0, 0, 2],
            [10, 0, 0, 1],
            [172, 16, 0, 2],
            [172, 16, 0, 1],
        ),
    ] {
        let f = vnet_core::wire::gre::flags::KEY
            | vnet_core::wire::gre::flags::CSUM
            | vnet_core::wire::gre::flags::SEQ;
        let p = TunnelParm {
            saddr: Ipv4Addr::from(local),
            daddr: Ipv4Addr::from(remote),
            ttl: 64,
            df: true,
            protocol: 47,
            i_flags: f,
            o_flags: f,
            i_key: 9,
            o_key: 9,
            ..TunnelParm::default()
        };
        let t = w
            .tunnel_newlink(ns, name, TunnelKind::Gre, p, TunnelOpts::default())
            .unwrap();
        let mut ifa = Ifaddr4::new(t, Ipv4Addr::from(inner), 32);
        ifa.address = Ipv4Addr::from(peer);
        w.addr_add(ns, ifa).unwrap();
        w.link_set(ns, t, LinkChange::Up(true)).unwrap();
    }
    let rx = |w: &World| {
        w.ns(b)
            .dev(w.ns(b).ifindex_of("t").unwrap())
            .unwrap()
            .stats
            .rx_packets
    };
    let (out, allocs) = steady_state(&mut w, a, [172, 16, 0, 2], rx);
    assert_eq!(out, 1000, "every packet came out of the tunnel");
    assert_eq!(
        allocs, 0,
        "{allocs} heap allocations for 1000 tunneled packets"
    );
}

#[test]
fn vxlan_packets_allocate_nothing_in_steady_state() {
    use vnet_core::tunnel::vxlan::VxlanConfig;
    // a --veth(underlay 10.0.0.0/24)-- b, a vxlan device on each with the
    // other as remote, carrying 172.16.0.1 -> 172.16.0.2 (learned on the way).
    let mut w = World::new(13);
    let a = w.netns_add("a").unwrap();
    let b = w.netns_add("b").unwrap();
    veth(&mut w, a, "va", b, "vb");
    addr(&mut w, a, "va", [10, 0, 0, 1], 24);
    addr(&mut w, b, "vb", [10, 0, 0, 2], 24);
    for (ns, lower, remote, inner) in [
        (a, "va", [10, 0, 0, 2], [172, 16, 0, 1]),
        (b, "vb", [10, 0, 0, 1], [172, 16, 0, 2]),
    ] {
        let cfg = VxlanConfig {
            vni: 42,
            remote: Some(Ipv4Addr::from(remote)),
            link: w.ns(ns).ifindex_of(lower).unwrap(),
            dstport: 4789,
            ..VxlanConfig::default()
        };
        w.vxlan_newlink(ns, "vx", cfg, None, None).unwrap();
        addr(&mut w, ns, "vx", inner, 24);
    }
    let rx = |w: &World| {
        w.ns(b)
            .dev(w.ns(b).ifindex_of("vx").unwrap())
            .unwrap()
            .stats
            .rx_packets
    };
    let (out, allocs) = steady_state(&mut w, a, [172, 16, 0, 2], rx);
    assert_eq!(out, 1000, "every packet came out of the vxlan device");
    assert_eq!(
        allocs, 0,
        "{allocs} heap allocations for 1000 vxlan packets"
    );
}

#[test]
fn udp_datagrams_read_into_a_buffer_allocate_nothing_in_steady_state() {
    let mut w = World::new(7);
    let a = w.netns_add("a").unwrap();
    let b = w.netns_add("b").unwrap();
    veth(&mut w, a, "va", b, "vb");
    addr(&mut w, a, "va", [10, 0, 0, 1], 24);
    addr(&mut w, b, "vb", [10, 0, 0, 2], 24);
    let s = w.udp_socket(b);
    w.udp_bind(s, std::net::SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 9))
        .unwrap();
    let (src, dst) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
    let mut seg = [0u8; 8 + 22];
    seg[0..2].copy_from_slice(&1024u16.to_be_bytes());
    seg[2..4].copy_from_slice(&9u16.to_be_bytes());
    seg[4..6].copy_from_slice(&30u16.to_be_bytes());
    let ck = vnet_core::wire::checksum::l4_checksum(src, dst, 17, &seg);
    seg[6..8].copy_from_slice(&ck.to_be_bytes());
    let mut buf = Vec::with_capacity(2048);
    let mut round = |w: &mut World, n: u32| {
        let mut got = 0;
        for _ in 0..n {
            w.ip_send(a, Some(src), dst, None, 17, None, false, 0, &seg)
                .unwrap();
            let t = w.now() + Time::from_micros(100);
            w.advance(t);
            while let Some(from) = w.udp_recv_into(s, &mut buf).unwrap() {
                assert_eq!(from.port(), 1024);
                assert_eq!(buf.len(), 22);
                got += 1;
            }
        }
        got
    };
    round(&mut w, 200);
    let before = allocs();
    let got = round(&mut w, 1000);
    let allocs = allocs() - before;
    assert_eq!(got, 1000, "every datagram was read");
    assert_eq!(allocs, 0, "{allocs} heap allocations for 1000 datagrams");
}

/// A TCP connection allocates nothing per segment in steady state: after a
/// warm-up (neighbours resolved, buffer pools, queues and the sockets'
/// action lists grown), sending data and processing it and its ACK makes no
/// heap allocation. Reading does (recv hands over a `Vec`), so it runs
/// outside the count.
#[test]
fn segments_allocate_nothing_in_steady_state() {
    let mut w = World::new(13);
    let a = w.netns_add("a").unwrap();
    let b = w.netns_add("b").unwrap();
    veth(&mut w, a, "va", b, "vb");
    addr(&mut w, a, "va", [10, 0, 0, 1], 24);
    addr(&mut w, b, "vb", [10, 0, 0, 2], 24);
    let l = w.tcp_socket(b);
    w.tcp_bind(l, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 5000))
        .unwrap();
    w.tcp_listen(l, 1).unwrap();
    let c = w.tcp_socket(a);
    w.tcp_connect(c, SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 2), 5000))
        .unwrap();
    let t = w.now() + Time::from_millis(10);
    w.advance(t);
    let (s, _) = w.tcp_accept(l).unwrap().expect("a connection");
    assert_eq!(w.tcp_state(c), Some(TcpState::Established));
    // The neighbours made permanent: their reachability timers (STALE,
    // PROBE) and ARP are not the path under test.
    for (ns, dev, peer) in [(a, "va", [10, 0, 0, 2]), (b, "vb", [10, 0, 0, 1])] {
        let ifindex = w.ns(ns).ifindex_of(dev).unwrap();
        let ip = Ipv4Addr::from(peer).into();
        let mac = w.ns(ns).neigh().get(ifindex, ip).and_then(|e| e.lladdr);
        assert!(mac.is_some(), "resolved by the handshake");
        w.neigh_add(ns, ifindex, ip, mac, NudState::Permanent, NeighAdd::Replace)
            .unwrap();
    }

    let chunk = [0x5au8; 1000];
    // Each round: 1000 bytes out, their ACK back, and the RTO timer (armed
    // by the send) run out as a no-op, so the event queue stays small.
    let round = |w: &mut World| -> u64 {
        let before = allocs();
        w.tcp_send(c, &chunk).unwrap();
        let t = w.now() + Time::from_millis(300);
        w.advance(t);
        let n = allocs() - before;
        assert!(matches!(w.tcp_recv(s, 1 << 16), Ok(Read::Data(d)) if d.len() == 1000));
        n
    };
    for _ in 0..50 {
        round(&mut w);
    }
    let segs = w.ns(b).snmp().get(Mib::TcpInSegs);
    let made: u64 = (0..200).map(|_| round(&mut w)).sum();
    assert_eq!(w.ns(b).snmp().get(Mib::TcpInSegs) - segs, 200);
    assert_eq!(
        made, 0,
        "{made} heap allocations for 200 segments and their ACKs"
    );
}
