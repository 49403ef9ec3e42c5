//! Several hosts in one lab: each host has its own root namespace, its own
//! `/run/netns` name registry and its own loaded modules, and physical NICs
//! (`eth0`, ...) that simulated links join: a wire between two NICs, or a
//! shared L2 segment (a learning switch) between more.
//!
//! One `World` holds the namespaces of every host (namespace ids are global,
//! so frames cross hosts like they cross a veth). Exactly one host is
//! *current*: its registry and modules live in `World::names` and
//! `World::modules`, which every command uses; `host_enter` swaps another
//! host's in. A lab that never adds a host has only the default one, `h1`,
//! and is exactly what it was before hosts existed.

use crate::dev::rtnetlink::LinkChange;
use crate::dev::{DevKind, DevRef, Device};
use crate::error::{Errno, KResult};
use crate::types::{Mac, NsId};
use crate::world::{Event, World, HOP_LATENCY};
use serde::{Deserialize, Serialize};

/// The name of the host every lab starts with.
pub const DEFAULT_HOST: &str = "h1";

/// A host of the lab.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Host {
    pub name: String,
    /// Its root namespace (init_net).
    pub root: NsId,
    /// Its `ip netns` names and loaded modules while it is not current.
    pub names: Vec<(String, NsId)>,
    pub modules: Vec<String>,
}

/// A link between NICs: a wire (two members) or a switch (more). The switch
/// learns source MACs and floods what it does not know; it never ages.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Segment {
    pub members: Vec<DevRef>,
    pub fdb: Vec<(Mac, DevRef)>,
}

impl World {
    /// The hosts, the default one included.
    pub fn host_names(&self) -> Vec<String> {
        if self.hosts.is_empty() {
            return vec![DEFAULT_HOST.to_string()];
        }
        self.hosts.iter().map(|h| h.name.clone()).collect()
    }

    pub fn host_by_name(&self, name: &str) -> Option<usize> {
        if self.hosts.is_empty() {
            return (name == DEFAULT_HOST).then_some(0);
        }
        self.hosts.iter().position(|h| h.name == name)
    }

    /// The root namespace of host `h`.
    pub fn host_root(&self, h: usize) -> NsId {
        self.hosts.get(h).map(|x| x.root).unwrap_or(0)
    }

    /// The host a namespace belongs to.
    pub fn host_of(&self, ns: NsId) -> usize {
        self.ns_host.get(&ns).copied().unwrap_or(0)
    }

    /// Boots a new host: a root namespace with `lo` up, as `World::new` does.
    pub fn host_add(&mut self, name: &str) -> KResult<usize> {
        if self.host_by_name(name).is_some() {
            return Err(Errno::EEXIST.into());
        }
        if self.hosts.is_empty() {
            self.hosts.push(Host {
                name: DEFAULT_HOST.to_string(),
                root: 0,
                ..Host::default()
            });
        }
        let idx = self.hosts.len();
        let root = self.create_ns();
        self.ns_host.insert(root, idx);
        self.hosts.push(Host {
            name: name.to_string(),
            root,
            ..Host::default()
        });
        self.link_set(root, 1, LinkChange::Up(true))?;
        Ok(idx)
    }

    /// Makes host `h` current (its registry and modules are what commands
    /// see); returns the host that was.
    pub fn host_enter(&mut self, h: usize) -> usize {
        let prev = self.cur_host;
        if h == prev || h >= self.hosts.len() {
            return prev;
        }
        let names = std::mem::take(&mut self.names);
        let modules = std::mem::take(&mut self.modules);
        self.hosts[prev].names = names;
        self.hosts[prev].modules = modules;
        self.names = std::mem::take(&mut self.hosts[h].names);
        self.modules = std::mem::take(&mut self.hosts[h].modules);
        self.cur_host = h;
        self.names_changed();
        prev
    }

