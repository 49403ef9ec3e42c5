//! TCP (net/ipv4/tcp_input.c, tcp_output.c, tcp_timer.c, tcp_ipv4.c), as
//! much as programs like nc observe: the three-way handshake with the SYN
//! options Linux sends, in-order data both ways, the FIN handshake and
//! TIME_WAIT, RST for closed ports and aborts, and retransmission with an
//! exponentially backed-off RTO.
//!
//! Two layers. `TcpSock` is one connection as a sans-IO state machine
//! (smoltcp's process/dispatch, quinn-proto's handle_timeout/poll_timeout):
//! each call — `process` for a segment, `on_timeout`, `send`, `close`... —
//! changes its sequence space, windows and state, and returns `Actions`:
//! the segments to transmit, timers to arm, counters to bump and events, in
//! the order the kernel would do them. It reads the namespace only through
//! `Env` (the route's MTU, a sysctl), so it runs without a `World`. The
//! `impl World` glue at the bottom finds the socket, runs the machine, and
//! carries out the actions (ip_local_out, the timer event, freeing the
//! socket); it also keeps what spans sockets: ports, listeners and their
//! accept queues, the lookup of a segment's socket.
//!
//! Read RFC 9293 §3.10 (the event processing) first; the states carry the
//! kernel's names and `/proc/net/tcp` numbers. Simplifications, each
//! invisible to a capture of small transfers: out-of-order segments are
//! dropped (and re-ACKed) rather than queued, loss recovery is go-back-N
//! from the RTO only, and the receive window is constant (the initial one).

use crate::error::{Errno, KResult};
use crate::flow::Flowi4;
use crate::netfilter::hook::Skb;
use crate::snmp::Mib;
use crate::sock::{SockKind, Socket};
use crate::types::{NsId, Time};
use crate::wire::checksum::l4_checksum;
use crate::world::{Event, World};
use flags::*;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::ops::Range;

pub const IPPROTO_TCP: u8 = 6;

/// TCP flags (the header's byte 13).
pub mod flags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
}

/// TCP_TIMEOUT_INIT: the RTO before any RTT sample (RFC 6298 §2.1).
pub const TCP_TIMEOUT_INIT: Time = Time::from_secs(1);
/// TCP_RTO_MIN and TCP_RTO_MAX.
pub const TCP_RTO_MIN: Time = Time::from_millis(200);
pub const TCP_RTO_MAX: Time = Time::from_secs(120);
/// TCP_TIMEWAIT_LEN.
pub const TCP_TIMEWAIT_LEN: Time = Time::from_secs(60);
/// TCP_DELACK_MIN: how long an ACK may wait for data to ride on.
pub const TCP_DELACK_MIN: Time = Time::from_millis(40);
/// net.ipv4.tcp_retries2.
pub const TCP_RETRIES2: u32 = 15;
/// The receive-window scale Linux offers: tcp_select_initial_window() for
/// `net.ipv4.tcp_rmem[2]` = 32 MiB (the default since 6.x).
pub const RCV_WSCALE: u8 = 10;
/// The initial congestion window in segments (TCP_INIT_CWND).
pub const TCP_INIT_CWND: u32 = 10;
/// TCPOLEN_TSTAMP_ALIGNED: room the timestamp option takes in each segment.
const TS_ALIGNED: u16 = 12;

/// The states, numbered as in include/net/tcp_states.h (`/proc/net/tcp`'s `st`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TcpState {
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
}

/// What a read returns (recv(2): data, 0 for end of stream, or EAGAIN).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Read {
    Data(Vec<u8>),
    Eof,
    WouldBlock,
}

// ---- segments in and out ----------------------------------------------------

/// A received segment, parsed (tcp_parse_options() included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seg<'a> {
    pub src: SocketAddrV4,
    pub dst: SocketAddrV4,
    pub seq: u32,
    pub ack: u32,
    pub flags: u8,
    pub wnd: u16,
    pub mss: Option<u16>,
    pub wscale: Option<u8>,
    pub sack_ok: bool,
    /// TSval and TSecr.
    pub ts: Option<(u32, u32)>,
    pub data: &'a [u8],
}

impl<'a> Seg<'a> {
    /// SEG.LEN: data plus one for each of SYN and FIN.
    pub fn len(&self) -> u32 {
        self.data.len() as u32 + u32::from(self.flags & SYN != 0) + u32::from(self.flags & FIN != 0)
    }

    /// Whether SEG.LEN is 0 (a bare ACK or RST).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The TCP segment of an IPv4 packet whose header is `ihl` bytes.
    pub fn parse(pkt: &'a [u8], ihl: usize) -> Option<Seg<'a>> {
        let t = pkt.get(ihl..)?;
        let ip = |i: usize| {
            pkt.get(i..i + 4)
                .map(|b| Ipv4Addr::new(b[0], b[1], b[2], b[3]))
        };
        Seg::from_tcp(ip(12)?, ip(16)?, t)
    }

    /// A TCP header and its data, between `src` and `dst`.
    pub fn from_tcp(src: Ipv4Addr, dst: Ipv4Addr, t: &'a [u8]) -> Option<Seg<'a>> {
        if t.len() < 20 {
            return None;
        }
        let doff = ((t[12] >> 4) as usize) * 4;
        if doff < 20 || doff > t.len() {
            return None;
        }
        let mut seg = Seg {
            src: SocketAddrV4::new(src, u16::from_be_bytes([t[0], t[1]])),
            dst: SocketAddrV4::new(dst, u16::from_be_bytes([t[2], t[3]])),
            seq: u32::from_be_bytes([t[4], t[5], t[6], t[7]]),
            ack: u32::from_be_bytes([t[8], t[9], t[10], t[11]]),
            flags: t[13],
            wnd: u16::from_be_bytes([t[14], t[15]]),
            mss: None,
            wscale: None,
            sack_ok: false,
            ts: None,
            data: &t[doff..],
        };
        // tcp_parse_options(): unknown kinds are skipped by their length.
        let mut o = &t[20..doff];
        while let Some(&kind) = o.first() {
            match kind {
                0 => break,
                1 => o = &o[1..],
                _ => {
                    let Some(&len) = o.get(1) else { break };
                    let len = len as usize;
                    if len < 2 || len > o.len() {
                        break;
                    }
                    let v = &o[2..len];
                    match (kind, len) {
                        (2, 4) => seg.mss = Some(u16::from_be_bytes([v[0], v[1]])),
                        (3, 3) => seg.wscale = Some(v[0].min(14)),
                        (4, 2) => seg.sack_ok = true,
                        (8, 10) => {
                            seg.ts = Some((
                                u32::from_be_bytes([v[0], v[1], v[2], v[3]]),
                                u32::from_be_bytes([v[4], v[5], v[6], v[7]]),
                            ))
                        }
                        _ => {}
                    }
                    o = &o[len..];
                }
            }
        }
        Some(seg)
    }
}

/// `a < b` in sequence space.
fn before(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// TCP options being written (at most 40 bytes), on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Opts {
    b: [u8; 40],
    n: usize,
}

impl Default for Opts {
    fn default() -> Opts {
        Opts { b: [0; 40], n: 0 }
    }
}

impl std::fmt::Debug for Opts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.bytes().fmt(f)
    }
}

impl Opts {
    fn extend_from_slice(&mut self, v: &[u8]) {
        self.b[self.n..self.n + v.len()].copy_from_slice(v);
        self.n += v.len();
    }
    /// The options as written (tcp_options_write()), before padding.
    pub fn bytes(&self) -> &[u8] {
        &self.b[..self.n]
    }
}

