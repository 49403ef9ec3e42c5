//! `bridge monitor [file | link | fdb | mdb | vlan | vni | all]`
//! (iproute2 6.1's bridge/monitor.c): joins the groups asked for and
//! prints each message as bridge(8)'s print_linkinfo, print_fdb and
//! print_mdb_mon do, `[LINK]`/`[NEIGH]`/`[MDB]` before each with `all`.
//!
//! What differs from `ip monitor`, as in iproute2: link messages of both
//! families (AF_UNSPEC and a port's AF_BRIDGE) print in `bridge link`'s
//! short form; names come from ll_map's cache, which only lookups fill
//! (a printed link message does not update it), so a lower's M-DOWN mark
//! keeps the flags it had when first looked up; link and fdb messages are
//! flushed as printed, mdb and vlan messages stay in stdio's buffer
//! until something else flushes it (and die with the process when it is
//! killed).

use crate::ll_map::LlMap;
use crate::proc::{Io, Program, Step};
use crate::Cmd;
use vnet_core::rtnl_notify::{group, FdbMsg, FdbState, IfInfo, RtMsg};
use vnet_core::{NsId, World};

/// glibc's stdio buffer for a file or pipe.
const BUFSIZ: usize = 4096;

const USAGE: &str = "Usage: bridge monitor [file | link | fdb | mdb | vlan | vni | all]\n";

/// Runs `bridge monitor ARGS`; Err is (message, status) for the caller.
pub fn main(c: &mut Cmd, args: &[String]) -> Result<i32, (String, i32)> {
    // groups = ~RTMGRP_TC (every old-style group: links, fdb, mdb) until
    // an object is named, which sets it to 0; the named ones are added after.
    let all = group::LINK | group::NEIGH | group::MDB;
    let mut base = all;
    let (mut llink, mut lneigh, mut lmdb, mut lvlan) = (false, false, false, false);
    let mut banner = false;
    for a in args {
        let m = |w: &str| crate::args::matches(a, w);
        if m("file") {
            return Err((
                crate::unsimulated::message("bridge monitor file"),
                crate::unsimulated::STATUS,
            ));
        } else if m("link") {
            (llink, base) = (true, 0);
        } else if m("fdb") {
            (lneigh, base) = (true, 0);
        } else if m("mdb") {
            (lmdb, base) = (true, 0);
        } else if m("vlan") {
            (lvlan, base) = (true, 0);
        } else if a == "vni" {
            // RTNLGRP_TUNNEL: vxlan vni filtering, which vnet never posts.
            base = 0;
        } else if a == "all" {
            (base, lvlan, banner) = (all, true, true);
        } else if m("help") {
            return Err((USAGE.into(), 255));
        } else {
            return Err((
                format!("Argument \"{a}\" is unknown, try \"bridge monitor help\".\n"),
                255,
            ));
        }
    }
    let mut groups = base;
    for (on, g) in [
        (llink, group::LINK),
        (lneigh, group::NEIGH),
        (lmdb, group::MDB),
        (lvlan, group::BRVLAN),
    ] {
        if on {
            groups |= g;
        }
    }
    let ns = c.ns;
    let links = LlMap::new(&c.m.world, ns);
    let sock = c.m.world.rtnl_listen(ns, groups);
    Ok(c.run(Box::new(BridgeMonitor {
        ns,
        sock,
        banner,
        links,
        pending: String::new(),
    })))
}

struct BridgeMonitor {
    ns: NsId,
    sock: u32,
    banner: bool,
    links: LlMap,
    /// Printed but not flushed (mdb, vlan messages after the last link or
    /// fdb one): stdio's buffer, which dies with the process.
    pending: String,
}

impl Program for BridgeMonitor {
    fn poll(&mut self, w: &mut World, io: &mut Io) -> Step {
        let (msgs, overrun) = w.rtnl_take(self.ns, self.sock);
        if overrun {
            io.err
                .extend_from_slice(b"netlink receive error No buffer space available (105)\n");
        }
        let mut out = std::mem::take(&mut self.pending);
        for m in &msgs {
            let (text, flush) = self.format(w, m);
            out.push_str(&text);
            if flush {
                io.out.extend_from_slice(out.as_bytes());
                io.flush = true;
                out.clear();
            }
        }
        // What follows the last flush stays in stdio's buffer, written only
        // when a later message flushes it or the buffer fills (lost if the
        // process is killed first).
        while out.len() >= BUFSIZ {
            let rest = out.split_off(BUFSIZ);
            io.out.extend_from_slice(out.as_bytes());
            io.flush = true;
            out = rest;
        }
        self.pending = out;
        Step::Wait(None)
    }
    fn interrupt(&mut self, w: &mut World, io: &mut Io) -> i32 {
        self.poll(w, io);
        130
    }
    fn endless(&self) -> bool {
        true
    }
    fn close(&mut self, w: &mut World) {
        w.rtnl_unlisten(self.ns, self.sock);
    }
}

impl BridgeMonitor {
    /// ll_index_to_name().
    fn name(&mut self, w: &World, ifindex: u32) -> String {
        self.links.name(w, ifindex)
    }

    fn header(&self, label: &'static str) -> &'static str {
        if self.banner {
            label
        } else {
            ""
        }
    }

    /// A message's text, and whether iproute2 flushes stdout after it.
    fn format(&mut self, w: &World, m: &RtMsg) -> (String, bool) {
        let del = |d: bool| if d { "Deleted " } else { "" };
        match m {
            RtMsg::Link { del: d, info } => {
                let text = self.link_text(w, info);
                (format!("{}{}{text}", self.header("[LINK]"), del(*d)), true)
            }
            RtMsg::Fdb { del: d, fdb } => {
                let text = self.fdb_text(w, fdb);
                (format!("{}{}{text}", self.header("[NEIGH]"), del(*d)), true)
            }
            RtMsg::Mdb { del: d, br, entry } => {
                let state = if entry.permanent { "permanent" } else { "temp" };
                let (brn, pn) = (self.name(w, *br), self.name(w, entry.port));
                let mut s = format!(
                    "{}{}dev {brn} port {pn} grp {} {state}",
                    self.header("[MDB]"),
                    del(*d),
                    entry.grp
                );
                if entry.vid != 0 {
                    s.push_str(&format!(" vid {}", entry.vid));
                }
                s.push('\n');
                (s, false)
            }
            _ => (String::new(), false),
        }
    }

    /// bridge's print_linkinfo().
    fn link_text(&mut self, w: &World, i: &IfInfo) -> String {
        let mut s = self.links.link_head(w, i, false);
        if let Some(m) = i.master {
            let mn = self.name(w, m);
            s.push_str(&format!("master {mn} "));
        }
        if let Some(p) = i.protinfo {
            s.push_str(&format!(
                "state {} priority {} cost {} ",
                p.state.name(),
                p.priority,
                p.cost
            ));
        }
        s.push('\n');
        s
    }

    /// bridge's print_fdb().
    fn fdb_text(&mut self, w: &World, f: &FdbMsg) -> String {
        let mut s = format!("{} dev {} ", f.mac, self.name(w, f.ifindex));
        if f.vid != 0 {
            s.push_str(&format!("vlan {} ", f.vid));
        }
        s.push_str(&format!("master {} ", self.name(w, f.master)));
        s.push_str(match f.state {
            FdbState::Permanent => "permanent",
            FdbState::Static => "static",
            FdbState::Stale => "stale",
            FdbState::Reachable => "",
        });
        s.push('\n');
        s
    }
}
