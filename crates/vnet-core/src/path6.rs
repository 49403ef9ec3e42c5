//! The IPv6 packet path (net/ipv6/), beside the IPv4 one in `path.rs` and
//! sharing its devices, neighbour state machine and sockets:
//!
//! ```text
//!  l3_receive ──► ipv6_rcv ──► ip6_rcv_finish ──► ip6_input ──► icmpv6_rcv ──► ndisc_rcv
//!                                   │                                  └────► echo reply / raw sockets
//!                                   └──► ip6_forward ──► ip6_finish_output2 ──► neigh (nd_tbl) ──► dev_queue_xmit
//!  sockets (ping -6) ──► ip6_send ──► ip6_local_out ──► ip6_finish_output2
//! ```
//!
//! Routes are the ones `ip -6 route` lists: the kernel's, derived from the
//! addresses (local host routes, connected prefixes, fe80::/64 per link),
//! and the administrator's (`Netns::routes6`). Read RFC 4861 (neighbour
//! discovery), RFC 4443 (ICMPv6) and RFC 6724 (source selection) first.

use crate::ipv6::addrconf::{icmp6_checksum, mcast_mac, solicited_node};
use crate::dev::DevRef;
use crate::error::{Errno, KResult};
use crate::neigh::NudState;
use crate::netfilter::hook::{Nf6Verdict, Skb};
use crate::netfilter::Hook;
use crate::ipv4::fib::RouteType;
use crate::sock::{IcmpRx, SockKind};
use crate::trace::{DropReason, Trace};
use crate::types::{Mac, NsId, Time};
use crate::world::World;
use std::net::Ipv6Addr;

pub const IPV6_HLEN: usize = 40;
/// IPV6_MIN_MTU: an ICMPv6 error never makes a packet larger than this.
const IPV6_MIN_MTU: usize = 1280;

/// ICMPv6 types and codes (RFC 4443, RFC 4861).
pub mod icmp6 {
    pub const DEST_UNREACH: u8 = 1;
    pub const PKT_TOOBIG: u8 = 2;
    pub const TIME_EXCEED: u8 = 3;
    pub const PARAMPROB: u8 = 4;
    pub const ECHO_REQUEST: u8 = 128;
    pub const ECHO_REPLY: u8 = 129;
    pub const NDISC_NEIGHBOUR_SOLICITATION: u8 = 135;
    pub const NDISC_NEIGHBOUR_ADVERTISEMENT: u8 = 136;
    // DEST_UNREACH codes.
    pub const NOROUTE: u8 = 0;
    pub const ADM_PROHIBITED: u8 = 1;
    pub const NOT_NEIGHBOUR: u8 = 2;
    pub const ADDR_UNREACH: u8 = 3;
    pub const PORT_UNREACH: u8 = 4;
    pub const REJECT_ROUTE: u8 = 6;
    // PARAMPROB codes.
    pub const UNK_NEXTHDR: u8 = 1;
}

/// ND option types (RFC 4861 §4.6).
const ND_OPT_SOURCE_LL_ADDR: u8 = 1;
const ND_OPT_TARGET_LL_ADDR: u8 = 2;
/// Neighbour advertisement flags.
const NA_ROUTER: u8 = 0x80;
const NA_SOLICITED: u8 = 0x40;
const NA_OVERRIDE: u8 = 0x20;

const ALL_NODES: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
const ALL_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2);

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

