//! `ip link`: show, add, delete, set.

use super::{garbage, invarg, kernel_err, Opts};
use crate::args::matches;
use crate::Cmd;
use vnet_core::dev::{iff, DevKind, DevRef, Device};
use vnet_core::world::{LinkChange, NewLink};
use vnet_core::{Mac, NsId, World};

/// print_link_flags(): `<NO-CARRIER,BROADCAST,...>` in iproute2's order.
pub fn flag_names(flags: u32, mdown: bool) -> String {
    format!("<{}>", flag_list(flags, mdown).join(","))
}

/// The flag words of print_link_flags(), in iproute2's order.
pub fn flag_list(flags: u32, mdown: bool) -> Vec<&'static str> {
    let mut v: Vec<&str> = Vec::new();
    if flags & iff::UP != 0 && flags & iff::RUNNING == 0 {
        v.push("NO-CARRIER");
    }
    for (bit, name) in [
        (iff::LOOPBACK, "LOOPBACK"),
        (iff::BROADCAST, "BROADCAST"),
        (iff::POINTOPOINT, "POINTOPOINT"),
        (iff::MULTICAST, "MULTICAST"),
        (iff::NOARP, "NOARP"),
        (iff::PROMISC, "PROMISC"),
        (iff::MASTER, "MASTER"),
        (iff::SLAVE, "SLAVE"),
        (iff::UP, "UP"),
        (iff::LOWER_UP, "LOWER_UP"),
    ] {
        if flags & bit != 0 {
            v.push(name);
        }
    }
    if mdown {
        v.push("M-DOWN");
    }
    v
}

/// `name@peer` as iproute2 shows a device with IFLA_LINK.
pub fn display_name(w: &World, ns: NsId, d: &Device) -> String {
    match d.iflink() {
        Some(p) if p.ns == ns => match w.dev(p) {
            Some(pd) => format!("{}@{}", d.name, pd.name),
            None => format!("{}@NONE", d.name),
        },
        Some(p) => format!("{}@if{}", d.name, p.ifindex),
        None => d.name.clone(),
    }
}

/// Whether the M-DOWN mark applies: the link's peer is in this namespace and down.
fn mdown(w: &World, ns: NsId, d: &Device) -> bool {
    match d.iflink() {
        Some(p) if p.ns == ns => w.dev(p).is_some_and(|pd| !pd.up),
        _ => false,
    }
}

/// The name under which `viewer` knows namespace `target` (`link-netns NAME`),
/// or its id when it has no name.
fn netns_label(w: &mut World, viewer: NsId, target: NsId) -> String {
    let id = w.peernet2id_alloc(viewer, target);
    match w.names.iter().find(|(_, n)| *n == target) {
        Some((name, _)) => format!("link-netns {name}"),
        None => format!("link-netnsid {id}"),
    }
}

fn link_type(d: &Device) -> &'static str {
    match d.kind {
        DevKind::Loopback => "loopback",
        DevKind::Tun { tap: false, .. } => "none",
        _ => "ether",
    }
}

/// The first line and the `link/...` line of `ip link` / `ip addr` for one device.
pub fn link_lines(c: &mut Cmd, d: &Device, addr_view: bool, o: &Opts) -> String {
    let ns = c.ns;
    let w = &c.m.world;
    let r = DevRef {
        ns,
        ifindex: d.ifindex,
    };
    let flags = w.flags(r);
    let mut s = format!(
        "{}: {}: {} mtu {} qdisc {}",
        d.ifindex,
        display_name(w, ns, d),
        flag_names(flags, mdown(w, ns, d)),
        d.mtu,
        d.qdisc.as_deref().unwrap_or("noop")
    );
    if let Some(m) = d.master {
        if let Some(md) = w.ns(ns).dev(m) {
            s.push_str(&format!(" master {}", md.name));
        }
    }
    s.push_str(&format!(" state {}", w.operstate(r).name()));
    if !addr_view {
        s.push_str(" mode DEFAULT");
    }
    s.push_str(&format!(" group default qlen {}", d.txqlen));
    let sep = if o.oneline { "\\    " } else { "\n    " };
    s.push_str(sep);
    match d.kind {
        DevKind::Tun { tap: false, .. } => s.push_str("link/none "),
        _ => {
            let brd = if d.is_loopback() {
                Mac::ZERO
            } else {
                Mac::BROADCAST
            };
            s.push_str(&format!("link/{} {} brd {}", link_type(d), d.mac, brd));
        }
    }
    if let Some(p) = d.iflink() {
        if p.ns != ns {
            let lbl = netns_label(&mut c.m.world, ns, p.ns);
            s.push(' ');
            s.push_str(&lbl);
        }
    }
    if let Some(a) = &d.alias {
        s.push_str(&format!("{sep}alias {a}"));
    }
    if o.details > 0 {
        s.push_str(&details(c, d, addr_view));
    }
    if o.stats > 0 && !addr_view {
        s.push_str(&stats(d, o));
    }
    s
}

