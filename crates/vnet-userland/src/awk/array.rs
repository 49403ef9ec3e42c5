//! awk associative arrays, laid out as mawk 1.3.4 lays them out, so that
//! `for (k in a)` visits keys in mawk's order.
//!
//! Read mawk's array.w first. An array is empty, a "split" vector (what
//! `split()` makes: keys 1..n), or a hash table of nodes that sit on two
//! kinds of chains: by integer key (`ilist`, bucket `ival & hmask`) and by
//! string key (`slist`, bucket `FNV-1(string) & hmask`). A lookup moves the
//! node it finds to the front of its chain; the table starts with 64
//! buckets and doubles when the average chain passes 12, splitting each
//! chain in order. `for in` first gives every integer-only node its string
//! (walking the ilists bucket by bucket, pushing onto the slists), then
//! lists the slists bucket by bucket.

use super::value::{d_to_i, num_to_str, Str, Val};
use std::rc::Rc;

const STARTING_HMASK: usize = 63;
const MAX_AVE_LIST_LENGTH: usize = 12;

fn limit_of(hmask: usize) -> usize {
    (hmask + 1) * MAX_AVE_LIST_LENGTH
}

/// mawk's `hash2`: FNV-1.
fn fnv1(s: &[u8]) -> u32 {
    let mut h: u32 = 2166136261;
    for &c in s {
        h ^= c as u32;
        h = h.wrapping_mul(16777619);
    }
    h
}

#[derive(Clone, Debug)]
struct Node {
    sval: Option<Str>,
    hval: u32,
    ival: Option<i32>,
    slink: Option<usize>,
    ilink: Option<usize>,
    val: Val,
}

#[derive(Clone, Copy, Default, Debug)]
struct Bucket {
    slink: Option<usize>,
    ilink: Option<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Array {
    /// Keys 1..=n as a vector (mawk's AY_SPLIT), when `split` is Some.
    split: Option<Vec<Val>>,
    has_int: bool,
    has_str: bool,
    size: usize,
    hmask: usize,
    limit: usize,
    table: Vec<Bucket>,
    nodes: Vec<Node>,
    free: Vec<usize>,
}

/// Where a value lives.
#[derive(Clone, Copy, Debug)]
pub enum Slot {
    Split(usize),
    Node(usize),
}

/// A subscript as mawk sees it: an integral double, or a string.
enum Key {
    Int(i32),
    Str(Str),
}

fn key_of(v: &Val, convfmt: &[u8]) -> Key {
    match v {
        Val::Num(d) => {
            let i = d_to_i(*d);
            if i as f64 == *d {
                Key::Int(i as i32)
            } else {
                Key::Str(Rc::from(num_to_str(*d, convfmt)))
            }
        }
        Val::Uninit => Key::Str(Rc::from(&b""[..])),
        Val::Str(s) | Val::StrNum(s) => Key::Str(s.clone()),
    }
}

impl Array {
    pub fn len(&self) -> usize {
        self.size
    }

    pub fn clear(&mut self) {
        *self = Array::default();
    }

    /// `split()`'s result: keys 1..=n.
    pub fn load(&mut self, vals: Vec<Val>) {
        self.clear();
        self.size = vals.len();
        self.split = Some(vals);
    }

    pub fn val(&self, s: Slot) -> &Val {
        match s {
            Slot::Split(i) => &self.split.as_ref().expect("split slot")[i],
            Slot::Node(n) => &self.nodes[n].val,
        }
    }

    pub fn val_mut(&mut self, s: Slot) -> &mut Val {
        match s {
            Slot::Split(i) => &mut self.split.as_mut().expect("split slot")[i],
            Slot::Node(n) => &mut self.nodes[n].val,
        }
    }

    /// Gets a value (creating it, as `a[k]` does).
    pub fn get(&mut self, key: &Val, convfmt: &[u8]) -> Val {
        match self.find(key, true, convfmt) {
            Some(s) => self.val(s).clone(),
            None => Val::Uninit,
        }
    }

