//! `ip` (iproute2 6.1): global options, object dispatch, and the error
//! texts iproute2 prints. One submodule per object.

mod addr;
mod batch;
pub(crate) mod bond;
mod bridge_opts;
mod dump;
mod group;
mod link;
pub(crate) mod link_br_vlan;
mod maddr;

pub use link::{flag_list, flag_names};
mod monitor;
mod neigh;
mod netns;
mod nexthop;
mod route;
mod route_multipath;
mod rule;
mod stacked;
mod tunnel;
mod tuntap;
mod vrf;
mod vxlan;

use crate::{Cmd, Failure};
use std::fmt;
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

/// How an `ip` command fails: [`Display`](fmt::Display) is exactly what
/// iproute2 prints on stderr, [`Failure::status`] its exit status. The status
/// follows from how iproute2 gives up: `exit(-1)` on a command line it
/// cannot use (255), a command returning -1 (1), or the kernel answering a
/// request with an error (2). The message is printed in one place, by
/// [`main`], after whatever the command printed before it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The kernel refused: `RTNETLINK answers: STRERROR`, or `Error: MSG.`
    /// with an extended ack; exit 2.
    Kernel(KernelError),
    /// A dump or flush the kernel refused: its error, then `WHAT terminated`; exit 2.
    Terminated(KernelError, &'static str),
    /// `Cannot find device "DEV"`; exit 1.
    NoDev(String),
    /// `Device "DEV" does not exist.`; exit 1.
    DevNotExist(String),
    /// `Not enough information: "dev" argument is required.`; exit 1.
    NeedDev,
    /// `No netns name specified`; exit 1.
    NoNetnsName,
    /// `Cannot open network namespace "NAME": No such file or directory`; exit 255.
    NoNetns(String),
    /// `Cannot find netns "NAME"`; exit 255.
    UnknownNetns(String),
    /// `"ADDR" is invalid lladdr.`; exit 1.
    InvalidLladdr(String),
    /// `Flush requires arguments.`; exit 1.
    FlushNeedsArgs,
    /// `Unknown tunnel mode "MODE"`; exit 255.
    UnknownMode(String),
    /// NEXT_ARG() found no word: `Command line is not complete. Try option "help"`; exit 255.
    Incomplete,
    /// invarg(): `Error: argument "ARG" is wrong: MSG` (MSG may carry its own
    /// newline, as some of iproute2's do); exit 255.
    InvArg { msg: String, arg: String },
    /// duparg2(): `Error: either "KEY" is duplicate, or "ARG" is a garbage.`; exit 255.
    Garbage { key: &'static str, arg: String },
    /// get_addr() and get_prefix(): `Error: WHAT is expected rather than "ARG".`
    /// (WHAT: `inet address`, `any valid prefix`, ...); exit 1.
    Expected { what: &'static str, arg: String },
    /// `Command "CMD" is unknown, try "ip OBJ help".`; exit 255.
    UnknownCommand { obj: &'static str, cmd: String },
    /// A usage text; exit 255.
    Usage(&'static str),
    /// Any other message (with its newline) of a command that failed (it
    /// returned -1); exit 1.
    Failed(String),
    /// Any other message (with its newline) iproute2 gives up with by
    /// `exit(-1)`; exit 255.
    Fatal(String),
    /// Something iproute2 has that vnet does not simulate yet (WHAT, e.g.
    /// `ip rule`): `vnet: WHAT is not simulated yet`; exit 2.
    NotSimulated(String),
    /// A message and the command's own exit status (a handler returning
    /// -errno: `ip` exits with errno).
    Status(String, i32),
}

impl Failure for Error {
    fn status(&self) -> i32 {
        use Error::*;
        match self {
            Kernel(_) | Terminated(..) | NotSimulated(_) => 2,
            Status(_, n) => *n,
            NoDev(_)
            | DevNotExist(_)
            | NeedDev
            | NoNetnsName
            | InvalidLladdr(_)
            | FlushNeedsArgs
            | Expected { .. }
            | Failed(_) => 1,
            NoNetns(_)
            | UnknownNetns(_)
            | UnknownMode(_)
            | Incomplete
            | InvArg { .. }
            | Garbage { .. }
            | UnknownCommand { .. }
            | Usage(_)
            | Fatal(_) => 255,
        }
    }
}

impl Error {
    /// The same message where iproute2 gives up with `exit(-1)` (255).
    pub fn fatal(self) -> Error {
        Error::Fatal(self.to_string())
    }

    /// The same message where the command returns -1 (exit 1).
    pub fn failed(self) -> Error {
        Error::Failed(self.to_string())
    }

    /// `Cannot find device "NAME"`.
    pub fn no_dev(name: &str) -> Error {
        Error::NoDev(name.into())
    }

    /// `invarg(msg, arg)`.
    pub fn invarg(msg: &str, arg: &str) -> Error {
        Error::InvArg {
            msg: msg.into(),
            arg: arg.into(),
        }
    }

    /// `duparg2(key, arg)`.
    pub fn garbage(key: &'static str, arg: &str) -> Error {
        Error::Garbage {
            key,
            arg: arg.into(),
        }
    }

    /// get_addr()/get_prefix() refusing `arg`.
    pub fn expected(what: &'static str, arg: &str) -> Error {
        Error::Expected {
            what,
            arg: arg.into(),
        }
    }
}

impl From<KernelError> for Error {
    fn from(e: KernelError) -> Self {
        Error::Kernel(e)
    }
}

impl From<vnet_core::Errno> for Error {
    fn from(e: vnet_core::Errno) -> Self {
        Error::Kernel(e.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        use Error::*;
        match self {
            Kernel(e) => match e.extack {
                // nl_dump_ext_ack(): the full stop only where the message lacks one.
                Some(m) if m.ends_with('.') => writeln!(f, "Error: {m}"),
                Some(m) => writeln!(f, "Error: {m}."),
                None => writeln!(f, "RTNETLINK answers: {}", e.errno.strerror()),
            },
            Terminated(e, what) => writeln!(f, "{}{what} terminated", Kernel(e.clone())),
            NoDev(d) => writeln!(f, "Cannot find device \"{d}\""),
            DevNotExist(d) => writeln!(f, "Device \"{d}\" does not exist."),
            NeedDev => writeln!(f, "Not enough information: \"dev\" argument is required."),
            NoNetnsName => writeln!(f, "No netns name specified"),
            NoNetns(n) => writeln!(
                f,
                "Cannot open network namespace \"{n}\": No such file or directory"
            ),
            UnknownNetns(n) => writeln!(f, "Cannot find netns \"{n}\""),
            InvalidLladdr(a) => writeln!(f, "\"{a}\" is invalid lladdr."),
            FlushNeedsArgs => writeln!(f, "Flush requires arguments."),
            UnknownMode(m) => writeln!(f, "Unknown tunnel mode \"{m}\""),
            Incomplete => writeln!(f, "Command line is not complete. Try option \"help\""),
            InvArg { msg, arg } => writeln!(f, "Error: argument \"{arg}\" is wrong: {msg}"),
            Garbage { key, arg } => writeln!(
                f,
                "Error: either \"{key}\" is duplicate, or \"{arg}\" is a garbage."
            ),
            Expected { what, arg } => {
                writeln!(f, "Error: {what} is expected rather than \"{arg}\".")
            }
            // iptunnel.c's message alone has no full stop.
            UnknownCommand { obj: "tunnel", cmd } => {
                writeln!(f, "Command \"{cmd}\" is unknown, try \"ip tunnel help\"")
            }
            UnknownCommand { obj, cmd } => {
                writeln!(f, "Command \"{cmd}\" is unknown, try \"ip {obj} help\".")
            }
            Usage(text) => f.write_str(text),
            Failed(m) | Fatal(m) | Status(m, _) => f.write_str(m),
            NotSimulated(what) => f.write_str(&crate::unsimulated::message(what)),
        }
    }
}

/// What the parts of an `ip` command return: their result, or how the
/// command failed.
pub type Res<T = ()> = Result<T, Error>;

/// The ifindex of the `dev` argument: iproute2's "Not enough information"
/// when it is missing, `Cannot find device` when it does not exist.
pub fn require_dev(c: &Cmd, dev: Option<&str>) -> Res<u32> {
    let name = dev.ok_or(Error::NeedDev)?;
    c.m.world
        .ns(c.ns)
        .ifindex_of(name)
        .ok_or_else(|| Error::no_dev(name))
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let r = run(c, args);
    c.exit(r)
}

fn run(c: &mut Cmd, args: &[String]) -> Res<i32> {
    let mut o = Opts::default();
    let mut batch: Option<String> = None;
    let mut force = false;
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
                // netns_switch(argv[1]) with no argv[1]: glibc prints the NULL as "(null)".
                let name = args.get(i).ok_or_else(|| Error::NoNetns("(null)".into()))?;
                c.ns =
                    c.m.world
                        .netns_by_name(name)
                        .ok_or_else(|| Error::NoNetns(name.clone()))?;
            }
            _ if m("oneline") => o.oneline = true,
            _ if m("details") => o.details += 1,
            _ if m("statistics") || m("stats") => o.stats += 1,
            _ if m("json") => o.json = true,
            _ if m("pretty") => o.pretty = true,
            "a" | "all" => o.all = true,
            _ if m("color") || m("numeric") || m("resolve") || m("human-readable") || m("iec") => {}
            _ if m("family") => {
                // ip.c: no value, or `help`, is usage(); an unknown family is invarg().
                i += 1;
                o.family = match args.get(i).map(|s| s.as_str()) {
                    None | Some("help") => return Err(Error::Usage(USAGE)),
                    Some("inet") => Some(4),
                    Some("inet6") => Some(6),
                    Some("link") => Some(0),
                    Some("mpls" | "bridge") => None,
                    Some(f) => return Err(Error::invarg("invalid protocol family", f)),
                };
            }
            // Options that take a value: usage() when it is missing.
            _ if m("loops") || m("rcvbuf") || a == "rc" => {
                i += 1;
                if args.get(i).is_none() {
                    return Err(Error::Usage(USAGE));
                }
            }
            _ if m("batch") => {
                i += 1;
                batch = Some(args.get(i).ok_or(Error::Usage(USAGE))?.clone());
            }
            _ if m("force") => force = true,
            _ if m("Version") || a == "V" => {
                c.print("ip utility, iproute2-6.1.0, libbpf 1.1.2\n");
                return Ok(0);
            }
            _ if m("help") => return Err(Error::Usage(USAGE)),
            _ => {
                return Err(Error::Fatal(format!(
                    "Option \"{}\" is unknown, try \"ip -help\".\n",
                    args[i]
                )))
            }
        }
        i += 1;
    }
    // ip.c: a batch runs once the options are read; the rest is ignored.
    if let Some(name) = batch {
        return batch::run(c, &o, &name, force);
    }
    dispatch(c, &o, &args[i..])
}

/// do_cmd(): one `OBJECT COMMAND...` with the global options read; the
/// status of what it ran (`netns exec`), else 0.
fn dispatch(c: &mut Cmd, o: &Opts, rest: &[String]) -> Res<i32> {
    let obj = rest.first().ok_or(Error::Usage(USAGE))?;
    let m = |w: &str| crate::args::matches(obj, w);
    let sub = &rest[1..];
    if m("netns") {
        return netns::main(c, o, sub);
    }
    // "m" alone is maddress, earlier in ip.c's table.
    if obj.len() > 1 && m("monitor") {
        return monitor::main(c, o, sub);
    }
    if m("maddress") {
        return maddr::main(c, o, sub).map(|_| 0);
    }
    if obj.len() > 1 && m("vrf") {
        return vrf::main(c, o, sub);
    }
    if m("link") {
        link::main(c, o, sub)
    } else if m("address") {
        addr::main(c, o, sub)
    } else if m("route") {
        route::main(c, o, sub)
    } else if m("rule") {
        rule::main(c, o, sub)
    } else if m("neighbour") || m("neighbor") || obj == "neigh" {
        neigh::main(c, o, sub)
    } else if m("tunnel") || m("tunl") {
        tunnel::main(c, o, sub)
    } else if m("tuntap") || obj == "tap" {
        tuntap::main(c, o, sub)
    } else if m("help") {
        Err(Error::Usage(USAGE))
    } else if crate::unsimulated::IP_OBJECTS
        .iter()
        .find(|o| o.starts_with(obj.as_str()))
        == Some(&"nexthop")
    {
        nexthop::main(c, o, sub)
    } else if let Some(what) = crate::unsimulated::ip_object(obj) {
        Err(Error::NotSimulated(what))
    } else {
        Err(Error::Failed(format!(
            "Object \"{obj}\" is unknown, try \"ip help\".\n"
        )))
    }?;
    Ok(0)
}

/// rtnl_rttable_a2n() for the tables without a file: main, local,
/// default, or a number.
pub(crate) fn route_table_a2n(s: &str) -> Option<u32> {
    match s {
        "main" => Some(vnet_core::ipv4::fib::RT_TABLE_MAIN),
        "local" => Some(vnet_core::ipv4::fib::RT_TABLE_LOCAL),
        "default" => Some(vnet_core::ipv4::fib::RT_TABLE_DEFAULT),
        _ => crate::iptables::parse::parse_u32(s),
    }
}

/// The option an on/off bridge port keyword sets (shared with `bridge link set`).
pub(crate) fn bridge_port_flag(
    key: &str,
    on: bool,
) -> Option<vnet_core::bridge::br_netlink::BrPortOpt> {
    bridge_opts::port_flag(key, on)
}
