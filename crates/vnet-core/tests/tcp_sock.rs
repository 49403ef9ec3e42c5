//! The TCP state machine alone, without a `World`: two `TcpSock`s handed
//! each other's segments (emitted to bytes and parsed back, as the wire
//! would), at chosen virtual times, checking the exact sequence numbers,
//! flags, options, windows and timer deadlines each call asks for.

use std::net::{Ipv4Addr, SocketAddrV4};
use vnet_core::snmp::Mib;
use vnet_core::sock::tcp::flags::{ACK, FIN, PSH, RST, SYN};
use vnet_core::sock::tcp::{
    reset_for, Action, Actions, Env, ListenRcv, Read, Seg, Segment, TcpSock, TcpState,
};
use vnet_core::{Errno, Time};

/// A namespace as the machine sees it: a fixed route MTU and sysctl.
struct Net {
    mtu: u32,
    syn_retries: u32,
}

impl Env for Net {
    fn mtu(&self, _local: Ipv4Addr, _remote: Ipv4Addr) -> u32 {
        self.mtu
    }
    fn syn_retries(&self) -> u32 {
        self.syn_retries
    }
}

const NET: Net = Net {
    mtu: 1500,
    syn_retries: 6,
};
const C: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 1), 40000);
const S: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 2), 5000);
/// The ISNs and timestamp offsets the host would draw at random.
const C_ISS: u32 = 1000;
const C_TSO: u32 = 7;
const S_ISS: u32 = 5000;
const S_TSO: u32 = 9;

fn ms(n: u64) -> Time {
    Time::from_millis(n)
}

/// A segment on the wire: its bytes, parsed again by the receiver.
struct Wire {
    src: Ipv4Addr,
    dst: Ipv4Addr,
    bytes: Vec<u8>,
}

impl Wire {
    fn seg(&self) -> Seg<'_> {
        Seg::from_tcp(self.src, self.dst, &self.bytes).expect("a well-formed segment")
    }
}

/// The `i`th segment of `a`, emitted.
fn wire(a: &Actions, i: usize) -> Wire {
    let s = seg(a, i);
    let mut bytes = Vec::new();
    s.emit(a.payload(s), &mut bytes);
    Wire {
        src: *s.src.ip(),
        dst: *s.dst.ip(),
        bytes,
    }
}

fn seg(a: &Actions, i: usize) -> &Segment {
    a.segments().nth(i).expect("a segment")
}

/// A segment without options or data.
fn bare(src: SocketAddrV4, dst: SocketAddrV4, seq: u32, ack: u32, flags: u8) -> Seg<'static> {
    Seg {
        src,
        dst,
        seq,
        ack,
        flags,
        wnd: 0,
        mss: None,
        wscale: None,
        sack_ok: false,
        ts: None,
        data: &[],
    }
}

fn timers(a: &Actions) -> Vec<Time> {
    a.timers().collect()
}

/// The timestamp option of a segment that is not a SYN: NOP, NOP, TS.
fn ts_opt(tsval: u32, ecr: u32) -> Vec<u8> {
    let mut v = vec![1, 1, 8, 10];
    v.extend(tsval.to_be_bytes());
    v.extend(ecr.to_be_bytes());
    v
}

fn listener() -> TcpSock {
    let mut l = TcpSock::new();
    l.local = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 5000);
    l.listen(1);
    l
}

/// The handshake at 0, 1, 2 and 3 ms: (client, server child).
fn established() -> (TcpSock, TcpSock) {
    let mut c = TcpSock::new();
    let syn = wire(&c.connect(ms(0), &NET, C, S, C_ISS, C_TSO), 0);
    let (mut s, synack) = listener().conn_request(ms(1), &NET, &syn.seg(), 3, S_ISS, S_TSO);
    let ack = wire(&c.process(ms(2), &NET, &wire(&synack, 0).seg()), 0);
    s.process(ms(3), &NET, &ack.seg());
    assert_eq!(c.state, TcpState::Established);
    assert_eq!(s.state, TcpState::Established);
    (c, s)
}

