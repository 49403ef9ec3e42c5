//! Links as rtnetlink configures them: RTM_NEWLINK (add, set), RTM_DELLINK,
//! and moving a device between namespaces (net/core/rtnetlink.c, dev.c).

use crate::addr::{Ifaddr4, Scope};
use crate::bridge::FdbEntry;
use crate::dev::ipvlan::{Ipvlan, IpvlanMode};
use crate::dev::macvlan::{Macvlan, MacvlanMode};
use crate::dev::vlan::{Vlan, VlanParams};
use crate::dev::{DevKind, DevRef, Device, OperState};
use crate::error::{Errno, KResult, KernelError};
use crate::ipv4::fib::RouteType;
use crate::types::{Mac, NsId};
use crate::World;
use std::net::Ipv4Addr;

/// What a device kind is when created (`ip link add ... type KIND`).
#[derive(Clone, Debug)]
pub enum NewLink {
    Veth {
        peer: String,
        peer_ns: Option<NsId>,
        peer_mac: Option<Mac>,
    },
    Bridge,
    Dummy,
    Ifb,
    Tun {
        tap: bool,
        owner: Option<u32>,
        group: Option<u32>,
    },
    /// A vlan on `link` (IFLA_LINK, an ifindex in the namespace).
    Vlan {
        link: Option<u32>,
        params: VlanParams,
        /// IFLA_MTU, checked against the lower's before registering.
        mtu: Option<u32>,
    },
    /// A macvlan (or macvtap) on `link`; no mode is vepa.
    Macvlan {
        link: Option<u32>,
        mode: Option<MacvlanMode>,
        tap: bool,
        bcqueuelen: Option<u32>,
        mtu: Option<u32>,
    },
    /// An ipvlan on `link`; no mode is l3.
    Ipvlan {
        link: Option<u32>,
        mode: Option<IpvlanMode>,
        mtu: Option<u32>,
    },
    /// A bond with its options (bond_newlink → bond_changelink).
    Bond(Vec<crate::dev::bond::BondOpt>),
    /// A VRF and its IFLA_VRF_TABLE.
    Vrf {
        table: Option<u32>,
    },
}

/// One change to a link (`ip link set`).
#[derive(Clone, Debug)]
pub enum LinkChange {
    Up(bool),
    Name(String),
    Mtu(u32),
    Address(Mac),
    TxQueueLen(u32),
    Promisc(bool),
    Arp(bool),
    /// IFF_ALLMULTI, IFF_MULTICAST and IFF_DYNAMIC on or off.
    Allmulti(bool),
    Multicast(bool),
    Dynamic(bool),
    /// dev_change_carrier() (`ip link set DEV carrier on|off`).
    Carrier(bool),
    Master(Option<u32>),
    Netns(NsId),
    Alias(Option<String>),
    /// IFLA_GROUP: dev_set_group().
    Group(u32),
}

/// ALTIFNAMSIZ (include/uapi/linux/if.h).
pub const ALTIFNAMSIZ: usize = 128;

impl World {
    /// `ip link add NAME type KIND`. Returns the new device's ifindex.
    pub fn link_add(
        &mut self,
        ns: NsId,
        name: &str,
        kind: NewLink,
        mac: Option<Mac>,
    ) -> KResult<u32> {
        let veth = matches!(kind, NewLink::Veth { .. });
        let idx = self.link_add_one(ns, name, kind, mac)?;
        if !veth {
            self.notify_register(DevRef { ns, ifindex: idx }, |_| {});
        }
        Ok(idx)
    }

