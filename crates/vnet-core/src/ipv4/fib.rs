//! The IPv4 FIB: tables of routes with longest-prefix-match lookup.
//!
//! Each table indexes its routes by prefix length, then by masked network, so
//! a lookup probes at most 33 hash buckets whatever the table size
//! (fib_table_lookup does the same job with an LC-trie).

use crate::addr::Scope;
use crate::types::Map as HashMap;
use crate::types::Prefix4;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

pub const RT_TABLE_MAIN: u32 = 254;
pub const RT_TABLE_LOCAL: u32 = 255;
pub const RT_TABLE_DEFAULT: u32 = 253;

/// RTN_* route types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RouteType {
    Unicast,
    Local,
    Broadcast,
    Multicast,
    Blackhole,
    Unreachable,
    Prohibit,
    Throw,
}

impl RouteType {
    pub fn name(self) -> &'static str {
        match self {
            RouteType::Unicast => "unicast",
            RouteType::Local => "local",
            RouteType::Broadcast => "broadcast",
            RouteType::Multicast => "multicast",
            RouteType::Blackhole => "blackhole",
            RouteType::Unreachable => "unreachable",
            RouteType::Prohibit => "prohibit",
            RouteType::Throw => "throw",
        }
    }
    pub fn parse(s: &str) -> Option<RouteType> {
        Some(match s {
            "unicast" => RouteType::Unicast,
            "local" => RouteType::Local,
            "broadcast" => RouteType::Broadcast,
            "multicast" => RouteType::Multicast,
            "blackhole" => RouteType::Blackhole,
            "unreachable" => RouteType::Unreachable,
            "prohibit" => RouteType::Prohibit,
            "throw" => RouteType::Throw,
            _ => return None,
        })
    }
}

/// RTPROT_* values that have names.
pub mod proto {
    pub const UNSPEC: u8 = 0;
    pub const REDIRECT: u8 = 1;
    pub const KERNEL: u8 = 2;
    pub const BOOT: u8 = 3;
    pub const STATIC: u8 = 4;
    pub const DHCP: u8 = 16;
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub table: u32,
    pub dst: Prefix4,
    pub tos: u8,
    pub rtype: RouteType,
    pub proto: u8,
    pub scope: Scope,
    pub metric: u32,
    pub gateway: Option<Ipv4Addr>,
    pub dev: Option<u32>,
    pub prefsrc: Option<Ipv4Addr>,
    pub onlink: bool,
    pub mtu: Option<u32>,
    /// The next hops of a multipath route (`gateway` and `dev` are then
    /// None, as the kernel gives a multipath route no RTA_GATEWAY/RTA_OIF).
    #[serde(default, skip_serializing_if = "Nexthops::is_single")]
    pub nh: Nexthops,
    /// RTA_NH_ID: the nexthop object the route goes through (`gateway`,
    /// `dev` and `nh` then hold what it resolves to; see nexthop.rs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nhid: Option<u32>,
}

/// A route's paths beyond the single one `Route::gateway`/`dev` describe.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Nexthops {
    /// One path: the route's own gateway and device (fib_nhs == 1).
    #[default]
    Single,
    /// RTA_MULTIPATH: two or more next hops, chosen per flow by hash.
    Multi(std::sync::Arc<[FibNh]>),
}

impl Nexthops {
    pub fn is_single(&self) -> bool {
        matches!(self, Nexthops::Single)
    }
    /// The next hops of a multipath route (empty for a single path).
    pub fn hops(&self) -> &[FibNh] {
        match self {
            Nexthops::Single => &[],
            Nexthops::Multi(v) => v,
        }
    }
}

/// One next hop of a multipath route (struct fib_nh): RTNH_F_DEAD and
/// RTNH_F_LINKDOWN are not stored but read from the device's state, as
/// fib_sync_down_dev/fib_sync_up keep them in step with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FibNh {
    pub gateway: Option<Ipv4Addr>,
    pub dev: u32,
    /// rtnh_hops + 1: 1..=256.
    pub weight: u16,
    pub onlink: bool,
}

impl Route {
    /// Whether a next hop of the route leaves through `dev`.
    pub fn uses_dev(&self, dev: u32) -> bool {
        self.dev == Some(dev) || self.nh.hops().iter().any(|h| h.dev == dev)
    }

