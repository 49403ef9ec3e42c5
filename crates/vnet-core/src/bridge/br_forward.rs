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
