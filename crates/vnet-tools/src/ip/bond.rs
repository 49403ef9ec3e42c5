//! `ip link ... type bond|bond_slave` (iproute2 6.1's ip/iplink_bond.c and
//! iplink_bond_slave.c): the options parsed into IFLA_BOND_* changes, and
//! the `-d` lines bond_print_opt() and bond_slave_print_opt() print from
//! what bond_fill_info()/bond_fill_slave_info() (drivers/net/bonding/
//! bond_netlink.c) put in the message.

use super::{Error, Res};
use crate::args::matches;
use crate::Cmd;
use vnet_core::dev::bond::{
    self, Bond, BondOpt, SlaveLink, AD_SELECT_NAMES, ARP_ALL_TARGETS_NAMES, ARP_VALIDATE_NAMES,
    FAIL_OVER_MAC_NAMES, MODE_NAMES, PRIMARY_RESELECT_NAMES, XMIT_HASH_NAMES,
};
use vnet_core::dev::bond_3ad::{self, state};
use vnet_core::dev::{DevRef, Device};
use vnet_core::{Mac, NsId, World};

pub const USAGE: &str = "Usage: ... bond [ mode BONDMODE ] [ active_slave SLAVE_DEV ]
                [ clear_active_slave ] [ miimon MIIMON ]
                [ updelay UPDELAY ] [ downdelay DOWNDELAY ]
                [ peer_notify_delay DELAY ]
                [ use_carrier USE_CARRIER ]
                [ arp_interval ARP_INTERVAL ]
                [ arp_validate ARP_VALIDATE ]
                [ arp_all_targets ARP_ALL_TARGETS ]
                [ arp_ip_target [ ARP_IP_TARGET, ... ] ]
                [ ns_ip6_target [ NS_IP6_TARGET, ... ] ]
                [ primary SLAVE_DEV ]
                [ primary_reselect PRIMARY_RESELECT ]
                [ fail_over_mac FAIL_OVER_MAC ]
                [ xmit_hash_policy XMIT_HASH_POLICY ]
                [ resend_igmp RESEND_IGMP ]
                [ num_grat_arp|num_unsol_na NUM_GRAT_ARP|NUM_UNSOL_NA ]
                [ all_slaves_active ALL_SLAVES_ACTIVE ]
                [ min_links MIN_LINKS ]
                [ lp_interval LP_INTERVAL ]
                [ packets_per_slave PACKETS_PER_SLAVE ]
                [ tlb_dynamic_lb TLB_DYNAMIC_LB ]
                [ lacp_rate LACP_RATE ]
                [ lacp_active LACP_ACTIVE]
                [ ad_select AD_SELECT ]
                [ ad_user_port_key PORTKEY ]
                [ ad_actor_sys_prio SYSPRIO ]
                [ ad_actor_system LLADDR ]
                [ arp_missed_max MISSED_MAX ]

BONDMODE := balance-rr|active-backup|balance-xor|broadcast|802.3ad|balance-tlb|balance-alb
ARP_VALIDATE := none|active|backup|all|filter|filter_active|filter_backup
ARP_ALL_TARGETS := any|all
PRIMARY_RESELECT := always|better|failure
FAIL_OVER_MAC := none|active|follow
XMIT_HASH_POLICY := layer2|layer2+3|layer3+4|encap2+3|encap3+4|vlan+srcmac
LACP_ACTIVE := off|on
LACP_RATE := slow|fast
AD_SELECT := stable|bandwidth|count
";

pub const SLAVE_USAGE: &str = "Usage: ... bond_slave [ queue_id ID ] [ prio PRIORITY ]\n";

/// strtoul() with base 0 (hex with 0x, octal with 0), the whole word, at
/// most `max` (get_u32/get_u16/get_u8).
fn get_unsigned(v: &str, max: u64) -> Option<u64> {
    let (digits, radix) = if let Some(h) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        (h, 16)
    } else if v.len() > 1 && v.starts_with('0') {
        (&v[1..], 8)
    } else {
        (v, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix)
        .ok()
        .filter(|n| *n <= max)
}

