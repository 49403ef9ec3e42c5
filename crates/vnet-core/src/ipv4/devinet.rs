//! IPv4 interface addresses (net/ipv4/devinet.c): RTM_NEWADDR and
//! RTM_DELADDR, lifetimes.

use crate::addr::Ifaddr4;
use crate::error::{Errno, KResult};
use crate::ipv4::fib::{proto, RouteType, RT_TABLE_LOCAL};
use crate::types::{NsId, Time};
use crate::World;
use std::net::Ipv4Addr;

impl World {
    // ---- IPv4 addresses ---------------------------------------------------

    /// inet_rtm_newaddr(): adds an address, marking it secondary when a
    /// primary of the same subnet exists, and installs its routes.
    pub fn addr_add(&mut self, ns: NsId, mut a: Ifaddr4) -> KResult<()> {
        let n = self.ns(ns);
        let dev = n.dev(a.ifindex).ok_or(Errno::ENODEV)?;
        if n.addrs4_of(a.ifindex)
            .any(|x| x.local == a.local && x.prefix_len == a.prefix_len && x.address == a.address)
        {
            return Err(Errno::EEXIST.into());
        }
        if a.label.is_empty() {
            a.label = dev.name.clone();
        }
        if a.autojoin {
            self.ip_mc_autojoin_check(ns, &a)?;
        }
        let n = self.ns(ns);
        a.secondary = n
            .addrs4_of(a.ifindex)
            .any(|x| !x.secondary && x.prefix_len == a.prefix_len && x.matches(a.address));
        let netns = self.ns_mut(ns);
        if a.secondary {
            netns.addrs4.push(a.clone());
        } else {
            // After the last primary of the device with scope <= ours (__inet_insert_ifa).
            let mut pos = None;
            for (i, x) in netns.addrs4.iter().enumerate() {
                if x.ifindex == a.ifindex && !x.secondary && a.scope <= x.scope {
                    pos = Some(i + 1);
                }
            }
            let pos = pos.unwrap_or_else(|| {
                netns
                    .addrs4
                    .iter()
                    .position(|x| x.ifindex == a.ifindex)
                    .unwrap_or(netns.addrs4.len())
            });
            netns.addrs4.insert(pos, a.clone());
        }
        if a.autojoin {
            self.ip_mc_inc_group(ns, a.ifindex, a.address);
        }
        // rtmsg_ifa(RTM_NEWADDR), then the inetaddr chain adds the routes.
        self.notify_addr4(ns, &a, false);
        self.fib_add_ifaddr(ns, &a);
        Ok(())
    }

    /// NLM_F_REPLACE on an existing address: only its lifetimes change
    /// (find_matching_ifa + set_ifa_lifetime).
    pub fn addr_set_lifetime(
        &mut self,
        ns: NsId,
        ifindex: u32,
        local: Ipv4Addr,
        prefix_len: u8,
        valid: Option<Time>,
        preferred: Option<Time>,
    ) -> KResult<()> {
        let now = self.now;
        let a = self
            .ns_mut(ns)
            .addrs4
            .iter_mut()
            .find(|a| a.ifindex == ifindex && a.local == local && a.prefix_len == prefix_len)
            .ok_or(Errno::ENOENT)?;
        a.valid_until = valid.map(|v| now + v);
        a.preferred_until = preferred.or(valid).map(|v| now + v);
        Ok(())
    }

