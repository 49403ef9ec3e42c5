//! Recursive-descent parser following mawk's grammar (parse.y): its
//! precedence table, `print > file` taking the first unparenthesised `>`,
//! `getline < file` taking a primary, `cmd | getline` binding tighter than
//! concatenation, and its error messages (`syntax error at or near X`,
//! `missing } near end of file`).

use super::ast::*;
use super::lex::{is_builtin, is_keyword, Spanned, Tok};
use std::collections::HashMap;
use std::rc::Rc;

/// Nesting deeper than this is refused (mawk's yacc stack has a limit too).
const MAX_DEPTH: usize = 150;

pub struct ParseError {
    pub line: usize,
    pub msg: String,
    /// A second message mawk prints after the first (line, text).
    pub then: Option<(usize, String)>,
}

pub struct Parser<'a> {
    toks: &'a [Spanned],
    pos: usize,
    prog: Program,
    globals: HashMap<String, usize>,
    funcs: HashMap<String, usize>,
    /// The parameters of the function being parsed.
    locals: Option<HashMap<String, usize>>,
    /// In `print`'s arguments outside parentheses: `>` and `|` redirect.
    print_ctx: bool,
    depth: usize,
    in_loop: usize,
    in_func: bool,
    /// BEGIN or END: `next` is not allowed there.
    in_begin_end: bool,
    /// Globals seen as arrays (true) or scalars (false), for mawk's
    /// "illegal reference" errors.
    kinds: HashMap<usize, bool>,
    /// The same for the parameters of the function being parsed.
    local_kinds: HashMap<usize, bool>,
    local_names: Vec<String>,
    /// Each function's parameter kinds, once parsed.
    param_kinds: HashMap<usize, Vec<Option<bool>>>,
    /// Calls: (function, line, each argument's kind when known).
    calls: Vec<(usize, usize, Vec<ArgKind>)>,
}

/// What a call passes, for mawk's compile-time type checks.
#[derive(Clone, Copy)]
enum ArgKind {
    Scalar,
    /// A bare name: its kind is known once the program is parsed.
    Global(usize),
    Local(Option<bool>),
}

type R<T> = Result<T, ParseError>;

fn builtin_of(name: &str) -> Option<Builtin> {
    use Builtin::*;
    Some(match name {
        "length" => Length,
        "substr" => Substr,
        "index" => Index,
        "split" => Split,
        "sub" => Sub,
        "gsub" => Gsub,
        "match" => Match,
        "sprintf" => Sprintf,
        "tolower" => Tolower,
        "toupper" => Toupper,
        "int" => Int,
        "sqrt" => Sqrt,
        "exp" => Exp,
        "log" => Log,
        "sin" => Sin,
        "cos" => Cos,
        "atan2" => Atan2,
        "rand" => Rand,
        "srand" => Srand,
        "system" => System,
        "close" => Close,
        "fflush" => Fflush,
        _ => return None,
    })
}

/// (min, max) argument counts, as mawk's bi_funct table.
fn arity(b: Builtin) -> (usize, usize) {
    use Builtin::*;
    match b {
        Length => (0, 1),
        Substr => (2, 3),
        Index => (2, 2),
        Split => (2, 3),
        Sub | Gsub => (2, 3),
        Match => (2, 2),
        Sprintf => (1, 255),
        Tolower | Toupper | Int | Sqrt | Exp | Log | Sin | Cos => (1, 1),
        Atan2 => (2, 2),
        Rand => (0, 0),
        Srand => (0, 1),
        System => (1, 1),
        Close => (1, 1),
        Fflush => (0, 1),
    }
}

pub fn parse(toks: &[Spanned]) -> Result<Program, ParseError> {
    let mut p = Parser {
        toks,
        pos: 0,
        prog: Program::default(),
        globals: HashMap::new(),
        funcs: HashMap::new(),
        locals: None,
        print_ctx: false,
        depth: 0,
        in_loop: 0,
        in_func: false,
        in_begin_end: false,
        kinds: HashMap::new(),
        local_kinds: HashMap::new(),
        local_names: Vec::new(),
        param_kinds: HashMap::new(),
        calls: Vec::new(),
    };
    for s in SPECIALS {
        let g = p.global(s);
        p.kinds.insert(g, g == ENVIRON || g == ARGV);
    }
    p.program()?;
    p.check_calls()?;
    for f in &p.prog.funcs {
        if !f.defined {
            let line = toks.last().map(|t| t.line).unwrap_or(1);
            return Err(ParseError {
                line,
                msg: format!("function {} never defined", f.name),
                then: None,
            });
        }
    }
    Ok(p.prog)
}

