//! mawk's regular expressions (POSIX EREs without intervals: mawk 1.3.4
//! 20200120 reads `{` and `}` literally) on top of the `regex` crate.
//!
//! The text is translated to the crate's syntax (bytes, `.` matching any
//! byte including newline, brackets escaped where the crate would see set
//! operations). Matches are POSIX leftmost-longest, as mawk's matcher
//! gives: the crate finds the leftmost start, a DFA in "all matches" mode
//! run anchored there finds the longest end.

use regex::bytes::Regex;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::{Anchored, Input, MatchKind};
use std::cell::RefCell;

pub struct Re {
    first: Regex,
    longest: Option<(DFA, RefCell<Cache>)>,
}

impl std::fmt::Debug for Re {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Re({})", self.first.as_str())
    }
}

const PREFIX: &str = "(?s-u)";

/// Escapes one byte as a literal of the crate's syntax (`\<` and `\>`
/// would be word boundaries there).
fn lit(out: &mut String, c: u8) {
    if c.is_ascii_alphanumeric() || matches!(c, b' ' | b'_' | b'<' | b'>') {
        out.push(c as char);
    } else if c.is_ascii_graphic() {
        out.push('\\');
        out.push(c as char);
    } else {
        out.push_str(&format!("\\x{c:02x}"));
    }
}

/// The byte an escape `\c` stands for (`None`: c is kept as a literal).
fn escape(c: u8) -> Option<u8> {
    Some(match c {
        b'n' => b'\n',
        b't' => b'\t',
        b'r' => b'\r',
        b'f' => 0x0c,
        b'b' => 0x08,
        b'v' => 0x0b,
        b'a' => 0x07,
        _ => return None,
    })
}

/// Reads an escape at `s[i]` (just after the backslash): the byte and the
/// bytes used.
fn read_escape(s: &[u8], i: usize) -> (u8, usize) {
    let c = s[i];
    if let Some(b) = escape(c) {
        return (b, 1);
    }
    if (b'0'..=b'7').contains(&c) {
        let mut v: u32 = 0;
        let mut n = 0;
        while n < 3 && i + n < s.len() && (b'0'..=b'7').contains(&s[i + n]) {
            v = v * 8 + (s[i + n] - b'0') as u32;
            n += 1;
        }
        return (v as u8, n);
    }
    (c, 1)
}

const MISSING_OPERAND: &str = "missing operand";
const BAD_CLASS: &str = "bad class -- [], [^] or [";

/// mawk's compile errors that the translation would otherwise hide: an
/// empty alternative or group, a leading repetition.
fn check(re: &[u8]) -> Result<(), &'static str> {
    let mut i = 0;
    // skip leading groups: `(*a)` is as bad as `*a`
    while i < re.len() && re[i] == b'(' {
        i += 1;
    }
    match re.get(i) {
        Some(b'*' | b'+' | b'?') => return Err(MISSING_OPERAND),
        Some(b'^') if matches!(re.get(i + 1), Some(b'*' | b'+')) => {
            return Err("syntax error ^* or ^+")
        }
        _ => {}
    }
    let mut prev: Option<u8> = None;
    let mut j = 0;
    while j < re.len() {
        let c = re[j];
        match c {
            b'\\' => {
                j += 2;
                prev = Some(b'a');
                continue;
            }
            b'[' => {
                // skip the bracket (its end is checked when translating)
                let mut k = j + 1;
                if re.get(k) == Some(&b'^') {
                    k += 1;
                }
                if re.get(k) == Some(&b']') {
                    k += 1;
                }
                while k < re.len() && re[k] != b']' {
                    if re[k] == b'[' && re.get(k + 1) == Some(&b':') {
                        if let Some(e) = re[k + 2..].windows(2).position(|w| w == b":]") {
                            k += 2 + e + 2;
                            continue;
                        }
                    }
                    k += 1;
                }
                j = k + 1;
                prev = Some(b'a');
                continue;
            }
            b'|' if prev.is_none() || prev == Some(b'|') || prev == Some(b'(') => {
                return Err(MISSING_OPERAND)
            }
            b')' if prev == Some(b'(') || prev == Some(b'|') => return Err(MISSING_OPERAND),
            _ => {}
        }
        prev = Some(c);
        j += 1;
    }
    if prev == Some(b'|') {
        return Err(MISSING_OPERAND);
    }
    Ok(())
}

