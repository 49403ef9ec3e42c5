//! Policy routing rules (net/core/fib_rules.c with the IPv4 and IPv6 parts
//! of net/ipv4/fib_rules.c and net/ipv6/fib6_rules.c): the ordered list a
//! route lookup walks, choosing the tables it consults.
//!
//! Read `fib_rules_lookup` in the kernel first: rules are tried in priority
//! order; a rule whose selectors match acts — `goto` jumps forward, `nop`
//! goes on, unreachable/prohibit/blackhole end the lookup with an error,
//! a table action looks the destination up in its table, and only a hit
//! that no suppressor rejects ends the walk (a miss or a `throw` route goes
//! on to the next rule).
//!
//! The walk does not test every rule: rules with a source (else a
//! destination) prefix are indexed by that prefix, so a lookup probes one
//! hash bucket per prefix length in use and tests only the rules that can
//! match, in order (the kernel scans the list; the order kept is the same).

use crate::error::{Errno, KResult, KernelError};
use crate::ipv4::fib::{RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN};
use crate::types::Map as HashMap;
use crate::types::NsId;
use crate::World;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// FR_ACT_* (and RTN_NAT, which old iproute2 still sends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleAction {
    ToTable,
    Goto,
    Nop,
    Blackhole,
    Unreachable,
    Prohibit,
    /// `nat ADDRESS` (RTN_NAT): accepted, printed, and a lookup error
    /// (fib4_rule_action's default case), as route NAT is long gone.
    Nat,
    /// Any other action number (`type throw`...): a lookup error too.
    Other(u8),
}

impl RuleAction {
    /// rtnl_rtntype_n2a() of the action number, as `ip rule` names it.
    pub fn name(self) -> String {
        match self {
            RuleAction::ToTable => "unicast".into(),
            RuleAction::Goto => "local".into(),
            RuleAction::Nop => "broadcast".into(),
            RuleAction::Blackhole => "blackhole".into(),
            RuleAction::Unreachable => "unreachable".into(),
            RuleAction::Prohibit => "prohibit".into(),
            RuleAction::Nat => "nat".into(),
            RuleAction::Other(4) => "anycast".into(),
            RuleAction::Other(5) => "multicast".into(),
            RuleAction::Other(9) => "throw".into(),
            RuleAction::Other(11) => "xresolve".into(),
            RuleAction::Other(n) => n.to_string(),
        }
    }
}

/// Default ids of the priorities of the rules every namespace starts with.
pub const PREF_MAIN: u32 = 32766;
pub const PREF_DEFAULT: u32 = 32767;

/// One rule (struct fib_rule with fib4_rule/fib6_rule's selectors).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FibRule {
    pub pref: u32,
    pub action: RuleAction,
    /// The table of a ToTable rule (0 with `l3mdev`).
    pub table: u32,
    /// `not`: FIB_RULE_INVERT.
    pub invert: bool,
    /// `from PREFIX` (length > 0; `from all` is None).
    pub src: Option<(IpAddr, u8)>,
    pub dst: Option<(IpAddr, u8)>,
    /// `tos`/`dsfield` (IPv4 tos, IPv6 traffic class), 0 for any.
    pub tos: u8,
    /// `fwmark MARK/MASK`; mask 0 matches every mark.
    pub mark: u32,
    pub mark_mask: u32,
    /// `iif NAME` / `oif NAME`: kept by name, attached to whichever device
    /// has the name (FIB_RULE_IIF_DETACHED while none does).
    pub iif: Option<String>,
    pub oif: Option<String>,
    pub l3mdev: bool,
    /// `uidrange A-B`: None is every uid.
    pub uid_range: Option<(u32, u32)>,
    /// `ipproto`, 0 for any.
    pub ip_proto: u8,
    pub sport: Option<(u16, u16)>,
    pub dport: Option<(u16, u16)>,
    /// `goto PREF`'s target.
    pub target: Option<u32>,
    /// -1 when not given.
    pub suppress_prefixlen: i32,
    pub suppress_ifgroup: i32,
    /// `protocol`: who added the rule (RTPROT_*).
    pub proto: u8,
    /// `realms`: FRA_FLOW.
    pub flow: u32,
}

impl FibRule {
    /// A rule with no selector, looking `table` up.
    pub fn lookup(pref: u32, table: u32) -> FibRule {
        FibRule {
            pref,
            action: RuleAction::ToTable,
            table,
            invert: false,
            src: None,
            dst: None,
            tos: 0,
            mark: 0,
            mark_mask: 0,
            iif: None,
            oif: None,
            l3mdev: false,
            uid_range: None,
            ip_proto: 0,
            sport: None,
            dport: None,
            target: None,
            suppress_prefixlen: -1,
            suppress_ifgroup: -1,
            proto: 0,
            flow: 0,
        }
    }

