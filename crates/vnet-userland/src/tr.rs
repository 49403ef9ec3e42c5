//! tr: sets with escapes, ranges, `[:class:]`, `[=c=]`, `[c*n]`; -d, -s,
//! -c, -t; on bytes, as coreutils' tr always works.

use crate::args::{self, Has, Spec};
use crate::input::quote_c;
use crate::Ctx;

/// One element of a parsed set, before expansion.
#[derive(Debug, Clone, PartialEq)]
enum Elem {
    Byte(u8),
    Class(&'static str),
    /// `[c*n]`; n None: as many as needed (`[c*]`).
    Repeat(u8, Option<usize>),
}

const CLASSES: [&str; 12] = [
    "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space",
    "upper", "xdigit",
];

fn in_class(class: &str, b: u8) -> bool {
    match class {
        "alnum" => b.is_ascii_alphanumeric(),
        "alpha" => b.is_ascii_alphabetic(),
        "blank" => b == b' ' || b == b'\t',
        "cntrl" => b.is_ascii_control(),
        "digit" => b.is_ascii_digit(),
        "graph" => b.is_ascii_graphic(),
        "lower" => b.is_ascii_lowercase(),
        "print" => b.is_ascii_graphic() || b == b' ',
        "punct" => b.is_ascii_punctuation(),
        "space" => b" \t\n\x0b\x0c\r".contains(&b),
        "upper" => b.is_ascii_uppercase(),
        _ => b.is_ascii_hexdigit(),
    }
}

/// Unescapes backslash sequences; each byte paired with whether it was escaped.
fn unescape(s: &str, warn: &mut bool) -> Vec<(u8, bool)> {
    let b = s.as_bytes();
    let mut v = vec![];
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            v.push((b[i], false));
            i += 1;
            continue;
        }
        i += 1;
        let Some(&e) = b.get(i) else {
            *warn = true;
            v.push((b'\\', true));
            break;
        };
        let x = match e {
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 11,
            b'0'..=b'7' => {
                let mut n = 0u32;
                let mut k = 0;
                while k < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    let d = (b[i] - b'0') as u32;
                    if n * 8 + d > 255 {
                        break;
                    }
                    n = n * 8 + d;
                    i += 1;
                    k += 1;
                }
                v.push((n as u8, true));
                continue;
            }
            x => x,
        };
        v.push((x, true));
        i += 1;
    }
    v
}

fn parse_set(s: &str, warn: &mut bool) -> Result<Vec<Elem>, String> {
    let b = unescape(s, warn);
    let mut v = vec![];
    let mut i = 0;
    let lit = |k: usize| b.get(k).map(|x| (x.0, !x.1));
    while i < b.len() {
        if lit(i) == Some((b'[', true)) {
            // [:class:], [=c=], [c*n]
            if lit(i + 1) == Some((b':', true)) {
                let rest: Vec<u8> = b[i + 2..].iter().map(|x| x.0).collect();
                if let Some(end) = rest.windows(2).position(|w| w == b":]") {
                    let name = String::from_utf8_lossy(&rest[..end]).to_string();
                    match CLASSES.iter().find(|c| **c == name) {
                        Some(c) => v.push(Elem::Class(c)),
                        None => return Err(format!("invalid character class {}", quote_c(&name))),
                    }
                    i += 2 + end + 2;
                    continue;
                }
            }
            if lit(i + 1) == Some((b'=', true))
                && lit(i + 3) == Some((b'=', true))
                && lit(i + 4) == Some((b']', true))
            {
                v.push(Elem::Byte(b[i + 2].0));
                i += 5;
                continue;
            }
            if let (Some(ch), Some((b'*', true))) = (b.get(i + 1), lit(i + 2)) {
                let rest = &b[i + 3..];
                if let Some(end) = rest.iter().position(|x| x.0 == b']' && !x.1) {
                    let num: String = rest[..end].iter().map(|x| x.0 as char).collect();
                    let n = if num.is_empty() {
                        None
                    } else {
                        let r = if num.starts_with('0') {
                            usize::from_str_radix(&num, 8)
                        } else {
                            num.parse::<usize>()
                        };
                        match r {
                            Ok(0) => None,
                            Ok(n) => Some(n.min(1 << 20)),
                            Err(_) => {
                                return Err(format!(
                                    "invalid repeat count {} in [c*n] construct",
                                    quote_c(&num)
                                ))
                            }
                        }
                    };
                    v.push(Elem::Repeat(ch.0, n));
                    i += 3 + end + 1;
                    continue;
                }
            }
        }
        if lit(i + 1) == Some((b'-', true)) && i + 2 < b.len() {
            let (lo, hi) = (b[i].0, b[i + 2].0);
            if hi < lo {
                let txt = |x: u8| {
                    if x.is_ascii_graphic() {
                        (x as char).to_string()
                    } else {
                        format!("\\{x:03o}")
                    }
                };
                return Err(format!(
                    "range-endpoints of '{}-{}' are in reverse collating sequence order",
                    txt(lo),
                    txt(hi)
                ));
            }
            v.extend((lo..=hi).map(Elem::Byte));
            i += 3;
            continue;
        }
        v.push(Elem::Byte(b[i].0));
        i += 1;
    }
    Ok(v)
}

