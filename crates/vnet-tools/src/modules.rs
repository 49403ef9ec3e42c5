//! Kernel modules (kmod 30, Debian 12): `modprobe`, `lsmod`, `modinfo`.
//!
//! The simulated kernel is "6.1.0-vnet"; its modules are the networking ones
//! the seeds and labs use, with the files, sizes and dependencies of a Debian
//! 12 amd64 kernel. `world.modules` lists the loaded ones, oldest first
//! (/proc/modules shows the newest first). Modules are also loaded on
//! demand, as request_module() does: creating a veth, bridge, dummy or
//! tun/tap device loads its module (the `ip` commands record that), and
//! whatever the namespaces hold is counted as loaded when these tools look.
//! A module is in use while a module that depends on it is loaded, while a
//! device of its kind exists (the kernel would delete them on removal; here
//! `modprobe -r` refuses instead), and tun for every open /dev/net/tun.

use crate::Cmd;
use vnet_core::dev::DevKind;

/// The release `uname -r` would print.
pub const KERNEL_RELEASE: &str = "6.1.0-vnet";

/// One module of the simulated kernel.
struct Module {
    name: &'static str,
    /// Path under /lib/modules/RELEASE/.
    file: &'static str,
    size: u64,
    depends: &'static [&'static str],
    /// (key, value) as modinfo prints them, after `filename`, before `depends`.
    info: &'static [(&'static str, &'static str)],
}

const GPL: (&str, &str) = ("license", "GPL");