    pub fn set(&mut self, key: &Val, v: Val, convfmt: &[u8]) {
        if let Some(s) = self.find(key, true, convfmt) {
            *self.val_mut(s) = v;
        }
    }

    /// `k in a` (which reorders chains, as in mawk).
    pub fn contains(&mut self, key: &Val, convfmt: &[u8]) -> bool {
        self.find(key, false, convfmt).is_some()
    }

    /// mawk's `array_find`.
    pub fn find(&mut self, key: &Val, create: bool, convfmt: &[u8]) -> Option<Slot> {
        if self.size == 0 && !create {
            return None;
        }
        match key_of(key, convfmt) {
            Key::Int(i) => {
                if let Some(v) = &self.split {
                    if i >= 1 && (i as usize) <= v.len() {
                        return Some(Slot::Split(i as usize - 1));
                    }
                    if !create {
                        return None;
                    }
                    self.split_to_table();
                } else if self.is_null() {
                    self.make_empty_table(true);
                }
                self.find_by_ival(i, create).map(Slot::Node)
            }
            Key::Str(s) => self.find_by_sval(&s, create).map(Slot::Node),
        }
    }

    fn is_null(&self) -> bool {
        self.split.is_none() && !self.has_int && !self.has_str
    }

    /// mawk's `array_delete`.
    pub fn delete(&mut self, key: &Val, convfmt: &[u8]) {
        if self.size == 0 {
            return;
        }
        let node = match key_of(key, convfmt) {
            Key::Int(i) => {
                if let Some(v) = &self.split {
                    if i >= 1 && (i as usize) <= v.len() {
                        self.split_to_table();
                    } else {
                        return;
                    }
                }
                self.find_by_ival(i, false)
            }
            Key::Str(s) => self.find_by_sval(&s, false),
        };
        let Some(n) = node else { return };
        if let Some(s) = &self.nodes[n].sval {
            let b = fnv1(s) as usize & self.hmask;
            self.unlink_s(b, n);
        }
        if let Some(iv) = self.nodes[n].ival {
            let b = iv as u32 as usize & self.hmask;
            self.unlink_i(b, n);
        }
        self.nodes[n].sval = None;
        self.nodes[n].val = Val::Uninit;
        self.free.push(n);
        self.size -= 1;
        if self.size == 0 {
            self.clear();
        }
    }

    /// The keys in mawk's `for (k in a)` order.
    pub fn keys(&mut self) -> Vec<Str> {
        if self.size == 0 {
            return Vec::new();
        }
        if !self.has_str {
            self.add_string_associations();
        }
        let mut out = Vec::with_capacity(self.size);
        for b in 0..self.table.len() {
            let mut p = self.table[b].slink;
            while let Some(n) = p {
                if let Some(s) = &self.nodes[n].sval {
                    out.push(s.clone());
                }
                p = self.nodes[n].slink;
                if out.len() > self.size {
                    break; // a broken chain must not loop
                }
            }
        }
        out
    }

    fn unlink_s(&mut self, b: usize, n: usize) {
        let mut q: Option<usize> = None;
        let mut p = self.table[b].slink;
        while let Some(x) = p {
            if x == n {
                let next = self.nodes[x].slink;
                match q {
                    Some(q) => self.nodes[q].slink = next,
                    None => self.table[b].slink = next,
                }
                return;
            }
            q = p;
            p = self.nodes[x].slink;
        }
    }

    fn unlink_i(&mut self, b: usize, n: usize) {
        let mut q: Option<usize> = None;
        let mut p = self.table[b].ilink;
        while let Some(x) = p {
            if x == n {
                let next = self.nodes[x].ilink;
                match q {
                    Some(q) => self.nodes[q].ilink = next,
                    None => self.table[b].ilink = next,
                }
                return;
            }
            q = p;
            p = self.nodes[x].ilink;
        }
    }

    fn new_node(&mut self, sval: Option<Str>, hval: u32) -> usize {
        let node = Node {
            sval,
            hval,
            ival: None,
            slink: None,
            ilink: None,
            val: Val::Uninit,
        };
        match self.free.pop() {
            Some(n) => {
                self.nodes[n] = node;
                n
            }
            None => {
                self.nodes.push(node);
                self.nodes.len() - 1
            }
        }
    }

