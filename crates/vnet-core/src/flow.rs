//! Flow keys: what a route lookup is asked about (the kernel's `struct
//! flowi4` / `struct flowi6`). Policy rules match on them and multipath
//! hashes them, so a lookup carries the whole key, not just the destination.

use std::net::{Ipv4Addr, Ipv6Addr};

/// struct flowi4: an IPv4 route lookup's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Flowi4 {
    pub daddr: Ipv4Addr,
    /// UNSPECIFIED when the lookup is to choose the source.
    pub saddr: Ipv4Addr,
    /// The output device a socket or `oif` bound the lookup to.
    pub oif: Option<u32>,
    /// The input device of a forwarded (or received) packet; lo's index for
    /// a locally generated one, as flowi4_iif = LOOPBACK_IFINDEX.
    pub iif: Option<u32>,
    /// skb->mark (SO_MARK, `ping -m`, iptables MARK).
    pub mark: u32,
    /// The TOS byte (RT_TOS of it is what rules and routes match).
    pub tos: u8,
    /// IPPROTO_* of the payload, 0 when unknown.
    pub proto: u8,
    /// Transport ports (ICMP: 0), host order.
    pub sport: u16,
    pub dport: u16,
    /// The socket owner's uid (rules' uidrange).
    pub uid: u32,
}

impl Flowi4 {
    /// A key with only the destination set.
    pub fn to(daddr: Ipv4Addr) -> Flowi4 {
        Flowi4 {
            daddr,
            saddr: Ipv4Addr::UNSPECIFIED,
            oif: None,
            iif: None,
            mark: 0,
            tos: 0,
            proto: 0,
            sport: 0,
            dport: 0,
            uid: 0,
        }
    }

    /// A locally generated packet's key (flowi4_init_output): `src` None
    /// lets the route choose, `oif` is the bound device; the input device
    /// is lo, as flowi4_iif = LOOPBACK_IFINDEX.
    pub fn output(daddr: Ipv4Addr, src: Option<Ipv4Addr>, oif: Option<u32>) -> Flowi4 {
        Flowi4 {
            saddr: src.unwrap_or(Ipv4Addr::UNSPECIFIED),
            oif,
            iif: Some(LOOPBACK_IFINDEX),
            ..Flowi4::to(daddr)
        }
    }

    /// A received packet's key (ip_route_input_slow's flowi4).
    pub fn input(daddr: Ipv4Addr, saddr: Ipv4Addr, iif: u32) -> Flowi4 {
        Flowi4 {
            saddr,
            iif: Some(iif),
            ..Flowi4::to(daddr)
        }
    }

    /// The same key with skb->mark (or the socket's SO_MARK) set.
    pub fn with_mark(self, mark: u32) -> Flowi4 {
        Flowi4 { mark, ..self }
    }
}

/// lo's ifindex: the first device of every namespace.
pub const LOOPBACK_IFINDEX: u32 = 1;

/// struct flowi6: an IPv6 route lookup's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Flowi6 {
    pub daddr: Ipv6Addr,
    /// UNSPECIFIED when the lookup is to choose the source.
    pub saddr: Ipv6Addr,
    pub oif: Option<u32>,
    pub iif: Option<u32>,
    pub mark: u32,
    /// The traffic class byte.
    pub tclass: u8,
    /// The 20-bit flow label.
    pub flowlabel: u32,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
    pub uid: u32,
}

impl Flowi6 {
    /// A key with only the destination set.
    pub fn to(daddr: Ipv6Addr) -> Flowi6 {
        Flowi6 {
            daddr,
            saddr: Ipv6Addr::UNSPECIFIED,
            oif: None,
            iif: None,
            mark: 0,
            tclass: 0,
            flowlabel: 0,
            proto: 0,
            sport: 0,
            dport: 0,
            uid: 0,
        }
    }
}
