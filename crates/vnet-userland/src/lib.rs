//! vnet-userland: the text and file tools lab scripts pipe through — grep,
//! sed, awk (as Debian's mawk), head, tail, wc, sort, uniq, cut, tr, seq,
//! tee, cat, ls, touch, chmod, mkdir, rm, cp, mv, basename, dirname... — behaving
//! as Debian 12's (coreutils 9.1, grep 3.8, sed 4.9, mawk 1.3.4).
//!
//! Each tool is a function of its arguments, its stdin and a file tree
//! ([`vnet_fs::Fs`]); it writes stdout and stderr into buffers and returns
//! its exit status. Nothing here knows the simulated kernel: the files of
//! `/proc` and `/sys` come from the `Fs` the machine hands in.
//!
//! The coreutils (args.rs parses their options as getopt_long does; each
//! module names its tools) follow coreutils 9.1 in the C locale, which is
//! what a vnet script has (LANG unset): bytes are characters, sort collates
//! bytewise, messages quote with ASCII apostrophes. Where the file tree
//! cannot say what the real system would, they choose and say so:
//! - `ls -l` shows owner and group root, one link (two for a directory)
//!   and the epoch (`Jan  1  1970`) as the time; `ls -t`, `-U` and `-f`
//!   keep name order; `-i`, `--color=always`, `--time-style` and the like
//!   say they are not simulated; `touch` only creates;
//!   `mkdir -m` checks the mode but does not apply it;
//! - `chmod` applies the shell's umask, which is fixed at 022; its `-R`
//!   follows symlinks inside directories (the tree only has `stat`, not
//!   `lstat`) and walks names in sorted order (the real one in directory
//!   order); simulated files (`/proc`, `/sys`, `/dev`, `/etc/hosts`) refuse
//!   with `Operation not permitted` (the real /sys and /dev let root);
//! - `mktemp` draws its names from a fixed sequence, the first free one
//!   taken, so a script makes the same names on every run;
//! - `realpath`/`readlink -f` resolve lexically (the tree has no
//!   symlinks); `readlink` without -f finds no link; `ln` is not simulated;
//! - `tail -f` is not simulated (a message, status 2), nor `nl -b pBRE`,
//!   `tac -r`, `sort --debug`/`--files0-from`, `wc --files0-from`;
//!   `sort -R` orders by a fixed hash (the real one is random each run);
//!   `cp -p`/`-a` copy contents only (the tree keeps no modes or times);
//! - `--help` prints a one-line usage; `expr` integers are 128-bit and its
//!   regex matcher gives up on pathological patterns (1e6 steps);
//! - `wc` counts stdin as a pipe (width 7), not as a redirected file.

pub mod args;
mod chmod;
mod comm;
mod cut;
mod expr;
mod files;
mod input;
mod ls;
mod od;
mod seq;
mod sort;
mod sum;
mod text;
mod tr;

pub mod awk;
pub mod grep;
pub mod posix_re;
pub mod sed;

use vnet_fs::Fs;

/// What a tool gets.
pub struct Ctx<'a> {
    /// The file tree (paths relative to its working directory).
    pub fs: &'a mut dyn Fs,
    /// Piped or redirected input; None: the tool's stdin is `source`,
    /// or there is none (a terminal, or /dev/null). Read it with
    /// [`Ctx::take_stdin`].
    pub stdin: Option<Vec<u8>>,
    /// The script's own stdin, read only if the tool reads its stdin.
    pub source: Option<vnet_fs::stream::Shared>,
    pub out: Vec<u8>,
    pub err: Vec<u8>,
    /// What the tool may take: see [`Limits`].
    pub limits: Limits,
    /// Which limit stopped the tool, if one did.
    pub hit: Option<Hit>,
    /// Set by [`Ctx::take_stdin`] when the stdin it gave was cut at
    /// `limits.pipe`: the tool's answer is wrong unless it stopped
    /// reading before the end (see `stopped_at`).
    pub stdin_cut: bool,
    /// Where the tool stopped reading its stdin when it did not need all
    /// of it (`head -3`, `grep -q`, `sed 3q`, awk's `exit`).
    pub stopped_at: Option<usize>,
}

/// The bounds of an instant tool, which runs to completion before the
/// next stage of a pipeline sees its output (a real pipe holds 64 KiB and
/// blocks its writer; here stages run one after the other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes a tool may write on stdout, and may take from its stdin: a
    /// writer past it stops as if its reader had gone (SIGPIPE).
    pub pipe: usize,
    /// Steps of an interpreter (awk statements, sed commands).
    pub steps: u64,
}

