//! One network namespace (`struct net`): its devices, addresses, FIB,
//! neighbours, sysctls and counters.

use crate::addr::{Ifaddr4, Ifaddr6};
use crate::dev::table::DevTable;
use crate::dev::Device;
use crate::ipv4::fib::Fib;
use crate::neigh::NeighTable;
use crate::snmp::Snmp;
use crate::sysctl::Sysctls;
use crate::types::NsId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// Identifies the datagram a fragment belongs to: (src, dst, id, protocol).
pub type FragKey = (Ipv4Addr, Ipv4Addr, u16, u8);
/// A queued fragment: offset, more-fragments flag, bytes (the first keeps its header).
pub type Fragment = (usize, bool, Vec<u8>);

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Netns {
    pub(crate) id: NsId,
    pub(crate) devs: DevTable,
    /// Last ifindex handed out (net->ifindex); dev_new_index starts after it.
    pub(crate) last_ifindex: u32,
    /// IPv4 addresses in the kernel's list order, per device.
    pub(crate) addrs4: Vec<Ifaddr4>,
    pub(crate) addrs6: Vec<Ifaddr6>,
    pub(crate) fib: Fib,
    pub(crate) neigh: NeighTable,
    pub(crate) sysctl: Sysctls,
    /// Ids this namespace has assigned to other namespaces (peernet2id).
    pub(crate) peer_ids: BTreeMap<NsId, i32>,
    pub(crate) snmp: Snmp,
    /// Kernel log lines (dmesg), oldest first.
    pub(crate) dmesg: Vec<String>,
    /// IP fragments waiting for reassembly (ip_defrag), by (src, dst, id, proto).
    #[serde(default)]
    pub(crate) frags: crate::types::LazyMap<FragKey, Vec<Fragment>>,
    /// IPv6 fragments waiting for reassembly (ipv6_frag_rcv), by (src, dst, id).
    #[serde(default)]
    pub(crate) frags6:
        crate::types::LazyMap<(std::net::Ipv6Addr, std::net::Ipv6Addr, u32), Vec<Fragment>>,
    /// Path MTUs learnt from "packet too big" (route exceptions): MTU and expiry.
    #[serde(default)]
    pub(crate) pmtu6: crate::types::LazyMap<std::net::Ipv6Addr, (u32, crate::types::Time)>,
    /// IPv4 next-hop exceptions (learnt path MTUs), by destination.
    #[serde(default)]
    pub(crate) fnhe: crate::types::LazyMap<Ipv4Addr, crate::ipv4::fnhe::Fnhe>,
    /// IPv4 multicast groups of the devices that joined one of their own.
    #[serde(default)]
    pub(crate) mc4: crate::types::LazyMap<u32, crate::ipv4::igmp::InDevMc>,
    /// ICMP rate-limit token buckets per destination (inet_peer rate_tokens, rate_last).
    #[serde(default)]
    pub(crate) icmp_peers: crate::types::LazyMap<std::net::IpAddr, (u64, crate::types::Time)>,
    /// Ids (in `World::sockets`) of the sockets open in this namespace, so
    /// delivery looks only at these.
    #[serde(default)]
    pub(crate) sockets: Vec<usize>,
    /// How many of them are packet sockets (ptype_all taps): frames are
    /// copied to taps only while there is one.
    #[serde(default)]
    pub(crate) taps: u32,
    /// Static IPv6 routes (`ip -6 route add`); kernel ones derive from addresses.
    #[serde(default)]
    pub(crate) routes6: Vec<Route6>,
    /// IPv6 tables other than main and local that fib6_new_table() made
    /// (by a route or a rule naming them); never freed.
    #[serde(default)]
    pub(crate) tables6: std::collections::BTreeSet<u32>,
    /// The first VRF added its l3mdev rules (vrf_add_fib_rules, once per
    /// namespace).
    #[serde(default)]
    pub(crate) vrf_rules_added: bool,
    /// iptables tables, conntrack and NAT.
    #[serde(default)]
    pub(crate) nf: crate::netfilter::Netfilter,
    /// Policy routing rules (`ip rule`, `ip -6 rule`).
    #[serde(default = "crate::fib_rules::FibRules::default_v4")]
    pub(crate) rules4: crate::fib_rules::FibRules,
    #[serde(default = "crate::fib_rules::FibRules::default_v6")]
    pub(crate) rules6: crate::fib_rules::FibRules,
    /// net->ipv4.fib_has_custom_rules: set by the first IPv4 rule added,
    /// never cleared.
    #[serde(default)]
    pub(crate) fib_has_custom_rules: bool,
    /// Nexthop objects (`ip nexthop`).
    #[serde(default)]
    pub(crate) nexthops: crate::ipv4::nexthop::NhTable,
    /// rtnetlink listeners (`ip monitor`): none while no one listens.
    #[serde(skip)]
    pub(crate) rtnl: Option<Box<crate::rtnl_notify::Listeners>>,
}

