//! The backtracking matcher: for patterns with back-references, which
//! the `regex` crate cannot run, and for the groups of a longest match.
//! It compiles the pattern tree to a small program and explores every
//! path from a start for the longest match, within a step budget.

use super::{Captures, Item, Node, Options, Set, A};

/// Steps one search may take (over all its start positions): past it,
/// a start settles for the best match found so far, or the search
/// gives up (reports no match) — a bound GNU does not have.
const BUDGET: usize = 2_000_000;
const MAX_INSTS: usize = 100_000;

enum Inst {
    Lit(char),
    Any,
    Set(Set),
    Assert(A),
    /// Try the next instruction, then (on failure) the target.
    Split(usize),
    Jmp(usize),
    Save(usize),
    Backref(usize),
    /// Loop entry: remember where the iteration starts.
    Mark(usize),
    /// Loop end: fail an iteration that matched nothing.
    Progress(usize),
    Match,
}

pub struct Prog {
    insts: Vec<Inst>,
    slots: usize,
    marks: usize,
    icase: bool,
    multiline: bool,
}

pub fn compile(root: &Node, groups: usize, opts: &Options) -> Result<Prog, String> {
    let mut p = Prog {
        insts: Vec::new(),
        slots: 2 * (groups + 1),
        marks: 0,
        icase: opts.icase,
        multiline: opts.multiline,
    };
    p.insts.push(Inst::Save(0));
    p.node(root)?;
    p.insts.push(Inst::Save(1));
    p.insts.push(Inst::Match);
    Ok(p)
}

impl Prog {
    fn push(&mut self, i: Inst) -> Result<usize, String> {
        if self.insts.len() >= MAX_INSTS {
            return Err("Regular expression too big".into());
        }
        self.insts.push(i);
        Ok(self.insts.len() - 1)
    }

