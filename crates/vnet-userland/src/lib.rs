//! vnet-userland: the text and file tools lab scripts pipe through — grep,
//! sed, awk (as Debian's mawk), head, tail, wc, sort, uniq, cut, tr, seq,
//! tee, cat, ls, touch, mkdir, rm, cp, mv, basename, dirname... — behaving
//! as Debian 12's (coreutils 9.1, grep 3.8, sed 4.9, mawk 1.3.4).
//!
//! Each tool is a function of its arguments, its stdin and a file tree
//! ([`vnet_fs::Fs`]); it writes stdout and stderr into buffers and returns
//! its exit status. Nothing here knows the simulated kernel: the files of
//! `/proc` and `/sys` come from the `Fs` the machine hands in.

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
        "awk" => awk::awk,
        "mawk" => awk::mawk,
        "grep" => grep::main,
        "sed" => sed::main,
        _ => return None,
    })
}
