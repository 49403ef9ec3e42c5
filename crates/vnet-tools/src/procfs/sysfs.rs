//! /sys/class/net and /sys/devices/virtual/net/DEV: the attributes of
//! net-sysfs.c, the bridge's (br_sysfs_br.c, br_sysfs_if.c) and the links
//! between masters and ports, as a Debian 12 kernel (6.1) lists them.
//!
//! Times are the kernel's clock_t (USER_HZ, hundredths of a second).
//! Every device sits under devices/virtual/net (a physical NIC would be
//! under its bus on a real machine).

use super::errno::{EACCES, EINVAL, EOPNOTSUPP};
use super::Node;
use crate::ip::link_br_vlan::VlanOpt;
use vnet_core::bridge::br_netlink::{BrOpt, BrPortOpt};
use vnet_core::bridge::br_stp::{left, split_id};
use vnet_core::bridge::{Bridge, PortFlags, PortState};
use vnet_core::dev::bond::Bond;
use vnet_core::dev::{arphrd, iff, tunf, DevKind, DevRef, Device, OperState};
use vnet_core::{Errno, NsId, Time, World};

/// The attributes of every net device (net_class_attrs), plus the
/// directories and links each has.
const DEV_ATTRS: &[&str] = &[
    "addr_assign_type",
    "addr_len",
    "address",
    "broadcast",
    "carrier",
    "carrier_changes",
    "carrier_down_count",
    "carrier_up_count",
    "dev_id",
    "dev_port",
    "dormant",
    "duplex",
    "flags",
    "gro_flush_timeout",
    "ifalias",
    "ifindex",
    "iflink",
    "link_mode",
    "mtu",
    "name_assign_type",
    "napi_defer_hard_irqs",
    "netdev_group",
    "operstate",
    "phys_port_id",
    "phys_port_name",
    "phys_switch_id",
    "power",
    "proto_down",
    "queues",
    "speed",
    "statistics",
    "subsystem",
    "testing",
    "threaded",
    "tx_queue_len",
    "type",
    "uevent",
];

/// netstat_attrs: the files of statistics/.
const STATS: &[&str] = &[
    "collisions",
    "multicast",
    "rx_bytes",
    "rx_compressed",
    "rx_crc_errors",
    "rx_dropped",
    "rx_errors",
    "rx_fifo_errors",
    "rx_frame_errors",
    "rx_length_errors",
    "rx_missed_errors",
    "rx_nohandler",
    "rx_over_errors",
    "rx_packets",
    "tx_aborted_errors",
    "tx_bytes",
    "tx_carrier_errors",
    "tx_compressed",
    "tx_dropped",
    "tx_errors",
    "tx_fifo_errors",
    "tx_heartbeat_errors",
    "tx_packets",
    "tx_window_errors",
];

/// bridge_attrs (with IGMP snooping, bridge netfilter and VLAN filtering,
/// as Debian builds the bridge).
const BRIDGE_ATTRS: &[&str] = &[
    "ageing_time",
    "bridge_id",
    "default_pvid",
    "flush",
    "forward_delay",
    "gc_timer",
    "group_addr",
    "group_fwd_mask",
    "hash_elasticity",
    "hash_max",
    "hello_time",
    "hello_timer",
    "max_age",
    "multicast_igmp_version",
    "multicast_last_member_count",
    "multicast_last_member_interval",
    "multicast_membership_interval",
    "multicast_mld_version",
    "multicast_querier",
    "multicast_querier_interval",
    "multicast_query_interval",
    "multicast_query_response_interval",
    "multicast_query_use_ifaddr",
    "multicast_router",
    "multicast_snooping",
    "multicast_startup_query_count",
    "multicast_startup_query_interval",
    "multicast_stats_enabled",
    "nf_call_arptables",
    "nf_call_ip6tables",
    "nf_call_iptables",
    "no_linklocal_learn",
    "priority",
    "root_id",
    "root_path_cost",
    "root_port",
    "stp_state",
    "tcn_timer",
    "topology_change",
    "topology_change_detected",
    "topology_change_timer",
    "vlan_filtering",
    "vlan_protocol",
    "vlan_stats_enabled",
    "vlan_stats_per_port",
];

/// brport_attrs, plus the `bridge` link.
const BRPORT_ATTRS: &[&str] = &[
    "backup_port",
    "bpdu_guard",
    "bridge",
    "broadcast_flood",
    "change_ack",
    "config_pending",
    "designated_bridge",
    "designated_cost",
    "designated_port",
    "designated_root",
    "flush",
    "forward_delay_timer",
    "group_fwd_mask",
    "hairpin_mode",
    "hold_timer",
    "isolated",
    "learning",
    "message_age_timer",
    "multicast_fast_leave",
    "multicast_flood",
    "multicast_router",
    "multicast_to_unicast",
    "neigh_suppress",
    "path_cost",
    "port_id",
    "port_no",
    "priority",
    "proxyarp",
    "proxyarp_wifi",
    "root_block",
    "state",
    "unicast_flood",
];

