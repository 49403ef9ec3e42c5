//! ls as coreutils 9.1 prints to a pipe: one name per line unless asked
//! for columns (-C, -x: 80 wide, tabs every 8), commas (-m) or the long
//! form (-l and its variants). The tree has no owners, links or times:
//! the long form shows root (uid 0), one link (two for a directory) and
//! the epoch; sorting by time keeps name order (all times are equal).

use crate::args::{self, Has, Spec};
use crate::files::{join, meta, MAX_DEPTH};
use crate::input::{errtext, quote, quote_c};
use crate::sort::filevercmp;
use crate::Ctx;
use vnet_fs::{Kind, Meta};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    One,
    Long,
    Down,
    Across,
    Commas,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Name,
    Size,
    Version,
    Extension,
}

struct Ls {
    format: Format,
    order: Order,
    all: bool,
    almost: bool,
    dirs: bool,
    recursive: bool,
    reverse: bool,
    dirs_first: bool,
    /// -F (`/`, `*`), -p (`/`), --file-type (`/`).
    classify: u8,
    size: bool,
    human: Option<u64>,
    numeric: bool,
    owner: bool,
    group: bool,
    author: bool,
    quote: bool,
    eol: &'static str,
    width: usize,
    tabsize: usize,
    rc: i32,
}

fn mode_string(m: &Meta) -> String {
    let mut s = String::from(match m.kind {
        Kind::Dir => "d",
        Kind::Symlink => "l",
        Kind::CharDev => "c",
        Kind::File => "-",
    });
    s.push_str(&crate::chmod::perms(m.mode));
    s
}

/// human_readable() with ceiling rounding: `4.0K`, `10K`, `1.5M`.
fn human(n: u64, base: u64) -> String {
    if n < base {
        return n.to_string();
    }
    let units = if base == 1000 { "kMGTPEZY" } else { "KMGTPEZY" };
    let mut v = n as f64;
    for u in units.chars() {
        v /= base as f64;
        let tenths = (v * 10.0 - 1e-9).ceil();
        if tenths < 100.0 {
            return format!("{:.1}{u}", tenths / 10.0);
        }
        let whole = (v - 1e-9).ceil();
        if whole < base as f64 {
            return format!("{whole:.0}{u}");
        }
    }
    n.to_string()
}

/// 1K blocks a file takes (4K file system blocks).
fn blocks(m: &Meta) -> u64 {
    m.len.div_ceil(4096) * 4
}

