//! The builtins beyond the basic ones in `exec.rs`: `test`/`[`, `printf`,
//! `read`, `local`/`declare`, `return`, `shift`, `eval`, `source`, `command`,
//! `type`, `trap`, `let`, and job control (`jobs`, `fg`, `bg`).

use crate::exec::{io_message, Frame, BUILTINS};
use crate::parse::is_name;
use crate::{Shell, System};

/// Reserved words, for `type` and `command -v`.
/// The longest line `read` takes from the script's own stdin, and what
/// `mapfile` takes of it: an endless stdin (`yes | vnet run`) is cut there.
const READ_MAX: usize = 16 << 20;
const MAPFILE_MAX: usize = 16 << 20;

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc",
];

/// Signals `trap` and `kill` know, by number.
const SIGNALS: &[(i32, &str)] = &[
    (1, "HUP"),
    (2, "INT"),
    (3, "QUIT"),
    (6, "ABRT"),
    (9, "KILL"),
    (10, "USR1"),
    (12, "USR2"),
    (13, "PIPE"),
    (14, "ALRM"),
    (15, "TERM"),
    (17, "CHLD"),
    (18, "CONT"),
    (19, "STOP"),
    (20, "TSTP"),
];

/// A signal spec (`INT`, `SIGINT`, `2`, `EXIT`, `ERR`) as `trap` stores
/// it; None when unknown.
fn trap_name(spec: &str) -> Option<String> {
    let up = spec.to_ascii_uppercase();
    let bare = up.strip_prefix("SIG").unwrap_or(&up);
    match bare {
        "EXIT" | "0" => return Some("EXIT".into()),
        "ERR" | "DEBUG" | "RETURN" => return Some(bare.into()),
        _ => {}
    }
    if let Ok(n) = bare.parse::<i32>() {
        return SIGNALS.iter().find(|s| s.0 == n).map(|s| s.1.to_string());
    }
    SIGNALS
        .iter()
        .find(|s| s.1 == bare)
        .map(|s| s.1.to_string())
}

/// The order `trap` lists in: EXIT, signals by number, then DEBUG, ERR,
/// RETURN.
fn trap_rank(name: &str) -> i32 {
    match name {
        "EXIT" => 0,
        "DEBUG" => 100,
        "ERR" => 101,
        "RETURN" => 102,
        _ => SIGNALS.iter().find(|s| s.1 == name).map_or(99, |s| s.0),
    }
}

fn signal_number(spec: &str) -> Option<i32> {
    let up = spec.to_ascii_uppercase();
    let bare = up.strip_prefix("SIG").unwrap_or(&up);
    if let Ok(n) = bare.parse::<i32>() {
        return Some(n);
    }
    SIGNALS.iter().find(|s| s.1 == bare).map(|s| s.0)
}

impl Shell {
    /// True when `set -o NAME` is on.
    pub(crate) fn option_on(&self, name: &str) -> bool {
        match name {
            "errexit" => self.opts.errexit,
            "xtrace" => self.opts.xtrace,
            "pipefail" => self.opts.pipefail,
            "nounset" => self.opts.nounset,
            "noglob" => self.opts.noglob,
            _ => false,
        }
    }

