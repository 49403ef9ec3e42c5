//! The `printf` builtin (bash's: `%s %b %q %c %d %i %u %o %x %X %e %E %f
//! %F %g %G %%`, flags `-+ #0`, width and precision with `*`, the format
//! reused while arguments remain) and the backslash escapes shared with
//! `echo -e` and `$'…'`.

/// Which backslash escapes apply: they differ in octal forms and `\c`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EscMode {
    /// `$'…'`: `\NNN`, `\cX` is a control character.
    AnsiC,
    /// A printf format: `\NNN`; `\c` is literal.
    Format,
    /// `%b` and `echo -e`: `\0NNN` (and `\NNN` for `%b`); `\c` ends output.
    Echo { bare_octal: bool },
}

/// Decodes backslash escapes of `s` into `out`; true when a `\c` (in
/// [`EscMode::Echo`]) says to stop all output.
pub(crate) fn escapes(s: &[u8], out: &mut Vec<u8>, mode: EscMode) -> bool {
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'\\' || i + 1 == s.len() {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let c = s[i + 1];
        i += 2;
        let simple = match c {
            b'a' => Some(7),
            b'b' => Some(8),
            b'e' | b'E' => Some(27),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(11),
            b'\\' => Some(b'\\'),
            b'\'' if mode != (EscMode::Echo { bare_octal: false }) => Some(b'\''),
            b'"' if mode != (EscMode::Echo { bare_octal: false }) => Some(b'"'),
            b'?' if mode == EscMode::AnsiC => Some(b'?'),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            continue;
        }
        let digits = |from: usize, max: usize, radix: u32| {
            s[from..]
                .iter()
                .take(max)
                .take_while(|c| (**c as char).is_digit(radix))
                .count()
        };
        let value = |from: usize, len: usize, radix: u32| {
            s[from..from + len].iter().fold(0u32, |v, c| {
                v.wrapping_mul(radix)
                    .wrapping_add((*c as char).to_digit(radix).unwrap_or(0))
            })
        };
        match c {
            b'0' if matches!(mode, EscMode::Echo { .. }) => {
                let len = digits(i, 3, 8);
                out.push(value(i, len, 8) as u8);
                i += len;
            }
            b'0'..=b'7' if !matches!(mode, EscMode::Echo { bare_octal: false }) => {
                let len = digits(i - 1, 3, 8);
                out.push(value(i - 1, len, 8) as u8);
                i += len - 1;
            }
            b'x' => {
                let len = digits(i, 2, 16);
                if len == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(value(i, len, 16) as u8);
                    i += len;
                }
            }
            b'u' | b'U' => {
                let len = digits(i, if c == b'u' { 4 } else { 8 }, 16);
                if len == 0 {
                    out.push(b'\\');
                    out.push(c);
                } else {
                    let ch = char::from_u32(value(i, len, 16)).unwrap_or('\u{fffd}');
                    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                    i += len;
                }
            }
            b'c' if matches!(mode, EscMode::Echo { .. }) => return true,
            b'c' if mode == EscMode::AnsiC && i < s.len() => {
                out.push(s[i] & 0x1f);
                i += 1;
            }
            _ => {
                out.push(b'\\');
                out.push(c);
            }
        }
    }
    false
}

/// What `printf` produced: its output, its error messages (without the
/// `NAME: line N: ` prefix) and its status.
pub(crate) struct Printed {
    pub out: Vec<u8>,
    pub errors: Vec<String>,
    pub status: i32,
}

/// Runs `printf FORMAT ARGS…` (the arguments after the options).
pub(crate) fn printf(format: &str, args: &[String]) -> Printed {
    let mut p = Printed {
        out: Vec::new(),
        errors: Vec::new(),
        status: 0,
    };
    let mut next = 0;
    loop {
        let start = next;
        let (stop, used) = one_pass(format.as_bytes(), args, &mut next, &mut p);
        if stop || !used || next >= args.len() || next == start {
            break;
        }
    }
    p
}

