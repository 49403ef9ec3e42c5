//! `bridge` (iproute2 6.1): `link` (show, set), `fdb` (show, add, append,
//! replace, del, get), `vlan show` and `mdb show`, with `-d`, `-s`, `-j`,
//! `-p`, `-o` and `-n NETNS`.
//!
//! The fdb dump follows rtnl_fdb_dump(): devices in ifindex order; for a
//! bridge port the bridge's entries pointing at it (`master BR`) and then the
//! port's own address lists (`self`); for a bridge its own lists, then the
//! bridge's entries that point at no port. The `self` entries are the
//! multicast addresses each device listens to (all-nodes, all-hosts,
//! solicited-node of its IPv6 addresses, the bridge's multicast-router
//! groups), derived from the device's state.
//!
//! This module also holds the views of bridge state `brctl` shares.

use crate::args::matches;
use crate::Cmd;
use vnet_core::bridge::br_netlink::{BrPortOpt, FdbNud};
use vnet_core::dev::{DevRef, Device};
use vnet_core::{Errno, Mac, NsId, Time, World};

// ---- views shared with brctl --------------------------------------------

/// One forwarding database entry as the kernel would list it.
#[derive(Clone, Debug)]
pub(crate) struct FdbRow {
    pub mac: Mac,
    pub vlan: u16,
    /// The port's ifindex, or the bridge's own for entries on no port.
    pub port: u32,
    pub local: bool,
    pub is_static: bool,
    pub updated: Time,
    pub used: Time,
    pub seq: u64,
}

/// The live entries of a bridge, newest first (the kernel's list order).
pub(crate) fn fdb_rows(w: &World, ns: NsId, br: u32) -> Vec<FdbRow> {
    let Some(d) = w.ns(ns).dev(br) else {
        return Vec::new();
    };
    let Some(b) = d.bridge() else {
        return Vec::new();
    };
    let mut v: Vec<FdbRow> = b
        .fdb
        .iter()
        .filter(|(_, e)| !b.expired(e, w.now()))
        .map(|(&(mac, vlan), e)| FdbRow {
            mac,
            vlan,
            port: e.port,
            local: e.is_local,
            is_static: e.is_static,
            updated: e.updated,
            used: e.used,
            seq: e.seq,
        })
        .collect();
    v.sort_by(|a, b| {
        b.seq
            .cmp(&a.seq)
            .then(b.used.cmp(&a.used))
            .then(b.updated.cmp(&a.updated))
            .then(b.mac.cmp(&a.mac))
            .then(b.vlan.cmp(&a.vlan))
    });
    v
}

fn mc(b: [u8; 6]) -> Mac {
    Mac(b)
}

fn ipv6_on(w: &World, ns: NsId, dev: &str, knob: &str) -> bool {
    let s = &w.ns(ns).sysctl();
    let all = s.get_int(&format!("net.ipv6.conf.all.{knob}")) != 0;
    let own = s
        .values
        .get(&format!("net.ipv6.conf.{dev}.{knob}"))
        .map(|v| v != "0");
    own.unwrap_or(all) || all
}

/// The device's multicast address list (dev->mc), in the order the kernel
/// joined the groups when the device came up.
pub(crate) fn mc_list(w: &World, ns: NsId, d: &Device) -> Vec<Mac> {
    if !d.is_ether() || d.is_loopback() {
        return Vec::new();
    }
    let v6 = !ipv6_on(w, ns, &d.name, "disable_ipv6");
    let mut v = Vec::new();
    if !d.up {
        // Registered: addrconf joined ff02::1. Once brought down every group
        // is left (ip_mc_down, ipv6_mc_down).
        if v6 && d.qdisc.is_none() {
            v.push(mc([0x33, 0x33, 0, 0, 0, 1]));
        }
        return v;
    }
    if v6 {
        v.push(mc([0x33, 0x33, 0, 0, 0, 1]));
    }
    if d.bridge().is_some_and(|b| !b.mcast_snooping_off) {
        // br_multicast_open(): the multicast router discovery groups.
        v.push(mc([0x01, 0x00, 0x5e, 0, 0, 0x6a]));
        if v6 {
            v.push(mc([0x33, 0x33, 0, 0, 0, 0x6a]));
        }
    }
    v.push(mc([0x01, 0x00, 0x5e, 0, 0, 1]));
    let push = |v: &mut Vec<Mac>, m: Mac| {
        if !v.contains(&m) {
            v.push(m);
        }
    };
    if v6 {
        // Joined as each address was added: the link-local one when the
        // link got carrier, then the others; the list keeps newest first.
        let mine: Vec<&vnet_core::addr::Ifaddr6> = w
            .ns(ns)
            .addrs6()
            .iter()
            .filter(|a| a.ifindex == d.ifindex && a.mc_joined(w.now()))
            .collect();
        let link = |a: &vnet_core::addr::Ifaddr6| a.addr.segments()[0] & 0xffc0 == 0xfe80;
        let addrs: Vec<[u8; 16]> = mine
            .iter()
            .rev()
            .filter(|a| link(a))
            .chain(mine.iter().rev().filter(|a| !link(a)))
            .map(|a| a.addr.octets())
            .collect();
        for o in &addrs {
            push(&mut v, mc([0x33, 0x33, 0xff, o[13], o[14], o[15]]));
        }
        if ipv6_on(w, ns, &d.name, "forwarding") {
            push(&mut v, mc([0x33, 0x33, 0, 0, 0, 2]));
            if !addrs.is_empty() {
                push(&mut v, mc([0x33, 0x33, 0xff, 0, 0, 0]));
            }
        }
    }
    v
}

// ---- iproute2's json_writer ----------------------------------------------

/// A JSON writer that spaces its output exactly as iproute2's json_writer.c.
pub(crate) struct Json {
    pub out: String,
    pretty: bool,
    depth: usize,
    sep: bool,
}

impl Json {
    pub fn new(pretty: bool) -> Json {
        Json {
            out: String::new(),
            pretty,
            depth: 0,
            sep: false,
        }
    }
    fn eor(&mut self) {
        if self.sep {
            self.out.push(',');
        }
        self.sep = true;
    }
    fn eol(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str("    ");
            }
        }
    }
    fn begin(&mut self, c: char) {
        self.eor();
        self.out.push(c);
        self.depth += 1;
        self.sep = false;
    }
    fn end(&mut self, c: char) {
        self.depth -= 1;
        if self.sep {
            self.eol();
        }
        self.out.push(c);
        self.sep = true;
    }
    pub fn start_array(&mut self) {
        self.begin('[');
        if self.pretty {
            self.out.push(' ');
        }
    }
    pub fn end_array(&mut self) {
        if self.pretty && self.sep {
            self.out.push(' ');
        }
        self.sep = false;
        self.end(']');
    }
    pub fn start_object(&mut self) {
        self.begin('{');
    }
    pub fn end_object(&mut self) {
        self.end('}');
    }
    fn quoted(&mut self, s: &str) {
        self.out.push('"');
        for ch in s.chars() {
            match ch {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\t' => self.out.push_str("\\t"),
                c if (c as u32) < 0x20 => self.out.push_str(&format!("\\u{:04x}", c as u32)),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }
    pub fn name(&mut self, n: &str) {
        self.eor();
        self.eol();
        self.sep = false;
        self.quoted(n);
        self.out.push(':');
        if self.pretty {
            self.out.push(' ');
        }
    }
    pub fn str_value(&mut self, s: &str) {
        self.eor();
        self.quoted(s);
    }
    pub fn raw_value(&mut self, s: &str) {
        self.eor();
        self.out.push_str(s);
    }
    pub fn str_field(&mut self, n: &str, v: &str) {
        self.name(n);
        self.str_value(v);
    }
    pub fn num_field(&mut self, n: &str, v: u64) {
        self.name(n);
        self.raw_value(&v.to_string());
    }
    pub fn bool_field(&mut self, n: &str, v: bool) {
        self.name(n);
        self.raw_value(if v { "true" } else { "false" });
    }
}

// ---- the command ----------------------------------------------------------

const USAGE: &str = "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
";

const LINK_USAGE: &str =
    "Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
";

const FDB_USAGE: &str = "Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
\t       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
";

#[derive(Default)]
struct Opts {
    stats: u32,
    details: u32,
    oneline: bool,
    json: bool,
    pretty: bool,
    /// `-c`: vlan ranges compressed (RTEXT_FILTER_BRVLAN_COMPRESSED).
    compress: bool,
}

/// A failed run: what to print on stderr and the exit status.
struct Fail(String, i32);

type Res = Result<i32, Fail>;

fn fail<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail(msg.into(), 255))
}