    /// inet_rtm_deladdr(): deletes the first address matching; deleting a
    /// primary deletes its secondaries too (promote_secondaries is 0).
    pub fn addr_del(
        &mut self,
        ns: NsId,
        ifindex: u32,
        local: Ipv4Addr,
        prefix_len: Option<u8>,
        peer: Option<Ipv4Addr>,
    ) -> KResult<()> {
        let n = self.ns(ns);
        let pos = n
            .addrs4
            .iter()
            .position(|x| {
                x.ifindex == ifindex
                    && x.local == local
                    && prefix_len.is_none_or(|l| l == x.prefix_len)
                    && peer.is_none_or(|p| p == x.address)
            })
            .ok_or(Errno::EADDRNOTAVAIL)?;
        let a = self.ns_mut(ns).addrs4.remove(pos);
        // ip_mc_autojoin_config(): the group an autojoin address joined is left.
        if a.autojoin {
            self.ip_mc_dec_group(ns, ifindex, a.address);
        }
        let mut gone = vec![a.clone()];
        let same_subnet = |x: &Ifaddr4| {
            x.ifindex == ifindex
                && x.secondary
                && x.prefix_len == a.prefix_len
                && a.matches(x.local)
        };
        // __inet_del_ifa(): with promote_secondaries (all or the device's),
        // the first secondary of the subnet takes the primary's place and the
        // others stay, now secondaries of it.
        let promote = !a.secondary && {
            let n = self.ns(ns);
            let dev = n.dev(ifindex).map(|d| d.name.clone()).unwrap_or_default();
            n.sysctl.get_int("net.ipv4.conf.all.promote_secondaries") != 0
                || n.sysctl
                    .get_int(&format!("net.ipv4.conf.{dev}.promote_secondaries"))
                    != 0
        };
        if promote {
            let n = self.ns_mut(ns);
            if let Some(p) = n.addrs4.iter().position(same_subnet) {
                let mut prim = n.addrs4.remove(p);
                prim.secondary = false;
                n.addrs4.insert(pos.min(n.addrs4.len()), prim.clone());
                self.notify_addr4(ns, &a, true);
                self.fib_del_ifaddr(ns, &a);
                self.nf_masq_cleanup(ns, ifindex, Some(a.local));
                // fib_add_ifaddr() for the new primary and for each remaining
                // secondary, whose local routes now name it as the source.
                let n = self.ns_mut(ns);
                let old = a.local;
                n.fib.table_mut(RT_TABLE_LOCAL).retain(|r| {
                    !(r.dev == Some(ifindex)
                        && r.rtype == RouteType::Local
                        && r.proto == proto::KERNEL
                        && r.prefsrc == Some(old))
                });
                let rest: Vec<Ifaddr4> = n
                    .addrs4
                    .iter()
                    .filter(|x| same_subnet(x))
                    .cloned()
                    .collect();
                self.fib_add_ifaddr(ns, &prim);
                for x in &rest {
                    self.fib_add_ifaddr(ns, x);
                }
                return Ok(());
            }
        }
        if !a.secondary {
            let n = self.ns_mut(ns);
            let (sec, keep): (Vec<Ifaddr4>, Vec<Ifaddr4>) = n.addrs4.drain(..).partition(|x| {
                x.ifindex == ifindex
                    && x.secondary
                    && x.prefix_len == a.prefix_len
                    && a.matches(x.local)
            });
            n.addrs4 = keep;
            gone.extend(sec);
        }
        // __inet_del_ifa(): the secondaries go first, then the primary; each
        // RTM_DELADDR comes before its routes are deleted.
        gone.rotate_left(1);
        for g in &gone {
            self.notify_addr4(ns, g, true);
            self.fib_del_ifaddr(ns, g);
            self.nf_masq_cleanup(ns, ifindex, Some(g.local));
        }
        if self.ns(ns).addrs4_of(ifindex).next().is_none() {
            self.fib_disable_ip(ns, ifindex);
        }
        Ok(())
    }

    /// fib_inetaddr_event(NETDEV_DOWN) for a device's last address:
    /// fib_disable_ip(force) — every route through the device goes (no
    /// messages, as fib_flush sends none) and its neighbours are flushed.
    pub(crate) fn fib_disable_ip(&mut self, ns: NsId, ifindex: u32) {
        for t in self.ns_mut(ns).fib.tables.values_mut() {
            t.retain(|r| r.dev != Some(ifindex));
        }
        self.neigh_flush_dev_notify(ns, ifindex);
    }
}
