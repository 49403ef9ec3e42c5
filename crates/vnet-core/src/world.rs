//! The world: every namespace of the simulated host, the event queue and the
//! virtual clock. Configuration entry points (what rtnetlink and ioctls do)
//! live here; the packet path is in `path`.

use crate::addr::{Ifaddr4, Ifaddr6, Scope};
use crate::bridge::{Bridge, FdbEntry, Port, PortState};
use crate::dev::{DevKind, DevRef, Device, OperState};
use crate::error::{Errno, KResult, KernelError};
use crate::netns::Netns;
use crate::ipv4::fib::{proto, Route, RouteType, RT_TABLE_LOCAL, RT_TABLE_MAIN};
use crate::sock::Socket;
use crate::trace::{Trace, Tracer};
use crate::types::{Mac, NsId, Prefix4, Rng, Time};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Something scheduled to happen at a point in virtual time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Event {
    /// A frame arrives on a device (after a link's latency).
    Rx { dev: DevRef, frame: Vec<u8> },
    /// A step of IPv6 autoconfiguration on a link (see `addrconf`).
    Addrconf {
        ns: NsId,
        ifindex: u32,
        step: crate::ipv6::addrconf::Step,
    },
    /// The deferred linkwatch run.
    Linkwatch,
    /// A neighbour entry's timer.
    NeighTimer {
        ns: NsId,
        ifindex: u32,
        ip: std::net::IpAddr,
    },
    /// A TCP socket's timers (retransmission, delayed ACK, TIME_WAIT).
    TcpTimer { sock: usize },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Scheduled {
    pub at: Time,
    pub seq: u64,
    pub ev: Event,
}

// Ordered by (at, seq) alone: `seq` is unique, so the event itself never
// needs comparing (the derived order would have, on every heap step).
impl PartialEq for Scheduled {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Scheduled {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

/// The latency of one hop (a frame crossing a veth, a loopback, a bridge).
pub const HOP_LATENCY: Time = Time::from_micros(8);

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
    Tun {
        tap: bool,
        owner: Option<u32>,
        group: Option<u32>,
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
}

#[derive(Serialize, Deserialize)]
pub struct World {
    pub now: Time,
    pub rng: Rng,
    /// Boxed: the vector grows by doubling, and its spare slots would
    /// otherwise each hold a whole namespace's worth of bytes.
    pub netns: Vec<Option<Box<Netns>>>,
    /// `ip netns` names (the bind mounts under /run/netns), in creation order.
    pub names: Vec<(String, NsId)>,
    pub queue: BinaryHeap<Reverse<Scheduled>>,
    /// Events scheduled in time order (most frames in flight): see `schedule`.
    #[serde(default)]
    pub fifo: std::collections::VecDeque<Scheduled>,
    /// `names` by name (derived: rebuilt when its size disagrees).
    #[serde(skip)]
    name_index: crate::types::Map<String, NsId>,
    pub seq: u64,
    pub sockets: Vec<Option<Socket>>,
    /// Kernel modules loaded (lsmod).
    pub modules: Vec<String>,
    /// linkwatch: devices whose operstate is due for recomputation, the
    /// earliest time a non-urgent run may happen, and whether one is queued.
    #[serde(default)]
    pub lw_pending: Vec<DevRef>,
    #[serde(skip)]
    lw_set:
        std::collections::HashSet<DevRef, std::hash::BuildHasherDefault<crate::types::FxHasher>>,
    #[serde(default)]
    pub lw_next: Time,
    #[serde(default)]
    pub lw_scheduled: bool,
    /// The hosts of the lab (see `host`); empty while there is only the
    /// default one. `cur_host` is the one whose registry is `names`.
    #[serde(default)]
    pub hosts: Vec<crate::host::Host>,
    #[serde(default)]
    pub cur_host: usize,
    /// The host of each namespace not on the default host.
    #[serde(default)]
    pub ns_host: BTreeMap<NsId, usize>,
    /// Links between NICs (wires and switches).
    #[serde(default)]
    pub segments: Vec<crate::host::Segment>,
    #[serde(skip)]
    pub(crate) tracer: Option<Tracer>,
    /// Reusable packet buffers, so the steady-state path does not allocate.
    #[serde(skip)]
    pub(crate) pool: Vec<Vec<u8>>,
    /// Held while the ICMP socket sends (icmp_xmit_lock): an error about a
    /// packet it is sending itself, such as a REJECT of an echo reply in
    /// OUTPUT, finds the lock taken and is not sent.
    #[serde(skip)]
    pub(crate) icmp_xmit_locked: bool,
}

impl World {
    /// A freshly booted host: the root namespace with `lo` up, 127.0.0.1/8 and ::1.
    pub fn new(seed: u64) -> World {
        let mut w = World {
            now: Time::ZERO,
            rng: Rng(seed),
            netns: Vec::new(),
            names: Vec::new(),
            queue: BinaryHeap::new(),
            fifo: Default::default(),
            name_index: Default::default(),
            seq: 0,
            sockets: Vec::new(),
            modules: Vec::new(),
            lw_pending: Vec::new(),
            lw_set: Default::default(),
            lw_next: Time::ZERO,
            lw_scheduled: false,
            hosts: Vec::new(),
            cur_host: 0,
            ns_host: BTreeMap::new(),
            segments: Vec::new(),
            tracer: None,
            pool: Vec::new(),
            icmp_xmit_locked: false,
        };
        let root = w.create_ns();
        w.link_set(root, 1, LinkChange::Up(true)).expect("lo up");
        w
    }

    pub fn set_tracer(&mut self, t: Option<Tracer>) {
        self.tracer = t;
    }

    /// Emits a trace event; `f` runs only when someone listens.
    #[inline]
    pub(crate) fn trace(&mut self, f: impl FnOnce() -> Trace) {
        if let Some(t) = self.tracer.as_mut() {
            t(self.now, &f());
        }
    }

    pub fn ns(&self, id: NsId) -> &Netns {
        self.netns[id].as_ref().expect("live netns")
    }
    pub fn ns_mut(&mut self, id: NsId) -> &mut Netns {
        self.netns[id].as_mut().expect("live netns")
    }
    pub fn ns_alive(&self, id: NsId) -> bool {
        self.netns.get(id).is_some_and(|n| n.is_some())
    }
    pub fn dev(&self, r: DevRef) -> Option<&Device> {
        self.netns.get(r.ns)?.as_ref()?.dev(r.ifindex)
    }
    pub fn dev_mut(&mut self, r: DevRef) -> Option<&mut Device> {
        self.netns.get_mut(r.ns)?.as_mut()?.dev_mut(r.ifindex)
    }

    pub(crate) fn schedule(&mut self, at: Time, ev: Event) {
        self.seq += 1;
        let s = Scheduled {
            at,
            seq: self.seq,
            ev,
        };
        // Frames in flight are scheduled one hop latency from a clock that
        // never goes back, so they arrive in order: they queue in FIFO order
        // (O(1)), and only what would break that order goes to the heap.
        // `seq` grows, so the FIFO stays sorted by (at, seq). Timers further
        // out go to the heap even when the FIFO is empty: one at its back
        // would send every frame after it to the heap.
        if at <= self.now + HOP_LATENCY && self.fifo.back().is_none_or(|b| b.at <= at) {
            self.fifo.push_back(s);
        } else {
            self.queue.push(Reverse(s));
        }
    }

    /// The earliest pending event of the two queues, and whether it is the FIFO's.
    fn next_event(&self) -> Option<(&Scheduled, bool)> {
        match (self.fifo.front(), self.queue.peek()) {
            (Some(f), Some(Reverse(h))) => Some(if f <= h { (f, true) } else { (h, false) }),
            (Some(f), None) => Some((f, true)),
            (None, Some(Reverse(h))) => Some((h, false)),
            (None, None) => None,
        }
    }

    /// The time of the next pending event.
    pub fn next_deadline(&self) -> Option<Time> {
        self.next_event().map(|(s, _)| s.at)
    }

    /// Runs every event due at or before `to`, then sets the clock to `to`.
    pub fn advance(&mut self, to: Time) {
        while let Some((s, fifo)) = self.next_event() {
            if s.at > to {
                break;
            }
            let s = if fifo {
                self.fifo.pop_front().unwrap()
            } else {
                self.queue.pop().unwrap().0
            };
            self.now = self.now.max(s.at);
            self.handle_event(s.ev);
        }
        self.now = self.now.max(to);
    }

    // ---- namespaces -------------------------------------------------------

    pub(crate) fn create_ns(&mut self) -> NsId {
        let id = self.netns.len();
        let mut ns = Netns::new(id);
        let idx = ns.alloc_ifindex(None);
        let mut lo = Device::new(idx, "lo", DevKind::Loopback, Mac::ZERO);
        lo.txqlen = 1000;
        ns.devs.insert(idx, Box::new(lo));
        self.netns.push(Some(Box::new(ns)));
        // loopback_net_init + inet/inet6 on NETDEV_REGISTER for lo: 127.0.0.1/8 and ::1
        // are added when lo comes up (inetdev_event NETDEV_UP on loopback).
        id
    }

    /// `names` was swapped for another host's: its index must be rebuilt.
    pub(crate) fn names_changed(&mut self) {
        self.name_index.clear();
        if !self.names.is_empty() {
            self.name_index = self.names.iter().map(|(n, i)| (n.clone(), *i)).collect();
        }
    }

    pub fn netns_by_name(&self, name: &str) -> Option<NsId> {
        if self.name_index.len() == self.names.len() {
            return self.name_index.get(name).copied();
        }
        self.names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }

    pub fn netns_add(&mut self, name: &str) -> KResult<NsId> {
        if self.name_index.len() != self.names.len() {
            // A world read from the lab file: index its names once.
            self.name_index = self.names.iter().map(|(n, i)| (n.clone(), *i)).collect();
        }
        if self.netns_by_name(name).is_some() {
            return Err(Errno::EEXIST.into());
        }
        let id = self.create_ns();
        if self.cur_host != 0 {
            self.ns_host.insert(id, self.cur_host);
        }
        self.names.push((name.to_string(), id));
        // Loaded tunnel modules' pernet init: their fallback devices.
        self.tunnel_init_net(id);
        self.name_index.insert(name.to_string(), id);
        Ok(id)
    }

    /// Removes the name; the namespace dies with it (no process holds it),
    /// and its devices with it: veth peers elsewhere vanish too, other devices
    /// that were moved in are destroyed (physical ones would return to init_net).
    pub fn netns_del(&mut self, name: &str) -> KResult<()> {
        let Some(pos) = self.names.iter().position(|(n, _)| n == name) else {
            return Err(Errno::ENOENT.into());
        };
        let (_, id) = self.names.remove(pos);
        // ip_tunnel_delete_nets(): tunnels created here die with it, also
        // those moved to other namespaces.
        for other in 0..self.netns.len() {
            if other == id || !self.ns_alive(other) {
                continue;
            }
            let gone: Vec<u32> = self
                .ns(other)
                .devs
                .values()
                .filter(|d| d.tunnel().is_some_and(|t| t.net == id))
                .map(|d| d.ifindex)
                .collect();
            for i in gone {
                self.unregister(other, i);
            }
        }
        self.name_index.remove(name);
        let ifs: Vec<u32> = self.ns(id).devs.keys().copied().collect();
        for i in ifs {
            if self.ns(id).dev(i).is_some_and(|d| !d.is_loopback()) {
                let _ = self.link_del(id, i);
            }
        }
        for sid in std::mem::take(&mut self.ns_mut(id).sockets) {
            self.sockets[sid] = None;
        }
        self.netns[id] = None;
        for ns in self.netns.iter_mut().flatten() {
            ns.peer_ids.remove(&id);
        }
        Ok(())
    }

    /// peernet2id_alloc(): the id `viewer` knows `target` by, assigning the
    /// lowest free one if it has none yet.
    pub fn peernet2id_alloc(&mut self, viewer: NsId, target: NsId) -> i32 {
        if let Some(id) = self.ns(viewer).peer_ids.get(&target) {
            return *id;
        }
        let used: Vec<i32> = self.ns(viewer).peer_ids.values().copied().collect();
        let id = (0..).find(|i| !used.contains(i)).unwrap();
        self.ns_mut(viewer).peer_ids.insert(target, id);
        id
    }

    /// `ip netns set NAME ID`.
    pub fn netns_set_id(&mut self, viewer: NsId, target: NsId, id: i32) -> KResult<()> {
        let v = self.ns(viewer);
        if v.peer_ids.contains_key(&target) {
            return Err(KernelError::ext(
                Errno::EEXIST,
                "Peer netns already has a nsid assigned",
            ));
        }
        if v.peer_ids.values().any(|x| *x == id) {
            return Err(KernelError::ext(
                Errno::EEXIST,
                "The specified nsid is already used",
            ));
        }
        self.ns_mut(viewer).peer_ids.insert(target, id);
        Ok(())
    }

    // ---- links ------------------------------------------------------------

    pub(crate) fn check_name(&self, ns: NsId, name: &str) -> KResult<()> {
        if self.ns(ns).dev_by_name(name).is_some() {
            return Err(Errno::EEXIST.into());
        }
        Ok(())
    }

    /// Picks the first free name from a pattern with `%d` (dev_alloc_name).
    pub fn alloc_name(&self, ns: NsId, pattern: &str) -> String {
        (0..)
            .map(|i| pattern.replace("%d", &i.to_string()))
            .find(|n| self.ns(ns).dev_by_name(n).is_none())
            .unwrap()
    }

    /// `ip link add NAME type KIND`. Returns the new device's ifindex.
    pub fn link_add(
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
                self.ns_mut(pns).devs.insert(pidx, Box::new(p));
                self.ns_mut(ns).devs.insert(idx, Box::new(d));
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
                    d.bridge_mut().unwrap().id_mac = m;
                }
                self.ns_mut(ns).devs.insert(idx, Box::new(d));
                self.bridge_fdb_local(DevRef { ns, ifindex: idx });
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
                self.ns_mut(ns).devs.insert(idx, Box::new(d));
                // tun sets the carrier off before registering, so
                // linkwatch_init_dev() computes the operstate at once.
                self.ns_mut(ns).dev_mut(idx).unwrap().oper = Some(OperState::Down);
                // The creator attaches (carrier on) and detaches (off) before
                // it closes: two linkwatch events.
                self.linkwatch_fire(DevRef { ns, ifindex: idx });
                Ok(idx)
            }
        }
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
        let peer = dev.iflink();
        let ports: Vec<u32> = dev
            .bridge()
            .map(|b| b.ports.iter().map(|p| p.ifindex).collect())
            .unwrap_or_default();
        for p in ports {
            self.bridge_release(ns, ifindex, p);
        }
        self.unregister(ns, ifindex);
        if let Some(p) = peer {
            if self.dev(p).is_some() {
                self.unregister(p.ns, p.ifindex);
            }
        }
        Ok(())
    }

    /// unregister_netdevice() of one device (no peers, no fallback check).
    pub(crate) fn unregister_dev(&mut self, ns: NsId, ifindex: u32) {
        self.unregister(ns, ifindex)
    }

    fn unregister(&mut self, ns: NsId, ifindex: u32) {
        let _ = self.set_up(ns, ifindex, false);
        if let Some(m) = self.ns(ns).dev(ifindex).and_then(|d| d.master) {
            self.bridge_release(ns, m, ifindex);
        }
        let n = self.ns_mut(ns);
        let name = n.devs.remove(&ifindex).map(|d| d.name).unwrap_or_default();
        n.addrs4.retain(|a| a.ifindex != ifindex);
        n.addrs6.retain(|a| a.ifindex != ifindex);
        n.neigh.flush_dev(ifindex);
        n.routes6.retain(|r| r.dev != Some(ifindex));
        n.sysctl.rename_dev(&name, None);
        for t in n.fib.tables.values_mut() {
            t.retain(|r| r.dev != Some(ifindex));
        }
        self.sockets_dev_gone(ns, ifindex);
        self.refresh_carriers(ns);
    }

    /// The device's carrier: veth while the peer is up, tun while held,
    /// bridge while a port forwards, loopback and dummy always.
    pub fn carrier(&self, r: DevRef) -> bool {
        let Some(d) = self.dev(r) else { return false };
        match &d.kind {
            DevKind::Loopback | DevKind::Dummy | DevKind::Tunnel(_) | DevKind::Vxlan(_) => true,
            // A NIC has carrier while it is on a link (the switch port is always up).
            DevKind::Nic { segment } => segment.is_some(),
            // veth_open()/veth_close(): carrier on only while both ends are up.
            DevKind::Veth { peer } => d.up && self.dev(*peer).is_some_and(|p| p.up),
            DevKind::Tun { attached, .. } => *attached > 0,
            // br_port_state_selection() only runs once ports exist; a bridge
            // that never had one keeps the carrier every device starts with.
            DevKind::Bridge(b) => {
                !b.had_ports || b.ports.iter().any(|p| p.state == PortState::Forwarding)
            }
        }
    }

    /// Running = IFF_UP and carrier (netif_running && netif_carrier_ok).
    pub fn running(&self, r: DevRef) -> bool {
        self.dev(r).is_some_and(|d| d.up) && self.carrier(r)
    }

    pub fn flags(&self, r: DevRef) -> u32 {
        let mut f = self.dev(r).map(|d| d.flags(self.carrier(r))).unwrap_or(0);
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
    fn default_operstate(&self, r: DevRef) -> OperState {
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
            let o = self.default_operstate(r);
            self.dev_mut(r).unwrap().oper = Some(o);
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
        if !self.lw_pending.is_empty() && self.now >= self.lw_next {
            self.linkwatch_run();
        }
    }

    /// __linkwatch_run_queue(): every pending device gets its operstate.
    pub(crate) fn linkwatch_run(&mut self) {
        self.lw_scheduled = false;
        self.lw_set.clear();
        for r in std::mem::take(&mut self.lw_pending) {
            if self.dev(r).is_some() {
                let o = self.default_operstate(r);
                self.dev_mut(r).unwrap().oper = Some(o);
            }
        }
        self.lw_next = self.now + Time::from_secs(1);
    }

    pub fn link_set(&mut self, ns: NsId, ifindex: u32, ch: LinkChange) -> KResult<()> {
        if self.ns(ns).dev(ifindex).is_none() {
            return Err(Errno::ENODEV.into());
        }
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
                self.ns_mut(ns).dev_mut(ifindex).unwrap().mtu = m;
                Ok(())
            }
            LinkChange::Address(mac) => {
                if mac.is_multicast() {
                    return Err(Errno::EADDRNOTAVAIL.into());
                }
                let d = self.ns_mut(ns).dev_mut(ifindex).unwrap();
                let old = std::mem::replace(&mut d.mac, mac);
                d.mac_set = true;
                if let Some(b) = d.bridge_mut() {
                    b.id_mac = mac;
                }
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
            LinkChange::Master(Some(br)) => self.bridge_enslave(ns, br, ifindex),
            LinkChange::Master(None) => {
                if let Some(m) = self.ns(ns).dev(ifindex).unwrap().master {
                    self.bridge_release(ns, m, ifindex);
                }
                Ok(())
            }
            LinkChange::Netns(to) => self.link_move(ns, ifindex, to),
        }
    }

    fn set_up(&mut self, ns: NsId, ifindex: u32, up: bool) -> KResult<()> {
        let d = self.ns(ns).dev(ifindex).ok_or(Errno::ENODEV)?;
        if d.up == up {
            return Ok(());
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
                ) || d.tunnel().is_some_and(|t| !t.kind.is_ether())
                {
                    "noqueue".to_string()
                } else {
                    default_qdisc
                },
            );
        }
        let is_lo = d.is_loopback();
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
        } else {
            // fib_disable_ip(): routes through the device go, except the
            // host-scope local ones (their next hop has scope nowhere, which
            // fib_sync_down_dev skips); neighbours flush.
            let n = self.ns_mut(ns);
            for t in n.fib.tables.values_mut() {
                t.retain(|r| {
                    r.dev != Some(ifindex) || r.rtype == RouteType::Local && r.scope == Scope::Host
                });
            }
            n.neigh.flush_dev(ifindex);
            // addrconf_ifdown(): IPv6 addresses go with the link.
            n.addrs6.retain(|a| a.ifindex != ifindex);
        }
        self.refresh_carriers(ns);
        // A veth peer elsewhere changes carrier too.
        if let Some(p) = self.ns(ns).dev(ifindex).and_then(|d| d.iflink()) {
            if p.ns != ns {
                self.refresh_carriers(p.ns);
            }
        }
        Ok(())
    }

    /// Recomputes what follows from carriers in one namespace: bridge port
    /// states and IPv6 link-local addresses of links that became ready.
    pub(crate) fn refresh_carriers(&mut self, ns: NsId) {
        if !self.ns_alive(ns) {
            return;
        }
        // Bridge ports: forwarding while port and bridge are up with carrier (STP off).
        let bridges: Vec<u32> = self
            .ns(ns)
            .devs
            .values()
            .filter(|d| d.is_bridge())
            .map(|d| d.ifindex)
            .collect();
        for br in &bridges {
            let br_up = self.ns(ns).dev(*br).unwrap().up;
            let ports: Vec<u32> = self
                .ns(ns)
                .dev(*br)
                .unwrap()
                .bridge()
                .unwrap()
                .ports
                .iter()
                .map(|p| p.ifindex)
                .collect();
            let now = self.now;
            for p in ports {
                let r = DevRef { ns, ifindex: p };
                let ok = br_up && self.running(r);
                let stp = self.ns(ns).dev(*br).unwrap().bridge().unwrap().stp;
                let b = self.ns_mut(ns).dev_mut(*br).unwrap().bridge_mut().unwrap();
                let fd = b.forward_delay;
                let port = b.port_mut(p).unwrap();
                let was = port.state;
                port.state = match (ok, stp) {
                    (false, _) => PortState::Disabled,
                    (true, false) if was == PortState::Disabled => PortState::Forwarding,
                    (true, false) => PortState::Forwarding,
                    (true, true) if was == PortState::Disabled => PortState::Listening,
                    (true, true) => was,
                };
                if was == PortState::Disabled && port.state != PortState::Disabled {
                    port.fd_timer_until = (fd.0 != 0).then_some(now + fd);
                }
                if was != PortState::Disabled && port.state == PortState::Disabled {
                    // br_stp_disable_port(): timers stop and the port's
                    // learned (not static, not local) entries go.
                    port.fd_timer_until = None;
                    b.fdb
                        .retain(|_, e| e.port != p || e.is_local || e.is_static);
                }
            }
        }
        // Count carrier transitions (the transns counter).
        let idxs: Vec<u32> = self.ns(ns).devs.keys().copied().collect();
        for i in idxs {
            let r = DevRef { ns, ifindex: i };
            let c = self.carrier(r);
            let d = self.ns_mut(ns).dev_mut(i).unwrap();
            if c != d.last_carrier {
                d.last_carrier = c;
                d.stats.carrier_changes += 1;
                self.linkwatch_fire(r);
            }
        }
        // IPv6: addrconf gives each link that is up and running a link-local address.
        let devs: Vec<(u32, bool, Mac, bool)> = self
            .ns(ns)
            .devs
            .values()
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
                    .and_then(crate::tunnel::sit_lladdr)
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
        // The RTM_DELLINK sent in the old namespace names the new one (IFLA_NEW_NETNSID).
        self.peernet2id_alloc(ns, to);
        if let Some(m) = self.ns(ns).dev(ifindex).unwrap().master {
            self.bridge_release(ns, m, ifindex);
        }
        let n = self.ns_mut(ns);
        let mut dev = n.devs.remove(&ifindex).unwrap();
        n.addrs4.retain(|a| a.ifindex != ifindex);
        n.addrs6.retain(|a| a.ifindex != ifindex);
        n.neigh.flush_dev(ifindex);
        let name = dev.name.clone();
        n.sysctl.rename_dev(&name, None);
        for t in n.fib.tables.values_mut() {
            t.retain(|r| r.dev != Some(ifindex));
        }
        // dev_change_net_namespace keeps the index when it is free there.
        let new_idx = self.ns_mut(to).alloc_ifindex(Some(ifindex));
        dev.ifindex = new_idx;
        // dev_shutdown(): the qdisc goes; the next up attaches a new one.
        dev.qdisc = None;
        let peer = dev.iflink();
        let nic = matches!(dev.kind, DevKind::Nic { .. });
        self.ns_mut(to).devs.insert(new_idx, dev);
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
        self.sockets_dev_gone(ns, ifindex);
        self.refresh_carriers(ns);
        self.refresh_carriers(to);
        Ok(())
    }

    // ---- tun/tap ----------------------------------------------------------

    /// A program attaches to (or detaches from) a tun/tap device (TUNSETIFF / close).
    pub fn tun_attach(&mut self, ns: NsId, ifindex: u32, attach: bool) -> KResult<()> {
        let d = self.ns_mut(ns).dev_mut(ifindex).ok_or(Errno::ENODEV)?;
        match &mut d.kind {
            DevKind::Tun { attached, .. } => {
                if attach {
                    *attached += 1
                } else {
                    *attached = attached.saturating_sub(1)
                }
            }
            _ => return Err(Errno::EINVAL.into()),
        }
        self.refresh_carriers(ns);
        Ok(())
    }

    // ---- bridge -----------------------------------------------------------

    /// Installs the bridge's own address as a local fdb entry.
    fn bridge_fdb_local(&mut self, br: DevRef) {
        let now = self.now;
        let d = self.dev_mut(br).unwrap();
        let mac = d.mac;
        let idx = d.ifindex;
        let b = d.bridge_mut().unwrap();
        // The bridge's old address goes; a port's own local entry for the same
        // address stays as it is (fdb_add_local finds it and does nothing).
        b.fdb
            .retain(|k, e| !(e.is_local && e.port == idx && k.0 != mac));
        // An all-zero address (no ports left) is not a valid one: no entry.
        if mac != Mac::ZERO && !b.fdb.contains_key(&(mac, 0)) {
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
    }

    /// br_stp_recalculate_bridge_id(): a bridge without a set address takes its ports' lowest.
    fn bridge_recalc_mac(&mut self, ns: NsId, br: u32) {
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
        dm.bridge_mut().unwrap().id_mac = addr;
        self.bridge_fdb_local(DevRef { ns, ifindex: br });
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
            designated_port: None,
        });
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
        // A port gets no IPv6 link-local of its own while enslaved? It keeps it: addrconf is unaffected.
        self.bridge_recalc_mac(ns, br);
        self.refresh_carriers(ns);
        Ok(())
    }

    pub fn bridge_release(&mut self, ns: NsId, br: u32, port: u32) {
        let Some(d) = self.ns_mut(ns).dev_mut(br) else {
            return;
        };
        if let Some(b) = d.bridge_mut() {
            b.ports.retain(|p| p.ifindex != port);
            b.fdb.retain(|_, e| e.port != port);
        }
        if let Some(pd) = self.ns_mut(ns).dev_mut(port) {
            pd.master = None;
            pd.promisc = pd.promisc.saturating_sub(1);
        }
        self.bridge_recalc_mac(ns, br);
        self.refresh_carriers(ns);
    }

    pub fn bridge_mut(&mut self, ns: NsId, br: u32) -> KResult<&mut Bridge> {
        self.ns_mut(ns)
            .dev_mut(br)
            .and_then(|d| d.bridge_mut())
            .ok_or(Errno::ENODEV.into())
    }

    pub fn bridge_set_stp(&mut self, ns: NsId, br: u32, on: bool) -> KResult<()> {
        self.bridge_mut(ns, br)?.stp = on;
        self.refresh_carriers(ns);
        Ok(())
    }

    // ---- IPv6 addresses ---------------------------------------------------

    /// After a sysctl write: addrconf_disable_ipv6() drops a device's IPv6
    /// addresses when disable_ipv6 is set, and re-creates them when cleared.
    pub fn sysctl_changed(&mut self, ns: NsId) {
        let disabled: Vec<u32> = {
            let n = self.ns(ns);
            n.devs
                .values()
                .filter(|d| n.sysctl.ipv6_disabled(&d.name))
                .map(|d| d.ifindex)
                .collect()
        };
        self.ns_mut(ns)
            .addrs6
            .retain(|a| !disabled.contains(&a.ifindex));
        self.refresh_carriers(ns);
    }

    /// ipv6_link_dev_addr(): newest first among addresses of equal scope,
    /// the device's list ordered global, host, link.
    fn addr6_insert(&mut self, ns: NsId, a: Ifaddr6) {
        let list = &mut self.ns_mut(ns).addrs6;
        let pos = list
            .iter()
            .position(|x| x.ifindex == a.ifindex && x.scope_rank() >= a.scope_rank())
            .unwrap_or_else(|| {
                list.iter()
                    .rposition(|x| x.ifindex == a.ifindex)
                    .map(|i| i + 1)
                    .unwrap_or(list.len())
            });
        list.insert(pos, a);
    }

    /// `ip -6 addr add`: tentative until DAD finishes (never while the link is down).
    pub fn addr6_add(
        &mut self,
        ns: NsId,
        ifindex: u32,
        addr: Ipv6Addr,
        prefix_len: u8,
        scope: Scope,
        nodad: bool,
    ) -> KResult<()> {
        self.ns(ns).dev(ifindex).ok_or(Errno::ENODEV)?;
        if self
            .ns(ns)
            .addrs6
            .iter()
            .any(|a| a.ifindex == ifindex && a.addr == addr)
        {
            return Err(Errno::EEXIST.into());
        }
        let running = self.running(DevRef { ns, ifindex });
        // addrconf_dad_begin(): NOARP devices (tunnels, lo) skip DAD.
        let noarp = self.flags(DevRef { ns, ifindex }) & crate::dev::iff::NOARP != 0
            || self.ns(ns).dev(ifindex).is_some_and(|d| d.is_loopback());
        let dad_until = if nodad || (noarp && running) {
            None
        } else if running {
            Some(self.now + Time::from_secs(1))
        } else {
            Some(Time(u64::MAX))
        };
        self.addr6_insert(
            ns,
            Ifaddr6 {
                ifindex,
                addr,
                prefix_len,
                scope,
                dad_until,
                permanent: false,
                nodad,
                joined_at: Time::ZERO,
            },
        );
        Ok(())
    }

    pub fn addr6_del(&mut self, ns: NsId, ifindex: u32, addr: Ipv6Addr) -> KResult<()> {
        let list = &mut self.ns_mut(ns).addrs6;
        let pos = list
            .iter()
            .position(|a| a.ifindex == ifindex && a.addr == addr)
            .ok_or(Errno::EADDRNOTAVAIL)?;
        list.remove(pos);
        Ok(())
    }

    // ---- IPv4 addresses ---------------------------------------------------

    /// inet_rtm_newaddr(): adds an address, marking it secondary when a
    /// primary of the same subnet exists, and installs its routes.
    pub fn addr_add(&mut self, ns: NsId, mut a: Ifaddr4) -> KResult<()> {
        let n = self.ns(ns);
        let dev = n.dev(a.ifindex).ok_or(Errno::ENODEV)?;
        if n.addrs4_of(a.ifindex)
            .any(|x| x.local == a.local && x.prefix_len == a.prefix_len && x.address == a.address)
        {
            return Err(Errno::EEXIST.into());
        }
        if a.label.is_empty() {
            a.label = dev.name.clone();
        }
        a.secondary = n
            .addrs4_of(a.ifindex)
            .any(|x| !x.secondary && x.prefix_len == a.prefix_len && x.matches(a.address));
        let netns = self.ns_mut(ns);
        if a.secondary {
            netns.addrs4.push(a.clone());
        } else {
            // After the last primary of the device with scope <= ours (__inet_insert_ifa).
            let mut pos = None;
            for (i, x) in netns.addrs4.iter().enumerate() {
                if x.ifindex == a.ifindex && !x.secondary && a.scope <= x.scope {
                    pos = Some(i + 1);
                }
            }
            let pos = pos.unwrap_or_else(|| {
                netns
                    .addrs4
                    .iter()
                    .position(|x| x.ifindex == a.ifindex)
                    .unwrap_or(netns.addrs4.len())
            });
            netns.addrs4.insert(pos, a.clone());
        }
        self.fib_add_ifaddr(ns, &a);
        Ok(())
    }

    /// NLM_F_REPLACE on an existing address: only its lifetimes change
    /// (find_matching_ifa + set_ifa_lifetime).
    pub fn addr_set_lifetime(
        &mut self,
        ns: NsId,
        ifindex: u32,
        local: Ipv4Addr,
        prefix_len: u8,
        valid: Option<Time>,
        preferred: Option<Time>,
    ) -> KResult<()> {
        let now = self.now;
        let a = self
            .ns_mut(ns)
            .addrs4
            .iter_mut()
            .find(|a| a.ifindex == ifindex && a.local == local && a.prefix_len == prefix_len)
            .ok_or(Errno::ENOENT)?;
        a.valid_until = valid.map(|v| now + v);
        a.preferred_until = preferred.or(valid).map(|v| now + v);
        Ok(())
    }

    /// inet_rtm_deladdr(): deletes the first address matching; deleting a
    /// primary deletes its secondaries too (promote_secondaries is 0).
    pub fn addr_del(
        &mut self,
        ns: NsId,
        ifindex: u32,
        local: Ipv4Addr,
        prefix_len: Option<u8>,
        peer: Option<Ipv4Addr>,
    ) -> KResult<()> {
        let n = self.ns(ns);
        let pos = n
            .addrs4
            .iter()
            .position(|x| {
                x.ifindex == ifindex
                    && x.local == local
                    && prefix_len.is_none_or(|l| l == x.prefix_len)
                    && peer.is_none_or(|p| p == x.address)
            })
            .ok_or(Errno::EADDRNOTAVAIL)?;
        let a = self.ns_mut(ns).addrs4.remove(pos);
        let mut gone = vec![a.clone()];
        let same_subnet = |x: &Ifaddr4| {
            x.ifindex == ifindex
                && x.secondary
                && x.prefix_len == a.prefix_len
                && a.matches(x.local)
        };
        // __inet_del_ifa(): with promote_secondaries (all or the device's),
        // the first secondary of the subnet takes the primary's place and the
        // others stay, now secondaries of it.
        let promote = !a.secondary && {
            let n = self.ns(ns);
            let dev = n.dev(ifindex).map(|d| d.name.clone()).unwrap_or_default();
            n.sysctl.get_int("net.ipv4.conf.all.promote_secondaries") != 0
                || n.sysctl
                    .get_int(&format!("net.ipv4.conf.{dev}.promote_secondaries"))
                    != 0
        };
        if promote {
            let n = self.ns_mut(ns);
            if let Some(p) = n.addrs4.iter().position(same_subnet) {
                let mut prim = n.addrs4.remove(p);
                prim.secondary = false;
                n.addrs4.insert(pos.min(n.addrs4.len()), prim.clone());
                self.fib_del_ifaddr(ns, &a);
                self.nf_masq_cleanup(ns, ifindex, Some(a.local));
                // fib_add_ifaddr() for the new primary and for each remaining
                // secondary, whose local routes now name it as the source.
                let n = self.ns_mut(ns);
                let old = a.local;
                n.fib.table_mut(RT_TABLE_LOCAL).retain(|r| {
                    !(r.dev == Some(ifindex)
                        && r.rtype == RouteType::Local
                        && r.proto == proto::KERNEL
                        && r.prefsrc == Some(old))
                });
                let rest: Vec<Ifaddr4> = n
                    .addrs4
                    .iter()
                    .filter(|x| same_subnet(x))
                    .cloned()
                    .collect();
                self.fib_add_ifaddr(ns, &prim);
                for x in &rest {
                    self.fib_add_ifaddr(ns, x);
                }
                return Ok(());
            }
        }
        if !a.secondary {
            let n = self.ns_mut(ns);
            let (sec, keep): (Vec<Ifaddr4>, Vec<Ifaddr4>) = n.addrs4.drain(..).partition(|x| {
                x.ifindex == ifindex
                    && x.secondary
                    && x.prefix_len == a.prefix_len
                    && a.matches(x.local)
            });
            n.addrs4 = keep;
            gone.extend(sec);
        }
        for g in &gone {
            self.fib_del_ifaddr(ns, g);
            self.nf_masq_cleanup(ns, ifindex, Some(g.local));
        }
        Ok(())
    }

    fn magic_route(
        ifindex: u32,
        rtype: RouteType,
        dst: Prefix4,
        src: Ipv4Addr,
        metric: u32,
    ) -> Route {
        let (table, scope) = match rtype {
            RouteType::Local => (RT_TABLE_LOCAL, Scope::Host),
            RouteType::Broadcast => (RT_TABLE_LOCAL, Scope::Link),
            _ => (RT_TABLE_MAIN, Scope::Link),
        };
        Route {
            table,
            dst,
            tos: 0,
            rtype,
            proto: proto::KERNEL,
            scope,
            metric,
            gateway: None,
            dev: Some(ifindex),
            prefsrc: Some(src),
            onlink: false,
            mtu: None,
        }
    }

    fn insert_unique(&mut self, ns: NsId, r: Route) {
        let t = self.ns_mut(ns).fib.table_mut(r.table);
        if !t.routes_for(r.dst).iter().any(|x| {
            x.rtype == r.rtype && x.dev == r.dev && x.prefsrc == r.prefsrc && x.metric == r.metric
        }) {
            t.insert(r);
        }
    }

    /// fib_add_ifaddr(): the local route always; prefix and broadcast routes
    /// only while the device is up.
    fn fib_add_ifaddr(&mut self, ns: NsId, a: &Ifaddr4) {
        let n = self.ns(ns);
        let dev = n.dev(a.ifindex).unwrap();
        let (up, is_lo) = (dev.up, dev.is_loopback());
        let prim = if a.secondary {
            n.addrs4_of(a.ifindex)
                .find(|x| !x.secondary && x.prefix_len == a.prefix_len && x.matches(a.local))
                .map(|x| x.local)
                .unwrap_or(a.local)
        } else {
            a.local
        };
        self.insert_unique(
            ns,
            Self::magic_route(
                a.ifindex,
                RouteType::Local,
                Prefix4::new(a.local, 32),
                prim,
                0,
            ),
        );
        if !up {
            return;
        }
        if let Some(b) = a.broadcast {
            if b != Ipv4Addr::BROADCAST {
                self.insert_unique(
                    ns,
                    Self::magic_route(
                        a.ifindex,
                        RouteType::Broadcast,
                        Prefix4::new(b, 32),
                        prim,
                        0,
                    ),
                );
            }
        }
        let prefix = Prefix4::new(a.address, a.prefix_len);
        if !a.secondary
            && !prefix.addr.is_unspecified()
            && (prefix.addr != a.local || a.prefix_len < 32)
        {
            if !a.noprefixroute {
                let t = if is_lo {
                    RouteType::Local
                } else {
                    RouteType::Unicast
                };
                self.insert_unique(ns, Self::magic_route(a.ifindex, t, prefix, prim, a.metric));
            }
            if a.prefix_len < 31 {
                self.insert_unique(
                    ns,
                    Self::magic_route(
                        a.ifindex,
                        RouteType::Broadcast,
                        Prefix4::new(prefix.broadcast(), 32),
                        prim,
                        0,
                    ),
                );
            }
        }
    }

    /// fib_del_ifaddr(): removes the routes an address made, unless another
    /// address still needs them.
    fn fib_del_ifaddr(&mut self, ns: NsId, a: &Ifaddr4) {
        let still_local = self.ns(ns).addrs4.iter().any(|x| x.local == a.local);
        let n = self.ns_mut(ns);
        if !still_local {
            n.fib
                .table_mut(RT_TABLE_LOCAL)
                .remove_where(Prefix4::new(a.local, 32), |r| r.rtype == RouteType::Local);
        }
        let prefix = Prefix4::new(a.address, a.prefix_len);
        let ifindex = a.ifindex;
        if !a.secondary {
            for t in [RT_TABLE_MAIN, RT_TABLE_LOCAL] {
                n.fib.table_mut(t).remove_where(prefix, |r| {
                    r.dev == Some(ifindex) && r.proto == proto::KERNEL && r.prefsrc == Some(a.local)
                });
            }
            let bcast = Prefix4::new(prefix.broadcast(), 32);
            let other_same = n.addrs4.iter().any(|x| {
                x.ifindex == ifindex && x.prefix_len == a.prefix_len && x.matches(a.local)
            });
            if !other_same {
                n.fib.table_mut(RT_TABLE_LOCAL).remove_where(bcast, |r| {
                    r.rtype == RouteType::Broadcast && r.dev == Some(ifindex)
                });
            }
        }
        if let Some(b) = a.broadcast {
            let used = n
                .addrs4
                .iter()
                .any(|x| x.ifindex == ifindex && x.broadcast == Some(b));
            if !used {
                n.fib
                    .table_mut(RT_TABLE_LOCAL)
                    .remove_where(Prefix4::new(b, 32), |r| {
                        r.rtype == RouteType::Broadcast && r.dev == Some(ifindex)
                    });
            }
        }
    }

    /// On NETDEV_UP every address of the device installs its routes again.
    fn fib_add_dev_routes(&mut self, ns: NsId, ifindex: u32) {
        let addrs: Vec<Ifaddr4> = self.ns(ns).addrs4_of(ifindex).cloned().collect();
        for a in addrs {
            self.fib_add_ifaddr(ns, &a);
        }
    }

    // ---- routes -----------------------------------------------------------

    /// fib_table_insert() with fib_check_nh(): validates the next hop.
    pub fn route_add(&mut self, ns: NsId, mut r: Route, how: RouteAdd) -> KResult<()> {
        if let Some(dev) = r.dev {
            self.ns(ns).dev(dev).ok_or(Errno::ENODEV)?;
        }
        if matches!(r.rtype, RouteType::Unicast) {
            if let Some(gw) = r.gateway {
                if r.onlink {
                    let d = r.dev.ok_or(KernelError::ext(
                        Errno::EINVAL,
                        "Nexthop device required for onlink",
                    ))?;
                    if !self.ns(ns).dev(d).unwrap().up {
                        return Err(KernelError::ext(
                            Errno::ENETDOWN,
                            "Nexthop device is not up",
                        ));
                    }
                } else {
                    // The gateway must be reachable through a link-scope route.
                    let found = self.fib_lookup_nh(ns, gw, r.table, r.dev);
                    match found {
                        Some(dev) => {
                            if r.dev.is_some_and(|d| d != dev) {
                                return Err(KernelError::ext(
                                    Errno::ENETUNREACH,
                                    "Nexthop has invalid gateway",
                                ));
                            }
                            r.dev = Some(dev);
                        }
                        None => {
                            return Err(KernelError::ext(
                                Errno::ENETUNREACH,
                                "Nexthop has invalid gateway",
                            ))
                        }
                    }
                }
            } else if r.dev.is_none() {
                return Err(Errno::ENODEV.into());
            }
            if let Some(d) = r.dev {
                if !self.ns(ns).dev(d).unwrap().up {
                    return Err(KernelError::ext(
                        Errno::ENETDOWN,
                        "Nexthop device is not up",
                    ));
                }
            }
        }
        if let Some(src) = r.prefsrc {
            if !self.ns(ns).is_local4(src) {
                return Err(KernelError::ext(Errno::EINVAL, "Invalid prefsrc address"));
            }
        }
        let t = self.ns_mut(ns).fib.table_mut(r.table);
        let same_key = |x: &Route| x.tos == r.tos && x.metric == r.metric;
        let exists = t.routes_for(r.dst).iter().any(same_key);
        match how {
            RouteAdd::Excl if exists => Err(Errno::EEXIST.into()),
            RouteAdd::Replace if exists => {
                let (tos, metric) = (r.tos, r.metric);
                t.remove_where(r.dst, |x| x.tos == tos && x.metric == metric);
                t.insert_first(r);
                Ok(())
            }
            // fa_match(): a create without EXCL still refuses an identical route.
            RouteAdd::Prepend | RouteAdd::Append
                if t.routes_for(r.dst).iter().any(|x| {
                    same_key(x)
                        && (x.rtype, x.gateway, x.dev, x.prefsrc, x.proto, x.scope)
                            == (r.rtype, r.gateway, r.dev, r.prefsrc, r.proto, r.scope)
                }) =>
            {
                Err(Errno::EEXIST.into())
            }
            RouteAdd::Prepend => {
                t.insert_first(r);
                Ok(())
            }
            _ => {
                t.insert(r);
                Ok(())
            }
        }
    }

    /// `ip route change`: replace an existing route only (no NLM_F_CREATE).
    pub fn route_change(&mut self, ns: NsId, r: Route) -> KResult<()> {
        let exists = self.ns(ns).fib.table(r.table).is_some_and(|t| {
            t.routes_for(r.dst)
                .iter()
                .any(|x| x.tos == r.tos && x.metric == r.metric)
        });
        if !exists {
            return Err(Errno::ENOENT.into());
        }
        self.route_add(ns, r, RouteAdd::Replace)
    }

    /// The device a gateway is reachable on: a route of scope link or host
    /// covering it, in `table` or the main table.
    fn fib_lookup_nh(&self, ns: NsId, gw: Ipv4Addr, table: u32, dev: Option<u32>) -> Option<u32> {
        // fib_check_nh_v4_gw(): a lookup with scope link (local routes qualify: a
        // gateway may be one of our own addresses), restricted to `dev` if given.
        let n = self.ns(ns);
        for tid in [RT_TABLE_LOCAL, table, RT_TABLE_MAIN] {
            let Some(t) = n.fib.table(tid) else { continue };
            // Routes of wider scope are skipped; the first one left decides:
            // a broadcast (or other) type makes the gateway invalid.
            if let Some(r) = t
                .lookup(gw)
                .find(|r| r.scope >= Scope::Link && dev.is_none_or(|d| Some(d) == r.dev))
            {
                return matches!(r.rtype, RouteType::Unicast | RouteType::Local)
                    .then_some(r.dev)
                    .flatten();
            }
        }
        None
    }

    /// Removes exactly this route (route(8)'s SIOCDELRT picks it first).
    pub fn route_del_exact(&mut self, ns: NsId, r: &Route) -> KResult<()> {
        match self
            .ns_mut(ns)
            .fib
            .table_mut(r.table)
            .remove_where(r.dst, |x| x == r)
        {
            0 => Err(Errno::ESRCH.into()),
            _ => Ok(()),
        }
    }

    /// fib_table_delete(): the first route matching every given attribute.
    pub fn route_del(&mut self, ns: NsId, m: &RouteMatch) -> KResult<()> {
        let t = self.ns_mut(ns).fib.table_mut(m.table);
        let n = t.remove_where(m.dst, |r| m.matches(r));
        if n == 0 {
            return Err(KernelError::ext(Errno::ESRCH, "No such process"));
        }
        Ok(())
    }

    /// Removes every route in `table` that `keep` rejects; returns how many went.
    pub fn route_flush(&mut self, ns: NsId, table: u32, doomed: impl Fn(&Route) -> bool) -> usize {
        let t = self.ns_mut(ns).fib.table_mut(table);
        let before = t.iter().count();
        t.retain(|r| !doomed(r));
        before - t.iter().count()
    }

    /// fib_lookup() across the default rules.
    pub fn fib_lookup(&self, ns: NsId, dst: Ipv4Addr, oif: Option<u32>) -> Option<&Route> {
        self.fib_lookup_in(ns, dst, oif, &crate::ipv4::fib::Fib::rule_order())
    }

    /// fib_lookup() through the given tables of the rule order (route
    /// input, having missed in the local table, goes on from main).
    pub(crate) fn fib_lookup_in(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        oif: Option<u32>,
        tables: &[u32],
    ) -> Option<&Route> {
        let n = self.ns(ns);
        for &tid in tables {
            let Some(t) = n.fib.table(tid) else { continue };
            let hit = t.first(dst, |r| match (oif, r.dev) {
                (Some(o), Some(d)) => o == d || r.rtype == RouteType::Local,
                (Some(_), None) => r.rtype != RouteType::Unicast,
                (None, _) => true,
            });
            if hit.is_some() {
                return hit;
            }
        }
        None
    }

    // ---- neighbours (administrative) --------------------------------------

    /// Removes the entries `pred` selects (`ip neigh flush` passes its filter,
    /// which spares PERMANENT and NOARP entries as iproute2's does).
    pub fn neigh_flush(
        &mut self,
        ns: NsId,
        pred: impl Fn(u32, std::net::IpAddr, &crate::neigh::Neighbour) -> bool,
    ) -> usize {
        let n = self.ns_mut(ns);
        let doomed: Vec<(u32, std::net::IpAddr)> = n
            .neigh
            .iter()
            .filter(|(i, a, e)| pred(*i, *a, e))
            .map(|(i, a, _)| (i, a))
            .collect();
        for (i, a) in &doomed {
            n.neigh.remove(*i, *a);
        }
        doomed.len()
    }

    /// Stable per-namespace view of the names under /run/netns, newest first
    /// as tmpfs readdir returns them.
    pub fn netns_names(&self) -> Vec<(String, NsId)> {
        self.names.iter().rev().cloned().collect()
    }

    /// The ifindex-to-name map of a namespace (for formatting).
    pub fn ifnames(&self, ns: NsId) -> BTreeMap<u32, String> {
        self.ns(ns)
            .devs
            .values()
            .map(|d| (d.ifindex, d.name.clone()))
            .collect()
    }

    /// Allocates a socket slot.
    pub fn socket_add(&mut self, s: Socket) -> usize {
        let ns = s.ns;
        let id = match self.sockets.iter().position(|s| s.is_none()) {
            Some(i) => {
                self.sockets[i] = Some(s);
                i
            }
            None => {
                self.sockets.push(Some(s));
                self.sockets.len() - 1
            }
        };
        let tap = self.sockets[id].as_ref().is_some_and(Socket::is_packet);
        let n = self.ns_mut(ns);
        n.sockets.push(id);
        n.taps += tap as u32;
        id
    }
    /// Sockets bound to a device that left the namespace lose it.
    fn sockets_dev_gone(&mut self, ns: NsId, ifindex: u32) {
        for k in 0..self.ns(ns).sockets.len() {
            let id = self.ns(ns).sockets[k];
            if let Some(s) = self.sockets[id].as_mut() {
                s.dev_gone(ifindex);
            }
        }
    }

    pub fn socket(&mut self, id: usize) -> Option<&mut Socket> {
        self.sockets.get_mut(id)?.as_mut()
    }
    pub fn socket_close(&mut self, id: usize) {
        if let Some(s) = self.sockets.get_mut(id).and_then(|s| s.take()) {
            if let Some(n) = self.netns.get_mut(s.ns).and_then(|n| n.as_mut()) {
                n.sockets.retain(|x| *x != id);
                n.taps -= s.is_packet() as u32;
            }
        }
    }
}

