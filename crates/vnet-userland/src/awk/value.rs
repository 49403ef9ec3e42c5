//! awk values and mawk's conversions between strings and numbers.
//!
//! mawk keeps a cell as a number, a string, "maybe a number" (input text:
//! fields, `getline var`, `split` pieces, `-v` and command-line assignments,
//! ENVIRON) or uninitialised. A maybe-number counts as a number in
//! comparisons when its whole text (spaces trimmed) is a number
//! (mawk's `check_strnum` in cast.c); everything else converts with the
//! C library's `strtod` (so `"0x1A"+0` is 26 here too).

use std::rc::Rc;

/// Bytes of an awk string (mawk is byte-oriented).
pub type Str = Rc<[u8]>;

#[derive(Clone, Debug, Default)]
pub enum Val {
    #[default]
    Uninit,
    Num(f64),
    Str(Str),
    /// Input text that may be numeric.
    StrNum(Str),
}

/// mawk's `Max_Int` (its `Int` is a C int).
pub const MAX_INT: f64 = 2147483647.0;

/// `d_to_I`: truncates to an int, clamping to ±Max_Int (NaN gives -Max_Int).
pub fn d_to_i(d: f64) -> i64 {
    if d >= MAX_INT {
        return MAX_INT as i64;
    }
    if d > -MAX_INT {
        return d as i64;
    }
    -(MAX_INT as i64)
}

/// `d_to_U`: clamps to [0, UINT_MAX].
pub fn d_to_u(d: f64) -> u64 {
    if d >= 4294967295.0 {
        return 4294967295;
    }
    if d > 0.0 {
        return d as u64;
    }
    0
}