pub(super) fn lookup(w: &World, ns: NsId, tail: &[&str]) -> Option<Node> {
    let n = w.ns(ns);
    let names = || n.devs().values().map(|d| d.name.clone());
    match tail {
        [] => Some(Node::dir(["class", "devices"])),
        ["class"] => Some(Node::dir(["net"])),
        ["class", "net"] if super::bonding::loaded(w) => {
            Some(Node::dir(names().chain(["bonding_masters".to_string()])))
        }
        ["class", "net", "bonding_masters"] if super::bonding::loaded(w) => {
            Some(Node::text(super::bonding::masters(w, ns)))
        }
        ["class", "net"] | ["devices", "virtual", "net"] => Some(Node::dir(names())),
        ["class", "net", dev] => n
            .dev_by_name(dev)
            .map(|_| Node::Symlink(format!("../../devices/virtual/net/{dev}"))),
        // The path through the link answers as the device's own directory.
        ["class", "net", dev, rest @ ..] | ["devices", "virtual", "net", dev, rest @ ..] => {
            let d = n.dev_by_name(dev)?;
            device(
                w,
                DevRef {
                    ns,
                    ifindex: d.ifindex,
                },
                d,
                rest,
            )
        }
        ["devices"] => Some(Node::dir(["virtual"])),
        ["devices", "virtual"] => Some(Node::dir(["net"])),
        _ => None,
    }
}

/// The bridge a device is a port of, with the port.
fn master<'a>(w: &'a World, r: DevRef, d: &Device) -> Option<(&'a Device, &'a Bridge)> {
    let m = w.ns(r.ns).dev(d.master?)?;
    Some((m, m.bridge()?))
}

/// The bond a device is a slave of.
fn bond_master<'a>(w: &'a World, r: DevRef, d: &Device) -> Option<(&'a Device, &'a Bond)> {
    let m = w.ns(r.ns).dev(d.master?)?;
    match &m.kind {
        DevKind::Bond(b) => Some((m, b)),
        _ => None,
    }
}

fn device(w: &World, r: DevRef, d: &Device, rest: &[&str]) -> Option<Node> {
    let bond = bond_master(w, r, d);
    match rest {
        [] if matches!(d.kind, DevKind::Bond(_)) || bond.is_some() => {
            let Some(Node::Dir(mut v)) = device_plain(w, r, d, rest) else {
                return None;
            };
            if let DevKind::Bond(b) = &d.kind {
                v.push("bonding".into());
                for s in &b.slaves {
                    if let Some(pd) = w.ns(r.ns).dev(s.ifindex) {
                        v.push(format!("lower_{}", pd.name));
                    }
                }
            }
            if let Some((m, _)) = bond {
                v.extend(["bonding_slave".to_string(), "master".to_string()]);
                v.push(format!("upper_{}", m.name));
            }
            Some(Node::dir(v))
        }
        ["bonding"] if matches!(d.kind, DevKind::Bond(_)) => {
            Some(Node::dir(super::bonding::BOND_ATTRS.iter().copied()))
        }
        ["bonding", attr] => super::bonding::bond_attr(w, r, d, attr),
        ["bonding_slave"] if bond.is_some() => {
            Some(Node::dir(super::bonding::SLAVE_ATTRS.iter().copied()))
        }
        ["bonding_slave", attr] => super::bonding::slave_attr(bond?.1, d.ifindex, attr),
        ["master"] if bond.is_some() => bond.map(|(m, _)| Node::Symlink(format!("../{}", m.name))),
        [l] if bond.is_some() && l.starts_with("upper_") => bond
            .filter(|(m, _)| l["upper_".len()..] == m.name)
            .map(|(m, _)| Node::Symlink(format!("../{}", m.name))),
        [l] if matches!(d.kind, DevKind::Bond(_)) && l.starts_with("lower_") => {
            let DevKind::Bond(b) = &d.kind else {
                return None;
            };
            let pd = w.ns(r.ns).dev_by_name(&l["lower_".len()..])?;
            b.slave(pd.ifindex)
                .map(|_| Node::Symlink(format!("../{}", pd.name)))
        }
        _ => device_plain(w, r, d, rest),
    }
}

