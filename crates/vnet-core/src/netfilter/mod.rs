//! Netfilter: the x_tables of a namespace (raw, mangle, nat, filter,
//! security), the hooks they sit at, connection tracking and NAT.
//!
//! Hooks and priorities, as registered by the kernel for IPv4 and IPv6
//! alike (lower first; IPv6 has conntrack but no NAT table here yet):
//!
//! ```text
//!  PRE_ROUTING   raw -300 · conntrack -200 · mangle -150 · nat(DNAT) -100
//!  LOCAL_IN      mangle -150 · filter 0 · security 50 · nat(SNAT) 100 · confirm
//!  FORWARD       mangle -150 · filter 0 · security 50
//!  LOCAL_OUT     raw -300 · conntrack -200 · mangle -150 · nat(DNAT) -100 · filter 0 · security 50
//!  POST_ROUTING  mangle -150 · nat(SNAT) 100 · confirm
//! ```
//!
//! iptables-nft creates a table (and its built-in chains) when a command
//! first uses it, so an untouched namespace has no tables, hooks nothing,
//! and tracks no connections (nf_ct_netns_get happens with the first rule
//! that needs conntrack).

pub mod ct;
pub mod eval;
pub mod hook;
pub mod index;
pub mod log;
pub mod names;
pub mod nat;
pub mod ops;
pub mod rule;
pub mod save;
pub mod tcpmss;
pub mod validate;

use crate::types::Time;
pub use ct::{Conn, Conntrack, CtInfo, Tuple};
pub use rule::{Counters, Match, Rule, Target};
use serde::{Deserialize, Serialize};

/// The address family a table belongs to (NFPROTO_IPV4 / NFPROTO_IPV6):
/// iptables and ip6tables keep separate tables (`table ip filter` and
/// `table ip6 filter` in nft), evaluated for their own packets only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Family {
    #[default]
    Ipv4,
    Ipv6,
}

/// The five hooks (NF_INET_*), in their numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Hook {
    PreRouting = 0,
    LocalIn = 1,
    Forward = 2,
    LocalOut = 3,
    PostRouting = 4,
}

impl Hook {
    pub const ALL: [Hook; 5] = [
        Hook::PreRouting,
        Hook::LocalIn,
        Hook::Forward,
        Hook::LocalOut,
        Hook::PostRouting,
    ];
    /// The built-in chain's name.
    pub fn chain_name(self) -> &'static str {
        match self {
            Hook::PreRouting => "PREROUTING",
            Hook::LocalIn => "INPUT",
            Hook::Forward => "FORWARD",
            Hook::LocalOut => "OUTPUT",
            Hook::PostRouting => "POSTROUTING",
        }
    }
    pub fn from_chain_name(s: &str) -> Option<Hook> {
        Hook::ALL.into_iter().find(|h| h.chain_name() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TableId {
    Raw,
    Mangle,
    Nat,
    Filter,
    Security,
}

impl TableId {
    pub const ALL: [TableId; 5] = [
        TableId::Raw,
        TableId::Mangle,
        TableId::Nat,
        TableId::Filter,
        TableId::Security,
    ];
    pub fn name(self) -> &'static str {
        match self {
            TableId::Raw => "raw",
            TableId::Mangle => "mangle",
            TableId::Nat => "nat",
            TableId::Filter => "filter",
            TableId::Security => "security",
        }
    }
    pub fn from_name(s: &str) -> Option<TableId> {
        TableId::ALL.into_iter().find(|t| t.name() == s)
    }
    /// The hooks the table's built-in chains sit at, in iptables' listing order.
    pub fn hooks(self) -> &'static [Hook] {
        use Hook::*;
        match self {
            TableId::Raw => &[PreRouting, LocalOut],
            TableId::Mangle => &[PreRouting, LocalIn, Forward, LocalOut, PostRouting],
            TableId::Nat => &[PreRouting, LocalIn, LocalOut, PostRouting],
            TableId::Filter | TableId::Security => &[LocalIn, Forward, LocalOut],
        }
    }
    fn index(self) -> usize {
        self as usize
    }
    /// The table's bit in `Netfilter::table_mask`.
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A built-in chain's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Policy {
    Accept,
    Drop,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    pub name: String,
    /// Set for built-in chains.
    pub hook: Option<Hook>,
    pub policy: Policy,
    /// The policy's counters (built-in chains).
    pub counters: Counters,
    /// Whether the policy counts: iptables-nft creates a base chain
    /// without a counter and adds one on `-Z` or `-P`.
    #[serde(default)]
    pub policy_counted: bool,
    pub rules: Vec<Rule>,
    /// The nf_tables handle of the chain; 0 for a built-in chain that
    /// iptables-nft has not created yet (it does so on the first command
    /// that writes to it), which nft therefore never runs or traces.
    #[serde(default)]
    pub handle: u64,
}

