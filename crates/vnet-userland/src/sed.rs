//! sed, as GNU sed 4.9 (Debian 12) behaves: the script language (compiled
//! once into a command list, as sed's compile.c does), the cycle over the
//! input (execute.c), `-i` through the file tree, and GNU's messages with
//! their positions (`-e expression #1, char 5: unterminated `s' command`)
//! and exit statuses (1 a bad script, 2 an unreadable input, 4 an I/O
//! failure, or q/Q's own).
//!
//! Regular expressions are [`crate::posix_re`] with its sed reading.

use crate::grep::{getopt, Arg};
use crate::posix_re::{Flavor, Options, Regex};
use crate::Ctx;
use std::collections::HashMap;
use std::rc::Rc;

/// Commands one run may execute (a `:a;ba` loop must end).
const MAX_STEPS: u64 = 20_000_000;
/// Pattern and hold space bound (GNU would run out of memory).
const MAX_SPACE: usize = 64 << 20;
/// `{` nesting the parser accepts.
const MAX_BLOCKS: usize = 256;

const LONG: &[(&str, Arg, &str)] = &[
    ("binary", Arg::No, "b"),
    ("regexp-extended", Arg::No, "E"),
    ("debug", Arg::No, "debug"),
    ("in-place", Arg::Optional, "i"),
    ("expression", Arg::Required, "e"),
    ("file", Arg::Required, "f"),
    ("line-length", Arg::Required, "l"),
    ("null-data", Arg::No, "z"),
    ("zero-terminated", Arg::No, "z"),
    ("quiet", Arg::No, "n"),
    ("posix", Arg::No, "posix"),
    ("silent", Arg::No, "n"),
    ("sandbox", Arg::No, "sandbox"),
    ("separate", Arg::No, "s"),
    ("unbuffered", Arg::No, "u"),
    ("version", Arg::No, "version"),
    ("help", Arg::No, "help"),
    ("follow-symlinks", Arg::No, "follow-symlinks"),
];

/// One piece of the script and where it came from (for messages).
struct Chunk {
    /// Offset of its first character in the joined script.
    start: usize,
    origin: Origin,
}

enum Origin {
    /// The Nth `-e` (or the script operand, #1).
    Expr(usize),
    File(String),
}

#[derive(Clone)]
enum Addr {
    Line(u64),
    Last,
    Re(Option<Rc<Regex>>),
    Step(u64, u64),
    /// `0,/re/`: the range is open before line 1.
    Zero,
}

#[derive(Clone)]
enum Addr2 {
    Line(u64),
    Last,
    Re(Option<Rc<Regex>>),
    Plus(u64),
    Tilde(u64),
}

#[derive(Debug, Clone)]
enum Repl {
    Lit(Vec<u8>),
    Group(usize),
    /// `\U` `\L` `\E`.
    Case(u8),
    /// `\u` `\l`.
    One(u8),
}

struct Subst {
    re: Option<Rc<Regex>>,
    repl: Vec<Repl>,
    global: bool,
    print: u8,
    nth: u64,
    wfile: Option<String>,
}

enum Kind {
    /// `{` and the index just past its `}`.
    Block(usize),
    EndBlock,
    Eq,
    Append(Vec<u8>),
    Insert(Vec<u8>),
    Change(Vec<u8>),
    Branch(Option<usize>),
    BranchIf(Option<usize>),
    BranchIfNot(Option<usize>),
    Delete,
    DeleteFirst,
    Get,
    GetAppend,
    Hold,
    HoldAppend,
    List(Option<usize>),
    Next,
    NextAppend,
    Print,
    PrintFirst,
    Quit(i32),
    QuitSilent(i32),
    ReadFile(String),
    ReadLine(String),
    S(Box<Subst>),
    Write(String),
    WriteFirst(String),
    Exchange,
    Translate(HashMap<char, char>),
    Zap,
    FileName,
    /// `L`: sed 4.9 parses it, then fails when it runs.
    BadL,
    /// `:label`, `#comment`, `v`: nothing at run time.
    Nop,
}

struct Cmd {
    a1: Option<Addr>,
    a2: Option<Addr2>,
    neg: bool,
    kind: Kind,
}

/// The compiled script.
struct Program {
    cmds: Vec<Cmd>,
    /// `#n` on the first line acts as -n.
    hash_n: bool,
}

struct Parser<'a> {
    s: Vec<char>,
    i: usize,
    chunks: &'a [Chunk],
    ere: bool,
    cmds: Vec<Cmd>,
    blocks: Vec<usize>,
    labels: HashMap<String, usize>,
    /// (command index, label) of every jump, resolved at the end.
    jumps: Vec<(usize, String)>,
    /// A regex came before (`//` means the last one used).
    seen_regex: bool,
}

/// A script error: the message and whether it has a location.
struct Bad {
    msg: String,
    /// Exit status (1 for compile errors, 4 for GNU's "panics").
    status: i32,
}

