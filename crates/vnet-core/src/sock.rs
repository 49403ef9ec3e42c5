//! Sockets the simulated programs hold: raw ICMP (ping) and packet (tcpdump).

use crate::types::{NsId, Time};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::net::Ipv4Addr;

/// An ICMP message delivered to a raw ICMP socket, with its IP header fields.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IcmpRx {
    pub at: Time,
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub ttl: u8,
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
    IcmpRaw { rx: VecDeque<IcmpRx> },
    /// socket(AF_PACKET, SOCK_RAW, ETH_P_ALL), optionally bound to one device.
    Packet {
        ifindex: Option<u32>,
        rx: VecDeque<Captured>,
    },
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
