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