    fn default_rule(pref: u32, table: u32) -> FibRule {
        FibRule {
            proto: crate::ipv4::fib::proto::KERNEL,
            ..FibRule::lookup(pref, table)
        }
    }
}

/// What a lookup is matched on: a flow key of either family, addresses
/// widened to 128 bits (IPv4 in the low 32).
#[derive(Clone, Copy, Debug)]
pub struct RuleKey {
    pub v6: bool,
    pub saddr: u128,
    pub daddr: u128,
    pub iif: u32,
    pub oif: u32,
    pub mark: u32,
    pub tos: u8,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
    pub uid: u32,
}

impl RuleKey {
    pub fn v4(fl: &crate::flow::Flowi4) -> RuleKey {
        RuleKey {
            v6: false,
            saddr: u32::from(fl.saddr).into(),
            daddr: u32::from(fl.daddr).into(),
            iif: fl.iif.unwrap_or(0),
            oif: fl.oif.unwrap_or(0),
            mark: fl.mark,
            // RT_TOS(): the rule compares the TOS bits only.
            tos: fl.tos & 0x1e,
            proto: fl.proto,
            sport: fl.sport,
            dport: fl.dport,
            uid: fl.uid,
        }
    }
    pub fn v6(fl: &crate::flow::Flowi6) -> RuleKey {
        RuleKey {
            v6: true,
            saddr: fl.saddr.into(),
            daddr: fl.daddr.into(),
            iif: fl.iif.unwrap_or(0),
            oif: fl.oif.unwrap_or(0),
            mark: fl.mark,
            tos: fl.tclass,
            proto: fl.proto,
            sport: fl.sport,
            dport: fl.dport,
            uid: fl.uid,
        }
    }
}

/// What the namespace tells a walk about its devices.
pub trait RuleEnv {
    /// The ifindex of the device named so, if there is one.
    fn ifindex(&self, name: &str) -> Option<u32>;
    /// l3mdev_fib_table(): the table of the VRF the device is (or is
    /// enslaved to), for `l3mdev` rules.
    fn l3mdev_table(&self, ifindex: u32) -> Option<u32>;
}

/// One table lookup's answer to the walk.
pub enum TableHit<T> {
    /// A route: its prefix length and its device's group, for the suppressors.
    Hit(T, u8, Option<u32>),
    /// No route, or a `throw` route: -EAGAIN, the walk goes on.
    Miss,
}

/// How a walk ended.
#[derive(Debug)]
pub enum RuleVerdict<T> {
    /// The table of rule `.1` (a position in the list) answered.
    Found(T, usize),
    /// Rule `.1`'s action refused: unreachable, prohibit, blackhole.
    Refused(Errno, usize),
    /// No rule's table had a route (-ESRCH, which fib_lookup turns into
    /// -ENETUNREACH).
    NoRoute,
}

fn mask(len: u8, v6: bool) -> u128 {
    let bits = if v6 { 128 } else { 32 };
    if len == 0 {
        0
    } else {
        (u128::MAX << (bits - len as u32)) & if v6 { u128::MAX } else { u32::MAX as u128 }
    }
}

fn wide(a: IpAddr) -> u128 {
    match a {
        IpAddr::V4(a) => u32::from(a).into(),
        IpAddr::V6(a) => a.into(),
    }
}

/// The rules of one family, in list order, with their index.
#[derive(Clone, Debug, Default)]
pub struct FibRules {
    rules: Vec<FibRule>,
    index: Index,
}

/// Positions of the rules that can match a key, by the prefix they select on.
#[derive(Clone, Debug, Default)]
struct Index {
    /// The rule list is a family's defaults: lookups take the fast path.
    default_only: bool,
    /// Rules tested for every key (no indexable prefix), ascending.
    generic: Vec<u32>,
    /// Per source prefix length: masked source -> positions, ascending.
    by_src: Vec<(u8, HashMap<u128, Vec<u32>>)>,
    by_dst: Vec<(u8, HashMap<u128, Vec<u32>>)>,
}

impl Serialize for FibRules {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rules.serialize(s)
    }
}

impl<'de> Deserialize<'de> for FibRules {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut rules = Vec::<FibRule>::deserialize(d)?;
        // A lab file's list is kept in priority order, as insertion keeps it.
        rules.sort_by_key(|r| r.pref);
        Ok(FibRules::from_rules(rules))
    }
}

impl FibRules {
    /// fib4_rules_init: 0 local, 32766 main, 32767 default.
    pub fn default_v4() -> FibRules {
        FibRules::from_rules(vec![
            FibRule::default_rule(0, RT_TABLE_LOCAL),
            FibRule::default_rule(PREF_MAIN, RT_TABLE_MAIN),
            FibRule::default_rule(PREF_DEFAULT, RT_TABLE_DEFAULT),
        ])
    }
    /// fib6_rules_net_init: 0 local, 32766 main.
    pub fn default_v6() -> FibRules {
        FibRules::from_rules(vec![
            FibRule::default_rule(0, RT_TABLE_LOCAL),
            FibRule::default_rule(PREF_MAIN, RT_TABLE_MAIN),
        ])
    }

