//! `timeout` (coreutils 9.1): runs a command and signals it when its
//! time is up, in virtual time. The command's program (ping, tcpdump,
//! sleep...) is wrapped in a [`Deadline`] through `Machine::wraps`, so it
//! runs in the foreground or with `&` as it would alone; on time the
//! program gets the signal as the real one would (`Program::signal`: ping
//! dies silently on SIGTERM, tcpdump prints its statistics).

use crate::getopt::{self, Arg, Long};
use crate::launch::{self, Fired, Ran};
use crate::proc::{Io, Program, Step};
use crate::Cmd;
use vnet_core::{Time, World};

const SIGKILL: i32 = 9;
const SIGTERM: i32 = 15;

/// Signal names as sig2str(3) writes them (x86_64), by number.
const NAMES: &[(&str, i32)] = &[
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("ILL", 4),
    ("TRAP", 5),
    ("ABRT", 6),
    ("BUS", 7),
    ("FPE", 8),
    ("KILL", 9),
    ("USR1", 10),
    ("SEGV", 11),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
    ("STKFLT", 16),
    ("CHLD", 17),
    ("CONT", 18),
    ("STOP", 19),
    ("TSTP", 20),
    ("TTIN", 21),
    ("TTOU", 22),
    ("URG", 23),
    ("XCPU", 24),
    ("XFSZ", 25),
    ("VTALRM", 26),
    ("PROF", 27),
    ("WINCH", 28),
    ("POLL", 29),
    ("PWR", 30),
    ("SYS", 31),
    // Aliases str2sig also takes.
    ("EXIT", 0),
    ("IOT", 6),
    ("CLD", 17),
    ("IO", 29),
];

const RTMIN: i32 = 34;
const RTMAX: i32 = 64;

/// str2sig(3): a number, or a name with or without `SIG` in any case.
pub fn parse_signal(s: &str) -> Option<i32> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok().filter(|n| *n <= RTMAX);
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    if let Some(&(_, n)) = NAMES.iter().find(|(k, _)| *k == name) {
        return Some(n);
    }
    let rt = |rest: &str, base: i32, sign: i32| -> Option<i32> {
        let off: i32 = match rest {
            "" => 0,
            r => r.parse().ok()?,
        };
        let n = base + sign * off;
        (RTMIN..=RTMAX).contains(&n).then_some(n)
    };
    if let Some(r) = name.strip_prefix("RTMIN") {
        return rt(r.strip_prefix('+').unwrap_or(r), RTMIN, 1);
    }
    if let Some(r) = name.strip_prefix("RTMAX") {
        return rt(r.strip_prefix('-').unwrap_or(r), RTMAX, -1);
    }
    None
}

/// sig2str(3): the name without `SIG`.
pub fn signal_name(n: i32) -> String {
    if let Some((k, _)) = NAMES.iter().find(|(_, v)| *v == n) {
        return k.to_string();
    }
    match n {
        RTMIN => "RTMIN".into(),
        RTMAX => "RTMAX".into(),
        n if n > RTMIN && n <= (RTMIN + RTMAX) / 2 => format!("RTMIN+{}", n - RTMIN),
        n if n > RTMIN && n < RTMAX => format!("RTMAX-{}", RTMAX - n),
        n => n.to_string(),
    }
}

/// A DURATION as timeout (and sleep) reads it: a floating-point number
/// (strtod: decimal, exponent, hex, `inf`) with an optional s/m/h/d
/// suffix. None when invalid or negative; zero means "no timeout".
pub fn parse_duration(s: &str) -> Option<Time> {
    let (num, mult) = match s.as_bytes().last()? {
        b's' => (&s[..s.len() - 1], 1.0),
        b'm' => (&s[..s.len() - 1], 60.0),
        b'h' => (&s[..s.len() - 1], 3600.0),
        b'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let hex = num
        .strip_prefix("0x")
        .or_else(|| num.strip_prefix("0X"))
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()));
    let v: f64 = match hex {
        Some(h) => u64::from_str_radix(h, 16).ok()? as f64,
        None if num.eq_ignore_ascii_case("nan") || num.contains(['_', '+']) => return None,
        None => num.parse().ok()?,
    };
    if v.is_nan() || v < 0.0 {
        return None;
    }
    // Beyond the run's budget is as good as forever (and stays a Time).
    let secs = (v * mult).min(1e9);
    // A positive duration too small for a nanosecond still times out.
    Some(Time((secs * 1e9).ceil() as u64))
}

