//! iproute2's ll_map (lib/ll_map.c): the cache of link names and flags a
//! monitor keeps from its start, and the head of print_linkinfo() that
//! `ip monitor` and `bridge monitor` both print from it.

use std::collections::BTreeMap;
use vnet_core::dev::{iff, DevRef};
use vnet_core::rtnl_notify::IfInfo;
use vnet_core::types::NsId;
use vnet_core::World;

pub(crate) struct LlMap {
    ns: NsId,
    /// ifindex → (name, flags) as last remembered.
    links: BTreeMap<u32, (String, u32)>,
}

impl LlMap {
    /// The links of the namespace when the monitor starts (ll_init_map()).
    pub(crate) fn new(w: &World, ns: NsId) -> LlMap {
        let links = w
            .ns(ns)
            .devs()
            .values()
            .map(|d| {
                let r = DevRef {
                    ns,
                    ifindex: d.ifindex,
                };
                (d.ifindex, (d.name.clone(), w.flags(r)))
            })
            .collect();
        LlMap { ns, links }
    }

    /// ll_remember_index(): a link message updates (or, deleted, drops)
    /// the entry.
    pub(crate) fn remember(&mut self, i: &IfInfo, deleted: bool) {
        if deleted {
            self.links.remove(&i.ifindex);
        } else {
            self.links.insert(i.ifindex, (i.name.clone(), i.flags));
        }
    }

    /// ll_index_to_name(): the cached name, else the kernel is asked (and
    /// the answer cached with the device's flags), else `ifN`.
    pub(crate) fn name(&mut self, w: &World, ifindex: u32) -> String {
        if let Some((n, _)) = self.links.get(&ifindex) {
            return n.clone();
        }
        let r = DevRef {
            ns: self.ns,
            ifindex,
        };
        match w.dev(r) {
            Some(d) => {
                self.links.insert(ifindex, (d.name.clone(), w.flags(r)));
                d.name.clone()
            }
            None => format!("if{ifindex}"),
        }
    }

    /// `IDX: NAME[@LINK]: <FLAGS> mtu N `: M-DOWN when the link is known to
    /// be down, or (`unknown_down`) not known at all: ip's
    /// print_linkinfo() tests ll_index_to_flags() for IFF_UP, where
    /// bridge's tests it against -1.
    pub(crate) fn link_head(&mut self, w: &World, i: &IfInfo, unknown_down: bool) -> String {
        let mut s = format!("{}: {}", i.ifindex, i.name);
        let mut mdown = false;
        match (i.link, i.link_netnsid) {
            (Some(0), _) => s.push_str("@NONE"),
            (Some(l), Some(_)) => s.push_str(&format!("@if{l}")),
            (Some(l), None) => {
                s.push('@');
                s.push_str(&self.name(w, l));
                mdown = self
                    .links
                    .get(&l)
                    .map_or(unknown_down, |(_, f)| f & iff::UP == 0);
            }
            (None, _) => {}
        }
        s.push_str(&format!(
            ": {} mtu {} ",
            crate::ip::flag_names(i.flags, mdown),
            i.mtu
        ));
        s
    }
}
