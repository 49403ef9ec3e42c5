//! `route` (net-tools 2.10, Debian 12): the IPv4 table from /proc/net/route
//! and changes through SIOCADDRT / SIOCDELRT.
//!
//! Read with net-tools' `route.c`, `lib/inet_gr.c` (listing) and
//! `lib/inet_sr.c` (add/del), and the kernel's `rtentry_to_fib_config()`,
//! `fib_route_seq_show()` and `fib_table_insert()/fib_table_delete()`:
//!
//! * the listing is the main table only, without broadcast routes, in trie
//!   order: by destination, the longer prefix first for the same network;
//! * SIOCADDRT asks for NLM_F_CREATE without NLM_F_EXCL: a second route to the
//!   same prefix and metric is accepted unless it is identical, and goes
//!   *before* the existing ones;
//! * SIOCDELRT deletes the first route of the prefix whose metric is at
//!   least the one given (0: any) and that matches what was given;
//! * `route add TARGET` without -net/-host is a host route when TARGET is an
//!   address, a network when it is a name from /etc/networks.

use crate::ifconfig::{bad_mask, inet_resolve, inet_rresolve, HostErr};
use crate::{Cmd, Failure};
use std::fmt;
use std::net::Ipv4Addr;
use vnet_core::addr::Scope;
use vnet_core::ipv4::fib::{proto, Route, RouteType, RT_TABLE_MAIN};
use vnet_core::{Errno, Prefix4};

const E_OPTERR: i32 = 3;
const E_LOOKUP: i32 = 6;
const E_SOCK: i32 = 7;

const RTF_UP: u32 = 0x1;
const RTF_GATEWAY: u32 = 0x2;
const RTF_HOST: u32 = 0x4;
const RTF_REINSTATE: u32 = 0x8;
const RTF_DYNAMIC: u32 = 0x10;
const RTF_MODIFIED: u32 = 0x20;
const RTF_REJECT: u32 = 0x200;

const USAGE: &str = "Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables\n       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.\n\n       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.\n       route {-V|--version}                  Display version/author and exit.\n\n        -v, --verbose            be verbose\n        -n, --numeric            don't resolve names\n        -e, --extend             display other/more information\n        -F, --fib                display Forwarding Information Base (default)\n        -C, --cache              display routing cache instead of FIB\n\n  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet\n  List of possible address families (which support routing):\n";
const AF_LIST: &str = "    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) \n    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) \n    ddp (Appletalk DDP) x25 (CCITT X.25) \n";
const INET_USAGE: &str = "Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]\n       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]\n                              [netmask N] [mss Mss] [window W] [irtt I]\n                              [mod] [dyn] [reinstate] [[dev] If]\n       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject\n       inet_route [-FC] flush      NOT supported\n";
const VERSION: &str = "net-tools 2.10\n+NEW_ADDRT +RTF_IRTT +RTF_REJECT +I18N +SELINUX\nAF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH\nHW:  +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI +HDLC/LAPB +EUI64 \n";

/// Address families route knows (the ones it can list tables for are inet/inet6).
const AFS: &[&str] = &[
    "inet", "inet6", "ax25", "netrom", "rose", "ipx", "ddp", "x25", "unix", "ec", "ash",
];

/// How route gives up: [`Display`](fmt::Display) is what net-tools prints
/// on stderr, [`Failure::status`] its exit status (route.c's `E_*` codes).
/// [`main`] prints it, after whatever route printed before.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Error {
    /// `Unknown address family `AF'.`; exit 1.
    UnknownAf(String),
    /// `Address family `AF' not supported.`; exit 1.
    AfNotSupported(String),
    /// usage(E_OPTERR): the usage text and the address families; exit 3.
    Usage,
    /// A complaint, if any, then the inet usage text; exit 3.
    InetUsage(Option<String>),
    /// The resolver failing on a name: `NAME: HERROR`; exit 6.
    Lookup(String, HostErr),
    /// The ioctl failing: `SIOCADDRT: STRERROR`; exit 7.
    Ioctl(&'static str, Errno),
}

impl Failure for Error {
    fn status(&self) -> i32 {
        match self {
            Error::UnknownAf(_) | Error::AfNotSupported(_) => 1,
            Error::Usage | Error::InetUsage(_) => E_OPTERR,
            Error::Lookup(..) => E_LOOKUP,
            Error::Ioctl(..) => E_SOCK,
        }
    }
}

