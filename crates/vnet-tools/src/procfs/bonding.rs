//! The bonding driver's files: /proc/net/bonding/BOND (bond_procfs.c),
//! /sys/class/net/bonding_masters, a bond's bonding/ directory
//! (bond_sysfs.c) and a slave's bonding_slave/ (bond_sysfs_slave.c), as
//! Linux 6.1 prints them.

use super::Node;
use vnet_core::dev::bond::{
    self, Bond, BondOpt, SlaveLink, AD_SELECT_NAMES, ARP_ALL_TARGETS_NAMES, ARP_VALIDATE_NAMES,
    FAIL_OVER_MAC_NAMES, MODE_NAMES, PRIMARY_RESELECT_NAMES, XMIT_HASH_NAMES,
};
use vnet_core::dev::bond_3ad::{self, state, AdPort};
use vnet_core::dev::{DevKind, DevRef, Device};
use vnet_core::{Errno, NsId, World};

/// Whether the bonding module is loaded (its pernet init made
/// /proc/net/bonding in every namespace): recorded, or a bond exists.
pub(super) fn loaded(w: &World) -> bool {
    w.modules().iter().any(|m| m == "bonding")
        || w.netns_iter().any(|n| {
            w.host_of(n.id()) == w.cur_host()
                && n.devs()
                    .values()
                    .any(|d| matches!(d.kind, DevKind::Bond(_)))
        })
}

fn bonds(w: &World, ns: NsId) -> impl Iterator<Item = (&Device, &Bond)> {
    w.ns(ns).devs().values().filter_map(|d| match &d.kind {
        DevKind::Bond(b) => Some((d, &**b)),
        _ => None,
    })
}

/// /proc/net/bonding and its files.
pub(super) fn proc(w: &World, ns: NsId, tail: &[&str]) -> Option<Node> {
    match tail {
        [] => Some(Node::dir(bonds(w, ns).map(|(d, _)| d.name.clone()))),
        [name] => {
            let (d, b) = bonds(w, ns).find(|(d, _)| d.name == *name)?;
            Some(Node::text(info(w, ns, d, b)))
        }
        _ => None,
    }
}

/// bond_mode_name().
fn mode_name(m: u8) -> &'static str {
    [
        "load balancing (round-robin)",
        "fault-tolerance (active-backup)",
        "load balancing (xor)",
        "fault-tolerance (broadcast)",
        "IEEE 802.3ad Dynamic link aggregation",
        "transmit load balancing",
        "adaptive load balancing",
    ][m as usize]
}

fn name_of(w: &World, ns: NsId, i: u32) -> String {
    w.ns(ns).dev(i).map(|d| d.name.clone()).unwrap_or_default()
}

/// bond_3ad_churn_desc(): a port in sync has no churn; the 60 s churn
/// timer is not run here, so an unsynchronised one stays "monitoring".
fn churn(in_sync: bool) -> &'static str {
    if in_sync {
        "none"
    } else {
        "monitoring"
    }
}

