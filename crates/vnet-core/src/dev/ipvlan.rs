//! ipvlan devices (drivers/net/ipvlan/ipvlan_core.c: ipvlan_xmit_mode_l2,
//! ipvlan_xmit_mode_l3, ipvlan_handle_mode_l2, ipvlan_handle_mode_l3,
//! ipvlan_addr_lookup; ipvlan_l3s.c: ipvlan_l3_rcv).
//!
//! Every ipvlan shares its lower's MAC; frames are told apart by their IP
//! destination (the target of an ARP packet), looked up among the
//! addresses of the lower's ipvlans wherever they live. The mode belongs
//! to the port (the lower): every slave of a lower has the last one given.
//!
//! - l2: a frame a slave sends to the shared MAC goes to the slave owning
//!   the destination, or up the lower's own stack; broadcasts go to the
//!   other slaves and the wire.
//! - l3 and l3s: the slaves are NOARP (ipvlan_set_port_mode). What a slave
//!   sends to another slave's address goes to it; the rest loses its
//!   Ethernet header and is routed in the lower's namespace, out of the
//!   lower only, through that namespace's OUTPUT and POSTROUTING
//!   (ipvlan_process_v4_outbound: ip_local_out). Broadcasts and multicasts
//!   are dropped. Arriving unicasts for a slave's address go straight to it
//!   in l3; in l3s they first pass the lower namespace's PREROUTING
//!   (ip_rcv), then are routed and delivered in the slave's namespace
//!   (the l3mdev hook ipvlan_l3_rcv).

