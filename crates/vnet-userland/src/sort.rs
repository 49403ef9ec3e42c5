//! sort as coreutils 9.1's sort.c orders lines: keys (`-k`) found by
//! begfield()/limfield(), per-key options inherited from the global ones
//! only by keys that have none, then the whole line bytewise as the last
//! resort (unless -s or -u). Collation is the C locale's: bytes, which is
//! what vnet scripts get with LANG unset.

use crate::args::{self, Has, Spec};
use crate::input::{self, errtext, quote, quote_c, quotef};
use crate::Ctx;
use std::borrow::Cow;
use std::cmp::Ordering;

#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
enum Ignore {
    #[default]
    None,
    /// -d: only blanks and alphanumerics count.
    Dict,
    /// -i: only printable characters count.
    Print,
}

#[derive(Clone, Default, Debug)]
struct Key {
    /// 0-based start field; None: the line's start.
    sword: Option<usize>,
    schar: usize,
    /// 0-based end field; None: the line's end.
    eword: Option<usize>,
    echar: usize,
    skipsblanks: bool,
    skipeblanks: bool,
    ignore: Ignore,
    translate: bool,
    numeric: bool,
    general: bool,
    human: bool,
    month: bool,
    version: bool,
    random: bool,
    reverse: bool,
}

impl Key {
    fn is_default(&self) -> bool {
        !(self.ignore != Ignore::None
            || self.translate
            || self.skipsblanks
            || self.skipeblanks
            || self.month
            || self.numeric
            || self.general
            || self.human
            || self.version
            || self.random)
    }
    /// set_ordering(): applies option letters; returns the rest.
    fn set<'s>(&mut self, s: &'s str, end: bool) -> &'s str {
        let mut rest = s;
        for ch in s.chars() {
            match ch {
                'b' if end => self.skipeblanks = true,
                'b' => self.skipsblanks = true,
                'd' => self.ignore = Ignore::Dict,
                'f' => self.translate = true,
                'g' => self.general = true,
                'h' => self.human = true,
                'i' if self.ignore == Ignore::None => self.ignore = Ignore::Print,
                'i' => {}
                'M' => self.month = true,
                'n' => self.numeric = true,
                'R' => self.random = true,
                'r' => self.reverse = true,
                'V' => self.version = true,
                _ => return rest,
            }
            rest = &rest[1..];
        }
        rest
    }
    fn opts(&self) -> String {
        let mut s = String::new();
        // The ordering options only: -b and -r are not named.
        let flags = [
            (self.ignore == Ignore::Dict, 'd'),
            (self.translate, 'f'),
            (self.general, 'g'),
            (self.human, 'h'),
            (self.ignore == Ignore::Print, 'i'),
            (self.month, 'M'),
            (self.numeric, 'n'),
            (self.random, 'R'),
            (self.version, 'V'),
        ];
        for (on, c) in flags {
            if on {
                s.push(c);
            }
        }
        s
    }
    /// check_ordering_compatibility(): one numeric kind at most, and not
    /// with -V, -R or -d/-i (which may go together).
    fn incompatible(&self) -> bool {
        let n = [
            self.numeric,
            self.general,
            self.human,
            self.month,
            self.version || self.random || self.ignore != Ignore::None,
        ]
        .iter()
        .filter(|b| **b)
        .count();
        n > 1
    }
}

/// parse_field_count(): digits (saturating); Err if there are none.
fn field_count<'s>(s: &'s str, what: &str) -> Result<(usize, &'s str), String> {
    let n = s.bytes().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return Err(format!("{what}: invalid count at start of {}", quote_c(s)));
    }
    let v = s[..n].parse::<usize>().unwrap_or(usize::MAX);
    Ok((v, &s[n..]))
}