impl<'a> Parser<'a> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].tok
    }
    fn peek_at(&self, k: usize) -> &Tok {
        &self.toks[(self.pos + k).min(self.toks.len() - 1)].tok
    }
    fn line(&self) -> usize {
        self.toks[self.pos.min(self.toks.len() - 1)].line
    }

    fn tok_at(&self, i: usize) -> &Tok {
        &self.toks[i.min(self.toks.len() - 1)].tok
    }
    /// Takes the next token. Past the end this keeps returning Eof (and
    /// counting, so that stepping back one token is always right).
    fn advance(&mut self) -> Tok {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }
    fn is_kw(&self, k: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == k)
    }
    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == t {
            self.advance();
            true
        } else {
            false
        }
    }
    fn expect(&mut self, t: &Tok) -> R<()> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(self.syntax_error())
        }
    }
    fn skip_nl(&mut self) {
        while matches!(self.peek(), Tok::Newline) {
            self.advance();
        }
    }

    /// mawk's yyerror: a missing `)` or `}` when that is the trouble,
    /// otherwise "syntax error at or near" the token.
    fn syntax_error(&self) -> ParseError {
        let upto = (self.pos + 1).min(self.toks.len());
        let (mut parens, mut braces) = (0i64, 0i64);
        for t in &self.toks[..upto] {
            match t.tok {
                Tok::LParen => parens += 1,
                Tok::RParen => parens -= 1,
                Tok::LBrace => braces += 1,
                Tok::RBrace => braces -= 1,
                _ => {}
            }
        }
        let tok = self.peek();
        let line = self.line();
        let text = tok_text(tok);
        if parens > 0 && matches!(tok, Tok::Eof | Tok::Newline | Tok::Semi | Tok::RBrace) {
            // mawk recovers and then meets the end of the file, if the
            // program's braces do not close
            let open: i64 = self
                .toks
                .iter()
                .map(|t| match t.tok {
                    Tok::LBrace => 1,
                    Tok::RBrace => -1,
                    _ => 0,
                })
                .sum();
            let eof_line = self.toks.last().map(|t| t.line).unwrap_or(line);
            let then = (open > 0).then(|| (eof_line, "missing } near end of file".to_string()));
            return ParseError {
                line,
                msg: format!("missing ) near {text}"),
                then,
            };
        }
        if braces > 0 && (matches!(tok, Tok::Eof) || self.is_kw("BEGIN") || self.is_kw("END")) {
            return ParseError {
                line,
                msg: format!("missing }} near {text}"),
                then: None,
            };
        }
        if matches!(tok, Tok::RParen) && parens < 0 {
            return ParseError {
                line,
                msg: "extra ')'".into(),
                then: None,
            };
        }
        if let Tok::Regex(r) = tok {
            return ParseError {
                line,
                msg: format!("syntax error at or near /{}/", String::from_utf8_lossy(r)),
                then: None,
            };
        }
        ParseError {
            line,
            msg: format!("syntax error at or near {text}"),
            then: None,
        }
    }

    fn error(&self, msg: String) -> ParseError {
        ParseError {
            line: self.line(),
            msg,
            then: None,
        }
    }

    fn global(&mut self, name: &str) -> usize {
        if let Some(&i) = self.globals.get(name) {
            return i;
        }
        let i = self.prog.globals.len();
        self.prog.globals.push(name.to_string());
        self.globals.insert(name.to_string(), i);
        i
    }

    fn var(&mut self, name: &str) -> Var {
        if let Some(l) = &self.locals {
            if let Some(&i) = l.get(name) {
                return Var::Local(i);
            }
        }
        Var::Global(self.global(name))
    }

    /// Records a use of `v` as an array or a scalar; a global used both
    /// ways is an error.
    fn use_as(&mut self, v: Var, array: bool) -> R<()> {
        let g = match v {
            Var::Global(g) => g,
            Var::Local(l) => {
                return match self.local_kinds.get(&l) {
                    Some(&k) if k != array => {
                        let what = if k { "array" } else { "variable" };
                        let name = self.local_names.get(l).cloned().unwrap_or_default();
                        Err(self.error(format!("illegal reference to local {what} {name}")))
                    }
                    Some(_) => Ok(()),
                    None => {
                        self.local_kinds.insert(l, array);
                        Ok(())
                    }
                };
            }
        };
        match self.kinds.get(&g) {
            Some(&k) if k != array => {
                let what = if k { "array" } else { "variable" };
                Err(self.error(format!(
                    "illegal reference to {what} {}",
                    self.prog.globals[g]
                )))
            }
            Some(_) => Ok(()),
            None => {
                self.kinds.insert(g, array);
                Ok(())
            }
        }
    }

    fn record_call(&mut self, fi: usize, line: usize, args: &[Expr]) {
        // a name passed to a parameter of known kind takes that kind
        if let Some(pk) = self.param_kinds.get(&fi).cloned() {
            for (a, k) in args.iter().zip(pk) {
                let Some(k) = k else { continue };
                match a {
                    Expr::Lv(LValue::Var(Var::Global(g))) => {
                        self.kinds.entry(*g).or_insert(k);
                    }
                    Expr::Lv(LValue::Var(Var::Local(l))) => {
                        self.local_kinds.entry(*l).or_insert(k);
                    }
                    _ => {}
                }
            }
        }
        let kinds = args
            .iter()
            .map(|a| match a {
                Expr::Lv(LValue::Var(Var::Global(g))) => ArgKind::Global(*g),
                Expr::Lv(LValue::Var(Var::Local(l))) => {
                    ArgKind::Local(self.local_kinds.get(l).copied())
                }
                _ => ArgKind::Scalar,
            })
            .collect();
        self.calls.push((fi, line, kinds));
    }

    /// mawk's checks of calls against the functions' parameters.
    fn check_calls(&self) -> R<()> {
        for (fi, line, args) in &self.calls {
            let f = &self.prog.funcs[*fi];
            if !f.defined {
                continue;
            }
            if args.len() > f.nparams {
                return Err(ParseError {
                    line: *line,
                    msg: format!("too many arguments in call to {}", f.name),
                    then: None,
                });
            }
            let Some(pk) = self.param_kinds.get(fi) else {
                continue;
            };
            for (i, a) in args.iter().enumerate() {
                let ak = match a {
                    ArgKind::Scalar => Some(false),
                    ArgKind::Global(g) => self.kinds.get(g).copied(),
                    ArgKind::Local(k) => *k,
                };
                if let (Some(ak), Some(Some(p))) = (ak, pk.get(i)) {
                    if ak != *p {
                        return Err(ParseError {
                            line: *line,
                            msg: format!("type error in arg({}) in call to {}", i + 1, f.name),
                            then: None,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn func_index(&mut self, name: &str) -> usize {
        if let Some(&i) = self.funcs.get(name) {
            return i;
        }
        let i = self.prog.funcs.len();
        self.prog.funcs.push(Func {
            name: name.to_string(),
            nparams: 0,
            body: Vec::new(),
            defined: false,
        });
        self.funcs.insert(name.to_string(), i);
        i
    }

    fn program(&mut self) -> R<()> {
        loop {
            while matches!(self.peek(), Tok::Newline | Tok::Semi) {
                self.advance();
            }
            match self.peek() {
                Tok::Eof => return Ok(()),
                Tok::RBrace => {
                    // mawk skips the brace; the newline after it is then
                    // a syntax error of its own
                    let line = self.line();
                    let then = matches!(self.peek_at(1), Tok::Newline | Tok::Eof)
                        .then(|| (line, "syntax error at or near end of line".to_string()));
                    return Err(ParseError {
                        line,
                        msg: "extra '}'".into(),
                        then,
                    });
                }
                Tok::Ident(s) if s == "BEGIN" || s == "END" => {
                    let begin = s == "BEGIN";
                    self.advance();
                    if !matches!(self.peek(), Tok::LBrace) {
                        return Err(self.syntax_error());
                    }
                    self.in_begin_end = true;
                    let b = self.block()?;
                    self.in_begin_end = false;
                    if begin {
                        self.prog.begin.extend(b);
                    } else {
                        self.prog.end.extend(b);
                    }
                }
                Tok::Ident(s) if s == "function" => self.function()?,
                Tok::LBrace => {
                    let b = self.block()?;
                    self.prog.items.push(Item {
                        pattern: Pattern::All,
                        action: Some(b),
                    });
                }
                _ => {
                    let e = self.expr()?;
                    let pattern = if self.eat(&Tok::Comma) {
                        let e2 = self.expr()?;
                        Pattern::Range(e, e2)
                    } else {
                        Pattern::Expr(e)
                    };
                    let action = if matches!(self.peek(), Tok::LBrace) {
                        Some(self.block()?)
                    } else if matches!(self.peek(), Tok::Newline | Tok::Semi | Tok::Eof) {
                        self.advance();
                        None
                    } else {
                        return Err(self.syntax_error());
                    };
                    self.prog.items.push(Item { pattern, action });
                }
            }
        }
    }

    fn function(&mut self) -> R<()> {
        self.advance();
        let name = match self.advance() {
            Tok::Call(n) => n,
            Tok::Ident(n) if !is_keyword(&n) && !is_builtin(&n) => n,
            _ => {
                self.pos -= 1;
                return Err(self.syntax_error());
            }
        };
        if let Some(&g) = self.globals.get(&name) {
            let what = if self.kinds.get(&g) == Some(&true) {
                "array"
            } else {
                "variable"
            };
            return Err(self.error(format!("illegal reference to {what} {name}")));
        }
        let fi = self.func_index(&name);
        if self.prog.funcs[fi].defined {
            return Err(self.error(format!("redefinition of {name}")));
        }
        self.expect(&Tok::LParen)?;
        let mut params: HashMap<String, usize> = HashMap::new();
        if !self.eat(&Tok::RParen) {
            loop {
                match self.advance() {
                    Tok::Ident(p) if !is_keyword(&p) && !is_builtin(&p) => {
                        if params.contains_key(&p) {
                            return Err(self.error(format!("{p} is duplicated in argument list")));
                        }
                        let n = params.len();
                        params.insert(p, n);
                    }
                    _ => {
                        self.pos -= 1;
                        return Err(self.syntax_error());
                    }
                }
                if self.eat(&Tok::RParen) {
                    break;
                }
                self.expect(&Tok::Comma)?;
            }
        }
        self.skip_nl();
        let n = params.len();
        let mut names = vec![String::new(); n];
        for (name, &i) in &params {
            names[i] = name.clone();
        }
        self.local_names = names;
        self.local_kinds.clear();
        // calls parsed before the definition type its parameters (mawk)
        for (cfi, _, args) in &self.calls {
            if *cfi != fi {
                continue;
            }
            for (i, a) in args.iter().enumerate().take(n) {
                let k = match a {
                    ArgKind::Scalar => Some(false),
                    ArgKind::Global(g) => self.kinds.get(g).copied(),
                    ArgKind::Local(k) => *k,
                };
                if let Some(k) = k {
                    self.local_kinds.entry(i).or_insert(k);
                }
            }
        }
        self.locals = Some(params);
        self.in_func = true;
        self.prog.funcs[fi].defined = true;
        self.prog.funcs[fi].nparams = n;
        if !matches!(self.peek(), Tok::LBrace) {
            return Err(self.syntax_error());
        }
        let body = self.block()?;
        self.prog.funcs[fi].body = body;
        let kinds = (0..n).map(|i| self.local_kinds.get(&i).copied()).collect();
        self.param_kinds.insert(fi, kinds);
        self.locals = None;
        self.in_func = false;
        Ok(())
    }

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect(&Tok::LBrace)?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("program limit exceeded: nesting depth".into()));
        }
        let mut v = Vec::new();
        loop {
            match self.peek() {
                Tok::RBrace => {
                    self.advance();
                    break;
                }
                Tok::Eof => return Err(self.syntax_error()),
                _ => {
                    if let Some(s) = self.stmt()? {
                        v.push(s);
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(v)
    }

    /// A simple statement's end: `;`, newline, or (not consumed) `}`.
    fn end_simple(&mut self) -> R<()> {
        match self.peek() {
            Tok::Semi | Tok::Newline => {
                self.advance();
                Ok(())
            }
            Tok::RBrace | Tok::Eof => Ok(()),
            _ => Err(self.syntax_error()),
        }
    }

    fn stmt(&mut self) -> R<Option<Stmt>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("program limit exceeded: nesting depth".into()));
        }
        let r = self.stmt_inner();
        self.depth -= 1;
        r
    }

    fn body(&mut self) -> R<Stmt> {
        Ok(self.stmt()?.unwrap_or(Stmt::Block(Vec::new())))
    }

    fn stmt_inner(&mut self) -> R<Option<Stmt>> {
        let kw = match self.peek() {
            Tok::LBrace => return Ok(Some(Stmt::Block(self.block()?))),
            Tok::Semi | Tok::Newline => {
                self.advance();
                return Ok(None);
            }
            Tok::Ident(s) if is_keyword(s) => s.clone(),
            _ => {
                let e = self.expr()?;
                self.end_simple()?;
                return Ok(Some(Stmt::Expr(e)));
            }
        };
        let s = match kw.as_str() {
            "if" => {
                self.advance();
                self.expect(&Tok::LParen)?;
                let c = self.expr()?;
                self.expect(&Tok::RParen)?;
                self.skip_nl();
                let then = self.body()?;
                let els = if self.is_kw("else") {
                    self.advance();
                    self.skip_nl();
                    Some(Box::new(self.body()?))
                } else {
                    None
                };
                Stmt::If(c, Box::new(then), els)
            }
            "while" => {
                self.advance();
                self.expect(&Tok::LParen)?;
                let c = self.expr()?;
                self.expect(&Tok::RParen)?;
                if matches!(self.peek(), Tok::Semi) {
                    self.advance();
                    return Ok(Some(Stmt::While(c, Box::new(Stmt::Block(Vec::new())))));
                }
                self.skip_nl();
                self.in_loop += 1;
                let b = self.body()?;
                self.in_loop -= 1;
                Stmt::While(c, Box::new(b))
            }
            "do" => {
                self.advance();
                self.skip_nl();
                self.in_loop += 1;
                let b = self.body()?;
                self.in_loop -= 1;
                if !self.is_kw("while") {
                    return Err(self.syntax_error());
                }
                self.advance();
                self.expect(&Tok::LParen)?;
                let c = self.expr()?;
                self.expect(&Tok::RParen)?;
                self.end_simple()?;
                Stmt::Do(Box::new(b), c)
            }
            "for" => {
                self.advance();
                self.expect(&Tok::LParen)?;
                if let (Tok::Ident(k), Tok::Ident(i), Tok::Ident(a), Tok::RParen) = (
                    self.peek().clone(),
                    self.peek_at(1).clone(),
                    self.peek_at(2).clone(),
                    self.peek_at(3).clone(),
                ) {
                    if i == "in" && !is_keyword(&k) && !is_keyword(&a) {
                        self.pos += 4;
                        self.skip_nl();
                        let kv = self.var(&k);
                        let av = self.var(&a);
                        self.use_as(kv, false)?;
                        self.use_as(av, true)?;
                        self.in_loop += 1;
                        let b = self.body()?;
                        self.in_loop -= 1;
                        return Ok(Some(Stmt::ForIn(kv, av, Box::new(b))));
                    }
                }
                let init = if matches!(self.peek(), Tok::Semi) {
                    None
                } else {
                    Some(Box::new(self.simple()?))
                };
                self.expect(&Tok::Semi)?;
                self.skip_nl();
                let cond = if matches!(self.peek(), Tok::Semi) {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(&Tok::Semi)?;
                self.skip_nl();
                let incr = if matches!(self.peek(), Tok::RParen) {
                    None
                } else {
                    Some(Box::new(self.simple()?))
                };
                self.expect(&Tok::RParen)?;
                if matches!(self.peek(), Tok::Semi) {
                    self.advance();
                    return Ok(Some(Stmt::For(
                        init,
                        cond,
                        incr,
                        Box::new(Stmt::Block(Vec::new())),
                    )));
                }
                self.skip_nl();
                self.in_loop += 1;
                let b = self.body()?;
                self.in_loop -= 1;
                Stmt::For(init, cond, incr, Box::new(b))
            }
            "break" | "continue" => {
                self.advance();
                if self.in_loop == 0 {
                    return Err(self.error(format!("{kw} statement outside of loop")));
                }
                self.end_simple()?;
                if kw == "break" {
                    Stmt::Break
                } else {
                    Stmt::Continue
                }
            }
            // only in the main rules (mawk: not in BEGIN, END or a function)
            "next" | "nextfile" => {
                self.advance();
                if self.in_begin_end || self.in_func {
                    return Err(self.error(format!("improper use of {kw}")));
                }
                self.end_simple()?;
                if kw == "next" {
                    Stmt::Next
                } else {
                    Stmt::NextFile
                }
            }
            "exit" | "return" => {
                self.advance();
                if kw == "return" && !self.in_func {
                    return Err(self.error("return outside function body".into()));
                }
                let e = if matches!(
                    self.peek(),
                    Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof
                ) {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.end_simple()?;
                if kw == "exit" {
                    Stmt::Exit(e)
                } else {
                    Stmt::Return(e)
                }
            }
            "delete" => {
                self.advance();
                let name = match self.advance() {
                    Tok::Ident(n) if !is_keyword(&n) => n,
                    _ => {
                        self.pos -= 1;
                        return Err(self.syntax_error());
                    }
                };
                let v = self.var(&name);
                self.use_as(v, true)?;
                let subs = if self.eat(&Tok::LBrack) {
                    let l = self.expr_list_until(&Tok::RBrack)?;
                    Some(l)
                } else {
                    None
                };
                self.end_simple()?;
                Stmt::Delete(v, subs)
            }
            "print" | "printf" => {
                let s = self.print()?;
                self.end_simple()?;
                s
            }
            "getline" => {
                let e = self.expr()?;
                self.end_simple()?;
                Stmt::Expr(e)
            }
            _ => return Err(self.syntax_error()),
        };
        Ok(Some(s))
    }

    /// `for`'s init and increment: an expression (or a print).
    fn simple(&mut self) -> R<Stmt> {
        if self.is_kw("print") || self.is_kw("printf") {
            return self.print();
        }
        Ok(Stmt::Expr(self.expr()?))
    }

    fn print(&mut self) -> R<Stmt> {
        let is_printf = self.is_kw("printf");
        self.advance();
        let saved = self.print_ctx;
        self.print_ctx = true;
        let mut args = Vec::new();
        // `print (a, b) > f`: a parenthesised list
        let mut grouped = false;
        if matches!(self.peek(), Tok::LParen) {
            let start = self.pos;
            self.advance();
            self.print_ctx = false;
            if let Ok(l) = self.expr_list_until(&Tok::RParen) {
                // `print (a, b)` and `print ()` (no arguments: $0)
                if l.len() != 1
                    && matches!(
                        self.peek(),
                        Tok::Semi
                            | Tok::Newline
                            | Tok::RBrace
                            | Tok::Eof
                            | Tok::Gt
                            | Tok::Append
                            | Tok::Pipe
                    )
                {
                    args = l;
                    grouped = true;
                }
            }
            self.print_ctx = true;
            if !grouped {
                self.pos = start;
            }
        }
        if !grouped
            && !matches!(
                self.peek(),
                Tok::Semi
                    | Tok::Newline
                    | Tok::RBrace
                    | Tok::Eof
                    | Tok::Gt
                    | Tok::Append
                    | Tok::Pipe
            )
        {
            loop {
                args.push(self.expr()?);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        self.print_ctx = false;
        if matches!(self.peek(), Tok::Ge) {
            // `>` redirects; the `=` after it is out of place
            return Err(self.error("syntax error at or near =".into()));
        }
        let redir = match self.peek() {
            Tok::Gt => Some(Redir::Trunc),
            Tok::Append => Some(Redir::Append),
            Tok::Pipe => Some(Redir::Pipe),
            _ => None,
        };
        let dest = match redir {
            Some(r) => {
                self.advance();
                Some((r, self.expr()?))
            }
            None => None,
        };
        self.print_ctx = saved;
        if is_printf {
            if args.is_empty() {
                return Err(self.error("no arguments in call to printf".into()));
            }
            Ok(Stmt::Printf(args, dest))
        } else {
            Ok(Stmt::Print(args, dest))
        }
    }

    fn expr_list_until(&mut self, close: &Tok) -> R<Vec<Expr>> {
        let saved = self.print_ctx;
        self.print_ctx = false;
        let mut v = Vec::new();
        if self.eat(close) {
            self.print_ctx = saved;
            return Ok(v);
        }
        loop {
            v.push(self.expr()?);
            if self.eat(close) {
                break;
            }
            self.expect(&Tok::Comma)?;
        }
        self.print_ctx = saved;
        Ok(v)
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("program limit exceeded: expression nesting".into()));
        }
        Ok(())
    }

    pub fn expr(&mut self) -> R<Expr> {
        self.enter()?;
        let r = self.ternary().and_then(|e| self.assignment(e));
        self.depth -= 1;
        r
    }

    fn ternary(&mut self) -> R<Expr> {
        let c = self.or()?;
        if self.eat(&Tok::Question) {
            self.skip_nl();
            let a = self.expr()?;
            self.skip_nl();
            self.expect(&Tok::Colon)?;
            self.skip_nl();
            let b = self.expr()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        Ok(c)
    }

    fn or(&mut self) -> R<Expr> {
        let base = self.depth;
        let r = self.or_chain();
        self.depth = base;
        r
    }

    /// Each link of a left-associative chain nests the tree one deeper.
    fn or_chain(&mut self) -> R<Expr> {
        let mut l = self.and()?;
        while self.eat(&Tok::Or) {
            self.enter()?;
            let r = self.and()?;
            let r = self.assignment(r)?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> R<Expr> {
        let base = self.depth;
        let r = self.and_chain();
        self.depth = base;
        r
    }

    /// Each link of a left-associative chain nests the tree one deeper.
    fn and_chain(&mut self) -> R<Expr> {
        let mut l = self.in_expr()?;
        while self.eat(&Tok::And) {
            self.enter()?;
            let r = self.in_expr()?;
            let r = self.assignment(r)?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn in_expr(&mut self) -> R<Expr> {
        let base = self.depth;
        let r = self.in_expr_chain();
        self.depth = base;
        r
    }

    /// Each link of a left-associative chain nests the tree one deeper.
    fn in_expr_chain(&mut self) -> R<Expr> {
        let mut l = self.match_expr()?;
        while self.is_kw("in") {
            self.enter()?;
            self.advance();
            let a = self.array_name()?;
            let subs = match l {
                Expr::Group(g) => vec![*g],
                e => vec![e],
            };
            l = Expr::In(subs, a);
        }
        Ok(l)
    }

    fn array_name(&mut self) -> R<Var> {
        match self.advance() {
            Tok::Ident(n) if !is_keyword(&n) && !is_builtin(&n) => {
                let v = self.var(&n);
                self.use_as(v, true)?;
                Ok(v)
            }
            _ => {
                self.pos -= 1;
                Err(self.syntax_error())
            }
        }
    }

    fn match_expr(&mut self) -> R<Expr> {
        let base = self.depth;
        let r = self.match_expr_chain();
        self.depth = base;
        r
    }

    /// Each link of a left-associative chain nests the tree one deeper.
    fn match_expr_chain(&mut self) -> R<Expr> {
        let mut l = self.cmp()?;
        loop {
            let neg = match self.peek() {
                Tok::Match => false,
                Tok::NoMatch => true,
                _ => return Ok(l),
            };
            self.advance();
            self.enter()?;
            let r = self.cmp()?;
            let r = self.assignment(r)?;
            l = Expr::Match(neg, Box::new(l), Box::new(r));
        }
    }

    fn cmp(&mut self) -> R<Expr> {
        let base = self.depth;
        let r = self.cmp_chain();
        self.depth = base;
        r
    }

    /// Each link of a left-associative chain nests the tree one deeper.
    fn cmp_chain(&mut self) -> R<Expr> {
        let mut l = self.concat()?;
        loop {
            let op = match self.peek() {
                Tok::Lt => CmpOp::Lt,
                Tok::Le => CmpOp::Le,
                Tok::Gt if !self.print_ctx => CmpOp::Gt,
                Tok::Ge if !self.print_ctx => CmpOp::Ge,
                Tok::Eq => CmpOp::Eq,
                Tok::Ne => CmpOp::Ne,
                _ => return Ok(l),
            };
            self.advance();
            self.enter()?;
            let r = self.concat()?;
            let r = self.assignment(r)?;
            l = Expr::Cmp(op, Box::new(l), Box::new(r));
        }
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Tok::Num(_)
            | Tok::Str(_)
            | Tok::Regex(_)
            | Tok::Call(_)
            | Tok::Dollar
            | Tok::Not
            | Tok::LParen
            | Tok::Minus
            | Tok::Plus
            | Tok::Incr
            | Tok::Decr => true,
            Tok::Ident(s) => !is_keyword(s) || s == "getline",
            _ => false,
        }
    }

    fn concat(&mut self) -> R<Expr> {
        let base = self.depth;
        let r = self.concat_chain();
        self.depth = base;
        r
    }

    /// Each link of a left-associative chain nests the tree one deeper.
    fn concat_chain(&mut self) -> R<Expr> {
        let mut l = self.additive()?;
        while self.starts_operand() && !matches!(self.peek(), Tok::Minus | Tok::Plus) {
            if self.is_kw("getline") {
                break;
            }
            self.enter()?;
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn additive(&mut self) -> R<Expr> {
        let base = self.depth;
        let r = self.additive_chain();
        self.depth = base;
        r
    }

    /// Each link of a left-associative chain nests the tree one deeper.
    fn additive_chain(&mut self) -> R<Expr> {
        let mut l = self.mul()?;
        loop {
            let op = match self.peek() {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(l),
            };
            self.advance();
            self.enter()?;
            let r = self.mul()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn mul(&mut self) -> R<Expr> {
        let base = self.depth;
        let r = self.mul_chain();
        self.depth = base;
        r
    }

    /// Each link of a left-associative chain nests the tree one deeper.
    fn mul_chain(&mut self) -> R<Expr> {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                Tok::Percent => BinOp::Mod,
                _ => return Ok(l),
            };
            self.advance();
            self.enter()?;
            let r = self.unary()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn unary(&mut self) -> R<Expr> {
        self.enter()?;
        let r = match self.peek() {
            Tok::Not => {
                self.advance();
                self.unary().map(|e| Expr::Not(Box::new(e)))
            }
            Tok::Minus => {
                self.advance();
                self.unary().map(|e| Expr::Neg(Box::new(e)))
            }
            Tok::Plus => {
                self.advance();
                self.unary().map(|e| Expr::UPlus(Box::new(e)))
            }
            _ => self.pipe_getline(),
        };
        self.depth -= 1;
        r
    }

    /// `cmd | getline [var]` (not in print's arguments).
    fn pipe_getline(&mut self) -> R<Expr> {
        let base = self.depth;
        let r = self.pipe_getline_chain();
        self.depth = base;
        r
    }

    /// Each link of a left-associative chain nests the tree one deeper.
    fn pipe_getline_chain(&mut self) -> R<Expr> {
        let mut l = self.pow()?;
        while matches!(self.peek(), Tok::Pipe)
            && !self.print_ctx
            && matches!(self.peek_at(1), Tok::Ident(s) if s == "getline")
        {
            self.advance();
            self.advance();
            self.enter()?;
            let lv = self.opt_getline_lvalue()?;
            l = Expr::Getline(GetlineSrc::Cmd(Box::new(l)), lv);
        }
        Ok(l)
    }

    fn pow(&mut self) -> R<Expr> {
        let base = self.postfix()?;
        if self.eat(&Tok::Caret) {
            self.enter()?;
            let e = self.pow_rhs();
            self.depth -= 1;
            return Ok(Expr::Bin(BinOp::Pow, Box::new(base), Box::new(e?)));
        }
        Ok(base)
    }

    fn pow_rhs(&mut self) -> R<Expr> {
        match self.peek() {
            Tok::Minus => {
                self.advance();
                self.enter()?;
                let e = self.pow_rhs();
                self.depth -= 1;
                Ok(Expr::Neg(Box::new(e?)))
            }
            Tok::Plus => {
                self.advance();
                self.enter()?;
                let e = self.pow_rhs();
                self.depth -= 1;
                Ok(Expr::UPlus(Box::new(e?)))
            }
            Tok::Not => {
                self.advance();
                self.enter()?;
                let e = self.pow_rhs();
                self.depth -= 1;
                Ok(Expr::Not(Box::new(e?)))
            }
            _ => self.pow(),
        }
    }

    fn postfix(&mut self) -> R<Expr> {
        let e = self.primary()?;
        let inc = match self.peek() {
            Tok::Incr => Some(true),
            Tok::Decr => Some(false),
            _ => None,
        };
        match (inc, e) {
            (Some(inc), Expr::Lv(lv)) => {
                self.advance();
                Ok(Expr::IncDec {
                    pre: false,
                    inc,
                    lv: Box::new(lv),
                })
            }
            (_, e) => Ok(e),
        }
    }

    /// `lvalue op= expr`, where mawk's grammar has it: an expression that
    /// starts with an lvalue, or the right operand of `|| && ~ == <`...
    /// (`"x" b = 1` and `1 + x = 1` are syntax errors at `=`).
    fn assignment(&mut self, e: Expr) -> R<Expr> {
        let op = match self.peek() {
            Tok::Assign => None,
            Tok::AddAsg => Some(BinOp::Add),
            Tok::SubAsg => Some(BinOp::Sub),
            Tok::MulAsg => Some(BinOp::Mul),
            Tok::DivAsg => Some(BinOp::Div),
            Tok::ModAsg => Some(BinOp::Mod),
            Tok::PowAsg => Some(BinOp::Pow),
            _ => return Ok(e),
        };
        match e {
            Expr::Lv(lv) => {
                self.advance();
                let r = self.expr()?;
                Ok(Expr::Assign(op, Box::new(lv), Box::new(r)))
            }
            other => Ok(other),
        }
    }

    /// The operand of `$`: a primary, `++`/`--` lvalue or a signed one.
    fn dollar_operand(&mut self) -> R<Expr> {
        self.enter()?;
        let r = match self.peek() {
            Tok::Minus => {
                self.advance();
                self.dollar_operand().map(|e| Expr::Neg(Box::new(e)))
            }
            Tok::Plus => {
                self.advance();
                self.dollar_operand().map(|e| Expr::UPlus(Box::new(e)))
            }
            Tok::Not => {
                self.advance();
                self.dollar_operand().map(|e| Expr::Not(Box::new(e)))
            }
            _ => self.primary(),
        };
        self.depth -= 1;
        r
    }

    fn opt_getline_lvalue(&mut self) -> R<Option<Box<LValue>>> {
        match self.peek() {
            Tok::Dollar => {
                self.advance();
                let e = self.dollar_operand()?;
                Ok(Some(Box::new(LValue::Field(Box::new(e)))))
            }
            Tok::Ident(n) if !is_keyword(n) && !is_builtin(n) => {
                let n = n.clone();
                self.advance();
                let v = self.var(&n);
                if self.eat(&Tok::LBrack) {
                    self.use_as(v, true)?;
                    let subs = self.expr_list_until(&Tok::RBrack)?;
                    Ok(Some(Box::new(LValue::Index(v, subs))))
                } else {
                    self.use_as(v, false)?;
                    Ok(Some(Box::new(LValue::Var(v))))
                }
            }
            _ => Ok(None),
        }
    }

    fn primary(&mut self) -> R<Expr> {
        self.enter()?;
        let r = self.primary_inner();
        self.depth -= 1;
        r
    }

    fn primary_inner(&mut self) -> R<Expr> {
        let line = self.line();
        match self.advance() {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(Rc::from(s))),
            Tok::Regex(r) => {
                if let Err(e) = super::re::Re::new(&r) {
                    return Err(ParseError {
                        line,
                        msg: format!(
                            "regular expression compile failed ({e})\n{}",
                            String::from_utf8_lossy(&r)
                        ),
                        then: None,
                    });
                }
                self.prog.regexes.push(r);
                Ok(Expr::Regex(self.prog.regexes.len() - 1))
            }
            Tok::Dollar => {
                let e = self.dollar_operand()?;
                Ok(Expr::Lv(LValue::Field(Box::new(e))))
            }
            Tok::Incr | Tok::Decr => {
                let inc = matches!(self.tok_at(self.pos - 1), Tok::Incr);
                let e = self.primary()?;
                match e {
                    Expr::Lv(lv) => Ok(Expr::IncDec {
                        pre: true,
                        inc,
                        lv: Box::new(lv),
                    }),
                    _ => Err(self.syntax_error()),
                }
            }
            Tok::Minus => self.unary().map(|e| Expr::Neg(Box::new(e))),
            Tok::Plus => self.unary().map(|e| Expr::UPlus(Box::new(e))),
            Tok::Not => self.unary().map(|e| Expr::Not(Box::new(e))),
            Tok::LParen => {
                let saved = self.print_ctx;
                self.print_ctx = false;
                let first = self.expr()?;
                if self.eat(&Tok::Comma) {
                    let mut l = vec![first];
                    loop {
                        l.push(self.expr()?);
                        if self.eat(&Tok::RParen) {
                            break;
                        }
                        self.expect(&Tok::Comma)?;
                    }
                    self.print_ctx = saved;
                    if !self.is_kw("in") {
                        return Err(self.syntax_error());
                    }
                    self.advance();
                    let a = self.array_name()?;
                    return Ok(Expr::In(l, a));
                }
                self.expect(&Tok::RParen)?;
                self.print_ctx = saved;
                Ok(match first {
                    // `($1)` is still a field (an lvalue), as in mawk
                    Expr::Lv(LValue::Field(f)) => Expr::Lv(LValue::Field(f)),
                    e => Expr::Group(Box::new(e)),
                })
            }
            Tok::Call(name) => {
                let fi = self.func_index(&name);
                self.expect(&Tok::LParen)?;
                let args = self.expr_list_until(&Tok::RParen)?;
                self.record_call(fi, line, &args);
                Ok(Expr::Call(fi, args))
            }
            Tok::Ident(name) => {
                if name == "getline" {
                    let lv = self.opt_getline_lvalue()?;
                    if self.eat(&Tok::Lt) {
                        let f = self.getline_file()?;
                        return Ok(Expr::Getline(GetlineSrc::File(Box::new(f)), lv));
                    }
                    return Ok(Expr::Getline(GetlineSrc::Main, lv));
                }
                if is_keyword(&name) {
                    self.pos -= 1;
                    return Err(self.syntax_error());
                }
                if let Some(b) = builtin_of(&name) {
                    return self.builtin(b, &name);
                }
                if let Some(&fi) = self.funcs.get(&name) {
                    // a defined function named without `(` right after
                    if matches!(self.peek(), Tok::LParen) {
                        self.advance();
                        let args = self.expr_list_until(&Tok::RParen)?;
                        self.record_call(fi, line, &args);
                        return Ok(Expr::Call(fi, args));
                    }
                    self.pos -= 1;
                    return Err(self.syntax_error());
                }
                let v = self.var(&name);
                if matches!(self.peek(), Tok::LBrack) {
                    self.use_as(v, true)?;
                    self.advance();
                    let subs = self.expr_list_until(&Tok::RBrack)?;
                    return Ok(Expr::Lv(LValue::Index(v, subs)));
                }
                // a bare name as a call's argument may be an array
                let bare_arg = matches!(self.peek(), Tok::Comma | Tok::RParen)
                    && matches!(
                        self.tok_at(self.pos.saturating_sub(2)),
                        Tok::LParen | Tok::Comma
                    );
                if !bare_arg {
                    self.use_as(v, false)?;
                }
                Ok(Expr::Lv(LValue::Var(v)))
            }
            _ => {
                self.pos -= 1;
                Err(self.syntax_error())
            }
        }
    }

    /// `getline < file`: the file is a primary (`$`, a name, a string...).
    fn getline_file(&mut self) -> R<Expr> {
        let e = self.primary()?;
        Ok(e)
    }

    fn builtin(&mut self, b: Builtin, name: &str) -> R<Expr> {
        if !matches!(self.peek(), Tok::LParen) {
            if b == Builtin::Length {
                return Ok(Expr::Builtin(b, Vec::new()));
            }
            return Err(self.syntax_error());
        }
        self.advance();
        let args = self.expr_list_until(&Tok::RParen)?;
        if b == Builtin::Split && args.len() < 2 {
            self.pos -= 1;
            return Err(self.syntax_error());
        }
        let (lo, hi) = arity(b);
        if args.len() < lo || args.len() > hi {
            return Err(self.error(format!("wrong number of arguments in call to {name}")));
        }
        // array and lvalue arguments
        match b {
            // length(name) is length of an array only if name is one already
            // (mawk's grammar); otherwise name becomes a variable
            Builtin::Length => {
                if let Some(Expr::Lv(LValue::Var(v))) = args.first() {
                    let known_array = match v {
                        Var::Global(g) => self.kinds.get(g) == Some(&true),
                        Var::Local(l) => self.local_kinds.get(l) == Some(&true),
                    };
                    if !known_array {
                        self.use_as(*v, false)?;
                    }
                }
            }
            Builtin::Split => match args[1] {
                Expr::Lv(LValue::Var(v)) => self.use_as(v, true)?,
                _ => return Err(self.error("syntax error at or near )".into())),
            },
            Builtin::Sub | Builtin::Gsub if args.len() == 3 && !matches!(args[2], Expr::Lv(_)) => {
                return Err(self.error("syntax error at or near )".into()));
            }
            _ => {}
        }
        Ok(Expr::Builtin(b, args))
    }
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Eof => "end of file".into(),
        Tok::Newline => "end of line".into(),
        Tok::Semi => ";".into(),
        Tok::LBrace => "{".into(),
        Tok::RBrace => "}".into(),
        Tok::LParen => "(".into(),
        Tok::RParen => ")".into(),
        Tok::LBrack => "[".into(),
        Tok::RBrack => "]".into(),
        Tok::Comma => ",".into(),
        Tok::Plus => "+".into(),
        Tok::Minus => "-".into(),
        Tok::Star => "*".into(),
        Tok::Slash => "/".into(),
        Tok::Percent => "%".into(),
        Tok::Caret => "^".into(),
        Tok::Not => "!".into(),
        Tok::Gt => ">".into(),
        Tok::Ge => ">=".into(),
        Tok::Lt => "<".into(),
        Tok::Le => "<=".into(),
        Tok::Eq => "==".into(),
        Tok::Ne => "!=".into(),
        Tok::Match => "~".into(),
        Tok::NoMatch => "!~".into(),
        Tok::And => "&&".into(),
        Tok::Or => "||".into(),
        Tok::Question => "?".into(),
        Tok::Colon => ":".into(),
        Tok::Assign => "=".into(),
        Tok::AddAsg => "+=".into(),
        Tok::SubAsg => "-=".into(),
        Tok::MulAsg => "*=".into(),
        Tok::DivAsg => "/=".into(),
        Tok::ModAsg => "%=".into(),
        Tok::PowAsg => "^=".into(),
        Tok::Incr => "++".into(),
        Tok::Decr => "--".into(),
        Tok::Dollar => "$".into(),
        Tok::Pipe => "|".into(),
        Tok::Append => ">>".into(),
        Tok::Num(n) => super::value::num_to_str(*n, b"%.6g")
            .iter()
            .map(|&c| c as char)
            .collect(),
        Tok::Str(s) => String::from_utf8_lossy(s).into_owned(),
        Tok::Regex(r) => format!("/{}/", String::from_utf8_lossy(r)),
        Tok::Ident(s) | Tok::Call(s) => s.clone(),
    }
}
