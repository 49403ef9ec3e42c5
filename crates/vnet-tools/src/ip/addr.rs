//! `ip address`: show, add, del, flush.

use super::link::{display_name, flag_names, link_lines};
use super::{Error, Opts, Res};
use crate::args::{matches, parse_prefix4};
use crate::fnmatch::fnmatch;
use crate::Cmd;
use std::net::Ipv4Addr;
use vnet_core::addr::{Ifaddr4, Scope};
use vnet_core::dev::{DevRef, Device};
use vnet_core::{Errno, KernelError};

/// Address filters of `ip addr show` (label, scope).
#[derive(Default)]
struct AddrFilter {
    label: Option<String>,
    scope: Option<Scope>,
    /// Some(true): secondaries only; Some(false): primaries only.
    secondary: Option<bool>,
    to: Option<vnet_core::Prefix4>,
    /// `group GROUP`: a device filter, not an address one.
    group: Option<String>,
}

impl AddrFilter {
    fn active(&self) -> bool {
        self.label.is_some()
            || self.scope.is_some()
            || self.secondary.is_some()
            || self.to.is_some()
    }
}

/// `valid_lft ... preferred_lft ...` for an address with the given deadlines.
fn lifetimes(
    now: vnet_core::Time,
    valid: Option<vnet_core::Time>,
    preferred: Option<vnet_core::Time>,
) -> String {
    let left = |t: Option<vnet_core::Time>| match t {
        None => "forever".to_string(),
        // The lifetime minus whole seconds elapsed, as the kernel reports it.
        Some(t) => format!("{}sec", t.saturating_sub(now).0.div_ceil(1_000_000_000)),
    };
    format!(
        "valid_lft {} preferred_lft {}",
        left(valid),
        left(preferred)
    )
}

/// One address of `ip addr`: its line, its `-br` form and its lifetimes line.
struct AddrLine {
    line: String,
    brief: String,
    lifetimes: String,
}

/// print_addrinfo()'s `inet ...` line of an IPv4 address, and its `-br` form.
fn inet4_line(a: &Ifaddr4) -> (String, String) {
    let mut brief = a.local.to_string();
    if a.has_peer() {
        brief.push_str(&format!(" peer {}", a.address));
    }
    brief.push_str(&format!("/{}", a.prefix_len));
    let mut s = format!("inet {brief}");
    if let Some(b) = a.broadcast {
        s.push_str(&format!(" brd {b}"));
    }
    s.push_str(&format!(" scope {}", a.scope.name()));
    if a.secondary {
        s.push_str(" secondary");
    }
    if a.valid_until.is_some() {
        s.push_str(" dynamic");
    }
    if a.noprefixroute {
        s.push_str(" noprefixroute");
    }
    if a.autojoin {
        s.push_str(" autojoin");
    }
    s.push_str(&format!(" {}", a.label));
    (s, brief)
}

/// The `inet ...` line `ip monitor address` prints for an address.
pub(crate) fn inet4_text(a: &Ifaddr4) -> String {
    inet4_line(a).0
}

fn inet_lines(c: &Cmd, d: &Device, o: &Opts, f: &AddrFilter) -> Vec<AddrLine> {
    let n = c.m.world.ns(c.ns);
    let mut v = Vec::new();
    if o.family != Some(6) && o.family != Some(0) {
        for a in n.addrs4_of(d.ifindex) {
            if f.label.as_ref().is_some_and(|l| !fnmatch(l, &a.label))
                || f.scope.is_some_and(|sc| sc != a.scope)
                || f.secondary.is_some_and(|sec| sec != a.secondary)
                || f.to
                    .is_some_and(|p| a.prefix_len < p.len || !p.contains(a.local))
            {
                continue;
            }
            let (s, brief) = inet4_line(a);
            let lifetimes = lifetimes(c.m.world.now(), a.valid_until, a.preferred_until);
            v.push(AddrLine {
                line: s,
                brief,
                lifetimes,
            });
        }
    }
    if o.family != Some(4)
        && o.family != Some(0)
        && f.label.is_none()
        && f.to.is_none()
        && f.secondary != Some(true)
    {
        let now = c.m.world.now();
        for a in n
            .addrs6()
            .iter()
            .filter(|a| a.ifindex == d.ifindex && f.scope.is_none_or(|sc| sc == a.scope))
        {
            let mut s = format!(
                "inet6 {}/{} scope {} ",
                a.addr,
                a.prefix_len,
                a.scope.name()
            );
            if a.nodad {
                s.push_str("nodad ");
            }
            if a.tentative(now) {
                s.push_str("tentative ");
            }
            let brief = format!("{}/{}", a.addr, a.prefix_len);
            v.push(AddrLine {
                line: s,
                brief,
                lifetimes: lifetimes(now, None, None),
            });
        }
    }
    v
}

