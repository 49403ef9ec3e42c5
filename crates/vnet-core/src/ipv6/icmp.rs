//! ICMPv6 (net/ipv6/icmp.c): echo replies, errors and their rate limit.

use crate::dev::DevRef;
use crate::error::KResult;
use crate::ipv4::fib::RouteType;
use crate::ipv6::addrconf::addr_scope;
use crate::ipv6::{IPV6_HLEN, IPV6_MIN_MTU};
use crate::sock::{IcmpRx, SockKind};
use crate::trace::{DropReason, Trace};
use crate::types::{NsId, Time};
use crate::wire::checksum::icmp6_checksum;
use crate::wire::icmp6;
use crate::wire::ipv6::hdr_dst;
use crate::wire::ipv6::hdr_src;
use crate::wire::ipv6::hop_limit;
use crate::wire::ipv6::upper_layer;
use crate::world::World;
use std::net::Ipv6Addr;

impl World {
    /// icmpv6_rcv(): checksum, then echo, neighbour discovery, raw sockets.
    pub(crate) fn icmpv6_rcv(&mut self, r: DevRef, pkt: &[u8], off: usize) {
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
            let Some(s) = self.sockets[id].as_mut() else {
                continue;
            };
            if matches!(s.kind, SockKind::IcmpRaw { v6: true, .. }) && s.charge(pkt.len() + 14) {
                let SockKind::IcmpRaw { rx, .. } = &mut s.kind else {
                    continue;
                };
                rx.push_back(IcmpRx {
                    at: now,
                    src: src.into(),
                    dst: dst.into(),
                    ttl: hop_limit(pkt),
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
                if hop_limit(pkt) == 255 && msg[1] == 0 && msg.len() >= 24 =>
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
}