    fn link_add_one(
        &mut self,
        ns: NsId,
        name: &str,
        kind: NewLink,
        mac: Option<Mac>,
    ) -> KResult<u32> {
        self.check_name(ns, name)?;
        match kind {
            NewLink::Veth {
                peer,
                peer_ns,
                peer_mac,
            } => {
                let pns = peer_ns.unwrap_or(ns);
                if peer == name && pns == ns {
                    // The peer registers (taking an index) before the device's
                    // own name clashes with it; the index stays used.
                    self.ns_mut(pns).alloc_ifindex(None);
                    return Err(Errno::EEXIST.into());
                }
                self.check_name(pns, &peer)?;
                // veth_newlink registers the peer first, so it gets the lower index.
                let pidx = self.ns_mut(pns).alloc_ifindex(None);
                let pm = peer_mac.unwrap_or_else(|| self.rng.mac());
                let idx = self.ns_mut(ns).alloc_ifindex(None);
                let m = mac.unwrap_or_else(|| self.rng.mac());
                let mut p = Device::new(
                    pidx,
                    &peer,
                    DevKind::Veth {
                        peer: DevRef { ns, ifindex: idx },
                    },
                    pm,
                );
                p.mac_set = peer_mac.is_some();
                let mut d = Device::new(
                    idx,
                    name,
                    DevKind::Veth {
                        peer: DevRef {
                            ns: pns,
                            ifindex: pidx,
                        },
                    },
                    m,
                );
                d.mac_set = mac.is_some();
                // veth_newlink() turns the carrier off after registering: one change each.
                p.stats.carrier_changes = 1;
                d.stats.carrier_changes = 1;
                self.ns_mut(pns).list_netdevice(Box::new(p));
                self.ns_mut(ns).list_netdevice(Box::new(d));
                // register_netdevice(peer) notifies while the device itself
                // is not registered: IFLA_LINK 0 ("@NONE").
                self.notify_register(
                    DevRef {
                        ns: pns,
                        ifindex: pidx,
                    },
                    |i| {
                        i.link = Some(0);
                        i.link_netnsid = None;
                    },
                );
                self.notify_register(DevRef { ns, ifindex: idx }, |_| {});
                if pns != ns {
                    self.peernet2id_alloc(ns, pns);
                }
                self.linkwatch_fire(DevRef {
                    ns: pns,
                    ifindex: pidx,
                });
                self.linkwatch_fire(DevRef { ns, ifindex: idx });
                Ok(idx)
            }
            NewLink::Bridge => {
                let idx = self.ns_mut(ns).alloc_ifindex(None);
                let m = mac.unwrap_or_else(|| self.rng.mac());
                let mut d = Device::new(idx, name, DevKind::Bridge(Box::default()), m);
                d.mac_set = mac.is_some();
                if mac.is_some() {
                    // An address given at creation is the bridge id's too.
                    let b = d.bridge_mut().unwrap();
                    b.id_mac = m;
                    b.st.designated_root = b.bridge_id();
                }
                self.ns_mut(ns).list_netdevice(Box::new(d));
                self.bridge_fdb_local(DevRef { ns, ifindex: idx });
                self.bridge_fdb_register(DevRef { ns, ifindex: idx });
                Ok(idx)
            }
            NewLink::Dummy => {
                let idx = self.ns_mut(ns).alloc_ifindex(None);
                let m = mac.unwrap_or_else(|| self.rng.mac());
                self.ns_mut(ns)
                    .devs
                    .insert(idx, Box::new(Device::new(idx, name, DevKind::Dummy, m)));
                Ok(idx)
            }
            NewLink::Vrf { table } => {
                let table = Self::vrf_check_newlink(table)?;
                let idx = self.ns_mut(ns).alloc_ifindex(None);
                let m = mac.unwrap_or_else(|| self.rng.mac());
                let mut d = Device::new(idx, name, DevKind::Vrf { table }, m);
                // vrf_dev_init(): "oper state is irrelevant; set to up to
                // avoid confusion".
                d.oper = Some(crate::dev::OperState::Up);
                let n = self.ns_mut(ns);
                n.devs.insert(idx, Box::new(d));
                // vrf_rt6_create(): fib6_new_table() for the VRF's table.
                n.tables6.insert(table);
                self.vrf_add_fib_rules(ns);
                Ok(idx)
            }
            NewLink::Bond(opts) => {
                let last = self.ns(ns).last_ifindex;
                let idx = self.ns_mut(ns).alloc_ifindex(None);
                let m = mac.unwrap_or_else(|| self.rng.mac());
                let mut d = Device::new(idx, name, DevKind::Bond(Box::default()), m);
                d.mac_set = mac.is_some();
                self.ns_mut(ns).devs.insert(idx, Box::new(d));
                // bond_changelink() runs before register_netdevice(): a
                // refused option leaves no device and no index used.
                if let Err(e) = self.bond_changelink(ns, idx, opts) {
                    let n = self.ns_mut(ns);
                    n.devs.remove(&idx);
                    n.last_ifindex = last;
                    return Err(e);
                }
                Ok(idx)
            }
            NewLink::Ifb => {
                let idx = self.ns_mut(ns).alloc_ifindex(None);
                let m = mac.unwrap_or_else(|| self.rng.mac());
                self.ns_mut(ns)
                    .devs
                    .insert(idx, Box::new(Device::new(idx, name, DevKind::Ifb, m)));
                Ok(idx)
            }
            NewLink::Tun { tap, owner, group } => {
                let idx = self.ns_mut(ns).alloc_ifindex(None);
                let m = if tap {
                    mac.unwrap_or_else(|| self.rng.mac())
                } else {
                    Mac::ZERO
                };
                let kind = DevKind::Tun {
                    tap,
                    persist: true,
                    owner,
                    group,
                    attached: 0,
                };
                let mut d = Device::new(idx, name, kind, m);
                if !tap {
                    d.mtu = 1500;
                }
                // The creator's detach turns the carrier off: one change
                // (the earlier ones happen before registration and count not).
                d.stats.carrier_changes = 1;
                self.ns_mut(ns).list_netdevice(Box::new(d));
                // tun sets the carrier off before registering, so
                // linkwatch_init_dev() computes the operstate at once.
                self.ns_mut(ns).dev_mut(idx).unwrap().oper = Some(OperState::Down);
                // The creator attaches (carrier on) and detaches (off) before
                // it closes: two linkwatch events.
                self.linkwatch_fire(DevRef { ns, ifindex: idx });
                Ok(idx)
            }
            NewLink::Vlan { link, params, mtu } => {
                let (lower, id, proto, flags) = self.vlan_check(ns, link, &params, mtu)?;
                let mut v = Vlan {
                    lower,
                    id,
                    proto,
                    flags,
                    ingress: [0; 8],
                    egress: Vec::new(),
                };
                // vlan_newlink() → vlan_changelink(): flags and QoS maps.
                crate::dev::vlan::vlan_apply(&mut v, &params)?;
                let kind = DevKind::Vlan(Box::new(v));
                // vlan_dev_init(): the lower's address unless one is given.
                let lmac = self.dev(lower).map(|d| d.mac).unwrap_or(Mac::ZERO);
                Ok(self.upper_register(ns, name, kind, lower, mac.unwrap_or(lmac), mac.is_some()))
            }
            NewLink::Macvlan {
                link,
                mode,
                tap,
                bcqueuelen,
                mtu,
            } => {
                let mode = mode.unwrap_or(MacvlanMode::Vepa);
                let lower =
                    self.macvlan_check(link.map(|i| DevRef { ns, ifindex: i }), mode, mtu)?;
                // eth_hw_addr_random(), or the lower's own in passthru.
                let m = match (mac, mode) {
                    (Some(m), _) => m,
                    (None, MacvlanMode::Passthru) => {
                        self.dev(lower).map(|d| d.mac).unwrap_or(Mac::ZERO)
                    }
                    (None, _) => self.rng.mac(),
                };
                let kind = DevKind::Macvlan(Box::new(Macvlan {
                    lower,
                    mode,
                    tap,
                    bcqueuelen: bcqueuelen.unwrap_or(1000),
                }));
                let idx = self.upper_register(ns, name, kind, lower, m, mac.is_some());
                if mode == MacvlanMode::Passthru {
                    // macvlan_port_create(): the lower turns promiscuous.
                    if let Some(ld) = self.dev_mut(lower) {
                        ld.promisc += 1;
                    }
                }
                Ok(idx)
            }
            NewLink::Ipvlan { link, mode, mtu } => {
                let lower = self.ipvlan_check(link.map(|i| DevRef { ns, ifindex: i }), mtu)?;
                let lmac = self.dev(lower).map(|d| d.mac).unwrap_or(Mac::ZERO);
                let mode = mode.unwrap_or(IpvlanMode::L3);
                let kind = DevKind::Ipvlan(Box::new(Ipvlan { lower, mode }));
                let idx = self.upper_register(ns, name, kind, lower, lmac, false);
                self.ipvlan_set_port_mode(lower, mode);
                Ok(idx)
            }
        }
    }

