//! Carrier, operstate and the IFF_* flags a listing shows, and linkwatch:
//! the delayed propagation of carrier changes (net/core/link_watch.c).

use crate::addr::{Ifaddr6, Scope};
use crate::bridge::PortState;
use crate::dev::{DevKind, DevRef, OperState};
use crate::types::{Mac, NsId, Time};
use crate::world::Event;
use crate::World;
use std::net::Ipv6Addr;

impl World {
    /// The device's carrier: veth while the peer is up, tun while held,
    /// bridge while a port forwards, loopback and dummy always.
    pub fn carrier(&self, r: DevRef) -> bool {
        let Some(d) = self.dev(r) else { return false };
        match &d.kind {
            DevKind::Loopback
            | DevKind::Dummy
            | DevKind::Vrf { .. }
            | DevKind::Tunnel(_)
            | DevKind::Vxlan(_)
            | DevKind::Ifb => true,
            // A NIC has carrier while it is on a link (the switch port is always up).
            DevKind::Nic { segment } => segment.is_some(),
            // veth_open()/veth_close(): carrier on only while both ends are up.
            DevKind::Veth { peer } => d.up && self.dev(*peer).is_some_and(|p| p.up),
            DevKind::Tun { attached, .. } => *attached > 0,
            // A bridge has carrier only while a port forwards: without
            // ports it shows NO-CARRIER and state DOWN once up, its carrier
            // turned off when it was made (carrier_changes 1), as the
            // reference kernel shows.
            DevKind::Bridge(b) => b.ports.iter().any(|p| p.state == PortState::Forwarding),
            DevKind::Bond(b) => self.bond_carrier(b),
            // netif_stacked_transfer_operstate(): the lower's carrier.
            // Stacks are at most MAX_NEST_DEV (8) deep: followed iteratively.
            DevKind::Vlan(_) | DevKind::Macvlan(_) | DevKind::Ipvlan(_) => {
                let mut cur = d.kind.lower();
                for _ in 0..8 {
                    let Some(l) = cur else { return false };
                    let Some(ld) = self.dev(l) else { return false };
                    match ld.kind.lower() {
                        Some(next) => cur = Some(next),
                        None => return self.carrier(l),
                    }
                }
                false
            }
        }
    }

    /// Running = IFF_UP and carrier (netif_running && netif_carrier_ok).
    pub fn running(&self, r: DevRef) -> bool {
        self.dev(r).is_some_and(|d| d.up) && self.carrier(r)
    }

    pub fn flags(&self, r: DevRef) -> u32 {
        let mut f = self.dev(r).map(|d| d.flags(self.carrier(r))).unwrap_or(0);
        // IFF_MASTER on a bond, IFF_SLAVE on its slaves.
        if let Some(d) = self.dev(r) {
            if matches!(d.kind, DevKind::Bond(_)) {
                f |= crate::dev::iff::MASTER;
            }
            if d.master.is_some_and(|m| self.is_bond(r.ns, m)) {
                f |= crate::dev::iff::SLAVE;
            }
        }
        // dev_get_flags(): IFF_RUNNING follows the operstate (UP or UNKNOWN).
        if f & crate::dev::iff::UP != 0
            && matches!(self.operstate(r), OperState::Up | OperState::Unknown)
        {
            f |= crate::dev::iff::RUNNING;
        }
        f
    }

    /// The operstate `ip link` prints: DOWN while the device is down, else
    /// what linkwatch last computed (UNKNOWN if it never ran for it).
    pub fn operstate(&self, r: DevRef) -> OperState {
        match self.dev(r) {
            Some(d) if d.up => d.oper.unwrap_or(OperState::Unknown),
            _ => OperState::Down,
        }
    }

