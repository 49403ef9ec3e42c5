//! The world: every namespace of every simulated host, the event queue and
//! the virtual clock, and the read-only views tools list through. Each
//! subsystem's state and operations live in its own room (see the crate's
//! top doc); `handle_event` hands each due event to the one it belongs to.

use crate::dev::rtnetlink::LinkChange;
use crate::dev::{DevRef, Device};
use crate::netns::Netns;
use crate::sock::Socket;
use crate::trace::{DropReason, PktId, Trace, Traced, Tracer};
use crate::types::{NsId, Rng, Time};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// Something scheduled to happen at a point in virtual time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Event {
    /// A frame arrives on a device (after a link's latency).
    Rx {
        dev: DevRef,
        frame: Vec<u8>,
        /// The packet's id in the trace (see `trace::PktId`).
        #[serde(default)]
        pkt: PktId,
    },
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
    /// A bridge's spanning tree timers (br_stp_timer.c).
    BrStp { ns: NsId, br: u32 },
    /// A proxy's delayed answer (neigh_proxy_process()).
    ProxyRedo {
        dev: DevRef,
        redo: crate::neigh::pneigh::ProxyRedo,
    },
    /// A bond's 802.3ad ports owe a LACPDU their per-second budget held back.
    BondNtt { ns: NsId, bond: u32 },
    /// A bridge's fdb garbage collection (br_fdb_cleanup's delayed work).
    BrFdbGc { ns: NsId, br: u32 },
    /// A bridge's temporary mdb entries may have aged out.
    BrMdbExpire { ns: NsId, br: u32 },
    /// A device's IGMPv3 state-change report timer (mr_ifc_timer).
    IgmpIfc { ns: NsId, ifindex: u32 },
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

#[derive(Serialize, Deserialize)]
pub struct World {
    pub(crate) now: Time,
    pub(crate) rng: Rng,
    /// The lab's seed, which keys the multipath hash of every namespace
    /// (the kernel's hashrnd, random at boot).
    #[serde(default)]
    pub(crate) hash_seed: u64,
    /// Boxed: the vector grows by doubling, and its spare slots would
    /// otherwise each hold a whole namespace's worth of bytes.
    pub(crate) netns: Vec<Option<Box<Netns>>>,
    /// `ip netns` names (the bind mounts under /run/netns), in creation order.
    pub(crate) names: Vec<(String, NsId)>,
    pub(crate) queue: BinaryHeap<Reverse<Scheduled>>,
    /// Events scheduled in time order (most frames in flight): see `schedule`.
    #[serde(default)]
    pub(crate) fifo: std::collections::VecDeque<Scheduled>,
    /// `names` by name (derived: rebuilt when its size disagrees).
    #[serde(skip)]
    pub(crate) name_index: crate::types::Map<String, NsId>,
    pub(crate) seq: u64,
    pub(crate) sockets: Vec<Option<Socket>>,
    /// Kernel modules loaded (lsmod).
    pub(crate) modules: Vec<String>,
    /// linkwatch: devices whose operstate is due for recomputation, the
    /// earliest time a non-urgent run may happen, and whether one is queued.
    #[serde(default)]
    pub(crate) lw_pending: Vec<DevRef>,
    #[serde(skip)]
    pub(crate) lw_set:
        std::collections::HashSet<DevRef, std::hash::BuildHasherDefault<crate::types::FxHasher>>,
    /// Urgent linkwatch events, handled right after the current operation.
    #[serde(default)]
    pub(crate) lw_urgent: Vec<DevRef>,
    /// Veth pairs being deleted: unlinked, their messages name no peer.
    #[serde(skip)]
    pub(crate) rtnl_unpeered: Vec<DevRef>,
    #[serde(default)]
    pub(crate) lw_next: Time,
    #[serde(default)]
    pub(crate) lw_scheduled: bool,
    /// The hosts of the lab (see `host`); empty while there is only the
    /// default one. `cur_host` is the one whose registry is `names`.
    #[serde(default)]
    pub(crate) hosts: Vec<crate::host::Host>,
    #[serde(default)]
    pub(crate) cur_host: usize,
    /// The host of each namespace not on the default host.
    #[serde(default)]
    pub(crate) ns_host: BTreeMap<NsId, usize>,
    /// Processes inside each namespace (their nsproxy's reference): a
    /// namespace with neither a name nor a process dies (see netns_del).
    #[serde(default)]
    pub(crate) holds: BTreeMap<NsId, u32>,
    /// Links between NICs (wires and switches).
    #[serde(default)]
    pub(crate) segments: Vec<crate::host::Segment>,
    #[serde(skip)]
    pub(crate) tracer: Option<Tracer>,
    /// The packet being processed (its id follows it from device to
    /// device), and the last id given to a packet the lab made.
    #[serde(skip)]
    pub(crate) cur_pkt: PktId,
    /// While tracing: the netfilter decision a drop event will name.
    #[serde(skip)]
    pub(crate) nf_decided: Option<String>,
    /// While tracing: the texts of the routes lookups took lately.
    #[serde(skip)]
    pub(crate) traced_routes: Vec<crate::ipv4::route_text::TracedRoute>,
    #[serde(default)]
    pub(crate) last_pkt: PktId,
    /// Reusable packet buffers, so the steady-state path does not allocate.
    #[serde(skip)]
    pub(crate) pool: Vec<Vec<u8>>,
    /// Held while the ICMP socket sends (icmp_xmit_lock): an error about a
    /// packet it is sending itself, such as a REJECT of an echo reply in
    /// OUTPUT, finds the lock taken and is not sent.
    #[serde(skip)]
    pub(crate) icmp_xmit_locked: bool,
    /// Events handled since this process loaded the world, and the run's
    /// budgets (see `set_limits`): per process, never saved in a lab.
    #[serde(skip)]
    pub(crate) events: u64,
    #[serde(skip, default = "no_limit")]
    pub(crate) limits: Limits,
    /// Frames scheduled to arrive and not yet received: the one CPU's
    /// input backlog (softnet_data.input_pkt_queue), which veth and
    /// loopback transmissions fill up to net.core.netdev_max_backlog.
    #[serde(skip)]
    pub(crate) backlog: u32,
    /// Frames the full backlog refused (/proc/net/softnet_stat's dropped).
    #[serde(skip)]
    pub(crate) backlog_dropped: u64,
    /// Warnings for the person running the lab (a broadcast storm), taken
    /// by `take_warnings`; and the loops already reported.
    #[serde(skip)]
    pub(crate) warnings: Vec<String>,
    #[serde(skip)]
    pub(crate) storms_reported: Vec<Vec<String>>,
    /// Bridge floods so far (see `br_flood`).
    #[serde(skip)]
    pub(crate) floods: u64,
}

