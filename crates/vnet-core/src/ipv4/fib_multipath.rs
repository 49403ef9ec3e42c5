//! Multipath path selection (fib_select_multipath in fib_semantics.c and
//! fib_multipath_hash in route.c): which next hop of an ECMP route a flow
//! takes. Read first: `fib_select_path`, applied after the table lookup.
//!
//! Each next hop owns the slice of a 31-bit hash space proportional to its
//! weight (fib_rebalance's upper bounds); a flow's hash picks the first
//! next hop whose upper bound is not below it. Dead next hops (device
//! down) own nothing, nor do ones whose link is down when the device has
//! `ignore_routes_with_linkdown`. The hash covers the fields the namespace's
//! `fib_multipath_hash_policy` names, keyed with a per-namespace seed: the
//! kernel's is random at boot, vnet's comes from the lab's seed, so which
//! path one flow takes differs from a kernel's but the spread does not.

use crate::dev::DevRef;
use crate::flow::{Flowi4, Flowi6};
use crate::ipv4::fib::{FibNh, Nexthops, Route};
use crate::types::NsId;
use crate::world::World;
use std::net::Ipv4Addr;

/// FIB_MULTIPATH_HASH_FIELD_* bits of `fib_multipath_hash_fields`.
pub mod field {
    pub const SRC_IP: u32 = 0x1;
    pub const DST_IP: u32 = 0x2;
    pub const IP_PROTO: u32 = 0x4;
    pub const FLOWLABEL: u32 = 0x8;
    pub const SRC_PORT: u32 = 0x10;
    pub const DST_PORT: u32 = 0x20;
    /// What policies 0 and 2 hash (the addresses).
    pub const L3: u32 = SRC_IP | DST_IP;
    /// What policy 1 hashes (the 5-tuple).
    pub const L4: u32 = SRC_IP | DST_IP | IP_PROTO | SRC_PORT | DST_PORT;
}

/// The fields a hash policy covers (policy 3: the `hash_fields` mask).
/// Policy 2 hashes inner headers of encapsulated packets; vnet hashes the
/// outer ones, as policy 0 does.
pub fn policy_fields(policy: i64, custom: i64) -> u32 {
    match policy {
        1 => field::L4,
        3 => custom as u32,
        _ => field::L3,
    }
}

/// The flow key of a forwarded packet, as the flow dissector reads it:
/// addresses, protocol, and the ports of TCP and UDP (not of fragments).
pub fn flow_of_packet(pkt: &[u8]) -> Flowi4 {
    let iph = crate::wire::ipv4::Ipv4Hdr::new_unchecked(pkt);
    let mut fl = Flowi4::to(iph.dst());
    fl.saddr = iph.src();
    fl.proto = iph.protocol();
    fl.tos = iph.tos();
    let l4 = iph.payload();
    if matches!(fl.proto, 6 | 17) && !iph.is_fragment() && l4.len() >= 4 {
        fl.sport = u16::from_be_bytes([l4[0], l4[1]]);
        fl.dport = u16::from_be_bytes([l4[2], l4[3]]);
    }
    fl
}

/// The flow key of a forwarded IPv6 packet: addresses, flow label, the
/// upper-layer protocol and the ports of TCP and UDP.
pub fn flow6_of_packet(pkt: &[u8]) -> Flowi6 {
    use crate::wire::ipv6::{hdr_dst, hdr_src, upper_layer};
    let mut fl = Flowi6::to(hdr_dst(pkt));
    fl.saddr = hdr_src(pkt);
    fl.flowlabel = u32::from_be_bytes([0, pkt[1] & 0x0f, pkt[2], pkt[3]]);
    if let Some((proto, off)) = upper_layer(pkt) {
        fl.proto = proto;
        if matches!(proto, 6 | 17) && pkt.len() >= off + 4 {
            fl.sport = u16::from_be_bytes([pkt[off], pkt[off + 1]]);
            fl.dport = u16::from_be_bytes([pkt[off + 2], pkt[off + 3]]);
        }
    }
    fl
}

