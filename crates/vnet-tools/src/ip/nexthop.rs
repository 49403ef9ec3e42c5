//! `ip nexthop`: add, replace, del, show/list, get, flush, and `bucket
//! show|get` of resilient groups, as iproute2 6.1's ipnexthop.c parses
//! and prints them (the objects live in vnet-core's ipv4/nexthop.rs).

use super::{Error, Opts, Res};
use crate::args::matches;
use crate::Cmd;
use serde_json::{json, Map, Value};
use std::net::IpAddr;
use vnet_core::ipv4::nexthop::{clock_t_of, Nexthop, NhConfig, NhGrpEntry, NhKind};
use vnet_core::ipv4::route_text::{proto_name, PROTOS};
use vnet_core::{Errno, KernelError};

const USAGE: &str = "Usage: ip nexthop { list | flush } [ protocol ID ] SELECTOR
       ip nexthop { add | replace } id ID NH [ protocol ID ]
       ip nexthop { get | del } id ID
       ip nexthop bucket list BUCKET_SELECTOR
       ip nexthop bucket get id ID index INDEX
SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ]
            [ groups ] [ fdb ]
BUCKET_SELECTOR := SELECTOR | [ nhid ID ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ]
        [ encap ENCAPTYPE ENCAPHDR ] |
        group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ]
TYPE := { mpath | resilient }
TYPE_ARGS := [ RESILIENT_ARGS ]
RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ]
                  [ unbalanced_timer UNBALANCED ]
ENCAPTYPE := [ mpls ]
ENCAPHDR := [ MPLSLABEL ]
";

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return list(c, o, &[], false);
    };
    let m = |w: &str| matches(cmd, w);
    let rest = &args[1..];
    if m("add") {
        modify(c, o, rest, false)
    } else if m("replace") {
        modify(c, o, rest, true)
    } else if m("delete") {
        delete(c, o, rest)
    } else if m("list") || m("show") || m("lst") {
        list(c, o, rest, false)
    } else if m("get") {
        get(c, o, rest)
    } else if m("flush") {
        list(c, o, rest, true)
    } else if m("bucket") {
        bucket(c, o, rest)
    } else if m("help") {
        Err(Error::Usage(USAGE))
    } else {
        Err(Error::Fatal(format!(
            "Command \"{cmd}\" is unknown, try \"ip nexthop help\".\n"
        )))
    }
}

/// ipnh_parse_id(): get_unsigned() with base 0.
fn parse_id(s: &str) -> Res<u32> {
    crate::iptables::parse::parse_u32(s).ok_or_else(|| Error::invarg("invalid id value", s))
}

fn dev_index(c: &Cmd, name: &str) -> Res<u32> {
    c.m.world
        .ns(c.ns)
        .ifindex_of(name)
        .ok_or_else(|| Error::invarg("Device does not exist\n", name))
}

/// add_nh_group_attr(): `ID[,WEIGHT]/...`; None where iproute2 fails the
/// whole value (`"group" value is invalid`), an error for a bad weight.
fn parse_group(s: &str) -> Res<Option<Vec<NhGrpEntry>>> {
    if s.is_empty() {
        return Ok(None);
    }
    let mut v = Vec::new();
    for part in s.split('/') {
        let (id, w) = match part.split_once(',') {
            Some((i, w)) => (i, Some(w)),
            None => (part, None),
        };
        let Some(id) = crate::iptables::parse::parse_u32(id) else {
            return Ok(None);
        };
        let weight = match w {
            None => 1,
            Some(w) => match crate::iptables::parse::parse_u32(w) {
                Some(x) if (1..=256).contains(&x) => x as u16,
                _ => return Err(Error::invarg("\"weight\" is invalid\n", w)),
            },
        };
        v.push(NhGrpEntry { id, weight });
    }
    Ok(Some(v))
}

/// NEXT_ARG(): the value after `args[i]`, or "Command line is not complete".
fn next(args: &[String], i: &mut usize) -> Res<String> {
    *i += 1;
    args.get(*i).cloned().ok_or(Error::Incomplete)
}