/// A segment to transmit: what tcp_transmit_skb() (or, for a RST, the
/// reply path of tcp_v4_send_reset) hands to IP. Its payload is held by
/// the `Actions` it came in (`Actions::payload`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub src: SocketAddrV4,
    pub dst: SocketAddrV4,
    pub seq: u32,
    pub ack: u32,
    pub flags: u8,
    pub wnd: u16,
    pub opts: Opts,
    /// Sent by a full socket (skb->sk set, which LOG --log-uid shows): not
    /// a SYN-ACK, which the request sock sends, nor a RST from the
    /// namespace's control socket.
    pub sk_owner: bool,
    data: Range<usize>,
}

impl Segment {
    /// The payload's length.
    pub fn data_len(&self) -> usize {
        self.data.len()
    }

    /// Writes the segment into `s`: header, options (padded to 32 bits),
    /// `payload`, checksum.
    pub fn emit(&self, payload: &[u8], s: &mut Vec<u8>) {
        let opts = self.opts.bytes();
        let olen = opts.len().div_ceil(4) * 4;
        s.clear();
        s.extend_from_slice(&self.src.port().to_be_bytes());
        s.extend_from_slice(&self.dst.port().to_be_bytes());
        s.extend_from_slice(&self.seq.to_be_bytes());
        s.extend_from_slice(&self.ack.to_be_bytes());
        s.push((((20 + olen) / 4) as u8) << 4);
        s.push(self.flags);
        s.extend_from_slice(&self.wnd.to_be_bytes());
        s.extend_from_slice(&[0, 0, 0, 0]);
        s.extend_from_slice(opts);
        s.resize(20 + olen, 0);
        s.extend_from_slice(payload);
        let ck = l4_checksum(*self.src.ip(), *self.dst.ip(), IPPROTO_TCP, s);
        s[16..18].copy_from_slice(&ck.to_be_bytes());
    }
}

/// tcp_v4_send_reset(): RST|ACK acknowledging a segment that had no ACK,
/// else a bare RST at the sequence it acknowledged; never for a RST. It
/// comes from the namespace's control socket, not from any connection.
pub fn reset_for(seg: &Seg) -> Option<Segment> {
    if seg.flags & RST != 0 {
        return None;
    }
    let (seq, ack, flags) = if seg.flags & ACK != 0 {
        (seg.ack, 0, RST)
    } else {
        (0, seg.seq.wrapping_add(seg.len()), RST | ACK)
    };
    Some(Segment {
        src: seg.dst,
        dst: seg.src,
        seq,
        ack,
        flags,
        wnd: 0,
        opts: Opts::default(),
        sk_owner: false,
        data: 0..0,
    })
}

// ---- what the machine asks for ----------------------------------------------

/// One thing a call asks the host to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Transmit a segment (ip_queue_xmit). The host counts TcpOutSegs, and
    /// TcpOutRsts for a RST, as tcp_transmit_skb() and the reset paths do.
    Send(Segment),
    /// sk_reset_timer(): run `on_timeout` at this time. Earlier deadlines
    /// are not cancelled: `on_timeout` acts only on what is due.
    Timer(Time),
    /// Bump a counter of the namespace.
    Count(Mib),
}

/// What a call changed that a program waiting on the socket would be woken
/// for (sk_state_change, sk_data_ready, sk_error_report).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Events {
    /// The handshake completed: ESTABLISHED.
    pub connected: bool,
    /// Data or the peer's FIN arrived.
    pub readable: bool,
    /// The connection reached CLOSE (tcp_done).
    pub closed: bool,
    /// The error it ended with (sk_err), if any.
    pub error: Option<Errno>,
}

/// What a call asks for, in the order the kernel does it.
#[derive(Clone, Debug, Default)]
pub struct Actions {
    list: Vec<Action>,
    payload: Vec<u8>,
    pub events: Events,
    /// inet_csk_destroy_sock(): the connection is over and no program
    /// holds it (or it never was one, or it was aborted): free the socket.
    pub release: bool,
}

impl Actions {
    /// The actions, in order.
    pub fn list(&self) -> &[Action] {
        &self.list
    }

    /// The segments to transmit, in order.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.list.iter().filter_map(|a| match a {
            Action::Send(s) => Some(s),
            _ => None,
        })
    }

    /// The timers to arm, in order.
    pub fn timers(&self) -> impl Iterator<Item = Time> + '_ {
        self.list.iter().filter_map(|a| match a {
            Action::Timer(t) => Some(*t),
            _ => None,
        })
    }

    /// The data a segment of these actions carries.
    pub fn payload(&self, s: &Segment) -> &[u8] {
        &self.payload[s.data.clone()]
    }

    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && !self.release && self.events == Events::default()
    }

    fn count(&mut self, m: Mib) {
        self.list.push(Action::Count(m));
    }
}

/// What a connection reads from the namespace it lives in (smoltcp's
/// `Context`), asked only when needed.
pub trait Env {
    /// The MTU of the route from `local` to `remote`, 1500 without one. The
    /// MSS a SYN announces is read from it each time one is sent, as
    /// tcp_advertise_mss() reads the dst.
    fn mtu(&self, local: Ipv4Addr, remote: Ipv4Addr) -> u32;
    /// net.ipv4.tcp_syn_retries, at least 1.
    fn syn_retries(&self) -> u32;
}

/// What a listener does with a segment (tcp_rcv_state_process() in LISTEN).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListenRcv {
    /// Nothing: a RST, or neither SYN nor ACK.
    Ignore,
    /// An ACK for no connection: answer with `reset_for`.
    Reset,
    /// sk_acceptq_is_full(): the SYN is dropped (TcpListenDrops).
    Overflow,
    /// A SYN to answer: make the child with `conn_request`.
    Request,
}

// ---- the connection ---------------------------------------------------------

/// One socket (struct tcp_sock). The glue sets what the socket layer owns
/// (the bound address, SO_REUSEADDR, a listener's accept queue); the
/// state machine's calls change the rest.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TcpSock {
    pub state: TcpState,
    pub local: SocketAddrV4,
    pub remote: SocketAddrV4,
    pub reuse: bool,
    /// Whether a program still holds the socket (false once closed: an
    /// orphan finishing its FIN handshake, or in TIME_WAIT).
    pub user: bool,
    /// Listening: max_ack_backlog, and children (SYN_RECV or established, not yet accepted).
    pub backlog: u32,
    pub accept_queue: VecDeque<usize>,
    /// A child's listener.
    pub parent: Option<usize>,
    // Send side (RFC 9293 names).
    pub iss: u32,
    pub snd_una: u32,
    pub snd_nxt: u32,
    /// Peer's window in bytes (already scaled).
    pub snd_wnd: u32,
    pub snd_wscale: u8,
    /// Peer's MSS less the timestamp option: the payload of a full segment.
    pub mss: u16,
    pub cwnd: u32,
    /// Bytes from snd_una on: sent-unacknowledged, then unsent.
    pub snd_buf: VecDeque<u8>,
    /// shutdown(SHUT_WR) or close() asked for a FIN; whether it went out.
    pub fin_queued: bool,
    pub fin_sent: bool,
    // Receive side.
    pub irs: u32,
    pub rcv_nxt: u32,
    /// Our window in bytes, and the scale we announced.
    pub rcv_wnd: u32,
    pub rcv_wscale: u8,
    pub rcv_buf: VecDeque<u8>,
    pub rcv_fin: bool,
    /// shutdown(SHUT_RD): data arriving later is dropped.
    pub rcv_shut: bool,
    // Timestamps (RFC 7323): options agreed, our random offset, the peer's last value.
    pub ts_ok: bool,
    pub sack_ok: bool,
    pub ts_offset: u32,
    pub ts_recent: u32,
    // Timers.
    pub rto: Time,
    pub rto_at: Option<Time>,
    pub retries: u32,
    pub delack_at: Option<Time>,
    pub tw_at: Option<Time>,
    /// When the first unacknowledged segment was sent (an RTT sample).
    pub rtt_start: Option<Time>,
    /// sk_err (reported once) and sk_err_soft (reported on timeout).
    pub err: Option<Errno>,
    pub soft_err: Option<Errno>,
    /// The emptied `Actions` of an earlier call, handed back by the host
    /// (`recycle`) so that a segment's path does not allocate. Not state.
    #[serde(skip)]
    spare: Actions,
}

