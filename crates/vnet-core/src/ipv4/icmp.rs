//! ICMP (net/ipv4/icmp.c): echo replies, errors and their rate limit.

use crate::dev::DevRef;
use crate::flow::Flowi4;
use crate::ipv4::fib::RouteType;
use crate::netfilter::ct::{CtInfo, Dir};
use crate::netfilter::hook::{Skb, SkbCt};
use crate::snmp::Mib;
use crate::sock::{IcmpRx, SockKind};
use crate::trace::Trace;
use crate::types::{NsId, Time};
use crate::wire::checksum::checksum;
use crate::wire::icmp;
use crate::wire::ipv4::Ipv4Hdr;
use crate::world::World;
use std::net::IpAddr;

impl World {
    /// icmp_rcv(): answer echo requests, hand everything to raw sockets.
    pub(crate) fn icmp_rcv(&mut self, r: DevRef, pkt: &[u8], ihl: usize) {
        let ns = r.ns;
        let body = &pkt[ihl..];
        if body.len() < 8 {
            self.ns_mut(ns).snmp.inc(Mib::IcmpInErrors);
            return;
        }
        self.ns_mut(ns).snmp.inc(Mib::IcmpInMsgs);
        let iph = Ipv4Hdr::new_unchecked(pkt);
        let (src, dst) = (iph.src(), iph.dst());
        let typ = body[0];
        match typ {
            icmp::ECHO => self.ns_mut(ns).snmp.inc(Mib::IcmpInEchos),
            icmp::ECHO_REPLY => self.ns_mut(ns).snmp.inc(Mib::IcmpInEchoReps),
            icmp::DEST_UNREACH => self.ns_mut(ns).snmp.inc(Mib::IcmpInDestUnreachs),
            icmp::TIME_EXCEEDED => self.ns_mut(ns).snmp.inc(Mib::IcmpInTimeExcds),
            _ => {}
        }
        // raw_local_deliver(): every raw ICMP socket gets a copy.
        let now = self.now;
        for k in 0..self.ns(ns).sockets.len() {
            let id = self.ns(ns).sockets[k];
            let Some(s) = self.sockets[id].as_mut() else {
                continue;
            };
            if matches!(s.kind, SockKind::IcmpRaw { v6: false, .. }) && s.charge(pkt.len() + 14) {
                let SockKind::IcmpRaw { rx, .. } = &mut s.kind else {
                    continue;
                };
                rx.push_back(IcmpRx {
                    at: now,
                    src: src.into(),
                    dst: dst.into(),
                    ttl: iph.ttl(),
                    ifindex: r.ifindex,
                    ip_len: pkt.len(),
                    icmp: body.to_vec(),
                });
            }
        }
        if typ == icmp::DEST_UNREACH && body[1] == icmp::FRAG_NEEDED && body.len() >= 8 + 20 {
            // icmp_unreach(): the MTU offered, as ip_no_pmtu_disc allows
            // (1: none, so 0; 2: the message is ignored), for the quoted
            // packet's path (icmp_err() → ipv4_update_pmtu()).
            let mtu = match self.ns(ns).sysctl.get_int("net.ipv4.ip_no_pmtu_disc") {
                1 => Some(0),
                2 => None,
                _ => Some(u32::from(u16::from_be_bytes([body[6], body[7]]))),
            };
            let q = Ipv4Hdr::new_unchecked(&body[8..]);
            if let Some(mtu) = mtu {
                self.ip_rt_update_pmtu(ns, q.src(), q.dst(), mtu);
            }
        }
        if typ == icmp::DEST_UNREACH || typ == icmp::TIME_EXCEEDED {
            self.icmp_socket_deliver(ns, typ, body[1], &body[8..]);
            // icmp_unreach() → the protocol's err_handler: ipip_err, ipgre_err.
            self.tunnel_err(r, typ, body[1], &body[8..]);
        }
        if typ == icmp::ECHO {
            if self.ns(ns).sysctl.get_int("net.ipv4.icmp_echo_ignore_all") != 0 {
                return;
            }
            let bcast = dst.is_broadcast() || self.is_bcast_route(ns, dst);
            if bcast
                && self
                    .ns(ns)
                    .sysctl
                    .get_int("net.ipv4.icmp_echo_ignore_broadcasts")
                    != 0
            {
                return;
            }
            // icmp_reply(): source is the address the request was sent to (if ours).
            let saddr = if bcast { None } else { Some(dst) };
            let mut reply = self.take_buf();
            reply.extend_from_slice(body);
            reply[0] = icmp::ECHO_REPLY;
            reply[2] = 0;
            reply[3] = 0;
            let ck = checksum(&reply);
            reply[2..4].copy_from_slice(&ck.to_be_bytes());
            self.ns_mut(ns).snmp.inc(Mib::IcmpOutEchoReps);
            self.ns_mut(ns).snmp.inc(Mib::IcmpOutMsgs);
            let tos = iph.tos();
            // From the namespace's ICMP control socket (no owner).
            let skb = Skb::default();
            let locked = std::mem::replace(&mut self.icmp_xmit_locked, true);
            // icmp_reply(): flowi4_oif is the input device's VRF, if any.
            let oif = self.l3mdev_master(ns, r.ifindex);
            let _ = self.ip_send_skb(ns, saddr, src, oif, 1, None, false, tos, &reply, skb);
            self.icmp_xmit_locked = locked;
            self.put_buf(reply);
        }
    }