fn expand(set: &[Elem], fill_to: usize) -> Vec<u8> {
    let fixed: usize = set
        .iter()
        .map(|e| match e {
            Elem::Byte(_) => 1,
            Elem::Class(c) => (0..=255u8).filter(|b| in_class(c, *b)).count(),
            Elem::Repeat(_, Some(n)) => *n,
            Elem::Repeat(_, None) => 0,
        })
        .sum();
    let mut out = vec![];
    let mut filled = false;
    for e in set {
        match e {
            Elem::Byte(b) => out.push(*b),
            Elem::Class(c) => out.extend((0..=255u8).filter(|b| in_class(c, *b))),
            Elem::Repeat(b, Some(n)) => out.extend(std::iter::repeat_n(*b, *n)),
            Elem::Repeat(b, None) if !filled => {
                filled = true;
                out.extend(std::iter::repeat_n(*b, fill_to.saturating_sub(fixed)));
            }
            Elem::Repeat(..) => {}
        }
    }
    out
}

/// Where each element's expansion starts.
fn starts(set: &[Elem]) -> Vec<(usize, &Elem)> {
    let mut at = 0;
    set.iter()
        .map(|e| {
            let here = at;
            at += expand(std::slice::from_ref(e), 0).len();
            (here, e)
        })
        .collect()
}

/// A `[:upper:]` or `[:lower:]` in SET2 must face one of the two in SET1.
fn classes_aligned(s1: &[Elem], s2: &[Elem]) -> bool {
    let a = starts(s1);
    starts(s2).iter().all(|(at, e)| match e {
        Elem::Class(c) if *c == "upper" || *c == "lower" => a
            .iter()
            .any(|(p, x)| p == at && matches!(x, Elem::Class(k) if *k == "upper" || *k == "lower")),
        _ => true,
    })
}