const MODULES: &[Module] = &[
    Module {
        name: "tun",
        file: "kernel/drivers/net/tun.ko",
        size: 61440,
        depends: &[],
        info: &[
            ("alias", "devname:net/tun"),
            ("alias", "char-major-10-200"),
            GPL,
            (
                "author",
                "(C) 1999-2004 Max Krasnyansky <maxk@qualcomm.com>",
            ),
            ("description", "Universal TUN/TAP device driver"),
        ],
    },
    Module {
        name: "bridge",
        file: "kernel/net/bridge/bridge.ko",
        size: 311296,
        depends: &["stp", "llc"],
        info: &[
            ("alias", "rtnl-af-7"),
            ("alias", "rtnl-link-bridge"),
            ("version", "2.3"),
            GPL,
        ],
    },
    Module {
        name: "stp",
        file: "kernel/net/802/stp.ko",
        size: 16384,
        depends: &["llc"],
        info: &[GPL],
    },
    Module {
        name: "llc",
        file: "kernel/net/llc/llc.ko",
        size: 16384,
        depends: &[],
        info: &[
            ("description", "LLC IEEE 802.2 core support"),
            (
                "author",
                "Procom 1997, Jay Schullist 2001, Arnaldo C. Melo 2001-2003",
            ),
            GPL,
        ],
    },
    Module {
        name: "br_netfilter",
        file: "kernel/net/bridge/br_netfilter.ko",
        size: 32768,
        depends: &["bridge"],
        info: &[
            ("alias", "net-pf-7-proto-0-type-6"),
            ("description", "Linux ethernet netfilter firewall bridge"),
            GPL,
            ("author", "Bart De Schuymer <bdschuym@pandora.be>"),
            ("author", "Lennert Buytenhek <buytenh@gnu.org>"),
        ],
    },
    Module {
        name: "veth",
        file: "kernel/drivers/net/veth.ko",
        size: 36864,
        depends: &[],
        info: &[
            ("alias", "rtnl-link-veth"),
            ("license", "GPL v2"),
            ("description", "Virtual Ethernet Tunnel"),
        ],
    },
    Module {
        name: "dummy",
        file: "kernel/drivers/net/dummy.ko",
        size: 16384,
        depends: &[],
        info: &[
            ("alias", "rtnl-link-dummy"),
            (
                "description",
                "Dummy netdevice driver which discards all packets sent to it",
            ),
            GPL,
        ],
    },
    Module {
        name: "macvlan",
        file: "kernel/drivers/net/macvlan.ko",
        size: 32768,
        depends: &[],
        info: &[
            ("alias", "rtnl-link-macvlan"),
            ("description", "Driver for MAC address based VLANs"),
            ("author", "Patrick McHardy <kaber@trash.net>"),
            GPL,
        ],
    },
    Module {
        name: "8021q",
        file: "kernel/net/8021q/8021q.ko",
        size: 45056,
        depends: &["garp", "mrp"],
        info: &[("alias", "rtnl-link-vlan"), ("version", "1.8"), GPL],
    },
    Module {
        name: "garp",
        file: "kernel/net/802/garp.ko",
        size: 16384,
        depends: &["stp", "llc"],
        info: &[GPL],
    },
    Module {
        name: "mrp",
        file: "kernel/net/802/mrp.ko",
        size: 20480,
        depends: &[],
        info: &[GPL],
    },
    Module {
        name: "vxlan",
        file: "kernel/drivers/net/vxlan/vxlan.ko",
        size: 110592,
        depends: &["udp_tunnel", "ip6_udp_tunnel"],
        info: &[
            ("alias", "rtnl-link-vxlan"),
            ("author", "Stephen Hemminger <stephen@networkplumber.org>"),
            ("version", "0.1"),
            ("license", "GPL"),
        ],
    },
    Module {
        name: "udp_tunnel",
        file: "kernel/net/ipv4/udp_tunnel.ko",
        size: 28672,
        depends: &[],
        info: &[GPL],
    },
    Module {
        name: "ip6_udp_tunnel",
        file: "kernel/net/ipv6/ip6_udp_tunnel.ko",
        size: 16384,
        depends: &[],
        info: &[GPL],
    },
    Module {
        name: "bonding",
        file: "kernel/drivers/net/bonding/bonding.ko",
        size: 229376,
        depends: &["tls"],
        info: &[
            ("alias", "rtnl-link-bond"),
            ("author", "Thomas Davis, tadavis@lbl.gov and many others"),
            ("description", "Ethernet Channel Bonding Driver"),
            GPL,
        ],
    },
    Module {
        name: "tls",
        file: "kernel/net/tls/tls.ko",
        size: 139264,
        depends: &[],
        info: &[GPL],
    },
    Module {
        name: "ipip",
        file: "kernel/net/ipv4/ipip.ko",
        size: 20480,
        depends: &["ip_tunnel", "tunnel4"],
        info: &[("alias", "netdev-tunl0"), ("alias", "rtnl-link-ipip"), GPL],
    },
    Module {
        name: "tunnel4",
        file: "kernel/net/ipv4/tunnel4.ko",
        size: 16384,
        depends: &[],
        info: &[GPL],
    },
    Module {
        name: "ip_tunnel",
        file: "kernel/net/ipv4/ip_tunnel.ko",
        size: 36864,
        depends: &[],
        info: &[GPL],
    },
    Module {
        name: "ip_gre",
        file: "kernel/net/ipv4/ip_gre.ko",
        size: 32768,
        depends: &["ip_tunnel", "gre"],
        info: &[
            ("alias", "netdev-erspan0"),
            ("alias", "netdev-gretap0"),
            ("alias", "netdev-gre0"),
            ("alias", "rtnl-link-erspan"),
            ("alias", "rtnl-link-gretap"),
            ("alias", "rtnl-link-gre"),
            GPL,
        ],
    },
    Module {
        name: "gre",
        file: "kernel/net/ipv4/gre.ko",
        size: 16384,
        depends: &[],
        info: &[
            ("author", "D. Kozlov (xeb@mail.ru)"),
            ("description", "GRE over IPv4 demultiplexer driver"),
            GPL,
        ],
    },
    Module {
        name: "sit",
        file: "kernel/net/ipv6/sit.ko",
        size: 36864,
        depends: &["ip_tunnel", "tunnel4"],
        info: &[("alias", "netdev-sit0"), ("alias", "rtnl-link-sit"), GPL],
    },
    Module {
        name: "ip_vti",
        file: "kernel/net/ipv4/ip_vti.ko",
        size: 20480,
        depends: &["ip_tunnel", "tunnel4"],
        info: &[("alias", "netdev-ip_vti0"), ("alias", "rtnl-link-vti"), GPL],
    },
    Module {
        name: "x_tables",
        file: "kernel/net/netfilter/x_tables.ko",
        size: 57344,
        depends: &[],
        info: &[
            ("description", "{ip,ip6,arp,eb}_tables backend module"),
            ("author", "Harald Welte <laforge@netfilter.org>"),
            GPL,
        ],
    },
    Module {
        name: "ip_tables",
        file: "kernel/net/ipv4/netfilter/ip_tables.ko",
        size: 36864,
        depends: &["x_tables"],
        info: &[
            ("description", "IPv4 packet filter"),
            ("author", "Netfilter Core Team <coreteam@netfilter.org>"),
            GPL,
        ],
    },
    Module {
        name: "iptable_filter",
        file: "kernel/net/ipv4/netfilter/iptable_filter.ko",
        size: 16384,
        depends: &["ip_tables", "x_tables"],
        info: &[
            ("description", "iptables filter table"),
            ("author", "Netfilter Core Team <coreteam@netfilter.org>"),
            GPL,
        ],
    },
    Module {
        name: "iptable_nat",
        file: "kernel/net/ipv4/netfilter/iptable_nat.ko",
        size: 16384,
        depends: &["ip_tables", "nf_nat"],
        info: &[("description", "iptables legacy nat table"), GPL],
    },
    Module {
        name: "iptable_mangle",
        file: "kernel/net/ipv4/netfilter/iptable_mangle.ko",
        size: 16384,
        depends: &["ip_tables", "x_tables"],
        info: &[
            ("description", "iptables mangle table"),
            ("author", "Netfilter Core Team <coreteam@netfilter.org>"),
            GPL,
        ],
    },
    Module {
        name: "iptable_raw",
        file: "kernel/net/ipv4/netfilter/iptable_raw.ko",
        size: 16384,
        depends: &["ip_tables", "x_tables"],
        info: &[("description", "iptables legacy raw table"), GPL],
    },
    Module {
        name: "nf_conntrack",
        file: "kernel/net/netfilter/nf_conntrack.ko",
        size: 188416,
        depends: &["nf_defrag_ipv6", "nf_defrag_ipv4", "libcrc32c"],
        info: &[("description", "IPv4 and IPv6 connection tracking"), GPL],
    },
    Module {
        name: "nf_nat",
        file: "kernel/net/netfilter/nf_nat.ko",
        size: 57344,
        depends: &["nf_conntrack", "libcrc32c"],
        info: &[("description", "Network address translation core"), GPL],
    },
    Module {
        name: "nf_defrag_ipv4",
        file: "kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko",
        size: 16384,
        depends: &[],
        info: &[("description", "IPv4 defragmentation support"), GPL],
    },
    Module {
        name: "nf_defrag_ipv6",
        file: "kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko",
        size: 24576,
        depends: &[],
        info: &[("description", "IPv6 defragmentation support"), GPL],
    },
    Module {
        name: "libcrc32c",
        file: "kernel/lib/libcrc32c.ko",
        size: 16384,
        depends: &[],
        info: &[
            ("license", "GPL"),
            ("description", "CRC32c (Castagnoli) calculations"),
            ("author", "Clay Haapala <chaapala@cisco.com>"),
        ],
    },
    Module {
        name: "xt_conntrack",
        file: "kernel/net/netfilter/xt_conntrack.ko",
        size: 16384,
        depends: &["nf_conntrack", "x_tables"],
        info: &[
            ("alias", "ip6t_conntrack"),
            ("alias", "ipt_conntrack"),
            ("description", "Xtables: connection tracking state match"),
            ("license", "GPL"),
        ],
    },
    Module {
        name: "xt_MASQUERADE",
        file: "kernel/net/netfilter/xt_MASQUERADE.ko",
        size: 20480,
        depends: &["nf_nat", "x_tables"],
        info: &[
            ("alias", "ip6t_MASQUERADE"),
            ("alias", "ipt_MASQUERADE"),
            ("description", "Xtables: automatic-address SNAT"),
            GPL,
        ],
    },
    Module {
        name: "overlay",
        file: "kernel/fs/overlayfs/overlay.ko",
        size: 163840,
        depends: &[],
        info: &[
            ("alias", "fs-overlay"),
            GPL,
            ("description", "Overlay filesystem"),
            ("author", "Miklos Szeredi <miklos@szeredi.hu>"),
        ],
    },
];

