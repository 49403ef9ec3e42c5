//! Configuring the IPv4 FIB (net/ipv4/fib_frontend.c): RTM_NEWROUTE and
//! RTM_DELROUTE, and the local, broadcast and prefix routes an address brings.

use crate::addr::{Ifaddr4, Scope};
use crate::error::{Errno, KResult, KernelError};
use crate::fib_rules::{RuleKey, RuleVerdict, TableHit};
use crate::flow::Flowi4;
use crate::ipv4::fib::{proto, FibNh, Nexthops, Route, RouteType, RT_TABLE_LOCAL, RT_TABLE_MAIN};
use crate::types::{NsId, Prefix4};
use crate::World;
use std::net::Ipv4Addr;

/// How a new route meets routes of the same prefix, tos and metric
/// (the NLM_F_* flags of RTM_NEWROUTE).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteAdd {
    /// `ip route add` (CREATE|EXCL): refuse if one exists.
    Excl,
    /// `ip route replace` (CREATE|REPLACE): take its place.
    Replace,
    /// `ip route append` (CREATE|APPEND): after them.
    Append,
    /// `ip route prepend`, route(8)'s SIOCADDRT (CREATE): before them.
    Prepend,
}

/// The attributes `ip route del` matches a route on (only those given).
#[derive(Clone, Debug)]
pub struct RouteMatch {
    pub table: u32,
    pub dst: Prefix4,
    pub tos: Option<u8>,
    pub metric: Option<u32>,
    pub rtype: Option<RouteType>,
    pub gateway: Option<Ipv4Addr>,
    pub dev: Option<u32>,
    pub proto: Option<u8>,
    pub scope: Option<Scope>,
    /// RTA_MULTIPATH's (gateway, device) pairs, matched in order.
    pub nexthops: Option<Vec<(Option<Ipv4Addr>, Option<u32>)>>,
}

impl RouteMatch {
    /// fib_nh_match(): a gateway or device given is compared with the
    /// first next hop; given next hops, with the route's in order.
    pub fn matches(&self, r: &Route) -> bool {
        let hops = r.nh.hops();
        let (g0, d0) = hops
            .first()
            .map_or((r.gateway, r.dev), |h| (h.gateway, Some(h.dev)));
        let single = [FibNh {
            gateway: r.gateway,
            dev: r.dev.unwrap_or(0),
            weight: 1,
            onlink: r.onlink,
        }];
        let hops = if hops.is_empty() { &single[..] } else { hops };
        self.tos.is_none_or(|t| t == r.tos)
            && self.metric.is_none_or(|m| m == r.metric)
            && self.rtype.is_none_or(|t| t == r.rtype)
            && self.gateway.is_none_or(|g| Some(g) == g0)
            && self.dev.is_none_or(|d| Some(d) == d0)
            && self.proto.is_none_or(|p| p == r.proto)
            && self.scope.is_none_or(|s| s == r.scope)
            && self.nexthops.as_ref().is_none_or(|want| {
                want.len() >= hops.len()
                    && hops.iter().zip(want).all(|(h, (g, d))| {
                        d.is_none_or(|d| d == h.dev) && g.is_none_or(|g| Some(g) == h.gateway)
                    })
            })
    }
}

impl World {
    fn magic_route(
        ifindex: u32,
        rtype: RouteType,
        dst: Prefix4,
        src: Ipv4Addr,
        metric: u32,
    ) -> Route {
        let (table, scope) = match rtype {
            RouteType::Local => (RT_TABLE_LOCAL, Scope::Host),
            RouteType::Broadcast => (RT_TABLE_LOCAL, Scope::Link),
            _ => (RT_TABLE_MAIN, Scope::Link),
        };
        Route {
            table,
            dst,
            tos: 0,
            rtype,
            proto: proto::KERNEL,
            scope,
            metric,
            gateway: None,
            dev: Some(ifindex),
            prefsrc: Some(src),
            onlink: false,
            mtu: None,
            nh: Nexthops::Single,
            nhid: None,
        }
    }

