//! The packet path, in the kernel's order and with its names:
//!
//! ```text
//!  netif_receive ──► br_handle_frame ──► br_forward / br_flood ──► dev_queue_xmit
//!       │                  │ (local)
//!       ▼                  ▼
//!  l3_receive ──► arp_rcv                       ip_local_out ◄── sockets (ping)
//!       │                                            │
//!       ▼                                            ▼
//!    ip_rcv ──► route input ──► ip_local_deliver ──► icmp_rcv / udp_rcv / tcp_v4_rcv
//!                    │
//!                    └────────► ip_forward ──► ip_finish_output2 ──► neigh_output ──► dev_queue_xmit
//! ```
//! Netfilter hooks will sit between each stage and its `_finish`, as in the kernel.
//! Every drop is counted and traced with a `DropReason`.

use crate::addr::Scope;
use crate::dev::{DevKind, DevRef};
use crate::error::{Errno, KResult};
use crate::neigh::{Neighbour, NudState};
use crate::netfilter::ct::{CtInfo, Dir};
use crate::netfilter::hook::{NfVerdict, Skb, SkbCt};
use crate::netfilter::Hook;
use crate::path6::icmp6;
use crate::ipv4::fib::{RouteType, RT_TABLE_LOCAL};
use crate::snmp::Mib;
use crate::sock::{Captured, IcmpRx, SockKind};
use crate::trace::{DropReason, Trace};
use crate::types::{Mac, NsId, Time};
use crate::world::{Event, World, HOP_LATENCY};
use etherparse::{
    ArpEthIpv4Packet, ArpOperation, EtherType, Ethernet2Header, Icmpv4Header, Icmpv4Type,
};
use std::net::{IpAddr, Ipv4Addr};

pub const ETH_HLEN: usize = 14;

/// ICMP types and codes the path generates (RFC 792).
pub mod icmp {
    pub const ECHO_REPLY: u8 = 0;
    pub const DEST_UNREACH: u8 = 3;
    pub const ECHO: u8 = 8;
    pub const TIME_EXCEEDED: u8 = 11;
    pub const NET_UNREACH: u8 = 0;
    pub const HOST_UNREACH: u8 = 1;
    pub const PROT_UNREACH: u8 = 2;
    pub const PORT_UNREACH: u8 = 3;
    pub const FRAG_NEEDED: u8 = 4;
    pub const PKT_FILTERED: u8 = 13;
}

/// Where a locally generated packet goes (ip_route_output_key's result).
#[derive(Clone, Copy, Debug)]
pub struct OutRoute {
    pub dev: u32,
    pub src: Ipv4Addr,
    pub nexthop: Ipv4Addr,
    pub rtype: RouteType,
}

impl World {
    pub(crate) fn handle_event(&mut self, ev: Event) {
        match ev {
            Event::Rx { dev, frame } => self.netif_receive(dev, frame),
            Event::NeighTimer { ns, ifindex, ip } => self.neigh_timer(ns, ifindex, ip),
            Event::Addrconf { ns, ifindex, step } => self.addrconf_step(ns, ifindex, step),
            Event::Linkwatch => self.linkwatch_run(),
            Event::TcpTimer { sock } => self.tcp_timer(sock),
        }
    }

    pub(crate) fn drop_pkt(&mut self, ns: NsId, dev: Option<u32>, reason: DropReason) {
        if self.tracer.is_some() {
            let dev = dev.map(|i| self.devname(DevRef { ns, ifindex: i }));
            self.trace(|| Trace::Drop { ns, dev, reason });
        }
    }

    fn devname(&self, r: DevRef) -> String {
        self.dev(r).map(|d| d.name.clone()).unwrap_or_default()
    }

    /// Hands a copy to every packet socket that listens on the device (dev_queue_xmit_nit
    /// for outgoing, __netif_receive_skb_core's taps for incoming). On loopback a frame
    /// is seen twice, leaving and arriving: the kernel counts both copies, and libpcap
    /// drops the outgoing one (tcpdump's "received by filter" shows the difference).
    fn capture(&mut self, r: DevRef, data: &[u8], outgoing: bool) {
        if self.ns(r.ns).taps == 0 {
            return;
        }
        let Some(d) = self.dev(r) else { return };
        let ether = d.is_ether() || d.is_loopback();
        let now = self.now;
        for k in 0..self.ns(r.ns).sockets.len() {
            let id = self.ns(r.ns).sockets[k];
            let Some(s) = self.sockets[id].as_mut() else {
                continue;
            };
            if let SockKind::Packet { ifindex, rx } = &mut s.kind {
                if ifindex.is_none_or(|i| i == r.ifindex) {
                    rx.push_back(Captured {
                        at: now,
                        ifindex: r.ifindex,
                        outgoing,
                        ether,
                        data: data.to_vec(),
                    });
                }
            }
        }
    }

    /// dev_queue_xmit(): a frame leaves a device.
    pub(crate) fn dev_queue_xmit(&mut self, r: DevRef, frame: Vec<u8>) {
        self.dev_queue_xmit_nh(r, frame, Ipv4Addr::UNSPECIFIED)
    }

