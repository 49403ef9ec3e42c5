//! Bridge ports: enslaving and releasing devices, the bridge's own address
//! and local fdb entries (net/bridge/br_if.c), STP on/off.

use crate::bridge::{Bridge, FdbEntry, Port, PortState};
use crate::dev::DevRef;
use crate::error::{Errno, KResult, KernelError};
use crate::rtnl_notify::{FdbState, LinkEvent};
use crate::types::{Mac, NsId};
use crate::World;

impl World {
    // ---- bridge -----------------------------------------------------------

    /// Installs the bridge's own address as a local fdb entry.
    pub(crate) fn bridge_fdb_local(&mut self, br: DevRef) {
        let now = self.now;
        let d = self.dev_mut(br).unwrap();
        let mac = d.mac;
        let idx = d.ifindex;
        let b = d.bridge_mut().unwrap();
        // The bridge's old address goes; a port's own local entry for the same
        // address stays as it is (fdb_add_local finds it and does nothing).
        let old: Vec<((Mac, u16), FdbEntry)> = b
            .fdb
            .iter()
            .filter(|(k, e)| e.is_local && e.port == idx && k.0 != mac)
            .map(|(k, e)| (*k, e.clone()))
            .collect();
        for (k, _) in &old {
            b.fdb.remove(k);
        }
        // An all-zero address (no ports left) is not a valid one: no entry.
        let add = mac != Mac::ZERO && !b.fdb.contains_key(&(mac, 0));
        if add {
            b.fdb_insert(
                (mac, 0),
                FdbEntry {
                    port: idx,
                    is_local: true,
                    is_static: true,
                    updated: now,
                    used: now,
                    seq: 0,
                },
            );
        }
        let new = b.fdb.get(&(mac, 0)).cloned();
        for (k, e) in old {
            self.notify_fdb(br.ns, idx, k, &e, FdbState::Permanent, true);
        }
        if let (true, Some(e)) = (add, new) {
            self.notify_fdb(br.ns, idx, (mac, 0), &e, FdbState::Permanent, false);
        }
    }

    /// A new bridge's own entry, once in (br_fdb_change_mac_address at
    /// NETDEV_REGISTER), is replaced once more before the bridge's
    /// RTM_NEWLINK: its deletion and addition are announced.
    pub(crate) fn bridge_fdb_register(&mut self, br: DevRef) {
        let Some(b) = self.dev(br).and_then(|d| d.bridge()) else {
            return;
        };
        let Some((k, e)) = b
            .fdb
            .iter()
            .find(|(_, e)| e.is_local && e.port == br.ifindex)
            .map(|(k, e)| (*k, e.clone()))
        else {
            return;
        };
        for del in [true, false] {
            self.notify_fdb(br.ns, br.ifindex, k, &e, FdbState::Permanent, del);
        }
    }

    /// br_stp_recalculate_bridge_id(): a bridge without a set address takes its ports' lowest.
    pub(crate) fn bridge_recalc_mac(&mut self, ns: NsId, br: u32) {
        let d = self.ns(ns).dev(br).unwrap();
        let b = d.bridge().unwrap();
        let addr = b
            .ports
            .iter()
            .filter_map(|p| self.ns(ns).dev(p.ifindex).map(|d| d.mac))
            .min()
            .unwrap_or(Mac::ZERO);
        if d.mac_set || addr == b.id_mac {
            return;
        }
        // br_stp_change_bridge_id(): the bridge device takes the id's address,
        // all zeros once the last port left.
        let dm = self.ns_mut(ns).dev_mut(br).unwrap();
        dm.mac = addr;
        let b = dm.bridge_mut().unwrap();
        let old = std::mem::replace(&mut b.id_mac, addr);
        crate::bridge::br_stp::change_bridge_addr(b, old, addr);
        self.bridge_fdb_local(DevRef { ns, ifindex: br });
        self.br_stp_recalc(ns, br);
    }