fn device_plain(w: &World, r: DevRef, d: &Device, rest: &[&str]) -> Option<Node> {
    let port = master(w, r, d);
    match rest {
        [] => {
            let mut v: Vec<String> = DEV_ATTRS.iter().map(|s| s.to_string()).collect();
            if let Some(b) = d.bridge() {
                v.extend(["bridge", "brforward", "brif"].map(String::from));
                for p in &b.ports {
                    if let Some(pd) = w.ns(r.ns).dev(p.ifindex) {
                        v.push(format!("lower_{}", pd.name));
                    }
                }
            }
            // tun_attr_group.
            if matches!(d.kind, DevKind::Tun { .. }) {
                v.extend(["tun_flags", "owner", "group"].map(String::from));
            }
            if let Some((m, _)) = port {
                v.extend(["brport".to_string(), "master".to_string()]);
                v.push(format!("upper_{}", m.name));
            }
            Some(Node::dir(v))
        }
        ["statistics"] => Some(Node::dir(STATS.iter().copied())),
        ["statistics", s] => stat(d, s).map(|v| Node::text(format!("{v}\n"))),
        ["subsystem"] => Some(Node::Symlink("../../../../class/net".into())),
        // Runtime power management and the queues' knobs are not modelled.
        ["power"] | ["queues"] => Some(Node::Dir(Vec::new())),
        ["master"] => port.map(|(m, _)| Node::Symlink(format!("../{}", m.name))),
        [l] if l.starts_with("upper_") => port
            .filter(|(m, _)| l["upper_".len()..] == m.name)
            .map(|(m, _)| Node::Symlink(format!("../{}", m.name))),
        [l] if l.starts_with("lower_") => {
            let b = d.bridge()?;
            let pd = w.ns(r.ns).dev_by_name(&l["lower_".len()..])?;
            b.port(pd.ifindex)
                .map(|_| Node::Symlink(format!("../{}", pd.name)))
        }
        ["bridge", tail @ ..] => bridge(w, d.bridge()?, tail),
        ["brif"] => {
            let b = d.bridge()?;
            Some(Node::dir(b.ports.iter().filter_map(|p| {
                w.ns(r.ns).dev(p.ifindex).map(|x| x.name.clone())
            })))
        }
        ["brif", p] => {
            let pd = w.ns(r.ns).dev_by_name(p)?;
            d.bridge()?
                .port(pd.ifindex)
                .map(|_| Node::Symlink(format!("../../{p}/brport")))
        }
        ["brforward"] => Some(Node::File(brforward(w, d.bridge()?))),
        ["brport", tail @ ..] => {
            let (m, b) = port?;
            brport(w, r.ns, m, b, d.ifindex, tail)
        }
        [attr] => attribute(w, r, d, attr),
        _ => None,
    }
}

/// One counter of statistics/ (rtnl_link_stats64).
fn stat(d: &Device, name: &str) -> Option<u64> {
    let s = &d.stats;
    Some(match name {
        "rx_bytes" => s.rx_bytes,
        "rx_packets" => s.rx_packets,
        "rx_errors" => s.rx_errors,
        "rx_dropped" => s.rx_dropped,
        "multicast" => s.rx_multicast,
        "tx_bytes" => s.tx_bytes,
        "tx_packets" => s.tx_packets,
        "tx_errors" => s.tx_errors,
        "tx_dropped" => s.tx_dropped,
        "tx_carrier_errors" => s.tx_carrier,
        "collisions" => s.collisions,
        n if STATS.contains(&n) => 0,
        _ => return None,
    })
}

/// sysfs_format_mac(): lower-case hex bytes joined by colons.
fn mac_text(b: &[u8]) -> String {
    let v: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}\n", v.join(":"))
}

/// The hardware address, its length and the broadcast address.
fn hw(d: &Device) -> (Vec<u8>, Vec<u8>) {
    match d.arphrd() {
        arphrd::ETHER => (d.mac.0.to_vec(), vec![0xff; 6]),
        arphrd::LOOPBACK => (vec![0; 6], vec![0; 6]),
        // An IP tunnel's addresses are its endpoints (ip_tunnel_bind_dev
        // copies saddr and daddr); an L3 tun has none.
        arphrd::TUNNEL | arphrd::SIT | arphrd::IPGRE => match d.tunnel() {
            Some(t) => (t.p.saddr.octets().to_vec(), t.p.daddr.octets().to_vec()),
            None => (vec![0; 4], vec![0; 4]),
        },
        _ => (Vec::new(), Vec::new()),
    }
}

