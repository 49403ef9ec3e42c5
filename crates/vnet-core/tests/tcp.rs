//! The TCP state machine between two namespaces joined by a veth, driven in
//! virtual time: handshake, data both ways, FIN handshakes (one-sided and
//! simultaneous), RST for closed ports and aborts, retransmission after a
//! lost segment, and connect errors from ICMP.

use std::net::{Ipv4Addr, SocketAddrV4};
use vnet_core::addr::Ifaddr4;
use vnet_core::dev::rtnetlink::LinkChange;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::snmp::Mib;
use vnet_core::sock::tcp::{Read, TcpState};
use vnet_core::{Errno, NsId, Time, World};

const A: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
const B: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);

fn addr(w: &mut World, ns: NsId, dev: &str, ip: Ipv4Addr) {
    let ifindex = w.ns(ns).ifindex_of(dev).unwrap();
    w.addr_add(ns, Ifaddr4::new(ifindex, ip, 24)).unwrap();
    w.link_set(ns, ifindex, LinkChange::Up(true)).unwrap();
    w.link_set(ns, 1, LinkChange::Up(true)).unwrap();
}

/// a (va 10.0.0.1) — veth — b (vb 10.0.0.2)
fn lab() -> (World, NsId, NsId) {
    let mut w = World::new(5);
    let a = w.netns_add("a").unwrap();
    let b = w.netns_add("b").unwrap();
    w.link_add(
        a,
        "va",
        NewLink::Veth {
            peer: "vb".into(),
            peer_ns: Some(b),
            peer_mac: None,
        },
        None,
    )
    .unwrap();
    addr(&mut w, a, "va", A);
    addr(&mut w, b, "vb", B);
    w.settle();
    (w, a, b)
}

/// Runs the world for `d` of virtual time.
fn run(w: &mut World, d: Time) {
    let end = w.now() + d;
    let mut steps = 0;
    while let Some(t) = w.next_deadline() {
        if t > end {
            break;
        }
        w.advance(t);
        steps += 1;
        assert!(steps < 1_000_000, "runaway event loop");
    }
    w.advance(end);
}

fn listener(w: &mut World, ns: NsId, port: u16) -> usize {
    let l = w.tcp_socket(ns);
    w.tcp_bind(l, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port))
        .unwrap();
    w.tcp_listen(l, 1).unwrap();
    l
}

/// A connected pair: (client in a, server child in b).
fn connected(w: &mut World, a: NsId, b: NsId) -> (usize, usize) {
    let l = listener(w, b, 5000);
    let c = w.tcp_socket(a);
    w.tcp_connect(c, SocketAddrV4::new(B, 5000)).unwrap();
    run(w, Time::from_millis(10));
    assert_eq!(w.tcp_state(c), Some(TcpState::Established));
    let (s, peer) = w.tcp_accept(l).unwrap().expect("an accepted connection");
    assert_eq!(peer, w.tcp_local(c).unwrap());
    assert_eq!(w.tcp_state(s), Some(TcpState::Established));
    (c, s)
}

fn read_all(w: &mut World, s: usize) -> Vec<u8> {
    let mut v = Vec::new();
    while let Ok(Read::Data(d)) = w.tcp_recv(s, 1 << 20) {
        v.extend(d);
    }
    v
}

#[test]
fn data_flows_both_ways_and_fin_ends_in_time_wait() {
    let (mut w, a, b) = lab();
    let (c, s) = connected(&mut w, a, b);
    let port = w.tcp_local(c).unwrap().port();
    assert!(
        (32768..=60999).contains(&port) && port % 2 == 0,
        "connect() takes an even ephemeral port: {port}"
    );
    w.tcp_send(c, b"hello").unwrap();
    let big: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
    w.tcp_send(s, &big).unwrap();
    run(&mut w, Time::from_millis(50));
    assert_eq!(read_all(&mut w, s), b"hello");
    let mut got = Vec::new();
    for _ in 0..100 {
        got.extend(read_all(&mut w, c));
        run(&mut w, Time::from_millis(5));
    }
    assert_eq!(got.len(), big.len());
    assert!(got == big, "the bulk transfer arrives intact and in order");
    // The client finishes first: it ends in TIME_WAIT, the server closes.
    w.tcp_shutdown_wr(c).unwrap();
    run(&mut w, Time::from_millis(1));
    // The FIN's ACK is delayed (tcp_fin's pingpong mode) for an answer to ride on.
    assert_eq!(w.tcp_state(c), Some(TcpState::FinWait1));
    run(&mut w, Time::from_millis(50));
    assert_eq!(w.tcp_state(c), Some(TcpState::FinWait2));
    assert_eq!(w.tcp_state(s), Some(TcpState::CloseWait));
    assert_eq!(w.tcp_recv(s, 10), Ok(Read::Eof));
    w.tcp_close(s);
    run(&mut w, Time::from_millis(1));
    assert_eq!(w.tcp_state(c), Some(TcpState::TimeWait));
    assert_eq!(
        w.tcp_state(s),
        None,
        "the server's socket is gone after LAST_ACK"
    );
    assert_eq!(w.tcp_recv(c, 10), Ok(Read::Eof));
    w.tcp_close(c);
    run(&mut w, Time::from_secs(59));
    assert_eq!(w.tcp_state(c), Some(TcpState::TimeWait));
    run(&mut w, Time::from_secs(2));
    assert_eq!(w.tcp_state(c), None, "TIME_WAIT lasts 60 s");
}

