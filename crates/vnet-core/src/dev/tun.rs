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

    /// TUNSETIFF's flags (IFF_TUN/IFF_TAP, IFF_NO_PI, IFF_ONE_QUEUE...),
    /// kept as /sys/class/net/DEV/tun_flags shows them.
    pub fn tun_set_iff(&mut self, ns: NsId, ifindex: u32, flags: u16) -> KResult<()> {
        let d = self.ns_mut(ns).dev_mut(ifindex).ok_or(Errno::ENODEV)?;
        if !matches!(d.kind, DevKind::Tun { .. }) {
            return Err(Errno::EINVAL.into());
        }
        d.tun_flags = flags;
        Ok(())
    }

    /// TUNSETPERSIST, TUNSETOWNER and TUNSETGROUP: what is `Some` changes.
    pub fn tun_set_persist(
        &mut self,
        ns: NsId,
        ifindex: u32,
        persist_to: Option<bool>,
        own: Option<u32>,
        grp: Option<u32>,
    ) -> KResult<()> {
        let d = self.ns_mut(ns).dev_mut(ifindex).ok_or(Errno::ENODEV)?;
        let DevKind::Tun {
            persist,
            owner,
            group,
            ..
        } = &mut d.kind
        else {
            return Err(Errno::EINVAL.into());
        };
        if let Some(p) = persist_to {
            *persist = p;
        }
        if own.is_some() {
            *owner = own;
        }
        if grp.is_some() {
            *group = grp;
        }
        Ok(())
    }
}
