//! TCP (net/ipv4/tcp_input.c, tcp_output.c, tcp_timer.c, tcp_ipv4.c), as
//! much as programs like nc observe: the three-way handshake with the SYN
//! options Linux sends, in-order data both ways, the FIN handshake and
//! TIME_WAIT, RST for closed ports and aborts, and retransmission with an
//! exponentially backed-off RTO.
//!
//! Read RFC 9293 §3.10 (the event processing) first; the states carry the
//! kernel's names and `/proc/net/tcp` numbers. Simplifications, each
//! invisible to a capture of small transfers: out-of-order segments are
//! dropped (and re-ACKed) rather than queued, loss recovery is go-back-N
//! from the RTO only, and the receive window is constant (the initial one).

use crate::error::{Errno, KResult};
use crate::netfilter::hook::Skb;
use crate::sock::{SockKind, Socket};
use crate::types::{NsId, Time};
use crate::wire::checksum::l4_checksum;
use crate::world::{Event, World};
use flags::*;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};

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
/// net.ipv4.tcp_rmem[2] = 32 MiB (the default since 6.x).
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
}

/// A parsed segment.
struct Seg<'a> {
    src: SocketAddrV4,
    dst: SocketAddrV4,
    seq: u32,
    ack: u32,
    flags: u8,
    wnd: u16,
    mss: Option<u16>,
    wscale: Option<u8>,
    sack_ok: bool,
    ts: Option<(u32, u32)>,
    data: &'a [u8],
}

impl Seg<'_> {
    /// SEG.LEN: data plus one for each of SYN and FIN.
    fn len(&self) -> u32 {
        self.data.len() as u32 + u32::from(self.flags & SYN != 0) + u32::from(self.flags & FIN != 0)
    }
}

fn parse(pkt: &[u8], ihl: usize) -> Option<Seg<'_>> {
    let t = pkt.get(ihl..)?;
    if t.len() < 20 {
        return None;
    }
    let doff = ((t[12] >> 4) as usize) * 4;
    if doff < 20 || doff > t.len() {
        return None;
    }
    let mut seg = Seg {
        src: SocketAddrV4::new(
            Ipv4Addr::new(pkt[12], pkt[13], pkt[14], pkt[15]),
            u16::from_be_bytes([t[0], t[1]]),
        ),
        dst: SocketAddrV4::new(
            Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]),
            u16::from_be_bytes([t[2], t[3]]),
        ),
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