    /// Registers a stacked device on `lower`: the lower's MTU, its carrier
    /// (netif_stacked_transfer_operstate), and a place in its uppers.
    fn upper_register(
        &mut self,
        ns: NsId,
        name: &str,
        kind: DevKind,
        lower: DevRef,
        mac: Mac,
        mac_set: bool,
    ) -> u32 {
        let idx = self.ns_mut(ns).alloc_ifindex(None);
        let mut d = Device::new(idx, name, kind, mac);
        d.mac_set = mac_set;
        d.mtu = self.dev(lower).map(|l| l.mtu).unwrap_or(1500);
        // Born with carrier; netif_stacked_transfer_operstate() after
        // register_netdevice() turns it off when the lower has none: one
        // change, and a linkwatch event (the operstate is computed here,
        // and kept if the device moves away).
        d.last_carrier = true;
        self.ns_mut(ns).list_netdevice(Box::new(d));
        let r = DevRef { ns, ifindex: idx };
        if let Some(ld) = self.dev_mut(lower) {
            ld.uppers.push(r);
        }
        if !self.carrier(r) {
            let d = self.dev_mut(r).unwrap();
            d.last_carrier = false;
            d.stats.carrier_changes += 1;
            self.linkwatch_fire(r);
        }
        idx
    }

