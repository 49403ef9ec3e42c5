//! VRF devices (drivers/net/vrf.c with net/l3mdev/l3mdev.c): an L3 master
//! whose enslaved devices' routes live in the VRF's table, reached through
//! the `l3mdev` rule (`1000: from all lookup [l3mdev-table]`) that the
//! first VRF of a namespace adds for IPv4 and IPv6 (vrf_add_fib_rules).
//!
//! Read vrf_newlink() and do_vrf_add_slave() first: enslaving (and
//! releasing) a running device cycles it down and up (cycle_netdev), so
//! its routes go and come back in the table its new master names
//! (fib_magic()/addrconf use l3mdev_fib_table()). Lookups whose flow is
//! bound to the VRF (a socket under `ip vrf exec`) or arrives on a slave
//! match the l3mdev rule; the VRF device itself never restricts the next
//! hop (FLOWI_FLAG_SKIP_NH_OIF). vrf_xmit()'s second pass through the VRF
//! device is folded away: packets leave by the slave the table names.

use crate::dev::rtnetlink::LinkChange;
use crate::dev::DevKind;
use crate::error::{Errno, KResult, KernelError};
use crate::fib_rules::{FibRule, RuleEnv};
use crate::types::NsId;
use crate::world::World;

/// FIB_RULE_PREF in vrf.c: the l3mdev rule's priority.
pub const VRF_RULE_PREF: u32 = 1000;

impl World {
    /// netif_is_l3_master().
    pub fn is_l3_master(&self, ns: NsId, ifindex: u32) -> bool {
        self.ns(ns)
            .dev(ifindex)
            .is_some_and(|d| matches!(d.kind, DevKind::Vrf { .. }))
    }

    /// l3mdev_fib_table(): the table of the VRF a device is or is enslaved to.
    pub fn l3mdev_fib_table(&self, ns: NsId, ifindex: u32) -> Option<u32> {
        self.ns(ns).l3mdev_table(ifindex)
    }

    /// l3mdev_master_ifindex(): the VRF a device is or is enslaved to.
    pub fn l3mdev_master(&self, ns: NsId, ifindex: u32) -> Option<u32> {
        let n = self.ns(ns);
        let d = n.dev(ifindex)?;
        if matches!(d.kind, DevKind::Vrf { .. }) {
            return Some(ifindex);
        }
        let m = d.master?;
        self.is_l3_master(ns, m).then_some(m)
    }

    /// vrf_newlink()'s checks, before the device exists: IFLA_VRF_TABLE
    /// is required and may not be 0 (RT_TABLE_UNSPEC). Sharing a table
    /// with another VRF is refused only under net.vrf.strict_mode, which
    /// vnet leaves at its default, 0.
    pub(crate) fn vrf_check_newlink(table: Option<u32>) -> KResult<u32> {
        match table {
            None => Err(KernelError::ext(Errno::EINVAL, "VRF table id is missing")),
            Some(0) => Err(KernelError::ext(Errno::EINVAL, "Invalid VRF table id")),
            Some(t) => Ok(t),
        }
    }

    /// vrf_add_fib_rules(): once per namespace, the l3mdev rule at 1000
    /// for IPv4 and IPv6 (protocol kernel); one that exists already is
    /// not an error.
    pub(crate) fn vrf_add_fib_rules(&mut self, ns: NsId) {
        if self.ns(ns).vrf_rules_added {
            return;
        }
        self.ns_mut(ns).vrf_rules_added = true;
        for v6 in [false, true] {
            let r = FibRule {
                l3mdev: true,
                proto: crate::ipv4::fib::proto::KERNEL,
                ..FibRule::lookup(VRF_RULE_PREF, 0)
            };
            let _ = self.rule_add(ns, v6, r, Some(VRF_RULE_PREF));
        }
    }

    /// do_vrf_add_slave(): an L3 master cannot be enslaved; the port
    /// takes the VRF as master and, if running, is cycled down and up so
    /// that its routes move into the VRF's table.
    pub(crate) fn vrf_add_slave(&mut self, ns: NsId, vrf: u32, port: u32) -> KResult<()> {
        if port == vrf || self.is_l3_master(ns, port) {
            return Err(KernelError::ext(
                Errno::EINVAL,
                "Can not enslave an L3 master device to a VRF",
            ));
        }
        let p = self.ns(ns).dev(port).ok_or(Errno::ENODEV)?;
        match p.master {
            Some(m) if m == vrf => return Ok(()),
            Some(m) => self.master_release(ns, m, port),
            None => {}
        }
        self.ns_mut(ns).dev_mut(port).unwrap().master = Some(vrf);
        // NETDEV_CHANGEUPPER to an L3 master: fib_disable_ip(force) — every
        // route through the port goes, local ones too, and its neighbours.
        self.fib_disable_ip(ns, port);
        self.cycle_netdev(ns, port);
        Ok(())
    }

    /// vrf_del_slave(): the port lets go of the VRF and is cycled, its
    /// routes going back to main and local.
    pub(crate) fn vrf_del_slave(&mut self, ns: NsId, port: u32) {
        if let Some(d) = self.ns_mut(ns).dev_mut(port) {
            d.master = None;
        }
        self.fib_disable_ip(ns, port);
        self.cycle_netdev(ns, port);
    }

    /// cycle_netdev(): down and up again if it was running.
    fn cycle_netdev(&mut self, ns: NsId, port: u32) {
        if self.ns(ns).dev(port).is_some_and(|d| d.up) {
            let _ = self.link_set(ns, port, LinkChange::Up(false));
            let _ = self.link_set(ns, port, LinkChange::Up(true));
        }
    }
}