fn incomplete<T>() -> Result<T, Fail> {
    fail("Command line is not complete. Try option \"help\"\n")
}

fn rtnl<T>(e: Errno) -> Result<T, Fail> {
    fail(format!("RTNETLINK answers: {}\n", e.strerror()))
}

fn nodev<T>(name: &str) -> Result<T, Fail> {
    fail(format!("Cannot find device \"{name}\"\n"))
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    match run(c, args) {
        Ok(code) => code,
        Err(Fail(msg, code)) => {
            c.eprint(&msg);
            code
        }
    }
}

fn run(c: &mut Cmd, args: &[String]) -> Res {
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() && args[i].len() > 1 && args[i].starts_with('-') {
        let full = args[i].as_str();
        // iproute2 accepts "--opt" for "-opt".
        let opt = if full.starts_with("--") {
            &full[1..]
        } else {
            full
        };
        let m = |w: &str| matches(opt, w);
        if m("-help") {
            return fail(USAGE);
        } else if m("-Version") {
            c.print("bridge utility, 6.1.0\n");
            return Ok(0);
        } else if m("-stats") || m("-statistics") {
            o.stats += 1;
        } else if m("-details") {
            o.details += 1;
        } else if m("-oneline") {
            o.oneline = true;
        } else if m("-timestamp") {
        } else if m("-family") {
            i += 1;
            if i >= args.len() {
                return incomplete();
            }
        } else if opt == "-4" || opt == "-6" {
        } else if m("-netns") {
            i += 1;
            let Some(name) = args.get(i) else {
                return incomplete();
            };
            let Some(ns) = c.m.world.netns_by_name(name) else {
                return fail(format!(
                    "Cannot open network namespace \"{name}\": No such file or directory\n"
                ));
            };
            c.ns = ns;
        } else if m("-compressvlans") {
            o.compress = true;
        } else if m("-color") || opt.starts_with("-color=") || m("-force") {
        } else if m("-json") {
            o.json = true;
        } else if m("-pretty") {
            o.pretty = true;
        } else if m("-batch") {
            return fail("bridge: -batch is not supported by vnet\n");
        } else {
            return fail(format!(
                "Option \"{full}\" is unknown, try \"bridge help\".\n"
            ));
        }
        i += 1;
    }
    let rest = &args[i..];
    let Some(obj) = rest.first() else {
        return fail(USAGE);
    };
    let sub = &rest[1..];
    let m = |w: &str| matches(obj, w);
    if m("link") {
        do_link(c, &o, sub)
    } else if m("fdb") {
        do_fdb(c, &o, sub)
    } else if m("mdb") {
        do_mdb(c, &o, sub)
    } else if m("vlan") {
        do_vlan(c, &o, sub)
    } else if m("monitor") {
        crate::bridge_monitor::main(c, sub).map_err(|(msg, code)| Fail(msg, code))
    } else if m("help") {
        fail(USAGE)
    } else {
        fail(format!(
            "Object \"{obj}\" is unknown, try \"bridge help\".\n"
        ))
    }
}

fn finish_json(c: &mut Cmd, j: Json) {
    let mut s = j.out;
    s.push('\n');
    c.print(&s);
}

// ---- bridge link ------------------------------------------------------------

fn do_link(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return link_show(c, o, &[]);
    };
    let m = |w: &str| matches(cmd, w);
    if m("set") || m("change") {
        link_set(c, &args[1..])
    } else if m("show") || m("lst") || m("list") {
        link_show(c, o, &args[1..])
    } else if m("help") {
        fail(LINK_USAGE)
    } else {
        fail(format!(
            "Command \"{cmd}\" is unknown, try \"bridge link help\".\n"
        ))
    }
}

