//! `ip link add NAME type vxlan ...` (iproute2 6.1 ip/iplink_vxlan.c) and
//! what `ip -d link` prints for a vxlan device. Messages and the order of
//! the printed attributes were recorded from the real tools.

use super::{Error, Res};
use crate::Cmd;
use std::net::Ipv4Addr;
use vnet_core::dev::Device;
use vnet_core::tunnel::vxlan::{Vxlan, VxlanConfig};
use vnet_core::wire::vxlan::{LINUX_DEFAULT_PORT, VNI_MAX};
use vnet_core::{Errno, KernelError, Mac, World};

const USAGE: &str = "Usage: ... vxlan id VNI
\t\t[ { group | remote } IP_ADDRESS ]
\t\t[ local ADDR ]
\t\t[ ttl TTL ]
\t\t[ tos TOS ]
\t\t[ df DF ]
\t\t[ flowlabel LABEL ]
\t\t[ dev PHYS_DEV ]
\t\t[ dstport PORT ]
\t\t[ srcport MIN MAX ]
\t\t[ [no]learning ]
\t\t[ [no]proxy ]
\t\t[ [no]rsc ]
\t\t[ [no]l2miss ]
\t\t[ [no]l3miss ]
\t\t[ ageing SECONDS ]
\t\t[ maxaddress NUMBER ]
\t\t[ [no]udpcsum ]
\t\t[ [no]udp6zerocsumtx ]
\t\t[ [no]udp6zerocsumrx ]
\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]
\t\t[ [no]external ] [ gbp ] [ gpe ]
\t\t[ [no]vnifilter ]

Where:\tVNI\t:= 0-16777215
\tADDR\t:= { IP_ADDRESS | any }
\tTOS\t:= { NUMBER | inherit }
\tTTL\t:= { 1..255 | auto | inherit }
\tDF\t:= { unset | set | inherit }
\tLABEL := 0-1048575
";

const NO_DSTPORT: &str = "vxlan: destination port not specified
Will use Linux kernel default (non-standard value)
Use 'dstport 4789' to get the IANA assigned value
Use 'dstport 0' to get default and quiet this message
";

/// get_u32()/get_u16(): decimal, 0x hex or 0 octal.
fn get_num(s: &str) -> Option<u64> {
    crate::args::get_unsigned(s, u64::MAX)
}

