//! IPv4 multicast group membership of a device and the IGMPv3 state-change
//! reports a host sends when it joins or leaves a group (net/ipv4/igmp.c:
//! ip_mc_inc_group(), ip_mc_dec_group(), ip_mc_up()/ip_mc_down(),
//! igmp_ifc_event(), igmp_ifc_timer_expire(), igmpv3_send_cr()).
//!
//! Groups come from `ip addr add ... autojoin` and from a bridge's
//! multicast router discovery group (224.0.0.106, joined while snooping);
//! every running device is also in 224.0.0.1, which is never reported.
//! A device's list is kept only once it has a group of its own, so the
//! million plain devices of a big lab cost nothing here.
//!
//! A join (or a leave) owes `igmp_qrv` reports of the group (its crcount);
//! the interface timer sends one report of every owing group two jiffies
//! after the event, and the next ones each a random time within
//! `igmpv3_unsolicited_report_interval` later, until mr_ifc_count is spent.

use crate::error::{Errno, KResult, KernelError};
use crate::ipv4::route::OutRoute;
use crate::netfilter::hook::Skb;
use crate::types::{NsId, Time};
use crate::wire::checksum::checksum;
use crate::world::{Event, World};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// 224.0.0.1, joined by every running device (IGMP_ALL_HOSTS).
pub const ALL_HOSTS: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 1);
/// 224.0.0.22, where IGMPv3 reports go (IGMPV3_ALL_MCR).
pub const ALL_MCR: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 22);
/// 224.0.0.106, the multicast router discovery group a snooping bridge
/// joins (INADDR_ALLSNOOPERS_GROUP).
pub const ALL_SNOOPERS: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 106);

/// One jiffy at Debian's HZ=250.
const JIFFY: Time = Time::from_millis(4);

/// IGMPv3 group record types (include/uapi/linux/igmp.h).
const CHANGE_TO_INCLUDE: u8 = 3;
const CHANGE_TO_EXCLUDE: u8 = 4;

/// One group of a device (struct ip_mc_list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct McGroup {
    pub addr: Ipv4Addr,
    pub users: u32,
    /// State-change reports still owed for this group.
    pub crcount: u8,
}

impl McGroup {
    /// A group just joined by one user, owing no report yet.
    fn new(addr: Ipv4Addr) -> McGroup {
        McGroup {
            addr,
            users: 1,
            crcount: 0,
        }
    }
}

/// A device's IPv4 multicast state (the igmp half of struct in_device).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InDevMc {
    /// mc_list, newest first (ip_mc_inc_group links at the head).
    pub groups: Vec<McGroup>,
    /// mc_tomb: groups left whose TO_IN {} reports are still owed.
    pub tomb: Vec<McGroup>,
    /// mr_ifc_count: how many more times the interface timer reports.
    pub ifc_count: u8,
    /// When mr_ifc_timer fires, if armed (a stale event finds it moved).
    pub ifc_at: Option<Time>,
}

/// ipv4_is_local_multicast(): 224.0.0.0/24, never routed.
pub fn is_local_multicast(a: Ipv4Addr) -> bool {
    a.octets()[..3] == [224, 0, 0]
}

/// The Ethernet address an IPv4 group maps to (ip_eth_mc_map()).
pub fn eth_mc_map(a: Ipv4Addr) -> crate::types::Mac {
    let o = a.octets();
    crate::types::Mac([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]])
}

impl World {
    /// The groups device `ifindex` is in, newest first, with their users
    /// (what /proc/net/igmp and `ip maddr` list): 224.0.0.1 only while up.
    pub fn mc_groups4(&self, ns: NsId, ifindex: u32) -> Vec<(Ipv4Addr, u32)> {
        let n = self.ns(ns);
        match n.mc4.get(&ifindex) {
            Some(mc) => mc.groups.iter().map(|g| (g.addr, g.users)).collect(),
            None if n.dev(ifindex).is_some_and(|d| d.up) => vec![(ALL_HOSTS, 1)],
            None => Vec::new(),
        }
    }