impl Default for TcpSock {
    fn default() -> TcpSock {
        TcpSock::new()
    }
}

impl TcpSock {
    /// A socket in CLOSE, as socket() makes it.
    pub fn new() -> TcpSock {
        TcpSock {
            state: TcpState::Close,
            local: SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0),
            remote: SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0),
            reuse: false,
            user: true,
            backlog: 0,
            accept_queue: VecDeque::new(),
            parent: None,
            iss: 0,
            snd_una: 0,
            snd_nxt: 0,
            snd_wnd: 0,
            snd_wscale: 0,
            mss: 536,
            cwnd: TCP_INIT_CWND,
            snd_buf: VecDeque::new(),
            fin_queued: false,
            fin_sent: false,
            irs: 0,
            rcv_nxt: 0,
            rcv_wnd: 0,
            rcv_wscale: RCV_WSCALE,
            rcv_buf: VecDeque::new(),
            rcv_fin: false,
            rcv_shut: false,
            ts_ok: false,
            sack_ok: false,
            ts_offset: 0,
            ts_recent: 0,
            rto: TCP_TIMEOUT_INIT,
            rto_at: None,
            retries: 0,
            delack_at: None,
            tw_at: None,
            rtt_start: None,
            err: None,
            soft_err: None,
            spare: Actions::default(),
        }
    }

    /// Whether this socket owns a segment from `src` to `dst` (an exact
    /// four-tuple, or a listener's local address).
    fn matches(&self, src: SocketAddrV4, dst: SocketAddrV4) -> bool {
        if self.local.port() != dst.port() {
            return false;
        }
        if self.state == TcpState::Listen {
            return self.local.ip().is_unspecified() || *self.local.ip() == *dst.ip();
        }
        self.state != TcpState::Close && self.local == dst && self.remote == src
    }

    /// The window field: the receive window scaled down (rounded up, as
    /// tcp_select_window() aligns it), unscaled on SYNs.
    fn wnd_field(&self, syn: bool) -> u16 {
        if syn {
            self.rcv_wnd.min(65535) as u16
        } else {
            self.rcv_wnd.div_ceil(1 << self.rcv_wscale).min(65535) as u16
        }
    }

    /// Bytes sent and not yet acknowledged (the FIN excluded).
    fn in_flight(&self) -> u32 {
        let f = self.snd_nxt.wrapping_sub(self.snd_una);
        f - u32::from(self.fin_sent && f > 0)
    }

    /// The next deadline among the retransmission, delayed-ACK and
    /// TIME_WAIT timers (quinn's poll_timeout), None when none is set.
    pub fn poll_at(&self) -> Option<Time> {
        [self.rto_at, self.delack_at, self.tw_at]
            .into_iter()
            .flatten()
            .min()
    }

    /// The actions of a new call, in the storage of an earlier one.
    fn actions(&mut self) -> Actions {
        std::mem::take(&mut self.spare)
    }

    /// Takes back a call's actions once done, to reuse their storage.
    pub fn recycle(&mut self, mut a: Actions) {
        a.list.clear();
        a.payload.clear();
        // A burst's worth at most (the windows here are 64 KiB).
        a.payload.shrink_to(1 << 16);
        a.events = Events::default();
        a.release = false;
        self.spare = a;
    }

    // ---- the calls --------------------------------------------------------

    /// tcp_connect() once the host has routed and bound (`local`: the
    /// source address and port): SYN_SENT, the SYN, its timer.
    pub fn connect(
        &mut self,
        now: Time,
        env: &impl Env,
        local: SocketAddrV4,
        remote: SocketAddrV4,
        iss: u32,
        ts_offset: u32,
    ) -> Actions {
        debug_assert_eq!(self.state, TcpState::Close);
        let mut a = self.actions();
        self.local = local;
        self.remote = remote;
        self.iss = iss;
        self.snd_una = iss;
        self.snd_nxt = iss.wrapping_add(1);
        self.ts_offset = ts_offset;
        // tcp_select_initial_window(): the largest multiple of the MSS we
        // announce (no timestamp room known yet) that fits 64 KiB.
        let advmss = env
            .mtu(*local.ip(), *remote.ip())
            .saturating_sub(40)
            .min(65495);
        self.rcv_wnd = 65535 / advmss * advmss;
        self.state = TcpState::SynSent;
        self.rto = TCP_TIMEOUT_INIT;
        self.retries = 0;
        self.send_syn(now, env, &mut a);
        self.arm_rto(now, &mut a);
        a
    }

    /// inet_csk_listen_start(): the host has checked the port.
    pub fn listen(&mut self, backlog: u32) {
        self.state = TcpState::Listen;
        self.backlog = backlog;
    }

    /// A listener's verdict on a segment; a SYN it takes is answered by
    /// `conn_request`.
    pub fn listen_rcv(&self, seg: &Seg) -> ListenRcv {
        debug_assert_eq!(self.state, TcpState::Listen);
        if seg.flags & RST != 0 {
            return ListenRcv::Ignore;
        }
        if seg.flags & ACK != 0 {
            return ListenRcv::Reset;
        }
        if seg.flags & SYN == 0 {
            return ListenRcv::Ignore;
        }
        // sk_acceptq_is_full(): more than `backlog` waiting drops the SYN.
        if self.accept_queue.len() as u32 > self.backlog {
            return ListenRcv::Overflow;
        }
        ListenRcv::Request
    }

    /// tcp_conn_request(): the SYN_RECV child a SYN makes of this listener
    /// (`parent`: the listener's socket id), and its SYN-ACK.
    pub fn conn_request(
        &self,
        now: Time,
        env: &impl Env,
        seg: &Seg,
        parent: usize,
        iss: u32,
        ts_offset: u32,
    ) -> (TcpSock, Actions) {
        let mtu = env.mtu(*seg.dst.ip(), *seg.src.ip());
        let mut c = TcpSock::new();
        c.state = TcpState::SynRecv;
        c.local = seg.dst;
        c.remote = seg.src;
        c.reuse = self.reuse;
        c.user = false;
        c.parent = Some(parent);
        c.iss = iss;
        c.snd_una = iss;
        c.snd_nxt = iss.wrapping_add(1);
        c.ts_offset = ts_offset;
        c.synopts(seg, mtu);
        c.irs = seg.seq;
        c.rcv_nxt = seg.seq.wrapping_add(1);
        let mut a = Actions::default();
        c.send_syn(now, env, &mut a);
        c.arm_rto(now, &mut a);
        (c, a)
    }

    /// tcp_rcv_state_process(): a segment for this connection (a
    /// listener's go to `listen_rcv`).
    pub fn process(&mut self, now: Time, env: &impl Env, seg: &Seg) -> Actions {
        debug_assert_ne!(self.state, TcpState::Listen, "see listen_rcv");
        let mut a = self.actions();
        if self.state == TcpState::SynSent {
            self.rcv_synsent(now, env, seg, &mut a);
        } else {
            self.rcv_established(now, env, seg, &mut a);
        }
        a
    }

    /// The timers (tcp_write_timer, tcp_delack_timer, the TIME_WAIT
    /// timer): whichever deadlines are due; none, if woken early.
    pub fn on_timeout(&mut self, now: Time, env: &impl Env) -> Actions {
        let mut a = self.actions();
        if self.tw_at.is_some_and(|at| at <= now) {
            self.tw_at = None;
            self.done(&mut a, None);
            return a;
        }
        if self.delack_at.is_some_and(|at| at <= now) {
            self.send_ack(now, env, &mut a);
        }
        if self.rto_at.is_some_and(|at| at <= now) {
            self.retransmit_timer(now, env, &mut a);
        }
        a
    }

    /// tcp_sendmsg(): queues and transmits what the windows allow.
    pub fn send(&mut self, now: Time, env: &impl Env, data: &[u8]) -> Result<Actions, Errno> {
        if let Some(e) = self.err.take() {
            return Err(e);
        }
        match self.state {
            TcpState::Established | TcpState::CloseWait if !self.fin_queued => {}
            TcpState::SynSent | TcpState::SynRecv => return Err(Errno::EINPROGRESS),
            TcpState::Close | TcpState::Listen => return Err(Errno::ENOTCONN),
            _ => return Err(Errno::EPIPE),
        }
        let mut a = self.actions();
        self.snd_buf.extend(data);
        self.write_xmit(now, env, &mut a);
        Ok(a)
    }

    /// tcp_recvmsg(): what has arrived in order. The window stays constant,
    /// so reading sends nothing.
    pub fn recv(&mut self, max: usize) -> Result<Read, Errno> {
        if !self.rcv_buf.is_empty() {
            let n = max.min(self.rcv_buf.len());
            return Ok(Read::Data(self.rcv_buf.drain(..n).collect()));
        }
        if let Some(e) = self.err.take() {
            return Err(e);
        }
        Ok(match self.state {
            _ if self.rcv_fin || self.rcv_shut => Read::Eof,
            TcpState::Close => Read::Eof,
            TcpState::Listen => return Err(Errno::ENOTCONN),
            _ => Read::WouldBlock,
        })
    }

    /// getsockopt(SO_ERROR): the pending error, cleared.
    pub fn take_error(&mut self) -> Option<Errno> {
        self.err.take()
    }

    /// shutdown(SHUT_RD): later reads see end of stream.
    pub fn shutdown_rd(&mut self) {
        self.rcv_shut = true;
        self.rcv_buf.clear();
    }

    /// shutdown(SHUT_WR): a FIN after the queued data (tcp_shutdown()).
    pub fn shutdown_wr(&mut self, now: Time, env: &impl Env) -> Result<Actions, Errno> {
        let mut a = self.actions();
        match self.shutdown_wr_into(now, env, &mut a) {
            Ok(()) => Ok(a),
            Err(e) => {
                self.spare = a;
                Err(e)
            }
        }
    }

    fn shutdown_wr_into(
        &mut self,
        now: Time,
        env: &impl Env,
        a: &mut Actions,
    ) -> Result<(), Errno> {
        match self.state {
            TcpState::Established => self.state = TcpState::FinWait1,
            TcpState::CloseWait => self.state = TcpState::LastAck,
            TcpState::SynSent | TcpState::Close | TcpState::Listen => return Err(Errno::ENOTCONN),
            _ => return Ok(()),
        }
        self.fin_queued = true;
        self.write_xmit(now, env, a);
        Ok(())
    }

    /// tcp_close(): the program lets go. Unread data makes it an abort
    /// (RST); otherwise a FIN, and the kernel finishes alone. A listener is
    /// freed at once; the host resets its children first
    /// (inet_csk_listen_stop).
    pub fn close(&mut self, now: Time, env: &impl Env) -> Actions {
        let mut a = self.actions();
        match self.state {
            TcpState::Listen | TcpState::Close | TcpState::SynSent => a.release = true,
            _ if !self.rcv_buf.is_empty() => self.abort_into(now, env, &mut a),
            TcpState::Established | TcpState::CloseWait | TcpState::SynRecv => {
                let _ = self.shutdown_wr_into(now, env, &mut a);
                self.user = false;
            }
            _ => self.user = false,
        }
        a
    }

    /// tcp_abort() (SO_LINGER 0, or close with unread data): RST to the
    /// peer of a synchronized connection, and the socket is freed.
    pub fn abort(&mut self, now: Time, env: &impl Env) -> Actions {
        let mut a = self.actions();
        self.abort_into(now, env, &mut a);
        a
    }

    fn abort_into(&mut self, now: Time, env: &impl Env, a: &mut Actions) {
        if matches!(
            self.state,
            TcpState::Established
                | TcpState::SynRecv
                | TcpState::FinWait1
                | TcpState::FinWait2
                | TcpState::CloseWait
                | TcpState::Closing
                | TcpState::LastAck
        ) {
            // tcp_send_active_reset().
            self.xmit(now, env, a, RST | ACK, self.snd_nxt, 0..0);
        }
        a.release = true;
    }

    /// tcp_v4_err(): an ICMP error about a segment we sent. During the
    /// handshake it ends the connection with that error; later it is only
    /// remembered (sk_err_soft), reported if the connection times out.
    pub fn icmp_error(&mut self, err: Errno) -> Actions {
        let mut a = self.actions();
        match self.state {
            TcpState::SynSent => {
                a.count(Mib::TcpAttemptFails);
                self.done(&mut a, Some(err));
            }
            // inet_csk_reqsk_queue_drop(): the request goes, silently.
            TcpState::SynRecv => a.release = true,
            _ => self.soft_err = Some(err),
        }
        a
    }

    // ---- input ------------------------------------------------------------

    /// tcp_rcv_state_process() past LISTEN and SYN_SENT.
    fn rcv_established(&mut self, now: Time, env: &impl Env, seg: &Seg, a: &mut Actions) {
        let state = self.state;
        // RFC 9293 §3.10.7.4: first the sequence number must be acceptable.
        let in_window = seg.seq == self.rcv_nxt
            || (before(seg.seq, self.rcv_nxt)
                && before(self.rcv_nxt, seg.seq.wrapping_add(seg.len().max(1))));
        if seg.flags & RST != 0 {
            // tcp_reset(): only at exactly rcv_nxt (RFC 5961 §3.2).
            if seg.seq == self.rcv_nxt || state == TcpState::SynRecv {
                let e = match state {
                    TcpState::SynRecv | TcpState::TimeWait => None,
                    TcpState::CloseWait | TcpState::LastAck | TcpState::Closing => {
                        Some(Errno::EPIPE)
                    }
                    _ => Some(Errno::ECONNRESET),
                };
                if matches!(state, TcpState::Established | TcpState::CloseWait) {
                    a.count(Mib::TcpEstabResets);
                }
                if state == TcpState::TimeWait || state == TcpState::SynRecv {
                    a.release = true;
                } else {
                    self.done(a, e);
                }
            }
            return;
        }
        if !in_window {
            // A duplicate (a retransmission we already have) or beyond the
            // window: acknowledge what we expect (tcp_send_dupack).
            if !seg.is_empty() {
                self.send_ack(now, env, a);
            }
            return;
        }
        if seg.flags & SYN != 0 && state != TcpState::SynRecv {
            // A SYN in the window: the peer lost the connection (RFC 5961 challenge ACK).
            self.send_ack(now, env, a);
            return;
        }
        if seg.flags & ACK == 0 {
            return;
        }
        if let Some((v, _)) = seg.ts {
            self.ts_recent = v;
        }
        // tcp_ack().
        if state == TcpState::SynRecv {
            if seg.ack != self.snd_nxt {
                a.list.extend(reset_for(seg).map(Action::Send));
                return;
            }
            self.state = TcpState::Established;
            self.snd_una = seg.ack;
            self.retries = 0;
            self.rto_at = None;
            self.snd_wnd = (seg.wnd as u32) << self.snd_wscale;
            if let Some(s) = self.rtt_start.take() {
                self.rto = TCP_RTO_MIN + now.saturating_sub(s);
            }
            a.events.connected = true;
        } else if before(self.snd_una, seg.ack) && !before(self.snd_nxt, seg.ack) {
            let acked = seg.ack.wrapping_sub(self.snd_una);
            let fin_acked = self.fin_sent && seg.ack == self.snd_nxt;
            let data_acked = (acked - u32::from(fin_acked)) as usize;
            self.snd_buf.drain(..data_acked.min(self.snd_buf.len()));
            self.snd_una = seg.ack;
            self.retries = 0;
            self.rto_at = None;
            self.cwnd = (self.cwnd + 1).min(1 << 16);
            if let Some(s) = self.rtt_start.take() {
                self.rto = TCP_RTO_MIN + now.saturating_sub(s);
            }
            self.snd_wnd = (seg.wnd as u32) << self.snd_wscale;
            if fin_acked {
                match self.state {
                    TcpState::FinWait1 => self.state = TcpState::FinWait2,
                    TcpState::Closing => {
                        self.state = TcpState::TimeWait;
                        self.tw_at = Some(now + TCP_TIMEWAIT_LEN);
                        a.list.push(Action::Timer(now + TCP_TIMEWAIT_LEN));
                    }
                    TcpState::LastAck => {
                        self.done(a, None);
                        return;
                    }
                    _ => {}
                }
            }
        } else if seg.ack == self.snd_una {
            self.snd_wnd = (seg.wnd as u32) << self.snd_wscale;
        }
        if self.snd_una != self.snd_nxt && self.rto_at.is_none() {
            self.arm_rto(now, a);
        }
        // tcp_data_queue(): only the part beyond what we already have.
        let skip = self.rcv_nxt.wrapping_sub(seg.seq) as usize;
        let mut got = false;
        if seg.data.len() > skip
            && matches!(
                self.state,
                TcpState::Established | TcpState::FinWait1 | TcpState::FinWait2
            )
        {
            let d = &seg.data[skip..];
            if !self.rcv_shut {
                self.rcv_buf.extend(d);
                a.events.readable = true;
            }
            self.rcv_nxt = self.rcv_nxt.wrapping_add(d.len() as u32);
            got = true;
        }
        // tcp_fin(), once everything before the FIN has arrived.
        let fin_seq = seg.seq.wrapping_add(seg.data.len() as u32);
        let mut fin = false;
        if seg.flags & FIN != 0 && fin_seq == self.rcv_nxt && !self.rcv_fin {
            self.rcv_nxt = self.rcv_nxt.wrapping_add(1);
            self.rcv_fin = true;
            a.events.readable = true;
            fin = true;
            match self.state {
                TcpState::SynRecv | TcpState::Established => self.state = TcpState::CloseWait,
                TcpState::FinWait1 => self.state = TcpState::Closing,
                TcpState::FinWait2 => {
                    self.state = TcpState::TimeWait;
                    self.tw_at = Some(now + TCP_TIMEWAIT_LEN);
                    self.rto_at = None;
                    a.list.push(Action::Timer(now + TCP_TIMEWAIT_LEN));
                }
                _ => {}
            }
        } else if seg.flags & FIN != 0 && self.state == TcpState::TimeWait {
            // A retransmitted FIN: our last ACK was lost; restart TIME_WAIT.
            self.tw_at = Some(now + TCP_TIMEWAIT_LEN);
            a.list.push(Action::Timer(now + TCP_TIMEWAIT_LEN));
            self.send_ack(now, env, a);
            return;
        }
        if got || (fin && self.state != TcpState::CloseWait) {
            // Quick ACK: the first segments of a connection are acknowledged at once.
            self.send_ack(now, env, a);
        } else if fin {
            // tcp_fin() enters pingpong mode: the ACK waits for our answer
            // (nc's close) to ride on, or for the delayed-ACK timer.
            let at = now + TCP_DELACK_MIN;
            self.delack_at = Some(at);
            a.list.push(Action::Timer(at));
        }
        self.write_xmit(now, env, a);
    }

    /// tcp_rcv_synsent_state_process(): the answer to our SYN.
    fn rcv_synsent(&mut self, now: Time, env: &impl Env, seg: &Seg, a: &mut Actions) {
        let ack_ok = seg.flags & ACK != 0 && seg.ack == self.snd_nxt;
        if seg.flags & ACK != 0 && !ack_ok {
            a.list.extend(reset_for(seg).map(Action::Send));
            return;
        }
        if seg.flags & RST != 0 {
            if ack_ok {
                a.count(Mib::TcpAttemptFails);
                self.done(a, Some(Errno::ECONNREFUSED));
            }
            return;
        }
        if seg.flags & SYN == 0 || !ack_ok {
            return; // Simultaneous open is not modelled.
        }
        let mtu = env.mtu(*self.local.ip(), *self.remote.ip());
        self.synopts(seg, mtu);
        self.irs = seg.seq;
        self.rcv_nxt = seg.seq.wrapping_add(1);
        self.snd_una = seg.ack;
        self.state = TcpState::Established;
        self.retries = 0;
        self.rto_at = None;
        if let Some(s) = self.rtt_start.take() {
            self.rto = TCP_RTO_MIN + now.saturating_sub(s);
        }
        a.events.connected = true;
        a.count(Mib::TcpActiveOpens);
        self.send_ack(now, env, a);
        self.write_xmit(now, env, a);
    }

    /// What the peer's SYN (or SYN-ACK) options settle: MSS, window scaling,
    /// timestamps, SACK; and our receive window for that MSS.
    fn synopts(&mut self, seg: &Seg, mtu: u32) {
        let advmss = (mtu.saturating_sub(40)).min(65495) as u16;
        self.ts_ok = seg.ts.is_some();
        self.sack_ok = seg.sack_ok;
        if let Some((v, _)) = seg.ts {
            self.ts_recent = v;
        }
        match seg.wscale {
            Some(s) => self.snd_wscale = s,
            None => {
                self.snd_wscale = 0;
                self.rcv_wscale = 0;
            }
        }
        let ts_room = if self.ts_ok { TS_ALIGNED } else { 0 };
        self.mss = seg
            .mss
            .unwrap_or(536)
            .min(advmss)
            .saturating_sub(ts_room)
            .max(64);
        // The window counts whole segments of our own MSS less the options.
        let m = u32::from(advmss.saturating_sub(ts_room).max(1));
        if self.state == TcpState::SynRecv {
            self.rcv_wnd = 65535 / m * m;
        }
        self.snd_wnd = seg.wnd as u32; // SYN windows are never scaled.
    }

    /// tcp_done(): to CLOSE, with an error for the program (if any holds it).
    fn done(&mut self, a: &mut Actions, err: Option<Errno>) {
        self.state = TcpState::Close;
        self.rto_at = None;
        self.delack_at = None;
        if err.is_some() {
            self.err = err;
        }
        a.events.closed = true;
        a.events.error = err;
        if !self.user {
            a.release = true;
        }
    }

    // ---- output -----------------------------------------------------------

    /// tcp_time_stamp plus the connection's random offset (tcp_ts_off).
    fn tsval(&self, now: Time) -> u32 {
        ((now.0 / 1_000_000) as u32).wrapping_add(self.ts_offset)
    }

    /// tcp_transmit_skb(): one segment, carrying `data` of the send queue.
    fn xmit(
        &mut self,
        now: Time,
        env: &impl Env,
        a: &mut Actions,
        fl: u8,
        seq: u32,
        data: Range<usize>,
    ) {
        let syn = fl & SYN != 0;
        let mut opts = Opts::default();
        let tsval = self.tsval(now);
        if syn {
            // tcp_syn_options() / tcp_synack_options(), in tcp_options_write()'s order.
            let mtu = env.mtu(*self.local.ip(), *self.remote.ip());
            let mss = (mtu.saturating_sub(40)).min(65495) as u16;
            opts.extend_from_slice(&[2, 4]);
            opts.extend_from_slice(&mss.to_be_bytes());
            let ts = fl & ACK == 0 || self.ts_ok;
            let sack = fl & ACK == 0 || self.sack_ok;
            if ts {
                opts.extend_from_slice(if sack { &[4, 2, 8, 10] } else { &[1, 1, 8, 10] });
                opts.extend_from_slice(&tsval.to_be_bytes());
                let ecr = if fl & ACK != 0 { self.ts_recent } else { 0 };
                opts.extend_from_slice(&ecr.to_be_bytes());
            } else if sack {
                opts.extend_from_slice(&[1, 1, 4, 2]);
            }
            if fl & ACK == 0 || self.snd_wscale != 0 || self.rcv_wscale != 0 {
                opts.extend_from_slice(&[1, 3, 3, self.rcv_wscale]);
            }
        } else if self.ts_ok {
            opts.extend_from_slice(&[1, 1, 8, 10]);
            opts.extend_from_slice(&tsval.to_be_bytes());
            opts.extend_from_slice(&self.ts_recent.to_be_bytes());
        }
        if fl & ACK != 0 {
            // inet_csk_clear_xmit_timer(ICSK_TIME_DACK): the ACK went out.
            self.delack_at = None;
        }
        let start = a.payload.len();
        a.payload.extend(self.snd_buf.range(data));
        a.list.push(Action::Send(Segment {
            src: self.local,
            dst: self.remote,
            seq,
            ack: if fl & ACK != 0 { self.rcv_nxt } else { 0 },
            flags: fl,
            wnd: self.wnd_field(syn),
            opts,
            sk_owner: fl & (SYN | ACK) != SYN | ACK,
            data: start..a.payload.len(),
        }));
    }

    /// The SYN, or the SYN-ACK of a SYN_RECV child.
    fn send_syn(&mut self, now: Time, env: &impl Env, a: &mut Actions) {
        let fl = match self.state {
            TcpState::SynRecv => SYN | ACK,
            _ => SYN,
        };
        self.rtt_start.get_or_insert(now);
        self.xmit(now, env, a, fl, self.iss, 0..0);
    }

    fn send_ack(&mut self, now: Time, env: &impl Env, a: &mut Actions) {
        self.xmit(now, env, a, ACK, self.snd_nxt, 0..0);
    }

    /// tcp_write_xmit(): sends new data the windows allow (Nagle holding a
    /// small segment while data is in flight), then the FIN once the queue is
    /// empty.
    fn write_xmit(&mut self, now: Time, env: &impl Env, a: &mut Actions) {
        loop {
            if matches!(
                self.state,
                TcpState::SynSent | TcpState::SynRecv | TcpState::Close | TcpState::Listen
            ) {
                return;
            }
            let sent = self.in_flight() as usize;
            let unsent = self.snd_buf.len().saturating_sub(sent);
            let mss = self.mss as usize;
            let room =
                (self.snd_wnd.min(self.cwnd * self.mss as u32) as usize).saturating_sub(sent);
            if unsent > 0 && !self.fin_sent {
                let n = unsent.min(mss).min(room);
                if n == 0 || (n < mss && n < unsent) {
                    break;
                }
                if n < mss && sent > 0 {
                    break; // Nagle (RFC 896): one small segment in flight at a time.
                }
                let seq = self.snd_nxt;
                let fl = ACK | if n == unsent { PSH } else { 0 };
                self.snd_nxt = seq.wrapping_add(n as u32);
                self.rtt_start.get_or_insert(now);
                self.xmit(now, env, a, fl, seq, sent..sent + n);
                self.arm_rto(now, a);
                continue;
            }
            if unsent == 0 && self.fin_queued && !self.fin_sent {
                let seq = self.snd_nxt;
                self.fin_sent = true;
                self.snd_nxt = seq.wrapping_add(1);
                self.rtt_start.get_or_insert(now);
                self.xmit(now, env, a, FIN | ACK, seq, 0..0);
                self.arm_rto(now, a);
            }
            break;
        }
    }

    // ---- timers -----------------------------------------------------------

    /// inet_csk_reset_xmit_timer(ICSK_TIME_RETRANS), unless already armed.
    fn arm_rto(&mut self, now: Time, a: &mut Actions) {
        if self.rto_at.is_none() {
            let at = now + self.rto;
            self.rto_at = Some(at);
            a.list.push(Action::Timer(at));
        }
    }

    /// tcp_retransmit_timer(): resend from snd_una, back off, give up after
    /// tcp_syn_retries (SYN) or tcp_retries2 (data).
    fn retransmit_timer(&mut self, now: Time, env: &impl Env, a: &mut Actions) {
        self.rto_at = None;
        self.rtt_start = None; // Karn: no sample from a retransmitted segment.
        if self.snd_una == self.snd_nxt {
            return;
        }
        let limit = match self.state {
            TcpState::SynSent | TcpState::SynRecv => env.syn_retries(),
            _ => TCP_RETRIES2,
        };
        if self.retries >= limit {
            let e = self.soft_err.unwrap_or(Errno::ETIMEDOUT);
            self.done(a, Some(e));
            return;
        }
        self.retries += 1;
        self.rto = Time((self.rto.0 * 2).min(TCP_RTO_MAX.0));
        self.cwnd = 1;
        a.count(Mib::TcpRetransSegs);
        match self.state {
            TcpState::SynSent | TcpState::SynRecv => {
                self.send_syn(now, env, a);
                self.arm_rto(now, a);
            }
            _ => {
                // Go back to the first unacknowledged byte and send one segment.
                let fin = self.fin_sent;
                self.snd_nxt = self.snd_una;
                self.fin_sent = false;
                self.fin_queued |= fin;
                self.write_xmit(now, env, a);
                self.arm_rto(now, a);
            }
        }
    }
}

