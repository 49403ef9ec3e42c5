//! POSIX regular expressions as GNU grep and sed read them (BRE and ERE,
//! GNU flavour), run by the `regex` crate.
//!
//! Read first: POSIX `regcomp(3)` and the GNU grep manual's "Regular
//! Expressions" chapter. A pattern is parsed here into a small tree (so
//! GNU's context rules — `*` literal at the start of a BRE, `^` an anchor
//! only at the start of a BRE branch, `{` literal when not an interval in
//! a grep ERE — and its error messages are ours), then written out in the
//! `regex` crate's syntax.
//!
//! Use: `Regex::new(pattern, Flavor::Extended, icase)` (awk, grep -E),
//! or [`Regex::with_options`] for sed's escapes and flags and grep's
//! -w/-x; then [`Regex::is_match`], [`Regex::find_at`] and
//! [`Regex::captures_at`] on bytes. An error is GNU's message
//! (`Unmatched ( or \(`), to print after the tool's own prefix.
//!
//! Semantics that differ and how they are bridged:
//! - POSIX matches leftmost-*longest*, `regex` leftmost-*first* (`a|ab` on
//!   `ab` is `ab` for grep -o and sed s///, `a` for `regex`). The start is
//!   the same for both; the end is taken from a lazy DFA in "all matches"
//!   mode run anchored at that start, which reports the longest end. When
//!   that end is longer than `regex`'s, the groups (`\1`) come from the
//!   backtracker below, which takes the first longest path; POSIX's rule
//!   for sub-matches ("each group longest in turn") is not reproduced.
//! - Back-references (`\(a*\)\1`) are outside `regex`: patterns that use
//!   them run on a small backtracking matcher over the same tree, which
//!   explores every path for the longest match, within a step budget
//!   (past it a search settles for what it found, or fails).
//! - Character classes (`[[:alpha:]]`) are ASCII; `\w`, `\b`, `.` and case
//!   folding are Unicode, as in Debian's default C.UTF-8 locale (GNU in
//!   the C locale would treat bytes above 127 one by one).
//! - GNU grep parses with dfa.c but cuts -o matches with glibc: the two
//!   disagree on an ERE operator with nothing to repeat (`grep -oE '*a'`);
//!   here both follow dfa.c. See `Parser::operator` for the rules kept.

mod bt;

use regex_automata::hybrid::dfa as hdfa;
use regex_automata::{Anchored, Input, MatchKind};
use std::cell::RefCell;

/// Which POSIX syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// BRE (grep -G, sed): `\( \) \{ \} \| \+ \?` are operators.
    Basic,
    /// ERE (grep -E, sed -E, awk): `( ) { } | + ?` are operators.
    Extended,
}

/// How a pattern is read and matched, beyond its flavour.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Case-insensitive (`grep -i`, sed's `I` flag).
    pub icase: bool,
    /// sed's reading: `\n`, `\t`... are characters (also in brackets);
    /// a repetition operator at the start of an ERE is an error (grep
    /// warns and ignores it).
    pub sed: bool,
    /// sed's `M` flag: `^`/`$` also match after/before an embedded newline.
    pub multiline: bool,
    /// grep -w: the match must not touch a word character on either side.
    pub word: bool,
    /// grep -x: the match must be the whole haystack.
    pub line: bool,
}

/// A compiled pattern. Positions are byte offsets in the haystack.
pub struct Regex {
    engine: Engine,
    groups: usize,
    warnings: Vec<String>,
}

enum Engine {
    Fast(Box<Fast>),
    Backtrack(Box<bt::Prog>),
}

/// A pattern the `regex` crate runs.
struct Fast {
    re: regex::bytes::Regex,
    /// The same pattern in all-matches mode: the longest end at a start.
    longest: Option<(hdfa::DFA, RefCell<hdfa::Cache>)>,
    /// The backtracker, for the longest match where the DFA gives up
    /// (a Unicode word boundary next to non-ASCII text) and for the
    /// groups of a longest match that `regex` would not pick.
    slow: Option<bt::Prog>,
}

/// Capture spans: index 0 the whole match, then one per `\(`/`(`.
pub type Captures = Vec<Option<(usize, usize)>>;

impl Regex {
    /// Compiles `pattern`; the error is GNU's message (`Unmatched ( or \(`).
    pub fn new(pattern: &str, flavor: Flavor, icase: bool) -> Result<Regex, String> {
        let opts = Options {
            icase,
            ..Options::default()
        };
        Regex::with_options(pattern, flavor, &opts)
    }

