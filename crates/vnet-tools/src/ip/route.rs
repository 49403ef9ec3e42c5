//! `ip route`: show, add, del, replace, get, flush.

use super::route_multipath::{parse_nexthops, NhSpec};
use super::{Error, Opts, Res};
use crate::args::{matches, parse_prefix4};
use crate::Cmd;
use std::net::Ipv4Addr;
use vnet_core::addr::Scope;
use vnet_core::flow::Flowi4;
use vnet_core::ipv4::fib::{
    proto, FibNh, Nexthops, Route, RouteType, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN,
};
use vnet_core::ipv4::fib_frontend::RouteAdd;
use vnet_core::ipv4::fib_frontend::RouteMatch;
use vnet_core::ipv4::route_text::{proto_name, table_name, RouteFmt, PROTOS};
use vnet_core::{Errno, KernelError, Prefix4};

/// Route attributes iproute2 6.1 parses that vnet does not simulate yet
/// (multipath, lightweight tunnels, realms, metrics other than mtu).
const ROUTE_GAPS: &[&str] = &[
    "encap",
    "realm",
    "realms",
    "rtt",
    "rttvar",
    "reordering",
    "window",
    "cwnd",
    "initcwnd",
    "initrwnd",
    "ssthresh",
    "advmss",
    "hoplimit",
    "features",
    "quickack",
    "congctl",
    "fastopen_no_cookie",
    "rto_min",
    "pref",
    "expires",
    "ttl-propagate",
    "as",
];

/// get_prefix() of an address of any family.
const ANY_PREFIX: &str = "any valid prefix";

/// fib_get_table() finding no table to dump or flush.
const NO_FIB_TABLE: KernelError = KernelError {
    errno: Errno::ENOENT,
    extack: Some("ipv4: FIB table does not exist"),
};

/// fib6_get_table() finding no table to dump.
const NO_FIB6_TABLE: KernelError = KernelError {
    errno: Errno::ENOENT,
    extack: Some("ipv6: FIB table does not exist"),
};

fn parse_proto(s: &str) -> Option<u8> {
    PROTOS
        .iter()
        .find(|(_, n)| *n == s)
        .map(|(v, _)| *v)
        .or_else(|| s.parse().ok())
}

fn parse_table(s: &str) -> Option<u32> {
    Some(match s {
        "main" => RT_TABLE_MAIN,
        "local" => RT_TABLE_LOCAL,
        "default" => RT_TABLE_DEFAULT,
        _ => s.parse().ok()?,
    })
}

/// One route as `ip route` prints it (with a trailing space, as iproute2 does).
/// What `ip route show` selects on; selected-on attributes are not printed.
#[derive(Default)]
struct Filter {
    dst: Option<Prefix4>,
    dev: Option<u32>,
    proto: Option<u8>,
    scope: Option<Scope>,
    rtype: Option<RouteType>,
    table: Option<u32>,
    all_tables: bool,
    /// `root P`: routes inside P; `match P`: routes covering P.
    root: Option<Prefix4>,
    matching: Option<Prefix4>,
    via: Option<Ipv4Addr>,
    /// `ip -6 route show [root|match|exact] PREFIX`.
    dst6: Dst6,
    /// `cache`: the cloned routes (IPv4's next-hop exceptions).
    cloned: bool,
}

/// iproute2's rdst and mdst for IPv6 (filter_nlmsg()): `root P` keeps
/// the routes inside P, `match P` those covering P, `exact P` (and a bare
/// P) both, so only P itself.
#[derive(Clone, Copy, Debug, Default)]
struct Dst6 {
    root: Option<(u128, u8)>,
    matching: Option<(u128, u8)>,
}

impl Dst6 {
    fn keeps(&self, net: u128, len: u8) -> bool {
        // inet_addr_match(): the first `bits` bits agree.
        let same = |a: u128, b: u128, bits: u8| {
            bits == 0 || (a ^ b) >> (128 - u32::from(bits.min(128))) == 0
        };
        self.root
            .is_none_or(|(p, pl)| len >= pl && same(net, p, pl))
            && self
                .matching
                .is_none_or(|(p, pl)| len <= pl && same(net, p, len))
    }
}

fn format_route_f(c: &Cmd, r: &Route, show_table: bool, f: &Filter, details: bool) -> String {
    let how = RouteFmt {
        show_table,
        details,
        via: f.via.is_none(),
        dev: f.dev.is_none(),
        proto: f.proto.is_none(),
        scope: f.scope.is_none(),
    };
    let mut text = c.m.world.route_text(c.ns, r, &how);
    // print_route(): with -d, the object after the route's own fields and
    // before its multipath next hops.
    if let Some(info) = r
        .nhid
        .filter(|_| details)
        .and_then(|id| super::nexthop::info_text(c, id))
    {
        let at = text.find(" \n\tnexthop").unwrap_or(text.len());
        text.insert_str(at, &format!(" \n\tnh_info {info}"));
    }
    text + " "
}

struct Spec {
    dst: Option<Prefix4>,
    rtype: RouteType,
    gateway: Option<Ipv4Addr>,
    dev: Option<u32>,
    prefsrc: Option<Ipv4Addr>,
    metric: Option<u32>,
    proto: Option<u8>,
    scope: Option<Scope>,
    table: Option<u32>,
    onlink: bool,
    mtu: Option<u32>,
    tos: Option<u8>,
    /// `nexthop ...` clauses (RTA_MULTIPATH).
    nexthops: Option<Vec<NhSpec>>,
    /// `nhid ID` (RTA_NH_ID).
    nhid: Option<u32>,
}

