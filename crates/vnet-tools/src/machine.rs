//! The machine: the simulated kernel plus the processes running on it, the
//! working directory and the terminal. It implements the shell's `System`.

use crate::proc::{Io, Program, Step};
use crate::stdio::{Buffering, Stdout};
use crate::Cmd;
use std::io::Write;
use vnet_core::world::{Exhausted, Limits};
use vnet_core::{NsId, Time, World};
use vnet_shell::{Feed, Sink, System};

/// See `Machine::let_frames_land`.
const EXIT_TO_NEXT_COMMAND: Time = Time::from_micros(100);

/// How long a waited program blocked without a deadline of its own may go
/// without a sign of life before the runner presses Ctrl-C for it
/// (`Machine::starve_after`). Longer than anything in the kernel that can
/// still end a wait by itself: TCP gives up on a connection after
/// tcp_retries2 = 15 retransmissions, 924.6 s with TCP_RTO_MAX = 120 s
/// (SYNs after 127 s); and ping, sleep and `nc -w` have deadlines of their
/// own, so they are never cut short by it.
pub const STARVE_AFTER: Time = Time::from_secs(1000);

/// The virtual-time budget of a run by default: far beyond any sane lab.
pub const DEFAULT_MAX_TIME: Time = Time::from_secs(10 * 86400);

/// The event budget of a run by default: some minutes of wall time at
/// vnet's speed, some thousand times what the largest scenario handles.
pub const DEFAULT_MAX_EVENTS: u64 = 1_000_000_000;

/// What `Machine::on_halt` calls with the budget message.
pub type HaltHook = Box<dyn FnMut(&str)>;

/// What a command that runs another (`timeout`) puts around each program
/// that one starts: see `Machine::wraps`.
pub type Wrap = std::rc::Rc<dyn Fn(Box<dyn Program>) -> Box<dyn Program>>;

struct Job {
    /// Its process id (`$!`).
    id: u32,
    /// The network namespace it lives in, held while it runs (released
    /// when it exits: see `Machine::release_exited`).
    netns: Option<NsId>,
    prog: Box<dyn Program>,
    wake: Option<Time>,
    stdout: Sink,
    stderr: Sink,
    status: Option<i32>,
    /// When it last printed something (or started): see `STARVE_AFTER`.
    last_sign: Time,
    /// The command line, for `jobs`.
    cmd: String,
    /// SIGSTOP/SIGTSTP: not run until SIGCONT (or `fg`/`bg`).
    stopped: bool,
    /// What its stdio holds back of its stdout, and how (None: the
    /// program flushes each write itself).
    held: Stdout,
    buffering: Option<Buffering>,
    /// Set while a `cmd &` is still starting (fork, exec, its start-up):
    /// the command runs when the clock reaches `at` (the job's wake).
    start: Option<Start>,
}

/// A background command not yet at its effect: see `Machine::spawn`.
struct Start {
    at: Time,
    ns: NsId,
    argv: Vec<String>,
    stdin: Option<Vec<u8>>,
}

/// A job as `jobs` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobInfo {
    pub id: u32,
    pub state: JobState,
    pub cmd: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    Running,
    Stopped,
    /// Exited with this status (not yet reaped by `wait`).
    Done(i32),
}

/// Signal numbers (x86_64 Linux) the job table acts on.
pub mod sig {
    pub const SIGHUP: i32 = 1;
    pub const SIGINT: i32 = 2;
    pub const SIGKILL: i32 = 9;
    pub const SIGTERM: i32 = 15;
    pub const SIGCONT: i32 = 18;
    pub const SIGSTOP: i32 = 19;
    pub const SIGTSTP: i32 = 20;
}

/// Where a foreground program's output goes while it runs.
struct Streaming {
    out: Sink,
    err: Sink,
    held: Stdout,
    mode: Buffering,
}

/// A person at a terminal (`vnet shell`): virtual time runs no faster than
/// the wall clock, and Ctrl-C interrupts the foreground program.
pub trait Pace {
    /// Waits until the wall clock reaches virtual time `t` (None: until
    /// Ctrl-C, as nothing else will ever happen). False when Ctrl-C came
    /// first.
    fn wait_until(&mut self, t: Option<Time>) -> bool;
}