#[test]
fn closed_port_answers_rst_and_connect_is_refused() {
    let (mut w, a, b) = lab();
    let c = w.tcp_socket(a);
    w.tcp_connect(c, SocketAddrV4::new(B, 81)).unwrap();
    assert_eq!(w.tcp_state(c), Some(TcpState::SynSent));
    run(&mut w, Time::from_millis(10));
    assert_eq!(w.tcp_state(c), Some(TcpState::Close));
    assert_eq!(w.tcp_error(c), Some(Errno::ECONNREFUSED));
    assert_eq!(w.ns(b).snmp().get(Mib::TcpOutRsts), 1);
    assert_eq!(w.ns(a).snmp().get(Mib::TcpAttemptFails), 1);
}

#[test]
fn a_lost_segment_is_retransmitted_after_the_rto() {
    let (mut w, a, b) = lab();
    let (c, s) = connected(&mut w, a, b);
    let vb = w.ns(b).ifindex_of("vb").unwrap();
    // The receiver's link goes down: the segment is lost on the wire.
    w.link_set(b, vb, LinkChange::Up(false)).unwrap();
    w.tcp_send(c, b"lost once").unwrap();
    run(&mut w, Time::from_millis(100));
    w.link_set(b, vb, LinkChange::Up(true)).unwrap();
    w.settle();
    assert_eq!(read_all(&mut w, s), b"");
    assert_eq!(w.ns(a).snmp().get(Mib::TcpRetransSegs), 0);
    run(&mut w, Time::from_secs(2));
    assert_eq!(read_all(&mut w, s), b"lost once");
    assert_eq!(w.ns(a).snmp().get(Mib::TcpRetransSegs), 1);
    assert_eq!(w.tcp_state(c), Some(TcpState::Established));
}

#[test]
fn simultaneous_close_passes_through_closing_to_time_wait() {
    let (mut w, a, b) = lab();
    let (c, s) = connected(&mut w, a, b);
    w.tcp_shutdown_wr(c).unwrap();
    w.tcp_shutdown_wr(s).unwrap();
    assert_eq!(w.tcp_state(c), Some(TcpState::FinWait1));
    assert_eq!(w.tcp_state(s), Some(TcpState::FinWait1));
    run(&mut w, Time::from_millis(10));
    assert_eq!(w.tcp_state(c), Some(TcpState::TimeWait));
    assert_eq!(w.tcp_state(s), Some(TcpState::TimeWait));
}

#[test]
fn abort_resets_the_peer() {
    let (mut w, a, b) = lab();
    let (c, s) = connected(&mut w, a, b);
    w.tcp_abort(c);
    run(&mut w, Time::from_millis(10));
    assert_eq!(w.tcp_state(s), Some(TcpState::Close));
    assert_eq!(w.tcp_recv(s, 10), Err(Errno::ECONNRESET.into()));
}

#[test]
fn unresolvable_neighbour_fails_the_connect_with_host_unreachable() {
    let (mut w, a, _) = lab();
    let c = w.tcp_socket(a);
    w.tcp_connect(c, SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 3), 80))
        .unwrap();
    run(&mut w, Time::from_millis(1500));
    assert_eq!(w.tcp_state(c), Some(TcpState::SynSent));
    assert_eq!(
        w.ns(a).snmp().get(Mib::TcpRetransSegs),
        1,
        "the SYN is resent after 1 s"
    );
    run(&mut w, Time::from_secs(5));
    assert_eq!(w.tcp_state(c), Some(TcpState::Close));
    assert_eq!(w.tcp_error(c), Some(Errno::EHOSTUNREACH));
}

