//! `ip link ... type bridge` and `type bridge_slave` options: their parsing
//! (iproute2 6.1's ip/iplink_bridge.c and ip/iplink_bridge_slave.c) and the
//! `-d` lines they print (bridge_print_opt(), bridge_slave_print_opt()).

use super::{Error, Res};
use serde_json::{json, Map, Value};
use vnet_core::bridge::br_netlink::{BrKey, BrOpt, BrPortOpt, PortFlag};
use vnet_core::bridge::br_stp::{left, split_id};
use vnet_core::bridge::{Bridge, Port};
use vnet_core::{Errno, Mac, NsId, Time, World};

/// What `type bridge ARGS` asks for, in the order br_changelink() applies it.
#[derive(Default)]
pub struct BridgeArgs {
    pub opts: Vec<BrOpt>,
    pub stp: Option<bool>,
    /// vlan_filtering, vlan_protocol, vlan_default_pvid (link_br_vlan).
    pub vlan: Vec<super::link_br_vlan::VlanOpt>,
}

/// strtoul(v, 0) as get_u32()/get_u16()/get_u8() use it: the whole word, at most `max`.
fn num(v: &str, max: u64) -> Option<u64> {
    let t = v.trim_start();
    let r = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if t.len() > 1 && t.starts_with('0') {
        u64::from_str_radix(&t[1..], 8).ok()
    } else {
        t.parse::<u64>().ok()
    };
    r.filter(|n| *n <= max)
}

/// The bridge keywords that are plain numbers, with their width.
const KEYS: &[(&str, BrKey, u64)] = &[
    ("group_fwd_mask", BrKey::GroupFwdMask, 0xffff),
    ("no_linklocal_learn", BrKey::NoLinklocalLearn, 0xff),
    ("vlan_stats_enabled", BrKey::VlanStatsEnabled, 0xff),
    ("vlan_stats_per_port", BrKey::VlanStatsPerPort, 0xff),
    ("mcast_vlan_snooping", BrKey::McastVlanSnooping, 0xff),
    ("mcast_router", BrKey::McastRouter, 0xff),
    ("mcast_query_use_ifaddr", BrKey::McastQueryUseIfaddr, 0xff),
    ("mcast_querier", BrKey::McastQuerier, 0xff),
    (
        "mcast_hash_elasticity",
        BrKey::McastHashElasticity,
        u32::MAX as u64,
    ),
    ("mcast_hash_max", BrKey::McastHashMax, u32::MAX as u64),
    (
        "mcast_last_member_count",
        BrKey::McastLastMemberCount,
        u32::MAX as u64,
    ),
    (
        "mcast_startup_query_count",
        BrKey::McastStartupQueryCount,
        u32::MAX as u64,
    ),
    (
        "mcast_last_member_interval",
        BrKey::McastLastMemberInterval,
        u64::MAX,
    ),
    (
        "mcast_membership_interval",
        BrKey::McastMembershipInterval,
        u64::MAX,
    ),
    (
        "mcast_querier_interval",
        BrKey::McastQuerierInterval,
        u64::MAX,
    ),
    ("mcast_query_interval", BrKey::McastQueryInterval, u64::MAX),
    (
        "mcast_query_response_interval",
        BrKey::McastQueryResponseInterval,
        u64::MAX,
    ),
    (
        "mcast_startup_query_interval",
        BrKey::McastStartupQueryInterval,
        u64::MAX,
    ),
    ("mcast_stats_enabled", BrKey::McastStatsEnabled, 0xff),
    ("mcast_igmp_version", BrKey::McastIgmpVersion, 0xff),
    ("mcast_mld_version", BrKey::McastMldVersion, 0xff),
    ("nf_call_iptables", BrKey::NfCallIptables, 0xff),
    ("nf_call_ip6tables", BrKey::NfCallIp6tables, 0xff),
    ("nf_call_arptables", BrKey::NfCallArptables, 0xff),
];

fn cs(v: u64) -> Time {
    Time(v.saturating_mul(10_000_000))
}

