//! Brace expansion, bash's first expansion: `a{b,c}d` → `abd acd`,
//! `{1..5}`, `{a..e}`, `{01..10..3}`, `{5..1}`, `{$x,y}`. Braces and
//! commas count only where written unquoted; `${…}` is never a brace
//! group. The result is capped at [`MAX_WORDS`] words.

use crate::parse::{Part, Word};

/// How many words one word may expand to.
const MAX_WORDS: usize = 100_000;

/// A word as brace expansion sees it: unquoted characters, and the other
/// parts (quoted text, expansions) as opaque pieces.
#[derive(Clone)]
enum Piece {
    Char(char),
    Other(Part),
}

fn pieces(w: &Word) -> Vec<Piece> {
    let mut out = Vec::new();
    for p in &w.0 {
        match p {
            Part::Lit(s) => out.extend(s.chars().map(Piece::Char)),
            other => out.push(Piece::Other(other.clone())),
        }
    }
    out
}

fn word(pieces: &[Piece]) -> Word {
    let mut w = Word::default();
    for p in pieces {
        match p {
            Piece::Char(c) => match w.0.last_mut() {
                Some(Part::Lit(s)) => s.push(*c),
                _ => w.0.push(Part::Lit(c.to_string())),
            },
            Piece::Other(part) => w.0.push(part.clone()),
        }
    }
    w
}

/// The words `w` expands to (itself when it has no brace group).
pub(crate) fn expand(w: &Word) -> Vec<Word> {
    if !w
        .0
        .iter()
        .any(|p| matches!(p, Part::Lit(s) if s.contains('{')))
    {
        return vec![w.clone()];
    }
    let mut out = Vec::new();
    let mut todo = vec![pieces(w)];
    while let Some(p) = todo.pop() {
        match expand_one(&p) {
            Some(words) if out.len() + todo.len() + words.len() <= MAX_WORDS => {
                // Keep the order: push in reverse onto the stack.
                todo.extend(words.into_iter().rev());
            }
            _ => out.push(word(&p)),
        }
    }
    out
}

/// Expands the first brace group; None when there is none.
fn expand_one(p: &[Piece]) -> Option<Vec<Vec<Piece>>> {
    let is = |i: usize, c: char| matches!(p.get(i), Some(Piece::Char(x)) if *x == c);
    for open in 0..p.len() {
        if !is(open, '{') || (open > 0 && is(open - 1, '$')) {
            continue;
        }
        let mut depth = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (j, piece) in p.iter().enumerate().skip(open + 1) {
            match piece {
                Piece::Char('{') => depth += 1,
                Piece::Char('}') if depth == 0 => {
                    close = Some(j);
                    break;
                }
                Piece::Char('}') => depth -= 1,
                Piece::Char(',') if depth == 0 => commas.push(j),
                _ => {}
            }
        }
        let Some(close) = close else {
            continue;
        };
        let (pre, post) = (&p[..open], &p[close + 1..]);
        let join = |item: &[Piece]| [pre, item, post].concat();
        if !commas.is_empty() {
            let mut items = Vec::new();
            let mut start = open + 1;
            for c in commas.into_iter().chain([close]) {
                items.push(join(&p[start..c]));
                start = c + 1;
            }
            return Some(items);
        }
        let inner: Option<String> = p[open + 1..close]
            .iter()
            .map(|x| match x {
                Piece::Char(c) => Some(*c),
                Piece::Other(_) => None,
            })
            .collect();
        if let Some(items) = inner.as_deref().and_then(sequence) {
            return Some(
                items
                    .into_iter()
                    .map(|s| join(&s.chars().map(Piece::Char).collect::<Vec<_>>()))
                    .collect(),
            );
        }
    }
    None
}

/// `1..5`, `a..e`, `01..10..2`: the items, or None when not a sequence.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let fields: Vec<&str> = inner.split("..").collect();
    let (from, to, step) = match fields.as_slice() {
        [a, b] => (*a, *b, None),
        [a, b, c] => (*a, *b, Some(*c)),
        _ => return None,
    };
    let step: i64 = match step {
        Some(s) => s.parse().ok()?,
        None => 1,
    };
    let step = step.unsigned_abs().clamp(1, 1 << 40) as i64;
    if let (Ok(a), Ok(b)) = (from.parse::<i64>(), to.parse::<i64>()) {
        let padded = |t: &str| t.trim_start_matches('-').starts_with('0') && t.len() > 1;
        let width = match padded(from) || padded(to) {
            true => from.len().max(to.len()),
            false => 0,
        };
        let count = (a.abs_diff(b) / step as u64) as usize + 1;
        if count > MAX_WORDS {
            return None;
        }
        let dir = if a <= b { step } else { -step };
        return Some(
            (0..count)
                .map(|k| {
                    let v = a + dir * k as i64;
                    match width {
                        0 => v.to_string(),
                        w if v < 0 => format!("-{:0>w$}", v.unsigned_abs(), w = w - 1),
                        w => format!("{v:0>w$}"),
                    }
                })
                .collect(),
        );
    }
    let (mut fc, mut tc) = (from.chars(), to.chars());
    let (Some(a), None, Some(b), None) = (fc.next(), fc.next(), tc.next(), tc.next()) else {
        return None;
    };
    if !a.is_ascii_alphabetic() || !b.is_ascii_alphabetic() {
        return None;
    }
    let (a, b) = (a as i64, b as i64);
    let dir = if a <= b { step } else { -step };
    let count = (a.abs_diff(b) / step as u64) as usize + 1;
    Some(
        (0..count)
            .filter_map(|k| char::from_u32((a + dir * k as i64) as u32).map(String::from))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        expand(&Word(vec![Part::Lit(s.into())]))
            .into_iter()
            .map(|w| match w.0.as_slice() {
                [Part::Lit(s)] => s.clone(),
                _ => panic!(),
            })
            .collect()
    }

    #[test]
    fn forms() {
        assert_eq!(words("a{b,c}d"), ["abd", "acd"]);
        assert_eq!(words("{1..3}"), ["1", "2", "3"]);
        assert_eq!(words("{3..1}"), ["3", "2", "1"]);
        assert_eq!(words("{01..10..4}"), ["01", "05", "09"]);
        assert_eq!(words("{a..c}"), ["a", "b", "c"]);
        assert_eq!(words("{x,y}{1,2}"), ["x1", "x2", "y1", "y2"]);
        assert_eq!(words("{a,{b,c}}"), ["a", "b", "c"]);
        assert_eq!(words("{a}"), ["{a}"]);
        assert_eq!(words("{}"), ["{}"]);
        assert_eq!(words("{1..1000000000}"), ["{1..1000000000}"]);
    }
}