/// vnet's default pipe bound: far beyond a lab's pipelines (`seq 1000000`
/// writes 6.9 MB).
pub const PIPE_LIMIT: usize = 16 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            pipe: PIPE_LIMIT,
            steps: 1_000_000_000,
        }
    }
}

/// The limit that stopped a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// Its output reached `Limits::pipe`.
    Output,
    /// Its interpreter ran `Limits::steps` steps.
    Steps,
}

impl<'a> Ctx<'a> {
    pub fn new(fs: &'a mut dyn Fs, stdin: Option<Vec<u8>>) -> Self {
        Ctx {
            fs,
            stdin,
            source: None,
            out: Vec::new(),
            err: Vec::new(),
            limits: Limits::default(),
            hit: None,
            stdin_cut: false,
            stopped_at: None,
        }
    }
    /// Appends to stdout.
    pub fn print(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }
    /// Appends to stderr.
    pub fn eprint(&mut self, s: &str) {
        self.err.extend_from_slice(s.as_bytes());
    }
    /// All of stdin (read once: later calls find it at end of file, as
    /// with a pipe), at most `limits.pipe` bytes; sets `stdin_cut` when
    /// there was more.
    pub fn take_stdin(&mut self) -> Vec<u8> {
        if let Some(data) = self.stdin.take() {
            self.stdin = Some(Vec::new());
            // A writer that filled the pipe was cut there.
            self.stdin_cut |= data.len() >= self.limits.pipe;
            return data;
        }
        match &self.source {
            Some(src) => {
                let (data, more) = src.borrow_mut().read_to_end(self.limits.pipe);
                self.stdin_cut |= more;
                self.stdin = Some(Vec::new());
                data
            }
            None => Vec::new(),
        }
    }
    /// The tool stopped reading its stdin at `offset` (of what
    /// [`Ctx::take_stdin`] gave): what it printed did not need the rest.
    pub fn stop_reading(&mut self, offset: usize) {
        self.stopped_at = Some(self.stopped_at.map_or(offset, |o| o.min(offset)));
    }
    /// Whether stdout reached its limit: the tool must stop writing (it
    /// then sets `hit`).
    pub fn full(&mut self) -> bool {
        if self.out.len() >= self.limits.pipe {
            self.out.truncate(self.limits.pipe);
            self.hit = Some(Hit::Output);
            true
        } else {
            false
        }
    }
    /// Counts one interpreter step; false once the budget is spent (the
    /// tool must stop; `hit` says why).
    pub fn step(&mut self) -> bool {
        if self.limits.steps == 0 {
            self.hit = Some(Hit::Steps);
            return false;
        }
        self.limits.steps -= 1;
        true
    }
}

/// A tool's entry point: arguments without the program name; the exit status.
pub type Util = fn(&mut Ctx, &[String]) -> i32;

/// The tools of this crate, by the name they are invoked as.
pub fn lookup(name: &str) -> Option<Util> {
    Some(match name {
        "head" => text::head,
        "tail" => text::tail,
        "wc" => text::wc,
        "cat" | "less" | "more" => text::cat,
        "tee" => text::tee,
        "rev" => text::rev,
        "tac" => text::tac,
        "comm" => comm::comm,
        "md5sum" => sum::md5sum,
        "sha1sum" => sum::sha1sum,
        "sha256sum" => sum::sha256sum,
        "paste" => text::paste,
        "nl" => text::nl,
        "uniq" => text::uniq,
        "cut" => cut::cut,
        "sort" => sort::sort,
        "tr" => tr::tr,
        "seq" => seq::seq,
        "expr" => expr::expr,
        "ls" => ls::ls,
        "touch" => files::touch,
        "chmod" => chmod::chmod,
        "mkdir" => files::mkdir,
        "rmdir" => files::rmdir,
        "rm" => files::rm,
        "cp" => files::cp,
        "mv" => files::mv,
        "mktemp" => files::mktemp,
        "basename" => files::basename,
        "dirname" => files::dirname,
        "realpath" => files::realpath,
        "readlink" => files::readlink,
        "awk" => awk::awk,
        "mawk" => awk::mawk,
        "grep" => grep::main,
        "sed" => sed::main,
        "od" => od::od,
        "ln" => not_simulated,
        _ => return None,
    })
}

/// Tools lab scripts may name that the file tree cannot express (links).
fn not_simulated(c: &mut Ctx, _args: &[String]) -> i32 {
    c.eprint("vnet: ln is not simulated yet\n");
    2
}
