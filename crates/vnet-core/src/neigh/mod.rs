//! The neighbour tables (net/core/neighbour.c): arp_tbl (net/ipv4/arp.c)
//! and nd_tbl (net/ipv6/ndisc.c) share one state machine, keyed by address.
//!
//! States and timers follow neigh_timer_handler(): INCOMPLETE retransmits a
//! broadcast request every retrans_time until mcast_solicit probes failed;
//! REACHABLE decays to STALE after reachable_time; a STALE entry that is used
//! goes to DELAY, then PROBE (unicast requests), then REACHABLE or FAILED.

pub mod arp;
pub mod ndisc;
pub mod neighbour;
pub mod pneigh;

use crate::types::{map_as_vec, Mac, Map, Time};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NudState {
    Incomplete,
    Reachable,
    Stale,
    Delay,
    Probe,
    Failed,
    Noarp,
    Permanent,
    /// NUD_NONE: created but never resolved (e.g. by an `ip neigh add`
    /// the kernel then refused); hidden from listings, resolved on use.
    None,
}

impl NudState {
    /// A state in which neigh_event_send() lets the packet go at once
    /// (NUD_CONNECTED, DELAY and PROBE: they hold an address).
    pub fn sends_at_once(self) -> bool {
        matches!(
            self,
            NudState::Reachable
                | NudState::Permanent
                | NudState::Noarp
                | NudState::Delay
                | NudState::Probe
        )
    }
    pub fn name(self) -> &'static str {
        match self {
            NudState::Incomplete => "INCOMPLETE",
            NudState::Reachable => "REACHABLE",
            NudState::Stale => "STALE",
            NudState::Delay => "DELAY",
            NudState::Probe => "PROBE",
            NudState::Failed => "FAILED",
            NudState::Noarp => "NOARP",
            NudState::Permanent => "PERMANENT",
            NudState::None => "NONE",
        }
    }
    /// NUD_VALID: the entry has a usable link-layer address.
    pub fn valid(self) -> bool {
        matches!(
            self,
            NudState::Reachable
                | NudState::Stale
                | NudState::Delay
                | NudState::Probe
                | NudState::Noarp
                | NudState::Permanent
        )
    }
}

/// Per-device neighbour parameters (net.ipv4.neigh.DEV.*), defaults as the kernel's arp_tbl.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NeighParams {
    pub base_reachable_time: Time,
    pub retrans_time: Time,
    pub delay_first_probe_time: Time,
    pub gc_stale_time: Time,
    pub ucast_solicit: u32,
    pub mcast_solicit: u32,
    pub app_solicit: u32,
    pub unres_qlen: usize,
}

