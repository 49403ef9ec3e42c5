//! Forwarding a frame to one port or flooding it to all (net/bridge/br_forward.c).

use crate::dev::DevRef;
use crate::trace::Trace;
use crate::world::World;

impl World {
    pub(crate) fn br_forward(&mut self, to: DevRef, frame: Vec<u8>) {
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
    pub(crate) fn br_flood(&mut self, brdev: DevRef, except: Option<u32>, frame: &[u8]) {
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
            // br_add_if() puts a new port at the head of the list
            // br_flood() walks: the newest port gets the frame first.
            .rev()
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
}
