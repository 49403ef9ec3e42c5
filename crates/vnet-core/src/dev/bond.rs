//! Bonding devices (drivers/net/bonding/bond_main.c, bond_options.c).
//!
//! Read first: `Bond` (the master's state, `struct bonding`), `Slave`
//! (`struct slave`), then `bond_enslave` and `bond_xmit`. LACP (802.3ad)
//! lives in `bond_3ad`.
//!
//! What is simplified, and how: link monitoring (miimon, arp_interval)
//! sees a slave's carrier change at once instead of at the next poll, and
//! updelay/downdelay are kept and printed but not waited; the bond's
//! counters count what passes through the bond itself (the kernel sums its
//! slaves'); balance-tlb and balance-alb send through the current active
//! slave (no load balancing, no ARP rewriting).

use crate::dev::{DevKind, DevRef};
use crate::error::{Errno, KResult, KernelError};
use crate::trace::DropReason;
use crate::types::{Mac, NsId};
use crate::wire::ETH_HLEN;
use crate::World;
use serde::{Deserialize, Serialize};
use std::net::{Ipv4Addr, Ipv6Addr};

pub use crate::dev::bond_3ad::AdPort;

/// BOND_MODE_* (include/uapi/linux/if_bonding.h), in bond_mode_tbl's order.
pub mod mode {
    pub const ROUNDROBIN: u8 = 0;
    pub const ACTIVEBACKUP: u8 = 1;
    pub const XOR: u8 = 2;
    pub const BROADCAST: u8 = 3;
    pub const AD8023: u8 = 4;
    pub const TLB: u8 = 5;
    pub const ALB: u8 = 6;
}

/// The names of bond_opts' value tables, indexed by value.
pub const MODE_NAMES: [&str; 7] = [
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
];
pub const XMIT_HASH_NAMES: [&str; 6] = [
    "layer2",
    "layer3+4",
    "layer2+3",
    "encap2+3",
    "encap3+4",
    "vlan+srcmac",
];
pub const ARP_VALIDATE_NAMES: [&str; 7] = [
    "none",
    "active",
    "backup",
    "all",
    "filter",
    "filter_active",
    "filter_backup",
];
pub const ARP_ALL_TARGETS_NAMES: [&str; 2] = ["any", "all"];
pub const PRIMARY_RESELECT_NAMES: [&str; 3] = ["always", "better", "failure"];
pub const FAIL_OVER_MAC_NAMES: [&str; 3] = ["none", "active", "follow"];
pub const AD_SELECT_NAMES: [&str; 3] = ["stable", "bandwidth", "count"];

/// BOND_MAX_ARP_TARGETS (and BOND_MAX_NS_TARGETS).
pub const MAX_TARGETS: usize = 16;
/// BOND_DEFAULT_TX_QUEUES: the queues a bond is made with.
pub const TX_QUEUES: u32 = 16;
/// BOND_DEFAULT_MIIMON: what a mode without ARP monitoring starts with.
pub const DEFAULT_MIIMON: u32 = 100;

/// `struct bond_params` with the module's defaults (bond_check_params()).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondParams {
    pub mode: u8,
    pub miimon: u32,
    /// In units of miimon, as the kernel keeps them (reported × miimon).
    pub updelay: u32,
    pub downdelay: u32,
    pub peer_notif_delay: u32,
    pub use_carrier: u8,
    pub arp_interval: u32,
    pub arp_targets: Vec<Ipv4Addr>,
    pub ns_targets: Vec<Ipv6Addr>,
    pub arp_validate: u32,
    pub arp_all_targets: u32,
    pub missed_max: u8,
    /// The primary slave's name: kept even while no slave has it.
    pub primary: String,
    pub primary_reselect: u8,
    pub fail_over_mac: u8,
    pub xmit_policy: u8,
    pub resend_igmp: u32,
    pub num_peer_notif: u8,
    pub all_slaves_active: u8,
    pub min_links: u32,
    pub lp_interval: u32,
    pub packets_per_slave: u32,
    pub lacp_active: u8,
    pub lacp_fast: u8,
    pub ad_select: u8,
    pub ad_actor_sys_prio: u16,
    pub ad_user_port_key: u16,
    pub ad_actor_system: Mac,
    pub tlb_dynamic_lb: u8,
}

impl Default for BondParams {
    fn default() -> Self {
        BondParams {
            mode: mode::ROUNDROBIN,
            miimon: 0,
            updelay: 0,
            downdelay: 0,
            peer_notif_delay: 0,
            use_carrier: 1,
            arp_interval: 0,
            arp_targets: Vec::new(),
            ns_targets: Vec::new(),
            arp_validate: 0,
            arp_all_targets: 0,
            missed_max: 2,
            primary: String::new(),
            primary_reselect: 0,
            fail_over_mac: 0,
            xmit_policy: 0,
            resend_igmp: 1,
            num_peer_notif: 1,
            all_slaves_active: 0,
            min_links: 0,
            lp_interval: 1,
            packets_per_slave: 1,
            lacp_active: 1,
            lacp_fast: 0,
            ad_select: 0,
            ad_actor_sys_prio: 65535,
            ad_user_port_key: 0,
            ad_actor_system: Mac::ZERO,
            tlb_dynamic_lb: 1,
        }
    }
}