/// bridge_parse_opt(). Unknown words are left to the caller's usage error.
pub fn parse_bridge(args: &[String]) -> Res<BridgeArgs> {
    let mut r = BridgeArgs::default();
    // br_changelink() order: the timers, then STP, then the rest.
    let mut timers = Vec::new();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let k = args[i].as_str();
        if k == "fdb_flush" {
            rest.push(BrOpt::FdbFlush);
            i += 1;
            continue;
        }
        if !super::link::BRIDGE_OPTS.contains(&k) {
            return Err(Error::Failed(format!(
                "bridge: unknown command \"{k}\"?\n{}",
                super::link::BRIDGE_USAGE
            )));
        }
        i += 1;
        let v = args.get(i).ok_or(Error::Incomplete)?.as_str();
        let bad = || Error::invarg(&format!("invalid {k}"), v);
        match k {
            "forward_delay" | "hello_time" | "max_age" | "ageing_time" => {
                let t = cs(num(v, u32::MAX as u64).ok_or_else(bad)?);
                timers.push(match k {
                    "forward_delay" => BrOpt::ForwardDelay(t),
                    "hello_time" => BrOpt::HelloTime(t),
                    "max_age" => BrOpt::MaxAge(t),
                    _ => BrOpt::AgeingTime(t),
                });
            }
            "stp_state" => r.stp = Some(num(v, u32::MAX as u64).ok_or_else(bad)? != 0),
            "priority" => rest.push(BrOpt::Priority(num(v, 0xffff).ok_or_else(bad)? as u16)),
            "group_address" => {
                let m = Mac::parse(v).ok_or_else(|| Error::invarg("invalid group address", v))?;
                rest.push(BrOpt::GroupAddr(m));
            }
            "mcast_snooping" => {
                rest.push(BrOpt::McastSnooping(num(v, 0xff).ok_or_else(bad)? != 0));
            }
            "vlan_filtering" | "vlan_protocol" | "vlan_default_pvid" => {
                r.vlan.extend(super::link_br_vlan::parse(&args[i - 1..=i])?);
            }
            _ => {
                let (_, key, max) = KEYS.iter().find(|(n, _, _)| *n == k).unwrap();
                rest.push(BrOpt::Other(*key, num(v, *max).ok_or_else(bad)?));
            }
        }
        i += 1;
    }
    super::link_br_vlan::validate(&r.vlan)?;
    r.opts = timers;
    r.opts.extend(rest);
    Ok(r)
}

/// Applies parsed bridge options to `br`, as br_changelink() does: in
/// order, stopping at the first error.
pub fn apply_bridge(w: &mut World, ns: NsId, br: u32, a: BridgeArgs) -> Result<(), Errno> {
    let n_timers = a
        .opts
        .iter()
        .take_while(|o| {
            matches!(
                o,
                BrOpt::ForwardDelay(_)
                    | BrOpt::HelloTime(_)
                    | BrOpt::MaxAge(_)
                    | BrOpt::AgeingTime(_)
            )
        })
        .count();
    for o in &a.opts[..n_timers] {
        w.br_set(ns, br, *o).map_err(|e| e.errno)?;
    }
    if let Some(on) = a.stp {
        w.bridge_set_stp(ns, br, on).map_err(|e| e.errno)?;
    }
    super::link_br_vlan::apply(w, ns, br, &a.vlan).map_err(|e| e.errno)?;
    for o in &a.opts[n_timers..] {
        w.br_set(ns, br, *o).map_err(|e| e.errno)?;
    }
    Ok(())
}

const SLAVE_USAGE: &str = "Usage: ... bridge_slave [ fdb_flush ]
\t\t\t[ state STATE ]
\t\t\t[ priority PRIO ]
\t\t\t[ cost COST ]
\t\t\t[ guard {on | off} ]
\t\t\t[ hairpin {on | off} ]
\t\t\t[ fastleave {on | off} ]
\t\t\t[ root_block {on | off} ]
\t\t\t[ learning {on | off} ]
\t\t\t[ flood {on | off} ]
\t\t\t[ proxy_arp {on | off} ]
\t\t\t[ proxy_arp_wifi {on | off} ]
\t\t\t[ mcast_router MULTICAST_ROUTER ]
\t\t\t[ mcast_fast_leave {on | off} ]
\t\t\t[ mcast_flood {on | off} ]
\t\t\t[ bcast_flood {on | off} ]
\t\t\t[ mcast_to_unicast {on | off} ]
\t\t\t[ group_fwd_mask MASK ]
\t\t\t[ neigh_suppress {on | off} ]
\t\t\t[ vlan_tunnel {on | off} ]
\t\t\t[ isolated {on | off} ]
\t\t\t[ locked {on | off} ]
\t\t\t[ backup_port DEVICE ] [ nobackup_port ]
";

