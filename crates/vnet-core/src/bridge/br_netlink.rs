//! Bridge and bridge-port attributes as the tools set them (br_netlink.c,
//! br_sysfs_br.c, br_ioctl.c: the range checks of br_set_forward_delay()
//! and friends), and static fdb entries (br_fdb_add(), br_fdb_delete()).

use crate::bridge::{Bridge, FdbEntry, PortState};
use crate::error::{Errno, KResult};
use crate::types::{Mac, NsId, Time};
use crate::world::World;

/// A bridge attribute (IFLA_BR_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrOpt {
    /// br_set_ageing_time(): the fdb is cleaned up at once.
    AgeingTime(Time),
    /// br_set_forward_delay(): 2..30 s while STP is on.
    ForwardDelay(Time),
    /// br_set_hello_time(): 1..10 s.
    HelloTime(Time),
    /// br_set_max_age(): 6..40 s.
    MaxAge(Time),
    Priority(u16),
    McastSnooping(bool),
    /// br_changelink(): a link-local group other than 01:80:c2:00:00:01..03.
    GroupAddr(Mac),
    /// Learned entries go (br_fdb_flush()).
    FdbFlush,
    /// One of the options kept as values (see [`BrKey`]).
    Other(BrKey, u64),
}

/// The bridge options that are numbers or booleans kept in [`crate::bridge::BrConf`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrKey {
    /// The restricted bits 0-2 (STP, MAC pause, LACP) are EINVAL.
    GroupFwdMask,
    NoLinklocalLearn,
    NfCallIptables,
    NfCallIp6tables,
    NfCallArptables,
    VlanStatsEnabled,
    VlanStatsPerPort,
    McastVlanSnooping,
    /// 0, 1 or 2 (MDB_RTR_TYPE_TEMP is for ports only).
    McastRouter,
    McastQueryUseIfaddr,
    McastQuerier,
    McastHashElasticity,
    McastHashMax,
    McastLastMemberCount,
    McastStartupQueryCount,
    McastLastMemberInterval,
    McastMembershipInterval,
    McastQuerierInterval,
    McastQueryInterval,
    McastQueryResponseInterval,
    McastStartupQueryInterval,
    McastStatsEnabled,
    /// IGMP 2 or 3.
    McastIgmpVersion,
    /// MLD 1 or 2.
    McastMldVersion,
}

/// The port flags that are on/off (BR_* in net_bridge_port.flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortFlag {
    Guard,
    RootBlock,
    Fastleave,
    ProxyArp,
    ProxyArpWifi,
    McastFlood,
    BcastFlood,
    McastToUnicast,
    NeighSuppress,
    VlanTunnel,
    Isolated,
    Locked,
}

/// BR_GROUPFWD_RESTRICTED: STP, MAC pause and LACP are never forwarded.
const GROUPFWD_RESTRICTED: u16 = 0x0007;

/// A bridge port attribute (IFLA_BRPORT_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrPortOpt {
    Hairpin(bool),
    Learning(bool),
    Flood(bool),
    /// br_stp_set_path_cost(): 1..65535.
    PathCost(u32),
    /// br_stp_set_port_priority(): 0..63.
    Priority(u16),
    /// IFLA_BRPORT_STATE: refused while STP runs, or while the port is down.
    State(u8),
    Flag(PortFlag, bool),
    /// 0..3 (MDB_RTR_TYPE_*), else EINVAL.
    McastRouter(u8),
    GroupFwdMask(u16),
    BackupPort(Option<u32>),
}

/// How an fdb entry is added: NUD_PERMANENT (local), NUD_NOARP (static),
/// or NUD_REACHABLE (dynamic, ages out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdbNud {
    Permanent,
    Static,
    Dynamic,
}

/// The states IFLA_BRPORT_STATE numbers (BR_STATE_*); BLOCKING without STP
/// forwards again at once (br_port_state_selection()).
const PORT_STATES: [PortState; 5] = [
    PortState::Disabled,
    PortState::Listening,
    PortState::Learning,
    PortState::Forwarding,
    PortState::Forwarding,
];

const CS: u64 = 10_000_000;

