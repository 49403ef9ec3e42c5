//! `ip netns`: add, delete, list, exec, identify, set, list-id.

use super::Opts;
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

fn exec_in(c: &mut Cmd, ns: usize, argv: &[String]) -> i32 {
    let prog = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
    if crate::lookup(&prog).is_none() {
        c.eprint(&format!(
            "exec of \"{}\" failed: No such file or directory\n",
            argv[0]
        ));
        return 1;
    }
    let stdin = c.stdin.take();
    let (st, out, err) = c.m.exec_in(ns, argv, stdin);
    c.out.extend_from_slice(&out);
    c.err.extend_from_slice(&err);
    st
}

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> i32 {
    if o.all {
        if let Some(cmd) = args.first() {
            if matches(cmd, "exec") {
                if args.len() < 2 {
                    c.eprint("No command specified\n");
                    return 1;
                }
                let mut rc = 0;
                for (name, ns) in c.m.world.netns_names() {
                    c.print(&format!("\nnetns: {name}\n"));
                    let st = exec_in(c, ns, &args[1..]);
                    if st != 0 {
                        rc = st;
                    }
                }
                return rc;
            }
            if matches(cmd, "delete") {
                for (name, _) in c.m.world.netns_names() {
                    let _ = c.m.world.netns_del(&name);
                }
                return 0;
            }
        }
    }
    let Some(cmd) = args.first() else {
        return list(c);
    };
    let rest = &args[1..];
    if matches(cmd, "list") || cmd == "show" || cmd == "lst" {
        list(c)
    } else if matches(cmd, "add") {
        let Some(name) = rest.first() else {
            c.eprint("No netns name specified\n");
            return 1;
        };
        if name.contains('/') || name == "." || name == ".." {
            c.eprint(&format!("Invalid netns name \"{name}\"\n"));
            return 255;
        }
        match c.m.world.netns_add(name) {
            Ok(_) => 0,
            Err(e) => {
                c.eprint(&format!(
                    "Cannot create namespace file \"/run/netns/{name}\": {}\n",
                    e.errno.strerror()
                ));
                1
            }
        }
    } else if matches(cmd, "delete") {
        let Some(name) = rest.first() else {
            c.eprint("No netns name specified\n");
            return 1;
        };
        match c.m.world.netns_del(name) {
            Ok(()) => 0,
            Err(e) => {
                c.eprint(&format!(
                    "Cannot remove namespace file \"/run/netns/{name}\": {}\n",
                    e.errno.strerror()
                ));
                1
            }
        }
    } else if matches(cmd, "exec") {
        let Some(name) = rest.first() else {
            c.eprint("No netns name specified\n");
            return 1;
        };
        let Some(ns) = c.m.world.netns_by_name(name) else {
            c.eprint(&format!(
                "Cannot open network namespace \"{name}\": No such file or directory\n"
            ));
            return 255;
        };
        if rest.len() < 2 {
            c.eprint("No command specified\n");
            return 1;
        }
        exec_in(c, ns, &rest[1..])
    } else if matches(cmd, "pids") {
        let Some(name) = rest.first() else {
            c.eprint("No netns name specified\n");
            return 1;
        };
        if c.m.world.netns_by_name(name).is_none() {
            c.eprint("Cannot open network namespace: No such file or directory\n");
            return 1;
        }
        0
    } else if matches(cmd, "identify") {
        let ns = match rest.first() {
            None => c.ns,
            // PID 1 is the host's init; no other process exists.
            Some(p) if p == "1" => 0,
            Some(_) => {
                c.eprint("Cannot open network namespace: No such file or directory\n");
                return 1;
            }
        };
        let names: Vec<String> =
            c.m.world
                .names()
                .iter()
                .filter(|(_, id)| *id == ns)
                .map(|(n, _)| n.clone())
                .collect();
        c.print(&format!("{}\n", names.join(" ")));
        0
    } else if matches(cmd, "set") {
        if rest.len() < 2 {
            c.eprint(USAGE);
            return 255;
        }
        let id: i32 = if rest[1] == "auto" {
            -1
        } else {
            match rest[1].parse() {
                Ok(v) if v >= 0 => v,
                _ => {
                    c.eprint(&format!(
                        "Error: argument \"{}\" is wrong: Invalid \"netnsid\" value\n",
                        rest[1]
                    ));
                    return 255;
                }
            }
        };
        let Some(target) = c.m.world.netns_by_name(&rest[0]) else {
            c.eprint(&format!(
                "Cannot open network namespace \"{}\": No such file or directory\n",
                rest[0]
            ));
            return 1;
        };
        let ns = c.ns;
        let r = if id < 0 {
            c.m.world.peernet2id_alloc(ns, target);
            Ok(())
        } else {
            c.m.world.netns_set_id(ns, target, id)
        };
        match r {
            Ok(()) => 0,
            Err(e) => super::kernel_err(c, e),
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
        0
    } else if matches(cmd, "help") {
        c.eprint(USAGE);
        255
    } else {
        c.eprint(&format!(
            "Command \"{cmd}\" is unknown, try \"ip netns help\".\n"
        ));
        255
    }
}

fn list(c: &mut Cmd) -> i32 {
    let ns = c.ns;
    for (name, id) in c.m.world.netns_names() {
        match c.m.world.ns(ns).peer_ids().get(&id) {
            Some(i) => c.print(&format!("{name} (id: {i})\n")),
            None => c.print(&format!("{name}\n")),
        }
    }
    0
}