impl<'a> Parser<'a> {
    fn getc(&mut self) -> Option<char> {
        let c = self.s.get(self.i).copied();
        if c.is_some() {
            self.i += 1;
        }
        c
    }
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
    }

    /// GNU's located message: `-e expression #1, char 5: MSG`.
    fn err(&self, msg: &str) -> Bad {
        self.err_at(self.i, msg)
    }
    fn err_at(&self, pos: usize, msg: &str) -> Bad {
        // The chunk of the character just read.
        let last = pos.saturating_sub(1);
        let ch = self
            .chunks
            .iter()
            .rev()
            .find(|c| c.start <= last)
            .or(self.chunks.first());
        let loc = match ch {
            Some(Chunk {
                start,
                origin: Origin::Expr(n),
            }) => {
                // GNU counts bytes.
                let end = pos.min(self.s.len()).max(*start);
                let bytes: usize = self.s[*start..end].iter().map(|c| c.len_utf8()).sum();
                format!("-e expression #{n}, char {bytes}")
            }
            Some(Chunk {
                start,
                origin: Origin::File(f),
            }) => {
                let upto = last.max(*start).min(self.s.len());
                let line = 1 + self.s[*start..upto].iter().filter(|&&c| c == '\n').count();
                format!("file {f} line {line}")
            }
            None => "-e expression #1, char 0".to_string(),
        };
        Bad {
            msg: format!("{loc}: {msg}"),
            status: 1,
        }
    }

    fn compile(mut self) -> Result<Program, Bad> {
        let hash_n = self.s.len() >= 2
            && self.s[0] == '#'
            && self.s[1] == 'n'
            && matches!(self.s.get(2), None | Some('\n'));
        loop {
            while matches!(self.peek(), Some(' ' | '\t' | '\n' | ';')) {
                self.i += 1;
            }
            if self.peek().is_none() {
                break;
            }
            self.command()?;
        }
        if !self.blocks.is_empty() {
            return Err(self.err_at_zero("unmatched `{'"));
        }
        for (at, label) in std::mem::take(&mut self.jumps) {
            let Some(&target) = self.labels.get(&label) else {
                return Err(Bad {
                    msg: format!("can't find label for jump to `{label}'"),
                    status: 4,
                });
            };
            match &mut self.cmds[at].kind {
                Kind::Branch(t) | Kind::BranchIf(t) | Kind::BranchIfNot(t) => *t = Some(target),
                _ => {}
            }
        }
        Ok(Program {
            cmds: self.cmds,
            hash_n,
        })
    }

    fn err_at_zero(&self, msg: &str) -> Bad {
        let loc = match self.chunks.last() {
            Some(Chunk {
                origin: Origin::File(f),
                ..
            }) => format!("file {f} line 0"),
            Some(Chunk {
                origin: Origin::Expr(n),
                ..
            }) => format!("-e expression #{n}, char 0"),
            None => "-e expression #1, char 0".into(),
        };
        Bad {
            msg: format!("{loc}: {msg}"),
            status: 1,
        }
    }

    fn number(&mut self) -> u64 {
        let mut v: u64 = 0;
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            v = v.saturating_mul(10).saturating_add(c as u64 - '0' as u64);
            self.i += 1;
        }
        v
    }

    /// An address regex after its opening delimiter, with its flags.
    fn addr_regex(&mut self, delim: char) -> Result<Option<Rc<Regex>>, Bad> {
        let Some(raw) = self.delimited(delim, true) else {
            return Err(self.err("unterminated address regex"));
        };
        let mut o = Options {
            sed: true,
            ..Options::default()
        };
        loop {
            match self.peek() {
                Some('I') => o.icase = true,
                Some('M') => o.multiline = true,
                _ => break,
            }
            self.i += 1;
        }
        self.regex(&raw, &o)
    }

    fn regex(&mut self, raw: &str, o: &Options) -> Result<Option<Rc<Regex>>, Bad> {
        if raw.is_empty() {
            if !self.seen_regex {
                return Err(self.err_at_zero("no previous regular expression"));
            }
            return Ok(None);
        }
        self.seen_regex = true;
        let f = if self.ere {
            Flavor::Extended
        } else {
            Flavor::Basic
        };
        match Regex::with_options(raw, f, o) {
            Ok(r) => Ok(Some(Rc::new(r))),
            Err(e) if e.starts_with("character class syntax is") => Err(Bad { msg: e, status: 4 }),
            Err(e) => Err(self.err(&e)),
        }
    }

    /// Text up to an unescaped `delim`: `\delim` becomes `delim` outside
    /// brackets; in a regex, brackets are skipped whole (`[/]`). None: the
    /// script ended (or a newline came) first.
    fn delimited(&mut self, delim: char, regex: bool) -> Option<String> {
        let mut out = String::new();
        loop {
            let c = self.getc()?;
            if c == delim {
                return Some(out);
            }
            match c {
                '\n' => {
                    // Unread, for GNU's position in the message.
                    self.i -= 1;
                    return None;
                }
                '\\' => {
                    let d = self.getc()?;
                    if d == delim {
                        out.push(d);
                    } else if d == '\n' && !regex {
                        out.push('\n');
                    } else {
                        out.push('\\');
                        out.push(d);
                    }
                }
                '[' if regex => {
                    out.push('[');
                    // A bracket: `^`, a leading `]`, classes, then `]`.
                    let mut body = String::new();
                    if self.peek() == Some('^') {
                        body.push('^');
                        self.i += 1;
                    }
                    if self.peek() == Some(']') {
                        body.push(']');
                        self.i += 1;
                    }
                    let mut closed = false;
                    while let Some(b) = self.getc() {
                        if b == '\n' {
                            break;
                        }
                        body.push(b);
                        if b == '[' && matches!(self.peek(), Some(':' | '.' | '=')) {
                            let k = self.getc().unwrap_or(':');
                            body.push(k);
                            while let Some(x) = self.getc() {
                                body.push(x);
                                if x == k && self.peek() == Some(']') {
                                    self.i += 1;
                                    body.push(']');
                                    break;
                                }
                            }
                            continue;
                        }
                        if b == ']' {
                            closed = true;
                            break;
                        }
                    }
                    if !closed {
                        // GNU reads to the end looking for the `]`.
                        return None;
                    }
                    out.push_str(&body);
                }
                c => out.push(c),
            }
        }
    }

    fn command(&mut self) -> Result<(), Bad> {
        let mut a1 = None;
        let mut a2 = None;
        let c0 = self.peek();
        match c0 {
            Some(c) if c.is_ascii_digit() => {
                let n = self.number();
                if self.peek() == Some('~') {
                    self.i += 1;
                    let step = self.number();
                    a1 = Some(if n == 0 && step == 0 {
                        Addr::Zero
                    } else {
                        Addr::Step(n, step)
                    });
                } else if n == 0 {
                    a1 = Some(Addr::Zero);
                } else {
                    a1 = Some(Addr::Line(n));
                }
            }
            Some('$') => {
                self.i += 1;
                a1 = Some(Addr::Last);
            }
            Some('/') => {
                self.i += 1;
                a1 = Some(Addr::Re(self.addr_regex('/')?));
            }
            Some('\\') => {
                self.i += 1;
                let Some(d) = self.getc() else {
                    return Err(self.err("unexpected end of file"));
                };
                a1 = Some(Addr::Re(self.addr_regex(d)?));
            }
            Some('+' | '~') => {
                self.i += 1;
                self.number();
                return Err(self.err("invalid usage of +N or ~N as first address"));
            }
            _ => {}
        }
        if a1.is_some() {
            self.skip_ws();
            if self.peek() == Some(',') {
                self.i += 1;
                self.skip_ws();
                a2 = Some(match self.peek() {
                    Some(c) if c.is_ascii_digit() => Addr2::Line(self.number()),
                    Some('+') => {
                        self.i += 1;
                        Addr2::Plus(self.number())
                    }
                    Some('~') => {
                        self.i += 1;
                        Addr2::Tilde(self.number())
                    }
                    Some('$') => {
                        self.i += 1;
                        Addr2::Last
                    }
                    Some('/') => {
                        self.i += 1;
                        Addr2::Re(self.addr_regex('/')?)
                    }
                    Some('\\') => {
                        self.i += 1;
                        let Some(d) = self.getc() else {
                            return Err(self.err("unexpected `,'"));
                        };
                        Addr2::Re(self.addr_regex(d)?)
                    }
                    _ => {
                        self.getc();
                        return Err(self.err("unexpected `,'"));
                    }
                });
            }
        }
        self.skip_ws();
        let mut neg = false;
        if self.peek() == Some('!') {
            self.i += 1;
            neg = true;
            self.skip_ws();
            if self.peek() == Some('!') {
                self.i += 1;
                return Err(self.err("multiple `!'s"));
            }
        }
        let Some(c) = self.getc() else {
            return Err(self.err("missing command"));
        };
        let zero = matches!(a1, Some(Addr::Zero));
        if zero && !matches!(a2, Some(Addr2::Re(_))) {
            return Err(self.err("invalid usage of line address 0"));
        }
        let has_addr = a1.is_some();
        let kind = match c {
            '{' => {
                if self.blocks.len() >= MAX_BLOCKS {
                    return Err(self.err("unmatched `{'"));
                }
                self.blocks.push(self.cmds.len());
                self.cmds.push(Cmd {
                    a1,
                    a2,
                    neg,
                    kind: Kind::Block(0),
                });
                return Ok(());
            }
            '}' => {
                if has_addr {
                    return Err(self.err("unexpected `}'"));
                }
                let Some(open) = self.blocks.pop() else {
                    return Err(self.err("unexpected `}'"));
                };
                let end = self.cmds.len() + 1;
                self.cmds[open].kind = Kind::Block(end);
                self.end_of_cmd()?;
                Kind::EndBlock
            }
            '#' => {
                if has_addr {
                    return Err(self.err("comments don't accept any addresses"));
                }
                while let Some(c) = self.getc() {
                    if c == '\n' {
                        break;
                    }
                }
                Kind::Nop
            }
            ':' => {
                if has_addr {
                    return Err(self.err(": doesn't want any addresses"));
                }
                self.skip_ws();
                let label = self.label();
                if label.is_empty() {
                    return Err(self.err("\":\" lacks a label"));
                }
                self.labels.insert(label, self.cmds.len());
                Kind::Nop
            }
            'a' | 'i' | 'c' => {
                let text = self.text()?;
                match c {
                    'a' => Kind::Append(text),
                    'i' => Kind::Insert(text),
                    _ => Kind::Change(text),
                }
            }
            'b' | 't' | 'T' => {
                self.skip_ws();
                let label = self.label();
                if !label.is_empty() {
                    self.jumps.push((self.cmds.len(), label));
                }
                match c {
                    'b' => Kind::Branch(None),
                    't' => Kind::BranchIf(None),
                    _ => Kind::BranchIfNot(None),
                }
            }
            'r' | 'R' | 'w' | 'W' => {
                let f = self.filename()?;
                match c {
                    'r' => Kind::ReadFile(f),
                    'R' => Kind::ReadLine(f),
                    'w' => Kind::Write(f),
                    _ => Kind::WriteFirst(f),
                }
            }
            'q' | 'Q' | 'l' | 'L' => {
                if a2.is_some() && matches!(c, 'q' | 'Q') {
                    return Err(self.err("command only uses one address"));
                }
                self.skip_ws();
                let n = self
                    .peek()
                    .filter(char::is_ascii_digit)
                    .map(|_| self.number());
                self.end_of_cmd()?;
                match c {
                    'q' => Kind::Quit(n.unwrap_or(0) as i32),
                    'Q' => Kind::QuitSilent(n.unwrap_or(0) as i32),
                    'l' => Kind::List(n.map(|n| n as usize)),
                    // Gone from 4.9's executor, still parsed.
                    _ => Kind::BadL,
                }
            }
            's' => Kind::S(Box::new(self.subst()?)),
            'y' => self.translate()?,
            'v' => {
                self.skip_ws();
                let v = self.label();
                let mut it = v.split('.').map(|x| x.parse::<u64>().unwrap_or(0));
                let (major, minor) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
                if (major, minor) > (4, 9) {
                    return Err(self.err("expected newer version of sed"));
                }
                Kind::Nop
            }
            '=' | 'd' | 'D' | 'g' | 'G' | 'h' | 'H' | 'n' | 'N' | 'p' | 'P' | 'x' | 'z' | 'F' => {
                self.end_of_cmd()?;
                match c {
                    '=' => Kind::Eq,
                    'd' => Kind::Delete,
                    'D' => Kind::DeleteFirst,
                    'g' => Kind::Get,
                    'G' => Kind::GetAppend,
                    'h' => Kind::Hold,
                    'H' => Kind::HoldAppend,
                    'n' => Kind::Next,
                    'N' => Kind::NextAppend,
                    'p' => Kind::Print,
                    'P' => Kind::PrintFirst,
                    'x' => Kind::Exchange,
                    'z' => Kind::Zap,
                    _ => Kind::FileName,
                }
            }
            c => return Err(self.err(&format!("unknown command: `{c}'"))),
        };
        self.cmds.push(Cmd { a1, a2, neg, kind });
        Ok(())
    }

    /// After a command: blanks, then the end, `;`, a newline, `}` or `#`.
    fn end_of_cmd(&mut self) -> Result<(), Bad> {
        self.skip_ws();
        match self.peek() {
            None | Some('\n' | ';') => {
                self.getc();
                Ok(())
            }
            Some('}' | '#') => Ok(()),
            Some(_) => {
                self.getc();
                Err(self.err("extra characters after command"))
            }
        }
    }

    /// A label: up to a blank, a newline, `;` or `}` (GNU 4.9's read_label;
    /// what follows is the next command).
    fn label(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == ';' || c == '}' {
                break;
            }
            s.push(c);
            self.i += 1;
        }
        s
    }

    fn filename(&mut self) -> Result<String, Bad> {
        self.skip_ws();
        let mut s = String::new();
        while let Some(c) = self.getc() {
            if c == '\n' {
                break;
            }
            s.push(c);
        }
        if s.is_empty() {
            return Err(self.err("missing filename in r/R/w/W commands"));
        }
        Ok(s)
    }

    /// The text of a, i, c: GNU's one-line form (`a text`, `a\text`) or
    /// the classic `a\` newline `text`, lines continued by `\`.
    fn text(&mut self) -> Result<Vec<u8>, Bad> {
        self.skip_ws();
        match self.peek() {
            None => return Err(self.err("expected \\ after `a', `c' or `i'")),
            Some('\\') => {
                self.i += 1;
                if self.peek() == Some('\n') {
                    self.i += 1;
                }
            }
            _ => {}
        }
        let mut s = String::new();
        while let Some(c) = self.getc() {
            match c {
                '\\' => match self.getc() {
                    Some(d) => s.push(d),
                    None => break,
                },
                '\n' => break,
                c => s.push(c),
            }
        }
        if s.is_empty() {
            return Ok(Vec::new());
        }
        s.push('\n');
        Ok(s.into_bytes())
    }

    fn subst(&mut self) -> Result<Subst, Bad> {
        let unterminated = "unterminated `s' command";
        let delim = match self.getc() {
            Some(d) if d != '\n' && d != '\\' => d,
            _ => return Err(self.err(unterminated)),
        };
        let Some(raw) = self.delimited(delim, true) else {
            return Err(self.err(unterminated));
        };
        let Some(rep) = self.delimited(delim, false) else {
            return Err(self.err(unterminated));
        };
        let mut s = Subst {
            re: None,
            repl: Vec::new(),
            global: false,
            print: 0,
            nth: 0,
            wfile: None,
        };
        let mut o = Options {
            sed: true,
            ..Options::default()
        };
        while let Some(c) = self.getc() {
            match c {
                'g' => {
                    if s.global {
                        return Err(self.err("multiple `g' options to `s' command"));
                    }
                    s.global = true;
                }
                'p' => {
                    if s.print > 0 {
                        return Err(self.err("multiple `p' options to `s' command"));
                    }
                    s.print = 1;
                }
                'i' | 'I' => o.icase = true,
                'm' | 'M' => o.multiline = true,
                'e' => {}
                '0'..='9' => {
                    if s.nth > 0 {
                        return Err(self.err("multiple number options to `s' command"));
                    }
                    self.i -= 1;
                    let n = self.number();
                    if n == 0 {
                        return Err(self.err("number option to `s' command may not be zero"));
                    }
                    s.nth = n;
                }
                'w' => {
                    s.wfile = Some(self.filename()?);
                    break;
                }
                ' ' | '\t' => {}
                '\n' | ';' => break,
                '}' | '#' => {
                    self.i -= 1;
                    break;
                }
                _ => return Err(self.err("unknown option to `s'")),
            }
        }
        s.re = self.regex(&raw, &o)?;
        let (repl, max_ref) = parse_replacement(&rep);
        if let (Some(re), Some(n)) = (&s.re, max_ref) {
            if n > re.groups() {
                return Err(self.err(&format!("invalid reference \\{n} on `s' command's RHS")));
            }
        }
        s.repl = repl;
        Ok(s)
    }

    fn translate(&mut self) -> Result<Kind, Bad> {
        let unterminated = "unterminated `y' command";
        let delim = match self.getc() {
            Some(d) if d != '\n' && d != '\\' => d,
            _ => return Err(self.err(unterminated)),
        };
        let mut parts = Vec::new();
        for _ in 0..2 {
            let mut out = Vec::new();
            loop {
                let Some(c) = self.getc() else {
                    return Err(self.err(unterminated));
                };
                if c == '\n' {
                    self.i -= 1;
                    return Err(self.err(unterminated));
                }
                if c == delim {
                    break;
                }
                if c == '\\' {
                    match self.getc() {
                        Some('n') => out.push('\n'),
                        Some('\\') => out.push('\\'),
                        Some(d) if d == delim => out.push(d),
                        Some(d) => {
                            out.push('\\');
                            out.push(d);
                        }
                        None => return Err(self.err(unterminated)),
                    }
                } else {
                    out.push(c);
                }
            }
            parts.push(out);
        }
        if parts[0].len() != parts[1].len() {
            return Err(self.err("strings for `y' command are different lengths"));
        }
        self.end_of_cmd()?;
        let map = parts[0]
            .iter()
            .copied()
            .zip(parts[1].iter().copied())
            .collect();
        Ok(Kind::Translate(map))
    }
}

