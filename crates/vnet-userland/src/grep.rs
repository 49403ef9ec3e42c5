//! grep, as GNU grep 3.8 (Debian 12) behaves: options, output format,
//! binary files, messages and exit status (0 a line selected, 1 none,
//! 2 an error — unless -q found a match).
//!
//! Patterns are POSIX expressions ([`crate::posix_re`]); -F strings are
//! escaped into BREs, -P patterns go to the `regex` crate as they are
//! (close to PCRE for the `\d`, `\s`, `+?` of everyday use; no lookaround).

use crate::posix_re::{Flavor, Options, Regex};
use crate::Ctx;

const USAGE: &str =
    "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";

/// Whether a long option takes an argument.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arg {
    No,
    Required,
    Optional,
}

/// Command-line parsing as glibc's `getopt_long` does it (operands and
/// options may mix; `--` ends options; long names may be abbreviated).
/// `short` is getopt's spec (`"e:f:n"`); `long` maps names to keys.
/// Returns the options as (key, value) in order and the operands, or the
/// error line without the program name (`invalid option -- 'k'`).
#[allow(clippy::type_complexity)]
pub(crate) fn getopt(
    args: &[String],
    short: &str,
    long: &[(&str, Arg, &str)],
) -> Result<(Vec<(String, Option<String>)>, Vec<String>), String> {
    let spec: Vec<char> = short.chars().collect();
    let short_arg = |c: char| -> Option<Arg> {
        let i = spec.iter().position(|&x| x == c && x != ':')?;
        Some(match (spec.get(i + 1), spec.get(i + 2)) {
            (Some(':'), Some(':')) => Arg::Optional,
            (Some(':'), _) => Arg::Required,
            _ => Arg::No,
        })
    };
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, val) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let exact = long.iter().find(|l| l.0 == name);
            let cands: Vec<&(&str, Arg, &str)> = match exact {
                Some(l) => vec![l],
                None => long.iter().filter(|l| l.0.starts_with(name)).collect(),
            };
            let Some(first) = cands.first() else {
                return Err(format!("unrecognized option '{a}'"));
            };
            if cands.iter().any(|c| c.2 != first.2 || c.1 != first.1) {
                let names: Vec<String> = cands.iter().map(|c| format!("'--{}'", c.0)).collect();
                return Err(format!(
                    "option '--{name}' is ambiguous; possibilities: {}",
                    names.join(" ")
                ));
            }
            let (full, kind, key) = **first;
            let val = match (kind, val) {
                (Arg::No, Some(_)) => {
                    return Err(format!("option '--{full}' doesn't allow an argument"))
                }
                (Arg::Required, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        Some(v.clone())
                    }
                    None => return Err(format!("option '--{full}' requires an argument")),
                },
                (_, v) => v,
            };
            opts.push((key.to_string(), val));
            continue;
        }
        if a.len() < 2 || !a.starts_with('-') {
            operands.push(a.clone());
            continue;
        }
        let chars: Vec<char> = a.chars().skip(1).collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            j += 1;
            match short_arg(c) {
                None => return Err(format!("invalid option -- '{c}'")),
                Some(Arg::No) => opts.push((c.to_string(), None)),
                Some(kind) => {
                    let rest: String = chars[j..].iter().collect();
                    if !rest.is_empty() {
                        opts.push((c.to_string(), Some(rest)));
                    } else if kind == Arg::Optional {
                        opts.push((c.to_string(), None));
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        opts.push((c.to_string(), Some(v.clone())));
                    } else {
                        return Err(format!("option requires an argument -- '{c}'"));
                    }
                    break;
                }
            }
        }
    }
    Ok((opts, operands))
}

const LONG: &[(&str, Arg, &str)] = &[
    ("basic-regexp", Arg::No, "G"),
    ("extended-regexp", Arg::No, "E"),
    ("fixed-regexp", Arg::No, "F"),
    ("fixed-strings", Arg::No, "F"),
    ("perl-regexp", Arg::No, "P"),
    ("after-context", Arg::Required, "A"),
    ("before-context", Arg::Required, "B"),
    ("binary-files", Arg::Required, "binary-files"),
    ("byte-offset", Arg::No, "b"),
    ("context", Arg::Required, "C"),
    ("color", Arg::Optional, "color"),
    ("colour", Arg::Optional, "color"),
    ("count", Arg::No, "c"),
    ("devices", Arg::Required, "D"),
    ("directories", Arg::Required, "d"),
    ("dereference-recursive", Arg::No, "R"),
    ("exclude", Arg::Required, "exclude"),
    ("exclude-from", Arg::Required, "exclude-from"),
    ("exclude-dir", Arg::Required, "exclude-dir"),
    ("file", Arg::Required, "f"),
    ("files-with-matches", Arg::No, "l"),
    ("files-without-match", Arg::No, "L"),
    ("group-separator", Arg::Required, "group-separator"),
    ("help", Arg::No, "help"),
    ("include", Arg::Required, "include"),
    ("ignore-case", Arg::No, "i"),
    ("no-ignore-case", Arg::No, "no-ignore-case"),
    ("initial-tab", Arg::No, "T"),
    ("label", Arg::Required, "label"),
    ("line-buffered", Arg::No, "line-buffered"),
    ("line-number", Arg::No, "n"),
    ("line-regexp", Arg::No, "x"),
    ("max-count", Arg::Required, "m"),
    ("no-filename", Arg::No, "h"),
    ("no-group-separator", Arg::No, "no-group-separator"),
    ("no-messages", Arg::No, "s"),
    ("null", Arg::No, "Z"),
    ("null-data", Arg::No, "z"),
    ("only-matching", Arg::No, "o"),
    ("quiet", Arg::No, "q"),
    ("recursive", Arg::No, "r"),
    ("regexp", Arg::Required, "e"),
    ("invert-match", Arg::No, "v"),
    ("silent", Arg::No, "q"),
    ("text", Arg::No, "a"),
    ("binary", Arg::No, "U"),
    ("unix-byte-offsets", Arg::No, "u"),
    ("version", Arg::No, "V"),
    ("with-filename", Arg::No, "H"),
    ("word-regexp", Arg::No, "w"),
];