    fn from_rules(rules: Vec<FibRule>) -> FibRules {
        let mut f = FibRules {
            rules,
            index: Index::default(),
        };
        f.reindex();
        f
    }

    pub fn iter(&self) -> impl Iterator<Item = &FibRule> {
        self.rules.iter()
    }
    pub fn get(&self, pos: usize) -> Option<&FibRule> {
        self.rules.get(pos)
    }
    pub fn len(&self) -> usize {
        self.rules.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Only the default rules of either family: lookups may skip the walk.
    #[inline]
    pub fn default_only(&self) -> bool {
        self.index.default_only
    }

    /// Whether the rule at `pos` is one of the rules a namespace starts with.
    pub fn is_default_rule(&self, pos: usize) -> bool {
        self.rules.get(pos).is_some_and(|r| {
            let plain = FibRule::default_rule(r.pref, r.table);
            *r == plain
                && matches!(
                    (r.pref, r.table),
                    (0, RT_TABLE_LOCAL)
                        | (PREF_MAIN, RT_TABLE_MAIN)
                        | (PREF_DEFAULT, RT_TABLE_DEFAULT)
                )
        })
    }

    fn reindex(&mut self) {
        let defaults = [
            FibRule::default_rule(0, RT_TABLE_LOCAL),
            FibRule::default_rule(PREF_MAIN, RT_TABLE_MAIN),
            FibRule::default_rule(PREF_DEFAULT, RT_TABLE_DEFAULT),
        ];
        let n = self.rules.len();
        let mut ix = Index {
            default_only: (2..=3).contains(&n) && self.rules[..] == defaults[..n],
            ..Index::default()
        };
        for (i, r) in self.rules.iter().enumerate() {
            let i = i as u32;
            let (slot, pfx) = match (r.invert, r.src, r.dst) {
                (false, Some(p), _) => (&mut ix.by_src, p),
                (false, None, Some(p)) => (&mut ix.by_dst, p),
                _ => {
                    ix.generic.push(i);
                    continue;
                }
            };
            let v6 = pfx.0.is_ipv6();
            let key = wide(pfx.0) & mask(pfx.1, v6);
            let m = match slot.iter().position(|(l, _)| *l == pfx.1) {
                Some(j) => &mut slot[j].1,
                None => {
                    slot.push((pfx.1, HashMap::default()));
                    &mut slot.last_mut().unwrap().1
                }
            };
            m.entry(key).or_default().push(i);
        }
        self.index = ix;
    }

    /// fib_default_rule_pref(): one less than the second rule's priority
    /// (0 when there is none, or it is 0).
    pub fn default_pref(&self) -> u32 {
        match self.rules.get(1) {
            Some(r) if r.pref > 0 => r.pref - 1,
            _ => 0,
        }
    }

    /// Whether an identical rule exists (rule_exists(): NLM_F_EXCL).
    pub fn exists(&self, r: &FibRule) -> bool {
        self.rules.iter().any(|x| x == r)
    }

    /// fib_nl_newrule's insertion: after every rule of lower or equal priority.
    pub fn insert(&mut self, r: FibRule) {
        let pos = self.rules.partition_point(|x| x.pref <= r.pref);
        self.rules.insert(pos, r);
        self.reindex();
    }

    /// Removes the rule at `pos`.
    pub fn remove(&mut self, pos: usize) -> FibRule {
        let r = self.rules.remove(pos);
        self.reindex();
        r
    }

    /// Removes every rule `doomed` picks; how many went.
    pub fn remove_where(&mut self, doomed: impl Fn(&FibRule) -> bool) -> usize {
        let before = self.rules.len();
        self.rules.retain(|r| !doomed(r));
        self.reindex();
        before - self.rules.len()
    }

    /// The position a goto to `pref` lands on: the first rule of that
    /// priority (its ctarget), None while unresolved.
    pub fn goto_target(&self, pref: u32) -> Option<usize> {
        let i = self.rules.partition_point(|x| x.pref < pref);
        (self.rules.get(i)?.pref == pref).then_some(i)
    }

    /// fib_rule_match() with fib4/fib6_rule_match().
    pub fn matches(r: &FibRule, k: &RuleKey, env: &dyn RuleEnv) -> bool {
        let ok = (|| {
            if let Some(n) = &r.iif {
                if env.ifindex(n) != Some(k.iif) {
                    return false;
                }
            }
            if let Some(n) = &r.oif {
                if env.ifindex(n) != Some(k.oif) {
                    return false;
                }
            }
            if (r.mark ^ k.mark) & r.mark_mask != 0 {
                return false;
            }
            if r.l3mdev && Self::l3mdev_table(k, env).is_none() {
                return false;
            }
            if let Some((a, b)) = r.uid_range {
                if k.uid < a || k.uid > b {
                    return false;
                }
            }
            if let Some((a, l)) = r.src {
                // fib6_rule_match(): an IPv6 lookup without a source
                // (!RT6_LOOKUP_F_HAS_SADDR) matches no `from` rule.
                if k.v6 && k.saddr == 0 {
                    return false;
                }
                if (k.saddr ^ wide(a)) & mask(l, k.v6) != 0 {
                    return false;
                }
            }
            if let Some((a, l)) = r.dst {
                if (k.daddr ^ wide(a)) & mask(l, k.v6) != 0 {
                    return false;
                }
            }
            if r.tos != 0 && r.tos != k.tos {
                return false;
            }
            if r.ip_proto != 0 && r.ip_proto != k.proto {
                return false;
            }
            if let Some((a, b)) = r.sport {
                if k.sport < a || k.sport > b {
                    return false;
                }
            }
            if let Some((a, b)) = r.dport {
                if k.dport < a || k.dport > b {
                    return false;
                }
            }
            true
        })();
        ok != r.invert
    }

    /// l3mdev_fib_table_by_index of the output device, else the input one.
    fn l3mdev_table(k: &RuleKey, env: &dyn RuleEnv) -> Option<u32> {
        [k.oif, k.iif]
            .into_iter()
            .filter(|&i| i != 0)
            .find_map(|i| env.l3mdev_table(i))
    }

    /// The index's buckets for `k`: the positions of the rules whose
    /// source or destination prefix covers the key's (each still tested).
    /// Probed once per lookup; at most 33 lengths of each.
    fn hits<'a>(&'a self, k: &RuleKey, out: &mut [&'a [u32]; 66]) -> usize {
        let ix = &self.index;
        let mut n = 0;
        for (slots, addr) in [(&ix.by_src, k.saddr), (&ix.by_dst, k.daddr)] {
            for (len, m) in slots {
                if let Some(v) = m.get(&(addr & mask(*len, k.v6))) {
                    out[n] = v;
                    n += 1;
                }
            }
        }
        n
    }

    /// The position of the next rule at or after `from` that may match:
    /// the first of the generic rules' and the buckets' next positions.
    #[inline]
    fn next_candidate(&self, hits: &[&[u32]], from: u32) -> Option<u32> {
        let next_in = |v: &[u32]| v.get(v.partition_point(|&p| p < from)).copied();
        let mut best = next_in(&self.index.generic);
        for v in hits {
            if let Some(p) = next_in(v) {
                best = Some(best.map_or(p, |b| b.min(p)));
            }
        }
        best
    }

    /// fib_rules_lookup(): walks the rules for `k`, asking `table` for a
    /// table's route (l3mdev rules ask for their VRF's table).
    pub fn lookup<T>(
        &self,
        k: &RuleKey,
        env: &dyn RuleEnv,
        mut table: impl FnMut(u32) -> TableHit<T>,
    ) -> RuleVerdict<T> {
        let mut buf: [&[u32]; 66] = [&[]; 66];
        let nh = self.hits(k, &mut buf);
        let hits = &buf[..nh];
        let mut pos = 0u32;
        while let Some(p) = self.next_candidate(hits, pos) {
            let mut i = p as usize;
            pos = p + 1;
            let mut r = &self.rules[i];
            if !Self::matches(r, k, env) {
                continue;
            }
            // `goto`: the target is tested as if reached in order (jumped:).
            while r.action == RuleAction::Goto {
                let Some(t) = r.target.and_then(|t| self.goto_target(t)) else {
                    break;
                };
                i = t;
                r = &self.rules[i];
                pos = i as u32 + 1;
                if !Self::matches(r, k, env) {
                    break;
                }
            }
            if !Self::matches(r, k, env) {
                continue;
            }
            let tid = match r.action {
                RuleAction::Goto | RuleAction::Nop => continue,
                RuleAction::Unreachable => return RuleVerdict::Refused(Errno::ENETUNREACH, i),
                RuleAction::Prohibit => return RuleVerdict::Refused(Errno::EACCES, i),
                RuleAction::Blackhole | RuleAction::Nat | RuleAction::Other(_) => {
                    return RuleVerdict::Refused(Errno::EINVAL, i)
                }
                RuleAction::ToTable if r.l3mdev => match Self::l3mdev_table(k, env) {
                    Some(t) => t,
                    None => continue,
                },
                RuleAction::ToTable => r.table,
            };
            match table(tid) {
                TableHit::Miss => continue,
                TableHit::Hit(v, plen, _) if i32::from(plen) <= r.suppress_prefixlen => {
                    let _ = v;
                    continue;
                }
                TableHit::Hit(_, _, Some(g)) if i64::from(g) == i64::from(r.suppress_ifgroup) => {
                    continue
                }
                TableHit::Hit(v, _, _) => return RuleVerdict::Found(v, i),
            }
        }
        RuleVerdict::NoRoute
    }
}

/// `ip rule del`'s matching (rule_find with fib4/fib6_rule_compare): the
/// first rule that agrees with every attribute the request gave.
#[derive(Clone, Debug, Default)]
pub struct RuleMatch {
    pub action: Option<RuleAction>,
    pub table: Option<u32>,
    pub pref: Option<u32>,
    pub iif: Option<String>,
    pub oif: Option<String>,
    pub mark: Option<u32>,
    pub mark_mask: Option<u32>,
    pub suppress_prefixlen: Option<i32>,
    pub suppress_ifgroup: Option<i32>,
    pub l3mdev: bool,
    pub uid_range: Option<(u32, u32)>,
    pub ip_proto: Option<u8>,
    pub proto: Option<u8>,
    pub sport: Option<(u16, u16)>,
    pub dport: Option<(u16, u16)>,
    pub src: Option<(IpAddr, u8)>,
    pub dst: Option<(IpAddr, u8)>,
    pub tos: Option<u8>,
}

impl RuleMatch {
    pub fn matches(&self, r: &FibRule) -> bool {
        fn eq<T: PartialEq>(want: &Option<T>, have: T) -> bool {
            want.as_ref().is_none_or(|w| *w == have)
        }
        eq(&self.action, r.action)
            && eq(&self.table, r.table)
            && eq(&self.pref, r.pref)
            && self.iif.as_ref().is_none_or(|n| r.iif.as_ref() == Some(n))
            && self.oif.as_ref().is_none_or(|n| r.oif.as_ref() == Some(n))
            && eq(&self.mark, r.mark)
            && eq(&self.mark_mask, r.mark_mask)
            && eq(&self.suppress_prefixlen, r.suppress_prefixlen)
            && eq(&self.suppress_ifgroup, r.suppress_ifgroup)
            && (!self.l3mdev || r.l3mdev)
            && self.uid_range.is_none_or(|u| r.uid_range == Some(u))
            && eq(&self.ip_proto, r.ip_proto)
            && eq(&self.proto, r.proto)
            && self.sport.is_none_or(|p| r.sport == Some(p))
            && self.dport.is_none_or(|p| r.dport == Some(p))
            && self.src.is_none_or(|p| r.src == Some(p))
            && self.dst.is_none_or(|p| r.dst == Some(p))
            && eq(&self.tos, r.tos)
    }
}

/// C's `%#x`: 0x-prefixed, except zero.
fn hex(v: u32) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

impl FibRules {
    /// A rule as `ip rule` prints it after its `PRIO:\t` (iproute2's
    /// print_rule); `details` is `-d` (the protocol even when unspec or
    /// kernel). Interfaces no device has are `[detached]`, gotos to a
    /// priority no rule has `[unresolved]`.
    pub fn rule_text(&self, r: &FibRule, n: &crate::netns::Netns, details: bool) -> String {
        use crate::ipv4::route_text::{dsfield_n2a, proto_name, table_name};
        use std::fmt::Write;
        let mut s = String::new();
        if r.invert {
            s.push_str("not ");
        }
        let host_len = |a: &IpAddr| if a.is_ipv6() { 128 } else { 32 };
        match r.src {
            Some((a, l)) if l == host_len(&a) => {
                let _ = write!(s, "from {a}");
            }
            Some((a, l)) => {
                let _ = write!(s, "from {a}/{l}");
            }
            None => s.push_str("from all"),
        }
        match r.dst {
            Some((a, l)) if l == host_len(&a) => {
                let _ = write!(s, " to {a}");
            }
            Some((a, l)) => {
                let _ = write!(s, " to {a}/{l}");
            }
            None => {}
        }
        if r.tos != 0 {
            let _ = write!(s, " tos {}", dsfield_n2a(r.tos));
        }
        if r.mark != 0 || r.mark_mask != 0 {
            let _ = write!(s, " fwmark {}", hex(r.mark));
            if r.mark_mask != u32::MAX {
                let _ = write!(s, "/{}", hex(r.mark_mask));
            }
        }
        for (word, dev) in [("iif", &r.iif), ("oif", &r.oif)] {
            if let Some(d) = dev {
                let _ = write!(s, " {word} {d}");
                if n.ifindex_of(d).is_none() {
                    s.push_str(" [detached]");
                }
            }
        }
        if r.l3mdev {
            s.push_str(" lookup [l3mdev-table]");
        }
        if let Some((a, b)) = r.uid_range {
            let _ = write!(s, " uidrange {a}-{b}");
        }
        if r.ip_proto != 0 {
            let _ = write!(s, " ipproto {}", ipproto_name(r.ip_proto));
        }
        for (word, ports) in [("sport", r.sport), ("dport", r.dport)] {
            match ports {
                Some((a, b)) if a == b => {
                    let _ = write!(s, " {word} {a}");
                }
                Some((a, b)) => {
                    let _ = write!(s, " {word} {a}-{b}");
                }
                None => {}
            }
        }
        if r.table != 0 {
            let _ = write!(s, " lookup {}", table_name(r.table));
            if r.suppress_prefixlen != -1 {
                let _ = write!(s, " suppress_prefixlength {}", r.suppress_prefixlen);
            }
            if r.suppress_ifgroup != -1 {
                let _ = write!(s, " suppress_ifgroup {}", group_name(r.suppress_ifgroup));
            }
        }
        if r.flow != 0 {
            let (from, to) = (r.flow >> 16, r.flow & 0xffff);
            if from != 0 {
                let _ = write!(s, " realms {}/{}", realm_name(from), realm_name(to));
            } else {
                let _ = write!(s, " realms {}", realm_name(to));
            }
        }
        match r.action {
            RuleAction::Nat => s.push_str(" masquerade"),
            RuleAction::Goto => {
                match r.target {
                    Some(t) => {
                        let _ = write!(s, " goto {t}");
                    }
                    None => s.push_str(" goto none"),
                }
                if r.target.and_then(|t| self.goto_target(t)).is_none() {
                    s.push_str(" [unresolved]");
                }
            }
            RuleAction::Nop => s.push_str(" nop"),
            RuleAction::ToTable => {}
            a => {
                let _ = write!(s, " {}", a.name());
            }
        }
        if (r.proto != 0 && r.proto != crate::ipv4::fib::proto::KERNEL) || details {
            let _ = write!(s, " proto {}", proto_name(r.proto));
        }
        s
    }