pub struct Machine {
    pub world: World,
    /// Set for an interactive session: see [`Pace`]. Endless programs then
    /// run until Ctrl-C instead of getting the runner's automatic one, and
    /// a foreground program's output reaches the terminal as it prints it.
    pub pace: Option<Box<dyn Pace>>,
    /// The foreground command's sinks while it runs, when they are the
    /// terminal or files: its program's output reaches them as it prints
    /// it, through stdio's buffer (see crate::stdio).
    streaming: Option<Streaming>,
    jobs: Vec<Job>,
    /// The file tree scripts and commands see, with its working directory
    /// (see [`crate::fs`]): by default only the simulated files.
    pub fs: vnet_fs::Tree,
    /// Where `Sink::Terminal` output goes.
    pub terminal: Box<dyn Write>,
    /// Where writes to `/dev/stderr` go.
    pub stderr: Box<dyn Write>,
    /// Whether [`Sink::Terminal`] is a terminal (a program's stdout is then
    /// line-buffered) or a file or pipe (fully buffered): see crate::stdio.
    pub stdout_is_tty: bool,
    /// Whether the program the last command ran flushes its own output.
    last_flushes: bool,
    /// How long (virtual) an endless foreground program runs before the
    /// runner presses Ctrl-C for it (ping without -c in a script).
    pub auto_interrupt: Time,
    /// The VRF the running command's sockets are bound to (`ip vrf exec`
    /// puts the process in a cgroup whose sockets get SO_BINDTODEVICE).
    pub bound_vrf: Option<u32>,
    /// The namespace the shell itself runs in (redirections, `cat`).
    pub shell_ns: NsId,
    /// Whether commands take the time they take on the reference machine
    /// (crate::cost); on by default.
    pub charge_costs: bool,
    /// Virtual time every command takes on top of its cost (zero by default).
    pub command_cost: Time,
    /// The virtual-time budget as given (for the message).
    budget_time: Time,
    /// The last process id handed out (see `new_job_id`).
    last_pid: u32,
    /// Set while `cmd &` runs: the sinks a program started now goes to.
    pending_spawn: Option<(Sink, Sink)>,
    /// Set while a delayed `cmd &` starts: the job its program becomes.
    filling: Option<usize>,
    /// Set while a delayed `cmd &` starts: its costs are already paid.
    starting: bool,
    last_spawned: Option<u32>,
    /// Set while the last stage of a feeder pipeline runs: when the
    /// pipeline started and what its writer sends (see `vnet_shell::Feed`).
    pending_feed: Option<(Time, Feed)>,
    /// See [`STARVE_AFTER`].
    pub starve_after: Time,
    /// The command line running now, for the budget message.
    current: String,
    /// Set once a budget ran out: the message; every command after it
    /// returns 124 at once, as the run is over.
    halted: Option<String>,
    /// Called once when a budget runs out, with the message (`vnet run`
    /// prints it and exits 124); without one the machine only refuses
    /// to run anything more.
    pub on_halt: Option<HaltHook>,
    /// The kernel's warnings for the person running the lab (a broadcast
    /// storm), printed on stderr as they come and kept here.
    pub warned: Vec<String>,
    /// Set by a command that runs another (`timeout`) while it runs,
    /// outermost first: `Cmd::run` wraps every program started in them.
    pub wraps: Vec<Wrap>,
    /// The running command's environment (the shell's exported variables
    /// and the command's prefix assignments), for `env` and `printenv`.
    pub env: Vec<(String, String)>,
    /// The stdin of `vnet run` itself: what a command of the script reads
    /// when the script does not redirect its stdin (see
    /// `vnet_fs::stream`). Background jobs get /dev/null instead.
    pub script_stdin: Option<vnet_fs::stream::Shared>,
    /// Whether a command run now whose stdin is not given reads
    /// `script_stdin`: set while `exec` runs a foreground command (a
    /// one-shot `vnet cat` sets it for its one command).
    pub inherit_stdin: bool,
    /// What a pipe holds: a writer past it is cut off (SIGPIPE), a reader
    /// that needs more stops the run (see `vnet_userland::Limits`).
    pub pipe_limit: usize,
    /// Whether the last command's stdout was cut at `pipe_limit`.
    cut_output: bool,
    /// How much of its stdin the last command left unread.
    unread: usize,
    /// A bound the last command hit that ends the run, once what it
    /// printed has landed: see [`Machine::apply_bounds`].
    pending_halt: Option<String>,
}

impl Machine {
    pub fn new(world: World, terminal: Box<dyn Write>) -> Machine {
        let mut m = Machine {
            world,
            pace: None,
            streaming: None,
            jobs: Vec::new(),
            fs: crate::fs::sim_tree(),
            terminal,
            stderr: Box::new(std::io::stderr()),
            stdout_is_tty: false,
            last_flushes: false,
            auto_interrupt: Time::from_millis(4500),
            bound_vrf: None,
            shell_ns: 0,
            charge_costs: true,
            command_cost: Time::ZERO,
            budget_time: Time::MAX,
            pending_spawn: None,
            filling: None,
            starting: false,
            last_spawned: None,
            pending_feed: None,
            starve_after: STARVE_AFTER,
            current: String::new(),
            halted: None,
            on_halt: None,
            warned: Vec::new(),
            wraps: Vec::new(),
            env: Vec::new(),
            script_stdin: None,
            inherit_stdin: false,
            pipe_limit: vnet_userland::PIPE_LIMIT,
            cut_output: false,
            unread: 0,
            pending_halt: None,
            last_pid: vnet_shell::SHELL_PID,
        };
        m.set_budget(DEFAULT_MAX_TIME, DEFAULT_MAX_EVENTS);
        m
    }

    /// The run's budgets: virtual time (counted from now) and events
    /// (counted from this process's start). See `World::set_limits`.
    pub fn set_budget(&mut self, time: Time, events: u64) {
        let now = self.world.now();
        self.world.set_limits(Limits {
            time: now + time,
            events,
        });
        self.budget_time = time;
    }

    /// The message of the budget that ran out, if one did.
    pub fn halted(&self) -> Option<&str> {
        self.halted.as_deref()
    }

    /// Records that a budget ran out (once): ends every job as Ctrl-C
    /// would, so what they print lands, and calls `on_halt`.
    fn halt(&mut self, why: Exhausted) {
        if self.halted.is_some() {
            return;
        }
        let what = match why {
            Exhausted::Time => format!(
                "virtual time budget of {} reached",
                fmt_duration(self.budget_time)
            ),
            Exhausted::Events => format!(
                "event budget of {} events reached",
                self.world.limits().events
            ),
        };
        let flag = match why {
            Exhausted::Time => "--max-time",
            Exhausted::Events => "--max-events",
        };
        self.halt_with(format!(
            "vnet: {what} at `{}`; stopping (raise it with {flag})",
            self.current
        ));
    }

    /// For a tool of this crate that writes without end (`yes`): it
    /// stopped at `pipe_limit` bytes of stdout. To a pipe that is
    /// SIGPIPE's 141; to the terminal or a file it halts the run.
    pub fn mark_output_cut(&mut self) {
        self.cut_output = true;
    }

    /// Halts the run if the last command hit a bound that ends it (its
    /// output has landed by now); true if so.
    pub fn apply_bounds(&mut self) -> bool {
        match self.pending_halt.take() {
            Some(msg) => {
                self.halt_with(msg);
                true
            }
            None => false,
        }
    }

    /// Halts the run with `msg` (see `halt`).
    fn halt_with(&mut self, msg: String) {
        if self.halted.is_some() {
            return;
        }
        self.halted = Some(msg.clone());
        self.kill_all();
        self.flush_warnings();
        if let Some(f) = self.on_halt.as_mut() {
            f(&msg);
        }
    }

