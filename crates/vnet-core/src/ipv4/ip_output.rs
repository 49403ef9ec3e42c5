//! Sending IPv4 (net/ipv4/ip_output.c): building the header, OUTPUT and
//! POSTROUTING, fragmenting, and handing the packet to the neighbour layer.

use crate::dev::DevRef;
use crate::error::{Errno, KResult};
use crate::flow::Flowi4;
use crate::ipv4::route::OutRoute;
use crate::netfilter::hook::{NfVerdict, Skb};
use crate::netfilter::Hook;
use crate::snmp::Mib;
use crate::trace::{DropReason, Trace};
use crate::types::NsId;
use crate::wire::checksum::checksum;
use crate::wire::ipv4::{Ipv4Hdr, Ipv4HdrMut, IP_MF};
use crate::world::World;
use std::net::Ipv4Addr;

/// ip_fragment(): splits an IPv4 packet into fragments that fit `mtu`
/// (payload pieces a multiple of 8 bytes, the header copied without options).
pub fn ip_fragment(pkt: &[u8], mtu: usize) -> Vec<Vec<u8>> {
    let iph = Ipv4Hdr::new_unchecked(pkt);
    let ihl = iph.header_len();
    let data = &pkt[ihl..];
    // A fragment being fragmented again keeps its place and its MF.
    let base_off = usize::from(iph.frag_offset()) * 8;
    let base_mf = iph.more_frags();
    let room = ((mtu - ihl) / 8) * 8;
    let mut out = Vec::new();
    let mut off = 0;
    while off < data.len() {
        let end = (off + room).min(data.len());
        let mut f = Vec::with_capacity(ihl + end - off);
        f.extend_from_slice(&pkt[..ihl]);
        f.extend_from_slice(&data[off..end]);
        let total = f.len() as u16;
        let mf = end < data.len() || base_mf;
        let fo = ((base_off + off) / 8) as u16 | if mf { IP_MF } else { 0 };
        let mut h = Ipv4HdrMut::new_unchecked(&mut f);
        h.set_total_len(total);
        h.set_frag_off(fo);
        h.fill_checksum();
        out.push(f);
        off = end;
    }
    out
}

impl World {
    /// Builds an IPv4 packet around `payload` and sends it (ip_push_pending_frames →
    /// ip_local_out → ip_output).
    #[allow(clippy::too_many_arguments)]
    pub fn ip_send(
        &mut self,
        ns: NsId,
        src: Option<Ipv4Addr>,
        dst: Ipv4Addr,
        oif: Option<u32>,
        proto: u8,
        ttl: Option<u8>,
        df: bool,
        tos: u8,
        payload: &[u8],
    ) -> KResult<()> {
        let skb = Skb {
            sk_owner: true,
            ..Skb::default()
        };
        self.ip_send_skb(ns, src, dst, oif, proto, ttl, df, tos, payload, skb)
    }

    /// ip_send() from a socket with SO_MARK `mark` (`ping -m`).
    #[allow(clippy::too_many_arguments)]
    pub fn ip_send_marked(
        &mut self,
        ns: NsId,
        src: Option<Ipv4Addr>,
        dst: Ipv4Addr,
        oif: Option<u32>,
        mark: u32,
        proto: u8,
        ttl: Option<u8>,
        df: bool,
        tos: u8,
        payload: &[u8],
    ) -> KResult<()> {
        let skb = Skb {
            sk_owner: true,
            mark,
            ..Skb::default()
        };
        self.ip_send_skb(ns, src, dst, oif, proto, ttl, df, tos, payload, skb)
    }