fn parse_key(spec: &str) -> Result<Key, String> {
    let bad = |m: &str| format!("{m}: invalid field specification {}", quote_c(spec));
    let mut k = Key::default();
    let (sword, mut s) = field_count(spec, "invalid number at field start")?;
    if sword == 0 {
        return Err(bad("field number is zero"));
    }
    let mut schar = 0;
    if let Some(r) = s.strip_prefix('.') {
        let (c, r) = field_count(r, "invalid number after '.'")?;
        if c == 0 {
            return Err(bad("character offset is zero"));
        }
        schar = c - 1;
        s = r;
    }
    k.sword = if sword - 1 == 0 && schar == 0 {
        None
    } else {
        Some(sword - 1)
    };
    k.schar = schar;
    s = k.set(s, false);
    if let Some(r) = s.strip_prefix(',') {
        let (e, r) = field_count(r, "invalid number after ','")?;
        if e == 0 {
            return Err(bad("field number is zero"));
        }
        k.eword = Some(e - 1);
        s = r;
        if let Some(r) = s.strip_prefix('.') {
            let (c, r) = field_count(r, "invalid number after '.'")?;
            k.echar = c;
            s = r;
        }
        s = k.set(s, true);
    }
    if !s.is_empty() {
        return Err(bad("stray character in field spec"));
    }
    Ok(k)
}

fn blank(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\n'
}

/// A line and its keys, extracted once.
struct Line<'l> {
    text: &'l [u8],
    keys: Vec<Cow<'l, [u8]>>,
}

struct Sorter {
    keys: Vec<Key>,
    tab: Option<u8>,
    stable: bool,
    unique: bool,
    reverse: bool,
}

impl Sorter {
    fn begfield(&self, l: &[u8], k: &Key) -> usize {
        let lim = l.len();
        let mut p = 0;
        let mut sword = k.sword.unwrap_or(0);
        while p < lim && sword > 0 {
            sword -= 1;
            match self.tab {
                Some(t) => {
                    while p < lim && l[p] != t {
                        p += 1;
                    }
                    if p < lim {
                        p += 1;
                    }
                }
                None => {
                    while p < lim && blank(l[p]) {
                        p += 1;
                    }
                    while p < lim && !blank(l[p]) {
                        p += 1;
                    }
                }
            }
        }
        if k.skipsblanks {
            while p < lim && blank(l[p]) {
                p += 1;
            }
        }
        lim.min(p.saturating_add(k.schar))
    }

    fn limfield(&self, l: &[u8], k: &Key) -> usize {
        let lim = l.len();
        let mut p = 0;
        let echar = k.echar;
        let mut eword = k.eword.unwrap_or(0);
        if echar == 0 {
            eword = eword.saturating_add(1);
        }
        while p < lim && eword > 0 {
            eword -= 1;
            match self.tab {
                Some(t) => {
                    while p < lim && l[p] != t {
                        p += 1;
                    }
                    if p < lim && (eword > 0 || echar > 0) {
                        p += 1;
                    }
                }
                None => {
                    while p < lim && blank(l[p]) {
                        p += 1;
                    }
                    while p < lim && !blank(l[p]) {
                        p += 1;
                    }
                }
            }
        }
        if echar != 0 {
            if k.skipeblanks {
                while p < lim && blank(l[p]) {
                    p += 1;
                }
            }
            p = lim.min(p.saturating_add(echar));
        }
        p
    }

