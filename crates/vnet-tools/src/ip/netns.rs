//! `ip netns`: add, delete, list, exec, identify, set, list-id.

use super::{Error, Opts, Res};
use crate::args::matches;
use crate::Cmd;

const USAGE: &str = "Usage:\tip netns list
\tip netns add NAME
\tip netns attach NAME PID
\tip netns set NAME NETNSID
\tip [-all] netns delete [NAME]
\tip netns identify [PID]
\tip netns pids NAME
\tip [-all] netns exec [NAME] cmd ...
\tip netns monitor
\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
";

/// Runs `argv` in `ns` as execvp would (a shell, coreutils' echo...);
/// its exit status.
fn exec_in(c: &mut Cmd, ns: usize, argv: &[String]) -> Res<i32> {
    let stdin = c.stdin.take();
    let outer = std::mem::replace(&mut c.ns, ns);
    let ran = crate::launch::run(c, argv, stdin);
    c.ns = outer;
    let why = match ran {
        crate::launch::Ran::Exited(st) => return Ok(st),
        crate::launch::Ran::NotFound => "No such file or directory",
        crate::launch::Ran::Denied => "Permission denied",
    };
    Err(Error::Failed(format!(
        "exec of \"{}\" failed: {why}\n",
        argv[0]
    )))
}

fn no_command() -> Error {
    Error::Failed("No command specified\n".into())
}