    pub(crate) fn builtin_more(
        &mut self,
        argv: &[String],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        let args = &argv[1..];
        match argv[0].as_str() {
            "test" => self.test_builtin("test", args, f, sys),
            "[" => match args.last().map(String::as_str) {
                Some("]") => self.test_builtin("[", &args[..args.len() - 1], f, sys),
                _ => {
                    self.say(f.err, sys, "[: missing `]'");
                    2
                }
            },
            "printf" => self.printf_builtin(args, f, sys),
            "read" => self.read_builtin(args, f, sys),
            "local" | "declare" | "typeset" | "readonly" => {
                self.declare_builtin(&argv[0], args, f, sys)
            }
            "return" => {
                let status = match args.first() {
                    None => self.last_status,
                    Some(n) => match n.parse::<i64>() {
                        Ok(n) => (n & 0xff) as i32,
                        Err(_) => {
                            self.say(
                                f.err,
                                sys,
                                &format!("return: {n}: numeric argument required"),
                            );
                            2
                        }
                    },
                };
                if self.returnable == 0 {
                    let msg = "return: can only `return' from a function or sourced script";
                    self.say(f.err, sys, msg);
                    return 2;
                }
                self.returning = true;
                self.last_status = status;
                status
            }
            "shift" => {
                let n = match args.first() {
                    None => 1,
                    Some(a) => match a.parse::<usize>() {
                        Ok(n) => n,
                        Err(_) => {
                            self.say(
                                f.err,
                                sys,
                                &format!("shift: {a}: numeric argument required"),
                            );
                            return 1;
                        }
                    },
                };
                if n > self.args.len() {
                    return 1;
                }
                self.args.drain(..n);
                0
            }
            "eval" => {
                let text = args.join(" ");
                let line = self.cur_line;
                let name = format!("{}: eval", self.name);
                let outer = self.syntax_name.replace(name);
                let st = self.run_text(&text, line, f, sys);
                self.syntax_name = outer;
                st
            }
            "." | "source" => self.source_builtin(&argv[0], args, f, sys),
            "exec" => {
                // `exec cmd`: run it, then end the shell with its status.
                let status = self.run_argv(args, f, sys);
                self.exited = Some(status);
                status
            }
            "command" => self.command_builtin(args, f, sys),
            "type" => self.type_builtin(args, f, sys),
            "trap" => self.trap_builtin(args, f, sys),
            "let" => {
                if args.is_empty() {
                    self.say(f.err, sys, "let: expression expected");
                    return 1;
                }
                let mut last = 0;
                for a in args {
                    match self.arith_full(a, f.err, sys) {
                        Ok(v) => last = v,
                        Err(msg) => {
                            self.say(f.err, sys, &format!("let: {msg}"));
                            return 1;
                        }
                    }
                }
                i32::from(last == 0)
            }
            "jobs" => {
                let mut out = String::new();
                let listed: Vec<crate::jobs::Job> = self.jobs.iter().cloned().collect();
                let mut ended = Vec::new();
                for job in listed {
                    let status = match self.done_jobs.get(&job.id) {
                        Some(&st) => Some(st),
                        None => sys.job_status(job.id),
                    };
                    let (state, cmd) = match status {
                        None => ("Running".to_string(), format!("{} &", job.command)),
                        Some(0) => ("Done".to_string(), job.command.clone()),
                        Some(st) => (format!("Exit {st}"), job.command.clone()),
                    };
                    let mark = self.jobs.mark(job.num);
                    out.push_str(&format!("[{}]{mark}  {state:<24}{cmd}\n", job.num));
                    if status.is_some() {
                        ended.push(job.num);
                    }
                }
                // Jobs reported as ended are gone from the table.
                self.forget_jobs(sys, |j| ended.contains(&j.num));
                self.write_out(f.out, out.as_bytes(), "jobs", f, sys)
            }
            name @ ("fg" | "bg") => {
                let job = match args.first() {
                    None => self.jobs.current().cloned(),
                    Some(spec) => self.find_job(spec),
                };
                let Some(job) = job else {
                    let spec = args.first().map_or("current", String::as_str);
                    self.say(f.err, sys, &format!("{name}: {spec}: no such job"));
                    return 1;
                };
                if name == "bg" {
                    let line = format!("[{}]+ {} &\n", job.num, job.command);
                    return self.write_out(f.out, line.as_bytes(), "bg", f, sys);
                }
                let line = format!("{}\n", job.command);
                self.write_out(f.out, line.as_bytes(), "fg", f, sys);
                let st = sys.wait(&[job.id]);
                self.forget_jobs(sys, |j| j.num == job.num);
                st
            }
            "getopts" => self.getopts(args, f, sys),
            "mapfile" | "readarray" => self.mapfile(&argv[0], args, f, sys),
            "shopt" => self.shopt(args, f, sys),
            "hash" => {
                let mut status = 0;
                let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                if args.is_empty() {
                    return self.write_out(f.out, b"hash: hash table empty\n", "hash", f, sys);
                }
                for name in names {
                    let known = BUILTINS.contains(&name.as_str())
                        || self.funcs.contains_key(name)
                        || sys.has_command(name) != Some(false);
                    if !known {
                        self.say(f.err, sys, &format!("hash: {name}: not found"));
                        status = 1;
                    }
                }
                status
            }
            "umask" => match args.first() {
                None => self.write_out(f.out, b"0022\n", "umask", f, sys),
                Some(_) => 0,
            },
            "alias" => {
                let mut out = String::new();
                let mut status = 0;
                if args.is_empty() {
                    for (k, v) in &self.aliases {
                        out.push_str(&format!("alias {k}='{}'\n", v.replace('\'', r"'\''")));
                    }
                }
                for a in args.iter().filter(|a| a.as_str() != "-p") {
                    match a.split_once('=') {
                        Some((k, v)) => {
                            self.aliases.insert(k.to_string(), v.to_string());
                        }
                        None => match self.aliases.get(a) {
                            Some(v) => {
                                out.push_str(&format!("alias {a}='{}'\n", v.replace('\'', r"'\''")))
                            }
                            None => {
                                self.say(f.err, sys, &format!("alias: {a}: not found"));
                                status = 1;
                            }
                        },
                    }
                }
                let st = self.write_out(f.out, out.as_bytes(), "alias", f, sys);
                status.max(st)
            }
            "unalias" => {
                let mut status = 0;
                for a in args {
                    if a == "-a" {
                        self.aliases.clear();
                    } else if self.aliases.remove(a).is_none() {
                        self.say(f.err, sys, &format!("unalias: {a}: not found"));
                        status = 1;
                    }
                }
                status
            }
            "disown" => 0,
            other => unreachable!("{other} is not a builtin"),
        }
    }

