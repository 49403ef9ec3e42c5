//! `tunctl` (uml-utilities 20070815, Debian 12): creates and deletes
//! persistent tap devices through /dev/net/tun.
//!
//! The real tool opens the clone device, calls TUNSETIFF (tap, no packet
//! information), then TUNSETOWNER / TUNSETGROUP / TUNSETPERSIST, and closes
//! it. Deleting is the same TUNSETIFF followed by TUNSETPERSIST 0: the device
//! goes away on close unless another program holds it. TUNSETIFF on a name
//! that does not exist creates the device, so `tunctl -d nosuch` creates a
//! tap and lets it vanish (the ifindex is used up, as on the kernel).

use crate::Cmd;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::dev::DevKind;
use vnet_core::Errno;

/// One result of GNU getopt(3) in its default (permuting) mode.
#[derive(Debug, PartialEq)]
pub(crate) enum GetOpt {
    /// A short option (or the short letter a long option stands for) and its argument.
    Opt(char, Option<String>),
    /// getopt printed this message (without the program name) and returned '?'.
    Bad(String),
}

/// GNU getopt_long: `short` is the optstring (a letter followed by ':' takes an
/// argument), `long` maps long names to the letter they stand for (long options
/// here never take arguments). Returns the options in the order getopt returns
/// them, and the operands (non-options, in order).
pub(crate) fn getopt(
    args: &[String],
    short: &str,
    long: &[(&str, char)],
) -> (Vec<GetOpt>, Vec<String>) {
    let takes_arg = |c: char| -> Option<bool> {
        if c == ':' {
            return None;
        }
        let i = short.find(c)?;
        Some(short[i + c.len_utf8()..].starts_with(':'))
    };
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(name) = a.strip_prefix("--").filter(|_| !long.is_empty()) {
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (name, None),
            };
            let exact = long.iter().find(|(n, _)| *n == name);
            let cands: Vec<&(&str, char)> =
                long.iter().filter(|(n, _)| n.starts_with(name)).collect();
            let hit = match (exact, cands.len()) {
                (Some(e), _) => Some(e),
                (None, 1) => Some(cands[0]),
                (None, 0) => {
                    opts.push(GetOpt::Bad(format!("unrecognized option '{a}'")));
                    continue;
                }
                (None, _) => {
                    let list: Vec<String> = cands.iter().map(|(n, _)| format!("'--{n}'")).collect();
                    opts.push(GetOpt::Bad(format!(
                        "option '--{name}' is ambiguous; possibilities: {}",
                        list.join(" ")
                    )));
                    continue;
                }
            };
            let (full, letter) = hit.unwrap();
            if value.is_some() {
                opts.push(GetOpt::Bad(format!(
                    "option '--{full}' doesn't allow an argument"
                )));
            } else {
                opts.push(GetOpt::Opt(*letter, None));
            }
            continue;
        }
        if a.len() < 2 || !a.starts_with('-') {
            operands.push(a.clone());
            continue;
        }
        let body: Vec<char> = a.chars().skip(1).collect();
        let mut k = 0;
        while k < body.len() {
            let ch = body[k];
            k += 1;
            match takes_arg(ch) {
                None => opts.push(GetOpt::Bad(format!("invalid option -- '{ch}'"))),
                Some(false) => opts.push(GetOpt::Opt(ch, None)),
                Some(true) => {
                    if k < body.len() {
                        opts.push(GetOpt::Opt(ch, Some(body[k..].iter().collect())));
                    } else if i < args.len() {
                        opts.push(GetOpt::Opt(ch, Some(args[i].clone())));
                        i += 1;
                    } else {
                        opts.push(GetOpt::Bad(format!(
                            "option requires an argument -- '{ch}'"
                        )));
                    }
                    break;
                }
            }
        }
    }
    (opts, operands)
}

/// strtol(s, &end, 0) that must consume the whole string: decimal, 0x hex or
/// 0 octal, with optional sign and leading white space. An empty string is 0.
pub(crate) fn strtol_full(s: &str) -> Option<i64> {
    let (v, rest) = strtol_prefix(s);
    rest.is_empty().then_some(v)
}

