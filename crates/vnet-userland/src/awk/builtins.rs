//! The pure parts of awk's builtins as mawk does them: `substr`'s C-int
//! arithmetic, `sub`/`gsub` replacement and empty matches, glibc's
//! `random()` behind `rand`, C's `log`.

use super::re::Re;
use super::value::d_to_i;

/// glibc's `random()` (TYPE_3 additive feedback), which Debian's mawk uses.
pub struct GlibcRandom {
    r: [i32; 31],
    f: usize,
    b: usize,
}

impl GlibcRandom {
    pub fn new(seed: u32) -> Self {
        let mut g = GlibcRandom {
            r: [0; 31],
            f: 3,
            b: 0,
        };
        g.seed(seed);
        g
    }
    pub fn seed(&mut self, seed: u32) {
        let seed = if seed == 0 { 1 } else { seed };
        let mut r = [0i32; 31];
        r[0] = seed as i32;
        for i in 1..31 {
            let hi = (r[i - 1] as i64) / 127773;
            let lo = (r[i - 1] as i64) % 127773;
            let mut word = 16807 * lo - 2836 * hi;
            if word < 0 {
                word += 2147483647;
            }
            r[i] = word as i32;
        }
        self.r[..31].copy_from_slice(&r);
        // state as a ring of 31 words: front index 3, rear index 0
        self.f = 3;
        self.b = 0;
        for _ in 0..310 {
            self.next();
        }
    }
    pub fn next(&mut self) -> u32 {
        let v = self.r[self.f].wrapping_add(self.r[self.b]);
        self.r[self.f] = v;
        let out = ((v as u32) >> 1) & 0x7fffffff;
        self.f = (self.f + 1) % 31;
        self.b = (self.b + 1) % 31;
        out
    }
}

/// mawk's substr: truncating positions, and its "substr(s, 0, n)" rule.
pub fn substr(s: &[u8], start: f64, len: Option<f64>) -> Vec<u8> {
    // mawk computes in C ints; its overflows are kept
    let l = s.len().min(i32::MAX as usize) as i32;
    if l == 0 {
        return Vec::new();
    }
    let mut n: i32 = match len {
        Some(n) => d_to_i(n) as i32,
        None => l,
    };
    let mut i: i32 = (d_to_i(start) as i32).wrapping_sub(1);
    if i > l {
        n = 0;
    }
    if i < 0 {
        n = n.wrapping_sub(i.wrapping_add(1));
        i = 0;
    }
    if n > l - i {
        n = l - i;
    }
    if n <= 0 {
        return Vec::new();
    }
    s[i as usize..(i + n) as usize].to_vec()
}

/// sub/gsub: `&` is the match, `\&` a literal `&`, `\\` a backslash.
pub fn substitute(re: &Re, repl: &[u8], s: &[u8], global: bool) -> (Vec<u8>, usize) {
    let expand = |out: &mut Vec<u8>, m: &[u8]| {
        let mut i = 0;
        while i < repl.len() {
            let c = repl[i];
            if c == b'\\' && i + 1 < repl.len() && (repl[i + 1] == b'&' || repl[i + 1] == b'\\') {
                out.push(repl[i + 1]);
                i += 2;
                continue;
            }
            if c == b'&' {
                out.extend_from_slice(m);
            } else {
                out.push(c);
            }
            i += 1;
        }
    };
    let mut out = Vec::new();
    let mut n = 0;
    let mut pos = 0;
    // an empty match right after a non-empty one does not count
    let mut after_match: Option<usize> = None;
    while pos <= s.len() {
        let Some((a, b)) = re.find_at(s, pos) else {
            break;
        };
        if a == b && after_match == Some(a) {
            after_match = None;
            if a < s.len() {
                out.extend_from_slice(&s[pos..a + 1]);
                pos = a + 1;
                continue;
            }
            break;
        }
        after_match = if b > a { Some(b) } else { None };
        out.extend_from_slice(&s[pos..a]);
        expand(&mut out, &s[a..b]);
        n += 1;
        if b == a {
            // an empty match: keep the next byte and move on
            if a < s.len() {
                out.push(s[a]);
            }
            pos = a + 1;
        } else {
            pos = b;
        }
        if !global {
            break;
        }
    }
    if pos <= s.len() {
        out.extend_from_slice(&s[pos..]);
    }
    (out, n)
}

/// log as C's: log of a negative number is -nan on glibc.
pub fn libm_log(x: f64) -> f64 {
    if x < 0.0 {
        return -f64::NAN;
    }
    x.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_random_matches_srand_1() {
        // mawk 'BEGIN{srand(1); print rand(), rand()}' prints 0.840188 0.394383
        let mut g = GlibcRandom::new(1);
        assert_eq!(g.next(), 1804289383);
        assert_eq!(g.next(), 846930886);
    }

    #[test]
    fn substr_mawk_rules() {
        assert_eq!(substr(b"hello", 0.0, Some(3.0)), b"hel");
        assert_eq!(substr(b"hello", -1.0, None), b"hello");
        assert_eq!(substr(b"hello", 2.5, Some(2.0)), b"el");
        assert_eq!(substr(b"hello", 9.0, Some(2.0)), b"");
    }

    #[test]
    fn gsub_skips_empty_match_after_a_match() {
        let re = Re::new(b"l*").unwrap();
        assert_eq!(
            substitute(&re, b"X", b"hello", true),
            (b"XhXeXoX".to_vec(), 4)
        );
        let re = Re::new(b"o").unwrap();
        assert_eq!(
            substitute(&re, b"[&]", b"foo", false),
            (b"f[o]o".to_vec(), 1)
        );
    }
}
