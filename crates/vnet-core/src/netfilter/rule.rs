//! A rule as the kernel holds it (`struct ipt_entry`): the fixed IP part,
//! the match extensions in the order given, and one target. Everything is
//! plain data so that iptables(8) can print it back and the lab file can
//! store it; evaluation lives in `eval.rs`.

use crate::types::Mac;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Packet and byte counters (`struct xt_counters`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub pkts: u64,
    pub bytes: u64,
}

impl Counters {
    pub fn add(&mut self, bytes: usize) {
        self.pkts += 1;
        self.bytes += bytes as u64;
    }
}

/// `struct ipt_ip` / `struct ip6t_ip6`: addresses with masks (of the
/// table's family: an IPv6 table's rules hold IPv6 ones), interfaces,
/// protocol, and the inversion flags of `!`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpSpec {
    pub src: IpAddr,
    pub smsk: IpAddr,
    pub dst: IpAddr,
    pub dmsk: IpAddr,
    /// Input interface ("" = any; a trailing `+` matches a prefix).
    pub iniface: String,
    pub outiface: String,
    /// 0 = any protocol.
    pub proto: u8,
    /// `-f`: second and further fragments only.
    pub frag: bool,
    pub inv: u8,
}

impl IpSpec {
    pub const INV_VIA_IN: u8 = 0x01;
    pub const INV_VIA_OUT: u8 = 0x02;
    pub const INV_SRCIP: u8 = 0x08;
    pub const INV_DSTIP: u8 = 0x10;
    pub const INV_FRAG: u8 = 0x20;
    pub const INV_PROTO: u8 = 0x40;
}

/// An address as one number, IPv4 in the low 32 bits (masks and the
/// rule index work on these).
pub fn addr_bits(a: IpAddr) -> u128 {
    match a {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    }
}

/// The unspecified address (and empty mask) of a family.
pub fn unspecified(v6: bool) -> IpAddr {
    if v6 {
        Ipv6Addr::UNSPECIFIED.into()
    } else {
        Ipv4Addr::UNSPECIFIED.into()
    }
}

impl IpSpec {
    /// The fixed part of a rule that matches every packet of a family.
    pub fn any(v6: bool) -> IpSpec {
        let u = unspecified(v6);
        IpSpec {
            src: u,
            smsk: u,
            dst: u,
            dmsk: u,
            ..IpSpec::default()
        }
    }
}

impl Default for IpSpec {
    fn default() -> IpSpec {
        IpSpec {
            src: Ipv4Addr::UNSPECIFIED.into(),
            smsk: Ipv4Addr::UNSPECIFIED.into(),
            dst: Ipv4Addr::UNSPECIFIED.into(),
            dmsk: Ipv4Addr::UNSPECIFIED.into(),
            iniface: String::new(),
            outiface: String::new(),
            proto: 0,
            frag: false,
            inv: 0,
        }
    }
}

/// An inclusive port range (`--dport 1000:2000`; a single port is `(p, p)`).
pub type PortRange = (u16, u16);

/// An address with a mask and its `!`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddrMatch {
    pub addr: Ipv4Addr,
    pub mask: Ipv4Addr,
    pub inv: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CtDir {
    Original,
    Reply,
}

/// `-m conntrack` (xt_conntrack revision 3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConntrackMatch {
    /// XT_CONNTRACK_STATE bits (see `ctstate`), with `!`.
    pub state: Option<(u8, bool)>,
    pub proto: Option<(u8, bool)>,
    pub origsrc: Option<AddrMatch>,
    pub origdst: Option<AddrMatch>,
    pub replsrc: Option<AddrMatch>,
    pub repldst: Option<AddrMatch>,
    pub origsrcport: Option<(PortRange, bool)>,
    pub origdstport: Option<(PortRange, bool)>,
    /// IPS_* status bits, with `!`.
    pub status: Option<(u32, bool)>,
    /// Remaining lifetime range in seconds, with `!`.
    pub expires: Option<((u32, u32), bool)>,
    pub dir: Option<CtDir>,
}