/// The selectors `ip addr show` and `ip addr flush` share.
fn parse_selectors(args: &[String]) -> Res<(Option<String>, bool, AddrFilter)> {
    let mut dev: Option<String> = None;
    let mut up_only = false;
    let mut f = AddrFilter::default();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "dev" => {
                i += 1;
                dev = Some(args.get(i).ok_or(Error::Incomplete)?.clone());
            }
            "up" => up_only = true,
            "label" => {
                i += 1;
                f.label = Some(args.get(i).ok_or(Error::Incomplete)?.clone());
            }
            "scope" => {
                i += 1;
                let v = args.get(i).ok_or(Error::Incomplete)?.clone();
                match parse_scope(&v) {
                    Some(sc) => f.scope = Some(sc),
                    None => return Err(Error::invarg("invalid scope value.", &v)),
                }
            }
            "to" => {
                i += 1;
                let v = args.get(i).ok_or(Error::Incomplete)?.clone();
                match parse_prefix4(&v) {
                    Some((a, l)) => f.to = Some(vnet_core::Prefix4::new(a, l.unwrap_or(32))),
                    None => return Err(prefix_err(&v)),
                }
            }
            "group" => {
                i += 1;
                f.group = Some(args.get(i).ok_or(Error::Incomplete)?.clone());
            }
            "secondary" | "temporary" => f.secondary = Some(true),
            "primary" => f.secondary = Some(false),
            a => dev = Some(a.to_string()),
        }
        i += 1;
    }
    Ok((dev, up_only, f))
}

pub fn show(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let (dev, up_only, f) = parse_selectors(args)?;
    let ns = c.ns;
    // By name or alternative name.
    let dev_idx = match &dev {
        Some(n) => Some(
            c.m.world
                .ns(ns)
                .ifindex_of(n)
                .ok_or_else(|| Error::DevNotExist(n.clone()))?,
        ),
        None => None,
    };
    let group = match &f.group {
        Some(g) => Some(super::group::parse(c, g)?),
        None => None,
    };
    let devs: Vec<Device> =
        c.m.world
            .ns(ns)
            .devs()
            .values()
            .filter(|d| dev_idx.is_none_or(|i| d.ifindex == i))
            .filter(|d| group.is_none_or(|g| d.group == g))
            .filter(|d| !up_only || d.up)
            .cloned()
            .collect();
    if o.json {
        return json_links(c, o, &devs, true);
    }
    let filtering = f.active() || matches!(o.family, Some(4) | Some(6));
    // A family filter drops the link/ether line; a label filter the whole link header.
    let family_only = matches!(o.family, Some(4) | Some(6));
    for d in devs {
        let lines = inet_lines(c, &d, o, &f);
        if filtering && lines.is_empty() {
            continue;
        }
        if o.brief {
            let w = &c.m.world;
            let r = DevRef {
                ns,
                ifindex: d.ifindex,
            };
            let mut s = format!(
                "{:<16} {:<14} ",
                display_name(w, ns, &d),
                w.operstate(r).name()
            );
            for l in &lines {
                s.push_str(&l.brief);
                s.push(' ');
            }
            s.push('\n');
            c.print(&s);
            continue;
        }
        if o.oneline {
            for l in lines {
                c.print(&format!(
                    "{}: {}    {}\\       {}\n",
                    d.ifindex, d.name, l.line, l.lifetimes
                ));
            }
            continue;
        }
        let head = link_lines(c, &d, true, o);
        let mut head = if family_only {
            head.split('\n').next().unwrap_or("").to_string()
        } else {
            head
        };
        if o.family == Some(6) && dev.is_none() {
            // The inet6 link dump carries no qdisc or group.
            head = head
                .replacen(
                    &format!(" qdisc {}", d.qdisc.as_deref().unwrap_or("noop")),
                    "",
                    1,
                )
                .replacen(" group default", "", 1);
        }
        if f.label.is_none() {
            c.print(&head);
            c.print("\n");
        }
        for l in lines {
            c.print(&format!("    {}\n       {}\n", l.line, l.lifetimes));
        }
        if o.stats > 0 {
            let st = super::link::stats(&d, o);
            c.print(st.trim_start_matches('\n'));
            c.print("\n");
        }
    }
    Ok(())
}

