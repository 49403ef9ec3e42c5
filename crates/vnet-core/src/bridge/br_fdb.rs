//! The forwarding database's changes as the kernel makes them
//! (net/bridge/br_fdb.c): learning, ageing by the gc work, removal by
//! port, each with its fdb_notify() message. The table itself and its
//! lookups live on [`Bridge`](crate::bridge::Bridge).

use crate::bridge::FdbEntry;
use crate::rtnl_notify::FdbState;
use crate::types::{Mac, NsId, Time};
use crate::world::Event;
use crate::World;

/// br_fdb_cleanup() runs at least this far apart (msecs_to_jiffies(10)).
const GC_MIN: Time = Time::from_millis(10);

impl World {
    /// The NUD state fdb_fill_info() reports for an entry of `br`.
    pub(crate) fn fdb_state(&self, ns: NsId, br: u32, e: &FdbEntry) -> FdbState {
        let expired = self
            .ns(ns)
            .dev(br)
            .and_then(|d| d.bridge())
            .is_some_and(|b| b.expired(e, self.now));
        if e.is_local {
            FdbState::Permanent
        } else if e.is_static {
            FdbState::Static
        } else if expired {
            FdbState::Stale
        } else {
            FdbState::Reachable
        }
    }

    /// br_fdb_update(): `mac` learned on `port` in `vid`; a new entry, or
    /// one that moved to another port, is announced, and the gc is armed.
    pub(crate) fn br_fdb_update(&mut self, ns: NsId, br: u32, mac: Mac, vid: u16, port: u32) {
        let now = self.now;
        let Some(b) = self.ns_mut(ns).dev_mut(br).and_then(|d| d.bridge_mut()) else {
            return;
        };
        let key = (mac, vid);
        // An entry past its age is gone for the kernel (its gc ran): learning
        // makes a new one, at the head of the list.
        if b.fdb.get(&key).is_some_and(|e| b.expired(e, now)) {
            b.fdb.remove(&key);
        }
        let before = b.fdb.get(&key).map(|e| e.port);
        b.learn_vid(mac, vid, port, now);
        let after = b.fdb.get(&key).cloned();
        if let Some(e) = after {
            if before != Some(e.port) {
                self.notify_fdb(ns, br, key, &e, FdbState::Reachable, false);
            }
            if !e.is_local && !e.is_static {
                self.br_fdb_gc_arm(ns, br, now + self.br_hold_time(ns, br));
            }
        }
    }

    /// The age after which a learned entry of `br` goes.
    fn br_hold_time(&self, ns: NsId, br: u32) -> Time {
        self.ns(ns)
            .dev(br)
            .and_then(|d| d.bridge())
            .map_or(Time::from_secs(300), |b| b.effective_ageing())
    }

    /// Makes sure the gc runs by `at`.
    fn br_fdb_gc_arm(&mut self, ns: NsId, br: u32, at: Time) {
        let Some(b) = self.ns_mut(ns).dev_mut(br).and_then(|d| d.bridge_mut()) else {
            return;
        };
        if b.gc_at.is_some_and(|t| t <= at) {
            return;
        }
        b.gc_at = Some(at);
        self.schedule(at, Event::BrFdbGc { ns, br });
    }

    /// br_fdb_cleanup(): learned entries past their age go (newest first,
    /// as the kernel walks its list), each announced as stale; the work
    /// comes back when the next one is due.
    pub(crate) fn br_fdb_cleanup(&mut self, ns: NsId, br: u32) {
        let now = self.now;
        let Some(b) = self.ns_mut(ns).dev_mut(br).and_then(|d| d.bridge_mut()) else {
            return;
        };
        if b.gc_at != Some(now) {
            // A stale event: a sooner one was armed since.
            if b.gc_at.is_some_and(|t| t > now) {
                return;
            }
        }
        b.gc_at = None;
        let age = b.effective_ageing();
        let mut gone: Vec<((Mac, u16), FdbEntry)> = b
            .fdb
            .iter()
            .filter(|(_, e)| b.expired(e, now))
            .map(|(k, e)| (*k, e.clone()))
            .collect();
        gone.sort_by_key(|(_, e)| std::cmp::Reverse(e.seq));
        let next = b
            .fdb
            .values()
            .filter(|e| !e.is_local && !e.is_static && !b.expired(e, now))
            .map(|e| e.updated + age)
            .min();
        for (k, _) in &gone {
            b.fdb.remove(k);
        }
        for (k, e) in gone {
            self.notify_fdb(ns, br, k, &e, FdbState::Stale, true);
        }
        if let Some(t) = next {
            self.br_fdb_gc_arm(ns, br, t.max(now + GC_MIN));
        }
    }

    /// br_fdb_delete_by_port(): the entries of `port` go (the learned ones
    /// only unless `all`), newest first, each announced.
    pub(crate) fn br_fdb_delete_by_port(&mut self, ns: NsId, br: u32, port: u32, all: bool) {
        let Some(b) = self.ns_mut(ns).dev_mut(br).and_then(|d| d.bridge_mut()) else {
            return;
        };
        let mut gone: Vec<((Mac, u16), FdbEntry)> = b
            .fdb
            .iter()
            .filter(|(_, e)| e.port == port && (all || !(e.is_local || e.is_static)))
            .map(|(k, e)| (*k, e.clone()))
            .collect();
        gone.sort_by_key(|(_, e)| std::cmp::Reverse(e.seq));
        for (k, _) in &gone {
            b.fdb.remove(k);
        }
        for (k, e) in gone {
            let st = self.fdb_state(ns, br, &e);
            self.notify_fdb(ns, br, k, &e, st, true);
        }
    }
}