    pub fn bridge_enslave(&mut self, ns: NsId, br: u32, port: u32) -> KResult<()> {
        let b = self.ns(ns).dev(br).ok_or(Errno::ENODEV)?;
        if !b.is_bridge() {
            return Err(Errno::EOPNOTSUPP.into());
        }
        if br == port {
            return Err(KernelError::ext(
                Errno::ELOOP,
                "Can not enslave a bridge to itself",
            ));
        }
        let p = self.ns(ns).dev(port).ok_or(Errno::ENODEV)?;
        if p.is_loopback() || !p.is_ether() {
            return Err(KernelError::ext(
                Errno::EINVAL,
                "Device is not an ethernet device",
            ));
        }
        if p.is_bridge() {
            return Err(KernelError::ext(
                Errno::ELOOP,
                "Can not enslave a bridge to a bridge",
            ));
        }
        if let Some(m) = p.master {
            if m == br {
                return Ok(());
            }
            return Err(KernelError::ext(Errno::EBUSY, "Device is already in use"));
        }
        let pmac = p.mac;
        let now = self.now;
        let d = self.ns_mut(ns).dev_mut(br).unwrap();
        let b = d.bridge_mut().unwrap();
        let first = b.ports.is_empty();
        b.had_ports = true;
        // find_portno(): the lowest free port number below BR_MAX_PORTS
        // (1024; 0 is reserved), else EXFULL.
        let mut inuse = [0u64; 16];
        inuse[0] = 1;
        for p in &b.ports {
            if let Some(w) = inuse.get_mut(p.port_no as usize / 64) {
                *w |= 1 << (p.port_no % 64);
            }
        }
        let Some(no) = inuse
            .iter()
            .position(|w| *w != u64::MAX)
            .map(|i| (i * 64 + inuse[i].trailing_ones() as usize) as u16)
        else {
            return Err(Errno::EXFULL.into());
        };
        b.ports.push(Port {
            ifindex: port,
            port_no: no,
            state: PortState::Disabled,
            path_cost: 2,
            priority: 32,
            hairpin: false,
            learning: true,
            flood: true,
            fd_timer_until: None,
            flags: Default::default(),
            stp: Default::default(),
            vlans: Default::default(),
        });
        // new_nbp(): br_init_port() with the bridge's current ids.
        b.stp_init();
        b.fdb_insert(
            (pmac, 0),
            FdbEntry {
                port,
                is_local: true,
                is_static: true,
                updated: now,
                used: now,
                seq: 0,
            },
        );
        let pd = self.ns_mut(ns).dev_mut(port).unwrap();
        pd.master = Some(br);
        pd.promisc += 1;
        // br_add_if(): RTM_NEWLINK for the new upper link, again for the
        // promiscuity, the bridge's feature change (its first port), the
        // port's local fdb entry, then the port's AF_BRIDGE message.
        let pr = DevRef { ns, ifindex: port };
        self.notify_link(pr);
        self.notify_link(pr);
        if first {
            self.notify_link_with(DevRef { ns, ifindex: br }, |i| {
                i.event = Some(LinkEvent::FeatureChange)
            });
        }
        if let Some(e) = self
            .ns(ns)
            .dev(br)
            .and_then(|d| d.bridge())
            .and_then(|b| b.fdb.get(&(pmac, 0)))
            .filter(|e| e.port == port)
            .cloned()
        {
            self.notify_fdb(ns, br, (pmac, 0), &e, FdbState::Permanent, false);
        }
        self.notify_brport(ns, br, port, false);
        // A port gets no IPv6 link-local of its own while enslaved? It keeps it: addrconf is unaffected.
        self.br_vlan_port_init(ns, br, port);
        self.bridge_recalc_mac(ns, br);
        self.refresh_carriers(ns);
        Ok(())
    }

    /// br_del_if() / del_nbp(): the port leaves, with the kernel's
    /// messages in its order (the promiscuity's RTM_NEWLINK, the disabled
    /// port's, its learned entries, its AF_BRIDGE RTM_DELLINK, the rest of
    /// its entries, then the upper link gone).
    pub fn bridge_release(&mut self, ns: NsId, br: u32, port: u32) {
        if self.ns(ns).dev(br).and_then(|d| d.bridge()).is_none() {
            return;
        }
        let pr = DevRef { ns, ifindex: port };
        self.notify_link(pr);
        self.br_stp_disable_port(ns, br, port);
        self.br_mdb_del_port(ns, br, port, false);
        self.notify_brport(ns, br, port, true);
        self.br_fdb_delete_by_port(ns, br, port, true);
        self.br_mdb_del_port(ns, br, port, true);
        if let Some(b) = self.ns_mut(ns).dev_mut(br).and_then(|d| d.bridge_mut()) {
            b.ports.retain(|p| p.ifindex != port);
        }
        if let Some(pd) = self.ns_mut(ns).dev_mut(port) {
            pd.master = None;
            pd.promisc = pd.promisc.saturating_sub(1);
        }
        self.notify_link(pr);
        self.bridge_recalc_mac(ns, br);
        self.refresh_carriers(ns);
    }

    /// br_del_if(): the port leaves a bridge that stays; when it was the
    /// last, the bridge's features change (netdev_update_features()).
    pub(crate) fn bridge_del_if(&mut self, ns: NsId, br: u32, port: u32) {
        self.bridge_release(ns, br, port);
        let last = self
            .ns(ns)
            .dev(br)
            .and_then(|d| d.bridge())
            .is_some_and(|b| b.ports.is_empty());
        if last {
            self.notify_link_with(DevRef { ns, ifindex: br }, |i| {
                i.event = Some(LinkEvent::FeatureChange)
            });
        }
    }

    /// br_device_event() for a port's NETDEV_UP / NETDEV_DOWN: when the
    /// port's state will not change (refresh_carriers enables or disables
    /// it, which announces itself), its AF_BRIDGE message all the same.
    pub(crate) fn br_port_updown_notify(&mut self, ns: NsId, br: u32, port: u32, up: bool) {
        let Some(b) = self.ns(ns).dev(br).filter(|d| d.is_bridge()) else {
            return;
        };
        let br_up = b.up;
        let Some(state) = b.bridge().and_then(|b| b.port(port)).map(|p| p.state) else {
            return;
        };
        let changes = if up {
            br_up && self.running(DevRef { ns, ifindex: port })
        } else {
            br_up && state != PortState::Disabled
        };
        if !changes {
            self.notify_brport(ns, br, port, false);
        }
    }

    pub(crate) fn bridge_mut(&mut self, ns: NsId, br: u32) -> KResult<&mut Bridge> {
        self.ns_mut(ns)
            .dev_mut(br)
            .and_then(|d| d.bridge_mut())
            .ok_or(Errno::ENODEV.into())
    }

    /// STP on or off; br_stp_start() brings the forward delay within STP's
    /// limits (2..30 s).
    pub fn bridge_set_stp(&mut self, ns: NsId, br: u32, on: bool) -> KResult<()> {
        let b = self.bridge_mut(ns, br)?;
        let was = b.stp;
        b.stp = on;
        if on {
            b.forward_delay = b.forward_delay.clamp(
                crate::types::Time::from_secs(2),
                crate::types::Time::from_secs(30),
            );
            if b.is_root() {
                b.st.forward_delay = b.forward_delay;
            }
        }
        if was != on {
            self.br_stp_toggle(ns, br, on);
        }
        self.refresh_carriers(ns);
        Ok(())
    }
}