    /// The rule at `pos` as a trace names it: `PRIO: TEXT`.
    pub(crate) fn rule_label(&self, pos: usize, n: &crate::netns::Netns) -> Option<String> {
        let r = self.rules.get(pos)?;
        Some(format!("{}: {}", r.pref, self.rule_text(r, n, false)))
    }
}

/// inet_proto_n2a(): /etc/protocols' name, else the number.
pub fn ipproto_name(p: u8) -> String {
    crate::netfilter::names::PROTOCOLS
        .iter()
        .find(|(n, _)| *n == p)
        .map_or_else(|| p.to_string(), |(_, s)| s.to_string())
}

/// rtnl_group_n2a(): /etc/iproute2/group names only `default` (0).
pub fn group_name(g: i32) -> String {
    if g == 0 {
        "default".into()
    } else {
        g.to_string()
    }
}

/// rtnl_rtrealm_n2a(): /etc/iproute2/rt_realms names only `cosmos` (0).
fn realm_name(r: u32) -> String {
    if r == 0 {
        "cosmos".into()
    } else {
        r.to_string()
    }
}

impl RuleEnv for crate::netns::Netns {
    fn ifindex(&self, name: &str) -> Option<u32> {
        self.ifindex_of(name)
    }
    fn l3mdev_table(&self, ifindex: u32) -> Option<u32> {
        let d = self.dev(ifindex)?;
        let vrf = match d.kind {
            crate::dev::DevKind::Vrf { .. } => d,
            _ => self.dev(d.master?)?,
        };
        match vrf.kind {
            crate::dev::DevKind::Vrf { table } => Some(table),
            _ => None,
        }
    }
}

impl World {
    fn rules_mut(&mut self, ns: NsId, v6: bool) -> &mut FibRules {
        let n = self.ns_mut(ns);
        if v6 {
            &mut n.rules6
        } else {
            &mut n.rules4
        }
    }