    /// The device's list, made on its first own group: a running device
    /// is already in 224.0.0.1.
    fn in_dev_mc(&mut self, ns: NsId, ifindex: u32) -> &mut InDevMc {
        let up = self.ns(ns).dev(ifindex).is_some_and(|d| d.up);
        self.ns_mut(ns)
            .mc4
            .entry(ifindex)
            .or_insert_with(|| InDevMc {
                groups: up.then(|| McGroup::new(ALL_HOSTS)).into_iter().collect(),
                ..InDevMc::default()
            })
    }

    /// ip_mc_join_group() on the namespace's autojoin socket, as
    /// inet_rtm_newaddr() asks it before adding an `autojoin` address: a
    /// multicast group not yet joined there, within igmp_max_memberships.
    pub(crate) fn ip_mc_autojoin_check(&self, ns: NsId, a: &crate::addr::Ifaddr4) -> KResult<()> {
        let failed = |e: Errno| KernelError::ext(e, "ipv4: Multicast auto join failed");
        if !a.address.is_multicast() {
            return Err(failed(Errno::EINVAL));
        }
        let n = self.ns(ns);
        let joined = n.addrs4().iter().filter(|x| x.autojoin);
        if joined
            .clone()
            .any(|x| x.ifindex == a.ifindex && x.address == a.address)
        {
            return Err(failed(Errno::EADDRINUSE));
        }
        if joined.count() as i64 >= n.sysctl.get_int("net.ipv4.igmp_max_memberships") {
            return Err(failed(Errno::ENOBUFS));
        }
        Ok(())
    }

    /// ip_mc_inc_group(): one more user of `grp` on the device; a new group
    /// on a running device is reported (igmp_group_added()).
    pub(crate) fn ip_mc_inc_group(&mut self, ns: NsId, ifindex: u32, grp: Ipv4Addr) {
        let up = self.ns(ns).dev(ifindex).is_some_and(|d| d.up);
        let mc = self.in_dev_mc(ns, ifindex);
        if let Some(g) = mc.groups.iter_mut().find(|g| g.addr == grp) {
            g.users += 1;
            return;
        }
        // igmpv3_del_delrec(): a group rejoined before its leave was
        // reported is not left any more.
        mc.tomb.retain(|g| g.addr != grp);
        mc.groups.insert(0, McGroup::new(grp));
        if up {
            self.igmp_group_added(ns, ifindex, grp);
        }
    }

    /// ip_mc_dec_group(): one user less; the last one leaves the group,
    /// which a running device reports (igmp_group_dropped()).
    pub(crate) fn ip_mc_dec_group(&mut self, ns: NsId, ifindex: u32, grp: Ipv4Addr) {
        let up = self.ns(ns).dev(ifindex).is_some_and(|d| d.up);
        let qrv = self.igmp_qrv(ns);
        let Some(mc) = self.ns_mut(ns).mc4.get_mut(&ifindex) else {
            return;
        };
        let Some(i) = mc.groups.iter().position(|g| g.addr == grp) else {
            return;
        };
        mc.groups[i].users -= 1;
        if mc.groups[i].users > 0 {
            return;
        }
        let g = mc.groups.remove(i);
        if up && Self::reported(&g) {
            // igmpv3_add_delrec(): the leave is owed qrv times.
            mc.tomb.push(McGroup { crcount: qrv, ..g });
            self.igmp_ifc_event(ns, ifindex);
        }
    }

    /// ip_mc_up() (NETDEV_UP): 224.0.0.1 joined, and every group the
    /// device holds reported anew.
    pub(crate) fn ip_mc_up(&mut self, ns: NsId, ifindex: u32) {
        let Some(mc) = self.ns_mut(ns).mc4.get_mut(&ifindex) else {
            return;
        };
        // A list made while the device was coming up holds it already.
        mc.groups.retain(|g| g.addr != ALL_HOSTS);
        mc.groups.insert(0, McGroup::new(ALL_HOSTS));
        let groups: Vec<Ipv4Addr> = mc.groups.iter().map(|g| g.addr).collect();
        for g in groups {
            self.igmp_group_added(ns, ifindex, g);
        }
    }