/// `ip -j link` / `ip -j addr`: the same data as JSON, keys in iproute2's order.
pub fn json_links(c: &mut Cmd, o: &Opts, devs: &[Device], with_addrs: bool) -> Res {
    use serde_json::{json, Map, Value};
    let ns = c.ns;
    let mut arr = Vec::new();
    let groups: Vec<String> = devs
        .iter()
        .map(|d| super::group::name(c, d.group))
        .collect();
    for (i, d) in devs.iter().enumerate() {
        let r = DevRef {
            ns,
            ifindex: d.ifindex,
        };
        let w = &c.m.world;
        let md = d
            .iflink()
            .filter(|p| p.ns == ns)
            .and_then(|p| w.dev(p))
            .is_some_and(|p| !p.up);
        let flags = flag_names(w.flags(r), md);
        let flags: Vec<Value> = flags
            .trim_matches(['<', '>'])
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| json!(s))
            .collect();
        let mut m = Map::new();
        m.insert("ifindex".into(), json!(d.ifindex));
        if let Some(p) = d.iflink() {
            if p.ns == ns {
                if let Some(pd) = w.dev(p) {
                    m.insert("link".into(), json!(pd.name));
                }
            } else {
                m.insert("link_index".into(), json!(p.ifindex));
            }
        }
        let link_netnsid = d.iflink().filter(|p| p.ns != ns).map(|p| p.ns);
        m.insert("ifname".into(), json!(d.name));
        m.insert("flags".into(), Value::Array(flags));
        m.insert("mtu".into(), json!(d.mtu));
        m.insert("qdisc".into(), json!(d.qdisc.as_deref().unwrap_or("noop")));
        if let Some(mi) = d.master {
            if let Some(md) = w.ns(ns).dev(mi) {
                m.insert("master".into(), json!(md.name));
            }
        }
        m.insert("operstate".into(), json!(w.operstate(r).name()));
        if !with_addrs {
            m.insert("linkmode".into(), json!("DEFAULT"));
        }
        m.insert("group".into(), json!(groups[i]));
        m.insert("txqlen".into(), json!(d.txqlen));
        let lt = match d.arphrd() {
            vnet_core::dev::arphrd::LOOPBACK => "loopback",
            vnet_core::dev::arphrd::NONE => "none",
            vnet_core::dev::arphrd::TUNNEL => "ipip",
            vnet_core::dev::arphrd::IPGRE => "gre",
            vnet_core::dev::arphrd::SIT => "sit",
            _ => "ether",
        };
        m.insert("link_type".into(), json!(lt));
        if let Some(t) = d.tunnel().filter(|t| !t.kind.is_ether()) {
            m.insert("address".into(), json!(t.p.saddr.to_string()));
            if w.flags(r) & vnet_core::dev::iff::POINTOPOINT != 0 {
                m.insert("link_pointtopoint".into(), json!(true));
            }
            m.insert("broadcast".into(), json!(t.p.daddr.to_string()));
        } else if !d.is_tun_l3() {
            m.insert("address".into(), json!(d.mac.to_string()));
            m.insert(
                "broadcast".into(),
                json!(if d.is_loopback() {
                    "00:00:00:00:00:00"
                } else {
                    "ff:ff:ff:ff:ff:ff"
                }),
            );
        }
        if let Some(t) = link_netnsid {
            // link_lines() of the plain view allocates the id; here it already exists
            // unless never shown, in which case the next free id is what the kernel gives.
            let id = w
                .ns(ns)
                .peer_ids()
                .get(&t)
                .copied()
                .unwrap_or_else(|| w.ns(ns).peer_ids().len() as i32);
            m.insert("link_netnsid".into(), json!(id));
        }
        if o.details > 0 {
            m.extend(super::link::json_details(c, d, with_addrs));
        }
        if o.stats > 0 && !with_addrs {
            let st = &d.stats;
            m.insert(
                "stats64".into(),
                json!({
                    "rx": {"bytes": st.rx_bytes, "packets": st.rx_packets, "errors": st.rx_errors, "dropped": st.rx_dropped, "over_errors": 0, "multicast": st.rx_multicast},
                    "tx": {"bytes": st.tx_bytes, "packets": st.tx_packets, "errors": st.tx_errors, "dropped": st.tx_dropped, "carrier_errors": st.tx_carrier, "collisions": st.collisions}
                }),
            );
        }
        // print_linkinfo() ends with IFLA_PROP_LIST; the addresses follow it.
        if !d.altnames.is_empty() {
            m.insert("altnames".into(), json!(d.altnames));
        }
        if with_addrs {
            let mut ai = Vec::new();
            for a in w.ns(ns).addrs4_of(d.ifindex) {
                let mut x = Map::new();
                x.insert("family".into(), json!("inet"));
                x.insert("local".into(), json!(a.local.to_string()));
                if a.has_peer() {
                    x.insert("address".into(), json!(a.address.to_string()));
                }
                x.insert("prefixlen".into(), json!(a.prefix_len));
                if let Some(b) = a.broadcast {
                    x.insert("broadcast".into(), json!(b.to_string()));
                }
                x.insert("scope".into(), json!(a.scope.name()));
                if a.secondary {
                    x.insert("secondary".into(), json!(true));
                }
                if a.autojoin {
                    x.insert("autojoin".into(), json!(true));
                }
                x.insert("label".into(), json!(a.label));
                x.insert("valid_life_time".into(), json!(4294967295u32));
                x.insert("preferred_life_time".into(), json!(4294967295u32));
                ai.push(Value::Object(x));
            }
            let now = w.now();
            for a in w.ns(ns).addrs6().iter().filter(|a| a.ifindex == d.ifindex) {
                let mut x = Map::new();
                x.insert("family".into(), json!("inet6"));
                x.insert("local".into(), json!(a.addr.to_string()));
                x.insert("prefixlen".into(), json!(a.prefix_len));
                x.insert("scope".into(), json!(a.scope.name()));
                if a.nodad {
                    x.insert("nodad".into(), json!(true));
                }
                if a.tentative(now) {
                    x.insert("tentative".into(), json!(true));
                }
                x.insert("valid_life_time".into(), json!(4294967295u32));
                x.insert("preferred_life_time".into(), json!(4294967295u32));
                ai.push(Value::Object(x));
            }
            m.insert("addr_info".into(), Value::Array(ai));
        }
        arr.push(Value::Object(m));
    }
    c.print(&crate::json::render(&Value::Array(arr), o.pretty));
    c.print("\n");
    Ok(())
}

