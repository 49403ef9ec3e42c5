//! expr as coreutils 9.1 evaluates it: `|` `&`, comparisons (numeric when
//! both sides are integers), `+ - * / %`, `STRING : REGEX` (an anchored
//! BRE, matched here by a small backtracking matcher), match, substr,
//! index, length, `+ TOKEN`, parentheses. Exit 0 for a non-null result, 1
//! for null or 0, 2 for a usage or syntax error. Integers are 128-bit
//! (GNU's are unbounded).

use crate::input::quote_c;
use crate::Ctx;

#[derive(Clone, Debug)]
enum Val {
    Int(i128),
    Str(String),
}

impl Val {
    fn text(&self) -> String {
        match self {
            Val::Int(i) => i.to_string(),
            Val::Str(s) => s.clone(),
        }
    }
    fn null(&self) -> bool {
        match self {
            Val::Int(i) => *i == 0,
            Val::Str(s) => {
                let t = s.strip_prefix('-').unwrap_or(s);
                s.is_empty() || (!t.is_empty() && t.bytes().all(|b| b == b'0'))
            }
        }
    }
    fn int(&self) -> Option<i128> {
        match self {
            Val::Int(i) => Some(*i),
            Val::Str(s) => looks_int(s).then(|| s.parse().ok()).flatten(),
        }
    }
}

fn looks_int(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

/// An error and the exit status it carries.
struct Fail(String, i32);

fn syntax(m: String) -> Fail {
    Fail(format!("syntax error: {m}"), 2)
}

struct P<'a> {
    args: &'a [String],
    i: usize,
    depth: usize,
}