    /// default_operstate(): what linkwatch sets (rfc2863_policy).
    pub(crate) fn default_operstate(&self, r: DevRef) -> OperState {
        let Some(d) = self.dev(r) else {
            return OperState::Down;
        };
        if self.carrier(r) {
            return OperState::Up;
        }
        // The lower device is looked up by its index in this device's own
        // namespace: a veth whose peer lives elsewhere finds whatever has that
        // index here, or nothing.
        let Some(p) = d.iflink() else {
            return OperState::Down;
        };
        if p.ifindex == r.ifindex {
            // iflink == dev->ifindex: the device is its own lower.
            return OperState::Down;
        }
        let lower = DevRef {
            ns: r.ns,
            ifindex: p.ifindex,
        };
        match self.dev(lower) {
            Some(_) if !self.carrier(lower) => OperState::LowerLayerDown,
            _ => OperState::Down,
        }
    }

    /// linkwatch_fire_event(): a carrier change. Urgent events (a running
    /// stacked device, or carrier coming back on a running one) are handled
    /// at once; the others wait for the next run, at most one per second.
    pub(crate) fn linkwatch_fire(&mut self, r: DevRef) {
        let Some(d) = self.dev(r) else { return };
        let urgent = d.up && (d.iflink().is_some() || self.carrier(r));
        if urgent {
            // Handled by the linkwatch work right after the current
            // operation (see `settle`): the operation's own messages
            // still show the old operstate.
            if !self.lw_urgent.contains(&r) {
                self.lw_urgent.push(r);
            }
            if self.lw_is_pending(r) {
                self.lw_pending.retain(|x| *x != r);
                self.lw_set.remove(&r);
            }
            return;
        }
        if !self.lw_is_pending(r) {
            self.lw_pending.push(r);
            self.lw_set.insert(r);
        }
        // The work runs after the current operation (see `settle`), or when
        // the one-second window reopens.
        if self.now < self.lw_next && !self.lw_scheduled {
            self.lw_scheduled = true;
            let at = self.lw_next;
            self.schedule(at, Event::Linkwatch);
        }
    }

    /// Whether a device waits for linkwatch (the kernel's
    /// __LINK_STATE_LINKWATCH_PENDING bit). `lw_set` holds what was queued
    /// since the world was made or read; while it holds all, it answers.
    fn lw_is_pending(&self, r: DevRef) -> bool {
        if self.lw_set.len() == self.lw_pending.len() {
            self.lw_set.contains(&r)
        } else {
            self.lw_pending.contains(&r)
        }
    }

    /// What the kernel's workqueues do right after a syscall returns: a
    /// linkwatch run, when its window is open. Drivers call this after each
    /// command; events still inside the window wait for their timer.
    pub fn settle(&mut self) {
        self.linkwatch_urgent();
        if !self.lw_pending.is_empty() && self.now >= self.lw_next {
            self.linkwatch_run();
        }
    }

    /// The urgent events, in the order they came (linkwatch_do_dev each).
    pub(crate) fn linkwatch_urgent(&mut self) {
        // Events a device's handling fires (a bridge's carrier after its
        // port's) are handled in the same run, after it.
        while !self.lw_urgent.is_empty() {
            for r in std::mem::take(&mut self.lw_urgent) {
                self.linkwatch_do_dev(r);
            }
        }
    }

    /// rtnl_getlink(): looking a device up by name or index (as `ip`
    /// does before changing it) handles its pending linkwatch event first
    /// (linkwatch_sync_dev), so its operstate is current.
    pub fn rtnl_getlink(&mut self, ns: NsId, ifindex: u32) {
        self.linkwatch_sync_dev(DevRef { ns, ifindex });
    }

    /// linkwatch_sync_dev(): a device's pending event is handled now.
    pub(crate) fn linkwatch_sync_dev(&mut self, r: DevRef) {
        if self.lw_is_pending(r) {
            self.lw_pending.retain(|x| *x != r);
            self.lw_set.remove(&r);
            self.linkwatch_do_dev(r);
        }
    }

    /// linkwatch_do_dev(): the operstate, and RTM_NEWLINK while the device is up.
    fn linkwatch_do_dev(&mut self, r: DevRef) {
        if self.dev(r).is_none() {
            return;
        }
        let o = self.default_operstate(r);
        let d = self.dev_mut(r).unwrap();
        d.oper = Some(o);
        if d.up {
            // netdev_state_change(): NETDEV_CHANGE (a bridge port's carrier
            // check; without carrier, arp_tbl's and nd_tbl's entries but
            // the permanent ones go), then RTM_NEWLINK.
            if let Some(br) = d.master {
                self.br_port_carrier_check(r.ns, br, r.ifindex);
            }
            if !self.carrier(r) {
                self.neigh_ifdown(r.ns, r.ifindex, true);
            }
            self.notify_link(r);
            // NETDEV_CHANGE without carrier: nexthop objects through the
            // device go (nh_netdev_event).
            if !self.carrier(r) {
                self.nexthop_flush_dev(r.ns, r.ifindex, false);
            }
        }
    }

