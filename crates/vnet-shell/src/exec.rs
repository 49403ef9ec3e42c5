//! Execution: lists, and-or lists, pipelines, compound commands,
//! functions, redirections, child shells (`sh -c`) and the basic builtins
//! (`builtins.rs` has the others).
//!
//! Output goes to sinks kept in a stack (`Shell::sinks`); a [`Frame`] names
//! the stack slots that fds 1, 2 (and 3-9 when open) point at, so `2>&1`
//! makes both name the same slot. A redirection or a pipe pushes a slot for
//! the duration of one command and pops it after; slot 0 and 1 are the
//! caller's stdout/stderr. A frame also carries the command's stdin, which
//! builtins (`read`) consume piecewise and hand back.

use std::io;

use std::rc::Rc;

use crate::jobs::Job;
use crate::parse::{
    is_name, AndOr, CaseEnd, Command, Compound, Cond, List, Pipeline, Redir, RedirOp, Simple,
};
use crate::{Feed, LoopCtl, Shell, Sink, System};

/// Ids given to background jobs that ran in the foreground (compound
/// commands and pipelines), far from the System's job ids.
pub(crate) const PSEUDO_JOB_BASE: u32 = 1 << 30;

/// `$$`: fixed, so that runs are deterministic.
pub const SHELL_PID: u32 = 4242;

/// How deep function calls, `eval`, `source` and `$(…)` may nest (bash has
/// no limit of its own: it dies of a stack overflow past a few thousand).
/// The stack budget (`stack.rs`) usually stops recursion first.
pub(crate) const MAX_DEPTH: usize = 1000;

/// True when one more level of functions, `eval` or `$(…)` is refused.
pub(crate) fn too_deep(depth: usize) -> bool {
    depth >= MAX_DEPTH || crate::stack::low()
}

/// Where the running command's fds 1 and 2 point (indices into
/// `Shell::sinks`) and the data waiting on its stdin (taken by the first
/// external command that runs).
pub(crate) struct Frame {
    pub out: usize,
    pub err: usize,
    pub stdin: Option<Vec<u8>>,
    /// Where fds 3 to 9 point, when opened (`exec 3>&1`, `3>file`).
    pub more: [Option<usize>; 7],
}

#[rustfmt::skip]
pub(crate) const BUILTINS: &[&str] = &[
    "echo", "true", "false", ":", "exit", "cd", "pwd", "export", "unset", "set", "wait",
    "break", "continue", "kill", "test", "[", "printf", "read", "local", "declare", "typeset",
    "readonly", "return", "shift", "eval", ".", "source", "exec", "command", "type", "trap",
    "let", "jobs", "fg", "bg", "getopts", "mapfile", "readarray", "shopt", "hash", "umask",
    "alias", "unalias", "disown",
];

/// Names `sh -c` and `bash script` run as a child shell in-process.
/// What a command named by a path is (see `Shell::path_program`).
enum PathProgram {
    /// A shell script to run in a child shell.
    Script,
    /// Not runnable: the message after the path, and the status.
    Refused(String, i32),
    /// For the System to run (or refuse).
    Other,
}

pub(crate) const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "dash",
    "/bin/sh",
    "/bin/bash",
    "/usr/bin/bash",
    "/bin/dash",
];

impl Shell {
    /// `exit`, `set -e`, an expansion error, `break` or `continue` is unwinding.
    pub(crate) fn stopping(&self) -> bool {
        self.exited.is_some() || self.aborted || self.loop_ctl.is_some() || self.returning
    }

    /// An expansion error (`$((1/0))`, a bad `${...}`): like bash running a
    /// script, print it and abandon the rest of the complete command (the
    /// whole line or block); the next one runs. The status is 1.
    pub(crate) fn expansion_failed(&mut self, err: usize, sys: &mut dyn System, msg: &str) -> i32 {
        self.say(err, sys, msg);
        self.aborted = true;
        if std::mem::take(&mut self.fatal) {
            // `set -u` and `${X:?}` end a non-interactive shell.
            self.exited = Some(1);
        }
        1
    }

    pub(crate) fn exec_list(&mut self, list: &List, f: &mut Frame, sys: &mut dyn System) -> i32 {
        let mut status = 0;
        for item in list {
            status = if item.background {
                self.exec_background(&item.and_or, f, sys)
            } else {
                self.exec_and_or(&item.and_or, f, sys)
            };
            self.last_status = status;
            if let Some(st) = sys.killed() {
                self.exited = Some(st);
            }
            if self.stopping() {
                break;
            }
        }
        status
    }

    fn exec_background(&mut self, ao: &AndOr, f: &mut Frame, sys: &mut dyn System) -> i32 {
        if let (true, false, [Command::Simple(s)]) =
            (ao.rest.is_empty(), ao.first.bang, ao.first.cmds.as_slice())
        {
            return self.exec_simple(s, f, sys, true);
        }
        // `(echo a; sleep 2) | cmd &`: the writer runs alongside cmd, which
        // becomes the job (`$!` is a pipeline's last process in bash too).
        if let (true, false, [first, Command::Simple(s)]) =
            (ao.rest.is_empty(), ao.first.bang, ao.first.cmds.as_slice())
        {
            if Self::is_feeder(first) {
                let Some(feed) = self.run_feeder(first, f, sys) else {
                    return 0;
                };
                let mut sf = Frame {
                    out: f.out,
                    err: f.err,
                    stdin: Some(feed.chunks.iter().flat_map(|c| c.1.clone()).collect()),
                    more: f.more,
                };
                sys.stdin_feed(feed);
                self.exec_simple(s, &mut sf, sys, true);
                return 0;
            }
        }
        // System::spawn takes one argv, so a backgrounded pipeline or compound
        // command runs in the foreground, in a subshell; like a real
        // background job, it cannot stop the shell under `set -e`, `$?` is
        // 0 after it, and `wait $!` gives its status.
        self.cond_depth += 1;
        let status = self.subshell(sys, |sh, sys| sh.exec_and_or(ao, f, sys));
        self.cond_depth -= 1;
        let id = PSEUDO_JOB_BASE + self.done_jobs.len() as u32;
        self.done_jobs.insert(id, status);
        self.last_bg = Some(id);
        0
    }

    /// A function, builtin, child shell or external command, in the foreground.
    fn run_resolved(
        &mut self,
        argv: &[String],
        temp: &[(String, String)],
        is_func: bool,
        is_builtin: bool,
        nf: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        if is_func {
            self.call_function(argv, nf, sys)
        } else if is_builtin {
            self.builtin(argv, nf, sys)
        } else if SHELLS.contains(&argv[0].as_str()) {
            self.child_shell(argv, temp, nf, sys)
        } else {
            self.external(argv, temp, nf, sys)
        }
    }

    /// A background job that already ran to its end (see exec_background):
    /// `$!` names it, `wait` and `jobs` answer its status.
    fn record_done_job(&mut self, status: i32, argv: &[String], sys: &mut dyn System) {
        let id = PSEUDO_JOB_BASE + self.done_jobs.len() as u32;
        self.done_jobs.insert(id, status);
        self.start_job(id, job_command(argv), sys);
    }

    /// Enters a started job in the job table; it is `$!`.
    fn start_job(&mut self, id: u32, command: String, sys: &mut dyn System) {
        self.last_bg = Some(id);
        let running = self.running_jobs(sys, Some(id));
        self.jobs.start(command, id, |j| running.contains(&j));
    }

    /// The ids of the jobs (and `extra`) that have not ended yet.
    pub(crate) fn running_jobs(&self, sys: &mut dyn System, extra: Option<u32>) -> Vec<u32> {
        let ids: Vec<u32> = self.jobs.iter().map(|j| j.id).chain(extra).collect();
        ids.into_iter()
            .filter(|id| !self.done_jobs.contains_key(id) && sys.job_status(*id).is_none())
            .collect()
    }

    /// Forgets the jobs `gone` selects (reaped by `wait`, reported by `jobs`).
    pub(crate) fn forget_jobs(&mut self, sys: &mut dyn System, gone: impl Fn(&Job) -> bool) {
        let running = self.running_jobs(sys, None);
        self.jobs.remove(gone, |j| running.contains(&j));
    }

    fn exec_and_or(&mut self, ao: &AndOr, f: &mut Frame, sys: &mut dyn System) -> i32 {
        let n = ao.rest.len();
        let mut status = self.exec_pipeline_checked(&ao.first, n > 0, f, sys);
        for (i, (and, p)) in ao.rest.iter().enumerate() {
            if self.stopping() {
                break;
            }
            if *and == (status == 0) {
                status = self.exec_pipeline_checked(p, i + 1 < n, f, sys);
            }
        }
        status
    }

