//! Proxy neighbour entries (pneigh, net/core/neighbour.c): addresses a
//! host answers ARP requests and neighbour solicitations for on another
//! host's behalf (`ip neigh add proxy ADDR [dev DEV] [router]`), and the
//! delayed answers a proxy gives to broadcast and multicast questions
//! (pneigh_enqueue(), neigh_proxy_process()).
//!
//! Read first: arp_process() and ndisc_recv_ns(), which consult these
//! (neigh/arp.rs, neigh/ndisc.rs).

use crate::dev::DevRef;
use crate::error::{Errno, KResult};
use crate::types::{NsId, Time};
use crate::world::{Event, World};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv6Addr};

/// One proxy entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pneigh {
    pub key: IpAddr,
    /// The device it answers on; None (added without `dev`) for all.
    pub dev: Option<u32>,
    /// NTF_ROUTER: a proxied neighbour advertisement says "router".
    pub router: bool,
}

/// The proxy entries of one namespace, oldest first.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PneighTable {
    entries: Vec<Pneigh>,
}

/// pneigh_hash(): the last four bytes of the key, read as the machine's
/// (little-endian) u32, folded into PNEIGH_HASHMASK + 1 = 16 buckets.
fn pneigh_hash(key: IpAddr) -> u32 {
    let o = match key {
        IpAddr::V4(a) => a.octets(),
        IpAddr::V6(a) => a.octets()[12..].try_into().unwrap_or([0; 4]),
    };
    let mut h = u32::from_le_bytes(o);
    h ^= h >> 16;
    h ^= h >> 8;
    h ^= h >> 4;
    h & 0xf
}

impl PneighTable {
    /// pneigh_lookup(): the entry for `key` on `dev`, or one for every
    /// device.
    pub fn lookup(&self, key: IpAddr, dev: Option<u32>) -> Option<&Pneigh> {
        self.entries
            .iter()
            .find(|p| p.key == key && (p.dev == dev || p.dev.is_none()))
    }

    /// The entries as a dump lists them (pneigh_dump_table()): IPv4's
    /// table before IPv6's, bucket by bucket, newest first in a bucket.
    pub fn dump_order(&self) -> Vec<&Pneigh> {
        let mut v: Vec<(usize, &Pneigh)> = self.entries.iter().enumerate().collect();
        v.sort_by_key(|(i, p)| (p.key.is_ipv6(), pneigh_hash(p.key), std::cmp::Reverse(*i)));
        v.into_iter().map(|(_, p)| p).collect()
    }

    /// pneigh_ifdown(): a device going down or away takes its entries.
    pub(crate) fn ifdown(&mut self, dev: u32) {
        self.entries.retain(|p| p.dev != Some(dev));
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A question a proxy answers later, when its random delay is over.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProxyRedo {
    /// An ARP request (its ARP header and body).
    Arp { body: Vec<u8> },
    /// A neighbour solicitation: its source, destination and ICMPv6 message.
    Ndisc {
        src: Ipv6Addr,
        dst: Ipv6Addr,
        msg: Vec<u8>,
    },
}

impl World {
    /// RTM_NEWNEIGH with NTF_PROXY: adding an entry that exists only sets
    /// its flags (neigh_add()). An IPv6 entry joins the target's
    /// solicited-node group, so it needs a device with IPv6
    /// (pndisc_constructor(); its failure is neigh_add()'s ENOBUFS).
    pub fn pneigh_add(
        &mut self,
        ns: NsId,
        key: IpAddr,
        dev: Option<u32>,
        router: bool,
    ) -> KResult<()> {
        if key.is_ipv6() {
            let n = self.ns(ns);
            let ipv6 = dev
                .and_then(|i| n.dev(i))
                .is_some_and(|d| !n.sysctl.ipv6_disabled(&d.name));
            if !ipv6 {
                return Err(Errno::ENOBUFS.into());
            }
        }
        let t = &mut self.ns_mut(ns).neigh.proxies;
        let found = t
            .entries
            .iter_mut()
            .find(|p| p.key == key && (p.dev == dev || p.dev.is_none()));
        match found {
            Some(p) => p.router = router,
            None => t.entries.push(Pneigh { key, dev, router }),
        }
        Ok(())
    }

    /// RTM_DELNEIGH with NTF_PROXY (pneigh_delete()): the entry for exactly
    /// that device; ENOENT when there is none.
    pub fn pneigh_del(&mut self, ns: NsId, key: IpAddr, dev: Option<u32>) -> KResult<()> {
        let t = &mut self.ns_mut(ns).neigh.proxies;
        match t.entries.iter().position(|p| p.key == key && p.dev == dev) {
            Some(i) => {
                t.entries.remove(i);
                Ok(())
            }
            None => Err(Errno::ENOENT.into()),
        }
    }

    /// pneigh_enqueue(): answer after a random time below the device's
    /// proxy_delay (USER_HZ); false when the delay is 0 (answer now).
    pub(crate) fn pneigh_enqueue(&mut self, r: DevRef, v6: bool, redo: ProxyRedo) -> bool {
        let n = self.ns(r.ns);
        let Some(d) = n.dev(r.ifindex) else {
            return false;
        };
        let fam = if v6 { "ipv6" } else { "ipv4" };
        let delay = n
            .sysctl
            .get(
                &format!("net.{fam}.neigh.{}.proxy_delay", d.name),
                &[&d.name],
            )
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(80);
        if delay == 0 {
            return false;
        }
        let ns_delay = delay.saturating_mul(10_000_000);
        let at = self.now + Time(self.rng.range(0, ns_delay));
        self.schedule(at, Event::ProxyRedo { dev: r, redo });
        true
    }

    /// neigh_proxy_process(): a delayed question is answered now.
    pub(crate) fn proxy_redo(&mut self, r: DevRef, redo: ProxyRedo) {
        if self.dev(r).is_none() {
            return;
        }
        match redo {
            ProxyRedo::Arp { body } => self.arp_process(r, &body, false, true),
            ProxyRedo::Ndisc { src, dst, msg } => self.ndisc_ns_process(r, src, dst, &msg, true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_order_follows_the_kernel_hash_buckets() {
        // As recorded (n22_proxy_arp): 10.0.1.9 (bucket 2), 10.0.1.3 (8), 10.0.1.2 (9).
        let mut t = PneighTable::default();
        for a in ["10.0.1.2", "10.0.1.3", "10.0.1.9"] {
            t.entries.push(Pneigh {
                key: a.parse().unwrap(),
                dev: None,
                router: false,
            });
        }
        let order: Vec<String> = t.dump_order().iter().map(|p| p.key.to_string()).collect();
        assert_eq!(order, ["10.0.1.9", "10.0.1.3", "10.0.1.2"]);
        assert_eq!(pneigh_hash("10.0.1.3".parse().unwrap()), 8);
    }

    #[test]
    fn lookup_takes_an_entry_for_every_device() {
        let mut t = PneighTable::default();
        t.entries.push(Pneigh {
            key: "10.0.0.5".parse().unwrap(),
            dev: None,
            router: false,
        });
        assert!(t.lookup("10.0.0.5".parse().unwrap(), Some(3)).is_some());
        t.entries[0].dev = Some(2);
        assert!(t.lookup("10.0.0.5".parse().unwrap(), Some(3)).is_none());
        t.ifdown(2);
        assert!(t.is_empty());
    }
}