/// A program with a deadline: on it, the signal; with `-k`, SIGKILL
/// later if it is still running.
pub struct Deadline {
    inner: Box<dyn Program>,
    at: Time,
    sig: i32,
    kill_after: Option<Time>,
    preserve: bool,
    /// `-v`: the command's name, for "sending signal" messages.
    verbose: Option<String>,
    /// When SIGKILL follows, once the first signal went unheeded.
    kill_at: Option<Time>,
    timed_out: bool,
    /// Shared by every program the command starts: set when one dies of
    /// the deadline, which ends the whole command.
    fired: Fired,
}

impl Deadline {
    fn say(&self, io: &mut Io, sig: i32) {
        if let Some(cmd) = &self.verbose {
            let msg = format!(
                "timeout: sending signal {} to command '{cmd}'\n",
                signal_name(sig)
            );
            io.err.extend_from_slice(msg.as_bytes());
        }
    }

    /// The program exits with `code`: after the deadline, that kills the
    /// command, and timeout's status is 124 (`--preserve-status`: `code`;
    /// SIGKILL kills timeout too: 137). A job `timeout … &` ends so.
    fn status(&self, code: i32) -> i32 {
        if !self.timed_out {
            return code;
        }
        if self.fired.get().is_none() {
            self.fired.set(Some(code));
        }
        match code {
            137 => 137,
            _ if self.preserve => code,
            _ => 124,
        }
    }
}

impl Program for Deadline {
    fn poll(&mut self, w: &mut World, io: &mut Io) -> Step {
        let now = w.now();
        // timeout's alarm was set before the command started: at the same
        // instant it fires first.
        if !self.timed_out && now >= self.at {
            self.timed_out = true;
            // Once per command: its later programs die without a word.
            if self.fired.get().is_none() {
                self.say(io, self.sig);
            }
            if self.sig == SIGKILL {
                return Step::Exit(self.status(128 + SIGKILL));
            }
            if let Some(code) = self.inner.signal(w, io, self.sig) {
                return Step::Exit(self.status(code));
            }
            self.kill_at = self.kill_after.map(|k| now + k);
        }
        if self.kill_at.is_some_and(|k| now >= k) {
            self.say(io, SIGKILL);
            return Step::Exit(self.status(128 + SIGKILL));
        }
        match self.inner.poll(w, io) {
            Step::Exit(code) => Step::Exit(self.status(code)),
            Step::Wait(t) => {
                let next = if self.timed_out {
                    self.kill_at
                } else {
                    Some(self.at)
                };
                Step::Wait(match (t, next) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                })
            }
        }
    }
    fn interrupt(&mut self, w: &mut World, io: &mut Io) -> i32 {
        // timeout passes the signal on and exits as the command did.
        let code = self.inner.interrupt(w, io);
        self.status(code)
    }
    fn signal(&mut self, w: &mut World, io: &mut Io, sig: i32) -> Option<i32> {
        let code = self.inner.signal(w, io, sig)?;
        Some(self.status(code))
    }
    fn endless(&self) -> bool {
        self.timed_out && self.kill_at.is_none() && self.inner.endless()
    }
    fn flushes(&self) -> bool {
        self.inner.flushes()
    }
    fn close(&mut self, w: &mut World) {
        self.inner.close(w);
    }
}

const LONG: &[Long] = &[
    ("preserve-status", Arg::No, 'p'),
    ("foreground", Arg::No, 'f'),
    ("kill-after", Arg::Req, 'k'),
    ("signal", Arg::Req, 's'),
    ("verbose", Arg::No, 'v'),
    ("help", Arg::No, 'h'),
    ("version", Arg::No, 'V'),
];

fn usage(c: &mut Cmd, msg: Option<&str>) -> i32 {
    if let Some(m) = msg {
        c.eprint(&format!("timeout: {m}\n"));
    }
    c.eprint("Try 'timeout --help' for more information.\n");
    125
}

