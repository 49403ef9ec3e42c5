//! Normalisation of what differs between two runs of the same scenario on a
//! real kernel, so that transcripts can be compared byte for byte.
//!
//! Only random things are replaced, each consistently in order of first
//! appearance across the whole transcript:
//!
//! * unicast MAC addresses → `MAC1`, `MAC2`, ... (all-zero, broadcast and
//!   multicast MACs are kept, except solicited-node `33:33:ff:..`, which is
//!   derived from a random MAC and is mapped like one); bridge ids
//!   `8000.626520d1f705` (brctl) and `8000.62:65:20:d1:f7:5` (ip -d) →
//!   `8000.MACn` with the MAC's number;
//! * EUI-64 IPv6 link-local addresses (`fe80::..ff:fe..`) → `LL1`, ...;
//!   solicited-node multicast groups `ff02::1:ff..` → `SNM1`, ...;
//! * ping round-trip times (`time=0.066 ms`, the `rtt` summary, the
//!   `, time 1001ms` of the statistics) → `T`; `ident=N` → `ident=ID`;
//! * tcpdump timestamps at line start → `TS`; ICMP/IP ids `id 1234,` →
//!   `id ID,`;
//! * bridge timers (`gc_timer`/`hello_timer`... of `ip -d`, the timers of
//!   `brctl showstp`, the ageing timer of `brctl showmacs`) → `T`, and the
//!   rows of `brctl showmacs`, which the tool sorts by (random) MAC, are
//!   sorted after normalisation;
//! * TCP: initial sequence numbers (tcpdump's absolute `seq N`/`ack N`,
//!   N >= 100000; relative ones are small) → `SEQ1`, ...; timestamp option
//!   values (`TS val N ecr M`, a random per-connection offset plus a clock)
//!   → `TS val TSV ecr TSV` (`ecr 0` is kept);
//! * ephemeral ports (net.ipv4.ip_local_port_range, 32768-60999) after an
//!   IPv4 address and `.` (tcpdump) or a space (nc's `Connection received
//!   on A P`) → `PORT1`, ....
//!
//! Packet and byte counters are deliberately kept.

use std::collections::HashMap;

#[derive(Default)]
struct Maps {
    macs: HashMap<[u8; 6], usize>,
    lls: HashMap<String, usize>,
    snms: HashMap<String, usize>,
    isns: HashMap<u64, usize>,
    ports: HashMap<u64, usize>,
}

impl Maps {
    fn mac(&mut self, m: [u8; 6]) -> String {
        let n = self.macs.len() + 1;
        format!("MAC{}", self.macs.entry(m).or_insert(n))
    }
    fn ll(&mut self, a: &str) -> String {
        let n = self.lls.len() + 1;
        format!("LL{}", self.lls.entry(a.to_string()).or_insert(n))
    }
    fn snm(&mut self, a: &str) -> String {
        let n = self.snms.len() + 1;
        format!("SNM{}", self.snms.entry(a.to_string()).or_insert(n))
    }
}

/// Replaces the numbers after `key` for which `f` gives a replacement.
fn map_number_after(line: &str, key: &str, mut f: impl FnMut(u64) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(p) = rest.find(key) {
        out.push_str(&rest[..p + key.len()]);
        rest = &rest[p + key.len()..];
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 10 {
            continue;
        }
        match f(rest[..n].parse().unwrap_or(0)) {
            Some(r) => out.push_str(&r),
            None => out.push_str(&rest[..n]),
        }
        rest = &rest[n..];
    }
    out.push_str(rest);
    out
}

/// Replaces TCP initial sequence numbers, timestamp values and ephemeral ports.
fn tcp_numbers(line: &str, maps: &mut Maps) -> String {
    let mut l = line.to_string();
    for key in ["seq ", "ack "] {
        if l.contains(key) {
            l = map_number_after(&l, key, |v| {
                (v >= 100_000).then(|| {
                    let n = maps.isns.len() + 1;
                    format!("SEQ{}", maps.isns.entry(v).or_insert(n))
                })
            });
        }
    }
    if l.contains("TS val ") {
        l = map_number_after(&l, "TS val ", |_| Some("TSV".into()));
        l = map_number_after(&l, " ecr ", |v| (v != 0).then(|| "TSV".into()));
    }
    ephemeral_ports(&l, maps)
}