    /// RTM_NEWRULE (fib_nl_newrule with fib_nl2rule's checks): `pref` None
    /// takes fib_default_rule_pref(). Always NLM_F_EXCL, as iproute2 asks.
    pub fn rule_add(
        &mut self,
        ns: NsId,
        v6: bool,
        mut r: FibRule,
        pref: Option<u32>,
    ) -> KResult<()> {
        let fam_ok = |p: &Option<(IpAddr, u8)>| p.is_none_or(|(a, _)| a.is_ipv6() == v6);
        if !fam_ok(&r.src) {
            return Err(KernelError::ext(Errno::EINVAL, "Invalid source address"));
        }
        if !fam_ok(&r.dst) {
            return Err(KernelError::ext(
                Errno::EINVAL,
                "Invalid destination address",
            ));
        }
        r.pref = pref.unwrap_or_else(|| self.ns(ns).rules(v6).default_pref());
        if r.action == RuleAction::Goto {
            match r.target {
                None => {
                    return Err(KernelError::ext(
                        Errno::EINVAL,
                        "Missing goto target for action goto",
                    ))
                }
                Some(t) if t <= r.pref => {
                    return Err(KernelError::ext(
                        Errno::EINVAL,
                        "Backward goto not supported",
                    ))
                }
                _ => {}
            }
        }
        if r.l3mdev && r.table != 0 {
            return Err(KernelError::ext(
                Errno::EINVAL,
                "l3mdev and table are mutually exclusive",
            ));
        }
        if r.uid_range.is_some_and(|(a, b)| a > b) {
            return Err(KernelError::ext(Errno::EINVAL, "Invalid uid range"));
        }
        let bad_ports = |p: Option<(u16, u16)>| {
            p.is_some_and(|(a, b)| a == 0 || b == 0 || b == u16::MAX || a > b)
        };
        if bad_ports(r.sport) {
            return Err(KernelError::ext(Errno::EINVAL, "Invalid sport range"));
        }
        if bad_ports(r.dport) {
            return Err(KernelError::ext(Errno::EINVAL, "Invalid dport range"));
        }
        // fib4_rule_configure(): only the TOS bits.
        if !v6 && r.tos & !0x1e != 0 {
            return Err(KernelError::ext(Errno::EINVAL, "Invalid tos"));
        }
        // rule_exists() compares everything but the flags and the goto target.
        let same = |x: &FibRule| {
            let mut y = x.clone();
            y.invert = r.invert;
            y.target = r.target;
            y == r
        };
        let rules = self.rules_mut(ns, v6);
        if rules.iter().any(same) {
            return Err(Errno::EEXIST.into());
        }
        rules.insert(r.clone());
        // fib6_rule_configure(): fib6_new_table() for the table it names.
        if v6 && r.action == RuleAction::ToTable && r.table != 0 {
            self.ns_mut(ns).tables6.insert(r.table);
        }
        self.notify_rule(ns, v6, &r, false);
        // fib4_rule_configure(): from now on the local table is looked up
        // on its own (fib_unmerge), and `ip route get` names it.
        if !v6 {
            self.ns_mut(ns).fib_has_custom_rules = true;
        }
        Ok(())
    }

