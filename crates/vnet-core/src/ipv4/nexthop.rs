//! Nexthop objects (net/ipv4/nexthop.c): `ip nexthop`'s numbered next
//! hops and groups of them, and the routes that point at one (`ip route
//! add ... nhid N`). Read first: [`World::nexthop_add`], then
//! `World::nh_sync_routes`.
//!
//! A route through an object keeps its id and a copy of what the object
//! resolves to (its gateway and device, or a group's members as the
//! route's multipath next hops), so the lookup and the listings read the
//! route as they read any other; every change to the objects copies the
//! new resolution into the routes (as the kernel's routes share the one
//! object and see its change), and a route whose object goes goes too.
//!
//! Resilient groups keep the kernel's bucket table: buckets are handed to
//! the underweight members in the order nh_res_group_rebalance() lists them
//! (last member first). vnet does not mark buckets used by traffic, so a
//! bucket counts as not used since it was migrated, which the kernel treats
//! as idle: an overweight member's buckets move at once, and the table is
//! balanced after every change (unbalanced_time stays 0).

use crate::addr::Scope;
use crate::error::{Errno, KResult, KernelError};
use crate::ipv4::fib::{FibNh, Nexthops, Route, RouteType};
use crate::types::{NsId, Time};
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A nexthop object (struct nexthop).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Nexthop {
    pub id: u32,
    /// nh_protocol (RTPROT_*; `ip nexthop add ... proto X`).
    pub protocol: u8,
    pub kind: NhKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NhKind {
    Single(NhInfo),
    Group(NhGroup),
}

/// One next hop (struct nh_info).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NhInfo {
    /// AF_INET6 rather than AF_INET.
    pub v6: bool,
    pub gateway: Option<IpAddr>,
    /// The device (loopback for a blackhole; None for an fdb next hop).
    pub dev: Option<u32>,
    /// nhc_scope: link through a gateway, host for a device alone.
    pub scope: Scope,
    pub onlink: bool,
    pub blackhole: bool,
    pub fdb: bool,
}

/// A group (struct nh_group): hash-threshold (mpath) or resilient.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NhGroup {
    pub members: Vec<NhGrpEntry>,
    pub fdb: bool,
    /// The bucket table of a resilient group.
    pub res: Option<ResTable>,
}

/// A member of a group and its weight (1..=255).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NhGrpEntry {
    pub id: u32,
    pub weight: u16,
}

/// struct nh_res_table: the buckets and the timers (kept in clock_t,
/// hundredths of a second, as they go over netlink).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResTable {
    pub idle_timer: u32,
    pub unbalanced_timer: u32,
    pub buckets: Vec<Bucket>,
}

/// One bucket: the member it sends to and when it was last given one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    pub nh: Option<u32>,
    pub used_time: Time,
}

/// A namespace's nexthop objects by id (net->nexthop.rb_root).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NhTable {
    by_id: BTreeMap<u32, Nexthop>,
    /// net->nexthop.last_id_allocated: where the search for a free id
    /// (`ip nexthop add id 0`, or no id) starts.
    last_id_allocated: u32,
}

impl NhTable {
    pub fn get(&self, id: u32) -> Option<&Nexthop> {
        self.by_id.get(&id)
    }
    /// Every object in id order (the order of a dump).
    pub fn iter(&self) -> impl Iterator<Item = &Nexthop> {
        self.by_id.values()
    }
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
    /// The groups `id` is a member of.
    fn parents(&self, id: u32) -> Vec<u32> {
        self.by_id
            .values()
            .filter(|n| matches!(&n.kind, NhKind::Group(g) if g.members.iter().any(|m| m.id == id)))
            .map(|n| n.id)
            .collect()
    }
    /// nexthop_num_path(): a group's members, else 1.
    fn num_path(&self, id: u32) -> usize {
        match self.get(id).map(|n| &n.kind) {
            Some(NhKind::Group(g)) => g.members.len(),
            _ => 1,
        }
    }
}