use crate::dev::{DevKind, DevRef};
use crate::error::{Errno, KResult};
use crate::ipv4::fib::RouteType;
use crate::netfilter::hook::Skb;
use crate::netfilter::Hook;
use crate::trace::DropReason;
use crate::types::Mac;
use crate::wire::ETH_HLEN;
use crate::World;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IPVLAN_MODE_* (include/uapi/linux/if_link.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IpvlanMode {
    L2,
    L3,
    L3s,
}

impl IpvlanMode {
    pub fn name(self) -> &'static str {
        match self {
            IpvlanMode::L2 => "l2",
            IpvlanMode::L3 => "l3",
            IpvlanMode::L3s => "l3s",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Ipvlan {
    pub lower: DevRef,
    pub mode: IpvlanMode,
}

impl World {
    /// ipvlan_link_new()'s checks: an Ethernet lower that is no ipvlan
    /// (ipvlans nest on the lower's lower), a free rx_handler, the MTU.
    pub(crate) fn ipvlan_check(&self, lower: Option<DevRef>, mtu: Option<u32>) -> KResult<DevRef> {
        let Some(mut lr) = lower else {
            return Err(Errno::EINVAL.into());
        };
        if let Some(DevKind::Ipvlan(v)) = self.dev(lr).map(|d| &d.kind) {
            lr = v.lower;
        }
        let ld = self.dev(lr).ok_or(Errno::ENODEV)?;
        if !ld.is_ether() || ld.is_loopback() {
            return Err(Errno::EINVAL.into());
        }
        let has_macvlan = ld
            .uppers
            .iter()
            .any(|u| matches!(self.dev(*u).map(|d| &d.kind), Some(DevKind::Macvlan(_))));
        if ld.master.is_some() || has_macvlan {
            return Err(Errno::EBUSY.into());
        }
        if mtu.is_some_and(|m| m > ld.mtu) {
            return Err(Errno::EINVAL.into());
        }
        Ok(lr)
    }

    /// ipvlan_get_L3_hdr() + ipvlan_addr_lookup(): the up slave of `lower`
    /// that owns the frame's destination address.
    fn ipvlan_lookup(&self, lower: DevRef, frame: &[u8]) -> Option<DevRef> {
        let dst = l3_dst(frame)?;
        let ld = self.dev(lower)?;
        ld.uppers.iter().copied().find(|u| {
            self.dev(*u)
                .is_some_and(|d| d.up && matches!(d.kind, DevKind::Ipvlan(_)))
                && match dst {
                    IpAddr::V4(a) => self.ns(u.ns).addrs4_of(u.ifindex).any(|x| x.local == a),
                    IpAddr::V6(a) => self
                        .ns(u.ns)
                        .addrs6()
                        .iter()
                        .any(|x| x.ifindex == u.ifindex && x.addr == a),
                }
        })
    }

    /// The port's mode: what the lower's ipvlans share.
    pub(crate) fn ipvlan_port_mode(&self, lower: DevRef) -> Option<IpvlanMode> {
        let ld = self.dev(lower)?;
        ld.uppers
            .iter()
            .find_map(|u| match self.dev(*u).map(|d| &d.kind) {
                Some(DevKind::Ipvlan(v)) => Some(v.mode),
                _ => None,
            })
    }

    /// ipvlan_set_port_mode(): every slave of `lower` takes `mode`, and is
    /// NOARP in l3 and l3s.
    pub(crate) fn ipvlan_set_port_mode(&mut self, lower: DevRef, mode: IpvlanMode) {
        let uppers = self
            .dev(lower)
            .map(|d| d.uppers.clone())
            .unwrap_or_default();
        for u in uppers {
            if let Some(d) = self.dev_mut(u) {
                if let DevKind::Ipvlan(v) = &mut d.kind {
                    v.mode = mode;
                    d.noarp = mode != IpvlanMode::L2;
                }
            }
        }
    }

    /// ipvlan_queue_xmit(): by the port's mode.
    pub(crate) fn ipvlan_xmit(&mut self, r: DevRef, frame: Vec<u8>) {
        let Some(DevKind::Ipvlan(v)) = self.dev(r).map(|d| &d.kind) else {
            return;
        };
        if v.mode != IpvlanMode::L2 {
            self.ipvlan_xmit_l3(r, v.lower, frame);
            return;
        }
        let lower = v.lower;
        let st = &mut self.dev_mut(r).unwrap().stats;
        st.tx_packets += 1;
        st.tx_bytes += frame.len() as u64;
        if frame.len() < ETH_HLEN {
            self.put_buf(frame);
            return;
        }
        if frame[..6] == frame[6..12] {
            // To the shared MAC: a slave's address, else the lower's stack.
            match self.ipvlan_lookup(lower, &frame) {
                Some(u) => self.dev_forward_skb(u, frame),
                None => self.dev_forward_skb(lower, frame),
            }
            return;
        }
        if frame[0] & 1 == 1 {
            // ipvlan_multicast_enqueue(tx): the other slaves, then the wire.
            self.ipvlan_multicast(lower, Some(r), &frame, true);
        }
        self.dev_queue_xmit(lower, frame);
    }

    /// Copies of a broadcast for every up slave but the sender.
    fn ipvlan_multicast(&mut self, lower: DevRef, from: Option<DevRef>, frame: &[u8], tx: bool) {
        let slaves: Vec<DevRef> = self
            .dev(lower)
            .map(|d| d.uppers.clone())
            .unwrap_or_default()
            .into_iter()
            .filter(|u| Some(*u) != from)
            .filter(|u| {
                self.dev(*u)
                    .is_some_and(|d| d.up && matches!(d.kind, DevKind::Ipvlan(_)))
            })
            .collect();
        for u in slaves {
            let mut c = self.take_buf();
            c.extend_from_slice(frame);
            if tx {
                self.dev_forward_skb(u, c);
            } else {
                self.netif_receive(u, c);
            }
        }
    }

    /// ipvlan_xmit_mode_l3(): to a slave of the port, else out through
    /// the lower namespace's stack (ipvlan_process_outbound).
    fn ipvlan_xmit_l3(&mut self, r: DevRef, lower: DevRef, frame: Vec<u8>) {
        let len = frame.len() as u64;
        if frame.len() < ETH_HLEN {
            self.ipvlan_tx_drop(r, frame);
            return;
        }
        if let Some(u) = self.ipvlan_lookup(lower, &frame) {
            // ipvlan_rcv_frame(local): dev_forward_skb() to the owner.
            self.ipvlan_count_tx(r, len);
            self.dev_forward_skb(u, frame);
            return;
        }
        if frame[0] & 1 == 1 {
            // "Dropped {multi|broad}cast of type=": no L2 traffic in l3.
            self.ipvlan_tx_drop(r, frame);
            return;
        }
        let ok = match u16::from_be_bytes([frame[12], frame[13]]) {
            0x0800 => self.ipvlan_process_v4_outbound(lower, &frame[ETH_HLEN..]),
            0x86dd => self.ipvlan_process_v6_outbound(lower, &frame[ETH_HLEN..]),
            _ => false,
        };
        if ok {
            self.ipvlan_count_tx(r, len);
            self.put_buf(frame);
        } else {
            self.ipvlan_tx_drop(r, frame);
        }
    }

    fn ipvlan_count_tx(&mut self, r: DevRef, len: u64) {
        if let Some(d) = self.dev_mut(r) {
            d.stats.tx_packets += 1;
            d.stats.tx_bytes += len;
        }
    }

    /// ipvlan_start_xmit(): what was not sent counts as tx_dropped.
    fn ipvlan_tx_drop(&mut self, r: DevRef, frame: Vec<u8>) {
        if let Some(d) = self.dev_mut(r) {
            d.stats.tx_dropped += 1;
        }
        self.drop_pkt(r.ns, Some(r.ifindex), DropReason::OutNoRoute);
        self.put_buf(frame);
    }

    /// ipvlan_process_v4_outbound(): a route in the lower's namespace out
    /// of the lower (unicast or local), then ip_local_out() there. A
    /// failed lookup counts as the lower's tx_errors.
    fn ipvlan_process_v4_outbound(&mut self, lower: DevRef, pkt: &[u8]) -> bool {
        let Some(h) = crate::wire::ipv4::Ipv4Hdr::new(pkt) else {
            return false;
        };
        let (src, dst) = (h.src(), h.dst());
        let ns = lower.ns;
        let fl = crate::flow::Flowi4 {
            saddr: src,
            oif: Some(lower.ifindex),
            ..crate::flow::Flowi4::to(dst)
        };
        let rt = match self.route_output(ns, &fl) {
            Ok(rt) if matches!(rt.rtype, RouteType::Unicast | RouteType::Local) => rt,
            _ => {
                if let Some(d) = self.dev_mut(lower) {
                    d.stats.tx_errors += 1;
                }
                return false;
            }
        };
        let mut p = self.take_buf();
        p.extend_from_slice(pkt);
        self.ip_local_out(ns, p, rt, Some(lower.ifindex), Skb::default())
            .is_ok()
    }

    /// ipvlan_process_v6_outbound(): the same for IPv6 (ip6_local_out).
    fn ipvlan_process_v6_outbound(&mut self, lower: DevRef, pkt: &[u8]) -> bool {
        if pkt.len() < 40 {
            return false;
        }
        let src = Ipv6Addr::from(<[u8; 16]>::try_from(&pkt[8..24]).unwrap());
        let dst = Ipv6Addr::from(<[u8; 16]>::try_from(&pkt[24..40]).unwrap());
        let ns = lower.ns;
        let Ok(rt) = self.route6_output(ns, dst, Some(src), Some(lower.ifindex)) else {
            if let Some(d) = self.dev_mut(lower) {
                d.stats.tx_errors += 1;
            }
            return false;
        };
        let mut p = self.take_buf();
        p.extend_from_slice(pkt);
        let o = Some(rt.dev);
        let mut skb = Skb::default();
        if !self.nf6(ns, Hook::LocalOut, &mut p, None, o, &mut skb)
            || !self.nf6(ns, Hook::PostRouting, &mut p, None, o, &mut skb)
        {
            self.put_buf(p);
            return false;
        }
        let out = DevRef {
            ns,
            ifindex: rt.dev,
        };
        self.ip6_finish_output2(out, rt.nexthop, p);
        true
    }

    /// ipvlan_l3_rcv(), the l3mdev hook of ip_rcv_finish() on a lower whose
    /// port is l3s: the slave owning the destination of an IPv4 packet
    /// that arrived on `r` and passed its PREROUTING.
    pub(crate) fn ipvlan_l3s_slave(&self, r: DevRef, pkt: &[u8]) -> Option<DevRef> {
        let d = self.dev(r)?;
        if d.uppers.is_empty() || self.ipvlan_port_mode(r) != Some(IpvlanMode::L3s) {
            return None;
        }
        let h = crate::wire::ipv4::Ipv4Hdr::new(pkt)?;
        let dst = h.dst();
        d.uppers.iter().copied().find(|u| {
            self.dev(*u)
                .is_some_and(|d| d.up && matches!(d.kind, DevKind::Ipvlan(_)))
                && self.ns(u.ns).addrs4_of(u.ifindex).any(|x| x.local == dst)
        })
    }

    /// ipvlan_handle_frame(), the lower's rx_handler.
    pub(crate) fn ipvlan_receive(&mut self, lower: DevRef, frame: &[u8]) -> bool {
        if frame.len() < ETH_HLEN {
            return false;
        }
        match self.ipvlan_port_mode(lower) {
            // l3s: RX_HANDLER_PASS, the lower's stack and the l3mdev hook.
            Some(IpvlanMode::L3s) | None => return false,
            Some(IpvlanMode::L3) => {
                // ipvlan_handle_mode_l3(): unicasts for a slave's address.
                if frame[0] & 1 == 1 {
                    return false;
                }
                return match self.ipvlan_lookup(lower, frame) {
                    Some(u) => {
                        let mut c = self.take_buf();
                        c.extend_from_slice(frame);
                        self.netif_receive(u, c);
                        true
                    }
                    None => false,
                };
            }
            Some(IpvlanMode::L2) => {}
        }
        if frame[0] & 1 == 1 {
            // ipvlan_external_frame(): our own broadcasts coming back are
            // not given to the slaves again.
            let lmac = self.dev(lower).map(|d| d.mac).unwrap_or(Mac::ZERO);
            let own = frame[6..12] == lmac.0 && self.ipvlan_src_is_slave(lower, frame);
            if !own {
                self.ipvlan_multicast(lower, None, frame, false);
            }
            return false;
        }
        match self.ipvlan_lookup(lower, frame) {
            Some(u) => {
                let mut c = self.take_buf();
                c.extend_from_slice(frame);
                self.netif_receive(u, c);
                true
            }
            None => false,
        }
    }

    fn ipvlan_src_is_slave(&self, lower: DevRef, frame: &[u8]) -> bool {
        let Some(src) = l3_src(frame) else {
            return false;
        };
        let Some(ld) = self.dev(lower) else {
            return false;
        };
        ld.uppers.iter().any(|u| match src {
            IpAddr::V4(a) => self.ns(u.ns).addrs4_of(u.ifindex).any(|x| x.local == a),
            IpAddr::V6(a) => self
                .ns(u.ns)
                .addrs6()
                .iter()
                .any(|x| x.ifindex == u.ifindex && x.addr == a),
        })
    }
}

/// The address a frame is for: IPv4/IPv6 destination, ARP target, the
/// target of a neighbour solicitation.
fn l3_dst(f: &[u8]) -> Option<IpAddr> {
    let p = f.get(ETH_HLEN..)?;
    match u16::from_be_bytes([f[12], f[13]]) {
        0x0800 if p.len() >= 20 => Some(IpAddr::V4(Ipv4Addr::new(p[16], p[17], p[18], p[19]))),
        0x0806 if p.len() >= 28 => Some(IpAddr::V4(Ipv4Addr::new(p[24], p[25], p[26], p[27]))),
        0x86dd if p.len() >= 40 => {
            // An NS (ICMPv6 135) is looked up by its target.
            if p[6] == 58 && p.len() >= 64 && p[40] == 135 {
                let t: [u8; 16] = p[48..64].try_into().ok()?;
                return Some(IpAddr::V6(Ipv6Addr::from(t)));
            }
            let d: [u8; 16] = p[24..40].try_into().ok()?;
            Some(IpAddr::V6(Ipv6Addr::from(d)))
        }
        _ => None,
    }
}

/// The address a frame is from (ARP: the sender's).
fn l3_src(f: &[u8]) -> Option<IpAddr> {
    let p = f.get(ETH_HLEN..)?;
    match u16::from_be_bytes([f[12], f[13]]) {
        0x0800 if p.len() >= 20 => Some(IpAddr::V4(Ipv4Addr::new(p[12], p[13], p[14], p[15]))),
        0x0806 if p.len() >= 28 => Some(IpAddr::V4(Ipv4Addr::new(p[14], p[15], p[16], p[17]))),
        0x86dd if p.len() >= 40 => {
            let s: [u8; 16] = p[8..24].try_into().ok()?;
            Some(IpAddr::V6(Ipv6Addr::from(s)))
        }
        _ => None,
    }
}
