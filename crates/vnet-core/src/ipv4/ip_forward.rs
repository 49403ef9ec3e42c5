//! Forwarding IPv4 (net/ipv4/ip_forward.c): TTL, FORWARD, MTU.

use crate::dev::DevRef;
use crate::ipv4::ip_output::ip_fragment;
use crate::netfilter::hook::{NfVerdict, Skb};
use crate::netfilter::Hook;
use crate::snmp::Mib;
use crate::trace::{DropReason, Trace};
use crate::wire::icmp;
use crate::wire::ipv4::{Ipv4Hdr, Ipv4HdrMut};
use crate::world::World;
use std::net::Ipv4Addr;

impl World {
    /// ip_forward(): TTL, MTU, then out through the neighbour layer.
    pub(crate) fn ip_forward(
        &mut self,
        r: DevRef,
        pkt: &[u8],
        out: u32,
        nexthop: Ipv4Addr,
        mut skb: Skb,
    ) {
        let ns = r.ns;
        let iph = Ipv4Hdr::new_unchecked(pkt);
        let ct = skb.ct_ref();
        if iph.ttl() <= 1 {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::TtlExceeded);
            self.icmp_send(ns, pkt, icmp::TIME_EXCEEDED, 0, 0, ct);
            return;
        }
        let mtu = self.ns(ns).dev(out).map(|d| d.mtu).unwrap_or(1500) as usize;
        if pkt.len() > mtu && iph.dont_frag() {
            self.icmp_send(
                ns,
                pkt,
                icmp::DEST_UNREACH,
                icmp::FRAG_NEEDED,
                mtu as u32,
                ct,
            );
            return;
        }
        let mut p = self.take_buf();
        p.extend_from_slice(pkt);
        // ip_decrease_ttl(): iph->ttl checked above, so it does not wrap.
        Ipv4HdrMut::new_unchecked(&mut p).decrease_ttl();
        self.ns_mut(ns).snmp.inc(Mib::IpForwDatagrams);
        if self.tracer.is_some() {
            let o = self.devname(DevRef { ns, ifindex: out });
            let iph = Ipv4Hdr::new_unchecked(&p);
            let (s, d) = (iph.src(), iph.dst());
            self.trace(|| Trace::Forward {
                ns,
                src: s.into(),
                dst: d.into(),
                out: o,
            });
        }
        if self.nf_active(ns) {
            let (i, o) = (Some(r.ifindex), Some(out));
            if self.nf_hook(ns, Hook::Forward, &mut p, i, o, &mut skb) == NfVerdict::Drop
                || self.nf_hook(ns, Hook::PostRouting, &mut p, None, o, &mut skb) == NfVerdict::Drop
            {
                self.put_buf(p);
                return;
            }
        }
        let out = DevRef { ns, ifindex: out };
        if p.len() > mtu {
            // Not DF: ip_fragment() on the way out.
            for f in ip_fragment(&p, mtu) {
                self.neigh_output(out, nexthop, f);
            }
            self.put_buf(p);
            return;
        }
        self.neigh_output(out, nexthop, p);
    }
}