    /// ip_send() for a packet that already carries netfilter state: a new
    /// packet in the trace.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn ip_send_skb(
        &mut self,
        ns: NsId,
        src: Option<Ipv4Addr>,
        dst: Ipv4Addr,
        oif: Option<u32>,
        proto: u8,
        ttl: Option<u8>,
        df: bool,
        tos: u8,
        payload: &[u8],
        skb: Skb,
    ) -> KResult<()> {
        self.made(ns, |w| {
            w.ip_build_and_send(ns, src, dst, oif, proto, ttl, df, tos, payload, skb)
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn ip_build_and_send(
        &mut self,
        ns: NsId,
        src: Option<Ipv4Addr>,
        dst: Ipv4Addr,
        oif: Option<u32>,
        proto: u8,
        ttl: Option<u8>,
        df: bool,
        tos: u8,
        payload: &[u8],
        skb: Skb,
    ) -> KResult<()> {
        let fl = Self::flowi4_of(
            Flowi4::output(dst, src, oif).with_mark(skb.mark),
            tos,
            proto,
            payload,
        );
        let rt = self.route_output(ns, &fl);
        self.trace_route_out4(ns, &fl, &rt);
        let rt = match rt {
            Ok(rt) => rt,
            Err(e) => {
                self.ns_mut(ns).snmp.inc(Mib::IpOutNoRoutes);
                self.drop_pkt(ns, None, DropReason::OutNoRoute);
                return Err(e);
            }
        };
        let ttl = ttl.unwrap_or_else(|| self.ns(ns).sysctl.default_ttl());
        let total = u16::try_from(payload.len() + 20).map_err(|_| Errno::EMSGSIZE)?;
        // `df` asks for path MTU discovery (IP_PMTUDISC_WANT): DF is set when
        // the packet fits the path, otherwise it is fragmented locally.
        let out_mtu = self.ip_path_mtu(ns, rt.dev, dst);
        let df = df && payload.len() + 20 <= out_mtu;
        // DF packets from unconnected sockets carry id 0; others a per-destination id.
        let id = if df {
            0
        } else {
            (self.rng.next_u64() & 0xffff) as u16
        };
        // The header written in place (ip_build_and_send_pkt's iph fields):
        // built per packet, so not through a parser's header type.
        let mut h = [0u8; 20];
        h[0] = 0x45;
        h[1] = tos;
        h[2..4].copy_from_slice(&total.to_be_bytes());
        h[4..6].copy_from_slice(&id.to_be_bytes());
        h[6] = if df { 0x40 } else { 0 };
        h[8] = ttl;
        h[9] = proto;
        h[12..16].copy_from_slice(&rt.src.octets());
        h[16..20].copy_from_slice(&dst.octets());
        let ck = checksum(&h);
        h[10..12].copy_from_slice(&ck.to_be_bytes());
        let mut p = self.take_buf();
        p.extend_from_slice(&h);
        p.extend_from_slice(payload);
        if self.tracer.is_some() {
            let mut packet = self.take_buf();
            packet.extend_from_slice(&p);
            self.trace(|| Trace::Built { ns, packet });
        }
        self.ip_local_out(ns, p, rt, oif, skb)
    }

    /// ip_local_out() → ip_output(): OUTPUT and POSTROUTING, then
    /// fragmentation and the neighbour layer, for a locally built packet.
    pub(crate) fn ip_local_out(
        &mut self,
        ns: NsId,
        mut p: Vec<u8>,
        rt: OutRoute,
        oif: Option<u32>,
        mut skb: Skb,
    ) -> KResult<()> {
        let dst = Ipv4Hdr::new_unchecked(&p).dst();
        let mark = skb.mark;
        self.ns_mut(ns).snmp.inc(Mib::IpOutRequests);
        let mut rt = rt;
        if self.nf_active(ns) {
            let o = Some(rt.dev);
            if self.nf_hook(ns, Hook::LocalOut, &mut p, None, o, &mut skb) == NfVerdict::Drop {
                self.put_buf(p);
                return Err(Errno::EPERM.into());
            }
            // ip_route_me_harder(): a new destination (DNAT in OUTPUT) or
            // a new mark (MARK in mangle OUTPUT) needs a new route.
            let iph = Ipv4Hdr::new_unchecked(&p);
            let (nsrc, ndst) = (iph.src(), iph.dst());
            if ndst != dst || skb.mark != mark {
                let (tos, proto, ihl) = (iph.tos(), iph.protocol(), iph.header_len());
                let fl = Self::flowi4_of(
                    Flowi4::output(ndst, Some(nsrc), oif).with_mark(skb.mark),
                    tos,
                    proto,
                    &p[ihl..],
                );
                let res = self.route_output(ns, &fl);
                self.trace_route_out4(ns, &fl, &res);
                match res {
                    Ok(r) => rt = r,
                    Err(e) => {
                        self.drop_pkt(ns, None, DropReason::OutNoRoute);
                        self.put_buf(p);
                        return Err(e);
                    }
                }
            }
            let o = Some(rt.dev);
            if self.nf_hook(ns, Hook::PostRouting, &mut p, None, o, &mut skb) == NfVerdict::Drop {
                self.put_buf(p);
                return Err(Errno::EPERM.into());
            }
        }
        let dev = DevRef {
            ns,
            ifindex: rt.dev,
        };
        let out_mtu = self.ip_path_mtu(ns, rt.dev, Ipv4Hdr::new_unchecked(&p).dst());
        if p.len() > out_mtu {
            if Ipv4Hdr::new_unchecked(&p).dont_frag() {
                // ip_fragment() refuses DF: the packet is dropped.
                self.put_buf(p);
                return Err(Errno::EMSGSIZE.into());
            }
            for f in ip_fragment(&p, out_mtu) {
                self.neigh_output(dev, rt.nexthop, f);
            }
            self.put_buf(p);
            return Ok(());
        }
        self.neigh_output(dev, rt.nexthop, p);
        Ok(())
    }

    /// A flow key completed from the packet: its TOS, protocol and the
    /// transport ports rules may select on (ICMP has none).
    pub(crate) fn flowi4_of(fl: Flowi4, tos: u8, proto: u8, l4: &[u8]) -> Flowi4 {
        let ports = match proto {
            6 | 17 | 132 | 33 if l4.len() >= 4 => (
                u16::from_be_bytes([l4[0], l4[1]]),
                u16::from_be_bytes([l4[2], l4[3]]),
            ),
            _ => (0, 0),
        };
        Flowi4 {
            tos,
            proto,
            sport: ports.0,
            dport: ports.1,
            ..fl
        }
    }
}
