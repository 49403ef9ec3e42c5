//! Receiving IPv4 (net/ipv4/ip_input.c): ip_rcv, PREROUTING, the routing
//! decision, and local delivery through INPUT to the protocols.

use crate::dev::DevRef;
use crate::ipv4::fib::{RouteType, RT_TABLE_LOCAL};
use crate::netfilter::hook::{NfVerdict, Skb};
use crate::netfilter::Hook;
use crate::snmp::Mib;
use crate::trace::{DropReason, Trace};
use crate::types::Time;
use crate::wire::checksum::checksum;
use crate::wire::icmp;
use crate::wire::ipv4::{Ipv4Hdr, IPV4_HLEN};
use crate::world::World;

impl World {
    // ---- IPv4 -------------------------------------------------------------

    /// ip_rcv() + ip_rcv_finish(): validate, route, deliver or forward.
    pub(crate) fn ip_rcv(&mut self, r: DevRef, pkt: &[u8], mut skb: Skb) {
        let ns = r.ns;
        self.ns_mut(ns).snmp.inc(Mib::IpInReceives);
        // ip_rcv_core(): version 4, ihl >= 5, the header present, a total
        // length between the header's and what arrived, and a header that
        // sums to zero (ip_fast_csum, which takes 0x0000 and 0xffff alike).
        let valid = |iph: &Ipv4Hdr| {
            let (ihl, total) = (iph.header_len(), usize::from(iph.total_len()));
            iph.version() == 4
                && ihl >= IPV4_HLEN
                && pkt.len() >= ihl
                && total >= ihl
                && total <= pkt.len()
                && checksum(&pkt[..ihl]) == 0
        };
        let Some(iph) = Ipv4Hdr::new(pkt).filter(valid) else {
            self.ns_mut(ns).snmp.inc(Mib::IpInHdrErrors);
            self.drop_pkt(ns, Some(r.ifindex), DropReason::IpHdr);
            return;
        };
        // pskb_trim_rcsum(): what lies past iph->tot_len (Ethernet padding) goes.
        let pkt = &pkt[..usize::from(iph.total_len())];
        let src = iph.src();
        if src.is_multicast() || src.is_broadcast() {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::IpInAddrErrors);
            return;
        }
        if !self.nf_active(ns) {
            self.ip_rcv_finish(r, pkt, skb);
            return;
        }
        // PRE_ROUTING; with conntrack, fragments are reassembled first
        // (nf_defrag_ipv4) and travel whole.
        let mut p = self.take_buf();
        p.extend_from_slice(pkt);
        if self.ns(ns).nf.ct_enabled && iph.is_fragment() {
            match self.ip_defrag(ns, p) {
                Some(whole) => p = whole,
                None => return,
            }
        }
        if self.nf_hook(
            ns,
            Hook::PreRouting,
            &mut p,
            Some(r.ifindex),
            None,
            &mut skb,
        ) == NfVerdict::Accept
        {
            self.ip_rcv_finish(r, &p, skb);
        }
        self.put_buf(p);
    }

    /// ip_rcv_finish(): route input, then deliver or forward.
    fn ip_rcv_finish(&mut self, r: DevRef, pkt: &[u8], skb: Skb) {
        if let Some(u) = self.ipvlan_l3s_slave(r, pkt) {
            // l3mdev_ip_rcv() → ipvlan_l3_rcv(): routed in the slave's
            // namespace; ipvlan_nf_input() counts it on the slave.
            if let Some(d) = self.dev_mut(u) {
                d.stats.rx_packets += 1;
                d.stats.rx_bytes += (pkt.len() + crate::wire::ETH_HLEN) as u64;
            }
            let skb = Skb {
                pkt_type: skb.pkt_type,
                ..Skb::default()
            };
            self.ip_rcv_finish(u, pkt, skb);
            return;
        }
        let ns = r.ns;
        let iph = Ipv4Hdr::new_unchecked(pkt);
        let (dst, src) = (iph.dst(), iph.src());
        let ct = skb.ct_ref();
        // Route input: local and broadcast first (the local table).
        let local = self
            .ns(ns)
            .fib
            .table(RT_TABLE_LOCAL)
            .and_then(|t| t.first(dst, |_| true))
            .cloned();
        if dst.is_broadcast()
            || local
                .as_ref()
                .is_some_and(|rt| matches!(rt.rtype, RouteType::Local | RouteType::Broadcast))
        {
            if local.is_some() {
                self.trace_route_in4(ns, dst, local.as_ref());
            }
            let mut p = self.take_buf();
            p.extend_from_slice(pkt);
            self.ip_local_deliver(r, p, skb);
            return;
        }
        if dst.is_multicast() {
            return;
        }
        let fwd = {
            let n = self.ns(ns);
            n.dev(r.ifindex)
                .is_some_and(|d| n.sysctl.dev_forwarding(&d.name))
        };
        if !fwd {
            // ip_error() with forwarding off: counted, no ICMP.
            self.ns_mut(ns).snmp.inc(Mib::IpInAddrErrors);
            self.drop_pkt(ns, Some(r.ifindex), DropReason::ForwardingDisabled);
            return;
        }
        // Without an output device, the local table's first match is what
        // fib_lookup would return first; only a miss goes on to the others.
        let route = match local {
            Some(rt) => Some(rt),
            None => self
                .fib_lookup_in(ns, dst, None, &crate::ipv4::fib::Fib::rule_order()[1..])
                .cloned(),
        };
        self.trace_route_in4(ns, dst, route.as_ref());
        // ip_error(): unreachable destinations pass their own per-peer limit
        // (1 s of credit) before icmp_send applies the ratemask one.
        let errs = !matches!(
            route.as_ref().map(|x| x.rtype),
            Some(RouteType::Unicast)
                | Some(RouteType::Blackhole)
                | Some(RouteType::Local)
                | Some(RouteType::Broadcast)
        );
        if errs && !self.xrlim_allow(ns, src, Time::from_secs(1)) {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::NoRoute);
            return;
        }
        match route {
            None => {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::NoRoute);
                self.icmp_send(ns, pkt, icmp::DEST_UNREACH, icmp::NET_UNREACH, 0, ct);
            }
            Some(rt) => match rt.rtype {
                RouteType::Unicast => {
                    let nh = rt.gateway.unwrap_or(dst);
                    self.ip_forward(r, pkt, rt.dev.unwrap(), nh, skb);
                }
                RouteType::Unreachable => {
                    self.drop_pkt(ns, Some(r.ifindex), DropReason::Unreachable);
                    self.icmp_send(ns, pkt, icmp::DEST_UNREACH, icmp::HOST_UNREACH, 0, ct);
                }
                RouteType::Prohibit => {
                    self.drop_pkt(ns, Some(r.ifindex), DropReason::Prohibit);
                    self.icmp_send(ns, pkt, icmp::DEST_UNREACH, icmp::PKT_FILTERED, 0, ct);
                }
                _ => self.drop_pkt(ns, Some(r.ifindex), DropReason::Blackhole),
            },
        }
    }

    /// ip_local_deliver(): hand to the protocol.
    fn ip_local_deliver(&mut self, r: DevRef, pkt: Vec<u8>, mut skb: Skb) {
        let ns = r.ns;
        let mut pkt = if Ipv4Hdr::new_unchecked(&pkt).is_fragment() {
            match self.ip_defrag(ns, pkt) {
                Some(p) => p,
                None => return,
            }
        } else {
            pkt
        };
        if self.nf_hook(ns, Hook::LocalIn, &mut pkt, Some(r.ifindex), None, &mut skb)
            == NfVerdict::Drop
        {
            self.put_buf(pkt);
            return;
        }
        let ct = skb.ct_ref();
        let iph = Ipv4Hdr::new_unchecked(&pkt);
        let (ihl, proto, src, dst) = (iph.header_len(), iph.protocol(), iph.src(), iph.dst());
        self.ns_mut(ns).snmp.inc(Mib::IpInDelivers);
        self.trace(|| Trace::LocalDeliver {
            ns,
            src: src.into(),
            dst: dst.into(),
            proto,
        });
        match proto {
            1 => self.icmp_rcv(r, &pkt, ihl),
            6 => self.tcp_v4_rcv(ns, &pkt, ihl),
            4 | 41 | 47 if self.tunnel_proto_handled(proto) => {
                if !self.tunnel_rcv(r, &pkt, ihl) {
                    // tunnel4_rcv() / gre_rcv(): no tunnel took it.
                    self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelNoMatch);
                    self.icmp_send(ns, &pkt, icmp::DEST_UNREACH, icmp::PORT_UNREACH, 0, ct);
                }
            }
            17 if self.vxlan_udp_encap_rcv(ns, &pkt, ihl) => {}
            17 if self.udp_rcv(ns, &pkt, ihl) => {}
            17 => {
                // No socket: a closed port answers port unreachable.
                self.ns_mut(ns).snmp.inc(Mib::UdpNoPorts);
                let bcast = dst.is_broadcast() || self.is_bcast_route(ns, dst);
                self.drop_pkt(ns, Some(r.ifindex), DropReason::NoSocket);
                if !bcast {
                    self.icmp_send(ns, &pkt, icmp::DEST_UNREACH, icmp::PORT_UNREACH, 0, ct);
                }
            }
            _ => {
                self.ns_mut(ns).snmp.inc(Mib::IpInUnknownProtos);
                self.drop_pkt(ns, Some(r.ifindex), DropReason::UnknownProtocol);
                self.icmp_send(ns, &pkt, icmp::DEST_UNREACH, icmp::PROT_UNREACH, 0, ct);
            }
        }
        self.put_buf(pkt);
    }
}