impl World {
    /// Sets one attribute of bridge `br`: ENODEV when `br` is no bridge,
    /// ERANGE outside the kernel's limits.
    pub fn br_set(&mut self, ns: NsId, br: u32, opt: BrOpt) -> KResult<()> {
        if let BrOpt::McastSnooping(on) = opt {
            return self.br_multicast_toggle(ns, br, on);
        }
        let now = self.now;
        if let BrOpt::FdbFlush = opt {
            // br_fdb_flush(): the learned entries of every port.
            let ports: Vec<u32> = self
                .bridge_mut(ns, br)?
                .ports
                .iter()
                .map(|p| p.ifindex)
                .collect();
            for p in ports.into_iter().chain([br]) {
                self.br_fdb_delete_by_port(ns, br, p, false);
            }
        }
        let b = self.bridge_mut(ns, br)?;
        let within = |t: Time, lo: u64, hi: u64| (lo * CS..=hi * CS).contains(&t.0);
        match opt {
            BrOpt::AgeingTime(t) => {
                b.ageing_time = t;
                b.gc(now);
            }
            BrOpt::ForwardDelay(t) => {
                if b.stp && !within(t, 200, 3000) {
                    return Err(Errno::ERANGE.into());
                }
                b.forward_delay = t;
                b.stp_init();
                if b.is_root() {
                    b.st.forward_delay = t;
                }
            }
            BrOpt::HelloTime(t) => {
                if !within(t, 100, 1000) {
                    return Err(Errno::ERANGE.into());
                }
                b.hello_time = t;
                b.stp_init();
                if b.is_root() {
                    b.st.hello_time = t;
                }
            }
            BrOpt::MaxAge(t) => {
                if !within(t, 600, 4000) {
                    return Err(Errno::ERANGE.into());
                }
                b.max_age = t;
                b.stp_init();
                if b.is_root() {
                    b.st.max_age = t;
                }
            }
            BrOpt::Priority(p) => {
                crate::bridge::br_stp::set_bridge_priority(b, p);
                self.br_stp_recalc(ns, br);
            }
            // Toggled by br_multicast_toggle() above.
            BrOpt::McastSnooping(_) => {}
            BrOpt::GroupAddr(m) => {
                let ll = m.0[..5] == [0x01, 0x80, 0xc2, 0, 0] && m.0[5] & 0xf0 == 0;
                if !ll || matches!(m.0[5], 1..=3) {
                    return Err(Errno::EINVAL.into());
                }
                b.conf.group_addr = m;
            }
            // Done above, each deletion announced.
            BrOpt::FdbFlush => {}
            BrOpt::Other(k, v) => set_conf(&mut b.conf, k, v)?,
        }
        Ok(())
    }

    /// Sets one attribute of `port` on bridge `br`: ENOENT when it is not
    /// one of its ports.
    pub fn br_port_set(&mut self, ns: NsId, br: u32, port: u32, opt: BrPortOpt) -> KResult<()> {
        let (port_up, oper_up) = (
            self.ns(ns).dev(port).is_some_and(|d| d.up),
            self.running(crate::dev::DevRef { ns, ifindex: port }),
        );
        let b = self.bridge_mut(ns, br)?;
        let stp = b.stp;
        let i = b
            .ports
            .iter()
            .position(|p| p.ifindex == port)
            .ok_or(Errno::ENOENT)?;
        if let BrPortOpt::Priority(prio) = opt {
            if prio > 63 {
                return Err(Errno::ERANGE.into());
            }
            if crate::bridge::br_stp::set_port_priority(b, i, prio as u8) {
                self.br_stp_recalc(ns, br);
            }
            return Ok(());
        }
        let p = &mut b.ports[i];
        match opt {
            BrPortOpt::Hairpin(on) => p.hairpin = on,
            BrPortOpt::Learning(on) => p.learning = on,
            BrPortOpt::Flood(on) => p.flood = on,
            BrPortOpt::PathCost(c) => {
                if !(1..=65535).contains(&c) {
                    return Err(Errno::ERANGE.into());
                }
                p.path_cost = c;
                self.br_stp_recalc(ns, br);
            }
            BrPortOpt::Priority(_) => {}
            BrPortOpt::Flag(f, on) => {
                let x = &mut p.flags;
                *match f {
                    PortFlag::Guard => &mut x.guard,
                    PortFlag::RootBlock => &mut x.root_block,
                    PortFlag::Fastleave => &mut x.fastleave,
                    PortFlag::ProxyArp => &mut x.proxy_arp,
                    PortFlag::ProxyArpWifi => &mut x.proxy_arp_wifi,
                    PortFlag::McastFlood => &mut x.mcast_flood,
                    PortFlag::BcastFlood => &mut x.bcast_flood,
                    PortFlag::McastToUnicast => &mut x.mcast_to_unicast,
                    PortFlag::NeighSuppress => &mut x.neigh_suppress,
                    PortFlag::VlanTunnel => &mut x.vlan_tunnel,
                    PortFlag::Isolated => &mut x.isolated,
                    PortFlag::Locked => &mut x.locked,
                } = on;
            }
            BrPortOpt::McastRouter(r) => {
                if r > 3 {
                    return Err(Errno::EINVAL.into());
                }
                p.flags.mcast_router = r;
            }
            BrPortOpt::GroupFwdMask(m) => {
                if m & GROUPFWD_RESTRICTED != 0 {
                    return Err(Errno::EINVAL.into());
                }
                p.flags.group_fwd_mask = m;
            }
            BrPortOpt::BackupPort(b) => p.flags.backup_port = b,
            BrPortOpt::State(s) => {
                let Some(state) = PORT_STATES.get(s as usize) else {
                    return Err(Errno::EINVAL.into());
                };
                if stp {
                    return Err(Errno::EBUSY.into());
                }
                if !port_up || (!oper_up && s != 0) {
                    return Err(Errno::ENETDOWN.into());
                }
                p.state = *state;
            }
        }
        Ok(())
    }