fn parse_spec(c: &Cmd, args: &[String]) -> Res<Spec> {
    let mut s = Spec {
        dst: None,
        rtype: RouteType::Unicast,
        gateway: None,
        dev: None,
        prefsrc: None,
        metric: None,
        proto: None,
        scope: None,
        table: None,
        onlink: false,
        mtu: None,
        tos: None,
        nexthops: None,
        nhid: None,
    };
    let ns = c.ns;
    let mut i = 0;
    let mut via_seen = false;
    while i < args.len() {
        let a = args[i].as_str();
        let val = args.get(i + 1).cloned().unwrap_or_default();
        let mut take = true;
        // NEXT_ARG(): a keyword that takes a value, at the end of the line.
        let keyword = [
            "via",
            "dev",
            "oif",
            "src",
            "metric",
            "priority",
            "preference",
            "proto",
            "protocol",
            "scope",
            "table",
            "vrf",
            "mtu",
            "tos",
            "dsfield",
            "nhid",
        ];
        if keyword.contains(&a) && i + 1 >= args.len() {
            return Err(Error::Incomplete);
        }
        if a == "nexthop" {
            // Everything after the first `nexthop` is next hops.
            s.nexthops = Some(parse_nexthops(c, &args[i + 1..], false)?);
            break;
        }
        match a {
            "via" if via_seen => {
                return Err(Error::invarg(
                    "use nexthop syntax to specify multiple via\n",
                    "via",
                ))
            }
            "via" => match val.parse::<Ipv4Addr>() {
                Ok(g) => {
                    via_seen = true;
                    s.gateway = Some(g)
                }
                Err(_) => return Err(Error::expected("inet address", &val)),
            },
            "dev" | "oif" => match c.m.world.ns(ns).ifindex_of(&val) {
                Some(x) => s.dev = Some(x),
                None => return Err(Error::no_dev(&val)),
            },
            "src" => match val.parse::<Ipv4Addr>() {
                Ok(g) => s.prefsrc = Some(g),
                Err(_) => return Err(Error::expected("inet address", &val)),
            },
            "metric" | "priority" | "preference" => match val.parse::<u32>() {
                Ok(m) => s.metric = Some(m),
                Err(_) => return Err(Error::invarg("\"metric\" value is invalid\n", &val)),
            },
            "proto" | "protocol" => match parse_proto(&val) {
                Some(p) => s.proto = Some(p),
                None => return Err(Error::invarg("\"protocol\" value is invalid\n", &val)),
            },
            "scope" => match val.as_str() {
                "global" | "universe" => s.scope = Some(Scope::Universe),
                "link" => s.scope = Some(Scope::Link),
                "host" => s.scope = Some(Scope::Host),
                "site" => s.scope = Some(Scope::Site),
                "nowhere" => s.scope = Some(Scope::Nowhere),
                _ => return Err(Error::invarg("invalid \"scope\" value\n", &val)),
            },
            "vrf" => match super::vrf::check_name(c, &val) {
                Ok(t) => s.table = Some(t),
                Err(_) => return Err(Error::invarg("Invalid VRF\n", &val)),
            },
            "table" => match parse_table(&val) {
                // fib_new_table()/fib_get_table(): id 0 is the main table.
                Some(0) => s.table = Some(RT_TABLE_MAIN),
                Some(t) => s.table = Some(t),
                None => return Err(Error::invarg("\"table\" value is invalid\n", &val)),
            },
            "mtu" => match val.parse::<u32>() {
                Ok(m) => s.mtu = Some(m),
                Err(_) => return Err(Error::invarg("\"mtu\" value is invalid\n", &val)),
            },
            "tos" | "dsfield" => s.tos = val.parse().ok(),
            "nhid" => match crate::iptables::parse::parse_u32(&val) {
                Some(id) => s.nhid = Some(id),
                None => return Err(Error::invarg("\"id\" value is invalid\n", &val)),
            },
            k if ROUTE_GAPS.contains(&k) => {
                return Err(Error::NotSimulated(format!("ip route {k}")))
            }
            "onlink" => {
                s.onlink = true;
                take = false;
            }
            _ => {
                take = false;
                let mut d = a;
                if let Some(t) = RouteType::parse(a) {
                    s.rtype = t;
                    i += 1;
                    d = args.get(i).map(|x| x.as_str()).unwrap_or("");
                } else if a == "to" {
                    i += 1;
                    d = args.get(i).map(|x| x.as_str()).unwrap_or("");
                }
                if s.dst.is_some() {
                    return Err(Error::garbage("to", d));
                }
                if d == "default" || d == "all" || d == "any" {
                    s.dst = Some(Prefix4::DEFAULT);
                } else {
                    match parse_prefix4(d) {
                        Some((addr, len)) => {
                            let len = len.unwrap_or(32);
                            let p = Prefix4::new(addr, len);
                            if p.addr != addr {
                                return Err(KernelError::ext(
                                    Errno::EINVAL,
                                    "Invalid prefix for given prefix length",
                                )
                                .into());
                            }
                            s.dst = Some(p);
                        }
                        None => return Err(Error::expected(ANY_PREFIX, d)),
                    }
                }
            }
        }
        if take {
            i += 1;
        }
        i += 1;
    }
    Ok(s)
}

fn show(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    list(c, o, args, false)
}

/// `ip route show` or, with `save`, `ip route save` (the same selectors).
fn list(c: &mut Cmd, o: &Opts, args: &[String], save: bool) -> Res {
    let mut f = Filter {
        table: Some(RT_TABLE_MAIN),
        ..Default::default()
    };
    let mut i = 0;
    let ns = c.ns;
    while i < args.len() {
        let a = args[i].as_str();
        let val = args.get(i + 1).cloned().unwrap_or_default();
        // NEXT_ARG(): a selector that takes a value, at the end of the line.
        let keyword = [
            "table", "dev", "oif", "iif", "proto", "protocol", "scope", "type", "root", "match",
            "exact", "to", "from", "via", "src", "tos", "dsfield", "metric", "realm", "realms",
            "vrf",
        ];
        if keyword.contains(&a) && i + 1 >= args.len() {
            return Err(Error::Incomplete);
        }
        match a {
            "cache" => f.cloned = true,
            "table" => {
                if val == "all" {
                    f.table = None;
                    f.all_tables = true;
                } else {
                    match parse_table(&val) {
                        Some(t) => f.table = Some(t),
                        None => return Err(Error::invarg("table id value is invalid\n", &val)),
                    }
                }
                i += 1;
            }
            "dev" | "oif" => {
                match c.m.world.ns(ns).ifindex_of(&val) {
                    Some(x) => f.dev = Some(x),
                    None => return Err(Error::no_dev(&val)),
                }
                i += 1;
            }
            // ipvrf_get_table(): the VRF's table.
            "vrf" => {
                f.table = Some(super::vrf::check_name(c, &val)?);
                i += 1;
            }
            "proto" | "protocol" => {
                match parse_proto(&val) {
                    Some(p) => f.proto = Some(p),
                    None => return Err(Error::invarg("invalid \"protocol\"\n", &val)),
                }
                i += 1;
            }
            "scope" => {
                f.scope = match val.as_str() {
                    "global" | "universe" => Some(Scope::Universe),
                    "link" => Some(Scope::Link),
                    "host" => Some(Scope::Host),
                    "site" => Some(Scope::Site),
                    _ => return Err(Error::invarg("invalid \"scope\" value\n", &val)),
                };
                i += 1;
            }
            "type" => {
                match RouteType::parse(&val) {
                    Some(t) => f.rtype = Some(t),
                    None => return Err(Error::invarg("node type value is invalid\n", &val)),
                }
                i += 1;
            }
            "root" | "match" | "exact" | "to" => {
                if let (Some(6), Some((ad, l))) = (o.family, crate::args::parse_prefix6(&val)) {
                    let p = Some((u128::from(ad), l));
                    match a {
                        "root" => f.dst6.root = p,
                        "match" => f.dst6.matching = p,
                        _ => (f.dst6.root, f.dst6.matching) = (p, p),
                    }
                } else if let Some((ad, l)) = parse_prefix4(&val) {
                    let p = Prefix4::new(ad, l.unwrap_or(32));
                    match a {
                        "root" => f.root = Some(p),
                        "match" => f.matching = Some(p),
                        _ => f.dst = Some(p),
                    }
                }
                i += 1;
            }
            "via" => {
                f.via = val.parse().ok();
                i += 1;
            }
            _ => {
                if a == "default" {
                    f.dst = Some(Prefix4::DEFAULT);
                } else if let (Some(6), Some((ad, l))) = (o.family, crate::args::parse_prefix6(a)) {
                    let p = Some((u128::from(ad), l));
                    (f.dst6.root, f.dst6.matching) = (p, p);
                } else if let Some((ad, l)) = parse_prefix4(a) {
                    f.dst = Some(Prefix4::new(ad, l.unwrap_or(32)));
                } else {
                    return Err(Error::expected(ANY_PREFIX, a));
                }
            }
        }
        i += 1;
    }
    if o.family == Some(6) && !f.cloned && !save {
        return list6(c, o, &f);
    }
    if f.table.is_some_and(|t| !table_exists(c, t)) {
        return Err(Error::Terminated(NO_FIB_TABLE, "Dump"));
    }
    if f.cloned {
        return show_cache(c, o, &f);
    }
    if save && o.family == Some(6) {
        return Err(Error::NotSimulated("ip -6 route save".into()));
    }
    let routes: Vec<Route> =
        c.m.world
            .ns(ns)
            .fib()
            .all_sorted(f.table)
            .into_iter()
            .filter(|r| f.dev.is_none_or(|d| r.dev == Some(d)))
            .filter(|r| f.proto.is_none_or(|p| r.proto == p))
            .filter(|r| f.scope.is_none_or(|sc| r.scope == sc))
            .filter(|r| f.rtype.is_none_or(|t| r.rtype == t))
            .filter(|r| f.dst.is_none_or(|d| r.dst == d))
            .filter(|r| {
                f.root
                    .is_none_or(|p| r.dst.len >= p.len && p.contains(r.dst.addr))
            })
            .filter(|r| {
                f.matching
                    .is_none_or(|p| r.dst.len <= p.len && r.dst.contains(p.addr))
            })
            .filter(|r| f.via.is_none_or(|g| r.gateway == Some(g)))
            .cloned()
            .collect();
    if save {
        // The kernel filters the dump by table (NLM_F_DUMP_FILTERED).
        let h = super::dump::hdr(c, true);
        let w = &c.m.world;
        let msgs = routes
            .iter()
            .map(|r| super::dump::route4(r, h, |d| w.nh_state(ns, d).linkdown))
            .collect();
        super::dump::write(c, super::dump::ROUTE_MAGIC, msgs);
        return Ok(());
    }
    if o.json {
        let v: Vec<serde_json::Value> = routes.iter().map(|r| route_json(c, r, &f)).collect();
        c.print(&crate::json::render(&serde_json::Value::Array(v), o.pretty));
        c.print("\n");
        return Ok(());
    }
    for r in routes {
        let mut s = format_route_f(c, &r, f.all_tables, &f, o.details > 0);
        if o.oneline {
            // _SL_: the next hops' line breaks become backslashes.
            s = s.replace('\n', "\\");
        }
        c.print(&s);
        c.print("\n");
    }
    Ok(())
}