/// One pass over the format; returns (stop: `\c` or an error, whether a
/// conversion consumed arguments).
fn one_pass(fmt: &[u8], args: &[String], next: &mut usize, p: &mut Printed) -> (bool, bool) {
    let mut used = false;
    let mut i = 0;
    let take = |next: &mut usize| -> Option<String> {
        let a = args.get(*next).cloned();
        if a.is_some() {
            *next += 1;
        }
        a
    };
    while i < fmt.len() {
        match fmt[i] {
            b'\\' => {
                let end = escape_end(fmt, i);
                escapes(&fmt[i..end], &mut p.out, EscMode::Format);
                i = end;
            }
            b'%' if fmt.get(i + 1) == Some(&b'%') => {
                p.out.push(b'%');
                i += 2;
            }
            b'%' => {
                let start = i;
                i += 1;
                let mut flags = String::new();
                while i < fmt.len() && b"-+ #0".contains(&fmt[i]) {
                    flags.push(fmt[i] as char);
                    i += 1;
                }
                let mut width: Option<i64> = None;
                if fmt.get(i) == Some(&b'*') {
                    i += 1;
                    used = true;
                    width = Some(number(take(next), p));
                } else {
                    let d = fmt[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if d > 0 {
                        width = std::str::from_utf8(&fmt[i..i + d])
                            .ok()
                            .and_then(|t| t.parse().ok());
                        i += d;
                    }
                }
                let mut prec: Option<i64> = None;
                if fmt.get(i) == Some(&b'.') {
                    i += 1;
                    if fmt.get(i) == Some(&b'*') {
                        i += 1;
                        used = true;
                        prec = Some(number(take(next), p));
                    } else {
                        let d = fmt[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                        prec = Some(
                            std::str::from_utf8(&fmt[i..i + d])
                                .ok()
                                .and_then(|t| t.parse().ok())
                                .unwrap_or(0),
                        );
                        i += d;
                    }
                }
                // Length modifiers are accepted and ignored.
                while i < fmt.len() && b"hlLjzt".contains(&fmt[i]) {
                    i += 1;
                }
                let Some(&conv) = fmt.get(i) else {
                    let text = String::from_utf8_lossy(&fmt[start..]).into_owned();
                    p.errors
                        .push(format!("printf: `{text}': missing format character"));
                    p.status = 1;
                    return (true, used);
                };
                i += 1;
                if width.is_some_and(|w| w < 0) {
                    flags.push('-');
                    width = width.map(|w| -w);
                }
                let width = width.unwrap_or(0).clamp(0, 1 << 20) as usize;
                let prec = prec.filter(|p| *p >= 0).map(|p| p.min(1 << 20) as usize);
                let spec = Spec { flags, width, prec };
                match conv {
                    b's' | b'b' | b'q' | b'c' => {
                        used = true;
                        let arg = take(next).unwrap_or_default();
                        let mut text: Vec<u8> = match conv {
                            b's' => arg.into_bytes(),
                            b'q' => quote(&arg).into_bytes(),
                            // A missing argument prints a NUL, as bash does.
                            b'c' => arg.chars().next().map_or(vec![0], |c| {
                                c.encode_utf8(&mut [0; 4]).as_bytes().to_vec()
                            }),
                            _ => {
                                let mut v = Vec::new();
                                let stop = escapes(
                                    arg.as_bytes(),
                                    &mut v,
                                    EscMode::Echo { bare_octal: true },
                                );
                                if stop {
                                    p.out.extend(spec.pad_bytes(v));
                                    return (true, used);
                                }
                                v
                            }
                        };
                        if let (Some(n), b's' | b'b' | b'q') = (spec.prec, conv) {
                            text.truncate(n);
                        }
                        p.out.extend(spec.pad_bytes(text));
                    }
                    b'd' | b'i' => {
                        used = true;
                        let n = number(take(next), p);
                        p.out
                            .extend(spec.int(n.unsigned_abs().to_string(), n < 0).into_bytes());
                    }
                    b'u' | b'o' | b'x' | b'X' => {
                        used = true;
                        let n = number(take(next), p) as u64;
                        let digits = match conv {
                            b'u' => n.to_string(),
                            b'o' => format!("{n:o}"),
                            b'x' => format!("{n:x}"),
                            _ => format!("{n:X}"),
                        };
                        let prefix = match (spec.flags.contains('#'), conv, n) {
                            (true, b'o', _) if !digits.starts_with('0') => "0",
                            (true, b'x', 1..) => "0x",
                            (true, b'X', 1..) => "0X",
                            _ => "",
                        };
                        let text = spec.int(format!("{prefix}{digits}"), false);
                        p.out.extend(text.into_bytes());
                    }
                    b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
                        used = true;
                        let x = float(take(next), p);
                        let text = spec.float(x, conv as char);
                        p.out.extend(text.into_bytes());
                    }
                    other => {
                        let c = char::from(other);
                        p.errors
                            .push(format!("printf: `{c}': invalid format character"));
                        p.status = 1;
                        return (true, used);
                    }
                }
            }
            c => {
                p.out.push(c);
                i += 1;
            }
        }
    }
    (false, used)
}

/// Where the escape starting at `fmt[i]` (a backslash) ends.
fn escape_end(fmt: &[u8], i: usize) -> usize {
    let Some(&c) = fmt.get(i + 1) else {
        return fmt.len();
    };
    let run = |from: usize, max: usize, ok: fn(&u8) -> bool| {
        from + fmt[from..].iter().take(max).take_while(|c| ok(c)).count()
    };
    match c {
        b'0'..=b'7' => run(i + 1, 3, |c| (b'0'..=b'7').contains(c)),
        b'x' => run(i + 2, 2, u8::is_ascii_hexdigit),
        b'u' => run(i + 2, 4, u8::is_ascii_hexdigit),
        b'U' => run(i + 2, 8, u8::is_ascii_hexdigit),
        _ => i + 2,
    }
}

struct Spec {
    flags: String,
    width: usize,
    prec: Option<usize>,
}

impl Spec {
    /// Pads to the width in bytes, as bash's printf counts (in any locale).
    fn pad_bytes(&self, text: Vec<u8>) -> Vec<u8> {
        let len = text.len();
        if len >= self.width {
            return text;
        }
        let pad = vec![b' '; self.width - len];
        match self.flags.contains('-') {
            true => [text, pad].concat(),
            false => [pad, text].concat(),
        }
    }

    /// An integer's digits with sign, precision, zero padding and width.
    fn int(&self, mut digits: String, negative: bool) -> String {
        if let Some(p) = self.prec {
            if p == 0 && digits == "0" {
                digits.clear();
            }
            while digits.len() < p {
                digits.insert(0, '0');
            }
        }
        let sign = match (negative, self.flags.contains('+'), self.flags.contains(' ')) {
            (true, _, _) => "-",
            (false, true, _) => "+",
            (false, false, true) => " ",
            _ => "",
        };
        self.pad_number(sign, digits, self.prec.is_none())
    }

    fn pad_number(&self, sign: &str, body: String, zero_ok: bool) -> String {
        let len = sign.len() + body.len();
        if len >= self.width {
            return format!("{sign}{body}");
        }
        let fill = self.width - len;
        if self.flags.contains('-') {
            format!("{sign}{body}{}", " ".repeat(fill))
        } else if self.flags.contains('0') && zero_ok {
            format!("{sign}{}{body}", "0".repeat(fill))
        } else {
            format!("{}{sign}{body}", " ".repeat(fill))
        }
    }

    fn float(&self, x: f64, conv: char) -> String {
        let prec = self.prec.unwrap_or(6);
        let upper = conv.is_ascii_uppercase();
        let body = if !x.is_finite() {
            let t = if x.is_nan() { "nan" } else { "inf" };
            if upper {
                t.to_uppercase()
            } else {
                t.to_string()
            }
        } else {
            let a = x.abs();
            match conv.to_ascii_lowercase() {
                'f' => format!("{a:.prec$}"),
                'e' => exp_form(a, prec, upper),
                _ => general(a, prec, self.flags.contains('#'), upper),
            }
        };
        let negative = x.is_sign_negative() && !x.is_nan();
        let sign = match (negative, self.flags.contains('+'), self.flags.contains(' ')) {
            (true, _, _) => "-",
            (false, true, _) => "+",
            (false, false, true) => " ",
            _ => "",
        };
        self.pad_number(sign, body, x.is_finite())
    }
}

/// C's `%e` of a non-negative number.
fn exp_form(a: f64, prec: usize, upper: bool) -> String {
    let text = format!("{a:.prec$e}");
    let (mant, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let e = if upper { 'E' } else { 'e' };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}{e}{sign}{:02}", exp.abs())
}

/// C's `%g`: `%e` or `%f` by the exponent, trailing zeros removed.
fn general(a: f64, prec: usize, alt: bool, upper: bool) -> String {
    let p = if prec == 0 { 1 } else { prec };
    if a == 0.0 {
        return match alt {
            true => format!("{:.*}", p - 1, 0.0),
            false => "0".into(),
        };
    }
    let e_text = format!("{a:.*e}", p - 1);
    let exp: i32 = e_text
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let mut text = if exp < -4 || exp >= p as i32 {
        exp_form(a, p - 1, upper)
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        format!("{a:.decimals$}")
    };
    if !alt {
        let (mant, exp_part) = match text.find(['e', 'E']) {
            Some(i) => (text[..i].to_string(), text[i..].to_string()),
            None => (text.clone(), String::new()),
        };
        let mant = if mant.contains('.') {
            mant.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            mant
        };
        text = format!("{mant}{exp_part}");
    }
    text
}

/// An integer argument as bash reads it: decimal, `0x` hex, `0` octal,
/// `'c` for a character's code. A bad one is reported and read as far
/// as it goes.
fn number(arg: Option<String>, p: &mut Printed) -> i64 {
    let Some(arg) = arg else {
        return 0;
    };
    if let Some(rest) = arg.strip_prefix(['\'', '"']) {
        return rest.chars().next().map_or(0, |c| c as i64);
    }
    let t = arg.trim_start();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, digits) = if let Some(h) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (16, h)
    } else if body.starts_with('0') && body.len() > 1 {
        (8, &body[1..])
    } else {
        (10, body)
    };
    let len = digits.chars().take_while(|c| c.is_digit(radix)).count();
    let mut v: i64 = 0;
    let mut overflow = false;
    for c in digits[..len].chars() {
        let d = i64::from(c.to_digit(radix).unwrap_or(0));
        match v
            .checked_mul(i64::from(radix))
            .and_then(|v| v.checked_add(d))
        {
            Some(n) => v = n,
            None => overflow = true,
        }
    }
    if overflow {
        // strtoimax saturates; bash warns and goes on.
        p.errors.push(format!(
            "printf: warning: {arg}: Numerical result out of range"
        ));
        return if neg { i64::MIN } else { i64::MAX };
    }
    if neg {
        v = v.wrapping_neg();
    }
    let ok = len == digits.len() && (len > 0 || radix == 8) && !arg.is_empty() || arg.is_empty();
    if !ok || (len == 0 && radix == 10) && !arg.is_empty() {
        p.errors.push(format!("printf: {arg}: invalid number"));
        p.status = 1;
    }
    v
}

