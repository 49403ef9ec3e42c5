//! Connection tracking (nf_conntrack): tuples, the table of confirmed
//! connections hashed by both directions' tuples, and the per-protocol
//! trackers for TCP, UDP, ICMP and everything else ("generic").

use crate::types::Time;
use crate::wire::ipv4::Ipv4Hdr;
use crate::wire::ipv6;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A layer-3 address conntrack keys on (`union nf_inet_addr`). Each family
/// has a table of its own, so an IPv4 entry does not pay for IPv6's
/// 16-byte addresses.
pub trait CtAddr:
    Copy + Eq + Debug + std::fmt::Display + Serialize + for<'de> Deserialize<'de>
{
    /// Feeds a tuple's two addresses to the table's hash.
    fn hash_pair(src: &Self, dst: &Self, h: &mut crate::types::FxHasher);
    /// The address as IPv4, for the tools' IPv4-only filters.
    fn v4(&self) -> Option<Ipv4Addr>;
}

impl CtAddr for Ipv4Addr {
    fn hash_pair(src: &Self, dst: &Self, h: &mut crate::types::FxHasher) {
        use std::hash::Hasher;
        h.write_u64(u64::from(src.to_bits()) << 32 | u64::from(dst.to_bits()));
    }
    fn v4(&self) -> Option<Ipv4Addr> {
        Some(*self)
    }
}

impl CtAddr for Ipv6Addr {
    fn hash_pair(src: &Self, dst: &Self, h: &mut crate::types::FxHasher) {
        use std::hash::Hasher;
        h.write_u128(src.to_bits());
        h.write_u128(dst.to_bits());
    }
    fn v4(&self) -> Option<Ipv4Addr> {
        None
    }
}

/// A connection tuple (`struct nf_conntrack_tuple`). For ICMP and ICMPv6
/// `sport` is the identifier and `dport` is `type << 8 | code`, as the
/// kernel keeps them in `src.u.icmp.id` and `dst.u.icmp.{type,code}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(bound = "A: CtAddr")]
pub struct Tuple<A = Ipv4Addr> {
    pub src: A,
    pub dst: A,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
}

/// The ports (or ICMP id and type/code) of a tuple from its layer-4
/// header (the l4proto's pkt_to_tuple); None when it is truncated.
fn l4_ports(proto: u8, l4: &[u8]) -> Option<(u16, u16)> {
    let be = |i: usize| u16::from_be_bytes([l4[i], l4[i + 1]]);
    Some(match proto {
        6 | 17 | 132 | 136 | 33 => {
            if l4.len() < 4 {
                return None;
            }
            (be(0), be(2))
        }
        1 | 58 => {
            if l4.len() < 8 {
                return None;
            }
            (be(4), u16::from(l4[0]) << 8 | u16::from(l4[1]))
        }
        _ => (0, 0),
    })
}

/// Where an IPv6 packet's upper-layer header starts and its protocol
/// (ipv6_skip_exthdr): hop-by-hop, routing and destination options are
/// walked; a fragment (conntrack sees only reassembled packets) or a
/// truncated chain gives None.
pub fn ipv6_l4(pkt: &[u8]) -> Option<(usize, u8)> {
    // Shorter than its fixed header, a packet has no upper layer either.
    if pkt.len() < ipv6::IPV6_HLEN {
        return None;
    }
    let (nh, off) = ipv6::upper_layer(pkt)?;
    (nh != 44).then_some((off, nh))
}

impl Tuple<Ipv6Addr> {
    /// The tuple of an IPv6 packet (nf_ct_get_tuple with ipv6_get_l4proto).
    pub fn of_packet6(pkt: &[u8]) -> Option<Tuple<Ipv6Addr>> {
        let (off, proto) = ipv6_l4(pkt)?;
        let (sport, dport) = l4_ports(proto, &pkt[off..])?;
        Some(Tuple {
            src: ipv6::hdr_src(pkt),
            dst: ipv6::hdr_dst(pkt),
            proto,
            sport,
            dport,
        })
    }
}

impl<A: CtAddr> Tuple<A> {
    /// The tuple of the answer (nf_ct_invert_tuple); None for an ICMP
    /// type that has no reply (so it cannot start a connection).
    pub fn invert(&self) -> Option<Tuple<A>> {
        let (sport, dport) = match self.proto {
            1 | 58 => {
                let (typ, code) = ((self.dport >> 8) as u8, self.dport as u8);
                let rtyp = if self.proto == 1 {
                    icmp_reply_type(typ)?
                } else {
                    icmpv6_reply_type(typ)?
                };
                (self.sport, u16::from(rtyp) << 8 | u16::from(code))
            }
            _ => (self.dport, self.sport),
        };
        Some(Tuple {
            src: self.dst,
            dst: self.src,
            proto: self.proto,
            sport,
            dport,
        })
    }

    pub fn icmp_type(&self) -> u8 {
        (self.dport >> 8) as u8
    }
    pub fn icmp_code(&self) -> u8 {
        self.dport as u8
    }
}

impl Tuple {
    /// The tuple of an IPv4 packet (nf_ct_get_tuple), or None when its
    /// protocol header is truncated. ICMP errors have no tuple of their own.
    pub fn of_packet(pkt: &[u8]) -> Option<Tuple> {
        let iph = Ipv4Hdr::new(pkt)?;
        let proto = iph.protocol();
        let l4 = pkt.get(iph.header_len()..)?;
        let (sport, dport) = l4_ports(proto, l4)?;
        Some(Tuple {
            src: iph.src(),
            dst: iph.dst(),
            proto,
            sport,
            dport,
        })
    }
}

/// ICMPv6 queries and their replies (nf_conntrack_proto_icmpv6's invmap):
/// echo and node information.
fn icmpv6_reply_type(t: u8) -> Option<u8> {
    Some(match t {
        128 => 129,
        129 => 128,
        139 => 140,
        140 => 139,
        _ => return None,
    })
}