impl Error {
    /// inet_usage(E_OPTERR) after `complaint`.
    fn inet_usage(complaint: impl Into<String>) -> Error {
        Error::InetUsage(Some(complaint.into()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::UnknownAf(af) => writeln!(f, "Unknown address family `{af}'."),
            Error::AfNotSupported(af) => writeln!(f, "Address family `{af}' not supported."),
            Error::Usage => write!(f, "{USAGE}{AF_LIST}"),
            Error::InetUsage(complaint) => {
                write!(f, "{}{INET_USAGE}", complaint.as_deref().unwrap_or(""))
            }
            Error::Lookup(name, h) => writeln!(f, "{name}: {}", h.text()),
            Error::Ioctl(op, e) => writeln!(f, "{op}: {}", e.strerror()),
        }
    }
}

/// inet_usage(E_OPTERR) without a complaint.
const INET_USAGE_ERR: Error = Error::InetUsage(None);

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let r = run(c, args);
    c.exit(r)
}

fn run(c: &mut Cmd, args: &[String]) -> Result<i32, Error> {
    // getopt_long("A:eCFhnN64Vv?") with -net/-host hidden from it, permuting.
    let (mut numeric, mut ext, mut cache, mut help) = (false, 0, false, false);
    let mut af: Option<String> = None;
    let mut operands: Vec<String> = Vec::new();
    let mut i = 0;
    let set_af = |af: &mut Option<String>, name: &str| -> Result<(), Error> {
        if !AFS.contains(&name) {
            return Err(Error::UnknownAf(name.into()));
        }
        *af = Some(name.to_string());
        Ok(())
    };
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if a == "-net" || a == "-host" {
            operands.push(format!("#{}", &a[1..]));
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            const LONGS: &[&str] = &[
                "extend", "verbose", "version", "numeric", "symbolic", "protocol", "cache", "fib",
                "help", "inet", "inet6", "ax25", "netrom", "rose", "ipx", "ddp", "x25", "unix",
                "ec", "ash",
            ];
            let hits: Vec<&&str> = LONGS.iter().filter(|l| l.starts_with(name)).collect();
            let l = match LONGS.iter().find(|l| **l == name).or(if hits.len() == 1 {
                Some(hits[0])
            } else {
                None
            }) {
                Some(l) => *l,
                None => {
                    c.eprint(&format!("route: unrecognized option '{a}'\n"));
                    help = true;
                    continue;
                }
            };
            match l {
                "extend" => ext += 1,
                "verbose" | "fib" | "symbolic" => {}
                "version" => {
                    c.print(VERSION);
                    return Ok(0);
                }
                "numeric" => numeric = true,
                "cache" => cache = true,
                "help" => help = true,
                "protocol" => {
                    let v = match val {
                        Some(v) => v,
                        None if i < args.len() => {
                            i += 1;
                            args[i - 1].clone()
                        }
                        None => {
                            c.eprint("route: option '--protocol' requires an argument\n");
                            help = true;
                            continue;
                        }
                    };
                    set_af(&mut af, &v)?;
                }
                other => set_af(&mut af, other)?,
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let ch = chars[j];
                j += 1;
                match ch {
                    'n' => numeric = true,
                    'N' | 'v' | 'F' => {}
                    'e' => ext += 1,
                    'C' => cache = true,
                    'h' | '?' => help = true,
                    '4' => af = Some("inet".into()),
                    '6' => af = Some("inet6".into()),
                    'V' => {
                        c.print(VERSION);
                        return Ok(0);
                    }
                    'A' => {
                        let v: String = if j < chars.len() {
                            let v = chars[j..].iter().collect();
                            j = chars.len();
                            v
                        } else if i < args.len() {
                            i += 1;
                            args[i - 1].clone()
                        } else {
                            c.eprint("route: option requires an argument -- 'A'\n");
                            help = true;
                            continue;
                        };
                        set_af(&mut af, &v)?;
                    }
                    other => {
                        c.eprint(&format!("route: invalid option -- '{other}'\n"));
                        help = true;
                    }
                }
            }
            continue;
        }
        operands.push(a.clone());
    }
    if help {
        // With an address family given, -h is that family's usage: on
        // stdout, the list of families on stderr.
        match af.as_deref() {
            None => {
                c.print(USAGE);
                c.eprint(AF_LIST);
            }
            Some("inet") => c.print(INET_USAGE),
            Some(other) => return Err(Error::AfNotSupported(other.into())),
        }
        return Ok(0);
    }
    let af = af.unwrap_or_else(|| "inet".into());
    if operands.is_empty() {
        match af.as_str() {
            "inet" if cache => c.print("Kernel IP routing cache\nSource          Destination     Gateway         Flags Metric Ref    Use Iface\n"),
            "inet" => return Ok(show(c, numeric, ext)),
            "inet6" => show6(c, cache),
            other => return Err(Error::AfNotSupported(other.into())),
        }
        return Ok(0);
    }
    let action = match operands[0].as_str() {
        "add" => Action::Add,
        "del" | "delete" => Action::Del,
        "flush" => Action::Flush,
        _ => return Err(Error::Usage),
    };
    if af != "inet" {
        return Err(Error::AfNotSupported(af));
    }
    let rest = &operands[1..];
    if action == Action::Flush {
        return Err(Error::inet_usage(
            "Flushing `inet' routing table not supported\n",
        ));
    }
    if cache {
        return Err(Error::inet_usage(
            "Modifying `inet' routing cache not supported\n",
        ));
    }
    if rest.is_empty() {
        c.print(INET_USAGE);
        return Ok(0);
    }
    setroute(c, action, rest)?;
    Ok(0)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Add,
    Del,
    Flush,
}