    /// dev_queue_xmit() with the route's next hop, which a tunnel without a
    /// remote (NBMA) sends to.
    pub(crate) fn dev_queue_xmit_nh(&mut self, r: DevRef, frame: Vec<u8>, nexthop: Ipv4Addr) {
        let Some(d) = self.dev(r) else { return };
        if !d.up {
            // __dev_queue_xmit() on a device that is down: counted, then freed.
            self.dev_mut(r).unwrap().stats.tx_dropped += 1;
            self.drop_pkt(r.ns, Some(r.ifindex), DropReason::DevDown);
            return;
        }
        let kind = match &d.kind {
            DevKind::Loopback => 0,
            DevKind::Veth { .. } => 1,
            DevKind::Bridge(_) => 2,
            DevKind::Tun { attached, .. } => {
                if *attached > 0 {
                    3
                } else {
                    4
                }
            }
            DevKind::Dummy => 5,
            DevKind::Tunnel(_) => 6,
            DevKind::Vxlan(_) => 7,
            DevKind::Nic { segment } => match segment {
                Some(_) => 8,
                None => 5,
            },
        };
        if kind == 4 {
            // tun_net_xmit with no queue attached: counted as a tx drop.
            self.dev_mut(r).unwrap().stats.tx_dropped += 1;
            self.drop_pkt(r.ns, Some(r.ifindex), DropReason::TapNotAttached);
            return;
        }
        self.capture(r, &frame, true);
        let len = frame.len() as u64;
        let name_len = frame.len();
        if self.tracer.is_some() {
            let dev = self.devname(r);
            self.trace(|| Trace::Tx {
                ns: r.ns,
                dev,
                len: name_len,
            });
        }
        match kind {
            0 => {
                // loopback_xmit counts after eth_type_trans pulled the header.
                let st = &mut self.dev_mut(r).unwrap().stats;
                st.tx_packets += 1;
                st.tx_bytes += len.saturating_sub(ETH_HLEN as u64);
                self.schedule(self.now + HOP_LATENCY, Event::Rx { dev: r, frame });
            }
            1 => {
                let peer = self.dev(r).unwrap().iflink().unwrap();
                if self.dev(peer).is_some_and(|p| p.up) {
                    let st = &mut self.dev_mut(r).unwrap().stats;
                    st.tx_packets += 1;
                    st.tx_bytes += len;
                    self.schedule(self.now + HOP_LATENCY, Event::Rx { dev: peer, frame });
                } else {
                    self.dev_mut(r).unwrap().stats.tx_dropped += 1;
                    self.drop_pkt(r.ns, Some(r.ifindex), DropReason::NoCarrier);
                }
            }
            2 => {
                let st = &mut self.dev_mut(r).unwrap().stats;
                st.tx_packets += 1;
                st.tx_bytes += len;
                self.br_dev_xmit(r, frame);
            }
            3 => {
                let st = &mut self.dev_mut(r).unwrap().stats;
                st.tx_packets += 1;
                st.tx_bytes += len;
                // Read by the program holding the device (not simulated yet): consumed.
            }
            6 => {
                // ip_tunnel_xmit() counts what it encapsulates.
                self.ip_tunnel_xmit(r, nexthop, &frame);
                self.put_buf(frame);
            }
            7 => {
                // vxlan_xmit() counts what it encapsulates.
                self.vxlan_xmit(r, &frame);
                self.put_buf(frame);
            }
            8 => {
                let st = &mut self.dev_mut(r).unwrap().stats;
                st.tx_packets += 1;
                st.tx_bytes += len;
                if let Some(DevKind::Nic { segment: Some(s) }) = self.dev(r).map(|d| &d.kind) {
                    let s = *s;
                    self.nic_xmit(r, s, frame);
                }
            }
            _ => {
                let st = &mut self.dev_mut(r).unwrap().stats;
                st.tx_packets += 1;
                st.tx_bytes += len;
            }
        }
    }

    /// __netif_receive_skb(): a frame arrives on a device.
    pub(crate) fn netif_receive(&mut self, r: DevRef, frame: Vec<u8>) {
        let Some(d) = self.dev(r) else { return };
        if !d.up {
            self.drop_pkt(r.ns, Some(r.ifindex), DropReason::DevDown);
            return;
        }
        let master = d.master;
        // loopback and vxlan (vxlan_rcv) count after eth_type_trans().
        let hdr = if d.is_loopback() || matches!(d.kind, DevKind::Vxlan(_)) {
            ETH_HLEN as u64
        } else {
            0
        };
        let st = &mut self.dev_mut(r).unwrap().stats;
        st.rx_packets += 1;
        st.rx_bytes += (frame.len() as u64).saturating_sub(hdr);
        // PACKET_MULTICAST only: broadcasts are not counted.
        if frame.len() >= ETH_HLEN && frame[0] & 1 == 1 && frame[..6] != [0xff; 6] {
            st.rx_multicast += 1;
        }
        self.capture(r, &frame, false);
        if self.tracer.is_some() {
            let dev = self.devname(r);
            self.trace(|| Trace::Rx {
                ns: r.ns,
                dev,
                len: frame.len(),
            });
        }
        if let Some(br) = master {
            self.br_handle_frame(r, br, frame);
            return;
        }
        self.l3_receive(r, &frame);
        self.put_buf(frame);
    }

    /// Protocol dispatch after the bridge hook (eth_type_trans + ptype handlers).
    fn l3_receive(&mut self, r: DevRef, frame: &[u8]) {
        let d = self.dev(r).unwrap();
        if d.is_l3() {
            if frame.first().is_some_and(|b| b >> 4 == 6) {
                self.ipv6_rcv(r, frame, false);
            } else {
                self.ip_rcv(r, frame, Skb::default());
            }
            return;
        }
        let Ok((eth, _)) = Ethernet2Header::from_slice(frame) else {
            return;
        };
        let dst = Mac(eth.destination);
        let for_us = dst == d.mac || dst.is_multicast() || d.is_loopback();
        match eth.ether_type {
            EtherType::ARP => {
                if !d.noarp {
                    self.arp_rcv(r, &frame[ETH_HLEN..], dst == d.mac);
                }
            }
            EtherType::IPV4 => {
                if !for_us {
                    // PACKET_OTHERHOST: ip_rcv drops it.
                    self.drop_pkt(r.ns, Some(r.ifindex), DropReason::NotForUs);
                    return;
                }
                let mut skb = Skb {
                    loopback_rx: d.is_loopback(),
                    pkt_type: if dst.is_broadcast() {
                        1
                    } else if dst.is_multicast() {
                        2
                    } else {
                        0
                    },
                    ..Skb::default()
                };
                if self.nf_active(r.ns) {
                    let mut h = [0u8; ETH_HLEN];
                    h.copy_from_slice(&frame[..ETH_HLEN]);
                    skb.mac = Some(h);
                }
                self.ip_rcv(r, &frame[ETH_HLEN..], skb);
            }
            EtherType::IPV6 => self.ipv6_rcv(r, &frame[ETH_HLEN..], !for_us),
            _ => self.drop_pkt(r.ns, Some(r.ifindex), DropReason::UnknownProtocol),
        }
    }

    // ---- bridge -----------------------------------------------------------

