//! od (coreutils 9.1): dump bytes as octal, hex, decimal, characters or
//! floats, one line per block with its address.
//!
//! Read od.c's write_block() first: each block (16 bytes by default, a
//! multiple of every type's size) prints one line per `-t` type; all types
//! share one line width, and a type with fewer fields spreads the spare
//! columns over its fields (PRINT_FIELDS' `pad`). A block equal to the one
//! before is printed once as `*` unless `-v`. Integers are little-endian
//! (x86_64); `--endian`, `-S` and long doubles are not simulated.

use crate::args::{self, Has, Spec};
use crate::input::{self, errtext, quotef};
use crate::Ctx;

const PROG: &str = "od";

/// What one `-t` type prints.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Signed,
    Unsigned,
    Octal,
    Hex,
    /// `c`: C escapes, octal for the rest.
    Char,
    /// `a`: the names of ASCII control characters (high bit ignored).
    Named,
    Float,
}

#[derive(Clone, Copy, Debug)]
struct TypeSpec {
    kind: Kind,
    /// Bytes per field.
    size: usize,
    /// Columns a value takes (the field's own width, before padding).
    width: usize,
    /// `z`: the printable bytes after the line, between `>` and `<`.
    trailer: bool,
}

impl TypeSpec {
    fn new(kind: Kind, size: usize, trailer: bool) -> Self {
        // od.c's bytes_to_*_digits, and FLT/DBL_STRLEN_BOUND for floats.
        let idx = size.trailing_zeros() as usize;
        let width = match kind {
            Kind::Signed => [4, 6, 11, 20][idx],
            Kind::Unsigned => [3, 5, 10, 20][idx],
            Kind::Octal => [3, 6, 11, 22][idx],
            Kind::Hex => size * 2,
            Kind::Char | Kind::Named => 3,
            Kind::Float => [0, 0, 15, 24][idx],
        };
        TypeSpec {
            kind,
            size,
            width,
            trailer,
        }
    }

    /// One field's text, from `size` little-endian bytes.
    fn text(&self, b: &[u8]) -> String {
        let mut raw = [0u8; 8];
        raw[..b.len()].copy_from_slice(b);
        let u = u64::from_le_bytes(raw);
        match self.kind {
            Kind::Hex => format!("{u:0w$x}", w = self.width),
            Kind::Octal => format!("{u:0w$o}", w = self.width),
            Kind::Unsigned => u.to_string(),
            Kind::Signed => {
                let shift = 64 - 8 * self.size as u32;
                (((u << shift) as i64) >> shift).to_string()
            }
            Kind::Char => char_text(b[0]),
            Kind::Named => named_text(b[0]),
            Kind::Float if self.size == 4 => {
                let x = f32::from_bits(u as u32);
                ftoastr(f64::from(x), 6, 9, |s| s.parse::<f32>().ok() == Some(x))
            }
            Kind::Float => {
                let x = f64::from_bits(u);
                ftoastr(x, 15, 17, |s| s.parse::<f64>().ok() == Some(x))
            }
        }
    }
}

/// print_ascii(): escapes, printable characters, octal for the rest.
fn char_text(b: u8) -> String {
    match b {
        0 => "\\0".into(),
        7 => "\\a".into(),
        8 => "\\b".into(),
        12 => "\\f".into(),
        10 => "\\n".into(),
        13 => "\\r".into(),
        9 => "\\t".into(),
        11 => "\\v".into(),
        0x20..=0x7e => (b as char).to_string(),
        _ => format!("{b:03o}"),
    }
}

/// print_named_ascii()'s names of the characters up to space.
const NAMES: [&str; 33] = [
    "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr",
    "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc",
    "fs", "gs", "rs", "us", "sp",
];

fn named_text(b: u8) -> String {
    match b & 0x7f {
        0x7f => "del".into(),
        c if c <= b' ' => NAMES[c as usize].into(),
        c => (c as char).to_string(),
    }
}

/// ftoastr(): the shortest `%.*g` (from the type's DIG digits, or one for
/// a subnormal) that reads back as the same value.
fn ftoastr(x: f64, dig: usize, max: usize, same: impl Fn(&str) -> bool) -> String {
    if x.is_nan() {
        return if x.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf" } else { "inf" }.into();
    }
    let min_normal = if max == 9 {
        f64::from(f32::MIN_POSITIVE)
    } else {
        f64::MIN_POSITIVE
    };
    let start = if x.abs() < min_normal { 1 } else { dig };
    let mut s = String::new();
    for prec in start..=max {
        s = format_g(x, prec);
        if same(&s) {
            break;
        }
    }
    s
}

