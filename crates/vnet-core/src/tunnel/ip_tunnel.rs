//! The IP tunnels' data path (net/ipv4/ip_tunnel.c, ipip.c, ip_gre.c,
//! sit.c): encapsulation on transmit, the lookup of the receiving tunnel,
//! decapsulation, and ICMP errors about the outer packet.

use crate::dev::DevRef;
use crate::flow::Flowi4;
use crate::ipv4::fib::RouteType;
use crate::netfilter::hook::Skb;
use crate::trace::{DropReason, Trace};
use crate::tunnel::{
    Tunnel, TunnelKind, ERR_TIMEO, IPPROTO_GRE, IPPROTO_IPIP, IPPROTO_IPV6, SIT_ISATAP,
};
use crate::types::NsId;
use crate::wire::gre;
use crate::wire::ipv4::{Ipv4Hdr, Ipv4HdrMut, IPV4_HLEN};
use crate::wire::ipv6::{self, IPV6_HLEN};
use crate::wire::ETH_HLEN;
use crate::world::World;
use std::net::Ipv4Addr;

/// isatap_chksrc(): an ISATAP tunnel takes packets from a router of its
/// PRL, or whose IPv6 source is an ISATAP address embedding the outer source.
fn isatap_chksrc(t: &Tunnel, outer_src: Ipv4Addr, inner: &[u8]) -> bool {
    if t.prl.iter().any(|(a, _)| *a == outer_src) {
        return true;
    }
    let Some(s) = inner.get(8..24) else {
        return false;
    };
    s[8] & 0xfd == 0 && s[9..12] == [0x00, 0x5e, 0xfe] && s[12..16] == outer_src.octets()
}

impl World {
    // ---- the packet path --------------------------------------------------

