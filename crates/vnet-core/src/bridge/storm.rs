//! Broadcast storms: bridges joined in a loop without STP forward a
//! broadcast round the loop for ever, as the kernel does, until the input
//! backlog is full and drops frames (`World::backlog_admit`). Then the
//! loop is named once for the person running the lab.

use crate::dev::{DevKind, DevRef};
use crate::world::World;

impl World {
    /// Called as the backlog drops frames: finds a loop of bridges without
    /// STP joined by veth pairs, and reports it once.
    pub(crate) fn storm_check(&mut self) {
        let Some(cycle) = self.bridge_loop() else {
            return;
        };
        let names: Vec<String> = cycle.iter().map(|&b| self.bridge_label(b)).collect();
        let mut key = names.clone();
        key.sort();
        if self.storms_reported.contains(&key) {
            return;
        }
        self.storms_reported.push(key);
        self.warnings.push(format!(
            "vnet: broadcast storm: frames loop through {} (no STP)",
            names.join(", ")
        ));
    }

    /// A bridge's name, with its namespace's when it is not the first one.
    fn bridge_label(&self, b: DevRef) -> String {
        let name = self.devname(b);
        match self.names.iter().find(|(_, id)| *id == b.ns) {
            Some((ns, _)) => format!("{name} (netns {ns})"),
            None => name,
        }
    }

    /// Bridges (STP off, up) as nodes, veth pairs between their ports as
    /// edges: the bridges of one cycle, in order round it, if there is one.
    fn bridge_loop(&self) -> Option<Vec<DevRef>> {
        let mut nodes: Vec<DevRef> = Vec::new();
        let mut edges: Vec<(usize, usize)> = Vec::new();
        let node = |r: DevRef, nodes: &mut Vec<DevRef>| match nodes.iter().position(|&n| n == r) {
            Some(i) => i,
            None => {
                nodes.push(r);
                nodes.len() - 1
            }
        };
        for (ns, n) in self.netns.iter().enumerate() {
            let Some(n) = n else { continue };
            for d in n.devs().values() {
                let DevKind::Veth { peer } = d.kind else {
                    continue;
                };
                let here = DevRef {
                    ns,
                    ifindex: d.ifindex,
                };
                // Each pair once: from its end with the lower (ns, ifindex).
                if (peer.ns, peer.ifindex) < (ns, d.ifindex) {
                    continue;
                }
                let (Some(a), Some(b)) = (self.loop_bridge(here), self.loop_bridge(peer)) else {
                    continue;
                };
                let (a, b) = (node(a, &mut nodes), node(b, &mut nodes));
                edges.push((a, b));
            }
        }
        // Union-find: the first edge whose ends are already joined closes
        // a cycle; the tree path between them plus that edge is the loop.
        let mut parent: Vec<usize> = (0..nodes.len()).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        let mut tree: Vec<(usize, usize)> = Vec::new();
        for &(a, b) in &edges {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra] = rb;
                tree.push((a, b));
                continue;
            }
            // The path from a to b in the tree (breadth-first, no recursion).
            let mut prev: Vec<Option<usize>> = vec![None; nodes.len()];
            let mut seen = vec![false; nodes.len()];
            let mut queue = std::collections::VecDeque::from([a]);
            seen[a] = true;
            while let Some(x) = queue.pop_front() {
                for &(u, v) in &tree {
                    let y = if u == x {
                        v
                    } else if v == x {
                        u
                    } else {
                        continue;
                    };
                    if !seen[y] {
                        seen[y] = true;
                        prev[y] = Some(x);
                        queue.push_back(y);
                    }
                }
            }
            let mut path = vec![b];
            let mut x = b;
            while let Some(p) = prev[x] {
                path.push(p);
                x = p;
            }
            path.reverse();
            return Some(path.into_iter().map(|i| nodes[i]).collect());
        }
        None
    }

    /// The bridge a device is an up port of, when that bridge is up with
    /// STP off (a port of an STP bridge would be blocked on a loop).
    fn loop_bridge(&self, r: DevRef) -> Option<DevRef> {
        let d = self.dev(r)?;
        let br = DevRef {
            ns: r.ns,
            ifindex: d.master?,
        };
        let b = self.dev(br)?;
        match &b.kind {
            DevKind::Bridge(x) if !x.stp && b.up && d.up => Some(br),
            _ => None,
        }
    }
}