/// ipnh_modify() for `add` (`replace`: NLM_F_REPLACE).
fn modify(c: &mut Cmd, o: &Opts, args: &[String], replace: bool) -> Res {
    let mut cfg = NhConfig {
        replace,
        family_v6: match o.family {
            Some(4) => Some(false),
            Some(6) => Some(true),
            _ => None,
        },
        ..Default::default()
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "id" => cfg.id = parse_id(&next(args, &mut i)?)?,
            "dev" => {
                cfg.dev = Some(dev_index(c, &next(args, &mut i)?)?);
                cfg.family_v6.get_or_insert(false);
            }
            "via" => {
                let mut v = next(args, &mut i)?;
                let fam = match v.as_str() {
                    "inet" => Some(false),
                    "inet6" => Some(true),
                    _ => None,
                };
                if fam.is_some() {
                    v = next(args, &mut i)?;
                }
                let fam = fam.or(cfg.family_v6);
                let addr: Option<IpAddr> = match fam {
                    Some(false) => v.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
                    Some(true) => v.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6),
                    None => v.parse().ok(),
                };
                let Some(addr) = addr else {
                    return Err(Error::expected(
                        match fam {
                            Some(false) => "inet address",
                            Some(true) => "inet6 address",
                            None => "??? address",
                        },
                        &v,
                    ));
                };
                let v6 = addr.is_ipv6();
                match cfg.family_v6 {
                    None => cfg.family_v6 = Some(v6),
                    Some(f) if f != v6 => {
                        return Err(Error::invarg("address family mismatch\n", &v))
                    }
                    Some(_) => {}
                }
                cfg.gateway = Some(addr);
            }
            "encap" => return Err(Error::NotSimulated("ip nexthop encap".into())),
            "blackhole" => {
                cfg.blackhole = true;
                cfg.family_v6.get_or_insert(false);
            }
            "fdb" => cfg.fdb = true,
            "onlink" => cfg.onlink = true,
            "group" => {
                let v = next(args, &mut i)?;
                match parse_group(&v)? {
                    Some(g) => cfg.group = Some(g),
                    None => return Err(Error::invarg("\"group\" value is invalid\n", &v)),
                }
            }
            "type" => {
                let v = next(args, &mut i)?;
                match v.as_str() {
                    "mpath" => cfg.resilient = false,
                    "resilient" => {
                        cfg.resilient = true;
                        // parse_nh_group_type_res(): its arguments, until
                        // one that is not.
                        while i + 1 < args.len() {
                            let k = args[i + 1].as_str();
                            if !matches!(k, "buckets" | "idle_timer" | "unbalanced_timer") {
                                break;
                            }
                            i += 1;
                            let val = next(args, &mut i)?;
                            match k {
                                "buckets" => match crate::iptables::parse::parse_u32(&val) {
                                    Some(b) if b <= 0xffff => cfg.buckets = Some(b as u16),
                                    _ => return Err(Error::invarg("invalid buckets value", &val)),
                                },
                                _ => {
                                    let t = crate::iptables::parse::parse_u32(&val)
                                        .filter(|t| *t < u32::MAX / 100);
                                    let Some(t) = t else {
                                        let what = if k == "idle_timer" {
                                            "invalid idle timer value"
                                        } else {
                                            "invalid unbalanced timer value"
                                        };
                                        return Err(Error::invarg(what, &val));
                                    };
                                    if k == "idle_timer" {
                                        cfg.idle_timer = Some(t * 100);
                                    } else {
                                        cfg.unbalanced_timer = Some(t * 100);
                                    }
                                }
                            }
                        }
                    }
                    _ => return Err(Error::invarg("\"type\" value is invalid\n", &v)),
                }
            }
            _ if matches(a, "protocol") => {
                let v = next(args, &mut i)?;
                cfg.protocol = PROTOS
                    .iter()
                    .find(|(_, n)| *n == v)
                    .map(|(p, _)| *p)
                    .or_else(|| v.parse().ok())
                    .ok_or_else(|| Error::invarg("\"protocol\" value is invalid\n", &v))?;
            }
            "help" => return Err(Error::Usage(USAGE)),
            _ => return Err(Error::invarg("", a)),
        }
        i += 1;
    }
    let ns = c.ns;
    c.m.world.nexthop_add(ns, &cfg)?;
    Ok(())
}