/// get_link_ksettings of the driver, while the device runs: veth says
/// 10000 full, tun 10 full, a bridge the fastest forwarding port (-1 when
/// none) with unknown duplex; others have no such op.
fn ksettings(w: &World, r: DevRef, d: &Device) -> Option<(i64, &'static str)> {
    match &d.kind {
        DevKind::Veth { .. } => Some((10000, "full")),
        DevKind::Tun { .. } => Some((10, "full")),
        DevKind::Bridge(b) => {
            let speed = b
                .ports
                .iter()
                .filter(|p| p.state != PortState::Disabled)
                .filter_map(|p| {
                    let pr = DevRef {
                        ns: r.ns,
                        ifindex: p.ifindex,
                    };
                    let pd = w.dev(pr)?;
                    if w.operstate(pr) != OperState::Up {
                        return None;
                    }
                    ksettings(w, pr, pd).map(|k| k.0)
                })
                .max()
                .unwrap_or(-1);
            Some((speed, "unknown"))
        }
        _ => None,
    }
}

fn attribute(w: &World, r: DevRef, d: &Device, attr: &str) -> Option<Node> {
    let running = d.up;
    let dec = |v: i64| Node::text(format!("{v}\n"));
    let need_running = |v: i64| if running { dec(v) } else { Node::Err(EINVAL) };
    // carrier_changes counts both ways; every device is born with carrier
    // on, so the first change is a loss: down = ceil(n/2), up = floor(n/2).
    let changes = d.stats.carrier_changes as i64;
    Some(match attr {
        // NET_ADDR_PERM, RANDOM or SET; a tun has no address to make up.
        "addr_assign_type" => dec(match d.kind {
            _ if d.mac_set => 3,
            DevKind::Loopback | DevKind::Nic { .. } | DevKind::Tunnel(_) => 0,
            DevKind::Tun { tap: false, .. } => 0,
            _ => 1,
        }),
        "addr_len" => dec(hw(d).0.len() as i64),
        "address" => Node::text(mac_text(&hw(d).0)),
        "broadcast" => Node::text(mac_text(&hw(d).1)),
        "carrier" => need_running(i64::from(w.carrier(r))),
        "carrier_changes" => dec(changes),
        "carrier_down_count" => dec(changes - changes / 2),
        "carrier_up_count" => dec(changes / 2),
        "dev_id" => Node::text("0x0\n"),
        "dev_port"
        | "link_mode"
        | "gro_flush_timeout"
        | "napi_defer_hard_irqs"
        | "threaded"
        | "proto_down" => dec(0),
        "dormant" | "testing" => need_running(0),
        "duplex" | "speed" => match ksettings(w, r, d) {
            Some((speed, duplex)) if running => {
                if attr == "speed" {
                    dec(speed)
                } else {
                    Node::text(format!("{duplex}\n"))
                }
            }
            _ => Node::Err(EINVAL),
        },
        // dev->flags: no IFF_RUNNING/LOWER_UP (those are dev_get_flags()'s);
        // a port's promiscuity and allmulti show here.
        "flags" => {
            let mut f = d.flags(false) & !(iff::LOWER_UP | iff::RUNNING);
            if d.promisc > 0 {
                f |= iff::PROMISC;
            }
            if d.master.is_some() {
                f |= iff::ALLMULTI;
            }
            Node::text(format!("0x{f:x}\n"))
        }
        "ifalias" => match &d.alias {
            Some(a) => Node::text(format!("{a}\n")),
            None => Node::File(Vec::new()),
        },
        "ifindex" => dec(i64::from(d.ifindex)),
        // dev_get_iflink(): a veth's peer, an IP tunnel's underlying device
        // (0 when it has none), the device itself otherwise.
        "iflink" => dec(i64::from(match d.tunnel() {
            Some(t) => t.p.link,
            None => d.iflink().map_or(d.ifindex, |p| p.ifindex),
        })),
        "mtu" => dec(i64::from(d.mtu)),
        // NET_NAME_PREDICTABLE for lo, NET_NAME_USER for devices named by
        // `ip link add`; tun/tap are NET_NAME_UNKNOWN, which reads EINVAL.
        "name_assign_type" => match d.kind {
            DevKind::Loopback => dec(2),
            DevKind::Tun { .. } => Node::Err(EINVAL),
            _ => dec(3),
        },
        "tun_flags" | "owner" | "group" => return tun_attr(d, attr),
        "netdev_group" => dec(i64::from(d.group)),
        "operstate" => Node::text(format!("{}\n", w.operstate(r).name().to_ascii_lowercase())),
        "phys_port_id" | "phys_port_name" | "phys_switch_id" => Node::Err(EOPNOTSUPP),
        "tx_queue_len" => dec(i64::from(d.txqlen)),
        "type" => dec(i64::from(d.arphrd())),
        "uevent" => {
            let devtype = match d.kind {
                DevKind::Bridge(_) => "DEVTYPE=bridge\n",
                DevKind::Vxlan(_) => "DEVTYPE=vxlan\n",
                DevKind::Vlan(_) => "DEVTYPE=vlan\n",
                _ => "",
            };
            Node::text(format!(
                "{devtype}INTERFACE={}\nIFINDEX={}\n",
                d.name, d.ifindex
            ))
        }
        _ => return None,
    })
}