impl Chain {
    pub fn builtin(hook: Hook) -> Chain {
        Chain {
            name: hook.chain_name().into(),
            hook: Some(hook),
            policy: Policy::Accept,
            counters: Counters::default(),
            policy_counted: false,
            rules: Vec::new(),
            handle: 0,
        }
    }
    pub fn user(name: &str) -> Chain {
        Chain {
            name: name.into(),
            hook: None,
            policy: Policy::Accept,
            counters: Counters::default(),
            policy_counted: false,
            rules: Vec::new(),
            handle: 0,
        }
    }
}

/// One table: its chains, built-in ones first in hook order, then
/// user-defined ones in creation order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub id: TableId,
    #[serde(default)]
    pub family: Family,
    pub chains: Vec<Chain>,
    /// The last nf_tables handle given out in this table: chains and rules
    /// draw from one counter per table, in creation order, never reused.
    #[serde(default)]
    pub last_handle: u64,
    /// Rules by source address, for long chains (derived, rebuilt on use).
    #[serde(skip)]
    pub(crate) index: index::RuleIndex,
}

impl Table {
    /// An IPv4 table.
    pub fn new(id: TableId) -> Table {
        Table::new_in(Family::Ipv4, id)
    }
    pub fn new_in(family: Family, id: TableId) -> Table {
        Table {
            id,
            family,
            chains: id.hooks().iter().map(|h| Chain::builtin(*h)).collect(),
            last_handle: 0,
            index: Default::default(),
        }
    }
    /// Creates chain `i` in nf_tables (gives it a handle) unless it exists.
    pub fn create_chain(&mut self, i: usize) {
        if self.chains[i].handle == 0 {
            self.last_handle += 1;
            self.chains[i].handle = self.last_handle;
        }
    }
    /// Gives every rule added since the last call its handle, in chain
    /// order (what the kernel does as the batch's rules arrive).
    pub fn number_rules(&mut self) {
        for c in &mut self.chains {
            for r in c.rules.iter_mut().filter(|r| r.handle == 0) {
                self.last_handle += 1;
                r.handle = self.last_handle;
            }
        }
    }
    pub fn chain(&self, name: &str) -> Option<&Chain> {
        self.chains.iter().find(|c| c.name == name)
    }
    pub fn chain_mut(&mut self, name: &str) -> Option<&mut Chain> {
        self.chains.iter_mut().find(|c| c.name == name)
    }
    pub fn chain_index(&self, name: &str) -> Option<usize> {
        self.chains.iter().position(|c| c.name == name)
    }
    /// How many rules jump or go to `name` (the "references" of `iptables -L`).
    pub fn references(&self, name: &str) -> usize {
        self.chains
            .iter()
            .flat_map(|c| &c.rules)
            .filter(|r| r.target.chain() == Some(name))
            .count()
    }
    /// Whether any rule needs connection tracking (state, conntrack and
    /// connmark matches; CONNMARK, CT and NAT targets). A nat table alone
    /// does not: nft registers conntrack for the expressions, not the chains.
    fn needs_conntrack(&self) -> bool {
        self.chains
            .iter()
            .flat_map(|c| &c.rules)
            .any(rule_needs_conntrack)
    }
}

