//! `brctl` (bridge-utils 1.7.1): the bridge ioctls and the sysfs files under
//! /sys/class/net/BR/{bridge,brif,brforward} and /sys/class/net/PORT/brport,
//! with the messages and exit codes the real tool gives.
//!
//! What brctl checks and what it leaves to the kernel differs per command
//! (hairpin, setpathcost and setportprio write the port's brport files and
//! never look at the bridge name); each command below does what the tool does.
//! Times on the command line go through sscanf("%lf") and are kept in
//! hundredths of a second, numbers through sscanf("%i").

use crate::bridge_cmd::fdb_rows;
use crate::tunctl::{getopt, ifnamsiz, register_name, strtol_prefix, GetOpt};
use crate::Cmd;
use vnet_core::bridge::br_netlink::{BrOpt, BrPortOpt};
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::dev::Device;
use vnet_core::{Errno, KernelError, Mac, Time};

/// The command table: name, arguments required, help text.
const COMMANDS: &[(&str, usize, &str)] = &[
    ("addbr", 1, "<bridge>\t\tadd bridge"),
    ("delbr", 1, "<bridge>\t\tdelete bridge"),
    ("addif", 2, "<bridge> <device>\tadd interface to bridge"),
    (
        "delif",
        2,
        "<bridge> <device>\tdelete interface from bridge",
    ),
    (
        "hairpin",
        3,
        "<bridge> <port> {on|off}\tturn hairpin on/off",
    ),
    ("setageing", 2, "<bridge> <time>\t\tset ageing time"),
    ("setbridgeprio", 2, "<bridge> <prio>\t\tset bridge priority"),
    ("setfd", 2, "<bridge> <time>\t\tset bridge forward delay"),
    ("sethello", 2, "<bridge> <time>\t\tset hello time"),
    ("setmaxage", 2, "<bridge> <time>\t\tset max message age"),
    ("setpathcost", 3, "<bridge> <port> <cost>\tset path cost"),
    (
        "setportprio",
        3,
        "<bridge> <port> <prio>\tset port priority",
    ),
    ("show", 0, "[ <bridge> ]\t\tshow a list of bridges"),
    ("showmacs", 1, "<bridge>\t\tshow a list of mac addrs"),
    ("showstp", 1, "<bridge>\t\tshow bridge stp info"),
    ("stp", 2, "<bridge> {on|off}\tturn stp on/off"),
];

fn usage_text() -> String {
    let mut s = String::from("Usage: brctl [commands]\ncommands:\n");
    for (name, _, help) in COMMANDS {
        s.push_str(&format!("\t{name:<10}\t{help}\n"));
    }
    s
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let (opts, operands) = getopt(args, "hV", &[("help", 'h'), ("version", 'V')]);
    for o in opts {
        match o {
            GetOpt::Opt('h', _) => {
                c.print(&usage_text());
                return 0;
            }
            GetOpt::Opt('V', _) => {
                c.print("bridge-utils, 1.7\n");
                return 0;
            }
            GetOpt::Opt(..) => {}
            GetOpt::Bad(msg) => {
                c.eprint(&format!("brctl: {msg}\nUnknown option '?'\n"));
                c.print(&usage_text());
                return 1;
            }
        }
    }
    let Some(name) = operands.first() else {
        c.print(&usage_text());
        return 1;
    };
    let Some(&(cmd, nargs, help)) = COMMANDS.iter().find(|(n, _, _)| n == name) else {
        c.eprint(&format!("never heard of command [{name}]\n"));
        c.print(&usage_text());
        return 1;
    };
    let a = &operands[1..];
    if a.len() < nargs {
        c.print(&format!(
            "Incorrect number of arguments for command\nUsage: brctl {cmd} {help}\n"
        ));
        return 1;
    }
    match cmd {
        "addbr" => addbr(c, &a[0]),
        "delbr" => delbr(c, &a[0]),
        "addif" => addif(c, &a[0], &a[1..]),
        "delif" => delif(c, &a[0], &a[1..]),
        "hairpin" => hairpin(c, &a[0], &a[1], &a[2]),
        "setageing" | "setfd" | "sethello" | "setmaxage" => set_time(c, cmd, &a[0], &a[1]),
        "setbridgeprio" => setbridgeprio(c, &a[0], &a[1]),
        "setpathcost" | "setportprio" => set_port(c, cmd, &a[1], &a[2]),
        "show" => show(c, a),
        "showmacs" => showmacs(c, &a[0]),
        "showstp" => showstp(c, &a[0]),
        "stp" => stp(c, &a[0], &a[1]),
        _ => unreachable!(),
    }
}

