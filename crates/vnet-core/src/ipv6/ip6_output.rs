//! Sending and forwarding IPv6 (net/ipv6/ip6_output.c): the header, flow
//! labels, OUTPUT/POSTROUTING, fragments, ip6_forward and neighbour output.

use crate::dev::DevRef;
use crate::error::{Errno, KResult};
use crate::ipv6::addrconf::addr_scope;
use crate::ipv6::addrconf::mcast_mac;
use crate::ipv6::route::{OutRoute6, Rt6};
use crate::ipv6::{IPV6_HLEN, IPV6_MIN_MTU};
use crate::netfilter::hook::Skb;
use crate::netfilter::Hook;
use crate::trace::{DropReason, Trace};
use crate::types::{Mac, NsId};
use crate::wire::icmp6;
use crate::wire::ipv6::hdr_dst;
use crate::wire::ipv6::hdr_src;
use crate::wire::ipv6::{hop_limit, set_hop_limit};
use crate::wire::ipv6::{next_header, set_next_header, set_payload_len};
use crate::world::World;
use std::net::Ipv6Addr;

/// Builds an IPv6 header and payload into `p` (ip6_nd_hdr / ip6_make_skb).
pub(crate) fn ip6_build(
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
        // NEXTHDR_FRAGMENT in the fixed header; the fragment header carries
        // the packet's own next header.
        set_next_header(&mut f, 44);
        set_payload_len(&mut f, (8 + end - off) as u16);
        f.extend_from_slice(&[next_header(p), 0]);
        f.extend_from_slice(&((off as u16) | more as u16).to_be_bytes());
        f.extend_from_slice(&id.to_be_bytes());
        f.extend_from_slice(&data[off..end]);
        out.push(f);
        off = end;
    }
    out
}

/// The flow label the kernel's auto_flowlabels gives a locally sent packet
/// (ip6_make_flowlabel): a hash of the flow, stable for its lifetime.
pub(crate) fn auto_flowlabel(src: Ipv6Addr, dst: Ipv6Addr, proto: u8) -> u32 {
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
    /// net.ipv6.conf.DEV.hop_limit (64 unless changed).
    fn ip6_hop_limit(&self, ns: NsId, dev: u32) -> u8 {
        let n = self.ns(ns);
        n.dev(dev)
            .and_then(|d| n.sysctl.conf6_of(&d.name, "hop_limit"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(64)
    }

    /// ip6_forward(): forwarding on, hop limit, scope, MTU, then out.
    pub(crate) fn ip6_forward(&mut self, r: DevRef, pkt: &[u8], rt: Rt6, skb: &mut Skb) {
        let ns = r.ns;
        if !self.ip6_forwarding(ns) {
            // IPSTATS_MIB_INADDRERRORS, no error sent.
            self.drop_pkt(ns, Some(r.ifindex), DropReason::ForwardingDisabled);
            return;
        }
        let src = hdr_src(pkt);
        let dst = hdr_dst(pkt);
        if hop_limit(pkt) <= 1 {
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
        // hop_limit > 1, checked above.
        let hl = hop_limit(&p) - 1;
        set_hop_limit(&mut p, hl);
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
        self.ip6_send_marked(ns, src, dst, oif, 0, nexthdr, hop_limit, payload)
    }

    /// ip6_send() from a socket with a mark (SO_MARK, `ping -m`): the
    /// rules see it, and so does netfilter.
    #[allow(clippy::too_many_arguments)]
    pub fn ip6_send_marked(
        &mut self,
        ns: NsId,
        src: Option<Ipv6Addr>,
        dst: Ipv6Addr,
        oif: Option<u32>,
        mark: u32,
        nexthdr: u8,
        hop_limit: Option<u8>,
        payload: &[u8],
    ) -> KResult<()> {
        self.made(ns, |w| {
            let fl = crate::flow::Flowi6 {
                saddr: src.unwrap_or(Ipv6Addr::UNSPECIFIED),
                oif,
                mark,
                proto: nexthdr,
                ..crate::flow::Flowi6::to(dst)
            };
            let res = w.route6_output_fl(ns, &fl);
            if w.tracer.is_some() {
                let hit = w.fib6_rule_lookup(ns, &fl).ok();
                let err = res.as_ref().err().map(|e| e.errno);
                w.trace_route6(ns, dst, hit.as_ref(), err);
            }
            let rt = match res {
                Ok(rt) => rt,
                Err(e) => {
                    w.drop_pkt(ns, None, DropReason::OutNoRoute);
                    return Err(e);
                }
            };
            w.ip6_local_out(ns, rt, dst, oif, mark, nexthdr, hop_limit, payload)
        })
    }

    /// ip6_send() on a route already found: a new packet in the trace.
    pub(crate) fn ip6_send_routed(
        &mut self,
        ns: NsId,
        rt: OutRoute6,
        dst: Ipv6Addr,
        nexthdr: u8,
        hop_limit: Option<u8>,
        payload: &[u8],
    ) -> KResult<()> {
        self.made(ns, |w| {
            w.ip6_local_out(ns, rt, dst, None, 0, nexthdr, hop_limit, payload)
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn ip6_local_out(
        &mut self,
        ns: NsId,
        mut rt: OutRoute6,
        dst: Ipv6Addr,
        oif: Option<u32>,
        mark: u32,
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
        if self.tracer.is_some() {
            let packet = p.clone();
            self.trace(|| Trace::Built { ns, packet });
        }
        // ip6_local_out(): NF_INET_LOCAL_OUT, then ip6_output's
        // POST_ROUTING; a packet they drop is the sender's EPERM.
        let o = Some(rt.dev);
        let mut skb = Skb {
            mark,
            ..Skb::default()
        };
        if !self.nf6(ns, Hook::LocalOut, &mut p, None, o, &mut skb) {
            self.put_buf(p);
            return Err(Errno::EPERM.into());
        }
        // ip6_route_me_harder(): a new destination or mark (MARK in
        // mangle OUTPUT) needs a new route, looked up with the packet's
        // source; the source stays.
        if skb.mark != mark || hdr_dst(&p) != dst {
            let fl = crate::flow::Flowi6 {
                saddr: hdr_src(&p),
                oif,
                mark: skb.mark,
                ..crate::ipv4::fib_multipath::flow6_of_packet(&p)
            };
            match self.route6_output_fl(ns, &fl) {
                Ok(r) => {
                    rt = OutRoute6 { src: rt.src, ..r };
                }
                Err(e) => {
                    self.drop_pkt(ns, None, DropReason::OutNoRoute);
                    self.put_buf(p);
                    return Err(e);
                }
            }
        }
        let o = Some(rt.dev);
        if !self.nf6(ns, Hook::PostRouting, &mut p, None, o, &mut skb) {
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
}
