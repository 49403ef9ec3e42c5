//! IP tunnels: ipip, gre, gretap, erspan, sit and vti devices, as
//! net/ipv4/ip_tunnel.c builds them for ipip.c, ip_gre.c, ip_vti.c and
//! net/ipv6/sit.c. Read ip_tunnel.c first: ip_tunnel_lookup() (which
//! tunnel an arriving packet belongs to), ip_tunnel_bind_dev() (the MTU),
//! ip_tunnel_ctl() (the SIOC*TUNNEL ioctls `ip tunnel` uses) and
//! ip_tunnel_xmit() (encapsulation).
//!
//! Each kind has its own table per namespace (struct ip_tunnel_net) with a
//! fallback device (tunl0, gre0, gretap0, erspan0, sit0, ip_vti0) that the
//! module creates in every namespace when it loads, and in every namespace
//! created while it is loaded. The fallback receives what no other tunnel
//! claims, cannot be deleted and never leaves its namespace.
//!
//! Outer packets are built and received in the namespace the tunnel was
//! created in (`Tunnel::net`, the kernel's tunnel->net).

pub mod vxlan;

use crate::dev::{arphrd, iff, DevKind, DevRef, Device};
use crate::error::{Errno, KResult, KernelError};
use crate::ipv4::fib::RouteType;
use crate::netfilter::hook::Skb;
use crate::trace::{DropReason, Trace};
use crate::types::{Mac, NsId, Time};
use crate::wire::gre;
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The rtnl_link_ops kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TunnelKind {
    Ipip,
    Gre,
    Gretap,
    Erspan,
    Sit,
    Vti,
}

/// SIT_ISATAP and VTI_ISVTI share this i_flags bit (include/uapi/linux/if_tunnel.h).
pub const SIT_ISATAP: u16 = 0x0001;
pub const VTI_ISVTI: u16 = 0x0001;

pub const IPPROTO_IPIP: u8 = 4;
pub const IPPROTO_IPV6: u8 = 41;
pub const IPPROTO_GRE: u8 = 47;

/// ETH_DATA_LEN, IP_MAX_MTU, ETH_MIN_MTU.
const ETH_DATA_LEN: u32 = 1500;
const IP_MAX_MTU: u32 = 0xffff;
const ETH_MIN_MTU: u32 = 68;

impl TunnelKind {
    pub const ALL: [TunnelKind; 6] = [
        TunnelKind::Ipip,
        TunnelKind::Gre,
        TunnelKind::Gretap,
        TunnelKind::Erspan,
        TunnelKind::Sit,
        TunnelKind::Vti,
    ];
    pub fn kind_name(self) -> &'static str {
        match self {
            TunnelKind::Ipip => "ipip",
            TunnelKind::Gre => "gre",
            TunnelKind::Gretap => "gretap",
            TunnelKind::Erspan => "erspan",
            TunnelKind::Sit => "sit",
            TunnelKind::Vti => "vti",
        }
    }
    pub fn from_kind(s: &str) -> Option<TunnelKind> {
        TunnelKind::ALL.into_iter().find(|k| k.kind_name() == s)
    }
    pub fn arphrd(self) -> u16 {
        match self {
            TunnelKind::Ipip | TunnelKind::Vti => arphrd::TUNNEL,
            TunnelKind::Gre => arphrd::IPGRE,
            TunnelKind::Sit => arphrd::SIT,
            TunnelKind::Gretap | TunnelKind::Erspan => arphrd::ETHER,
        }
    }
    /// gretap and erspan carry Ethernet frames (ether_setup); the others bare IP.
    pub fn is_ether(self) -> bool {
        matches!(self, TunnelKind::Gretap | TunnelKind::Erspan)
    }
    /// The module whose init registers this kind.
    pub fn module(self) -> &'static str {
        match self {
            TunnelKind::Ipip => "ipip",
            TunnelKind::Gre | TunnelKind::Gretap | TunnelKind::Erspan => "ip_gre",
            TunnelKind::Sit => "sit",
            TunnelKind::Vti => "ip_vti",
        }
    }
    /// The kinds a module registers, in the order of its pernet operations
    /// (ipgre_init: gre, gretap, erspan).
    pub fn of_module(m: &str) -> &'static [TunnelKind] {
        match m {
            "ipip" => &[TunnelKind::Ipip],
            "ip_gre" => &[TunnelKind::Gre, TunnelKind::Gretap, TunnelKind::Erspan],
            "sit" => &[TunnelKind::Sit],
            "ip_vti" => &[TunnelKind::Vti],
            _ => &[],
        }
    }
    pub fn fallback_name(self) -> &'static str {
        match self {
            TunnelKind::Ipip => "tunl0",
            TunnelKind::Gre => "gre0",
            TunnelKind::Gretap => "gretap0",
            TunnelKind::Erspan => "erspan0",
            TunnelKind::Sit => "sit0",
            TunnelKind::Vti => "ip_vti0",
        }
    }
    /// The outer header's protocol.
    pub fn outer_proto(self) -> u8 {
        match self {
            TunnelKind::Ipip | TunnelKind::Vti => IPPROTO_IPIP,
            TunnelKind::Sit => IPPROTO_IPV6,
            _ => IPPROTO_GRE,
        }
    }
    fn is_gre(self) -> bool {
        matches!(
            self,
            TunnelKind::Gre | TunnelKind::Gretap | TunnelKind::Erspan
        )
    }
}

/// struct ip_tunnel_parm: what SIOC*TUNNEL carry and `ip tunnel` prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunnelParm {
    pub name: String,
    /// ifindex of the underlying device (`dev PHYS_DEV`), 0 for none.
    pub link: u32,
    /// GRE_CSUM | GRE_KEY | GRE_SEQ (see `gre::flags`), SIT_ISATAP, VTI_ISVTI.
    pub i_flags: u16,
    pub o_flags: u16,
    pub i_key: u32,
    pub o_key: u32,
    pub saddr: Ipv4Addr,
    pub daddr: Ipv4Addr,
    /// 0: inherit the inner packet's.
    pub ttl: u8,
    /// Bit 0 set: inherit the inner packet's (`inherit`, `inherit/XX`).
    pub tos: u8,
    /// iph.protocol: 4, 41, 47, or 0 (any).
    pub protocol: u8,
    /// iph.frag_off has IP_DF: path MTU discovery (`pmtudisc`).
    pub df: bool,
}

impl Default for TunnelParm {
    /// All zero, as iproute2's memset() leaves it.
    fn default() -> Self {
        TunnelParm {
            name: String::new(),
            link: 0,
            i_flags: 0,
            o_flags: 0,
            i_key: 0,
            o_key: 0,
            saddr: Ipv4Addr::UNSPECIFIED,
            daddr: Ipv4Addr::UNSPECIFIED,
            ttl: 0,
            tos: 0,
            protocol: 0,
            df: false,
        }
    }
}