/// strtol(s, &end, 0): the value and the unparsed rest (the whole string when
/// no digits were found, with the value 0).
pub(crate) fn strtol_prefix(s: &str) -> (i64, &str) {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (neg, u) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if (u.starts_with("0x") || u.starts_with("0X"))
        && u[2..].starts_with(|c: char| c.is_ascii_hexdigit())
    {
        (16, &u[2..])
    } else if u.starts_with('0') {
        (8, u)
    } else {
        (10, u)
    };
    let n = digits
        .bytes()
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    if n == 0 {
        return (0, s);
    }
    let mut v: i64 = 0;
    for b in digits[..n].bytes() {
        let d = (b as char).to_digit(radix).unwrap() as i64;
        v = v.saturating_mul(radix as i64).saturating_add(d);
    }
    (if neg { -v } else { v }, &digits[n..])
}

/// The users of a freshly installed Debian 12 (base-passwd).
const USERS: &[(&str, i64)] = &[
    ("root", 0),
    ("daemon", 1),
    ("bin", 2),
    ("sys", 3),
    ("sync", 4),
    ("games", 5),
    ("man", 6),
    ("lp", 7),
    ("mail", 8),
    ("news", 9),
    ("uucp", 10),
    ("proxy", 13),
    ("www-data", 33),
    ("backup", 34),
    ("list", 38),
    ("irc", 39),
    ("_apt", 42),
    ("nobody", 65534),
];

/// The groups of a freshly installed Debian 12 (base-passwd).
const GROUPS: &[(&str, i64)] = &[
    ("root", 0),
    ("daemon", 1),
    ("bin", 2),
    ("sys", 3),
    ("adm", 4),
    ("tty", 5),
    ("disk", 6),
    ("lp", 7),
    ("mail", 8),
    ("news", 9),
    ("uucp", 10),
    ("man", 12),
    ("proxy", 13),
    ("kmem", 15),
    ("dialout", 20),
    ("fax", 21),
    ("voice", 22),
    ("cdrom", 24),
    ("floppy", 25),
    ("tape", 26),
    ("sudo", 27),
    ("audio", 29),
    ("dip", 30),
    ("www-data", 33),
    ("backup", 34),
    ("operator", 37),
    ("list", 38),
    ("irc", 39),
    ("src", 40),
    ("shadow", 42),
    ("utmp", 43),
    ("video", 44),
    ("sasl", 45),
    ("plugdev", 46),
    ("staff", 50),
    ("games", 60),
    ("users", 100),
    ("nogroup", 65534),
];

fn usage(c: &mut Cmd) -> i32 {
    c.eprint(
        "Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]\n\
         Delete: tunctl -d device-name [-f tun-clone-device]\n\
         \n\
         The default tun clone device is /dev/net/tun - some systems use\n\
         /dev/misc/net/tun instead\n\
         \n\
         -b will result in brief output (just the device name)\n",
    );
    1
}

/// dev_valid_name(): what the kernel accepts as an interface name.
pub(crate) fn valid_ifname(n: &str) -> bool {
    !n.is_empty()
        && n.len() < 16
        && n != "."
        && n != ".."
        && !n.chars().any(|c| {
            c == '/' || c == ':' || matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
        })
}

/// The name as the ioctl carries it: at most IFNAMSIZ-1 bytes.
pub(crate) fn ifnamsiz(n: &str) -> &str {
    let mut end = n.len().min(15);
    while !n.is_char_boundary(end) {
        end -= 1;
    }
    &n[..end]
}

