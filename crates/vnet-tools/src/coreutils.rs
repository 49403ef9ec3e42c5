//! The few tools that need the machine rather than a file tree: sleep,
//! true, false, dmesg, yes. cat, grep, ls and the other text and file
//! tools are vnet-userland's, over the machine's file tree.

use crate::proc::{Io, Program, Step};
use crate::Cmd;
use vnet_core::{Time, World};

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

/// How much `yes` writes: the stages of a pipeline run one after another
/// here, so `yes` cannot wait for its reader to go away. It writes what a
/// pipe holds (Linux's 16 pages; whole lines, at least one) and stops as
/// if the reader had then closed the pipe, which is what ends it in
/// `yes | head -3` (SIGPIPE: 141). A reader that wants more lines than
/// that gets fewer than on Linux.
pub const YES_BYTES: usize = 65536;

pub fn yes(c: &mut Cmd, args: &[String]) -> i32 {
    use crate::getopt::{self, Arg};
    let long = [("help", Arg::No, 'h'), ("version", Arg::No, 'V')];
    let (opts, words) = match getopt::parse(args, "", &long, false) {
        Ok(r) => r,
        Err(e) => {
            c.eprint(&format!(
                "yes: {e}\nTry 'yes --help' for more information.\n"
            ));
            return 1;
        }
    };
    match opts.first() {
        Some(('h', _)) => {
            c.print(include_str!("help/yes.txt"));
            return 0;
        }
        Some(_) => {
            c.print(&crate::sysinfo::version("yes", "David MacKenzie"));
            return 0;
        }
        None => {}
    }
    let line = match words.is_empty() {
        true => "y\n".to_string(),
        false => format!("{}\n", words.join(" ")),
    };
    let times = (YES_BYTES / line.len()).max(1);
    c.out.reserve(times * line.len());
    for _ in 0..times {
        c.out.extend_from_slice(line.as_bytes());
    }
    128 + 13
}
