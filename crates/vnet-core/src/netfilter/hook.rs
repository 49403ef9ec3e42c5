//! The hooks: what runs at each of the five points of the IPv4 path
//! (`nf_hook`) and of the IPv6 path (`nf_hook6`), in priority order (see
//! the table in `mod.rs`), and the per-packet state the kernel keeps in
//! the skb (mark, conntrack, trace flag).

use super::ct::{self, status, Conn, Conntrack, CtAddr, CtInfo, Dir, Tuple};
use super::eval::{self, CtView, Pkt, Verdict};
use super::nat;
use super::rule::{NatRange, RejectWith, Target};
use super::save;
use super::{Family, Hook, NfTrace, TableId};
use crate::flow::Flowi4;
use crate::ipv4::fib::{Fib, RouteType, RT_TABLE_LOCAL};
use crate::trace::{DropReason, Trace};
use crate::types::NsId;
use crate::wire::ipv4::Ipv4Hdr;
use crate::wire::ipv6::IPV6_HLEN;
use crate::world::World;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The conntrack a packet carries (skb->_nfct and its ctinfo).
#[derive(Clone, Debug, Default)]
pub enum SkbCt {
    /// None yet, or not trackable (INVALID to the rules).
    #[default]
    None,
    Untracked,
    /// The first packet of a connection, not yet in the table.
    New(Box<Conn>),
    /// The first packet of an IPv6 connection.
    New6(Box<Conn<Ipv6Addr>>),
    /// A connection in the table of the packet's family (slot), and how
    /// the packet relates to it.
    Tracked(u32, CtInfo),
}

/// The skb's netfilter fields.
#[derive(Clone, Debug, Default)]
pub struct Skb {
    pub mark: u32,
    pub ct: SkbCt,
    pub nf_trace: bool,
    /// The id trace events of this packet carry (0 until first traced).
    pub trace_id: u32,
    /// PACKET_HOST 0, BROADCAST 1, MULTICAST 2.
    pub pkt_type: u8,
    /// The Ethernet header the packet arrived with.
    pub mac: Option<[u8; 14]>,
    /// CT --zone from the raw table.
    pub zone: u16,
    /// Sent from a user's full socket (ping's, nc's): LOG --log-uid shows
    /// its owner. Packets the kernel makes itself (echo replies, ICMP
    /// errors, RSTs, SYN-ACKs of request socks) have no socket file.
    pub sk_owner: bool,
    /// Came in on a loopback device: on the kernel the skb still carries
    /// the conntrack it went out with (see nf_conntrack_in).
    pub loopback_rx: bool,
}

impl Skb {
    /// The confirmed connection the packet belongs to, if any.
    pub fn ct_ref(&self) -> Option<(u32, CtInfo)> {
        match self.ct {
            SkbCt::Tracked(i, info) => Some((i, info)),
            _ => None,
        }
    }
}

/// The devices a hook's rules match on: by ifindex, their names looked up
/// only when a table is walked (most hooks of most packets walk none), or
/// already by name.
#[derive(Clone, Copy)]
enum HookDevs<'a> {
    Index(Option<u32>, Option<u32>),
    Name(&'a str, &'a str),
}

/// What nf_conntrack_in() found for a packet, in either family.
enum CtIn<A> {
    /// Not trackable, or refused by its tracker: INVALID to the rules.
    Invalid,
    Tracked(u32, CtInfo),
    New(Conn<A>),
    /// The table is full of assured connections: drop.
    Full,
}

/// The family-independent part of nf_conntrack_in(): the tuple's
/// connection gets the packet (its tracker moves it on), or a new one is
/// started. `l4` is the packet from its layer-4 header on.
fn ct_in<A: CtAddr>(
    table: &mut Conntrack<A>,
    to: ct::TimeoutOf,
    t: Tuple<A>,
    l4: &[u8],
    zone: u16,
    now: crate::types::Time,
) -> CtIn<A> {
    let mut found = table.find(&t, zone, now);
    for _ in 0..2 {
        if let Some((i, d)) = found {
            let c = table.get_mut(i).expect("live slot");
            let before = (c.status, c.tcp_state());
            match ct::packet(c, d, l4, now, to) {
                ct::Verdict::Accept => {}
                ct::Verdict::Invalid => return CtIn::Invalid,
                ct::Verdict::Repeat => {
                    table.remove(i, now);
                    found = None;
                    continue;
                }
            }
            let info = match d {
                Dir::Reply => {
                    c.status |= status::SEEN_REPLY;
                    CtInfo::EstablishedReply
                }
                Dir::Original if c.has(status::SEEN_REPLY) => CtInfo::Established,
                Dir::Original => CtInfo::New,
            };
            // IPCT_REPLY, IPCT_ASSURED, IPCT_PROTOINFO: an UPDATE event.
            if (c.status, c.tcp_state()) != before {
                let c = c.clone();
                table.event(ct::EventKind::Update, &c, now);
            }
            return CtIn::Tracked(i, info);
        }
        let Some(mut c) = ct::new_conn(l4, t, zone, now, to) else {
            return CtIn::Invalid;
        };
        let max = to.max;
        if max > 0 && table.count() as i64 >= max {
            // Expired entries go first; then early_drop() evicts a
            // connection that was never assured; if every one is, the
            // packet is dropped ("table full, dropping packet").
            if table.gc(now) == 0 && !table.early_drop(now) {
                return CtIn::Full;
            }
        }
        if ct::packet(&mut c, Dir::Original, l4, now, to) == ct::Verdict::Invalid {
            return CtIn::Invalid;
        }
        return CtIn::New(c);
    }
    CtIn::Invalid
}

