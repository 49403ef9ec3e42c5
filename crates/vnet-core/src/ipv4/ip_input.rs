//! Receiving IPv4 (net/ipv4/ip_input.c): ip_rcv, PREROUTING, the routing
//! decision, and local delivery through INPUT to the protocols.

use crate::dev::DevRef;
use crate::error::Errno;
use crate::flow::Flowi4;
use crate::ipv4::fib::{RouteType, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN};
use crate::ipv4::fib_validate::BadSource;
use crate::netfilter::hook::{NfVerdict, Skb};
use crate::netfilter::Hook;
use crate::snmp::Mib;
use crate::trace::{DropReason, Trace};
use crate::types::Time;
use crate::wire::checksum::checksum;
use crate::wire::icmp;
use crate::wire::ipv4::{Ipv4Hdr, IPV4_HLEN};
use crate::world::World;
use std::net::Ipv4Addr;

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
        // Route input: local and broadcast first (the local table). With
        // policy rules, one walk of them decides delivery and forwarding.
        let policy = !self.ns(ns).rules4.default_only();
        let (mut rule, mut refused) = (None, None);
        let local = if policy {
            let fl = Self::flowi4_of(
                Flowi4::input(dst, src, r.ifindex).with_mark(skb.mark),
                iph.tos(),
                iph.protocol(),
                &pkt[iph.header_len()..],
            );
            match self.fib_lookup(ns, &fl) {
                Ok(res) => {
                    rule = res.rule;
                    Some(res.route.clone())
                }
                Err(e) => {
                    rule = e.rule;
                    refused = e.rule.map(|_| e.errno);
                    None
                }
            }
        } else {
            self.ns(ns)
                .fib
                .table(RT_TABLE_LOCAL)
                .and_then(|t| t.first(dst, |_| true))
                .cloned()
        };
        if dst.is_broadcast()
            || local
                .as_ref()
                .is_some_and(|rt| matches!(rt.rtype, RouteType::Local | RouteType::Broadcast))
        {
            if local.is_some() {
                self.trace_route_in4(ns, dst, local.as_ref(), rule, None);
            }
            // ip_route_input_slow(): a local destination's source is
            // validated as is (oif 0); a broadcast's against 0.0.0.0, and
            // not at all from 0.0.0.0 (brd_input). Packets looped back
            // through lo keep their route on the kernel: no route input.
            let bcast = dst.is_broadcast()
                || local
                    .as_ref()
                    .is_some_and(|rt| rt.rtype == RouteType::Broadcast);
            let looped = self.ns(ns).dev(r.ifindex).is_some_and(|d| d.is_loopback());
            let unchecked = looped || (bcast && src.is_unspecified());
            if !unchecked {
                let vdst = if bcast { Ipv4Addr::UNSPECIFIED } else { dst };
                if let Err(why) = self.fib_validate_source(ns, src, vdst, 0, r.ifindex, skb.mark) {
                    self.source_refused(r, src, dst, why, &skb);
                    return;
                }
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
            None if policy => None,
            None => {
                let n = self.ns(ns);
                [RT_TABLE_MAIN, RT_TABLE_DEFAULT]
                    .into_iter()
                    .find_map(|t| Self::fib_table_lookup(n, t, dst, None))
                    .cloned()
            }
        };
        // fib_select_path() before the trace, which names the chosen next hop.
        let chosen = route
            .as_ref()
            .filter(|rt| rt.rtype == RouteType::Unicast)
            .map(|rt| {
                let fl = crate::flow::Flowi4 {
                    iif: Some(r.ifindex),
                    ..crate::ipv4::fib_multipath::flow_of_packet(pkt)
                };
                self.fib_select_path(ns, rt, &fl)
            });
        self.trace_route_in4(ns, dst, route.as_ref(), rule, chosen);
        // ip_error(): unreachable destinations pass their own per-peer limit
        // (1 s of credit) before icmp_send applies the ratemask one.
        let errs = refused != Some(Errno::EINVAL)
            && !matches!(
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
            // ip_error() for a rule's refusal: EACCES is "filtered",
            // EINVAL (blackhole) a silent drop.
            None if refused == Some(Errno::EACCES) => {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::Prohibit);
                self.icmp_send(ns, pkt, icmp::DEST_UNREACH, icmp::PKT_FILTERED, 0, ct);
            }
            None if refused == Some(Errno::EINVAL) => {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::Blackhole);
            }
            None => {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::NoRoute);
                self.icmp_send(ns, pkt, icmp::DEST_UNREACH, icmp::NET_UNREACH, 0, ct);
            }
            Some(rt) => match rt.rtype {
                RouteType::Unicast => {
                    let (gateway, dev) = chosen.unwrap_or((rt.gateway, rt.dev));
                    let nh = gateway.unwrap_or(dst);
                    let out = dev.unwrap();
                    // __mkroute_input(): the source, checked against the way out.
                    if let Err(why) =
                        self.fib_validate_source(ns, src, dst, out, r.ifindex, skb.mark)
                    {
                        self.source_refused(r, src, dst, why, &skb);
                        return;
                    }
                    self.ip_forward(r, pkt, out, nh, skb);
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

    /// Route input refused the source (martian_source): counted, logged
    /// where log_martians asks, dropped.
    fn source_refused(
        &mut self,
        r: DevRef,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        why: BadSource,
        skb: &Skb,
    ) {
        self.bad_source(r.ns, r.ifindex, src, dst, why, skb.mac.as_ref());
        let reason = match why {
            BadSource::Rpf => DropReason::RpFilter,
            BadSource::Martian => DropReason::MartianSource,
        };
        self.drop_pkt(r.ns, Some(r.ifindex), reason);
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