/// What `ip nexthop add|replace` asks for (rtm_to_nh_config's input).
#[derive(Clone, Debug, Default)]
pub struct NhConfig {
    /// 0: the kernel picks a free id.
    pub id: u32,
    pub protocol: u8,
    /// nhm.nh_family: None (AF_UNSPEC), Some(false) AF_INET, Some(true) AF_INET6.
    pub family_v6: Option<bool>,
    pub gateway: Option<IpAddr>,
    pub dev: Option<u32>,
    pub onlink: bool,
    pub blackhole: bool,
    pub fdb: bool,
    /// NHA_GROUP: ids and weights as the user gave them (1..=256).
    pub group: Option<Vec<NhGrpEntry>>,
    /// NHA_GROUP_TYPE resilient (else mpath).
    pub resilient: bool,
    /// NHA_RES_GROUP: buckets, and the timers in clock_t.
    pub buckets: Option<u16>,
    pub idle_timer: Option<u32>,
    pub unbalanced_timer: Option<u32>,
    /// NLM_F_REPLACE (`ip nexthop replace`).
    pub replace: bool,
}

/// NH_RES_DEFAULT_IDLE_TIMER: 120 s, in clock_t.
const DEFAULT_IDLE_TIMER: u32 = 120 * 100;

fn einval(msg: &'static str) -> KernelError {
    KernelError::ext(Errno::EINVAL, msg)
}

/// nh_res_group_rebalance(): how many buckets each member wants (its share
/// of `n`, rounded to the closest at each cumulative bound).
fn res_wants(members: &[NhGrpEntry], n: usize) -> Vec<usize> {
    let total: usize = members.iter().map(|m| usize::from(m.weight)).sum();
    let mut prev = 0;
    let mut w = 0;
    members
        .iter()
        .map(|m| {
            w += usize::from(m.weight);
            let upper = (n * w + total / 2) / total;
            let want = upper - prev;
            prev = upper;
            want
        })
        .collect()
}

/// nh_res_table_migrate_buckets(), nh_res_group_rebalance() and
/// nh_res_table_upkeep(): buckets of members gone are freed, and every
/// free bucket or bucket of an overweight member (idle: never used since
/// migrated) goes to the first underweight member, the list being the
/// members in reverse order.
fn res_upkeep(res: &mut ResTable, members: &[NhGrpEntry], now: Time) {
    for b in &mut res.buckets {
        if b.nh.is_some_and(|id| !members.iter().any(|m| m.id == id)) {
            b.nh = None;
        }
    }
    let wants = res_wants(members, res.buckets.len());
    let mut count: Vec<usize> = members
        .iter()
        .map(|m| res.buckets.iter().filter(|b| b.nh == Some(m.id)).count())
        .collect();
    let mut uw: Vec<usize> = (0..members.len())
        .rev()
        .filter(|&i| count[i] < wants[i])
        .collect();
    for b in &mut res.buckets {
        let Some(&to) = uw.first() else { break };
        let owner = b.nh.and_then(|id| members.iter().position(|m| m.id == id));
        let migrate = match owner {
            None => true,
            Some(i) => count[i] > wants[i],
        };
        if !migrate {
            continue;
        }
        if let Some(i) = owner {
            count[i] -= 1;
        }
        b.nh = Some(members[to].id);
        b.used_time = now;
        count[to] += 1;
        if count[to] == wants[to] {
            uw.remove(0);
        }
    }
}

/// clock_t (USER_HZ 100) of a span of virtual time, as the kernel reports
/// it through jiffies at HZ=250 (jiffies_delta_to_clock_t).
pub fn clock_t_of(t: Time) -> u64 {
    let jiffies = t.0 / 4_000_000;
    jiffies * 100 / 250
}

impl World {
    /// The nexthop objects of a namespace.
    pub fn nexthops(&self, ns: NsId) -> &NhTable {
        &self.ns(ns).nexthops
    }