/// C's `%.{prec}g`.
fn format_g(x: f64, prec: usize) -> String {
    let p = prec.max(1);
    let e = format!("{:.*e}", p - 1, x);
    let (mant, exp) = e.split_once('e').expect("exponent");
    let exp: i32 = exp.parse().expect("exponent");
    let strip = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if exp < -4 || exp >= p as i32 {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", strip(mant), exp.abs())
    } else {
        strip(&format!("{:.*}", (p as i32 - 1 - exp) as usize, x))
    }
}

/// The traditional options' types (od.c's main()).
fn traditional(opt: char) -> Option<&'static str> {
    Some(match opt {
        'a' => "a",
        'b' => "o1",
        'c' => "c",
        'D' => "u4",
        'd' => "u2",
        'F' | 'e' => "fD",
        'f' => "fF",
        'X' | 'H' => "x4",
        'i' => "dI",
        'I' | 'L' | 'l' => "dL",
        'O' => "o4",
        'B' | 'o' => "o2",
        's' => "d2",
        'h' | 'x' => "x2",
        _ => return None,
    })
}

/// decode_format_string(): the types one `-t` argument names; the error
/// message when it names none or a size the system lacks.
fn decode_types(s: &str) -> Result<Vec<TypeSpec>, String> {
    let q = input::quote(s);
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        i += 1;
        let kind = match c {
            'd' => Kind::Signed,
            'u' => Kind::Unsigned,
            'o' => Kind::Octal,
            'x' => Kind::Hex,
            'c' => Kind::Char,
            'a' => Kind::Named,
            'f' => Kind::Float,
            _ => return Err(format!("invalid character '{c}' in type string {q}")),
        };
        let size = match kind {
            Kind::Char | Kind::Named => 1,
            _ => {
                let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                let letter = b.get(i).copied();
                if digits > 0 {
                    let n: usize = s[i..i + digits].parse().unwrap_or(usize::MAX);
                    i += digits;
                    let ok = match kind {
                        Kind::Float => n == 4 || n == 8,
                        _ => matches!(n, 1 | 2 | 4 | 8),
                    };
                    if !ok {
                        let what = match kind {
                            Kind::Float if n == 16 => {
                                return Err(long_double());
                            }
                            Kind::Float => "floating point",
                            _ => "integral",
                        };
                        return Err(format!(
                            "invalid type string {q};\nthis system doesn't provide a {n}-byte {what} type"
                        ));
                    }
                    n
                } else {
                    let size = match (kind, letter) {
                        (Kind::Float, Some(b'F')) => Some(4),
                        (Kind::Float, Some(b'D')) => Some(8),
                        (Kind::Float, Some(b'L')) => return Err(long_double()),
                        (Kind::Float, _) => None,
                        (_, Some(b'C')) => Some(1),
                        (_, Some(b'S')) => Some(2),
                        (_, Some(b'I')) => Some(4),
                        (_, Some(b'L')) => Some(8),
                        _ => None,
                    };
                    match size {
                        Some(n) => {
                            i += 1;
                            n
                        }
                        // The default: int, or double.
                        None if kind == Kind::Float => 8,
                        None => 4,
                    }
                }
            }
        };
        let trailer = b.get(i) == Some(&b'z');
        if trailer {
            i += 1;
        }
        out.push(TypeSpec::new(kind, size, trailer));
    }
    if out.is_empty() {
        return Err(format!("invalid type string {q}"));
    }
    Ok(out)
}

fn long_double() -> String {
    "vnet: od's long double type is not simulated yet".into()
}

/// xstrtoumax() with base 0 and od's suffixes: `-j`, `-N`.
fn parse_count(s: &str) -> Option<u64> {
    let (radix, digits) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (16, h)
    } else if s.len() > 1 && s.starts_with('0') {
        (8, &s[1..])
    } else {
        (10, s)
    };
    let end = digits
        .bytes()
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    if end == 0 {
        return (radix == 10).then(|| input::size_suffixed(s)).flatten();
    }
    let n = u64::from_str_radix(&digits[..end], radix).ok()?;
    let suffix = &digits[end..];
    let mult = if suffix.is_empty() {
        1
    } else {
        input::size_suffixed(&format!("1{suffix}"))?
    };
    n.checked_mul(mult)
}

/// parse_old_offset(): `[+]OFFSET[.][b]`, octal unless it ends in `.`
/// (decimal) or starts with `0x` (hex).
fn parse_old_offset(s: &str) -> Option<u64> {
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() {
        return None;
    }
    let (s, mult) = match s.strip_suffix('b') {
        Some(t) => (t, 512),
        None => (s, 1),
    };
    let n = if let Some(d) = s.strip_suffix('.') {
        d.parse::<u64>().ok()?
    } else if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()?
    } else {
        u64::from_str_radix(s, 8).ok()?
    };
    n.checked_mul(mult)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// How addresses print: radix letter and width (none for `n`).