/// `ip nexthop del id N` (ipnh_modify with RTM_DELNEXTHOP).
fn delete(c: &mut Cmd, _o: &Opts, args: &[String]) -> Res {
    let mut id = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "id" => id = Some(parse_id(&next(args, &mut i)?)?),
            "dev" => {
                dev_index(c, &next(args, &mut i)?)?;
            }
            "help" => return Err(Error::Usage(USAGE)),
            _ => {}
        }
        i += 1;
    }
    let id = id.ok_or(KernelError::ext(Errno::EINVAL, "Nexthop id is missing"))?;
    let ns = c.ns;
    c.m.world.nexthop_del(ns, id)?;
    Ok(())
}

/// The dump filter (nh_dump_filter on iproute2's side, nh_dump_filtered on
/// the kernel's).
#[derive(Default)]
struct Filter {
    dev: Option<u32>,
    groups: bool,
    master: Option<u32>,
    fdb: bool,
    proto: Option<u8>,
    /// -4/-6: single next hops of that family only.
    v6: Option<bool>,
}

impl Filter {
    fn keeps(&self, nh: &Nexthop, w: &vnet_core::World, ns: vnet_core::NsId) -> bool {
        if self.proto.is_some_and(|p| p != nh.protocol) {
            return false;
        }
        let info = match &nh.kind {
            NhKind::Group(g) => {
                return (!self.fdb || g.fdb)
                    && self.dev.is_none()
                    && self.master.is_none()
                    && self.v6.is_none()
            }
            NhKind::Single(i) => i,
        };
        if self.groups || self.fdb && !info.fdb {
            return false;
        }
        if self.v6.is_some_and(|v6| v6 != info.v6) {
            return false;
        }
        if self.dev.is_some_and(|d| info.dev != Some(d)) {
            return false;
        }
        if let Some(m) = self.master {
            let master = info
                .dev
                .and_then(|d| w.ns(ns).dev(d))
                .and_then(|d| d.master);
            if master != Some(m) {
                return false;
            }
        }
        true
    }
}

/// ipnh_list_flush(): the selector, then a dump (or a flush).
fn list(c: &mut Cmd, o: &Opts, args: &[String], flush: bool) -> Res {
    let mut f = Filter {
        v6: match o.family {
            Some(4) => Some(false),
            Some(6) => Some(true),
            _ => None,
        },
        ..Default::default()
    };
    let all = args.is_empty();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let m = |w: &str| matches(a, w);
        if m("dev") {
            f.dev = Some(dev_index(c, &next(args, &mut i)?)?);
        } else if m("groups") {
            f.groups = true;
        } else if m("master") {
            f.master = Some(dev_index(c, &next(args, &mut i)?)?);
        } else if m("vrf") {
            let v = next(args, &mut i)?;
            return Err(Error::invarg("Invalid VRF\n", &v));
        } else if a == "id" {
            let id = parse_id(&next(args, &mut i)?)?;
            return if flush {
                flush_id(c, id)
            } else {
                get_id(c, o, id)
            };
        } else if m("protocol") {
            let v = next(args, &mut i)?;
            match crate::iptables::parse::parse_u32(&v) {
                Some(p) => f.proto = Some(p as u8),
                None => return Err(Error::invarg("invalid protocol value", &v)),
            }
        } else if m("fdb") {
            f.fdb = true;
        } else if m("help") {
            return Err(Error::Usage(USAGE));
        } else {
            return Err(Error::invarg("", a));
        }
        i += 1;
    }
    let ns = c.ns;
    if flush {
        return flush_all(c, &mut f, all);
    }
    let w = &c.m.world;
    let shown: Vec<&Nexthop> = w
        .nexthops(ns)
        .iter()
        .filter(|n| f.keeps(n, w, ns))
        .collect();
    let out = if o.json {
        let v: Vec<Value> = shown.iter().map(|n| nh_json(c, n, o)).collect();
        crate::json::render(&Value::Array(v), o.pretty) + "\n"
    } else {
        shown.iter().map(|n| nh_text(c, n, o) + "\n").collect()
    };
    c.print(&out);
    Ok(())
}