/// BOND_LINK_* (a slave's MII status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlaveLink {
    Up = 0,
    Fail = 1,
    Down = 2,
    Back = 3,
}

/// `struct slave`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Slave {
    pub ifindex: u32,
    pub link: SlaveLink,
    /// BOND_STATE_BACKUP (not the active slave of active-backup, or a
    /// disabled 802.3ad port).
    pub backup: bool,
    pub link_failure_count: u32,
    /// The address the device had when it was enslaved (restored on release).
    pub perm_hwaddr: Mac,
    pub original_mtu: u32,
    pub queue_id: u16,
    pub prio: i32,
    /// The 802.3ad port (in 802.3ad mode).
    pub ad: Option<AdPort>,
}

/// `struct bonding`: the master's options, slaves and choices.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Bond {
    pub params: BondParams,
    /// In enslaving order (bond_for_each_slave).
    pub slaves: Vec<Slave>,
    /// curr_active_slave (active-backup, tlb, alb).
    pub curr_active: Option<u32>,
    /// The round-robin counter (bond_rr_gen_slave_id).
    pub rr_tx_counter: u32,
    /// The address was taken from the first slave (NET_ADDR_STOLEN): the
    /// bond draws a random one again when its last slave leaves.
    pub mac_stolen: bool,
    /// The 802.3ad aggregator numbering (BOND_AD_INFO(bond)).
    pub ad_next_id: u16,
    /// The active 802.3ad aggregator.
    pub ad_active: Option<u16>,
    /// A slave was ever enslaved (bond_compute_features() has run).
    pub had_slaves: bool,
}

impl Bond {
    pub fn slave(&self, ifindex: u32) -> Option<&Slave> {
        self.slaves.iter().find(|s| s.ifindex == ifindex)
    }
    fn slave_mut(&mut self, ifindex: u32) -> Option<&mut Slave> {
        self.slaves.iter_mut().find(|s| s.ifindex == ifindex)
    }
    /// bond_uses_primary(): the modes with one active slave.
    pub fn uses_primary(&self) -> bool {
        matches!(self.params.mode, mode::ACTIVEBACKUP | mode::TLB | mode::ALB)
    }
    /// bond_mode_uses_xmit_hash().
    pub fn uses_xmit_hash(&self) -> bool {
        matches!(self.params.mode, mode::XOR | mode::AD8023)
    }
    /// The primary slave (params.primary names one of the slaves).
    pub fn primary_slave(&self, w: &World, ns: NsId) -> Option<u32> {
        if self.params.primary.is_empty() || !self.uses_primary() {
            return None;
        }
        self.slaves
            .iter()
            .find(|s| {
                w.ns(ns)
                    .dev(s.ifindex)
                    .is_some_and(|d| d.name == self.params.primary)
            })
            .map(|s| s.ifindex)
    }
}

/// One option change (IFLA_BOND_*), as bond_changelink() receives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BondOpt {
    Mode(u8),
    /// ifindex; 0 clears it.
    ActiveSlave(u32),
    Miimon(u32),
    Updelay(u32),
    Downdelay(u32),
    PeerNotifDelay(u32),
    UseCarrier(u8),
    ArpInterval(u32),
    ArpIpTarget(Vec<Ipv4Addr>),
    ArpValidate(u32),
    ArpAllTargets(u32),
    /// ifindex, looked up by the kernel (an unknown one clears it).
    Primary(u32),
    PrimaryReselect(u8),
    FailOverMac(u8),
    XmitHashPolicy(u8),
    ResendIgmp(u32),
    NumPeerNotif(u8),
    AllSlavesActive(u8),
    MinLinks(u32),
    LpInterval(u32),
    PacketsPerSlave(u32),
    AdLacpActive(u8),
    AdLacpRate(u8),
    AdSelect(u8),
    AdActorSysPrio(u16),
    AdUserPortKey(u16),
    AdActorSystem(Mac),
    TlbDynamicLb(u8),
    MissedMax(u8),
    NsIp6Target(Vec<Ipv6Addr>),
}

impl BondOpt {
    /// The order bond_changelink() looks at the attributes in, whatever
    /// order they came in.
    fn rank(&self) -> u8 {
        match self {
            BondOpt::Mode(_) => 0,
            BondOpt::ActiveSlave(_) => 1,
            BondOpt::Miimon(_) => 2,
            BondOpt::Updelay(_) => 3,
            BondOpt::Downdelay(_) => 4,
            BondOpt::PeerNotifDelay(_) => 5,
            BondOpt::UseCarrier(_) => 6,
            BondOpt::ArpInterval(_) => 7,
            BondOpt::ArpIpTarget(_) => 8,
            BondOpt::NsIp6Target(_) => 9,
            BondOpt::ArpValidate(_) => 10,
            BondOpt::ArpAllTargets(_) => 11,
            BondOpt::Primary(_) => 12,
            BondOpt::PrimaryReselect(_) => 13,
            BondOpt::FailOverMac(_) => 14,
            BondOpt::XmitHashPolicy(_) => 15,
            BondOpt::ResendIgmp(_) => 16,
            BondOpt::NumPeerNotif(_) => 17,
            BondOpt::AllSlavesActive(_) => 18,
            BondOpt::MinLinks(_) => 19,
            BondOpt::LpInterval(_) => 20,
            BondOpt::PacketsPerSlave(_) => 21,
            BondOpt::AdLacpActive(_) => 22,
            BondOpt::AdLacpRate(_) => 23,
            BondOpt::AdSelect(_) => 24,
            BondOpt::AdActorSysPrio(_) => 25,
            BondOpt::AdUserPortKey(_) => 26,
            BondOpt::AdActorSystem(_) => 27,
            BondOpt::TlbDynamicLb(_) => 28,
            BondOpt::MissedMax(_) => 29,
        }
    }

