//! Structured trace events: one per decision on the packet path, each
//! about one packet (`PktId`), so a packet can be followed from device to
//! device and the packets it caused (replies, ICMP errors, ARP requests)
//! linked back to it.
//!
//! Nothing is built unless a tracer is installed (`World::set_tracer`), so
//! tracing costs one branch per decision point when nobody listens.

use crate::neigh::NudState;
use crate::types::{Mac, NsId, Time};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr};

/// A packet's identity in the trace: given when the lab makes it, kept
/// through forwarding, bridging, NAT, fragmentation and encapsulation.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct PktId(pub u64);

impl PktId {
    /// No packet: a decision made outside the packet path.
    pub const NONE: PktId = PktId(0);
}

/// Why a packet was dropped (names after the kernel's skb drop reasons).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    DevDown,
    NoCarrier,
    NotForUs,
    IpHdr,
    IpInAddrErrors,
    /// Route input found no route (ip_error: IpInNoRoutes... see `counter`).
    NoRoute,
    /// A packet the namespace sends has no route (ip_route_output failed).
    OutNoRoute,
    Blackhole,
    Unreachable,
    Prohibit,
    TtlExceeded,
    NeighFailed,
    NeighQueueFull,
    NoSocket,
    FdbSamePort,
    PortNotForwarding,
    /// br_allowed_ingress()/br_allowed_egress(): the frame's vlan is not
    /// the port's (or an untagged frame on a port without pvid).
    VlanFilter,
    TapNotAttached,
    /// No transport protocol takes an IP packet (ip_local_deliver).
    UnknownProtocol,
    /// No layer-3 protocol takes a frame's ethertype (__netif_receive_skb).
    UnhandledEtherType,
    ForwardingDisabled,
    /// A netfilter verdict (DROP, REJECT, a policy).
    Netfilter,
    /// Conntrack refused a new connection: its table is full of assured ones.
    ConntrackFull,
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
    /// Reverse-path filtering (rp_filter) refused the source.
    RpFilter,
    /// A martian source: one of the namespace's own addresses, or a
    /// source whose route back is not unicast (fib_validate_source's -EINVAL).
    MartianSource,
    /// ifb: a packet given to it without a tc redirect source (ifb_xmit).
    IfbNotRedirected,
    /// A frame on an inactive bond slave (RX_HANDLER_EXACT, no exact handler).
    BondInactive,
}

