//! sed's executor (GNU's execute.c): the cycle over the input lines,
//! addresses and ranges, the commands, and the output with GNU's rule for
//! a last line without its newline.

use super::compile::{Addr, Addr2, Kind, Program, Repl, Subst};
use crate::posix_re::Regex;
use crate::Ctx;
use std::collections::HashMap;
use std::rc::Rc;

/// Pattern and hold space bound (GNU would run out of memory).
pub(super) const MAX_SPACE: usize = 64 << 20;

/// The input: the files, read as the cycle reaches them.
pub(super) struct Input {
    pub(super) files: Vec<String>,
    /// Index of the next file to open.
    pub(super) next_file: usize,
    pub(super) data: Vec<u8>,
    pub(super) pos: usize,
    /// The file F names: the one whose data is loaded.
    pub(super) name: String,
    pub(super) delim: u8,
}

/// Where pattern-space output goes: stdout, or the file being edited.
pub(super) struct Out {
    pub(super) buf: Vec<u8>,
    pub(super) missing_newline: bool,
}

impl Out {
    pub(super) fn write(&mut self, b: &[u8]) {
        if self.missing_newline {
            self.buf.push(b'\n');
            self.missing_newline = false;
        }
        self.buf.extend_from_slice(b);
    }
}

pub(super) struct Sed<'p> {
    pub(super) prog: &'p Program,
    pub(super) quiet: bool,
    pub(super) delim: u8,
    pub(super) line_len: usize,
    /// Pattern space, and whether its line ended in a newline.
    pub(super) ps: Vec<u8>,
    pub(super) chomped: bool,
    pub(super) hs: Vec<u8>,
    /// Whether the hold space "ends in a newline": GNU keeps that flag
    /// with each buffer and g/G/h/H/x carry it along.
    pub(super) hs_chomped: bool,
    pub(super) line: u64,
    pub(super) tflag: bool,
    pub(super) append: Vec<Append>,
    pub(super) quit: Option<i32>,
    pub(super) range: Vec<Range>,
    pub(super) last_re: Option<Rc<Regex>>,
    /// Files of w, by name: their content so far.
    pub(super) wfiles: Vec<(String, Vec<u8>, bool)>,
    /// w to /dev/stdout and /dev/stderr: their "missing newline" states.
    pub(super) w_stdout_missing: bool,
    pub(super) w_stderr_missing: bool,
    /// R's files: their lines and the next one.
    pub(super) rfiles: HashMap<String, (Vec<u8>, usize)>,
    pub(super) status: i32,
    pub(super) err: Vec<u8>,
}

pub(super) enum Append {
    Text(Vec<u8>),
    File(String),
    Line(Vec<u8>),
}

#[derive(Clone, Copy, Default)]
pub(super) enum Range {
    #[default]
    Off,
    /// Active; for `+N` / line ends, the last line.
    On(u64),
    /// Done for good (a `0,/re/` or a line range that cannot match again).
    Done,
}