fn link_show(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut filter: Option<&str> = None;
    let mut k = 0;
    while k < args.len() {
        if args[k] == "dev" {
            k += 1;
            let Some(d) = args.get(k) else {
                return incomplete();
            };
            if let Some(prev) = filter {
                let _ = prev;
                return fail(format!(
                    "Error: duplicate \"dev\": \"{d}\" is the second value.\n"
                ));
            }
            filter = Some(d);
        }
        k += 1;
    }
    let ns = c.ns;
    let w = &c.m.world;
    let fidx = match filter {
        Some(name) => match w.ns(ns).ifindex_of(name) {
            Some(i) => Some(i),
            None => return nodev(name),
        },
        None => None,
    };
    let mut text = String::new();
    let mut j = Json::new(o.pretty);
    if o.json {
        j.start_array();
    }
    for d in w.ns(ns).devs().values() {
        if fidx.is_some_and(|f| f != d.ifindex) {
            continue;
        }
        let Some(m) = d.master else { continue };
        let Some(brdev) = w.ns(ns).dev(m) else {
            continue;
        };
        let Some(p) = brdev.bridge().and_then(|b| b.port(d.ifindex)) else {
            continue;
        };
        let r = DevRef {
            ns,
            ifindex: d.ifindex,
        };
        // bridge(8) resolves IFLA_LINK in its own namespace, whatever
        // IFLA_LINK_NETNSID says: a peer in another namespace is named (and
        // its M-DOWN taken from) whichever local device has its index; with
        // none, ll_index_to_flags() answers all ones: no M-DOWN.
        // rtnl_fill_link_ifindex(): no IFLA_LINK when it is the device's own index.
        let (link, mdown) = match d.iflink().filter(|pr| pr.ifindex != d.ifindex) {
            Some(pr) => match w.ns(ns).dev(pr.ifindex) {
                Some(pd) => (Some(pd.name.clone()), !pd.up),
                None if pr.ns == ns => (Some("NONE".to_string()), false),
                None => (Some(format!("if{}", pr.ifindex)), false),
            },
            None => (None, false),
        };
        // The core reports IFF_PROMISC only when the user set it, as dev_get_flags() does.
        let flags = crate::ip::flag_list(w.flags(r), mdown);
        let onoff = |b: bool| if b { "on" } else { "off" };
        if o.json {
            j.start_object();
            j.num_field("ifindex", d.ifindex as u64);
            if let Some(l) = &link {
                j.str_field("link", l);
            }
            j.str_field("ifname", &d.name);
            j.name("flags");
            j.start_array();
            for f in &flags {
                j.str_value(f);
            }
            j.end_array();
            j.num_field("mtu", d.mtu as u64);
            j.str_field("master", &brdev.name);
            j.str_field("state", p.state.name());
            j.num_field("priority", p.priority as u64);
            j.num_field("cost", p.path_cost as u64);
            if o.details > 0 {
                let f = &p.flags;
                j.bool_field("hairpin", p.hairpin);
                j.bool_field("guard", f.guard);
                j.bool_field("root_block", f.root_block);
                j.bool_field("fastleave", f.fastleave);
                j.bool_field("learning", p.learning);
                j.bool_field("flood", p.flood);
                j.bool_field("mcast_flood", f.mcast_flood);
                j.bool_field("bcast_flood", f.bcast_flood);
                j.num_field("mcast_router", f.mcast_router as u64);
                j.bool_field("mcast_to_unicast", f.mcast_to_unicast);
                j.bool_field("neigh_suppress", f.neigh_suppress);
                j.bool_field("vlan_tunnel", f.vlan_tunnel);
                j.bool_field("isolated", f.isolated);
                j.bool_field("locked", f.locked);
            }
            j.end_object();
            continue;
        }
        let name = match &link {
            Some(l) => format!("{}@{}", d.name, l),
            None => d.name.clone(),
        };
        text.push_str(&format!(
            "{}: {}: <{}> mtu {} master {} state {} priority {} cost {} ",
            d.ifindex,
            name,
            flags.join(","),
            d.mtu,
            brdev.name,
            p.state.name(),
            p.priority,
            p.path_cost
        ));
        if o.details > 0 {
            text.push_str(if o.oneline { "\\    " } else { "\n    " });
            let f = &p.flags;
            text.push_str(&format!(
                "hairpin {} guard {} root_block {} fastleave {} learning {} flood {} \
                 mcast_flood {} bcast_flood {} mcast_router {} mcast_to_unicast {} \
                 neigh_suppress {} vlan_tunnel {} isolated {} locked {} ",
                onoff(p.hairpin),
                onoff(f.guard),
                onoff(f.root_block),
                onoff(f.fastleave),
                onoff(p.learning),
                onoff(p.flood),
                onoff(f.mcast_flood),
                onoff(f.bcast_flood),
                f.mcast_router,
                onoff(f.mcast_to_unicast),
                onoff(f.neigh_suppress),
                onoff(f.vlan_tunnel),
                onoff(f.isolated),
                onoff(f.locked),
            ));
        }
        text.push('\n');
    }
    if o.json {
        j.end_array();
        finish_json(c, j);
    } else {
        c.print(&text);
    }
    Ok(0)
}

/// parse_on_off(): "on" or "off", else the error iproute2 exits with (-EINVAL).
fn on_off(key: &str, v: &str) -> Result<bool, Fail> {
    match v {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(Fail(
            format!("Error: argument of \"{key}\" must be one of \"off\", \"on\", not \"{v}\"\n"),
            234,
        )),
    }
}

/// C atoi(): leading white space, sign, decimal digits; 0 when none.
fn atoi(s: &str) -> i64 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (neg, u) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut v: i64 = 0;
    for b in u.bytes().take_while(|b| b.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add((b - b'0') as i64);
    }
    let v = v as i32 as i64;
    if neg {
        -v
    } else {
        v
    }
}

const PORT_STATES: [&str; 5] = [
    "disabled",
    "listening",
    "learning",
    "forwarding",
    "blocking",
];

fn link_set(c: &mut Cmd, args: &[String]) -> Res {
    let mut dev: Option<String> = None;
    let mut cost: i64 = -1;
    let mut prio: i64 = -1;
    let mut state: Option<i64> = None;
    let mut flags: Vec<(&str, bool)> = Vec::new();
    let mut mcast_router: Option<i64> = None;
    let mut backup: Option<Option<u32>> = None;
    let mut k = 0;
    let next = |k: &mut usize| -> Result<String, Fail> {
        *k += 1;
        match args.get(*k) {
            Some(v) => Ok(v.clone()),
            None => incomplete(),
        }
    };
    while k < args.len() {
        let a = args[k].as_str();
        match a {
            "dev" => dev = Some(next(&mut k)?),
            "cost" => cost = atoi(&next(&mut k)?),
            "priority" => prio = atoi(&next(&mut k)?),
            "state" => {
                let v = next(&mut k)?;
                let numeric = v.trim_start().parse::<i64>().ok();
                state = Some(if let Some(n) = numeric {
                    n
                } else {
                    match PORT_STATES.iter().position(|s| s.eq_ignore_ascii_case(&v)) {
                        Some(p) => p as i64,
                        None => return fail("Error: invalid STP port state\n"),
                    }
                });
            }
            "guard" | "hairpin" | "fastleave" | "root_block" | "learning" | "learning_sync"
            | "flood" | "mcast_flood" | "bcast_flood" | "mcast_to_unicast" | "neigh_suppress"
            | "vlan_tunnel" | "isolated" | "locked" => {
                let v = next(&mut k)?;
                let key: &'static str = [
                    "guard",
                    "hairpin",
                    "fastleave",
                    "root_block",
                    "learning",
                    "learning_sync",
                    "flood",
                    "mcast_flood",
                    "bcast_flood",
                    "mcast_to_unicast",
                    "neigh_suppress",
                    "vlan_tunnel",
                    "isolated",
                    "locked",
                ]
                .into_iter()
                .find(|x| *x == a)
                .unwrap();
                flags.push((key, on_off(key, &v)?));
            }
            "mcast_router" => mcast_router = Some(atoi(&next(&mut k)?)),
            "backup_port" => {
                let v = next(&mut k)?;
                match c.m.world.ns(c.ns).ifindex_of(&v) {
                    Some(i) => backup = Some(Some(i)),
                    None => return fail(format!("Error: device \"{v}\" does not exist\n")),
                }
            }
            "nobackup_port" => backup = Some(None),
            "hwmode" => {
                let v = next(&mut k)?;
                if v != "vepa" && v != "veb" {
                    return fail(
                        "Mode argument must be \"vepa\" or \"veb\".
",
                    );
                }
            }
            "self" | "master" => {}
            _ => return fail(LINK_USAGE),
        }
        k += 1;
    }
    let Some(dev) = dev else {
        return fail("Device is a required argument.\n");
    };
    let ns = c.ns;
    let Some(idx) = c.m.world.ns(ns).ifindex_of(&dev) else {
        return fail(format!("Cannot find bridge device \"{dev}\"\n"));
    };
    let d = c.m.world.ns(ns).dev(idx).unwrap();
    let Some(br) = d.master.filter(|m| {
        c.m.world
            .ns(ns)
            .dev(*m)
            .is_some_and(|b| b.bridge().is_some_and(|b| b.port(idx).is_some()))
    }) else {
        return rtnl(Errno::EOPNOTSUPP);
    };
    let mut opts: Vec<BrPortOpt> = flags
        .iter()
        .filter_map(|&(key, on)| crate::ip::bridge_port_flag(key, on))
        .collect();
    if let Some(r) = mcast_router {
        opts.push(BrPortOpt::McastRouter(r as u8));
    }
    if let Some(b) = backup {
        opts.push(BrPortOpt::BackupPort(b));
    }
    if cost > 0 {
        opts.push(BrPortOpt::PathCost(u32::try_from(cost).unwrap_or(0)));
    }
    if prio >= 0 {
        opts.push(BrPortOpt::Priority(u16::try_from(prio).unwrap_or(u16::MAX)));
    }
    if let Some(s) = state {
        opts.push(BrPortOpt::State(s as u8));
    }
    // br_setport(): in order, and what was set before an error stays set.
    for opt in opts {
        if let Err(e) = c.m.world.br_port_set(ns, br, idx, opt) {
            return rtnl(e.errno);
        }
    }
    c.m.world.br_setlink_notify(ns, br, idx);
    Ok(0)
}

