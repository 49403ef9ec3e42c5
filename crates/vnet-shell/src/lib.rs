//! vnet-shell: the shell language of vnet lab scripts (`vnet run FILE`) and of
//! the interactive `vnet shell`.
//!
//! The bash 5.2 language as lab scripts use it, with bash's messages and
//! statuses (checked case by case against real bash: `tests/shell-diff`):
//!
//! - Words: `'…'`, `"…"`, `$'…'`, backslashes, line continuations, comments;
//!   brace expansion (`{a,b}`, `{1..5}`), `~`; parameters `$X`, `${X}`,
//!   `${X:-w}` and the other `-=+?` forms, `${#X}`, `${X#p}` `##` `%` `%%`,
//!   `${X/p/r}` `//` `/#` `/%`, `${X^^}` `^` `,,` `,`, `${X:off:len}`,
//!   `${!X}`; `$1`… `${10}`, `$@`/`$*` (quoted forms), `$#`, `$0`, `$?`,
//!   `$$`, `$!`, `$-`, `$BASHPID`, `$RANDOM` (bash's generator, seeded by
//!   [`System::random_seed`] or `RANDOM=n`), `$SECONDS` (by
//!   [`System::clock_secs`]), `$LINENO`, `$PIPESTATUS`, `$FUNCNAME`;
//!   indexed arrays (`a=(x y)`, `a+=(z)`, `a[i]=v`, `${a[@]}`, `${#a[@]}`,
//!   `unset 'a[i]'`), associative arrays (`declare -A`; `${!m[@]}` lists
//!   keys in the order they were set, where bash uses its hash order);
//!   `$(…)`, `` `…` ``, `$(<file)`, `$((…))` (bash's
//!   operators, `?:`, `,`, `0x`/`0`/`BASE#` numbers); field splitting by
//!   `$IFS`; globbing (`*`, `?`, `[…]`, classes) through
//!   [`System::read_dir`], a pattern matching nothing staying as written.
//! - Commands: pipelines (every stage a subshell, as bash without
//!   `lastpipe`), `&&`, `||`, `!`, `&`; `if`, `for` (also `for ((…))`),
//!   `while`, `until`, `case` (`|`, `;;`, `;&`, `;;&`), `{ …; }`, `( … )`,
//!   `[[ … ]]` (patterns, `=~` with `BASH_REMATCH`, `<`, `>`, `&&`, `||`,
//!   `!`, parentheses, file tests), `(( … ))`; functions (`f() { }`,
//!   `function f { }`) with `local` and `return`.
//! - Redirections: `>`, `>>`, `<`, `N>`, `N>&M`, `&>`, `&>>`, `N>&-`
//!   (output fds 1-9),
//!   here-documents (`<<`, `<<-`, quoted delimiters), here-strings `<<<`,
//!   `< <(list)` (process substitution as input, its only form here);
//!   `exec` with only redirections keeps them.
//! - Builtins: `echo`, `printf` (bash's conversions and messages, `-v`),
//!   `read` (`-r -a -d -n -p`, IFS), `test`/`[`, `true`, `false`, `:`,
//!   `exit`, `return`, `cd`, `pwd`, `export`, `unset`, `local`,
//!   `declare`/`typeset`, `readonly`, `set` (`-e -u -x -f`, `-o pipefail`,
//!   `--`), `shift`, `eval`, `.`/`source`, `exec`, `command` (`-v`),
//!   `type`, `trap` (`EXIT`, `ERR`, signals, listing), `let`, `getopts`,
//!   `mapfile`/`readarray`, `break N`, `continue N`, `wait`, `kill` (`-SIG`,
//!   `%N`), `jobs`, `fg`, `bg`, `shopt` (`nullglob`, `dotglob`), `hash`,
//!   `umask`, `alias` (kept, not expanded: a script does not expand them).
//!   `sh`/`bash`/`dash` (`-c`, a script file, or a script on stdin) run as a
//!   child shell in-process, and so does `./script.sh` (a path to a file
//!   with execute permission whose `#!` names a shell, or that has none);
//!   without `x` it fails as bash does (`Permission denied`, status 126),
//!   as do a missing path (127) and a directory (126). In the background
//!   (`./script.sh &`) a path still goes to the System.
//!
//! Every other command goes to the host through [`System`], which runs it
//! in the simulated world, with the exported variables and the command's
//! prefix assignments as its environment ([`System::environ`]); programs
//! that start a shell themselves (`xargs sh -c`) use [`run_shell`]. Not supported: alias expansion, `select`,
//! `coproc`, `<(…)` as an argument and `>(…)`, extended globs, input file
//! descriptors other than 0 (`3<file`, `read -u`), `type` printing a
//! function's body, `printf '%(…)T'`, `time`. Nesting is bounded (see
//! `stack.rs`): a script nested too deeply gets an error, never a stack
//! overflow.
//!
//! # Why a hand-written parser
//! `brush-parser` (0.4) was evaluated first. Its AST and word pieces would do,
//! but: (1) its errors cannot tell an *incomplete* command from a *wrong* one
//! (`fi` alone and `while :; do :; done; done` both come back as "end of
//! input", like an unfinished `for`), and both `run_line`'s
//! [`LineResult::Incomplete`] and bash's ``near unexpected token `fi'``
//! messages depend on that; (2) it parses a whole program at once, while bash
//! runs a script command by command (lines before a syntax error still run);
//! (3) it needs Rust 1.88 (the workspace promises 1.85) and brings ~85 crates
//! (peg, bon, cached, and `insta` as a normal dependency). The subset is
//! small, so `parse.rs` is a recursive-descent parser with on-demand lexing.
//!
//! # Modules
//! `parse.rs` (lexer, AST, parser), `brace.rs` (brace expansion),
//! `expand.rs` (parameters, field splitting, command substitution),
//! `glob.rs` (patterns and pathname expansion), `arith.rs` (`$((…))`),
//! `exec.rs` (commands, pipelines, redirections, the basic builtins),
//! `builtins.rs` (the others), `test.rs` (`test`/`[` and `[[`'s
//! operators), `printf.rs` (`printf` and backslash escapes), `stack.rs`
//! (the recursion budget).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

