//! `ip tuntap`: add, del, list.

use super::Opts;
use crate::args::matches;
use crate::Cmd;
use vnet_core::dev::DevKind;
use vnet_core::world::NewLink;

pub fn main(c: &mut Cmd, _o: &Opts, args: &[String]) -> i32 {
    let Some(cmd) = args.first() else { return list(c) };
    let rest = &args[1..];
    if matches(cmd, "list") || matches(cmd, "show") || cmd == "lst" {
        return list(c);
    }
    let add = matches(cmd, "add");
    if !add && !matches(cmd, "delete") {
        c.eprint(&format!("Command \"{cmd}\" is unknown, try \"ip tuntap help\".\n"));
        return 255;
    }
    let (mut name, mut mode, mut user, mut group) = (None, None, None, None);
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
                user = val.and_then(|v| v.parse::<u32>().ok().or(if v == "root" { Some(0) } else { None }));
                i += 1;
            }
            "group" => {
                group = val.and_then(|v| v.parse::<u32>().ok().or(if v == "root" { Some(0) } else { None }));
                i += 1;
            }
            "dev" | "name" => {
                name = val;
                i += 1;
            }
            "one_queue" | "pi" | "vnet_hdr" | "multi_queue" => {}
            a => name = Some(a.to_string()),
        }
        i += 1;
    }
    let ns = c.ns;
    let Some(tap) = mode else {
        c.eprint("You failed to specify a tunnel mode\n");
        return 255;
    };
    if add {
        let n = name.unwrap_or_else(|| c.m.world.alloc_name(ns, if tap { "tap%d" } else { "tun%d" }));
        if c.m.world.ns(ns).dev_by_name(&n).is_some() {
            c.eprint("ioctl(TUNSETIFF): Device or resource busy\n");
            return 1;
        }
        if let Err(e) = c.m.world.link_add(ns, &n, NewLink::Tun { tap, owner: user, group }, None) {
            c.eprint(&format!("ioctl(TUNSETIFF): {}\n", e.errno.strerror()));
            return 1;
        }
        if !c.m.world.modules.iter().any(|m| m == "tun") {
            c.m.world.modules.push("tun".into());
        }
        0
    } else {
        let Some(n) = name else {
            c.eprint("ioctl(TUNSETIFF): Invalid argument\n");
            return 1;
        };
        let idx = c.m.world.ns(ns).dev_by_name(&n).filter(|d| matches!(d.kind, DevKind::Tun { tap: t, .. } if t == tap)).map(|d| d.ifindex);
        match idx {
            Some(i) => {
                let _ = c.m.world.link_del(ns, i);
                0
            }
            None => {
                c.eprint("ioctl(TUNSETIFF): Invalid argument\n");
                1
            }
        }
    }
}

fn list(c: &mut Cmd) -> i32 {
    let ns = c.ns;
    let mut out = String::new();
    for d in c.m.world.ns(ns).devs.values() {
        if let DevKind::Tun { tap, persist, owner, group, .. } = &d.kind {
            out.push_str(&format!("{}: {}", d.name, if *tap { "tap" } else { "tun" }));
            if *persist {
                out.push_str(" persist");
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
