//! Interface addresses (struct in_ifaddr / inet6_ifaddr).

use crate::types::{mask, Time};
use serde::{Deserialize, Serialize};
use std::net::{Ipv4Addr, Ipv6Addr};

/// rtm/ifa scope (RT_SCOPE_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    Universe,
    Site,
    Link,
    Host,
    Nowhere,
}

impl Scope {
    pub fn value(self) -> u8 {
        match self {
            Scope::Universe => 0,
            Scope::Site => 200,
            Scope::Link => 253,
            Scope::Host => 254,
            Scope::Nowhere => 255,
        }
    }
    pub fn from_value(v: u8) -> Scope {
        match v {
            0 => Scope::Universe,
            200 => Scope::Site,
            253 => Scope::Link,
            254 => Scope::Host,
            _ => Scope::Nowhere,
        }
    }
    /// The name iproute2 prints (rtnl_rtscope_n2a).
    pub fn name(self) -> &'static str {
        match self {
            Scope::Universe => "global",
            Scope::Site => "site",
            Scope::Link => "link",
            Scope::Host => "host",
            Scope::Nowhere => "nowhere",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ifaddr4 {
    pub ifindex: u32,
    pub local: Ipv4Addr,
    /// IFA_ADDRESS: the peer on point-to-point addresses, else == local.
    pub address: Ipv4Addr,
    pub prefix_len: u8,
    pub broadcast: Option<Ipv4Addr>,
    pub label: String,
    pub scope: Scope,
    pub secondary: bool,
    pub noprefixroute: bool,
    /// IFA_F_MCAUTOJOIN: a multicast address whose group the device joins.
    #[serde(default)]
    pub autojoin: bool,
    pub metric: u32,
    /// Finite lifetimes (`valid_lft`/`preferred_lft`): the address is then
    /// "dynamic". None is forever (IFA_F_PERMANENT).
    #[serde(default)]
    pub valid_until: Option<Time>,
    #[serde(default)]
    pub preferred_until: Option<Time>,
}

impl Ifaddr4 {
    /// A plain global address `local/prefix_len` on a device, as
    /// `ip addr add` without options makes it (label and flags filled in by
    /// `World::addr_add`).
    pub fn new(ifindex: u32, local: Ipv4Addr, prefix_len: u8) -> Ifaddr4 {
        Ifaddr4 {
            ifindex,
            local,
            address: local,
            prefix_len,
            broadcast: None,
            label: String::new(),
            scope: Scope::Universe,
            secondary: false,
            noprefixroute: false,
            autojoin: false,
            metric: 0,
            valid_until: None,
            preferred_until: None,
        }
    }

    pub fn mask(&self) -> u32 {
        mask(self.prefix_len)
    }
    pub fn has_peer(&self) -> bool {
        self.address != self.local
    }
    /// The prefix this address makes connected (inet_ifa_match domain).
    pub fn subnet(&self) -> u32 {
        u32::from(self.address) & self.mask()
    }
    pub fn matches(&self, a: Ipv4Addr) -> bool {
        u32::from(a) & self.mask() == self.subnet()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ifaddr6 {
    pub ifindex: u32,
    pub addr: Ipv6Addr,
    pub prefix_len: u8,
    pub scope: Scope,
    /// While DAD runs the address is tentative; it ends at this time.
    pub dad_until: Option<Time>,
    /// Created by the kernel (link-local, ::1) rather than by `ip -6 addr add`.
    pub permanent: bool,
    /// IFA_F_NODAD: added with `nodad`, never tentative.
    pub nodad: bool,
    /// When the solicited-node group was joined: DAD work runs just after
    /// the address appears (addrconf_dad_work), not in the same instant.
    #[serde(default)]
    pub joined_at: Time,
}

impl Ifaddr6 {
    /// ipv6_addr_scope() order of the per-device list: global, host, link.
    pub fn scope_rank(&self) -> u8 {
        match self.scope {
            Scope::Universe => 0,
            Scope::Site => 0x05,
            Scope::Host => 0x10,
            Scope::Link => 0x20,
            Scope::Nowhere => 0xff,
        }
    }

    /// Whether the solicited-node multicast group is joined yet.
    pub fn mc_joined(&self, now: Time) -> bool {
        now >= self.joined_at
    }

    pub fn tentative(&self, now: Time) -> bool {
        self.dad_until.is_some_and(|t| now < t)
    }
}
