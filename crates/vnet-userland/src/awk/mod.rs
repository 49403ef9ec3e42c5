//! `awk` as Debian 12's default awk: mawk 1.3.4 20200120.
//!
//! Command line: `awk [-F fs] [-v var=val]... [-f progfile | 'prog'] [--]
//! [file | var=val]...`. Messages start with the name the tool was
//! invoked as (`awk:` or `mawk:`), as mawk prints its `argv[0]`.
//!
//! Where this differs from mawk (by design or not yet done):
//! - command pipes (`cmd | getline`, `print | cmd`) and `system()` are not
//!   simulated: a vnet message on stderr and status 2;
//! - `rand()` starts as after `srand(1)`, and `srand()` seeds with 1 (mawk
//!   seeds from the clock); the generator is glibc's `random()`, as
//!   Debian's mawk uses, so `srand(n)` sequences match;
//! - `printf "%d"` with CONVFMT/OFMT set to an integer format: C reads
//!   garbage there, this prints the truncated number;
//! - ENVIRON is empty;
//! - a record has at most 2^20 fields (`NF = 1e9` is refused);
//! - regexes match leftmost-longest (POSIX); mawk's own matcher departs
//!   from that for some nested repetitions (`(a|b)+c?.?`), vnet does not;
//! - user function calls nest at most 100 deep (`interp::MAX_CALL_DEPTH`);
//! - only the first syntax error is reported.

mod array;
mod ast;
mod builtins;
mod format;
mod input;
mod interp;
mod lex;
mod params;
mod parse;
mod re;
mod value;

use crate::Ctx;

/// `awk` (messages say `awk:`).
pub fn awk(ctx: &mut Ctx, args: &[String]) -> i32 {
    run(ctx, args, "awk")
}

/// `mawk` (messages say `mawk:`).
pub fn mawk(ctx: &mut Ctx, args: &[String]) -> i32 {
    run(ctx, args, "mawk")
}

/// `-W version`: stdout, then the build details on stderr.
const VERSION: &str = "mawk 1.3.4 20200120
Copyright 2008-2019,2020, Thomas E. Dickey
Copyright 1991-1996,2014, Michael D. Brennan

";
const VERSION_ERR: &str = "random-funcs:       srandom/random
regex-funcs:        internal
compiled limits:
sprintf buffer      8192
maximum-integer     2147483647
";

/// What mawk prints (on stderr, status 0) when given no program.
const HELP: &str = "Usage: mawk [Options] [Program] [file ...]

Program:
    The -f option value is the name of a file containing program text.
    If no -f option is given, a \"--\" ends option processing; the following
    parameters are the program text.

Options:
    -f program-file  Program  text is read from file instead of from the
                     command-line.  Multiple -f options are accepted.
    -F value         sets the field separator, FS, to value.
    -v var=value     assigns value to program variable var.
    --               unambiguous end of options.

    Implementation-specific options are prefixed with \"-W\".  They can be
    abbreviated:

    -W version       show version information and exit.
    -W dump          show assembler-like listing of program and exit.
    -W help          show this message and exit.
    -W interactive   set unbuffered output, line-buffered input.
    -W exec file     use file as program as well as last option.
    -W random=number set initial random seed.
    -W sprintf=number adjust size of sprintf buffer.
    -W posix_space   do not consider \"\\n\" a space.
    -W usage         show this message and exit.
";