impl DropReason {
    /// The kernel's name for the drop (`SKB_DROP_REASON_*` of Linux 6.1's
    /// include/net/dropreason.h, without the prefix), as pwru and
    /// dropwatch show it. `NOT_SPECIFIED` where the kernel frees the
    /// packet with plain kfree_skb() and gives no reason.
    pub fn kernel_name(self) -> &'static str {
        use DropReason::*;
        match self {
            // __dev_queue_xmit() on a device that is down; tun_net_xmit()
            // with no queue attached.
            DevDown | TapNotAttached => "DEV_READY",
            NotForUs => "OTHERHOST",
            IpHdr => "IP_INHDR",
            // ip_error(): EHOSTUNREACH (an unreachable route, or no
            // forwarding) counts as an address error.
            IpInAddrErrors | Unreachable | ForwardingDisabled => "IP_INADDRERRORS",
            NoRoute => "IP_INNOROUTES",
            OutNoRoute => "IP_OUTNOROUTES",
            // ip_forward()'s too_many_hops; ip6_forward()'s hop limit.
            TtlExceeded => "IP_INHDR",
            NeighFailed => "NEIGH_FAILED",
            NeighQueueFull => "NEIGH_QUEUEFULL",
            NoSocket => "NO_SOCKET",
            UnknownProtocol => "IP_NOPROTO",
            UnhandledEtherType => "UNHANDLED_PROTO",
            Netfilter | ConntrackFull => "NETFILTER_DROP",
            RcvBuf => "SOCKET_RCVBUFF",
            Backlog => "CPU_BACKLOG",
            // ifb_xmit(): dev_kfree_skb(), no reason.
            IfbNotRedirected => "NOT_SPECIFIED",
            BondInactive => "UNHANDLED_PROTO",
            VxlanNoTarget => "NO_TX_TARGET",
            RpFilter => "IP_RPFILTER",
            // veth_xmit() to a peer that is down, dst_discard() of a
            // blackhole, ip_error()'s EACCES, the bridge's drops, and the
            // tunnels' own checks: plain kfree_skb().
            NoCarrier | Blackhole | Prohibit | FdbSamePort | PortNotForwarding | VlanFilter
            | TunnelNoRoute | TunnelLoop | TunnelFragNeeded | TunnelProtocol | TunnelNoMatch
            | TunnelHeader | TunnelCsum | TunnelSeq | VxlanNoVni | VxlanLoop | MartianSource => {
                "NOT_SPECIFIED"
            }
        }
    }

    /// The counter the kernel moves for this drop: a /proc/net/snmp or
    /// netstat field as nstat names it, a device statistic (`ip -s link`),
    /// or a table's statistic; None where nothing counts it (a netfilter
    /// rule's own packet counter, shown by `iptables -v`, excepted).
    pub fn counter(self) -> Option<&'static str> {
        use DropReason::*;
        Some(match self {
            DevDown | NoCarrier | TapNotAttached => "tx_dropped",
            IpHdr | TtlExceeded => "IpInHdrErrors",
            IpInAddrErrors | Unreachable | ForwardingDisabled => "IpInAddrErrors",
            NoRoute => "IpExtInNoRoutes",
            OutNoRoute => "IpOutNoRoutes",
            // /proc/net/stat/arp_cache (ndisc_cache for IPv6).
            NeighFailed | NeighQueueFull => "unresolved_discards",
            NoSocket => "UdpNoPorts",
            UnknownProtocol => "IpInUnknownProtos",
            UnhandledEtherType | Backlog | IfbNotRedirected => "rx_dropped",
            BondInactive => "rx_nohandler",
            // `conntrack -S`: drop.
            ConntrackFull => "nf_conntrack drop",
            RcvBuf => "UdpRcvbufErrors",
            TunnelNoRoute => "tx_carrier_errors",
            TunnelLoop => "collisions",
            TunnelCsum | TunnelSeq | TunnelHeader => "rx_errors",
            VxlanNoTarget => "tx_dropped",
            RpFilter => "IPReversePathFilter",
            // /proc/net/stat/rt_cache: in_martian_src.
            MartianSource => "in_martian_src",
            NotForUs | Blackhole | Prohibit | FdbSamePort | PortNotForwarding | VlanFilter
            | Netfilter | TunnelFragNeeded | TunnelProtocol | TunnelNoMatch | VxlanNoVni
            | VxlanLoop => return None,
        })
    }
}

/// One event as a tracer receives it: when, which packet, where.
#[derive(Clone, Debug)]
pub struct Traced {
    pub at: Time,
    pub pkt: PktId,
    /// The namespace as the person running the lab names it (`World::ns_label`).
    pub place: String,
    pub ev: Trace,
}