    /// Whether a budget ran out: records it (see `halt`).
    fn over_budget(&mut self) -> bool {
        match self.world.exhausted() {
            Some(why) => {
                self.halt(why);
                true
            }
            None => self.halted.is_some(),
        }
    }

    /// One operation on the file tree as namespace `ns` sees it; what it
    /// wrote to `/dev/stdout` and `/dev/stderr` goes to the terminal and
    /// to [`Machine::stderr`].
    pub fn with_fs<R>(&mut self, ns: NsId, f: impl FnOnce(&mut dyn vnet_fs::Fs) -> R) -> R {
        let mut sim = crate::fs::Sim::new(&mut self.world, ns, None);
        let r = f(&mut self.fs.bind(&mut sim));
        let (out, err) = (sim.out, sim.err);
        if !out.is_empty() {
            let _ = self.terminal.write_all(&out);
            let _ = self.terminal.flush();
        }
        if !err.is_empty() {
            let _ = self.stderr.write_all(&err);
            let _ = self.stderr.flush();
        }
        r
    }

    /// Runs a command in namespace `ns`; returns (status, stdout, stderr).
    /// It takes the time it takes on a real machine (crate::cost): its
    /// effect comes after its start-up, and the shell's wait ends after its
    /// exit; timers and background jobs run meanwhile.
    pub fn exec_in(
        &mut self,
        ns: NsId,
        argv: &[String],
        stdin: Option<Vec<u8>>,
    ) -> (i32, Vec<u8>, Vec<u8>) {
        let Some(name) = argv.first() else {
            return (0, vec![], vec![]);
        };
        if self.halted.is_some() {
            return (124, vec![], vec![]);
        }
        let prog = name.rsplit('/').next().unwrap_or(name);
        let known = crate::lookup(prog).is_some() || vnet_userland::lookup(prog).is_some();
        let cost = match (self.charge_costs && !self.starting, known) {
            (true, true) => crate::cost::of(prog, &argv[1..], stdin.is_some()),
            // bash finds no such program in $PATH and forks nothing.
            _ => crate::cost::FREE,
        };
        self.current = argv.join(" ");
        self.pass(cost.before);
        if self.halted.is_some() {
            return (124, vec![], vec![]);
        }
        self.current = argv.join(" ");
        self.last_flushes = false;
        let mut c = Cmd {
            m: self,
            ns,
            stdin,
            out: Vec::new(),
            err: Vec::new(),
        };
        let status = match crate::lookup(prog) {
            Some(tool) => {
                let st = tool(&mut c, &argv[1..]);
                // A tool that never read its stdin left all of it.
                c.m.unread = c.stdin.as_ref().map_or(0, Vec::len);
                st
            }
            None if vnet_userland::lookup(prog).is_some() => {
                let util = vnet_userland::lookup(prog).expect("looked up");
                let stdin = c.stdin.take();
                let given = stdin.as_ref().map_or(0, Vec::len);
                let source = match stdin {
                    None if c.m.inherit_stdin => c.m.script_stdin.clone(),
                    _ => None,
                };
                let limits = vnet_userland::Limits {
                    pipe: c.m.pipe_limit,
                    // An interpreter's steps draw on the event budget.
                    steps: c.m.world.limits().events.saturating_sub(c.m.world.events()),
                };
                let mut sim = crate::fs::Sim::new(&mut c.m.world, ns, stdin.clone());
                let mut fs = c.m.fs.bind(&mut sim);
                let mut u = vnet_userland::Ctx::new(&mut fs, stdin);
                u.source = source;
                u.limits = limits;
                let st = util(&mut u, &argv[1..]);
                let (hit, cut, stopped) = (u.hit, u.stdin_cut, u.stopped_at);
                let untouched = u.stdin.as_ref().map_or(0, Vec::len);
                c.out = u.out;
                c.err = u.err;
                c.out.append(&mut sim.out);
                c.err.append(&mut sim.err);
                c.m.unread = stopped.map_or(untouched, |at| given.saturating_sub(at));
                if cut && stopped.is_none() {
                    // Its answer lacks the end of its input: not shown.
                    c.out.clear();
                }
                c.m.userland_bounds(hit, cut && stopped.is_none(), limits.steps, st)
            }
            None => {
                c.eprint(&format!("bash: {name}: command not found\n"));
                127
            }
        };
        c.m.world.settle();
        c.m.flush_warnings();
        let (out, err) = (c.out, c.err);
        if !self.starting {
            self.pass(cost.after + self.command_cost);
        }
        (status, out, err)
    }

    /// Starts job `i`, a `cmd &` whose start-up has passed: its command
    /// runs now (its costs paid), and the program it starts becomes the job.
    fn start_job(&mut self, i: usize) {
        let Some(st) = self.jobs[i].start.take() else {
            return;
        };
        // What the foreground command is doing stays as it was (its output
        // streams to its own sinks, not this job's).
        let saved = (
            std::mem::take(&mut self.current),
            self.last_flushes,
            self.pending_feed.take(),
            self.pending_spawn.take(),
            self.last_spawned.take(),
            self.streaming.take(),
        );
        self.pending_spawn = Some((self.jobs[i].stdout.clone(), self.jobs[i].stderr.clone()));
        self.filling = Some(i);
        self.starting = true;
        let (code, out, err) = self.exec_in(st.ns, &st.argv, st.stdin);
        self.starting = false;
        let instant = self.filling.take().is_some();
        self.pending_spawn = None;
        (
            self.current,
            self.last_flushes,
            self.pending_feed,
            self.pending_spawn,
            self.last_spawned,
            self.streaming,
        ) = saved;
        let job = &mut self.jobs[i];
        job.wake = None;
        job.last_sign = self.world.now();
        let (mut o, mut e) = (job.stdout.clone(), job.stderr.clone());
        let _ = self.write_sink(&mut o, &out);
        let _ = self.write_sink(&mut e, &err);
        (self.jobs[i].stdout, self.jobs[i].stderr) = (o, e);
        if instant {
            // No program: the command did its work and exited.
            self.jobs[i].status = Some(code);
        }
    }