/// `ip route show cache`: each live next-hop exception as the kernel
/// dumps it (fib_dump_info_fnhe() → rt_fill_info()): the destination,
/// the path to it, then its cache line.
fn show_cache(c: &mut Cmd, o: &Opts, f: &Filter) -> Res {
    if o.family == Some(6) {
        return Err(Error::NotSimulated("ip -6 route show cache".into()));
    }
    let ns = c.ns;
    let w = &c.m.world;
    let mut out = String::new();
    for (dst, e) in w.fnhe_list(ns) {
        let keep = |p: Option<Prefix4>, inside: bool| {
            p.is_none_or(|p| {
                if inside {
                    p.contains(dst)
                } else {
                    p.len == 32 && p.addr == dst
                }
            })
        };
        if !keep(f.dst, false) || !keep(f.root, true) || !keep(f.matching, true) {
            continue;
        }
        let Ok(rt) = w.route_output(ns, &vnet_core::flow::Flowi4::output(dst, None, None)) else {
            continue;
        };
        if f.dev.is_some_and(|d| d != rt.dev) {
            continue;
        }
        let n = w.ns(ns);
        let mut line = dst.to_string();
        if rt.nexthop != dst {
            line.push_str(&format!(" via {}", rt.nexthop));
        }
        if f.dev.is_none() {
            let dn = n.dev(rt.dev).map(|d| d.name.as_str()).unwrap_or("?");
            line.push_str(&format!(" dev {dn}"));
        }
        out.push_str(&format!("{line} \n{}\n", fnhe_cache_line(w, &e)));
    }
    c.print(&out);
    Ok(())
}

/// The cache line of a route with a next-hop exception: its expiry in
/// whole seconds (rta_expires in USER_HZ, divided by hz) and its MTU.
fn fnhe_cache_line(w: &vnet_core::World, e: &vnet_core::ipv4::fnhe::Fnhe) -> String {
    let lock = if e.locked { "lock " } else { "" };
    format!(
        "    cache expires {}sec mtu {lock}{} ",
        fnhe_expires_secs(w, e),
        e.mtu
    )
}

fn fnhe_expires_secs(w: &vnet_core::World, e: &vnet_core::ipv4::fnhe::Fnhe) -> u64 {
    e.expires.0.saturating_sub(w.now().0) / 1_000_000_000
}

/// One route as `ip -j route` prints it.
fn route_json(c: &Cmd, r: &Route, f: &Filter) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let n = c.m.world.ns(c.ns);
    let mut m = Map::new();
    if r.rtype != RouteType::Unicast {
        m.insert("type".into(), json!(r.rtype.name()));
    }
    let dst = if r.dst.len == 0 {
        "default".to_string()
    } else if r.dst.len == 32 {
        r.dst.addr.to_string()
    } else {
        r.dst.to_string()
    };
    m.insert("dst".into(), json!(dst));
    if let Some(id) = r.nhid {
        m.insert("nhid".into(), json!(id));
    }
    if f.all_tables && r.table != RT_TABLE_MAIN {
        m.insert("table".into(), json!(table_name(r.table)));
    }
    if let Some(g) = r.gateway {
        m.insert("gateway".into(), json!(g.to_string()));
    }
    if let (Some(d), None) = (r.dev.and_then(|d| n.dev(d)), f.dev) {
        m.insert("dev".into(), json!(d.name));
    }
    if r.proto != proto::BOOT && f.proto.is_none() {
        m.insert("protocol".into(), json!(proto_name(r.proto)));
    }
    if r.scope != Scope::Universe && f.scope.is_none() {
        m.insert("scope".into(), json!(r.scope.name()));
    }
    if let Some(p) = r.prefsrc {
        m.insert("prefsrc".into(), json!(p.to_string()));
    }
    if r.metric != 0 {
        m.insert("metric".into(), json!(r.metric));
    }
    let mut flags = Vec::new();
    if r.onlink {
        flags.push(json!("onlink"));
    }
    m.insert("flags".into(), Value::Array(flags));
    if let Some(mtu) = r.mtu {
        m.insert("metrics".into(), json!([{ "mtu": mtu }]));
    }
    let hops = r.nh.hops();
    if !hops.is_empty() {
        let v: Vec<Value> = hops
            .iter()
            .map(|h| {
                let mut o = Map::new();
                if let Some(g) = h.gateway {
                    o.insert("gateway".into(), json!(g.to_string()));
                }
                if let Some(d) = n.dev(h.dev) {
                    o.insert("dev".into(), json!(d.name));
                }
                o.insert("weight".into(), json!(h.weight));
                let st = c.m.world.nh_state(c.ns, h.dev);
                let mut fl = Vec::new();
                if st.dead {
                    fl.push(json!("dead"));
                }
                if h.onlink {
                    fl.push(json!("onlink"));
                }
                if st.linkdown {
                    fl.push(json!("linkdown"));
                }
                o.insert("flags".into(), Value::Array(fl));
                Value::Object(o)
            })
            .collect();
        m.insert("nexthops".into(), Value::Array(v));
    }
    Value::Object(m)
}

/// `ip -6 route show [table T|all]`: each table the dump visits, `table
/// T` on each line when all are listed (print_route() names the table
/// when the request did not).
fn list6(c: &mut Cmd, o: &Opts, f: &Filter) -> Res {
    let n = c.m.world.ns(c.ns);
    if f.table.is_some_and(|t| !n.table6_exists(t)) {
        return Err(Error::Terminated(NO_FIB6_TABLE, "Dump"));
    }
    let tables = match f.table {
        Some(t) => vec![t],
        None => n.tables6(),
    };
    let mut lines: Vec<(String, serde_json::Value)> = Vec::new();
    for t in tables {
        let named = (f.all_tables && t != RT_TABLE_MAIN).then(|| table_name(t));
        if t == RT_TABLE_LOCAL {
            lines.extend(show6_local(c, f.dev, f.dst6, named.as_deref(), None));
        } else {
            lines.extend(show6(c, o, t, f.dev, f.dst6, named.as_deref()));
        }
    }
    if o.json {
        let v: Vec<serde_json::Value> = lines.into_iter().map(|l| l.1).collect();
        c.print(&crate::json::render(&serde_json::Value::Array(v), o.pretty));
        c.print("\n");
        return Ok(());
    }
    let mut out = String::new();
    for l in lines {
        if o.oneline {
            out.push_str(&l.0.replace('\n', "\\"));
        } else {
            out.push_str(&l.0);
        }
        out.push('\n');
    }
    c.print(&out);
    Ok(())
}