    /// RTM_DELRULE (fib_nl_delrule): the first rule `m` matches; ENOENT
    /// when none does.
    pub fn rule_del(&mut self, ns: NsId, v6: bool, m: &RuleMatch) -> KResult<()> {
        if m.src.is_some_and(|(a, _)| a.is_ipv6() != v6) {
            return Err(KernelError::ext(Errno::EINVAL, "Invalid source address"));
        }
        if m.dst.is_some_and(|(a, _)| a.is_ipv6() != v6) {
            return Err(KernelError::ext(
                Errno::EINVAL,
                "Invalid destination address",
            ));
        }
        let rules = self.rules_mut(ns, v6);
        let pos = rules
            .iter()
            .position(|r| m.matches(r))
            .ok_or(Errno::ENOENT)?;
        let r = rules.remove(pos);
        self.notify_rule(ns, v6, &r, true);
        Ok(())
    }

    /// `ip rule flush`: deletes every rule `doomed` picks (iproute2 deletes
    /// them one by one, each through RTM_DELRULE); how many went.
    pub fn rule_flush(&mut self, ns: NsId, v6: bool, doomed: impl Fn(&FibRule) -> bool) -> usize {
        let gone: Vec<FibRule> = self
            .ns(ns)
            .rules(v6)
            .iter()
            .filter(|r| doomed(r))
            .cloned()
            .collect();
        let n = self.rules_mut(ns, v6).remove_where(doomed);
        for r in &gone {
            self.notify_rule(ns, v6, r, true);
        }
        n
    }