    /// `ip link del`: veth takes its peer along; a bridge releases its ports.
    pub fn link_del(&mut self, ns: NsId, ifindex: u32) -> KResult<()> {
        let dev = self.ns(ns).dev(ifindex).ok_or(Errno::ENODEV)?;
        if dev.is_loopback() {
            return Err(Errno::EOPNOTSUPP.into());
        }
        if dev.tunnel().is_some_and(|t| t.fallback) {
            // ip_tunnel_dellink() leaves the fallback device alone.
            return Ok(());
        }
        if matches!(dev.kind, DevKind::Nic { .. }) {
            // A physical device has no rtnl_link_ops->dellink.
            return Err(Errno::EOPNOTSUPP.into());
        }
        let peer = dev.veth_peer();
        let ports: Vec<u32> = dev
            .bridge()
            .map(|b| b.ports.iter().map(|p| p.ifindex).collect())
            .unwrap_or_default();
        let is_bridge = dev.is_bridge();
        for p in ports {
            self.bridge_release(ns, ifindex, p);
        }
        if is_bridge {
            // br_dev_delete(): the bridge's own entries go before it closes.
            self.br_fdb_delete_by_port(ns, ifindex, ifindex, true);
        }
        let me = DevRef { ns, ifindex };
        // bond_uninit() releases every slave.
        let slaves: Vec<u32> = match self.dev(me).map(|d| &d.kind) {
            Some(DevKind::Bond(b)) => b.slaves.iter().map(|s| s.ifindex).collect(),
            _ => Vec::new(),
        };
        for s in slaves {
            self.bond_release(ns, ifindex, s);
        }
        if let Some(p) = peer {
            // veth_dellink() unlinks the pair before unregister_netdevice_many
            // closes both, then unregisters them in turn: their messages
            // name no peer.
            self.rtnl_unpeered.extend([me, p]);
            let _ = self.set_up(ns, ifindex, false);
            let _ = self.set_up(p.ns, p.ifindex, false);
        }
        self.unregister(ns, ifindex);
        if let Some(p) = peer {
            if self.dev(p).is_some() {
                self.unregister(p.ns, p.ifindex);
            }
            self.rtnl_unpeered.retain(|x| *x != me && *x != p);
        }
        Ok(())
    }

    pub fn link_set(&mut self, ns: NsId, ifindex: u32, ch: LinkChange) -> KResult<()> {
        let Some(d) = self.ns(ns).dev(ifindex) else {
            return Err(Errno::ENODEV.into());
        };
        // The changes whose handlers end in rtmsg_ifinfo(RTM_NEWLINK) (flags,
        // netdev notifiers); up/down, masters and moves send their own.
        let notify = match &ch {
            LinkChange::Mtu(m) => *m != d.mtu,
            LinkChange::Name(n) => *n != d.name,
            LinkChange::Up(_) | LinkChange::Master(_) | LinkChange::Netns(_) => false,
            LinkChange::Carrier(_) => false,
            _ => true,
        };
        let r = self.link_set_one(ns, ifindex, ch);
        if r.is_ok() && notify {
            self.notify_link(DevRef { ns, ifindex });
        }
        r
    }

