//! Route lookups for packets (net/ipv4/route.c): input routes, output
//! routes and the source address they choose.

use crate::addr::Scope;
use crate::error::{Errno, KResult};
use crate::flow::Flowi4;
use crate::ipv4::fib::{RouteType, RT_TABLE_LOCAL, RT_TABLE_MAIN};
use crate::types::NsId;
use crate::world::World;
use std::net::Ipv4Addr;

/// Where a locally generated packet goes (ip_route_output_key's result).
#[derive(Clone, Copy, Debug)]
pub struct OutRoute {
    pub dev: u32,
    pub src: Ipv4Addr,
    pub nexthop: Ipv4Addr,
    pub rtype: RouteType,
    /// The table the route came from (`ip route get` prints it unless main).
    pub table: u32,
    /// The policy rule that chose the table, when not a default one (its
    /// position in the namespace's rule list).
    pub rule: Option<usize>,
}

impl World {
    /// ip_route_output_key(): the route, device and source for a local packet.
    /// ip_route_input_slow() for a packet from `src` to `dst` arriving on
    /// `iif`, as `ip route get ... iif DEV` asks it: local and broadcast
    /// destinations are delivered through lo; the rest needs forwarding on
    /// the device and a unicast route. Errors are what the route's dst.error
    /// would carry.
    pub fn route_input(&self, ns: NsId, fl: &Flowi4) -> KResult<OutRoute> {
        let (dst, src) = (fl.daddr, fl.saddr);
        let iif = fl.iif.ok_or(Errno::ENODEV)?;
        let n = self.ns(ns);
        let dev = n.dev(iif).ok_or(Errno::ENODEV)?;
        if src.is_unspecified() || src.is_broadcast() || src.is_multicast() {
            return Err(Errno::EINVAL.into());
        }
        let local = |rtype, table, rule| OutRoute {
            dev: 1, // lo, the first device of every namespace
            src: dst,
            nexthop: dst,
            rtype,
            table,
            rule,
        };
        if dst.is_broadcast() {
            return Ok(local(RouteType::Broadcast, RT_TABLE_LOCAL, None));
        }
        let forward = n.sysctl.dev_forwarding(&dev.name);
        let res = match self.fib_lookup(ns, fl) {
            Ok(r) => r,
            Err(e) => {
                return Err(if forward && e.rule.is_some() {
                    e.errno
                } else if forward {
                    Errno::ENETUNREACH
                } else {
                    Errno::EHOSTUNREACH
                }
                .into())
            }
        };
        let rt = res.route;
        let err = match rt.rtype {
            RouteType::Local => return Ok(local(RouteType::Local, rt.table, res.rule)),
            RouteType::Broadcast => return Ok(local(RouteType::Broadcast, rt.table, res.rule)),
            RouteType::Unicast => None,
            RouteType::Unreachable => Some(Errno::EHOSTUNREACH),
            RouteType::Prohibit => Some(Errno::EACCES),
            RouteType::Blackhole => Some(Errno::EINVAL),
            _ => Some(Errno::ENETUNREACH),
        };
        if !forward {
            return Err(Errno::EHOSTUNREACH.into());
        }
        if let Some(e) = err {
            return Err(e.into());
        }
        let fl = Flowi4 {
            saddr: src,
            iif: Some(iif),
            ..Flowi4::to(dst)
        };
        let (gateway, dev) = self.fib_select_path(ns, rt, &fl);
        Ok(OutRoute {
            dev: dev.unwrap_or(iif),
            src: Ipv4Addr::UNSPECIFIED,
            nexthop: gateway.unwrap_or(dst),
            rtype: RouteType::Unicast,
            table: rt.table,
            rule: res.rule,
        })
    }

    /// ip_route_output_key() for the flow `fl`: `fl.saddr` unspecified
    /// lets the route choose the source, `fl.oif` is the bound device.
    pub fn route_output(&self, ns: NsId, fl: &Flowi4) -> KResult<OutRoute> {
        let (dst, oif) = (fl.daddr, fl.oif);
        let src = (!fl.saddr.is_unspecified()).then_some(fl.saddr);
        let n = self.ns(ns);
        if let Some(o) = oif {
            n.dev(o).ok_or(Errno::ENODEV)?;
            if dst.is_broadcast() || dst.is_multicast() {
                let s = src
                    .or_else(|| n.select_src4(o, None, Scope::Link))
                    .unwrap_or(Ipv4Addr::UNSPECIFIED);
                return Ok(OutRoute {
                    dev: o,
                    src: s,
                    nexthop: dst,
                    rtype: RouteType::Broadcast,
                    table: RT_TABLE_LOCAL,
                    rule: None,
                });
            }
        }
        if dst.is_broadcast() {
            return Err(Errno::ENETUNREACH.into());
        }
        let res = match self.fib_lookup(ns, fl) {
            Ok(r) => r,
            // With an output device any failure is "assume on link" --
            // unless the device is a VRF.
            Err(_) if oif.is_some_and(|o| !self.is_l3_master(ns, o)) => {
                return self.route_output_onlink(ns, fl)
            }
            Err(e) => return Err(e.errno.into()),
        };
        let (rt, rule) = (res.route, res.rule);
        let table = rt.table;
        match rt.rtype {
            RouteType::Local => {
                let s = src.or(rt.prefsrc).unwrap_or(dst);
                Ok(OutRoute {
                    dev: n.loopback_ifindex(),
                    src: s,
                    nexthop: dst,
                    rtype: RouteType::Local,
                    table,
                    rule,
                })
            }
            RouteType::Broadcast | RouteType::Unicast | RouteType::Multicast => {
                let fl = Flowi4 {
                    saddr: src.unwrap_or(Ipv4Addr::UNSPECIFIED),
                    oif: oif.filter(|&o| !self.is_l3_master(ns, o)),
                    ..Flowi4::to(dst)
                };
                let (gateway, dev) = self.fib_select_path(ns, rt, &fl);
                let dev = dev.ok_or(Errno::ENETUNREACH)?;
                let s = src
                    .or(rt.prefsrc)
                    .or_else(|| {
                        n.select_src4(
                            dev,
                            gateway.or(Some(dst)),
                            rt.scope.min(Scope::Link).max(Scope::Universe),
                        )
                    })
                    .or_else(|| n.select_src4(dev, None, Scope::Host))
                    .unwrap_or(Ipv4Addr::UNSPECIFIED);
                Ok(OutRoute {
                    dev,
                    src: s,
                    nexthop: gateway.unwrap_or(dst),
                    rtype: rt.rtype,
                    table,
                    rule,
                })
            }
            RouteType::Unreachable | RouteType::Throw => Err(Errno::EHOSTUNREACH.into()),
            RouteType::Prohibit => Err(Errno::EACCES.into()),
            RouteType::Blackhole => Err(Errno::EINVAL.into()),
        }
    }

    /// ip_route_output_key_hash_rcu() with no route: an output device
    /// means "assume that the destination is on link".
    fn route_output_onlink(&self, ns: NsId, fl: &Flowi4) -> KResult<OutRoute> {
        let n = self.ns(ns);
        let o = fl.oif.ok_or(Errno::ENETUNREACH)?;
        let src = (!fl.saddr.is_unspecified()).then_some(fl.saddr);
        let s = src
            .or_else(|| n.select_src4(o, Some(fl.daddr), Scope::Link))
            .unwrap_or(Ipv4Addr::UNSPECIFIED);
        Ok(OutRoute {
            dev: o,
            src: s,
            nexthop: fl.daddr,
            rtype: RouteType::Unicast,
            table: RT_TABLE_MAIN,
            rule: None,
        })
    }
}