    /// Runs a pipeline and applies `set -e`. It does not stop the shell when
    /// the pipeline is negated, is not the last of an and-or list, runs as a
    /// condition (`cond_depth`), or ends in a compound command other than a
    /// subshell (whose own commands were checked already), as in bash.
    fn exec_pipeline_checked(
        &mut self,
        p: &Pipeline,
        not_last: bool,
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        let suppress = not_last || p.bang;
        self.cond_depth += usize::from(suppress);
        let status = self.exec_pipeline(p, f, sys);
        self.cond_depth -= usize::from(suppress);
        let checked = match p.cmds.last() {
            Some(Command::Compound(c, _)) => {
                matches!(
                    c,
                    Compound::Subshell(_) | Compound::Cond(..) | Compound::Arith(..)
                )
            }
            _ => true,
        };
        if status != 0 && checked && !suppress && self.cond_depth == 0 && !self.stopping() {
            // Functions do not inherit the ERR trap (no `set -E`).
            let in_function = !self.locals.is_empty();
            if let (Some(action), false, false) = (
                self.traps.get("ERR").cloned(),
                self.in_err_trap,
                in_function,
            ) {
                self.in_err_trap = true;
                self.run_text(&action, self.cur_line, f, sys);
                self.in_err_trap = false;
                self.last_status = status;
            }
            if self.opts.errexit && !self.stopping() {
                self.exited = Some(status);
            }
        }
        status
    }

    /// Stages run one after another; each one's stdout is collected in a
    /// buffer that becomes the next one's stdin. Every stage but the last
    /// runs like a subshell (its `exit` or variables stay inside), as in bash.
    fn exec_pipeline(&mut self, p: &Pipeline, f: &mut Frame, sys: &mut dyn System) -> i32 {
        let n = p.cmds.len();
        let mut status;
        if n == 1 {
            status = self.exec_command(&p.cmds[0], f, sys);
            self.set_pipestatus(vec![status]);
        } else if let (2, Command::Simple(last)) = (n, &p.cmds[1]) {
            // Not a feeder: the general case below.
            if !Self::is_feeder(&p.cmds[0]) {
                return self.exec_stages(p, f, sys);
            }
            let Some(feed) = self.run_feeder(&p.cmds[0], f, sys) else {
                return 1;
            };
            let mut sf = Frame {
                out: f.out,
                err: f.err,
                stdin: Some(feed.chunks.iter().flat_map(|c| c.1.clone()).collect()),
                more: f.more,
            };
            sys.stdin_feed(feed);
            status = self.exec_simple(last, &mut sf, sys, false);
        } else {
            return self.exec_stages(p, f, sys);
        }
        if p.bang {
            status = i32::from(status == 0);
        }
        self.last_status = status;
        status
    }

    /// A pipe holds 64 KiB (Linux's default): when a reader ends with more
    /// than that of its input unread, its writer, which in a real pipeline
    /// would still be writing then, dies of SIGPIPE (stages here run one
    /// after the other, so its status is set afterwards).
    fn sigpipe(&mut self, statuses: &mut [i32], reader: &Frame) {
        const PIPE_BUF: usize = 64 * 1024;
        let left = reader.stdin.as_ref().map_or(0, Vec::len);
        if left.max(self.pipe_unread) > PIPE_BUF {
            if let Some(w) = statuses.last_mut() {
                *w = 128 + 13;
            }
        }
        self.pipe_unread = 0;
    }

    /// `$PIPESTATUS`: the statuses of the last pipeline's commands.
    fn set_pipestatus(&mut self, statuses: Vec<i32>) {
        let items = statuses
            .into_iter()
            .enumerate()
            .map(|(i, s)| (i, s.to_string()))
            .collect();
        self.arrays.insert("PIPESTATUS".into(), items);
    }

    /// A pipeline's first stage that only writes and sleeps: a subshell or
    /// group of plain `echo ...` and `sleep N` commands. It can run
    /// alongside the next stage as a [`Feed`] instead of before it.
    fn is_feeder(cmd: &Command) -> bool {
        let Command::Compound(Compound::Subshell(list) | Compound::Group(list), redirs) = cmd
        else {
            return false;
        };
        let mut sleeps = false;
        let plain = redirs.is_empty()
            && list.iter().all(|item| {
                let ao = &item.and_or;
                match (
                    item.background,
                    ao.rest.is_empty(),
                    ao.first.bang,
                    ao.first.cmds.as_slice(),
                ) {
                    (false, true, false, [Command::Simple(s)])
                        if s.assigns.is_empty() && s.redirs.is_empty() =>
                    {
                        match s.words.first().and_then(|w| w.literal()) {
                            Some("echo") => true,
                            Some("sleep") => {
                                sleeps = true;
                                s.words.len() == 2
                            }
                            _ => false,
                        }
                    }
                    _ => false,
                }
            });
        plain && sleeps
    }

    /// Evaluates a feeder (see [`is_feeder`](Self::is_feeder)) without
    /// letting time pass: each echo's bytes at the sum of the sleeps before
    /// it. None (after bash's message) when an expansion fails or a sleep's
    /// operand is not a number.
    fn run_feeder(&mut self, cmd: &Command, f: &Frame, sys: &mut dyn System) -> Option<Feed> {
        let Command::Compound(Compound::Subshell(list) | Compound::Group(list), _) = cmd else {
            return None;
        };
        let mut feed = Feed::default();
        let mut at = 0u64;
        for item in list {
            let Some(Command::Simple(s)) = item.and_or.first.cmds.first() else {
                return None;
            };
            let mut argv = Vec::new();
            for w in &s.words {
                match self.expand_fields(w, f.err, sys) {
                    Ok(fields) => argv.extend(fields),
                    Err(msg) => {
                        self.expansion_failed(f.err, sys, &msg);
                        return None;
                    }
                }
            }
            if argv.first().map(String::as_str) == Some("echo") {
                self.sinks.push(Sink::Buffer(Vec::new()));
                let mut ef = Frame {
                    out: self.sinks.len() - 1,
                    err: f.err,
                    stdin: None,
                    more: f.more,
                };
                self.echo(&argv[1..], &mut ef, sys);
                if let Some(Sink::Buffer(b)) = self.sinks.pop() {
                    if !b.is_empty() {
                        feed.chunks.push((at, b));
                    }
                }
            } else {
                let secs = argv.get(1).and_then(|a| a.parse::<f64>().ok());
                match secs {
                    Some(x) if x.is_finite() && x >= 0.0 => at += (x * 1e6) as u64,
                    _ => {
                        // Let the real tool say what is wrong with it.
                        let mut err = std::mem::replace(&mut self.sinks[f.err], Sink::Null);
                        sys.exec(&argv, None, &mut Sink::Null, &mut err);
                        self.sinks[f.err] = err;
                        return None;
                    }
                }
            }
        }
        feed.eof = at;
        Some(feed)
    }

    /// The general pipeline: stages one after another.
    fn exec_stages(&mut self, p: &Pipeline, f: &mut Frame, sys: &mut dyn System) -> i32 {
        let n = p.cmds.len();
        let mut status = 0;
        {
            let mut input = f.stdin.take();
            let mut failed = 0;
            let mut statuses = Vec::new();
            for (i, cmd) in p.cmds.iter().enumerate() {
                // A killed shell's pipeline died with it (its process
                // group got the signal): later stages do not run.
                if let Some(st) = sys.killed() {
                    status = st;
                    break;
                }
                if i + 1 == n {
                    let mut sf = Frame {
                        out: f.out,
                        err: f.err,
                        stdin: input.take(),
                        more: f.more,
                    };
                    // The last stage is a subshell too (bash without
                    // `lastpipe`), but `exit` in it ends only itself.
                    self.pipe_unread = 0;
                    status = self.subshell(sys, |sh, sys| sh.exec_command(cmd, &mut sf, sys));
                    self.sigpipe(&mut statuses, &sf);
                    statuses.push(status);
                    break;
                }
                self.sinks.push(Sink::Buffer(Vec::new()));
                let mut sf = Frame {
                    out: self.sinks.len() - 1,
                    err: f.err,
                    stdin: input.take(),
                    more: f.more,
                };
                self.cond_depth += 1;
                self.pipe_unread = 0;
                let st = self.subshell(sys, |sh, sys| sh.exec_command(cmd, &mut sf, sys));
                self.cond_depth -= 1;
                self.sigpipe(&mut statuses, &sf);
                statuses.push(st);
                input = match self.sinks.pop() {
                    Some(Sink::Buffer(b)) => Some(b),
                    _ => Some(Vec::new()),
                };
            }
            if let Some((_, writers)) = statuses.split_last() {
                failed = writers.iter().rfind(|&&s| s != 0).copied().unwrap_or(0);
            }
            self.set_pipestatus(statuses);
            if self.opts.pipefail && status == 0 {
                status = failed;
            }
        }
        if p.bang {
            status = i32::from(status == 0);
        }
        self.last_status = status;
        status
    }

