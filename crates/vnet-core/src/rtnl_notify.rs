//! rtnetlink notifications (rtnl_notify): the messages the kernel multicasts
//! to the RTNLGRP_* groups when links, addresses, routes, neighbours,
//! netconf settings or netns ids change — what `ip monitor` and
//! `bridge monitor` print. Read `rtmsg_ifinfo`, `rtmsg_fib`,
//! `__neigh_notify` and `rtnl_net_notifyid` in the kernel first.
//!
//! Each message is filled when it is sent (as `rtnl_fill_ifinfo` does), so
//! a listener sees every intermediate state in the kernel's order. Nothing
//! is built or kept while no one listens in a namespace; each listener's
//! queue is bounded (a full socket buffer drops messages: ENOBUFS).
//!
//! Rule, bridge vlan and mdb messages have their kinds here; the subsystems
//! that own those objects post them. The bridge posts its fdb entries
//! (`fdb_notify`) and its ports' AF_BRIDGE link messages
//! (`br_ifinfo_notify`) through `World::notify_fdb` and
//! `World::notify_brport`.

use crate::addr::{Ifaddr4, Ifaddr6};
use crate::dev::{DevKind, DevRef, OperState};
use crate::ipv4::fib::Route;
use crate::neigh::NudState;
use crate::types::{Mac, NsId};
use crate::World;
use std::collections::VecDeque;
use std::net::IpAddr;

/// RTNLGRP_* groups a listener joins (bits of a mask, vnet's numbering).
pub mod group {
    pub const LINK: u32 = 1 << 0;
    pub const IPV4_IFADDR: u32 = 1 << 1;
    pub const IPV6_IFADDR: u32 = 1 << 2;
    pub const IPV4_ROUTE: u32 = 1 << 3;
    pub const IPV6_ROUTE: u32 = 1 << 4;
    pub const NEIGH: u32 = 1 << 5;
    pub const IPV4_NETCONF: u32 = 1 << 6;
    pub const IPV6_NETCONF: u32 = 1 << 7;
    pub const IPV4_RULE: u32 = 1 << 8;
    pub const IPV6_RULE: u32 = 1 << 9;
    pub const NSID: u32 = 1 << 10;
    pub const MDB: u32 = 1 << 11;
    pub const BRVLAN: u32 = 1 << 12;
}

/// Messages a listener's socket holds before the kernel drops the rest
/// (a full receive buffer).
pub const QUEUE_MAX: usize = 4096;

/// IFLA_EVENT values (enum rtnl_link_event... as iproute2 names them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkEvent {
    FeatureChange,
}

/// An RTM_NEWLINK / RTM_DELLINK message (ifinfomsg and its attributes).
#[derive(Clone, Debug, PartialEq)]
pub struct IfInfo {
    /// AF_BRIDGE: a bridge port's message (br_ifinfo_notify), else AF_UNSPEC.
    pub bridge_family: bool,
    pub ifindex: u32,
    pub name: String,
    /// dev_get_flags().
    pub flags: u32,
    pub mtu: u32,
    /// IFLA_QDISC (absent in AF_BRIDGE messages).
    pub qdisc: String,
    pub master: Option<u32>,
    pub operstate: OperState,
    pub group: u32,
    /// ARPHRD_* type (`link/ether`, `link/none`...).
    pub arphrd: u16,
    pub addr: Mac,
    pub broadcast: Mac,
    /// IFLA_LINK: the lower's (peer's) index, 0 when it is not registered.
    pub link: Option<u32>,
    /// IFLA_LINK_NETNSID: the id of the lower's namespace, seen from here.
    pub link_netnsid: Option<i32>,
    /// IFLA_NEW_NETNSID / IFLA_NEW_IFINDEX: where a device moved to.
    pub new_netnsid: Option<i32>,
    pub new_ifindex: Option<u32>,
    pub event: Option<LinkEvent>,
    /// IFLA_PROTINFO of a bridge port's AF_BRIDGE RTM_NEWLINK (none in its
    /// RTM_DELLINK): what `bridge link` shows.
    pub protinfo: Option<BrPortInfo>,
}

/// A bridge port's state, priority and cost (IFLA_BRPORT_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrPortInfo {
    pub state: crate::bridge::PortState,
    pub priority: u8,
    pub cost: u32,
}

