//! The line tools of coreutils 9.1 (and util-linux's rev): head, tail, wc,
//! cat, tee, rev, paste, nl, uniq. Bytes in, bytes out: the C locale, where
//! a character is a byte (vnet runs scripts with LANG unset).

use crate::args::{self, Has, Spec};
use crate::input::{self, errtext, quote, quote_c, quotef};
use crate::Ctx;

fn is_dir_err(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(21) || e.kind() == std::io::ErrorKind::IsADirectory
}

/// `==> name <==` headers of head and tail, blank-line separated.
struct Headers {
    on: bool,
    first: bool,
}

impl Headers {
    /// head's and tail's read of an operand: its content after its header,
    /// or None once the error is printed (a directory still gets its
    /// header, as it opens before the read fails).
    fn read(&mut self, c: &mut Ctx, tool: &str, f: &str) -> Option<Vec<u8>> {
        match input::read(c, f) {
            Ok(d) => {
                self.write(c, f);
                Some(d)
            }
            Err(e) if is_dir_err(&e) => {
                self.write(c, f);
                let msg = format!("{tool}: error reading {}: {}\n", quote(f), errtext(&e));
                c.eprint(&msg);
                None
            }
            Err(e) => {
                let msg = format!(
                    "{tool}: cannot open {} for reading: {}\n",
                    quote(f),
                    errtext(&e)
                );
                c.eprint(&msg);
                None
            }
        }
    }

    fn write(&mut self, c: &mut Ctx, name: &str) {
        if self.on {
            let name = if name == "-" { "standard input" } else { name };
            let sep = if self.first { "" } else { "\n" };
            c.print(&format!("{sep}==> {name} <==\n"));
            self.first = false;
        }
    }
}

/// A count of head or tail: its value and whether it had a sign.
fn parse_count(s: &str) -> Option<(u64, Option<char>)> {
    let t = s.trim_start();
    let sign = t.chars().next().filter(|c| *c == '-' || *c == '+');
    let body = if sign.is_some() { &t[1..] } else { t };
    if body.starts_with(['-', '+']) {
        return None;
    }
    input::size_suffixed(body).map(|n| (n, sign))
}

const HEAD_LONG: &[(&str, Has, char)] = &[
    ("bytes", Has::Req, 'c'),
    ("lines", Has::Req, 'n'),
    ("quiet", Has::No, 'q'),
    ("silent", Has::No, 'q'),
    ("verbose", Has::No, 'v'),
    ("zero-terminated", Has::No, 'z'),
];

/// Expands the obsolete `-5c`/`+5` forms into option arguments; Err is the
/// letter head rejects.
fn obsolete(a: &str, tail: bool) -> Option<Result<Vec<String>, char>> {
    if !(a.starts_with('-') || a.starts_with('+')) {
        return None;
    }
    let (sign, rest) = a.split_at(1);
    if !(sign == "-" || (tail && sign == "+")) || !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let nd = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
    let (num, letters) = rest.split_at(nd);
    let num = if tail && sign == "+" {
        format!("+{num}")
    } else {
        num.to_string()
    };
    let mut out = vec![];
    let (mut bytes, mut mult) = (false, "");
    for ch in letters.chars() {
        match ch {
            'c' => bytes = true,
            'b' | 'k' | 'm' if !tail || ch == 'b' => {
                bytes = true;
                mult = if ch == 'b' {
                    "b"
                } else if ch == 'k' {
                    "K"
                } else {
                    "M"
                };
            }
            'l' => bytes = false,
            'q' if !tail => out.push("-q".to_string()),
            'v' if !tail => out.push("-v".to_string()),
            'z' if !tail => out.push("-z".to_string()),
            'f' if tail => out.push("-f".to_string()),
            _ => return Some(Err(ch)),
        }
    }
    out.push(if bytes { "-c" } else { "-n" }.to_string());
    out.push(format!("{num}{mult}"));
    Some(Ok(out))
}

