//! How iptables prints rules: the columns of `-L` (plain, `-v`, `-x`,
//! `--line-numbers`) and each extension's `-L` text. The command-line form
//! of `-S` and iptables-save is the core's (`vnet_core::netfilter::save`),
//! which traces quote too: one printer.

use super::names::*;
use std::fmt::Write;
use std::net::IpAddr;
use vnet_core::netfilter::rule::{ConnmarkOp, IpSpec, Match, MultiportKind, Rule, TtlMode, TtlOp};
pub use vnet_core::netfilter::save::*;
use vnet_core::netfilter::{Chain, Target};

/// How `-L` was asked to print.
#[derive(Clone, Copy, Default)]
pub struct ListFmt {
    pub numeric: bool,
    pub verbose: bool,
    pub exact: bool,
    pub line_numbers: bool,
}

/// xtables_print_num: `%5llu` with K/M/G/T suffixes, or `%8llu` with -x.
pub fn num(n: u64, exact: bool) -> String {
    if exact {
        return format!("{n:>8} ");
    }
    if n <= 99999 {
        return format!("{n:>5} ");
    }
    let mut n = n;
    for suffix in ['K', 'M', 'G', 'T'] {
        n = (n + 500) / 1000;
        if n <= 9999 || suffix == 'T' {
            return format!("{n:>4}{suffix} ");
        }
    }
    unreachable!()
}

/// An address with its mask as `-L` shows it (no /32, /128).
fn addr_list(a: IpAddr, m: IpAddr, numeric: bool) -> String {
    if m.is_unspecified() {
        return match (numeric, m) {
            (false, _) => "anywhere",
            (true, IpAddr::V4(_)) => "0.0.0.0/0",
            (true, IpAddr::V6(_)) => "::/0",
        }
        .into();
    }
    match mask_len(m) {
        Some(32) if a.is_ipv4() => a.to_string(),
        Some(128) => a.to_string(),
        Some(l) => format!("{a}/{l}"),
        None => format!("{a}/{m}"),
    }
}

fn port(p: u16, proto: u8, numeric: bool) -> String {
    if !numeric {
        if let Some(n) = service_name(p, proto) {
            return n.to_string();
        }
    }
    p.to_string()
}

fn ports_list(label: &str, r: (u16, u16), inv: bool, proto: u8, numeric: bool) -> String {
    let bang = if inv { "!" } else { "" };
    if r.0 == r.1 {
        format!(" {label}pt:{bang}{}", port(r.0, proto, numeric))
    } else {
        format!(
            " {label}pts:{bang}{}:{}",
            port(r.0, proto, numeric),
            port(r.1, proto, numeric)
        )
    }
}