    /// rtm_new_nexthop(): validates the request as rtm_to_nh_config() and
    /// nexthop_create() do, then inserts or replaces the object; returns
    /// its id.
    pub fn nexthop_add(&mut self, ns: NsId, cfg: &NhConfig) -> KResult<u32> {
        let spec = self.nh_config_check(ns, cfg)?;
        if cfg.replace && cfg.id == 0 {
            return Err(einval("Replace requires nexthop id"));
        }
        // insert_nexthop(): a new resilient group needs its size (checked
        // before an id is taken, so that a refusal changes nothing).
        let exists = cfg.id != 0 && self.ns(ns).nexthops.get(cfg.id).is_some();
        if cfg.resilient && cfg.group.is_some() && cfg.buckets.is_none() && !exists {
            return Err(einval(
                "Number of buckets not specified for nexthop group insertion",
            ));
        }
        let id = if cfg.id != 0 {
            cfg.id
        } else {
            self.nh_find_unused_id(ns)?
        };
        let now = self.now;
        let tbl = &self.ns(ns).nexthops;
        let old = tbl.get(id).cloned();
        let kind = match spec {
            NhKind::Group(mut g) => {
                if let Some(res) = &mut g.res {
                    match &old {
                        // replace_nexthop_grp(): the old table stays, its
                        // timers changed if given, its size never.
                        Some(Nexthop {
                            kind: NhKind::Group(NhGroup { res: Some(o), .. }),
                            ..
                        }) if cfg.replace => {
                            if cfg
                                .buckets
                                .is_some_and(|b| usize::from(b) != o.buckets.len())
                            {
                                return Err(einval(
                                    "Can not change number of buckets of a resilient nexthop group.",
                                ));
                            }
                            let mut t = o.clone();
                            t.idle_timer = cfg.idle_timer.unwrap_or(t.idle_timer);
                            t.unbalanced_timer = cfg.unbalanced_timer.unwrap_or(t.unbalanced_timer);
                            *res = t;
                        }
                        _ => {}
                    }
                    res_upkeep(res, &g.members, now);
                }
                NhKind::Group(g)
            }
            k => k,
        };
        match &old {
            Some(_) if !cfg.replace => return Err(Errno::EEXIST.into()),
            Some(o) => self.nh_replace_check(ns, o, &kind)?,
            None => {}
        }
        let nh = Nexthop {
            id,
            protocol: cfg.protocol,
            kind,
        };
        self.ns_mut(ns).nexthops.by_id.insert(id, nh);
        if old.is_some() {
            self.nh_sync_routes(ns);
        }
        Ok(id)
    }

    /// nh_find_unused_id(): the next id after the last one handed out that
    /// no object holds.
    fn nh_find_unused_id(&mut self, ns: NsId) -> KResult<u32> {
        let t = &mut self.ns_mut(ns).nexthops;
        let start = t.last_id_allocated;
        loop {
            t.last_id_allocated = t.last_id_allocated.wrapping_add(1);
            if t.last_id_allocated == start {
                return Err(einval("No unused id"));
            }
            if t.last_id_allocated != 0 && !t.by_id.contains_key(&t.last_id_allocated) {
                return Ok(t.last_id_allocated);
            }
        }
    }