    /// bond_opts[]' flags and unsuppmodes: (no slaves, bond down, modes
    /// where the option is refused).
    fn deps(&self) -> (bool, bool, &'static [u8]) {
        use mode::*;
        const ALL_BUT_AB_TLB_ALB: &[u8] = &[ROUNDROBIN, XOR, BROADCAST, AD8023];
        const NO_ARP: &[u8] = &[AD8023, TLB, ALB];
        match self {
            BondOpt::Mode(_) => (true, true, &[]),
            BondOpt::ActiveSlave(_) | BondOpt::Primary(_) => (false, false, ALL_BUT_AB_TLB_ALB),
            BondOpt::ArpInterval(_) | BondOpt::ArpValidate(_) => (false, false, NO_ARP),
            BondOpt::FailOverMac(_) => (true, false, &[]),
            BondOpt::PacketsPerSlave(_) => (
                false,
                false,
                &[ACTIVEBACKUP, XOR, BROADCAST, AD8023, TLB, ALB],
            ),
            BondOpt::AdLacpRate(_) => (
                false,
                true,
                &[ROUNDROBIN, ACTIVEBACKUP, XOR, BROADCAST, TLB, ALB],
            ),
            BondOpt::AdSelect(_)
            | BondOpt::AdActorSysPrio(_)
            | BondOpt::AdUserPortKey(_)
            | BondOpt::AdActorSystem(_) => (false, true, &[]),
            BondOpt::TlbDynamicLb(_) => (
                false,
                true,
                &[ROUNDROBIN, ACTIVEBACKUP, XOR, BROADCAST, AD8023],
            ),
            _ => (false, false, &[]),
        }
    }
}

impl World {
    fn bond(&self, r: DevRef) -> Option<&Bond> {
        match &self.dev(r)?.kind {
            DevKind::Bond(b) => Some(b),
            _ => None,
        }
    }
    pub(crate) fn bond_mut(&mut self, r: DevRef) -> Option<&mut Bond> {
        match &mut self.dev_mut(r)?.kind {
            DevKind::Bond(b) => Some(b),
            _ => None,
        }
    }
    /// Whether `ifindex` in `ns` is a bond.
    pub fn is_bond(&self, ns: NsId, ifindex: u32) -> bool {
        self.bond(DevRef { ns, ifindex }).is_some()
    }

    /// bond_changelink(): applies options in the kernel's order; the first
    /// refusal stops there (what came before it stays).
    pub fn bond_changelink(
        &mut self,
        ns: NsId,
        ifindex: u32,
        mut opts: Vec<BondOpt>,
    ) -> KResult<()> {
        let r = DevRef { ns, ifindex };
        if self.bond(r).is_none() {
            return Err(Errno::EOPNOTSUPP.into());
        }
        opts.sort_by_key(BondOpt::rank);
        for o in opts {
            if let Err(e) = self.bond_opt_set(r, o) {
                self.refresh_carriers(ns);
                return Err(opt_extack(e));
            }
        }
        self.refresh_carriers(ns);
        Ok(())
    }