/// kmod treats `-` and `_` in module names alike.
fn norm(name: &str) -> String {
    name.replace('-', "_")
}

/// A module by name or alias (kmod_module_new_from_lookup).
fn lookup(name: &str) -> Option<&'static Module> {
    let n = norm(name);
    MODULES.iter().find(|m| m.name == n).or_else(|| {
        MODULES
            .iter()
            .find(|m| m.info.iter().any(|(k, v)| *k == "alias" && *v == name))
    })
}

/// The module a recorded name stands for: a module, or a device kind that
/// request_module("rtnl-link-KIND") loaded (`ip link add ... type vlan`).
fn lookup_recorded(name: &str) -> Option<&'static Module> {
    lookup(name).or_else(|| {
        let alias = format!("rtnl-link-{name}");
        MODULES
            .iter()
            .find(|m| m.info.iter().any(|(k, v)| *k == "alias" && *v == alias))
    })
}

fn module(name: &str) -> &'static Module {
    MODULES
        .iter()
        .find(|m| m.name == name)
        .expect("known module")
}

/// Loads `m` after its dependencies (modprobe's order); returns what was inserted.
fn load(mods: &mut Vec<String>, m: &'static Module, inserted: &mut Vec<&'static Module>) {
    if mods.iter().any(|x| x == m.name) {
        return;
    }
    for d in m.depends {
        load(mods, module(d), inserted);
    }
    mods.push(m.name.to_string());
    inserted.push(m);
}

