//! The lab file's consistency: a world read back from disk is checked
//! before anything indexes with what it holds. Serde guarantees the shape;
//! this checks the references between parts (namespace ids, ifindexes,
//! socket ids, hosts, segments) so that a file edited by hand or damaged
//! is reported as corrupt instead of panicking the first command that
//! follows a dangling reference.

use crate::dev::{DevKind, DevRef};
use crate::world::{Event, World};
use crate::NsId;

/// What is wrong, in words for the message "corrupt lab file F: ...".
type Res = Result<(), String>;

impl World {
    /// Checks every reference the world holds; the first dangling one is
    /// the error. A world built by vnet's own operations always passes.
    pub fn validate(&self) -> Res {
        if self.ns_live(0).is_err() {
            return Err("the initial namespace is missing".into());
        }
        for (i, slot) in self.netns.iter().enumerate() {
            if let Some(n) = slot {
                if n.id != i {
                    return Err(format!("namespace {i} says it is namespace {}", n.id));
                }
                self.validate_ns(n)
                    .map_err(|e| format!("namespace {i}: {e}"))?;
            }
        }
        for (name, ns) in &self.names {
            self.ns_live(*ns)
                .map_err(|e| format!("netns name \"{name}\": {e}"))?;
        }
        for (i, h) in self.hosts.iter().enumerate() {
            self.ns_live(h.root)
                .map_err(|e| format!("host {i} root: {e}"))?;
            for (name, ns) in &h.names {
                self.ns_live(*ns)
                    .map_err(|e| format!("host {i} netns name \"{name}\": {e}"))?;
            }
        }
        if self.cur_host > self.hosts.len() {
            return Err(format!("current host {} does not exist", self.cur_host));
        }
        for (ns, h) in &self.ns_host {
            self.ns_live(*ns).map_err(|e| format!("host of {e}"))?;
            if *h >= self.hosts.len().max(1) {
                return Err(format!(
                    "namespace {ns} is on host {h}, which does not exist"
                ));
            }
        }
        for (i, seg) in self.segments.iter().enumerate() {
            for d in seg.members.iter().chain(seg.fdb.iter().map(|(_, d)| d)) {
                self.dev_live(*d).map_err(|e| format!("segment {i}: {e}"))?;
            }
        }
        for (i, s) in self.sockets.iter().enumerate() {
            let Some(s) = s else { continue };
            self.ns_live(s.ns).map_err(|e| format!("socket {i}: {e}"))?;
            match &s.kind {
                crate::sock::SockKind::Packet {
                    ifindex: Some(ifx), ..
                } => {
                    self.dev_live(DevRef {
                        ns: s.ns,
                        ifindex: *ifx,
                    })
                    .map_err(|e| format!("socket {i}: {e}"))?;
                }
                crate::sock::SockKind::Tcp(t) => {
                    if let Some(p) = t.parent {
                        self.sock_live(p)
                            .map_err(|e| format!("socket {i} parent: {e}"))?;
                    }
                }
                _ => {}
            }
        }
        for d in &self.lw_pending {
            self.ns_live(d.ns).map_err(|e| format!("linkwatch: {e}"))?;
        }
        for s in self.queue.iter().map(|r| &r.0).chain(self.fifo.iter()) {
            match &s.ev {
                Event::Rx { dev, .. } => self.ns_live(dev.ns),
                Event::Addrconf { ns, .. } | Event::NeighTimer { ns, .. } => self.ns_live(*ns),
                Event::TcpTimer { sock } => self.sock_live(*sock),
                // A proxy's delayed answer whose device went does nothing;
                // a solicitation is read to its target (24 bytes).
                Event::ProxyRedo { dev, redo } => match redo {
                    crate::neigh::pneigh::ProxyRedo::Ndisc { msg, .. } if msg.len() < 24 => {
                        Err("a short neighbour solicitation".to_string())
                    }
                    _ => self.ns_live(dev.ns),
                },
                // A stale bridge timer finds no bridge and does nothing.
                Event::Linkwatch
                | Event::BrStp { .. }
                | Event::BondNtt { .. }
                | Event::BrFdbGc { .. }
                | Event::BrMdbExpire { .. }
                | Event::IgmpIfc { .. } => Ok(()),
            }
            .map_err(|e| format!("event at {}: {e}", s.at.0))?;
        }
        Ok(())
    }

