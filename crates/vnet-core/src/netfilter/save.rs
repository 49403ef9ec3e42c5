//! The command-line form of a rule, as `iptables -S` and iptables-save
//! print it (and as trace events quote the rule that decided a packet):
//! one printer, used by the tools' `-S`/save and by the core's traces.
//! Helpers shared with the tools' `-L` columns are public.

use super::names::*;
use super::rule::{
    addrtype, ctstate, AddrMatch, ConnmarkOp, ConntrackMatch, CtDir, IpSpec, Match, MultiportKind,
    NatRange, RejectWith, Rule, Statistic, StatisticMode, TtlMode, TtlOp, TCPMSS_CLAMP_PMTU,
};
use super::{Policy, Target};
use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr};

/// The prefix length of a contiguous mask (None for another mask).
pub fn mask_len(m: impl Into<IpAddr>) -> Option<u32> {
    let (v, width) = match m.into() {
        IpAddr::V4(m) => (u128::from(u32::from(m)) << 96, 32),
        IpAddr::V6(m) => (u128::from(m), 128),
    };
    let l = v.leading_ones();
    (v.checked_shl(l).unwrap_or(0) == 0).then_some(l.min(width))
}

/// An address with its mask as `-S` shows it.
pub fn addr_save(a: impl Into<IpAddr>, m: impl Into<IpAddr>) -> String {
    let (a, m) = (a.into(), m.into());
    match mask_len(m) {
        Some(l) => format!("{a}/{l}"),
        None => format!("{a}/{m}"),
    }
}

/// The ct* addresses of conntrack print without /32 in both forms.
pub fn ct_addr(a: &AddrMatch) -> String {
    match mask_len(a.mask) {
        Some(32) => a.addr.to_string(),
        Some(l) => format!("{}/{l}", a.addr),
        None => format!("{}/{}", a.addr, a.mask),
    }
}

pub fn target_name(t: &Target) -> String {
    match t {
        Target::None => String::new(),
        Target::Accept => "ACCEPT".into(),
        Target::Drop => "DROP".into(),
        Target::Return => "RETURN".into(),
        Target::Jump(c) | Target::Goto(c) => c.clone(),
        Target::Reject(_) => "REJECT".into(),
        Target::Log { .. } => "LOG".into(),
        Target::Mark { .. } => "MARK".into(),
        Target::Connmark(_) => "CONNMARK".into(),
        Target::Snat(_) => "SNAT".into(),
        Target::Dnat(_) => "DNAT".into(),
        Target::Masquerade(_) => "MASQUERADE".into(),
        Target::Redirect(_) => "REDIRECT".into(),
        Target::Netmap { .. } => "NETMAP".into(),
        Target::Ttl { .. } => "TTL".into(),
        Target::Tos { .. } => "TOS".into(),
        Target::Dscp(_) => "DSCP".into(),
        Target::Tcpmss { .. } => "TCPMSS".into(),
        Target::Notrack | Target::NotrackAlias | Target::CtZone(_) | Target::NotrackZone(_) => {
            "CT".into()
        }
        Target::Trace => "TRACE".into(),
    }
}

/// xtables_save_string: bare if only [A-Za-z0-9_-], else double-quoted.
pub fn save_string(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return s.to_string();
    }
    let mut o = String::from("\"");
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '\'') {
            o.push('\\');
        }
        o.push(c);
    }
    o.push('"');
    o
}

pub fn port_range_save(r: (u16, u16)) -> String {
    if r.0 == r.1 {
        r.0.to_string()
    } else {
        format!("{}:{}", r.0, r.1)
    }
}

