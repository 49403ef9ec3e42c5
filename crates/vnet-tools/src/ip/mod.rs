//! `ip` (iproute2 6.1): global options, object dispatch, and the error
//! texts iproute2 prints. One submodule per object.

mod addr;
mod link;
pub(crate) use link::valid_ifname;

pub use link::flag_list;
mod neigh;
mod netns;
mod route;
mod tunnel;
mod tuntap;
mod vxlan;

use crate::Cmd;
use vnet_core::KernelError;

/// Global options (`ip [ OPTIONS ] OBJECT ...`).
#[derive(Clone, Default)]
pub struct Opts {
    pub brief: bool,
    pub oneline: bool,
    pub details: u8,
    pub stats: u8,
    pub json: bool,
    pub pretty: bool,
    /// `-all`: netns exec/delete over every named namespace.
    pub all: bool,
    pub family: Option<u8>,
}

const USAGE: &str = "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
";

/// `RTNETLINK answers: ...` or the extended ack, as iproute2 prints kernel errors; exit 2.
pub fn kernel_err(c: &mut Cmd, e: KernelError) -> i32 {
    match e.extack {
        Some(m) => c.eprint(&format!("Error: {m}.\n")),
        None => c.eprint(&format!("RTNETLINK answers: {}\n", e.errno.strerror())),
    }
    2
}

/// `Cannot find device "X"` (exit 1).
pub fn no_dev(c: &mut Cmd, name: &str) -> i32 {
    c.eprint(&format!("Cannot find device \"{name}\"\n"));
    1
}

/// The ifindex of the `dev` argument: iproute2's "Not enough information"
/// when it is missing, `Cannot find device` when it does not exist (both exit 1).
pub fn require_dev(c: &mut Cmd, dev: Option<&str>) -> Result<u32, i32> {
    let Some(name) = dev else {
        c.eprint("Not enough information: \"dev\" argument is required.\n");
        return Err(1);
    };
    c.m.world
        .ns(c.ns)
        .ifindex_of(name)
        .ok_or_else(|| no_dev(c, name))
}

/// iproute2's NEXT_ARG() running out of words: exit 255.
pub fn incomplete(c: &mut Cmd) -> i32 {
    c.eprint("Command line is not complete. Try option \"help\"\n");
    255
}

/// iproute2's `invarg()`: exit 255.
pub fn invarg(c: &mut Cmd, msg: &str, arg: &str) -> i32 {
    c.eprint(&format!("Error: argument \"{arg}\" is wrong: {msg}\n"));
    255
}

/// `duparg2()`.
pub fn garbage(c: &mut Cmd, key: &str, arg: &str) -> i32 {
    c.eprint(&format!(
        "Error: either \"{key}\" is duplicate, or \"{arg}\" is a garbage.\n"
    ));
    255
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') && args[i].len() > 1 {
        let a = args[i].trim_start_matches('-');
        let m = |w: &str| crate::args::matches(a, w);
        match a {
            "4" => o.family = Some(4),
            "6" => o.family = Some(6),
            "0" => o.family = Some(0),
            "br" | "brief" => o.brief = true,
            _ if a == "n" || m("netns") => {
                i += 1;
                let Some(name) = args.get(i) else {
                    c.eprint("No netns name specified\n");
                    return 255;
                };
                let Some(ns) = c.m.world.netns_by_name(name) else {
                    c.eprint(&format!(
                        "Cannot open network namespace \"{name}\": No such file or directory\n"
                    ));
                    return 255;
                };
                c.ns = ns;
            }
            _ if m("oneline") => o.oneline = true,
            _ if m("details") => o.details += 1,
            _ if m("statistics") || m("stats") => o.stats += 1,
            _ if m("json") => o.json = true,
            _ if m("pretty") => o.pretty = true,
            "a" | "all" => o.all = true,
            _ if m("color") || m("numeric") || m("resolve") || m("human-readable") || m("iec") => {}
            _ if m("family") => {
                i += 1;
                o.family = match args.get(i).map(|s| s.as_str()) {
                    Some("inet") => Some(4),
                    Some("inet6") => Some(6),
                    Some("link") => Some(0),
                    _ => None,
                };
            }
            _ if m("Version") || a == "V" => {
                c.print("ip utility, iproute2-6.1.0, libbpf 1.1.2\n");
                return 0;
            }
            _ if m("help") => {
                c.eprint(USAGE);
                return 255;
            }
            _ => {
                c.eprint(&format!(
                    "Option \"{}\" is unknown, try \"ip -help\".\n",
                    args[i]
                ));
                return 255;
            }
        }
        i += 1;
    }
    let rest = &args[i..];
    let Some(obj) = rest.first() else {
        c.eprint(USAGE);
        return 255;
    };
    let m = |w: &str| crate::args::matches(obj, w);
    let sub = &rest[1..];
    if m("link") {
        link::main(c, &o, sub)
    } else if m("address") {
        addr::main(c, &o, sub)
    } else if m("route") {
        route::main(c, &o, sub)
    } else if m("neighbour") || m("neighbor") || obj == "neigh" {
        neigh::main(c, &o, sub)
    } else if m("netns") {
        netns::main(c, &o, sub)
    } else if m("tunnel") || m("tunl") {
        tunnel::main(c, &o, sub)
    } else if m("tuntap") || obj == "tap" {
        tuntap::main(c, &o, sub)
    } else if m("help") {
        c.eprint(USAGE);
        255
    } else {
        c.eprint(&format!("Object \"{obj}\" is unknown, try \"ip help\".\n"));
        1
    }
}