    /// Lets `d` of virtual time pass while the shell waits on a command:
    /// the kernel's timers fire and background jobs run meanwhile.
    fn pass(&mut self, d: Time) {
        if d == Time::ZERO || self.halted.is_some() {
            return;
        }
        let until = self.world.now() + d;
        // A job that asks to be polled again at once many times over (it
        // should not) cannot hold the clock back.
        let mut stuck = 0u32;
        loop {
            self.poll_jobs();
            if self.over_budget() {
                return;
            }
            let now = self.world.now();
            match self.next_wake(None) {
                Some(t) if t < until && stuck < 10_000 => {
                    stuck = if t <= now { stuck + 1 } else { 0 };
                    self.world.advance(t.max(now));
                }
                _ => {
                    self.world.advance(until);
                    self.poll_jobs();
                    self.over_budget();
                    return;
                }
            }
        }
    }

    /// What a userland tool's bounds mean (see `vnet_userland::Limits`):
    /// the step budget or a reader that needed more than a pipe holds
    /// halts the run; output cut at the pipe bound is SIGPIPE's 141 when
    /// it goes to a pipe (`exec` decides), else a halt too.
    fn userland_bounds(
        &mut self,
        hit: Option<vnet_userland::Hit>,
        needed_more: bool,
        steps: u64,
        status: i32,
    ) -> i32 {
        let mib = self.pipe_limit as f64 / (1 << 20) as f64;
        if hit == Some(vnet_userland::Hit::Steps) {
            self.pending_halt = Some(format!(
                "vnet: step budget of {steps} reached at `{}` (an endless loop?); stopping (raise it with --max-events)",
                self.current
            ));
            return 124;
        }
        if needed_more {
            self.pending_halt = Some(format!(
                "vnet: `{}` read more than the pipe limit of {mib} MiB of its input; stopping (raise it with --max-output)",
                self.current
            ));
            return 124;
        }
        self.cut_output = hit == Some(vnet_userland::Hit::Output);
        status
    }

    fn write_sink(&mut self, sink: &mut Sink, data: &[u8]) -> std::io::Result<()> {
        match sink {
            Sink::Terminal => {
                self.terminal.write_all(data)?;
                self.terminal.flush()
            }
            Sink::Buffer(b) => {
                // A pipe (or `$(…)`) holds `pipe_limit`: a writer past it
                // finds its reader gone.
                let room = self.pipe_limit.saturating_sub(b.len());
                b.extend_from_slice(&data[..data.len().min(room)]);
                match data.len() > room {
                    true => Err(std::io::ErrorKind::BrokenPipe.into()),
                    false => Ok(()),
                }
            }
            // Resolved by the writer, which holds the stdout sink too.
            Sink::Null | Sink::Stdout => Ok(()),
            Sink::File { path, append } => {
                let a = *append;
                let r = self.with_fs(self.shell_ns, |fs| fs.write(path, data, a));
                // After the first write a file opened for truncation appends.
                *append = true;
                r
            }
        }
    }

    /// Polls every background job once; flushes their output.
    fn poll_jobs(&mut self) {
        for i in 0..self.jobs.len() {
            if self.jobs[i].status.is_some() || self.jobs[i].stopped {
                continue;
            }
            if let Some(at) = self.jobs[i].start.as_ref().map(|s| s.at) {
                if self.world.now() < at {
                    continue;
                }
                self.start_job(i);
                if self.jobs[i].status.is_some() {
                    continue;
                }
            }
            // Every job is polled at every step: packets may have arrived for it,
            // and a poll before its wake time does nothing.
            let mut io = Io::default();
            let step = self.jobs[i].prog.poll(&mut self.world, &mut io);
            if !io.out.is_empty() || !io.err.is_empty() {
                self.jobs[i].last_sign = self.world.now();
            }
            self.flush_job(i, io);
            match step {
                Step::Wait(t) => self.jobs[i].wake = t,
                Step::Exit(code) => {
                    self.jobs[i].status = Some(code);
                    self.jobs[i].prog.close(&mut self.world);
                }
            }
        }
        self.flush_exited();
    }

    fn flush_job(&mut self, i: usize, io: Io) {
        let mut out = match self.jobs[i].buffering {
            Some(mode) => self.jobs[i].held.write(mode, &io.out),
            None => io.out,
        };
        if io.flush {
            out.extend(self.jobs[i].held.flush());
        }
        self.write_job_stdout(i, &out);
        if !io.err.is_empty() {
            let mut s = std::mem::replace(&mut self.jobs[i].stderr, Sink::Null);
            let _ = self.write_sink(&mut s, &io.err);
            self.jobs[i].stderr = s;
        }
    }

    fn write_job_stdout(&mut self, i: usize, out: &[u8]) {
        if !out.is_empty() {
            let mut s = std::mem::replace(&mut self.jobs[i].stdout, Sink::Null);
            let _ = self.write_sink(&mut s, out);
            self.jobs[i].stdout = s;
        }
    }

    /// Jobs that have exited flush what their stdio held (exit(3)).
    fn flush_exited(&mut self) {
        self.release_exited();
        for i in 0..self.jobs.len() {
            if self.jobs[i].status.is_some() {
                let out = self.jobs[i].held.flush();
                self.write_job_stdout(i, &out);
            }
        }
    }

    /// How a program's stdout going to `sink` is buffered.
    fn buffering(&self, sink: &Sink) -> Buffering {
        if *sink == Sink::Terminal && self.stdout_is_tty {
            Buffering::Line
        } else {
            Buffering::Full
        }
    }

    /// A foreground command's output, in the order it reaches `stdout` and
    /// `stderr`: a program that does not flush its own output holds its
    /// stdout in stdio's buffer, so what it wrote on stderr (unbuffered)
    /// comes first unless stdout overflowed the buffer or is a terminal.
    fn emit(&mut self, stdout: &mut Sink, stderr: &mut Sink, out: &[u8], err: &[u8]) {
        let mode = if self.last_flushes {
            Buffering::Line
        } else {
            self.buffering(stdout)
        };
        let mut held = Stdout::default();
        let now = held.write(mode, out);
        let _ = self.write_sink(stdout, &now);
        match stderr {
            Sink::Stdout => {
                let _ = self.write_sink(stdout, err);
            }
            e => {
                let _ = self.write_sink(e, err);
            }
        }
        let _ = self.write_sink(stdout, &held.flush());
    }

