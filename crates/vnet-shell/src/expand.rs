//! Word expansion: tilde, parameters (`$@` and arrays into several
//! fields), command substitution, arithmetic, then field splitting of
//! unquoted results by `$IFS` and pathname expansion (globbing, through
//! [`System::read_dir`]; a pattern that matches nothing stays as written).

use std::collections::BTreeMap;

use crate::exec::Frame;
use crate::glob::glob_match;
use crate::parse::{List, ParamOp, Part, Word};
use crate::{Shell, Sink, System};

/// An expansion error, printed as `NAME: line N: MSG`; the command fails with 1.
pub(crate) type ExpandError = String;

/// An expanded part: one string, or a list (`$@`, `${a[@]}`) whose items
/// stay separate fields when quoted with `@` (`star` joins them).
enum Val {
    Str(String),
    List(Vec<String>, bool),
}

/// A field being built: its text, and the same as a glob pattern (quoted
/// wildcards escaped with `\`).
#[derive(Default)]
struct Field {
    text: String,
    pat: String,
    glob: bool,
}

struct Fields {
    done: Vec<Field>,
    cur: Field,
    /// `cur` is a field even when empty (it holds quoted text).
    have: bool,
    /// The last field was ended by IFS white space (a non-white IFS
    /// character right after it does not end another).
    ws_ended: bool,
}

impl Fields {
    fn end_field(&mut self) {
        self.done.push(std::mem::take(&mut self.cur));
        self.have = false;
    }

    fn quoted(&mut self, s: &str) {
        self.cur.text.push_str(s);
        for c in s.chars() {
            if "*?[]\\".contains(c) {
                self.cur.pat.push('\\');
            }
            self.cur.pat.push(c);
        }
        self.have = true;
        self.ws_ended = false;
    }

    fn unquoted_char(&mut self, c: char) {
        self.cur.text.push(c);
        self.cur.pat.push(c);
        if "*?[".contains(c) {
            self.cur.glob = true;
        }
        self.have = true;
        self.ws_ended = false;
    }

    /// An unquoted expansion: split by IFS.
    fn split(&mut self, s: &str, ifs: &str) {
        for c in s.chars() {
            if !ifs.contains(c) {
                self.unquoted_char(c);
            } else if matches!(c, ' ' | '\t' | '\n') {
                if self.have {
                    self.end_field();
                    self.ws_ended = true;
                }
            } else if std::mem::take(&mut self.ws_ended) {
                // Already ended by the white space before.
            } else {
                self.end_field();
            }
        }
    }
}

impl Shell {
    /// `$IFS` (unset: blank, tab, newline).
    pub(crate) fn ifs(&self) -> String {
        self.vars
            .get("IFS")
            .cloned()
            .unwrap_or_else(|| " \t\n".into())
    }

    /// Expands command words: brace expansion, then each word into fields.
    pub(crate) fn expand_words(
        &mut self,
        words: &[Word],
        err: usize,
        sys: &mut dyn System,
    ) -> Result<Vec<String>, ExpandError> {
        let mut out = Vec::new();
        // `local x=$v`: a declaration builtin's assignments are not split
        // or globbed, as in bash.
        let declaring = words
            .first()
            .and_then(Word::literal)
            .is_some_and(|c| matches!(c, "local" | "declare" | "typeset" | "readonly" | "export"));
        for (i, w) in words.iter().enumerate() {
            if declaring && i > 0 && crate::parse::split_assignment(w).is_some() {
                out.push(self.expand_str(w, err, sys)?);
                continue;
            }
            for w in crate::brace::expand(w) {
                out.extend(self.expand_fields(&w, err, sys)?);
            }
        }
        Ok(out)
    }

    /// `+ ` as `set -x` prefixes a line (one `+` more per `$(…)` level).
    pub(crate) fn xtrace_prefix(&self) -> String {
        format!("{} ", "+".repeat(self.xdepth + 1))
    }

