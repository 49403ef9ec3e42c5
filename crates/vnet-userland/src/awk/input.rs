//! Input records and field splitting as mawk does them: RS as one byte,
//! as paragraphs (`RS = ""`) or as a regex; FS and split()'s separator as
//! runs of blanks (`" "`), characters (`""`), one literal byte, or a regex
//! of which only non-empty matches separate.

use super::re::Re;
use std::rc::Rc;

/// An input source being read.
pub struct Reader {
    pub data: Vec<u8>,
    pub pos: usize,
}

pub enum Rs {
    Byte(u8),
    Para,
    Re(Rc<Re>),
}

/// A field separator, as mawk casts FS and split's third argument.
pub enum Sep {
    Space,
    Null,
    Byte(u8),
    Re(Vec<u8>),
    Compiled(Rc<Re>),
}

impl Sep {
    pub fn from_fs(fs: &[u8]) -> Sep {
        Sep::from_split_arg(fs)
    }
    pub fn from_split_arg(s: &[u8]) -> Sep {
        match s.len() {
            0 => Sep::Null,
            1 if s[0] == b' ' => Sep::Space,
            1 if s[0] != b'\\' => Sep::Byte(s[0]),
            _ => Sep::Re(s.to_vec()),
        }
    }
}

/// mawk's re_split: only matches of positive length separate.
pub fn re_split(re: &Re, s: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < s.len() {
        match pos_match(re, s, pos) {
            Some((a, b)) => {
                out.push(s[pos..a].to_vec());
                pos = b;
            }
            None => {
                out.push(s[pos..].to_vec());
                return out;
            }
        }
    }
    out.push(Vec::new());
    out
}

/// The first match of positive length at or after `from`.
pub fn pos_match(re: &Re, s: &[u8], mut from: usize) -> Option<(usize, usize)> {
    while from < s.len() {
        let (a, b) = re.find_at(s, from)?;
        if b > a {
            return Some((a, b));
        }
        from = a + 1;
    }
    None
}

pub fn read_record(r: &mut Reader, rs: &Rs) -> Option<Vec<u8>> {
    let d = &r.data;
    match rs {
        Rs::Byte(c) => {
            if r.pos >= d.len() {
                return None;
            }
            match d[r.pos..].iter().position(|x| x == c) {
                Some(i) => {
                    let rec = d[r.pos..r.pos + i].to_vec();
                    r.pos += i + 1;
                    Some(rec)
                }
                None => {
                    let rec = d[r.pos..].to_vec();
                    r.pos = d.len();
                    Some(rec)
                }
            }
        }
        Rs::Para => {
            while r.pos < d.len() && d[r.pos] == b'\n' {
                r.pos += 1;
            }
            if r.pos >= d.len() {
                return None;
            }
            let rest = &d[r.pos..];
            match rest.windows(2).position(|w| w == b"\n\n") {
                Some(i) => {
                    let rec = rest[..i].to_vec();
                    let mut j = i;
                    while j < rest.len() && rest[j] == b'\n' {
                        j += 1;
                    }
                    r.pos += j;
                    Some(rec)
                }
                None => {
                    let mut rec = rest.to_vec();
                    while rec.last() == Some(&b'\n') {
                        rec.pop();
                    }
                    r.pos = d.len();
                    Some(rec)
                }
            }
        }
        Rs::Re(re) => {
            if r.pos >= d.len() {
                return None;
            }
            match pos_match(re, d, r.pos) {
                Some((a, b)) => {
                    let rec = d[r.pos..a].to_vec();
                    r.pos = b;
                    Some(rec)
                }
                None => {
                    let rec = d[r.pos..].to_vec();
                    r.pos = d.len();
                    Some(rec)
                }
            }
        }
    }
}

/// `name=value` (name an identifier) in ARGV or -v.
pub fn split_assignment(arg: &[u8]) -> Option<(String, Vec<u8>)> {
    let eq = arg.iter().position(|&c| c == b'=')?;
    let name = &arg[..eq];
    if name.is_empty() || !(name[0].is_ascii_alphabetic() || name[0] == b'_') {
        return None;
    }
    if !name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_') {
        return None;
    }
    Some((
        String::from_utf8_lossy(name).into_owned(),
        arg[eq + 1..].to_vec(),
    ))
}