/// `a < b` in sequence space.
fn before(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

impl TcpSock {
    fn new() -> TcpSock {
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
}

impl World {
    fn tcp(&mut self, id: usize) -> KResult<&mut TcpSock> {
        match self.socket(id).map(|s| &mut s.kind) {
            Some(SockKind::Tcp(t)) => Ok(t),
            _ => Err(Errno::EINVAL.into()),
        }
    }
    fn tcp_ref(&self, id: usize) -> Option<&TcpSock> {
        match self.sockets.get(id)?.as_ref().map(|s| &s.kind) {
            Some(SockKind::Tcp(t)) => Some(t),
            _ => None,
        }
    }
    fn sock_ns(&self, id: usize) -> KResult<NsId> {
        Ok(self
            .sockets
            .get(id)
            .and_then(|s| s.as_ref())
            .ok_or(Errno::EINVAL)?
            .ns)
    }

    // ---- the socket calls -------------------------------------------------

    /// socket(AF_INET, SOCK_STREAM, 0).
    pub fn tcp_socket(&mut self, ns: NsId) -> usize {
        self.socket_add(Socket {
            ns,
            kind: SockKind::Tcp(Box::new(TcpSock::new())),
        })
    }

    pub fn tcp_set_reuseaddr(&mut self, id: usize, on: bool) -> KResult<()> {
        self.tcp(id)?.reuse = on;
        Ok(())
    }

    /// bind(): port 0 takes an ephemeral (odd) port.
    pub fn tcp_bind(&mut self, id: usize, addr: SocketAddrV4) -> KResult<()> {
        let ns = self.sock_ns(id)?;
        if self.tcp(id)?.local.port() != 0 {
            return Err(Errno::EINVAL.into());
        }
        if !addr.ip().is_unspecified() && !self.ns(ns).is_local4(*addr.ip()) {
            return Err(Errno::EADDRNOTAVAIL.into());
        }
        let reuse = self.tcp(id)?.reuse;
        let port = if addr.port() == 0 {
            self.ephemeral_port(ns, IPPROTO_TCP, *addr.ip(), Some(false))?
        } else {
            if self.port_taken(ns, IPPROTO_TCP, *addr.ip(), addr.port(), reuse, Some(id)) {
                return Err(Errno::EADDRINUSE.into());
            }
            addr.port()
        };
        self.tcp(id)?.local = SocketAddrV4::new(*addr.ip(), port);
        Ok(())
    }

    /// listen().
    pub fn tcp_listen(&mut self, id: usize, backlog: u32) -> KResult<()> {
        let ns = self.sock_ns(id)?;
        let t = self.tcp_ref(id).ok_or(Errno::EINVAL)?;
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
        let t = self.tcp(id)?;
        t.state = TcpState::Listen;
        t.backlog = backlog;
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
        let t = self.tcp(id)?;
        if t.state != TcpState::Listen {
            return Err(Errno::EINVAL.into());
        }
        let q: Vec<usize> = t.accept_queue.iter().copied().collect();
        for c in q {
            let Some(ct) = self.tcp_ref(c) else { continue };
            if ct.state != TcpState::SynRecv {
                let peer = ct.remote;
                self.tcp(id)?.accept_queue.retain(|&x| x != c);
                let ct = self.tcp(c)?;
                ct.parent = None;
                ct.user = true;
                return Ok(Some((c, peer)));
            }
        }
        Ok(None)
    }

    /// connect() on a non-blocking socket: sends the SYN; the outcome shows
    /// in `tcp_state` and `tcp_error` (SO_ERROR).
    pub fn tcp_connect(&mut self, id: usize, dst: SocketAddrV4) -> KResult<()> {
        let ns = self.sock_ns(id)?;
        match self.tcp(id)?.state {
            TcpState::Close => {}
            TcpState::SynSent => return Err(Errno::EINPROGRESS.into()),
            _ => return Err(Errno::EISCONN.into()),
        }
        let local = self.tcp(id)?.local;
        let src = (!local.ip().is_unspecified()).then_some(*local.ip());
        // ip_route_connect(): unreachable destinations fail here, synchronously.
        let rt = self.route_output(ns, *dst.ip(), src, None)?;
        let port = if local.port() == 0 {
            self.ephemeral_port(ns, IPPROTO_TCP, rt.src, Some(true))?
        } else {
            local.port()
        };
        let mtu = self.ns(ns).dev(rt.dev).map(|d| d.mtu).unwrap_or(1500);
        let (isn, tso) = (self.rng.next_u64() as u32, self.rng.next_u64() as u32);
        let t = self.tcp(id)?;
        t.local = SocketAddrV4::new(rt.src, port);
        t.remote = dst;
        t.iss = isn;
        t.snd_una = isn;
        t.snd_nxt = isn.wrapping_add(1);
        t.ts_offset = tso;
        // tcp_select_initial_window(): the largest multiple of the MSS we
        // announce (no timestamp room known yet) that fits 64 KiB.
        let advmss = mtu.saturating_sub(40).min(65495);
        t.rcv_wnd = 65535 / advmss * advmss;
        t.state = TcpState::SynSent;
        t.rto = TCP_TIMEOUT_INIT;
        t.retries = 0;
        self.tcp_send_syn(id);
        self.tcp_arm_rto(id);
        Ok(())
    }

    pub fn tcp_state(&self, id: usize) -> Option<TcpState> {
        self.tcp_ref(id).map(|t| t.state)
    }

    /// getsockopt(SO_ERROR): the pending error, cleared.
    pub fn tcp_error(&mut self, id: usize) -> Option<Errno> {
        self.tcp(id).ok()?.err.take()
    }

    pub fn tcp_local(&self, id: usize) -> Option<SocketAddrV4> {
        self.tcp_ref(id).map(|t| t.local)
    }

    /// send(): queues and transmits what the windows allow.
    pub fn tcp_send(&mut self, id: usize, data: &[u8]) -> KResult<usize> {
        let t = self.tcp(id)?;
        if let Some(e) = t.err.take() {
            return Err(e.into());
        }
        match t.state {
            TcpState::Established | TcpState::CloseWait if !t.fin_queued => {}
            TcpState::SynSent | TcpState::SynRecv => return Err(Errno::EINPROGRESS.into()),
            TcpState::Close | TcpState::Listen => return Err(Errno::ENOTCONN.into()),
            _ => return Err(Errno::EPIPE.into()),
        }
        t.snd_buf.extend(data);
        self.tcp_output(id);
        Ok(data.len())
    }

    /// recv(): what has arrived in order.
    pub fn tcp_recv(&mut self, id: usize, max: usize) -> KResult<Read> {
        let t = self.tcp(id)?;
        if !t.rcv_buf.is_empty() {
            let n = max.min(t.rcv_buf.len());
            return Ok(Read::Data(t.rcv_buf.drain(..n).collect()));
        }
        if let Some(e) = t.err.take() {
            return Err(e.into());
        }
        Ok(match t.state {
            _ if t.rcv_fin || t.rcv_shut => Read::Eof,
            TcpState::Close => Read::Eof,
            TcpState::Listen => return Err(Errno::ENOTCONN.into()),
            _ => Read::WouldBlock,
        })
    }

    /// shutdown(SHUT_RD): later reads see end of stream.
    pub fn tcp_shutdown_rd(&mut self, id: usize) -> KResult<()> {
        let t = self.tcp(id)?;
        t.rcv_shut = true;
        t.rcv_buf.clear();
        Ok(())
    }

    /// shutdown(SHUT_WR): a FIN after the queued data (tcp_shutdown()).
    pub fn tcp_shutdown_wr(&mut self, id: usize) -> KResult<()> {
        let t = self.tcp(id)?;
        match t.state {
            TcpState::Established => t.state = TcpState::FinWait1,
            TcpState::CloseWait => t.state = TcpState::LastAck,
            TcpState::SynSent | TcpState::Close | TcpState::Listen => {
                return Err(Errno::ENOTCONN.into())
            }
            _ => return Ok(()),
        }
        t.fin_queued = true;
        self.tcp_output(id);
        Ok(())
    }

    /// close(): the program lets go. Unread data makes it an abort (RST, as
    /// tcp_close() does); otherwise a FIN, and the kernel finishes alone.
    pub fn tcp_close(&mut self, id: usize) {
        let Some(t) = self.tcp_ref(id) else {
            return;
        };
        match t.state {
            TcpState::Listen => {
                // inet_csk_listen_stop(): children not accepted are reset.
                let q: Vec<usize> = t.accept_queue.iter().copied().collect();
                for c in q {
                    self.tcp_abort(c);
                }
                self.tcp_destroy(id);
            }
            TcpState::Close | TcpState::SynSent => self.tcp_destroy(id),
            _ if !t.rcv_buf.is_empty() => self.tcp_abort(id),
            TcpState::Established | TcpState::CloseWait | TcpState::SynRecv => {
                let _ = self.tcp_shutdown_wr(id);
                if let Ok(t) = self.tcp(id) {
                    t.user = false;
                }
            }
            _ => {
                if let Ok(t) = self.tcp(id) {
                    t.user = false;
                }
            }
        }
    }

    /// Abort (SO_LINGER 0, or close with unread data): RST to the peer.
    pub fn tcp_abort(&mut self, id: usize) {
        let Some(t) = self.tcp_ref(id) else {
            return;
        };
        if matches!(
            t.state,
            TcpState::Established
                | TcpState::SynRecv
                | TcpState::FinWait1
                | TcpState::FinWait2
                | TcpState::CloseWait
                | TcpState::Closing
                | TcpState::LastAck
        ) {
            let seq = t.snd_nxt;
            self.tcp_xmit(id, RST | ACK, seq, &[]);
            let ns = self.sock_ns(id).unwrap_or(0);
            self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpOutRsts);
        }
        self.tcp_destroy(id);
    }

    /// The socket is gone (tcp_done + the last reference).
    fn tcp_destroy(&mut self, id: usize) {
        if let Some(p) = self.tcp_ref(id).and_then(|t| t.parent) {
            if let Ok(pt) = self.tcp(p) {
                pt.accept_queue.retain(|&x| x != id);
            }
        }
        self.socket_close(id);
    }

    /// tcp_done(): to CLOSE with an error for the program (if any holds it).
    fn tcp_done(&mut self, id: usize, err: Option<Errno>) {
        let Ok(t) = self.tcp(id) else { return };
        t.state = TcpState::Close;
        t.rto_at = None;
        t.delack_at = None;
        if err.is_some() {
            t.err = err;
        }
        if !t.user {
            self.tcp_destroy(id);
        }
    }

    // ---- output -----------------------------------------------------------

    /// tcp_time_stamp plus the connection's random offset (tcp_ts_off).
    fn tcp_tsval(&self, t: &TcpSock) -> u32 {
        ((self.now.0 / 1_000_000) as u32).wrapping_add(t.ts_offset)
    }

    /// tcp_transmit_skb(): one segment from socket `id`.
    fn tcp_xmit(&mut self, id: usize, fl: u8, seq: u32, data: &[u8]) {
        let Some(t) = self.tcp_ref(id) else { return };
        let ns = self.sock_ns(id).unwrap_or(0);
        let syn = fl & SYN != 0;
        let mut opts = Opts::default();
        let tsval = self.tcp_tsval(t);
        if syn {
            // tcp_syn_options() / tcp_synack_options(), in tcp_options_write()'s order.
            let mtu = self
                .route_output(ns, *t.remote.ip(), Some(*t.local.ip()), None)
                .ok()
                .and_then(|rt| self.ns(ns).dev(rt.dev).map(|d| d.mtu))
                .unwrap_or(1500);
            let mss = (mtu.saturating_sub(40)).min(65495) as u16;
            opts.extend_from_slice(&[2, 4]);
            opts.extend_from_slice(&mss.to_be_bytes());
            let ts = fl & ACK == 0 || t.ts_ok;
            let sack = fl & ACK == 0 || t.sack_ok;
            if ts {
                opts.extend_from_slice(if sack { &[4, 2, 8, 10] } else { &[1, 1, 8, 10] });
                opts.extend_from_slice(&tsval.to_be_bytes());
                let ecr = if fl & ACK != 0 { t.ts_recent } else { 0 };
                opts.extend_from_slice(&ecr.to_be_bytes());
            } else if sack {
                opts.extend_from_slice(&[1, 1, 4, 2]);
            }
            if fl & ACK == 0 || t.snd_wscale != 0 || t.rcv_wscale != 0 {
                opts.extend_from_slice(&[1, 3, 3, t.rcv_wscale]);
            }
        } else if t.ts_ok {
            opts.extend_from_slice(&[1, 1, 8, 10]);
            opts.extend_from_slice(&tsval.to_be_bytes());
            opts.extend_from_slice(&t.ts_recent.to_be_bytes());
        }
        let ack = if fl & ACK != 0 { t.rcv_nxt } else { 0 };
        let wnd = t.wnd_field(syn);
        let (src, dst) = (t.local, t.remote);
        let mut seg = self.take_buf();
        build(&mut seg, src, dst, seq, ack, fl, wnd, opts.bytes(), data);
        if let Ok(t) = self.tcp(id) {
            if fl & ACK != 0 {
                t.delack_at = None;
            }
        }
        self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpOutSegs);
        // A SYN-ACK goes out from the request sock, not a full socket.
        let skb = Skb {
            sk_owner: fl & (SYN | ACK) != SYN | ACK,
            ..Skb::default()
        };
        let _ = self.ip_send_skb(
            ns,
            Some(*src.ip()),
            *dst.ip(),
            None,
            IPPROTO_TCP,
            None,
            true,
            0,
            &seg,
            skb,
        );
        self.put_buf(seg);
    }

    fn tcp_send_syn(&mut self, id: usize) {
        let Some(t) = self.tcp_ref(id) else { return };
        let (iss, fl) = match t.state {
            TcpState::SynRecv => (t.iss, SYN | ACK),
            _ => (t.iss, SYN),
        };
        let now = self.now;
        if let Ok(t) = self.tcp(id) {
            t.rtt_start.get_or_insert(now);
        }
        self.tcp_xmit(id, fl, iss, &[]);
    }

    fn tcp_send_ack(&mut self, id: usize) {
        let Some(t) = self.tcp_ref(id) else { return };
        let seq = t.snd_nxt;
        self.tcp_xmit(id, ACK, seq, &[]);
    }

    /// tcp_write_xmit(): sends new data the windows allow (Nagle holding a
    /// small segment while data is in flight), then the FIN once the queue is
    /// empty.
    fn tcp_output(&mut self, id: usize) {
        let now = self.now;
        loop {
            let Some(t) = self.tcp_ref(id) else { return };
            if matches!(
                t.state,
                TcpState::SynSent | TcpState::SynRecv | TcpState::Close | TcpState::Listen
            ) {
                return;
            }
            let sent = t.in_flight() as usize;
            let unsent = t.snd_buf.len().saturating_sub(sent);
            let room = (t.snd_wnd.min(t.cwnd * t.mss as u32) as usize).saturating_sub(sent);
            if unsent > 0 && !t.fin_sent {
                let n = unsent.min(t.mss as usize).min(room);
                if n == 0 || (n < t.mss as usize && n < unsent) {
                    break;
                }
                if n < t.mss as usize && sent > 0 {
                    break; // Nagle (RFC 896): one small segment in flight at a time.
                }
                let seq = t.snd_nxt;
                let mut data = self.take_buf();
                if let Some(t) = self.tcp_ref(id) {
                    data.extend(t.snd_buf.range(sent..sent + n));
                }
                let last = n == unsent;
                let fl = ACK | if last { PSH } else { 0 };
                if let Ok(t) = self.tcp(id) {
                    t.snd_nxt = seq.wrapping_add(n as u32);
                    t.rtt_start.get_or_insert(now);
                }
                self.tcp_xmit(id, fl, seq, &data);
                self.put_buf(data);
                self.tcp_arm_rto(id);
                continue;
            }
            if unsent == 0 && t.fin_queued && !t.fin_sent {
                let seq = t.snd_nxt;
                if let Ok(t) = self.tcp(id) {
                    t.fin_sent = true;
                    t.snd_nxt = seq.wrapping_add(1);
                    t.rtt_start.get_or_insert(now);
                }
                self.tcp_xmit(id, FIN | ACK, seq, &[]);
                self.tcp_arm_rto(id);
            }
            break;
        }
    }

    // ---- timers -----------------------------------------------------------

    fn tcp_arm_rto(&mut self, id: usize) {
        let now = self.now;
        let Ok(t) = self.tcp(id) else { return };
        if t.rto_at.is_none() {
            let at = now + t.rto;
            t.rto_at = Some(at);
            self.schedule(at, Event::TcpTimer { sock: id });
        }
    }

    fn tcp_arm(&mut self, id: usize, at: Time) {
        self.schedule(at, Event::TcpTimer { sock: id });
    }

    /// A timer event: whichever of the socket's deadlines are due (waking
    /// early, or for a socket since replaced, does nothing).
    pub(crate) fn tcp_timer(&mut self, id: usize) {
        let now = self.now;
        let Some(t) = self.tcp_ref(id) else { return };
        if t.tw_at.is_some_and(|at| at <= now) {
            if let Ok(t) = self.tcp(id) {
                t.tw_at = None;
            }
            self.tcp_done(id, None);
            return;
        }
        if t.delack_at.is_some_and(|at| at <= now) {
            self.tcp_send_ack(id);
        }
        let Some(t) = self.tcp_ref(id) else { return };
        if t.rto_at.is_some_and(|at| at <= now) {
            self.tcp_retransmit_timer(id);
        }
    }

    /// tcp_retransmit_timer(): resend from snd_una, back off, give up after
    /// tcp_syn_retries (SYN) or tcp_retries2 (data).
    fn tcp_retransmit_timer(&mut self, id: usize) {
        let ns = self.sock_ns(id).unwrap_or(0);
        let syn_retries = self
            .ns(ns)
            .sysctl
            .get_int("net.ipv4.tcp_syn_retries")
            .max(1) as u32;
        let Ok(t) = self.tcp(id) else { return };
        t.rto_at = None;
        t.rtt_start = None; // Karn: no sample from a retransmitted segment.
        if t.snd_una == t.snd_nxt {
            return;
        }
        let limit = match t.state {
            TcpState::SynSent | TcpState::SynRecv => syn_retries,
            _ => TCP_RETRIES2,
        };
        if t.retries >= limit {
            let e = t.soft_err.unwrap_or(Errno::ETIMEDOUT);
            self.tcp_done(id, Some(e));
            return;
        }
        t.retries += 1;
        t.rto = Time((t.rto.0 * 2).min(TCP_RTO_MAX.0));
        t.cwnd = 1;
        self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpRetransSegs);
        match self.tcp_ref(id).map(|t| t.state) {
            Some(TcpState::SynSent | TcpState::SynRecv) => {
                self.tcp_send_syn(id);
                self.tcp_arm_rto(id);
            }
            _ => {
                // Go back to the first unacknowledged byte and send one segment.
                let Ok(t) = self.tcp(id) else { return };
                let fin = t.fin_sent;
                t.snd_nxt = t.snd_una;
                t.fin_sent = false;
                t.fin_queued |= fin;
                self.tcp_output(id);
                self.tcp_arm_rto(id);
            }
        }
    }

    // ---- input ------------------------------------------------------------

    /// tcp_v4_rcv(): finds the socket of a segment and processes it; answers
    /// RST when there is none (tcp_v4_send_reset).
    pub(crate) fn tcp_v4_rcv(&mut self, ns: NsId, pkt: &[u8], ihl: usize) {
        let Some(seg) = parse(pkt, ihl) else {
            self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpInErrs);
            return;
        };
        self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpInSegs);
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
            Some((id, true)) => self.tcp_rcv_state_process(id, &seg),
        }
    }

    /// The RST REJECT --reject-with tcp-reset answers a segment with
    /// (nf_send_reset makes the same segment as the stack does).
    pub(crate) fn tcp_reset_packet(&mut self, ns: NsId, pkt: &[u8]) {
        let ihl = ((pkt[0] & 0x0f) as usize) * 4;
        if u16::from_be_bytes([pkt[6], pkt[7]]) & 0x1fff != 0 {
            return;
        }
        if let Some(seg) = parse(pkt, ihl) {
            self.tcp_send_reset(ns, &seg);
        }
    }

    /// tcp_v4_send_reset(): RST|ACK acknowledging a segment that had no ACK,
    /// else a bare RST at the sequence it acknowledged. Never for a RST.
    fn tcp_send_reset(&mut self, ns: NsId, seg: &Seg) {
        if seg.flags & RST != 0 {
            return;
        }
        let (seq, ack, fl) = if seg.flags & ACK != 0 {
            (seg.ack, 0, RST)
        } else {
            (0, seg.seq.wrapping_add(seg.len()), RST | ACK)
        };
        let mut r = self.take_buf();
        build(&mut r, seg.dst, seg.src, seq, ack, fl, 0, &[], &[]);
        self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpOutRsts);
        self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpOutSegs);
        // From the namespace's control socket (no owner).
        let _ = self.ip_send_skb(
            ns,
            Some(*seg.dst.ip()),
            *seg.src.ip(),
            None,
            IPPROTO_TCP,
            None,
            true,
            0,
            &r,
            Skb::default(),
        );
        self.put_buf(r);
    }

    /// A segment for a listener: a SYN makes a SYN_RECV child and a SYN-ACK
    /// (tcp_conn_request); anything else without a connection gets a RST.
    fn tcp_listen_rcv(&mut self, ns: NsId, lid: usize, seg: &Seg) {
        if seg.flags & RST != 0 {
            return;
        }
        if seg.flags & ACK != 0 {
            self.tcp_send_reset(ns, seg);
            return;
        }
        if seg.flags & SYN == 0 {
            return;
        }
        let Some(l) = self.tcp_ref(lid) else { return };
        // sk_acceptq_is_full(): more than `backlog` waiting drops the SYN.
        if l.accept_queue.len() as u32 > l.backlog {
            self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpListenDrops);
            return;
        }
        let reuse = l.reuse;
        let mtu = self
            .route_output(ns, *seg.src.ip(), Some(*seg.dst.ip()), None)
            .ok()
            .and_then(|rt| self.ns(ns).dev(rt.dev).map(|d| d.mtu))
            .unwrap_or(1500);
        let (isn, tso) = (self.rng.next_u64() as u32, self.rng.next_u64() as u32);
        let mut c = TcpSock::new();
        c.state = TcpState::SynRecv;
        c.local = seg.dst;
        c.remote = seg.src;
        c.reuse = reuse;
        c.user = false;
        c.parent = Some(lid);
        c.iss = isn;
        c.snd_una = isn;
        c.snd_nxt = isn.wrapping_add(1);
        c.ts_offset = tso;
        self.tcp_synopts(&mut c, seg, mtu);
        c.irs = seg.seq;
        c.rcv_nxt = seg.seq.wrapping_add(1);
        let cid = self.socket_add(Socket {
            ns,
            kind: SockKind::Tcp(Box::new(c)),
        });
        if let Ok(l) = self.tcp(lid) {
            l.accept_queue.push_back(cid);
        }
        self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpPassiveOpens);
        self.tcp_send_syn(cid);
        self.tcp_arm_rto(cid);
    }

    /// What the peer's SYN (or SYN-ACK) options settle: MSS, window scaling,
    /// timestamps, SACK; and our receive window for that MSS.
    fn tcp_synopts(&self, t: &mut TcpSock, seg: &Seg, mtu: u32) {
        let advmss = (mtu.saturating_sub(40)).min(65495) as u16;
        t.ts_ok = seg.ts.is_some();
        t.sack_ok = seg.sack_ok;
        if let Some((v, _)) = seg.ts {
            t.ts_recent = v;
        }
        match seg.wscale {
            Some(s) => t.snd_wscale = s,
            None => {
                t.snd_wscale = 0;
                t.rcv_wscale = 0;
            }
        }
        let ts_room = if t.ts_ok { TS_ALIGNED } else { 0 };
        t.mss = seg
            .mss
            .unwrap_or(536)
            .min(advmss)
            .saturating_sub(ts_room)
            .max(64);
        // The window counts whole segments of our own MSS less the options.
        let m = u32::from(advmss.saturating_sub(ts_room).max(1));
        if t.state == TcpState::SynRecv {
            t.rcv_wnd = 65535 / m * m;
        }
        t.snd_wnd = seg.wnd as u32; // SYN windows are never scaled.
    }

    /// tcp_rcv_state_process(): a segment for a connected socket.
    fn tcp_rcv_state_process(&mut self, id: usize, seg: &Seg) {
        let ns = self.sock_ns(id).unwrap_or(0);
        let now = self.now;
        let Some(t) = self.tcp_ref(id) else { return };
        let state = t.state;
        if state == TcpState::SynSent {
            self.tcp_rcv_synsent(id, seg);
            return;
        }
        // RFC 9293 §3.10.7.4: first the sequence number must be acceptable.
        let in_window = seg.seq == t.rcv_nxt
            || (before(seg.seq, t.rcv_nxt)
                && before(t.rcv_nxt, seg.seq.wrapping_add(seg.len().max(1))));
        if seg.flags & RST != 0 {
            if seg.seq == t.rcv_nxt || state == TcpState::SynRecv {
                let e = match state {
                    TcpState::SynRecv | TcpState::TimeWait => None,
                    TcpState::CloseWait | TcpState::LastAck | TcpState::Closing => {
                        Some(Errno::EPIPE)
                    }
                    _ => Some(Errno::ECONNRESET),
                };
                if matches!(state, TcpState::Established | TcpState::CloseWait) {
                    self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpEstabResets);
                }
                if state == TcpState::TimeWait || state == TcpState::SynRecv {
                    self.tcp_destroy(id);
                } else {
                    self.tcp_done(id, e);
                }
            }
            return;
        }
        if !in_window {
            // A duplicate (a retransmission we already have) or beyond the
            // window: acknowledge what we expect (tcp_send_dupack).
            if seg.len() > 0 {
                self.tcp_send_ack(id);
            }
            return;
        }
        if seg.flags & SYN != 0 && state != TcpState::SynRecv {
            // A SYN in the window: the peer lost the connection (RFC 5961 challenge ACK).
            self.tcp_send_ack(id);
            return;
        }
        if seg.flags & ACK == 0 {
            return;
        }
        let t = self.tcp(id).expect("tcp socket");
        if let Some((v, _)) = seg.ts {
            t.ts_recent = v;
        }
        // The acknowledgement.
        if state == TcpState::SynRecv {
            if seg.ack != t.snd_nxt {
                self.tcp_send_reset(ns, seg);
                return;
            }
            t.state = TcpState::Established;
            t.snd_una = seg.ack;
            t.retries = 0;
            t.rto_at = None;
            t.snd_wnd = (seg.wnd as u32) << t.snd_wscale;
            if let Some(s) = t.rtt_start.take() {
                t.rto = TCP_RTO_MIN + now.saturating_sub(s);
            }
        } else if before(t.snd_una, seg.ack) && !before(t.snd_nxt, seg.ack) {
            let acked = seg.ack.wrapping_sub(t.snd_una);
            let fin_acked = t.fin_sent && seg.ack == t.snd_nxt;
            let data_acked = (acked - u32::from(fin_acked)) as usize;
            t.snd_buf.drain(..data_acked.min(t.snd_buf.len()));
            t.snd_una = seg.ack;
            t.retries = 0;
            t.rto_at = None;
            t.cwnd = (t.cwnd + 1).min(1 << 16);
            if let Some(s) = t.rtt_start.take() {
                t.rto = TCP_RTO_MIN + now.saturating_sub(s);
            }
            t.snd_wnd = (seg.wnd as u32) << t.snd_wscale;
            if fin_acked {
                match t.state {
                    TcpState::FinWait1 => t.state = TcpState::FinWait2,
                    TcpState::Closing => {
                        t.state = TcpState::TimeWait;
                        t.tw_at = Some(now + TCP_TIMEWAIT_LEN);
                        self.tcp_arm(id, now + TCP_TIMEWAIT_LEN);
                    }
                    TcpState::LastAck => {
                        self.tcp_done(id, None);
                        return;
                    }
                    _ => {}
                }
            }
        } else if seg.ack == t.snd_una {
            t.snd_wnd = (seg.wnd as u32) << t.snd_wscale;
        }
        let t = self.tcp(id).expect("tcp socket");
        if t.snd_una != t.snd_nxt && t.rto_at.is_none() {
            self.tcp_arm_rto(id);
        }
        // The data (only the part beyond what we already have).
        let t = self.tcp(id).expect("tcp socket");
        let skip = t.rcv_nxt.wrapping_sub(seg.seq) as usize;
        let mut got = false;
        if seg.data.len() > skip
            && matches!(
                t.state,
                TcpState::Established | TcpState::FinWait1 | TcpState::FinWait2
            )
        {
            let d = &seg.data[skip..];
            if !t.rcv_shut {
                t.rcv_buf.extend(d);
            }
            t.rcv_nxt = t.rcv_nxt.wrapping_add(d.len() as u32);
            got = true;
        }
        // The FIN, once everything before it has arrived.
        let fin_seq = seg.seq.wrapping_add(seg.data.len() as u32);
        let mut fin = false;
        if seg.flags & FIN != 0 && fin_seq == t.rcv_nxt && !t.rcv_fin {
            t.rcv_nxt = t.rcv_nxt.wrapping_add(1);
            t.rcv_fin = true;
            fin = true;
            match t.state {
                TcpState::SynRecv | TcpState::Established => t.state = TcpState::CloseWait,
                TcpState::FinWait1 => t.state = TcpState::Closing,
                TcpState::FinWait2 => {
                    t.state = TcpState::TimeWait;
                    t.tw_at = Some(now + TCP_TIMEWAIT_LEN);
                    t.rto_at = None;
                    self.tcp_arm(id, now + TCP_TIMEWAIT_LEN);
                }
                _ => {}
            }
        } else if seg.flags & FIN != 0 && t.state == TcpState::TimeWait {
            // A retransmitted FIN: our last ACK was lost; restart TIME_WAIT.
            t.tw_at = Some(now + TCP_TIMEWAIT_LEN);
            self.tcp_arm(id, now + TCP_TIMEWAIT_LEN);
            self.tcp_send_ack(id);
            return;
        }
        let state = self.tcp_ref(id).map(|t| t.state);
        if got || (fin && state != Some(TcpState::CloseWait)) {
            // Quick ACK: the first segments of a connection are acknowledged at once.
            self.tcp_send_ack(id);
        } else if fin {
            // tcp_fin() enters pingpong mode: the ACK waits for our answer
            // (nc's close) to ride on, or for the delayed-ACK timer.
            let at = now + TCP_DELACK_MIN;
            if let Ok(t) = self.tcp(id) {
                t.delack_at = Some(at);
            }
            self.tcp_arm(id, at);
        }
        self.tcp_output(id);
    }

    /// tcp_rcv_synsent_state_process(): the answer to our SYN.
    fn tcp_rcv_synsent(&mut self, id: usize, seg: &Seg) {
        let ns = self.sock_ns(id).unwrap_or(0);
        let Some(t) = self.tcp_ref(id) else { return };
        let ack_ok = seg.flags & ACK != 0 && seg.ack == t.snd_nxt;
        if seg.flags & ACK != 0 && !ack_ok {
            if seg.flags & RST == 0 {
                self.tcp_send_reset(ns, seg);
            }
            return;
        }
        if seg.flags & RST != 0 {
            if ack_ok {
                self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpAttemptFails);
                self.tcp_done(id, Some(Errno::ECONNREFUSED));
            }
            return;
        }
        if seg.flags & SYN == 0 || !ack_ok {
            return; // Simultaneous open is not modelled.
        }
        let now = self.now;
        let mtu = self
            .route_output(ns, *t.remote.ip(), Some(*t.local.ip()), None)
            .ok()
            .and_then(|rt| self.ns(ns).dev(rt.dev).map(|d| d.mtu))
            .unwrap_or(1500);
        let mut t = t.clone();
        self.tcp_synopts(&mut t, seg, mtu);
        t.irs = seg.seq;
        t.rcv_nxt = seg.seq.wrapping_add(1);
        t.snd_una = seg.ack;
        t.state = TcpState::Established;
        t.retries = 0;
        t.rto_at = None;
        if let Some(s) = t.rtt_start.take() {
            t.rto = TCP_RTO_MIN + now.saturating_sub(s);
        }
        if let Ok(slot) = self.tcp(id) {
            *slot = t;
        }
        self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpActiveOpens);
        self.tcp_send_ack(id);
        self.tcp_output(id);
    }

    /// tcp_v4_err(): an ICMP error about a segment we sent. During the
    /// handshake it ends the connection with that error; later it is only
    /// remembered (sk_err_soft), reported if the connection times out.
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
        match self.tcp_ref(id).map(|t| t.state) {
            Some(TcpState::SynSent) => {
                self.ns_mut(ns).snmp.inc(crate::snmp::Mib::TcpAttemptFails);
                self.tcp_done(id, Some(err));
            }
            Some(TcpState::SynRecv) => self.tcp_destroy(id),
            _ => {
                if let Ok(t) = self.tcp(id) {
                    t.soft_err = Some(err);
                }
            }
        }
    }
}

