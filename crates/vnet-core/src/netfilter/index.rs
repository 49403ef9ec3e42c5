//! An index over each chain's rules by source address, so a packet visits
//! only the rules that could match it while keeping iptables' semantics —
//! first match in order — exactly.
//!
//! A rule whose fixed part asks for `-s ADDR/MASK` (not inverted) can only
//! match a packet with `src & MASK == ADDR & MASK`: it is filed under that
//! mask and key. Every other rule is "always" a candidate. For a packet, the
//! candidates are the union of one bucket per mask in use and the always
//! list, each sorted by rule number, so "the next rule at or after i that
//! could match" is the least of one binary search per list. Rules skipped
//! this way fail `ip_packet_match()`, which the kernel checks before any
//! match extension, so skipping them has no side effect to lose (no
//! counter, no limit bucket touched).

use super::rule::{addr_bits, IpSpec, Rule};
use crate::types::Map;
use std::net::IpAddr;

/// A rule's `struct ipt_ip` as the kernel keeps it for IPv4: addresses and
/// masks as numbers (`IpSpec` holds `IpAddr`s, for both families), and
/// flags saying which of the slower tests apply at all.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ip4Spec {
    pub src: u32,
    pub smsk: u32,
    pub dst: u32,
    pub dmsk: u32,
    pub proto: u8,
    pub inv: u8,
    pub flags: u8,
}

impl Ip4Spec {
    /// Not all four addresses are IPv4: match with `IpSpec` itself.
    pub const GENERIC: u8 = 0x01;
    /// An input or output interface is named.
    pub const IFACES: u8 = 0x02;
    /// `-f`.
    pub const FRAG: u8 = 0x04;

    fn compile(ip: &IpSpec) -> Ip4Spec {
        let v4 = |a: IpAddr| match a {
            IpAddr::V4(a) => Some(u32::from(a)),
            IpAddr::V6(_) => None,
        };
        let (Some(src), Some(smsk), Some(dst), Some(dmsk)) =
            (v4(ip.src), v4(ip.smsk), v4(ip.dst), v4(ip.dmsk))
        else {
            return Ip4Spec {
                flags: Ip4Spec::GENERIC,
                ..Ip4Spec::default()
            };
        };
        let mut flags = 0;
        if !ip.iniface.is_empty() || !ip.outiface.is_empty() {
            flags |= Ip4Spec::IFACES;
        }
        if ip.frag {
            flags |= Ip4Spec::FRAG;
        }
        Ip4Spec {
            src,
            smsk,
            dst,
            dmsk,
            proto: ip.proto,
            inv: ip.inv,
            flags,
        }
    }
}

/// What evaluation uses of one chain besides its rules.
#[derive(Clone, Debug, Default)]
pub struct Compiled {
    /// Rule by rule, the fixed part (`Ip4Spec::compile`).
    pub ip4: Box<[Ip4Spec]>,
    /// The source index, for long chains.
    pub by_src: Option<ChainIndex>,
}

/// Chains shorter than this are walked rule by rule: the index would not pay.
const MIN_RULES: usize = 32;
/// Distinct masks beyond this (non-contiguous ones, or IPv6 prefixes of
/// many lengths) and the chain is walked rule by rule.
const MAX_MASKS: usize = 33;

/// The rules filed under one source mask.
#[derive(Clone, Debug, Default)]
struct ByMask {
    mask: u128,
    /// Mixed into the key's hash, so that one filter serves every mask.
    salt: u64,
    /// Masked source → rule numbers ascending; addresses of either family
    /// as numbers (`addr_bits`).
    rules: Map<u128, Vec<u32>>,
}

/// The filter bit of a masked source under the mask with `salt`.
#[inline]
fn filter_bit(key: u128, salt: u64, shift: u32) -> usize {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let folded = (key as u64) ^ ((key >> 64) as u64) ^ salt;
    (folded.wrapping_mul(K) >> shift) as usize
}