// ---- the listing -----------------------------------------------------------

/// One line of /proc/net/route.
struct ProcRoute {
    iface: String,
    dst: Ipv4Addr,
    gw: Ipv4Addr,
    flags: u32,
    metric: u32,
    mask: Ipv4Addr,
}

/// fib_route_seq_show(): the main table, in trie order, no broadcast/multicast.
/// None when the namespace has no main table yet (the file is then empty):
/// the kernel creates it with the first route of any table (the local table
/// aliases it), so a namespace that never had an address has none.
fn proc_net_route(c: &Cmd) -> Option<Vec<ProcRoute>> {
    let n = c.m.world.ns(c.ns);
    if n.fib().tables.is_empty() {
        return None;
    }
    let mut rs: Vec<&Route> = n
        .fib()
        .table(RT_TABLE_MAIN)
        .map(|t| t.iter().collect())
        .unwrap_or_default();
    sort_trie(&mut rs);
    Some(
        rs.into_iter()
            .filter(|r| !matches!(r.rtype, RouteType::Broadcast | RouteType::Multicast))
            .map(|r| {
                let mut flags = RTF_UP;
                if matches!(r.rtype, RouteType::Unreachable | RouteType::Prohibit) {
                    flags |= RTF_REJECT;
                }
                if r.gateway.is_some_and(|g| !g.is_unspecified()) {
                    flags |= RTF_GATEWAY;
                }
                if r.dst.len == 32 {
                    flags |= RTF_HOST;
                }
                ProcRoute {
                    iface: r
                        .dev
                        .and_then(|i| n.dev(i))
                        .map(|d| d.name.clone())
                        .unwrap_or_else(|| "*".into()),
                    dst: r.dst.addr,
                    gw: r.gateway.unwrap_or(Ipv4Addr::UNSPECIFIED),
                    flags,
                    metric: r.metric,
                    mask: r.dst.mask(),
                }
            })
            .collect(),
    )
}

/// The trie's order: by network, then the longer prefix first, then the
/// order inside one prefix (tos, priority, insertion).
fn sort_trie(rs: &mut [&Route]) {
    rs.sort_by(|a, b| {
        (u32::from(a.dst.addr), std::cmp::Reverse(a.dst.len))
            .cmp(&(u32::from(b.dst.addr), std::cmp::Reverse(b.dst.len)))
    });
}

fn trunc15(s: String) -> String {
    s.chars().take(15).collect()
}