    /// ip_tunnel_xmit(): the packet (an inner IPv4 packet, or an Ethernet
    /// frame for gretap) leaves through tunnel `r` towards `nexthop` (the
    /// route's gateway or destination, for a tunnel without a remote).
    pub(crate) fn ip_tunnel_xmit(&mut self, r: DevRef, nexthop: Ipv4Addr, inner: &[u8]) {
        let Some(t) = self.tunnel_snapshot(r) else {
            return;
        };
        let ether = t.kind.is_ether();
        // The inner IPv4 header, when there is one.
        let iph = if ether {
            (inner.len() >= ETH_HLEN + IPV4_HLEN && inner[12..14] == [0x08, 0x00])
                .then(|| Ipv4Hdr::new_unchecked(&inner[ETH_HLEN..]))
        } else {
            Ipv4Hdr::new(inner).filter(|h| h.version() == 4)
        };
        if !ether && iph.is_none() && t.kind != TunnelKind::Sit {
            // Only IPv4 goes through ipip, gre and vti here.
            self.tunnel_tx_error(r, DropReason::TunnelProtocol);
            return;
        }
        let mut dst = t.p.daddr;
        if dst.is_unspecified() {
            // NBMA tunnel: the outer destination is the inner route's next
            // hop (for sit, what ip6_finish_output2 derived from the IPv6 one).
            if ether || (iph.is_none() && t.kind != TunnelKind::Sit) || nexthop.is_unspecified() {
                self.tunnel_tx_error(r, DropReason::TunnelNoRoute);
                return;
            }
            dst = nexthop;
        }
        let mut tos = t.p.tos;
        if tos & 1 != 0 {
            tos = iph
                .map(|h| h.tos())
                .or_else(|| {
                    (inner.len() >= IPV6_HLEN && inner[0] >> 4 == 6)
                        .then(|| ipv6::traffic_class(inner))
                })
                .unwrap_or(0);
        }
        let net = t.net;
        let src = (!t.p.saddr.is_unspecified()).then_some(t.p.saddr);
        let oif = (t.p.link != 0).then_some(t.p.link);
        let rt = match self.route_output(net, &Flowi4::output(dst, src, oif)) {
            Ok(rt) if matches!(rt.rtype, RouteType::Unicast | RouteType::Local) => rt,
            _ => {
                self.dev_mut(r).unwrap().stats.tx_carrier += 1;
                self.tunnel_tx_error(r, DropReason::TunnelNoRoute);
                return;
            }
        };
        if net == r.ns && rt.dev == r.ifindex {
            // The route to the remote goes through the tunnel itself.
            self.dev_mut(r).unwrap().stats.collisions += 1;
            self.tunnel_tx_error(r, DropReason::TunnelLoop);
            return;
        }
        if t.err_count > 0 {
            // dst_link_failure(): a recent ICMP error about the outer path
            // becomes "host unreachable" for the inner sender; the packet still goes.
            let now = self.now;
            let tt = self.dev_mut(r).unwrap().tunnel_mut().unwrap();
            if now < tt.err_time + ERR_TIMEO {
                tt.err_count -= 1;
                if let Some(h) = iph {
                    let h = h.as_bytes().to_vec();
                    self.icmp_send(
                        r.ns,
                        &h,
                        crate::wire::icmp::DEST_UNREACH,
                        crate::wire::icmp::HOST_UNREACH,
                        0,
                        None,
                    );
                }
            } else {
                tt.err_count = 0;
            }
        }
        // tnl_update_pmtu(): an inner DF packet larger than the path allows
        // gets "fragmentation needed" back.
        let rt_mtu = self.ns(net).dev(rt.dev).map(|d| d.mtu).unwrap_or(1500) as usize;
        let dev_mtu = self.dev(r).map(|d| d.mtu).unwrap_or(1500) as usize;
        let mtu = if t.p.df {
            rt_mtu.saturating_sub(20 + t.hlen() + t.ll_hlen() as usize)
        } else {
            dev_mtu
        };
        let inner_df = iph.is_some_and(|h| h.dont_frag());
        if let Some(h) = iph {
            let pkt_size = inner.len() - t.ll_hlen() as usize;
            if inner_df && mtu < pkt_size {
                let h = h.as_bytes().to_vec();
                self.icmp_send(
                    r.ns,
                    &h,
                    crate::wire::icmp::DEST_UNREACH,
                    crate::wire::icmp::FRAG_NEEDED,
                    mtu as u32,
                    None,
                );
                self.tunnel_tx_error(r, DropReason::TunnelFragNeeded);
                return;
            }
        }
        // ip_tunnel_ecn_encap(): the outer ECN follows the inner (CE becomes ECT(0)).
        let inner_tos = iph.map(|h| h.tos()).unwrap_or(0);
        let ecn = match inner_tos & 3 {
            3 => 2,
            e => e,
        };
        let tos = (tos & !3) | ecn;
        // ipip6_tunnel_xmit(): an inner IPv6 packet lends its hop limit
        // and traffic class when the tunnel inherits them.
        let ip6h = (!ether && inner.len() >= IPV6_HLEN && inner[0] >> 4 == 6).then_some(inner);
        let ttl = match t.p.ttl {
            0 => iph
                .map(|h| h.ttl())
                .or(ip6h.map(ipv6::hop_limit))
                .unwrap_or_else(|| self.ns(net).sysctl.default_ttl()),
            n => n,
        };
        let df = t.p.df || (inner_df && !t.ignore_df);
        // The tunnel header.
        let mut payload = self.take_buf();
        if t.kind.is_gre() {
            let seq = (t.p.o_flags & gre::flags::SEQ != 0).then(|| {
                let tt = self.dev_mut(r).unwrap().tunnel_mut().unwrap();
                let s = tt.o_seqno;
                tt.o_seqno = tt.o_seqno.wrapping_add(1);
                s
            });
            let repr = gre::Repr {
                csum: t.p.o_flags & gre::flags::CSUM != 0,
                key: (t.p.o_flags & gre::flags::KEY != 0).then_some(t.p.o_key),
                seq,
                protocol: if ether {
                    gre::proto::TEB
                } else {
                    gre::proto::IPV4
                },
            };
            payload.resize(repr.header_len(), 0);
            payload.extend_from_slice(inner);
            repr.emit(&mut payload);
        } else {
            payload.extend_from_slice(inner);
        }
        // iptunnel_xmit(): the outer header; its id comes from the
        // per-destination generator whatever DF says.
        let mut h = match etherparse::Ipv4Header::new(
            payload.len() as u16,
            ttl,
            etherparse::IpNumber(t.kind.outer_proto()),
            rt.src.octets(),
            dst.octets(),
        ) {
            Ok(h) => h,
            Err(_) => {
                self.put_buf(payload);
                self.tunnel_tx_error(r, DropReason::TunnelFragNeeded);
                return;
            }
        };
        h.dont_fragment = df;
        h.identification = (self.rng.next_u64() & 0xffff) as u16;
        h.dscp = etherparse::IpDscp::try_new(tos >> 2).unwrap_or_default();
        h.ecn = etherparse::IpEcn::try_new(tos & 3).unwrap_or_default();
        h.header_checksum = h.calc_header_checksum();
        let mut p = self.take_buf();
        p.extend_from_slice(&h.to_bytes());
        p.extend_from_slice(&payload);
        self.put_buf(payload);
        // iptunnel_xmit_stats(): the inner packet's length.
        let st = &mut self.dev_mut(r).unwrap().stats;
        st.tx_packets += 1;
        st.tx_bytes += (inner.len() - t.ll_hlen() as usize) as u64;
        if self.tracer.is_some() {
            let dev = self.dev(r).map(|d| d.name.clone()).unwrap_or_default();
            let (s, d) = (rt.src, dst);
            self.trace(|| Trace::Tunnel {
                ns: r.ns,
                dev,
                encap: true,
                outer_src: s,
                outer_dst: d,
            });
        }
        let _ = self.ip_local_out(net, p, rt, oif, Skb::default());
    }

