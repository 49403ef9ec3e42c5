//! The trace events of a run, indexed by packet: what each packet was
//! (from the first bytes the trace shows of it), which packet caused it,
//! and its events in order.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use vnet_core::trace::{PktId, Trace, Traced};
use vnet_core::NsId;

/// What an IPv4 packet is, read from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ip {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub proto: u8,
    pub ttl: u8,
    pub df: bool,
    pub len: usize,
    /// ICMP type and code.
    pub icmp: Option<(u8, u8)>,
    /// TCP/UDP ports.
    pub ports: Option<(u16, u16)>,
    /// TCP flags byte.
    pub tcp_flags: Option<u8>,
}

pub const ICMP: u8 = 1;
pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const TCP_SYN: u8 = 0x02;
pub const TCP_RST: u8 = 0x04;
pub const TCP_ACK: u8 = 0x10;

impl Ip {
    /// Reads an IPv4 header (and the first bytes of ICMP/TCP/UDP); None
    /// for anything shorter or not IPv4.
    pub fn parse(b: &[u8]) -> Option<Ip> {
        let v = *b.first()?;
        if v >> 4 != 4 || b.len() < 20 {
            return None;
        }
        let ihl = ((v & 0x0f) as usize) * 4;
        let at = |i: usize| b.get(i).copied();
        let addr = |i: usize| -> Option<Ipv4Addr> {
            Some(Ipv4Addr::new(at(i)?, at(i + 1)?, at(i + 2)?, at(i + 3)?))
        };
        let proto = at(9)?;
        // Only a first fragment carries the transport header.
        let first = (u16::from_be_bytes([at(6)?, at(7)?]) & 0x1fff) == 0;
        let l4 = |i: usize| if first { at(ihl + i) } else { None };
        let port = |i: usize| Some(u16::from_be_bytes([l4(i)?, l4(i + 1)?]));
        Some(Ip {
            src: addr(12)?,
            dst: addr(16)?,
            proto,
            ttl: at(8)?,
            df: at(6)? & 0x40 != 0,
            len: u16::from_be_bytes([at(2)?, at(3)?]) as usize,
            icmp: (proto == ICMP).then(|| Some((l4(0)?, l4(1)?))).flatten(),
            ports: matches!(proto, TCP | UDP)
                .then(|| Some((port(0)?, port(2)?)))
                .flatten(),
            tcp_flags: (proto == TCP).then(|| l4(13)).flatten(),
        })
    }
}

/// What a packet is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ip(Ip),
    Arp,
    Ip6,
    Other,
    /// No bytes of it were seen (it died before it was built).
    Unseen,
}

/// One packet: where it was born, what caused it, its events.
#[derive(Clone, Debug)]
pub struct Pkt {
    pub id: PktId,
    pub cause: PktId,
    pub born_ns: Option<NsId>,
    pub kind: Kind,
    /// Indexes into [`Index::events`], in order.
    pub events: Vec<usize>,
}

/// The events of a run, by packet.
#[derive(Default)]
pub struct Index {
    pub events: Vec<Traced>,
    pub pkts: BTreeMap<PktId, Pkt>,
    /// Packets caused by each packet, in birth order.
    pub children: BTreeMap<PktId, Vec<PktId>>,
}

/// The bytes of a frame as an IP packet, or what else it is.
fn frame_kind(frame: &[u8], ether: bool) -> Kind {
    if !ether {
        return match frame.first().map(|v| v >> 4) {
            Some(4) => Ip::parse(frame).map(Kind::Ip).unwrap_or(Kind::Other),
            Some(6) => Kind::Ip6,
            _ => Kind::Other,
        };
    }
    let mut off = 12;
    let mut ty = match frame.get(12..14) {
        Some(t) => u16::from_be_bytes([t[0], t[1]]),
        None => return Kind::Other,
    };
    // One 802.1Q tag.
    if ty == 0x8100 {
        off = 16;
        ty = match frame.get(16..18) {
            Some(t) => u16::from_be_bytes([t[0], t[1]]),
            None => return Kind::Other,
        };
    }
    let payload = frame.get(off + 2..).unwrap_or(&[]);
    match ty {
        0x0800 => Ip::parse(payload).map(Kind::Ip).unwrap_or(Kind::Other),
        0x0806 => Kind::Arp,
        0x86dd => Kind::Ip6,
        _ => Kind::Other,
    }
}