    /// notify_rule(): RTM_NEWRULE / RTM_DELRULE, the rule as `ip rule`
    /// prints it.
    fn notify_rule(&mut self, ns: NsId, v6: bool, r: &FibRule, del: bool) {
        use crate::rtnl_notify::{group, RtMsg};
        let g = if v6 {
            group::IPV6_RULE
        } else {
            group::IPV4_RULE
        };
        if self.rtnl_has_listeners(ns, g) {
            let n = self.ns(ns);
            let text = format!("{}:\t{}", r.pref, n.rules(v6).rule_text(r, n, false));
            self.rtnl_notify(ns, RtMsg::Rule { del, v6, text });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    struct NoDevs;
    impl RuleEnv for NoDevs {
        fn ifindex(&self, name: &str) -> Option<u32> {
            name.strip_prefix("eth").and_then(|n| n.parse().ok())
        }
        fn l3mdev_table(&self, _: u32) -> Option<u32> {
            None
        }
    }

    fn key(src: u32, dst: u32) -> RuleKey {
        RuleKey {
            v6: false,
            saddr: src.into(),
            daddr: dst.into(),
            iif: 1,
            oif: 0,
            mark: 0,
            tos: 0,
            proto: 0,
            sport: 0,
            dport: 0,
            uid: 0,
        }
    }

    fn from(pref: u32, a: u32, len: u8, table: u32) -> FibRule {
        FibRule {
            src: Some((IpAddr::V4(Ipv4Addr::from(a)), len)),
            ..FibRule::lookup(pref, table)
        }
    }

    /// The walk as the kernel does it: every rule in order, no index.
    fn linear(rs: &FibRules, k: &RuleKey, has: &dyn Fn(u32) -> bool) -> Option<(u32, usize)> {
        let mut i = 0;
        'rules: while i < rs.len() {
            let mut at = i;
            i += 1;
            loop {
                let r = rs.get(at).unwrap();
                if !FibRules::matches(r, k, &NoDevs) {
                    continue 'rules;
                }
                match r.action {
                    RuleAction::Goto => match r.target.and_then(|t| rs.goto_target(t)) {
                        Some(t) => {
                            at = t;
                            i = t + 1;
                        }
                        None => continue 'rules,
                    },
                    RuleAction::ToTable if has(r.table) => return Some((r.table, at)),
                    _ => continue 'rules,
                }
            }
        }
        None
    }

    #[test]
    fn default_rules_take_the_fast_path_until_one_is_added() {
        let mut r = FibRules::default_v4();
        assert!(r.default_only());
        assert_eq!(r.default_pref(), PREF_MAIN - 1);
        r.insert(from(100, 0x0a00_0001, 32, 5));
        assert!(!r.default_only());
        assert_eq!(r.default_pref(), 99);
        r.remove(1);
        assert!(r.default_only());
        assert!(FibRules::default_v6().default_only());
    }

    #[test]
    fn a_miss_and_a_throw_go_on_an_action_stops() {
        let mut r = FibRules::default_v4();
        r.insert(from(10, 0x0a00_0000, 8, 100));
        r.insert(FibRule {
            dst: Some((IpAddr::V4(Ipv4Addr::new(192, 0, 2, 0)), 24)),
            action: RuleAction::Prohibit,
            table: 0,
            ..FibRule::lookup(20, 0)
        });
        // Table 100 misses: main answers.
        let v = r.lookup(&key(0x0a01_0203, 0x0808_0808), &NoDevs, |t| {
            if t == RT_TABLE_MAIN {
                TableHit::Hit(t, 0, None)
            } else {
                TableHit::Miss
            }
        });
        assert!(matches!(v, RuleVerdict::Found(RT_TABLE_MAIN, 3)));
        let v = r.lookup(&key(0x0b00_0001, 0xc000_0205), &NoDevs, |_| {
            TableHit::<u32>::Miss
        });
        assert!(matches!(v, RuleVerdict::Refused(Errno::EACCES, 2)));
        // suppress_prefixlength 0 rejects a default route, keeps a /24.
        r.insert(FibRule {
            suppress_prefixlen: 0,
            ..FibRule::lookup(5, 7)
        });
        let v = r.lookup(&key(0, 0x0808_0808), &NoDevs, |t| match t {
            7 => TableHit::Hit(7, 0, Some(2)),
            RT_TABLE_MAIN => TableHit::Hit(t, 24, Some(2)),
            _ => TableHit::Miss,
        });
        assert!(matches!(v, RuleVerdict::Found(RT_TABLE_MAIN, _)));
    }

    proptest! {
        /// The indexed walk picks the same rule as testing every rule in
        /// order, whatever the rules (sources, destinations, inverted,
        /// marks, gotos) and whichever tables have a route.
        #[test]
        fn indexed_walk_agrees_with_the_linear_walk(
            rules in proptest::collection::vec(
                (0u32..60, 0u8..6, 0u32..4, prop_oneof![Just(0u8), Just(8u8), Just(16u8), Just(32u8)], 1u32..6, 0u32..3),
                0..40,
            ),
            probes in proptest::collection::vec((0u32..4, 0u32..4, 0u32..3, 0u32..64), 1..20),
        ) {
            let mut rs = FibRules::default_v4();
            for (pref, kind, a, len, table, mark) in rules {
                let addr = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | a << 8 | a));
                let pfx = (len > 0).then_some((addr, len));
                let mut r = FibRule::lookup(pref + 1, table);
                match kind {
                    0 => r.src = pfx,
                    1 => r.dst = pfx,
                    2 => { r.src = pfx; r.invert = true; }
                    3 => { r.mark = mark; r.mark_mask = 0xffff_ffff; }
                    4 => { r.action = RuleAction::Goto; r.target = Some(pref + 1 + mark * 7 + 1); r.src = pfx; }
                    _ => { r.dst = pfx; r.action = RuleAction::Nop; }
                }
                rs.insert(r);
            }
            for (s, d, mark, tables) in probes {
                let mut k = key(0x0a00_0000 | s << 8 | s, 0x0a00_0000 | d << 8 | d);
                k.mark = mark;
                let has = |t: u32| tables & (1 << t) != 0 || t == RT_TABLE_MAIN;
                let want = linear(&rs, &k, &has);
                let got = match rs.lookup(&k, &NoDevs, |t| if has(t) { TableHit::Hit(t, 32, None) } else { TableHit::Miss }) {
                    RuleVerdict::Found(t, i) => Some((t, i)),
                    _ => None,
                };
                prop_assert_eq!(got, want);
            }
        }
    }
}
