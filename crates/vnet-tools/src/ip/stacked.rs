//! `ip link add ... type vlan|macvlan|macvtap|ipvlan` (iproute2's
//! iplink_vlan.c, iplink_macvlan.c, iplink_ipvlan.c): their options and
//! their `ip -d link` lines.

use super::{Error, Res};
use crate::args::matches;
use vnet_core::dev::ipvlan::IpvlanMode;
use vnet_core::dev::macvlan::MacvlanMode;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::dev::vlan::{vlanf, VlanParams, ETH_P_8021AD, ETH_P_8021Q};
use vnet_core::dev::{DevKind, Device};
use vnet_core::World;

const VLAN_USAGE: &str = "Usage: ... vlan id VLANID
\t\t[ protocol VLANPROTO ]
\t\t[ reorder_hdr { on | off } ]
\t\t[ gvrp { on | off } ]
\t\t[ mvrp { on | off } ]
\t\t[ loose_binding { on | off } ]
\t\t[ bridge_binding { on | off } ]
\t\t[ ingress-qos-map QOS-MAP ]
\t\t[ egress-qos-map QOS-MAP ]

VLANID := 0-4095
VLANPROTO: [ 802.1Q | 802.1ad ]
QOS-MAP := [ QOS-MAP ] QOS-MAPPING
QOS-MAPPING := FROM:TO
";

fn macvlan_usage(kind: &str) -> String {
    format!(
        "Usage: ... {kind} mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]

MODE: private | vepa | bridge | passthru | source
MODE_FLAG: null | nopromisc | nodst
MODE_OPTS: for mode \"source\":
\tmacaddr {{ {{ add | del }} <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }}
BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]
"
    )
}

fn ipvlan_usage(kind: &str) -> String {
    format!(
        "Usage: ... {kind} [ mode MODE ] [ FLAGS ]

MODE: l3 | l3s | l2
FLAGS: bridge | private | vepa
(first values are the defaults if nothing is specified).
"
    )
}

/// get_u16()/get_u32() with base 0: decimal, 0x hex or 0 octal.
fn get_num(v: &str, max: u64) -> Option<u64> {
    crate::args::get_unsigned(v, max)
}