    /// ip_mc_down() (NETDEV_DOWN): 224.0.0.1 left, the interface timer
    /// stopped; nothing more is reported while the device is down.
    pub(crate) fn ip_mc_down(&mut self, ns: NsId, ifindex: u32) {
        let Some(mc) = self.ns_mut(ns).mc4.get_mut(&ifindex) else {
            return;
        };
        mc.groups.retain(|g| g.addr != ALL_HOSTS);
        mc.tomb.clear();
        for g in &mut mc.groups {
            g.crcount = 0;
        }
        mc.ifc_count = 0;
        mc.ifc_at = None;
    }

    /// Whether a group is ever reported: not 224.0.0.1, nor a link-local
    /// group unless igmp_link_local_mcast_reports (on by default).
    fn reported(g: &McGroup) -> bool {
        g.addr != ALL_HOSTS
    }

    fn igmp_qrv(&self, ns: NsId) -> u8 {
        self.ns(ns)
            .sysctl
            .get_int("net.ipv4.igmp_qrv")
            .clamp(1, 255) as u8
    }

    /// igmp_group_added() in IGMPv3 mode: the group owes qrv reports.
    fn igmp_group_added(&mut self, ns: NsId, ifindex: u32, grp: Ipv4Addr) {
        let llm = self
            .ns(ns)
            .sysctl
            .get_int("net.ipv4.igmp_link_local_mcast_reports")
            != 0;
        let qrv = self.igmp_qrv(ns);
        let Some(mc) = self.ns_mut(ns).mc4.get_mut(&ifindex) else {
            return;
        };
        let Some(g) = mc.groups.iter_mut().find(|g| g.addr == grp) else {
            return;
        };
        if !Self::reported(g) || (is_local_multicast(grp) && !llm) {
            return;
        }
        g.crcount = qrv;
        self.igmp_ifc_event(ns, ifindex);
    }

    /// igmp_ifc_event(): qrv reports are due, the first in two jiffies.
    fn igmp_ifc_event(&mut self, ns: NsId, ifindex: u32) {
        let qrv = self.igmp_qrv(ns);
        if let Some(mc) = self.ns_mut(ns).mc4.get_mut(&ifindex) {
            mc.ifc_count = qrv;
        }
        self.igmp_ifc_start_timer(ns, ifindex, Time::ZERO);
    }

    /// igmp_ifc_start_timer(): a random delay below `max`, plus two jiffies.
    fn igmp_ifc_start_timer(&mut self, ns: NsId, ifindex: u32, max: Time) {
        let slots = max.0 / JIFFY.0;
        let tv = if slots == 0 {
            0
        } else {
            self.rng.next_u64() % slots
        };
        let at = self.now + Time(JIFFY.0 * (tv + 2));
        if let Some(mc) = self.ns_mut(ns).mc4.get_mut(&ifindex) {
            mc.ifc_at = Some(at);
            self.schedule(at, Event::IgmpIfc { ns, ifindex });
        }
    }

    /// igmp_ifc_timer_expire(): one state-change report, then the next
    /// within the unsolicited report interval while any are owed.
    pub(crate) fn igmp_ifc_timer(&mut self, ns: NsId, ifindex: u32) {
        let now = self.now;
        match self.ns_mut(ns).mc4.get_mut(&ifindex) {
            Some(mc) if mc.ifc_at == Some(now) => mc.ifc_at = None,
            _ => return,
        }
        self.igmpv3_send_cr(ns, ifindex);
        let Some(mc) = self.ns_mut(ns).mc4.get_mut(&ifindex) else {
            return;
        };
        if mc.ifc_count > 0 {
            mc.ifc_count -= 1;
            if mc.ifc_count > 0 {
                let n = self.ns(ns);
                let name = n.dev(ifindex).map_or("", |d| d.name.as_str());
                // IN_DEV_CONF_GET: the device's own value (or its default's).
                let ms = n
                    .sysctl
                    .conf4_own(name, "igmpv3_unsolicited_report_interval")
                    .max(0) as u64;
                self.igmp_ifc_start_timer(ns, ifindex, Time::from_millis(ms));
            }
        }
    }