/// A bridge id as iproute2 prints it: priority in hex, MAC bytes without leading zeros.
fn bridge_id(prio: u16, mac: Mac) -> String {
    let m = mac.0;
    format!(
        "{:04x}.{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
        prio, m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

/// The `-d` attributes after `link/...` (IFLA_LINKINFO and friends).
fn details(c: &Cmd, d: &Device, addr_view: bool) -> String {
    let (min, max) = match d.kind {
        DevKind::Loopback | DevKind::Dummy => (0, 0),
        DevKind::Tun { tap: true, .. } => (68, 65521),
        _ => (68, 65535),
    };
    let allmulti = if d.master.is_some() { d.promisc } else { 0 };
    let mut s = format!(
        " promiscuity {}  allmulti {} minmtu {} maxmtu {} ",
        d.promisc, allmulti, min, max
    );
    let mut tail_queues = 1;
    let mut tso = 65536;
    match &d.kind {
        DevKind::Veth { .. } => {
            s.push_str("\n    veth ");
            tail_queues = 2;
            tso = 524280;
        }
        DevKind::Loopback => tso = 524280,
        DevKind::Tun {
            tap, owner, group, ..
        } => {
            let f = d.tun_flags;
            let onoff = |b: bool| if b { "on" } else { "off" };
            s.push_str(&format!(
                "\n    tun type {} pi {} vnet_hdr {} ",
                if *tap { "tap" } else { "tun" },
                onoff(f & vnet_core::dev::tunf::NO_PI == 0),
                onoff(f & vnet_core::dev::tunf::VNET_HDR != 0)
            ));
            if f & vnet_core::dev::tunf::MULTI_QUEUE != 0 {
                s.push_str("multi_queue numqueues 0 numdisabled 0 ");
                tail_queues = 256;
            }
            s.push_str("persist on ");
            // getpwuid()/getgrgid() on a bare host know only root.
            let name = |id: u32| {
                if id == 0 {
                    "root".to_string()
                } else {
                    id.to_string()
                }
            };
            if let Some(u) = owner {
                s.push_str(&format!("user {} ", name(*u)));
            }
            if let Some(g) = group {
                s.push_str(&format!("group {} ", name(*g)));
            }
        }
        DevKind::Bridge(b) => {
            // The bridge takes the smallest tso_max_size of its ports (veth:
            // 524280) and keeps it after they leave; never had one: 65536.
            let w = &c.m.world;
            let port_tso = |i: u32| match w.ns(c.ns).dev(i).map(|p| &p.kind) {
                Some(DevKind::Veth { .. }) => 524280,
                _ => 65536,
            };
            if b.had_ports {
                tso = b
                    .ports
                    .iter()
                    .map(|p| port_tso(p.ifindex))
                    .min()
                    .unwrap_or(524280);
            }
            let id = bridge_id(b.priority, b.id_mac);
            s.push_str(&format!(
                "\n    bridge forward_delay {} hello_time {} max_age {} ageing_time {} stp_state {} priority {} vlan_filtering 0 bridge_id {id} designated_root {id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer {:7.2} group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 ",
                b.forward_delay.0 / 10_000_000,
                b.hello_time.0 / 10_000_000,
                b.max_age.0 / 10_000_000,
                b.ageing_time.0 / 10_000_000,
                b.stp as u8,
                b.priority,
                crate::brctl::gc_timer(&c.m.world, d) as f64 / 100.0
            ));
        }
        DevKind::Dummy => s.push_str("\n    dummy "),
    }
    if let Some(m) = d.master {
        if let Some(md) = c.m.world.ns(c.ns).dev(m) {
            if let Some(b) = md.bridge() {
                if let Some(p) = b.port(d.ifindex) {
                    let id = bridge_id(b.priority, b.id_mac);
                    let pid = vnet_core::bridge::Bridge::port_id(p);
                    s.push_str(&format!(
                        "\n    bridge_slave state {} priority {} cost {} hairpin {} guard off root_block off fastleave off learning {} flood {} port_id 0x{:04x} port_no 0x{:x} designated_port {} designated_cost 0 designated_bridge {id} designated_root {id} hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off ",
                        p.state.name(),
                        p.priority,
                        p.path_cost,
                        if p.hairpin { "on" } else { "off" },
                        if p.learning { "on" } else { "off" },
                        if p.flood { "on" } else { "off" },
                        pid,
                        p.port_no,
                        pid,
                    ));
                }
            }
        }
    }
    if !addr_view {
        s.push_str("addrgenmode eui64 ");
    }
    s.push_str(&format!("numtxqueues {tail_queues} numrxqueues {tail_queues} gso_max_size 65536 gso_max_segs 65535 tso_max_size {tso} tso_max_segs 65535 gro_max_size 65536 "));
    s
}

/// `-s` counters (and the error breakdown with `-s -s`).
pub fn stats(d: &Device, o: &Opts) -> String {
    let st = &d.stats;
    let mut s = String::new();
    s.push_str("\n    RX:  bytes packets errors dropped  missed   mcast           ");
    s.push_str(&format!(
        "\n    {:>10} {:>7} {:>6} {:>7} {:>7} {:>7} ",
        st.rx_bytes, st.rx_packets, st.rx_errors, st.rx_dropped, 0, st.rx_multicast
    ));
    if o.stats > 1 {
        s.push_str("\n    RX errors:  length    crc   frame    fifo overrun");
        s.push_str("\n                     0      0       0       0       0 ");
    }
    s.push_str("\n    TX:  bytes packets errors dropped carrier collsns           ");
    s.push_str(&format!(
        "\n    {:>10} {:>7} {:>6} {:>7} {:>7} {:>7} ",
        st.tx_bytes, st.tx_packets, st.tx_errors, st.tx_dropped, st.tx_carrier, st.collisions
    ));
    if o.stats > 1 {
        s.push_str("\n    TX errors: aborted   fifo  window heartbt transns");
        s.push_str(&format!(
            "\n                     0      0       0       0 {:>7} ",
            st.carrier_changes
        ));
    }
    s
}

fn show(c: &mut Cmd, o: &Opts, args: &[String]) -> i32 {
    let mut dev: Option<String> = None;
    let mut up_only = false;
    let mut master: Option<String> = None;
    let mut kind: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "dev" => {
                i += 1;
                dev = args.get(i).cloned();
            }
            "up" => up_only = true,
            "master" => {
                i += 1;
                master = args.get(i).cloned();
            }
            "type" => {
                i += 1;
                kind = args.get(i).cloned();
            }
            _ => dev = Some(a.to_string()),
        }
        i += 1;
    }
    let ns = c.ns;
    if let Some(n) = &dev {
        if c.m.world.ns(ns).dev_by_name(n).is_none() {
            c.eprint(&format!("Device \"{n}\" does not exist.\n"));
            return 1;
        }
    }
    let master_idx = match &master {
        Some(m) => match c.m.world.ns(ns).ifindex_of(m) {
            Some(x) => Some(x),
            None => {
                c.eprint(&format!("Device \"{m}\" does not exist.\n"));
                return 1;
            }
        },
        None => None,
    };
    let devs: Vec<Device> =
        c.m.world
            .ns(ns)
            .devs
            .values()
            .filter(|d| dev.as_ref().is_none_or(|n| &d.name == n))
            .filter(|d| !up_only || d.up)
            .filter(|d| master_idx.is_none_or(|m| d.master == Some(m)))
            .filter(|d| {
                kind.as_deref()
                    .is_none_or(|k| d.kind.kind_name() == Some(k))
            })
            .map(|d| (**d).clone())
            .collect();
    if o.json {
        return super::addr::json_links(c, o, &devs, false);
    }
    for d in devs {
        if o.brief {
            let w = &c.m.world;
            let r = DevRef {
                ns,
                ifindex: d.ifindex,
            };
            let name = display_name(w, ns, &d);
            // A device without a link-layer address prints none (and no space).
            let lladdr = if d.is_tun_l3() {
                String::new()
            } else {
                format!("{} ", d.mac)
            };
            let line = format!(
                "{:<16} {:<14} {}{} \n",
                name,
                w.operstate(r).name(),
                lladdr,
                flag_names(w.flags(r), mdown(w, ns, &d))
            );
            c.print(&line);
            continue;
        }
        let s = link_lines(c, &d, false, o);
        c.print(&s);
        c.print("\n");
    }
    0
}