/// Whether an ICMPv6 type may open a connection (echo request, node
/// information query).
pub fn icmpv6_is_request(t: u8) -> bool {
    matches!(t, 128 | 139)
}

/// ICMPv6 messages conntrack leaves untracked (MLD and neighbour
/// discovery: they belong to no connection, and are not INVALID either).
pub fn icmpv6_untracked(t: u8) -> bool {
    matches!(t, 130..=136 | 143)
}

/// The ICMP query types conntrack knows, with their replies (invmap in
/// nf_conntrack_proto_icmp.c); both directions invert.
fn icmp_reply_type(t: u8) -> Option<u8> {
    Some(match t {
        8 => 0,
        0 => 8,
        13 => 14,
        14 => 13,
        15 => 16,
        16 => 15,
        17 => 18,
        18 => 17,
        _ => return None,
    })
}

/// Whether an ICMP type may open a connection (only requests may).
pub fn icmp_is_request(t: u8) -> bool {
    matches!(t, 8 | 13 | 15 | 17)
}

/// ICMP queries and their replies (the types with an identifier).
pub fn icmp_is_query(t: u8) -> bool {
    matches!(t, 0 | 8 | 13..=18)
}

/// ICMP types that carry an offending datagram (icmp_error_message).
pub fn icmp_is_error(t: u8) -> bool {
    matches!(t, 3 | 4 | 5 | 11 | 12)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dir {
    Original = 0,
    Reply = 1,
}

impl Dir {
    pub fn flip(self) -> Dir {
        match self {
            Dir::Original => Dir::Reply,
            Dir::Reply => Dir::Original,
        }
    }
}

/// `enum ip_conntrack_info`: how a packet relates to its connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CtInfo {
    Established,
    Related,
    New,
    EstablishedReply,
    RelatedReply,
}

impl CtInfo {
    pub fn dir(self) -> Dir {
        match self {
            CtInfo::EstablishedReply | CtInfo::RelatedReply => Dir::Reply,
            _ => Dir::Original,
        }
    }
}

/// IPS_* status bits.
pub mod status {
    pub const EXPECTED: u32 = 1 << 0;
    pub const SEEN_REPLY: u32 = 1 << 1;
    pub const ASSURED: u32 = 1 << 2;
    pub const CONFIRMED: u32 = 1 << 3;
    pub const SRC_NAT: u32 = 1 << 4;
    pub const DST_NAT: u32 = 1 << 5;
    pub const NAT_MASK: u32 = SRC_NAT | DST_NAT;
    pub const SEQ_ADJUST: u32 = 1 << 6;
    pub const SRC_NAT_DONE: u32 = 1 << 7;
    pub const DST_NAT_DONE: u32 = 1 << 8;
    pub const DYING: u32 = 1 << 9;
    pub const FIXED_TIMEOUT: u32 = 1 << 10;
    pub const TEMPLATE: u32 = 1 << 11;
    pub const UNTRACKED: u32 = 1 << 12;
}

/// TCP conntrack states (tcp_conntrack_names order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TcpState {
    None,
    SynSent,
    SynRecv,
    Established,
    FinWait,
    CloseWait,
    LastAck,
    TimeWait,
    Close,
    SynSent2,
}

impl TcpState {
    pub fn name(self) -> &'static str {
        match self {
            TcpState::None => "NONE",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynRecv => "SYN_RECV",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait => "FIN_WAIT",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::LastAck => "LAST_ACK",
            TcpState::TimeWait => "TIME_WAIT",
            TcpState::Close => "CLOSE",
            TcpState::SynSent2 => "SYN_SENT2",
        }
    }
    /// The sysctl holding this state's timeout.
    fn timeout_key(self) -> &'static str {
        match self {
            TcpState::SynSent | TcpState::None => "net.netfilter.nf_conntrack_tcp_timeout_syn_sent",
            TcpState::SynRecv => "net.netfilter.nf_conntrack_tcp_timeout_syn_recv",
            TcpState::Established => "net.netfilter.nf_conntrack_tcp_timeout_established",
            TcpState::FinWait => "net.netfilter.nf_conntrack_tcp_timeout_fin_wait",
            TcpState::CloseWait => "net.netfilter.nf_conntrack_tcp_timeout_close_wait",
            TcpState::LastAck => "net.netfilter.nf_conntrack_tcp_timeout_last_ack",
            TcpState::TimeWait => "net.netfilter.nf_conntrack_tcp_timeout_time_wait",
            TcpState::Close => "net.netfilter.nf_conntrack_tcp_timeout_close",
            TcpState::SynSent2 => "net.netfilter.nf_conntrack_tcp_timeout_syn_sent",
        }
    }
}

/// What a TCP segment's transition table entry says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Next {
    To(TcpState),
    Ignore,
    Invalid,
}

/// tcp_conntracks[dir][flags][state] of nf_conntrack_proto_tcp.c, as facts
/// about TCP: rows SYN, SYN/ACK, FIN, ACK, RST, none; columns NO, SS, SR,
/// ES, FW, CW, LA, TW, CL, S2.
fn tcp_next(dir: Dir, index: usize, st: TcpState) -> Next {
    use Next::{Ignore as IG, Invalid as IV};
    use TcpState::*;
    const NO: Next = Next::To(None);
    const SS: Next = Next::To(SynSent);
    const SR: Next = Next::To(SynRecv);
    const ES: Next = Next::To(Established);
    const FW: Next = Next::To(FinWait);
    const CW: Next = Next::To(CloseWait);
    const LA: Next = Next::To(LastAck);
    const TW: Next = Next::To(TimeWait);
    const CL: Next = Next::To(Close);
    const S2: Next = Next::To(SynSent2);
    let _ = NO;
    const ORIG: [[Next; 10]; 6] = [
        [SS, SS, IG, IG, IG, IG, IG, SS, SS, S2],
        [IV, IV, SR, IV, IV, IV, IV, IV, IV, SR],
        [IV, IV, FW, FW, LA, LA, LA, TW, CL, IV],
        [ES, IV, ES, ES, CW, CW, TW, TW, CL, IV],
        [IV, CL, CL, CL, CL, CL, CL, CL, CL, CL],
        [IV, IV, IV, IV, IV, IV, IV, IV, IV, IV],
    ];
    const REPLY: [[Next; 10]; 6] = [
        [IV, S2, IV, IV, IV, IV, IV, SS, IV, S2],
        [IV, SR, IG, IG, IG, IG, IG, IG, IG, SR],
        [IV, IV, FW, FW, LA, LA, LA, TW, CL, IV],
        [IV, IG, SR, ES, CW, CW, TW, TW, CL, IG],
        [IV, CL, CL, CL, CL, CL, CL, CL, CL, CL],
        [IV, IV, IV, IV, IV, IV, IV, IV, IV, IV],
    ];
    let col = st as usize;
    match dir {
        Dir::Original => ORIG[index][col],
        Dir::Reply => REPLY[index][col],
    }
}

