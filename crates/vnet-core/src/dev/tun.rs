//! tun/tap devices: a process attaching to and detaching from the queue
//! (drivers/net/tun.c).

use crate::dev::DevKind;
use crate::error::{Errno, KResult};
use crate::types::NsId;
use crate::World;

impl World {
    // ---- tun/tap ----------------------------------------------------------

    /// A program attaches to (or detaches from) a tun/tap device (TUNSETIFF / close).
    pub fn tun_attach(&mut self, ns: NsId, ifindex: u32, attach: bool) -> KResult<()> {
        let d = self.ns_mut(ns).dev_mut(ifindex).ok_or(Errno::ENODEV)?;
        match &mut d.kind {
            DevKind::Tun { attached, .. } => {
                if attach {
                    *attached += 1
                } else {
                    *attached = attached.saturating_sub(1)
                }
            }
            _ => return Err(Errno::EINVAL.into()),
        }
        self.refresh_carriers(ns);
        Ok(())
    }
}