/// An administratively added IPv6 route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Route6 {
    pub dst: std::net::Ipv6Addr,
    pub len: u8,
    pub gateway: Option<std::net::Ipv6Addr>,
    pub dev: Option<u32>,
    pub metric: u32,
    pub rtype: crate::ipv4::fib::RouteType,
    /// The next hop's weight among its ECMP siblings (1..=256).
    #[serde(default = "weight_one")]
    pub weight: u16,
    /// RTA_NH_ID: the nexthop object the route goes through (`gateway`
    /// and `dev` then hold what it resolves to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nhid: Option<u32>,
    /// The FIB table (`table N`; RT6_TABLE_MAIN unless given).
    #[serde(default = "table_main")]
    pub table: u32,
}

fn weight_one() -> u16 {
    1
}

fn table_main() -> u32 {
    crate::ipv4::fib::RT_TABLE_MAIN
}

impl Route6 {
    /// rt6_qualify_for_ecmp(): a unicast route through a gateway joins the
    /// routes of its prefix and metric as a sibling.
    pub fn qualifies_for_ecmp(&self) -> bool {
        self.gateway.is_some() && self.rtype == crate::ipv4::fib::RouteType::Unicast
    }
    /// Same table, prefix and metric: the same fib6 node and slot.
    pub fn same_key(&self, o: &Route6) -> bool {
        self.table == o.table && self.dst == o.dst && self.len == o.len && self.metric == o.metric
    }
}

/// Read-only views for listings: tools change a namespace only through
/// `World`'s operations.
impl Netns {
    pub fn id(&self) -> NsId {
        self.id
    }
    pub fn devs(&self) -> &DevTable {
        &self.devs
    }
    pub fn addrs4(&self) -> &[Ifaddr4] {
        &self.addrs4
    }
    pub fn addrs6(&self) -> &[Ifaddr6] {
        &self.addrs6
    }
    pub fn fib(&self) -> &Fib {
        &self.fib
    }
    pub fn neigh(&self) -> &NeighTable {
        &self.neigh
    }
    pub fn sysctl(&self) -> &Sysctls {
        &self.sysctl
    }
    pub fn peer_ids(&self) -> &BTreeMap<NsId, i32> {
        &self.peer_ids
    }
    pub fn snmp(&self) -> &Snmp {
        &self.snmp
    }
    pub fn dmesg(&self) -> &[String] {
        &self.dmesg
    }
    /// The policy rules of a family (`ip rule`, `ip -6 rule`).
    pub fn rules(&self, v6: bool) -> &crate::fib_rules::FibRules {
        if v6 {
            &self.rules6
        } else {
            &self.rules4
        }
    }
    /// Whether an IPv4 rule was ever added (the local table then answers
    /// as itself, not merged into main).
    pub fn fib_has_custom_rules(&self) -> bool {
        self.fib_has_custom_rules
    }
    pub fn routes6(&self) -> &[Route6] {
        &self.routes6
    }
    /// Whether an IPv6 table exists (fib6_get_table): main and local
    /// always, others once a route or rule made them.
    pub fn table6_exists(&self, t: u32) -> bool {
        use crate::ipv4::fib::{RT_TABLE_LOCAL, RT_TABLE_MAIN};
        t == RT_TABLE_MAIN || t == RT_TABLE_LOCAL || self.tables6.contains(&t)
    }
    /// The IPv6 tables that exist, in the order a dump visits them
    /// (inet6_dump_fib walks the table hash by id & 255).
    pub fn tables6(&self) -> Vec<u32> {
        use crate::ipv4::fib::{RT_TABLE_LOCAL, RT_TABLE_MAIN};
        let mut v: Vec<u32> = self.tables6.iter().copied().collect();
        v.extend([RT_TABLE_MAIN, RT_TABLE_LOCAL]);
        v.sort_by_key(|t| (t & 255, std::cmp::Reverse(*t)));
        v.dedup();
        v
    }
    /// Path MTUs learnt from "packet too big": MTU and expiry by destination.
    pub fn pmtu6(&self) -> &crate::types::LazyMap<std::net::Ipv6Addr, (u32, crate::types::Time)> {
        &self.pmtu6
    }
    pub fn nf(&self) -> &crate::netfilter::Netfilter {
        &self.nf
    }
}

impl Netns {
    pub fn new(id: NsId) -> Netns {
        Netns {
            id,
            devs: DevTable::default(),
            last_ifindex: 0,
            addrs4: Vec::new(),
            addrs6: Vec::new(),
            fib: Fib::default(),
            neigh: NeighTable::default(),
            sysctl: Sysctls::for_netns(id),
            peer_ids: BTreeMap::new(),
            snmp: Snmp::default(),
            dmesg: Vec::new(),
            frags: Default::default(),
            mc4: Default::default(),
            icmp_peers: Default::default(),
            frags6: Default::default(),
            pmtu6: Default::default(),
            fnhe: Default::default(),
            routes6: Vec::new(),
            tables6: Default::default(),
            vrf_rules_added: false,
            sockets: Vec::new(),
            taps: 0,
            nf: Default::default(),
            rules4: crate::fib_rules::FibRules::default_v4(),
            rules6: crate::fib_rules::FibRules::default_v6(),
            fib_has_custom_rules: false,
            nexthops: Default::default(),
            rtnl: None,
        }
    }

