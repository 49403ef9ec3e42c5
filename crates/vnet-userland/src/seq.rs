//! seq: FIRST [INCREMENT] LAST as coreutils 9.1 prints them: the precision
//! and width come from how the operands are written (scan_arg,
//! get_default_format), integers exactly (i128), others as doubles with
//! seq's rule for a last value that rounding would lose.

use crate::args::{self, Has, Spec};
use crate::input::quote_c;
use crate::sort::strtod_prefix;
use crate::Ctx;

/// An operand: its value, how many fraction digits it shows (None: not a
/// fixed-point number), and its printed width.
#[derive(Clone, Copy, Debug)]
struct Operand {
    v: f64,
    int: Option<i128>,
    prec: Option<usize>,
    width: usize,
}

fn scan(s: &str) -> Result<Operand, String> {
    let t = s.trim_start();
    let bad = || format!("invalid floating point argument: {}", quote_c(s));
    let Some((v, used)) = strtod_prefix(t.as_bytes()) else {
        return Err(bad());
    };
    if used != t.len() {
        return Err(bad());
    }
    if v.is_nan() {
        return Err(format!("invalid 'not-a-number' argument: {}", quote_c(s)));
    }
    let mut width = t.len() as i64;
    let mut prec: Option<i64> = Some(0);
    let lower = t.to_ascii_lowercase();
    if lower.contains("inf") {
        prec = None;
    } else if let Some(dp) = t.find('.') {
        let frac = t[dp + 1..].find(['e', 'E']).unwrap_or(t.len() - dp - 1) as i64;
        prec = Some(frac);
        let before_digit = dp > 0 && t.as_bytes()[dp - 1].is_ascii_digit();
        width += if frac == 0 {
            -1
        } else {
            i64::from(!before_digit)
        };
    }
    if let Some(e) = t.find(['e', 'E']) {
        let exp: i64 = t[e + 1..].parse().unwrap_or(0);
        if let Some(p) = prec {
            prec = Some(if exp < 0 { p - exp } else { p - p.min(exp) });
        }
        width -= (t.len() - e) as i64;
        width += exp.max(0);
    }
    let int = if !t.contains(['.', 'e', 'E']) && prec.is_some() {
        // `-0` prints as the double it is: "-0".
        t.parse::<i128>()
            .ok()
            .filter(|&i| i != 0 || !t.starts_with('-'))
    } else {
        None
    };
    Ok(Operand {
        v,
        int,
        prec: prec.map(|p| p.max(0) as usize),
        width: width.max(0) as usize,
    })
}

/// One printf conversion for a double: flags, width, precision, letter.
#[derive(Clone, Debug)]
struct Conv {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
    letter: char,
}

