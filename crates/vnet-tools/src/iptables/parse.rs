//! The rule specification of an iptables command line: the fixed IP part
//! (`-s -d -i -o -p -f`), match extensions (`-m NAME` and the implicit
//! `-p tcp|udp|icmp` ones) and the target with its options, parsed the way
//! iptables' getopt_long loop does it: an extension's options exist only
//! once it is loaded, `!` inverts the next option, long options may be
//! abbreviated to a unique prefix.

use super::names::*;
use super::Fail;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use vnet_core::netfilter::rule::{
    addrtype, ctstate, AddrMatch, ConnmarkOp, ConntrackMatch, CtDir, IpSpec, Limit, Match,
    MultiportKind, NatRange, RejectWith, TtlMode, TtlOp,
};
use vnet_core::netfilter::{Family, Target};
use vnet_core::Mac;

fn param<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail::Param(msg.into()))
}

/// A target being built from `-j NAME` and its options.
#[derive(Clone, Debug)]
pub enum TargetB {
    Std(Target),
    /// `-j NAME` of something that is not an extension: a chain (checked later).
    Chain(String, bool),
    Reject(RejectWith),
    Log {
        level: u8,
        prefix: String,
        flags: u8,
    },
    Mark(Option<(u32, u32)>),
    Connmark {
        op: Option<ConnmarkOp>,
        nfmask: Option<u32>,
        ctmask: Option<u32>,
    },
    /// SNAT, DNAT, MASQUERADE, REDIRECT with their range and whether the
    /// required option was given.
    Nat(&'static str, NatRange, bool),
    Netmap(Option<(Ipv4Addr, Ipv4Addr)>),
    Ttl(Option<(TtlMode, u8)>),
    Tos(Option<(u8, u8)>),
    Dscp(Option<u8>),
    Tcpmss(Option<u16>),
    Ct {
        notrack: bool,
        zone: Option<u16>,
    },
    Notrack,
    Trace,
}

impl TargetB {
    pub fn name(&self) -> String {
        match self {
            TargetB::Std(Target::Accept) => "ACCEPT".into(),
            TargetB::Std(Target::Drop) => "DROP".into(),
            TargetB::Std(Target::Return) => "RETURN".into(),
            TargetB::Std(_) => String::new(),
            TargetB::Chain(c, _) => c.clone(),
            TargetB::Reject(_) => "REJECT".into(),
            TargetB::Log { .. } => "LOG".into(),
            TargetB::Mark(_) => "MARK".into(),
            TargetB::Connmark { .. } => "CONNMARK".into(),
            TargetB::Nat(n, ..) => n.to_string(),
            TargetB::Netmap(_) => "NETMAP".into(),
            TargetB::Ttl(_) => "TTL".into(),
            TargetB::Tos(_) => "TOS".into(),
            TargetB::Dscp(_) => "DSCP".into(),
            TargetB::Tcpmss(_) => "TCPMSS".into(),
            TargetB::Ct { .. } => "CT".into(),
            TargetB::Notrack => "NOTRACK".into(),
            TargetB::Trace => "TRACE".into(),
        }
    }
}

/// Names `-j` knows as targets (a chain may not take one of them).
pub const TARGET_NAMES: &[&str] = &[
    "ACCEPT",
    "DROP",
    "RETURN",
    "QUEUE",
    "REJECT",
    "LOG",
    "MARK",
    "CONNMARK",
    "SNAT",
    "DNAT",
    "MASQUERADE",
    "REDIRECT",
    "NETMAP",
    "TTL",
    "TOS",
    "DSCP",
    "CT",
    "NOTRACK",
    "TRACE",
];

fn new_target(name: &str, goto: bool, fam: Family) -> TargetB {
    let v6 = fam == Family::Ipv6;
    match name {
        "ACCEPT" if !goto => TargetB::Std(Target::Accept),
        "DROP" if !goto => TargetB::Std(Target::Drop),
        "RETURN" if !goto => TargetB::Std(Target::Return),
        "REJECT" if !goto && v6 => TargetB::Reject(RejectWith::Icmp6PortUnreach),
        "REJECT" if !goto => TargetB::Reject(RejectWith::PortUnreachable),
        "LOG" if !goto => TargetB::Log {
            level: 4,
            prefix: String::new(),
            flags: 0,
        },
        "MARK" if !goto => TargetB::Mark(None),
        "CONNMARK" if !goto => TargetB::Connmark {
            op: None,
            nfmask: None,
            ctmask: None,
        },
        // ip6tables has no TTL (HL instead), and vnet no IPv6 NAT yet.
        "SNAT" | "DNAT" | "MASQUERADE" | "REDIRECT" | "NETMAP" | "TTL" if v6 => {
            TargetB::Chain(name.to_string(), goto)
        }
        "SNAT" | "DNAT" | "MASQUERADE" | "REDIRECT" if !goto => {
            let n = match name {
                "SNAT" => "SNAT",
                "DNAT" => "DNAT",
                "MASQUERADE" => "MASQUERADE",
                _ => "REDIRECT",
            };
            TargetB::Nat(n, NatRange::EMPTY, false)
        }
        "NETMAP" if !goto => TargetB::Netmap(None),
        "TTL" if !goto => TargetB::Ttl(None),
        "TOS" if !goto => TargetB::Tos(None),
        "DSCP" if !goto => TargetB::Dscp(None),
        "TCPMSS" if !goto => TargetB::Tcpmss(None),
        "CT" if !goto => TargetB::Ct {
            notrack: false,
            zone: None,
        },
        "NOTRACK" if !goto => TargetB::Notrack,
        "TRACE" if !goto => TargetB::Trace,
        _ => TargetB::Chain(name.to_string(), goto),
    }
}

/// The long options of each extension: (name, takes an argument).
fn ext_options(name: &str) -> &'static [(&'static str, bool)] {
    if let Some(o) = super::xt_qos::options(name) {
        return o;
    }
    match name {
        "tcp" => &[
            ("source-port", true),
            ("sport", true),
            ("destination-port", true),
            ("dport", true),
            ("syn", false),
            ("tcp-flags", true),
            ("tcp-option", true),
        ],
        "udp" => &[
            ("source-port", true),
            ("sport", true),
            ("destination-port", true),
            ("dport", true),
        ],
        "icmp" => &[("icmp-type", true)],
        "icmp6" => &[("icmpv6-type", true)],
        "multiport" => &[
            ("source-ports", true),
            ("sports", true),
            ("destination-ports", true),
            ("dports", true),
            ("ports", true),
        ],
        "conntrack" => &[
            ("ctstate", true),
            ("ctproto", true),
            ("ctorigsrc", true),
            ("ctorigdst", true),
            ("ctreplsrc", true),
            ("ctrepldst", true),
            ("ctorigsrcport", true),
            ("ctorigdstport", true),
            ("ctstatus", true),
            ("ctexpire", true),
            ("ctdir", true),
        ],
        "state" => &[("state", true)],
        "mark" | "connmark" => &[("mark", true)],
        "iprange" => &[("src-range", true), ("dst-range", true)],
        "comment" => &[("comment", true)],
        "addrtype" => &[
            ("src-type", true),
            ("dst-type", true),
            ("limit-iface-in", false),
            ("limit-iface-out", false),
        ],
        "ttl" => &[("ttl-eq", true), ("ttl-lt", true), ("ttl-gt", true)],
        "limit" => &[("limit", true), ("limit-burst", true)],
        "pkttype" => &[("pkt-type", true)],
        "mac" => &[("mac-source", true)],
        "REJECT" => &[("reject-with", true)],
        "LOG" => &[
            ("log-level", true),
            ("log-prefix", true),
            ("log-tcp-sequence", false),
            ("log-tcp-options", false),
            ("log-ip-options", false),
            ("log-uid", false),
            ("log-macdecode", false),
        ],
        "MARK" => &[
            ("set-mark", true),
            ("set-xmark", true),
            ("and-mark", true),
            ("or-mark", true),
            ("xor-mark", true),
        ],
        "CONNMARK" => &[
            ("set-mark", true),
            ("set-xmark", true),
            ("and-mark", true),
            ("or-mark", true),
            ("xor-mark", true),
            ("save-mark", false),
            ("restore-mark", false),
            ("nfmask", true),
            ("ctmask", true),
            ("mask", true),
        ],
        "SNAT" => &[
            ("to-source", true),
            ("random", false),
            ("random-fully", false),
            ("persistent", false),
        ],
        "DNAT" => &[
            ("to-destination", true),
            ("random", false),
            ("persistent", false),
        ],
        "MASQUERADE" => &[
            ("to-ports", true),
            ("random", false),
            ("random-fully", false),
        ],
        "REDIRECT" => &[("to-ports", true), ("random", false)],
        "NETMAP" => &[("to", true)],
        "TTL" => &[("ttl-set", true), ("ttl-inc", true), ("ttl-dec", true)],
        "TOS" => &[
            ("set-tos", true),
            ("and-tos", true),
            ("or-tos", true),
            ("xor-tos", true),
        ],
        "DSCP" => &[("set-dscp", true), ("set-dscp-class", true)],
        "TCPMSS" => &[("set-mss", true), ("clamp-mss-to-pmtu", false)],
        "CT" => &[("notrack", false), ("zone", true)],
        _ => &[],
    }
}