/// struct ip_tunnel: the private part of a tunnel device.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tunnel {
    pub kind: TunnelKind,
    pub p: TunnelParm,
    /// The namespace's fallback device of this kind.
    pub fallback: bool,
    /// Where outer packets live (tunnel->net).
    pub net: NsId,
    pub o_seqno: u32,
    pub i_seqno: u32,
    pub ignore_df: bool,
    pub fwmark: u32,
    /// dev->min_mtu / max_mtu: ip_tunnel_create() (the ioctl path) sets
    /// them; netlink-created and fallback devices keep the defaults.
    pub min_mtu: u32,
    pub max_mtu: u32,
    /// ICMP errors about our outer packets (err_count, err_time): each of the
    /// next packets within IPTUNNEL_ERR_TIMEO reports a link failure.
    #[serde(default)]
    pub err_count: u32,
    #[serde(default)]
    pub err_time: Time,
    /// sit's 6rd prefix (SIOCADD6RD), 2002::/16 (6to4) until set.
    #[serde(default)]
    pub ip6rd: Ip6rd,
    /// sit/isatap's potential router list (SIOCADDPRL): address and flags.
    #[serde(default)]
    pub prl: Vec<(Ipv4Addr, u16)>,
}

/// PRL_DEFAULT: the router is a default router (`prl-default`).
pub const PRL_DEFAULT: u16 = 0x0001;

/// struct ip_tunnel_6rd_parm: which IPv6 prefix embeds which IPv4 bits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ip6rd {
    pub prefix: Ipv6Addr,
    pub prefixlen: u8,
    pub relay_prefix: Ipv4Addr,
    pub relay_prefixlen: u8,
}

impl Default for Ip6rd {
    /// ipip6_tunnel_clone_6rd() for a new tunnel: 6to4's 2002::/16.
    fn default() -> Self {
        Ip6rd {
            prefix: Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0),
            prefixlen: 16,
            relay_prefix: Ipv4Addr::UNSPECIFIED,
            relay_prefixlen: 0,
        }
    }
}

/// try_6rd(): the IPv4 address a 6rd (or 6to4) destination embeds right
/// after the prefix, the relay prefix's bits put back in front; 0.0.0.0
/// when `dst` is outside the prefix.
pub fn try_6rd(p: &Ip6rd, dst: Ipv6Addr) -> Ipv4Addr {
    let plen = p.prefixlen as u32;
    let n = 32 - p.relay_prefixlen.min(32) as u32;
    let bits = u128::from(dst);
    let pmask = if plen == 0 {
        0
    } else {
        u128::MAX << (128 - plen)
    };
    if bits & pmask != u128::from(p.prefix) & pmask || plen + n > 128 || n == 0 {
        return if n == 0 {
            p.relay_prefix
        } else {
            Ipv4Addr::UNSPECIFIED
        };
    }
    let d = ((bits >> (128 - plen - n)) as u64 & ((1u64 << n) - 1)) as u32;
    Ipv4Addr::from(u32::from(p.relay_prefix) | d)
}

/// isatap_chksrc(): an ISATAP tunnel takes packets from a router of its
/// PRL, or whose IPv6 source is an ISATAP address embedding the outer source.
fn isatap_chksrc(t: &Tunnel, outer_src: Ipv4Addr, inner: &[u8]) -> bool {
    if t.prl.iter().any(|(a, _)| *a == outer_src) {
        return true;
    }
    let Some(s) = inner.get(8..24) else {
        return false;
    };
    s[8] & 0xfd == 0 && s[9..12] == [0x00, 0x5e, 0xfe] && s[12..16] == outer_src.octets()
}

/// IPTUNNEL_ERR_TIMEO: 30 s.
const ERR_TIMEO: Time = Time::from_secs(30);

impl Tunnel {
    pub fn new(kind: TunnelKind, p: TunnelParm, net: NsId) -> Tunnel {
        let (min_mtu, max_mtu) = if kind.is_ether() {
            // ether_setup() gives 68..1500; ipgre_tap_setup() lifts the maximum.
            (ETH_MIN_MTU, 0)
        } else {
            (0, 0)
        };
        Tunnel {
            kind,
            p,
            fallback: false,
            net,
            o_seqno: 0,
            i_seqno: 0,
            ignore_df: false,
            fwmark: 0,
            min_mtu,
            max_mtu,
            err_count: 0,
            err_time: Time::ZERO,
            ip6rd: Ip6rd::default(),
            prl: Vec::new(),
        }
    }

    /// tunnel->hlen: the tunnel's own header (GRE with its options; ERSPAN
    /// v1 adds 8 bytes to a sequenced GRE header).
    pub fn hlen(&self) -> usize {
        match self.kind {
            TunnelKind::Gre | TunnelKind::Gretap => gre::header_len(self.p.o_flags),
            TunnelKind::Erspan => 8 + 8,
            _ => 0,
        }
    }
    /// The outer IPv4 header and the tunnel header.
    pub fn t_hlen(&self) -> usize {
        20 + self.hlen()
    }
    /// dev->hard_header_len that counts in the MTU (Ethernet for gretap).
    fn ll_hlen(&self) -> u32 {
        if self.kind.is_ether() {
            14
        } else {
            0
        }
    }

    /// The device flags: NOARP, and POINTOPOINT once a remote is set
    /// (ip_tunnel_bind_dev); BROADCAST for a multicast remote (gre).
    /// Ethernet kinds are BROADCAST|MULTICAST like any ether_setup device.
    pub fn dev_flags(&self) -> u32 {
        if self.kind.is_ether() {
            return iff::BROADCAST | iff::MULTICAST;
        }
        let mut f = iff::NOARP;
        if self.p.daddr.is_multicast() {
            f |= iff::BROADCAST;
        } else if !self.p.daddr.is_unspecified() {
            f |= iff::POINTOPOINT;
        }
        f
    }

    /// ip_tunnel_key_match(): a tunnel with an input key takes only packets
    /// with that key; one without takes only packets without.
    fn key_match(&self, key: Option<u32>) -> bool {
        if self.p.i_flags & gre::flags::KEY != 0 {
            key == Some(self.p.i_key)
        } else {
            key.is_none()
        }
    }
}

/// What a tunnel command may change besides the parameters (netlink only).
#[derive(Clone, Debug, Default)]
pub struct TunnelOpts {
    pub mtu: Option<u32>,
    pub mac: Option<Mac>,
    pub ignore_df: bool,
    pub fwmark: u32,
}

/// The ioctls of `ip tunnel` (SIOCGETTUNNEL ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TunnelCmd {
    Get,
    Add,
    Change,
    Del,
}

impl World {
    // ---- modules and fallback devices -----------------------------------

    /// The tunnel kinds whose module is loaded, in load order.
    fn tunnel_kinds_loaded(&self) -> Vec<TunnelKind> {
        self.modules
            .iter()
            .flat_map(|m| TunnelKind::of_module(m).iter().copied())
            .collect()
    }