impl Ls {
    fn suffix(&self, m: &Meta) -> &'static str {
        match (self.classify, m.kind) {
            (b'F' | b'p' | b't', Kind::Dir) => "/",
            (b'F', Kind::File) if m.mode & 0o111 != 0 => "*",
            _ => "",
        }
    }

    fn shown(&self, name: &str, m: &Meta) -> String {
        let n = if self.quote {
            format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
        } else {
            name.to_string()
        };
        format!("{n}{}", self.suffix(m))
    }

    fn size_text(&self, n: u64) -> String {
        match self.human {
            Some(b) => human(n, b),
            None => n.to_string(),
        }
    }

    fn blocks_text(&self, m: &Meta) -> String {
        match self.human {
            Some(b) => human(blocks(m) * 1024, b),
            None => blocks(m).to_string(),
        }
    }

    fn order(&self, v: &mut [(String, Meta)]) {
        v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        match self.order {
            Order::Name => {}
            Order::Size => v.sort_by_key(|e| std::cmp::Reverse(e.1.len)),
            Order::Version => v.sort_by(|a, b| filevercmp(a.0.as_bytes(), b.0.as_bytes())),
            Order::Extension => v.sort_by(|a, b| {
                // From the last dot on, `.` and `..` included.
                let ext = |s: &str| s.rfind('.').map_or("", |i| &s[i..]).to_string();
                ext(&a.0).cmp(&ext(&b.0))
            }),
        }
        if self.reverse {
            v.reverse();
        }
        if self.dirs_first {
            v.sort_by_key(|e| e.1.kind != Kind::Dir);
        }
    }

    /// Prints entries as the format asks; `total` for directory listings.
    fn print(&self, c: &mut Ctx, v: &[(String, Meta)], total: bool) {
        let bw = if self.size {
            v.iter()
                .map(|e| self.blocks_text(&e.1).len())
                .max()
                .unwrap_or(0)
        } else {
            0
        };
        if total && (self.size || self.format == Format::Long) {
            let t: u64 = v.iter().map(|e| blocks(&e.1)).sum();
            let t = match self.human {
                Some(b) => human(t * 1024, b),
                None => t.to_string(),
            };
            c.print(&format!("total {t}\n"));
        }
        let prefix = |e: &(String, Meta)| {
            if self.size {
                format!("{:>bw$} ", self.blocks_text(&e.1))
            } else {
                String::new()
            }
        };
        let eol = self.eol;
        match self.format {
            Format::One => {
                for e in v {
                    c.print(&format!("{}{}{eol}", prefix(e), self.shown(&e.0, &e.1)));
                }
            }
            Format::Long => {
                let sw = v
                    .iter()
                    .map(|e| self.size_text(e.1.len).len())
                    .max()
                    .unwrap_or(1);
                let user = if self.numeric { "0" } else { "root" };
                for e in v {
                    let links = if e.1.kind == Kind::Dir { 2 } else { 1 };
                    let mut who = String::new();
                    if self.owner {
                        who += &format!("{user} ");
                    }
                    if self.group {
                        who += &format!("{user} ");
                    }
                    if self.author {
                        who += &format!("{user} ");
                    }
                    c.print(&format!(
                        "{}{} {links} {who}{:>sw$} Jan  1  1970 {}{eol}",
                        prefix(e),
                        mode_string(&e.1),
                        self.size_text(e.1.len),
                        self.shown(&e.0, &e.1)
                    ));
                }
            }
            Format::Commas => {
                let mut pos = 0usize;
                let mut out = String::new();
                for (i, e) in v.iter().enumerate() {
                    let item = format!("{}{}", prefix(e), self.shown(&e.0, &e.1));
                    if i > 0 {
                        if pos + item.len() + 2 < self.width {
                            out += ", ";
                            pos += 2;
                        } else {
                            out += ",\n";
                            pos = 0;
                        }
                    }
                    pos += item.len();
                    out += &item;
                }
                if !v.is_empty() {
                    c.print(&format!("{out}\n"));
                }
            }
            Format::Down | Format::Across => {
                let items: Vec<String> = v
                    .iter()
                    .map(|e| format!("{}{}", prefix(e), self.shown(&e.0, &e.1)))
                    .collect();
                self.columns(c, &items);
            }
        }
    }

    /// calculate_columns() and print_many_per_line(): the most columns
    /// that fit, each as wide as its widest name plus two.
    fn columns(&self, c: &mut Ctx, items: &[String]) {
        let n = items.len();
        if n == 0 {
            return;
        }
        let across = self.format == Format::Across;
        let max_cols = (self.width / 3).max(1).min(n);
        let mut best = (1, vec![items.iter().map(|s| s.len()).max().unwrap_or(0)]);
        for cols in (1..=max_cols).rev() {
            let rows = n.div_ceil(cols);
            let mut widths = vec![0usize; cols];
            for (i, it) in items.iter().enumerate() {
                let col = if across { i % cols } else { i / rows };
                let w = it.len() + if col + 1 == cols { 0 } else { 2 };
                widths[col] = widths[col].max(w);
            }
            if widths.iter().sum::<usize>() < self.width {
                best = (cols, widths);
                break;
            }
        }
        let (cols, widths) = best;
        let rows = n.div_ceil(cols);
        let mut out = String::new();
        for r in 0..rows {
            let mut pos = 0usize;
            let cells: Vec<usize> = (0..cols)
                .map(|col| {
                    if across {
                        r * cols + col
                    } else {
                        col * rows + r
                    }
                })
                .filter(|&i| i < n)
                .collect();
            for (k, &i) in cells.iter().enumerate() {
                out += &items[i];
                if k + 1 < cells.len() {
                    let col = if across { i % cols } else { i / rows };
                    let from = pos + items[i].len();
                    let to = pos + widths[col];
                    out += &self.indent(from, to);
                    pos = to;
                }
            }
            out.push('\n');
        }
        c.print(&out);
    }

    /// indent(): tabs where a tab stop fits, spaces otherwise.
    fn indent(&self, mut from: usize, to: usize) -> String {
        let mut s = String::new();
        while from < to {
            if self.tabsize != 0 && to / self.tabsize > (from + 1) / self.tabsize {
                s.push('\t');
                from += self.tabsize - from % self.tabsize;
            } else {
                s.push(' ');
                from += 1;
            }
        }
        s
    }

    fn list_dir(&mut self, c: &mut Ctx, path: &str, header: bool, first: &mut bool, depth: usize) {
        let names = match c.fs.read_dir(path) {
            Ok(n) => n,
            Err(e) => {
                c.eprint(&format!(
                    "ls: cannot open directory {}: {}\n",
                    quote(path),
                    errtext(&e)
                ));
                self.rc = 2;
                return;
            }
        };
        if header {
            if !*first {
                c.print("\n");
            }
            let shown = if self.quote {
                format!("\"{}\"", path.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                path.to_string()
            };
            c.print(&format!("{shown}:\n"));
        }
        *first = false;
        let mut v = vec![];
        if self.all {
            for d in [".", ".."] {
                if let Some(m) = meta(c, &join(path, d)) {
                    v.push((d.to_string(), m));
                }
            }
        }
        for n in names {
            if n.starts_with('.') && !(self.all || self.almost) {
                continue;
            }
            let m = meta(c, &join(path, &n)).unwrap_or(Meta {
                kind: Kind::File,
                len: 0,
                mode: 0o644,
            });
            v.push((n, m));
        }
        self.order(&mut v);
        self.print(c, &v, true);
        if self.recursive && depth < MAX_DEPTH {
            for (n, m) in &v {
                if m.kind == Kind::Dir && n != "." && n != ".." {
                    self.list_dir(c, &join(path, n), true, first, depth + 1);
                }
            }
        }
    }
}