// ---- the glue: sockets of the World ------------------------------------------

/// A connection's namespace, as its `Env`.
struct NsEnv<'a> {
    w: &'a World,
    ns: NsId,
}

impl Env for NsEnv<'_> {
    fn mtu(&self, local: Ipv4Addr, remote: Ipv4Addr) -> u32 {
        self.w
            .route_output(self.ns, &Flowi4::output(remote, Some(local), None))
            .ok()
            .and_then(|rt| self.w.ns(self.ns).dev(rt.dev).map(|d| d.mtu))
            .unwrap_or(1500)
    }
    fn syn_retries(&self) -> u32 {
        self.w
            .ns(self.ns)
            .sysctl
            .get_int("net.ipv4.tcp_syn_retries")
            .max(1) as u32
    }
}

impl World {
    fn tcp_ref(&self, id: usize) -> Option<&TcpSock> {
        match self.sockets.get(id)?.as_ref().map(|s| &s.kind) {
            Some(SockKind::Tcp(t)) => Some(t),
            _ => None,
        }
    }

    /// TCP socket `id` and its namespace: the one look-up a call makes.
    /// The namespace is the socket's own, alive as long as the socket is
    /// (netns_del frees its sockets). An id that is not a TCP socket — or
    /// no longer one: closed, or freed with its namespace — is EINVAL (the
    /// kernel would say EBADF of a descriptor closed under the program).
    fn tcp_get(&self, id: usize) -> KResult<(NsId, &TcpSock)> {
        match self.sockets.get(id).and_then(|s| s.as_ref()) {
            Some(Socket {
                ns,
                kind: SockKind::Tcp(t),
                ..
            }) => Ok((*ns, t)),
            _ => Err(Errno::EINVAL.into()),
        }
    }