    /// ip_tunnel_init_net() for each loaded kind a namespace lacks: its
    /// fallback device, named as the module names it (or the first free
    /// `kind%d` if a device already took the name).
    pub(crate) fn tunnel_init_net(&mut self, ns: NsId) {
        for kind in self.tunnel_kinds_loaded() {
            let has = self.ns(ns).devs.values().any(|d| {
                d.tunnel()
                    .is_some_and(|t| t.fallback && t.kind == kind && t.net == ns)
            });
            if has {
                continue;
            }
            let mut name = kind.fallback_name().to_string();
            if self.ns(ns).dev_by_name(&name).is_some() {
                name = self.alloc_name(ns, &format!("{}%d", kind.kind_name()));
            }
            let mut p = TunnelParm {
                name: name.clone(),
                ..TunnelParm::default()
            };
            // __gre_tunnel_init() and ipip6_fb_tunnel_init() fill in their protocol
            // (and sit a TTL of 64); vti's says IPIP.
            match kind {
                TunnelKind::Gre | TunnelKind::Gretap | TunnelKind::Erspan => {
                    p.protocol = IPPROTO_GRE
                }
                TunnelKind::Sit => {
                    p.protocol = IPPROTO_IPV6;
                    p.ttl = 64;
                }
                TunnelKind::Vti => p.protocol = IPPROTO_IPIP,
                TunnelKind::Ipip => {}
            }
            if kind == TunnelKind::Erspan {
                p.o_flags = gre::flags::SEQ;
            }
            let mut t = Tunnel::new(kind, p, ns);
            t.fallback = true;
            let mtu = self.ip_tunnel_bind_dev(&t);
            let idx = self.ns_mut(ns).alloc_ifindex(None);
            let mut d = Device::new(idx, &name, DevKind::Tunnel(Box::new(t)), Mac::ZERO);
            d.mtu = mtu;
            self.ns_mut(ns).devs.insert(idx, Box::new(d));
        }
    }

    /// After modules were loaded or removed: every namespace gets the
    /// fallback devices of the loaded tunnel modules, and the devices of
    /// removed ones go (ip_tunnel_delete_nets() takes every device of the kind).
    pub fn tunnel_modules_sync(&mut self) {
        let loaded = self.tunnel_kinds_loaded();
        // Modules are the current host's: its namespaces only.
        let nss: Vec<NsId> = (0..self.netns.len())
            .filter(|i| self.ns_alive(*i) && self.host_of(*i) == self.cur_host)
            .collect();
        for ns in &nss {
            let doomed: Vec<u32> = self
                .ns(*ns)
                .devs
                .values()
                .filter(|d| d.tunnel().is_some_and(|t| !loaded.contains(&t.kind)))
                .map(|d| d.ifindex)
                .collect();
            for i in doomed {
                self.unregister_dev(*ns, i);
            }
        }
        for ns in nss {
            self.tunnel_init_net(ns);
        }
    }

    // ---- configuration --------------------------------------------------

    /// ip_tunnel_bind_dev(): the MTU a tunnel gets: that of the device its
    /// remote is routed through (or its `dev`, else 1500) less the headers.
    pub(crate) fn ip_tunnel_bind_dev(&self, t: &Tunnel) -> u32 {
        let mut mtu = ETH_DATA_LEN;
        let mut tdev = None;
        if !t.p.daddr.is_unspecified() && self.ns_alive(t.net) {
            let src = (!t.p.saddr.is_unspecified()).then_some(t.p.saddr);
            let oif = (t.p.link != 0).then_some(t.p.link);
            if let Ok(rt) = self.route_output(t.net, t.p.daddr, src, oif) {
                tdev = Some(rt.dev);
            }
        }
        if tdev.is_none() && t.p.link != 0 {
            tdev = Some(t.p.link);
        }
        if let Some(d) = tdev.and_then(|i| self.ns(t.net).dev(i)) {
            mtu = d.mtu;
        }
        mtu.saturating_sub(t.t_hlen() as u32 + t.ll_hlen())
            .max(ETH_MIN_MTU)
    }