fn run(ctx: &mut Ctx, args: &[String], me: &str) -> i32 {
    let mut fs: Option<Vec<u8>> = None;
    let mut assigns: Vec<(String, Vec<u8>)> = Vec::new();
    let mut progfiles: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        let (opt, rest) = a.split_at(2);
        let value = |i: &mut usize| -> Option<String> {
            if !rest.is_empty() {
                Some(rest.to_string())
            } else {
                *i += 1;
                args.get(*i).cloned()
            }
        };
        match opt {
            "-F" => match value(&mut i) {
                Some(v) => {
                    // mawk reads -F's escapes like a string's; "t" alone is "t"
                    fs = Some(lex::unescape(v.as_bytes()));
                }
                None => return missing_arg(ctx, me, 'F'),
            },
            "-v" => match value(&mut i) {
                Some(v) => match input::split_assignment(v.as_bytes()) {
                    Some(kv) => assigns.push(kv),
                    None => {
                        ctx.eprint(&format!("{me}: improper assignment: -v {v}\n"));
                        return 2;
                    }
                },
                None => return missing_arg(ctx, me, 'v'),
            },
            "-f" => match value(&mut i) {
                Some(v) => progfiles.push(v),
                None => return missing_arg(ctx, me, 'f'),
            },
            "-W" => {
                let w = value(&mut i).unwrap_or_default();
                if w.starts_with('v') {
                    ctx.print(VERSION);
                    ctx.eprint(VERSION_ERR);
                    return 0;
                }
            }
            _ => {
                ctx.eprint(&format!("{me}: not an option: {a}\n"));
                return 2;
            }
        }
        i += 1;
    }
    let mut src: Vec<u8> = Vec::new();
    if progfiles.is_empty() {
        let Some(p) = args.get(i) else {
            ctx.eprint(HELP);
            return 0;
        };
        src.extend_from_slice(p.as_bytes());
        i += 1;
    } else {
        for f in &progfiles {
            let data = if f == "-" || f == "/dev/stdin" {
                ctx.take_stdin()
            } else {
                match ctx.fs.read(f) {
                    Ok(d) => d,
                    Err(e) => {
                        ctx.eprint(&format!(
                            "{me}: cannot open {f} ({})\n",
                            vnet_fs::strerror(&e)
                        ));
                        return 2;
                    }
                }
            };
            src.extend_from_slice(&data);
        }
    }
    // compile errors name the program file (the last one, as mawk's
    // scanner is there when it meets the end)
    let where_ = match progfiles.last() {
        Some(f) => format!("{f}: "),
        None => String::new(),
    };
    // mawk reads a program as if it ended in one more newline (its errors
    // at the end of the file are on the line after the last)
    src.push(b'\n');
    let toks = match lex::lex(&src) {
        Ok(t) => t,
        Err(e) => {
            if e.bare {
                ctx.eprint(&format!("{me}: {}: {}\n", e.line, e.msg));
            } else {
                ctx.eprint(&format!("{me}: {where_}line {}: {}\n", e.line, e.msg));
            }
            return 2;
        }
    };
    let prog = match parse::parse(&toks) {
        Ok(p) => p,
        Err(e) => {
            ctx.eprint(&format!("{me}: {where_}line {}: {}\n", e.line, e.msg));
            if let Some((line, msg)) = e.then {
                ctx.eprint(&format!("{me}: {where_}line {line}: {msg}\n"));
            }
            return 2;
        }
    };
    let mut argv = vec![me.to_string()];
    argv.extend(args[i..].iter().cloned());
    let mut it = match interp::Interp::new(ctx, &prog, &argv) {
        Ok(it) => it,
        Err(e) => {
            ctx.eprint(&format!("{me}: {e}\n"));
            return 2;
        }
    };
    if let Some(fs) = fs {
        it.assign_fs(&fs);
    }
    for (k, v) in &assigns {
        it.assign_cmdline(k, v);
    }
    let r = it.run();
    it.finish();
    match r {
        Ok(()) => it.exit_code & 0xff, // as the kernel keeps it
        Err(interp::Stop::Exit) => it.exit_code & 0xff,
        Err(interp::Stop::Rt(m)) => {
            let w = it.where_line();
            it.ctx.eprint(&format!("{me}: run time error: {m}\n{w}"));
            2
        }
        Err(interp::Stop::Limit(m)) => {
            let w = it.where_line();
            it.ctx.eprint(&format!("{me}: {m}\n{w}"));
            2
        }
        Err(interp::Stop::Plain(m)) => {
            it.ctx.eprint(&format!("{me}: {m}\n"));
            2
        }
        Err(interp::Stop::Vnet(m)) => {
            it.ctx.eprint(&m);
            2
        }
        // The machine says which bound it was; SIGPIPE's status for
        // a writer cut off.
        Err(interp::Stop::Budget) => 141,
    }
}

fn missing_arg(ctx: &mut Ctx, me: &str, c: char) -> i32 {
    ctx.eprint(&format!("{me}: option -{c} lacks argument\n"));
    2
}

#[cfg(test)]
mod tests;
