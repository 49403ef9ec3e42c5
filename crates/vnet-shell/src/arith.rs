//! `$((...))` arithmetic, as in bash: 64-bit integers, C operators by
//! precedence (`= += -= *= /= %=`, `|| &&`, `| ^ &`, `== !=`, `< <= > >=`,
//! `<< >>`, `+ -`, `* / %`, `**`, unary `! ~ - + ++ --`, postfix `++ --`),
//! parentheses, and variables by bare name. `$x` has already been substituted
//! by the caller (see `expand.rs`). The ternary `?:` and comma are missing.
//! Errors read like bash's: `1 / 0: division by 0 (error token is "0")`.

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
        let token = expr[pos.min(expr.len())..].trim();
        format!("{}: {msg} (error token is \"{token}\")", expr.trim())
    };
    let toks =
        tokenize(expr).map_err(|pos| fail("syntax error: invalid arithmetic operator", pos))?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut e = Eval {
        toks,
        i: 0,
        vars,
        depth,
    };
    let value = e.assign();
    let err_pos = |e: &Eval| e.toks.get(e.i).or(e.toks.last()).map_or(0, |t| t.1);
    match value {
        Ok(v) if e.i == e.toks.len() => Ok(v),
        Ok(_) => Err(fail("syntax error in expression", err_pos(&e))),
        Err(Fault::Syntax) => Err(fail("syntax error: operand expected", err_pos(&e))),
        Err(Fault::DivZero(pos)) => Err(fail("division by 0", pos)),
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
    "**", "++", "--", "+=", "-=", "*=", "/=", "%=", "||", "&&", "==", "!=", "<=", ">=", "<<", ">>",
    "+", "-", "*", "/", "%", "<", ">", "(", ")", "!", "~", "&", "|", "^", "=",
];

/// Tokens with their byte offsets; `Err(offset)` at an unknown character.
fn tokenize(expr: &str) -> Result<Vec<(Tok<'_>, usize)>, usize> {
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
            let text = &rest[..word];
            let n = match text.strip_prefix("0x").or(text.strip_prefix("0X")) {
                Some(hex) => i64::from_str_radix(hex, 16),
                None => text.parse(),
            };
            toks.push((Tok::Num(n.map_err(|_| pos)?), pos));
            pos += word;
        } else if word > 0 {
            toks.push((Tok::Name(&rest[..word]), pos));
            pos += word;
        } else {
            let op = OPS.iter().find(|op| rest.starts_with(**op)).ok_or(pos)?;
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
    /// An error inside a variable's value evaluated as an expression.
    Nested(String),
}

struct Eval<'a, 'v> {
    toks: Vec<(Tok<'a>, usize)>,
    i: usize,
    vars: &'v mut BTreeMap<String, String>,
    depth: usize,
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
        self.vars.insert(name.to_string(), value.to_string());
        value
    }

    fn assign(&mut self) -> Result<i64, Fault> {
        if let (Some(Tok::Name(name)), Some((Tok::Op(op), _))) =
            (self.peek(), self.toks.get(self.i + 1).copied())
        {
            if matches!(op, "=" | "+=" | "-=" | "*=" | "/=" | "%=") {
                let name = name.to_string();
                self.i += 2;
                let rhs_pos = self.toks.get(self.i).map_or(0, |t| t.1);
                let rhs = self.assign()?;
                let value = match op {
                    "=" => rhs,
                    _ => {
                        let lhs = self.var(&name)?;
                        apply(&op[..1], lhs, rhs).ok_or(Fault::DivZero(rhs_pos))?
                    }
                };
                return Ok(self.set(&name, value));
            }
        }
        self.binary(1)
    }

    fn binary(&mut self, min: u8) -> Result<i64, Fault> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.peek_op() {
            let Some(prec) = precedence(op).filter(|p| *p >= min) else {
                break;
            };
            self.i += 1;
            let rhs_pos = self.toks.get(self.i).map_or(0, |t| t.1);
            // `**` is right-associative.
            let rhs = self.binary(if op == "**" { prec } else { prec + 1 })?;
            lhs = apply(op, lhs, rhs).ok_or(Fault::DivZero(rhs_pos))?;
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, Fault> {
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
                let v = self.assign()?;
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
        "**" => a.wrapping_pow(u32::try_from(b).unwrap_or(0)),
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