    /// `getopts OPTSTRING NAME [ARGS…]`: the next option of `$@` (or ARGS)
    /// in NAME, its argument in `OPTARG`, the next index in `OPTIND`.
    fn getopts(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let [spec, name, rest @ ..] = args else {
            self.say(
                f.err,
                sys,
                "getopts: usage: getopts optstring name [arg ...]",
            );
            return 2;
        };
        let argv: Vec<String> = match rest.is_empty() {
            true => self.args.clone(),
            false => rest.to_vec(),
        };
        let silent = spec.starts_with(':');
        let spec = spec.trim_start_matches(':');
        let mut ind: usize = self
            .vars
            .get("OPTIND")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
            .max(1);
        // Position inside a cluster like `-abc`.
        let mut pos = self.getopts_pos;
        let Some(arg) = argv.get(ind - 1) else {
            self.set_scalar(name, "?".into());
            self.getopts_pos = 0;
            return 1;
        };
        if pos >= arg.chars().count() {
            // OPTIND or the arguments changed under a cluster.
            pos = 0;
        }
        if pos == 0 {
            if arg == "--" {
                self.vars.insert("OPTIND".into(), (ind + 1).to_string());
                self.set_scalar(name, "?".into());
                return 1;
            }
            if !arg.starts_with('-') || arg.len() < 2 {
                self.set_scalar(name, "?".into());
                return 1;
            }
            pos = 1;
        }
        let chars: Vec<char> = arg.chars().collect();
        let c = chars[pos];
        pos += 1;
        let at_end = pos >= chars.len();
        let next = |ind: &mut usize, pos: &mut usize, at_end: bool| {
            if at_end {
                *ind += 1;
                *pos = 0;
            }
        };
        let known = spec.find(c).filter(|_| c != ':');
        let takes_arg = known.is_some_and(|i| spec[i + c.len_utf8()..].starts_with(':'));
        self.vars.remove("OPTARG");
        let mut status = 0;
        match (known, takes_arg) {
            (None, _) => {
                if silent {
                    self.vars.insert("OPTARG".into(), c.to_string());
                } else {
                    let msg = format!("{}: illegal option -- {c}\n", self.name);
                    let _ = sys.write(&mut self.sinks[f.err], msg.as_bytes());
                }
                self.set_scalar(name, "?".into());
                next(&mut ind, &mut pos, at_end);
            }
            (Some(_), false) => {
                self.set_scalar(name, c.to_string());
                next(&mut ind, &mut pos, at_end);
            }
            (Some(_), true) if !at_end => {
                let optarg: String = chars[pos..].iter().collect();
                self.vars.insert("OPTARG".into(), optarg);
                self.set_scalar(name, c.to_string());
                ind += 1;
                pos = 0;
            }
            (Some(_), true) => match argv.get(ind) {
                Some(optarg) => {
                    self.vars.insert("OPTARG".into(), optarg.clone());
                    self.set_scalar(name, c.to_string());
                    ind += 2;
                    pos = 0;
                }
                None => {
                    if silent {
                        self.set_scalar(name, ":".into());
                        self.vars.insert("OPTARG".into(), c.to_string());
                    } else {
                        let msg = format!("{}: option requires an argument -- {c}\n", self.name);
                        let _ = sys.write(&mut self.sinks[f.err], msg.as_bytes());
                        self.set_scalar(name, "?".into());
                    }
                    ind += 1;
                    pos = 0;
                    status = 0;
                }
            },
        }
        self.getopts_pos = pos;
        self.vars.insert("OPTIND".into(), ind.to_string());
        status
    }

    /// `mapfile [-t] [ARRAY]`: the lines of stdin into ARRAY (`MAPFILE`).
    fn mapfile(&mut self, cmd: &str, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let mut trim = false;
        let mut name = "MAPFILE".to_string();
        for a in args {
            match a.as_str() {
                "-t" => trim = true,
                a if a.starts_with('-') => {
                    self.say(f.err, sys, &format!("{cmd}: {a}: invalid option"));
                    return 2;
                }
                a => name = a.to_string(),
            }
        }
        let data = match (f.stdin.take(), &self.source) {
            (Some(d), _) => d,
            // The script's own stdin, to its end (bounded: an endless
            // one is cut there).
            (None, Some(src)) => src.borrow_mut().read_to_end(MAPFILE_MAX).0,
            (None, None) => Vec::new(),
        };
        f.stdin = Some(Vec::new());
        let text = String::from_utf8_lossy(&data).into_owned();
        let items = text
            .split_inclusive('\n')
            .enumerate()
            .map(|(i, l)| {
                let l = match trim {
                    true => l.strip_suffix('\n').unwrap_or(l),
                    false => l,
                };
                (i, l.to_string())
            })
            .collect();
        self.vars.remove(&name);
        self.arrays.insert(name, items);
        0
    }

