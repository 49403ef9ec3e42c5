//! The Intermediate Functional Block device (drivers/net/ifb.c).
//!
//! tc's mirred action redirects a device's traffic to an ifb, which sends
//! it on from a tasklet (ifb_ri_tasklet). What reaches ifb_xmit() without
//! a redirect source (routed to it, say) is counted in its receive
//! statistics, then dropped (`rx_dropped`), as the recording kernel shows.
//! tc redirection itself is not simulated here.

use crate::dev::{DevKind, DevRef};
use crate::trace::DropReason;
use crate::World;

/// TX_Q_LIMIT: ifb_setup()'s queue length.
pub const TX_Q_LIMIT: u32 = 32;

impl World {
    /// ifb_xmit() for a frame that was not redirected.
    pub(crate) fn ifb_xmit(&mut self, r: DevRef, frame: Vec<u8>) {
        let Some(d) = self.dev_mut(r) else { return };
        if !matches!(d.kind, DevKind::Ifb) {
            return;
        }
        // ifb_update_q_stats(&txp->rx_stats, skb->len): the whole frame.
        d.stats.rx_packets += 1;
        d.stats.rx_bytes += frame.len() as u64;
        // !skb->redirected: freed and counted as dev->stats.rx_dropped.
        d.stats.rx_dropped += 1;
        self.drop_pkt(r.ns, Some(r.ifindex), DropReason::IfbNotRedirected);
        self.put_buf(frame);
    }
}