const LONG: &[(&str, Has, char)] = &[
    ("all", Has::No, 'a'),
    ("almost-all", Has::No, 'A'),
    ("author", Has::No, '\u{E100}'),
    ("escape", Has::No, 'b'),
    ("block-size", Has::Req, '\u{E101}'),
    ("ignore-backups", Has::No, 'B'),
    ("color", Has::Opt, '\u{E102}'),
    ("directory", Has::No, 'd'),
    ("dired", Has::No, 'D'),
    ("classify", Has::Opt, 'F'),
    ("file-type", Has::No, '\u{E103}'),
    ("format", Has::Req, '\u{E104}'),
    ("full-time", Has::No, '\u{E105}'),
    ("group-directories-first", Has::No, '\u{E106}'),
    ("no-group", Has::No, 'G'),
    ("human-readable", Has::No, 'h'),
    ("si", Has::No, '\u{E107}'),
    ("dereference-command-line", Has::No, 'H'),
    (
        "dereference-command-line-symlink-to-dir",
        Has::No,
        '\u{E108}',
    ),
    ("hide", Has::Req, '\u{E109}'),
    ("hyperlink", Has::Opt, '\u{E10A}'),
    ("indicator-style", Has::Req, '\u{E10B}'),
    ("inode", Has::No, 'i'),
    ("ignore", Has::Req, 'I'),
    ("kibibytes", Has::No, 'k'),
    ("dereference", Has::No, 'L'),
    ("numeric-uid-gid", Has::No, 'n'),
    ("literal", Has::No, 'N'),
    ("hide-control-chars", Has::No, 'q'),
    ("show-control-chars", Has::No, '\u{E10C}'),
    ("quote-name", Has::No, 'Q'),
    ("quoting-style", Has::Req, '\u{E10D}'),
    ("reverse", Has::No, 'r'),
    ("recursive", Has::No, 'R'),
    ("size", Has::No, 's'),
    ("sort", Has::Req, '\u{E10E}'),
    ("time", Has::Req, '\u{E10F}'),
    ("time-style", Has::Req, '\u{E110}'),
    ("tabsize", Has::Req, 'T'),
    ("width", Has::Req, 'w'),
    ("context", Has::No, 'Z'),
    ("zero", Has::No, '\u{E111}'),
];