/// The request for `type KIND ARGS...` on lower `link`, or None when KIND
/// is none of these.
pub fn parse(
    kind: &str,
    link: Option<u32>,
    mtu: Option<u32>,
    args: &[String],
) -> Res<Option<NewLink>> {
    let mut i = 0;
    let next = |i: &mut usize| -> Res<&str> {
        *i += 1;
        args.get(*i).map(|s| s.as_str()).ok_or(Error::Incomplete)
    };
    match kind {
        "vlan" => {
            if args.is_empty() {
                // No IFLA_INFO_DATA at all: vlan_validate() says so.
                return Err(Error::Kernel(vnet_core::KernelError::ext(
                    vnet_core::Errno::EINVAL,
                    "8021q: VLAN properties not specified",
                )));
            }
            Ok(Some(NewLink::Vlan {
                link,
                params: parse_vlan(args)?,
                mtu,
            }))
        }
        "macvlan" | "macvtap" => {
            let mut mode = None;
            let mut bcq = None;
            while i < args.len() {
                let a = args[i].as_str();
                if matches(a, "mode") {
                    let v = next(&mut i)?;
                    match MacvlanMode::parse(v) {
                        Some(m) => mode = Some(m),
                        None => return Err(Error::Failed(format!(
                            "Error: argument of \"mode\" must be \"private\", \"vepa\", \"bridge\", \"passthru\" or \"source\", not \"{v}\"\n"
                        ))),
                    }
                } else if matches(a, "flag") || matches(a, "nopromisc") || matches(a, "nodst") {
                    return Err(Error::NotSimulated(format!("{kind} flags")));
                } else if matches(a, "macaddr") {
                    return Err(Error::NotSimulated(format!("{kind} macaddr")));
                } else if matches(a, "bcqueuelen") {
                    let v = next(&mut i)?;
                    match get_num(v, u32::MAX as u64) {
                        Some(n) => bcq = Some(n as u32),
                        None => {
                            return Err(Error::Failed(format!(
                                "Error: argument of \"bcqueuelen\" must be a positive integer [0-4294967295], not \"{v}\"\n"
                            )))
                        }
                    }
                } else if matches(a, "help") {
                    return Err(Error::Failed(macvlan_usage(kind)));
                } else {
                    return Err(Error::Failed(format!(
                        "{kind}: unknown option \"{a}\"?\n{}",
                        macvlan_usage(kind)
                    )));
                }
                i += 1;
            }
            Ok(Some(NewLink::Macvlan {
                link,
                mode,
                tap: kind == "macvtap",
                bcqueuelen: bcq,
                mtu,
            }))
        }
        "ipvlan" => {
            let mut mode = None;
            while i < args.len() {
                let a = args[i].as_str();
                if matches(a, "mode") {
                    let v = next(&mut i)?;
                    mode = Some(match v {
                        "l2" => IpvlanMode::L2,
                        "l3" => IpvlanMode::L3,
                        "l3s" => IpvlanMode::L3s,
                        _ => {
                            return Err(Error::Failed(
                                "Error: argument of \"mode\" must be either \"l2\", \"l3\" or \"l3s\"\n"
                                    .into(),
                            ))
                        }
                    });
                } else if matches(a, "bridge") {
                } else if matches(a, "private") || matches(a, "vepa") {
                    return Err(Error::NotSimulated(format!("ipvlan {a}")));
                } else if matches(a, "help") {
                    return Err(Error::Failed(ipvlan_usage(kind)));
                } else {
                    return Err(Error::Failed(format!(
                        "{kind}: unknown option \"{a}\"?\n{}",
                        ipvlan_usage(kind)
                    )));
                }
                i += 1;
            }
            // ipvlan_link_new(): l3 unless told.
            Ok(Some(NewLink::Ipvlan { link, mode, mtu }))
        }
        _ => Ok(None),
    }
}

/// iplink_vlan.c vlan_parse_opt(): IFLA_VLAN_* from the words after `type vlan`.
fn parse_vlan(args: &[String]) -> Res<VlanParams> {
    let mut i = 0;
    let next = |i: &mut usize| -> Res<&str> {
        *i += 1;
        args.get(*i).map(|s| s.as_str()).ok_or(Error::Incomplete)
    };
    let mut p = VlanParams::default();
    let (mut mask, mut flags) = (0u32, 0u32);
    while i < args.len() {
        let a = args[i].as_str();
        let mut onoff = |bit: u32, key: &str, i: &mut usize| -> Res {
            let v = next(i)?;
            mask |= bit;
            match v {
                "on" => flags |= bit,
                "off" => flags &= !bit,
                _ => {
                    return Err(Error::Failed(format!(
                        "Error: argument of \"{key}\" must be \"on\" or \"off\", not \"{v}\"\n"
                    )))
                }
            }
            Ok(())
        };
        if matches(a, "protocol") {
            let v = next(&mut i)?;
            p.proto = Some(match v.to_ascii_lowercase().as_str() {
                "802.1q" => ETH_P_8021Q,
                "802.1ad" => ETH_P_8021AD,
                _ => match get_num(v, 0xffff) {
                    Some(n) => n as u16,
                    None => return Err(Error::invarg("protocol is invalid", v)),
                },
            });
        } else if matches(a, "id") {
            let v = next(&mut i)?;
            match get_num(v, 0xffff) {
                Some(n) => p.id = Some(n as u16),
                None => return Err(Error::invarg("id is invalid", v)),
            }
        } else if matches(a, "reorder_hdr") {
            onoff(vlanf::REORDER_HDR, "reorder_hdr", &mut i)?;
        } else if matches(a, "gvrp") {
            onoff(vlanf::GVRP, "gvrp", &mut i)?;
        } else if matches(a, "mvrp") {
            onoff(vlanf::MVRP, "mvrp", &mut i)?;
        } else if matches(a, "loose_binding") {
            onoff(vlanf::LOOSE_BINDING, "loose_binding", &mut i)?;
        } else if matches(a, "bridge_binding") {
            onoff(vlanf::BRIDGE_BINDING, "bridge_binding", &mut i)?;
        } else if matches(a, "ingress-qos-map") || matches(a, "egress-qos-map") {
            // vlan_parse_qos_map(): FROM:TO words until one has no
            // colon; a bad number names the part before the colon.
            let ingress = matches(a, "ingress-qos-map");
            next(&mut i)?;
            while let Some(w) = args.get(i) {
                let Some((from, to)) = w.split_once(':') else {
                    break;
                };
                let (Some(f), Some(t)) =
                    (get_num(from, u32::MAX as u64), get_num(to, u32::MAX as u64))
                else {
                    let what = if ingress { "ingress" } else { "egress" };
                    return Err(Error::invarg(&format!("invalid {what}-qos-map"), from));
                };
                let m = (f as u32, t as u32);
                if ingress {
                    p.ingress.push(m);
                } else {
                    p.egress.push(m);
                }
                i += 1;
            }
            continue;
        } else if matches(a, "help") {
            return Err(Error::Failed(VLAN_USAGE.into()));
        } else {
            return Err(Error::Failed(format!(
                "vlan: unknown command \"{a}\"?\n{VLAN_USAGE}"
            )));
        }
        i += 1;
    }
    if mask != 0 {
        p.flags = Some((mask, flags));
    }
    Ok(p)
}

