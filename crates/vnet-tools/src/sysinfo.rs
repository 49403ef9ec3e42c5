//! What the simulated machine says about itself: `uname`, `id`, `whoami`,
//! `nproc` (coreutils 9.1) and `which` (debianutils 5.7).
//!
//! The machine is a Debian 12 amd64 host running vnet's kernel
//! ([`crate::modules::KERNEL_RELEASE`]) on one CPU (the kernel has one
//! input backlog, and `conntrack -S` shows cpu=0 alone), named after the
//! simulated host; labs run as root.

use crate::getopt::{self, Arg, Long};
use crate::Cmd;

/// `uname -v`: how Debian's kernels describe their build (the date is
/// the simulated clock's epoch).
pub const KERNEL_VERSION: &str = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.0-vnet (2026-01-01)";

/// The simulated CPU count.
pub const CPUS: u64 = 1;

/// What `--version` prints for a coreutils 9.1 program.
pub fn version(prog: &str, authors: &str) -> String {
    format!(
        "{prog} (GNU coreutils) 9.1\n\
         Copyright (C) 2022 Free Software Foundation, Inc.\n\
         License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
         This is free software: you are free to change and redistribute it.\n\
         There is NO WARRANTY, to the extent permitted by law.\n\
         \n\
         Written by {authors}.\n"
    )
}

/// The usage error every coreutils program prints.
fn try_help(c: &mut Cmd, prog: &str, msg: &str) -> i32 {
    c.eprint(&format!(
        "{prog}: {msg}\nTry '{prog} --help' for more information.\n"
    ));
    1
}

fn host_name(c: &mut Cmd) -> String {
    let h = c.m.world.host_of(c.ns);
    c.m.world.host_names().get(h).cloned().unwrap_or_default()
}

pub fn uname(c: &mut Cmd, args: &[String]) -> i32 {
    const LONG: &[Long] = &[
        ("all", Arg::No, 'a'),
        ("kernel-name", Arg::No, 's'),
        ("sysname", Arg::No, 's'),
        ("nodename", Arg::No, 'n'),
        ("kernel-release", Arg::No, 'r'),
        ("release", Arg::No, 'r'),
        ("kernel-version", Arg::No, 'v'),
        ("machine", Arg::No, 'm'),
        ("processor", Arg::No, 'p'),
        ("hardware-platform", Arg::No, 'i'),
        ("operating-system", Arg::No, 'o'),
        ("help", Arg::No, 'h'),
        ("version", Arg::No, 'V'),
    ];
    let (opts, operands) = match getopt::parse(args, "asnrvmpio", LONG, false) {
        Ok(r) => r,
        Err(e) => return try_help(c, "uname", &e),
    };
    if let Some(extra) = operands.first() {
        return try_help(c, "uname", &format!("extra operand '{extra}'"));
    }
    let mut want = String::new();
    for (o, _) in opts {
        match o {
            'h' => {
                c.print(include_str!("help/uname.txt"));
                return 0;
            }
            'V' => {
                c.print(&version("uname", "David MacKenzie"));
                return 0;
            }
            // -a omits -p and -i, which are unknown.
            'a' => want.push_str("snrvmo"),
            o => want.push(o),
        }
    }
    if want.is_empty() {
        want.push('s');
    }
    let node = host_name(c);
    let fields: Vec<&str> = [
        ('s', "Linux"),
        ('n', node.as_str()),
        ('r', crate::modules::KERNEL_RELEASE),
        ('v', KERNEL_VERSION),
        ('m', "x86_64"),
        ('p', "unknown"),
        ('i', "unknown"),
        ('o', "GNU/Linux"),
    ]
    .into_iter()
    .filter(|(k, _)| want.contains(*k))
    .map(|(_, v)| v)
    .collect();
    c.print(&format!("{}\n", fields.join(" ")));
    0
}