/// Match extensions `-m` can load: the first two are per family
/// (libipt_icmp and libipt_ttl; libip6t_icmp6), the rest libxt ones.
const MATCHES: &[&str] = &[
    "icmp",
    "ttl",
    "icmp6",
    "tcp",
    "udp",
    "multiport",
    "conntrack",
    "state",
    "mark",
    "connmark",
    "iprange",
    "comment",
    "addrtype",
    "limit",
    "pkttype",
    "mac",
    "length",
    "tos",
    "dscp",
    "statistic",
    "tcpmss",
];

/// A loaded match: its name, the match, and which options it has seen.
#[derive(Clone, Debug)]
pub struct MatchB {
    pub name: &'static str,
    pub m: Match,
    pub seen: u32,
}

fn new_match(name: &'static str) -> Match {
    if let Some(m) = super::xt_qos::new_match(name) {
        return m;
    }
    match name {
        "tcp" => Match::Tcp {
            sport: (0, 0xffff),
            dport: (0, 0xffff),
            flags: None,
            option: None,
            inv: 0,
        },
        "udp" => Match::Udp {
            sport: (0, 0xffff),
            dport: (0, 0xffff),
            inv: 0,
        },
        "icmp" => Match::Icmp {
            typ: 0xff,
            code: (0, 0xff),
            inv: false,
        },
        "icmp6" => Match::Icmp6 {
            typ: 0,
            code: (0, 0xff),
            inv: false,
        },
        "multiport" => Match::Multiport {
            kind: MultiportKind::Both,
            ports: vec![],
            inv: false,
        },
        "conntrack" => Match::Conntrack(ConntrackMatch::default()),
        "state" => Match::State {
            mask: 0,
            inv: false,
        },
        "mark" => Match::Mark {
            value: 0,
            mask: u32::MAX,
            inv: false,
        },
        "connmark" => Match::Connmark {
            value: 0,
            mask: u32::MAX,
            inv: false,
        },
        "iprange" => Match::Iprange {
            src: None,
            dst: None,
        },
        "comment" => Match::Comment(String::new()),
        "addrtype" => Match::Addrtype {
            src: 0,
            dst: 0,
            inv_src: false,
            inv_dst: false,
            limit_in: false,
            limit_out: false,
        },
        "ttl" => Match::Ttl {
            op: TtlOp::Eq,
            value: 0,
        },
        "limit" => Match::Limit(Limit::new(10000 * 3600 / 3, 5)),
        "pkttype" => Match::Pkttype { typ: 0, inv: false },
        _ => Match::Mac {
            addr: Mac::ZERO,
            inv: false,
        },
    }
}

/// The whole rule specification of one command line.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// iptables or ip6tables.
    pub family: Family,
    pub ip: IpSpec,
    pub srcs: Vec<(IpAddr, IpAddr)>,
    pub dsts: Vec<(IpAddr, IpAddr)>,
    pub matches: Vec<MatchB>,
    pub target: Option<TargetB>,
    pub counters: Option<(u64, u64)>,
    /// The target's options given so far (for its exclusions).
    pub target_opts: Vec<&'static str>,
}

/// x6's exclusion message: `option "--A" cannot be used together with "--B"`.
fn excl(ext: &str, a: &str, b: &str) -> Fail {
    Fail::Param(format!(
        "{ext}: option \"--{a}\" cannot be used together with \"--{b}\".\n"
    ))
}

/// Options of the fixed part, for "multiple flags" and the legality table.
pub mod opt {
    pub const NUMERIC: u32 = 1 << 0;
    pub const SOURCE: u32 = 1 << 1;
    pub const DEST: u32 = 1 << 2;
    pub const PROTO: u32 = 1 << 3;
    pub const JUMP: u32 = 1 << 4;
    pub const VERBOSE: u32 = 1 << 5;
    pub const EXACT: u32 = 1 << 6;
    pub const VIA_IN: u32 = 1 << 7;
    pub const VIA_OUT: u32 = 1 << 8;
    pub const LINENUMBERS: u32 = 1 << 9;
    pub const COUNTERS: u32 = 1 << 10;
    pub const FRAGMENT: u32 = 1 << 11;
    pub const NAMES: [&str; 12] = [
        "-n",
        "-s",
        "-d",
        "-p",
        "-j",
        "-v",
        "-x",
        "-i",
        "-o",
        "--line-numbers",
        "-c",
        "-f",
    ];
}

/// Parses `ADDR[/MASK]` lists (comma-separated) as iptables (`A.B.C.D`)
/// or ip6tables (`X:Y::Z`) does.
pub fn parse_addrs(s: &str, fam: Family) -> Result<Vec<(IpAddr, IpAddr)>, Fail> {
    s.split(',')
        .map(|a| match fam {
            Family::Ipv4 => parse_addr_mask(a).map(|(a, m)| (a.into(), m.into())),
            Family::Ipv6 => parse_addr_mask6(a).map(|(a, m)| (a.into(), m.into())),
        })
        .collect()
}