/// tun_attr_group: the TUNSETIFF flags the device keeps (with IFF_TUN or
/// IFF_TAP and IFF_PERSIST), and its owner and group (-1 for none).
fn tun_attr(d: &Device, attr: &str) -> Option<Node> {
    const IFF_TUN: u16 = 0x0001;
    const IFF_TAP: u16 = 0x0002;
    const IFF_PERSIST: u16 = 0x0800;
    let DevKind::Tun {
        tap,
        persist,
        owner,
        group,
        ..
    } = &d.kind
    else {
        return None;
    };
    let id = |v: &Option<u32>| v.map_or("-1".to_string(), |x| x.to_string());
    Some(Node::text(match attr {
        "tun_flags" => {
            let keep = tunf::NO_PI | tunf::ONE_QUEUE | tunf::VNET_HDR | tunf::MULTI_QUEUE;
            let mut f = d.tun_flags & keep;
            f |= if *tap { IFF_TAP } else { IFF_TUN };
            if *persist {
                f |= IFF_PERSIST;
            }
            format!("0x{f:x}\n")
        }
        "owner" => format!("{}\n", id(owner)),
        _ => format!("{}\n", id(group)),
    }))
}

/// A time in clock_t (USER_HZ = 100).
fn clock_t(t: Time) -> u64 {
    t.0 / 10_000_000
}

/// A bridge id of the spanning tree, as br_show_bridge_id() prints it.
fn sid(id: u64) -> String {
    let (p, m) = split_id(id);
    bridge_id(p, m.0)
}

/// br_show_bridge_id(): priority and address, "8000.0a1b2c3d4e5f".
fn bridge_id(prio: u16, mac: [u8; 6]) -> String {
    let m: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prio:04x}.{m}\n")
}

fn bridge(w: &World, b: &Bridge, tail: &[&str]) -> Option<Node> {
    let dec = |v: u64| Node::text(format!("{v}\n"));
    let id = || Node::text(bridge_id(b.priority, b.id_mac.0));
    let c = &b.conf;
    let _ = w;
    Some(match tail {
        [] => Node::dir(BRIDGE_ATTRS.iter().copied()),
        [a] => match *a {
            "ageing_time" => dec(clock_t(b.ageing_time)),
            "forward_delay" => dec(clock_t(b.st.forward_delay)),
            "hello_time" => dec(clock_t(b.st.hello_time)),
            "max_age" => dec(clock_t(b.st.max_age)),
            "root_id" => Node::text(sid(b.st.designated_root)),
            "root_port" => dec(b.st.root_port.into()),
            "root_path_cost" => dec(b.st.root_path_cost.into()),
            "topology_change" => dec(b.st.topology_change.into()),
            "topology_change_detected" => dec(b.st.topology_change_detected.into()),
            "hello_timer" => dec(clock_t(left(b.st.hello_timer, w.now()))),
            "tcn_timer" => dec(clock_t(left(b.st.tcn_timer, w.now()))),
            "topology_change_timer" => dec(clock_t(left(b.st.topology_change_timer, w.now()))),
            "stp_state" => dec(u64::from(b.stp)),
            "priority" => dec(u64::from(b.priority)),
            // Without STP BPDUs from others the bridge is its own root.
            "bridge_id" => id(),
            "group_addr" => Node::text(format!("{}\n", c.group_addr)),
            "group_fwd_mask" => Node::text(format!("{:#x}\n", c.group_fwd_mask)),
            "flush" => Node::Err(EACCES),
            "hash_elasticity" => dec(c.mcast_hash_elasticity.into()),
            "hash_max" => dec(c.mcast_hash_max.into()),
            "multicast_snooping" => dec(u64::from(!b.mcast_snooping_off)),
            "multicast_router" => dec(c.mcast_router.into()),
            "default_pvid" => dec(u64::from(b.vlan.default_pvid)),
            "vlan_filtering" => dec(u64::from(b.vlan.filtering)),
            "multicast_igmp_version" => dec(c.mcast_igmp_version.into()),
            "multicast_last_member_count" => dec(c.mcast_last_member_count.into()),
            "multicast_startup_query_count" => dec(c.mcast_startup_query_count.into()),
            "multicast_mld_version" => dec(c.mcast_mld_version.into()),
            "multicast_last_member_interval" => dec(c.mcast_last_member_interval),
            "multicast_membership_interval" => dec(c.mcast_membership_interval),
            "multicast_querier_interval" => dec(c.mcast_querier_interval),
            "multicast_query_interval" => dec(c.mcast_query_interval),
            "multicast_query_response_interval" => dec(c.mcast_query_response_interval),
            "multicast_startup_query_interval" => dec(c.mcast_startup_query_interval),
            "multicast_querier" => dec(c.mcast_querier.into()),
            "multicast_query_use_ifaddr" => dec(c.mcast_query_use_ifaddr.into()),
            "multicast_stats_enabled" => dec(c.mcast_stats_enabled.into()),
            "nf_call_iptables" => dec(c.nf_call_iptables.into()),
            "nf_call_ip6tables" => dec(c.nf_call_ip6tables.into()),
            "nf_call_arptables" => dec(c.nf_call_arptables.into()),
            "no_linklocal_learn" => dec(c.no_linklocal_learn.into()),
            "vlan_stats_enabled" => dec(c.vlan_stats_enabled.into()),
            "vlan_stats_per_port" => dec(c.vlan_stats_per_port.into()),
            "vlan_protocol" => Node::text(format!("{:#06x}\n", b.vlan.proto)),
            // The fdb garbage collector's next run is not modelled.
            "gc_timer" => dec(0),
            a if BRIDGE_ATTRS.contains(&a) => dec(0),
            _ => return None,
        },
        _ => return None,
    })
}