fn valid_ifname(n: &str) -> bool {
    !n.is_empty()
        && n.len() < 16
        && n != "."
        && n != ".."
        && !n.contains(['/', ':'])
        && !n.chars().any(|c| c.is_whitespace())
}

fn add(c: &mut Cmd, args: &[String]) -> i32 {
    let mut name: Option<String> = None;
    let mut kind: Option<String> = None;
    let mut mtu = None;
    let mut mac = None;
    let mut txq = None;
    let mut peer: Option<String> = None;
    let mut peer_ns: Option<NsId> = None;
    let mut peer_mac: Option<Mac> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let next = |i: &mut usize| -> Option<String> {
            *i += 1;
            args.get(*i).cloned()
        };
        match a {
            "name" | "dev" => name = next(&mut i),
            "type" => {
                kind = next(&mut i);
                // Everything after `type KIND` belongs to the kind (veth: peer ...).
                let rest = &args[i + 1..];
                let mut j = 0;
                while j < rest.len() {
                    match rest[j].as_str() {
                        "peer" => {}
                        "address" => {
                            j += 1;
                            let v = rest.get(j).cloned().unwrap_or_default();
                            match Mac::parse(&v) {
                                Some(m) => peer_mac = Some(m),
                                None => {
                                    c.eprint(&format!("\"{v}\" is invalid lladdr.\n"));
                                    return 1;
                                }
                            }
                        }
                        "mtu" | "txqueuelen" | "qlen" | "txqlen" => j += 1,
                        "name" => {
                            j += 1;
                            peer = rest.get(j).cloned();
                        }
                        "netns" => {
                            j += 1;
                            let n = rest.get(j).cloned().unwrap_or_default();
                            match c.m.world.netns_by_name(&n) {
                                Some(x) => peer_ns = Some(x),
                                None => {
                                    c.eprint(&format!("Cannot find netns \"{n}\"\n"));
                                    return 255;
                                }
                            }
                        }
                        other if peer.is_none() && kind.as_deref() == Some("veth") && j > 0 => {
                            peer = Some(other.to_string())
                        }
                        _ => {}
                    }
                    j += 1;
                }
                break;
            }
            "mtu" => {
                let v = next(&mut i).unwrap_or_default();
                match v.parse::<u32>() {
                    Ok(m) => mtu = Some(m),
                    Err(_) => return invarg(c, "Invalid \"mtu\" value\n", &v),
                }
            }
            "address" => {
                let v = next(&mut i).unwrap_or_default();
                match Mac::parse(&v) {
                    Some(m) => mac = Some(m),
                    None => return invarg(c, "invalid MAC address\n", &v),
                }
            }
            "txqueuelen" | "qlen" | "txqlen" => {
                txq = next(&mut i).and_then(|v| v.parse::<u32>().ok())
            }
            _ => name = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(kind) = kind else {
        c.eprint("Not enough information: \"type\" argument is required\n");
        return 1;
    };
    let Some(name) = name else {
        c.eprint("Not enough information: \"dev\" argument is required.\n");
        return 1;
    };
    if !valid_ifname(&name) {
        c.eprint(&format!(
            "Error: argument \"{name}\" is wrong: \"name\" not a valid ifname\n"
        ));
        return 255;
    }
    let ns = c.ns;
    let nl = match kind.as_str() {
        "veth" => {
            let peer =
                peer.unwrap_or_else(|| c.m.world.alloc_name(peer_ns.unwrap_or(ns), "veth%d"));
            if !valid_ifname(&peer) {
                c.eprint(&format!(
                    "Error: argument \"{peer}\" is wrong: \"name\" not a valid ifname\n"
                ));
                return 255;
            }
            NewLink::Veth {
                peer,
                peer_ns,
                peer_mac,
            }
        }
        "bridge" => NewLink::Bridge,
        "dummy" => NewLink::Dummy,
        _ => {
            c.eprint("Error: Unknown device type.\n");
            return 2;
        }
    };
    match c.m.world.link_add(ns, &name, nl, mac) {
        Ok(idx) => {
            if let Some(m) = mtu {
                if let Err(e) = c.m.world.link_set(ns, idx, LinkChange::Mtu(m)) {
                    let _ = c.m.world.link_del(ns, idx);
                    return kernel_err(c, e);
                }
            }
            if let Some(q) = txq {
                let _ = c.m.world.link_set(ns, idx, LinkChange::TxQueueLen(q));
            }
            if !c.m.world.modules.contains(&kind) {
                c.m.world.modules.push(kind);
            }
            0
        }
        Err(e) => kernel_err(c, e),
    }
}

fn del(c: &mut Cmd, args: &[String]) -> i32 {
    let mut name = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "dev" => {
                i += 1;
                name = args.get(i).cloned();
            }
            "type" => i += 1,
            a => name = Some(a.to_string()),
        }
        i += 1;
    }
    let ns = c.ns;
    let idx = match super::require_dev(c, name.as_deref()) {
        Ok(i) => i,
        Err(code) => return code,
    };
    match c.m.world.link_del(ns, idx) {
        Ok(()) => 0,
        Err(e) => kernel_err(c, e),
    }
}

