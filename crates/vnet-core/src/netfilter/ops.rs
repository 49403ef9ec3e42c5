//! What userspace asks of netfilter, as nfnetlink carries it: a table
//! replaced in one commit (iptables-nft), conntrack entries deleted or
//! marked (ctnetlink), and the event and trace groups a monitor joins.

use super::ct::Conntrack;
use super::{Family, NfTrace, Table, TableId};
use crate::types::NsId;
use crate::world::World;
use std::net::Ipv6Addr;

impl World {
    /// Installs `t` in its family, replacing the table of that name whole
    /// (one nf_tables transaction: a failed command changes nothing).
    pub fn nf_replace_table(&mut self, ns: NsId, t: Table) {
        self.ns_mut(ns).nf.replace_table(t);
    }

    /// Appends rules to chain `ci` of table `id` in place (see
    /// `Netfilter::append_rules`); false when there is no such table or chain.
    pub fn nf_append_rules(
        &mut self,
        ns: NsId,
        fam: Family,
        id: TableId,
        ci: usize,
        rules: Vec<super::Rule>,
    ) -> bool {
        self.ns_mut(ns).nf.append_rules(fam, id, ci, rules)
    }

    /// Deletes table `id` of family `fam` (nft delete table); the conntrack
    /// hooks go with the last rule that needed them.
    pub fn nf_remove_table(&mut self, ns: NsId, fam: Family, id: TableId) {
        self.ns_mut(ns).nf.remove_table_in(fam, id);
    }

    /// `xtables-monitor --trace` joins NFNLGRP_NFTRACE: trace events are
    /// made and kept only while someone listens.
    pub fn nf_trace_listen(&mut self, ns: NsId) {
        self.ns_mut(ns).nf.trace_listeners += 1;
    }

    /// The listener leaves; the last one takes the undelivered events along.
    pub fn nf_trace_unlisten(&mut self, ns: NsId) {
        let nf = &mut self.ns_mut(ns).nf;
        nf.trace_listeners = nf.trace_listeners.saturating_sub(1);
        if nf.trace_listeners == 0 {
            nf.traces.clear();
        }
    }

    /// The trace events made since the last call.
    pub fn nf_trace_take(&mut self, ns: NsId) -> Vec<NfTrace> {
        std::mem::take(&mut self.ns_mut(ns).nf.traces)
    }

    /// `conntrack -E` joins the conntrack event groups; returns how many
    /// events were queued before it joined (it sees only later ones).
    pub fn ct_events_listen(&mut self, ns: NsId) -> usize {
        let ct = &mut self.ns_mut(ns).nf.conntrack;
        ct.listeners += 1;
        ct.events.len()
    }

    /// The event listener leaves; the last one drops the queue.
    pub fn ct_events_unlisten(&mut self, ns: NsId) {
        let ct = &mut self.ns_mut(ns).nf.conntrack;
        ct.listeners = ct.listeners.saturating_sub(1);
        if ct.listeners == 0 {
            ct.events.clear();
        }
    }

    /// IPCTNL_MSG_CT_DELETE of IPv4 entry `id` (its destroy event included).
    pub fn ct_delete(&mut self, ns: NsId, id: u32) {
        let now = self.now;
        self.ns_mut(ns).nf.conntrack.remove(id, now);
    }

    /// IPCTNL_MSG_CT_DELETE of IPv6 entry `id`.
    pub fn ct6_delete(&mut self, ns: NsId, id: u32) {
        let now = self.now;
        if let Some(t) = self.ns_mut(ns).nf.conntrack6.as_deref_mut() {
            t.remove(id, now);
        }
    }

    /// Every IPv4 and IPv6 entry goes (`conntrack -F`).
    pub fn ct_flush(&mut self, ns: NsId) {
        let now = self.now;
        let nf = &mut self.ns_mut(ns).nf;
        flush(&mut nf.conntrack, now);
        if let Some(t) = nf.conntrack6.as_deref_mut() {
            flush::<Ipv6Addr>(t, now);
        }
    }

    /// IPCTNL_MSG_CT_NEW with NLM_F_CREATE (ctnetlink_create_conntrack):
    /// an IPv4 entry made by hand, confirmed at once; false when either of
    /// its tuples is taken (EEXIST).
    pub fn ct_create(&mut self, ns: NsId, c: super::ct::Conn) -> bool {
        let now = self.now;
        self.ns_mut(ns).nf.conntrack.confirm(c, now).is_some()
    }

    /// IPCTNL_MSG_CT_NEW with CTA_MARK and CTA_MARK_MASK on IPv4 entry `id`:
    /// the bits of `mask` take those of `value`.
    pub fn ct_set_mark(&mut self, ns: NsId, id: u32, value: u32, mask: u32) {
        if let Some(x) = self.ns_mut(ns).nf.conntrack.get_mut(id) {
            x.mark = (x.mark & !mask) | (value & mask);
        }
    }
}

fn flush<A: super::ct::CtAddr>(t: &mut Conntrack<A>, now: crate::types::Time) {
    let all: Vec<u32> = t.iter().map(|(i, _)| i).collect();
    for i in all {
        t.remove(i, now);
    }
}