    fn next_wake(&self, fg: Option<Time>) -> Option<Time> {
        let mut t = self.world.next_deadline();
        let mut consider = |x: Option<Time>| {
            if let Some(x) = x {
                t = Some(t.map_or(x, |t| t.min(x)));
            }
        };
        consider(fg);
        for j in self
            .jobs
            .iter()
            .filter(|j| j.status.is_none() && !j.stopped)
        {
            consider(j.wake);
        }
        t
    }

    /// Runs a foreground program until it exits; background jobs run alongside.
    ///
    /// The runner presses Ctrl-C for it (`Program::interrupt`) when it can
    /// never end by itself: nothing at all is pending (at once, or after
    /// `auto_interrupt` for an endless program); an endless program after
    /// `auto_interrupt`; a program blocked without a deadline of its own
    /// that printed nothing for `starve_after`. A budget that runs out ends
    /// it the same way and halts the run.
    pub fn run_foreground(&mut self, mut prog: Box<dyn Program>, io: &mut Io) -> i32 {
        if self.halted.is_some() {
            prog.close(&mut self.world);
            return 124;
        }
        let start = self.world.now();
        let limit = if prog.endless() && self.pace.is_none() {
            Some(start + self.auto_interrupt)
        } else {
            None
        };
        let mut last_sign = start;
        loop {
            let before = io.out.len() + io.err.len();
            let step = prog.poll(&mut self.world, io);
            if io.out.len() + io.err.len() != before {
                last_sign = self.world.now();
            }
            self.stream(io);
            self.poll_jobs();
            let wake = match step {
                Step::Exit(code) => {
                    prog.close(&mut self.world);
                    self.let_frames_land();
                    return code;
                }
                Step::Wait(t) => t,
            };
            if self.world.exhausted().is_some() {
                let code = prog.interrupt(&mut self.world, io);
                prog.close(&mut self.world);
                self.over_budget();
                return code;
            }
            if self.world.has_warnings() {
                self.flush_warnings();
            }
            let next = self.next_wake(wake);
            if let Some(p) = &mut self.pace {
                // At a terminal the person decides when to press Ctrl-C.
                if !p.wait_until(next) {
                    let code = prog.interrupt(&mut self.world, io);
                    self.stream(io);
                    prog.close(&mut self.world);
                    return code;
                }
                if let Some(t) = next {
                    self.world.advance(t.max(self.world.now()));
                }
                continue;
            }
            let starved = wake.is_none().then(|| last_sign + self.starve_after);
            let cutoff = earliest(limit, starved);
            match self.next_wake(wake) {
                Some(t) if cutoff.is_none_or(|c| t <= c) => {
                    self.world.advance(t.max(self.world.now()))
                }
                next => {
                    // It can never end by itself: Ctrl-C, at the cutoff
                    // when something is pending, else (nothing will ever
                    // happen again) at once or at an endless one's limit.
                    let at = if next.is_some() { cutoff } else { limit };
                    if let Some(at) = at {
                        self.world.advance(at);
                        self.poll_jobs();
                        if self.world.exhausted().is_some() {
                            continue;
                        }
                    }
                    let code = prog.interrupt(&mut self.world, io);
                    prog.close(&mut self.world);
                    return code;
                }
            }
        }
    }

    /// Writes what the foreground program printed so far to the terminal,
    /// when its output goes there (see `streaming`).
    fn stream(&mut self, io: &mut Io) {
        let Some(mut st) = self.streaming.take() else {
            return;
        };
        let mode = if self.last_flushes {
            Buffering::Line
        } else {
            st.mode
        };
        let now = st.held.write(mode, &std::mem::take(&mut io.out));
        let _ = self.write_sink(&mut st.out, &now);
        if std::mem::take(&mut io.flush) || self.last_flushes {
            let now = st.held.flush();
            let _ = self.write_sink(&mut st.out, &now);
        }
        let err = std::mem::take(&mut io.err);
        match st.err {
            Sink::Stdout => {
                let _ = self.write_sink(&mut st.out, &err);
            }
            _ => {
                let _ = self.write_sink(&mut st.err, &err);
            }
        }
        self.streaming = Some(st);
    }

    /// `wait`: runs until the given jobs (all when empty) have exited.
    ///
    /// As for a foreground program, the runner presses Ctrl-C for the
    /// waited jobs still running when none can end by itself: nothing is
    /// pending at all; all are endless (`auto_interrupt` after the wait
    /// began); or all are blocked without deadlines of their own and none
    /// printed anything for `starve_after`.
    pub fn wait_jobs(&mut self, ids: &[u32]) -> i32 {
        if self.halted.is_some() {
            return 124;
        }
        self.current = "wait".into();
        // A stopped job is not waited for: nothing would ever wake it.
        let waited =
            |j: &Job| j.status.is_none() && !j.stopped && (ids.is_empty() || ids.contains(&j.id));
        let start = self.world.now();
        loop {
            self.poll_jobs();
            if !self.jobs.iter().any(waited) {
                break;
            }
            if self.over_budget() {
                return 124;
            }
            let next = self.next_wake(None);
            if let Some(p) = &mut self.pace {
                // Ctrl-C interrupts `wait` itself; the jobs, in their own
                // process groups, run on.
                if !p.wait_until(next) {
                    return 128 + 2;
                }
                if let Some(t) = next {
                    self.world.advance(t.max(self.world.now()));
                }
                continue;
            }
            let live = || self.jobs.iter().filter(|j| waited(j));
            let endless = live()
                .all(|j| j.prog.endless())
                .then(|| start + self.auto_interrupt);
            let starved = live()
                .all(|j| j.wake.is_none())
                .then(|| live().map(|j| j.last_sign).fold(start, Time::max) + self.starve_after);
            let cutoff = earliest(endless, starved);
            match self.next_wake(None) {
                Some(t) if cutoff.is_none_or(|c| t <= c) => {
                    self.world.advance(t.max(self.world.now()))
                }
                next => {
                    if let Some(at) = cutoff.filter(|_| next.is_some()) {
                        self.world.advance(at);
                        self.poll_jobs();
                        if self.world.exhausted().is_some() {
                            continue;
                        }
                    }
                    // Jobs that wait for what will never come: interrupt them.
                    for i in 0..self.jobs.len() {
                        if waited(&self.jobs[i]) {
                            let mut io = Io::default();
                            let code = self.jobs[i].prog.interrupt(&mut self.world, &mut io);
                            self.flush_job(i, io);
                            self.jobs[i].status = Some(code);
                            self.jobs[i].prog.close(&mut self.world);
                        }
                    }
                }
            }
        }
        // Without operands bash's wait returns 0, whatever the jobs did.
        let st = if ids.is_empty() {
            0
        } else {
            self.jobs
                .iter()
                .rfind(|j| ids.contains(&j.id))
                .and_then(|j| j.status)
                .unwrap_or(0)
        };
        self.flush_exited();
        self.release_exited();
        self.jobs.retain(|j| j.status.is_none());
        self.let_frames_land();
        self.flush_warnings();
        st
    }