    pub(crate) fn exec_command(
        &mut self,
        cmd: &Command,
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        if crate::stack::exhausted() {
            self.say(f.err, sys, "maximum nesting level exceeded");
            self.aborted = true;
            return 1;
        }
        match cmd {
            Command::Simple(s) => self.exec_simple(s, f, sys, false),
            Command::FuncDef { name, body } => {
                self.funcs.insert(name.clone(), Rc::clone(body));
                0
            }
            Command::Compound(c, redirs) => {
                let mark = self.sinks.len();
                let status = match self.open_redirs(redirs, f, sys) {
                    Ok((mut nf, stdin_set)) => {
                        let st = self.exec_compound(c, &mut nf, sys);
                        if !stdin_set {
                            f.stdin = nf.stdin.take();
                        }
                        st
                    }
                    Err(status) => status,
                };
                self.sinks.truncate(mark);
                status
            }
        }
    }

    fn exec_compound(&mut self, c: &Compound, f: &mut Frame, sys: &mut dyn System) -> i32 {
        match c {
            Compound::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    let status = self.exec_condition(cond, f, sys);
                    if self.stopping() {
                        return status;
                    }
                    if status == 0 {
                        return self.exec_list(body, f, sys);
                    }
                }
                match otherwise {
                    Some(list) => self.exec_list(list, f, sys),
                    None => 0,
                }
            }
            Compound::For {
                var,
                items,
                body,
                line,
            } => {
                self.cur_line = *line;
                if !is_name(var) {
                    self.say(f.err, sys, &format!("`{var}': not a valid identifier"));
                    return 1;
                }
                let words = match self.expand_words(items, f.err, sys) {
                    Ok(words) => words,
                    Err(msg) => return self.expansion_failed(f.err, sys, &msg),
                };
                let mut status = 0;
                self.loop_depth += 1;
                for word in words.iter().cloned() {
                    if self.opts.xtrace {
                        let list: Vec<String> = words.iter().map(|w| quote(w)).collect();
                        let text =
                            format!("{}for {var} in {}\n", self.xtrace_prefix(), list.join(" "));
                        let _ = sys.write(&mut self.sinks[f.err], text.as_bytes());
                    }
                    self.vars.insert(var.clone(), word);
                    status = self.exec_list(body, f, sys);
                    if self.loop_done() {
                        break;
                    }
                }
                self.loop_depth -= 1;
                status
            }
            Compound::While { cond, body, until } => {
                let mut status = 0;
                self.loop_depth += 1;
                loop {
                    let c = self.exec_condition(cond, f, sys);
                    if self.stopping() {
                        if self.loop_done() {
                            break;
                        }
                        continue;
                    }
                    if (c == 0) == *until {
                        break;
                    }
                    status = self.exec_list(body, f, sys);
                    if self.loop_done() {
                        break;
                    }
                }
                self.loop_depth -= 1;
                status
            }
            Compound::Group(list) => self.exec_list(list, f, sys),
            Compound::Subshell(list) => self.subshell(sys, |sh, sys| sh.exec_list(list, f, sys)),
            Compound::Case {
                word,
                raw,
                arms,
                line,
            } => {
                self.cur_line = *line;
                if self.opts.xtrace {
                    let text = format!("{}case {raw} in\n", self.xtrace_prefix());
                    let _ = sys.write(&mut self.sinks[f.err], text.as_bytes());
                }
                let subject = match self.expand_str(word, f.err, sys) {
                    Ok(s) => s,
                    Err(msg) => return self.expansion_failed(f.err, sys, &msg),
                };
                let subject: Vec<char> = subject.chars().collect();
                let mut status = 0;
                let mut i = 0;
                let mut fall = false;
                while i < arms.len() {
                    let arm = &arms[i];
                    let mut hit = fall;
                    if !hit {
                        for p in &arm.patterns {
                            let pat = match self.expand_pattern(p, f.err, sys) {
                                Ok(p) => p,
                                Err(msg) => return self.expansion_failed(f.err, sys, &msg),
                            };
                            if crate::glob::glob_match(&pat, &subject) {
                                hit = true;
                                break;
                            }
                        }
                    }
                    i += 1;
                    if !hit {
                        continue;
                    }
                    status = self.exec_list(&arm.body, f, sys);
                    if self.stopping() {
                        break;
                    }
                    match arm.end {
                        CaseEnd::Break => break,
                        CaseEnd::FallThrough => fall = true,
                        CaseEnd::TestNext => fall = false,
                    }
                }
                status
            }
            Compound::Cond(cond, line) => {
                self.cur_line = *line;
                match self.eval_cond(cond, f, sys) {
                    Ok(true) => 0,
                    Ok(false) => 1,
                    Err(None) => 2,
                    Err(Some(msg)) => {
                        self.say(f.err, sys, &msg);
                        if self.stopping() {
                            return 1;
                        }
                        2
                    }
                }
            }
            Compound::Arith(expr, line) => {
                self.cur_line = *line;
                if self.opts.xtrace {
                    let text = format!("{}(( {expr} ))\n", self.xtrace_prefix());
                    let _ = sys.write(&mut self.sinks[f.err], text.as_bytes());
                }
                match self.arith_full(expr, f.err, sys) {
                    Ok(v) => i32::from(v == 0),
                    Err(msg) => {
                        self.say(f.err, sys, &format!("((: {msg}"));
                        1
                    }
                }
            }
            Compound::ArithFor { parts, body, line } => {
                self.cur_line = *line;
                let eval = |sh: &mut Shell, sys: &mut dyn System, e: &str, f: &Frame| {
                    if e.trim().is_empty() {
                        return Some(1);
                    }
                    match sh.arith_full(e, f.err, sys) {
                        Ok(v) => Some(v),
                        Err(msg) => {
                            sh.say(f.err, sys, &format!("((: {msg}"));
                            None
                        }
                    }
                };
                if eval(self, sys, &parts[0], f).is_none() {
                    return 1;
                }
                let mut status = 0;
                self.loop_depth += 1;
                loop {
                    match eval(self, sys, &parts[1], f) {
                        None => {
                            status = 1;
                            break;
                        }
                        Some(0) => break,
                        Some(_) => {}
                    }
                    status = self.exec_list(body, f, sys);
                    if self.loop_done() {
                        break;
                    }
                    if eval(self, sys, &parts[2], f).is_none() {
                        status = 1;
                        break;
                    }
                }
                self.loop_depth -= 1;
                status
            }
        }
    }

    /// Evaluates `[[ … ]]`. `Err(Some(msg))` is an error to print (status 2).
    fn eval_cond(
        &mut self,
        c: &Cond,
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> Result<bool, Option<String>> {
        if self.opts.xtrace {
            let text = match c {
                Cond::Not(inner) if !matches!(**inner, Cond::And(..) | Cond::Or(..)) => {
                    self.cond_text(inner, f, sys).map(|t| format!("! {t}"))
                }
                Cond::And(..) | Cond::Or(..) | Cond::Not(_) => None,
                leaf => self.cond_text(leaf, f, sys),
            };
            if let Some(t) = text {
                let line = format!("{}[[ {t} ]]\n", self.xtrace_prefix());
                let _ = sys.write(&mut self.sinks[f.err], line.as_bytes());
            }
        }
        let c = match c {
            // Traced with its operand just above.
            Cond::Not(inner) if self.opts.xtrace => {
                let was = std::mem::replace(&mut self.opts.xtrace, false);
                let v = match **inner {
                    Cond::And(..) | Cond::Or(..) => {
                        self.opts.xtrace = was;
                        self.eval_cond(inner, f, sys)
                    }
                    _ => self.eval_cond(inner, f, sys),
                };
                self.opts.xtrace = was;
                return v.map(|v| !v);
            }
            c => c,
        };
        Ok(match c {
            Cond::Word(w) => !self.expand_str(w, f.err, sys).map_err(Some)?.is_empty(),
            Cond::Not(c) => !self.eval_cond(c, f, sys)?,
            Cond::And(a, b) => self.eval_cond(a, f, sys)? && self.eval_cond(b, f, sys)?,
            Cond::Or(a, b) => self.eval_cond(a, f, sys)? || self.eval_cond(b, f, sys)?,
            Cond::Unary(op, w) => {
                let arg = self.expand_str(w, f.err, sys).map_err(Some)?;
                self.unary_test(op, &arg, sys)
            }
            Cond::Binary(a, op, b) => {
                let lhs = self.expand_str(a, f.err, sys).map_err(Some)?;
                match op.as_str() {
                    "==" | "=" | "!=" => {
                        let pat = self.expand_pattern(b, f.err, sys).map_err(Some)?;
                        let s: Vec<char> = lhs.chars().collect();
                        crate::glob::glob_match(&pat, &s) == (op != "!=")
                    }
                    "=~" => {
                        let re = self.regex_text(b, f.err, sys).map_err(Some)?;
                        let Ok(re) = regex::Regex::new(&re) else {
                            return Err(None);
                        };
                        self.arrays.remove("BASH_REMATCH");
                        match re.captures(&lhs) {
                            Some(caps) => {
                                let items = caps
                                    .iter()
                                    .enumerate()
                                    .map(|(i, m)| (i, m.map_or("", |m| m.as_str()).to_string()))
                                    .collect();
                                self.arrays.insert("BASH_REMATCH".into(), items);
                                true
                            }
                            None => {
                                self.arrays
                                    .insert("BASH_REMATCH".into(), Default::default());
                                false
                            }
                        }
                    }
                    "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                        let rhs = self.expand_str(b, f.err, sys).map_err(Some)?;
                        let x = self.arith(&lhs).map_err(Some)?;
                        let y = self.arith(&rhs).map_err(Some)?;
                        crate::test::binary_test(&x.to_string(), op, &y.to_string())
                            .map_err(Some)?
                    }
                    _ => {
                        let rhs = self.expand_str(b, f.err, sys).map_err(Some)?;
                        crate::test::binary_test(&lhs, op, &rhs).map_err(Some)?
                    }
                }
            }
        })
    }

    /// A `[[ ]]` primary as `set -x` shows it (operands expanded).
    fn cond_text(&mut self, c: &Cond, f: &mut Frame, sys: &mut dyn System) -> Option<String> {
        let was = std::mem::replace(&mut self.opts.xtrace, false);
        let text = match c {
            Cond::Word(w) => self
                .expand_str(w, f.err, sys)
                .ok()
                .map(|v| format!("-n {v}")),
            Cond::Unary(op, w) => self
                .expand_str(w, f.err, sys)
                .ok()
                .map(|v| format!("{op} {v}")),
            Cond::Binary(a, op, b) => {
                let a = self.expand_str(a, f.err, sys).ok()?;
                let b = self.expand_str(b, f.err, sys).ok()?;
                Some(format!("{a} {op} {b}"))
            }
            _ => None,
        };
        self.opts.xtrace = was;
        text
    }

    /// The right side of `=~` as a regex: quoted parts match literally.
    fn regex_text(
        &mut self,
        w: &crate::parse::Word,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<String, String> {
        use crate::parse::Part;
        let mut out = String::new();
        for part in &w.0 {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Quoted(s) => out.push_str(&regex::escape(s)),
                Part::Param { quoted, .. }
                | Part::CmdSub { quoted, .. }
                | Part::Arith { quoted, .. } => {
                    let one = crate::parse::Word(vec![part.clone()]);
                    let text = self.expand_str(&one, err, sys)?;
                    match quoted {
                        true => out.push_str(&regex::escape(&text)),
                        false => out.push_str(&text),
                    }
                }
                Part::Bad(text) => return Err(format!("{text}: bad substitution")),
            }
        }
        Ok(out)
    }

    /// The condition of `if`/`while`: `set -e` does not apply inside it.
    fn exec_condition(&mut self, cond: &List, f: &mut Frame, sys: &mut dyn System) -> i32 {
        self.cond_depth += 1;
        let status = self.exec_list(cond, f, sys);
        self.cond_depth -= 1;
        status
    }

    /// After a loop body: whether the loop must end (`exit`, `break`, or a
    /// `continue N` aimed at an outer loop).
    fn loop_done(&mut self) -> bool {
        if self.exited.is_some() || self.aborted || self.returning {
            return true;
        }
        match self.loop_ctl.take() {
            None | Some(LoopCtl::Continue(1)) => false,
            Some(LoopCtl::Break(n)) => {
                if n > 1 {
                    self.loop_ctl = Some(LoopCtl::Break(n - 1));
                }
                true
            }
            Some(LoopCtl::Continue(n)) => {
                self.loop_ctl = Some(LoopCtl::Continue(n - 1));
                true
            }
        }
    }

    /// Runs `run` as in a subshell: variables, options, cwd and `$!` are
    /// restored afterwards (the System is moved back with `chdir` if the
    /// subshell changed directory) and `exit` only ends the subshell (its
    /// status is the subshell's).
    pub(crate) fn subshell(
        &mut self,
        sys: &mut dyn System,
        run: impl FnOnce(&mut Shell, &mut dyn System) -> i32,
    ) -> i32 {
        let saved = (
            self.vars.clone(),
            self.opts,
            self.cwd.clone(),
            self.loop_depth,
            self.last_bg,
        );
        let saved_assoc = self.assoc.clone();
        let saved2 = (
            self.args.clone(),
            self.arrays.clone(),
            self.funcs.clone(),
            std::mem::take(&mut self.traps),
            self.pid,
            self.returning,
            self.base,
        );
        self.loop_depth = 0;
        self.subshell_level += 1;
        self.pid = self.next_pid;
        self.next_pid += 1;
        let mut status = run(self, sys);
        self.returning = false;
        if let Some(action) = self.traps.remove("EXIT") {
            let exited = self.exited.take();
            let mut f = Frame {
                out: self.base.0,
                err: self.base.1,
                stdin: None,
                more: self.base.2,
            };
            self.last_status = status;
            self.run_text(&action, self.cur_line, &mut f, sys);
            self.exited = self.exited.or(exited);
        }
        if let Some(code) = self.exited.take() {
            status = code;
        } else if std::mem::take(&mut self.aborted) {
            status = 1;
        }
        self.aborted = false;
        self.loop_ctl = None;
        self.subshell_level -= 1;
        self.assoc = saved_assoc;
        (
            self.args,
            self.arrays,
            self.funcs,
            self.traps,
            self.pid,
            self.returning,
            self.base,
        ) = saved2;
        if self.cwd != saved.2 {
            let _ = sys.chdir(&saved.2);
        }
        (
            self.vars,
            self.opts,
            self.cwd,
            self.loop_depth,
            self.last_bg,
        ) = saved;
        status
    }

    fn exec_simple(
        &mut self,
        s: &Simple,
        f: &mut Frame,
        sys: &mut dyn System,
        background: bool,
    ) -> i32 {
        self.cur_line = s.line;
        self.subst_status = None;
        self.clock_now = sys.clock_secs();
        let argv = match self.expand_words(&s.words, f.err, sys) {
            Ok(argv) => argv,
            Err(msg) => return self.expansion_failed(f.err, sys, &msg),
        };
        // (name, value, append, array items)
        let mut assigns = Vec::new();
        for a in &s.assigns {
            let items = match &a.array {
                None => None,
                Some(words) => match self.expand_words(words, f.err, sys) {
                    Ok(items) => Some(items),
                    Err(msg) => return self.expansion_failed(f.err, sys, &msg),
                },
            };
            let name = match &a.subscript {
                None => a.name.clone(),
                Some(sub) => match self.expand_str(sub, f.err, sys) {
                    Ok(sub) => format!("{}[{sub}]", a.name),
                    Err(msg) => return self.expansion_failed(f.err, sys, &msg),
                },
            };
            match self.expand_str(&a.value, f.err, sys) {
                Ok(value) => assigns.push((name, value, a.append, items)),
                Err(msg) => return self.expansion_failed(f.err, sys, &msg),
            }
        }
        if self.opts.xtrace {
            // Each assignment on its own line, then the command.
            let mut lines: Vec<String> = assigns
                .iter()
                .map(|(n, v, append, items)| match items {
                    Some(items) => format!(
                        "{n}{}=({})",
                        if *append { "+" } else { "" },
                        items.iter().map(|i| quote(i)).collect::<Vec<_>>().join(" ")
                    ),
                    None => format!("{n}{}={}", if *append { "+" } else { "" }, quote(v)),
                })
                .collect();
            if !argv.is_empty() {
                lines.push(argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "));
            }
            // bash shows the assignments `export` and `readonly` make, too.
            if matches!(
                argv.first().map(String::as_str),
                Some("export" | "readonly")
            ) {
                for a in argv[1..].iter().filter(|a| !a.starts_with('-')) {
                    if let Some((n, v)) = a.split_once('=') {
                        lines.push(format!("{n}={}", quote(v)));
                    }
                }
            }
            let prefix = self.xtrace_prefix();
            let text: String = lines.iter().map(|l| format!("{prefix}{l}\n")).collect();
            let _ = sys.write(&mut self.sinks[f.err], text.as_bytes());
        }
        let mark = self.sinks.len();
        let piped = f.stdin.is_some();
        let (mut nf, stdin_set) = match self.open_redirs(&s.redirs, f, sys) {
            Ok(r) => r,
            Err(status) => {
                self.sinks.truncate(mark);
                return status;
            }
        };
        if argv.is_empty() {
            let mut status = self.subst_status.unwrap_or(0);
            for (name, value, append, items) in assigns {
                if !self.assign(&name, value, append, items, nf.err, sys) {
                    // Like an expansion error: the rest of the line is
                    // abandoned.
                    status = 1;
                    self.aborted = true;
                    break;
                }
            }
            self.sinks.truncate(mark);
            if !stdin_set {
                f.stdin = nf.stdin.take();
            }
            return status;
        }
        let is_func = self.funcs.contains_key(&argv[0]);
        let is_builtin = BUILTINS.contains(&argv[0].as_str());
        // Prefix assignments (`IFS=: read`) last for the builtin or
        // function only; an external command gets them in its environment.
        let mut restore = Vec::new();
        let mut temp = Vec::new();
        if is_func || is_builtin {
            for (name, value, append, items) in assigns {
                restore.push(self.save_var(&name));
                self.assign(&name, value, append, items, nf.err, sys);
            }
        } else {
            for (name, value, append, items) in assigns {
                if items.is_none() && is_name(&name) {
                    let value = match append {
                        true => format!("{}{value}", self.vars.get(&name).map_or("", |v| v)),
                        false => value,
                    };
                    temp.push((name, value));
                }
            }
        }
        let status = if background
            && (is_func || is_builtin || SHELLS.contains(&argv[0].as_str()))
            && argv[0] != "exec"
        {
            // Shell code in the background (`f &`, `false &`, `sh -c … &`)
            // runs now, in a subshell, as exec_background runs a compound
            // command: `$!` and `wait` give its status.
            let st = self.subshell(sys, |sh, sys| {
                sh.run_resolved(&argv, &temp, is_func, is_builtin, &mut nf, sys)
            });
            self.record_done_job(st, &argv, sys);
            0
        } else if is_builtin && argv[0] == "exec" && argv.len() == 1 {
            // `exec >file`: the redirections stay for the rest of the
            // block (and the script, at top level).
            f.out = nf.out;
            f.err = nf.err;
            f.more = nf.more;
            if stdin_set {
                f.stdin = nf.stdin.take();
            }
            return 0;
        } else if background {
            let out = job_sink(&self.sinks[nf.out]);
            let err = job_sink(&self.sinks[nf.err]);
            let stdin = nf.stdin.take();
            let env = self.environ(&temp, &argv[0], sys);
            sys.environ(env);
            let id = sys.spawn(&argv, stdin, out, err);
            self.start_job(id, job_command(&argv), sys);
            0
        } else {
            self.run_resolved(&argv, &temp, is_func, is_builtin, &mut nf, sys)
        };
        for saved in restore.into_iter().rev() {
            self.restore_var(saved);
        }
        self.sinks.truncate(mark);
        if !stdin_set {
            if is_builtin || is_func {
                f.stdin = nf.stdin.take();
            } else if piped {
                // An external command took the pipe to its end: the next
                // one finds the end, not the script's own stdin.
                f.stdin = Some(Vec::new());
            }
        }
        status
    }

    /// Applies an assignment; false (after the message) when NAME is
    /// read-only.
    pub(crate) fn assign(
        &mut self,
        name: &str,
        value: String,
        append: bool,
        items: Option<Vec<String>>,
        err: usize,
        sys: &mut dyn System,
    ) -> bool {
        let base = crate::expand::split_subscript(name).map_or(name, |(b, _)| b);
        if self.readonly.contains(base) {
            self.say(err, sys, &format!("{base}: readonly variable"));
            return false;
        }
        match items {
            Some(items) if self.assoc.contains_key(name) => {
                let m = self.assoc.entry(name.to_string()).or_default();
                if !append {
                    m.clear();
                }
                for item in items {
                    // `[key]=value`; a bare word is a key with an empty value.
                    let (k, v) = match item.strip_prefix('[').and_then(|r| r.split_once("]=")) {
                        Some((k, v)) => (k.to_string(), v.to_string()),
                        None => (item, String::new()),
                    };
                    match m.iter_mut().find(|(key, _)| *key == k) {
                        Some(slot) => slot.1 = v,
                        None => m.push((k, v)),
                    }
                }
            }
            Some(items) => {
                if !append {
                    self.vars.remove(name);
                    self.arrays.insert(name.to_string(), Default::default());
                }
                let arr = self.array_mut(name);
                let next = arr.keys().next_back().map_or(0, |k| k + 1);
                arr.extend((next..).zip(items));
            }
            None => {
                let value = match append {
                    true => {
                        let old = self.param(name).unwrap_or_default();
                        format!("{old}{value}")
                    }
                    false => value,
                };
                self.set_scalar(name, value);
            }
        }
        true
    }

    /// A variable's current state, for [`restore_var`](Self::restore_var).
    pub(crate) fn save_var(&mut self, name: &str) -> crate::Saved {
        crate::Saved {
            name: name.to_string(),
            scalar: self.vars.get(name).cloned(),
            array: self.arrays.get(name).cloned(),
            assoc: self.assoc.get(name).cloned(),
        }
    }

    pub(crate) fn restore_var(&mut self, saved: crate::Saved) {
        match saved.scalar {
            Some(v) => self.vars.insert(saved.name.clone(), v),
            None => self.vars.remove(&saved.name),
        };
        match saved.assoc {
            Some(m) => self.assoc.insert(saved.name.clone(), m),
            None => self.assoc.remove(&saved.name),
        };
        match saved.array {
            Some(a) => self.arrays.insert(saved.name, a),
            None => self.arrays.remove(&saved.name),
        };
    }

    /// Runs a function: its arguments become `$1`…, its `local`s are
    /// undone when it returns.
    fn call_function(&mut self, argv: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let Some(body) = self.funcs.get(&argv[0]).cloned() else {
            return 127;
        };
        if too_deep(self.depth) {
            let msg = format!(
                "{}: maximum function nesting level exceeded ({})",
                argv[0], self.depth
            );
            self.say(f.err, sys, &msg);
            self.aborted = true;
            return 1;
        }
        let args = std::mem::replace(&mut self.args, argv[1..].to_vec());
        // FUNCNAME: this function, its callers, then `main`.
        let funcname = self.arrays.get("FUNCNAME").cloned();
        let mut names: Vec<String> = match &funcname {
            Some(a) => a.values().cloned().collect(),
            None => vec!["main".to_string()],
        };
        names.insert(0, argv[0].clone());
        self.arrays
            .insert("FUNCNAME".into(), names.into_iter().enumerate().collect());
        self.locals.push(Vec::new());
        self.depth += 1;
        self.returnable += 1;
        let mut status = self.exec_command(&body, f, sys);
        self.returnable -= 1;
        self.depth -= 1;
        if std::mem::take(&mut self.returning) {
            status = self.last_status;
        }
        for saved in self.locals.pop().unwrap_or_default().into_iter().rev() {
            self.restore_var(saved);
        }
        match funcname {
            Some(a) => self.arrays.insert("FUNCNAME".into(), a),
            None => self.arrays.remove("FUNCNAME"),
        };
        self.args = args;
        status
    }

    /// `sh -c 'script' [arg0 args…]`, `bash FILE args…`, or a script on
    /// stdin: a fresh shell in-process, with this one's exported variables,
    /// directory and output.
    fn child_shell(
        &mut self,
        argv: &[String],
        temp: &[(String, String)],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        let mut i = 1;
        let mut opts = crate::Opts::default();
        let mut command = None;
        while let Some(arg) = argv.get(i) {
            match arg.as_str() {
                "-c" => command = Some(()),
                "-e" => opts.errexit = true,
                "-x" => opts.xtrace = true,
                "-u" => opts.nounset = true,
                "--" => {
                    i += 1;
                    break;
                }
                a if a.starts_with('-') && a.len() > 1 => {}
                _ => break,
            }
            i += 1;
        }
        let rest = &argv[i.min(argv.len())..];
        let base = argv[0].rsplit('/').next().unwrap_or("bash").to_string();
        let (src, name, args) = match (command, rest) {
            (Some(()), [src, name, args @ ..]) => (src.clone(), name.clone(), args.to_vec()),
            (Some(()), [src]) => (src.clone(), base, Vec::new()),
            (Some(()), []) => {
                let msg = format!("{base}: -c: option requires an argument\n");
                let _ = sys.write(&mut self.sinks[f.err], msg.as_bytes());
                return 2;
            }
            (None, [file, args @ ..]) => match sys.read_file(file) {
                Ok(data) => (
                    String::from_utf8_lossy(&data).into_owned(),
                    file.clone(),
                    args.to_vec(),
                ),
                Err(e) => {
                    let msg = format!("{base}: {file}: {}\n", io_message(&e));
                    let _ = sys.write(&mut self.sinks[f.err], msg.as_bytes());
                    return 127;
                }
            },
            (None, []) => {
                let data = f.stdin.take().unwrap_or_default();
                (
                    String::from_utf8_lossy(&data).into_owned(),
                    base,
                    Vec::new(),
                )
            }
        };
        if too_deep(self.depth) {
            self.say(f.err, sys, "maximum nesting level exceeded");
            return 1;
        }
        let mut child = Shell::new(&name);
        if command.is_some() {
            child.syntax_name = Some(format!("{name}: -c"));
        }
        child.opts = opts;
        child.args = args;
        child.cwd = self.cwd.clone();
        child.depth = self.depth + 1;
        child.pid = self.next_pid;
        child.next_pid = self.next_pid + 1;
        for name in &self.exported {
            if let Some(v) = self.vars.get(name) {
                child.vars.insert(name.clone(), v.clone());
                child.exported.insert(name.clone());
            }
        }
        // `X=1 sh -c …`: in the child's environment.
        for (name, v) in temp {
            child.vars.insert(name.clone(), v.clone());
            child.exported.insert(name.clone());
        }
        child.stdin = f.stdin.take();
        child.source = self.source.clone();
        let mut out = std::mem::replace(&mut self.sinks[f.out], Sink::Null);
        let status = if f.out == f.err {
            // As for external commands: a buffer cannot be lent twice.
            let mut err = match &out {
                Sink::Buffer(_) => Sink::Stdout,
                other => other.clone(),
            };
            child.run_script_to(&src, sys, &mut out, &mut err)
        } else {
            let mut err = std::mem::replace(&mut self.sinks[f.err], Sink::Null);
            let st = child.run_script_to(&src, sys, &mut out, &mut err);
            self.sinks[f.err] = err;
            st
        };
        self.sinks[f.out] = out;
        if child.cwd != self.cwd {
            let _ = sys.chdir(&self.cwd);
        }
        child.exited.unwrap_or(status)
    }

    /// [`child_shell`](Self::child_shell) for [`crate::run_shell`].
    pub(crate) fn run_child_shell(
        &mut self,
        argv: &[String],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        self.child_shell(argv, &[], f, sys)
    }

    /// Parses and runs `text` in the current frame (`eval`, `source`,
    /// traps); a syntax error is reported and makes the status 2.
    pub(crate) fn run_text(
        &mut self,
        text: &str,
        first_line: usize,
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        if too_deep(self.depth) {
            self.say(f.err, sys, "maximum nesting level exceeded");
            self.aborted = true;
            return 1;
        }
        self.depth += 1;
        let mut parser = crate::parse::Parser::new(text, first_line);
        parser.script = true;
        let mut status = 0;
        loop {
            let next = parser.next_command();
            for w in std::mem::take(&mut parser.warnings) {
                let msg = format!("{}: {w}\n", self.name);
                let _ = sys.write(&mut self.sinks[f.err], msg.as_bytes());
            }
            match next {
                Ok(Some(cmd)) => {
                    status = self.exec_list(&cmd.list, f, sys);
                    if self.stopping() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    self.report_syntax_error(&e, f.err, sys);
                    status = 2;
                    break;
                }
            }
        }
        self.depth -= 1;
        status
    }

    /// What a program started now finds in its environ: the prefix
    /// assignments `temp` first, then the exported variables (sorted; bash
    /// lists its hash table's order), then `_`, the path bash ran it by.
    fn environ(
        &self,
        temp: &[(String, String)],
        name: &str,
        sys: &mut dyn System,
    ) -> Vec<(String, String)> {
        let mut env = temp.to_vec();
        for n in &self.exported {
            if let Some(v) = self.vars.get(n) {
                if n != "_" && !temp.iter().any(|(t, _)| t == n) {
                    env.push((n.clone(), v.clone()));
                }
            }
        }
        let path = match name.contains('/') {
            true => name.to_string(),
            false => sys.which(name).unwrap_or_else(|| name.to_string()),
        };
        env.push(("_".into(), path));
        env
    }

    /// What execve(2) would make of a command named by a path: a file of
    /// the tree with execute permission runs as a bash script (its `#!`
    /// names a shell, or it has none: bash runs those itself); a missing,
    /// non-executable or directory path fails as bash says. A path the
    /// tree does not show but whose name the System knows (`/sbin/ip`),
    /// or a script for another interpreter, is left to the System.
    fn path_program(&mut self, path: &str, sys: &mut dyn System) -> PathProgram {
        let base = path.rsplit('/').next().unwrap_or(path);
        let meta = match sys.metadata(path) {
            Ok(m) => m,
            Err(_) if path.starts_with('/') && sys.has_command(base) != Some(false) => {
                return PathProgram::Other
            }
            Err(e) => {
                let status = if e.kind() == io::ErrorKind::NotFound {
                    127
                } else {
                    126
                };
                return PathProgram::Refused(io_message(&e), status);
            }
        };
        match meta.kind {
            vnet_fs::Kind::Dir => return PathProgram::Refused("Is a directory".into(), 126),
            _ if meta.mode & 0o111 == 0 => {
                return PathProgram::Refused("Permission denied".into(), 126)
            }
            _ => {}
        }
        let Ok(data) = sys.read_file(path) else {
            return PathProgram::Other;
        };
        let Some(line) = data.strip_prefix(b"#!") else {
            return PathProgram::Script;
        };
        let line = line.split(|&b| b == b'\n').next().unwrap_or_default();
        let line = String::from_utf8_lossy(line);
        let mut words = line.split_whitespace();
        let mut interp = words.next().unwrap_or("");
        if interp.rsplit('/').next() == Some("env") {
            interp = words.next().unwrap_or("");
        }
        match crate::is_shell(interp.rsplit('/').next().unwrap_or(interp)) {
            true => PathProgram::Script,
            false => PathProgram::Other,
        }
    }

    /// Runs an external command with the prefix assignments `temp` in its
    /// environment.
    fn external(
        &mut self,
        argv: &[String],
        temp: &[(String, String)],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        if argv[0].contains('/') {
            match self.path_program(&argv[0], sys) {
                PathProgram::Script => {
                    // Run as `bash PATH args…` runs it: $0 is the path.
                    let mut a = vec!["bash".to_string()];
                    a.extend_from_slice(argv);
                    return self.child_shell(&a, temp, f, sys);
                }
                PathProgram::Refused(msg, status) => {
                    self.say(f.err, sys, &format!("{}: {msg}", argv[0]));
                    return status;
                }
                PathProgram::Other => {}
            }
        }
        if sys.has_command(&argv[0]) == Some(false) {
            let msg = match argv[0].contains('/') {
                true => format!("{}: No such file or directory", argv[0]),
                false => format!("{}: command not found", argv[0]),
            };
            self.say(f.err, sys, &msg);
            return 127;
        }
        let env = self.environ(temp, &argv[0], sys);
        sys.environ(env);
        // A pipe's or a file's data is taken whole (what follows finds
        // its end); None leaves the script's own stdin to the System.
        let stdin = f.stdin.take();
        let piped = stdin.is_some();
        if piped {
            f.stdin = Some(Vec::new());
        }
        let mut out = std::mem::replace(&mut self.sinks[f.out], Sink::Null);
        let status = if f.out == f.err {
            // Both fds on one sink (`2>&1`): a buffer cannot be lent twice,
            // so stderr names stdout's.
            let mut err = match &out {
                Sink::Buffer(_) => Sink::Stdout,
                other => other.clone(),
            };
            sys.exec(argv, stdin, &mut out, &mut err)
        } else {
            let mut err = std::mem::replace(&mut self.sinks[f.err], Sink::Null);
            let status = sys.exec(argv, stdin, &mut out, &mut err);
            self.sinks[f.err] = err;
            status
        };
        self.sinks[f.out] = out;
        if piped {
            self.pipe_unread = sys.stdin_unread();
        }
        status
    }

    /// Applies redirections left to right, pushing opened sinks; the caller
    /// truncates `sinks` afterwards. On failure the message is printed and
    /// the command must not run (status 1).
    fn open_redirs(
        &mut self,
        redirs: &[Redir],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> Result<(Frame, bool), i32> {
        let mut nf = Frame {
            out: f.out,
            err: f.err,
            stdin: None,
            more: f.more,
        };
        let mut stdin_set = false;
        for r in redirs {
            if let Some(body) = &r.proc_sub {
                let data = self.capture(body, nf.err, sys);
                if r.fd.unwrap_or(0) == 0 {
                    nf.stdin = Some(data);
                    stdin_set = true;
                }
                continue;
            }
            if r.op == RedirOp::HereDoc || r.op == RedirOp::HereString {
                let text = match (&r.here, r.op) {
                    (Some(body), _) => {
                        let body = body.borrow().clone();
                        self.expand_str(&body, nf.err, sys)
                    }
                    _ => self.expand_str(&r.target, nf.err, sys).map(|s| s + "\n"),
                };
                match text {
                    Ok(text) if r.fd.unwrap_or(0) == 0 => {
                        nf.stdin = Some(text.into_bytes());
                        stdin_set = true;
                    }
                    Ok(_) => {}
                    Err(msg) => return Err(self.expansion_failed(nf.err, sys, &msg)),
                }
                continue;
            }
            let fields = match self.expand_fields(&r.target, nf.err, sys) {
                Ok(fields) => fields,
                Err(msg) => return Err(self.expansion_failed(nf.err, sys, &msg)),
            };
            let [target] = fields.as_slice() else {
                let msg = format!("{}: ambiguous redirect", r.raw);
                self.say(nf.err, sys, &msg);
                return Err(1);
            };
            let fd = r.fd.unwrap_or(match r.op {
                RedirOp::In | RedirOp::DupIn => 0,
                _ => 1,
            });
            match (r.op, target.as_str()) {
                (RedirOp::Out | RedirOp::Append, _) => {
                    let idx = self.open_output(target, r.op == RedirOp::Append, &nf, sys)?;
                    set_fd(&mut nf, fd, idx);
                }
                (RedirOp::OutErr | RedirOp::OutErrAppend, _) => {
                    let append = r.op == RedirOp::OutErrAppend;
                    let idx = self.open_output(target, append, &nf, sys)?;
                    (nf.out, nf.err) = (idx, idx);
                }
                (RedirOp::In, _) => {
                    let data = match target.as_str() {
                        "/dev/null" => Ok(Vec::new()),
                        path => sys.read_file(path),
                    };
                    match data {
                        Ok(data) if fd == 0 => {
                            nf.stdin = Some(data);
                            stdin_set = true;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            self.say(nf.err, sys, &format!("{target}: {}", io_message(&e)));
                            return Err(1);
                        }
                    }
                }
                (RedirOp::DupOut, t)
                    if t.len() == 1 && get_fd(&nf, t.parse().unwrap_or(0)).is_some() =>
                {
                    if let Some(slot) = get_fd(&nf, t.parse().unwrap_or(0)) {
                        set_fd(&mut nf, fd, slot);
                    }
                }
                (RedirOp::DupOut, "-") if (3..=9).contains(&fd) => {
                    nf.more[fd as usize - 3] = None;
                }
                (RedirOp::DupOut, "-") => {
                    self.sinks.push(Sink::Null);
                    set_fd(&mut nf, fd, self.sinks.len() - 1);
                }
                // `>& file` is `&> file`.
                (RedirOp::DupOut, _)
                    if r.fd.is_none() && !target.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    let idx = self.open_output(target, false, &nf, sys)?;
                    (nf.out, nf.err) = (idx, idx);
                }
                (RedirOp::DupOut, _) => {
                    let msg = match target.bytes().all(|b| b.is_ascii_digit()) {
                        true => format!("{target}: Bad file descriptor"),
                        false => format!("{}: ambiguous redirect", r.raw),
                    };
                    self.say(nf.err, sys, &msg);
                    return Err(1);
                }
                (RedirOp::DupIn, "-") if fd == 0 => {
                    nf.stdin = Some(Vec::new());
                    stdin_set = true;
                }
                (RedirOp::DupIn, _) => {}
                (RedirOp::HereDoc | RedirOp::HereString, _) => {}
            }
        }
        if !stdin_set {
            nf.stdin = f.stdin.take();
        }
        Ok((nf, stdin_set))
    }

    /// Opens `> path` / `>> path` (see the contract on [`Sink`]) and pushes
    /// its sink; returns the slot.
    fn open_output(
        &mut self,
        path: &str,
        append: bool,
        f: &Frame,
        sys: &mut dyn System,
    ) -> Result<usize, i32> {
        let sink = match path {
            "/dev/stdout" => return Ok(f.out),
            "/dev/stderr" => return Ok(f.err),
            "/dev/null" => Sink::Null,
            _ => {
                let mut sink = Sink::File {
                    path: path.to_string(),
                    append,
                };
                if let Err(e) = sys.write(&mut sink, b"") {
                    self.say(f.err, sys, &format!("{path}: {}", io_message(&e)));
                    return Err(1);
                }
                Sink::File {
                    path: path.to_string(),
                    append: true,
                }
            }
        };
        self.sinks.push(sink);
        Ok(self.sinks.len() - 1)
    }

    /// Prints `NAME: line N: MSG` to the sink in slot `err`.
    pub(crate) fn say(&mut self, err: usize, sys: &mut dyn System, msg: &str) {
        let text = format!("{}: line {}: {msg}\n", self.name, self.cur_line);
        let _ = sys.write(&mut self.sinks[err], text.as_bytes());
    }

    pub(crate) fn builtin(&mut self, argv: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let args = &argv[1..];
        match argv[0].as_str() {
            "true" | ":" => 0,
            "false" => 1,
            "echo" => self.echo(args, f, sys),
            "exit" => {
                let status = match args {
                    [] => self.last_status,
                    [n] => match n.parse::<i64>() {
                        Ok(n) => (n & 0xff) as i32,
                        Err(_) => {
                            self.say(f.err, sys, &format!("exit: {n}: numeric argument required"));
                            2
                        }
                    },
                    _ => {
                        self.say(f.err, sys, "exit: too many arguments");
                        return 1;
                    }
                };
                self.exited = Some(status);
                self.last_status = status;
                status
            }
            "cd" => self.cd(args, f, sys),
            "pwd" => {
                let line = format!("{}\n", self.cwd);
                self.write_out(f.out, line.as_bytes(), "pwd", f, sys)
            }
            "export" => {
                let mut status = 0;
                let named: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                if named.is_empty() {
                    let listing: String = self
                        .exported
                        .iter()
                        .filter_map(|n| {
                            let v = self.vars.get(n)?;
                            Some(format!(
                                "declare -x {n}=\"{}\"\n",
                                v.replace(['"', '\\', '$', '`'], "\\$0").replace("\\$0", "")
                            ))
                        })
                        .collect();
                    return self.write_out(f.out, listing.as_bytes(), "export", f, sys);
                }
                for arg in named {
                    let name = arg.split('=').next().unwrap_or_default();
                    if !is_name(name) {
                        let msg = format!("export: `{arg}': not a valid identifier");
                        self.say(f.err, sys, &msg);
                        status = 1;
                    } else {
                        if let Some((_, value)) = arg.split_once('=') {
                            if !self.assign(name, value.to_string(), false, None, f.err, sys) {
                                status = 1;
                                continue;
                            }
                        }
                        self.exported.insert(name.to_string());
                    }
                }
                status
            }
            "unset" => {
                let funcs = args.first().map(String::as_str) == Some("-f");
                let mut status = 0;
                for arg in args.iter().filter(|a| !a.starts_with('-')) {
                    if funcs {
                        self.funcs.remove(arg);
                        continue;
                    }
                    if self.readonly.contains(arg) {
                        self.say(
                            f.err,
                            sys,
                            &format!("unset: {arg}: cannot unset: readonly variable"),
                        );
                        status = 1;
                        continue;
                    }
                    if let Some((base, sub)) = crate::expand::split_subscript(arg) {
                        if let Some(m) = self.assoc.get_mut(base) {
                            m.retain(|(k, _)| k != sub);
                            continue;
                        }
                        if let Ok(i) = self.arith(sub) {
                            if let Some(a) = self.arrays.get_mut(base) {
                                a.remove(&(i.max(0) as usize));
                            }
                        }
                        continue;
                    }
                    let had = self.vars.remove(arg).is_some()
                        | self.arrays.remove(arg).is_some()
                        | self.assoc.remove(arg).is_some();
                    self.exported.remove(arg);
                    if !had {
                        self.funcs.remove(arg);
                    }
                }
                status
            }
            "set" => self.set(args, f, sys),
            "wait" => {
                let mut jobs = Vec::new();
                for arg in args {
                    let job = match arg.starts_with('%') {
                        true => self.find_job(arg).map(|j| j.id),
                        false => arg.parse().ok(),
                    };
                    match job {
                        Some(id) => jobs.push(id),
                        None if arg.starts_with('%') => {
                            self.say(f.err, sys, &format!("wait: {arg}: no such job"));
                            return 127;
                        }
                        None => {
                            let msg = format!("wait: `{arg}': not a pid or valid job spec");
                            return self.expansion_failed(f.err, sys, &msg);
                        }
                    }
                }
                // Waited-for jobs are reaped: `jobs` no longer lists them.
                self.forget_jobs(sys, |j| jobs.is_empty() || jobs.contains(&j.id));
                if jobs.is_empty() {
                    self.done_jobs.clear();
                    return sys.wait(&[]);
                }
                // Jobs that already ran (see exec_background) answer here;
                // the System waits for the others, and the last one named
                // gives the status.
                let real: Vec<u32> = jobs
                    .iter()
                    .copied()
                    .filter(|j| !self.done_jobs.contains_key(j))
                    .collect();
                let real_status = match real.is_empty() {
                    true => 0,
                    false => sys.wait(&real),
                };
                let last = jobs[jobs.len() - 1];
                self.done_jobs.get(&last).copied().unwrap_or(real_status)
            }
            "kill" => self.kill_builtin(args, f, sys),
            name @ ("break" | "continue") => {
                let n = match args.first().map(|a| a.parse::<usize>()) {
                    None => 1,
                    Some(Ok(n)) if n > 0 => n,
                    Some(_) => {
                        let msg = format!("{name}: {}: loop count out of range", args[0]);
                        self.say(f.err, sys, &msg);
                        return 1;
                    }
                };
                if self.loop_depth == 0 {
                    let msg =
                        format!("{name}: only meaningful in a `for', `while', or `until' loop");
                    self.say(f.err, sys, &msg);
                    return 0;
                }
                let n = n.min(self.loop_depth);
                self.loop_ctl = Some(match name {
                    "break" => LoopCtl::Break(n),
                    _ => LoopCtl::Continue(n),
                });
                0
            }
            _ => self.builtin_more(argv, f, sys),
        }
    }

    /// An external command, or a child shell for `sh`/`bash`.
    pub(crate) fn external_or_shell(
        &mut self,
        argv: &[String],
        f: &mut Frame,
        sys: &mut dyn System,
    ) -> i32 {
        match SHELLS.contains(&argv[0].as_str()) {
            true => self.child_shell(argv, &[], f, sys),
            false => self.external(argv, &[], f, sys),
        }
    }

    /// Writes a builtin's output; a failed write is bash's `write error`.
    pub(crate) fn write_out(
        &mut self,
        slot: usize,
        data: &[u8],
        builtin: &str,
        f: &Frame,
        sys: &mut dyn System,
    ) -> i32 {
        match sys.write(&mut self.sinks[slot], data) {
            Ok(()) => 0,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                // The pipe's reader is gone: SIGPIPE ends this (sub)shell.
                self.exited = Some(128 + 13);
                128 + 13
            }
            Err(e) => {
                let msg = format!("{builtin}: write error: {}", io_message(&e));
                self.say(f.err, sys, &msg);
                1
            }
        }
    }

    /// `echo [-neE] args`: `-n` no newline, `-e` backslash escapes.
    fn echo(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let (mut newline, mut escapes) = (true, false);
        let mut i = 0;
        while let Some(flags) = args.get(i).and_then(|a| a.strip_prefix('-')) {
            if flags.is_empty() || !flags.chars().all(|c| "neE".contains(c)) {
                break;
            }
            for c in flags.chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        }
        let mut out = Vec::new();
        for (j, arg) in args[i..].iter().enumerate() {
            if j > 0 {
                out.push(b' ');
            }
            if escapes && echo_escapes(arg, &mut out) {
                newline = false;
                break;
            } else if !escapes {
                out.extend_from_slice(arg.as_bytes());
            }
        }
        if newline {
            out.push(b'\n');
        }
        self.write_out(f.out, &out, "echo", f, sys)
    }

    /// `cd [DIR|-]`: tracks the directory (`pwd`, `$PWD`) and tells the
    /// System ([`System::chdir`]); paths handed to the System are not rewritten.
    fn cd(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        let target = match args.first().map(String::as_str) {
            None => self.vars.get("HOME").cloned().unwrap_or_else(|| "/".into()),
            Some("-") => match self.vars.get("OLDPWD") {
                Some(old) => {
                    let old = old.clone();
                    self.write_out(f.out, format!("{old}\n").as_bytes(), "cd", f, sys);
                    old
                }
                None => {
                    self.say(f.err, sys, "cd: OLDPWD not set");
                    return 1;
                }
            },
            Some(dir) => dir.to_string(),
        };
        let joined = match target.starts_with('/') {
            true => target.clone(),
            false => format!("{}/{target}", self.cwd),
        };
        let mut parts: Vec<&str> = Vec::new();
        for part in joined.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        let new = format!("/{}", parts.join("/"));
        if let Err(e) = sys.chdir(&new) {
            self.say(f.err, sys, &format!("cd: {target}: {}", io_message(&e)));
            return 1;
        }
        let old = std::mem::replace(&mut self.cwd, new.clone());
        self.vars.insert("OLDPWD".into(), old);
        self.vars.insert("PWD".into(), new);
        0
    }

    /// `set [-+ex] [-+o errexit|xtrace|pipefail|nounset]`; with no argument,
    /// lists the variables.
    fn set(&mut self, args: &[String], f: &mut Frame, sys: &mut dyn System) -> i32 {
        if args.is_empty() {
            let listing: String = self
                .vars
                .iter()
                .map(|(k, v)| format!("{k}={}\n", quote(v)))
                .collect();
            return self.write_out(f.out, listing.as_bytes(), "set", f, sys);
        }
        let mut rest = args;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let on = arg.starts_with('-');
            let flags = match arg.strip_prefix(['-', '+']) {
                Some("-") => {
                    self.args = args.cloned().collect();
                    return 0;
                }
                None => {
                    self.args = rest.to_vec();
                    return 0;
                }
                Some(flags) => flags,
            };
            rest = args.as_slice();
            for c in flags.chars() {
                let option = match c {
                    'e' => "errexit",
                    'x' => "xtrace",
                    'u' => "nounset",
                    'f' => "noglob",
                    'o' => match args.next() {
                        Some(name) => name.as_str(),
                        None => continue,
                    },
                    _ => {
                        self.say(
                            f.err,
                            sys,
                            &format!("set: {}{c}: invalid option", &arg[..1]),
                        );
                        let usage = "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n";
                        let _ = sys.write(&mut self.sinks[f.err], usage.as_bytes());
                        return 2;
                    }
                };
                match option {
                    "errexit" => self.opts.errexit = on,
                    "xtrace" => self.opts.xtrace = on,
                    "pipefail" => self.opts.pipefail = on,
                    "nounset" => self.opts.nounset = on,
                    "noglob" => self.opts.noglob = on,
                    _ => {
                        self.say(f.err, sys, &format!("set: {option}: invalid option name"));
                        return 2;
                    }
                }
            }
        }
        0
    }
}