    fn find_by_ival(&mut self, ival: i32, create: bool) -> Option<usize> {
        let mut idx = ival as u32 as usize & self.hmask;
        let mut q: Option<usize> = None;
        let mut p = self.table[idx].ilink;
        while let Some(n) = p {
            if self.nodes[n].ival == Some(ival) {
                if let Some(q) = q {
                    self.nodes[q].ilink = self.nodes[n].ilink;
                    self.nodes[n].ilink = self.table[idx].ilink;
                    self.table[idx].ilink = Some(n);
                }
                return Some(n);
            }
            q = p;
            p = self.nodes[n].ilink;
        }
        let n = if self.has_str {
            let s: Str = Rc::from(ival.to_string().into_bytes());
            let n = self.find_by_sval(&s, create)?;
            idx = ival as u32 as usize & self.hmask;
            n
        } else if create {
            let n = self.new_node(None, 0);
            self.size += 1;
            if self.size > self.limit {
                self.double();
                idx = ival as u32 as usize & self.hmask;
            }
            n
        } else {
            return None;
        };
        self.nodes[n].ival = Some(ival);
        self.has_int = true;
        self.nodes[n].ilink = self.table[idx].ilink;
        self.table[idx].ilink = Some(n);
        Some(n)
    }

    fn find_by_sval(&mut self, s: &Str, create: bool) -> Option<usize> {
        if !self.has_str {
            self.add_string_associations();
        }
        let hval = fnv1(s);
        let mut idx = hval as usize & self.hmask;
        let mut q: Option<usize> = None;
        let mut p = self.table[idx].slink;
        while let Some(n) = p {
            let node = &self.nodes[n];
            if node.hval == hval && node.sval.as_deref() == Some(&s[..]) {
                if let Some(q) = q {
                    self.nodes[q].slink = self.nodes[n].slink;
                    self.nodes[n].slink = self.table[idx].slink;
                    self.table[idx].slink = Some(n);
                }
                return Some(n);
            }
            q = p;
            p = node.slink;
        }
        if !create {
            return None;
        }
        let n = self.new_node(Some(s.clone()), hval);
        self.size += 1;
        if self.size > self.limit {
            self.double();
            idx = hval as usize & self.hmask;
        }
        self.nodes[n].slink = self.table[idx].slink;
        self.table[idx].slink = Some(n);
        Some(n)
    }

    fn add_string_associations(&mut self) {
        if self.is_null() {
            self.make_empty_table(false);
            return;
        }
        if self.split.is_some() {
            self.split_to_table();
        }
        for b in 0..self.table.len() {
            let mut p = self.table[b].ilink;
            while let Some(n) = p {
                let iv = self.nodes[n].ival.unwrap_or(0);
                let s: Str = Rc::from(iv.to_string().into_bytes());
                let h = fnv1(&s);
                let sb = h as usize & self.hmask;
                self.nodes[n].sval = Some(s);
                self.nodes[n].hval = h;
                self.nodes[n].slink = self.table[sb].slink;
                self.table[sb].slink = Some(n);
                p = self.nodes[n].ilink;
            }
        }
        self.has_str = true;
    }

    fn make_empty_table(&mut self, int: bool) {
        self.has_int = int;
        self.has_str = !int;
        self.hmask = STARTING_HMASK;
        self.limit = limit_of(STARTING_HMASK);
        self.table = vec![Bucket::default(); STARTING_HMASK + 1];
    }

    fn split_to_table(&mut self) {
        let cells = self.split.take().unwrap_or_default();
        self.hmask = STARTING_HMASK;
        self.limit = limit_of(self.hmask);
        while self.size > self.limit {
            self.hmask = (self.hmask << 1) + 1;
            self.limit = limit_of(self.hmask);
        }
        self.table = vec![Bucket::default(); self.hmask + 1];
        self.nodes.clear();
        self.free.clear();
        let mut j = 1 & self.hmask;
        for (i, v) in cells.into_iter().enumerate() {
            let n = self.new_node(None, 0);
            self.nodes[n].ival = Some(i as i32 + 1);
            self.nodes[n].val = v;
            self.nodes[n].ilink = self.table[j].ilink;
            self.table[j].ilink = Some(n);
            j = (j + 1) & self.hmask;
        }
        self.has_int = true;
        self.has_str = false;
    }