    /// rtm_to_nh_config(), nh_check_attr_group() and nexthop_create(): the
    /// object the request describes, or the kernel's error for it.
    fn nh_config_check(&self, ns: NsId, cfg: &NhConfig) -> KResult<NhKind> {
        let n = self.ns(ns);
        match (cfg.family_v6, &cfg.group) {
            (Some(_), _) | (None, Some(_)) => {}
            (None, None) => return Err(einval("Invalid address family")),
        }
        if cfg.fdb && (cfg.dev.is_some() || cfg.blackhole) {
            return Err(einval(
                "Fdb attribute can not be used with encap, oif or blackhole",
            ));
        }
        if cfg.fdb && cfg.onlink {
            return Err(einval("Unsupported nexthop flags in ancillary header"));
        }
        if let Some(members) = &cfg.group {
            if cfg.family_v6.is_some() {
                return Err(einval("Invalid family for group"));
            }
            if members.is_empty() {
                return Err(einval("Invalid length for nexthop group attribute"));
            }
            for (i, m) in members.iter().enumerate() {
                if m.weight > 255 {
                    return Err(einval("Invalid value for weight"));
                }
                if members[i + 1..].iter().any(|x| x.id == m.id) {
                    return Err(einval("Nexthop id can not be used twice in a group"));
                }
            }
            for m in members {
                let Some(nh) = n.nexthops.get(m.id) else {
                    return Err(einval("Invalid nexthop id"));
                };
                let is_fdb = match &nh.kind {
                    NhKind::Group(g) if g.res.is_some() => {
                        return Err(einval(
                            "Resilient group can not be a nexthop within a group",
                        ))
                    }
                    NhKind::Group(_) => {
                        return Err(einval(
                            "Hash-threshold group can not be a nexthop within a group",
                        ))
                    }
                    NhKind::Single(i) if i.blackhole && members.len() > 1 => {
                        return Err(einval(
                            "Blackhole nexthop can not be used in a group with more than 1 path",
                        ))
                    }
                    NhKind::Single(i) => i.fdb,
                };
                if cfg.fdb && !is_fdb {
                    return Err(einval("FDB nexthop group can only have fdb nexthops"));
                }
                if !cfg.fdb && is_fdb {
                    return Err(einval("Non FDB nexthop group cannot have fdb nexthops"));
                }
            }
            if cfg.buckets == Some(0) {
                return Err(einval("Number of buckets needs to be non-0"));
            }
            let res = cfg.resilient.then(|| ResTable {
                idle_timer: cfg.idle_timer.unwrap_or(DEFAULT_IDLE_TIMER),
                unbalanced_timer: cfg.unbalanced_timer.unwrap_or(0),
                buckets: vec![
                    Bucket {
                        nh: None,
                        used_time: Time::ZERO
                    };
                    usize::from(cfg.buckets.unwrap_or(0))
                ],
            });
            return Ok(NhKind::Group(NhGroup {
                members: members.clone(),
                fdb: cfg.fdb,
                res,
            }));
        }
        let v6 = cfg.family_v6 == Some(true);
        if cfg.blackhole {
            if cfg.gateway.is_some() || cfg.dev.is_some() || cfg.fdb {
                return Err(einval(
                    "Blackhole attribute can not be used with gateway, oif, encap or fdb",
                ));
            }
            return Ok(NhKind::Single(NhInfo {
                v6,
                gateway: None,
                dev: Some(n.loopback_ifindex()),
                scope: Scope::Universe,
                onlink: false,
                blackhole: true,
                fdb: false,
            }));
        }
        if !cfg.fdb {
            let Some(d) = cfg.dev else {
                return Err(einval(
                    "Device attribute required for non-blackhole and non-fdb nexthops",
                ));
            };
            let dr = crate::dev::DevRef { ns, ifindex: d };
            match n.dev(d) {
                None => return Err(einval("Invalid device index")),
                Some(x) if !x.up => {
                    return Err(KernelError::ext(
                        Errno::ENETDOWN,
                        "Nexthop device is not up",
                    ))
                }
                Some(_) if !self.carrier(dr) => {
                    return Err(KernelError::ext(
                        Errno::ENETDOWN,
                        "Carrier for nexthop device is down",
                    ))
                }
                Some(_) => {}
            }
        }
        if cfg.gateway.is_none() && cfg.onlink {
            return Err(einval(
                "ONLINK flag can not be set for nexthop without a gateway",
            ));
        }
        let mut info = NhInfo {
            v6,
            gateway: cfg.gateway,
            dev: cfg.dev,
            scope: Scope::Link,
            onlink: cfg.onlink,
            blackhole: false,
            fdb: cfg.fdb,
        };
        if cfg.fdb {
            return Ok(NhKind::Single(info));
        }
        match cfg.gateway {
            Some(IpAddr::V4(gw)) => {
                // nh_create_ipv4(): fib_check_nh() in the main table.
                self.fib_check_nh(
                    ns,
                    crate::ipv4::fib::RT_TABLE_MAIN,
                    Some(gw),
                    cfg.dev,
                    cfg.onlink,
                )?;
                // The scope of the route the gateway was found through:
                // host for one of our own addresses.
                if !cfg.onlink && n.is_local4(gw) {
                    info.scope = Scope::Host;
                }
            }
            Some(IpAddr::V6(gw)) => {
                // fib6_nh_init(): a global gateway needs a route on the device.
                let dev = cfg.dev;
                let link_local = gw.segments()[0] & 0xffc0 == 0xfe80;
                if !cfg.onlink && !link_local {
                    let ok = self.fib6_lookup(ns, gw, dev).is_some_and(|r| {
                        r.gateway.is_none() && dev.is_none_or(|d| r.dev == Some(d))
                    });
                    if !ok {
                        // ip6_validate_gw(): no route to the gateway, no message.
                        return Err(Errno::EHOSTUNREACH.into());
                    }
                }
            }
            None if !v6 => info.scope = Scope::Host,
            None => {}
        }
        Ok(NhKind::Single(info))
    }