    fn insert_unique(&mut self, ns: NsId, mut r: Route) {
        // fib_magic(): a VRF slave's routes go into the VRF's table.
        if r.proto == proto::KERNEL {
            if let Some(t) = r.dev.and_then(|d| self.l3mdev_fib_table(ns, d)) {
                r.table = t;
            }
        }
        let t = self.ns_mut(ns).fib.table_mut(r.table);
        if !t.routes_for(r.dst).iter().any(|x| {
            x.rtype == r.rtype && x.dev == r.dev && x.prefsrc == r.prefsrc && x.metric == r.metric
        }) {
            t.insert(r.clone());
            self.notify_route4(ns, &r, false);
        }
    }

    /// fib_add_ifaddr(): the local route always; prefix and broadcast routes
    /// only while the device is up.
    pub(crate) fn fib_add_ifaddr(&mut self, ns: NsId, a: &Ifaddr4) {
        let n = self.ns(ns);
        let dev = n.dev(a.ifindex).unwrap();
        let (up, is_lo) = (dev.up, dev.is_loopback());
        let prim = if a.secondary {
            n.addrs4_of(a.ifindex)
                .find(|x| !x.secondary && x.prefix_len == a.prefix_len && x.matches(a.local))
                .map(|x| x.local)
                .unwrap_or(a.local)
        } else {
            a.local
        };
        self.insert_unique(
            ns,
            Self::magic_route(
                a.ifindex,
                RouteType::Local,
                Prefix4::new(a.local, 32),
                prim,
                0,
            ),
        );
        if !up {
            return;
        }
        if let Some(b) = a.broadcast {
            if b != Ipv4Addr::BROADCAST {
                self.insert_unique(
                    ns,
                    Self::magic_route(
                        a.ifindex,
                        RouteType::Broadcast,
                        Prefix4::new(b, 32),
                        prim,
                        0,
                    ),
                );
            }
        }
        let prefix = Prefix4::new(a.address, a.prefix_len);
        if !a.secondary
            && !prefix.addr.is_unspecified()
            && (prefix.addr != a.local || a.prefix_len < 32)
        {
            if !a.noprefixroute {
                let t = if is_lo {
                    RouteType::Local
                } else {
                    RouteType::Unicast
                };
                self.insert_unique(ns, Self::magic_route(a.ifindex, t, prefix, prim, a.metric));
            }
            if a.prefix_len < 31 {
                self.insert_unique(
                    ns,
                    Self::magic_route(
                        a.ifindex,
                        RouteType::Broadcast,
                        Prefix4::new(prefix.broadcast(), 32),
                        prim,
                        0,
                    ),
                );
            }
        }
    }

    /// fib_del_ifaddr(): removes the routes an address made, unless another
    /// address still needs them.
    pub(crate) fn fib_del_ifaddr(&mut self, ns: NsId, a: &Ifaddr4) {
        if !self.rtnl_has_listeners(ns, crate::rtnl_notify::group::IPV4_ROUTE) {
            return self.fib_del_ifaddr_quiet(ns, a);
        }
        let before = self.ifaddr_routes(ns, a.ifindex);
        self.fib_del_ifaddr_quiet(ns, a);
        let after = self.ifaddr_routes(ns, a.ifindex);
        let mut gone: Vec<Route> = before.into_iter().filter(|r| !after.contains(r)).collect();
        // fib_del_ifaddr() deletes the prefix route, the broadcasts, then the local route.
        gone.sort_by_key(|r| match r.rtype {
            RouteType::Local => 2,
            RouteType::Broadcast => 1,
            _ => 0,
        });
        for r in gone {
            self.notify_route4(ns, &r, true);
        }
    }

    /// The kernel routes of a device in the main and local tables.
    fn ifaddr_routes(&self, ns: NsId, ifindex: u32) -> Vec<Route> {
        let n = self.ns(ns);
        let (main, local) = self.magic_tables(ns, ifindex);
        [main, local]
            .iter()
            .filter_map(|t| n.fib.table(*t))
            .flat_map(|t| t.iter())
            .filter(|r| r.dev == Some(ifindex) && r.proto == proto::KERNEL)
            .cloned()
            .collect()
    }

    /// The tables a device's kernel routes are in: main and local, or its
    /// VRF's for both.
    fn magic_tables(&self, ns: NsId, ifindex: u32) -> (u32, u32) {
        match self.l3mdev_fib_table(ns, ifindex) {
            Some(t) => (t, t),
            None => (RT_TABLE_MAIN, RT_TABLE_LOCAL),
        }
    }