/// A match's `-L` text (with its leading space).
pub fn match_list(m: &Match, proto: u8, numeric: bool) -> String {
    if let Some(s) = super::xt_qos::list_text(m, numeric) {
        return s;
    }
    match m {
        Match::Tcp {
            sport,
            dport,
            flags,
            option,
            inv,
        } => {
            let mut s = String::from(" tcp");
            if *sport != (0, 0xffff) {
                s += &ports_list("s", *sport, inv & 1 != 0, 6, numeric);
            }
            if *dport != (0, 0xffff) {
                s += &ports_list("d", *dport, inv & 2 != 0, 6, numeric);
            }
            if let Some(o) = option {
                let _ = write!(s, " option={}{o}", if inv & 8 != 0 { "!" } else { "" });
            }
            if let Some((mask, cmp)) = flags {
                let bang = if inv & 4 != 0 { "!" } else { "" };
                if numeric {
                    let _ = write!(s, " flags:{bang}0x{mask:02X}/0x{cmp:02X}");
                } else {
                    let _ = write!(s, " flags:{bang}{}/{}", flag_names(*mask), flag_names(*cmp));
                }
            }
            s
        }
        Match::Udp { sport, dport, inv } => {
            let mut s = String::from(" udp");
            if *sport != (0, 0xffff) {
                s += &ports_list("s", *sport, inv & 1 != 0, 17, numeric);
            }
            if *dport != (0, 0xffff) {
                s += &ports_list("d", *dport, inv & 2 != 0, 17, numeric);
            }
            s
        }
        Match::Icmp { typ, code, inv } => {
            let bang = if *inv { "!" } else { "" };
            if !numeric {
                if let Some((n, ..)) = ICMP_TYPES
                    .iter()
                    .find(|(_, t, lo, hi)| t == typ && (*lo, *hi) == *code)
                {
                    return format!(" icmp {bang}{n}");
                }
            }
            let mut s = if *inv {
                format!(" icmp !type {typ}")
            } else {
                format!(" icmptype {typ}")
            };
            if *code != (0, 0xff) {
                if code.0 == code.1 {
                    let _ = write!(s, " code {}", code.0);
                } else {
                    let _ = write!(s, " codes {}-{}", code.0, code.1);
                }
            }
            s
        }
        Match::Icmp6 { typ, code, inv } => {
            let bang = if *inv { "!" } else { "" };
            if !numeric {
                if let Some((n, ..)) = ICMP6_TYPES
                    .iter()
                    .find(|(_, t, lo, hi)| t == typ && (*lo, *hi) == *code)
                {
                    return format!(" ipv6-icmp {bang}{n}");
                }
            }
            let mut s = format!(" ipv6-icmp{}type {typ}", if *inv { " !" } else { "" });
            if code.0 == code.1 {
                let _ = write!(s, " code {}", code.0);
            } else if *code != (0, 0xff) {
                let _ = write!(s, " codes {}-{}", code.0, code.1);
            }
            s
        }
        Match::Multiport { kind, ports, inv } => {
            let k = match kind {
                MultiportKind::Source => "sports",
                MultiportKind::Destination => "dports",
                MultiportKind::Both => "ports",
            };
            let list: Vec<String> = ports
                .iter()
                .map(|r| {
                    if r.0 == r.1 {
                        port(r.0, proto, numeric)
                    } else {
                        format!(
                            "{}:{}",
                            port(r.0, proto, numeric),
                            port(r.1, proto, numeric)
                        )
                    }
                })
                .collect();
            format!(
                " multiport {k} {}{}",
                if *inv { " !" } else { "" },
                list.join(",")
            )
        }
        Match::Conntrack(c) => conntrack_dump(c, ""),
        Match::State { mask, inv } => state_dump(*mask, *inv, ""),
        Match::Mark { value, mask, inv } => {
            let mut s = format!(" mark match {}0x{value:x}", if *inv { "! " } else { "" });
            if *mask != u32::MAX {
                let _ = write!(s, "/0x{mask:x}");
            }
            s
        }
        Match::Connmark { value, mask, inv } => {
            let mut s = format!(
                " connmark match {}0x{value:x}",
                // connmark_mt_print(): " connmark match ", "!" if inverted, " 0x..".
                if *inv { "! " } else { " " }
            );
            if *mask != u32::MAX {
                let _ = write!(s, "/0x{mask:x}");
            }
            s
        }
        Match::Iprange { src, dst } => {
            let mut s = String::new();
            if let Some((lo, hi, i)) = src {
                let _ = write!(
                    s,
                    " source IP range {}{}",
                    if *i { "! " } else { "" },
                    range_str(*lo, *hi)
                );
            }
            if let Some((lo, hi, i)) = dst {
                let _ = write!(
                    s,
                    " destination IP range {}{}",
                    if *i { "! " } else { "" },
                    range_str(*lo, *hi)
                );
            }
            s
        }
        Match::Comment(c) => format!(" /* {c} */"),
        Match::Addrtype {
            src,
            dst,
            inv_src,
            inv_dst,
            limit_in,
            limit_out,
        } => {
            let mut s = String::from(" ADDRTYPE match");
            if *src != 0 {
                let _ = write!(
                    s,
                    " src-type {}{}",
                    if *inv_src { "!" } else { "" },
                    addrtypes(*src)
                );
            }
            if *dst != 0 {
                let _ = write!(
                    s,
                    " dst-type {}{}",
                    if *inv_dst { "!" } else { "" },
                    addrtypes(*dst)
                );
            }
            if *limit_in {
                s += " limit-in";
            }
            if *limit_out {
                s += " limit-out";
            }
            s
        }
        Match::Ttl { op, value } => {
            let o = match op {
                TtlOp::Eq => "==",
                TtlOp::Ne => "!=",
                TtlOp::Lt => "<",
                TtlOp::Gt => ">",
            };
            format!(" TTL match TTL {o} {value}")
        }
        Match::Limit(l) => format!(" limit: avg {} burst {}", rate(l.avg), l.burst),
        Match::Pkttype { typ, inv } => format!(
            " PKTTYPE {} {}",
            if *inv { "!=" } else { "=" },
            pkttype_name(*typ)
        ),
        Match::Mac { addr, inv } => format!(" MAC {}{addr}", if *inv { "! " } else { "" }),
        _ => String::new(),
    }
}

