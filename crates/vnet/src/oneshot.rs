//! `vnet <tool> ARGS...`: one command against the lab on disk.
//!
//! A command that changes nothing (`ip link show`, a failed `ip link add`)
//! leaves the lab as it was: no lab directory is created for it and the
//! lab file is not rewritten, so read-only commands work on a read-only
//! lab. A command that changes the lab saves it atomically under the lab's
//! lock; when the lab did not exist yet, the lock is taken and the command
//! runs again on whatever another invocation created meanwhile, so no
//! change is lost.

use crate::lab::Lab;
use anyhow::Result;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use vnet_core::World;
use vnet_fs::stream::Stream;
use vnet_fs::Tree;
use vnet_tools::Machine;

/// What a command printed and returned, and the lab after it.
struct Ran {
    status: i32,
    out: Vec<u8>,
    err: Vec<u8>,
    world: World,
    changed: bool,
}

/// The world's state without its clock: what a command may have changed.
fn fingerprint(w: &World) -> serde_json::Value {
    let mut v = serde_json::to_value(w).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("now");
    }
    v
}

/// Tools that read their stdin when given no file: `iptables-restore < rules`.
fn reads_stdin(argv: &[String]) -> bool {
    let name = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a));
    let restore = matches!(
        name,
        Some(
            "iptables-restore"
                | "iptables-nft-restore"
                | "ip6tables-restore"
                | "ip6tables-nft-restore"
        )
    );
    restore && !argv[1..].iter().any(|a| !a.starts_with('-'))
}

fn run_once(world: World, argv: &[String], stdin: Option<Vec<u8>>, fs: &Tree) -> Ran {
    let before = fingerprint(&world);
    let mut m = Machine::new(world, Box::new(std::io::stdout()));
    m.fs = fs.clone();
    // The text tools (`echo x | vnet grep x`) read vnet's stdin when they
    // read theirs, and only then, as in a script.
    if stdin.is_none() {
        let tty = std::io::stdin().is_terminal();
        m.script_stdin = Some(Stream::shared(Box::new(std::io::stdin()), tty));
        m.inherit_stdin = true;
    }
    let (mut status, out, mut err) = m.exec_in(0, argv, stdin);
    // A bound that ends the command: its message after what it printed.
    let stopped = if m.apply_bounds() {
        m.halted().map(str::to_string)
    } else if out.len() >= m.pipe_limit {
        // Output cut at the bound (`vnet seq 1e12`).
        Some(format!(
            "vnet: `{}` wrote more than the output limit of {} MiB; stopping",
            argv.join(" "),
            m.pipe_limit >> 20
        ))
    } else {
        None
    };
    if let Some(msg) = stopped {
        err.extend_from_slice(format!("{msg}\n").as_bytes());
        status = 124;
    }
    m.kill_all();
    // A failed configuration command leaves the lab exactly as it was;
    // programs that ran in time (a ping that lost packets) keep what
    // happened on the wire.
    let ran_in_time = matches!(
        argv.first().map(|s| s.as_str()),
        Some("ping" | "tcpdump" | "sleep")
    );
    let changed = (status == 0 || ran_in_time) && fingerprint(&m.world) != before;
    Ran {
        status,
        out,
        err,
        world: m.world,
        changed,
    }
}

/// Runs `argv` on the lab in `dir`, its files `fs`.
pub fn run(dir: &Path, seed: u64, argv: &[String], fs: &Tree) -> Result<i32> {
    let stdin = if reads_stdin(argv) && !std::io::stdin().is_terminal() {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        Some(b)
    } else {
        None
    };
    let ran = if dir.exists() {
        let lab = Lab::open(dir)?;
        let ran = run_once(lab.load(seed)?, argv, stdin, fs);
        if ran.changed {
            lab.save(&ran.world)?;
        }
        ran
    } else {
        let ran = run_once(World::new(seed), argv, stdin.clone(), fs);
        if ran.changed {
            let lab = Lab::open(dir)?;
            // Another invocation may have created the lab meanwhile.
            let ran = if lab.exists() {
                run_once(lab.load(seed)?, argv, stdin, fs)
            } else {
                ran
            };
            if ran.changed {
                lab.save(&ran.world)?;
            }
            ran
        } else {
            ran
        }
    };
    std::io::stdout().write_all(&ran.out)?;
    std::io::stderr().write_all(&ran.err)?;
    Ok(ran.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_restore_without_a_file_reads_stdin() {
        let v = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(reads_stdin(&v("iptables-restore --noflush")));
        assert!(!reads_stdin(&v("iptables-restore rules.v4")));
        assert!(!reads_stdin(&v("ip link show")));
    }

    #[test]
    fn a_show_changes_nothing_an_add_does() {
        let v = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(
            !run_once(
                World::new(1),
                &v("ip link show"),
                None,
                &vnet_tools::fs::sim_tree()
            )
            .changed
        );
        assert!(
            !run_once(
                World::new(1),
                &v("ip link add a type bogus"),
                None,
                &vnet_tools::fs::sim_tree()
            )
            .changed
        );
        assert!(
            run_once(
                World::new(1),
                &v("ip link add a type dummy"),
                None,
                &vnet_tools::fs::sim_tree()
            )
            .changed
        );
    }
}
