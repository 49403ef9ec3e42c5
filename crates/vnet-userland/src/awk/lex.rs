//! The awk lexer, after mawk's scan.c: newlines are tokens except where the
//! grammar lets a statement continue (after `{ ; , && || do else }`), a
//! `/` starts a regex unless the token before can end an operand, and a
//! name directly followed by `(` is a function call.

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Newline,
    Semi,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBrack,
    RBrack,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Not,
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
    Match,
    NoMatch,
    And,
    Or,
    Question,
    Colon,
    Assign,
    AddAsg,
    SubAsg,
    MulAsg,
    DivAsg,
    ModAsg,
    PowAsg,
    Incr,
    Decr,
    Dollar,
    Pipe,
    Append,
    Num(f64),
    Str(Vec<u8>),
    Regex(Vec<u8>),
    Ident(String),
    /// A name followed directly by `(`.
    Call(String),
    Eof,
}

#[derive(Debug)]
pub struct LexError {
    pub line: usize,
    pub msg: String,
    /// mawk prints unexpected characters as `mawk: 1: unexpected ...`.
    pub bare: bool,
}

pub struct Spanned {
    pub tok: Tok,
    pub line: usize,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "function", "if", "else", "while", "for", "do", "break", "continue", "next",
    "nextfile", "exit", "return", "delete", "in", "getline", "print", "printf",
];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Builtin functions (a call needs no `(` right after the name).
pub fn is_builtin(s: &str) -> bool {
    matches!(
        s,
        "length"
            | "substr"
            | "index"
            | "split"
            | "sub"
            | "gsub"
            | "match"
            | "sprintf"
            | "tolower"
            | "toupper"
            | "int"
            | "sqrt"
            | "exp"
            | "log"
            | "sin"
            | "cos"
            | "atan2"
            | "rand"
            | "srand"
            | "system"
            | "close"
            | "fflush"
    )
}