#[test]
fn three_way_handshake() {
    let mut c = TcpSock::new();
    let a = c.connect(ms(0), &NET, C, S, C_ISS, C_TSO);
    assert_eq!(c.state, TcpState::SynSent);
    // The SYN, then its retransmission timer (TCP_TIMEOUT_INIT).
    assert!(matches!(a.list(), [Action::Send(_), Action::Timer(_)]));
    let syn = seg(&a, 0);
    assert_eq!((syn.src, syn.dst), (C, S));
    assert_eq!((syn.seq, syn.ack, syn.flags), (1000, 0, SYN));
    // 44 segments of the MSS 1460 fit 64 KiB.
    assert_eq!(syn.wnd, 64240);
    // MSS 1460, SACK permitted, TS (TSval = 0 ms + offset 7, TSecr 0), NOP, wscale 10.
    assert_eq!(
        syn.opts.bytes(),
        [2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0, 1, 3, 3, 10]
    );
    assert!(syn.sk_owner);
    assert_eq!(timers(&a), [ms(1000)]);
    assert_eq!(c.poll_at(), Some(ms(1000)));

    let l = listener();
    let syn = wire(&a, 0);
    assert_eq!(l.listen_rcv(&syn.seg()), ListenRcv::Request);
    let (mut s, b) = l.conn_request(ms(1), &NET, &syn.seg(), 3, S_ISS, S_TSO);
    assert_eq!(s.state, TcpState::SynRecv);
    assert_eq!((s.parent, s.user), (Some(3), false));
    // The peer's MSS less the 12 bytes of timestamps in every segment.
    assert_eq!(s.mss, 1448);
    assert_eq!((s.snd_wnd, s.snd_wscale), (64240, 10));
    let synack = seg(&b, 0);
    assert_eq!((synack.src, synack.dst), (S, C));
    assert_eq!(
        (synack.seq, synack.ack, synack.flags),
        (5000, 1001, SYN | ACK)
    );
    // 45 segments of 1460 - 12 bytes: the child knows timestamps are on.
    assert_eq!(synack.wnd, 65160);
    // TSval 1 ms + 9, TSecr the client's 7.
    assert_eq!(
        synack.opts.bytes(),
        [2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 10, 0, 0, 0, 7, 1, 3, 3, 10]
    );
    assert!(!synack.sk_owner, "a SYN-ACK comes from the request sock");
    assert_eq!(timers(&b), [ms(1001)]);

    let a = c.process(ms(2), &NET, &wire(&b, 0).seg());
    assert_eq!(c.state, TcpState::Established);
    assert!(a.events.connected);
    assert!(matches!(
        a.list(),
        [Action::Count(Mib::TcpActiveOpens), Action::Send(_)]
    ));
    let ack = seg(&a, 0);
    assert_eq!((ack.seq, ack.ack, ack.flags), (1001, 5001, ACK));
    // 64240 scaled by 2^10, rounded up.
    assert_eq!(ack.wnd, 63);
    assert_eq!(ack.opts.bytes(), ts_opt(9, 10));
    assert_eq!(c.mss, 1448);
    // The RTT sample (2 ms) sets the RTO, and nothing is left to time.
    assert_eq!(c.rto, ms(202));
    assert_eq!(c.poll_at(), None);

    let b = s.process(ms(3), &NET, &wire(&a, 0).seg());
    assert_eq!(s.state, TcpState::Established);
    assert!(b.events.connected);
    assert!(b.list().is_empty(), "{:?}", b.list());
    assert_eq!(s.rto, ms(202));
    assert_eq!(s.snd_wnd, 63 << 10);
    assert_eq!(s.poll_at(), None);
}

#[test]
fn the_syn_announces_the_mss_of_the_route_at_hand() {
    let mut c = TcpSock::new();
    let jumbo = Net {
        mtu: 9000,
        syn_retries: 6,
    };
    let a = c.connect(ms(0), &jumbo, C, S, C_ISS, C_TSO);
    let syn = seg(&a, 0);
    assert_eq!(syn.opts.bytes()[..4], [2, 4, 0x23, 0x00]); // 8960
    assert_eq!(syn.wnd, 8960 * 7);
    // The route changed before the retransmission: its MSS follows.
    let a = c.on_timeout(ms(1000), &NET);
    assert_eq!(seg(&a, 0).opts.bytes()[..4], [2, 4, 5, 180]);
}

#[test]
fn a_syn_without_options_gets_a_syn_ack_without_them() {
    let mut peer = TcpSock::new();
    let a = peer.connect(ms(0), &NET, C, S, C_ISS, C_TSO);
    let w = wire(&a, 0);
    let mut syn = w.seg();
    (syn.mss, syn.wscale, syn.sack_ok, syn.ts) = (Some(536), None, false, None);
    let (s, b) = listener().conn_request(ms(1), &NET, &syn, 3, S_ISS, S_TSO);
    assert_eq!((s.ts_ok, s.sack_ok), (false, false));
    assert_eq!((s.snd_wscale, s.rcv_wscale), (0, 0));
    assert_eq!(s.mss, 536);
    let synack = seg(&b, 0);
    assert_eq!(synack.opts.bytes(), [2, 4, 5, 180]);
    assert_eq!(synack.wnd, 64240);
}