fn parse_scope(s: &str) -> Option<Scope> {
    Some(match s {
        "global" | "universe" => Scope::Universe,
        "site" => Scope::Site,
        "link" => Scope::Link,
        "host" => Scope::Host,
        "nowhere" => Scope::Nowhere,
        _ => Scope::from_value(s.parse::<u8>().ok()?),
    })
}

fn prefix_err(s: &str) -> Error {
    Error::expected("any valid prefix", s)
}

fn add_del(c: &mut Cmd, args: &[String], del: bool) -> Res {
    add_del_as(c, args, del, false)
}

fn add_del_as(c: &mut Cmd, args: &[String], del: bool, replace: bool) -> Res {
    let mut local: Option<(Ipv4Addr, Option<u8>)> = None;
    let mut peer: Option<(Ipv4Addr, Option<u8>)> = None;
    let mut dev: Option<String> = None;
    let mut brd: Option<String> = None;
    let mut label: Option<String> = None;
    let mut scope: Option<Scope> = None;
    let mut noprefixroute = false;
    let mut autojoin = false;
    let mut nodad = false;
    let mut valid: Option<Option<vnet_core::Time>> = None;
    let mut preferred: Option<Option<vnet_core::Time>> = None;
    let mut local6: Option<(std::net::Ipv6Addr, u8)> = None;
    let mut metric = 0;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let val = args.get(i + 1).cloned().unwrap_or_default();
        // NEXT_ARG(): a keyword that takes a value, at the end of the line.
        let keyword = [
            "peer",
            "remote",
            "broadcast",
            "brd",
            "dev",
            "label",
            "scope",
            "metric",
            "priority",
            "preference",
            "valid_lft",
            "preferred_lft",
            "local",
            "anycast",
        ];
        if keyword.contains(&a) && i + 1 >= args.len() {
            return Err(Error::Incomplete);
        }
        match a {
            "peer" | "remote" => {
                match parse_prefix4(&val) {
                    Some(p) => peer = Some(p),
                    None => return Err(prefix_err(&val)),
                }
                i += 1;
            }
            "broadcast" | "brd" => {
                brd = Some(val);
                i += 1;
            }
            "dev" => {
                dev = Some(val);
                i += 1;
            }
            "label" => {
                label = Some(val);
                i += 1;
            }
            "scope" => {
                match parse_scope(&val) {
                    Some(s) => scope = Some(s),
                    None => return Err(Error::invarg("invalid scope value.", &val)),
                }
                i += 1;
            }
            "metric" | "priority" | "preference" => {
                metric = val.parse().unwrap_or(0);
                i += 1;
            }
            "noprefixroute" => noprefixroute = true,
            "valid_lft" | "preferred_lft" => {
                let v = if val == "forever" {
                    None
                } else {
                    match val.parse::<u64>() {
                        Ok(secs) => Some(vnet_core::Time::from_secs(secs)),
                        Err(_) => return Err(Error::invarg(&format!("invalid {a} value"), &val)),
                    }
                };
                if a == "valid_lft" {
                    valid = Some(v);
                } else {
                    preferred = Some(v);
                }
                i += 1;
            }
            "nodad" => nodad = true,
            "autojoin" => autojoin = true,
            "home" | "mngtmpaddr" => {}
            _ => {
                let v = if a == "local" {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                } else {
                    a.to_string()
                };
                if local.is_some() {
                    return Err(Error::garbage("local", &v));
                }
                if v.contains(':') {
                    match crate::args::parse_prefix6(&v) {
                        Some(p) => local6 = Some(p),
                        None => return Err(prefix_err(&v)),
                    }
                    i += 1;
                    continue;
                }
                match parse_prefix4(&v) {
                    Some(p) => local = Some(p),
                    None => return Err(prefix_err(&v)),
                }
            }
        }
        i += 1;
    }
    let ns = c.ns;
    let ifindex = super::require_dev(c, dev.as_deref())?;
    // ipaddr_modify() checks the flag last, before asking the kernel.
    let multicast = match (local6, local) {
        (Some((a6, _)), _) => a6.is_multicast(),
        (None, Some((a4, _))) => a4.is_multicast(),
        (None, None) => false,
    };
    if autojoin && !multicast {
        return Err(Error::Failed("autojoin needs multicast address\n".into()));
    }
    if let Some((a6, l6)) = local6 {
        let r = if del {
            c.m.world
                .addr6_del(ns, ifindex, a6)
                .map_err(|e| vnet_core::KernelError::ext(e.errno, "ipv6: address not found"))
        } else {
            let sc = scope.unwrap_or(if a6.is_loopback() {
                Scope::Host
            } else if (a6.segments()[0] & 0xffc0) == 0xfe80 {
                Scope::Link
            } else {
                Scope::Universe
            });
            c.m.world.addr6_add(ns, ifindex, a6, l6, sc, nodad)
        };
        return Ok(r?);
    }
    let (laddr, llen) = local.ok_or(Errno::EOPNOTSUPP)?;
    if del {
        if llen.is_none() && peer.is_none() {
            c.eprint(&format!("Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length ({laddr}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n"));
        }
        let plen = peer.and_then(|p| p.1).or(llen);
        return c
            .m
            .world
            .addr_del(ns, ifindex, laddr, plen, peer.map(|p| p.0))
            .map_err(|e| KernelError::ext(e.errno, "ipv4: Address not found").into());
    }
    let plen = peer.and_then(|p| p.1).or(llen).unwrap_or(32);
    let address = peer.map(|p| p.0).unwrap_or(laddr);
    let broadcast = match brd.as_deref() {
        None => None,
        Some("+") if plen < 31 => Some(Ipv4Addr::from(
            u32::from(address) | !vnet_core::types::mask(plen),
        )),
        Some("-") if plen < 31 => Some(Ipv4Addr::from(
            u32::from(address) & vnet_core::types::mask(plen),
        )),
        Some("+") | Some("-") => None,
        Some(b) => match b.parse::<Ipv4Addr>() {
            Ok(x) => Some(x),
            Err(_) => return Err(prefix_err(b)),
        },
    };
    let scope = scope.unwrap_or(if laddr.is_loopback() {
        Scope::Host
    } else {
        Scope::Universe
    });
    let valid = valid.flatten();
    let preferred = preferred.flatten();
    let exists =
        c.m.world
            .ns(ns)
            .addrs4_of(ifindex)
            .any(|x| x.local == laddr && x.prefix_len == plen);
    if replace && exists {
        return Ok(c
            .m
            .world
            .addr_set_lifetime(ns, ifindex, laddr, plen, valid, preferred)?);
    }
    let now = c.m.world.now();
    let a = Ifaddr4 {
        ifindex,
        local: laddr,
        address,
        prefix_len: plen,
        broadcast,
        label: label.unwrap_or_default(),
        scope,
        secondary: false,
        noprefixroute,
        autojoin,
        metric,
        valid_until: valid.map(|v| now + v),
        preferred_until: preferred.or(valid).map(|v| now + v),
    };
    c.m.world.addr_add(ns, a).map_err(|e| match e.errno {
        Errno::EEXIST => KernelError::ext(e.errno, "ipv4: Address already assigned").into(),
        _ => e.into(),
    })
}