const SHORT: &str = "0123456789A:B:C:D:EFGHIJLNPRTUVX:abcd:e:f:hiLlm:noqRrsuvwxyZz";

#[derive(Clone, Copy, PartialEq, Eq)]
enum BinaryFiles {
    Binary,
    Text,
    WithoutMatch,
}

/// Everything the options decide.
struct Opts {
    flavor: char, // 'G' 'E' 'F' 'P'
    patterns: Option<Vec<String>>,
    icase: bool,
    word: bool,
    line: bool,
    invert: bool,
    count: bool,
    list: Option<bool>, // Some(true) -l, Some(false) -L
    number: bool,
    byte_offset: bool,
    with_filename: Option<bool>,
    only: bool,
    quiet: bool,
    silent: bool,
    max: Option<u64>,
    after: usize,
    before: usize,
    /// A context option was given (even 0): groups get separators.
    context: bool,
    recursive: bool,
    null_data: bool,
    null_after_name: bool,
    initial_tab: bool,
    label: String,
    binary: BinaryFiles,
    separator: Option<String>,
    /// --color=always: GREP_COLORS' defaults (never a terminal here, so
    /// `auto` is never).
    color: bool,
    /// -d skip: directories are passed over in silence.
    skip_dirs: bool,
    /// --include, --exclude, --exclude-dir: globs on base names.
    include: Vec<String>,
    exclude: Vec<String>,
    exclude_dir: Vec<String>,
}

