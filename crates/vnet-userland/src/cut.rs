//! cut: bytes, characters (bytes too, as in coreutils 9.1) or fields, with
//! set-fields.c's list syntax and messages.

use crate::args::{self, Has, Spec};
use crate::input::{self, errtext, quote_c, quotef};
use crate::Ctx;

/// Sorted, merged 1-based inclusive ranges (`usize::MAX` is open-ended).
type Ranges = Vec<(usize, usize)>;

/// Parses a LIST (`1,3-5,7-`); the error is the message to print.
fn parse_list(s: &str, pos: bool) -> Result<Ranges, String> {
    let from1 = if pos {
        "byte/character positions are numbered from 1"
    } else {
        "fields are numbered from 1"
    };
    let b = s.as_bytes();
    let mut v: Ranges = vec![];
    let (mut value, mut initial) = (0usize, 0usize);
    let (mut lhs, mut rhs, mut dash) = (false, false, false);
    let mut i = 0;
    loop {
        let ch = b.get(i).copied();
        match ch {
            Some(b'-') => {
                if dash {
                    return Err(if pos {
                        "invalid byte or character range"
                    } else {
                        "invalid field range"
                    }
                    .into());
                }
                dash = true;
                if lhs && value == 0 {
                    return Err(from1.into());
                }
                initial = if lhs { value } else { 1 };
                value = 0;
            }
            None | Some(b',' | b' ' | b'\t') => {
                if dash {
                    dash = false;
                    if !lhs && !rhs {
                        return Err("invalid range with no endpoint: -".into());
                    }
                    if !rhs {
                        v.push((initial, usize::MAX));
                    } else {
                        if value < initial {
                            return Err("invalid decreasing range".into());
                        }
                        v.push((initial, value));
                    }
                } else {
                    if value == 0 {
                        return Err(from1.into());
                    }
                    v.push((value, value));
                }
                value = 0;
                if ch.is_none() {
                    break;
                }
                lhs = false;
                rhs = false;
            }
            Some(d @ b'0'..=b'9') => {
                if dash {
                    rhs = true;
                } else {
                    lhs = true;
                }
                value = match value
                    .checked_mul(10)
                    .and_then(|x| x.checked_add((d - b'0') as usize))
                {
                    Some(x) if x != usize::MAX => x,
                    _ => {
                        let start = s[..i]
                            .rfind(|c: char| !c.is_ascii_digit())
                            .map_or(0, |k| k + 1);
                        let len = s[start..]
                            .bytes()
                            .take_while(|b| b.is_ascii_digit())
                            .count();
                        let what = if pos { "byte offset" } else { "field number" };
                        return Err(format!(
                            "{what} {} is too large",
                            quote_c(&s[start..start + len])
                        ));
                    }
                };
            }
            Some(_) => {
                let what = if pos {
                    "invalid byte/character position"
                } else {
                    "invalid field value"
                };
                return Err(format!("{what} {}", quote_c(&s[i..])));
            }
        }
        i += 1;
    }
    v.sort();
    let mut m: Ranges = vec![];
    for r in v {
        match m.last_mut() {
            Some(l) if r.0 <= l.1 => l.1 = l.1.max(r.1),
            _ => m.push(r),
        }
    }
    Ok(m)
}

fn complement(r: &Ranges) -> Ranges {
    let mut v = vec![];
    let mut next = 1usize;
    for &(a, b) in r {
        if a > next {
            v.push((next, a - 1));
        }
        next = b.saturating_add(1);
    }
    if next != usize::MAX && next > 0 {
        v.push((next, usize::MAX));
    }
    v
}