impl P<'_> {
    fn peek(&self, s: &str) -> bool {
        self.args.get(self.i).is_some_and(|a| a == s)
    }
    fn next_is(&mut self, s: &str) -> bool {
        if self.peek(s) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn need_more(&self) -> Result<(), Fail> {
        if self.i >= self.args.len() {
            let prev = self
                .args
                .get(self.i.wrapping_sub(1))
                .cloned()
                .unwrap_or_default();
            return Err(syntax(format!("missing argument after {}", quote_c(&prev))));
        }
        Ok(())
    }
    fn eval(&mut self) -> Result<Val, Fail> {
        self.depth += 1;
        if self.depth > 200 {
            return Err(Fail("expression too deeply nested".into(), 2));
        }
        let mut l = self.and()?;
        while self.next_is("|") {
            let r = self.and()?;
            if l.null() {
                l = if r.null() { Val::Int(0) } else { r };
            }
        }
        self.depth -= 1;
        Ok(l)
    }
    fn and(&mut self) -> Result<Val, Fail> {
        let mut l = self.cmp()?;
        while self.next_is("&") {
            let r = self.cmp()?;
            if l.null() || r.null() {
                l = Val::Int(0);
            }
        }
        Ok(l)
    }
    fn cmp(&mut self) -> Result<Val, Fail> {
        let mut l = self.add()?;
        loop {
            let op = ["<", "<=", "=", "==", "!=", ">=", ">"]
                .into_iter()
                .find(|o| self.peek(o));
            let Some(op) = op else { return Ok(l) };
            self.i += 1;
            let r = self.add()?;
            let o = match (l.int(), r.int()) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => l.text().as_bytes().cmp(r.text().as_bytes()),
            };
            use std::cmp::Ordering::*;
            let t = match op {
                "<" => o == Less,
                "<=" => o != Greater,
                "=" | "==" => o == Equal,
                "!=" => o != Equal,
                ">=" => o != Less,
                _ => o == Greater,
            };
            l = Val::Int(t as i128);
        }
    }
    fn add(&mut self) -> Result<Val, Fail> {
        let mut l = self.mul()?;
        loop {
            let plus = if self.next_is("+") {
                true
            } else if self.next_is("-") {
                false
            } else {
                return Ok(l);
            };
            let r = self.mul()?;
            let (Some(a), Some(b)) = (l.int(), r.int()) else {
                return Err(Fail("non-integer argument".into(), 2));
            };
            let v = if plus {
                a.checked_add(b)
            } else {
                a.checked_sub(b)
            };
            l = Val::Int(v.ok_or_else(|| Fail("result too large".into(), 2))?);
        }
    }
    fn mul(&mut self) -> Result<Val, Fail> {
        let mut l = self.matching()?;
        loop {
            let op = ["*", "/", "%"].into_iter().find(|o| self.peek(o));
            let Some(op) = op else { return Ok(l) };
            self.i += 1;
            let r = self.matching()?;
            let (Some(a), Some(b)) = (l.int(), r.int()) else {
                return Err(Fail("non-integer argument".into(), 2));
            };
            if op != "*" && b == 0 {
                return Err(Fail("division by zero".into(), 2));
            }
            let v = match op {
                "*" => a.checked_mul(b),
                "/" => a.checked_div(b),
                _ => a.checked_rem(b),
            };
            l = Val::Int(v.ok_or_else(|| Fail("result too large".into(), 2))?);
        }
    }
    fn matching(&mut self) -> Result<Val, Fail> {
        let mut l = self.prim()?;
        while self.next_is(":") {
            let r = self.prim()?;
            l = do_match(&l.text(), &r.text())?;
        }
        Ok(l)
    }
    fn prim(&mut self) -> Result<Val, Fail> {
        self.need_more()?;
        if self.next_is("+") {
            self.need_more()?;
            self.i += 1;
            return Ok(Val::Str(self.args[self.i - 1].clone()));
        }
        if self.next_is("length") {
            let s = self.prim()?.text();
            return Ok(Val::Int(s.len() as i128));
        }
        if self.next_is("match") {
            let s = self.prim()?.text();
            let r = self.prim()?.text();
            return do_match(&s, &r);
        }
        if self.next_is("index") {
            let s = self.prim()?.text();
            let chars = self.prim()?.text();
            let pos = s.bytes().position(|b| chars.as_bytes().contains(&b));
            return Ok(Val::Int(pos.map_or(0, |p| p as i128 + 1)));
        }
        if self.next_is("substr") {
            let s = self.prim()?.text();
            let pos = self.prim()?.int();
            let len = self.prim()?.int();
            return Ok(Val::Str(match (pos, len) {
                (Some(p), Some(l)) if p >= 1 && l >= 1 && (p as usize) <= s.len() => {
                    let st = p as usize - 1;
                    let end = st
                        .saturating_add(l.min(usize::MAX as i128) as usize)
                        .min(s.len());
                    String::from_utf8_lossy(&s.as_bytes()[st..end]).into_owned()
                }
                _ => String::new(),
            }));
        }
        if self.next_is("(") {
            let v = self.eval()?;
            match self.args.get(self.i) {
                Some(a) if a == ")" => {
                    self.i += 1;
                    Ok(v)
                }
                Some(a) => Err(syntax(format!("expecting ')' instead of {}", quote_c(a)))),
                None => Err(syntax(format!(
                    "expecting ')' after {}",
                    quote_c(&self.args[self.i - 1])
                ))),
            }
        } else if self.next_is(")") {
            Err(syntax("unexpected ')'".into()))
        } else {
            self.i += 1;
            Ok(Val::Str(self.args[self.i - 1].clone()))
        }
    }
}

fn do_match(s: &str, re: &str) -> Result<Val, Fail> {
    let r = bre::Re::parse(re).map_err(|m| Fail(m, 2))?;
    Ok(match r.match_start(s.as_bytes()) {
        Some((_, caps)) if r.groups > 0 => Val::Str(match caps.first().copied().flatten() {
            Some((a, b)) => String::from_utf8_lossy(&s.as_bytes()[a..b]).into_owned(),
            None => String::new(),
        }),
        Some((end, _)) => Val::Int(end as i128),
        None if r.groups > 0 => Val::Str(String::new()),
        None => Val::Int(0),
    })
}

pub fn expr(c: &mut Ctx, argv: &[String]) -> i32 {
    let mut args = argv;
    match args.first().map(String::as_str) {
        Some("--help") => {
            c.print("Usage: expr EXPRESSION\n  or:  expr OPTION\n");
            return 0;
        }
        Some("--version") => {
            c.print("expr (GNU coreutils) 9.1\n");
            return 0;
        }
        Some("--") => args = &args[1..],
        _ => {}
    }
    if args.is_empty() {
        c.eprint("expr: missing operand\n");
        return crate::args::try_help(c, "expr", 2);
    }
    let mut p = P {
        args,
        i: 0,
        depth: 0,
    };
    let r = p.eval().and_then(|v| match args.get(p.i) {
        Some(a) => Err(syntax(format!("unexpected argument {}", quote_c(a)))),
        None => Ok(v),
    });
    match r {
        Ok(v) => {
            c.print(&format!("{}\n", v.text()));
            i32::from(v.null())
        }
        Err(Fail(m, rc)) => {
            c.eprint(&format!("expr: {m}\n"));
            rc
        }
    }
}