/// The IPv6 local table: a host route per address (in key order, through the
/// address's own device, lo for ::1), then ff00::/8 on each link with IPv6.
fn show6_local(
    c: &Cmd,
    dev: Option<u32>,
    dst: Dst6,
    table: Option<&str>,
    vrf: Option<u32>,
) -> Vec<(String, serde_json::Value)> {
    use serde_json::json;
    let n = c.m.world.ns(c.ns);
    // The local table holds the routes of devices outside any VRF.
    let here = |i: u32| c.m.world.l3mdev_fib_table(c.ns, i) == vrf;
    let tstr = table.map(|t| format!(" table {t}")).unwrap_or_default();
    let j = |kind: &str, d: String, dn: &str, metric: u32| {
        let mut m = serde_json::Map::new();
        m.insert("type".into(), json!(kind));
        m.insert("dst".into(), json!(d));
        if dev.is_none() {
            m.insert("dev".into(), json!(dn));
        }
        if let Some(t) = table {
            m.insert("table".into(), json!(t));
        }
        m.insert("protocol".into(), json!("kernel"));
        m.insert("metric".into(), json!(metric));
        m.insert("flags".into(), json!([]));
        m.insert("pref".into(), json!("medium"));
        serde_json::Value::Object(m)
    };
    let mut locals: Vec<(u128, String, serde_json::Value)> = n
        .addrs6()
        .iter()
        .filter(|a| here(a.ifindex))
        .filter(|a| dev.is_none_or(|d| d == a.ifindex) && dst.keeps(u128::from(a.addr), 128))
        .map(|a| {
            let dn = n.dev(a.ifindex).map(|d| d.name.clone()).unwrap_or_default();
            let dstr = if dev.is_some() {
                String::new()
            } else {
                format!(" dev {dn}")
            };
            (
                u128::from(a.addr),
                format!(
                    "local {}{dstr}{tstr} proto kernel metric 0 pref medium",
                    a.addr
                ),
                j("local", a.addr.to_string(), &dn, 0),
            )
        })
        .collect();
    locals.sort_by_key(|l| l.0);
    let mut out: Vec<(String, serde_json::Value)> =
        locals.into_iter().map(|l| (l.1, l.2)).collect();
    let mut links: Vec<u32> = n
        .addrs6()
        .iter()
        .filter(|a| a.scope == Scope::Link && here(a.ifindex))
        .map(|a| a.ifindex)
        .collect();
    links.dedup();
    let ff00 = u128::from(std::net::Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0));
    for i in links
        .into_iter()
        .filter(|i| dev.is_none_or(|d| d == *i) && dst.keeps(ff00, 8))
    {
        let dn = n.dev(i).map(|d| d.name.clone()).unwrap_or_default();
        let dstr = if dev.is_some() {
            String::new()
        } else {
            format!(" dev {dn}")
        };
        out.push((
            format!("multicast ff00::/8{dstr}{tstr} proto kernel metric 256 pref medium"),
            j("multicast", "ff00::/8".into(), &dn, 256),
        ));
    }
    out
}

/// The IPv6 main table as the kernel derives it from addresses: a prefix
/// route per global address, fe80::/64 per link with a link-local address;
/// then the administrator's, ECMP siblings printed as one route with a
/// `nexthop` line each (rt6_fill_node's RTA_MULTIPATH). `dst`: the
/// prefix filter.
fn show6(
    c: &Cmd,
    o: &Opts,
    table: u32,
    dev: Option<u32>,
    dst: Dst6,
    named: Option<&str>,
) -> Vec<(String, serde_json::Value)> {
    use serde_json::{json, Map, Value};
    let ns = c.ns;
    let w = &c.m.world;
    let n = w.ns(ns);
    let details = o.details > 0;
    let dev_name = |i: u32| n.dev(i).map(|d| d.name.clone()).unwrap_or_default();
    let mut routes: Vec<(u128, u8, u32)> = Vec::new();
    let tstr = named.map(|t| format!(" table {t}")).unwrap_or_default();
    // The kernel's prefix routes are in main, a VRF slave's in its VRF's table.
    let vrf_of = |i: u32| c.m.world.l3mdev_fib_table(ns, i);
    for a in n
        .addrs6()
        .iter()
        .filter(|a| vrf_of(a.ifindex).unwrap_or(RT_TABLE_MAIN) == table)
    {
        if dev.is_some_and(|d| d != a.ifindex) || a.scope == Scope::Host {
            continue;
        }
        let len = if a.scope == Scope::Link {
            64
        } else {
            a.prefix_len
        };
        let bits = u128::from(a.addr);
        let net = if len == 0 {
            0
        } else {
            bits & (u128::MAX << (128 - len as u32))
        };
        if !routes.contains(&(net, len, a.ifindex)) {
            routes.push((net, len, a.ifindex));
        }
    }
    routes.sort();
    let dst_text = |net: std::net::Ipv6Addr, len: u8| {
        if len == 0 {
            "default".to_string()
        } else {
            format!("{net}/{len}")
        }
    };
    // (key address, prefix length, text without its newline, JSON)
    let mut lines: Vec<(u128, u8, String, Value)> = Vec::new();
    for (net, len, ifindex) in routes {
        let net6 = std::net::Ipv6Addr::from(net);
        let mut l = String::new();
        if details {
            l.push_str("unicast ");
        }
        l.push_str(&dst_text(net6, len));
        let mut j = Map::new();
        j.insert("dst".into(), json!(dst_text(net6, len)));
        if dev.is_none() {
            l.push_str(&format!(" dev {}", dev_name(ifindex)));
            j.insert("dev".into(), json!(dev_name(ifindex)));
        }
        l.push_str(&tstr);
        if let Some(t) = named {
            j.insert("table".into(), json!(t));
        }
        l.push_str(" proto kernel");
        j.insert("protocol".into(), json!("kernel"));
        if details {
            l.push_str(" scope global");
        }
        l.push_str(" metric 256 pref medium");
        j.insert("metric".into(), json!(256));
        j.insert("flags".into(), json!([]));
        j.insert("pref".into(), json!("medium"));
        lines.push((net, len, l, Value::Object(j)));
    }
    // Siblings: ECMP-qualified routes of one prefix and metric, in order.
    let mut groups: Vec<Vec<&vnet_core::netns::Route6>> = Vec::new();
    for r in n.routes6().iter().filter(|r| r.table == table) {
        match groups
            .iter_mut()
            .find(|g| r.qualifies_for_ecmp() && g[0].qualifies_for_ecmp() && g[0].same_key(r))
        {
            Some(g) => g.push(r),
            None => groups.push(vec![r]),
        }
    }
    for g in groups {
        let r = g[0];
        if g.len() == 1 && dev.is_some_and(|d| r.dev != Some(d)) || g.len() > 1 && dev.is_some() {
            continue;
        }
        let mut l = String::new();
        let mut j = Map::new();
        if r.rtype != RouteType::Unicast || details {
            l.push_str(r.rtype.name());
            l.push(' ');
        }
        if r.rtype != RouteType::Unicast {
            j.insert("type".into(), json!(r.rtype.name()));
        }
        l.push_str(&dst_text(r.dst, r.len));
        j.insert("dst".into(), json!(dst_text(r.dst, r.len)));
        if let Some(id) = r.nhid {
            l.push_str(&format!(" nhid {id}"));
            j.insert("nhid".into(), json!(id));
        }
        if g.len() == 1 {
            if let Some(gw) = r.gateway {
                l.push_str(&format!(" via {gw}"));
                j.insert("gateway".into(), json!(gw.to_string()));
            }
            // Error routes hang on lo (ip6_route_info_create's blackhole/reject).
            let rdev = if r.rtype == RouteType::Unicast {
                r.dev
            } else {
                Some(1)
            };
            if let (Some(d), None) = (rdev.and_then(|d| n.dev(d)), dev) {
                l.push_str(&format!(" dev {}", d.name));
                j.insert("dev".into(), json!(d.name));
            }
        }
        l.push_str(&tstr);
        if let Some(t) = named {
            j.insert("table".into(), json!(t));
        }
        if details {
            l.push_str(" proto boot scope global");
        }
        l.push_str(&format!(" metric {} pref medium", r.metric));
        j.insert("metric".into(), json!(r.metric));
        j.insert("flags".into(), json!([]));
        j.insert("pref".into(), json!("medium"));
        if g.len() > 1 {
            let mut hops = Vec::new();
            for h in &g {
                let mut o = Map::new();
                l.push_str("\n\tnexthop");
                if let Some(gw) = h.gateway {
                    l.push_str(&format!(" via {gw}"));
                    o.insert("gateway".into(), json!(gw.to_string()));
                }
                if let Some(d) = h.dev {
                    l.push_str(&format!(" dev {}", dev_name(d)));
                    o.insert("dev".into(), json!(dev_name(d)));
                }
                l.push_str(&format!(" weight {} ", h.weight));
                o.insert("weight".into(), json!(h.weight));
                let st = h.dev.map(|d| w.nh_state(ns, d));
                let mut fl = Vec::new();
                if st.is_some_and(|s| s.dead) {
                    l.push_str("dead ");
                    fl.push(json!("dead"));
                }
                if st.is_some_and(|s| s.linkdown) {
                    l.push_str("linkdown ");
                    fl.push(json!("linkdown"));
                }
                o.insert("flags".into(), Value::Array(fl));
                hops.push(Value::Object(o));
            }
            j.insert("nexthops".into(), Value::Array(hops));
        }
        lines.push((u128::from(r.dst), r.len, l, Value::Object(j)));
    }
    // A VRF's table also holds its slaves' local routes.
    if table != RT_TABLE_MAIN {
        for (l, j) in show6_local(c, dev, dst, named, Some(table)) {
            let key = l
                .split_whitespace()
                .nth(1)
                .and_then(|a| a.split('/').next())
                .and_then(|a| a.parse::<std::net::Ipv6Addr>().ok())
                .map_or(0, u128::from);
            let len = if l.starts_with("multicast") { 8 } else { 128 };
            lines.push((key, len, l, j));
        }
    }
    lines.retain(|x| dst.keeps(x.0, x.1));
    // fib6_walk() visits a node's subtree before the node itself: by
    // address, each prefix after the longer ones it contains (default last).
    lines.sort_by_key(|l| {
        let host = if l.1 >= 128 { 0 } else { u128::MAX >> l.1 };
        (l.0 | host, std::cmp::Reverse(l.1))
    });
    lines.into_iter().map(|l| (l.2, l.3)).collect()
}