// ---- helpers ----------------------------------------------------------------

fn dev<'a>(c: &'a Cmd, name: &str) -> Option<&'a Device> {
    c.m.world.ns(c.ns).dev_by_name(name)
}

/// `8000.020000000100`: priority, then the bridge address without colons.
pub(crate) fn bridge_id(prio: u16, mac: Mac) -> String {
    let m = mac.0;
    format!(
        "{:04x}.{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        prio, m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

/// Hundredths of a second, as brctl prints timers: "%4i.%.2i".
fn timer(cs: u64) -> String {
    format!("{:4}.{:02}", cs / 100, cs % 100)
}

fn cs(t: Time) -> u64 {
    t.0 / 10_000_000
}

/// sscanf("%lf"): the number at the start of `s`, if any.
pub(crate) fn scan_double(s: &str) -> Option<f64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (neg, u) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = u.to_ascii_lowercase();
    let v = if lower.starts_with("inf") {
        f64::INFINITY
    } else if lower.starts_with("nan") {
        f64::NAN
    } else if (lower.starts_with("0x"))
        && lower[2..].starts_with(|c: char| c.is_ascii_hexdigit() || c == '.')
    {
        let b = &lower.as_bytes()[2..];
        let mut v = 0f64;
        let mut i = 0;
        let mut digits = 0;
        while i < b.len() && b[i].is_ascii_hexdigit() {
            v = v * 16.0 + (b[i] as char).to_digit(16).unwrap() as f64;
            i += 1;
            digits += 1;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            let mut scale = 1.0 / 16.0;
            while i < b.len() && b[i].is_ascii_hexdigit() {
                v += (b[i] as char).to_digit(16).unwrap() as f64 * scale;
                scale /= 16.0;
                i += 1;
                digits += 1;
            }
        }
        if digits == 0 {
            0.0
        } else {
            if i < b.len() && b[i] == b'p' {
                let (e, rest) = exp_digits(&lower[2 + i + 1..]);
                if rest {
                    v *= 2f64.powi(e);
                }
            }
            v
        }
    } else {
        let b = u.as_bytes();
        let mut i = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let int_digits = i;
        let mut frac_digits = 0;
        if i < b.len() && b[i] == b'.' {
            let j = i + 1;
            let mut k = j;
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            frac_digits = k - j;
            if int_digits + frac_digits > 0 {
                i = k;
            }
        }
        if int_digits + frac_digits == 0 {
            return None;
        }
        let mut end = i;
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            let (_, ok) = exp_digits(&u[i + 1..]);
            if ok {
                let mut k = i + 1;
                if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
                    k += 1;
                }
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                end = k;
            }
        }
        u[..end].parse::<f64>().ok()?
    };
    Some(if neg { -v } else { v })
}

/// An exponent's value, and whether it had digits.
fn exp_digits(s: &str) -> (i32, bool) {
    let (neg, u) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = u.bytes().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return (0, false);
    }
    let e: i32 = u[..n].parse().unwrap_or(i32::MAX);
    (if neg { -e } else { e }, true)
}

/// brctl's strtotimeval() and __tv_to_jiffies(): seconds to hundredths.
fn secs_to_cs(secs: f64) -> u64 {
    if secs.is_nan() || secs <= 0.0 {
        return 0;
    }
    let sec = secs.trunc();
    let usec = (1_000_000.0 * (secs - sec)) as u64;
    (sec as u64).saturating_mul(1_000_000).saturating_add(usec) / 10_000
}

/// sscanf("%i") into an int.
fn scan_int(s: &str) -> Option<i64> {
    let (v, rest) = strtol_prefix(s);
    if rest.len() == s.len() {
        return None;
    }
    Some(v as i32 as i64)
}

/// brctl's on/off words.
fn on_off(s: &str) -> Option<bool> {
    match s {
        "on" | "yes" | "1" => Some(true),
        "off" | "no" | "0" => Some(false),
        _ => None,
    }
}

fn err(c: &mut Cmd, msg: String) -> i32 {
    c.eprint(&msg);
    c.eprint("\n");
    1
}

/// The ifindex of the bridge named `name`: ENODEV when there is no such
/// device, EOPNOTSUPP when it is not a bridge.
fn bridge_index(c: &Cmd, name: &str) -> Result<u32, Errno> {
    let d = dev(c, name).ok_or(Errno::ENODEV)?;
    if !d.is_bridge() {
        return Err(Errno::EOPNOTSUPP);
    }
    Ok(d.ifindex)
}