/// The listing; its exit status (1 when there is no main table to read).
fn show(c: &mut Cmd, numeric: bool, ext: u32) -> i32 {
    let mut out = String::from("Kernel IP routing table\n");
    let ext = ext + 1;
    match ext {
        1 => out.push_str(
            "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n",
        ),
        2 => out.push_str(
            "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n",
        ),
        _ => out.push_str("Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt\n"),
    }
    let Some(routes) = proc_net_route(c) else {
        c.print(&out);
        return 1;
    };
    for r in routes {
        let host = r.flags & RTF_HOST != 0;
        let mask = u32::from(r.mask);
        let dst = if numeric {
            r.dst.to_string()
        } else if r.dst.is_unspecified() {
            if mask == 0 {
                "default".into()
            } else {
                "0.0.0.0".into()
            }
        } else {
            inet_rresolve(r.dst, host || u32::from(r.dst) & !mask != 0)
        };
        let gw = if numeric || r.gw.is_unspecified() {
            r.gw.to_string()
        } else {
            inet_rresolve(r.gw, true)
        };
        let (dst, gw, masks) = (trunc15(dst), trunc15(gw), r.mask.to_string());
        let mut flags = String::from("U");
        if r.flags & RTF_GATEWAY != 0 {
            flags.push('G');
        }
        let reject = r.flags & RTF_REJECT != 0;
        if reject {
            flags = "!".into();
        }
        if host {
            flags.push('H');
        }
        for (bit, l) in [
            (RTF_REINSTATE, 'R'),
            (RTF_DYNAMIC, 'D'),
            (RTF_MODIFIED, 'M'),
        ] {
            if r.flags & bit != 0 {
                flags.push(l);
            }
        }
        let metric = r.metric as i32;
        let line = match (ext, reject) {
            (1, true) => format!("{dst:<15} -               {masks:<15} {flags:<5} {metric:<6} -  {:7} -\n", 0),
            (1, false) => format!(
                "{dst:<15} {gw:<15} {masks:<15} {flags:<5} {metric:<6} {:<2} {:7} {}\n",
                0, 0, r.iface
            ),
            (2, true) => format!("{dst:<15} -               {masks:<15} {flags:<5}     - -          - -\n"),
            (2, false) => format!(
                "{dst:<15} {gw:<15} {masks:<15} {flags:<5} {:5} {:<5} {:6} {}\n",
                0, 0, 0, r.iface
            ),
            (_, true) => format!("{dst:<15} -               {masks:<15} {flags:<5} {metric:<6} -  {:7} -        -     -      -\n", 0),
            (_, false) => {
                let iface: String = r.iface.chars().take(6).collect();
                format!(
                    "{dst:<15} {gw:<15} {masks:<15} {flags:<5} {metric:<6} {:<3} {:6} {iface:<6}   {:<5} {:<6} {}\n",
                    0, 0, 0, 0, 0
                )
            }
        };
        out.push_str(&line);
    }
    c.print(&out);
    0
}

/// `route -6`: the IPv6 table as /proc/net/ipv6_route shows it for what the
/// simulated kernel has (link-local prefixes, ::1, multicast, the null
/// entries of the main and local tables).
fn show6(c: &mut Cmd, cache: bool) {
    let mut out = String::from(if cache {
        "Kernel IPv6 routing cache\n"
    } else {
        "Kernel IPv6 routing table\n"
    });
    out.push_str(
        "Destination                    Next Hop                   Flag Met Ref  Use If\n",
    );
    if cache {
        c.print(&out);
        return;
    }
    let n = c.m.world.ns(c.ns);
    let mut linklocal: Vec<String> = Vec::new();
    let mut has_lo6 = false;
    for a in n.addrs6() {
        let Some(d) = n.dev(a.ifindex) else { continue };
        if d.is_loopback() {
            has_lo6 |= a.addr.is_loopback();
        } else if a.addr.segments()[0] & 0xffc0 == 0xfe80 && !linklocal.contains(&d.name) {
            linklocal.push(d.name.clone());
        }
    }
    let line = |dst: &str, flags: &str, metric: i32, refc: u32, dev: &str| {
        format!(
            "{dst:<30} {:<26} {flags:<4} {metric:<3} {refc:<1} {:6} {dev}\n",
            "::", 0
        )
    };
    for d in &linklocal {
        out.push_str(&line("fe80::/64", "U", 256, 1, d));
    }
    out.push_str(&line("::/0", "!n", -1, 1, "lo"));
    if has_lo6 {
        out.push_str(&line("::1/128", "Un", 0, 2, "lo"));
    }
    for d in &linklocal {
        out.push_str(&line("ff00::/8", "U", 256, 2, d));
    }
    out.push_str(&line("::/0", "!n", -1, 1, "lo"));
    c.print(&out);
}

