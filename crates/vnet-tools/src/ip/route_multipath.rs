//! `ip route ... nexthop via A dev D weight W onlink nexthop ...`: the
//! RTA_MULTIPATH syntax of iproute2's parse_nexthops()/parse_one_nh(),
//! for IPv4 and IPv6 routes alike.

use super::{Error, Res};
use crate::Cmd;
use std::net::IpAddr;

/// One `nexthop` clause as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NhSpec {
    pub gateway: Option<IpAddr>,
    pub dev: Option<u32>,
    /// 1..=256 (rtnh_hops + 1).
    pub weight: u16,
    pub onlink: bool,
}

/// parse_nexthops(): `args` starts after the first `nexthop` keyword and
/// runs to the end of the line (iproute2 reads nothing else after it).
pub fn parse_nexthops(c: &Cmd, args: &[String], v6: bool) -> Res<Vec<NhSpec>> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        if i >= args.len() {
            return Err(Error::Fatal(
                "Error: unexpected end of line after \"nexthop\"\n".into(),
            ));
        }
        let mut nh = NhSpec {
            gateway: None,
            dev: None,
            weight: 1,
            onlink: false,
        };
        while i < args.len() {
            let a = args[i].as_str();
            let takes = matches!(a, "via" | "dev" | "weight" | "realms" | "encap" | "as");
            if takes && i + 1 >= args.len() {
                return Err(Error::Incomplete);
            }
            let val = args.get(i + 1).map_or("", |s| s.as_str());
            match a {
                "via" => {
                    let g: Option<IpAddr> = if v6 {
                        val.parse::<std::net::Ipv6Addr>().ok().map(Into::into)
                    } else {
                        val.parse::<std::net::Ipv4Addr>().ok().map(Into::into)
                    };
                    let what = if v6 { "inet6 address" } else { "inet address" };
                    nh.gateway = Some(g.ok_or_else(|| Error::expected(what, val))?);
                }
                "dev" => match c.m.world.ns(c.ns).ifindex_of(val) {
                    Some(x) => nh.dev = Some(x),
                    None => {
                        return Err(Error::Fatal(format!(
                            "Cannot find device \"{val}\"\nError: cannot parse nexthop\n"
                        )))
                    }
                },
                "weight" => match val.parse::<u32>() {
                    Ok(w) if (1..=256).contains(&w) => nh.weight = w as u16,
                    _ => return Err(Error::invarg("\"weight\" is invalid\n", val)),
                },
                "onlink" => {
                    nh.onlink = true;
                    i += 1;
                    continue;
                }
                "realms" | "encap" | "as" => {
                    return Err(Error::NotSimulated(format!("ip route nexthop {a}")))
                }
                _ => break,
            }
            i += 2;
        }
        out.push(nh);
        match args.get(i).map(|s| s.as_str()) {
            None => return Ok(out),
            Some("nexthop") => i += 1,
            Some(other) => {
                return Err(Error::Fatal(format!(
                    "Error: \"nexthop\" or end of line is expected instead of \"{other}\"\n"
                )))
            }
        }
    }
}