/// get_conntrack_index(): the table row for a segment's flags.
fn tcp_index(flags: u8) -> usize {
    const FIN: u8 = 0x01;
    const SYN: u8 = 0x02;
    const RST: u8 = 0x04;
    const ACK: u8 = 0x10;
    if flags & RST != 0 {
        4
    } else if flags & SYN != 0 {
        if flags & ACK != 0 {
            1
        } else {
            0
        }
    } else if flags & FIN != 0 {
        2
    } else if flags & ACK != 0 {
        3
    } else {
        5
    }
}

/// Per-protocol private state (`union nf_conntrack_proto`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProtoState {
    Generic,
    Icmp,
    Icmpv6,
    Udp { stream_ts: Time },
    Tcp { state: TcpState },
}

/// A connection (`struct nf_conn`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "A: CtAddr")]
pub struct Conn<A = Ipv4Addr> {
    /// Original and reply tuples (`tuplehash[IP_CT_DIR_*]`).
    pub tuple: [Tuple<A>; 2],
    pub status: u32,
    /// When it expires (absolute virtual time).
    pub timeout: Time,
    pub mark: u32,
    pub zone: u16,
    pub proto: ProtoState,
    /// For MASQUERADE: the out device whose address change kills it.
    pub masq_index: Option<u32>,
    /// An id for `conntrack -o id` and events.
    pub id: u32,
}

impl<A: CtAddr> Conn<A> {
    pub fn has(&self, bits: u32) -> bool {
        self.status & bits == bits
    }
    pub fn tcp_state(&self) -> Option<TcpState> {
        match self.proto {
            ProtoState::Tcp { state } => Some(state),
            _ => None,
        }
    }
}

/// The conntrack sysctls the trackers read per packet, typed: the kernel
/// keeps them per namespace as numbers (nf_generic_net, nf_udp_net,
/// nf_tcp_net, net->ct.sysctl_*), not as text looked up by name.
/// Timeouts are held as the durations the trackers add to `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CtTimeouts {
    pub generic: Time,
    pub icmp: Time,
    pub icmpv6: Time,
    pub udp: Time,
    pub udp_stream: Time,
    /// By TcpState (its discriminant).
    pub tcp: [Time; 10],
    pub tcp_unacknowledged: Time,
    pub tcp_loose: bool,
    /// nf_conntrack_max (0 or less: no limit).
    pub max: i64,
}

impl CtTimeouts {
    /// Reads them through `get` (a sysctl by its dotted name).
    pub fn from_sysctl(get: impl Fn(&str) -> i64) -> CtTimeouts {
        let t = |k: &str| secs(get(k));
        let tcp = [
            TcpState::None,
            TcpState::SynSent,
            TcpState::SynRecv,
            TcpState::Established,
            TcpState::FinWait,
            TcpState::CloseWait,
            TcpState::LastAck,
            TcpState::TimeWait,
            TcpState::Close,
            TcpState::SynSent2,
        ]
        .map(|s| t(s.timeout_key()));
        CtTimeouts {
            generic: t("net.netfilter.nf_conntrack_generic_timeout"),
            icmp: t("net.netfilter.nf_conntrack_icmp_timeout"),
            icmpv6: t("net.netfilter.nf_conntrack_icmpv6_timeout"),
            udp: t("net.netfilter.nf_conntrack_udp_timeout"),
            udp_stream: t("net.netfilter.nf_conntrack_udp_timeout_stream"),
            tcp,
            tcp_unacknowledged: t("net.netfilter.nf_conntrack_tcp_timeout_unacknowledged"),
            tcp_loose: get("net.netfilter.nf_conntrack_tcp_loose") != 0,
            max: get("net.netfilter.nf_conntrack_max"),
        }
    }
    fn tcp_of(&self, s: TcpState) -> Time {
        self.tcp[s as usize]
    }

    /// A fresh namespace's (SYSCTL_DEFAULTS), parsed once.
    pub fn defaults() -> &'static CtTimeouts {
        static D: std::sync::OnceLock<CtTimeouts> = std::sync::OnceLock::new();
        D.get_or_init(|| {
            CtTimeouts::from_sysctl(|k| {
                SYSCTL_DEFAULTS
                    .iter()
                    .find(|(n, _)| *n == k)
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0)
            })
        })
    }
}

impl Default for CtTimeouts {
    fn default() -> Self {
        *CtTimeouts::defaults()
    }
}

/// The conntrack sysctls a tracker reads.
pub type TimeoutOf<'a> = &'a CtTimeouts;

/// What a protocol tracker decided about a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    /// Not part of the connection (no conntrack attached: INVALID).
    Invalid,
    /// The connection is over and the packet starts a new one (a SYN on a
    /// connection in TIME_WAIT or CLOSE): kill it and look up again.
    Repeat,
}