pub fn flag_names(f: u8) -> String {
    if f == 0 {
        return "NONE".into();
    }
    TCP_FLAGS
        .iter()
        .filter(|(_, b)| f & b != 0)
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn state_names(mask: u8) -> String {
    let v: Vec<&str> = ctstate::NAMES
        .iter()
        .filter(|(b, _)| mask & b != 0)
        .map(|(_, n)| *n)
        .collect();
    v.join(",")
}

pub fn ct_status_names(st: u32) -> String {
    if st == 0 {
        return "NONE".into();
    }
    CT_STATUS
        .iter()
        .filter(|(_, b)| st & b != 0)
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn addrtypes(bits: u16) -> String {
    addrtype::NAMES
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn rate(avg: u32) -> String {
    const RATES: [(&str, u32); 4] = [
        ("day", 864_000_000),
        ("hour", 36_000_000),
        ("min", 600_000),
        ("sec", 10_000),
    ];
    if avg == 0 {
        return "inf".into();
    }
    let mut i = 1;
    while i < RATES.len() {
        let m = RATES[i].1;
        if avg > m || m / avg < m % avg {
            break;
        }
        i += 1;
    }
    format!("{}/{}", RATES[i - 1].1 / avg, RATES[i - 1].0)
}

pub fn pkttype_name(t: u8) -> String {
    PKT_TYPES
        .iter()
        .find(|(_, v)| *v == t)
        .map_or_else(|| t.to_string(), |(n, _)| n.to_string())
}

pub fn range_str(lo: Ipv4Addr, hi: Ipv4Addr) -> String {
    format!("{lo}-{hi}")
}

/// `!` before an option, as the extensions print it.
pub fn neg(inv: bool) -> &'static str {
    if inv {
        " !"
    } else {
        ""
    }
}

/// conntrack_dump() of libxt_conntrack.c: the conntrack match's options,
/// each name after `prefix` ("" for `-L`, "--" for `-S`).
pub fn conntrack_dump(c: &ConntrackMatch, prefix: &str) -> String {
    let mut s = String::new();
    if let Some((st, i)) = c.state {
        let _ = write!(s, "{} {prefix}ctstate {}", neg(i), state_names(st));
    }
    if let Some((p, i)) = c.proto {
        let _ = write!(s, "{} {prefix}ctproto {p}", neg(i));
    }
    for (name, a) in [
        ("ctorigsrc", &c.origsrc),
        ("ctorigdst", &c.origdst),
        ("ctreplsrc", &c.replsrc),
        ("ctrepldst", &c.repldst),
    ] {
        if let Some(a) = a {
            let _ = write!(s, "{} {prefix}{name} {}", neg(a.inv), ct_addr(a));
        }
    }
    for (name, p) in [
        ("ctorigsrcport", &c.origsrcport),
        ("ctorigdstport", &c.origdstport),
    ] {
        if let Some((r, i)) = p {
            let _ = write!(s, "{} {prefix}{name} {}", neg(*i), port_range_save(*r));
        }
    }
    if let Some((st, i)) = c.status {
        let _ = write!(s, "{} {prefix}ctstatus {}", neg(i), ct_status_names(st));
    }
    if let Some(((lo, hi), i)) = c.expires {
        let _ = write!(s, "{} {prefix}ctexpire {lo}", neg(i));
        if lo != hi {
            let _ = write!(s, ":{hi}");
        }
    }
    if let Some(d) = c.dir {
        let dir = match d {
            CtDir::Original => "ORIGINAL",
            CtDir::Reply => "REPLY",
        };
        let _ = write!(s, " {prefix}ctdir {dir}");
    }
    s
}

/// The state match's option, its name after `prefix` ("" or "--").
pub fn state_dump(mask: u8, inv: bool, prefix: &str) -> String {
    format!("{} {prefix}state {}", neg(inv), state_names(mask))
}

/// A match's `-S` text: ` -m NAME OPTIONS`.
pub fn match_save(m: &Match) -> String {
    match m {
        Match::Tcp {
            sport,
            dport,
            flags,
            option,
            inv,
        } => {
            let mut s = String::from(" -m tcp");
            if *sport != (0, 0xffff) {
                let _ = write!(
                    s,
                    "{} --sport {}",
                    neg(inv & 1 != 0),
                    port_range_save(*sport)
                );
            }
            if *dport != (0, 0xffff) {
                let _ = write!(
                    s,
                    "{} --dport {}",
                    neg(inv & 2 != 0),
                    port_range_save(*dport)
                );
            }
            if let Some(o) = option {
                let _ = write!(s, "{} --tcp-option {o}", neg(inv & 8 != 0));
            }
            if let Some((mask, cmp)) = flags {
                let _ = write!(
                    s,
                    "{} --tcp-flags {} {}",
                    neg(inv & 4 != 0),
                    flag_names(*mask),
                    flag_names(*cmp)
                );
            }
            s
        }
        Match::Udp { sport, dport, inv } => {
            let mut s = String::from(" -m udp");
            if *sport != (0, 0xffff) {
                let _ = write!(
                    s,
                    "{} --sport {}",
                    neg(inv & 1 != 0),
                    port_range_save(*sport)
                );
            }
            if *dport != (0, 0xffff) {
                let _ = write!(
                    s,
                    "{} --dport {}",
                    neg(inv & 2 != 0),
                    port_range_save(*dport)
                );
            }
            s
        }
        Match::Icmp { typ, code, inv } => {
            let t = if *typ == 0xff {
                "any".to_string()
            } else if *code == (0, 0xff) {
                typ.to_string()
            } else {
                format!("{typ}/{}", code.0)
            };
            format!(" -m icmp{} --icmp-type {t}", neg(*inv))
        }
        Match::Icmp6 { typ, code, inv } => {
            let mut s = format!(" -m icmp6{} --icmpv6-type {typ}", neg(*inv));
            if *code != (0, 0xff) {
                let _ = write!(s, "/{}", code.0);
            }
            s
        }
        Match::Multiport { kind, ports, inv } => {
            let k = match kind {
                MultiportKind::Source => "sports",
                MultiportKind::Destination => "dports",
                MultiportKind::Both => "ports",
            };
            let list: Vec<String> = ports.iter().map(|r| port_range_save(*r)).collect();
            format!(" -m multiport{} --{k} {}", neg(*inv), list.join(","))
        }
        Match::Conntrack(c) => format!(" -m conntrack{}", conntrack_dump(c, "--")),
        Match::State { mask, inv } => format!(" -m state{}", state_dump(*mask, *inv, "--")),
        Match::Mark { value, mask, inv } | Match::Connmark { value, mask, inv } => {
            let name = if matches!(m, Match::Mark { .. }) {
                "mark"
            } else {
                "connmark"
            };
            let mut s = format!(" -m {name}{} --mark 0x{value:x}", neg(*inv));
            if *mask != u32::MAX {
                let _ = write!(s, "/0x{mask:x}");
            }
            s
        }
        Match::Iprange { src, dst } => {
            let mut s = String::from(" -m iprange");
            if let Some((lo, hi, i)) = src {
                let _ = write!(s, "{} --src-range {}", neg(*i), range_str(*lo, *hi));
            }
            if let Some((lo, hi, i)) = dst {
                let _ = write!(s, "{} --dst-range {}", neg(*i), range_str(*lo, *hi));
            }
            s
        }
        Match::Comment(c) => format!(" -m comment --comment {}", save_string(c)),
        Match::Addrtype {
            src,
            dst,
            inv_src,
            inv_dst,
            limit_in,
            limit_out,
        } => {
            let mut s = String::from(" -m addrtype");
            if *src != 0 {
                let _ = write!(s, "{} --src-type {}", neg(*inv_src), addrtypes(*src));
            }
            if *dst != 0 {
                let _ = write!(s, "{} --dst-type {}", neg(*inv_dst), addrtypes(*dst));
            }
            if *limit_in {
                s += " --limit-iface-in";
            }
            if *limit_out {
                s += " --limit-iface-out";
            }
            s
        }
        Match::Ttl { op, value } => match op {
            TtlOp::Eq => format!(" -m ttl --ttl-eq {value}"),
            TtlOp::Ne => format!(" -m ttl ! --ttl-eq {value}"),
            TtlOp::Lt => format!(" -m ttl --ttl-lt {value}"),
            TtlOp::Gt => format!(" -m ttl --ttl-gt {value}"),
        },
        Match::Limit(l) => {
            let mut s = format!(" -m limit --limit {}", rate(l.avg));
            if l.burst != 5 {
                let _ = write!(s, " --limit-burst {}", l.burst);
            }
            s
        }
        Match::Pkttype { typ, inv } => {
            format!(" -m pkttype{} --pkt-type {}", neg(*inv), pkttype_name(*typ))
        }
        Match::Mac { addr, inv } => format!(" -m mac{} --mac-source {addr}", neg(*inv)),
        Match::Length { min, max, inv } => {
            format!(
                " -m length{} --length {}",
                neg(*inv),
                range_text(*min, *max)
            )
        }
        Match::Tos { value, mask, inv } => {
            format!(" -m tos{} --tos 0x{value:02x}/0x{mask:02x}", neg(*inv))
        }
        Match::Dscp { dscp, inv } => format!(" -m dscp{} --dscp 0x{dscp:02x}", neg(*inv)),
        Match::Statistic(st) => format!(" -m statistic{}", statistic_text(st, "--")),
        Match::Tcpmss { min, max, inv } => {
            format!(" -m tcpmss{} --mss {}", neg(*inv), range_text(*min, *max))
        }
    }
}

/// `MIN` or `MIN:MAX` (length, tcpmss).
pub fn range_text(min: u16, max: u16) -> String {
    if min == max {
        min.to_string()
    } else {
        format!("{min}:{max}")
    }
}

/// libxt_statistic's print_match: `prefix` is "" for -L, "--" for -S.
pub fn statistic_text(st: &Statistic, prefix: &str) -> String {
    let inv = if st.inv { " !" } else { "" };
    match st.mode {
        StatisticMode::Random { probability, .. } => format!(
            " {prefix}mode random{inv} {prefix}probability {:.11}",
            f64::from(probability) / f64::from(0x8000_0000u32)
        ),
        StatisticMode::Nth { every, packet, .. } => {
            let mut s = format!(" {prefix}mode nth{inv} {prefix}every {}", every + 1);
            if packet != 0 || !prefix.is_empty() {
                let _ = write!(s, " {prefix}packet {packet}");
            }
            s
        }
    }
}

pub fn nat_range(r: &NatRange) -> String {
    let mut s = String::new();
    if let Some((lo, hi)) = r.addr {
        if lo == hi {
            let _ = write!(s, "{lo}");
        } else {
            let _ = write!(s, "{lo}-{hi}");
        }
    }
    if let Some((lo, hi)) = r.ports {
        if lo == hi {
            let _ = write!(s, ":{lo}");
        } else {
            let _ = write!(s, ":{lo}-{hi}");
        }
    }
    s
}

pub fn ports_dash(p: (u16, u16)) -> String {
    if p.0 == p.1 {
        p.0.to_string()
    } else {
        format!("{}-{}", p.0, p.1)
    }
}

/// __NAT_print() of libxt_NAT.c: ` RANGEOPT` and the range (for
/// MASQUERADE and REDIRECT, `ports_only`, the ports alone, and nothing
/// without them), then the flags, each after `flag_pfx` ("" for `-L`,
/// "--" for `-S`).
pub fn nat_dump(r: &NatRange, rangeopt: &str, flag_pfx: &str, ports_only: bool) -> String {
    let mut s = String::new();
    if !ports_only {
        let _ = write!(s, " {rangeopt}{}", nat_range(r));
    } else if let Some(p) = r.ports {
        let _ = write!(s, " {rangeopt}{}", ports_dash(p));
    }
    for (on, flag) in [
        (r.random, "random"),
        (r.random_fully, "random-fully"),
        (r.persistent, "persistent"),
    ] {
        if on {
            let _ = write!(s, " {flag_pfx}{flag}");
        }
    }
    s
}

/// The REJECT target's option, its name after `prefix` ("" or "--").
pub fn reject_dump(w: RejectWith, prefix: &str) -> String {
    format!(" {prefix}reject-with {}", reject_name(w))
}

/// The CT target's options (`notrack`, `zone Z`), each name after
/// `prefix` ("" or "--").
pub fn ct_dump(t: &Target, prefix: &str) -> String {
    let (notrack, zone) = match t {
        Target::Notrack => (true, None),
        Target::CtZone(z) => (false, Some(z)),
        Target::NotrackZone(z) => (true, Some(z)),
        _ => (false, None),
    };
    let mut s = String::new();
    if notrack {
        let _ = write!(s, " {prefix}notrack");
    }
    if let Some(z) = zone {
        let _ = write!(s, " {prefix}zone {z}");
    }
    s
}

pub fn reject_name(w: RejectWith) -> &'static str {
    match w {
        RejectWith::NetUnreachable => "icmp-net-unreachable",
        RejectWith::HostUnreachable => "icmp-host-unreachable",
        RejectWith::ProtoUnreachable => "icmp-proto-unreachable",
        RejectWith::PortUnreachable => "icmp-port-unreachable",
        RejectWith::EchoReply => "icmp-echo-reply",
        RejectWith::NetProhibited => "icmp-net-prohibited",
        RejectWith::HostProhibited => "icmp-host-prohibited",
        RejectWith::TcpReset => "tcp-reset",
        RejectWith::AdminProhibited => "icmp-admin-prohibited",
        w => REJECT6
            .iter()
            .find(|(_, _, x)| *x == w)
            .map_or("", |(n, ..)| n),
    }
}

/// A target's `-S` text: ` -j NAME OPTIONS` (or ` -g CHAIN`).
pub fn target_save(t: &Target) -> String {
    let opts = match t {
        Target::None => return String::new(),
        Target::Goto(c) => return format!(" -g {c}"),
        Target::Reject(w) => reject_dump(*w, "--"),
        Target::Log {
            level,
            prefix,
            flags,
        } => {
            let mut s = String::new();
            if !prefix.is_empty() {
                let _ = write!(s, " --log-prefix {}", save_string(prefix));
            }
            if *level != 4 {
                let _ = write!(s, " --log-level {level}");
            }
            for (b, n) in [
                (1, "--log-tcp-sequence"),
                (2, "--log-tcp-options"),
                (4, "--log-ip-options"),
                (8, "--log-uid"),
                (0x20, "--log-macdecode"),
            ] {
                if flags & b != 0 {
                    let _ = write!(s, " {n}");
                }
            }
            s
        }
        Target::Mark { value, mask } => format!(" --set-xmark 0x{value:x}/0x{mask:x}"),
        Target::Connmark(op) => match *op {
            ConnmarkOp::SetXmark { value, mask } => {
                format!(" --set-xmark 0x{value:x}/0x{mask:x}")
            }
            ConnmarkOp::Save { nfmask, ctmask } => {
                format!(" --save-mark --nfmask 0x{nfmask:x} --ctmask 0x{ctmask:x}")
            }
            ConnmarkOp::Restore { nfmask, ctmask } => {
                format!(" --restore-mark --nfmask 0x{nfmask:x} --ctmask 0x{ctmask:x}")
            }
        },
        Target::Snat(r) => nat_dump(r, "--to-source ", "--", false),
        Target::Dnat(r) => nat_dump(r, "--to-destination ", "--", false),
        Target::Masquerade(r) | Target::Redirect(r) => nat_dump(r, "--to-ports ", "--", true),
        Target::Netmap { addr, mask } => format!(" --to {}", addr_save(*addr, *mask)),
        Target::Ttl { mode, value } => match mode {
            TtlMode::Set => format!(" --ttl-set {value}"),
            TtlMode::Inc => format!(" --ttl-inc {value}"),
            TtlMode::Dec => format!(" --ttl-dec {value}"),
        },
        Target::Tos { value, mask } => format!(" --set-tos 0x{value:02x}/0x{mask:02x}"),
        Target::Dscp(d) => format!(" --set-dscp 0x{d:02x}"),
        Target::Tcpmss {
            mss: TCPMSS_CLAMP_PMTU,
        } => " --clamp-mss-to-pmtu".into(),
        Target::Tcpmss { mss } => format!(" --set-mss {mss}"),
        Target::Notrack | Target::CtZone(_) | Target::NotrackZone(_) => ct_dump(t, "--"),
        _ => String::new(),
    };
    match t {
        Target::NotrackAlias => " -j NOTRACK".into(),
        _ => format!(" -j {}{opts}", target_name(t)),
    }
}

/// A rule as `-S`/iptables-save print it, after `-A CHAIN`; `counters`
/// adds `-c PKTS BYTES` (as `-S -v` does).
pub fn rule_save(r: &Rule, counters: bool) -> String {
    let ip = &r.ip;
    let mut s = String::new();
    let neg = |b: u8| if ip.inv & b != 0 { " !" } else { "" };
    if !ip.smsk.is_unspecified() || ip.inv & IpSpec::INV_SRCIP != 0 {
        let _ = write!(
            s,
            "{} -s {}",
            neg(IpSpec::INV_SRCIP),
            addr_save(ip.src, ip.smsk)
        );
    }
    if !ip.dmsk.is_unspecified() || ip.inv & IpSpec::INV_DSTIP != 0 {
        let _ = write!(
            s,
            "{} -d {}",
            neg(IpSpec::INV_DSTIP),
            addr_save(ip.dst, ip.dmsk)
        );
    }
    if !ip.iniface.is_empty() {
        let _ = write!(s, "{} -i {}", neg(IpSpec::INV_VIA_IN), ip.iniface);
    }
    if !ip.outiface.is_empty() {
        let _ = write!(s, "{} -o {}", neg(IpSpec::INV_VIA_OUT), ip.outiface);
    }
    if ip.proto != 0 {
        let _ = write!(s, "{} -p {}", neg(IpSpec::INV_PROTO), save_proto(ip.proto));
    }
    if ip.frag {
        let _ = write!(s, "{} -f", neg(IpSpec::INV_FRAG));
    }
    for m in &r.matches {
        s += &match_save(m);
    }
    if counters {
        let _ = write!(s, " -c {} {}", r.counters.pkts, r.counters.bytes);
    }
    s += &target_save(&r.target);
    s
}

pub fn save_proto(p: u8) -> String {
    proto_name(p)
}

pub fn policy_name(p: Policy) -> &'static str {
    match p {
        Policy::Accept => "ACCEPT",
        Policy::Drop => "DROP",
    }
}