/// `ip link set DEV type vlan ...`: rtnl_changelink() → vlan_changelink();
/// a device of another kind refuses data it has no changelink for.
pub fn vlan_link_change(c: &mut crate::ip::Cmd, idx: u32, args: &[String]) -> Res {
    if args.is_empty() {
        // No IFLA_INFO_DATA: nothing for changelink to do.
        return Ok(());
    }
    let p = parse_vlan(args)?;
    let r = vnet_core::dev::DevRef {
        ns: c.ns,
        ifindex: idx,
    };
    Ok(c.m.world.vlan_changelink(r, &p)?)
}

/// The kind line of `ip -d link` for a stacked device (after "\n    ").
pub fn details(w: &World, d: &Device) -> Option<String> {
    Some(match &d.kind {
        DevKind::Vlan(v) => {
            let proto = if v.proto == ETH_P_8021AD {
                "802.1ad"
            } else {
                "802.1Q"
            };
            let mut names = Vec::new();
            for (bit, n) in [
                (vlanf::REORDER_HDR, "REORDER_HDR"),
                (vlanf::GVRP, "GVRP"),
                (vlanf::MVRP, "MVRP"),
                (vlanf::LOOSE_BINDING, "LOOSE_BINDING"),
                (vlanf::BRIDGE_BINDING, "BRIDGE_BINDING"),
            ] {
                if v.flags & bit != 0 {
                    names.push(n);
                }
            }
            let mut s = format!("vlan protocol {proto} id {} <{}> ", v.id, names.join(","));
            // vlan_fill_info() sends a map only when it has entries;
            // vlan_print_map() puts each on a line of its own.
            let ingress: Vec<String> = v
                .ingress
                .iter()
                .enumerate()
                .filter(|(_, to)| **to != 0)
                .map(|(from, to)| format!("{from}:{to} "))
                .collect();
            if !ingress.is_empty() {
                s.push_str(&format!(
                    "\n      ingress-qos-map {{ {}}} ",
                    ingress.concat()
                ));
            }
            let egress: Vec<String> = v
                .egress
                .iter()
                .filter(|(_, q)| *q != 0)
                .map(|(from, q)| format!("{from}:{q} "))
                .collect();
            if !egress.is_empty() {
                s.push_str(&format!("\n      egress-qos-map {{ {}}} ", egress.concat()));
            }
            s
        }
        DevKind::Macvlan(m) => {
            let used = bc_queue_len_used(w, m);
            let mut s = format!(
                "{} mode {} bcqueuelen {} usedbcqueuelen {used} ",
                if m.tap { "macvtap" } else { "macvlan" },
                m.mode.name(),
                m.bcqueuelen
            );
            if m.mode == MacvlanMode::Source {
                s.push_str("remotes (0) ");
            }
            s
        }
        DevKind::Ipvlan(v) => format!("ipvlan  mode {} bridge ", v.mode.name()),
        _ => return None,
    })
}