/// One 64-bit mixing round (a multiply-xorshift finaliser): every input bit
/// reaches every output bit, which is all a path choice needs.
#[inline]
fn mix(h: u64, v: u64) -> u64 {
    let x = (h ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let x = (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^ (x >> 32)
}

/// The multipath hash seed of a namespace: fixed by the lab's seed and
/// the namespace, as the kernel's hashrnd is fixed at boot.
#[inline]
fn ns_seed(w: &World, ns: NsId) -> u64 {
    mix(w.hash_seed, ns as u64 ^ 0x6d70_6174_6873_6565)
}

/// The 31-bit hash of an IPv4 flow under `fields` (fib_multipath_hash).
pub fn hash4(seed: u64, fl: &Flowi4, fields: u32) -> u32 {
    let mut h = seed;
    if fields & field::SRC_IP != 0 {
        h = mix(h, u64::from(u32::from(fl.saddr)));
    }
    if fields & field::DST_IP != 0 {
        h = mix(h, u64::from(u32::from(fl.daddr)) << 32);
    }
    if fields & field::IP_PROTO != 0 {
        h = mix(h, u64::from(fl.proto) << 40 | 1);
    }
    if fields & field::SRC_PORT != 0 {
        h = mix(h, u64::from(fl.sport) << 16 | 2);
    }
    if fields & field::DST_PORT != 0 {
        h = mix(h, u64::from(fl.dport) << 24 | 3);
    }
    (mix(h, 0) >> 33) as u32
}

/// The 31-bit hash of an IPv6 flow under `fields` (rt6_multipath_hash).
pub fn hash6(seed: u64, fl: &Flowi6, fields: u32) -> u32 {
    let mut h = seed;
    if fields & field::SRC_IP != 0 {
        let a = u128::from(fl.saddr);
        h = mix(mix(h, a as u64), (a >> 64) as u64);
    }
    if fields & field::DST_IP != 0 {
        let a = u128::from(fl.daddr);
        h = mix(mix(h, (a >> 64) as u64 ^ 5), a as u64);
    }
    if fields & field::FLOWLABEL != 0 {
        h = mix(h, u64::from(fl.flowlabel) << 8 | 4);
    }
    if fields & field::IP_PROTO != 0 {
        h = mix(h, u64::from(fl.proto) << 40 | 1);
    }
    if fields & field::SRC_PORT != 0 {
        h = mix(h, u64::from(fl.sport) << 16 | 2);
    }
    if fields & field::DST_PORT != 0 {
        h = mix(h, u64::from(fl.dport) << 24 | 3);
    }
    (mix(h, 0) >> 33) as u32
}

/// fib_rebalance() and the walk of fib_select_multipath(): the index of
/// the first usable weight whose upper bound (its share of 2^31, rounded
/// to the closest) reaches `hash`. `usable(i)` says whether next hop i
/// counts at all; with none usable, the first next hop.
pub fn select_by_weight(
    weights: impl Iterator<Item = u16> + Clone,
    usable: impl Fn(usize) -> bool,
    hash: u32,
) -> usize {
    let total: u64 = weights
        .clone()
        .enumerate()
        .filter(|(i, _)| usable(*i))
        .map(|(_, w)| u64::from(w))
        .sum();
    if total == 0 {
        return 0;
    }
    let mut acc = 0u64;
    for (i, w) in weights.enumerate() {
        if !usable(i) {
            continue;
        }
        acc += u64::from(w);
        let upper = ((acc << 31) + total / 2) / total - 1;
        if u64::from(hash) <= upper {
            return i;
        }
    }
    0
}

/// A next hop's flags as the kernel keeps them: RTNH_F_DEAD (the device is
/// down) and RTNH_F_LINKDOWN (no carrier, or down).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NhState {
    pub dead: bool,
    pub linkdown: bool,
}

impl World {
    /// The flags of a next hop through `dev`.
    pub fn nh_state(&self, ns: NsId, dev: u32) -> NhState {
        let r = DevRef { ns, ifindex: dev };
        let up = self.dev(r).is_some_and(|d| d.up);
        NhState {
            dead: !up,
            linkdown: !up || !self.carrier(r),
        }
    }

    /// Whether a next hop takes no share of the hash space (fib_rebalance):
    /// dead, or link down on a device with ignore_routes_with_linkdown.
    fn nh_unusable(&self, ns: NsId, dev: u32) -> bool {
        let s = self.nh_state(ns, dev);
        if s.dead {
            return true;
        }
        s.linkdown && {
            let n = self.ns(ns);
            let name = n.dev(dev).map_or("", |d| d.name.as_str());
            n.sysctl
                .get_int("net.ipv4.conf.all.ignore_routes_with_linkdown")
                != 0
                || n.sysctl
                    .get_int(&format!("net.ipv4.conf.{name}.ignore_routes_with_linkdown"))
                    != 0
        }
    }

    /// fib_good_nh(): with fib_multipath_use_neigh, a link-scope next hop
    /// whose neighbour entry exists but is not valid (INCOMPLETE, FAILED)
    /// is passed over.
    fn fib_good_nh(&self, ns: NsId, h: &FibNh) -> bool {
        let key = h.gateway;
        match key {
            None => true,
            Some(g) => self
                .ns(ns)
                .neigh
                .get(h.dev, g)
                .is_none_or(|n| n.state.valid()),
        }
    }

    /// The multipath hash of an IPv4 flow in namespace `ns`, per its
    /// `fib_multipath_hash_policy` (and `_fields` for policy 3).
    pub fn fib_multipath_hash(&self, ns: NsId, fl: &Flowi4) -> u32 {
        let s = &self.ns(ns).sysctl;
        let fields = policy_fields(
            s.get_int("net.ipv4.fib_multipath_hash_policy"),
            s.get_int("net.ipv4.fib_multipath_hash_fields"),
        );
        hash4(ns_seed(self, ns), fl, fields)
    }

    /// The multipath hash of an IPv6 flow (rt6_multipath_hash).
    pub fn rt6_multipath_hash(&self, ns: NsId, fl: &Flowi6) -> u32 {
        let s = &self.ns(ns).sysctl;
        let fields = policy_fields(
            s.get_int("net.ipv6.fib_multipath_hash_policy"),
            s.get_int("net.ipv6.fib_multipath_hash_fields"),
        );
        // Policy 0 for IPv6 hashes the flow label and next header too.
        let fields = if s.get_int("net.ipv6.fib_multipath_hash_policy") == 0 {
            fields | field::FLOWLABEL | field::IP_PROTO
        } else {
            fields
        };
        hash6(ns_seed(self, ns), fl, fields)
    }

    /// fib_select_path(): the gateway and device a flow takes through
    /// `rt`. A single-path route is its own; a multipath route's next hop
    /// is the one the flow's output device names, else the hash's.
    #[inline]
    pub fn fib_select_path(
        &self,
        ns: NsId,
        rt: &Route,
        fl: &Flowi4,
    ) -> (Option<Ipv4Addr>, Option<u32>) {
        match &rt.nh {
            Nexthops::Single => (rt.gateway, rt.dev),
            Nexthops::Multi(hops) => {
                // A resilient group's bucket table, else hash-threshold.
                let i = match rt.nhid {
                    Some(_) => self
                        .nh_res_select(ns, rt, self.fib_multipath_hash(ns, fl))
                        .unwrap_or_else(|| self.fib_select_multipath(ns, hops, fl)),
                    None => self.fib_select_multipath(ns, hops, fl),
                };
                let h = &hops[i];
                (h.gateway, Some(h.dev))
            }
        }
    }

    /// fib_select_multipath(): the index of the next hop a flow takes.
    pub fn fib_select_multipath(&self, ns: NsId, hops: &[FibNh], fl: &Flowi4) -> usize {
        if let Some(o) = fl.oif {
            if let Some(i) = hops.iter().position(|h| h.dev == o) {
                return i;
            }
        }
        let use_neigh = self
            .ns(ns)
            .sysctl
            .get_int("net.ipv4.fib_multipath_use_neigh")
            != 0;
        let hash = self.fib_multipath_hash(ns, fl);
        let usable = |i: usize| {
            let h = &hops[i];
            !self.nh_unusable(ns, h.dev) && (!use_neigh || self.fib_good_nh(ns, h))
        };
        let i = select_by_weight(hops.iter().map(|h| h.weight), usable, hash);
        if use_neigh && !usable(i) {
            // No good next hop: the first one alive, as `first` in the kernel.
            return hops
                .iter()
                .position(|h| !self.nh_unusable(ns, h.dev))
                .unwrap_or(0);
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Weights 1 and 2 split the hash space one third / two thirds, with
    /// fib_rebalance's rounding: bounds (2^31)/3 - 1 and 2^31 - 1.
    #[test]
    fn upper_bounds_follow_the_weights() {
        let w = [1u16, 2];
        let third = ((1u64 << 31) + 1) / 3 - 1;
        assert_eq!(
            select_by_weight(w.iter().copied(), |_| true, third as u32),
            0
        );
        assert_eq!(
            select_by_weight(w.iter().copied(), |_| true, third as u32 + 1),
            1
        );
        assert_eq!(
            select_by_weight(w.iter().copied(), |_| true, (1 << 31) - 1),
            1
        );
        // A dead next hop owns nothing: everything goes to the other.
        assert_eq!(
            select_by_weight(w.iter().copied(), |i| i != 1, (1 << 31) - 1),
            0
        );
        assert_eq!(select_by_weight(w.iter().copied(), |i| i != 0, 0), 1);
        // None usable: the first.
        assert_eq!(select_by_weight(w.iter().copied(), |_| false, 5), 0);
    }

    /// The L3 policy hashes only addresses: ports do not move a flow.
    #[test]
    fn l3_hash_ignores_ports_and_l4_does_not() {
        let mut a = Flowi4::to(Ipv4Addr::new(10, 2, 0, 2));
        a.saddr = Ipv4Addr::new(10, 0, 0, 2);
        a.proto = 17;
        let hashes = |fields| {
            (40000u16..40064)
                .map(|p| {
                    let mut f = a;
                    f.sport = p;
                    hash4(7, &f, fields)
                })
                .collect::<std::collections::BTreeSet<u32>>()
                .len()
        };
        assert_eq!(hashes(field::L3), 1);
        assert_eq!(hashes(field::L4), 64);
    }

    proptest! {
        /// Over many flows the share each next hop takes follows its weight
        /// (within 3 percentage points over 20,000 flows).
        #[test]
        fn flows_spread_in_proportion_to_the_weights(
            weights in proptest::collection::vec(1u16..=256, 2..6),
            seed in any::<u64>(),
        ) {
            let n = 20_000u32;
            let mut count = vec![0u32; weights.len()];
            for i in 0..n {
                let mut f = Flowi4::to(Ipv4Addr::from(0x0a02_0000 + (i % 251)));
                f.saddr = Ipv4Addr::from(0x0a00_0000 + i / 251);
                f.proto = 6;
                f.sport = (i * 7919) as u16;
                f.dport = 80;
                let h = hash4(seed, &f, field::L4);
                count[select_by_weight(weights.iter().copied(), |_| true, h)] += 1;
            }
            let total: u32 = weights.iter().map(|&w| u32::from(w)).sum();
            for (w, c) in weights.iter().zip(&count) {
                let want = f64::from(*w) / f64::from(total);
                let got = f64::from(*c) / f64::from(n);
                prop_assert!((want - got).abs() < 0.03, "weight {} of {}: {} flows of {}", w, total, c, n);
            }
        }

        /// The IPv6 hash spreads as evenly.
        #[test]
        fn v6_flows_spread_evenly(seed in any::<u64>()) {
            let mut count = [0u32; 2];
            for i in 0..10_000u32 {
                let mut f = Flowi6::to(std::net::Ipv6Addr::from(0x2001_0db8_u128 << 96 | u128::from(i)));
                f.saddr = std::net::Ipv6Addr::from(0x2001_0db8_0001_u128 << 80 | 1);
                count[select_by_weight([1u16, 1].into_iter(), |_| true, hash6(seed, &f, field::L3))] += 1;
            }
            prop_assert!((4700..5300).contains(&count[0]), "{:?}", count);
        }
    }
}