/// bond_info_seq_show(): the master, then each slave.
fn info(w: &World, ns: NsId, d: &Device, b: &Bond) -> String {
    let p = &b.params;
    let r = DevRef {
        ns,
        ifindex: d.ifindex,
    };
    let mut s = format!(
        "Ethernet Channel Bonding Driver: v{}\n\n",
        crate::modules::KERNEL_RELEASE
    );
    s.push_str(&format!("Bonding Mode: {}", mode_name(p.mode)));
    if p.mode == bond::mode::ACTIVEBACKUP && p.fail_over_mac != 0 {
        s.push_str(&format!(
            " (fail_over_mac {})",
            FAIL_OVER_MAC_NAMES[p.fail_over_mac as usize]
        ));
    }
    s.push('\n');
    if b.uses_xmit_hash() || (p.mode == bond::mode::TLB && p.tlb_dynamic_lb == 0) {
        s.push_str(&format!(
            "Transmit Hash Policy: {} ({})\n",
            XMIT_HASH_NAMES[p.xmit_policy as usize], p.xmit_policy
        ));
    }
    if b.uses_primary() {
        match b.primary_slave(w, ns) {
            Some(pr) => s.push_str(&format!(
                "Primary Slave: {} (primary_reselect {})",
                name_of(w, ns, pr),
                PRIMARY_RESELECT_NAMES[p.primary_reselect as usize]
            )),
            None => s.push_str("Primary Slave: None"),
        }
        let curr = b
            .curr_active
            .map(|c| name_of(w, ns, c))
            .unwrap_or_else(|| "None".into());
        s.push_str(&format!("\nCurrently Active Slave: {curr}\n"));
    }
    let up = |x: bool| if x { "up" } else { "down" };
    s.push_str(&format!("MII Status: {}\n", up(w.carrier(r))));
    s.push_str(&format!("MII Polling Interval (ms): {}\n", p.miimon));
    s.push_str(&format!("Up Delay (ms): {}\n", p.updelay * p.miimon));
    s.push_str(&format!("Down Delay (ms): {}\n", p.downdelay * p.miimon));
    s.push_str(&format!(
        "Peer Notification Delay (ms): {}\n",
        p.peer_notif_delay * p.miimon
    ));
    if p.arp_interval > 0 {
        s.push_str(&format!("ARP Polling Interval (ms): {}\n", p.arp_interval));
        s.push_str(&format!("ARP Missed Max: {}\n", p.missed_max));
        let t: Vec<String> = p.arp_targets.iter().map(|a| format!(" {a}")).collect();
        s.push_str(&format!("ARP IP target/s (n.n.n.n form):{}\n", t.join(",")));
        let t: Vec<String> = p.ns_targets.iter().map(|a| format!(" {a}")).collect();
        s.push_str(&format!("NS IPv6 target/s (xx::xx form):{}\n", t.join(",")));
    }
    if p.mode == bond::mode::AD8023 {
        s.push_str("\n802.3ad info\n");
        s.push_str(&format!(
            "LACP active: {}\n",
            ["off", "on"][p.lacp_active as usize]
        ));
        s.push_str(&format!(
            "LACP rate: {}\n",
            ["slow", "fast"][p.lacp_fast as usize]
        ));
        s.push_str(&format!("Min links: {}\n", p.min_links));
        s.push_str(&format!(
            "Aggregator selection policy (ad_select): {}\n",
            AD_SELECT_NAMES[p.ad_select as usize]
        ));
        s.push_str(&format!("System priority: {}\n", p.ad_actor_sys_prio));
        s.push_str(&format!(
            "System MAC address: {}\n",
            bond_3ad::actor_system(w, r, b)
        ));
        match bond_3ad::active_agg_info(w, r, b) {
            None => s.push_str(&format!("bond {} has no active aggregator\n", d.name)),
            Some((id, n, key, pkey, pmac)) => {
                s.push_str("Active Aggregator Info:\n");
                s.push_str(&format!("\tAggregator ID: {id}\n"));
                s.push_str(&format!("\tNumber of ports: {n}\n"));
                s.push_str(&format!("\tActor Key: {key}\n"));
                s.push_str(&format!("\tPartner Key: {pkey}\n"));
                s.push_str(&format!("\tPartner Mac Address: {pmac}\n"));
            }
        }
    }
    for sl in &b.slaves {
        let sr = DevRef {
            ns,
            ifindex: sl.ifindex,
        };
        s.push_str(&format!(
            "\nSlave Interface: {}\n",
            name_of(w, ns, sl.ifindex)
        ));
        s.push_str(&format!("MII Status: {}\n", link_status(sl.link)));
        // bond_update_speed_duplex(): what ethtool says, while the link is up.
        match bond_3ad::link_ksettings(w, sr).filter(|_| w.running(sr)) {
            Some((sp, full)) => {
                s.push_str(&format!("Speed: {sp} Mbps\n"));
                s.push_str(&format!("Duplex: {}\n", if full { "full" } else { "half" }));
            }
            None => s.push_str("Speed: Unknown\nDuplex: Unknown\n"),
        }
        s.push_str(&format!("Link Failure Count: {}\n", sl.link_failure_count));
        s.push_str(&format!("Permanent HW addr: {}\n", sl.perm_hwaddr));
        s.push_str(&format!("Slave queue ID: {}\n", sl.queue_id));
        if p.mode == bond::mode::AD8023 {
            match sl.ad.as_ref().filter(|a| a.agg.is_some()) {
                Some(a) => s.push_str(&ad_slave(w, r, b, sl.ifindex, a)),
                None => s.push_str("Aggregator ID: N/A\n"),
            }
        }
    }
    s
}

