//! `xargs` (findutils 4.9): builds command lines from its input and runs
//! them one after another (`-P` too: the simulated machine runs them in
//! turn), each with /dev/null as stdin, as findutils does without `-o`.

use crate::getopt::{self, Arg, Long};
use crate::launch::{self, Ran};
use crate::Cmd;

/// The command buffer findutils uses (`xargs --show-limits`): a command
/// line's arguments, each with its NUL, fit in it.
const ARG_MAX: usize = 131072;

const LONG: &[Long] = &[
    ("null", Arg::No, '0'),
    ("arg-file", Arg::Req, 'a'),
    ("delimiter", Arg::Req, 'd'),
    ("eof", Arg::Opt, 'e'),
    ("replace", Arg::Opt, 'i'),
    ("max-lines", Arg::Opt, 'l'),
    ("max-args", Arg::Req, 'n'),
    ("open-tty", Arg::No, 'o'),
    ("interactive", Arg::No, 'p'),
    ("no-run-if-empty", Arg::No, 'r'),
    ("max-chars", Arg::Req, 's'),
    ("verbose", Arg::No, 't'),
    ("show-limits", Arg::No, 'S'),
    ("exit", Arg::No, 'x'),
    ("max-procs", Arg::Req, 'P'),
    ("process-slot-var", Arg::Req, 'X'),
    ("help", Arg::No, 'h'),
    ("version", Arg::No, 'V'),
];

/// How many items make a command line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Per {
    All,
    Args(usize),
    Lines(usize),
    /// -I: one line each, put in place of the replace string.
    Replace,
}

struct Opts {
    delim: Option<u8>,
    eof: Option<String>,
    replace: Option<String>,
    per: Per,
    no_run_if_empty: bool,
    trace: bool,
    max_chars: usize,
    exit_if_long: bool,
}

/// One input item, and whether a line ends with it (for -L).
struct Item {
    arg: String,
    eol: bool,
}

fn usage(c: &mut Cmd, msg: &str) -> i32 {
    c.eprint(&format!(
        "xargs: {msg}\nTry 'xargs --help' for more information.\n"
    ));
    1
}

/// A number option's value (`-n`, `-L`, `-s`, `-P`), at least `min`.
fn number(c: &mut Cmd, arg: &str, opt: char, min: usize) -> Result<usize, i32> {
    match arg.parse::<i64>() {
        Ok(v) if v >= min as i64 => Ok(usize::try_from(v).unwrap_or(usize::MAX)),
        Ok(v) => Err(usage(
            c,
            &format!("value {v} for -{opt} option should be >= {min}"),
        )),
        Err(_) => Err(usage(
            c,
            &format!("invalid number \"{arg}\" for -{opt} option"),
        )),
    }
}

/// -d's argument: one character or a C escape.
fn delimiter(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    match b {
        [one] => Some(*one),
        [b'\\', rest @ ..] => match rest {
            [b'a'] => Some(7),
            [b'b'] => Some(8),
            [b'f'] => Some(12),
            [b'n'] => Some(b'\n'),
            [b'r'] => Some(b'\r'),
            [b't'] => Some(b'\t'),
            [b'v'] => Some(11),
            [b'\\'] => Some(b'\\'),
            [b'x', hex @ ..] if !hex.is_empty() => {
                u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
            }
            [b'0', oct @ ..] if !oct.is_empty() => {
                u8::from_str_radix(std::str::from_utf8(oct).ok()?, 8).ok()
            }
            [d @ b'1'..=b'7', ..] => u8::from_str_radix(std::str::from_utf8(rest).ok()?, 8)
                .ok()
                .filter(|_| d.is_ascii_digit()),
            _ => None,
        },
        _ => None,
    }
}