/// Whether one rule needs connection tracking (see `Table::needs_conntrack`).
fn rule_needs_conntrack(r: &Rule) -> bool {
    r.matches.iter().any(|m| {
        matches!(
            m,
            Match::Conntrack(_) | Match::State { .. } | Match::Connmark { .. }
        )
    }) || matches!(
        r.target,
        Target::Connmark(_)
            | Target::Notrack
            | Target::NotrackAlias
            | Target::CtZone(_)
            | Target::NotrackZone(_)
            | Target::Snat(_)
            | Target::Dnat(_)
            | Target::Masquerade(_)
            | Target::Redirect(_)
            | Target::Netmap { .. }
    )
}

/// A namespace's netfilter state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Netfilter {
    /// Boxed: most namespaces have none, and five inline tables were a
    /// seventh of an empty namespace.
    tables: [Option<Box<Table>>; 5],
    /// The IPv6 tables, boxed once more: a namespace without any costs a
    /// pointer (a million namespaces are a target).
    #[serde(default)]
    tables6: Option<Box<[Option<Box<Table>>; 5]>>,
    pub conntrack: Conntrack,
    /// Whether conntrack hooks are registered in this namespace.
    pub ct_enabled: bool,
    /// The IPv6 connections (nf_conntrack_ipv6), a table of their own so
    /// IPv4 entries keep their size; made with the first one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conntrack6: Option<Box<Conntrack<std::net::Ipv6Addr>>>,
    /// Whether the IPv6 conntrack hooks are registered (an ip6tables rule
    /// needs them; registration is per family, as nf_ct_netns_get's).
    #[serde(default)]
    pub ct6_enabled: bool,
    /// The limit match's clock base (so a fresh limit starts full).
    #[serde(default)]
    pub epoch: Time,
    /// `xtables-monitor --trace` processes listening (NFNLGRP_NFTRACE);
    /// trace events are made and kept only while some listen.
    #[serde(default)]
    pub trace_listeners: u32,
    #[serde(skip)]
    pub traces: Vec<NfTrace>,
    #[serde(skip)]
    pub trace_seq: u32,
}

/// One nft trace event, as NFT_MSG_TRACE carries it to the listeners.
#[derive(Clone, Debug)]
pub struct NfTrace {
    /// The packet's trace id (random per skb, the same in every table).
    pub id: u32,
    pub table: TableId,
    pub step: eval::TraceStep,
}