fn flush(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    // Any selector will do; without a device every device is flushed.
    if args.is_empty() {
        return Err(Error::FlushNeedsArgs);
    }
    let (dev, _, f) = parse_selectors(args)?;
    let ns = c.ns;
    let ifindexes: Vec<u32> = match dev {
        Some(name) => match c.m.world.ns(ns).ifindex_of(&name) {
            Some(i) => vec![i],
            None => return Err(Error::DevNotExist(name)),
        },
        None => c.m.world.ns(ns).devs().keys().copied().collect(),
    };
    for ifindex in ifindexes {
        flush_dev(c, o, ifindex, &f);
    }
    Ok(())
}

fn flush_dev(c: &mut Cmd, o: &Opts, ifindex: u32, f: &AddrFilter) {
    let ns = c.ns;
    if o.family != Some(6) {
        // Deleting a primary takes its secondaries; go in list order until none match.
        loop {
            let next = c.m.world.ns(ns).addrs4_of(ifindex).find(|a| {
                f.label.as_ref().is_none_or(|l| fnmatch(l, &a.label))
                    && f.scope.is_none_or(|sc| sc == a.scope)
                    && f.secondary.is_none_or(|sec| sec == a.secondary)
                    && f.to
                        .is_none_or(|p| a.prefix_len >= p.len && p.contains(a.local))
            });
            let Some(a) = next.cloned() else { break };
            if c.m
                .world
                .addr_del(ns, ifindex, a.local, Some(a.prefix_len), Some(a.address))
                .is_err()
            {
                break;
            }
        }
    }
    // IPv6 addresses have no label: iproute2 matches the device name instead.
    let devname = c.m.world.ns(ns).dev(ifindex).map(|d| d.name.clone());
    let label_ok = f
        .label
        .as_ref()
        .is_none_or(|l| devname.as_ref().is_some_and(|d| fnmatch(l, d)));
    if o.family != Some(4) && label_ok && f.to.is_none() {
        // The link-local address goes too, as with `ip -6 addr flush`.
        let doomed: Vec<_> =
            c.m.world
                .ns(ns)
                .addrs6()
                .iter()
                .filter(|a| a.ifindex == ifindex && f.scope.is_none_or(|sc| sc == a.scope))
                .map(|a| a.addr)
                .collect();
        for a in doomed {
            let _ = c.m.world.addr6_del(ns, ifindex, a);
        }
    }
}

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return show(c, o, &[]);
    };
    let rest = &args[1..];
    if matches(cmd, "show") || matches(cmd, "list") || cmd == "lst" {
        show(c, o, rest)
    } else if matches(cmd, "add") {
        add_del(c, rest, false)
    } else if matches(cmd, "replace") || matches(cmd, "change") {
        add_del_as(c, rest, false, true)
    } else if matches(cmd, "delete") {
        add_del(c, rest, true)
    } else if matches(cmd, "flush") {
        flush(c, o, rest)
    } else if matches(cmd, "save") {
        save(c, o, rest)
    } else if matches(cmd, "restore") {
        restore(c)
    } else if matches(cmd, "showdump") {
        showdump(c)
    } else {
        Err(Error::UnknownCommand {
            obj: "address",
            cmd: cmd.clone(),
        })
    }
}