    fn validate_ns(&self, n: &crate::netns::Netns) -> Res {
        let ns = n.id;
        let dev = |ifindex: u32| {
            n.devs
                .get(&ifindex)
                .map(|_| ())
                .ok_or_else(|| format!("no device {ifindex}"))
        };
        for (ifx, d) in n.devs.iter() {
            if *ifx != d.ifindex {
                return Err(format!("device {ifx} says it is {}", d.ifindex));
            }
            let here = |e: String| format!("device {} ({ifx}): {e}", d.name);
            // Every kind's dev->min_mtu is ETH_MIN_MTU: a smaller one cannot be set.
            if d.mtu < 68 {
                return Err(here(format!("MTU {} below the minimum", d.mtu)));
            }
            if let Some(m) = d.master {
                dev(m).map_err(here)?;
            }
            match &d.kind {
                DevKind::Veth { peer } => self.dev_live(*peer).map_err(here)?,
                DevKind::Bridge(b) => {
                    for p in &b.ports {
                        dev(p.ifindex).map_err(here)?;
                    }
                    for e in b.fdb.values() {
                        dev(e.port).map_err(here)?;
                    }
                }
                DevKind::Tunnel(t) => self.ns_live(t.net).map_err(here)?,
                DevKind::Vxlan(v) => self.ns_live(v.net).map_err(here)?,
                DevKind::Nic { segment: Some(s) } if *s >= self.segments.len() => {
                    return Err(here(format!("no segment {s}")))
                }
                _ => {}
            }
        }
        if n.devs.get(&n.loopback_ifindex()).is_none() {
            return Err("no loopback device".into());
        }
        for a in &n.addrs4 {
            dev(a.ifindex).map_err(|e| format!("address {}: {e}", a.local))?;
        }
        for a in &n.addrs6 {
            dev(a.ifindex).map_err(|e| format!("address {}: {e}", a.addr))?;
        }
        for (id, t) in n.fib.tables.iter() {
            if !t.is_consistent() {
                return Err(format!("routing table {id} marks prefix lengths it lacks"));
            }
            for r in t.iter() {
                if let Some(d) = r.dev {
                    dev(d).map_err(|e| format!("route to {}: {e}", r.dst))?;
                }
                if let crate::ipv4::fib::Nexthops::Multi(hops) = &r.nh {
                    if hops.len() < 2 || hops.iter().any(|h| !(1..=256).contains(&h.weight)) {
                        return Err(format!("route to {}: bad next hops", r.dst));
                    }
                    for h in hops.iter() {
                        dev(h.dev).map_err(|e| format!("route to {}: {e}", r.dst))?;
                    }
                }
            }
        }
        for r in &n.routes6 {
            if !(1..=256).contains(&r.weight) {
                return Err(format!("route to {}: weight {}", r.dst, r.weight));
            }
            if let Some(d) = r.dev {
                dev(d).map_err(|e| format!("route to {}: {e}", r.dst))?;
            }
        }
        for (ifx, ip) in n.neigh.entries.keys().chain(n.neigh.order.iter()) {
            dev(*ifx).map_err(|e| format!("neighbour {ip}: {e}"))?;
        }
        for k in n.neigh.order.iter() {
            if !n.neigh.entries.contains_key(k) {
                return Err(format!("neighbour {} listed but absent", k.1));
            }
        }
        for t in n.peer_ids.keys() {
            self.ns_live(*t).map_err(|e| format!("peer id of {e}"))?;
        }
        for s in &n.sockets {
            self.sock_live(*s)?;
            if self.sockets[*s].as_ref().map(|s| s.ns) != Some(ns) {
                return Err(format!("socket {s} belongs to another namespace"));
            }
        }
        Ok(())
    }

    fn ns_live(&self, ns: NsId) -> Res {
        match self.netns.get(ns) {
            Some(Some(_)) => Ok(()),
            _ => Err(format!("namespace {ns} does not exist")),
        }
    }

    fn dev_live(&self, d: DevRef) -> Res {
        self.ns_live(d.ns)?;
        match self.netns[d.ns]
            .as_ref()
            .and_then(|n| n.devs.get(&d.ifindex))
        {
            Some(_) => Ok(()),
            None => Err(format!("no device {} in namespace {}", d.ifindex, d.ns)),
        }
    }

    fn sock_live(&self, s: usize) -> Res {
        match self.sockets.get(s) {
            Some(Some(_)) => Ok(()),
            _ => Err(format!("socket {s} does not exist")),
        }
    }
}