/// The replacement of `s`, and the highest `\N` it names.
fn parse_replacement(rep: &str) -> (Vec<Repl>, Option<usize>) {
    let mut out = Vec::new();
    let mut lit: Vec<u8> = Vec::new();
    let mut max_ref = None;
    let chars: Vec<char> = rep.chars().collect();
    let mut i = 0;
    let flush = |lit: &mut Vec<u8>, out: &mut Vec<Repl>| {
        if !lit.is_empty() {
            out.push(Repl::Lit(std::mem::take(lit)));
        }
    };
    let mut buf = [0u8; 4];
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c == '&' {
            flush(&mut lit, &mut out);
            out.push(Repl::Group(0));
            continue;
        }
        if c != '\\' {
            lit.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let Some(&d) = chars.get(i) else {
            lit.push(b'\\');
            break;
        };
        i += 1;
        match d {
            '0'..='9' => {
                flush(&mut lit, &mut out);
                let n = d as usize - '0' as usize;
                if n > 0 {
                    max_ref = max_ref.max(Some(n));
                }
                out.push(Repl::Group(n));
            }
            'U' | 'L' | 'E' => {
                flush(&mut lit, &mut out);
                out.push(Repl::Case(d as u8));
            }
            'u' | 'l' => {
                flush(&mut lit, &mut out);
                out.push(Repl::One(d as u8));
            }
            'n' => lit.push(b'\n'),
            'c' => match chars.get(i) {
                Some(&x) => {
                    i += 1;
                    lit.push((x.to_ascii_uppercase() as u8) ^ 0x40);
                }
                None => lit.push(b'\\'),
            },
            'd' | 'o' | 'x' => {
                let (radix, max) = match d {
                    'd' => (10, 3),
                    'o' => (8, 3),
                    _ => (16, 2),
                };
                let mut v: u32 = 0;
                let mut n = 0;
                while n < max {
                    match chars.get(i).and_then(|c| c.to_digit(radix)) {
                        Some(x) => {
                            v = v * radix + x;
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    lit.push(d as u8);
                } else {
                    lit.push(v as u8);
                }
            }
            d => match crate::posix_re::sed_escape(d) {
                Some(e) => lit.push(e as u8),
                None => lit.extend_from_slice(d.encode_utf8(&mut buf).as_bytes()),
            },
        }
    }
    flush(&mut lit, &mut out);
    (out, max_ref)
}

/// The input: the files, read as the cycle reaches them.
struct Input {
    files: Vec<String>,
    /// Index of the next file to open.
    next_file: usize,
    data: Vec<u8>,
    pos: usize,
    /// The file F names: the one whose data is loaded.
    name: String,
    delim: u8,
}

/// Where pattern-space output goes: stdout, or the file being edited.
struct Out {
    buf: Vec<u8>,
    missing_newline: bool,
}

impl Out {
    fn write(&mut self, b: &[u8]) {
        if self.missing_newline {
            self.buf.push(b'\n');
            self.missing_newline = false;
        }
        self.buf.extend_from_slice(b);
    }
}

struct Sed<'p> {
    prog: &'p Program,
    quiet: bool,
    delim: u8,
    line_len: usize,
    /// Pattern space, and whether its line ended in a newline.
    ps: Vec<u8>,
    chomped: bool,
    hs: Vec<u8>,
    /// Whether the hold space "ends in a newline": GNU keeps that flag
    /// with each buffer and g/G/h/H/x carry it along.
    hs_chomped: bool,
    line: u64,
    tflag: bool,
    append: Vec<Append>,
    quit: Option<i32>,
    range: Vec<Range>,
    last_re: Option<Rc<Regex>>,
    /// Files of w, by name: their content so far.
    wfiles: Vec<(String, Vec<u8>)>,
    /// R's files: their lines and the next one.
    rfiles: HashMap<String, (Vec<u8>, usize)>,
    status: i32,
    steps: u64,
    err: Vec<u8>,
}

enum Append {
    Text(Vec<u8>),
    File(String),
    Line(Vec<u8>),
}

#[derive(Clone, Copy, Default)]
enum Range {
    #[default]
    Off,
    /// Active; for `+N` / line ends, the last line.
    On(u64),
    /// Done for good (a `0,/re/` or a line range that cannot match again).
    Done,
}

/// `sed [OPTION]... {script-only-if-no-other-script} [input-file]...`
pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let (opts, mut operands) = match getopt(args, "bsnrzuEe:f:l:i::", LONG) {
        Ok(x) => x,
        Err(e) => {
            ctx.eprint(&format!("sed: {e}\n{USAGE}"));
            return 1;
        }
    };
    let mut script = String::new();
    let mut chunks = Vec::new();
    let mut exprs = 0;
    let (mut quiet, mut ere, mut separate, mut zero) = (false, false, false, false);
    let mut in_place: Option<String> = None;
    let mut line_len = 70usize;
    let add = |script: &mut String, chunks: &mut Vec<Chunk>, text: &str, origin: Origin| {
        if !script.is_empty() {
            script.push('\n');
        }
        chunks.push(Chunk {
            start: script.chars().count(),
            origin,
        });
        script.push_str(text);
    };
    for (k, v) in opts {
        match k.as_str() {
            "n" => quiet = true,
            "E" | "r" => ere = true,
            "s" => separate = true,
            "z" => zero = true,
            "i" => {
                in_place = Some(v.unwrap_or_default());
                separate = true;
            }
            // atoi(3): leading digits, else 0.
            "l" => {
                let v = v.unwrap_or_default();
                let digits: String = v
                    .trim_start()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                line_len = digits.parse().unwrap_or(0);
            }
            "e" => {
                exprs += 1;
                add(
                    &mut script,
                    &mut chunks,
                    &v.unwrap_or_default(),
                    Origin::Expr(exprs),
                );
            }
            "f" => {
                let f = v.unwrap_or_default();
                let data = if f == "-" {
                    ctx.stdin.take().unwrap_or_default()
                } else {
                    match ctx.fs.read(&f) {
                        Ok(d) => d,
                        Err(e) => {
                            ctx.eprint(&format!(
                                "sed: couldn't open file {f}: {}\n",
                                vnet_fs::strerror(&e)
                            ));
                            return 4;
                        }
                    }
                };
                let text = String::from_utf8_lossy(&data).into_owned();
                let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
                add(&mut script, &mut chunks, &text, Origin::File(f));
            }
            "help" => {
                ctx.print(USAGE);
                ctx.print("E-mail bug reports to: <bug-sed@gnu.org>.\n");
                return 0;
            }
            "version" => {
                ctx.print(VERSION);
                return 0;
            }
            _ => {} // -b -u --posix --debug --sandbox --follow-symlinks
        }
    }
    if chunks.is_empty() {
        if operands.is_empty() {
            ctx.eprint(USAGE);
            return 1;
        }
        let s = operands.remove(0);
        add(&mut script, &mut chunks, &s, Origin::Expr(1));
    }
    let parser = Parser {
        s: script.chars().collect(),
        i: 0,
        chunks: &chunks,
        ere,
        cmds: Vec::new(),
        blocks: Vec::new(),
        labels: HashMap::new(),
        jumps: Vec::new(),
        seen_regex: false,
    };
    let prog = match parser.compile() {
        Ok(p) => p,
        Err(b) => {
            ctx.eprint(&format!("sed: {}\n", b.msg));
            return b.status;
        }
    };
    if in_place.is_some() && operands.is_empty() {
        ctx.eprint("sed: no input files\n");
        return 4;
    }
    if operands.is_empty() {
        operands.push("-".into());
    }
    let mut sed = Sed {
        prog: &prog,
        quiet: quiet || prog.hash_n,
        delim: if zero { 0 } else { b'\n' },
        line_len,
        ps: Vec::new(),
        chomped: true,
        hs: Vec::new(),
        hs_chomped: true,
        line: 0,
        tflag: false,
        append: Vec::new(),
        quit: None,
        range: vec![Range::Off; prog.cmds.len()],
        last_re: None,
        wfiles: Vec::new(),
        rfiles: HashMap::new(),
        status: 0,
        steps: 0,
        err: Vec::new(),
    };
    // w files are created (emptied) before the first line, as GNU opens them.
    for c in &prog.cmds {
        let f = match &c.kind {
            Kind::Write(f) | Kind::WriteFirst(f) => Some(f),
            Kind::S(s) => s.wfile.as_ref(),
            _ => None,
        };
        if let Some(f) = f {
            if !sed.wfiles.iter().any(|(n, _)| n == f) && f != "/dev/stdout" && f != "/dev/stderr" {
                sed.wfiles.push((f.clone(), Vec::new()));
            }
        }
    }
    let mut out = Out {
        buf: Vec::new(),
        missing_newline: false,
    };
    if let Some(suffix) = &in_place {
        for f in operands.clone() {
            if sed.quit.is_some() {
                break;
            }
            match ctx.fs.metadata(&f) {
                Ok(m) if m.kind != vnet_fs::Kind::File => {
                    ctx.eprint(&format!("sed: couldn't edit {f}: not a regular file\n"));
                    sed.status = 4;
                    continue;
                }
                _ => {}
            }
            let data = match ctx.fs.read(&f) {
                Ok(d) => d,
                Err(e) => {
                    ctx.eprint(&format!("sed: can't read {f}: {}\n", vnet_fs::strerror(&e)));
                    sed.status = 2;
                    continue;
                }
            };
            let mut input = Input {
                files: Vec::new(),
                next_file: 0,
                data: data.clone(),
                pos: 0,
                name: f.clone(),
                delim: sed.delim,
            };
            sed.line = 0;
            sed.range = vec![Range::Off; prog.cmds.len()];
            let mut fout = Out {
                buf: Vec::new(),
                missing_newline: false,
            };
            sed.run(ctx, &mut input, &mut fout, Some(&mut out));
            if !suffix.is_empty() {
                let backup = backup_name(&f, suffix);
                let _ = ctx.fs.write(&backup, &data, false);
            }
            if let Err(e) = ctx.fs.write(&f, &fout.buf, false) {
                ctx.eprint(&format!(
                    "sed: couldn't open temporary file {f}: {}\n",
                    vnet_fs::strerror(&e)
                ));
                sed.status = 4;
            }
        }
    } else if separate {
        for f in operands.clone() {
            if sed.quit.is_some() {
                break;
            }
            let mut input = Input {
                files: vec![f],
                next_file: 0,
                data: Vec::new(),
                pos: 0,
                name: String::new(),
                delim: sed.delim,
            };
            sed.line = 0;
            sed.run(ctx, &mut input, &mut out, None);
            if sed.status == 4 {
                break;
            }
        }
    } else {
        let mut input = Input {
            files: operands,
            next_file: 0,
            data: Vec::new(),
            pos: 0,
            name: String::new(),
            delim: sed.delim,
        };
        sed.run(ctx, &mut input, &mut out, None);
    }
    ctx.out.extend_from_slice(&out.buf);
    let err = std::mem::take(&mut sed.err);
    ctx.err.extend_from_slice(&err);
    for (name, data) in std::mem::take(&mut sed.wfiles) {
        if let Err(e) = ctx.fs.write(&name, &data, false) {
            ctx.eprint(&format!(
                "sed: couldn't open file {name}: {}\n",
                vnet_fs::strerror(&e)
            ));
            return 4;
        }
    }
    match sed.quit {
        Some(code) if sed.status == 0 => code,
        _ => sed.status,
    }
}