// ---- bridge fdb -----------------------------------------------------------

fn do_fdb(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return fdb_show(c, o, &[]);
    };
    let m = |w: &str| matches(cmd, w);
    if m("add") {
        fdb_modify(c, &args[1..], Modify::Add)
    } else if m("append") {
        fdb_modify(c, &args[1..], Modify::Append)
    } else if m("replace") {
        fdb_modify(c, &args[1..], Modify::Replace)
    } else if m("delete") {
        fdb_modify(c, &args[1..], Modify::Del)
    } else if m("get") {
        fdb_get(c, o, &args[1..])
    } else if m("show") || m("lst") || m("list") {
        fdb_show(c, o, &args[1..])
    } else if m("help") {
        fail(FDB_USAGE)
    } else {
        fail(format!(
            "Command \"{cmd}\" is unknown, try \"bridge fdb help\".\n"
        ))
    }
}

/// One line of the dump, before formatting.
struct FdbLine {
    mac: Mac,
    dev: String,
    vlan: u16,
    master: Option<String>,
    /// "permanent", "static" or "" (a learned entry).
    state: &'static str,
    /// (used, updated) ages in seconds, for master entries.
    ages: Option<(u64, u64)>,
    /// A vxlan entry's remote: "dst IP [port P] [vni V] [via DEV]".
    dst: Option<String>,
}

fn row_line(w: &World, dev: &Device, brname: &str, r: &FdbRow) -> FdbLine {
    let state = if r.local {
        "permanent"
    } else if r.is_static {
        "static"
    } else {
        ""
    };
    let secs = |t: Time| w.now().saturating_sub(t).0 / 1_000_000_000;
    FdbLine {
        mac: r.mac,
        dev: dev.name.clone(),
        vlan: r.vlan,
        master: Some(brname.to_string()),
        state,
        ages: Some((secs(r.used), secs(r.updated))),
        dst: None,
    }
}

fn self_lines(w: &World, ns: NsId, d: &Device) -> Vec<FdbLine> {
    mc_list(w, ns, d)
        .into_iter()
        .map(|mac| FdbLine {
            mac,
            dev: d.name.clone(),
            vlan: 0,
            master: None,
            state: "permanent",
            ages: None,
            dst: None,
        })
        .collect()
}

/// vxlan_fdb_dump(): one line per remote of each entry (it replaces the
/// default dump of the device's address lists).
fn vxlan_lines(w: &World, ns: NsId, d: &Device) -> Vec<FdbLine> {
    let r = vnet_core::dev::DevRef {
        ns,
        ifindex: d.ifindex,
    };
    let Some(v) = w.vxlan(r) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in w.vxlan_fdb_entries(r) {
        for rd in &f.remotes {
            let mut dst = format!("dst {}", rd.ip);
            if rd.port != 0 && rd.port != v.cfg.dstport {
                dst.push_str(&format!(" port {}", rd.port));
            }
            if let Some(vni) = rd.vni.filter(|x| *x != v.cfg.vni) {
                dst.push_str(&format!(" vni {vni}"));
            }
            if rd.ifindex != 0 {
                if let Some(l) = w.ns(v.net).dev(rd.ifindex) {
                    dst.push_str(&format!(" via {}", l.name));
                }
            }
            out.push(FdbLine {
                mac: f.mac,
                dev: d.name.clone(),
                vlan: 0,
                master: None,
                state: match f.state {
                    vnet_core::tunnel::vxlan::FdbState::Permanent => "permanent",
                    vnet_core::tunnel::vxlan::FdbState::Reachable => "",
                },
                ages: None,
                dst: Some(dst),
            });
        }
    }
    out
}

/// rtnl_fdb_dump() for one device.
fn dev_lines(w: &World, ns: NsId, d: &Device) -> Vec<FdbLine> {
    let n = w.ns(ns);
    let mut v = Vec::new();
    if d.is_bridge() {
        v.extend(self_lines(w, ns, d));
        for r in fdb_rows(w, ns, d.ifindex) {
            if r.port == d.ifindex {
                v.push(row_line(w, d, &d.name, &r));
            }
        }
        return v;
    }
    if let Some(br) = d.master.and_then(|m| n.dev(m)).filter(|b| b.is_bridge()) {
        for r in fdb_rows(w, ns, br.ifindex) {
            if r.port == d.ifindex {
                v.push(row_line(w, d, &br.name, &r));
            }
        }
    }
    if matches!(d.kind, vnet_core::dev::DevKind::Vxlan(_)) {
        v.extend(vxlan_lines(w, ns, d));
    } else {
        v.extend(self_lines(w, ns, d));
    }
    v
}

fn fdb_print(c: &mut Cmd, o: &Opts, lines: &[FdbLine], with_dev: bool) {
    if o.json {
        let mut j = Json::new(o.pretty);
        j.start_array();
        for l in lines {
            j.start_object();
            j.str_field("mac", &l.mac.to_string());
            if with_dev {
                j.str_field("ifname", &l.dev);
            }
            if l.vlan != 0 {
                j.num_field("vlan", l.vlan as u64);
            }
            if o.stats > 0 {
                if let Some((u, up)) = l.ages {
                    j.num_field("used", u);
                    j.num_field("updated", up);
                }
            }
            j.name("flags");
            j.start_array();
            if l.master.is_none() {
                j.str_value("self");
            }
            j.end_array();
            if let Some(m) = &l.master {
                j.str_field("master", m);
            }
            j.str_field("state", l.state);
            j.end_object();
        }
        j.end_array();
        finish_json(c, j);
        return;
    }
    let mut s = String::new();
    for l in lines {
        s.push_str(&format!("{} ", l.mac));
        if with_dev {
            s.push_str(&format!("dev {} ", l.dev));
        }
        if l.vlan != 0 {
            s.push_str(&format!("vlan {} ", l.vlan));
        }
        if let Some(d) = &l.dst {
            s.push_str(d);
            s.push(' ');
        }
        if o.stats > 0 {
            if let Some((u, up)) = l.ages {
                s.push_str(&format!("used {u}/{up} "));
            }
        }
        match &l.master {
            Some(m) => s.push_str(&format!("master {m} ")),
            None => s.push_str("self "),
        }
        s.push_str(l.state);
        s.push('\n');
    }
    c.print(&s);
}

