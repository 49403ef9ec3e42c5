//! Small helpers for the hand-rolled argument grammars the real tools use
//! (iproute2's keyword syntax and its abbreviation rules do not fit clap).

/// iproute2's `matches()`: `arg` is a non-empty prefix of `word`.
pub fn matches(arg: &str, word: &str) -> bool {
    !arg.is_empty() && word.starts_with(arg)
}

/// Parses an IPv4 address the way inet_pton does (four decimal octets).
pub fn parse_ipv4(s: &str) -> Option<std::net::Ipv4Addr> {
    s.parse().ok()
}

/// iproute2's get_prefix for IPv4: `A.B.C.D[/LEN]`, also accepting fewer
/// octets (`10/8`, `192.168.1/24`) as get_addr_1 does.
pub fn parse_prefix4(s: &str) -> Option<(std::net::Ipv4Addr, Option<u8>)> {
    let (a, l) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let len = match l {
        Some(l) => {
            let v: u8 = l.parse().ok()?;
            if v > 32 {
                return None;
            }
            Some(v)
        }
        None => None,
    };
    let parts: Vec<&str> = a.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut o = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        o[i] = p.parse().ok()?;
    }
    Some((std::net::Ipv4Addr::from(o), len))
}

/// An IPv6 `ADDR[/LEN]` (LEN defaults to 128).
pub fn parse_prefix6(s: &str) -> Option<(std::net::Ipv6Addr, u8)> {
    match s.split_once('/') {
        Some((a, l)) => a
            .parse()
            .ok()
            .zip(l.parse::<u8>().ok().filter(|l| *l <= 128)),
        None => s.parse().ok().map(|a| (a, 128)),
    }
}

/// What C's `strtoul(s, &end, 0)` reads from the start of `s`: leading
/// white space, an optional sign (a minus negates modulo 2^64), then a
/// decimal, `0x` hex or `0` octal number. Returns the value, the bytes
/// consumed (0 when there were no digits) and whether it overflowed
/// (ERANGE, value saturated).
pub fn strtoul0(s: &str) -> (u64, usize, bool) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let neg = match b.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let radix = if b.get(i) == Some(&b'0')
        && matches!(b.get(i + 1), Some(b'x' | b'X'))
        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        i += 2;
        16
    } else if b.get(i) == Some(&b'0') {
        8
    } else {
        10
    };
    let start = i;
    let (mut v, mut overflow) = (0u64, false);
    while let Some(d) = b.get(i).and_then(|c| (*c as char).to_digit(radix)) {
        match v
            .checked_mul(radix as u64)
            .and_then(|x| x.checked_add(d as u64))
        {
            Some(x) => v = x,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return (0, 0, false);
    }
    if overflow {
        return (u64::MAX, i, true);
    }
    (if neg { v.wrapping_neg() } else { v }, i, false)
}

/// iproute2's get_unsigned()/get_u32()/get_u16()/get_u8() with base 0 and
/// libxtables' xtables_strtoui() with no end pointer: the whole string is
/// one C number of at most `max`.
pub fn get_unsigned(s: &str, max: u64) -> Option<u64> {
    match strtoul0(s) {
        (v, n, false) if n > 0 && n == s.len() && v <= max => Some(v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_numbers_read_as_strtoul_base_0() {
        assert_eq!(get_unsigned("22", 65535), Some(22));
        assert_eq!(get_unsigned("0x16", 65535), Some(22));
        assert_eq!(get_unsigned("010", 65535), Some(8));
        assert_eq!(get_unsigned(" 22", 65535), Some(22));
        assert_eq!(get_unsigned("+7", 65535), Some(7));
        assert_eq!(get_unsigned("-0", 65535), Some(0));
        assert_eq!(get_unsigned("0", 65535), Some(0));
        // A minus wraps to a huge value, past any max below 2^64.
        assert_eq!(get_unsigned("-1", u32::MAX as u64), None);
        assert_eq!(get_unsigned("65536", 65535), None);
        assert_eq!(get_unsigned("", 65535), None);
        assert_eq!(get_unsigned("0x", 65535), None);
        assert_eq!(get_unsigned("0x+5", 65535), None);
        assert_eq!(get_unsigned("08", 65535), None);
        assert_eq!(get_unsigned("22 ", 65535), None);
        assert_eq!(get_unsigned("99999999999999999999", u64::MAX), None);
        assert_eq!(strtoul0("12ab"), (12, 2, false));
        assert_eq!(strtoul0("0x1g"), (1, 3, false));
    }
}