/// TCP options being written (at most 40 bytes), on the stack.
struct Opts {
    b: [u8; 40],
    n: usize,
}

impl Default for Opts {
    fn default() -> Opts {
        Opts { b: [0; 40], n: 0 }
    }
}

impl Opts {
    fn extend_from_slice(&mut self, v: &[u8]) {
        self.b[self.n..self.n + v.len()].copy_from_slice(v);
        self.n += v.len();
    }
    fn bytes(&self) -> &[u8] {
        &self.b[..self.n]
    }
}

/// Writes a TCP segment into `s`: header, options (padded to 32 bits),
/// data, checksum.
#[allow(clippy::too_many_arguments)]
fn build(
    s: &mut Vec<u8>,
    src: SocketAddrV4,
    dst: SocketAddrV4,
    seq: u32,
    ack: u32,
    fl: u8,
    wnd: u16,
    opts: &[u8],
    data: &[u8],
) {
    let olen = opts.len().div_ceil(4) * 4;
    s.clear();
    s.extend_from_slice(&src.port().to_be_bytes());
    s.extend_from_slice(&dst.port().to_be_bytes());
    s.extend_from_slice(&seq.to_be_bytes());
    s.extend_from_slice(&ack.to_be_bytes());
    s.push((((20 + olen) / 4) as u8) << 4);
    s.push(fl);
    s.extend_from_slice(&wnd.to_be_bytes());
    s.extend_from_slice(&[0, 0, 0, 0]);
    s.extend_from_slice(opts);
    s.resize(20 + olen, 0);
    s.extend_from_slice(data);
    let ck = l4_checksum(*src.ip(), *dst.ip(), IPPROTO_TCP, s);
    s[16..18].copy_from_slice(&ck.to_be_bytes());
}