/// The connection an ICMP error quotes, as RELATED in the error's
/// direction (nf_conntrack_inet_error): `inner` is the quoted packet's
/// tuple.
fn ct_related<A: CtAddr>(
    table: &Conntrack<A>,
    inner: Option<Tuple<A>>,
    zone: u16,
    now: crate::types::Time,
) -> Option<(u32, CtInfo)> {
    let (i, d) = table.find(&inner?.invert()?, zone, now)?;
    Some(match d {
        Dir::Original => (i, CtInfo::Related),
        Dir::Reply => (i, CtInfo::RelatedReply),
    })
}

/// What the hook decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NfVerdict {
    Accept,
    Drop,
}

/// What the IPv6 hook decided. A REJECT comes back to the IPv6 path,
/// which drops the packet and answers it (nf_send_unreach6() with the
/// code `RejectWith::icmp6_code` gives, or nf_send_reset6()).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nf6Verdict {
    Accept,
    Drop,
    Reject(RejectWith),
}

#[derive(Clone, Copy)]
enum Step {
    Table(TableId),
    Conntrack,
    Nat,
    Confirm,
}

const fn steps(h: Hook) -> &'static [Step] {
    use Step::{Confirm, Conntrack, Table as T};
    use TableId::{Filter, Mangle, Raw, Security};
    match h {
        Hook::PreRouting => &[T(Raw), Conntrack, T(Mangle), Step::Nat],
        Hook::LocalIn => &[T(Mangle), T(Filter), T(Security), Step::Nat, Confirm],
        Hook::Forward => &[T(Mangle), T(Filter), T(Security)],
        Hook::LocalOut => &[
            T(Raw),
            Conntrack,
            T(Mangle),
            Step::Nat,
            T(Filter),
            T(Security),
        ],
        Hook::PostRouting => &[T(Mangle), Step::Nat, Confirm],
    }
}

/// What a hook's steps need, as a mask: the `TableId::bit` of each table
/// with a chain there (the nat table's for NAT), and `CT_STEP` for
/// conntrack and confirm.
const fn hook_needs(h: Hook) -> u8 {
    let s = steps(h);
    let (mut m, mut i) = (0, 0);
    while i < s.len() {
        m |= match s[i] {
            Step::Table(t) => t.bit(),
            Step::Nat => TableId::Nat.bit(),
            Step::Conntrack | Step::Confirm => CT_STEP,
        };
        i += 1;
    }
    m
}

const CT_STEP: u8 = 0x80;

/// `hook_needs` by hook number.
const HOOK_NEEDS: [u8; 5] = [
    hook_needs(Hook::PreRouting),
    hook_needs(Hook::LocalIn),
    hook_needs(Hook::Forward),
    hook_needs(Hook::LocalOut),
    hook_needs(Hook::PostRouting),
];

/// inet_addr_type(): what an address is to this namespace.
pub fn addr_type(fib: &Fib, a: Ipv4Addr) -> u8 {
    const UNICAST: u8 = 1;
    const LOCAL: u8 = 2;
    const BROADCAST: u8 = 3;
    const MULTICAST: u8 = 5;
    if a.is_multicast() {
        return MULTICAST;
    }
    if a.is_broadcast() || a.octets()[0] == 0 {
        return BROADCAST;
    }
    match fib
        .table(RT_TABLE_LOCAL)
        .and_then(|t| t.first(a, |_| true))
        .map(|r| r.rtype)
    {
        Some(RouteType::Local) => LOCAL,
        Some(RouteType::Broadcast) => BROADCAST,
        _ => UNICAST,
    }
}