/// ipnh_flush(): with no selector, the groups go first, then the rest.
fn flush_all(c: &mut Cmd, f: &mut Filter, all: bool) -> Res {
    let ns = c.ns;
    let mut flushed = 0;
    let mut passes = vec![];
    if all {
        passes.push(true);
    }
    passes.push(false);
    let mut errs = String::new();
    for groups in passes {
        f.groups = groups;
        let w = &c.m.world;
        let ids: Vec<u32> = w
            .nexthops(ns)
            .iter()
            .filter(|n| f.keeps(n, w, ns))
            .map(|n| n.id)
            .collect();
        for id in ids {
            match c.m.world.nexthop_del(ns, id) {
                Ok(()) => flushed += 1,
                Err(e) => errs.push_str(&Error::Kernel(e).to_string()),
            }
        }
    }
    c.eprint(&errs);
    if flushed == 0 {
        c.print("Nothing to flush\n");
    } else {
        c.print(&format!("Flushed {flushed} nexthops\n"));
    }
    Ok(())
}

/// `ip nexthop flush id N`: one delete; a failure exits 1.
fn flush_id(c: &mut Cmd, id: u32) -> Res {
    let ns = c.ns;
    c.m.world
        .nexthop_del(ns, id)
        .map_err(|e| Error::Status(Error::Kernel(e).to_string(), 1))
}

/// `ip nexthop get id N` (and `show id N`).
fn get(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut id = 0;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "id" {
            id = parse_id(&next(args, &mut i)?)?;
        } else {
            return Err(Error::Usage(USAGE));
        }
        i += 1;
    }
    if id == 0 {
        return Err(Error::Usage(USAGE));
    }
    get_id(c, o, id)
}

fn get_id(c: &mut Cmd, o: &Opts, id: u32) -> Res {
    if id == 0 {
        return Err(KernelError::ext(Errno::EINVAL, "Invalid nexthop id").into());
    }
    let ns = c.ns;
    let nh = c.m.world.nexthops(ns).get(id).ok_or(Errno::ENOENT)?;
    let out = if o.json {
        crate::json::render(&Value::Array(vec![nh_json(c, nh, o)]), o.pretty) + "\n"
    } else {
        nh_text(c, nh, o) + "\n"
    };
    c.print(&out);
    Ok(())
}

/// print_tv()'s "%g" of a clock_t value (hundredths of a second).
fn clock_g(t: u64) -> String {
    let v = t as f64 / 100.0;
    if v == 0.0 {
        return "0".into();
    }
    let exp = v.log10().floor() as i32;
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if exp >= 6 {
        let m = v / 10f64.powi(exp);
        return format!("{}e+{exp:02}", trim(format!("{m:.5}")));
    }
    trim(format!("{:.*}", (5 - exp).max(0) as usize, v))
}

/// A clock_t value as JSON prints it (%g: an integer when whole).
fn clock_json(t: u64) -> Value {
    if t.is_multiple_of(100) {
        json!(t / 100)
    } else {
        json!(t as f64 / 100.0)
    }
}

fn dev_name(c: &Cmd, d: u32) -> String {
    c.m.world
        .ns(c.ns)
        .dev(d)
        .map(|d| d.name.clone())
        .unwrap_or_else(|| d.to_string())
}

/// `ip -d route`'s `nh_info`: the object as `ip -d nexthop` shows it,
/// without its trailing space.
pub(super) fn info_text(c: &Cmd, id: u32) -> Option<String> {
    let nh = c.m.world.nexthops(c.ns).get(id)?;
    let o = Opts {
        details: 1,
        ..Default::default()
    };
    Some(nh_text(c, nh, &o).trim_end().to_string())
}