/// `add`, `replace`, `append`, `prepend` (`how`), or `change` (None: replace
/// without create).
fn modify(c: &mut Cmd, o: &Opts, args: &[String], how: Option<RouteAdd>) -> Res {
    if o.family == Some(6) || args.iter().any(|a| a.contains(':')) {
        return modify6(c, args, how);
    }
    modify4(c, args, how)
}

/// `ip -6 route add`: static IPv6 routes, listed by `ip -6 route`.
/// An IPv6 route spec (`ip -6 route add|del ...`) and whether a metric was given.
fn parse6(c: &Cmd, args: &[String]) -> Res<(vnet_core::netns::Route6, bool)> {
    parse6_mp(c, args).map(|(r, m, _)| (r, m))
}

/// An IPv6 route spec, whether a metric was given, and its `nexthop`
/// clauses if any.
fn parse6_mp(
    c: &Cmd,
    args: &[String],
) -> Res<(vnet_core::netns::Route6, bool, Option<Vec<NhSpec>>)> {
    let mut hops = None;
    let ns = c.ns;
    let mut metric_given = false;
    let mut r = vnet_core::netns::Route6 {
        dst: std::net::Ipv6Addr::UNSPECIFIED,
        len: 0,
        gateway: None,
        dev: None,
        metric: 1024,
        rtype: RouteType::Unicast,
        weight: 1,
        nhid: None,
        table: RT_TABLE_MAIN,
    };
    let mut have_dst = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let val = args.get(i + 1).cloned().unwrap_or_default();
        if a == "nexthop" {
            hops = Some(parse_nexthops(c, &args[i + 1..], true)?);
            break;
        }
        match a {
            "via" => {
                match val.parse() {
                    Ok(g) => r.gateway = Some(g),
                    Err(_) => return Err(Error::expected("inet6 address", &val)),
                }
                i += 1;
            }
            "dev" => {
                match c.m.world.ns(ns).ifindex_of(&val) {
                    Some(x) => r.dev = Some(x),
                    None => return Err(Error::no_dev(&val)),
                }
                i += 1;
            }
            "metric" | "priority" => {
                r.metric = val.parse().unwrap_or(1024);
                metric_given = true;
                i += 1;
            }
            "vrf" => {
                r.table = super::vrf::check_name(c, &val)
                    .map_err(|_| Error::invarg("Invalid VRF\n", &val))?;
                i += 1;
            }
            "table" => {
                r.table = match parse_table(&val) {
                    // fib6_new_table(): id 0 is the main table.
                    Some(0) => RT_TABLE_MAIN,
                    Some(t) => t,
                    None => return Err(Error::invarg("\"table\" value is invalid\n", &val)),
                };
                i += 1;
            }
            "nhid" => {
                match crate::iptables::parse::parse_u32(&val) {
                    Some(id) => r.nhid = Some(id),
                    None => return Err(Error::invarg("\"id\" value is invalid\n", &val)),
                }
                i += 1;
            }
            _ => {
                let d = if let Some(t) = RouteType::parse(a) {
                    r.rtype = t;
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                } else {
                    a.to_string()
                };
                if d == "default" {
                    have_dst = true;
                    i += 1;
                    continue;
                }
                match crate::args::parse_prefix6(&d) {
                    Some((ad, l)) => {
                        r.dst = ad;
                        r.len = l;
                        have_dst = true;
                    }
                    None => return Err(Error::expected(ANY_PREFIX, &d)),
                }
            }
        }
        i += 1;
    }
    // iproute_modify(): no destination is usage().
    if !have_dst {
        return Err(Error::Usage(include_str!("route_usage.txt")));
    }
    Ok((r, metric_given, hops))
}

/// `ip -6 route del`: the first administrator's route with this prefix
/// and whatever else was given (ip6_route_del).
fn del6(c: &mut Cmd, args: &[String]) -> Res {
    let (r, metric_given) = parse6(c, args)?;
    let ns = c.ns;
    Ok(c.m.world.route6_del(ns, &r, metric_given)?)
}

fn modify6(c: &mut Cmd, args: &[String], how: Option<RouteAdd>) -> Res {
    let ns = c.ns;
    let (r, _, hops) = parse6_mp(c, args)?;
    let how = how.unwrap_or(RouteAdd::Replace);
    let Some(hops) = hops else {
        if let Some(id) = r.nhid {
            super::nexthop::nhid_simulated(c, id, true)?;
            return Ok(c.m.world.route6_add_nhid(ns, r, how)?);
        }
        return Ok(c.m.world.route6_add_how(ns, r, how)?);
    };
    let routes = hops
        .iter()
        .map(|h| vnet_core::netns::Route6 {
            gateway: h.gateway.and_then(|g| match g {
                std::net::IpAddr::V6(x) => Some(x),
                std::net::IpAddr::V4(_) => None,
            }),
            dev: h.dev,
            weight: h.weight,
            ..r.clone()
        })
        .collect();
    Ok(c.m.world.route6_add_multipath(ns, routes, how)?)
}

