//! The neighbour state machine (net/core/neighbour.c): updates, timers,
//! probes, and the output of packets waiting for an address.

use crate::dev::{DevKind, DevRef};
use crate::error::{Errno, KResult, KernelError};
use crate::ipv4::fib::{RouteType, RT_TABLE_LOCAL};
use crate::neigh::{Neighbour, NudState};
use crate::snmp::Mib;
use crate::trace::{DropReason, Trace};
use crate::types::{Mac, NsId, Time};
use crate::wire::{icmp, icmp6, ETH_HLEN};
use crate::world::Event;
use crate::world::World;
use std::net::{IpAddr, Ipv4Addr};

/// What RTM_NEWNEIGH does with an entry that already exists: `Add` is
/// NLM_F_CREATE|NLM_F_EXCL (EEXIST), `Replace` NLM_F_CREATE|NLM_F_REPLACE,
/// `Change` NLM_F_REPLACE alone (ENOENT when there is none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeighAdd {
    Add,
    Replace,
    Change,
}

impl World {
    /// neigh_update(): new link-layer address and state; flushes the queue
    /// when the entry becomes valid.
    pub(crate) fn neigh_update(
        &mut self,
        r: DevRef,
        ip: IpAddr,
        mac: Mac,
        state: NudState,
        create: bool,
    ) {
        let now = self.now;
        let ns = r.ns;
        if self.ns(ns).neigh.get(r.ifindex, ip).is_none() {
            if !create {
                return;
            }
            let mut e = Neighbour::new(NudState::Stale, now);
            e.reachable_time = self.neigh_reachable_time(r);
            // neigh_alloc(): a new entry was confirmed long ago, so using
            // it probes instead of trusting it.
            let base = self.neigh_params(r).base_reachable_time;
            e.confirmed = Time(now.0.saturating_sub(2 * base.0));
            self.ns_mut(ns).neigh.insert(r.ifindex, ip, e);
        }
        let n = self.ns_mut(ns);
        let e = n.neigh.get_mut(r.ifindex, ip).unwrap();
        if matches!(e.state, NudState::Permanent | NudState::Noarp) {
            return;
        }
        let changed_addr = e.lladdr != Some(mac);
        // A STALE update with the same address leaves a connected entry alone.
        if state == NudState::Stale && !changed_addr && e.state.valid() {
            return;
        }
        e.lladdr = Some(mac);
        e.updated = now;
        e.state = state;
        e.probes = 0;
        if state == NudState::Reachable {
            e.confirmed = now;
            e.timer = Some(now + e.reachable_time);
        } else {
            e.timer = None;
        }
        let queued = e.take_queue();
        let timer = e.timer;
        if let Some(t) = timer {
            self.schedule(
                t,
                Event::NeighTimer {
                    ns,
                    ifindex: r.ifindex,
                    ip,
                },
            );
        }
        if self.tracer.is_some() {
            let dev = self.devname(r);
            self.trace(|| Trace::Neigh { ns, dev, ip, state });
        }
        for (p, pkt) in queued {
            self.with_pkt(pkt, |w| w.neigh_xmit(r, mac, p));
        }
        self.notify_neigh(ns, r.ifindex, ip, false);
    }

    fn neigh_reachable_time(&mut self, r: DevRef) -> Time {
        // neigh_rand_reach_time(): uniform in [base/2, 3·base/2).
        let base = self.neigh_params(r).base_reachable_time.0.max(2);
        Time(self.rng.range(base / 2, base / 2 * 3))
    }

    /// The device's net.ipv4.neigh.DEV.* knobs.
    fn neigh_params(&self, r: DevRef) -> crate::neigh::NeighParams {
        let n = self.ns(r.ns);
        match n.dev(r.ifindex) {
            Some(d) => n.sysctl.neigh_params(&d.name),
            None => crate::neigh::NeighParams::default(),
        }
    }

    /// Wraps an IP packet in Ethernet (the type from its version) and sends it.
    pub(crate) fn neigh_xmit(&mut self, r: DevRef, dst: Mac, ip: Vec<u8>) {
        let Some(d) = self.dev(r) else { return };
        if d.is_l3() {
            self.dev_queue_xmit(r, ip);
            return;
        }
        let src = d.mac;
        let ether_type: u16 = if ip.first().is_some_and(|b| b >> 4 == 6) {
            0x86dd
        } else {
            0x0800
        };
        // The header goes in front of the packet in its own buffer, as
        // eth_header() pushes it into the skb's headroom.
        let mut f = ip;
        let len = f.len();
        f.resize(len + ETH_HLEN, 0);
        f.copy_within(0..len, ETH_HLEN);
        f[0..6].copy_from_slice(&dst.0);
        f[6..12].copy_from_slice(&src.0);
        f[12..14].copy_from_slice(&ether_type.to_be_bytes());
        self.dev_queue_xmit(r, f);
    }

