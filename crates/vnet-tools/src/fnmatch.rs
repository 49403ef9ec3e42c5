//! fnmatch(3) with no flags, as iproute2 matches `label PATTERN`: `*`,
//! `?`, bracket expressions (`[a-z]`, `[!x]`) and plain characters.
//!
//! The walk keeps only the last `*` to fall back to (the usual greedy
//! algorithm), so a pattern of many stars costs O(pattern × text), never
//! an exponential backtrack.

/// Whether `text` matches `pat` as fnmatch(pat, text, 0) == 0.
pub fn fnmatch(pat: &str, text: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    // After a `*`: where the pattern resumes and the text position it took.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi + 1, ti));
                pi += 1;
                continue;
            }
            Some('?') => Some(1),
            Some('[') => bracket(&p[pi..], t[ti]),
            Some(c) => (*c == t[ti]).then_some(1),
            None => None,
        };
        match step {
            Some(len) => {
                pi += len;
                ti += 1;
            }
            None => match star {
                // Let the last star swallow one more character.
                Some((sp, st)) => {
                    star = Some((sp, st + 1));
                    pi = sp;
                    ti = st + 1;
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// A bracket expression at the start of `p` against `c`: the pattern
/// length it spans when it matches. An unclosed `[` is a literal.
fn bracket(p: &[char], c: char) -> Option<usize> {
    let mut i = 1;
    let neg = matches!(p.get(i), Some('!' | '^'));
    if neg {
        i += 1;
    }
    let start = i;
    let mut hit = false;
    while i < p.len() && (p[i] != ']' || i == start) {
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|e| *e != ']') {
            hit |= (p[i]..=p[i + 2]).contains(&c);
            i += 3;
        } else {
            hit |= p[i] == c;
            i += 1;
        }
    }
    if i >= p.len() {
        return (c == '[').then_some(1);
    }
    (hit != neg).then_some(i + 1)
}

#[cfg(test)]
mod tests {
    use super::fnmatch;

    #[test]
    fn labels_as_iproute2_matches_them() {
        assert!(fnmatch("eth0:*", "eth0:1"));
        assert!(fnmatch("eth0:*", "eth0:"));
        assert!(!fnmatch("eth0:*", "eth0"));
        assert!(fnmatch("x*", "x1:a"));
        assert!(fnmatch("eth?", "eth1"));
        assert!(!fnmatch("eth?", "eth10"));
        assert!(fnmatch("eth[0-2]:[!b]", "eth1:a"));
        assert!(!fnmatch("eth[0-2]:[!b]", "eth1:b"));
        assert!(!fnmatch("eth[0-2]", "eth3"));
        assert!(fnmatch("a[", "a["));
        assert!(fnmatch("*a*b", "xxaxxb"));
        assert!(!fnmatch("*a*b", "xxaxxbc"));
    }

    #[test]
    fn many_stars_do_not_backtrack_exponentially() {
        let pat = format!("{}x", "*".repeat(5000));
        assert!(!fnmatch(&pat, &"a".repeat(5000)));
    }
}
