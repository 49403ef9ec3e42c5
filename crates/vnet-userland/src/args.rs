//! Command-line parsing as glibc's getopt_long does it for coreutils:
//! combined short flags (`-nr`), attached or separate arguments (`-n5`,
//! `-n 5`, `--lines=5`, `--lines 5`), unambiguous abbreviations of long
//! options (`--li=5`), `--` ending options, `-` as an operand, and options
//! mixed with operands (GNU permutation). Errors print getopt's words
//! followed by coreutils' "Try 'X --help' for more information.".

use crate::Ctx;

/// Whether an option takes an argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Has {
    No,
    Req,
    /// Only as `--opt=ARG` (or `-xARG` for short ones).
    Opt,
}

/// Key of `--help`, recognised by every tool.
pub const HELP: char = '\u{E000}';
/// Key of `--version`.
pub const VERSION: char = '\u{E001}';

/// A tool's options: getopt's short string (`"n:c:qv"`; `::` for an optional
/// argument; a leading `+` stops at the first operand, and then also at a
/// negative number, as seq does) and its long options, each with the key
/// it reports.
pub struct Spec<'a> {
    pub prog: &'a str,
    pub short: &'a str,
    pub long: &'a [(&'a str, Has, char)],
    /// Exit status of a usage error (2 for ls and sort, 1 for most).
    pub fail: i32,
}

/// What parsing found: the options in order and the operands.
#[derive(Debug, Default)]
pub struct Parsed {
    pub opts: Vec<(char, Option<String>)>,
    pub operands: Vec<String>,
    /// getopt's error, after the options before it (see [`parse_in_order`]).
    pub pending: Option<String>,
}

