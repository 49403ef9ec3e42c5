//! `env` and `printenv` (coreutils 9.1) over the environment the shell
//! gave the command (`Machine::env`: its exported variables and prefix
//! assignments).

use crate::getopt::{self, Arg, Long};
use crate::launch::{self, Ran};
use crate::Cmd;

const ENV_LONG: &[Long] = &[
    ("ignore-environment", Arg::No, 'i'),
    ("null", Arg::No, '0'),
    ("unset", Arg::Req, 'u'),
    ("chdir", Arg::Req, 'C'),
    ("debug", Arg::No, 'v'),
    ("split-string", Arg::Req, 'S'),
    ("help", Arg::No, 'h'),
    ("version", Arg::No, 'V'),
];

/// The environment as lines (`NAME=value` and a newline, or a NUL).
fn listing(env: &[(String, String)], nul: bool) -> String {
    let end = if nul { '\0' } else { '\n' };
    env.iter().map(|(k, v)| format!("{k}={v}{end}")).collect()
}

/// setenv(3): replaces the value in place, or appends.
fn set(env: &mut Vec<(String, String)>, name: &str, value: &str) {
    match env.iter_mut().find(|(k, _)| k == name) {
        Some(slot) => slot.1 = value.to_string(),
        None => env.push((name.to_string(), value.to_string())),
    }
}

fn env_usage(c: &mut Cmd, msg: &str) -> i32 {
    c.eprint(&format!(
        "env: {msg}\nTry 'env --help' for more information.\n"
    ));
    125
}

pub fn env(c: &mut Cmd, args: &[String]) -> i32 {
    let (opts, rest) = match getopt::parse(args, "C:iS:u:v0", ENV_LONG, true) {
        Ok(r) => r,
        Err(e) => return env_usage(c, &e),
    };
    let (mut nul, mut chdir, mut debug, mut clear) = (false, None, false, false);
    let mut unset = Vec::new();
    for (o, arg) in opts {
        let arg = arg.unwrap_or_default();
        match o {
            'i' => clear = true,
            '0' => nul = true,
            'v' => debug = true,
            'C' => chdir = Some(arg),
            'u' => unset.push(arg),
            'S' => {
                c.eprint(&crate::unsimulated::message("env -S"));
                return crate::unsimulated::STATUS;
            }
            'h' => {
                c.print(ENV_HELP);
                return 0;
            }
            _ => {
                c.print(&crate::sysinfo::version(
                    "env",
                    "Richard Mlynarik, David MacKenzie, and Assaf Gordon",
                ));
                return 0;
            }
        }
    }
    let mut rest = rest.as_slice();
    // `-` alone (before the assignments) is -i.
    if rest.first().is_some_and(|a| a == "-") {
        clear = true;
        rest = &rest[1..];
    }
    // As env.c: -i or the -u's, then the assignments, each told with -v.
    let mut env = c.m.env.clone();
    if clear {
        if debug {
            c.eprint("cleaning environ\n");
        }
        env.clear();
    } else {
        for name in &unset {
            if debug {
                c.eprint(&format!("unset:    {name}\n"));
            }
            if name.is_empty() || name.contains('=') {
                c.eprint(&format!("env: cannot unset '{name}': Invalid argument\n"));
                return 125;
            }
            env.retain(|(k, _)| k != name);
        }
    }
    while let Some((name, value)) = rest.first().and_then(|a| a.split_once('=')) {
        if debug {
            c.eprint(&format!("setenv:   {name}={value}\n"));
        }
        set(&mut env, name, value);
        rest = &rest[1..];
    }
    if rest.is_empty() {
        if chdir.is_some() {
            return env_usage(c, "must specify command with --chdir (-C)");
        }
        c.print(&listing(&env, nul));
        return 0;
    }
    if nul {
        return env_usage(c, "cannot specify --null (-0) with command");
    }
    if let Some(dir) = chdir.as_ref().filter(|_| debug) {
        c.eprint(&format!("chdir:    '{dir}'\n"));
    }
    if debug {
        for (i, a) in rest.iter().enumerate() {
            if i == 0 {
                c.eprint(&format!("executing: {a}\n"));
            }
            c.eprint(&format!("   arg[{i}]= '{a}'\n"));
        }
    }
    let old_cwd = c.m.fs.cwd().to_string();
    if let Some(dir) = &chdir {
        if let Err(e) = c.with_fs(|fs| fs.set_cwd(dir)) {
            c.eprint(&format!(
                "env: cannot change directory to '{dir}': {}\n",
                vnet_fs::strerror(&e)
            ));
            return 125;
        }
    }
    let outer = std::mem::replace(&mut c.m.env, env);
    let ran = launch::run(c, rest, c.stdin.clone());
    c.m.env = outer;
    if chdir.is_some() {
        let _ = c.with_fs(|fs| fs.set_cwd(&old_cwd));
    }
    match ran {
        Ran::Exited(st) => st,
        Ran::NotFound => {
            c.eprint(&format!("env: '{}': No such file or directory\n", rest[0]));
            127
        }
        Ran::Denied => {
            c.eprint(&format!("env: '{}': Permission denied\n", rest[0]));
            126
        }
    }
}

pub fn printenv(c: &mut Cmd, args: &[String]) -> i32 {
    const LONG: &[Long] = &[
        ("null", Arg::No, '0'),
        ("help", Arg::No, 'h'),
        ("version", Arg::No, 'V'),
    ];
    let (opts, names) = match getopt::parse(args, "0", LONG, false) {
        Ok(r) => r,
        Err(e) => {
            c.eprint(&format!(
                "printenv: {e}\nTry 'printenv --help' for more information.\n"
            ));
            return 2;
        }
    };
    let mut nul = false;
    for (o, _) in opts {
        match o {
            '0' => nul = true,
            'h' => {
                c.print(PRINTENV_HELP);
                return 0;
            }
            _ => {
                c.print(&crate::sysinfo::version(
                    "printenv",
                    "David MacKenzie and Richard Mlynarik",
                ));
                return 0;
            }
        }
    }
    let env = c.m.env.clone();
    if names.is_empty() {
        c.print(&listing(&env, nul));
        return 0;
    }
    let end = if nul { "\0" } else { "\n" };
    let mut missing = false;
    for n in &names {
        match env
            .iter()
            .find(|(k, _)| k == n)
            .filter(|_| !n.contains('='))
        {
            Some((_, v)) => c.print(&format!("{v}{end}")),
            None => missing = true,
        }
    }
    i32::from(missing)
}

const ENV_HELP: &str = include_str!("help/env.txt");
const PRINTENV_HELP: &str = include_str!("help/printenv.txt");