#[test]
fn data_and_its_ack() {
    let (mut c, mut s) = established();
    let a = c.send(ms(10), &NET, b"hello").unwrap();
    assert!(matches!(a.list(), [Action::Send(_), Action::Timer(_)]));
    let d = seg(&a, 0);
    assert_eq!((d.seq, d.ack, d.flags), (1001, 5001, ACK | PSH));
    assert_eq!(a.payload(d), b"hello");
    assert_eq!(d.opts.bytes(), ts_opt(17, 10));
    assert_eq!(timers(&a), [ms(10) + ms(202)]);
    assert_eq!(c.snd_nxt, 1006);

    let b = s.process(ms(11), &NET, &wire(&a, 0).seg());
    assert!(b.events.readable);
    let ack = seg(&b, 0);
    assert_eq!((ack.seq, ack.ack, ack.flags), (5001, 1006, ACK));
    assert_eq!(ack.wnd, 64, "65160 scaled by 2^10, rounded up");
    assert_eq!(ack.opts.bytes(), ts_opt(20, 17));
    assert_eq!(b.timers().count(), 0);
    assert_eq!(s.recv(100), Ok(Read::Data(b"hello".to_vec())));
    assert_eq!(s.recv(100), Ok(Read::WouldBlock));

    let a = c.process(ms(14), &NET, &wire(&b, 0).seg());
    assert!(a.list().is_empty());
    assert_eq!((c.snd_una, c.cwnd), (1006, 11));
    assert_eq!(c.rto, ms(204), "TCP_RTO_MIN plus the 4 ms sample");
    assert_eq!(c.poll_at(), None, "nothing in flight: the RTO is off");
}

#[test]
fn nagle_holds_a_small_segment_while_one_is_in_flight() {
    let (mut c, mut s) = established();
    let data: Vec<u8> = (0..1548u32).map(|i| i as u8).collect();
    let a = c.send(ms(10), &NET, &data).unwrap();
    assert_eq!(a.segments().count(), 1);
    let full = seg(&a, 0);
    assert_eq!((full.seq, full.flags, full.data_len()), (1001, ACK, 1448));
    assert_eq!(a.payload(full), &data[..1448]);
    let b = s.process(ms(11), &NET, &wire(&a, 0).seg());
    assert_eq!(seg(&b, 0).ack, 2449);
    // Its ACK releases the rest, with PSH, and a new RTO.
    let a = c.process(ms(12), &NET, &wire(&b, 0).seg());
    assert!(matches!(a.list(), [Action::Send(_), Action::Timer(_)]));
    let rest = seg(&a, 0);
    assert_eq!((rest.seq, rest.flags), (2449, ACK | PSH));
    assert_eq!(a.payload(rest), &data[1448..]);
    assert_eq!(timers(&a), [ms(12) + ms(202)]);
}

#[test]
fn retransmission_backs_off_the_rto() {
    let (mut c, _s) = established();
    let a = c.send(ms(10), &NET, b"x").unwrap();
    assert_eq!(timers(&a), [ms(212)]);
    // Woken early: nothing.
    assert!(c.on_timeout(ms(211), &NET).is_empty());
    let a = c.on_timeout(ms(212), &NET);
    assert!(matches!(
        a.list(),
        [
            Action::Count(Mib::TcpRetransSegs),
            Action::Send(_),
            Action::Timer(_)
        ]
    ));
    let r = seg(&a, 0);
    assert_eq!((r.seq, r.ack, r.flags), (1001, 5001, ACK | PSH));
    assert_eq!(a.payload(r), b"x");
    assert_eq!(timers(&a), [ms(212 + 404)]);
    assert_eq!((c.rto, c.retries, c.cwnd), (ms(404), 1, 1));
    let a = c.on_timeout(ms(616), &NET);
    assert_eq!(seg(&a, 0).seq, 1001);
    assert_eq!(timers(&a), [ms(616 + 808)]);
    assert_eq!(c.retries, 2);
    assert_eq!(c.poll_at(), Some(ms(1424)));
}