pub fn xargs(c: &mut Cmd, args: &[String]) -> i32 {
    let (found, command) = match getopt::parse(args, "0a:E:e::i::I:l::L:n:oprs:txP:d:", LONG, true)
    {
        Ok(r) => r,
        Err(e) => return usage(c, &e),
    };
    let mut o = Opts {
        delim: None,
        eof: None,
        replace: None,
        per: Per::All,
        no_run_if_empty: false,
        trace: false,
        max_chars: ARG_MAX,
        exit_if_long: false,
    };
    let mut file = None;
    for (opt, arg) in found {
        match opt {
            '0' => o.delim = Some(0),
            'd' => {
                let a = arg.unwrap_or_default();
                match delimiter(&a) {
                    Some(d) => o.delim = Some(d),
                    None => {
                        c.eprint(&format!("xargs: Invalid input delimiter specification {a}: the delimiter must be either a single character or an escape sequence starting with \\.\n"));
                        return 1;
                    }
                }
            }
            'a' => file = arg,
            'E' | 'e' => o.eof = arg.filter(|a| !a.is_empty()),
            'I' | 'i' => {
                if matches!(o.per, Per::Args(_)) {
                    c.eprint("xargs: warning: options --max-args and --replace/-I/-i are mutually exclusive, ignoring previous --max-args value\n");
                }
                o.replace = Some(arg.unwrap_or_else(|| "{}".into()));
                o.per = Per::Replace;
                o.exit_if_long = true;
            }
            'L' | 'l' => {
                let n = match arg {
                    Some(a) => match number(c, &a, 'L', 1) {
                        Ok(n) => n,
                        Err(st) => return st,
                    },
                    None => 1,
                };
                if matches!(o.per, Per::Args(_)) {
                    c.eprint("xargs: warning: options --max-args and --max-lines are mutually exclusive, ignoring previous --max-args value\n");
                }
                o.per = Per::Lines(n);
                o.replace = None;
                o.exit_if_long = true;
            }
            'n' => {
                let n = match number(c, &arg.unwrap_or_default(), 'n', 1) {
                    Ok(n) => n,
                    Err(st) => return st,
                };
                match o.per {
                    Per::Lines(_) => c.eprint("xargs: warning: options --max-lines and --max-args/-n are mutually exclusive, ignoring previous --max-lines value\n"),
                    Per::Replace => c.eprint("xargs: warning: options --replace/-I/-i and --max-args/-n are mutually exclusive, ignoring previous --replace value\n"),
                    _ => {}
                }
                o.per = Per::Args(n);
                o.replace = None;
            }
            's' => match number(c, &arg.unwrap_or_default(), 's', 1) {
                Ok(n) => o.max_chars = n.min(ARG_MAX),
                Err(st) => return st,
            },
            'P' => {
                if let Err(st) = number(c, &arg.unwrap_or_default(), 'P', 0) {
                    return st;
                }
            }
            'r' => o.no_run_if_empty = true,
            't' => o.trace = true,
            'x' => o.exit_if_long = true,
            'o' | 'X' => {}
            'p' => {
                c.eprint(&crate::unsimulated::message("xargs -p (a terminal to ask)"));
                return crate::unsimulated::STATUS;
            }
            'S' => {
                c.eprint(SHOW_LIMITS);
            }
            'h' => {
                c.print(include_str!("help/xargs.txt"));
                return 0;
            }
            _ => {
                c.print(XARGS_VERSION);
                return 0;
            }
        }
    }
    let input = match file {
        Some(f) => match c.read_file(&f) {
            Ok(d) => d,
            Err(e) => {
                c.eprint(&format!(
                    "xargs: Cannot open input file '{f}': {}\n",
                    vnet_fs::strerror(&e)
                ));
                return 1;
            }
        },
        None => c.stdin.take().unwrap_or_default(),
    };
    let command = if command.is_empty() {
        vec!["echo".to_string()]
    } else {
        command
    };
    let (items, bad) = match o.delim {
        Some(d) => (split_delimited(&input, d), None),
        None => read_words(&input, o.per == Per::Replace, o.eof.as_deref()),
    };
    // Reading stops at the bad quote, with its message; what was read
    // before it still runs.
    if let Some(quote) = bad {
        c.eprint(&format!("xargs: unmatched {quote} quote; by default quotes are special to xargs unless you use the -0 option\n"));
    }
    if bad.is_some() && items.is_empty() {
        return 1;
    }
    match run_all(c, &o, &command, items) {
        Err(st) => st,
        Ok(_) if bad.is_some() => 1,
        Ok(st) => st,
    }
}

/// Items separated by one byte (-0, -d): no quoting, empty items kept, a
/// last delimiter ending the input.
fn split_delimited(input: &[u8], d: u8) -> Vec<Item> {
    let mut parts: Vec<&[u8]> = input.split(|b| *b == d).collect();
    if parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
        .into_iter()
        .map(|p| Item {
            arg: String::from_utf8_lossy(p).into_owned(),
            eol: true,
        })
        .collect()
}