/// The on/off port keywords and what they set.
pub const PORT_FLAGS: &[(&str, Option<PortFlag>)] = &[
    ("guard", Some(PortFlag::Guard)),
    ("hairpin", None),
    ("fastleave", Some(PortFlag::Fastleave)),
    ("mcast_fast_leave", Some(PortFlag::Fastleave)),
    ("root_block", Some(PortFlag::RootBlock)),
    ("learning", None),
    ("flood", None),
    ("proxy_arp", Some(PortFlag::ProxyArp)),
    ("proxy_arp_wifi", Some(PortFlag::ProxyArpWifi)),
    ("mcast_flood", Some(PortFlag::McastFlood)),
    ("bcast_flood", Some(PortFlag::BcastFlood)),
    ("mcast_to_unicast", Some(PortFlag::McastToUnicast)),
    ("neigh_suppress", Some(PortFlag::NeighSuppress)),
    ("vlan_tunnel", Some(PortFlag::VlanTunnel)),
    ("isolated", Some(PortFlag::Isolated)),
    ("locked", Some(PortFlag::Locked)),
];

/// The option an on/off port keyword sets.
pub fn port_flag(key: &str, on: bool) -> Option<BrPortOpt> {
    let (_, f) = PORT_FLAGS.iter().find(|(k, _)| *k == key)?;
    Some(match (key, f) {
        ("hairpin", _) => BrPortOpt::Hairpin(on),
        ("learning", _) => BrPortOpt::Learning(on),
        ("flood", _) => BrPortOpt::Flood(on),
        (_, Some(f)) => BrPortOpt::Flag(*f, on),
        _ => return None,
    })
}

/// bridge_slave_parse_opt(); `dev` resolves backup_port.
pub fn parse_slave(args: &[String], dev: impl Fn(&str) -> Option<u32>) -> Res<Vec<BrPortOpt>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let k = args[i].as_str();
        match k {
            "fdb_flush" | "nobackup_port" => {
                if k == "nobackup_port" {
                    out.push(BrPortOpt::BackupPort(None));
                }
                i += 1;
                continue;
            }
            _ if PORT_FLAGS.iter().any(|(n, _)| *n == k)
                || matches!(
                    k,
                    "state"
                        | "priority"
                        | "cost"
                        | "mcast_router"
                        | "group_fwd_mask"
                        | "backup_port"
                ) => {}
            _ => {
                return Err(Error::Failed(format!(
                    "bridge_slave: unknown option \"{k}\"?\n{SLAVE_USAGE}"
                )))
            }
        }
        i += 1;
        let v = args.get(i).ok_or(Error::Incomplete)?.as_str();
        let bad = || Error::invarg(&format!("{k} is invalid"), v);
        match k {
            "state" => out.push(BrPortOpt::State(num(v, 0xff).ok_or_else(bad)? as u8)),
            "priority" => out.push(BrPortOpt::Priority(num(v, 0xffff).ok_or_else(bad)? as u16)),
            "cost" => out.push(BrPortOpt::PathCost(
                num(v, u32::MAX as u64).ok_or_else(bad)? as u32,
            )),
            "mcast_router" => out.push(BrPortOpt::McastRouter(num(v, 0xff).ok_or_else(bad)? as u8)),
            "group_fwd_mask" => out.push(BrPortOpt::GroupFwdMask(
                num(v, 0xffff).ok_or_else(bad)? as u16
            )),
            "backup_port" => {
                let i = dev(v).ok_or_else(|| Error::NoDev(v.to_string()))?;
                out.push(BrPortOpt::BackupPort(Some(i)));
            }
            _ => {
                let on = match v {
                    "on" => true,
                    "off" => false,
                    _ => {
                        return Err(Error::Failed(format!(
                        "Error: argument of \"{k}\" must be one of \"off\", \"on\", not \"{v}\"\n"
                    )))
                    }
                };
                out.extend(port_flag(k, on));
            }
        }
        i += 1;
    }
    // br_setport(): the flags first, then cost, priority and state.
    out.sort_by_key(|o| match o {
        BrPortOpt::PathCost(_) => 1,
        BrPortOpt::Priority(_) => 2,
        BrPortOpt::State(_) => 3,
        _ => 0,
    });
    Ok(out)
}