fn backup_name(f: &str, suffix: &str) -> String {
    if suffix.contains('*') {
        let (dir, base) = match f.rfind('/') {
            Some(i) => (&f[..=i], &f[i + 1..]),
            None => ("", f),
        };
        let b = suffix.replace('*', base);
        if b.contains('/') {
            b
        } else {
            format!("{dir}{b}")
        }
    } else {
        format!("{f}{suffix}")
    }
}

impl Input {
    /// Moves to the next readable file with data; false when none is left.
    fn open_next(&mut self, ctx: &mut Ctx, err: &mut Vec<u8>, status: &mut i32) -> bool {
        while self.next_file < self.files.len() {
            let f = self.files[self.next_file].clone();
            self.next_file += 1;
            let data = if f == "-" {
                Ok(ctx.stdin.take().unwrap_or_default())
            } else {
                match ctx.fs.metadata(&f) {
                    Ok(m) if m.kind == vnet_fs::Kind::Dir => {
                        err.extend_from_slice(
                            format!("sed: read error on {f}: Is a directory\n").as_bytes(),
                        );
                        *status = 4;
                        self.files.clear();
                        return false;
                    }
                    _ => ctx.fs.read(&f),
                }
            };
            match data {
                Ok(d) => {
                    self.data = d;
                    self.pos = 0;
                    // F names it from now on, as GNU's lookahead for `$`
                    // makes it current before its first line.
                    self.name = f;
                    if !self.data.is_empty() {
                        return true;
                    }
                }
                Err(e) => {
                    err.extend_from_slice(
                        format!("sed: can't read {f}: {}\n", vnet_fs::strerror(&e)).as_bytes(),
                    );
                    *status = 2;
                }
            }
        }
        false
    }