/// The modules the namespaces' devices need.
fn implied(c: &Cmd) -> Vec<&'static str> {
    let mut v = Vec::new();
    let w = &c.m.world;
    for ns in w.netns_iter() {
        if w.host_of(ns.id()) != w.cur_host() {
            continue;
        }
        for d in ns.devs().values() {
            let m = match d.kind {
                DevKind::Veth { .. } => "veth",
                DevKind::Bridge(_) => "bridge",
                DevKind::Tun { .. } => "tun",
                DevKind::Dummy => "dummy",
                DevKind::Vrf { .. } => "vrf",
                DevKind::Tunnel(ref t) => t.kind.module(),
                DevKind::Vxlan(_) => "vxlan",
                DevKind::Bond(_) => "bonding",
                // 8021q, macvlan, macvtap, ipvlan and ifb are not in the module table.
                DevKind::Loopback
                | DevKind::Ifb
                | DevKind::Nic { .. }
                | DevKind::Vlan(_)
                | DevKind::Macvlan(_)
                | DevKind::Ipvlan(_) => continue,
            };
            if !v.contains(&m) {
                v.push(m);
            }
        }
    }
    v
}

/// Brings `world.modules` up to date: modules recorded without their
/// dependencies get them (loaded just before), and what the devices need is
/// loaded. Unknown names stay as they are.
fn sync(c: &mut Cmd) {
    let recorded = c.m.world.modules().to_vec();
    let mut mods = Vec::new();
    let mut sink = Vec::new();
    for name in recorded {
        match lookup_recorded(&name) {
            Some(m) => load(&mut mods, m, &mut sink),
            None => {
                if !mods.contains(&name) {
                    mods.push(name)
                }
            }
        }
    }
    for name in implied(c) {
        load(&mut mods, module(name), &mut sink);
    }
    c.m.world.modules_record(mods);
}

