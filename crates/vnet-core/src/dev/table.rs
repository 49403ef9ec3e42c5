//! A namespace's devices by ifindex (the dev_index hash of struct net).

use crate::dev::{DevKind, Device};
use crate::netns::Netns;
use crate::Errno;
use crate::KResult;
use crate::KernelError;
use crate::Mac;
use crate::NsId;
use crate::World;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A namespace's devices by ifindex (dev_get_by_index), read several times
/// per packet: a slot per index, so a lookup is one bounds check. Indexes
/// are handed out in sequence per namespace, so the slots stay dense; a
/// device is boxed, so an empty slot costs a pointer. A device moved in
/// from another namespace keeps its index (dev_change_net_namespace), which
/// may be far beyond this one's: indexes that would leave the slots mostly
/// empty go to a sorted map instead, every key of which lies past the
/// slots. Iteration is in ifindex order.
#[derive(Clone, Debug, Default)]
pub struct DevTable {
    slots: Vec<Option<Box<Device>>>,
    // Boxed: a pointer, where an empty map inline would add 24 bytes to
    // every namespace (a million namespaces are a target).
    #[allow(clippy::box_collection)]
    sparse: Option<Box<BTreeMap<u32, Box<Device>>>>,
    len: usize,
}

impl DevTable {
    pub fn get(&self, ifindex: &u32) -> Option<&Device> {
        let i = *ifindex as usize;
        if i < self.slots.len() {
            return self.slots[i].as_deref();
        }
        self.sparse.as_ref()?.get(ifindex).map(|d| &**d)
    }
    pub fn get_mut(&mut self, ifindex: &u32) -> Option<&mut Device> {
        let i = *ifindex as usize;
        if i < self.slots.len() {
            return self.slots[i].as_deref_mut();
        }
        self.sparse.as_mut()?.get_mut(ifindex).map(|d| &mut **d)
    }
    pub fn contains_key(&self, ifindex: &u32) -> bool {
        self.get(ifindex).is_some()
    }
    /// Adds a device under its index (which must be `d.ifindex`).
    pub fn insert(&mut self, ifindex: u32, d: Box<Device>) -> Option<Box<Device>> {
        debug_assert_eq!(ifindex, d.ifindex);
        let i = ifindex as usize;
        // Slots for indexes up to about twice the devices held.
        if i >= self.slots.len() && i < 2 * self.len + 16 {
            self.slots.resize_with(i + 1, || None);
            // Keep every sparse key past the slots.
            if let Some(m) = self.sparse.as_mut() {
                let rest = m.split_off(&(i as u32 + 1));
                for (k, v) in std::mem::replace(&mut **m, rest) {
                    self.slots[k as usize] = Some(v);
                }
                if m.is_empty() {
                    self.sparse = None;
                }
            }
        }
        let old = if i < self.slots.len() {
            self.slots[i].replace(d)
        } else {
            self.sparse
                .get_or_insert_with(Default::default)
                .insert(ifindex, d)
        };
        self.len += old.is_none() as usize;
        old
    }
    pub fn remove(&mut self, ifindex: &u32) -> Option<Box<Device>> {
        let i = *ifindex as usize;
        let d = if i < self.slots.len() {
            let d = self.slots[i].take()?;
            while self.slots.last().is_some_and(|s| s.is_none()) {
                self.slots.pop();
            }
            d
        } else {
            let m = self.sparse.as_mut()?;
            let d = m.remove(ifindex)?;
            if m.is_empty() {
                self.sparse = None;
            }
            d
        };
        self.len -= 1;
        Some(d)
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Device> + Clone {
        let sparse = self.sparse.iter().flat_map(|m| m.values());
        self.slots.iter().flatten().chain(sparse).map(|d| &**d)
    }
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Device> {
        let sparse = self.sparse.iter_mut().flat_map(|m| m.values_mut());
        self.slots
            .iter_mut()
            .flatten()
            .chain(sparse)
            .map(|d| &mut **d)
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &u32> + Clone {
        self.values().map(|d| &d.ifindex)
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&u32, &Device)> + Clone {
        self.values().map(|d| (&d.ifindex, d))
    }
}

// Stored as the map it was (ifindex → device), so lab files keep their shape.
impl Serialize for DevTable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for DevTable {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DevTable, D::Error> {
        let m = BTreeMap::<u32, Box<Device>>::deserialize(d)?;
        let mut t = DevTable::default();
        for (i, mut dev) in m {
            dev.ifindex = i;
            t.insert(i, dev);
        }
        Ok(t)
    }
}

impl World {
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
        if !crate::netns::valid_netns_name(name) {
            return Err(Errno::EINVAL.into());
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

    /// `ip netns attach NAME PID`: another name (a bind mount of
    /// /proc/PID/ns/net) for the living namespace `id`.
    pub fn netns_attach(&mut self, name: &str, id: NsId) -> KResult<()> {
        if self.name_index.len() != self.names.len() {
            self.names_changed();
        }
        if !crate::netns::valid_netns_name(name) {
            return Err(Errno::EINVAL.into());
        }
        if self.netns_by_name(name).is_some() {
            return Err(Errno::EEXIST.into());
        }
        if !self.ns_alive(id) {
            return Err(Errno::ENOENT.into());
        }
        self.names.push((name.to_string(), id));
        self.name_index.insert(name.to_string(), id);
        Ok(())
    }

    /// Whether something still keeps namespace `id` alive: another name,
    /// a process inside it, or being a host's own (init's) namespace.
    fn netns_pinned(&self, id: NsId) -> bool {
        self.names.iter().any(|(_, n)| *n == id)
            || self.holds.get(&id).is_some_and(|h| *h > 0)
            || id == self.host_root(self.host_of(id))
    }

    /// A process entered namespace `id` (its nsproxy holds a reference).
    pub fn netns_hold(&mut self, id: NsId) {
        *self.holds.entry(id).or_default() += 1;
    }

    /// A process left namespace `id` (exited or moved): the namespace dies
    /// with its last reference, as after `ip netns delete` of its last name.
    pub fn netns_release(&mut self, id: NsId) {
        if let Some(h) = self.holds.get_mut(&id) {
            *h = h.saturating_sub(1);
            if *h == 0 {
                self.holds.remove(&id);
            }
        }
        if self.ns_alive(id) && !self.netns_pinned(id) {
            self.netns_destroy(id);
        }
    }

    /// Removes the name (umount and unlink of /run/netns/NAME); the
    /// namespace dies with it unless something else keeps it (see
    /// `netns_pinned`).
    pub fn netns_del(&mut self, name: &str) -> KResult<()> {
        let Some(pos) = self.names.iter().position(|(n, _)| n == name) else {
            return Err(Errno::ENOENT.into());
        };
        let (_, id) = self.names.remove(pos);
        self.name_index.remove(name);
        if !self.netns_pinned(id) {
            self.netns_destroy(id);
        }
        Ok(())
    }

    /// cleanup_net(): the namespace's devices go with it: veth peers
    /// elsewhere vanish too, other devices that were moved in are destroyed
    /// (physical ones would return to init_net).
    fn netns_destroy(&mut self, id: NsId) {
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
        // cleanup_net(): unhash_nsid() forgets the namespace's ids
        // (RTM_DELNSID) before its devices go.
        for other in 0..self.netns.len() {
            if other == id || !self.ns_alive(other) {
                continue;
            }
            if let Some(nsid) = self.ns_mut(other).peer_ids.remove(&id) {
                let msg = crate::rtnl_notify::RtMsg::Nsid {
                    del: true,
                    id: nsid,
                };
                self.rtnl_notify(other, msg);
            }
        }
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
        // rtnl_net_notifyid(RTM_NEWNSID).
        self.rtnl_notify(viewer, crate::rtnl_notify::RtMsg::Nsid { del: false, id });
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

    /// Stable per-namespace view of the names under /run/netns, newest first
    /// as tmpfs readdir returns them.
    pub fn netns_names(&self) -> Vec<(String, NsId)> {
        self.names.iter().rev().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dev::DevKind;
    use crate::types::Mac;
    use proptest::prelude::*;

    fn dev(i: u32) -> Box<Device> {
        Box::new(Device::new(i, &format!("d{i}"), DevKind::Dummy, Mac::ZERO))
    }

    proptest! {
        /// Whatever the indexes (dense from allocation, far ones kept by a
        /// move), the table answers as the B-tree it replaced would.
        #[test]
        fn dev_table_behaves_as_an_ordered_map(
            ops in proptest::collection::vec(
                (any::<bool>(), prop_oneof![1u32..40, 1u32..200_000]), 0..120),
        ) {
            let mut t = DevTable::default();
            let mut m: BTreeMap<u32, Box<Device>> = BTreeMap::new();
            let mut peak = 0;
            for (add, i) in ops {
                if add {
                    prop_assert_eq!(t.insert(i, dev(i)).is_some(), m.insert(i, dev(i)).is_some());
                } else {
                    prop_assert_eq!(t.remove(&i).is_some(), m.remove(&i).is_some());
                }
                prop_assert_eq!(t.len(), m.len());
                peak = peak.max(t.len());
                let keys: Vec<u32> = t.keys().copied().collect();
                prop_assert_eq!(keys, m.keys().copied().collect::<Vec<_>>());
                for k in m.keys() {
                    prop_assert_eq!(t.get(k).map(|d| d.ifindex), Some(*k));
                }
                prop_assert!(t.get(&(i + 1)).is_some() == m.contains_key(&(i + 1)));
                // Far indexes do not make slots: a move cannot cost a
                // namespace memory in proportion to another's index.
                prop_assert!(t.slots.len() <= 2 * peak + 16);
            }
        }
    }

    /// A namespace lives while it has a name or a process inside, and a
    /// host's own never dies: `ip netns delete` of a name only unlinks it
    /// then (cleanup_net runs on the last reference).
    #[test]
    fn netns_lives_while_named_or_held() {
        let mut w = World::new(1);
        let red = w.netns_add("red").unwrap();
        w.netns_hold(red);
        w.netns_del("red").unwrap();
        assert!(w.ns_alive(red) && w.netns_by_name("red").is_none());
        w.netns_release(red);
        assert!(!w.ns_alive(red));

        let blue = w.netns_add("blue").unwrap();
        w.netns_attach("blue2", blue).unwrap();
        assert_eq!(
            w.netns_attach("blue", blue).unwrap_err().errno,
            Errno::EEXIST
        );
        w.netns_del("blue").unwrap();
        assert!(w.ns_alive(blue));
        w.netns_del("blue2").unwrap();
        assert!(!w.ns_alive(blue));

        w.netns_attach("host", 0).unwrap();
        w.netns_del("host").unwrap();
        assert!(w.ns_alive(0));
        assert_eq!(
            w.netns_attach("gone", blue).unwrap_err().errno,
            Errno::ENOENT
        );
    }
}