    /// inet_peer_xrlim_allow(): a token bucket per destination, `timeout` of
    /// credit per message, at most six messages of burst. A new peer starts full.
    pub(crate) fn xrlim_allow(&mut self, ns: NsId, dst: impl Into<IpAddr>, timeout: Time) -> bool {
        let dst = dst.into();
        const BURST: u64 = 6;
        let now = self.now;
        let (tokens, last) = self
            .ns(ns)
            .icmp_peers
            .get(&dst)
            .copied()
            .unwrap_or((BURST * timeout.0, now));
        let mut token = (tokens + (now.0 - last.0.min(now.0))).min(BURST * timeout.0);
        let ok = token >= timeout.0;
        if ok {
            token -= timeout.0;
        }
        self.ns_mut(ns).icmp_peers.insert(dst, (token, now));
        ok
    }

    /// icmp_send(): an ICMP error about `orig` back to its sender. `ct` is
    /// the offending packet's connection: the error carries it as RELATED
    /// (nf_ct_attach), so NAT translates the error back.
    pub(crate) fn icmp_send(
        &mut self,
        ns: NsId,
        orig: &[u8],
        typ: u8,
        code: u8,
        info: u32,
        ct: Option<(u32, CtInfo)>,
    ) {
        if self.icmp_xmit_locked {
            return;
        }
        let Some(iph) = Ipv4Hdr::new(orig) else {
            return;
        };
        let (osrc, odst) = (iph.src(), iph.dst());
        // Only about the first fragment, and only to a unicast sender.
        if iph.frag_offset() != 0
            || osrc.is_unspecified()
            || osrc.is_broadcast()
            || osrc.is_multicast()
            || odst.is_multicast()
            || odst.is_broadcast()
        {
            return;
        }
        if iph.protocol() == 1 {
            // Never an error about an ICMP error.
            if let Some(t) = iph.payload().first() {
                if !matches!(
                    *t,
                    icmp::ECHO | icmp::ECHO_REPLY | 13 | 14 | 15 | 16 | 17 | 18
                ) {
                    return;
                }
            }
        }
        // icmpv4_xrlim_allow(): types in icmp_ratemask are limited per
        // destination, except "fragmentation needed" and errors that stay local.
        let ratemask = self.ns(ns).sysctl.get_int("net.ipv4.icmp_ratemask") as u64;
        let limited = typ < 64
            && (ratemask >> typ) & 1 == 1
            && !(typ == icmp::DEST_UNREACH && code == icmp::FRAG_NEEDED);
        let back_local = self
            .route_output(ns, &Flowi4::output(osrc, None, None))
            .is_ok_and(|rt| rt.rtype == RouteType::Local);
        if limited && !back_local {
            let ms = self.ns(ns).sysctl.get_int("net.ipv4.icmp_ratelimit").max(0) as u64;
            if !self.xrlim_allow(ns, osrc, Time::from_millis(ms)) {
                return;
            }
        }
        // The source: the original destination when it was ours, else chosen by the route back.
        let saddr = if self.ns(ns).is_local4(odst) {
            Some(odst)
        } else {
            None
        };
        let ihl = iph.header_len();
        let room = 576 - 20 - 8;
        let quoted = &orig[..orig.len().min(room).max(ihl.min(orig.len()))];
        let mut m = Vec::with_capacity(8 + quoted.len());
        m.extend_from_slice(&[typ, code, 0, 0]);
        if typ == icmp::DEST_UNREACH && code == icmp::FRAG_NEEDED {
            m.extend_from_slice(&[0, 0]);
            m.extend_from_slice(&(info as u16).to_be_bytes());
        } else {
            m.extend_from_slice(&[0, 0, 0, 0]);
        }
        m.extend_from_slice(quoted);
        let ck = checksum(&m);
        m[2..4].copy_from_slice(&ck.to_be_bytes());
        let mib = match typ {
            icmp::DEST_UNREACH => Mib::IcmpOutDestUnreachs,
            icmp::TIME_EXCEEDED => Mib::IcmpOutTimeExcds,
            _ => Mib::IcmpOutMsgs,
        };
        self.ns_mut(ns).snmp.inc(mib);
        self.ns_mut(ns).snmp.inc(Mib::IcmpOutMsgs);
        self.trace(|| Trace::IcmpSend {
            ns,
            to: osrc.into(),
            icmp_type: typ,
            code,
        });
        // The offending packet's iph->tos without ECN, at
        // IPTOS_PREC_INTERNETCONTROL.
        let tos = (iph.tos() & 0xfc) | 0xc0;
        let skb = Skb {
            ct: match ct {
                Some((i, info)) => SkbCt::Tracked(
                    i,
                    match info.dir() {
                        Dir::Original => CtInfo::RelatedReply,
                        Dir::Reply => CtInfo::Related,
                    },
                ),
                None => SkbCt::None,
            },
            ..Skb::default()
        };
        self.icmp_xmit_locked = true;
        let _ = self.ip_send_skb(ns, saddr, osrc, None, 1, None, false, tos, &m, skb);
        self.icmp_xmit_locked = false;
    }
}