fn brport(
    w: &World,
    ns: NsId,
    m: &Device,
    b: &Bridge,
    ifindex: u32,
    tail: &[&str],
) -> Option<Node> {
    let p = b.port(ifindex)?;
    let dec = |v: u64| Node::text(format!("{v}\n"));
    let id = Bridge::port_id(p);
    let f = &p.flags;
    Some(match tail {
        [] => Node::dir(BRPORT_ATTRS.iter().copied()),
        [a] => match *a {
            "bridge" => Node::Symlink(format!("../../{}", m.name)),
            "path_cost" => dec(u64::from(p.path_cost)),
            "priority" => dec(u64::from(p.priority)),
            "port_id" => Node::text(format!("0x{id:x}\n")),
            "port_no" => Node::text(format!("0x{:x}\n", p.port_no)),
            "designated_root" => Node::text(sid(p.stp.designated_root)),
            "designated_bridge" => Node::text(sid(p.stp.designated_bridge)),
            "designated_port" => dec(u64::from(p.stp.designated_port)),
            "designated_cost" => dec(u64::from(p.stp.designated_cost)),
            "change_ack" => dec(u64::from(p.stp.topology_change_ack)),
            "config_pending" => dec(u64::from(p.stp.config_pending)),
            "message_age_timer" => dec(clock_t(left(p.stp.message_age_timer, w.now()))),
            "hold_timer" => dec(clock_t(left(p.stp.hold_timer, w.now()))),
            "state" => dec(match p.state {
                PortState::Disabled => 0,
                PortState::Listening => 1,
                PortState::Learning => 2,
                PortState::Forwarding => 3,
                PortState::Blocking => 4,
            }),
            "forward_delay_timer" => dec(p
                .fd_timer_until
                .filter(|t| *t > w.now())
                .map_or(0, |t| clock_t(t.saturating_sub(w.now())))),
            "hairpin_mode" => dec(u64::from(p.hairpin)),
            "learning" => dec(u64::from(p.learning)),
            "unicast_flood" => dec(u64::from(p.flood)),
            "multicast_router" => dec(f.mcast_router.into()),
            "group_fwd_mask" => Node::text(format!("{:#x}\n", f.group_fwd_mask)),
            "flush" => Node::Err(EACCES),
            // No backup port: the show writes nothing.
            "backup_port" => match f.backup_port.and_then(|i| w.ns(ns).dev(i)) {
                Some(bd) => Node::text(format!("{}\n", bd.name)),
                None => Node::File(Vec::new()),
            },
            a if port_flag(a).is_some() => dec(u64::from(port_flag(a).unwrap()(f))),
            a if BRPORT_ATTRS.contains(&a) => dec(0),
            _ => return None,
        },
        _ => return None,
    })
}

