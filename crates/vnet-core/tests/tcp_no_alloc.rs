//! A TCP connection allocates nothing per segment in steady state: after a
//! warm-up (neighbours resolved, buffer pools, queues and the sockets'
//! action lists grown), sending data and processing it and its ACK makes no
//! heap allocation. Reading does (recv hands over a `Vec`), so it runs
//! outside the count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::{Ipv4Addr, SocketAddrV4};
use vnet_core::addr::Ifaddr4;
use vnet_core::dev::rtnetlink::{LinkChange, NewLink};
use vnet_core::neigh::neighbour::NeighAdd;
use vnet_core::neigh::NudState;
use vnet_core::snmp::Mib;
use vnet_core::sock::tcp::{Read, TcpState};
use vnet_core::{NsId, Time, World};

struct Counting;

thread_local! {
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

fn addr(w: &mut World, ns: NsId, dev: &str, ip: [u8; 4]) {
    // IPv6 off: its timer-driven control traffic is not the path under test.
    w.sysctl_write(ns, "net.ipv6.conf.all.disable_ipv6", "1")
        .unwrap();
    let ifindex = w.ns(ns).ifindex_of(dev).unwrap();
    w.addr_add(ns, Ifaddr4::new(ifindex, Ipv4Addr::from(ip), 24))
        .unwrap();
    w.link_set(ns, ifindex, LinkChange::Up(true)).unwrap();
}

#[test]
fn segments_allocate_nothing_in_steady_state() {
    let mut w = World::new(13);
    let a = w.netns_add("a").unwrap();
    let b = w.netns_add("b").unwrap();
    let veth = NewLink::Veth {
        peer: "vb".into(),
        peer_ns: Some(b),
        peer_mac: None,
    };
    w.link_add(a, "va", veth, None).unwrap();
    addr(&mut w, a, "va", [10, 0, 0, 1]);
    addr(&mut w, b, "vb", [10, 0, 0, 2]);
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