/// `grep [OPTION]... PATTERNS [FILE]...`
pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let (parsed, mut operands) = match getopt(args, SHORT, LONG) {
        Ok(x) => x,
        Err(e) => {
            ctx.eprint(&format!("grep: {e}\n{USAGE}"));
            return 2;
        }
    };
    let mut o = Opts {
        flavor: 'G',
        patterns: None,
        icase: false,
        word: false,
        line: false,
        invert: false,
        count: false,
        list: None,
        number: false,
        byte_offset: false,
        with_filename: None,
        only: false,
        quiet: false,
        silent: false,
        max: None,
        after: 0,
        before: 0,
        context: false,
        recursive: false,
        null_data: false,
        null_after_name: false,
        initial_tab: false,
        label: "(standard input)".into(),
        binary: BinaryFiles::Binary,
        separator: Some("--".into()),
        color: false,
        skip_dirs: false,
        include: Vec::new(),
        exclude: Vec::new(),
        exclude_dir: Vec::new(),
    };
    // -NUM: digits accumulate into one context length.
    let mut digits: Option<String> = None;
    let mut context_given = false;
    let mut matcher_given = false;
    let (mut after, mut before) = (None, None);
    let mut pattern_files_failed = false;
    for (k, v) in parsed {
        let v = v.unwrap_or_default();
        if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() {
            digits.get_or_insert_with(String::new).push_str(&k);
            continue;
        }
        if let Some(d) = digits.take() {
            match context_len(&d) {
                Some(n) => o.after = n,
                None => return bad_context(ctx, &d),
            }
            o.before = o.after;
            context_given = true;
        }
        match k.as_str() {
            "G" | "E" | "F" | "P" => {
                let f = k.as_bytes()[0] as char;
                if matcher_given && o.flavor != f {
                    ctx.eprint("grep: conflicting matchers specified\n");
                    return 2;
                }
                matcher_given = true;
                o.flavor = f;
            }
            "e" => o
                .patterns
                .get_or_insert_with(Vec::new)
                .extend(v.split('\n').map(String::from)),
            "f" => {
                let data = if v == "-" {
                    ctx.take_stdin()
                } else {
                    match ctx.fs.read(&v) {
                        Ok(d) => d,
                        Err(e) => {
                            ctx.eprint(&format!("grep: {v}: {}\n", vnet_fs::strerror(&e)));
                            pattern_files_failed = true;
                            continue;
                        }
                    }
                };
                let text = String::from_utf8_lossy(&data).into_owned();
                let body = text.strip_suffix('\n').unwrap_or(&text);
                let list = o.patterns.get_or_insert_with(Vec::new);
                if !text.is_empty() {
                    list.extend(body.split('\n').map(String::from));
                }
            }
            "i" | "y" => o.icase = true,
            "no-ignore-case" => o.icase = false,
            "w" => o.word = true,
            "x" => o.line = true,
            "v" => o.invert = true,
            "c" => o.count = true,
            "l" => o.list = Some(true),
            "L" => o.list = Some(false),
            "n" => o.number = true,
            "b" => o.byte_offset = true,
            "H" => o.with_filename = Some(true),
            "h" => o.with_filename = Some(false),
            "o" => o.only = true,
            "q" => o.quiet = true,
            "s" => o.silent = true,
            "m" => match parse_num(&v) {
                Some(n) => o.max = Some(n),
                None => {
                    ctx.eprint("grep: invalid max count\n");
                    return 2;
                }
            },
            "A" | "B" | "C" => {
                let Some(n) = context_len(&v) else {
                    return bad_context(ctx, &v);
                };
                match k.as_str() {
                    "A" => after = Some(n),
                    "B" => before = Some(n),
                    _ => {
                        o.after = n;
                        o.before = n;
                        context_given = true;
                    }
                }
            }
            "r" | "R" => (o.skip_dirs, o.recursive) = (false, true),
            "z" => o.null_data = true,
            "Z" => o.null_after_name = true,
            "T" => o.initial_tab = true,
            "a" => o.binary = BinaryFiles::Text,
            "I" => o.binary = BinaryFiles::WithoutMatch,
            "binary-files" => {
                o.binary = match v.as_str() {
                    "binary" => BinaryFiles::Binary,
                    "text" => BinaryFiles::Text,
                    "without-match" => BinaryFiles::WithoutMatch,
                    _ => {
                        ctx.eprint("grep: unknown binary-files type\n");
                        return 2;
                    }
                }
            }
            "label" => o.label = v,
            "color" => match v.as_str() {
                "" | "auto" | "tty" | "if-tty" | "never" | "no" | "none" => o.color = false,
                "always" | "yes" | "force" => o.color = true,
                // GNU shows its help, and succeeds.
                _ => {
                    ctx.print(HELP);
                    return 0;
                }
            },
            "group-separator" => o.separator = Some(v),
            "no-group-separator" => o.separator = None,
            "V" => {
                ctx.print(VERSION);
                return 0;
            }
            "help" => {
                ctx.print(HELP);
                return 0;
            }
            "d" => match v.as_str() {
                // The last of -d and -r wins.
                "read" => (o.skip_dirs, o.recursive) = (false, false),
                "recurse" => (o.skip_dirs, o.recursive) = (false, true),
                "skip" => (o.skip_dirs, o.recursive) = (true, false),
                _ => {
                    // argmatch's message (quotes as in a UTF-8 locale); status 1.
                    ctx.eprint(&format!(
                        "grep: invalid argument \u{2018}{v}\u{2019} for \u{2018}--directories\u{2019}\nValid arguments are:\n  - \u{2018}read\u{2019}\n  - \u{2018}recurse\u{2019}\n  - \u{2018}skip\u{2019}\n{USAGE}"
                    ));
                    return 1;
                }
            },
            "D" if v != "read" && v != "skip" => {
                ctx.eprint("grep: unknown devices method\n");
                return 2;
            }
            "include" => o.include.push(v),
            "exclude" => o.exclude.push(v),
            "exclude-dir" => o.exclude_dir.push(v),
            // Accepted, no effect here: -U, -u, line buffering, devices,
            // directories, exclude-from.
            _ => {}
        }
    }
    if let Some(d) = digits.take() {
        match context_len(&d) {
            Some(n) => {
                o.after = n;
                o.before = n;
                context_given = true;
            }
            None => return bad_context(ctx, &d),
        }
    }
    if let Some(a) = after {
        o.after = a;
    }
    if let Some(b) = before {
        o.before = b;
    }
    o.context = context_given || after.is_some() || before.is_some();
    if pattern_files_failed {
        return 2;
    }
    if o.patterns.is_none() {
        if operands.is_empty() {
            ctx.eprint(USAGE);
            return 2;
        }
        let p = operands.remove(0);
        o.patterns = Some(p.split('\n').map(String::from).collect());
    }
    let patterns = o.patterns.clone().unwrap_or_default();
    let matcher = match Matcher::new(&patterns, &o) {
        Ok(m) => m,
        Err(e) => {
            ctx.eprint(&format!("grep: {e}\n"));
            return 2;
        }
    };
    for w in &matcher.warnings {
        ctx.eprint(&format!("grep: warning: {w}\n"));
    }
    // GNU stops before opening anything when no line can be selected:
    // -m 0, or -v with the one empty pattern (which every line matches).
    let never = o.invert && !o.line && !o.word && patterns.len() == 1 && patterns[0].is_empty();
    if (o.max == Some(0) || never) && o.list != Some(false) {
        return 1;
    }
    let mut files = operands;
    let implicit_dot = files.is_empty() && o.recursive;
    if files.is_empty() {
        files.push(if o.recursive { ".".into() } else { "-".into() });
    }
    // With -r and one operand, only files found inside a directory are
    // named (GNU's "out_file < 0").
    let show_names = o.with_filename.unwrap_or(files.len() > 1);
    let names_in_dirs = o.with_filename.is_none() && files.len() <= 1 && o.recursive;
    let mut g = Grep {
        o: &o,
        m: &matcher,
        show_names,
        names_in_dirs,
        any_selected: false,
        error: false,
        printed_any: false,
        done: false,
    };
    for f in &files {
        if g.done {
            break;
        }
        if f == "-" {
            let data = ctx.take_stdin();
            let name = o.label.clone();
            if let Some(at) = g.file(ctx, &name, &data) {
                ctx.stop_reading(at);
            }
            continue;
        }
        g.path(ctx, f, implicit_dot, 0);
    }
    if g.error && !(o.quiet && g.any_selected) {
        2
    } else if g.any_selected {
        0
    } else {
        1
    }
}

