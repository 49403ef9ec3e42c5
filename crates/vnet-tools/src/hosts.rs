//! Several hosts in one lab (see `vnet_core::host`): the `vnet-host`
//! builtin that boots hosts and cables their NICs, and `on HOST CMD...` /
//! `ssh HOST CMD...`, which run a command in a host's root namespace.
//!
//! ```text
//! vnet-host add h2 [h3...]          boot hosts (each: root namespace, lo up)
//! vnet-host link h1:eth0 h2:eth0    a wire between two NICs (a switch for 3+);
//!                                   missing NICs are created
//! vnet-host [list]                  the hosts, their NICs and links
//! on h2 ip addr                     run a command on h2 (`&`, pipes, redirections work)
//! ssh h2 ip addr                    the same, as an operator types it
//! hostname                          the host a command runs on
//! ```

use crate::Cmd;
use vnet_core::dev::DevKind;

const USAGE: &str = "Usage: vnet-host [ list ]
       vnet-host add NAME...
       vnet-host link HOST:NIC HOST:NIC [ HOST:NIC... ]
";

fn valid_host(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 63
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

/// `vnet-host`.
pub fn vnet_host(c: &mut Cmd, args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        None | Some("list") | Some("show") => {
            let s = list(c);
            c.print(&s);
            0
        }
        Some("add") => {
            if args.len() < 2 {
                c.eprint(USAGE);
                return 1;
            }
            for name in &args[1..] {
                if !valid_host(name) {
                    c.eprint(&format!("vnet-host: invalid host name \"{name}\"\n"));
                    return 1;
                }
                if c.m.world.host_by_name(name).is_some() {
                    c.eprint(&format!("vnet-host: host \"{name}\" exists\n"));
                    return 1;
                }
            }
            for name in &args[1..] {
                if let Err(e) = c.m.world.host_add(name) {
                    c.eprint(&format!("vnet-host: {name}: {e}\n"));
                    return 1;
                }
            }
            0
        }
        Some("link") => {
            if args.len() < 3 {
                c.eprint(USAGE);
                return 1;
            }
            let mut ends = Vec::new();
            for a in &args[1..] {
                let Some((h, nic)) = a.split_once(':') else {
                    c.eprint(&format!("vnet-host: \"{a}\" is not HOST:NIC\n"));
                    return 1;
                };
                let Some(hi) = c.m.world.host_by_name(h) else {
                    c.eprint(&format!("vnet-host: no host \"{h}\"\n"));
                    return 1;
                };
                if !vnet_core::netns::dev_valid_name(nic) {
                    c.eprint(&format!("vnet-host: \"{nic}\" is not a valid ifname\n"));
                    return 1;
                }
                let ns = c.m.world.host_root(hi);
                if let Some(i) = c.m.world.ns(ns).ifindex_of(nic) {
                    match &c.m.world.ns(ns).dev(i).unwrap().kind {
                        DevKind::Nic { segment: None } => {}
                        DevKind::Nic { .. } => {
                            c.eprint(&format!("vnet-host: {a} is already linked\n"));
                            return 1;
                        }
                        _ => {
                            c.eprint(&format!("vnet-host: {a} is not a physical NIC\n"));
                            return 1;
                        }
                    }
                }
                if ends.contains(&(hi, nic.to_string())) {
                    c.eprint(&format!("vnet-host: {a} given twice\n"));
                    return 1;
                }
                ends.push((hi, nic.to_string()));
            }
            match c.m.world.host_link(&ends) {
                Ok(_) => 0,
                Err(e) => {
                    c.eprint(&format!("vnet-host: link: {e}\n"));
                    1
                }
            }
        }
        Some(_) => {
            c.eprint(USAGE);
            1
        }
    }
}

/// One line per host: its name and each NIC with what it is linked to.
fn list(c: &Cmd) -> String {
    let w = &c.m.world;
    let mut s = String::new();
    for (hi, name) in w.host_names().iter().enumerate() {
        s.push_str(name);
        let ns = w.host_root(hi);
        for d in w.ns(ns).devs().values() {
            let DevKind::Nic { segment } = d.kind else {
                continue;
            };
            s.push_str(&format!(" {}", d.name));
            let Some(seg) = segment.and_then(|i| w.segments().get(i)) else {
                s.push_str(" (no link)");
                continue;
            };
            let peers: Vec<String> = seg
                .members
                .iter()
                .filter(|m| m.ns != ns || m.ifindex != d.ifindex)
                .map(|m| {
                    let h = w.host_of(m.ns);
                    let hn = w.host_names().get(h).cloned().unwrap_or_default();
                    let dn = w.dev(*m).map(|x| x.name.clone()).unwrap_or_default();
                    format!("{hn}:{dn}")
                })
                .collect();
            let how = if seg.members.len() > 2 {
                "switch"
            } else {
                "wire"
            };
            s.push_str(&format!(" ({how} to {})", peers.join(" ")));
        }
        s.push('\n');
    }
    s
}

/// `on HOST CMD...` (and `ssh HOST CMD...`): the command runs in the
/// host's root namespace, with the host's netns names and modules.
fn run_on(c: &mut Cmd, args: &[String], ssh: bool) -> i32 {
    let Some(host) = args.first() else {
        if ssh {
            c.eprint("usage: ssh destination [command [argument ...]]\n");
            return 255;
        }
        c.eprint("Usage: on HOST COMMAND [ARG...]\n");
        return 1;
    };
    // ssh takes user@host; the user is ignored (everything runs as root).
    let name = if ssh {
        host.rsplit('@').next().unwrap_or(host)
    } else {
        host.as_str()
    };
    let Some(h) = c.m.world.host_by_name(name) else {
        if ssh {
            c.eprint(&format!(
                "ssh: Could not resolve hostname {name}: Name or service not known\n"
            ));
            return 255;
        }
        c.eprint(&format!("on: no host \"{name}\"\n"));
        return 1;
    };
    if args.len() < 2 {
        c.eprint(if ssh {
            "vnet: ssh without a command (an interactive login) is not simulated\n"
        } else {
            "Usage: on HOST COMMAND [ARG...]\n"
        });
        return if ssh { 255 } else { 1 };
    }
    let argv = &args[1..];
    let prog = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
    if crate::lookup(&prog).is_none() && vnet_userland::lookup(&prog).is_none() {
        c.eprint(&format!("bash: line 1: {}: command not found\n", argv[0]));
        return 127;
    }
    let root = c.m.world.host_root(h);
    let prev = c.m.world.host_enter(h);
    let stdin = c.stdin.take();
    let (st, out, err) = c.m.exec_in(root, argv, stdin);
    c.m.world.host_enter(prev);
    c.out.extend_from_slice(&out);
    c.err.extend_from_slice(&err);
    st
}

pub fn on(c: &mut Cmd, args: &[String]) -> i32 {
    run_on(c, args, false)
}

pub fn ssh(c: &mut Cmd, args: &[String]) -> i32 {
    run_on(c, args, true)
}

/// `hostname`: the host the command runs on.
pub fn hostname(c: &mut Cmd, _args: &[String]) -> i32 {
    let h = c.m.world.host_of(c.ns);
    let n = c.m.world.host_names().get(h).cloned().unwrap_or_default();
    c.print(&format!("{n}\n"));
    0
}
