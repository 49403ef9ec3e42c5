//! `ip rule` and `ip -6 rule` (iproute2 6.1's ip/iprule.c): listing with
//! its filters, add, del and flush of the policy routing rules, as the
//! kernel's fib_nl_newrule/fib_nl_delrule answer them.

use super::{Error, Opts, Res};
use crate::args::matches;
use crate::Cmd;
use serde_json::{json, Map, Value};
use std::net::IpAddr;
use vnet_core::fib_rules::{group_name, ipproto_name, FibRule, RuleAction, RuleMatch};
use vnet_core::ipv4::route_text::{table_name, PROTOS};

const USAGE: &str = "Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
";

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let v6 = o.family == Some(6);
    let Some(cmd) = args.first() else {
        return list(c, o, v6, &[], false);
    };
    let rest = &args[1..];
    let m = |w: &str| matches(cmd, w);
    if m("list") || m("lst") || m("show") {
        list(c, o, v6, rest, false)
    } else if m("save") || m("restore") {
        Err(Error::NotSimulated(format!(
            "ip rule {}",
            if m("save") { "save" } else { "restore" }
        )))
    } else if m("add") {
        modify(c, o, v6, rest, true)
    } else if m("delete") {
        modify(c, o, v6, rest, false)
    } else if m("flush") {
        list(c, o, v6, rest, true)
    } else if m("help") {
        Err(Error::Usage(USAGE))
    } else {
        Err(Error::Fatal(format!(
            "Command \"{cmd}\" is unknown, try \"ip rule help\".\n"
        )))
    }
}

/// get_u32(…, 0): strtoul with base 0, nothing after the digits.
fn get_u32(s: &str) -> Option<u32> {
    crate::iptables::parse::parse_u32(s)
}

/// get_prefix() for the family in force (`what` names it in the error).
fn prefix(s: &str, fam: Option<u8>) -> Res<Option<(IpAddr, u8)>> {
    let what = match fam {
        Some(4) => "inet prefix",
        Some(6) => "inet6 prefix",
        _ => "any valid prefix",
    };
    if matches!(s, "all" | "any" | "default") {
        return Ok(None);
    }
    let bad = || Error::expected(what, s);
    if fam != Some(6) && !s.contains(':') {
        let (a, l) = crate::args::parse_prefix4(s).ok_or_else(bad)?;
        let l = l.unwrap_or(32);
        return Ok((l > 0).then_some((IpAddr::V4(a), l)));
    }
    if fam == Some(4) {
        return Err(bad());
    }
    let (a, l) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let a: std::net::Ipv6Addr = a.parse().map_err(|_| bad())?;
    let l = match l {
        Some(l) => l.parse::<u8>().ok().filter(|l| *l <= 128).ok_or_else(bad)?,
        None => 128,
    };
    Ok((l > 0).then_some((IpAddr::V6(a), l)))
}

/// rtnl_rttable_a2n().
fn table_a2n(s: &str) -> Option<u32> {
    match s {
        "local" => Some(255),
        "main" => Some(254),
        "default" => Some(253),
        "unspec" => Some(0),
        _ => get_u32(s),
    }
}

/// rtnl_rtprot_a2n().
fn proto_a2n(s: &str) -> Option<u8> {
    PROTOS
        .iter()
        .find(|(_, n)| *n == s)
        .map(|(v, _)| *v)
        .or_else(|| get_u32(s).and_then(|v| u8::try_from(v).ok()))
}

/// inet_proto_a2n(): a number, else /etc/protocols' name.
fn ipproto_a2n(s: &str) -> Option<u8> {
    get_u32(s).and_then(|v| u8::try_from(v).ok()).or_else(|| {
        vnet_core::netfilter::names::PROTOCOLS
            .iter()
            .find(|(_, n)| *n == s)
            .map(|(v, _)| *v)
    })
}

/// sscanf("%hu-%hu"): one or two numbers; None when not even one.
/// The value of `sport`/`dport` (`word`), with iproute2's message for each.
fn port_arg(word: &str, v: &str) -> Result<(u16, u16), Error> {
    let msg = match word {
        "sport" => "invalid port range\n",
        _ => "invalid dport range\n",
    };
    port_range(v).ok_or_else(|| Error::invarg(msg, v))
}