/// `X:Y::Z[/LEN]` or `/MASK` as ip6tables reads it (inet_pton; no names).
pub fn parse_addr_mask6(s: &str) -> Result<(Ipv6Addr, Ipv6Addr), Fail> {
    let (a, m) = match s.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (s, None),
    };
    let mask = match m {
        None => u128::MAX,
        Some(m) if m.contains(':') => match m.parse::<Ipv6Addr>() {
            Ok(v) => u128::from(v),
            Err(_) => return param(format!("invalid mask `{m}' specified")),
        },
        Some(m) => match m.parse::<u32>() {
            Ok(n) if n <= 128 && m.bytes().all(|b| b.is_ascii_digit()) => {
                u128::MAX.checked_shl(128 - n).unwrap_or(0)
            }
            _ => return param(format!("invalid mask `{m}' specified")),
        },
    };
    let addr = if mask == 0 {
        Ipv6Addr::UNSPECIFIED
    } else {
        a.parse::<Ipv6Addr>()
            .map_err(|_| Fail::Param(format!("host/network `{a}' not found")))?
    };
    Ok((
        Ipv6Addr::from(u128::from(addr) & mask),
        Ipv6Addr::from(mask),
    ))
}

pub fn parse_addr_mask(s: &str) -> Result<(Ipv4Addr, Ipv4Addr), Fail> {
    let (a, m) = match s.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (s, None),
    };
    let mask = match m {
        None => u32::MAX,
        Some(m) if m.contains('.') => match dotted(m) {
            Some(v) => u32::from(v),
            None => return param(format!("invalid mask `{m}' specified")),
        },
        Some(m) => match m.parse::<u32>() {
            Ok(n) if n <= 32 && !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()) => {
                if n == 0 {
                    0
                } else {
                    u32::MAX << (32 - n)
                }
            }
            _ => return param(format!("invalid mask `{m}' specified")),
        },
    };
    let addr = if mask == 0 {
        // iptables does not even resolve the address of a /0.
        Ipv4Addr::UNSPECIFIED
    } else {
        match host(a) {
            Some(v) => v,
            None => return param(format!("host/network `{a}' not found")),
        }
    };
    Ok((Ipv4Addr::from(u32::from(addr) & mask), Ipv4Addr::from(mask)))
}

fn dotted(s: &str) -> Option<Ipv4Addr> {
    s.parse().ok()
}

/// A numeric host address as inet_aton reads it (`10.1` is 10.0.0.1; `0` is 0.0.0.0).
fn host(s: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut v = Vec::new();
    for p in &parts {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        v.push(p.parse::<u64>().ok()?);
    }
    let n = v.len();
    let last = v[n - 1];
    if v[..n - 1].iter().any(|x| *x > 255) || last >= 1u64 << (8 * (5 - n)).min(32) {
        return None;
    }
    let mut a: u32 = 0;
    for (i, x) in v[..n - 1].iter().enumerate() {
        a |= (*x as u32) << (24 - 8 * i);
    }
    Some(Ipv4Addr::from(a | last as u32))
}

/// A port or `a:b` range (`:b`, `a:` open-ended); names of any protocol.
fn parse_port_range(s: &str) -> Result<(u16, u16), Fail> {
    let port = |p: &str| {
        parse_port_any(p)
            .ok_or_else(|| Fail::Param(format!("invalid port/service `{p}' specified")))
    };
    match s.split_once(':') {
        None => {
            let p = port(s)?;
            Ok((p, p))
        }
        Some((a, b)) => {
            let lo = if a.is_empty() { 0 } else { port(a)? };
            let hi = if b.is_empty() { 0xffff } else { port(b)? };
            if lo > hi {
                return param("invalid portrange (min > max)");
            }
            Ok((lo, hi))
        }
    }
}

/// strtoul(…, 0) in full: decimal, 0x hex or 0 octal.
pub fn parse_u32(s: &str) -> Option<u32> {
    crate::args::get_unsigned(s, u32::MAX as u64).map(|v| v as u32)
}

/// `value[/mask]`.
fn parse_mark(s: &str) -> Option<(u32, Option<u32>)> {
    match s.split_once('/') {
        Some((v, m)) => Some((parse_u32(v)?, Some(parse_u32(m)?))),
        None => Some((parse_u32(s)?, None)),
    }
}

fn tcp_flag_list(s: &str) -> Result<u8, Fail> {
    let mut f = 0;
    for w in s.split(',') {
        f |= match w.to_ascii_uppercase().as_str() {
            "ALL" => 0x3f,
            "NONE" => 0,
            u => match TCP_FLAGS.iter().find(|(n, _)| *n == u) {
                Some((_, b)) => *b,
                None => return param(format!("Unknown TCP flag `{w}'")),
            },
        };
    }
    Ok(f)
}

/// libip6t_icmp6's `--icmpv6-type`: a name or unique case-insensitive
/// prefix of one (aliases included), else `TYPE[/CODE]`.
fn parse_icmp6(s: &str) -> Result<(u8, (u8, u8)), Fail> {
    let mut hit: Option<&(&str, u8, u8, u8)> = None;
    for e in ICMP6_TYPES {
        let n = e.0;
        if n.len() >= s.len() && n[..s.len()].eq_ignore_ascii_case(s) {
            if let Some(first) = hit {
                return param(format!(
                    "Ambiguous ICMPv6 type `{s}': `{}' or `{n}'?",
                    first.0
                ));
            }
            hit = Some(e);
        }
    }
    if let Some((_, t, lo, hi)) = hit {
        return Ok((*t, (*lo, *hi)));
    }
    let (t, c) = match s.split_once('/') {
        Some((t, c)) => (t, Some(c)),
        None => (s, None),
    };
    let byte = |x: &str| parse_u32(x).and_then(|v| u8::try_from(v).ok());
    let t = byte(t).ok_or_else(|| Fail::Param(format!("Unknown ICMPv6 type `{s}'")))?;
    let code = match c {
        Some(c) => {
            let c = byte(c).ok_or_else(|| Fail::Param(format!("Unknown ICMPv6 code `{s}'")))?;
            (c, c)
        }
        None => (0, 0xff),
    };
    Ok((t, code))
}

fn parse_icmp(s: &str) -> Result<(u8, (u8, u8)), Fail> {
    let bad = || Fail::Param(format!("Unknown ICMP type `{s}'"));
    if s.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        let (t, c) = match s.split_once('/') {
            Some((t, c)) => (t, Some(c)),
            None => (s, None),
        };
        let t: u8 = t.parse().map_err(|_| bad())?;
        let code = match c {
            Some(c) => {
                let c: u8 = c
                    .parse()
                    .map_err(|_| Fail::Param(format!("Unknown ICMP code `{s}'")))?;
                (c, c)
            }
            None => (0, 0xff),
        };
        return Ok((t, code));
    }
    let name = ICMP_ALIASES
        .iter()
        .find(|(a, _)| *a == s)
        .map_or(s, |(_, n)| *n);
    let hits: Vec<_> = ICMP_TYPES
        .iter()
        .filter(|(n, ..)| n.starts_with(name))
        .collect();
    let hit = hits
        .iter()
        .find(|(n, ..)| *n == name)
        .or(if hits.len() == 1 { hits.first() } else { None });
    match hit {
        Some((_, t, lo, hi)) => Ok((*t, (*lo, *hi))),
        None => Err(bad()),
    }
}

