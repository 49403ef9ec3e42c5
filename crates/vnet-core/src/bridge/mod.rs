//! The Linux bridge (net/bridge): ports, forwarding database, ageing, STP knobs.
//!
//! Read br_input.c (br_handle_frame, br_handle_frame_finish) and br_forward.c
//! first; the packet path lives beside them (`br_input`, `br_forward`,
//! `br_device`), ports in `br_if`, attributes in `br_netlink`; this module
//! owns the state.

pub mod br_device;
pub mod br_fdb;
pub mod br_forward;
pub mod br_if;
pub mod br_input;
pub mod br_mdb;
pub mod br_multicast;
pub mod br_netlink;
pub mod br_stp;
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
    /// The spanning tree's view of the port.
    #[serde(default)]
    pub stp: br_stp::PortStp,
    /// The IFLA_BRPORT_* flags beyond learning/flood/hairpin.
    #[serde(default)]
    pub flags: PortFlags,
    /// The port's vlans (`bridge vlan`).
    #[serde(default)]
    pub vlans: br_vlan::VlanGroup,
}

/// A port's options (IFLA_BRPORT_*, the BR_* bits of net_bridge_port.flags
/// and the few values beside them), as `bridge link set` and
/// `ip link set ... type bridge_slave` change them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortFlags {
    /// BR_BPDU_GUARD: a BPDU received disables the port.
    pub guard: bool,
    /// BR_ROOT_BLOCK: the port may not become the root port.
    pub root_block: bool,
    pub fastleave: bool,
    pub proxy_arp: bool,
    pub proxy_arp_wifi: bool,
    /// multicast_router: 0 disabled, 1 temporary (default), 2 permanent, 3 temporary query.
    pub mcast_router: u8,
    /// BR_MCAST_FLOOD: unknown multicast goes out here.
    pub mcast_flood: bool,
    /// BR_BCAST_FLOOD: broadcast goes out here.
    pub bcast_flood: bool,
    pub mcast_to_unicast: bool,
    pub neigh_suppress: bool,
    pub group_fwd_mask: u16,
    pub vlan_tunnel: bool,
    /// BR_ISOLATED: nothing passes between two isolated ports.
    pub isolated: bool,
    pub locked: bool,
    /// backup_port's ifindex.
    pub backup_port: Option<u32>,
}

impl Default for PortFlags {
    fn default() -> Self {
        PortFlags {
            guard: false,
            root_block: false,
            fastleave: false,
            proxy_arp: false,
            proxy_arp_wifi: false,
            mcast_router: 1,
            mcast_flood: true,
            bcast_flood: true,
            mcast_to_unicast: false,
            neigh_suppress: false,
            group_fwd_mask: 0,
            vlan_tunnel: false,
            isolated: false,
            locked: false,
            backup_port: None,
        }
    }
}

/// The bridge's options that the packet path reads little or not at all
/// (IFLA_BR_*): kept to be printed as set. Multicast intervals are in
/// clock_t (centiseconds), as the tools give and print them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BrConf {
    /// Which link-local groups (01:80:c2:00:00:0X, bit X) are forwarded.
    pub group_fwd_mask: u16,
    /// Where BPDUs go (and which ones are taken).
    pub group_addr: Mac,
    pub no_linklocal_learn: bool,
    pub nf_call_iptables: bool,
    pub nf_call_ip6tables: bool,
    pub nf_call_arptables: bool,
    pub vlan_stats_enabled: bool,
    pub vlan_stats_per_port: bool,
    pub mcast_vlan_snooping: bool,
    pub mcast_router: u8,
    pub mcast_query_use_ifaddr: bool,
    pub mcast_querier: bool,
    pub mcast_hash_elasticity: u32,
    pub mcast_hash_max: u32,
    pub mcast_last_member_count: u32,
    pub mcast_startup_query_count: u32,
    pub mcast_last_member_interval: u64,
    pub mcast_membership_interval: u64,
    pub mcast_querier_interval: u64,
    pub mcast_query_interval: u64,
    pub mcast_query_response_interval: u64,
    pub mcast_startup_query_interval: u64,
    pub mcast_stats_enabled: bool,
    pub mcast_igmp_version: u8,
    pub mcast_mld_version: u8,
}

impl Default for BrConf {
    fn default() -> Self {
        BrConf {
            group_fwd_mask: 0,
            group_addr: Mac([0x01, 0x80, 0xc2, 0, 0, 0]),
            no_linklocal_learn: false,
            nf_call_iptables: false,
            nf_call_ip6tables: false,
            nf_call_arptables: false,
            vlan_stats_enabled: false,
            vlan_stats_per_port: false,
            mcast_vlan_snooping: false,
            mcast_router: 1,
            mcast_query_use_ifaddr: false,
            mcast_querier: false,
            mcast_hash_elasticity: 16,
            mcast_hash_max: 4096,
            mcast_last_member_count: 2,
            mcast_startup_query_count: 2,
            mcast_last_member_interval: 100,
            mcast_membership_interval: 26000,
            mcast_querier_interval: 25500,
            mcast_query_interval: 12500,
            mcast_query_response_interval: 1000,
            // 125 s / 4 in jiffies (HZ=250), truncated on the way to clock_t.
            mcast_startup_query_interval: 3124,
            mcast_stats_enabled: false,
            mcast_igmp_version: 2,
            mcast_mld_version: 1,
        }
    }
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
    /// The other options (IFLA_BR_*).
    #[serde(default)]
    pub conf: BrConf,
    /// The spanning tree's state.
    #[serde(default)]
    pub st: br_stp::BrStp,
    /// VLAN filtering, protocol, default pvid and the bridge's own vlans.
    #[serde(default)]
    pub vlan: br_vlan::BrVlanCfg,
    /// `bridge mdb` entries.
    #[serde(default)]
    pub mdb: Vec<br_mdb::MdbEntry>,
    /// When the fdb gc work is due (see br_fdb), if armed.
    #[serde(default)]
    pub gc_at: Option<Time>,
    /// When the mdb's next temporary entry may age out, if armed (one
    /// event for all, as `gc_at`; see br_multicast).
    #[serde(default)]
    pub mdb_timer: Option<Time>,
}

impl Default for Bridge {
    fn default() -> Self {
        let mut b = Bridge {
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
            conf: BrConf::default(),
            st: Default::default(),
            vlan: Default::default(),
            mdb: Vec::new(),
            gc_at: None,
            mdb_timer: None,
        };
        b.stp_init();
        b
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
        !e.is_local && !e.is_static && now >= e.updated + self.effective_ageing()
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
        let age = self.effective_ageing().0;
        self.fdb
            .retain(|_, e| e.is_local || e.is_static || now.0 < e.updated.0.saturating_add(age));
    }
}