/// What an event shows of its packet's bytes.
pub fn event_kind(ev: &Trace) -> Option<Kind> {
    match ev {
        Trace::Built { packet, .. } => Some(match packet.first().map(|v| v >> 4) {
            Some(6) => Kind::Ip6,
            _ => Ip::parse(packet).map(Kind::Ip).unwrap_or(Kind::Other),
        }),
        Trace::Rx { frame, ether, .. } | Trace::Tx { frame, ether, .. } => {
            Some(frame_kind(frame, *ether))
        }
        _ => None,
    }
}

impl Index {
    pub fn new(events: Vec<Traced>) -> Index {
        let mut ix = Index {
            events,
            ..Index::default()
        };
        for i in 0..ix.events.len() {
            let t = &ix.events[i];
            let id = t.pkt;
            if id == PktId::NONE {
                continue;
            }
            let kind = event_kind(&t.ev);
            let born = match t.ev {
                Trace::Born { ns, cause } => Some((ns, cause)),
                _ => None,
            };
            let p = ix.pkts.entry(id).or_insert(Pkt {
                id,
                cause: PktId::NONE,
                born_ns: None,
                kind: Kind::Unseen,
                events: Vec::new(),
            });
            if let Some((ns, cause)) = born {
                p.born_ns = Some(ns);
                p.cause = cause;
                if cause != PktId::NONE {
                    ix.children.entry(cause).or_default().push(id);
                }
            }
            if let (Kind::Unseen, Some(k)) = (p.kind, kind) {
                p.kind = k;
            }
            p.events.push(i);
        }
        ix
    }

    pub fn pkt(&self, id: PktId) -> Option<&Pkt> {
        self.pkts.get(&id)
    }

    /// The packets `id` caused, directly.
    pub fn children(&self, id: PktId) -> &[PktId] {
        self.children.get(&id).map(|v| &v[..]).unwrap_or(&[])
    }

    /// The events of a packet.
    pub fn events_of(&self, id: PktId) -> impl Iterator<Item = (usize, &Traced)> + '_ {
        self.pkt(id)
            .into_iter()
            .flat_map(|p| p.events.iter().map(|&i| (i, &self.events[i])))
    }

    /// The IPv4 header of a packet as first seen.
    pub fn ip(&self, id: PktId) -> Option<Ip> {
        match self.pkt(id)?.kind {
            Kind::Ip(ip) => Some(ip),
            _ => None,
        }
    }

    /// Packets the lab made on its own in namespace `ns` (no cause), IPv4,
    /// in birth order: what a program's sockets sent.
    pub fn roots_in(&self, ns: Option<NsId>) -> Vec<PktId> {
        let mut v: Vec<(usize, PktId)> = self
            .pkts
            .values()
            .filter(|p| p.cause == PktId::NONE && p.born_ns.is_some())
            .filter(|p| ns.is_none() || p.born_ns == ns)
            .filter(|p| matches!(p.kind, Kind::Ip(_) | Kind::Unseen))
            .map(|p| (p.events.first().copied().unwrap_or(0), p.id))
            .collect();
        v.sort();
        v.into_iter().map(|(_, id)| id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_icmp_echo_request_header() {
        let mut b = vec![0x45, 0, 0, 84, 0, 0, 0x40, 0, 64, 1, 0, 0];
        b.extend_from_slice(&[10, 0, 1, 2, 10, 0, 2, 2, 8, 0, 0, 0]);
        let ip = Ip::parse(&b).expect("ipv4");
        assert_eq!(ip.src, Ipv4Addr::new(10, 0, 1, 2));
        assert_eq!(ip.dst, Ipv4Addr::new(10, 0, 2, 2));
        assert_eq!(ip.icmp, Some((8, 0)));
        assert!(ip.df);
        assert_eq!(ip.len, 84);
        assert!(Ip::parse(&b[..19]).is_none());
    }

    #[test]
    fn a_later_fragment_has_no_transport_header() {
        let mut b = vec![0x45, 0, 0, 84, 0, 0, 0x00, 0x10, 64, 6, 0, 0];
        b.extend_from_slice(&[10, 0, 1, 2, 10, 0, 2, 2, 0, 80, 0, 80]);
        let ip = Ip::parse(&b).expect("ipv4");
        assert_eq!(ip.ports, None);
    }
}