    /// `shopt [-s|-u|-q] OPTNAME…`: `nullglob` and `dotglob` act; the
    /// other options bash has are accepted and change nothing.
    fn shopt(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        const KNOWN: &[&str] = &[
            "nullglob",
            "dotglob",
            "extglob",
            "globstar",
            "expand_aliases",
            "lastpipe",
            "failglob",
            "nocaseglob",
            "nocasematch",
            "inherit_errexit",
            "checkwinsize",
            "histappend",
            "globasciiranges",
            "xpg_echo",
            "sourcepath",
            "cmdhist",
        ];
        let (mut set, mut quiet) = (None, false);
        let mut names = Vec::new();
        for a in args {
            match a.as_str() {
                "-s" => set = Some(true),
                "-u" => set = Some(false),
                "-q" => quiet = true,
                "-p" | "-o" => {}
                _ => names.push(a.clone()),
            }
        }
        let mut status = 0;
        let mut out = String::new();
        for name in &names {
            if !KNOWN.contains(&name.as_str()) {
                self.say(
                    f.err,
                    sys,
                    &format!("shopt: {name}: invalid shell option name"),
                );
                status = 1;
                continue;
            }
            let slot = match name.as_str() {
                "nullglob" => Some(&mut self.opts.nullglob),
                "dotglob" => Some(&mut self.opts.dotglob),
                _ => None,
            };
            match (set, slot) {
                (Some(on), Some(slot)) => *slot = on,
                (Some(_), None) => {}
                (None, slot) => {
                    let on = slot.is_some_and(|s| *s)
                        || matches!(name.as_str(), "cmdhist" | "globasciiranges" | "sourcepath");
                    if !on {
                        status = 1;
                    }
                    if !quiet {
                        let state = if on { "on" } else { "off" };
                        out.push_str(&format!("{name:<15}\t{state}\n"));
                    }
                }
            }
        }
        let st = self.write_out(f.out, out.as_bytes(), "shopt", f, sys);
        status.max(st)
    }

    /// `%N`, `%%`, `%+`, `%-` or a job id.
    pub(crate) fn find_job(&self, spec: &str) -> Option<crate::jobs::Job> {
        match spec {
            "%%" | "%+" | "%" => self.jobs.current().cloned(),
            "%-" => self.jobs.previous().cloned(),
            _ => match spec.strip_prefix('%') {
                Some(n) => {
                    let n: u32 = n.parse().ok()?;
                    self.jobs.iter().find(|j| j.num == n).cloned()
                }
                None => {
                    let id: u32 = spec.parse().ok()?;
                    Some(self.jobs.iter().find(|j| j.id == id).cloned().unwrap_or(
                        crate::jobs::Job {
                            num: 0,
                            id,
                            command: String::new(),
                        },
                    ))
                }
            },
        }
    }

