//! sed's script compiler (GNU's compile.c): the script text, joined from
//! its -e and -f pieces, becomes a list of commands with their addresses;
//! errors carry GNU's location (`-e expression #1, char 5`).

use crate::posix_re::{Flavor, Options, Regex};
use std::collections::HashMap;
use std::rc::Rc;

/// `{` nesting the parser accepts.
const MAX_BLOCKS: usize = 256;

/// One piece of the script and where it came from (for messages).
pub(super) struct Chunk {
    /// Offset of its first character in the joined script.
    pub(super) start: usize,
    pub(super) origin: Origin,
}

pub(super) enum Origin {
    /// The Nth `-e` (or the script operand, #1).
    Expr(usize),
    File(String),
}

#[derive(Clone)]
pub(super) enum Addr {
    Line(u64),
    Last,
    Re(Option<Rc<Regex>>),
    Step(u64, u64),
    /// `0,/re/`: the range is open before line 1.
    Zero,
}

#[derive(Clone)]
pub(super) enum Addr2 {
    Line(u64),
    Last,
    Re(Option<Rc<Regex>>),
    Plus(u64),
    Tilde(u64),
}

#[derive(Debug, Clone)]
pub(super) enum Repl {
    Lit(Vec<u8>),
    Group(usize),
    /// `\U` `\L` `\E`.
    Case(u8),
    /// `\u` `\l`.
    One(u8),
}

pub(super) struct Subst {
    pub(super) re: Option<Rc<Regex>>,
    pub(super) repl: Vec<Repl>,
    pub(super) global: bool,
    pub(super) print: u8,
    pub(super) nth: u64,
    pub(super) wfile: Option<String>,
}

pub(super) enum Kind {
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

pub(super) struct Cmd {
    pub(super) a1: Option<Addr>,
    pub(super) a2: Option<Addr2>,
    pub(super) neg: bool,
    pub(super) kind: Kind,
}

/// The compiled script.
pub(super) struct Program {
    pub(super) cmds: Vec<Cmd>,
    /// `#n` on the first line acts as -n.
    pub(super) hash_n: bool,
}

pub(super) struct Parser<'a> {
    pub(super) s: Vec<char>,
    pub(super) i: usize,
    pub(super) chunks: &'a [Chunk],
    pub(super) ere: bool,
    pub(super) cmds: Vec<Cmd>,
    pub(super) blocks: Vec<usize>,
    pub(super) labels: HashMap<String, usize>,
    /// (command index, label) of every jump, resolved at the end.
    pub(super) jumps: Vec<(usize, String)>,
    /// A regex came before (`//` means the last one used).
    pub(super) seen_regex: bool,
}

/// A script error: the message and whether it has a location.
pub(super) struct Bad {
    pub(super) msg: String,
    /// Exit status (1 for compile errors, 4 for GNU's "panics").
    pub(super) status: i32,
}

impl<'a> Parser<'a> {
    pub(super) fn getc(&mut self) -> Option<char> {
        let c = self.s.get(self.i).copied();
        if c.is_some() {
            self.i += 1;
        }
        c
    }
    pub(super) fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    pub(super) fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
    }

    /// GNU's located message: `-e expression #1, char 5: MSG`.
    pub(super) fn err(&self, msg: &str) -> Bad {
        self.err_at(self.i, msg)
    }
    pub(super) fn err_at(&self, pos: usize, msg: &str) -> Bad {
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

    pub(super) fn compile(mut self) -> Result<Program, Bad> {
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

    pub(super) fn err_at_zero(&self, msg: &str) -> Bad {
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

    pub(super) fn number(&mut self) -> u64 {
        let mut v: u64 = 0;
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            v = v.saturating_mul(10).saturating_add(c as u64 - '0' as u64);
            self.i += 1;
        }
        v
    }

    /// An address regex after its opening delimiter, with its flags.
    pub(super) fn addr_regex(&mut self, delim: char) -> Result<Option<Rc<Regex>>, Bad> {
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

    pub(super) fn regex(&mut self, raw: &str, o: &Options) -> Result<Option<Rc<Regex>>, Bad> {
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
        match Regex::with_options(&numeric_escapes(raw), f, o) {
            Ok(r) => Ok(Some(Rc::new(r))),
            Err(e) if e.starts_with("character class syntax is") => Err(Bad { msg: e, status: 4 }),
            Err(e) => Err(self.err(&e)),
        }
    }

    /// Text up to an unescaped `delim`: `\delim` becomes `delim` outside
    /// brackets; in a regex, brackets are skipped whole (`[/]`). None: the
    /// script ended (or a newline came) first.
    pub(super) fn delimited(&mut self, delim: char, regex: bool) -> Option<String> {
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

    pub(super) fn command(&mut self) -> Result<(), Bad> {
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
    pub(super) fn end_of_cmd(&mut self) -> Result<(), Bad> {
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
    pub(super) fn label(&mut self) -> String {
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

    pub(super) fn filename(&mut self) -> Result<String, Bad> {
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
    pub(super) fn text(&mut self) -> Result<Vec<u8>, Bad> {
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

    pub(super) fn subst(&mut self) -> Result<Subst, Bad> {
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

    pub(super) fn translate(&mut self) -> Result<Kind, Bad> {
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

/// GNU sed turns `\xHH`, `\oNNN`, `\dNNN` and `\cX` in a regex into
/// the character before compiling it, so `\x2e` is `.`, any character,
/// and `\x5c` a backslash that escapes what follows.
fn numeric_escapes(raw: &str) -> String {
    let c: Vec<char> = raw.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '\\' || i + 1 >= c.len() {
            out.push(c[i]);
            i += 1;
            continue;
        }
        let (radix, max) = match c[i + 1] {
            'x' => (16, 2),
            'o' => (8, 3),
            'd' => (10, 3),
            'c' if i + 2 < c.len() => {
                out.push(((c[i + 2].to_ascii_uppercase() as u8) ^ 0x40) as char);
                i += 3;
                continue;
            }
            d => {
                out.push('\\');
                out.push(d);
                i += 2;
                continue;
            }
        };
        let mut v: u32 = 0;
        let mut n = 0;
        while n < max {
            match c.get(i + 2 + n).and_then(|d| d.to_digit(radix)) {
                Some(d) => {
                    v = v * radix + d;
                    n += 1;
                }
                None => break,
            }
        }
        if n == 0 {
            out.push('\\');
            out.push(c[i + 1]);
            i += 2;
            continue;
        }
        if let Some(ch) = char::from_u32(v & 0xff) {
            out.push(ch);
        }
        i += 2 + n;
    }
    out
}

/// The replacement of `s`, and the highest `\N` it names.
pub(super) fn parse_replacement(rep: &str) -> (Vec<Repl>, Option<usize>) {
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