/// An fdb entry's NUD state as fdb_fill_info() reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdbState {
    /// A local address (NUD_PERMANENT).
    Permanent,
    /// A static entry (NUD_NOARP).
    Static,
    /// A learned or dynamic entry (NUD_REACHABLE).
    Reachable,
    /// One that has aged out (NUD_STALE): its deletion by the gc.
    Stale,
}

/// An AF_BRIDGE RTM_NEWNEIGH / RTM_DELNEIGH message: one fdb entry.
#[derive(Clone, Debug, PartialEq)]
pub struct FdbMsg {
    /// The port (the bridge itself for its own address).
    pub ifindex: u32,
    pub mac: Mac,
    /// NDA_VLAN, 0 when absent.
    pub vid: u16,
    /// NDA_MASTER: the bridge.
    pub master: u32,
    pub state: FdbState,
}

/// RTM_NEWNETCONF / RTM_DELNETCONF (NETCONFA_ALL for one device).
#[derive(Clone, Debug, PartialEq)]
pub struct Netconf {
    pub v6: bool,
    pub ifindex: u32,
    pub forwarding: bool,
    pub rp_filter: u32,
    pub proxy_neigh: bool,
    pub ignore_routes_with_linkdown: bool,
}

/// A neighbour message (ndmsg): the entry as it is when sent.
#[derive(Clone, Debug, PartialEq)]
pub struct NeighMsg {
    pub ifindex: u32,
    pub dst: IpAddr,
    pub lladdr: Option<Mac>,
    pub state: NudState,
    pub router: bool,
    pub proxy: bool,
}

/// An rtnetlink message, as a listener receives it.
#[derive(Clone, Debug, PartialEq)]
pub enum RtMsg {
    Link {
        del: bool,
        info: Box<IfInfo>,
    },
    Addr4 {
        del: bool,
        addr: Box<Ifaddr4>,
    },
    Addr6 {
        del: bool,
        addr: Box<Ifaddr6>,
    },
    Route4 {
        del: bool,
        route: Box<Route>,
    },
    Neigh {
        del: bool,
        neigh: Box<NeighMsg>,
    },
    /// AF_BRIDGE neighbour messages (the bridge's fdb), on the neighbour group.
    Fdb {
        del: bool,
        fdb: Box<FdbMsg>,
    },
    Netconf {
        del: bool,
        conf: Box<Netconf>,
    },
    /// RTM_NEWNSID / RTM_DELNSID: an id this namespace gave another.
    Nsid {
        del: bool,
        id: i32,
    },
    /// RTM_NEWRULE / RTM_DELRULE: the rule's text, posted by policy routing.
    Rule {
        del: bool,
        v6: bool,
        text: String,
    },
    /// RTM_NEWVLAN / RTM_DELVLAN and RTM_NEWMDB / RTM_DELMDB: the entry's
    /// text, posted by the bridge's vlan and multicast code.
    BrVlan {
        del: bool,
        text: String,
    },
    /// An mdb entry of bridge `br` (br_mdb_notify()).
    Mdb {
        del: bool,
        br: u32,
        entry: Box<crate::bridge::br_mdb::MdbEntry>,
    },
}

impl RtMsg {
    /// The group the message is multicast to.
    pub fn group(&self) -> u32 {
        match self {
            RtMsg::Link { .. } => group::LINK,
            RtMsg::Addr4 { .. } => group::IPV4_IFADDR,
            RtMsg::Addr6 { .. } => group::IPV6_IFADDR,
            RtMsg::Route4 { .. } => group::IPV4_ROUTE,
            RtMsg::Neigh { .. } | RtMsg::Fdb { .. } => group::NEIGH,
            RtMsg::Netconf { conf, .. } if conf.v6 => group::IPV6_NETCONF,
            RtMsg::Netconf { .. } => group::IPV4_NETCONF,
            RtMsg::Nsid { .. } => group::NSID,
            RtMsg::Rule { v6: true, .. } => group::IPV6_RULE,
            RtMsg::Rule { .. } => group::IPV4_RULE,
            RtMsg::BrVlan { .. } => group::BRVLAN,
            RtMsg::Mdb { .. } => group::MDB,
        }
    }
}

/// One listening socket: its groups and what it has not read yet.
#[derive(Clone, Debug, Default)]
pub struct Listener {
    pub id: u32,
    pub groups: u32,
    pub queue: VecDeque<RtMsg>,
    /// Messages were dropped since the last read (ENOBUFS).
    pub overrun: bool,
}