    /// A static unicast route in the main table, as `ip route add DST via GW` makes it.
    pub fn via(dst: Prefix4, gateway: Ipv4Addr) -> Route {
        Route {
            table: RT_TABLE_MAIN,
            dst,
            tos: 0,
            rtype: RouteType::Unicast,
            proto: proto::BOOT,
            scope: Scope::Universe,
            metric: 0,
            gateway: Some(gateway),
            dev: None,
            prefsrc: None,
            onlink: false,
            mtu: None,
            nh: Nexthops::Single,
            nhid: None,
        }
    }
}

/// One routing table.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Table {
    /// by_len[len] holds the routes of that prefix length (empty until the
    /// first insert, so a table-less namespace stays small).
    #[serde(with = "lengths")]
    by_len: Vec<Len>,
    /// Bit i set when some route has prefix length i, so lookups skip empty lengths.
    used_lens: u64,
}

impl Table {
    /// Whether every prefix length marked used has its slot (a lab file's
    /// check: lookups index `by_len` by the bits of `used_lens`).
    pub(crate) fn is_consistent(&self) -> bool {
        self.used_lens >> self.by_len.len().min(63) == 0 || self.by_len.len() >= 64
    }
}

/// The routes of one prefix length.
#[derive(Clone, Debug, Default)]
struct Len {
    /// A one-hash Bloom filter of the keys of `nets`: most probes miss (a
    /// forwarded packet's destination in the local table at /32 and /8), and
    /// a clear bit answers that without the hash map. Set on insert,
    /// recomputed when a key goes.
    filter: u64,
    /// Masked network -> its routes, in the kernel's order (tos, then priority).
    nets: HashMap<u32, Vec<Route>>,
}

/// The filter bit of a masked network: the top six bits of a multiplicative
/// hash, which mixes in every bit of the key whatever the prefix length.
#[inline]
fn filter_bit(key: u32) -> u64 {
    1 << (u64::from(key).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58)
}

impl Len {
    #[inline]
    fn get(&self, key: u32) -> Option<&Vec<Route>> {
        if self.filter & filter_bit(key) == 0 {
            return None;
        }
        self.nets.get(&key)
    }
    fn refilter(&mut self) {
        self.filter = self.nets.keys().fold(0, |f, &k| f | filter_bit(k));
    }
}

mod lengths {
    use super::{Len, Route};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &[Len], s: S) -> Result<S::Ok, S::Error> {
        let all: Vec<&Route> = v.iter().flat_map(|m| m.nets.values().flatten()).collect();
        all.serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Len>, D::Error> {
        let all = Vec::<Route>::deserialize(d)?;
        let mut v: Vec<Len> = vec![Len::default(); 33];
        for r in all {
            let Some(slot) = v.get_mut(r.dst.len as usize) else {
                return Err(serde::de::Error::custom(format!(
                    "route to {} has prefix length {}",
                    r.dst.addr, r.dst.len
                )));
            };
            slot.nets.entry(u32::from(r.dst.addr)).or_default().push(r);
        }
        v.iter_mut().for_each(Len::refilter);
        Ok(v)
    }
}

/// The netmask of prefix length `l` (0..=32) without mask()'s branch.
#[inline]
fn netmask(l: u32) -> u32 {
    (u64::from(u32::MAX) << (32 - l)) as u32
}

impl Table {
    fn bucket(&mut self, p: Prefix4) -> &mut Vec<Route> {
        if self.by_len.is_empty() {
            self.by_len = vec![Len::default(); 33];
        }
        self.used_lens |= 1 << p.len;
        let key = u32::from(p.addr);
        let s = &mut self.by_len[p.len as usize];
        s.filter |= filter_bit(key);
        s.nets.entry(key).or_default()
    }