    fn link_set_one(&mut self, ns: NsId, ifindex: u32, ch: LinkChange) -> KResult<()> {
        match ch {
            LinkChange::Up(up) => self.set_up(ns, ifindex, up),
            LinkChange::Name(n) => {
                let d = self.ns(ns).dev(ifindex).unwrap();
                if d.name == n {
                    return Ok(());
                }
                // Live renaming of an up device is allowed on current kernels.
                self.check_name(ns, &n)?;
                let old = d.name.clone();
                let netns = self.ns_mut(ns);
                netns.dev_mut(ifindex).unwrap().name = n.clone();
                netns.sysctl.rename_dev(&old, Some(&n));
                for a in netns.addrs4.iter_mut().filter(|a| a.ifindex == ifindex) {
                    // Labels that were the device name follow it (as inet's NETDEV_CHANGENAME).
                    if a.label == old {
                        a.label = n.clone();
                    } else if let Some(rest) = a.label.strip_prefix(&format!("{old}:")) {
                        a.label = format!("{n}:{rest}");
                    }
                }
                Ok(())
            }
            LinkChange::Mtu(m) => {
                let d = self.ns(ns).dev(ifindex).unwrap();
                let (min, max) = match d.kind {
                    DevKind::Loopback => (68, u32::MAX >> 1),
                    // tun_net_init(): MAX_MTU less the link header (tap: 14).
                    DevKind::Tun { tap: true, .. } => (68, 65521),
                    DevKind::Tun { .. } => (68, 65535),
                    DevKind::Veth { .. } => (68, 65535),
                    // __ip_tunnel_change_mtu(): 68 up to what fits IP_MAX_MTU.
                    DevKind::Tunnel(ref t) => (
                        68,
                        0xffff - t.t_hlen() as u32 - if t.kind.is_ether() { 14 } else { 0 },
                    ),
                    _ => (68, 65535),
                };
                if let Some(l) = d.kind.lower() {
                    // vlan_dev_change_mtu() (ERANGE), macvlan_change_mtu()
                    // and ipvlan's (EINVAL): never above the lower's.
                    let lmtu = self.dev(l).map_or(u32::MAX, |l| l.mtu);
                    if (68..=65535).contains(&m) && m > lmtu {
                        return Err(match d.kind {
                            DevKind::Vlan(_) => Errno::ERANGE.into(),
                            _ => Errno::EINVAL.into(),
                        });
                    }
                }
                if let Some(max) = self.vxlan_max_mtu(DevRef { ns, ifindex }) {
                    // vxlan_change_mtu(): what the lower device leaves room for.
                    if (68..=65535).contains(&m) && m > max {
                        return Err(Errno::EINVAL.into());
                    }
                }
                if let Some(t) = d.tunnel() {
                    // dev_validate_mtu() knows bounds only the ioctl path
                    // set; otherwise ip_tunnel_change_mtu() refuses plainly.
                    if (m < min && t.min_mtu == 0) || (m > max && t.max_mtu == 0) {
                        return Err(Errno::EINVAL.into());
                    }
                }
                if m < min {
                    return Err(KernelError::ext(
                        Errno::EINVAL,
                        "mtu less than device minimum",
                    ));
                }
                if m > max {
                    return Err(KernelError::ext(
                        Errno::EINVAL,
                        "mtu greater than device maximum",
                    ));
                }
                let n = self.ns_mut(ns);
                let d = n.dev_mut(ifindex).unwrap();
                d.mtu = m;
                // NETDEV_CHANGEMTU: IPv6's MTU follows the device's again.
                let key = format!("net.ipv6.conf.{}.mtu", d.name);
                let uppers = d.uppers.clone();
                n.sysctl.values.remove(&key);
                // NETDEV_CHANGEMTU: uppers larger than their lower shrink to it.
                for u in uppers {
                    if let Some(ud) = self.dev_mut(u) {
                        ud.mtu = ud.mtu.min(m);
                    }
                }
                Ok(())
            }
            LinkChange::Address(mac) => {
                if matches!(self.ns(ns).dev(ifindex).unwrap().kind, DevKind::Ifb) {
                    // ifb has no ndo_set_mac_address.
                    return Err(Errno::EOPNOTSUPP.into());
                }
                if mac.is_multicast() {
                    return Err(Errno::EADDRNOTAVAIL.into());
                }
                let d = self.ns_mut(ns).dev_mut(ifindex).unwrap();
                let old = std::mem::replace(&mut d.mac, mac);
                d.mac_set = true;
                let mut recalc = false;
                if let Some(b) = d.bridge_mut() {
                    let old = std::mem::replace(&mut b.id_mac, mac);
                    crate::bridge::br_stp::change_bridge_addr(b, old, mac);
                    recalc = true;
                }
                if recalc {
                    self.br_stp_recalc(ns, ifindex);
                }
                let d = self.ns_mut(ns).dev_mut(ifindex).unwrap();
                if let Some(m) = d.master {
                    // br_fdb_changeaddr(): the port's local entry follows its address.
                    let now = self.now;
                    let b = self.bridge_mut(ns, m)?;
                    b.fdb
                        .retain(|k, e| !(e.is_local && e.port == ifindex && k.0 == old));
                    b.fdb_insert(
                        (mac, 0),
                        FdbEntry {
                            port: ifindex,
                            is_local: true,
                            is_static: true,
                            updated: now,
                            used: now,
                            seq: 0,
                        },
                    );
                    self.bridge_recalc_mac(ns, m);
                } else if self.ns(ns).dev(ifindex).unwrap().is_bridge() {
                    self.bridge_fdb_local(DevRef { ns, ifindex });
                }
                Ok(())
            }
            LinkChange::TxQueueLen(q) => {
                self.ns_mut(ns).dev_mut(ifindex).unwrap().txqlen = q;
                Ok(())
            }
            LinkChange::Promisc(p) => {
                let d = self.ns_mut(ns).dev_mut(ifindex).unwrap();
                if p != d.promisc_user {
                    d.promisc_user = p;
                    d.promisc = if p {
                        d.promisc + 1
                    } else {
                        d.promisc.saturating_sub(1)
                    };
                }
                Ok(())
            }
            LinkChange::Arp(on) => {
                self.ns_mut(ns).dev_mut(ifindex).unwrap().noarp = !on;
                Ok(())
            }
            LinkChange::Allmulti(on) => {
                self.ns_mut(ns).dev_mut(ifindex).unwrap().allmulti_user = on;
                Ok(())
            }
            LinkChange::Multicast(on) => {
                self.ns_mut(ns).dev_mut(ifindex).unwrap().nomulticast = !on;
                Ok(())
            }
            LinkChange::Carrier(on) => {
                // Only tun implements ndo_change_carrier among these devices;
                // it refuses carrier without a queue attached. Forcing the
                // carrier of an attached tun is not simulated.
                let d = self.ns(ns).dev(ifindex).unwrap();
                match d.kind {
                    DevKind::Tun { attached, .. } if on == (attached > 0) => Ok(()),
                    DevKind::Tun { attached: 0, .. } => Err(Errno::EPERM.into()),
                    _ => Err(Errno::EOPNOTSUPP.into()),
                }
            }
            LinkChange::Dynamic(on) => {
                self.ns_mut(ns).dev_mut(ifindex).unwrap().dynamic = on;
                Ok(())
            }
            LinkChange::Alias(a) => {
                // An empty alias removes it (dev_set_alias with length 0).
                self.ns_mut(ns).dev_mut(ifindex).unwrap().alias = a.filter(|a| !a.is_empty());
                Ok(())
            }
            LinkChange::Master(Some(m)) if self.is_bond(ns, m) => {
                // do_set_master(): the old master lets go first.
                let old = self.ns(ns).dev(ifindex).unwrap().master;
                if let Some(o) = old.filter(|o| *o != m) {
                    self.master_release(ns, o, ifindex);
                }
                self.bond_enslave(ns, m, ifindex)
            }
            LinkChange::Master(Some(v)) if self.is_l3_master(ns, v) => {
                self.vrf_add_slave(ns, v, ifindex)
            }
            LinkChange::Master(Some(br)) => self.bridge_enslave(ns, br, ifindex),
            LinkChange::Master(None) => {
                if let Some(m) = self.ns(ns).dev(ifindex).unwrap().master {
                    self.master_release(ns, m, ifindex);
                }
                Ok(())
            }
            LinkChange::Netns(to) => self.link_move(ns, ifindex, to),
            LinkChange::Group(g) => {
                self.ns_mut(ns).dev_mut(ifindex).unwrap().group = g;
                Ok(())
            }
        }
    }