/// `ip address save [dev DEV]`: the IPv4 dump, then the IPv6 one (unless
/// a family is given), devices in ifindex order.
fn save(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    use super::dump;
    let (dev, _, _) = parse_selectors(args)?;
    let ns = c.ns;
    let dev_idx = match &dev {
        Some(n) => Some(
            c.m.world
                .ns(ns)
                .ifindex_of(n)
                .ok_or_else(|| Error::DevNotExist(n.clone()))?,
        ),
        None => None,
    };
    let h = dump::hdr(c, dev_idx.is_some());
    let w = &c.m.world;
    let now = w.now();
    // Time stamps are in hundredths of a second since boot.
    let stamp = (now.0 / 10_000_000) as u32;
    let left = |t: Option<vnet_core::Time>| match t {
        None => u32::MAX,
        Some(t) => (t.0.saturating_sub(now.0) / 1_000_000_000) as u32,
    };
    let mut msgs = Vec::new();
    let idxs: Vec<u32> = w
        .ns(ns)
        .devs()
        .keys()
        .copied()
        .filter(|i| dev_idx.is_none_or(|d| d == *i))
        .collect();
    if o.family != Some(6) {
        for &i in &idxs {
            for a in w.ns(ns).addrs4_of(i) {
                let l = (left(a.valid_until), left(a.preferred_until));
                msgs.push(dump::addr4(a, h, l, stamp));
            }
        }
    }
    if o.family != Some(4) {
        for &i in &idxs {
            let mut v: Vec<&vnet_core::addr::Ifaddr6> = w
                .ns(ns)
                .addrs6()
                .iter()
                .filter(|a| a.ifindex == i)
                .collect();
            v.sort_by_key(|a| a.scope_rank());
            for a in v {
                msgs.push(dump::addr6(a, h, stamp));
            }
        }
    }
    dump::write(c, dump::ADDR_MAGIC, msgs);
    Ok(())
}