impl Default for NeighParams {
    fn default() -> Self {
        NeighParams {
            base_reachable_time: Time::from_secs(30),
            retrans_time: Time::from_secs(1),
            delay_first_probe_time: Time::from_secs(5),
            gc_stale_time: Time::from_secs(60),
            ucast_solicit: 3,
            mcast_solicit: 3,
            app_solicit: 0,
            unres_qlen: 101,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Neighbour {
    pub state: NudState,
    pub lladdr: Option<Mac>,
    pub probes: u32,
    pub confirmed: Time,
    pub updated: Time,
    pub used: Time,
    /// When the entry's timer fires next (None when no timer runs).
    pub timer: Option<Time>,
    /// reachable_time drawn for this entry (random 0.5–1.5 × base).
    pub reachable_time: Time,
    pub router: bool,
    /// Packets waiting for resolution (arp_queue), as IP packets.
    pub queue: Vec<Vec<u8>>,
    /// Their trace ids (kept beside them so older labs still load).
    #[serde(default)]
    pub queue_pkt: Vec<crate::trace::PktId>,
}

impl Neighbour {
    pub fn new(state: NudState, now: Time) -> Self {
        Neighbour {
            state,
            lladdr: None,
            probes: 0,
            confirmed: now,
            updated: now,
            used: now,
            timer: None,
            reachable_time: Time::from_secs(30),
            router: false,
            queue: Vec::new(),
            queue_pkt: Vec::new(),
        }
    }

    /// Queues a packet until the address resolves.
    pub(crate) fn enqueue(&mut self, ip: Vec<u8>, pkt: crate::trace::PktId) {
        self.queue_pkt
            .resize(self.queue.len(), crate::trace::PktId::NONE);
        self.queue.push(ip);
        self.queue_pkt.push(pkt);
    }

    /// Drops the oldest queued packet (the queue is full).
    pub(crate) fn dequeue_oldest(&mut self) {
        if !self.queue.is_empty() {
            self.queue.remove(0);
        }
        if !self.queue_pkt.is_empty() {
            self.queue_pkt.remove(0);
        }
    }

    /// Empties the queue: the packets and their ids, oldest first.
    pub(crate) fn take_queue(&mut self) -> Vec<(Vec<u8>, crate::trace::PktId)> {
        let ids = std::mem::take(&mut self.queue_pkt);
        let q = std::mem::take(&mut self.queue);
        let ids = ids
            .into_iter()
            .chain(std::iter::repeat(crate::trace::PktId::NONE));
        q.into_iter().zip(ids).collect()
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NeighTable {
    #[serde(with = "map_as_vec")]
    pub entries: Map<(u32, IpAddr), Neighbour>,
    /// Creation order, which is how `ip neigh` lists (hash walk in the kernel;
    /// newest first within a bucket — we use newest first overall).
    pub order: Vec<(u32, IpAddr)>,
    /// IPv6 neighbours (nd_tbl): only the NOARP entries the kernel makes for
    /// the multicast groups it sends to, as (ifindex, group, MAC), oldest first.
    #[serde(default)]
    pub nd_mcast: Vec<(u32, std::net::Ipv6Addr, Mac)>,
    /// Proxy entries (`ip neigh add proxy`), both families.
    #[serde(default)]
    pub proxies: pneigh::PneighTable,
}

impl NeighTable {
    pub fn get(&self, ifindex: u32, ip: impl Into<IpAddr>) -> Option<&Neighbour> {
        self.entries.get(&(ifindex, ip.into()))
    }
    pub fn get_mut(&mut self, ifindex: u32, ip: impl Into<IpAddr>) -> Option<&mut Neighbour> {
        self.entries.get_mut(&(ifindex, ip.into()))
    }
    pub fn insert(&mut self, ifindex: u32, ip: impl Into<IpAddr>, n: Neighbour) -> &mut Neighbour {
        let ip = ip.into();
        if !self.entries.contains_key(&(ifindex, ip)) {
            self.order.push((ifindex, ip));
        }
        self.entries.entry((ifindex, ip)).or_insert(n)
    }
    pub fn remove(&mut self, ifindex: u32, ip: impl Into<IpAddr>) -> Option<Neighbour> {
        let ip = ip.into();
        self.order.retain(|k| *k != (ifindex, ip));
        self.entries.remove(&(ifindex, ip))
    }
    /// Drops every entry on a device (neigh_ifdown), but the permanent
    /// ones when `skip_perm` (neigh_carrier_down).
    pub fn flush_dev(&mut self, ifindex: u32, skip_perm: bool) {
        self.proxies.ifdown(ifindex);
        self.nd_mcast.retain(|k| k.0 != ifindex);
        let kept = |e: &Neighbour| skip_perm && e.state == NudState::Permanent;
        let entries = &self.entries;
        self.order
            .retain(|k| k.0 != ifindex || entries.get(k).is_some_and(kept));
        self.entries.retain(|k, e| k.0 != ifindex || kept(e));
    }
    /// Entries in listing order: arp_tbl's, then nd_tbl's (neigh_dump_info
    /// walks the tables in that order).
    pub fn iter(&self) -> impl Iterator<Item = (u32, IpAddr, &Neighbour)> {
        let family = |v6: bool| {
            self.order
                .iter()
                .rev()
                .filter(move |k| k.1.is_ipv6() == v6)
                .filter_map(|k| self.entries.get(k).map(|n| (k.0, k.1, n)))
        };
        family(false).chain(family(true))
    }
}