    /// br_handle_frame(): learning, then forward, flood or pass up.
    fn br_handle_frame(&mut self, port: DevRef, br: u32, frame: Vec<u8>) {
        let ns = port.ns;
        if frame.len() < ETH_HLEN {
            return;
        }
        let dst = Mac(frame[0..6].try_into().unwrap());
        let src = Mac(frame[6..12].try_into().unwrap());
        let now = self.now;
        let brdev = DevRef { ns, ifindex: br };
        let Some(b) = self.dev(brdev).and_then(|d| d.bridge()) else {
            return;
        };
        let Some(p) = b.port(port.ifindex) else {
            return;
        };
        let (state, learning) = (p.state, p.learning);
        if !matches!(
            state,
            crate::bridge::PortState::Forwarding | crate::bridge::PortState::Learning
        ) {
            self.drop_pkt(ns, Some(port.ifindex), DropReason::PortNotForwarding);
            return;
        }
        if learning && !src.is_multicast() {
            self.dev_mut(brdev)
                .unwrap()
                .bridge_mut()
                .unwrap()
                .learn(src, port.ifindex, now);
            if self.tracer.is_some() {
                let (bn, pn) = (self.devname(brdev), self.devname(port));
                self.trace(|| Trace::FdbLearn {
                    ns,
                    bridge: bn,
                    mac: src,
                    port: pn,
                });
            }
        }
        if state != crate::bridge::PortState::Forwarding {
            return;
        }
        if dst.is_multicast() {
            self.br_flood(brdev, Some(port.ifindex), &frame);
            self.br_pass_frame_up(brdev, frame);
            return;
        }
        let hit = self
            .dev(brdev)
            .unwrap()
            .bridge()
            .unwrap()
            .fdb_get(dst, now)
            .map(|e| (e.port, e.is_local));
        if self.tracer.is_some() {
            let bn = self.devname(brdev);
            let pn = hit.map(|(p, _)| self.devname(DevRef { ns, ifindex: p }));
            self.trace(|| Trace::FdbLookup {
                ns,
                bridge: bn,
                mac: dst,
                port: pn,
            });
        }
        match hit {
            Some((_, true)) => self.br_pass_frame_up(brdev, frame),
            Some((p, false)) => {
                if p == port.ifindex {
                    let hairpin = self
                        .dev(brdev)
                        .unwrap()
                        .bridge()
                        .unwrap()
                        .port(p)
                        .is_some_and(|x| x.hairpin);
                    if !hairpin {
                        self.drop_pkt(ns, Some(p), DropReason::FdbSamePort);
                        return;
                    }
                }
                self.br_forward(DevRef { ns, ifindex: p }, frame);
            }
            None => {
                self.br_flood(brdev, Some(port.ifindex), &frame);
                if self.dev(brdev).is_some_and(|d| d.promisc > 0) {
                    self.br_pass_frame_up(brdev, frame);
                }
            }
        }
    }

    /// br_pass_frame_up(): deliver to the bridge device's own stack.
    fn br_pass_frame_up(&mut self, brdev: DevRef, frame: Vec<u8>) {
        let st = &mut self.dev_mut(brdev).unwrap().stats;
        st.rx_packets += 1;
        st.rx_bytes += frame.len() as u64;
        self.capture(brdev, &frame, false);
        self.l3_receive(brdev, &frame);
        self.put_buf(frame);
    }

    fn br_forward(&mut self, to: DevRef, frame: Vec<u8>) {
        let ok = self
            .dev(to)
            .and_then(|d| d.master)
            .and_then(|m| {
                self.dev(DevRef {
                    ns: to.ns,
                    ifindex: m,
                })
            })
            .and_then(|b| b.bridge())
            .and_then(|b| b.port(to.ifindex))
            .is_some_and(|p| p.state == crate::bridge::PortState::Forwarding);
        if ok {
            self.dev_queue_xmit(to, frame);
        }
    }

    /// br_flood(): every forwarding port but the one it came in on.
    fn br_flood(&mut self, brdev: DevRef, except: Option<u32>, frame: &[u8]) {
        let ports: Vec<u32> = self
            .dev(brdev)
            .unwrap()
            .bridge()
            .unwrap()
            .ports
            .iter()
            .filter(|p| {
                Some(p.ifindex) != except
                    && p.flood
                    && p.state == crate::bridge::PortState::Forwarding
            })
            .map(|p| p.ifindex)
            .collect();
        if self.tracer.is_some() {
            let bn = self.devname(brdev);
            let n = ports.len();
            self.trace(|| Trace::Flood {
                ns: brdev.ns,
                bridge: bn,
                ports: n,
            });
        }
        for p in ports {
            self.dev_queue_xmit(
                DevRef {
                    ns: brdev.ns,
                    ifindex: p,
                },
                frame.to_vec(),
            );
        }
    }