    /// A port's `flush`: its learned entries go (br_fdb_delete_by_port()).
    pub fn br_port_flush(&mut self, ns: NsId, br: u32, port: u32) -> KResult<()> {
        let b = self.bridge_mut(ns, br)?;
        b.port(port).ok_or(Errno::ENOENT)?;
        self.br_fdb_delete_by_port(ns, br, port, false);
        Ok(())
    }

    /// br_setlink(): after `bridge link set` changed a port, its AF_BRIDGE
    /// RTM_NEWLINK (br_ifinfo_notify()).
    pub fn br_setlink_notify(&mut self, ns: NsId, br: u32, port: u32) {
        self.notify_brport(ns, br, port, false);
    }

    /// br_fdb_add(): a static entry for `key` on `port` (None: the bridge
    /// itself, which takes only permanent ones). `excl` is NLM_F_EXCL:
    /// an existing entry is EEXIST instead of replaced. `key` is the
    /// address and VLAN id, as the fdb is keyed.
    pub fn br_fdb_add(
        &mut self,
        ns: NsId,
        br: u32,
        port: Option<u32>,
        key: (Mac, u16),
        nud: FdbNud,
        excl: bool,
    ) -> KResult<()> {
        let now = self.now;
        let b = self.fdb_bridge(ns, br, port, key)?;
        // Without a vlan, a filtering bridge adds the entry in each of the
        // port's vlans too ("to be nice", br_fdb_add()).
        let vids: Vec<u16> = match b.vlan_group(port.unwrap_or(br), br) {
            Some(g) if key.1 == 0 && b.vlan.filtering => g.vlans.keys().copied().collect(),
            _ => Vec::new(),
        };
        match port {
            Some(p) => {
                let st = b.port(p).map(|p| p.state);
                if nud == FdbNud::Dynamic
                    && !matches!(st, Some(PortState::Learning | PortState::Forwarding))
                {
                    return Err(Errno::EPERM.into());
                }
            }
            None if nud != FdbNud::Permanent => return Err(Errno::EINVAL.into()),
            None => {}
        }
        if excl && b.fdb.contains_key(&key) {
            return Err(Errno::EEXIST.into());
        }
        for key in std::iter::once(key).chain(vids.into_iter().map(|v| (key.0, v))) {
            let b = self.bridge_mut(ns, br)?;
            let old = b.fdb.get(&key).cloned();
            let used = old.as_ref().map(|e| e.used).unwrap_or(now);
            let e = FdbEntry {
                port: port.unwrap_or(br),
                is_local: nud == FdbNud::Permanent,
                is_static: nud != FdbNud::Dynamic,
                updated: now,
                used,
                seq: 0,
            };
            // fdb_add_entry(): announced when something changed.
            let same = old.is_some_and(|o| {
                (o.port, o.is_local, o.is_static) == (e.port, e.is_local, e.is_static)
            });
            b.fdb_insert(key, e);
            if !same {
                let e = b.fdb[&key].clone();
                let st = self.fdb_state(ns, br, &e);
                self.notify_fdb(ns, br, key, &e, st, false);
            }
        }
        Ok(())
    }