struct Address {
    radix: char,
    width: usize,
}

impl Address {
    fn text(&self, a: u64) -> String {
        match self.radix {
            'd' => format!("{a:0w$}", w = self.width),
            'o' => format!("{a:0w$o}", w = self.width),
            'x' => format!("{a:0w$x}", w = self.width),
            _ => String::new(),
        }
    }
}

pub fn od(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: PROG,
        short: "A:aBbcDdeFfHhIij:LlN:OoS:st:vw::Xx",
        long: &[
            ("address-radix", Has::Req, 'A'),
            ("skip-bytes", Has::Req, 'j'),
            ("read-bytes", Has::Req, 'N'),
            ("format", Has::Req, 't'),
            ("output-duplicates", Has::No, 'v'),
            ("strings", Has::Opt, 'S'),
            ("width", Has::Opt, 'w'),
            ("traditional", Has::No, 'T'),
            ("endian", Has::Req, 'E'),
        ],
        fail: 1,
    };
    let p = match args::parse_in_order(c, &spec, argv) {
        Ok(p) => p,
        Err(st) => return st,
    };
    let mut types: Vec<TypeSpec> = Vec::new();
    let mut addr = Address {
        radix: 'o',
        width: 7,
    };
    let (mut skip, mut limit, mut width) = (0u64, None::<u64>, None::<i64>);
    let (mut dups, mut modern, mut traditional_mode) = (false, false, false);
    for (k, v) in &p.opts {
        let v = v.as_deref().unwrap_or("");
        match k {
            'A' => {
                modern = true;
                // Only the first character counts, as in od.c.
                let r = v.chars().next().unwrap_or('\0');
                addr = match r {
                    'd' | 'o' => Address { radix: r, width: 7 },
                    'x' => Address {
                        radix: 'x',
                        width: 6,
                    },
                    'n' => Address {
                        radix: 'n',
                        width: 0,
                    },
                    _ => {
                        c.eprint(&format!(
                            "{PROG}: invalid output address radix '{r}'; it must be one character from [doxn]\n"
                        ));
                        return 1;
                    }
                };
            }
            'j' | 'N' => {
                modern = true;
                let Some(n) = parse_count(v) else {
                    c.eprint(&format!(
                        "{PROG}: invalid -{k} argument {}\n",
                        input::quote(v)
                    ));
                    return 1;
                };
                if *k == 'j' {
                    skip = n;
                } else {
                    limit = Some(n);
                }
            }
            't' => {
                modern = true;
                match decode_types(v) {
                    Ok(t) => types.extend(t),
                    Err(m) if m.starts_with("vnet:") => {
                        c.eprint(&format!("{m}\n"));
                        return 2;
                    }
                    Err(m) => {
                        c.eprint(&format!("{PROG}: {m}\n"));
                        return 1;
                    }
                }
            }
            'v' => {
                modern = true;
                dups = true;
            }
            'w' => {
                modern = true;
                if v.is_empty() {
                    width = Some(32);
                } else {
                    match v.parse::<i64>() {
                        Ok(n) => width = Some(n),
                        Err(_) => {
                            c.eprint(&format!(
                                "{PROG}: invalid -w argument {}\n",
                                input::quote(v)
                            ));
                            return 1;
                        }
                    }
                }
            }
            'S' | 'E' => {
                let what = if *k == 'S' { "--strings" } else { "--endian" };
                c.eprint(&format!("vnet: od {what} is not simulated yet\n"));
                return 2;
            }
            'T' => traditional_mode = true,
            k => {
                if let Some(t) = traditional(*k) {
                    types.extend(decode_types(t).expect("a valid type"));
                }
            }
        }
    }
    if let Err(st) = args::finish(c, &spec, &p) {
        return st;
    }
    let mut files = p.operands.clone();
    // The obsolescent `od [FILE] [+]OFFSET` when no modern option says otherwise.
    if !modern || traditional_mode {
        match files.len() {
            1 if (traditional_mode || files[0].starts_with('+')) => {
                if let Some(o) = parse_old_offset(&files[0]) {
                    skip = o;
                    files.clear();
                }
            }
            2 if (traditional_mode
                || files[1].starts_with('+')
                || files[1].starts_with(|c: char| c.is_ascii_digit())) =>
            {
                if let Some(o) = parse_old_offset(&files[1]) {
                    skip = o;
                    files.pop();
                }
            }
            _ => {}
        }
    }
    if types.is_empty() {
        types.push(TypeSpec::new(Kind::Octal, 2, false));
    }
    let lcm = types.iter().fold(1, |l, t| l * t.size / gcd(l, t.size));
    let per_block = match width {
        Some(w) if w > 0 && (w as usize).is_multiple_of(lcm) => w as usize,
        Some(w) => {
            c.eprint(&format!(
                "{PROG}: warning: invalid width {w}; using {lcm} instead\n"
            ));
            lcm
        }
        None if lcm < 16 => lcm * (16 / lcm),
        None => lcm,
    };
    if files.is_empty() {
        files.push("-".into());
    }
    let mut data = Vec::new();
    let mut status = 0;
    for f in &files {
        match input::read(c, f) {
            Ok(d) => data.extend_from_slice(&d),
            Err(e) => {
                c.eprint(&format!("{PROG}: {}: {}\n", quotef(f), errtext(&e)));
                status = 1;
            }
        }
    }
    if skip > data.len() as u64 {
        c.eprint(&format!("{PROG}: cannot skip past end of combined input\n"));
        return 1;
    }
    let mut data = &data[skip as usize..];
    if let Some(n) = limit {
        data = &data[..data.len().min(n as usize)];
    }
    dump(c, &types, &addr, per_block, lcm, !dups, skip, data);
    status
}