/// Translates mawk's ERE to the crate's syntax.
pub fn translate(re: &[u8]) -> Result<String, &'static str> {
    check(re)?;
    let mut out = String::from(PREFIX);
    // where the last atom began in `out`, to wrap stacked quantifiers
    let mut atom: Option<usize> = None;
    let mut quantified = false;
    let mut group_starts: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < re.len() {
        let c = re[i];
        match c {
            b'\\' if i + 1 < re.len() => {
                let (b, n) = read_escape(re, i + 1);
                atom = Some(out.len());
                quantified = false;
                lit(&mut out, b);
                i += 1 + n;
                continue;
            }
            b'\\' => {
                atom = Some(out.len());
                quantified = false;
                lit(&mut out, b'\\');
            }
            b'[' => {
                let start = out.len();
                i = bracket(re, i, &mut out)?;
                atom = Some(start);
                quantified = false;
                continue;
            }
            b'(' => {
                group_starts.push(out.len());
                out.push('(');
                atom = None;
                quantified = false;
            }
            b')' => {
                if let Some(s) = group_starts.pop() {
                    out.push(')');
                    atom = Some(s);
                } else {
                    atom = Some(out.len());
                    lit(&mut out, b')');
                }
                quantified = false;
            }
            b'|' => {
                out.push('|');
                atom = None;
                quantified = false;
            }
            b'*' | b'+' | b'?' => match atom {
                None => {
                    atom = Some(out.len());
                    lit(&mut out, c);
                    quantified = false;
                }
                Some(a) => {
                    if quantified {
                        out.insert_str(a, "(?:");
                        out.push(')');
                    }
                    out.push(c as char);
                    quantified = true;
                }
            },
            b'^' | b'$' => {
                out.push(c as char);
                atom = None;
                quantified = false;
            }
            b'.' => {
                atom = Some(out.len());
                out.push('.');
                quantified = false;
            }
            _ => {
                atom = Some(out.len());
                lit(&mut out, c);
                quantified = false;
            }
        }
        i += 1;
    }
    if !group_starts.is_empty() {
        return Err("missing ')'");
    }
    Ok(out)
}

/// Translates a bracket expression starting at `re[i] == '['`; returns the
/// index after it.
fn bracket(re: &[u8], i: usize, out: &mut String) -> Result<usize, &'static str> {
    let mut j = i + 1;
    let mut body = String::from("[");
    if re.get(j) == Some(&b'^') {
        body.push('^');
        j += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = re.get(j) else {
            return Err(BAD_CLASS);
        };
        if c == b']' && !first {
            body.push(']');
            out.push_str(&body);
            return Ok(j + 1);
        }
        first = false;
        if c == b'[' && re.get(j + 1) == Some(&b':') {
            if let Some(end) = re[j + 2..].windows(2).position(|w| w == b":]") {
                let name = &re[j + 2..j + 2 + end];
                const CLASSES: &[&[u8]] = &[
                    b"alnum", b"alpha", b"blank", b"cntrl", b"digit", b"graph", b"lower", b"print",
                    b"punct", b"space", b"upper", b"xdigit",
                ];
                if !CLASSES.contains(&name) {
                    return Err(BAD_CLASS);
                }
                body.push_str("[:");
                body.push_str(&String::from_utf8_lossy(name));
                body.push_str(":]");
                j += 2 + end + 2;
                continue;
            }
        }
        if c == b'\\' && j + 1 < re.len() {
            let (b, n) = read_escape(re, j + 1);
            lit(&mut body, b);
            j += 1 + n;
            continue;
        }
        if c == b'-' && !body.ends_with('[') && !body.ends_with('^') && re.get(j + 1) != Some(&b']')
        {
            body.push('-');
        } else {
            lit(&mut body, c);
        }
        j += 1;
    }
}