    pub fn dev(&self, ifindex: u32) -> Option<&Device> {
        self.devs.get(&ifindex)
    }
    pub(crate) fn dev_mut(&mut self, ifindex: u32) -> Option<&mut Device> {
        self.devs.get_mut(&ifindex)
    }
    /// The loopback device's index (net->loopback_dev): made first with
    /// the namespace, never moved or deleted, so the walk stops at once.
    pub fn loopback_ifindex(&self) -> u32 {
        self.devs
            .values()
            .find(|d| d.is_loopback())
            .map_or(1, |d| d.ifindex)
    }
    /// __dev_get_by_name(): by name or by alternative name.
    pub fn dev_by_name(&self, name: &str) -> Option<&Device> {
        self.devs
            .values()
            .find(|d| d.name == name || d.altnames.iter().any(|a| a == name))
    }
    pub fn ifindex_of(&self, name: &str) -> Option<u32> {
        self.dev_by_name(name).map(|d| d.ifindex)
    }
    /// list_netdevice(): a device joins the namespace, with the
    /// namespace's default conf knobs.
    pub(crate) fn list_netdevice(&mut self, d: Box<Device>) {
        self.sysctl.devconf_init(&d.name);
        self.devs.insert(d.ifindex, d);
    }
    pub fn dev_names(&self) -> Vec<&str> {
        self.devs.values().map(|d| d.name.as_str()).collect()
    }

    /// dev_index_reserve(): the next free index after the last one given.
    pub fn alloc_ifindex(&mut self, wanted: Option<u32>) -> u32 {
        if let Some(w) = wanted {
            if w != 0 && !self.devs.contains_key(&w) {
                return w;
            }
        }
        let mut i = self.last_ifindex;
        loop {
            i = i.wrapping_add(1).max(1);
            if !self.devs.contains_key(&i) {
                self.last_ifindex = i;
                return i;
            }
        }
    }

    pub fn addrs4_of(&self, ifindex: u32) -> impl Iterator<Item = &Ifaddr4> {
        self.addrs4.iter().filter(move |a| a.ifindex == ifindex)
    }

    /// The primary address of a device (first non-secondary), for source selection.
    pub fn primary4(&self, ifindex: u32) -> Option<&Ifaddr4> {
        self.addrs4_of(ifindex).find(|a| !a.secondary)
    }

    /// Whether `a` is one of this namespace's own addresses.
    pub fn is_local4(&self, a: Ipv4Addr) -> bool {
        self.addrs4.iter().any(|x| x.local == a)
    }

    /// inet_select_addr(): a source address on `ifindex` suitable for `dst`
    /// with scope at most `scope`; falls back to any device's address.
    pub fn select_src4(
        &self,
        ifindex: u32,
        dst: Option<Ipv4Addr>,
        scope: crate::addr::Scope,
    ) -> Option<Ipv4Addr> {
        let ok = |a: &&Ifaddr4| !a.secondary && a.scope <= scope;
        if let Some(d) = dst {
            if let Some(a) = self.addrs4_of(ifindex).filter(ok).find(|a| a.matches(d)) {
                return Some(a.local);
            }
        }
        if let Some(a) = self.addrs4_of(ifindex).find(ok) {
            return Some(a.local);
        }
        // Any other device's primary address with a global-enough scope
        // (loopback first, as the kernel walks devices in index order).
        self.addrs4
            .iter()
            .filter(|a| !a.secondary && a.scope <= scope && a.scope != crate::addr::Scope::Host)
            .map(|a| a.local)
            .next()
    }
}

/// IFNAMSIZ: a device name and its NUL fit in 16 bytes.
pub const IFNAMSIZ: usize = 16;

/// NAME_MAX: the longest file name, so the longest `/run/netns/NAME`.
pub const NAME_MAX: usize = 255;

/// The kernel's dev_valid_name(): not empty, shorter than IFNAMSIZ, not
/// "." or "..", and no '/', ':', white space (isspace) or NUL.
pub fn dev_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() < IFNAMSIZ
        && name != "."
        && name != ".."
        && !name.bytes().any(|b| {
            matches!(
                b,
                b'/' | b':' | 0 | b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'
            )
        })
}

/// iproute2's netns name check (ipnetns.c invalid_name()): the name is a
/// file in /run/netns, so not empty, at most NAME_MAX bytes, no '/', not
/// "." or ".."; a NUL (which C would cut the name at) is refused too.
pub fn valid_netns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= NAME_MAX
        && name != "."
        && name != ".."
        && !name.contains(['/', '\0'])
}
