//! IPv6 neighbour discovery (net/ipv6/ndisc.c): solicitations,
//! advertisements, and the multicast groups they go to.

use crate::dev::DevRef;
use crate::ipv6::addrconf::mcast_mac;
use crate::ipv6::addrconf::solicited_node;
use crate::ipv6::ip6_output::ip6_build;
use crate::ipv6::ALL_NODES;
use crate::ipv6::IPV6_HLEN;
use crate::neigh::NudState;
use crate::netfilter::hook::Skb;
use crate::netfilter::Hook;
use crate::types::Mac;
use crate::wire::checksum::icmp6_checksum;
use crate::wire::icmp6;
use crate::wire::ipv6::hdr_src;
use crate::world::World;
use std::net::Ipv6Addr;

/// ND option types (RFC 4861 §4.6).
const ND_OPT_SOURCE_LL_ADDR: u8 = 1;

const ND_OPT_TARGET_LL_ADDR: u8 = 2;

/// Neighbour advertisement flags.
const NA_ROUTER: u8 = 0x80;

const NA_SOLICITED: u8 = 0x40;

const NA_OVERRIDE: u8 = 0x20;

impl World {
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

    /// ndisc_recv_ns(): a neighbour solicitation arrives.
    pub(crate) fn ndisc_recv_ns(&mut self, r: DevRef, src: Ipv6Addr, dst: Ipv6Addr, msg: &[u8]) {
        self.ndisc_ns_process(r, src, dst, msg, false);
    }

    /// ndisc_recv_ns()'s work: answer for our addresses, and as a proxy
    /// for listed ones (`redo`: a proxy's delayed answer), learning the
    /// asker.
    pub(crate) fn ndisc_ns_process(
        &mut self,
        r: DevRef,
        src: Ipv6Addr,
        dst: Ipv6Addr,
        msg: &[u8],
        redo: bool,
    ) {
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
        // Not ours, or still tentative (DAD by another node is not
        // modelled): maybe a proxy's, whose answer has no override flag.
        let ours = self.ipv6_chk_addr(ns, target, Some(r.ifindex));
        let router = if ours {
            self.ip6_forwarding(ns)
        } else {
            let Some(router) = self.pndisc_is_router(r, target) else {
                return;
            };
            // A multicast question waits for proxy_delay.
            let redo_later = crate::neigh::pneigh::ProxyRedo::Ndisc {
                src,
                dst,
                msg: msg.to_vec(),
            };
            if !redo && dst.is_multicast() && self.pneigh_enqueue(r, true, redo_later) {
                return;
            }
            router
        };
        if dad {
            self.ndisc_send_na(r, ALL_NODES, target, router, false, ours);
            return;
        }
        // neigh_event_ns(): the asker's entry, STALE with its address.
        if let Some(mac) = sll {
            self.neigh_update(r, src.into(), mac, NudState::Stale, true);
        }
        self.ndisc_send_na(r, src, target, router, true, ours && dst.is_multicast());
    }

    /// ndisc_recv_ns()'s proxy test: forwarding and proxy_ndp on the
    /// device (or proxy_ndp in `all`) and a proxy entry for `target`;
    /// then whether the entry says "router" (pndisc_is_router()).
    fn pndisc_is_router(&self, r: DevRef, target: Ipv6Addr) -> Option<bool> {
        let n = self.ns(r.ns);
        let d = n.dev(r.ifindex)?;
        let on = |dev: &str, knob: &str| n.sysctl.conf6_of(dev, knob).is_some_and(|v| v != "0");
        if !on(&d.name, "forwarding") || !(on(&d.name, "proxy_ndp") || on("all", "proxy_ndp")) {
            return None;
        }
        n.neigh
            .proxies
            .lookup(target.into(), Some(r.ifindex))
            .map(|p| p.router)
    }

    /// ndisc_recv_na(): confirms or updates an entry we have; never creates one.
    pub(crate) fn ndisc_recv_na(&mut self, r: DevRef, msg: &[u8]) {
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

    /// ndisc_send_na(): with our link-layer address, from the target
    /// when it is ours (`ours`, which also sets the override flag), else
    /// (a proxy's answer) from the source address chosen for `to`.
    fn ndisc_send_na(
        &mut self,
        r: DevRef,
        to: Ipv6Addr,
        target: Ipv6Addr,
        router: bool,
        solicited: bool,
        ours: bool,
    ) {
        let Some(mac) = self.dev(r).map(|d| d.mac) else {
            return;
        };
        let flags = (if router { NA_ROUTER } else { 0 })
            | (if solicited { NA_SOLICITED } else { 0 })
            | (if ours { NA_OVERRIDE } else { 0 });
        let src = if ours {
            target
        } else {
            match self.ipv6_dev_get_saddr(r.ns, Some(r.ifindex), to) {
                Some(s) => s,
                None => return,
            }
        };
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
        self.ndisc_send_skb(r, None, src, to, m);
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
        msg: Vec<u8>,
    ) {
        self.made(r.ns, |w| w.ndisc_output(r, to_mac, src, dst, msg))
    }

    fn ndisc_output(
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

    /// The NOARP nd_tbl entry the kernel makes for a group it sends to.
    pub(crate) fn nd_mcast_note(&mut self, r: DevRef, group: Ipv6Addr) {
        let nd = &mut self.ns_mut(r.ns).neigh.nd_mcast;
        if !nd.iter().any(|(i, g, _)| *i == r.ifindex && *g == group) {
            nd.push((r.ifindex, group, mcast_mac(group)));
        }
    }
}