impl Re {
    /// Compiles; the error is mawk's reason ("missing operand").
    pub fn new(src: &[u8]) -> Result<Re, String> {
        let pat = translate(src)?;
        let first = regex::bytes::RegexBuilder::new(&pat)
            .size_limit(1 << 22)
            .dfa_size_limit(1 << 22)
            .build()
            .map_err(|_| BAD_CLASS.to_string())?;
        let longest = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(1 << 21),
            )
            .syntax(
                regex_automata::util::syntax::Config::new()
                    .unicode(false)
                    .utf8(false),
            )
            .build(&pat)
            .ok()
            .map(|d| {
                let c = d.create_cache();
                (d, RefCell::new(c))
            });
        Ok(Re { first, longest })
    }

    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.first.is_match(hay)
    }

    /// The leftmost-longest match at or after `from`: (start, end).
    pub fn find_at(&self, hay: &[u8], from: usize) -> Option<(usize, usize)> {
        let m = self.first.find_at(hay, from)?;
        let mut end = m.end();
        if let Some((dfa, cache)) = &self.longest {
            let input = Input::new(hay).range(m.start()..).anchored(Anchored::Yes);
            if let Ok(mut c) = cache.try_borrow_mut() {
                if let Ok(Some(hm)) = dfa.try_search_fwd(&mut c, &input) {
                    end = end.max(hm.offset());
                }
            }
        }
        Some((m.start(), end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(re: &str, hay: &str) -> Option<(usize, usize)> {
        Re::new(re.as_bytes()).unwrap().find_at(hay.as_bytes(), 0)
    }

    #[test]
    fn posix_longest_and_mawk_literals() {
        assert_eq!(m("a|ab", "xab"), Some((1, 3)));
        assert_eq!(m("a{3}", "aaa"), None);
        assert_eq!(m("a{3}", "a{3}"), Some((0, 4)));
        assert_eq!(m("[]a]+", "x]a]"), Some((1, 4)));
        assert_eq!(m("[^]a]", "]ab"), Some((2, 3)));
        assert_eq!(m("a.b", "a\nb"), Some((0, 3)));
        assert_eq!(m("\\.", "ab.c"), Some((2, 3)));
        assert_eq!(m("[[:digit:]]+", "ab12c"), Some((2, 4)));
        assert_eq!(m("a+?", "aaa"), Some((0, 3)));
        assert_eq!(m("a*+", "aa"), Some((0, 2)));
        assert_eq!(m("a\\<", "a<"), Some((0, 2)));
        assert_eq!(m("ab)", "ab)"), Some((0, 3)));
        assert_eq!(m("[a&&b]", "&"), Some((0, 1)));
        assert_eq!(m("^a", "ba"), None);
    }

    #[test]
    fn mawk_compile_errors() {
        let e = |re: &str| Re::new(re.as_bytes()).err();
        assert_eq!(e("+x").as_deref(), Some("missing operand"));
        assert_eq!(e("(*a)").as_deref(), Some("missing operand"));
        assert_eq!(e("a||b").as_deref(), Some("missing operand"));
        assert_eq!(e("()").as_deref(), Some("missing operand"));
        assert_eq!(e("a|").as_deref(), Some("missing operand"));
        assert_eq!(e("^*").as_deref(), Some("syntax error ^* or ^+"));
        assert_eq!(e("(ab").as_deref(), Some("missing ')'"));
        assert_eq!(e("[abc").as_deref(), Some("bad class -- [], [^] or ["));
        assert_eq!(e("[[:foo:]]").as_deref(), Some("bad class -- [], [^] or ["));
        assert_eq!(e("a**"), None);
        assert_eq!(e(""), None);
    }
}
