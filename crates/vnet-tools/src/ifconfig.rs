//! `ifconfig` (net-tools 2.10, Debian 12).
//!
//! Read this with net-tools' `ifconfig.c` and `lib/interface.c` at hand and
//! the kernel's `devinet_ioctl()`: ifconfig is a thin loop over its
//! arguments, each one becoming an ioctl (SIOCSIFADDR, SIOCSIFNETMASK,
//! SIOCSIFFLAGS, ...), and most of what people find surprising comes from
//! the kernel side of those ioctls:
//!
//! * an address is found by its *label*: `ifconfig eth0 ADDR` replaces the
//!   first address labelled `eth0` (deleting its secondaries with it), and
//!   `eth0:N` names the address labelled `eth0:N`;
//! * SIOCSIFADDR gives the classful netmask (10.x → /8) and, on broadcast
//!   devices, the broadcast `addr | ~mask`; a later SIOCSIFNETMASK moves the
//!   broadcast along only if it was the default one;
//! * `ADDR/LEN` computes `~(0xffffffff >> LEN)` in C, where a shift by 32 is
//!   a shift by 0 on x86: `/32` gives the netmask 0.0.0.0, as on the real tool;
//! * SIOCSIFFLAGS on an alias without IFF_UP deletes the alias' address.
//!
//! The listing walks /proc/net/dev and SIOCGIFCONF (address labels) into a
//! list kept sorted by net-tools' `nstrcmp`, which is why aliases sort the
//! way they do (`eth2`, `eth2:7`, `eth10`, `eth2:foo`).
//!
//! Also here, shared with `route`: name resolution the way net-tools' inet.c
//! does it, with the Debian 12 default /etc/hosts and /etc/networks.

use crate::Cmd;
use std::net::{Ipv4Addr, Ipv6Addr};
use vnet_core::addr::{Ifaddr4, Scope};
use vnet_core::dev::rtnetlink::LinkChange;
use vnet_core::dev::{iff, DevRef, Device};
use vnet_core::{Errno, Mac, NsId};

// ---- net-tools lib: resolver, usage lists ----------------------------------

/// The h_errno texts herror() prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HostErr {
    /// HOST_NOT_FOUND
    Unknown,
    /// TRY_AGAIN (the resolver could not reach a name server)
    LookupFailure,
}

impl HostErr {
    pub(crate) fn text(self) -> &'static str {
        match self {
            HostErr::Unknown => "Unknown host",
            HostErr::LookupFailure => "Host name lookup failure",
        }
    }
}

/// /etc/hosts of a fresh Debian 12 (the IPv4 part that resolves).
const HOSTS: &[(&str, Ipv4Addr)] = &[("localhost", Ipv4Addr::new(127, 0, 0, 1))];
/// /etc/networks of Debian 12.
const NETWORKS: &[(&str, Ipv4Addr)] = &[
    ("default", Ipv4Addr::new(0, 0, 0, 0)),
    ("loopback", Ipv4Addr::new(127, 0, 0, 0)),
    ("link-local", Ipv4Addr::new(169, 254, 0, 0)),
];

/// glibc inet_aton(): `a`, `a.b`, `a.b.c`, `a.b.c.d`, each part decimal,
/// octal (leading 0) or hex (0x); trailing white space ends the address.
pub(crate) fn inet_aton(s: &str) -> Option<Ipv4Addr> {
    let b = s.as_bytes();
    let mut parts: Vec<u64> = Vec::new();
    let mut i = 0;
    loop {
        if i >= b.len() || !b[i].is_ascii_digit() {
            return None;
        }
        let (v, n, _) = crate::args::strtoul0(&s[i..]);
        i += n;
        if i < b.len() && b[i] == b'.' {
            if parts.len() >= 3 || v > 0xff {
                return None;
            }
            parts.push(v);
            i += 1;
        } else {
            parts.push(v);
            break;
        }
    }
    if i < b.len() && !b[i].is_ascii_whitespace() {
        return None;
    }
    let last = *parts.last().unwrap();
    let max = [0xffff_ffffu64, 0xff_ffff, 0xffff, 0xff][parts.len() - 1];
    if last > max {
        return None;
    }
    let mut v: u32 = 0;
    for (k, p) in parts[..parts.len() - 1].iter().enumerate() {
        v |= (*p as u32) << (24 - 8 * k);
    }
    Some(Ipv4Addr::from(v | last as u32))
}

/// net-tools INET_resolve(): Ok((address, is_network)).
/// `hostfirst` is set where a host is expected (gateways, `-host` targets).
pub(crate) fn inet_resolve(name: &str, hostfirst: bool) -> Result<(Ipv4Addr, bool), HostErr> {
    if name == "default" {
        return Ok((Ipv4Addr::UNSPECIFIED, true));
    }
    if let Some(a) = inet_aton(name) {
        return Ok((a, false));
    }
    let host = HOSTS.iter().find(|(n, _)| *n == name).map(|(_, a)| *a);
    if hostfirst {
        if let Some(a) = host {
            return Ok((a, false));
        }
    }
    if let Some((_, a)) = NETWORKS.iter().find(|(n, _)| *n == name) {
        return Ok((*a, true));
    }
    if hostfirst {
        return Err(HostErr::Unknown);
    }
    if let Some(a) = host {
        return Ok((a, false));
    }
    // A name that looks numeric never reaches DNS; anything else does, and
    // the reference sandbox has no name server: TRY_AGAIN.
    if name.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        Err(HostErr::Unknown)
    } else {
        Err(HostErr::LookupFailure)
    }
}

/// net-tools INET_rresolve() without the numeric flag: names from /etc/hosts
/// for hosts, from /etc/networks for networks, else the dotted quad.
pub(crate) fn inet_rresolve(a: Ipv4Addr, is_host: bool) -> String {
    let name = if is_host {
        HOSTS.iter().find(|(_, x)| *x == a).map(|(n, _)| *n)
    } else {
        NETWORKS.iter().find(|(_, x)| *x == a).map(|(n, _)| *n)
    };
    name.map(|n| n.to_string()).unwrap_or_else(|| a.to_string())
}