/// A namespace's rtnetlink listeners (none: nothing is built or kept).
#[derive(Clone, Debug, Default)]
pub struct Listeners {
    pub(crate) next_id: u32,
    pub(crate) socks: Vec<Listener>,
}

impl Listeners {
    fn groups(&self) -> u32 {
        self.socks.iter().fold(0, |g, s| g | s.groups)
    }
}

impl World {
    /// Opens a listening socket in `ns` on `groups`; returns its id.
    pub fn rtnl_listen(&mut self, ns: NsId, groups: u32) -> u32 {
        let l = self.ns_mut(ns).rtnl.get_or_insert_with(Box::default);
        l.next_id += 1;
        let id = l.next_id;
        l.socks.push(Listener {
            id,
            groups,
            ..Listener::default()
        });
        id
    }

    /// Closes a listening socket; the last one takes the queue along.
    pub fn rtnl_unlisten(&mut self, ns: NsId, id: u32) {
        if !self.ns_alive(ns) {
            return;
        }
        let n = self.ns_mut(ns);
        if let Some(l) = n.rtnl.as_mut() {
            l.socks.retain(|s| s.id != id);
            if l.socks.is_empty() {
                n.rtnl = None;
            }
        }
    }

    /// Reads what a socket received: the messages, and whether some were
    /// lost (ENOBUFS) before them.
    pub fn rtnl_take(&mut self, ns: NsId, id: u32) -> (Vec<RtMsg>, bool) {
        if !self.ns_alive(ns) {
            return (Vec::new(), false);
        }
        let Some(l) = self.ns_mut(ns).rtnl.as_mut() else {
            return (Vec::new(), false);
        };
        match l.socks.iter_mut().find(|s| s.id == id) {
            Some(s) => (s.queue.drain(..).collect(), std::mem::take(&mut s.overrun)),
            None => (Vec::new(), false),
        }
    }

    /// Whether anyone in `ns` listens to `group` (messages are only built then).
    pub(crate) fn rtnl_has_listeners(&self, ns: NsId, group: u32) -> bool {
        self.ns_alive(ns)
            && self
                .ns(ns)
                .rtnl
                .as_ref()
                .is_some_and(|l| l.groups() & group != 0)
    }

    /// rtnl_notify(): hands a message to every socket of its group.
    pub(crate) fn rtnl_notify(&mut self, ns: NsId, msg: RtMsg) {
        if !self.ns_alive(ns) {
            return;
        }
        let g = msg.group();
        let Some(l) = self.ns_mut(ns).rtnl.as_mut() else {
            return;
        };
        for s in l.socks.iter_mut().filter(|s| s.groups & g != 0) {
            if s.queue.len() >= QUEUE_MAX {
                s.overrun = true;
            } else {
                s.queue.push_back(msg.clone());
            }
        }
    }

    /// rtnl_fill_ifinfo() for a device as it is now.
    pub(crate) fn ifinfo(&mut self, r: DevRef) -> Option<IfInfo> {
        let d = self.dev(r)?;
        let flags = self.flags(r);
        let operstate = self.operstate(r);
        let arphrd = match d.kind {
            DevKind::Loopback => crate::dev::arphrd::LOOPBACK,
            DevKind::Tun { tap: false, .. } => crate::dev::arphrd::NONE,
            _ => crate::dev::arphrd::ETHER,
        };
        let broadcast = if d.is_loopback() {
            Mac::ZERO
        } else {
            Mac::BROADCAST
        };
        let unpeered = self.rtnl_unpeered.contains(&r);
        let iflink = d.iflink().filter(|p| *p != r);
        let mut info = IfInfo {
            bridge_family: false,
            ifindex: r.ifindex,
            name: d.name.clone(),
            flags,
            mtu: d.mtu,
            qdisc: d.qdisc.clone().unwrap_or_else(|| "noop".into()),
            master: d.master,
            operstate,
            group: 0,
            arphrd,
            addr: d.mac,
            broadcast,
            link: iflink.map(|p| p.ifindex),
            link_netnsid: None,
            new_netnsid: None,
            new_ifindex: None,
            event: None,
            protinfo: None,
        };
        if unpeered {
            info.link = Some(0);
        } else if let Some(p) = iflink {
            if p.ns != r.ns {
                info.link_netnsid = Some(self.peernet2id_alloc(r.ns, p.ns));
            }
        }
        Some(info)
    }