    fn tcp_mut(&mut self, id: usize) -> KResult<(NsId, &mut TcpSock)> {
        match self.sockets.get_mut(id).and_then(|s| s.as_mut()) {
            Some(Socket {
                ns,
                kind: SockKind::Tcp(t),
                ..
            }) => Ok((*ns, t)),
            _ => Err(Errno::EINVAL.into()),
        }
    }

    /// Runs the machine on socket `id`, then does what it asked. The socket
    /// leaves its slot meanwhile, so that the machine may read the World
    /// (routes, sysctls) through `Env`; nothing else runs before it is back.
    fn tcp_run(
        &mut self,
        id: usize,
        f: impl FnOnce(&mut TcpSock, Time, &NsEnv) -> Result<Actions, Errno>,
    ) -> KResult<()> {
        let (ns, _) = self.tcp_get(id)?;
        debug_assert!(self.ns_alive(ns), "netns_del frees its sockets");
        let mut sock = self.sockets[id].take().expect("tcp_get found it");
        let SockKind::Tcp(t) = &mut sock.kind else {
            unreachable!("tcp_get checked the kind")
        };
        let r = f(t, self.now, &NsEnv { w: self, ns });
        self.sockets[id] = Some(sock);
        self.tcp_perform(id, ns, r?);
        Ok(())
    }