    fn field<'l>(&self, l: &'l [u8], k: &Key) -> &'l [u8] {
        let lim = match k.eword {
            Some(_) => self.limfield(l, k),
            None => l.len(),
        };
        let beg = match k.sword {
            Some(_) => self.begfield(l, k),
            None => {
                let mut p = 0;
                if k.skipsblanks {
                    while p < lim && blank(l[p]) {
                        p += 1;
                    }
                }
                p
            }
        };
        if beg >= lim {
            &[]
        } else {
            &l[beg..lim]
        }
    }

    /// Each key's text in `l`, with -d/-i characters dropped and -f folded.
    fn key_texts<'l>(&self, l: &'l [u8]) -> Vec<Cow<'l, [u8]>> {
        self.keys
            .iter()
            .map(|k| {
                let t = self.field(l, k);
                if k.ignore == Ignore::None && !k.translate {
                    return Cow::Borrowed(t);
                }
                let keep = |c: &u8| match k.ignore {
                    Ignore::None => true,
                    Ignore::Dict => c.is_ascii_alphanumeric() || *c == b' ' || *c == b'\t',
                    Ignore::Print => (0x20..0x7f).contains(c),
                };
                let fold = |c: &u8| {
                    if k.translate {
                        c.to_ascii_uppercase()
                    } else {
                        *c
                    }
                };
                Cow::Owned(t.iter().filter(|c| keep(c)).map(fold).collect())
            })
            .collect()
    }

    fn keycompare(&self, a: &Line, b: &Line) -> Ordering {
        for (i, k) in self.keys.iter().enumerate() {
            let (fa, fb): (&[u8], &[u8]) = (&a.keys[i], &b.keys[i]);
            let d = if k.numeric {
                numcompare(fa, fb)
            } else if k.human {
                human_order(fa)
                    .cmp(&human_order(fb))
                    .then_with(|| numcompare(fa, fb))
            } else if k.general {
                general_compare(fa, fb)
            } else if k.month {
                month(fa).cmp(&month(fb))
            } else if k.version {
                filevercmp(fa, fb)
            } else if k.random {
                hash(fa).cmp(&hash(fb)).then_with(|| fa.cmp(fb))
            } else {
                bytes(fa, fb)
            };
            if d != Ordering::Equal {
                return if k.reverse { d.reverse() } else { d };
            }
        }
        Ordering::Equal
    }

    fn line<'l>(&self, text: &'l [u8]) -> Line<'l> {
        Line {
            text,
            keys: self.key_texts(text),
        }
    }

    fn compare(&self, a: &Line, b: &Line) -> Ordering {
        if !self.keys.is_empty() {
            let d = self.keycompare(a, b);
            if d != Ordering::Equal || self.unique || self.stable {
                return d;
            }
        }
        let d = a.text.cmp(b.text);
        if self.reverse {
            d.reverse()
        } else {
            d
        }
    }
}