impl Parsed {
    pub fn has(&self, k: char) -> bool {
        self.opts.iter().any(|(c, _)| *c == k)
    }
    /// The last value given for `k`.
    pub fn last(&self, k: char) -> Option<&str> {
        self.opts
            .iter()
            .rev()
            .find(|(c, _)| *c == k)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// The `Try 'X --help'` line after a usage error, returning its status.
pub fn try_help(c: &mut Ctx, prog: &str, status: i32) -> i32 {
    c.eprint(&format!("Try '{prog} --help' for more information.\n"));
    status
}

/// argmatch(): `v` or an unambiguous prefix of one of the values (groups
/// of synonyms); the group's index, or the error printed as coreutils does.
pub fn argmatch(
    c: &mut Ctx,
    prog: &str,
    opt: &str,
    v: &str,
    groups: &[&[&str]],
) -> Result<usize, i32> {
    let exact = groups.iter().position(|g| g.contains(&v));
    let prefixed: Vec<usize> = (0..groups.len())
        .filter(|&i| groups[i].iter().any(|w| w.starts_with(v)))
        .collect();
    match (exact, prefixed.as_slice()) {
        (Some(i), _) => Ok(i),
        (None, [i]) if !v.is_empty() => Ok(*i),
        (None, p) => {
            let kind = if p.len() > 1 && !v.is_empty() {
                "ambiguous"
            } else {
                "invalid"
            };
            let list: String = groups
                .iter()
                .map(|g| {
                    let names: Vec<String> = g.iter().map(|w| format!("'{w}'")).collect();
                    format!("  - {}\n", names.join(", "))
                })
                .collect();
            c.eprint(&format!(
                "{prog}: {kind} argument {} for '{opt}'\nValid arguments are:\n{list}",
                crate::input::quote_c(v)
            ));
            Err(try_help(c, prog, 1))
        }
    }
}

/// `X: missing operand` and the Try line.
pub fn missing_operand(c: &mut Ctx, prog: &str, status: i32) -> i32 {
    c.eprint(&format!("{prog}: missing operand\n"));
    try_help(c, prog, status)
}

fn short_has(short: &str, ch: char) -> Option<Has> {
    let v: Vec<char> = short.chars().collect();
    let i = v.iter().position(|&c| c == ch && c != ':')?;
    Some(match (v.get(i + 1), v.get(i + 2)) {
        (Some(':'), Some(':')) => Has::Opt,
        (Some(':'), _) => Has::Req,
        _ => Has::No,
    })
}

/// Parses `args`; on a usage error prints getopt's message and the Try
/// line and returns the tool's failure status. `--help` and `--version`
/// are answered here too (status 0) unless the tool lists them itself.
pub fn parse(c: &mut Ctx, spec: &Spec, args: &[String]) -> Result<Parsed, i32> {
    let p = parse_in_order(c, spec, args)?;
    finish(c, spec, &p)?;
    Ok(p)
}

/// Like [`parse`], but a usage error waits in `pending` until [`finish`]:
/// tools that check option values as getopt hands them over complain
/// about a bad value before a later bad option, as the real ones do.
pub fn parse_in_order(c: &mut Ctx, spec: &Spec, args: &[String]) -> Result<Parsed, i32> {
    let p = scan(spec, args);
    if p.has(HELP) {
        c.print(&format!(
            "Usage: {} [OPTION]... [FILE]...\n(vnet: the full --help text is not simulated)\n",
            spec.prog
        ));
        return Err(0);
    }
    if p.has(VERSION) {
        c.print(&format!(
            "{} (GNU coreutils) 9.1\nCopyright (C) 2022 Free Software Foundation, Inc.\n\
             License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n\
             This is free software: you are free to change and redistribute it.\n\
             There is NO WARRANTY, to the extent permitted by law.\n",
            spec.prog
        ));
        return Err(0);
    }
    Ok(p)
}

/// Prints the usage error [`parse_in_order`] left pending, if any.
pub fn finish(c: &mut Ctx, spec: &Spec, p: &Parsed) -> Result<(), i32> {
    match &p.pending {
        Some(msg) => {
            c.eprint(&format!("{}: {msg}\n", spec.prog));
            Err(try_help(c, spec.prog, spec.fail))
        }
        None => Ok(()),
    }
}

/// The parser itself; the error is getopt's message without the program name.
pub fn parse_raw(spec: &Spec, args: &[String]) -> Result<Parsed, String> {
    let mut p = scan(spec, args);
    match p.pending.take() {
        Some(m) => Err(m),
        None => Ok(p),
    }
}

/// Options up to the first error (kept in `pending`).
fn scan(spec: &Spec, args: &[String]) -> Parsed {
    let mut out = Parsed::default();
    if let Err(m) = scan_into(spec, args, &mut out) {
        out.pending = Some(m);
    }
    out
}

fn scan_into(spec: &Spec, args: &[String], out: &mut Parsed) -> Result<(), String> {
    let mut longs: Vec<(&str, Has, char)> = spec.long.to_vec();
    for (n, k) in [("help", HELP), ("version", VERSION)] {
        if !longs.iter().any(|l| l.0 == n) {
            longs.push((n, Has::No, k));
        }
    }
    let in_order = spec.short.starts_with('+');
    // seq alone takes `-1` for a number, not an option.
    let numbers = spec.prog == "seq";
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let negative = a.len() > 1
            && a.starts_with('-')
            && a[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.');
        if in_order && ((numbers && negative) || !a.starts_with('-') || a == "-") {
            out.operands.extend(args[i - 1..].iter().cloned());
            break;
        }
        if a == "--" {
            out.operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, val) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let exact = longs.iter().find(|l| l.0 == name);
            let found = match exact {
                Some(l) => *l,
                None => {
                    let cands: Vec<&(&str, Has, char)> =
                        longs.iter().filter(|l| l.0.starts_with(name)).collect();
                    match cands.as_slice() {
                        [] => return Err(format!("unrecognized option '{a}'")),
                        [one] => **one,
                        [first, rest @ ..] => {
                            // Same key and argument kind: aliases, not ambiguous.
                            if rest.iter().all(|l| l.1 == first.1 && l.2 == first.2) {
                                **first
                            } else {
                                let list: String =
                                    cands.iter().map(|l| format!(" '--{}'", l.0)).collect();
                                return Err(format!(
                                    "option '--{name}' is ambiguous; possibilities:{list}"
                                ));
                            }
                        }
                    }
                }
            };
            let (lname, has, key) = found;
            match (has, val) {
                (Has::No, Some(_)) => {
                    return Err(format!("option '--{lname}' doesn't allow an argument"))
                }
                (Has::No, None) => out.opts.push((key, None)),
                (Has::Opt, v) => out.opts.push((key, v)),
                (Has::Req, Some(v)) => out.opts.push((key, Some(v))),
                (Has::Req, None) => match args.get(i) {
                    Some(v) => {
                        out.opts.push((key, Some(v.clone())));
                        i += 1;
                    }
                    None => return Err(format!("option '--{lname}' requires an argument")),
                },
            }
            continue;
        }
        if a.len() < 2 || !a.starts_with('-') {
            out.operands.push(a.clone());
            continue;
        }
        let chars: Vec<char> = a.chars().skip(1).collect();
        let mut j = 0;
        while j < chars.len() {
            let ch = chars[j];
            j += 1;
            match short_has(spec.short, ch) {
                None => return Err(format!("invalid option -- '{ch}'")),
                Some(Has::No) => out.opts.push((ch, None)),
                Some(has) => {
                    let rest: String = chars[j..].iter().collect();
                    if !rest.is_empty() {
                        out.opts.push((ch, Some(rest)));
                    } else if has == Has::Opt {
                        out.opts.push((ch, None));
                    } else if let Some(v) = args.get(i) {
                        out.opts.push((ch, Some(v.clone())));
                        i += 1;
                    } else {
                        return Err(format!("option requires an argument -- '{ch}'"));
                    }
                    break;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: Spec = Spec {
        prog: "t",
        short: "n:qvc::",
        long: &[
            ("lines", Has::Req, 'n'),
            ("quiet", Has::No, 'q'),
            ("silent", Has::No, 'q'),
            ("verbose", Has::No, 'v'),
            ("values", Has::Opt, 'V'),
        ],
        fail: 1,
    };

    fn p(a: &[&str]) -> Result<Parsed, String> {
        let v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        parse_raw(&SPEC, &v)
    }

    #[test]
    fn short_long_and_operands() {
        let r = p(&[
            "-qn5", "f", "--lines", "7", "-n", "8", "--li=9", "-", "--", "-q",
        ])
        .unwrap();
        assert_eq!(r.last('n'), Some("9"));
        assert!(r.has('q'));
        assert_eq!(r.operands, vec!["f", "-", "-q"]);
        assert_eq!(p(&["-c"]).unwrap().opts, vec![('c', None)]);
        assert_eq!(p(&["-cx"]).unwrap().opts, vec![('c', Some("x".into()))]);
    }

    #[test]
    fn getopt_messages() {
        assert_eq!(p(&["-x"]).unwrap_err(), "invalid option -- 'x'");
        assert_eq!(
            p(&["-n"]).unwrap_err(),
            "option requires an argument -- 'n'"
        );
        assert_eq!(
            p(&["--foo=1"]).unwrap_err(),
            "unrecognized option '--foo=1'"
        );
        assert_eq!(
            p(&["--quiet=1"]).unwrap_err(),
            "option '--quiet' doesn't allow an argument"
        );
        assert_eq!(
            p(&["--lines"]).unwrap_err(),
            "option '--lines' requires an argument"
        );
        assert_eq!(
            p(&["--v"]).unwrap_err(),
            "option '--v' is ambiguous; possibilities: '--verbose' '--values' '--version'"
        );
        assert!(p(&["--verb"]).unwrap().has('v'));
    }
}
