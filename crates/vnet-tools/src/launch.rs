//! How a command runs another one (`env`, `timeout`, `xargs`): execvp(3)
//! of a program the simulated machine has, with the environment it is
//! given. The programs are vnet's tools and the text tools, the shells
//! (`sh -c`, run as a child shell in-process), coreutils' `echo`, which
//! outside the shell is a program of its own (`xargs` runs it by default),
//! and `printf`, `test`, `[` and `pwd`, run as the shell's builtins.

use crate::Cmd;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use vnet_shell::Sink;

/// How deeply commands may run commands (`env env env …`): each level
/// costs stack, and an argument list is as long as a script makes it.
const MAX_NESTING: usize = 64;

thread_local! {
    static NESTING: Cell<usize> = const { Cell::new(0) };
    /// The `timeout`s running now, innermost last: what became of each.
    static DEADLINES: RefCell<Vec<Fired>> = const { RefCell::new(Vec::new()) };
}

/// Set when a `timeout`'s time ran out: the status of the program it
/// killed then (what the whole command dies of).
pub type Fired = Rc<Cell<Option<i32>>>;

/// Some(status) once a `timeout` running now has killed its command: the
/// command (a shell, xargs) is dead, and runs nothing more.
pub fn killed() -> Option<i32> {
    DEADLINES.with(|d| d.borrow().iter().find_map(|f| f.get()))
}

/// Runs `f` with `fired` among the running `timeout`s.
pub fn with_deadline<R>(fired: &Fired, f: impl FnOnce() -> R) -> R {
    DEADLINES.with(|d| d.borrow_mut().push(fired.clone()));
    let r = f();
    DEADLINES.with(|d| d.borrow_mut().pop());
    r
}

/// What became of a command another one tried to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ran {
    /// It ran and exited with this status.
    Exited(i32),
    /// execvp failed with ENOENT: no such program.
    NotFound,
    /// execvp failed with EACCES: a file that is no program.
    Denied,
}

/// coreutils programs that do what the shell's builtins of the same name
/// do; a command runs them as those builtins (their messages, when their
/// arguments are wrong, are bash's).
const AS_BUILTIN: &[&str] = &["printf", "test", "[", "pwd"];

/// Whether `name` (a word or a path) is a program the machine can run.
pub fn exists(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    !base.is_empty()
        && (crate::lookup(base).is_some()
            || vnet_userland::lookup(base).is_some()
            || base == "echo"
            || AS_BUILTIN.contains(&base)
            || vnet_shell::is_shell(name)
            || vnet_shell::is_shell(base))
}

/// Runs `argv` (not empty) in the command's namespace with `stdin`; its
/// output lands in the command's buffers after what the command printed.
pub fn run(c: &mut Cmd, argv: &[String], stdin: Option<Vec<u8>>) -> Ran {
    let Some(name) = argv.first() else {
        return Ran::NotFound;
    };
    if !exists(name) {
        // A path to a file that is not a program vnet knows: exec refuses
        // it (a script vnet cannot see the interpreter of, a data file).
        let is_file = name.contains('/') && c.with_fs(|fs| fs.metadata(name)).is_ok();
        return if is_file { Ran::Denied } else { Ran::NotFound };
    }
    if let Some(st) = killed() {
        return Ran::Exited(st);
    }
    if NESTING.with(Cell::get) >= MAX_NESTING {
        c.eprint("vnet: commands nested too deeply\n");
        return Ran::Exited(126);
    }
    NESTING.with(|n| n.set(n.get() + 1));
    c.stream_now();
    let base = name.rsplit('/').next().unwrap_or(name);
    let status = if vnet_shell::is_shell(name) || vnet_shell::is_shell(base) {
        shell(c, argv, stdin)
    } else if base == "echo" {
        echo(c, name, &argv[1..])
    } else if AS_BUILTIN.contains(&base) {
        let mut script = vec![
            "sh".into(),
            "-c".into(),
            "\"$0\" \"$@\"".into(),
            base.into(),
        ];
        script.extend_from_slice(&argv[1..]);
        shell(c, &script, stdin)
    } else {
        let (st, out, err) = c.m.exec_in(c.ns, argv, stdin);
        c.out.extend_from_slice(&out);
        c.err.extend_from_slice(&err);
        st
    };
    NESTING.with(|n| n.set(n.get() - 1));
    c.stream_now();
    Ran::Exited(status)
}

/// `sh`/`bash`: a child shell with the command's environment.
fn shell(c: &mut Cmd, argv: &[String], stdin: Option<Vec<u8>>) -> i32 {
    // What a feeder pipeline sends is for the command that started it.
    let _ = c.m.take_feed();
    let env = c.m.env.clone();
    let cwd = c.m.fs.cwd().to_string();
    let ns = std::mem::replace(&mut c.m.shell_ns, c.ns);
    let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    let st = vnet_shell::run_shell(argv, &env, &cwd, stdin, &mut *c.m, &mut out, &mut err);
    c.m.shell_ns = ns;
    if let (Sink::Buffer(o), Sink::Buffer(e)) = (out, err) {
        c.out.extend(o);
        c.err.extend(e);
    }
    st
}

/// coreutils' `echo` (9.1, without POSIXLY_CORRECT): `-n`, `-e`, `-E`
/// (and clusters of them) before the first other word.
fn echo(c: &mut Cmd, prog: &str, args: &[String]) -> i32 {
    if let [only] = args {
        match only.as_str() {
            "--help" => {
                c.print(&ECHO_HELP.replace("PROG", prog));
                return 0;
            }
            "--version" => {
                c.print(ECHO_VERSION);
                return 0;
            }
            _ => {}
        }
    }
    let (mut newline, mut escapes) = (true, false);
    let mut i = 0;
    while let Some(flags) = args.get(i).and_then(|a| a.strip_prefix('-')) {
        if flags.is_empty() || !flags.chars().all(|ch| "neE".contains(ch)) {
            break;
        }
        for ch in flags.chars() {
            match ch {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut out = Vec::new();
    for (k, a) in args[i..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if escapes {
            if unescape(a.as_bytes(), &mut out) {
                c.out.extend(out);
                return 0;
            }
        } else {
            out.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        out.push(b'\n');
    }
    c.out.extend(out);
    0
}

/// echo -e's backslash escapes; true at `\c` (nothing more is printed).
fn unescape(s: &[u8], out: &mut Vec<u8>) -> bool {
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'\\' || i + 1 == s.len() {
            out.push(s[i]);
            i += 1;
            continue;
        }
        i += 1;
        let ch = s[i];
        i += 1;
        match ch {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'c' => return true,
            b'e' => out.push(27),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'x' if s.get(i).is_some_and(u8::is_ascii_hexdigit) => {
                let mut v = 0u32;
                for _ in 0..2 {
                    match s.get(i).and_then(|d| (*d as char).to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            i += 1;
                        }
                        None => break,
                    }
                }
                out.push(v as u8);
            }
            b'0' => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match s.get(i).filter(|d| (b'0'..=b'7').contains(d)) {
                        Some(d) => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        None => break,
                    }
                }
                out.push(v as u8);
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    false
}

const ECHO_VERSION: &str = "echo (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Brian Fox and Chet Ramey.
";

/// `echo --help`, PROG standing for the name it was run by.
const ECHO_HELP: &str = include_str!("help/echo.txt");