/// Bits of the conntrack/state match (XT_CONNTRACK_STATE_BIT and friends).
pub mod ctstate {
    pub const INVALID: u8 = 1 << 0;
    pub const ESTABLISHED: u8 = 1 << 1;
    pub const RELATED: u8 = 1 << 2;
    pub const NEW: u8 = 1 << 3;
    pub const UNTRACKED: u8 = 1 << 4;
    pub const SNAT: u8 = 1 << 5;
    pub const DNAT: u8 = 1 << 6;
    /// In the order iptables prints them.
    pub const NAMES: [(u8, &str); 7] = [
        (INVALID, "INVALID"),
        (NEW, "NEW"),
        (RELATED, "RELATED"),
        (ESTABLISHED, "ESTABLISHED"),
        (UNTRACKED, "UNTRACKED"),
        (SNAT, "SNAT"),
        (DNAT, "DNAT"),
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MultiportKind {
    Source,
    Destination,
    Both,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TtlOp {
    Eq,
    Ne,
    Lt,
    Gt,
}

/// RTN_* address types for `-m addrtype` (bit i = 1 << type).
pub mod addrtype {
    pub const NAMES: [&str; 12] = [
        "UNSPEC",
        "UNICAST",
        "LOCAL",
        "BROADCAST",
        "ANYCAST",
        "MULTICAST",
        "BLACKHOLE",
        "UNREACHABLE",
        "PROHIBIT",
        "THROW",
        "NAT",
        "XRESOLVE",
    ];
}

/// The token bucket of `-m limit` (xt_rateinfo): `avg` is the interval
/// between packets in 1/10000 s units (XT_LIMIT_SCALE), as the kernel keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    pub avg: u32,
    pub burst: u32,
    /// Runtime state: credit in nanoseconds of allowance, and when it was last topped up.
    pub credit: u64,
    pub prev: u64,
}

impl Limit {
    pub fn new(avg: u32, burst: u32) -> Limit {
        Limit {
            avg,
            burst,
            credit: u64::from(avg) * 100_000 * u64::from(burst),
            prev: 0,
        }
    }
}

/// A match extension (`-m NAME ...`, or the implicit one of `-p tcp|udp|icmp`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Match {
    Tcp {
        sport: PortRange,
        dport: PortRange,
        /// (mask, comparison) of `--tcp-flags` / `--syn`.
        flags: Option<(u8, u8)>,
        option: Option<u8>,
        /// XT_TCP_INV_SRCPT 0x01, DSTPT 0x02, FLAGS 0x04, OPTION 0x08.
        inv: u8,
    },
    Udp {
        sport: PortRange,
        dport: PortRange,
        inv: u8,
    },
    /// `--icmp-type`: type 0xff is "any"; codes as an inclusive range.
    Icmp {
        typ: u8,
        code: (u8, u8),
        inv: bool,
    },
    /// `-m icmp6 --icmpv6-type` (ip6t_icmp): no "any" type.
    Icmp6 {
        typ: u8,
        code: (u8, u8),
        inv: bool,
    },
    Multiport {
        kind: MultiportKind,
        /// Single ports are (p, p); up to 15 entries.
        ports: Vec<PortRange>,
        inv: bool,
    },
    Conntrack(ConntrackMatch),
    State {
        mask: u8,
        inv: bool,
    },
    Mark {
        value: u32,
        mask: u32,
        inv: bool,
    },
    Connmark {
        value: u32,
        mask: u32,
        inv: bool,
    },
    Iprange {
        src: Option<(Ipv4Addr, Ipv4Addr, bool)>,
        dst: Option<(Ipv4Addr, Ipv4Addr, bool)>,
    },
    Comment(String),
    Addrtype {
        src: u16,
        dst: u16,
        inv_src: bool,
        inv_dst: bool,
        limit_in: bool,
        limit_out: bool,
    },
    Ttl {
        op: TtlOp,
        value: u8,
    },
    Limit(Limit),
    /// PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3.
    Pkttype {
        typ: u8,
        inv: bool,
    },
    Mac {
        addr: Mac,
        inv: bool,
    },
    /// `-m length`: the IP packet's length (IPv4 tot_len; IPv6 payload
    /// plus header) within `min..=max`.
    Length {
        min: u16,
        max: u16,
        inv: bool,
    },
    /// `-m tos` (xt_tos_match_info): `(tos & mask) == value`.
    Tos {
        value: u8,
        mask: u8,
        inv: bool,
    },
    /// `-m dscp`: the six DSCP bits of the TOS byte.
    Dscp {
        dscp: u8,
        inv: bool,
    },
    Statistic(Statistic),
    /// `-m tcpmss`: a SYN's MSS option within `min..=max`.
    Tcpmss {
        min: u16,
        max: u16,
        inv: bool,
    },
}

/// xt_tcpmss_info.mss that asks for clamping to the path MTU.
pub const TCPMSS_CLAMP_PMTU: u16 = 0xffff;

/// `-m statistic` (xt_statistic_info) with its per-rule state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistic {
    pub mode: StatisticMode,
    pub inv: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatisticMode {
    /// Matches when 31 random bits fall below `probability`
    /// (the probability times 2^31); `rng` is the rule's deterministic
    /// stream (the kernel draws from get_random_u32()).
    Random { probability: u32, rng: u64 },
    /// Matches every `every + 1`th packet; `count` runs from
    /// `every - packet` (as libxt_statistic sets it) and wraps at `every`.
    Nth { every: u32, packet: u32, count: u32 },
}

impl Statistic {
    /// The match as iptables hands it over, with its state fresh.
    pub fn fresh(&self) -> Statistic {
        let mode = match self.mode {
            StatisticMode::Random { probability, .. } => StatisticMode::Random {
                probability,
                rng: u64::from(probability),
            },
            StatisticMode::Nth { every, packet, .. } => StatisticMode::Nth {
                every,
                packet,
                count: every - packet,
            },
        };
        Statistic {
            mode,
            inv: self.inv,
        }
    }
}

/// `--reject-with` (ipt_reject_with, and ip6t_reject_with for the
/// `Icmp6*` ones; tcp-reset is both).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RejectWith {
    NetUnreachable,
    HostUnreachable,
    ProtoUnreachable,
    PortUnreachable,
    /// The legacy `echo-reply`, which current kernels refuse.
    EchoReply,
    NetProhibited,
    HostProhibited,
    TcpReset,
    AdminProhibited,
    Icmp6NoRoute,
    Icmp6AdmProhibited,
    Icmp6AddrUnreach,
    Icmp6PortUnreach,
    Icmp6PolicyFail,
    Icmp6RejectRoute,
}