/// The modules loaded that depend on `name`, in the order
/// /sys/module/NAME/holders lists them (kernfs: by name hash, then name).
fn holders(c: &Cmd, name: &str) -> Vec<String> {
    let mut v: Vec<String> =
        c.m.world
            .modules()
            .iter()
            .filter(|m| lookup(m).is_some_and(|x| x.depends.contains(&name)))
            .cloned()
            .collect();
    v.sort_by_key(|n| (kernfs_name_hash(n), n.clone()));
    v
}

/// kernfs_name_hash() for a name without namespace tag.
fn kernfs_name_hash(name: &str) -> u32 {
    let mut hash: u64 = 0;
    for b in name.bytes() {
        let ch = b as i8 as i64 as u64;
        hash = hash
            .wrapping_add(ch << 4)
            .wrapping_add(ch >> 4)
            .wrapping_mul(11);
    }
    // end_name_hash(): hash_long(hash, 32) on 64-bit.
    let mut h = (hash.wrapping_mul(0x61C8_8646_80B5_83EB) >> 32) as u32;
    h &= 0x7fff_ffff;
    if h < 2 {
        h += 2;
    }
    if h >= i32::MAX as u32 {
        h = i32::MAX as u32 - 1;
    }
    h
}

/// The module's reference count: its holders, devices of its kind (see the
/// module comment), and for tun each open /dev/net/tun.
fn refcnt(c: &Cmd, name: &str) -> (usize, bool) {
    let mut n = holders(c, name).len();
    let mut devices = false;
    for ns in c.m.world.netns_iter() {
        for d in ns.devs().values() {
            match (&d.kind, name) {
                (DevKind::Tun { attached, .. }, "tun") => {
                    n += *attached as usize;
                    devices = true;
                }
                (DevKind::Veth { .. }, "veth")
                | (DevKind::Bridge(_), "bridge")
                | (DevKind::Dummy, "dummy") => devices = true,
                _ => {}
            }
        }
    }
    (n, devices)
}

pub fn lsmod(c: &mut Cmd, a: &[String]) -> i32 {
    if !a.is_empty() {
        c.eprint("Usage: lsmod\n");
        return 1;
    }
    sync(c);
    let mut out = String::from("Module                  Size  Used by\n");
    let mods: Vec<String> = c.m.world.modules().iter().rev().cloned().collect();
    for name in mods {
        let size = lookup(&name).map(|m| m.size).unwrap_or(16384);
        let (n, _) = refcnt(c, &name);
        out.push_str(&format!("{name:<19} {size:>8}  {n}"));
        let hs = holders(c, &name);
        if !hs.is_empty() {
            out.push(' ');
            out.push_str(&hs.join(","));
        }
        out.push('\n');
    }
    c.print(&out);
    0
}

