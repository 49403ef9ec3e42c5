//! The machine: the simulated kernel plus the processes running on it, the
//! working directory and the terminal. It implements the shell's `System`.

use crate::proc::{Io, Program, Step};
use crate::Cmd;
use std::io::Write;
use vnet_core::{NsId, Time, World};
use vnet_shell::{Feed, Sink, System};

/// See `Machine::let_frames_land`.
const EXIT_TO_NEXT_COMMAND: Time = Time::from_micros(100);

struct Job {
    id: u32,
    prog: Box<dyn Program>,
    wake: Option<Time>,
    stdout: Sink,
    stderr: Sink,
    status: Option<i32>,
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
    /// The terminal sinks of the foreground command while it runs, for
    /// output printed as it happens (set when its stdout is the terminal).
    streaming: Option<(Sink, Sink)>,
    jobs: Vec<Job>,
    /// The file tree scripts and commands see, with its working directory
    /// (see [`crate::fs`]): by default only the simulated files.
    pub fs: vnet_fs::Tree,
    /// Where `Sink::Terminal` output goes.
    pub terminal: Box<dyn Write>,
    /// Where writes to `/dev/stderr` go.
    pub stderr: Box<dyn Write>,
    /// How long (virtual) an endless foreground program runs before the
    /// runner presses Ctrl-C for it (ping without -c in a script).
    pub auto_interrupt: Time,
    /// The namespace the shell itself runs in (redirections, `cat`).
    pub shell_ns: NsId,
    /// Virtual time one command takes (zero by default).
    pub command_cost: Time,
    /// Set while `cmd &` runs: the sinks a program started now goes to.
    pending_spawn: Option<(Sink, Sink)>,
    last_spawned: Option<u32>,
    /// Set while the last stage of a feeder pipeline runs: when the
    /// pipeline started and what its writer sends (see `vnet_shell::Feed`).
    pending_feed: Option<(Time, Feed)>,
}

