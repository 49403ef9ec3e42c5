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
    /// Piped or redirected input; None: no stdin (a terminal, or /dev/null).
    pub stdin: Option<Vec<u8>>,
    pub out: Vec<u8>,
    pub err: Vec<u8>,
}

impl<'a> Ctx<'a> {
    pub fn new(fs: &'a mut dyn Fs, stdin: Option<Vec<u8>>) -> Self {
        Ctx {
            fs,
            stdin,
            out: Vec::new(),
            err: Vec::new(),
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
        "ln" => not_simulated,
        _ => return None,
    })
}

/// Tools lab scripts may name that the file tree cannot express (links).
fn not_simulated(c: &mut Ctx, _args: &[String]) -> i32 {
    c.eprint("vnet: ln is not simulated yet\n");
    2
}
