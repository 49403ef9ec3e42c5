//! `$((...))` arithmetic, as in bash: 64-bit integers, C operators by
//! precedence (`= += -= *= /= %=`, `|| &&`, `| ^ &`, `== !=`, `< <= > >=`,
//! `<< >>`, `+ -`, `* / %`, `**`, unary `! ~ - + ++ --`, postfix `++ --`),
//! the ternary `?:`, the comma, parentheses, and variables by bare name;
//! numbers in decimal, `0x` hex, `0` octal and `BASE#digits`. `$x` has
//! already been expanded by the caller (see `expand.rs`). Errors read like
//! bash's: `1 / 0: division by 0 (error token is "0")`. Nesting is limited
//! as bash limits it (`expression recursion level exceeded`).

use std::collections::BTreeMap;

/// Evaluates `expr`, reading and assigning shell variables.
pub(crate) fn eval(expr: &str, vars: &mut BTreeMap<String, String>) -> Result<i64, String> {
    eval_nested(expr, vars, 0)
}

fn eval_nested(
    expr: &str,
    vars: &mut BTreeMap<String, String>,
    depth: usize,
) -> Result<i64, String> {
    let fail = |msg: &str, pos: usize| {
        let token = expr[pos.min(expr.len())..].trim_start();
        format!("{}: {msg} (error token is \"{token}\")", expr.trim_start())
    };
    let toks = tokenize(expr).map_err(|(pos, msg)| fail(msg, pos))?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut e = Eval {
        toks,
        i: 0,
        vars,
        depth,
        nest: 0,
        skip: 0,
    };
    let value = e.comma();
    let err_pos = |e: &Eval| e.toks.get(e.i).or(e.toks.last()).map_or(0, |t| t.1);
    match value {
        Ok(v) if e.i == e.toks.len() => Ok(v),
        Ok(_) => Err(fail("syntax error in expression", err_pos(&e))),
        Err(Fault::Syntax) => Err(fail("syntax error: operand expected", err_pos(&e))),
        Err(Fault::DivZero(pos)) => Err(fail("division by 0", pos)),
        Err(Fault::NegExp(pos)) => Err(fail("exponent less than 0", pos)),
        Err(Fault::TooDeep(pos)) => Err(fail("expression recursion level exceeded", pos)),
        Err(Fault::Nested(msg)) => Err(msg),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Num(i64),
    Name(&'a str),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "||", "&&",
    "==", "!=", "<=", ">=", "<<", ">>", "+", "-", "*", "/", "%", "<", ">", "(", ")", "!", "~", "&",
    "|", "^", "=", "?", ":", ",",
];

/// How deep parentheses, unary operators and `?:` may nest (bash's
/// MAX_EXPR_RECURSION_LEVEL is 1024; each level costs a few stack frames).
const MAX_NEST: usize = 256;

/// A number as bash reads it: `0x1f`, `017`, `2#101`, `10`.
fn number(text: &str) -> Result<i64, &'static str> {
    let (base, digits) = if let Some((b, d)) = text.split_once('#') {
        match b.parse::<u32>() {
            Ok(b @ 2..=64) => (b, d),
            _ => return Err("invalid arithmetic base"),
        }
    } else if let Some(h) = text.strip_prefix("0x").or(text.strip_prefix("0X")) {
        (16, h)
    } else if text.len() > 1 && text.starts_with('0') {
        (8, &text[1..])
    } else {
        (10, text)
    };
    if digits.is_empty() {
        return Err("invalid number");
    }
    let mut v: i64 = 0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            '@' => 62,
            '_' => 63,
            _ => return Err("invalid number"),
        };
        if d >= base {
            return Err("value too great for base");
        }
        v = v.wrapping_mul(i64::from(base)).wrapping_add(i64::from(d));
    }
    Ok(v)
}

/// Tokens with their byte offsets; `Err((offset, message))` at a bad
/// character or number.
fn tokenize(expr: &str) -> Result<Vec<(Tok<'_>, usize)>, (usize, &'static str)> {
    let mut toks = Vec::new();
    let mut pos = 0;
    while pos < expr.len() {
        let rest = &expr[pos..];
        let c = rest.chars().next().unwrap_or(' ');
        let word = rest
            .bytes()
            .take_while(|b| *b == b'_' || b.is_ascii_alphanumeric())
            .count();
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        if c.is_ascii_digit() {
            let len = rest
                .bytes()
                .take_while(|b| *b == b'_' || *b == b'#' || *b == b'@' || b.is_ascii_alphanumeric())
                .count();
            let n = number(&rest[..len]).map_err(|msg| (pos, msg))?;
            toks.push((Tok::Num(n), pos));
            pos += len;
        } else if word > 0 {
            toks.push((Tok::Name(&rest[..word]), pos));
            pos += word;
        } else {
            let op = OPS
                .iter()
                .find(|op| rest.starts_with(**op))
                .ok_or((pos, "syntax error: invalid arithmetic operator"))?;
            toks.push((Tok::Op(op), pos));
            pos += op.len();
        }
    }
    Ok(toks)
}