/// xargs' default input: words separated by blanks and newlines, with
/// '…', "…" and backslashes; with `whole_lines` (-I) each line is one
/// item, leading blanks dropped. Stops at the EOF string. The second value
/// names an unmatched quote (`single`, `double`), which ends the input.
fn read_words(
    input: &[u8],
    whole_lines: bool,
    eof: Option<&str>,
) -> (Vec<Item>, Option<&'static str>) {
    let mut items = Vec::new();
    let mut word = Vec::new();
    let mut in_word = false;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    let blank = |b: u8| b == b' ' || b == b'\t';
    macro_rules! end_word {
        ($eol:expr) => {
            if in_word {
                let arg = String::from_utf8_lossy(&word).into_owned();
                if eof == Some(arg.as_str()) {
                    return (items, None);
                }
                items.push(Item { arg, eol: $eol });
                word.clear();
                in_word = false;
            } else if $eol {
                if let Some(last) = items.last_mut() {
                    last.eol = true;
                }
            }
        };
    }
    while i < input.len() {
        let b = input[i];
        i += 1;
        if let Some(q) = quote {
            if b == q {
                quote = None;
            } else if b == b'\n' {
                return (items, Some(if q == b'\'' { "single" } else { "double" }));
            } else {
                word.push(b);
            }
            continue;
        }
        match b {
            b'\n' => {
                // A line ending in a blank goes on (for -L), but not for -I.
                let goes_on = !whole_lines && i >= 2 && blank(input[i - 2]);
                end_word!(!goes_on);
            }
            b if blank(b) && !whole_lines => end_word!(false),
            b if blank(b) && !in_word => {}
            b'\'' | b'"' => {
                quote = Some(b);
                in_word = true;
            }
            b'\\' if i < input.len() => {
                word.push(input[i]);
                i += 1;
                in_word = true;
            }
            b => {
                word.push(b);
                in_word = true;
            }
        }
    }
    if let Some(q) = quote {
        return (items, Some(if q == b'\'' { "single" } else { "double" }));
    }
    if in_word {
        let arg = String::from_utf8_lossy(&word).into_owned();
        if eof != Some(arg.as_str()) {
            items.push(Item { arg, eol: true });
        }
    }
    (items, None)
}

/// Runs the command lines; Err is the status that ended xargs early.
fn run_all(c: &mut Cmd, o: &Opts, command: &[String], items: Vec<Item>) -> Result<i32, i32> {
    let base: usize = command.iter().map(|a| a.len() + 1).sum();
    let mut failed = false;
    if items.is_empty() {
        if o.no_run_if_empty || o.per == Per::Replace {
            return Ok(0);
        }
        return run_one(c, o, command.to_vec()).map(|f| i32::from(f) * 123);
    }
    let mut i = 0;
    while i < items.len() {
        let mut argv = command.to_vec();
        if o.per == Per::Replace {
            let line = &items[i].arg;
            let r = o.replace.as_deref().unwrap_or("{}");
            for a in argv.iter_mut().skip(1) {
                *a = a.replace(r, line);
            }
            i += 1;
        } else {
            let (mut size, mut args, mut lines) = (base, 0, 0);
            while let Some(item) = items.get(i) {
                let len = item.arg.len() + 1;
                if size + len > o.max_chars {
                    if args == 0 {
                        c.eprint("xargs: argument line too long\n");
                        return Err(1);
                    }
                    if o.exit_if_long && o.per != Per::All {
                        c.eprint("xargs: argument list too long\n");
                        return Err(1);
                    }
                    break;
                }
                argv.push(item.arg.clone());
                size += len;
                args += 1;
                i += 1;
                lines += usize::from(item.eol);
                match o.per {
                    Per::Args(n) if args >= n => break,
                    Per::Lines(n) if lines >= n => break,
                    _ => {}
                }
            }
        }
        failed |= run_one(c, o, argv)?;
    }
    Ok(if failed { 123 } else { 0 })
}

/// Runs one command line: Ok(true) when it failed (1-254), Err(status)
/// when xargs must stop.
fn run_one(c: &mut Cmd, o: &Opts, argv: Vec<String>) -> Result<bool, i32> {
    if o.trace {
        let line: Vec<String> = argv.iter().map(|a| shell_quote(a)).collect();
        c.eprint(&format!("{}\n", line.join(" ")));
    }
    match launch::run(c, &argv, Some(Vec::new())) {
        Ran::Exited(0) => Ok(false),
        Ran::Exited(255) => {
            c.eprint(&format!(
                "xargs: {}: exited with status 255; aborting\n",
                argv[0]
            ));
            Err(124)
        }
        // A simulated program killed by a signal reports 128 + it.
        Ran::Exited(st) if (129..=128 + 64).contains(&st) => {
            c.eprint(&format!(
                "xargs: {}: terminated by signal {}\n",
                argv[0],
                st - 128
            ));
            Err(125)
        }
        Ran::Exited(_) => Ok(true),
        Ran::NotFound => {
            c.eprint(&format!("xargs: {}: No such file or directory\n", argv[0]));
            Err(127)
        }
        Ran::Denied => {
            c.eprint(&format!("xargs: {}: Permission denied\n", argv[0]));
            Err(126)
        }
    }
}

