//! Word expansion: parameters, command substitution, arithmetic, then field
//! splitting of unquoted results on blanks (IFS is always ` \t\n`). There is
//! no pathname expansion (globbing): the simulated host has no file tree to
//! match against, so `*` stays literal.

use crate::exec::Frame;
use crate::parse::{List, ParamOp, Part, Word};
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
            Part::Param { name, op, .. } => self.expand_param(name, op.as_ref(), err, sys),
            Part::Bad(text) => Err(format!("{text}: bad substitution")),
            Part::CmdSub { body, .. } => Ok(self.command_subst(body, err, sys)),
            Part::Arith { expr, .. } => {
                let expr = self.substitute_params(expr);
                crate::arith::eval(&expr, &mut self.vars).map(|n| n.to_string())
            }
        }
    }

    fn expand_param(
        &mut self,
        name: &str,
        op: Option<&ParamOp>,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<String, ExpandError> {
        let value = self.param(name);
        match op {
            None => Ok(value.unwrap_or_default()),
            Some(ParamOp::Length) => Ok(value.unwrap_or_default().chars().count().to_string()),
            Some(ParamOp::Test(op, word)) => {
                let set = match op.starts_with(':') {
                    true => value.as_ref().is_some_and(|v| !v.is_empty()),
                    false => value.is_some(),
                };
                match (op.trim_start_matches(':'), set) {
                    ("-", false) => self.expand_str(word, err, sys),
                    ("=", false) => {
                        let v = self.expand_str(word, err, sys)?;
                        self.vars.insert(name.to_string(), v.clone());
                        Ok(v)
                    }
                    ("+", true) => self.expand_str(word, err, sys),
                    ("+", false) => Ok(String::new()),
                    _ => Ok(value.unwrap_or_default()),
                }
            }
            Some(ParamOp::Trim(op, pattern)) => {
                let pattern = self.expand_pattern(pattern, err, sys)?;
                let value: Vec<char> = value.unwrap_or_default().chars().collect();
                // `#`/`%%` try the shortest cut first, `##`/`%` the longest.
                let (prefix, longest) = (op.starts_with('#'), op.len() == 2);
                let mut cuts: Vec<usize> = (0..=value.len()).collect();
                if prefix == longest {
                    cuts.reverse();
                }
                let hit = cuts.into_iter().find(|&i| match prefix {
                    true => glob_match(&pattern, &value[..i]),
                    false => glob_match(&pattern, &value[i..]),
                });
                Ok(match (hit, prefix) {
                    (None, _) => value.iter().collect(),
                    (Some(i), true) => value[i..].iter().collect(),
                    (Some(i), false) => value[..i].iter().collect(),
                })
            }
            Some(ParamOp::Replace { all, pattern, with }) => {
                let pattern = self.expand_pattern(pattern, err, sys)?;
                let with = self.expand_str(with, err, sys)?;
                let value: Vec<char> = value.unwrap_or_default().chars().collect();
                let mut out = String::new();
                let mut i = 0;
                let mut replaced = false;
                while i < value.len() {
                    let end = match (pattern.is_empty(), replaced && !all) {
                        (false, false) => (i + 1..=value.len())
                            .rev()
                            .find(|&e| glob_match(&pattern, &value[i..e])),
                        _ => None,
                    };
                    match end {
                        Some(e) => {
                            out.push_str(&with);
                            replaced = true;
                            i = e;
                        }
                        None => {
                            out.push(value[i]);
                            i += 1;
                        }
                    }
                }
                Ok(out)
            }
        }
    }

    /// Expands a pattern word; quoted characters are marked literal with a
    /// backslash so that `glob_match` does not take them as wildcards.
    fn expand_pattern(
        &mut self,
        w: &Word,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<Vec<char>, ExpandError> {
        let mut out = Vec::new();
        for part in &w.0 {
            let (text, quoted) = match part {
                Part::Lit(s) => (s.clone(), false),
                Part::Quoted(s) => (s.clone(), true),
                Part::Param { quoted, .. }
                | Part::CmdSub { quoted, .. }
                | Part::Arith { quoted, .. } => (self.expand_part(part, err, sys)?, *quoted),
                Part::Bad(_) => (self.expand_part(part, err, sys)?, false),
            };
            for c in text.chars() {
                if quoted && "*?[\\".contains(c) {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Replaces `$name`, `${name}` and `$?`-style parameters in an arithmetic
    /// expression by their values, as bash does before evaluating it.
    fn substitute_params(&self, expr: &str) -> String {
        let mut out = String::new();
        let mut rest = expr;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            let braced = rest.starts_with('{');
            let body = rest.trim_start_matches('{');
            let mut len = body
                .bytes()
                .take_while(|b| *b == b'_' || b.is_ascii_alphanumeric())
                .count();
            if len == 0 && body.starts_with(['?', '#', '$', '!']) {
                len = 1;
            }
            let close = usize::from(braced && body[len..].starts_with('}'));
            if len == 0 || braced && close == 0 {
                out.push('$');
                continue;
            }
            out.push_str(&self.param(&body[..len]).unwrap_or_default());
            rest = &body[len + close..];
        }
        out.push_str(rest);
        out
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
        let status = self.subshell(sys, |sh, sys| {
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
}

/// Shell pattern matching (`*`, `?`, `[...]` with ranges and `!`/`^`,
/// `\x` for a literal x) of a whole string.
fn glob_match(pattern: &[char], s: &[char]) -> bool {
    match pattern.split_first() {
        None => s.is_empty(),
        Some(('*', rest)) => (0..=s.len()).any(|i| glob_match(rest, &s[i..])),
        Some(('?', rest)) => !s.is_empty() && glob_match(rest, &s[1..]),
        Some(('[', rest)) if rest.contains(&']') => {
            let Some((&c, tail)) = s.split_first() else {
                return false;
            };
            let negate = matches!(rest.first(), Some('!' | '^'));
            let set = &rest[usize::from(negate)..];
            // A `]` right at the start is a member, not the end.
            let end = 1 + set[1..]
                .iter()
                .position(|&x| x == ']')
                .unwrap_or(set.len() - 1);
            let (class, after) = (
                &set[..end.min(set.len())],
                set.get(end + 1..).unwrap_or(&[]),
            );
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    hit |= (class[i]..=class[i + 2]).contains(&c);
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && glob_match(after, tail)
        }
        Some(('\\', [lit, rest @ ..])) | Some((lit, rest)) => {
            s.first() == Some(lit) && glob_match(rest, &s[1..])
        }
    }
}