pub fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// `strtod`: the number at the start of `s` (after white space) and how many
/// bytes it used (0: no number).
pub fn strtod(s: &[u8]) -> (f64, usize) {
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let sign = |v: f64| if neg { -v } else { v };
    let rest = &s[i..];
    let lower = |n: usize| -> Vec<u8> {
        rest.iter()
            .take(n)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    if lower(3) == b"inf" {
        let n = if lower(8) == b"infinity" { 8 } else { 3 };
        return (sign(f64::INFINITY), i + n);
    }
    if lower(3) == b"nan" {
        let mut n = 3;
        if rest.get(3) == Some(&b'(') {
            if let Some(p) = rest[4..]
                .iter()
                .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
            {
                if rest[4 + p] == b')' {
                    n = 4 + p + 1;
                }
            }
        }
        let nan = if neg { -f64::NAN } else { f64::NAN };
        return (nan, i + n);
    }
    if lower(2) == b"0x" && rest.len() > 2 {
        if let Some((v, n)) = hex_float(&rest[2..]) {
            return (sign(v), i + 2 + n);
        }
    }
    let mut j = 0;
    let mut digits = 0;
    while j < rest.len() && rest[j].is_ascii_digit() {
        j += 1;
        digits += 1;
    }
    if j < rest.len() && rest[j] == b'.' {
        j += 1;
        while j < rest.len() && rest[j].is_ascii_digit() {
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return (0.0, 0);
    }
    if j < rest.len() && (rest[j] == b'e' || rest[j] == b'E') {
        let mut k = j + 1;
        if k < rest.len() && (rest[k] == b'+' || rest[k] == b'-') {
            k += 1;
        }
        if k < rest.len() && rest[k].is_ascii_digit() {
            while k < rest.len() && rest[k].is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    let text = std::str::from_utf8(&rest[..j]).unwrap_or("0");
    let text = if text.starts_with('.') {
        format!("0{text}")
    } else {
        text.to_string()
    };
    let text = text.replace(".e", ".0e").replace(".E", ".0E");
    let v: f64 = text.trim_end_matches('.').parse().unwrap_or(0.0);
    (sign(v), i + j)
}

fn hex_float(s: &[u8]) -> Option<(f64, usize)> {
    let mut v = 0.0f64;
    let mut j = 0;
    let mut digits = 0;
    while j < s.len() && s[j].is_ascii_hexdigit() {
        v = v * 16.0 + (s[j] as char).to_digit(16)? as f64;
        j += 1;
        digits += 1;
    }
    if j < s.len() && s[j] == b'.' {
        let mut scale = 1.0 / 16.0;
        j += 1;
        while j < s.len() && s[j].is_ascii_hexdigit() {
            v += (s[j] as char).to_digit(16)? as f64 * scale;
            scale /= 16.0;
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if j < s.len() && (s[j] == b'p' || s[j] == b'P') {
        let mut k = j + 1;
        let mut eneg = false;
        if k < s.len() && (s[k] == b'+' || s[k] == b'-') {
            eneg = s[k] == b'-';
            k += 1;
        }
        if k < s.len() && s[k].is_ascii_digit() {
            let mut e: i32 = 0;
            while k < s.len() && s[k].is_ascii_digit() {
                e = e.saturating_mul(10).saturating_add((s[k] - b'0') as i32);
                k += 1;
            }
            v *= 2f64.powi(if eneg { -e } else { e });
            j = k;
        }
    }
    Some((v, j))
}

/// mawk's `check_strnum`: does this input text count as a number?
pub fn looks_numeric(s: &[u8]) -> Option<f64> {
    let mut a = 0;
    let mut b = s.len();
    while a < b && is_space(s[a]) {
        a += 1;
    }
    while b > a && is_space(s[b - 1]) {
        b -= 1;
    }
    if a == b {
        return None;
    }
    let last = s[b - 1];
    if !(last.is_ascii_digit() || last == b'.') {
        return None;
    }
    if !(s[a].is_ascii_digit() || matches!(s[a], b'+' | b'-' | b'.')) {
        return None;
    }
    let (v, n) = strtod(&s[a..b]);
    if n == b - a && v.is_finite() {
        Some(v)
    } else {
        None
    }
}

/// A number as awk prints it: integers as `%d`, others through `fmt`
/// (CONVFMT or OFMT).
pub fn num_to_str(d: f64, fmt: &[u8]) -> Vec<u8> {
    let i = d_to_i(d);
    if i as f64 == d {
        return i.to_string().into_bytes();
    }
    match super::format::sprintf(fmt, &[Val::Num(d)], &[]) {
        Ok(s) => s,
        Err(_) => format!("{d}").into_bytes(),
    }
}

impl Val {
    pub fn str(s: &[u8]) -> Val {
        Val::Str(Rc::from(s))
    }
    pub fn strnum(s: &[u8]) -> Val {
        Val::StrNum(Rc::from(s))
    }
    pub fn num(&self) -> f64 {
        match self {
            Val::Uninit => 0.0,
            Val::Num(d) => *d,
            Val::Str(s) | Val::StrNum(s) => strtod(s).0,
        }
    }
    /// The string value, numbers converted with `convfmt`.
    pub fn to_bytes(&self, convfmt: &[u8]) -> Str {
        match self {
            Val::Uninit => Rc::from(&b""[..]),
            Val::Num(d) => Rc::from(num_to_str(*d, convfmt)),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
        }
    }
    pub fn truthy(&self) -> bool {
        match self {
            Val::Uninit => false,
            Val::Num(d) => *d != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => match looks_numeric(s) {
                Some(d) => d != 0.0,
                None => !s.is_empty(),
            },
        }
    }
    /// The number it compares as, if it compares as a number.
    fn cmp_num(&self) -> Option<f64> {
        match self {
            Val::Uninit => Some(0.0),
            Val::Num(d) => Some(*d),
            Val::Str(_) => None,
            Val::StrNum(s) => looks_numeric(s),
        }
    }
}

/// awk comparison: numeric when both sides are numbers (or numeric input),
/// otherwise bytewise on the strings.
pub fn compare(a: &Val, b: &Val, convfmt: &[u8]) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    if let (Some(x), Some(y)) = (a.cmp_num(), b.cmp_num()) {
        // mawk compares doubles with < and ==; NaN is "greater" there
        return if x < y {
            Ordering::Less
        } else if x == y {
            Ordering::Equal
        } else {
            Ordering::Greater
        };
    }
    // an uninitialised value against a string compares as ""
    a.to_bytes(convfmt).cmp(&b.to_bytes(convfmt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtod_forms() {
        assert_eq!(strtod(b"  12abc"), (12.0, 4));
        assert_eq!(strtod(b"0x1A"), (26.0, 4));
        assert_eq!(strtod(b"-.5e1x"), (-5.0, 5));
        assert_eq!(strtod(b"1e"), (1.0, 1));
        assert_eq!(strtod(b"abc"), (0.0, 0));
        assert!(strtod(b"+inf").0.is_infinite());
        assert!(strtod(b"nan").0.is_nan());
    }

    #[test]
    fn strnum_rules() {
        assert_eq!(looks_numeric(b" 1e3 "), Some(1000.0));
        assert_eq!(looks_numeric(b"0x1A"), None);
        assert_eq!(looks_numeric(b"0x10"), Some(16.0));
        assert_eq!(looks_numeric(b"1."), Some(1.0));
        assert_eq!(looks_numeric(b""), None);
        assert_eq!(looks_numeric(b"inf"), None);
    }

    #[test]
    fn numbers_print_as_mawk() {
        assert_eq!(num_to_str(3.0, b"%.6g"), b"3");
        assert_eq!(num_to_str(0.1 + 0.2, b"%.6g"), b"0.3");
        assert_eq!(num_to_str(2147483648.0, b"%.6g"), b"2.14748e+09");
        assert_eq!(num_to_str(-0.0, b"%.6g"), b"0");
    }
}
