//! The Linux bridge (net/bridge): ports, forwarding database, ageing, STP knobs.
//!
//! Read br_input.c (br_handle_frame, br_handle_frame_finish) and br_forward.c
//! first; the packet path lives beside them (`br_input`, `br_forward`,
//! `br_device`), ports in `br_if`, attributes in `br_netlink`; this module
//! owns the state.

pub mod br_device;
pub mod br_forward;
pub mod br_if;
pub mod br_input;
pub mod br_mdb;
pub mod br_netlink;
pub mod br_vlan;
pub mod storm;

use crate::types::{map_as_vec, Mac, Map, Time};
use serde::{Deserialize, Serialize};

/// STP port states (BR_STATE_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortState {
    Disabled,
    Listening,
    Learning,
    Forwarding,
    Blocking,
}

impl PortState {
    pub fn name(self) -> &'static str {
        match self {
            PortState::Disabled => "disabled",
            PortState::Listening => "listening",
            PortState::Learning => "learning",
            PortState::Forwarding => "forwarding",
            PortState::Blocking => "blocking",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Port {
    pub ifindex: u32,
    pub port_no: u16,
    pub state: PortState,
    pub path_cost: u32,
    pub priority: u8,
    pub hairpin: bool,
    pub learning: bool,
    pub flood: bool,
    /// When forward_delay_timer expires: br_make_forwarding() arms it as a
    /// port leaves BLOCKING (with STP off too, where it changes nothing).
    #[serde(default)]
    pub fd_timer_until: Option<Time>,
    /// designated_port once a priority change rewrote it (else the port id
    /// br_init_port() gave it).
    #[serde(default)]
    pub designated_port: Option<u16>,
    /// The port's vlans (`bridge vlan`).
    #[serde(default)]
    pub vlans: br_vlan::VlanGroup,
}

/// One forwarding database entry (struct net_bridge_fdb_entry).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FdbEntry {
    /// The port ifindex (the bridge itself for its own address).
    pub port: u32,
    /// Local addresses (the bridge's and its ports' own) never age.
    pub is_local: bool,
    pub is_static: bool,
    pub updated: Time,
    pub used: Time,
    /// Creation order: the kernel's fdb_list takes new entries at its head,
    /// and dumps walk it (newest first); updates keep an entry's place.
    #[serde(default)]
    pub seq: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Bridge {
    pub ports: Vec<Port>,
    #[serde(with = "map_as_vec")]
    pub fdb: Map<(Mac, u16), FdbEntry>,
    /// How long a learned entry lives without traffic (BR_DEFAULT_AGEING_TIME 300 s).
    pub ageing_time: Time,
    pub stp: bool,
    pub priority: u16,
    pub forward_delay: Time,
    pub hello_time: Time,
    pub max_age: Time,
    /// The MAC half of the bridge id: zero until a port joins
    /// (br_stp_recalculate_bridge_id), then the lowest port address.
    #[serde(default)]
    pub id_mac: Mac,
    /// Whether a port ever joined (the bridge keeps the smallest
    /// tso_max_size its ports had after they leave).
    #[serde(default)]
    pub had_ports: bool,
    /// The last FdbEntry::seq given out.
    #[serde(default)]
    pub fdb_seq: u64,
    /// `mcast_snooping 0`: no IGMP/MLD snooping, so no multicast router
    /// discovery groups joined (br_multicast_toggle).
    #[serde(default)]
    pub mcast_snooping_off: bool,
    /// VLAN filtering, protocol, default pvid and the bridge's own vlans.
    #[serde(default)]
    pub vlan: br_vlan::BrVlanCfg,
    /// `bridge mdb` entries.
    #[serde(default)]
    pub mdb: Vec<br_mdb::MdbEntry>,
}

impl Default for Bridge {
    fn default() -> Self {
        Bridge {
            ports: Vec::new(),
            fdb: Map::default(),
            ageing_time: Time::from_secs(300),
            stp: false,
            priority: 0x8000,
            forward_delay: Time::from_secs(15),
            hello_time: Time::from_secs(2),
            max_age: Time::from_secs(20),
            id_mac: Mac::ZERO,
            had_ports: false,
            fdb_seq: 0,
            mcast_snooping_off: false,
            vlan: Default::default(),
            mdb: Vec::new(),
        }
    }
}

impl Bridge {
    /// The port id STP and `ip -d` show: priority in the top bits (BR_PORT_BITS = 10).
    pub fn port_id(p: &Port) -> u16 {
        ((p.priority as u16) << 10) | p.port_no
    }

    pub fn port(&self, ifindex: u32) -> Option<&Port> {
        self.ports.iter().find(|p| p.ifindex == ifindex)
    }
    pub fn port_mut(&mut self, ifindex: u32) -> Option<&mut Port> {
        self.ports.iter_mut().find(|p| p.ifindex == ifindex)
    }
    /// br_stp_set_port_priority(): a designated port's designated_port
    /// follows its new id. A port the bridge is designated for: an enabled
    /// one (the bridge is its own root here), or a disabled one whose
    /// recorded designated bridge (default priority) is still the bridge's id.
    pub fn set_port_priority(p: &mut Port, prio: u8, bridge_priority: u16) {
        let designated = p.state != PortState::Disabled || bridge_priority == 0x8000;
        p.priority = prio;
        if designated {
            p.designated_port = Some(Self::port_id(p));
        }
    }
    /// Puts an entry in the fdb: a new one goes to the head of the list, a
    /// changed one keeps its place.
    pub fn fdb_insert(&mut self, key: (Mac, u16), mut e: FdbEntry) {
        e.seq = match self.fdb.get(&key) {
            Some(old) => old.seq,
            None => {
                self.fdb_seq += 1;
                self.fdb_seq
            }
        };
        self.fdb.insert(key, e);
    }
    /// Whether an entry learned at `updated` has aged out at `now`.
    pub fn expired(&self, e: &FdbEntry, now: Time) -> bool {
        !e.is_local && !e.is_static && now >= e.updated + self.ageing_time
    }
    /// br_fdb_find_rcu(): the live entry for a MAC.
    pub fn fdb_get(&self, mac: Mac, now: Time) -> Option<&FdbEntry> {
        self.fdb.get(&(mac, 0)).filter(|e| !self.expired(e, now))
    }
    /// br_fdb_find_rcu() in vlan `vid`; a local address without a per-vlan
    /// entry (made before filtering was on) is still local.
    pub fn fdb_get_vid(&self, mac: Mac, vid: u16, now: Time) -> Option<&FdbEntry> {
        if vid == 0 {
            return self.fdb_get(mac, now);
        }
        self.fdb
            .get(&(mac, vid))
            .filter(|e| !self.expired(e, now))
            .or_else(|| self.fdb.get(&(mac, 0)).filter(|e| e.is_local))
    }
    /// br_fdb_update(): learn `mac` on `port` (not over a local entry).
    pub fn learn(&mut self, mac: Mac, port: u32, now: Time) {
        self.learn_vid(mac, 0, port, now)
    }
    /// br_fdb_update() in vlan `vid`.
    pub fn learn_vid(&mut self, mac: Mac, vid: u16, port: u32, now: Time) {
        match self.fdb.get_mut(&(mac, vid)) {
            Some(e) if e.is_local => {}
            Some(e) => {
                e.port = port;
                e.updated = now;
            }
            None => {
                self.fdb_insert(
                    (mac, vid),
                    FdbEntry {
                        port,
                        is_local: false,
                        is_static: false,
                        updated: now,
                        used: now,
                        seq: 0,
                    },
                );
            }
        }
    }
    /// Forget expired entries (the kernel's br_fdb_cleanup gc).
    pub fn gc(&mut self, now: Time) {
        let age = self.ageing_time.0;
        self.fdb
            .retain(|_, e| e.is_local || e.is_static || now.0 < e.updated.0.saturating_add(age));
    }
}