    /// Carries out a call's actions in their order: segments to IP, timer
    /// events, counters; then frees the socket if it is finished. Nothing
    /// sleeps on a socket here (programs poll it, as nc's loop does), so the
    /// events wake no one.
    fn tcp_perform(&mut self, id: usize, ns: NsId, a: Actions) {
        for act in &a.list {
            match act {
                Action::Send(s) => self.tcp_transmit(ns, s, a.payload(s)),
                Action::Timer(at) => self.schedule(*at, Event::TcpTimer { sock: id }),
                Action::Count(m) => self.ns_mut(ns).snmp.inc(*m),
            }
        }
        if a.release {
            self.tcp_destroy(id);
        } else if let Ok((_, t)) = self.tcp_mut(id) {
            t.recycle(a);
        }
    }

    /// ip_queue_xmit(), or ip_send_unicast_reply() for a RST of the
    /// control socket: one segment through ip_local_out.
    fn tcp_transmit(&mut self, ns: NsId, s: &Segment, payload: &[u8]) {
        let mut b = self.take_buf();
        s.emit(payload, &mut b);
        let snmp = &mut self.ns_mut(ns).snmp;
        if s.flags & RST != 0 {
            snmp.inc(Mib::TcpOutRsts);
        }
        snmp.inc(Mib::TcpOutSegs);
        let skb = Skb {
            sk_owner: s.sk_owner,
            ..Skb::default()
        };
        let _ = self.ip_send_skb(
            ns,
            Some(*s.src.ip()),
            *s.dst.ip(),
            None,
            IPPROTO_TCP,
            None,
            true,
            0,
            &b,
            skb,
        );
        self.put_buf(b);
    }

