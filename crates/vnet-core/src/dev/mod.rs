//! Network devices (`struct net_device`): kinds, flags, carrier and operstate.
//!
//! The carrier rules follow the drivers: a veth has carrier only while its
//! peer is up; a tap/tun only while a program holds it (tun_attach); a bridge
//! only while one of its ports forwards; loopback and dummy always.

pub mod bond;
pub mod bond_3ad;
pub mod core;
pub mod ifb;
pub mod ipvlan;
pub mod link_watch;
pub mod macvlan;
pub mod rtnetlink;
pub mod table;
pub mod tun;
pub mod vlan;
pub mod vrf;

use crate::bridge::Bridge;
use crate::tunnel::Tunnel;
use crate::types::{Mac, NsId};
use serde::{Deserialize, Serialize};

/// IFF_* flags as the kernel reports them (include/uapi/linux/if.h).
pub mod iff {
    pub const UP: u32 = 0x1;
    pub const BROADCAST: u32 = 0x2;
    pub const LOOPBACK: u32 = 0x8;
    pub const POINTOPOINT: u32 = 0x10;
    pub const RUNNING: u32 = 0x40;
    pub const NOARP: u32 = 0x80;
    pub const PROMISC: u32 = 0x100;
    pub const ALLMULTI: u32 = 0x200;
    pub const MASTER: u32 = 0x400;
    pub const SLAVE: u32 = 0x800;
    pub const MULTICAST: u32 = 0x1000;
    pub const DYNAMIC: u32 = 0x8000;
    pub const LOWER_UP: u32 = 0x10000;
}

/// ARPHRD_* device types (include/uapi/linux/if_arp.h).
pub mod arphrd {
    pub const ETHER: u16 = 1;
    pub const TUNNEL: u16 = 768;
    pub const SIT: u16 = 776;
    pub const IPGRE: u16 = 778;
    pub const LOOPBACK: u16 = 772;
    pub const NONE: u16 = 65534;
}

/// RFC 2863 operational state (IF_OPER_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OperState {
    Unknown,
    Down,
    LowerLayerDown,
    Up,
}

impl OperState {
    pub fn name(self) -> &'static str {
        match self {
            OperState::Unknown => "UNKNOWN",
            OperState::Down => "DOWN",
            OperState::LowerLayerDown => "LOWERLAYERDOWN",
            OperState::Up => "UP",
        }
    }
}

/// A reference to a device anywhere in the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DevRef {
    pub ns: NsId,
    pub ifindex: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum DevKind {
    Loopback,
    Veth {
        peer: DevRef,
    },
    /// tun (L3) or tap (L2), from /dev/net/tun.
    Tun {
        tap: bool,
        persist: bool,
        owner: Option<u32>,
        group: Option<u32>,
        attached: u32,
    },
    Bridge(Box<Bridge>),
    Dummy,
    /// A VRF (drivers/net/vrf.c): an l3mdev whose enslaved devices' routes
    /// live in `table`.
    Vrf {
        table: u32,
    },
    /// An IP tunnel (ipip, gre, gretap, erspan, sit, vti): see `tunnel`.
    Tunnel(Box<Tunnel>),
    /// A vxlan device: see `vxlan_core`.
    Vxlan(Box<crate::tunnel::vxlan::Vxlan>),
    /// A physical NIC (`eth0`), on a link to other hosts' NICs: see `host`.
    Nic {
        segment: Option<usize>,
    },
    /// An 802.1Q/802.1ad vlan on a lower device: see `vlan`.
    Vlan(Box<vlan::Vlan>),
    /// A macvlan or macvtap on a lower device: see `macvlan`.
    Macvlan(Box<macvlan::Macvlan>),
    /// An ipvlan on a lower device: see `ipvlan`.
    Ipvlan(Box<ipvlan::Ipvlan>),
    /// An Intermediate Functional Block device: see `ifb`.
    Ifb,
    /// A bonding master: see `bond`.
    Bond(Box<bond::Bond>),
}