fn set(c: &mut Cmd, args: &[String]) -> i32 {
    let mut dev: Option<String> = None;
    let mut changes = Vec::new();
    let ns = c.ns;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let val = args.get(i + 1).cloned();
        match a {
            "dev" => {
                dev = val;
                i += 1;
            }
            "up" => changes.push(LinkChange::Up(true)),
            "down" => changes.push(LinkChange::Up(false)),
            "name" => {
                let v = val.unwrap_or_default();
                if !valid_ifname(&v) {
                    return invarg(c, "\"name\" not a valid ifname", &v);
                }
                changes.push(LinkChange::Name(v));
                i += 1;
            }
            "mtu" => {
                let v = val.unwrap_or_default();
                match v.parse::<u32>() {
                    Ok(m) => changes.push(LinkChange::Mtu(m)),
                    Err(_) => return invarg(c, "Invalid \"mtu\" value\n", &v),
                }
                i += 1;
            }
            "address" => {
                let v = val.unwrap_or_default();
                match Mac::parse(&v) {
                    Some(m) => changes.push(LinkChange::Address(m)),
                    None => {
                        c.eprint(&format!("\"{v}\" is invalid lladdr.\n"));
                        return 1;
                    }
                }
                i += 1;
            }
            "txqueuelen" | "qlen" | "txqlen" => {
                let v = val.unwrap_or_default();
                match v.parse::<u32>() {
                    Ok(q) => changes.push(LinkChange::TxQueueLen(q)),
                    Err(_) => return invarg(c, "Invalid \"txqueuelen\" value\n", &v),
                }
                i += 1;
            }
            "promisc" => {
                changes.push(LinkChange::Promisc(val.as_deref() == Some("on")));
                i += 1;
            }
            "arp" => {
                changes.push(LinkChange::Arp(val.as_deref() == Some("on")));
                i += 1;
            }
            "alias" => {
                changes.push(LinkChange::Alias(val));
                i += 1;
            }
            "master" => {
                let v = val.unwrap_or_default();
                match c.m.world.ns(ns).ifindex_of(&v) {
                    Some(m) => changes.push(LinkChange::Master(Some(m))),
                    None => return invarg(c, "Device does not exist\n", &v),
                }
                i += 1;
            }
            "nomaster" => changes.push(LinkChange::Master(None)),
            "netns" => {
                let v = val.unwrap_or_default();
                match c.m.world.netns_by_name(&v) {
                    Some(t) => changes.push(LinkChange::Netns(t)),
                    // A number is a PID: 1 is the host's init, no other process exists.
                    None if v.parse::<u32>().is_ok() => {
                        if v == "1" {
                            changes.push(LinkChange::Netns(0));
                        } else {
                            c.eprint("RTNETLINK answers: No such process\n");
                            return 2;
                        }
                    }
                    None => return invarg(c, "Invalid \"netns\" value\n", &v),
                }
                i += 1;
            }
            _ if dev.is_none() => dev = Some(a.to_string()),
            _ => return garbage(c, "dev", a),
        }
        i += 1;
    }
    let mut idx = match super::require_dev(c, dev.as_deref()) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let dev = dev.unwrap_or_default();
    // iproute2 sends the name, address, mtu... in one request and up/down in another,
    // after them; the kernel applies the attributes in a fixed order.
    let (updown, attrs): (Vec<LinkChange>, Vec<LinkChange>) = changes
        .into_iter()
        .partition(|c| matches!(c, LinkChange::Up(_)));
    let mut cur_ns = ns;
    for ch in attrs.into_iter().chain(updown) {
        let moved = if let LinkChange::Netns(t) = ch {
            Some(t)
        } else {
            None
        };
        if let Err(e) = c.m.world.link_set(cur_ns, idx, ch) {
            return kernel_err(c, e);
        }
        if let Some(t) = moved {
            let name = dev.clone();
            cur_ns = t;
            match c.m.world.ns(t).ifindex_of(&name) {
                Some(x) => idx = x,
                None => return 0,
            }
        }
    }
    0
}

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> i32 {
    let Some(cmd) = args.first() else {
        return show(c, o, &[]);
    };
    let rest = &args[1..];
    if matches(cmd, "show") || matches(cmd, "list") || cmd == "lst" {
        show(c, o, rest)
    } else if matches(cmd, "add") {
        add(c, rest)
    } else if matches(cmd, "delete") {
        del(c, rest)
    } else if matches(cmd, "set") || matches(cmd, "change") {
        set(c, rest)
    } else if matches(cmd, "help") {
        c.eprint(LINK_USAGE);
        255
    } else {
        c.eprint(&format!(
            "Command \"{cmd}\" is unknown, try \"ip link help\".\n"
        ));
        255
    }
}