mod arith;
mod brace;
mod builtins;
mod exec;
pub use exec::SHELL_PID;
mod expand;
mod glob;
mod jobs;
mod parse;
mod printf;
mod stack;
mod test;

use parse::{ErrKind, ParseError, Parser};

/// Where a command's output goes.
///
/// # File contract
/// [`System::write`] to `File { append: false }` truncates (creating the file)
/// and then writes; `append: true` appends. When the shell opens a `> f`
/// redirection it calls `write(File { path, append: false }, b"")` once, so
/// `> f` truncates even if the command prints nothing and an unopenable path
/// is reported before the command runs; it then hands the command
/// `File { path, append: true }`, so every later write (from one command or
/// several, e.g. `{ echo a; echo b; } > f`) appends. `>> f` opens with
/// `write(File { path, append: true }, b"")`. The empty write is an "open":
/// it must not change a `/proc/sys` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    Terminal,
    Buffer(Vec<u8>),
    File {
        path: String,
        append: bool,
    },
    Null,
    /// fd 2 duplicated onto fd 1 when fd 1 is a pipe or a `$(…)` buffer
    /// (`2>&1 |`): what is written here belongs in the stdout sink, in the
    /// order it was written (a buffer cannot be lent twice).
    Stdout,
}

/// The host that runs external commands and owns files and the terminal.
pub trait System {
    /// Run an external command to completion (it may advance virtual time). `stdin` is
    /// the data piped or redirected in (None = no stdin/terminal). Writes its output
    /// through `self.write(sink, bytes)`. Returns the exit status; an unknown command is
    /// the System's business (it prints `"<name>: command not found"` and returns 127)
    /// unless [`has_command`](Self::has_command) lets the shell say so in bash's words.
    ///
    /// With `2>&1` onto a pipe or `$(…)` buffer, `stderr` is
    /// [`Sink::Stdout`]: the command's stderr goes into `stdout`.
    fn exec(
        &mut self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        stdout: &mut Sink,
        stderr: &mut Sink,
    ) -> i32;
    /// Start an external command in the background (`cmd &`); returns a job id.
    /// Only simple commands are backgrounded this way, and a pipeline whose
    /// first stage only echoes and sleeps (see [`Feed`]); any other
    /// backgrounded pipeline or compound command runs in the foreground
    /// (see `exec.rs`). A job whose
    /// output would go to a pipe gets an empty `Buffer` that nobody reads.
    /// `stdin` is what a `<` redirection gave it (None: /dev/null, as a
    /// non-interactive shell gives background jobs).
    fn spawn(&mut self, argv: &[String], stdin: Option<Vec<u8>>, stdout: Sink, stderr: Sink)
        -> u32;
    /// The next `exec` or `spawn` is the last stage of a pipeline whose
    /// first stage is shell code that only echoes and sleeps, e.g.
    /// `(echo hello; sleep 2) | nc ...`: `feed` says when its bytes arrive
    /// (the `stdin` given to exec/spawn is all of them at once). The
    /// default ignores it.
    fn stdin_feed(&mut self, feed: Feed) {
        let _ = feed;
    }
    /// The environment of the next `exec` or `spawn` (its `environ`: the
    /// exported variables and the command's prefix assignments, `FOO=1
    /// cmd`), given just before it. The default ignores it.
    fn environ(&mut self, env: Vec<(String, String)>) {
        let _ = env;
    }
    /// Some(status) when the shell has been killed (a shell `timeout`
    /// started, after its time ran out): it stops after the command
    /// running now, as if by that status. The default: never.
    fn killed(&mut self) -> Option<i32> {
        None
    }
    /// How many bytes of its stdin the last [`exec`](Self::exec) left
    /// unread (`head -1` of a long pipe): a pipeline's writer with more
    /// than a pipe holds still to write then dies of SIGPIPE. The default
    /// says it read everything.
    fn stdin_unread(&mut self) -> usize {
        0
    }
    /// `wait` builtin: run until the given jobs (all if empty) have exited; status of the last.
    fn wait(&mut self, jobs: &[u32]) -> i32;
    /// `kill` builtin: send a job SIGTERM (it ends as its program does on
    /// it: ping silently, tcpdump with its statistics). False when there is
    /// no such job. The default knows no jobs.
    fn kill(&mut self, job: u32) -> bool {
        let _ = job;
        false
    }
    /// Write bytes to a sink (Terminal = the user's terminal; File = through the
    /// system's file view, which maps /proc/sys/net/... onto the simulated
    /// namespace). See [`Sink`] for the truncate/append contract. The shell
    /// writes `Buffer` sinks itself only through this method too, so an
    /// implementation must append to the buffer.
    fn write(&mut self, sink: &mut Sink, data: &[u8]) -> std::io::Result<()>;
    /// Read a file for `<` redirection.
    fn read_file(&mut self, path: &str) -> std::io::Result<Vec<u8>>;
    /// `cd` moved to `dir` (absolute, normalised), or a subshell that had
    /// moved ends and the shell moves back. An error makes `cd` fail with
    /// `cd: DIR: <error>` (e.g. `No such file or directory`). The default
    /// accepts every directory and does nothing.
    fn chdir(&mut self, dir: &str) -> std::io::Result<()> {
        let _ = dir;
        Ok(())
    }
    /// `stat(2)` of a path in the system's file view, for `test -e/-f/-d`,
    /// `[[ -x ]]` and globbing. The default knows no files.
    fn metadata(&mut self, path: &str) -> std::io::Result<vnet_fs::Meta> {
        let _ = path;
        Err(std::io::ErrorKind::NotFound.into())
    }
    /// The names in a directory (sorted, no `.`/`..`), for globbing. The
    /// default knows no directories.
    fn read_dir(&mut self, path: &str) -> std::io::Result<Vec<String>> {
        let _ = path;
        Err(std::io::ErrorKind::NotFound.into())
    }
    /// Where an external command lives, for `command -v`, `type` and
    /// `hash` (`/usr/bin/cat`); None when there is no such command. The
    /// default puts what [`has_command`](Self::has_command) knows in
    /// `/usr/bin`.
    fn which(&mut self, name: &str) -> Option<String> {
        match self.has_command(name) {
            Some(true) => Some(format!("/usr/bin/{name}")),
            _ => None,
        }
    }
    /// Whether an external command exists. `Some(false)` lets the shell
    /// print bash's `SCRIPT: line N: NAME: command not found` and return
    /// 127 without calling [`exec`](Self::exec); the default `None` leaves
    /// unknown commands to `exec`.
    fn has_command(&mut self, name: &str) -> Option<bool> {
        let _ = name;
        None
    }
    /// The System's clock in whole seconds (vnet: virtual time), for
    /// `$SECONDS`. The default stands still.
    fn clock_secs(&mut self) -> u64 {
        0
    }
    /// The seed of `$RANDOM` (a deterministic world gives a fixed one).
    fn random_seed(&mut self) -> u64 {
        0x5eed
    }
    /// `kill -SIG %N`: sends signal number `sig` to a job. The default
    /// treats every signal as [`kill`](Self::kill)'s SIGTERM.
    fn signal(&mut self, job: u32, sig: i32) -> bool {
        let _ = sig;
        self.kill(job)
    }
    /// The jobs started with [`spawn`](Self::spawn) that the System still
    /// knows, for `jobs`: `None` while running, else the exit status.
    /// The default says every job is still running.
    fn job_status(&mut self, job: u32) -> Option<i32> {
        let _ = job;
        None
    }
}