    /// Prints the kernel's new warnings on vnet's own stderr: they are
    /// about the lab, not output of the script's commands.
    fn flush_warnings(&mut self) {
        for w in self.world.take_warnings() {
            eprintln!("{w}");
            self.warned.push(w);
        }
    }

    /// A process's exit and the shell's next fork take some 100 µs on a
    /// real host: frames still in flight (the peer's last ACKs) land before
    /// the next command starts, so a capture started next does not see them.
    fn let_frames_land(&mut self) {
        let t = self.world.now() + EXIT_TO_NEXT_COMMAND;
        self.world.advance(t);
    }

    /// Ends every job (the shell is exiting): each gets SIGINT.
    pub fn kill_all(&mut self) {
        for i in 0..self.jobs.len() {
            if self.jobs[i].status.is_none() {
                let mut io = Io::default();
                let code = self.jobs[i].prog.interrupt(&mut self.world, &mut io);
                self.flush_job(i, io);
                self.jobs[i].status = Some(code);
                self.jobs[i].prog.close(&mut self.world);
            }
        }
        self.flush_exited();
        self.jobs.clear();
    }

    /// The next process id (alloc_pid(): the next one after the last,
    /// from the shell's `$$` on), the id of a new job.
    fn new_job_id(&mut self) -> u32 {
        self.last_pid += 1;
        self.last_pid
    }

    /// Exited jobs let go of their namespaces.
    fn release_exited(&mut self) {
        for i in 0..self.jobs.len() {
            if self.jobs[i].status.is_some() {
                if let Some(ns) = self.jobs[i].netns.take() {
                    self.world.netns_release(ns);
                }
            }
        }
    }

    /// The processes alive, by pid, with their network namespaces: init
    /// (pid 1, the host's own namespace), the shell (`$$`) and the jobs
    /// still running (what /proc/PID/ns/net shows).
    pub fn processes(&mut self) -> Vec<(u32, NsId)> {
        self.release_exited();
        let init = self.world.host_root(self.world.cur_host());
        let mut v = vec![(1, init), (vnet_shell::SHELL_PID, self.shell_ns)];
        v.extend(self.jobs.iter().filter_map(|j| Some((j.id, j.netns?))));
        v.sort();
        v
    }

    /// The network namespace of process `pid`, if it exists.
    pub fn pid_netns(&mut self, pid: i64) -> Option<NsId> {
        self.processes()
            .into_iter()
            .find(|(p, _)| i64::from(*p) == pid)
            .map(|(_, ns)| ns)
    }

    /// The timed stdin of the command being started, for a program that
    /// reads its stdin as it arrives (nc); other tools get all of it at once.
    pub fn take_feed(&mut self) -> Option<(Time, Feed)> {
        self.pending_feed.take()
    }

    /// Starts a program in the background, in namespace `ns`.
    pub fn spawn_program(
        &mut self,
        prog: Box<dyn Program>,
        ns: NsId,
        stdout: Sink,
        stderr: Sink,
    ) -> u32 {
        let buffering = (!prog.flushes()).then(|| self.buffering(&stdout));
        if let Some(i) = self.filling.take() {
            // A delayed `cmd &` reached its program: the job is it now,
            // in the namespace its command entered (`ip netns exec`).
            self.world.netns_hold(ns);
            if let Some(old) = self.jobs[i].netns.replace(ns) {
                self.world.netns_release(old);
            }
            let j = &mut self.jobs[i];
            j.prog = prog;
            j.buffering = buffering;
            return j.id;
        }
        let id = self.new_job_id();
        let last_sign = self.world.now();
        let cmd = self.current.clone();
        self.world.netns_hold(ns);
        self.jobs.push(Job {
            id,
            netns: Some(ns),
            prog,
            wake: None,
            stdout,
            stderr,
            status: None,
            last_sign,
            cmd,
            stopped: false,
            held: Stdout::default(),
            buffering,
            start: None,
        });
        id
    }

    /// The job table, oldest first (for `jobs`).
    pub fn jobs(&self) -> Vec<JobInfo> {
        self.jobs
            .iter()
            .map(|j| JobInfo {
                id: j.id,
                state: match (j.status, j.stopped) {
                    (Some(c), _) => JobState::Done(c),
                    (None, true) => JobState::Stopped,
                    (None, false) => JobState::Running,
                },
                cmd: j.cmd.clone(),
            })
            .collect()
    }