const LINK_USAGE: &str = r#"Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME
		    [ txqueuelen PACKETS ]
		    [ address LLADDR ]
		    [ broadcast LLADDR ]
		    [ mtu MTU ] [index IDX ]
		    [ numtxqueues QUEUE_COUNT ]
		    [ numrxqueues QUEUE_COUNT ]
		    [ netns { PID | NAME } ]
		    type TYPE [ ARGS ]

	ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]

	ip link set { DEVICE | dev DEVICE | group DEVGROUP }
			[ { up | down } ]
			[ type TYPE ARGS ]
		[ arp { on | off } ]
		[ dynamic { on | off } ]
		[ multicast { on | off } ]
		[ allmulticast { on | off } ]
		[ promisc { on | off } ]
		[ trailers { on | off } ]
		[ carrier { on | off } ]
		[ txqueuelen PACKETS ]
		[ name NEWNAME ]
		[ address LLADDR ]
		[ broadcast LLADDR ]
		[ mtu MTU ]
		[ netns { PID | NAME } ]
		[ link-netns NAME | link-netnsid ID ]
		[ alias NAME ]
		[ vf NUM [ mac LLADDR ]
			 [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]
			 [ rate TXRATE ]
			 [ max_tx_rate TXRATE ]
			 [ min_tx_rate TXRATE ]
			 [ spoofchk { on | off} ]
			 [ query_rss { on | off} ]
			 [ state { auto | enable | disable} ]
			 [ trust { on | off} ]
			 [ node_guid EUI64 ]
			 [ port_guid EUI64 ] ]
		[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |
			  object FILE [ { section | program } NAME ] [ verbose ] |
			  pinned FILE } ]
		[ master DEVICE ][ vrf NAME ]
		[ nomaster ]
		[ addrgenmode { eui64 | none | stable_secret | random } ]
		[ protodown { on | off } ]
		[ protodown_reason PREASON { on | off } ]
		[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]
		[ gro_max_size BYTES ]

	ip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]
		[nomaster]

	ip link xstats type TYPE [ ARGS ]

	ip link afstats [ dev DEVICE ]
	ip link property add dev DEVICE [ altname NAME .. ]
	ip link property del dev DEVICE [ altname NAME .. ]

	ip link help [ TYPE ]

TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
          ip6erspan | ip6gre | ip6gretap | ip6tnl |
          ipip | ipoib | ipvlan | ipvtap |
          macsec | macvlan | macvtap |
          netdevsim | nlmon | rmnet | sit | team | team_slave |
          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
          xfrm | virt_wifi }
"#;
