//! printf/sprintf as mawk does them (print.c's do_printf over C's printf):
//! `%d %i` truncate and clamp to a C int, `%o %x %X %u` to an unsigned int,
//! `%c` takes a number's low byte or a string's first byte (a NUL for ""),
//! floats go through C's `%e %f %g` rules.

use super::value::{d_to_i, d_to_u, Val};

#[derive(Debug, PartialEq)]
pub enum FmtError {
    /// "not enough arguments passed to ..."
    NotEnough,
    /// "improper conversion(number N) in ..."
    Bad(usize),
}

#[derive(Default, Clone, Copy)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
    /// A `.` with neither digits nor `*` after it: C reads precision 0,
    /// mawk's own `%s`/`%c` code reads no precision.
    bare_dot: bool,
}

/// Formats `args` by `fmt`; `convfmt` converts numbers given to `%s`.
pub fn sprintf(fmt: &[u8], args: &[Val], convfmt: &[u8]) -> Result<Vec<u8>, FmtError> {
    let mut out = Vec::new();
    format_into(&mut out, fmt, args, convfmt)?;
    Ok(out)
}

/// Formats into `out`; on an error, `out` holds what came before the bad
/// conversion (mawk's printf has written that much).
pub fn format_into(
    out: &mut Vec<u8>,
    fmt: &[u8],
    args: &[Val],
    convfmt: &[u8],
) -> Result<(), FmtError> {
    let convfmt: &[u8] = if convfmt.is_empty() { b"%.6g" } else { convfmt };
    let mut ai = 0;
    let mut nconv = 0;
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        nconv += 1;
        i += 1;
        if fmt.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        let mut sp = Spec::default();
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => sp.left = true,
                b'+' => sp.plus = true,
                b' ' => sp.space = true,
                b'#' => sp.alt = true,
                b'0' => sp.zero = true,
                b'\'' => {}
                _ => break,
            }
            i += 1;
        }
        if fmt.get(i) == Some(&b'*') {
            let w = d_to_i(args.get(ai).ok_or(FmtError::NotEnough)?.num());
            ai += 1;
            i += 1;
            if w < 0 {
                sp.left = true;
            }
            sp.width = w.unsigned_abs().min(1 << 20) as usize;
        } else {
            let mut w: usize = 0;
            while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                w = (w * 10 + (d - b'0') as usize).min(1 << 20);
                i += 1;
            }
            sp.width = w;
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            if fmt.get(i) == Some(&b'*') {
                let p = d_to_i(args.get(ai).ok_or(FmtError::NotEnough)?.num());
                ai += 1;
                i += 1;
                sp.prec = if p < 0 {
                    None
                } else {
                    Some((p as usize).min(1 << 20))
                };
            } else {
                let mut p: usize = 0;
                sp.bare_dot = true;
                while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                    p = (p * 10 + (d - b'0') as usize).min(1 << 20);
                    i += 1;
                    sp.bare_dot = false;
                }
                sp.prec = Some(p);
            }
        }
        let arg = args.get(ai).ok_or(FmtError::NotEnough)?;
        ai += 1;
        let mut lh = false;
        if matches!(fmt.get(i), Some(b'l') | Some(b'h')) {
            lh = true;
            i += 1;
        }
        let conv = *fmt.get(i).ok_or(FmtError::Bad(nconv))?;
        i += 1;
        match conv {
            b's' if !lh => {
                let s = arg.to_bytes(convfmt);
                put_sfmt(out, &sp, &s);
            }
            b'c' if !lh => {
                let byte = match arg {
                    Val::Uninit => 0,
                    Val::Num(d) => d_to_i(*d) as u8,
                    Val::Str(s) => s.first().copied().unwrap_or(0),
                    Val::StrNum(s) => match super::value::looks_numeric(s) {
                        Some(d) => d_to_i(d) as u8,
                        None => s.first().copied().unwrap_or(0),
                    },
                };
                put_sfmt(out, &sp, &[byte]);
            }
            b'd' | b'i' => {
                let v = d_to_i(arg.num());
                let digits = int_digits(v.unsigned_abs().to_string(), sp.prec);
                let sign: &[u8] = if v < 0 {
                    b"-"
                } else if sp.plus {
                    b"+"
                } else if sp.space {
                    b" "
                } else {
                    b""
                };
                pad(out, &sp, sign, digits.as_bytes(), sp.prec.is_none());
            }
            b'o' | b'x' | b'X' | b'u' => {
                let v = d_to_u(arg.num());
                let mut digits = match conv {
                    b'o' => format!("{v:o}"),
                    b'x' => format!("{v:x}"),
                    b'X' => format!("{v:X}"),
                    _ => v.to_string(),
                };
                digits = int_digits(digits, sp.prec);
                // `#` makes octal start with 0 (even `%#.0o` of 0)
                if conv == b'o' && sp.alt && !digits.starts_with('0') {
                    digits.insert(0, '0');
                }
                let prefix: &[u8] = match conv {
                    b'x' if sp.alt && v != 0 => b"0x",
                    b'X' if sp.alt && v != 0 => b"0X",
                    _ => b"",
                };
                pad(out, &sp, prefix, digits.as_bytes(), sp.prec.is_none());
            }
            b'e' | b'E' | b'f' | b'g' | b'G' if !lh => {
                let d = arg.num();
                let (sign, body) = float(d, conv, &sp);
                pad(out, &sp, sign.as_bytes(), body.as_bytes(), d.is_finite());
            }
            _ => return Err(FmtError::Bad(nconv)),
        }
    }
    Ok(())
}