    /// A copy of a tunnel's state for the packet path, without its name
    /// (which would cost an allocation per packet).
    fn tunnel_snapshot(&mut self, r: DevRef) -> Option<Tunnel> {
        let t = self.dev_mut(r)?.tunnel_mut()?;
        let name = std::mem::take(&mut t.p.name);
        let snap = t.clone();
        t.p.name = name;
        Some(snap)
    }

    fn tunnel_tx_error(&mut self, r: DevRef, why: DropReason) {
        if let Some(d) = self.dev_mut(r) {
            d.stats.tx_errors += 1;
        }
        self.drop_pkt(r.ns, Some(r.ifindex), why);
    }

    /// ipip_rcv() / gre_rcv() / ipip6_rcv(): an outer packet addressed to
    /// us. Returns false when no tunnel takes it (the caller answers port
    /// unreachable, as tunnel4_rcv and gre_rcv do when a module is loaded,
    /// or protocol unreachable when none is).
    pub(crate) fn tunnel_rcv(&mut self, r: DevRef, pkt: &[u8], ihl: usize) -> bool {
        let ns = r.ns;
        let iph = Ipv4Hdr::new_unchecked(pkt);
        let (proto, src, dst) = (iph.protocol(), iph.src(), iph.dst());
        let body = &pkt[ihl..];
        // What the tunnel header says: (key, seq, csum present, inner protocol, header length).
        let (key, seq, csum, inner_proto, hlen) = if proto == IPPROTO_GRE {
            let Ok(g) = gre::Packet::new_checked(body) else {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelHeader);
                return true;
            };
            let Ok(repr) = gre::Repr::parse(&g) else {
                // Another GRE version (PPTP) has no handler here: dropped.
                self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelHeader);
                return true;
            };
            if !g.verify_checksum() {
                // gre_parse_header(): a bad checksum is counted and dropped.
                self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelCsum);
                return true;
            }
            (repr.key, repr.seq, repr.csum, repr.protocol, g.header_len())
        } else {
            (None, None, false, 0, 0)
        };
        // ipgre_rcv(): Ethernet over GRE goes to gretap's table, the rest to gre's.
        let want: &[TunnelKind] = match (proto, inner_proto) {
            (IPPROTO_GRE, gre::proto::TEB) => &[TunnelKind::Gretap],
            (IPPROTO_GRE, gre::proto::ERSPAN) => &[TunnelKind::Erspan],
            (IPPROTO_GRE, _) => &[TunnelKind::Gre],
            (IPPROTO_IPIP, _) => &[TunnelKind::Ipip, TunnelKind::Vti],
            _ => &[TunnelKind::Sit],
        };
        let mut hit = None;
        for k in want {
            if self.kind_loaded(*k) {
                if let Some(x) = self.ip_tunnel_lookup(ns, *k, r.ifindex, key, src, dst) {
                    hit = Some(x);
                    break;
                }
            }
        }
        let Some(tr) = hit else {
            return false;
        };
        let t = self.tunnel_snapshot(tr).unwrap();
        if proto == IPPROTO_IPIP && !matches!(t.p.protocol, 0 | IPPROTO_IPIP) {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelProtocol);
            return true;
        }
        if t.kind == TunnelKind::Erspan || t.kind == TunnelKind::Vti {
            // ERSPAN mirrors and IPsec-only vti take no plain traffic here.
            self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelProtocol);
            return true;
        }
        let inner = &body[hlen..];
        // ip_tunnel_rcv(): checksum and sequence policy.
        let want_csum = t.p.i_flags & gre::flags::CSUM != 0;
        if csum != want_csum {
            let st = &mut self.dev_mut(tr).unwrap().stats;
            st.rx_errors += 1;
            self.drop_pkt(ns, Some(tr.ifindex), DropReason::TunnelCsum);
            return true;
        }
        if t.p.i_flags & gre::flags::SEQ != 0 {
            let ok = match seq {
                None => false,
                Some(s) => t.i_seqno == 0 || (s.wrapping_sub(t.i_seqno) as i32) >= 0,
            };
            if !ok {
                self.dev_mut(tr).unwrap().stats.rx_errors += 1;
                self.drop_pkt(ns, Some(tr.ifindex), DropReason::TunnelSeq);
                return true;
            }
            self.dev_mut(tr).unwrap().tunnel_mut().unwrap().i_seqno = seq.unwrap().wrapping_add(1);
        }
        if self.tracer.is_some() {
            let dev = self.dev(tr).map(|d| d.name.clone()).unwrap_or_default();
            self.trace(|| Trace::Tunnel {
                ns: tr.ns,
                dev,
                encap: false,
                outer_src: src,
                outer_dst: dst,
            });
        }
        let mut frame = self.take_buf();
        frame.extend_from_slice(inner);
        let inner_tos = Ipv4Hdr::new(&frame)
            .filter(|h| !t.kind.is_ether() && h.version() == 4)
            .map(|h| h.tos());
        if let Some(tos) = inner_tos {
            // IP_ECN_decapsulate(): CE on the outer header marks an ECN-capable inner packet.
            if iph.tos() & 3 == 3 && tos & 3 != 0 && tos & 3 != 3 {
                let mut h = Ipv4HdrMut::new_unchecked(&mut frame);
                h.set_tos(tos | 3);
                h.fill_checksum();
            }
        }
        if t.kind == TunnelKind::Sit && frame.first().is_none_or(|b| b >> 4 != 6) {
            // ipip6_rcv() takes only IPv6 (IPv4 in sit needs the ipip mode).
            self.drop_pkt(ns, Some(tr.ifindex), DropReason::TunnelProtocol);
            self.put_buf(frame);
            return true;
        }
        if t.kind == TunnelKind::Sit
            && t.p.i_flags & SIT_ISATAP != 0
            && !isatap_chksrc(&t, src, &frame)
        {
            self.dev_mut(tr).unwrap().stats.rx_errors += 1;
            self.drop_pkt(ns, Some(tr.ifindex), DropReason::TunnelHeader);
            self.put_buf(frame);
            return true;
        }
        // gro_cells_receive(): the inner packet arrives on the tunnel device.
        self.netif_receive(tr, frame);
        true
    }

    /// Whether a loaded module registered a handler for this protocol
    /// (tunnel4 for 4 and 41, gre for 47); without one the protocol is unknown.
    pub(crate) fn tunnel_proto_handled(&self, proto: u8) -> bool {
        let kinds: &[TunnelKind] = match proto {
            IPPROTO_IPIP => &[TunnelKind::Ipip, TunnelKind::Vti],
            IPPROTO_GRE => &[TunnelKind::Gre],
            IPPROTO_IPV6 => &[TunnelKind::Sit],
            _ => &[],
        };
        kinds.iter().any(|k| self.kind_loaded(*k))
    }

    /// ipip_err() / ipgre_err(): an ICMP error quoting one of our outer
    /// packets (`quoted`: its IPv4 header and what follows) counts against
    /// the tunnel that sent it. "Fragmentation needed" would update the
    /// path MTU, which is not cached here.
    pub(crate) fn tunnel_err(&mut self, r: DevRef, typ: u8, code: u8, quoted: &[u8]) {
        use crate::wire::icmp;
        let Some(iph) = Ipv4Hdr::new(quoted).filter(|h| h.version() == 4) else {
            return;
        };
        let proto = iph.protocol();
        let kind = match proto {
            IPPROTO_IPIP => TunnelKind::Ipip,
            IPPROTO_IPV6 => TunnelKind::Sit,
            IPPROTO_GRE => TunnelKind::Gre,
            _ => return,
        };
        if !self.kind_loaded(kind) {
            return;
        }
        let relevant = match typ {
            icmp::DEST_UNREACH => match code {
                5 => false, // ICMP_SR_FAILED: impossible
                icmp::PORT_UNREACH => proto != IPPROTO_GRE,
                icmp::FRAG_NEEDED => false,
                _ => true,
            },
            icmp::TIME_EXCEEDED => code == 0,
            _ => false,
        };
        if !relevant {
            return;
        }
        let mut key = None;
        let mut kind = kind;
        if proto == IPPROTO_GRE {
            let Ok(g) = gre::Packet::new_checked(iph.payload()) else {
                return;
            };
            key = g.key();
            if g.protocol() == gre::proto::TEB {
                kind = TunnelKind::Gretap;
            }
        }
        // The quoted packet is one we sent: its source is the tunnel's local end.
        let (local, remote) = (iph.src(), iph.dst());
        let Some(tr) = self.ip_tunnel_lookup(r.ns, kind, r.ifindex, key, remote, local) else {
            return;
        };
        let now = self.now;
        let t = self.dev_mut(tr).unwrap().tunnel_mut().unwrap();
        if t.p.daddr.is_unspecified() || (t.p.ttl == 0 && typ == icmp::TIME_EXCEEDED) {
            return;
        }
        if now < t.err_time + ERR_TIMEO {
            t.err_count += 1;
        } else {
            t.err_count = 1;
        }
        t.err_time = now;
    }

    /// ip_tunnel_lookup(): the tunnel for (remote, local, key) arriving on
    /// `link`: exact endpoints first, then remote only, then local only (or
    /// a multicast group), then key only; a tunnel bound to `link` wins
    /// within each step; the fallback device last. Tunnels must be up.
    fn ip_tunnel_lookup(
        &self,
        ns: NsId,
        kind: TunnelKind,
        link: u32,
        key: Option<u32>,
        remote: Ipv4Addr,
        local: Ipv4Addr,
    ) -> Option<DevRef> {
        let zero = Ipv4Addr::UNSPECIFIED;
        let mut cand: Option<DevRef> = None;
        let steps: [&dyn Fn(&Tunnel) -> bool; 3] = [
            &|t: &Tunnel| t.p.saddr == local && t.p.daddr == remote && t.key_match(key),
            &|t: &Tunnel| t.p.daddr == remote && t.p.saddr == zero && t.key_match(key),
            &|t: &Tunnel| {
                ((t.p.saddr == local && t.p.daddr == zero)
                    || (t.p.daddr == local && local.is_multicast()))
                    && t.key_match(key)
            },
        ];
        for (i, step) in steps.iter().enumerate() {
            for (r, t, up) in self.itn(ns, kind) {
                if !up || t.fallback || !step(t) {
                    continue;
                }
                if t.p.link == link {
                    return Some(r);
                }
                if i == 0 || cand.is_none() {
                    cand = Some(r);
                }
            }
        }
        if let Some(k) = key {
            for (r, t, up) in self.itn(ns, kind) {
                if !up || t.fallback || t.p.i_key != k || t.p.saddr != zero || t.p.daddr != zero {
                    continue;
                }
                if t.p.link == link {
                    return Some(r);
                }
                if cand.is_none() {
                    cand = Some(r);
                }
            }
        }
        if cand.is_some() {
            return cand;
        }
        // The fallback, when up, takes whatever is left.
        self.itn(ns, kind)
            .find(|(_, t, up)| *up && t.fallback)
            .map(|(r, _, _)| r)
    }
}