/// Starts tracking a new connection from its first packet, or None when the
/// packet cannot open one (nf_conntrack_tcp_new and friends). `l4` is
/// the packet from its layer-4 header on.
pub fn new_conn<A: CtAddr>(
    l4: &[u8],
    t: Tuple<A>,
    zone: u16,
    now: Time,
    to: TimeoutOf,
) -> Option<Conn<A>> {
    let reply = t.invert()?;
    let proto = match t.proto {
        1 => {
            if !icmp_is_request(t.icmp_type()) {
                return None;
            }
            ProtoState::Icmp
        }
        58 => {
            if !icmpv6_is_request(t.icmp_type()) {
                return None;
            }
            ProtoState::Icmpv6
        }
        17 => ProtoState::Udp {
            stream_ts: now + Time::from_secs(2),
        },
        6 => {
            let flags = tcp_flags(l4)?;
            // New connections start on a SYN, or are picked up mid-stream on
            // an ACK (nf_conntrack_tcp_loose).
            match tcp_next(Dir::Original, tcp_index(flags), TcpState::None) {
                Next::To(TcpState::SynSent) => {}
                Next::To(TcpState::Established) if to.tcp_loose => {}
                _ => return None,
            }
            ProtoState::Tcp {
                state: TcpState::None,
            }
        }
        _ => ProtoState::Generic,
    };
    Some(Conn {
        tuple: [t, reply],
        status: 0,
        timeout: now,
        mark: 0,
        zone,
        proto,
        masq_index: None,
        id: 0,
    })
}

fn tcp_flags(l4: &[u8]) -> Option<u8> {
    l4.get(13).copied()
}

fn secs(s: i64) -> Time {
    Time::from_secs(s.max(0) as u64)
}

/// The per-protocol packet handler (nf_conntrack_handle_packet): moves the
/// state machine and refreshes the timeout. `dir` is the packet's direction,
/// `l4` the packet from its layer-4 header on.
pub fn packet<A: CtAddr>(
    c: &mut Conn<A>,
    dir: Dir,
    l4: &[u8],
    now: Time,
    to: TimeoutOf,
) -> Verdict {
    match &mut c.proto {
        ProtoState::Generic => {
            c.timeout = now + to.generic;
        }
        ProtoState::Icmp => {
            c.timeout = now + to.icmp;
        }
        ProtoState::Icmpv6 => {
            c.timeout = now + to.icmpv6;
        }
        ProtoState::Udp { stream_ts } => {
            if c.status & status::SEEN_REPLY != 0 {
                if now > *stream_ts {
                    c.timeout = now + to.udp_stream;
                    c.status |= status::ASSURED;
                } else {
                    c.timeout = now + to.udp;
                }
            } else {
                c.timeout = now + to.udp;
            }
        }
        ProtoState::Tcp { state } => {
            let Some(flags) = tcp_flags(l4) else {
                return Verdict::Invalid;
            };
            let old = *state;
            let index = tcp_index(flags);
            let new = match tcp_next(dir, index, old) {
                Next::To(s) => s,
                Next::Ignore => return Verdict::Accept,
                Next::Invalid => return Verdict::Invalid,
            };
            if new == TcpState::SynSent
                && dir == Dir::Original
                && matches!(old, TcpState::TimeWait | TcpState::Close)
            {
                return Verdict::Repeat;
            }
            // A RST answering our SYN before any reply: the connection never
            // existed, so it goes at once (--RR's "fairly common problem case").
            if index == 4 && c.status & status::SEEN_REPLY == 0 && old != TcpState::None {
                *state = TcpState::Close;
                c.timeout = now;
                return Verdict::Accept;
            }
            *state = new;
            // tcp_packet(): only once a reply had been seen before this
            // packet (the first reply itself, e.g. to a connection picked
            // up mid-stream, does not assure it).
            if c.has(status::SEEN_REPLY)
                && !c.has(status::ASSURED)
                && matches!(old, TcpState::SynRecv | TcpState::Established)
                && new == TcpState::Established
            {
                c.status |= status::ASSURED;
            }
            let mut t = to.tcp_of(new);
            if c.status & status::SEEN_REPLY == 0 && new == TcpState::Established {
                // Picked up mid-stream and never answered: unacknowledged.
                t = t.min(to.tcp_unacknowledged);
            }
            c.timeout = now + t;
        }
    }
    Verdict::Accept
}

/// A conntrack event (nfnetlink's IPCTNL_MSG_CT_NEW/DELETE groups).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    New,
    Update,
    Destroy,
}

/// An event as `conntrack -E` receives it: the connection as it was then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "A: CtAddr")]
pub struct Event<A = Ipv4Addr> {
    pub kind: EventKind,
    pub conn: Conn<A>,
    /// The timeout it had then (seconds).
    pub timeout: u64,
}

/// The conntrack table of a namespace: confirmed connections in a slab,
/// found through a hash of both directions' tuples (with their zone).
/// The hash is derived from the slab, so the lab file leaves it out and
/// loading rebuilds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "ConntrackFile<A>", bound = "A: CtAddr")]
pub struct Conntrack<A = Ipv4Addr> {
    conns: Vec<Option<Conn<A>>>,
    free: Vec<u32>,
    #[serde(skip)]
    hash: Index,
    count: usize,
    next_id: u32,
    /// Event listeners (`conntrack -E`); events are kept only while some listen.
    pub listeners: u32,
    pub events: Vec<Event<A>>,
}

impl<A> Default for Conntrack<A> {
    fn default() -> Self {
        Conntrack {
            conns: Vec::new(),
            free: Vec::new(),
            hash: Index::default(),
            count: 0,
            next_id: 0,
            listeners: 0,
            events: Vec::new(),
        }
    }
}

/// Conntrack as the lab file holds it: everything but the hash.
#[derive(Deserialize)]
#[serde(bound = "A: CtAddr")]
struct ConntrackFile<A> {
    conns: Vec<Option<Conn<A>>>,
    free: Vec<u32>,
    count: usize,
    next_id: u32,
    #[serde(default)]
    listeners: u32,
    #[serde(default)]
    events: Vec<Event<A>>,
}