    /// rtmsg_ifinfo(RTM_NEWLINK) for a device as it is now.
    pub(crate) fn notify_link(&mut self, r: DevRef) {
        self.notify_link_with(r, |_| {});
    }

    /// rtmsg_ifinfo() with the message adjusted as the caller's moment
    /// has it (a peer not registered yet, an event, a deletion...).
    pub(crate) fn notify_link_with(&mut self, r: DevRef, adjust: impl FnOnce(&mut IfInfo)) {
        self.notify_link_msg(r, false, adjust);
    }

    pub(crate) fn notify_link_msg(
        &mut self,
        r: DevRef,
        del: bool,
        adjust: impl FnOnce(&mut IfInfo),
    ) {
        if !self.rtnl_has_listeners(r.ns, group::LINK) {
            return;
        }
        if let Some(mut info) = self.ifinfo(r) {
            adjust(&mut info);
            self.rtnl_notify(
                r.ns,
                RtMsg::Link {
                    del,
                    info: Box::new(info),
                },
            );
        }
    }

    /// inet_netconf_notify_devconf(NETCONFA_ALL) and its IPv6 twin, sent
    /// when a device registers (inetdev_init, ipv6_add_dev) or goes.
    pub(crate) fn notify_netconf(&mut self, ns: NsId, ifindex: u32, del: bool) {
        if !self.rtnl_has_listeners(ns, group::IPV4_NETCONF | group::IPV6_NETCONF) {
            return;
        }
        let Some(d) = self.ns(ns).dev(ifindex) else {
            return;
        };
        let name = d.name.clone();
        let s = &self.ns(ns).sysctl;
        let get = |fam: &str, knob: &str| {
            s.get(&format!("net.{fam}.conf.{name}.{knob}"), &[name.as_str()])
                .and_then(|v| v.trim().parse::<u32>().ok())
                .unwrap_or(0)
        };
        let v4 = Netconf {
            v6: false,
            ifindex,
            forwarding: get("ipv4", "forwarding") != 0,
            rp_filter: get("ipv4", "rp_filter"),
            proxy_neigh: get("ipv4", "proxy_arp") != 0,
            ignore_routes_with_linkdown: get("ipv4", "ignore_routes_with_linkdown") != 0,
        };
        let v6 = Netconf {
            v6: true,
            ifindex,
            forwarding: get("ipv6", "forwarding") != 0,
            rp_filter: 0,
            proxy_neigh: get("ipv6", "proxy_ndp") != 0,
            ignore_routes_with_linkdown: get("ipv6", "ignore_routes_with_linkdown") != 0,
        };
        for conf in [v4, v6] {
            self.rtnl_notify(
                ns,
                RtMsg::Netconf {
                    del,
                    conf: Box::new(conf),
                },
            );
        }
    }

    /// A device registered: its netconf, then RTM_NEWLINK
    /// (register_netdevice's notifier chain, then rtmsg_ifinfo).
    pub(crate) fn notify_register(&mut self, r: DevRef, adjust: impl FnOnce(&mut IfInfo)) {
        self.notify_netconf(r.ns, r.ifindex, false);
        self.notify_link_with(r, adjust);
    }

    /// A device unregisters: its netconf goes, then RTM_DELLINK with the
    /// qdisc already gone (dev_shutdown) and no peer.
    pub(crate) fn notify_unregister(&mut self, r: DevRef) {
        self.notify_netconf(r.ns, r.ifindex, true);
        self.notify_link_msg(r, true, |i| i.qdisc = "noop".into());
    }

    pub(crate) fn notify_addr4(&mut self, ns: NsId, a: &Ifaddr4, del: bool) {
        if self.rtnl_has_listeners(ns, group::IPV4_IFADDR) {
            self.rtnl_notify(
                ns,
                RtMsg::Addr4 {
                    del,
                    addr: Box::new(a.clone()),
                },
            );
        }
    }

    pub(crate) fn notify_route4(&mut self, ns: NsId, r: &Route, del: bool) {
        if self.rtnl_has_listeners(ns, group::IPV4_ROUTE) {
            self.rtnl_notify(
                ns,
                RtMsg::Route4 {
                    del,
                    route: Box::new(r.clone()),
                },
            );
        }
    }