    /// neigh_output() / __neigh_event_send(): send now, or queue and solicit.
    pub(crate) fn neigh_output(&mut self, r: DevRef, nexthop: Ipv4Addr, ip: Vec<u8>) {
        let ns = r.ns;
        let Some(d) = self.dev(r) else { return };
        if d.is_l3() && d.tunnel().is_some() {
            // An IP tunnel's neighbour is NOARP (arp_constructor), keyed on
            // 0.0.0.0 when point-to-point; the packet goes to ip_tunnel_xmit
            // with its next hop.
            let p2p = d.flags(true) & crate::dev::iff::POINTOPOINT != 0;
            let key = if p2p { Ipv4Addr::UNSPECIFIED } else { nexthop };
            self.neigh_noarp(r, key.into(), Mac::ZERO);
            self.dev_queue_xmit_nh(r, ip, nexthop);
            return;
        }
        if d.is_loopback()
            || d.is_tun_l3()
            || d.noarp
            || matches!(d.kind, DevKind::Dummy | DevKind::Ifb)
        {
            // NOARP devices still get a neighbour entry; loopback and
            // point-to-point links key it on 0.0.0.0 (__ipv4_neigh_lookup_noref).
            let m = if d.is_loopback() { Mac::ZERO } else { d.mac };
            let key = if d.is_loopback() || d.is_tun_l3() {
                Ipv4Addr::UNSPECIFIED
            } else {
                nexthop
            };
            self.neigh_noarp(r, key.into(), m);
            self.neigh_xmit(r, m, ip);
            return;
        }
        // An entry that exists is used whatever the address (the kernel
        // decides broadcast and multicast when it creates the entry).
        if let Some(mac) = self.neigh_connected(r, nexthop.into()) {
            self.neigh_xmit(r, mac, ip);
            return;
        }
        if nexthop.is_broadcast() || self.is_bcast_route(ns, nexthop) {
            self.neigh_xmit(r, Mac::BROADCAST, ip);
            return;
        }
        if nexthop.is_multicast() {
            // arp_constructor(): a multicast entry is NOARP, its address
            // mapped, made without a message.
            let mac = crate::ipv4::igmp::eth_mc_map(nexthop);
            self.neigh_noarp(r, nexthop.into(), mac);
            self.neigh_xmit(r, mac, ip);
            return;
        }
        self.neigh_resolve_output(r, nexthop.into(), ip)
    }

    /// The family-independent part of neigh_output(): arp_tbl and nd_tbl
    /// entries go through the same states.
    pub(crate) fn neigh_resolve_output(&mut self, r: DevRef, nexthop: IpAddr, ip: Vec<u8>) {
        if let Some(mac) = self.neigh_connected(r, nexthop) {
            self.neigh_xmit(r, mac, ip);
            return;
        }
        let ns = r.ns;
        let now = self.now;
        let cur = self.cur_pkt();
        let p = self.neigh_params(r);
        // A new entry starts as if it had failed, so the code below solicits.
        if self.ns(ns).neigh.get(r.ifindex, nexthop).is_none() {
            let mut e = Neighbour::new(NudState::Failed, now);
            e.reachable_time = self.neigh_reachable_time(r);
            e.updated = Time::ZERO;
            self.ns_mut(ns).neigh.insert(r.ifindex, nexthop, e);
        }
        let e = self.ns_mut(ns).neigh.get_mut(r.ifindex, nexthop).unwrap();
        match e.state {
            NudState::Stale => {
                e.used = now;
                e.state = NudState::Delay;
                e.updated = now;
                let t = now + p.delay_first_probe_time;
                e.timer = Some(t);
                let mac = e.lladdr.unwrap();
                self.neigh_arm(r, nexthop, t, NudState::Delay);
                self.neigh_xmit(r, mac, ip);
            }
            NudState::Incomplete => {
                e.used = now;
                if e.queue.len() >= p.unres_qlen {
                    e.dequeue_oldest();
                    self.drop_pkt(ns, Some(r.ifindex), DropReason::NeighQueueFull);
                }
                self.ns_mut(ns)
                    .neigh
                    .get_mut(r.ifindex, nexthop)
                    .unwrap()
                    .enqueue(ip, cur);
            }
            NudState::Failed | NudState::None => {
                e.used = now;
                e.state = NudState::Incomplete;
                e.updated = now;
                e.probes = p.ucast_solicit;
                e.enqueue(ip, cur);
                let t = now + p.retrans_time;
                e.timer = Some(t);
                self.neigh_arm(r, nexthop, t, NudState::Incomplete);
                self.neigh_probe(r, nexthop);
            }
            // The states that send at once: neigh_connected() sent the
            // packet unless the entry has no address.
            _ => self.put_buf(ip),
        }
    }

