//! `ip monitor [all | OBJECTS] [label] [dev DEV]` (iproute2 6.1's
//! ipmonitor.c): joins the rtnetlink groups of the objects asked for and
//! prints each message as it comes, as `print_linkinfo`, `print_addrinfo`,
//! `print_route`, `print_neigh`, `print_netconf` and `print_nsid` do in
//! monitor mode (no `mode`, no `qlen`; `Deleted ` before a removal;
//! `[LINK]`-style labels with `label` or `all`).
//!
//! Like iproute2, it names devices through its own cache of the links it
//! knew at start and has seen since (ll_map): a peer's name and its
//! M-DOWN mark come from there.

use super::{Error, Opts, Res};
use crate::ll_map::LlMap;
use crate::proc::{Io, Program, Step};
use crate::Cmd;
use std::collections::BTreeMap;
use vnet_core::dev::arphrd;
use vnet_core::ipv4::fib::RT_TABLE_MAIN;
use vnet_core::ipv4::route_text::RouteFmt;
use vnet_core::rtnl_notify::{group, FdbState, IfInfo, LinkEvent, NeighMsg, Netconf, RtMsg};
use vnet_core::{NsId, World};

const USAGE: &str = "Usage: ip monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ]\n                  [ dev DEVICE ]\nOBJECTS :=  address | link | mroute | neigh | netconf |\n            nexthop | nsid | prefix | route | rule | stats\nFILE := file FILENAME\n";

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res<i32> {
    let mut lmask = 0u32;
    let mut label = false;
    let mut dev = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let m = |w: &str| crate::args::matches(a, w);
        if m("file") {
            return Err(Error::NotSimulated("ip monitor file".into()));
        } else if m("label") {
            label = true;
        } else if m("link") {
            lmask |= group::LINK;
        } else if m("address") {
            lmask |= group::IPV4_IFADDR | group::IPV6_IFADDR;
        } else if m("route") {
            lmask |= group::IPV4_ROUTE | group::IPV6_ROUTE;
        } else if m("mroute") || m("prefix") || m("nexthop") || a == "stats" {
            // Groups vnet never posts to: nothing will come.
            lmask |= 1 << 31;
        } else if m("neigh") {
            lmask |= group::NEIGH;
        } else if m("netconf") {
            lmask |= group::IPV4_NETCONF | group::IPV6_NETCONF;
        } else if m("rule") {
            lmask |= group::IPV4_RULE | group::IPV6_RULE;
        } else if m("nsid") {
            lmask |= group::NSID;
        } else if a == "all" {
            label = true;
        } else if m("all-nsid") {
            return Err(Error::NotSimulated("ip monitor all-nsid".into()));
        } else if m("help") {
            return Err(Error::Usage(USAGE));
        } else if a == "dev" {
            i += 1;
            let name = args.get(i).ok_or(Error::Incomplete)?;
            dev = Some(c.m.world.ns(c.ns).ifindex_of(name).ok_or_else(|| {
                Error::Fatal(format!(
                    "Error: argument \"{name}\" is wrong: Device does not exist\n\n"
                ))
            })?);
        } else {
            return Err(Error::Fatal(format!(
                "Argument \"{a}\" is unknown, try \"ip monitor help\".\n"
            )));
        }
        i += 1;
    }
    if lmask == 0 {
        lmask = !0;
    }
    // The family (-4/-6) narrows the per-family groups.
    let (v4, v6) = match o.family {
        Some(4) => (true, false),
        Some(6) => (false, true),
        _ => (true, true),
    };
    let mut groups = lmask & (group::LINK | group::NEIGH | group::NSID);
    for (fam, g) in [
        (
            v4,
            group::IPV4_IFADDR | group::IPV4_ROUTE | group::IPV4_NETCONF | group::IPV4_RULE,
        ),
        (
            v6,
            group::IPV6_IFADDR | group::IPV6_ROUTE | group::IPV6_NETCONF | group::IPV6_RULE,
        ),
    ] {
        if fam {
            groups |= lmask & g;
        }
    }
    let ns = c.ns;
    let links = LlMap::new(&c.m.world, ns);
    let nsids =
        c.m.world
            .ns(ns)
            .peer_ids()
            .keys()
            .filter_map(|t| netns_name_of(&c.m.world, ns, *t))
            .collect();
    let sock = c.m.world.rtnl_listen(ns, groups);
    Ok(c.run(Box::new(Monitor {
        ns,
        sock,
        label,
        dev,
        neigh_family: o.family.filter(|f| *f == 4 || *f == 6),
        links,
        nsids,
    })))
}