    /// `kill -SIG %N`: SIGSTOP/SIGTSTP stop the job, SIGCONT resumes it;
    /// any other signal reaches the program's handler ([`Program::signal`]:
    /// SIGINT ends it as Ctrl-C does, most programs die silently of the
    /// rest with 128 + the signal). False when there is no such job.
    pub fn signal_job(&mut self, job: u32, signal: i32) -> bool {
        let Some(i) = self.jobs.iter().position(|j| j.id == job) else {
            return false;
        };
        // Let it take in what is due before the signal lands.
        self.poll_jobs();
        if self.jobs[i].status.is_some() {
            return true;
        }
        match signal {
            sig::SIGSTOP | sig::SIGTSTP => self.jobs[i].stopped = true,
            sig::SIGCONT => self.jobs[i].stopped = false,
            n => {
                // The program's handler decides (ping prints its statistics
                // on SIGINT only; tcpdump on SIGTERM and SIGHUP too).
                let mut io = Io::default();
                let code = self.jobs[i].prog.signal(&mut self.world, &mut io, n);
                self.flush_job(i, io);
                if let Some(code) = code {
                    self.jobs[i].status = Some(code);
                    self.jobs[i].prog.close(&mut self.world);
                }
            }
        }
        true
    }

    /// `fg %N`: the job runs on (continued if stopped) until it exits, with
    /// a foreground program's Ctrl-C rules; its status. None: no such job.
    pub fn foreground_job(&mut self, job: u32) -> Option<i32> {
        let j = self.jobs.iter_mut().find(|j| j.id == job)?;
        j.stopped = false;
        Some(self.wait_jobs(&[job]))
    }

    /// `bg %N`: a stopped job runs on in the background.
    pub fn background_job(&mut self, job: u32) -> bool {
        match self.jobs.iter_mut().find(|j| j.id == job) {
            Some(j) => {
                j.stopped = false;
                true
            }
            None => false,
        }
    }
}

impl Cmd<'_> {
    /// Runs a program in the foreground; its output lands in this command's buffers.
    pub fn run(&mut self, mut prog: Box<dyn Program>) -> i32 {
        for wrap in self.m.wraps.clone().iter().rev() {
            prog = wrap(prog);
        }
        if let Some(bg) = self.m.pending_spawn.take() {
            // `cmd &`: the tool built its program; hand it to the job table.
            let id = self.m.spawn_program(prog, self.ns, bg.0, bg.1);
            self.m.last_spawned = Some(id);
            return 0;
        }
        self.m.last_flushes = prog.flushes();
        // What the tool printed before its program started (ping's PING
        // line) goes first.
        let mut io = Io {
            out: std::mem::take(&mut self.out),
            err: std::mem::take(&mut self.err),
            flush: false,
        };
        self.m.stream(&mut io);
        let code = self.m.run_foreground(prog, &mut io);
        self.out.extend_from_slice(&io.out);
        self.err.extend_from_slice(&io.err);
        code
    }
}

impl Cmd<'_> {
    /// Hands what this command printed so far to the terminal or file its
    /// output goes to, when it streams there, stdout flushed: a command
    /// that runs others (xargs) writes between them, and each one's output
    /// is out when it exits.
    pub fn stream_now(&mut self) {
        let mut io = Io {
            out: std::mem::take(&mut self.out),
            err: std::mem::take(&mut self.err),
            flush: true,
        };
        self.m.stream(&mut io);
        (self.out, self.err) = (io.out, io.err);
    }
}