    /// The next line and whether it ended with the delimiter.
    fn next_line(
        &mut self,
        ctx: &mut Ctx,
        err: &mut Vec<u8>,
        status: &mut i32,
    ) -> Option<(Vec<u8>, bool)> {
        if self.pos >= self.data.len() && !self.open_next(ctx, err, status) {
            return None;
        }
        let rest = &self.data[self.pos..];
        match rest.iter().position(|&b| b == self.delim) {
            Some(p) => {
                let l = rest[..p].to_vec();
                self.pos += p + 1;
                Some((l, true))
            }
            None => {
                let l = rest.to_vec();
                self.pos = self.data.len();
                Some((l, false))
            }
        }
    }

    /// Whether the line just read is the last one (later files are
    /// opened to know, as GNU does).
    fn is_last(&mut self, ctx: &mut Ctx, err: &mut Vec<u8>, status: &mut i32) -> bool {
        if self.pos < self.data.len() {
            return false;
        }
        // Peek at later files without losing the current name.
        !self.open_next(ctx, err, status)
    }
}

/// Escapes of `l`.
fn list_line(ps: &[u8], width: usize, out: &mut Vec<u8>) {
    let mut col = 0usize;
    let piece = |s: &str, out: &mut Vec<u8>, col: &mut usize| {
        if width > 0 && *col + s.len() > width - 1 {
            out.extend_from_slice(b"\\\n");
            *col = 0;
        }
        out.extend_from_slice(s.as_bytes());
        *col += s.len();
    };
    for &b in ps {
        let s = match b {
            b'\\' => "\\\\".to_string(),
            0x07 => "\\a".into(),
            0x08 => "\\b".into(),
            0x0c => "\\f".into(),
            b'\n' => "\\n".into(),
            b'\r' => "\\r".into(),
            b'\t' => "\\t".into(),
            0x0b => "\\v".into(),
            0x20..=0x7e => (b as char).to_string(),
            _ => format!("\\{b:03o}"),
        };
        piece(&s, out, &mut col);
    }
    out.extend_from_slice(b"$\n");
}