pub fn head(c: &mut Ctx, argv: &[String]) -> i32 {
    let mut argv = argv.to_vec();
    if let Some(first) = argv.first().cloned() {
        match obsolete(&first, false) {
            Some(Ok(v)) => {
                argv.splice(0..1, v);
            }
            Some(Err(ch)) => {
                c.eprint(&format!("head: invalid trailing option -- {ch}\n"));
                return args::try_help(c, "head", 1);
            }
            None => {}
        }
    }
    let spec = Spec {
        prog: "head",
        short: "c:n:qvz0123456789",
        long: HEAD_LONG,
        fail: 1,
    };
    let p = match args::parse_in_order(c, &spec, &argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let (mut bytes, mut n, mut neg, mut headers, mut delim) = (false, 10u64, false, None, b'\n');
    for (k, v) in &p.opts {
        match k {
            'c' | 'n' => {
                let v = v.as_deref().unwrap_or("");
                let what = if *k == 'c' { "bytes" } else { "lines" };
                match parse_count(v) {
                    Some((x, s)) => {
                        n = x;
                        neg = s == Some('-');
                        bytes = *k == 'c';
                    }
                    None => {
                        let shown = v.strip_prefix('-').unwrap_or(v);
                        c.eprint(&format!(
                            "head: invalid number of {what}: {}\n",
                            quote_c(shown)
                        ));
                        return 1;
                    }
                }
            }
            'q' => headers = Some(false),
            'v' => headers = Some(true),
            'z' => delim = 0,
            d => {
                c.eprint(&format!("head: invalid trailing option -- {d}\n"));
                return args::try_help(c, "head", 1);
            }
        }
    }
    if let Err(rc) = args::finish(c, &spec, &p) {
        return rc;
    }
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    let mut h = Headers {
        on: headers.unwrap_or(files.len() > 1),
        first: true,
    };
    let mut rc = 0;
    for f in &files {
        let Some(data) = h.read(c, "head", f) else {
            rc = 1;
            continue;
        };
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        let end = if bytes {
            if neg {
                data.len().saturating_sub(n)
            } else {
                n.min(data.len())
            }
        } else {
            let ls = input::lines_kept(&data, delim);
            let keep = if neg {
                ls.len().saturating_sub(n)
            } else {
                n.min(ls.len())
            };
            ls[..keep].iter().map(|l| l.len()).sum()
        };
        if f == "-" && !neg && end < data.len() {
            // It closed the pipe with the rest unread.
            c.stop_reading(end);
        }
        c.out.extend_from_slice(&data[..end]);
    }
    rc
}

pub fn tail(c: &mut Ctx, argv: &[String]) -> i32 {
    let mut argv = argv.to_vec();
    let obs_ok = match argv.len() {
        1 => true,
        2 => argv[1] == "--" || !(argv[1].starts_with('-') && argv[1].len() > 1),
        3 => argv[1] == "--",
        _ => false,
    };
    if obs_ok {
        if let Some(Ok(v)) = obsolete(&argv[0], true) {
            argv.splice(0..1, v);
        }
    }
    let spec = Spec {
        prog: "tail",
        short: "c:n:fFqs:vz0123456789",
        long: &[
            ("bytes", Has::Req, 'c'),
            ("follow", Has::Opt, 'f'),
            ("lines", Has::Req, 'n'),
            ("max-unchanged-stats", Has::Req, 'M'),
            ("pid", Has::Req, 'P'),
            ("quiet", Has::No, 'q'),
            ("silent", Has::No, 'q'),
            ("retry", Has::No, 'R'),
            ("sleep-interval", Has::Req, 's'),
            ("verbose", Has::No, 'v'),
            ("zero-terminated", Has::No, 'z'),
        ],
        fail: 1,
    };
    let p = match args::parse_in_order(c, &spec, &argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let (mut bytes, mut n, mut from_start, mut headers, mut delim) =
        (false, 10u64, false, None, b'\n');
    for (k, v) in &p.opts {
        match k {
            'c' | 'n' => {
                let v = v.as_deref().unwrap_or("");
                let what = if *k == 'c' { "bytes" } else { "lines" };
                match parse_count(v) {
                    Some((x, s)) => {
                        n = x;
                        from_start = s == Some('+');
                        bytes = *k == 'c';
                    }
                    None => {
                        let shown = v.strip_prefix('-').unwrap_or(v);
                        c.eprint(&format!(
                            "tail: invalid number of {what}: {}\n",
                            quote_c(shown)
                        ));
                        return 1;
                    }
                }
            }
            'f' | 'F' => {
                c.eprint("vnet: tail -f is not simulated yet\n");
                return 2;
            }
            'q' => headers = Some(false),
            'v' => headers = Some(true),
            'z' => delim = 0,
            d if d.is_ascii_digit() => {
                c.eprint(&format!("tail: option used in invalid context -- {d}\n"));
                return 1;
            }
            _ => {}
        }
    }
    if let Err(rc) = args::finish(c, &spec, &p) {
        return rc;
    }
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    // Nothing to print: tail does not even open the files.
    if n == 0 && !from_start {
        return 0;
    }
    let mut h = Headers {
        on: headers.unwrap_or(files.len() > 1),
        first: true,
    };
    let mut rc = 0;
    for f in &files {
        let Some(data) = h.read(c, "tail", f) else {
            rc = 1;
            continue;
        };
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        let start = if bytes {
            if from_start {
                n.saturating_sub(1).min(data.len())
            } else {
                data.len().saturating_sub(n)
            }
        } else {
            let ls = input::lines_kept(&data, delim);
            let skip = if from_start {
                n.saturating_sub(1).min(ls.len())
            } else {
                ls.len().saturating_sub(n)
            };
            ls[..skip].iter().map(|l| l.len()).sum()
        };
        c.out.extend_from_slice(&data[start..]);
    }
    rc
}

#[derive(Default, Clone, Copy)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
    maxlen: u64,
}

fn count(data: &[u8]) -> Counts {
    let mut k = Counts {
        bytes: data.len() as u64,
        chars: data.len() as u64,
        ..Counts::default()
    };
    let (mut in_word, mut col) = (false, 0u64);
    for &b in data {
        match b {
            b'\n' => {
                k.lines += 1;
                k.maxlen = k.maxlen.max(col);
                col = 0;
                in_word = false;
            }
            b'\t' => {
                col += 8 - col % 8;
                in_word = false;
            }
            b' ' | b'\x0b' | b'\x0c' | b'\r' => {
                if b == b' ' {
                    col += 1;
                } else if b == b'\r' || b == b'\x0c' {
                    col = 0;
                }
                in_word = false;
            }
            0x21..=0x7e => {
                col += 1;
                if !in_word {
                    k.words += 1;
                    in_word = true;
                }
            }
            _ => {}
        }
    }
    k.maxlen = k.maxlen.max(col);
    k
}

pub fn wc(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "wc",
        short: "clLmw",
        long: &[
            ("bytes", Has::No, 'c'),
            ("chars", Has::No, 'm'),
            ("lines", Has::No, 'l'),
            ("files0-from", Has::Req, 'F'),
            ("max-line-length", Has::No, 'L'),
            ("words", Has::No, 'w'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.has('F') {
        c.eprint("vnet: wc --files0-from is not simulated yet\n");
        return 2;
    }
    let mut sel: Vec<char> = "lwmcL".chars().filter(|k| p.has(*k)).collect();
    if sel.is_empty() {
        sel = vec!['l', 'w', 'c'];
    }
    let files = if p.operands.is_empty() {
        vec![None]
    } else {
        p.operands.iter().map(|s| Some(s.clone())).collect()
    };
    // Read everything first: the column width depends on all the sizes.
    let mut results: Vec<(Option<String>, Result<Counts, std::io::Error>)> = vec![];
    let (mut width_total, mut min_width) = (0u64, 1usize);
    for f in &files {
        let name = f.clone().unwrap_or_else(|| "-".into());
        let regular = if name == "-" {
            false
        } else {
            match c.fs.metadata(&name) {
                Ok(m) => {
                    if m.kind == vnet_fs::Kind::File {
                        width_total += m.len;
                    } else {
                        min_width = 7;
                    }
                    true
                }
                Err(_) => true,
            }
        };
        if !regular {
            min_width = 7;
        }
        let r = input::read(c, &name).map(|d| count(&d));
        results.push((f.clone(), r));
    }
    let width = if sel.len() == 1 && files.len() == 1 {
        1
    } else {
        (width_total.max(1).ilog10() as usize + 1).max(min_width)
    };
    let mut total = Counts::default();
    let mut rc = 0;
    let line = |k: &Counts, name: Option<&str>| -> String {
        let mut s = String::new();
        for (i, w) in sel.iter().enumerate() {
            let v = match w {
                'l' => k.lines,
                'w' => k.words,
                'm' => k.chars,
                'c' => k.bytes,
                _ => k.maxlen,
            };
            let sep = if i == 0 { "" } else { " " };
            s += &format!("{sep}{v:>width$}");
        }
        if let Some(n) = name {
            s += &format!(" {n}");
        }
        s + "\n"
    };
    for (f, r) in &results {
        match r {
            Ok(k) => {
                total.lines += k.lines;
                total.words += k.words;
                total.chars += k.chars;
                total.bytes += k.bytes;
                total.maxlen = total.maxlen.max(k.maxlen);
                let out = line(k, f.as_deref());
                c.print(&out);
            }
            Err(e) => {
                let name = f.as_deref().unwrap_or("-");
                c.eprint(&format!("wc: {}: {}\n", quotef(name), errtext(e)));
                rc = 1;
                if is_dir_err(e) {
                    let out = line(&Counts::default(), f.as_deref());
                    c.print(&out);
                }
            }
        }
    }
    if files.len() > 1 {
        let out = line(&total, Some("total"));
        c.print(&out);
    }
    rc
}

/// cat's state across files: line numbers and blank runs continue.
struct Cat {
    number: bool,
    nonblank: bool,
    squeeze: bool,
    ends: bool,
    tabs: bool,
    nonprint: bool,
    line: u64,
    bol: bool,
    blanks: u32,
}

impl Cat {
    fn num(&mut self, out: &mut Vec<u8>) {
        self.line += 1;
        out.extend_from_slice(format!("{:>6}\t", self.line).as_bytes());
    }
    fn feed(&mut self, data: &[u8], out: &mut Vec<u8>) {
        for &b in data {
            if self.bol {
                if b == b'\n' {
                    self.blanks += 1;
                    if self.squeeze && self.blanks > 1 {
                        continue;
                    }
                    if self.number && !self.nonblank {
                        self.num(out);
                    }
                    if self.ends {
                        out.push(b'$');
                    }
                    out.push(b'\n');
                    continue;
                }
                self.blanks = 0;
                if self.number {
                    self.num(out);
                }
                self.bol = false;
            }
            match b {
                b'\n' => {
                    if self.ends {
                        out.push(b'$');
                    }
                    out.push(b'\n');
                    self.bol = true;
                }
                b'\t' if self.tabs => out.extend_from_slice(b"^I"),
                b'\t' => out.push(b),
                _ if self.nonprint => {
                    let mut x = b;
                    if x >= 128 {
                        out.extend_from_slice(b"M-");
                        x -= 128;
                    }
                    if x < 32 {
                        out.extend_from_slice(&[b'^', x + 64]);
                    } else if x == 127 {
                        out.extend_from_slice(b"^?");
                    } else {
                        out.push(x);
                    }
                }
                _ => out.push(b),
            }
        }
    }
}

pub fn cat(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "cat",
        short: "benstuvAET",
        long: &[
            ("show-all", Has::No, 'A'),
            ("number-nonblank", Has::No, 'b'),
            ("show-ends", Has::No, 'E'),
            ("number", Has::No, 'n'),
            ("squeeze-blank", Has::No, 's'),
            ("show-tabs", Has::No, 'T'),
            ("show-nonprinting", Has::No, 'v'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let mut st = Cat {
        number: false,
        nonblank: false,
        squeeze: false,
        ends: false,
        tabs: false,
        nonprint: false,
        line: 0,
        bol: true,
        blanks: 0,
    };
    for (k, _) in &p.opts {
        match k {
            'b' => (st.number, st.nonblank) = (true, true),
            'n' => st.number = true,
            's' => st.squeeze = true,
            'E' => st.ends = true,
            'T' => st.tabs = true,
            'v' => st.nonprint = true,
            'e' => (st.nonprint, st.ends) = (true, true),
            't' => (st.nonprint, st.tabs) = (true, true),
            'A' => (st.nonprint, st.ends, st.tabs) = (true, true, true),
            _ => {}
        }
    }
    let plain = !(st.number || st.squeeze || st.ends || st.tabs || st.nonprint);
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    let mut rc = 0;
    for f in &files {
        match input::read(c, f) {
            Ok(d) if plain => c.out.extend_from_slice(&d),
            Ok(d) => {
                let mut out = std::mem::take(&mut c.out);
                st.feed(&d, &mut out);
                c.out = out;
            }
            Err(e) => {
                c.eprint(&format!("cat: {}: {}\n", quotef(f), errtext(&e)));
                rc = 1;
            }
        }
    }
    rc
}

pub fn tee(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "tee",
        short: "aip",
        long: &[
            ("append", Has::No, 'a'),
            ("ignore-interrupts", Has::No, 'i'),
            ("output-error", Has::Opt, 'o'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let data = c.take_stdin();
    let mut rc = 0;
    // `-` is a file named `-` here, as in coreutils' tee.
    for f in &p.operands {
        if let Err(e) = c.fs.write(f, &data, p.has('a')) {
            c.eprint(&format!("tee: {}: {}\n", quotef(f), errtext(&e)));
            rc = 1;
        }
    }
    c.out.extend_from_slice(&data);
    rc
}

/// tac: the lines in reverse order; a last line without its newline is
/// joined to the next one printed, as in coreutils.
pub fn tac(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "tac",
        short: "brs:",
        long: &[
            ("before", Has::No, 'b'),
            ("regex", Has::No, 'r'),
            ("separator", Has::Req, 's'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.has('r') {
        c.eprint("vnet: tac -r (regex separators) is not simulated yet\n");
        return 2;
    }
    // An empty separator is tac's NUL.
    let sep: Vec<u8> = match p.last('s') {
        Some("") => vec![0],
        Some(s) => s.as_bytes().to_vec(),
        None => vec![b'\n'],
    };
    let before = p.has('b');
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands
    };
    let mut rc = 0;
    for f in &files {
        match input::read(c, f) {
            Ok(d) => {
                // Record boundaries: after each separator (before it with -b).
                let mut cuts = vec![0];
                let mut i = 0;
                while i + sep.len() <= d.len() {
                    if d[i..].starts_with(&sep) {
                        cuts.push(if before { i } else { i + sep.len() });
                        i += sep.len();
                    } else {
                        i += 1;
                    }
                }
                cuts.push(d.len());
                cuts.dedup();
                for w in cuts.windows(2).rev() {
                    c.out.extend_from_slice(&d[w[0]..w[1]]);
                }
            }
            Err(e) => {
                c.eprint(&format!(
                    "tac: failed to open {} for reading: {}\n",
                    quote(f),
                    errtext(&e)
                ));
                rc = 1;
            }
        }
    }
    rc
}

/// util-linux rev: each line's bytes reversed.
pub fn rev(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "rev",
        short: "Vh0",
        long: &[
            ("version", Has::No, 'V'),
            ("help", Has::No, 'h'),
            ("zero", Has::No, '0'),
        ],
        fail: 1,
    };
    let p = match args::parse_raw(&spec, argv) {
        Ok(p) => p,
        Err(m) => {
            c.eprint(&format!(
                "rev: {m}\nTry 'rev --help' for more information.\n"
            ));
            return 1;
        }
    };
    if p.has('V') {
        c.print("rev from util-linux 2.38.1\n");
        return 0;
    }
    if p.has('h') {
        c.print("\nUsage:\n rev [options] [file ...]\n");
        return 0;
    }
    let delim = if p.has('0') { 0 } else { b'\n' };
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    let mut rc = 0;
    for f in &files {
        // util-linux's rev reads `-` as a file of that name.
        let r = if p.operands.is_empty() {
            Ok(c.take_stdin())
        } else {
            c.fs.read(f)
        };
        match r {
            Ok(d) => {
                for l in input::lines_kept(&d, delim) {
                    let (body, end) = match l.split_last() {
                        Some((&last, body)) if last == delim => (body, true),
                        _ => (l, false),
                    };
                    c.out.extend(body.iter().rev());
                    if end {
                        c.out.push(delim);
                    }
                }
            }
            Err(e) => {
                c.eprint(&format!("rev: cannot open {f}: {}\n", errtext(&e)));
                rc = 1;
            }
        }
    }
    rc
}

/// paste's -d list with its escapes; None marks an empty delimiter (`\0`).
fn paste_delims(s: &str) -> Result<Vec<Option<u8>>, ()> {
    let b = s.as_bytes();
    let mut v = vec![];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            let Some(&e) = b.get(i + 1) else {
                return Err(());
            };
            v.push(match e {
                b'0' => None,
                b'n' => Some(b'\n'),
                b't' => Some(b'\t'),
                b'b' => Some(8),
                b'f' => Some(12),
                b'r' => Some(b'\r'),
                b'v' => Some(11),
                x => Some(x),
            });
            i += 2;
        } else {
            v.push(Some(b[i]));
            i += 1;
        }
    }
    if v.is_empty() {
        v.push(None);
    }
    Ok(v)
}

pub fn paste(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "paste",
        short: "d:sz",
        long: &[
            ("delimiters", Has::Req, 'd'),
            ("serial", Has::No, 's'),
            ("zero-terminated", Has::No, 'z'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let dl = p.last('d').unwrap_or("\t").to_string();
    let Ok(delims) = paste_delims(&dl) else {
        c.eprint(&format!(
            "paste: delimiter list ends with an unescaped backslash: {dl}\n"
        ));
        return 1;
    };
    let eol = if p.has('z') { 0 } else { b'\n' };
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    // Every file's lines; all `-` operands share stdin's.
    let mut stdin_data: Option<Vec<u8>> = None;
    let mut data: Vec<Option<Vec<u8>>> = vec![];
    let (mut rc, mut skip) = (0, vec![]);
    for f in &files {
        if f == "-" {
            if stdin_data.is_none() {
                stdin_data = Some(c.take_stdin());
            }
            data.push(None);
            continue;
        }
        match c.fs.read(f) {
            Ok(d) => data.push(Some(d)),
            // -s goes file by file and goes on; parallel paste opens all first.
            Err(e) if p.has('s') => {
                c.eprint(&format!("paste: {}: {}\n", quotef(f), errtext(&e)));
                rc = 1;
                data.push(Some(Vec::new()));
                skip.push(data.len() - 1);
            }
            Err(e) => {
                c.eprint(&format!("paste: {}: {}\n", quotef(f), errtext(&e)));
                return 1;
            }
        }
    }
    let sd = stdin_data.unwrap_or_default();
    let stdin_lines = input::lines(&sd, eol);
    let file_lines: Vec<Option<Vec<&[u8]>>> = data
        .iter()
        .map(|d| d.as_ref().map(|d| input::lines(d, eol)))
        .collect();
    let mut out = Vec::new();
    if p.has('s') {
        // The first `-` reads all of stdin; later ones find it at its end.
        let mut stdin_left = Some(stdin_lines.clone());
        for (i, fl) in file_lines.iter().enumerate() {
            if skip.contains(&i) {
                continue;
            }
            let ls: Vec<&[u8]> = match fl {
                Some(l) => l.clone(),
                None => stdin_left.take().unwrap_or_default(),
            };
            for (j, l) in ls.iter().enumerate() {
                if j > 0 {
                    if let Some(d) = delims[(j - 1) % delims.len()] {
                        out.push(d);
                    }
                }
                out.extend_from_slice(l);
            }
            out.push(eol);
        }
        c.out.extend_from_slice(&out);
        return rc;
    }
    let mut pos = vec![0usize; files.len()];
    let mut stdin_pos = 0usize;
    let mut open = vec![true; files.len()];
    let mut nopen = files.len();
    let nfiles = files.len();
    while nopen > 0 {
        let mut any = false;
        let mut saved: Vec<u8> = vec![];
        let mut di = 0usize;
        for i in 0..nfiles {
            let mut line = None;
            if open[i] {
                line = match &file_lines[i] {
                    Some(l) => l.get(pos[i]).copied(),
                    None => stdin_lines.get(stdin_pos).copied(),
                };
                match line {
                    Some(_) if file_lines[i].is_some() => pos[i] += 1,
                    Some(_) => stdin_pos += 1,
                    None => {
                        open[i] = false;
                        nopen -= 1;
                    }
                }
            }
            match line {
                Some(l) => {
                    out.append(&mut saved);
                    out.extend_from_slice(l);
                    any = true;
                    if i + 1 == nfiles {
                        out.push(eol);
                    } else {
                        if let Some(d) = delims[di % delims.len()] {
                            out.push(d);
                        }
                        di += 1;
                    }
                }
                None => {
                    if i + 1 == nfiles {
                        if any {
                            out.append(&mut saved);
                            out.push(eol);
                        }
                    } else {
                        if let Some(d) = delims[di % delims.len()] {
                            saved.push(d);
                        }
                        di += 1;
                    }
                }
            }
        }
    }
    c.out.extend_from_slice(&out);
    0
}

pub fn nl(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "nl",
        short: "b:d:f:h:i:l:n:ps:v:w:",
        long: &[
            ("body-numbering", Has::Req, 'b'),
            ("section-delimiter", Has::Req, 'd'),
            ("footer-numbering", Has::Req, 'f'),
            ("header-numbering", Has::Req, 'h'),
            ("line-increment", Has::Req, 'i'),
            ("join-blank-lines", Has::Req, 'l'),
            ("number-format", Has::Req, 'n'),
            ("no-renumber", Has::No, 'p'),
            ("number-separator", Has::Req, 's'),
            ("starting-line-number", Has::Req, 'v'),
            ("number-width", Has::Req, 'w'),
        ],
        fail: 1,
    };
    let p = match args::parse_in_order(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    // Styles of the header, body and footer sections: a, t or n.
    let mut style = [b'n', b't', b'n'];
    let (mut incr, mut start, mut width, mut sep, mut fmt, mut delim) = (
        1i64,
        1i64,
        6usize,
        "\t".to_string(),
        "rn".to_string(),
        "\\:".to_string(),
    );
    for (k, v) in &p.opts {
        let v = v.clone().unwrap_or_default();
        let bad = |c: &mut Ctx, what: &str| {
            c.eprint(&format!("nl: invalid {what}: {}\n", quote_c(&v)));
            args::try_help(c, "nl", 1)
        };
        match k {
            'b' | 'h' | 'f' => {
                let i = match k {
                    'h' => 0,
                    'b' => 1,
                    _ => 2,
                };
                match v.as_str() {
                    "a" | "t" | "n" => style[i] = v.as_bytes()[0],
                    s if s.starts_with('p') => {
                        c.eprint("vnet: nl -b pBRE is not simulated yet\n");
                        return 2;
                    }
                    _ => {
                        let what = ["header", "body", "footer"][i];
                        return bad(c, &format!("{what} numbering style"));
                    }
                }
            }
            'n' if ["ln", "rn", "rz"].contains(&v.as_str()) => fmt = v,
            'n' => return bad(c, "line numbering format"),
            'i' | 'v' | 'w' | 'l' => {
                let Ok(x) = v.parse::<i64>() else {
                    let what = match k {
                        'i' => "line number increment",
                        'v' => "starting line number",
                        'w' => "line number field width",
                        _ => "line number of blank lines",
                    };
                    c.eprint(&format!("nl: invalid {what}: {}\n", quote_c(&v)));
                    return 1;
                };
                match k {
                    'i' => incr = x,
                    'v' => start = x,
                    'w' if x <= 0 => {
                        c.eprint(&format!(
                            "nl: invalid line number field width: {}: Numerical result out of range\n",
                            quote_c(&v)
                        ));
                        return 1;
                    }
                    'w' => width = x.min(1 << 16) as usize,
                    _ => {}
                }
            }
            's' => sep = v,
            'd' => {
                delim = v.clone();
                if delim.len() == 1 {
                    delim.push(':');
                }
            }
            _ => {}
        }
    }
    if let Err(rc) = args::finish(c, &spec, &p) {
        return rc;
    }
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    let (mut line_no, mut section, mut rc) = (start, 1usize, 0);
    let renumber = !p.has('p');
    for f in &files {
        let d = match input::read(c, f) {
            Ok(d) => d,
            Err(e) => {
                c.eprint(&format!("nl: {}: {}\n", quotef(f), errtext(&e)));
                rc = 1;
                continue;
            }
        };
        for l in input::lines(&d, b'\n') {
            let dl = delim.as_bytes();
            let sec = if !dl.is_empty() && l == [dl, dl, dl].concat() {
                Some(0)
            } else if !dl.is_empty() && l == [dl, dl].concat() {
                Some(1)
            } else if l == dl {
                Some(2)
            } else {
                None
            };
            if let Some(s) = sec {
                section = s;
                if renumber {
                    line_no = start;
                }
                c.print("\n");
                continue;
            }
            let numbered = match style[section] {
                b'a' => true,
                b't' => !l.is_empty(),
                _ => false,
            };
            if numbered {
                let s = match fmt.as_str() {
                    "ln" => format!("{line_no:<width$}"),
                    "rz" if line_no < 0 => {
                        format!(
                            "-{:0>w$}",
                            line_no.unsigned_abs(),
                            w = width.saturating_sub(1)
                        )
                    }
                    "rz" => format!("{line_no:0>width$}"),
                    _ => format!("{line_no:>width$}"),
                };
                c.print(&s);
                c.print(&sep);
                line_no = line_no.saturating_add(incr);
            } else {
                c.print(&" ".repeat(width + sep.len()));
            }
            c.out.extend_from_slice(l);
            c.print("\n");
        }
    }
    rc
}

/// What part of a line uniq compares.
struct UniqKey {
    fields: usize,
    chars: usize,
    width: Option<usize>,
    icase: bool,
}

impl UniqKey {
    fn of<'a>(&self, l: &'a [u8]) -> &'a [u8] {
        let mut i = 0;
        for _ in 0..self.fields {
            while i < l.len() && (l[i] == b' ' || l[i] == b'\t') {
                i += 1;
            }
            while i < l.len() && !(l[i] == b' ' || l[i] == b'\t') {
                i += 1;
            }
        }
        let s = &l[(i + self.chars).min(l.len())..];
        match self.width {
            Some(w) => &s[..w.min(s.len())],
            None => s,
        }
    }
    fn same(&self, a: &[u8], b: &[u8]) -> bool {
        let (a, b) = (self.of(a), self.of(b));
        if self.icase {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }
}

pub fn uniq(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "uniq",
        short: "0123456789cdDf:is:uw:z",
        long: &[
            ("count", Has::No, 'c'),
            ("repeated", Has::No, 'd'),
            ("all-repeated", Has::Opt, 'D'),
            ("group", Has::Opt, 'G'),
            ("skip-fields", Has::Req, 'f'),
            ("ignore-case", Has::No, 'i'),
            ("skip-chars", Has::Req, 's'),
            ("unique", Has::No, 'u'),
            ("zero-terminated", Has::No, 'z'),
            ("check-chars", Has::Req, 'w'),
        ],
        fail: 1,
    };
    let p = match args::parse_in_order(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let mut key = UniqKey {
        fields: 0,
        chars: 0,
        width: None,
        icase: p.has('i'),
    };
    let (mut count, mut dup, mut uniq_only, mut all) = (false, false, false, None);
    let mut group: Option<&str> = None;
    let mut eol = b'\n';
    for (k, v) in &p.opts {
        let v = v.as_deref();
        let num = |c: &mut Ctx, what: &str| -> Option<usize> {
            let s = v.unwrap_or("");
            match s.parse::<u64>() {
                Ok(n) => Some(n.min(usize::MAX as u64) as usize),
                Err(_) => {
                    c.eprint(&format!("uniq: {s}: invalid number of {what}\n"));
                    None
                }
            }
        };
        match k {
            'c' => count = true,
            'd' => dup = true,
            'u' => uniq_only = true,
            'z' => eol = 0,
            'D' | 'G' => {
                let m = v.unwrap_or(if *k == 'D' { "none" } else { "separate" });
                let ok: &[&str] = if *k == 'D' {
                    &["none", "prepend", "separate"]
                } else {
                    &["prepend", "append", "separate", "both"]
                };
                let Some(m) = ok.iter().find(|o| o.starts_with(m) && !m.is_empty()) else {
                    let opt = if *k == 'D' {
                        "--all-repeated"
                    } else {
                        "--group"
                    };
                    c.eprint(&format!(
                        "uniq: invalid argument {} for '{opt}'\nValid arguments are:\n{}",
                        quote_c(m),
                        ok.iter()
                            .map(|o| format!("  - '{o}'\n"))
                            .collect::<String>()
                    ));
                    return args::try_help(c, "uniq", 1);
                };
                if *k == 'D' {
                    all = Some(*m);
                } else {
                    group = Some(*m);
                }
            }
            'f' => match num(c, "fields to skip") {
                Some(n) => key.fields = n,
                None => return 1,
            },
            's' => match num(c, "bytes to skip") {
                Some(n) => key.chars = n,
                None => return 1,
            },
            'w' => match num(c, "bytes to compare") {
                Some(n) => key.width = Some(n),
                None => return 1,
            },
            _ => {}
        }
    }
    // uniq takes its operands as getopt meets them: a third one fails first.
    if p.pending.is_some() && p.operands.len() > 2 {
        c.eprint(&format!(
            "uniq: extra operand {}\n",
            quote_c(&p.operands[2])
        ));
        return args::try_help(c, "uniq", 1);
    }
    if let Err(rc) = args::finish(c, &spec, &p) {
        return rc;
    }
    if group.is_some() && (count || dup || uniq_only || all.is_some()) {
        c.eprint("uniq: --group is mutually exclusive with -c/-d/-D/-u\n");
        return args::try_help(c, "uniq", 1);
    }
    if count && all.is_some() {
        c.eprint("uniq: printing all duplicated lines and repeat counts is meaningless\n");
        return args::try_help(c, "uniq", 1);
    }
    if p.operands.len() > 2 {
        c.eprint(&format!(
            "uniq: extra operand {}\n",
            quote_c(&p.operands[2])
        ));
        return args::try_help(c, "uniq", 1);
    }
    let inp = p.operands.first().cloned().unwrap_or_else(|| "-".into());
    let data = match input::read(c, &inp) {
        Ok(d) => d,
        Err(e) => {
            c.eprint(&format!("uniq: {}: {}\n", quotef(&inp), errtext(&e)));
            return 1;
        }
    };
    let ls = input::lines(&data, eol);
    let mut groups: Vec<&[&[u8]]> = vec![];
    let mut i = 0;
    while i < ls.len() {
        let mut j = i + 1;
        while j < ls.len() && key.same(ls[i], ls[j]) {
            j += 1;
        }
        groups.push(&ls[i..j]);
        i = j;
    }
    let mut out = Vec::new();
    let mut first_out = true;
    for (gi, g) in groups.iter().enumerate() {
        if let Some(m) = group {
            if (gi == 0 && (m == "prepend" || m == "both")) || gi > 0 && m != "append" {
                out.push(eol);
            }
            for l in g.iter() {
                out.extend_from_slice(l);
                out.push(eol);
            }
            if gi + 1 == groups.len() && (m == "append" || m == "both") {
                out.push(eol);
            }
            continue;
        }
        if let Some(m) = all {
            if g.len() < 2 {
                continue;
            }
            if m == "prepend" || (m == "separate" && !first_out) {
                out.push(eol);
            }
            first_out = false;
            for l in g.iter() {
                out.extend_from_slice(l);
                out.push(eol);
            }
            continue;
        }
        let dupl = g.len() > 1;
        if (dup && !dupl) || (uniq_only && dupl) {
            continue;
        }
        if count {
            out.extend_from_slice(format!("{:>7} ", g.len()).as_bytes());
        }
        out.extend_from_slice(g[0]);
        out.push(eol);
    }
    match p.operands.get(1) {
        Some(o) if o != "-" => {
            // uniq truncates OUTPUT before it reads INPUT: the same file ends empty.
            let cwd = c.fs.cwd();
            if inp != "-" && vnet_fs::normalize(&cwd, o) == vnet_fs::normalize(&cwd, &inp) {
                out.clear();
            }
            if !input::write_file(c, "uniq", o, &out) {
                return 1;
            }
        }
        _ => c.out.extend_from_slice(&out),
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use vnet_fs::MemFs;

    #[test]
    fn tail_follow_is_not_simulated() {
        let mut fs = MemFs::new().with_file("/f", b"x\n");
        let mut c = Ctx::new(&mut fs, None);
        assert_eq!(tail(&mut c, &["-f".to_string(), "/f".to_string()]), 2);
        assert_eq!(c.err, b"vnet: tail -f is not simulated yet\n");
        assert!(c.out.is_empty());
    }

    #[test]
    fn wc_words_need_a_printable_character() {
        let k = count(b" a\x01b \x01 c\n");
        assert_eq!((k.lines, k.words, k.bytes), (1, 2, 9));
    }
}