#[test]
fn syn_retries_then_etimedout() {
    let net = Net {
        mtu: 1500,
        syn_retries: 2,
    };
    let mut c = TcpSock::new();
    c.connect(ms(0), &net, C, S, C_ISS, C_TSO);
    let a = c.on_timeout(ms(1000), &net);
    let syn = seg(&a, 0);
    assert_eq!((syn.seq, syn.flags), (1000, SYN));
    // The same SYN, with the time it leaves at (1000 ms + 7).
    assert_eq!(syn.opts.bytes()[8..12], 1007u32.to_be_bytes());
    assert_eq!(timers(&a), [ms(3000)]);
    let a = c.on_timeout(ms(3000), &net);
    assert_eq!(timers(&a), [ms(7000)]);
    let a = c.on_timeout(ms(7000), &net);
    assert_eq!(c.state, TcpState::Close);
    assert!(a.list().is_empty());
    assert!(a.events.closed);
    assert_eq!(a.events.error, Some(Errno::ETIMEDOUT));
    assert!(!a.release, "the program still holds it");
    assert_eq!(c.take_error(), Some(Errno::ETIMEDOUT));
    assert_eq!(c.poll_at(), None);
}

#[test]
fn icmp_errors_end_a_handshake_but_only_linger_after_it() {
    let mut c = TcpSock::new();
    c.connect(ms(0), &NET, C, S, C_ISS, C_TSO);
    let a = c.icmp_error(Errno::EHOSTUNREACH);
    assert_eq!(a.list(), [Action::Count(Mib::TcpAttemptFails)]);
    assert_eq!(c.state, TcpState::Close);
    assert_eq!(c.take_error(), Some(Errno::EHOSTUNREACH));

    // Established: remembered (sk_err_soft), reported when retries run out.
    let (mut c, _s) = established();
    assert!(c.icmp_error(Errno::EHOSTUNREACH).is_empty());
    c.send(ms(10), &NET, b"x").unwrap();
    c.retries = 15;
    let a = c.on_timeout(ms(212), &NET);
    assert_eq!(a.events.error, Some(Errno::EHOSTUNREACH));
    assert_eq!(c.state, TcpState::Close);
}

#[test]
fn passive_close_through_close_wait_and_last_ack() {
    let (mut c, mut s) = established();
    let a = c.shutdown_wr(ms(10), &NET).unwrap();
    assert_eq!(c.state, TcpState::FinWait1);
    let fin = seg(&a, 0);
    assert_eq!((fin.seq, fin.ack, fin.flags), (1001, 5001, FIN | ACK));
    assert_eq!(timers(&a), [ms(212)]);

    // The FIN's ACK waits for an answer to ride on (tcp_fin's pingpong mode).
    let b = s.process(ms(11), &NET, &wire(&a, 0).seg());
    assert_eq!(s.state, TcpState::CloseWait);
    assert!(b.events.readable);
    assert_eq!(b.list(), [Action::Timer(ms(51))]);
    assert_eq!(s.recv(10), Ok(Read::Eof));
    let b = s.on_timeout(ms(51), &NET);
    let ack = seg(&b, 0);
    assert_eq!((ack.seq, ack.ack, ack.flags), (5001, 1002, ACK));
    assert_eq!(s.poll_at(), None);

    let a = c.process(ms(52), &NET, &wire(&b, 0).seg());
    assert_eq!(c.state, TcpState::FinWait2);
    assert!(a.list().is_empty());

    let b = s.close(ms(60), &NET);
    assert_eq!((s.state, s.user), (TcpState::LastAck, false));
    let fin = seg(&b, 0);
    assert_eq!((fin.seq, fin.ack, fin.flags), (5001, 1002, FIN | ACK));
    assert_eq!(timers(&b), [ms(262)]);
    let fin = wire(&b, 0);

    let a = c.process(ms(61), &NET, &fin.seg());
    assert_eq!(c.state, TcpState::TimeWait);
    let tw = ms(61) + Time::from_secs(60);
    assert!(matches!(a.list(), [Action::Timer(t), Action::Send(_)] if *t == tw));
    let last = seg(&a, 0);
    assert_eq!((last.seq, last.ack, last.flags), (1002, 5002, ACK));
    assert_eq!(c.recv(10), Ok(Read::Eof));

    let b = s.process(ms(62), &NET, &wire(&a, 0).seg());
    assert_eq!(s.state, TcpState::Close);
    assert!(b.events.closed && b.release, "an orphan is freed in CLOSE");

    // The FIN again (our ACK was lost): below rcv_nxt, so only re-ACKed
    // (tcp_send_dupack); TIME_WAIT keeps its deadline.
    let a = c.process(ms(100), &NET, &fin.seg());
    assert!(matches!(a.list(), [Action::Send(_)]));
    assert_eq!((seg(&a, 0).seq, seg(&a, 0).ack), (1002, 5002));
    assert_eq!(c.poll_at(), Some(tw));
    assert!(c.on_timeout(tw.saturating_sub(ms(1)), &NET).is_empty());
    let a = c.on_timeout(tw, &NET);
    assert_eq!(c.state, TcpState::Close);
    assert!(a.events.closed && !a.release);
    assert!(c.close(tw, &NET).release);
}

