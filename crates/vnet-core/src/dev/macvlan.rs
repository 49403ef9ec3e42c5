//! macvlan and macvtap devices (drivers/net/macvlan.c: macvlan_common_newlink,
//! macvlan_queue_xmit, macvlan_handle_frame, macvlan_broadcast).
//!
//! Each macvlan has a MAC of its own on a shared lower device (the
//! "port"). Frames arriving on the lower for a macvlan's MAC go to it;
//! broadcasts and multicasts go to every macvlan and to the lower. What a
//! macvlan sends leaves through the lower, except in bridge mode, where a
//! frame for another bridge-mode macvlan on the same lower goes straight to
//! it. Nothing a macvlan sends ever reaches its lower's own stack: a host
//! cannot talk to its own macvlans through the lower's address (the
//! well-known trap). Only macvlans that are up are in the port's hash.

use crate::dev::{DevKind, DevRef};
use crate::error::{Errno, KResult};
use crate::types::Mac;
use crate::wire::ETH_HLEN;
use crate::World;
use serde::{Deserialize, Serialize};

/// MACVLAN_MODE_* (include/uapi/linux/if_link.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MacvlanMode {
    Private,
    Vepa,
    Bridge,
    Passthru,
    Source,
}

impl MacvlanMode {
    pub fn name(self) -> &'static str {
        match self {
            MacvlanMode::Private => "private",
            MacvlanMode::Vepa => "vepa",
            MacvlanMode::Bridge => "bridge",
            MacvlanMode::Passthru => "passthru",
            MacvlanMode::Source => "source",
        }
    }
    pub fn parse(s: &str) -> Option<MacvlanMode> {
        Some(match s {
            "private" => MacvlanMode::Private,
            "vepa" => MacvlanMode::Vepa,
            "bridge" => MacvlanMode::Bridge,
            "passthru" => MacvlanMode::Passthru,
            "source" => MacvlanMode::Source,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Macvlan {
    pub lower: DevRef,
    pub mode: MacvlanMode,
    /// macvtap: the same device, read through /dev/tapN (no reader here).
    pub tap: bool,
    /// IFLA_MACVLAN_BC_QUEUE_LEN as asked.
    pub bcqueuelen: u32,
}

impl World {
    /// macvlan_common_newlink()'s checks: an Ethernet lower, which is the
    /// real device under a macvlan (macvlans nest on the lower's lower);
    /// passthru only alone on its port; an MTU no larger than the lower's.
    pub(crate) fn macvlan_check(
        &self,
        lower: Option<DevRef>,
        mode: MacvlanMode,
        mtu: Option<u32>,
    ) -> KResult<DevRef> {
        let Some(mut lr) = lower else {
            return Err(Errno::EINVAL.into());
        };
        if let Some(DevKind::Macvlan(m)) = self.dev(lr).map(|d| &d.kind) {
            lr = m.lower;
        }
        let ld = self.dev(lr).ok_or(Errno::ENODEV)?;
        if !ld.is_ether() || ld.is_loopback() {
            return Err(Errno::EINVAL.into());
        }
        if ld.master.is_some() || ld.uppers.iter().any(|u| self.is_ipvlan(*u)) {
            // netdev_rx_handler_register(): a bridge port or an ipvlan
            // lower already has its rx_handler.
            return Err(Errno::EBUSY.into());
        }
        let macvlans: Vec<&MacvlanMode> = ld
            .uppers
            .iter()
            .filter_map(|u| match self.dev(*u).map(|d| &d.kind) {
                Some(DevKind::Macvlan(m)) => Some(&m.mode),
                _ => None,
            })
            .collect();
        if macvlans.contains(&&MacvlanMode::Passthru)
            || (mode == MacvlanMode::Passthru && !macvlans.is_empty())
        {
            return Err(Errno::EINVAL.into());
        }
        if mtu.is_some_and(|m| m > ld.mtu) {
            return Err(Errno::EINVAL.into());
        }
        Ok(lr)
    }

    /// dev->uc_promisc: a lower without unicast filtering (veth) turns
    /// promiscuous while it is up and a macvlan's address is on its list
    /// (macvlan_open's dev_uc_add, __dev_set_rx_mode).
    pub fn uc_promisc(&self, lower: DevRef) -> bool {
        let Some(ld) = self.dev(lower) else {
            return false;
        };
        ld.up
            && ld.uppers.iter().any(|u| {
                self.dev(*u).is_some_and(|d| {
                    d.up && d.mac != ld.mac
                        && matches!(&d.kind, DevKind::Macvlan(m) if m.mode != MacvlanMode::Passthru)
                })
            })
    }

    fn is_ipvlan(&self, r: DevRef) -> bool {
        matches!(self.dev(r).map(|d| &d.kind), Some(DevKind::Ipvlan(_)))
    }

    /// The up macvlans of a lower (the port's hash), with their MACs and modes.
    fn macvlan_port(&self, lower: DevRef) -> Vec<(DevRef, Mac, MacvlanMode)> {
        let Some(ld) = self.dev(lower) else {
            return Vec::new();
        };
        ld.uppers
            .iter()
            .filter_map(|u| {
                let d = self.dev(*u)?;
                match &d.kind {
                    DevKind::Macvlan(m) if d.up => Some((*u, d.mac, m.mode)),
                    _ => None,
                }
            })
            .collect()
    }

    /// macvlan_queue_xmit().
    pub(crate) fn macvlan_xmit(&mut self, r: DevRef, frame: Vec<u8>) {
        let Some(DevKind::Macvlan(m)) = self.dev(r).map(|d| &d.kind) else {
            return;
        };
        let (lower, mode) = (m.lower, m.mode);
        let st = &mut self.dev_mut(r).unwrap().stats;
        st.tx_packets += 1;
        st.tx_bytes += frame.len() as u64;
        if mode == MacvlanMode::Bridge && frame.len() >= ETH_HLEN {
            let mut dst = [0u8; 6];
            dst.copy_from_slice(&frame[..6]);
            let dst = Mac(dst);
            if dst.is_multicast() {
                // macvlan_broadcast(MACVLAN_MODE_BRIDGE): the other
                // bridge-mode macvlans get a copy, then the wire.
                for (u, _, um) in self.macvlan_port(lower) {
                    if u != r && um == MacvlanMode::Bridge {
                        let mut c = self.take_buf();
                        c.extend_from_slice(&frame);
                        self.dev_forward_skb(u, c);
                    }
                }
            } else if let Some((u, _, _)) = self
                .macvlan_port(lower)
                .into_iter()
                .find(|(_, mac, um)| *mac == dst && *um == MacvlanMode::Bridge)
            {
                // dev_forward_skb() to the other macvlan: never on the wire.
                self.dev_forward_skb(u, frame);
                return;
            }
        }
        self.dev_queue_xmit(lower, frame);
    }

    /// dev_forward_skb(): a frame handed to another device's receive
    /// path through the backlog (as a veth does), not on any wire.
    pub(crate) fn dev_forward_skb(&mut self, to: DevRef, frame: Vec<u8>) {
        if !self.backlog_admit() {
            if let Some(d) = self.dev_mut(to) {
                d.stats.rx_dropped += 1;
            }
            self.drop_pkt(to.ns, Some(to.ifindex), crate::trace::DropReason::Backlog);
            self.put_buf(frame);
            return;
        }
        let pkt = self.cur_pkt();
        self.schedule(
            self.now + crate::world::HOP_LATENCY,
            crate::world::Event::Rx {
                dev: to,
                frame,
                pkt,
            },
        );
    }

    /// macvlan_handle_frame(), the lower's rx_handler. True when a macvlan
    /// consumed the frame; broadcasts go to the macvlans and on to the lower.
    pub(crate) fn macvlan_receive(&mut self, lower: DevRef, frame: &[u8]) -> bool {
        if frame.len() < ETH_HLEN {
            return false;
        }
        let port = self.macvlan_port(lower);
        if port.is_empty() {
            return false;
        }
        let mut dst = [0u8; 6];
        dst.copy_from_slice(&frame[..6]);
        let mut src = [0u8; 6];
        src.copy_from_slice(&frame[6..12]);
        let (dst, src) = (Mac(dst), Mac(src));
        if dst.is_multicast() {
            // A frame one of our macvlans sent, reflected by the switch:
            // macvlan_process_broadcast() spares the sender and gives it to
            // the modes that did not see it locally.
            let from = port.iter().find(|(_, m, _)| *m == src).map(|p| (p.0, p.2));
            for (u, _, um) in &port {
                let take = match from {
                    None => *um != MacvlanMode::Source,
                    Some((s, _)) if s == *u => false,
                    Some((_, MacvlanMode::Vepa)) => {
                        matches!(um, MacvlanMode::Vepa | MacvlanMode::Bridge)
                    }
                    Some(_) => *um == MacvlanMode::Vepa,
                };
                if take {
                    let mut c = self.take_buf();
                    c.extend_from_slice(frame);
                    self.macvlan_deliver(*u, c);
                }
            }
            return false;
        }
        let target = match port.iter().find(|p| p.2 == MacvlanMode::Passthru) {
            Some(p) => Some(p.0),
            None => port
                .iter()
                .find(|(_, m, um)| *m == dst && *um != MacvlanMode::Source)
                .map(|p| p.0),
        };
        match target {
            Some(u) => {
                let mut c = self.take_buf();
                c.extend_from_slice(frame);
                self.macvlan_deliver(u, c);
                true
            }
            None => false,
        }
    }

    /// A frame for a macvlan; a macvtap's goes to its queue, which no
    /// program reads here (counted, then dropped).
    fn macvlan_deliver(&mut self, u: DevRef, frame: Vec<u8>) {
        if let Some(DevKind::Macvlan(m)) = self.dev(u).map(|d| &d.kind) {
            if m.tap {
                let st = &mut self.dev_mut(u).unwrap().stats;
                st.rx_packets += 1;
                st.rx_bytes += frame.len() as u64;
                st.rx_dropped += 1;
                self.capture(u, &frame, false);
                self.put_buf(frame);
                return;
            }
        }
        self.netif_receive(u, frame);
    }
}