/// A POSIX basic regular expression matcher, anchored at the start, for
/// expr's `:`: `.`, `[...]`, `*`, `\{m,n\}`, `\(\)`, back-references, `^`
/// and `$` anchors, and GNU's `\+`, `\?`, `\|`.
mod bre {
    #[derive(Debug, Clone)]
    enum Atom {
        Byte(u8),
        Any,
        Set(Box<[bool; 256]>),
        Group(usize, Vec<Vec<Piece>>),
        Backref(usize),
        Bol,
        Eol,
    }

    #[derive(Debug, Clone)]
    struct Piece {
        atom: Atom,
        min: usize,
        max: usize,
    }

    pub struct Re {
        alts: Vec<Vec<Piece>>,
        pub groups: usize,
    }

    type Caps = Vec<Option<(usize, usize)>>;

    use std::cell::Cell;

    const MAX_STEPS: u32 = 1_000_000;
    /// Repetitions of one piece (each is a stack frame).
    const MAX_REPEAT: usize = 1000;

    impl Re {
        pub fn parse(s: &str) -> Result<Re, String> {
            let b = s.as_bytes();
            let mut i = 0;
            let mut groups = 0;
            let alts = parse_alts(b, &mut i, &mut groups, 0)?;
            if i < b.len() {
                return Err("Unmatched ) or \\)".into());
            }
            Ok(Re { alts, groups })
        }

        /// The end of the longest-first match at 0 and group 1..n spans.
        pub fn match_start(&self, s: &[u8]) -> Option<(usize, Caps)> {
            let mut caps: Caps = vec![None; self.groups];
            let steps = Cell::new(0);
            let g = Atom::Group(usize::MAX, self.alts.clone());
            let piece = Piece {
                atom: g,
                min: 1,
                max: 1,
            };
            let mut end = None;
            // POSIX wants the longest match: try every way (bounded).
            m_seq(
                std::slice::from_ref(&piece),
                s,
                0,
                &mut caps,
                &steps,
                &mut |p, _| {
                    end = end.max(Some(p));
                    false
                },
            );
            // Re-run to collect the captures of that match.
            let end = end?;
            let mut caps2: Caps = vec![None; self.groups];
            steps.set(0);
            let mut out = None;
            m_seq(
                std::slice::from_ref(&piece),
                s,
                0,
                &mut caps2,
                &steps,
                &mut |p, c| {
                    if p == end {
                        out = Some(c.clone());
                        true
                    } else {
                        false
                    }
                },
            );
            Some((end, out.unwrap_or(caps)))
        }
    }

