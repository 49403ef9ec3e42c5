//! UDP sockets (net/ipv4/udp.c): bind, connect, sendto, recvfrom; delivery to
//! the best-matching socket (udp4_lib_lookup's score), port unreachable when
//! none, and ICMP errors reported to connected sockets only (`udp_err` with
//! IP_RECVERR off).

use crate::error::{Errno, KResult};
use crate::flow::Flowi4;
use crate::snmp::Mib;
use crate::sock::{SockKind, Socket};
use crate::types::NsId;
use crate::wire::checksum::l4_checksum;
use crate::wire::ipv4::Ipv4Hdr;
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};

pub const IPPROTO_UDP: u8 = 17;

/// One received datagram and its sender.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Datagram {
    pub from: SocketAddrV4,
    pub data: Vec<u8>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UdpSock {
    /// Bound address; port 0 until bound (explicitly or on first send).
    pub local: SocketAddrV4,
    pub remote: Option<SocketAddrV4>,
    pub reuse: bool,
    pub rx: VecDeque<Datagram>,
    /// sk_err: reported once by the next send or receive.
    pub err: Option<Errno>,
}

impl UdpSock {
    fn new() -> UdpSock {
        UdpSock {
            local: SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0),
            remote: None,
            reuse: false,
            rx: VecDeque::new(),
            err: None,
        }
    }
    /// compute_score(): -1 when the socket does not take the datagram, else
    /// higher for more specific matches.
    fn score(&self, src: SocketAddrV4, dst: SocketAddrV4) -> i32 {
        if self.local.port() != dst.port() {
            return -1;
        }
        let mut s = 0;
        if !self.local.ip().is_unspecified() {
            if self.local.ip() != dst.ip() {
                return -1;
            }
            s += 4;
        }
        if let Some(r) = self.remote {
            if r != src {
                return -1;
            }
            s += 4;
        }
        s
    }
}

/// The truesize a queued datagram of `payload` bytes is charged: its
/// frame with Ethernet, IPv4 and UDP headers (see `sock::truesize`).
fn udp_truesize(payload: usize) -> usize {
    crate::sock::truesize(payload + 14 + 20 + 8)
}

impl World {
    fn udp(&mut self, id: usize) -> KResult<&mut UdpSock> {
        match self.socket(id).map(|s| &mut s.kind) {
            Some(SockKind::Udp(u)) => Ok(u),
            _ => Err(Errno::EINVAL.into()),
        }
    }

    /// socket(AF_INET, SOCK_DGRAM, 0).
    pub fn udp_socket(&mut self, ns: NsId) -> usize {
        self.socket_add(Socket::new(ns, SockKind::Udp(UdpSock::new())))
    }

    pub fn udp_set_reuseaddr(&mut self, id: usize, on: bool) -> KResult<()> {
        self.udp(id)?.reuse = on;
        Ok(())
    }

    /// bind(): port 0 picks an ephemeral port.
    pub fn udp_bind(&mut self, id: usize, addr: SocketAddrV4) -> KResult<()> {
        let ns = self.sockets[id].as_ref().ok_or(Errno::EINVAL)?.ns;
        if self.udp(id)?.local.port() != 0 {
            return Err(Errno::EINVAL.into());
        }
        if !addr.ip().is_unspecified() && !self.ns(ns).is_local4(*addr.ip()) {
            return Err(Errno::EADDRNOTAVAIL.into());
        }
        let reuse = self.udp(id)?.reuse;
        let port = if addr.port() == 0 {
            self.ephemeral_port(ns, IPPROTO_UDP, *addr.ip(), None)?
        } else {
            if self.port_taken(ns, IPPROTO_UDP, *addr.ip(), addr.port(), reuse, Some(id)) {
                return Err(Errno::EADDRINUSE.into());
            }
            addr.port()
        };
        self.udp(id)?.local = SocketAddrV4::new(*addr.ip(), port);
        Ok(())
    }