const VERSION: &str = "grep (GNU grep) 3.8\nCopyright (C) 2022 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\nThis is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\nWritten by Mike Haertel and others; see\n<https://git.sv.gnu.org/cgit/grep.git/tree/AUTHORS>.\n";

fn parse_num(s: &str) -> Option<u64> {
    let t = s.trim_start();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(t.parse::<u64>().unwrap_or(u64::MAX))
}

fn context_len(s: &str) -> Option<usize> {
    parse_num(s).map(|n| n.min(usize::MAX as u64) as usize)
}

fn bad_context(ctx: &mut Ctx, v: &str) -> i32 {
    ctx.eprint(&format!("grep: {v}: invalid context length argument\n"));
    2
}

/// The patterns, compiled.
struct Matcher {
    pats: Vec<Pat>,
    warnings: Vec<String>,
}

enum Pat {
    Posix(Box<Regex>),
    Perl(regex::bytes::Regex),
}

impl Matcher {
    fn new(patterns: &[String], o: &Opts) -> Result<Matcher, String> {
        let mut pats = Vec::new();
        let mut warnings = Vec::new();
        let ropts = Options {
            icase: o.icase,
            word: o.word,
            line: o.line,
            ..Options::default()
        };
        // Several POSIX patterns run as one (GNU joins them too): one scan
        // per line however long the -f list.
        if o.flavor != 'P' && patterns.len() > 1 {
            let (srcs, flavor): (Vec<String>, Flavor) = match o.flavor {
                'F' => (
                    patterns.iter().map(|p| escape_fixed(p)).collect(),
                    Flavor::Basic,
                ),
                'E' => (patterns.to_vec(), Flavor::Extended),
                _ => (patterns.to_vec(), Flavor::Basic),
            };
            if let Some(re) = Regex::union(&srcs, flavor, &ropts)? {
                warnings.extend(re.warnings().iter().cloned());
                pats.push(Pat::Posix(Box::new(re)));
                return Ok(Matcher { pats, warnings });
            }
        }
        for p in patterns {
            match o.flavor {
                'P' => {
                    let mut src = String::new();
                    if o.icase {
                        src.push_str("(?i)");
                    }
                    let (before, core, after) = perl_lookaround(p);
                    let core = if o.line {
                        format!("^(?:{core})$")
                    } else if o.word {
                        format!("\\b{{start-half}}(?:{core})\\b{{end-half}}")
                    } else {
                        core
                    };
                    src.push_str(&format!("(?:{before})(?P<m>{core})(?:{after})"));
                    let re = regex::bytes::Regex::new(&src).map_err(|e| {
                        let s = e.to_string();
                        s.lines().last().unwrap_or("").trim().to_string()
                    })?;
                    pats.push(Pat::Perl(re));
                }
                f => {
                    let (src, flavor) = match f {
                        'F' => (escape_fixed(p), Flavor::Basic),
                        'E' => (p.clone(), Flavor::Extended),
                        _ => (p.clone(), Flavor::Basic),
                    };
                    let re = Regex::with_options(&src, flavor, &ropts)?;
                    warnings.extend(re.warnings().iter().cloned());
                    pats.push(Pat::Posix(Box::new(re)));
                }
            }
        }
        Ok(Matcher { pats, warnings })
    }

    fn is_match(&self, line: &[u8]) -> bool {
        self.pats.iter().any(|p| match p {
            Pat::Posix(r) => r.is_match(line),
            Pat::Perl(r) => r.is_match(line),
        })
    }

    /// The leftmost match at or after `at` over all patterns, longest first.
    fn find_at(&self, line: &[u8], at: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for p in &self.pats {
            let m = match p {
                Pat::Posix(r) => r.find_at(line, at),
                Pat::Perl(r) => perl_find(r, line, at),
            };
            if let Some((s, e)) = m {
                best = match best {
                    Some((bs, be)) if bs < s || (bs == s && be >= e) => Some((bs, be)),
                    _ => Some((s, e)),
                };
            }
        }
        best
    }
}