fn parse_states(s: &str, names: &[(u8, &str)], what: &str) -> Result<u8, Fail> {
    let mut m = 0;
    for w in s.split(',') {
        match names.iter().find(|(_, n)| *n == w) {
            Some((b, _)) => m |= b,
            None => return param(format!("Bad {what} \"{w}\"")),
        }
    }
    Ok(m)
}

const STATE_NAMES: [(u8, &str); 5] = [
    (ctstate::INVALID, "INVALID"),
    (ctstate::ESTABLISHED, "ESTABLISHED"),
    (ctstate::NEW, "NEW"),
    (ctstate::RELATED, "RELATED"),
    (ctstate::UNTRACKED, "UNTRACKED"),
];

fn parse_rate(s: &str) -> Result<u32, Fail> {
    let bad = || Fail::Param(format!("bad rate \"{s}\"'"));
    let (n, unit) = match s.split_once('/') {
        Some((n, u)) => (n, Some(u)),
        None => (s, None),
    };
    let mult: u64 = match unit {
        None => 1,
        Some("") => return Err(bad()),
        Some(u) => {
            let l = u.to_ascii_lowercase();
            if "second".starts_with(&l) {
                1
            } else if "minute".starts_with(&l) {
                60
            } else if "hour".starts_with(&l) {
                3600
            } else if "day".starts_with(&l) {
                86400
            } else {
                return Err(bad());
            }
        }
    };
    let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
    let r: u64 = digits.parse().unwrap_or(0);
    if r == 0 {
        return Err(bad());
    }
    if r > mult * 10000 {
        return param(format!("Rate too fast \"{s}\""));
    }
    Ok((10000 * mult / r) as u32)
}

/// `a.b.c.d[-e.f.g.h][:p[-q]]` of SNAT/DNAT.
fn parse_nat_to(s: &str, proto: u8, r: &mut NatRange) -> Result<(), Fail> {
    let (addrs, ports) = match s.split_once(':') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    if let Some(p) = ports {
        if !matches!(proto, 6 | 17 | 132 | 33 | 136) {
            return param("Need TCP, UDP, SCTP or DCCP with port specification");
        }
        r.ports = Some(parse_nat_ports(p, "Port")?);
    }
    if !addrs.is_empty() {
        let one = |a: &str| dotted(a).ok_or_else(|| Fail::Param(format!("Bad IP address \"{a}\"")));
        let (lo, hi) = match addrs.split_once('-') {
            Some((a, b)) => (one(a)?, one(b)?),
            None => {
                let a = one(addrs)?;
                (a, a)
            }
        };
        r.addr = Some((lo, hi));
    }
    Ok(())
}

/// A NAT target's port or `a-b` range. A whole argument may be a service
/// name (of any protocol); the ends of a range are numbers only, and a
/// bad first end is reported as the whole argument, as libxt_NAT does.
fn parse_nat_ports(p: &str, what: &str) -> Result<(u16, u16), Fail> {
    if let Some(port) = parse_port_any(p) {
        return Ok((port, port));
    }
    let one = |x: &str| {
        x.parse::<u16>()
            .ok()
            .filter(|v| *v != 0 || x == "0")
            .ok_or_else(|| Fail::Param(format!("{what} `{x}' not valid")))
    };
    match p.split_once('-') {
        Some((a, b)) => {
            let a = one(a).map_err(|_| Fail::Param(format!("{what} `{p}' not valid")))?;
            let b = one(b)?;
            if b < a {
                return param(format!("{what} range `{}' funky", b));
            }
            Ok((a, b))
        }
        None => {
            let a = one(p)?;
            Ok((a, a))
        }
    }
}

impl Spec {
    pub fn proto(&self) -> u8 {
        self.ip.proto
    }