    /// __neigh_notify() for the entry of `dst` on a device as it is now.
    pub(crate) fn notify_neigh(&mut self, ns: NsId, ifindex: u32, dst: IpAddr, del: bool) {
        if !self.rtnl_has_listeners(ns, group::NEIGH) {
            return;
        }
        let Some(e) = self.ns(ns).neigh.get(ifindex, dst) else {
            return;
        };
        let msg = NeighMsg {
            ifindex,
            dst,
            lladdr: e.lladdr,
            state: e.state,
            router: e.router,
            proxy: false,
        };
        self.rtnl_notify(
            ns,
            RtMsg::Neigh {
                del,
                neigh: Box::new(msg),
            },
        );
    }

    /// A neighbour message built by the caller (an entry already gone).
    pub(crate) fn notify_neigh_msg(&mut self, ns: NsId, msg: NeighMsg, del: bool) {
        if self.rtnl_has_listeners(ns, group::NEIGH) {
            self.rtnl_notify(
                ns,
                RtMsg::Neigh {
                    del,
                    neigh: Box::new(msg),
                },
            );
        }
    }

    /// fdb_notify(): an entry of bridge `br` (key: address and vlan), as
    /// it is, or as it was when it goes.
    pub(crate) fn notify_fdb(
        &mut self,
        ns: NsId,
        br: u32,
        key: (Mac, u16),
        e: &crate::bridge::FdbEntry,
        state: FdbState,
        del: bool,
    ) {
        if self.rtnl_has_listeners(ns, group::NEIGH) {
            let fdb = FdbMsg {
                ifindex: e.port,
                mac: key.0,
                vid: key.1,
                master: br,
                state,
            };
            self.rtnl_notify(
                ns,
                RtMsg::Fdb {
                    del,
                    fdb: Box::new(fdb),
                },
            );
        }
    }

    /// br_mdb_notify(): an entry of bridge `br` came or went.
    pub(crate) fn notify_mdb(
        &mut self,
        ns: NsId,
        br: u32,
        e: &crate::bridge::br_mdb::MdbEntry,
        del: bool,
    ) {
        if self.rtnl_has_listeners(ns, group::MDB) {
            self.rtnl_notify(
                ns,
                RtMsg::Mdb {
                    del,
                    br,
                    entry: Box::new(e.clone()),
                },
            );
        }
    }

    /// br_ifinfo_notify(): a bridge port's AF_BRIDGE link message, with
    /// its state, priority and cost unless it is the port's deletion.
    pub(crate) fn notify_brport(&mut self, ns: NsId, br: u32, port: u32, del: bool) {
        if !self.rtnl_has_listeners(ns, group::LINK) {
            return;
        }
        let r = DevRef { ns, ifindex: port };
        let Some(mut info) = self.ifinfo(r) else {
            return;
        };
        let brp = self
            .ns(ns)
            .dev(br)
            .and_then(|d| d.bridge())
            .and_then(|b| b.port(port))
            .map(|p| BrPortInfo {
                state: p.state,
                priority: p.priority,
                cost: p.path_cost,
            });
        info.bridge_family = true;
        info.master = Some(br);
        // br_fill_ifinfo() names the lower by index alone: no netns id.
        info.link_netnsid = None;
        info.protinfo = if del { None } else { brp };
        self.rtnl_notify(
            ns,
            RtMsg::Link {
                del,
                info: Box::new(info),
            },
        );
    }

    /// neigh_flush_dev() as the kernel does it when a device goes down or
    /// loses its last address: each entry's RTM_DELNEIGH, as it was.
    pub(crate) fn neigh_flush_dev_notify(&mut self, ns: NsId, ifindex: u32) {
        self.neigh_ifdown(ns, ifindex, false);
    }