impl Sed<'_> {
    fn run(&mut self, ctx: &mut Ctx, input: &mut Input, out: &mut Out, mut side: Option<&mut Out>) {
        let mut err = Vec::new();
        let mut status = self.status;
        let mut restart_without_read = false;
        loop {
            if !restart_without_read {
                let Some((l, nl)) = input.next_line(ctx, &mut err, &mut status) else {
                    break;
                };
                self.ps = l;
                self.chomped = nl;
                self.line += 1;
                self.tflag = false;
            }
            restart_without_read = false;
            let end = self.cycle(ctx, input, out, side.as_deref_mut(), &mut err, &mut status);
            match end {
                CycleEnd::Normal => {
                    if !self.quiet {
                        self.emit_ps(out);
                    }
                }
                CycleEnd::Delete => {}
                CycleEnd::Restart => restart_without_read = true,
                CycleEnd::EndOfInput => {
                    if !self.quiet {
                        self.emit_ps(out);
                    }
                    self.flush_append(ctx, out);
                    break;
                }
                CycleEnd::Quit(code, print) => {
                    // q prints and flushes the appends; Q does neither.
                    if print {
                        if !self.quiet {
                            self.emit_ps(out);
                        }
                        self.flush_append(ctx, out);
                        // q ends its output with a newline, even after a
                        // last line that had none.
                        if out.missing_newline {
                            out.missing_newline = false;
                            out.buf.push(b'\n');
                        }
                    }
                    self.quit = Some(code);
                    break;
                }
                CycleEnd::Abort(msg) => {
                    err.extend_from_slice(msg.as_bytes());
                    status = 4;
                    self.quit = Some(4);
                    break;
                }
            }
            self.flush_append(ctx, out);
        }
        self.err.extend_from_slice(&err);
        self.status = status;
    }

    fn emit_ps(&mut self, out: &mut Out) {
        out.write(&self.ps);
        if self.chomped {
            out.buf.push(self.delim);
        } else {
            out.missing_newline = true;
        }
    }

    fn flush_append(&mut self, ctx: &mut Ctx, out: &mut Out) {
        for a in std::mem::take(&mut self.append) {
            match a {
                Append::Text(t) | Append::Line(t) => out.write(&t),
                Append::File(f) => {
                    if let Ok(d) = ctx.fs.read(&f) {
                        if !d.is_empty() {
                            out.write(&d);
                        }
                    }
                }
            }
        }
    }

    fn matches_re(&mut self, re: &Option<Rc<Regex>>) -> Result<bool, String> {
        let r = match re {
            Some(r) => {
                self.last_re = Some(r.clone());
                r.clone()
            }
            None => match &self.last_re {
                Some(r) => r.clone(),
                None => return Err("sed: no previous regular expression\n".into()),
            },
        };
        Ok(r.is_match(&self.ps))
    }

    fn addr1(&mut self, a: &Addr, last: &mut dyn FnMut() -> bool) -> Result<bool, String> {
        Ok(match a {
            Addr::Line(n) => self.line == *n,
            Addr::Last => last(),
            Addr::Re(r) => self.matches_re(r)?,
            Addr::Step(f, s) => {
                if *s == 0 {
                    self.line == *f
                } else {
                    self.line >= *f && (self.line - f).is_multiple_of(*s)
                }
            }
            Addr::Zero => false,
        })
    }

    fn selected(&mut self, i: usize, last: &mut dyn FnMut() -> bool) -> Result<bool, String> {
        let cmd = &self.prog.cmds[i];
        let Some(a1) = &cmd.a1 else {
            return Ok(true);
        };
        let Some(a2) = &cmd.a2 else {
            return self.addr1(a1, last);
        };
        let line = self.line;
        match self.range[i] {
            Range::On(end) => {
                let closes = match a2 {
                    // Past the end (its line skipped by n, N, d or a
                    // branch): GNU closes the range; this line is still
                    // in it after +N or ~N, not after a line number.
                    Addr2::Line(_) if line > end => {
                        self.range[i] = Self::closed(a1);
                        return Ok(false);
                    }
                    Addr2::Line(_) | Addr2::Plus(_) | Addr2::Tilde(_) => line >= end,
                    Addr2::Last => last(),
                    Addr2::Re(r) => self.matches_re(r)?,
                };
                if closes {
                    self.range[i] = Self::closed(a1);
                }
                Ok(true)
            }
            Range::Done => Ok(false),
            Range::Off => {
                if matches!(a1, Addr::Zero) {
                    // Open before line 1 (even if the first lines never
                    // reach this command): check the end now.
                    self.range[i] = Range::On(0);
                    return self.selected(i, last);
                }
                // A first line number skipped over (by n, N or a branch)
                // still opens the range, from here (GNU, not POSIX).
                if let Addr::Line(n) = a1 {
                    if line > *n {
                        if matches!(a2, Addr2::Line(m) if line > *m) {
                            self.range[i] = Range::Done;
                            return Ok(false);
                        }
                        return self.open_range(i, a1, a2, last);
                    }
                }
                self.start_range(i, a1, a2, last)
            }
        }
    }

    /// The state after a range ends: a range that starts at a line
    /// number cannot start again.
    fn closed(a1: &Addr) -> Range {
        match a1 {
            Addr::Zero | Addr::Line(_) => Range::Done,
            _ => Range::Off,
        }
    }

    fn start_range(
        &mut self,
        i: usize,
        a1: &Addr,
        a2: &Addr2,
        last: &mut dyn FnMut() -> bool,
    ) -> Result<bool, String> {
        if !self.addr1(a1, last)? {
            return Ok(false);
        }
        self.open_range(i, a1, a2, last)
    }

    /// The range starts on this line; it may end on it too.
    fn open_range(
        &mut self,
        i: usize,
        a1: &Addr,
        a2: &Addr2,
        last: &mut dyn FnMut() -> bool,
    ) -> Result<bool, String> {
        let line = self.line;
        let single = Self::closed(a1);
        self.range[i] = match a2 {
            Addr2::Line(n) if *n <= line => single,
            Addr2::Line(n) => Range::On(*n),
            Addr2::Plus(0) => single,
            Addr2::Plus(n) => Range::On(line.saturating_add(*n)),
            // To the next multiple of N after the first line (GNU's `2,~2`
            // is lines 2 to 4).
            Addr2::Tilde(0) => single,
            Addr2::Tilde(n) => Range::On((line / n).saturating_add(1).saturating_mul(*n)),
            Addr2::Last if last() => single,
            Addr2::Last | Addr2::Re(_) => Range::On(0),
        };
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    fn cycle(
        &mut self,
        ctx: &mut Ctx,
        input: &mut Input,
        out: &mut Out,
        mut side: Option<&mut Out>,
        err: &mut Vec<u8>,
        status: &mut i32,
    ) -> CycleEnd {
        let prog = self.prog;
        let mut pc = 0;
        while pc < prog.cmds.len() {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                return CycleEnd::Abort("sed: couldn't re-allocate memory\n".into());
            }
            if self.ps.len() > MAX_SPACE || self.hs.len() > MAX_SPACE {
                return CycleEnd::Abort("sed: couldn't re-allocate memory\n".into());
            }
            let cmd = &prog.cmds[pc];
            let sel = {
                let mut cache: Option<bool> = None;
                let mut last = || {
                    *cache.get_or_insert_with(|| {
                        let mut st = *status;
                        let r = input.is_last(ctx, err, &mut st);
                        *status = st;
                        r
                    })
                };
                match self.selected(pc, &mut last) {
                    Ok(s) => s != cmd.neg,
                    Err(m) => return CycleEnd::Abort(m),
                }
            };
            if !sel {
                pc = match cmd.kind {
                    Kind::Block(end) => end,
                    _ => pc + 1,
                };
                continue;
            }
            pc += 1;
            match &cmd.kind {
                Kind::Block(_) | Kind::EndBlock | Kind::Nop => {}
                Kind::BadL => return CycleEnd::Abort("sed: INTERNAL ERROR: Bad cmd L\n".into()),
                Kind::Eq => out.write(format!("{}\n", self.line).as_bytes()),
                Kind::Append(t) => self.append.push(Append::Text(t.clone())),
                Kind::Insert(t) => out.write(t),
                Kind::Change(t) => {
                    let in_range = cmd.a2.is_some() && matches!(self.range[pc - 1], Range::On(_));
                    if !in_range || cmd.neg {
                        out.write(t);
                    }
                    return CycleEnd::Delete;
                }
                Kind::Branch(t) => pc = t.unwrap_or(prog.cmds.len()),
                Kind::BranchIf(t) => {
                    if self.tflag {
                        self.tflag = false;
                        pc = t.unwrap_or(prog.cmds.len());
                    }
                }
                Kind::BranchIfNot(t) => {
                    if self.tflag {
                        self.tflag = false;
                    } else {
                        pc = t.unwrap_or(prog.cmds.len());
                    }
                }
                Kind::Delete => return CycleEnd::Delete,
                Kind::DeleteFirst => match self.ps.iter().position(|&b| b == b'\n') {
                    None => return CycleEnd::Delete,
                    Some(p) => {
                        self.ps.drain(..=p);
                        self.flush_append(ctx, out);
                        return CycleEnd::Restart;
                    }
                },
                Kind::Get => {
                    self.ps = self.hs.clone();
                    self.chomped = self.hs_chomped;
                }
                Kind::GetAppend => {
                    self.ps.push(b'\n');
                    self.ps.extend_from_slice(&self.hs.clone());
                    self.chomped = self.hs_chomped;
                }
                Kind::Hold => {
                    self.hs = self.ps.clone();
                    self.hs_chomped = self.chomped;
                }
                Kind::HoldAppend => {
                    self.hs.push(b'\n');
                    self.hs.extend_from_slice(&self.ps.clone());
                    self.hs_chomped = self.chomped;
                }
                Kind::Exchange => {
                    std::mem::swap(&mut self.ps, &mut self.hs);
                    std::mem::swap(&mut self.chomped, &mut self.hs_chomped);
                }
                Kind::Zap => self.ps.clear(),
                Kind::List(n) => {
                    let mut b = Vec::new();
                    list_line(&self.ps, n.unwrap_or(self.line_len), &mut b);
                    out.write(&b);
                }
                Kind::Next | Kind::NextAppend => {
                    let is_last = {
                        let mut st = *status;
                        let r = input.is_last(ctx, err, &mut st);
                        *status = st;
                        r
                    };
                    if is_last {
                        // GNU: no next line ends the script (printing).
                        return CycleEnd::EndOfInput;
                    }
                    if matches!(cmd.kind, Kind::Next) && !self.quiet {
                        self.emit_ps(out);
                    }
                    self.flush_append(ctx, out);
                    let mut st = *status;
                    let next = input.next_line(ctx, err, &mut st);
                    *status = st;
                    let Some((l, nl)) = next else {
                        return CycleEnd::EndOfInput;
                    };
                    self.line += 1;
                    if matches!(cmd.kind, Kind::Next) {
                        self.ps = l;
                    } else {
                        self.ps.push(b'\n');
                        self.ps.extend_from_slice(&l);
                    }
                    self.chomped = nl;
                }
                Kind::Print => self.emit_ps(out),
                Kind::PrintFirst => match self.ps.iter().position(|&b| b == b'\n') {
                    Some(p) => {
                        let first = self.ps[..=p].to_vec();
                        out.write(&first);
                    }
                    None => self.emit_ps(out),
                },
                Kind::Quit(code) => return CycleEnd::Quit(*code, true),
                Kind::QuitSilent(code) => return CycleEnd::Quit(*code, false),
                Kind::ReadFile(f) => self.append.push(Append::File(f.clone())),
                Kind::ReadLine(f) => {
                    let entry = self
                        .rfiles
                        .entry(f.clone())
                        .or_insert_with(|| (ctx.fs.read(f).unwrap_or_default(), 0));
                    let (data, pos) = entry;
                    if *pos < data.len() {
                        let end = data[*pos..]
                            .iter()
                            .position(|&b| b == b'\n')
                            .map_or(data.len(), |p| *pos + p + 1);
                        let mut l = data[*pos..end].to_vec();
                        if !l.ends_with(b"\n") {
                            l.push(b'\n');
                        }
                        *pos = end;
                        self.append.push(Append::Line(l));
                    }
                }
                Kind::Write(f) => {
                    let mut b = self.ps.clone();
                    b.push(self.delim);
                    self.write_file(f, &b, out, side.as_deref_mut());
                }
                Kind::WriteFirst(f) => {
                    let mut b = match self.ps.iter().position(|&b| b == b'\n') {
                        Some(p) => self.ps[..p].to_vec(),
                        None => self.ps.clone(),
                    };
                    b.push(self.delim);
                    self.write_file(f, &b, out, side.as_deref_mut());
                }
                Kind::Translate(map) => {
                    let s = String::from_utf8_lossy(&self.ps).into_owned();
                    self.ps = s
                        .chars()
                        .map(|c| *map.get(&c).unwrap_or(&c))
                        .collect::<String>()
                        .into_bytes();
                }
                Kind::FileName => {
                    let n = if input.name == "-" || input.name.is_empty() {
                        "-".to_string()
                    } else {
                        input.name.clone()
                    };
                    out.write(format!("{n}\n").as_bytes());
                }
                Kind::S(s) => match self.substitute(s) {
                    Ok(true) => {
                        self.tflag = true;
                        if s.print > 0 {
                            self.emit_ps(out);
                        }
                        if let Some(f) = &s.wfile {
                            let mut b = self.ps.clone();
                            b.push(self.delim);
                            self.write_file(f, &b, out, side.as_deref_mut());
                        }
                    }
                    Ok(false) => {}
                    Err(m) => return CycleEnd::Abort(m),
                },
            }
        }
        CycleEnd::Normal
    }

    /// `w`: /dev/stdout is the real stdout (`side` while editing in place).
    fn write_file(&mut self, f: &str, b: &[u8], out: &mut Out, side: Option<&mut Out>) {
        match f {
            "/dev/stdout" => match side {
                Some(s) => s.write(b),
                None => out.write(b),
            },
            "/dev/stderr" => self.err.extend_from_slice(b),
            _ => {
                if let Some((_, d)) = self.wfiles.iter_mut().find(|(n, _)| n == f) {
                    d.extend_from_slice(b);
                }
            }
        }
    }

    fn substitute(&mut self, s: &Subst) -> Result<bool, String> {
        let re = match &s.re {
            Some(r) => {
                self.last_re = Some(r.clone());
                r.clone()
            }
            None => match &self.last_re {
                Some(r) => r.clone(),
                None => return Err("sed: no previous regular expression\n".into()),
            },
        };
        let hay = std::mem::take(&mut self.ps);
        let mut out = Vec::new();
        let mut pos = 0; // searched from
        let mut copied = 0; // hay[..copied] is in out
        let mut count = 0u64;
        let mut replaced = false;
        let mut prev_end: Option<usize> = None;
        while pos <= hay.len() {
            let Some(caps) = re.captures_at(&hay, pos) else {
                break;
            };
            let Some((ms, me)) = caps[0] else { break };
            if ms == me && prev_end == Some(ms) {
                // An empty match right after the previous match: skip a char.
                if ms >= hay.len() {
                    break;
                }
                pos = next_char(&hay, ms);
                continue;
            }
            count += 1;
            let take = count >= s.nth.max(1) && (s.global || count == s.nth.max(1));
            if take {
                out.extend_from_slice(&hay[copied..ms]);
                expand(&s.repl, &hay, &caps, &mut out);
                copied = me;
                replaced = true;
                if out.len() > MAX_SPACE {
                    return Err("sed: couldn't re-allocate memory\n".into());
                }
            }
            if !s.global && count >= s.nth.max(1) {
                break;
            }
            prev_end = Some(me);
            pos = if me == ms { next_char(&hay, me) } else { me };
            if me == ms && me >= hay.len() {
                break;
            }
        }
        if !replaced {
            self.ps = hay;
            return Ok(false);
        }
        out.extend_from_slice(&hay[copied..]);
        self.ps = out;
        Ok(true)
    }
}

