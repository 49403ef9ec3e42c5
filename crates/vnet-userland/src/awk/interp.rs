//! The tree-walking interpreter: records and fields, input (ARGV files,
//! `getline`), output redirection through the Fs, builtins, user
//! functions.
//!
//! Not simulated: command pipes (`cmd | getline`, `print | cmd`) and
//! `system()` — they stop the program with a vnet message and status 2.

use super::array::Array;
use super::ast::*;
use super::builtins::{libm_log, substitute, substr, GlibcRandom};
use super::format::{format_into, FmtError};
use super::input::{re_split, read_record, split_assignment, Reader, Rs, Sep};
use super::params::param_arrays;
use super::re::Re;
use super::value::{compare, d_to_i, Str, Val};
use crate::Ctx;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// User function calls nested deeper than this stop the program
/// (mawk grows its stack without limit; a lab script never needs this).
pub const MAX_CALL_DEPTH: usize = 100;

/// The seed mawk would take from the clock (at start and for `srand()`):
/// fixed here, so runs are reproducible.
const CLOCK_SEED: f64 = 1.0;

/// Fields a record may have (mawk grows without a limit; this bounds the
/// memory a script can take through `NF = 1e9`).
const MAX_FIELDS: usize = 1 << 20;

pub const PIPES_MSG: &str = "vnet: awk: command pipes are not simulated yet\n";

#[derive(Clone)]
enum Cell {
    Val(Val),
    Arr(Rc<RefCell<Array>>),
}

/// Why execution stops unwinding.
pub enum Stop {
    /// `mawk: run time error: ...` plus the FILENAME/FNR/NR line; status 2.
    Rt(String),
    /// `mawk: ...`; status 2.
    Plain(String),
    /// `mawk: program limit exceeded: ...` plus the FILENAME line; status 2.
    Limit(String),
    /// A vnet limitation; the message is printed as is; status 2.
    Vnet(String),
    /// A bound of the machine (`Ctx::hit` says which): the machine
    /// reports it.
    Budget,
    Exit,
}

enum Flow {
    Normal,
    Break,
    Continue,
    Next,
    NextFile,
    Return(Val),
}

type R<T> = Result<T, Stop>;

struct OutFile {
    path: String,
    buf: Vec<u8>,
}

pub struct Interp<'p, 'c, 'a> {
    pub ctx: &'c mut Ctx<'a>,
    prog: &'p Program,
    globals: Vec<Cell>,
    frames: Vec<Vec<Cell>>,
    regexes: Vec<Rc<Re>>,
    dyn_re: HashMap<Vec<u8>, Rc<Re>>,
    /// Whether each function's parameter is used as an array.
    param_array: Vec<Vec<bool>>,
    record: Vec<u8>,
    fields: Vec<Val>,
    split_done: bool,
    record_stale: bool,
    nr: f64,
    fnr: f64,
    main: Option<Reader>,
    argi: usize,
    used_file: bool,
    main_done: bool,
    readers: HashMap<Vec<u8>, Reader>,
    outputs: Vec<(Vec<u8>, OutFile)>,
    range_on: Vec<bool>,
    rng: GlibcRandom,
    seed: Val,
    depth: usize,
    pub exit_code: i32,
    stdin_used: bool,
    /// Whether the main input being read is stdin.
    main_is_stdin: bool,
    /// (CONVFMT, OFMT)
    fmts: (Str, Str),
}

fn s2b(s: &str) -> Str {
    Rc::from(s.as_bytes())
}

impl<'p, 'c, 'a> Interp<'p, 'c, 'a> {
    pub fn new(ctx: &'c mut Ctx<'a>, prog: &'p Program, argv: &[String]) -> Result<Self, String> {
        let mut regexes = Vec::new();
        for r in &prog.regexes {
            regexes.push(Rc::new(Re::new(r)?));
        }
        let mut globals = vec![Cell::Val(Val::Uninit); prog.globals.len()];
        let set = |g: &mut Vec<Cell>, i: usize, v: Val| g[i] = Cell::Val(v);
        set(&mut globals, FS, Val::str(b" "));
        set(&mut globals, OFS, Val::str(b" "));
        set(&mut globals, ORS, Val::str(b"\n"));
        set(&mut globals, RS, Val::str(b"\n"));
        set(&mut globals, SUBSEP, Val::str(b"\x1c"));
        set(&mut globals, CONVFMT, Val::str(b"%.6g"));
        set(&mut globals, OFMT, Val::str(b"%.6g"));
        set(&mut globals, FILENAME, Val::str(b""));
        set(&mut globals, RSTART, Val::Num(0.0));
        set(&mut globals, RLENGTH, Val::Num(-1.0));
        set(&mut globals, ARGC, Val::Num(argv.len() as f64));
        let mut av = Array::default();
        for (i, a) in argv.iter().enumerate() {
            av.set(&Val::Num(i as f64), Val::strnum(a.as_bytes()), b"%.6g");
        }
        globals[ARGV] = Cell::Arr(Rc::new(RefCell::new(av)));
        // ENVIRON: empty, as the machine has no process environment here
        globals[ENVIRON] = Cell::Arr(Rc::new(RefCell::new(Array::default())));
        let param_array = param_arrays(prog);
        Ok(Interp {
            ctx,
            prog,
            globals,
            frames: Vec::new(),
            regexes,
            dyn_re: HashMap::new(),
            param_array,
            record: Vec::new(),
            fields: Vec::new(),
            split_done: true,
            record_stale: false,
            nr: 0.0,
            fnr: 0.0,
            main: None,
            argi: 1,
            used_file: false,
            main_done: false,
            readers: HashMap::new(),
            outputs: Vec::new(),
            range_on: vec![false; prog.items.len()],
            rng: GlibcRandom::new(CLOCK_SEED as u32),
            seed: Val::Num(CLOCK_SEED),
            depth: 0,
            exit_code: 0,
            stdin_used: false,
            main_is_stdin: false,
            fmts: (s2b("%.6g"), s2b("%.6g")),
        })
    }

