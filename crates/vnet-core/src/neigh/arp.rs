//! ARP (net/ipv4/arp.c): requests, replies, and the neighbour entries they make.

use crate::addr::Scope;
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

    /// arp_process(): answer requests for our addresses and update the table.
    pub(crate) fn arp_rcv(&mut self, r: DevRef, body: &[u8], unicast_to_us: bool) {
        let Ok(pkt) = etherparse::ArpPacket::from_slice(body) else {
            return;
        };
        let Ok(arp) = pkt.try_eth_ipv4() else { return };
        let sip = Ipv4Addr::from(arp.sender_ipv4);
        let tip = Ipv4Addr::from(arp.target_ipv4);
        let sha = Mac(arp.sender_mac);
        let ns = r.ns;
        let is_req = arp.operation == ArpOperation::REQUEST;
        self.ns_mut(ns).snmp.inc(if is_req {
            Mib::ArpInRequests
        } else {
            Mib::ArpInReplies
        });
        if sip.is_multicast() || sip.is_loopback() {
            return;
        }
        // Requests for one of our addresses (arp_ignore=0: any local address).
        let local = self
            .ns(ns)
            .fib
            .table(RT_TABLE_LOCAL)
            .and_then(|t| t.first(tip, |_| true))
            .is_some_and(|rt| rt.rtype == RouteType::Local);
        if is_req && local && !sip.is_unspecified() {
            // neigh_event_ns(): the asker becomes (at least) STALE.
            self.neigh_update(r, sip.into(), sha, NudState::Stale, true);
            self.arp_send(r, ArpOperation::REPLY, sha, sha, tip, sip);
            return;
        }
        if sip.is_unspecified() {
            return;
        }
        if self.ns(ns).neigh.get(r.ifindex, sip).is_some() {
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
        let sip = qsrc
            .filter(|s| self.ns(ns).is_local4(*s))
            .or_else(|| self.ns(ns).select_src4(r.ifindex, Some(ip), Scope::Link))
            .unwrap_or(Ipv4Addr::UNSPECIFIED);
        self.arp_send(r, ArpOperation::REQUEST, dst, target, sip, ip);
    }
}