    /// The RST answering a segment no connection takes.
    fn tcp_send_reset(&mut self, ns: NsId, seg: &Seg) {
        if let Some(r) = reset_for(seg) {
            self.tcp_transmit(ns, &r, &[]);
        }
    }

    // ---- the socket calls -------------------------------------------------

    /// socket(AF_INET, SOCK_STREAM, 0).
    pub fn tcp_socket(&mut self, ns: NsId) -> usize {
        self.socket_add(Socket::new(ns, SockKind::Tcp(Box::default())))
    }

    pub fn tcp_set_reuseaddr(&mut self, id: usize, on: bool) -> KResult<()> {
        self.tcp_mut(id)?.1.reuse = on;
        Ok(())
    }

    /// bind(): port 0 takes an ephemeral (odd) port.
    pub fn tcp_bind(&mut self, id: usize, addr: SocketAddrV4) -> KResult<()> {
        let (ns, t) = self.tcp_get(id)?;
        if t.local.port() != 0 {
            return Err(Errno::EINVAL.into());
        }
        let reuse = t.reuse;
        if !addr.ip().is_unspecified() && !self.ns(ns).is_local4(*addr.ip()) {
            return Err(Errno::EADDRNOTAVAIL.into());
        }
        let port = if addr.port() == 0 {
            self.ephemeral_port(ns, IPPROTO_TCP, *addr.ip(), Some(false))?
        } else {
            if self.port_taken(ns, IPPROTO_TCP, *addr.ip(), addr.port(), reuse, Some(id)) {
                return Err(Errno::EADDRINUSE.into());
            }
            addr.port()
        };
        self.tcp_mut(id)?.1.local = SocketAddrV4::new(*addr.ip(), port);
        Ok(())
    }