    /// br_port_carrier_check() for NETDEV_CHANGE: a running port is
    /// enabled, a stopped one disabled; otherwise (or on a bridge that is
    /// down) the port's AF_BRIDGE message all the same.
    fn br_port_carrier_check(&mut self, ns: NsId, br: u32, port: u32) {
        let Some(b) = self.ns(ns).dev(br).filter(|d| d.is_bridge()) else {
            return;
        };
        let br_up = b.up;
        let Some(state) = b.bridge().and_then(|b| b.port(port)).map(|p| p.state) else {
            return;
        };
        let r = DevRef { ns, ifindex: port };
        let ok = self.running(r) && matches!(self.operstate(r), OperState::Up | OperState::Unknown);
        if br_up && ok && state == PortState::Disabled {
            self.br_stp_enable_port(ns, br, port);
        } else if br_up && !ok && state != PortState::Disabled {
            self.br_stp_disable_port(ns, br, port);
        } else {
            self.notify_brport(ns, br, port, false);
        }
        self.refresh_carriers(ns);
    }

    /// __linkwatch_run_queue(): every pending device gets its operstate.
    pub(crate) fn linkwatch_run(&mut self) {
        self.lw_scheduled = false;
        self.lw_set.clear();
        self.linkwatch_urgent();
        for r in std::mem::take(&mut self.lw_pending) {
            self.linkwatch_do_dev(r);
        }
        self.lw_next = self.now + Time::from_secs(1);
    }

    /// Counts carrier transitions (the transns counter) and fires
    /// linkwatch for each.
    fn carrier_transitions(&mut self, ns: NsId) {
        let mut idxs: Vec<DevRef> = self
            .ns(ns)
            .devs
            .keys()
            .map(|&ifindex| DevRef { ns, ifindex })
            .collect();
        // Uppers elsewhere (a macvlan moved to a container) follow too.
        let away: Vec<DevRef> = self
            .ns(ns)
            .devs
            .values()
            .flat_map(|d| d.uppers.iter().copied())
            .filter(|u| u.ns != ns)
            .collect();
        idxs.extend(away);
        for r in idxs {
            let c = self.carrier(r);
            let Some(d) = self.dev_mut(r) else { continue };
            if c != d.last_carrier {
                d.last_carrier = c;
                d.stats.carrier_changes += 1;
                self.linkwatch_fire(r);
            }
        }
    }