// ---- commands ---------------------------------------------------------------

fn addbr(c: &mut Cmd, arg: &str) -> i32 {
    let name = match register_name(c, ifnamsiz(arg)) {
        Ok(n) => n,
        Err(e) => return err(c, format!("add bridge failed: {}", e.strerror())),
    };
    if dev(c, &name).is_some() {
        return err(
            c,
            format!("device {arg} already exists; can't create bridge with the same name"),
        );
    }
    let ns = c.ns;
    match c.m.world.link_add(ns, &name, NewLink::Bridge, None) {
        Ok(_) => 0,
        Err(e) => err(c, format!("add bridge failed: {}", e.errno.strerror())),
    }
}

fn delbr(c: &mut Cmd, name: &str) -> i32 {
    let Some(d) = dev(c, name) else {
        return err(c, format!("bridge {name} doesn't exist; can't delete it"));
    };
    if !d.is_bridge() {
        return err(
            c,
            format!("can't delete bridge {name}: Operation not permitted"),
        );
    }
    if d.up {
        return err(c, format!("bridge {name} is still up; can't delete it"));
    }
    let (ns, idx) = (c.ns, d.ifindex);
    match c.m.world.link_del(ns, idx) {
        Ok(()) => 0,
        Err(e) => err(
            c,
            format!("can't delete bridge {name}: {}", e.errno.strerror()),
        ),
    }
}

fn addif(c: &mut Cmd, br: &str, ifs: &[String]) -> i32 {
    let mut status = 0;
    for ifname in ifs {
        let Some(port) = dev(c, ifname).map(|d| d.ifindex) else {
            status = err(c, format!("interface {ifname} does not exist!"));
            continue;
        };
        let r = enslave(c, br, port);
        let msg = match r {
            Ok(()) => continue,
            Err(Errno::ENODEV) => format!("bridge {br} does not exist!"),
            Err(Errno::EBUSY) => format!(
                "device {ifname} is already a member of a bridge; can't add it to bridge {br}."
            ),
            Err(Errno::ELOOP) => format!(
                "device {ifname} is a bridge device itself; can't add a bridge device to a bridge device."
            ),
            Err(e) => format!("can't add {ifname} to bridge {br}: {}", e.strerror()),
        };
        status = err(c, msg);
    }
    status
}

/// SIOCBRADDIF: br_add_if()'s checks, in its order.
fn enslave(c: &mut Cmd, br: &str, port: u32) -> Result<(), Errno> {
    let b = dev(c, br).ok_or(Errno::ENODEV)?;
    if !b.is_bridge() {
        return Err(Errno::EOPNOTSUPP);
    }
    let bidx = b.ifindex;
    let p = c.m.world.ns(c.ns).dev(port).ok_or(Errno::ENODEV)?;
    if p.is_loopback() || !p.is_ether() {
        return Err(Errno::EINVAL);
    }
    if p.is_bridge() {
        return Err(Errno::ELOOP);
    }
    if p.master.is_some() {
        return Err(Errno::EBUSY);
    }
    let ns = c.ns;
    c.m.world
        .bridge_enslave(ns, bidx, port)
        .map_err(|e: KernelError| e.errno)?;
    Ok(())
}

fn delif(c: &mut Cmd, br: &str, ifs: &[String]) -> i32 {
    let mut status = 0;
    for ifname in ifs {
        let Some(port) = dev(c, ifname).map(|d| (d.ifindex, d.master)) else {
            status = err(c, format!("interface {ifname} does not exist!"));
            continue;
        };
        let Some(b) = dev(c, br).map(|d| (d.ifindex, d.is_bridge())) else {
            status = err(c, format!("bridge {br} does not exist!"));
            continue;
        };
        if !b.1 {
            status = err(
                c,
                format!("can't delete {ifname} from {br}: Operation not supported"),
            );
            continue;
        }
        if port.1 != Some(b.0) {
            status = err(c, format!("device {ifname} is not a port of {br}"));
            continue;
        }
        let ns = c.ns;
        c.m.world.bridge_release(ns, b.0, port.0);
    }
    status
}