/// The address scope of RFC 4291 as the kernel numbers it
/// (IPV6_ADDR_SCOPE_*): 1 node, 2 link, 5 site, 0xe global.
pub fn addr_scope(a: Ipv6Addr) -> u8 {
    let o = a.octets();
    if o[0] == 0xff {
        o[1] & 0x0f
    } else if a.is_loopback() {
        1
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0x80 {
        2
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0xc0 {
        5
    } else {
        0xe
    }
}

fn prefix_match(a: Ipv6Addr, net: Ipv6Addr, len: u8) -> bool {
    let m = if len == 0 {
        0
    } else {
        u128::MAX << (128 - len.min(128) as u32)
    };
    u128::from(a) & m == u128::from(net) & m
}

fn common_prefix(a: Ipv6Addr, b: Ipv6Addr) -> u32 {
    (u128::from(a) ^ u128::from(b)).leading_zeros()
}

/// The default policy table's label (RFC 6724 §2.1), rule 6 of source selection.
fn label(a: Ipv6Addr) -> u8 {
    const TABLE: &[(u128, u8, u8)] = &[
        (1, 128, 0),                     // ::1
        (0xffff_0000_0000, 96, 4),       // ::ffff:0:0/96
        (0, 96, 3),                      // ::/96
        (0x2001_0000_u128 << 96, 32, 5), // 2001::/32
        (0x2002_u128 << 112, 16, 2),     // 2002::/16
        (0xfc_u128 << 120, 7, 13),       // fc00::/7
        (0xfec0_u128 << 112, 10, 11),    // fec0::/10
        (0x3ffe_u128 << 112, 16, 12),    // 3ffe::/16
        (0, 0, 1),                       // ::/0
    ];
    TABLE
        .iter()
        .filter(|(net, len, _)| prefix_match(a, Ipv6Addr::from(*net), *len))
        .max_by_key(|(_, len, _)| *len)
        .map_or(1, |t| t.2)
}

/// Builds an IPv6 header and payload into `p` (ip6_nd_hdr / ip6_make_skb).
fn ip6_build(
    p: &mut Vec<u8>,
    src: Ipv6Addr,
    dst: Ipv6Addr,
    nexthdr: u8,
    hop_limit: u8,
    flowlabel: u32,
    payload: &[u8],
) {
    let fl = flowlabel & 0xfffff;
    p.extend_from_slice(&[0x60, (fl >> 16) as u8, (fl >> 8) as u8, fl as u8]);
    p.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    p.push(nexthdr);
    p.push(hop_limit);
    p.extend_from_slice(&src.octets());
    p.extend_from_slice(&dst.octets());
    p.extend_from_slice(payload);
}

/// ip6_fragment(): pieces of a packet without extension headers, each
/// with a fragment header and a multiple of 8 bytes of payload but the last.
pub fn ip6_fragment(p: &[u8], mtu: usize, id: u32) -> Vec<Vec<u8>> {
    let data = &p[IPV6_HLEN..];
    let room = (mtu - IPV6_HLEN - 8) & !7;
    let mut out = Vec::new();
    let mut off = 0;
    while off < data.len() {
        let end = (off + room).min(data.len());
        let more = end < data.len();
        let mut f = Vec::with_capacity(IPV6_HLEN + 8 + end - off);
        f.extend_from_slice(&p[..IPV6_HLEN]);
        f[6] = 44;
        f[4..6].copy_from_slice(&((8 + end - off) as u16).to_be_bytes());
        f.extend_from_slice(&[p[6], 0]);
        f.extend_from_slice(&((off as u16) | more as u16).to_be_bytes());
        f.extend_from_slice(&id.to_be_bytes());
        f.extend_from_slice(&data[off..end]);
        out.push(f);
        off = end;
    }
    out
}

fn hdr_src(p: &[u8]) -> Ipv6Addr {
    Ipv6Addr::from(<[u8; 16]>::try_from(&p[8..24]).unwrap())
}
fn hdr_dst(p: &[u8]) -> Ipv6Addr {
    Ipv6Addr::from(<[u8; 16]>::try_from(&p[24..40]).unwrap())
}

/// The upper-layer header behind the extension headers the path skips
/// (hop-by-hop, routing, destination options): (protocol, offset).
fn upper_layer(p: &[u8]) -> Option<(u8, usize)> {
    let mut nh = p[6];
    let mut off = IPV6_HLEN;
    while matches!(nh, 0 | 43 | 60) {
        let h = p.get(off..off + 2)?;
        nh = h[0];
        off += (h[1] as usize + 1) * 8;
    }
    (off <= p.len()).then_some((nh, off))
}

/// The flow label the kernel's auto_flowlabels gives a locally sent packet
/// (ip6_make_flowlabel): a hash of the flow, stable for its lifetime.
fn auto_flowlabel(src: Ipv6Addr, dst: Ipv6Addr, proto: u8) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in src
        .octets()
        .iter()
        .chain(dst.octets().iter())
        .chain([proto].iter())
    {
        h = (h ^ *b as u32).wrapping_mul(0x0100_0193);
    }
    h & 0xfffff
}

impl World {
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

    /// Whether `a` is one of the namespace's addresses; with `dev`, on that
    /// device (ipv6_chk_addr). Tentative addresses are not yet ours.
    pub fn ipv6_chk_addr(&self, ns: NsId, a: Ipv6Addr, dev: Option<u32>) -> bool {
        let now = self.now;
        self.ns(ns)
            .addrs6
            .iter()
            .any(|x| x.addr == a && dev.is_none_or(|d| d == x.ifindex) && !x.tentative(now))
    }

    /// ipv6_get_lladdr(): the device's link-local address, once DAD is over.
    fn ipv6_get_lladdr(&self, r: DevRef) -> Option<Ipv6Addr> {
        let now = self.now;
        self.ns(r.ns)
            .addrs6
            .iter()
            .find(|a| a.ifindex == r.ifindex && addr_scope(a.addr) == 2 && !a.tentative(now))
            .map(|a| a.addr)
    }

    /// ipv6_dev_get_saddr(): the best source for `dst` leaving through
    /// `dev` (RFC 6724 §5: same address, scope, outgoing interface, label,
    /// longest matching prefix). Link-scope destinations take only `dev`'s.
    pub fn ipv6_dev_get_saddr(
        &self,
        ns: NsId,
        dev: Option<u32>,
        dst: Ipv6Addr,
    ) -> Option<Ipv6Addr> {
        let now = self.now;
        let dscope = addr_scope(dst) as i32;
        let oif_only = dev.is_some() && dscope <= 2;
        let n = self.ns(ns);
        n.addrs6
            .iter()
            .filter(|a| !a.tentative(now))
            .filter(|a| !oif_only || Some(a.ifindex) == dev)
            .filter(|a| n.dev(a.ifindex).is_some_and(|d| d.up))
            .map(|a| {
                let s = addr_scope(a.addr) as i32;
                let scope = if s >= dscope { 1000 - s } else { s };
                let key = (
                    a.addr == dst,
                    scope,
                    Some(a.ifindex) == dev,
                    label(a.addr) == label(dst),
                    common_prefix(a.addr, dst).min(a.prefix_len as u32),
                );
                (key, a.addr)
            })
            // The first of equals wins, as the kernel's walk keeps its best.
            .fold(None, |best: Option<(_, Ipv6Addr)>, c| match best {
                Some(b) if b.0 >= c.0 => Some(b),
                _ => Some(c),
            })
            .map(|b| b.1)
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

    /// The groups a device listens to: all-nodes, the solicited-node group
    /// of each of its addresses, all-routers when forwarding.
    fn ipv6_mc_joined(&self, r: DevRef, group: Ipv6Addr) -> bool {
        if group == ALL_NODES || group == Ipv6Addr::new(0xff01, 0, 0, 0, 0, 0, 0, 1) {
            return true;
        }
        if group == ALL_ROUTERS {
            return self.ip6_forwarding(r.ns);
        }
        self.ns(r.ns)
            .addrs6
            .iter()
            .any(|a| a.ifindex == r.ifindex && solicited_node(a.addr) == group)
    }

    fn ip6_forwarding(&self, ns: NsId) -> bool {
        self.ns(ns).sysctl.get_int("net.ipv6.conf.all.forwarding") != 0
    }

    /// net.ipv6.conf.DEV.hop_limit (64 unless changed).
    fn ip6_hop_limit(&self, ns: NsId, dev: u32) -> u8 {
        let n = self.ns(ns);
        n.dev(dev)
            .and_then(|d| n.sysctl.conf6_of(&d.name, "hop_limit"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(64)
    }

    // ---- input -----------------------------------------------------------------

    /// ipv6_rcv(): validate the header, then route (ip6_rcv_finish).
    /// `otherhost`: the frame was addressed to another station's MAC.
    pub(crate) fn ipv6_rcv(&mut self, r: DevRef, pkt: &[u8], otherhost: bool) {
        let ns = r.ns;
        if otherhost {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::NotForUs);
            return;
        }
        let disabled = {
            let n = self.ns(ns);
            n.dev(r.ifindex)
                .is_none_or(|d| n.sysctl.ipv6_disabled(&d.name))
        };
        if disabled {
            return;
        }
        let plen = pkt
            .get(4..6)
            .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]) as usize);
        if pkt.len() < IPV6_HLEN || pkt[0] >> 4 != 6 || IPV6_HLEN + plen > pkt.len() {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::IpHdr);
            return;
        }
        let pkt = &pkt[..IPV6_HLEN + plen];
        let src = hdr_src(pkt);
        let dst = hdr_dst(pkt);
        // RFC 4291 §2.7: never from a multicast address; loopback only on lo.
        let on_lo = self.dev(r).is_some_and(|d| d.is_loopback());
        if src.is_multicast() || (!on_lo && (src.is_loopback() || dst.is_loopback())) {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::IpInAddrErrors);
            return;
        }
        // NF_INET_PRE_ROUTING, on a copy the hooks may rewrite.
        let mut skb = Skb::default();
        if self.nf_active6(ns) {
            let mut p = self.take_buf();
            p.extend_from_slice(pkt);
            if self.nf6(
                ns,
                Hook::PreRouting,
                &mut p,
                Some(r.ifindex),
                None,
                &mut skb,
            ) {
                self.ip6_rcv_finish(r, &p, hdr_dst(&p), &mut skb);
            }
            self.put_buf(p);
            return;
        }
        self.ip6_rcv_finish(r, pkt, dst, &mut skb);
    }

    /// NF_HOOK(NFPROTO_IPV6, hook): true if the packet goes on; a REJECT
    /// drops it and answers as nf_send_unreach6() does (tcp-reset: no IPv6
    /// TCP here, so nothing to reset).
    fn nf6(
        &mut self,
        ns: NsId,
        hook: Hook,
        p: &mut [u8],
        indev: Option<u32>,
        outdev: Option<u32>,
        skb: &mut Skb,
    ) -> bool {
        match self.nf_hook6(ns, hook, p, indev, outdev, skb) {
            Nf6Verdict::Accept => true,
            Nf6Verdict::Drop => false,
            Nf6Verdict::Reject(w) => {
                if let Some(code) = w.icmp6_code() {
                    self.icmp6_send(ns, indev, p, icmp6::DEST_UNREACH, code, 0);
                }
                false
            }
        }
    }

    /// ip6_rcv_finish() → ip6_route_input(): deliver, forward or refuse.
    fn ip6_rcv_finish(&mut self, r: DevRef, pkt: &[u8], dst: Ipv6Addr, skb: &mut Skb) {
        let ns = r.ns;
        if dst.is_multicast() {
            if self.ipv6_mc_joined(r, dst) {
                self.ip6_input(r, pkt, skb);
            }
            return;
        }
        // A link-local destination is ours only on the device it names;
        // looped back, any of ours is, and it counts as arriving on the
        // address's own device (IP6CB(skb)->iif from the dst).
        let on_lo = self.dev(r).is_some_and(|d| d.is_loopback());
        let here = (addr_scope(dst) == 2 && !on_lo).then_some(r.ifindex);
        let owner = self
            .ns(ns)
            .addrs6
            .iter()
            .find(|a| a.addr == dst && here.is_none_or(|i| i == a.ifindex))
            .map(|a| a.ifindex);
        if let Some(i) = owner {
            let iif = if on_lo { DevRef { ns, ifindex: i } } else { r };
            self.ip6_input(iif, pkt, skb);
            return;
        }
        let rt = if addr_scope(dst) == 2 {
            None
        } else {
            self.fib6_lookup(ns, dst, None)
        };
        if self.tracer.is_some() {
            let res = rt
                .map(|x| format!("{} {}/{}", x.rtype.name(), x.dst, x.len))
                .unwrap_or_else(|| "none".into());
            self.trace(|| Trace::RouteLookup {
                ns,
                dst: dst.into(),
                table: None,
                result: res,
            });
        }
        match rt.map(|x| x.rtype) {
            Some(RouteType::Unicast) => {
                let rt = rt.unwrap();
                self.ip6_forward(r, pkt, rt, skb);
            }
            // ip6_pkt_discard / ip6_pkt_prohibit: the null entry and the
            // error route types answer; a blackhole does not.
            Some(RouteType::Blackhole) => self.drop_pkt(ns, Some(r.ifindex), DropReason::Blackhole),
            Some(RouteType::Prohibit) => {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::Prohibit);
                self.icmp6_send(
                    ns,
                    Some(r.ifindex),
                    pkt,
                    icmp6::DEST_UNREACH,
                    icmp6::ADM_PROHIBITED,
                    0,
                );
            }
            _ if !self.ip6_forwarding(ns) && addr_scope(dst) == 2 => {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::NotForUs);
            }
            _ => {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::NoRoute);
                self.icmp6_send(
                    ns,
                    Some(r.ifindex),
                    pkt,
                    icmp6::DEST_UNREACH,
                    icmp6::NOROUTE,
                    0,
                );
            }
        }
    }

    /// ip6_forward(): forwarding on, hop limit, scope, MTU, then out.
    fn ip6_forward(&mut self, r: DevRef, pkt: &[u8], rt: Rt6, skb: &mut Skb) {
        let ns = r.ns;
        if !self.ip6_forwarding(ns) {
            // IPSTATS_MIB_INADDRERRORS, no error sent.
            self.drop_pkt(ns, Some(r.ifindex), DropReason::ForwardingDisabled);
            return;
        }
        let src = hdr_src(pkt);
        let dst = hdr_dst(pkt);
        if pkt[7] <= 1 {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::TtlExceeded);
            self.icmp6_send(ns, Some(r.ifindex), pkt, icmp6::TIME_EXCEED, 0, 0);
            return;
        }
        if addr_scope(src) <= 2 {
            // A link-local source may not leave its link.
            self.drop_pkt(ns, Some(r.ifindex), DropReason::NoRoute);
            self.icmp6_send(
                ns,
                Some(r.ifindex),
                pkt,
                icmp6::DEST_UNREACH,
                icmp6::NOT_NEIGHBOUR,
                0,
            );
            return;
        }
        let Some(out) = rt.dev else {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::NoRoute);
            return;
        };
        let mtu = self
            .ns(ns)
            .dev(out)
            .map_or(1500, |d| d.mtu as usize)
            .max(IPV6_MIN_MTU);
        if pkt.len() > mtu {
            // Routers never fragment IPv6: "packet too big" with the MTU.
            self.icmp6_send(ns, Some(r.ifindex), pkt, icmp6::PKT_TOOBIG, 0, mtu as u32);
            return;
        }
        let mut p = self.take_buf();
        p.extend_from_slice(pkt);
        p[7] -= 1;
        if self.tracer.is_some() {
            let o = self
                .dev(DevRef { ns, ifindex: out })
                .map(|d| d.name.clone())
                .unwrap_or_default();
            self.trace(|| Trace::Forward {
                ns,
                src: src.into(),
                dst: dst.into(),
                out: o,
            });
        }
        // NF_INET_FORWARD (hop limit already lowered), then ip6_output's
        // NF_INET_POST_ROUTING.
        let (i, o) = (Some(r.ifindex), Some(out));
        if !self.nf6(ns, Hook::Forward, &mut p, i, o, skb)
            || !self.nf6(ns, Hook::PostRouting, &mut p, None, o, skb)
        {
            self.put_buf(p);
            return;
        }
        let nexthop = rt.gateway.unwrap_or(dst);
        self.ip6_finish_output2(DevRef { ns, ifindex: out }, nexthop, p);
    }

    /// ip6_input(): hand the packet to its upper-layer protocol.
    fn ip6_input(&mut self, r: DevRef, pkt: &[u8], skb: &mut Skb) {
        let ns = r.ns;
        // NF_INET_LOCAL_IN, then ip6_input_finish.
        if self.nf_active6(ns) {
            let mut p = self.take_buf();
            p.extend_from_slice(pkt);
            if self.nf6(ns, Hook::LocalIn, &mut p, Some(r.ifindex), None, skb) {
                self.ip6_input_finish(r, &p);
            }
            self.put_buf(p);
            return;
        }
        self.ip6_input_finish(r, pkt);
    }

    /// ip6_input_finish(): the upper-layer protocol's handler.
    fn ip6_input_finish(&mut self, r: DevRef, pkt: &[u8]) {
        let ns = r.ns;
        let Some((proto, off)) = upper_layer(pkt) else {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::IpHdr);
            return;
        };
        let (src, dst) = (hdr_src(pkt), hdr_dst(pkt));
        self.trace(|| Trace::LocalDeliver {
            ns,
            src: src.into(),
            dst: dst.into(),
            proto,
        });
        match proto {
            44 => {
                if let Some(whole) = self.ipv6_frag_rcv(ns, pkt, off) {
                    self.ip6_input_finish(r, &whole);
                }
            }
            58 => self.icmpv6_rcv(r, pkt, off),
            17 => {
                // No IPv6 UDP sockets: every port is closed.
                self.drop_pkt(ns, Some(r.ifindex), DropReason::NoSocket);
                if !dst.is_multicast() {
                    self.icmp6_send(
                        ns,
                        Some(r.ifindex),
                        pkt,
                        icmp6::DEST_UNREACH,
                        icmp6::PORT_UNREACH,
                        0,
                    );
                }
            }
            59 => {} // no next header
            _ => {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::UnknownProtocol);
                // The pointer is the offset of the Next Header field that named it.
                self.icmp6_send(
                    ns,
                    Some(r.ifindex),
                    pkt,
                    icmp6::PARAMPROB,
                    icmp6::UNK_NEXTHDR,
                    6,
                );
            }
        }
    }

    /// icmpv6_rcv(): checksum, then echo, neighbour discovery, raw sockets.
    fn icmpv6_rcv(&mut self, r: DevRef, pkt: &[u8], off: usize) {
        let ns = r.ns;
        let (src, dst) = (hdr_src(pkt), hdr_dst(pkt));
        let msg = &pkt[off..];
        if msg.len() < 4 || icmp6_checksum(src, dst, msg) != 0 {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::IpHdr);
            return;
        }
        let typ = msg[0];
        // Raw ICMPv6 sockets get a copy of everything (ping filters by type).
        let now = self.now;
        for k in 0..self.ns(ns).sockets.len() {
            let id = self.ns(ns).sockets[k];
            if let Some(SockKind::IcmpRaw { v6: true, rx }) =
                self.sockets[id].as_mut().map(|s| &mut s.kind)
            {
                rx.push_back(IcmpRx {
                    at: now,
                    src: src.into(),
                    dst: dst.into(),
                    ttl: pkt[7],
                    ifindex: r.ifindex,
                    ip_len: pkt.len(),
                    icmp: msg.to_vec(),
                });
            }
        }
        if typ == icmp6::PKT_TOOBIG && msg.len() >= 8 + IPV6_HLEN {
            // rt6_pmtu_discovery(): the quoted packet's destination gets the
            // MTU (never under IPV6_MIN_MTU) for ten minutes.
            let mtu = u32::from_be_bytes([msg[4], msg[5], msg[6], msg[7]]).max(IPV6_MIN_MTU as u32);
            let qdst = hdr_dst(&msg[8..]);
            let until = self.now + Time::from_secs(600);
            self.ns_mut(ns).pmtu6.insert(qdst, (mtu, until));
        }
        match typ {
            icmp6::ECHO_REQUEST => self.icmpv6_echo_reply(r, pkt, msg),
            // RFC 4861 §7.1: only from the link itself.
            icmp6::NDISC_NEIGHBOUR_SOLICITATION | icmp6::NDISC_NEIGHBOUR_ADVERTISEMENT
                if pkt[7] == 255 && msg[1] == 0 && msg.len() >= 24 =>
            {
                if typ == icmp6::NDISC_NEIGHBOUR_SOLICITATION {
                    self.ndisc_recv_ns(r, src, dst, msg);
                } else {
                    self.ndisc_recv_na(r, msg);
                }
            }
            _ => {}
        }
    }

    /// icmpv6_echo_reply(): from the address asked, unless it was a group.
    fn icmpv6_echo_reply(&mut self, r: DevRef, pkt: &[u8], msg: &[u8]) {
        let ns = r.ns;
        if self.ns(ns).sysctl.get_int("net.ipv6.icmp.echo_ignore_all") != 0 {
            return;
        }
        let (src, dst) = (hdr_src(pkt), hdr_dst(pkt));
        let saddr = (!dst.is_multicast()).then_some(dst);
        let oif = (addr_scope(src) <= 2).then_some(r.ifindex);
        let mut reply = self.take_buf();
        reply.extend_from_slice(msg);
        reply[0] = icmp6::ECHO_REPLY;
        let _ = self.ip6_send_icmp(ns, saddr, src, oif, &mut reply);
        self.put_buf(reply);
    }

    // ---- neighbour discovery (net/ipv6/ndisc.c) ---------------------------------

    /// The link-layer address option of type `want`, if any.
    fn nd_opt_lladdr(opts: &[u8], want: u8) -> Option<Mac> {
        let mut o = opts;
        while o.len() >= 8 {
            let len = o[1] as usize * 8;
            if len == 0 || len > o.len() {
                return None;
            }
            if o[0] == want {
                return Some(Mac(o[2..8].try_into().ok()?));
            }
            o = &o[len..];
        }
        None
    }

    /// ndisc_recv_ns(): answer for our addresses, learning the asker.
    fn ndisc_recv_ns(&mut self, r: DevRef, src: Ipv6Addr, dst: Ipv6Addr, msg: &[u8]) {
        let ns = r.ns;
        let target = Ipv6Addr::from(<[u8; 16]>::try_from(&msg[8..24]).unwrap());
        if target.is_multicast() {
            return;
        }
        let dad = src.is_unspecified();
        // A DAD probe goes to the solicited-node group, never unicast.
        if dad && !dst.is_multicast() {
            return;
        }
        let sll = Self::nd_opt_lladdr(&msg[24..], ND_OPT_SOURCE_LL_ADDR);
        if dad && sll.is_some() {
            return;
        }
        if !self.ipv6_chk_addr(ns, target, Some(r.ifindex)) {
            // Not ours, or still tentative (DAD by another node is not modelled).
            return;
        }
        let router = self.ip6_forwarding(ns);
        if dad {
            self.ndisc_send_na(r, ALL_NODES, target, router, false);
            return;
        }
        // neigh_event_ns(): the asker's entry, STALE with its address.
        if let Some(mac) = sll {
            self.neigh_update(r, src.into(), mac, NudState::Stale, true);
        }
        self.ndisc_send_na(r, src, target, router, true);
    }

    /// ndisc_recv_na(): confirms or updates an entry we have; never creates one.
    fn ndisc_recv_na(&mut self, r: DevRef, msg: &[u8]) {
        let ns = r.ns;
        let flags = msg[4];
        let target = Ipv6Addr::from(<[u8; 16]>::try_from(&msg[8..24]).unwrap());
        if target.is_multicast() || self.ipv6_chk_addr(ns, target, None) {
            return;
        }
        let Some(e) = self.ns(ns).neigh.get(r.ifindex, target) else {
            return;
        };
        let Some(mac) = Self::nd_opt_lladdr(&msg[24..], ND_OPT_TARGET_LL_ADDR).or(e.lladdr) else {
            return;
        };
        let solicited = flags & NA_SOLICITED != 0;
        let differs = e.lladdr.is_some_and(|m| m != mac);
        if flags & NA_OVERRIDE == 0 && differs && e.state.valid() {
            // Without the override flag a different address only makes a
            // connected entry STALE (NEIGH_UPDATE_F_WEAK_OVERRIDE).
            let now = self.now;
            let e = self.ns_mut(ns).neigh.get_mut(r.ifindex, target).unwrap();
            if matches!(e.state, NudState::Reachable) {
                e.state = NudState::Stale;
                e.updated = now;
            }
            return;
        }
        let state = if solicited {
            NudState::Reachable
        } else {
            NudState::Stale
        };
        self.neigh_update(r, target.into(), mac, state, false);
        if let Some(e) = self.ns_mut(ns).neigh.get_mut(r.ifindex, target) {
            e.router = flags & NA_ROUTER != 0;
        }
    }

    /// ndisc_send_na(): from the target address, with our link-layer address.
    fn ndisc_send_na(
        &mut self,
        r: DevRef,
        to: Ipv6Addr,
        target: Ipv6Addr,
        router: bool,
        solicited: bool,
    ) {
        let Some(mac) = self.dev(r).map(|d| d.mac) else {
            return;
        };
        let flags = (if router { NA_ROUTER } else { 0 })
            | (if solicited { NA_SOLICITED } else { 0 })
            | NA_OVERRIDE;
        let mut m = vec![
            icmp6::NDISC_NEIGHBOUR_ADVERTISEMENT,
            0,
            0,
            0,
            flags,
            0,
            0,
            0,
        ];
        m.extend_from_slice(&target.octets());
        m.extend_from_slice(&[ND_OPT_TARGET_LL_ADDR, 1]);
        m.extend_from_slice(&mac.0);
        self.ndisc_send_skb(r, None, target, to, m);
    }

    /// ndisc_solicit(): multicast to the solicited-node group while
    /// INCOMPLETE, unicast to the known address when probing.
    pub(crate) fn ndisc_solicit(&mut self, r: DevRef, target: Ipv6Addr) {
        let ns = r.ns;
        let Some(e) = self.ns_mut(ns).neigh.get_mut(r.ifindex, target) else {
            return;
        };
        e.probes += 1;
        let unicast = match (e.state, e.lladdr) {
            (NudState::Probe, Some(m)) => Some(m),
            _ => None,
        };
        // The source: the queued packet's when it is an address of this
        // device, else the device's link-local one (ndisc_send_ns).
        let qsrc = e
            .queue
            .last()
            .filter(|p| p.len() >= IPV6_HLEN)
            .map(|p| hdr_src(p));
        let src = qsrc
            .filter(|s| self.ipv6_chk_addr(ns, *s, Some(r.ifindex)))
            .or_else(|| self.ipv6_get_lladdr(r))
            .unwrap_or(Ipv6Addr::UNSPECIFIED);
        let Some(mac) = self.dev(r).map(|d| d.mac) else {
            return;
        };
        let mut m = vec![icmp6::NDISC_NEIGHBOUR_SOLICITATION, 0, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&target.octets());
        if !src.is_unspecified() {
            m.extend_from_slice(&[ND_OPT_SOURCE_LL_ADDR, 1]);
            m.extend_from_slice(&mac.0);
        }
        let dst = if unicast.is_some() {
            target
        } else {
            solicited_node(target)
        };
        self.ndisc_send_skb(r, unicast, src, dst, m);
    }

    /// ndisc_send_skb(): hop limit 255, no flow label; multicast straight
    /// to the group's MAC, unicast through the neighbour entry (or to
    /// `to_mac` when probing one).
    fn ndisc_send_skb(
        &mut self,
        r: DevRef,
        to_mac: Option<Mac>,
        src: Ipv6Addr,
        dst: Ipv6Addr,
        mut msg: Vec<u8>,
    ) {
        let ck = icmp6_checksum(src, dst, &msg);
        msg[2..4].copy_from_slice(&ck.to_be_bytes());
        let mut p = self.take_buf();
        ip6_build(&mut p, src, dst, 58, 255, 0, &msg);
        // ndisc_send_skb(): NF_INET_LOCAL_OUT, then ip6_output's POST_ROUTING.
        let (ns, o) = (r.ns, Some(r.ifindex));
        let mut skb = Skb::default();
        if !self.nf6(ns, Hook::LocalOut, &mut p, None, o, &mut skb)
            || !self.nf6(ns, Hook::PostRouting, &mut p, None, o, &mut skb)
        {
            self.put_buf(p);
            return;
        }
        match to_mac {
            Some(mac) => self.neigh_xmit(r, mac, p),
            None => self.ip6_finish_output2(r, dst, p),
        }
    }

    // ---- ICMPv6 errors ----------------------------------------------------------

    /// icmp6_send(): an error about `orig` back to its sender (RFC 4443 §2.4).
    /// `iif`: the device `orig` arrived on, which a link-local sender is
    /// answered through (None for a packet made here).
    pub(crate) fn icmp6_send(
        &mut self,
        ns: NsId,
        iif: Option<u32>,
        orig: &[u8],
        typ: u8,
        code: u8,
        info: u32,
    ) {
        if orig.len() < IPV6_HLEN {
            return;
        }
        let (osrc, odst) = (hdr_src(orig), hdr_dst(orig));
        // Never about a group (but "too big" and an unknown option may be),
        // never to an unspecified or group source, never about an error.
        if (odst.is_multicast()
            && typ != icmp6::PKT_TOOBIG
            && !(typ == icmp6::PARAMPROB && code == 2))
            || osrc.is_unspecified()
            || osrc.is_multicast()
        {
            return;
        }
        if let Some((58, off)) = upper_layer(orig) {
            if orig.get(off).is_none_or(|t| *t < 128) {
                return;
            }
        }
        let saddr = self.ipv6_chk_addr(ns, odst, None).then_some(odst);
        // A link-local sender is answered out of the device its packet
        // came in on (icmp6_send's flowi6_oif for a link-scope source).
        let oif = iif.filter(|_| addr_scope(osrc) <= 2);
        // icmpv6_xrlim_allow(): errors in the ratemask (all but "too big")
        // are limited per destination, less for narrower routes; never on lo.
        let Ok(rt) = self.route6_output(ns, osrc, saddr, oif) else {
            return;
        };
        if typ != icmp6::PKT_TOOBIG && rt.rtype != RouteType::Local {
            let ms = match self.ns(ns).sysctl.values.get("net.ipv6.icmp.ratelimit") {
                Some(v) => v.parse().unwrap_or(1000),
                None => 1000u64,
            };
            let mut tmo = Time::from_millis(ms).0;
            if rt.plen < 128 {
                tmo >>= (128 - rt.plen as u32) >> 5;
            }
            if !self.xrlim_allow(ns, osrc, Time(tmo)) {
                return;
            }
        }
        let room = IPV6_MIN_MTU - IPV6_HLEN - 8;
        let quoted = &orig[..orig.len().min(room)];
        let mut m = Vec::with_capacity(8 + quoted.len());
        m.extend_from_slice(&[typ, code, 0, 0]);
        m.extend_from_slice(&info.to_be_bytes());
        m.extend_from_slice(quoted);
        self.trace(|| Trace::IcmpSend {
            ns,
            to: osrc.into(),
            icmp_type: typ,
            code,
        });
        let _ = self.ip6_send_icmp(ns, saddr, osrc, oif, &mut m);
    }

    // ---- output -----------------------------------------------------------------

    /// Fills in an ICMPv6 message's checksum and sends it from the
    /// namespace's ICMPv6 socket.
    fn ip6_send_icmp(
        &mut self,
        ns: NsId,
        src: Option<Ipv6Addr>,
        dst: Ipv6Addr,
        oif: Option<u32>,
        msg: &mut [u8],
    ) -> KResult<()> {
        let rt = self.route6_output(ns, dst, src, oif)?;
        msg[2] = 0;
        msg[3] = 0;
        let ck = icmp6_checksum(rt.src, dst, msg);
        msg[2..4].copy_from_slice(&ck.to_be_bytes());
        self.ip6_send_routed(ns, rt, dst, 58, None, msg)
    }

    /// Builds an IPv6 packet around `payload` and sends it (ip6_append_data
    /// → ip6_push_pending_frames → ip6_local_out). An ICMPv6 payload must
    /// carry its checksum already (`icmp6_checksum` with the source the
    /// route gives, see `route6_output`).
    #[allow(clippy::too_many_arguments)]
    pub fn ip6_send(
        &mut self,
        ns: NsId,
        src: Option<Ipv6Addr>,
        dst: Ipv6Addr,
        oif: Option<u32>,
        nexthdr: u8,
        hop_limit: Option<u8>,
        payload: &[u8],
    ) -> KResult<()> {
        let rt = self.route6_output(ns, dst, src, oif)?;
        self.ip6_send_routed(ns, rt, dst, nexthdr, hop_limit, payload)
    }

    fn ip6_send_routed(
        &mut self,
        ns: NsId,
        rt: OutRoute6,
        dst: Ipv6Addr,
        nexthdr: u8,
        hop_limit: Option<u8>,
        payload: &[u8],
    ) -> KResult<()> {
        let hl = hop_limit.unwrap_or_else(|| {
            if dst.is_multicast() {
                1
            } else {
                self.ip6_hop_limit(ns, rt.dev)
            }
        });
        let mtu = self.ip6_path_mtu(ns, rt.dev, dst);
        let mut p = self.take_buf();
        ip6_build(
            &mut p,
            rt.src,
            dst,
            nexthdr,
            hl,
            auto_flowlabel(rt.src, dst, nexthdr),
            payload,
        );
        // ip6_local_out(): NF_INET_LOCAL_OUT, then ip6_output's
        // POST_ROUTING; a packet they drop is the sender's EPERM.
        let o = Some(rt.dev);
        let mut skb = Skb::default();
        if !self.nf6(ns, Hook::LocalOut, &mut p, None, o, &mut skb)
            || !self.nf6(ns, Hook::PostRouting, &mut p, None, o, &mut skb)
        {
            self.put_buf(p);
            return Err(Errno::EPERM.into());
        }
        let out = DevRef {
            ns,
            ifindex: rt.dev,
        };
        if p.len() > mtu {
            // ip6_fragment(): a locally made packet too big for the path.
            let id = self.rng.next_u64() as u32;
            for f in ip6_fragment(&p, mtu, id) {
                self.ip6_finish_output2(out, rt.nexthop, f);
            }
            self.put_buf(p);
            return Ok(());
        }
        self.ip6_finish_output2(out, rt.nexthop, p);
        Ok(())
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

    /// ipv6_frag_rcv(): queues a fragment; returns the whole packet, its
    /// fragment header removed, once every piece is there.
    fn ipv6_frag_rcv(&mut self, ns: NsId, pkt: &[u8], off: usize) -> Option<Vec<u8>> {
        let fh = pkt.get(off..off + 8)?;
        let nexthdr = fh[0];
        let fo = u16::from_be_bytes([fh[2], fh[3]]);
        let foff = (fo & !7) as usize;
        let more = fo & 1 != 0;
        let id = u32::from_be_bytes([fh[4], fh[5], fh[6], fh[7]]);
        let key = (hdr_src(pkt), hdr_dst(pkt), id);
        let q = self.ns_mut(ns).frags6.entry(key).or_default();
        q.retain(|f| f.0 != foff);
        if foff == 0 {
            // The first keeps the unfragmentable part, with the upper
            // protocol in place of the fragment header.
            let mut head = pkt[..off].to_vec();
            head[6] = nexthdr;
            head.extend_from_slice(&pkt[off + 8..]);
            q.push((0, more, head));
        } else {
            q.push((foff, more, pkt[off + 8..].to_vec()));
        }
        q.sort_by_key(|f| f.0);
        let mut next = 0;
        let mut done = false;
        for (o, m, d) in q.iter() {
            if *o != next {
                return None;
            }
            next += if *o == 0 { d.len() - off } else { d.len() };
            done = !*m;
        }
        if !done {
            return None;
        }
        let parts = self.ns_mut(ns).frags6.remove(&key)?;
        let mut whole = parts[0].2.clone();
        for (_, _, d) in &parts[1..] {
            whole.extend_from_slice(d);
        }
        let plen = (whole.len() - IPV6_HLEN) as u16;
        whole[4..6].copy_from_slice(&plen.to_be_bytes());
        Some(whole)
    }

    /// ip6_finish_output2(): the link-layer address of the next hop —
    /// the group's for multicast, none on bare-IP devices, else nd_tbl's.
    pub(crate) fn ip6_finish_output2(&mut self, r: DevRef, nexthop: Ipv6Addr, p: Vec<u8>) {
        let Some(d) = self.dev(r) else {
            self.put_buf(p);
            return;
        };
        if d.is_loopback() {
            self.neigh_xmit(r, Mac::ZERO, p);
            return;
        }
        if d.is_l3() {
            let v4 = if d.tunnel().is_some() {
                self.sit_nexthop4(r, nexthop, hdr_dst(&p))
            } else {
                std::net::Ipv4Addr::UNSPECIFIED
            };
            self.dev_queue_xmit_nh(r, p, v4);
            return;
        }
        if nexthop.is_multicast() {
            let m = mcast_mac(nexthop);
            self.nd_mcast_note(r, nexthop);
            self.neigh_xmit(r, m, p);
            return;
        }
        if d.noarp {
            let m = d.mac;
            self.neigh_noarp(r, nexthop.into(), m);
            self.neigh_xmit(r, m, p);
            return;
        }
        self.neigh_resolve_output(r, nexthop.into(), p);
    }

    /// The NOARP nd_tbl entry the kernel makes for a group it sends to.
    pub(crate) fn nd_mcast_note(&mut self, r: DevRef, group: Ipv6Addr) {
        let nd = &mut self.ns_mut(r.ns).neigh.nd_mcast;
        if !nd.iter().any(|(i, g, _)| *i == r.ifindex && *g == group) {
            nd.push((r.ifindex, group, mcast_mac(group)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_follow_rfc4291() {
        let s = |a: &str| addr_scope(a.parse().unwrap());
        assert_eq!(s("::1"), 1);
        assert_eq!(s("fe80::1"), 2);
        assert_eq!(s("ff02::1"), 2);
        assert_eq!(s("ff05::2"), 5);
        assert_eq!(s("2001:db8::1"), 0xe);
        assert_eq!(s("fd00::1"), 0xe);
    }

    #[test]
    fn labels_of_the_default_policy_table() {
        let l = |a: &str| label(a.parse().unwrap());
        assert_eq!(l("::1"), 0);
        assert_eq!(l("2001::1"), 5, "Teredo, 2001::/32");
        assert_eq!(l("2001:db8::1"), 1, "outside 2001::/32");
        assert_eq!(l("2002::1"), 2);
        assert_eq!(l("fd00::1"), 13);
        assert_eq!(l("2400::1"), 1);
        assert_eq!(l("::ffff:10.0.0.1"), 4);
    }

    #[test]
    fn fragments_are_eights_with_more_flags_and_reassemble_to_the_packet() {
        let (src, dst): (Ipv6Addr, Ipv6Addr) =
            ("fd00::1".parse().unwrap(), "fd00::2".parse().unwrap());
        let payload: Vec<u8> = (0..3008u32).map(|i| i as u8).collect();
        let mut p = Vec::new();
        ip6_build(&mut p, src, dst, 58, 64, 0, &payload);
        let frags = ip6_fragment(&p, 1400, 0xabcd);
        // 1400 - 40 - 8 = 1352 bytes a piece (a multiple of 8), the rest last.
        let sizes: Vec<usize> = frags.iter().map(|f| f.len() - 48).collect();
        assert_eq!(sizes, vec![1352, 1352, 304]);
        for (i, f) in frags.iter().enumerate() {
            assert_eq!(f[6], 44, "fragment header follows");
            assert_eq!(u16::from_be_bytes([f[4], f[5]]) as usize, f.len() - 40);
            assert_eq!(f[40], 58, "the upper protocol inside it");
            let offlg = u16::from_be_bytes([f[42], f[43]]);
            assert_eq!((offlg & !7) as usize, i * 1352);
            assert_eq!(offlg & 1 == 1, i < 2, "M on all but the last");
            assert_eq!(&f[44..48], &0xabcdu32.to_be_bytes());
        }
        // Arriving out of order, they come back whole.
        let mut w = World::new(1);
        assert!(w.ipv6_frag_rcv(0, &frags[2], 40).is_none());
        assert!(w.ipv6_frag_rcv(0, &frags[0], 40).is_none());
        assert_eq!(w.ipv6_frag_rcv(0, &frags[1], 40), Some(p));
        assert!(w.ns(0).frags6.is_empty());
    }

    #[test]
    fn upper_layer_skips_hop_by_hop() {
        let mut p = vec![0u8; 40];
        p[0] = 0x60;
        p[6] = 0; // hop-by-hop
        p.extend_from_slice(&[58, 0, 5, 2, 0, 0, 1, 0]);
        p.extend_from_slice(&[143, 0, 0, 0]);
        assert_eq!(upper_layer(&p), Some((58, 48)));
        p[41] = 9; // claims 80 bytes: runs past the packet
        assert_eq!(upper_layer(&p), None);
    }
}