    /// connect(): fixes the peer, and the source address and port.
    pub fn udp_connect(&mut self, id: usize, dst: SocketAddrV4) -> KResult<()> {
        let ns = self.sockets[id].as_ref().ok_or(Errno::EINVAL)?.ns;
        let local = self.udp(id)?.local;
        let src = (!local.ip().is_unspecified()).then_some(*local.ip());
        let rt = self.route_output(ns, &Flowi4::output(*dst.ip(), src, None))?;
        if local.port() == 0 {
            self.udp_bind(id, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))?;
        }
        let u = self.udp(id)?;
        if u.local.ip().is_unspecified() {
            u.local = SocketAddrV4::new(rt.src, u.local.port());
        }
        u.remote = Some(dst);
        Ok(())
    }

    /// sendto() (or send() on a connected socket with `dst` None).
    pub fn udp_sendto(
        &mut self,
        id: usize,
        dst: Option<SocketAddrV4>,
        data: &[u8],
    ) -> KResult<usize> {
        let ns = self.sockets[id].as_ref().ok_or(Errno::EINVAL)?.ns;
        if let Some(e) = self.udp(id)?.err.take() {
            return Err(e.into());
        }
        let dst = match dst.or(self.udp(id)?.remote) {
            Some(d) => d,
            None => return Err(Errno::ENOTCONN.into()),
        };
        if self.udp(id)?.local.port() == 0 {
            self.udp_bind(id, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))?;
        }
        let local = self.udp(id)?.local;
        let src = (!local.ip().is_unspecified()).then_some(*local.ip());
        let rt = self.route_output(ns, &Flowi4::output(*dst.ip(), src, None))?;
        let mut d = self.take_buf();
        d.extend_from_slice(&local.port().to_be_bytes());
        d.extend_from_slice(&dst.port().to_be_bytes());
        d.extend_from_slice(&((8 + data.len()) as u16).to_be_bytes());
        d.extend_from_slice(&[0, 0]);
        d.extend_from_slice(data);
        let ck = l4_checksum(rt.src, *dst.ip(), IPPROTO_UDP, &d);
        d[6..8].copy_from_slice(&(if ck == 0 { 0xffff } else { ck }).to_be_bytes());
        self.ns_mut(ns).snmp.inc(Mib::UdpOutDatagrams);
        // Connected UDP sockets do path MTU discovery (IP_PMTUDISC_WANT): DF.
        let r = self.ip_send(
            ns,
            Some(rt.src),
            *dst.ip(),
            None,
            IPPROTO_UDP,
            None,
            true,
            0,
            &d,
        );
        self.put_buf(d);
        r.map(|_| data.len())
    }

    /// recvfrom(): the next datagram, None when none is queued.
    pub fn udp_recv(&mut self, id: usize, peek: bool) -> KResult<Option<Datagram>> {
        let Some(s) = self.socket(id) else {
            return Err(Errno::EINVAL.into());
        };
        let SockKind::Udp(u) = &mut s.kind else {
            return Err(Errno::EINVAL.into());
        };
        if let Some(e) = u.err.take() {
            return Err(e.into());
        }
        if peek {
            return Ok(u.rx.front().cloned());
        }
        let d = u.rx.pop_front();
        if let Some(d) = &d {
            s.rmem = s.rmem.saturating_sub(udp_truesize(d.data.len()));
        }
        Ok(d)
    }

    /// recvfrom() into the caller's buffer: the datagram's bytes replace
    /// `buf`'s and its queue buffer goes back to the pool, as the kernel
    /// copies to user memory and frees the skb. None when none is queued.
    pub fn udp_recv_into(&mut self, id: usize, buf: &mut Vec<u8>) -> KResult<Option<SocketAddrV4>> {
        let Some(d) = self.udp_recv(id, false)? else {
            return Ok(None);
        };
        buf.clear();
        buf.extend_from_slice(&d.data);
        self.put_buf(d.data);
        Ok(Some(d.from))
    }

    /// udp_rcv(): true when a socket took the datagram (else the caller
    /// answers port unreachable).
    pub(crate) fn udp_rcv(&mut self, ns: NsId, pkt: &[u8], ihl: usize) -> bool {
        let Some(h) = pkt.get(ihl..ihl + 8) else {
            return false;
        };
        let iph = Ipv4Hdr::new_unchecked(pkt);
        let src = SocketAddrV4::new(iph.src(), u16::from_be_bytes([h[0], h[1]]));
        let dst = SocketAddrV4::new(iph.dst(), u16::from_be_bytes([h[2], h[3]]));
        let ulen = (u16::from_be_bytes([h[4], h[5]]) as usize).clamp(8, pkt.len() - ihl);
        let mut best: Option<(i32, usize)> = None;
        for &id in &self.ns(ns).sockets {
            if let Some(Socket {
                kind: SockKind::Udp(u),
                ..
            }) = &self.sockets[id]
            {
                let s = u.score(src, dst);
                if s >= 0 && best.is_none_or(|b| s > b.0) {
                    best = Some((s, id));
                }
            }
        }
        let Some((_, id)) = best else {
            return false;
        };
        // __udp_enqueue_schedule_skb(): refused once what is queued is
        // over sk_rcvbuf, counted as RcvbufErrors and InErrors.
        let payload = ulen - 8;
        let mut data = self.take_buf();
        let Some(s) = self.sockets[id].as_mut() else {
            return true;
        };
        if s.rmem > s.rcvbuf {
            s.drops += 1;
            let snmp = &mut self.ns_mut(ns).snmp;
            snmp.inc(Mib::UdpRcvbufErrors);
            snmp.inc(Mib::UdpInErrors);
            self.drop_pkt(ns, None, crate::trace::DropReason::RcvBuf);
            self.put_buf(data);
            return true;
        }
        s.rmem += udp_truesize(payload);
        data.extend_from_slice(&pkt[ihl + 8..ihl + ulen]);
        if let SockKind::Udp(u) = &mut s.kind {
            u.rx.push_back(Datagram { from: src, data });
        }
        self.ns_mut(ns).snmp.inc(Mib::UdpInDatagrams);
        true
    }

    /// udp_err(): an ICMP error about a datagram we sent (`quoted` is its IP
    /// header and first bytes). Without IP_RECVERR only hard errors reach
    /// connected sockets.
    pub(crate) fn udp_err(&mut self, ns: NsId, quoted: &[u8], err: Errno, hard: bool) {
        // icmp_socket_deliver() checked the quoted header's 20 bytes.
        let iph = Ipv4Hdr::new_unchecked(quoted);
        let Some(h) = quoted.get(iph.header_len()..iph.header_len() + 4) else {
            return;
        };
        // The quoted datagram is one we sent: its source is our end.
        let local = SocketAddrV4::new(iph.src(), u16::from_be_bytes([h[0], h[1]]));
        let remote = SocketAddrV4::new(iph.dst(), u16::from_be_bytes([h[2], h[3]]));
        for k in 0..self.ns(ns).sockets.len() {
            let id = self.ns(ns).sockets[k];
            if let Some(Socket {
                kind: SockKind::Udp(u),
                ..
            }) = &mut self.sockets[id]
            {
                if u.score(remote, local) >= 0 {
                    if hard && u.remote == Some(remote) {
                        u.err = Some(err);
                    }
                    return;
                }
            }
        }
    }
}
