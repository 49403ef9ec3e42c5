//! What the tools share: reading an operand (`-` is stdin), splitting
//! lines, quoting names in messages as coreutils does in the C locale,
//! and the size suffixes of `head -c 1K`.

use crate::Ctx;
use std::io;

/// The content of operand `name`: stdin for `-` (read once: a second `-`
/// finds it at end of file, as with a pipe).
pub fn read(c: &mut Ctx, name: &str) -> io::Result<Vec<u8>> {
    if name == "-" {
        Ok(c.take_stdin())
    } else {
        c.fs.read(name)
    }
}

/// The error text of `e`.
pub fn errtext(e: &io::Error) -> &'static str {
    vnet_fs::strerror(e)
}

/// Lines without their terminator; a last line without one still counts.
pub fn lines(data: &[u8], delim: u8) -> Vec<&[u8]> {
    let mut v: Vec<&[u8]> = data.split(|&b| b == delim).collect();
    if data.is_empty() || data.last() == Some(&delim) {
        v.pop();
    }
    v
}

/// Lines with their terminator (the last one may lack it).
pub fn lines_kept(data: &[u8], delim: u8) -> Vec<&[u8]> {
    data.split_inclusive(|&b| b == delim).collect()
}

/// Characters quotef() leaves bare (its colon variant quotes `:` too).
fn shell_safe(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_./@%+,-".contains(&b))
}

/// `quote()`/`quoteaf()` of coreutils in the C locale: always quoted.
pub fn quote(s: &str) -> String {
    if s.contains('\'') {
        if s.contains(['"', '$', '`', '\\']) {
            format!("'{}'", s.replace('\'', "'\\''"))
        } else {
            format!("\"{s}\"")
        }
    } else {
        format!("'{s}'")
    }
}

/// `quote()` of an argument in the C locale (locale quoting style):
/// apostrophes, with C escapes for `\\`, `'` and control characters.
pub fn quote_c(s: &str) -> String {
    let mut o = String::from("'");
    for ch in s.chars() {
        match ch {
            '\\' => o.push_str("\\\\"),
            '\'' => o.push_str("\\'"),
            '\x07' => o.push_str("\\a"),
            '\x08' => o.push_str("\\b"),
            '\x0c' => o.push_str("\\f"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            '\x0b' => o.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                o.push_str(&format!("\\{:03o}", c as u32))
            }
            c => o.push(c),
        }
    }
    o.push('\'');
    o
}

/// `quotef()`: quoted only when the shell would need it.
pub fn quotef(s: &str) -> String {
    if shell_safe(s) {
        s.to_string()
    } else {
        quote(s)
    }
}

/// xstrtoumax with coreutils' size suffixes (`b` 512, `K`/`k` 1024, `KB`
/// 1000, `KiB` 1024, up to `Y`); None if not a number or it overflows.
pub fn size_suffixed(s: &str) -> Option<u64> {
    let t = s.trim_start();
    let t = t.strip_prefix('+').unwrap_or(t);
    let end = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    // A suffix alone counts one of its unit (xstrtol: `b` is 512).
    let n: u64 = if end == 0 {
        if t.is_empty() || !"bkKmMgGtTpPeE".contains(&t[..1]) {
            return None;
        }
        1
    } else {
        t[..end].parse().ok()?
    };
    let suf = &t[end..];
    let mult: u64 = if suf.is_empty() {
        1
    } else if suf == "b" {
        512
    } else {
        let mut ch = suf.chars();
        let p = match ch.next()? {
            'k' | 'K' => 1,
            'm' | 'M' => 2,
            'g' | 'G' => 3,
            't' | 'T' => 4,
            'p' | 'P' => 5,
            'e' | 'E' => 6,
            'z' | 'Z' | 'y' | 'Y' => return None,
            _ => return None,
        };
        let base: u64 = match ch.as_str() {
            "" | "iB" => 1024,
            "B" => 1000,
            _ => return None,
        };
        base.checked_pow(p)?
    };
    n.checked_mul(mult)
}

/// Writes `out` into file `path` (truncating), reporting `prog: path: error`.
pub fn write_file(c: &mut Ctx, prog: &str, path: &str, out: &[u8]) -> bool {
    match c.fs.write(path, out, false) {
        Ok(()) => true,
        Err(e) => {
            c.eprint(&format!("{prog}: {}: {}\n", quotef(path), errtext(&e)));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_quotes() {
        assert_eq!(lines(b"a\nb", b'\n'), vec![&b"a"[..], b"b"]);
        assert_eq!(lines(b"a\n\n", b'\n'), vec![&b"a"[..], b""]);
        assert!(lines(b"", b'\n').is_empty());
        assert_eq!(quotef("a b"), "'a b'");
        assert_eq!(quotef("a.txt"), "a.txt");
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(size_suffixed("2K"), Some(2048));
        assert_eq!(size_suffixed("2KB"), Some(2000));
        assert_eq!(size_suffixed("1b"), Some(512));
        assert_eq!(size_suffixed("2x"), None);
        assert_eq!(size_suffixed("b"), Some(512));
        assert_eq!(size_suffixed("x"), None);
        assert_eq!(quote_c("it's"), "'it\\'s'");
        assert_eq!(quote_c("a\\b\n"), "'a\\\\b\\n'");
        assert_eq!(quotef("a:b"), "'a:b'");
    }
}
