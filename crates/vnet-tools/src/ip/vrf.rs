//! `ip vrf` (iproute2 ip/ipvrf.c) and the `type vrf` options of `ip link
//! add` (ip/iplink_vrf.c): VRFs listed with their tables, commands run
//! with their sockets bound to a VRF.

use super::{Error, Opts, Res};
use crate::args::matches;
use crate::Cmd;
use vnet_core::dev::DevKind;

const USAGE: &str = "Usage: ip vrf show [NAME] ...
       ip vrf exec [NAME] cmd ...
       ip vrf identify [PID]
       ip vrf pids [NAME]
";

/// vrf_explain().
const LINK_USAGE: &str = "Usage: ... vrf table TABLEID\n";

/// vrf_parse_opt(): `table TABLEID` (a name from rt_tables or a number).
pub(super) fn parse_link(args: &[String]) -> Res<Option<u32>> {
    let mut table = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if matches(a, "table") {
            i += 1;
            let v = args.get(i).ok_or(Error::Incomplete)?;
            table = Some(
                super::route_table_a2n(v).ok_or_else(|| Error::invarg("invalid table ID\n", v))?,
            );
        } else if matches(a, "help") {
            return Err(Error::Failed(LINK_USAGE.into()));
        } else {
            return Err(Error::Failed(format!(
                "vrf: unknown option \"{a}\"?\n{LINK_USAGE}"
            )));
        }
        i += 1;
    }
    Ok(table)
}

/// name_is_vrf(): the VRF's ifindex.
fn vrf_index(c: &Cmd, name: &str) -> Option<(u32, u32)> {
    let d = c.m.world.ns(c.ns).dev_by_name(name)?;
    match d.kind {
        DevKind::Vrf { table } => Some((d.ifindex, table)),
        _ => None,
    }
}

/// The `vrf NAME` selector of `ip link|addr|route|neigh show`: "Not a
/// valid VRF name" unless NAME is one.
pub(super) fn check_name(c: &Cmd, name: &str) -> Res<u32> {
    vrf_index(c, name)
        .map(|v| v.1)
        .ok_or_else(|| Error::invarg("Not a valid VRF name\n", name))
}

/// `ip vrf ...`: the status of the command `exec` ran, else 0.
pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res<i32> {
    let Some(cmd) = args.first() else {
        return show(c, o, &[]).map(|_| 0);
    };
    let rest = &args[1..];
    if matches(cmd, "show") || matches(cmd, "list") || cmd == "lst" {
        show(c, o, rest).map(|_| 0)
    } else if matches(cmd, "exec") {
        exec(c, rest)
    } else if matches(cmd, "identify") {
        identify(c, rest).map(|_| 0)
    } else if matches(cmd, "pids") {
        Err(Error::NotSimulated("ip vrf pids".into()))
    } else if matches(cmd, "help") {
        Err(Error::Usage(USAGE))
    } else {
        Err(Error::Fatal(format!(
            "Command \"{cmd}\" is unknown, try \"ip vrf help\".\n"
        )))
    }
}

/// ipvrf_show(): a header, then each VRF's name and table, in ifindex order.
fn show(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    if args.len() > 1 {
        return Err(Error::Usage(USAGE));
    }
    let n = c.m.world.ns(c.ns);
    let vrfs: Vec<(String, u32)> = n
        .devs()
        .values()
        .filter_map(|d| match d.kind {
            DevKind::Vrf { table } => Some((d.name.clone(), table)),
            _ => None,
        })
        .filter(|(name, _)| args.first().is_none_or(|a| a == name))
        .collect();
    if o.json {
        let v: Vec<serde_json::Value> = vrfs
            .iter()
            .map(|(name, t)| serde_json::json!({"name": name, "table": t}))
            .collect();
        c.print(&crate::json::render(&serde_json::Value::Array(v), o.pretty));
        c.print("\n");
        return Ok(());
    }
    if vrfs.is_empty() {
        c.print("No VRF has been configured\n");
        return Ok(());
    }
    let mut out = format!("{:<16} {:>5}\n-----------------------\n", "Name", "Table");
    for (name, t) in vrfs {
        out.push_str(&format!("{name:<16} {t:>5}\n"));
    }
    c.print(&out);
    Ok(())
}

/// ipvrf_exec(): the command runs with its sockets bound to the VRF
/// (vrf_switch() puts it in the VRF's cgroup).
fn exec(c: &mut Cmd, args: &[String]) -> Res<i32> {
    let name = args
        .first()
        .ok_or_else(|| Error::Failed("No VRF name specified\n".into()))?;
    if args.len() < 2 {
        return Err(Error::Failed("No command specified\n".into()));
    }
    let (idx, _) = vrf_index(c, name).ok_or_else(|| Error::Failed("Invalid VRF name\n".into()))?;
    let stdin = c.stdin.take();
    let outer = c.m.bound_vrf.replace(idx);
    let ran = crate::launch::run(c, &args[1..], stdin);
    c.m.bound_vrf = outer;
    let why = match ran {
        crate::launch::Ran::Exited(st) => return Ok(st),
        crate::launch::Ran::NotFound => "No such file or directory",
        crate::launch::Ran::Denied => "Permission denied",
    };
    Err(Error::Failed(format!(
        "exec of \"{}\" failed: {why}\n",
        args[1]
    )))
}

/// ipvrf_identify(): the VRF the command runs in, if any.
fn identify(c: &mut Cmd, args: &[String]) -> Res {
    if args.len() > 1 {
        return Err(Error::Usage(USAGE));
    }
    let name =
        c.m.bound_vrf
            .and_then(|i| c.m.world.ns(c.ns).dev(i))
            .map(|d| d.name.clone());
    if let Some(n) = name {
        c.print(&format!("{n}\n"));
    }
    Ok(())
}
