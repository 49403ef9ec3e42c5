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
    /// `-`, `:-`, `+`, `:+`, `=`, `:=` and the word.
    Test(String, Word),
    /// `#`, `##`, `%`, `%%` and the pattern.
    Trim(String, Word),
    /// `${NAME/pattern/with}`; `all` for `//`.
    Replace {
        all: bool,
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
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Simple {
    pub assigns: Vec<(String, Word)>,
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
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Redir {
    pub fd: Option<u32>,
    pub op: RedirOp,
    pub target: Word,
    /// The target as written (for `$X: ambiguous redirect`).
    pub raw: String,
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
    "&&", "&>>", "&>", "&", "||", "|", ";;", ";", "<<<", "<<", "<&", "<", ">>", ">&", ">|", ">",
    "(", ")",
];

const TERMINATORS: &[&str] = &["then", "else", "elif", "fi", "do", "done", "}"];

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
        }
    }

    /// Parses the next top-level complete command; `None` at end of input.
    pub fn next_command(&mut self) -> Result<Option<Parsed>, ParseError> {
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
            TokKind::Eof | TokKind::Op(")") => true,
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
            Some(k @ ("case" | "select" | "function")) => {
                let msg = format!("`{k}' is not supported by vnet's shell");
                return Err(self.error_here(ErrKind::Other(msg)));
            }
            Some(k) if TERMINATORS.contains(&k) || k == "!" => return Err(self.unexpected()),
            _ => match self.peek()?.kind {
                TokKind::Op("(") => {
                    self.next()?;
                    let list = self.parse_compound_list(false)?;
                    self.expect_op(")")?;
                    Compound::Subshell(list)
                }
                _ => return self.parse_simple().map(Command::Simple),
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
        } else if self.peek()?.kind == TokKind::Op(";") {
            // `for x; do` iterates over the positional parameters: none here.
            self.next()?;
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

    fn parse_simple(&mut self) -> Result<Simple, ParseError> {
        let line = self.peek()?.line;
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
            match split_assignment(&w) {
                Some(a) if simple.words.is_empty() => simple.assigns.push(a),
                _ => simple.words.push(w),
            }
        }
        if simple.assigns.is_empty() && simple.words.is_empty() && simple.redirs.is_empty() {
            return Err(self.unexpected());
        }
        if simple.words.len() == 1 && self.peek()?.kind == TokKind::Op("(") {
            let msg = "functions are not supported by vnet's shell".to_string();
            return Err(self.error_here(ErrKind::Other(msg)));
        }
        Ok(simple)
    }

    fn at_redirection(&mut self) -> Result<bool, ParseError> {
        Ok(match self.peek()?.kind {
            TokKind::IoNum(_) => true,
            TokKind::Op(op) => redir_op(op).is_some() || op.starts_with("<<"),
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
            TokKind::Op(op) if op.starts_with("<<") => {
                let msg = "here-documents are not supported by vnet's shell".to_string();
                return Err(ParseError {
                    kind: ErrKind::Other(msg),
                    line: tok.line,
                    pos: tok.start,
                });
            }
            TokKind::Op(op) => redir_op(op),
            _ => None,
        };
        let Some(op) = op else {
            return Err(self.unexpected_tok(&tok));
        };
        let target = self.next()?;
        match target.kind {
            TokKind::Word(word) => Ok(Redir {
                fd,
                op,
                target: word,
                raw: self.src[target.start..target.end].to_string(),
            }),
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
            "}", "!", "case", "select", "function",
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
            return Ok(tok(TokKind::Eof, start));
        };
        if c == '\n' {
            self.bump();
            return Ok(tok(TokKind::Newline, self.pos));
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
                // `${#NAME}` is a length; `${#}` is `$#`.
                let length = self.peek_char() == Some('#') && self.peek_char2() != Some('}');
                if length {
                    self.bump();
                }
                let name = self.lex_param_name();
                let rest = &self.src[self.pos..];
                let Some(close) = rest.find('}') else {
                    return Err(self.error_here(ErrKind::EofQuote('}')));
                };
                const OPS: [&str; 12] = [
                    ":-", "-", ":+", "+", ":=", "=", "##", "#", "%%", "%", "//", "/",
                ];
                let op = OPS.into_iter().find(|op| !length && rest.starts_with(op));
                if name.is_empty() || (op.is_none() && !rest.starts_with('}')) {
                    // Malformed or unsupported: an error when expanded, as in bash.
                    self.pos += close + 1;
                    w.0.push(Part::Bad(self.src[start..self.pos].to_string()));
                    return Ok(());
                }
                let op = match op {
                    None if length => Some(ParamOp::Length),
                    None => None,
                    Some(op) => {
                        self.pos += op.len();
                        Some(match op {
                            "/" | "//" => {
                                let pattern = self.lex_word(Some("/}"), quoted)?;
                                let mut with = Word::default();
                                if self.peek_char() == Some('/') {
                                    self.bump();
                                    with = self.lex_word(Some("}"), quoted)?;
                                }
                                ParamOp::Replace {
                                    all: op == "//",
                                    pattern,
                                    with,
                                }
                            }
                            "#" | "##" | "%" | "%%" => {
                                ParamOp::Trim(op.to_string(), self.lex_word(Some("}"), quoted)?)
                            }
                            _ => ParamOp::Test(op.to_string(), self.lex_word(Some("}"), quoted)?),
                        })
                    }
                };
                self.bump(); // }
                w.0.push(Part::Param { name, op, quoted });
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

fn redir_op(op: &str) -> Option<RedirOp> {
    Some(match op {
        ">" | ">|" => RedirOp::Out,
        ">>" => RedirOp::Append,
        "<" => RedirOp::In,
        ">&" => RedirOp::DupOut,
        "<&" => RedirOp::DupIn,
        "&>" => RedirOp::OutErr,
        "&>>" => RedirOp::OutErrAppend,
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

/// `NAME=value` at the start of a simple command.
fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = w.0.first() else {
        return None;
    };
    let eq = first.find('=')?;
    if !is_name(&first[..eq]) {
        return None;
    }
    let mut value = Word::default();
    if eq + 1 < first.len() {
        value.0.push(Part::Lit(first[eq + 1..].to_string()));
    }
    value.0.extend(w.0[1..].iter().cloned());
    Some((first[..eq].to_string(), value))
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