/// The port and its bridge for a write under /sys/class/net/PORT/brport:
/// ENODEV without the device, ENOENT when it is no bridge port.
fn brport(c: &Cmd, port: &str) -> Result<(u32, u32), Errno> {
    let d = dev(c, port).ok_or(Errno::ENODEV)?;
    let m = d.master.ok_or(Errno::ENOENT)?;
    let b = c.m.world.ns(c.ns).dev(m).and_then(|b| b.bridge());
    if b.is_none_or(|b| b.port(d.ifindex).is_none()) {
        return Err(Errno::ENOENT);
    }
    Ok((m, d.ifindex))
}

fn hairpin(c: &mut Cmd, br: &str, port: &str, val: &str) -> i32 {
    if dev(c, br).is_none() {
        return err(c, format!("bridge {br} does not exist!"));
    }
    if dev(c, port).is_none() {
        return err(c, format!("interface {port} does not exist!"));
    }
    let Some(on) = on_off(val) else {
        return err(c, "expect on/off for argument".into());
    };
    match brport(c, port) {
        Ok((b, p)) => {
            let ns = c.ns;
            let _ = c.m.world.br_port_set(ns, b, p, BrPortOpt::Hairpin(on));
            0
        }
        Err(e) => err(
            c,
            format!(
                "can't set {port} to hairpin on bridge {br}: {}",
                e.strerror()
            ),
        ),
    }
}

fn set_time(c: &mut Cmd, cmd: &str, br: &str, val: &str) -> i32 {
    let (bad, what) = match cmd {
        "setageing" => ("bad ageing time value", "set ageing time failed"),
        "setfd" => ("bad forward delay value", "set forward delay failed"),
        "sethello" => ("bad hello timer value", "set hello timer failed"),
        _ => ("bad max age value", "set max age failed"),
    };
    let Some(secs) = scan_double(val) else {
        return err(c, bad.into());
    };
    let v = secs_to_cs(secs);
    let t = Time(v.saturating_mul(10_000_000));
    let opt = match cmd {
        "setageing" => BrOpt::AgeingTime(t),
        "setfd" => BrOpt::ForwardDelay(t),
        "sethello" => BrOpt::HelloTime(t),
        _ => BrOpt::MaxAge(t),
    };
    let ns = c.ns;
    let r = bridge_index(c, br).and_then(|idx| c.m.world.br_set(ns, idx, opt).map_err(|e| e.errno));
    match r {
        Ok(()) => 0,
        Err(e) => err(c, format!("{what}: {}", e.strerror())),
    }
}

fn setbridgeprio(c: &mut Cmd, br: &str, val: &str) -> i32 {
    let Some(v) = scan_int(val) else {
        return err(c, "bad priority".into());
    };
    let ns = c.ns;
    match bridge_index(c, br).and_then(|idx| {
        c.m.world
            .br_set(ns, idx, BrOpt::Priority(v as u16))
            .map_err(|e| e.errno)
    }) {
        Ok(()) => 0,
        Err(e) => err(c, format!("set bridge priority failed: {}", e.strerror())),
    }
}

fn set_port(c: &mut Cmd, cmd: &str, port: &str, val: &str) -> i32 {
    let cost = cmd == "setpathcost";
    let (bad, what) = if cost {
        ("bad path cost value", "set path cost failed")
    } else {
        ("bad path priority value", "set port priority failed")
    };
    let Some(v) = scan_int(val) else {
        return err(c, bad.into());
    };
    // Out of range either way (the kernel's limits apply in br_port_set).
    let opt = if cost {
        BrPortOpt::PathCost(u32::try_from(v).unwrap_or(0))
    } else {
        BrPortOpt::Priority(u16::try_from(v).unwrap_or(u16::MAX))
    };
    let ns = c.ns;
    let r = brport(c, port)
        .and_then(|(b, p)| c.m.world.br_port_set(ns, b, p, opt).map_err(|e| e.errno));
    match r {
        Ok(()) => 0,
        Err(e) => err(c, format!("{what}: {}", e.strerror())),
    }
}

fn stp(c: &mut Cmd, br: &str, val: &str) -> i32 {
    let Some(on) = on_off(val) else {
        return err(c, "expect on/off for argument".into());
    };
    let r = match dev(c, br) {
        None => Err(Errno::ENODEV),
        Some(d) if !d.is_bridge() => Err(Errno::EOPNOTSUPP),
        Some(d) => {
            let (ns, idx) = (c.ns, d.ifindex);
            c.m.world.bridge_set_stp(ns, idx, on).map_err(|e| e.errno)
        }
    };
    match r {
        Ok(()) => 0,
        Err(e) => err(c, format!("set stp status failed: {}", e.strerror())),
    }
}