    fn double(&mut self) {
        let old = self.hmask;
        let new = (old << 1) + 1;
        self.table.resize(new + 1, Bucket::default());
        for i in 0..=old {
            if self.has_str {
                let (stay, moved) = self.partition(self.table[i].slink, true, new, i);
                self.table[i].slink = stay;
                self.table[i + old + 1].slink = moved;
            }
            if self.has_int {
                let (stay, moved) = self.partition(self.table[i].ilink, false, new, i);
                self.table[i].ilink = stay;
                self.table[i + old + 1].ilink = moved;
            }
        }
        self.hmask = new;
        self.limit = limit_of(new);
    }

    /// Splits a chain into the nodes that stay in bucket `i` and those that
    /// move, both in their old order.
    fn partition(
        &mut self,
        head: Option<usize>,
        s: bool,
        mask: usize,
        i: usize,
    ) -> (Option<usize>, Option<usize>) {
        let mut stay = Vec::new();
        let mut moved = Vec::new();
        let mut p = head;
        while let Some(n) = p {
            let node = &self.nodes[n];
            let h = if s {
                node.hval as usize
            } else {
                node.ival.unwrap_or(0) as u32 as usize
            };
            if h & mask != i {
                moved.push(n);
            } else {
                stay.push(n);
            }
            p = if s { node.slink } else { node.ilink };
            if stay.len() + moved.len() > self.nodes.len() {
                break;
            }
        }
        (self.chain(&stay, s), self.chain(&moved, s))
    }

    fn chain(&mut self, ns: &[usize], s: bool) -> Option<usize> {
        for w in ns.windows(2) {
            if s {
                self.nodes[w[0]].slink = Some(w[1]);
            } else {
                self.nodes[w[0]].ilink = Some(w[1]);
            }
        }
        if let Some(&last) = ns.last() {
            if s {
                self.nodes[last].slink = None;
            } else {
                self.nodes[last].ilink = None;
            }
        }
        ns.first().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(a: &mut Array) -> Vec<String> {
        a.keys()
            .iter()
            .map(|k| String::from_utf8_lossy(k).into_owned())
            .collect()
    }

    #[test]
    fn mawk_order_mixed_keys() {
        // mawk 'BEGIN{a[10];a[9];a[1];a[2];a["b"];a["a"];a["B"];a[-1];a[1.5];
        //   for(k in a) printf "%s ", k}' prints: 10 B 2 1 b -1 a 9 1.5
        let mut a = Array::default();
        let f = b"%.6g";
        for k in [10.0, 9.0, 1.0, 2.0] {
            a.get(&Val::Num(k), f);
        }
        for k in ["b", "a", "B"] {
            a.get(&Val::str(k.as_bytes()), f);
        }
        a.get(&Val::Num(-1.0), f);
        a.get(&Val::Num(1.5), f);
        assert_eq!(
            keys(&mut a),
            ["10", "B", "2", "1", "b", "-1", "a", "9", "1.5"]
        );
    }

    #[test]
    fn split_then_delete_and_grow() {
        let f = b"%.6g";
        let mut a = Array::default();
        a.load((1..=5).map(|i| Val::Num(i as f64)).collect());
        assert!(a.contains(&Val::str(b"3"), f));
        a.delete(&Val::Num(2.0), f);
        assert_eq!(a.len(), 4);
        assert!(!a.contains(&Val::Num(2.0), f));
        for i in 0..2000 {
            a.set(&Val::Num(i as f64 * 7.0), Val::Num(1.0), f);
        }
        let mut k = keys(&mut a);
        assert_eq!(k.len(), a.len());
        k.sort();
        k.dedup();
        assert_eq!(k.len(), a.len());
    }
}