    /// replace_nexthop(): the new definition must suit the groups the
    /// object is in and keep its kind.
    fn nh_replace_check(&self, ns: NsId, old: &Nexthop, new: &NhKind) -> KResult<()> {
        let t = &self.ns(ns).nexthops;
        if let NhKind::Single(i) = new {
            if i.blackhole && t.parents(old.id).iter().any(|p| t.num_path(*p) > 1) {
                return Err(einval(
                    "Blackhole nexthop can not be a member of a group with more than one path",
                ));
            }
        }
        match (&old.kind, new) {
            (NhKind::Single(_), NhKind::Group(_)) => {
                Err(einval("Can not replace a nexthop with a nexthop group."))
            }
            (NhKind::Group(_), NhKind::Single(_)) => {
                Err(einval("Can not replace a nexthop group with a nexthop."))
            }
            (NhKind::Group(a), NhKind::Group(b)) if a.res.is_some() != b.res.is_some() => Err(
                einval("Can not replace a nexthop group with one of a different type."),
            ),
            _ => Ok(()),
        }
    }

    /// rtm_del_nexthop(): removes the object, its routes, and the groups
    /// it leaves empty.
    pub fn nexthop_del(&mut self, ns: NsId, id: u32) -> KResult<()> {
        if id == 0 {
            return Err(einval("Invalid nexthop id"));
        }
        if self.ns(ns).nexthops.get(id).is_none() {
            return Err(Errno::ENOENT.into());
        }
        self.remove_nexthop(ns, id);
        self.nh_sync_routes(ns);
        Ok(())
    }

    /// remove_nexthop(): the routes through it go (fib_flush), then it
    /// leaves every group it is in; a group left empty goes the same way.
    fn remove_nexthop(&mut self, ns: NsId, id: u32) {
        let n = self.ns_mut(ns);
        let Some(_) = n.nexthops.by_id.remove(&id) else {
            return;
        };
        for t in n.fib.tables.values_mut() {
            t.retain(|r| r.nhid != Some(id));
        }
        n.routes6.retain(|r| r.nhid != Some(id));
        let now = self.now;
        for p in self.ns(ns).nexthops.parents(id) {
            let n = self.ns_mut(ns);
            let Some(NhKind::Group(g)) = n.nexthops.by_id.get_mut(&p).map(|x| &mut x.kind) else {
                continue;
            };
            if g.members.len() == 1 {
                self.remove_nexthop(ns, p);
                continue;
            }
            g.members.retain(|m| m.id != id);
            let members = g.members.clone();
            if let Some(res) = &mut g.res {
                res_upkeep(res, &members, now);
            }
        }
    }

    /// nexthop_flush_dev(): a device going down (or losing its carrier,
    /// or going away) takes the objects through it along, but for
    /// blackholes (through lo) on down and carrier loss.
    pub(crate) fn nexthop_flush_dev(&mut self, ns: NsId, ifindex: u32, unregister: bool) {
        let t = &self.ns(ns).nexthops;
        if t.is_empty() {
            return;
        }
        let doomed: Vec<u32> = t
            .iter()
            .filter(|n| match &n.kind {
                NhKind::Single(i) => i.dev == Some(ifindex) && (unregister || !i.blackhole),
                NhKind::Group(_) => false,
            })
            .map(|n| n.id)
            .collect();
        if doomed.is_empty() {
            return;
        }
        for id in doomed {
            self.remove_nexthop(ns, id);
        }
        self.nh_sync_routes(ns);
    }

    /// Copies what each object now resolves to into the routes through it.
    pub(crate) fn nh_sync_routes(&mut self, ns: NsId) {
        let n = self.ns_mut(ns);
        let tbl = std::mem::take(&mut n.nexthops);
        for t in n.fib.tables.values_mut() {
            t.for_each_mut(|r| {
                if r.nhid.is_some() {
                    nh_fill_route(&tbl, r);
                }
            });
        }
        for r in n.routes6.iter_mut().filter(|r| r.nhid.is_some()) {
            nh_fill_route6(&tbl, r);
        }
        n.nexthops = tbl;
    }