fn port_range(s: &str) -> Option<(u16, u16)> {
    fn num(s: &str) -> Option<(u16, &str)> {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let v: u64 = s[..end].parse().ok()?;
        Some((v as u16, &s[end..]))
    }
    let (a, rest) = num(s)?;
    match rest.strip_prefix('-').and_then(num) {
        Some((b, _)) => Some((a, b)),
        None => Some((a, a)),
    }
}

/// sscanf("%u-%u") == 2.
fn uid_range(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('-')?;
    let end = b.find(|c: char| !c.is_ascii_digit()).unwrap_or(b.len());
    Some((a.parse().ok()?, b[..end].parse().ok()?))
}

/// check_ifname(): 1 to 15 bytes, no '/', ':' or whitespace.
fn ifname_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 16
        && !s.contains(|c: char| c == '/' || c == ':' || c.is_whitespace())
}

/// rtnl_group_a2n(): `default` or a number.
fn group_a2n(s: &str) -> Option<i32> {
    if s == "default" {
        return Some(0);
    }
    get_u32(s).map(|v| v as i32)
}

/// get_rt_realms_or_raw(): `[FROM/]TO`, names from rt_realms (`cosmos`).
fn realms(s: &str) -> Option<u32> {
    let one = |r: &str| -> Option<u32> {
        if r == "cosmos" {
            Some(0)
        } else {
            get_u32(r).filter(|v| *v <= 0xffff)
        }
    };
    match s.split_once('/') {
        Some((f, t)) => Some(one(f)? << 16 | one(t)?),
        None => get_u32(s).filter(|v| *v > 0xffff).or_else(|| one(s)),
    }
}

/// rtnl_rtntype_a2n() read as a rule action (FR_ACT_* share the values).
fn rule_type(s: &str) -> Option<RuleAction> {
    Some(match s {
        "unicast" => RuleAction::ToTable,
        "local" => RuleAction::Goto,
        "broadcast" => RuleAction::Nop,
        "blackhole" => RuleAction::Blackhole,
        "unreachable" => RuleAction::Unreachable,
        "prohibit" => RuleAction::Prohibit,
        "nat" => RuleAction::Nat,
        "anycast" => RuleAction::Other(4),
        "multicast" => RuleAction::Other(5),
        "throw" => RuleAction::Other(9),
        "xresolve" => RuleAction::Other(11),
        _ => match get_u32(s)? {
            1 => RuleAction::ToTable,
            2 => RuleAction::Goto,
            3 => RuleAction::Nop,
            6 => RuleAction::Blackhole,
            7 => RuleAction::Unreachable,
            8 => RuleAction::Prohibit,
            10 => RuleAction::Nat,
            n => RuleAction::Other(u8::try_from(n).ok()?),
        },
    })
}