/// One chain's index.
#[derive(Clone, Debug, Default)]
pub struct ChainIndex {
    by_mask: Vec<ByMask>,
    /// A one-hash Bloom filter of every (mask, key) of `by_mask`, 16 bits
    /// a key (a false hit about one time in 16): most masks have no bucket
    /// for a given packet, and a bit test is cheaper than a hash map probe.
    filter: Box<[u64]>,
    /// 64 minus log2 of the filter's bits.
    shift: u32,
    /// Rules without a source constraint (or with `! -s`), ascending.
    always: Vec<u32>,
}

impl ChainIndex {
    fn build(rules: &[Rule]) -> Option<ChainIndex> {
        if rules.len() < MIN_RULES {
            return None;
        }
        let mut ix = ChainIndex::default();
        for (i, r) in rules.iter().enumerate() {
            let mask = addr_bits(r.ip.smsk);
            if mask == 0 || r.ip.inv & IpSpec::INV_SRCIP != 0 {
                ix.always.push(i as u32);
                continue;
            }
            let key = addr_bits(r.ip.src) & mask;
            let slot = match ix.by_mask.iter().position(|b| b.mask == mask) {
                Some(s) => s,
                None => {
                    if ix.by_mask.len() == MAX_MASKS {
                        return None;
                    }
                    ix.by_mask.push(ByMask {
                        mask,
                        ..ByMask::default()
                    });
                    ix.by_mask.len() - 1
                }
            };
            ix.by_mask[slot]
                .rules
                .entry(key)
                .or_default()
                .push(i as u32);
        }
        // Longer masks first: their buckets are the likelier misses, cheap either way.
        ix.by_mask
            .sort_by_key(|b| std::cmp::Reverse(b.mask.count_ones()));
        let keys: usize = ix.by_mask.iter().map(|b| b.rules.len()).sum();
        let bits = (keys * 16).next_power_of_two().max(64);
        ix.shift = 64 - bits.trailing_zeros();
        let mut filter = vec![0u64; bits / 64];
        for (n, b) in ix.by_mask.iter_mut().enumerate() {
            b.salt = (n as u64 + 1).wrapping_mul(0xd6e8_feb8_6659_fd93);
            for &k in b.rules.keys() {
                let bit = filter_bit(k, b.salt, ix.shift);
                filter[bit / 64] |= 1 << (bit % 64);
            }
        }
        ix.filter = filter.into();
        Some(ix)
    }

    /// The first rule at or after `from` that could match a packet from
    /// `src` (as `addr_bits` gives it).
    pub fn next(&self, s: u128, from: usize) -> Option<usize> {
        let first = |v: &[u32]| {
            let k = v.partition_point(|&r| (r as usize) < from);
            v.get(k).map(|&r| r as usize)
        };
        let mut best = first(&self.always);
        for b in &self.by_mask {
            let key = s & b.mask;
            let bit = filter_bit(key, b.salt, self.shift);
            if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            if let Some(v) = b.rules.get(&key) {
                if let Some(r) = first(v) {
                    best = Some(best.map_or(r, |b| b.min(r)));
                }
            }
        }
        best
    }
}

/// The compiled chains of a table, built on first use after the table
/// changed (a new table, or `table_mut`, starts without; so does a clone,
/// whose chains its owner may edit).
#[derive(Debug, Default)]
pub struct RuleIndex {
    built: bool,
    chains: Vec<Compiled>,
}

impl RuleIndex {
    #[inline]
    pub fn ensure(&mut self, chains: &[super::Chain]) {
        if !self.built {
            self.build(chains);
        }
    }
    #[cold]
    fn build(&mut self, chains: &[super::Chain]) {
        self.chains = chains
            .iter()
            .map(|c| Compiled {
                ip4: c.rules.iter().map(|r| Ip4Spec::compile(&r.ip)).collect(),
                by_src: ChainIndex::build(&c.rules),
            })
            .collect();
        self.built = true;
    }
    #[inline]
    pub fn chain(&self, c: usize) -> Option<&Compiled> {
        self.chains.get(c)
    }
}

impl Clone for RuleIndex {
    fn clone(&self) -> Self {
        RuleIndex::default()
    }
}

// The index is derived data: it never makes two tables differ.
impl PartialEq for RuleIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for RuleIndex {}
