//! Forwarding a frame to one port or flooding it to all (net/bridge/br_forward.c).

use crate::dev::DevRef;
use crate::trace::Trace;
use crate::world::World;

impl World {
    pub(crate) fn br_forward(&mut self, to: DevRef, frame: Vec<u8>, vid: u16) {
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
            if let Some(out) = self.br_vlan_port_egress(to, frame, vid) {
                self.dev_queue_xmit(to, out);
            }
        }
    }

    /// br_flood(): every forwarding port but the one it came in on.
    pub(crate) fn br_flood(&mut self, brdev: DevRef, except: Option<u32>, frame: &[u8], vid: u16) {
        // Every 65,536th flood: a loop of bridges is looked for (a storm
        // whose frames go round without multiplying never fills the backlog).
        self.floods += 1;
        if self.floods & 0xffff == 0 {
            self.storm_check();
        }
        let b = self.dev(brdev).unwrap().bridge().unwrap();
        // should_deliver(): back out of the in-port only in hairpin mode,
        // not between isolated ports; the flood flag of the frame's kind.
        let src_isolated = except
            .and_then(|e| b.port(e))
            .is_some_and(|p| p.flags.isolated);
        let (bcast, mcast) = (frame[..6] == [0xff; 6], frame[0] & 1 != 0);
        let ports: Vec<u32> = b
            .ports
            .iter()
            // br_add_if() puts a new port at the head of the list
            // br_flood() walks: the newest port gets the frame first.
            .rev()
            .filter(|p| {
                (Some(p.ifindex) != except || p.hairpin)
                    && if bcast {
                        p.flags.bcast_flood
                    } else if mcast {
                        p.flags.mcast_flood
                    } else {
                        p.flood
                    }
                    && !(src_isolated && p.flags.isolated)
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
            // br_allowed_egress(): ports outside the vlan get nothing.
            if let Some(out) = self.br_vlan_egress(brdev, p, vid, frame) {
                self.dev_queue_xmit(
                    DevRef {
                        ns: brdev.ns,
                        ifindex: p,
                    },
                    out,
                );
            }
        }
    }
}