    /// fib_create_info() for a route with `nhid`: the object must exist
    /// and suit the route's scope (fib_check_nexthop); the route gets its
    /// resolution.
    pub(crate) fn nh_route_check(&self, ns: NsId, r: &mut Route) -> KResult<()> {
        let t = &self.ns(ns).nexthops;
        let id = r.nhid.unwrap_or(0);
        let nh = t
            .get(id)
            .ok_or_else(|| einval("Nexthop id does not exist"))?;
        let first = match &nh.kind {
            NhKind::Group(g) => {
                if g.fdb {
                    return Err(einval("Route cannot point to a fdb nexthop"));
                }
                if r.scope == Scope::Host {
                    return Err(einval(
                        "Route with host scope can not have multiple nexthops",
                    ));
                }
                g.members.first().and_then(|m| t.get(m.id))
            }
            NhKind::Single(i) if i.fdb => {
                return Err(einval("Route cannot point to a fdb nexthop"))
            }
            NhKind::Single(_) => Some(nh),
        };
        if let Some(NhKind::Single(i)) = first.map(|n| &n.kind) {
            if r.scope == Scope::Host && i.gateway.is_some() {
                return Err(einval("Route with host scope can not have a gateway"));
            }
            if i.onlink && r.scope >= Scope::Link {
                return Err(einval("Scope mismatch with nexthop"));
            }
        }
        nh_fill_route(t, r);
        Ok(())
    }

    /// fib6_check_nexthop(): an IPv6 route takes no IPv4 next hop.
    pub(crate) fn nh_route6_check(&self, ns: NsId, r: &mut crate::netns::Route6) -> KResult<()> {
        let t = &self.ns(ns).nexthops;
        let id = r.nhid.unwrap_or(0);
        let nh = t
            .get(id)
            .ok_or_else(|| einval("Nexthop id does not exist"))?;
        let infos: Vec<&NhInfo> = match &nh.kind {
            NhKind::Single(i) => vec![i],
            NhKind::Group(g) => g
                .members
                .iter()
                .filter_map(|m| match t.get(m.id).map(|x| &x.kind) {
                    Some(NhKind::Single(i)) => Some(i),
                    _ => None,
                })
                .collect(),
        };
        if infos.iter().any(|i| !i.v6 && !i.blackhole) {
            return Err(einval("IPv6 routes can not use an IPv4 nexthop"));
        }
        if infos.iter().any(|i| i.fdb) {
            return Err(einval("Route cannot point to a fdb nexthop"));
        }
        nh_fill_route6(t, r);
        Ok(())
    }

    /// ip6_route_add() of a route with `nhid`: the object's resolution
    /// goes in as the route's gateway and device.
    pub fn route6_add_nhid(
        &mut self,
        ns: NsId,
        mut r: crate::netns::Route6,
        how: crate::ipv4::fib_frontend::RouteAdd,
    ) -> KResult<()> {
        if r.gateway.is_some() || r.dev.is_some() {
            return Err(einval(
                "Nexthop specification and nexthop id are mutually exclusive",
            ));
        }
        self.nh_route6_check(ns, &mut r)?;
        self.route6_add_how(ns, r, how)
    }

    /// nexthop_select_path_res(): the member a resilient group's bucket for
    /// `hash` sends to, if route `r` goes through one.
    pub(crate) fn nh_res_select(&self, ns: NsId, r: &Route, hash: u32) -> Option<usize> {
        let nh = self.ns(ns).nexthops.get(r.nhid?)?;
        let NhKind::Group(NhGroup {
            res: Some(res),
            members,
            ..
        }) = &nh.kind
        else {
            return None;
        };
        let b = res.buckets.get(hash as usize % res.buckets.len().max(1))?;
        members.iter().position(|m| Some(m.id) == b.nh)
    }
}

/// What route `r`'s object resolves to, written into the route: a single
/// next hop's gateway and device (a blackhole makes the route one, as
/// fib_dump_info and fib_table_lookup treat it), a group's members as
/// multipath next hops (one member: a plain route).
fn nh_fill_route(t: &NhTable, r: &mut Route) {
    let Some(nh) = r.nhid.and_then(|id| t.get(id)) else {
        return;
    };
    let single = |r: &mut Route, i: &NhInfo| {
        r.nh = Nexthops::Single;
        r.gateway = match i.gateway {
            Some(IpAddr::V4(g)) => Some(g),
            _ => None,
        };
        r.dev = i.dev;
        r.onlink = i.onlink;
        r.rtype = if i.blackhole {
            RouteType::Blackhole
        } else {
            RouteType::Unicast
        };
    };
    match &nh.kind {
        NhKind::Single(i) => single(r, i),
        NhKind::Group(g) => {
            let infos: Vec<(&NhInfo, u16)> = g
                .members
                .iter()
                .filter_map(|m| match t.get(m.id).map(|x| &x.kind) {
                    Some(NhKind::Single(i)) => Some((i, m.weight)),
                    _ => None,
                })
                .collect();
            match infos.as_slice() {
                [(i, _)] => single(r, i),
                _ => {
                    r.rtype = RouteType::Unicast;
                    r.gateway = None;
                    r.dev = None;
                    r.onlink = false;
                    r.nh = Nexthops::Multi(
                        infos
                            .iter()
                            .map(|(i, w)| FibNh {
                                gateway: match i.gateway {
                                    Some(IpAddr::V4(g)) => Some(g),
                                    _ => None,
                                },
                                dev: i.dev.unwrap_or(0),
                                weight: *w,
                                onlink: i.onlink,
                            })
                            .collect(),
                    );
                }
            }
        }
    }
}