/// A run's budgets: the clock never passes `time`, and `advance` handles at
/// most `events` events; past either the world stands still and
/// `World::exhausted` says which one ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub time: Time,
    pub events: u64,
}

fn no_limit() -> Limits {
    Limits {
        time: Time::MAX,
        events: u64::MAX,
    }
}

/// Which budget ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exhausted {
    /// The virtual clock reached `Limits::time`.
    Time,
    /// `Limits::events` events were handled.
    Events,
}

/// Read-only views for tools: they change the world only through its
/// operations.
impl World {
    /// The virtual clock.
    pub fn now(&self) -> Time {
        self.now
    }
    /// Kernel modules loaded (lsmod), oldest first.
    pub fn modules(&self) -> &[String] {
        &self.modules
    }
    /// `ip netns` names of the current host, in creation order.
    pub fn names(&self) -> &[(String, NsId)] {
        &self.names
    }
    /// A pseudo-random number from the lab's seeded generator
    /// (get_random_u64(): ICMP ids, ports, hash seeds).
    pub fn prandom_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
    /// Every namespace alive, on every host.
    pub fn netns_iter(&self) -> impl Iterator<Item = &Netns> {
        self.netns.iter().flatten().map(|n| &**n)
    }
    /// The lab's hosts' links (wires and switches).
    pub fn segments(&self) -> &[crate::host::Segment] {
        &self.segments
    }
    /// The host whose `ip netns` registry `names` is.
    pub fn cur_host(&self) -> usize {
        self.cur_host
    }
}

impl World {
    /// A freshly booted host: the root namespace with `lo` up, 127.0.0.1/8 and ::1.
    pub fn new(seed: u64) -> World {
        let mut w = World {
            now: Time::ZERO,
            rng: Rng(seed),
            hash_seed: seed,
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
            lw_urgent: Vec::new(),
            rtnl_unpeered: Vec::new(),
            lw_scheduled: false,
            hosts: Vec::new(),
            cur_host: 0,
            ns_host: BTreeMap::new(),
            holds: BTreeMap::new(),
            segments: Vec::new(),
            tracer: None,
            cur_pkt: PktId::NONE,
            nf_decided: None,
            traced_routes: Vec::new(),
            last_pkt: PktId::NONE,
            pool: Vec::new(),
            icmp_xmit_locked: false,
            events: 0,
            limits: no_limit(),
            backlog: 0,
            backlog_dropped: 0,
            warnings: Vec::new(),
            storms_reported: Vec::new(),
            floods: 0,
        };
        let root = w.create_ns();
        w.link_set(root, 1, LinkChange::Up(true)).expect("lo up");
        w
    }