pub fn tr(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "tr",
        short: "+cCdst",
        long: &[
            ("complement", Has::No, 'c'),
            ("delete", Has::No, 'd'),
            ("squeeze-repeats", Has::No, 's'),
            ("truncate-set1", Has::No, 't'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let (comp, del, sq, trunc) = (p.has('c') || p.has('C'), p.has('d'), p.has('s'), p.has('t'));
    let ops = &p.operands;
    let translating = !del && ops.len() >= 2;
    let need = if del && sq || translating || (!del && !sq) {
        2
    } else {
        1
    };
    let fail = |c: &mut Ctx, m: String| {
        c.eprint(&format!("tr: {m}\n"));
        args::try_help(c, "tr", 1)
    };
    if ops.is_empty() {
        return fail(c, "missing operand".into());
    }
    if ops.len() < need {
        let why = if del && sq {
            "Two strings must be given when both deleting and squeezing repeats."
        } else {
            "Two strings must be given when translating."
        };
        return fail(
            c,
            format!("missing operand after {}\n{why}", quote_c(&ops[0])),
        );
    }
    if ops.len() > need {
        let extra = if del && !sq && ops.len() == 2 {
            "\nOnly one string may be given when deleting without squeezing repeats."
        } else {
            ""
        };
        return fail(c, format!("extra operand {}{extra}", quote_c(&ops[need])));
    }
    let mut warn = false;
    let s1 = match parse_set(&ops[0], &mut warn) {
        Ok(s) => s,
        Err(m) => {
            c.eprint(&format!("tr: {m}\n"));
            return 1;
        }
    };
    let s2 = match ops.get(1).map(|s| parse_set(s, &mut warn)) {
        Some(Ok(s)) => Some(s),
        Some(Err(m)) => {
            c.eprint(&format!("tr: {m}\n"));
            return 1;
        }
        None => None,
    };
    if warn {
        c.eprint("tr: warning: an unescaped backslash at end of string is not portable\n");
    }
    if s1.iter().any(|e| matches!(e, Elem::Repeat(_, None))) {
        c.eprint("tr: the [c*] repeat construct may not appear in string1\n");
        return 1;
    }
    if let Some(s2) = &s2 {
        let fills = s2
            .iter()
            .filter(|e| matches!(e, Elem::Repeat(_, None)))
            .count();
        if fills > 0 && !translating {
            c.eprint("tr: the [c*] construct may appear in string2 only when translating\n");
            return 1;
        }
        if fills > 1 {
            c.eprint("tr: only one [c*] repeat construct may appear in string2\n");
            return 1;
        }
    }
    let mut set1 = expand(&s1, 0);
    if comp {
        let mut inset = [false; 256];
        for b in &set1 {
            inset[*b as usize] = true;
        }
        set1 = (0..=255u8).filter(|b| !inset[*b as usize]).collect();
    }
    let mut in1 = [false; 256];
    for b in &set1 {
        in1[*b as usize] = true;
    }
    let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut set2 = vec![];
    if let Some(s2) = &s2 {
        if translating
            && s2
                .iter()
                .any(|e| matches!(e, Elem::Class(c) if *c != "upper" && *c != "lower"))
        {
            c.eprint("tr: when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'\n");
            return 1;
        }
        if translating && !comp && !classes_aligned(&s1, s2) {
            c.eprint("tr: misaligned [:upper:] and/or [:lower:] construct\n");
            return 1;
        }
        set2 = expand(s2, set1.len());
        let classes = s1.iter().any(|e| matches!(e, Elem::Class(_)));
        if translating && comp && classes && set2.iter().any(|b| Some(b) != set2.first()) {
            c.eprint("tr: when translating with complemented character classes,\nstring2 must map all characters in the domain to one\n");
            return 1;
        }
        if translating {
            if set2.is_empty() && !set1.is_empty() && !trunc {
                c.eprint("tr: when not truncating set1, string2 must be non-empty\n");
                return 1;
            }
            if trunc {
                set1.truncate(set2.len());
            } else if let Some(&last) = set2.last() {
                while set2.len() < set1.len() {
                    set2.push(last);
                }
            }
            for (a, b) in set1.iter().zip(&set2) {
                map[*a as usize] = *b;
            }
        }
    }
    let squeeze_set: Vec<u8> = if !sq {
        vec![]
    } else if s2.is_some() {
        set2.clone()
    } else {
        set1.clone()
    };
    let mut insq = [false; 256];
    for b in &squeeze_set {
        insq[*b as usize] = true;
    }
    let data = c.take_stdin();
    let mut out = Vec::with_capacity(data.len());
    for b in data {
        if del && in1[b as usize] {
            continue;
        }
        let x = map[b as usize];
        if sq && insq[x as usize] && out.last() == Some(&x) {
            continue;
        }
        out.push(x);
    }
    c.out.extend_from_slice(&out);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> Vec<u8> {
        expand(&parse_set(s, &mut false).unwrap(), 0)
    }

    #[test]
    fn sets() {
        assert_eq!(set("a-d"), b"abcd");
        assert_eq!(set("\\n\\101"), b"\nA");
        assert_eq!(set("[:digit:]x"), b"0123456789x");
        assert_eq!(set("[a*3]"), b"aaa");
        assert!(parse_set("z-a", &mut false).is_err());
    }
}