impl Machine {
    pub fn new(world: World, terminal: Box<dyn Write>) -> Machine {
        Machine {
            world,
            pace: None,
            streaming: None,
            jobs: Vec::new(),
            fs: crate::fs::sim_tree(),
            terminal,
            stderr: Box::new(std::io::stderr()),
            auto_interrupt: Time::from_millis(4500),
            shell_ns: 0,
            command_cost: Time::ZERO,
            pending_spawn: None,
            last_spawned: None,
            pending_feed: None,
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
    pub fn exec_in(
        &mut self,
        ns: NsId,
        argv: &[String],
        stdin: Option<Vec<u8>>,
    ) -> (i32, Vec<u8>, Vec<u8>) {
        let Some(name) = argv.first() else {
            return (0, vec![], vec![]);
        };
        let prog = name.rsplit('/').next().unwrap_or(name);
        let mut c = Cmd {
            m: self,
            ns,
            stdin,
            out: Vec::new(),
            err: Vec::new(),
        };
        let status = match crate::lookup(prog) {
            Some(tool) => tool(&mut c, &argv[1..]),
            None if vnet_userland::lookup(prog).is_some() => {
                let util = vnet_userland::lookup(prog).expect("looked up");
                let stdin = c.stdin.take();
                let mut sim = crate::fs::Sim::new(&mut c.m.world, ns, stdin.clone());
                let mut fs = c.m.fs.bind(&mut sim);
                let mut u = vnet_userland::Ctx::new(&mut fs, stdin);
                let st = util(&mut u, &argv[1..]);
                c.out = u.out;
                c.err = u.err;
                c.out.append(&mut sim.out);
                c.err.append(&mut sim.err);
                st
            }
            None => {
                c.eprint(&format!("bash: {name}: command not found\n"));
                127
            }
        };
        c.m.world.settle();
        // Optionally, a command takes time as on a real host (fork, exec,
        // netlink), which deferred kernel work (linkwatch's one-second
        // batching) can see. Scripts default to instantaneous commands.
        if c.m.command_cost > Time::ZERO {
            let t = c.m.world.now() + c.m.command_cost;
            c.m.world.advance(t);
        }
        (status, c.out, c.err)
    }

    fn write_sink(&mut self, sink: &mut Sink, data: &[u8]) -> std::io::Result<()> {
        match sink {
            Sink::Terminal => {
                self.terminal.write_all(data)?;
                self.terminal.flush()
            }
            Sink::Buffer(b) => {
                b.extend_from_slice(data);
                Ok(())
            }
            Sink::Null => Ok(()),
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
            if self.jobs[i].status.is_some() {
                continue;
            }
            // Every job is polled at every step: packets may have arrived for it,
            // and a poll before its wake time does nothing.
            let mut io = Io::default();
            let step = self.jobs[i].prog.poll(&mut self.world, &mut io);
            self.flush_job(i, io);
            match step {
                Step::Wait(t) => self.jobs[i].wake = t,
                Step::Exit(code) => {
                    self.jobs[i].status = Some(code);
                    self.jobs[i].prog.close(&mut self.world);
                }
            }
        }
    }

    fn flush_job(&mut self, i: usize, io: Io) {
        if !io.out.is_empty() {
            let mut s = std::mem::replace(&mut self.jobs[i].stdout, Sink::Null);
            let _ = self.write_sink(&mut s, &io.out);
            self.jobs[i].stdout = s;
        }
        if !io.err.is_empty() {
            let mut s = std::mem::replace(&mut self.jobs[i].stderr, Sink::Null);
            let _ = self.write_sink(&mut s, &io.err);
            self.jobs[i].stderr = s;
        }
    }

    fn next_wake(&self, fg: Option<Time>) -> Option<Time> {
        let mut t = self.world.next_deadline();
        let mut consider = |x: Option<Time>| {
            if let Some(x) = x {
                t = Some(t.map_or(x, |t| t.min(x)));
            }
        };
        consider(fg);
        for j in self.jobs.iter().filter(|j| j.status.is_none()) {
            consider(j.wake);
        }
        t
    }

    /// Runs a foreground program until it exits; background jobs run alongside.
    pub fn run_foreground(&mut self, mut prog: Box<dyn Program>, io: &mut Io) -> i32 {
        let start = self.world.now();
        let limit = if prog.endless() && self.pace.is_none() {
            Some(start + self.auto_interrupt)
        } else {
            None
        };
        loop {
            let step = prog.poll(&mut self.world, io);
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
            let next = self.next_wake(wake);
            let next = match (next, limit) {
                (Some(n), Some(l)) if n > l => None,
                (n, _) => n,
            };
            if let Some(p) = &mut self.pace {
                // At a terminal the person decides when to press Ctrl-C.
                if !p.wait_until(next) {
                    let code = prog.interrupt(&mut self.world, io);
                    self.stream(io);
                    prog.close(&mut self.world);
                    return code;
                }
            }
            match next {
                Some(t) => self.world.advance(t.max(self.world.now())),
                None => {
                    // Nothing will ever happen again (or the limit is reached): Ctrl-C.
                    if let Some(l) = limit {
                        self.world.advance(l);
                        self.poll_jobs();
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
        let Some((mut out, mut err)) = self.streaming.take() else {
            return;
        };
        if !io.out.is_empty() {
            let _ = self.write_sink(&mut out, &std::mem::take(&mut io.out));
        }
        if !io.err.is_empty() {
            let _ = self.write_sink(&mut err, &std::mem::take(&mut io.err));
        }
        self.streaming = Some((out, err));
    }

    /// `wait`: runs until the given jobs (all when empty) have exited.
    pub fn wait_jobs(&mut self, ids: &[u32]) -> i32 {
        let waiting = |m: &Machine| {
            m.jobs
                .iter()
                .any(|j| j.status.is_none() && (ids.is_empty() || ids.contains(&j.id)))
        };
        let mut guard = 0u64;
        while waiting(self) {
            self.poll_jobs();
            if !waiting(self) {
                break;
            }
            let next = self.next_wake(None);
            if let Some(p) = &mut self.pace {
                // Ctrl-C interrupts `wait` itself; the jobs, in their own
                // process groups, run on.
                if !p.wait_until(next) {
                    return 128 + 2;
                }
            }
            match next {
                Some(t) => self.world.advance(t.max(self.world.now())),
                None => {
                    // Jobs that wait for packets that will never come: interrupt them.
                    for i in 0..self.jobs.len() {
                        if self.jobs[i].status.is_none()
                            && (ids.is_empty() || ids.contains(&self.jobs[i].id))
                        {
                            let mut io = Io::default();
                            let code = self.jobs[i].prog.interrupt(&mut self.world, &mut io);
                            self.flush_job(i, io);
                            self.jobs[i].status = Some(code);
                            self.jobs[i].prog.close(&mut self.world);
                        }
                    }
                }
            }
            guard += 1;
            if guard > 50_000_000 {
                break;
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
        self.jobs.retain(|j| j.status.is_none());
        self.let_frames_land();
        st
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
        self.jobs.clear();
    }

    /// The next job number, as bash gives it: one more than the highest in
    /// the job table (numbers are reused once `wait` has reaped the jobs).
    fn new_job_id(&self) -> u32 {
        self.jobs.iter().map(|j| j.id).max().unwrap_or(0) + 1
    }

    /// The timed stdin of the command being started, for a program that
    /// reads its stdin as it arrives (nc); other tools get all of it at once.
    pub fn take_feed(&mut self) -> Option<(Time, Feed)> {
        self.pending_feed.take()
    }

    /// Starts a program in the background.
    pub fn spawn_program(&mut self, prog: Box<dyn Program>, stdout: Sink, stderr: Sink) -> u32 {
        let id = self.new_job_id();
        self.jobs.push(Job {
            id,
            prog,
            wake: None,
            stdout,
            stderr,
            status: None,
        });
        id
    }
}

impl Cmd<'_> {
    /// Runs a program in the foreground; its output lands in this command's buffers.
    pub fn run(&mut self, prog: Box<dyn Program>) -> i32 {
        if let Some(bg) = self.m.pending_spawn.take() {
            // `cmd &`: the tool built its program; hand it to the job table.
            let id = self.m.spawn_program(prog, bg.0, bg.1);
            self.m.last_spawned = Some(id);
            return 0;
        }
        // What the tool printed before its program started (ping's PING
        // line) goes first.
        let mut io = Io {
            out: std::mem::take(&mut self.out),
            err: std::mem::take(&mut self.err),
        };
        self.m.stream(&mut io);
        let code = self.m.run_foreground(prog, &mut io);
        self.out.extend_from_slice(&io.out);
        self.err.extend_from_slice(&io.err);
        code
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
        if self.pace.is_some() && *stdout == Sink::Terminal {
            self.streaming = Some((stdout.clone(), stderr.clone()));
        }
        let (st, out, err) = self.exec_in(ns, argv, stdin);
        self.streaming = None;
        self.pending_feed = None;
        let _ = self.write_sink(stdout, &out);
        let _ = self.write_sink(stderr, &err);
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
        match self.last_spawned.take() {
            Some(id) => id,
            None => {
                // Finished immediately: record as an exited job.
                let id = self.new_job_id();
                self.jobs.push(Job {
                    id,
                    prog: Box::new(Done),
                    wake: None,
                    stdout: Sink::Null,
                    stderr: Sink::Null,
                    status: Some(st),
                });
                id
            }
        }
    }

    fn wait(&mut self, jobs: &[u32]) -> i32 {
        self.wait_jobs(jobs)
    }

    fn kill(&mut self, job: u32) -> bool {
        let Some(i) = self.jobs.iter().position(|j| j.id == job) else {
            return false;
        };
        // Let it take in what is due before the signal lands.
        self.poll_jobs();
        if self.jobs[i].status.is_none() {
            let mut io = Io::default();
            self.jobs[i].prog.interrupt(&mut self.world, &mut io);
            self.flush_job(i, io);
            self.jobs[i].status = Some(128 + 15);
            self.jobs[i].prog.close(&mut self.world);
        }
        true
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

struct Done;
impl Program for Done {
    fn poll(&mut self, _w: &mut World, _io: &mut Io) -> Step {
        Step::Exit(0)
    }
    fn interrupt(&mut self, _w: &mut World, _io: &mut Io) -> i32 {
        0
    }
}