impl Netfilter {
    /// The IPv4 table.
    pub fn table(&self, id: TableId) -> Option<&Table> {
        self.table_in(Family::Ipv4, id)
    }
    pub fn table_in(&self, fam: Family, id: TableId) -> Option<&Table> {
        match fam {
            Family::Ipv4 => self.tables[id.index()].as_deref(),
            Family::Ipv6 => self.tables6.as_ref()?[id.index()].as_deref(),
        }
    }
    /// The table's slot in its family's array (the IPv6 array made on demand).
    fn slot(&mut self, fam: Family, id: TableId) -> &mut Option<Box<Table>> {
        match fam {
            Family::Ipv4 => &mut self.tables[id.index()],
            Family::Ipv6 => &mut self.tables6.get_or_insert_with(Default::default)[id.index()],
        }
    }
    /// The IPv4 table, to change in place: its rule index is rebuilt on next use.
    pub fn table_mut(&mut self, id: TableId) -> Option<&mut Table> {
        self.table_mut_in(Family::Ipv4, id)
    }
    pub fn table_mut_in(&mut self, fam: Family, id: TableId) -> Option<&mut Table> {
        if fam == Family::Ipv6 && self.tables6.is_none() {
            return None;
        }
        let t = self.slot(fam, id).as_mut()?;
        t.index = Default::default();
        Some(t)
    }
    /// Installs a table wholesale in its family (what iptables does: it
    /// replaces the whole table in one commit, so a failed command changes
    /// nothing).
    pub fn replace_table(&mut self, mut t: Table) {
        t.index = Default::default();
        let (fam, id) = (t.family, t.id);
        *self.slot(fam, id) = Some(Box::new(t));
        self.refresh_ct();
    }
    /// Appends `rules` to chain `ci` of an existing table in place (one
    /// NFT_MSG_NEWRULE with NLM_F_APPEND each): the chain is created if
    /// iptables-nft had not yet, and each rule takes the next handle. For
    /// rules the caller knows cannot change the table's check (they jump
    /// nowhere and are allowed from every hook), so the cost does not grow
    /// with the table. False when there is no such table or chain.
    pub fn append_rules(&mut self, fam: Family, id: TableId, ci: usize, rules: Vec<Rule>) -> bool {
        let needs_ct = rules.iter().any(rule_needs_conntrack);
        let Some(t) = self.table_mut_in(fam, id) else {
            return false;
        };
        if ci >= t.chains.len() {
            return false;
        }
        t.create_chain(ci);
        for mut r in rules {
            t.last_handle += 1;
            r.handle = t.last_handle;
            t.chains[ci].rules.push(r);
        }
        if needs_ct {
            match fam {
                Family::Ipv4 => self.ct_enabled = true,
                Family::Ipv6 => self.ct6_enabled = true,
            }
        }
        true
    }
    /// Removes an IPv4 table.
    pub fn remove_table(&mut self, id: TableId) {
        self.remove_table_in(Family::Ipv4, id);
    }
    pub fn remove_table_in(&mut self, fam: Family, id: TableId) {
        if fam == Family::Ipv6 && self.tables6.is_none() {
            return;
        }
        *self.slot(fam, id) = None;
        if self
            .tables6
            .as_ref()
            .is_some_and(|t| t.iter().all(Option::is_none))
        {
            self.tables6 = None;
        }
        self.refresh_ct();
    }
    /// Conntrack's hooks are registered while some rule needs them
    /// (nf_ct_netns_get/put); entries outlive them until they time out.
    fn refresh_ct(&mut self) {
        self.ct_enabled = self.tables.iter().flatten().any(|t| t.needs_conntrack());
        self.ct6_enabled = self
            .tables6
            .iter()
            .flat_map(|a| a.iter().flatten())
            .any(|t| t.needs_conntrack());
    }
    /// Connections of both families (what /proc/sys's nf_conntrack_count
    /// and `conntrack -C` count).
    pub fn ct_count(&self) -> usize {
        self.conntrack.count() + self.conntrack6.as_ref().map_or(0, |t| t.count())
    }
    /// The tables of a family that exist, as a mask of `TableId::bit`s.
    pub fn table_mask(&self, fam: Family) -> u8 {
        let a = match fam {
            Family::Ipv4 => &self.tables,
            Family::Ipv6 => match &self.tables6 {
                Some(a) => &**a,
                None => return 0,
            },
        };
        TableId::ALL
            .into_iter()
            .filter(|t| a[t.index()].is_some())
            .fold(0, |m, t| m | t.bit())
    }
    /// The IPv4 tables.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.iter().flatten().map(|t| &**t)
    }
    pub fn tables_in(&self, fam: Family) -> impl Iterator<Item = &Table> {
        let six = match fam {
            Family::Ipv4 => None,
            Family::Ipv6 => self.tables6.as_deref(),
        };
        let four = (fam == Family::Ipv4).then_some(&self.tables);
        four.into_iter()
            .chain(six)
            .flatten()
            .flatten()
            .map(|t| &**t)
    }
}
