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
    } else if matches(cmd, "pids") {
        if c.m.world.netns_by_name(name()?).is_none() {
            return Err(no_pid_netns());
        }
    } else if matches(cmd, "identify") {
        let ns = match rest.first() {
            None => c.ns,
            // PID 1 is the host's init; no other process exists.
            Some(p) if p == "1" => 0,
            Some(_) => return Err(no_pid_netns()),
        };
        let names: Vec<String> =
            c.m.world
                .names()
                .iter()
                .filter(|(_, id)| *id == ns)
                .map(|(n, _)| n.clone())
                .collect();
        c.print(&format!("{}\n", names.join(" ")));
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
