//! Lexer and recursive-descent parser for the shell subset.
//!
//! The grammar follows POSIX `sh` (XCU 2.10) restricted to what lab scripts
//! use. Lexing is done on demand by the parser (one token of look-ahead),
//! because the lexer needs the parser for `$(...)` and reserved words are only
//! reserved in command position.
//!
//! Scripts are parsed one *complete command* (everything up to an unquoted
//! newline) at a time, so a runner can execute each before parsing the next,
//! as bash does: a syntax error on line 5 does not stop lines 1-4 from running.
//!
//! Nesting (`{`, `if`, `$(`, `((`) is limited to [`MAX_NESTING`] levels, so
//! that a hostile script cannot overflow the stack: bash has no such limit
//! but recurses on the C stack too.

use std::cell::RefCell;
use std::rc::Rc;

/// How deep compound commands and substitutions may nest while parsing
/// (each level costs a few kB of stack; test threads have 2 MB).
pub(crate) const MAX_NESTING: usize = 1000;

/// The error for nesting past [`MAX_NESTING`] or the stack budget.
fn too_deep(p: &Parser) -> ParseError {
    p.error_here(ErrKind::Other(format!(
        "syntax error: nesting too deep (more than {MAX_NESTING} levels or 1 MB of stack)"
    )))
}

/// One piece of a word, before expansion.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    /// Unquoted literal text.
    Lit(String),
    /// Text from quotes or a backslash escape: literal, never field-split.
    Quoted(String),
    /// `$NAME`, `${NAME}`, `$?`, `${NAME:-word}`, `${#NAME}` ...
    Param {
        name: String,
        op: Option<ParamOp>,
        quoted: bool,
    },
    /// A `${...}` form that is not supported: "bad substitution" when expanded.
    Bad(String),
    /// `$(...)` or `` `...` ``.
    CmdSub { body: List, quoted: bool },
    /// `$((...))`: the raw expression text.
    Arith { expr: String, quoted: bool },
}

/// What `${NAME<op>...}` does with the value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ParamOp {
    /// `${#NAME}`
    Length,
    /// `${!NAME}`: the value of the variable NAME names.
    Indirect,
    /// `${NAME:offset}` / `${NAME:offset:length}`: arithmetic texts.
    Substr(String, Option<String>),
    /// `${NAME^^}` `${NAME^}` `${NAME,,}` `${NAME,}` and the pattern.
    Case(String, Word),
    /// `?` / `:?` and the message word.
    Error(bool, Word),
    /// `-`, `:-`, `+`, `:+`, `=`, `:=` and the word.
    Test(String, Word),
    /// `#`, `##`, `%`, `%%` and the pattern.
    Trim(String, Word),
    /// `${NAME/pattern/with}`; `mode` is `/` (first), `A` (all: written
    /// `//`), `#` (prefix) or `%` (suffix).
    Replace {
        mode: char,
        pattern: Word,
        with: Word,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Word(pub Vec<Part>);

impl Word {
    /// The word's text if it is a single unquoted literal (reserved words,
    /// assignments, `for` variable names).
    pub fn literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }

    fn push_lit(&mut self, c: char) {
        match self.0.last_mut() {
            Some(Part::Lit(s)) => s.push(c),
            _ => self.0.push(Part::Lit(c.to_string())),
        }
    }

    fn push_quoted(&mut self, s: &str) {
        match self.0.last_mut() {
            Some(Part::Quoted(q)) => q.push_str(s),
            _ => self.0.push(Part::Quoted(s.to_string())),
        }
    }
}

pub(crate) type List = Vec<Item>;

/// An and-or list followed by `;`/newline (`background == false`) or `&`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub and_or: AndOr,
    pub background: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AndOr {
    pub first: Pipeline,
    /// `true` = `&&`, `false` = `||`.
    pub rest: Vec<(bool, Pipeline)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Command {
    Simple(Simple),
    Compound(Compound, Vec<Redir>),
    /// `name() compound` or `function name compound`.
    FuncDef {
        name: String,
        body: Rc<Command>,
    },
}

/// How a `case` arm ends: `;;`, `;&` (run the next arm's body too) or
/// `;;&` (test the next patterns too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseEnd {
    Break,
    FallThrough,
    TestNext,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
    pub end: CaseEnd,
}

/// A `[[ … ]]` expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    /// A lone word: true when not empty.
    Word(Word),
    /// `-f word`, `-z word` ...
    Unary(String, Word),
    /// `a == b`, `a -lt b`, `a =~ re` ...
    Binary(Word, String, Word),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