/// print_hwlist(0) / print_aflist(0) as ifconfig's usage shows them (stderr).
const HW_LIST: &str = "    loop (Local Loopback) slip (Serial Line IP) cslip (VJ Serial Line IP) \n    slip6 (6-bit Serial Line IP) cslip6 (VJ 6-bit Serial Line IP) adaptive (Adaptive Serial Line IP) \n    ash (Ash) ether (Ethernet) ax25 (AMPR AX.25) \n    netrom (AMPR NET/ROM) rose (AMPR ROSE) tunnel (IPIP Tunnel) \n    ppp (Point-to-Point Protocol) hdlc ((Cisco)-HDLC) lapb (LAPB) \n    arcnet (ARCnet) dlci (Frame Relay DLCI) frad (Frame Relay Access Device) \n    sit (IPv6-in-IPv4) fddi (Fiber Distributed Data Interface) hippi (HIPPI) \n    irda (IrLAP) ec (Econet) x25 (generic X.25) \n    eui64 (Generic EUI-64) \n";
const AF_LIST: &str = "    unix (UNIX Domain) inet (DARPA Internet) inet6 (IPv6) \n    ax25 (AMPR AX.25) netrom (AMPR NET/ROM) rose (AMPR ROSE) \n    ipx (Novell IPX) ddp (Appletalk DDP) ec (Econet) \n    ash (Ash) x25 (CCITT X.25) \n";
const HW_NAMES: &[&str] = &[
    "loop", "slip", "cslip", "slip6", "cslip6", "adaptive", "ash", "ether", "ax25", "netrom",
    "rose", "tunnel", "ppp", "hdlc", "lapb", "arcnet", "dlci", "frad", "sit", "fddi", "hippi",
    "irda", "ec", "x25", "eui64", "unspec",
];
const AF_NAMES: &[&str] = &[
    "unix", "inet", "inet6", "ax25", "netrom", "rose", "ipx", "ddp", "ec", "ash", "x25",
];

const USAGE: &str = "Usage:\n  ifconfig [-a] [-v] [-s] <interface> [[<AF>] <address>]\n  [add <address>[/<prefixlen>]]\n  [del <address>[/<prefixlen>]]\n  [[-]broadcast [<address>]]  [[-]pointopoint [<address>]]\n  [netmask <address>]  [dstaddr <address>]  [tunnel <address>]\n  [outfill <NN>] [keepalive <NN>]\n  [hw <HW> <address>]  [mtu <NN>]\n  [[-]trailers]  [[-]arp]  [[-]allmulti]\n  [multicast]  [[-]promisc]\n  [mem_start <NN>]  [io_addr <NN>]  [irq <NN>]  [media <type>]\n  [txqueuelen <NN>]\n  [name <newname>]\n  [[-]dynamic]\n  [up|down] ...\n\n  <HW>=Hardware Type.\n  List of possible hardware types:\n";
const USAGE_AF: &str =
    "  <AF>=Address family. Default: inet\n  List of possible address families:\n";

/// E_OPTERR
const E_OPTERR: i32 = 3;

/// ifconfig's usage(rc): the text on stdout for --help, on stderr otherwise;
/// the lists always on stderr.
fn usage(c: &mut Cmd, rc: i32) -> i32 {
    if rc == 0 {
        c.print(USAGE);
        c.eprint(HW_LIST);
        c.print(USAGE_AF);
        c.eprint(AF_LIST);
    } else {
        c.eprint(USAGE);
        c.eprint(HW_LIST);
        c.eprint(USAGE_AF);
        c.eprint(AF_LIST);
    }
    rc
}

// ---- the kernel side: the ioctls ifconfig issues --------------------------

/// inet_abc_len(): the classful prefix length, -1 for multicast.
fn inet_abc_len(a: Ipv4Addr) -> i32 {
    let v = u32::from(a);
    if v == 0 || v == u32::MAX {
        return 0;
    }
    match v >> 28 {
        0..=7 => 8,
        8..=11 => 16,
        12..=13 => 24,
        14 => -1,
        _ => 32,
    }
}

fn mask_of(len: u8) -> u32 {
    vnet_core::types::mask(len)
}

/// bad_mask(): a netmask must be contiguous and cover `addr`'s host bits.
pub(crate) fn bad_mask(mask: u32, addr: u32) -> bool {
    let host = !mask;
    if addr & host != 0 {
        return true;
    }
    host & host.wrapping_add(1) != 0
}

/// The device part of an interface name (`eth0:1` → `eth0`), as dev_ioctl uses it.
fn dev_part(name: &str) -> &str {
    name.split(':').next().unwrap_or(name)
}

/// Flags as SIOCGIFFLAGS returns them: dev_get_flags() in a short.
fn dev_flags(c: &Cmd, ns: NsId, d: &Device) -> u32 {
    c.m.world.flags(DevRef {
        ns,
        ifindex: d.ifindex,
    }) & 0xffff
}

fn find_dev(c: &Cmd, name: &str) -> Result<u32, Errno> {
    c.m.world
        .ns(c.ns)
        .ifindex_of(dev_part(name))
        .ok_or(Errno::ENODEV)
}

/// The address an ioctl on `label` refers to: the first one carrying that label.
fn find_ifa(c: &Cmd, ifindex: u32, label: &str) -> Option<Ifaddr4> {
    c.m.world
        .ns(c.ns)
        .addrs4_of(ifindex)
        .find(|a| a.label == label)
        .cloned()
}

fn kerr(e: vnet_core::KernelError) -> Errno {
    e.errno
}

/// inet_del_ifa() of `ifa` (its secondaries go with a primary).
fn del_ifa(c: &mut Cmd, ifa: &Ifaddr4) {
    let ns = c.ns;
    let _ = c.m.world.addr_del(
        ns,
        ifa.ifindex,
        ifa.local,
        Some(ifa.prefix_len),
        Some(ifa.address),
    );
}

/// inet_insert_ifa(): an address without a local part is freed instead.
fn insert_ifa(c: &mut Cmd, mut ifa: Ifaddr4) -> Result<(), Errno> {
    if ifa.local.is_unspecified() {
        return Ok(());
    }
    ifa.secondary = false;
    let ns = c.ns;
    c.m.world.addr_add(ns, ifa).map_err(kerr)
}

fn siocgifflags(c: &Cmd, name: &str) -> Result<u32, Errno> {
    let i = find_dev(c, name)?;
    let d = c.m.world.ns(c.ns).dev(i).unwrap();
    Ok(dev_flags(c, c.ns, d))
}

