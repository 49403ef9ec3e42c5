//! IPv6 routes (net/ipv6/route.c): the FIB lookup, output routes, path MTU.

use crate::error::{Errno, KResult, KernelError};
use crate::fib_rules::{RuleKey, RuleVerdict, TableHit};
use crate::flow::Flowi6;
use crate::ipv4::fib::{RouteType, RT_TABLE_LOCAL, RT_TABLE_MAIN};
use crate::ipv4::fib_frontend::RouteAdd;
use crate::ipv6::addrconf::addr_scope;
use crate::ipv6::addrconf::prefix_match;
use crate::netns::Route6;
use crate::types::NsId;
use crate::world::World;
use std::net::Ipv6Addr;

/// ip6_pol_route()'s answer for a route that is not unicast: the errno of
/// its type (ip6_route_info_create() gives the dst its error).
pub fn rt6_type_check(t: RouteType) -> KResult<()> {
    match t {
        RouteType::Unicast => Ok(()),
        RouteType::Unreachable => Err(Errno::EHOSTUNREACH.into()),
        RouteType::Prohibit => Err(Errno::EACCES.into()),
        RouteType::Blackhole => Err(Errno::EINVAL.into()),
        _ => Err(Errno::ENETUNREACH.into()),
    }
}

/// One IPv6 route as the FIB holds it, whoever made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rt6 {
    pub dst: Ipv6Addr,
    pub len: u8,
    pub gateway: Option<Ipv6Addr>,
    pub dev: Option<u32>,
    pub metric: u32,
    pub rtype: RouteType,
    /// Made by the kernel from an address (`proto kernel`), not added.
    pub kernel: bool,
    /// The table the route is in.
    pub table: u32,
}

impl Rt6 {
    /// A rule's refusal as the null entry of its type (ip6_prohibit_entry,
    /// ip6_blk_hole_entry).
    pub(crate) fn refused(rtype: RouteType) -> Rt6 {
        Rt6 {
            dst: Ipv6Addr::UNSPECIFIED,
            len: 0,
            gateway: None,
            dev: None,
            metric: 0,
            rtype,
            kernel: false,
            table: 0,
        }
    }
}

/// Where an IPv6 packet goes (ip6_route_output's dst, with the source
/// ipv6_dev_get_saddr chose).
#[derive(Clone, Copy, Debug)]
pub struct OutRoute6 {
    pub dev: u32,
    pub src: Ipv6Addr,
    pub nexthop: Ipv6Addr,
    pub rtype: RouteType,
    /// The prefix length of the route taken (ICMPv6 rate limits scale with it).
    pub plen: u8,
    /// The route's metric, and whether the kernel made it (`ip -6 route get`).
    pub metric: u32,
    pub kernel: bool,
    /// The table whose route it is (`ip -6 route get` names one not main).
    pub table: u32,
}

impl World {
    /// ip6_validate_gw(): a gateway that is not link-local must be reached
    /// through a route without a gateway (through `dev`, if given), whose
    /// device the route takes.
    fn ip6_validate_gw(&self, ns: NsId, r: &mut Route6) -> KResult<()> {
        if r.rtype != RouteType::Unicast {
            return Ok(());
        }
        let Some(g) = r.gateway else {
            return r.dev.map(|_| ()).ok_or(Errno::ENODEV.into());
        };
        if addr_scope(g) == 2 {
            return r.dev.map(|_| ()).ok_or(Errno::ENODEV.into());
        }
        // An IPv4-compatible next hop (::a.b.c.d) through a device: a sit
        // device's kernel has the ::/96 route that reaches it (NBMA sit),
        // which vnet does not list; take the device as given.
        if r.dev.is_some() && g.segments()[..6] == [0; 6] {
            return Ok(());
        }
        // ip6_nh_lookup_table(): the route's own table first, then any
        // table the rules reach.
        let fl = Flowi6 {
            oif: r.dev,
            ..Flowi6::to(g)
        };
        let found = self
            .fib6_table_lookup(ns, r.table, g, r.dev)
            .or_else(|| self.fib6_rule_lookup(ns, &fl).ok());
        match found {
            Some(via)
                if via.gateway.is_none()
                    && via.rtype == RouteType::Unicast
                    && r.dev.is_none_or(|d| via.dev == Some(d)) =>
            {
                r.dev = via.dev;
                Ok(())
            }
            _ => Err(Errno::EHOSTUNREACH.into()),
        }
    }