fn float(arg: Option<String>, p: &mut Printed) -> f64 {
    let Some(arg) = arg else {
        return 0.0;
    };
    if let Some(rest) = arg.strip_prefix(['\'', '"']) {
        return rest.chars().next().map_or(0.0, |c| f64::from(c as u32));
    }
    let t = arg.trim();
    if t.is_empty() {
        return 0.0;
    }
    match t.parse::<f64>() {
        Ok(x) => x,
        Err(_) => {
            // The longest prefix that is a number.
            let v = (1..t.len())
                .rev()
                .filter(|i| t.is_char_boundary(*i))
                .find_map(|i| t[..i].parse::<f64>().ok())
                .unwrap_or(0.0);
            p.errors.push(format!("printf: {arg}: invalid number"));
            p.status = 1;
            v
        }
    }
}

/// `%q`: a word the shell reads back as `s`, quoted as bash quotes it.
pub(crate) fn quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    if s.chars().any(|c| c.is_control()) {
        let mut out = String::from("$'");
        for c in s.chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\x07' => out.push_str("\\a"),
                '\x08' => out.push_str("\\b"),
                '\x0b' => out.push_str("\\v"),
                '\x0c' => out.push_str("\\f"),
                '\x1b' => out.push_str("\\E"),
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\{:03o}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('\'');
        return out;
    }
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        let special = " \t'\"\\$`!&*()|;<>?[]{}^,#".contains(c) || (c == '~' && i == 0);
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(fmt: &str, args: &[&str]) -> (String, Vec<String>, i32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let p = printf(fmt, &args);
        (
            String::from_utf8_lossy(&p.out).into_owned(),
            p.errors,
            p.status,
        )
    }

    #[test]
    fn conversions_as_bash() {
        assert_eq!(
            run(
                "%5.2f|%e|%g|%g|%g|%G\n",
                &[
                    "3.14159",
                    "12345.678",
                    "0.0001",
                    "123456789",
                    "100",
                    "1e-10"
                ]
            )
            .0,
            " 3.14|1.234568e+04|0.0001|1.23457e+08|100|1E-10\n"
        );
        assert_eq!(
            run(
                "%c|%5s|%-5s|%x|%X|%o|%#x|%+d|% d|%05d|%.3s\n",
                &["hello", "ab", "ab", "255", "255", "8", "255", "5", "5", "42", "abcdef"]
            )
            .0,
            "h|   ab|ab   |ff|FF|10|0xff|+5| 5|00042|abc\n"
        );
        assert_eq!(run("x %s y %s\n", &["1", "2", "3"]).0, "x 1 y 2\nx 3 y \n");
        assert_eq!(run("%i %u\n", &["-3", "-3"]).0, "-3 18446744073709551613\n");
        assert_eq!(
            run("%.*f|%*d\n", &["2", "3.14159", "5", "42"]).0,
            "3.14|   42\n"
        );
    }

    #[test]
    fn bad_numbers_are_reported() {
        let (out, errs, st) = run("%d %d\n", &["12abc", "abc"]);
        assert_eq!(out, "12 0\n");
        assert_eq!(
            errs,
            [
                "printf: 12abc: invalid number",
                "printf: abc: invalid number"
            ]
        );
        assert_eq!(st, 1);
    }
}