/// SIOCSIFFLAGS through an inet socket (devinet_ioctl, then dev_change_flags).
fn siocsifflags(c: &mut Cmd, name: &str, flags: u32) -> Result<(), Errno> {
    let i = find_dev(c, name)?;
    if name.contains(':') {
        let ifa = find_ifa(c, i, name).ok_or(Errno::EADDRNOTAVAIL)?;
        if flags & iff::UP == 0 {
            del_ifa(c, &ifa);
        }
        return Ok(());
    }
    let ns = c.ns;
    let d = c.m.world.ns(ns).dev(i).unwrap();
    let cur = dev_flags(c, ns, d);
    if (flags ^ cur) & iff::PROMISC != 0 {
        c.m.world
            .link_set(ns, i, LinkChange::Promisc(flags & iff::PROMISC != 0))
            .map_err(kerr)?;
    }
    if (flags ^ cur) & iff::NOARP != 0 {
        c.m.world
            .link_set(ns, i, LinkChange::Arp(flags & iff::NOARP == 0))
            .map_err(kerr)?;
    }
    for (bit, ch) in [
        (
            iff::ALLMULTI,
            LinkChange::Allmulti as fn(bool) -> LinkChange,
        ),
        (iff::MULTICAST, LinkChange::Multicast),
        (iff::DYNAMIC, LinkChange::Dynamic),
    ] {
        if (flags ^ cur) & bit != 0 {
            c.m.world
                .link_set(ns, i, ch(flags & bit != 0))
                .map_err(kerr)?;
        }
    }
    if (flags ^ cur) & iff::UP != 0 {
        c.m.world
            .link_set(ns, i, LinkChange::Up(flags & iff::UP != 0))
            .map_err(kerr)?;
    }
    Ok(())
}

fn siocsifaddr(c: &mut Cmd, name: &str, addr: Ipv4Addr) -> Result<(), Errno> {
    let i = find_dev(c, name)?;
    let abc = inet_abc_len(addr);
    if abc < 0 {
        return Err(Errno::EINVAL);
    }
    let ns = c.ns;
    let dflags = {
        let d = c.m.world.ns(ns).dev(i).unwrap();
        dev_flags(c, ns, d)
    };
    let mut ifa = match find_ifa(c, i, name) {
        Some(old) => {
            if old.local == addr {
                return Ok(());
            }
            del_ifa(c, &old);
            let mut n = old;
            n.broadcast = None;
            n.scope = Scope::Universe;
            n
        }
        None => Ifaddr4 {
            ifindex: i,
            local: addr,
            address: addr,
            prefix_len: 32,
            broadcast: None,
            label: if name.contains(':') {
                name.to_string()
            } else {
                dev_part(name).to_string()
            },
            scope: Scope::Universe,
            secondary: false,
            noprefixroute: false,
            autojoin: false,
            metric: 0,
            valid_until: None,
            preferred_until: None,
        },
    };
    ifa.local = addr;
    ifa.address = addr;
    if dflags & iff::POINTOPOINT == 0 {
        ifa.prefix_len = abc as u8;
        if dflags & iff::BROADCAST != 0 && ifa.prefix_len < 31 {
            ifa.broadcast = Some(Ipv4Addr::from(u32::from(addr) | !mask_of(ifa.prefix_len)));
        }
    } else {
        ifa.prefix_len = 32;
    }
    if addr.is_loopback() {
        ifa.scope = Scope::Host;
    }
    insert_ifa(c, ifa)
}

fn bcast_u32(a: &Ifaddr4) -> u32 {
    a.broadcast.map(u32::from).unwrap_or(0)
}

fn siocsifnetmask(c: &mut Cmd, name: &str, mask: Ipv4Addr) -> Result<(), Errno> {
    let i = find_dev(c, name)?;
    let ifa = find_ifa(c, i, name).ok_or(Errno::EADDRNOTAVAIL)?;
    let m = u32::from(mask);
    if bad_mask(m, 0) {
        return Err(Errno::EINVAL);
    }
    let old_mask = mask_of(ifa.prefix_len);
    if old_mask == m {
        return Ok(());
    }
    let dflags = {
        let d = c.m.world.ns(c.ns).dev(i).unwrap();
        dev_flags(c, c.ns, d)
    };
    del_ifa(c, &ifa);
    let mut n = ifa;
    n.prefix_len = m.leading_ones() as u8;
    let local = u32::from(n.local);
    if dflags & iff::BROADCAST != 0 && n.prefix_len < 31 && bcast_u32(&n) == local | !old_mask {
        let b = local | !m;
        n.broadcast = (b != 0).then(|| Ipv4Addr::from(b));
    }
    insert_ifa(c, n)
}

fn siocsifbrdaddr(c: &mut Cmd, name: &str, b: Ipv4Addr) -> Result<(), Errno> {
    let i = find_dev(c, name)?;
    let ifa = find_ifa(c, i, name).ok_or(Errno::EADDRNOTAVAIL)?;
    if bcast_u32(&ifa) == u32::from(b) {
        return Ok(());
    }
    del_ifa(c, &ifa);
    let mut n = ifa;
    n.broadcast = (!b.is_unspecified()).then_some(b);
    insert_ifa(c, n)
}

fn siocsifdstaddr(c: &mut Cmd, name: &str, d: Ipv4Addr) -> Result<(), Errno> {
    let i = find_dev(c, name)?;
    let ifa = find_ifa(c, i, name).ok_or(Errno::EADDRNOTAVAIL)?;
    if ifa.address == d {
        return Ok(());
    }
    if inet_abc_len(d) < 0 {
        return Err(Errno::EINVAL);
    }
    del_ifa(c, &ifa);
    let mut n = ifa;
    n.address = d;
    insert_ifa(c, n)
}

// ---- the listing -----------------------------------------------------------