/// FNV-1a: -R's order, fixed (the real one is random each run).
fn hash(s: &[u8]) -> u64 {
    s.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// Bytewise order. Keys are short: a byte loop beats a call to memcmp
/// (measured: 3x faster for `sort -n`).
fn bytes(x: &[u8], y: &[u8]) -> Ordering {
    x.iter()
        .zip(y)
        .find(|(p, q)| p != q)
        .map_or(x.len().cmp(&y.len()), |(p, q)| p.cmp(q))
}

/// strnumcmp() in the C locale: `-`? digits (`.` digits)?, after blanks;
/// anything else counts as zero.
fn numcompare(a: &[u8], b: &[u8]) -> Ordering {
    fn parts(s: &[u8]) -> (bool, &[u8], &[u8]) {
        let mut i = 0;
        while i < s.len() && blank(s[i]) {
            i += 1;
        }
        let neg = s.get(i) == Some(&b'-');
        if neg {
            i += 1;
        }
        let st = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        let mut int = &s[st..i];
        while int.first() == Some(&b'0') {
            int = &int[1..];
        }
        let mut frac: &[u8] = &[];
        if s.get(i) == Some(&b'.') {
            let fs = i + 1;
            let mut j = fs;
            while j < s.len() && s[j].is_ascii_digit() {
                j += 1;
            }
            frac = &s[fs..j];
            while frac.last() == Some(&b'0') {
                frac = &frac[..frac.len() - 1];
            }
        }
        let zero = int.is_empty() && frac.is_empty();
        (neg && !zero, int, frac)
    }
    let (na, ia, fa) = parts(a);
    let (nb, ib, fb) = parts(b);
    let mag = ia
        .len()
        .cmp(&ib.len())
        .then_with(|| bytes(ia, ib))
        .then_with(|| bytes(fa, fb));
    match (na, nb) {
        (false, false) => mag,
        (true, true) => mag.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

/// find_unit_order(): the suffix after the number (K=1 ... Y=8), negated
/// for negative numbers; 0 for a zero.
fn human_order(s: &[u8]) -> i32 {
    let mut i = 0;
    while i < s.len() && blank(s[i]) {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if neg {
        i += 1;
    }
    let mut nonzero = false;
    while i < s.len() && (s[i].is_ascii_digit() || s[i] == b'.') {
        nonzero |= s[i].is_ascii_digit() && s[i] != b'0';
        i += 1;
    }
    let order = match s.get(i) {
        Some(b'K' | b'k') => 1,
        Some(b'M') => 2,
        Some(b'G') => 3,
        Some(b'T') => 4,
        Some(b'P') => 5,
        Some(b'E') => 6,
        Some(b'Z') => 7,
        Some(b'Y') => 8,
        _ => 0,
    };
    let order = if nonzero { order } else { 0 };
    if neg {
        -order
    } else {
        order
    }
}

/// strtod()'s longest numeric prefix (after blanks); None if there is none.
pub fn strtod_prefix(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    while i < s.len() && (s[i] as char).is_ascii_whitespace() {
        i += 1;
    }
    let st = i;
    if i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        i += 1;
    }
    let rest = String::from_utf8_lossy(&s[i..]).to_ascii_lowercase();
    for (w, v) in [
        ("infinity", f64::INFINITY),
        ("inf", f64::INFINITY),
        ("nan", f64::NAN),
    ] {
        if rest.starts_with(w) {
            let neg = s[st] == b'-';
            return Some((if neg { -v } else { v }, i + w.len()));
        }
    }
    if s.len() > i + 2 && s[i] == b'0' && (s[i + 1] | 0x20) == b'x' && s[i + 2].is_ascii_hexdigit()
    {
        let hs = i + 2;
        let mut j = hs;
        while j < s.len() && s[j].is_ascii_hexdigit() {
            j += 1;
        }
        let txt = std::str::from_utf8(&s[hs..j]).ok()?;
        let v = u128::from_str_radix(txt, 16).map_or(f64::INFINITY, |v| v as f64);
        return Some((if s[st] == b'-' { -v } else { v }, j));
    }
    let ds = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - ds;
    if i < s.len() && s[i] == b'.' {
        let f = i + 1;
        let mut j = f;
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        digits += j - f;
        if digits > 0 {
            i = j;
        }
    }
    if digits == 0 {
        return None;
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        let mut j = i + 1;
        if j < s.len() && (s[j] == b'-' || s[j] == b'+') {
            j += 1;
        }
        let es = j;
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        if j > es {
            i = j;
        }
    }
    let txt = std::str::from_utf8(&s[st..i]).ok()?;
    txt.parse::<f64>().ok().map(|v| (v, i))
}

fn general_compare(a: &[u8], b: &[u8]) -> Ordering {
    match (strtod_prefix(a), strtod_prefix(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some((x, _)), Some((y, _))) => match x.partial_cmp(&y) {
            Some(o) => o,
            None if x.is_nan() && y.is_nan() => Ordering::Equal,
            None if x.is_nan() => Ordering::Less,
            None => Ordering::Greater,
        },
    }
}

fn month(s: &[u8]) -> usize {
    const M: [&[u8]; 12] = [
        b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV",
        b"DEC",
    ];
    let t: Vec<u8> = s
        .iter()
        .skip_while(|b| blank(**b))
        .take(3)
        .map(|b| b.to_ascii_uppercase())
        .collect();
    M.iter()
        .position(|m| *m == t.as_slice())
        .map_or(0, |i| i + 1)
}

/// gnulib's file_prefixlen(): the length without suffixes like `.tar.gz`.
fn file_prefixlen(s: &[u8]) -> usize {
    let n = s.len();
    let mut prefix = 0;
    let mut i = 0;
    loop {
        if i >= n {
            return prefix;
        }
        i += 1;
        prefix = i;
        while i + 1 < n && s[i] == b'.' && (s[i + 1].is_ascii_alphabetic() || s[i + 1] == b'~') {
            i += 2;
            while i < n && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
        }
    }
}

fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    fn order(s: &[u8], p: usize) -> i32 {
        match s.get(p) {
            None => -1,
            Some(c) if c.is_ascii_digit() => 0,
            Some(c) if c.is_ascii_alphabetic() => *c as i32,
            Some(b'~') => -2,
            Some(c) => 256 + *c as i32,
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let mut first = 0i32;
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (x, y) = (order(a, i), order(b, j));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        while i < a.len() && j < b.len() && a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            if first == 0 {
                first = a[i] as i32 - b[j] as i32;
            }
            i += 1;
            j += 1;
        }
        if i < a.len() && a[i].is_ascii_digit() {
            return Ordering::Greater;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            return Ordering::Less;
        }
        if first != 0 {
            return first.cmp(&0);
        }
    }
    Ordering::Equal
}

/// gnulib's filevercmp() (what -V and `ls -v` use).
pub fn filevercmp(a: &[u8], b: &[u8]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    if a[0] == b'.' {
        if b[0] != b'.' {
            return Ordering::Less;
        }
        let (ad, bd) = (a == b".", b == b".");
        if ad || bd {
            return bd.cmp(&ad);
        }
        let (add, bdd) = (a == b"..", b == b"..");
        if add || bdd {
            return bdd.cmp(&add);
        }
    } else if b[0] == b'.' {
        return Ordering::Greater;
    }
    let (ap, bp) = (file_prefixlen(a), file_prefixlen(b));
    let one_pass = ap == a.len() && bp == b.len();
    let r = verrevcmp(&a[..ap], &b[..bp]);
    if r != Ordering::Equal || one_pass {
        r
    } else {
        verrevcmp(a, b)
    }
}

pub fn sort(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "sort",
        short: "bcCdfghik:mMno:rRsS:t:T:uVy:z",
        long: &[
            ("ignore-leading-blanks", Has::No, 'b'),
            ("check", Has::Opt, 'c'),
            ("compress-program", Has::Req, 'P'),
            ("debug", Has::No, 'D'),
            ("dictionary-order", Has::No, 'd'),
            ("ignore-case", Has::No, 'f'),
            ("files0-from", Has::Req, 'F'),
            ("general-numeric-sort", Has::No, 'g'),
            ("ignore-nonprinting", Has::No, 'i'),
            ("key", Has::Req, 'k'),
            ("merge", Has::No, 'm'),
            ("month-sort", Has::No, 'M'),
            ("numeric-sort", Has::No, 'n'),
            ("human-numeric-sort", Has::No, 'h'),
            ("version-sort", Has::No, 'V'),
            ("random-sort", Has::No, 'R'),
            ("random-source", Has::Req, 'Q'),
            ("sort", Has::Req, 'W'),
            ("output", Has::Req, 'o'),
            ("reverse", Has::No, 'r'),
            ("stable", Has::No, 's'),
            ("batch-size", Has::Req, 'B'),
            ("buffer-size", Has::Req, 'S'),
            ("field-separator", Has::Req, 't'),
            ("temporary-directory", Has::Req, 'T'),
            ("unique", Has::No, 'u'),
            ("zero-terminated", Has::No, 'z'),
            ("parallel", Has::Req, 'p'),
        ],
        fail: 2,
    };
    let p = match args::parse_in_order(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let mut g = Key::default();
    let mut keys: Vec<Key> = vec![];
    let mut tab: Option<u8> = None;
    let (mut check, mut quiet, mut stable, mut unique, mut eol) =
        (false, false, false, false, b'\n');
    let mut output: Option<String> = None;
    for (k, v) in &p.opts {
        let v = v.clone().unwrap_or_default();
        match k {
            'b' | 'd' | 'f' | 'g' | 'h' | 'i' | 'M' | 'n' | 'R' | 'r' | 'V' => {
                g.set(&k.to_string(), false);
                if *k == 'b' {
                    g.skipeblanks = true;
                }
            }
            'W' => {
                let words = [
                    "general-numeric",
                    "human-numeric",
                    "month",
                    "numeric",
                    "random",
                    "version",
                ];
                let m: Vec<&&str> = words.iter().filter(|w| w.starts_with(v.as_str())).collect();
                let pick = words.iter().find(|w| **w == v).or(if m.len() == 1 {
                    Some(m[0])
                } else {
                    None
                });
                match pick {
                    Some(w) => {
                        let l = ["g", "h", "M", "n", "R", "V"]
                            [words.iter().position(|x| x == w).unwrap_or(0)];
                        g.set(l, false);
                    }
                    None => {
                        let kind = if m.len() > 1 { "ambiguous" } else { "invalid" };
                        c.eprint(&format!(
                            "sort: {kind} argument {} for '--sort'\nValid arguments are:\n{}",
                            quote_c(&v),
                            words
                                .iter()
                                .map(|w| format!("  - '{w}'\n"))
                                .collect::<String>()
                        ));
                        return args::try_help(c, "sort", 2);
                    }
                }
            }
            'c' | 'C' => {
                check = true;
                quiet = *k == 'C' || matches!(v.as_str(), "quiet" | "silent");
            }
            'k' => match parse_key(&v) {
                Ok(key) => keys.push(key),
                Err(m) => {
                    c.eprint(&format!("sort: {m}\n"));
                    return 2;
                }
            },
            'o' => output = Some(v),
            'D' | 'F' => {
                let what = if *k == 'D' {
                    "--debug"
                } else {
                    "--files0-from"
                };
                c.eprint(&format!("vnet: sort {what} is not simulated yet\n"));
                return 2;
            }
            's' => stable = true,
            'u' => unique = true,
            'z' => eol = 0,
            't' => {
                let t = if v == "\\0" {
                    0
                } else if v.len() == 1 {
                    v.as_bytes()[0]
                } else if v.is_empty() {
                    c.eprint("sort: empty tab\n");
                    return 2;
                } else {
                    c.eprint(&format!("sort: multi-character tab {}\n", quote_c(&v)));
                    return 2;
                };
                if tab.is_some_and(|x| x != t) {
                    c.eprint("sort: incompatible tabs\n");
                    return 2;
                }
                tab = Some(t);
            }
            _ => {}
        }
    }
    if let Err(rc) = args::finish(c, &spec, &p) {
        return rc;
    }
    for k in keys.iter_mut() {
        if k.is_default() && !k.reverse {
            let (sw, sc, ew, ec) = (k.sword, k.schar, k.eword, k.echar);
            *k = g.clone();
            (k.sword, k.schar, k.eword, k.echar) = (sw, sc, ew, ec);
        }
    }
    if keys.is_empty() && !g.is_default() {
        keys.push(g.clone());
    }
    // Only the keys are checked; the global options count when they are the key.
    for k in &keys {
        if k.incompatible() {
            c.eprint(&format!("sort: options '-{}' are incompatible\n", k.opts()));
            return 2;
        }
    }
    let files = if p.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        p.operands.clone()
    };
    if check && files.len() > 1 {
        c.eprint(&format!(
            "sort: extra operand {} not allowed with -c\n",
            quote(&files[1])
        ));
        return 2;
    }
    let s = Sorter {
        keys,
        tab,
        stable,
        unique,
        reverse: g.reverse,
    };
    let mut datas = vec![];
    for f in &files {
        match input::read(c, f) {
            Ok(d) => datas.push(d),
            Err(e) => {
                // -c opens the file itself (xfopen): "open failed".
                let how = if e.raw_os_error() == Some(21)
                    || e.kind() == std::io::ErrorKind::IsADirectory
                {
                    "read failed"
                } else if check {
                    "open failed"
                } else {
                    "cannot read"
                };
                c.eprint(&format!("sort: {how}: {}: {}\n", quotef(f), errtext(&e)));
                return 2;
            }
        }
    }
    let mut lines: Vec<&[u8]> = vec![];
    for d in &datas {
        lines.extend(input::lines(d, eol));
    }
    if check {
        for i in 1..lines.len() {
            let o = s.compare(&s.line(lines[i - 1]), &s.line(lines[i]));
            if o == Ordering::Greater || (unique && o == Ordering::Equal) {
                if !quiet {
                    c.eprint(&format!("sort: {}:{}: disorder: ", files[0], i + 1));
                    c.err.extend_from_slice(lines[i]);
                    c.err.push(b'\n');
                }
                return 1;
            }
        }
        return 0;
    }
    if p.has('m') {
        // Merge: the inputs are taken as sorted; ties go to the earlier file.
        let mut heads: Vec<Vec<Line>> = datas
            .iter()
            .map(|d| {
                input::lines(d, eol)
                    .into_iter()
                    .map(|l| s.line(l))
                    .collect()
            })
            .collect();
        let mut idx = vec![0usize; heads.len()];
        let mut merged = Vec::with_capacity(lines.len());
        loop {
            let mut best: Option<usize> = None;
            for f in 0..heads.len() {
                if let Some(l) = heads[f].get(idx[f]) {
                    if best.is_none_or(|b| s.compare(l, &heads[b][idx[b]]) == Ordering::Less) {
                        best = Some(f);
                    }
                }
            }
            let Some(b) = best else { break };
            merged.push(heads[b][idx[b]].text);
            idx[b] += 1;
        }
        heads.clear();
        lines = merged;
    } else {
        let mut v: Vec<Line> = lines.iter().map(|l| s.line(l)).collect();
        v.sort_by(|a, b| s.compare(a, b));
        lines = v.into_iter().map(|l| l.text).collect();
    }
    if unique {
        lines.dedup_by(|b, a| s.compare(&s.line(a), &s.line(b)) == Ordering::Equal);
    }
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.push(eol);
    }
    // `-o -` names a file called `-`, as in coreutils.
    match output {
        Some(o) => {
            if let Err(e) = c.fs.write(&o, &out, false) {
                c.eprint(&format!(
                    "sort: open failed: {}: {}\n",
                    quotef(&o),
                    errtext(&e)
                ));
                return 2;
            }
        }
        None => c.out.extend_from_slice(&out),
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_as_numbers() {
        assert_eq!(numcompare(b"10", b"9"), Ordering::Greater);
        assert_eq!(numcompare(b"-10", b"-9"), Ordering::Less);
        assert_eq!(numcompare(b" 1.50", b"1.5"), Ordering::Equal);
        assert_eq!(numcompare(b"abc", b"0"), Ordering::Equal);
        assert_eq!(numcompare(b"-0", b"0"), Ordering::Equal);
        assert!(human_order(b"1K") < human_order(b"1M"));
    }

    #[test]
    fn versions() {
        assert_eq!(filevercmp(b"a2", b"a10"), Ordering::Less);
        assert_eq!(filevercmp(b"1.2.10", b"1.2.9"), Ordering::Greater);
        assert_eq!(filevercmp(b"a~1", b"a"), Ordering::Less);
        assert_eq!(filevercmp(b"foo.tar.gz", b"foo-1.tar.gz"), Ordering::Less);
    }

    #[test]
    fn key_errors() {
        assert_eq!(
            parse_key("0").unwrap_err(),
            "field number is zero: invalid field specification '0'"
        );
        assert_eq!(
            parse_key("2.a").unwrap_err(),
            "invalid number after '.': invalid count at start of 'a'"
        );
        let k = parse_key("2,3nr").unwrap();
        assert_eq!(
            (k.sword, k.eword, k.numeric, k.reverse),
            (Some(1), Some(2), true, true)
        );
    }
}