fn fdb_show(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut filter_dev: Option<String> = None;
    let mut br: Option<String> = None;
    let mut vlan: Option<u16> = None;
    let mut state: Option<&'static str> = None;
    let mut dynamic = false;
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        let mut next = || -> Result<String, Fail> {
            k += 1;
            args.get(k).cloned().map_or_else(incomplete, Ok)
        };
        match a {
            "brport" | "dev" => filter_dev = Some(next()?),
            "br" => br = Some(next()?),
            "vlan" => {
                let v = next()?;
                if vlan.is_some() {
                    return fail(format!(
                        "Error: duplicate \"vlan\": \"{v}\" is the second value.\n"
                    ));
                }
                vlan = Some(atoi(&v) as u16);
            }
            "state" => {
                let v = next()?;
                state = Some(match v.as_str() {
                    "permanent" => "permanent",
                    "static" | "temp" => "static",
                    "dynamic" => "",
                    _ => {
                        let n = atoi(&v);
                        if n == 0 && v != "0" {
                            return fail(format!(
                                "Error: argument \"{v}\" is wrong: invalid state\n"
                            ));
                        }
                        match n {
                            0x80 => "permanent",
                            0x40 => "static",
                            0x02 => "",
                            _ => "?",
                        }
                    }
                });
            }
            "dynamic" => dynamic = true,
            _ => {
                if matches(a, "help") {
                    return fail(FDB_USAGE);
                }
            }
        }
        k += 1;
    }
    let ns = c.ns;
    let w = &c.m.world;
    let n = w.ns(ns);
    let br_idx = match &br {
        Some(b) => match n.ifindex_of(b) {
            Some(i) => Some(i),
            None => return fail(format!("Cannot find bridge device \"{b}\"\n")),
        },
        None => None,
    };
    let dev_idx = match &filter_dev {
        Some(d) => match n.ifindex_of(d) {
            Some(i) => Some(i),
            None => return nodev(d),
        },
        None => None,
    };
    let mut lines = Vec::new();
    for d in n.devs().values() {
        if dev_idx.is_some_and(|i| i != d.ifindex) {
            continue;
        }
        if let Some(b) = br_idx {
            let is_port = d
                .master
                .and_then(|m| n.dev(m))
                .is_some_and(|m| m.is_bridge());
            if d.ifindex != b && !is_port {
                continue;
            }
            if d.master != Some(b) && !d.is_bridge() {
                continue;
            }
        }
        lines.extend(dev_lines(w, ns, d));
    }
    lines.retain(|l| {
        vlan.is_none_or(|v| v == l.vlan)
            && state.is_none_or(|s| s == l.state)
            && (!dynamic || l.state != "permanent")
    });
    fdb_print(c, o, &lines, dev_idx.is_none());
    Ok(0)
}

#[derive(Clone, Copy, PartialEq)]
enum Modify {
    Add,
    Append,
    Replace,
    Del,
}

fn parse_mac(s: &str) -> Option<Mac> {
    // sscanf("%hhx:%hhx:%hhx:%hhx:%hhx:%hhx"): each group is hex digits,
    // possibly more than two (the byte keeps the low bits).
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() != 6 {
        return None;
    }
    let mut m = [0u8; 6];
    for (i, p) in parts.iter().enumerate() {
        let p = p.trim_start();
        let p = p
            .strip_prefix("0x")
            .or_else(|| p.strip_prefix("0X"))
            .filter(|r| r.starts_with(|c: char| c.is_ascii_hexdigit()))
            .unwrap_or(p);
        let n = p.bytes().take_while(|b| b.is_ascii_hexdigit()).count();
        if n == 0 {
            return None;
        }
        let v = u64::from_str_radix(&p[..n.min(16)], 16).ok()?;
        m[i] = v as u8;
        if i < 5 && n != p.len() {
            return None;
        }
    }
    Some(Mac(m))
}

fn fdb_modify(c: &mut Cmd, args: &[String], op: Modify) -> Res {
    let mut dev: Option<String> = None;
    let mut addr: Option<String> = None;
    let mut self_ = false;
    let mut master = false;
    let mut nud: Option<FdbNud> = None;
    let mut vid: Option<i64> = None;
    let mut dst: Option<std::net::Ipv4Addr> = None;
    let mut port = 0u16;
    let mut vni: Option<u32> = None;
    let mut via = 0u32;
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        let m = |w: &str| matches(a, w);
        let mut next = || -> Result<String, Fail> {
            k += 1;
            args.get(k).cloned().map_or_else(incomplete, Ok)
        };
        if a == "dev" {
            dev = Some(next()?);
        } else if a == "dst" {
            let v = next()?;
            match v.parse::<std::net::Ipv4Addr>() {
                Ok(ip) => dst = Some(ip),
                Err(_) => {
                    return fail(format!(
                        "Error: an inet prefix is expected rather than \"{v}\".\n"
                    ))
                }
            }
        } else if a == "port" || a == "dst_port" {
            let v = next()?;
            match v.parse::<u16>() {
                Ok(p) => port = p,
                Err(_) => return fail(format!("Error: argument \"{v}\" is wrong: invalid port\n")),
            }
        } else if a == "vni" {
            let v = next()?;
            match v
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= vnet_core::wire::vxlan::VNI_MAX)
            {
                Some(n) => vni = Some(n),
                None => return fail(format!("Error: argument \"{v}\" is wrong: invalid VNI\n")),
            }
        } else if a == "src_vni" {
            next()?;
            return fail(format!("bridge fdb: \"{a}\" is not supported by vnet\n"));
        } else if a == "self" {
            self_ = true;
        } else if m("master") {
            master = true;
        } else if m("router") || m("use") || m("extern_learn") || m("sticky") {
        } else if m("local") || m("permanent") {
            nud = Some(FdbNud::Permanent);
        } else if m("temp") || m("static") {
            if nud != Some(FdbNud::Permanent) {
                nud = Some(FdbNud::Static);
            }
        } else if m("dynamic") {
            if nud != Some(FdbNud::Permanent) {
                nud = Some(FdbNud::Dynamic);
            }
        } else if m("vlan") {
            if vid.is_some() {
                return fail(format!(
                    "Error: either \"vlan\" is duplicate, or \"{a}\" is a garbage.\n"
                ));
            }
            vid = Some(atoi(&next()?));
        } else if m("via") {
            let v = next()?;
            match c.m.world.ns(c.ns).ifindex_of(&v) {
                Some(i) => via = i,
                None => return nodev(&v),
            }
        } else if m("nhid") {
            next()?;
            return fail(format!("bridge fdb: \"{a}\" is not supported by vnet\n"));
        } else {
            let mut v = a.to_string();
            if a == "to" || matches(a, "help") {
                v = next()?;
            }
            if addr.is_some() {
                return fail(format!(
                    "Error: either \"to\" is duplicate, or \"{v}\" is a garbage.\n"
                ));
            }
            addr = Some(v);
        }
        k += 1;
    }
    let (Some(dev), Some(addr)) = (dev, addr) else {
        return fail("Device and address are required arguments.\n");
    };
    if !self_ && !master {
        self_ = true;
    }
    let nud = nud.unwrap_or(FdbNud::Permanent);
    let Some(mac) = parse_mac(&addr) else {
        return fail(format!("Invalid mac address {addr}\n"));
    };
    let ns = c.ns;
    let Some(idx) = c.m.world.ns(ns).ifindex_of(&dev) else {
        return nodev(&dev);
    };
    // fdb_vid_parse(): NDA_VLAN 0 or from 4095 up is refused; a negative
    // vid (a C short) is not sent at all.
    let vid = vid.map(|v| v as i16).filter(|v| *v >= 0);
    if vid.is_some_and(|v| v == 0 || v >= 4095) {
        return fail("Error: invalid vlan id.\n");
    }
    let vid = vid.unwrap_or(0) as u16;
    let d = c.m.world.ns(ns).dev(idx).unwrap();
    let is_port = d
        .master
        .and_then(|m| c.m.world.ns(ns).dev(m))
        .is_some_and(|b| b.is_bridge());
    if let vnet_core::dev::DevKind::Vxlan(_) = d.kind {
        if self_ {
            // vxlan_fdb_add()/vxlan_fdb_delete(): only permanent or reachable entries.
            use vnet_core::tunnel::vxlan::{FdbOp, FdbState, VxlanRdst};
            let state = match nud {
                FdbNud::Permanent => FdbState::Permanent,
                FdbNud::Dynamic => FdbState::Reachable,
                FdbNud::Static if op != Modify::Del => return rtnl(Errno::EINVAL),
                FdbNud::Static => FdbState::Permanent,
            };
            let fop = match op {
                Modify::Add => FdbOp::Add,
                Modify::Append => FdbOp::Append,
                Modify::Replace => FdbOp::Replace,
                Modify::Del => FdbOp::Del,
            };
            let rd = VxlanRdst {
                ip: dst.unwrap_or(std::net::Ipv4Addr::UNSPECIFIED),
                port,
                vni,
                ifindex: via,
            };
            let r = vnet_core::dev::DevRef { ns, ifindex: idx };
            return match c
                .m
                .world
                .vxlan_fdb_op(r, fop, mac, rd, dst.is_some(), state)
            {
                Ok(()) => Ok(0),
                Err(e) => rtnl(e.errno),
            };
        }
    }
    let mut err = Errno::EOPNOTSUPP;
    let mut done = false;
    if master && is_port {
        let br = d.master.unwrap();
        match br_fdb_op(c, br, Some(idx), mac, vid, nud, op) {
            Ok(()) => done = true,
            Err(e) => return rtnl(e),
        }
    }
    if self_ {
        let d = c.m.world.ns(ns).dev(idx).unwrap();
        if d.is_bridge() {
            match br_fdb_op(c, idx, None, mac, vid, nud, op) {
                Ok(()) => done = true,
                Err(e) => return rtnl(e),
            }
        } else if op == Modify::Del {
            // The device's own unicast list holds nothing vnet can add.
            err = Errno::ENOENT;
        } else if nud != FdbNud::Permanent {
            // ndo_dflt_fdb_add(): only permanent addresses.
            err = Errno::EINVAL;
        }
    }
    if done {
        Ok(0)
    } else {
        rtnl(err)
    }
}