/// A pipe's writer that runs alongside its reader: what it writes and when,
/// relative to the moment the pipeline starts (in microseconds). Built from
/// a first stage such as `(echo ping; sleep 3; echo again)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feed {
    /// (offset, bytes), in order.
    pub chunks: Vec<(u64, Vec<u8>)>,
    /// When the writer exits and the reader sees EOF.
    pub eof: u64,
}

/// What [`Shell::run_line`] did with a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineResult {
    /// The input formed complete commands, which ran; this is `$?` after them.
    Complete(i32),
    /// The input is unfinished (open quote, `for` without `done`, trailing
    /// `\`, `&&` at the end...). The shell keeps it; pass the next line to
    /// `run_line` (show a continuation prompt). See [`Shell::discard_pending`].
    Incomplete,
}

/// `set` options.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Opts {
    pub errexit: bool,
    pub xtrace: bool,
    pub pipefail: bool,
    pub nounset: bool,
    pub noglob: bool,
    /// `shopt -s nullglob`: a pattern matching nothing is removed.
    pub nullglob: bool,
    /// `shopt -s dotglob`: `*` matches names starting with `.`.
    pub dotglob: bool,
}

/// A variable saved by `local`, restored when the function returns.
#[derive(Debug, Clone)]
pub(crate) struct Saved {
    pub name: String,
    pub scalar: Option<String>,
    pub array: Option<BTreeMap<usize, String>>,
    pub assoc: Option<Vec<(String, String)>>,
}