    /// Compiles `pattern` with every option.
    pub fn with_options(pattern: &str, flavor: Flavor, opts: &Options) -> Result<Regex, String> {
        let (root, groups, has_backref, warnings) = parse(pattern, flavor, opts)?;
        build(root, groups, has_backref, warnings, opts)
    }

    /// One pattern matching where any of `patterns` does (grep's list of
    /// patterns), leftmost-longest over all; the first error in order.
    /// None when one has a back-reference (its groups are its own): the
    /// caller compiles them one by one.
    pub fn union(
        patterns: &[String],
        flavor: Flavor,
        opts: &Options,
    ) -> Result<Option<Regex>, String> {
        let mut roots = Vec::new();
        let mut warnings = Vec::new();
        let mut groups = 0;
        let mut backref = false;
        for p in patterns {
            let (root, g, b, w) = parse(p, flavor, opts)?;
            roots.push(root);
            warnings.extend(w);
            groups += g;
            backref |= b;
        }
        if backref {
            return Ok(None);
        }
        // Group numbers are per pattern; a union is only matched, never
        // asked for groups, so they may repeat.
        let root = if roots.len() == 1 {
            roots.pop().unwrap_or(Node::Cat(Vec::new()))
        } else {
            Node::Alt(roots)
        };
        build(root, groups, false, warnings, opts).map(Some)
    }

    /// Warnings GNU grep prints for the pattern (`* at start of expression`).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The number of groups (`\(`...`\)`), for `\N` checks in sed.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// Whether the pattern matches anywhere in `hay`.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        match &self.engine {
            Engine::Fast(f) => f.re.is_match(hay),
            Engine::Backtrack(p) => p.search(hay, 0).is_some(),
        }
    }

    /// The leftmost-longest match starting at or after `start`; `^`, `\<`...
    /// still see the bytes before `start`.
    pub fn find_at(&self, hay: &[u8], start: usize) -> Option<(usize, usize)> {
        match &self.engine {
            Engine::Fast(f) => {
                let m = f.re.find_at(hay, start)?;
                let end = f.longest_end(hay, m.start()).unwrap_or(m.end());
                Some((m.start(), end.max(m.end())))
            }
            Engine::Backtrack(p) => p.search(hay, start).map(|c| c[0].unwrap_or((0, 0))),
        }
    }

    /// Like [`Regex::find_at`], with the groups' spans.
    pub fn captures_at(&self, hay: &[u8], start: usize) -> Option<Captures> {
        match &self.engine {
            Engine::Fast(f) => {
                let caps = f.re.captures_at(hay, start)?;
                let mut out: Captures = (0..caps.len())
                    .map(|i| caps.get(i).map(|m| (m.start(), m.end())))
                    .collect();
                let (s, e) = out[0].unwrap_or((0, 0));
                if f.longest_end(hay, s).is_some_and(|le| le > e) {
                    if let Some(c) = f.slow.as_ref().and_then(|b| b.at(hay, s)) {
                        out = c;
                    }
                }
                Some(out)
            }
            Engine::Backtrack(p) => p.search(hay, start),
        }
    }
}

/// grep's warning for an operator with nothing before it.
fn warning(op: char) -> String {
    match op {
        '{' => "{...} at start of expression".into(),
        c => format!("{c} at start of expression"),
    }
}