/// A chain traversal's end as a trace event: the rule in `iptables -S`
/// form (`-A FORWARD -s 10.0.1.0/24 -j ACCEPT`), the policy as `-P FORWARD
/// DROP`, and nothing for a user chain's end.
fn decision_event(
    ns: NsId,
    fam: Family,
    table: &super::Table,
    hook: Hook,
    d: eval::Decision,
) -> Trace {
    let chain = table.chains.get(d.chain);
    let name = chain.map_or(String::new(), |c| c.name.clone());
    let text = match (chain, d.rule) {
        (Some(c), Some(i)) => c.rules.get(i).map_or(String::new(), |r| {
            format!("-A {name}{}", save::rule_save(r, false))
        }),
        (Some(c), None) if c.hook.is_some() => {
            format!("-P {name} {}", save::policy_name(c.policy))
        }
        _ => String::new(),
    };
    Trace::Netfilter {
        ns,
        family: match fam {
            Family::Ipv4 => "ip",
            Family::Ipv6 => "ip6",
        },
        hook: hook.chain_name(),
        table: table.id.name(),
        chain: name,
        rule: d.rule.map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        text,
        verdict: d.verdict,
        tried: d.tried,
    }
}

/// A NAT target's name (for the event of the packet that set a mapping up).
fn nat_kind(t: &Target) -> Option<&'static str> {
    Some(match t {
        Target::Snat(_) => "SNAT",
        Target::Dnat(_) => "DNAT",
        Target::Masquerade(_) => "MASQUERADE",
        Target::Redirect(_) => "REDIRECT",
        Target::Netmap { .. } => "NETMAP",
        _ => return None,
    })
}

/// An IPv4 packet's addresses and ports as NAT sees them:
/// `10.0.1.2:1234 -> 10.0.2.2:80`, `10.0.1.2 -> 10.0.2.2 id 7` for an ICMP
/// query, the addresses alone for anything else.
fn nat_tuple(pkt: &[u8]) -> String {
    let Some(h) = Ipv4Hdr::new(pkt) else {
        return String::new();
    };
    let (src, dst) = (h.src(), h.dst());
    let l4 = h.payload();
    let first = h.frag_offset() == 0;
    let be = |i: usize| u16::from_be_bytes([l4[i], l4[i + 1]]);
    match h.protocol() {
        6 | 17 | 132 | 136 | 33 if first && l4.len() >= 4 => {
            format!("{src}:{} -> {dst}:{}", be(0), be(2))
        }
        1 if first && l4.len() >= 8 && matches!(l4[0], 0 | 8 | 13 | 14) => {
            format!("{src} -> {dst} id {}", be(4))
        }
        _ => format!("{src} -> {dst}"),
    }
}

impl World {
    /// Whether netfilter has anything to do in this namespace (a fast path
    /// for namespaces without tables or conntrack).
    pub(crate) fn nf_active(&self, ns: NsId) -> bool {
        let nf = &self.ns(ns).nf;
        nf.ct_enabled || nf.tables().next().is_some()
    }

    /// NF_HOOK(): runs everything registered at `hook` over the packet.
    /// Inline up to the test for an empty hook, which most calls stop at.
    #[inline]
    pub(crate) fn nf_hook(
        &mut self,
        ns: NsId,
        hook: Hook,
        pkt: &mut Vec<u8>,
        indev: Option<u32>,
        outdev: Option<u32>,
        skb: &mut Skb,
    ) -> NfVerdict {
        // The tables present, as a mask by TableId: what the kernel's hook
        // entry array holds (only registered hooks), read once per hook.
        // Nothing a hook's steps do adds or removes a table.
        let nf = &self.ns(ns).nf;
        let tables = nf.table_mask(Family::Ipv4);
        if tables == 0 && !nf.ct_enabled {
            return NfVerdict::Accept;
        }
        // Nothing registered at this hook (an empty hook entry array).
        let ct = nf.ct_enabled || matches!(skb.ct, SkbCt::New(_) | SkbCt::New6(_));
        if (tables | if ct { CT_STEP } else { 0 }) & HOOK_NEEDS[hook as usize] == 0 {
            return NfVerdict::Accept;
        }
        self.nf_hook_steps(ns, hook, pkt, indev, outdev, skb, tables)
    }