// ---- add / del --------------------------------------------------------------

/// INET_getnetmask() for `TARGET/LEN` (route: C's shift, mod 32 on x86).
fn target_mask(t: &str) -> Result<(String, Option<u32>), ()> {
    let Some((a, p)) = t.split_once('/') else {
        return Ok((t.to_string(), None));
    };
    let digits = p.trim_start();
    let (neg, digits) = match digits.as_bytes().first() {
        Some(b'-') => (true, &digits[1..]),
        Some(b'+') => (false, &digits[1..]),
        _ => (false, digits),
    };
    let (radix, body) = if digits.len() > 2
        && (digits.starts_with("0x") || digits.starts_with("0X"))
        && digits.as_bytes()[2].is_ascii_hexdigit()
    {
        (16, &digits[2..])
    } else if digits.starts_with('0') {
        (8, digits)
    } else {
        (10, digits)
    };
    let mut v: u64 = 0;
    for ch in body.chars() {
        match ch.to_digit(radix) {
            Some(d) => v = v.wrapping_mul(radix as u64).wrapping_add(d as u64),
            None => return Err(()),
        }
    }
    if body.is_empty() && !p.is_empty() {
        return Err(());
    }
    if neg {
        v = v.wrapping_neg();
    }
    let shift = (v as u32) & 31;
    Ok((a.to_string(), Some(!(u32::MAX >> shift))))
}

/// What INET_setroute() hands to the kernel in its struct rtentry.
struct RtEntry {
    dst: Ipv4Addr,
    genmask: u32,
    flags: u32,
    /// rt_metric: the metric + 1, 0 when none was given.
    metric: u32,
    gateway: Option<Ipv4Addr>,
    dev: Option<String>,
}