    /// RTM_NEWROUTE for IPv6 (ip6_route_add()): a unicast route needs a
    /// device or a gateway, and a gateway must be reachable through a
    /// connected route, whose device the route takes. `excl` is
    /// NLM_F_EXCL: a route with the same prefix and metric is EEXIST rather
    /// than replaced.
    pub fn route6_add(&mut self, ns: NsId, r: Route6, excl: bool) -> KResult<()> {
        let how = if excl {
            RouteAdd::Excl
        } else {
            RouteAdd::Replace
        };
        self.route6_add_how(ns, r, how)
    }

    /// fib6_add_rt2node() for each NLM_F_* combination: EXCL refuses a
    /// route of the same prefix and metric; REPLACE takes the place of
    /// them (and of their siblings); a plain create or APPEND adds an
    /// ECMP-qualified route as a sibling of qualified ones (EEXIST for the
    /// same gateway and device), and any other after them.
    pub fn route6_add_how(&mut self, ns: NsId, mut r: Route6, how: RouteAdd) -> KResult<()> {
        self.ip6_validate_gw(ns, &mut r)?;
        let n = self.ns_mut(ns);
        // fib6_new_table(): the table exists from now on.
        if !n.table6_exists(r.table) {
            n.tables6.insert(r.table);
        }
        let exists = n.routes6.iter().any(|x| x.same_key(&r));
        match how {
            RouteAdd::Excl if exists => return Err(Errno::EEXIST.into()),
            RouteAdd::Replace if exists => {
                let at = n.routes6.iter().position(|x| x.same_key(&r)).unwrap();
                n.routes6.retain(|x| !x.same_key(&r));
                n.routes6.insert(at.min(n.routes6.len()), r);
                return Ok(());
            }
            RouteAdd::Append | RouteAdd::Prepend if exists => {
                if n.routes6.iter().any(|x| {
                    x.same_key(&r)
                        && x.qualifies_for_ecmp() == r.qualifies_for_ecmp()
                        && x.gateway == r.gateway
                        && x.dev == r.dev
                }) {
                    return Err(Errno::EEXIST.into());
                }
                // After the last route of the key (the siblings' end).
                let last = n.routes6.iter().rposition(|x| x.same_key(&r)).unwrap();
                n.routes6.insert(last + 1, r);
                return Ok(());
            }
            _ => {}
        }
        n.routes6.push(r);
        Ok(())
    }

    /// ip6_route_multipath_add(): each next hop becomes a route, the first
    /// with the request's flags and the others as its siblings; all or
    /// none. A next hop without a gateway is refused outright.
    pub fn route6_add_multipath(
        &mut self,
        ns: NsId,
        hops: Vec<Route6>,
        how: RouteAdd,
    ) -> KResult<()> {
        if hops.iter().any(|h| h.gateway.is_none()) {
            return Err(KernelError::ext(
                Errno::EINVAL,
                "Device only routes can not be added for IPv6 using the multipath API",
            ));
        }
        let before = self.ns(ns).routes6.clone();
        for (i, h) in hops.into_iter().enumerate() {
            let how = if i == 0 { how } else { RouteAdd::Append };
            if let Err(e) = self.route6_add_how(ns, h, how) {
                self.ns_mut(ns).routes6 = before;
                return Err(e);
            }
        }
        Ok(())
    }

    /// RTM_DELROUTE for IPv6 (ip6_route_del()): the first administrator's
    /// route with `r`'s prefix and whatever else was given (gateway, device,
    /// the metric if `metric_given`). No route for the prefix is ENOENT
    /// (fib6_locate() finds no node); routes that all differ, ESRCH.
    pub fn route6_del(&mut self, ns: NsId, r: &Route6, metric_given: bool) -> KResult<()> {
        let n = self.ns_mut(ns);
        if !n.table6_exists(r.table) {
            return Err(KernelError::ext(Errno::ESRCH, "FIB table does not exist"));
        }
        let hit = n.routes6.iter().position(|x| {
            x.table == r.table
                && x.dst == r.dst
                && x.len == r.len
                && r.gateway.is_none_or(|g| x.gateway == Some(g))
                && r.dev.is_none_or(|d| x.dev == Some(d))
                && (!metric_given || x.metric == r.metric)
        });
        match hit {
            // __ip6_del_rt_siblings(): no gateway given removes the whole group.
            Some(i) if r.gateway.is_none() && n.routes6[i].qualifies_for_ecmp() => {
                let first = n.routes6[i].clone();
                n.routes6
                    .retain(|x| !(x.same_key(&first) && x.qualifies_for_ecmp()));
                Ok(())
            }
            Some(i) => {
                n.routes6.remove(i);
                Ok(())
            }
            None if n
                .routes6
                .iter()
                .any(|x| x.table == r.table && x.dst == r.dst && x.len == r.len) =>
            {
                Err(Errno::ESRCH.into())
            }
            None => Err(Errno::ENOENT.into()),
        }
    }