pub fn ls(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "ls",
        short: "abcdfghiklmnopqrstuvw:xABCDFGHI:LNQRST:UXZ1",
        long: LONG,
        fail: 2,
    };
    let p = match args::parse_in_order(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let mut ls = Ls {
        format: Format::One,
        order: Order::Name,
        all: false,
        almost: false,
        dirs: false,
        recursive: false,
        reverse: false,
        dirs_first: false,
        classify: 0,
        size: false,
        human: None,
        numeric: false,
        owner: true,
        group: true,
        author: false,
        quote: false,
        eol: "\n",
        width: 80,
        tabsize: 8,
        rc: 0,
    };
    let not_simulated = |c: &mut Ctx, what: &str| {
        c.eprint(&format!("vnet: ls {what} is not simulated yet\n"));
        2
    };
    for (k, v) in &p.opts {
        let v = v.as_deref().unwrap_or("");
        match *k {
            'a' => (ls.all, ls.almost) = (true, false),
            'A' => (ls.all, ls.almost) = (false, true),
            'l' => ls.format = Format::Long,
            'n' => (ls.format, ls.numeric) = (Format::Long, true),
            'g' => (ls.format, ls.owner) = (Format::Long, false),
            'o' => (ls.format, ls.group) = (Format::Long, false),
            'G' => ls.group = false,
            '1' => ls.format = Format::One,
            'C' => ls.format = Format::Down,
            'x' => ls.format = Format::Across,
            'm' => ls.format = Format::Commas,
            'd' => ls.dirs = true,
            'R' => ls.recursive = true,
            'r' => ls.reverse = true,
            'S' => ls.order = Order::Size,
            'v' => ls.order = Order::Version,
            'X' => ls.order = Order::Extension,
            't' | 'c' | 'u' | 'U' => ls.order = Order::Name,
            'f' => (ls.all, ls.almost, ls.order) = (true, false, Order::Name),
            'F' => ls.classify = b'F',
            'p' => ls.classify = b'p',
            '\u{E103}' => ls.classify = b't',
            's' => ls.size = true,
            'h' => ls.human = Some(1024),
            '\u{E107}' => ls.human = Some(1000),
            'k' => ls.human = None,
            'Q' => ls.quote = true,
            'N' | 'q' | 'b' | '\u{E10C}' | 'L' | 'H' | '\u{E108}' | 'B' => {}
            '\u{E100}' => ls.author = true,
            '\u{E106}' => ls.dirs_first = true,
            '\u{E111}' => ls.eol = "\0",
            'w' => match v.parse::<usize>() {
                Ok(w) => ls.width = if w == 0 { usize::MAX / 4 } else { w },
                Err(_) => {
                    c.eprint(&format!("ls: invalid line width: {}\n", quote_c(v)));
                    return 2;
                }
            },
            'T' => match v.parse::<usize>() {
                Ok(t) => ls.tabsize = t,
                Err(_) => {
                    c.eprint(&format!("ls: invalid tab size: {}\n", quote_c(v)));
                    return 2;
                }
            },
            '\u{E102}' => {
                let groups: &[&[&str]] = &[
                    &["always", "yes", "force"],
                    &["never", "no", "none"],
                    &["auto", "tty", "if-tty"],
                ];
                let g = if v.is_empty() {
                    0
                } else {
                    match args::argmatch(c, "ls", "--color", v, groups) {
                        Ok(g) => g,
                        Err(rc) => return rc,
                    }
                };
                if g == 0 {
                    return not_simulated(c, "--color=always");
                }
            }
            '\u{E104}' => {
                let groups: &[&[&str]] = &[
                    &["verbose", "long"],
                    &["commas"],
                    &["horizontal", "across"],
                    &["vertical"],
                    &["single-column"],
                ];
                ls.format = match args::argmatch(c, "ls", "--format", v, groups) {
                    Ok(0) => Format::Long,
                    Ok(1) => Format::Commas,
                    Ok(2) => Format::Across,
                    Ok(3) => Format::Down,
                    Ok(_) => Format::One,
                    Err(rc) => return rc,
                };
            }
            '\u{E10E}' => {
                let groups: &[&[&str]] = &[
                    &["none"],
                    &["time"],
                    &["size"],
                    &["extension"],
                    &["version"],
                    &["width"],
                ];
                ls.order = match args::argmatch(c, "ls", "--sort", v, groups) {
                    Ok(2) => Order::Size,
                    Ok(3) => Order::Extension,
                    Ok(4) => Order::Version,
                    Ok(5) => return not_simulated(c, "--sort=width"),
                    Ok(_) => Order::Name,
                    Err(rc) => return rc,
                };
            }
            'i' => return not_simulated(c, "-i (inode numbers)"),
            'D' => return not_simulated(c, "--dired"),
            'Z' => return not_simulated(c, "-Z (security context)"),
            'I' | '\u{E109}' => return not_simulated(c, "--ignore/--hide patterns"),
            '\u{E101}' | '\u{E105}' | '\u{E110}' | '\u{E10D}' | '\u{E10F}' | '\u{E10A}'
            | '\u{E10B}' => return not_simulated(c, "with that option"),
            _ => {}
        }
    }
    if let Err(rc) = args::finish(c, &spec, &p) {
        return rc;
    }
    let ops = if p.operands.is_empty() {
        vec![".".to_string()]
    } else {
        p.operands.clone()
    };
    let mut files = vec![];
    let mut dirs = vec![];
    for o in &ops {
        match c.fs.metadata(o) {
            Ok(m) if m.kind == Kind::Dir && !ls.dirs => dirs.push((o.clone(), m)),
            Ok(m) => files.push((o.clone(), m)),
            Err(e) => {
                c.eprint(&format!(
                    "ls: cannot access {}: {}\n",
                    quote(o),
                    errtext(&e)
                ));
                ls.rc = 2;
            }
        }
    }
    ls.order(&mut files);
    ls.order(&mut dirs);
    ls.print(c, &files, false);
    let mut first = files.is_empty();
    let header = ops.len() > 1 || ls.recursive;
    for (d, _) in dirs {
        ls.list_dir(c, &d, header, &mut first, 0);
    }
    ls.rc
}

