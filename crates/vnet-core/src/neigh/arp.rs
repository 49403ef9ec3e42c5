//! ARP (net/ipv4/arp.c): requests, replies, and the neighbour entries they make.

use crate::addr::{Ifaddr4, Scope};
use crate::dev::DevRef;
use crate::ipv4::fib::{RouteType, RT_TABLE_LOCAL};
use crate::neigh::NudState;
use crate::snmp::Mib;
use crate::types::Mac;
use crate::world::World;
use etherparse::{ArpEthIpv4Packet, ArpOperation, EtherType, Ethernet2Header};
use std::net::Ipv4Addr;

impl World {
    // ---- ARP --------------------------------------------------------------

    fn arp_send(
        &mut self,
        r: DevRef,
        op: ArpOperation,
        dst_mac: Mac,
        target_mac: Mac,
        sip: Ipv4Addr,
        tip: Ipv4Addr,
    ) {
        let Some(d) = self.dev(r) else { return };
        let mac = d.mac;
        let arp = ArpEthIpv4Packet {
            operation: op,
            sender_mac: mac.0,
            sender_ipv4: sip.octets(),
            target_mac: target_mac.0,
            target_ipv4: tip.octets(),
        };
        let eth = Ethernet2Header {
            destination: dst_mac.0,
            source: mac.0,
            ether_type: EtherType::ARP,
        };
        let mut f = Vec::with_capacity(42);
        f.extend_from_slice(&eth.to_bytes());
        f.extend_from_slice(&etherparse::ArpPacket::from(arp).to_bytes());
        let m = if op == ArpOperation::REQUEST {
            Mib::ArpOutRequests
        } else {
            Mib::ArpOutReplies
        };
        self.ns_mut(r.ns).snmp.inc(m);
        self.made(r.ns, |w| w.dev_queue_xmit(r, f));
    }

    /// arp_rcv(): an ARP packet arrives.
    pub(crate) fn arp_rcv(&mut self, r: DevRef, body: &[u8], unicast_to_us: bool) {
        self.arp_process(r, body, unicast_to_us, false);
    }

    /// arp_process(): answer requests for our addresses (and, as a proxy,
    /// for others': `redo` is a delayed proxy answer) and update the table.
    pub(crate) fn arp_process(&mut self, r: DevRef, body: &[u8], unicast_to_us: bool, redo: bool) {
        let Ok(pkt) = etherparse::ArpPacket::from_slice(body) else {
            return;
        };
        let Ok(arp) = pkt.try_eth_ipv4() else { return };
        let sip = Ipv4Addr::from(arp.sender_ipv4);
        let tip = Ipv4Addr::from(arp.target_ipv4);
        let sha = Mac(arp.sender_mac);
        let ns = r.ns;
        let is_req = arp.operation == ArpOperation::REQUEST;
        if !redo {
            self.ns_mut(ns).snmp.inc(if is_req {
                Mib::ArpInRequests
            } else {
                Mib::ArpInReplies
            });
        }
        if sip.is_multicast() || sip.is_loopback() {
            return;
        }
        // Requests for one of our addresses (arp_ignore=0: any local
        // address), in the device's VRF table if it has one.
        let local = self
            .ns(ns)
            .fib
            .table(
                self.l3mdev_fib_table(ns, r.ifindex)
                    .unwrap_or(RT_TABLE_LOCAL),
            )
            .and_then(|t| t.first(tip, |_| true))
            .is_some_and(|rt| rt.rtype == RouteType::Local);
        if is_req && local && !sip.is_unspecified() {
            // arp_ignore, then arp_filter, may keep the kernel silent;
            // an ignored request does not touch the table either.
            if self.arp_ignore(r, sip, tip) || self.arp_filter(r, sip, tip) {
                return;
            }
            // neigh_event_ns(): the asker becomes (at least) STALE.
            self.neigh_update(r, sip.into(), sha, NudState::Stale, true);
            self.arp_send(r, ArpOperation::REPLY, sha, sha, tip, sip);
            return;
        }
        if sip.is_unspecified() {
            return;
        }
        if is_req && !local && self.arp_proxy(r, body, sip, tip, sha, unicast_to_us || redo) {
            return;
        }
        // arp_accept: an unsolicited reply, or a gratuitous ARP, may create an entry.
        if self.ns(ns).neigh.get(r.ifindex, sip).is_none()
            && self.arp_accept(r, sip)
            && self.arp_is_garp_or_unicast_reply(r, is_req, sip, tip, sha, Mac(arp.target_mac))
        {
            self.neigh_update(r, sip.into(), sha, NudState::Stale, true);
        }
        if let Some(e) = self.ns(ns).neigh.get(r.ifindex, sip) {
            // arp_process(): within locktime of the last update another
            // address is not taken unless gratuitous: of back-to-back
            // replies (ARP flux, proxies) the first wins.
            let garp = sip == tip && (is_req || sha == Mac(arp.target_mac));
            let locked = e.state.valid()
                && e.lladdr.is_some_and(|m| m != sha)
                && self.now.0 < e.updated.0.saturating_add(self.arp_locktime(r))
                && !garp;
            if locked {
                return;
            }
            let state = if !is_req && unicast_to_us {
                NudState::Reachable
            } else {
                NudState::Stale
            };
            self.neigh_update(r, sip.into(), sha, state, false);
        }
    }