    /// br_fdb_delete(): the entry for `key` on `port` (None: the bridge
    /// itself) goes; ENOENT when there is none there.
    pub fn br_fdb_del(
        &mut self,
        ns: NsId,
        br: u32,
        port: Option<u32>,
        key: (Mac, u16),
    ) -> KResult<()> {
        let target = port.unwrap_or(br);
        let b = self.fdb_bridge(ns, br, port, key)?;
        if b.fdb.get(&key).map(|e| e.port) != Some(target) {
            return Err(Errno::ENOENT.into());
        }
        if let Some(e) = self.bridge_mut(ns, br)?.fdb.remove(&key) {
            let st = self.fdb_state(ns, br, &e);
            self.notify_fdb(ns, br, key, &e, st, true);
        }
        Ok(())
    }

    /// The bridge an fdb request names: ENODEV when there is no device,
    /// EOPNOTSUPP when it is not a bridge, EINVAL for a vlan the port (or
    /// the bridge itself) does not have.
    fn fdb_bridge(
        &self,
        ns: NsId,
        br: u32,
        port: Option<u32>,
        key: (Mac, u16),
    ) -> KResult<&Bridge> {
        let d = self.ns(ns).dev(br).ok_or(Errno::ENODEV)?;
        let b = d.bridge().ok_or(Errno::EOPNOTSUPP)?;
        if key.1 != 0
            && !b
                .vlan_group(port.unwrap_or(br), br)
                .is_some_and(|g| g.vlans.contains_key(&key.1))
        {
            return Err(Errno::EINVAL.into());
        }
        Ok(b)
    }
}

/// One kept option, with the kernel's checks (br_changelink()).
fn set_conf(c: &mut crate::bridge::BrConf, k: BrKey, v: u64) -> KResult<()> {
    let on = v != 0;
    match k {
        BrKey::GroupFwdMask => {
            if v as u16 & GROUPFWD_RESTRICTED != 0 {
                return Err(Errno::EINVAL.into());
            }
            c.group_fwd_mask = v as u16;
        }
        BrKey::NoLinklocalLearn => c.no_linklocal_learn = on,
        BrKey::NfCallIptables => c.nf_call_iptables = on,
        BrKey::NfCallIp6tables => c.nf_call_ip6tables = on,
        BrKey::NfCallArptables => c.nf_call_arptables = on,
        BrKey::VlanStatsEnabled => c.vlan_stats_enabled = on,
        BrKey::VlanStatsPerPort => c.vlan_stats_per_port = on,
        BrKey::McastVlanSnooping => c.mcast_vlan_snooping = on,
        BrKey::McastRouter => {
            if v > 2 {
                return Err(Errno::EINVAL.into());
            }
            c.mcast_router = v as u8;
        }
        BrKey::McastQueryUseIfaddr => c.mcast_query_use_ifaddr = on,
        BrKey::McastQuerier => c.mcast_querier = on,
        BrKey::McastHashElasticity => c.mcast_hash_elasticity = v as u32,
        BrKey::McastHashMax => c.mcast_hash_max = v as u32,
        BrKey::McastLastMemberCount => c.mcast_last_member_count = v as u32,
        BrKey::McastStartupQueryCount => c.mcast_startup_query_count = v as u32,
        BrKey::McastLastMemberInterval => c.mcast_last_member_interval = v,
        BrKey::McastMembershipInterval => c.mcast_membership_interval = v,
        BrKey::McastQuerierInterval => c.mcast_querier_interval = v,
        BrKey::McastQueryInterval => c.mcast_query_interval = v,
        BrKey::McastQueryResponseInterval => c.mcast_query_response_interval = v,
        BrKey::McastStartupQueryInterval => c.mcast_startup_query_interval = v,
        BrKey::McastStatsEnabled => c.mcast_stats_enabled = on,
        BrKey::McastIgmpVersion => {
            if !(2..=3).contains(&v) {
                return Err(Errno::EINVAL.into());
            }
            c.mcast_igmp_version = v as u8;
        }
        BrKey::McastMldVersion => {
            if !(1..=2).contains(&v) {
                return Err(Errno::EINVAL.into());
            }
            c.mcast_mld_version = v as u8;
        }
    }
    Ok(())
}