/// The running monitor.
struct Monitor {
    ns: NsId,
    sock: u32,
    label: bool,
    dev: Option<u32>,
    /// `-4`/`-6`: neighbour messages of the other family are skipped.
    neigh_family: Option<u8>,
    links: LlMap,
    /// netns_map: the names of the ids known at start or announced since.
    nsids: BTreeMap<i32, String>,
}

impl Program for Monitor {
    fn poll(&mut self, w: &mut World, io: &mut Io) -> Step {
        let (msgs, overrun) = w.rtnl_take(self.ns, self.sock);
        if overrun {
            io.err
                .extend_from_slice(b"netlink receive error No buffer space available (105)\n");
        }
        for m in &msgs {
            let text = self.format(w, m);
            io.out.extend_from_slice(text.as_bytes());
        }
        Step::Wait(None)
    }
    fn interrupt(&mut self, w: &mut World, io: &mut Io) -> i32 {
        self.poll(w, io);
        130
    }
    fn endless(&self) -> bool {
        true
    }
    fn flushes(&self) -> bool {
        true
    }
    fn close(&mut self, w: &mut World) {
        w.rtnl_unlisten(self.ns, self.sock);
    }
}

impl Monitor {
    /// ll_idx_n2a().
    fn name(&mut self, w: &World, ifindex: u32) -> String {
        self.links.name(w, ifindex)
    }