/// Whether GNU grep hands the pattern to glibc's regex rather than its
/// dfa.c in a UTF-8 locale: word assertions and back-references.
fn needs_regcomp(p: &str) -> bool {
    let b = p.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'\\' {
            if matches!(b[i + 1], b'<' | b'>' | b'b' | b'B' | b'1'..=b'9') {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// A pattern's tree: (root with -w/-x applied, groups, back-references?,
/// warnings).
fn parse(
    pattern: &str,
    flavor: Flavor,
    opts: &Options,
) -> Result<(Node, usize, bool, Vec<String>), String> {
    let mut p = Parser {
        s: pattern.chars().collect(),
        i: 0,
        ere: flavor == Flavor::Extended,
        sed: opts.sed,
        groups: 0,
        closed: Vec::new(),
        open: 0,
        warnings: Vec::new(),
        has_backref: false,
        glibc: !opts.sed && needs_regcomp(pattern),
        skipped: false,
    };
    let mut root = p.parse_alt(0)?;
    if p.i < p.s.len() {
        // Only a BRE `\)` with no open group stops the top level.
        return Err("Unmatched ) or \\)".into());
    }
    if opts.word {
        root = Node::Cat(vec![
            Node::Assert(A::NotWordBefore),
            root,
            Node::Assert(A::NotWordAfter),
        ]);
    }
    if opts.line {
        root = Node::Cat(vec![
            Node::Assert(A::BufStart),
            root,
            Node::Assert(A::BufEnd),
        ]);
    }
    Ok((root, p.groups, p.has_backref, p.warnings))
}

/// Compiles a tree: the `regex` crate (with the longest-match helpers)
/// or, with back-references, the backtracker.
fn build(
    root: Node,
    groups: usize,
    has_backref: bool,
    warnings: Vec<String>,
    opts: &Options,
) -> Result<Regex, String> {
    let engine = if has_backref {
        Engine::Backtrack(Box::new(bt::compile(&root, groups, opts)?))
    } else {
        let mut src = String::from("(?s");
        if opts.icase {
            src.push('i');
        }
        if opts.multiline {
            src.push('m');
        }
        src.push(')');
        emit(&root, &mut src);
        let re = regex::bytes::RegexBuilder::new(&src)
            .size_limit(1 << 24)
            .build()
            .map_err(|_| "Regular expression too big".to_string())?;
        let (longest, slow) = if needs_longest(&root) {
            let dfa = hdfa::DFA::builder()
                .configure(
                    hdfa::DFA::config()
                        .match_kind(MatchKind::All)
                        .unicode_word_boundary(true),
                )
                .syntax(regex_automata::util::syntax::Config::new().utf8(false))
                .build(&src)
                .ok()
                .map(|d| {
                    let c = d.create_cache();
                    (d, RefCell::new(c))
                });
            (dfa, bt::compile(&root, groups, opts).ok())
        } else {
            (None, None)
        };
        Engine::Fast(Box::new(Fast { re, longest, slow }))
    };
    Ok(Regex {
        engine,
        groups,
        warnings,
    })
}

impl Fast {
    /// The longest end of a match starting at `start` (None: no way to
    /// tell; the caller keeps the leftmost-first end).
    fn longest_end(&self, hay: &[u8], start: usize) -> Option<usize> {
        if let Some((dfa, cache)) = &self.longest {
            if let Ok(mut cache) = cache.try_borrow_mut() {
                let input = Input::new(hay).range(start..).anchored(Anchored::Yes);
                if let Ok(m) = dfa.try_search_fwd(&mut cache, &input) {
                    return m.map(|m| m.offset());
                }
            }
        }
        let c = self.slow.as_ref()?.at(hay, start)?;
        c[0].map(|(_, e)| e)
    }
}

/// Whether leftmost-first and leftmost-longest can disagree on the end.
fn needs_longest(n: &Node) -> bool {
    match n {
        Node::Alt(_) | Node::Rep(..) => true,
        Node::Cat(v) => v.iter().any(needs_longest),
        Node::Group(x, _) => needs_longest(x),
        _ => false,
    }
}

/// Zero-width assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum A {
    LineStart,
    LineEnd,
    BufStart,
    BufEnd,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
    /// grep -w: no word character just before.
    NotWordBefore,
    /// grep -w: no word character just after.
    NotWordAfter,
}

#[derive(Debug, Clone)]
enum Item {
    Ch(char),
    Range(char, char),
    Class(&'static str),
}

#[derive(Debug, Clone)]
struct Set {
    neg: bool,
    items: Vec<Item>,
}

#[derive(Debug, Clone)]
enum Node {
    Lit(char),
    Any,
    Set(Set),
    Assert(A),
    Group(Box<Node>, usize),
    Backref(usize),
    Cat(Vec<Node>),
    Alt(Vec<Node>),
    Rep(Box<Node>, u32, Option<u32>),
}

/// GNU's RE_DUP_MAX: larger counts are "Regular expression too big".
const DUP_MAX: u32 = 32767;
/// Nesting of groups the parser accepts (its recursion bound).
const MAX_DEPTH: usize = 200;

const CLASSES: [&str; 12] = [
    "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "print", "graph",
    "cntrl", "xdigit",
];

struct Parser {
    s: Vec<char>,
    i: usize,
    ere: bool,
    sed: bool,
    groups: usize,
    /// Groups whose `)` has been read: the ones `\N` may name.
    closed: Vec<usize>,
    open: usize,
    warnings: Vec<String>,
    has_backref: bool,
    /// grep's pattern goes to glibc's regcomp rules (see `operator`).
    glibc: bool,
    /// `operator` just moved past an operator it skips.
    skipped: bool,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn peek2(&self) -> Option<char> {
        self.s.get(self.i + 1).copied()
    }
    fn at_alt(&self) -> bool {
        if self.ere {
            self.peek() == Some('|')
        } else {
            self.peek() == Some('\\') && self.peek2() == Some('|')
        }
    }
    fn at_close(&self) -> bool {
        if self.ere {
            self.peek() == Some(')') && self.open > 0
        } else {
            self.peek() == Some('\\') && self.peek2() == Some(')')
        }
    }

    fn parse_alt(&mut self, depth: usize) -> Result<Node, String> {
        if depth > MAX_DEPTH {
            return Err("Regular expression too big".into());
        }
        // A back-reference sees the groups closed before the alternation
        // and in its own branch only (glibc's completed_bkref_map).
        let before = self.closed.clone();
        let mut branches = vec![self.parse_branch(depth)?];
        let mut seen = self.closed.clone();
        while self.at_alt() {
            self.i += if self.ere { 1 } else { 2 };
            self.closed = before.clone();
            branches.push(self.parse_branch(depth)?);
            seen.extend(self.closed.iter().copied());
        }
        self.closed = seen;
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Cat(Vec::new()))
        } else {
            Node::Alt(branches)
        })
    }

    fn parse_branch(&mut self, depth: usize) -> Result<Node, String> {
        let mut items: Vec<Node> = Vec::new();
        loop {
            if self.i >= self.s.len() || self.at_alt() || self.at_close() {
                break;
            }
            if let Some((op, tlen)) = self.op_at() {
                if let Some(rep) = self.operator(&mut items, op, tlen)? {
                    let (min, max, len) = rep;
                    self.i += len;
                    if let Some(last) = items.pop() {
                        items.push(Node::Rep(Box::new(last), min, max));
                    }
                    continue;
                }
                if std::mem::take(&mut self.skipped) {
                    continue;
                }
            }
            let atom = self.atom(depth, items.is_empty())?;
            items.push(atom);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::Cat(Vec::new()))
        } else {
            Node::Cat(items)
        })
    }

    /// The repetition operator at `i`, if one is spelled there: `*`, `+`,
    /// `?` or `{`, and its length (`\+` is 2 in a BRE).
    fn op_at(&self) -> Option<(char, usize)> {
        let c = self.peek()?;
        if self.ere {
            return matches!(c, '*' | '+' | '?' | '{').then_some((c, 1));
        }
        match (c, self.peek2()) {
            ('*', _) => Some(('*', 1)),
            ('\\', Some(d @ ('+' | '?' | '{'))) => Some((d, 2)),
            _ => None,
        }
    }

    /// What an operator does where it stands: Some(repetition) to apply
    /// to the last item; None when it is read as a literal (the caller
    /// goes on to the atom) or skipped (`self.skipped`, moved past).
    ///
    /// Where nothing precedes that it could repeat, GNU's two parsers
    /// differ. grep's dfa.c asks whether only zero-width items precede it
    /// in the branch: a BRE operator is then literal, an ERE one warned
    /// about ("* at start of expression") and applied. glibc's regcomp
    /// (sed; grep too for patterns with `\<`, `\b` or back-references,
    /// which dfa.c leaves to it) asks whether the item just before is an
    /// anchor or there is none: sed then refuses ERE operators and a BRE
    /// `\{`, and reads other BRE ones literally; grep skips ERE ones and
    /// reads BRE ones literally. sed's BRE also refuses `*` or `\{` right
    /// after another repetition.
    fn operator(
        &mut self,
        items: &mut [Node],
        op: char,
        tlen: usize,
    ) -> Result<Option<(u32, Option<u32>, usize)>, String> {
        const BADRPT: &str = "Invalid preceding regular expression";
        let laststart = items.iter().all(|n| matches!(n, Node::Assert(_)));
        let after_anchor = matches!(items.last(), None | Some(Node::Assert(_)));
        let glibc = self.sed || self.glibc;
        let rep = |s: &mut Self| -> Result<Option<(u32, Option<u32>, usize)>, String> {
            match op {
                '*' => Ok(Some((0, None, tlen))),
                '+' => Ok(Some((1, None, tlen))),
                '?' => Ok(Some((0, Some(1), tlen))),
                _ => s.interval(s.i + tlen),
            }
        };
        if self.sed
            && !self.ere
            && matches!(op, '*' | '{')
            && matches!(items.last(), Some(Node::Rep(..)))
        {
            return Err(BADRPT.into());
        }
        if !self.ere {
            let start = if glibc { after_anchor } else { laststart };
            if start {
                if self.sed && op == '{' {
                    return Err(BADRPT.into());
                }
                return Ok(None); // a literal
            }
            return rep(self);
        }
        if self.sed && after_anchor {
            return Err(BADRPT.into());
        }
        if self.glibc && after_anchor {
            // regcomp skips the operator (just the `{` of an interval).
            self.i += 1;
            self.skipped = true;
            if laststart {
                self.warnings.push(warning(op));
            }
            return Ok(None);
        }
        let r = rep(self)?;
        if r.is_some() && laststart {
            self.warnings.push(warning(op));
        }
        Ok(r)
    }

    /// `{m,n}` whose body starts at `at`.
    fn interval(&mut self, at: usize) -> Result<Option<(u32, Option<u32>, usize)>, String> {
        let mut j = at;
        let num = |j: &mut usize, s: &[char]| -> Option<u64> {
            let st = *j;
            let mut v: u64 = 0;
            while *j < s.len() && s[*j].is_ascii_digit() {
                v = (v * 10 + s[*j] as u64 - '0' as u64).min(1 << 40);
                *j += 1;
            }
            (*j > st).then_some(v)
        };
        let min = num(&mut j, &self.s);
        let mut max = min;
        let mut comma = false;
        if self.s.get(j) == Some(&',') {
            comma = true;
            j += 1;
            max = num(&mut j, &self.s);
        }
        let close_len = if self.ere {
            (self.s.get(j) == Some(&'}')).then_some(1)
        } else {
            (self.s.get(j) == Some(&'\\') && self.s.get(j + 1) == Some(&'}')).then_some(2)
        };
        let valid = close_len.is_some() && (min.is_some() || (comma && self.ere));
        if !valid {
            if self.ere && !self.sed {
                return Ok(None); // a literal `{` (grep's RE_INVALID_INTERVAL_ORD)
            }
            let rest: String = self.s[at..].iter().collect();
            let close = if self.ere { "}" } else { "\\}" };
            return Err(if rest.contains(close) {
                "Invalid content of \\{\\}".into()
            } else {
                "Unmatched \\{".into()
            });
        }
        let min = min.unwrap_or(0);
        let max = if comma { max } else { Some(min) };
        if let Some(mx) = max {
            if mx < min {
                return Err("Invalid content of \\{\\}".into());
            }
        }
        if min > DUP_MAX as u64 || max.is_some_and(|m| m > DUP_MAX as u64) {
            return Err("Regular expression too big".into());
        }
        let len = j + close_len.unwrap_or(1) - self.i;
        Ok(Some((min as u32, max.map(|m| m as u32), len)))
    }

    fn atom(&mut self, depth: usize, branch_start: bool) -> Result<Node, String> {
        let c = self.s[self.i];
        self.i += 1;
        match c {
            '.' => Ok(Node::Any),
            '[' => self.bracket(),
            '^' if self.ere || branch_start && self.bre_caret_anchor() => {
                Ok(Node::Assert(A::LineStart))
            }
            '$' if self.ere || self.bre_dollar_anchor() => Ok(Node::Assert(A::LineEnd)),
            '(' if self.ere => self.group(depth),
            ')' if self.ere && self.sed => Err("Unmatched ) or \\)".into()),
            '\\' => self.escape(depth),
            c => Ok(Node::Lit(c)),
        }
    }

    /// A BRE `^` (just read) is an anchor at the start of a branch.
    fn bre_caret_anchor(&self) -> bool {
        let j = self.i - 1;
        j == 0 || (j >= 2 && self.s[j - 2] == '\\' && matches!(self.s[j - 1], '(' | '|'))
    }

    /// A BRE `$` (just read) is an anchor at the end of a branch.
    fn bre_dollar_anchor(&self) -> bool {
        self.i >= self.s.len()
            || (self.s[self.i] == '\\' && matches!(self.s.get(self.i + 1), Some(')') | Some('|')))
    }

    fn group(&mut self, depth: usize) -> Result<Node, String> {
        self.groups += 1;
        let n = self.groups;
        self.open += 1;
        let inner = self.parse_alt(depth + 1)?;
        self.open -= 1;
        let closed = if self.ere {
            self.peek() == Some(')')
        } else {
            self.peek() == Some('\\') && self.peek2() == Some(')')
        };
        if !closed {
            return Err("Unmatched ( or \\(".into());
        }
        self.i += if self.ere { 1 } else { 2 };
        self.closed.push(n);
        Ok(Node::Group(Box::new(inner), n))
    }

    fn escape(&mut self, depth: usize) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return Err("Trailing backslash".into());
        };
        self.i += 1;
        let class = |neg, items| Ok(Node::Set(Set { neg, items }));
        match c {
            '(' if !self.ere => self.group(depth),
            ')' if !self.ere => Err("Unmatched ) or \\)".into()),
            '{' if !self.ere => Ok(Node::Lit('{')), // at the start of a branch
            '}' if !self.ere => Ok(Node::Lit('}')),
            '1'..='9' => {
                let n = c as usize - '0' as usize;
                if !self.closed.contains(&n) {
                    return Err("Invalid back reference".into());
                }
                self.has_backref = true;
                Ok(Node::Backref(n))
            }
            'w' => class(false, vec![Item::Class("alnum"), Item::Ch('_')]),
            'W' => class(true, vec![Item::Class("alnum"), Item::Ch('_')]),
            's' => class(false, vec![Item::Class("space")]),
            'S' => class(true, vec![Item::Class("space")]),
            'b' => Ok(Node::Assert(A::WordB)),
            'B' => Ok(Node::Assert(A::NotWordB)),
            '<' => Ok(Node::Assert(A::WordStart)),
            '>' => Ok(Node::Assert(A::WordEnd)),
            '`' => Ok(Node::Assert(A::BufStart)),
            '\'' => Ok(Node::Assert(A::BufEnd)),
            c if self.sed => Ok(Node::Lit(sed_escape(c).unwrap_or(c))),
            c => Ok(Node::Lit(c)),
        }
    }

    fn bracket(&mut self) -> Result<Node, String> {
        const UNMATCHED: &str = "Unmatched [, [^, [:, [., or [=";
        let open = self.i;
        let mut set = Set {
            neg: false,
            items: Vec::new(),
        };
        if self.peek() == Some('^') {
            set.neg = true;
            self.i += 1;
        }
        if self.peek().is_none() {
            return Err("Invalid regular expression".into());
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(UNMATCHED.into());
            };
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            let lo = if c == '[' && matches!(self.peek2(), Some(':' | '=' | '.')) {
                let kind = self.s[self.i + 1];
                let body_start = self.i + 2;
                let mut j = body_start;
                while j + 1 < self.s.len() && !(self.s[j] == kind && self.s[j + 1] == ']') {
                    j += 1;
                }
                if j + 1 >= self.s.len() {
                    return Err(UNMATCHED.into());
                }
                let name: String = self.s[body_start..j].iter().collect();
                self.i = j + 2;
                match kind {
                    ':' => {
                        let Some(cl) = CLASSES.iter().find(|&&k| k == name) else {
                            return Err("Invalid character class name".into());
                        };
                        set.items.push(Item::Class(cl));
                        continue;
                    }
                    _ => {
                        let mut it = name.chars();
                        match (it.next(), it.next()) {
                            (Some(ch), None) => ch,
                            _ => return Err("Invalid collation character".into()),
                        }
                    }
                }
            } else {
                self.i += 1;
                if c == '\\' && self.sed {
                    match self.peek().and_then(sed_escape) {
                        Some(e) => {
                            self.i += 1;
                            e
                        }
                        None => c,
                    }
                } else {
                    c
                }
            };
            // A range `lo-hi` (a `-` before `]` is literal).
            if self.peek() == Some('-') && self.peek2().is_some_and(|h| h != ']') {
                self.i += 1;
                let hi = if self.peek() == Some('[') && self.peek2() == Some('.') {
                    let mut j = self.i + 2;
                    while j + 1 < self.s.len() && !(self.s[j] == '.' && self.s[j + 1] == ']') {
                        j += 1;
                    }
                    let name: String = self.s[(self.i + 2).min(j)..j].iter().collect();
                    self.i = (j + 2).min(self.s.len());
                    let mut it = name.chars();
                    match (it.next(), it.next()) {
                        (Some(ch), None) => ch,
                        _ => return Err("Invalid collation character".into()),
                    }
                } else {
                    let Some(h) = self.peek() else {
                        return Err(UNMATCHED.into());
                    };
                    self.i += 1;
                    h
                };
                if hi < lo {
                    return Err("Invalid range end".into());
                }
                set.items.push(Item::Range(lo, hi));
            } else {
                set.items.push(Item::Ch(lo));
            }
        }
        // `[:space:]` for `[[:space:]]`: GNU refuses it.
        let body = &self.s[open..self.i - 1];
        if body.len() >= 2 && body[0] == ':' && body[body.len() - 1] == ':' {
            let name: String = body.iter().collect();
            return Err(format!(
                "character class syntax is [[{name}]], not [{name}]"
            ));
        }
        Ok(Node::Set(set))
    }
}