/// The 802.3ad part of a slave's section.
fn ad_slave(w: &World, r: DevRef, b: &Bond, slave: u32, a: &AdPort) -> String {
    let partner = a.partner_oper();
    let mut s = format!("Aggregator ID: {}\n", a.agg.unwrap_or(0));
    s.push_str(&format!(
        "Actor Churn State: {}\n",
        churn(a.actor_state & state::SYNC != 0)
    ));
    s.push_str(&format!(
        "Partner Churn State: {}\n",
        churn(partner.state & state::SYNC != 0)
    ));
    s.push_str("Actor Churned Count: 0\nPartner Churned Count: 0\n");
    s.push_str("details actor lacp pdu:\n");
    s.push_str(&format!(
        "    system priority: {}\n",
        b.params.ad_actor_sys_prio
    ));
    s.push_str(&format!(
        "    system mac address: {}\n",
        bond_3ad::actor_system(w, r, b)
    ));
    s.push_str(&format!(
        "    port key: {}\n",
        bond_3ad::actor_key(w, r, b, slave)
    ));
    s.push_str("    port priority: 255\n");
    s.push_str(&format!("    port number: {}\n", a.id));
    s.push_str(&format!("    port state: {}\n", a.actor_state));
    s.push_str("details partner lacp pdu:\n");
    s.push_str(&format!(
        "    system priority: {}\n",
        partner.system_priority
    ));
    s.push_str(&format!("    system mac address: {}\n", partner.system));
    s.push_str(&format!("    oper key: {}\n", partner.key));
    s.push_str(&format!("    port priority: {}\n", partner.port_priority));
    s.push_str(&format!("    port number: {}\n", partner.port_number));
    s.push_str(&format!("    port state: {}\n", partner.state));
    s
}

/// bond_slave_link_status().
fn link_status(l: SlaveLink) -> &'static str {
    match l {
        SlaveLink::Up => "up",
        SlaveLink::Fail => "going down",
        SlaveLink::Down => "down",
        SlaveLink::Back => "going back",
    }
}

/// /sys/class/net/bonding_masters: the namespace's bonds.
pub(super) fn masters(w: &World, ns: NsId) -> String {
    let v: Vec<String> = bonds(w, ns).map(|(d, _)| d.name.clone()).collect();
    format!("{}\n", v.join(" "))
}

/// bond_sysfs.c's per_bond_attrs.
pub(super) const BOND_ATTRS: &[&str] = &[
    "active_slave",
    "ad_actor_key",
    "ad_actor_sys_prio",
    "ad_actor_system",
    "ad_aggregator",
    "ad_num_ports",
    "ad_partner_key",
    "ad_partner_mac",
    "ad_select",
    "ad_user_port_key",
    "all_slaves_active",
    "arp_all_targets",
    "arp_interval",
    "arp_ip_target",
    "arp_missed_max",
    "arp_validate",
    "downdelay",
    "fail_over_mac",
    "lacp_active",
    "lacp_rate",
    "lp_interval",
    "miimon",
    "mii_status",
    "min_links",
    "mode",
    "ns_ip6_target",
    "num_grat_arp",
    "num_unsol_na",
    "packets_per_slave",
    "peer_notif_delay",
    "primary",
    "primary_reselect",
    "queue_id",
    "resend_igmp",
    "slaves",
    "tlb_dynamic_lb",
    "updelay",
    "use_carrier",
    "xmit_hash_policy",
];

