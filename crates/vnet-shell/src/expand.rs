//! Word expansion: parameters, command substitution, arithmetic, then field
//! splitting of unquoted results on blanks (IFS is always ` \t\n`). There is
//! no pathname expansion (globbing): the simulated host has no file tree to
//! match against, so `*` stays literal.

use crate::exec::Frame;
use crate::parse::{List, Part, Word};
use crate::{Shell, Sink, System};

/// The value of `$$`: fixed, so that runs are deterministic.
const SHELL_PID: &str = "4242";

/// An expansion error, printed as `NAME: line N: MSG`; the command fails with 1.
pub(crate) type ExpandError = String;

impl Shell {
    /// Expands a word into fields (arguments).
    pub(crate) fn expand_fields(
        &mut self,
        w: &Word,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<Vec<String>, ExpandError> {
        let mut fields = Vec::new();
        let mut cur = String::new();
        // Whether `cur` is a field even when empty (it holds quoted text).
        let mut have = false;
        for part in &w.0 {
            match part {
                Part::Lit(s) | Part::Quoted(s) => {
                    cur.push_str(s);
                    have = true;
                }
                Part::Param { quoted: true, .. }
                | Part::CmdSub { quoted: true, .. }
                | Part::Arith { quoted: true, .. } => {
                    cur.push_str(&self.expand_part(part, err, sys)?);
                    have = true;
                }
                _ => {
                    for c in self.expand_part(part, err, sys)?.chars() {
                        if matches!(c, ' ' | '\t' | '\n') {
                            if have {
                                fields.push(std::mem::take(&mut cur));
                                have = false;
                            }
                        } else {
                            cur.push(c);
                            have = true;
                        }
                    }
                }
            }
        }
        if have {
            fields.push(cur);
        }
        Ok(fields)
    }

    /// Expands a word into one string, without field splitting (assignment
    /// values, `${X:-word}`).
    pub(crate) fn expand_str(
        &mut self,
        w: &Word,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<String, ExpandError> {
        let mut out = String::new();
        for part in &w.0 {
            match part {
                Part::Lit(s) | Part::Quoted(s) => out.push_str(s),
                _ => out.push_str(&self.expand_part(part, err, sys)?),
            }
        }
        Ok(out)
    }

    fn expand_part(
        &mut self,
        part: &Part,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<String, ExpandError> {
        match part {
            Part::Lit(s) | Part::Quoted(s) => Ok(s.clone()),
            Part::Param { name, op: None, .. } => Ok(self.param(name).unwrap_or_default()),
            Part::Param {
                name,
                op: Some((op, word)),
                ..
            } => {
                let value = self.param(name);
                let set = match op.starts_with(':') {
                    true => value.as_ref().is_some_and(|v| !v.is_empty()),
                    false => value.is_some(),
                };
                match (op.trim_start_matches(':'), set) {
                    ("-", false) => self.expand_str(word, err, sys),
                    ("=", false) => {
                        let v = self.expand_str(word, err, sys)?;
                        self.vars.insert(name.clone(), v.clone());
                        Ok(v)
                    }
                    ("+", true) => self.expand_str(word, err, sys),
                    ("+", false) => Ok(String::new()),
                    _ => Ok(value.unwrap_or_default()),
                }
            }
            Part::CmdSub { body, .. } => Ok(self.command_subst(body, err, sys)),
            Part::Arith { expr, .. } => self.arith(expr).map(|n| n.to_string()),
        }
    }

    /// A parameter's value; `None` when unset.
    fn param(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.last_status.to_string()),
            "$" => Some(SHELL_PID.to_string()),
            "!" => self.last_bg.map(|id| id.to_string()),
            "#" => Some("0".to_string()),
            "0" => Some(self.name.clone()),
            "-" => {
                let flags = [(self.opts.errexit, 'e'), (self.opts.xtrace, 'x')];
                Some(flags.iter().filter(|f| f.0).map(|f| f.1).collect())
            }
            "@" | "*" => Some(String::new()),
            _ if name.starts_with(|c: char| c.is_ascii_digit()) => None,
            _ => self.vars.get(name).cloned(),
        }
    }

    /// `$(…)`: runs `body` like a subshell (its variable changes and `exit`
    /// stay inside; `set -e` is not inherited, as in bash) and returns its
    /// output without trailing newlines. Its status becomes `$?`.
    fn command_subst(&mut self, body: &List, err: usize, sys: &mut dyn System) -> String {
        self.sinks.push(Sink::Buffer(Vec::new()));
        let mut frame = Frame {
            out: self.sinks.len() - 1,
            err,
            stdin: None,
        };
        let status = self.subshell(|sh| {
            sh.opts.errexit = false;
            sh.exec_list(body, &mut frame, sys)
        });
        self.last_status = status;
        self.subst_status = Some(status);
        let bytes = match self.sinks.pop() {
            Some(Sink::Buffer(b)) => b,
            _ => Vec::new(),
        };
        let mut out = String::from_utf8_lossy(&bytes).into_owned();
        out.truncate(out.trim_end_matches('\n').len());
        out
    }

    /// `$((expr))`: integer arithmetic with `+ - * / %`, comparisons,
    /// `&& || !`, parentheses and variables (`x` or `$x`).
    fn arith(&self, expr: &str) -> Result<i64, ExpandError> {
        let toks = self.arith_tokens(expr)?;
        let mut p = Arith { toks, i: 0 };
        let value = p.binary(1).map_err(|m| format!("{}: {m}", expr.trim()))?;
        if p.i < p.toks.len() {
            return Err(format!("{}: syntax error in expression", expr.trim()));
        }
        Ok(value)
    }

    fn arith_tokens(&self, expr: &str) -> Result<Vec<ATok>, ExpandError> {
        let syntax = || format!("{}: syntax error in expression", expr.trim());
        let mut toks = Vec::new();
        let mut rest = expr;
        while let Some(c) = rest.chars().next() {
            if c.is_whitespace() {
                rest = &rest[c.len_utf8()..];
            } else if c.is_ascii_digit() {
                let len = rest.bytes().take_while(u8::is_ascii_digit).count();
                toks.push(ATok::Num(rest[..len].parse().map_err(|_| syntax())?));
                rest = &rest[len..];
            } else if c == '$' || c == '_' || c.is_ascii_alphabetic() {
                let body = rest.trim_start_matches('$');
                let braced = body.starts_with('{');
                let body = body.trim_start_matches('{');
                let mut len = body
                    .bytes()
                    .take_while(|b| *b == b'_' || b.is_ascii_alphanumeric())
                    .count();
                if len == 0 && body.starts_with(['?', '#', '$', '!']) {
                    len = 1;
                }
                if len == 0 {
                    return Err(syntax());
                }
                let value = self.param(&body[..len]).unwrap_or_default();
                let value = value.trim();
                let n = if value.is_empty() {
                    0
                } else {
                    value.parse().map_err(|_| {
                        format!(
                            "{value}: syntax error: operand expected (error token is \"{value}\")"
                        )
                    })?
                };
                toks.push(ATok::Num(n));
                let consumed = rest.len() - body.len() + len;
                rest = &rest[consumed..];
                if braced {
                    rest = rest.strip_prefix('}').ok_or_else(syntax)?;
                }
            } else {
                const OPS: &[&str] = &[
                    "||", "&&", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "(",
                    ")", "!",
                ];
                let op = OPS
                    .iter()
                    .find(|op| rest.starts_with(**op))
                    .ok_or_else(syntax)?;
                toks.push(ATok::Op(op));
                rest = &rest[op.len()..];
            }
        }
        Ok(toks)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ATok {
    Num(i64),
    Op(&'static str),
}

/// Precedence-climbing evaluator over arithmetic tokens.
struct Arith {
    toks: Vec<ATok>,
    i: usize,
}

impl Arith {
    fn precedence(op: &str) -> Option<u8> {
        Some(match op {
            "||" => 1,
            "&&" => 2,
            "==" | "!=" => 3,
            "<" | "<=" | ">" | ">=" => 4,
            "+" | "-" => 5,
            "*" | "/" | "%" => 6,
            _ => return None,
        })
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut lhs = self.unary()?;
        while let Some(&ATok::Op(op)) = self.toks.get(self.i) {
            let Some(prec) = Self::precedence(op).filter(|p| *p >= min) else {
                break;
            };
            self.i += 1;
            let rhs = self.binary(prec + 1)?;
            lhs = match op {
                "||" => i64::from(lhs != 0 || rhs != 0),
                "&&" => i64::from(lhs != 0 && rhs != 0),
                "==" => i64::from(lhs == rhs),
                "!=" => i64::from(lhs != rhs),
                "<" => i64::from(lhs < rhs),
                "<=" => i64::from(lhs <= rhs),
                ">" => i64::from(lhs > rhs),
                ">=" => i64::from(lhs >= rhs),
                "+" => lhs.wrapping_add(rhs),
                "-" => lhs.wrapping_sub(rhs),
                "*" => lhs.wrapping_mul(rhs),
                _ if rhs == 0 => return Err("division by 0".into()),
                "/" => lhs.wrapping_div(rhs),
                _ => lhs.wrapping_rem(rhs),
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, String> {
        let tok = self.toks.get(self.i).copied();
        self.i += 1;
        match tok {
            Some(ATok::Num(n)) => Ok(n),
            Some(ATok::Op("-")) => Ok(self.unary()?.wrapping_neg()),
            Some(ATok::Op("+")) => self.unary(),
            Some(ATok::Op("!")) => Ok(i64::from(self.unary()? == 0)),
            Some(ATok::Op("(")) => {
                let v = self.binary(1)?;
                match self.toks.get(self.i) {
                    Some(ATok::Op(")")) => {
                        self.i += 1;
                        Ok(v)
                    }
                    _ => Err("missing `)'".into()),
                }
            }
            _ => Err("syntax error: operand expected".into()),
        }
    }
}