impl<A: CtAddr> From<ConntrackFile<A>> for Conntrack<A> {
    fn from(f: ConntrackFile<A>) -> Conntrack<A> {
        let mut ct = Conntrack {
            conns: f.conns,
            free: f.free,
            hash: Index::default(),
            count: f.count,
            next_id: f.next_id,
            listeners: f.listeners,
            events: f.events,
        };
        ct.rehash(Index::MIN);
        ct
    }
}

/// An open-addressed hash of `slot << 1 | dir` words with linear probing
/// (4 bytes per tuple instead of a map's key and value): an entry's key is
/// read from the slab, `conns[slot].tuple[dir]` and `.zone`.
#[derive(Clone, Debug, Default)]
struct Index {
    /// A power of two long, or empty before the first connection.
    words: Vec<u32>,
    /// Words not EMPTY (entries and tombstones): what limits a probe.
    used: usize,
    /// Entries.
    live: usize,
}

impl Index {
    const EMPTY: u32 = u32::MAX;
    const DELETED: u32 = u32::MAX - 1;
    const MIN: usize = 16;

    fn word(i: u32, d: Dir) -> u32 {
        i << 1 | d as u32
    }

    /// Where a key's probe sequence starts (FxHash of tuple and zone).
    fn start<A: CtAddr>(&self, t: &Tuple<A>, zone: u16) -> usize {
        use std::hash::Hasher;
        let mut h = crate::types::FxHasher::default();
        A::hash_pair(&t.src, &t.dst, &mut h);
        h.write_u64(
            u64::from(t.proto) << 48
                | u64::from(t.sport) << 32
                | u64::from(t.dport) << 16
                | u64::from(zone),
        );
        h.finish() as usize & (self.words.len() - 1)
    }
}

impl<A: CtAddr> Conntrack<A> {
    pub fn count(&self) -> usize {
        self.count
    }

    /// The entry hashed under a tuple: its slot and direction.
    fn lookup(&self, t: &Tuple<A>, zone: u16) -> Option<(u32, Dir)> {
        let words = &self.hash.words;
        if words.is_empty() {
            return None;
        }
        let mask = words.len() - 1;
        let mut p = self.hash.start(t, zone);
        loop {
            match words[p] {
                Index::EMPTY => return None,
                Index::DELETED => {}
                w => {
                    let (i, d) = (w >> 1, w & 1);
                    let c = self.conns[i as usize].as_ref();
                    if c.is_some_and(|c| c.zone == zone && c.tuple[d as usize] == *t) {
                        let d = if d == 0 { Dir::Original } else { Dir::Reply };
                        return Some((i, d));
                    }
                }
            }
            p = (p + 1) & mask;
        }
    }

    /// Makes room for `n` more entries: at 70% of the words used (entries
    /// and tombstones) rebuilds, twice as large if entries fill half.
    fn reserve(&mut self, n: usize) {
        let cap = self.hash.words.len();
        if (self.hash.used + n) * 10 <= cap * 7 {
            return;
        }
        let mut new = cap.max(Index::MIN);
        while (self.hash.live + n) * 2 > new {
            new *= 2;
        }
        self.rehash(new);
    }

    /// Rebuilds the hash with `cap` words from the slab: each connection
    /// under both tuples, or once (as the reply) when they are the same.
    fn rehash(&mut self, cap: usize) {
        let mut live = 0;
        for c in self.conns.iter().flatten() {
            live += if c.tuple[0] == c.tuple[1] { 1 } else { 2 };
        }
        let mut cap = cap.max(Index::MIN);
        while live * 2 > cap {
            cap *= 2;
        }
        self.hash = Index {
            words: vec![Index::EMPTY; cap],
            used: 0,
            live: 0,
        };
        for i in 0..self.conns.len() {
            let Some(c) = &self.conns[i] else { continue };
            let (t0, t1, z) = (c.tuple[0], c.tuple[1], c.zone);
            if t0 != t1 {
                self.insert(&t0, z, Index::word(i as u32, Dir::Original));
            }
            self.insert(&t1, z, Index::word(i as u32, Dir::Reply));
        }
    }

    /// Puts a word for a key not in the hash; room was reserved.
    fn insert(&mut self, t: &Tuple<A>, zone: u16, word: u32) {
        let mask = self.hash.words.len() - 1;
        let mut p = self.hash.start(t, zone);
        loop {
            match self.hash.words[p] {
                Index::EMPTY => {
                    self.hash.used += 1;
                    break;
                }
                Index::DELETED => break,
                _ => p = (p + 1) & mask,
            }
        }
        self.hash.words[p] = word;
        self.hash.live += 1;
    }

    /// Takes a word out of the hash, if it is there under this key.
    fn unhash(&mut self, t: &Tuple<A>, zone: u16, word: u32) {
        if self.hash.words.is_empty() {
            return;
        }
        let mask = self.hash.words.len() - 1;
        let mut p = self.hash.start(t, zone);
        loop {
            match self.hash.words[p] {
                Index::EMPTY => return,
                w if w == word => {
                    self.hash.words[p] = Index::DELETED;
                    self.hash.live -= 1;
                    return;
                }
                _ => p = (p + 1) & mask,
            }
        }
    }

    /// The live connection a tuple belongs to, and the tuple's direction.
    pub fn find(&self, t: &Tuple<A>, zone: u16, now: Time) -> Option<(u32, Dir)> {
        let (i, d) = self.lookup(t, zone)?;
        let c = self.conns[i as usize].as_ref()?;
        (c.timeout > now || c.has(status::FIXED_TIMEOUT)).then_some((i, d))
    }

    /// Whether a tuple is in use by a live connection other than `except`
    /// (nf_conntrack_tuple_taken).
    pub fn taken(&self, t: &Tuple<A>, zone: u16, now: Time) -> bool {
        self.find(t, zone, now).is_some()
    }

