//! Sockets the simulated programs hold: raw ICMP (ping), packet (tcpdump),
//! UDP (`udp`) and TCP (`tcp`); and the port ownership they share
//! (inet_csk_get_port, __inet_hash_connect).

use crate::types::{NsId, Time};
use crate::wire::ipv4::Ipv4Hdr;
use crate::World;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr};
pub mod tcp;
pub mod udp;

/// An ICMP message delivered to a raw ICMP socket, with its IP header fields.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IcmpRx {
    pub at: Time,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// TTL, or the hop limit for ICMPv6.
    pub ttl: u8,
    /// The device it arrived on (the scope of a link-local source).
    #[serde(default)]
    pub ifindex: u32,
    /// The IP packet's total length.
    pub ip_len: usize,
    /// The ICMP header and body.
    pub icmp: Vec<u8>,
}

/// A frame seen by a packet socket.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Captured {
    pub at: Time,
    pub ifindex: u32,
    pub outgoing: bool,
    /// Whether `data` starts with an Ethernet header (else it is a bare IP packet).
    pub ether: bool,
    pub data: Vec<u8>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum SockKind {
    /// socket(AF_INET, SOCK_RAW, IPPROTO_ICMP): every ICMP message delivered
    /// locally (ping -I binds too, but locally made errors arrive on lo, so
    /// no device filter applies).
    IcmpRaw {
        /// socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) instead: ICMPv6 messages.
        #[serde(default)]
        v6: bool,
        rx: VecDeque<IcmpRx>,
    },
    /// socket(AF_PACKET, SOCK_RAW, ETH_P_ALL), optionally bound to one device.
    Packet {
        ifindex: Option<u32>,
        rx: VecDeque<Captured>,
    },
    Udp(crate::sock::udp::UdpSock),
    Tcp(Box<crate::sock::tcp::TcpSock>),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Socket {
    pub ns: NsId,
    pub kind: SockKind,
}

impl Socket {
    pub fn icmp_raw(ns: NsId) -> Socket {
        Socket {
            ns,
            kind: SockKind::IcmpRaw {
                v6: false,
                rx: VecDeque::new(),
            },
        }
    }
    pub fn icmp6_raw(ns: NsId) -> Socket {
        Socket {
            ns,
            kind: SockKind::IcmpRaw {
                v6: true,
                rx: VecDeque::new(),
            },
        }
    }
    pub fn packet(ns: NsId, ifindex: Option<u32>) -> Socket {
        Socket {
            ns,
            kind: SockKind::Packet {
                ifindex,
                rx: VecDeque::new(),
            },
        }
    }
    pub fn is_packet(&self) -> bool {
        matches!(self.kind, SockKind::Packet { .. })
    }
    /// A device went away or left the namespace.
    pub(crate) fn dev_gone(&mut self, ifindex: u32) {
        if let SockKind::Packet {
            ifindex: Some(i), ..
        } = &self.kind
        {
            if *i == ifindex {
                // The kernel reports ENETDOWN to the reader; tcpdump then exits.
                self.kind = SockKind::Packet {
                    ifindex: Some(u32::MAX),
                    rx: VecDeque::new(),
                };
            }
        }
    }
}

impl Socket {
    /// (protocol, local address, SO_REUSEADDR, listening or bound-only) of an
    /// inet socket holding a port.
    fn port_owner(&self) -> Option<(u8, std::net::SocketAddrV4, bool, bool)> {
        match &self.kind {
            SockKind::Udp(u) => Some((crate::sock::udp::IPPROTO_UDP, u.local, u.reuse, false)),
            SockKind::Tcp(t)
                if t.local.port() != 0 && t.state != crate::sock::tcp::TcpState::Close =>
            {
                Some((
                    crate::sock::tcp::IPPROTO_TCP,
                    t.local,
                    t.reuse,
                    t.state == crate::sock::tcp::TcpState::Listen,
                ))
            }
            _ => None,
        }
    }
}

impl crate::world::World {
    /// Whether binding `proto` port `port` on `ip` conflicts with a socket of
    /// the namespace (inet_csk_bind_conflict: overlapping addresses, unless
    /// both set SO_REUSEADDR and the other does not listen).
    pub(crate) fn port_taken(
        &self,
        ns: NsId,
        proto: u8,
        ip: Ipv4Addr,
        port: u16,
        reuse: bool,
        except: Option<usize>,
    ) -> bool {
        self.ns(ns).sockets.iter().any(|&id| {
            if Some(id) == except {
                return false;
            }
            let Some((p, a, r, listening)) = self.sockets[id].as_ref().and_then(|s| s.port_owner())
            else {
                return false;
            };
            p == proto
                && a.port() == port
                && (a.ip().is_unspecified() || ip.is_unspecified() || *a.ip() == ip)
                && !(reuse && r && !listening)
        })
    }

    /// A free port of net.ipv4.ip_local_port_range drawn at random, as the
    /// kernel does: connect() (`even`: Some(true)) prefers even ports and
    /// bind(0) (Some(false)) odd ones, so that the two rarely collide; UDP
    /// takes any (None).
    pub(crate) fn ephemeral_port(
        &mut self,
        ns: NsId,
        proto: u8,
        ip: Ipv4Addr,
        even: Option<bool>,
    ) -> crate::KResult<u16> {
        let range = self
            .ns(ns)
            .sysctl
            .values
            .get("net.ipv4.ip_local_port_range")
            .cloned();
        let (lo, hi) = range
            .as_deref()
            .and_then(|v| {
                let mut it = v.split_whitespace().map(|x| x.parse::<u32>().ok());
                Some((it.next()??, it.next()??))
            })
            .unwrap_or((32768, 60999));
        let n = (hi.saturating_sub(lo) + 1).max(1);
        let mut off = (self.rng.next_u64() % n as u64) as u32;
        if let Some(e) = even {
            off = (off & !1) | u32::from(!e);
        }
        let step = if even.is_some() { 2 } else { 1 };
        for parity in 0..step {
            for k in 0..n.div_ceil(step) {
                let p = lo + (off + parity + step * k) % n;
                if let Ok(p16) = u16::try_from(p) {
                    if !self.port_taken(ns, proto, ip, p16, false, None) {
                        return Ok(p16);
                    }
                }
            }
        }
        Err(crate::Errno::EADDRNOTAVAIL.into())
    }
}

impl crate::world::World {
    /// icmp_socket_deliver(): an ICMP error about a TCP or UDP packet we sent
    /// (`quoted`: its IP header and first bytes) goes to the protocol's error
    /// handler, with the errno and hardness of icmp_err_convert[].
    pub(crate) fn icmp_socket_deliver(&mut self, ns: NsId, typ: u8, code: u8, quoted: &[u8]) {
        use crate::Errno::*;
        let Some(iph) = Ipv4Hdr::new(quoted).filter(|h| h.version() == 4) else {
            return;
        };
        let (err, hard) = if typ == crate::wire::icmp::TIME_EXCEEDED {
            (EHOSTUNREACH, false)
        } else {
            match code {
                0 | 6 | 11 => (ENETUNREACH, code == 6),
                2 => (ENOPROTOOPT, true),
                3 => (ECONNREFUSED, true),
                // Fragmentation needed is path MTU discovery's business.
                4 => return,
                9 => (ENETUNREACH, true),
                10 | 13 => (EHOSTUNREACH, true),
                7 => (EHOSTUNREACH, true),
                _ => (EHOSTUNREACH, false),
            }
        };
        match iph.protocol() {
            crate::sock::tcp::IPPROTO_TCP => self.tcp_err(ns, quoted, err),
            crate::sock::udp::IPPROTO_UDP => self.udp_err(ns, quoted, err, hard),
            _ => {}
        }
    }
}

impl World {
    /// Allocates a socket slot.
    pub fn socket_add(&mut self, s: Socket) -> usize {
        let ns = s.ns;
        let id = match self.sockets.iter().position(|s| s.is_none()) {
            Some(i) => {
                self.sockets[i] = Some(s);
                i
            }
            None => {
                self.sockets.push(Some(s));
                self.sockets.len() - 1
            }
        };
        let tap = self.sockets[id].as_ref().is_some_and(Socket::is_packet);
        let n = self.ns_mut(ns);
        n.sockets.push(id);
        n.taps += tap as u32;
        id
    }

    /// The sockets open in namespace `ns` with their ids, oldest first: a
    /// read-only view for listings (/proc/net/tcp, udp, raw, packet).
    pub fn sockets_in(&self, ns: NsId) -> impl Iterator<Item = (usize, &Socket)> + '_ {
        let ids: &[usize] = self
            .netns
            .get(ns)
            .and_then(|n| n.as_ref())
            .map_or(&[], |n| &n.sockets);
        ids.iter()
            .filter_map(|&id| Some((id, self.sockets.get(id)?.as_ref()?)))
    }

    /// Sockets bound to a device that left the namespace lose it.
    pub(crate) fn sockets_dev_gone(&mut self, ns: NsId, ifindex: u32) {
        for k in 0..self.ns(ns).sockets.len() {
            let id = self.ns(ns).sockets[k];
            if let Some(s) = self.sockets[id].as_mut() {
                s.dev_gone(ifindex);
            }
        }
    }

    pub(crate) fn socket(&mut self, id: usize) -> Option<&mut Socket> {
        self.sockets.get_mut(id)?.as_mut()
    }

    pub fn socket_close(&mut self, id: usize) {
        if let Some(s) = self.sockets.get_mut(id).and_then(|s| s.take()) {
            if let Some(n) = self.netns.get_mut(s.ns).and_then(|n| n.as_mut()) {
                n.sockets.retain(|x| *x != id);
                n.taps -= s.is_packet() as u32;
            }
        }
    }

    /// Reads every message queued on a raw ICMP/ICMPv6 socket (recvmsg
    /// until EAGAIN); none for another kind of socket.
    pub fn icmp_recv_all(&mut self, id: usize) -> Vec<IcmpRx> {
        match self.socket(id).map(|s| &mut s.kind) {
            Some(SockKind::IcmpRaw { rx, .. }) => rx.drain(..).collect(),
            _ => Vec::new(),
        }
    }

    /// Reads every frame a packet socket captured; `None` once the device
    /// it was bound to is gone (recvmsg's ENETDOWN), or for another kind.
    pub fn packet_recv_all(&mut self, id: usize) -> Option<Vec<Captured>> {
        match &mut self.socket(id)?.kind {
            SockKind::Packet { ifindex, rx } => {
                if *ifindex == Some(u32::MAX) {
                    return None;
                }
                Some(rx.drain(..).collect())
            }
            _ => None,
        }
    }
}