    /// The match `-p` loads by itself when one of its options follows.
    fn implicit_match(&self) -> Option<&'static str> {
        match (self.ip.proto, self.family) {
            (6, _) => Some("tcp"),
            (17, _) => Some("udp"),
            (1, Family::Ipv4) => Some("icmp"),
            (58, Family::Ipv6) => Some("icmp6"),
            _ => None,
        }
    }

    /// Loads a match for `-m NAME`.
    pub fn load_match(&mut self, name: &str) -> Result<(), Fail> {
        let mine = match self.family {
            Family::Ipv4 => &MATCHES[..2],
            Family::Ipv6 => &MATCHES[2..3],
        };
        let Some(n) = mine.iter().chain(&MATCHES[3..]).find(|m| **m == name) else {
            let v6_only = [
                "dst",
                "eui64",
                "frag",
                "hbh",
                "hl",
                "ipv6header",
                "mh",
                "rt",
                "srh",
            ];
            if self.family == Family::Ipv6 || !v6_only.contains(&name) {
                if let Some(what) = crate::unsimulated::ipt_match(name) {
                    return Err(Fail::NotSimulated(what));
                }
            }
            return param(format!(
                "Couldn't load match `{name}':No such file or directory\n"
            ));
        };
        self.matches.push(MatchB {
            name: n,
            m: new_match(n),
            seen: 0,
        });
        Ok(())
    }

    pub fn set_target(&mut self, name: &str, goto: bool) {
        self.target = Some(new_target(name, goto, self.family));
    }

    /// All long options currently known from extensions, for abbreviation.
    pub fn ext_long_options(&self) -> Vec<(&'static str, bool)> {
        let mut v: Vec<(&'static str, bool)> = Vec::new();
        for m in &self.matches {
            v.extend_from_slice(ext_options(m.name));
        }
        // A chain (`-j NAME` of no target extension) has no options.
        if let Some(t) = self
            .target
            .as_ref()
            .filter(|t| !matches!(t, TargetB::Chain(..)))
        {
            v.extend_from_slice(ext_options(&t.name()));
        }
        // The implicit protocol match's options are known too.
        let implicit = self.implicit_match().unwrap_or("");
        if !implicit.is_empty() && !self.matches.iter().any(|m| m.name == implicit) {
            v.extend_from_slice(ext_options(implicit));
        }
        v
    }

    /// Applies an extension option; `Ok(false)` if no loaded extension has it.
    pub fn ext_option(
        &mut self,
        name: &str,
        arg: Option<&str>,
        inv: bool,
        more: &mut dyn FnMut() -> Option<String>,
    ) -> Result<bool, Fail> {
        let proto = self.ip.proto;
        for i in 0..self.matches.len() {
            let mname = self.matches[i].name;
            if let Some(bit) = ext_options(mname).iter().position(|(n, _)| *n == name) {
                let mb = &mut self.matches[i];
                let prev = ext_options(mname)
                    .iter()
                    .enumerate()
                    .find(|(k, _)| mb.seen & (1 << k) != 0)
                    .map(|(_, o)| o.0);
                match (mname, prev) {
                    // One of --ttl-eq/--ttl-lt/--ttl-gt.
                    ("ttl", Some(p)) => return Err(excl("ttl", name, p)),
                    // Source, destination or both ports, once.
                    ("multiport", Some(p)) => {
                        fn long(o: &str) -> &str {
                            match o {
                                "sports" => "source-ports",
                                "dports" => "destination-ports",
                                o => o,
                            }
                        }
                        if long(p) != long(name) {
                            return Err(excl("multiport", long(name), long(p)));
                        }
                    }
                    _ => {}
                }
                mb.seen |= 1 << bit;
                match_option(&mut mb.m, mname, name, arg.unwrap_or(""), inv, proto, more)?;
                return Ok(true);
            }
        }
        if let Some(t) = self
            .target
            .as_mut()
            .filter(|t| !matches!(t, TargetB::Chain(..)))
        {
            let tname = t.name();
            if let Some(o) = ext_options(&tname).iter().find(|(n, _)| *n == name) {
                // MARK takes one operation; x6 names them in its table's order.
                const MARK_OPS: [&str; 5] =
                    ["set-xmark", "set-mark", "and-mark", "or-mark", "xor-mark"];
                let pos = |x: &str| MARK_OPS.iter().position(|m| *m == x);
                if tname == "MARK" && pos(name).is_some() {
                    if let Some(p) = self.target_opts.iter().find(|p| pos(p).is_some()) {
                        let (a, b) = if pos(p) < pos(name) {
                            (*p, o.0)
                        } else {
                            (o.0, *p)
                        };
                        return Err(excl("MARK", a, b));
                    }
                }
                self.target_opts.push(o.0);
                target_option(t, name, arg.unwrap_or(""), self.family, proto)?;
                return Ok(true);
            }
        }
        let Some(implicit) = self.implicit_match() else {
            return Ok(false);
        };
        if !self.matches.iter().any(|m| m.name == implicit)
            && ext_options(implicit).iter().any(|(n, _)| *n == name)
        {
            self.load_match(implicit)?;
            return self.ext_option(name, arg, inv, more);
        }
        Ok(false)
    }

    /// The extensions' final checks (x6 "final_check").
    pub fn final_checks(&self) -> Result<(), Fail> {
        for m in &self.matches {
            match (&m.m, m.name) {
                (_, "icmp") if m.seen == 0 => {
                    return param("icmp: option \"--icmp-type\" must be specified\n")
                }
                (_, "icmp6") if m.seen == 0 => {
                    return param("icmp6: option \"--icmpv6-type\" must be specified\n")
                }
                (Match::Conntrack(_), _) if m.seen == 0 => {
                    return param("conntrack: At least one option is required")
                }
                (Match::State { .. }, _) if m.seen == 0 => {
                    return param("state: option \"--state\" must be specified\n")
                }
                (Match::Mark { .. }, n) if m.seen == 0 => {
                    return param(format!("{n}: option \"--mark\" must be specified\n"))
                }
                (Match::Connmark { .. }, n) if m.seen == 0 => {
                    return param(format!("{n}: option \"--mark\" must be specified\n"))
                }
                (Match::Comment(_), _) if m.seen == 0 => {
                    return param("comment: option \"--comment\" must be specified\n")
                }
                (Match::Multiport { .. }, _) => {
                    if !matches!(self.ip.proto, 6 | 17 | 33 | 132 | 136)
                        || self.ip.inv & IpSpec::INV_PROTO != 0
                    {
                        return param("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
                    }
                    if m.seen == 0 {
                        return param("multiport: option \"--ports\" must be specified\n");
                    }
                }
                (Match::Iprange { .. }, _) if m.seen == 0 => {
                    return param("iprange match: You must specify `--src-range' or `--dst-range'")
                }
                (Match::Ttl { .. }, _) if m.seen == 0 => {
                    return param(
                        // (sic: libxt_ttl's message lacks the closing quote)
                        "TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt",
                    );
                }
                (Match::Pkttype { .. }, _) if m.seen == 0 => {
                    return param("pkttype: option \"--pkt-type\" must be specified\n")
                }
                (Match::Mac { .. }, _) if m.seen == 0 => {
                    return param("mac: option \"--mac-source\" must be specified\n")
                }
                (Match::Addrtype { .. }, _) if m.seen & 3 == 0 => {
                    return param("addrtype: you must specify --src-type or --dst-type")
                }
                (mm, name) => super::xt_qos::final_check(mm, name, m.seen)?,
            }
        }
        match &self.target {
            Some(TargetB::Mark(None)) => {
                param("MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required")
            }
            Some(TargetB::Connmark { op: None, .. }) => {
                param("CONNMARK target: No operation specified")
            }
            Some(TargetB::Nat("SNAT", _, false)) => {
                param("SNAT: option \"--to-source\" must be specified\n")
            }
            Some(TargetB::Nat("DNAT", _, false)) => {
                param("DNAT: option \"--to-destination\" must be specified\n")
            }
            Some(TargetB::Netmap(None)) => param("NETMAP: option \"--to\" must be specified\n"),
            Some(TargetB::Ttl(None)) => param("TTL: You must specify an action"),
            Some(TargetB::Tos(None)) => param("TOS: An action is required"),
            Some(TargetB::Dscp(None)) => param("DSCP target: Parameter --set-dscp is required"),
            Some(TargetB::Tcpmss(None)) => {
                param("TCPMSS target: At least one parameter is required")
            }
            _ => Ok(()),
        }
    }

    /// The target as the kernel keeps it (None: no `-j`).
    pub fn build_target(&self) -> Target {
        match &self.target {
            None => Target::None,
            Some(t) => build_target(t),
        }
    }
}

pub fn build_target(t: &TargetB) -> Target {
    match t {
        TargetB::Std(t) => t.clone(),
        TargetB::Chain(c, false) => Target::Jump(c.clone()),
        TargetB::Chain(c, true) => Target::Goto(c.clone()),
        TargetB::Reject(w) => Target::Reject(*w),
        TargetB::Log {
            level,
            prefix,
            flags,
        } => Target::Log {
            level: *level,
            prefix: prefix.clone(),
            flags: *flags,
        },
        TargetB::Mark(m) => {
            let (value, mask) = m.unwrap_or((0, 0));
            Target::Mark { value, mask }
        }
        TargetB::Connmark { op, nfmask, ctmask } => match op {
            Some(ConnmarkOp::Save { .. }) => Target::Connmark(ConnmarkOp::Save {
                nfmask: nfmask.unwrap_or(u32::MAX),
                ctmask: ctmask.unwrap_or(u32::MAX),
            }),
            Some(ConnmarkOp::Restore { .. }) => Target::Connmark(ConnmarkOp::Restore {
                nfmask: nfmask.unwrap_or(u32::MAX),
                ctmask: ctmask.unwrap_or(u32::MAX),
            }),
            Some(op) => Target::Connmark(*op),
            None => Target::Connmark(ConnmarkOp::SetXmark { value: 0, mask: 0 }),
        },
        TargetB::Nat(n, r, _) => match *n {
            "SNAT" => Target::Snat(*r),
            "DNAT" => Target::Dnat(*r),
            "MASQUERADE" => Target::Masquerade(*r),
            _ => Target::Redirect(*r),
        },
        TargetB::Netmap(m) => {
            let (addr, mask) = m.unwrap_or((Ipv4Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED));
            Target::Netmap { addr, mask }
        }
        TargetB::Ttl(t) => {
            let (mode, value) = t.unwrap_or((TtlMode::Set, 0));
            Target::Ttl { mode, value }
        }
        TargetB::Tos(t) => {
            let (value, mask) = t.unwrap_or((0, 0));
            Target::Tos { value, mask }
        }
        TargetB::Dscp(d) => Target::Dscp(d.unwrap_or(0)),
        TargetB::Tcpmss(m) => Target::Tcpmss {
            mss: m.unwrap_or(vnet_core::netfilter::rule::TCPMSS_CLAMP_PMTU),
        },
        TargetB::Ct {
            notrack: true,
            zone: Some(z),
        } if *z != 0 => Target::NotrackZone(*z),
        TargetB::Ct { notrack: true, .. } => Target::Notrack,
        TargetB::Notrack => Target::NotrackAlias,
        TargetB::Ct { zone, .. } => Target::CtZone(zone.unwrap_or(0)),
        TargetB::Trace => Target::Trace,
    }
}

fn ct_addr(s: &str, inv: bool) -> Result<AddrMatch, Fail> {
    let (addr, mask) = parse_addr_mask(s)?;
    Ok(AddrMatch { addr, mask, inv })
}

fn match_option(
    m: &mut Match,
    mname: &str,
    opt: &str,
    arg: &str,
    inv: bool,
    proto: u8,
    more: &mut dyn FnMut() -> Option<String>,
) -> Result<(), Fail> {
    match m {
        Match::Tcp {
            sport,
            dport,
            flags,
            option,
            inv: i,
        } => match opt {
            "source-port" | "sport" => {
                *sport = parse_port_range(arg)?;
                *i |= if inv { 1 } else { 0 };
            }
            "destination-port" | "dport" => {
                *dport = parse_port_range(arg)?;
                *i |= if inv { 2 } else { 0 };
            }
            "syn" => {
                *flags = Some((0x17, 0x02));
                *i |= if inv { 4 } else { 0 };
            }
            "tcp-flags" => {
                let Some(cmp) = more() else {
                    return param("--tcp-flags requires two args.");
                };
                let mask = tcp_flag_list(arg)?;
                let cmp = tcp_flag_list(&cmp)?;
                *flags = Some((mask, cmp));
                *i |= if inv { 4 } else { 0 };
            }
            _ => {
                let v = arg
                    .parse::<u8>()
                    .ok()
                    .filter(|v| *v != 0)
                    .ok_or_else(|| Fail::Param(format!("Unknown TCP option `{arg}'")))?;
                *option = Some(v);
                *i |= if inv { 8 } else { 0 };
            }
        },
        Match::Udp {
            sport,
            dport,
            inv: i,
        } => {
            if opt.starts_with('s') {
                *sport = parse_port_range(arg)?;
                *i |= if inv { 1 } else { 0 };
            } else {
                *dport = parse_port_range(arg)?;
                *i |= if inv { 2 } else { 0 };
            }
        }
        Match::Icmp { typ, code, inv: i } => {
            let (t, c) = parse_icmp(arg)?;
            *typ = t;
            *code = c;
            *i = inv;
        }
        Match::Icmp6 { typ, code, inv: i } => {
            let (t, c) = parse_icmp6(arg)?;
            *typ = t;
            *code = c;
            *i = inv;
        }
        Match::Multiport {
            kind,
            ports,
            inv: i,
        } => {
            *kind = match opt {
                "source-ports" | "sports" => MultiportKind::Source,
                "destination-ports" | "dports" => MultiportKind::Destination,
                _ => MultiportKind::Both,
            };
            let mut v = Vec::new();
            let mut count = 0;
            for p in arg.split(',') {
                let r = match p.split_once(':') {
                    Some((a, b)) => {
                        count += 2;
                        let a = parse_port(a, proto).ok_or_else(|| {
                            Fail::Param(format!("invalid port/service `{a}' specified"))
                        })?;
                        let b = parse_port(b, proto).ok_or_else(|| {
                            Fail::Param(format!("invalid port/service `{b}' specified"))
                        })?;
                        if a > b {
                            return param("invalid portrange specified".to_string());
                        }
                        (a, b)
                    }
                    None => {
                        count += 1;
                        let a = parse_port(p, proto).ok_or_else(|| {
                            Fail::Param(format!("invalid port/service `{p}' specified"))
                        })?;
                        (a, a)
                    }
                };
                if count > 15 {
                    return param("too many ports specified");
                }
                v.push(r);
            }
            *ports = v;
            *i = inv;
        }
        Match::Conntrack(c) => match opt {
            "ctstate" => {
                let mut st = 0;
                for w in arg.split(',') {
                    match ctstate::NAMES.iter().find(|(_, n)| *n == w) {
                        Some((b, _)) => st |= b,
                        None => return param(format!("Bad ctstate \"{w}\"")),
                    }
                }
                c.state = Some((st, inv));
            }
            "ctproto" => {
                let p = parse_proto(arg)
                    .ok_or_else(|| Fail::Param(format!("unknown protocol \"{arg}\" specified")))?;
                c.proto = Some((p, inv));
            }
            "ctorigsrc" => c.origsrc = Some(ct_addr(arg, inv)?),
            "ctorigdst" => c.origdst = Some(ct_addr(arg, inv)?),
            "ctreplsrc" => c.replsrc = Some(ct_addr(arg, inv)?),
            "ctrepldst" => c.repldst = Some(ct_addr(arg, inv)?),
            "ctorigsrcport" | "ctorigdstport" => {
                let r = match arg.split_once(':') {
                    Some((a, b)) => (ct_port(a)?, ct_port(b)?),
                    None => {
                        let p = ct_port(arg)?;
                        (p, p)
                    }
                };
                if opt == "ctorigsrcport" {
                    c.origsrcport = Some((r, inv));
                } else {
                    c.origdstport = Some((r, inv));
                }
            }
            "ctstatus" => {
                let mut st = 0;
                for w in arg.split(',') {
                    if w == "NONE" {
                        continue;
                    }
                    match CT_STATUS.iter().find(|(n, _)| *n == w) {
                        Some((_, b)) => st |= b,
                        None => return param(format!("Bad ctstatus \"{w}\"")),
                    }
                }
                c.status = Some((st, inv));
            }
            "ctexpire" => {
                let num = |x: &str| {
                    x.parse::<u32>()
                        .map_err(|_| Fail::Param(format!("expire value invalid: \"{arg}\"")))
                };
                let r = match arg.split_once(':') {
                    Some((a, b)) => (num(a)?, num(b)?),
                    None => {
                        let v = num(arg)?;
                        (v, v)
                    }
                };
                c.expires = Some((r, inv));
            }
            _ => {
                c.dir = Some(match arg.to_ascii_uppercase().as_str() {
                    "ORIGINAL" => CtDir::Original,
                    "REPLY" => CtDir::Reply,
                    _ => {
                        return param(format!(
                            "conntrack: Bad value for \"--ctdir\" option: \"{arg}\""
                        ))
                    }
                })
            }
        },
        Match::State { mask, inv: i } => {
            *mask = parse_states(arg, &STATE_NAMES, "state")?;
            *i = inv;
        }
        Match::Mark {
            value,
            mask,
            inv: i,
        }
        | Match::Connmark {
            value,
            mask,
            inv: i,
        } => {
            let Some((v, m)) = parse_mark(arg) else {
                // strtoul() took a number and stopped short of the end.
                let (head, tail) = arg.split_once('/').unwrap_or((arg, ""));
                let garbage =
                    parse_mark(head).is_some() && tail.starts_with(|c: char| c.is_ascii_digit());
                return param(if garbage {
                    format!("{mname}: trailing garbage after value for option \"--mark\".\n")
                } else {
                    format!("{mname}: bad integer value for option \"--mark\", or out of range.\n")
                });
            };
            *value = v;
            *mask = m.unwrap_or(u32::MAX);
            *i = inv;
        }
        Match::Iprange { src, dst } => {
            let one = |a: &str| {
                dotted(a).ok_or_else(|| Fail::Param(format!("iprange: Bad IP address \"{a}\"")))
            };
            let range = |a: &str| {
                dotted(a).ok_or_else(|| {
                    Fail::Param(format!(
                        "iprange: Bad value for \"--{opt}\" option: \"{a}\""
                    ))
                })
            };
            let (lo, hi) = match arg.split_once('-') {
                Some((a, b)) => (range(a)?, range(b)?),
                None => {
                    let a = one(arg)?;
                    (a, a)
                }
            };
            if opt == "src-range" {
                *src = Some((lo, hi, inv));
            } else {
                *dst = Some((lo, hi, inv));
            }
        }
        Match::Comment(c) => {
            if arg.len() > 255 {
                return param("comment: option \"--comment\" is too long (max 255)\n".to_string());
            }
            *c = arg.to_string();
        }
        Match::Addrtype {
            src,
            dst,
            inv_src,
            inv_dst,
            limit_in,
            limit_out,
        } => match opt {
            "src-type" | "dst-type" => {
                let mut bits = 0u16;
                for w in arg.split(',') {
                    match addrtype::NAMES
                        .iter()
                        .position(|n| n.eq_ignore_ascii_case(w))
                    {
                        Some(i) => bits |= 1 << i,
                        None => return param(format!("addrtype: bad type \"{w}\"")),
                    }
                }
                if opt == "src-type" {
                    *src = bits;
                    *inv_src = inv;
                } else {
                    *dst = bits;
                    *inv_dst = inv;
                }
            }
            "limit-iface-in" => *limit_in = true,
            _ => *limit_out = true,
        },
        Match::Ttl { op, value } => {
            let v = arg.parse::<u8>().map_err(|_| {
                Fail::Param(format!(
                    "ttl: bad value for option \"--{opt}\", or out of range (0-255).\n"
                ))
            })?;
            *value = v;
            *op = match (opt, inv) {
                ("ttl-eq", false) => TtlOp::Eq,
                ("ttl-eq", true) => TtlOp::Ne,
                ("ttl-lt", _) => TtlOp::Lt,
                _ => TtlOp::Gt,
            };
        }
        Match::Limit(l) => {
            if opt == "limit" {
                *l = Limit::new(parse_rate(arg)?, l.burst);
            } else {
                let b = arg.parse::<u32>().ok().filter(|b| *b <= 10000).ok_or_else(|| {
                    Fail::Param("limit: bad value for option \"--limit-burst\", or out of range (0-10000).\n".to_string())
                })?;
                // nft has no zero burst: the rule reads back with the default.
                *l = Limit::new(l.avg, if b == 0 { 5 } else { b });
            }
        }
        Match::Pkttype { typ, inv: i } => {
            let t = PKT_TYPES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(arg))
                .map(|(_, t)| *t)
                .ok_or_else(|| Fail::Param(format!("Bad packet type '{arg}'")))?;
            *typ = t;
            *i = inv;
        }
        Match::Length { .. }
        | Match::Tos { .. }
        | Match::Dscp { .. }
        | Match::Statistic(_)
        | Match::Tcpmss { .. } => super::xt_qos::option(m, mname, opt, arg, inv)?,
        Match::Mac { addr, inv: i } => {
            let parts: Vec<&str> = arg.split(':').collect();
            let ok = parts.len() == 6
                && parts.iter().all(|p| {
                    !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_hexdigit())
                });
            if !ok {
                return param("Invalid MAC address specified.");
            }
            let mut b = [0u8; 6];
            for (k, p) in parts.iter().enumerate() {
                b[k] = u8::from_str_radix(p, 16).unwrap_or(0);
            }
            *addr = Mac(b);
            *i = inv;
        }
    }
    Ok(())
}