/// gnulib's shell-escape quoting, as `xargs -t` prints arguments: as they
/// are when nothing in them is special to the shell, else in single
/// quotes (double quotes for a lone `'`), control and non-ASCII bytes as
/// `$'\ooo'`.
pub fn shell_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    let b = s.as_bytes();
    let escaped = |c: u8| !(0x20..0x7f).contains(&c);
    let special = |i: usize, c: u8| {
        matches!(
            c,
            b' ' | b'!'
                | b'"'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b';'
                | b'<'
                | b'='
                | b'>'
                | b'?'
                | b'['
                | b'\\'
                | b'^'
                | b'`'
                | b'|'
        ) || (i == 0 && matches!(c, b'#' | b'~'))
    };
    if b.iter().any(|c| escaped(*c)) {
        // gnulib restarts in this style at the first such byte; a string
        // holding a `'` then starts with an empty pair of quotes.
        let mut out = String::from(if s.contains('\'') { "'''" } else { "'" });
        let mut dollar = false;
        for &c in b {
            if escaped(c) {
                if !dollar {
                    out.push_str("'$'");
                    dollar = true;
                }
                out.push_str(&match c {
                    7 => "\\a".to_string(),
                    8 => "\\b".to_string(),
                    9 => "\\t".to_string(),
                    10 => "\\n".to_string(),
                    11 => "\\v".to_string(),
                    12 => "\\f".to_string(),
                    13 => "\\r".to_string(),
                    _ => format!("\\{c:03o}"),
                });
                continue;
            }
            if dollar {
                out.push_str("''");
                dollar = false;
            }
            if c == b'\'' {
                out.push_str("'\\''");
            } else {
                out.push(c as char);
            }
        }
        out.push('\'');
        return out;
    }
    if !b.iter().enumerate().any(|(i, c)| special(i, *c)) {
        return s.to_string();
    }
    if s.contains('\'') {
        if !s.contains(['$', '`', '\\', '"', '!']) {
            return format!("\"{s}\"");
        }
        return format!("'{}'", s.replace('\'', "'\\''"));
    }
    format!("'{s}'")
}

const XARGS_VERSION: &str = "xargs (GNU findutils) 4.9.0
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Eric B. Decker, James Youngman, and Kevin Dalley.
";

const SHOW_LIMITS: &str = "Your environment variables take up 0 bytes
POSIX upper limit on argument length (this system): 2093821
POSIX smallest allowable upper limit on argument length (all systems): 4096
Maximum length of command we could actually use: 2093821
Size of command buffer we are actually using: 131072
Maximum parallelism (--max-procs must be no greater): 2147483647
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_matches_gnulib_shell_escape() {
        assert_eq!(shell_quote("a"), "a");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("a'b c"), "\"a'b c\"");
        assert_eq!(shell_quote("a'b$"), "'a'\\''b$'");
        assert_eq!(shell_quote("a~b"), "a~b");
        assert_eq!(shell_quote("~a"), "'~a'");
        assert_eq!(shell_quote("a{b}"), "a{b}");
        assert_eq!(shell_quote("a\tb"), "'a'$'\\t''b'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("\u{e9}"), "''$'\\303\\251'");
        assert_eq!(shell_quote("it's\n"), "'''it'\\''s'$'\\n'");
    }

    #[test]
    fn words_quotes_and_lines() {
        let (items, bad) = read_words(b"a 'b c'\nd\\ e \nf\n", false, None);
        let args: Vec<&str> = items.iter().map(|i| i.arg.as_str()).collect();
        assert_eq!(args, ["a", "b c", "d e", "f"]);
        // The line ending in a blank goes on to the next.
        let eols: Vec<bool> = items.iter().map(|i| i.eol).collect();
        assert_eq!(eols, [false, true, false, true]);
        assert!(bad.is_none());
        let (items, bad) = read_words(b"a 'b\n", false, None);
        assert_eq!(items.len(), 1);
        assert_eq!(bad, Some("single"));
        let (items, _) = read_words(b"  x  y \n", true, None);
        assert_eq!(items[0].arg, "x  y ");
    }
}