/// iprule_modify(): RTM_NEWRULE (`add`) or RTM_DELRULE (`del`).
fn modify(c: &mut Cmd, o: &Opts, v6: bool, args: &[String], add: bool) -> Res {
    if args.is_empty() {
        let what = if add { "add" } else { "del" };
        return Err(Error::Failed(format!(
            "\"ip rule {what}\" requires arguments.\n"
        )));
    }
    let fam = o.family;
    let mut r = FibRule::lookup(0, 0);
    let mut m = RuleMatch::default();
    let mut pref = None;
    let mut action = add.then_some(RuleAction::ToTable);
    let mut table: Option<u32> = None;
    let mut table_ok = false;
    let mut l3mdev = false;
    let mut i = 0;
    let next = |i: &mut usize| -> Res<String> {
        *i += 1;
        args.get(*i).cloned().ok_or(Error::Incomplete)
    };
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "not" => r.invert = true,
            "from" => r.src = prefix(&next(&mut i)?, fam)?,
            "to" => r.dst = prefix(&next(&mut i)?, fam)?,
            _ if matches(a, "preference") || matches(a, "order") || matches(a, "priority") => {
                let v = next(&mut i)?;
                pref = Some(
                    get_u32(&v)
                        .ok_or_else(|| Error::invarg("preference value is invalid\n", &v))?,
                );
            }
            _ if a == "tos" || matches(a, "dsfield") => {
                let v = next(&mut i)?;
                r.tos = super::tunnel::dsfield_a2n(&v)
                    .ok_or_else(|| Error::invarg("TOS value is invalid\n", &v))?;
            }
            "fwmark" => {
                let v = next(&mut i)?;
                let (mk, mask) = match v.split_once('/') {
                    Some((mk, mask)) => (mk, Some(mask)),
                    None => (v.as_str(), None),
                };
                r.mark =
                    get_u32(mk).ok_or_else(|| Error::invarg("fwmark value is invalid\n", mk))?;
                // fib_nl2rule(): a mark alone matches exactly.
                r.mark_mask = if r.mark != 0 { u32::MAX } else { 0 };
                if let Some(mask) = mask {
                    r.mark_mask = get_u32(mask)
                        .ok_or_else(|| Error::invarg("fwmask value is invalid\n", mask))?;
                }
            }
            _ if matches(a, "realms") => {
                let v = next(&mut i)?;
                r.flow = realms(&v).ok_or_else(|| Error::invarg("invalid realms\n", &v))?;
            }
            _ if matches(a, "protocol") => {
                let v = next(&mut i)?;
                let p = proto_a2n(&v)
                    .ok_or_else(|| Error::invarg("\"protocol\" value is invalid\n", &v))?;
                r.proto = p;
                m.proto = (p != 0).then_some(p);
            }
            _ if matches(a, "tun_id") => {
                next(&mut i)?;
                return Err(Error::NotSimulated("ip rule tun_id".into()));
            }
            _ if matches(a, "table") || a == "lookup" => {
                let v = next(&mut i)?;
                table = Some(table_a2n(&v).ok_or_else(|| Error::invarg("invalid table ID\n", &v))?);
                table_ok = true;
            }
            _ if matches(a, "suppress_prefixlength") || a == "sup_pl" => {
                let v = next(&mut i)?;
                let bad = || Error::invarg("suppress_prefixlength value is invalid\n", &v);
                let pl = get_s32(&v).filter(|p| *p >= 0).ok_or_else(bad)?;
                r.suppress_prefixlen = pl;
            }
            _ if matches(a, "suppress_ifgroup") || a == "sup_group" => {
                let v = next(&mut i)?;
                r.suppress_ifgroup = group_a2n(&v)
                    .ok_or_else(|| Error::invarg("Invalid \"suppress_ifgroup\" value\n", &v))?;
            }
            "dev" | "iif" => {
                let v = next(&mut i)?;
                if !ifname_ok(&v) {
                    return Err(Error::invarg("\"iif\"/\"dev\" not a valid ifname", &v));
                }
                r.iif = Some(v);
            }
            "oif" => {
                let v = next(&mut i)?;
                if !ifname_ok(&v) {
                    return Err(Error::invarg("\"oif\" not a valid ifname", &v));
                }
                r.oif = Some(v);
            }
            "l3mdev" => {
                r.l3mdev = true;
                l3mdev = true;
                table_ok = true;
            }
            "uidrange" => {
                let v = next(&mut i)?;
                r.uid_range =
                    Some(uid_range(&v).ok_or_else(|| Error::invarg("invalid UID range\n", &v))?);
            }
            _ if a == "nat" || matches(a, "map-to") => {
                let v = next(&mut i)?;
                c.eprint("Warning: route NAT is deprecated\n");
                if v.parse::<std::net::Ipv4Addr>().is_err() && v != "any" {
                    return Err(Error::Failed(format!(
                        "Error: an IP address is expected rather than \"{v}\".\n"
                    )));
                }
                action = Some(RuleAction::Nat);
            }
            "ipproto" => {
                let v = next(&mut i)?;
                r.ip_proto = ipproto_a2n(&v)
                    .ok_or_else(|| Error::invarg("Invalid \"ipproto\" value\n", &v))?;
            }
            "sport" | "dport" => {
                let p = Some(port_arg(a, &next(&mut i)?)?);
                if a == "sport" {
                    r.sport = p;
                } else {
                    r.dport = p;
                }
            }
            _ => {
                let mut t = a;
                if a == "type" {
                    i += 1;
                    t = args.get(i).ok_or(Error::Incomplete)?;
                }
                if matches(t, "help") {
                    return Err(Error::Usage(USAGE));
                } else if matches(t, "goto") {
                    let v = next(&mut i)?;
                    r.target =
                        Some(get_u32(&v).ok_or_else(|| Error::invarg("invalid target\n", &v))?);
                    action = Some(RuleAction::Goto);
                } else if matches(t, "nop") {
                    action = Some(RuleAction::Nop);
                } else {
                    action = Some(
                        rule_type(t)
                            .ok_or_else(|| Error::invarg("Failed to parse rule type", t))?,
                    );
                }
                table_ok = true;
            }
        }
        i += 1;
    }
    if l3mdev && table.is_some_and(|t| t != 0) {
        return Err(Error::Status(
            "table can not be specified for l3mdev rules\n".into(),
            22,
        ));
    }
    let table = match table {
        Some(t) => t,
        None if !table_ok && add => vnet_core::ipv4::fib::RT_TABLE_MAIN,
        None => 0,
    };
    r.table = table;
    let ns = c.ns;
    if add {
        r.action = action.unwrap_or(RuleAction::ToTable);
        c.m.world.rule_add(ns, v6, r, pref)?;
        return Ok(());
    }
    // fib_nl2rule() then rule_find(): only what was given is compared.
    m.action = action;
    m.table = (table != 0).then_some(table);
    m.pref = pref;
    m.iif = r.iif.clone();
    m.oif = r.oif.clone();
    m.mark = (r.mark != 0).then_some(r.mark);
    m.mark_mask = (r.mark_mask != 0).then_some(r.mark_mask);
    m.suppress_prefixlen = (r.suppress_prefixlen != -1).then_some(r.suppress_prefixlen);
    m.suppress_ifgroup = (r.suppress_ifgroup != -1).then_some(r.suppress_ifgroup);
    m.l3mdev = r.l3mdev;
    m.uid_range = r.uid_range;
    m.ip_proto = (r.ip_proto != 0).then_some(r.ip_proto);
    m.sport = r.sport;
    m.dport = r.dport;
    m.src = r.src;
    m.dst = r.dst;
    m.tos = (r.tos != 0).then_some(r.tos);
    c.m.world.rule_del(ns, v6, &m)?;
    Ok(())
}