/// -P's `(?<=X)` at the start, `\\K`, and `(?=Z)` at the end, which the
/// `regex` crate lacks, become plain parts around the reported match:
/// (X, the match, Z). `grep -oP '(?<=inet )[0-9.]+'` then works; the
/// bytes of X and Z are consumed, so overlapping matches differ from PCRE.
fn perl_lookaround(p: &str) -> (String, String, String) {
    let mut before = String::new();
    let mut rest = p.to_string();
    if let Some(body) = rest.strip_prefix("(?<=") {
        if let Some(end) = group_end(body) {
            before = body[..end].to_string();
            rest = body[end + 1..].to_string();
        }
    }
    let b = rest.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'\\' {
            if b[i + 1] == b'K' {
                before.push_str(&rest[..i]);
                rest = rest[i + 2..].to_string();
                break;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    let mut after = String::new();
    if rest.ends_with(')') {
        if let Some(k) = rest.rfind("(?=") {
            if group_end(&rest[k + 3..]) == Some(rest.len() - k - 4) {
                after = rest[k + 3..rest.len() - 1].to_string();
                rest.truncate(k);
            }
        }
    }
    (before, rest, after)
}

/// The index of the `)` closing a group whose body starts `s`.
fn group_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' if depth == 0 => return Some(i),
            b')' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// A -P match: the span of its `m` group (see [`perl_lookaround`]).
fn perl_find(r: &regex::bytes::Regex, line: &[u8], at: usize) -> Option<(usize, usize)> {
    let c = r.captures_at(line, at)?;
    c.name("m").map(|m| (m.start(), m.end()))
}

/// fnmatch(3) without flags: `*`, `?`, `[...]` (`!` or `^` negates), `\\`.
fn glob(pat: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char], depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        let Some(&c) = p.first() else {
            return n.is_empty();
        };
        match c {
            '*' => (0..=n.len()).any(|k| go(&p[1..], &n[k..], depth + 1)),
            '?' => !n.is_empty() && go(&p[1..], &n[1..], depth + 1),
            '[' => {
                let Some(&ch) = n.first() else { return false };
                let mut i = 1;
                let neg = matches!(p.get(1), Some('!' | '^'));
                if neg {
                    i += 1;
                }
                let mut hit = false;
                let mut first = true;
                while i < p.len() && (p[i] != ']' || first) {
                    first = false;
                    if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
                        hit |= p[i] <= ch && ch <= p[i + 2];
                        i += 3;
                    } else {
                        hit |= p[i] == ch;
                        i += 1;
                    }
                }
                if i >= p.len() {
                    // No closing `]`: a literal `[`.
                    return ch == '[' && go(&p[1..], &n[1..], depth + 1);
                }
                hit != neg && go(&p[i + 1..], &n[1..], depth + 1)
            }
            '\\' if p.len() > 1 => n.first() == Some(&p[1]) && go(&p[2..], &n[1..], depth + 1),
            c => n.first() == Some(&c) && go(&p[1..], &n[1..], depth + 1),
        }
    }
    let p: Vec<char> = pat.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n, 0)
}

/// A -F string as a BRE matching it literally.
fn escape_fixed(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']' | '.' | '*' | '^' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One run over the files.
struct Grep<'a> {
    o: &'a Opts,
    m: &'a Matcher,
    show_names: bool,
    /// -r over one operand: name the files found below it.
    names_in_dirs: bool,
    any_selected: bool,
    error: bool,
    /// Something was printed (a `--` separator goes before the next group).
    printed_any: bool,
    /// -q found a match: stop reading.
    done: bool,
}

/// Directory nesting -r follows at most.
const MAX_DEPTH: usize = 64;