    /// The tunnels of one kind in a namespace's table (struct
    /// ip_tunnel_net): the ones created there. (A tunnel moved to another
    /// namespace keeps sending from here, but receive does not find it.)
    fn itn(
        &self,
        ns: NsId,
        kind: TunnelKind,
    ) -> impl Iterator<Item = (DevRef, &Tunnel, bool)> + '_ {
        self.ns(ns).devs.values().filter_map(move |d| {
            let t = d.tunnel()?;
            (t.kind == kind && t.net == ns).then_some((
                DevRef {
                    ns,
                    ifindex: d.ifindex,
                },
                t,
                d.up,
            ))
        })
    }

    fn kind_loaded(&self, k: TunnelKind) -> bool {
        self.modules.iter().any(|m| m == k.module())
    }

    /// ip_tunnel_find(): a tunnel with the same endpoints, link and input key.
    fn ip_tunnel_find(&self, ns: NsId, kind: TunnelKind, p: &TunnelParm) -> Option<DevRef> {
        let key = (p.i_flags & gre::flags::KEY != 0).then_some(p.i_key);
        self.itn(ns, kind)
            .into_iter()
            .find(|(_, t, _)| {
                t.p.saddr == p.saddr
                    && t.p.daddr == p.daddr
                    && t.p.link == p.link
                    && t.key_match(key)
            })
            .map(|(r, _, _)| r)
    }

    fn fallback_of(&self, ns: NsId, kind: TunnelKind) -> Option<DevRef> {
        self.itn(ns, kind)
            .into_iter()
            .find(|(_, t, _)| t.fallback)
            .map(|(r, _, _)| r)
    }

    /// Registers a tunnel device; returns its ifindex.
    fn tunnel_register(
        &mut self,
        ns: NsId,
        name: &str,
        mut t: Tunnel,
        opts: &TunnelOpts,
    ) -> KResult<u32> {
        if self.ns(ns).dev_by_name(name).is_some() {
            return Err(Errno::EEXIST.into());
        }
        if t.p.link != 0 && self.ns(ns).dev(t.p.link).is_none() {
            return Err(Errno::ENODEV.into());
        }
        t.p.name = name.to_string();
        t.ignore_df = opts.ignore_df;
        t.fwmark = opts.fwmark;
        let bound = self.ip_tunnel_bind_dev(&t);
        let max = IP_MAX_MTU - t.t_hlen() as u32 - t.ll_hlen();
        let mtu = match opts.mtu {
            Some(m) => m.clamp(ETH_MIN_MTU, max),
            None => bound,
        };
        let mac = if t.kind.is_ether() {
            opts.mac.unwrap_or_else(|| self.rng.mac())
        } else {
            Mac::ZERO
        };
        let idx = self.ns_mut(ns).alloc_ifindex(None);
        let mut d = Device::new(idx, name, DevKind::Tunnel(Box::new(t)), mac);
        d.mtu = mtu;
        d.mac_set = opts.mac.is_some();
        self.ns_mut(ns).devs.insert(idx, Box::new(d));
        Ok(idx)
    }

    /// ip_tunnel_newlink(): `ip link add NAME type ipip|gre|... ARGS`. The
    /// kind's module must be loaded (request_module is the caller's).
    pub fn tunnel_newlink(
        &mut self,
        ns: NsId,
        name: &str,
        kind: TunnelKind,
        p: TunnelParm,
        opts: TunnelOpts,
    ) -> KResult<u32> {
        if self.fallback_of(ns, kind).is_none() {
            return Err(Errno::EOPNOTSUPP.into());
        }
        if self.ip_tunnel_find(ns, kind, &p).is_some() {
            return Err(Errno::EEXIST.into());
        }
        self.tunnel_register(ns, name, Tunnel::new(kind, p, ns), &opts)
    }

    /// ip_tunnel_changelink(): `ip link set NAME type KIND ARGS`.
    pub fn tunnel_changelink(&mut self, r: DevRef, p: TunnelParm, mtu_given: bool) -> KResult<()> {
        let t = self
            .dev(r)
            .and_then(|d| d.tunnel())
            .ok_or(Errno::EOPNOTSUPP)?;
        if t.fallback {
            return Err(Errno::EINVAL.into());
        }
        let (kind, net) = (t.kind, t.net);
        if let Some(o) = self.ip_tunnel_find(net, kind, &p) {
            if o != r {
                return Err(Errno::EEXIST.into());
            }
        } else if !kind.is_ether() {
            let was = self.dev(r).unwrap().tunnel().unwrap().dev_flags();
            let now = Tunnel::new(kind, p.clone(), net).dev_flags();
            if (was ^ now) & (iff::POINTOPOINT | iff::BROADCAST) != 0 {
                return Err(Errno::EINVAL.into());
            }
        }
        self.ip_tunnel_update(r, p, !mtu_given, true);
        Ok(())
    }

    /// ip_tunnel_update(): new endpoints, keys, TTL, TOS and DF; a new link
    /// binds again (and with `set_mtu`, takes the MTU that gives). GRE's
    /// flags follow (ipgre_link_update) when `flags` is set.
    fn ip_tunnel_update(&mut self, r: DevRef, p: TunnelParm, set_mtu: bool, flags: bool) {
        let d = self.dev_mut(r).unwrap();
        let t = d.tunnel_mut().unwrap();
        let old_hlen = t.hlen() as i64;
        let link_changed = t.p.link != p.link;
        t.p.saddr = p.saddr;
        t.p.daddr = p.daddr;
        t.p.i_key = p.i_key;
        t.p.o_key = p.o_key;
        t.p.ttl = p.ttl;
        t.p.tos = p.tos;
        t.p.df = p.df;
        if flags && t.kind.is_gre() {
            t.p.i_flags = p.i_flags;
            t.p.o_flags = p.o_flags;
        }
        let new_hlen = t.hlen() as i64;
        if new_hlen != old_hlen {
            // ipgre_link_update(): the MTU gives up what the header grew by.
            d.mtu = (d.mtu as i64 - (new_hlen - old_hlen)).max(ETH_MIN_MTU as i64) as u32;
        }
        if link_changed {
            self.dev_mut(r).unwrap().tunnel_mut().unwrap().p.link = p.link;
            let t = self.dev(r).unwrap().tunnel().unwrap().clone();
            let mtu = self.ip_tunnel_bind_dev(&t);
            if set_mtu {
                self.dev_mut(r).unwrap().mtu = mtu;
            }
        }
    }

    /// The kind-specific checks of ndo_tunnel_ctl for add and change
    /// (ipip_tunnel_ctl, ipgre_tunnel_ctl, ipip6_tunnel_ctl, vti_tunnel_ctl).
    fn tunnel_ctl_verify(kind: TunnelKind, p: &mut TunnelParm) -> KResult<()> {
        match kind {
            TunnelKind::Ipip => {
                if !matches!(p.protocol, 0 | IPPROTO_IPIP) {
                    return Err(Errno::EINVAL.into());
                }
                p.i_key = 0;
                p.o_key = 0;
                p.i_flags = 0;
                p.o_flags = 0;
            }
            TunnelKind::Gre | TunnelKind::Gretap | TunnelKind::Erspan => {
                if p.protocol != IPPROTO_GRE
                    || (p.i_flags | p.o_flags) & (gre::flags::VERSION | gre::flags::ROUTING) != 0
                {
                    return Err(Errno::EINVAL.into());
                }
                if p.i_flags & gre::flags::KEY == 0 {
                    p.i_key = 0;
                }
                if p.o_flags & gre::flags::KEY == 0 {
                    p.o_key = 0;
                }
            }
            TunnelKind::Sit => {
                if !matches!(p.protocol, 0 | IPPROTO_IPV6 | IPPROTO_IPIP) {
                    return Err(Errno::EINVAL.into());
                }
                p.i_key = 0;
                p.o_key = 0;
            }
            TunnelKind::Vti => {
                if p.protocol != IPPROTO_IPIP {
                    return Err(Errno::EINVAL.into());
                }
                p.i_flags |= VTI_ISVTI;
            }
        }
        Ok(())
    }

    /// ip_tunnel_ctl(): SIOCGETTUNNEL, SIOCADDTUNNEL, SIOCCHGTUNNEL and
    /// SIOCDELTUNNEL sent to the device named `ifname`. Get fills `p`.
    pub fn tunnel_ctl(
        &mut self,
        ns: NsId,
        ifname: &str,
        cmd: TunnelCmd,
        p: &mut TunnelParm,
    ) -> KResult<()> {
        let idx = self.ns(ns).ifindex_of(ifname).ok_or(Errno::ENODEV)?;
        let r = DevRef { ns, ifindex: idx };
        let t = self
            .dev(r)
            .and_then(|d| d.tunnel())
            .ok_or(Errno::EOPNOTSUPP)?
            .clone();
        let (kind, net) = (t.kind, t.net);
        let fb = self.fallback_of(net, kind);
        let is_fb = t.fallback;
        match cmd {
            TunnelCmd::Get => {
                let src = if is_fb {
                    self.ip_tunnel_find(net, kind, p).unwrap_or(r)
                } else {
                    r
                };
                *p = self.dev(src).unwrap().tunnel().unwrap().p.clone();
                if kind == TunnelKind::Vti {
                    // vti_tunnel_ctl() reports its keys (they are marks) as set.
                    p.i_flags |= gre::flags::KEY;
                    p.o_flags |= gre::flags::KEY;
                }
                Ok(())
            }
            TunnelCmd::Add | TunnelCmd::Change => {
                Self::tunnel_ctl_verify(kind, p)?;
                if p.ttl != 0 {
                    p.df = true;
                }
                if p.i_flags & VTI_ISVTI == 0 || kind != TunnelKind::Vti {
                    if p.i_flags & gre::flags::KEY == 0 {
                        p.i_key = 0;
                    }
                    if p.o_flags & gre::flags::KEY == 0 {
                        p.o_key = 0;
                    }
                }
                let found = self.ip_tunnel_find(net, kind, p);
                if cmd == TunnelCmd::Add {
                    if found.is_some() {
                        return Err(Errno::EEXIST.into());
                    }
                    let name = if p.name.is_empty() {
                        self.alloc_name(net, &format!("{}%d", kind.kind_name()))
                    } else {
                        p.name.clone()
                    };
                    let mut nt = Tunnel::new(kind, p.clone(), net);
                    // ip_tunnel_create(): the ioctl path sets the MTU bounds.
                    nt.min_mtu = ETH_MIN_MTU;
                    nt.max_mtu = IP_MAX_MTU - nt.t_hlen() as u32 - nt.ll_hlen();
                    self.tunnel_register(net, &name, nt, &TunnelOpts::default())?;
                    return Ok(());
                }
                let target = if !is_fb {
                    match found {
                        Some(o) if o != r => return Err(Errno::EEXIST.into()),
                        Some(o) => o,
                        None => {
                            if !kind.is_ether() {
                                let now = Tunnel::new(kind, p.clone(), net).dev_flags();
                                if (t.dev_flags() ^ now) & (iff::POINTOPOINT | iff::BROADCAST) != 0
                                {
                                    return Err(Errno::EINVAL.into());
                                }
                            }
                            r
                        }
                    }
                } else {
                    found.ok_or(Errno::ENOENT)?
                };
                self.ip_tunnel_update(target, p.clone(), true, true);
                Ok(())
            }
            TunnelCmd::Del => {
                let victim = if is_fb {
                    let v = self.ip_tunnel_find(net, kind, p).ok_or(Errno::ENOENT)?;
                    if Some(v) == fb {
                        return Err(Errno::EPERM.into());
                    }
                    v
                } else {
                    r
                };
                self.unregister_dev(victim.ns, victim.ifindex);
                Ok(())
            }
        }
    }

    // ---- the packet path --------------------------------------------------

    /// ip_tunnel_xmit(): the packet (an inner IPv4 packet, or an Ethernet
    /// frame for gretap) leaves through tunnel `r` towards `nexthop` (the
    /// route's gateway or destination, for a tunnel without a remote).
    pub(crate) fn ip_tunnel_xmit(&mut self, r: DevRef, nexthop: Ipv4Addr, inner: &[u8]) {
        let Some(t) = self.tunnel_snapshot(r) else {
            return;
        };
        let ether = t.kind.is_ether();
        // The inner IPv4 header, when there is one.
        let iph: Option<&[u8]> = if ether {
            (inner.len() >= 34 && inner[12..14] == [0x08, 0x00]).then(|| &inner[14..])
        } else {
            (inner.len() >= 20 && inner[0] >> 4 == 4).then_some(inner)
        };
        if !ether && iph.is_none() && t.kind != TunnelKind::Sit {
            // Only IPv4 goes through ipip, gre and vti here.
            self.tunnel_tx_error(r, DropReason::TunnelProtocol);
            return;
        }
        let mut dst = t.p.daddr;
        if dst.is_unspecified() {
            // NBMA tunnel: the outer destination is the inner route's next
            // hop (for sit, what ip6_finish_output2 derived from the IPv6 one).
            if ether || (iph.is_none() && t.kind != TunnelKind::Sit) || nexthop.is_unspecified() {
                self.tunnel_tx_error(r, DropReason::TunnelNoRoute);
                return;
            }
            dst = nexthop;
        }
        let mut tos = t.p.tos;
        if tos & 1 != 0 {
            tos = iph
                .map(|h| h[1])
                .or_else(|| {
                    (inner.len() >= 40 && inner[0] >> 4 == 6)
                        .then(|| (inner[0] << 4) | (inner[1] >> 4))
                })
                .unwrap_or(0);
        }
        let net = t.net;
        let src = (!t.p.saddr.is_unspecified()).then_some(t.p.saddr);
        let oif = (t.p.link != 0).then_some(t.p.link);
        let rt = match self.route_output(net, dst, src, oif) {
            Ok(rt) if matches!(rt.rtype, RouteType::Unicast | RouteType::Local) => rt,
            _ => {
                self.dev_mut(r).unwrap().stats.tx_carrier += 1;
                self.tunnel_tx_error(r, DropReason::TunnelNoRoute);
                return;
            }
        };
        if net == r.ns && rt.dev == r.ifindex {
            // The route to the remote goes through the tunnel itself.
            self.dev_mut(r).unwrap().stats.collisions += 1;
            self.tunnel_tx_error(r, DropReason::TunnelLoop);
            return;
        }
        if t.err_count > 0 {
            // dst_link_failure(): a recent ICMP error about the outer path
            // becomes "host unreachable" for the inner sender; the packet still goes.
            let now = self.now;
            let tt = self.dev_mut(r).unwrap().tunnel_mut().unwrap();
            if now < tt.err_time + ERR_TIMEO {
                tt.err_count -= 1;
                if let Some(h) = iph {
                    let h = h.to_vec();
                    self.icmp_send(
                        r.ns,
                        &h,
                        crate::wire::icmp::DEST_UNREACH,
                        crate::wire::icmp::HOST_UNREACH,
                        0,
                        None,
                    );
                }
            } else {
                tt.err_count = 0;
            }
        }
        // tnl_update_pmtu(): an inner DF packet larger than the path allows
        // gets "fragmentation needed" back.
        let rt_mtu = self.ns(net).dev(rt.dev).map(|d| d.mtu).unwrap_or(1500) as usize;
        let dev_mtu = self.dev(r).map(|d| d.mtu).unwrap_or(1500) as usize;
        let mtu = if t.p.df {
            rt_mtu.saturating_sub(20 + t.hlen() + t.ll_hlen() as usize)
        } else {
            dev_mtu
        };
        let inner_df = iph.is_some_and(|h| h[6] & 0x40 != 0);
        if let Some(h) = iph {
            let pkt_size = inner.len() - t.ll_hlen() as usize;
            if inner_df && mtu < pkt_size {
                let h = h.to_vec();
                self.icmp_send(
                    r.ns,
                    &h,
                    crate::wire::icmp::DEST_UNREACH,
                    crate::wire::icmp::FRAG_NEEDED,
                    mtu as u32,
                    None,
                );
                self.tunnel_tx_error(r, DropReason::TunnelFragNeeded);
                return;
            }
        }
        // ip_tunnel_ecn_encap(): the outer ECN follows the inner (CE becomes ECT(0)).
        let inner_tos = iph.map(|h| h[1]).unwrap_or(0);
        let ecn = match inner_tos & 3 {
            3 => 2,
            e => e,
        };
        let tos = (tos & !3) | ecn;
        // ipip6_tunnel_xmit(): an inner IPv6 packet lends its hop limit
        // and traffic class when the tunnel inherits them.
        let ip6h = (!ether && inner.len() >= 40 && inner[0] >> 4 == 6).then_some(inner);
        let ttl = match t.p.ttl {
            0 => iph
                .map(|h| h[8])
                .or(ip6h.map(|h| h[7]))
                .unwrap_or_else(|| self.ns(net).sysctl.default_ttl()),
            n => n,
        };
        let df = t.p.df || (inner_df && !t.ignore_df);
        // The tunnel header.
        let mut payload = self.take_buf();
        if t.kind.is_gre() {
            let seq = (t.p.o_flags & gre::flags::SEQ != 0).then(|| {
                let tt = self.dev_mut(r).unwrap().tunnel_mut().unwrap();
                let s = tt.o_seqno;
                tt.o_seqno = tt.o_seqno.wrapping_add(1);
                s
            });
            let repr = gre::Repr {
                csum: t.p.o_flags & gre::flags::CSUM != 0,
                key: (t.p.o_flags & gre::flags::KEY != 0).then_some(t.p.o_key),
                seq,
                protocol: if ether {
                    gre::proto::TEB
                } else {
                    gre::proto::IPV4
                },
            };
            payload.resize(repr.header_len(), 0);
            payload.extend_from_slice(inner);
            repr.emit(&mut payload);
        } else {
            payload.extend_from_slice(inner);
        }
        // iptunnel_xmit(): the outer header; its id comes from the
        // per-destination generator whatever DF says.
        let mut h = match etherparse::Ipv4Header::new(
            payload.len() as u16,
            ttl,
            etherparse::IpNumber(t.kind.outer_proto()),
            rt.src.octets(),
            dst.octets(),
        ) {
            Ok(h) => h,
            Err(_) => {
                self.put_buf(payload);
                self.tunnel_tx_error(r, DropReason::TunnelFragNeeded);
                return;
            }
        };
        h.dont_fragment = df;
        h.identification = (self.rng.next_u64() & 0xffff) as u16;
        h.dscp = etherparse::IpDscp::try_new(tos >> 2).unwrap_or_default();
        h.ecn = etherparse::IpEcn::try_new(tos & 3).unwrap_or_default();
        h.header_checksum = h.calc_header_checksum();
        let mut p = self.take_buf();
        p.extend_from_slice(&h.to_bytes());
        p.extend_from_slice(&payload);
        self.put_buf(payload);
        // iptunnel_xmit_stats(): the inner packet's length.
        let st = &mut self.dev_mut(r).unwrap().stats;
        st.tx_packets += 1;
        st.tx_bytes += (inner.len() - t.ll_hlen() as usize) as u64;
        if self.tracer.is_some() {
            let dev = self.dev(r).map(|d| d.name.clone()).unwrap_or_default();
            let (s, d) = (rt.src, dst);
            self.trace(|| Trace::Tunnel {
                ns: r.ns,
                dev,
                encap: true,
                outer_src: s,
                outer_dst: d,
            });
        }
        let _ = self.ip_local_out(net, p, rt, oif, Skb::default());
    }

    /// A copy of a tunnel's state for the packet path, without its name
    /// (which would cost an allocation per packet).
    fn tunnel_snapshot(&mut self, r: DevRef) -> Option<Tunnel> {
        let t = self.dev_mut(r)?.tunnel_mut()?;
        let name = std::mem::take(&mut t.p.name);
        let snap = t.clone();
        t.p.name = name;
        Some(snap)
    }

    fn tunnel_tx_error(&mut self, r: DevRef, why: DropReason) {
        if let Some(d) = self.dev_mut(r) {
            d.stats.tx_errors += 1;
        }
        self.drop_pkt(r.ns, Some(r.ifindex), why);
    }

    /// ipip_rcv() / gre_rcv() / ipip6_rcv(): an outer packet addressed to
    /// us. Returns false when no tunnel takes it (the caller answers port
    /// unreachable, as tunnel4_rcv and gre_rcv do when a module is loaded,
    /// or protocol unreachable when none is).
    pub(crate) fn tunnel_rcv(&mut self, r: DevRef, pkt: &[u8], ihl: usize) -> bool {
        let ns = r.ns;
        let proto = pkt[9];
        let src = Ipv4Addr::new(pkt[12], pkt[13], pkt[14], pkt[15]);
        let dst = Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]);
        let body = &pkt[ihl..];
        // What the tunnel header says: (key, seq, csum present, inner protocol, header length).
        let (key, seq, csum, inner_proto, hlen) = if proto == IPPROTO_GRE {
            let Ok(g) = gre::Packet::new_checked(body) else {
                self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelHeader);
                return true;
            };
            let Ok(repr) = gre::Repr::parse(&g) else {
                // Another GRE version (PPTP) has no handler here: dropped.
                self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelHeader);
                return true;
            };
            if !g.verify_checksum() {
                // gre_parse_header(): a bad checksum is counted and dropped.
                self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelCsum);
                return true;
            }
            (repr.key, repr.seq, repr.csum, repr.protocol, g.header_len())
        } else {
            (None, None, false, 0, 0)
        };
        // ipgre_rcv(): Ethernet over GRE goes to gretap's table, the rest to gre's.
        let want: &[TunnelKind] = match (proto, inner_proto) {
            (IPPROTO_GRE, gre::proto::TEB) => &[TunnelKind::Gretap],
            (IPPROTO_GRE, gre::proto::ERSPAN) => &[TunnelKind::Erspan],
            (IPPROTO_GRE, _) => &[TunnelKind::Gre],
            (IPPROTO_IPIP, _) => &[TunnelKind::Ipip, TunnelKind::Vti],
            _ => &[TunnelKind::Sit],
        };
        let mut hit = None;
        for k in want {
            if self.kind_loaded(*k) {
                if let Some(x) = self.ip_tunnel_lookup(ns, *k, r.ifindex, key, src, dst) {
                    hit = Some(x);
                    break;
                }
            }
        }
        let Some(tr) = hit else {
            return false;
        };
        let t = self.tunnel_snapshot(tr).unwrap();
        if proto == IPPROTO_IPIP && !matches!(t.p.protocol, 0 | IPPROTO_IPIP) {
            self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelProtocol);
            return true;
        }
        if t.kind == TunnelKind::Erspan || t.kind == TunnelKind::Vti {
            // ERSPAN mirrors and IPsec-only vti take no plain traffic here.
            self.drop_pkt(ns, Some(r.ifindex), DropReason::TunnelProtocol);
            return true;
        }
        let inner = &body[hlen..];
        // ip_tunnel_rcv(): checksum and sequence policy.
        let want_csum = t.p.i_flags & gre::flags::CSUM != 0;
        if csum != want_csum {
            let st = &mut self.dev_mut(tr).unwrap().stats;
            st.rx_errors += 1;
            self.drop_pkt(ns, Some(tr.ifindex), DropReason::TunnelCsum);
            return true;
        }
        if t.p.i_flags & gre::flags::SEQ != 0 {
            let ok = match seq {
                None => false,
                Some(s) => t.i_seqno == 0 || (s.wrapping_sub(t.i_seqno) as i32) >= 0,
            };
            if !ok {
                self.dev_mut(tr).unwrap().stats.rx_errors += 1;
                self.drop_pkt(ns, Some(tr.ifindex), DropReason::TunnelSeq);
                return true;
            }
            self.dev_mut(tr).unwrap().tunnel_mut().unwrap().i_seqno = seq.unwrap().wrapping_add(1);
        }
        if self.tracer.is_some() {
            let dev = self.dev(tr).map(|d| d.name.clone()).unwrap_or_default();
            self.trace(|| Trace::Tunnel {
                ns: tr.ns,
                dev,
                encap: false,
                outer_src: src,
                outer_dst: dst,
            });
        }
        let mut frame = self.take_buf();
        frame.extend_from_slice(inner);
        if !t.kind.is_ether() && frame.len() >= 20 && frame[0] >> 4 == 4 {
            // IP_ECN_decapsulate(): CE on the outer header marks an ECN-capable inner packet.
            if pkt[1] & 3 == 3 && frame[1] & 3 != 0 && frame[1] & 3 != 3 {
                frame[1] |= 3;
                frame[10] = 0;
                frame[11] = 0;
                let ihl = ((frame[0] & 0x0f) as usize * 4).min(frame.len());
                let ck = crate::wire::checksum::checksum(&frame[..ihl]);
                frame[10..12].copy_from_slice(&ck.to_be_bytes());
            }
        }
        if t.kind == TunnelKind::Sit && frame.first().is_none_or(|b| b >> 4 != 6) {
            // ipip6_rcv() takes only IPv6 (IPv4 in sit needs the ipip mode).
            self.drop_pkt(ns, Some(tr.ifindex), DropReason::TunnelProtocol);
            self.put_buf(frame);
            return true;
        }
        if t.kind == TunnelKind::Sit
            && t.p.i_flags & SIT_ISATAP != 0
            && !isatap_chksrc(&t, src, &frame)
        {
            self.dev_mut(tr).unwrap().stats.rx_errors += 1;
            self.drop_pkt(ns, Some(tr.ifindex), DropReason::TunnelHeader);
            self.put_buf(frame);
            return true;
        }
        // gro_cells_receive(): the inner packet arrives on the tunnel device.
        self.netif_receive(tr, frame);
        true
    }

    /// The IPv4 destination an NBMA sit tunnel sends an IPv6 packet to
    /// (ipip6_tunnel_xmit): the next hop's embedded address when it is an
    /// ISATAP (::0:5efe:a.b.c.d) or IPv4-compatible (::a.b.c.d) one, else
    /// the IPv4 address inside the destination's 6rd/6to4 prefix (try_6rd).
    pub(crate) fn sit_nexthop4(&self, r: DevRef, nexthop: Ipv6Addr, dst: Ipv6Addr) -> Ipv4Addr {
        let Some(t) = self.dev(r).and_then(|d| d.tunnel()) else {
            return Ipv4Addr::UNSPECIFIED;
        };
        if !t.p.daddr.is_unspecified() {
            return t.p.daddr;
        }
        let o = nexthop.octets();
        let v4 = Ipv4Addr::new(o[12], o[13], o[14], o[15]);
        let isatap = o[8] & 0xfd == 0 && o[9..12] == [0x00, 0x5e, 0xfe];
        let compat = o[..12] == [0; 12] && u32::from(v4) > 1;
        if isatap || compat {
            return v4;
        }
        try_6rd(&t.ip6rd, dst)
    }

    /// The sit tunnel an ioctl names: ENODEV when there is no such
    /// device, EOPNOTSUPP when it is no tunnel, EINVAL when it is another kind.
    fn sit_by_name(&mut self, ns: NsId, name: &str) -> KResult<&mut Tunnel> {
        let d = self
            .ns_mut(ns)
            .devs
            .values_mut()
            .find(|d| d.name == name)
            .ok_or(Errno::ENODEV)?;
        match d.tunnel_mut() {
            Some(t) if t.kind == TunnelKind::Sit => Ok(t),
            Some(_) => Err(Errno::EINVAL.into()),
            None => Err(Errno::EOPNOTSUPP.into()),
        }
    }

    /// SIOCADD6RD (`Some`) and SIOCDEL6RD (`None`, back to 6to4's prefix):
    /// ipip6_tunnel_update_6rd() refuses prefixes with host bits set and
    /// more than 64 bits of prefix plus embedded address.
    pub fn tunnel_6rd(&mut self, ns: NsId, name: &str, p: Option<Ip6rd>) -> KResult<()> {
        let t = self.sit_by_name(ns, name)?;
        let Some(p) = p else {
            t.ip6rd = Ip6rd::default();
            return Ok(());
        };
        let plen = p.prefixlen as u32;
        let rlen = p.relay_prefixlen as u32;
        if rlen > 32 || plen + (32 - rlen) > 64 {
            return Err(Errno::EINVAL.into());
        }
        let pmask = if plen == 0 {
            0
        } else {
            u128::MAX << (128 - plen)
        };
        let rmask = if rlen == 0 {
            0
        } else {
            u32::MAX << (32 - rlen)
        };
        if u128::from(p.prefix) & !pmask != 0 || u32::from(p.relay_prefix) & !rmask != 0 {
            return Err(Errno::EINVAL.into());
        }
        t.ip6rd = p;
        Ok(())
    }

    /// SIOCADDPRL / SIOCDELPRL (ipip6_tunnel_add_prl, _del_prl): one router
    /// at a time; deleting 0.0.0.0 empties the list. Not on the fallback.
    pub fn tunnel_prl(
        &mut self,
        ns: NsId,
        name: &str,
        addr: Ipv4Addr,
        add: Option<u16>,
    ) -> KResult<()> {
        let t = self.sit_by_name(ns, name)?;
        if t.fallback {
            return Err(Errno::EINVAL.into());
        }
        match add {
            Some(flags) => {
                if addr.is_unspecified() {
                    return Err(Errno::EINVAL.into());
                }
                if t.prl.iter().any(|(a, _)| *a == addr) {
                    return Err(Errno::EEXIST.into());
                }
                t.prl.push((addr, flags));
            }
            None if addr.is_unspecified() => t.prl.clear(),
            None => {
                let n = t.prl.len();
                t.prl.retain(|(a, _)| *a != addr);
                if t.prl.len() == n {
                    return Err(Errno::ENXIO.into());
                }
            }
        }
        Ok(())
    }

    /// Whether a loaded module registered a handler for this protocol
    /// (tunnel4 for 4 and 41, gre for 47); without one the protocol is unknown.
    pub(crate) fn tunnel_proto_handled(&self, proto: u8) -> bool {
        let kinds: &[TunnelKind] = match proto {
            IPPROTO_IPIP => &[TunnelKind::Ipip, TunnelKind::Vti],
            IPPROTO_GRE => &[TunnelKind::Gre],
            IPPROTO_IPV6 => &[TunnelKind::Sit],
            _ => &[],
        };
        kinds.iter().any(|k| self.kind_loaded(*k))
    }

    /// ipip_err() / ipgre_err(): an ICMP error quoting one of our outer
    /// packets (`quoted`: its IPv4 header and what follows) counts against
    /// the tunnel that sent it. "Fragmentation needed" would update the
    /// path MTU, which is not cached here.
    pub(crate) fn tunnel_err(&mut self, r: DevRef, typ: u8, code: u8, quoted: &[u8]) {
        use crate::wire::icmp;
        if quoted.len() < 20 || quoted[0] >> 4 != 4 {
            return;
        }
        let proto = quoted[9];
        let ihl = (quoted[0] & 0x0f) as usize * 4;
        let kind = match proto {
            IPPROTO_IPIP => TunnelKind::Ipip,
            IPPROTO_IPV6 => TunnelKind::Sit,
            IPPROTO_GRE => TunnelKind::Gre,
            _ => return,
        };
        if !self.kind_loaded(kind) {
            return;
        }
        let relevant = match typ {
            icmp::DEST_UNREACH => match code {
                5 => false, // ICMP_SR_FAILED: impossible
                icmp::PORT_UNREACH => proto != IPPROTO_GRE,
                icmp::FRAG_NEEDED => false,
                _ => true,
            },
            icmp::TIME_EXCEEDED => code == 0,
            _ => false,
        };
        if !relevant {
            return;
        }
        let mut key = None;
        let mut kind = kind;
        if proto == IPPROTO_GRE {
            let Ok(g) = gre::Packet::new_checked(quoted.get(ihl..).unwrap_or(&[])) else {
                return;
            };
            key = g.key();
            if g.protocol() == gre::proto::TEB {
                kind = TunnelKind::Gretap;
            }
        }
        let local = Ipv4Addr::new(quoted[12], quoted[13], quoted[14], quoted[15]);
        let remote = Ipv4Addr::new(quoted[16], quoted[17], quoted[18], quoted[19]);
        let Some(tr) = self.ip_tunnel_lookup(r.ns, kind, r.ifindex, key, remote, local) else {
            return;
        };
        let now = self.now;
        let t = self.dev_mut(tr).unwrap().tunnel_mut().unwrap();
        if t.p.daddr.is_unspecified() || (t.p.ttl == 0 && typ == icmp::TIME_EXCEEDED) {
            return;
        }
        if now < t.err_time + ERR_TIMEO {
            t.err_count += 1;
        } else {
            t.err_count = 1;
        }
        t.err_time = now;
    }

    /// ip_tunnel_lookup(): the tunnel for (remote, local, key) arriving on
    /// `link`: exact endpoints first, then remote only, then local only (or
    /// a multicast group), then key only; a tunnel bound to `link` wins
    /// within each step; the fallback device last. Tunnels must be up.
    fn ip_tunnel_lookup(
        &self,
        ns: NsId,
        kind: TunnelKind,
        link: u32,
        key: Option<u32>,
        remote: Ipv4Addr,
        local: Ipv4Addr,
    ) -> Option<DevRef> {
        let zero = Ipv4Addr::UNSPECIFIED;
        let mut cand: Option<DevRef> = None;
        let steps: [&dyn Fn(&Tunnel) -> bool; 3] = [
            &|t: &Tunnel| t.p.saddr == local && t.p.daddr == remote && t.key_match(key),
            &|t: &Tunnel| t.p.daddr == remote && t.p.saddr == zero && t.key_match(key),
            &|t: &Tunnel| {
                ((t.p.saddr == local && t.p.daddr == zero)
                    || (t.p.daddr == local && local.is_multicast()))
                    && t.key_match(key)
            },
        ];
        for (i, step) in steps.iter().enumerate() {
            for (r, t, up) in self.itn(ns, kind) {
                if !up || t.fallback || !step(t) {
                    continue;
                }
                if t.p.link == link {
                    return Some(r);
                }
                if i == 0 || cand.is_none() {
                    cand = Some(r);
                }
            }
        }
        if let Some(k) = key {
            for (r, t, up) in self.itn(ns, kind) {
                if !up || t.fallback || t.p.i_key != k || t.p.saddr != zero || t.p.daddr != zero {
                    continue;
                }
                if t.p.link == link {
                    return Some(r);
                }
                if cand.is_none() {
                    cand = Some(r);
                }
            }
        }
        if cand.is_some() {
            return cand;
        }
        // The fallback, when up, takes whatever is left.
        self.itn(ns, kind)
            .find(|(_, t, up)| *up && t.fallback)
            .map(|(r, _, _)| r)
    }
}