/// Processes the escapes of a string constant (mawk's rm_escape): unknown
/// escapes keep their backslash.
pub fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' || i + 1 >= s.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = s[i + 1];
        i += 2;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'f' => out.push(0x0c),
            b'b' => out.push(0x08),
            b'r' => out.push(b'\r'),
            b'a' => out.push(0x07),
            b'v' => out.push(0x0b),
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'x' if i < s.len() && s[i].is_ascii_hexdigit() => {
                let mut v: u32 = 0;
                let mut n = 0;
                while n < 2 && i < s.len() && s[i].is_ascii_hexdigit() {
                    v = v * 16 + (s[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            b'0'..=b'7' => {
                let mut v: u32 = (e - b'0') as u32;
                let mut n = 1;
                while n < 3 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = v * 8 + (s[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    out
}

pub fn lex(src: &[u8]) -> Result<Vec<Spanned>, LexError> {
    let mut toks: Vec<Spanned> = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let n = src.len();
    // newlines are dropped after these tokens
    let eats_nl = |t: Option<&Tok>| -> bool {
        match t {
            None => true,
            Some(t) => {
                matches!(
                    t,
                    Tok::LBrace
                        | Tok::Semi
                        | Tok::Comma
                        | Tok::And
                        | Tok::Or
                        | Tok::RBrace
                        | Tok::Newline
                ) || matches!(t, Tok::Ident(s) if s == "do" || s == "else")
            }
        }
    };
    while i < n {
        let c = src[i];
        let tok_line = line;
        let last = toks.last().map(|s| &s.tok);
        let tok = match c {
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < n && src[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\n' => {
                i += 1;
                line += 1;
                if eats_nl(last) {
                    continue;
                }
                Tok::Newline
            }
            b'\\' => {
                let mut j = i + 1;
                while j < n && matches!(src[j], b' ' | b'\t' | b'\r') {
                    j += 1;
                }
                if j < n && src[j] == b'\n' {
                    line += 1;
                    i = j + 1;
                    continue;
                }
                if j >= n {
                    break;
                }
                return Err(LexError {
                    line,
                    msg: "unexpected character '\\'".into(),
                    bare: true,
                });
            }
            b'"' => {
                let mut j = i + 1;
                let mut raw = Vec::new();
                loop {
                    if j >= n || src[j] == b'\n' {
                        let shown: Vec<u8> = raw.iter().take(10).copied().collect();
                        return Err(LexError {
                            line,
                            msg: format!(
                                "runaway string constant \"{} ...",
                                String::from_utf8_lossy(&shown)
                            ),
                            bare: false,
                        });
                    }
                    let c = src[j];
                    if c == b'"' {
                        break;
                    }
                    if c == b'\\' && j + 1 < n {
                        if src[j + 1] == b'\n' {
                            line += 1;
                            j += 2;
                            continue;
                        }
                        raw.push(c);
                        raw.push(src[j + 1]);
                        j += 2;
                        continue;
                    }
                    raw.push(c);
                    j += 1;
                }
                i = j + 1;
                Tok::Str(unescape(&raw))
            }
            b'/' if !can_precede_div(last)
                || (matches!(last, Some(Tok::Incr | Tok::Decr))
                    && src.get(i + 1) == Some(&b'=')) =>
            {
                let (re, j) = collect_re(src, i + 1, line)?;
                i = j;
                Tok::Regex(re)
            }
            b'0'..=b'9' | b'.'
                if c != b'.' || src.get(i + 1).is_some_and(|d| d.is_ascii_digit()) =>
            {
                let (v, used) = super::value::strtod(&src[i..]);
                // strtod would read hex; awk source numbers are decimal
                let used = if src[i..].len() > 1 && (src[i + 1] == b'x' || src[i + 1] == b'X') {
                    1
                } else {
                    used
                };
                let v = if used == 1 { (c - b'0') as f64 } else { v };
                if v.is_infinite() {
                    let text = String::from_utf8_lossy(&src[i..i + used]).into_owned();
                    return Err(LexError {
                        line,
                        msg: format!("{text} : decimal overflow"),
                        bare: false,
                    });
                }
                i += used.max(1);
                Tok::Num(v)
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let s = i;
                while i < n && (src[i].is_ascii_alphanumeric() || src[i] == b'_') {
                    i += 1;
                }
                let name = String::from_utf8_lossy(&src[s..i]).into_owned();
                if !is_keyword(&name) && !is_builtin(&name) && src.get(i) == Some(&b'(') {
                    Tok::Call(name)
                } else {
                    Tok::Ident(name)
                }
            }
            _ => {
                let two = |a: u8| src.get(i + 1) == Some(&a);
                let (t, w) = match c {
                    b'{' => (Tok::LBrace, 1),
                    b'}' => (Tok::RBrace, 1),
                    b'(' => (Tok::LParen, 1),
                    b')' => (Tok::RParen, 1),
                    b'[' => (Tok::LBrack, 1),
                    b']' => (Tok::RBrack, 1),
                    b';' => (Tok::Semi, 1),
                    b',' => (Tok::Comma, 1),
                    b'+' if two(b'+') => (Tok::Incr, 2),
                    b'+' if two(b'=') => (Tok::AddAsg, 2),
                    b'+' => (Tok::Plus, 1),
                    b'-' if two(b'-') => (Tok::Decr, 2),
                    b'-' if two(b'=') => (Tok::SubAsg, 2),
                    b'-' => (Tok::Minus, 1),
                    b'*' if two(b'=') => (Tok::MulAsg, 2),
                    b'*' => (Tok::Star, 1),
                    b'/' if two(b'=') => (Tok::DivAsg, 2),
                    b'/' => (Tok::Slash, 1),
                    b'%' if two(b'=') => (Tok::ModAsg, 2),
                    b'%' => (Tok::Percent, 1),
                    b'^' if two(b'=') => (Tok::PowAsg, 2),
                    b'^' => (Tok::Caret, 1),
                    b'!' if two(b'=') => (Tok::Ne, 2),
                    b'!' if two(b'~') => (Tok::NoMatch, 2),
                    b'!' => (Tok::Not, 1),
                    b'>' if two(b'=') => (Tok::Ge, 2),
                    b'>' if two(b'>') => (Tok::Append, 2),
                    b'>' => (Tok::Gt, 1),
                    b'<' if two(b'=') => (Tok::Le, 2),
                    b'<' => (Tok::Lt, 1),
                    b'=' if two(b'=') => (Tok::Eq, 2),
                    b'=' => (Tok::Assign, 1),
                    b'~' => (Tok::Match, 1),
                    b'&' if two(b'&') => (Tok::And, 2),
                    b'|' if two(b'|') => (Tok::Or, 2),
                    b'|' => (Tok::Pipe, 1),
                    b'?' => (Tok::Question, 1),
                    b':' => (Tok::Colon, 1),
                    b'$' => (Tok::Dollar, 1),
                    _ => {
                        let msg = if c > b' ' && c < 127 {
                            format!("unexpected character '{}'", c as char)
                        } else {
                            format!("unexpected character 0x{c:02x}")
                        };
                        return Err(LexError {
                            line,
                            msg,
                            bare: true,
                        });
                    }
                };
                i += w;
                t
            }
        };
        toks.push(Spanned {
            tok,
            line: tok_line,
        });
    }
    toks.push(Spanned {
        tok: Tok::Eof,
        line,
    });
    Ok(toks)
}

/// mawk's `can_precede_div`.
fn can_precede_div(t: Option<&Tok>) -> bool {
    match t {
        Some(
            Tok::Num(_)
            | Tok::Str(_)
            | Tok::RParen
            | Tok::Regex(_)
            | Tok::RBrack
            | Tok::Incr
            | Tok::Decr,
        ) => true,
        Some(Tok::Ident(s)) => !is_keyword(s) || s == "getline",
        _ => false,
    }
}

fn collect_re(src: &[u8], mut i: usize, line: usize) -> Result<(Vec<u8>, usize), LexError> {
    let mut re = Vec::new();
    let mut boxed = false;
    let mut box_start = 0;
    loop {
        let Some(&c) = src.get(i) else {
            return Err(runaway(&re, line));
        };
        match c {
            b'\n' => return Err(runaway(&re, line)),
            b'\\' => {
                match src.get(i + 1) {
                    Some(b'/') => re.push(b'/'),
                    Some(b'\n') => {}
                    Some(&d) => {
                        re.push(b'\\');
                        re.push(d);
                    }
                    None => return Err(runaway(&re, line)),
                }
                i += 2;
                continue;
            }
            b'[' if !boxed => {
                boxed = true;
                box_start = re.len() + 1;
            }
            // only the `^` right after `[` negates (`[^^]`)
            b'^' if boxed && re.len() == box_start && re.last() == Some(&b'[') => box_start += 1,
            b']' if boxed && re.len() != box_start => boxed = false,
            b'/' if !boxed => return Ok((re, i + 1)),
            _ => {}
        }
        re.push(c);
        i += 1;
    }
}

fn runaway(re: &[u8], line: usize) -> LexError {
    let shown: Vec<u8> = re.iter().take(10).copied().collect();
    LexError {
        line,
        msg: format!(
            "runaway regular expression /{} ...",
            String::from_utf8_lossy(&shown)
        ),
        bare: false,
    }
}