#[test]
fn simultaneous_close_passes_through_closing() {
    let (mut c, mut s) = established();
    let fc = c.shutdown_wr(ms(10), &NET).unwrap();
    let fs = s.shutdown_wr(ms(10), &NET).unwrap();
    assert_eq!((c.state, s.state), (TcpState::FinWait1, TcpState::FinWait1));
    let b = s.process(ms(11), &NET, &wire(&fc, 0).seg());
    assert_eq!(s.state, TcpState::Closing);
    assert_eq!((seg(&b, 0).flags, seg(&b, 0).ack), (ACK, 1002));
    let a = c.process(ms(11), &NET, &wire(&fs, 0).seg());
    assert_eq!(c.state, TcpState::Closing);
    // Each ACK of a FIN moves CLOSING to TIME_WAIT, with its timer.
    let a2 = c.process(ms(12), &NET, &wire(&b, 0).seg());
    assert_eq!(c.state, TcpState::TimeWait);
    assert_eq!(a2.list(), [Action::Timer(ms(12) + Time::from_secs(60))]);
    s.process(ms(12), &NET, &wire(&a, 0).seg());
    assert_eq!(s.state, TcpState::TimeWait);
    assert_eq!(s.poll_at(), Some(ms(12) + Time::from_secs(60)));
}

#[test]
fn rst_at_rcv_nxt_resets_an_established_connection() {
    let (mut c, _s) = established();
    // In the window but not at rcv_nxt: ignored (RFC 5961).
    let a = c.process(ms(10), &NET, &bare(S, C, 5101, 0, RST));
    assert!(a.is_empty());
    assert_eq!(c.state, TcpState::Established);
    let a = c.process(ms(11), &NET, &bare(S, C, 5001, 0, RST));
    assert_eq!(a.list(), [Action::Count(Mib::TcpEstabResets)]);
    assert_eq!(c.state, TcpState::Close);
    assert_eq!(a.events.error, Some(Errno::ECONNRESET));
    assert_eq!(c.recv(10), Err(Errno::ECONNRESET));
    assert_eq!(c.recv(10), Ok(Read::Eof));
    assert_eq!(c.send(ms(12), &NET, b"x").map(|_| ()), Err(Errno::ENOTCONN));
}

#[test]
fn the_answer_to_a_syn_decides_the_connect() {
    // RST|ACK for our SYN: refused.
    let mut c = TcpSock::new();
    let a = c.connect(ms(0), &NET, C, S, C_ISS, C_TSO);
    let syn = wire(&a, 0);
    let r = reset_for(&syn.seg()).unwrap();
    assert_eq!((r.src, r.dst), (S, C));
    assert_eq!((r.seq, r.ack, r.flags, r.wnd), (0, 1001, RST | ACK, 0));
    assert!(!r.sk_owner);
    let mut bytes = Vec::new();
    r.emit(&[], &mut bytes);
    let a = c.process(
        ms(1),
        &NET,
        &Seg::from_tcp(*S.ip(), *C.ip(), &bytes).unwrap(),
    );
    assert_eq!(a.list(), [Action::Count(Mib::TcpAttemptFails)]);
    assert_eq!(c.state, TcpState::Close);
    assert_eq!(c.take_error(), Some(Errno::ECONNREFUSED));

    // A SYN-ACK acknowledging something else: reset, still waiting.
    let mut c = TcpSock::new();
    c.connect(ms(0), &NET, C, S, C_ISS, C_TSO);
    let a = c.process(ms(1), &NET, &bare(S, C, 77, 999, SYN | ACK));
    assert_eq!(c.state, TcpState::SynSent);
    let r = seg(&a, 0);
    assert_eq!((r.src, r.dst), (C, S));
    assert_eq!((r.seq, r.ack, r.flags), (999, 0, RST));
}