    fn banner(&self, s: &'static str) -> &'static str {
        if self.label {
            s
        } else {
            ""
        }
    }

    fn format(&mut self, w: &World, m: &RtMsg) -> String {
        let del = |d: bool| if d { "Deleted " } else { "" };
        match m {
            RtMsg::Link { del: d, info } => {
                // ll_remember_index() before print_linkinfo().
                self.links.remember(info, *d);
                if self.dev.is_some_and(|x| x != info.ifindex) {
                    return String::new();
                }
                format!(
                    "{}{}{}",
                    self.banner("[LINK]"),
                    del(*d),
                    self.link_text(w, info)
                )
            }
            RtMsg::Addr4 { del: d, addr: a } => {
                if self.dev.is_some_and(|x| x != a.ifindex) {
                    return String::new();
                }
                let line = super::addr::inet4_text(a);
                format!(
                    "{}{}{}: {}    {}\n       valid_lft forever preferred_lft forever\n",
                    self.banner("[ADDR]"),
                    del(*d),
                    a.ifindex,
                    self.name(w, a.ifindex),
                    line
                )
            }
            RtMsg::Addr6 { .. } => String::new(),
            RtMsg::Route4 { del: d, route } => {
                if self.dev.is_some_and(|x| Some(x) != route.dev) {
                    return String::new();
                }
                let how = RouteFmt {
                    show_table: route.table != RT_TABLE_MAIN,
                    ..RouteFmt::PLAIN
                };
                format!(
                    "{}{}{} \n",
                    self.banner("[ROUTE]"),
                    del(*d),
                    w.route_text(self.ns, route, &how)
                )
            }
            RtMsg::Neigh { del: d, neigh } => {
                let v4 = neigh.dst.is_ipv4();
                if self.neigh_family.is_some_and(|f| (f == 4) != v4)
                    || self.dev.is_some_and(|x| x != neigh.ifindex)
                {
                    return String::new();
                }
                format!(
                    "{}{}{}",
                    self.banner("[NEIGH]"),
                    del(*d),
                    self.neigh_text(w, neigh)
                )
            }
            RtMsg::Netconf { del: d, conf } => {
                if self.dev.is_some_and(|x| x != conf.ifindex) {
                    return String::new();
                }
                format!(
                    "{}{}{}",
                    self.banner("[NETCONF]"),
                    del(*d),
                    self.netconf_text(w, conf, *d)
                )
            }
            RtMsg::Nsid { del: d, id } => {
                let name = if *d {
                    self.nsids.remove(id)
                } else {
                    let n = w
                        .ns(self.ns)
                        .peer_ids()
                        .iter()
                        .find(|(_, v)| *v == id)
                        .and_then(|(t, _)| netns_name_of(w, self.ns, *t))
                        .map(|(_, n)| n);
                    if let Some(n) = &n {
                        self.nsids.insert(*id, n.clone());
                    }
                    n
                };
                let name = name
                    .map(|n| format!("(iproute2 netns name: {n})"))
                    .unwrap_or_default();
                format!("{}{}nsid {id} {name}\n", self.banner("[NSID]"), del(*d))
            }
            RtMsg::Rule { del: d, text, .. } => {
                format!("{}{}{text}\n", self.banner("[RULE]"), del(*d))
            }
            RtMsg::Fdb { del: d, fdb } => {
                // print_neigh() of an AF_BRIDGE neighbour: no destination,
                // the entry's address and NUD state (-4/-6 filter it out).
                if self.neigh_family.is_some() || self.dev.is_some_and(|x| x != fdb.ifindex) {
                    return String::new();
                }
                let state = match fdb.state {
                    FdbState::Permanent => "PERMANENT",
                    FdbState::Static => "NOARP",
                    FdbState::Reachable => "REACHABLE",
                    FdbState::Stale => "STALE",
                };
                format!(
                    "{}{}dev {} lladdr {} {state} \n",
                    self.banner("[NEIGH]"),
                    del(*d),
                    self.name(w, fdb.ifindex),
                    fdb.mac
                )
            }
            // The mdb and bridge vlan groups are not joined.
            RtMsg::BrVlan { .. } | RtMsg::Mdb { .. } => String::new(),
        }
    }

    /// print_linkinfo() in monitor mode.
    fn link_text(&mut self, w: &World, i: &IfInfo) -> String {
        let mut s = self.links.link_head(w, i, true);
        if !i.bridge_family {
            s.push_str(&format!("qdisc {} ", i.qdisc));
        }
        if let Some(m) = i.master {
            let mn = self.name(w, m);
            s.push_str(&format!("master {mn} "));
        }
        s.push_str(&format!("state {} ", i.operstate.name()));
        if !i.bridge_family {
            s.push_str("group default ");
        }
        if let Some(LinkEvent::FeatureChange) = i.event {
            s.push_str("event FEATURE CHANGE ");
        }
        s.push_str("\n    ");
        match i.arphrd {
            arphrd::NONE => s.push_str("link/none "),
            t => {
                let kind = if t == arphrd::LOOPBACK {
                    "loopback"
                } else {
                    "ether"
                };
                s.push_str(&format!("link/{kind} {}", i.addr));
                if !i.bridge_family {
                    s.push_str(&format!(" brd {}", i.broadcast));
                }
            }
        }
        if let Some(id) = i.link_netnsid {
            match self.nsids.get(&id) {
                Some(n) => s.push_str(&format!(" link-netns {n}")),
                None => s.push_str(&format!(" link-netnsid {id}")),
            }
        }
        if let Some(id) = i.new_netnsid {
            match self.nsids.get(&id) {
                Some(n) => s.push_str(&format!(" new-netns {n}")),
                None => s.push_str(&format!(" new-netnsid {id}")),
            }
        }
        if let Some(x) = i.new_ifindex {
            s.push_str(&format!(" new-ifindex {x}"));
        }
        s.push('\n');
        s
    }

    /// print_neigh().
    fn neigh_text(&mut self, w: &World, n: &NeighMsg) -> String {
        let mut s = format!("{} dev {}", n.dst, self.name(w, n.ifindex));
        if let (Some(m), true) = (n.lladdr, n.state.valid()) {
            s.push_str(&format!(" lladdr {m}"));
        }
        if n.router {
            s.push_str(" router");
        }
        if n.proxy {
            s.push_str(" proxy");
        }
        s.push_str(&format!(" {} \n", n.state.name()));
        s
    }

    /// print_netconf(): a deletion carries the index alone.
    fn netconf_text(&mut self, w: &World, c: &Netconf, del: bool) -> String {
        let on = |b: bool| if b { "on" } else { "off" };
        let mut s = format!(
            "{} {} ",
            if c.v6 { "inet6" } else { "inet" },
            self.name(w, c.ifindex)
        );
        if !del {
            s.push_str(&format!("forwarding {} ", on(c.forwarding)));
            if !c.v6 {
                let rp = match c.rp_filter {
                    0 => "off".to_string(),
                    1 => "strict".to_string(),
                    2 => "loose".to_string(),
                    n => n.to_string(),
                };
                s.push_str(&format!("rp_filter {rp} mc_forwarding off "));
            }
            s.push_str(&format!(
                "proxy_neigh {} ignore_routes_with_linkdown {} ",
                on(c.proxy_neigh),
                on(c.ignore_routes_with_linkdown)
            ));
        }
        s.push('\n');
        s
    }
}

/// The id `viewer` knows namespace `target` by, and its `ip netns` name.
fn netns_name_of(w: &World, viewer: NsId, target: NsId) -> Option<(i32, String)> {
    let id = *w.ns(viewer).peer_ids().get(&target)?;
    w.names()
        .iter()
        .find(|(_, n)| *n == target)
        .map(|(name, _)| (id, name.clone()))
}
