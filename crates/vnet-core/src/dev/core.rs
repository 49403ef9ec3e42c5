//! net/core/dev.c: frames entering (netif_receive, the ethertype dispatch)
//! and leaving (dev_queue_xmit, the taps) a device; device names.

use crate::dev::{DevKind, DevRef};
use crate::error::{Errno, KResult};
use crate::netfilter::hook::Skb;
use crate::sock::{Captured, SockKind};
use crate::trace::{DropReason, PktId, Trace};
use crate::types::{Mac, NsId};
use crate::wire::ETH_HLEN;
use crate::world::Event;
use crate::world::World;
use crate::world::HOP_LATENCY;
use etherparse::{EtherType, Ethernet2Header};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

impl World {
    pub(crate) fn devname(&self, r: DevRef) -> String {
        self.dev(r).map(|d| d.name.clone()).unwrap_or_default()
    }

    /// Hands a copy to every packet socket that listens on the device (dev_queue_xmit_nit
    /// for outgoing, __netif_receive_skb_core's taps for incoming). On loopback a frame
    /// is seen twice, leaving and arriving: the kernel counts both copies, and libpcap
    /// drops the outgoing one (tcpdump's "received by filter" shows the difference).
    pub(crate) fn capture(&mut self, r: DevRef, data: &[u8], outgoing: bool) {
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
            if let SockKind::Packet { ifindex, .. } = &s.kind {
                if ifindex.is_none_or(|i| i == r.ifindex) && s.charge(data.len()) {
                    let SockKind::Packet { rx, .. } = &mut s.kind else {
                        continue;
                    };
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
        if self.cur_pkt() == PktId::NONE {
            // A frame nobody made through a socket or the stack (written to
            // a tap, say): a packet of its own from here on.
            self.made(r.ns, |w| w.xmit(r, frame, nexthop));
        } else {
            self.xmit(r, frame, nexthop);
        }
    }

    fn xmit(&mut self, r: DevRef, frame: Vec<u8>, nexthop: Ipv4Addr) {
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
            // A VRF's own transmit (vrf_xmit) is not simulated: it swallows as dummy does.
            DevKind::Dummy | DevKind::Vrf { .. } => 5,
            DevKind::Tunnel(_) => 6,
            DevKind::Vxlan(_) => 7,
            DevKind::Nic { segment } => match segment {
                Some(_) => 8,
                None => 5,
            },
            DevKind::Vlan(_) => 9,
            DevKind::Macvlan(_) => 10,
            DevKind::Ipvlan(_) => 11,
            DevKind::Ifb => 12,
            DevKind::Bond(_) => 13,
        };
        if kind == 4 {
            // tun_net_xmit with no queue attached: counted as a tx drop.
            self.dev_mut(r).unwrap().stats.tx_dropped += 1;
            self.drop_pkt(r.ns, Some(r.ifindex), DropReason::TapNotAttached);
            return;
        }
        self.capture(r, &frame, true);
        let len = frame.len() as u64;
        if self.tracer.is_some() {
            self.trace_frame(r, &frame, true);
        }
        match kind {
            0 => {
                if !self.backlog_admit() {
                    // __netif_rx() refused it: counted on lo only.
                    self.dev_mut(r).unwrap().stats.rx_dropped += 1;
                    self.drop_pkt(r.ns, Some(r.ifindex), DropReason::Backlog);
                    self.put_buf(frame);
                    return;
                }
                // loopback_xmit counts after eth_type_trans pulled the header.
                let st = &mut self.dev_mut(r).unwrap().stats;
                st.tx_packets += 1;
                st.tx_bytes += len.saturating_sub(ETH_HLEN as u64);
                self.schedule(
                    self.now + HOP_LATENCY,
                    Event::Rx {
                        dev: r,
                        frame,
                        pkt: self.cur_pkt(),
                    },
                );
            }
            1 => {
                let peer = self.dev(r).unwrap().iflink().unwrap();
                if self.dev(peer).is_some_and(|p| p.up) && !self.backlog_admit() {
                    // veth_xmit(): the peer's backlog refused it, counted
                    // on both ends (the peer's core rx_dropped, this
                    // veth's dropped shown as tx_dropped).
                    self.dev_mut(peer).unwrap().stats.rx_dropped += 1;
                    self.dev_mut(r).unwrap().stats.tx_dropped += 1;
                    self.drop_pkt(r.ns, Some(r.ifindex), DropReason::Backlog);
                    self.put_buf(frame);
                } else if self.dev(peer).is_some_and(|p| p.up) {
                    let st = &mut self.dev_mut(r).unwrap().stats;
                    st.tx_packets += 1;
                    st.tx_bytes += len;
                    self.schedule(
                        self.now + HOP_LATENCY,
                        Event::Rx {
                            dev: peer,
                            frame,
                            pkt: self.cur_pkt(),
                        },
                    );
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
            // The stacked devices count what they pass down.
            9 => self.vlan_xmit(r, frame),
            10 => self.macvlan_xmit(r, frame),
            11 => self.ipvlan_xmit(r, frame),
            12 => self.ifb_xmit(r, frame),
            // bond_start_xmit() counts what it sends on.
            13 => self.bond_xmit(r, frame),
            _ => {
                let st = &mut self.dev_mut(r).unwrap().stats;
                st.tx_packets += 1;
                st.tx_bytes += len;
            }
        }
    }

    /// A frame seen on a device, for the trace (tx or rx, as captured).
    fn trace_frame(&mut self, r: DevRef, frame: &[u8], tx: bool) {
        let dev = self.devname(r);
        let ether = !self.dev(r).is_some_and(|d| d.is_l3());
        let mut copy = self.take_buf();
        copy.extend_from_slice(frame);
        let frame = copy;
        let ns = r.ns;
        self.trace(|| match tx {
            true => Trace::Tx {
                ns,
                dev,
                frame,
                ether,
            },
            false => Trace::Rx {
                ns,
                dev,
                frame,
                ether,
            },
        });
    }

    /// __netif_receive_skb(): a frame arrives on a device.
    pub(crate) fn netif_receive(&mut self, r: DevRef, frame: Vec<u8>) {
        let Some(d) = self.dev(r) else { return };
        if !d.up {
            self.drop_pkt(r.ns, Some(r.ifindex), DropReason::DevDown);
            return;
        }
        let master = d.master;
        let has_uppers = !d.uppers.is_empty();
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
            self.trace_frame(r, &frame, false);
        }
        if has_uppers && self.upper_receive(r, &frame) {
            self.put_buf(frame);
            return;
        }
        // A VRF has no rx_handler: its slaves' frames go up the stack
        // (vrf_l3_rcv() only changes which device IP sees).
        if let Some(m) = master.filter(|&m| !self.is_l3_master(r.ns, m)) {
            if self.is_bond(r.ns, m) {
                self.bond_handle_frame(r, m, frame);
            } else {
                self.br_handle_frame(r, m, frame);
            }
            return;
        }
        self.l3_receive(r, &frame);
        self.put_buf(frame);
    }

    /// What __netif_receive_skb_core() does for a device with uppers before
    /// the protocols see the frame: vlan_do_receive() for tagged frames,
    /// then the rx_handler (macvlan or ipvlan). True when an upper took it.
    fn upper_receive(&mut self, r: DevRef, frame: &[u8]) -> bool {
        if self.vlan_receive(r, frame) {
            return true;
        }
        let Some(d) = self.dev(r) else { return false };
        let handler = d
            .uppers
            .iter()
            .find_map(|u| match self.dev(*u).map(|d| &d.kind) {
                Some(DevKind::Macvlan(_)) => Some(true),
                Some(DevKind::Ipvlan(_)) => Some(false),
                _ => None,
            });
        match handler {
            Some(true) => self.macvlan_receive(r, frame),
            Some(false) => self.ipvlan_receive(r, frame),
            None => false,
        }
    }

    /// Protocol dispatch after the bridge hook (eth_type_trans + ptype handlers).
    pub(crate) fn l3_receive(&mut self, r: DevRef, frame: &[u8]) {
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
                // The link header, for LOG and for log_martians.
                let mut h = [0u8; ETH_HLEN];
                h.copy_from_slice(&frame[..ETH_HLEN]);
                skb.mac = Some(h);
                self.ip_rcv(r, &frame[ETH_HLEN..], skb);
            }
            EtherType::IPV6 => self.ipv6_rcv(r, &frame[ETH_HLEN..], !for_us),
            _ => self.drop_pkt(r.ns, Some(r.ifindex), DropReason::UnhandledEtherType),
        }
    }