/// vxlan_parse_opt() and the kernel's vxlan_newlink().
pub fn link_add(
    c: &mut Cmd,
    name: &str,
    args: &[String],
    mtu: Option<u32>,
    mac: Option<Mac>,
) -> Res {
    let mut cfg = VxlanConfig::default();
    let mut vni = None;
    let mut group = None;
    let mut remote = None;
    let mut dstport = None;
    let mut external = false;
    let mut label = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let mut next = || -> Res<String> {
            i += 1;
            args.get(i).cloned().ok_or(Error::Incomplete)
        };
        match a {
            "id" | "vni" => {
                let v = next()?;
                match get_num(&v).filter(|n| *n <= VNI_MAX as u64) {
                    Some(n) => vni = Some(n as u32),
                    None => return Err(Error::invarg("invalid id", &v)),
                }
            }
            "group" | "remote" => {
                let v = next()?;
                let ip: Option<Ipv4Addr> = v.parse().ok();
                let ok = ip.is_some_and(|ip| ip.is_multicast() == (a == "group"));
                if !ok {
                    let what = if a == "group" {
                        "invalid group address"
                    } else {
                        "invalid remote address"
                    };
                    return Err(Error::invarg(what, &v));
                }
                if a == "group" {
                    group = ip;
                } else {
                    remote = ip;
                }
            }
            "local" => {
                let v = next()?;
                if v != "any" {
                    match v.parse::<Ipv4Addr>() {
                        Ok(ip) => cfg.local = Some(ip),
                        Err(_) => return Err(Error::invarg("invalid local address", &v)),
                    }
                }
            }
            "dev" => {
                let v = next()?;
                // exit(nodev(...)): 255.
                match c.m.world.ns(c.ns).ifindex_of(&v) {
                    Some(idx) => cfg.link = idx,
                    None => return Err(Error::no_dev(&v).fatal()),
                }
            }
            "ttl" | "hoplimit" => {
                let v = next()?;
                match v.as_str() {
                    "inherit" => cfg.ttl_inherit = true,
                    "auto" => cfg.ttl = 0,
                    _ => match get_num(&v) {
                        Some(n) if n > 255 => return Err(Error::invarg("TTL must be <= 255", &v)),
                        Some(n) => cfg.ttl = n as u8,
                        None => return Err(Error::invarg("invalid TTL", &v)),
                    },
                }
            }
            "tos" | "dsfield" => {
                let v = next()?;
                if v == "inherit" {
                    cfg.tos = 1;
                } else {
                    match super::tunnel::dsfield_a2n(&v) {
                        Some(t) => cfg.tos = t,
                        None => return Err(Error::invarg("bad TOS value", &v)),
                    }
                }
            }
            "df" => {
                let v = next()?;
                cfg.df = match v.as_str() {
                    "unset" => 0,
                    "set" => 1,
                    "inherit" => 2,
                    _ => return Err(Error::invarg("df must be 'unset', 'set' or 'inherit'", &v)),
                };
            }
            "flowlabel" => {
                let v = next()?;
                match get_num(&v).filter(|n| *n <= 0xfffff) {
                    Some(_) => label = true,
                    None => return Err(Error::invarg("invalid flowlabel", &v)),
                }
            }
            // vxlan_parse_opt() takes these two by matches(): any prefix.
            _ if crate::args::matches(a, "ageing") => {
                let v = next()?;
                match get_num(&v).filter(|n| *n <= u32::MAX as u64) {
                    Some(n) => cfg.ageing = n as u32,
                    None => return Err(Error::invarg("ageing timer", &v)),
                }
            }
            _ if crate::args::matches(a, "maxaddress") => {
                let v = next()?;
                if v == "unlimited" {
                    cfg.maxaddr = 0;
                } else {
                    match get_num(&v).filter(|n| *n <= u32::MAX as u64) {
                        Some(n) => cfg.maxaddr = n as u32,
                        None => return Err(Error::invarg("max addresses", &v)),
                    }
                }
            }
            "port" | "srcport" => {
                let lo = next()?;
                let Some(l) = get_num(&lo).filter(|n| *n <= 0xffff) else {
                    return Err(Error::invarg("min port", &lo));
                };
                let hi = next()?;
                let Some(h) = get_num(&hi).filter(|n| *n <= 0xffff) else {
                    return Err(Error::invarg("max port", &hi));
                };
                cfg.port_min = l as u16;
                cfg.port_max = h as u16;
            }
            "dstport" => {
                let v = next()?;
                match get_num(&v).filter(|n| *n <= 0xffff) {
                    Some(n) => dstport = Some(n as u16),
                    None => return Err(Error::invarg("dst port", &v)),
                }
            }
            "learning" | "nolearning" => cfg.learning = a == "learning",
            "proxy" | "noproxy" => cfg.proxy = a == "proxy",
            "rsc" | "norsc" => cfg.rsc = a == "rsc",
            "l2miss" | "nol2miss" => cfg.l2miss = a == "l2miss",
            "l3miss" | "nol3miss" => cfg.l3miss = a == "l3miss",
            "udpcsum" | "noudpcsum" => cfg.udpcsum = a == "udpcsum",
            "udp6zerocsumtx" | "noudp6zerocsumtx" => cfg.udp6zerocsumtx = a == "udp6zerocsumtx",
            "udp6zerocsumrx" | "noudp6zerocsumrx" => cfg.udp6zerocsumrx = a == "udp6zerocsumrx",
            "external" => external = true,
            "noexternal" => external = false,
            "remcsumtx" | "noremcsumtx" | "remcsumrx" | "noremcsumrx" | "gbp" | "gpe"
            | "vnifilter" | "novnifilter" => return Err(unsupported(a)),
            "help" => return Err(Error::Usage(USAGE)),
            _ => {
                return Err(Error::Failed(format!(
                    "vxlan: unknown command \"{a}\"?\n{USAGE}"
                )))
            }
        }
        i += 1;
    }
    let failed = |m: &str| Err(Error::Failed(format!("vxlan: {m}\n")));
    if external && vni.is_some() {
        return failed("both 'external' and vni cannot be specified");
    }
    if external {
        return Err(unsupported("external"));
    }
    let Some(vni) = vni else {
        return failed("missing virtual network identifier");
    };
    if group.is_some() && remote.is_some() {
        return failed("both group and remote cannot be specified");
    }
    if group.is_some() && cfg.link == 0 {
        return failed("'group' requires 'dev' to be specified");
    }
    match dstport {
        None => c.eprint(NO_DSTPORT),
        Some(0) => {}
        Some(p) => cfg.dstport = p,
    }
    if dstport.is_none() || dstport == Some(0) {
        cfg.dstport = LINUX_DEFAULT_PORT;
    }
    cfg.vni = vni;
    cfg.remote = group.or(remote);
    if label && c.m.world.ns(c.ns).dev_by_name(name).is_none() {
        return Err(KernelError::ext(
            Errno::EINVAL,
            "Label attribute only applies to IPv6 VXLAN devices",
        )
        .into());
    }
    crate::modules::request_module(c, "vxlan");
    let ns = c.ns;
    c.m.world.vxlan_newlink(ns, name, cfg, mac, mtu)?;
    Ok(())
}