fn next_char(hay: &[u8], at: usize) -> usize {
    let mut p = at + 1;
    while p < hay.len() && (hay[p] & 0xC0) == 0x80 {
        p += 1;
    }
    p
}

/// Writes a replacement, applying `\U \L \E \u \l`.
fn expand(repl: &[Repl], hay: &[u8], caps: &[Option<(usize, usize)>], out: &mut Vec<u8>) {
    let mut mode = b'E';
    let mut one: Option<u8> = None;
    let put = |bytes: &[u8], mode: u8, one: &mut Option<u8>, out: &mut Vec<u8>| {
        let text = String::from_utf8_lossy(bytes);
        if mode == b'E' && one.is_none() {
            out.extend_from_slice(bytes);
            return;
        }
        for c in text.chars() {
            let s: String = match one.take() {
                Some(b'u') => c.to_uppercase().collect(),
                Some(_) => c.to_lowercase().collect(),
                None => match mode {
                    b'U' => c.to_uppercase().collect(),
                    b'L' => c.to_lowercase().collect(),
                    _ => c.to_string(),
                },
            };
            out.extend_from_slice(s.as_bytes());
        }
    };
    for r in repl {
        match r {
            Repl::Lit(b) => put(b, mode, &mut one, out),
            Repl::Group(n) => {
                if let Some(Some((s, e))) = caps.get(*n) {
                    put(&hay[*s..*e], mode, &mut one, out);
                }
            }
            Repl::Case(m) => {
                mode = *m;
                one = None;
            }
            Repl::One(m) => one = Some(*m),
        }
    }
}