    /// `kill [-s SIG | -SIG | -n N] %N|ID…` and `kill -l`.
    pub(crate) fn kill_builtin(
        &mut self,
        args: &[String],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        let mut sig = 15;
        let mut i = 0;
        if args.first().map(String::as_str) == Some("-l") {
            let list: String = SIGNALS
                .iter()
                .map(|s| format!("{}) SIG{}\n", s.0, s.1))
                .collect();
            return self.write_out(f.out, list.as_bytes(), "kill", f, sys);
        }
        while let Some(arg) = args.get(i) {
            if arg == "--" {
                i += 1;
                break;
            }
            let spec = if arg == "-s" || arg == "-n" {
                i += 1;
                match args.get(i) {
                    Some(s) => s.as_str(),
                    None => break,
                }
            } else if let Some(s) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
                s
            } else {
                break;
            };
            match signal_number(spec) {
                Some(n) => sig = n,
                None => {
                    self.say(
                        f.err,
                        sys,
                        &format!("kill: {spec}: invalid signal specification"),
                    );
                    return 1;
                }
            }
            i += 1;
        }
        let targets = &args[i.min(args.len())..];
        if targets.is_empty() {
            let msg = "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]";
            self.say(f.err, sys, msg);
            return 2;
        }
        let mut status = 0;
        for arg in targets {
            if arg == &crate::exec::SHELL_PID.to_string() {
                if let Some(name) = SIGNALS.iter().find(|s| s.0 == sig).map(|s| s.1) {
                    if let Some(action) = self.traps.get(name).cloned() {
                        let line = self.cur_line;
                        self.run_text(&action, line, f, sys);
                        continue;
                    }
                }
            }
            let ok = match self.find_job(arg) {
                // Signal 0 only asks whether the job is there.
                Some(job) if sig == 0 => sys.job_status(job.id).is_none(),
                Some(job) => sys.signal(job.id, sig),
                None => false,
            };
            if !ok {
                let msg = match arg.starts_with('%') {
                    true => format!("kill: {arg}: no such job"),
                    false if arg.parse::<u32>().is_err() => {
                        format!("kill: {arg}: arguments must be process or job IDs")
                    }
                    false => format!("kill: ({arg}) - No such process"),
                };
                self.say(f.err, sys, &msg);
                status = 1;
            }
        }
        status
    }

    fn test_builtin(
        &mut self,
        name: &str,
        args: &[String],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        match self.test_args(args, name == "[", sys) {
            Ok(v) => i32::from(!v),
            Err(msg) => {
                self.say(f.err, sys, &format!("{name}: {msg}"));
                2
            }
        }
    }

    fn printf_builtin(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let mut args = args;
        let mut var = None;
        if args.first().map(String::as_str) == Some("-v") {
            match args.get(1) {
                Some(v) => var = Some(v.clone()),
                None => {
                    self.say(f.err, sys, "printf: -v: option requires an argument");
                    return 2;
                }
            }
            args = &args[2..];
        }
        if args.first().map(String::as_str) == Some("--") {
            args = &args[1..];
        }
        let Some(format) = args.first() else {
            self.say(
                f.err,
                sys,
                "printf: usage: printf [-v var] format [arguments]",
            );
            return 2;
        };
        let p = crate::printf::printf(format, &args[1..]);
        for e in &p.errors {
            self.say(f.err, sys, e);
        }
        match var {
            Some(name) => {
                let value = String::from_utf8_lossy(&p.out).into_owned();
                self.set_scalar(&name, value);
                p.status
            }
            None => {
                let st = self.write_out(f.out, &p.out, "printf", f, sys);
                if st != 0 {
                    st
                } else {
                    p.status
                }
            }
        }
    }

    /// `read [-r] [-a ARR] [-d DELIM] [-n N] [-p PROMPT] [-s] [-t T] [NAME…]`.
    fn read_builtin(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let (mut raw, mut array, mut delim, mut nchars) = (false, None, b'\n', None);
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            let Some(flags) = arg.strip_prefix('-').filter(|s| !s.is_empty()) else {
                break;
            };
            if arg == "--" {
                i += 1;
                break;
            }
            let mut chars = flags.chars();
            while let Some(c) = chars.next() {
                match c {
                    'r' => raw = true,
                    's' | 'e' => {}
                    'a' | 'd' | 'p' | 't' | 'n' | 'N' | 'u' | 'i' => {
                        let rest: String = chars.by_ref().collect();
                        let value = if rest.is_empty() {
                            i += 1;
                            match args.get(i) {
                                Some(v) => v.clone(),
                                None => {
                                    self.say(
                                        f.err,
                                        sys,
                                        &format!("read: -{c}: option requires an argument"),
                                    );
                                    return 2;
                                }
                            }
                        } else {
                            rest
                        };
                        match c {
                            'a' => array = Some(value),
                            'd' => delim = value.bytes().next().unwrap_or(0),
                            'n' | 'N' => nchars = value.parse::<usize>().ok(),
                            _ => {}
                        }
                    }
                    _ => {
                        self.say(f.err, sys, &format!("read: -{c}: invalid option"));
                        let usage = "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]";
                        self.say(f.err, sys, usage);
                        return 2;
                    }
                }
            }
            i += 1;
        }
        let names: Vec<String> = args[i.min(args.len())..].to_vec();
        for n in names.iter().chain(array.iter()) {
            if !is_name(n) {
                self.say(f.err, sys, &format!("read: `{n}': not a valid identifier"));
                return 1;
            }
        }
        // Take one line (or delimited record) from stdin; a backslash
        // escapes the next character unless -r.
        // From the pipe's or file's data, or byte by byte from the
        // script's own stdin (the next command gets the rest, as bash's
        // read on a pipe leaves it).
        let source = match f.stdin {
            None => self.source.clone(),
            Some(_) => None,
        };
        let mut none = Vec::new();
        let input = match f.stdin.as_mut() {
            Some(v) => v,
            None => &mut none,
        };
        let mut pos = 0;
        let mut next = || match &source {
            Some(src) => src.borrow_mut().byte(),
            None => {
                let b = input.get(pos).copied();
                pos += usize::from(b.is_some());
                b
            }
        };
        let mut line: Vec<(u8, bool)> = Vec::new();
        let mut eof = true;
        while let Some(b) = next() {
            if line.len() >= READ_MAX {
                // An endless line: what a shell variable may hold.
                eof = false;
                break;
            }
            if !raw && b == b'\\' {
                match next() {
                    Some(b'\n') => continue,
                    Some(n) => {
                        line.push((n, true));
                        continue;
                    }
                    None => continue,
                }
            }
            if b == delim && nchars.is_none() {
                eof = false;
                break;
            }
            line.push((b, false));
            if nchars.is_some_and(|n| line.len() >= n) {
                eof = false;
                break;
            }
        }
        input.drain(..pos);
        let ifs = self.ifs();
        let ifs_ws: Vec<char> = ifs.chars().filter(|c| " \t\n".contains(*c)).collect();
        let is_ifs = |b: u8, esc: bool| !esc && ifs.as_bytes().contains(&b);
        let is_ws = |b: u8, esc: bool| !esc && ifs_ws.contains(&(b as char));
        let text = |v: &[(u8, bool)]| {
            String::from_utf8_lossy(&v.iter().map(|x| x.0).collect::<Vec<u8>>()).into_owned()
        };
        if names.is_empty() && array.is_none() {
            self.set_scalar("REPLY", text(&line));
            return i32::from(eof);
        }
        // Split into fields; the last name takes the rest of the line.
        let mut s = 0;
        while s < line.len() && is_ws(line[s].0, line[s].1) {
            s += 1;
        }
        let mut fields: Vec<String> = Vec::new();
        let wanted = if array.is_some() {
            usize::MAX
        } else {
            names.len()
        };
        let mut k = s;
        while k < line.len() {
            if fields.len() + 1 == wanted {
                // The rest, without trailing IFS white space.
                let mut end = line.len();
                while end > k && is_ws(line[end - 1].0, line[end - 1].1) {
                    end -= 1;
                }
                // A single trailing non-white IFS character is dropped too.
                let rest = &line[k..end];
                let mut rest_text = text(rest);
                if end < line.len() || rest.len() > 1 {
                    if let Some(&(b, esc)) = rest.last() {
                        if is_ifs(b, esc)
                            && !is_ws(b, esc)
                            && !rest[..rest.len() - 1].iter().any(|x| is_ifs(x.0, x.1))
                        {
                            rest_text.pop();
                        }
                    }
                }
                fields.push(rest_text);
                k = line.len();
                break;
            }
            let start = k;
            while k < line.len() && !is_ifs(line[k].0, line[k].1) {
                k += 1;
            }
            fields.push(text(&line[start..k]));
            // Skip white space, one non-white delimiter, white space.
            while k < line.len() && is_ws(line[k].0, line[k].1) {
                k += 1;
            }
            if k < line.len() && is_ifs(line[k].0, line[k].1) && !is_ws(line[k].0, line[k].1) {
                k += 1;
                while k < line.len() && is_ws(line[k].0, line[k].1) {
                    k += 1;
                }
            }
        }
        let _ = k;
        match array {
            Some(name) => {
                self.vars.remove(&name);
                self.arrays
                    .insert(name, fields.into_iter().enumerate().collect());
            }
            None => {
                for (j, name) in names.iter().enumerate() {
                    let v = fields.get(j).cloned().unwrap_or_default();
                    self.set_scalar(name, v);
                }
            }
        }
        i32::from(eof)
    }

    /// `local`, `declare`/`typeset` and `readonly`: `-a` makes arrays, `-r`
    /// read-only, `-x` exported, `-p` prints; `local` hides the caller's
    /// value until the function returns.
    fn declare_builtin(
        &mut self,
        cmd: &str,
        args: &[String],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        let is_local = cmd == "local" || (cmd != "readonly" && !self.locals.is_empty());
        if cmd == "local" && self.locals.is_empty() {
            self.say(f.err, sys, "local: can only be used in a function");
            return 1;
        }
        let (mut array, mut ro, mut export, mut print) = (false, cmd == "readonly", false, false);
        let mut assoc = false;
        let mut status = 0;
        let mut names = Vec::new();
        // `NAME=(` ITEMS `)` from the parser (see parse::ARRAY_OPEN).
        let mut arrays: Vec<(String, Vec<String>)> = Vec::new();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            if let Some(head) = arg.strip_suffix(crate::parse::ARRAY_OPEN) {
                let items = it
                    .by_ref()
                    .take_while(|a| a.as_str() != crate::parse::ARRAY_CLOSE)
                    .cloned()
                    .collect();
                names.push(head.to_string());
                arrays.push((head.to_string(), items));
                continue;
            }
            if let Some(flags) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
                for c in flags.chars() {
                    match c {
                        'a' => array = true,
                        'A' => assoc = true,
                        'r' => ro = true,
                        'x' => export = true,
                        'p' => print = true,
                        _ => {}
                    }
                }
                continue;
            }
            names.push(arg.clone());
        }
        if print {
            let mut out = String::new();
            for name in &names {
                match (self.arrays.get(name), self.vars.get(name)) {
                    (Some(a), _) => {
                        let items: Vec<String> =
                            a.iter().map(|(k, v)| format!("[{k}]=\"{v}\"")).collect();
                        out.push_str(&format!("declare -a {name}=({})\n", items.join(" ")));
                    }
                    (None, Some(v)) => {
                        let mut attrs = String::new();
                        if self.exported.contains(name) {
                            attrs.push('x');
                        }
                        if self.readonly.contains(name) {
                            attrs.push('r');
                        }
                        if attrs.is_empty() {
                            attrs.push('-');
                        }
                        out.push_str(&format!("declare -{attrs} {name}=\"{v}\"\n"));
                    }
                    (None, None) => {
                        self.say(f.err, sys, &format!("declare: {name}: not found"));
                        status = 1;
                    }
                }
            }
            let st = self.write_out(f.out, out.as_bytes(), cmd, f, sys);
            return status.max(st);
        }
        for arg in names {
            let (name, value) = match arg.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (arg.clone(), None),
            };
            let (name, append) = match name.strip_suffix('+') {
                Some(n) => (n.to_string(), true),
                None => (name, false),
            };
            if !is_name(&name) {
                self.say(
                    f.err,
                    sys,
                    &format!("{cmd}: `{arg}': not a valid identifier"),
                );
                status = 1;
                continue;
            }
            if assoc && !self.assoc.contains_key(&name) {
                if is_local {
                    let saved = self.save_var(&name);
                    if let Some(frame) = self.locals.last_mut() {
                        frame.push(saved);
                    }
                }
                self.vars.remove(&name);
                self.arrays.remove(&name);
                self.assoc.insert(name.clone(), Vec::new());
            }
            if is_local && !assoc {
                if let Some(frame) = self.locals.last() {
                    if !frame.iter().any(|s| s.name == name) {
                        let saved = self.save_var(&name);
                        if let Some(frame) = self.locals.last_mut() {
                            frame.push(saved);
                        }
                        if value.is_none() && !array {
                            // `local x` hides the outer value (unset).
                            self.vars.remove(&name);
                            self.arrays.remove(&name);
                        }
                    }
                }
            }
            if let Some(v) = value {
                let items = arrays
                    .iter()
                    .find(|(head, _)| *head == arg)
                    .map(|(_, items)| items.clone());
                if !self.assign(&name, v, append, items, f.err, sys) {
                    status = 1;
                    continue;
                }
            } else if array && !self.arrays.contains_key(&name) {
                self.array_mut(&name);
            }
            if ro {
                self.readonly.insert(name.clone());
            }
            if export {
                self.exported.insert(name);
            }
        }
        status
    }

    fn source_builtin(
        &mut self,
        cmd: &str,
        args: &[String],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        let Some(file) = args.first() else {
            self.say(f.err, sys, &format!("{cmd}: filename argument required"));
            let usage = format!("{cmd}: usage: {cmd} filename [arguments]\n");
            let _ = sys.write(&mut self.sinks[f.err], usage.as_bytes());
            return 2;
        };
        let data = match sys.read_file(file) {
            Ok(d) => d,
            Err(e) => {
                self.say(f.err, sys, &format!("{file}: {}", io_message(&e)));
                return 1;
            }
        };
        let text = String::from_utf8_lossy(&data).into_owned();
        let saved_args =
            (args.len() > 1).then(|| std::mem::replace(&mut self.args, args[1..].to_vec()));
        let name = std::mem::replace(&mut self.name, file.clone());
        let line = self.cur_line;
        self.returnable += 1;
        let mut status = self.run_text(&text, 1, f, sys);
        self.returnable -= 1;
        if std::mem::take(&mut self.returning) {
            status = self.last_status;
        }
        self.name = name;
        self.cur_line = line;
        if let Some(a) = saved_args {
            self.args = a;
        }
        status
    }

    /// Runs argv as a simple command would (function, builtin, child
    /// shell, external), for `exec` and `command`.
    pub(crate) fn run_argv(&mut self, argv: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        if argv.is_empty() {
            return 0;
        }
        if BUILTINS.contains(&argv[0].as_str()) {
            return self.builtin(argv, f, sys);
        }
        self.external_or_shell(argv, f, sys)
    }

    fn command_builtin(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let (mut v, mut big_v) = (false, false);
        let mut i = 0;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-v" => v = true,
                "-V" => big_v = true,
                "-p" => {}
                _ => break,
            }
            i += 1;
        }
        let rest = &args[i..];
        if big_v {
            return self.type_builtin(rest, f, sys);
        }
        if v {
            let mut out = String::new();
            let mut status = 0;
            for name in rest {
                if self.funcs.contains_key(name)
                    || BUILTINS.contains(&name.as_str())
                    || KEYWORDS.contains(&name.as_str())
                {
                    out.push_str(&format!("{name}\n"));
                } else if let Some(path) = self.lookup(name, sys) {
                    out.push_str(&format!("{path}\n"));
                } else {
                    status = 1;
                }
            }
            let st = self.write_out(f.out, out.as_bytes(), "command", f, sys);
            return status.max(st);
        }
        // `command NAME args`: skips functions.
        self.run_argv(rest, f, sys)
    }

    /// Where an external command is, if anywhere.
    fn lookup(&mut self, name: &str, sys: &mut dyn System) -> Option<String> {
        if name.contains('/') {
            return sys
                .metadata(name)
                .ok()
                .filter(|m| m.mode & 0o111 != 0)
                .map(|_| name.to_string());
        }
        sys.which(name)
    }

    fn type_builtin(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let mut out = String::new();
        let mut status = 0;
        let (mut terse, mut names) = (false, Vec::new());
        for a in args {
            match a.as_str() {
                "-t" => terse = true,
                "-a" | "-p" | "-P" | "-f" => {}
                _ => names.push(a.clone()),
            }
        }
        for name in &names {
            let (kind, line) = if KEYWORDS.contains(&name.as_str()) {
                ("keyword", format!("{name} is a shell keyword"))
            } else if self.funcs.contains_key(name) {
                ("function", format!("{name} is a function"))
            } else if BUILTINS.contains(&name.as_str()) {
                ("builtin", format!("{name} is a shell builtin"))
            } else if let Some(path) = self.lookup(name, sys) {
                ("file", format!("{name} is {path}"))
            } else {
                if !terse {
                    self.say(f.err, sys, &format!("type: {name}: not found"));
                }
                status = 1;
                continue;
            };
            match terse {
                true => out.push_str(&format!("{kind}\n")),
                false => out.push_str(&format!("{line}\n")),
            }
        }
        let st = self.write_out(f.out, out.as_bytes(), "type", f, sys);
        status.max(st)
    }

    fn trap_builtin(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let mut args = args;
        if matches!(args.first().map(String::as_str), Some("-p")) {
            args = &args[1..];
            if !args.is_empty() {
                let mut out = String::new();
                for a in args {
                    if let Some(name) = trap_name(a) {
                        if let Some(action) = self.traps.get(&name) {
                            out.push_str(&trap_line(action, &name));
                        }
                    }
                }
                return self.write_out(f.out, out.as_bytes(), "trap", f, sys);
            }
        }
        if matches!(args.first().map(String::as_str), Some("-l")) {
            let list: String = SIGNALS
                .iter()
                .map(|s| format!("{:2}) SIG{}\n", s.0, s.1))
                .collect();
            return self.write_out(f.out, list.as_bytes(), "trap", f, sys);
        }
        if matches!(args.first().map(String::as_str), Some("--")) {
            args = &args[1..];
        }
        if args.is_empty() {
            let mut traps: Vec<(&String, &String)> = self.traps.iter().collect();
            traps.sort_by_key(|(n, _)| trap_rank(n));
            let out: String = traps.iter().map(|(n, a)| trap_line(a, n)).collect();
            return self.write_out(f.out, out.as_bytes(), "trap", f, sys);
        }
        // `trap SIG` alone (a signal as the only word) resets it.
        let (action, specs) = if args.len() == 1
            || signal_number(&args[0]).is_some_and(|_| args[0].parse::<i32>().is_ok())
        {
            (None, args)
        } else {
            match args[0].as_str() {
                "-" => (None, &args[1..]),
                a => (Some(a.to_string()), &args[1..]),
            }
        };
        let mut status = 0;
        for spec in specs {
            match trap_name(spec) {
                Some(name) => match &action {
                    Some(a) => {
                        self.traps.insert(name, a.clone());
                    }
                    None => {
                        self.traps.remove(&name);
                    }
                },
                None => {
                    self.say(
                        f.err,
                        sys,
                        &format!("trap: {spec}: invalid signal specification"),
                    );
                    status = 1;
                }
            }
        }
        status
    }
}

/// `trap -- 'action' NAME` as `trap` lists it.
fn trap_line(action: &str, name: &str) -> String {
    let shown = match name {
        "EXIT" | "ERR" | "DEBUG" | "RETURN" => name.to_string(),
        _ => format!("SIG{name}"),
    };
    format!("trap -- '{}' {shown}\n", action.replace('\'', r"'\''"))
}