/// Pending `break N` / `continue N`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum LoopCtl {
    Break(usize),
    Continue(usize),
}

/// A shell session: variables, options, `$?`, and the interactive line buffer.
pub struct Shell {
    name: String,
    vars: BTreeMap<String, String>,
    last_status: i32,
    exited: Option<i32>,
    opts: Opts,
    cwd: String,
    /// Unfinished interactive input (see [`LineResult::Incomplete`]).
    pending: String,
    /// Lines consumed by `run_line` so far (for error messages' line numbers).
    line_base: usize,
    last_bg: Option<u32>,
    // Execution state (see exec.rs).
    sinks: Vec<Sink>,
    cur_line: usize,
    cond_depth: usize,
    loop_depth: usize,
    loop_ctl: Option<LoopCtl>,
    subst_status: Option<i32>,
    /// An expansion error is abandoning the current complete command.
    aborted: bool,
    /// The expansion error being reported ends the shell (`set -u`).
    fatal: bool,
    /// What syntax errors are prefixed with when not the name
    /// (`bash: -c`, `t.sh: eval`).
    syntax_name: Option<String>,
    /// `$1`, `$2`, …
    args: Vec<String>,
    /// Indexed arrays (a name here is not in `vars`).
    arrays: BTreeMap<String, BTreeMap<usize, String>>,
    /// Associative arrays (`declare -A`), keys in the order they were set
    /// (bash's own order is its hash table's).
    assoc: BTreeMap<String, Vec<(String, String)>>,
    funcs: BTreeMap<String, Rc<parse::Command>>,
    /// One list per running function: what its `local`s hid.
    locals: Vec<Vec<Saved>>,
    /// `return` is unwinding to the function or sourced file.
    returning: bool,
    /// Functions and sourced files running (`return` is allowed).
    returnable: usize,
    /// Nested function calls, `eval`s, sources and substitutions.
    depth: usize,
    exported: BTreeSet<String>,
    readonly: BTreeSet<String>,
    /// `trap` actions by signal name (`EXIT`, `INT`, `ERR`…).
    traps: BTreeMap<String, String>,
    in_err_trap: bool,
    /// `$RANDOM`'s state (None until first used).
    rng: Option<u32>,
    rng_last: u32,
    /// `alias` definitions (kept and listed; a script does not expand them,
    /// as bash does not without `expand_aliases`).
    aliases: BTreeMap<String, String>,
    /// How many subshells deep (`$BASH_SUBSHELL`).
    subshell_level: usize,
    /// `getopts`' position inside a cluster of options (`-abc`).
    getopts_pos: usize,
    /// `$(…)` nesting, for the number of `+` in `set -x` lines.
    xdepth: usize,
    /// [`System::clock_secs`] when `$SECONDS` was 0, and as last read.
    seconds_base: Option<u64>,
    clock_now: u64,
    /// `$BASHPID` of this (sub)shell; subshells get the next one.
    pid: u32,
    next_pid: u32,
    jobs: jobs::JobTable,
    /// Statuses of background jobs that ran in the foreground, by id.
    done_jobs: BTreeMap<u32, i32>,
    /// The script's stdin between top-level commands.
    stdin: Option<Vec<u8>>,
    /// The script's stdin when it is a stream read on demand (see
    /// [`Shell::set_stdin_source`]); `stdin` None then means it.
    source: Option<vnet_fs::stream::Shared>,
    /// What the reader of a pipe left unread (see `exec_stages`).
    pipe_unread: usize,
    /// Where fds 1, 2 and 3-9 point between top-level commands (`exec >f`).
    base: (usize, usize, [Option<usize>; 7]),
}