impl DevKind {
    /// The rtnl_link_ops kind name (`ip -d link`, IFLA_INFO_KIND).
    pub fn kind_name(&self) -> Option<&'static str> {
        match self {
            DevKind::Loopback => None,
            DevKind::Veth { .. } => Some("veth"),
            DevKind::Tun { .. } => Some("tun"),
            DevKind::Bridge(_) => Some("bridge"),
            DevKind::Dummy => Some("dummy"),
            DevKind::Vrf { .. } => Some("vrf"),
            DevKind::Tunnel(t) => Some(t.kind.kind_name()),
            DevKind::Vxlan(_) => Some("vxlan"),
            // A physical device has no rtnl_link_ops.
            DevKind::Nic { .. } => None,
            DevKind::Vlan(_) => Some("vlan"),
            DevKind::Macvlan(m) if m.tap => Some("macvtap"),
            DevKind::Macvlan(_) => Some("macvlan"),
            DevKind::Ipvlan(_) => Some("ipvlan"),
            DevKind::Ifb => Some("ifb"),
            DevKind::Bond(_) => Some("bond"),
        }
    }

    /// The device a stacked device (vlan, macvlan, ipvlan) sits on.
    pub fn lower(&self) -> Option<DevRef> {
        match self {
            DevKind::Vlan(v) => Some(v.lower),
            DevKind::Macvlan(m) => Some(m.lower),
            DevKind::Ipvlan(v) => Some(v.lower),
            _ => None,
        }
    }
}

/// Per-device counters (struct rtnl_link_stats64).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DevStats {
    pub rx_packets: u64,
    pub rx_bytes: u64,
    pub rx_errors: u64,
    pub rx_dropped: u64,
    pub rx_multicast: u64,
    pub tx_packets: u64,
    pub tx_bytes: u64,
    pub tx_errors: u64,
    pub tx_dropped: u64,
    pub tx_carrier: u64,
    pub collisions: u64,
    /// carrier_up_count + carrier_down_count (`transns` in `ip -s -s`).
    #[serde(default)]
    pub carrier_changes: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Device {
    pub ifindex: u32,
    pub name: String,
    pub kind: DevKind,
    pub mac: Mac,
    pub mtu: u32,
    /// IFF_UP as set by the administrator.
    pub up: bool,
    /// Promiscuity count (bridge ports and packet sockets raise it).
    pub promisc: u32,
    /// IFF_PROMISC as the administrator set it (dev->gflags): only this shows
    /// in the flags, as dev_get_flags() reports.
    #[serde(default)]
    pub promisc_user: bool,
    pub noarp: bool,
    /// IFF_ALLMULTI as the administrator set it (dev->gflags).
    #[serde(default)]
    pub allmulti_user: bool,
    /// IFF_MULTICAST cleared by the administrator (`multicast off`).
    #[serde(default)]
    pub nomulticast: bool,
    /// IFF_DYNAMIC (`dynamic on`): a flag the kernel only keeps.
    #[serde(default)]
    pub dynamic: bool,
    /// ifindex of the bridge this device is a port of.
    pub master: Option<u32>,
    pub txqlen: u32,
    /// The qdisc attached at first up ("noop" until then).
    pub qdisc: Option<String>,
    pub stats: DevStats,
    /// IFLA_IFALIAS (`ip link set DEV alias TEXT`).
    pub alias: Option<String>,
    /// NET_ADDR_SET: the MAC was given explicitly (bridges then stop following ports).
    pub mac_set: bool,
    /// IFLA_GROUP (`ip link set DEV group N`); 0 is "default".
    pub group: u32,
    /// Alternative names (IFLA_PROP_LIST/IFLA_ALT_IFNAME), in the order
    /// added: found by every lookup by name, as the kernel's name nodes are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub altnames: Vec<String>,
    /// TUNSETIFF flags of a tun/tap device (IFF_NO_PI, IFF_ONE_QUEUE, ...).
    #[serde(default)]
    pub tun_flags: u16,
    /// The carrier last seen, to count transitions.
    #[serde(default)]
    pub last_carrier: bool,
    /// dev->operstate as linkwatch last computed it; None until it first
    /// runs for the device (IF_OPER_UNKNOWN).
    #[serde(default)]
    pub oper: Option<OperState>,
    /// The vlans, macvlans and ipvlans on this device (its upper devices,
    /// wherever they live): their rx_handler and vlan lookup.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uppers: Vec<DevRef>,
}

