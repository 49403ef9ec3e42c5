//! Structured trace events: one per decision on the packet path.
//!
//! Nothing is built unless a tracer is installed (`World::set_tracer`), so
//! tracing costs one branch per decision point when nobody listens.

use crate::neigh::NudState;
use crate::types::{Mac, NsId, Time};
use std::net::Ipv4Addr;

/// Why a packet was dropped (names after the kernel's skb drop reasons).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    DevDown,
    NoCarrier,
    NotForUs,
    IpHdr,
    IpInAddrErrors,
    NoRoute,
    Blackhole,
    Unreachable,
    Prohibit,
    TtlExceeded,
    NeighFailed,
    NeighQueueFull,
    NoSocket,
    FdbSamePort,
    PortNotForwarding,
    TapNotAttached,
    UnknownProtocol,
    ForwardingDisabled,
}

#[derive(Clone, Debug)]
pub enum Trace {
    Rx {
        ns: NsId,
        dev: String,
        len: usize,
    },
    Tx {
        ns: NsId,
        dev: String,
        len: usize,
    },
    FdbLearn {
        ns: NsId,
        bridge: String,
        mac: Mac,
        port: String,
    },
    FdbLookup {
        ns: NsId,
        bridge: String,
        mac: Mac,
        port: Option<String>,
    },
    Flood {
        ns: NsId,
        bridge: String,
        ports: usize,
    },
    RouteLookup {
        ns: NsId,
        dst: Ipv4Addr,
        table: Option<u32>,
        result: String,
    },
    Neigh {
        ns: NsId,
        dev: String,
        ip: Ipv4Addr,
        state: NudState,
    },
    IcmpSend {
        ns: NsId,
        to: Ipv4Addr,
        icmp_type: u8,
        code: u8,
    },
    LocalDeliver {
        ns: NsId,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        proto: u8,
    },
    Forward {
        ns: NsId,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        out: String,
    },
    Drop {
        ns: NsId,
        dev: Option<String>,
        reason: DropReason,
    },
}

/// A listener for trace events.
pub type Tracer = Box<dyn FnMut(Time, &Trace)>;
