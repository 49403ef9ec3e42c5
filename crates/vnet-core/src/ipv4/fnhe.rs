//! Next-hop exceptions (struct fib_nh_exception, net/ipv4/route.c): the
//! path MTU a "fragmentation needed" teaches a sender
//! (__ip_rt_update_pmtu()), per destination, until
//! net.ipv4.route.mtu_expires runs out. Local packets obey it (DF ones
//! are refused or fragmented to it); forwarded ones do not
//! (ip_dst_mtu_maybe_forward()). `ip route get` and `ip route show cache`
//! show it; `ip route flush cache` forgets them all (fnhe_genid_bump()).

use crate::flow::Flowi4;
use crate::types::{NsId, Time};
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// One exception: the learnt MTU, whether it is locked (an MTU below
/// min_pmtu was offered: min_pmtu is kept and never lowered again), and
/// when it expires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fnhe {
    pub mtu: u32,
    pub locked: bool,
    pub expires: Time,
}

impl World {
    /// The live exception for `daddr`, if any (an expired one is gone).
    pub fn fnhe_lookup(&self, ns: NsId, daddr: Ipv4Addr) -> Option<Fnhe> {
        self.ns(ns)
            .fnhe
            .get(&daddr)
            .copied()
            .filter(|e| self.now < e.expires)
    }

    /// The live exceptions, by destination (what `ip route show cache`
    /// lists).
    pub fn fnhe_list(&self, ns: NsId) -> Vec<(Ipv4Addr, Fnhe)> {
        let mut v: Vec<(Ipv4Addr, Fnhe)> = self
            .ns(ns)
            .fnhe
            .iter()
            .filter(|(_, e)| self.now < e.expires)
            .map(|(a, e)| (*a, *e))
            .collect();
        v.sort_by_key(|(a, _)| *a);
        v
    }

    /// ipv4_mtu(): the MTU a local packet to `daddr` leaving by `dev`
    /// gets: the device's, or a learnt smaller one.
    pub fn ip_path_mtu(&self, ns: NsId, dev: u32, daddr: Ipv4Addr) -> usize {
        let dmtu = self.ns(ns).dev(dev).map_or(1500, |d| d.mtu as usize);
        match self.fnhe_lookup(ns, daddr) {
            Some(e) => dmtu.min(e.mtu as usize),
            None => dmtu,
        }
    }

    /// ipv4_update_pmtu() → __ip_rt_update_pmtu(): a "fragmentation
    /// needed" quoting a packet from `saddr` to `daddr` offers `mtu`. A
    /// larger MTU than the path's teaches nothing; below min_pmtu the
    /// exception is locked at min_pmtu; the same MTU is learnt again only
    /// in the second half of its life.
    pub(crate) fn ip_rt_update_pmtu(
        &mut self,
        ns: NsId,
        saddr: Ipv4Addr,
        daddr: Ipv4Addr,
        mtu: u32,
    ) {
        let Ok(rt) = self.route_output(ns, &Flowi4::output(daddr, Some(saddr), None)) else {
            return;
        };
        let old = self.fnhe_lookup(ns, daddr);
        if old.is_some_and(|e| e.locked) {
            return;
        }
        let old_mtu = self.ip_path_mtu(ns, rt.dev, daddr) as u32;
        if old_mtu < mtu {
            return;
        }
        let sysctl = &self.ns(ns).sysctl;
        let min_pmtu = sysctl.get_int("net.ipv4.route.min_pmtu").max(68) as u32;
        // proc_dointvec_jiffies: seconds.
        let life = Time::from_secs(sysctl.get_int("net.ipv4.route.mtu_expires").max(0) as u64);
        let (mtu, locked) = if mtu < min_pmtu {
            (old_mtu.min(min_pmtu), true)
        } else {
            (mtu, false)
        };
        if let Some(e) = old {
            let half = Time(e.expires.0.saturating_sub(life.0 / 2));
            if e.mtu == mtu && !locked && self.now < half {
                return;
            }
        }
        let expires = self.now + life;
        self.ns_mut(ns).fnhe.insert(
            daddr,
            Fnhe {
                mtu,
                locked,
                expires,
            },
        );
    }

    /// rt_cache_flush() with fnhe_genid_bump() (a write to
    /// net.ipv4.route.flush, `ip route flush cache`): every exception is
    /// stale, so none is used or shown again.
    pub fn rt_cache_flush(&mut self, ns: NsId) {
        self.ns_mut(ns).fnhe = Default::default();
    }
}