pub(super) fn backup_name(f: &str, suffix: &str) -> String {
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
    pub(super) fn open_next(&mut self, ctx: &mut Ctx, err: &mut Vec<u8>, status: &mut i32) -> bool {
        while self.next_file < self.files.len() {
            let f = self.files[self.next_file].clone();
            self.next_file += 1;
            let data = if f == "-" {
                Ok(ctx.take_stdin())
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
    pub(super) fn next_line(
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
    pub(super) fn is_last(&mut self, ctx: &mut Ctx, err: &mut Vec<u8>, status: &mut i32) -> bool {
        if self.pos < self.data.len() {
            return false;
        }
        // Peek at later files without losing the current name.
        !self.open_next(ctx, err, status)
    }
}

/// Escapes of `l`.
pub(super) fn list_line(ps: &[u8], width: usize, out: &mut Vec<u8>) {
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
    pub(super) fn run(
        &mut self,
        ctx: &mut Ctx,
        input: &mut Input,
        out: &mut Out,
        mut side: Option<&mut Out>,
    ) {
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
                    if input.name == "-" && input.pos < input.data.len() {
                        ctx.stop_reading(input.pos);
                    }
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

    pub(super) fn emit_ps(&mut self, out: &mut Out) {
        out.write(&self.ps);
        if self.chomped {
            out.buf.push(self.delim);
        } else {
            out.missing_newline = true;
        }
    }

    pub(super) fn flush_append(&mut self, ctx: &mut Ctx, out: &mut Out) {
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

    pub(super) fn matches_re(&mut self, re: &Option<Rc<Regex>>) -> Result<bool, String> {
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

    pub(super) fn addr1(
        &mut self,
        a: &Addr,
        last: &mut dyn FnMut() -> bool,
    ) -> Result<bool, String> {
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

    pub(super) fn selected(
        &mut self,
        i: usize,
        last: &mut dyn FnMut() -> bool,
    ) -> Result<bool, String> {
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
    pub(super) fn closed(a1: &Addr) -> Range {
        match a1 {
            Addr::Zero | Addr::Line(_) => Range::Done,
            _ => Range::Off,
        }
    }

    pub(super) fn start_range(
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
    pub(super) fn open_range(
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
    pub(super) fn cycle(
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
            // A `:a;ba` loop or a `p` in one ends at the machine's budgets,
            // which say so (`hit`).
            if !ctx.step() || ctx.out.len() + out.buf.len() >= ctx.limits.pipe {
                if ctx.hit.is_none() {
                    ctx.hit = Some(crate::Hit::Output);
                }
                return CycleEnd::Abort(String::new());
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
                    let b = self.ps.clone();
                    self.write_file(f, &b, self.chomped, out, side.as_deref_mut());
                }
                Kind::WriteFirst(f) => {
                    let (b, nl) = match self.ps.iter().position(|&b| b == b'\n') {
                        Some(p) => (self.ps[..p].to_vec(), true),
                        None => (self.ps.clone(), self.chomped),
                    };
                    self.write_file(f, &b, nl, out, side.as_deref_mut());
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
                            let b = self.ps.clone();
                            self.write_file(f, &b, self.chomped, out, side.as_deref_mut());
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
    /// `w`: a line (with its newline if `nl`) to a file. Each file has
    /// its own "missing newline" state, /dev/stdout too (apart from the
    /// autoprint's, as in GNU: `printf a | sed 'w /dev/stdout'` is `aa`).
    pub(super) fn write_file(
        &mut self,
        f: &str,
        b: &[u8],
        nl: bool,
        out: &mut Out,
        side: Option<&mut Out>,
    ) {
        let delim = self.delim;
        let put = |buf: &mut Vec<u8>, missing: &mut bool| {
            if std::mem::take(missing) {
                buf.push(delim);
            }
            buf.extend_from_slice(b);
            if nl {
                buf.push(delim);
            } else {
                *missing = true;
            }
        };
        match f {
            "/dev/stdout" => {
                let o = match side {
                    Some(s) => s,
                    None => out,
                };
                put(&mut o.buf, &mut self.w_stdout_missing);
            }
            "/dev/stderr" => put(&mut self.err, &mut self.w_stderr_missing),
            _ => {
                if let Some((_, d, missing)) = self.wfiles.iter_mut().find(|(n, _, _)| n == f) {
                    put(d, missing);
                }
            }
        }
    }

    pub(super) fn substitute(&mut self, s: &Subst) -> Result<bool, String> {
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

pub(super) fn next_char(hay: &[u8], at: usize) -> usize {
    let mut p = at + 1;
    while p < hay.len() && (hay[p] & 0xC0) == 0x80 {
        p += 1;
    }
    p
}

/// Writes a replacement, applying `\U \L \E \u \l`.
pub(super) fn expand(
    repl: &[Repl],
    hay: &[u8],
    caps: &[Option<(usize, usize)>],
    out: &mut Vec<u8>,
) {
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

pub(super) enum CycleEnd {
    Normal,
    Delete,
    Restart,
    /// q (print) / Q.
    Quit(i32, bool),
    /// n or N found no next line: the cycle ends as usual, the run too.
    EndOfInput,
    Abort(String),
}
