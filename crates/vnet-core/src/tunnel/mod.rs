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

pub mod ip_tunnel;
pub mod sit;
pub mod vxlan;

use crate::dev::{arphrd, iff, DevKind, DevRef, Device};
use crate::error::{Errno, KResult, KernelError};
use crate::flow::Flowi4;
use crate::tunnel::sit::Ip6rd;
use crate::types::{Mac, NsId, Time};
use crate::wire::gre;
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

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
            self.ns_mut(ns).list_netdevice(Box::new(d));
        }
    }

    /// After modules were loaded or removed: every namespace gets the
    /// fallback devices of the loaded tunnel modules, and the devices of
    /// removed ones go (ip_tunnel_delete_nets() takes every device of the kind).
    pub(crate) fn tunnel_modules_sync(&mut self) {
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
            if let Ok(rt) = self.route_output(t.net, &Flowi4::output(t.p.daddr, src, oif)) {
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
        self.ns_mut(ns).list_netdevice(Box::new(d));
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
}

/// The error text SIOCADDTUNNEL and friends give for `e` (strerror).
pub fn ctl_error(e: &KernelError) -> &'static str {
    e.errno.strerror()
}