/// An option iproute2 knows that vnet's vxlan does not (exit 1).
fn unsupported(what: &str) -> Error {
    Error::Failed(format!("vxlan: \"{what}\" is not supported by vnet\n"))
}

/// The `vxlan ...` line of `ip -d link` (vxlan_print_opt()).
pub fn details(w: &World, viewer: vnet_core::NsId, d: &Device, v: &Vxlan) -> String {
    let c = &v.cfg;
    let mut s = format!("\n    vxlan id {} ", c.vni);
    if let Some(ip) = c.remote {
        let what = if ip.is_multicast() { "group" } else { "remote" };
        s.push_str(&format!("{what} {ip} "));
    }
    if let Some(ip) = c.local {
        s.push_str(&format!("local {ip} "));
    }
    if c.link != 0 {
        if let Some(l) = w.ns(v.net).dev(c.link) {
            s.push_str(&format!("dev {} ", l.name));
        }
    }
    let _ = (viewer, d);
    s.push_str(&format!(
        "srcport {} {} dstport {} ",
        c.port_min, c.port_max, c.dstport
    ));
    if !c.learning {
        s.push_str("nolearning ");
    }
    for (on, word) in [
        (c.proxy, "proxy"),
        (c.rsc, "rsc"),
        (c.l2miss, "l2miss"),
        (c.l3miss, "l3miss"),
    ] {
        if on {
            s.push_str(word);
            s.push(' ');
        }
    }
    match c.tos {
        0 => {}
        1 => s.push_str("tos inherit "),
        t => s.push_str(&format!("tos {t:#x} ")),
    }
    if c.ttl_inherit {
        s.push_str("ttl inherit ");
    } else if c.ttl == 0 {
        s.push_str("ttl auto ");
    } else {
        s.push_str(&format!("ttl {} ", c.ttl));
    }
    match c.df {
        1 => s.push_str("df set "),
        2 => s.push_str("df inherit "),
        _ => {}
    }
    s.push_str(&format!("ageing {} ", c.ageing));
    if c.maxaddr != 0 {
        s.push_str(&format!("maxaddr {} ", c.maxaddr));
    }
    let no = |b: bool| if b { "" } else { "no" };
    s.push_str(&format!(
        "{}udpcsum {}udp6zerocsumtx {}udp6zerocsumrx ",
        no(c.udpcsum),
        no(c.udp6zerocsumtx),
        no(c.udp6zerocsumrx)
    ));
    s
}

/// The vxlan's `info_data` of `ip -j -d link` (vxlan_print_opt() in a
/// JSON context: `learning`, `ttl`, `df` and the checksum flags always,
/// as booleans or numbers; the rest only when set).
pub fn json(w: &World, v: &Vxlan) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::json;
    let c = &v.cfg;
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, x: serde_json::Value| {
        m.insert(k.to_string(), x);
    };
    put("id", json!(c.vni));
    if let Some(ip) = c.remote {
        let what = if ip.is_multicast() { "group" } else { "remote" };
        put(what, json!(ip.to_string()));
    }
    if let Some(ip) = c.local {
        put("local", json!(ip.to_string()));
    }
    if let Some(l) = w.ns(v.net).dev(c.link).filter(|_| c.link != 0) {
        put("link", json!(l.name));
    }
    put("port_range", json!({"low": c.port_min, "high": c.port_max}));
    put("port", json!(c.dstport));
    put("learning", json!(c.learning));
    for (on, word) in [
        (c.proxy, "proxy"),
        (c.rsc, "rsc"),
        (c.l2miss, "l2miss"),
        (c.l3miss, "l3miss"),
    ] {
        if on {
            put(word, json!(true));
        }
    }
    // print_0xhex(): `%#llx` (1 is `inherit`, sent as 1).
    if c.tos != 0 {
        put("tos", json!(format!("{:#x}", c.tos)));
    }
    // `ttl inherit` is printed to the terminal only (PRINT_FP).
    if !c.ttl_inherit {
        put("ttl", json!(c.ttl));
    }
    put(
        "df",
        json!(match c.df {
            1 => "set",
            2 => "inherit",
            _ => "unset",
        }),
    );
    put("ageing", json!(c.ageing));
    if c.maxaddr != 0 {
        put("limit", json!(c.maxaddr));
    }
    put("udp_csum", json!(c.udpcsum));
    put("udp_zero_csum6_tx", json!(c.udp6zerocsumtx));
    put("udp_zero_csum6_rx", json!(c.udp6zerocsumrx));
    m
}
