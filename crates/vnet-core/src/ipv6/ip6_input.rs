//! Receiving IPv6 (net/ipv6/ip6_input.c): ipv6_rcv, PREROUTING, the routing
//! decision, local delivery through INPUT.

use crate::dev::DevRef;
use crate::error::Errno;
use crate::ipv4::fib::RouteType;
use crate::ipv6::addrconf::addr_scope;
use crate::ipv6::route::Rt6;
use crate::ipv6::IPV6_HLEN;
use crate::netfilter::hook::{Nf6Verdict, Skb};
use crate::netfilter::Hook;
use crate::trace::{DropReason, Trace};
use crate::types::NsId;
use crate::wire::icmp6;
use crate::wire::ipv6::hdr_dst;
use crate::wire::ipv6::hdr_src;
use crate::wire::ipv6::payload_len;
use crate::wire::ipv6::upper_layer;
use crate::world::World;
use std::net::Ipv6Addr;

impl World {
    pub(crate) fn ip6_forwarding(&self, ns: NsId) -> bool {
        self.ns(ns).sysctl.get_int("net.ipv6.conf.all.forwarding") != 0
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
        if pkt.len() < IPV6_HLEN
            || pkt[0] >> 4 != 6
            || IPV6_HLEN + usize::from(payload_len(pkt)) > pkt.len()
        {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::IpHdr);
            return;
        }
        let pkt = &pkt[..IPV6_HLEN + usize::from(payload_len(pkt))];
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
    pub(crate) fn nf6(
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
        // ip6_route_input(): the rules see the packet's source (always
        // RT6_LOOKUP_F_HAS_SADDR), its mark and the device it came in on.
        let fl = crate::flow::Flowi6 {
            iif: Some(r.ifindex),
            mark: skb.mark,
            tclass: (pkt[0] << 4) | (pkt[1] >> 4),
            ..crate::ipv4::fib_multipath::flow6_of_packet(pkt)
        };
        let rt = if addr_scope(dst) == 2 {
            None
        } else {
            match self.fib6_rule_lookup(ns, &fl) {
                Ok(rt) => Some(rt),
                // A rule's action: the null entries' types.
                Err(Errno::EACCES) => Some(Rt6::refused(RouteType::Prohibit)),
                Err(Errno::EINVAL) => Some(Rt6::refused(RouteType::Blackhole)),
                Err(_) => None,
            }
        };
        self.trace_route6(ns, dst, rt.as_ref(), None);
        match rt.map(|x| x.rtype) {
            Some(RouteType::Unicast) => {
                let rt = self.fib6_select_path(ns, rt.unwrap(), &fl);
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
}