impl RejectWith {
    /// The ICMP destination-unreachable code it sends (None for tcp-reset).
    pub fn icmp_code(self) -> Option<u8> {
        Some(match self {
            RejectWith::NetUnreachable => 0,
            RejectWith::HostUnreachable => 1,
            RejectWith::ProtoUnreachable => 2,
            RejectWith::PortUnreachable => 3,
            RejectWith::NetProhibited => 9,
            RejectWith::HostProhibited => 10,
            RejectWith::AdminProhibited => 13,
            _ => return None,
        })
    }
    /// The ICMPv6 destination-unreachable code it sends (RFC 4443 §3.1;
    /// None for tcp-reset and the IPv4 kinds).
    pub fn icmp6_code(self) -> Option<u8> {
        Some(match self {
            RejectWith::Icmp6NoRoute => 0,
            RejectWith::Icmp6AdmProhibited => 1,
            RejectWith::Icmp6AddrUnreach => 3,
            RejectWith::Icmp6PortUnreach => 4,
            RejectWith::Icmp6PolicyFail => 5,
            RejectWith::Icmp6RejectRoute => 6,
            _ => return None,
        })
    }
}

/// A NAT range (`struct nf_nat_range2`): addresses and, if given, ports or ICMP ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatRange {
    /// None: keep the address (only a port was given, or MASQUERADE/REDIRECT).
    pub addr: Option<(Ipv4Addr, Ipv4Addr)>,
    pub ports: Option<PortRange>,
    /// --random (NF_NAT_RANGE_PROTO_RANDOM).
    pub random: bool,
    /// --random-fully (NF_NAT_RANGE_PROTO_RANDOM_FULLY).
    pub random_fully: bool,
    /// --persistent.
    pub persistent: bool,
}

