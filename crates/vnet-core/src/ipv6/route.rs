//! IPv6 routes (net/ipv6/route.c): the FIB lookup, output routes, path MTU.

use crate::error::{Errno, KResult};
use crate::ipv4::fib::RouteType;
use crate::ipv6::addrconf::addr_scope;
use crate::ipv6::addrconf::prefix_match;
use crate::netns::Route6;
use crate::types::NsId;
use crate::world::World;
use std::net::Ipv6Addr;

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
}

impl World {
    /// RTM_NEWROUTE for IPv6 (ip6_route_add()): a unicast route needs a
    /// device or a gateway, and a gateway without a device must be reachable
    /// through a connected route, whose device the route takes. `excl` is
    /// NLM_F_EXCL: a route with the same prefix and metric is EEXIST rather
    /// than replaced.
    pub fn route6_add(&mut self, ns: NsId, mut r: Route6, excl: bool) -> KResult<()> {
        if r.rtype == RouteType::Unicast && r.dev.is_none() {
            let g = r.gateway.ok_or(Errno::ENODEV)?;
            match self.fib6_lookup(ns, g, None) {
                Some(via) if via.gateway.is_none() && via.rtype == RouteType::Unicast => {
                    r.dev = via.dev
                }
                _ => return Err(Errno::EHOSTUNREACH.into()),
            }
        }
        let n = self.ns_mut(ns);
        let same = |x: &Route6| x.dst == r.dst && x.len == r.len && x.metric == r.metric;
        if n.routes6.iter().any(same) {
            if excl {
                return Err(Errno::EEXIST.into());
            }
            n.routes6.retain(|x| !same(x));
        }
        n.routes6.push(r);
        Ok(())
    }

    /// RTM_DELROUTE for IPv6 (ip6_route_del()): the first administrator's
    /// route with `r`'s prefix and whatever else was given (gateway, device,
    /// the metric if `metric_given`). No route for the prefix is ENOENT
    /// (fib6_locate() finds no node); routes that all differ, ESRCH.
    pub fn route6_del(&mut self, ns: NsId, r: &Route6, metric_given: bool) -> KResult<()> {
        let n = self.ns_mut(ns);
        let hit = n.routes6.iter().position(|x| {
            x.dst == r.dst
                && x.len == r.len
                && r.gateway.is_none_or(|g| x.gateway == Some(g))
                && r.dev.is_none_or(|d| x.dev == Some(d))
                && (!metric_given || x.metric == r.metric)
        });
        match hit {
            Some(i) => {
                n.routes6.remove(i);
                Ok(())
            }
            None if n.routes6.iter().any(|x| x.dst == r.dst && x.len == r.len) => {
                Err(Errno::ESRCH.into())
            }
            None => Err(Errno::ENOENT.into()),
        }
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
        }))
    }

    /// fib6_lookup(): the longest matching prefix, then the lowest metric
    /// (the first of equals); with `oif`, only routes through it (or
    /// without a device) qualify.
    pub fn fib6_lookup(&self, ns: NsId, dst: Ipv6Addr, oif: Option<u32>) -> Option<Rt6> {
        self.fib6_routes(ns)
            .filter(|r| prefix_match(dst, r.dst, r.len))
            .filter(|r| oif.is_none_or(|o| r.dev.is_none_or(|d| d == o)))
            .min_by_key(|r| (128 - r.len as u32, r.metric))
    }

    /// ip6_route_output() and the source address for a local packet.
    pub fn route6_output(
        &self,
        ns: NsId,
        dst: Ipv6Addr,
        src: Option<Ipv6Addr>,
        oif: Option<u32>,
    ) -> KResult<OutRoute6> {
        let n = self.ns(ns);
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
            });
        }
        let scope = addr_scope(dst);
        if dst.is_multicast() || scope == 2 {
            // Link scope needs a device: the socket's, or the one the route names.
            // A group goes out of the first link with IPv6 (its ff00::/8
            // route in the local table), link-local through fe80::/64's.
            let route = self.fib6_lookup(ns, dst, oif);
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
            });
        }
        let rt = self.fib6_lookup(ns, dst, oif).ok_or(Errno::ENETUNREACH)?;
        match rt.rtype {
            RouteType::Unicast => {}
            RouteType::Unreachable => return Err(Errno::EHOSTUNREACH.into()),
            RouteType::Prohibit => return Err(Errno::EACCES.into()),
            RouteType::Blackhole => return Err(Errno::EINVAL.into()),
            _ => return Err(Errno::ENETUNREACH.into()),
        }
        let dev = rt.dev.or(oif).ok_or(Errno::ENETUNREACH)?;
        let s = src
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
        })
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