impl System for Machine {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        stdout: &mut Sink,
        stderr: &mut Sink,
    ) -> i32 {
        let ns = self.shell_ns;
        let feed = self.pending_feed.clone();
        // A command that runs a shell (`xargs sh -c`) streams on after it.
        let outer = self.streaming.take();
        // Pipes and $(...) collect output in buffers the shell owns; the
        // terminal and files take it as the program prints it.
        let direct = |s: &Sink| matches!(s, Sink::Terminal | Sink::File { .. });
        // `2>&1` onto a pipe or buffer: both streams land in one place in
        // the order they are written, so a program's fflush(stdout) before
        // its stderr (tcpdump's statistics) must be seen there too.
        let merged = matches!(stdout, Sink::Buffer(_)) && *stderr == Sink::Stdout;
        if (direct(stdout) && direct(stderr)) || merged {
            self.streaming = Some(Streaming {
                out: stdout.clone(),
                err: stderr.clone(),
                held: Stdout::default(),
                mode: self.buffering(stdout),
            });
        }
        self.inherit_stdin = true;
        self.cut_output = false;
        self.unread = 0;
        let (mut st, out, err) = self.exec_in(ns, argv, stdin);
        self.inherit_stdin = false;
        if std::mem::take(&mut self.cut_output) {
            if matches!(stdout, Sink::Buffer(_)) {
                // Its reader sees the end of the pipe there; if it needs
                // more, it says so (`userland_bounds`).
                st = 141;
            } else {
                let mib = self.pipe_limit as f64 / (1 << 20) as f64;
                self.pending_halt = Some(format!(
                    "vnet: `{}` wrote more than the output limit of {mib} MiB; stopping (raise it with --max-output)",
                    self.current
                ));
            }
        }
        let held = match self.streaming.take() {
            Some(mut s) => {
                // The files' append state moved on with the clones.
                (*stdout, *stderr) = (s.out, s.err);
                s.held.flush()
            }
            None => Vec::new(),
        };
        self.streaming = outer;
        self.pending_feed = None;
        let mut out = out;
        if !held.is_empty() {
            out.splice(0..0, held);
        }
        self.emit(stdout, stderr, &out, &err);
        if self.apply_bounds() || self.over_budget() {
            return 124;
        }
        // A foreground pipeline ends when its writer does too: the writer
        // sleeps on, or dies of SIGPIPE at its first write after the
        // reader's exit.
        if let Some((start, feed)) = feed {
            let at = |us| start + Time::from_micros(us);
            let now = self.world.now();
            let end = feed
                .chunks
                .iter()
                .map(|c| at(c.0))
                .find(|t| *t > now)
                .unwrap_or(at(feed.eof));
            if end > now {
                let mut io = Io::default();
                self.run_foreground(crate::coreutils::sleep_until(end), &mut io);
            }
        }
        st
    }

    fn environ(&mut self, env: Vec<(String, String)>) {
        self.env = env;
    }

    fn killed(&mut self) -> Option<i32> {
        crate::launch::killed()
    }

    fn stdin_unread(&mut self) -> usize {
        self.unread
    }

    fn stdin_feed(&mut self, feed: Feed) {
        self.pending_feed = Some((self.world.now(), feed));
    }

    fn spawn(
        &mut self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        stdout: Sink,
        stderr: Sink,
    ) -> u32 {
        // `cmd &` on a kernel: the shell goes on at once while the command
        // starts up; its effect (a capture armed, a first probe) comes
        // after its start-up cost. A timed stdin (a feeder pipeline) starts
        // with the command at once.
        let delay = match self.charge_costs && self.pending_feed.is_none() && self.halted.is_none()
        {
            true => crate::cost::start_delay(argv),
            false => Time::ZERO,
        };
        if delay > Time::ZERO {
            let id = self.new_job_id();
            let at = self.world.now() + delay;
            self.world.netns_hold(self.shell_ns);
            self.jobs.push(Job {
                id,
                netns: Some(self.shell_ns),
                prog: Box::new(Done),
                wake: Some(at),
                stdout,
                stderr,
                status: None,
                last_sign: self.world.now(),
                cmd: argv.join(" "),
                stopped: false,
                held: Stdout::default(),
                buffering: None,
                start: Some(Start {
                    at,
                    ns: self.shell_ns,
                    argv: argv.to_vec(),
                    stdin,
                }),
            });
            return id;
        }
        // Tools that start programs call Cmd::run, which sees pending_spawn and
        // backgrounds the program; instant tools just run now.
        self.pending_spawn = Some((stdout.clone(), stderr.clone()));
        self.last_spawned = None;
        let ns = self.shell_ns;
        let (st, out, err) = self.exec_in(ns, argv, stdin);
        self.pending_spawn = None;
        self.pending_feed = None;
        let (mut o, mut e) = (stdout, stderr);
        let _ = self.write_sink(&mut o, &out);
        let _ = self.write_sink(&mut e, &err);
        self.apply_bounds();
        self.over_budget();
        match self.last_spawned.take() {
            Some(id) => id,
            None => {
                // Finished immediately: record as an exited job.
                let id = self.new_job_id();
                self.jobs.push(Job {
                    id,
                    netns: None,
                    prog: Box::new(Done),
                    wake: None,
                    stdout: Sink::Null,
                    stderr: Sink::Null,
                    status: Some(st),
                    last_sign: self.world.now(),
                    cmd: argv.join(" "),
                    stopped: false,
                    held: Stdout::default(),
                    buffering: None,
                    start: None,
                });
                id
            }
        }
    }

    fn wait(&mut self, jobs: &[u32]) -> i32 {
        self.wait_jobs(jobs)
    }

    fn signal(&mut self, job: u32, sig: i32) -> bool {
        self.signal_job(job, sig)
    }

    fn job_status(&mut self, job: u32) -> Option<i32> {
        self.jobs()
            .into_iter()
            .find(|j| j.id == job)
            .and_then(|j| match j.state {
                JobState::Done(code) => Some(code),
                _ => None,
            })
    }

    fn clock_secs(&mut self) -> u64 {
        self.world.now().0 / 1_000_000_000
    }

    fn random_seed(&mut self) -> u64 {
        self.world.prandom_u64()
    }

    fn has_command(&mut self, name: &str) -> Option<bool> {
        // A path names a file, which the shell leaves to exec.
        if name.contains('/') {
            return None;
        }
        Some(crate::lookup(name).is_some() || vnet_userland::lookup(name).is_some())
    }

    fn which(&mut self, name: &str) -> Option<String> {
        self.has_command(name)?.then(|| {
            let dir = if crate::SBIN.contains(&name) {
                "/usr/sbin"
            } else {
                "/usr/bin"
            };
            format!("{dir}/{name}")
        })
    }

    fn kill(&mut self, job: u32) -> bool {
        self.signal_job(job, sig::SIGTERM)
    }

    fn write(&mut self, sink: &mut Sink, data: &[u8]) -> std::io::Result<()> {
        self.write_sink(sink, data)
    }

    fn read_file(&mut self, path: &str) -> std::io::Result<Vec<u8>> {
        self.with_fs(self.shell_ns, |fs| fs.read(path))
    }

    fn chdir(&mut self, dir: &str) -> std::io::Result<()> {
        self.with_fs(self.shell_ns, |fs| fs.set_cwd(dir))
    }

    fn metadata(&mut self, path: &str) -> std::io::Result<vnet_fs::Meta> {
        self.with_fs(self.shell_ns, |fs| fs.metadata(path))
    }

    fn read_dir(&mut self, path: &str) -> std::io::Result<Vec<String>> {
        self.with_fs(self.shell_ns, |fs| fs.read_dir(path))
    }
}

/// The earlier of two optional moments.
fn earliest(a: Option<Time>, b: Option<Time>) -> Option<Time> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A duration as `--max-time` takes it back: `10d`, `2h`, `90s`, `1.5s`.
pub fn fmt_duration(t: Time) -> String {
    let ns = t.0;
    for (unit, len) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] {
        let u = len * 1_000_000_000u64;
        if ns >= u && ns.is_multiple_of(u) {
            return format!("{}{unit}", ns / u);
        }
    }
    format!("{}s", t.as_secs_f64())
}

/// Parses a `--max-time` duration: a number of seconds, optionally with
/// the suffix s, m, h or d (as sleep and timeout take them).
pub fn parse_duration(s: &str) -> Option<Time> {
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1.0),
        'm' => (&s[..s.len() - 1], 60.0),
        'h' => (&s[..s.len() - 1], 3600.0),
        'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v > 0.0).then(|| Time::from_secs_f64(v * mult))
}

struct Done;
impl Program for Done {
    fn poll(&mut self, _w: &mut World, _io: &mut Io) -> Step {
        Step::Exit(0)
    }
    fn interrupt(&mut self, _w: &mut World, _io: &mut Io) -> i32 {
        0
    }
}