    /// igmpv3_send_cr(): a report with a record for every group that owes
    /// one: TO_EX for groups joined (newest first), then TO_IN {} for the
    /// groups left.
    fn igmpv3_send_cr(&mut self, ns: NsId, ifindex: u32) {
        let Some(mc) = self.ns_mut(ns).mc4.get_mut(&ifindex) else {
            return;
        };
        let mut records: Vec<(u8, Ipv4Addr)> = Vec::new();
        for g in mc.tomb.iter_mut() {
            if g.crcount > 0 {
                records.push((CHANGE_TO_INCLUDE, g.addr));
                g.crcount -= 1;
            }
        }
        mc.tomb.retain(|g| g.crcount > 0);
        let mut joined: Vec<(u8, Ipv4Addr)> = Vec::new();
        for g in mc.groups.iter_mut() {
            if g.crcount > 0 {
                joined.push((CHANGE_TO_EXCLUDE, g.addr));
                g.crcount -= 1;
            }
        }
        // The kernel adds the groups' records before the tomb's.
        joined.extend(records);
        if !joined.is_empty() {
            self.igmpv3_sendpack(ns, ifindex, &joined);
        }
    }

    /// igmpv3_newpack() + igmpv3_sendpack(): the report to 224.0.0.22 out
    /// of the device, TTL 1, TOS 0xc0, DF, Router Alert, from the device's
    /// own address or 0.0.0.0 (RFC 3376 4.2.13).
    fn igmpv3_sendpack(&mut self, ns: NsId, ifindex: u32, records: &[(u8, Ipv4Addr)]) {
        if !self.ns(ns).dev(ifindex).is_some_and(|d| d.up) {
            return;
        }
        let src = self
            .ns(ns)
            .addrs4_of(ifindex)
            .find(|a| !a.secondary && a.scope != crate::addr::Scope::Host)
            .map_or(Ipv4Addr::UNSPECIFIED, |a| a.local);
        let mut igmp = vec![0x22, 0, 0, 0, 0, 0];
        igmp.extend_from_slice(&(records.len() as u16).to_be_bytes());
        for (t, g) in records {
            igmp.extend_from_slice(&[*t, 0, 0, 0]);
            igmp.extend_from_slice(&g.octets());
        }
        let ck = checksum(&igmp);
        igmp[2..4].copy_from_slice(&ck.to_be_bytes());
        let total = (24 + igmp.len()) as u16;
        let mut p = self.take_buf();
        p.extend_from_slice(&[0x46, 0xc0]);
        p.extend_from_slice(&total.to_be_bytes());
        // DF with no socket: id 0 (ip_select_ident()).
        p.extend_from_slice(&[0, 0, 0x40, 0, 1, 2, 0, 0]);
        p.extend_from_slice(&src.octets());
        p.extend_from_slice(&ALL_MCR.octets());
        // IPOPT_RA: a router looks at the report.
        p.extend_from_slice(&[0x94, 0x04, 0, 0]);
        let ck = checksum(&p[..24]);
        p[10..12].copy_from_slice(&ck.to_be_bytes());
        p.extend_from_slice(&igmp);
        let rt = OutRoute {
            dev: ifindex,
            src,
            nexthop: ALL_MCR,
            rtype: crate::ipv4::fib::RouteType::Multicast,
            table: crate::ipv4::fib::RT_TABLE_MAIN,
            rule: None,
        };
        let _ = self.made(ns, |w| {
            w.ip_local_out(ns, p, rt, Some(ifindex), Skb::default())
        });
    }
}