fn modify4(c: &mut Cmd, args: &[String], how: Option<RouteAdd>) -> Res {
    let s = parse_spec(c, args)?;
    let dst = s.dst.ok_or(Error::Usage(include_str!("route_usage.txt")))?;
    let table = s.table.unwrap_or(
        if s.rtype == RouteType::Local || s.rtype == RouteType::Broadcast {
            RT_TABLE_LOCAL
        } else {
            RT_TABLE_MAIN
        },
    );
    let scope = s.scope.unwrap_or(match s.rtype {
        RouteType::Local => Scope::Host,
        RouteType::Broadcast | RouteType::Multicast => Scope::Link,
        RouteType::Unicast if s.gateway.is_none() && s.nexthops.is_none() && s.nhid.is_none() => {
            Scope::Link
        }
        _ => Scope::Universe,
    });
    let mut gateway = s.gateway;
    let mut dev = s.dev;
    let mut onlink = s.onlink;
    let mut nh = Nexthops::Single;
    match s.nexthops.as_deref() {
        // One next hop is a plain route (fib_nhs == 1).
        Some([h]) => {
            gateway = h.gateway.and_then(v4);
            dev = h.dev;
            onlink = h.onlink;
        }
        Some(hops) => {
            nh = Nexthops::Multi(
                hops.iter()
                    .map(|h| FibNh {
                        gateway: h.gateway.and_then(v4),
                        dev: h.dev.unwrap_or(0),
                        weight: h.weight,
                        onlink: h.onlink,
                    })
                    .collect(),
            )
        }
        None => {}
    }
    let r = Route {
        table,
        dst,
        tos: s.tos.unwrap_or(0),
        rtype: s.rtype,
        proto: s.proto.unwrap_or(proto::BOOT),
        scope,
        metric: s.metric.unwrap_or(0),
        // RTA_GATEWAY 0.0.0.0 is no gateway (fc_gw4 == 0).
        gateway: gateway.filter(|g| !g.is_unspecified()),
        dev,
        prefsrc: s.prefsrc,
        onlink,
        mtu: s.mtu,
        nh,
        nhid: s.nhid,
    };
    if let Some(id) = s.nhid {
        super::nexthop::nhid_simulated(c, id, false)?;
    }
    Ok(match how {
        Some(how) => c.m.world.route_add(c.ns, r, how),
        None => c.m.world.route_change(c.ns, r),
    }?)
}

/// An IPv4 next hop's gateway (an IPv6 one is RTA_VIA, not simulated).
fn v4(a: std::net::IpAddr) -> Option<Ipv4Addr> {
    match a {
        std::net::IpAddr::V4(x) => Some(x),
        std::net::IpAddr::V6(_) => None,
    }
}

/// A table exists once a route went into it (fib_new_table); main and
/// local always do.
fn table_exists(c: &Cmd, t: u32) -> bool {
    t == RT_TABLE_MAIN || t == RT_TABLE_LOCAL || c.m.world.ns(c.ns).fib().table(t).is_some()
}

fn del(c: &mut Cmd, args: &[String]) -> Res {
    if args.is_empty() {
        return Err(Error::Usage(include_str!("route_usage.txt")));
    }
    let s = parse_spec(c, args)?;
    if s.table.is_some_and(|t| !table_exists(c, t)) {
        return Err(KernelError::ext(Errno::ENOENT, "FIB table does not exist").into());
    }
    let dst = s.dst.ok_or(Error::Usage(include_str!("route_usage.txt")))?;
    let m = RouteMatch {
        table: s.table.unwrap_or(
            if s.rtype == RouteType::Local || s.rtype == RouteType::Broadcast {
                RT_TABLE_LOCAL
            } else {
                RT_TABLE_MAIN
            },
        ),
        dst,
        tos: s.tos,
        metric: s.metric,
        rtype: if s.rtype == RouteType::Unicast {
            None
        } else {
            Some(s.rtype)
        },
        gateway: s.gateway,
        dev: s.dev,
        proto: s.proto,
        scope: s.scope,
        nexthops: s
            .nexthops
            .map(|v| v.iter().map(|h| (h.gateway.and_then(v4), h.dev)).collect()),
    };
    c.m.world
        .route_del(c.ns, &m)
        .map_err(|_| Errno::ESRCH.into())
}