const MODPROBE_HELP: &str = "Usage:\n\tmodprobe [options] [-i] [-b] modulename\n\tmodprobe [options] -a [-i] [-b] modulename [modulename...]\n\tmodprobe [options] -r [-i] modulename\n\tmodprobe [options] -r -a [-i] modulename [modulename...]\n\tmodprobe [options] -c\n\tmodprobe [options] --dump-modversions filename\nManagement Options:\n\t-a, --all                   Consider every non-argument to\n\t                            be a module name to be inserted\n\t                            or removed (-r)\n\t-r, --remove                Remove modules instead of inserting\n\t    --remove-dependencies   Deprecated: use --remove-holders\n\t    --remove-holders        Also remove module holders (use together with -r)\n\t-w, --wait <MSEC>           When removing a module, wait up to MSEC for\n\t                            module's refcount to become 0 so it can be\n\t                            removed (use together with -r)\n\t    --first-time            Fail if module already inserted or removed\n\t-i, --ignore-install        Ignore install commands\n\t-i, --ignore-remove         Ignore remove commands\n\t-b, --use-blacklist         Apply blacklist to resolved alias.\n\t-f, --force                 Force module insertion or removal.\n\t                            implies --force-modversions and\n\t                            --force-vermagic\n\t    --force-modversion      Ignore module's version\n\t    --force-vermagic        Ignore module's version magic\n\nQuery Options:\n\t-R, --resolve-alias         Only lookup and print alias and exit\n\t-D, --show-depends          Only print module dependencies and exit\n\t-c, --showconfig            Print out known configuration and exit\n\t-c, --show-config           Same as --showconfig\n\t    --show-modversions      Dump module symbol version and exit\n\t    --dump-modversions      Same as --show-modversions\n\t    --show-exports          Only print module exported symbol versions and exit\n\nGeneral Options:\n\t-n, --dry-run               Do not execute operations, just print out\n\t-n, --show                  Same as --dry-run\n\t-C, --config=FILE           Use FILE instead of default search paths\n\t-d, --dirname=DIR           Use DIR as filesystem root for /lib/modules\n\t-S, --set-version=VERSION   Use VERSION instead of `uname -r`\n\t-s, --syslog                print to syslog, not stderr\n\t-q, --quiet                 disable messages\n\t-v, --verbose               enables more messages\n\t-V, --version               show version\n\t-h, --help                  show this help\n";

fn path_of(m: &Module) -> String {
    format!("/lib/modules/{KERNEL_RELEASE}/{}", m.file)
}

/// `modprobe`: a run that fails changes nothing (its bookkeeping of what
/// the existing devices imply is only kept with a success).
pub fn modprobe(c: &mut Cmd, a: &[String]) -> i32 {
    let before = c.m.world.modules().to_vec();
    let rc = modprobe_run(c, a);
    if rc != 0 {
        c.m.world.modules_record(before);
    } else {
        // Module init and exit: tunnel modules add or take their devices.
        c.m.world.modules_init();
    }
    rc
}

/// request_module(): loads the module a name or alias stands for (with its
/// dependencies), as the kernel does for `netdev-NAME` on an ioctl to a
/// missing device and `rtnl-link-KIND` on `ip link add ... type KIND`.
/// Returns whether such a module exists.
pub fn request_module(c: &mut Cmd, name: &str) -> bool {
    let Some(m) = lookup(name) else {
        return false;
    };
    sync(c);
    let mut mods = c.m.world.modules().to_vec();
    let mut sink = Vec::new();
    load(&mut mods, m, &mut sink);
    c.m.world.modules_record(mods);
    c.m.world.modules_init();
    true
}