pub fn cut(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "cut",
        short: "b:c:d:f:nsz",
        long: &[
            ("bytes", Has::Req, 'b'),
            ("characters", Has::Req, 'c'),
            ("delimiter", Has::Req, 'd'),
            ("fields", Has::Req, 'f'),
            ("complement", Has::No, 'C'),
            ("only-delimited", Has::No, 's'),
            ("output-delimiter", Has::Req, 'O'),
            ("zero-terminated", Has::No, 'z'),
        ],
        fail: 1,
    };
    let p = match args::parse_in_order(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let fail = |c: &mut Ctx, m: &str| {
        c.eprint(&format!("cut: {m}\n"));
        args::try_help(c, "cut", 1)
    };
    let mut list: Option<(char, String)> = None;
    let mut delim: Option<u8> = None;
    for (k, v) in &p.opts {
        let v = v.clone().unwrap_or_default();
        match k {
            'b' | 'c' | 'f' => {
                if list.is_some() {
                    return fail(c, "only one list may be specified");
                }
                list = Some((*k, v));
            }
            'd' => {
                if v.len() > 1 {
                    return fail(c, "the delimiter must be a single character");
                }
                delim = Some(v.bytes().next().unwrap_or(0));
            }
            _ => {}
        }
    }
    if let Err(rc) = args::finish(c, &spec, &p) {
        return rc;
    }
    let Some((kind, l)) = list else {
        return fail(c, "you must specify a list of bytes, characters, or fields");
    };
    let fields = kind == 'f';
    if !fields && delim.is_some() {
        return fail(
            c,
            "an input delimiter may be specified only when operating on fields",
        );
    }
    if !fields && p.has('s') {
        return fail(
            c,
            "suppressing non-delimited lines makes sense\n\tonly when operating on fields",
        );
    }
    let mut ranges = match parse_list(&l, !fields) {
        Ok(r) => r,
        Err(m) => return fail(c, &m),
    };
    if p.has('C') {
        ranges = complement(&ranges);
    }
    let delim = delim.unwrap_or(b'\t');
    let out_delim: Option<Vec<u8>> = p.last('O').map(|s| s.as_bytes().to_vec());
    let eol = if p.has('z') { 0 } else { b'\n' };
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    let selected = |n: usize| ranges.iter().any(|&(a, b)| a <= n && n <= b);
    let mut rc = 0;
    let mut out = Vec::new();
    for f in &files {
        let data = match input::read(c, f) {
            Ok(d) => d,
            Err(e) => {
                c.eprint(&format!("cut: {}: {}\n", quotef(f), errtext(&e)));
                rc = 1;
                continue;
            }
        };
        for line in input::lines(&data, eol) {
            if fields {
                if !line.contains(&delim) {
                    if !p.has('s') {
                        out.extend_from_slice(line);
                        out.push(eol);
                    }
                    continue;
                }
                let od = out_delim.clone().unwrap_or_else(|| vec![delim]);
                let mut first = true;
                for (i, fld) in line.split(|&b| b == delim).enumerate() {
                    if selected(i + 1) {
                        if !first {
                            out.extend_from_slice(&od);
                        }
                        out.extend_from_slice(fld);
                        first = false;
                    }
                }
            } else {
                let mut prev: Option<usize> = None;
                for (i, &b) in line.iter().enumerate() {
                    if selected(i + 1) {
                        if let (Some(od), Some(_)) = (&out_delim, prev) {
                            if ranges.iter().any(|r| r.0 == i + 1) {
                                out.extend_from_slice(od);
                            }
                        }
                        out.push(b);
                        prev = Some(i);
                    }
                }
            }
            out.push(eol);
        }
    }
    c.out.extend_from_slice(&out);
    rc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(parse_list("3,1-2", false).unwrap(), vec![(1, 2), (3, 3)]);
        assert_eq!(parse_list("2-4,1-3", false).unwrap(), vec![(1, 4)]);
        assert_eq!(
            parse_list("-2,5-", false).unwrap(),
            vec![(1, 2), (5, usize::MAX)]
        );
        assert_eq!(
            parse_list("0", false).unwrap_err(),
            "fields are numbered from 1"
        );
        assert_eq!(
            parse_list("3-1", true).unwrap_err(),
            "invalid decreasing range"
        );
        assert_eq!(
            parse_list("1,a,3", false).unwrap_err(),
            "invalid field value 'a,3'"
        );
        assert_eq!(complement(&vec![(2, 3)]), vec![(1, 1), (4, usize::MAX)]);
    }
}