/// br_fdb_add() / br_fdb_delete() on bridge `br`; `port` None is the bridge itself.
fn br_fdb_op(
    c: &mut Cmd,
    br: u32,
    port: Option<u32>,
    mac: Mac,
    vid: u16,
    nud: FdbNud,
    op: Modify,
) -> Result<(), Errno> {
    let ns = c.ns;
    let r = if op == Modify::Del {
        c.m.world.br_fdb_del(ns, br, port, (mac, vid))
    } else {
        c.m.world
            .br_fdb_add(ns, br, port, (mac, vid), nud, op == Modify::Add)
    };
    r.map_err(|e| e.errno)
}

fn fdb_get(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut addr: Option<String> = None;
    let mut br: Option<String> = None;
    let mut dev: Option<String> = None;
    let mut vid: u16 = 0;
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        let mut next = || -> Result<String, Fail> {
            k += 1;
            args.get(k).cloned().map_or_else(incomplete, Ok)
        };
        match a {
            "br" => br = Some(next()?),
            "brport" | "dev" => dev = Some(next()?),
            "vlan" => vid = atoi(&next()?) as u16,
            "vni" => {
                next()?;
            }
            "self" | "master" | "dynamic" => {}
            _ => {
                let v = if a == "to" { next()? } else { a.to_string() };
                if matches(&v, "help") {
                    return fail(FDB_USAGE);
                }
                if addr.is_some() {
                    return fail(format!(
                        "Error: either \"to\" is duplicate, or \"{v}\" is a garbage.\n"
                    ));
                }
                addr = Some(v);
            }
        }
        k += 1;
    }
    let Some(addr) = addr else {
        return fail("Device and address are required arguments.\n");
    };
    if br.is_none() && dev.is_none() {
        return fail("Device and address are required arguments.\n");
    }
    let Some(mac) = parse_mac(&addr) else {
        return fail(format!("Invalid mac address {addr}\n"));
    };
    let ns = c.ns;
    let w = &c.m.world;
    let n = w.ns(ns);
    let mut bridge = None;
    if let Some(b) = &br {
        match n.dev_by_name(b) {
            Some(d) => bridge = Some(d.ifindex),
            None => return fail(format!("Cannot find bridge device \"{b}\"\n")),
        }
    }
    if let Some(d) = &dev {
        match n.dev_by_name(d) {
            Some(dd) => {
                if bridge.is_none() {
                    bridge = if dd.is_bridge() {
                        Some(dd.ifindex)
                    } else {
                        dd.master
                    };
                }
            }
            None => return nodev(d),
        }
    }
    let not_found = || Err(Fail("Error: Fdb entry not found.\n".into(), 254));
    let Some(b) = bridge.and_then(|b| n.dev(b)).filter(|d| d.is_bridge()) else {
        return rtnl(Errno::EINVAL);
    };
    let rows = fdb_rows(w, ns, b.ifindex);
    let Some(r) = rows.iter().find(|r| r.mac == mac && r.vlan == vid) else {
        return not_found();
    };
    let Some(pd) = n.dev(r.port) else {
        return not_found();
    };
    let line = row_line(w, pd, &b.name, r);
    fdb_print(c, o, &[line], true);
    Ok(0)
}

// ---- bridge vlan ----------------------------------------------------------