/// dev_get_valid_name() for a name that may be a `%d` pattern: the name the
/// kernel registers, or EINVAL.
pub(crate) fn register_name(c: &Cmd, name: &str) -> Result<String, Errno> {
    if !valid_ifname(name) {
        return Err(Errno::EINVAL);
    }
    if name.contains('%') {
        // dev_alloc_name(): exactly one "%d" and no other conversion.
        if name.matches('%').count() != 1 || !name.contains("%d") {
            return Err(Errno::EINVAL);
        }
        return Ok(c.m.world.alloc_name(c.ns, name));
    }
    Ok(name.to_string())
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let (opts, operands) = getopt(args, "bd:f:t:u:g:", &[]);
    let mut brief = false;
    let mut delete = false;
    let mut file = "/dev/net/tun".to_string();
    let mut name = String::new();
    let mut owner: i64 = -1;
    let mut group: i64 = -1;
    for o in opts {
        match o {
            GetOpt::Bad(msg) => {
                c.eprint(&format!("tunctl: {msg}\n"));
                return usage(c);
            }
            GetOpt::Opt('b', _) => brief = true,
            GetOpt::Opt('d', Some(v)) => {
                delete = true;
                name = v;
            }
            GetOpt::Opt('f', Some(v)) => file = v,
            GetOpt::Opt('t', Some(v)) => name = v,
            GetOpt::Opt('u', Some(v)) => {
                owner = match USERS.iter().find(|(n, _)| *n == v) {
                    Some((_, id)) => *id,
                    None => match strtol_full(&v) {
                        Some(id) => id,
                        None => {
                            c.eprint(&format!("'{v}' is neither a username nor a numeric uid.\n"));
                            return usage(c);
                        }
                    },
                }
            }
            GetOpt::Opt('g', Some(v)) => {
                group = match GROUPS.iter().find(|(n, _)| *n == v) {
                    Some((_, id)) => *id,
                    None => match strtol_full(&v) {
                        Some(id) => id,
                        None => {
                            c.eprint(&format!(
                                "'{v}' is neither a groupname nor a numeric group.\n"
                            ));
                            return usage(c);
                        }
                    },
                }
            }
            GetOpt::Opt(..) => return usage(c),
        }
    }
    if !operands.is_empty() {
        return usage(c);
    }
    if file != "/dev/net/tun" {
        let why = if file.starts_with("/dev/net/tun/") {
            "Not a directory"
        } else {
            "No such file or directory"
        };
        c.eprint(&format!("Failed to open '{file}' : {why}\n"));
        return 1;
    }
    // TUNSETIFF with IFF_TAP | IFF_NO_PI.
    let ns = c.ns;
    let req = ifnamsiz(&name).to_string();
    let existing = if req.is_empty() {
        None
    } else {
        c.m.world.ns(ns).ifindex_of(&req)
    };
    let ifindex = match existing {
        Some(idx) => {
            let d = c.m.world.ns(ns).dev(idx).unwrap();
            match d.kind {
                DevKind::Tun {
                    tap: true,
                    attached,
                    ..
                } => {
                    if attached > 0 {
                        c.eprint("TUNSETIFF: Device or resource busy\n");
                        return 1;
                    }
                    idx
                }
                _ => {
                    c.eprint("TUNSETIFF: Invalid argument\n");
                    return 1;
                }
            }
        }
        None => {
            let pattern = if req.is_empty() {
                "tap%d"
            } else {
                req.as_str()
            };
            let reg = match register_name(c, pattern) {
                Ok(n) => n,
                Err(e) => {
                    c.eprint(&format!("TUNSETIFF: {}\n", e.strerror()));
                    return 1;
                }
            };
            // The device lives while the file is open; TUNSETPERSIST keeps it.
            let kind = NewLink::Tun {
                tap: true,
                owner: None,
                group: None,
            };
            match c.m.world.link_add(ns, &reg, kind, None) {
                Ok(idx) => {
                    set_tun(c, idx, Some(false), None, None);
                    idx
                }
                Err(e) => {
                    c.eprint(&format!("TUNSETIFF: {}\n", e.errno.strerror()));
                    return 1;
                }
            }
        }
    };
    let devname = c.m.world.ns(ns).dev(ifindex).unwrap().name.clone();
    if delete {
        set_tun(c, ifindex, Some(false), None, None);
        // close(): a non-persistent device nobody holds goes away.
        let _ = c.m.world.link_del(ns, ifindex);
        c.print(&format!("Set '{devname}' nonpersistent\n"));
        return 0;
    }
    if owner == -1 && group == -1 {
        owner = 0; // geteuid(): the shell runs as root
    }
    let own = (owner != -1).then_some(owner as u32);
    let grp = (group != -1).then_some(group as u32);
    set_tun(c, ifindex, Some(true), own, grp);
    if brief {
        c.print(&format!("{devname}\n"));
    } else {
        let mut s = format!("Set '{devname}' persistent and owned by");
        if owner != -1 {
            s.push_str(&format!(" uid {owner}"));
        }
        if group != -1 {
            s.push_str(&format!(" gid {group}"));
        }
        c.print(&s);
        c.print("\n");
    }
    0
}

/// TUNSETPERSIST / TUNSETOWNER / TUNSETGROUP on a tap the tool holds.
fn set_tun(
    c: &mut Cmd,
    ifindex: u32,
    persist_to: Option<bool>,
    own: Option<u32>,
    grp: Option<u32>,
) {
    let ns = c.ns;
    let _ = c.m.world.tun_set_persist(ns, ifindex, persist_to, own, grp);
}