    fn parse_alts(
        b: &[u8],
        i: &mut usize,
        groups: &mut usize,
        depth: usize,
    ) -> Result<Vec<Vec<Piece>>, String> {
        if depth > 50 {
            return Err("Regular expression too big".into());
        }
        let mut alts = vec![];
        let mut seq: Vec<Piece> = vec![];
        while *i < b.len() {
            let c = b[*i];
            if c == b'\\' && b.get(*i + 1) == Some(&b')') {
                break;
            }
            if c == b'\\' && b.get(*i + 1) == Some(&b'|') {
                *i += 2;
                alts.push(std::mem::take(&mut seq));
                continue;
            }
            // Repetition operators apply to the previous piece.
            let rep = match (c, b.get(*i + 1)) {
                (b'*', _) if !seq.is_empty() => Some((0, usize::MAX, 1)),
                (b'\\', Some(b'+')) if !seq.is_empty() => Some((1, usize::MAX, 2)),
                (b'\\', Some(b'?')) if !seq.is_empty() => Some((0, 1, 2)),
                (b'\\', Some(b'{')) if !seq.is_empty() => {
                    let rest = &b[*i + 2..];
                    let close = rest
                        .windows(2)
                        .position(|w| w == b"\\}")
                        .ok_or("Unmatched \\{")?;
                    let body = std::str::from_utf8(&rest[..close])
                        .map_err(|_| "Invalid content of \\{\\}")?;
                    let (lo, hi) = match body.split_once(',') {
                        Some((a, "")) => (a.parse().ok(), Some(usize::MAX)),
                        Some((a, z)) => (a.parse().ok(), z.parse().ok()),
                        None => (body.parse().ok(), body.parse().ok()),
                    };
                    match (lo, hi) {
                        (Some(lo), Some(hi)) if lo <= hi && lo <= 255 => {
                            Some((lo, hi, 2 + close + 2))
                        }
                        _ => return Err("Invalid content of \\{\\}".into()),
                    }
                }
                _ => None,
            };
            if let Some((lo, hi, len)) = rep {
                if let Some(last) = seq.last_mut() {
                    last.min = last.min.saturating_mul(lo).min(255);
                    last.max = if last.max == 1 { hi } else { usize::MAX };
                }
                *i += len;
                continue;
            }
            let atom = match c {
                b'.' => {
                    *i += 1;
                    Atom::Any
                }
                b'^' if seq.is_empty() => {
                    *i += 1;
                    Atom::Bol
                }
                b'$' if *i + 1 == b.len()
                    || b[*i + 1..].starts_with(b"\\)")
                    || b[*i + 1..].starts_with(b"\\|") =>
                {
                    *i += 1;
                    Atom::Eol
                }
                b'[' => {
                    *i += 1;
                    Atom::Set(Box::new(parse_set(b, i)?))
                }
                b'\\' => {
                    let Some(&n) = b.get(*i + 1) else {
                        return Err("Trailing backslash".into());
                    };
                    *i += 2;
                    match n {
                        b'(' => {
                            *groups += 1;
                            let g = *groups - 1;
                            let inner = parse_alts(b, i, groups, depth + 1)?;
                            if !b[*i..].starts_with(b"\\)") {
                                return Err("Unmatched ( or \\(".into());
                            }
                            *i += 2;
                            Atom::Group(g, inner)
                        }
                        b'1'..=b'9' => {
                            let k = (n - b'1') as usize;
                            if k >= *groups {
                                return Err("Invalid back reference".into());
                            }
                            Atom::Backref(k)
                        }
                        b'n' => Atom::Byte(b'\n'),
                        x => Atom::Byte(x),
                    }
                }
                x => {
                    *i += 1;
                    Atom::Byte(x)
                }
            };
            seq.push(Piece {
                atom,
                min: 1,
                max: 1,
            });
        }
        alts.push(seq);
        Ok(alts)
    }

    fn parse_set(b: &[u8], i: &mut usize) -> Result<[bool; 256], String> {
        let mut set = [false; 256];
        let neg = b.get(*i) == Some(&b'^');
        if neg {
            *i += 1;
        }
        let mut first = true;
        loop {
            let Some(&c) = b.get(*i) else {
                return Err("Unmatched [, [^, [:, [., or [=".into());
            };
            if c == b']' && !first {
                *i += 1;
                break;
            }
            first = false;
            if c == b'[' && b.get(*i + 1) == Some(&b':') {
                let rest = &b[*i + 2..];
                let end = rest
                    .windows(2)
                    .position(|w| w == b":]")
                    .ok_or("Unmatched [, [^, [:, [., or [=")?;
                let name = String::from_utf8_lossy(&rest[..end]).to_string();
                for x in 0..=255u8 {
                    let hit = match name.as_str() {
                        "alpha" => x.is_ascii_alphabetic(),
                        "digit" => x.is_ascii_digit(),
                        "alnum" => x.is_ascii_alphanumeric(),
                        "upper" => x.is_ascii_uppercase(),
                        "lower" => x.is_ascii_lowercase(),
                        "space" => b" \t\n\r\x0b\x0c".contains(&x),
                        "blank" => x == b' ' || x == b'\t',
                        "punct" => x.is_ascii_punctuation(),
                        "print" => (0x20..0x7f).contains(&x),
                        "graph" => x.is_ascii_graphic(),
                        "cntrl" => x.is_ascii_control(),
                        "xdigit" => x.is_ascii_hexdigit(),
                        _ => return Err("Invalid character class name".into()),
                    };
                    set[x as usize] |= hit;
                }
                *i += 2 + end + 2;
                continue;
            }
            if b.get(*i + 1) == Some(&b'-') && b.get(*i + 2).is_some_and(|&e| e != b']') {
                let e = b[*i + 2];
                if e < c {
                    return Err("Invalid range end".into());
                }
                for x in c..=e {
                    set[x as usize] = true;
                }
                *i += 3;
                continue;
            }
            set[c as usize] = true;
            *i += 1;
        }
        if neg {
            for v in set.iter_mut() {
                *v = !*v;
            }
        }
        Ok(set)
    }