    /// __bond_opt_set(): the option's dependencies, its value's range, then its setter.
    fn bond_opt_set(&mut self, r: DevRef, o: BondOpt) -> KResult<()> {
        let up = self.dev(r).is_some_and(|d| d.up);
        let b = self.bond(r).unwrap();
        let (noslaves, ifdown, unsupp) = o.deps();
        if unsupp.contains(&b.params.mode) {
            return Err(Errno::EACCES.into());
        }
        if noslaves && !b.slaves.is_empty() {
            return Err(Errno::ENOTEMPTY.into());
        }
        if ifdown && up {
            return Err(Errno::EBUSY.into());
        }
        let einval = || -> KResult<()> { Err(Errno::EINVAL.into()) };
        let in_range = |v: u64, lo: u64, hi: u64| (lo..=hi).contains(&v);
        let miimon = b.params.miimon;
        match &o {
            BondOpt::Mode(m) if *m > 6 => return einval(),
            BondOpt::Miimon(v) | BondOpt::ArpInterval(v) | BondOpt::MinLinks(v)
                if *v > i32::MAX as u32 =>
            {
                return einval()
            }
            BondOpt::Updelay(v) | BondOpt::Downdelay(v) | BondOpt::PeerNotifDelay(v) => {
                if *v > i32::MAX as u32 {
                    return einval();
                }
                // _bond_option_delay_set(): only with MII monitoring.
                if miimon == 0 {
                    return Err(Errno::EPERM.into());
                }
            }
            BondOpt::UseCarrier(v)
            | BondOpt::AllSlavesActive(v)
            | BondOpt::AdLacpActive(v)
            | BondOpt::AdLacpRate(v)
            | BondOpt::TlbDynamicLb(v)
                if *v > 1 =>
            {
                return einval()
            }
            BondOpt::ArpValidate(v) if *v > 6 => return einval(),
            BondOpt::ArpAllTargets(v) if *v > 1 => return einval(),
            BondOpt::PrimaryReselect(v) | BondOpt::FailOverMac(v) | BondOpt::AdSelect(v)
                if *v > 2 =>
            {
                return einval()
            }
            BondOpt::XmitHashPolicy(v) if *v > 5 => return einval(),
            BondOpt::ResendIgmp(v) if *v > 255 => return einval(),
            BondOpt::LpInterval(v) if !in_range(*v as u64, 1, i32::MAX as u64) => return einval(),
            BondOpt::PacketsPerSlave(v) if *v > 65535 => return einval(),
            BondOpt::AdActorSysPrio(0) => return einval(),
            BondOpt::AdUserPortKey(v) if *v > 1023 => return einval(),
            BondOpt::AdActorSystem(m) if m.is_multicast() || *m == Mac::ZERO => return einval(),
            BondOpt::MissedMax(0) => return einval(),
            // bond_option_arp_ip_targets_set(): no broadcast or zero address.
            BondOpt::ArpIpTarget(t)
                if t.len() > MAX_TARGETS
                    || t.iter().any(|a| a.is_broadcast() || a.is_unspecified()) =>
            {
                return einval()
            }
            BondOpt::NsIp6Target(t)
                if t.len() > MAX_TARGETS
                    || t.iter().any(|a| a.is_unspecified() || a.is_multicast()) =>
            {
                return einval()
            }
            BondOpt::ActiveSlave(i) if *i != 0 => {
                // bond_option_active_slave_set(): a slave of this bond whose link is up.
                let Some(s) = b.slave(*i) else {
                    return einval();
                };
                if s.link != SlaveLink::Up || !self.ns(r.ns).dev(*i).is_some_and(|d| d.up) {
                    return einval();
                }
            }
            _ => {}
        }
        let primary_name = match &o {
            BondOpt::Primary(i) => self
                .ns(r.ns)
                .dev(*i)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        let b = self.bond_mut(r).unwrap();
        let p = &mut b.params;
        match o {
            BondOpt::Mode(m) => {
                // bond_option_mode_set(): a mode without ARP monitoring starts
                // MII monitoring; arp_validate is not carried over.
                if matches!(m, mode::AD8023 | mode::TLB | mode::ALB) {
                    p.arp_interval = 0;
                    if p.miimon == 0 {
                        p.miimon = DEFAULT_MIIMON;
                    }
                }
                p.arp_validate = 0;
                p.mode = m;
            }
            BondOpt::ActiveSlave(i) => {
                if i != 0 {
                    b.curr_active = Some(i);
                    for s in &mut b.slaves {
                        s.backup = s.ifindex != i;
                    }
                }
            }
            BondOpt::Miimon(v) => {
                p.miimon = v;
                if v == 0 {
                    p.updelay = 0;
                    p.downdelay = 0;
                    p.peer_notif_delay = 0;
                } else if p.arp_interval != 0 {
                    // MII monitoring replaces ARP monitoring.
                    p.arp_interval = 0;
                }
            }
            BondOpt::Updelay(v) => p.updelay = v / p.miimon,
            BondOpt::Downdelay(v) => p.downdelay = v / p.miimon,
            BondOpt::PeerNotifDelay(v) => p.peer_notif_delay = v / p.miimon,
            BondOpt::UseCarrier(v) => p.use_carrier = v,
            BondOpt::ArpInterval(v) => {
                p.arp_interval = v;
                if v != 0 {
                    // ARP monitoring replaces MII monitoring.
                    p.miimon = 0;
                    p.updelay = 0;
                    p.downdelay = 0;
                    p.peer_notif_delay = 0;
                }
            }
            BondOpt::ArpIpTarget(t) => {
                let mut v: Vec<Ipv4Addr> = Vec::new();
                for a in t {
                    if !v.contains(&a) {
                        v.push(a);
                    }
                }
                p.arp_targets = v;
            }
            BondOpt::NsIp6Target(t) => p.ns_targets = t,
            BondOpt::ArpValidate(v) => p.arp_validate = v,
            BondOpt::ArpAllTargets(v) => p.arp_all_targets = v,
            BondOpt::Primary(_) => p.primary = primary_name,
            BondOpt::PrimaryReselect(v) => p.primary_reselect = v,
            BondOpt::FailOverMac(v) => p.fail_over_mac = v,
            BondOpt::XmitHashPolicy(v) => p.xmit_policy = v,
            BondOpt::ResendIgmp(v) => p.resend_igmp = v,
            BondOpt::NumPeerNotif(v) => p.num_peer_notif = v,
            BondOpt::AllSlavesActive(v) => p.all_slaves_active = v,
            BondOpt::MinLinks(v) => p.min_links = v,
            BondOpt::LpInterval(v) => p.lp_interval = v,
            BondOpt::PacketsPerSlave(v) => p.packets_per_slave = v,
            BondOpt::AdLacpActive(v) => p.lacp_active = v,
            BondOpt::AdLacpRate(v) => p.lacp_fast = v,
            BondOpt::AdSelect(v) => p.ad_select = v,
            BondOpt::AdActorSysPrio(v) => p.ad_actor_sys_prio = v,
            BondOpt::AdUserPortKey(v) => p.ad_user_port_key = v,
            BondOpt::AdActorSystem(m) => p.ad_actor_system = m,
            BondOpt::TlbDynamicLb(v) => p.tlb_dynamic_lb = v,
            BondOpt::MissedMax(v) => p.missed_max = v,
        }
        Ok(())
    }

    /// bond_enslave(): `ip link set DEV master BOND`.
    pub(crate) fn bond_enslave(&mut self, ns: NsId, bond: u32, port: u32) -> KResult<()> {
        let br = DevRef { ns, ifindex: bond };
        if bond == port {
            return Err(KernelError::ext(
                Errno::EPERM,
                "Cannot enslave bond to itself.",
            ));
        }
        let p = self.ns(ns).dev(port).ok_or(Errno::ENODEV)?;
        if p.master == Some(bond) {
            return Ok(());
        }
        if p.master.is_some() || !p.uppers.is_empty() {
            // netdev_is_rx_handler_busy(): a macvlan/ipvlan lower, say.
            return Err(KernelError::ext(
                Errno::EBUSY,
                "Device is in use and cannot be enslaved",
            ));
        }
        if p.is_loopback() || !p.is_ether() {
            // A slave of another link type would retype the bond: not simulated.
            return Err(Errno::EINVAL.into());
        }
        if p.up {
            return Err(KernelError::ext(
                Errno::EPERM,
                "Device can not be enslaved while up",
            ));
        }
        let (pmac, pmtu) = (p.mac, p.mtu);
        let bd = self.dev(br).unwrap();
        let (bmtu, bmac_set) = (bd.mtu, bd.mac_set);
        let b = self.bond(br).unwrap();
        let first = b.slaves.is_empty();
        let fom_ab = b.params.fail_over_mac != 0 && b.params.mode == mode::ACTIVEBACKUP;
        // dev_set_mtu(slave, bond's mtu), the old one saved.
        self.ns_mut(ns).dev_mut(port).unwrap().mtu = bmtu;
        if first && !bmac_set {
            // bond_set_dev_addr(): a bond with a random address takes its first slave's.
            let d = self.dev_mut(br).unwrap();
            d.mac = pmac;
            if let DevKind::Bond(b) = &mut d.kind {
                b.mac_stolen = true;
            }
        }
        let bmac = self.dev(br).unwrap().mac;
        if !fom_ab {
            self.ns_mut(ns).dev_mut(port).unwrap().mac = bmac;
        }
        let b = self.bond_mut(br).unwrap();
        let mut s = Slave {
            ifindex: port,
            link: SlaveLink::Down,
            backup: true,
            link_failure_count: 0,
            perm_hwaddr: pmac,
            original_mtu: pmtu,
            queue_id: 0,
            prio: 0,
            ad: None,
        };
        if b.params.mode == mode::AD8023 {
            if first {
                b.ad_next_id = 0;
            }
            b.ad_next_id += 1;
            s.ad = Some(AdPort::new(b.ad_next_id));
        }
        b.slaves.push(s);
        b.had_slaves = true;
        let pd = self.ns_mut(ns).dev_mut(port).unwrap();
        pd.master = Some(bond);
        // dev_open(slave): IFF_SLAVE is set first, which keeps IPv6
        // addrconf off the slave.
        self.set_up(ns, port, true)?;
        // The first link state: the carrier where something monitors it,
        // up otherwise.
        let carrier = self.running(DevRef { ns, ifindex: port });
        let b = self.bond_mut(br).unwrap();
        let monitored = b.params.miimon != 0 || b.params.arp_interval != 0;
        let s = b.slave_mut(port).unwrap();
        s.link = if carrier || !monitored {
            SlaveLink::Up
        } else {
            SlaveLink::Down
        };
        self.refresh_carriers(ns);
        self.notify_link(DevRef { ns, ifindex: port });
        Ok(())
    }

    /// __bond_release_one(): the slave's address and MTU come back, and it
    /// is closed; the bond draws a new random address when it has no slave left.
    pub(crate) fn bond_release(&mut self, ns: NsId, bond: u32, port: u32) {
        let br = DevRef { ns, ifindex: bond };
        let Some(b) = self.bond_mut(br) else { return };
        let Some(pos) = b.slaves.iter().position(|s| s.ifindex == port) else {
            return;
        };
        let s = b.slaves.remove(pos);
        if b.curr_active == Some(port) {
            b.curr_active = None;
        }
        let fom_ab = b.params.fail_over_mac != 0 && b.params.mode == mode::ACTIVEBACKUP;
        let empty = b.slaves.is_empty();
        let stolen = b.mac_stolen;
        if empty && stolen {
            b.mac_stolen = false;
        }
        if let Some(pd) = self.ns_mut(ns).dev_mut(port) {
            pd.master = None;
            pd.mtu = s.original_mtu;
            if !fom_ab {
                pd.mac = s.perm_hwaddr;
            }
        }
        let _ = self.set_up(ns, port, false);
        if empty && stolen {
            // eth_hw_addr_random(bond_dev).
            let m = self.rng.mac();
            self.dev_mut(br).unwrap().mac = m;
        }
        self.refresh_carriers(ns);
        self.notify_link(DevRef { ns, ifindex: port });
    }

    /// bond_slave_changelink(): a slave's queue id (bond_option_queue_id_set:
    /// at most the bond's 16 queues, and not one another slave has) and
    /// its priority.
    pub fn bond_slave_changelink(
        &mut self,
        ns: NsId,
        ifindex: u32,
        queue_id: Option<u16>,
        prio: Option<i32>,
    ) -> KResult<()> {
        let m = self
            .ns(ns)
            .dev(ifindex)
            .ok_or(Errno::ENODEV)?
            .master
            .filter(|m| self.is_bond(ns, *m))
            .ok_or(Errno::EOPNOTSUPP)?;
        let b = self.bond_mut(DevRef { ns, ifindex: m }).unwrap();
        if let Some(q) = queue_id {
            let taken = b
                .slaves
                .iter()
                .any(|s| s.ifindex != ifindex && q != 0 && s.queue_id == q);
            if u32::from(q) > TX_QUEUES || taken {
                return Err(Errno::EPERM.into());
            }
            b.slave_mut(ifindex).unwrap().queue_id = q;
        }
        if let Some(p) = prio {
            b.slave_mut(ifindex).unwrap().prio = p;
        }
        Ok(())
    }

    /// Releases a device from whatever master it has (bridge or bond).
    pub(crate) fn master_release(&mut self, ns: NsId, master: u32, port: u32) {
        if self.is_bond(ns, master) {
            self.bond_release(ns, master, port);
        } else if self.is_l3_master(ns, master) {
            self.vrf_del_slave(ns, port);
        } else {
            self.bridge_del_if(ns, master, port);
        }
    }

    /// The bond's carrier (bond_set_carrier): in 802.3ad, an active
    /// aggregator with min_links ports; otherwise a slave whose link is up.
    pub(crate) fn bond_carrier(&self, b: &Bond) -> bool {
        if b.params.mode == mode::AD8023 {
            return crate::dev::bond_3ad::active_agg(b)
                .is_some_and(|(_, n)| n >= b.params.min_links.max(1) as usize);
        }
        b.slaves.iter().any(|s| s.link == SlaveLink::Up)
    }

    /// What the monitors and bond_select_active_slave() do after anything
    /// changed in a namespace: slaves' link states follow their carriers,
    /// the active slave is chosen again, 802.3ad ports are selected.
    pub(crate) fn bond_update(&mut self, ns: NsId) {
        let bonds: Vec<u32> = self
            .ns(ns)
            .devs
            .values()
            .filter(|d| matches!(d.kind, DevKind::Bond(_)))
            .map(|d| d.ifindex)
            .collect();
        for bi in bonds {
            let br = DevRef { ns, ifindex: bi };
            let slaves: Vec<(u32, bool)> = self
                .bond(br)
                .unwrap()
                .slaves
                .iter()
                .map(|s| {
                    (
                        s.ifindex,
                        self.running(DevRef {
                            ns,
                            ifindex: s.ifindex,
                        }),
                    )
                })
                .collect();
            let b = self.bond_mut(br).unwrap();
            let monitored = b.params.miimon != 0 || b.params.arp_interval != 0;
            let mut ad_changed = Vec::new();
            for (i, carrier) in slaves {
                let s = b.slave_mut(i).unwrap();
                let new = match (monitored, carrier) {
                    (true, true) => SlaveLink::Up,
                    (true, false) => SlaveLink::Down,
                    // Nothing watches the link: it stays as it was.
                    (false, _) => s.link,
                };
                if new != s.link {
                    if new == SlaveLink::Down {
                        s.link_failure_count = s.link_failure_count.saturating_add(1);
                    }
                    s.link = new;
                }
                if let Some(ad) = s.ad.as_mut() {
                    let enabled = carrier && s.link == SlaveLink::Up;
                    if ad.enabled != enabled {
                        ad.enabled = enabled;
                        if !enabled {
                            ad.reset_partner();
                        }
                        ad_changed.push((i, enabled));
                    }
                }
            }
            self.bond_select_active_slave(ns, bi);
            if self.bond(br).unwrap().params.mode == mode::AD8023 {
                self.bond_3ad_select(br);
                for (i, enabled) in ad_changed {
                    if enabled {
                        self.bond_3ad_send(br, i);
                    }
                }
            }
        }
    }

    /// bond_select_active_slave() / bond_find_best_slave().
    fn bond_select_active_slave(&mut self, ns: NsId, bond: u32) {
        let br = DevRef { ns, ifindex: bond };
        let b = self.bond(br).unwrap();
        if !b.uses_primary() {
            let ad = b.params.mode == mode::AD8023;
            let b = self.bond_mut(br).unwrap();
            b.curr_active = None;
            if !ad {
                for s in &mut b.slaves {
                    s.backup = false;
                }
            }
            return;
        }
        let up = |i: u32| b.slave(i).is_some_and(|s| s.link == SlaveLink::Up);
        let primary = b.primary_slave(self, ns).filter(|p| up(*p));
        let curr = b.curr_active.filter(|c| up(*c));
        let first = b
            .slaves
            .iter()
            .find(|s| s.link == SlaveLink::Up)
            .map(|s| s.ifindex);
        let best = match (primary, curr) {
            (Some(p), Some(c)) if p != c => match b.params.primary_reselect {
                // better: the primary only when faster (slaves here are alike).
                1 | 2 => Some(c),
                _ => Some(p),
            },
            (Some(p), _) => Some(p),
            (None, Some(c)) => Some(c),
            (None, None) => first,
        };
        let b = self.bond_mut(br).unwrap();
        b.curr_active = best;
        for s in &mut b.slaves {
            s.backup = Some(s.ifindex) != best;
        }
    }

    /// The slaves a frame may leave through now (bond_slave_can_tx: up,
    /// link up, not a backup).
    fn bond_tx_slaves(&self, br: DevRef) -> Vec<u32> {
        let Some(b) = self.bond(br) else {
            return Vec::new();
        };
        b.slaves
            .iter()
            .filter(|s| {
                s.link == SlaveLink::Up
                    && !s.backup
                    && self.ns(br.ns).dev(s.ifindex).is_some_and(|d| d.up)
            })
            .filter(|s| {
                b.params.mode != mode::AD8023
                    || crate::dev::bond_3ad::active_agg(b)
                        .is_some_and(|(a, _)| s.ad.as_ref().is_some_and(|p| p.agg == Some(a)))
            })
            .map(|s| s.ifindex)
            .collect()
    }

    /// bond_start_xmit(): the mode chooses the slave (or all of them).
    pub(crate) fn bond_xmit(&mut self, r: DevRef, frame: Vec<u8>) {
        let len = frame.len() as u64;
        let Some(b) = self.bond(r) else { return };
        let m = b.params.mode;
        let policy = b.params.xmit_policy;
        let pps = b.params.packets_per_slave;
        let curr = b.curr_active;
        let slaves = self.bond_tx_slaves(r);
        let chosen: Vec<u32> = match m {
            mode::ROUNDROBIN if !slaves.is_empty() => {
                let b = self.bond_mut(r).unwrap();
                // bond_rr_gen_slave_id(): packets_per_slave 0 picks at
                // random (here: the counter), 1 rotates every packet.
                let c = b.rr_tx_counter;
                b.rr_tx_counter = b.rr_tx_counter.wrapping_add(1);
                let id = match pps {
                    0 | 1 => c,
                    n => c / n,
                };
                vec![slaves[id as usize % slaves.len()]]
            }
            mode::XOR | mode::AD8023 if !slaves.is_empty() => {
                let h = xmit_hash(policy, &frame);
                vec![slaves[h as usize % slaves.len()]]
            }
            mode::BROADCAST => slaves,
            mode::ACTIVEBACKUP | mode::TLB | mode::ALB => {
                curr.filter(|c| slaves.contains(c)).into_iter().collect()
            }
            _ => Vec::new(),
        };
        if chosen.is_empty() {
            // bond_tx_drop(): no usable slave.
            self.dev_mut(r).unwrap().stats.tx_dropped += 1;
            self.drop_pkt(r.ns, Some(r.ifindex), DropReason::NoCarrier);
            self.put_buf(frame);
            return;
        }
        let st = &mut self.dev_mut(r).unwrap().stats;
        st.tx_packets += 1;
        st.tx_bytes += len;
        let n = chosen.len();
        let mut frame = Some(frame);
        for (k, s) in chosen.into_iter().enumerate() {
            let f = if k + 1 == n {
                frame.take().unwrap()
            } else {
                let mut c = self.take_buf();
                c.extend_from_slice(frame.as_ref().unwrap());
                c
            };
            self.dev_queue_xmit(
                DevRef {
                    ns: r.ns,
                    ifindex: s,
                },
                f,
            );
        }
    }

    /// bond_handle_frame(): a slave's frame. LACPDUs go to 802.3ad; what
    /// arrives on a backup slave is dropped (unless all_slaves_active);
    /// the rest is received again on the bond.
    pub(crate) fn bond_handle_frame(&mut self, slave: DevRef, bond: u32, frame: Vec<u8>) {
        let br = DevRef {
            ns: slave.ns,
            ifindex: bond,
        };
        let Some(b) = self.bond(br) else {
            self.put_buf(frame);
            return;
        };
        if frame.len() >= ETH_HLEN + 2 && frame[12..14] == [0x88, 0x09] {
            if b.params.mode == mode::AD8023 && frame[14] == 1 {
                self.bond_3ad_rx(br, slave.ifindex, &frame[ETH_HLEN..]);
            }
            self.put_buf(frame);
            return;
        }
        let backup = b.slave(slave.ifindex).is_none_or(|s| s.backup);
        let all_active = b.params.all_slaves_active != 0;
        let lb = matches!(
            b.params.mode,
            mode::ROUNDROBIN | mode::XOR | mode::BROADCAST
        );
        if backup && !all_active && !lb {
            // bond_should_deliver_exact_match(): frames on an inactive slave stay there.
            self.drop_pkt(slave.ns, Some(slave.ifindex), DropReason::BondInactive);
            self.put_buf(frame);
            return;
        }
        self.netif_receive(br, frame);
    }
}

/// bond_opt_error_interpret(): the extended ack an option's refusal
/// carries, by its errno (EPERM, from a setter, has none).
fn opt_extack(e: KernelError) -> KernelError {
    let msg = match e.errno {
        Errno::EACCES => "option not supported in mode",
        Errno::ENOTEMPTY => "unable to set option because the bond device has slaves",
        Errno::EBUSY => "unable to set option because the bond is up",
        Errno::EINVAL => "invalid option value",
        Errno::ENODEV => "interface does not exist",
        _ => return e,
    };
    KernelError::ext(e.errno, msg)
}

/// bond_xmit_hash() for the policies on Ethernet frames (the encap ones
/// hash as their outer equivalents here: no inner headers are looked at).
pub fn xmit_hash(policy: u8, frame: &[u8]) -> u32 {
    if frame.len() < ETH_HLEN {
        return 0;
    }
    let proto = u16::from_be_bytes([frame[12], frame[13]]);
    // bond_eth_hash(): the last bytes of both addresses and the type.
    let eth = (frame[5] ^ frame[11]) as u32 ^ proto as u32;
    if policy == 5 {
        // bond_vlan_srcmac_hash(): the source address's last bytes (no tag here).
        return u32::from_be_bytes([0, frame[9], frame[10], frame[11]]) ^ u32::from(frame[6]) << 24;
    }
    let ip = &frame[ETH_HLEN..];
    if policy == 0 || proto != 0x0800 || ip.len() < 20 {
        return eth;
    }
    let ihl = ((ip[0] & 0x0f) as usize) * 4;
    let (src, dst) = (
        u32::from_le_bytes([ip[12], ip[13], ip[14], ip[15]]),
        u32::from_le_bytes([ip[16], ip[17], ip[18], ip[19]]),
    );
    let l34 = matches!(policy, 1 | 4);
    let mut hash = if l34 {
        let frag = u16::from_be_bytes([ip[6], ip[7]]) & 0x3fff != 0;
        let l4 = ip.get(ihl..).unwrap_or(&[]);
        match ip[9] {
            // flow.ports.ports: both ports as they are in the header.
            6 | 17 | 132 if !frag && l4.len() >= 4 => {
                u32::from_le_bytes([l4[0], l4[1], l4[2], l4[3]])
            }
            // flow.icmp: type, code and the echo id.
            1 if !frag && l4.len() >= 6 && matches!(l4[0], 0 | 8) => {
                u32::from_le_bytes([l4[0], l4[1], l4[4], l4[5]])
            }
            _ => 0,
        }
    } else {
        eth
    };
    // bond_ip_hash().
    hash ^= dst ^ src;
    hash ^= hash >> 16;
    hash ^= hash >> 8;
    if l34 {
        hash >> 1
    } else {
        hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(proto: u16, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0x02, 0, 0, 0, 0, 0x0a, 0x02, 0, 0, 0, 0, 0x0b];
        f.extend_from_slice(&proto.to_be_bytes());
        f.extend_from_slice(payload);
        f
    }

    #[test]
    fn layer2_hash_is_the_addresses_last_bytes_and_the_type() {
        // 0x0a ^ 0x0b ^ 0x0800
        assert_eq!(xmit_hash(0, &frame(0x0800, &[])), 0x0801);
    }

    #[test]
    fn layer3_4_hash_takes_ports_and_addresses_and_drops_the_low_bit() {
        let mut ip = vec![
            0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        ip.extend_from_slice(&[0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0]);
        let f = frame(0x0800, &ip);
        let mut h = u32::from_le_bytes([0x30, 0x39, 0x00, 0x35]);
        h ^= u32::from_le_bytes([10, 0, 0, 2]) ^ u32::from_le_bytes([10, 0, 0, 1]);
        h ^= h >> 16;
        h ^= h >> 8;
        assert_eq!(xmit_hash(1, &f), h >> 1);
        // Another source port moves the hash.
        ip[21] = 0x3a;
        assert_ne!(xmit_hash(1, &frame(0x0800, &ip)), xmit_hash(1, &f));
    }

    #[test]
    fn options_apply_in_the_kernels_order() {
        let mut v = [
            BondOpt::Updelay(200),
            BondOpt::Miimon(100),
            BondOpt::Mode(1),
        ];
        v.sort_by_key(BondOpt::rank);
        assert_eq!(v[0], BondOpt::Mode(1));
        assert_eq!(v[1], BondOpt::Miimon(100));
    }
}
