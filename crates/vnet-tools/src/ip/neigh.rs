//! `ip neigh`: show, flush, add, replace, del.

use super::{Error, Opts, Res};
use crate::args::matches;
use crate::Cmd;
use std::net::IpAddr;
use vnet_core::neigh::neighbour::NeighAdd;
use vnet_core::neigh::NudState;
use vnet_core::Mac;

fn parse_nud(s: &str) -> Option<Option<NudState>> {
    Some(Some(match s {
        "permanent" => NudState::Permanent,
        "noarp" => NudState::Noarp,
        "reachable" => NudState::Reachable,
        "stale" => NudState::Stale,
        "delay" => NudState::Delay,
        "probe" => NudState::Probe,
        "incomplete" => NudState::Incomplete,
        "failed" => NudState::Failed,
        "all" => return Some(None),
        _ => return None,
    }))
}

fn show(c: &mut Cmd, o: &Opts, args: &[String], flush: bool) -> Res {
    let ns = c.ns;
    let mut dev = None;
    let mut to = None;
    // Without `nud`, NOARP entries are not listed.
    let mut nud: Vec<Option<NudState>> = Vec::new();
    let mut proxy = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "dev" => {
                i += 1;
                let v = args.get(i).ok_or(Error::Incomplete)?.clone();
                match c.m.world.ns(ns).ifindex_of(&v) {
                    Some(x) => dev = Some(x),
                    None => return Err(Error::no_dev(&v)),
                }
            }
            "nud" => {
                i += 1;
                let v = args.get(i).ok_or(Error::Incomplete)?.clone();
                match parse_nud(&v) {
                    Some(n) => nud.push(n),
                    None => return Err(Error::invarg("nud state is bad", &v)),
                }
            }
            "proxy" => proxy = true,
            "all" => {}
            a => to = a.strip_prefix("to ").unwrap_or(a).parse::<IpAddr>().ok(),
        }
        i += 1;
    }
    if flush && args.is_empty() {
        return Err(Error::FlushNeedsArgs);
    }
    if proxy {
        return show_proxy(c, o, dev, to, flush);
    }
    if flush {
        // The flush's state filter: all but PERMANENT and NOARP, or the
        // states given (`nud all` is every state but NOARP).
        let doomed = |st: NudState| {
            if nud.is_empty() {
                !matches!(st, NudState::Noarp | NudState::Permanent)
            } else {
                nud.iter().any(|n| match n {
                    Some(x) => *x == st,
                    None => st != NudState::Noarp,
                })
            }
        };
        c.m.world.neigh_flush(ns, |i, a, e| {
            dev.is_none_or(|d| d == i) && to.is_none_or(|t| t == a) && doomed(e.state)
        });
        return Ok(());
    }
    let wanted = |st: NudState| {
        if st == NudState::None {
            // Shown only for `nud all` (filter state 0x100).
            nud.iter().any(|n| n.is_none())
        } else if nud.is_empty() {
            st != NudState::Noarp
        } else {
            nud.iter().any(|n| n.is_none_or(|x| x == st))
        }
    };
    let n = c.m.world.ns(ns);
    let mut out = String::new();
    let mut json = Vec::new();
    for (ifindex, ip, e) in n.neigh().iter() {
        if dev.is_some_and(|d| d != ifindex)
            || to.is_some_and(|t| t != ip)
            || !wanted(e.state)
            || o.family == Some(if ip.is_ipv6() { 4 } else { 6 })
        {
            continue;
        }
        let dn = n.dev(ifindex).map(|d| d.name.as_str()).unwrap_or("?");
        let shows_ll = e.state != NudState::Failed && e.state != NudState::Incomplete;
        if o.json {
            let mut m = serde_json::Map::new();
            m.insert("dst".into(), ip.to_string().into());
            if dev.is_none() {
                m.insert("dev".into(), dn.into());
            }
            if let (Some(mac), true) = (e.lladdr, shows_ll) {
                m.insert("lladdr".into(), mac.to_string().into());
            }
            m.insert("state".into(), serde_json::json!([e.state.name()]));
            json.push(serde_json::Value::Object(m));
            continue;
        }
        if o.brief {
            let ll = e
                .lladdr
                .filter(|_| shows_ll)
                .map(|m| m.to_string())
                .unwrap_or_default();
            out.push_str(&format!("{:<39} {:<16} {}\n", ip, dn, ll));
            continue;
        }
        let mut s = ip.to_string();
        if dev.is_none() {
            s.push_str(&format!(
                " dev {}",
                n.dev(ifindex).map(|d| d.name.as_str()).unwrap_or("?")
            ));
        }
        if let (Some(m), true) = (
            e.lladdr,
            e.state != NudState::Failed && e.state != NudState::Incomplete,
        ) {
            s.push_str(&format!(" lladdr {m}"));
        }
        if e.router {
            s.push_str(" router");
        }
        s.push_str(&format!(" {} \n", e.state.name()));
        out.push_str(&s);
    }
    // nd_tbl after arp_tbl: the NOARP entries for multicast groups.
    if wanted(NudState::Noarp) && o.family != Some(4) && to.is_none() && !o.json && !o.brief {
        for (ifindex, group, mac) in &n.neigh().nd_mcast {
            if dev.is_some_and(|d| d != *ifindex) {
                continue;
            }
            let mut s = group.to_string();
            if dev.is_none() {
                s.push_str(&format!(
                    " dev {}",
                    n.dev(*ifindex).map(|d| d.name.as_str()).unwrap_or("?")
                ));
            }
            s.push_str(&format!(" lladdr {mac} NOARP \n"));
            out.push_str(&s);
        }
    }
    if o.json {
        out = crate::json::render(&serde_json::Value::Array(json), o.pretty) + "\n";
    }
    c.print(&out);
    Ok(())
}