/// The ports of a bridge by name, as scandir(..., alphasort) lists brif/.
fn port_names(c: &Cmd, d: &Device) -> Vec<(String, u32)> {
    let n = c.m.world.ns(c.ns);
    let mut v: Vec<(String, u32)> = d
        .bridge()
        .map(|b| {
            b.ports
                .iter()
                .filter_map(|p| n.dev(p.ifindex).map(|pd| (pd.name.clone(), p.ifindex)))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn show(c: &mut Cmd, names: &[String]) -> i32 {
    let n = c.m.world.ns(c.ns);
    let list: Vec<Result<u32, String>> = if names.is_empty() {
        let mut v: Vec<(&str, u32)> = n
            .devs()
            .values()
            .filter(|d| d.is_bridge())
            .map(|d| (d.name.as_str(), d.ifindex))
            .collect();
        v.sort();
        v.into_iter().map(|(_, i)| Ok(i)).collect()
    } else {
        names
            .iter()
            .map(|name| match n.dev_by_name(name) {
                None => Err(format!("bridge {name} does not exist!")),
                Some(d) if !d.is_bridge() => Err(format!("device {name} is not a bridge!")),
                Some(d) => Ok(d.ifindex),
            })
            .collect()
    };
    let mut status = 0;
    let mut header = false;
    for item in list {
        let idx = match item {
            Ok(i) => i,
            Err(msg) => {
                status = err(c, msg);
                continue;
            }
        };
        if !header {
            c.print("bridge name\tbridge id\t\tSTP enabled\tinterfaces\n");
            header = true;
        }
        let d = c.m.world.ns(c.ns).dev(idx).unwrap();
        let b = d.bridge().unwrap();
        let mut s = format!(
            "{}\t\t{}\t{}\t\t",
            d.name,
            bridge_id(b.priority, d.bridge().map_or(Mac::ZERO, |b| b.id_mac)),
            if b.stp { "yes" } else { "no" }
        );
        let ports = port_names(c, d);
        if ports.is_empty() {
            s.push('\n');
        }
        for (k, (pname, _)) in ports.iter().enumerate() {
            if k > 0 {
                s.push_str("\t\t\t\t\t\t\t");
            }
            s.push_str(pname);
            s.push('\n');
        }
        c.print(&s);
    }
    status
}

fn showmacs(c: &mut Cmd, br: &str) -> i32 {
    let d = match dev(c, br) {
        None => return err(c, "read of forward table failed: No such device".into()),
        Some(d) if !d.is_bridge() => {
            return err(
                c,
                "read of forward table failed: Operation not supported".into(),
            )
        }
        Some(d) => d,
    };
    let w = &c.m.world;
    let b = d.bridge().unwrap();
    // br_fdb_fillbuf(): entries on a port only, learned ones with their age.
    let mut rows: Vec<(Mac, u16, bool, u64)> = fdb_rows(w, c.ns, d.ifindex)
        .into_iter()
        .filter_map(|r| {
            let port = b.port(r.port)?;
            let age = if r.local {
                0
            } else {
                cs(w.now().saturating_sub(r.updated))
            };
            Some((r.mac, port.port_no, r.local, age))
        })
        .collect();
    rows.sort_by_key(|a| a.0);
    let mut s = String::from("port no\tmac addr\t\tis local?\tageing timer\n");
    for (mac, no, local, age) in rows {
        s.push_str(&format!(
            "{:3}\t{}\t{}\t\t{}\n",
            no,
            mac,
            if local { "yes" } else { "no" },
            timer(age)
        ));
    }
    c.print(&s);
    0
}

/// The fdb gc work's timer in centiseconds, as `brctl showstp` and `ip -d`
/// show it: it runs while the bridge is up (and once `setageing` kicked it,
/// which a changed ageing time betrays), expiring when the next learned entry would.
pub(crate) fn gc_timer(w: &vnet_core::World, d: &vnet_core::dev::Device) -> u64 {
    let Some(b) = d.bridge() else { return 0 };
    let now = cs(w.now());
    let ageing = cs(b.ageing_time);
    let left = |period: u64| period.saturating_sub(1 + now % period.max(1));
    if ageing == 0 || !(d.up || b.ageing_time != Time::from_secs(300)) {
        return 0;
    }
    let next = b
        .fdb
        .values()
        .filter(|e| !e.is_local && !e.is_static && !b.expired(e, w.now()))
        .map(|e| cs(e.updated) + ageing)
        .min();
    match next {
        Some(t) if d.up => t.saturating_sub(now + 1).max(1),
        _ => left(ageing),
    }
}

fn showstp(c: &mut Cmd, br: &str) -> i32 {
    use vnet_core::bridge::br_stp::{left, split_id};
    let d = match dev(c, br) {
        None => return err(c, format!("bridge {br} does not exist!")),
        Some(d) if !d.is_bridge() => return err(c, format!("device {br} is not a bridge!")),
        Some(d) => d,
    };
    let w = &c.m.world;
    let b = d.bridge().unwrap();
    let now = cs(w.now());
    let bid = bridge_id(b.priority, b.id_mac);
    let st = &b.st;
    let sid = |id: u64| {
        let (p, m) = split_id(id);
        bridge_id(p, m)
    };
    let tleft = |t: Option<Time>| cs(left(t, w.now()));
    let (max_age, hello, fd, ageing) = (
        cs(st.max_age),
        cs(st.hello_time),
        cs(st.forward_delay),
        cs(b.effective_ageing()),
    );
    let _ = now;
    let gc_timer = gc_timer(w, d);
    let mut s = format!("{}\n", d.name);
    s.push_str(&format!(" bridge id\t\t{bid}\n"));
    s.push_str(&format!(" designated root\t{}\n", sid(st.designated_root)));
    s.push_str(&format!(
        " root port\t\t{:4}\t\t\tpath cost\t\t{:4}\n",
        st.root_port, st.root_path_cost
    ));
    s.push_str(&format!(
        " max age\t\t{}\t\t\tbridge max age\t\t{}\n",
        timer(max_age),
        timer(max_age)
    ));
    s.push_str(&format!(
        " hello time\t\t{}\t\t\tbridge hello time\t{}\n",
        timer(hello),
        timer(hello)
    ));
    s.push_str(&format!(
        " forward delay\t\t{}\t\t\tbridge forward delay\t{}\n",
        timer(fd),
        timer(fd)
    ));
    s.push_str(&format!(" ageing time\t\t{}\n", timer(ageing)));
    s.push_str(&format!(
        " hello timer\t\t{}\t\t\ttcn timer\t\t{}\n",
        timer(tleft(st.hello_timer)),
        timer(tleft(st.tcn_timer))
    ));
    s.push_str(&format!(
        " topology change timer\t{}\t\t\tgc timer\t\t{}\n",
        timer(tleft(st.topology_change_timer)),
        timer(gc_timer)
    ));
    s.push_str(" flags\t\t\t");
    if st.topology_change {
        s.push_str("TOPOLOGY_CHANGE ");
    }
    if st.topology_change_detected {
        s.push_str("TOPOLOGY_CHANGE_DETECTED ");
    }
    s.push_str("\n\n\n");
    for (pname, pidx) in port_names(c, d) {
        let p = b.port(pidx).unwrap();
        let port_id = vnet_core::bridge::Bridge::port_id(p);
        let ps = &p.stp;
        s.push_str(&format!("{pname} ({})\n", p.port_no));
        s.push_str(&format!(
            " port id\t\t{:04x}\t\t\tstate\t\t{:>15}\n",
            port_id,
            p.state.name()
        ));
        s.push_str(&format!(
            " designated root\t{}\tpath cost\t\t{:4}\n",
            sid(ps.designated_root),
            p.path_cost
        ));
        s.push_str(&format!(
            " designated bridge\t{}\tmessage age timer\t{}\n",
            sid(ps.designated_bridge),
            timer(tleft(ps.message_age_timer))
        ));
        s.push_str(&format!(
            " designated port\t{:04x}\t\t\tforward delay timer\t{}\n",
            ps.designated_port,
            timer(tleft(p.fd_timer_until))
        ));
        s.push_str(&format!(
            " designated cost\t{:4}\t\t\thold timer\t\t{}\n",
            ps.designated_cost,
            timer(tleft(ps.hold_timer))
        ));
        s.push_str(" flags\t\t\t");
        if ps.config_pending {
            s.push_str("CONFIG_PENDING ");
        }
        if ps.topology_change_ack {
            s.push_str("TOPOLOGY_CHANGE_ACK ");
        }
        s.push('\n');
        if p.hairpin {
            s.push_str(&format!(" hairpin mode\t\t{:4}\n", 1));
        }
        s.push('\n');
    }
    c.print(&s);
    0
}