pub fn timeout(c: &mut Cmd, args: &[String]) -> i32 {
    let (opts, rest) = match getopt::parse(args, "k:s:v", LONG, true) {
        Ok(r) => r,
        Err(e) => return usage(c, Some(&e)),
    };
    let (mut sig, mut kill_after, mut preserve, mut verbose) = (SIGTERM, None, false, false);
    for (o, arg) in opts {
        let arg = arg.unwrap_or_default();
        match o {
            'p' => preserve = true,
            'f' => {}
            'v' => verbose = true,
            'k' => match parse_duration(&arg) {
                Some(t) => kill_after = Some(t).filter(|t| *t > Time::ZERO),
                None => return usage(c, Some(&format!("invalid time interval '{arg}'"))),
            },
            's' => match parse_signal(&arg) {
                Some(n) => sig = n,
                None => return usage(c, Some(&format!("'{arg}': invalid signal"))),
            },
            'h' => {
                c.print(include_str!("help/timeout.txt"));
                return 0;
            }
            _ => {
                c.print(&crate::sysinfo::version("timeout", "Padraig Brady"));
                return 0;
            }
        }
    }
    if rest.len() < 2 {
        return usage(c, None);
    }
    let Some(after) = parse_duration(&rest[0]) else {
        return usage(c, Some(&format!("invalid time interval '{}'", rest[0])));
    };
    let argv = &rest[1..];
    let fired: Fired = Default::default();
    let mark = c.m.wraps.len();
    if after > Time::ZERO {
        let at = c.m.world.now() + after;
        let name = argv[0].clone();
        let fired = fired.clone();
        c.m.wraps.push(std::rc::Rc::new(move |inner| {
            Box::new(Deadline {
                inner,
                at,
                sig,
                kill_after,
                preserve,
                verbose: verbose.then(|| name.clone()),
                kill_at: None,
                timed_out: false,
                fired: fired.clone(),
            })
        }));
    }
    let ran = launch::with_deadline(&fired, || launch::run(c, argv, c.stdin.clone()));
    c.m.wraps.truncate(mark);
    // timeout kills itself too after SIGKILL: 137 whatever
    // --preserve-status says.
    match (fired.get(), ran) {
        (Some(137), _) => return 137,
        (Some(code), _) if preserve => return code,
        (Some(_), _) => return 124,
        _ => {}
    }
    match ran {
        Ran::Exited(st) => st,
        Ran::NotFound => {
            let msg = format!(
                "timeout: failed to run command '{}': No such file or directory\n",
                argv[0]
            );
            c.eprint(&msg);
            127
        }
        Ran::Denied => {
            let msg = format!(
                "timeout: failed to run command '{}': Permission denied\n",
                argv[0]
            );
            c.eprint(&msg);
            126
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_by_name_number_and_realtime_offset() {
        assert_eq!(parse_signal("term"), Some(15));
        assert_eq!(parse_signal("SIGint"), Some(2));
        assert_eq!(parse_signal("9"), Some(9));
        assert_eq!(parse_signal("65"), None);
        assert_eq!(parse_signal("RTMIN+1"), Some(35));
        assert_eq!(parse_signal("RTMAX-1"), Some(63));
        assert_eq!(parse_signal("FOO"), None);
        assert_eq!(signal_name(35), "RTMIN+1");
        assert_eq!(signal_name(50), "RTMAX-14");
        assert_eq!(signal_name(17), "CHLD");
    }

    #[test]
    fn durations_take_suffixes_and_strtod_forms() {
        assert_eq!(parse_duration("1.5"), Some(Time::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Some(Time::from_secs(120)));
        assert_eq!(parse_duration("0x10"), Some(Time::from_secs(16)));
        assert_eq!(parse_duration("1e0"), Some(Time::from_secs(1)));
        assert_eq!(parse_duration("0"), Some(Time::ZERO));
        assert_eq!(parse_duration("1.5x"), None);
        assert_eq!(parse_duration("-1"), None);
        assert_eq!(parse_duration(""), None);
    }
}