impl Shell {
    /// A new shell; `name` prefixes error messages (`vnet: line 3: ...`), as
    /// bash uses `bash` or the script's path.
    pub fn new(name: &str) -> Self {
        // What bash sets before reading a script (the simulated user is root).
        let vars = [
            ("IFS", " \t\n"),
            ("OPTIND", "1"),
            ("UID", "0"),
            ("EUID", "0"),
            ("PPID", "4241"),
            ("BASH_VERSION", "5.2.15(1)-release"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Shell {
            name: name.to_string(),
            vars,
            last_status: 0,
            exited: None,
            opts: Opts::default(),
            cwd: "/".to_string(),
            pending: String::new(),
            line_base: 0,
            last_bg: None,
            sinks: Vec::new(),
            cur_line: 1,
            cond_depth: 0,
            loop_depth: 0,
            loop_ctl: None,
            subst_status: None,
            aborted: false,
            fatal: false,
            syntax_name: None,
            args: Vec::new(),
            arrays: BTreeMap::new(),
            assoc: BTreeMap::new(),
            funcs: BTreeMap::new(),
            locals: Vec::new(),
            returning: false,
            returnable: 0,
            depth: 0,
            exported: BTreeSet::new(),
            readonly: BTreeSet::new(),
            traps: BTreeMap::new(),
            in_err_trap: false,
            rng: None,
            rng_last: 0,
            xdepth: 0,
            seconds_base: None,
            clock_now: 0,
            getopts_pos: 0,
            aliases: BTreeMap::new(),
            subshell_level: 0,
            pid: exec::SHELL_PID,
            next_pid: exec::SHELL_PID + 1,
            jobs: jobs::JobTable::default(),
            done_jobs: BTreeMap::new(),
            stdin: None,
            source: None,
            pipe_unread: 0,
            base: (0, 1, [None; 7]),
        }
    }

    /// Sets `$1`, `$2`, … (the arguments after the script's name).
    pub fn set_args(&mut self, args: &[String]) {
        self.args = args.to_vec();
    }

    /// The script's standard input, read by `read` and by the commands
    /// that take stdin from the script.
    pub fn set_stdin(&mut self, data: Vec<u8>) {
        self.stdin = Some(data);
    }

    /// The script's standard input as a stream read only when a command
    /// reads it: `read` takes one line and leaves the rest, as bash does
    /// on a pipe. The [`System`] gets the same handle to give external
    /// commands that read their stdin.
    pub fn set_stdin_source(&mut self, source: vnet_fs::stream::Shared) {
        self.source = Some(source);
    }

    /// Runs a whole script, output to the terminal. Stops at `exit`, at a
    /// failing command under `set -e`, or at a syntax error (status 2, after
    /// running the commands before it, as bash does). Returns the final status.
    pub fn run_script(&mut self, src: &str, sys: &mut dyn System) -> i32 {
        self.run_script_to(src, sys, &mut Sink::Terminal, &mut Sink::Terminal)
    }

    /// [`run_script`](Self::run_script) with the script's stdout and stderr
    /// (including the shell's own error messages) going to the given sinks.
    pub fn run_script_to(
        &mut self,
        src: &str,
        sys: &mut dyn System,
        stdout: &mut Sink,
        stderr: &mut Sink,
    ) -> i32 {
        let status = self.run_source(src, 1, true, sys, stdout, stderr);
        self.run_exit_trap(status, sys, stdout, stderr)
    }

    /// Runs one interactive line, output to the terminal. An empty or
    /// comment-only line does nothing. See [`LineResult`].
    pub fn run_line(&mut self, line: &str, sys: &mut dyn System) -> LineResult {
        self.run_line_to(line, sys, &mut Sink::Terminal, &mut Sink::Terminal)
    }

    /// [`run_line`](Self::run_line) with stdout and stderr going to the given
    /// sinks (a transcript recorder passes two `Buffer`s). `line` may hold
    /// several lines, e.g. one unit from [`split_commands`].
    pub fn run_line_to(
        &mut self,
        line: &str,
        sys: &mut dyn System,
        stdout: &mut Sink,
        stderr: &mut Sink,
    ) -> LineResult {
        let text = if self.pending.is_empty() {
            line.to_string()
        } else {
            format!("{}\n{line}", self.pending)
        };
        // Nothing runs until the whole input parses or fails for good.
        let mut parser = Parser::new(&text, 1);
        loop {
            match parser.next_command() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) if e.is_incomplete() => {
                    self.pending = text;
                    return LineResult::Incomplete;
                }
                Err(_) => break,
            }
        }
        self.pending.clear();
        let first_line = self.line_base + 1;
        self.line_base += text.split('\n').count();
        LineResult::Complete(self.run_source(&text, first_line, false, sys, stdout, stderr))
    }