#[cfg(test)]
mod tests {
    use super::*;
    use vnet_fs::MemFs;

    fn run(fs: &mut MemFs, a: &[&str]) -> (String, String, i32) {
        let mut c = Ctx::new(fs, None);
        let v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        let rc = ls(&mut c, &v);
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (s(&c.out), s(&c.err), rc)
    }

    #[test]
    fn human_sizes_round_up() {
        assert_eq!(human(4096, 1024), "4.0K");
        assert_eq!(human(1536, 1024), "1.5K");
        assert_eq!(human(1537, 1024), "1.6K");
        assert_eq!(human(10240, 1024), "10K");
        assert_eq!(human(999, 1024), "999");
        assert_eq!(human(4096, 1000), "4.1k");
    }

    #[test]
    fn ls_long_shows_root_and_the_epoch() {
        let mut fs = MemFs::new()
            .with_file("/w/f", b"12345")
            .with_file("/w/d/x", b"");
        let (out, _, rc) = run(&mut fs, &["-l", "/w"]);
        assert_eq!(rc, 0);
        assert_eq!(
            out,
            "total 8\ndrwxr-xr-x 2 root root 4096 Jan  1  1970 d\n-rw-r--r-- 1 root root    5 Jan  1  1970 f\n"
        );
    }
}