fn modprobe_run(c: &mut Cmd, a: &[String]) -> i32 {
    let (mut remove, mut all, mut quiet, mut verbose, mut dry, mut first) =
        (false, false, false, false, false, false);
    let (mut show_depends, mut resolve) = (false, false);
    let mut names: Vec<String> = Vec::new();
    let mut i = 0;
    while i < a.len() {
        let arg = &a[i];
        i += 1;
        match arg.as_str() {
            "--" => {
                names.extend(a[i..].iter().cloned());
                break;
            }
            "--remove" => remove = true,
            "--all" => all = true,
            "--quiet" => quiet = true,
            "--verbose" => verbose = true,
            "--dry-run" | "--show" => dry = true,
            "--first-time" => first = true,
            "--show-depends" => show_depends = true,
            "--resolve-alias" => resolve = true,
            "--help" => {
                c.print(MODPROBE_HELP);
                return 0;
            }
            "--version" => {
                c.print("kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n");
                return 0;
            }
            s if s.starts_with("--") => {}
            s if s.len() > 1 && s.starts_with('-') => {
                for ch in s[1..].chars() {
                    match ch {
                        'r' => remove = true,
                        'a' => all = true,
                        'q' => quiet = true,
                        'v' => verbose = true,
                        'n' => dry = true,
                        'D' => show_depends = true,
                        'R' => resolve = true,
                        'i' | 'b' | 'f' | 's' => {}
                        'h' => {
                            c.print(MODPROBE_HELP);
                            return 0;
                        }
                        'V' => {
                            c.print("kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n");
                            return 0;
                        }
                        _ => {
                            c.eprint(&format!("modprobe: invalid option -- '{ch}'\n"));
                            c.eprint("modprobe: ERROR: unexpected getopt_long() value '?'.\n");
                            return 1;
                        }
                    }
                }
            }
            _ => names.push(arg.clone()),
        }
    }
    if names.is_empty() {
        c.eprint("modprobe: ERROR: missing parameters. See -h.\n");
        return 1;
    }
    // Without -a only the first name is a module; the rest are its parameters.
    if !all {
        names.truncate(1);
    }
    sync(c);
    let mut rc = 0;
    for name in names {
        let Some(m) = lookup(&name) else {
            if !quiet {
                if remove {
                    c.eprint(&format!("modprobe: FATAL: Module {name} not found.\n"));
                } else {
                    c.eprint(&format!(
                        "modprobe: FATAL: Module {name} not found in directory /lib/modules/{KERNEL_RELEASE}\n"
                    ));
                }
            }
            return 1;
        };
        if resolve {
            c.print(&format!("{}\n", m.name));
            continue;
        }
        if show_depends {
            let mut order = Vec::new();
            let mut tmp = Vec::new();
            load(&mut tmp, m, &mut order);
            for x in order {
                c.print(&format!("insmod {} \n", path_of(x)));
            }
            continue;
        }
        if remove {
            rc |= rmmod(c, m, first, quiet, verbose, dry);
            continue;
        }
        if c.m.world.modules().iter().any(|x| x == m.name) {
            if first {
                c.eprint(&format!(
                    "modprobe: ERROR: could not insert '{}': Module already in kernel\n",
                    m.name
                ));
                rc = 1;
            }
            continue;
        }
        let mut mods = c.m.world.modules().to_vec();
        let mut inserted = Vec::new();
        load(&mut mods, m, &mut inserted);
        if verbose || dry {
            for x in &inserted {
                c.print(&format!("insmod {} \n", path_of(x)));
            }
        }
        if !dry {
            c.m.world.modules_record(mods);
        }
    }
    rc
}

/// modprobe -r: the module, then its dependencies nobody needs any more.
fn rmmod(
    c: &mut Cmd,
    m: &'static Module,
    first: bool,
    quiet: bool,
    verbose: bool,
    dry: bool,
) -> i32 {
    if !c.m.world.modules().iter().any(|x| x == m.name) {
        if first {
            c.eprint(&format!(
                "modprobe: FATAL: Module {} is not in kernel.\n",
                m.name
            ));
            return 1;
        }
        return 0;
    }
    let (n, devices) = refcnt(c, m.name);
    if n > 0 || devices {
        if !quiet {
            c.eprint(&format!("modprobe: FATAL: Module {} is in use.\n", m.name));
        }
        return 1;
    }
    let mut queue = vec![m];
    let mut top = true;
    while let Some(x) = queue.pop() {
        if !c.m.world.modules().iter().any(|y| y == x.name) {
            continue;
        }
        if !top {
            let (n, devices) = refcnt(c, x.name);
            if n > 0 || devices {
                continue;
            }
        }
        top = false;
        if verbose || dry {
            c.print(&format!("rmmod {}\n", x.name));
        }
        if !dry {
            let mut mods = c.m.world.modules().to_vec();
            mods.retain(|y| y != x.name);
            c.m.world.modules_record(mods);
        }
        for d in x.depends.iter().rev() {
            queue.push(module(d));
        }
    }
    0
}