/// brforward: the fdb as struct __fdb_entry records (16 bytes: MAC, port
/// number low byte, is_local, ageing timer in clock_t, port number high
/// byte, padding), in the order of the fdb dump (newest first), without
/// the bridge's own entries (br_fdb_fillbuf() skips those without a port).
fn brforward(w: &World, b: &Bridge) -> Vec<u8> {
    let now = w.now();
    let mut es: Vec<_> = b.fdb.iter().filter(|(_, e)| !b.expired(e, now)).collect();
    es.sort_by_key(|(_, e)| std::cmp::Reverse(e.seq));
    let mut out = Vec::with_capacity(es.len() * 16);
    for ((mac, _), e) in es {
        let port_no = b.port(e.port).map_or(0, |p| p.port_no);
        let age = if e.is_local || e.is_static {
            0
        } else {
            clock_t(now.saturating_sub(e.updated)) as u32
        };
        out.extend_from_slice(&mac.0);
        out.push(port_no as u8);
        out.push(u8::from(e.is_local));
        out.extend_from_slice(&age.to_ne_bytes());
        out.push((port_no >> 8) as u8);
        out.extend_from_slice(&[0, 0, 0]);
    }
    out
}

/// The brport files that read one on/off flag (br_sysfs_if.c).
fn port_flag(attr: &str) -> Option<fn(&PortFlags) -> bool> {
    Some(match attr {
        "bpdu_guard" => |f| f.guard,
        "root_block" => |f| f.root_block,
        "multicast_fast_leave" => |f| f.fastleave,
        "proxyarp" => |f| f.proxy_arp,
        "proxyarp_wifi" => |f| f.proxy_arp_wifi,
        "multicast_flood" => |f| f.mcast_flood,
        "broadcast_flood" => |f| f.bcast_flood,
        "multicast_to_unicast" => |f| f.mcast_to_unicast,
        "neigh_suppress" => |f| f.neigh_suppress,
        "vlan_tunnel" => |f| f.vlan_tunnel,
        "isolated" => |f| f.isolated,
        "locked" => |f| f.locked,
        _ => return None,
    })
}

/// The port option a brport file sets, from the number written.
fn brport_opt(attr: &str, v: u64) -> Option<BrPortOpt> {
    use vnet_core::bridge::br_netlink::PortFlag as F;
    let on = v != 0;
    Some(match attr {
        "path_cost" => BrPortOpt::PathCost(v.min(u32::MAX as u64) as u32),
        "priority" => BrPortOpt::Priority(v.min(u16::MAX as u64) as u16),
        "hairpin_mode" => BrPortOpt::Hairpin(on),
        "learning" => BrPortOpt::Learning(on),
        "unicast_flood" => BrPortOpt::Flood(on),
        "multicast_router" => BrPortOpt::McastRouter(v.min(255) as u8),
        "group_fwd_mask" => BrPortOpt::GroupFwdMask(v as u16),
        "bpdu_guard" => BrPortOpt::Flag(F::Guard, on),
        "root_block" => BrPortOpt::Flag(F::RootBlock, on),
        "multicast_fast_leave" => BrPortOpt::Flag(F::Fastleave, on),
        "proxyarp" => BrPortOpt::Flag(F::ProxyArp, on),
        "proxyarp_wifi" => BrPortOpt::Flag(F::ProxyArpWifi, on),
        "multicast_flood" => BrPortOpt::Flag(F::McastFlood, on),
        "broadcast_flood" => BrPortOpt::Flag(F::BcastFlood, on),
        "multicast_to_unicast" => BrPortOpt::Flag(F::McastToUnicast, on),
        "neigh_suppress" => BrPortOpt::Flag(F::NeighSuppress, on),
        "vlan_tunnel" => BrPortOpt::Flag(F::VlanTunnel, on),
        "isolated" => BrPortOpt::Flag(F::Isolated, on),
        "locked" => BrPortOpt::Flag(F::Locked, on),
        _ => return None,
    })
}