    /// Assigns `name=value` from the command line (escapes processed; the
    /// value may be numeric).
    pub fn assign_cmdline(&mut self, name: &str, value: &[u8]) {
        let v = Val::strnum(&super::lex::unescape(value));
        if let Some(i) = self.prog.globals.iter().position(|g| g == name) {
            // NF=huge on the command line: refused like in the program
            let _ = self.set_global(i, v);
        }
    }

    /// `-F fs`.
    pub fn assign_fs(&mut self, fs: &[u8]) {
        self.globals[FS] = Cell::Val(Val::str(fs));
    }

    // ---- running ----

    /// BEGIN, the main input, END. `exit` in BEGIN or in a main rule
    /// skips to END; `exit` in END ends it.
    pub fn run(&mut self) -> R<()> {
        let prog = self.prog;
        let mut exited = false;
        match self.block(&prog.begin) {
            Ok(_) => {}
            Err(Stop::Exit) => exited = true,
            Err(e) => return Err(e),
        }
        // with only BEGIN, the input is not read
        if !exited && (!prog.items.is_empty() || !prog.end.is_empty()) {
            match self.main_loop(prog) {
                Ok(()) => {}
                Err(Stop::Exit) => {
                    // It left the rest of its input unread.
                    if let (true, Some(r)) = (self.main_is_stdin, &self.main) {
                        if r.pos < r.data.len() {
                            self.ctx.stop_reading(r.pos);
                        }
                    }
                }
                Err(e) => return Err(e),
            }
        }
        match self.block(&prog.end) {
            Ok(_) | Err(Stop::Exit) => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn main_loop(&mut self, prog: &'p Program) -> R<()> {
        while let Some(rec) = self.next_main_record()? {
            self.set_record(rec);
            'items: for (k, item) in prog.items.iter().enumerate() {
                let hit = match &item.pattern {
                    Pattern::All => true,
                    Pattern::Expr(e) => self.cond(e)?,
                    Pattern::Range(a, b) => {
                        if self.range_on[k] {
                            if self.cond(b)? {
                                self.range_on[k] = false;
                            }
                            true
                        } else if self.cond(a)? {
                            if !self.cond(b)? {
                                self.range_on[k] = true;
                            }
                            true
                        } else {
                            false
                        }
                    }
                };
                if !hit {
                    continue;
                }
                let flow = match &item.action {
                    None => {
                        self.print_record()?;
                        Flow::Normal
                    }
                    Some(b) => self.block(b)?,
                };
                match flow {
                    Flow::Next => break 'items,
                    Flow::NextFile => {
                        self.main = None;
                        break 'items;
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn print_record(&mut self) -> R<()> {
        let mut s = self.record0().to_vec();
        s.extend_from_slice(&self.special_bytes(ORS));
        self.ctx.out.extend_from_slice(&s);
        self.check_out()
    }

    /// Flushes output files into the Fs.
    pub fn finish(&mut self) {
        for (_, f) in std::mem::take(&mut self.outputs) {
            let _ = self.ctx.fs.write(&f.path, &f.buf, true);
        }
    }

    // ---- variables ----

    fn special_bytes(&mut self, i: usize) -> Str {
        let conv = self.convfmt();
        match &self.globals[i] {
            Cell::Val(v) => v.to_bytes(&conv),
            Cell::Arr(_) => s2b(""),
        }
    }

    fn convfmt(&self) -> Str {
        self.fmts.0.clone()
    }

    fn ofmt(&self) -> Str {
        self.fmts.1.clone()
    }

    /// Caches CONVFMT and OFMT as strings (they are read for every
    /// number converted).
    fn refresh_fmts(&mut self) {
        let get = |c: &Cell| match c {
            Cell::Val(v) => v.to_bytes(b"%.6g"),
            _ => s2b("%.6g"),
        };
        self.fmts = (get(&self.globals[CONVFMT]), get(&self.globals[OFMT]));
    }

    fn cell(&mut self, v: Var) -> &mut Cell {
        match v {
            Var::Global(i) => &mut self.globals[i],
            Var::Local(i) => {
                let f = self.frames.last_mut().expect("local outside a function");
                &mut f[i]
            }
        }
    }

    fn get_var(&mut self, v: Var) -> R<Val> {
        match v {
            Var::Global(NF) => {
                self.split_fields();
                Ok(Val::Num(self.fields.len() as f64))
            }
            Var::Global(NR) => Ok(Val::Num(self.nr)),
            Var::Global(FNR) => Ok(Val::Num(self.fnr)),
            _ => match self.cell(v) {
                Cell::Val(x) => Ok(x.clone()),
                Cell::Arr(_) => Err(Stop::Rt(format!(
                    "can't use array {} in scalar context",
                    self.var_name(v)
                ))),
            },
        }
    }

    fn var_name(&self, v: Var) -> String {
        match v {
            Var::Global(i) => self.prog.globals[i].clone(),
            Var::Local(i) => format!("argument {}", i + 1),
        }
    }

    fn set_global(&mut self, i: usize, v: Val) -> R<()> {
        match i {
            NF => {
                self.split_fields();
                let n = d_to_i(v.num()).max(0) as usize;
                if n > MAX_FIELDS {
                    return Err(fields_limit());
                }
                self.fields.resize(n, Val::str(b""));
                self.record_stale = true;
            }
            NR => self.nr = v.num(),
            FNR => self.fnr = v.num(),
            CONVFMT | OFMT => {
                self.globals[i] = Cell::Val(v);
                self.refresh_fmts();
            }
            _ => self.globals[i] = Cell::Val(v),
        }
        Ok(())
    }

    fn set_var(&mut self, v: Var, val: Val) -> R<()> {
        match v {
            Var::Global(i) => {
                if let Cell::Arr(_) = self.globals[i] {
                    return Err(Stop::Rt(format!(
                        "can't assign to array {}",
                        self.prog.globals[i]
                    )));
                }
                self.set_global(i, val)?;
            }
            Var::Local(_) => {
                if let Cell::Arr(_) = self.cell(v) {
                    return Err(Stop::Rt(format!(
                        "can't assign to array {}",
                        self.var_name(v)
                    )));
                }
                *self.cell(v) = Cell::Val(val);
            }
        }
        Ok(())
    }

    fn array(&mut self, v: Var) -> R<Rc<RefCell<Array>>> {
        let c = self.cell(v);
        match c {
            Cell::Arr(a) => Ok(a.clone()),
            Cell::Val(Val::Uninit) => {
                let a = Rc::new(RefCell::new(Array::default()));
                *c = Cell::Arr(a.clone());
                Ok(a)
            }
            Cell::Val(_) => Err(Stop::Rt(format!(
                "can't use scalar {} as array",
                self.var_name(v)
            ))),
        }
    }

    fn subscript(&mut self, subs: &[Expr]) -> R<Val> {
        if subs.len() == 1 {
            return self.eval(&subs[0]);
        }
        let conv = self.convfmt();
        let sep = self.special_bytes(SUBSEP);
        let mut k = Vec::new();
        for (i, e) in subs.iter().enumerate() {
            if i > 0 {
                k.extend_from_slice(&sep);
            }
            k.extend_from_slice(&self.eval(e)?.to_bytes(&conv));
        }
        Ok(Val::str(&k))
    }

    // ---- records and fields ----

    /// A new $0, split at once with the FS of this moment (as mawk does:
    /// changing FS affects the next record).
    fn set_record(&mut self, rec: Vec<u8>) {
        self.record = rec;
        self.split_done = false;
        self.record_stale = false;
        self.split_fields();
    }

    fn record0(&mut self) -> &[u8] {
        if self.record_stale {
            let conv = self.convfmt();
            let ofs = self.special_bytes(OFS);
            let mut r = Vec::new();
            for (i, f) in self.fields.iter().enumerate() {
                if i > 0 {
                    r.extend_from_slice(&ofs);
                }
                r.extend_from_slice(&f.to_bytes(&conv));
            }
            self.record = r;
            self.record_stale = false;
        }
        &self.record
    }

    fn split_fields(&mut self) {
        if self.split_done {
            return;
        }
        self.split_done = true;
        let fs = self.special_bytes(FS);
        let rec = std::mem::take(&mut self.record);
        let sep = Sep::from_fs(&fs);
        if let Sep::Space = sep {
            // the common case, without the intermediate vectors
            self.fields.clear();
            for p in rec
                .split(|&c| super::value::is_space(c))
                .filter(|p| !p.is_empty())
            {
                self.fields.push(Val::strnum(p));
            }
            self.record = rec;
            return;
        }
        let parts = self.split_with(&rec, &sep);
        self.record = rec;
        self.fields = parts.into_iter().map(|p| Val::strnum(&p)).collect();
    }

    fn split_with(&mut self, s: &[u8], sep: &Sep) -> Vec<Vec<u8>> {
        match sep {
            Sep::Space => s
                .split(|&c| super::value::is_space(c))
                .filter(|p| !p.is_empty())
                .map(|p| p.to_vec())
                .collect(),
            Sep::Null => s.iter().map(|&c| vec![c]).collect(),
            Sep::Byte(b) => {
                if s.is_empty() {
                    return Vec::new();
                }
                s.split(|c| c == b).map(|p| p.to_vec()).collect()
            }
            Sep::Re(src) => {
                if s.is_empty() {
                    return Vec::new();
                }
                let Ok(re) = self.dyn_regex(src) else {
                    return vec![s.to_vec()];
                };
                re_split(&re, s)
            }
            Sep::Compiled(re) => {
                if s.is_empty() {
                    return Vec::new();
                }
                re_split(re, s)
            }
        }
    }

    fn get_field(&mut self, i: i64) -> R<Val> {
        if i < 0 {
            return Err(Stop::Rt(format!("negative field index ${i}")));
        }
        if i == 0 {
            return Ok(Val::strnum(self.record0()));
        }
        self.split_fields();
        // beyond NF: an empty string (not an uninitialised value: `$9 == 0`
        // is false in mawk)
        Ok(self
            .fields
            .get(i as usize - 1)
            .cloned()
            .unwrap_or_else(|| Val::str(b"")))
    }

    fn set_field(&mut self, i: i64, v: Val) -> R<()> {
        if i < 0 {
            return Err(Stop::Rt(format!("negative field index ${i}")));
        }
        if i == 0 {
            let conv = self.convfmt();
            self.set_record(v.to_bytes(&conv).to_vec());
            return Ok(());
        }
        if i as usize > MAX_FIELDS {
            return Err(fields_limit());
        }
        self.split_fields();
        let i = i as usize;
        if i > self.fields.len() {
            self.fields.resize(i, Val::str(b""));
        }
        self.fields[i - 1] = v;
        self.record_stale = true;
        Ok(())
    }

    // ---- input ----

    fn rs_mode(&mut self) -> Rs {
        let rs = self.special_bytes(RS);
        match rs.len() {
            0 => Rs::Para,
            1 => Rs::Byte(rs[0]),
            _ => match self.dyn_regex(&rs) {
                Ok(re) => Rs::Re(re),
                Err(_) => Rs::Byte(rs[0]),
            },
        }
    }

    fn next_main_record(&mut self) -> R<Option<Vec<u8>>> {
        loop {
            if self.main.is_none() && (self.main_done || !self.open_next_main()?) {
                self.main_done = true;
                return Ok(None);
            }
            let rs = self.rs_mode();
            let rec = match self.main.as_mut() {
                Some(r) => read_record(r, &rs),
                None => None,
            };
            match rec {
                Some(rec) => {
                    self.nr += 1.0;
                    self.fnr += 1.0;
                    return Ok(Some(rec));
                }
                None => self.main = None,
            }
        }
    }

    /// Opens the next input of ARGV (processing assignments on the way);
    /// false when there is none left.
    fn open_next_main(&mut self) -> R<bool> {
        loop {
            let argc = match &self.globals[ARGC] {
                Cell::Val(v) => d_to_i(v.num()),
                _ => 0,
            };
            if (self.argi as i64) >= argc {
                if self.used_file {
                    return Ok(false);
                }
                self.used_file = true;
                let data = self.take_stdin();
                self.main = Some(Reader { data, pos: 0 });
                self.main_is_stdin = true;
                self.globals[FILENAME] = Cell::Val(Val::str(b"-"));
                self.fnr = 0.0;
                return Ok(true);
            }
            let conv = self.convfmt();
            let arg = {
                let a = self.array(Var::Global(ARGV))?;
                let mut a = a.borrow_mut();
                let k = Val::Num(self.argi as f64);
                if a.contains(&k, &conv) {
                    a.get(&k, &conv).to_bytes(&conv).to_vec()
                } else {
                    Vec::new()
                }
            };
            self.argi += 1;
            if arg.is_empty() {
                continue;
            }
            if let Some((name, val)) = split_assignment(&arg) {
                self.assign_cmdline(&name, &val);
                continue;
            }
            self.used_file = true;
            let data = if arg == b"-" || arg == b"/dev/stdin" {
                self.take_stdin()
            } else {
                let path = String::from_utf8_lossy(&arg).into_owned();
                match self.ctx.fs.read(&path) {
                    Ok(d) => d,
                    Err(e)
                        if e.raw_os_error() == Some(21)
                            || e.kind() == std::io::ErrorKind::IsADirectory =>
                    {
                        return Err(Stop::Plain(format!(
                            "read error ({})",
                            vnet_fs::strerror(&e)
                        )));
                    }
                    Err(e) => {
                        return Err(Stop::Plain(format!(
                            "cannot open {path} ({})",
                            vnet_fs::strerror(&e)
                        )));
                    }
                }
            };
            self.globals[FILENAME] = Cell::Val(Val::str(&arg));
            self.fnr = 0.0;
            self.main = Some(Reader { data, pos: 0 });
            self.main_is_stdin = arg == b"-" || arg == b"/dev/stdin";
            return Ok(true);
        }
    }

    fn take_stdin(&mut self) -> Vec<u8> {
        if self.stdin_used {
            return Vec::new();
        }
        self.stdin_used = true;
        self.ctx.take_stdin()
    }

    fn getline(&mut self, src: &GetlineSrc, lv: &Option<Box<LValue>>) -> R<Val> {
        let rec = match src {
            GetlineSrc::Cmd(_) => return Err(Stop::Vnet(PIPES_MSG.into())),
            GetlineSrc::Main => match self.next_main_record()? {
                Some(r) => r,
                None => return Ok(Val::Num(0.0)),
            },
            GetlineSrc::File(f) => {
                let conv = self.convfmt();
                let name = self.eval(f)?.to_bytes(&conv).to_vec();
                if !self.readers.contains_key(&name) {
                    let data = if name == b"-" || name == b"/dev/stdin" {
                        self.take_stdin()
                    } else {
                        match self.ctx.fs.read(&String::from_utf8_lossy(&name)) {
                            Ok(d) => d,
                            Err(e)
                                if e.raw_os_error() == Some(21)
                                    || e.kind() == std::io::ErrorKind::IsADirectory =>
                            {
                                return Err(Stop::Plain(format!(
                                    "read error ({})",
                                    vnet_fs::strerror(&e)
                                )));
                            }
                            Err(_) => return Ok(Val::Num(-1.0)),
                        }
                    };
                    self.readers.insert(name.clone(), Reader { data, pos: 0 });
                }
                let rs = self.rs_mode();
                let r = self
                    .readers
                    .get_mut(&name)
                    .and_then(|r| read_record(r, &rs));
                match r {
                    Some(r) => r,
                    None => return Ok(Val::Num(0.0)),
                }
            }
        };
        match lv {
            Some(lv) => self.assign_lv(lv, Val::strnum(&rec))?,
            None => self.set_record(rec),
        }
        Ok(Val::Num(1.0))
    }

    // ---- output ----

    fn output(&mut self, dest: &Option<(Redir, Expr)>, data: Vec<u8>) -> R<()> {
        let Some((kind, e)) = dest else {
            self.ctx.out.extend_from_slice(&data);
            return self.check_out();
        };
        if *kind == Redir::Pipe {
            return Err(Stop::Vnet(PIPES_MSG.into()));
        }
        let conv = self.convfmt();
        let name = self.eval(e)?.to_bytes(&conv).to_vec();
        match &name[..] {
            b"/dev/stdout" | b"-" => {
                self.ctx.out.extend_from_slice(&data);
                return self.check_out();
            }
            b"/dev/stderr" => {
                self.ctx.err.extend_from_slice(&data);
                return self.check_out();
            }
            _ => {}
        }
        let max = self.ctx.limits.pipe;
        if let Some((_, f)) = self.outputs.iter_mut().find(|(n, _)| *n == name) {
            f.buf.extend_from_slice(&data);
            if f.buf.len() >= max {
                // A file held in memory until close: bounded as a pipe.
                f.buf.truncate(max);
                self.ctx.hit = Some(crate::Hit::Output);
                return Err(Stop::Budget);
            }
            return Ok(());
        }
        let path = String::from_utf8_lossy(&name).into_owned();
        if let Err(e) = self.ctx.fs.write(&path, b"", *kind == Redir::Append) {
            return Err(Stop::Plain(format!(
                "cannot open \"{path}\" for output ({})",
                vnet_fs::strerror(&e)
            )));
        }
        self.outputs.push((name, OutFile { path, buf: data }));
        Ok(())
    }

    /// Stops the program once stdout (or stderr) reached the pipe bound.
    fn check_out(&mut self) -> R<()> {
        if self.ctx.full() || self.ctx.err.len() >= self.ctx.limits.pipe {
            self.ctx.err.truncate(self.ctx.limits.pipe);
            self.ctx.hit = Some(crate::Hit::Output);
            return Err(Stop::Budget);
        }
        Ok(())
    }

    fn close(&mut self, name: &[u8]) -> f64 {
        if let Some(i) = self.outputs.iter().position(|(n, _)| n == name) {
            let (_, f) = self.outputs.remove(i);
            let _ = self.ctx.fs.write(&f.path, &f.buf, true);
            return 0.0;
        }
        if self.readers.remove(name).is_some() {
            return 0.0;
        }
        -1.0
    }

    // ---- statements ----

    fn block(&mut self, b: &[Stmt]) -> R<Flow> {
        for s in b {
            let f = self.stmt(s)?;
            if !matches!(f, Flow::Normal) {
                return Ok(f);
            }
        }
        Ok(Flow::Normal)
    }

    fn stmt(&mut self, s: &Stmt) -> R<Flow> {
        // Every statement counts: an endless loop ends at the machine's budget.
        if !self.ctx.step() {
            return Err(Stop::Budget);
        }
        match s {
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::Print(args, dest) => self.print(args, dest)?,
            Stmt::Printf(args, dest) => self.printf(args, dest)?,
            Stmt::If(c, a, b) => {
                if self.cond(c)? {
                    return self.stmt(a);
                } else if let Some(b) = b {
                    return self.stmt(b);
                }
            }
            Stmt::While(c, body) => {
                while self.cond(c)? {
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Continue | Flow::Normal => {}
                        f => return Ok(f),
                    }
                }
            }
            Stmt::Do(body, c) => loop {
                match self.stmt(body)? {
                    Flow::Break => break,
                    Flow::Continue | Flow::Normal => {}
                    f => return Ok(f),
                }
                if !self.cond(c)? {
                    break;
                }
            },
            Stmt::For(init, c, incr, body) => {
                if let Some(i) = init {
                    self.stmt(i)?;
                }
                loop {
                    if let Some(c) = c {
                        if !self.cond(c)? {
                            break;
                        }
                    }
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Continue | Flow::Normal => {}
                        f => return Ok(f),
                    }
                    if let Some(i) = incr {
                        self.stmt(i)?;
                    }
                }
            }
            Stmt::ForIn(k, a, body) => return self.for_in(*k, *a, body),
            Stmt::Block(b) => return self.block(b),
            Stmt::Next => return Ok(Flow::Next),
            Stmt::NextFile => return Ok(Flow::NextFile),
            Stmt::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = d_to_i(self.eval(e)?.num()) as i32;
                }
                return Err(Stop::Exit);
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Val::Uninit,
                };
                return Ok(Flow::Return(v));
            }
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Delete(a, subs) => self.delete(*a, subs)?,
        }
        Ok(Flow::Normal)
    }

    #[inline(never)]
    fn print(&mut self, args: &[Expr], dest: &Option<(Redir, Expr)>) -> R<()> {
        let mut out = Vec::new();
        if args.is_empty() {
            out.extend_from_slice(self.record0());
        } else {
            let ofs = self.special_bytes(OFS);
            let ofmt = self.ofmt();
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(&ofs);
                }
                let v = self.eval(a)?;
                out.extend_from_slice(&v.to_bytes(&ofmt));
            }
        }
        out.extend_from_slice(&self.special_bytes(ORS));
        self.output(dest, out)
    }

    #[inline(never)]
    fn for_in(&mut self, k: Var, a: Var, body: &Stmt) -> R<Flow> {
        let arr = self.array(a)?;
        let keys = arr.borrow_mut().keys();
        for key in keys {
            self.set_var(k, Val::Str(key))?;
            match self.stmt(body)? {
                Flow::Break => break,
                Flow::Continue | Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    #[inline(never)]
    fn delete(&mut self, a: Var, subs: &Option<Vec<Expr>>) -> R<()> {
        let arr = self.array(a)?;
        match subs {
            None => arr.borrow_mut().clear(),
            Some(s) => {
                let k = self.subscript(s)?;
                let conv = self.convfmt();
                arr.borrow_mut().delete(&k, &conv);
            }
        }
        Ok(())
    }

    /// printf: on a bad format, what came before it is still written.
    #[inline(never)]
    fn printf(&mut self, args: &[Expr], dest: &Option<(Redir, Expr)>) -> R<()> {
        let mut out = Vec::new();
        let r = self.format_args(&mut out, args, "printf");
        self.output(dest, out)?;
        r
    }

    fn sprintf_args(&mut self, args: &[Expr], who: &str) -> R<Vec<u8>> {
        let mut out = Vec::new();
        self.format_args(&mut out, args, who)?;
        Ok(out)
    }

    fn format_args(&mut self, out: &mut Vec<u8>, args: &[Expr], who: &str) -> R<()> {
        let conv = self.convfmt();
        let fmt = self.eval(&args[0])?.to_bytes(&conv);
        let mut vals = Vec::new();
        for a in &args[1..] {
            vals.push(self.eval(a)?);
        }
        match format_into(out, &fmt, &vals, &conv) {
            Ok(()) => Ok(()),
            Err(FmtError::NotEnough) => Err(Stop::Rt(format!(
                "not enough arguments passed to {who}(\"{}\")",
                String::from_utf8_lossy(&fmt)
            ))),
            Err(FmtError::Bad(n)) => Err(Stop::Rt(format!(
                "improper conversion(number {n}) in {who}(\"{}\")",
                String::from_utf8_lossy(&fmt)
            ))),
        }
    }

    // ---- expressions ----

    fn cond(&mut self, e: &Expr) -> R<bool> {
        Ok(self.eval(e)?.truthy())
    }

    fn regex_of(&mut self, e: &Expr) -> R<Rc<Re>> {
        if let Expr::Regex(i) = e {
            return Ok(self.regexes[*i].clone());
        }
        let conv = self.convfmt();
        let s = self.eval(e)?.to_bytes(&conv);
        self.dyn_regex(&s)
    }

    fn dyn_regex(&mut self, s: &[u8]) -> R<Rc<Re>> {
        if let Some(r) = self.dyn_re.get(s) {
            return Ok(r.clone());
        }
        match Re::new(s) {
            Ok(r) => {
                let r = Rc::new(r);
                if self.dyn_re.len() > 512 {
                    self.dyn_re.clear();
                }
                self.dyn_re.insert(s.to_vec(), r.clone());
                Ok(r)
            }
            Err(e) => Err(Stop::Rt(format!(
                "regular expression compile failed ({e})\n{}",
                String::from_utf8_lossy(s)
            ))),
        }
    }

    fn lv_get(&mut self, lv: &LValue) -> R<Val> {
        match lv {
            LValue::Var(v) => self.get_var(*v),
            LValue::Index(v, subs) => {
                let k = self.subscript(subs)?;
                let a = self.array(*v)?;
                let conv = self.convfmt();
                let r = a.borrow_mut().get(&k, &conv);
                Ok(r)
            }
            LValue::Field(e) => {
                let i = d_to_i(self.eval(e)?.num());
                self.get_field(i)
            }
        }
    }

    /// Resolves an lvalue's place (evaluating subscripts once).
    fn lv_place(&mut self, lv: &LValue) -> R<Place> {
        Ok(match lv {
            LValue::Var(v) => Place::Var(*v),
            LValue::Index(v, subs) => Place::Elem(*v, self.subscript(subs)?),
            LValue::Field(e) => Place::Field(d_to_i(self.eval(e)?.num())),
        })
    }

    fn place_get(&mut self, p: &Place) -> R<Val> {
        match p {
            Place::Var(v) => self.get_var(*v),
            Place::Elem(v, k) => {
                let a = self.array(*v)?;
                let conv = self.convfmt();
                let r = a.borrow_mut().get(k, &conv);
                Ok(r)
            }
            Place::Field(i) => self.get_field(*i),
        }
    }

    fn place_set(&mut self, p: &Place, val: Val) -> R<()> {
        match p {
            Place::Var(v) => self.set_var(*v, val),
            Place::Elem(v, k) => {
                let a = self.array(*v)?;
                let conv = self.convfmt();
                a.borrow_mut().set(k, val, &conv);
                Ok(())
            }
            Place::Field(i) => self.set_field(*i, val),
        }
    }

    fn assign_lv(&mut self, lv: &LValue, val: Val) -> R<()> {
        let p = self.lv_place(lv)?;
        self.place_set(&p, val)
    }

    fn arith(op: BinOp, a: f64, b: f64) -> f64 {
        match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div => a / b,
            BinOp::Mod => a % b,
            BinOp::Pow => a.powf(b),
        }
    }

    /// Evaluates an expression. The arms live in small functions so that
    /// the frame of this recursive function stays small (user function
    /// recursion goes through it).
    pub fn eval(&mut self, e: &Expr) -> R<Val> {
        Ok(match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Regex(i) => self.eval_regex(*i),
            Expr::Group(e) => self.eval(e)?,
            Expr::Lv(lv) => self.lv_get(lv)?,
            Expr::Assign(op, lv, rhs) => self.eval_assign(*op, lv, rhs)?,
            Expr::Cond(c, a, b) => {
                if self.cond(c)? {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => Val::Num((self.cond(a)? && self.cond(b)?) as i32 as f64),
            Expr::Or(a, b) => Val::Num((self.cond(a)? || self.cond(b)?) as i32 as f64),
            Expr::Not(a) => Val::Num(!self.cond(a)? as i32 as f64),
            Expr::Neg(a) => Val::Num(-self.eval(a)?.num()),
            Expr::UPlus(a) => Val::Num(self.eval(a)?.num()),
            Expr::Bin(op, a, b) => {
                let x = self.eval(a)?.num();
                let y = self.eval(b)?.num();
                Val::Num(Self::arith(*op, x, y))
            }
            Expr::Cmp(op, a, b) => self.eval_cmp(*op, a, b)?,
            Expr::Concat(a, b) => self.eval_concat(a, b)?,
            Expr::Match(neg, a, r) => self.eval_match(*neg, a, r)?,
            Expr::In(subs, a) => self.eval_in(subs, *a)?,
            Expr::IncDec { pre, inc, lv } => self.eval_incdec(*pre, *inc, lv)?,
            Expr::Call(fi, args) => self.call(*fi, args)?,
            Expr::Builtin(b, args) => self.builtin(*b, args)?,
            Expr::Getline(src, lv) => self.getline(src, lv)?,
        })
    }

    #[inline(never)]
    fn eval_regex(&mut self, i: usize) -> Val {
        let re = self.regexes[i].clone();
        let rec = self.record0().to_vec();
        Val::Num(re.is_match(&rec) as i32 as f64)
    }

    #[inline(never)]
    fn eval_assign(&mut self, op: Option<BinOp>, lv: &LValue, rhs: &Expr) -> R<Val> {
        let p = self.lv_place(lv)?;
        let r = self.eval(rhs)?;
        let v = match op {
            None => r,
            Some(op) => {
                let cur = self.place_get(&p)?.num();
                Val::Num(Self::arith(op, cur, r.num()))
            }
        };
        self.place_set(&p, v.clone())?;
        Ok(v)
    }

    #[inline(never)]
    fn eval_cmp(&mut self, op: CmpOp, a: &Expr, b: &Expr) -> R<Val> {
        let x = self.eval(a)?;
        let y = self.eval(b)?;
        let conv = self.convfmt();
        let o = compare(&x, &y, &conv);
        use std::cmp::Ordering::*;
        let r = match op {
            CmpOp::Lt => o == Less,
            CmpOp::Le => o != Greater,
            CmpOp::Gt => o == Greater,
            CmpOp::Ge => o != Less,
            CmpOp::Eq => o == Equal,
            CmpOp::Ne => o != Equal,
        };
        Ok(Val::Num(r as i32 as f64))
    }

    #[inline(never)]
    fn eval_concat(&mut self, a: &Expr, b: &Expr) -> R<Val> {
        let conv = self.convfmt();
        let mut x = self.eval(a)?.to_bytes(&conv).to_vec();
        x.extend_from_slice(&self.eval(b)?.to_bytes(&conv));
        Ok(Val::str(&x))
    }

    #[inline(never)]
    fn eval_match(&mut self, neg: bool, a: &Expr, r: &Expr) -> R<Val> {
        let conv = self.convfmt();
        let s = self.eval(a)?.to_bytes(&conv);
        let re = self.regex_of(r)?;
        Ok(Val::Num((re.is_match(&s) != neg) as i32 as f64))
    }

    #[inline(never)]
    fn eval_in(&mut self, subs: &[Expr], a: Var) -> R<Val> {
        let k = self.subscript(subs)?;
        let arr = self.array(a)?;
        let conv = self.convfmt();
        let r = arr.borrow_mut().contains(&k, &conv);
        Ok(Val::Num(r as i32 as f64))
    }

    #[inline(never)]
    fn eval_incdec(&mut self, pre: bool, inc: bool, lv: &LValue) -> R<Val> {
        let p = self.lv_place(lv)?;
        let old = self.place_get(&p)?.num();
        let new = if inc { old + 1.0 } else { old - 1.0 };
        self.place_set(&p, Val::Num(new))?;
        Ok(Val::Num(if pre { new } else { old }))
    }

    fn call(&mut self, fi: usize, args: &[Expr]) -> R<Val> {
        let f = &self.prog.funcs[fi];
        if args.len() > f.nparams {
            return Err(Stop::Rt(format!(
                "too many arguments in call to {}",
                f.name
            )));
        }
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Stop::Rt(format!(
                "function call nesting too deep (vnet limit {MAX_CALL_DEPTH})"
            )));
        }
        let mut frame = Vec::with_capacity(f.nparams);
        for (i, a) in args.iter().enumerate() {
            let wants_array = self.param_array[fi].get(i).copied().unwrap_or(false);
            if let Expr::Lv(LValue::Var(v)) = a {
                if !matches!(v, Var::Global(NF | NR | FNR)) {
                    let is_arr = matches!(self.cell(*v), Cell::Arr(_));
                    if is_arr || (wants_array && matches!(self.cell(*v), Cell::Val(Val::Uninit))) {
                        frame.push(Cell::Arr(self.array(*v)?));
                        continue;
                    }
                }
            }
            frame.push(Cell::Val(self.eval(a)?));
        }
        frame.resize(f.nparams, Cell::Val(Val::Uninit));
        self.frames.push(frame);
        self.depth += 1;
        let r = self.block(&f.body);
        self.depth -= 1;
        self.frames.pop();
        match r? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Val::Uninit),
        }
    }

    fn builtin(&mut self, b: Builtin, args: &[Expr]) -> R<Val> {
        use Builtin::*;
        let conv = self.convfmt();
        let num = |s: &mut Self, i: usize| -> R<f64> { Ok(s.eval(&args[i])?.num()) };
        Ok(match b {
            Length => {
                if args.is_empty() {
                    return Ok(Val::Num(self.record0().len() as f64));
                }
                if let Expr::Lv(LValue::Var(v)) = &args[0] {
                    if let Cell::Arr(a) = self.cell(*v) {
                        let n = a.borrow().len();
                        return Ok(Val::Num(n as f64));
                    }
                }
                Val::Num(self.eval(&args[0])?.to_bytes(&conv).len() as f64)
            }
            Substr => {
                let s = self.eval(&args[0])?.to_bytes(&conv);
                let start = num(self, 1)?;
                let len = if args.len() == 3 {
                    Some(num(self, 2)?)
                } else {
                    None
                };
                Val::str(&substr(&s, start, len))
            }
            Index => {
                let s = self.eval(&args[0])?.to_bytes(&conv);
                let t = self.eval(&args[1])?.to_bytes(&conv);
                let p = if t.is_empty() {
                    1
                } else {
                    s.windows(t.len())
                        .position(|w| w == &t[..])
                        .map(|p| p + 1)
                        .unwrap_or(0)
                };
                Val::Num(p as f64)
            }
            Split => {
                let s = self.eval(&args[0])?.to_bytes(&conv);
                let Expr::Lv(LValue::Var(v)) = &args[1] else {
                    return Ok(Val::Num(0.0));
                };
                let sep = if args.len() == 3 {
                    match &args[2] {
                        // an empty regex splits into characters, as ""
                        Expr::Regex(i) if self.prog.regexes[*i].is_empty() => Sep::Null,
                        Expr::Regex(i) => Sep::Compiled(self.regexes[*i].clone()),
                        e => {
                            let t = self.eval(e)?.to_bytes(&conv);
                            Sep::from_split_arg(&t)
                        }
                    }
                } else {
                    let fs = self.special_bytes(FS);
                    Sep::from_fs(&fs)
                };
                let parts = self.split_with(&s, &sep);
                let n = parts.len();
                let arr = self.array(*v)?;
                arr.borrow_mut()
                    .load(parts.into_iter().map(|p| Val::strnum(&p)).collect());
                Val::Num(n as f64)
            }
            Sub | Gsub => {
                let re = self.regex_of(&args[0])?;
                let repl = self.eval(&args[1])?.to_bytes(&conv);
                let target = match args.get(2) {
                    Some(Expr::Lv(lv)) => self.lv_place(lv)?,
                    Some(_) => return Ok(Val::Num(0.0)),
                    None => Place::Field(0),
                };
                let cur = self.place_get(&target)?.to_bytes(&conv);
                let (out, n) = substitute(&re, &repl, &cur, b == Gsub);
                if n > 0 {
                    self.place_set(&target, Val::str(&out))?;
                }
                Val::Num(n as f64)
            }
            Match => {
                let s = self.eval(&args[0])?.to_bytes(&conv);
                let re = self.regex_of(&args[1])?;
                let (start, len) = match re.find_at(&s, 0) {
                    Some((a, b)) => (a as f64 + 1.0, (b - a) as f64),
                    None => (0.0, -1.0),
                };
                self.globals[RSTART] = Cell::Val(Val::Num(start));
                self.globals[RLENGTH] = Cell::Val(Val::Num(len));
                Val::Num(start)
            }
            Sprintf => Val::str(&self.sprintf_args(args, "sprintf")?),
            Tolower => Val::str(&self.eval(&args[0])?.to_bytes(&conv).to_ascii_lowercase()),
            Toupper => Val::str(&self.eval(&args[0])?.to_bytes(&conv).to_ascii_uppercase()),
            Int => Val::Num(num(self, 0)?.trunc()),
            Sqrt => Val::Num(num(self, 0)?.sqrt()),
            Exp => Val::Num(num(self, 0)?.exp()),
            Log => Val::Num(libm_log(num(self, 0)?)),
            Sin => Val::Num(num(self, 0)?.sin()),
            Cos => Val::Num(num(self, 0)?.cos()),
            Atan2 => {
                let y = num(self, 0)?;
                let x = num(self, 1)?;
                Val::Num(y.atan2(x))
            }
            Rand => Val::Num(self.rng.next() as f64 / 2147483647.0),
            Srand => {
                let new = if args.is_empty() {
                    Val::Num(CLOCK_SEED)
                } else {
                    self.eval(&args[0])?
                };
                let old = std::mem::replace(&mut self.seed, new.clone());
                self.rng.seed(d_to_i(new.num()) as i32 as u32);
                old
            }
            System => {
                return Err(Stop::Vnet(
                    "vnet: awk: system() is not simulated yet\n".into(),
                ));
            }
            Close => {
                let name = self.eval(&args[0])?.to_bytes(&conv);
                Val::Num(self.close(&name))
            }
            Fflush => {
                if let Some(a) = args.first() {
                    let name = self.eval(a)?.to_bytes(&conv);
                    if let Some((_, f)) = self.outputs.iter_mut().find(|(n, _)| n[..] == name[..]) {
                        let buf = std::mem::take(&mut f.buf);
                        let path = f.path.clone();
                        let _ = self.ctx.fs.write(&path, &buf, true);
                    } else if &name[..] != b"/dev/stdout" && &name[..] != b"/dev/stderr" {
                        return Ok(Val::Num(-1.0));
                    }
                }
                Val::Num(0.0)
            }
        })
    }

    pub fn where_line(&mut self) -> String {
        let f = self.special_bytes(FILENAME);
        format!(
            "\tFILENAME=\"{}\" FNR={} NR={}\n",
            String::from_utf8_lossy(&f),
            self.fnr as i64,
            self.nr as i64
        )
    }
}

fn fields_limit() -> Stop {
    Stop::Limit(format!(
        "program limit exceeded: maximum number of fields size={MAX_FIELDS}"
    ))
}

enum Place {
    Var(Var),
    Elem(Var, Val),
    Field(i64),
}
