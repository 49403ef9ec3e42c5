//! The few coreutils lab scripts use: cat (and less), sleep, true,
//! false, dmesg.

use crate::proc::{Io, Program, Step};
use crate::Cmd;
use vnet_core::{Time, World};

pub fn cat(c: &mut Cmd, args: &[String]) -> i32 {
    let files: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') || a.as_str() == "-")
        .collect();
    if files.is_empty() {
        let s = c.stdin.take().unwrap_or_default();
        c.out.extend_from_slice(&s);
        return 0;
    }
    let mut rc = 0;
    for f in files {
        match c.read_file(f) {
            Ok(d) => c.out.extend_from_slice(&d),
            Err(e) => {
                c.eprint(&format!("cat: {f}: {}\n", crate::fs::strerror(&e)));
                rc = 1;
            }
        }
    }
    rc
}

struct Sleep {
    until: Time,
}

impl Program for Sleep {
    fn poll(&mut self, w: &mut World, _io: &mut Io) -> Step {
        if w.now() >= self.until {
            Step::Exit(0)
        } else {
            Step::Wait(Some(self.until))
        }
    }
    fn interrupt(&mut self, _w: &mut World, _io: &mut Io) -> i32 {
        130
    }
}

/// A process that sleeps until `until` (a pipeline's writer still running).
pub(crate) fn sleep_until(until: Time) -> Box<dyn Program> {
    Box::new(Sleep { until })
}

/// Parses sleep's DURATION[smhd] arguments into nanoseconds.
fn parse_duration(s: &str) -> Option<u64> {
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1.0),
        'm' => (&s[..s.len() - 1], 60.0),
        'h' => (&s[..s.len() - 1], 3600.0),
        'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    if v < 0.0 || !v.is_finite() {
        return None;
    }
    Some((v * mult * 1e9) as u64)
}

pub fn sleep(c: &mut Cmd, args: &[String]) -> i32 {
    if args.is_empty() {
        c.eprint("sleep: missing operand\nTry 'sleep --help' for more information.\n");
        return 1;
    }
    let mut total = 0u64;
    for a in args {
        match parse_duration(a) {
            Some(ns) => total += ns,
            None => {
                c.eprint(&format!("sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information.\n"));
                return 1;
            }
        }
    }
    let until = c.m.world.now() + Time(total);
    c.run(Box::new(Sleep { until }))
}

pub fn true_(_c: &mut Cmd, _a: &[String]) -> i32 {
    0
}

pub fn false_(_c: &mut Cmd, _a: &[String]) -> i32 {
    1
}

/// The kernel log (LOG target lines and the like): one for the machine,
/// whatever namespace dmesg runs in.
pub fn dmesg(c: &mut Cmd, _a: &[String]) -> i32 {
    let lines = c.m.world.ns(0).dmesg().to_vec();
    for l in lines {
        c.print(&l);
        c.print("\n");
    }
    0
}

/// ls: names in the file tree (`/run/netns`: the named namespaces),
/// sorted, one per line, without dot files.
pub fn ls(c: &mut Cmd, args: &[String]) -> i32 {
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let paths: Vec<String> = if paths.is_empty() {
        vec![".".to_string()]
    } else {
        paths.into_iter().cloned().collect()
    };
    let mut rc = 0;
    for p in paths {
        let names = match c.with_fs(|fs| fs.read_dir(&p)) {
            Ok(n) => n,
            Err(e) => {
                c.eprint(&format!(
                    "ls: cannot access '{p}': {}\n",
                    crate::fs::strerror(&e)
                ));
                rc = 2;
                continue;
            }
        };
        for n in names.iter().filter(|n| !n.starts_with('.')) {
            c.print(&format!("{n}\n"));
        }
    }
    rc
}