fn setroute(c: &mut Cmd, action: Action, args: &[String]) -> Result<(), Error> {
    let mut args = args.iter().map(|s| s.as_str()).peekable();
    let xflag = match args.peek() {
        Some(&"#net") => {
            args.next();
            1
        }
        Some(&"#host") => {
            args.next();
            2
        }
        _ => 0,
    };
    let target = args.next().ok_or(INET_USAGE_ERR)?;
    let (target, prefix_mask) = target_mask(target).map_err(|()| INET_USAGE_ERR)?;
    let mut netmask_text = match prefix_mask {
        Some(m) => format!("/{}", m.leading_ones()),
        None => "default".to_string(),
    };
    let (dst, isnet) =
        inet_resolve(&target, xflag == 2).map_err(|h| Error::Lookup(target.clone(), h))?;
    let isnet = match xflag {
        1 => true,
        2 => false,
        _ => isnet,
    };
    let mut rt = RtEntry {
        dst,
        genmask: prefix_mask.unwrap_or(0),
        flags: if isnet { RTF_UP } else { RTF_UP | RTF_HOST },
        metric: 0,
        gateway: None,
        dev: None,
    };
    let rest: Vec<&str> = args.collect();
    let mut k = 0;
    while k < rest.len() {
        let a = rest[k];
        k += 1;
        match a {
            "metric" => {
                let v = rest
                    .get(k)
                    .filter(|v| v.starts_with(|ch: char| ch.is_ascii_digit()))
                    .ok_or(INET_USAGE_ERR)?;
                k += 1;
                let d: String = v.chars().take_while(|ch| ch.is_ascii_digit()).collect();
                rt.metric = (d.parse::<u64>().unwrap_or(u64::MAX) as i32 as u32).wrapping_add(1);
            }
            "netmask" => {
                let v = rest.get(k).ok_or(INET_USAGE_ERR)?;
                if rt.genmask != 0 {
                    return Err(INET_USAGE_ERR);
                }
                k += 1;
                netmask_text = v.to_string();
                let (m, _) = inet_resolve(v, false).map_err(|h| Error::Lookup(v.to_string(), h))?;
                rt.genmask = u32::from(m);
            }
            "gw" | "gateway" => {
                let v = rest.get(k).ok_or(INET_USAGE_ERR)?;
                if rt.flags & RTF_GATEWAY != 0 {
                    return Err(INET_USAGE_ERR);
                }
                k += 1;
                match inet_resolve(v, true) {
                    Ok((_, true)) => {
                        return Err(Error::inet_usage(format!(
                            "route: {v}: cannot use a NETWORK as gateway!\n"
                        )))
                    }
                    Ok((g, false)) => rt.gateway = Some(g),
                    Err(h) => return Err(Error::Lookup(v.to_string(), h)),
                }
                rt.flags |= RTF_GATEWAY;
            }
            "mss" | "mtu" => {
                let v = rest.get(k).ok_or(INET_USAGE_ERR)?;
                k += 1;
                let m = crate_atoi(v);
                if !(64..=65536).contains(&m) {
                    return Err(Error::inet_usage("route: Invalid MSS/MTU.\n"));
                }
                // The simulated FIB keeps no advmss: accepted, not shown.
            }
            "window" => {
                let v = rest.get(k).ok_or(INET_USAGE_ERR)?;
                k += 1;
                if crate_atoi(v) < 128 {
                    return Err(Error::inet_usage("route: Invalid window.\n"));
                }
            }
            "irtt" => {
                rest.get(k).ok_or(INET_USAGE_ERR)?;
                k += 1;
            }
            "reject" => rt.flags |= RTF_REJECT,
            "mod" => rt.flags |= RTF_MODIFIED,
            "dyn" => rt.flags |= RTF_DYNAMIC,
            "reinstate" => rt.flags |= RTF_REINSTATE,
            "device" | "dev" => {
                let v = rest.get(k).ok_or(INET_USAGE_ERR)?;
                if rt.dev.is_some() {
                    return Err(INET_USAGE_ERR);
                }
                k += 1;
                rt.dev = Some(v.to_string());
            }
            other => {
                // Anything else is the device, and must come last.
                if rt.dev.is_some() {
                    return Err(INET_USAGE_ERR);
                }
                rt.dev = Some(other.to_string());
                if k < rest.len() {
                    return Err(INET_USAGE_ERR);
                }
            }
        }
    }
    if rt.flags & RTF_REJECT != 0 && rt.dev.is_none() {
        rt.dev = Some("lo".into());
    }
    if rt.genmask != 0 {
        let inv = !rt.genmask;
        if rt.flags & RTF_HOST != 0 && inv != 0xffff_ffff {
            return Err(Error::inet_usage(format!(
                "route: netmask {inv:08x} doesn't make sense with host route\n"
            )));
        }
        if inv & inv.wrapping_add(1) != 0 {
            return Err(Error::inet_usage(format!(
                "route: bogus netmask {netmask_text}\n"
            )));
        }
        if u32::from(rt.dst) & !rt.genmask != 0 {
            return Err(Error::inet_usage(
                "route: netmask doesn't match route address\n",
            ));
        }
    }
    if action == Action::Add && rt.flags & RTF_HOST != 0 {
        rt.genmask = 0xffff_ffff;
    }
    let (op, r) = match action {
        Action::Add => ("SIOCADDRT", siocaddrt(c, &rt)),
        _ => ("SIOCDELRT", siocdelrt(c, &rt)),
    };
    r.map_err(|e| Error::Ioctl(op, e))
}

fn crate_atoi(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let d: String = t.chars().take_while(|ch| ch.is_ascii_digit()).collect();
    let v = d.parse::<i64>().unwrap_or(0);
    if neg {
        -v
    } else {
        v
    }
}

/// The kernel's fib_config for an rtentry (rtentry_to_fib_config()).
struct FibConfig {
    dst: Prefix4,
    priority: u32,
    rtype: RouteType,
    /// None: RT_SCOPE_NOWHERE (any, for a delete).
    scope: Option<Scope>,
    oif: Option<u32>,
    prefsrc: Option<Ipv4Addr>,
    gw: Option<Ipv4Addr>,
}