enum Fault {
    Syntax,
    /// Division by zero; the offset of the divisor.
    DivZero(usize),
    /// `**` with a negative exponent; the offset of the exponent.
    NegExp(usize),
    /// Nested too deep; the offset where it happened.
    TooDeep(usize),
    /// An error inside a variable's value evaluated as an expression.
    Nested(String),
}

struct Eval<'a, 'v> {
    toks: Vec<(Tok<'a>, usize)>,
    i: usize,
    vars: &'v mut BTreeMap<String, String>,
    depth: usize,
    /// Parentheses and unary operators open.
    nest: usize,
    /// Inside the branch `&&`, `||` or `?:` does not take: parse without
    /// assigning or failing on division by zero.
    skip: usize,
}

impl<'a> Eval<'a, '_> {
    fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.i).map(|t| t.0)
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.peek() {
            Some(Tok::Op(op)) => Some(op),
            _ => None,
        }
    }

    /// A variable's value: empty or unset is 0, a non-number is evaluated as
    /// an expression in turn (as bash does).
    fn var(&mut self, name: &str) -> Result<i64, Fault> {
        let value = self.vars.get(name).cloned().unwrap_or_default();
        let value = value.trim();
        if value.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = value.parse() {
            return Ok(n);
        }
        if self.depth > 16 {
            return Err(Fault::Nested(format!(
                "{name}: expression recursion level exceeded"
            )));
        }
        eval_nested(value, self.vars, self.depth + 1).map_err(Fault::Nested)
    }

    fn set(&mut self, name: &str, value: i64) -> i64 {
        if self.skip == 0 {
            self.vars.insert(name.to_string(), value.to_string());
        }
        value
    }

    fn pos(&self) -> usize {
        self.toks
            .get(self.i)
            .or(self.toks.last())
            .map_or(0, |t| t.1)
    }

    /// Enters one level of nesting (or fails past [`MAX_NEST`]).
    fn enter(&mut self) -> Result<(), Fault> {
        self.nest += 1;
        match self.nest > MAX_NEST || crate::stack::exhausted() {
            true => Err(Fault::TooDeep(self.pos())),
            false => Ok(()),
        }
    }

    fn comma(&mut self) -> Result<i64, Fault> {
        let mut v = self.assign()?;
        while self.peek_op() == Some(",") {
            self.i += 1;
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> Result<i64, Fault> {
        if let (Some(Tok::Name(name)), Some((Tok::Op(op), _))) =
            (self.peek(), self.toks.get(self.i + 1).copied())
        {
            if matches!(
                op,
                "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^="
            ) {
                let name = name.to_string();
                self.i += 2;
                let rhs_pos = self.toks.get(self.i).map_or(0, |t| t.1);
                let rhs = self.assign()?;
                let value = match op {
                    "=" => rhs,
                    _ => {
                        let lhs = self.var(&name)?;
                        match apply(&op[..op.len() - 1], lhs, rhs) {
                            Some(v) => v,
                            None if self.skip > 0 => 0,
                            None => return Err(Fault::DivZero(rhs_pos)),
                        }
                    }
                };
                return Ok(self.set(&name, value));
            }
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, Fault> {
        let cond = self.binary(1)?;
        if self.peek_op() != Some("?") {
            return Ok(cond);
        }
        self.i += 1;
        self.enter()?;
        self.skip += usize::from(cond == 0);
        let yes = self.comma();
        self.skip -= usize::from(cond == 0);
        let yes = yes?;
        if self.peek_op() != Some(":") {
            return Err(Fault::Syntax);
        }
        self.i += 1;
        self.skip += usize::from(cond != 0);
        let no = self.assign();
        self.skip -= usize::from(cond != 0);
        let no = no?;
        self.nest -= 1;
        Ok(if cond != 0 { yes } else { no })
    }

    fn binary(&mut self, min: u8) -> Result<i64, Fault> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.peek_op() {
            let Some(prec) = precedence(op).filter(|p| *p >= min) else {
                break;
            };
            self.i += 1;
            let rhs_idx = self.i;
            let rhs_pos = self.toks.get(self.i).map_or(0, |t| t.1);
            // `&&` and `||` do not evaluate what they skip.
            let short = (op == "&&" && lhs == 0) || (op == "||" && lhs != 0);
            self.skip += usize::from(short);
            self.enter()?;
            // `**` is right-associative.
            let rhs = self.binary(if op == "**" { prec } else { prec + 1 });
            self.nest -= 1;
            self.skip -= usize::from(short);
            let rhs = rhs?;
            lhs = match apply(op, lhs, rhs) {
                Some(v) => v,
                None if self.skip > 0 || short => 0,
                None if op == "**" => {
                    // bash names the exponent after its sign.
                    let signed = self.toks.get(rhs_idx).is_some_and(|t| t.0 == Tok::Op("-"));
                    let at = self
                        .toks
                        .get(rhs_idx + usize::from(signed))
                        .map_or(rhs_pos, |t| t.1);
                    return Err(Fault::NegExp(at));
                }
                None => return Err(Fault::DivZero(rhs_pos)),
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, Fault> {
        self.enter()?;
        let v = self.unary_inner();
        self.nest -= 1;
        v
    }

    fn unary_inner(&mut self) -> Result<i64, Fault> {
        let Some(tok) = self.peek() else {
            return Err(Fault::Syntax);
        };
        self.i += 1;
        match tok {
            Tok::Op(op @ ("++" | "--")) => match self.peek() {
                Some(Tok::Name(name)) => {
                    self.i += 1;
                    let v = self.var(name)? + if op == "++" { 1 } else { -1 };
                    Ok(self.set(name, v))
                }
                _ => Err(Fault::Syntax),
            },
            Tok::Op("-") => Ok(self.unary()?.wrapping_neg()),
            Tok::Op("+") => self.unary(),
            Tok::Op("!") => Ok(i64::from(self.unary()? == 0)),
            Tok::Op("~") => Ok(!self.unary()?),
            Tok::Op("(") => {
                let v = self.comma()?;
                if self.peek_op() != Some(")") {
                    return Err(Fault::Syntax);
                }
                self.i += 1;
                Ok(v)
            }
            Tok::Num(n) => Ok(n),
            Tok::Name(name) => {
                let v = self.var(name)?;
                match self.peek_op() {
                    Some(op @ ("++" | "--")) => {
                        self.i += 1;
                        self.set(name, v + if op == "++" { 1 } else { -1 });
                        Ok(v)
                    }
                    _ => Ok(v),
                }
            }
            Tok::Op(_) => {
                self.i -= 1;
                Err(Fault::Syntax)
            }
        }
    }
}

fn precedence(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | "<=" | ">" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        "**" => 11,
        _ => return None,
    })
}

/// A binary operation; `None` on division by zero.
fn apply(op: &str, a: i64, b: i64) -> Option<i64> {
    Some(match op {
        "||" => i64::from(a != 0 || b != 0),
        "&&" => i64::from(a != 0 && b != 0),
        "|" => a | b,
        "^" => a ^ b,
        "&" => a & b,
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "<" => i64::from(a < b),
        "<=" => i64::from(a <= b),
        ">" => i64::from(a > b),
        ">=" => i64::from(a >= b),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "**" if b < 0 => return None,
        "**" => a.wrapping_pow(u32::try_from(b).unwrap_or(u32::MAX)),
        "/" | "%" if b == 0 => return None,
        "/" => a.wrapping_div(b),
        _ => a.wrapping_rem(b),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calc(expr: &str) -> Result<i64, String> {
        let mut vars = BTreeMap::from([("i".to_string(), "4".to_string())]);
        eval(expr, &mut vars)
    }

    #[test]
    fn precedence_and_operators() {
        assert_eq!(calc("1 + 2 * 3"), Ok(7));
        assert_eq!(calc("(i + 2) % 4"), Ok(2));
        assert_eq!(calc("2 ** 3 ** 2"), Ok(512));
        assert_eq!(calc("7 & 3 | 8"), Ok(11));
        assert_eq!(calc("1 << 4 >> 2"), Ok(4));
        assert_eq!(calc("i > 3 && i < 5 || 0"), Ok(1));
        assert_eq!(calc("-i + !0 + ~0"), Ok(-4));
        assert_eq!(calc("0x10 + unset"), Ok(16));
    }

    #[test]
    fn assignments_and_increments() {
        let mut vars = BTreeMap::new();
        assert_eq!(eval("x = 5", &mut vars), Ok(5));
        assert_eq!(eval("x += 2", &mut vars), Ok(7));
        assert_eq!(eval("x++", &mut vars), Ok(7));
        assert_eq!(eval("++x", &mut vars), Ok(9));
        assert_eq!(vars["x"], "9");
    }

    #[test]
    fn errors_read_like_bash() {
        assert_eq!(
            calc("1 / 0"),
            Err("1 / 0: division by 0 (error token is \"0\")".into())
        );
        assert_eq!(
            calc("x+"),
            Err("x+: syntax error: operand expected (error token is \"+\")".into())
        );
        assert_eq!(
            calc("1 2"),
            Err("1 2: syntax error in expression (error token is \"2\")".into())
        );
    }
}