fn mark_op_list(what: &str, value: u32, mask: u32) -> String {
    if mask == u32::MAX {
        format!(" {what} set 0x{value:x}")
    } else if value == 0 {
        format!(" {what} and 0x{:x}", !mask)
    } else if value == mask {
        format!(" {what} or 0x{value:x}")
    } else if mask == 0 {
        format!(" {what} xor 0x{value:x}")
    } else {
        format!(" {what} xset 0x{value:x}/0x{mask:x}")
    }
}

/// A target's `-L` text (with its leading space).
pub fn target_list(t: &Target, numeric: bool) -> String {
    match t {
        Target::Reject(w) => reject_dump(*w, ""),
        Target::Log {
            level,
            prefix,
            flags,
        } => {
            // Numeric: the raw flags and level; otherwise syslog's level
            // names and one word per flag.
            let mut s = if numeric {
                format!(" LOG flags {flags} level {level}")
            } else {
                const LEVELS: [&str; 8] = [
                    "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
                ];
                let mut s = format!(" LOG level {}", LEVELS[(*level & 7) as usize]);
                for (bit, word) in [
                    (1, "tcp-sequence"),
                    (2, "tcp-options"),
                    (4, "ip-options"),
                    (8, "uid"),
                    (0x20, "macdecode"),
                ] {
                    if flags & bit != 0 {
                        let _ = write!(s, " {word}");
                    }
                }
                s
            };
            if !prefix.is_empty() {
                let _ = write!(s, " prefix \"{prefix}\"");
            }
            s
        }
        Target::Mark { value, mask } => mark_op_list("MARK", *value, *mask),
        Target::Connmark(op) => match *op {
            ConnmarkOp::SetXmark { value, mask } => mark_op_list("CONNMARK", value, mask),
            ConnmarkOp::Save { nfmask, ctmask } => {
                if nfmask == u32::MAX && ctmask == u32::MAX {
                    " CONNMARK save".into()
                } else if nfmask == ctmask {
                    format!(" CONNMARK save mask 0x{nfmask:x}")
                } else {
                    format!(" CONNMARK save nfmask 0x{nfmask:x} ctmask ~0x{ctmask:x}")
                }
            }
            ConnmarkOp::Restore { nfmask, ctmask } => {
                if nfmask == u32::MAX && ctmask == u32::MAX {
                    " CONNMARK restore".into()
                } else if nfmask == ctmask {
                    format!(" CONNMARK restore mask 0x{nfmask:x}")
                } else {
                    format!(" CONNMARK restore ctmask 0x{ctmask:x} nfmask ~0x{nfmask:x}")
                }
            }
        },
        Target::Snat(r) | Target::Dnat(r) => nat_dump(r, "to:", "", false),
        Target::Masquerade(r) => nat_dump(r, "masq ports: ", "", true),
        Target::Redirect(r) => nat_dump(r, "redir ports ", "", true),
        Target::Netmap { addr, mask } => format!(" to:{}", addr_save(*addr, *mask)),
        Target::Ttl { mode, value } => match mode {
            TtlMode::Set => format!(" TTL set to {value}"),
            TtlMode::Inc => format!(" TTL increment by {value}"),
            TtlMode::Dec => format!(" TTL decrement by {value}"),
        },
        Target::Tos { value, mask } => format!(" TOS set 0x{value:02x}/0x{mask:02x}"),
        Target::Dscp(d) => format!(" DSCP set 0x{d:02x}"),
        Target::Tcpmss { mss } if *mss == vnet_core::netfilter::rule::TCPMSS_CLAMP_PMTU => {
            " TCPMSS clamp to PMTU".into()
        }
        Target::Tcpmss { mss } => format!(" TCPMSS set {mss}"),
        Target::Notrack | Target::CtZone(_) | Target::NotrackZone(_) => {
            format!(" CT{}", ct_dump(t, ""))
        }
        Target::NotrackAlias => " NOTRACK".into(),
        _ => String::new(),
    }
}