    /// The steps of a hook with something registered; `tables` as
    /// `Netfilter::table_mask` gives them.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn nf_hook_steps(
        &mut self,
        ns: NsId,
        hook: Hook,
        pkt: &mut Vec<u8>,
        indev: Option<u32>,
        outdev: Option<u32>,
        skb: &mut Skb,
        tables: u8,
    ) -> NfVerdict {
        let devs = HookDevs::Index(indev, outdev);
        for step in steps(hook) {
            let v = match *step {
                Step::Table(t) => {
                    if tables & t.bit() == 0 {
                        continue;
                    }
                    let v = self.nf_table(ns, Family::Ipv4, t, hook, pkt, devs, skb);
                    match v {
                        Verdict::Accept => NfVerdict::Accept,
                        Verdict::Drop => NfVerdict::Drop,
                        Verdict::Reject(w) => {
                            self.nf_reject(ns, pkt, w, skb);
                            NfVerdict::Drop
                        }
                        // A NAT target outside the nat table is refused by iptables.
                        Verdict::Nat(_) => NfVerdict::Accept,
                    }
                }
                Step::Conntrack => {
                    let v = self.nf_conntrack_in(ns, pkt, skb);
                    if self.ns(ns).nf.ct_enabled {
                        self.trace_ct(ns, hook, skb);
                    }
                    v
                }
                Step::Nat => {
                    if tables & TableId::Nat.bit() == 0 {
                        continue;
                    }
                    self.nf_nat(ns, hook, pkt, devs, indev, outdev, skb)
                }
                // Only a connection not yet in the table has anything to confirm.
                Step::Confirm if !matches!(skb.ct, SkbCt::New(_) | SkbCt::New6(_)) => continue,
                Step::Confirm => self.nf_confirm(ns, skb),
            };
            if v == NfVerdict::Drop {
                if self.tracer.is_some() {
                    let reason = match step {
                        Step::Conntrack => DropReason::ConntrackFull,
                        _ => DropReason::Netfilter,
                    };
                    self.trace_nf_drop(ns, reason);
                }
                return NfVerdict::Drop;
            }
        }
        NfVerdict::Accept
    }

    /// Whether any ip6tables table exists in the namespace (else the IPv6
    /// hooks have nothing to run, and the path need not copy a packet
    /// it holds by reference to offer it to them).
    pub fn nf_active6(&self, ns: NsId) -> bool {
        self.ns(ns).nf.tables_in(Family::Ipv6).next().is_some()
    }

    /// NF_HOOK() for IPv6 (NFPROTO_IPV6): the ip6tables tables registered
    /// at `hook`, in the same priority order as IPv4's (raw, mangle, filter,
    /// security), over an IPv6 packet from its header on. Called by the
    /// IPv6 path where the kernel calls it: ip6_rcv (PRE_ROUTING),
    /// ip6_input (LOCAL_IN), ip6_forward (FORWARD), ip6_local_out
    /// (LOCAL_OUT), ip6_output (POST_ROUTING). Conntrack runs where IPv4's
    /// does (while an ip6tables rule needs it); there is no IPv6 NAT.
    pub fn nf_hook6(
        &mut self,
        ns: NsId,
        hook: Hook,
        pkt: &mut [u8],
        indev: Option<u32>,
        outdev: Option<u32>,
        skb: &mut Skb,
    ) -> Nf6Verdict {
        if !self.nf_active6(ns) {
            return Nf6Verdict::Accept;
        }
        self.nf_hook6_devs(ns, hook, pkt, HookDevs::Index(indev, outdev), skb)
    }

    /// `nf_hook6` with the devices given by name ("" for none).
    pub fn nf_hook6_named(
        &mut self,
        ns: NsId,
        hook: Hook,
        pkt: &mut [u8],
        inname: &str,
        outname: &str,
        skb: &mut Skb,
    ) -> Nf6Verdict {
        self.nf_hook6_devs(ns, hook, pkt, HookDevs::Name(inname, outname), skb)
    }

    fn nf_hook6_devs(
        &mut self,
        ns: NsId,
        hook: Hook,
        pkt: &mut [u8],
        devs: HookDevs,
        skb: &mut Skb,
    ) -> Nf6Verdict {
        if pkt.len() < IPV6_HLEN || pkt[0] >> 4 != 6 {
            return Nf6Verdict::Drop;
        }
        for step in steps(hook) {
            let t = match *step {
                Step::Table(t) => t,
                Step::Conntrack => {
                    let v = self.nf_conntrack_in6(ns, pkt, skb);
                    if self.ns(ns).nf.ct6_enabled {
                        self.trace_ct(ns, hook, skb);
                    }
                    if v == NfVerdict::Drop {
                        return Nf6Verdict::Drop;
                    }
                    continue;
                }
                Step::Confirm => {
                    if self.nf_confirm(ns, skb) == NfVerdict::Drop {
                        return Nf6Verdict::Drop;
                    }
                    continue;
                }
                // No IPv6 NAT.
                Step::Nat => continue,
            };
            if self.ns(ns).nf.table_in(Family::Ipv6, t).is_none() {
                continue;
            }
            match self.nf_table(ns, Family::Ipv6, t, hook, pkt, devs, skb) {
                Verdict::Accept => {}
                Verdict::Drop | Verdict::Nat(_) => {
                    self.trace_nf_drop(ns, DropReason::Netfilter);
                    return Nf6Verdict::Drop;
                }
                Verdict::Reject(w) => {
                    self.trace_nf_drop(ns, DropReason::Netfilter);
                    return Nf6Verdict::Reject(w);
                }
            }
        }
        Nf6Verdict::Accept
    }

    /// Runs one table's chain for the hook, then writes what LOG produced.
    #[allow(clippy::too_many_arguments)]
    fn nf_table(
        &mut self,
        ns: NsId,
        fam: Family,
        t: TableId,
        hook: Hook,
        pkt: &mut [u8],
        devs: HookDevs,
        skb: &mut Skb,
    ) -> Verdict {
        let now = self.now;
        let mut logs = Vec::new();
        let mut traced = Vec::new();
        let mut decisions = Vec::new();
        let tracing = self.tracer.is_some();
        let n = self.netns[ns].as_mut().expect("namespace");
        let nf = &mut n.nf;
        let fib = &n.fib;
        let name = |i: Option<u32>| {
            i.and_then(|i| n.devs.get(&i))
                .map_or("", |d| d.name.as_str())
        };
        let (inname, outname) = match devs {
            HookDevs::Index(i, o) => (name(i), name(o)),
            HookDevs::Name(i, o) => (i, o),
        };
        // TCPMSS's path MTU: the output route's, and no more than the
        // route back to the sender's (tcpmss_reverse_mtu(): the input
        // device's here; a local sender's loopback route has room).
        // Asked only by TCPMSS, so no packet pays for the lookup otherwise.
        let devtab = &n.devs;
        let mtu_of = |name: &str| {
            (!name.is_empty())
                .then(|| devtab.values().find(|d| d.name == name))
                .flatten()
                .map(|d| d.mtu)
        };
        let path_mtu = || mtu_of(outname).map_or(0, |o| o.min(mtu_of(inname).unwrap_or(u32::MAX)));
        // The fields apart: the table is walked while conntrack is read.
        let table = match fam {
            Family::Ipv4 => nf.tables[t.index()].as_mut(),
            Family::Ipv6 => nf.tables6.as_mut().and_then(|a| a[t.index()].as_mut()),
        };
        let Some(table) = table else {
            return Verdict::Accept;
        };
        let at = |a| addr_type(fib, a);
        let ct = match &mut skb.ct {
            SkbCt::None => CtView::Invalid,
            SkbCt::Untracked => CtView::Untracked,
            SkbCt::New(c) => CtView::Tracked {
                conn: c,
                info: CtInfo::New,
            },
            SkbCt::New6(c) => CtView::Tracked6 {
                conn: c,
                info: CtInfo::New,
            },
            SkbCt::Tracked(i, info) if fam == Family::Ipv6 => {
                match nf.conntrack6.as_mut().and_then(|t| t.get_mut(*i)) {
                    Some(conn) => CtView::Tracked6 { conn, info: *info },
                    None => CtView::Invalid,
                }
            }
            SkbCt::Tracked(i, info) => match nf.conntrack.get_mut(*i) {
                Some(conn) => CtView::Tracked { conn, info: *info },
                None => CtView::Invalid,
            },
        };
        let mut p = Pkt {
            data: pkt,
            indev: inname,
            outdev: outname,
            path_mtu: &path_mtu,
            mark: &mut skb.mark,
            ct,
            pkt_type: skb.pkt_type,
            mac: skb.mac.as_ref().map(|m| &m[..]),
            now,
            addr_type: &at,
            logs: &mut logs,
            notrack: false,
            zone: None,
            trace: skb.nf_trace,
            traced: &mut traced,
            sk_owner: skb.sk_owner,
            decisions: tracing.then_some(&mut decisions),
        };
        let v = eval::do_table(table, hook, &mut p);
        let (notrack, zone, trace) = (p.notrack, p.zone, p.trace);
        // Built only when someone traces (no decisions are recorded otherwise).
        let events: Vec<Trace> = if decisions.is_empty() {
            Vec::new()
        } else {
            decisions
                .into_iter()
                .map(|d| decision_event(ns, fam, table, hook, d))
                .collect()
        };
        if !traced.is_empty() && nf.trace_listeners > 0 {
            if skb.trace_id == 0 {
                // Random per packet, as the kernel's hash of the skb is; drawn
                // without advancing the world's generator.
                nf.trace_seq = nf.trace_seq.wrapping_add(1);
                let mut r = crate::types::Rng(self.rng.0 ^ (u64::from(nf.trace_seq) << 17));
                skb.trace_id = (r.next_u64() as u32).max(1);
            }
            let id = skb.trace_id;
            nf.traces.extend(
                traced
                    .into_iter()
                    .map(|step| NfTrace { id, table: t, step }),
            );
        }
        if notrack && matches!(skb.ct, SkbCt::None) {
            skb.ct = SkbCt::Untracked;
        }
        if let Some(z) = zone {
            skb.zone = z;
        }
        skb.nf_trace |= trace;
        if !logs.is_empty() {
            self.nf_log(ns, logs);
        }
        if !events.is_empty() {
            // What a netfilter drop says decided it: the last chain's end.
            let last = events.last().filter(|_| v != Verdict::Accept);
            self.nf_decided = last.and_then(|e| match e {
                Trace::Netfilter {
                    family,
                    table,
                    chain,
                    rule,
                    text,
                    verdict,
                    ..
                } => {
                    let fam = if *family == "ip6" { "ip6 " } else { "" };
                    Some(match rule {
                        Some(n) => format!("{fam}{table}/{chain} rule {n}: {text}"),
                        None => format!("{fam}{table}/{chain} policy {verdict}"),
                    })
                }
                _ => None,
            });
            for ev in events {
                self.trace(|| ev);
            }
        }
        v
    }

    /// A netfilter drop as a trace event, with what decided it (the last
    /// chain's end the tables reported).
    fn trace_nf_drop(&mut self, ns: NsId, reason: DropReason) {
        let detail = self.nf_decided.take();
        self.trace(|| Trace::Drop {
            ns,
            dev: None,
            reason,
            kernel_reason: reason.kernel_name(),
            counter: reason.counter(),
            detail: if reason == DropReason::Netfilter {
                detail
            } else {
                None
            },
        });
    }

    /// Conntrack's classification of the packet, as the rules' `ctstate`
    /// sees it (the `Trace::Conntrack` event); only where conntrack's hooks
    /// are registered (else every packet would read INVALID).
    fn trace_ct(&mut self, ns: NsId, hook: Hook, skb: &Skb) {
        self.trace(|| {
            let (state, reply) = match &skb.ct {
                SkbCt::None => ("INVALID", false),
                SkbCt::Untracked => ("UNTRACKED", false),
                SkbCt::New(_) | SkbCt::New6(_) => ("NEW", false),
                SkbCt::Tracked(_, info) => (
                    match info {
                        CtInfo::New => "NEW",
                        CtInfo::Related | CtInfo::RelatedReply => "RELATED",
                        CtInfo::Established | CtInfo::EstablishedReply => "ESTABLISHED",
                    },
                    info.dir() == Dir::Reply,
                ),
            };
            Trace::Conntrack {
                ns,
                hook: hook.chain_name(),
                state,
                reply,
            }
        });
    }

    /// nf_conntrack_in(): attaches the packet's connection, creating it on
    /// the first packet; ICMP errors attach as RELATED to the connection of
    /// the packet they quote.
    fn nf_conntrack_in(&mut self, ns: NsId, pkt: &[u8], skb: &mut Skb) -> NfVerdict {
        if !self.ns(ns).nf.ct_enabled || !matches!(skb.ct, SkbCt::None) {
            return NfVerdict::Accept;
        }
        let now = self.now;
        let zone = skb.zone;
        let iph = Ipv4Hdr::new_unchecked(pkt);
        let l4 = iph.payload();
        if iph.protocol() == 1 && l4.len() >= 8 && ct::icmp_is_error(l4[0]) {
            let inner = Tuple::of_packet(&l4[8..]);
            if let Some((i, info)) = ct_related(&self.ns(ns).nf.conntrack, inner, zone, now) {
                skb.ct = SkbCt::Tracked(i, info);
            }
            return NfVerdict::Accept;
        }
        let Some(t) = Tuple::of_packet(pkt) else {
            return NfVerdict::Accept;
        };
        // Looped back after NAT: the packet is the translated form of one
        // direction of a connection that was tracked on the way out; it
        // keeps that connection and is not tracked again.
        if skb.loopback_rx && self.ns(ns).nf.conntrack.find(&t, zone, now).is_none() {
            let back = t
                .invert()
                .and_then(|u| self.ns(ns).nf.conntrack.find(&u, zone, now));
            if let Some((i, d)) = back {
                let c = self.ns(ns).nf.conntrack.get(i).expect("live slot");
                let info = match d {
                    Dir::Original => CtInfo::EstablishedReply,
                    Dir::Reply if c.has(status::SEEN_REPLY) => CtInfo::Established,
                    Dir::Reply => CtInfo::New,
                };
                skb.ct = SkbCt::Tracked(i, info);
                return NfVerdict::Accept;
            }
        }
        let n = self.netns[ns].as_mut().expect("namespace");
        let to = n.sysctl.ct_timeouts();
        let res = ct_in(&mut n.nf.conntrack, to, t, l4, zone, now);
        self.ct_in_done(res, skb, |c| SkbCt::New(Box::new(c)))
    }

    /// What nf_conntrack_in's lookup decided, onto the skb; a full table
    /// drops the packet with the kernel's message.
    fn ct_in_done<A>(
        &mut self,
        res: CtIn<A>,
        skb: &mut Skb,
        new: impl FnOnce(Conn<A>) -> SkbCt,
    ) -> NfVerdict {
        match res {
            CtIn::Invalid => {}
            CtIn::Tracked(i, info) => skb.ct = SkbCt::Tracked(i, info),
            CtIn::New(c) => skb.ct = new(c),
            CtIn::Full => {
                self.printk("nf_conntrack: nf_conntrack: table full, dropping packet");
                return NfVerdict::Drop;
            }
        }
        NfVerdict::Accept
    }

    /// nf_conntrack_in() for IPv6 (nf_conntrack_ipv6): ICMPv6 errors are
    /// RELATED to the connection of the packet they quote; neighbour
    /// discovery and MLD are left untracked (nf_conntrack_icmpv6_error's
    /// noct_valid_new); everything else is tracked as IPv4 is.
    fn nf_conntrack_in6(&mut self, ns: NsId, pkt: &[u8], skb: &mut Skb) -> NfVerdict {
        if !self.ns(ns).nf.ct6_enabled || !matches!(skb.ct, SkbCt::None) {
            return NfVerdict::Accept;
        }
        let now = self.now;
        let zone = skb.zone;
        let Some((off, proto)) = ct::ipv6_l4(pkt) else {
            return NfVerdict::Accept;
        };
        let l4 = &pkt[off..];
        if proto == 58 && !l4.is_empty() {
            let typ = l4[0];
            if ct::icmpv6_untracked(typ) {
                skb.ct = SkbCt::Untracked;
                return NfVerdict::Accept;
            }
            if typ < 128 {
                let inner = l4.get(8..).and_then(Tuple::of_packet6);
                let table = self.ns(ns).nf.conntrack6.as_deref();
                if let Some((i, info)) = table.and_then(|t| ct_related(t, inner, zone, now)) {
                    skb.ct = SkbCt::Tracked(i, info);
                }
                return NfVerdict::Accept;
            }
        }
        let Some(t) = Tuple::of_packet6(pkt) else {
            return NfVerdict::Accept;
        };
        let n = self.netns[ns].as_mut().expect("namespace");
        let to = n.sysctl.ct_timeouts();
        let table = n.nf.conntrack6.get_or_insert_with(Default::default);
        let res = ct_in(table, to, t, l4, zone, now);
        self.ct_in_done(res, skb, |c| SkbCt::New6(Box::new(c)))
    }

    /// __nf_conntrack_confirm(): a new connection enters the table once its
    /// first packet has passed every hook.
    fn nf_confirm(&mut self, ns: NsId, skb: &mut Skb) -> NfVerdict {
        let now = self.now;
        let nf = &mut self.ns_mut(ns).nf;
        let slot = match std::mem::take(&mut skb.ct) {
            SkbCt::New(c) => nf.conntrack.confirm(*c, now),
            SkbCt::New6(c) => nf
                .conntrack6
                .get_or_insert_with(Default::default)
                .confirm(*c, now),
            other => {
                skb.ct = other;
                return NfVerdict::Accept;
            }
        };
        match slot {
            Some(i) => {
                skb.ct = SkbCt::Tracked(i, CtInfo::New);
                NfVerdict::Accept
            }
            None => NfVerdict::Drop,
        }
    }

    /// nf_nat_inet_fn(): binds a new connection by the nat table's rules
    /// (or a null binding), then rewrites the packet per its connection.
    #[allow(clippy::too_many_arguments, clippy::ptr_arg)]
    fn nf_nat(
        &mut self,
        ns: NsId,
        hook: Hook,
        pkt: &mut Vec<u8>,
        devs: HookDevs,
        indev: Option<u32>,
        outdev: Option<u32>,
        skb: &mut Skb,
    ) -> NfVerdict {
        let m = nat::hook_manip(hook);
        // The tuple before, and the target that set the mapping up (only
        // when someone traces).
        let before = self.tracer.is_some().then(|| nat_tuple(pkt));
        let mut kind = match m {
            nat::Manip::Src => "SNAT",
            nat::Manip::Dst => "DNAT",
        };
        if let SkbCt::New(c) = &skb.ct {
            if !nat::initialized(c, m) {
                let v = self.nf_table(ns, Family::Ipv4, TableId::Nat, hook, pkt, devs, skb);
                let (range, masq) = match v {
                    Verdict::Accept => (None, false),
                    Verdict::Drop | Verdict::Reject(_) => return NfVerdict::Drop,
                    Verdict::Nat(t) => match self.nat_range(ns, &t, pkt, indev, outdev, hook) {
                        Some(r) => {
                            kind = nat_kind(&t).unwrap_or(kind);
                            (Some(r), matches!(t, Target::Masquerade(_)))
                        }
                        None => return NfVerdict::Drop,
                    },
                };
                let now = self.now;
                let n = self.netns[ns].as_mut().expect("namespace");
                let SkbCt::New(c) = &mut skb.ct else {
                    return NfVerdict::Accept;
                };
                let mut cx = nat::Ctx {
                    table: &n.nf.conntrack,
                    now,
                    rng: &mut self.rng,
                };
                nat::setup(c, m, range.as_ref(), &mut cx);
                if masq {
                    c.masq_index = outdev;
                }
            }
        }
        let n = self.netns[ns].as_ref().expect("namespace");
        let (conn, info): (&Conn, CtInfo) = match &skb.ct {
            SkbCt::New(c) => (c, CtInfo::New),
            SkbCt::Tracked(i, info) => match n.nf.conntrack.get(*i) {
                Some(c) => (c, *info),
                None => return NfVerdict::Accept,
            },
            _ => return NfVerdict::Accept,
        };
        match info {
            CtInfo::Related | CtInfo::RelatedReply => {
                if Ipv4Hdr::new_unchecked(pkt).protocol() == 1 {
                    nat::icmp_reply_translation(conn, info.dir(), m, pkt);
                }
            }
            _ => nat::packet(conn, info.dir(), m, pkt),
        }
        if let Some(before) = before {
            let after = nat_tuple(pkt);
            if after != before {
                self.trace(|| Trace::Nat {
                    ns,
                    hook: hook.chain_name(),
                    kind,
                    before,
                    after,
                });
            }
        }
        NfVerdict::Accept
    }

    /// The range a NAT target maps into, for this packet
    /// (MASQUERADE: the out device's address; REDIRECT: the in device's).
    fn nat_range(
        &mut self,
        ns: NsId,
        t: &Target,
        pkt: &[u8],
        indev: Option<u32>,
        outdev: Option<u32>,
        hook: Hook,
    ) -> Option<NatRange> {
        let n = self.ns(ns);
        let iph = Ipv4Hdr::new_unchecked(pkt);
        let dst = iph.dst();
        let one = |a: Ipv4Addr, r: &NatRange| NatRange {
            addr: Some((a, a)),
            ..*r
        };
        match t {
            Target::Snat(r) | Target::Dnat(r) => Some(*r),
            Target::Masquerade(r) => {
                let o = outdev?;
                // nf_nat_masquerade_ipv4(): the source the route would pick.
                let nh = self
                    .route_output(ns, &Flowi4::output(dst, None, Some(o)))
                    .map(|rt| rt.nexthop)
                    .unwrap_or(dst);
                let a = n.select_src4(o, Some(nh), crate::addr::Scope::Universe)?;
                Some(one(a, r))
            }
            Target::Redirect(r) => {
                let a = if hook == Hook::LocalOut {
                    Ipv4Addr::LOCALHOST
                } else {
                    let i = indev?;
                    n.addrs4.iter().find(|a| a.ifindex == i).map(|a| a.local)?
                };
                Some(one(a, r))
            }
            Target::Netmap { addr, mask } => {
                let m = u32::from(*mask);
                let (old, base) = if hook == Hook::PreRouting || hook == Hook::LocalOut {
                    (dst, *addr)
                } else {
                    (iph.src(), *addr)
                };
                let new = Ipv4Addr::from((u32::from(old) & !m) | (u32::from(base) & m));
                Some(one(new, &NatRange::EMPTY))
            }
            _ => None,
        }
    }

    /// REJECT: an ICMP error or a TCP reset back to the sender.
    fn nf_reject(&mut self, ns: NsId, pkt: &[u8], w: RejectWith, skb: &Skb) {
        let ct = skb.ct_ref();
        match w.icmp_code() {
            Some(code) => self.icmp_send(ns, pkt, crate::wire::icmp::DEST_UNREACH, code, 0, ct),
            None if Ipv4Hdr::new_unchecked(pkt).protocol() == 6 => self.tcp_reset_packet(ns, pkt),
            None => {}
        }
    }

    /// Deletes the connections MASQUERADE made through a device when it goes
    /// down (masq_device_event), or those mapped to an address it loses
    /// (masq_inet_event).
    pub(crate) fn nf_masq_cleanup(&mut self, ns: NsId, ifindex: u32, addr: Option<Ipv4Addr>) {
        let now = self.now;
        let nf = &mut self.ns_mut(ns).nf;
        if nf.conntrack.count() == 0 {
            return;
        }
        let dead: Vec<u32> = nf
            .conntrack
            .iter()
            .filter(|(_, c)| {
                c.masq_index == Some(ifindex) && addr.is_none_or(|a| c.tuple[1].dst == a)
            })
            .map(|(i, _)| i)
            .collect();
        for i in dead {
            nf.conntrack.remove(i, now);
        }
    }

    /// The conntrack table's garbage collection, for listings.
    pub fn nf_conntrack_gc(&mut self, ns: NsId) {
        let now = self.now;
        self.ns_mut(ns).nf.conntrack.gc(now);
    }

    /// Seconds left before a connection expires, as /proc shows them.
    /// A listing always comes some time after the last packet (a syscall
    /// at least), so a timeout just set to 30 s reads 29, as on the kernel.
    pub fn ct_seconds_left<A: CtAddr>(&self, c: &Conn<A>) -> u64 {
        c.timeout.0.saturating_sub(self.now.0).saturating_sub(1) / 1_000_000_000
    }
}
