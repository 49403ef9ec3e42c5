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
}

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
        let now = self.now;
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
            }
            BrOpt::HelloTime(t) => {
                if !within(t, 100, 1000) {
                    return Err(Errno::ERANGE.into());
                }
                b.hello_time = t;
            }
            BrOpt::MaxAge(t) => {
                if !within(t, 600, 4000) {
                    return Err(Errno::ERANGE.into());
                }
                b.max_age = t;
            }
            BrOpt::Priority(p) => b.priority = p,
            BrOpt::McastSnooping(on) => {
                b.mcast_snooping_off = !on;
                if !on {
                    b.mdb_flush_temp();
                }
            }
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
        let (stp, bprio) = (b.stp, b.priority);
        let p = b.port_mut(port).ok_or(Errno::ENOENT)?;
        match opt {
            BrPortOpt::Hairpin(on) => p.hairpin = on,
            BrPortOpt::Learning(on) => p.learning = on,
            BrPortOpt::Flood(on) => p.flood = on,
            BrPortOpt::PathCost(c) => {
                if !(1..=65535).contains(&c) {
                    return Err(Errno::ERANGE.into());
                }
                p.path_cost = c;
            }
            BrPortOpt::Priority(prio) => {
                if prio > 63 {
                    return Err(Errno::ERANGE.into());
                }
                Bridge::set_port_priority(p, prio as u8, bprio);
            }
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
        let b = self.bridge_mut(ns, br)?;
        for key in std::iter::once(key).chain(vids.into_iter().map(|v| (key.0, v))) {
            let used = b.fdb.get(&key).map(|e| e.used).unwrap_or(now);
            b.fdb_insert(
                key,
                FdbEntry {
                    port: port.unwrap_or(br),
                    is_local: nud == FdbNud::Permanent,
                    is_static: nud != FdbNud::Dynamic,
                    updated: now,
                    used,
                    seq: 0,
                },
            );
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
        self.bridge_mut(ns, br)?.fdb.remove(&key);
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