fn ct_port(s: &str) -> Result<u16, Fail> {
    s.parse::<u16>()
        .map_err(|_| Fail::Param(format!("invalid port/service `{s}' specified")))
}

fn int_opt(tname: &str, opt: &str, arg: &str) -> Result<u32, Fail> {
    parse_u32(arg).ok_or_else(|| {
        Fail::Param(format!(
            "{tname}: bad integer value for option \"--{opt}\", or out of range.\n"
        ))
    })
}

fn target_option(
    t: &mut TargetB,
    opt: &str,
    arg: &str,
    fam: Family,
    proto: u8,
) -> Result<(), Fail> {
    let tname = t.name();
    match t {
        TargetB::Reject(w) if fam == Family::Ipv6 => {
            // libip6t_REJECT: the first whose name or alias the argument
            // begins (case-insensitive).
            let pre = |n: &str| n.len() >= arg.len() && n[..arg.len()].eq_ignore_ascii_case(arg);
            *w = REJECT6
                .iter()
                .find(|(n, a, _)| pre(n) || pre(a))
                .map(|(_, _, w)| *w)
                .ok_or_else(|| Fail::Param(format!("unknown reject type \"{arg}\"")))?;
        }
        TargetB::Reject(w) => {
            *w = match arg {
                "icmp-net-unreachable" | "net-unreach" => RejectWith::NetUnreachable,
                "icmp-host-unreachable" | "host-unreach" => RejectWith::HostUnreachable,
                "icmp-proto-unreachable" | "proto-unreach" => RejectWith::ProtoUnreachable,
                "icmp-port-unreachable" | "port-unreach" => RejectWith::PortUnreachable,
                "icmp-net-prohibited" | "net-prohib" => RejectWith::NetProhibited,
                "icmp-host-prohibited" | "host-prohib" => RejectWith::HostProhibited,
                "icmp-admin-prohibited" | "admin-prohib" => RejectWith::AdminProhibited,
                "tcp-reset" | "tcp-rst" => RejectWith::TcpReset,
                _ => return param(format!("unknown reject type \"{arg}\"")),
            }
        }
        TargetB::Log {
            level,
            prefix,
            flags,
        } => match opt {
            "log-level" => {
                *level = match arg.parse::<u8>() {
                    Ok(n) if n <= 7 => n,
                    _ => LOG_LEVELS
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(arg))
                        .map(|(_, l)| *l)
                        .ok_or_else(|| Fail::Param(format!("log level \"{arg}\" unknown\n")))?,
                }
            }
            "log-prefix" => {
                // nft keeps up to 127 bytes; the xt LOG info it is listed
                // from holds 29 (and a NUL).
                if arg.len() > 127 {
                    return param("Maximum prefix length 127 for --log-prefix".to_string());
                }
                *prefix = arg.chars().take(29).collect();
            }
            "log-tcp-sequence" => *flags |= 1,
            "log-tcp-options" => *flags |= 2,
            "log-ip-options" => *flags |= 4,
            "log-uid" => *flags |= 8,
            _ => *flags |= 0x20,
        },
        TargetB::Mark(m) => {
            let (v, mk) = parse_mark(arg).ok_or_else(|| {
                Fail::Param(format!(
                    "MARK: bad integer value for option \"--{opt}\", or out of range.\n"
                ))
            })?;
            *m = Some(match opt {
                "set-xmark" => (v, mk.unwrap_or(u32::MAX)),
                "set-mark" => (v, mk.map_or(u32::MAX, |mk| mk | v)),
                "and-mark" => (0, !v),
                "or-mark" => (v, v),
                _ => (v, 0),
            });
        }
        TargetB::Connmark { op, nfmask, ctmask } => match opt {
            "save-mark" => {
                *op = Some(ConnmarkOp::Save {
                    nfmask: u32::MAX,
                    ctmask: u32::MAX,
                })
            }
            "restore-mark" => {
                *op = Some(ConnmarkOp::Restore {
                    nfmask: u32::MAX,
                    ctmask: u32::MAX,
                })
            }
            "nfmask" => *nfmask = Some(int_opt(&tname, opt, arg)?),
            "ctmask" => *ctmask = Some(int_opt(&tname, opt, arg)?),
            "mask" => {
                let v = int_opt(&tname, opt, arg)?;
                *nfmask = Some(v);
                *ctmask = Some(v);
            }
            _ => {
                let (v, mk) = parse_mark(arg).ok_or_else(|| {
                    Fail::Param(format!(
                        "CONNMARK: bad integer value for option \"--{opt}\", or out of range.\n"
                    ))
                })?;
                let (value, mask) = match opt {
                    "set-xmark" => (v, mk.unwrap_or(u32::MAX)),
                    "set-mark" => (v, mk.map_or(u32::MAX, |mk| mk | v)),
                    "and-mark" => (0, !v),
                    "or-mark" => (v, v),
                    _ => (v, 0),
                };
                *op = Some(ConnmarkOp::SetXmark { value, mask });
            }
        },
        TargetB::Nat(n, r, seen) => match opt {
            "to-source" | "to-destination" => {
                if *seen {
                    return param(format!("{n}: Multiple --{opt} not supported"));
                }
                parse_nat_to(arg, proto, r)?;
                *seen = true;
            }
            "to-ports" => {
                if !matches!(proto, 6 | 17 | 132 | 33 | 136) {
                    return param("Need TCP, UDP, SCTP or DCCP with port specification");
                }
                r.ports = Some(parse_nat_ports(arg, "Port")?);
            }
            "random" => r.random = true,
            "random-fully" => r.random_fully = true,
            _ => r.persistent = true,
        },
        TargetB::Netmap(m) => {
            // A prefix length beyond 32 is taken as 32.
            let arg = match arg.split_once('/') {
                Some((a, n)) if n.parse::<u32>().is_ok_and(|n| n > 32) => format!("{a}/32"),
                _ => arg.to_string(),
            };
            let (a, mk) = parse_addr_mask(&arg)?;
            *m = Some((a, mk));
        }
        TargetB::Ttl(t) => {
            let v = arg.parse::<u8>().map_err(|_| {
                Fail::Param(format!(
                    "TTL: bad value for option \"--{opt}\", or out of range (0-255).\n"
                ))
            })?;
            let mode = match opt {
                "ttl-set" => TtlMode::Set,
                "ttl-inc" => TtlMode::Inc,
                _ => TtlMode::Dec,
            };
            if mode != TtlMode::Set && v == 0 {
                return param(format!(
                    "TTL: bad value for option \"--{opt}\", or out of range (1-255).\n"
                ));
            }
            *t = Some((mode, v));
        }
        TargetB::Tos(t) if opt == "set-tos" => *t = Some(super::xt_qos::tos_mask(arg)?),
        TargetB::Tos(t) => {
            // --and-tos, --or-tos, --xor-tos: XTTYPE_UINT8.
            let v = crate::args::get_unsigned(arg, 0xff).ok_or_else(|| {
                Fail::Param(format!(
                    "TOS: bad value for option \"--{opt}\", or out of range (0-255).\n"
                ))
            })? as u8;
            *t = Some(match opt {
                "and-tos" => (0, !v),
                "or-tos" => (v, v),
                _ => (v, 0),
            });
        }
        TargetB::Dscp(d) => {
            if opt == "set-dscp" {
                let v = parse_u32(arg).filter(|v| *v <= 0x3f).ok_or_else(|| {
                    Fail::Param(
                        "DSCP: bad value for option \"--set-dscp\", or out of range (0-63).\n"
                            .to_string(),
                    )
                })?;
                *d = Some(v as u8);
            } else {
                let v = DSCP_CLASSES
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(arg))
                    .map(|(_, v)| *v)
                    .ok_or_else(|| Fail::Param(format!("Invalid DSCP value `{arg}'")))?;
                *d = Some(v);
            }
        }
        TargetB::Tcpmss(m) if opt == "clamp-mss-to-pmtu" => {
            *m = Some(vnet_core::netfilter::rule::TCPMSS_CLAMP_PMTU)
        }
        TargetB::Tcpmss(m) => {
            // XTTYPE_UINT16 bounded by the headers: 65535 less 20 (IPv4)
            // or 40 (IPv6) less the TCP header.
            let max = if fam == Family::Ipv6 { 65495 } else { 65515 };
            let v = crate::args::get_unsigned(arg, max).ok_or_else(|| {
                Fail::Param(format!(
                    "TCPMSS: bad value for option \"--set-mss\", or out of range (0-{max}).\n"
                ))
            })?;
            *m = Some(v as u16);
        }
        TargetB::Ct { notrack, zone } => {
            if opt == "notrack" {
                *notrack = true;
            } else {
                *zone = Some(
                    arg.parse::<u16>()
                        .map_err(|_| Fail::Param(format!("Cannot parse {arg} as a zone ID")))?,
                );
            }
        }
        _ => {}
    }
    Ok(())
}