/// `%s` and `%c` as mawk writes them itself (print.c's puts_sfmt): spaces
/// pad even with `0`, a bare `.` is no precision, and the ` ` flag writes a
/// space before an empty string.
fn put_sfmt(out: &mut Vec<u8>, sp: &Spec, s: &[u8]) {
    if sp.space && s.is_empty() {
        out.push(b' ');
    }
    let s = match sp.prec {
        Some(p) if !sp.bare_dot && p < s.len() => &s[..p],
        _ => s,
    };
    let sp = Spec { zero: false, ..*sp };
    pad(out, &sp, b"", s, false);
}

/// `%d` digits with a precision (minimum digits; `.0` prints 0 as nothing).
fn int_digits(digits: String, prec: Option<usize>) -> String {
    match prec {
        Some(0) if digits == "0" => String::new(),
        Some(p) if p > digits.len() => format!("{}{}", "0".repeat(p - digits.len()), digits),
        _ => digits,
    }
}

fn pad(out: &mut Vec<u8>, sp: &Spec, sign: &[u8], body: &[u8], zero_ok: bool) {
    let len = sign.len() + body.len();
    let fill = sp.width.saturating_sub(len);
    if sp.left {
        out.extend_from_slice(sign);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if sp.zero && zero_ok {
        out.extend_from_slice(sign);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(sign);
        out.extend_from_slice(body);
    }
}

/// C's `%e %f %g` of `d`: (sign, digits).
fn float(d: f64, conv: u8, sp: &Spec) -> (String, String) {
    let upper = conv.is_ascii_uppercase();
    let sign = if d.is_sign_negative() {
        "-"
    } else if sp.plus {
        "+"
    } else if sp.space {
        " "
    } else {
        ""
    };
    let a = d.abs();
    if !a.is_finite() {
        let s = if a.is_nan() { "nan" } else { "inf" };
        return (sign.into(), if upper { s.to_uppercase() } else { s.into() });
    }
    let prec = sp.prec.unwrap_or(6);
    let body = match conv {
        b'f' => {
            let mut s = format!("{a:.prec$}");
            if sp.alt && prec == 0 {
                s.push('.');
            }
            s
        }
        b'e' | b'E' => exp_form(a, prec, sp.alt),
        _ => {
            let p = if prec == 0 { 1 } else { prec };
            let x = if a == 0.0 { 0 } else { exponent_of(a, p - 1) };
            let mut s = if x < p as i32 && x >= -4 {
                let fp = (p as i32 - 1 - x) as usize;
                format!("{a:.fp$}")
            } else {
                exp_form(a, p - 1, sp.alt)
            };
            if !sp.alt {
                s = strip_zeros(&s);
            } else if !s.contains('.') {
                match s.find('e') {
                    Some(e) => s.insert(e, '.'),
                    None => s.push('.'),
                }
            }
            s
        }
    };
    (sign.into(), if upper { body.to_uppercase() } else { body })
}

/// The decimal exponent `%e` with `prec` digits would print.
fn exponent_of(a: f64, prec: usize) -> i32 {
    let s = format!("{a:.prec$e}");
    s.rsplit('e')
        .next()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0)
}

fn exp_form(a: f64, prec: usize, alt: bool) -> String {
    let s = format!("{a:.prec$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let mut mant = mant.to_string();
    if alt && prec == 0 {
        mant.push('.');
    }
    format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// `%g` without `#`: trailing zeros of the fraction go, then a bare point.
fn strip_zeros(s: &str) -> String {
    let (mant, exp) = match s.find('e') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mant = if mant.contains('.') {
        mant.trim_end_matches('0').trim_end_matches('.')
    } else {
        mant
    };
    format!("{mant}{exp}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[Val]) -> String {
        String::from_utf8(sprintf(fmt.as_bytes(), args, b"%.6g").unwrap()).unwrap()
    }

    #[test]
    fn c_printf_forms() {
        let n = |d: f64| Val::Num(d);
        assert_eq!(
            f(
                "%5.2f|%-5d|%05d|%+d",
                &[n(3.14259), n(42.0), n(42.0), n(5.0)]
            ),
            " 3.14|42   |00042|+5"
        );
        assert_eq!(
            f("%.3e %E", &[n(12345.6789), n(0.000123)]),
            "1.235e+04 1.230000E-04"
        );
        assert_eq!(
            f(
                "%g %G %g %g",
                &[n(1e-5), n(1e20), n(100000.0), n(1234567.0)]
            ),
            "1e-05 1E+20 100000 1.23457e+06"
        );
        assert_eq!(
            f(
                "%#x %#o %x %X",
                &[n(255.0), n(8.0), n(-1.0), n(2f64.powi(33))]
            ),
            "0xff 010 0 FFFFFFFF"
        );
        assert_eq!(f("%d %d", &[n(3e9), n(-3e9)]), "2147483647 -2147483647");
        assert_eq!(f("%.0f %.0f", &[n(2.5), n(3.5)]), "2 4");
        assert_eq!(f("%c%c", &[n(321.0), Val::str(b"hello")]), "Ah");
        assert_eq!(
            f(
                "[%+4.s][% s][% 3s][%05s][%.0s]",
                &[
                    n(0.0),
                    Val::str(b""),
                    Val::str(b""),
                    Val::str(b"ab"),
                    Val::str(b"x")
                ]
            ),
            "[   0][ ][    ][   ab][]"
        );
        assert_eq!(
            f(
                "%*d|%.*f|%5s",
                &[n(5.0), n(42.0), n(2.0), n(3.14259), Val::str(b"ab")]
            ),
            "   42|3.14|   ab"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            sprintf(b"%d %d", &[Val::Num(1.0)], b""),
            Err(FmtError::NotEnough)
        );
        assert_eq!(sprintf(b"%z", &[Val::Num(1.0)], b""), Err(FmtError::Bad(1)));
    }
}