    /// The link-layer address of an entry that can send at once
    /// (neigh_event_send() returning 0), marked used; None when the slow
    /// path must run (no entry, STALE, INCOMPLETE, FAILED).
    fn neigh_connected(&mut self, r: DevRef, nexthop: IpAddr) -> Option<Mac> {
        let now = self.now;
        let e = self.ns_mut(r.ns).neigh.get_mut(r.ifindex, nexthop)?;
        if !e.state.sends_at_once() {
            return None;
        }
        // neigh_event_send() marks every use: a REACHABLE entry used
        // lately goes to DELAY, not STALE, when its time runs out.
        e.used = now;
        e.lladdr
    }

    pub(crate) fn is_bcast_route(&self, ns: NsId, a: Ipv4Addr) -> bool {
        self.ns(ns).fib.table(RT_TABLE_LOCAL).is_some_and(|t| {
            t.routes_for(crate::types::Prefix4::new(a, 32))
                .iter()
                .any(|r| r.rtype == RouteType::Broadcast)
        })
    }

    /// Makes sure a NOARP neighbour entry exists (arp_constructor on a NOARP device).
    pub(crate) fn neigh_noarp(&mut self, r: DevRef, key: IpAddr, mac: Mac) {
        let now = self.now;
        let table = &mut self.ns_mut(r.ns).neigh;
        if table.get(r.ifindex, key).is_none() {
            let mut e = Neighbour::new(NudState::Noarp, now);
            e.lladdr = Some(mac);
            table.insert(r.ifindex, key, e);
        }
    }

    /// Arms an entry's timer and reports its new state.
    fn neigh_arm(&mut self, r: DevRef, ip: IpAddr, at: Time, state: NudState) {
        self.schedule(
            at,
            Event::NeighTimer {
                ns: r.ns,
                ifindex: r.ifindex,
                ip,
            },
        );
        if self.tracer.is_some() {
            let dev = self.devname(r);
            self.trace(|| Trace::Neigh {
                ns: r.ns,
                dev,
                ip,
                state,
            });
        }
    }

    /// neigh_probe() → the family's solicit: arp_solicit() or ndisc_solicit().
    fn neigh_probe(&mut self, r: DevRef, ip: IpAddr) {
        match ip {
            IpAddr::V4(ip) => self.arp_solicit(r, ip),
            IpAddr::V6(ip) => self.ndisc_solicit(r, ip),
        }
    }