    /// arp_solicit(): broadcast while INCOMPLETE, unicast in PROBE.
    pub(crate) fn arp_solicit(&mut self, r: DevRef, ip: Ipv4Addr) {
        let ns = r.ns;
        let Some(e) = self.ns_mut(ns).neigh.get_mut(r.ifindex, ip) else {
            return;
        };
        e.probes += 1;
        let (dst, target) = match (e.state, e.lladdr) {
            (NudState::Probe, Some(m)) => (m, m),
            _ => (Mac::BROADCAST, Mac::ZERO),
        };
        // The sender address: the queued packet's source when it is ours, else the device's.
        let qsrc = e
            .queue
            .last()
            .and_then(|p| p.get(12..16))
            .map(|b| Ipv4Addr::new(b[0], b[1], b[2], b[3]));
        let sip = self
            .arp_announce_src(r, ip, qsrc)
            .or_else(|| self.ns(ns).select_src4(r.ifindex, Some(ip), Scope::Link))
            .unwrap_or(Ipv4Addr::UNSPECIFIED);
        self.arp_send(r, ArpOperation::REQUEST, dst, target, sip, ip);
    }
}

impl World {
    /// arp_process() for a request not for us: a router answers with its
    /// own address when the route to `tip` is unicast and leaves by another
    /// device (which needs forwarding on this one), and either proxy_arp is
    /// on (arp_fwd_proxy()) or `tip` has a proxy entry for this device. A
    /// broadcast request is answered after proxy_delay (pneigh_enqueue());
    /// `now` answers at once. Whether the request was a proxy's to answer.
    fn arp_proxy(
        &mut self,
        r: DevRef,
        body: &[u8],
        sip: Ipv4Addr,
        tip: Ipv4Addr,
        sha: Mac,
        now: bool,
    ) -> bool {
        let fl = crate::flow::Flowi4 {
            saddr: sip,
            iif: Some(r.ifindex),
            ..crate::flow::Flowi4::to(tip)
        };
        // route_input() refuses without forwarding on the device.
        let Ok(rt) = self.route_input(r.ns, &fl) else {
            return false;
        };
        if rt.rtype != RouteType::Unicast || rt.dev == r.ifindex {
            return false;
        }
        let listed = || {
            self.ns(r.ns)
                .neigh
                .proxies
                .lookup(tip.into(), Some(r.ifindex))
                .is_some()
        };
        if self.arp_conf(r, "proxy_arp", true) == 0 && !listed() {
            return false;
        }
        // neigh_event_ns(): the asker's entry, as for our own addresses.
        self.neigh_update(r, sip.into(), sha, NudState::Stale, true);
        let redo = crate::neigh::pneigh::ProxyRedo::Arp {
            body: body.to_vec(),
        };
        if now || !self.pneigh_enqueue(r, false, redo) {
            self.arp_send(r, ArpOperation::REPLY, sha, sha, tip, sip);
        }
        true
    }
}

/// inet_ifa_match(): `a` lies in the subnet of one of `ifas`.
fn on_subnet<'a>(mut ifas: impl Iterator<Item = &'a Ifaddr4>, a: Ipv4Addr) -> bool {
    ifas.any(|f| f.matches(a))
}

impl World {
    /// An IPv4 conf knob of the device an ARP packet came in on, as
    /// Sysctls::conf4 reads it (`or`: IN_DEV_ORCONF, else IN_DEV_MAXCONF).
    fn arp_conf(&self, r: DevRef, knob: &str, or: bool) -> i64 {
        let n = self.ns(r.ns);
        n.dev(r.ifindex)
            .map_or(0, |d| n.sysctl.conf4(&d.name, knob, or))
    }

    /// net.ipv4.neigh.DEV.locktime (USER_HZ), in nanoseconds.
    fn arp_locktime(&self, r: DevRef) -> u64 {
        let n = self.ns(r.ns);
        let hz = n
            .dev(r.ifindex)
            .and_then(|d| {
                n.sysctl
                    .get(&format!("net.ipv4.neigh.{}.locktime", d.name), &[&d.name])
            })
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(100);
        hz.saturating_mul(10_000_000)
    }