fn get(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut dst = None;
    let mut oif = None;
    let mut src = None;
    let mut src6 = None;
    let mut iif = None;
    let mut mark = None;
    let mut fl = Flowi4::to(Ipv4Addr::UNSPECIFIED);
    let mut uid = None;
    let ns = c.ns;
    let mut i = 0;
    let mut warn = None;
    while i < args.len() {
        let a = args[i].as_str();
        let val = args.get(i + 1).cloned().unwrap_or_default();
        let keyword = [
            "oif", "dev", "from", "iif", "mark", "tos", "dsfield", "to", "vrf", "uid", "ipproto",
            "sport", "dport",
        ];
        if keyword.contains(&a) && i + 1 >= args.len() {
            return Err(Error::Incomplete);
        }
        // Once an address is read the family is known: get_prefix() then
        // asks for an "inet prefix".
        let known = if dst.is_some() || src.is_some() {
            "inet prefix"
        } else {
            "any valid prefix"
        };
        let mut take_dst = |s: &str| -> Res {
            if o.family == Some(6) || s.contains(':') {
                let a = s.parse().map_err(|_| Error::expected(ANY_PREFIX, s))?;
                dst = Some(Dst::V6(a));
                return Ok(());
            }
            match parse_prefix4(s) {
                Some((addr, len)) => {
                    if let Some(l) = len.filter(|l| *l != 32) {
                        warn = Some(l);
                    }
                    dst = Some(Dst::V4(addr));
                    Ok(())
                }
                None => Err(Error::expected(known, s)),
            }
        };
        match a {
            "oif" | "dev" => {
                match c.m.world.ns(ns).ifindex_of(&val) {
                    Some(x) => oif = Some(x),
                    None => return Err(Error::no_dev(&val)),
                }
                i += 1;
            }
            // The VRF as the output device (RTA_OIF).
            "vrf" => {
                super::vrf::check_name(c, &val)
                    .map_err(|_| Error::invarg("Invalid VRF\n", &val))?;
                oif = c.m.world.ns(ns).ifindex_of(&val);
                i += 1;
            }
            "from" if val.contains(':') => {
                match val.parse::<std::net::Ipv6Addr>() {
                    Ok(a) => src6 = Some(a),
                    Err(_) => return Err(Error::expected("inet6 address", &val)),
                }
                i += 1;
            }
            "from" => {
                match val.parse::<Ipv4Addr>() {
                    Ok(a) => src = Some(a),
                    Err(_) => return Err(Error::expected(known, &val)),
                }
                i += 1;
            }
            "iif" => {
                match c.m.world.ns(ns).ifindex_of(&val) {
                    Some(x) => iif = Some((x, val.clone())),
                    None => return Err(Error::no_dev(&val)),
                }
                i += 1;
            }
            "mark" => {
                match crate::iptables::parse::parse_u32(&val) {
                    Some(m) => mark = Some(m),
                    None => return Err(Error::invarg("invalid mark value", &val)),
                }
                i += 1;
            }
            "tos" | "dsfield" => {
                fl.tos = super::tunnel::dsfield_a2n(&val)
                    .ok_or_else(|| Error::invarg("TOS value is invalid\n", &val))?;
                i += 1;
            }
            "uid" => {
                let u = crate::iptables::parse::parse_u32(&val)
                    .ok_or_else(|| Error::invarg("invalid UID\n", &val))?;
                uid = Some(u);
                i += 1;
            }
            "ipproto" => {
                fl.proto = val
                    .parse::<u8>()
                    .ok()
                    .or_else(|| {
                        vnet_core::netfilter::names::PROTOCOLS
                            .iter()
                            .find(|(_, n)| *n == val)
                            .map(|(v, _)| *v)
                    })
                    .ok_or_else(|| Error::invarg("Invalid \"ipproto\" value\n", &val))?;
                i += 1;
            }
            "sport" | "dport" => {
                let p = crate::iptables::parse::parse_u32(&val)
                    .and_then(|v| u16::try_from(v).ok())
                    .ok_or_else(|| Error::invarg(&format!("invalid {a}\n"), &val))?;
                if a == "sport" {
                    fl.sport = p;
                } else {
                    fl.dport = p;
                }
                i += 1;
            }
            "to" => {
                take_dst(&val)?;
                i += 1;
            }
            _ => take_dst(a)?,
        }
        i += 1;
    }
    let dst = dst.ok_or_else(|| Error::Failed("need at least a destination address\n".into()))?;
    let dst = match dst {
        Dst::V4(d) => d,
        Dst::V6(d) => {
            let fl = vnet_core::flow::Flowi6 {
                saddr: src6.unwrap_or(std::net::Ipv6Addr::UNSPECIFIED),
                oif,
                iif: iif.as_ref().map(|x| x.0),
                mark: mark.unwrap_or(0),
                proto: fl.proto,
                sport: fl.sport,
                dport: fl.dport,
                uid: uid.unwrap_or(0),
                tclass: fl.tos,
                ..vnet_core::flow::Flowi6::to(d)
            };
            return get6(c, &fl, iif.map(|x| x.1));
        }
    };
    if let Some(l) = warn {
        c.eprint(&format!(
            "Warning: /{l} as prefix is invalid, only /32 (or none) is supported.\n"
        ));
    }
    // ip_route_output_key(): a zero destination means this host.
    let lookup = if dst.is_unspecified() {
        Ipv4Addr::LOCALHOST
    } else {
        dst
    };
    // With iif the kernel routes the packet as if it had arrived there.
    let base = match &iif {
        Some((x, _)) => Flowi4::input(lookup, src.unwrap_or(Ipv4Addr::UNSPECIFIED), *x),
        None => Flowi4::output(lookup, src, oif),
    };
    let fl = Flowi4 {
        tos: fl.tos,
        proto: fl.proto,
        sport: fl.sport,
        dport: fl.dport,
        uid: uid.unwrap_or(0),
        ..base.with_mark(mark.unwrap_or(0))
    };
    let res = match &iif {
        Some(_) => c.m.world.route_input(ns, &fl),
        None => c.m.world.route_output(ns, &fl),
    };
    let input = iif.is_some();
    // ip_route_output_key_hash_rcu(): a given source must be ours.
    if let (Some(s), false) = (src, input) {
        if s.is_multicast() || s.is_broadcast() || s.is_unspecified() {
            return Err(Errno::EINVAL.into());
        }
        if !c.m.world.ns(ns).is_local4(s) {
            return Err(Errno::ENETUNREACH.into());
        }
    }
    match res {
        Ok(rt) => {
            let n = c.m.world.ns(ns);
            let dn = n.dev(rt.dev).map(|d| d.name.clone()).unwrap_or_default();
            let mut line = String::new();
            let mut cache = Vec::new();
            match rt.rtype {
                RouteType::Local => {
                    line.push_str(&format!("local {dst}"));
                    cache.push("local");
                }
                RouteType::Broadcast => {
                    line.push_str(&format!("broadcast {dst}"));
                    cache.extend(["local", "brd"]);
                }
                _ => line.push_str(&dst.to_string()),
            }
            if let Some(s) = src {
                line.push_str(&format!(" from {s}"));
            }
            let via = (rt.nexthop != lookup).then_some(rt.nexthop);
            if let Some(v) = via {
                line.push_str(&format!(" via {v}"));
            }
            line.push_str(&format!(" dev {dn}"));
            // rtm_table: until a rule is added, the local table is merged
            // into main and its routes answer as main's.
            let table = match rt.table {
                vnet_core::ipv4::fib::RT_TABLE_LOCAL if !n.fib_has_custom_rules() => {
                    vnet_core::ipv4::fib::RT_TABLE_MAIN
                }
                t => t,
            };
            let table = (table != vnet_core::ipv4::fib::RT_TABLE_MAIN)
                .then(|| vnet_core::ipv4::route_text::table_name(table));
            if let Some(t) = &table {
                line.push_str(&format!(" table {t}"));
            }
            if src.is_none() && !input {
                line.push_str(&format!(" src {}", rt.src));
            }
            // A learnt path MTU (rt_bind_exception()): output routes only here.
            let fnhe = (!input && rt.rtype == RouteType::Unicast)
                .then(|| c.m.world.fnhe_lookup(ns, dst))
                .flatten();
            // print_route(): marks from 16 on in hex.
            match mark {
                Some(m) if m >= 16 => line.push_str(&format!(" mark 0x{m:x}")),
                Some(m) if m > 0 => line.push_str(&format!(" mark {m}")),
                _ => {}
            }
            // An input route has no socket behind it, hence no uid.
            if input {
                line.push(' ');
            } else {
                line.push_str(&format!(" uid {} ", fl.uid));
            }
            if o.json {
                use serde_json::json;
                let mut m = serde_json::Map::new();
                if rt.rtype != RouteType::Unicast {
                    m.insert("type".into(), json!(rt.rtype.name()));
                }
                m.insert("dst".into(), json!(dst.to_string()));
                if let Some(s) = src {
                    m.insert("from".into(), json!(s.to_string()));
                }
                if let Some(v) = via {
                    m.insert("gateway".into(), json!(v.to_string()));
                }
                m.insert("dev".into(), json!(dn));
                if let Some(t) = &table {
                    m.insert("table".into(), json!(t));
                }
                if src.is_none() && !input {
                    m.insert("prefsrc".into(), json!(rt.src.to_string()));
                }
                if let Some(mk) = mark {
                    m.insert("mark".into(), json!(mk));
                }
                m.insert("flags".into(), json!([]));
                if !input {
                    m.insert("uid".into(), json!(fl.uid));
                }
                m.insert("cache".into(), json!(cache));
                if let Some(e) = fnhe {
                    m.insert("expires".into(), json!(fnhe_expires_secs(&c.m.world, &e)));
                    m.insert("metrics".into(), json!([{ "mtu": e.mtu }]));
                }
                if let Some((_, name)) = &iif {
                    m.insert("iif".into(), json!(name));
                }
                c.print(&crate::json::render(
                    &serde_json::Value::Array(vec![serde_json::Value::Object(m)]),
                    o.pretty,
                ));
                c.print("\n");
                return Ok(());
            }
            let mut cache = match fnhe {
                Some(e) => fnhe_cache_line(&c.m.world, &e),
                None if cache.is_empty() => "    cache ".to_string(),
                None => format!("    cache <{}> ", cache.join(",")),
            };
            if let Some((_, name)) = &iif {
                cache.push_str(&format!("iif {name} "));
            }
            let sep = if o.oneline { "\\" } else { "\n" };
            c.print(&format!("{line}{sep}{cache}\n"));
            Ok(())
        }
        // The kernel's answer without its extended ack.
        Err(e) => Err(e.errno.into()),
    }
}

enum Dst {
    V4(Ipv4Addr),
    V6(std::net::Ipv6Addr),
}

