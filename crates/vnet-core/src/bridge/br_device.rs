//! The bridge as a device the host transmits on (net/bridge/br_device.c).

use crate::dev::DevRef;
use crate::types::Mac;
use crate::wire::ETH_HLEN;
use crate::world::World;

impl World {
    /// br_dev_xmit(): the bridge device itself sends.
    pub(crate) fn br_dev_xmit(&mut self, brdev: DevRef, frame: Vec<u8>) {
        if frame.len() < ETH_HLEN {
            return;
        }
        // br_allowed_ingress() with the bridge's own vlans.
        let (vid, frame) = match self.br_vlan_ingress(brdev, brdev.ifindex, frame) {
            Ok(x) => x,
            Err(frame) => {
                self.put_buf(frame);
                self.drop_pkt(
                    brdev.ns,
                    Some(brdev.ifindex),
                    crate::trace::DropReason::VlanFilter,
                );
                return;
            }
        };
        let dst = Mac(frame[0..6].try_into().unwrap());
        let now = self.now;
        if dst.is_multicast() {
            if dst != Mac::BROADCAST {
                self.br_multicast_rcv(brdev, None, &frame, vid);
            }
            self.br_flood(brdev, None, &frame, vid);
            return;
        }
        match self
            .dev(brdev)
            .unwrap()
            .bridge()
            .unwrap()
            .fdb_get_vid(dst, vid, now)
            .map(|e| (e.port, e.is_local))
        {
            Some((p, false)) => self.br_forward(
                DevRef {
                    ns: brdev.ns,
                    ifindex: p,
                },
                frame,
                vid,
            ),
            Some((_, true)) => self.br_pass_frame_up(brdev, frame, vid),
            None => self.br_flood(brdev, None, &frame, vid),
        }
    }
}