/// get_s32(…, 0).
fn get_s32(s: &str) -> Option<i32> {
    match s.strip_prefix('-') {
        Some(n) => get_u32(n).and_then(|v| i32::try_from(v).ok()).map(|v| -v),
        None => get_u32(s).and_then(|v| i32::try_from(v).ok()),
    }
}

/// The filter of `ip rule list`/`flush` (filter_nlmsg()).
#[derive(Default)]
struct Filter {
    pref: Option<u32>,
    not: bool,
    tos: Option<u8>,
    fwmark: u32,
    fwmask: u32,
    iif: Option<String>,
    oif: Option<String>,
    l3mdev: bool,
    uid_range: Option<(u32, u32)>,
    ipproto: u8,
    sport: Option<(u16, u16)>,
    dport: Option<(u16, u16)>,
    table: u32,
    src: Option<(IpAddr, u8)>,
    dst: Option<(IpAddr, u8)>,
    /// `protocol P` (flush only): None is `all`.
    protocol: Option<u8>,
}

fn prefix_covers(f: &Option<(IpAddr, u8)>, r: &Option<(IpAddr, u8)>) -> bool {
    let Some((fa, fl)) = f else { return true };
    let (ra, rl) = match r {
        Some(x) => *x,
        None => return *fl == 0,
    };
    if *fl > rl || fa.is_ipv6() != ra.is_ipv6() {
        return false;
    }
    let wide = |a: IpAddr| match a {
        IpAddr::V4(a) => u128::from(u32::from(a)) << 96,
        IpAddr::V6(a) => u128::from(a),
    };
    let mask = if *fl == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(*fl))
    };
    (wide(*fa) ^ wide(ra)) & mask == 0
}

impl Filter {
    fn keeps(&self, r: &FibRule) -> bool {
        self.pref.is_none_or(|p| p == r.pref)
            && (!self.not || r.invert)
            && prefix_covers(&self.src, &r.src)
            && prefix_covers(&self.dst, &r.dst)
            && self.tos.is_none_or(|t| t == r.tos)
            && (self.fwmark == 0 || self.fwmark == r.mark)
            && (self.fwmask == 0 || self.fwmask == r.mark_mask)
            && self.iif.as_ref().is_none_or(|n| r.iif.as_ref() == Some(n))
            && self.oif.as_ref().is_none_or(|n| r.oif.as_ref() == Some(n))
            && (!self.l3mdev || r.l3mdev)
            && self.uid_range.is_none_or(|u| r.uid_range == Some(u))
            && (self.ipproto == 0 || self.ipproto == r.ip_proto)
            && self.sport.is_none_or(|p| r.sport == Some(p))
            && self.dport.is_none_or(|p| r.dport == Some(p))
            && (self.table == 0 || self.table == r.table)
    }
}