    // ---- links ------------------------------------------------------------

    pub(crate) fn check_name(&self, ns: NsId, name: &str) -> KResult<()> {
        if self.ns(ns).dev_by_name(name).is_some() {
            return Err(Errno::EEXIST.into());
        }
        Ok(())
    }

    /// Picks the first free name from a pattern with `%d` (dev_alloc_name).
    pub fn alloc_name(&self, ns: NsId, pattern: &str) -> String {
        (0..)
            .map(|i| pattern.replace("%d", &i.to_string()))
            .find(|n| self.ns(ns).dev_by_name(n).is_none())
            .unwrap()
    }

    /// The ifindex-to-name map of a namespace (for formatting).
    pub fn ifnames(&self, ns: NsId) -> BTreeMap<u32, String> {
        self.ns(ns)
            .devs
            .values()
            .map(|d| (d.ifindex, d.name.clone()))
            .collect()
    }

    /// unregister_netdevice() of one device (no peers, no fallback check).
    pub(crate) fn unregister_dev(&mut self, ns: NsId, ifindex: u32) {
        self.unregister(ns, ifindex)
    }

    pub(crate) fn unregister(&mut self, ns: NsId, ifindex: u32) {
        let me = DevRef { ns, ifindex };
        // NETDEV_UNREGISTER: the vlans, macvlans and ipvlans on a device go
        // with it (stacks are bounded by their creation order).
        let uppers = self.dev(me).map(|d| d.uppers.clone()).unwrap_or_default();
        for u in uppers {
            if self.dev(u).is_some() {
                self.unregister(u.ns, u.ifindex);
            }
        }
        if let Some(l) = self.dev(me).and_then(|d| d.kind.lower()) {
            let passthru = matches!(self.dev(me).map(|d| &d.kind),
                Some(DevKind::Macvlan(m)) if m.mode == crate::dev::macvlan::MacvlanMode::Passthru);
            if let Some(ld) = self.dev_mut(l) {
                ld.uppers.retain(|u| *u != me);
                if passthru {
                    ld.promisc = ld.promisc.saturating_sub(1);
                }
            }
        }
        // A bond releases its slaves first (bond_uninit()).
        let slaves: Vec<u32> = match self.dev(me).map(|d| &d.kind) {
            Some(DevKind::Bond(b)) => b.slaves.iter().map(|s| s.ifindex).collect(),
            _ => Vec::new(),
        };
        for s in slaves {
            self.bond_release(ns, ifindex, s);
        }
        // vrf_dellink(): each port is released (and cycled back to main).
        if self.is_l3_master(ns, ifindex) {
            let ports: Vec<u32> = self
                .ns(ns)
                .devs
                .values()
                .filter(|d| d.master == Some(ifindex))
                .map(|d| d.ifindex)
                .collect();
            for p in ports {
                self.vrf_del_slave(ns, p);
            }
        }
        let _ = self.set_up(ns, ifindex, false);
        if let Some(m) = self.ns(ns).dev(ifindex).and_then(|d| d.master) {
            self.master_release(ns, m, ifindex);
        }
        self.notify_unregister(me);
        self.nexthop_flush_dev(ns, ifindex, true);
        self.lw_urgent.retain(|x| *x != me);
        let n = self.ns_mut(ns);
        let name = n.devs.remove(&ifindex).map(|d| d.name).unwrap_or_default();
        n.addrs4.retain(|a| a.ifindex != ifindex);
        n.addrs6.retain(|a| a.ifindex != ifindex);
        // ip_mc_destroy_dev(): the groups go, unreported.
        n.mc4.remove(&ifindex);
        n.neigh.flush_dev(ifindex, false);
        n.routes6.retain(|r| r.dev != Some(ifindex));
        n.sysctl.rename_dev(&name, None);
        for t in n.fib.tables.values_mut() {
            // NETDEV_UNREGISTER kills a route with any next hop through it.
            t.retain(|r| !r.uses_dev(ifindex));
        }
        self.sockets_dev_gone(ns, ifindex);
        self.refresh_carriers(ns);
    }
}