pub fn modinfo(c: &mut Cmd, a: &[String]) -> i32 {
    let mut field: Option<String> = None;
    let mut sep = '\n';
    let mut names = Vec::new();
    let mut i = 0;
    while i < a.len() {
        let arg = &a[i];
        i += 1;
        let take = |i: &mut usize| -> Option<String> {
            let v = a.get(*i).cloned();
            *i += 1;
            v
        };
        match arg.as_str() {
            "-a" | "--author" => field = Some("author".into()),
            "-d" | "--description" => field = Some("description".into()),
            "-l" | "--license" => field = Some("license".into()),
            "-p" | "--parameters" => field = Some("parm".into()),
            "-n" | "--filename" => field = Some("filename".into()),
            "-0" | "--null" => sep = '\0',
            "-m" | "--modname" => {}
            "-F" | "--field" | "-k" | "--set-version" | "-b" | "--basedir" => {
                let Some(v) = take(&mut i) else {
                    c.eprint(&format!(
                        "modinfo: option requires an argument -- '{}'\n",
                        arg.trim_start_matches('-')
                    ));
                    return 1;
                };
                if arg == "-F" || arg == "--field" {
                    field = Some(v);
                }
            }
            "-h" | "--help" => {
                c.print("Usage:\n\tmodinfo [options] <modulename|filename> [args]\nOptions:\n\t-a, --author                Print only 'author'\n\t-d, --description           Print only 'description'\n\t-l, --license               Print only 'license'\n\t-p, --parameters            Print only 'parm'\n\t-n, --filename              Print only 'filename'\n\t-0, --null                  Use \\0 instead of \\n\n\t-m, --modname               Handle argument as module name instead of alias or filename\n\t-F, --field=FIELD           Print only provided FIELD\n\t-k, --set-version=VERSION   Use VERSION instead of `uname -r`\n\t-b, --basedir=DIR           Use DIR as filesystem root for /lib/modules\n\t-V, --version               Show version\n\t-h, --help                  Show this help\n");
                return 0;
            }
            "-V" | "--version" => {
                c.print("kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n");
                return 0;
            }
            s if s.starts_with("-F") && s.len() > 2 => field = Some(s[2..].to_string()),
            s if s.starts_with("--field=") => field = Some(s[8..].to_string()),
            s if s.len() > 1 && s.starts_with('-') => {
                let ch = s.chars().nth(1).unwrap_or('-');
                c.eprint(&format!("modinfo: invalid option -- '{ch}'\n"));
                return 1;
            }
            _ => names.push(arg.clone()),
        }
    }
    if names.is_empty() {
        c.eprint("modinfo: ERROR: missing module or filename.\n");
        return 1;
    }
    let mut rc = 0;
    for name in names {
        let Some(m) = lookup(&name) else {
            c.eprint(&format!("modinfo: ERROR: Module {name} not found.\n"));
            rc = 1;
            continue;
        };
        let mut kv: Vec<(&str, String)> = vec![("filename", path_of(m))];
        kv.extend(m.info.iter().map(|(k, v)| (*k, v.to_string())));
        kv.push(("depends", m.depends.join(",")));
        kv.push(("retpoline", "Y".into()));
        kv.push(("intree", "Y".into()));
        kv.push(("name", m.name.into()));
        kv.push((
            "vermagic",
            format!("{KERNEL_RELEASE} SMP preempt mod_unload modversions "),
        ));
        let mut out = String::new();
        for (k, v) in kv {
            match &field {
                // The filename line keeps its layout even with -0.
                None if k == "filename" => out.push_str(&format!("{:<16}{v}{sep}", "filename:")),
                Some(f) if f == k => out.push_str(&format!("{v}{sep}")),
                Some(_) => {}
                None if sep == '\0' => out.push_str(&format!("{k}={v}\0")),
                None => out.push_str(&format!("{:<16}{v}{sep}", format!("{k}:"))),
            }
        }
        c.print(&out);
    }
    rc
}