/// `ip neigh show|flush proxy` (the kernel's pneigh_dump_table(), and
/// one RTM_DELNEIGH with NTF_PROXY per entry for a flush).
fn show_proxy(c: &mut Cmd, o: &Opts, dev: Option<u32>, to: Option<IpAddr>, flush: bool) -> Res {
    let ns = c.ns;
    let n = c.m.world.ns(ns);
    let listed: Vec<vnet_core::neigh::pneigh::Pneigh> = n
        .neigh()
        .proxies
        .dump_order()
        .into_iter()
        .filter(|p| {
            // A dev filter leaves out the entries for every device.
            dev.is_none_or(|d| p.dev == Some(d))
                && to.is_none_or(|t| t == p.key)
                && o.family != Some(if p.key.is_ipv6() { 4 } else { 6 })
        })
        .cloned()
        .collect();
    if flush {
        for p in listed {
            // Each entry was just listed, so it is there to delete.
            c.m.world.pneigh_del(ns, p.key, p.dev).ok();
        }
        return Ok(());
    }
    let mut out = String::new();
    let mut json = Vec::new();
    for p in &listed {
        let dn = p
            .dev
            .filter(|_| dev.is_none())
            .and_then(|i| n.dev(i))
            .map(|d| d.name.clone());
        if o.json {
            let mut m = serde_json::Map::new();
            m.insert("dst".into(), p.key.to_string().into());
            if let Some(d) = &dn {
                m.insert("dev".into(), d.as_str().into());
            }
            if p.router {
                m.insert("router".into(), serde_json::Value::Null);
            }
            m.insert("proxy".into(), serde_json::Value::Null);
            json.push(serde_json::Value::Object(m));
            continue;
        }
        out.push_str(&p.key.to_string());
        if let Some(d) = &dn {
            out.push_str(&format!(" dev {d}"));
        }
        if p.router {
            out.push_str(" router");
        }
        out.push_str(" proxy \n");
    }
    if o.json {
        out = crate::json::render(&serde_json::Value::Array(json), o.pretty) + "\n";
    }
    c.print(&out);
    Ok(())
}