    /// RTM_NEWLINKPROP / RTM_DELLINKPROP with one IFLA_ALT_IFNAME
    /// (rtnl_alt_ifname()): a name already in use anywhere in the
    /// namespace is EEXIST; deleting a name the device does not have as
    /// an alternative is ENOENT (its own name, or another device's, EINVAL).
    pub fn link_altname(&mut self, ns: NsId, ifindex: u32, add: bool, name: &str) -> KResult<()> {
        // IFLA_ALT_IFNAME's policy: a string shorter than ALTIFNAMSIZ (128).
        if name.len() >= ALTIFNAMSIZ {
            return Err(KernelError::ext(
                Errno::EINVAL,
                "Attribute failed policy validation",
            ));
        }
        if name.is_empty() {
            return Err(Errno::EINVAL.into());
        }
        let owner = self.ns(ns).dev_by_name(name).map(|d| d.ifindex);
        let d = self.ns_mut(ns).dev_mut(ifindex).ok_or(Errno::ENODEV)?;
        if add {
            if owner.is_some() {
                return Err(Errno::EEXIST.into());
            }
            d.altnames.push(name.to_string());
        } else {
            match d.altnames.iter().position(|a| a == name) {
                Some(i) => {
                    d.altnames.remove(i);
                }
                None if owner.is_some() => return Err(Errno::EINVAL.into()),
                None => return Err(Errno::ENOENT.into()),
            }
        }
        // rtnl_linkprop() ends in netdev_state_change(): RTM_NEWLINK.
        self.notify_link(DevRef { ns, ifindex });
        Ok(())
    }

    pub(crate) fn set_up(&mut self, ns: NsId, ifindex: u32, up: bool) -> KResult<()> {
        self.set_up_depth(ns, ifindex, up, 0)
    }

    fn set_up_depth(&mut self, ns: NsId, ifindex: u32, up: bool, depth: u32) -> KResult<()> {
        let d = self.ns(ns).dev(ifindex).ok_or(Errno::ENODEV)?;
        if d.up == up {
            return Ok(());
        }
        if let (true, DevKind::Vlan(v)) = (up, &d.kind) {
            // vlan_dev_open(): not while the real device is down.
            let loose = v.flags & crate::dev::vlan::vlanf::LOOSE_BINDING != 0;
            if !loose && !self.dev(v.lower).is_some_and(|l| l.up) {
                return Err(Errno::ENETDOWN.into());
            }
        }
        let vlans: Vec<DevRef> = d
            .uppers
            .iter()
            .copied()
            .filter(|u| match self.dev(*u).map(|d| &d.kind) {
                Some(DevKind::Vlan(v)) => v.flags & crate::dev::vlan::vlanf::LOOSE_BINDING == 0,
                _ => false,
            })
            .collect();
        if !up && depth < 8 {
            // vlan_device_event(NETDEV_DOWN): the vlans go down first.
            for v in &vlans {
                let _ = self.set_up_depth(v.ns, v.ifindex, false, depth + 1);
            }
        }
        let r = self.set_up_one(ns, ifindex, up);
        if up && depth < 8 {
            // vlan_device_event(NETDEV_UP): every vlan comes up with it;
            // the lower's carrier reaches them afterwards (NETDEV_CHANGE
            // from linkwatch), when they run: urgent events.
            for v in &vlans {
                let _ = self.set_up_depth(v.ns, v.ifindex, true, depth + 1);
                if self.lw_pending.contains(v) {
                    self.linkwatch_fire(*v);
                }
            }
        }
        r
    }

