//! Small value types shared by the whole core: time, MAC addresses, ids, prefixes.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;

/// Virtual time in nanoseconds since the world booted. The core never reads a clock.
///
/// Arithmetic saturates at [`Time::MAX`] (about 584 years) instead of
/// wrapping: `sleep 1.85e10` or a timer doubled forever ends at the end of
/// time, never back at boot with the queue out of order. A run's virtual
/// time budget (`World::set_limits`) stops far before that.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Time(pub u64);

impl Time {
    pub const ZERO: Time = Time(0);
    /// The end of time, where saturating arithmetic stops.
    pub const MAX: Time = Time(u64::MAX);
    pub const fn from_secs(s: u64) -> Time {
        Time(s.saturating_mul(1_000_000_000))
    }
    pub const fn from_millis(ms: u64) -> Time {
        Time(ms.saturating_mul(1_000_000))
    }
    pub const fn from_micros(us: u64) -> Time {
        Time(us.saturating_mul(1_000))
    }
    /// Seconds as a float (negative, NaN: zero; too large: [`Time::MAX`]).
    pub fn from_secs_f64(s: f64) -> Time {
        // `as` saturates float-to-int conversions and maps NaN to 0.
        Time((s * 1e9) as u64)
    }
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e9
    }
    pub fn saturating_sub(self, o: Time) -> Time {
        Time(self.0.saturating_sub(o.0))
    }
    /// `self * k`, saturating.
    pub const fn mul(self, k: u64) -> Time {
        Time(self.0.saturating_mul(k))
    }
}

impl std::ops::Add for Time {
    type Output = Time;
    #[inline]
    fn add(self, o: Time) -> Time {
        Time(self.0.saturating_add(o.0))
    }
}

/// Index of a network namespace inside the world (not the `ip netns` id).
pub type NsId = usize;

/// An Ethernet address.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    pub const ZERO: Mac = Mac([0; 6]);
    pub const BROADCAST: Mac = Mac([0xff; 6]);
    pub fn is_multicast(&self) -> bool {
        self.0[0] & 1 == 1
    }
    pub fn is_broadcast(&self) -> bool {
        *self == Mac::BROADCAST
    }
    pub fn parse(s: &str) -> Option<Mac> {
        let mut m = [0u8; 6];
        let mut parts = s.split(':');
        for b in m.iter_mut() {
            let p = parts.next()?;
            if p.is_empty() || p.len() > 2 {
                return None;
            }
            *b = u8::from_str_radix(p, 16).ok()?;
        }
        parts.next().is_none().then_some(Mac(m))
    }
    /// The modified EUI-64 interface identifier (RFC 4291 appendix A).
    pub fn eui64(&self) -> [u8; 8] {
        let m = self.0;
        [m[0] ^ 2, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]]
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let m = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// An IPv4 prefix, always stored with host bits cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Prefix4 {
    pub addr: Ipv4Addr,
    pub len: u8,
}

impl Prefix4 {
    pub fn new(addr: Ipv4Addr, len: u8) -> Prefix4 {
        Prefix4 {
            addr: Ipv4Addr::from(u32::from(addr) & mask(len)),
            len,
        }
    }
    pub fn contains(&self, a: Ipv4Addr) -> bool {
        u32::from(a) & mask(self.len) == u32::from(self.addr)
    }
    pub fn mask(&self) -> Ipv4Addr {
        Ipv4Addr::from(mask(self.len))
    }
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) | !mask(self.len))
    }
    pub const DEFAULT: Prefix4 = Prefix4 {
        addr: Ipv4Addr::UNSPECIFIED,
        len: 0,
    };
}

impl fmt::Display for Prefix4 {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

/// The netmask for a prefix length.
pub fn mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - len.min(32) as u32)
    }
}

/// Deterministic random numbers (splitmix64): MACs, reachable times, ids.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A random locally administered unicast MAC, as eth_random_addr() makes.
    pub fn mac(&mut self) -> Mac {
        let v = self.next_u64().to_be_bytes();
        let mut m = [v[0], v[1], v[2], v[3], v[4], v[5]];
        m[0] = (m[0] & 0xfe) | 0x02;
        Mac(m)
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo).max(1)
    }
}

/// A hash map with a fixed hasher: iteration (listings, the lab file) is the
/// same in every run, which `std`'s randomly keyed maps would not give.
pub type Map<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// The multiply-rotate hash of rustc's FxHasher: keys here are small
/// (addresses, ports, ifindexes) and not attacker-chosen hash-flooding
/// material in a simulator, and SipHash was a fifth of the routed packet's
/// cost. `finish` rotates the well-mixed high bits down to where hashbrown
/// takes its bucket index.
#[derive(Clone, Copy, Default)]
pub struct FxHasher(u64);

impl FxHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = self.0.wrapping_add(x).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut c = bytes.chunks_exact(8);
        for w in &mut c {
            self.add(u64::from_le_bytes(w.try_into().unwrap()));
        }
        let r = c.remainder();
        if !r.is_empty() {
            let mut w = [0u8; 8];
            w[..r.len()].copy_from_slice(r);
            self.add(u64::from_le_bytes(w) ^ ((r.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, x: u8) {
        self.add(x as u64);
    }
    #[inline]
    fn write_u16(&mut self, x: u16) {
        self.add(x as u64);
    }
    #[inline]
    fn write_u32(&mut self, x: u32) {
        self.add(x as u64);
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    #[inline]
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// A hash map that costs one pointer until its first entry: per-namespace
/// caches (fragment queues, path MTUs, ICMP rate limits) most namespaces
/// never fill, and a million namespaces are a target. Stored as a list of
/// pairs, as `map_as_vec` stores a map.
#[derive(Clone, Debug)]
pub struct LazyMap<K, V>(Option<Box<Map<K, V>>>);

impl<K, V> Default for LazyMap<K, V> {
    fn default() -> Self {
        LazyMap(None)
    }
}

impl<K: Eq + std::hash::Hash, V> LazyMap<K, V> {
    pub fn get(&self, k: &K) -> Option<&V> {
        self.0.as_ref()?.get(k)
    }
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        self.0.get_or_insert_with(Default::default).insert(k, v)
    }
    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.0.as_mut()?.get_mut(k)
    }
    pub fn remove(&mut self, k: &K) -> Option<V> {
        self.0.as_mut()?.remove(k)
    }
    pub fn entry(&mut self, k: K) -> std::collections::hash_map::Entry<'_, K, V> {
        self.0.get_or_insert_with(Default::default).entry(k)
    }
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|m| m.is_empty())
    }
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().flat_map(|m| m.iter())
    }
}

impl<K: Serialize, V: Serialize> Serialize for LazyMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().flat_map(|m| m.iter()))
    }
}

impl<'de, K, V> Deserialize<'de> for LazyMap<K, V>
where
    K: Deserialize<'de> + Eq + std::hash::Hash,
    V: Deserialize<'de>,
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<(K, V)>::deserialize(d)?;
        Ok(LazyMap(
            (!v.is_empty()).then(|| Box::new(v.into_iter().collect())),
        ))
    }
}

/// Serialises any map as a list of pairs, so maps with non-string keys fit in JSON.
pub mod map_as_vec {
    use super::Map as HashMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::hash::Hash;

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        m: &HashMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(m.iter())
    }
    pub fn deserialize<'de, K, V, D>(d: D) -> Result<HashMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}