    /// A physical NIC in namespace `ns` (what a driver registers at boot).
    pub fn nic_add(&mut self, ns: NsId, name: &str) -> KResult<u32> {
        self.check_name(ns, name)?;
        let idx = self.ns_mut(ns).alloc_ifindex(None);
        // A virtio NIC as QEMU gives it: 52:54:00 and three random bytes.
        let r = self.rng.mac().0;
        let mac = Mac([0x52, 0x54, 0x00, r[3], r[4], r[5]]);
        let d = Device::new(idx, name, DevKind::Nic { segment: None }, mac);
        self.ns_mut(ns).list_netdevice(Box::new(d));
        Ok(idx)
    }

    /// Joins NICs with one link (a wire for two, a switch for more). A NIC
    /// named that is missing is created in the host's root namespace.
    pub fn host_link(&mut self, ends: &[(usize, String)]) -> KResult<usize> {
        let mut refs = Vec::new();
        for (h, name) in ends {
            let ns = self.host_root(*h);
            let idx = match self.ns(ns).ifindex_of(name) {
                Some(i) => i,
                None => self.nic_add(ns, name)?,
            };
            let r = DevRef { ns, ifindex: idx };
            match self.dev(r).map(|d| &d.kind) {
                Some(DevKind::Nic { segment: None }) => {}
                Some(DevKind::Nic { .. }) => return Err(Errno::EBUSY.into()),
                _ => return Err(Errno::EOPNOTSUPP.into()),
            }
            if refs.contains(&r) {
                return Err(Errno::EINVAL.into());
            }
            refs.push(r);
        }
        let seg = self.segments.len();
        for r in &refs {
            if let Some(DevKind::Nic { segment }) = self.dev_mut(*r).map(|d| &mut d.kind) {
                *segment = Some(seg);
            }
        }
        self.segments.push(Segment {
            members: refs.clone(),
            fdb: Vec::new(),
        });
        for r in refs {
            self.linkwatch_fire(r);
        }
        Ok(seg)
    }

    /// A NIC moved to another namespace stays on its link.
    pub(crate) fn nic_moved(&mut self, from: DevRef, to: DevRef) {
        for s in &mut self.segments {
            for m in s.members.iter_mut().chain(s.fdb.iter_mut().map(|(_, d)| d)) {
                if *m == from {
                    *m = to;
                }
            }
        }
    }

    /// The NIC's driver puts the frame on its link: the switch learns the
    /// source, then sends to the member that has the destination, or floods.
    pub(crate) fn nic_xmit(&mut self, r: DevRef, seg: usize, frame: Vec<u8>) {
        let Some(s) = self.segments.get_mut(seg) else {
            self.put_buf(frame);
            return;
        };
        let dst = Mac(frame[0..6].try_into().unwrap());
        let src = Mac(frame[6..12].try_into().unwrap());
        if !src.is_multicast() {
            match s.fdb.iter_mut().find(|(m, _)| *m == src) {
                Some(e) => e.1 = r,
                None => s.fdb.push((src, r)),
            }
        }
        let known = (!dst.is_multicast())
            .then(|| s.fdb.iter().find(|(m, _)| *m == dst).map(|e| e.1))
            .flatten();
        let at = self.now + HOP_LATENCY;
        if let Some(to) = known {
            if to != r {
                self.schedule(
                    at,
                    Event::Rx {
                        dev: to,
                        frame,
                        pkt: self.cur_pkt(),
                    },
                );
            } else {
                self.put_buf(frame);
            }
            return;
        }
        let n = s.members.len();
        let mut last = None;
        for k in 0..n {
            let m = self.segments[seg].members[k];
            if m == r {
                continue;
            }
            if let Some(prev) = last.replace(m) {
                let mut copy = self.take_buf();
                copy.extend_from_slice(&frame);
                self.schedule(
                    at,
                    Event::Rx {
                        dev: prev,
                        frame: copy,
                        pkt: self.cur_pkt(),
                    },
                );
            }
        }
        match last {
            Some(m) => self.schedule(
                at,
                Event::Rx {
                    dev: m,
                    frame,
                    pkt: self.cur_pkt(),
                },
            ),
            None => self.put_buf(frame),
        }
    }
}