/// A bridge id as iproute2 prints it: priority in hex, MAC bytes without leading zeros.
pub fn id_str(id: u64) -> String {
    let (p, m) = split_id(id);
    let m = m.0;
    format!(
        "{p:04x}.{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
        m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

fn onoff(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// The `-d` kind line of a bridge (bridge_print_opt()). `id` prints a bridge id.
pub fn bridge_details(b: &Bridge, id: &str, gc_timer: f64, now: Time) -> String {
    let c = &b.conf;
    let st = &b.st;
    let tm = |t: Option<Time>| left(t, now).0 as f64 / 1e9;
    let gfm = if c.group_fwd_mask == 0 {
        "0".to_string()
    } else {
        format!("{:#x}", c.group_fwd_mask)
    };
    // iproute2 6.1 prints the bridge id as designated_root too.
    format!(
        "\n    bridge forward_delay {} hello_time {} max_age {} ageing_time {} stp_state {} priority {} vlan_filtering {} bridge_id {id} designated_root {id} root_port {} root_path_cost {} topology_change {} topology_change_detected {} hello_timer {:7.2} tcn_timer {:7.2} topology_change_timer {:7.2} gc_timer {gc_timer:7.2} group_fwd_mask {gfm} group_address {} mcast_snooping {} no_linklocal_learn {} mcast_vlan_snooping {} mcast_router {} mcast_query_use_ifaddr {} mcast_querier {} mcast_hash_elasticity {} mcast_hash_max {} mcast_last_member_count {} mcast_startup_query_count {} mcast_last_member_interval {} mcast_membership_interval {} mcast_querier_interval {} mcast_query_interval {} mcast_query_response_interval {} mcast_startup_query_interval {} mcast_stats_enabled {} mcast_igmp_version {} mcast_mld_version {} nf_call_iptables {} nf_call_ip6tables {} nf_call_arptables {} ",
        st.forward_delay.0 / 10_000_000,
        st.hello_time.0 / 10_000_000,
        st.max_age.0 / 10_000_000,
        b.effective_ageing().0 / 10_000_000,
        b.stp as u8,
        b.priority,
        b.vlan.filtering as u8,
        st.root_port,
        st.root_path_cost,
        st.topology_change as u8,
        st.topology_change_detected as u8,
        tm(st.hello_timer),
        tm(st.tcn_timer),
        tm(st.topology_change_timer),
        c.group_addr,
        !b.mcast_snooping_off as u8,
        c.no_linklocal_learn as u8,
        c.mcast_vlan_snooping as u8,
        c.mcast_router,
        c.mcast_query_use_ifaddr as u8,
        c.mcast_querier as u8,
        c.mcast_hash_elasticity,
        c.mcast_hash_max,
        c.mcast_last_member_count,
        c.mcast_startup_query_count,
        c.mcast_last_member_interval,
        c.mcast_membership_interval,
        c.mcast_querier_interval,
        c.mcast_query_interval,
        c.mcast_query_response_interval,
        c.mcast_startup_query_interval,
        c.mcast_stats_enabled as u8,
        c.mcast_igmp_version,
        c.mcast_mld_version,
        c.nf_call_iptables as u8,
        c.nf_call_ip6tables as u8,
        c.nf_call_arptables as u8,
    )
}

/// The bridge's `info_data` of `ip -j -d link` (bridge_print_opt() in a
/// JSON context: its own key names, timers with two decimals).
pub fn bridge_json(b: &Bridge, id: &str, gc_timer: f64, now: Time) -> Map<String, Value> {
    let c = &b.conf;
    let st = &b.st;
    let tm = |t: Option<Time>| timer(left(t, now).0 as f64 / 1e9);
    let cs = |t: Time| json!(t.0 / 10_000_000);
    let gfm = if c.group_fwd_mask == 0 {
        "0".to_string()
    } else {
        format!("{:#x}", c.group_fwd_mask)
    };
    let pairs = [
        ("forward_delay", cs(st.forward_delay)),
        ("hello_time", cs(st.hello_time)),
        ("max_age", cs(st.max_age)),
        ("ageing_time", cs(b.effective_ageing())),
        ("stp_state", json!(b.stp as u8)),
        ("priority", json!(b.priority)),
        ("vlan_filtering", json!(b.vlan.filtering as u8)),
        ("bridge_id", json!(id)),
        ("root_id", json!(id)),
        ("root_port", json!(st.root_port)),
        ("root_path_cost", json!(st.root_path_cost)),
        ("topology_change", json!(st.topology_change as u8)),
        (
            "topology_change_detected",
            json!(st.topology_change_detected as u8),
        ),
        ("hello_timer", tm(st.hello_timer)),
        ("tcn_timer", tm(st.tcn_timer)),
        ("topology_change_timer", tm(st.topology_change_timer)),
        ("gc_timer", timer(gc_timer)),
        ("group_fwd_mask", json!(gfm)),
        ("group_addr", json!(c.group_addr.to_string())),
        ("mcast_snooping", json!(!b.mcast_snooping_off as u8)),
        ("no_linklocal_learn", json!(c.no_linklocal_learn as u8)),
        ("mcast_vlan_snooping", json!(c.mcast_vlan_snooping as u8)),
        ("mcast_router", json!(c.mcast_router)),
        (
            "mcast_query_use_ifaddr",
            json!(c.mcast_query_use_ifaddr as u8),
        ),
        ("mcast_querier", json!(c.mcast_querier as u8)),
        ("mcast_hash_elasticity", json!(c.mcast_hash_elasticity)),
        ("mcast_hash_max", json!(c.mcast_hash_max)),
        ("mcast_last_member_cnt", json!(c.mcast_last_member_count)),
        (
            "mcast_startup_query_cnt",
            json!(c.mcast_startup_query_count),
        ),
        (
            "mcast_last_member_intvl",
            json!(c.mcast_last_member_interval),
        ),
        ("mcast_membership_intvl", json!(c.mcast_membership_interval)),
        ("mcast_querier_intvl", json!(c.mcast_querier_interval)),
        ("mcast_query_intvl", json!(c.mcast_query_interval)),
        (
            "mcast_query_response_intvl",
            json!(c.mcast_query_response_interval),
        ),
        (
            "mcast_startup_query_intvl",
            json!(c.mcast_startup_query_interval),
        ),
        ("mcast_stats_enabled", json!(c.mcast_stats_enabled as u8)),
        ("mcast_igmp_version", json!(c.mcast_igmp_version)),
        ("mcast_mld_version", json!(c.mcast_mld_version)),
        ("nf_call_iptables", json!(c.nf_call_iptables as u8)),
        ("nf_call_ip6tables", json!(c.nf_call_ip6tables as u8)),
        ("nf_call_arptables", json!(c.nf_call_arptables as u8)),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// A timer as print_timer() writes it in JSON: `%.2f` seconds.
fn timer(secs: f64) -> Value {
    crate::json::raw(&format!("{secs:.2}"))
}

/// A bridge port's `info_slave_data` (bridge_slave_print_opt() in JSON:
/// booleans for the on/off flags, ids as hex strings, no
/// mcast_fast_leave of its own).
pub fn slave_json(p: &Port, now: Time) -> Map<String, Value> {
    let f = &p.flags;
    let s = &p.stp;
    let tm = |t: Option<Time>| timer(left(t, now).0 as f64 / 1e9);
    let gfm = if f.group_fwd_mask == 0 {
        "0".to_string()
    } else {
        format!("{:#x}", f.group_fwd_mask)
    };
    let pairs = [
        ("state", json!(p.state.name())),
        ("priority", json!(p.priority)),
        ("cost", json!(p.path_cost)),
        ("hairpin", json!(p.hairpin)),
        ("guard", json!(f.guard)),
        ("root_block", json!(f.root_block)),
        ("fastleave", json!(f.fastleave)),
        ("learning", json!(p.learning)),
        ("flood", json!(p.flood)),
        ("id", json!(format!("{:#x}", Bridge::port_id(p)))),
        ("no", json!(format!("{:#x}", p.port_no))),
        ("designated_port", json!(s.designated_port)),
        ("designated_cost", json!(s.designated_cost)),
        ("bridge_id", json!(id_str(s.designated_bridge))),
        ("root_id", json!(id_str(s.designated_root))),
        ("hold_timer", tm(s.hold_timer)),
        ("message_age_timer", tm(s.message_age_timer)),
        ("forward_delay_timer", tm(p.fd_timer_until)),
        ("topology_change_ack", json!(s.topology_change_ack as u8)),
        ("config_pending", json!(s.config_pending as u8)),
        ("proxy_arp", json!(f.proxy_arp)),
        ("proxy_arp_wifi", json!(f.proxy_arp_wifi)),
        ("multicast_router", json!(f.mcast_router)),
        ("mcast_flood", json!(f.mcast_flood)),
        ("bcast_flood", json!(f.bcast_flood)),
        ("mcast_to_unicast", json!(f.mcast_to_unicast)),
        ("neigh_suppress", json!(f.neigh_suppress)),
        ("group_fwd_mask", json!(gfm)),
        (
            "group_fwd_mask_str",
            json!(format!("{:#x}", f.group_fwd_mask)),
        ),
        ("vlan_tunnel", json!(f.vlan_tunnel)),
        ("isolated", json!(f.isolated)),
        ("locked", json!(f.locked)),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The `-d` line of a bridge port (bridge_slave_print_opt()).
pub fn slave_details(p: &Port, now: Time) -> String {
    let f = &p.flags;
    let s = &p.stp;
    let tm = |t: Option<Time>| left(t, now).0 as f64 / 1e9;
    let (droot, dbr) = (id_str(s.designated_root), id_str(s.designated_bridge));
    let pid = Bridge::port_id(p);
    let gfm = if f.group_fwd_mask == 0 {
        "0".to_string()
    } else {
        format!("{:#x}", f.group_fwd_mask)
    };
    format!(
        "\n    bridge_slave state {} priority {} cost {} hairpin {} guard {} root_block {} fastleave {} learning {} flood {} port_id 0x{pid:04x} port_no 0x{:x} designated_port {} designated_cost {} designated_bridge {dbr} designated_root {droot} hold_timer {:7.2} message_age_timer {:7.2} forward_delay_timer {:7.2} topology_change_ack {} config_pending {} proxy_arp {} proxy_arp_wifi {} mcast_router {} mcast_fast_leave {} mcast_flood {} bcast_flood {} mcast_to_unicast {} neigh_suppress {} group_fwd_mask {gfm} group_fwd_mask_str {:#x} vlan_tunnel {} isolated {} locked {} ",
        p.state.name(),
        p.priority,
        p.path_cost,
        onoff(p.hairpin),
        onoff(f.guard),
        onoff(f.root_block),
        onoff(f.fastleave),
        onoff(p.learning),
        onoff(p.flood),
        p.port_no,
        s.designated_port,
        s.designated_cost,
        tm(s.hold_timer),
        tm(s.message_age_timer),
        tm(p.fd_timer_until),
        s.topology_change_ack as u8,
        s.config_pending as u8,
        onoff(f.proxy_arp),
        onoff(f.proxy_arp_wifi),
        f.mcast_router,
        onoff(f.fastleave),
        onoff(f.mcast_flood),
        onoff(f.bcast_flood),
        onoff(f.mcast_to_unicast),
        onoff(f.neigh_suppress),
        f.group_fwd_mask,
        onoff(f.vlan_tunnel),
        onoff(f.isolated),
        onoff(f.locked),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn numbers_take_base_prefixes_and_widths() {
        assert_eq!(num("0x4000", 0xffff), Some(0x4000));
        assert_eq!(num("010", 0xff), Some(8));
        assert_eq!(num("70000", 0xffff), None);
        assert_eq!(num("abc", 0xffff), None);
    }

    #[test]
    fn timers_come_before_stp_and_the_rest() {
        let a = parse_bridge(&v("priority 5 stp_state 1 forward_delay 100")).unwrap();
        assert_eq!(a.stp, Some(true));
        assert_eq!(
            a.opts,
            vec![BrOpt::ForwardDelay(Time::from_secs(1)), BrOpt::Priority(5)]
        );
        assert!(matches!(
            parse_bridge(&v("priority 70000")),
            Err(Error::InvArg { .. })
        ));
    }

    #[test]
    fn slave_options_parse_in_setport_order() {
        let o = parse_slave(&v("cost 20 isolated on hairpin off"), |_| None).unwrap();
        assert_eq!(
            o,
            vec![
                BrPortOpt::Flag(PortFlag::Isolated, true),
                BrPortOpt::Hairpin(false),
                BrPortOpt::PathCost(20)
            ]
        );
        assert!(parse_slave(&v("hairpin maybe"), |_| None).is_err());
        assert!(parse_slave(&v("bogus on"), |_| None).is_err());
    }
}