    /// Forgets unfinished interactive input (e.g. on Ctrl-C at a `>` prompt).
    pub fn discard_pending(&mut self) {
        self.pending.clear();
    }

    /// `$?`: the status of the last command run.
    pub fn last_status(&self) -> i32 {
        self.last_status
    }

    /// A shell variable's value.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Sets an exported shell variable (e.g. `HOME` before running a
    /// script).
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
        self.exported.insert(name.to_string());
    }

    /// `Some(status)` once `exit` ran (or `set -e` stopped the shell).
    pub fn exited(&self) -> Option<i32> {
        self.exited
    }

    /// The directory `cd` last moved to (starts as `/`).
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// Sets the directory `pwd` reports, without calling [`System::chdir`]
    /// (e.g. to the caller's working directory at start).
    pub fn set_cwd(&mut self, dir: &str) {
        self.cwd = dir.to_string();
        self.vars.insert("PWD".into(), dir.to_string());
    }

    fn run_source(
        &mut self,
        src: &str,
        first_line: usize,
        script: bool,
        sys: &mut dyn System,
        stdout: &mut Sink,
        stderr: &mut Sink,
    ) -> i32 {
        let _stack = stack::enter();
        self.clock_now = sys.clock_secs();
        self.seconds_base.get_or_insert(self.clock_now);
        if self.rng.is_none() && !self.vars.contains_key("RANDOM") {
            self.rng = Some(sys.random_seed() as u32);
        }
        let outer = std::mem::take(&mut self.sinks);
        // fd 2 a dup of fd 1: both name the first sink.
        let err = if matches!(stderr, Sink::Stdout) { 0 } else { 1 };
        self.sinks = vec![
            std::mem::replace(stdout, Sink::Null),
            std::mem::replace(stderr, Sink::Null),
        ];
        let base = std::mem::replace(&mut self.base, (0, err, [None; 7]));
        let mut parser = Parser::new(src, first_line);
        parser.script = script;
        while self.exited.is_none() {
            let next = parser.next_command();
            for w in std::mem::take(&mut parser.warnings) {
                let msg = format!("{}: {w}\n", self.name);
                let _ = sys.write(&mut self.sinks[self.base.1], msg.as_bytes());
            }
            match next {
                Ok(Some(cmd)) => {
                    let mut frame = exec::Frame {
                        out: self.base.0,
                        err: self.base.1,
                        stdin: self.stdin.take(),
                        more: self.base.2,
                    };
                    self.cond_depth = 0;
                    self.exec_list(&cmd.list, &mut frame, sys);
                    self.base = (frame.out, frame.err, frame.more);
                    self.stdin = frame.stdin.take();
                    self.loop_ctl = None;
                    self.returning = false;
                    if std::mem::take(&mut self.aborted) {
                        self.last_status = 1;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let err = self.base.1;
                    self.report_syntax_error(&e, err, sys);
                    if !matches!(e.kind, ErrKind::Cond(_)) {
                        self.last_status = 2;
                    }
                    break;
                }
            }
        }
        self.base = base;
        let mut sinks = std::mem::replace(&mut self.sinks, outer).into_iter();
        *stdout = sinks.next().unwrap_or(Sink::Null);
        *stderr = sinks.next().unwrap_or(Sink::Null);
        self.last_status
    }

    /// The end of a script run command by command (a transcript): the
    /// EXIT trap's action runs, as bash runs it when the script ends;
    /// `None` when no EXIT trap is set.
    pub fn finish_to(
        &mut self,
        sys: &mut dyn System,
        stdout: &mut Sink,
        stderr: &mut Sink,
    ) -> Option<i32> {
        if !self.traps.contains_key("EXIT") {
            return None;
        }
        let status = self.last_status;
        let st = self.run_exit_trap(status, sys, stdout, stderr);
        // The entry's status is the action's, as `eval ACTION` gives it.
        Some(if self.exited.is_some() {
            st
        } else {
            self.last_status
        })
    }

    /// Runs the `EXIT` trap, if one is set, at the end of a script; the
    /// status stays unless the trap exits.
    fn run_exit_trap(
        &mut self,
        status: i32,
        sys: &mut dyn System,
        stdout: &mut Sink,
        stderr: &mut Sink,
    ) -> i32 {
        let Some(action) = self.traps.remove("EXIT") else {
            return status;
        };
        let exited = self.exited.take();
        self.last_status = status;
        self.run_source(&action, self.cur_line, true, sys, stdout, stderr);
        match self.exited {
            Some(code) => code,
            None => {
                self.exited = exited;
                status
            }
        }
    }

    pub(crate) fn report_syntax_error(&mut self, e: &ParseError, err: usize, sys: &mut dyn System) {
        let name = match &self.syntax_name {
            Some(n) => n,
            None => &self.name,
        };
        let line = e.line;
        let msg = match &e.kind {
            ErrKind::Unexpected { tok, context } => format!(
                "{name}: line {line}: syntax error near unexpected token `{tok}'\n\
                 {name}: line {line}: `{context}'\n"
            ),
            ErrKind::Eof | ErrKind::EofBackslash => {
                format!("{name}: line {line}: syntax error: unexpected end of file\n")
            }
            ErrKind::EofQuote(q) => {
                format!("{name}: line {line}: unexpected EOF while looking for matching `{q}'\n")
            }
            ErrKind::Cond(msg) if msg.is_empty() => String::new(),
            ErrKind::Cond(msg) => format!("{name}: line {line}: {msg}\n"),
            ErrKind::Other(msg) => format!("{name}: line {line}: {msg}\n"),
        };
        let _ = sys.write(&mut self.sinks[err], msg.as_bytes());
    }
}