/// The error text SIOCADDTUNNEL and friends give for `e` (strerror).
pub fn ctl_error(e: &KernelError) -> &'static str {
    e.errno.strerror()
}

/// The link-local address addrconf_sit_config() gives a sit device when it
/// comes up: fe80::5efe:a.b.c.d (with the u/l bit for a global IPv4
/// address, __ipv6_isatap_ifid) for isatap, fe80::a.b.c.d for a
/// point-to-point tunnel with a local address (sit_add_v4_addrs).
pub(crate) fn sit_lladdr(d: &Device) -> Option<Ipv6Addr> {
    let t = d.tunnel().filter(|t| t.kind == TunnelKind::Sit)?;
    let local = t.p.saddr;
    if local.is_unspecified() {
        return None;
    }
    let mut b = [0u8; 16];
    b[0] = 0xfe;
    b[1] = 0x80;
    b[12..].copy_from_slice(&local.octets());
    if t.p.i_flags & SIT_ISATAP != 0 {
        let o = local.octets();
        let local_only = local.is_private()
            || local.is_loopback()
            || local.is_link_local()
            || local.is_broadcast()
            || local.is_unspecified()
            || (o[0] == 100 && o[1] & 0xc0 == 64)
            || (o[0] == 192 && o[1] == 0 && o[2] == 2)
            || (o[0] == 198 && o[1] & 0xfe == 18)
            || (o[0] == 198 && o[1] == 51 && o[2] == 100)
            || (o[0] == 203 && o[1] == 0 && o[2] == 113);
        b[8] = if local_only { 0 } else { 2 };
        b[10] = 0x5e;
        b[11] = 0xfe;
        return Some(Ipv6Addr::from(b));
    }
    (!t.p.daddr.is_unspecified()).then(|| Ipv6Addr::from(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn try_6rd_takes_the_bits_after_the_prefix() {
        let d = |s: &str| s.parse::<Ipv6Addr>().unwrap();
        // 6to4: 2002:V4::/48.
        let p = Ip6rd::default();
        assert_eq!(
            try_6rd(&p, d("2002:c0a8:c802::1")),
            Ipv4Addr::new(192, 168, 200, 2)
        );
        assert_eq!(try_6rd(&p, d("2001:db8::1")), Ipv4Addr::UNSPECIFIED);
        // A 6rd domain 2001:db8::/32 over 10.0.0.0/8: 24 bits follow the prefix.
        let p = Ip6rd {
            prefix: d("2001:db8::"),
            prefixlen: 32,
            relay_prefix: Ipv4Addr::new(10, 0, 0, 0),
            relay_prefixlen: 8,
        };
        assert_eq!(
            try_6rd(&p, d("2001:db8:0102:0300::1")),
            Ipv4Addr::new(10, 1, 2, 3)
        );
    }
}