    fn fib_del_ifaddr_quiet(&mut self, ns: NsId, a: &Ifaddr4) {
        let still_local = self.ns(ns).addrs4.iter().any(|x| x.local == a.local);
        let (t_main, t_local) = self.magic_tables(ns, a.ifindex);
        let n = self.ns_mut(ns);
        if !still_local {
            n.fib
                .table_mut(t_local)
                .remove_where(Prefix4::new(a.local, 32), |r| r.rtype == RouteType::Local);
        }
        let prefix = Prefix4::new(a.address, a.prefix_len);
        let ifindex = a.ifindex;
        if !a.secondary {
            for t in [t_main, t_local] {
                n.fib.table_mut(t).remove_where(prefix, |r| {
                    r.dev == Some(ifindex) && r.proto == proto::KERNEL && r.prefsrc == Some(a.local)
                });
            }
            let bcast = Prefix4::new(prefix.broadcast(), 32);
            let other_same = n.addrs4.iter().any(|x| {
                x.ifindex == ifindex && x.prefix_len == a.prefix_len && x.matches(a.local)
            });
            if !other_same {
                n.fib.table_mut(t_local).remove_where(bcast, |r| {
                    r.rtype == RouteType::Broadcast && r.dev == Some(ifindex)
                });
            }
        }
        if let Some(b) = a.broadcast {
            let used = n
                .addrs4
                .iter()
                .any(|x| x.ifindex == ifindex && x.broadcast == Some(b));
            if !used {
                n.fib
                    .table_mut(t_local)
                    .remove_where(Prefix4::new(b, 32), |r| {
                        r.rtype == RouteType::Broadcast && r.dev == Some(ifindex)
                    });
            }
        }
    }

    /// On NETDEV_UP every address of the device installs its routes again.
    pub(crate) fn fib_add_dev_routes(&mut self, ns: NsId, ifindex: u32) {
        let addrs: Vec<Ifaddr4> = self.ns(ns).addrs4_of(ifindex).cloned().collect();
        for a in addrs {
            self.fib_add_ifaddr(ns, &a);
        }
    }

    // ---- routes -----------------------------------------------------------

    /// fib_check_nh(): a next hop's gateway must be reachable through a
    /// link-scope route (or `onlink` on an up device); returns its device.
    pub(crate) fn fib_check_nh(
        &self,
        ns: NsId,
        table: u32,
        gateway: Option<Ipv4Addr>,
        dev: Option<u32>,
        onlink: bool,
    ) -> KResult<u32> {
        let dev = match gateway {
            Some(_) if onlink => dev.ok_or(KernelError::ext(
                Errno::EINVAL,
                "Nexthop device required for onlink",
            ))?,
            // The gateway must be reachable through a link-scope route.
            Some(gw) => match self.fib_lookup_nh(ns, gw, table, dev) {
                Some(found) if dev.is_none_or(|d| d == found) => found,
                _ => {
                    return Err(KernelError::ext(
                        Errno::ENETUNREACH,
                        "Nexthop has invalid gateway",
                    ))
                }
            },
            None => dev.ok_or(Errno::ENODEV)?,
        };
        if !self.ns(ns).dev(dev).is_some_and(|d| d.up) {
            return Err(KernelError::ext(
                Errno::ENETDOWN,
                "Nexthop device is not up",
            ));
        }
        Ok(dev)
    }

    /// fib_table_insert() with fib_check_nh(): validates the next hops.
    pub fn route_add(&mut self, ns: NsId, mut r: Route, how: RouteAdd) -> KResult<()> {
        if let Some(dev) = r.dev {
            self.ns(ns).dev(dev).ok_or(Errno::ENODEV)?;
        }
        if r.nhid.is_some() {
            // rtm_to_fib_config(): an object or next hops, not both.
            if r.dev.is_some() || r.gateway.is_some() || !r.nh.is_single() {
                return Err(KernelError::ext(
                    Errno::EINVAL,
                    "Nexthop specification and nexthop id are mutually exclusive",
                ));
            }
            self.nh_route_check(ns, &mut r)?;
        } else if let Nexthops::Multi(hops) = &r.nh {
            // fib_get_nhs(): each next hop checked as a route's own; a
            // next hop's device of 0 is "not given" (rtnh_ifindex).
            let mut v = hops.to_vec();
            for h in &mut v {
                let dev = Some(h.dev).filter(|d| *d != 0);
                if let Some(d) = dev {
                    self.ns(ns).dev(d).ok_or(Errno::ENODEV)?;
                }
                h.dev = self.fib_check_nh(ns, r.table, h.gateway, dev, h.onlink)?;
            }
            r.nh = Nexthops::Multi(v.into());
        } else if matches!(r.rtype, RouteType::Unicast) {
            r.dev = Some(self.fib_check_nh(ns, r.table, r.gateway, r.dev, r.onlink)?);
        }
        if let Some(src) = r.prefsrc {
            if !self.ns(ns).is_local4(src) {
                return Err(KernelError::ext(Errno::EINVAL, "Invalid prefsrc address"));
            }
        }
        let listening = self.rtnl_has_listeners(ns, crate::rtnl_notify::group::IPV4_ROUTE);
        let added = listening.then(|| r.clone());
        let res = self.route_insert(ns, r, how);
        if let (Ok(()), Some(r)) = (&res, added) {
            self.notify_route4(ns, &r, false);
        }
        res
    }