    pub fn routes_for(&self, p: Prefix4) -> &[Route] {
        self.by_len
            .get(p.len as usize)
            .and_then(|m| m.get(u32::from(p.addr)))
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// Inserts keeping (tos, metric) order; appends after equals (NLM_F_APPEND semantics).
    pub fn insert(&mut self, r: Route) {
        let b = self.bucket(r.dst);
        let pos = b
            .iter()
            .position(|x| (x.tos, x.metric) > (r.tos, r.metric))
            .unwrap_or(b.len());
        b.insert(pos, r);
    }

    /// Inserts before the routes of equal (tos, metric): what a create
    /// without NLM_F_APPEND does (fa_first in fib_table_insert).
    pub fn insert_first(&mut self, r: Route) {
        let b = self.bucket(r.dst);
        let pos = b
            .iter()
            .position(|x| (x.tos, x.metric) >= (r.tos, r.metric))
            .unwrap_or(b.len());
        b.insert(pos, r);
    }

    /// Removes routes matching `pred` for prefix `p`; returns how many.
    pub fn remove_where(&mut self, p: Prefix4, pred: impl Fn(&Route) -> bool) -> usize {
        let Some(m) = self.by_len.get_mut(p.len as usize) else {
            return 0;
        };
        let key = u32::from(p.addr);
        let Some(v) = m.nets.get_mut(&key) else {
            return 0;
        };
        let before = v.len();
        if let Some(i) = v.iter().position(pred) {
            v.remove(i);
        }
        let n = before - v.len();
        if v.is_empty() {
            m.nets.remove(&key);
            m.refilter();
            if m.nets.is_empty() {
                self.used_lens &= !(1 << p.len);
            }
        }
        n
    }

    /// Removes every route matching `pred`, in any prefix.
    pub fn retain(&mut self, pred: impl Fn(&Route) -> bool) {
        for (len, m) in self.by_len.iter_mut().enumerate() {
            m.nets.retain(|_, v| {
                v.retain(&pred);
                !v.is_empty()
            });
            m.refilter();
            if m.nets.is_empty() {
                self.used_lens &= !(1 << len);
            }
        }
    }

    /// Longest-prefix match: candidate routes for `dst`, most specific first.
    pub fn lookup(&self, dst: Ipv4Addr) -> impl Iterator<Item = &Route> {
        let d = u32::from(dst);
        // Only the prefix lengths in use, longest first.
        let mut used = self.used_lens;
        std::iter::from_fn(move || {
            while used != 0 {
                let l = 63 - used.leading_zeros();
                used &= !(1u64 << l);
                if let Some(v) = self.by_len[l as usize].get(d & netmask(l)) {
                    return Some(v);
                }
            }
            None
        })
        .flatten()
    }

    /// fib_table_lookup(): the first route `pred` accepts, most specific
    /// prefix first; lookup(dst).find(pred) without the iterator plumbing.
    #[inline]
    pub fn first(&self, dst: Ipv4Addr, mut pred: impl FnMut(&Route) -> bool) -> Option<&Route> {
        let d = u32::from(dst);
        let mut used = self.used_lens;
        while used != 0 {
            let l = 63 - used.leading_zeros();
            used &= !(1u64 << l);
            if let Some(v) = self.by_len[l as usize].get(d & netmask(l)) {
                if let Some(r) = v.iter().find(|r| pred(r)) {
                    return Some(r);
                }
            }
        }
        None
    }

    pub fn iter(&self) -> impl Iterator<Item = &Route> {
        self.by_len.iter().flat_map(|m| m.nets.values().flatten())
    }

    /// Changes routes in place; `f` must keep each route's prefix, tos
    /// and metric (the keys the table is ordered by).
    pub(crate) fn for_each_mut(&mut self, mut f: impl FnMut(&mut Route)) {
        for m in &mut self.by_len {
            m.nets.values_mut().flatten().for_each(&mut f);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.used_lens == 0
    }
}

/// All tables of a namespace, with the default rules (local, main, default).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Fib {
    pub tables: Tables,
}

/// The tables by tb_id. Local and main, which every packet's fib_lookup
/// consults, have their own slots (as the kernel keeps fib_main and
/// fib_local apart from the fib_table_hash): no hash probe per lookup.
/// Boxed so a namespace without routes pays two pointers for them.
#[derive(Clone, Debug, Default)]
pub struct Tables {
    local: Option<Box<Table>>,
    main: Option<Box<Table>>,
    other: HashMap<u32, Table>,
}

impl Tables {
    #[inline]
    pub fn get(&self, id: &u32) -> Option<&Table> {
        match *id {
            RT_TABLE_LOCAL => self.local.as_deref(),
            RT_TABLE_MAIN => self.main.as_deref(),
            id => self.other.get(&id),
        }
    }
    /// The table, created empty if it was not there (fib_new_table).
    pub fn get_or_default(&mut self, id: u32) -> &mut Table {
        match id {
            RT_TABLE_LOCAL => self.local.get_or_insert_default(),
            RT_TABLE_MAIN => self.main.get_or_insert_default(),
            id => self.other.entry(id).or_default(),
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Table)> {
        let fixed = [(RT_TABLE_LOCAL, &self.local), (RT_TABLE_MAIN, &self.main)];
        fixed
            .into_iter()
            .filter_map(|(id, t)| Some((id, t.as_deref()?)))
            .chain(self.other.iter().map(|(&id, t)| (id, t)))
    }
    pub fn keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.iter().map(|(id, _)| id)
    }
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Table> {
        self.local
            .as_deref_mut()
            .into_iter()
            .chain(self.main.as_deref_mut())
            .chain(self.other.values_mut())
    }
    pub fn is_empty(&self) -> bool {
        self.local.is_none() && self.main.is_none() && self.other.is_empty()
    }
}

/// Saved as the (tb_id, table) pairs the HashMap it replaced saved.
impl Serialize for Tables {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Tables {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut t = Tables::default();
        for (id, table) in Vec::<(u32, Table)>::deserialize(d)? {
            *t.get_or_default(id) = table;
        }
        Ok(t)
    }
}

impl Fib {
    #[inline]
    pub fn table(&self, id: u32) -> Option<&Table> {
        self.tables.get(&id)
    }
    pub fn table_mut(&mut self, id: u32) -> &mut Table {
        self.tables.get_or_default(id)
    }
    /// The order the default policy rules consult tables in.
    pub fn rule_order() -> [u32; 3] {
        [RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT]
    }
    /// Every route of every table, ordered as `ip route show table all` lists them.
    pub fn all_sorted(&self, table: Option<u32>) -> Vec<&Route> {
        let ids: Vec<u32> = match table {
            Some(t) => vec![t],
            None => {
                // Tables come in id order (a user table, then main 254, local 255).
                let mut v: Vec<u32> = self.tables.keys().collect();
                v.sort();
                v
            }
        };
        let mut out = Vec::new();
        for id in ids {
            if let Some(t) = self.tables.get(&id) {
                let mut rs: Vec<&Route> = t.iter().collect();
                // fib_trie dumps in key order (network ascending, shorter prefix first for equal keys).
                // Stable: equal prefixes keep their insertion order.
                rs.sort_by_key(|r| (u32::from(r.dst.addr), r.dst.len));
                out.extend(rs);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn route(dst: Prefix4, metric: u32) -> Route {
        Route {
            table: RT_TABLE_MAIN,
            dst,
            tos: 0,
            rtype: RouteType::Unicast,
            proto: proto::BOOT,
            scope: Scope::Universe,
            metric,
            gateway: None,
            dev: Some(metric),
            prefsrc: None,
            onlink: false,
            mtu: None,
            nh: Nexthops::Single,
            nhid: None,
        }
    }

    /// The lab file keeps the (tb_id, table) pairs the HashMap saved, and
    /// they load back into the same tables.
    #[test]
    fn fib_saves_and_loads_its_tables() {
        let mut f = Fib::default();
        assert!(f.tables.is_empty());
        for (i, id) in [RT_TABLE_LOCAL, RT_TABLE_MAIN, 100].into_iter().enumerate() {
            let mut r = route(Prefix4::new(Ipv4Addr::new(10, i as u8, 0, 0), 16), 1);
            r.table = id;
            f.table_mut(id).insert(r);
        }
        let json = serde_json::to_string(&f).unwrap();
        let pairs: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(pairs["tables"].as_array().unwrap().len(), 3);
        let g: Fib = serde_json::from_str(&json).unwrap();
        assert_eq!(g.all_sorted(None), f.all_sorted(None));
        let mut ids: Vec<u32> = g.tables.keys().collect();
        ids.sort();
        assert_eq!(ids, [100, RT_TABLE_MAIN, RT_TABLE_LOCAL]);
        let ip = Ipv4Addr::new(10, 1, 2, 3);
        assert_eq!(
            g.table(RT_TABLE_MAIN).and_then(|t| t.first(ip, |_| true)),
            f.all_sorted(Some(RT_TABLE_MAIN)).first().copied()
        );
    }

    proptest! {
        /// The indexed lookup returns exactly what a linear longest-prefix
        /// scan (then lowest metric, then first inserted) returns.
        #[test]
        fn lookup_agrees_with_a_linear_scan(
            prefixes in proptest::collection::vec((any::<u32>(), 0u8..=32, 0u32..4), 0..60),
            probes in proptest::collection::vec(any::<u32>(), 1..40),
        ) {
            let mut t = Table::default();
            let mut all = Vec::new();
            for (a, len, metric) in prefixes {
                let r = route(Prefix4::new(Ipv4Addr::from(a), len), metric);
                t.insert(r.clone());
                all.push(r);
            }
            for p in probes {
                let ip = Ipv4Addr::from(p);
                let best = all
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.dst.contains(ip))
                    .min_by_key(|(i, r)| (std::cmp::Reverse(r.dst.len), r.metric, *i))
                    .map(|(_, r)| r);
                prop_assert_eq!(t.lookup(ip).next(), best);
            }
        }

        /// Inserts (appending and first), removals and retain, then every
        /// lookup and first() returns what a linear scan of the surviving
        /// routes does; the Bloom filters never hide a route.
        #[test]
        fn edits_then_lookups_agree_with_a_linear_scan(
            ops in proptest::collection::vec(
                (
                    0u8..6,
                    prop_oneof![any::<u32>(), (0u32..4).prop_map(|x| x << 28 | 1)],
                    prop_oneof![0u8..=32, Just(32u8), Just(8u8), Just(0u8)],
                    0u32..3,
                    0u8..2,
                ),
                0..80,
            ),
            probes in proptest::collection::vec(any::<u32>(), 1..20),
        ) {
            let mut t = Table::default();
            // (route, order key): within a prefix and (tos, metric), insert
            // goes after its equals (+i) and insert_first before them (-i).
            let mut all: Vec<(Route, i64)> = Vec::new();
            let mut keys = Vec::new();
            for (i, (op, a, len, metric, tos)) in ops.into_iter().enumerate() {
                let p = Prefix4::new(Ipv4Addr::from(a), len);
                keys.push(a);
                let mut r = route(p, metric);
                r.tos = tos;
                r.dev = Some(i as u32);
                let key = |(r, o): &(Route, i64)| (r.tos, r.metric, *o);
                match op {
                    0 | 1 => {
                        t.insert(r.clone());
                        all.push((r, i as i64));
                    }
                    2 => {
                        t.insert_first(r.clone());
                        all.push((r, -(i as i64)));
                    }
                    3 | 4 => {
                        // The first route of the prefix, in table order, with this metric.
                        let gone = all
                            .iter()
                            .enumerate()
                            .filter(|(_, x)| x.0.dst == p && x.0.metric == metric)
                            .min_by_key(|(_, x)| key(x))
                            .map(|(j, _)| j);
                        let n = t.remove_where(p, |x| x.metric == metric);
                        prop_assert_eq!(n, usize::from(gone.is_some()));
                        if let Some(j) = gone {
                            all.remove(j);
                        }
                    }
                    _ => {
                        t.retain(|x| x.metric != metric);
                        all.retain(|x| x.0.metric != metric);
                    }
                }
            }
            prop_assert_eq!(t.iter().count(), all.len());
            prop_assert_eq!(t.is_empty(), all.is_empty());
            for p in probes.into_iter().chain(keys) {
                let ip = Ipv4Addr::from(p);
                let mut want: Vec<&(Route, i64)> =
                    all.iter().filter(|x| x.0.dst.contains(ip)).collect();
                want.sort_by_key(|(r, o)| (std::cmp::Reverse(r.dst.len), r.tos, r.metric, *o));
                let want: Vec<&Route> = want.into_iter().map(|x| &x.0).collect();
                let got: Vec<&Route> = t.lookup(ip).collect();
                prop_assert_eq!(&got, &want);
                let odd = |r: &Route| r.dev.is_some_and(|d| d % 2 == 1);
                prop_assert_eq!(t.first(ip, odd), want.iter().copied().find(|r| odd(r)));
            }
        }

        /// Removing a route makes lookups behave as if it never was.
        #[test]
        fn remove_restores_the_previous_answer(a in any::<u32>(), len in 0u8..=32, probe in any::<u32>()) {
            let mut t = Table::default();
            t.insert(route(Prefix4::DEFAULT, 7));
            let before = t.lookup(Ipv4Addr::from(probe)).next().cloned();
            let p = Prefix4::new(Ipv4Addr::from(a), len);
            t.insert(route(p, 1));
            prop_assert_eq!(t.remove_where(p, |r| r.metric == 1), 1);
            prop_assert_eq!(t.lookup(Ipv4Addr::from(probe)).next().cloned(), before);
        }
    }
}