/// `NAME=word`, `NAME+=word`, `NAME[sub]=word`, `NAME=(words…)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assign {
    /// The name, with `[sub]` when given.
    pub name: String,
    pub append: bool,
    pub value: Word,
    /// `NAME=(…)`: the array's words (`value` is empty then).
    pub array: Option<Vec<Word>>,
    /// `NAME[$i]=…`: a subscript to expand (`name` is the bare name then).
    pub subscript: Option<Word>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Simple {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Compound {
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    For {
        var: String,
        items: Vec<Word>,
        body: List,
        line: usize,
    },
    While {
        cond: List,
        body: List,
        until: bool,
    },
    Group(List),
    Subshell(List),
    Case {
        word: Word,
        /// The word as written (`set -x` shows it so).
        raw: String,
        arms: Vec<CaseArm>,
        line: usize,
    },
    /// `[[ … ]]`
    Cond(Cond, usize),
    /// `(( … ))`: the expression text.
    Arith(String, usize),
    /// `for (( init; cond; step ))`
    ArithFor {
        parts: [String; 3],
        body: List,
        line: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RedirOp {
    /// `>` or `>|`
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `>&` (`2>&1`)
    DupOut,
    /// `<&`
    DupIn,
    /// `&>`
    OutErr,
    /// `&>>`
    OutErrAppend,
    /// `<<` and `<<-`: the body is in `Redir::here`.
    HereDoc,
    /// `<<<`
    HereString,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Redir {
    pub fd: Option<u32>,
    pub op: RedirOp,
    pub target: Word,
    /// The target as written (for `$X: ambiguous redirect`).
    pub raw: String,
    /// A here-document's body, filled in when the lexer reaches the end of
    /// the line the `<<` is on.
    pub here: Option<Rc<RefCell<Word>>>,
    /// `< <(list)`: process substitution as the input (the only place
    /// vnet's shell takes it).
    pub proc_sub: Option<List>,
}

/// A here-document whose body the lexer has yet to read.
#[derive(Debug)]
struct PendingHere {
    delim: String,
    strip_tabs: bool,
    quoted: bool,
    body: Rc<RefCell<Word>>,
}

/// What went wrong, with the line (1-based, counted from the parser's first
/// line) and byte offset where it was noticed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParseError {
    pub kind: ErrKind,
    pub line: usize,
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ErrKind {
    /// `syntax error near unexpected token `TOK'`; `context` is the source line.
    Unexpected { tok: String, context: String },
    /// `syntax error: unexpected end of file` (input is incomplete).
    Eof,
    /// `unexpected EOF while looking for matching `Q'` (input is incomplete).
    EofQuote(char),
    /// Trailing backslash at the very end of interactive input.
    EofBackslash,
    /// A `[[` syntax error: bash's one-line message (empty: none), and
    /// `$?` stays as it was.
    Cond(String),
    /// Any other message, printed as is.
    Other(String),
}

impl ParseError {
    /// True when more input could complete the command (an interactive
    /// caller should read another line).
    pub fn is_incomplete(&self) -> bool {
        matches!(
            self.kind,
            ErrKind::Eof | ErrKind::EofQuote(_) | ErrKind::EofBackslash
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
enum TokKind {
    Word(Word),
    /// Digits directly before a redirection operator (`2>`).
    IoNum(u32),
    Op(&'static str),
    Newline,
    Eof,
}

#[derive(Debug, Clone)]
struct Tok {
    kind: TokKind,
    line: usize,
    start: usize,
    end: usize,
}

/// A top-level complete command and where it sits in the source.
pub(crate) struct Parsed {
    pub list: List,
    pub start: usize,
    pub end: usize,
}

const OPS: &[&str] = &[
    "&&", "&>>", "&>", "&", "||", "|", ";;&", ";;", ";&", ";", "<<<", "<<-", "<<", "<&", "<", ">>",
    ">&", ">|", ">", "(", ")",
];

const TERMINATORS: &[&str] = &["then", "else", "elif", "fi", "do", "done", "}", "esac"];

pub(crate) struct Parser<'a> {
    src: &'a str,
    pos: usize,
    line: usize,
    peeked: Option<Tok>,
    last_end: usize,
    /// Start of the complete command being parsed (for error recovery).
    pub cmd_start: usize,
    /// Script mode: a backslash at the very end of the input is ignored
    /// (bash does so) instead of asking for more input.
    pub script: bool,
    /// Here-documents opened on the current line.
    pending_here: Vec<PendingHere>,
    /// Where the last here-document body ended (a complete command's text
    /// runs to there).
    here_end: usize,
    /// Warnings to print (a here-document ended by end of file).
    pub warnings: Vec<String>,
    depth: usize,
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str, first_line: usize) -> Self {
        Self::at(src, 0, first_line)
    }

    /// A parser starting at byte `pos` of `src`, which is on line `line`.
    pub fn at(src: &'a str, pos: usize, line: usize) -> Self {
        Parser {
            src,
            pos,
            line,
            peeked: None,
            last_end: pos,
            cmd_start: pos,
            script: false,
            pending_here: Vec::new(),
            here_end: 0,
            warnings: Vec::new(),
            depth: 0,
        }
    }

    /// Parses the next top-level complete command; `None` at end of input.
    pub fn next_command(&mut self) -> Result<Option<Parsed>, ParseError> {
        let _stack = crate::stack::enter();
        self.cmd_start = self.pos;
        while self.peek()?.kind == TokKind::Newline {
            self.next()?;
            self.cmd_start = self.pos;
        }
        let tok = self.peek()?;
        if tok.kind == TokKind::Eof {
            return Ok(None);
        }
        let start = tok.start;
        let list = self.parse_top_list()?;
        let end = self.last_end;
        let end = if self.here_end > end {
            self.here_end.saturating_sub(1).max(end)
        } else {
            end
        };
        match self.peek()?.kind {
            TokKind::Newline => {
                self.next()?;
            }
            TokKind::Eof => {}
            _ => return Err(self.unexpected()),
        }
        Ok(Some(Parsed { list, start, end }))
    }

    // ---- grammar ----

    fn parse_top_list(&mut self) -> Result<List, ParseError> {
        let mut items = Vec::new();
        loop {
            let and_or = self.parse_and_or()?;
            let background = match self.peek()?.kind {
                TokKind::Op("&") => true,
                TokKind::Op(";") => false,
                _ => {
                    items.push(Item {
                        and_or,
                        background: false,
                    });
                    return Ok(items);
                }
            };
            self.next()?;
            items.push(Item { and_or, background });
            if matches!(self.peek()?.kind, TokKind::Newline | TokKind::Eof) {
                return Ok(items);
            }
        }
    }

    /// A list inside a compound command: and-or lists separated by `;`, `&`
    /// or newlines, up to a terminating reserved word or `)`.
    fn parse_compound_list(&mut self, allow_empty: bool) -> Result<List, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.at_list_end()? {
                break;
            }
            let and_or = self.parse_and_or()?;
            let background = match self.peek()?.kind {
                TokKind::Op("&") => true,
                TokKind::Op(";") => false,
                TokKind::Newline => false,
                _ => {
                    items.push(Item {
                        and_or,
                        background: false,
                    });
                    break;
                }
            };
            self.next()?;
            items.push(Item { and_or, background });
        }
        if items.is_empty() && !allow_empty {
            return Err(self.unexpected());
        }
        Ok(items)
    }

    fn at_list_end(&mut self) -> Result<bool, ParseError> {
        Ok(match &self.peek()?.kind {
            TokKind::Eof | TokKind::Op(")" | ";;" | ";&" | ";;&") => true,
            TokKind::Word(w) => w.literal().is_some_and(|s| TERMINATORS.contains(&s)),
            _ => false,
        })
    }

    fn parse_and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            let and = match self.peek()?.kind {
                TokKind::Op("&&") => true,
                TokKind::Op("||") => false,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((and, self.parse_pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn parse_pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let bang = self.peek_keyword()? == Some("!");
        if bang {
            self.next()?;
        }
        let mut cmds = vec![self.parse_command()?];
        while self.peek()?.kind == TokKind::Op("|") {
            self.next()?;
            self.skip_newlines()?;
            cmds.push(self.parse_command()?);
        }
        Ok(Pipeline { bang, cmds })
    }

    fn parse_command(&mut self) -> Result<Command, ParseError> {
        if self.depth >= MAX_NESTING || crate::stack::low() {
            return Err(too_deep(self));
        }
        self.depth += 1;
        let cmd = self.parse_command_inner();
        self.depth -= 1;
        cmd
    }

    fn parse_command_inner(&mut self) -> Result<Command, ParseError> {
        let compound = match self.peek_keyword()? {
            Some("if") => self.parse_if()?,
            Some("for") => self.parse_for()?,
            Some(k @ ("while" | "until")) => {
                let until = k == "until";
                self.next()?;
                let cond = self.parse_compound_list(false)?;
                let body = self.parse_do_group()?;
                Compound::While { cond, body, until }
            }
            Some("{") => {
                self.next()?;
                let list = self.parse_compound_list(false)?;
                self.expect_keyword("}")?;
                Compound::Group(list)
            }
            Some("case") => self.parse_case()?,
            Some("[[") => self.parse_cond_command()?,
            Some("function") => {
                self.next()?;
                let tok = self.next()?;
                let name = match &tok.kind {
                    TokKind::Word(w) if w.literal().is_some() => {
                        self.src[tok.start..tok.end].to_string()
                    }
                    _ => return Err(self.unexpected_tok(&tok)),
                };
                if self.peek()?.kind == TokKind::Op("(") {
                    self.next()?;
                    self.expect_op(")")?;
                }
                return self.parse_func_body(name);
            }
            Some(k @ "select") => {
                let msg = format!("`{k}' is not supported by vnet's shell");
                return Err(self.error_here(ErrKind::Other(msg)));
            }
            Some(k) if TERMINATORS.contains(&k) || k == "!" => return Err(self.unexpected()),
            _ => match self.peek()?.kind.clone() {
                TokKind::Op("(") if self.at_double_paren() => {
                    let line = self.peek()?.line;
                    match self.lex_arith_text()? {
                        Some(expr) => Compound::Arith(expr, line),
                        None => {
                            self.next()?;
                            let list = self.parse_compound_list(false)?;
                            self.expect_op(")")?;
                            Compound::Subshell(list)
                        }
                    }
                }
                TokKind::Op("(") => {
                    self.next()?;
                    let list = self.parse_compound_list(false)?;
                    self.expect_op(")")?;
                    Compound::Subshell(list)
                }
                _ => return self.parse_simple(),
            },
        };
        let mut redirs = Vec::new();
        while self.at_redirection()? {
            redirs.push(self.parse_redir()?);
        }
        Ok(Command::Compound(compound, redirs))
    }

    fn parse_if(&mut self) -> Result<Compound, ParseError> {
        self.next()?; // if
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.parse_compound_list(false)?;
            self.expect_keyword("then")?;
            let body = self.parse_compound_list(false)?;
            branches.push((cond, body));
            match self.peek_keyword()? {
                Some("elif") => {
                    self.next()?;
                }
                Some("else") => {
                    self.next()?;
                    otherwise = Some(self.parse_compound_list(false)?);
                    self.expect_keyword("fi")?;
                    break;
                }
                _ => {
                    self.expect_keyword("fi")?;
                    break;
                }
            }
        }
        Ok(Compound::If {
            branches,
            otherwise,
        })
    }

    fn parse_for(&mut self) -> Result<Compound, ParseError> {
        let line = self.next()?.line; // for
        if self.peek()?.kind == TokKind::Op("(") && self.at_double_paren() {
            let Some(text) = self.lex_arith_text()? else {
                return Err(self.unexpected());
            };
            let mut parts = split_top(&text, ';').into_iter();
            let mut part = || parts.next().unwrap_or_default();
            let parts = [part(), part(), part()];
            if self.peek()?.kind == TokKind::Op(";") {
                self.next()?;
            }
            self.skip_newlines()?;
            let body = if self.peek_keyword()? == Some("{") {
                self.next()?;
                let list = self.parse_compound_list(false)?;
                self.expect_keyword("}")?;
                list
            } else {
                self.parse_do_group()?
            };
            return Ok(Compound::ArithFor { parts, body, line });
        }
        let tok = self.next()?;
        let var = match &tok.kind {
            TokKind::Word(_) => self.src[tok.start..tok.end].to_string(),
            TokKind::Eof => return Err(self.error_here(ErrKind::Eof)),
            _ => return Err(self.unexpected_tok(&tok)),
        };
        self.skip_newlines()?;
        let mut items = Vec::new();
        if self.peek_keyword()? == Some("in") {
            self.next()?;
            loop {
                let tok = self.next()?;
                match tok.kind {
                    TokKind::Word(w) => items.push(w),
                    TokKind::Op(";") | TokKind::Newline => break,
                    TokKind::Eof => return Err(self.error_here(ErrKind::Eof)),
                    _ => return Err(self.unexpected_tok(&tok)),
                }
            }
        } else {
            // `for x; do` iterates over the positional parameters.
            items.push(Word(vec![Part::Param {
                name: "@".into(),
                op: None,
                quoted: true,
            }]));
            if self.peek()?.kind == TokKind::Op(";") {
                self.next()?;
            }
        }
        let body = self.parse_do_group()?;
        Ok(Compound::For {
            var,
            items,
            body,
            line,
        })
    }

    fn parse_do_group(&mut self) -> Result<List, ParseError> {
        self.skip_newlines()?;
        self.expect_keyword("do")?;
        let body = self.parse_compound_list(false)?;
        self.expect_keyword("done")?;
        Ok(body)
    }

    fn parse_simple(&mut self) -> Result<Command, ParseError> {
        let line = self.peek()?.line;
        let start = self.peek()?.start;
        let mut simple = Simple {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
            line,
        };
        loop {
            if self.at_redirection()? {
                simple.redirs.push(self.parse_redir()?);
                continue;
            }
            let TokKind::Word(_) = self.peek()?.kind else {
                break;
            };
            let TokKind::Word(w) = self.next()?.kind else {
                unreachable!()
            };
            let declaring = simple
                .words
                .first()
                .and_then(Word::literal)
                .is_some_and(|c| {
                    matches!(c, "local" | "declare" | "typeset" | "readonly" | "export")
                });
            if declaring && self.peek()?.kind == TokKind::Op("(") {
                if let Some(a) = split_assignment(&w).filter(|a| a.value.0.is_empty()) {
                    // `local a=(x y)`: the builtin gets `a=(x y)` as one word.
                    self.next()?;
                    // The builtin gets `NAME=(` ITEMS… `)` between
                    // markers no argument can hold (see ARRAY_OPEN).
                    simple.words.push(Word(vec![Part::Quoted(format!(
                        "{}{}{ARRAY_OPEN}",
                        a.name,
                        if a.append { "+=" } else { "=" }
                    ))]));
                    loop {
                        let tok = self.next()?;
                        match tok.kind {
                            TokKind::Word(item) => simple.words.push(item),
                            TokKind::Newline => {}
                            TokKind::Op(")") => break,
                            TokKind::Eof => return Err(self.error_here(ErrKind::Eof)),
                            _ => return Err(self.unexpected_tok(&tok)),
                        }
                    }
                    simple
                        .words
                        .push(Word(vec![Part::Quoted(ARRAY_CLOSE.into())]));
                    continue;
                }
            }
            match split_assignment(&w) {
                Some(mut a) if simple.words.is_empty() => {
                    if a.value.0.is_empty() && self.peek()?.kind == TokKind::Op("(") {
                        self.next()?;
                        let mut items = Vec::new();
                        loop {
                            let tok = self.next()?;
                            match tok.kind {
                                TokKind::Word(w) => items.push(w),
                                TokKind::Newline => {}
                                TokKind::Op(")") => break,
                                TokKind::Eof => return Err(self.error_here(ErrKind::Eof)),
                                _ => return Err(self.unexpected_tok(&tok)),
                            }
                        }
                        a.array = Some(items);
                    }
                    simple.assigns.push(a)
                }
                _ => simple.words.push(w),
            }
        }
        if simple.assigns.is_empty() && simple.words.is_empty() && simple.redirs.is_empty() {
            return Err(self.unexpected());
        }
        if let ([w], true, true) = (
            simple.words.as_slice(),
            simple.assigns.is_empty() && simple.redirs.is_empty(),
            self.peek()?.kind == TokKind::Op("("),
        ) {
            if let Some(name) = w.literal() {
                let name = name.to_string();
                self.next()?;
                if self.peek()?.kind != TokKind::Op(")") {
                    let tok = self.peek()?.clone();
                    if tok.kind == TokKind::Eof && self.script {
                        return Err(ParseError {
                            kind: ErrKind::Unexpected {
                                tok: "newline".into(),
                                context: self.context(tok.start),
                            },
                            line: tok.line,
                            pos: tok.start,
                        });
                    }
                }
                self.expect_op(")")?;
                return self.parse_func_body(name);
            }
        }
        // bash numbers a command by the line its last word ends on, not
        // counting `\`-newline continuations.
        let text = &self.src[start.min(self.last_end)..self.last_end];
        let newlines = text.matches('\n').count();
        let continued = text.matches("\\\n").count();
        simple.line = line + newlines.saturating_sub(continued);
        Ok(Command::Simple(simple))
    }

    /// After `name (` : `)`, newlines and the compound command.
    fn parse_func_body(&mut self, name: String) -> Result<Command, ParseError> {
        self.skip_newlines()?;
        let compound_start = match self.peek()?.kind.clone() {
            TokKind::Op("(") => true,
            TokKind::Word(w) => matches!(
                w.literal(),
                Some("{" | "if" | "for" | "while" | "until" | "case" | "[[")
            ),
            _ => false,
        };
        if !compound_start {
            return Err(self.unexpected());
        }
        match self.parse_command()? {
            body @ Command::Compound(..) => Ok(Command::FuncDef {
                name,
                body: Rc::new(body),
            }),
            _ => Err(self.unexpected()),
        }
    }

    /// `case WORD in [(]pat[|pat]…) list ;; … esac`
    fn parse_case(&mut self) -> Result<Compound, ParseError> {
        let line = self.next()?.line; // case
        let tok = self.next()?;
        let raw = self.src[tok.start..tok.end].to_string();
        let word = match tok.kind {
            TokKind::Word(w) => w,
            TokKind::Eof => return Err(self.error_here(ErrKind::Eof)),
            _ => return Err(self.unexpected_tok(&tok)),
        };
        self.skip_newlines()?;
        self.expect_keyword("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_keyword()? == Some("esac") {
                self.next()?;
                break;
            }
            if self.peek()?.kind == TokKind::Op("(") {
                self.next()?;
            }
            let mut patterns = Vec::new();
            loop {
                let tok = self.next()?;
                match tok.kind {
                    TokKind::Word(w) => patterns.push(w),
                    TokKind::Eof => return Err(self.error_here(ErrKind::Eof)),
                    _ => return Err(self.unexpected_tok(&tok)),
                }
                let tok = self.next()?;
                match tok.kind {
                    TokKind::Op("|") => {}
                    TokKind::Op(")") => break,
                    TokKind::Eof => return Err(self.error_here(ErrKind::Eof)),
                    _ => return Err(self.unexpected_tok(&tok)),
                }
            }
            let body = self.parse_compound_list(true)?;
            let end = match self.peek()?.kind {
                TokKind::Op(";;") => CaseEnd::Break,
                TokKind::Op(";&") => CaseEnd::FallThrough,
                TokKind::Op(";;&") => CaseEnd::TestNext,
                _ => {
                    arms.push(CaseArm {
                        patterns,
                        body,
                        end: CaseEnd::Break,
                    });
                    self.expect_keyword("esac")?;
                    break;
                }
            };
            self.next()?;
            arms.push(CaseArm {
                patterns,
                body,
                end,
            });
        }
        Ok(Compound::Case {
            word,
            raw,
            arms,
            line,
        })
    }

    /// `[[ expr ]]`. Its syntax errors are bash's one-line messages.
    fn parse_cond_command(&mut self) -> Result<Compound, ParseError> {
        let line = self.next()?.line; // [[
        if self.peek_cond_word()? == Some("]]") {
            // bash prints nothing for `[[ ]]`, and stops.
            return Err(self.cond_err(String::new()));
        }
        let cond = self.parse_cond_or()?;
        match self.peek_cond_word()? {
            Some("]]") => {
                self.next()?;
                Ok(Compound::Cond(cond, line))
            }
            _ => match self.peek()?.kind {
                TokKind::Eof => Err(self.error_here(ErrKind::Eof)),
                TokKind::Op(")") => Err(self.cond_err(
                    "syntax error in conditional expression: unexpected token `)'".into(),
                )),
                _ => Err(self.cond_err("syntax error in conditional expression".into())),
            },
        }
    }

    /// A `[[` syntax error at the peeked token (end of input is
    /// "incomplete").
    fn cond_err(&mut self, msg: String) -> ParseError {
        match self.peek() {
            Ok(tok) if tok.kind == TokKind::Eof => self.error_here(ErrKind::Eof),
            Ok(tok) => ParseError {
                kind: ErrKind::Cond(msg),
                line: tok.line,
                pos: tok.start,
            },
            Err(e) => e,
        }
    }

    /// The peeked token as `[[`'s messages name it.
    fn cond_tok_text(&mut self) -> String {
        match self.peek() {
            Ok(tok) => {
                let tok = tok.clone();
                match tok.kind {
                    TokKind::Newline => "newline".into(),
                    TokKind::Op(op) => op.into(),
                    _ => self.src[tok.start..tok.end].to_string(),
                }
            }
            Err(_) => String::new(),
        }
    }

    /// The peeked token's text when it is a plain word (`]]`, `-f`, `!`).
    fn peek_cond_word(&mut self) -> Result<Option<&str>, ParseError> {
        let tok = self.peek()?.clone();
        Ok(match tok.kind {
            TokKind::Word(w) if w.literal().is_some() => Some(&self.src[tok.start..tok.end]),
            _ => None,
        })
    }

    fn parse_cond_or(&mut self) -> Result<Cond, ParseError> {
        let mut lhs = self.parse_cond_and()?;
        while self.peek()?.kind == TokKind::Op("||") {
            self.next()?;
            self.skip_newlines()?;
            lhs = Cond::Or(Box::new(lhs), Box::new(self.parse_cond_and()?));
        }
        Ok(lhs)
    }

    fn parse_cond_and(&mut self) -> Result<Cond, ParseError> {
        let mut lhs = self.parse_cond_term()?;
        while self.peek()?.kind == TokKind::Op("&&") {
            self.next()?;
            self.skip_newlines()?;
            lhs = Cond::And(Box::new(lhs), Box::new(self.parse_cond_term()?));
        }
        Ok(lhs)
    }

    /// An operand of a `[[` operator: a word (not `]]`).
    fn cond_operand(&mut self, which: &str) -> Result<Word, ParseError> {
        let tok = self.peek()?.clone();
        match tok.kind {
            TokKind::Word(w) if self.src[tok.start..tok.end] != *"]]" => {
                self.next()?;
                Ok(w)
            }
            _ => {
                let t = self.cond_tok_text();
                Err(self.cond_err(format!(
                    "unexpected argument `{t}' to conditional {which} operator"
                )))
            }
        }
    }

    fn parse_cond_term(&mut self) -> Result<Cond, ParseError> {
        if self.depth >= MAX_NESTING || crate::stack::low() {
            return Err(too_deep(self));
        }
        self.skip_newlines()?;
        if self.peek()?.kind == TokKind::Op("(") {
            self.next()?;
            self.depth += 1;
            let inner = self.parse_cond_or();
            self.depth -= 1;
            let inner = inner?;
            if self.peek()?.kind != TokKind::Op(")") {
                let t = self.cond_tok_text();
                return Err(self.cond_err(format!("unexpected token `{t}', expected `)'")));
            }
            self.next()?;
            return Ok(inner);
        }
        match self.peek_cond_word()? {
            Some("!") => {
                self.next()?;
                self.depth += 1;
                let inner = self.parse_cond_term();
                self.depth -= 1;
                return Ok(Cond::Not(Box::new(inner?)));
            }
            Some(op) if is_cond_unary(op) => {
                let op = op.to_string();
                self.next()?;
                return Ok(Cond::Unary(op, self.cond_operand("unary")?));
            }
            _ => {}
        }
        let lhs = match self.peek()?.kind.clone() {
            TokKind::Word(w) if self.peek_cond_word()? != Some("]]") => {
                self.next()?;
                w
            }
            TokKind::Eof => return Err(self.error_here(ErrKind::Eof)),
            _ => {
                let t = self.cond_tok_text();
                return Err(self.cond_err(format!("unexpected token `{t}' in conditional command")));
            }
        };
        let op = match self.peek()?.kind.clone() {
            TokKind::Op(op @ ("<" | ">")) => op.to_string(),
            TokKind::Word(_) => match self.peek_cond_word()? {
                Some(op) if is_cond_binary(op) => op.to_string(),
                Some("]]") => return Ok(Cond::Word(lhs)),
                _ => return Err(self.cond_err("conditional binary operator expected".into())),
            },
            TokKind::Newline => {
                return Err(self.cond_err(
                    "unexpected token `newline', conditional binary operator expected".into(),
                ))
            }
            _ => return Ok(Cond::Word(lhs)),
        };
        self.next()?;
        let rhs = if op == "=~" {
            if matches!(self.peek_char(), Some('\n') | None) {
                let t = if self.peek_char().is_some() {
                    "newline"
                } else {
                    ""
                };
                if t.is_empty() {
                    return Err(self.error_here(ErrKind::Eof));
                }
                return Err(self.cond_err(format!(
                    "unexpected argument `{t}' to conditional binary operator"
                )));
            }
            self.lex_regex_word()?
        } else {
            self.cond_operand("binary")?
        };
        Ok(Cond::Binary(lhs, op, rhs))
    }

    /// The right side of `=~`: up to a blank outside parentheses, where
    /// `(`, `)` and `|` are part of the word.
    fn lex_regex_word(&mut self) -> Result<Word, ParseError> {
        debug_assert!(self.peeked.is_none());
        while matches!(self.peek_char(), Some(' ' | '\t')) {
            self.bump();
        }
        let mut w = Word::default();
        let mut depth = 0usize;
        while let Some(c) = self.peek_char() {
            match c {
                ' ' | '\t' | '\n' if depth == 0 => break,
                '(' => depth += 1,
                ')' if depth == 0 => break,
                ')' => depth -= 1,
                _ => {}
            }
            match c {
                '\\' | '\'' | '"' | '$' | '`' => {
                    let part = self.lex_word(Some(" \t\n()|"), false)?;
                    w.0.extend(part.0);
                }
                _ => {
                    self.bump();
                    w.push_lit(c);
                }
            }
        }
        Ok(w)
    }

    /// Whether the peeked `(` is directly followed by another.
    fn at_double_paren(&mut self) -> bool {
        let src = self.src;
        match self.peek() {
            Ok(tok) => src[tok.start..].starts_with("(("),
            Err(_) => false,
        }
    }

    /// At a peeked `((`: the text up to the matching `))`, consuming it;
    /// None (nothing consumed) when the parentheses do not close that way,
    /// which makes it a nested subshell.
    fn lex_arith_text(&mut self) -> Result<Option<String>, ParseError> {
        let start = match self.peek() {
            Ok(tok) => tok.start + 2,
            Err(e) => return Err(e),
        };
        let bytes = self.src.as_bytes();
        let mut depth = 0usize;
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'(' => depth += 1,
                b')' if depth > 0 => depth -= 1,
                b')' if bytes.get(i + 1) == Some(&b')') => {
                    let text = self.src[start..i].to_string();
                    self.peeked = None;
                    while self.pos < i + 2 {
                        self.bump();
                    }
                    self.last_end = self.pos;
                    return Ok(Some(text));
                }
                b')' => return Ok(None),
                _ => {}
            }
            i += 1;
        }
        let here = self.line;
        let line = self.peek().map_or(here, |t| t.line);
        Err(ParseError {
            kind: ErrKind::EofQuote(')'),
            line,
            pos: start,
        })
    }

    fn at_redirection(&mut self) -> Result<bool, ParseError> {
        Ok(match self.peek()?.kind {
            TokKind::IoNum(_) => true,
            TokKind::Op(op) => redir_op(op).is_some(),
            _ => false,
        })
    }

    fn parse_redir(&mut self) -> Result<Redir, ParseError> {
        let mut tok = self.next()?;
        let fd = match tok.kind {
            TokKind::IoNum(n) => {
                tok = self.next()?;
                Some(n)
            }
            _ => None,
        };
        let op = match tok.kind {
            TokKind::Op(op) => redir_op(op),
            _ => None,
        };
        let Some(op) = op else {
            return Err(self.unexpected_tok(&tok));
        };
        let strip_tabs = tok.kind == TokKind::Op("<<-");
        if op == RedirOp::In
            && self.peek()?.kind == TokKind::Op("<")
            && self.src[self.pos..].starts_with('(')
        {
            // `< <(list)`: the list's output is the input.
            let start = self.next()?.start;
            self.bump(); // (
            let body = self.parse_compound_list(true)?;
            self.expect_op(")")?;
            return Ok(Redir {
                fd,
                op,
                target: Word::default(),
                raw: self.src[start..self.last_end].to_string(),
                here: None,
                proc_sub: Some(body),
            });
        }
        let target = self.next()?;
        match target.kind {
            TokKind::Word(word) => {
                let raw = self.src[target.start..target.end].to_string();
                let mut here = None;
                if op == RedirOp::HereDoc {
                    let body = Rc::new(RefCell::new(Word::default()));
                    let quoted = word.0.iter().any(|p| !matches!(p, Part::Lit(_)));
                    let delim = word
                        .0
                        .iter()
                        .map(|p| match p {
                            Part::Lit(s) | Part::Quoted(s) => s.clone(),
                            _ => String::new(),
                        })
                        .collect::<String>();
                    // `$x` in a delimiter is taken literally.
                    let delim = if word
                        .0
                        .iter()
                        .all(|p| matches!(p, Part::Lit(_) | Part::Quoted(_)))
                    {
                        delim
                    } else {
                        raw.replace(['"', '\''], "")
                    };
                    self.pending_here.push(PendingHere {
                        delim,
                        strip_tabs,
                        quoted,
                        body: body.clone(),
                    });
                    here = Some(body);
                }
                Ok(Redir {
                    fd,
                    op,
                    target: word,
                    raw,
                    here,
                    proc_sub: None,
                })
            }
            // bash reports a missing target as `newline' even at end of input.
            TokKind::Eof => Err(ParseError {
                kind: ErrKind::Unexpected {
                    tok: "newline".into(),
                    context: self.context(target.start),
                },
                line: target.line,
                pos: target.start,
            }),
            _ => Err(self.unexpected_tok(&target)),
        }
    }

    // ---- token helpers ----

    fn peek(&mut self) -> Result<&Tok, ParseError> {
        if self.peeked.is_none() {
            let tok = self.lex()?;
            self.peeked = Some(tok);
        }
        Ok(self.peeked.as_ref().expect("just filled"))
    }

    fn next(&mut self) -> Result<Tok, ParseError> {
        self.peek()?;
        let tok = self.peeked.take().expect("peeked");
        if tok.kind != TokKind::Newline && tok.kind != TokKind::Eof {
            self.last_end = tok.end;
        }
        Ok(tok)
    }

    fn peek_keyword(&mut self) -> Result<Option<&'static str>, ParseError> {
        const KEYWORDS: &[&str] = &[
            "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "{",
            "}", "!", "case", "esac", "select", "function", "[[",
        ];
        Ok(match &self.peek()?.kind {
            TokKind::Word(w) => w
                .literal()
                .and_then(|s| KEYWORDS.iter().find(|k| **k == s).copied()),
            _ => None,
        })
    }

    fn skip_newlines(&mut self) -> Result<(), ParseError> {
        while self.peek()?.kind == TokKind::Newline {
            self.next()?;
        }
        Ok(())
    }

    fn expect_keyword(&mut self, k: &str) -> Result<(), ParseError> {
        if self.peek_keyword()? == Some(k) {
            self.next()?;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn expect_op(&mut self, op: &'static str) -> Result<(), ParseError> {
        if self.peek()?.kind == TokKind::Op(op) {
            self.next()?;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// Error for the peeked token (end of input means "incomplete").
    fn unexpected(&mut self) -> ParseError {
        match self.peek() {
            Ok(tok) => {
                let tok = tok.clone();
                self.unexpected_tok(&tok)
            }
            Err(e) => e,
        }
    }

    fn unexpected_tok(&self, tok: &Tok) -> ParseError {
        let text = match &tok.kind {
            TokKind::Eof => return self.error_here(ErrKind::Eof),
            TokKind::Newline => "newline".to_string(),
            TokKind::Op(op) => op.to_string(),
            TokKind::Word(_) | TokKind::IoNum(_) => self.src[tok.start..tok.end].to_string(),
        };
        ParseError {
            kind: ErrKind::Unexpected {
                tok: text,
                context: self.context(tok.start),
            },
            line: tok.line,
            pos: tok.start,
        }
    }

    fn error_here(&self, kind: ErrKind) -> ParseError {
        ParseError {
            kind,
            line: self.line,
            pos: self.pos,
        }
    }

    /// The source line containing byte `pos`.
    fn context(&self, pos: usize) -> String {
        let start = self.src[..pos].rfind('\n').map_or(0, |i| i + 1);
        let end = self.src[pos..]
            .find('\n')
            .map_or(self.src.len(), |i| pos + i);
        self.src[start..end].to_string()
    }

    // ---- lexer ----

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_char2(&self) -> Option<char> {
        self.src[self.pos..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn lex(&mut self) -> Result<Tok, ParseError> {
        // Blanks, line continuations and comments.
        loop {
            match self.peek_char() {
                Some(' ' | '\t' | '\r') => {
                    self.bump();
                }
                Some('\\') if self.peek_char2() == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while self.peek_char().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
        let (start, line) = (self.pos, self.line);
        let tok = |kind, end| Tok {
            kind,
            line,
            start,
            end,
        };
        let Some(c) = self.peek_char() else {
            if !self.pending_here.is_empty() {
                // `cat <<EOF` on the last line: the body is still to come
                // (interactive), or missing (a script: a warning).
                if !self.script {
                    return Err(self.error_here(ErrKind::Eof));
                }
                self.read_here_bodies()?;
            }
            return Ok(tok(TokKind::Eof, start));
        };
        if c == '\n' {
            self.bump();
            let end = self.pos;
            self.read_here_bodies()?;
            return Ok(tok(TokKind::Newline, end));
        }
        let rest = &self.src[self.pos..];
        if let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) {
            self.pos += op.len();
            return Ok(tok(TokKind::Op(op), self.pos));
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(rest.as_bytes().get(digits), Some(b'<' | b'>')) {
            if let Ok(n) = rest[..digits].parse() {
                self.pos += digits;
                return Ok(tok(TokKind::IoNum(n), self.pos));
            }
        }
        let word = self.lex_word(None, false)?;
        Ok(tok(TokKind::Word(word), self.pos))
    }

    /// Reads the bodies of the here-documents opened on the line just ended.
    fn read_here_bodies(&mut self) -> Result<(), ParseError> {
        for here in std::mem::take(&mut self.pending_here) {
            let start_line = self.line;
            let mut text = String::new();
            let mut found = false;
            while self.pos < self.src.len() {
                let rest = &self.src[self.pos..];
                let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
                let raw = &rest[..len];
                let mut line = raw.strip_suffix('\n').unwrap_or(raw);
                if here.strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                let line = line.to_string();
                for _ in 0..len {
                    self.bump();
                }
                if line == here.delim {
                    found = true;
                    break;
                }
                text.push_str(&line);
                text.push('\n');
            }
            if !found {
                if !self.script {
                    return Err(self.error_here(ErrKind::Eof));
                }
                let last_line = self.line - usize::from(self.src.ends_with('\n'));
                self.warnings.push(format!(
                    "line {}: warning: here-document at line {} delimited by end-of-file (wanted `{}')",
                    last_line,
                    start_line - 1,
                    here.delim
                ));
            }
            self.here_end = self.pos;
            let body = if here.quoted {
                Word(vec![Part::Quoted(text)])
            } else {
                let mut inner = Parser::new(&text, start_line);
                inner.script = true;
                inner.depth = self.depth;
                inner.lex_here_body()?
            };
            *here.body.borrow_mut() = body;
        }
        Ok(())
    }

    /// The whole input lexed as an unquoted here-document body (for the
    /// text of `$((…))`).
    pub fn here_body(&mut self) -> Result<Word, ParseError> {
        self.lex_here_body()
    }

    /// An unquoted here-document body: `$`, `` ` `` and `\` are special, as
    /// in double quotes, but `"` is not.
    fn lex_here_body(&mut self) -> Result<Word, ParseError> {
        let mut w = Word::default();
        w.push_quoted("");
        while let Some(c) = self.peek_char() {
            match c {
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c @ ('$' | '`' | '\\')) => w.push_quoted(c.encode_utf8(&mut [0; 4])),
                        Some(c) => {
                            w.push_quoted("\\");
                            w.push_quoted(c.encode_utf8(&mut [0; 4]));
                        }
                        None => w.push_quoted("\\"),
                    }
                }
                '$' => self.lex_dollar(&mut w, true)?,
                '`' => self.lex_backtick(&mut w, true)?,
                _ => {
                    self.bump();
                    w.push_quoted(c.encode_utf8(&mut [0; 4]));
                }
            }
        }
        Ok(w)
    }

    /// Reads word parts up to an unquoted metacharacter, or up to (not
    /// including) one of the `end` characters when given (the word inside
    /// `${X:-word}`).
    fn lex_word(&mut self, end: Option<&str>, in_dquote: bool) -> Result<Word, ParseError> {
        let mut w = Word::default();
        loop {
            let Some(c) = self.peek_char() else {
                if end.is_some() {
                    return Err(self.error_here(ErrKind::EofQuote('}')));
                }
                break;
            };
            if end.is_some_and(|end| end.contains(c)) {
                break;
            }
            if end.is_none() && " \t\r\n;&|<>()".contains(c) {
                break;
            }
            match c {
                '\\' => {
                    self.bump();
                    match self.bump() {
                        None if self.script => {}
                        None => return Err(self.error_here(ErrKind::EofBackslash)),
                        Some('\n') => {}
                        Some(c) => w.push_quoted(c.encode_utf8(&mut [0; 4])),
                    }
                }
                '\'' if !in_dquote => {
                    let line = self.line;
                    self.bump();
                    let start = self.pos;
                    loop {
                        match self.bump() {
                            Some('\'') => break,
                            Some(_) => {}
                            None => {
                                return Err(ParseError {
                                    kind: ErrKind::EofQuote('\''),
                                    line,
                                    pos: start,
                                })
                            }
                        }
                    }
                    w.push_quoted(&self.src[start..self.pos - 1]);
                }
                '"' => self.lex_dquote(&mut w)?,
                '$' if !in_dquote && self.peek_char2() == Some('\'') => {
                    let (line, start) = (self.line, self.pos);
                    self.bump();
                    self.bump();
                    let mut text = String::new();
                    loop {
                        match self.bump() {
                            Some('\'') => break,
                            Some('\\') => match self.bump() {
                                Some(c) => {
                                    text.push('\\');
                                    text.push(c);
                                }
                                None => break,
                            },
                            Some(c) => text.push(c),
                            None => {
                                return Err(ParseError {
                                    kind: ErrKind::EofQuote('\''),
                                    line,
                                    pos: start,
                                })
                            }
                        }
                    }
                    w.push_quoted(&ansi_c(&text));
                }
                '$' if !in_dquote && self.peek_char2() == Some('"') => {
                    self.bump();
                }
                '$' => self.lex_dollar(&mut w, in_dquote)?,
                '`' => self.lex_backtick(&mut w, in_dquote)?,
                _ => {
                    self.bump();
                    if in_dquote {
                        w.push_quoted(c.encode_utf8(&mut [0; 4]));
                    } else {
                        w.push_lit(c);
                    }
                }
            }
        }
        Ok(w)
    }

    fn lex_dquote(&mut self, w: &mut Word) -> Result<(), ParseError> {
        let line = self.line;
        let start = self.pos;
        self.bump();
        w.push_quoted(""); // `""` is an empty field, not nothing
        loop {
            match self.peek_char() {
                None => {
                    return Err(ParseError {
                        kind: ErrKind::EofQuote('"'),
                        line,
                        pos: start,
                    })
                }
                Some('"') => {
                    self.bump();
                    return Ok(());
                }
                Some('\\') => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c @ ('$' | '`' | '"' | '\\')) => {
                            w.push_quoted(c.encode_utf8(&mut [0; 4]));
                        }
                        Some(c) => {
                            w.push_quoted("\\");
                            w.push_quoted(c.encode_utf8(&mut [0; 4]));
                        }
                        None => {}
                    }
                }
                Some('$') => self.lex_dollar(w, true)?,
                Some('`') => self.lex_backtick(w, true)?,
                Some(c) => {
                    self.bump();
                    w.push_quoted(c.encode_utf8(&mut [0; 4]));
                }
            }
        }
    }

    fn lex_dollar(&mut self, w: &mut Word, quoted: bool) -> Result<(), ParseError> {
        if self.depth >= MAX_NESTING || crate::stack::low() {
            return Err(too_deep(self));
        }
        self.depth += 1;
        let r = self.lex_dollar_inner(w, quoted);
        self.depth -= 1;
        r
    }

    fn lex_dollar_inner(&mut self, w: &mut Word, quoted: bool) -> Result<(), ParseError> {
        self.bump(); // $
        let param = |name: String| Part::Param {
            name,
            op: None,
            quoted,
        };
        match self.peek_char() {
            Some('(') if self.peek_char2() == Some('(') => {
                let line = self.line;
                self.bump();
                self.bump();
                let start = self.pos;
                let mut depth = 0usize;
                loop {
                    match self.bump() {
                        Some('(') => depth += 1,
                        Some(')') if depth > 0 => depth -= 1,
                        Some(')') if self.peek_char() == Some(')') => {
                            self.bump();
                            break;
                        }
                        Some(_) => {}
                        None => {
                            return Err(ParseError {
                                kind: ErrKind::EofQuote(')'),
                                line,
                                pos: start,
                            })
                        }
                    }
                }
                let expr = self.src[start..self.pos - 2].to_string();
                w.0.push(Part::Arith { expr, quoted });
            }
            Some('(') => {
                self.bump();
                debug_assert!(self.peeked.is_none(), "lexing while a token is peeked");
                let body = self.parse_compound_list(true)?;
                match self.next()? {
                    Tok {
                        kind: TokKind::Op(")"),
                        ..
                    } => {}
                    Tok {
                        kind: TokKind::Eof, ..
                    } => return Err(self.error_here(ErrKind::EofQuote(')'))),
                    tok => return Err(self.unexpected_tok(&tok)),
                }
                w.0.push(Part::CmdSub { body, quoted });
            }
            Some('{') => {
                let start = self.pos - 1;
                self.bump();
                self.lex_braced_param(w, start, quoted)?;
            }
            Some(c) if "?$!#@*-".contains(c) || c.is_ascii_digit() => {
                self.bump();
                w.0.push(param(c.to_string()));
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let name = self.lex_param_name();
                w.0.push(param(name));
            }
            _ if quoted => w.push_quoted("$"),
            _ => w.push_lit('$'),
        }
        Ok(())
    }

    /// The rest of a `${…}` after the brace: the name (with `#`/`!` before
    /// it, `[sub]` after), the operator and its words.
    fn lex_braced_param(
        &mut self,
        w: &mut Word,
        start: usize,
        quoted: bool,
    ) -> Result<(), ParseError> {
        let rest = &self.src[self.pos..];
        let special_next = |r: &str| {
            let c = r[1..].chars().next();
            c.is_some_and(|c| {
                c != '}' && (c == '_' || c.is_ascii_alphanumeric() || "?$!#@*-".contains(c))
            })
        };
        let length = rest.starts_with('#') && special_next(rest);
        let indirect = rest.starts_with('!') && special_next(rest);
        if length || indirect {
            self.bump();
        }
        let mut name = self.lex_param_name();
        if self.peek_char() == Some('[') && !name.is_empty() {
            // The subscript runs to the matching `]` (it may hold `${…}`).
            let rest = &self.src[self.pos..];
            let mut depth = 0usize;
            let mut close = None;
            for (i, c) in rest.char_indices() {
                match c {
                    '[' | '{' | '(' => depth += 1,
                    ']' | '}' | ')' if depth > 1 => depth -= 1,
                    ']' if depth == 1 => {
                        close = Some(i);
                        break;
                    }
                    '}' | ')' => break,
                    _ => {}
                }
            }
            if let Some(close) = close {
                name.push_str(&rest[..=close]);
                self.pos += close + 1;
            }
        }
        let bad = |p: &mut Self, w: &mut Word| -> Result<(), ParseError> {
            let Some(close) = p.src[p.pos..].find('}') else {
                return Err(p.error_here(ErrKind::EofQuote('}')));
            };
            p.pos += close + 1;
            w.0.push(Part::Bad(p.src[start..p.pos].to_string()));
            Ok(())
        };
        if name.is_empty() {
            return bad(self, w);
        }
        let rest = &self.src[self.pos..];
        if rest.starts_with('}') {
            self.bump();
            let op = match (length, indirect) {
                (true, _) => Some(ParamOp::Length),
                (_, true) => Some(ParamOp::Indirect),
                _ => None,
            };
            w.0.push(Part::Param { name, op, quoted });
            return Ok(());
        }
        if length || indirect {
            return bad(self, w);
        }
        const OPS: [&str; 20] = [
            ":-", ":=", ":+", ":?", "-", "=", "+", "?", "##", "#", "%%", "%", "//", "/#", "/%",
            "/", "^^", "^", ",,", ",",
        ];
        let op = if let Some(op) = OPS.into_iter().find(|op| rest.starts_with(op)) {
            self.pos += op.len();
            match op {
                "/" | "//" | "/#" | "/%" => {
                    // A pattern stays a pattern inside double quotes.
                    let pattern = self.lex_word(Some("/}"), false)?;
                    let mut with = Word::default();
                    if self.peek_char() == Some('/') {
                        self.bump();
                        with = self.lex_word(Some("}"), quoted)?;
                    }
                    ParamOp::Replace {
                        mode: match op {
                            "//" => 'A',
                            "/#" => '#',
                            "/%" => '%',
                            _ => '/',
                        },
                        pattern,
                        with,
                    }
                }
                "#" | "##" | "%" | "%%" => {
                    ParamOp::Trim(op.to_string(), self.lex_word(Some("}"), false)?)
                }
                "^^" | "^" | ",," | "," => {
                    ParamOp::Case(op.to_string(), self.lex_word(Some("}"), false)?)
                }
                "?" | ":?" => ParamOp::Error(op.len() == 2, self.lex_word(Some("}"), quoted)?),
                _ => ParamOp::Test(op.to_string(), self.lex_word(Some("}"), quoted)?),
            }
        } else if rest.starts_with(':') {
            self.bump();
            let rest = &self.src[self.pos..];
            let Some(close) = rest.find('}') else {
                return Err(self.error_here(ErrKind::EofQuote('}')));
            };
            let text = &rest[..close];
            let (off, len) = match text.split_once(':') {
                Some((o, l)) => (o.to_string(), Some(l.to_string())),
                None => (text.to_string(), None),
            };
            self.pos += close;
            ParamOp::Substr(off, len)
        } else {
            return bad(self, w);
        };
        if self.peek_char() != Some('}') {
            return bad(self, w);
        }
        self.bump();
        w.0.push(Part::Param {
            name,
            op: Some(op),
            quoted,
        });
        Ok(())
    }

    /// A variable name, or one special-parameter character.
    fn lex_param_name(&mut self) -> String {
        let rest = &self.src[self.pos..];
        let mut len = rest
            .bytes()
            .take_while(|b| *b == b'_' || b.is_ascii_alphanumeric())
            .count();
        if len == 0 && rest.starts_with(|c| "?$!#@*-".contains(c)) {
            len = 1;
        }
        self.pos += len;
        rest[..len].to_string()
    }

    fn lex_backtick(&mut self, w: &mut Word, quoted: bool) -> Result<(), ParseError> {
        let (line, pos) = (self.line, self.pos);
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                Some('`') => break,
                Some('\\') => match self.bump() {
                    Some(c @ ('`' | '\\' | '$')) => text.push(c),
                    Some(c) => {
                        text.push('\\');
                        text.push(c);
                    }
                    None => break,
                },
                Some(c) => text.push(c),
                None => {
                    return Err(ParseError {
                        kind: ErrKind::EofQuote('`'),
                        line,
                        pos,
                    })
                }
            }
        }
        let mut inner = Parser::new(&text, line);
        if self.depth >= MAX_NESTING || crate::stack::low() {
            return Err(too_deep(self));
        }
        inner.depth = self.depth + 1;
        inner.script = self.script;
        let mut body = Vec::new();
        loop {
            match inner.next_command() {
                Ok(Some(cmd)) => body.extend(cmd.list),
                Ok(None) => break,
                Err(mut e) => {
                    e.pos = pos;
                    if e.is_incomplete() {
                        e.kind = ErrKind::EofQuote('`');
                    }
                    return Err(e);
                }
            }
        }
        w.0.push(Part::CmdSub { body, quoted });
        Ok(())
    }
}

/// `NAME[$i]=value`: a subscript holding expansions, spread over parts.
fn split_subscript_assignment(w: &Word, first: &str) -> Option<Assign> {
    let open = first.find('[')?;
    if !is_name(&first[..open]) || first[..open + 1].contains('=') || first.contains("]=") {
        return None;
    }
    let mut sub = Word(vec![Part::Lit(first[open + 1..].to_string())]);
    for (i, part) in w.0.iter().enumerate().skip(1) {
        if let Part::Lit(s) = part {
            if let Some(close) = s.find("]=").or_else(|| s.find("]+=")) {
                let append = s[close..].starts_with("]+=");
                sub.0.push(Part::Lit(s[..close].to_string()));
                let after = &s[close + if append { 3 } else { 2 }..];
                let mut value = Word::default();
                if !after.is_empty() {
                    value.0.push(Part::Lit(after.to_string()));
                }
                value.0.extend(w.0[i + 1..].iter().cloned());
                return Some(Assign {
                    name: first[..open].to_string(),
                    append,
                    value,
                    array: None,
                    subscript: Some(sub),
                });
            }
        }
        sub.0.push(part.clone());
    }
    None
}

/// Decodes the escapes of `$'…'` (the text between the quotes).
pub(crate) fn ansi_c(text: &str) -> String {
    let mut out = Vec::new();
    crate::printf::escapes(text.as_bytes(), &mut out, crate::printf::EscMode::AnsiC);
    String::from_utf8_lossy(&out).into_owned()
}

/// How `local a=(x y)` reaches the builtin: the argument `a=` followed by
/// this, the items, then [`ARRAY_CLOSE`] (NUL cannot be in an argument).
pub(crate) const ARRAY_OPEN: &str = "(\0";
pub(crate) const ARRAY_CLOSE: &str = "\0)";

/// Splits `text` on `sep` outside parentheses.
fn split_top(text: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if c == sep && depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

pub(crate) fn is_cond_unary(op: &str) -> bool {
    op.len() == 2 && op.starts_with('-') && "abcdefghknoprstuvwxzGLNOSR".contains(&op[1..])
}

pub(crate) fn is_cond_binary(op: &str) -> bool {
    matches!(
        op,
        "=" | "=="
            | "!="
            | "=~"
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}

fn redir_op(op: &str) -> Option<RedirOp> {
    Some(match op {
        ">" | ">|" => RedirOp::Out,
        ">>" => RedirOp::Append,
        "<" => RedirOp::In,
        ">&" => RedirOp::DupOut,
        "<&" => RedirOp::DupIn,
        "&>" => RedirOp::OutErr,
        "&>>" => RedirOp::OutErrAppend,
        "<<" | "<<-" => RedirOp::HereDoc,
        "<<<" => RedirOp::HereString,
        _ => return None,
    })
}

pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// `NAME=value` (or `NAME+=`, `NAME[sub]=`) at the start of a simple command.
pub(crate) fn split_assignment(w: &Word) -> Option<Assign> {
    let Some(Part::Lit(first)) = w.0.first() else {
        return None;
    };
    if let Some(a) = split_subscript_assignment(w, first) {
        return Some(a);
    }
    let eq = first.find('=')?;
    let mut name = &first[..eq];
    let append = name.ends_with('+');
    if append {
        name = &name[..name.len() - 1];
    }
    let base = match name.find('[') {
        Some(i) if name.ends_with(']') => &name[..i],
        _ => name,
    };
    if !is_name(base) {
        return None;
    }
    let mut value = Word::default();
    if eq + 1 < first.len() {
        value.0.push(Part::Lit(first[eq + 1..].to_string()));
    }
    value.0.extend(w.0[1..].iter().cloned());
    Some(Assign {
        name: name.to_string(),
        append,
        value,
        array: None,
        subscript: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(src: &str) -> Result<Vec<List>, ParseError> {
        let mut p = Parser::new(src, 1);
        let mut out = Vec::new();
        while let Some(c) = p.next_command()? {
            out.push(c.list);
        }
        Ok(out)
    }

    #[test]
    fn words_keep_quoting_information() {
        let lists = parse_all(r#"echo a"b $X"'c'\d $? ${Y:-z}"#).unwrap();
        let Command::Simple(s) = &lists[0][0].and_or.first.cmds[0] else {
            panic!()
        };
        assert_eq!(s.words.len(), 4);
        assert_eq!(
            s.words[1].0,
            vec![
                Part::Lit("a".into()),
                Part::Quoted("b ".into()),
                Part::Param {
                    name: "X".into(),
                    op: None,
                    quoted: true
                },
                Part::Quoted("cd".into()),
            ]
        );
    }

    #[test]
    fn io_numbers_and_operators() {
        let lists = parse_all("cmd 2>&1 >>f &>/dev/null <in").unwrap();
        let Command::Simple(s) = &lists[0][0].and_or.first.cmds[0] else {
            panic!()
        };
        let ops: Vec<_> = s.redirs.iter().map(|r| (r.fd, r.op)).collect();
        assert_eq!(
            ops,
            vec![
                (Some(2), RedirOp::DupOut),
                (None, RedirOp::Append),
                (None, RedirOp::OutErr),
                (None, RedirOp::In)
            ]
        );
    }

    #[test]
    fn incomplete_versus_wrong() {
        for src in [
            "for x in a; do",
            "echo 'a",
            "echo a &&",
            "if true",
            "echo a |",
        ] {
            assert!(parse_all(src).unwrap_err().is_incomplete(), "{src}");
        }
        for src in [
            "fi",
            "done",
            "echo a; done",
            "if true; then :; fi fi",
            "echo >",
        ] {
            assert!(!parse_all(src).unwrap_err().is_incomplete(), "{src}");
        }
    }
}
