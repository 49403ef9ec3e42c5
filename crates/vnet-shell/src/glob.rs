//! Shell patterns: matching (`*`, `?`, `[...]`, used by `case`, `[[ == ]]`
//! and `${X#pat}`) and pathname expansion over [`System::read_dir`].

use crate::System;

/// How many directory entries one pattern may produce, so that a `*/*/*`
/// over a large tree cannot take unbounded memory.
const MAX_MATCHES: usize = 100_000;

/// Shell pattern matching (`*`, `?`, `[...]` with ranges, classes and
/// `!`/`^`, `\x` for a literal x) of a whole string. Iterative for `*`
/// (the classic backtracking on the last star), so no recursion.
pub(crate) fn glob_match(pattern: &[char], s: &[char]) -> bool {
    let (mut p, mut i) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        if p < pattern.len() {
            match pattern[p] {
                '*' => {
                    while p < pattern.len() && pattern[p] == '*' {
                        p += 1;
                    }
                    star = Some((p, i));
                    continue;
                }
                '?' => {
                    p += 1;
                    i += 1;
                    continue;
                }
                '[' => {
                    if let Some((hit, len)) = bracket(&pattern[p..], s[i]) {
                        if hit {
                            p += len;
                            i += 1;
                            continue;
                        }
                    } else if s[i] == '[' {
                        p += 1;
                        i += 1;
                        continue;
                    }
                }
                '\\' if p + 1 < pattern.len() => {
                    if pattern[p + 1] == s[i] {
                        p += 2;
                        i += 1;
                        continue;
                    }
                }
                c => {
                    if c == s[i] {
                        p += 1;
                        i += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, si)) => {
                p = sp;
                i = si + 1;
                star = Some((sp, si + 1));
            }
            None => return false,
        }
    }
    while p < pattern.len() && pattern[p] == '*' {
        p += 1;
    }
    p == pattern.len()
}

/// A bracket expression at the start of `pat`: (whether `c` is in it, its
/// length); None when it does not close (then `[` is literal).
fn bracket(pat: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pat.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let &ch = pat.get(i)?;
        if ch == ']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        if ch == '[' && pat.get(i + 1) == Some(&':') {
            let rest: String = pat[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let class = &rest[..end];
                hit |= match class {
                    "alpha" => c.is_alphabetic(),
                    "digit" => c.is_ascii_digit(),
                    "alnum" => c.is_alphanumeric(),
                    "upper" => c.is_uppercase(),
                    "lower" => c.is_lowercase(),
                    "space" => c.is_whitespace(),
                    "blank" => c == ' ' || c == '\t',
                    "punct" => c.is_ascii_punctuation(),
                    "xdigit" => c.is_ascii_hexdigit(),
                    "cntrl" => c.is_control(),
                    "print" => !c.is_control(),
                    "graph" => !c.is_control() && c != ' ',
                    _ => false,
                };
                i += 2 + class.chars().count() + 2;
                continue;
            }
        }
        let lo = match ch {
            '\\' => {
                i += 1;
                *pat.get(i)?
            }
            _ => ch,
        };
        if pat.get(i + 1) == Some(&'-') && pat.get(i + 2).is_some_and(|c| *c != ']') {
            let hi = *pat.get(i + 2)?;
            hit |= (lo..=hi).contains(&c);
            i += 3;
        } else {
            hit |= lo == c;
            i += 1;
        }
    }
}

/// Whether a pattern (with `\` escapes) has an unescaped wildcard.
fn has_wildcard(p: &[char]) -> bool {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' => i += 2,
            '*' | '?' | '[' => return true,
            _ => i += 1,
        }
    }
    false
}

/// Removes the `\` escapes of a pattern component without wildcards.
fn unescape(p: &[char]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < p.len() {
        if p[i] == '\\' && i + 1 < p.len() {
            i += 1;
        }
        out.push(p[i]);
        i += 1;
    }
    out
}

/// Pathname expansion of `pattern`: the matching paths, sorted; empty when
/// none match. Names starting with `.` match only a pattern that starts
/// with `.` too, unless `dotglob` (and never `.` or `..`, which read_dir
/// does not list).
pub(crate) fn expand(pattern: &str, dotglob: bool, sys: &mut dyn System) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    let comps: Vec<Vec<char>> = pattern
        .split('/')
        .filter(|c| !c.is_empty())
        .map(|c| c.chars().collect())
        .collect();
    let mut paths = vec![if absolute {
        "/".to_string()
    } else {
        String::new()
    }];
    for (n, comp) in comps.iter().enumerate() {
        let last = n + 1 == comps.len();
        let mut next = Vec::new();
        for base in &paths {
            let join = |name: &str| match base.as_str() {
                "" => name.to_string(),
                "/" => format!("/{name}"),
                b => format!("{b}/{name}"),
            };
            if !has_wildcard(comp) {
                let path = join(&unescape(comp));
                if last
                    || sys
                        .metadata(&path)
                        .is_ok_and(|m| m.kind == vnet_fs::Kind::Dir)
                {
                    next.push(path);
                }
                continue;
            }
            let dir = if base.is_empty() { "." } else { base.as_str() };
            let Ok(names) = sys.read_dir(dir) else {
                continue;
            };
            for name in names {
                let chars: Vec<char> = name.chars().collect();
                if name.starts_with('.') && comp.first() != Some(&'.') && !dotglob {
                    continue;
                }
                if glob_match(comp, &chars) {
                    let path = join(&name);
                    if last
                        || sys
                            .metadata(&path)
                            .is_ok_and(|m| m.kind == vnet_fs::Kind::Dir)
                    {
                        next.push(path);
                    }
                }
                if next.len() > MAX_MATCHES {
                    break;
                }
            }
        }
        paths = next;
    }
    // A literal final component must exist.
    if let Some(last) = comps.last() {
        if !has_wildcard(last) {
            paths.retain(|p| sys.metadata(p).is_ok());
        }
    }
    if pattern.ends_with('/') {
        paths.iter_mut().for_each(|p| p.push('/'));
    }
    paths.sort();
    paths
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    fn m(p: &str, s: &str) -> bool {
        let p: Vec<char> = p.chars().collect();
        let s: Vec<char> = s.chars().collect();
        glob_match(&p, &s)
    }

    #[test]
    fn patterns() {
        assert!(m("*.txt", "a.txt"));
        assert!(!m("*.txt", "a.txtx"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(m("[a-c]?", "bz"));
        assert!(!m("[!a-c]?", "bz"));
        assert!(m("[[:digit:]]x", "5x"));
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("[]]", "]"));
        assert!(m("[", "["));
        assert!(m(&"*".repeat(1000), "abc"));
    }
}