const VLAN_USAGE: &str =
    "Usage: bridge vlan { add | del } vid VLAN_ID dev DEV [ tunnel_info id TUNNEL_ID ]
                                                     [ pvid ] [ untagged ]
                                                     [ self ] [ master ]
       bridge vlan { set } vid VLAN_ID dev DEV [ state STP_STATE ]
                                               [ mcast_router MULTICAST_ROUTER ]
       bridge vlan { show } [ dev DEV ] [ vid VLAN_ID ]
       bridge vlan { tunnelshow } [ dev DEV ] [ vid VLAN_ID ]
       bridge vlan global { set } vid VLAN_ID dev DEV
                      [ mcast_snooping MULTICAST_SNOOPING ]
                      [ mcast_querier MULTICAST_QUERIER ]
                      [ mcast_igmp_version IGMP_VERSION ]
                      [ mcast_mld_version MLD_VERSION ]
                      [ mcast_last_member_count LAST_MEMBER_COUNT ]
                      [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
                      [ mcast_startup_query_count STARTUP_QUERY_COUNT ]
                      [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]
                      [ mcast_membership_interval MEMBERSHIP_INTERVAL ]
                      [ mcast_querier_interval QUERIER_INTERVAL ]
                      [ mcast_query_interval QUERY_INTERVAL ]
                      [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
       bridge vlan global { show } [ dev DEV ] [ vid VLAN_ID ]
";

/// A kernel refusal as iproute2 prints it: the extended ack when there is one.
fn kerr<T>(e: vnet_core::KernelError) -> Result<T, Fail> {
    match e.extack {
        Some(msg) => fail(format!("Error: {msg}.\n")),
        None => rtnl(e.errno),
    }
}

fn do_vlan(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return vlan_show(c, o, &[]);
    };
    let rest = &args[1..];
    let m = |w: &str| matches(cmd, w);
    if m("add") {
        vlan_modify(c, rest, true)
    } else if m("delete") {
        vlan_modify(c, rest, false)
    } else if m("show") || m("lst") || m("list") {
        vlan_show(c, o, rest)
    } else if m("tunnelshow") || m("set") || cmd == "global" {
        fail(format!("vnet: bridge vlan {cmd} is not simulated yet\n"))
            .map_err(|Fail(s, _)| Fail(s, 2))
    } else if m("help") {
        fail(VLAN_USAGE)
    } else {
        fail(format!(
            "Command \"{cmd}\" is unknown, try \"bridge vlan help\".\n"
        ))
    }
}

/// atoi() into a C short, as vlan_modify() keeps vids.
fn atoi_short(s: &str) -> i16 {
    atoi(s) as i16
}

fn vlan_modify(c: &mut Cmd, args: &[String], add: bool) -> Res {
    let mut dev: Option<String> = None;
    let (mut vid, mut vid_end): (i16, i16) = (-1, -1);
    let mut range = false;
    let (mut self_, mut master, mut pvid, mut untagged) = (false, false, false, false);
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        let mut next = || -> Result<String, Fail> {
            k += 1;
            args.get(k).cloned().map_or_else(incomplete, Ok)
        };
        match a {
            "dev" => dev = Some(next()?),
            "vid" => {
                let v = next()?;
                match v.split_once('-') {
                    Some((a, b)) => {
                        vid = atoi_short(a);
                        vid_end = atoi_short(b);
                        range = true;
                    }
                    None => vid = atoi_short(&v),
                }
            }
            "self" => self_ = true,
            "master" => master = true,
            "pvid" => pvid = true,
            "untagged" => untagged = true,
            "tunnel_info" => {
                return fail("vnet: bridge vlan tunnel_info is not simulated yet\n")
                    .map_err(|Fail(s, _)| Fail(s, 2))
            }
            _ => {
                if matches(a, "help") {
                    next()?;
                }
            }
        }
        k += 1;
    }
    let Some(dev) = dev.filter(|_| vid != -1) else {
        return fail("Device and VLAN ID are required arguments.\n");
    };
    let ns = c.ns;
    let Some(idx) = c.m.world.ns(ns).ifindex_of(&dev) else {
        return fail(format!("Cannot find bridge device \"{dev}\"\n"));
    };
    if vid as u16 >= 4096 {
        return fail(format!("Invalid VLAN ID \"{}\"\n", vid as u16));
    }
    if range {
        if vid_end == -1 || vid_end as u16 >= 4096 || vid as u16 >= vid_end as u16 {
            return fail(format!(
                "Invalid VLAN range \"{}-{}\"\n",
                vid as u16, vid_end as u16
            ));
        }
        if pvid {
            return fail("pvid cannot be configured for a vlan range\n");
        }
    }
    let (lo, hi) = (vid as u16, if range { vid_end as u16 } else { vid as u16 });
    // rtnl_bridge_setlink()/dellink(): no flag means master; master goes to
    // the device's bridge, self to the device itself (a bridge).
    let n = c.m.world.ns(ns);
    let d = n.dev(idx).unwrap();
    let has_bridge_master = d
        .master
        .and_then(|m| n.dev(m))
        .is_some_and(|m| m.is_bridge());
    let is_bridge = d.is_bridge();
    let mut targets = Vec::new();
    if master || !self_ {
        if !has_bridge_master {
            return rtnl(Errno::EOPNOTSUPP);
        }
        targets.push(idx);
    }
    if self_ {
        if !is_bridge {
            return rtnl(Errno::EOPNOTSUPP);
        }
        targets.push(idx);
    }
    for _ in targets {
        // br_process_vlan_info(): both ends checked before any is applied.
        for v in [lo, hi] {
            if v == 0 || v >= 4095 {
                return if add {
                    kerr(vnet_core::KernelError::ext(
                        Errno::EINVAL,
                        "bridge: Vlan id is invalid",
                    ))
                } else {
                    rtnl(Errno::EINVAL)
                };
            }
        }
        for v in lo..=hi {
            let r = if add {
                c.m.world.br_vlan_add(ns, idx, v, pvid, untagged)
            } else {
                c.m.world.br_vlan_del(ns, idx, v)
            };
            if let Err(e) = r {
                return kerr(e);
            }
        }
    }
    Ok(0)
}

/// The vlan entries one device dumps: (first vid, last vid, pvid, untagged),
/// ranges merged when compressed (br_fill_ifvlaninfo_compressed()).
fn vlan_entries(
    g: &vnet_core::bridge::br_vlan::VlanGroup,
    compress: bool,
) -> Vec<(u16, u16, bool, bool)> {
    let mut v: Vec<(u16, u16, bool, bool)> = Vec::new();
    for (&vid, &untagged) in &g.vlans {
        let pvid = vid == g.pvid;
        if compress {
            if let Some(last) = v.last_mut() {
                if vid == last.1 + 1 && (pvid, untagged) == (last.2, last.3) {
                    last.1 = vid;
                    continue;
                }
            }
        }
        v.push((vid, vid, pvid, untagged));
    }
    v
}

/// The `dev DEV` and `vid VID` filters of `bridge vlan show` and `bridge
/// mdb show` (each given at most once; other words are skipped).
fn dev_vid_filter(args: &[String]) -> Result<(Option<String>, u16), Fail> {
    let mut filter_dev: Option<String> = None;
    let mut filter_vlan: u16 = 0;
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        let mut next = || -> Result<String, Fail> {
            k += 1;
            args.get(k).cloned().map_or_else(incomplete, Ok)
        };
        match a {
            "dev" => {
                let v = next()?;
                if filter_dev.is_some() {
                    return fail(format!(
                        "Error: duplicate \"dev\": \"{v}\" is the second value.\n"
                    ));
                }
                filter_dev = Some(v);
            }
            "vid" => {
                let v = next()?;
                if filter_vlan != 0 {
                    return fail(format!(
                        "Error: duplicate \"vid\": \"{v}\" is the second value.\n"
                    ));
                }
                filter_vlan = atoi(&v) as u16;
            }
            _ => {}
        }
        k += 1;
    }
    Ok((filter_dev, filter_vlan))
}

