//! Route lookups for packets (net/ipv4/route.c): input routes, output
//! routes and the source address they choose.

use crate::addr::Scope;
use crate::error::{Errno, KResult};
use crate::flow::Flowi4;
use crate::ipv4::fib::RouteType;
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
}

impl World {
    /// ip_route_output_key(): the route, device and source for a local packet.
    /// ip_route_input_slow() for a packet from `src` to `dst` arriving on
    /// `iif`, as `ip route get ... iif DEV` asks it: local and broadcast
    /// destinations are delivered through lo; the rest needs forwarding on
    /// the device and a unicast route. Errors are what the route's dst.error
    /// would carry.
    pub fn route_input(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Ipv4Addr,
        iif: u32,
    ) -> KResult<OutRoute> {
        let n = self.ns(ns);
        let dev = n.dev(iif).ok_or(Errno::ENODEV)?;
        if src.is_unspecified() || src.is_broadcast() || src.is_multicast() {
            return Err(Errno::EINVAL.into());
        }
        let local = |rtype| OutRoute {
            dev: 1, // lo, the first device of every namespace
            src: dst,
            nexthop: dst,
            rtype,
        };
        if dst.is_broadcast() {
            return Ok(local(RouteType::Broadcast));
        }
        let forward = n.sysctl.dev_forwarding(&dev.name);
        let Some(rt) = self.fib_lookup(ns, dst, None) else {
            return Err(if forward {
                Errno::ENETUNREACH
            } else {
                Errno::EHOSTUNREACH
            }
            .into());
        };
        let err = match rt.rtype {
            RouteType::Local => return Ok(local(RouteType::Local)),
            RouteType::Broadcast => return Ok(local(RouteType::Broadcast)),
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
        })
    }

    pub fn route_output(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Option<Ipv4Addr>,
        oif: Option<u32>,
    ) -> KResult<OutRoute> {
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
                });
            }
        }
        if dst.is_broadcast() {
            return Err(Errno::ENETUNREACH.into());
        }
        let rt = self.fib_lookup(ns, dst, oif);
        let Some(rt) = rt else {
            if let Some(o) = oif {
                // ip_route_output_key_hash_rcu(): with an output device and no
                // route, "assume that the destination is on link".
                let s = src
                    .or_else(|| n.select_src4(o, Some(dst), Scope::Link))
                    .unwrap_or(Ipv4Addr::UNSPECIFIED);
                return Ok(OutRoute {
                    dev: o,
                    src: s,
                    nexthop: dst,
                    rtype: RouteType::Unicast,
                });
            }
            return Err(Errno::ENETUNREACH.into());
        };
        match rt.rtype {
            RouteType::Local => {
                let s = src.or(rt.prefsrc).unwrap_or(dst);
                Ok(OutRoute {
                    dev: n.loopback_ifindex(),
                    src: s,
                    nexthop: dst,
                    rtype: RouteType::Local,
                })
            }
            RouteType::Broadcast | RouteType::Unicast | RouteType::Multicast => {
                let fl = Flowi4 {
                    saddr: src.unwrap_or(Ipv4Addr::UNSPECIFIED),
                    oif,
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
                })
            }
            RouteType::Unreachable | RouteType::Throw => Err(Errno::EHOSTUNREACH.into()),
            RouteType::Prohibit => Err(Errno::EACCES.into()),
            RouteType::Blackhole => Err(Errno::EINVAL.into()),
        }
    }
}