/// get_index(): a table's name, or its position given as a number.
fn get_index(tbl: &[&str], v: &str) -> Option<usize> {
    if let Ok(i) = v.parse::<i32>() {
        if i >= 0 && (i as usize) < tbl.len() {
            return Some(i as usize);
        }
    }
    tbl.iter().position(|n| *n == v)
}

/// bond_parse_opt(): the words after `type bond`.
pub fn parse(c: &Cmd, args: &[String]) -> Res<Vec<BondOpt>> {
    let mut v = Vec::new();
    let mut i = 0;
    let ns = c.ns;
    while i < args.len() {
        let a = args[i].as_str();
        let has_next = i + 1 < args.len();
        let mut next = || -> Res<String> {
            i += 1;
            args.get(i).cloned().ok_or(Error::Incomplete)
        };
        let u32_of = |v: &str, what: &str| {
            get_unsigned(v, u32::MAX as u64)
                .map(|n| n as u32)
                .ok_or_else(|| Error::invarg(&format!("invalid {what}"), v))
        };
        let u8_of = |v: &str, what: &str| {
            get_unsigned(v, 255)
                .map(|n| n as u8)
                .ok_or_else(|| Error::invarg(&format!("invalid {what}"), v))
        };
        let idx = |tbl: &[&str], v: &str, what: &str| {
            get_index(tbl, v).ok_or_else(|| Error::invarg(&format!("invalid {what}"), v))
        };
        let dev = |v: &str| {
            c.m.world
                .ns(ns)
                .ifindex_of(v)
                .ok_or_else(|| Error::no_dev(v))
        };
        if matches(a, "mode") {
            let w = next()?;
            v.push(BondOpt::Mode(idx(&MODE_NAMES, &w, "mode")? as u8));
        } else if matches(a, "active_slave") {
            let w = next()?;
            v.push(BondOpt::ActiveSlave(dev(&w)?));
        } else if matches(a, "clear_active_slave") {
            v.push(BondOpt::ActiveSlave(0));
        } else if matches(a, "miimon") {
            let w = next()?;
            v.push(BondOpt::Miimon(u32_of(&w, "miimon")?));
        } else if matches(a, "updelay") {
            let w = next()?;
            v.push(BondOpt::Updelay(u32_of(&w, "updelay")?));
        } else if matches(a, "downdelay") {
            let w = next()?;
            v.push(BondOpt::Downdelay(u32_of(&w, "downdelay")?));
        } else if matches(a, "peer_notify_delay") {
            let w = next()?;
            v.push(BondOpt::PeerNotifDelay(u32_of(&w, "peer_notify_delay")?));
        } else if matches(a, "use_carrier") {
            let w = next()?;
            v.push(BondOpt::UseCarrier(u8_of(&w, "use_carrier")?));
        } else if matches(a, "arp_interval") {
            let w = next()?;
            v.push(BondOpt::ArpInterval(u32_of(&w, "arp_interval")?));
        } else if matches(a, "arp_ip_target") {
            // Without a following word the list is empty (it clears them).
            let mut t = Vec::new();
            if has_next {
                let w = next()?;
                for s in w
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .take(bond::MAX_TARGETS)
                {
                    t.push(
                        s.parse().map_err(|_| {
                            Error::invarg("an IP address is expected rather than", s)
                        })?,
                    );
                }
            }
            v.push(BondOpt::ArpIpTarget(t));
        } else if a == "ns_ip6_target" {
            let mut t = Vec::new();
            if has_next {
                let w = next()?;
                for s in w
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .take(bond::MAX_TARGETS)
                {
                    t.push(s.parse().map_err(|_| Error::expected("inet6 address", s))?);
                }
            }
            v.push(BondOpt::NsIp6Target(t));
        } else if matches(a, "arp_validate") {
            let w = next()?;
            v.push(BondOpt::ArpValidate(
                idx(&ARP_VALIDATE_NAMES, &w, "arp_validate")? as u32,
            ));
        } else if matches(a, "arp_all_targets") {
            let w = next()?;
            v.push(BondOpt::ArpAllTargets(
                idx(&ARP_ALL_TARGETS_NAMES, &w, "arp_all_targets")? as u32,
            ));
        } else if a == "arp_missed_max" {
            let w = next()?;
            v.push(BondOpt::MissedMax(u8_of(&w, "arp_missed_max")?));
        } else if matches(a, "primary") {
            let w = next()?;
            v.push(BondOpt::Primary(dev(&w)?));
        } else if matches(a, "primary_reselect") {
            let w = next()?;
            v.push(BondOpt::PrimaryReselect(
                idx(&PRIMARY_RESELECT_NAMES, &w, "primary_reselect")? as u8,
            ));
        } else if matches(a, "fail_over_mac") {
            let w = next()?;
            v.push(BondOpt::FailOverMac(
                idx(&FAIL_OVER_MAC_NAMES, &w, "fail_over_mac")? as u8,
            ));
        } else if matches(a, "xmit_hash_policy") {
            let w = next()?;
            v.push(BondOpt::XmitHashPolicy(
                idx(&XMIT_HASH_NAMES, &w, "xmit_hash_policy")? as u8,
            ));
        } else if matches(a, "resend_igmp") {
            let w = next()?;
            v.push(BondOpt::ResendIgmp(u32_of(&w, "resend_igmp")?));
        } else if matches(a, "num_grat_arp") || matches(a, "num_unsol_na") {
            let w = next()?;
            v.push(BondOpt::NumPeerNotif(u8_of(
                &w,
                "num_grat_arp|num_unsol_na",
            )?));
        } else if matches(a, "all_slaves_active") {
            let w = next()?;
            v.push(BondOpt::AllSlavesActive(u8_of(&w, "all_slaves_active")?));
        } else if matches(a, "min_links") {
            let w = next()?;
            v.push(BondOpt::MinLinks(u32_of(&w, "min_links")?));
        } else if matches(a, "lp_interval") {
            let w = next()?;
            v.push(BondOpt::LpInterval(u32_of(&w, "lp_interval")?));
        } else if matches(a, "packets_per_slave") {
            let w = next()?;
            v.push(BondOpt::PacketsPerSlave(u32_of(&w, "packets_per_slave")?));
        } else if matches(a, "lacp_rate") {
            let w = next()?;
            v.push(BondOpt::AdLacpRate(
                idx(&["slow", "fast"], &w, "lacp_rate")? as u8,
            ));
        } else if a == "lacp_active" {
            let w = next()?;
            v.push(BondOpt::AdLacpActive(
                idx(&["off", "on"], &w, "lacp_active")? as u8,
            ));
        } else if matches(a, "ad_select") {
            let w = next()?;
            v.push(BondOpt::AdSelect(
                idx(&AD_SELECT_NAMES, &w, "ad_select")? as u8
            ));
        } else if matches(a, "ad_user_port_key") {
            let w = next()?;
            let n = get_unsigned(&w, 0xffff)
                .ok_or_else(|| Error::invarg("invalid ad_user_port_key", &w))?;
            v.push(BondOpt::AdUserPortKey(n as u16));
        } else if matches(a, "ad_actor_sys_prio") {
            let w = next()?;
            let n = get_unsigned(&w, 0xffff)
                .ok_or_else(|| Error::invarg("invalid ad_actor_sys_prio", &w))?;
            v.push(BondOpt::AdActorSysPrio(n as u16));
        } else if matches(a, "ad_actor_system") {
            let w = next()?;
            v.push(BondOpt::AdActorSystem(super::link::lladdr(&w)?));
        } else if matches(a, "tlb_dynamic_lb") {
            let w = next()?;
            v.push(BondOpt::TlbDynamicLb(u8_of(&w, "tlb_dynamic_lb")?));
        } else if matches(a, "help") {
            return Err(Error::Usage(USAGE));
        } else {
            return Err(Error::Failed(format!(
                "bond: unknown command \"{a}\"?\n{USAGE}"
            )));
        }
        i += 1;
    }
    Ok(v)
}