/// How a new route meets routes of the same prefix, tos and metric
/// (the NLM_F_* flags of RTM_NEWROUTE).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteAdd {
    /// `ip route add` (CREATE|EXCL): refuse if one exists.
    Excl,
    /// `ip route replace` (CREATE|REPLACE): take its place.
    Replace,
    /// `ip route append` (CREATE|APPEND): after them.
    Append,
    /// `ip route prepend`, route(8)'s SIOCADDRT (CREATE): before them.
    Prepend,
}

/// The attributes `ip route del` matches a route on (only those given).
#[derive(Clone, Debug)]
pub struct RouteMatch {
    pub table: u32,
    pub dst: Prefix4,
    pub tos: Option<u8>,
    pub metric: Option<u32>,
    pub rtype: Option<RouteType>,
    pub gateway: Option<Ipv4Addr>,
    pub dev: Option<u32>,
    pub proto: Option<u8>,
    pub scope: Option<Scope>,
}

impl RouteMatch {
    pub fn matches(&self, r: &Route) -> bool {
        self.tos.is_none_or(|t| t == r.tos)
            && self.metric.is_none_or(|m| m == r.metric)
            && self.rtype.is_none_or(|t| t == r.rtype)
            && self.gateway.is_none_or(|g| Some(g) == r.gateway)
            && self.dev.is_none_or(|d| Some(d) == r.dev)
            && self.proto.is_none_or(|p| p == r.proto)
            && self.scope.is_none_or(|s| s == r.scope)
    }
}
