//! The few coreutils lab scripts use: cat (and less), grep, sleep, true,
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
        let cwd = c.m.cwd.clone();
        match crate::fs::read(&c.m.world, c.ns, &cwd, f) {
            Ok(d) => c.out.extend_from_slice(&d),
            Err(e) => {
                c.eprint(&format!("cat: {f}: {}\n", crate::fs::strerror(&e)));
                rc = 1;
            }
        }
    }
    rc
}

/// grep with -v, -i, -c, -q, -w, -E (plain substring match otherwise).
pub fn grep(c: &mut Cmd, args: &[String]) -> i32 {
    let (mut invert, mut icase, mut count, mut quiet, mut word) =
        (false, false, false, false, false);
    let mut rest = Vec::new();
    for a in args {
        if a.starts_with('-') && a.len() > 1 && rest.is_empty() {
            for ch in a[1..].chars() {
                match ch {
                    'v' => invert = true,
                    'i' => icase = true,
                    'c' => count = true,
                    'q' => quiet = true,
                    'w' => word = true,
                    'E' | 'F' => {}
                    _ => {
                        c.eprint(&format!("grep: invalid option -- '{ch}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"));
                        return 2;
                    }
                }
            }
        } else {
            rest.push(a.clone());
        }
    }
    let Some(pat) = rest.first().cloned() else {
        c.eprint(
            "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
        );
        return 2;
    };
    let input = if rest.len() > 1 {
        let cwd = c.m.cwd.clone();
        match crate::fs::read(&c.m.world, c.ns, &cwd, &rest[1]) {
            Ok(d) => d,
            Err(e) => {
                c.eprint(&format!("grep: {}: {}\n", rest[1], crate::fs::strerror(&e)));
                return 2;
            }
        }
    } else {
        c.stdin.take().unwrap_or_default()
    };
    let text = String::from_utf8_lossy(&input);
    let p = if icase {
        pat.to_lowercase()
    } else {
        pat.clone()
    };
    let alts: Vec<&str> = p.split("\\|").collect();
    let mut n = 0;
    for line in text.lines() {
        let l = if icase {
            line.to_lowercase()
        } else {
            line.to_string()
        };
        let hit = alts.iter().any(|a| {
            if word {
                l.match_indices(a).any(|(i, _)| {
                    let before = l[..i]
                        .chars()
                        .last()
                        .is_none_or(|ch| !ch.is_alphanumeric() && ch != '_');
                    let after = l[i + a.len()..]
                        .chars()
                        .next()
                        .is_none_or(|ch| !ch.is_alphanumeric() && ch != '_');
                    before && after
                })
            } else {
                l.contains(a)
            }
        });
        if hit != invert {
            n += 1;
            if !count && !quiet {
                c.print(line);
                c.print("\n");
            }
        }
    }
    if count {
        c.print(&format!("{n}\n"));
    }
    if n > 0 {
        0
    } else {
        1
    }
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
            Some(ns) => total = total.saturating_add(ns),
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

/// ls: /run/netns lists the named namespaces (the bind mounts); other
/// directories come from the real file system. Names sorted, one per line.
pub fn ls(c: &mut Cmd, args: &[String]) -> i32 {
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let paths: Vec<String> = if paths.is_empty() {
        vec![c.m.cwd.clone()]
    } else {
        paths.into_iter().cloned().collect()
    };
    let mut rc = 0;
    for p in paths {
        let mut names: Vec<String> = if p.trim_end_matches('/') == "/run/netns" {
            c.m.world.names().iter().map(|(n, _)| n.clone()).collect()
        } else {
            match std::fs::read_dir(crate::fs::resolve(&c.m.cwd, &p)) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect(),
                Err(e) => {
                    c.eprint(&format!(
                        "ls: cannot access '{p}': {}\n",
                        crate::fs::strerror(&e)
                    ));
                    rc = 2;
                    continue;
                }
            }
        };
        names.sort();
        for n in names {
            c.print(&format!("{n}\n"));
        }
    }
    rc
}