    /// `ip -6 route flush`: the administrator's routes `doomed` picks go,
    /// each as its own RTM_DELROUTE; how many went.
    pub fn route6_flush(&mut self, ns: NsId, doomed: impl Fn(&Route6) -> bool) -> usize {
        let n = self.ns_mut(ns);
        let before = n.routes6.len();
        n.routes6.retain(|r| !doomed(r));
        before - n.routes6.len()
    }

    // ---- routes and source selection -----------------------------------------

    /// Every IPv6 route of a namespace's main table: the kernel's prefix
    /// routes for each address on an up device (fe80::/64 for link-local
    /// ones, metric 256; addresses sharing a prefix yield it once each,
    /// which a lookup does not mind) and the administrator's. An iterator,
    /// so the per-packet lookup allocates nothing.
    pub fn fib6_routes(&self, ns: NsId) -> impl Iterator<Item = Rt6> + '_ {
        let n = self.ns(ns);
        let kernel = n
            .addrs6
            .iter()
            .filter(|a| a.scope != crate::addr::Scope::Host)
            .filter(|a| n.dev(a.ifindex).is_some_and(|d| d.up))
            .map(|a| {
                let len = if a.scope == crate::addr::Scope::Link {
                    64
                } else {
                    a.prefix_len
                };
                let net = if len == 0 {
                    0
                } else {
                    u128::from(a.addr) & (u128::MAX << (128 - len as u32))
                };
                Rt6 {
                    dst: Ipv6Addr::from(net),
                    len,
                    gateway: None,
                    dev: Some(a.ifindex),
                    metric: 256,
                    rtype: RouteType::Unicast,
                    kernel: true,
                    // addrconf_prefix_route(): a VRF slave's go to the VRF's table.
                    table: crate::fib_rules::RuleEnv::l3mdev_table(n, a.ifindex)
                        .unwrap_or(RT_TABLE_MAIN),
                }
            });
        kernel.chain(n.routes6.iter().map(|r| Rt6 {
            dst: r.dst,
            len: r.len,
            gateway: r.gateway,
            dev: r.dev,
            metric: r.metric,
            rtype: r.rtype,
            kernel: false,
            table: r.table,
        }))
    }

    /// fib6_lookup() in the main table (what a lookup without rules sees).
    pub fn fib6_lookup(&self, ns: NsId, dst: Ipv6Addr, oif: Option<u32>) -> Option<Rt6> {
        self.fib6_table_lookup(ns, RT_TABLE_MAIN, dst, oif)
    }

    /// fib6_table_lookup(): in one table, the longest matching prefix,
    /// then the lowest metric (the first of equals); with `oif`, only
    /// routes through it (or without a device) qualify.
    pub fn fib6_table_lookup(
        &self,
        ns: NsId,
        table: u32,
        dst: Ipv6Addr,
        oif: Option<u32>,
    ) -> Option<Rt6> {
        self.fib6_routes(ns)
            .filter(|r| r.table == table)
            .filter(|r| prefix_match(dst, r.dst, r.len))
            .filter(|r| oif.is_none_or(|o| r.dev.is_none_or(|d| d == o)))
            .min_by_key(|r| (128 - r.len as u32, r.metric))
    }

    /// fib6_rule_lookup() (net/ipv6/fib6_rules.c): the rules walked for
    /// the flow, each table action looking the destination up in its
    /// table; a miss or a `throw` route goes on to the next rule. The
    /// local table (rule 0) answers for our own addresses. Errors are the
    /// null entries' (ip6_null_entry ENETUNREACH, ip6_prohibit_entry
    /// EACCES, ip6_blk_hole_entry EINVAL). With only the default rules
    /// (0 local, 32766 main: IPv6 has no 32767), main answers directly.
    pub fn fib6_rule_lookup(&self, ns: NsId, fl: &Flowi6) -> Result<Rt6, Errno> {
        let n = self.ns(ns);
        if n.rules6.default_only() {
            return self
                .fib6_lookup(ns, fl.daddr, fl.oif)
                .ok_or(Errno::ENETUNREACH);
        }
        let k = RuleKey::v6(fl);
        // FLOWI_FLAG_SKIP_NH_OIF: a flow bound to a VRF does not restrict
        // the next hop by it.
        let oif = fl.oif.filter(|&o| !self.is_l3_master(ns, o));
        let verdict = n.rules6.lookup(&k, n, |t| {
            // A VRF slave's local routes are in the VRF's table.
            let owner = n.addrs6.iter().find(|a| {
                a.addr == fl.daddr
                    && crate::fib_rules::RuleEnv::l3mdev_table(n, a.ifindex)
                        .unwrap_or(RT_TABLE_LOCAL)
                        == t
            });
            let hit = if let Some(a) = owner {
                Some(Rt6 {
                    dst: fl.daddr,
                    len: 128,
                    gateway: None,
                    dev: Some(a.ifindex),
                    metric: 0,
                    rtype: RouteType::Local,
                    kernel: true,
                    table: t,
                })
            } else {
                self.fib6_table_lookup(ns, t, fl.daddr, oif)
            };
            match hit {
                Some(r) if r.rtype != RouteType::Throw => {
                    let group = r.dev.and_then(|d| n.dev(d)).map(|d| d.group);
                    TableHit::Hit(r, r.len, group)
                }
                _ => TableHit::Miss,
            }
        });
        match verdict {
            RuleVerdict::Found(r, _) => Ok(r),
            RuleVerdict::Refused(e, _) => Err(e),
            RuleVerdict::NoRoute => Err(Errno::ENETUNREACH),
        }
    }

    /// fib6_select_path(): the sibling of an ECMP route a flow takes, by
    /// the weights' shares of the hash space, dead siblings owning none;
    /// a flow bound to a device keeps the route the lookup found.
    pub fn fib6_select_path(&self, ns: NsId, rt: Rt6, fl: &Flowi6) -> Rt6 {
        if rt.kernel || rt.gateway.is_none() || fl.oif.is_some() {
            return rt;
        }
        let n = self.ns(ns);
        let key = |x: &&Route6| {
            x.table == rt.table
                && x.dst == rt.dst
                && x.len == rt.len
                && x.metric == rt.metric
                && x.qualifies_for_ecmp()
        };
        let mut sibs = n.routes6.iter().filter(key);
        if sibs.clone().nth(1).is_none() {
            return rt;
        }
        let all: Vec<&Route6> = sibs.by_ref().collect();
        let usable = |i: usize| all[i].dev.is_some_and(|d| !self.nh_state(ns, d).dead);
        let hash = self.rt6_multipath_hash(ns, fl);
        let i = crate::ipv4::fib_multipath::select_by_weight(
            all.iter().map(|x| x.weight),
            usable,
            hash,
        );
        Rt6 {
            gateway: all[i].gateway,
            dev: all[i].dev,
            ..rt
        }
    }

    /// ip6_route_output() and the source address for a local packet.
    pub fn route6_output(
        &self,
        ns: NsId,
        dst: Ipv6Addr,
        src: Option<Ipv6Addr>,
        oif: Option<u32>,
    ) -> KResult<OutRoute6> {
        let fl = Flowi6 {
            saddr: src.unwrap_or(Ipv6Addr::UNSPECIFIED),
            oif,
            ..Flowi6::to(dst)
        };
        self.route6_output_fl(ns, &fl)
    }

    /// ip6_route_output() for a flow (its mark, uid, ports for the rules;
    /// an unspecified source is chosen), as ip6_dst_lookup_tail() does it:
    /// without a source the rules see none (`from` rules do not match),
    /// and only if that finds no route is a source chosen and the lookup
    /// made again with it.
    pub fn route6_output_fl(&self, ns: NsId, fl: &Flowi6) -> KResult<OutRoute6> {
        let n = self.ns(ns);
        let (dst, oif) = (fl.daddr, fl.oif);
        let src = (!fl.saddr.is_unspecified()).then_some(fl.saddr);
        if let Some(o) = oif {
            n.dev(o).ok_or(Errno::ENODEV)?;
        }
        if n.addrs6.iter().any(|a| a.addr == dst) {
            // The local table's host route: through lo.
            return Ok(OutRoute6 {
                dev: n.loopback_ifindex(),
                src: src.unwrap_or(dst),
                nexthop: dst,
                rtype: RouteType::Local,
                plen: 128,
                metric: 0,
                kernel: true,
                table: RT_TABLE_LOCAL,
            });
        }
        let scope = addr_scope(dst);
        if dst.is_multicast() || scope == 2 {
            // Link scope needs a device: the socket's, or the one the route names.
            // A group goes out of the first link with IPv6 (its ff00::/8
            // route in the local table), link-local through fe80::/64's.
            let route = self.fib6_rule_lookup(ns, fl).ok();
            let first_link = || {
                n.devs
                    .values()
                    .filter(|d| !d.is_loopback() && d.up)
                    .find(|d| n.addrs6.iter().any(|a| a.ifindex == d.ifindex))
                    .map(|d| d.ifindex)
            };
            let dev = match oif {
                Some(o) => o,
                None if dst.is_multicast() => first_link().ok_or(Errno::ENETUNREACH)?,
                None => route.and_then(|r| r.dev).ok_or(Errno::ENETUNREACH)?,
            };
            let s = src
                .or_else(|| self.ipv6_dev_get_saddr(ns, Some(dev), dst))
                .ok_or(Errno::EADDRNOTAVAIL)?;
            return Ok(OutRoute6 {
                dev,
                src: s,
                nexthop: dst,
                rtype: if dst.is_multicast() {
                    RouteType::Multicast
                } else {
                    RouteType::Unicast
                },
                plen: if dst.is_multicast() { 8 } else { 64 },
                // A group's route is the local table's ff00::/8 (metric 256).
                metric: route
                    .filter(|_| !dst.is_multicast())
                    .map_or(256, |r| r.metric),
                kernel: dst.is_multicast() || route.is_none_or(|r| r.kernel),
                table: if dst.is_multicast() {
                    RT_TABLE_LOCAL
                } else {
                    route.map_or(RT_TABLE_MAIN, |r| r.table)
                },
            });
        }
        let (rt, fl) = match self.fib6_rule_lookup(ns, fl) {
            Ok(rt) => (rt, *fl),
            Err(e) if src.is_some() => return Err(e.into()),
            // "In source specific routing (no src=any default route),
            // ip6_route_output will fail given src=any saddr": the best
            // source of any device, and again.
            Err(e) => {
                let s = self.ipv6_dev_get_saddr(ns, oif, dst).ok_or(e)?;
                let fl = Flowi6 { saddr: s, ..*fl };
                (self.fib6_rule_lookup(ns, &fl)?, fl)
            }
        };
        let rt = self.fib6_select_path(ns, rt, &fl);
        rt6_type_check(rt.rtype)?;
        let dev = rt.dev.or(oif).ok_or(Errno::ENETUNREACH)?;
        let s = (!fl.saddr.is_unspecified())
            .then_some(fl.saddr)
            .or_else(|| self.ipv6_dev_get_saddr(ns, Some(dev), dst))
            .ok_or(Errno::EADDRNOTAVAIL)?;
        Ok(OutRoute6 {
            dev,
            src: s,
            nexthop: rt.gateway.unwrap_or(dst),
            rtype: RouteType::Unicast,
            plen: rt.len,
            metric: rt.metric,
            kernel: rt.kernel,
            table: rt.table,
        })
    }

    /// `ip -6 route flush cache`: the learnt path MTUs go.
    pub fn rt6_flush_exceptions(&mut self, ns: NsId) {
        self.ns_mut(ns).pmtu6 = Default::default();
    }

    /// The MTU towards `dst` through `dev`: the device's, or less when a
    /// "packet too big" taught a smaller one that has not expired (rt6_mtu_change
    /// exceptions live 10 minutes, ip6_rt_mtu_expires).
    pub fn ip6_path_mtu(&self, ns: NsId, dev: u32, dst: Ipv6Addr) -> usize {
        let n = self.ns(ns);
        let dmtu = n.dev(dev).map_or(1500, |d| d.mtu as usize);
        match n.pmtu6.get(&dst) {
            Some((m, until)) if self.now < *until => dmtu.min(*m as usize),
            _ => dmtu,
        }
    }
}