/// TUNSETIFF flag bits (include/uapi/linux/if_tun.h).
pub mod tunf {
    pub const MULTI_QUEUE: u16 = 0x0100;
    pub const NO_PI: u16 = 0x1000;
    pub const ONE_QUEUE: u16 = 0x2000;
    pub const VNET_HDR: u16 = 0x4000;
}

impl Device {
    pub fn new(ifindex: u32, name: &str, kind: DevKind, mac: Mac) -> Device {
        let (mtu, txqlen) = match &kind {
            DevKind::Loopback => (65536, 1000),
            DevKind::Dummy | DevKind::Bridge(_) => (1500, 1000),
            // vrf_setup(): dev->mtu = 64K + 39 (IP6_MAX_MTU's room).
            DevKind::Vrf { .. } => (65575, 1000),
            DevKind::Tun { tap: true, .. } => (1500, 1000),
            DevKind::Tun { .. } => (1500, 500),
            DevKind::Veth { .. } => (1500, 1000),
            DevKind::Tunnel(_) | DevKind::Vxlan(_) | DevKind::Nic { .. } => (1500, 1000),
            // macvtap_newlink() keeps tap's queue length.
            DevKind::Macvlan(m) if m.tap => (1500, 500),
            DevKind::Vlan(_) | DevKind::Macvlan(_) | DevKind::Ipvlan(_) => (1500, 1000),
            DevKind::Ifb => (1500, ifb::TX_Q_LIMIT),
            DevKind::Bond(_) => (1500, 1000),
        };
        // Devices start with carrier on; veth and tun turn it off right after
        // registering (their creators fire that event), and so does a
        // bridge, counted once (carrier_changes 1 on the reference kernel).
        let born_with_carrier = matches!(
            kind,
            DevKind::Loopback
                | DevKind::Dummy
                | DevKind::Vrf { .. }
                | DevKind::Tunnel(_)
                | DevKind::Vxlan(_)
                | DevKind::Ifb
        );
        // bond_newlink() turns the carrier off after registering, as a
        // bridge does: one change, operstate DOWN.
        let is_bridge = matches!(kind, DevKind::Bridge(_) | DevKind::Bond(_));
        let carrier_changes = u64::from(is_bridge);
        Device {
            ifindex,
            name: name.to_string(),
            kind,
            mac,
            mtu,
            up: false,
            promisc: 0,
            promisc_user: false,
            noarp: false,
            allmulti_user: false,
            nomulticast: false,
            dynamic: false,
            master: None,
            txqlen,
            qdisc: None,
            stats: DevStats {
                carrier_changes,
                ..DevStats::default()
            },
            alias: None,
            mac_set: false,
            group: 0,
            altnames: Vec::new(),
            tun_flags: tunf::NO_PI,
            last_carrier: born_with_carrier,
            // The bridge's carrier-off event: linkwatch set it DOWN.
            oper: is_bridge.then_some(OperState::Down),
            uppers: Vec::new(),
        }
    }