    /// br_dev_xmit(): the bridge device itself sends.
    fn br_dev_xmit(&mut self, brdev: DevRef, frame: Vec<u8>) {
        if frame.len() < ETH_HLEN {
            return;
        }
        let dst = Mac(frame[0..6].try_into().unwrap());
        let now = self.now;
        if dst.is_multicast() {
            self.br_flood(brdev, None, &frame);
            return;
        }
        match self
            .dev(brdev)
            .unwrap()
            .bridge()
            .unwrap()
            .fdb_get(dst, now)
            .map(|e| (e.port, e.is_local))
        {
            Some((p, false)) => self.br_forward(
                DevRef {
                    ns: brdev.ns,
                    ifindex: p,
                },
                frame,
            ),
            Some((_, true)) => self.br_pass_frame_up(brdev, frame),
            None => self.br_flood(brdev, None, &frame),
        }
    }

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
        self.dev_queue_xmit(r, f);
    }

    /// arp_process(): answer requests for our addresses and update the table.
    fn arp_rcv(&mut self, r: DevRef, body: &[u8], unicast_to_us: bool) {
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

    /// neigh_update(): new link-layer address and state; flushes the queue
    /// when the entry becomes valid.
    pub(crate) fn neigh_update(
        &mut self,
        r: DevRef,
        ip: IpAddr,
        mac: Mac,
        state: NudState,
        create: bool,
    ) {
        let now = self.now;
        let ns = r.ns;
        if self.ns(ns).neigh.get(r.ifindex, ip).is_none() {
            if !create {
                return;
            }
            let mut e = Neighbour::new(NudState::Stale, now);
            e.reachable_time = self.neigh_reachable_time(r);
            // neigh_alloc(): a new entry was confirmed long ago, so using
            // it probes instead of trusting it.
            let base = self.neigh_params(r).base_reachable_time;
            e.confirmed = Time(now.0.saturating_sub(2 * base.0));
            self.ns_mut(ns).neigh.insert(r.ifindex, ip, e);
        }
        let n = self.ns_mut(ns);
        let e = n.neigh.get_mut(r.ifindex, ip).unwrap();
        if matches!(e.state, NudState::Permanent | NudState::Noarp) {
            return;
        }
        let changed_addr = e.lladdr != Some(mac);
        // A STALE update with the same address leaves a connected entry alone.
        if state == NudState::Stale && !changed_addr && e.state.valid() {
            return;
        }
        e.lladdr = Some(mac);
        e.updated = now;
        e.state = state;
        e.probes = 0;
        if state == NudState::Reachable {
            e.confirmed = now;
            e.timer = Some(now + e.reachable_time);
        } else {
            e.timer = None;
        }
        let queued = std::mem::take(&mut e.queue);
        let timer = e.timer;
        if let Some(t) = timer {
            self.schedule(
                t,
                Event::NeighTimer {
                    ns,
                    ifindex: r.ifindex,
                    ip,
                },
            );
        }
        if self.tracer.is_some() {
            let dev = self.devname(r);
            self.trace(|| Trace::Neigh { ns, dev, ip, state });
        }
        for p in queued {
            self.neigh_xmit(r, mac, p);
        }
    }

    fn neigh_reachable_time(&mut self, r: DevRef) -> Time {
        // neigh_rand_reach_time(): uniform in [base/2, 3·base/2).
        let base = self.neigh_params(r).base_reachable_time.0.max(2);
        Time(self.rng.range(base / 2, base / 2 * 3))
    }

    /// The device's net.ipv4.neigh.DEV.* knobs.
    fn neigh_params(&self, r: DevRef) -> crate::neigh::NeighParams {
        let n = self.ns(r.ns);
        match n.dev(r.ifindex) {
            Some(d) => n.sysctl.neigh_params(&d.name),
            None => crate::neigh::NeighParams::default(),
        }
    }

    /// Wraps an IP packet in Ethernet (the type from its version) and sends it.
    pub(crate) fn neigh_xmit(&mut self, r: DevRef, dst: Mac, ip: Vec<u8>) {
        let Some(d) = self.dev(r) else { return };
        if d.is_l3() {
            self.dev_queue_xmit(r, ip);
            return;
        }
        let src = d.mac;
        let ether_type: u16 = if ip.first().is_some_and(|b| b >> 4 == 6) {
            0x86dd
        } else {
            0x0800
        };
        // The header goes in front of the packet in its own buffer, as
        // eth_header() pushes it into the skb's headroom.
        let mut f = ip;
        let len = f.len();
        f.resize(len + ETH_HLEN, 0);
        f.copy_within(0..len, ETH_HLEN);
        f[0..6].copy_from_slice(&dst.0);
        f[6..12].copy_from_slice(&src.0);
        f[12..14].copy_from_slice(&ether_type.to_be_bytes());
        self.dev_queue_xmit(r, f);
    }

    /// A cleared buffer from the pool; new ones are sized for a full
    /// Ethernet frame so reuse never reallocates.
    pub(crate) fn take_buf(&mut self) -> Vec<u8> {
        self.pool.pop().unwrap_or_else(|| Vec::with_capacity(2048))
    }
    pub(crate) fn put_buf(&mut self, mut b: Vec<u8>) {
        if self.pool.len() < 256 {
            b.clear();
            self.pool.push(b);
        }
    }

    /// neigh_output() / __neigh_event_send(): send now, or queue and solicit.
    fn neigh_output(&mut self, r: DevRef, nexthop: Ipv4Addr, ip: Vec<u8>) {
        let ns = r.ns;
        let Some(d) = self.dev(r) else { return };
        if d.is_l3() && d.tunnel().is_some() {
            // An IP tunnel's neighbour is NOARP (arp_constructor), keyed on
            // 0.0.0.0 when point-to-point; the packet goes to ip_tunnel_xmit
            // with its next hop.
            let p2p = d.flags(true) & crate::dev::iff::POINTOPOINT != 0;
            let key = if p2p { Ipv4Addr::UNSPECIFIED } else { nexthop };
            self.neigh_noarp(r, key.into(), Mac::ZERO);
            self.dev_queue_xmit_nh(r, ip, nexthop);
            return;
        }
        if d.is_loopback() || d.is_tun_l3() || d.noarp || matches!(d.kind, DevKind::Dummy) {
            // NOARP devices still get a neighbour entry; loopback and
            // point-to-point links key it on 0.0.0.0 (__ipv4_neigh_lookup_noref).
            let m = if d.is_loopback() { Mac::ZERO } else { d.mac };
            let key = if d.is_loopback() || d.is_tun_l3() {
                Ipv4Addr::UNSPECIFIED
            } else {
                nexthop
            };
            self.neigh_noarp(r, key.into(), m);
            self.neigh_xmit(r, m, ip);
            return;
        }
        // An entry that exists is used whatever the address (the kernel
        // decides broadcast and multicast when it creates the entry).
        if let Some(mac) = self.neigh_connected(r, nexthop.into()) {
            self.neigh_xmit(r, mac, ip);
            return;
        }
        if nexthop.is_broadcast() || self.is_bcast_route(ns, nexthop) {
            self.neigh_xmit(r, Mac::BROADCAST, ip);
            return;
        }
        if nexthop.is_multicast() {
            let o = nexthop.octets();
            self.neigh_xmit(r, Mac([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]]), ip);
            return;
        }
        self.neigh_resolve_output(r, nexthop.into(), ip)
    }

    /// The family-independent part of neigh_output(): arp_tbl and nd_tbl
    /// entries go through the same states.
    pub(crate) fn neigh_resolve_output(&mut self, r: DevRef, nexthop: IpAddr, ip: Vec<u8>) {
        if let Some(mac) = self.neigh_connected(r, nexthop) {
            self.neigh_xmit(r, mac, ip);
            return;
        }
        let ns = r.ns;
        let now = self.now;
        let p = self.neigh_params(r);
        // A new entry starts as if it had failed, so the code below solicits.
        if self.ns(ns).neigh.get(r.ifindex, nexthop).is_none() {
            let mut e = Neighbour::new(NudState::Failed, now);
            e.reachable_time = self.neigh_reachable_time(r);
            e.updated = Time::ZERO;
            self.ns_mut(ns).neigh.insert(r.ifindex, nexthop, e);
        }
        let e = self.ns_mut(ns).neigh.get_mut(r.ifindex, nexthop).unwrap();
        match e.state {
            NudState::Stale => {
                e.used = now;
                e.state = NudState::Delay;
                e.updated = now;
                let t = now + p.delay_first_probe_time;
                e.timer = Some(t);
                let mac = e.lladdr.unwrap();
                self.neigh_arm(r, nexthop, t, NudState::Delay);
                self.neigh_xmit(r, mac, ip);
            }
            NudState::Incomplete => {
                e.used = now;
                if e.queue.len() >= p.unres_qlen {
                    e.queue.remove(0);
                    self.drop_pkt(ns, Some(r.ifindex), DropReason::NeighQueueFull);
                }
                self.ns_mut(ns)
                    .neigh
                    .get_mut(r.ifindex, nexthop)
                    .unwrap()
                    .queue
                    .push(ip);
            }
            NudState::Failed | NudState::None => {
                e.used = now;
                e.state = NudState::Incomplete;
                e.updated = now;
                e.probes = p.ucast_solicit;
                e.queue.push(ip);
                let t = now + p.retrans_time;
                e.timer = Some(t);
                self.neigh_arm(r, nexthop, t, NudState::Incomplete);
                self.neigh_probe(r, nexthop);
            }
            // The states that send at once: neigh_connected() sent the
            // packet unless the entry has no address.
            _ => self.put_buf(ip),
        }
    }

    /// The link-layer address of an entry that can send at once
    /// (neigh_event_send() returning 0), marked used; None when the slow
    /// path must run (no entry, STALE, INCOMPLETE, FAILED).
    fn neigh_connected(&mut self, r: DevRef, nexthop: IpAddr) -> Option<Mac> {
        let now = self.now;
        let e = self.ns_mut(r.ns).neigh.get_mut(r.ifindex, nexthop)?;
        if !e.state.sends_at_once() {
            return None;
        }
        // neigh_event_send() marks every use: a REACHABLE entry used
        // lately goes to DELAY, not STALE, when its time runs out.
        e.used = now;
        e.lladdr
    }

    fn is_bcast_route(&self, ns: NsId, a: Ipv4Addr) -> bool {
        self.ns(ns).fib.table(RT_TABLE_LOCAL).is_some_and(|t| {
            t.routes_for(crate::types::Prefix4::new(a, 32))
                .iter()
                .any(|r| r.rtype == RouteType::Broadcast)
        })
    }

    /// Makes sure a NOARP neighbour entry exists (arp_constructor on a NOARP device).
    pub(crate) fn neigh_noarp(&mut self, r: DevRef, key: IpAddr, mac: Mac) {
        let now = self.now;
        let table = &mut self.ns_mut(r.ns).neigh;
        if table.get(r.ifindex, key).is_none() {
            let mut e = Neighbour::new(NudState::Noarp, now);
            e.lladdr = Some(mac);
            table.insert(r.ifindex, key, e);
        }
    }

    /// Arms an entry's timer and reports its new state.
    fn neigh_arm(&mut self, r: DevRef, ip: IpAddr, at: Time, state: NudState) {
        self.schedule(
            at,
            Event::NeighTimer {
                ns: r.ns,
                ifindex: r.ifindex,
                ip,
            },
        );
        if self.tracer.is_some() {
            let dev = self.devname(r);
            self.trace(|| Trace::Neigh {
                ns: r.ns,
                dev,
                ip,
                state,
            });
        }
    }

    /// neigh_probe() → the family's solicit: arp_solicit() or ndisc_solicit().
    fn neigh_probe(&mut self, r: DevRef, ip: IpAddr) {
        match ip {
            IpAddr::V4(ip) => self.arp_solicit(r, ip),
            IpAddr::V6(ip) => self.ndisc_solicit(r, ip),
        }
    }

    /// arp_solicit(): broadcast while INCOMPLETE, unicast in PROBE.
    fn arp_solicit(&mut self, r: DevRef, ip: Ipv4Addr) {
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

    /// neigh_timer_handler().
    fn neigh_timer(&mut self, ns: NsId, ifindex: u32, ip: IpAddr) {
        if !self.ns_alive(ns) {
            return;
        }
        let now = self.now;
        let p = self.neigh_params(DevRef { ns, ifindex });
        let Some(e) = self.ns_mut(ns).neigh.get_mut(ifindex, ip) else {
            return;
        };
        if e.timer != Some(now) {
            return; // superseded
        }
        e.timer = None;
        let mut next = None;
        match e.state {
            NudState::Reachable => {
                if now < e.confirmed + e.reachable_time {
                    next = Some(e.confirmed + e.reachable_time);
                } else if now <= e.used + p.delay_first_probe_time {
                    e.state = NudState::Delay;
                    e.updated = now;
                    next = Some(now + p.delay_first_probe_time);
                } else {
                    e.state = NudState::Stale;
                    e.updated = now;
                }
            }
            NudState::Delay => {
                if now <= e.confirmed + p.delay_first_probe_time {
                    e.state = NudState::Reachable;
                    e.updated = now;
                    next = Some(e.confirmed + e.reachable_time);
                } else {
                    e.state = NudState::Probe;
                    e.updated = now;
                    e.probes = 0;
                    next = Some(now + p.retrans_time);
                }
            }
            NudState::Probe | NudState::Incomplete => {
                next = Some(now + p.retrans_time);
            }
            _ => {}
        }
        let state = e.state;
        if matches!(state, NudState::Incomplete | NudState::Probe) {
            let max = p.ucast_solicit
                + p.app_solicit
                + if state == NudState::Probe {
                    0
                } else {
                    p.mcast_solicit
                };
            if e.probes >= max {
                e.state = NudState::Failed;
                e.updated = now;
                let queued = std::mem::take(&mut e.queue);
                self.ns_mut(ns).snmp.inc(Mib::NeighResolutionFailed);
                if self.tracer.is_some() {
                    let dev = self.devname(DevRef { ns, ifindex });
                    self.trace(|| Trace::Neigh {
                        ns,
                        dev,
                        ip,
                        state: NudState::Failed,
                    });
                }
                // neigh_invalidate() → arp_error_report() → icmp_send(HOST_UNREACH),
                // or ndisc_error_report() → icmpv6_send(ADDR_UNREACH).
                for pkt in queued {
                    self.drop_pkt(ns, Some(ifindex), DropReason::NeighFailed);
                    if ip.is_ipv6() {
                        self.icmp6_send(
                            ns,
                            None,
                            &pkt,
                            icmp6::DEST_UNREACH,
                            icmp6::ADDR_UNREACH,
                            0,
                        );
                    } else {
                        self.icmp_send(ns, &pkt, icmp::DEST_UNREACH, icmp::HOST_UNREACH, 0, None);
                    }
                }
                return;
            }
        }
        if let Some(t) = next {
            self.ns_mut(ns).neigh.get_mut(ifindex, ip).unwrap().timer = Some(t);
            self.schedule(t, Event::NeighTimer { ns, ifindex, ip });
        }
        if matches!(state, NudState::Incomplete | NudState::Probe) {
            self.neigh_probe(DevRef { ns, ifindex }, ip);
        }
    }

    // ---- IPv4 -------------------------------------------------------------

    /// ip_rcv() + ip_rcv_finish(): validate, route, deliver or forward.
    fn ip_rcv(&mut self, r: DevRef, pkt: &[u8], mut skb: Skb) {
        let ns = r.ns;
        self.ns_mut(ns).snmp.inc(Mib::IpInReceives);
        // ip_rcv_core(): version 4, ihl >= 5, the header present, a total
        // length between the header's and what arrived, and a header that
        // sums to zero (ip_fast_csum, which takes 0x0000 and 0xffff alike).
        let ihl = pkt.first().map_or(0, |b| ((b & 0x0f) as usize) * 4);
        let total = match pkt.get(2..4) {
            Some(t) => u16::from_be_bytes([t[0], t[1]]) as usize,
            None => 0,
        };
        if pkt.len() < 20
            || pkt[0] >> 4 != 4
            || ihl < 20
            || pkt.len() < ihl
            || total < ihl
            || total > pkt.len()
            || checksum(&pkt[..ihl]) != 0
        {
            self.ns_mut(ns).snmp.inc(Mib::IpInHdrErrors);
            self.drop_pkt(ns, Some(r.ifindex), DropReason::IpHdr);
            return;
        }
        let pkt = &pkt[..total];
        let src = Ipv4Addr::new(pkt[12], pkt[13], pkt[14], pkt[15]);
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
        if self.ns(ns).nf.ct_enabled && u16::from_be_bytes([p[6], p[7]]) & 0x3fff != 0 {
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
        let ns = r.ns;
        let dst = Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]);
        let src = Ipv4Addr::new(pkt[12], pkt[13], pkt[14], pkt[15]);
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
        if self.tracer.is_some() {
            let res = route
                .as_ref()
                .map(|x| format!("{} {}", x.rtype.name(), x.dst))
                .unwrap_or_else(|| "none".into());
            self.trace(|| Trace::RouteLookup {
                ns,
                dst: dst.into(),
                table: None,
                result: res,
            });
        }
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

    /// ip_forward(): TTL, MTU, then out through the neighbour layer.
    fn ip_forward(&mut self, r: DevRef, pkt: &[u8], out: u32, nexthop: Ipv4Addr, mut skb: Skb) {
        let ns = r.ns;
        let ttl = pkt[8];
        let ct = skb.ct_ref();
        if ttl <= 1 {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::TtlExceeded);
            self.icmp_send(ns, pkt, icmp::TIME_EXCEEDED, 0, 0, ct);
            return;
        }
        let mtu = self.ns(ns).dev(out).map(|d| d.mtu).unwrap_or(1500) as usize;
        let df = pkt[6] & 0x40 != 0;
        if pkt.len() > mtu && df {
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
        // ip_decrease_ttl(): incremental checksum update (RFC 1624), with
        // the kernel's carry: a sum of 0xffff wraps to 0, the checksum a
        // full computation gives (the next hop recomputes it exactly).
        p[8] -= 1;
        let sum = u16::from_be_bytes([p[10], p[11]]) as u32 + 0x0100;
        let sum = sum + (sum >= 0xffff) as u32;
        p[10..12].copy_from_slice(&(sum as u16).to_be_bytes());
        self.ns_mut(ns).snmp.inc(Mib::IpForwDatagrams);
        if self.tracer.is_some() {
            let o = self.devname(DevRef { ns, ifindex: out });
            let (s, d) = (
                Ipv4Addr::new(p[12], p[13], p[14], p[15]),
                Ipv4Addr::new(p[16], p[17], p[18], p[19]),
            );
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

    /// ip_local_deliver(): hand to the protocol.
    fn ip_local_deliver(&mut self, r: DevRef, pkt: Vec<u8>, mut skb: Skb) {
        let ns = r.ns;
        let frag = u16::from_be_bytes([pkt[6], pkt[7]]);
        let mut pkt = if frag & 0x3fff != 0 {
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
        let ihl = ((pkt[0] & 0x0f) as usize) * 4;
        let proto = pkt[9];
        let src = Ipv4Addr::new(pkt[12], pkt[13], pkt[14], pkt[15]);
        let dst = Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]);
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

    /// ip_defrag(): queues a fragment; returns the whole packet once complete.
    fn ip_defrag(&mut self, ns: NsId, pkt: Vec<u8>) -> Option<Vec<u8>> {
        let ihl = ((pkt[0] & 0x0f) as usize) * 4;
        let key = (
            Ipv4Addr::new(pkt[12], pkt[13], pkt[14], pkt[15]),
            Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]),
            u16::from_be_bytes([pkt[4], pkt[5]]),
            pkt[9],
        );
        let fo = u16::from_be_bytes([pkt[6], pkt[7]]);
        let off = (fo & 0x1fff) as usize * 8;
        let mf = fo & 0x2000 != 0;
        let q = self.ns_mut(ns).frags.entry(key).or_default();
        if off == 0 {
            q.retain(|p| p.0 != 0);
            q.push((0, mf, pkt.clone()));
        } else {
            q.retain(|p| p.0 != off);
            q.push((off, mf, pkt[ihl..].to_vec()));
        }
        q.sort_by_key(|p| p.0);
        // Complete when the pieces are contiguous from 0 to a last fragment.
        let mut next = 0;
        let mut done = false;
        for (o, m, d) in q.iter() {
            if *o != next {
                return None;
            }
            next += if *o == 0 {
                d.len() - (((d[0] & 0x0f) as usize) * 4)
            } else {
                d.len()
            };
            if !*m {
                done = true;
            }
        }
        if !done {
            return None;
        }
        let parts = self.ns_mut(ns).frags.remove(&key).unwrap();
        let mut whole = parts[0].2.clone();
        let h = ((whole[0] & 0x0f) as usize) * 4;
        for (_, _, d) in &parts[1..] {
            whole.extend_from_slice(d);
        }
        let total = whole.len() as u16;
        whole[2..4].copy_from_slice(&total.to_be_bytes());
        whole[6] &= 0x40;
        whole[7] = 0;
        whole[10] = 0;
        whole[11] = 0;
        let ck = checksum(&whole[..h]);
        whole[10..12].copy_from_slice(&ck.to_be_bytes());
        Some(whole)
    }

    /// icmp_rcv(): answer echo requests, hand everything to raw sockets.
    fn icmp_rcv(&mut self, r: DevRef, pkt: &[u8], ihl: usize) {
        let ns = r.ns;
        let body = &pkt[ihl..];
        if body.len() < 8 {
            self.ns_mut(ns).snmp.inc(Mib::IcmpInErrors);
            return;
        }
        self.ns_mut(ns).snmp.inc(Mib::IcmpInMsgs);
        let src = Ipv4Addr::new(pkt[12], pkt[13], pkt[14], pkt[15]);
        let dst = Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]);
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
            if let SockKind::IcmpRaw { v6: false, rx } = &mut s.kind {
                rx.push_back(IcmpRx {
                    at: now,
                    src: src.into(),
                    dst: dst.into(),
                    ttl: pkt[8],
                    ifindex: r.ifindex,
                    ip_len: pkt.len(),
                    icmp: body.to_vec(),
                });
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
            let tos = pkt[1];
            // From the namespace's ICMP control socket (no owner).
            let skb = Skb::default();
            let locked = std::mem::replace(&mut self.icmp_xmit_locked, true);
            let _ = self.ip_send_skb(ns, saddr, src, None, 1, None, false, tos, &reply, skb);
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
        if orig.len() < 20 || self.icmp_xmit_locked {
            return;
        }
        let osrc = Ipv4Addr::new(orig[12], orig[13], orig[14], orig[15]);
        let odst = Ipv4Addr::new(orig[16], orig[17], orig[18], orig[19]);
        let frag_off = u16::from_be_bytes([orig[6], orig[7]]) & 0x1fff;
        if frag_off != 0
            || osrc.is_unspecified()
            || osrc.is_broadcast()
            || osrc.is_multicast()
            || odst.is_multicast()
            || odst.is_broadcast()
        {
            return;
        }
        if orig[9] == 1 {
            // Never an error about an ICMP error.
            let ihl = ((orig[0] & 0x0f) as usize) * 4;
            if let Some(t) = orig.get(ihl) {
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
            .route_output(ns, osrc, None, None)
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
        let ihl = ((orig[0] & 0x0f) as usize) * 4;
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
        let tos = (orig[1] & 0xfc) | 0xc0;
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

    /// ip_route_output_key(): the route, device and source for a local packet.
    /// ip_route_input_slow() for a packet from `src` to `dst` arriving on
    /// `iif`, as `ip route get ... iif DEV` asks it: local and broadcast
    /// destinations are delivered through lo; the rest needs forwarding on
    /// the device and a unicast route. Errors are what the route's dst.error
    /// would carry.
    pub fn route_input(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Ipv4Addr,
        iif: u32,
    ) -> KResult<OutRoute> {
        let n = self.ns(ns);
        let dev = n.dev(iif).ok_or(Errno::ENODEV)?;
        if src.is_unspecified() || src.is_broadcast() || src.is_multicast() {
            return Err(Errno::EINVAL.into());
        }
        let local = |rtype| OutRoute {
            dev: 1, // lo, the first device of every namespace
            src: dst,
            nexthop: dst,
            rtype,
        };
        if dst.is_broadcast() {
            return Ok(local(RouteType::Broadcast));
        }
        let forward = n.sysctl.dev_forwarding(&dev.name);
        let Some(rt) = self.fib_lookup(ns, dst, None) else {
            return Err(if forward {
                Errno::ENETUNREACH
            } else {
                Errno::EHOSTUNREACH
            }
            .into());
        };
        let err = match rt.rtype {
            RouteType::Local => return Ok(local(RouteType::Local)),
            RouteType::Broadcast => return Ok(local(RouteType::Broadcast)),
            RouteType::Unicast => None,
            RouteType::Unreachable => Some(Errno::EHOSTUNREACH),
            RouteType::Prohibit => Some(Errno::EACCES),
            RouteType::Blackhole => Some(Errno::EINVAL),
            _ => Some(Errno::ENETUNREACH),
        };
        if !forward {
            return Err(Errno::EHOSTUNREACH.into());
        }
        if let Some(e) = err {
            return Err(e.into());
        }
        Ok(OutRoute {
            dev: rt.dev.unwrap_or(iif),
            src: Ipv4Addr::UNSPECIFIED,
            nexthop: rt.gateway.unwrap_or(dst),
            rtype: RouteType::Unicast,
        })
    }

    pub fn route_output(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Option<Ipv4Addr>,
        oif: Option<u32>,
    ) -> KResult<OutRoute> {
        let n = self.ns(ns);
        if let Some(o) = oif {
            n.dev(o).ok_or(Errno::ENODEV)?;
            if dst.is_broadcast() || dst.is_multicast() {
                let s = src
                    .or_else(|| n.select_src4(o, None, Scope::Link))
                    .unwrap_or(Ipv4Addr::UNSPECIFIED);
                return Ok(OutRoute {
                    dev: o,
                    src: s,
                    nexthop: dst,
                    rtype: RouteType::Broadcast,
                });
            }
        }
        if dst.is_broadcast() {
            return Err(Errno::ENETUNREACH.into());
        }
        let rt = self.fib_lookup(ns, dst, oif);
        let Some(rt) = rt else {
            if let Some(o) = oif {
                // ip_route_output_key_hash_rcu(): with an output device and no
                // route, "assume that the destination is on link".
                let s = src
                    .or_else(|| n.select_src4(o, Some(dst), Scope::Link))
                    .unwrap_or(Ipv4Addr::UNSPECIFIED);
                return Ok(OutRoute {
                    dev: o,
                    src: s,
                    nexthop: dst,
                    rtype: RouteType::Unicast,
                });
            }
            return Err(Errno::ENETUNREACH.into());
        };
        match rt.rtype {
            RouteType::Local => {
                let s = src.or(rt.prefsrc).unwrap_or(dst);
                Ok(OutRoute {
                    dev: n.loopback_ifindex(),
                    src: s,
                    nexthop: dst,
                    rtype: RouteType::Local,
                })
            }
            RouteType::Broadcast | RouteType::Unicast | RouteType::Multicast => {
                let dev = rt.dev.ok_or(Errno::ENETUNREACH)?;
                let s = src
                    .or(rt.prefsrc)
                    .or_else(|| {
                        n.select_src4(
                            dev,
                            rt.gateway.or(Some(dst)),
                            rt.scope.min(Scope::Link).max(Scope::Universe),
                        )
                    })
                    .or_else(|| n.select_src4(dev, None, Scope::Host))
                    .unwrap_or(Ipv4Addr::UNSPECIFIED);
                Ok(OutRoute {
                    dev,
                    src: s,
                    nexthop: rt.gateway.unwrap_or(dst),
                    rtype: rt.rtype,
                })
            }
            RouteType::Unreachable | RouteType::Throw => Err(Errno::EHOSTUNREACH.into()),
            RouteType::Prohibit => Err(Errno::EACCES.into()),
            RouteType::Blackhole => Err(Errno::EINVAL.into()),
        }
    }

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

    /// ip_send() for a packet that already carries netfilter state.
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
        let rt = match self.route_output(ns, dst, src, oif) {
            Ok(rt) => rt,
            Err(e) => {
                self.ns_mut(ns).snmp.inc(Mib::IpOutNoRoutes);
                return Err(e);
            }
        };
        let ttl = ttl.unwrap_or_else(|| self.ns(ns).sysctl.default_ttl());
        let total = u16::try_from(payload.len() + 20).map_err(|_| Errno::EMSGSIZE)?;
        // `df` asks for path MTU discovery (IP_PMTUDISC_WANT): DF is set when
        // the packet fits the device, otherwise it is fragmented locally.
        let out_mtu = self
            .ns(ns)
            .dev(rt.dev)
            .map(|d| d.mtu as usize)
            .unwrap_or(1500);
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
        let dst = Ipv4Addr::new(p[16], p[17], p[18], p[19]);
        self.ns_mut(ns).snmp.inc(Mib::IpOutRequests);
        let mut rt = rt;
        if self.nf_active(ns) {
            let o = Some(rt.dev);
            if self.nf_hook(ns, Hook::LocalOut, &mut p, None, o, &mut skb) == NfVerdict::Drop {
                self.put_buf(p);
                return Err(Errno::EPERM.into());
            }
            // ip_route_me_harder(): a new destination (DNAT in OUTPUT) needs a new route.
            let ndst = Ipv4Addr::new(p[16], p[17], p[18], p[19]);
            if ndst != dst {
                let nsrc = Ipv4Addr::new(p[12], p[13], p[14], p[15]);
                match self.route_output(ns, ndst, Some(nsrc), oif) {
                    Ok(r) => rt = r,
                    Err(e) => {
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
        let out_mtu = self
            .ns(ns)
            .dev(rt.dev)
            .map(|d| d.mtu as usize)
            .unwrap_or(1500);
        if p.len() > out_mtu {
            if p[6] & 0x40 != 0 {
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
}

/// ip_fragment(): splits an IPv4 packet into fragments that fit `mtu`
/// (payload pieces a multiple of 8 bytes, the header copied without options).
pub fn ip_fragment(pkt: &[u8], mtu: usize) -> Vec<Vec<u8>> {
    let ihl = ((pkt[0] & 0x0f) as usize) * 4;
    let data = &pkt[ihl..];
    let base_off = (u16::from_be_bytes([pkt[6], pkt[7]]) & 0x1fff) as usize * 8;
    let base_mf = pkt[6] & 0x20 != 0;
    let room = ((mtu - ihl) / 8) * 8;
    let mut out = Vec::new();
    let mut off = 0;
    while off < data.len() {
        let end = (off + room).min(data.len());
        let mut f = Vec::with_capacity(ihl + end - off);
        f.extend_from_slice(&pkt[..ihl]);
        f.extend_from_slice(&data[off..end]);
        let total = f.len() as u16;
        f[2..4].copy_from_slice(&total.to_be_bytes());
        let mf = end < data.len() || base_mf;
        let fo = ((base_off + off) / 8) as u16 | if mf { 0x2000 } else { 0 };
        f[6..8].copy_from_slice(&fo.to_be_bytes());
        f[10] = 0;
        f[11] = 0;
        let ck = checksum(&f[..ihl]);
        f[10..12].copy_from_slice(&ck.to_be_bytes());
        out.push(f);
        off = end;
    }
    out
}

/// The Internet checksum (RFC 1071) of a byte string.
pub fn checksum(data: &[u8]) -> u16 {
    !csum_fold(csum_partial(data, 0))
}

/// csum_partial(): adds `data` to a running one's-complement sum. Summing
/// 32-bit words into 64 bits and folding at the end gives the same 16-bit
/// result as adding 16-bit words one by one (2^16 ≡ 1 mod 2^16 - 1), in a
/// quarter of the steps.
pub fn csum_partial(data: &[u8], mut sum: u64) -> u64 {
    let mut words = data.chunks_exact(4);
    for w in &mut words {
        sum += u32::from_be_bytes([w[0], w[1], w[2], w[3]]) as u64;
    }
    let mut tail = [0u8; 4];
    let rest = words.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    sum + u32::from_be_bytes(tail) as u64
}

/// csum_fold(): a running sum to 16 bits, end-around carries added back.
pub fn csum_fold(mut sum: u64) -> u16 {
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// Builds an ICMP echo request body (header + payload) with a valid checksum.
pub fn icmp_echo(id: u16, seq: u16, payload: &[u8]) -> Vec<u8> {
    let h = Icmpv4Header::with_checksum(
        Icmpv4Type::EchoRequest(etherparse::IcmpEchoHeader { id, seq }),
        payload,
    );
    let mut v = h.to_bytes().to_vec();
    v.extend_from_slice(payload);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// RFC 1071 as written: 16-bit words, carries folded as they come.
    fn checksum_by_halfwords(data: &[u8]) -> u16 {
        let mut sum = 0u32;
        for c in data.chunks(2) {
            sum += u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]) as u32;
            sum = (sum & 0xffff) + (sum >> 16);
        }
        !(sum as u16)
    }

    proptest! {
        #[test]
        fn wide_checksum_agrees_with_halfwords(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(checksum(&data), checksum_by_halfwords(&data));
        }

        #[test]
        fn l4_checksum_agrees_with_the_pseudo_header_spelt_out(
            src in any::<u32>(), dst in any::<u32>(), proto in any::<u8>(),
            seg in proptest::collection::vec(any::<u8>(), 0..100),
        ) {
            let mut all = Vec::new();
            all.extend_from_slice(&src.to_be_bytes());
            all.extend_from_slice(&dst.to_be_bytes());
            all.extend_from_slice(&[0, proto]);
            all.extend_from_slice(&(seg.len() as u16).to_be_bytes());
            all.extend_from_slice(&seg);
            let got = crate::sock::udp::l4_checksum(src.into(), dst.into(), proto, &seg);
            prop_assert_eq!(got, checksum_by_halfwords(&all));
        }
    }
}