/// `ip -6 route get`: what route6_output() decides (with `iif`, the
/// input route ip6_route_input_lookup() finds), printed as
/// inet6_rtm_getroute's answer (a learnt path MTU with its expiry).
fn get6(c: &mut Cmd, fl: &vnet_core::flow::Flowi6, iif: Option<String>) -> Res {
    let w = &c.m.world;
    let d = fl.daddr;
    let rt = match &iif {
        None => w.route6_output_fl(c.ns, fl)?,
        Some(_) => {
            let rt = w.fib6_rule_lookup(c.ns, fl)?;
            let rt = w.fib6_select_path(c.ns, rt, fl);
            vnet_core::ipv6::route::rt6_type_check(rt.rtype)?;
            vnet_core::ipv6::route::OutRoute6 {
                dev: rt.dev.ok_or(Errno::ENETUNREACH)?,
                src: fl.saddr,
                nexthop: rt.gateway.unwrap_or(d),
                rtype: rt.rtype,
                plen: rt.len,
                metric: rt.metric,
                kernel: rt.kernel,
                table: rt.table,
            }
        }
    };
    let n = w.ns(c.ns);
    let dev = n.dev(rt.dev).map(|x| x.name.clone()).unwrap_or_default();
    let from = fl.saddr;
    let table = match rt.table {
        RT_TABLE_MAIN => String::new(),
        t => format!(" table {}", table_name(t)),
    };
    let mut s = match rt.rtype {
        RouteType::Local => format!("local {d} from {from} dev {dev}{table}"),
        RouteType::Multicast => format!("multicast {d} from {from} dev {dev}{table}"),
        _ if rt.nexthop != d => format!("{d} from {from} via {} dev {dev}{table}", rt.nexthop),
        _ => format!("{d} from {from} dev {dev}{table}"),
    };
    if rt.kernel {
        s.push_str(" proto kernel");
    }
    // rt6_fill_node(): RTA_IIF for an input route, else the source.
    // ip6_route_get_saddr(): the source the route's device would choose,
    // whatever `from` said.
    if iif.is_none() {
        let src = match rt.rtype {
            RouteType::Unicast => w.ipv6_dev_get_saddr(c.ns, Some(rt.dev), d),
            _ => None,
        };
        s.push_str(&format!(" src {}", src.unwrap_or(rt.src)));
    }
    s.push_str(&format!(" metric {}", rt.metric));
    if let Some((mtu, until)) = n.pmtu6().get(&d).filter(|p| w.now() < p.1) {
        s.push_str(&format!(
            " expires {}sec mtu {mtu}",
            (until.0 - w.now().0) / 1_000_000_000
        ));
    }
    if let Some(i) = &iif {
        s.push_str(&format!(" iif {i}"));
    }
    s.push_str(" pref medium\n");
    c.print(&s);
    Ok(())
}

fn flush(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    if args.iter().any(|a| a == "cache") {
        // iproute_flush_cache() (net.ipv4.route.flush) unless -6, then
        // the IPv6 cloned routes unless -4.
        if o.family != Some(6) {
            c.m.world.rt_cache_flush(c.ns);
        }
        if o.family != Some(4) {
            c.m.world.rt6_flush_exceptions(c.ns);
        }
        return Ok(());
    }
    if o.family == Some(6) {
        return flush6(c, args);
    }
    let s = parse_spec(c, args)?;
    let table = s.table.unwrap_or(RT_TABLE_MAIN);
    if !table_exists(c, table) {
        return Err(Error::Terminated(NO_FIB_TABLE, "Flush"));
    }
    let dst = s.dst;
    c.m.world.route_flush(c.ns, table, |r| {
        s.dev.is_none_or(|d| r.dev == Some(d))
            && s.proto.is_none_or(|p| p == r.proto)
            && s.gateway.is_none_or(|g| r.gateway == Some(g))
            // A bare prefix selects exactly that prefix, as `ip route show` does.
            && dst.is_none_or(|p| p == r.dst)
    });
    Ok(())
}

/// `ip -6 route flush [table T] [dev D] [PREFIX]`: iproute2 deletes each
/// route the dump lists; vnet deletes the administrator's (the kernel's
/// prefix routes come back with their addresses).
fn flush6(c: &mut Cmd, args: &[String]) -> Res {
    let mut table = RT_TABLE_MAIN;
    let mut dev = None;
    let mut i = 0;
    while i < args.len() {
        let val = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "table" | "dev" if i + 1 >= args.len() => return Err(Error::Incomplete),
            "table" => {
                table = match parse_table(&val) {
                    Some(t) => t,
                    None => return Err(Error::invarg("table id value is invalid\n", &val)),
                };
                i += 1;
            }
            "dev" => {
                dev = Some(
                    c.m.world
                        .ns(c.ns)
                        .ifindex_of(&val)
                        .ok_or_else(|| Error::no_dev(&val))?,
                );
                i += 1;
            }
            a => return Err(Error::NotSimulated(format!("ip -6 route flush {a}"))),
        }
        i += 1;
    }
    if !c.m.world.ns(c.ns).table6_exists(table) {
        return Err(Error::Terminated(NO_FIB6_TABLE, "Flush"));
    }
    c.m.world.route6_flush(c.ns, |r| {
        r.table == table && dev.is_none_or(|d| r.dev == Some(d))
    });
    Ok(())
}

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return show(c, o, &[]);
    };
    let rest = &args[1..];
    if matches(cmd, "show") || matches(cmd, "list") || cmd == "lst" {
        show(c, o, rest)
    } else if cmd == "add" || matches(cmd, "add") && cmd.len() > 1 {
        modify(c, o, rest, Some(RouteAdd::Excl))
    } else if matches(cmd, "replace") {
        modify(c, o, rest, Some(RouteAdd::Replace))
    } else if matches(cmd, "change") || cmd == "chg" {
        modify(c, o, rest, None)
    } else if matches(cmd, "append") {
        modify(c, o, rest, Some(RouteAdd::Append))
    } else if matches(cmd, "prepend") {
        modify(c, o, rest, Some(RouteAdd::Prepend))
    } else if matches(cmd, "delete")
        && (o.family == Some(6) || rest.iter().any(|a| a.contains(':')))
    {
        del6(c, rest)
    } else if matches(cmd, "delete") {
        del(c, rest)
    } else if matches(cmd, "get") {
        get(c, o, rest)
    } else if matches(cmd, "flush") {
        flush(c, o, rest)
    } else if matches(cmd, "save") {
        list(c, o, rest, true)
    } else if matches(cmd, "restore") {
        restore(c)
    } else if matches(cmd, "showdump") {
        showdump(c)
    } else {
        Err(Error::UnknownCommand {
            obj: "route",
            cmd: cmd.clone(),
        })
    }
}

/// iproute_restore(): three passes over the file, as restore_handler()
/// orders them: routes without gateway (and without prefsrc, or the
/// default), then those with prefsrc, then those with a gateway. Each is
/// sent with NLM_F_CREATE alone; "File exists" is printed and passed over,
/// any other error ends the restore (exit 2).
fn restore(c: &mut Cmd) -> Res {
    use super::dump;
    let data = dump::input(c);
    if let Err(e) = dump::check_magic(&data, dump::ROUTE_MAGIC) {
        return Err(dump::fail(e, 1));
    }
    for pass in 0..3 {
        dump::each_msg(
            &data,
            |m| {
                let Some((r, gw, src)) = dump::parse_route4(&m) else {
                    return Ok(());
                };
                let mine = match pass {
                    0 => !gw && (!src || r.dst.len == 0),
                    1 => !gw && src,
                    _ => gw,
                };
                // A multipath route has no RTA_GATEWAY of its own.
                if !mine {
                    return Ok(());
                }
                match c.m.world.route_add(c.ns, r, RouteAdd::Prepend) {
                    Ok(()) => Ok(()),
                    Err(e) if e.errno == vnet_core::Errno::EEXIST => {
                        c.eprint(&Error::Kernel(e).to_string());
                        Ok(())
                    }
                    Err(e) => Err(Error::Status(Error::Kernel(e).to_string(), 2)),
                }
            },
            |e| dump::fail(e, 2),
        )?;
    }
    Ok(())
}

/// iproute_showdump(): the saved routes as `ip route show` prints them.
fn showdump(c: &mut Cmd) -> Res {
    use super::dump;
    let data = dump::input(c);
    if let Err(e) = dump::check_magic(&data, dump::ROUTE_MAGIC) {
        return Err(dump::fail(e, 1));
    }
    let f = Filter::default();
    dump::each_msg(
        &data,
        |m| {
            if let Some((r, _, _)) = dump::parse_route4(&m) {
                let s = format_route_f(c, &r, r.table != RT_TABLE_MAIN, &f, false);
                c.print(&s);
                c.print("\n");
            }
            Ok(())
        },
        |e| dump::fail(e, 1),
    )
}