fn modify(c: &mut Cmd, args: &[String], op: &str) -> Res {
    let ns = c.ns;
    let (mut ip, mut dev, mut mac, mut state) = (None, None, None, NudState::Permanent);
    // NTF_PROXY (`proxy ADDR`) and NTF_ROUTER.
    let (mut proxy, mut router) = (false, false);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "router" {
            router = true;
            i += 1;
            continue;
        }
        let takes = ["dev", "lladdr", "nud", "to", "proxy"].contains(&a);
        let val = if takes {
            i += 1;
            args.get(i).ok_or(Error::Incomplete)?.clone()
        } else {
            String::new()
        };
        match a {
            "dev" => match c.m.world.ns(ns).ifindex_of(&val) {
                Some(x) => dev = Some(x),
                None => return Err(Error::no_dev(&val)),
            },
            "lladdr" => mac = Some(Mac::parse(&val).ok_or(Error::InvalidLladdr(val))?),
            "nud" => {
                state = match parse_nud(&val) {
                    Some(Some(s)) => s,
                    _ => return Err(Error::invarg("nud state is bad", &val)),
                };
            }
            _ if ip.is_some() => return Err(Error::garbage("to", a)),
            _ => {
                proxy |= a == "proxy";
                let v = if a == "to" || a == "proxy" {
                    val.as_str()
                } else {
                    a
                };
                match v.parse::<IpAddr>() {
                    Ok(x) => ip = Some(x),
                    Err(_) => return Err(Error::expected("any valid address", v)),
                }
            }
        }
        i += 1;
    }
    if let (true, Some(ip)) = (proxy, ip) {
        return match op {
            "del" => Ok(c.m.world.pneigh_del(ns, ip, dev)?),
            _ => {
                c.m.world.pneigh_add(ns, ip, dev, router)?;
                Ok(())
            }
        };
    }
    let (Some(ip), Some(dev)) = (ip, dev) else {
        return Err(Error::Fatal(
            "Device and destination are required arguments.\n".into(),
        ));
    };
    match op {
        "del" => c.m.world.neigh_del(ns, dev, ip)?,
        _ => {
            let how = match op {
                "add" => NeighAdd::Add,
                "change" => NeighAdd::Change,
                _ => NeighAdd::Replace,
            };
            c.m.world.neigh_add(ns, dev, ip, mac, state, how)?
        }
    }
    Ok(())
}

/// `ip neigh get ADDR dev DEV` (ipneigh_get, RTM_GETNEIGH): the entry as
/// a listing prints it.
fn get(c: &mut Cmd, args: &[String]) -> Res {
    let (mut dev, mut dst) = (None, None);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "dev" => {
                i += 1;
                dev = Some(args.get(i).ok_or(Error::Incomplete)?.clone());
            }
            "proxy" => return Err(Error::NotSimulated("ip neigh get proxy".into())),
            _ => {
                let v = if a == "to" {
                    i += 1;
                    args.get(i).ok_or(Error::Incomplete)?.as_str()
                } else {
                    a
                };
                match v.parse::<IpAddr>() {
                    Ok(x) => dst = Some(x),
                    Err(_) => return Err(Error::expected("any valid address", v)),
                }
            }
        }
        i += 1;
    }
    let (Some(dev), Some(dst)) = (dev, dst) else {
        return Err(Error::Failed(
            "Device and address are required arguments.\n".into(),
        ));
    };
    let n = c.m.world.ns(c.ns);
    let Some(ifindex) = n.ifindex_of(&dev) else {
        return Err(Error::Failed(format!("Cannot find device \"{dev}\"\n")));
    };
    let Some(e) = n.neigh().get(ifindex, dst) else {
        return Err(vnet_core::KernelError::ext(
            vnet_core::Errno::ENOENT,
            "Neighbour entry not found",
        )
        .into());
    };
    let mut s = format!("{dst} dev {dev}");
    if let (Some(m), true) = (e.lladdr, e.state.valid()) {
        s.push_str(&format!(" lladdr {m}"));
    }
    if e.router {
        s.push_str(" router");
    }
    s.push_str(&format!(" {} \n", e.state.name()));
    c.print(&s);
    Ok(())
}

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return show(c, o, &[], false);
    };
    let rest = &args[1..];
    if matches(cmd, "show") || matches(cmd, "list") {
        show(c, o, rest, false)
    } else if matches(cmd, "flush") {
        show(c, o, rest, true)
    } else if matches(cmd, "add") {
        modify(c, rest, "add")
    } else if matches(cmd, "replace") {
        modify(c, rest, "replace")
    } else if matches(cmd, "change") {
        modify(c, rest, "change")
    } else if matches(cmd, "delete") {
        modify(c, rest, "del")
    } else if matches(cmd, "get") {
        get(c, rest)
    } else {
        Err(Error::UnknownCommand {
            obj: "neigh",
            cmd: cmd.clone(),
        })
    }
}
