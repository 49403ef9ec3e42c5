//! arp (net-tools 2.10): the neighbour table as /proc/net/arp shows it.
//! Listing (`arp`, `-n`, `-a`, `-e`, `-i IF`), `-s IP HW [temp]` and `-d IP`
//! (SIOCSARP / SIOCDARP).

use crate::Cmd;
use std::net::{IpAddr, Ipv4Addr};
use vnet_core::flow::Flowi4;
use vnet_core::neigh::neighbour::NeighAdd;
use vnet_core::neigh::NudState;
use vnet_core::Mac;

/// The device SIOCSARP/SIOCDARP pick without -i: the on-link route's
/// (ip_route_output with RTO_ONLINK), else ENETUNREACH.
fn arp_dev(c: &mut Cmd, ip: Ipv4Addr, iface: Option<&str>) -> Result<u32, vnet_core::Errno> {
    let ns = c.ns;
    if let Some(i) = iface {
        return c
            .m
            .world
            .ns(ns)
            .ifindex_of(i)
            .ok_or(vnet_core::Errno::ENODEV);
    }
    match c.m.world.route_output(ns, &Flowi4::output(ip, None, None)) {
        Ok(rt) if rt.nexthop == ip => Ok(rt.dev),
        _ => Err(vnet_core::Errno::ENETUNREACH),
    }
}

/// arp_set(): a permanent (or with `temp`, stale) entry.
fn set(c: &mut Cmd, args: &[String], iface: Option<&str>) -> i32 {
    let Some(host) = args.first() else {
        c.eprint("arp: need host name\n");
        return 255;
    };
    let Some(hw) = args.get(1) else {
        c.eprint("arp: need hardware address\n");
        return 255;
    };
    let Ok(ip) = host.parse::<Ipv4Addr>() else {
        c.eprint(&format!("{host}: Unknown host\n"));
        return 255;
    };
    let Some(mac) = Mac::parse(hw) else {
        c.eprint("arp: invalid hardware address\n");
        return 255;
    };
    let temp = args[2..].iter().any(|a| a == "temp");
    let dev = match arp_dev(c, ip, iface) {
        Ok(d) => d,
        Err(e) => {
            c.eprint(&format!("SIOCSARP: {}\n", e.strerror()));
            return 255;
        }
    };
    let ns = c.ns;
    let state = if temp {
        NudState::Stale
    } else {
        NudState::Permanent
    };
    let _ =
        c.m.world
            .neigh_add(ns, dev, ip.into(), Some(mac), state, NeighAdd::Replace);
    0
}

/// arp_del(): the entry goes (arp_invalidate); none is ENXIO.
fn del(c: &mut Cmd, args: &[String], iface: Option<&str>) -> i32 {
    let Some(host) = args.first() else {
        c.eprint("arp: need host name\n");
        return 255;
    };
    let Ok(ip) = host.parse::<Ipv4Addr>() else {
        c.eprint(&format!("{host}: Unknown host\n"));
        return 255;
    };
    let ns = c.ns;
    let found = arp_dev(c, ip, iface).ok().filter(|d| {
        c.m.world
            .ns(ns)
            .neigh()
            .get(*d, ip)
            .is_some_and(|e| e.state != NudState::None)
    });
    if let Some(d) = found {
        let _ = c.m.world.neigh_del(ns, d, ip.into());
    }
    if found.is_none() {
        c.print(&format!("No ARP entry for {host}\n"));
        return 255;
    }
    0
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let mut bsd = false;
    let mut iface: Option<String> = None;
    let mut host: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-s" | "--set" => return set(c, &args[i + 1..], iface.as_deref()),
            "-d" | "--delete" => return del(c, &args[i + 1..], iface.as_deref()),
            "-n" | "--numeric" | "-e" | "-v" => {}
            "-a" | "--all" => bsd = true,
            "-an" | "-na" => bsd = true,
            "-i" | "--device" => {
                i += 1;
                iface = args.get(i).cloned();
            }
            a if a.starts_with('-') => {
                c.eprint(&format!(
                    "arp: invalid option -- '{}'\n",
                    a.trim_start_matches('-')
                ));
                return 255;
            }
            a => host = Some(a.to_string()),
        }
        i += 1;
    }
    // arp_show(host): only that address's entry.
    let host = match host {
        Some(h) => match h.parse::<Ipv4Addr>() {
            Ok(ip) => Some((h, ip)),
            Err(_) => {
                c.eprint(&format!("{h}: Unknown host\n"));
                return 255;
            }
        },
        None => None,
    };
    let n = c.m.world.ns(c.ns);
    let total = n
        .neigh()
        .iter()
        .filter(|(_, ip, e)| ip.is_ipv4() && !matches!(e.state, NudState::Noarp | NudState::None))
        .count();
    // /proc/net/arp walks the hash table (arp_tbl only); entries come out
    // oldest first here.
    let mut entries: Vec<_> = n.neigh().iter().filter(|(_, ip, _)| ip.is_ipv4()).collect();
    entries.reverse();
    let rows: Vec<(String, Option<String>, bool, String)> = entries
        .into_iter()
        .filter(|(_, _, e)| !matches!(e.state, NudState::Noarp | NudState::None))
        .filter(|(ifx, ip, _)| {
            iface
                .as_ref()
                .is_none_or(|f| n.dev(*ifx).is_some_and(|d| &d.name == f))
                && host.as_ref().is_none_or(|(_, h)| *ip == IpAddr::V4(*h))
        })
        .map(|(ifx, ip, e)| {
            let mac = e.lladdr.filter(|_| e.state.valid()).map(|m| m.to_string());
            let dev = n.dev(ifx).map(|d| d.name.clone()).unwrap_or_default();
            (ip.to_string(), mac, e.state == NudState::Permanent, dev)
        })
        .collect();
    let mut out = String::new();
    if rows.is_empty() {
        if let Some((name, ip)) = &host {
            out.push_str(&format!("{name} ({ip}) -- no entry\n"));
        } else if iface.is_some() {
            out.push_str(&format!("arp: in {total} entries no match found.\n"));
        }
    }
    if bsd {
        for (ip, mac, perm, dev) in rows {
            match mac {
                Some(m) => out.push_str(&format!(
                    "? ({ip}) at {m} [ether] {}on {dev}\n",
                    if perm { "PERM " } else { "" }
                )),
                None => out.push_str(&format!("? ({ip}) at <incomplete> on {dev}\n")),
            }
        }
    } else if !rows.is_empty() {
        out.push_str(
            "Address                  HWtype  HWaddress           Flags Mask            Iface\n",
        );
        for (ip, mac, perm, dev) in rows {
            match mac {
                Some(m) => out.push_str(&format!(
                    "{ip:<25}{:<8}{m:<20}{:<6}{:<16}{dev}\n",
                    "ether",
                    if perm { "CM" } else { "C" },
                    ""
                )),
                None => out.push_str(&format!(
                    "{ip:<25}{:<8}{:<20}{:<6}{:<16}{dev}\n",
                    "", "(incomplete)", "", ""
                )),
            }
        }
    }
    c.print(&out);
    0
}