/// dump() and write_block(): every block of `data`, then the end address.
#[allow(clippy::too_many_arguments)]
fn dump(
    c: &mut Ctx,
    types: &[TypeSpec],
    addr: &Address,
    per_block: usize,
    lcm: usize,
    squeeze: bool,
    start: u64,
    data: &[u8],
) {
    // The widest type sets the line; the others share out the rest.
    let line = types
        .iter()
        .map(|t| (t.width + 1) * (per_block / t.size))
        .max()
        .unwrap_or(0);
    let mut prev: Option<&[u8]> = None;
    let mut starred = false;
    for (i, chunk) in data.chunks(per_block).enumerate() {
        let offset = start + (i * per_block) as u64;
        let full = chunk.len() == per_block;
        if squeeze && full && prev == Some(chunk) {
            if !starred {
                c.print("*\n");
                starred = true;
            }
            continue;
        }
        starred = false;
        prev = Some(chunk);
        // A short last block is read as zeros up to a multiple of every size.
        let mut block = chunk.to_vec();
        block.resize(chunk.len().div_ceil(lcm) * lcm, 0);
        let mut out = String::new();
        for (n, t) in types.iter().enumerate() {
            if n == 0 {
                out.push_str(&addr.text(offset));
            } else {
                out.push_str(&" ".repeat(addr.width));
            }
            let fields = per_block / t.size;
            let blank = (per_block - chunk.len()) / t.size;
            let pad = line - t.width * fields;
            let mut remaining = pad;
            for f in (blank + 1..=fields).rev() {
                let next = pad * (f - 1) / fields;
                let w = remaining - next + t.width;
                let at = (fields - f) * t.size;
                out.push_str(&format!("{:>w$}", t.text(&block[at..at + t.size])));
                remaining = next;
            }
            if t.trailer {
                out.push_str(&" ".repeat(blank * t.width + pad * blank / fields));
                out.push_str("  >");
                out.extend(chunk.iter().map(|&b| match b {
                    0x20..=0x7e => b as char,
                    _ => '.',
                }));
                out.push('<');
            }
            out.push('\n');
        }
        c.print(&out);
        if c.full() {
            return;
        }
    }
    if addr.radix != 'n' {
        c.print(&format!("{}\n", addr.text(start + data.len() as u64)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_as_c() {
        assert_eq!(format_g(1.0, 6), "1");
        assert_eq!(format_g(0.1, 6), "0.1");
        assert_eq!(format_g(1.5e-23, 8), "1.5e-23");
        assert_eq!(format_g(123456789.0, 6), "1.23457e+08");
        assert_eq!(format_g(0.0001, 6), "0.0001");
        assert_eq!(format_g(0.00001, 6), "1e-05");
    }

    #[test]
    fn floats_are_the_shortest_that_read_back() {
        let t = TypeSpec::new(Kind::Float, 4, false);
        assert_eq!(t.text(&0x3fb9_9999u32.to_le_bytes()), "1.4499999");
        assert_eq!(t.text(&1u32.to_le_bytes()), "1e-45");
        let t = TypeSpec::new(Kind::Float, 8, false);
        assert_eq!(t.text(&0.1f64.to_le_bytes()), "0.1");
    }

    #[test]
    fn type_strings() {
        let t = decode_types("x1z").unwrap();
        assert_eq!((t[0].kind, t[0].size, t[0].trailer), (Kind::Hex, 1, true));
        assert_eq!(decode_types("dLu").unwrap().len(), 2);
        assert!(decode_types("x3").unwrap_err().contains("3-byte integral"));
        assert!(decode_types("q").is_err());
    }
}
