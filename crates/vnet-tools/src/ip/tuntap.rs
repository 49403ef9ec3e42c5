//! `ip tuntap`: add, del, list.

use super::{Error, Opts, Res};
use crate::args::matches;
use crate::Cmd;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::dev::{tunf, DevKind};
use vnet_core::Errno;

pub fn main(c: &mut Cmd, _o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        list(c);
        return Ok(());
    };
    let rest = &args[1..];
    if matches(cmd, "list") || matches(cmd, "show") || cmd == "lst" {
        list(c);
        return Ok(());
    }
    if matches(cmd, "help") {
        return Err(Error::Usage(USAGE));
    }
    let add = matches(cmd, "add");
    if !add && !matches(cmd, "delete") {
        return Err(Error::UnknownCommand {
            obj: "tuntap",
            cmd: cmd.clone(),
        });
    }
    let (mut name, mut mode, mut user, mut group) = (None, None, None, None);
    let mut flags = tunf::NO_PI;
    let mut i = 0;
    while i < rest.len() {
        let val = rest.get(i + 1).cloned();
        if ["mode", "user", "group", "dev", "name"].contains(&rest[i].as_str()) && val.is_none() {
            return Err(Error::Incomplete);
        }
        match rest[i].as_str() {
            "mode" => {
                let v = val.unwrap_or_default();
                match v.as_str() {
                    "tun" => mode = Some(false),
                    "tap" => mode = Some(true),
                    _ => return Err(Error::UnknownMode(v)),
                }
                i += 1;
            }
            "user" => {
                user = val.and_then(|v| {
                    v.parse::<u32>()
                        .ok()
                        .or(if v == "root" { Some(0) } else { None })
                });
                i += 1;
            }
            "group" => {
                group = val.and_then(|v| {
                    v.parse::<u32>()
                        .ok()
                        .or(if v == "root" { Some(0) } else { None })
                });
                i += 1;
            }
            "dev" | "name" => {
                name = val;
                i += 1;
            }
            "one_queue" => flags |= tunf::ONE_QUEUE,
            "pi" => flags &= !tunf::NO_PI,
            "vnet_hdr" => flags |= tunf::VNET_HDR,
            "multi_queue" => flags |= tunf::MULTI_QUEUE,
            a => name = Some(a.to_string()),
        }
        i += 1;
    }
    let ns = c.ns;
    let tap = mode.ok_or_else(|| Error::Failed("You failed to specify a tunnel mode\n".into()))?;
    if add {
        let n = name.unwrap_or_else(|| {
            c.m.world
                .alloc_name(ns, if tap { "tap%d" } else { "tun%d" })
        });
        if c.m.world.ns(ns).dev_by_name(&n).is_some() {
            return Err(tunsetiff(Errno::EBUSY));
        }
        let idx =
            c.m.world
                .link_add(
                    ns,
                    &n,
                    NewLink::Tun {
                        tap,
                        owner: user,
                        group,
                    },
                    None,
                )
                .map_err(|e| tunsetiff(e.errno))?;
        c.m.world
            .tun_set_iff(ns, idx, flags)
            .map_err(|e| tunsetiff(e.errno))?;
        c.m.world.module_load("tun");
        Ok(())
    } else {
        let n = name.ok_or_else(|| tunsetiff(Errno::EINVAL))?;
        let existing = c.m.world.ns(ns).dev_by_name(&n).map(|d| {
            (
                d.ifindex,
                matches!(d.kind, DevKind::Tun { tap: t, .. } if t == tap),
            )
        });
        if let Some((_, false)) = existing {
            return Err(tunsetiff(Errno::EINVAL));
        }
        // Deleting what is not there succeeds silently, as iproute2's TUNSETIFF
        // on a fresh name creates a non-persistent device that vanishes.
        if let Some((i, _)) = existing {
            let _ = c.m.world.link_del(ns, i);
        }
        Ok(())
    }
}

/// The TUNSETIFF ioctl failing (exit 1).
fn tunsetiff(e: Errno) -> Error {
    Error::Failed(format!("ioctl(TUNSETIFF): {}\n", e.strerror()))
}

fn list(c: &mut Cmd) {
    let ns = c.ns;
    let mut out = String::new();
    for d in c.m.world.ns(ns).devs().values() {
        if let DevKind::Tun {
            tap,
            persist,
            owner,
            group,
            ..
        } = &d.kind
        {
            // print_flags() from /sys/class/net/X/tun_flags; IFF_NOFILTER shares IFF_NO_PI's bit.
            let f = d.tun_flags;
            out.push_str(&format!("{}: {}", d.name, if *tap { "tap" } else { "tun" }));
            if f & tunf::NO_PI == 0 {
                out.push_str(" pi");
            }
            if f & tunf::ONE_QUEUE != 0 {
                out.push_str(" one_queue");
            }
            if f & tunf::VNET_HDR != 0 {
                out.push_str(" vnet_hdr");
            }
            if f & tunf::MULTI_QUEUE != 0 {
                out.push_str(" multi_queue");
            }
            if *persist {
                out.push_str(" persist");
            }
            if f & tunf::NO_PI == 0 {
                out.push_str(" filter");
            }
            if let Some(u) = owner {
                out.push_str(&format!(" user {u}"));
            }
            if let Some(g) = group {
                out.push_str(&format!(" group {g}"));
            }
            out.push('\n');
        }
    }
    c.print(&out);
}

const USAGE: &str = "Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }
";