    /// arp_ignore(): whether a request for our address `tip` goes
    /// unanswered. 1: `tip` is not on the receiving device; 2: nor in a
    /// subnet of that device shared with the asker `sip`; 3: `tip` has
    /// scope host; 8: never answer. (inet_confirm_addr() decides 1-3.)
    fn arp_ignore(&self, r: DevRef, sip: Ipv4Addr, tip: Ipv4Addr) -> bool {
        let n = self.ns(r.ns);
        let on_dev = |with_sip: bool| {
            n.addrs4_of(r.ifindex).any(|a| a.local == tip)
                && n.addrs4_of(r.ifindex)
                    .any(|a| a.matches(tip) && (!with_sip || a.matches(sip)))
        };
        match self.arp_conf(r, "arp_ignore", false) {
            1 => !on_dev(false),
            2 => !on_dev(true),
            3 => !n.addrs4().iter().any(|a| {
                a.local == tip
                    && a.scope.min(Scope::Host) <= Scope::Link
                    && on_subnet(n.addrs4_of(a.ifindex), tip)
            }),
            8 => true,
            _ => false,
        }
    }

    /// arp_filter (IN_DEV_ARPFILTER): answer only when the route back to
    /// the asker leaves by the receiving device (ip_route_output(sip,
    /// tip)); otherwise ArpFilter counts the request.
    fn arp_filter(&mut self, r: DevRef, sip: Ipv4Addr, tip: Ipv4Addr) -> bool {
        if self.arp_conf(r, "arp_filter", true) == 0 {
            return false;
        }
        let fl = crate::flow::Flowi4 {
            saddr: tip,
            ..crate::flow::Flowi4::to(sip)
        };
        let out = self.fib_lookup(r.ns, &fl).ok().and_then(|rt| rt.route.dev);
        if out == Some(r.ifindex) {
            return false;
        }
        self.ns_mut(r.ns).snmp.inc(Mib::ArpFilter);
        true
    }

    /// arp_accept(): 1 takes unsolicited ARP; 2 only from an address in
    /// one of the receiving device's subnets.
    fn arp_accept(&self, r: DevRef, sip: Ipv4Addr) -> bool {
        match self.arp_conf(r, "arp_accept", false) {
            1 => true,
            2 => on_subnet(self.ns(r.ns).addrs4_of(r.ifindex), sip),
            _ => false,
        }
    }

    /// What arp_accept creates an entry for (arp_is_garp() or a reply):
    /// a gratuitous ARP (sender and target address equal; for a reply the
    /// hardware addresses too) or a reply, from a unicast address.
    fn arp_is_garp_or_unicast_reply(
        &self,
        r: DevRef,
        is_req: bool,
        sip: Ipv4Addr,
        tip: Ipv4Addr,
        sha: Mac,
        tha: Mac,
    ) -> bool {
        let garp = sip == tip && (is_req || sha == tha);
        (garp || !is_req) && self.inet_addr_type_unicast(r, sip)
    }

    /// inet_addr_type_dev_table() == RTN_UNICAST: not local, broadcast,
    /// multicast or zero (in the device's VRF table if it has one).
    fn inet_addr_type_unicast(&self, r: DevRef, a: Ipv4Addr) -> bool {
        let ns = r.ns;
        let local = self
            .ns(ns)
            .fib
            .table(
                self.l3mdev_fib_table(ns, r.ifindex)
                    .unwrap_or(RT_TABLE_LOCAL),
            )
            .and_then(|t| t.first(a, |_| true))
            .is_some_and(|rt| matches!(rt.rtype, RouteType::Local | RouteType::Broadcast));
        !local && !a.is_multicast() && !a.is_broadcast() && !a.is_unspecified()
    }

    /// arp_solicit()'s sender address by arp_announce: 0 any local address
    /// the queued packet came from; 1 that address only when `target` is
    /// in one of the device's subnets with it; 2 none (then
    /// inet_select_addr() picks the device's primary for the target).
    fn arp_announce_src(
        &self,
        r: DevRef,
        target: Ipv4Addr,
        qsrc: Option<Ipv4Addr>,
    ) -> Option<Ipv4Addr> {
        let n = self.ns(r.ns);
        let s = qsrc.filter(|s| n.is_local4(*s))?;
        match self.arp_conf(r, "arp_announce", false) {
            0 => Some(s),
            1 => n
                .addrs4_of(r.ifindex)
                .any(|a| a.matches(target) && a.matches(s))
                .then_some(s),
            _ => None,
        }
    }
}