    fn set_up_one(&mut self, ns: NsId, ifindex: u32, up: bool) -> KResult<()> {
        if self.ns(ns).dev(ifindex).is_none() {
            return Err(Errno::ENODEV.into());
        }
        let default_qdisc = self
            .ns(ns)
            .sysctl
            .get("net.core.default_qdisc", &[])
            .unwrap_or_default();
        if !up {
            self.nf_masq_cleanup(ns, ifindex, None);
        }
        let d = self.ns_mut(ns).dev_mut(ifindex).unwrap();
        d.up = up;
        if let (false, DevKind::Vxlan(v)) = (up, &mut d.kind) {
            // vxlan_stop() → vxlan_flush(): learned entries go.
            v.fdb
                .retain(|f| f.state == crate::tunnel::vxlan::FdbState::Permanent);
        }
        if up && d.qdisc.is_none() {
            // dev_activate(): queueless devices get noqueue, the rest the default qdisc.
            d.qdisc = Some(
                if matches!(
                    d.kind,
                    DevKind::Loopback
                        | DevKind::Veth { .. }
                        | DevKind::Bridge(_)
                        | DevKind::Dummy
                        | DevKind::Vxlan(_)
                        | DevKind::Vlan(_)
                        | DevKind::Macvlan(_)
                        | DevKind::Ipvlan(_)
                        | DevKind::Bond(_)
                        | DevKind::Vrf { .. }
                ) || d.tunnel().is_some_and(|t| !t.kind.is_ether())
                {
                    "noqueue".to_string()
                } else {
                    default_qdisc
                },
            );
        }
        let is_lo = d.is_loopback();
        let master = d.master;
        // __dev_notify_flags(): RTM_NEWLINK, then NETDEV_UP/DOWN's work.
        self.notify_link(DevRef { ns, ifindex });
        if let Some(br) = master {
            self.br_port_updown_notify(ns, br, ifindex, up);
        }
        if up {
            if is_lo && self.ns(ns).addrs4_of(ifindex).next().is_none() {
                // inetdev_event(NETDEV_UP) on loopback adds 127.0.0.1/8.
                self.addr_add(
                    ns,
                    Ifaddr4 {
                        label: "lo".into(),
                        scope: Scope::Host,
                        ..Ifaddr4::new(ifindex, Ipv4Addr::LOCALHOST, 8)
                    },
                )?;
            }
            self.fib_add_dev_routes(ns, ifindex);
            // br_dev_open() → br_multicast_open(): a snooping bridge joins
            // the snoopers' group; then ip_mc_up() (NETDEV_UP).
            if self.br_snooping(ns, ifindex) {
                self.ip_mc_inc_group(ns, ifindex, crate::ipv4::igmp::ALL_SNOOPERS);
            }
            self.ip_mc_up(ns, ifindex);
        } else {
            // br_dev_stop() → br_multicast_stop(), then ip_mc_down().
            if self.br_snooping(ns, ifindex) {
                self.ip_mc_dec_group(ns, ifindex, crate::ipv4::igmp::ALL_SNOOPERS);
            }
            self.ip_mc_down(ns, ifindex);
            // NETDEV_DOWN: nexthop objects through the device go first
            // (nh_netdev_event), with their routes.
            self.nexthop_flush_dev(ns, ifindex, false);
            // fib_disable_ip(): routes through the device go, except the
            // host-scope local ones (their next hop has scope nowhere, which
            // fib_sync_down_dev skips); neighbours flush.
            let n = self.ns_mut(ns);
            let devs = &n.devs;
            for t in n.fib.tables.values_mut() {
                t.retain(|r| {
                    r.nhid.is_some()
                        || (r.dev != Some(ifindex) || r.rtype == RouteType::Local && r.scope == Scope::Host)
                        // fib_sync_down_dev(): a multipath route goes once
                        // every next hop is dead.
                        && (r.nh.is_single()
                            || r.nh.hops().iter().any(|h| {
                                h.dev != ifindex && devs.get(&h.dev).is_some_and(|d| d.up)
                            }))
                });
            }
            // addrconf_ifdown(): IPv6 addresses go with the link.
            n.addrs6.retain(|a| a.ifindex != ifindex);
            self.neigh_flush_dev_notify(ns, ifindex);
        }
        self.refresh_carriers(ns);
        // veth_open() turns its own carrier on before the peer's: linkwatch
        // handles them in that order.
        let me = DevRef { ns, ifindex };
        if let Some(p) = self.ns(ns).dev(ifindex).and_then(|d| d.veth_peer()) {
            let pos = |x: DevRef| self.lw_urgent.iter().position(|u| *u == x);
            if let (Some(a), Some(b)) = (pos(me), pos(p)) {
                if b < a {
                    self.lw_urgent.swap(a, b);
                }
            }
        }
        // A veth peer elsewhere changes carrier too, and so do uppers elsewhere.
        if let Some(d) = self.ns(ns).dev(ifindex) {
            let mut other: Vec<NsId> = d.uppers.iter().map(|u| u.ns).collect();
            other.extend(d.veth_peer().map(|p| p.ns));
            other.sort_unstable();
            other.dedup();
            for o in other.into_iter().filter(|o| *o != ns) {
                self.refresh_carriers(o);
            }
        }
        Ok(())
    }