/// Routes through objects vnet cannot show as the kernel does: an IPv4
/// route through an IPv6 gateway (RTA_VIA), an IPv6 route through a group
/// of several (its next hops as RTA_MULTIPATH). Unknown ids pass: the
/// kernel's refusal follows.
pub(super) fn nhid_simulated(c: &Cmd, id: u32, v6_route: bool) -> Res {
    let t = c.m.world.nexthops(c.ns);
    let Some(nh) = t.get(id) else {
        return Ok(());
    };
    let members: Vec<u32> = match &nh.kind {
        NhKind::Single(_) => vec![id],
        NhKind::Group(g) => g.members.iter().map(|m| m.id).collect(),
    };
    let v6_gw = members.iter().any(|m| {
        matches!(t.get(*m).map(|x| &x.kind),
            Some(NhKind::Single(i)) if matches!(i.gateway, Some(IpAddr::V6(_))))
    });
    if !v6_route && v6_gw {
        return Err(Error::NotSimulated(
            "ip route nhid through an IPv6 next hop".into(),
        ));
    }
    if v6_route && members.len() > 1 {
        return Err(Error::NotSimulated("ip -6 route nhid of a group".into()));
    }
    Ok(())
}

/// __print_nexthop_entry() as text (without the newline).
fn nh_text(c: &Cmd, nh: &Nexthop, o: &Opts) -> String {
    let mut s = format!("id {} ", nh.id);
    let (scope, flags) = match &nh.kind {
        NhKind::Group(g) => {
            s.push_str("group ");
            let parts: Vec<String> = g
                .members
                .iter()
                .map(|m| match m.weight {
                    1 => m.id.to_string(),
                    w => format!("{},{w}", m.id),
                })
                .collect();
            s.push_str(&parts.join("/"));
            s.push(' ');
            if let Some(r) = &g.res {
                s.push_str(&format!(
                    "type resilient buckets {} idle_timer {} unbalanced_timer {} unbalanced_time 0 ",
                    r.buckets.len(),
                    clock_g(u64::from(r.idle_timer)),
                    clock_g(u64::from(r.unbalanced_timer)),
                ));
            }
            (vnet_core::addr::Scope::Universe, false)
        }
        NhKind::Single(i) => {
            if !i.blackhole {
                if let Some(g) = i.gateway {
                    s.push_str(&format!("via {g} "));
                }
                if let Some(d) = i.dev {
                    s.push_str(&format!("dev {} ", dev_name(c, d)));
                }
            }
            (i.scope, i.onlink)
        }
    };
    if scope != vnet_core::addr::Scope::Universe || o.details > 0 {
        s.push_str(&format!("scope {} ", scope.name()));
    }
    let (blackhole, fdb) = match &nh.kind {
        NhKind::Single(i) => (i.blackhole, i.fdb),
        NhKind::Group(g) => (false, g.fdb),
    };
    if blackhole {
        s.push_str("blackhole ");
    }
    if nh.protocol != 0 || o.details > 0 {
        s.push_str(&format!("proto {} ", proto_name(nh.protocol)));
    }
    if flags {
        s.push_str("onlink ");
    }
    if fdb {
        s.push_str("fdb");
    }
    s
}