/// Whether a program of this name is a shell [`run_shell`] runs (`sh`,
/// `bash`, `/bin/sh`...).
pub fn is_shell(name: &str) -> bool {
    exec::SHELLS.contains(&name)
}

/// Runs `sh`/`bash`/`dash` (`argv`, as for the shell's own `sh -c …`) as
/// another program starts it (`xargs`, `env`, `timeout`): a fresh shell
/// whose exported variables are `env`, in directory `cwd`, reading `stdin`.
/// Its status.
pub fn run_shell(
    argv: &[String],
    env: &[(String, String)],
    cwd: &str,
    stdin: Option<Vec<u8>>,
    sys: &mut dyn System,
    stdout: &mut Sink,
    stderr: &mut Sink,
) -> i32 {
    let _stack = stack::enter();
    let mut parent = Shell::new("bash");
    for (k, v) in env {
        if parse::is_name(k) {
            parent.set_var(k, v);
        }
    }
    parent.cwd = cwd.to_string();
    parent.sinks = vec![
        std::mem::replace(stdout, Sink::Null),
        std::mem::replace(stderr, Sink::Null),
    ];
    let mut f = exec::Frame {
        out: 0,
        err: 1,
        stdin,
        more: [None; 7],
    };
    let status = parent.run_child_shell(argv, &mut f, sys);
    let mut sinks = parent.sinks.into_iter();
    *stdout = sinks.next().unwrap_or(Sink::Null);
    *stderr = sinks.next().unwrap_or(Sink::Null);
    status
}

/// Splits a script into its top-level complete commands, each with its source
/// text as written: whole lines, so a trailing comment and `\`-newline
/// continuations stay as they are, and a multi-line `for`/`if`/`while` block
/// is one unit. Blank lines and comment lines are dropped. A syntax error
/// makes the lines up to the offending token one unit (running it reports the
/// error) and splitting resumes on the next line; an unfinished command at the
/// end is returned as the rest of the script.
pub fn split_commands(src: &str) -> Vec<String> {
    let line_start = |pos: usize| src[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |pos: usize| src[pos..].find('\n').map_or(src.len(), |i| pos + i);
    let mut units = Vec::new();
    let mut parser = Parser::new(src, 1);
    loop {
        match parser.next_command() {
            Ok(Some(cmd)) => units.push(src[line_start(cmd.start)..line_end(cmd.end)].to_string()),
            Ok(None) => break,
            Err(e) => {
                let start = line_start(parser.cmd_start);
                if e.is_incomplete() {
                    units.push(src[start..].trim_end().to_string());
                    break;
                }
                let end = line_end(e.pos);
                units.push(src[start..end].to_string());
                parser = Parser::at(src, (end + 1).min(src.len()), e.line + 1);
            }
        }
    }
    units
}