fn exp_form(v: f64, prec: usize, upper: bool) -> String {
    let s = format!("{v:.prec$e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let sign = if e < 0 { '-' } else { '+' };
    let r = format!("{m}e{sign}{:02}", e.abs());
    if upper {
        r.to_uppercase()
    } else {
        r
    }
}

impl Conv {
    fn fmt(&self, v: f64) -> String {
        let upper = self.letter.is_ascii_uppercase();
        let mut body = if v.is_infinite() {
            "inf".to_string()
        } else if v.is_nan() {
            "nan".to_string()
        } else {
            let a = v.abs();
            match self.letter.to_ascii_lowercase() {
                'f' => format!("{a:.*}", self.prec.unwrap_or(6)),
                'e' => exp_form(a, self.prec.unwrap_or(6), upper),
                _ => {
                    let p = self.prec.unwrap_or(6).max(1);
                    let e = if a == 0.0 {
                        0
                    } else {
                        let s = format!("{a:.*e}", p - 1);
                        s.split_once('e')
                            .and_then(|x| x.1.parse::<i32>().ok())
                            .unwrap_or(0)
                    };
                    let mut s = if e < -4 || e >= p as i32 {
                        exp_form(a, p - 1, upper)
                    } else {
                        format!("{a:.*}", (p as i32 - 1 - e).max(0) as usize)
                    };
                    if !self.alt {
                        let (m, rest) = match s.find(['e', 'E']) {
                            Some(i) => (s[..i].to_string(), s[i..].to_string()),
                            None => (s.clone(), String::new()),
                        };
                        let m = if m.contains('.') {
                            m.trim_end_matches('0').trim_end_matches('.').to_string()
                        } else {
                            m
                        };
                        s = m + &rest;
                    }
                    s
                }
            }
        };
        if upper {
            body = body.to_uppercase();
        }
        let sign = if v.is_sign_negative() && !v.is_nan() {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let len = sign.len() + body.len();
        if len >= self.width {
            format!("{sign}{body}")
        } else if self.left {
            format!("{sign}{body}{}", " ".repeat(self.width - len))
        } else if self.zero && v.is_finite() {
            format!("{sign}{}{body}", "0".repeat(self.width - len))
        } else {
            format!("{}{sign}{body}", " ".repeat(self.width - len))
        }
    }
}

/// A -f FORMAT: text before, the conversion, text after (`%%` unescaped).
fn parse_format(f: &str) -> Result<(String, Conv, String), String> {
    let b: Vec<char> = f.chars().collect();
    let mut pre = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == '%' {
            if b.get(i + 1) == Some(&'%') {
                pre.push('%');
                i += 2;
                continue;
            }
            break;
        }
        pre.push(b[i]);
        i += 1;
    }
    if i >= b.len() {
        return Err(format!("format {} has no % directive", quote_c(f)));
    }
    let st = i;
    i += 1;
    let mut c = Conv {
        left: false,
        plus: false,
        space: false,
        alt: false,
        zero: false,
        width: 0,
        prec: None,
        letter: 'g',
    };
    while let Some(&ch) = b.get(i) {
        match ch {
            '-' => c.left = true,
            '+' => c.plus = true,
            ' ' => c.space = true,
            '#' => c.alt = true,
            '0' => c.zero = true,
            '\'' => {}
            _ => break,
        }
        i += 1;
    }
    let num = |i: &mut usize| {
        let mut n = 0usize;
        while let Some(d) = b.get(*i).and_then(|c| c.to_digit(10)) {
            n = n.saturating_mul(10).saturating_add(d as usize).min(1 << 16);
            *i += 1;
        }
        n
    };
    c.width = num(&mut i);
    if b.get(i) == Some(&'.') {
        i += 1;
        c.prec = Some(num(&mut i));
    }
    if b.get(i) == Some(&'L') {
        i += 1;
    }
    match b.get(i) {
        Some(&l) if "eEfFgGaA".contains(l) => c.letter = if l == 'a' || l == 'A' { 'g' } else { l },
        Some(_) => {
            let dir: String = b[st..=i].iter().collect();
            return Err(format!("format {} has unknown {dir} directive", quote_c(f)));
        }
        None => return Err(format!("format {} ends in %", quote_c(f))),
    }
    let mut post = String::new();
    let mut j = i + 1;
    while j < b.len() {
        if b[j] == '%' {
            if b.get(j + 1) == Some(&'%') {
                post.push('%');
                j += 2;
                continue;
            }
            return Err(format!("format {} has too many % directives", quote_c(f)));
        }
        post.push(b[j]);
        j += 1;
    }
    Ok((pre, c, post))
}

pub fn seq(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "seq",
        short: "+f:s:w",
        long: &[
            ("format", Has::Req, 'f'),
            ("separator", Has::Req, 's'),
            ("equal-width", Has::No, 'w'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let sep = p.last('s').unwrap_or("\n").to_string();
    let ops = &p.operands;
    if ops.is_empty() {
        return args::missing_operand(c, "seq", 1);
    }
    if ops.len() > 3 {
        c.eprint(&format!("seq: extra operand {}\n", quote_c(&ops[3])));
        return args::try_help(c, "seq", 1);
    }
    // As seq.c: the format is checked before -w's conflict and the numbers.
    let user_format = match p.last('f').map(parse_format) {
        Some(Ok(x)) => Some(x),
        Some(Err(m)) => {
            c.eprint(&format!("seq: {m}\n"));
            return 1;
        }
        None => None,
    };
    let equal = p.has('w');
    if user_format.is_some() && equal {
        c.eprint("seq: format string may not be specified when printing equal width strings\n");
        return args::try_help(c, "seq", 1);
    }
    let one = Operand {
        v: 1.0,
        int: Some(1),
        prec: Some(0),
        width: 1,
    };
    // In seq.c's order: FIRST, then INCREMENT (and its zero check), then LAST.
    let mut vals = vec![];
    for (i, o) in ops.iter().enumerate() {
        let v = match scan(o) {
            Ok(v) => v,
            Err(m) => {
                c.eprint(&format!("seq: {m}\n"));
                return args::try_help(c, "seq", 1);
            }
        };
        if ops.len() == 3 && i == 1 && v.v == 0.0 {
            c.eprint(&format!(
                "seq: invalid Zero increment value: {}\n",
                quote_c(o)
            ));
            return args::try_help(c, "seq", 1);
        }
        vals.push(v);
    }
    let (first, step, last) = match vals.as_slice() {
        [l] => (one, one, *l),
        [f, l] => (*f, one, *l),
        [f, s, l] => (*f, *s, *l),
        _ => return 1,
    };
    let (pre, conv, post) = match user_format {
        Some(x) => x,
        None => {
            let mut conv = Conv {
                left: false,
                plus: false,
                space: false,
                alt: false,
                zero: false,
                width: 0,
                prec: None,
                letter: 'g',
            };
            let prec = match (first.prec, step.prec) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
            if let (Some(prec), Some(lp)) = (prec, last.prec) {
                conv.letter = 'f';
                conv.prec = Some(prec);
                if equal {
                    let fw = first.width + prec - first.prec.unwrap_or(0);
                    let mut lw = (last.width + prec) as i64 - lp as i64;
                    if lp > 0 && prec == 0 {
                        lw -= 1;
                    }
                    if lp == 0 && prec > 0 {
                        lw += 1;
                    }
                    let fw = if first.prec == Some(0) && prec > 0 {
                        fw + 1
                    } else {
                        fw
                    };
                    conv.zero = true;
                    conv.width = fw.max(lw.max(0) as usize);
                }
            }
            (String::new(), conv, String::new())
        }
    };
    let show = |v: f64| format!("{pre}{}{post}", conv.fmt(v));
    let mut out = String::new();
    let mut n = 0usize;
    // Past the pipe bound, seq stops as if its reader had gone.
    let max_out = c.limits.pipe;
    if let (Some(f), Some(s), Some(l), 'f', Some(0)) =
        (first.int, step.int, last.int, conv.letter, conv.prec)
    {
        // Exact integers (beyond a double's 53 bits too).
        let mut x = f;
        while (s > 0 && x <= l) || (s < 0 && x >= l) {
            if n > 0 {
                out += &sep;
            }
            out += &format!("{pre}{}{post}", int_fmt(&conv, x));
            n += 1;
            if out.len() >= max_out {
                break;
            }
            match x.checked_add(s) {
                Some(y) => x = y,
                None => break,
            }
        }
    } else {
        let (f, s, l) = (first.v, step.v, last.v);
        let past = |x: f64| if s < 0.0 { x < l } else { l < x };
        if !past(f) {
            let mut x = f;
            let mut i = 1.0f64;
            loop {
                let x0 = x;
                out += &show(x);
                n += 1;
                x = f + i * s;
                i += 1.0;
                if past(x) {
                    let xs = show(x);
                    let back = strtod_prefix(conv.fmt(x).as_bytes()).map(|v| v.0);
                    if !(back == Some(l) && xs != show(x0)) {
                        break;
                    }
                }
                if out.len() >= max_out || !x.is_finite() {
                    break;
                }
                out += &sep;
            }
        }
    }
    if out.len() >= max_out {
        let mut bytes = out.into_bytes();
        bytes.truncate(max_out);
        c.out.extend_from_slice(&bytes);
        c.hit = Some(crate::Hit::Output);
        return 0;
    }
    if n > 0 {
        out.push('\n');
    }
    c.print(&out);
    0
}

/// An integer through a `%.0f`-like conversion, exactly.
fn int_fmt(conv: &Conv, x: i128) -> String {
    let sign = if x < 0 {
        "-"
    } else if conv.plus {
        "+"
    } else if conv.space {
        " "
    } else {
        ""
    };
    let body = x.unsigned_abs().to_string();
    let len = sign.len() + body.len();
    if len >= conv.width {
        format!("{sign}{body}")
    } else if conv.left {
        format!("{sign}{body}{}", " ".repeat(conv.width - len))
    } else if conv.zero {
        format!("{sign}{}{body}", "0".repeat(conv.width - len))
    } else {
        format!("{}{sign}{body}", " ".repeat(conv.width - len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        let (_, g, _) = parse_format("%g").unwrap();
        assert_eq!(g.fmt(1000000.0), "1e+06");
        assert_eq!(g.fmt(0.5), "0.5");
        assert_eq!(g.fmt(100.0), "100");
        let (_, e, _) = parse_format("%.2e").unwrap();
        assert_eq!(e.fmt(100.0), "1.00e+02");
        let (_, f, _) = parse_format("%05.1f").unwrap();
        assert_eq!(f.fmt(-1.25), "-01.2");
        assert!(parse_format("x").is_err());
    }

    #[test]
    fn operand_precision() {
        let o = scan("0.50").unwrap();
        assert_eq!((o.prec, o.width), (Some(2), 4));
        assert_eq!(scan("1e3").unwrap().prec, Some(0));
        assert!(scan("1x").is_err());
    }
}