/// `ip netns ...`: the status of the command `exec` ran, else 0.
pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res<i32> {
    // do_netns(): the word after any subcommand is a name, checked first.
    if let Some(name) = args.get(1).filter(|_| !o.all) {
        if !vnet_core::netns::valid_netns_name(name) {
            return Err(Error::Fatal(format!("Invalid netns name \"{name}\"\n")));
        }
    }
    if o.all {
        if let Some(cmd) = args.first() {
            if matches(cmd, "exec") {
                if args.len() < 2 {
                    return Err(no_command());
                }
                // on_netns_exec(): a failure in one namespace is reported
                // there, and the last one that failed gives the status.
                let mut rc = 0;
                for (name, ns) in c.m.world.netns_names() {
                    c.print(&format!("\nnetns: {name}\n"));
                    let r = exec_in(c, ns, &args[1..]);
                    let st = c.exit(r);
                    if st != 0 {
                        rc = st;
                    }
                }
                return Ok(rc);
            }
            if matches(cmd, "delete") {
                for (name, _) in c.m.world.netns_names() {
                    let _ = c.m.world.netns_del(&name);
                }
                return Ok(0);
            }
        }
    }
    let Some(cmd) = args.first() else {
        list(c);
        return Ok(0);
    };
    let rest = &args[1..];
    let name = || rest.first().ok_or(Error::NoNetnsName);
    if matches(cmd, "list") || cmd == "show" || cmd == "lst" {
        list(c);
    } else if matches(cmd, "add") {
        let name = name()?;
        if let Err(e) = c.m.world.netns_add(name) {
            return Err(Error::Failed(format!(
                "Cannot create namespace file \"/run/netns/{name}\": {}\n",
                e.errno.strerror()
            )));
        }
    } else if matches(cmd, "delete") {
        let name = name()?;
        if let Err(e) = c.m.world.netns_del(name) {
            return Err(Error::Failed(format!(
                "Cannot remove namespace file \"/run/netns/{name}\": {}\n",
                e.errno.strerror()
            )));
        }
    } else if matches(cmd, "exec") {
        let name = name()?;
        let ns =
            c.m.world
                .netns_by_name(name)
                .ok_or_else(|| Error::NoNetns(name.clone()))?;
        if rest.len() < 2 {
            return Err(no_command());
        }
        return exec_in(c, ns, &rest[1..]);
    } else if matches(cmd, "attach") {
        // netns_add(create = false): a name for the namespace of a process.
        let [name, pid, ..] = rest else {
            return Err(Error::Failed("No netns name and PID specified\n".into()));
        };
        let pid = match get_s32(pid) {
            Some(p) if p != 0 => p,
            _ => return Err(Error::Failed(format!("Invalid PID: {pid}\n"))),
        };
        if c.m.world.netns_by_name(name).is_some() {
            return Err(Error::Failed(format!(
                "Cannot create namespace file \"/run/netns/{name}\": File exists\n"
            )));
        }
        let Some(ns) = c.m.pid_netns(i64::from(pid)) else {
            return Err(Error::Failed(format!(
                "Bind /proc/{pid}/ns/net -> /run/netns/{name} failed: No such file or directory\n"
            )));
        };
        c.m.world.netns_attach(name, ns)?;
    } else if matches(cmd, "pids") {
        if rest.len() > 1 {
            return Err(extra_args());
        }
        let Some(ns) = c.m.world.netns_by_name(name()?) else {
            return Err(no_pid_netns());
        };
        // netns_pids(): the /proc/PID whose ns/net is the named one.
        for (pid, _) in c.m.processes().into_iter().filter(|(_, n)| *n == ns) {
            c.print(&format!("{pid}\n"));
        }
    } else if matches(cmd, "identify") {
        let ns = match rest {
            [] => c.ns,
            [p] if p.bytes().all(|b| b.is_ascii_digit()) => {
                match p.parse().ok().and_then(|p| c.m.pid_netns(p)) {
                    Some(ns) => ns,
                    None => return Err(no_pid_netns()),
                }
            }
            [p] => {
                return Err(Error::Failed(format!(
                    "Specified string '{p}' is not a pid\n"
                )))
            }
            _ => return Err(extra_args()),
        };
        // netns_identify_pid(): every name of it is read in /run/netns
        // order, the last one read is printed (an empty line when none).
        let name =
            c.m.world
                .netns_names()
                .into_iter()
                .rev()
                .find(|(_, id)| *id == ns)
                .map(|(n, _)| n)
                .unwrap_or_default();
        c.print(&format!("{name}\n"));
    } else if matches(cmd, "set") {
        match rest.len() {
            0 => return Err(Error::NoNetnsName),
            1 => {
                return Err(Error::Failed(
                    "No nsid specified
"
                    .into(),
                ))
            }
            _ => {}
        }
        let id: i32 = if rest[1] == "auto" {
            -1
        } else {
            match rest[1].parse() {
                Ok(v) if v >= 0 => v,
                _ => return Err(Error::invarg("Invalid \"netnsid\" value", &rest[1])),
            }
        };
        let target =
            c.m.world
                .netns_by_name(&rest[0])
                .ok_or_else(|| Error::NoNetns(rest[0].clone()).failed())?;
        let ns = c.ns;
        if id < 0 {
            c.m.world.peernet2id_alloc(ns, target);
        } else {
            c.m.world.netns_set_id(ns, target, id)?;
        }
    } else if matches(cmd, "list-id") {
        let ns = c.ns;
        let ids: Vec<(i32, usize)> =
            c.m.world
                .ns(ns)
                .peer_ids()
                .iter()
                .map(|(t, i)| (*i, *t))
                .collect();
        let mut ids = ids;
        ids.sort();
        for (id, t) in ids {
            let name =
                c.m.world
                    .names()
                    .iter()
                    .find(|(_, x)| *x == t)
                    .map(|(n, _)| format!("(iproute2 netns name: {n})"))
                    .unwrap_or_default();
            c.print(&format!("nsid {id} {name}\n"));
        }
    } else if matches(cmd, "help") {
        return Err(Error::Usage(USAGE));
    } else {
        return Err(Error::UnknownCommand {
            obj: "netns",
            cmd: cmd.clone(),
        });
    }
    Ok(0)
}

/// get_s32() with base 0: decimal, `0x` hex or `0` octal, and a sign.
pub(crate) fn get_s32(s: &str) -> Option<i32> {
    let (neg, t) = match s.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse::<i64>().ok()?
    };
    i32::try_from(if neg { -v } else { v }).ok()
}

fn extra_args() -> Error {
    Error::Failed("extra arguments specified\n".into())
}

/// `Cannot open network namespace` of a PID's namespace.
fn no_pid_netns() -> Error {
    Error::Failed("Cannot open network namespace: No such file or directory\n".into())
}

fn list(c: &mut Cmd) {
    let ns = c.ns;
    for (name, id) in c.m.world.netns_names() {
        match c.m.world.ns(ns).peer_ids().get(&id) {
            Some(i) => c.print(&format!("{name} (id: {i})\n")),
            None => c.print(&format!("{name}\n")),
        }
    }
}