    pub fn get(&self, i: u32) -> Option<&Conn<A>> {
        self.conns.get(i as usize)?.as_ref()
    }
    /// A connection to change; its tuples and zone are its hash keys and
    /// must stay as they are.
    pub fn get_mut(&mut self, i: u32) -> Option<&mut Conn<A>> {
        self.conns.get_mut(i as usize)?.as_mut()
    }

    /// Reports an event to the listeners, if any.
    pub fn event(&mut self, kind: EventKind, c: &Conn<A>, now: Time) {
        if self.listeners > 0 {
            self.events.push(Event {
                kind,
                conn: c.clone(),
                timeout: c.timeout.0.saturating_sub(now.0).div_ceil(1_000_000_000),
            });
        }
    }

    /// __nf_conntrack_confirm(): puts a new connection in the table.
    /// Fails (the packet is dropped) if either tuple is already taken.
    pub fn confirm(&mut self, mut c: Conn<A>, now: Time) -> Option<u32> {
        let z = c.zone;
        if self.taken(&c.tuple[0], z, now) || self.taken(&c.tuple[1], z, now) {
            return None;
        }
        // Expired entries still hashed under these tuples go first.
        for t in c.tuple {
            if let Some((i, _)) = self.lookup(&t, z) {
                self.remove(i, now);
            }
        }
        c.status |= status::CONFIRMED;
        self.next_id = self.next_id.wrapping_add(1);
        c.id = self.next_id;
        let i = match self.free.pop() {
            Some(i) => i,
            None => {
                self.conns.push(None);
                (self.conns.len() - 1) as u32
            }
        };
        // Room first: growing rehashes the slab, which must not hold `c` yet.
        self.reserve(2);
        let (t0, t1) = (c.tuple[0], c.tuple[1]);
        if t0 != t1 {
            self.insert(&t0, z, Index::word(i, Dir::Original));
        }
        self.insert(&t1, z, Index::word(i, Dir::Reply));
        self.event(EventKind::New, &c, now);
        self.conns[i as usize] = Some(c);
        self.count += 1;
        Some(i)
    }

    /// Deletes a connection (nf_ct_delete) at `now`; returns it.
    pub fn remove(&mut self, i: u32, now: Time) -> Option<Conn<A>> {
        let c = self.conns.get_mut(i as usize)?.take()?;
        self.event(EventKind::Destroy, &c, now);
        self.unhash(&c.tuple[0], c.zone, Index::word(i, Dir::Original));
        self.unhash(&c.tuple[1], c.zone, Index::word(i, Dir::Reply));
        self.free.push(i);
        self.count -= 1;
        Some(c)
    }

    /// Drops expired connections (the gc worker); returns how many.
    pub fn gc(&mut self, now: Time) -> usize {
        let dead: Vec<u32> = self
            .iter()
            .filter(|(_, c)| c.timeout <= now && !c.has(status::FIXED_TIMEOUT))
            .map(|(i, _)| i)
            .collect();
        for i in &dead {
            self.remove(*i, now);
        }
        dead.len()
    }

    /// early_drop(): evicts the oldest connection that is not ASSURED, to
    /// make room for a new one; false if all are assured.
    pub fn early_drop(&mut self, now: Time) -> bool {
        let victim = self
            .iter()
            .filter(|(_, c)| !c.has(status::ASSURED))
            .min_by_key(|(_, c)| c.id)
            .map(|(i, _)| i);
        victim.is_some_and(|i| self.remove(i, now).is_some())
    }

    /// Live and expired-but-not-collected connections, with their slots.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Conn<A>)> {
        self.conns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (i as u32, c)))
    }
}