    pub fn set_tracer(&mut self, t: Option<Tracer>) {
        self.tracer = t;
    }

    /// Emits a trace event about the packet being processed; `f` runs
    /// only when someone listens.
    #[inline]
    pub(crate) fn trace(&mut self, f: impl FnOnce() -> Trace) {
        if self.tracer.is_some() {
            let ev = f();
            let place = self.ns_label(ev.ns());
            let at = self.now;
            let pkt = self.cur_pkt;
            let t = Traced { at, pkt, place, ev };
            if let Some(f) = self.tracer.as_mut() {
                f(&t);
            }
            // The event's copy of the packet goes back to the pool.
            match t.ev {
                Trace::Rx { frame, .. } | Trace::Tx { frame, .. } => self.put_buf(frame),
                Trace::Built { packet, .. } => self.put_buf(packet),
                _ => {}
            }
        }
    }

    /// Runs `f`, which makes a packet (a socket's, an ICMP error, an ARP
    /// request), under a new id caused by the packet being processed.
    pub(crate) fn made<R>(&mut self, ns: NsId, f: impl FnOnce(&mut Self) -> R) -> R {
        let prev = self.pkt_born(ns);
        let r = f(self);
        self.pkt_end(prev);
        r
    }

    /// A new packet id, caused by the packet being processed, current
    /// until `pkt_end` gives back the one it replaced.
    fn pkt_born(&mut self, ns: NsId) -> PktId {
        self.last_pkt = PktId(self.last_pkt.0 + 1);
        let cause = std::mem::replace(&mut self.cur_pkt, self.last_pkt);
        self.trace(|| Trace::Born { ns, cause });
        cause
    }

    /// The end of a packet's making (see `pkt_born`).
    fn pkt_end(&mut self, prev: PktId) {
        self.cur_pkt = prev;
    }

    /// Runs `f` for packet `pkt` (one taken out of a queue).
    pub(crate) fn with_pkt<R>(&mut self, pkt: PktId, f: impl FnOnce(&mut Self) -> R) -> R {
        let prev = std::mem::replace(&mut self.cur_pkt, pkt);
        let r = f(self);
        self.cur_pkt = prev;
        r
    }

    /// The packet being processed (`PktId::NONE` outside the packet path).
    pub(crate) fn cur_pkt(&self) -> PktId {
        self.cur_pkt
    }

    /// A namespace as the person running the lab names it: `host` for a
    /// host's root, its `ip netns` name, `HOST:NAME` on a host other than
    /// the first (`h2` for h2's root), `ns#N` when unnamed.
    pub fn ns_label(&self, ns: NsId) -> String {
        let h = self.host_of(ns);
        let names: &[(String, NsId)] = if h == self.cur_host {
            &self.names
        } else {
            self.hosts.get(h).map(|x| &x.names[..]).unwrap_or(&[])
        };
        let local = if ns == self.host_root(h) {
            None
        } else {
            Some(match names.iter().find(|(_, id)| *id == ns) {
                Some((n, _)) => n.clone(),
                None => format!("ns#{ns}"),
            })
        };
        match (h, local) {
            (0, None) => "host".into(),
            (0, Some(l)) => l,
            (_, None) => self.hosts[h].name.clone(),
            (_, Some(l)) => format!("{}:{l}", self.hosts[h].name),
        }
    }

    pub fn ns(&self, id: NsId) -> &Netns {
        self.netns[id].as_ref().expect("live netns")
    }
    pub(crate) fn ns_mut(&mut self, id: NsId) -> &mut Netns {
        self.netns[id].as_mut().expect("live netns")
    }
    pub fn ns_alive(&self, id: NsId) -> bool {
        self.netns.get(id).is_some_and(|n| n.is_some())
    }
    pub fn dev(&self, r: DevRef) -> Option<&Device> {
        self.netns.get(r.ns)?.as_ref()?.dev(r.ifindex)
    }
    pub(crate) fn dev_mut(&mut self, r: DevRef) -> Option<&mut Device> {
        self.netns.get_mut(r.ns)?.as_mut()?.dev_mut(r.ifindex)
    }

