//! `ip link`: show, add, delete, set.

use super::{Error, Opts, Res};
use crate::args::matches;
use crate::Cmd;
use serde_json::{json, Map, Value};
use vnet_core::dev::rtnetlink::LinkChange;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::dev::{iff, DevKind, DevRef, Device};
use vnet_core::tunnel::TunnelKind;
use vnet_core::{Errno, KernelError, Mac, NsId, World};

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
        (iff::ALLMULTI, "ALLMULTI"),
        (iff::PROMISC, "PROMISC"),
        (iff::DYNAMIC, "DYNAMIC"),
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
    if let Some(l) = super::tunnel::iflink_name(w, d) {
        return format!("{}@{l}", d.name);
    }
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
    // get_name_from_nsid(): the first name in /run/netns order.
    match w.netns_names().iter().find(|(_, n)| *n == target) {
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
    let group = super::group::name(c, d.group);
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
    // The length is an unsigned attribute that iproute2 prints as "%d".
    s.push_str(&format!(" group {group} qlen {}", d.txqlen as i32));
    let sep = if o.oneline { "\\    " } else { "\n    " };
    s.push_str(sep);
    match d.kind {
        DevKind::Tun { tap: false, .. } => s.push_str("link/none "),
        DevKind::Tunnel(_) if !d.is_ether() => {
            s.push_str(&super::tunnel::lladdr(d, flags).unwrap_or_default())
        }
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
    // A tunnel moved away still names the namespace it works in (get_link_net).
    if let Some(net) = d.tunnel().map(|t| t.net).filter(|n| *n != ns) {
        let lbl = netns_label(&mut c.m.world, ns, net);
        s.push(' ');
        s.push_str(&lbl);
    }
    if o.details > 0 {
        s.push_str(&details(c, d, addr_view));
    }
    // print_linkinfo() shows the alias to `ip link` and with -d only.
    if let Some(a) = d.alias.as_ref().filter(|_| !addr_view || o.details > 0) {
        s.push_str(&format!("{sep}alias {a}"));
    }
    if o.stats > 0 && !addr_view {
        s.push_str(&stats(d, o));
    }
    // print_linkinfo(): IFLA_PROP_LIST after the alias and the counters.
    for a in &d.altnames {
        s.push_str(&format!("{sep}altname {a}"));
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

/// IFLA_MIN_MTU and IFLA_MAX_MTU.
fn mtu_bounds(d: &Device) -> (u32, u32) {
    match &d.kind {
        // ifb_setup() lifts the MTU bounds too.
        DevKind::Loopback | DevKind::Dummy | DevKind::Ifb => (0, 0),
        DevKind::Tun { tap: true, .. } => (68, 65521),
        // vrf_setup(): IPV6_MIN_MTU to IP6_MAX_MTU.
        DevKind::Vrf { .. } => (1280, 65575),
        DevKind::Tunnel(t) => super::tunnel::mtu_bounds(t),
        _ => (68, 65535),
    }
}

/// IFLA_PROMISCUITY and IFLA_ALLMULTI: a bridge port counts its bridge's
/// promiscuity as allmulti too.
fn promisc_allmulti(c: &Cmd, d: &Device) -> (u32, u32) {
    let bridge_port = d
        .master
        .is_some_and(|m| c.m.world.ns(c.ns).dev(m).is_some_and(|b| b.is_bridge()));
    let allmulti = if bridge_port { d.promisc } else { 0 } + d.allmulti_user as u32;
    let uc = c.m.world.uc_promisc(DevRef {
        ns: c.ns,
        ifindex: d.ifindex,
    }) as u32;
    (d.promisc + uc, allmulti)
}

/// The number of tx/rx queues and tso_max_size of a device.
fn queues_tso(c: &Cmd, d: &Device) -> (u32, u32) {
    let veth_tso = |k: Option<&DevKind>| match k {
        Some(DevKind::Veth { .. }) => 524280,
        _ => 65536,
    };
    match &d.kind {
        DevKind::Veth { .. } => (2, 524280),
        DevKind::Loopback | DevKind::Ifb => (1, 524280),
        DevKind::Tun { .. } if d.tun_flags & vnet_core::dev::tunf::MULTI_QUEUE != 0 => (256, 65536),
        // The bridge takes the smallest tso_max_size of its ports (veth:
        // 524280) and keeps it after they leave; never had one: 65536.
        DevKind::Bridge(b) if b.had_ports => {
            let w = &c.m.world;
            let tso = b
                .ports
                .iter()
                .map(|p| veth_tso(w.ns(c.ns).dev(p.ifindex).map(|p| &p.kind)))
                .min()
                .unwrap_or(524280);
            (1, tso)
        }
        DevKind::Vxlan(v) => (1, v.tso_max_size),
        DevKind::Bond(b) => {
            // alloc_netdev_mq() with BOND_DEFAULT_TX_QUEUES; the slaves'
            // smallest tso_max_size once bond_compute_features() ran.
            let mut tso = 65536;
            if b.had_slaves {
                let w = &c.m.world;
                tso = b
                    .slaves
                    .iter()
                    .map(|s| veth_tso(w.ns(c.ns).dev(s.ifindex).map(|p| &p.kind)))
                    .min()
                    .unwrap_or(524280);
            }
            (vnet_core::dev::bond::TX_QUEUES, tso)
        }
        DevKind::Vlan(_) | DevKind::Macvlan(_) | DevKind::Ipvlan(_) => {
            // netif_inherit_tso_max(): the lower's (a veth's is 524280).
            let mut l = d.kind.lower();
            for _ in 0..8 {
                match l.and_then(|r| c.m.world.dev(r)).map(|x| &x.kind) {
                    Some(DevKind::Veth { .. }) => return (1, 524280),
                    Some(k) if k.lower().is_some() => l = k.lower(),
                    _ => break,
                }
            }
            (1, 65536)
        }
        _ => (1, 65536),
    }
}

/// The `-d` attributes after `link/...` (IFLA_LINKINFO and friends).
fn details(c: &Cmd, d: &Device, addr_view: bool) -> String {
    let (min, max) = mtu_bounds(d);
    let (promisc, allmulti) = promisc_allmulti(c, d);
    let mut s = format!(" promiscuity {promisc}  allmulti {allmulti} minmtu {min} maxmtu {max} ");
    let (tail_queues, tso) = queues_tso(c, d);
    match &d.kind {
        DevKind::Veth { .. } => {
            s.push_str("\n    veth ");
        }
        DevKind::Loopback => {}
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
            let id = bridge_id(b.priority, b.id_mac);
            let gc = crate::brctl::gc_timer(&c.m.world, d) as f64 / 100.0;
            s.push_str(&super::bridge_opts::bridge_details(
                b,
                &id,
                gc,
                c.m.world.now(),
            ));
        }
        DevKind::Dummy => s.push_str("\n    dummy "),
        // iplink_vrf.c's vrf_print_opt().
        DevKind::Vrf { table } => s.push_str(&format!("\n    vrf table {table} ")),
        DevKind::Ifb => {
            s.push_str("\n    ifb ");
        }
        DevKind::Tunnel(_) => s.push_str(&super::tunnel::details(&c.m.world, d)),
        DevKind::Vxlan(v) => {
            s.push_str(&super::vxlan::details(&c.m.world, c.ns, d, v));
        }
        // A physical NIC has no kind line (no rtnl_link_ops).
        DevKind::Nic { .. } => {}
        DevKind::Bond(b) => {
            s.push_str(&super::bond::details(&c.m.world, c.ns, d, b));
        }
        DevKind::Vlan(_) | DevKind::Macvlan(_) | DevKind::Ipvlan(_) => {
            if let Some(k) = super::stacked::details(&c.m.world, d) {
                s.push_str("\n    ");
                s.push_str(&k);
            }
        }
    }
    if let Some(m) = d.master {
        if let Some(md) = c.m.world.ns(c.ns).dev(m) {
            if let Some(b) = md.bridge() {
                if let Some(p) = b.port(d.ifindex) {
                    s.push_str(&super::bridge_opts::slave_details(p, c.m.world.now()));
                }
            }
            if let DevKind::Bond(b) = &md.kind {
                s.push_str(&super::bond::slave_details(b, d.ifindex));
            }
            // vrf_slave_print_opt(): the master's table.
            if let DevKind::Vrf { table } = md.kind {
                s.push_str(&format!("\n    vrf_slave table {table} "));
            }
        }
    }
    if !addr_view {
        s.push_str("addrgenmode eui64 ");
    }
    s.push_str(&format!("numtxqueues {tail_queues} numrxqueues {tail_queues} gso_max_size 65536 gso_max_segs 65535 tso_max_size {tso} tso_max_segs 65535 gro_max_size 65536 "));
    if matches!(d.kind, DevKind::Nic { .. }) {
        // A virtio NIC names its bus and device; the n-th NIC of a host is virtio{n}.
        s.push_str(&format!(
            "parentbus virtio parentdev virtio{} ",
            d.ifindex.saturating_sub(2)
        ));
    }
    s
}

/// What `-d` adds to a device's object in `ip -j link` / `ip -j addr`
/// (print_linkinfo() in a JSON context), in its order: the counts and
/// MTU bounds, `linkinfo` (the kind's and the master's print_opt), then
/// the address generation mode and the queue and GSO limits.
pub fn json_details(c: &Cmd, d: &Device, addr_view: bool) -> Map<String, Value> {
    let (min, max) = mtu_bounds(d);
    let (promisc, allmulti) = promisc_allmulti(c, d);
    let (queues, tso) = queues_tso(c, d);
    let mut m = Map::new();
    m.insert("promiscuity".into(), json!(promisc));
    m.insert("allmulti".into(), json!(allmulti));
    m.insert("min_mtu".into(), json!(min));
    m.insert("max_mtu".into(), json!(max));
    if let Some(li) = json_linkinfo(c, d) {
        m.insert("linkinfo".into(), Value::Object(li));
    }
    if !addr_view {
        m.insert("inet6_addr_gen_mode".into(), json!("eui64"));
    }
    for (k, v) in [
        ("num_tx_queues", queues),
        ("num_rx_queues", queues),
        ("gso_max_size", 65536),
        ("gso_max_segs", 65535),
        ("tso_max_size", tso),
        ("tso_max_segs", 65535),
        ("gro_max_size", 65536),
    ] {
        m.insert(k.into(), json!(v));
    }
    if matches!(d.kind, DevKind::Nic { .. }) {
        m.insert("parentbus".into(), json!("virtio"));
        m.insert(
            "parentdev".into(),
            json!(format!("virtio{}", d.ifindex.saturating_sub(2))),
        );
    }
    m
}

/// IFLA_LINKINFO as JSON: `info_kind` and the kind's `info_data`, then
/// the master's `info_slave_kind` and `info_slave_data`. None for a
/// device without rtnl_link_ops (lo, a NIC) that is no port either.
fn json_linkinfo(c: &Cmd, d: &Device) -> Option<Map<String, Value>> {
    let w = &c.m.world;
    let mut li = Map::new();
    let data: Option<Value> = match &d.kind {
        DevKind::Tun {
            tap, owner, group, ..
        } => {
            let f = d.tun_flags;
            let mut o = Map::new();
            o.insert("type".into(), json!(if *tap { "tap" } else { "tun" }));
            o.insert("pi".into(), json!(f & vnet_core::dev::tunf::NO_PI == 0));
            o.insert(
                "vnet_hdr".into(),
                json!(f & vnet_core::dev::tunf::VNET_HDR != 0),
            );
            let mq = f & vnet_core::dev::tunf::MULTI_QUEUE != 0;
            o.insert("multi_queue".into(), json!(mq));
            if mq {
                o.insert("numqueues".into(), json!(0));
                o.insert("numdisabled".into(), json!(0));
            }
            o.insert("persist".into(), json!(true));
            // getpwuid()/getgrgid() on a bare host know only root.
            let name = |id: u32| {
                if id == 0 {
                    "root".into()
                } else {
                    id.to_string()
                }
            };
            if let Some(u) = owner {
                o.insert("user".into(), json!(name(*u)));
            }
            if let Some(g) = group {
                o.insert("group".into(), json!(name(*g)));
            }
            Some(Value::Object(o))
        }
        DevKind::Bridge(b) => {
            let id = bridge_id(b.priority, b.id_mac);
            let gc = crate::brctl::gc_timer(w, d) as f64 / 100.0;
            Some(Value::Object(super::bridge_opts::bridge_json(
                b,
                &id,
                gc,
                w.now(),
            )))
        }
        // iplink_vrf.c's vrf_print_opt().
        DevKind::Vrf { table } => Some(json!({ "table": table })),
        DevKind::Vxlan(v) => Some(Value::Object(super::vxlan::json(w, v))),
        DevKind::Vlan(_) | DevKind::Macvlan(_) | DevKind::Ipvlan(_) => {
            super::stacked::json(w, d).map(|(_, v)| v)
        }
        DevKind::Tunnel(_) => super::tunnel::json(w, d).map(Value::Object),
        // veth, dummy and ifb have no options to print; the bond's JSON
        // is not written yet (its kind alone is given).
        _ => None,
    };
    if let Some(kind) = d.kind.kind_name() {
        li.insert("info_kind".into(), json!(kind));
        if let Some(v) = data {
            li.insert("info_data".into(), v);
        }
    }
    if let Some(md) = d.master.and_then(|m| w.ns(c.ns).dev(m)) {
        if let Some(p) = md.bridge().and_then(|b| b.port(d.ifindex)) {
            li.insert("info_slave_kind".into(), json!("bridge"));
            li.insert(
                "info_slave_data".into(),
                Value::Object(super::bridge_opts::slave_json(p, w.now())),
            );
        } else if let DevKind::Bond(_) = &md.kind {
            li.insert("info_slave_kind".into(), json!("bond"));
        }
    }
    (!li.is_empty()).then_some(li)
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

fn show(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut dev: Option<String> = None;
    let mut up_only = false;
    let mut master: Option<String> = None;
    let mut kind: Option<String> = None;
    let mut group: Option<u32> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "dev" => {
                i += 1;
                dev = Some(args.get(i).ok_or(Error::Incomplete)?.clone());
            }
            "group" => {
                i += 1;
                let v = args.get(i).ok_or(Error::Incomplete)?.clone();
                group = Some(super::group::parse(c, &v)?);
            }
            "up" => up_only = true,
            "master" => {
                i += 1;
                master = args.get(i).cloned();
            }
            "vrf" => {
                i += 1;
                let v = args.get(i).ok_or(Error::Incomplete)?;
                super::vrf::check_name(c, v)?;
                master = Some(v.clone());
            }
            "type" => {
                i += 1;
                kind = args.get(i).cloned();
            }
            _ if dev.is_some() => return Err(Error::garbage("dev", a)),
            _ => dev = Some(a.to_string()),
        }
        i += 1;
    }
    let ns = c.ns;
    // By name or alternative name.
    let dev_idx = match &dev {
        Some(n) => Some(
            c.m.world
                .ns(ns)
                .ifindex_of(n)
                .ok_or_else(|| Error::DevNotExist(n.clone()))?,
        ),
        None => None,
    };
    let master_idx = match &master {
        Some(m) => Some(
            c.m.world
                .ns(ns)
                .ifindex_of(m)
                .ok_or_else(|| Error::DevNotExist(m.clone()))?,
        ),
        None => None,
    };
    let devs: Vec<Device> =
        c.m.world
            .ns(ns)
            .devs()
            .values()
            .filter(|d| dev_idx.is_none_or(|i| d.ifindex == i))
            .filter(|d| group.is_none_or(|g| d.group == g))
            .filter(|d| !up_only || d.up)
            .filter(|d| master_idx.is_none_or(|m| d.master == Some(m)))
            .filter(|d| {
                kind.as_deref()
                    .is_none_or(|k| d.kind.kind_name() == Some(k))
            })
            .cloned()
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
            let lladdr = if let Some(t) = d.tunnel().filter(|t| !t.kind.is_ether()) {
                format!("{} ", t.p.saddr)
            } else if d.is_tun_l3() {
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
    Ok(())
}

/// iproute2's check_ifname() (for `name NAME`): not empty, shorter than
/// IFNAMSIZ, no '/' or white space; a NUL (which C would cut the name at)
/// is refused too. Dots and colons are the kernel's to refuse.
pub(crate) fn valid_ifname(n: &str) -> bool {
    n.len() < IFNAMSIZ && valid_altifname(n)
}

/// iproute2's check_altifname() (for `dev NAME` and a bare name): the same
/// without the length, which the kernel checks.
pub(crate) fn valid_altifname(n: &str) -> bool {
    !n.is_empty()
        && !n.contains(['/', '\0'])
        && !n.bytes().any(|b| b.is_ascii_whitespace() || b == 0x0b)
}

const IFNAMSIZ: usize = vnet_core::netns::IFNAMSIZ;

/// What the kernel answers a request naming a device `n`: IFLA_IFNAME's
/// policy (at most IFNAMSIZ-1 bytes), then dev_valid_name().
pub(crate) fn kernel_ifname(n: &str) -> Res {
    if n.len() >= IFNAMSIZ {
        return Err(Error::Kernel(KernelError {
            errno: Errno::EINVAL,
            extack: Some("Attribute failed policy validation"),
        }));
    }
    if !vnet_core::netns::dev_valid_name(n) {
        return Err(Errno::EINVAL.into());
    }
    Ok(())
}

fn add(c: &mut Cmd, args: &[String]) -> Res {
    let mut name: Option<String> = None;
    let mut kind: Option<String> = None;
    let mut mtu = None;
    let mut mac = None;
    let mut txq = None;
    let mut peer: Option<String> = None;
    let mut peer_ns: Option<NsId> = None;
    let mut peer_mac: Option<Mac> = None;
    let mut tunnel_args: Option<(TunnelKind, Vec<String>)> = None;
    let mut vxlan_args: Option<Vec<String>> = None;
    let mut stacked_args: Option<Vec<String>> = None;
    let mut link: Option<u32> = None;
    let mut dev_ns: Option<NsId> = None;
    let mut bridge_args: Option<super::bridge_opts::BridgeArgs> = None;
    let mut bond_args: Option<Vec<vnet_core::dev::bond::BondOpt>> = None;
    let mut vrf_table: Option<Option<u32>> = None;
    // Whether the peer came as `name NAME` (check_ifname) or bare (check_altifname).
    let mut peer_by_name = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let next = |i: &mut usize| -> Option<String> {
            *i += 1;
            args.get(*i).cloned()
        };
        match a {
            "name" | "dev" => {
                let v = next(&mut i).ok_or(Error::Incomplete)?;
                if a == "name" && !valid_ifname(&v) {
                    return Err(Error::invarg("\"name\" not a valid ifname", &v));
                }
                if a == "dev" && !valid_altifname(&v) {
                    return Err(Error::invarg("\"dev\" not a valid ifname", &v));
                }
                name = Some(v);
            }
            "type" => {
                kind = Some(next(&mut i).ok_or(Error::Incomplete)?);
                if kind.as_deref() == Some("vxlan") {
                    vxlan_args = Some(args[i + 1..].to_vec());
                    break;
                }
                if matches!(
                    kind.as_deref(),
                    Some("vlan" | "macvlan" | "macvtap" | "ipvlan")
                ) {
                    stacked_args = Some(args[i + 1..].to_vec());
                    break;
                }
                if let Some(tk) = kind.as_deref().and_then(TunnelKind::from_kind) {
                    if tk != TunnelKind::Erspan {
                        tunnel_args = Some((tk, args[i + 1..].to_vec()));
                        break;
                    }
                }
                // Everything after `type KIND` belongs to the kind (veth: peer ...).
                let rest = &args[i + 1..];
                if kind.as_deref() == Some("bridge") {
                    bridge_args = Some(super::bridge_opts::parse_bridge(rest)?);
                    break;
                }
                if kind.as_deref() == Some("bond") {
                    bond_args = Some(super::bond::parse(c, rest)?);
                    break;
                }
                if kind.as_deref() == Some("vrf") {
                    vrf_table = Some(super::vrf::parse_link(rest)?);
                    break;
                }
                let mut j = 0;
                while j < rest.len() {
                    let needs_value = [
                        "address",
                        "mtu",
                        "txqueuelen",
                        "qlen",
                        "txqlen",
                        "name",
                        "netns",
                    ];
                    if needs_value.contains(&rest[j].as_str()) && j + 1 >= rest.len() {
                        return Err(Error::Incomplete);
                    }
                    match rest[j].as_str() {
                        "peer" => {}
                        "address" => {
                            j += 1;
                            let v = rest.get(j).cloned().unwrap_or_default();
                            peer_mac = Some(Mac::parse(&v).ok_or(Error::InvalidLladdr(v))?);
                        }
                        "mtu" | "txqueuelen" | "qlen" | "txqlen" => j += 1,
                        "name" => {
                            j += 1;
                            peer = rest.get(j).cloned();
                            peer_by_name = true;
                        }
                        "netns" => {
                            j += 1;
                            let n = rest.get(j).cloned().unwrap_or_default();
                            peer_ns =
                                Some(c.m.world.netns_by_name(&n).ok_or(Error::UnknownNetns(n))?);
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
                let v = next(&mut i).ok_or(Error::Incomplete)?;
                match v.parse::<u32>() {
                    Ok(m) => mtu = Some(m),
                    Err(_) => return Err(Error::invarg("Invalid \"mtu\" value\n", &v)),
                }
            }
            "address" => {
                let v = next(&mut i).ok_or(Error::Incomplete)?;
                mac = Some(lladdr(&v)?);
            }
            "txqueuelen" | "qlen" | "txqlen" => {
                let v = next(&mut i).ok_or(Error::Incomplete)?;
                match get_u32(&v) {
                    Some(q) => txq = Some(q),
                    None => return Err(Error::invarg("Invalid \"txqueuelen\" value\n", &v)),
                }
            }
            "link" => {
                // IFLA_LINK: ll_name_to_index() in the caller's namespace.
                let v = next(&mut i).ok_or(Error::Incomplete)?;
                link = Some(c.m.world.ns(c.ns).ifindex_of(&v).ok_or(Error::NoDev(v))?);
            }
            "netns" => {
                // IFLA_NET_NS_FD: the device is made there; a veth peer
                // without its own netns stays in the caller's (veth_newlink).
                let v = next(&mut i).ok_or(Error::Incomplete)?;
                dev_ns = Some(c.m.world.netns_by_name(&v).ok_or(Error::UnknownNetns(v))?);
            }
            _ => {
                if !valid_altifname(a) {
                    return Err(Error::invarg("\"dev\" not a valid ifname", a));
                }
                name = Some(a.to_string());
            }
        }
        i += 1;
    }
    let kind = kind.ok_or_else(|| {
        Error::Failed("Not enough information: \"type\" argument is required\n".into())
    })?;
    // rtnl_newlink() without IFLA_IFNAME names the device "KIND%d".
    let name = name.unwrap_or_else(|| {
        c.m.world
            .alloc_name(dev_ns.unwrap_or(c.ns), &format!("{kind}%d"))
    });
    if let Some(p) = &peer {
        match peer_by_name {
            true if !valid_ifname(p) => {
                return Err(Error::invarg("\"name\" not a valid ifname", p))
            }
            false if !valid_altifname(p) => {
                return Err(Error::invarg("\"dev\" not a valid ifname", p))
            }
            _ => {}
        }
    }
    if let Some(u) = crate::unsimulated::link_kind(&kind) {
        return Err(Error::NotSimulated(u));
    }
    let stacked = match &stacked_args {
        Some(a) => super::stacked::parse(&kind, link, mtu, a)?,
        None => None,
    };
    kernel_ifname(&name)?;
    let caller = c.ns;
    // `netns NS`: everything is made as if from the target namespace (a
    // veth's peer stays with the caller unless told otherwise).
    let target = dev_ns.unwrap_or(caller);
    if target != caller && kind == "veth" && peer_ns.is_none() {
        peer_ns = Some(caller);
    }
    if let Some(table) = vrf_table {
        let nl = vnet_core::dev::rtnetlink::NewLink::Vrf { table };
        let idx = c.m.world.link_add(target, &name, nl, mac)?;
        if let Some(q) = txq {
            let _ = c.m.world.link_set(target, idx, LinkChange::TxQueueLen(q));
        }
        c.m.world.module_load("vrf");
        return Ok(());
    }
    if let Some(opts) = bond_args {
        let idx = super::bond::link_add(c, target, &name, opts, mac)?;
        if let Some(m) = mtu {
            if c.m.world.link_set(target, idx, LinkChange::Mtu(m)).is_err() {
                let _ = c.m.world.link_del(target, idx);
                return Err(Errno::EINVAL.into());
            }
        }
        if let Some(q) = txq {
            let _ = c.m.world.link_set(target, idx, LinkChange::TxQueueLen(q));
        }
        return Ok(());
    }
    c.ns = target;
    let nm = name.clone();
    if let Some(nl) = stacked {
        // The lower is looked up where the request is made (rtnl_newlink's
        // link_net); a device made elsewhere is moved there afterwards.
        c.ns = caller;
        let r = add_stacked(c, &name, nl, mtu, mac, txq, target);
        return r;
    }
    let r = add_in(
        c,
        name,
        kind,
        mtu,
        mac,
        txq,
        peer,
        peer_ns,
        peer_mac,
        tunnel_args,
        vxlan_args,
    );
    c.ns = caller;
    r?;
    if let Some(a) = bridge_args {
        if let Some(i) = c.m.world.ns(target).ifindex_of(&nm) {
            // rtnl_newlink(): a changelink error deletes the new device.
            if let Err(e) = super::bridge_opts::apply_bridge(&mut c.m.world, target, i, a) {
                let _ = c.m.world.link_del(target, i);
                return Err(e.into());
            }
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn add_in(
    c: &mut Cmd,
    name: String,
    kind: String,
    mtu: Option<u32>,
    mac: Option<Mac>,
    txq: Option<u32>,
    peer: Option<String>,
    peer_ns: Option<NsId>,
    peer_mac: Option<Mac>,
    tunnel_args: Option<(TunnelKind, Vec<String>)>,
    vxlan_args: Option<Vec<String>>,
) -> Res {
    let ns = c.ns;
    if vxlan_args.is_some() || tunnel_args.is_some() {
        if let Some(vargs) = vxlan_args {
            super::vxlan::link_add(c, &name, &vargs, mtu, mac)?;
        } else if let Some((tk, targs)) = tunnel_args {
            super::tunnel::link_add(c, &name, tk, &targs, mtu, mac)?;
        }
        if let (Some(q), Some(idx)) = (txq, c.m.world.ns(ns).ifindex_of(&name)) {
            let _ = c.m.world.link_set(ns, idx, LinkChange::TxQueueLen(q));
        }
        return Ok(());
    }
    let nl = match kind.as_str() {
        "veth" => {
            let peer =
                peer.unwrap_or_else(|| c.m.world.alloc_name(peer_ns.unwrap_or(ns), "veth%d"));
            kernel_ifname(&peer)?;
            NewLink::Veth {
                peer,
                peer_ns,
                peer_mac,
            }
        }
        "bridge" => NewLink::Bridge,
        "dummy" => NewLink::Dummy,
        "ifb" => NewLink::Ifb,
        _ => return Err(Error::Kernel(UNKNOWN_DEVICE_TYPE)),
    };
    let idx = c.m.world.link_add(ns, &name, nl, mac)?;
    if let Some(m) = mtu {
        if c.m.world.link_set(ns, idx, LinkChange::Mtu(m)).is_err() {
            // rtnl_create_link() refuses it before the device exists,
            // without an extack message.
            let _ = c.m.world.link_del(ns, idx);
            return Err(Errno::EINVAL.into());
        }
    }
    if let Some(q) = txq {
        let _ = c.m.world.link_set(ns, idx, LinkChange::TxQueueLen(q));
    }
    c.m.world.module_load(&kind);
    Ok(())
}

/// A vlan, macvlan or ipvlan: made on its lower in the caller's namespace,
/// then moved to `target` when `netns` was given.
#[allow(clippy::too_many_arguments)]
fn add_stacked(
    c: &mut Cmd,
    name: &str,
    nl: NewLink,
    mtu: Option<u32>,
    mac: Option<Mac>,
    txq: Option<u32>,
    target: NsId,
) -> Res {
    let ns = c.ns;
    if target != ns && c.m.world.ns(target).dev_by_name(name).is_some() {
        return Err(Errno::EEXIST.into());
    }
    let idx = c.m.world.link_add(ns, name, nl, mac)?;
    if let Some(m) = mtu {
        if let Err(e) = c.m.world.link_set(ns, idx, LinkChange::Mtu(m)) {
            let _ = c.m.world.link_del(ns, idx);
            // vlan_newlink() and macvlan's refuse a larger MTU with EINVAL.
            return Err(match e.errno {
                Errno::ERANGE => Errno::EINVAL.into(),
                _ => e.into(),
            });
        }
    }
    if let Some(q) = txq {
        let _ = c.m.world.link_set(ns, idx, LinkChange::TxQueueLen(q));
    }
    if target != ns {
        c.m.world.link_set(ns, idx, LinkChange::Netns(target))?;
    }
    Ok(())
}

/// rtnl_newlink() without rtnl_link_ops for the kind.
pub(super) const UNKNOWN_DEVICE_TYPE: KernelError = KernelError {
    errno: Errno::EOPNOTSUPP,
    extack: Some("Unknown device type"),
};

fn del(c: &mut Cmd, args: &[String]) -> Res {
    let mut name = None;
    let mut group = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "dev" => {
                i += 1;
                name = Some(args.get(i).ok_or(Error::Incomplete)?.clone());
            }
            "group" => {
                i += 1;
                let v = args.get(i).ok_or(Error::Incomplete)?.clone();
                group = Some(super::group::parse(c, &v)?);
            }
            "type" => i += 1,
            a => name = Some(a.to_string()),
        }
        i += 1;
    }
    if let (None, Some(g)) = (&name, group) {
        return del_group(c, g);
    }
    // iplink_modify() gives up with exit(-1) without a device.
    let name = name.ok_or(Error::NeedDev.fatal())?;
    let idx = super::require_dev(c, Some(&name))?;
    Ok(c.m.world.link_del(c.ns, idx)?)
}

/// rtnl_group_dellink(): every device of the group, or none when one of
/// them cannot be deleted (no rtnl_link_ops->dellink: lo, a NIC).
fn del_group(c: &mut Cmd, g: u32) -> Res {
    let ns = c.ns;
    let members: Vec<(u32, bool)> =
        c.m.world
            .ns(ns)
            .devs()
            .values()
            .filter(|d| d.group == g)
            .map(|d| {
                let fixed = matches!(d.kind, DevKind::Loopback | DevKind::Nic { .. });
                (d.ifindex, fixed)
            })
            .collect();
    if members.iter().any(|(_, fixed)| *fixed) {
        return Err(Errno::EOPNOTSUPP.into());
    }
    for (idx, _) in members {
        // A veth's peer may have gone with an earlier member.
        if c.m.world.ns(ns).dev(idx).is_some() {
            c.m.world.link_del(ns, idx)?;
        }
    }
    Ok(())
}

/// `ip link property add|del dev DEV altname NAME...` (iplink_prop()).
fn property(c: &mut Cmd, args: &[String]) -> Res {
    let Some(op) = args.first() else {
        return Err(Error::Usage(LINK_USAGE));
    };
    let add = if matches(op, "add") {
        true
    } else if matches(op, "del") {
        false
    } else if op == "help" {
        return Err(Error::Usage(LINK_USAGE));
    } else {
        return Err(Error::Fatal("Operator required\n".into()));
    };
    let mut dev: Option<&str> = None;
    let mut names = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        if matches(a, "altname") {
            i += 1;
            let v = args.get(i).ok_or(Error::Incomplete)?;
            if !valid_altifname(v) {
                return Err(Error::invarg("not a valid altname", v));
            }
            names.push(v.clone());
        } else if matches(a, "help") {
            return Err(Error::Usage(LINK_USAGE));
        } else {
            if a == "dev" {
                i += 1;
            }
            let v = args.get(i).ok_or(Error::Incomplete)?;
            if dev.is_some() {
                return Err(Error::garbage("dev", v));
            }
            if !valid_altifname(v) {
                return Err(Error::invarg("\"dev\" not a valid ifname", v));
            }
            dev = Some(v);
        }
        i += 1;
    }
    let Some(dev) = dev else {
        return Err(Error::Fatal(
            "Not enough of information: \"dev\" argument is required.\n".into(),
        ));
    };
    let idx = super::require_dev(c, Some(dev))?;
    // The kernel takes the names of one request in order, keeping those
    // done before one that fails.
    for n in names {
        c.m.world.link_altname(c.ns, idx, add, &n)?;
    }
    Ok(())
}

/// parse_on_off(): "on" or "off", else an error and exit 1.
fn on_off(key: &str, v: &str) -> Res<bool> {
    match v {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(Error::Failed(format!(
            "Error: argument of \"{key}\" must be \"on\" or \"off\", not \"{v}\"\n"
        ))),
    }
}

/// ll_addr_a2n(): colon-separated bytes, each read as sscanf("%x") reads
/// it (leading hex digits, the rest ignored), then the length iplink wants.
pub(super) fn lladdr(v: &str) -> Res<Mac> {
    let mut bytes = Vec::new();
    for part in v.split(':') {
        let p = part.trim_start();
        let p = p
            .strip_prefix("0x")
            .or_else(|| p.strip_prefix("0X"))
            .unwrap_or(p);
        let digits: String = p.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        match u64::from_str_radix(&digits, 16) {
            Ok(b) if b <= 255 => bytes.push(b as u8),
            _ => return Err(Error::InvalidLladdr(v.into())),
        }
    }
    if bytes.len() != 6 {
        return Err(Error::Failed(format!(
            "Invalid address length {} - must be 6 bytes\n",
            bytes.len()
        )));
    }
    let mut m = [0u8; 6];
    m.copy_from_slice(&bytes);
    Ok(Mac(m))
}

/// get_u32(): strtoul, so "-1" wraps to 4294967295.
fn get_u32(v: &str) -> Option<u32> {
    match v.strip_prefix('-') {
        Some(n) => n.parse::<u64>().ok().map(|n| (n as u32).wrapping_neg()),
        None => v.parse::<u32>().ok(),
    }
}

fn set(c: &mut Cmd, args: &[String]) -> Res {
    let mut retype: Option<(String, Vec<String>)> = None;
    let mut dev: Option<String> = None;
    let mut changes = Vec::new();
    // A negative mtu passes get_integer() and fails dev_validate_mtu().
    let mut negative_mtu = false;
    let mut group: Option<u32> = None;
    let ns = c.ns;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        // Keywords that take a value (NEXT_ARG()).
        let takes = [
            "dev",
            "name",
            "mtu",
            "address",
            "txqueuelen",
            "qlen",
            "txqlen",
            "promisc",
            "arp",
            "allmulticast",
            "multicast",
            "dynamic",
            "carrier",
            "alias",
            "group",
            "master",
            "netns",
            "type",
        ];
        let val = if takes.contains(&a) {
            i += 1;
            args.get(i).ok_or(Error::Incomplete)?.clone()
        } else {
            String::new()
        };
        match a {
            "dev" => {
                if dev.is_some() {
                    return Err(Error::garbage("dev", &val));
                }
                if !valid_altifname(&val) {
                    return Err(Error::invarg("\"dev\" not a valid ifname", &val));
                }
                dev = Some(val);
            }
            "up" => changes.push(LinkChange::Up(true)),
            "down" => changes.push(LinkChange::Up(false)),
            "name" => {
                if !valid_ifname(&val) {
                    return Err(Error::invarg("\"name\" not a valid ifname", &val));
                }
                kernel_ifname(&val)?;
                changes.push(LinkChange::Name(val));
            }
            "mtu" => match val.parse::<i32>() {
                Ok(m) if m < 0 => negative_mtu = true,
                Ok(m) => changes.push(LinkChange::Mtu(m as u32)),
                Err(_) => return Err(Error::invarg("Invalid \"mtu\" value\n", &val)),
            },
            "address" => changes.push(LinkChange::Address(lladdr(&val)?)),
            "txqueuelen" | "qlen" | "txqlen" => match get_u32(&val) {
                Some(q) => changes.push(LinkChange::TxQueueLen(q)),
                None => return Err(Error::invarg("Invalid \"txqueuelen\" value\n", &val)),
            },
            "promisc" | "arp" | "allmulticast" | "multicast" | "dynamic" | "carrier" => {
                let on = on_off(a, &val)?;
                changes.push(match a {
                    "promisc" => LinkChange::Promisc(on),
                    "arp" => LinkChange::Arp(on),
                    "allmulticast" => LinkChange::Allmulti(on),
                    "multicast" => LinkChange::Multicast(on),
                    "carrier" => LinkChange::Carrier(on),
                    _ => LinkChange::Dynamic(on),
                });
            }
            "type" => {
                // Everything after `type KIND` belongs to the kind (changelink).
                retype = Some((val, args[(i + 1).min(args.len())..].to_vec()));
                break;
            }
            "alias" => changes.push(LinkChange::Alias(Some(val))),
            "group" => {
                if group.is_some() {
                    return Err(Error::Fatal(format!(
                        "Error: duplicate \"group\": \"{val}\" is the second value.\n"
                    )));
                }
                group = Some(super::group::parse(c, &val)?);
            }
            "master" => match c.m.world.ns(ns).ifindex_of(&val) {
                Some(m) => changes.push(LinkChange::Master(Some(m))),
                None => return Err(Error::invarg("Device does not exist\n", &val)),
            },
            "nomaster" => changes.push(LinkChange::Master(None)),
            "netns" => {
                let v = val;
                match c.m.world.netns_by_name(&v) {
                    Some(t) => changes.push(LinkChange::Netns(t)),
                    // A number is a PID (IFLA_NET_NS_PID): the kernel
                    // finds its task or answers ESRCH.
                    None => match super::netns::get_s32(&v) {
                        Some(pid) => match c.m.pid_netns(i64::from(pid)) {
                            Some(t) => changes.push(LinkChange::Netns(t)),
                            None => return Err(Errno::ESRCH.into()),
                        },
                        None => return Err(Error::invarg("Invalid \"netns\" value\n", &v)),
                    },
                }
            }
            _ if dev.is_none() => dev = Some(a.to_string()),
            _ => return Err(Error::garbage("dev", a)),
        }
        i += 1;
    }
    let Some(dev) = dev else {
        // `group N` without a device selects every device of the group
        // (rtnl_group_changelink(): the same change applied to each).
        let Some(g) = group else {
            return Err(Error::NeedDev.fatal());
        };
        if negative_mtu {
            return Err(KernelError::ext(Errno::EINVAL, "mtu less than device minimum").into());
        }
        if retype.is_some() {
            return Err(Error::NotSimulated("ip link set group N type".into()));
        }
        let members: Vec<u32> =
            c.m.world
                .ns(ns)
                .devs()
                .values()
                .filter(|d| d.group == g)
                .map(|d| d.ifindex)
                .collect();
        for idx in members {
            let name = c.m.world.ns(ns).dev(idx).map(|d| d.name.clone());
            if let Some(name) = name {
                apply_changes(c, idx, &name, changes.clone())?;
            }
        }
        return Ok(());
    };
    if let Some(g) = group {
        changes.push(LinkChange::Group(g));
    }
    let idx = super::require_dev(c, Some(&dev))?;
    // ll_name_to_index() asked the kernel (RTM_GETLINK) for the device and
    // its master, which brings their operstates up to date.
    c.m.world.rtnl_getlink(ns, idx);
    for ch in &changes {
        if let LinkChange::Master(Some(m)) = ch {
            c.m.world.rtnl_getlink(ns, *m);
        }
    }
    if negative_mtu {
        return Err(KernelError::ext(Errno::EINVAL, "mtu less than device minimum").into());
    }
    if let Some((kind, targs)) = retype
        .as_ref()
        .filter(|(k, _)| k == "bridge" || k == "bridge_slave")
    {
        bridge_change(c, idx, kind, targs)?;
    } else if let Some((kind, targs)) = retype {
        let mtu_given = changes.iter().any(|c| matches!(c, LinkChange::Mtu(_)));
        if kind == "vlan" {
            super::stacked::vlan_link_change(c, idx, &targs)?;
        } else if kind == "bond" || kind == "bond_slave" {
            super::bond::change(c, idx, &kind, &targs)?;
        } else {
            super::tunnel::link_change(c, idx, &kind, &targs, mtu_given)?;
        }
    }
    apply_changes(c, idx, &dev, changes)
}

/// The changes of one `ip link set` applied to one device.
fn apply_changes(c: &mut Cmd, mut idx: u32, dev: &str, changes: Vec<LinkChange>) -> Res {
    let ns = c.ns;
    // iproute2 sends the name, address, mtu... in one request and up/down in another,
    // after them; the kernel applies the attributes in a fixed order.
    // up and down are one flag in that request: the last word wins.
    let (mut updown, attrs): (Vec<LinkChange>, Vec<LinkChange>) = changes
        .into_iter()
        .partition(|c| matches!(c, LinkChange::Up(_)));
    if updown.len() > 1 {
        updown.drain(..updown.len() - 1);
    }
    let mut cur_ns = ns;
    for ch in attrs.into_iter().chain(updown) {
        let moved = if let LinkChange::Netns(t) = ch {
            Some(t)
        } else {
            None
        };
        c.m.world.link_set(cur_ns, idx, ch)?;
        if let Some(t) = moved {
            cur_ns = t;
            match c.m.world.ns(t).ifindex_of(dev) {
                Some(x) => idx = x,
                None => return Ok(()),
            }
        }
    }
    Ok(())
}

/// `ip link set DEV type bridge|bridge_slave ARGS` (br_changelink(), br_port_slave_changelink()).
fn bridge_change(c: &mut Cmd, idx: u32, kind: &str, args: &[String]) -> Res {
    let ns = c.ns;
    let w = &c.m.world;
    if kind == "bridge" {
        let a = super::bridge_opts::parse_bridge(args)?;
        if !w.ns(ns).dev(idx).is_some_and(|d| d.is_bridge()) {
            return Err(Errno::EOPNOTSUPP.into());
        }
        return Ok(super::bridge_opts::apply_bridge(
            &mut c.m.world,
            ns,
            idx,
            a,
        )?);
    }
    let opts = super::bridge_opts::parse_slave(args, |n| w.ns(ns).ifindex_of(n))?;
    let br = w
        .ns(ns)
        .dev(idx)
        .and_then(|d| d.master)
        .filter(|m| w.ns(ns).dev(*m).is_some_and(|b| b.is_bridge()))
        .ok_or(Errno::EOPNOTSUPP)?;
    for o in opts {
        c.m.world.br_port_set(ns, br, idx, o)?;
    }
    Ok(())
}

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
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
    } else if matches(cmd, "property") {
        property(c, rest)
    } else if matches(cmd, "help") {
        Err(Error::Usage(LINK_USAGE))
    } else {
        Err(Error::UnknownCommand {
            obj: "link",
            cmd: cmd.clone(),
        })
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

/// The keywords `ip link add ... type bridge` knows (each takes a value).
pub(super) const BRIDGE_OPTS: &[&str] = &[
    "fdb_flush",
    "forward_delay",
    "hello_time",
    "max_age",
    "ageing_time",
    "stp_state",
    "priority",
    "group_fwd_mask",
    "group_address",
    "no_linklocal_learn",
    "vlan_filtering",
    "vlan_protocol",
    "vlan_default_pvid",
    "vlan_stats_enabled",
    "vlan_stats_per_port",
    "mcast_snooping",
    "mcast_vlan_snooping",
    "mcast_router",
    "mcast_query_use_ifaddr",
    "mcast_querier",
    "mcast_hash_elasticity",
    "mcast_hash_max",
    "mcast_last_member_count",
    "mcast_startup_query_count",
    "mcast_last_member_interval",
    "mcast_membership_interval",
    "mcast_querier_interval",
    "mcast_query_interval",
    "mcast_query_response_interval",
    "mcast_startup_query_interval",
    "mcast_stats_enabled",
    "mcast_igmp_version",
    "mcast_mld_version",
    "nf_call_iptables",
    "nf_call_ip6tables",
    "nf_call_arptables",
];

pub(super) const BRIDGE_USAGE: &str = "Usage: ... bridge [ fdb_flush ]
\t\t  [ forward_delay FORWARD_DELAY ]
\t\t  [ hello_time HELLO_TIME ]
\t\t  [ max_age MAX_AGE ]
\t\t  [ ageing_time AGEING_TIME ]
\t\t  [ stp_state STP_STATE ]
\t\t  [ priority PRIORITY ]
\t\t  [ group_fwd_mask MASK ]
\t\t  [ group_address ADDRESS ]
\t\t  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]
\t\t  [ vlan_filtering VLAN_FILTERING ]
\t\t  [ vlan_protocol VLAN_PROTOCOL ]
\t\t  [ vlan_default_pvid VLAN_DEFAULT_PVID ]
\t\t  [ vlan_stats_enabled VLAN_STATS_ENABLED ]
\t\t  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]
\t\t  [ mcast_snooping MULTICAST_SNOOPING ]
\t\t  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]
\t\t  [ mcast_router MULTICAST_ROUTER ]
\t\t  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]
\t\t  [ mcast_querier MULTICAST_QUERIER ]
\t\t  [ mcast_hash_elasticity HASH_ELASTICITY ]
\t\t  [ mcast_hash_max HASH_MAX ]
\t\t  [ mcast_last_member_count LAST_MEMBER_COUNT ]
\t\t  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]
\t\t  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
\t\t  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]
\t\t  [ mcast_querier_interval QUERIER_INTERVAL ]
\t\t  [ mcast_query_interval QUERY_INTERVAL ]
\t\t  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
\t\t  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]
\t\t  [ mcast_stats_enabled MCAST_STATS_ENABLED ]
\t\t  [ mcast_igmp_version IGMP_VERSION ]
\t\t  [ mcast_mld_version MLD_VERSION ]
\t\t  [ nf_call_iptables NF_CALL_IPTABLES ]
\t\t  [ nf_call_ip6tables NF_CALL_IP6TABLES ]
\t\t  [ nf_call_arptables NF_CALL_ARPTABLES ]

Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }
";