/// bond_slave_parse_opt(): `queue_id ID` and `prio PRIORITY`.
pub fn parse_slave(args: &[String]) -> Res<(Option<u16>, Option<i32>)> {
    let (mut q, mut p) = (None, None);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if matches(a, "queue_id") {
            i += 1;
            let w = args.get(i).ok_or(Error::Incomplete)?;
            q = Some(
                get_unsigned(w, 0xffff).ok_or_else(|| Error::invarg("queue_id is invalid", w))?
                    as u16,
            );
        } else if a == "prio" {
            i += 1;
            let w = args.get(i).ok_or(Error::Incomplete)?;
            p = Some(
                w.parse::<i32>()
                    .map_err(|_| Error::invarg("prio is invalid", w))?,
            );
        } else if matches(a, "help") {
            return Err(Error::Failed(SLAVE_USAGE.to_string()));
        } else {
            return Err(Error::Failed(format!(
                "bond_slave: unknown option \"{a}\"?\n{SLAVE_USAGE}"
            )));
        }
        i += 1;
    }
    Ok((q, p))
}

/// The `bond ...` line of `ip -d link` (bond_print_opt()'s order).
pub fn details(w: &World, ns: NsId, d: &Device, b: &Bond) -> String {
    let p = &b.params;
    let name = |i: u32| w.ns(ns).dev(i).map(|d| d.name.clone()).unwrap_or_default();
    let mut s = format!("\n    bond mode {} ", MODE_NAMES[p.mode as usize]);
    if let Some(a) = b.curr_active.filter(|_| b.uses_primary()) {
        s.push_str(&format!("active_slave {} ", name(a)));
    }
    s.push_str(&format!(
        "miimon {} updelay {} downdelay {} peer_notify_delay {} use_carrier {} arp_interval {} arp_missed_max {} ",
        p.miimon,
        p.updelay * p.miimon,
        p.downdelay * p.miimon,
        p.peer_notif_delay * p.miimon,
        p.use_carrier,
        p.arp_interval,
        p.missed_max
    ));
    if !p.arp_targets.is_empty() {
        let t: Vec<String> = p.arp_targets.iter().map(|a| a.to_string()).collect();
        s.push_str(&format!("arp_ip_target {} ", t.join(",")));
    }
    if !p.ns_targets.is_empty() {
        let t: Vec<String> = p.ns_targets.iter().map(|a| a.to_string()).collect();
        s.push_str(&format!("ns_ip6_target {} ", t.join(",")));
    }
    s.push_str(&format!(
        "arp_validate {} arp_all_targets {} ",
        ARP_VALIDATE_NAMES[p.arp_validate as usize],
        ARP_ALL_TARGETS_NAMES[p.arp_all_targets as usize]
    ));
    if let Some(pr) = b.primary_slave(w, ns) {
        s.push_str(&format!("primary {} ", name(pr)));
    }
    s.push_str(&format!(
        "primary_reselect {} fail_over_mac {} xmit_hash_policy {} resend_igmp {} num_grat_arp {} all_slaves_active {} min_links {} lp_interval {} packets_per_slave {} lacp_active {} lacp_rate {} ad_select {} ",
        PRIMARY_RESELECT_NAMES[p.primary_reselect as usize],
        FAIL_OVER_MAC_NAMES[p.fail_over_mac as usize],
        XMIT_HASH_NAMES[p.xmit_policy as usize],
        p.resend_igmp,
        p.num_peer_notif,
        p.all_slaves_active,
        p.min_links,
        p.lp_interval,
        p.packets_per_slave,
        ["off", "on"][p.lacp_active as usize],
        ["slow", "fast"][p.lacp_fast as usize],
        AD_SELECT_NAMES[p.ad_select as usize],
    ));
    if p.mode == bond::mode::AD8023 {
        let r = DevRef {
            ns,
            ifindex: d.ifindex,
        };
        if let Some((id, n, key, pkey, pmac)) = bond_3ad::active_agg_info(w, r, b) {
            s.push_str(&format!(
                "ad_aggregator {id} ad_num_ports {n} ad_actor_key {key} ad_partner_key {pkey} ad_partner_mac {pmac} "
            ));
        }
        s.push_str(&format!(
            "ad_actor_sys_prio {} ad_user_port_key {} ad_actor_system {} ",
            p.ad_actor_sys_prio, p.ad_user_port_key, p.ad_actor_system
        ));
    }
    s.push_str(&format!("tlb_dynamic_lb {} ", p.tlb_dynamic_lb));
    s
}

