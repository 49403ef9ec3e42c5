//! `ip maddress` (ip/ipmaddr.c): the multicast addresses of each device,
//! read as iproute2 reads them, from /proc/net/dev_mcast, /proc/net/igmp
//! and /proc/net/igmp6, and listed by interface index.

use super::{Error, Opts, Res};
use crate::Cmd;
use serde_json::{json, Map, Value};
use std::net::{Ipv4Addr, Ipv6Addr};

const USAGE: &str = "Usage: ip maddr [ add | del ] MULTIADDR dev STRING
       ip maddr show [ dev STRING ]
";

/// One address of a device (struct ma_info).
struct MaInfo {
    index: u32,
    name: String,
    users: u32,
    /// `link  MAC`, or `inet`/`inet6` and the address.
    family: &'static str,
    addr: String,
    is_static: bool,
}

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let Some(cmd) = args.first() else {
        return list(c, o, &[]);
    };
    let m = |w: &str| crate::args::matches(cmd, w);
    if m("add") || m("delete") {
        Err(Error::NotSimulated("ip maddr add/del".into()))
    } else if m("list") || m("show") || m("lst") {
        list(c, o, &args[1..])
    } else if m("help") {
        Err(Error::Fatal(USAGE.into()))
    } else {
        Err(Error::Fatal(format!(
            "Command \"{cmd}\" is unknown, try \"ip maddr help\".\n"
        )))
    }
}

/// A /proc/net file's text, as the namespace shows it.
fn proc_text(c: &Cmd, path: &str) -> String {
    match crate::procfs::lookup(&c.m.world, c.ns, path) {
        Some(crate::procfs::Node::File(b)) => String::from_utf8_lossy(&b).into_owned(),
        _ => String::new(),
    }
}

fn hex_bytes(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// maddr_ins(): after the entries of the same and lower indexes.
fn insert(list: &mut Vec<MaInfo>, m: MaInfo) {
    let at = list
        .iter()
        .position(|x| x.index > m.index)
        .unwrap_or(list.len());
    list.insert(at, m);
}

fn list(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut dev: Option<&str> = None;
    let mut i = 0;
    while i < args.len() {
        let mut a = args[i].as_str();
        if a == "dev" {
            i += 1;
            a = args.get(i).ok_or(Error::Incomplete)?;
        } else if crate::args::matches(a, "help") {
            return Err(Error::Fatal(USAGE.into()));
        }
        if dev.is_some() {
            return Err(Error::Garbage {
                key: "dev",
                arg: a.to_string(),
            });
        }
        dev = Some(a);
        i += 1;
    }
    let wanted = |name: &str| dev.is_none_or(|d| d == name);
    let fam = o.family;
    let mut list: Vec<MaInfo> = Vec::new();
    if fam.is_none() || fam == Some(0) {
        // read_dev_mcast(): "%d%s%d%d%s".
        for line in proc_text(c, "/proc/net/dev_mcast").lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            let [idx, name, users, st, hexa, ..] = f[..] else {
                continue;
            };
            if !wanted(name) {
                continue;
            }
            let mac = hex_bytes(hexa)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":");
            insert(
                &mut list,
                MaInfo {
                    index: idx.parse().unwrap_or(0),
                    name: name.to_string(),
                    users: users.parse().unwrap_or(0),
                    family: "link",
                    addr: mac,
                    is_static: st != "0",
                },
            );
        }
    }
    if fam.is_none() || fam == Some(4) {
        // read_igmp(): device lines, then tab-led groups in host order.
        let (mut index, mut name) = (0, String::new());
        for line in proc_text(c, "/proc/net/igmp").lines().skip(1) {
            if !line.starts_with('\t') {
                let mut f = line.split_whitespace();
                index = f.next().and_then(|x| x.parse().ok()).unwrap_or(0);
                name = f.next().unwrap_or("").trim_end_matches(':').to_string();
                continue;
            }
            if !wanted(&name) {
                continue;
            }
            let mut f = line.split_whitespace();
            let g = f
                .next()
                .and_then(|x| u32::from_str_radix(x, 16).ok())
                .unwrap_or(0);
            insert(
                &mut list,
                MaInfo {
                    index,
                    name: name.clone(),
                    users: f.next().and_then(|x| x.parse().ok()).unwrap_or(0),
                    family: "inet",
                    addr: Ipv4Addr::from(g.to_le_bytes()).to_string(),
                    is_static: false,
                },
            );
        }
    }
    if fam.is_none() || fam == Some(6) {
        // read_igmp6(): "%d%s%s%d".
        for line in proc_text(c, "/proc/net/igmp6").lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            let [idx, name, hexa, users, ..] = f[..] else {
                continue;
            };
            if !wanted(name) {
                continue;
            }
            let Ok(b) = <[u8; 16]>::try_from(hex_bytes(hexa)) else {
                continue;
            };
            insert(
                &mut list,
                MaInfo {
                    index: idx.parse().unwrap_or(0),
                    name: name.to_string(),
                    users: users.parse().unwrap_or(0),
                    family: "inet6",
                    addr: Ipv6Addr::from(b).to_string(),
                    is_static: false,
                },
            );
        }
    }
    if o.json {
        print_json(c, o, &list);
    } else {
        print_text(c, o, &list);
    }
    Ok(())
}

/// print_mlist() + print_maddr().
fn print_text(c: &mut Cmd, o: &Opts, list: &[MaInfo]) {
    let mut s = String::new();
    let mut cur = 0;
    for m in list {
        if m.index != cur || o.oneline {
            s.push_str(&format!("{}:\t{}\n", m.index, m.name));
            cur = m.index;
        }
        s.push('\t');
        if m.family == "link" {
            s.push_str(&format!("link  {}", m.addr));
        } else {
            s.push_str(&format!("{:<5} {}", m.family, m.addr));
        }
        if m.users != 1 {
            s.push_str(&format!(" users {}", m.users));
        }
        if m.is_static {
            s.push_str(" static");
        }
        s.push('\n');
    }
    c.print(&s);
}

fn print_json(c: &mut Cmd, o: &Opts, list: &[MaInfo]) {
    let mut arr: Vec<Value> = Vec::new();
    let mut cur = 0;
    for m in list {
        if m.index != cur || o.oneline {
            let mut d = Map::new();
            d.insert("ifindex".into(), json!(m.index));
            d.insert("ifname".into(), json!(m.name));
            d.insert("maddr".into(), json!([]));
            arr.push(Value::Object(d));
            cur = m.index;
        }
        let mut a = Map::new();
        if m.family == "link" {
            a.insert("link".into(), json!(m.addr));
        } else {
            a.insert("family".into(), json!(m.family));
            a.insert("address".into(), json!(m.addr));
        }
        if m.users != 1 {
            a.insert("users".into(), json!(m.users));
        }
        if m.is_static {
            a.insert("features".into(), json!("static"));
        }
        if let Some(Value::Array(v)) = arr
            .last_mut()
            .and_then(|d| d.as_object_mut())
            .and_then(|d| d.get_mut("maddr"))
        {
            v.push(Value::Object(a));
        }
    }
    c.print(&crate::json::render(&Value::Array(arr), o.pretty));
    c.print("\n");
}