#[test]
fn abort_and_close_with_unread_data_send_rst() {
    let (mut c, mut s) = established();
    let a = c.abort(ms(10), &NET);
    assert!(a.release);
    let r = seg(&a, 0);
    assert_eq!((r.seq, r.ack, r.flags), (1001, 5001, RST | ACK));
    assert!(r.sk_owner);
    assert_eq!(r.opts.bytes(), ts_opt(17, 10));

    let b = s.process(ms(11), &NET, &wire(&a, 0).seg());
    assert_eq!(s.state, TcpState::Close);
    assert_eq!(b.events.error, Some(Errno::ECONNRESET));

    let (mut c, mut s) = established();
    let a = c.send(ms(10), &NET, b"unread").unwrap();
    s.process(ms(11), &NET, &wire(&a, 0).seg());
    let b = s.close(ms(12), &NET);
    assert!(b.release);
    let r = seg(&b, 0);
    assert_eq!((r.seq, r.ack, r.flags), (5001, 1007, RST | ACK));
}

#[test]
fn a_listener_answers_syns_and_resets_acks() {
    let mut l = listener();
    let mut c = TcpSock::new();
    let w = wire(&c.connect(ms(0), &NET, C, S, C_ISS, C_TSO), 0);
    let syn = w.seg();
    assert_eq!(l.listen_rcv(&syn), ListenRcv::Request);
    let mut other = syn.clone();
    other.flags = ACK;
    assert_eq!(l.listen_rcv(&other), ListenRcv::Reset);
    let r = reset_for(&other).unwrap();
    assert_eq!((r.seq, r.ack, r.flags), (0, 0, RST));
    other.flags = RST | ACK;
    assert_eq!(l.listen_rcv(&other), ListenRcv::Ignore);
    assert_eq!(reset_for(&other), None, "never a RST for a RST");
    other.flags = FIN;
    assert_eq!(l.listen_rcv(&other), ListenRcv::Ignore);
    // A backlog of 1 still takes a SYN with one child waiting
    // (sk_acceptq_is_full() compares with `>`), not with two.
    l.accept_queue.push_back(4);
    assert_eq!(l.listen_rcv(&syn), ListenRcv::Request);
    l.accept_queue.push_back(5);
    assert_eq!(l.listen_rcv(&syn), ListenRcv::Overflow);
}

#[test]
fn a_syn_recv_child_retransmits_its_syn_ack_and_dies_of_a_rst() {
    let mut c = TcpSock::new();
    let w = wire(&c.connect(ms(0), &NET, C, S, C_ISS, C_TSO), 0);
    let (mut s, _) = listener().conn_request(ms(1), &NET, &w.seg(), 3, S_ISS, S_TSO);
    let b = s.on_timeout(ms(1001), &NET);
    let sa = seg(&b, 0);
    assert_eq!((sa.seq, sa.ack, sa.flags), (5000, 1001, SYN | ACK));
    assert_eq!(timers(&b), [ms(3001)]);
    let b = s.process(ms(1002), &NET, &bare(C, S, 1001, 0, RST));
    assert!(b.release && b.list().is_empty());
}

#[test]
fn a_bulk_transfer_between_two_machines() {
    let (mut c, mut s) = established();
    let data: Vec<u8> = (0..50_000u32).map(|i| (i * 13) as u8).collect();
    let mut now = ms(10);
    let a = c.send(now, &NET, &data).unwrap();
    // The first flight: the initial window of ten full segments, timed from the first.
    assert_eq!(a.segments().count(), 10);
    assert!(a.segments().all(|s| s.data_len() == 1448));
    assert_eq!(timers(&a), [now + ms(202)]);
    let mut to_s: Vec<Wire> = (0..10).map(|i| wire(&a, i)).collect();
    let mut got = Vec::new();
    let mut flights = 0;
    while !to_s.is_empty() {
        flights += 1;
        now = now + ms(1);
        let mut to_c = Vec::new();
        for w in to_s.drain(..) {
            let b = s.process(now, &NET, &w.seg());
            to_c.extend((0..b.segments().count()).map(|i| wire(&b, i)));
        }
        while let Ok(Read::Data(d)) = s.recv(1 << 20) {
            got.extend(d);
        }
        now = now + ms(1);
        for w in to_c {
            let a = c.process(now, &NET, &w.seg());
            to_s.extend((0..a.segments().count()).map(|i| wire(&a, i)));
        }
        assert!(flights < 100);
    }
    assert!(got == data);
    assert_eq!(c.snd_una, 1001 + 50_000);
    assert_eq!(s.rcv_nxt, 1001 + 50_000);
    assert!(c.snd_buf.is_empty());
    assert_eq!(c.poll_at(), None);
}