    /// Recomputes what follows from carriers in one namespace: bridge port
    /// states and IPv6 link-local addresses of links that became ready.
    pub(crate) fn refresh_carriers(&mut self, ns: NsId) {
        if !self.ns_alive(ns) {
            return;
        }
        // Carrier changes first: a port whose carrier changed waits for
        // linkwatch (see br_port_carrier_check); the bridge's own carrier,
        // which follows its ports, is looked at again below.
        self.carrier_transitions(ns);
        // Bond slaves' links, active slaves and aggregators.
        self.bond_update(ns);
        // Bridge ports: forwarding while port and bridge are up with carrier (STP off).
        let bridges: Vec<u32> = self
            .ns(ns)
            .devs
            .values()
            .filter(|d| d.is_bridge())
            .map(|d| d.ifindex)
            .collect();
        for br in &bridges {
            let d = self.ns(ns).dev(*br).unwrap();
            let br_up = d.up;
            let b = d.bridge().unwrap();
            let enable = br_up && !b.st.up;
            let ports: Vec<(u32, bool)> = b
                .ports
                .iter()
                .map(|p| (p.ifindex, p.state != PortState::Disabled))
                .collect();
            if enable {
                self.br_stp_enable_bridge(ns, *br);
            }
            for (p, enabled) in ports {
                let pr = DevRef { ns, ifindex: p };
                let admin_up = self.dev(pr).is_some_and(|d| d.up);
                if admin_up && (self.lw_urgent.contains(&pr) || self.lw_is_pending(pr)) {
                    // The carrier of a port that is up changed: linkwatch's
                    // NETDEV_CHANGE decides (br_port_carrier_check), once the
                    // operstate follows.
                    continue;
                }
                let ok = br_up && self.running(pr);
                if ok && !enabled {
                    self.br_stp_enable_port(ns, *br, p);
                } else if !ok && enabled {
                    self.br_stp_disable_port(ns, *br, p);
                }
            }
            if !br_up && self.ns(ns).dev(*br).unwrap().bridge().unwrap().st.up {
                self.br_stp_disable_bridge(ns, *br);
            }
        }
        self.carrier_transitions(ns);
        // IPv6: addrconf gives each link that is up and running a link-local address.
        // A bond's slaves (IFF_SLAVE) get no IPv6 addresses (addrconf_notify()).
        let devs: Vec<(u32, bool, Mac, bool)> = self
            .ns(ns)
            .devs
            .values()
            .filter(|d| !d.master.is_some_and(|m| self.is_bond(ns, m)))
            .map(|d| (d.ifindex, d.up, d.mac, d.is_loopback()))
            .collect();
        for (ifindex, up, mac, is_lo) in devs {
            let r = DevRef { ns, ifindex };
            let ready = up && self.running(r);
            let has = self
                .ns(ns)
                .addrs6
                .iter()
                .any(|a| a.ifindex == ifindex && a.permanent);
            if ready {
                // addrconf_dad_run(): addresses added while the link was down start DAD now.
                let now = self.now;
                for a in self
                    .ns_mut(ns)
                    .addrs6
                    .iter_mut()
                    .filter(|a| a.ifindex == ifindex && a.dad_until == Some(Time(u64::MAX)))
                {
                    a.dad_until = Some(now + Time::from_secs(1));
                }
            }
            if ready && !has {
                let name = self
                    .ns(ns)
                    .dev(ifindex)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                if self.ns(ns).sysctl.ipv6_disabled(&name) {
                    continue;
                }
                if is_lo {
                    self.addr6_insert(
                        ns,
                        Ifaddr6 {
                            ifindex,
                            addr: Ipv6Addr::LOCALHOST,
                            prefix_len: 128,
                            scope: Scope::Host,
                            dad_until: None,
                            permanent: true,
                            nodad: false,
                            joined_at: Time::ZERO,
                        },
                    );
                } else if self.ns(ns).dev(ifindex).is_some_and(|d| d.is_ether()) {
                    let e = mac.eui64();
                    let mut b = [0u8; 16];
                    b[0] = 0xfe;
                    b[1] = 0x80;
                    b[8..].copy_from_slice(&e);
                    // DAD: a random delay up to rtr_solicit_delay (1 s), then one
                    // probe and retrans_time (1 s) of waiting.
                    let delay = Time(self.rng.range(0, 1_000_000_000));
                    let until = self.now + delay + Time::from_secs(1);
                    self.addr6_insert(
                        ns,
                        Ifaddr6 {
                            ifindex,
                            addr: Ipv6Addr::from(b),
                            prefix_len: 64,
                            scope: Scope::Link,
                            dad_until: Some(until),
                            permanent: true,
                            nodad: false,
                            joined_at: self.now + Time::from_micros(1),
                        },
                    );
                    self.addrconf_start(ns, ifindex, delay);
                } else if let Some(ll) = self
                    .dev(DevRef { ns, ifindex })
                    .and_then(crate::tunnel::sit::sit_lladdr)
                {
                    // A NOARP device skips DAD: the address is ready at once.
                    self.addr6_insert(
                        ns,
                        Ifaddr6 {
                            ifindex,
                            addr: ll,
                            prefix_len: 64,
                            scope: Scope::Link,
                            dad_until: None,
                            permanent: true,
                            nodad: false,
                            joined_at: self.now,
                        },
                    );
                }
            }
        }
    }
}