impl Grep<'_> {
    fn path(&mut self, ctx: &mut Ctx, f: &str, implicit_dot: bool, depth: usize) {
        let meta = ctx.fs.metadata(f);
        let base = f.trim_end_matches('/').rsplit('/').next().unwrap_or(f);
        let is_dir = matches!(&meta, Ok(m) if m.kind == vnet_fs::Kind::Dir);
        if is_dir && self.o.recursive && self.o.exclude_dir.iter().any(|g| glob(g, base)) {
            return;
        }
        if !is_dir
            && (self.o.exclude.iter().any(|g| glob(g, base))
                || (!self.o.include.is_empty() && !self.o.include.iter().any(|g| glob(g, base))))
        {
            return;
        }
        if let Ok(m) = &meta {
            if m.kind == vnet_fs::Kind::Dir {
                if self.o.skip_dirs && !self.o.recursive {
                    return;
                }
                if !self.o.recursive {
                    if !self.o.silent {
                        ctx.eprint(&format!("grep: {f}: Is a directory\n"));
                    }
                    self.error = true;
                    return;
                }
                if depth > MAX_DEPTH {
                    return;
                }
                let names = match ctx.fs.read_dir(f) {
                    Ok(n) => n,
                    Err(e) => {
                        self.fail(ctx, f, &e);
                        return;
                    }
                };
                for n in names {
                    if self.done {
                        return;
                    }
                    let child = if implicit_dot && depth == 0 {
                        n.clone()
                    } else if f.ends_with('/') {
                        format!("{f}{n}")
                    } else {
                        format!("{f}/{n}")
                    };
                    if self.names_in_dirs {
                        self.show_names = true;
                    }
                    self.path(ctx, &child, false, depth + 1);
                }
                return;
            }
        }
        match ctx.fs.read(f) {
            Ok(data) => {
                self.file(ctx, f, &data);
            }
            Err(e) => self.fail(ctx, f, &e),
        }
    }

    fn fail(&mut self, ctx: &mut Ctx, f: &str, e: &std::io::Error) {
        if !self.o.silent {
            ctx.eprint(&format!("grep: {f}: {}\n", vnet_fs::strerror(e)));
        }
        self.error = true;
    }

    /// The `name:` / `12:` / `40:` prefix of an output line.
    /// Text in a GREP_COLORS colour (`35` file names, `32` numbers, `36`
    /// separators, `01;31` matches) when colouring.
    fn paint(&self, out: &mut Vec<u8>, sgr: &str, text: &[u8]) {
        if self.o.color {
            out.extend_from_slice(format!("\x1b[{sgr}m\x1b[K").as_bytes());
            out.extend_from_slice(text);
            out.extend_from_slice(b"\x1b[m\x1b[K");
        } else {
            out.extend_from_slice(text);
        }
    }

    /// A file name and what follows it (`:`, or NUL with -Z).
    fn name_sep(&self, out: &mut Vec<u8>, name: &str, sep: u8) {
        self.paint(out, "35", name.as_bytes());
        if self.o.null_after_name {
            out.push(0);
        } else {
            self.paint(out, "36", &[sep]);
        }
    }

    fn head(&self, out: &mut Vec<u8>, name: &str, lineno: usize, offset: usize, sep: u8) {
        if self.show_names {
            self.name_sep(out, name, sep);
        }
        // -T right-aligns the numbers (GNU pads them to 19 columns).
        let num = |n: usize| {
            if self.o.initial_tab {
                format!("{n:>19}")
            } else {
                n.to_string()
            }
        };
        if self.o.number {
            self.paint(out, "32", num(lineno).as_bytes());
            self.paint(out, "36", &[sep]);
        }
        if self.o.byte_offset {
            self.paint(out, "32", num(offset).as_bytes());
            self.paint(out, "36", &[sep]);
        }
        if self.o.initial_tab && (self.show_names || self.o.number || self.o.byte_offset) {
            out.push(b'\t');
        }
    }

    /// Greps one file's data; where it stopped reading, when before the end.
    fn file(&mut self, ctx: &mut Ctx, name: &str, data: &[u8]) -> Option<usize> {
        let o = self.o;
        let eol = if o.null_data { 0u8 } else { b'\n' };
        let binary = o.binary != BinaryFiles::Text && !o.null_data && data.contains(&0);
        if binary && o.binary == BinaryFiles::WithoutMatch {
            return Some(0);
        }
        // Lines with their start offsets.
        let mut lines: Vec<(usize, &[u8])> = Vec::new();
        let mut start = 0;
        while start < data.len() {
            let end = data[start..]
                .iter()
                .position(|&b| b == eol)
                .map_or(data.len(), |p| start + p);
            lines.push((start, &data[start..end]));
            start = end + 1;
        }
        let listing = o.list.is_some();
        let printing = !o.quiet && !o.count && !listing;
        let mut count: u64 = 0;
        let mut last_printed: Option<usize> = None; // index of the last line out
        let mut after_left = 0usize;
        let mut encoding_error = false;
        let mut out = std::mem::take(&mut ctx.out);
        let mut i = 0;
        let mut stopped_at: Option<usize> = None;
        while i < lines.len() {
            let (off, line) = lines[i];
            let selected = self.m.is_match(line) != o.invert;
            if selected {
                count += 1;
                self.any_selected = true;
                if o.quiet {
                    self.done = true;
                    break;
                }
                if listing {
                    break;
                }
                if printing && binary {
                    ctx.err.extend_from_slice(
                        format!("grep: {name}: binary file matches\n").as_bytes(),
                    );
                    break;
                }
                if printing {
                    if o.binary != BinaryFiles::Text && std::str::from_utf8(line).is_err() {
                        encoding_error = true;
                    } else {
                        // Before-context, then the line.
                        let first = i.saturating_sub(o.before);
                        let from = match last_printed {
                            Some(lp) => first.max(lp + 1),
                            None => first,
                        };
                        let gap = match last_printed {
                            Some(lp) => from > lp + 1,
                            None => self.printed_any,
                        };
                        if gap && o.context {
                            if let Some(sep) = &o.separator {
                                self.paint(&mut out, "36", sep.as_bytes());
                                out.push(b'\n');
                            }
                        }
                        for (j, &(coff, cl)) in lines.iter().enumerate().take(i).skip(from) {
                            self.emit_line(&mut out, name, j + 1, coff, cl, b'-', eol);
                        }
                        self.emit_line(&mut out, name, i + 1, off, line, b':', eol);
                        last_printed = Some(i);
                        self.printed_any = true;
                        after_left = o.after;
                    }
                }
                if o.max.is_some_and(|m| count >= m) {
                    stopped_at = Some(i);
                    break;
                }
            } else if printing && after_left > 0 {
                after_left -= 1;
                self.emit_line(&mut out, name, i + 1, off, line, b'-', eol);
                last_printed = Some(i);
            }
            i += 1;
        }
        // Where it stopped reading (the after-context aside).
        let unread = lines.get(i).map(|&(off, l)| off + l.len() + 1);
        // -m stops selecting, but the after-context still follows.
        if let Some(s) = stopped_at {
            if printing {
                let mut j = s + 1;
                while after_left > 0 && j < lines.len() {
                    let (off, line) = lines[j];
                    self.emit_line(&mut out, name, j + 1, off, line, b'-', eol);
                    after_left -= 1;
                    j += 1;
                }
            }
        }
        if o.count && !o.quiet && o.list.is_none() {
            if self.show_names {
                self.name_sep(&mut out, name, b':');
            }
            out.extend_from_slice(format!("{count}\n").as_bytes());
        }
        if let Some(with) = o.list {
            if (count > 0) == with && !o.quiet {
                self.paint(&mut out, "35", name.as_bytes());
                out.push(if o.null_after_name { 0 } else { b'\n' });
            }
        }
        ctx.out = out;
        if encoding_error {
            ctx.eprint(&format!("grep: {name}: binary file matches\n"));
        }
        unread
    }

    /// A selected (`sep` `:`) or context (`-`) line; with -o, its matches
    /// instead (so a context line shows some only under -v).
    #[allow(clippy::too_many_arguments)]
    fn emit_line(
        &self,
        out: &mut Vec<u8>,
        name: &str,
        lineno: usize,
        off: usize,
        line: &[u8],
        sep: u8,
        eol: u8,
    ) {
        if !self.o.only {
            self.head(out, name, lineno, off, sep);
            if self.o.color {
                self.paint_matches(out, line);
            } else {
                out.extend_from_slice(line);
            }
            out.push(eol);
            return;
        }
        let mut at = 0;
        while at <= line.len() {
            let Some((s, e)) = self.m.find_at(line, at) else {
                break;
            };
            if e == s {
                // Empty matches print nothing; step one character on.
                at = s + 1;
                while at < line.len() && (line[at] & 0xC0) == 0x80 {
                    at += 1;
                }
                continue;
            }
            self.head(out, name, lineno, off + s, sep);
            self.paint(out, "01;31", &line[s..e]);
            out.push(eol);
            at = e;
        }
    }

    /// A line with its (non-empty) matches coloured.
    fn paint_matches(&self, out: &mut Vec<u8>, line: &[u8]) {
        let mut at = 0;
        let mut copied = 0;
        while at <= line.len() {
            let Some((s, e)) = self.m.find_at(line, at) else {
                break;
            };
            if e == s {
                at = s + 1;
                continue;
            }
            out.extend_from_slice(&line[copied..s]);
            self.paint(out, "01;31", &line[s..e]);
            copied = e;
            at = e;
        }
        out.extend_from_slice(&line[copied..]);
    }
}