/// Ports of net.ipv4.ip_local_port_range right after a dotted quad and `.` or ` `.
fn ephemeral_ports(line: &str, maps: &mut Maps) -> String {
    let s = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut copied = 0;
    while i < s.len() {
        let starts = i == 0 || !(s[i - 1].is_ascii_alphanumeric() || s[i - 1] == b'.');
        if s[i].is_ascii_digit() && starts {
            // A dotted quad?
            let mut j = i;
            let mut parts = 0;
            while parts < 4 {
                let d = s[j..].iter().take_while(|b| b.is_ascii_digit()).count();
                if d == 0 || d > 3 {
                    break;
                }
                j += d;
                parts += 1;
                if parts < 4 {
                    if s.get(j) != Some(&b'.') {
                        break;
                    }
                    j += 1;
                }
            }
            if parts == 4 && matches!(s.get(j), Some(b'.') | Some(b' ')) {
                let k = j + 1;
                let d = s[k..].iter().take_while(|b| b.is_ascii_digit()).count();
                let end_ok = s.get(k + d).is_none_or(|b| !b.is_ascii_alphanumeric());
                if d == 5 && end_ok {
                    let v: u64 = line[k..k + d].parse().unwrap_or(0);
                    if (32768..=60999).contains(&v) {
                        let n = maps.ports.len() + 1;
                        out.push_str(&line[copied..k]);
                        out.push_str(&format!("PORT{}", maps.ports.entry(v).or_insert(n)));
                        copied = k + d;
                        i = k + d;
                        continue;
                    }
                }
                i = j;
                continue;
            }
            i += 1;
            continue;
        }
        i += 1;
    }
    out.push_str(&line[copied..]);
    out
}