    fn link_move(&mut self, ns: NsId, ifindex: u32, to: NsId) -> KResult<()> {
        if ns == to {
            return Ok(());
        }
        let d = self.ns(ns).dev(ifindex).unwrap();
        // Loopback and tunnel fallbacks are NETIF_F_NETNS_LOCAL.
        if d.is_loopback() || d.tunnel().is_some_and(|t| t.fallback) {
            return Err(KernelError::ext(
                Errno::EINVAL,
                "The device cannot be moved",
            ));
        }
        if self.ns(to).dev_by_name(&d.name).is_some() {
            return Err(KernelError::new(Errno::EEXIST));
        }
        self.set_up(ns, ifindex, false)?;
        // A pending linkwatch event is handled before the device leaves
        // (the operstate computed here, where its lower is, stays with it).
        // (Seen with macvlans; veths keep the older model.)
        let me = DevRef { ns, ifindex };
        let stacked = self.dev(me).is_some_and(|d| d.kind.lower().is_some());
        if stacked && self.lw_pending.contains(&me) {
            let o = self.default_operstate(me);
            self.dev_mut(me).unwrap().oper = Some(o);
            self.lw_pending.retain(|x| *x != me);
            self.lw_set.remove(&me);
        }
        // The RTM_DELLINK sent in the old namespace names the new one (IFLA_NEW_NETNSID).
        self.peernet2id_alloc(ns, to);
        if let Some(m) = self.ns(ns).dev(ifindex).unwrap().master {
            self.master_release(ns, m, ifindex);
        }
        // NETDEV_UNREGISTER in the old namespace: the netconf goes, and
        // RTM_DELLINK names where the device went (filled in below).
        self.notify_netconf(ns, ifindex, true);
        let gone = if self.rtnl_has_listeners(ns, crate::rtnl_notify::group::LINK) {
            self.ifinfo(me)
        } else {
            None
        };
        let n = self.ns_mut(ns);
        let mut dev = n.devs.remove(&ifindex).unwrap();
        n.addrs4.retain(|a| a.ifindex != ifindex);
        n.addrs6.retain(|a| a.ifindex != ifindex);
        n.neigh.flush_dev(ifindex, false);
        let name = dev.name.clone();
        n.sysctl.rename_dev(&name, None);
        for t in n.fib.tables.values_mut() {
            t.retain(|r| r.dev != Some(ifindex));
        }
        // dev_change_net_namespace keeps the index when it is free there.
        let new_idx = self.ns_mut(to).alloc_ifindex(Some(ifindex));
        dev.ifindex = new_idx;
        if let Some(mut info) = gone {
            info.qdisc = "noop".into();
            info.new_netnsid = self.ns(ns).peer_ids.get(&to).copied();
            info.new_ifindex = Some(new_idx);
            let info = Box::new(info);
            self.rtnl_notify(ns, crate::rtnl_notify::RtMsg::Link { del: true, info });
        }
        // dev_shutdown(): the qdisc goes; the next up attaches a new one.
        dev.qdisc = None;
        let peer = dev.veth_peer();
        let lower = dev.kind.lower();
        let uppers = dev.uppers.clone();
        let nic = matches!(dev.kind, DevKind::Nic { .. });
        self.ns_mut(to).list_netdevice(dev);
        if nic {
            let to = DevRef {
                ns: to,
                ifindex: new_idx,
            };
            self.nic_moved(DevRef { ns, ifindex }, to);
        }
        if let Some(p) = peer {
            // The peer now points at the moved device's new home.
            if let Some(pd) = self.dev_mut(p) {
                pd.kind = DevKind::Veth {
                    peer: DevRef {
                        ns: to,
                        ifindex: new_idx,
                    },
                };
            }
            // rtnl notifications in both namespaces carry IFLA_LINK_NETNSID.
            if p.ns != to {
                self.peernet2id_alloc(to, p.ns);
                self.peernet2id_alloc(p.ns, to);
            }
        }
        let (old, new) = (
            DevRef { ns, ifindex },
            DevRef {
                ns: to,
                ifindex: new_idx,
            },
        );
        if let Some(l) = lower {
            // The lower keeps knowing its upper where it went; the upper's
            // notifications name the lower's namespace (IFLA_LINK_NETNSID).
            if let Some(ld) = self.dev_mut(l) {
                for u in ld.uppers.iter_mut().filter(|u| **u == old) {
                    *u = new;
                }
            }
            if l.ns != to {
                self.peernet2id_alloc(to, l.ns);
            }
        }
        for u in uppers {
            if let Some(ud) = self.dev_mut(u) {
                match &mut ud.kind {
                    DevKind::Vlan(v) => v.lower = new,
                    DevKind::Macvlan(m) => m.lower = new,
                    DevKind::Ipvlan(v) => v.lower = new,
                    _ => {}
                }
            }
        }
        self.notify_register(new, |_| {});
        self.sockets_dev_gone(ns, ifindex);
        self.refresh_carriers(ns);
        self.refresh_carriers(to);
        Ok(())
    }
}