/// iprule_list_flush_or_save() for list and flush.
fn list(c: &mut Cmd, o: &Opts, v6: bool, args: &[String], flush: bool) -> Res {
    let fam = Some(if v6 { 6 } else { 4 });
    let mut f = Filter::default();
    let mut i = 0;
    let next = |i: &mut usize| -> Res<String> {
        *i += 1;
        args.get(*i).cloned().ok_or(Error::Incomplete)
    };
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            _ if matches(a, "preference") || matches(a, "order") || matches(a, "priority") => {
                let v = next(&mut i)?;
                f.pref = Some(
                    get_u32(&v)
                        .ok_or_else(|| Error::invarg("preference value is invalid\n", &v))?,
                );
            }
            "not" => f.not = true,
            "tos" | "dsfield" => {
                let v = next(&mut i)?;
                f.tos = Some(
                    super::tunnel::dsfield_a2n(&v)
                        .ok_or_else(|| Error::invarg("TOS value is invalid\n", &v))?,
                );
            }
            "fwmark" => {
                let v = next(&mut i)?;
                let (mk, mask) = match v.split_once('/') {
                    Some((mk, mask)) => (mk, Some(mask)),
                    None => (v.as_str(), None),
                };
                f.fwmark =
                    get_u32(mk).ok_or_else(|| Error::invarg("fwmark value is invalid\n", mk))?;
                if let Some(mask) = mask {
                    f.fwmask = get_u32(mask)
                        .ok_or_else(|| Error::invarg("fwmask value is invalid\n", mask))?;
                }
            }
            "dev" | "iif" => {
                let v = next(&mut i)?;
                if !ifname_ok(&v) {
                    return Err(Error::invarg("\"iif\"/\"dev\" not a valid ifname", &v));
                }
                f.iif = Some(v);
            }
            "oif" => {
                let v = next(&mut i)?;
                if !ifname_ok(&v) {
                    return Err(Error::invarg("\"oif\" not a valid ifname", &v));
                }
                f.oif = Some(v);
            }
            "l3mdev" => f.l3mdev = true,
            "uidrange" => {
                let v = next(&mut i)?;
                f.uid_range =
                    Some(uid_range(&v).ok_or_else(|| Error::invarg("invalid UID range\n", &v))?);
            }
            _ if matches(a, "tun_id") => {
                next(&mut i)?;
                return Err(Error::NotSimulated("ip rule tun_id".into()));
            }
            _ if matches(a, "lookup") || matches(a, "table") => {
                let v = next(&mut i)?;
                f.table = table_a2n(&v)
                    .ok_or_else(|| Error::invarg("table id value is invalid\n", &v))?;
            }
            _ if matches(a, "from") || matches(a, "src") => {
                let v = next(&mut i)?;
                f.src = Some(prefix(&v, fam)?.unwrap_or((unspecified(v6), 0)));
            }
            _ if matches(a, "protocol") => {
                let v = next(&mut i)?;
                f.protocol = match proto_a2n(&v) {
                    Some(p) => Some(p),
                    None if v == "all" => None,
                    None => return Err(Error::invarg("invalid \"protocol\"\n", &v)),
                };
            }
            "ipproto" => {
                let v = next(&mut i)?;
                f.ipproto = ipproto_a2n(&v)
                    .ok_or_else(|| Error::invarg("Invalid \"ipproto\" value\n", &v))?;
            }
            "sport" | "dport" => {
                let p = Some(port_arg(a, &next(&mut i)?)?);
                if a == "sport" {
                    f.sport = p;
                } else {
                    f.dport = p;
                }
            }
            _ => {
                let v = if matches(a, "dst") || matches(a, "to") {
                    next(&mut i)?
                } else {
                    a.to_string()
                };
                f.dst = Some(prefix(&v, fam)?.unwrap_or((unspecified(v6), 0)));
            }
        }
        i += 1;
    }
    let ns = c.ns;
    if flush {
        // Rules of priority 0 carry no FRA_PRIORITY: flush_rule() skips them.
        c.m.world.rule_flush(ns, v6, |r| {
            r.pref != 0 && f.keeps(r) && f.protocol.is_none_or(|p| p == r.proto)
        });
        return Ok(());
    }
    let n = c.m.world.ns(ns);
    let rules = n.rules(v6);
    if o.json {
        let all: Vec<Value> = rules
            .iter()
            .filter(|r| f.keeps(r))
            .map(|r| rule_json(r, n, o.details > 0, rules))
            .collect();
        let out = crate::json::render(&Value::Array(all), o.pretty);
        c.print(&out);
        c.print("\n");
        return Ok(());
    }
    let mut out = String::new();
    for r in rules.iter().filter(|r| f.keeps(r)) {
        out.push_str(&format!(
            "{}:\t{}\n",
            r.pref,
            rules.rule_text(r, n, o.details > 0)
        ));
    }
    c.print(&out);
    Ok(())
}