/// __print_nexthop_entry() in JSON: the keys in iproute2's order.
fn nh_json(c: &Cmd, nh: &Nexthop, o: &Opts) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(nh.id));
    let (scope, onlink, blackhole, fdb) = match &nh.kind {
        NhKind::Group(g) => {
            let v: Vec<Value> = g
                .members
                .iter()
                .map(|e| {
                    let mut x = Map::new();
                    x.insert("id".into(), json!(e.id));
                    if e.weight != 1 {
                        x.insert("weight".into(), json!(e.weight));
                    }
                    Value::Object(x)
                })
                .collect();
            m.insert("group".into(), Value::Array(v));
            if let Some(r) = &g.res {
                m.insert("type".into(), json!("resilient"));
                m.insert(
                    "resilient_args".into(),
                    json!({
                        "buckets": r.buckets.len(),
                        "idle_timer": clock_json(u64::from(r.idle_timer)),
                        "unbalanced_timer": clock_json(u64::from(r.unbalanced_timer)),
                        "unbalanced_time": 0,
                    }),
                );
            }
            (vnet_core::addr::Scope::Universe, false, false, g.fdb)
        }
        NhKind::Single(i) => {
            if !i.blackhole {
                if let Some(g) = i.gateway {
                    m.insert("gateway".into(), json!(g.to_string()));
                }
                if let Some(d) = i.dev {
                    m.insert("dev".into(), json!(dev_name(c, d)));
                }
            }
            (i.scope, i.onlink, i.blackhole, i.fdb)
        }
    };
    if scope != vnet_core::addr::Scope::Universe || o.details > 0 {
        m.insert("scope".into(), json!(scope.name()));
    }
    if blackhole {
        m.insert("blackhole".into(), Value::Null);
    }
    if nh.protocol != 0 || o.details > 0 {
        m.insert("protocol".into(), json!(proto_name(nh.protocol)));
    }
    let flags: Vec<Value> = if onlink {
        vec![json!("onlink")]
    } else {
        vec![]
    };
    m.insert("flags".into(), Value::Array(flags));
    if fdb {
        m.insert("fdb".into(), Value::Null);
    }
    Value::Object(m)
}

/// `ip nexthop bucket { show | get }`.
fn bucket(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return bucket_list(c, o, &[]);
    };
    let m = |w: &str| matches(cmd, w);
    if m("list") || m("show") || m("lst") {
        bucket_list(c, o, &args[1..])
    } else if m("get") {
        bucket_get(c, o, &args[1..])
    } else if m("help") {
        Err(Error::Usage(USAGE))
    } else {
        Err(Error::Fatal(format!(
            "Command \"{cmd}\" is unknown, try \"ip nexthop help\".\n"
        )))
    }
}

/// nexthop_find_group_resilient(): the errors of a bucket request.
fn resilient_group<'a>(c: &'a Cmd, id: u32) -> Result<&'a Nexthop, KernelError> {
    let nh =
        c.m.world
            .nexthops(c.ns)
            .get(id)
            .ok_or(KernelError::new(Errno::ENOENT))?;
    match &nh.kind {
        NhKind::Single(_) => Err(KernelError::ext(Errno::EINVAL, "Not a nexthop group")),
        NhKind::Group(g) if g.res.is_none() => Err(KernelError::ext(
            Errno::EINVAL,
            "Nexthop group not of type resilient",
        )),
        NhKind::Group(_) => Ok(nh),
    }
}

/// One bucket line (print_nexthop_bucket), text or JSON.
fn bucket_entry(
    c: &Cmd,
    id: u32,
    index: usize,
    nhid: u32,
    used: vnet_core::Time,
    json: bool,
) -> Result<String, Value> {
    let idle = clock_t_of(c.m.world.now().saturating_sub(used));
    if json {
        return Err(json!({
            "id": id,
            "bucket": { "index": index, "idle_time": clock_json(idle), "nhid": nhid },
            "flags": [],
        }));
    }
    Ok(format!(
        "id {id} index {index} idle_time {} nhid {nhid} \n",
        clock_g(idle)
    ))
}