fn to_fib_config(c: &Cmd, rt: &RtEntry, del: bool) -> Result<FibConfig, Errno> {
    let addr = u32::from(rt.dst);
    let plen = if rt.flags & RTF_HOST != 0 {
        32
    } else {
        if bad_mask(rt.genmask, addr) {
            return Err(Errno::EINVAL);
        }
        rt.genmask.leading_ones() as u8
    };
    let mut cfg = FibConfig {
        dst: Prefix4::new(rt.dst, plen),
        priority: rt.metric.saturating_sub(1),
        rtype: RouteType::Unicast,
        scope: None,
        oif: None,
        prefsrc: None,
        gw: None,
    };
    if rt.flags & RTF_REJECT != 0 {
        cfg.rtype = RouteType::Unreachable;
        cfg.scope = Some(Scope::Host);
        return Ok(cfg);
    }
    let n = c.m.world.ns(c.ns);
    if let Some(name) = &rt.dev {
        let name: String = name.chars().take(15).collect();
        let (devname, alias) = match name.find(':') {
            Some(p) => (&name[..p], true),
            None => (name.as_str(), false),
        };
        let i = n.ifindex_of(devname).ok_or(Errno::ENODEV)?;
        cfg.oif = Some(i);
        if alias {
            let a = n
                .addrs4_of(i)
                .find(|a| a.label == name)
                .ok_or(Errno::ENODEV)?;
            cfg.prefsrc = Some(a.local);
        }
    }
    if let Some(g) = rt.gateway.filter(|g| !g.is_unspecified()) {
        cfg.gw = Some(g);
        let unicast = !n.is_local4(g) && !g.is_broadcast() && !g.is_multicast();
        if rt.flags & RTF_GATEWAY != 0 && unicast {
            cfg.scope = Some(Scope::Universe);
        }
    }
    if del {
        return Ok(cfg);
    }
    if rt.flags & RTF_GATEWAY != 0 && cfg.gw.is_none() {
        return Err(Errno::EINVAL);
    }
    if cfg.scope.is_none() {
        cfg.scope = Some(Scope::Link);
    }
    Ok(cfg)
}

fn siocaddrt(c: &mut Cmd, rt: &RtEntry) -> Result<(), Errno> {
    let cfg = to_fib_config(c, rt, false)?;
    if cfg.rtype == RouteType::Unicast && cfg.oif.is_none() && cfg.gw.is_none() {
        return Err(Errno::ENODEV);
    }
    let route = Route {
        table: RT_TABLE_MAIN,
        dst: cfg.dst,
        tos: 0,
        rtype: cfg.rtype,
        proto: proto::BOOT,
        scope: cfg.scope.unwrap_or(Scope::Link),
        metric: cfg.priority,
        gateway: cfg.gw,
        dev: cfg.oif,
        prefsrc: cfg.prefsrc,
        onlink: false,
        mtu: None,
        nh: Default::default(),
        nhid: None,
    };
    // SIOCADDRT is a create without NLM_F_EXCL: before routes of equal
    // priority, refused only when identical.
    c.m.world
        .route_add(
            c.ns,
            route,
            vnet_core::ipv4::fib_frontend::RouteAdd::Prepend,
        )
        .map_err(|e| e.errno)
}

fn siocdelrt(c: &mut Cmd, rt: &RtEntry) -> Result<(), Errno> {
    let cfg = to_fib_config(c, rt, true)?;
    let ns = c.ns;
    let n = c.m.world.ns(ns);
    let Some(t) = n.fib().table(RT_TABLE_MAIN) else {
        return Err(Errno::ESRCH);
    };
    // fib_find_alias(): the first alias of the prefix with priority >= the
    // one asked; then the first from there that matches.
    let victim = t
        .routes_for(cfg.dst)
        .iter()
        .skip_while(|r| r.metric < cfg.priority)
        .find(|r| {
            r.rtype == cfg.rtype
                && cfg.scope.is_none_or(|s| s == r.scope)
                && cfg.prefsrc.is_none_or(|p| r.prefsrc == Some(p))
                && (cfg.priority == 0 || r.metric == cfg.priority)
                && cfg.oif.is_none_or(|o| r.dev == Some(o))
                && cfg.gw.is_none_or(|g| r.gateway == Some(g))
        })
        .cloned()
        .ok_or(Errno::ESRCH)?;
    // RouteMatch cannot say "no gateway": remove exactly the route chosen.
    c.m.world.route_del_exact(ns, &victim).map_err(|e| e.errno)
}