fn unspecified(v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
    }
}

/// `%#x` as iproute2's print_0xhex writes it.
fn hex(v: u32) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// print_rule() in JSON: the keys in the order iproute2 writes them.
fn rule_json(
    r: &FibRule,
    n: &vnet_core::netns::Netns,
    details: bool,
    rules: &vnet_core::fib_rules::FibRules,
) -> Value {
    let mut m = Map::new();
    m.insert("priority".into(), json!(r.pref));
    if r.invert {
        m.insert("not".into(), Value::Null);
    }
    let host_len = |a: &IpAddr| if a.is_ipv6() { 128 } else { 32 };
    match r.src {
        Some((a, l)) => {
            m.insert("src".into(), json!(a.to_string()));
            if l != host_len(&a) {
                m.insert("srclen".into(), json!(l));
            }
        }
        None => {
            m.insert("src".into(), json!("all"));
        }
    }
    if let Some((a, l)) = r.dst {
        m.insert("dst".into(), json!(a.to_string()));
        if l != host_len(&a) {
            m.insert("dstlen".into(), json!(l));
        }
    }
    if r.tos != 0 {
        m.insert(
            "tos".into(),
            json!(vnet_core::ipv4::route_text::dsfield_n2a(r.tos)),
        );
    }
    if r.mark != 0 || r.mark_mask != 0 {
        m.insert("fwmark".into(), json!(hex(r.mark)));
        if r.mark_mask != u32::MAX {
            m.insert("fwmask".into(), json!(hex(r.mark_mask)));
        }
    }
    for (key, dev) in [("iif", &r.iif), ("oif", &r.oif)] {
        if let Some(d) = dev {
            m.insert(key.into(), json!(d));
            if n.ifindex_of(d).is_none() {
                m.insert(format!("{key}_detached"), Value::Null);
            }
        }
    }
    if r.l3mdev {
        m.insert("l3mdev".into(), Value::Null);
    }
    if let Some((a, b)) = r.uid_range {
        m.insert("uid_start".into(), json!(a));
        m.insert("uid_end".into(), json!(b));
    }
    if r.ip_proto != 0 {
        m.insert("ipproto".into(), json!(ipproto_name(r.ip_proto)));
    }
    for (key, ports) in [("sport", r.sport), ("dport", r.dport)] {
        match ports {
            Some((a, b)) if a == b => {
                m.insert(key.into(), json!(a));
            }
            Some((a, b)) => {
                m.insert(format!("{key}_start"), json!(a));
                m.insert(format!("{key}_end"), json!(b));
            }
            None => {}
        }
    }
    if r.table != 0 {
        m.insert("table".into(), json!(table_name(r.table)));
        if r.suppress_prefixlen != -1 {
            m.insert("suppress_prefixlen".into(), json!(r.suppress_prefixlen));
        }
        if r.suppress_ifgroup != -1 {
            m.insert(
                "suppress_ifgroup".into(),
                json!(group_name(r.suppress_ifgroup)),
            );
        }
    }
    match r.action {
        RuleAction::Nat => {
            m.insert("masquerade".into(), Value::Null);
        }
        RuleAction::Goto => {
            match r.target {
                Some(t) => m.insert("goto".into(), json!(t)),
                None => m.insert("goto".into(), json!("none")),
            };
            if r.target.and_then(|t| rules.goto_target(t)).is_none() {
                m.insert("unresolved".into(), Value::Null);
            }
        }
        RuleAction::Nop => {
            m.insert("nop".into(), Value::Null);
        }
        RuleAction::ToTable => {}
        a => {
            m.insert("action".into(), json!(a.name()));
        }
    }
    if (r.proto != 0 && r.proto != vnet_core::ipv4::fib::proto::KERNEL) || details {
        m.insert(
            "protocol".into(),
            json!(vnet_core::ipv4::route_text::proto_name(r.proto)),
        );
    }
    Value::Object(m)
}