/// `grep --help`, as Debian's grep 3.8 prints it.
const HELP: &str = r#"Usage: grep [OPTION]... PATTERNS [FILE]...
Search for PATTERNS in each FILE.
Example: grep -i 'hello world' menu.h main.c
PATTERNS can contain multiple patterns separated by newlines.

Pattern selection and interpretation:
  -E, --extended-regexp     PATTERNS are extended regular expressions
  -F, --fixed-strings       PATTERNS are strings
  -G, --basic-regexp        PATTERNS are basic regular expressions
  -P, --perl-regexp         PATTERNS are Perl regular expressions
  -e, --regexp=PATTERNS     use PATTERNS for matching
  -f, --file=FILE           take PATTERNS from FILE
  -i, --ignore-case         ignore case distinctions in patterns and data
      --no-ignore-case      do not ignore case distinctions (default)
  -w, --word-regexp         match only whole words
  -x, --line-regexp         match only whole lines
  -z, --null-data           a data line ends in 0 byte, not newline

Miscellaneous:
  -s, --no-messages         suppress error messages
  -v, --invert-match        select non-matching lines
  -V, --version             display version information and exit
      --help                display this help text and exit

Output control:
  -m, --max-count=NUM       stop after NUM selected lines
  -b, --byte-offset         print the byte offset with output lines
  -n, --line-number         print line number with output lines
      --line-buffered       flush output on every line
  -H, --with-filename       print file name with output lines
  -h, --no-filename         suppress the file name prefix on output
      --label=LABEL         use LABEL as the standard input file name prefix
  -o, --only-matching       show only nonempty parts of lines that match
  -q, --quiet, --silent     suppress all normal output
      --binary-files=TYPE   assume that binary files are TYPE;
                            TYPE is 'binary', 'text', or 'without-match'
  -a, --text                equivalent to --binary-files=text
  -I                        equivalent to --binary-files=without-match
  -d, --directories=ACTION  how to handle directories;
                            ACTION is 'read', 'recurse', or 'skip'
  -D, --devices=ACTION      how to handle devices, FIFOs and sockets;
                            ACTION is 'read' or 'skip'
  -r, --recursive           like --directories=recurse
  -R, --dereference-recursive  likewise, but follow all symlinks
      --include=GLOB        search only files that match GLOB (a file pattern)
      --exclude=GLOB        skip files that match GLOB
      --exclude-from=FILE   skip files that match any file pattern from FILE
      --exclude-dir=GLOB    skip directories that match GLOB
  -L, --files-without-match  print only names of FILEs with no selected lines
  -l, --files-with-matches  print only names of FILEs with selected lines
  -c, --count               print only a count of selected lines per FILE
  -T, --initial-tab         make tabs line up (if needed)
  -Z, --null                print 0 byte after FILE name