#[derive(Clone, Debug)]
pub enum Trace {
    /// The lab made this packet (a socket sent it, the kernel answered or
    /// reported an error); `cause` is the packet being processed then.
    Born { ns: NsId, cause: PktId },
    /// The IP packet a socket or the kernel built, before OUTPUT (so a
    /// packet that never reaches a device still shows what it was).
    Built { ns: NsId, packet: Vec<u8> },
    /// A frame arrives on a device; `ether`: it starts with an Ethernet
    /// header (false on layer-3 devices: tun, ipip, gre, sit).
    Rx {
        ns: NsId,
        dev: String,
        frame: Vec<u8>,
        ether: bool,
    },
    /// A frame leaves a device.
    Tx {
        ns: NsId,
        dev: String,
        frame: Vec<u8>,
        ether: bool,
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
    /// A routing decision: the route as `ip route` prints it (or why there
    /// is none), its table, and the policy rule that chose the table.
    RouteLookup {
        ns: NsId,
        dst: IpAddr,
        table: Option<u32>,
        result: String,
        rule: Option<String>,
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
    /// A netfilter chain's verdict on the packet: the rule that decided
    /// (its number in the chain and `iptables -S` text), or the policy.
    Netfilter {
        ns: NsId,
        /// `ip` (iptables) or `ip6` (ip6tables), as nft names the families.
        family: &'static str,
        /// PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING.
        hook: &'static str,
        /// raw, mangle, nat, filter, security.
        table: &'static str,
        chain: String,
        /// 1-based, as `iptables -L --line-numbers`; None for the policy
        /// (or a user chain's end, an implicit RETURN).
        rule: Option<u32>,
        /// `-A FORWARD -s 10.0.0.0/24 -j ACCEPT` (as `iptables -S` prints
        /// it), `-P FORWARD DROP` for a policy, empty at a user chain's end.
        text: String,
        /// ACCEPT, DROP, REJECT, RETURN, a NAT target's name (SNAT, DNAT,
        /// MASQUERADE, REDIRECT, NETMAP), `jump CHAIN`, `goto CHAIN`.
        verdict: String,
        /// How many of the chain's rules the packet was tested against,
        /// the deciding one included (for a policy: all it met).
        tried: u32,
    },
    /// Conntrack's classification: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED.
    Conntrack {
        ns: NsId,
        hook: &'static str,
        state: &'static str,
        /// The packet goes the connection's reply direction.
        reply: bool,
    },
    /// A NAT rewrite: `kind` is the target that set the mapping up
    /// (SNAT, DNAT, MASQUERADE, REDIRECT, NETMAP) on the packet that did,
    /// else the rewrite (SNAT: the source, DNAT: the destination, as for
    /// the replies of a connection); the tuple before and after
    /// (`10.0.1.2:1234 -> 10.0.2.2:80`, `10.0.1.2 -> 10.0.2.2 id 7`).
    Nat {
        ns: NsId,
        hook: &'static str,
        kind: &'static str,
        before: String,
        after: String,
    },
    Drop {
        ns: NsId,
        dev: Option<String>,
        reason: DropReason,
        /// `reason.kernel_name()`: the kernel's SKB_DROP_REASON_*.
        kernel_reason: &'static str,
        /// `reason.counter()`: the counter that moved.
        counter: Option<&'static str>,
        /// What decided, where the reason alone does not say it: for a
        /// netfilter drop, `filter/FORWARD policy DROP` or `filter/INPUT
        /// rule 2: -A INPUT -p tcp -j DROP`.
        detail: Option<String>,
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

impl Trace {
    /// The namespace the event happened in.
    pub fn ns(&self) -> NsId {
        match self {
            Trace::Born { ns, .. }
            | Trace::Built { ns, .. }
            | Trace::Rx { ns, .. }
            | Trace::Tx { ns, .. }
            | Trace::FdbLearn { ns, .. }
            | Trace::FdbLookup { ns, .. }
            | Trace::Flood { ns, .. }
            | Trace::RouteLookup { ns, .. }
            | Trace::Neigh { ns, .. }
            | Trace::IcmpSend { ns, .. }
            | Trace::LocalDeliver { ns, .. }
            | Trace::Forward { ns, .. }
            | Trace::Netfilter { ns, .. }
            | Trace::Conntrack { ns, .. }
            | Trace::Nat { ns, .. }
            | Trace::Drop { ns, .. }
            | Trace::Tunnel { ns, .. } => *ns,
        }
    }
}

/// A listener for trace events.
pub type Tracer = Box<dyn FnMut(&Traced)>;

impl std::fmt::Display for Traced {
    /// One line per decision, without the time: `PLACE what` (the packet
    /// formats and names are the tools' business; this is the plain form).
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let p = &self.place;
        match &self.ev {
            Trace::Born { cause, .. } => match cause.0 {
                0 => write!(f, "{p} new packet"),
                c => write!(f, "{p} new packet, caused by #{c}"),
            },
            Trace::Built { packet, .. } => write!(f, "{p} built {} bytes", packet.len()),
            Trace::Rx { dev, frame, .. } => write!(f, "{p} {dev}: rx {} bytes", frame.len()),
            Trace::Tx { dev, frame, .. } => write!(f, "{p} {dev}: tx {} bytes", frame.len()),
            Trace::FdbLearn {
                bridge, mac, port, ..
            } => write!(f, "{p} {bridge}: fdb learns {mac} on {port}"),
            Trace::FdbLookup {
                bridge, mac, port, ..
            } => match port {
                Some(x) => write!(f, "{p} {bridge}: fdb {mac} -> {x}"),
                None => write!(f, "{p} {bridge}: fdb {mac} unknown"),
            },
            Trace::Flood { bridge, ports, .. } => {
                write!(f, "{p} {bridge}: flood to {ports} ports")
            }
            Trace::RouteLookup {
                dst, result, rule, ..
            } => match rule {
                Some(r) => write!(f, "{p} route {dst}: {result} (rule {r})"),
                None => write!(f, "{p} route {dst}: {result}"),
            },
            Trace::Neigh { dev, ip, state, .. } => {
                write!(f, "{p} {dev}: neigh {ip} {}", state.name())
            }
            Trace::IcmpSend {
                to,
                icmp_type,
                code,
                ..
            } => write!(f, "{p} icmp type {icmp_type} code {code} to {to}"),
            Trace::LocalDeliver {
                src, dst, proto, ..
            } => write!(f, "{p} deliver {src} -> {dst} proto {proto}"),
            Trace::Forward { src, dst, out, .. } => {
                write!(f, "{p} forward {src} -> {dst} out {out}")
            }
            Trace::Netfilter {
                family,
                table,
                chain,
                rule,
                text,
                verdict,
                tried,
                ..
            } => {
                let fam = if *family == "ip6" { "ip6 " } else { "" };
                let rules = match tried {
                    1 => "1 rule".to_string(),
                    n => format!("{n} rules"),
                };
                match rule {
                    Some(n) => write!(f, "{p} {fam}{table}/{chain} rule {n}: {text}: {verdict}"),
                    None if text.is_empty() => write!(
                        f,
                        "{p} {fam}{table}/{chain} end of chain ({rules} tried): {verdict}"
                    ),
                    None => write!(
                        f,
                        "{p} {fam}{table}/{chain} policy {verdict} ({rules} tried)"
                    ),
                }
            }
            Trace::Conntrack {
                hook, state, reply, ..
            } => {
                let dir = if *reply { " (reply)" } else { "" };
                write!(f, "{p} {hook} conntrack: {state}{dir}")
            }
            Trace::Nat {
                hook,
                kind,
                before,
                after,
                ..
            } => write!(f, "{p} {hook} {kind}: {before} => {after}"),
            Trace::Tunnel {
                dev,
                encap,
                outer_src,
                outer_dst,
                ..
            } => write!(
                f,
                "{p} {dev}: {} {outer_src} -> {outer_dst}",
                if *encap { "encap" } else { "decap" }
            ),
            Trace::Drop {
                dev,
                reason,
                kernel_reason,
                counter,
                detail,
                ..
            } => {
                match dev {
                    Some(d) => write!(f, "{p} {d}: drop {kernel_reason} (")?,
                    None => write!(f, "{p} drop {kernel_reason} (")?,
                }
                match detail {
                    Some(d) => write!(f, "{d}")?,
                    None => write!(f, "{reason:?}")?,
                }
                match counter {
                    Some(c) => write!(f, "; {c})"),
                    None => write!(f, ")"),
                }
            }
        }
    }
}
