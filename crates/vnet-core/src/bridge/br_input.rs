//! A frame arriving on a bridge port (net/bridge/br_input.c).

use crate::dev::DevRef;
use crate::trace::{DropReason, Trace};
use crate::types::Mac;
use crate::wire::ETH_HLEN;
use crate::world::World;

impl World {
    // ---- bridge -----------------------------------------------------------

    /// br_handle_frame(): learning, then forward, flood or pass up.
    pub(crate) fn br_handle_frame(&mut self, port: DevRef, br: u32, frame: Vec<u8>) {
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
        let (state, learning, isolated) = (p.state, p.learning, p.flags.isolated);
        // 01:80:c2:00:00:0X: STP and the other link-local groups.
        if dst.0[..5] == [0x01, 0x80, 0xc2, 0, 0]
            && dst.0[5] & 0xf0 == 0
            && self.br_handle_link_local(port, br, &frame)
        {
            return;
        }
        if self.dev(brdev).and_then(|d| d.bridge()).is_none() {
            return;
        }
        if !matches!(
            state,
            crate::bridge::PortState::Forwarding | crate::bridge::PortState::Learning
        ) {
            self.drop_pkt(ns, Some(port.ifindex), DropReason::PortNotForwarding);
            return;
        }
        let (vid, frame) = match self.br_vlan_ingress(brdev, port.ifindex, frame) {
            Ok(x) => x,
            Err(frame) => {
                self.put_buf(frame);
                self.drop_pkt(ns, Some(port.ifindex), DropReason::VlanFilter);
                return;
            }
        };
        if learning && !src.is_multicast() {
            self.br_fdb_update(ns, brdev.ifindex, src, vid, port.ifindex);
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
        if dst.is_multicast() && dst != Mac::BROADCAST {
            self.br_multicast_rcv(brdev, Some(port.ifindex), &frame, vid);
        }
        if state != crate::bridge::PortState::Forwarding {
            return;
        }
        if dst.is_multicast() {
            self.br_flood(brdev, Some(port.ifindex), &frame, vid);
            self.br_pass_frame_up(brdev, frame, vid);
            return;
        }
        let hit = self
            .dev(brdev)
            .unwrap()
            .bridge()
            .unwrap()
            .fdb_get_vid(dst, vid, now)
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
            Some((_, true)) => self.br_pass_frame_up(brdev, frame, vid),
            Some((p, false)) => {
                // br_skb_isolated(): not from one isolated port to another.
                let to_isolated = b_port_isolated(self, brdev, p);
                if isolated && to_isolated {
                    self.drop_pkt(ns, Some(p), DropReason::FdbSamePort);
                    return;
                }
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
                self.br_forward(DevRef { ns, ifindex: p }, frame, vid);
            }
            None => {
                self.br_flood(brdev, Some(port.ifindex), &frame, vid);
                if self.dev(brdev).is_some_and(|d| d.promisc > 0) {
                    self.br_pass_frame_up(brdev, frame, vid);
                }
            }
        }
    }

    /// br_pass_frame_up(): deliver to the bridge device's own stack.
    pub(crate) fn br_pass_frame_up(&mut self, brdev: DevRef, frame: Vec<u8>, vid: u16) {
        // br_allowed_egress() + br_handle_vlan() toward the bridge itself;
        // a frame left tagged goes to the bridge's vlan device, if any.
        let Some(frame) = self.br_vlan_up(brdev, frame, vid) else {
            return;
        };
        let st = &mut self.dev_mut(brdev).unwrap().stats;
        st.rx_packets += 1;
        st.rx_bytes += frame.len() as u64;
        self.capture(brdev, &frame, false);
        // A frame the bridge's vlans left tagged is for a vlan device on it.
        if !self.vlan_receive(brdev, &frame) {
            self.l3_receive(brdev, &frame);
        }
        self.put_buf(frame);
    }
}

/// Whether port `p` of bridge `brdev` is isolated.
fn b_port_isolated(w: &World, brdev: DevRef, p: u32) -> bool {
    w.dev(brdev)
        .and_then(|d| d.bridge())
        .and_then(|b| b.port(p))
        .is_some_and(|x| x.flags.isolated)
}