/// A rule's `-L` line (without the newline).
pub fn rule_line(r: &Rule, f: ListFmt, num_: Option<usize>) -> String {
    let ip = &r.ip;
    let mut s = String::new();
    if let Some(n) = num_ {
        let _ = write!(s, "{n:<4} ");
    }
    if f.verbose {
        s += &num(r.counters.pkts, f.exact);
        s += &num(r.counters.bytes, f.exact);
    }
    let _ = write!(s, "{:<9} ", target_name(&r.target));
    s.push(if ip.inv & IpSpec::INV_PROTO != 0 {
        '!'
    } else {
        ' '
    });
    let proto = if f.numeric {
        ip.proto.to_string()
    } else {
        proto_name(ip.proto)
    };
    let _ = write!(s, "{proto:<4} ");
    s.push(if ip.inv & IpSpec::INV_FRAG != 0 {
        '!'
    } else {
        '-'
    });
    s.push(if ip.frag { 'f' } else { '-' });
    s.push(' ');
    if f.verbose {
        let iface = |name: &str, inv: bool| {
            let mut v = String::from(if inv { "!" } else { "" });
            v += if !name.is_empty() {
                name
            } else if f.numeric {
                "*"
            } else {
                "any"
            };
            v
        };
        let _ = write!(
            s,
            " {:<6} {:<6} ",
            iface(&ip.iniface, ip.inv & IpSpec::INV_VIA_IN != 0),
            iface(&ip.outiface, ip.inv & IpSpec::INV_VIA_OUT != 0)
        );
    }
    s.push(if ip.inv & IpSpec::INV_SRCIP != 0 {
        '!'
    } else {
        ' '
    });
    let _ = write!(s, "{:<19} ", addr_list(ip.src, ip.smsk, f.numeric));
    s.push(if ip.inv & IpSpec::INV_DSTIP != 0 {
        '!'
    } else {
        ' '
    });
    let _ = write!(s, "{:<19} ", addr_list(ip.dst, ip.dmsk, f.numeric));
    for m in &r.matches {
        s += &match_list(m, ip.proto, f.numeric);
    }
    s += &target_list(&r.target, f.numeric);
    if matches!(r.target, Target::Goto(_)) {
        s += "[goto] ";
    }
    s
}

/// `-L` of one chain (header and rules), without a trailing blank line.
pub fn chain_list(c: &Chain, refs: usize, f: ListFmt) -> String {
    let mut s = String::new();
    match c.hook {
        Some(_) => {
            let pol = policy_name(c.policy);
            if f.verbose {
                let n = |v: u64| num(v, f.exact).trim().to_string();
                let _ = writeln!(
                    s,
                    "Chain {} (policy {pol} {} packets, {} bytes)",
                    c.name,
                    n(c.counters.pkts),
                    n(c.counters.bytes)
                );
            } else {
                let _ = writeln!(s, "Chain {} (policy {pol})", c.name);
            }
        }
        None => {
            let _ = writeln!(s, "Chain {} ({refs} references)", c.name);
        }
    }
    if f.line_numbers {
        s += "num  ";
    }
    if f.verbose {
        s += if f.exact {
            "    pkts      bytes "
        } else {
            " pkts bytes "
        };
        s += "target     prot opt in     out     source               destination         \n";
    } else {
        s += "target     prot opt source               destination         \n";
    }
    for (i, r) in c.rules.iter().enumerate() {
        s += &rule_line(r, f, f.line_numbers.then_some(i + 1));
        s.push('\n');
    }
    s
}