/// The character GNU sed gives `\c` (`\n`, `\t`...), if special.
pub fn sed_escape(c: char) -> Option<char> {
    Some(match c {
        'n' => '\n',
        't' => '\t',
        'a' => '\x07',
        'f' => '\x0c',
        'v' => '\x0b',
        'r' => '\r',
        _ => return None,
    })
}

fn lit(c: char, out: &mut String) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:x}}}", c as u32));
    }
}

fn emit(n: &Node, out: &mut String) {
    match n {
        Node::Lit(c) => lit(*c, out),
        Node::Any => out.push('.'),
        Node::Set(s) => {
            out.push('[');
            if s.neg {
                out.push('^');
            }
            for it in &s.items {
                match it {
                    Item::Ch(c) => lit(*c, out),
                    Item::Range(a, b) => {
                        lit(*a, out);
                        out.push('-');
                        lit(*b, out);
                    }
                    Item::Class(c) => {
                        out.push_str("[:");
                        out.push_str(c);
                        out.push_str(":]");
                    }
                }
            }
            out.push(']');
        }
        Node::Assert(a) => out.push_str(match a {
            A::LineStart => "^",
            A::LineEnd => "$",
            A::BufStart => "\\A",
            A::BufEnd => "\\z",
            A::WordB => "\\b",
            A::NotWordB => "\\B",
            A::WordStart => "\\b{start}",
            A::WordEnd => "\\b{end}",
            A::NotWordBefore => "\\b{start-half}",
            A::NotWordAfter => "\\b{end-half}",
        }),
        Node::Group(x, _) => {
            out.push('(');
            emit(x, out);
            out.push(')');
        }
        Node::Backref(_) => {} // never emitted: such patterns backtrack
        Node::Cat(v) => {
            out.push_str("(?:");
            for x in v {
                emit(x, out);
            }
            out.push(')');
        }
        Node::Alt(v) => {
            out.push_str("(?:");
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                out.push_str("(?:");
                emit(x, out);
                out.push(')');
            }
            out.push(')');
        }
        Node::Rep(x, min, max) => {
            out.push_str("(?:");
            emit(x, out);
            out.push(')');
            match max {
                None if *min == 0 => out.push('*'),
                None if *min == 1 => out.push('+'),
                None => out.push_str(&format!("{{{min},}}")),
                Some(m) => out.push_str(&format!("{{{min},{m}}}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: &str, f: Flavor, hay: &str) -> Option<(usize, usize)> {
        Regex::new(p, f, false).ok()?.find_at(hay.as_bytes(), 0)
    }

    #[test]
    fn bre_operators_and_literals() {
        use Flavor::Basic as B;
        assert_eq!(find("a\\+b", B, "xaab"), Some((1, 4)));
        assert_eq!(find("a+b", B, "aab a+b"), Some((4, 7)));
        assert_eq!(find("*a", B, "b*a"), Some((1, 3)));
        assert_eq!(find("\\(*a\\)", B, "*a"), Some((0, 2)));
        assert_eq!(find("a^b", B, "a^b"), Some((0, 3)));
        assert_eq!(find("a$b", B, "a$b"), Some((0, 3)));
        assert_eq!(find("x\\|^a", B, "ab"), Some((0, 1)));
        assert_eq!(find("a\\{2\\}", B, "aaa"), Some((0, 2)));
        assert_eq!(find("\\{1\\}a", B, "{1}a"), Some((0, 4)));
    }

    #[test]
    fn ere_context_rules() {
        use Flavor::Extended as E;
        assert_eq!(find("a{", E, "a{"), Some((0, 2)));
        assert_eq!(find("a{1,x}", E, "a{1,x}"), Some((0, 6)));
        assert_eq!(find("a{,2}b", E, "aaab"), Some((1, 4)));
        assert_eq!(find(")", E, "(x)"), Some((2, 3)));
        let r = Regex::new("*b", E, false).unwrap();
        assert_eq!(r.warnings(), ["* at start of expression"]);
        assert_eq!(r.find_at(b"ab", 0), Some((1, 2)));
    }

    #[test]
    fn longest_match_not_first() {
        assert_eq!(find("a|ab", Flavor::Extended, "ab"), Some((0, 2)));
        assert_eq!(find("a\\|ab", Flavor::Basic, "xab"), Some((1, 3)));
        let r = Regex::new("(a|ab)(c|bcd)", Flavor::Extended, false).unwrap();
        let c = r.captures_at(b"abcd", 0).unwrap();
        assert_eq!(c[0], Some((0, 4)));
        assert_eq!(c[1], Some((0, 1)));
        assert_eq!(c[2], Some((1, 4)));
    }

    #[test]
    fn errors_are_gnu_messages() {
        let e = |p: &str, f| Regex::new(p, f, false).err().unwrap_or_default();
        assert_eq!(e("[a", Flavor::Basic), "Unmatched [, [^, [:, [., or [=");
        assert_eq!(e("\\(", Flavor::Basic), "Unmatched ( or \\(");
        assert_eq!(e("(", Flavor::Extended), "Unmatched ( or \\(");
        assert_eq!(e("\\)", Flavor::Basic), "Unmatched ) or \\)");
        assert_eq!(e("a\\", Flavor::Basic), "Trailing backslash");
        assert_eq!(e("a\\{1", Flavor::Basic), "Unmatched \\{");
        assert_eq!(e("a{2,1}", Flavor::Extended), "Invalid content of \\{\\}");
        assert_eq!(
            e("[[:foo:]]", Flavor::Basic),
            "Invalid character class name"
        );
        assert_eq!(e("[z-a]", Flavor::Basic), "Invalid range end");
        assert_eq!(e("\\(a\\)\\2", Flavor::Basic), "Invalid back reference");
        assert_eq!(
            e("a{99999}", Flavor::Extended),
            "Regular expression too big"
        );
        assert_eq!(
            e("[:space:]", Flavor::Basic),
            "character class syntax is [[:space:]], not [:space:]"
        );
    }

    #[test]
    fn brackets() {
        use Flavor::Basic as B;
        assert_eq!(find("[]a]", B, "x]"), Some((1, 2)));
        assert_eq!(find("[^]a]", B, "]ab"), Some((2, 3)));
        assert_eq!(find("[a-]", B, "x-"), Some((1, 2)));
        assert_eq!(find("[[:digit:]]\\+", B, "ab123c"), Some((2, 5)));
        assert_eq!(find("[[.a.]]", B, "ba"), Some((1, 2)));
        assert_eq!(find("[\\w]", B, "a\\"), Some((1, 2)));
    }

    #[test]
    fn backreferences_backtrack() {
        let r = Regex::new("\\([a-z]*\\)-\\1", Flavor::Basic, false).unwrap();
        assert_eq!(r.find_at(b"xx abc-abc", 0), Some((3, 10)));
        let c = r.captures_at(b"ab-ab", 0).unwrap();
        assert_eq!(c[1], Some((0, 2)));
        let r = Regex::new("(a|ab)\\1", Flavor::Extended, true).unwrap();
        assert_eq!(r.find_at(b"xABab", 0), Some((1, 5)));
        assert!(!r.is_match(b"aba"));
    }

    #[test]
    fn words_lines_and_case() {
        let o = Options {
            word: true,
            ..Options::default()
        };
        let r = Regex::with_options("ba[rz]", Flavor::Basic, &o).unwrap();
        assert_eq!(r.find_at(b"foo_bar baz", 0), Some((8, 11)));
        let o = Options {
            line: true,
            icase: true,
            ..Options::default()
        };
        let r = Regex::with_options("ab", Flavor::Basic, &o).unwrap();
        assert!(r.is_match(b"AB"));
        assert!(!r.is_match(b"xab"));
        let r = Regex::new("\\<a", Flavor::Basic, false).unwrap();
        assert_eq!(r.find_at(b"ba a", 0), Some((3, 4)));
    }

    #[test]
    fn anchors_respect_the_start_offset() {
        let r = Regex::new("^a", Flavor::Basic, false).unwrap();
        assert_eq!(r.find_at(b"aaa", 1), None);
        let o = Options {
            sed: true,
            ..Options::default()
        };
        let r = Regex::with_options("a\\nb", Flavor::Basic, &o).unwrap();
        assert_eq!(r.find_at(b"a\nb", 0), Some((0, 3)));
    }

    #[test]
    fn backtracking_is_bounded() {
        // Exponential for a naive backtracker; the budget ends it.
        let r = Regex::new("\\(a*\\)*\\1b", Flavor::Basic, false).unwrap();
        let hay = vec![b'a'; 5000];
        let t = std::time::Instant::now();
        assert_eq!(r.find_at(&hay, 0), None);
        assert!(t.elapsed().as_secs() < 20);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1000, failure_persistence: None, ..Default::default() })]

        /// Any pattern compiles or fails with a message, and matching
        /// never panics, in both flavours and all modes.
        #[test]
        fn any_pattern_is_safe(
            p in "[a\\\\()|{}*+?.^$\\[\\]:=<>bwsW1-3,-]{0,12}",
            hay in "[ab(){}*.^$ _-]{0,12}",
            ere: bool, sed: bool, icase: bool, word: bool,
        ) {
            let f = if ere { Flavor::Extended } else { Flavor::Basic };
            let o = Options { icase, sed, word, ..Options::default() };
            if let Ok(r) = Regex::with_options(&p, f, &o) {
                let h = hay.as_bytes();
                let _ = r.is_match(h);
                for at in 0..=h.len() {
                    if let Some((s, e)) = r.find_at(h, at) {
                        proptest::prop_assert!(at <= s && s <= e && e <= h.len());
                    }
                    let _ = r.captures_at(h, at);
                }
            }
        }
    }
}