pub fn id(c: &mut Cmd, args: &[String]) -> i32 {
    const LONG: &[Long] = &[
        ("context", Arg::No, 'Z'),
        ("group", Arg::No, 'g'),
        ("groups", Arg::No, 'G'),
        ("name", Arg::No, 'n'),
        ("real", Arg::No, 'r'),
        ("user", Arg::No, 'u'),
        ("zero", Arg::No, 'z'),
        ("help", Arg::No, 'h'),
        ("version", Arg::No, 'V'),
    ];
    let (opts, users) = match getopt::parse(args, "agnruzGZ", LONG, false) {
        Ok(r) => r,
        Err(e) => return try_help(c, "id", &e),
    };
    let (mut what, mut name, mut real, mut zero) = (None, false, false, false);
    for (o, _) in opts {
        match o {
            'h' => {
                c.print(include_str!("help/id.txt"));
                return 0;
            }
            'V' => {
                c.print(&version("id", "Arnold Robbins and David MacKenzie"));
                return 0;
            }
            'Z' => {
                c.eprint("id: --context (-Z) works only on an SELinux-enabled kernel\n");
                return 1;
            }
            'u' | 'g' | 'G' => {
                if what.is_some_and(|w| w != o) {
                    c.eprint("id: cannot print \"only\" of more than one choice\n");
                    return 1;
                }
                what = Some(o);
            }
            'n' => name = true,
            'r' => real = true,
            'z' => zero = true,
            _ => {}
        }
    }
    let mut status = 0;
    let mut known = 0;
    for u in &users {
        if u == "root" || u == "0" {
            known += 1;
        } else {
            c.eprint(&format!("id: '{u}': no such user\n"));
            status = 1;
        }
    }
    if what.is_none() && (name || real) {
        c.eprint("id: cannot print only names or real IDs in default format\n");
        return 1;
    }
    if what.is_none() && zero {
        c.eprint("id: option --zero not permitted in default format\n");
        return 1;
    }
    let times = if users.is_empty() { 1 } else { known };
    let end = if zero { "\0" } else { "\n" };
    for _ in 0..times {
        let line = match (what, name) {
            (None, _) => "uid=0(root) gid=0(root) groups=0(root)",
            (Some(_), true) => "root",
            (Some(_), false) => "0",
        };
        c.print(&format!("{line}{end}"));
    }
    status
}

pub fn whoami(c: &mut Cmd, args: &[String]) -> i32 {
    const LONG: &[Long] = &[("help", Arg::No, 'h'), ("version", Arg::No, 'V')];
    let (opts, operands) = match getopt::parse(args, "", LONG, false) {
        Ok(r) => r,
        Err(e) => return try_help(c, "whoami", &e),
    };
    match opts.first() {
        Some(('h', _)) => {
            c.print(include_str!("help/whoami.txt"));
            return 0;
        }
        Some(_) => {
            c.print(&version("whoami", "Richard Mlynarik"));
            return 0;
        }
        None => {}
    }
    if let Some(extra) = operands.first() {
        return try_help(c, "whoami", &format!("extra operand '{extra}'"));
    }
    c.print("root\n");
    0
}

pub fn nproc(c: &mut Cmd, args: &[String]) -> i32 {
    const LONG: &[Long] = &[
        ("all", Arg::No, 'a'),
        ("ignore", Arg::Req, 'i'),
        ("help", Arg::No, 'h'),
        ("version", Arg::No, 'V'),
    ];
    let (opts, operands) = match getopt::parse(args, "", LONG, false) {
        Ok(r) => r,
        Err(e) => return try_help(c, "nproc", &e),
    };
    let mut ignore = 0u64;
    for (o, arg) in opts {
        match o {
            'h' => {
                c.print(include_str!("help/nproc.txt"));
                return 0;
            }
            'V' => {
                c.print(&version("nproc", "Giuseppe Scrivano"));
                return 0;
            }
            'i' => {
                let a = arg.unwrap_or_default();
                match a.parse::<u64>() {
                    Ok(n) => ignore = n,
                    Err(_) => {
                        c.eprint(&format!("nproc: invalid number: '{a}'\n"));
                        return 1;
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(extra) = operands.first() {
        return try_help(c, "nproc", &format!("extra operand '{extra}'"));
    }
    c.print(&format!("{}\n", CPUS.saturating_sub(ignore).max(1)));
    0
}

/// debianutils' `which`: where each name would be found on the PATH.
pub fn which(c: &mut Cmd, args: &[String]) -> i32 {
    let mut all = false;
    let mut i = 0;
    while let Some(a) = args.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        i += 1;
        if a == "--" {
            break;
        }
        for ch in a[1..].chars() {
            if ch == 'a' {
                all = true;
            } else {
                c.eprint(&format!("Illegal option -{ch}\n"));
                c.print("Usage: /usr/bin/which [-a] args\n");
                return 2;
            }
        }
    }
    let names = &args[i..];
    if names.is_empty() {
        return 1;
    }
    let mut status = 0;
    for n in names {
        if n.contains('/') {
            if crate::launch::exists(n) {
                c.print(&format!("{n}\n"));
            } else {
                status = 1;
            }
            continue;
        }
        if n.is_empty() || !crate::launch::exists(n) {
            status = 1;
            continue;
        }
        // Debian 12 merged /usr: /bin and /sbin are /usr/bin and /usr/sbin,
        // later on root's PATH.
        let dir = if crate::SBIN.contains(&n.as_str()) {
            "sbin"
        } else {
            "bin"
        };
        c.print(&format!("/usr/{dir}/{n}\n"));
        if all {
            c.print(&format!("/{dir}/{n}\n"));
        }
    }
    status
}