/// One file of a bond's bonding/ directory.
pub(super) fn bond_attr(w: &World, r: DevRef, d: &Device, attr: &str) -> Option<Node> {
    let DevKind::Bond(b) = &d.kind else {
        return None;
    };
    let p = &b.params;
    let ns = r.ns;
    let named = |tbl: &[&str], v: usize| format!("{} {v}\n", tbl[v]);
    let ad = p.mode == bond::mode::AD8023;
    let agg = bond_3ad::active_agg_info(w, r, b).filter(|_| ad);
    let text = match attr {
        "slaves" => {
            let v: Vec<String> = b.slaves.iter().map(|s| name_of(w, ns, s.ifindex)).collect();
            format!("{}\n", v.join(" "))
        }
        "mode" => named(&MODE_NAMES, p.mode as usize),
        "xmit_hash_policy" => named(&XMIT_HASH_NAMES, p.xmit_policy as usize),
        "arp_validate" => named(&ARP_VALIDATE_NAMES, p.arp_validate as usize),
        "arp_all_targets" => named(&ARP_ALL_TARGETS_NAMES, p.arp_all_targets as usize),
        "fail_over_mac" => named(&FAIL_OVER_MAC_NAMES, p.fail_over_mac as usize),
        "primary_reselect" => named(&PRIMARY_RESELECT_NAMES, p.primary_reselect as usize),
        "lacp_rate" => named(&["slow", "fast"], p.lacp_fast as usize),
        "lacp_active" => named(&["off", "on"], p.lacp_active as usize),
        "ad_select" => named(&AD_SELECT_NAMES, p.ad_select as usize),
        "arp_interval" => format!("{}\n", p.arp_interval),
        "arp_missed_max" => format!("{}\n", p.missed_max),
        "arp_ip_target" => {
            let v: Vec<String> = p.arp_targets.iter().map(|a| a.to_string()).collect();
            if v.is_empty() {
                String::new()
            } else {
                format!("{}\n", v.join(" "))
            }
        }
        "ns_ip6_target" => {
            let v: Vec<String> = p.ns_targets.iter().map(|a| a.to_string()).collect();
            if v.is_empty() {
                String::new()
            } else {
                format!("{}\n", v.join(" "))
            }
        }
        "downdelay" => format!("{}\n", p.downdelay * p.miimon),
        "updelay" => format!("{}\n", p.updelay * p.miimon),
        "peer_notif_delay" => format!("{}\n", p.peer_notif_delay * p.miimon),
        "miimon" => format!("{}\n", p.miimon),
        "use_carrier" => format!("{}\n", p.use_carrier),
        "num_grat_arp" | "num_unsol_na" => format!("{}\n", p.num_peer_notif),
        "primary" => b
            .primary_slave(w, ns)
            .map(|i| format!("{}\n", name_of(w, ns, i)))
            .unwrap_or_default(),
        "active_slave" => b
            .curr_active
            .filter(|_| b.uses_primary())
            .map(|i| format!("{}\n", name_of(w, ns, i)))
            .unwrap_or_default(),
        "mii_status" => format!("{}\n", if w.carrier(r) { "up" } else { "down" }),
        "ad_aggregator" => agg.map(|a| format!("{}\n", a.0)).unwrap_or_default(),
        "ad_num_ports" => agg.map(|a| format!("{}\n", a.1)).unwrap_or_default(),
        "ad_actor_key" => agg.map(|a| format!("{}\n", a.2)).unwrap_or_default(),
        "ad_partner_key" => agg.map(|a| format!("{}\n", a.3)).unwrap_or_default(),
        "ad_partner_mac" => agg.map(|a| format!("{}\n", a.4)).unwrap_or_default(),
        "queue_id" => {
            let v: Vec<String> = b
                .slaves
                .iter()
                .map(|s| format!("{}:{}", name_of(w, ns, s.ifindex), s.queue_id))
                .collect();
            format!("{}\n", v.join(" "))
        }
        "all_slaves_active" => format!("{}\n", p.all_slaves_active),
        "resend_igmp" => format!("{}\n", p.resend_igmp),
        "lp_interval" => format!("{}\n", p.lp_interval),
        "tlb_dynamic_lb" => format!("{}\n", p.tlb_dynamic_lb),
        "packets_per_slave" => format!("{}\n", p.packets_per_slave),
        "min_links" => format!("{}\n", p.min_links),
        "ad_actor_sys_prio" if ad => format!("{}\n", p.ad_actor_sys_prio),
        "ad_user_port_key" if ad => format!("{}\n", p.ad_user_port_key),
        "ad_actor_system" if ad => format!("{}\n", p.ad_actor_system),
        "ad_actor_sys_prio" | "ad_user_port_key" | "ad_actor_system" => String::new(),
        _ => return None,
    };
    Some(Node::text(text))
}

/// bond_sysfs_slave.c's attributes.
pub(super) const SLAVE_ATTRS: &[&str] = &[
    "ad_actor_oper_port_state",
    "ad_aggregator_id",
    "ad_partner_oper_port_state",
    "link_failure_count",
    "mii_status",
    "perm_hwaddr",
    "queue_id",
    "state",
];