    /// neigh_timer_handler().
    pub(crate) fn neigh_timer(&mut self, ns: NsId, ifindex: u32, ip: IpAddr) {
        if !self.ns_alive(ns) {
            return;
        }
        let now = self.now;
        let p = self.neigh_params(DevRef { ns, ifindex });
        let Some(e) = self.ns_mut(ns).neigh.get_mut(ifindex, ip) else {
            return;
        };
        if e.timer != Some(now) {
            return; // superseded
        }
        e.timer = None;
        let mut next = None;
        match e.state {
            NudState::Reachable => {
                if now < e.confirmed + e.reachable_time {
                    next = Some(e.confirmed + e.reachable_time);
                } else if now <= e.used + p.delay_first_probe_time {
                    e.state = NudState::Delay;
                    e.updated = now;
                    next = Some(now + p.delay_first_probe_time);
                } else {
                    e.state = NudState::Stale;
                    e.updated = now;
                }
            }
            NudState::Delay => {
                if now <= e.confirmed + p.delay_first_probe_time {
                    e.state = NudState::Reachable;
                    e.updated = now;
                    next = Some(e.confirmed + e.reachable_time);
                } else {
                    e.state = NudState::Probe;
                    e.updated = now;
                    e.probes = 0;
                    next = Some(now + p.retrans_time);
                }
            }
            NudState::Probe | NudState::Incomplete => {
                next = Some(now + p.retrans_time);
            }
            _ => {}
        }
        let state = e.state;
        if matches!(state, NudState::Incomplete | NudState::Probe) {
            let max = p.ucast_solicit
                + p.app_solicit
                + if state == NudState::Probe {
                    0
                } else {
                    p.mcast_solicit
                };
            if e.probes >= max {
                e.state = NudState::Failed;
                e.updated = now;
                let queued = e.take_queue();
                self.ns_mut(ns).snmp.inc(Mib::NeighResolutionFailed);
                if self.tracer.is_some() {
                    let dev = self.devname(DevRef { ns, ifindex });
                    self.trace(|| Trace::Neigh {
                        ns,
                        dev,
                        ip,
                        state: NudState::Failed,
                    });
                }
                // neigh_invalidate() → arp_error_report() → icmp_send(HOST_UNREACH),
                // or ndisc_error_report() → icmpv6_send(ADDR_UNREACH).
                for (pkt, id) in queued {
                    self.with_pkt(id, |w| {
                        w.drop_pkt(ns, Some(ifindex), DropReason::NeighFailed);
                        if ip.is_ipv6() {
                            w.icmp6_send(
                                ns,
                                None,
                                &pkt,
                                icmp6::DEST_UNREACH,
                                icmp6::ADDR_UNREACH,
                                0,
                            );
                        } else {
                            w.icmp_send(ns, &pkt, icmp::DEST_UNREACH, icmp::HOST_UNREACH, 0, None);
                        }
                    });
                }
                return;
            }
        }
        if let Some(t) = next {
            self.ns_mut(ns).neigh.get_mut(ifindex, ip).unwrap().timer = Some(t);
            self.schedule(t, Event::NeighTimer { ns, ifindex, ip });
        }
        if matches!(state, NudState::Incomplete | NudState::Probe) {
            self.neigh_probe(DevRef { ns, ifindex }, ip);
        }
    }

    // ---- neighbours (administrative) --------------------------------------

    /// RTM_NEWNEIGH (neigh_add()): an entry for `ip` on `dev` with `lladdr`
    /// in `state`; `how` says what an existing entry means.
    pub fn neigh_add(
        &mut self,
        ns: NsId,
        dev: u32,
        ip: IpAddr,
        lladdr: Option<Mac>,
        state: NudState,
        how: NeighAdd,
    ) -> KResult<()> {
        let now = self.now;
        let n = self.ns_mut(ns);
        let exists = n.neigh.get(dev, ip).is_some();
        match how {
            NeighAdd::Add if exists => return Err(Errno::EEXIST.into()),
            NeighAdd::Change if !exists => return Err(Errno::ENOENT.into()),
            _ => {}
        }
        // neigh_add() creates the entry before __neigh_update() refuses a
        // permanent one without an address: a NONE entry stays behind.
        if lladdr.is_none() && matches!(state, NudState::Permanent | NudState::Noarp) {
            if !exists {
                n.neigh.insert(dev, ip, Neighbour::new(NudState::None, now));
            }
            return Err(KernelError::ext(
                Errno::EINVAL,
                "No link layer address given",
            ));
        }
        n.neigh.remove(dev, ip);
        let mut e = Neighbour::new(state, now);
        e.lladdr = lladdr;
        n.neigh.insert(dev, ip, e);
        self.notify_neigh(ns, dev, ip, false);
        Ok(())
    }

    /// neigh_delete(): the entry turns FAILED (RTM_NEWNEIGH), then goes
    /// (RTM_DELNEIGH); both messages show it FAILED, without its address.
    fn notify_neigh_gone(&mut self, ns: NsId, dev: u32, ip: IpAddr, e: &Neighbour) {
        let msg = crate::rtnl_notify::NeighMsg {
            ifindex: dev,
            dst: ip,
            lladdr: None,
            state: NudState::Failed,
            router: e.router,
            proxy: false,
        };
        self.notify_neigh_msg(ns, msg.clone(), false);
        self.notify_neigh_msg(ns, msg, true);
    }

    /// RTM_DELNEIGH: the entry goes; ENOENT when there is none.
    pub fn neigh_del(&mut self, ns: NsId, dev: u32, ip: IpAddr) -> KResult<()> {
        match self.ns_mut(ns).neigh.remove(dev, ip) {
            Some(e) => {
                self.notify_neigh_gone(ns, dev, ip, &e);
                Ok(())
            }
            None => Err(Errno::ENOENT.into()),
        }
    }

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
            if let Some(e) = self.ns_mut(ns).neigh.remove(*i, *a) {
                self.notify_neigh_gone(ns, *i, *a, &e);
            }
        }
        doomed.len()
    }
}