    /// listen() (inet_listen).
    pub fn tcp_listen(&mut self, id: usize, backlog: u32) -> KResult<()> {
        let (ns, t) = self.tcp_get(id)?;
        if !matches!(t.state, TcpState::Close | TcpState::Listen) {
            return Err(Errno::EINVAL.into());
        }
        let (ip, port) = (*t.local.ip(), t.local.port());
        if port == 0 {
            self.tcp_bind(id, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))?;
        } else if self.listener_on(ns, ip, port, id) {
            // SO_REUSEADDR lets two sockets bind, never two listen.
            return Err(Errno::EADDRINUSE.into());
        }
        self.tcp_mut(id)?.1.listen(backlog);
        Ok(())
    }

    fn listener_on(&self, ns: NsId, ip: Ipv4Addr, port: u16, except: usize) -> bool {
        self.ns(ns).sockets.iter().any(|&i| {
            i != except
                && self.tcp_ref(i).is_some_and(|t| {
                    t.state == TcpState::Listen
                        && t.local.port() == port
                        && (t.local.ip().is_unspecified()
                            || ip.is_unspecified()
                            || *t.local.ip() == ip)
                })
        })
    }

    /// accept(): an established child and its peer, None when none is ready.
    pub fn tcp_accept(&mut self, id: usize) -> KResult<Option<(usize, SocketAddrV4)>> {
        let (_, t) = self.tcp_get(id)?;
        if t.state != TcpState::Listen {
            return Err(Errno::EINVAL.into());
        }
        let ready = t.accept_queue.iter().find_map(|&c| {
            let ct = self.tcp_ref(c)?;
            (ct.state != TcpState::SynRecv).then_some((c, ct.remote))
        });
        let Some((c, peer)) = ready else {
            return Ok(None);
        };
        self.tcp_mut(id)?.1.accept_queue.retain(|&x| x != c);
        let ct = self.tcp_mut(c)?.1;
        ct.parent = None;
        ct.user = true;
        Ok(Some((c, peer)))
    }

    /// connect() on a non-blocking socket (__inet_stream_connect,
    /// tcp_v4_connect): sends the SYN; the outcome shows in `tcp_state` and
    /// `tcp_error` (SO_ERROR).
    pub fn tcp_connect(&mut self, id: usize, dst: SocketAddrV4) -> KResult<()> {
        let (ns, t) = self.tcp_get(id)?;
        match t.state {
            TcpState::Close => {}
            TcpState::SynSent => return Err(Errno::EINPROGRESS.into()),
            _ => return Err(Errno::EISCONN.into()),
        }
        let local = t.local;
        let src = (!local.ip().is_unspecified()).then_some(*local.ip());
        // ip_route_connect(): unreachable destinations fail here, synchronously.
        let rt = self.route_output(ns, &Flowi4::output(*dst.ip(), src, None))?;
        let port = if local.port() == 0 {
            self.ephemeral_port(ns, IPPROTO_TCP, rt.src, Some(true))?
        } else {
            local.port()
        };
        let (isn, tso) = (self.rng.next_u64() as u32, self.rng.next_u64() as u32);
        let local = SocketAddrV4::new(rt.src, port);
        self.tcp_run(id, |t, now, env| {
            Ok(t.connect(now, env, local, dst, isn, tso))
        })
    }

    pub fn tcp_state(&self, id: usize) -> Option<TcpState> {
        self.tcp_ref(id).map(|t| t.state)
    }

    /// getsockopt(SO_ERROR): the pending error, cleared.
    pub fn tcp_error(&mut self, id: usize) -> Option<Errno> {
        self.tcp_mut(id).ok()?.1.take_error()
    }

    pub fn tcp_local(&self, id: usize) -> Option<SocketAddrV4> {
        self.tcp_ref(id).map(|t| t.local)
    }

    /// send(): queues and transmits what the windows allow.
    pub fn tcp_send(&mut self, id: usize, data: &[u8]) -> KResult<usize> {
        self.tcp_run(id, |t, now, env| t.send(now, env, data))?;
        Ok(data.len())
    }

    /// recv(): what has arrived in order.
    pub fn tcp_recv(&mut self, id: usize, max: usize) -> KResult<Read> {
        Ok(self.tcp_mut(id)?.1.recv(max)?)
    }

    /// shutdown(SHUT_RD): later reads see end of stream.
    pub fn tcp_shutdown_rd(&mut self, id: usize) -> KResult<()> {
        self.tcp_mut(id)?.1.shutdown_rd();
        Ok(())
    }

    /// shutdown(SHUT_WR): a FIN after the queued data (tcp_shutdown()).
    pub fn tcp_shutdown_wr(&mut self, id: usize) -> KResult<()> {
        self.tcp_run(id, |t, now, env| t.shutdown_wr(now, env))
    }

    /// close(): the program lets go (see `TcpSock::close`).
    pub fn tcp_close(&mut self, id: usize) {
        // inet_csk_listen_stop(): children not accepted are reset.
        let children = match self.tcp_mut(id) {
            Ok((_, t)) if t.state == TcpState::Listen => std::mem::take(&mut t.accept_queue),
            _ => VecDeque::new(),
        };
        for &c in &children {
            self.tcp_abort(c);
        }
        let _ = self.tcp_run(id, |t, now, env| Ok(t.close(now, env)));
    }

    /// Abort (SO_LINGER 0, or close with unread data): RST to the peer.
    pub fn tcp_abort(&mut self, id: usize) {
        let _ = self.tcp_run(id, |t, now, env| Ok(t.abort(now, env)));
    }

    /// The socket is gone (inet_csk_destroy_sock and the last reference),
    /// out of its listener's queue if not yet accepted.
    fn tcp_destroy(&mut self, id: usize) {
        if let Some(p) = self.tcp_ref(id).and_then(|t| t.parent) {
            if let Ok((_, pt)) = self.tcp_mut(p) {
                pt.accept_queue.retain(|&x| x != id);
            }
        }
        self.socket_close(id);
    }

    /// A timer event: whichever of the socket's deadlines are due (waking
    /// early, or for a socket since replaced, does nothing).
    pub(crate) fn tcp_timer(&mut self, id: usize) {
        let _ = self.tcp_run(id, |t, now, env| Ok(t.on_timeout(now, env)));
    }

    // ---- input ------------------------------------------------------------

    /// tcp_v4_rcv(): finds the socket of a segment and processes it; answers
    /// RST when there is none (tcp_v4_send_reset).
    pub(crate) fn tcp_v4_rcv(&mut self, ns: NsId, pkt: &[u8], ihl: usize) {
        let Some(seg) = Seg::parse(pkt, ihl) else {
            self.ns_mut(ns).snmp.inc(Mib::TcpInErrs);
            return;
        };
        self.ns_mut(ns).snmp.inc(Mib::TcpInSegs);
        // An established (or otherwise connected) socket wins over a listener.
        let mut found = None;
        for &id in &self.ns(ns).sockets {
            if let Some(t) = self.tcp_ref(id) {
                if t.matches(seg.src, seg.dst) {
                    let exact = t.state != TcpState::Listen;
                    if exact || found.is_none() {
                        found = Some((id, exact));
                    }
                    if exact {
                        break;
                    }
                }
            }
        }
        match found {
            None => self.tcp_send_reset(ns, &seg),
            Some((id, false)) => self.tcp_listen_rcv(ns, id, &seg),
            Some((id, true)) => {
                let _ = self.tcp_run(id, |t, now, env| Ok(t.process(now, env, &seg)));
            }
        }
    }

    /// A segment for listener `lid`: a SYN makes a SYN_RECV child, queued
    /// on the listener, that answers with a SYN-ACK.
    fn tcp_listen_rcv(&mut self, ns: NsId, lid: usize, seg: &Seg) {
        let Some(l) = self.tcp_ref(lid) else { return };
        match l.listen_rcv(seg) {
            ListenRcv::Ignore => {}
            ListenRcv::Reset => self.tcp_send_reset(ns, seg),
            ListenRcv::Overflow => self.ns_mut(ns).snmp.inc(Mib::TcpListenDrops),
            ListenRcv::Request => {
                let (isn, tso) = (self.rng.next_u64() as u32, self.rng.next_u64() as u32);
                let Some(l) = self.tcp_ref(lid) else { return };
                let env = NsEnv { w: self, ns };
                let (c, a) = l.conn_request(self.now, &env, seg, lid, isn, tso);
                let cid = self.socket_add(Socket::new(ns, SockKind::Tcp(Box::new(c))));
                if let Ok((_, l)) = self.tcp_mut(lid) {
                    l.accept_queue.push_back(cid);
                }
                self.ns_mut(ns).snmp.inc(Mib::TcpPassiveOpens);
                self.tcp_perform(cid, ns, a);
            }
        }
    }

    /// The RST REJECT --reject-with tcp-reset answers a segment with
    /// (nf_send_reset makes the same segment as the stack does).
    pub(crate) fn tcp_reset_packet(&mut self, ns: NsId, pkt: &[u8]) {
        let ihl = ((pkt[0] & 0x0f) as usize) * 4;
        if u16::from_be_bytes([pkt[6], pkt[7]]) & 0x1fff != 0 {
            return;
        }
        if let Some(seg) = Seg::parse(pkt, ihl) {
            self.tcp_send_reset(ns, &seg);
        }
    }

    /// tcp_v4_err(): an ICMP error (in namespace `ns`) quoting a segment we
    /// sent goes to its connection (see `TcpSock::icmp_error`).
    pub(crate) fn tcp_err(&mut self, ns: NsId, quoted: &[u8], err: Errno) {
        let ihl = ((quoted[0] & 0x0f) as usize) * 4;
        let Some(h) = quoted.get(ihl..ihl + 4) else {
            return;
        };
        let local = SocketAddrV4::new(
            Ipv4Addr::new(quoted[12], quoted[13], quoted[14], quoted[15]),
            u16::from_be_bytes([h[0], h[1]]),
        );
        let remote = SocketAddrV4::new(
            Ipv4Addr::new(quoted[16], quoted[17], quoted[18], quoted[19]),
            u16::from_be_bytes([h[2], h[3]]),
        );
        let Some(id) = self.ns(ns).sockets.iter().copied().find(|&i| {
            self.tcp_ref(i)
                .is_some_and(|t| t.state != TcpState::Listen && t.matches(remote, local))
        }) else {
            return;
        };
        let _ = self.tcp_run(id, |t, _, _| Ok(t.icmp_error(err)));
    }
}