    pub(crate) fn schedule(&mut self, at: Time, ev: Event) {
        self.seq += 1;
        self.backlog += matches!(ev, Event::Rx { .. }) as u32;
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

    /// Sets the run's budgets: the clock stops at `time` and event handling
    /// after `events` events in all (counted from this process's start).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }
    pub fn limits(&self) -> Limits {
        self.limits
    }
    /// Events handled so far by this process.
    pub fn events(&self) -> u64 {
        self.events
    }
    /// Which budget ran out, if one did: then `advance` does nothing more.
    pub fn exhausted(&self) -> Option<Exhausted> {
        if self.events >= self.limits.events {
            Some(Exhausted::Events)
        } else if self.now >= self.limits.time {
            Some(Exhausted::Time)
        } else {
            None
        }
    }

    /// Runs every event due at or before `to`, then sets the clock to `to`;
    /// within the run's budgets (`set_limits`): it stops at the time limit,
    /// or where the event budget runs out.
    pub fn advance(&mut self, to: Time) {
        let to = to.min(self.limits.time);
        while let Some((s, fifo)) = self.next_event() {
            if s.at > to {
                break;
            }
            if self.events >= self.limits.events {
                return;
            }
            self.events += 1;
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
}

impl World {
    pub(crate) fn handle_event(&mut self, ev: Event) {
        match ev {
            Event::Rx { dev, frame, pkt } => {
                self.backlog = self.backlog.saturating_sub(1);
                let prev = std::mem::replace(&mut self.cur_pkt, pkt);
                self.netif_receive(dev, frame);
                self.cur_pkt = prev;
            }
            Event::NeighTimer { ns, ifindex, ip } => self.neigh_timer(ns, ifindex, ip),
            Event::Addrconf { ns, ifindex, step } => self.addrconf_step(ns, ifindex, step),
            Event::Linkwatch => self.linkwatch_run(),
            Event::TcpTimer { sock } => self.tcp_timer(sock),
            Event::ProxyRedo { dev, redo } => self.proxy_redo(dev, redo),
            Event::BrStp { ns, br } => {
                if self.ns_alive(ns) {
                    self.br_stp_timer(ns, br);
                }
            }
            Event::BondNtt { ns, bond } => {
                if self.ns_alive(ns) {
                    self.bond_3ad_ntt(DevRef { ns, ifindex: bond });
                }
            }
            Event::BrFdbGc { ns, br } => {
                if self.ns_alive(ns) {
                    self.br_fdb_cleanup(ns, br);
                }
            }
            Event::BrMdbExpire { ns, br } => {
                if self.ns_alive(ns) {
                    self.br_mdb_expire(ns, br);
                }
            }
            Event::IgmpIfc { ns, ifindex } => {
                if self.ns_alive(ns) {
                    self.igmp_ifc_timer(ns, ifindex);
                }
            }
        }
    }

    /// enqueue_to_backlog(): whether the backlog takes one more frame
    /// (the caller then schedules its arrival). A full one drops it, counted
    /// in softnet_stat; a storm is looked for then (see `storm_check`).
    #[inline]
    pub(crate) fn backlog_admit(&mut self) -> bool {
        // The sysctl is read only when the backlog is long: never on a
        // packet path that keeps a handful of frames in flight.
        self.backlog < 64 || self.backlog_admit_long()
    }

    #[cold]
    #[inline(never)]
    fn backlog_admit_long(&mut self) -> bool {
        if (self.backlog as i64) < self.netdev_max_backlog() {
            return true;
        }
        self.backlog_dropped += 1;
        if self.backlog_dropped.is_power_of_two() {
            self.storm_check();
        }
        false
    }

    fn netdev_max_backlog(&self) -> i64 {
        self.netns
            .first()
            .and_then(|n| n.as_ref())
            .map_or(1000, |n| n.sysctl.get_int("net.core.netdev_max_backlog"))
    }

    /// Frames the full backlog dropped so far (softnet_stat's second column).
    pub fn backlog_dropped(&self) -> u64 {
        self.backlog_dropped
    }

    /// Whether `take_warnings` has something.
    pub fn has_warnings(&self) -> bool {
        !self.warnings.is_empty()
    }

    /// Warnings for the person running the lab since the last call.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    pub(crate) fn drop_pkt(&mut self, ns: NsId, dev: Option<u32>, reason: DropReason) {
        if self.tracer.is_some() {
            let dev = dev.map(|i| self.devname(DevRef { ns, ifindex: i }));
            self.trace(|| Trace::Drop {
                ns,
                dev,
                reason,
                kernel_reason: reason.kernel_name(),
                counter: reason.counter(),
                detail: None,
            });
        }
    }

    /// A cleared buffer from the pool; new ones are sized for a full
    /// Ethernet frame so reuse never reallocates.
    pub(crate) fn take_buf(&mut self) -> Vec<u8> {
        self.pool.pop().unwrap_or_else(|| Vec::with_capacity(2048))
    }

    pub(crate) fn put_buf(&mut self, mut b: Vec<u8>) {
        if self.pool.len() < 256 {
            b.clear();
            self.pool.push(b);
        }
    }
}