    /// fib_table_insert() proper, once the next hop is valid.
    fn route_insert(&mut self, ns: NsId, r: Route, how: RouteAdd) -> KResult<()> {
        let t = self.ns_mut(ns).fib.table_mut(r.table);
        let same_key = |x: &Route| x.tos == r.tos && x.metric == r.metric;
        let exists = t.routes_for(r.dst).iter().any(same_key);
        match how {
            RouteAdd::Excl if exists => Err(Errno::EEXIST.into()),
            RouteAdd::Replace if exists => {
                let (tos, metric) = (r.tos, r.metric);
                t.remove_where(r.dst, |x| x.tos == tos && x.metric == metric);
                t.insert_first(r);
                Ok(())
            }
            // fa_match(): a create without EXCL still refuses an identical route.
            RouteAdd::Prepend | RouteAdd::Append
                if t.routes_for(r.dst).iter().any(|x| {
                    same_key(x)
                        && (
                            x.rtype, x.gateway, x.dev, x.prefsrc, x.proto, x.scope, &x.nh,
                        ) == (
                            r.rtype, r.gateway, r.dev, r.prefsrc, r.proto, r.scope, &r.nh,
                        )
                }) =>
            {
                Err(Errno::EEXIST.into())
            }
            RouteAdd::Prepend => {
                t.insert_first(r);
                Ok(())
            }
            _ => {
                t.insert(r);
                Ok(())
            }
        }
    }

    /// `ip route change`: replace an existing route only (no NLM_F_CREATE).
    pub fn route_change(&mut self, ns: NsId, r: Route) -> KResult<()> {
        let exists = self.ns(ns).fib.table(r.table).is_some_and(|t| {
            t.routes_for(r.dst)
                .iter()
                .any(|x| x.tos == r.tos && x.metric == r.metric)
        });
        if !exists {
            return Err(Errno::ENOENT.into());
        }
        self.route_add(ns, r, RouteAdd::Replace)
    }

    /// The device a gateway is reachable on: a route of scope link or host
    /// covering it, in `table` or the main table.
    fn fib_lookup_nh(&self, ns: NsId, gw: Ipv4Addr, table: u32, dev: Option<u32>) -> Option<u32> {
        // fib_check_nh_v4_gw(): a lookup with scope link (local routes qualify: a
        // gateway may be one of our own addresses), restricted to `dev` if given.
        let n = self.ns(ns);
        for tid in [RT_TABLE_LOCAL, table, RT_TABLE_MAIN] {
            let Some(t) = n.fib.table(tid) else { continue };
            // Routes of wider scope are skipped; the first one left decides:
            // a broadcast (or other) type makes the gateway invalid.
            if let Some(r) = t
                .lookup(gw)
                .find(|r| r.scope >= Scope::Link && dev.is_none_or(|d| Some(d) == r.dev))
            {
                return matches!(r.rtype, RouteType::Unicast | RouteType::Local)
                    .then_some(r.dev)
                    .flatten();
            }
        }
        None
    }

    /// Removes exactly this route (route(8)'s SIOCDELRT picks it first).
    pub fn route_del_exact(&mut self, ns: NsId, r: &Route) -> KResult<()> {
        match self
            .ns_mut(ns)
            .fib
            .table_mut(r.table)
            .remove_where(r.dst, |x| x == r)
        {
            0 => Err(Errno::ESRCH.into()),
            _ => Ok(()),
        }
    }