/// net-tools' nstrcmp(): like strcmp, but a trailing number compares by value
/// and a numeric `:N` alias suffix sorts after its device.
pub(crate) fn nstrcmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    fn cutalias(s: &str) -> (&str, Option<&str>) {
        let b = s.as_bytes();
        let mut digit = false;
        let mut pos = b.len();
        while pos > 0 {
            if b[pos - 1] == b':' && digit {
                return (&s[..pos - 1], Some(&s[pos..]));
            }
            if !b[pos - 1].is_ascii_digit() {
                break;
            }
            digit = true;
            pos -= 1;
        }
        (s, None)
    }
    fn rindex_nondigit(s: &str) -> usize {
        let b = s.as_bytes();
        let mut pos = b.len();
        while pos > 0 {
            if !b[pos - 1].is_ascii_digit() {
                return pos;
            }
            pos -= 1;
        }
        0
    }
    fn atoi(s: &str) -> i64 {
        let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        d.parse::<i64>()
            .unwrap_or(if d.is_empty() { 0 } else { i64::MAX })
    }
    let (a, aalias) = cutalias(a);
    let (b, balias) = cutalias(b);
    let (ai, bi) = (rindex_nondigit(a), rindex_nondigit(b));
    let n = ai.min(bi);
    let r = a.as_bytes()[..n].cmp(&b.as_bytes()[..n]);
    if r != Ordering::Equal {
        return r;
    }
    if ai != bi {
        return ai.cmp(&bi);
    }
    let r = atoi(&a[ai..]).cmp(&atoi(&b[bi..]));
    if r != Ordering::Equal {
        return r;
    }
    let r = a.as_bytes().cmp(b.as_bytes());
    if r != Ordering::Equal {
        return r;
    }
    let av = aalias.map(atoi).unwrap_or(-1);
    let bv = balias.map(atoi).unwrap_or(-1);
    if av != bv {
        return av.cmp(&bv);
    }
    match (aalias, balias) {
        (Some(x), Some(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ => Ordering::Equal,
    }
}

/// One entry of the interface cache: a name and whether /proc/net/dev had it.
struct Iface {
    name: String,
    stats: bool,
}

/// if_cache_add(): insertion into the sorted list, searching from its tail.
fn cache_add(list: &mut Vec<Iface>, name: &str, stats: bool) {
    let mut pos = list.len();
    while pos > 0 {
        match nstrcmp(&list[pos - 1].name, name) {
            std::cmp::Ordering::Equal => {
                list[pos - 1].stats |= stats;
                return;
            }
            std::cmp::Ordering::Less => break,
            std::cmp::Ordering::Greater => pos -= 1,
        }
    }
    list.insert(
        pos,
        Iface {
            name: name.to_string(),
            stats,
        },
    );
}

/// if_readlist(): /proc/net/dev (devices), then SIOCGIFCONF (address labels).
fn read_list(c: &Cmd) -> Vec<Iface> {
    let n = c.m.world.ns(c.ns);
    let mut list = Vec::new();
    for d in n.devs().values() {
        cache_add(&mut list, &d.name, true);
    }
    for d in n.devs().values() {
        for a in n.addrs4_of(d.ifindex) {
            cache_add(&mut list, &a.label, false);
        }
    }
    list
}

/// What if_fetch() learns about one interface name.
struct Fetched {
    flags: u32,
    dev: Device,
    ifa: Option<Ifaddr4>,
}

fn if_fetch(c: &Cmd, name: &str) -> Result<Fetched, Errno> {
    let i = find_dev(c, name)?;
    let n = c.m.world.ns(c.ns);
    let d = n.dev(i).unwrap();
    Ok(Fetched {
        flags: dev_flags(c, c.ns, d),
        dev: d.clone(),
        ifa: n.addrs4_of(i).find(|a| a.label == name).cloned(),
    })
}

/// do_if_fetch(): prints the error itself.
fn do_if_fetch(c: &mut Cmd, name: &str) -> Option<Fetched> {
    match if_fetch(c, name) {
        Ok(f) => Some(f),
        Err(e) => {
            let msg = if e == Errno::ENODEV {
                "Device not found"
            } else {
                e.strerror()
            };
            c.eprint(&format!(
                "{name}: error fetching interface information: {msg}\n"
            ));
            None
        }
    }
}

const FLAG_NAMES: &[(u32, &str)] = &[
    (iff::UP, "UP"),
    (iff::BROADCAST, "BROADCAST"),
    (0x4, "DEBUG"),
    (iff::LOOPBACK, "LOOPBACK"),
    (iff::POINTOPOINT, "POINTOPOINT"),
    (0x20, "NOTRAILERS"),
    (iff::RUNNING, "RUNNING"),
    (iff::NOARP, "NOARP"),
    (iff::PROMISC, "PROMISC"),
    (0x200, "ALLMULTI"),
    (iff::SLAVE, "SLAVE"),
    (iff::MASTER, "MASTER"),
    (iff::MULTICAST, "MULTICAST"),
    (0x8000, "DYNAMIC"),
];

const SHORT_FLAGS: &[(u32, &str)] = &[
    (0x200, "A"),
    (iff::BROADCAST, "B"),
    (0x4, "D"),
    (iff::LOOPBACK, "L"),
    (iff::MULTICAST, "M"),
    (0x8000, "d"),
    (iff::PROMISC, "P"),
    (0x20, "N"),
    (iff::NOARP, "O"),
    (iff::POINTOPOINT, "P"),
    (iff::SLAVE, "s"),
    (iff::MASTER, "m"),
    (iff::RUNNING, "R"),
    (iff::UP, "U"),
];

/// The byte count with ifconfig's unit: one decimal, truncated, 1024-based.
fn human(v: u64) -> String {
    let mut short = v.wrapping_mul(10);
    let unit = if v > 1_152_921_504_606_846_976 {
        short = v / 115_292_150_460_684_697;
        "EiB"
    } else if v > 1_125_899_906_842_624 {
        short /= 1_125_899_906_842_624;
        "PiB"
    } else if v > 1_099_511_627_776 {
        short /= 1_099_511_627_776;
        "TiB"
    } else if v > 1_073_741_824 {
        short /= 1_073_741_824;
        "GiB"
    } else if v > 1_048_576 {
        short /= 1_048_576;
        "MiB"
    } else if v > 1024 {
        short /= 1024;
        "KiB"
    } else {
        "B"
    };
    format!("{}.{} {}", short / 10, short % 10, unit)
}

/// The scope bits /proc/net/if_inet6 shows (ipv6_addr_scope()).
fn v6_scope(a: &Ipv6Addr) -> u32 {
    let s = a.segments();
    if a.is_loopback() {
        0x10
    } else if s[0] & 0xffc0 == 0xfe80 {
        0x20
    } else if s[0] & 0xffc0 == 0xfec0 {
        0x40
    } else {
        0
    }
}

fn print_long(c: &mut Cmd, name: &str, f: &Fetched, stats: bool) {
    // ifr_flags is a short: IFF_DYNAMIC (0x8000) makes it negative.
    let mut flags = format!("flags={}<", f.flags as u16 as i16);
    if f.flags == 0 {
        flags.push('>');
    }
    for (bit, n) in FLAG_NAMES {
        if f.flags & bit != 0 {
            flags.push_str(n);
            flags.push(',');
        }
    }
    if flags.ends_with(',') {
        flags.pop();
        flags.push('>');
    } else {
        flags.pop();
    }
    let mut s = format!("{name}: {flags}  mtu {}\n", f.dev.mtu);
    if let Some(a) = &f.ifa {
        s.push_str(&format!(
            "        inet {}  netmask {}",
            a.local,
            Ipv4Addr::from(mask_of(a.prefix_len))
        ));
        if f.flags & iff::BROADCAST != 0 {
            s.push_str(&format!(
                "  broadcast {}",
                a.broadcast.unwrap_or(Ipv4Addr::UNSPECIFIED)
            ));
        }
        if f.flags & iff::POINTOPOINT != 0 {
            s.push_str(&format!("  destination {}", a.address));
        }
        s.push('\n');
    }
    if name == f.dev.name {
        let v6: Vec<(Ipv6Addr, u8)> =
            c.m.world
                .ns(c.ns)
                .addrs6()
                .iter()
                .filter(|a| a.ifindex == f.dev.ifindex)
                .map(|a| (a.addr, a.prefix_len))
                .collect();
        for (a, plen) in v6 {
            let scope = v6_scope(&a);
            let sname = match scope {
                0 => "<global>",
                0x10 => "<host>",
                0x20 => "<link>",
                _ => "<site>",
            };
            s.push_str(&format!(
                "        inet6 {a}  prefixlen {plen}  scopeid 0x{scope:x}{sname}\n"
            ));
        }
    }
    let d = &f.dev;
    if d.is_loopback() {
        s.push_str(&format!(
            "        loop  txqueuelen {}  (Local Loopback)\n",
            d.txqlen
        ));
    } else if d.arphrd() == vnet_core::dev::arphrd::TUNNEL {
        // tunnel_hwtype prints an empty address.
        s.push_str(&format!(
            "        tunnel   txqueuelen {}  (IPIP Tunnel)\n",
            d.txqlen
        ));
    } else if d.arphrd() == vnet_core::dev::arphrd::SIT {
        s.push_str(&format!(
            "        sit  txqueuelen {}  (IPv6-in-IPv4)\n",
            d.txqlen
        ));
    } else if d.is_l3() {
        // No hardware type for it (tun, gre): UNSPEC, and the first 8 bytes
        // of SIOCGIFHWADDR (a gre device's address is its local IPv4 address).
        let mut hw = [0u8; 16];
        if let Some(t) = d.tunnel() {
            hw[..4].copy_from_slice(&t.p.saddr.octets());
        }
        let hw: Vec<String> = hw.iter().map(|b| format!("{b:02X}")).collect();
        s.push_str(&format!(
            "        unspec {}  txqueuelen {}  (UNSPEC)\n",
            hw.join("-"),
            d.txqlen
        ));
    } else {
        s.push_str(&format!(
            "        ether {}  txqueuelen {}  (Ethernet)\n",
            d.mac, d.txqlen
        ));
    }
    if stats {
        let st = &d.stats;
        s.push_str(&format!(
            "        RX packets {}  bytes {} ({})\n",
            st.rx_packets,
            st.rx_bytes,
            human(st.rx_bytes)
        ));
        s.push_str(&format!(
            "        RX errors {}  dropped {}  overruns 0  frame 0\n",
            st.rx_errors, st.rx_dropped
        ));
        s.push_str(&format!(
            "        TX packets {}  bytes {} ({})\n",
            st.tx_packets,
            st.tx_bytes,
            human(st.tx_bytes)
        ));
        s.push_str(&format!(
            "        TX errors {}  dropped {} overruns 0  carrier {}  collisions {}\n",
            st.tx_errors, st.tx_dropped, st.tx_carrier, st.collisions
        ));
    }
    s.push('\n');
    c.print(&s);
}

fn print_short(c: &mut Cmd, name: &str, f: &Fetched, stats: bool) {
    let short: String = name.chars().take(15).collect();
    let mut s = format!("{short:<15} {:5} ", f.dev.mtu);
    if stats {
        let st = &f.dev.stats;
        s.push_str(&format!(
            "{:8} {:6} {:6} {:<6} ",
            st.rx_packets, st.rx_errors, st.rx_dropped, 0
        ));
        s.push_str(&format!(
            "{:8} {:6} {:6} {:6} ",
            st.tx_packets, st.tx_errors, st.tx_dropped, 0
        ));
    } else {
        s.push_str(&format!("{:<56}", "     - no statistics available -"));
    }
    if f.flags == 0 {
        s.push_str("[NO FLAGS]");
    }
    for (bit, n) in SHORT_FLAGS {
        if f.flags & bit != 0 {
            s.push_str(n);
        }
    }
    s.push('\n');
    c.print(&s);
}

const SHORT_HEADER: &str =
    "Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n";

/// if_print(): every interface (up ones unless -a), or one.
fn if_print(c: &mut Cmd, one: Option<&str>, all: bool, short: bool) -> i32 {
    if short {
        c.print(SHORT_HEADER);
    }
    let print = |c: &mut Cmd, name: &str, f: &Fetched, stats: bool| {
        if short {
            print_short(c, name, f, stats)
        } else {
            print_long(c, name, f, stats)
        }
    };
    match one {
        Some(name) => {
            let stats = c.m.world.ns(c.ns).dev_by_name(name).is_some();
            match do_if_fetch(c, name) {
                Some(f) => {
                    print(c, name, &f, stats);
                    0
                }
                None => 1,
            }
        }
        None => {
            for i in read_list(c) {
                match do_if_fetch(c, &i.name) {
                    Some(f) => {
                        if f.flags & iff::UP != 0 || all {
                            print(c, &i.name, &f, i.stats);
                        }
                    }
                    None => return 1,
                }
            }
            0
        }
    }
}

// ---- changing things -------------------------------------------------------

/// set_flag(): read the flags, or them in, write them back.
fn set_flag(c: &mut Cmd, name: &str, flag: u32) -> i32 {
    let cur = match siocgifflags(c, name) {
        Ok(f) => f,
        Err(e) => {
            c.eprint(&format!(
                "{name}: ERROR while getting interface flags: {}\n",
                e.strerror()
            ));
            return -1;
        }
    };
    if let Err(e) = siocsifflags(c, name, cur | flag) {
        c.eprint(&format!("SIOCSIFFLAGS: {}\n", e.strerror()));
        return -1;
    }
    0
}

fn clr_flag(c: &mut Cmd, name: &str, flag: u32) -> i32 {
    let cur = match siocgifflags(c, name) {
        Ok(f) => f,
        Err(e) => {
            c.eprint(&format!(
                "{name}: ERROR while getting interface flags: {}\n",
                e.strerror()
            ));
            return -1;
        }
    };
    if let Err(e) = siocsifflags(c, name, cur & !flag) {
        c.eprint(&format!("SIOCSIFFLAGS: {}\n", e.strerror()));
        return -1;
    }
    0
}

fn test_flag(c: &mut Cmd, name: &str, flag: u32) -> i32 {
    match siocgifflags(c, name) {
        Ok(f) => (f & flag) as i32,
        Err(e) => {
            c.eprint(&format!(
                "{name}: ERROR while testing interface flags: {}\n",
                e.strerror()
            ));
            -1
        }
    }
}

/// INET_getnetmask(): `ADDR/LEN` → the address part and the netmask C computes.
/// Err(()) when LEN is not a number.
fn getnetmask(host: &str) -> Result<(String, Option<Ipv4Addr>), ()> {
    let Some((a, p)) = host.split_once('/') else {
        return Ok((host.to_string(), None));
    };
    let (v, n, _) = crate::args::strtoul0(p);
    // strtoul seeing no digits parsed nothing, from the start.
    if (n == 0 && !p.is_empty()) || (n > 0 && n != p.len()) {
        return Err(());
    }
    // `0xffffffffU >> prefix` on x86 shifts by prefix mod 32.
    let shift = (v as u32) & 31;
    Ok((a.to_string(), Some(Ipv4Addr::from(!(u32::MAX >> shift)))))
}

/// in_ether(): up to six hex pairs, ':' between them optional.
fn in_ether(s: &str) -> Option<Mac> {
    let b = s.as_bytes();
    let mut m = [0u8; 6];
    let mut i = 0;
    let mut k = 0;
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    while i < b.len() && k < 6 {
        let mut v = hex(b[i])?;
        i += 1;
        let c2 = b.get(i).copied().unwrap_or(0);
        if let Some(d) = hex(c2) {
            v = (v << 4) | d;
            i += 1;
        } else if c2 != b':' && c2 != 0 {
            return None;
        }
        m[k] = v;
        k += 1;
        if b.get(i) == Some(&b':') {
            i += 1;
        }
    }
    Some(Mac(m))
}

/// C atoi(): leading white space, a sign, digits; 0 when there are none.
fn atoi(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let d: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let v = d.parse::<i64>().unwrap_or(0) as i32 as i64;
    if neg {
        -v
    } else {
        v
    }
}

/// The scope of an IPv6 address as the kernel gives it to a new address.
fn v6_scope_enum(a: &Ipv6Addr) -> Scope {
    match v6_scope(a) {
        0x10 => Scope::Host,
        0x20 => Scope::Link,
        0x40 => Scope::Site,
        _ => Scope::Universe,
    }
}

/// `add`/`del`/`tunnel` with an IPv6 address: `ADDR[/LEN]`; None: bad LEN.
fn parse6(arg: &str) -> Option<(String, i64)> {
    match arg.split_once('/') {
        Some((a, l)) => {
            let p = atoi(l);
            (0..=128).contains(&p).then(|| (a.to_string(), p))
        }
        None => Some((arg.to_string(), 128)),
    }
}

/// set_ifstate(): `add`/`del` of an IPv4 address as an alias `PARENT:N`.
fn set_ifstate(c: &mut Cmd, parent: &str, ip: Ipv4Addr, nm: u32, bc: u32, up: bool) -> i32 {
    let mut searcher = [false; 256];
    // get_nmbc_parent()'s lookup left the parent in the interface cache,
    // even when it does not exist (its fetch then fails a second time).
    let mut list = read_list(c);
    cache_add(&mut list, parent, false);
    for i in list {
        let f = match do_if_fetch(c, &i.name) {
            Some(f) => f,
            None => continue,
        };
        if !i.name.starts_with(parent) {
            continue;
        }
        let Some(colon) = i.name.find(':') else {
            continue;
        };
        let z = &i.name[colon + 1..];
        if z.contains('-') {
            continue;
        }
        let n = atoi(z);
        if !(0..=255).contains(&n) {
            continue;
        }
        searcher[n as usize] = true;
        let dst = f
            .ifa
            .as_ref()
            .map(|a| a.address)
            .unwrap_or(Ipv4Addr::UNSPECIFIED);
        if dst != ip {
            continue;
        }
        return if up {
            set_flag(c, &i.name, iff::UP | iff::RUNNING)
        } else {
            clr_flag(c, &i.name, iff::UP)
        };
    }
    let Some(n) = searcher.iter().position(|s| !s) else {
        return -1;
    };
    let name = format!("{parent}:{n}");
    if siocsifaddr(c, &name, ip).is_err()
        || siocsifnetmask(c, &name, Ipv4Addr::from(nm)).is_err()
        || siocsifbrdaddr(c, &name, Ipv4Addr::from(bc)).is_err()
    {
        return -1;
    }
    set_flag(c, &name, iff::BROADCAST)
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let (mut opt_a, mut opt_s, mut opt_v) = (false, false, false);
    let mut args = args;
    while let Some(a) = args.first().filter(|a| a.starts_with('-')) {
        match a.as_str() {
            "-a" => opt_a = true,
            "-s" => opt_s = true,
            "-v" => opt_v = true,
            "-V" | "-version" | "--version" => {
                c.print("net-tools 2.10\n");
                return 0;
            }
            "-?" | "-h" | "-help" | "--help" => return usage(c, 0),
            _ => {
                c.eprint(&format!(
                    "ifconfig: option `{a}' not recognised.\nifconfig: `--help' gives usage information.\n"
                ));
                return 1;
            }
        }
        args = &args[1..];
    }
    if args.is_empty() {
        return if_print(c, None, opt_a, opt_s);
    }
    let mut name = args[0].clone();
    if name.len() >= 16 {
        c.eprint(&format!(
            "Warning: truncating interface name {name} length {} to 15\n",
            name.len()
        ));
        name = name.chars().take(15).collect();
    }
    let mut rest = &args[1..];
    if rest.is_empty() {
        return if_print(c, Some(&name), opt_a, opt_s);
    }
    let mut inet6 = false;
    if AF_NAMES.contains(&rest[0].as_str()) {
        inet6 = rest[0] == "inet6";
        rest = &rest[1..];
    }
    let name = name.as_str();
    let mut goterr: i32 = 0;
    let mut didnetmask = false;
    let mut neednetmask: Option<Ipv4Addr> = None;
    let mut k = 0;
    let next = |k: usize| rest.get(k).map(|s| s.as_str());
    while let Some(arg) = next(k) {
        k += 1;
        match arg {
            "arp" => goterr |= clr_flag(c, name, iff::NOARP),
            "-arp" => goterr |= set_flag(c, name, iff::NOARP),
            "allmulti" => goterr |= set_flag(c, name, iff::ALLMULTI),
            "-allmulti" => goterr |= clr_flag(c, name, iff::ALLMULTI),
            "multicast" => goterr |= set_flag(c, name, iff::MULTICAST),
            "-multicast" => goterr |= clr_flag(c, name, iff::MULTICAST),
            "dynamic" => goterr |= set_flag(c, name, iff::DYNAMIC),
            "-dynamic" => goterr |= clr_flag(c, name, iff::DYNAMIC),
            "trailers" | "-trailers" => {
                // Flags the simulated kernel does not keep: only the checks remain.
                if arg.starts_with('-') {
                    goterr |= clr_flag(c, name, 0);
                } else {
                    goterr |= set_flag(c, name, 0);
                }
            }
            "promisc" => goterr |= set_flag(c, name, iff::PROMISC),
            "-promisc" => {
                goterr |= clr_flag(c, name, iff::PROMISC);
                if test_flag(c, name, iff::PROMISC) > 0 {
                    c.eprint(&format!("Warning: Interface {name} still in promisc mode... maybe other application is running?\n"));
                }
            }
            "up" => goterr |= set_flag(c, name, iff::UP | iff::RUNNING),
            "down" => goterr |= clr_flag(c, name, iff::UP),
            "media" | "port" => {
                let Some(v) = next(k) else {
                    return usage(c, E_OPTERR);
                };
                k += 1;
                if v.eq_ignore_ascii_case("auto") {
                    goterr |= set_flag(c, name, 0);
                } else if let Err(e) = find_dev(c, name) {
                    c.eprint(&format!("port: SIOCGIFMAP: {}\n", e.strerror()));
                    goterr = 1;
                } else {
                    c.eprint("port: SIOCSIFMAP: Operation not supported\n");
                    goterr = 1;
                }
            }
            "mtu" => {
                let Some(v) = next(k) else {
                    return usage(c, E_OPTERR);
                };
                k += 1;
                let mtu = atoi(v);
                let r = match find_dev(c, name) {
                    Err(e) => Err(e),
                    Ok(_) if mtu < 0 => Err(Errno::EINVAL),
                    Ok(i) => {
                        let ns = c.ns;
                        c.m.world
                            .link_set(ns, i, LinkChange::Mtu(mtu as u32))
                            .map_err(kerr)
                    }
                };
                if let Err(e) = r {
                    c.eprint(&format!("SIOCSIFMTU: {}\n", e.strerror()));
                    goterr = 1;
                }
            }
            "keepalive" | "outfill" => {
                if next(k).is_none() {
                    return usage(c, E_OPTERR);
                }
                k += 1;
                let e = find_dev(c, name).err().unwrap_or(Errno::EOPNOTSUPP);
                let op = if arg == "keepalive" {
                    "SIOCSKEEPALIVE"
                } else {
                    "SIOCSOUTFILL"
                };
                c.eprint(&format!("{op}: {}\n", e.strerror()));
                goterr = 1;
            }
            "-broadcast" => {
                goterr |= clr_flag(c, name, iff::BROADCAST);
                if test_flag(c, name, iff::BROADCAST) > 0 {
                    c.eprint(&format!(
                        "Warning: Interface {name} still in BROADCAST mode.\n"
                    ));
                }
            }
            "broadcast" => {
                if let Some(v) = next(k) {
                    k += 1;
                    match inet_resolve(v, false) {
                        Err(h) => {
                            c.eprint(&format!("{v}: {}\n", h.text()));
                            goterr = 1;
                            continue;
                        }
                        Ok((a, _)) => {
                            if let Err(e) = siocsifbrdaddr(c, name, a) {
                                c.eprint(&format!("SIOCSIFBRDADDR: {}\n", e.strerror()));
                                goterr = 1;
                            }
                        }
                    }
                }
                goterr |= set_flag(c, name, iff::BROADCAST);
            }
            "dstaddr" => {
                let Some(v) = next(k) else {
                    return usage(c, E_OPTERR);
                };
                k += 1;
                match inet_resolve(v, false) {
                    Err(h) => {
                        c.eprint(&format!("{v}: {}\n", h.text()));
                        goterr = 1;
                    }
                    Ok((a, _)) => {
                        if let Err(e) = siocsifdstaddr(c, name, a) {
                            c.eprint(&format!("SIOCSIFDSTADDR: {}\n", e.strerror()));
                            goterr = 1;
                        }
                    }
                }
            }
            "netmask" => {
                let Some(v) = next(k) else {
                    return usage(c, E_OPTERR);
                };
                if didnetmask {
                    return usage(c, E_OPTERR);
                }
                k += 1;
                match inet_resolve(v, false) {
                    Err(h) => {
                        c.eprint(&format!("{v}: {}\n", h.text()));
                        goterr = 1;
                    }
                    Ok((m, _)) => {
                        didnetmask = true;
                        if let Err(e) = siocsifnetmask(c, name, m) {
                            c.eprint(&format!("SIOCSIFNETMASK: {}\n", e.strerror()));
                            goterr |= 1;
                        }
                    }
                }
            }
            "txqueuelen" => {
                let Some(v) = next(k) else {
                    return usage(c, E_OPTERR);
                };
                k += 1;
                let (q, _, _) = crate::args::strtoul0(v);
                let r = find_dev(c, name).and_then(|i| {
                    let ns = c.ns;
                    c.m.world
                        .link_set(ns, i, LinkChange::TxQueueLen(q as u32))
                        .map_err(kerr)
                });
                if let Err(e) = r {
                    c.eprint(&format!("SIOCSIFTXQLEN: {}\n", e.strerror()));
                    goterr = 1;
                }
            }
            "name" => {
                let Some(v) = next(k) else {
                    return usage(c, E_OPTERR);
                };
                k += 1;
                let newname: String = v.chars().take(15).collect();
                let r = find_dev(c, name).and_then(|i| {
                    let ns = c.ns;
                    c.m.world
                        .link_set(ns, i, LinkChange::Name(newname))
                        .map_err(kerr)
                });
                if let Err(e) = r {
                    c.eprint(&format!("SIOCSIFNAME: {}\n", e.strerror()));
                    goterr = 1;
                }
            }
            "mem_start" | "io_addr" | "irq" => {
                if next(k).is_none() {
                    return usage(c, E_OPTERR);
                }
                k += 1;
                match find_dev(c, name) {
                    Err(e) => c.eprint(&format!("{arg}: SIOCGIFMAP: {}\n", e.strerror())),
                    Ok(_) => c.eprint(&format!("{arg}: SIOCSIFMAP: Operation not supported\n")),
                }
                goterr = 1;
            }
            "-pointopoint" | "-pointtopoint" => {
                goterr |= clr_flag(c, name, iff::POINTOPOINT);
                if test_flag(c, name, iff::POINTOPOINT) > 0 {
                    c.eprint(&format!(
                        "Warning: Interface {name} still in POINTOPOINT mode.\n"
                    ));
                }
            }
            "pointopoint" | "pointtopoint" => {
                if let Some(v) = next(k) {
                    k += 1;
                    match inet_resolve(v, false) {
                        Ok((a, false)) => {
                            if let Err(e) = siocsifdstaddr(c, name, a) {
                                c.eprint(&format!("SIOCSIFDSTADDR: {}\n", e.strerror()));
                                goterr = 1;
                            }
                        }
                        r => {
                            // INET_resolve() returning 1 (a network) fails here too.
                            let h = r.err().unwrap_or(HostErr::Unknown);
                            c.eprint(&format!("{v}: {}\n", h.text()));
                            goterr = 1;
                            continue;
                        }
                    }
                }
                goterr |= set_flag(c, name, iff::POINTOPOINT);
            }
            "hw" => {
                let Some(t) = next(k) else {
                    return usage(c, E_OPTERR);
                };
                if !HW_NAMES.contains(&t) {
                    return usage(c, E_OPTERR);
                }
                if t == "loop" || t == "unspec" {
                    c.eprint(&format!(
                        "hw address type `{t}' has no handler to set address. failed.\n"
                    ));
                    k += 2;
                    goterr = 1;
                    continue;
                }
                k += 1;
                let Some(v) = next(k) else {
                    return usage(c, E_OPTERR);
                };
                k += 1;
                let mac = if t == "ether" { in_ether(v) } else { None };
                let Some(mac) = mac else {
                    c.eprint(&format!("{v}: invalid {t} address.\n"));
                    goterr = 1;
                    continue;
                };
                let r = find_dev(c, name).and_then(|i| {
                    let ns = c.ns;
                    let d = c.m.world.ns(ns).dev(i).unwrap();
                    // dev_set_mac_address(): a tun has no ndo_set_mac_address,
                    // loopback has one but is not ARPHRD_ETHER.
                    if d.is_l3() {
                        return Err(Errno::EOPNOTSUPP);
                    }
                    if !d.is_ether() {
                        return Err(Errno::EINVAL);
                    }
                    if mac == Mac::ZERO || mac.is_multicast() {
                        return Err(Errno::EADDRNOTAVAIL);
                    }
                    c.m.world
                        .link_set(ns, i, LinkChange::Address(mac))
                        .map_err(kerr)
                });
                if let Err(e) = r {
                    if e == Errno::EBUSY {
                        c.eprint(&format!(
                            "SIOCSIFHWADDR: {} - you may need to down the interface\n",
                            e.strerror()
                        ));
                    } else {
                        c.eprint(&format!("SIOCSIFHWADDR: {}\n", e.strerror()));
                    }
                    goterr = 1;
                }
            }
            "add" | "del" | "tunnel" => {
                let Some(v) = next(k) else {
                    return usage(c, E_OPTERR);
                };
                k += 1;
                if v.contains(':') || arg == "tunnel" {
                    let Some((host, plen)) = parse6(v) else {
                        return usage(c, E_OPTERR);
                    };
                    let Ok(a6) = host.parse::<Ipv6Addr>() else {
                        c.eprint(&format!("{host}: Unknown host\n"));
                        goterr = 1;
                        continue;
                    };
                    let Ok(i) = find_dev(c, name) else {
                        c.eprint("SIOGIFINDEX: No such device\n");
                        goterr = 1;
                        continue;
                    };
                    let ns = c.ns;
                    let r = match arg {
                        "add" => {
                            c.m.world
                                .addr6_add(ns, i, a6, plen as u8, v6_scope_enum(&a6), false)
                                .map_err(kerr)
                        }
                        "del" => c.m.world.addr6_del(ns, i, a6).map_err(kerr),
                        _ => Err(Errno::EOPNOTSUPP),
                    };
                    if let Err(e) = r {
                        let op = match arg {
                            "add" => "SIOCSIFADDR",
                            "del" => "SIOCDIFADDR",
                            _ => "SIOCSIFDSTADDR",
                        };
                        c.eprint(&format!("{op}: {}\n", e.strerror()));
                        goterr = 1;
                    }
                    continue;
                }
                // The IPv4 form of add/del reads the address with inet_aton()
                // alone: no resolver, and no prefix length.
                let Some(ip) = inet_aton(v) else {
                    c.eprint(&format!("{v}: Unknown host\n"));
                    goterr = 1;
                    continue;
                };
                // get_nmbc_parent(): the parent's netmask and broadcast.
                // When the parent cannot be fetched, net-tools reports it and
                // carries on with a zero netmask; set_ifstate()'s result is ignored.
                let (nm, bc) = do_if_fetch(c, name)
                    .and_then(|f| f.ifa)
                    .map(|a| (mask_of(a.prefix_len), bcast_u32(&a)))
                    .unwrap_or((0, 0));
                set_ifstate(c, name, ip, nm, bc, arg == "add");
            }
            _ => {
                // The address itself.
                let host = match getnetmask(arg) {
                    Err(()) => return usage(c, E_OPTERR),
                    Ok((h, Some(m))) => {
                        if inet6 {
                            return usage(c, E_OPTERR);
                        }
                        if didnetmask {
                            return usage(c, E_OPTERR);
                        }
                        neednetmask = Some(m);
                        h
                    }
                    Ok((h, None)) => h,
                };
                if inet6 {
                    if host.parse::<Ipv6Addr>().is_err() {
                        c.eprint(&format!("{host}: Unknown host\n"));
                        c.eprint("ifconfig: `--help' gives usage information.\n");
                        return 1;
                    }
                    c.eprint("Don't know how to set addresses for family 10.\n");
                    return 1;
                }
                let addr = match inet_resolve(&host, false) {
                    Ok((a, _)) => a,
                    Err(h) => {
                        c.eprint(&format!("{host}: {}\n", h.text()));
                        c.eprint("ifconfig: `--help' gives usage information.\n");
                        return 1;
                    }
                };
                if let Err(e) = siocsifaddr(c, name, addr) {
                    c.eprint(&format!("SIOCSIFADDR: {}\n", e.strerror()));
                    goterr = 1;
                }
                let colon = name.contains(':');
                let bring_up = !(colon && (name.ends_with('-') || addr.is_unspecified()));
                if bring_up {
                    goterr |= set_flag(c, name, iff::UP | iff::RUNNING);
                }
            }
        }
    }
    if let Some(m) = neednetmask {
        if let Err(e) = siocsifnetmask(c, name, m) {
            c.eprint(&format!("SIOCSIFNETMASK: {}\n", e.strerror()));
            goterr |= 1;
        }
    }
    if opt_v && goterr != 0 {
        c.eprint(&format!(
            "WARNING: at least one error occured. ({goterr})\n"
        ));
    }
    goterr & 0xff
}

#[cfg(test)]
mod tests {
    use super::human;

    /// The RX/TX byte counts with their unit, as recorded: 516 bytes, 6168
    /// bytes after `ping -c 3 -s 1000` on lo, 2407848 after 30 pings of 40000.
    #[test]
    fn byte_counters_print_with_binary_units() {
        for (bytes, shown) in [
            (0u64, "0.0 B"),
            (516, "516.0 B"),
            (950, "950.0 B"),
            (1024, "1024.0 B"),
            (2420, "2.3 KiB"),
            (6168, "6.0 KiB"),
            (2407848, "2.2 MiB"),
            (5_000_000_000, "4.6 GiB"),
        ] {
            assert_eq!(human(bytes), shown, "{bytes}");
        }
    }
}