/// The conntrack sysctls and their defaults (net.netfilter.*).
pub const SYSCTL_DEFAULTS: &[(&str, &str)] = &[
    ("net.netfilter.nf_conntrack_acct", "0"),
    ("net.netfilter.nf_conntrack_checksum", "1"),
    ("net.netfilter.nf_conntrack_generic_timeout", "600"),
    ("net.netfilter.nf_conntrack_icmp_timeout", "30"),
    ("net.netfilter.nf_conntrack_icmpv6_timeout", "30"),
    ("net.netfilter.nf_conntrack_log_invalid", "0"),
    ("net.netfilter.nf_conntrack_max", "262144"),
    ("net.netfilter.nf_conntrack_tcp_be_liberal", "0"),
    ("net.netfilter.nf_conntrack_tcp_loose", "1"),
    ("net.netfilter.nf_conntrack_tcp_max_retrans", "3"),
    ("net.netfilter.nf_conntrack_tcp_timeout_close", "10"),
    ("net.netfilter.nf_conntrack_tcp_timeout_close_wait", "60"),
    (
        "net.netfilter.nf_conntrack_tcp_timeout_established",
        "432000",
    ),
    ("net.netfilter.nf_conntrack_tcp_timeout_fin_wait", "120"),
    ("net.netfilter.nf_conntrack_tcp_timeout_last_ack", "30"),
    ("net.netfilter.nf_conntrack_tcp_timeout_max_retrans", "300"),
    ("net.netfilter.nf_conntrack_tcp_timeout_syn_recv", "60"),
    ("net.netfilter.nf_conntrack_tcp_timeout_syn_sent", "120"),
    ("net.netfilter.nf_conntrack_tcp_timeout_time_wait", "120"),
    (
        "net.netfilter.nf_conntrack_tcp_timeout_unacknowledged",
        "300",
    ),
    ("net.netfilter.nf_conntrack_timestamp", "0"),
    ("net.netfilter.nf_conntrack_udp_timeout", "30"),
    ("net.netfilter.nf_conntrack_udp_timeout_stream", "120"),
    ("net.netfilter.nf_log_all_netns", "0"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A TCP header with these flags (what the trackers get: layer 4 on).
    fn tcp(flags: u8) -> Vec<u8> {
        let mut p = vec![0u8; 20];
        p[13] = flags;
        p
    }

    fn defaults(k: &str) -> i64 {
        SYSCTL_DEFAULTS
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.parse().unwrap())
            .unwrap()
    }

    #[test]
    fn typed_defaults_are_the_sysctl_defaults() {
        let d = CtTimeouts::default();
        assert_eq!(d, CtTimeouts::from_sysctl(defaults));
        assert_eq!(d.udp, Time::from_secs(30));
        assert_eq!(d.tcp_of(TcpState::Established), Time::from_secs(432000));
        assert_eq!(d.tcp_of(TcpState::None), Time::from_secs(120));
        assert!(d.tcp_loose);
    }

    #[test]
    fn tcp_handshake_and_close_walk_the_kernel_states() {
        let t = Tuple {
            src: Ipv4Addr::new(10, 0, 0, 1),
            dst: Ipv4Addr::new(10, 0, 0, 2),
            proto: 6,
            sport: 40000,
            dport: 80,
        };
        let now = Time::from_secs(1);
        let mut c = new_conn(&tcp(0x02), t, 0, now, &CtTimeouts::default()).unwrap();
        let step = |c: &mut Conn, d: Dir, f: u8| {
            assert_eq!(
                packet(c, d, &tcp(f), now, &CtTimeouts::default()),
                Verdict::Accept
            );
            if d == Dir::Reply {
                c.status |= status::SEEN_REPLY;
            }
            c.tcp_state().unwrap()
        };
        assert_eq!(step(&mut c, Dir::Original, 0x02), TcpState::SynSent);
        assert_eq!(c.timeout, now + Time::from_secs(120));
        assert_eq!(step(&mut c, Dir::Reply, 0x12), TcpState::SynRecv);
        assert_eq!(step(&mut c, Dir::Original, 0x10), TcpState::Established);
        assert!(c.has(status::ASSURED));
        assert_eq!(c.timeout, now + Time::from_secs(432000));
        assert_eq!(step(&mut c, Dir::Original, 0x11), TcpState::FinWait);
        assert_eq!(step(&mut c, Dir::Reply, 0x11), TcpState::LastAck);
        assert_eq!(step(&mut c, Dir::Original, 0x10), TcpState::TimeWait);
        assert_eq!(
            packet(
                &mut c,
                Dir::Original,
                &tcp(0x02),
                now,
                &CtTimeouts::default()
            ),
            Verdict::Repeat
        );
    }

    #[test]
    fn a_syn_ack_cannot_open_a_connection_and_a_bare_ack_is_picked_up() {
        let t = Tuple {
            src: Ipv4Addr::new(10, 0, 0, 1),
            dst: Ipv4Addr::new(10, 0, 0, 2),
            proto: 6,
            sport: 1,
            dport: 2,
        };
        assert!(new_conn(&tcp(0x12), t, 0, Time::ZERO, &CtTimeouts::default()).is_none());
        assert!(new_conn(&tcp(0x10), t, 0, Time::ZERO, &CtTimeouts::default()).is_some());
        let strict = CtTimeouts {
            tcp_loose: false,
            ..CtTimeouts::default()
        };
        assert!(new_conn(&tcp(0x10), t, 0, Time::ZERO, &strict).is_none());
    }

    #[test]
    fn table_finds_both_directions_and_refuses_a_taken_tuple() {
        let t = Tuple {
            src: Ipv4Addr::new(192, 168, 45, 3),
            dst: Ipv4Addr::new(192, 168, 1, 15),
            proto: 1,
            sport: 77,
            dport: 8 << 8,
        };
        let mut p = vec![0u8; 28];
        p[0] = 0x45;
        p[9] = 1;
        let now = Time::ZERO;
        let mut c = new_conn(&p, t, 0, now, &CtTimeouts::default()).unwrap();
        packet(&mut c, Dir::Original, &p, now, &CtTimeouts::default());
        let mut ct = Conntrack::default();
        let i = ct.confirm(c.clone(), now).unwrap();
        let r = t.invert().unwrap();
        assert_eq!(r.dport, 0);
        assert_eq!(ct.find(&r, 0, now), Some((i, Dir::Reply)));
        assert_eq!(ct.find(&r, 1, now), None);
        assert!(ct.confirm(c, now).is_none());
        assert_eq!(ct.count(), 1);
        assert!(ct.early_drop(now), "an unassured entry can go");
        assert_eq!(ct.count(), 0);
        let mut c2 = new_conn(&p, t, 0, now, &CtTimeouts::default()).unwrap();
        packet(&mut c2, Dir::Original, &p, now, &CtTimeouts::default());
        c2.status |= status::ASSURED;
        ct.confirm(c2, now).unwrap();
        assert!(!ct.early_drop(now), "assured entries stay");
        assert_eq!(ct.gc(now + Time::from_secs(31)), 1);
        assert_eq!(ct.count(), 0);
        assert_eq!(ct.find(&t, 0, now), None);
    }

    /// The table as it was with a std HashMap of both tuples: the model
    /// the open-addressed hash must agree with.
    #[derive(Default)]
    struct Model {
        conns: Vec<Option<Conn>>,
        free: Vec<u32>,
        hash: std::collections::HashMap<(Tuple, u16), (u32, Dir)>,
        next_id: u32,
    }

    impl Model {
        fn find(&self, t: &Tuple, zone: u16, now: Time) -> Option<(u32, Dir)> {
            let (i, d) = *self.hash.get(&(*t, zone))?;
            let c = self.conns[i as usize].as_ref()?;
            (c.timeout > now || c.has(status::FIXED_TIMEOUT)).then_some((i, d))
        }
        fn confirm(&mut self, mut c: Conn, now: Time) -> Option<u32> {
            let z = c.zone;
            if self.find(&c.tuple[0], z, now).is_some() || self.find(&c.tuple[1], z, now).is_some()
            {
                return None;
            }
            for t in c.tuple {
                if let Some((i, _)) = self.hash.get(&(t, z)).copied() {
                    self.remove(i);
                }
            }
            c.status |= status::CONFIRMED;
            self.next_id = self.next_id.wrapping_add(1);
            c.id = self.next_id;
            let i = self.free.pop().unwrap_or_else(|| {
                self.conns.push(None);
                (self.conns.len() - 1) as u32
            });
            self.hash.insert((c.tuple[0], z), (i, Dir::Original));
            self.hash.insert((c.tuple[1], z), (i, Dir::Reply));
            self.conns[i as usize] = Some(c);
            Some(i)
        }
        fn remove(&mut self, i: u32) -> Option<Conn> {
            let c = self.conns.get_mut(i as usize)?.take()?;
            for (d, t) in c.tuple.iter().enumerate() {
                if self
                    .hash
                    .get(&(*t, c.zone))
                    .is_some_and(|e| e.0 == i && e.1 as usize == d)
                {
                    self.hash.remove(&(*t, c.zone));
                }
            }
            self.free.push(i);
            Some(c)
        }
    }

    /// A UDP connection over a small space of tuples, so that tuples
    /// collide, some are their own reply (a == b, same ports), and a
    /// reply tuple can be another connection's original.
    fn small_conn(
        (a, b, sp, dp): (u8, u8, u16, u16),
        reply: Option<(u8, u16)>,
        zone: u16,
        now: Time,
        life: u64,
    ) -> Conn {
        let t = Tuple {
            src: Ipv4Addr::new(10, 0, 0, a),
            dst: Ipv4Addr::new(10, 0, 0, b),
            proto: 17,
            sport: sp,
            dport: dp,
        };
        let mut r = t.invert().unwrap();
        if let Some((x, p)) = reply {
            r.dst = Ipv4Addr::new(10, 0, 0, x);
            r.dport = p;
        }
        Conn {
            tuple: [t, r],
            status: 0,
            timeout: now + Time::from_secs(life),
            mark: 0,
            zone,
            proto: ProtoState::Generic,
            masq_index: None,
            id: 0,
        }
    }

    #[derive(Clone, Debug)]
    enum Op {
        Confirm(u8, u8, u16, u16, Option<(u8, u16)>, u16, u64),
        Remove(u32),
        Gc,
        Tick(u64),
        Find(u8, u8, u16, u16, u16),
        Reload,
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        prop_oneof![
            6 => (1u8..5, 1u8..5, 1u16..4, 1u16..4, proptest::option::of((1u8..5, 1u16..4)), 0u16..2, 1u64..20)
                .prop_map(|(a, b, s, d, r, z, l)| Op::Confirm(a, b, s, d, r, z, l)),
            2 => (0u32..40).prop_map(Op::Remove),
            1 => Just(Op::Gc),
            2 => (1u64..10).prop_map(Op::Tick),
            4 => (1u8..5, 1u8..5, 1u16..4, 1u16..4, 0u16..2).prop_map(|(a, b, s, d, z)| Op::Find(a, b, s, d, z)),
            1 => Just(Op::Reload),
        ]
    }

    proptest::proptest! {
        #[test]
        fn the_hash_agrees_with_a_hashmap_of_both_tuples(ops in proptest::collection::vec(op(), 1..400)) {
            let mut ct = Conntrack::default();
            let mut m = Model::default();
            let mut now = Time::from_secs(1);
            for op in ops {
                match op {
                    Op::Confirm(a, b, s, d, r, z, l) => {
                        let c = small_conn((a, b, s, d), r, z, now, l);
                        proptest::prop_assert_eq!(ct.confirm(c.clone(), now), m.confirm(c, now));
                    }
                    Op::Remove(i) => proptest::prop_assert_eq!(ct.remove(i, now), m.remove(i)),
                    Op::Gc => {
                        let dead: Vec<u32> = m
                            .conns
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| c.as_ref().is_some_and(|c| c.timeout <= now))
                            .map(|(i, _)| i as u32)
                            .collect();
                        for i in &dead {
                            m.remove(*i);
                        }
                        proptest::prop_assert_eq!(ct.gc(now), dead.len());
                    }
                    Op::Tick(s) => now = now + Time::from_secs(s),
                    Op::Find(a, b, s, d, z) => {
                        let t = small_conn((a, b, s, d), None, z, now, 1).tuple[0];
                        proptest::prop_assert_eq!(ct.find(&t, z, now), m.find(&t, z, now));
                    }
                    Op::Reload => {
                        let json = serde_json::to_string(&ct).unwrap();
                        ct = serde_json::from_str(&json).unwrap();
                    }
                }
                // Every key the model hashes, expired or not, finds the same.
                for (k, v) in &m.hash {
                    proptest::prop_assert_eq!(ct.lookup(&k.0, k.1), Some(*v));
                }
                proptest::prop_assert_eq!(ct.hash.live, m.hash.len());
                let listed: Vec<(u32, Conn)> = ct.iter().map(|(i, c)| (i, c.clone())).collect();
                let model: Vec<(u32, Conn)> = m
                    .conns
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| c.clone().map(|c| (i as u32, c)))
                    .collect();
                proptest::prop_assert_eq!(listed, model);
                proptest::prop_assert_eq!(ct.count(), m.conns.iter().flatten().count());
            }
        }
    }

    #[test]
    fn the_hash_grows_past_its_first_size_and_still_finds_everything() {
        let mut ct = Conntrack::default();
        let now = Time::ZERO;
        for n in 0..5000u32 {
            let [x, y] = (n as u16).to_be_bytes();
            let c = small_conn((x, y, n as u16, 7), None, 0, now, 100);
            ct.confirm(c, now).unwrap();
        }
        assert_eq!(ct.hash.live, 10_000);
        assert!(ct.hash.used * 10 <= ct.hash.words.len() * 7);
        for n in 0..5000u32 {
            let [x, y] = (n as u16).to_be_bytes();
            let c = small_conn((x, y, n as u16, 7), None, 0, now, 100);
            assert_eq!(ct.find(&c.tuple[1], 0, now), Some((n, Dir::Reply)));
        }
    }
}
