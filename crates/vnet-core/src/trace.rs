//! Structured trace events: one per decision on the packet path.
//!
//! Nothing is built unless a tracer is installed (`World::set_tracer`), so
//! tracing costs one branch per decision point when nobody listens.

use crate::neigh::NudState;
use crate::types::{Mac, NsId, Time};
use std::net::{IpAddr, Ipv4Addr};

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
    /// A netfilter verdict (DROP, REJECT, a policy, or conntrack).
    Netfilter,
    /// A tunnel found no route to its remote (tx_carrier_errors).
    TunnelNoRoute,
    /// The route to a tunnel's remote goes through the tunnel (collisions).
    TunnelLoop,
    /// An inner DF packet larger than the tunnel's path: "fragmentation needed" sent.
    TunnelFragNeeded,
    /// A packet of a protocol the tunnel does not carry.
    TunnelProtocol,
    /// No tunnel takes an arriving encapsulated packet.
    TunnelNoMatch,
    /// A malformed tunnel header.
    TunnelHeader,
    /// GRE checksum wrong, or present/absent against the tunnel's icsum.
    TunnelCsum,
    /// GRE sequence number missing or out of order (iseq).
    TunnelSeq,
    /// vxlan: no fdb entry and no default destination (SKB_DROP_REASON_NO_TX_TARGET).
    VxlanNoTarget,
    /// vxlan: a datagram on a vxlan port without the I flag or with a VNI
    /// no device has.
    VxlanNoVni,
    /// vxlan: a frame from the device's own MAC, or from a MAC that a
    /// permanent fdb entry puts behind another VTEP.
    VxlanLoop,
    /// A socket's receive buffer (sk_rcvbuf) was full.
    RcvBuf,
    /// The CPU's input backlog (net.core.netdev_max_backlog) was full.
    Backlog,
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
        dst: IpAddr,
        table: Option<u32>,
        result: String,
    },
    Neigh {
        ns: NsId,
        dev: String,
        ip: IpAddr,
        state: NudState,
    },
    IcmpSend {
        ns: NsId,
        to: IpAddr,
        icmp_type: u8,
        code: u8,
    },
    LocalDeliver {
        ns: NsId,
        src: IpAddr,
        dst: IpAddr,
        proto: u8,
    },
    Forward {
        ns: NsId,
        src: IpAddr,
        dst: IpAddr,
        out: String,
    },
    /// A netfilter decision: which hook, which table or conntrack step, what came out.
    Netfilter {
        ns: NsId,
        hook: &'static str,
        step: &'static str,
        result: String,
    },
    Drop {
        ns: NsId,
        dev: Option<String>,
        reason: DropReason,
    },
    /// A tunnel encapsulates (or decapsulates) a packet between these outer addresses.
    Tunnel {
        ns: NsId,
        dev: String,
        encap: bool,
        outer_src: Ipv4Addr,
        outer_dst: Ipv4Addr,
    },
}

/// A listener for trace events.
pub type Tracer = Box<dyn FnMut(Time, &Trace)>;

/// The namespace as a person knows it: the host, or its index.
fn ns_label(ns: NsId) -> String {
    if ns == 0 {
        "host".into()
    } else {
        format!("ns#{ns}")
    }
}

impl std::fmt::Display for Trace {
    /// One line per decision, for `vnet run --trace`.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Trace::Rx { ns, dev, len } => write!(f, "{} {dev}: rx {len} bytes", ns_label(*ns)),
            Trace::Tx { ns, dev, len } => write!(f, "{} {dev}: tx {len} bytes", ns_label(*ns)),
            Trace::FdbLearn {
                ns,
                bridge,
                mac,
                port,
            } => write!(f, "{} {bridge}: fdb learns {mac} on {port}", ns_label(*ns)),
            Trace::FdbLookup {
                ns,
                bridge,
                mac,
                port,
            } => match port {
                Some(p) => write!(f, "{} {bridge}: fdb {mac} -> {p}", ns_label(*ns)),
                None => write!(f, "{} {bridge}: fdb {mac} unknown", ns_label(*ns)),
            },
            Trace::Flood { ns, bridge, ports } => {
                write!(f, "{} {bridge}: flood to {ports} ports", ns_label(*ns))
            }
            Trace::RouteLookup {
                ns, dst, result, ..
            } => write!(f, "{} route {dst}: {result}", ns_label(*ns)),
            Trace::Neigh { ns, dev, ip, state } => {
                write!(f, "{} {dev}: neigh {ip} {}", ns_label(*ns), state.name())
            }
            Trace::IcmpSend {
                ns,
                to,
                icmp_type,
                code,
            } => write!(
                f,
                "{} icmp type {icmp_type} code {code} to {to}",
                ns_label(*ns)
            ),
            Trace::LocalDeliver {
                ns,
                src,
                dst,
                proto,
            } => write!(f, "{} deliver {src} -> {dst} proto {proto}", ns_label(*ns)),
            Trace::Forward { ns, src, dst, out } => {
                write!(f, "{} forward {src} -> {dst} out {out}", ns_label(*ns))
            }
            Trace::Netfilter {
                ns,
                hook,
                step,
                result,
            } => write!(f, "{} {hook} {step}: {result}", ns_label(*ns)),
            Trace::Tunnel {
                ns,
                dev,
                encap,
                outer_src,
                outer_dst,
            } => write!(
                f,
                "{} {dev}: {} {outer_src} -> {outer_dst}",
                ns_label(*ns),
                if *encap { "encap" } else { "decap" }
            ),
            Trace::Drop { ns, dev, reason } => match dev {
                Some(d) => write!(f, "{} {d}: drop ({reason:?})", ns_label(*ns)),
                None => write!(f, "{} drop ({reason:?})", ns_label(*ns)),
            },
        }
    }
}