fn vlan_show(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let (filter_dev, filter_vlan) = dev_vid_filter(args)?;
    if o.details > 0 || o.stats > 0 {
        return fail("vnet: bridge -d/-s vlan show is not simulated yet\n")
            .map_err(|Fail(s, _)| Fail(s, 2));
    }
    let ns = c.ns;
    let w = &c.m.world;
    let n = w.ns(ns);
    let fidx = match &filter_dev {
        Some(d) => match n.ifindex_of(d) {
            Some(i) => Some(i),
            None => return nodev(d),
        },
        None => None,
    };
    let mut text = String::from("port              vlan-id  \n");
    let mut j = Json::new(o.pretty);
    j.start_array();
    for d in n.devs().values() {
        if fidx.is_some_and(|i| i != d.ifindex) {
            continue;
        }
        let g = if let Some(b) = d.bridge() {
            &b.vlan.group
        } else if let Some(b) = d.master.and_then(|m| n.dev(m)).and_then(|m| m.bridge()) {
            match b.port(d.ifindex) {
                Some(p) => &p.vlans,
                None => continue,
            }
        } else {
            continue;
        };
        let rows: Vec<_> = vlan_entries(g, o.compress)
            .into_iter()
            .filter(|&(lo, hi, _, _)| filter_vlan == 0 || (lo..=hi).contains(&filter_vlan))
            .collect();
        if rows.is_empty() {
            continue;
        }
        j.start_object();
        j.str_field("ifname", &d.name);
        j.name("vlans");
        j.start_array();
        for (i, &(lo, hi, pvid, untagged)) in rows.iter().enumerate() {
            if i == 0 {
                text.push_str(&format!("{:<16}  ", d.name));
            } else {
                text.push_str(&" ".repeat(18));
            }
            j.start_object();
            j.num_field("vlan", lo.into());
            text.push_str(&lo.to_string());
            if hi != lo {
                j.num_field("vlanEnd", hi.into());
                text.push_str(&format!("-{hi}"));
            }
            if pvid || untagged {
                j.name("flags");
                j.start_array();
                if pvid {
                    j.str_value("PVID");
                    text.push_str(" PVID");
                }
                if untagged {
                    j.str_value("Egress Untagged");
                    text.push_str(" Egress Untagged");
                }
                j.end_array();
            }
            j.end_object();
            text.push('\n');
        }
        j.end_array();
        j.end_object();
    }
    j.end_array();
    if o.json {
        finish_json(c, j);
    } else {
        c.print(&text);
    }
    Ok(0)
}

// ---- bridge mdb -----------------------------------------------------------

const MDB_USAGE: &str = "Usage: bridge mdb { add | del } dev DEV port PORT grp GROUP [src SOURCE] [permanent | temp] [vid VID]
       bridge mdb {show} [ dev DEV ] [ vid VID ]
";

fn do_mdb(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return mdb_show(c, o, &[]);
    };
    let rest = &args[1..];
    let m = |w: &str| matches(cmd, w);
    if m("add") || m("replace") {
        mdb_modify(c, rest, true)
    } else if m("delete") {
        mdb_modify(c, rest, false)
    } else if m("show") || m("lst") || m("list") {
        mdb_show(c, o, rest)
    } else if m("help") {
        fail(MDB_USAGE)
    } else {
        fail(format!(
            "Command \"{cmd}\" is unknown, try \"bridge mdb help\".\n"
        ))
    }
}

fn mdb_modify(c: &mut Cmd, args: &[String], add: bool) -> Res {
    let (mut dev, mut port, mut grp): (Option<String>, Option<String>, Option<String>) =
        (None, None, None);
    let mut permanent = false;
    let mut vid: i16 = 0;
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        let mut next = || -> Result<String, Fail> {
            k += 1;
            args.get(k).cloned().map_or_else(incomplete, Ok)
        };
        match a {
            "dev" => dev = Some(next()?),
            "grp" => grp = Some(next()?),
            "port" => port = Some(next()?),
            "permanent" => permanent = add,
            "temp" => {}
            "vid" => vid = atoi_short(&next()?),
            "src" => {
                next()?;
                return fail("vnet: bridge mdb src (S, G entries) is not simulated yet\n")
                    .map_err(|Fail(s, _)| Fail(s, 2));
            }
            _ => {
                if matches(a, "help") {
                    return fail(MDB_USAGE);
                }
            }
        }
        k += 1;
    }
    let (Some(dev), Some(grp), Some(port)) = (dev, grp, port) else {
        return fail("Device, group address and port name are required arguments.\n");
    };
    let ns = c.ns;
    let n = c.m.world.ns(ns);
    let Some(br) = n.ifindex_of(&dev) else {
        return nodev(&dev);
    };
    let Some(pidx) = n.ifindex_of(&port) else {
        return nodev(&port);
    };
    let Ok(g) = grp.parse::<std::net::IpAddr>() else {
        return fail(format!("Invalid address \"{grp}\"\n"));
    };
    let r = if add {
        c.m.world.br_mdb_add(ns, br, pidx, g, vid as u16, permanent)
    } else {
        c.m.world.br_mdb_del(ns, br, pidx, g, vid as u16)
    };
    match r {
        Ok(()) => Ok(0),
        Err(e) => kerr(e),
    }
}

fn mdb_show(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let (filter_dev, filter_vlan) = dev_vid_filter(args)?;
    let ns = c.ns;
    let w = &c.m.world;
    let n = w.ns(ns);
    let fidx = match &filter_dev {
        Some(d) => match n.ifindex_of(d) {
            Some(i) => Some(i),
            None => return nodev(d),
        },
        None => None,
    };
    let mut text = String::new();
    let mut j = Json::new(o.pretty);
    j.start_array();
    j.start_object();
    j.name("mdb");
    j.start_array();
    for d in n.devs().values() {
        if fidx.is_some_and(|i| i != d.ifindex) {
            continue;
        }
        let Some(b) = d.bridge() else { continue };
        for e in b.mdb_dump() {
            if filter_vlan != 0 && e.vid != filter_vlan {
                continue;
            }
            let pname = n.dev(e.port).map(|p| p.name.clone()).unwrap_or_default();
            let state = if e.permanent { "permanent" } else { "temp" };
            j.start_object();
            j.num_field("index", d.ifindex.into());
            j.str_field("dev", &d.name);
            j.str_field("port", &pname);
            j.str_field("grp", &e.grp.to_string());
            j.str_field("state", state);
            text.push_str(&format!(
                "dev {} port {pname} grp {} {state}",
                d.name, e.grp
            ));
            if o.details > 0 {
                // MDBA_MDB_EATTR_RTPROT: entries added by hand are
                // RTPROT_STATIC, snooped ones RTPROT_KERNEL.
                let proto = if e.learned { "kernel" } else { "static" };
                j.str_field("protocol", proto);
                text.push_str(&format!(" proto {proto} "));
            }
            j.name("flags");
            j.start_array();
            j.end_array();
            if e.vid != 0 {
                j.num_field("vid", e.vid.into());
                text.push_str(&format!(" vid {}", e.vid));
            }
            if o.stats > 0 && !e.permanent {
                // MDBA_MDB_EATTR_TIMER: what is left of the membership
                // timer, in clock_t, as format_timer() prints it.
                let left = e
                    .expires
                    .map_or(0, |x| x.0.saturating_sub(w.now().0) / 10_000_000);
                let t = format!("{:4}.{:02}", left / 100, left % 100);
                j.str_field("timer", &t);
                text.push_str(&format!(" {t}"));
            }
            j.end_object();
            text.push('\n');
        }
    }
    j.end_array();
    j.name("router");
    j.start_object();
    j.end_object();
    j.end_object();
    j.end_array();
    if o.json {
        finish_json(c, j);
    } else {
        c.print(&text);
    }
    Ok(0)
}