    fn node(&mut self, n: &Node) -> Result<(), String> {
        match n {
            Node::Lit(c) => {
                self.push(Inst::Lit(*c))?;
            }
            Node::Any => {
                self.push(Inst::Any)?;
            }
            Node::Set(s) => {
                self.push(Inst::Set(s.clone()))?;
            }
            Node::Assert(a) => {
                self.push(Inst::Assert(*a))?;
            }
            Node::Backref(k) => {
                self.push(Inst::Backref(*k))?;
            }
            Node::Group(x, k) => {
                self.push(Inst::Save(2 * k))?;
                self.node(x)?;
                self.push(Inst::Save(2 * k + 1))?;
            }
            Node::Cat(v) => {
                for x in v {
                    self.node(x)?;
                }
            }
            Node::Alt(v) => {
                let mut jumps = Vec::new();
                for (i, x) in v.iter().enumerate() {
                    if i + 1 < v.len() {
                        let split = self.push(Inst::Split(0))?;
                        self.node(x)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.insts.len();
                        self.insts[split] = Inst::Split(next);
                    } else {
                        self.node(x)?;
                    }
                }
                let end = self.insts.len();
                for j in jumps {
                    self.insts[j] = Inst::Jmp(end);
                }
            }
            Node::Rep(x, min, max) => {
                for _ in 0..*min {
                    self.node(x)?;
                }
                match max {
                    None => {
                        let mark = self.marks;
                        self.marks += 1;
                        let top = self.push(Inst::Split(0))?;
                        self.push(Inst::Mark(mark))?;
                        self.node(x)?;
                        self.push(Inst::Progress(mark))?;
                        self.push(Inst::Jmp(top))?;
                        let end = self.insts.len();
                        self.insts[top] = Inst::Split(end);
                    }
                    Some(m) => {
                        let mut splits = Vec::new();
                        for _ in *min..*m {
                            splits.push(self.push(Inst::Split(0))?);
                            self.node(x)?;
                        }
                        let end = self.insts.len();
                        for s in splits {
                            self.insts[s] = Inst::Split(end);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The leftmost-longest match at or after `start`.
    pub fn search(&self, hay: &[u8], start: usize) -> Option<Captures> {
        let mut s = start;
        let mut steps = 0usize;
        while s <= hay.len() && steps < BUDGET {
            if let Some(c) = self.run(hay, s, &mut steps) {
                return Some(c);
            }
            s += 1;
            while s < hay.len() && (hay[s] & 0xC0) == 0x80 {
                s += 1;
            }
        }
        None
    }

    /// The longest match starting exactly at `s`.
    pub fn at(&self, hay: &[u8], s: usize) -> Option<Captures> {
        self.run(hay, s, &mut 0)
    }

    /// [`Prog::at`], counting its steps into `steps`.
    fn run(&self, hay: &[u8], s: usize, steps: &mut usize) -> Option<Captures> {
        struct St {
            pc: usize,
            pos: usize,
            slots: Vec<Option<usize>>,
            marks: Vec<usize>,
        }
        let mut stack = vec![St {
            pc: 0,
            pos: s,
            slots: vec![None; self.slots],
            marks: vec![0; self.marks],
        }];
        let mut best: Option<Vec<Option<usize>>> = None;
        'outer: while let Some(mut st) = stack.pop() {
            loop {
                *steps += 1;
                if *steps > BUDGET {
                    break 'outer;
                }
                let Some(inst) = self.insts.get(st.pc) else {
                    continue 'outer;
                };
                match inst {
                    Inst::Match => {
                        let better = match &best {
                            None => true,
                            Some(b) => st.slots[1] > b[1],
                        };
                        if better {
                            best = Some(st.slots.clone());
                        }
                        continue 'outer;
                    }
                    Inst::Lit(c) => match decode(hay, st.pos) {
                        Some((d, n)) if self.eq(*c, d) => {
                            st.pos += n;
                            st.pc += 1;
                        }
                        _ => continue 'outer,
                    },
                    Inst::Any => match decode(hay, st.pos) {
                        Some((_, n)) => {
                            st.pos += n;
                            st.pc += 1;
                        }
                        None => continue 'outer,
                    },
                    Inst::Set(set) => match decode(hay, st.pos) {
                        Some((d, n)) if self.in_set(set, d) => {
                            st.pos += n;
                            st.pc += 1;
                        }
                        _ => continue 'outer,
                    },
                    Inst::Assert(a) => {
                        if !self.assert(*a, hay, st.pos) {
                            continue 'outer;
                        }
                        st.pc += 1;
                    }
                    Inst::Split(alt) => {
                        stack.push(St {
                            pc: *alt,
                            pos: st.pos,
                            slots: st.slots.clone(),
                            marks: st.marks.clone(),
                        });
                        st.pc += 1;
                    }
                    Inst::Jmp(t) => st.pc = *t,
                    Inst::Save(k) => {
                        if let Some(x) = st.slots.get_mut(*k) {
                            *x = Some(st.pos);
                        }
                        st.pc += 1;
                    }
                    Inst::Mark(k) => {
                        if let Some(x) = st.marks.get_mut(*k) {
                            *x = st.pos;
                        }
                        st.pc += 1;
                    }
                    Inst::Progress(k) => {
                        if st.marks.get(*k) == Some(&st.pos) {
                            continue 'outer;
                        }
                        st.pc += 1;
                    }
                    Inst::Backref(k) => {
                        let (a, b) = match (st.slots.get(2 * k), st.slots.get(2 * k + 1)) {
                            (Some(Some(a)), Some(Some(b))) if a <= b => (*a, *b),
                            _ => continue 'outer,
                        };
                        let want = &hay[a..b];
                        let got = hay.get(st.pos..st.pos + want.len());
                        let same = match got {
                            Some(g) if self.icase => {
                                String::from_utf8_lossy(g).to_lowercase()
                                    == String::from_utf8_lossy(want).to_lowercase()
                            }
                            Some(g) => g == want,
                            None => false,
                        };
                        if !same {
                            continue 'outer;
                        }
                        st.pos += want.len();
                        st.pc += 1;
                    }
                }
            }
        }
        best.map(|b| {
            (0..self.slots / 2)
                .map(|g| match (b[2 * g], b[2 * g + 1]) {
                    (Some(x), Some(y)) if x <= y => Some((x, y)),
                    _ => None,
                })
                .collect()
        })
    }

    fn eq(&self, a: char, b: char) -> bool {
        a == b || (self.icase && fold(a) == fold(b))
    }

    fn in_set(&self, set: &Set, c: char) -> bool {
        let hit = |c: char| {
            set.items.iter().any(|it| match it {
                Item::Ch(x) => *x == c,
                Item::Range(a, b) => *a <= c && c <= *b,
                Item::Class(k) => class_has(k, c),
            })
        };
        let mut m = hit(c);
        if !m && self.icase {
            m = c.to_lowercase().any(hit) || c.to_uppercase().any(hit);
        }
        m != set.neg
    }

    fn assert(&self, a: A, hay: &[u8], pos: usize) -> bool {
        let before = prev(hay, pos);
        let after = decode(hay, pos).map(|(c, _)| c);
        let w = |c: Option<char>| c.is_some_and(is_word);
        match a {
            A::LineStart => pos == 0 || (self.multiline && before == Some('\n')),
            A::LineEnd => pos == hay.len() || (self.multiline && after == Some('\n')),
            A::BufStart => pos == 0,
            A::BufEnd => pos == hay.len(),
            A::WordB => w(before) != w(after),
            A::NotWordB => w(before) == w(after),
            A::WordStart => !w(before) && w(after),
            A::WordEnd => w(before) && !w(after),
            A::NotWordBefore => !w(before),
            A::NotWordAfter => !w(after),
        }
    }
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(super) fn class_has(k: &str, c: char) -> bool {
    match k {
        "alpha" => c.is_ascii_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_ascii_alphanumeric(),
        "upper" => c.is_ascii_uppercase(),
        "lower" => c.is_ascii_lowercase(),
        "space" => matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
        "blank" => matches!(c, ' ' | '\t'),
        "punct" => c.is_ascii_punctuation(),
        "print" => (' '..='~').contains(&c),
        "graph" => ('!'..='~').contains(&c),
        "cntrl" => c.is_ascii_control(),
        "xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

/// The character at `pos` and its length (an invalid byte is U+FFFD).
fn decode(hay: &[u8], pos: usize) -> Option<(char, usize)> {
    let b = *hay.get(pos)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let n = match b {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return Some(('\u{FFFD}', 1)),
    };
    match hay
        .get(pos..pos + n)
        .and_then(|s| std::str::from_utf8(s).ok())
    {
        Some(s) => s.chars().next().map(|c| (c, n)),
        None => Some(('\u{FFFD}', 1)),
    }
}

fn prev(hay: &[u8], pos: usize) -> Option<char> {
    if pos == 0 {
        return None;
    }
    let mut s = pos - 1;
    while s > 0 && pos - s < 4 && (hay[s] & 0xC0) == 0x80 {
        s -= 1;
    }
    match decode(hay, s) {
        Some((c, n)) if s + n == pos => Some(c),
        _ => Some('\u{FFFD}'),
    }
}