    pub fn is_loopback(&self) -> bool {
        matches!(self.kind, DevKind::Loopback)
    }
    pub fn is_bridge(&self) -> bool {
        matches!(self.kind, DevKind::Bridge(_))
    }
    pub fn bridge(&self) -> Option<&Bridge> {
        match &self.kind {
            DevKind::Bridge(b) => Some(b),
            _ => None,
        }
    }
    pub(crate) fn bridge_mut(&mut self) -> Option<&mut Bridge> {
        match &mut self.kind {
            DevKind::Bridge(b) => Some(b),
            _ => None,
        }
    }
    /// Whether the device carries Ethernet frames (ARPHRD_ETHER) rather than bare IP.
    pub fn is_ether(&self) -> bool {
        match &self.kind {
            DevKind::Loopback | DevKind::Tun { tap: false, .. } => false,
            DevKind::Tunnel(t) => t.kind.is_ether(),
            _ => true,
        }
    }
    pub fn is_tun_l3(&self) -> bool {
        matches!(self.kind, DevKind::Tun { tap: false, .. })
    }
    /// A device that carries bare IP packets: an L3 tun or an IP tunnel
    /// (ipip, gre, sit, vti), whose packets need no link-layer header.
    pub fn is_l3(&self) -> bool {
        !self.is_ether() && !self.is_loopback()
    }
    pub fn tunnel(&self) -> Option<&Tunnel> {
        match &self.kind {
            DevKind::Tunnel(t) => Some(t),
            _ => None,
        }
    }
    pub fn tunnel_mut(&mut self) -> Option<&mut Tunnel> {
        match &mut self.kind {
            DevKind::Tunnel(t) => Some(t),
            _ => None,
        }
    }
    /// The ARPHRD_* type (`ip link`'s link/TYPE, ifconfig's hardware type).
    pub fn arphrd(&self) -> u16 {
        match &self.kind {
            DevKind::Loopback => arphrd::LOOPBACK,
            DevKind::Tun { tap: false, .. } => arphrd::NONE,
            DevKind::Tunnel(t) => t.kind.arphrd(),
            _ => arphrd::ETHER,
        }
    }

    /// The device's own IFF_* flags plus IFF_LOWER_UP from `carrier` (which
    /// the world knows: it depends on peers and ports). IFF_RUNNING follows
    /// the operstate and is added by `World::flags`.
    pub fn flags(&self, carrier: bool) -> u32 {
        let mut f = match &self.kind {
            DevKind::Loopback => iff::LOOPBACK,
            DevKind::Tun { tap: false, .. } => iff::POINTOPOINT | iff::NOARP | iff::MULTICAST,
            DevKind::Dummy => iff::BROADCAST | iff::NOARP,
            // vrf_setup(): IFF_MASTER | IFF_NOARP.
            DevKind::Vrf { .. } => iff::MASTER | iff::NOARP,
            // ifb_setup(): IFF_NOARP, and IFF_MULTICAST taken away.
            DevKind::Ifb => iff::BROADCAST | iff::NOARP,
            DevKind::Tunnel(t) => t.dev_flags(),
            _ => iff::BROADCAST | iff::MULTICAST,
        };
        if self.noarp {
            f |= iff::NOARP;
        }
        if self.promisc_user {
            f |= iff::PROMISC;
        }
        if self.allmulti_user {
            f |= iff::ALLMULTI;
        }
        if self.nomulticast {
            f &= !iff::MULTICAST;
        }
        if self.dynamic {
            f |= iff::DYNAMIC;
        }
        if self.up {
            f |= iff::UP;
            if carrier {
                f |= iff::LOWER_UP;
            }
        }
        f
    }

    /// dev_get_iflink(): the peer for veth, the lower device for a vlan,
    /// macvlan or ipvlan, itself otherwise.
    pub fn iflink(&self) -> Option<DevRef> {
        match self.kind {
            DevKind::Veth { peer } => Some(peer),
            _ => self.kind.lower(),
        }
    }

    /// The other end of a veth.
    pub fn veth_peer(&self) -> Option<DevRef> {
        match self.kind {
            DevKind::Veth { peer } => Some(peer),
            _ => None,
        }
    }
}