fn bucket_list(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut f = Filter::default();
    let mut id = None;
    let mut nhid = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let m = |w: &str| matches(a, w);
        if m("dev") {
            f.dev = Some(dev_index(c, &next(args, &mut i)?)?);
        } else if m("master") {
            f.master = Some(dev_index(c, &next(args, &mut i)?)?);
        } else if m("vrf") {
            let v = next(args, &mut i)?;
            return Err(Error::invarg("Invalid VRF\n", &v));
        } else if a == "id" {
            id = Some(parse_id(&next(args, &mut i)?)?);
        } else if a == "nhid" {
            nhid = Some(parse_id(&next(args, &mut i)?)?);
        } else if m("help") {
            return Err(Error::Usage(USAGE));
        } else {
            return Err(Error::invarg("", a));
        }
        i += 1;
    }
    let dump_err = |e: KernelError| {
        // rtnl_dump_done(): the extack, or nothing for ENOENT; then
        // ipnh_bucket_list's own line.
        let msg = match e.extack {
            Some(m) => format!("Error: {m}.\n"),
            None => String::new(),
        };
        Error::Status(msg + "Dump terminated\n", 2)
    };
    if id == Some(0) || nhid == Some(0) {
        return Err(dump_err(KernelError::ext(
            Errno::EINVAL,
            "Invalid nexthop id",
        )));
    }
    let ns = c.ns;
    let groups: Vec<&Nexthop> = match id {
        Some(id) => vec![resilient_group(c, id).map_err(dump_err)?],
        None => c.m.world.nexthops(ns).iter().collect(),
    };
    let w = &c.m.world;
    let t = w.nexthops(ns);
    let mut text = String::new();
    let mut js = Vec::new();
    for g in groups {
        let NhKind::Group(grp) = &g.kind else {
            continue;
        };
        let Some(res) = &grp.res else { continue };
        for (index, b) in res.buckets.iter().enumerate() {
            let Some(member) = b.nh.and_then(|m| t.get(m)) else {
                continue;
            };
            if !f.keeps(member, w, ns) || nhid.is_some_and(|n| n != member.id) {
                continue;
            }
            match bucket_entry(c, g.id, index, member.id, b.used_time, o.json) {
                Ok(l) => text.push_str(&l),
                Err(v) => js.push(v),
            }
        }
    }
    if o.json {
        text = crate::json::render(&Value::Array(js), o.pretty) + "\n";
    }
    c.print(&text);
    Ok(())
}

fn bucket_get(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut id = 0;
    let mut index = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "id" => id = parse_id(&next(args, &mut i)?)?,
            "index" => {
                let v = next(args, &mut i)?;
                match crate::iptables::parse::parse_u32(&v).filter(|x| *x <= 0xffff) {
                    Some(x) => index = Some(x as usize),
                    None => return Err(Error::invarg("invalid bucket index value", &v)),
                }
            }
            _ => return Err(Error::Usage(USAGE)),
        }
        i += 1;
    }
    let Some(index) = index.filter(|_| id != 0) else {
        return Err(Error::Usage(USAGE));
    };
    let g = resilient_group(c, id)?;
    let NhKind::Group(grp) = &g.kind else {
        return Ok(());
    };
    let res = grp.res.as_ref().expect("resilient");
    let b = res.buckets.get(index).ok_or(KernelError::ext(
        Errno::ENOENT,
        "Bucket index out of bounds",
    ))?;
    let nhid = b.nh.unwrap_or(0);
    let out = match bucket_entry(c, id, index, nhid, b.used_time, o.json) {
        Ok(l) => l,
        Err(v) => crate::json::render(&Value::Array(vec![v]), o.pretty) + "\n",
    };
    c.print(&out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// print_tv's %g: whole seconds bare, hundredths without trailing zeros.
    #[test]
    fn clock_values_print_as_g() {
        assert_eq!(clock_g(0), "0");
        assert_eq!(clock_g(36), "0.36");
        assert_eq!(clock_g(6000), "60");
        assert_eq!(clock_g(121), "1.21");
        assert_eq!(clock_g(150), "1.5");
        assert_eq!(clock_g(1_234_567), "12345.7");
    }

    #[test]
    fn groups_parse_as_add_nh_group_attr() {
        let g = parse_group("1,3/2").unwrap().unwrap();
        assert_eq!(
            g,
            [
                NhGrpEntry { id: 1, weight: 3 },
                NhGrpEntry { id: 2, weight: 1 }
            ]
        );
        assert!(parse_group("").unwrap().is_none());
        assert!(parse_group("1/").unwrap().is_none());
        assert!(parse_group("x").unwrap().is_none());
        assert!(parse_group("1,0").is_err());
        assert!(parse_group("1,257").is_err());
    }
}