/// port->bc_queue_len_used: the largest bcqueuelen asked on the port.
fn bc_queue_len_used(w: &World, m: &vnet_core::dev::macvlan::Macvlan) -> u32 {
    w.dev(m.lower)
        .map(|l| {
            l.uppers
                .iter()
                .filter_map(|u| match w.dev(*u).map(|d| &d.kind) {
                    Some(DevKind::Macvlan(x)) => Some(x.bcqueuelen),
                    _ => None,
                })
                .max()
                .unwrap_or(m.bcqueuelen)
        })
        .unwrap_or(m.bcqueuelen)
}

/// The kind and `info_data` of a stacked device for `ip -j -d link`:
/// macvlan_print_opt(), ipvlan_print_opt() and vlan_print_opt() in a
/// JSON context.
pub fn json(w: &World, d: &Device) -> Option<(&'static str, serde_json::Value)> {
    use serde_json::json;
    Some(match &d.kind {
        DevKind::Vlan(v) => {
            let proto = if v.proto == ETH_P_8021AD {
                "802.1ad"
            } else {
                "802.1Q"
            };
            let flags: Vec<&str> = [
                (vlanf::REORDER_HDR, "REORDER_HDR"),
                (vlanf::GVRP, "GVRP"),
                (vlanf::MVRP, "MVRP"),
                (vlanf::LOOSE_BINDING, "LOOSE_BINDING"),
                (vlanf::BRIDGE_BINDING, "BRIDGE_BINDING"),
            ]
            .into_iter()
            .filter(|(bit, _)| v.flags & bit != 0)
            .map(|(_, n)| n)
            .collect();
            let mut m = serde_json::Map::new();
            m.insert("protocol".into(), json!(proto));
            m.insert("id".into(), json!(v.id));
            m.insert("flags".into(), json!(flags));
            // vlan_print_map(): one {from, to} object per mapping.
            let ingress: Vec<serde_json::Value> = v
                .ingress
                .iter()
                .enumerate()
                .filter(|(_, to)| **to != 0)
                .map(|(from, to)| json!({"from": from, "to": to}))
                .collect();
            if !ingress.is_empty() {
                m.insert("ingress_qos".into(), json!(ingress));
            }
            let egress: Vec<serde_json::Value> = v
                .egress
                .iter()
                .filter(|(_, q)| *q != 0)
                .map(|(from, q)| json!({"from": from, "to": q}))
                .collect();
            if !egress.is_empty() {
                m.insert("egress_qos".into(), json!(egress));
            }
            ("vlan", serde_json::Value::Object(m))
        }
        DevKind::Macvlan(m) => {
            let kind = if m.tap { "macvtap" } else { "macvlan" };
            let mut o = serde_json::Map::new();
            o.insert("mode".into(), json!(m.mode.name()));
            o.insert("bcqueuelen".into(), json!(m.bcqueuelen));
            o.insert("usedbcqueuelen".into(), json!(bc_queue_len_used(w, m)));
            if m.mode == MacvlanMode::Source {
                o.insert("macaddr_count".into(), json!(0));
            }
            (kind, serde_json::Value::Object(o))
        }
        // ipvlan_print_opt(): the flag as a key of its own (vnet's ipvlans
        // are all `bridge`).
        DevKind::Ipvlan(v) => ("ipvlan", json!({"mode": v.mode.name(), "bridge": true})),
        _ => return None,
    })
}