/// print_slave_oper_state(): the LACP state bits by name.
fn oper_state(name: &str, st: u8) -> String {
    let names = [
        (state::ACTIVITY, "active"),
        (state::TIMEOUT, "short_timeout"),
        (state::AGGREGATION, "aggregating"),
        (state::SYNC, "in_sync"),
        (state::COLLECTING, "collecting"),
        (state::DISTRIBUTING, "distributing"),
        (state::DEFAULTED, "defaulted"),
        (state::EXPIRED, "expired"),
    ];
    let v: Vec<&str> = names
        .iter()
        .filter(|(b, _)| st & b != 0)
        .map(|(_, n)| *n)
        .collect();
    format!("{name} <{}> ", v.join(","))
}

/// The `bond_slave ...` line of `ip -d link` for a slave of `b`.
pub fn slave_details(b: &Bond, ifindex: u32) -> String {
    let Some(s) = b.slave(ifindex) else {
        return String::new();
    };
    let mii = match s.link {
        SlaveLink::Up => "UP",
        SlaveLink::Fail => "GOING_DOWN",
        SlaveLink::Down => "DOWN",
        SlaveLink::Back => "GOING_BACK",
    };
    let mut out = format!(
        "\n    bond_slave state {} mii_status {mii} link_failure_count {} perm_hwaddr {} queue_id {} prio {} ",
        if s.backup { "BACKUP" } else { "ACTIVE" },
        s.link_failure_count,
        s.perm_hwaddr,
        s.queue_id,
        s.prio
    );
    if let Some(p) = &s.ad {
        if let Some(a) = p.agg {
            out.push_str(&format!("ad_aggregator_id {a} "));
            out.push_str(&format!("ad_actor_oper_port_state {} ", p.actor_state));
            out.push_str(&oper_state("ad_actor_oper_port_state_str", p.actor_state));
            let ps = p.partner_oper().state;
            out.push_str(&format!("ad_partner_oper_port_state {ps} "));
            out.push_str(&oper_state("ad_partner_oper_port_state_str", ps));
        }
    }
    out
}

/// `ip link add NAME type bond ...` (rtnl_newlink → bond_newlink).
pub fn link_add(
    c: &mut Cmd,
    ns: NsId,
    name: &str,
    opts: Vec<BondOpt>,
    mac: Option<Mac>,
) -> Res<u32> {
    crate::modules::request_module(c, "bonding");
    let idx = c.m.world.link_add(
        ns,
        name,
        vnet_core::dev::rtnetlink::NewLink::Bond(opts),
        mac,
    )?;
    Ok(idx)
}

/// `ip link set DEV type bond ...` and `type bond_slave ...`.
pub fn change(c: &mut Cmd, idx: u32, kind: &str, args: &[String]) -> Res {
    let ns = c.ns;
    if kind == "bond" {
        let opts = parse(c, args)?;
        return Ok(c.m.world.bond_changelink(ns, idx, opts)?);
    }
    let (q, p) = parse_slave(args)?;
    Ok(c.m.world.bond_slave_changelink(ns, idx, q, p)?)
}