impl NatRange {
    pub const EMPTY: NatRange = NatRange {
        addr: None,
        ports: None,
        random: false,
        random_fully: false,
        persistent: false,
    };
}

/// What CONNMARK does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConnmarkOp {
    /// ctmark = (ctmark & ~mask) ^ value.
    SetXmark { value: u32, mask: u32 },
    /// ctmark = (ctmark & ~ctmask) ^ (nfmark & nfmask).
    Save { nfmask: u32, ctmask: u32 },
    /// nfmark = (nfmark & ~nfmask) ^ (ctmark & ctmask).
    Restore { nfmask: u32, ctmask: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TtlMode {
    Set,
    Inc,
    Dec,
}

/// A target (`-j` or `-g`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// No `-j`: the rule only counts.
    None,
    Accept,
    Drop,
    Return,
    /// `-j CHAIN`.
    Jump(String),
    /// `-g CHAIN`.
    Goto(String),
    Reject(RejectWith),
    Log {
        level: u8,
        prefix: String,
        /// XT_LOG_TCPSEQ 1, TCPOPT 2, IPOPT 4, UID 8, MACDECODE 0x20.
        flags: u8,
    },
    /// nfmark = (nfmark & ~mask) ^ value (`--set-xmark`; the other forms reduce to it).
    Mark {
        value: u32,
        mask: u32,
    },
    Connmark(ConnmarkOp),
    Snat(NatRange),
    Dnat(NatRange),
    Masquerade(NatRange),
    Redirect(NatRange),
    Netmap {
        addr: Ipv4Addr,
        mask: Ipv4Addr,
    },
    Ttl {
        mode: TtlMode,
        value: u8,
    },
    /// tos = (tos & ~mask) ^ value.
    Tos {
        value: u8,
        mask: u8,
    },
    Dscp(u8),
    /// `-j TCPMSS`: a SYN's MSS option lowered to `mss`, or with
    /// TCPMSS_CLAMP_PMTU to the output path's MTU less the headers.
    Tcpmss {
        mss: u16,
    },
    /// `-j CT --notrack`.
    Notrack,
    /// `-j NOTRACK`: the old target, now CT --notrack under its own name.
    NotrackAlias,
    /// `-j CT --zone N`.
    CtZone(u16),
    /// `-j CT --notrack --zone N`: untracked (the zone is kept for listings).
    NotrackZone(u16),
    Trace,
}

impl Target {
    /// The chain a jump or goto leads to.
    pub fn chain(&self) -> Option<&str> {
        match self {
            Target::Jump(c) | Target::Goto(c) => Some(c),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub ip: IpSpec,
    pub matches: Vec<Match>,
    pub target: Target,
    pub counters: Counters,
    /// The nf_tables handle (0 until the table is committed).
    #[serde(default)]
    pub handle: u64,
}

impl Rule {
    /// Whether two rules are the same rule (what `-D`/`-C` by specification
    /// compare): everything but the counters and the runtime state of `limit`
    /// and `statistic`.
    pub fn same_spec(&self, o: &Rule) -> bool {
        let lim = |m: &Match| match m {
            Match::Limit(l) => Match::Limit(Limit::new(l.avg, l.burst)),
            Match::Statistic(st) => Match::Statistic(st.fresh()),
            m => m.clone(),
        };
        self.ip == o.ip
            && self.target == o.target
            && self.matches.len() == o.matches.len()
            && self
                .matches
                .iter()
                .zip(&o.matches)
                .all(|(a, b)| lim(a) == lim(b))
    }
}