/// One file of a slave's bonding_slave/ directory.
pub(super) fn slave_attr(b: &Bond, ifindex: u32, attr: &str) -> Option<Node> {
    let s = b.slave(ifindex)?;
    let ad =
        s.ad.as_ref()
            .filter(|_| b.params.mode == bond::mode::AD8023);
    let text = match attr {
        "state" => format!("{}\n", if s.backup { "backup" } else { "active" }),
        "mii_status" => format!("{}\n", link_status(s.link)),
        "link_failure_count" => format!("{}\n", s.link_failure_count),
        "perm_hwaddr" => format!("{}\n", s.perm_hwaddr),
        "queue_id" => format!("{}\n", s.queue_id),
        "ad_aggregator_id" => ad
            .and_then(|a| a.agg)
            .map(|a| format!("{a}\n"))
            .unwrap_or_else(|| "N/A\n".into()),
        "ad_actor_oper_port_state" => ad
            .map(|a| format!("{}\n", a.actor_state))
            .unwrap_or_else(|| "N/A\n".into()),
        "ad_partner_oper_port_state" => ad
            .map(|a| format!("{}\n", a.partner_oper().state))
            .unwrap_or_else(|| "N/A\n".into()),
        _ => return None,
    };
    Some(Node::text(text))
}

/// A write to a bond's bonding/ file: `+DEV`/`-DEV` to slaves, or an
/// option's value (bond_opt_tryset_rtnl). None: no such file.
pub(super) fn write(
    w: &mut World,
    ns: NsId,
    bond: u32,
    attr: &str,
    data: &str,
) -> Option<Result<(), Errno>> {
    if !BOND_ATTRS.contains(&attr) {
        return None;
    }
    let v = data.trim_end_matches('\n').trim();
    if data.is_empty() {
        return Some(Ok(()));
    }
    let num = |tbl: &[&str]| -> Option<u64> {
        tbl.iter()
            .position(|n| *n == v)
            .map(|i| i as u64)
            .or_else(|| v.parse().ok())
    };
    let dev = |w: &World, n: &str| w.ns(ns).ifindex_of(n);
    let opt = match attr {
        "slaves" => {
            let (op, name) = v.split_at(v.len().min(1));
            let Some(i) = dev(w, name) else {
                return Some(Err(Errno::ENODEV));
            };
            let ch = match op {
                "+" => vnet_core::dev::rtnetlink::LinkChange::Master(Some(bond)),
                "-" if w.ns(ns).dev(i).and_then(|d| d.master) == Some(bond) => {
                    vnet_core::dev::rtnetlink::LinkChange::Master(None)
                }
                "-" => return Some(Err(Errno::ENODEV)),
                _ => return Some(Err(Errno::EPERM)),
            };
            return Some(w.link_set(ns, i, ch).map_err(|e| e.errno));
        }
        "mode" => num(&MODE_NAMES).map(|n| BondOpt::Mode(n as u8)),
        "xmit_hash_policy" => num(&XMIT_HASH_NAMES).map(|n| BondOpt::XmitHashPolicy(n as u8)),
        "lacp_rate" => num(&["slow", "fast"]).map(|n| BondOpt::AdLacpRate(n as u8)),
        "ad_select" => num(&AD_SELECT_NAMES).map(|n| BondOpt::AdSelect(n as u8)),
        "primary_reselect" => {
            num(&PRIMARY_RESELECT_NAMES).map(|n| BondOpt::PrimaryReselect(n as u8))
        }
        "fail_over_mac" => num(&FAIL_OVER_MAC_NAMES).map(|n| BondOpt::FailOverMac(n as u8)),
        "miimon" => v.parse().ok().map(BondOpt::Miimon),
        "updelay" => v.parse().ok().map(BondOpt::Updelay),
        "downdelay" => v.parse().ok().map(BondOpt::Downdelay),
        "min_links" => v.parse().ok().map(BondOpt::MinLinks),
        "arp_interval" => v.parse().ok().map(BondOpt::ArpInterval),
        "primary" => match dev(w, v) {
            Some(i) => Some(BondOpt::Primary(i)),
            None => Some(BondOpt::Primary(0)),
        },
        "active_slave" => match dev(w, v) {
            Some(i) => Some(BondOpt::ActiveSlave(i)),
            None => return Some(Err(Errno::EINVAL)),
        },
        _ => return Some(Err(Errno::EPERM)),
    };
    let Some(o) = opt else {
        return Some(Err(Errno::EINVAL));
    };
    Some(w.bond_changelink(ns, bond, vec![o]).map_err(|e| e.errno))
}