fn set_fd(f: &mut Frame, fd: u32, slot: usize) {
    match fd {
        1 => f.out = slot,
        2 => f.err = slot,
        3..=9 => f.more[fd as usize - 3] = Some(slot),
        _ => {} // fd 0 is stdin; higher fds are not kept
    }
}

/// The slot an output fd points at, if open.
fn get_fd(f: &Frame, fd: u32) -> Option<usize> {
    match fd {
        1 => Some(f.out),
        2 => Some(f.err),
        3..=9 => f.more[fd as usize - 3],
        _ => None,
    }
}

/// The sink a background job gets for one of ours: a pipe buffer cannot be
/// shared with a job that outlives the command, so it gets its own.
fn job_sink(sink: &Sink) -> Sink {
    match sink {
        Sink::Buffer(_) => Sink::Buffer(Vec::new()),
        other => other.clone(),
    }
}

/// Appends `arg` with `echo -e` escapes decoded; true when `\c` ends output.
fn echo_escapes(arg: &str, out: &mut Vec<u8>) -> bool {
    let b = arg.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 2;
        let byte = match b[i - 1] {
            b'a' => 7,
            b'b' => 8,
            b'c' => return true,
            b'e' | b'E' => 27,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 11,
            b'\\' => b'\\',
            b'0' => {
                let len = b[i..]
                    .iter()
                    .take(3)
                    .take_while(|c| (b'0'..=b'7').contains(c))
                    .count();
                let v = b[i..i + len]
                    .iter()
                    .fold(0u32, |v, c| v * 8 + u32::from(c - b'0'));
                i += len;
                v as u8
            }
            b'x' => {
                let len = b[i..]
                    .iter()
                    .take(2)
                    .take_while(|c| c.is_ascii_hexdigit())
                    .count();
                if len == 0 {
                    out.extend_from_slice(b"\\x");
                    continue;
                }
                let v = u8::from_str_radix(&arg[i..i + len], 16).unwrap_or(0);
                i += len;
                v
            }
            other => {
                out.push(b'\\');
                other
            }
        };
        out.push(byte);
    }
    false
}

/// The text of an I/O error as bash prints it.
pub(crate) fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "No such file or directory".into(),
        io::ErrorKind::PermissionDenied => "Permission denied".into(),
        io::ErrorKind::AlreadyExists => "File exists".into(),
        io::ErrorKind::InvalidInput => "Invalid argument".into(),
        io::ErrorKind::IsADirectory => "Is a directory".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// Quotes a word the way `set -x` shows it.
/// A job's command as `jobs` shows it.
fn job_command(argv: &[String]) -> String {
    argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
}

fn quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