/// The bridge option a bridge/ file sets, from the number written.
fn bridge_opt(attr: &str, v: u64) -> Option<BrWrite> {
    use vnet_core::bridge::br_netlink::BrKey as K;
    let t = Time(v.saturating_mul(10_000_000));
    let k = match attr {
        "forward_delay" => return Some(BrWrite::Opt(BrOpt::ForwardDelay(t))),
        "hello_time" => return Some(BrWrite::Opt(BrOpt::HelloTime(t))),
        "max_age" => return Some(BrWrite::Opt(BrOpt::MaxAge(t))),
        "ageing_time" => return Some(BrWrite::Opt(BrOpt::AgeingTime(t))),
        "priority" => return Some(BrWrite::Opt(BrOpt::Priority(v as u16))),
        "stp_state" => return Some(BrWrite::Stp(v != 0)),
        "flush" => return Some(BrWrite::Opt(BrOpt::FdbFlush)),
        "multicast_snooping" => return Some(BrWrite::Opt(BrOpt::McastSnooping(v != 0))),
        "vlan_filtering" => return Some(BrWrite::Vlan(VlanOpt::Filtering(v != 0))),
        // Beyond u16, the setters' own checks refuse it.
        "default_pvid" => return Some(BrWrite::Vlan(VlanOpt::DefaultPvid(sat16(v)))),
        "vlan_protocol" => return Some(BrWrite::Vlan(VlanOpt::Protocol(sat16(v)))),
        "group_fwd_mask" => K::GroupFwdMask,
        "no_linklocal_learn" => K::NoLinklocalLearn,
        "nf_call_iptables" => K::NfCallIptables,
        "nf_call_ip6tables" => K::NfCallIp6tables,
        "nf_call_arptables" => K::NfCallArptables,
        "vlan_stats_enabled" => K::VlanStatsEnabled,
        "vlan_stats_per_port" => K::VlanStatsPerPort,
        "multicast_router" => K::McastRouter,
        "multicast_query_use_ifaddr" => K::McastQueryUseIfaddr,
        "multicast_querier" => K::McastQuerier,
        "hash_elasticity" => K::McastHashElasticity,
        "hash_max" => K::McastHashMax,
        "multicast_last_member_count" => K::McastLastMemberCount,
        "multicast_startup_query_count" => K::McastStartupQueryCount,
        "multicast_last_member_interval" => K::McastLastMemberInterval,
        "multicast_membership_interval" => K::McastMembershipInterval,
        "multicast_querier_interval" => K::McastQuerierInterval,
        "multicast_query_interval" => K::McastQueryInterval,
        "multicast_query_response_interval" => K::McastQueryResponseInterval,
        "multicast_startup_query_interval" => K::McastStartupQueryInterval,
        "multicast_stats_enabled" => K::McastStatsEnabled,
        "multicast_igmp_version" => K::McastIgmpVersion,
        "multicast_mld_version" => K::McastMldVersion,
        _ => return None,
    };
    Some(BrWrite::Opt(BrOpt::Other(k, v)))
}

fn sat16(v: u64) -> u16 {
    u16::try_from(v).unwrap_or(u16::MAX)
}

enum BrWrite {
    Opt(BrOpt),
    Stp(bool),
    Vlan(VlanOpt),
}

/// kstrtoul(buf, 0): a number in C notation, one trailing newline allowed.
fn kstrtoul(s: &str) -> Option<u64> {
    let t = s.strip_suffix('\n').unwrap_or(s);
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if t.len() > 1 && t.starts_with('0') {
        u64::from_str_radix(&t[1..], 8).ok()
    } else {
        t.parse().ok()
    }
}

/// A write to a bridge's `bridge/` or a port's `brport/` file (br_sysfs_br.c,
/// br_sysfs_if.c): None when the path is no such file, else the errno.
pub(super) fn write(
    w: &mut World,
    ns: NsId,
    tail: &[&str],
    data: &str,
) -> Option<Result<(), Errno>> {
    let (dev, dir, attr) = match tail {
        ["class", "net", dev, dir, attr] | ["devices", "virtual", "net", dev, dir, attr] => {
            (*dev, *dir, *attr)
        }
        _ => return None,
    };
    let d = w.ns(ns).dev_by_name(dev)?;
    let idx = d.ifindex;
    // An open for writing (O_TRUNC) writes nothing yet.
    let open_only = data.is_empty();
    let r = match dir {
        "bonding" if matches!(d.kind, DevKind::Bond(_)) => {
            return super::bonding::write(w, ns, idx, attr, data);
        }
        "bridge" => {
            d.bridge()?;
            if open_only {
                return bridge_opt(attr, 0).map(|_| Ok(()));
            }
            let Some(v) = kstrtoul(data) else {
                return Some(Err(Errno::EINVAL));
            };
            match bridge_opt(attr, v)? {
                BrWrite::Opt(o) => w.br_set(ns, idx, o),
                BrWrite::Stp(on) => w.bridge_set_stp(ns, idx, on),
                BrWrite::Vlan(o) => crate::ip::link_br_vlan::apply(w, ns, idx, &[o]),
            }
        }
        "brport" => {
            let br = d
                .master
                .filter(|m| w.ns(ns).dev(*m).is_some_and(|b| b.is_bridge()))?;
            if open_only {
                return (attr == "flush" || brport_opt(attr, 0).is_some()).then_some(Ok(()));
            }
            if attr == "flush" {
                return Some(w.br_port_flush(ns, br, idx).map_err(|e| e.errno));
            }
            let Some(v) = kstrtoul(data) else {
                return Some(Err(Errno::EINVAL));
            };
            w.br_port_set(ns, br, idx, brport_opt(attr, v)?)
        }
        _ => return None,
    };
    Some(r.map_err(|e| e.errno))
}
