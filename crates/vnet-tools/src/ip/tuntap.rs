//! `ip tuntap`: add, del, list.

use super::Opts;
use crate::args::matches;
use crate::Cmd;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::dev::{tunf, DevKind};

pub fn main(c: &mut Cmd, _o: &Opts, args: &[String]) -> i32 {
    let Some(cmd) = args.first() else {
        return list(c);
    };
    let rest = &args[1..];
    if matches(cmd, "list") || matches(cmd, "show") || cmd == "lst" {
        return list(c);
    }
    if matches(cmd, "help") {
        c.eprint(USAGE);
        return 255;
    }
    let add = matches(cmd, "add");
    if !add && !matches(cmd, "delete") {
        c.eprint(&format!(
            "Command \"{cmd}\" is unknown, try \"ip tuntap help\".\n"
        ));
        return 255;
    }
    let (mut name, mut mode, mut user, mut group) = (None, None, None, None);
    let mut flags = tunf::NO_PI;
    let mut i = 0;
    while i < rest.len() {
        let val = rest.get(i + 1).cloned();
        match rest[i].as_str() {
            "mode" => {
                let v = val.unwrap_or_default();
                match v.as_str() {
                    "tun" => mode = Some(false),
                    "tap" => mode = Some(true),
                    _ => {
                        c.eprint(&format!("Unknown tunnel mode \"{v}\"\n"));
                        return 255;
                    }
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
    let Some(tap) = mode else {
        c.eprint("You failed to specify a tunnel mode\n");
        return 1;
    };
    if add {
        let n = name.unwrap_or_else(|| {
            c.m.world
                .alloc_name(ns, if tap { "tap%d" } else { "tun%d" })
        });
        if c.m.world.ns(ns).dev_by_name(&n).is_some() {
            c.eprint("ioctl(TUNSETIFF): Device or resource busy\n");
            return 1;
        }
        match c.m.world.link_add(
            ns,
            &n,
            NewLink::Tun {
                tap,
                owner: user,
                group,
            },
            None,
        ) {
            Ok(idx) => {
                let _ = c.m.world.tun_set_iff(ns, idx, flags);
            }
            Err(e) => {
                c.eprint(&format!("ioctl(TUNSETIFF): {}\n", e.errno.strerror()));
                return 1;
            }
        }
        c.m.world.module_load("tun");
        0
    } else {
        let Some(n) = name else {
            c.eprint("ioctl(TUNSETIFF): Invalid argument\n");
            return 1;
        };
        let existing = c.m.world.ns(ns).dev_by_name(&n).map(|d| {
            (
                d.ifindex,
                matches!(d.kind, DevKind::Tun { tap: t, .. } if t == tap),
            )
        });
        if let Some((_, false)) = existing {
            c.eprint("ioctl(TUNSETIFF): Invalid argument\n");
            return 1;
        }
        match existing.map(|e| e.0) {
            Some(i) => {
                let _ = c.m.world.link_del(ns, i);
                0
            }
            // Deleting what is not there succeeds silently, as iproute2's TUNSETIFF
            // on a fresh name creates a non-persistent device that vanishes.
            None => 0,
        }
    }
}

fn list(c: &mut Cmd) -> i32 {
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
    0
}

const USAGE: &str = "Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }
";