    /// __neigh_ifdown(): the device's entries go, announced, the permanent
    /// ones kept when `skip_perm` (neigh_carrier_down(), on NETDEV_CHANGE
    /// without carrier).
    pub(crate) fn neigh_ifdown(&mut self, ns: NsId, ifindex: u32, skip_perm: bool) {
        let doomed = |i: u32, e: &crate::neigh::Neighbour| {
            i == ifindex && !(skip_perm && e.state == crate::neigh::NudState::Permanent)
        };
        if self.rtnl_has_listeners(ns, group::NEIGH) {
            let gone: Vec<NeighMsg> = self
                .ns(ns)
                .neigh
                .iter()
                .filter(|(i, _, e)| doomed(*i, e))
                .map(|(_, dst, e)| NeighMsg {
                    ifindex,
                    dst,
                    lladdr: e.lladdr,
                    state: e.state,
                    router: e.router,
                    proxy: false,
                })
                .collect();
            for m in gone {
                self.notify_neigh_msg(ns, m, true);
            }
        }
        self.ns_mut(ns).neigh.flush_dev(ifindex, skip_perm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dev::rtnetlink::{LinkChange, NewLink};
    use crate::types::Time;

    fn veth(w: &mut World, ns: NsId) -> u32 {
        let kind = NewLink::Veth {
            peer: "v1".into(),
            peer_ns: None,
            peer_mac: None,
        };
        w.link_add(ns, "v0", kind, None).unwrap()
    }

    /// (deleted, ifindex, link) of each link message.
    fn links(msgs: &[RtMsg]) -> Vec<(bool, u32, Option<u32>)> {
        msgs.iter()
            .filter_map(|m| match m {
                RtMsg::Link { del, info } => Some((*del, info.ifindex, info.link)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn nothing_is_kept_while_no_one_listens() {
        let mut w = World::new(1);
        veth(&mut w, 0);
        assert!(w.ns(0).rtnl.is_none());
        let id = w.rtnl_listen(0, group::LINK);
        w.rtnl_unlisten(0, id);
        w.link_set(0, 2, LinkChange::Mtu(1400)).unwrap();
        assert!(w.ns(0).rtnl.is_none());
        assert_eq!(w.rtnl_take(0, id), (Vec::new(), false));
    }

    #[test]
    fn a_veth_pair_registers_peer_first_without_its_link() {
        let mut w = World::new(1);
        let id = w.rtnl_listen(0, group::LINK | group::IPV4_NETCONF);
        let v0 = veth(&mut w, 0);
        let (msgs, lost) = w.rtnl_take(0, id);
        assert!(!lost);
        // The peer (index 2) while v0 is unregistered, then v0 naming it.
        assert_eq!(
            links(&msgs),
            vec![(false, 2, Some(0)), (false, v0, Some(2))]
        );
        // Each link message follows its device's IPv4 netconf.
        assert!(matches!(&msgs[0], RtMsg::Netconf { del: false, conf } if conf.ifindex == 2));
        // Deleting the pair: no peer named any more, DELLINK with qdisc noop.
        w.link_del(0, v0).unwrap();
        let (msgs, _) = w.rtnl_take(0, id);
        assert_eq!(links(&msgs), vec![(true, v0, Some(0)), (true, 2, Some(0))]);
    }

    #[test]
    fn up_shows_the_old_operstate_and_linkwatch_follows() {
        let mut w = World::new(1);
        let v0 = veth(&mut w, 0);
        w.settle();
        let id = w.rtnl_listen(0, group::LINK);
        w.link_set(0, 2, LinkChange::Up(true)).unwrap();
        w.link_set(0, v0, LinkChange::Up(true)).unwrap();
        // dev_change_flags' message: carrier on, operstate not yet UP.
        let (msgs, _) = w.rtnl_take(0, id);
        let states: Vec<OperState> = msgs
            .iter()
            .filter_map(|m| match m {
                RtMsg::Link { info, .. } => Some(info.operstate),
                _ => None,
            })
            .collect();
        assert_eq!(states.last(), Some(&OperState::LowerLayerDown));
        w.settle();
        let (msgs, _) = w.rtnl_take(0, id);
        // The device brought up first, then its peer.
        let order: Vec<(u32, OperState)> = msgs
            .iter()
            .filter_map(|m| match m {
                RtMsg::Link { info, .. } => Some((info.ifindex, info.operstate)),
                _ => None,
            })
            .collect();
        assert_eq!(order, vec![(v0, OperState::Up), (2, OperState::Up)]);
    }

    /// (deleted, mac's last byte, port, state) of each fdb message, but
    /// for the peer v1's own address (learned from whatever v1 sends).
    fn fdbs(msgs: &[RtMsg]) -> Vec<(bool, u8, u32, FdbState)> {
        msgs.iter()
            .filter_map(|m| match m {
                RtMsg::Fdb { del, fdb } => Some((*del, fdb.mac.0[5], fdb.ifindex, fdb.state)),
                _ => None,
            })
            .filter(|f| f.1 != 0x11)
            .collect()
    }

    /// A bridge (2) with the veth end v0 (4, its peer v1 is 3) as its
    /// port, all up.
    fn bridge_lab(w: &mut World) {
        let mac = |b| Some(Mac([2, 0, 0, 0, 0, b]));
        w.link_add(0, "br0", NewLink::Bridge, mac(0xb0)).unwrap();
        let kind = NewLink::Veth {
            peer: "v1".into(),
            peer_ns: None,
            peer_mac: mac(0x11),
        };
        w.link_add(0, "v0", kind, mac(0x10)).unwrap();
        w.link_set(0, 4, LinkChange::Master(Some(2))).unwrap();
        for i in [2, 4, 3] {
            w.link_set(0, i, LinkChange::Up(true)).unwrap();
        }
        w.settle();
    }

    #[test]
    fn learning_ageing_and_release_announce_fdb_entries() {
        let mut w = World::new(1);
        let id = w.rtnl_listen(0, group::NEIGH | group::LINK);
        bridge_lab(&mut w);
        let (msgs, _) = w.rtnl_take(0, id);
        // The bridge's own entry (in, replaced once), then the port's.
        assert_eq!(
            fdbs(&msgs),
            vec![
                (false, 0xb0, 2, FdbState::Permanent),
                (true, 0xb0, 2, FdbState::Permanent),
                (false, 0xb0, 2, FdbState::Permanent),
                (false, 0x10, 4, FdbState::Permanent),
            ]
        );
        // The port's AF_BRIDGE messages carry its state; the last says forwarding.
        let last_port = msgs.iter().rev().find_map(|m| match m {
            RtMsg::Link { info, .. } if info.bridge_family => info.protinfo,
            _ => None,
        });
        assert_eq!(
            last_port.map(|p| p.state),
            Some(crate::bridge::PortState::Forwarding)
        );
        w.br_fdb_update(0, 2, Mac([2, 0, 0, 0, 0, 0x99]), 0, 4);
        w.br_fdb_update(0, 2, Mac([2, 0, 0, 0, 0, 0x99]), 0, 4);
        let (msgs, _) = w.rtnl_take(0, id);
        // Learned once: a refresh says nothing.
        assert_eq!(fdbs(&msgs), vec![(false, 0x99, 4, FdbState::Reachable)]);
        // The gc takes it when its age is over (300 s), as stale.
        let t = w.now() + Time::from_secs(301);
        w.advance(t);
        let (msgs, _) = w.rtnl_take(0, id);
        assert_eq!(fdbs(&msgs), vec![(true, 0x99, 4, FdbState::Stale)]);
        // Leaving: the learned entry with the port disabled, then the rest.
        w.br_fdb_update(0, 2, Mac([2, 0, 0, 0, 0, 0x98]), 0, 4);
        w.rtnl_take(0, id);
        w.link_set(0, 4, LinkChange::Master(None)).unwrap();
        let (msgs, _) = w.rtnl_take(0, id);
        assert_eq!(
            fdbs(&msgs),
            vec![
                (true, 0x98, 4, FdbState::Reachable),
                (true, 0x10, 4, FdbState::Permanent),
            ]
        );
        let dellink = msgs
            .iter()
            .position(|m| matches!(m, RtMsg::Link { del: true, info } if info.bridge_family));
        let learned_gone = msgs
            .iter()
            .position(|m| matches!(m, RtMsg::Fdb { fdb, .. } if fdb.mac.0[5] == 0x98));
        assert!(learned_gone < dellink && dellink.is_some());
    }

    #[test]
    fn a_full_queue_drops_and_says_so() {
        let mut w = World::new(1);
        veth(&mut w, 0);
        let id = w.rtnl_listen(0, group::LINK);
        for i in 0..(QUEUE_MAX as u32 + 10) {
            w.link_set(0, 2, LinkChange::Mtu(1000 + i % 2)).unwrap();
        }
        let (msgs, lost) = w.rtnl_take(0, id);
        assert_eq!(msgs.len(), QUEUE_MAX);
        assert!(lost);
        assert_eq!(w.rtnl_take(0, id), (Vec::new(), false));
    }
}