/// The same for an IPv6 route: its first member's gateway and device.
fn nh_fill_route6(t: &NhTable, r: &mut crate::netns::Route6) {
    let Some(nh) = r.nhid.and_then(|id| t.get(id)) else {
        return;
    };
    let info = match &nh.kind {
        NhKind::Single(i) => Some(i),
        NhKind::Group(g) => g
            .members
            .first()
            .and_then(|m| match t.get(m.id).map(|x| &x.kind) {
                Some(NhKind::Single(i)) => Some(i),
                _ => None,
            }),
    };
    if let Some(i) = info {
        r.gateway = match i.gateway {
            Some(IpAddr::V6(g)) => Some(g),
            _ => None,
        };
        r.dev = i.dev;
        r.rtype = if i.blackhole {
            RouteType::Blackhole
        } else {
            RouteType::Unicast
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(ws: &[u16]) -> Vec<NhGrpEntry> {
        ws.iter()
            .enumerate()
            .map(|(i, &w)| NhGrpEntry {
                id: i as u32 + 1,
                weight: w,
            })
            .collect()
    }

    fn table(n: usize) -> ResTable {
        ResTable {
            idle_timer: DEFAULT_IDLE_TIMER,
            unbalanced_timer: 0,
            buckets: vec![
                Bucket {
                    nh: None,
                    used_time: Time::ZERO
                };
                n
            ],
        }
    }

    fn owners(t: &ResTable) -> Vec<u32> {
        t.buckets.iter().map(|b| b.nh.unwrap_or(0)).collect()
    }

    /// The kernel's order: the last member's buckets come first (the
    /// underweight list is built with list_add), as `ip nexthop bucket`
    /// shows for `group 1/2 type resilient buckets 8`.
    #[test]
    fn buckets_go_to_the_last_member_first() {
        let mut t = table(8);
        res_upkeep(&mut t, &members(&[1, 1]), Time::ZERO);
        assert_eq!(owners(&t), [2, 2, 2, 2, 1, 1, 1, 1]);
        let mut t = table(6);
        res_upkeep(&mut t, &members(&[1, 2]), Time::ZERO);
        assert_eq!(owners(&t), [2, 2, 2, 2, 1, 1]);
    }

    /// A member leaving frees only its buckets; a member joining takes
    /// buckets from the overweight ones, lowest index first.
    #[test]
    fn buckets_of_the_others_stay() {
        let mut t = table(8);
        let m = members(&[1, 1]);
        res_upkeep(&mut t, &m, Time::ZERO);
        let mut m3 = m.clone();
        m3.push(NhGrpEntry { id: 3, weight: 1 });
        res_upkeep(&mut t, &m3, Time::from_secs(1));
        // wants: 3, 2, 3 (closest bounds 3, 5, 8).
        let o = owners(&t);
        for (id, want) in [(1, 3), (2, 2), (3, 3)] {
            assert_eq!(o.iter().filter(|&&x| x == id).count(), want, "{o:?}");
        }
        assert_eq!(&o[6..], &[1, 1], "member 1 kept its last buckets: {o:?}");
        res_upkeep(&mut t, &m3[1..], Time::from_secs(2));
        let o2 = owners(&t);
        for (i, (a, b)) in o.iter().zip(&o2).enumerate() {
            if *a != 1 {
                assert_eq!(a, b, "bucket {i} moved: {o:?} -> {o2:?}");
            }
        }
    }

    /// HZ=250 jiffies to USER_HZ clock_t: 0.36 s is 36.
    #[test]
    fn clock_t_follows_the_jiffies() {
        assert_eq!(clock_t_of(Time::from_millis(360)), 36);
        assert_eq!(clock_t_of(Time::from_millis(3)), 0);
        assert_eq!(clock_t_of(Time::from_secs(60)), 6000);
    }
}