#[test]
fn syn_retries_back_off_then_time_out() {
    let (mut w, a, b) = lab();
    // The listener's backlog is full: SYNs are dropped silently.
    let l = listener(&mut w, b, 7000);
    let mut first = Vec::new();
    for _ in 0..2 {
        let c = w.tcp_socket(a);
        w.tcp_connect(c, SocketAddrV4::new(B, 7000)).unwrap();
        first.push(c);
    }
    run(&mut w, Time::from_millis(10));
    w.sysctl_write(a, "net.ipv4.tcp_syn_retries", "2").unwrap();
    let c = w.tcp_socket(a);
    w.tcp_connect(c, SocketAddrV4::new(B, 7000)).unwrap();
    // Retransmissions at 1 s and 3 s; the give-up at 7 s.
    run(&mut w, Time::from_millis(6900));
    assert_eq!(w.tcp_state(c), Some(TcpState::SynSent));
    run(&mut w, Time::from_millis(200));
    assert_eq!(w.tcp_state(c), Some(TcpState::Close));
    assert_eq!(w.tcp_error(c), Some(Errno::ETIMEDOUT));
    assert!(w.ns(b).snmp().get(Mib::TcpListenDrops) >= 3);
    let _ = l;
}

#[test]
fn udp_datagrams_reach_the_bound_socket_and_refusals_the_connected_sender() {
    let (mut w, a, b) = lab();
    let srv = w.udp_socket(b);
    w.udp_bind(srv, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 9000))
        .unwrap();
    let cli = w.udp_socket(a);
    w.udp_connect(cli, SocketAddrV4::new(B, 9000)).unwrap();
    w.udp_sendto(cli, None, b"hi").unwrap();
    run(&mut w, Time::from_millis(1));
    let d = w.udp_recv(srv, false).unwrap().expect("a datagram");
    assert_eq!(d.data, b"hi");
    assert_eq!(*d.from.ip(), A);
    assert_ne!(
        d.from.port(),
        0,
        "the sender was bound to an ephemeral port"
    );
    let closed = w.udp_socket(a);
    w.udp_connect(closed, SocketAddrV4::new(B, 9001)).unwrap();
    w.udp_sendto(closed, None, b"X").unwrap();
    run(&mut w, Time::from_millis(1));
    assert_eq!(
        w.udp_sendto(closed, None, b"X"),
        Err(Errno::ECONNREFUSED.into())
    );
    assert_eq!(w.ns(b).snmp().get(Mib::UdpNoPorts), 1);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Whatever the receiver's link loses (outages of up to 2 s starting
        /// within the sub-millisecond the transfer and its FIN handshake take),
        /// retransmission delivers every byte once and in order, and both
        /// ends finish their close.
        #[test]
        fn transfers_survive_link_outages(
            len in 1usize..40_000,
            outages in proptest::collection::vec((0u64..300, 1u64..2000), 1..4),
        ) {
            let (mut w, a, b) = lab();
            let (c, s) = connected(&mut w, a, b);
            let vb = w.ns(b).ifindex_of("vb").unwrap();
            let data: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            w.tcp_send(c, &data).unwrap();
            w.tcp_shutdown_wr(c).unwrap();
            // Outage edges in time order (µs from now): a gap, then an outage.
            let mut edges: Vec<(u64, bool)> = Vec::new();
            let mut t = 0;
            for (gap, dur_ms) in outages {
                t += gap;
                edges.push((t, false));
                t += dur_ms * 1000;
                edges.push((t, true));
            }
            let start = w.now();
            let mut got = Vec::new();
            let mut eof = false;
            for (at, up) in edges {
                let target = start + Time::from_micros(at);
                while w.now() < target {
                    let step = Time::from_micros(10).min(Time(target.0 - w.now().0));
                    run(&mut w, step);
                    got.extend(read_all(&mut w, s));
                }
                w.link_set(b, vb, LinkChange::Up(up)).unwrap();
                w.settle();
            }
            for _ in 0..6000 {
                run(&mut w, Time::from_millis(10));
                got.extend(read_all(&mut w, s));
                if w.tcp_recv(s, 1) == Ok(Read::Eof) {
                    eof = true;
                    break;
                }
            }
            prop_assert!(eof, "the FIN arrives after the data");
            prop_assert_eq!(got.len(), data.len());
            prop_assert!(got == data);
            w.tcp_close(s);
            run(&mut w, Time::from_secs(30));
            prop_assert_eq!(w.tcp_state(s), None);
            prop_assert_eq!(w.tcp_state(c), Some(TcpState::TimeWait));
        }
    }
}