    /// Matches `seq` at `pos`, calling `k` with each end position (longest
    /// alternatives first); true from `k` stops the search.
    fn m_seq(
        seq: &[Piece],
        s: &[u8],
        pos: usize,
        caps: &mut Caps,
        steps: &Cell<u32>,
        k: &mut dyn FnMut(usize, &Caps) -> bool,
    ) -> bool {
        steps.set(steps.get() + 1);
        if steps.get() > MAX_STEPS {
            return false;
        }
        let Some((p, rest)) = seq.split_first() else {
            return k(pos, caps);
        };
        m_rep(p, 0, rest, s, pos, caps, steps, k)
    }

    #[allow(clippy::too_many_arguments)]
    fn m_rep(
        p: &Piece,
        count: usize,
        rest: &[Piece],
        s: &[u8],
        pos: usize,
        caps: &mut Caps,
        steps: &Cell<u32>,
        k: &mut dyn FnMut(usize, &Caps) -> bool,
    ) -> bool {
        steps.set(steps.get() + 1);
        if steps.get() > MAX_STEPS || count > s.len().min(MAX_REPEAT) {
            return false;
        }
        // Greedy: one more first, then stop here.
        if count < p.max {
            let done = m_atom(&p.atom, s, pos, caps, steps, &mut |np, c| {
                if np == pos && count >= p.min {
                    return false; // an empty iteration would loop
                }
                let mut c2 = c.clone();
                m_rep(p, count + 1, rest, s, np, &mut c2, steps, k)
            });
            if done {
                return true;
            }
        }
        count >= p.min && m_seq(rest, s, pos, caps, steps, k)
    }

    fn m_atom(
        a: &Atom,
        s: &[u8],
        pos: usize,
        caps: &mut Caps,
        steps: &Cell<u32>,
        k: &mut dyn FnMut(usize, &Caps) -> bool,
    ) -> bool {
        match a {
            Atom::Byte(b) => s.get(pos) == Some(b) && k(pos + 1, caps),
            Atom::Any => pos < s.len() && k(pos + 1, caps),
            Atom::Set(set) => s.get(pos).is_some_and(|&c| set[c as usize]) && k(pos + 1, caps),
            Atom::Bol => pos == 0 && k(pos, caps),
            Atom::Eol => pos == s.len() && k(pos, caps),
            Atom::Backref(g) => match caps.get(*g).copied().flatten() {
                Some((x, y)) => {
                    let t = &s[x..y];
                    s[pos..].starts_with(t) && k(pos + t.len(), caps)
                }
                None => false,
            },
            Atom::Group(g, alts) => {
                for alt in alts {
                    let saved = caps.clone();
                    let hit = m_seq(alt, s, pos, caps, steps, &mut |end, c| {
                        let mut c2 = c.clone();
                        if let Some(slot) = c2.get_mut(*g) {
                            *slot = Some((pos, end));
                        }
                        k(end, &c2)
                    });
                    if hit {
                        return true;
                    }
                    *caps = saved;
                }
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vnet_fs::MemFs;

    fn run(a: &[&str]) -> (String, i32) {
        let mut fs = MemFs::new();
        let mut c = Ctx::new(&mut fs, None);
        let v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        let rc = expr(&mut c, &v);
        (
            String::from_utf8_lossy(&c.out).into_owned() + &String::from_utf8_lossy(&c.err),
            rc,
        )
    }

    #[test]
    fn arithmetic_and_matching() {
        assert_eq!(run(&["1", "+", "2", "*", "3"]), ("7\n".into(), 0));
        assert_eq!(run(&["abc", ":", "a.c"]), ("3\n".into(), 0));
        assert_eq!(run(&["abc", ":", "a\\(.*\\)"]), ("bc\n".into(), 0));
        assert_eq!(run(&["abc", ":", "b"]), ("0\n".into(), 1));
        assert_eq!(run(&["aaa", ":", "a\\{2\\}"]), ("2\n".into(), 0));
        assert_eq!(
            run(&["x", "+", "1"]),
            ("expr: non-integer argument\n".into(), 2)
        );
        assert_eq!(run(&["1", "2"]).1, 2);
    }
}