Context control:
  -B, --before-context=NUM  print NUM lines of leading context
  -A, --after-context=NUM   print NUM lines of trailing context
  -C, --context=NUM         print NUM lines of output context
  -NUM                      same as --context=NUM
      --group-separator=SEP  print SEP on line between matches with context
      --no-group-separator  do not print separator for matches with context
      --color[=WHEN],
      --colour[=WHEN]       use markers to highlight the matching strings;
                            WHEN is 'always', 'never', or 'auto'
  -U, --binary              do not strip CR characters at EOL (MSDOS/Windows)

When FILE is '-', read standard input.  With no FILE, read '.' if
recursive, '-' otherwise.  With fewer than two FILEs, assume -h.
Exit status is 0 if any line is selected, 1 otherwise;
if any error occurs and -q is not given, the exit status is 2.

Report bugs to: bug-grep@gnu.org
GNU grep home page: <https://www.gnu.org/software/grep/>
General help using GNU software: <https://www.gnu.org/gethelp/>
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use vnet_fs::MemFs;

    fn run(args: &[&str], stdin: &str) -> (String, String, i32) {
        let mut fs = MemFs::new()
            .with_file("/f1", b"one\ntwo\nthree\n")
            .with_file("/f2", b"two\nfour\n");
        let mut ctx = Ctx::new(&mut fs, Some(stdin.as_bytes().to_vec()));
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let rc = main(&mut ctx, &args);
        (
            String::from_utf8_lossy(&ctx.out).into_owned(),
            String::from_utf8_lossy(&ctx.err).into_owned(),
            rc,
        )
    }

    #[test]
    fn selects_lines_and_sets_status() {
        assert_eq!(
            run(&["b"], "abc\nxyz\nb\n"),
            ("abc\nb\n".into(), "".into(), 0)
        );
        assert_eq!(
            run(&["-v", "b"], "abc\nxyz\n"),
            ("xyz\n".into(), "".into(), 0)
        );
        assert_eq!(run(&["q"], "abc\n"), ("".into(), "".into(), 1));
        assert_eq!(run(&["-c", "-i", "A"], "abc\nxa\nz\n").0, "2\n");
    }

    #[test]
    fn files_get_prefixes_and_errors() {
        let (out, err, rc) = run(&["two", "/f1", "/nope", "/f2"], "");
        assert_eq!(out, "/f1:two\n/f2:two\n");
        assert_eq!(err, "grep: /nope: No such file or directory\n");
        assert_eq!(rc, 2);
        assert_eq!(run(&["-q", "two", "/f1", "/nope"], "").2, 0);
        assert_eq!(run(&["-l", "o", "/f1", "/f2"], "").0, "/f1\n/f2\n");
        assert_eq!(run(&["-L", "three", "/f1", "/f2"], "").0, "/f2\n");
    }

    #[test]
    fn context_and_separators() {
        let input = "a\nb\nc\nd\ne\nf\na\n";
        let (out, _, _) = run(&["-n", "-A1", "-e", "b", "-e", "f"], input);
        assert_eq!(out, "2:b\n3-c\n--\n6:f\n7-a\n");
        assert_eq!(run(&["-m1", "-A2", "a"], input).0, "a\nb\nc\n");
    }

    #[test]
    fn only_matching_is_longest() {
        assert_eq!(run(&["-o", "a\\|ab"], "ab a\n").0, "ab\na\n");
        assert_eq!(run(&["-ob", "[0-9]\\+"], "x12 y3\n").0, "1:12\n5:3\n");
    }

    #[test]
    fn usage_errors() {
        let (_, err, rc) = run(&["-k", "a"], "");
        assert_eq!(err, format!("grep: invalid option -- 'k'\n{USAGE}"));
        assert_eq!(rc, 2);
        assert!(run(&["--co", "a"], "").1.contains("is ambiguous"));
        assert_eq!(run(&["[a"], "").1, "grep: Unmatched [, [^, [:, [., or [=\n");
        assert_eq!(run(&[], "").1, USAGE);
    }

    #[test]
    fn binary_input() {
        let (out, err, rc) = run(&["a"], "a\0b\nxa\n");
        assert_eq!((out.as_str(), rc), ("", 0));
        assert_eq!(err, "grep: (standard input): binary file matches\n");
        assert_eq!(run(&["-c", "a"], "a\0b\nxa\n").0, "2\n");
    }
}