fn hexval(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// Whether a MAC is random on a real kernel (so it must be normalised).
fn mac_is_random(m: [u8; 6]) -> bool {
    if m == [0; 6] || m == [0xff; 6] {
        return false;
    }
    if m[0] == 0x33 && m[1] == 0x33 && m[2] == 0xff {
        return true; // solicited-node multicast of a random address
    }
    m[0] & 1 == 0
}

/// Parses `n` colon-separated hex groups of `min..=max` digits at `s[i..]`.
/// Returns the bytes and the end offset.
fn colon_groups(s: &[u8], i: usize, min: usize, max: usize) -> Option<([u8; 6], usize)> {
    let mut m = [0u8; 6];
    let mut j = i;
    for (g, byte) in m.iter_mut().enumerate() {
        if g > 0 {
            if s.get(j) != Some(&b':') {
                return None;
            }
            j += 1;
        }
        let start = j;
        let mut v: u32 = 0;
        while j < s.len() && is_hex(s[j]) && j - start < max {
            v = v * 16 + hexval(s[j])? as u32;
            j += 1;
        }
        if j - start < min || (j < s.len() && is_hex(s[j])) {
            return None;
        }
        *byte = v as u8;
    }
    if j < s.len() && (s[j] == b':' || is_hex(s[j])) {
        return None;
    }
    Some((m, j))
}

/// A bridge id at `s[i..]`: 4 hex digits, '.', then 12 hex digits or six
/// colon groups of 1-2 hex digits.
fn bridge_id(s: &[u8], i: usize) -> Option<(usize, [u8; 6], usize)> {
    if i + 5 > s.len() || !s[i..i + 4].iter().all(|&b| is_hex(b)) || s[i + 4] != b'.' {
        return None;
    }
    let j = i + 5;
    if j + 12 <= s.len()
        && s[j..j + 12].iter().all(|&b| is_hex(b))
        && (j + 12 == s.len() || !s[j + 12].is_ascii_alphanumeric())
    {
        let mut m = [0u8; 6];
        for (k, byte) in m.iter_mut().enumerate() {
            *byte = hexval(s[j + 2 * k])? * 16 + hexval(s[j + 2 * k + 1])?;
        }
        return Some((j, m, j + 12));
    }
    let (m, end) = colon_groups(s, j, 1, 2)?;
    Some((j, m, end))
}

/// Replaces MACs, bridge ids, link-local and solicited-node addresses.
fn addresses(line: &str, maps: &mut Maps) -> String {
    let s = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut copied = 0;
    while i < s.len() {
        let boundary = i == 0 || !(s[i - 1].is_ascii_alphanumeric() || s[i - 1] == b':');
        if !boundary {
            i += 1;
            continue;
        }
        if let Some((mac_at, m, end)) = bridge_id(s, i) {
            if mac_is_random(m) {
                out.push_str(&line[copied..mac_at]);
                out.push_str(&maps.mac(m));
                copied = end;
            }
            i = end;
            continue;
        }
        if let Some((m, end)) = colon_groups(s, i, 2, 2) {
            if mac_is_random(m) {
                out.push_str(&line[copied..i]);
                out.push_str(&maps.mac(m));
                copied = end;
            }
            i = end;
            continue;
        }
        let rest = &line[i..];
        let lower = rest.to_ascii_lowercase();
        if lower.starts_with("fe80::") || lower.starts_with("ff02::1:ff") {
            let mut end = rest
                .bytes()
                .position(|b| !(is_hex(b) || b == b':'))
                .unwrap_or(rest.len());
            // tcpdump writes "fe80::1 > ff02::2: ..."; a single trailing colon
            // is punctuation, not part of the address.
            if rest[..end].ends_with(':') && !rest[..end].ends_with("::") {
                end -= 1;
            }
            let addr = rest[..end].to_ascii_lowercase();
            let token = if addr.starts_with("ff02::1:ff") {
                Some(maps.snm(&addr))
            } else if addr.contains("ff:fe") {
                Some(maps.ll(&addr))
            } else {
                None
            };
            if let Some(t) = token {
                out.push_str(&line[copied..i]);
                out.push_str(&t);
                copied = i + end;
            }
            i += end.max(1);
            continue;
        }
        i += 1;
    }
    out.push_str(&line[copied..]);
    out
}

/// Replaces the number that follows `key` (after optional spaces) with `T`,
/// everywhere in the line; `suffix`, if given, must follow the number.
fn replace_number_after(line: &str, key: &str, suffix: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(p) = rest.find(key) {
        let after = &rest[p + key.len()..];
        let word_start = key.as_bytes()[0].is_ascii_alphanumeric();
        let prev = if p > 0 { rest.as_bytes()[p - 1] } else { b' ' };
        if word_start && (prev.is_ascii_alphanumeric() || prev == b'_') {
            out.push_str(&rest[..p + key.len()]);
            rest = after;
            continue;
        }
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        let num = &after[spaces..];
        let nlen = num
            .bytes()
            .position(|b| !(b.is_ascii_digit() || b == b'.'))
            .unwrap_or(num.len());
        if nlen > 0 && num[nlen..].starts_with(suffix) {
            out.push_str(&rest[..p + key.len() + spaces]);
            out.push('T');
            rest = &num[nlen..];
        } else {
            out.push_str(&rest[..p + key.len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Replaces every `a/b/c...` run of numbers following `key` with `T/T/..`.
fn replace_slash_numbers_after(line: &str, key: &str) -> String {
    let Some(p) = line.find(key) else {
        return line.to_string();
    };
    let start = p + key.len();
    let rest = &line[start..];
    let len = rest
        .bytes()
        .position(|b| !(b.is_ascii_digit() || b == b'.' || b == b'/'))
        .unwrap_or(rest.len());
    if len == 0 {
        return line.to_string();
    }
    let ts = rest[..len]
        .split('/')
        .map(|_| "T")
        .collect::<Vec<_>>()
        .join("/");
    format!("{}{}{}", &line[..start], ts, &rest[len..])
}

fn is_tcpdump_timestamp(s: &[u8]) -> bool {
    // HH:MM:SS.uuuuuu
    s.len() >= 15
        && s[..15].iter().enumerate().all(|(k, &b)| match k {
            2 | 5 => b == b':',
            8 => b == b'.',
            _ => b.is_ascii_digit(),
        })
}

/// Replaces times and ids of ping, tcpdump and bridge timers.
fn times(line: &str) -> String {
    let mut l = line.to_string();
    if is_tcpdump_timestamp(l.as_bytes()) {
        l = format!("TS{}", &l[15..]);
    }
    if l.contains("time=") {
        l = replace_number_after(&l, "time=", " ms");
    }
    if l.contains(", time ") {
        l = replace_number_after(&l, ", time ", "ms");
    }
    if l.contains("min/avg/max/mdev = ") {
        l = replace_slash_numbers_after(&l, "min/avg/max/mdev = ");
        l = replace_slash_numbers_after(&l, "ipg/ewma ");
    }
    if l.contains("ident=") {
        l = replace_number_after(&l, "ident=", "");
        l = l.replace("ident=T", "ident=ID");
    }
    if l.contains("id ") {
        l = replace_number_after(&l, "id ", ",").replace("id T,", "id ID,");
    }
    for key in [
        "hello_timer ",
        "tcn_timer ",
        "topology_change_timer ",
        "gc_timer ",
        "hold_timer ",
        "message_age_timer ",
        "forward_delay_timer ",
        "hello timer",
        "tcn timer",
        "topology change timer",
        "gc timer",
        "message age timer",
        "forward delay timer",
        "hold timer",
    ] {
        if l.contains(key) {
            l = replace_number_after(&l, key, "");
        }
    }
    l
}

const SHOWMACS_HEADER: &str = "port no\tmac addr\t\tis local?\tageing timer";

/// A row of `brctl showmacs`: "  1\tMAC\tno\t\t   1.04" → timer replaced.
fn showmacs_row(line: &str) -> Option<String> {
    let (head, timer) = line.rsplit_once('\t')?;
    let t = timer.trim_start();
    if !head.ends_with("\tyes\t") && !head.ends_with("\tno\t") {
        return None;
    }
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    Some(format!("{}\t{}T", head, &timer[..timer.len() - t.len()]))
}

/// How the order of a command's stdout lines relates to the real kernel.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    /// Deterministic: kept as printed.
    Kept,
    /// Random: `ip neigh` (the neighbour hash is seeded randomly per table)
    /// and `brctl showmacs` (sorted by MAC address, which is random). All
    /// lines (but a header) are sorted.
    Lines,
    /// `ifconfig` reads IPv6 addresses from `/proc/net/if_inet6`, a hash
    /// table seeded per namespace: runs of consecutive `inet6` lines are
    /// sorted.
    Inet6Runs,
}

const INET6_PREFIX: &str = "        inet6 ";

fn output_order(command: &str) -> Order {
    let mut words: Vec<&str> = command.split_whitespace().collect();
    // Strip `ip netns exec NAME` wrappers.
    while words.len() >= 4 && words[0] == "ip" && words[1] == "netns" && words[2] == "exec" {
        words.drain(..4);
    }
    match words.first() {
        Some(&"brctl") if words.get(1) == Some(&"showmacs") => Order::Lines,
        Some(&"ifconfig") => Order::Inet6Runs,
        Some(&"ip") => {
            let mut k = 1;
            while k < words.len() && words[k].starts_with('-') {
                // Options with an argument.
                if matches!(
                    words[k],
                    "-n" | "-netns" | "-f" | "-family" | "-b" | "-batch"
                ) {
                    k += 1;
                }
                k += 1;
            }
            let neigh = words.get(k).is_some_and(|obj| {
                !obj.is_empty() && ("neighbour".starts_with(obj) || "neighbor".starts_with(obj))
            });
            if neigh && !words.iter().any(|w| *w == "-j" || *w == "-json") {
                Order::Lines
            } else {
                Order::Kept
            }
        }
        _ => Order::Kept,
    }
}

/// Replaces the numbers of `MACn`, `LLn` and `SNMn` tokens by `#`, so that
/// sort keys do not depend on the numbering (which keeps normalisation
/// idempotent).
fn mask_tokens(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    'outer: while !rest.is_empty() {
        for tok in ["MAC", "LL", "SNM"] {
            if let Some(after) = rest.strip_prefix(tok) {
                let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 {
                    out.push_str(tok);
                    out.push('#');
                    rest = &after[digits..];
                    continue 'outer;
                }
            }
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Normalises the buffered raw lines of an unordered block: sorted by their
/// text with addresses masked (so the order, and the numbering of addresses
/// first seen here, do not depend on random values), then normalised.
fn flush_unordered(rows: &mut Vec<(String, &str)>, maps: &mut Maps, out: &mut String) {
    let mut keyed: Vec<(String, String, &str)> = rows
        .drain(..)
        .map(|(raw, nl)| {
            let key = times(&addresses(&raw, &mut Maps::default()));
            (mask_tokens(&showmacs_row(&key).unwrap_or(key)), raw, nl)
        })
        .collect();
    // Stable: lines equal but for their addresses keep their order.
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, raw, nl) in keyed {
        let l = times(&addresses(&raw, maps));
        out.push_str(&showmacs_row(&l).unwrap_or(l));
        out.push_str(nl);
    }
}

/// Normalises a whole transcript (see the module documentation).
pub fn normalise(text: &str) -> String {
    let mut maps = Maps::default();
    let mut out = String::with_capacity(text.len());
    // Order of the current stdout block, and its buffered raw lines.
    let mut order = Order::Kept;
    let mut rows: Vec<(String, &str)> = Vec::new();
    let mut continuation = false;
    for raw in text.split_inclusive('\n') {
        let (line, nl) = match raw.strip_suffix('\n') {
            Some(l) => (l, "\n"),
            None => (raw, ""),
        };
        let command_line = continuation || line.starts_with("$ ");
        let marker = command_line
            || line == "[stderr]"
            || (line.starts_with("[exit ") && line.ends_with(']'));
        if marker {
            flush_unordered(&mut rows, &mut maps, &mut out);
            order = if command_line && !continuation {
                output_order(&line[2..])
            } else if command_line {
                order
            } else {
                Order::Kept
            };
            continuation = command_line && line.ends_with('\\');
        } else {
            match order {
                Order::Lines if line != SHOWMACS_HEADER => {
                    rows.push((line.to_string(), nl));
                    continue;
                }
                Order::Inet6Runs if line.starts_with(INET6_PREFIX) => {
                    rows.push((line.to_string(), nl));
                    continue;
                }
                _ => flush_unordered(&mut rows, &mut maps, &mut out),
            }
        }
        out.push_str(&tcp_numbers(&times(&addresses(line, &mut maps)), &mut maps));
        out.push_str(nl);
    }
    flush_unordered(&mut rows, &mut maps, &mut out);
    out
}