enum CycleEnd {
    Normal,
    Delete,
    Restart,
    /// q (print) / Q.
    Quit(i32, bool),
    /// n or N found no next line: the cycle ends as usual, the run too.
    EndOfInput,
    Abort(String),
}

const VERSION: &str = "sed (GNU sed) 4.9
Packaged by Debian
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jay Fenlason, Tom Lord, Ken Pizzini,
Paolo Bonzini, Jim Meyering, and Assaf Gordon.

This sed program was built with SELinux support.
SELinux is disabled on this system.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
E-mail bug reports to: <bug-sed@gnu.org>.
";

/// What GNU sed prints for a usage error (stderr, status 1) and --help.
const USAGE: &str = r#"Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use vnet_fs::{Fs, MemFs};

    fn run_fs(fs: &mut MemFs, args: &[&str], stdin: &str) -> (String, String, i32) {
        let mut ctx = Ctx::new(fs, Some(stdin.as_bytes().to_vec()));
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let rc = main(&mut ctx, &args);
        (
            String::from_utf8_lossy(&ctx.out).into_owned(),
            String::from_utf8_lossy(&ctx.err).into_owned(),
            rc,
        )
    }

    fn run(args: &[&str], stdin: &str) -> (String, String, i32) {
        run_fs(&mut MemFs::new(), args, stdin)
    }

    #[test]
    fn substitution_flags_and_replacements() {
        assert_eq!(run(&["s/a/X/2g"], "banana\n").0, "banXnX\n");
        assert_eq!(run(&["s/b*/X/g"], "abc\n").0, "XaXcX\n");
        assert_eq!(
            run(&["-E", "s/(\\w+) (\\w+)/\\2 \\u\\1/"], "hi there\n").0,
            "there Hi\n"
        );
        assert_eq!(run(&["s/.*/\\U&\\E!/"], "ab\n").0, "AB!\n");
        assert_eq!(run(&["-n", "s/x/y/p"], "a\nx\n").0, "y\n");
        assert_eq!(run(&["s/a\\|ab/[&]/"], "ab\n").0, "[ab]\n");
    }

    #[test]
    fn addresses_and_ranges() {
        let input = "1\n2\n3\n4\n5\n6\n";
        assert_eq!(run(&["-n", "2,4p"], input).0, "2\n3\n4\n");
        assert_eq!(run(&["-n", "4,2p"], input).0, "4\n");
        assert_eq!(run(&["-n", "/2/,+1p"], input).0, "2\n3\n");
        assert_eq!(run(&["-n", "0~2p"], input).0, "2\n4\n6\n");
        assert_eq!(run(&["-n", "0,/[0-9]/p"], input).0, "1\n");
        assert_eq!(run(&["-n", "$p"], input).0, "6\n");
        assert_eq!(run(&["2,5!d"], input).0, "2\n3\n4\n5\n");
    }

    #[test]
    fn hold_space_and_multiline() {
        assert_eq!(run(&["$!N;P;D"], "1\n2\n3\n").0, "1\n2\n3\n");
        assert_eq!(run(&[":a;N;$!ba;s/\\n/,/g"], "1\n2\n3\n").0, "1,2,3\n");
        assert_eq!(run(&["-n", "1!G;h;$p"], "1\n2\n3\n").0, "3\n2\n1\n");
    }

    #[test]
    fn text_commands_and_missing_newline() {
        assert_eq!(
            run(&["-e", "1i\\top", "-e", "$a end"], "x\n").0,
            "top\nx\nend\n"
        );
        assert_eq!(run(&["p"], "a\nb").0, "a\na\nb\nb");
        assert_eq!(run(&["$a end"], "a\nb").0, "a\nb\nend\n");
        assert_eq!(run(&["2c\\new"], "a\nb\nc\n").0, "a\nnew\nc\n");
    }

    #[test]
    fn quit_statuses() {
        assert_eq!(run(&["2q5"], "a\nb\nc\n"), ("a\nb\n".into(), "".into(), 5));
        assert_eq!(run(&["2Q"], "a\nb\nc\n"), ("a\n".into(), "".into(), 0));
    }

    #[test]
    fn in_place_edits_through_the_fs() {
        let mut fs = MemFs::new().with_file("/f", b"one\ntwo\n");
        let (out, err, rc) = run_fs(&mut fs, &["-i.bak", "s/o/0/g", "f"], "");
        assert_eq!((out.as_str(), err.as_str(), rc), ("", "", 0));
        assert_eq!(fs.read("f").unwrap(), b"0ne\ntw0\n");
        assert_eq!(fs.read("f.bak").unwrap(), b"one\ntwo\n");
        let (_, err, rc) = run_fs(&mut fs, &["-i", "p", "nope"], "");
        assert_eq!(err, "sed: can't read nope: No such file or directory\n");
        assert_eq!(rc, 2);
    }

    #[test]
    fn script_errors_are_located() {
        let e = |s: &str| run(&[s], "x\n");
        assert_eq!(
            e("s/a/b"),
            (
                "".into(),
                "sed: -e expression #1, char 5: unterminated `s' command\n".into(),
                1
            )
        );
        assert_eq!(
            e("k").1,
            "sed: -e expression #1, char 1: unknown command: `k'\n"
        );
        assert_eq!(e("{p").1, "sed: -e expression #1, char 0: unmatched `{'\n");
        assert_eq!(e("bx").2, 4);
        let (_, err, _) = run(&["-e", "p", "-e", "}"], "x\n");
        assert_eq!(err, "sed: -e expression #2, char 1: unexpected `}'\n");
    }

    #[test]
    fn endless_loops_end() {
        let (_, err, rc) = run(&[":a;ba"], "x\n");
        assert_eq!(rc, 4);
        assert!(!err.is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1500, failure_persistence: None, ..Default::default() })]

        /// Any script is compiled or refused with a message, and runs
        /// without panicking, within the step bound.
        #[test]
        fn any_script_is_safe(
            script in "[0-9$/,;!{}~+ \\n\\\\sypdDnNgGhHxqQlbtT:aic=rRwWzF&.*^a-c]{0,16}",
            input in "[abc\\n]{0,12}",
            quiet: bool, ere: bool,
        ) {
            let mut args: Vec<&str> = Vec::new();
            if quiet { args.push("-n"); }
            if ere { args.push("-E"); }
            args.push(&script);
            let (_, err, rc) = run(&args, &input);
            // Compile errors are located; a run that ends well says nothing.
            if rc == 1 && !script.contains(['q', 'Q']) {
                proptest::prop_assert!(err.starts_with("sed: -e expression #1, char "), "{}", err);
            }
            if rc == 0 && !script.contains('w') {
                proptest::prop_assert_eq!(err, "");
            }
        }
    }
}