    /// Expands a word into fields (arguments), globbing included.
    pub(crate) fn expand_fields(
        &mut self,
        w: &Word,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<Vec<String>, ExpandError> {
        let ifs = self.ifs();
        let mut f = Fields {
            done: Vec::new(),
            cur: Field::default(),
            have: false,
            ws_ended: false,
        };
        // `"$@"` with no arguments is no field, even among empty quotes.
        let mut only_empty_at = true;
        let mut has_at = false;
        for (i, part) in w.0.iter().enumerate() {
            match part {
                Part::Lit(s) if i == 0 && s.starts_with('~') => {
                    let (user, rest) = s.split_at(s.find('/').unwrap_or(s.len()));
                    let home = match user {
                        "~" => self.vars.get("HOME").cloned(),
                        _ => None,
                    };
                    match home {
                        Some(h) => f.quoted(&h),
                        None => user.chars().for_each(|c| f.unquoted_char(c)),
                    }
                    rest.chars().for_each(|c| f.unquoted_char(c));
                    only_empty_at = false;
                }
                Part::Lit(s) => {
                    s.chars().for_each(|c| f.unquoted_char(c));
                    only_empty_at = false;
                }
                Part::Quoted(s) => {
                    f.quoted(s);
                    only_empty_at &= s.is_empty();
                }
                _ => {
                    let quoted = matches!(
                        part,
                        Part::Param { quoted: true, .. }
                            | Part::CmdSub { quoted: true, .. }
                            | Part::Arith { quoted: true, .. }
                    );
                    match self.expand_part(part, err, sys)? {
                        Val::Str(s) => {
                            only_empty_at = false;
                            match quoted {
                                true => f.quoted(&s),
                                false => f.split(&s, &ifs),
                            }
                        }
                        Val::List(items, star) if quoted && star => {
                            only_empty_at = false;
                            let sep = ifs.chars().next().map(String::from).unwrap_or_default();
                            f.quoted(&items.join(&sep));
                        }
                        Val::List(items, _) if quoted => {
                            has_at = true;
                            only_empty_at &= items.is_empty();
                            for (j, item) in items.iter().enumerate() {
                                if j > 0 {
                                    f.end_field();
                                }
                                f.quoted(item);
                            }
                        }
                        Val::List(items, _) => {
                            only_empty_at = false;
                            for item in items {
                                if f.have {
                                    f.end_field();
                                }
                                f.split(&item, &ifs);
                            }
                        }
                    }
                }
            }
        }
        if f.have && !(has_at && only_empty_at) {
            f.end_field();
        }
        let mut out = Vec::new();
        for field in f.done {
            if field.glob && !self.opts.noglob {
                let matches = crate::glob::expand(&field.pat, self.opts.dotglob, sys);
                if !matches.is_empty() || self.opts.nullglob {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(field.text);
        }
        Ok(out)
    }

    /// Expands a word into one string, without field splitting or globbing
    /// (assignment values, `${X:-word}`, `case` words).
    pub(crate) fn expand_str(
        &mut self,
        w: &Word,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<String, ExpandError> {
        let mut out = String::new();
        for (i, part) in w.0.iter().enumerate() {
            match part {
                Part::Lit(s) if i == 0 && (s == "~" || s.starts_with("~/")) => {
                    out.push_str(&self.vars.get("HOME").cloned().unwrap_or_default());
                    out.push_str(&s[1..]);
                }
                Part::Lit(s) | Part::Quoted(s) => out.push_str(s),
                _ => match self.expand_part(part, err, sys)? {
                    Val::Str(s) => out.push_str(&s),
                    Val::List(items, _) => out.push_str(&items.join(" ")),
                },
            }
        }
        Ok(out)
    }

    fn expand_part(
        &mut self,
        part: &Part,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<Val, ExpandError> {
        match part {
            Part::Lit(s) | Part::Quoted(s) => Ok(Val::Str(s.clone())),
            Part::Param { name, op, .. } => self.expand_param(name, op.as_ref(), err, sys),
            Part::Bad(text) => Err(format!("{text}: bad substitution")),
            Part::CmdSub { body, .. } => Ok(Val::Str(self.command_subst(body, err, sys))),
            Part::Arith { expr, .. } => self
                .arith_full(expr, err, sys)
                .map(|n| Val::Str(n.to_string())),
        }
    }

    /// Evaluates an arithmetic expression after expanding what it holds
    /// (`$x`, `${#a[@]}`, `$(…)`), as bash does before evaluating it.
    pub(crate) fn arith_full(
        &mut self,
        expr: &str,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<i64, ExpandError> {
        // A bare RANDOM, SECONDS or LINENO in an expression reads the
        // dynamic value, as `$NAME` would.
        for name in ["RANDOM", "SECONDS", "LINENO"] {
            let bare = expr.match_indices(name).any(|(i, _)| {
                !expr[..i].ends_with(['$', '{', '_'])
                    && !expr[..i].ends_with(|c: char| c.is_alphanumeric())
            });
            if bare && !self.vars.contains_key(name) {
                let value = self.param(name).unwrap_or_default();
                self.vars.insert(name.into(), value);
                let v = self.arith_full(expr, err, sys);
                self.vars.remove(name);
                return v;
            }
        }
        if !expr.contains(['$', '`']) {
            return crate::arith::eval(expr, &mut self.vars);
        }
        if self.depth >= crate::exec::MAX_DEPTH || crate::stack::exhausted() {
            return Err(format!(
                "{}: expression recursion level exceeded",
                expr.trim()
            ));
        }
        let mut p = crate::parse::Parser::new(expr, self.cur_line);
        p.script = true;
        self.depth += 1;
        let text = match p.here_body() {
            Ok(w) => self.expand_str(&w, err, sys),
            Err(_) => Ok(self.substitute_params(expr)),
        };
        self.depth -= 1;
        let text = text?;
        crate::arith::eval(&text, &mut self.vars)
    }

    /// Evaluates an arithmetic expression after substituting `$` parameters.
    pub(crate) fn arith(&mut self, expr: &str) -> Result<i64, ExpandError> {
        let expr = self.substitute_params(expr);
        crate::arith::eval(&expr, &mut self.vars)
    }

    fn expand_param(
        &mut self,
        name: &str,
        op: Option<&ParamOp>,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<Val, ExpandError> {
        // A subscript with expansions in it (`${a[$i]}`, `${a[${#a[@]}-1]}`)
        // is expanded first.
        let expanded;
        let name = match split_subscript(name) {
            Some((base, sub)) if sub.contains(['$', '`']) => {
                let sub = match self.assoc.contains_key(base) {
                    // An associative array's key is a string.
                    true => {
                        let mut p = crate::parse::Parser::new(sub, self.cur_line);
                        match p.here_body() {
                            Ok(w) => self.expand_str(&w, err, sys)?,
                            Err(_) => sub.to_string(),
                        }
                    }
                    false => self.arith_full(sub, err, sys)?.to_string(),
                };
                expanded = format!("{base}[{sub}]");
                expanded.as_str()
            }
            _ => name,
        };
        let (name, list) = match op {
            // `${!a[@]}`: the array's indices.
            Some(ParamOp::Indirect)
                if split_subscript(name).is_some_and(|(_, s)| s == "@" || s == "*") =>
            {
                let (base, sub) = split_subscript(name).unwrap_or((name, "@"));
                if let Some(m) = self.assoc.get(base) {
                    let keys = m.iter().map(|(k, _)| k.clone()).collect();
                    return Ok(Val::List(keys, sub == "*"));
                }
                let keys = match (self.arrays.get(base), self.vars.contains_key(base)) {
                    (Some(a), _) => a.keys().map(|k| k.to_string()).collect(),
                    (None, true) => vec!["0".to_string()],
                    (None, false) => Vec::new(),
                };
                return Ok(Val::List(keys, sub == "*"));
            }
            Some(ParamOp::Indirect) => {
                let target = self.param(name).unwrap_or_default();
                if target.is_empty() || !valid_param_name(&target) {
                    return Err(format!("{target}: invalid indirect expansion"));
                }
                let target = target.to_string();
                let list = self.param_list(&target);
                if list.is_none() && self.param(&target).is_none() && self.opts.nounset {
                    return self.unbound(&target);
                }
                return Ok(match list {
                    Some((items, star)) => Val::List(items, star),
                    None => Val::Str(self.param(&target).unwrap_or_default()),
                });
            }
            _ => (name, self.param_list(name)),
        };
        if let Some((items, star)) = list {
            return self.expand_list(name, items, star, op, err, sys);
        }
        let value = self.param(name);
        if value.is_none()
            && self.opts.nounset
            && !matches!(op, Some(ParamOp::Test(..) | ParamOp::Error(..)))
        {
            return self.unbound(name);
        }
        let Some(op) = op else {
            return Ok(Val::Str(value.unwrap_or_default()));
        };
        let s = match op {
            ParamOp::Indirect => unreachable!("handled above"),
            ParamOp::Length => value.unwrap_or_default().chars().count().to_string(),
            ParamOp::Test(op, word) => {
                let set = match op.starts_with(':') {
                    true => value.as_ref().is_some_and(|v| !v.is_empty()),
                    false => value.is_some(),
                };
                match (op.trim_start_matches(':'), set) {
                    ("-", false) => return self.expand_word_val(word, err, sys),
                    ("=", false) => {
                        let v = self.expand_str(word, err, sys)?;
                        if !valid_assign_target(name) {
                            return Err(format!("${name}: cannot assign in this way"));
                        }
                        self.set_scalar(name, v.clone());
                        v
                    }
                    ("+", true) => return self.expand_word_val(word, err, sys),
                    ("+", false) => String::new(),
                    _ => value.unwrap_or_default(),
                }
            }
            ParamOp::Error(colon, word) => {
                let set = match colon {
                    true => value.as_ref().is_some_and(|v| !v.is_empty()),
                    false => value.is_some(),
                };
                if set {
                    value.unwrap_or_default()
                } else {
                    let msg = self.expand_str(word, err, sys)?;
                    let msg = match msg.is_empty() {
                        true => match colon {
                            true => "parameter null or not set".to_string(),
                            false => "parameter not set".to_string(),
                        },
                        false => msg,
                    };
                    self.fatal = true;
                    return Err(format!("{name}: {msg}"));
                }
            }
            _ => self.apply_op(value.unwrap_or_default(), op, err, sys)?,
        };
        Ok(Val::Str(s))
    }

    /// `${X:-word}`'s word: a quoted `"$@"` in it stays a list.
    fn expand_word_val(
        &mut self,
        word: &Word,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<Val, ExpandError> {
        if let [part @ Part::Param { .. }] = word.0.as_slice() {
            return self.expand_part(part, err, sys);
        }
        self.expand_str(word, err, sys).map(Val::Str)
    }

    fn unbound(&mut self, name: &str) -> Result<Val, ExpandError> {
        self.fatal = true;
        let shown = match name.starts_with(|c: char| c.is_ascii_digit()) {
            true => format!("${name}"),
            false => name.to_string(),
        };
        Err(format!("{shown}: unbound variable"))
    }

    /// The operators that transform a value: trims, replacement, case,
    /// substrings.
    fn apply_op(
        &mut self,
        value: String,
        op: &ParamOp,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<String, ExpandError> {
        Ok(match op {
            ParamOp::Trim(op, pattern) => {
                let pattern = self.expand_pattern(pattern, err, sys)?;
                let value: Vec<char> = value.chars().collect();
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
                match (hit, prefix) {
                    (None, _) => value.iter().collect(),
                    (Some(i), true) => value[i..].iter().collect(),
                    (Some(i), false) => value[..i].iter().collect(),
                }
            }
            ParamOp::Replace {
                mode,
                pattern,
                with,
            } => {
                let pattern = self.expand_pattern(pattern, err, sys)?;
                let with = self.expand_str(with, err, sys)?;
                replace(&value, &pattern, &with, *mode)
            }
            ParamOp::Case(op, pattern) => {
                let pattern = self.expand_pattern(pattern, err, sys)?;
                let all = op.len() == 2;
                let upper = op.starts_with('^');
                let mut out = String::new();
                for (i, c) in value.chars().enumerate() {
                    let hit = (all || i == 0) && (pattern.is_empty() || glob_match(&pattern, &[c]));
                    match (hit, upper) {
                        (true, true) => out.extend(c.to_uppercase()),
                        (true, false) => out.extend(c.to_lowercase()),
                        _ => out.push(c),
                    }
                }
                out
            }
            ParamOp::Substr(off, len) => {
                let chars: Vec<char> = value.chars().collect();
                let (start, end) = self.slice_bounds(off, len.as_deref(), chars.len())?;
                chars[start..end].iter().collect()
            }
            ParamOp::Length | ParamOp::Indirect | ParamOp::Test(..) | ParamOp::Error(..) => value,
        })
    }

    /// `${X:off:len}` as a range of `n` items; negative offsets count from
    /// the end and a negative length is an end offset, as in bash.
    fn slice_bounds(
        &mut self,
        off: &str,
        len: Option<&str>,
        n: usize,
    ) -> Result<(usize, usize), ExpandError> {
        let n = n as i64;
        let mut start = self.arith(off)?;
        if start < 0 {
            start += n;
        }
        if start < 0 || start > n {
            return Ok((0, 0));
        }
        let end = match len {
            None => n,
            Some(len) => {
                let l = self.arith(len)?;
                if l < 0 {
                    if n + l < start {
                        return Err(format!("{}: substring expression < 0", len.trim()));
                    }
                    n + l
                } else {
                    (start + l).min(n)
                }
            }
        };
        Ok((start as usize, end.max(start) as usize))
    }

    /// `$@`, `${a[@]}` and friends with an operator.
    fn expand_list(
        &mut self,
        name: &str,
        items: Vec<String>,
        star: bool,
        op: Option<&ParamOp>,
        err: usize,
        sys: &mut dyn System,
    ) -> Result<Val, ExpandError> {
        match op {
            None | Some(ParamOp::Indirect) => Ok(Val::List(items, star)),
            Some(ParamOp::Length) => Ok(Val::Str(items.len().to_string())),
            Some(ParamOp::Test(op, word)) => {
                let set = match op.starts_with(':') {
                    true => items.iter().any(|v| !v.is_empty()),
                    false => !items.is_empty(),
                };
                match (op.trim_start_matches(':'), set) {
                    ("-" | "=", false) => self.expand_word_val(word, err, sys),
                    ("+", true) => self.expand_word_val(word, err, sys),
                    ("+", false) => Ok(Val::List(Vec::new(), star)),
                    _ => Ok(Val::List(items, star)),
                }
            }
            Some(ParamOp::Error(_, word)) if items.is_empty() => {
                let msg = self.expand_str(word, err, sys)?;
                self.fatal = true;
                Err(format!("{name}: {msg}"))
            }
            Some(ParamOp::Substr(off, len)) => {
                // `${@:1}` starts at `$1`: `$0` is item 0 here.
                let positional = name == "@" || name == "*";
                let mut all = items;
                if positional {
                    all.insert(0, self.name.clone());
                }
                let (start, end) = self.slice_bounds(off, len.as_deref(), all.len())?;
                Ok(Val::List(all[start..end].to_vec(), star))
            }
            Some(op) => {
                let mut out = Vec::new();
                for item in items {
                    out.push(self.apply_op(item, op, err, sys)?);
                }
                Ok(Val::List(out, star))
            }
        }
    }

    /// Expands a pattern word; quoted characters are marked literal with a
    /// backslash so that `glob_match` does not take them as wildcards.
    pub(crate) fn expand_pattern(
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
                | Part::Arith { quoted, .. } => {
                    let text = match self.expand_part(part, err, sys)? {
                        Val::Str(s) => s,
                        Val::List(items, _) => items.join(" "),
                    };
                    (text, *quoted)
                }
                Part::Bad(text) => return Err(format!("{text}: bad substitution")),
            };
            for c in text.chars() {
                if quoted && "*?[]\\".contains(c) {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Replaces `$name`, `${name}` and `$?`-style parameters in an arithmetic
    /// expression by their values, as bash does before evaluating it.
    fn substitute_params(&mut self, expr: &str) -> String {
        let mut out = String::new();
        let mut rest = expr;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            let braced = rest.starts_with('{');
            let body = rest.strip_prefix('{').unwrap_or(rest);
            let mut len = body
                .bytes()
                .take_while(|b| *b == b'_' || b.is_ascii_alphanumeric())
                .count();
            if body.starts_with(|c: char| c.is_ascii_digit()) && !braced {
                len = 1;
            }
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

    /// A list-valued parameter (`@`, `*`, `a[@]`, `a[*]`): the items and
    /// whether they join into one (`*`). None for any other name.
    fn param_list(&self, name: &str) -> Option<(Vec<String>, bool)> {
        match name {
            "@" => Some((self.args.clone(), false)),
            "*" => Some((self.args.clone(), true)),
            _ => {
                let (base, sub) = split_subscript(name)?;
                if sub != "@" && sub != "*" {
                    return None;
                }
                if let Some(m) = self.assoc.get(base) {
                    return Some((m.iter().map(|(_, v)| v.clone()).collect(), sub == "*"));
                }
                let items = match self.arrays.get(base) {
                    Some(a) => a.values().cloned().collect(),
                    None => self.vars.get(base).cloned().into_iter().collect(),
                };
                Some((items, sub == "*"))
            }
        }
    }

    /// True when a variable (or array element, or positional parameter)
    /// is set.
    pub(crate) fn is_set(&mut self, name: &str) -> bool {
        self.param(name).is_some()
    }

    /// A parameter's value; `None` when unset.
    pub(crate) fn param(&mut self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.last_status.to_string()),
            "$" => Some(crate::exec::SHELL_PID.to_string()),
            "!" => self.last_bg.map(|id| id.to_string()),
            "#" => Some(self.args.len().to_string()),
            "0" => Some(self.name.clone()),
            "-" => {
                let flags = [
                    (self.opts.errexit, 'e'),
                    (self.opts.noglob, 'f'),
                    (true, 'h'),
                    (self.opts.nounset, 'u'),
                    (self.opts.xtrace, 'x'),
                    (true, 'B'),
                ];
                Some(flags.iter().filter(|f| f.0).map(|f| f.1).collect())
            }
            "@" | "*" => Some(self.args.join(" ")),
            "RANDOM" if !self.vars.contains_key("RANDOM") || self.rng.is_some() => {
                Some(self.random().to_string())
            }
            "LINENO" => Some(self.cur_line.to_string()),
            "SECONDS" if !self.vars.contains_key("SECONDS") => {
                let base = self.seconds_base.unwrap_or(self.clock_now);
                Some(self.clock_now.saturating_sub(base).to_string())
            }
            "BASHPID" => Some(self.pid.to_string()),
            "BASH_SUBSHELL" => Some(self.subshell_level.to_string()),
            _ if name.starts_with(|c: char| c.is_ascii_digit()) => {
                let n: usize = name.parse().ok()?;
                self.args.get(n.checked_sub(1)?).cloned()
            }
            _ => {
                if let Some((base, sub)) = split_subscript(name) {
                    if let Some(m) = self.assoc.get(base) {
                        return m.iter().find(|(k, _)| k == sub).map(|(_, v)| v.clone());
                    }
                    let idx = self.arith(sub).ok()?;
                    return match self.arrays.get(base) {
                        Some(a) => {
                            let idx = match idx < 0 {
                                true => (a.keys().next_back().map_or(0, |k| *k as i64 + 1) + idx)
                                    .max(0) as usize,
                                false => idx as usize,
                            };
                            a.get(&idx).cloned()
                        }
                        None if idx == 0 => self.vars.get(base).cloned(),
                        None => None,
                    };
                }
                match self.arrays.get(name) {
                    Some(a) => a.get(&0).cloned(),
                    None => self.vars.get(name).cloned(),
                }
            }
        }
    }

    /// bash's `$RANDOM`: a Park-Miller generator, 15 bits, never the same
    /// value twice in a row; assigning `RANDOM=n` seeds it.
    fn random(&mut self) -> u32 {
        let seed = match self.rng {
            Some(s) => s,
            None => match self.vars.remove("RANDOM") {
                Some(v) => v.trim().parse::<i64>().unwrap_or(0) as u32,
                None => 0,
            },
        };
        let mut state = seed;
        loop {
            let last = if state == 0 { 123459876 } else { state as i64 };
            let (h, l) = (last / 127773, last % 127773);
            let mut t = 16807 * l - 2836 * h;
            if t < 0 {
                t += 0x7fffffff;
            }
            state = t as u32;
            let v = ((state >> 16) ^ (state & 0xffff)) & 0x7fff;
            if v != self.rng_last {
                self.rng = Some(state);
                self.rng_last = v;
                return v;
            }
        }
    }

    /// Seeds `$RANDOM` (an assignment `RANDOM=n`).
    pub(crate) fn seed_random(&mut self, value: &str) {
        let n = value.trim().parse::<i64>().unwrap_or(0);
        self.rng = Some(n as u32);
        self.rng_last = 0;
    }

    /// Runs `body` in a subshell and returns all it printed (`< <(list)`).
    pub(crate) fn capture(&mut self, body: &List, err: usize, sys: &mut dyn System) -> Vec<u8> {
        if crate::exec::too_deep(self.depth) {
            self.say(err, sys, "maximum nesting level exceeded");
            self.aborted = true;
            return Vec::new();
        }
        self.sinks.push(Sink::Buffer(Vec::new()));
        let mut frame = Frame {
            out: self.sinks.len() - 1,
            err,
            stdin: None,
            more: [None; 7],
        };
        self.depth += 1;
        self.subshell(sys, |sh, sys| sh.exec_list(body, &mut frame, sys));
        self.depth -= 1;
        match self.sinks.pop() {
            Some(Sink::Buffer(b)) => b,
            _ => Vec::new(),
        }
    }

    /// `$(…)`: runs `body` like a subshell (its variable changes and `exit`
    /// stay inside; `set -e` is not inherited, as in bash) and returns its
    /// output without trailing newlines. Its status becomes `$?`.
    fn command_subst(&mut self, body: &List, err: usize, sys: &mut dyn System) -> String {
        if crate::exec::too_deep(self.depth) {
            self.say(err, sys, "maximum nesting level exceeded");
            self.aborted = true;
            return String::new();
        }
        if let Some(text) = self.read_subst(body, err, sys) {
            return text;
        }
        self.sinks.push(Sink::Buffer(Vec::new()));
        let mut frame = Frame {
            out: self.sinks.len() - 1,
            err,
            stdin: None,
            more: [None; 7],
        };
        self.depth += 1;
        self.xdepth += 1;
        let status = self.subshell(sys, |sh, sys| {
            sh.opts.errexit = false;
            sh.exec_list(body, &mut frame, sys)
        });
        self.xdepth -= 1;
        self.depth -= 1;
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

    /// `$(< FILE)`: the file's content (trailing newlines removed) without
    /// running anything; None when `body` is not that form.
    fn read_subst(&mut self, body: &List, err: usize, sys: &mut dyn System) -> Option<String> {
        use crate::parse::{Command, RedirOp};
        let [item] = body.as_slice() else {
            return None;
        };
        let (true, false, [Command::Simple(s)]) = (
            item.and_or.rest.is_empty() && !item.background,
            item.and_or.first.bang,
            item.and_or.first.cmds.as_slice(),
        ) else {
            return None;
        };
        let ([r], true) = (
            s.redirs.as_slice(),
            s.words.is_empty() && s.assigns.is_empty(),
        ) else {
            return None;
        };
        if r.op != RedirOp::In || r.fd.is_some() {
            return None;
        }
        let path = match self.expand_str(&r.target, err, sys) {
            Ok(p) => p,
            Err(msg) => {
                self.expansion_failed(err, sys, &msg);
                return Some(String::new());
            }
        };
        match sys.read_file(&path) {
            Ok(data) => {
                self.last_status = 0;
                self.subst_status = Some(0);
                let mut out = String::from_utf8_lossy(&data).into_owned();
                out.truncate(out.trim_end_matches('\n').len());
                Some(out)
            }
            Err(e) => {
                let msg = format!("{path}: {}", crate::exec::io_message(&e));
                self.say(err, sys, &msg);
                self.last_status = 1;
                self.subst_status = Some(1);
                Some(String::new())
            }
        }
    }

    /// Assigns a scalar (to element 0 when NAME is an array; `NAME[i]`
    /// for an element).
    pub(crate) fn set_scalar(&mut self, name: &str, value: String) {
        if let Some((base, sub)) = split_subscript(name) {
            if let Some(m) = self.assoc.get_mut(base) {
                match m.iter_mut().find(|(k, _)| k == sub) {
                    Some(slot) => slot.1 = value,
                    None => m.push((sub.to_string(), value)),
                }
                return;
            }
            let idx = self.arith(sub).unwrap_or(0);
            let arr = self.array_mut(base);
            let idx = match idx < 0 {
                true => (arr.keys().next_back().map_or(0, |k| *k as i64 + 1) + idx).max(0),
                false => idx,
            };
            arr.insert(idx as usize, value);
            return;
        }
        if name == "RANDOM" {
            self.seed_random(&value);
            return;
        }
        if name == "SECONDS" {
            // `SECONDS=n` counts on from n.
            let n = value.trim().parse::<u64>().unwrap_or(0);
            self.seconds_base = Some(self.clock_now.saturating_sub(n));
            return;
        }
        match self.arrays.get_mut(name) {
            Some(a) => {
                a.insert(0, value);
            }
            None => {
                self.vars.insert(name.to_string(), value);
            }
        }
    }

    /// The array NAME, made one if it was a scalar (which becomes item 0).
    pub(crate) fn array_mut(&mut self, name: &str) -> &mut BTreeMap<usize, String> {
        if !self.arrays.contains_key(name) {
            let mut a = BTreeMap::new();
            if let Some(v) = self.vars.remove(name) {
                a.insert(0, v);
            }
            self.arrays.insert(name.to_string(), a);
        }
        self.arrays.entry(name.to_string()).or_default()
    }
}

/// `name[sub]` → (name, sub).
pub(crate) fn split_subscript(name: &str) -> Option<(&str, &str)> {
    let open = name.find('[')?;
    let inner = name[open + 1..].strip_suffix(']')?;
    Some((&name[..open], inner))
}

fn valid_param_name(s: &str) -> bool {
    let base = split_subscript(s).map_or(s, |(b, _)| b);
    crate::parse::is_name(base)
        || base.bytes().all(|b| b.is_ascii_digit())
        || matches!(base, "@" | "*" | "#" | "?" | "$" | "!" | "-")
}

fn valid_assign_target(s: &str) -> bool {
    crate::parse::is_name(split_subscript(s).map_or(s, |(b, _)| b))
}

/// `${V/pat/with}`: `mode` `/` replaces the first match, `A` every match,
/// `#` a match at the start, `%` one at the end; matches are longest.
fn replace(value: &str, pattern: &[char], with: &str, mode: char) -> String {
    let value: Vec<char> = value.chars().collect();
    let n = value.len();
    match mode {
        '#' => {
            return match (0..=n).rev().find(|&e| glob_match(pattern, &value[..e])) {
                Some(e) if !(pattern.is_empty() && e == 0) || pattern.is_empty() => {
                    format!("{with}{}", value[e..].iter().collect::<String>())
                }
                _ => value.iter().collect(),
            };
        }
        '%' => {
            return match (0..=n).find(|&s| glob_match(pattern, &value[s..])) {
                Some(s) => format!("{}{with}", value[..s].iter().collect::<String>()),
                None => value.iter().collect(),
            };
        }
        _ => {}
    }
    let all = mode == 'A';
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i < n {
        let end = match (pattern.is_empty(), replaced && !all) {
            (false, false) => (i + 1..=n)
                .rev()
                .find(|&e| glob_match(pattern, &value[i..e])),
            _ => None,
        };
        match end {
            Some(e) => {
                out.push_str(with);
                replaced = true;
                i = e;
            }
            None => {
                out.push(value[i]);
                i += 1;
            }
        }
    }
    out
}