    /// fib_table_delete(): the first route matching every given attribute.
    pub fn route_del(&mut self, ns: NsId, m: &RouteMatch) -> KResult<()> {
        let t = self.ns_mut(ns).fib.table_mut(m.table);
        let gone = t.routes_for(m.dst).iter().find(|r| m.matches(r)).cloned();
        let n = t.remove_where(m.dst, |r| m.matches(r));
        if n == 0 {
            return Err(KernelError::ext(Errno::ESRCH, "No such process"));
        }
        if let Some(r) = gone {
            self.notify_route4(ns, &r, true);
        }
        Ok(())
    }

    /// Removes every route in `table` that `keep` rejects; returns how many went.
    pub fn route_flush(&mut self, ns: NsId, table: u32, doomed: impl Fn(&Route) -> bool) -> usize {
        let t = self.ns_mut(ns).fib.table_mut(table);
        let gone: Vec<Route> = t.iter().filter(|r| doomed(r)).cloned().collect();
        t.retain(|r| !doomed(r));
        for r in &gone {
            self.notify_route4(ns, r, true);
        }
        gone.len()
    }

    /// fib_table_lookup() in one table for `dst`, the output device
    /// restricting the candidates: the route, or None on a miss (a `throw`
    /// route is one: -EAGAIN, the rule walk goes on).
    #[inline]
    pub(crate) fn fib_table_lookup(
        n: &crate::netns::Netns,
        tid: u32,
        dst: Ipv4Addr,
        oif: Option<u32>,
    ) -> Option<&Route> {
        let t = n.fib.table(tid)?;
        t.first(dst, |r| match (oif, r.dev) {
            (Some(o), Some(d)) => o == d || r.rtype == RouteType::Local,
            // A multipath route (no single dev) matches if a next hop uses it.
            (Some(o), None) => r.rtype != RouteType::Unicast || r.uses_dev(o),
            (None, _) => true,
        })
        .filter(|r| r.rtype != RouteType::Throw)
    }

    /// fib_lookup(): the rules walked for the flow `fl`, each table they
    /// name looked up, as fib_rules_lookup() does. With only the default
    /// rules, the tables are consulted directly (the kernel's
    /// !fib_has_custom_rules path). Errors are fib_lookup's: ENETUNREACH
    /// when no table has a route, or the error of the rule that refused.
    pub fn fib_lookup(&self, ns: NsId, fl: &Flowi4) -> Result<FibRes<'_>, FibErr> {
        let n = self.ns(ns);
        let rules = &n.rules4;
        if rules.default_only() {
            for &tid in &crate::ipv4::fib::Fib::rule_order()[..rules.len()] {
                if let Some(route) = Self::fib_table_lookup(n, tid, fl.daddr, fl.oif) {
                    return Ok(FibRes { route, rule: None });
                }
            }
            return Err(FibErr {
                errno: Errno::ENETUNREACH,
                rule: None,
            });
        }
        let key = RuleKey::v4(fl);
        // FLOWI_FLAG_SKIP_NH_OIF: a flow bound to a VRF picks the table by
        // it, not the next hop.
        let oif = fl.oif.filter(|&o| !self.is_l3_master(ns, o));
        let v = rules.lookup(&key, n, |tid| {
            match Self::fib_table_lookup(n, tid, fl.daddr, oif) {
                Some(r) => {
                    TableHit::Hit(r, r.dst.len, r.dev.and_then(|d| n.dev(d)).map(|d| d.group))
                }
                None => TableHit::Miss,
            }
        });
        match v {
            RuleVerdict::Found(route, i) => Ok(FibRes {
                route,
                rule: (!rules.is_default_rule(i)).then_some(i),
            }),
            RuleVerdict::Refused(errno, i) => Err(FibErr {
                errno,
                rule: Some(i),
            }),
            RuleVerdict::NoRoute => Err(FibErr {
                errno: Errno::ENETUNREACH,
                rule: None,
            }),
        }
    }
}

/// A route fib_lookup() found, and the position of the rule whose table
/// held it when that is not one of the default rules.
#[derive(Clone, Copy, Debug)]
pub struct FibRes<'a> {
    pub route: &'a Route,
    pub rule: Option<usize>,
}

/// Why fib_lookup() found no route: its errno, and the rule that refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FibErr {
    pub errno: Errno,
    pub rule: Option<usize>,
}