/// ipaddr_restore(): each address sent again with NLM_F_CREATE; one that
/// is already there is reported and passed over, any other error ends
/// `ip` (exit(-1)).
fn restore(c: &mut Cmd) -> Res {
    use super::dump;
    let data = dump::input(c);
    if let Err(e) = dump::check_magic(&data, dump::ADDR_MAGIC) {
        return Err(dump::fail(e, 255));
    }
    dump::each_msg(
        &data,
        |m| {
            let ns = c.ns;
            let r = match dump::parse_addr(&m) {
                None => return Ok(()),
                Some(dump::AddrMsg::V4(a)) => {
                    c.m.world.addr_add(ns, a).map_err(|e| match e.errno {
                        Errno::EEXIST => {
                            KernelError::ext(e.errno, "ipv4: Address already assigned")
                        }
                        _ => e,
                    })
                }
                Some(dump::AddrMsg::V6 {
                    ifindex,
                    addr,
                    prefix_len,
                    scope,
                    nodad,
                }) => {
                    c.m.world
                        .addr6_add(ns, ifindex, addr, prefix_len, scope, nodad)
                        .map_err(|e| match (e.errno, e.extack) {
                            (Errno::EEXIST, None) => {
                                KernelError::ext(e.errno, "ipv6: address already assigned")
                            }
                            _ => e,
                        })
                }
            };
            match r {
                Ok(()) => Ok(()),
                Err(e) if e.errno == Errno::EEXIST => {
                    c.eprint(&Error::Kernel(e).to_string());
                    Ok(())
                }
                Err(e) => Err(Error::Status(Error::Kernel(e).to_string(), 255)),
            }
        },
        |e| dump::fail(e, 255),
    )
}

/// ipaddr_showdump(): `ifN:` and print_addrinfo()'s lines for each address.
fn showdump(c: &mut Cmd) -> Res {
    use super::dump;
    let data = dump::input(c);
    if let Err(e) = dump::check_magic(&data, dump::ADDR_MAGIC) {
        return Err(dump::fail(e, 255));
    }
    dump::each_msg(
        &data,
        |m| {
            let s = match dump::parse_addr(&m) {
                None => return Ok(()),
                Some(dump::AddrMsg::V4(a)) => {
                    format!("if{}:\n    {}\n", a.ifindex, inet4_line(&a).0)
                }
                Some(dump::AddrMsg::V6 {
                    ifindex,
                    addr,
                    prefix_len,
                    scope,
                    ..
                }) => format!(
                    "if{ifindex}:\n    inet6 {addr}/{prefix_len} scope {} \n",
                    scope.name()
                ),
            };
            c.print(&s);
            c.print("       valid_lft forever preferred_lft forever\n");
            Ok(())
        },
        |e| dump::fail(e, 255),
    )
}
