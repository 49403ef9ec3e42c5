//! `ip tunnel` (iproute2 6.1 ip/iptunnel.c and ip/tunnel.c: the
//! SIOC*TUNNEL ioctls) and the tunnel kinds of `ip link add ... type
//! ipip|gre|gretap|sit|vti` (ip/link_iptnl.c, link_gre.c, link_vti.c),
//! with what `ip -d link` prints for them.

use super::{Error, Opts, Res};
use crate::args::matches;
use crate::Cmd;
use std::net::Ipv4Addr;
use vnet_core::dev::{arphrd, Device};
use vnet_core::tunnel::{
    Tunnel, TunnelCmd, TunnelKind, TunnelOpts, TunnelParm, IPPROTO_GRE, IPPROTO_IPIP, IPPROTO_IPV6,
    SIT_ISATAP, VTI_ISVTI,
};
use vnet_core::wire::gre::flags as gref;
use vnet_core::{Errno, Mac, World};

const USAGE: &str = "Usage: ip tunnel { add | change | del | show | prl | 6rd } [ NAME ]
        [ mode { gre | ipip | isatap | sit | vti } ]
        [ remote ADDR ] [ local ADDR ]
        [ [i|o]seq ] [ [i|o]key KEY ] [ [i|o]csum ]
        [ prl-default ADDR ] [ prl-nodefault ADDR ] [ prl-delete ADDR ]
        [ 6rd-prefix ADDR ] [ 6rd-relay_prefix ADDR ] [ 6rd-reset ]
        [ ttl TTL ] [ tos TOS ] [ [no]pmtudisc ] [ dev PHYS_DEV ]

Where: NAME := STRING
       ADDR := { IP_ADDRESS | any }
       TOS  := { STRING | 00..ff | inherit | inherit/STRING | inherit/00..ff }
       TTL  := { 1..255 | inherit }
       KEY  := { DOTTED_QUAD | NUMBER }
";

/// rtnl_dsfield_a2n(): a name from rt_dsfield or a hexadecimal byte.
pub(crate) fn dsfield_a2n(s: &str) -> Option<u8> {
    if let Some((v, _)) = DSFIELD.iter().find(|(_, n)| *n == s) {
        return Some(*v);
    }
    let h = s.strip_prefix("0x").unwrap_or(s);
    u32::from_str_radix(h, 16)
        .ok()
        .filter(|v| *v <= 255 && !h.is_empty())
        .map(|v| v as u8)
}

use vnet_core::ipv4::route_text::{dsfield_n2a, DSFIELD};

/// get_addr32(): an IPv4 address or `any`, else exit 1.
fn addr32(s: &str) -> Res<Ipv4Addr> {
    ipv4_or_any(s).ok_or_else(|| {
        Error::Failed(format!(
            "Error: an IP address is expected rather than \"{s}\"\n"
        ))
    })
}

/// get_addr(..., AF_INET) of the netlink parsers.
fn inet_addr(s: &str) -> Res<Ipv4Addr> {
    ipv4_or_any(s).ok_or_else(|| Error::expected("inet address", s))
}

/// An IPv4 address (no prefix length) or `any`.
fn ipv4_or_any(s: &str) -> Option<Ipv4Addr> {
    if matches!(s, "any" | "all" | "default") {
        return Some(Ipv4Addr::UNSPECIFIED);
    }
    crate::args::parse_prefix4(s)
        .filter(|(_, l)| l.is_none())
        .map(|(a, _)| a)
}

/// tnl_parse_key(): a dotted quad or an unsigned number (C's base 0).
fn parse_key(what: &str, s: &str) -> Res<u32> {
    if s.contains('.') {
        return addr32(s).map(u32::from);
    }
    let v = crate::args::get_unsigned(s, u32::MAX as u64).map(|v| v as u32);
    v.ok_or_else(|| {
        Error::Fatal(format!(
            "invalid value for \"{what}\": \"{s}\"; it should be an unsigned integer\n"
        ))
    })
}

/// get_u8(..., 0): C's strtoul with base 0, up to 255.
fn parse_u8(s: &str) -> Option<u8> {
    crate::args::get_unsigned(s, 0xff).map(|v| v as u8)
}

/// iproute2's get_ifname() check.
fn valid_ifname(n: &str) -> bool {
    !n.is_empty()
        && n.len() < 16
        && n != "."
        && n != ".."
        && !n.contains(['/', ':'])
        && !n.chars().any(|c| c.is_whitespace())
}

fn set_proto(p: &mut TunnelParm, proto: u8) -> Res {
    if p.protocol != 0 && p.protocol != proto {
        return Err(Error::Fatal(
            "You managed to ask for more than one tunnel mode.\n".into(),
        ));
    }
    p.protocol = proto;
    Ok(())
}

/// parse_args() of iptunnel.c. With `change`, the first name given loads
/// that tunnel's parameters first.
fn parse_args(c: &mut Cmd, args: &[String], cmd: TunnelCmd) -> Res<TunnelParm> {
    let mut p = TunnelParm {
        df: true,
        ..TunnelParm::default()
    };
    let mut isatap = false;
    let mut medium: Option<String> = None;
    let mut count = 0;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let mut next = || -> Res<String> {
            i += 1;
            args.get(i).cloned().ok_or(Error::Incomplete)
        };
        match a {
            "mode" => {
                let m = next()?;
                match m.as_str() {
                    "ipip" | "ip/ip" => set_proto(&mut p, IPPROTO_IPIP)?,
                    "gre" | "gre/ip" => set_proto(&mut p, IPPROTO_GRE)?,
                    "sit" | "ipv6/ip" => set_proto(&mut p, IPPROTO_IPV6)?,
                    "isatap" => {
                        set_proto(&mut p, IPPROTO_IPV6)?;
                        isatap = true;
                    }
                    "vti" => {
                        set_proto(&mut p, IPPROTO_IPIP)?;
                        p.i_flags |= VTI_ISVTI;
                    }
                    _ => return Err(Error::UnknownMode(m)),
                }
            }
            "key" => {
                let v = next()?;
                p.i_flags |= gref::KEY;
                p.o_flags |= gref::KEY;
                p.i_key = parse_key("key", &v)?;
                p.o_key = p.i_key;
            }
            "ikey" => {
                let v = next()?;
                p.i_flags |= gref::KEY;
                p.i_key = parse_key("ikey", &v)?;
            }
            "okey" => {
                let v = next()?;
                p.o_flags |= gref::KEY;
                p.o_key = parse_key("okey", &v)?;
            }
            "seq" => {
                p.i_flags |= gref::SEQ;
                p.o_flags |= gref::SEQ;
            }
            "iseq" => p.i_flags |= gref::SEQ,
            "oseq" => p.o_flags |= gref::SEQ,
            "csum" => {
                p.i_flags |= gref::CSUM;
                p.o_flags |= gref::CSUM;
            }
            "icsum" => p.i_flags |= gref::CSUM,
            "ocsum" => p.o_flags |= gref::CSUM,
            "nopmtudisc" => p.df = false,
            "pmtudisc" => p.df = true,
            "remote" => {
                let v = next()?;
                p.daddr = addr32(&v)?;
            }
            "local" => {
                let v = next()?;
                p.saddr = addr32(&v)?;
            }
            "dev" => medium = Some(next()?),
            "ttl" | "hoplimit" | "hlim" => {
                let v = next()?;
                if v != "inherit" {
                    match parse_u8(&v) {
                        Some(t) => p.ttl = t,
                        None => return Err(Error::invarg("invalid TTL\n", &v)),
                    }
                }
            }
            _ if a == "tos" || a == "tclass" || matches(a, "dsfield") => {
                let v = next()?;
                let (head, rest) = match v.split_once('/') {
                    Some((h, r)) => (h, Some(r)),
                    None => (v.as_str(), None),
                };
                let ds = if head != "inherit" {
                    p.tos = 0;
                    Some(v.as_str())
                } else {
                    p.tos = 1;
                    rest
                };
                if let Some(ds) = ds {
                    match dsfield_a2n(ds) {
                        Some(x) => p.tos |= x,
                        None => return Err(Error::invarg("bad TOS value", &v)),
                    }
                }
            }
            _ => {
                let name = if a == "name" {
                    next()?
                } else {
                    if matches(a, "help") {
                        return Err(Error::Usage(USAGE));
                    }
                    a.to_string()
                };
                if !p.name.is_empty() {
                    return Err(Error::garbage("name", &name));
                }
                if !valid_ifname(&name) {
                    return Err(Error::invarg("\"name\" not a valid ifname", &name));
                }
                p.name = name.clone();
                if cmd == TunnelCmd::Change && count == 0 {
                    let mut old = TunnelParm::default();
                    let ns = c.ns;
                    if let Err(e) = c.m.world.tunnel_ctl(ns, &name, TunnelCmd::Get, &mut old) {
                        return Err(tunnel_failed("get", &name, e.errno));
                    }
                    p = old;
                }
            }
        }
        count += 1;
        i += 1;
    }
    if p.protocol == 0 {
        let n = p.name.as_str();
        if n.starts_with("gre") {
            p.protocol = IPPROTO_GRE;
        } else if n.starts_with("ipip") {
            p.protocol = IPPROTO_IPIP;
        } else if n.starts_with("sit") {
            p.protocol = IPPROTO_IPV6;
        } else if n.starts_with("isatap") {
            p.protocol = IPPROTO_IPV6;
            isatap = true;
        } else if n.starts_with("vti") {
            p.protocol = IPPROTO_IPIP;
            p.i_flags |= VTI_ISVTI;
        }
    }
    if (p.i_flags & gref::KEY != 0 || p.o_flags & gref::KEY != 0)
        && p.i_flags & VTI_ISVTI == 0
        && p.protocol != IPPROTO_GRE
    {
        return Err(Error::Failed(
            "Keys are not allowed with ipip and sit tunnels\n".into(),
        ));
    }
    if let Some(m) = medium {
        match c.m.world.ns(c.ns).ifindex_of(&m) {
            Some(i) => p.link = i,
            None => return Err(Error::no_dev(&m)),
        }
    }
    if p.daddr.is_multicast() {
        if p.i_key == 0 {
            p.i_key = u32::from(p.daddr);
            p.i_flags |= gref::KEY;
        }
        if p.o_key == 0 {
            p.o_key = u32::from(p.daddr);
            p.o_flags |= gref::KEY;
        }
        if p.saddr.is_unspecified() {
            return Err(Error::Failed(
                "A broadcast tunnel requires a source address\n".into(),
            ));
        }
    }
    if isatap {
        p.i_flags |= SIT_ISATAP;
    }
    Ok(p)
}

/// tnl_defname(): the fallback device the ioctl goes to.
fn defname(p: &TunnelParm) -> Option<&'static str> {
    match p.protocol {
        IPPROTO_IPIP if p.i_flags & VTI_ISVTI != 0 => Some("ip_vti0"),
        IPPROTO_IPIP => Some("tunl0"),
        IPPROTO_GRE => Some("gre0"),
        IPPROTO_IPV6 => Some("sit0"),
        _ => None,
    }
}

/// The ioctl on `ifname`; a missing device first asks for the module that
/// provides it (dev_load(): request_module("netdev-NAME")).
fn ioctl(c: &mut Cmd, ifname: &str, cmd: TunnelCmd, p: &mut TunnelParm) -> Result<(), Errno> {
    let ns = c.ns;
    if c.m.world.ns(ns).dev_by_name(ifname).is_none() {
        crate::modules::request_module(c, &format!("netdev-{ifname}"));
    }
    c.m.world
        .tunnel_ctl(ns, ifname, cmd, p)
        .map_err(|e| e.errno)
}

/// `OP tunnel "NAME" failed: STRERROR` (exit 1).
fn tunnel_failed(op: &str, name: &str, e: Errno) -> Error {
    Error::Failed(format!("{op} tunnel \"{name}\" failed: {}\n", e.strerror()))
}

/// `ttl != 0 and nopmtudisc are incompatible`.
fn ttl_nopmtudisc() -> Error {
    Error::Failed("ttl != 0 and nopmtudisc are incompatible\n".into())
}

fn do_add(c: &mut Cmd, args: &[String], cmd: TunnelCmd) -> Res {
    let mut p = parse_args(c, args, cmd)?;
    if p.ttl != 0 && !p.df {
        return Err(ttl_nopmtudisc());
    }
    let base = defname(&p).ok_or_else(|| {
        Error::Failed("cannot determine tunnel mode (ipip, gre, vti or sit)\n".into())
    })?;
    let ifname = if cmd == TunnelCmd::Change && !p.name.is_empty() {
        p.name.clone()
    } else {
        base.to_string()
    };
    ioctl(c, &ifname, cmd, &mut p).map_err(|e| tunnel_failed("add", &ifname, e))
}

fn do_del(c: &mut Cmd, args: &[String]) -> Res {
    let mut p = parse_args(c, args, TunnelCmd::Del)?;
    let ifname = if !p.name.is_empty() {
        p.name.clone()
    } else {
        defname(&p).unwrap_or("").to_string()
    };
    ioctl(c, &ifname, TunnelCmd::Del, &mut p).map_err(|e| tunnel_failed("delete", &ifname, e))
}

/// SIOCDEVPRIVATE-based tunnel ioctls, as tnl_gen_ioctl() prints them.
const SIOCADDPRL: u32 = 0x89f5;
const SIOCDELPRL: u32 = 0x89f6;
const SIOCADD6RD: u32 = 0x89f9;
const SIOCDEL6RD: u32 = 0x89fa;

fn gen_ioctl_failed(name: &str, cmd: u32, e: &vnet_core::KernelError) -> Error {
    Error::Failed(format!(
        "{name}: ioctl {cmd:x} failed: {}\n",
        e.errno.strerror()
    ))
}

/// `ip tunnel prl`: one potential router of an ISATAP tunnel at a time.
fn do_prl(c: &mut Cmd, args: &[String]) -> Res {
    let (mut cmd, mut addr, mut flags, mut count) = (0, Ipv4Addr::UNSPECIFIED, 0, 0);
    let mut medium: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let next = |i: usize| args.get(i + 1).cloned();
        match a {
            "prl-default" | "prl-nodefault" | "prl-delete" => {
                let v = next(i).ok_or(Error::Incomplete)?;
                // get_addr32(): "any" is 0.0.0.0; anything else must be an address.
                addr = addr32(&v)?;
                cmd = if a == "prl-delete" {
                    SIOCDELPRL
                } else {
                    SIOCADDPRL
                };
                flags = if a == "prl-default" {
                    vnet_core::tunnel::sit::PRL_DEFAULT
                } else {
                    0
                };
                count += 1;
                i += 1;
            }
            "dev" => {
                medium = Some(next(i).ok_or(Error::Incomplete)?);
                i += 1;
            }
            _ => return Err(Error::Fatal(format!("Invalid PRL parameter \"{a}\"\n"))),
        }
        if count > 1 {
            return Err(Error::Fatal("One PRL entry at a time\n".into()));
        }
        i += 1;
    }
    let dev = medium.ok_or_else(must_specify_device)?;
    let add = (cmd == SIOCADDPRL).then_some(flags);
    c.m.world
        .tunnel_prl(c.ns, &dev, addr, add)
        .map_err(|e| gen_ioctl_failed(&dev, cmd, &e))
}

fn must_specify_device() -> Error {
    Error::Fatal("Must specify device\n".into())
}

/// `ip tunnel 6rd`: a sit tunnel's 6rd prefix and relay prefix, or the reset.
fn do_6rd(c: &mut Cmd, args: &[String]) -> Res {
    let mut p = vnet_core::tunnel::sit::Ip6rd {
        prefix: std::net::Ipv6Addr::UNSPECIFIED,
        prefixlen: 0,
        relay_prefix: Ipv4Addr::UNSPECIFIED,
        relay_prefixlen: 0,
    };
    let mut cmd = 0;
    let mut medium: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "6rd-prefix" | "6rd-relay_prefix" | "dev" => {
                let v = args.get(i + 1).cloned().ok_or(Error::Incomplete)?;
                i += 1;
                if a == "dev" {
                    medium = Some(v);
                } else if a == "6rd-prefix" {
                    match crate::args::parse_prefix6(&v) {
                        Some((pfx, len)) => {
                            p.prefix = pfx;
                            p.prefixlen = len;
                        }
                        None => return Err(Error::invarg("invalid 6rd_prefix\n", &v)),
                    }
                    cmd = SIOCADD6RD;
                } else {
                    match crate::args::parse_prefix4(&v) {
                        Some((pfx, len)) => {
                            p.relay_prefix = pfx;
                            p.relay_prefixlen = len.unwrap_or(32);
                        }
                        None => return Err(Error::invarg("invalid 6rd-relay_prefix\n", &v)),
                    }
                    cmd = SIOCADD6RD;
                }
            }
            "6rd-reset" => cmd = SIOCDEL6RD,
            _ => return Err(Error::Fatal(format!("Invalid 6RD parameter \"{a}\"\n"))),
        }
        i += 1;
    }
    let dev = medium.ok_or_else(must_specify_device)?;
    let r = match cmd {
        SIOCADD6RD => c.m.world.tunnel_6rd(c.ns, &dev, Some(p)),
        SIOCDEL6RD => c.m.world.tunnel_6rd(c.ns, &dev, None),
        _ => Err(vnet_core::KernelError::new(vnet_core::Errno::ENOTTY)),
    };
    r.map_err(|e| gen_ioctl_failed(&dev, cmd, &e))
}

/// A sit tunnel's 6rd prefix (and relay prefix, when it has one), as
/// print_tunnel() and sit_print_opt() show them.
fn ip6rd_text(r: &vnet_core::tunnel::sit::Ip6rd) -> String {
    let mut s = format!("6rd-prefix {}/{}", r.prefix, r.prefixlen);
    if !r.relay_prefix.is_unspecified() {
        s.push_str(&format!(
            " 6rd-relay_prefix {}/{}",
            r.relay_prefix, r.relay_prefixlen
        ));
    }
    s
}

/// tnl_strproto().
fn strproto(p: u8) -> &'static str {
    match p {
        IPPROTO_IPIP => "ip",
        IPPROTO_GRE => "gre",
        IPPROTO_IPV6 => "ipv6",
        50 => "esp",
        137 => "mpls",
        0 => "any",
        _ => "unknown",
    }
}

/// print_tunnel(): one line of `ip tunnel show` (without its newline).
fn print_tunnel(w: &World, ns: usize, p: &TunnelParm, kind: TunnelKind) -> String {
    let any = |a: Ipv4Addr| {
        if a.is_unspecified() {
            "any".to_string()
        } else {
            a.to_string()
        }
    };
    let mut s = format!(
        "{}: {}/ip remote {} local {}",
        p.name,
        strproto(p.protocol),
        any(p.daddr),
        any(p.saddr)
    );
    if p.link != 0 {
        if let Some(d) = w.ns(ns).dev(p.link) {
            s.push_str(&format!(" dev {}", d.name));
        }
    }
    if p.ttl != 0 {
        s.push_str(&format!(" ttl {}", p.ttl));
    } else {
        s.push_str(" ttl inherit");
    }
    if p.tos != 0 {
        if p.tos == 1 {
            s.push_str(" tos inherit");
        } else if p.tos & 1 != 0 {
            s.push_str(&format!(" tos inherit/{}", dsfield_n2a(p.tos & !1)));
        } else {
            s.push_str(&format!(" tos {}", dsfield_n2a(p.tos)));
        }
    }
    if !p.df {
        s.push_str(" nopmtudisc");
    }
    if kind == TunnelKind::Sit {
        // SIOCGET6RD: every sit tunnel starts with the 6to4 prefix.
        s.push(' ');
        let r = w
            .ns(ns)
            .dev_by_name(&p.name)
            .and_then(|d| d.tunnel())
            .map(|t| t.ip6rd.clone())
            .unwrap_or_default();
        s.push_str(&ip6rd_text(&r));
    }
    // tnl_print_gre_flags().
    if p.i_flags & gref::KEY != 0 && p.o_flags & gref::KEY != 0 && p.i_key == p.o_key {
        s.push_str(&format!(" key {}", p.i_key));
    } else {
        if p.i_flags & gref::KEY != 0 {
            s.push_str(&format!(" ikey {}", p.i_key));
        }
        if p.o_flags & gref::KEY != 0 {
            s.push_str(&format!(" okey {}", p.o_key));
        }
    }
    if p.protocol == IPPROTO_GRE {
        if p.i_flags & gref::SEQ != 0 {
            s.push_str("\n  Drop packets out of sequence.");
        }
        if p.i_flags & gref::CSUM != 0 {
            s.push_str("\n  Checksum in received packet is required.");
        }
        if p.o_flags & gref::SEQ != 0 {
            s.push_str("\n  Sequence packets on output.");
        }
        if p.o_flags & gref::CSUM != 0 {
            s.push_str("\n  Checksum output packets.");
        }
    }
    s
}

/// tnl_print_stats().
fn print_stats(d: &Device) -> String {
    let st = &d.stats;
    format!(
        "\nRX: Packets    Bytes        Errors CsumErrs OutOfSeq Mcasts\n    {:<10} {:<12} {:<6} {:<8} {:<8} {:<8}\nTX: Packets    Bytes        Errors DeadLoop NoRoute  NoBufs\n    {:<10} {:<12} {:<6} {:<8} {:<8} {:<6}",
        st.rx_packets, st.rx_bytes, st.rx_errors, 0, 0, st.rx_multicast,
        st.tx_packets, st.tx_bytes, st.tx_errors, st.collisions, st.tx_carrier, st.tx_dropped
    )
}

fn do_show(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    let mut p = parse_args(c, args, TunnelCmd::Get)?;
    let ns = c.ns;
    if let Some(base) = defname(&p) {
        let name = if p.name.is_empty() {
            base.to_string()
        } else {
            p.name.clone()
        };
        ioctl(c, &name, TunnelCmd::Get, &mut p).map_err(|e| tunnel_failed("get", &name, e))?;
        let kind =
            c.m.world
                .ns(ns)
                .dev_by_name(&name)
                .and_then(|d| d.tunnel())
                .map(|t| t.kind);
        let line = print_tunnel(&c.m.world, ns, &p, kind.unwrap_or(TunnelKind::Ipip));
        c.print(&line);
        c.print("\n");
        return Ok(());
    }
    // do_tunnels_list(): every IPv4 tunnel device, in link dump order.
    let devs: Vec<Device> =
        c.m.world
            .ns(ns)
            .devs()
            .values()
            .filter(|d| matches!(d.arphrd(), arphrd::TUNNEL | arphrd::IPGRE | arphrd::SIT))
            .filter(|d| p.name.is_empty() || d.name == p.name)
            .cloned()
            .collect();
    let mut out = String::new();
    for d in devs {
        let mut q = TunnelParm::default();
        if c.m
            .world
            .tunnel_ctl(ns, &d.name, TunnelCmd::Get, &mut q)
            .is_err()
        {
            continue;
        }
        let ok = (p.link == 0 || p.link == q.link)
            && (p.daddr.is_unspecified() || p.daddr == q.daddr)
            && (p.saddr.is_unspecified() || p.saddr == q.saddr)
            && (p.i_key == 0 || p.i_key == q.i_key);
        if !ok {
            continue;
        }
        let kind = d.tunnel().map(|t| t.kind).unwrap_or(TunnelKind::Ipip);
        out.push_str(&print_tunnel(&c.m.world, ns, &q, kind));
        if o.stats > 0 {
            out.push_str(&print_stats(&d));
        }
        out.push('\n');
    }
    c.print(&out);
    Ok(())
}

pub fn main(c: &mut Cmd, o: &Opts, args: &[String]) -> Res {
    if o.family == Some(6)
        || args
            .windows(2)
            .any(|w| w[0] == "mode" && is_ipv6_mode(&w[1]))
    {
        return Err(Error::Failed("ip -6 tunnel is not supported here\n".into()));
    }
    let Some(cmd) = args.first() else {
        return do_show(c, o, &[]);
    };
    let rest = &args[1..];
    if matches(cmd, "add") {
        do_add(c, rest, TunnelCmd::Add)
    } else if matches(cmd, "change") {
        do_add(c, rest, TunnelCmd::Change)
    } else if matches(cmd, "delete") {
        do_del(c, rest)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        do_show(c, o, rest)
    } else if matches(cmd, "prl") {
        do_prl(c, rest)
    } else if matches(cmd, "6rd") {
        do_6rd(c, rest)
    } else if matches(cmd, "help") {
        Err(Error::Usage(USAGE))
    } else {
        Err(Error::UnknownCommand {
            obj: "tunnel",
            cmd: cmd.clone(),
        })
    }
}

/// tunnel_mode_is_ipv6().
fn is_ipv6_mode(m: &str) -> bool {
    matches!(
        m,
        "ipv6/ipv6"
            | "ip6ip6"
            | "vti6"
            | "ip/ipv6"
            | "ipv4/ipv6"
            | "ipip6"
            | "ip4ip6"
            | "ip6gre"
            | "gre/ipv6"
            | "any/ipv6"
            | "any"
    )
}

// ---- ip link add ... type KIND ---------------------------------------------

/// iptunnel_print_help() / gre_print_help() / vti's, on a bad argument.
fn link_help(kind: TunnelKind) -> String {
    match kind {
        TunnelKind::Ipip | TunnelKind::Sit => {
            let mode = if kind == TunnelKind::Sit {
                "{ ip6ip | ipip | mplsip | any } ]\n\t\t\t[ isatap"
            } else {
                "{ ipip | mplsip | any }"
            };
            format!(
                "Usage: ... {:<6}\t[ remote ADDR ]\n\t\t\t[ local ADDR ]\n\t\t\t[ ttl TTL ]\n\t\t\t[ tos TOS ]\n\t\t\t[ [no]pmtudisc ]\n\t\t\t[ 6rd-prefix ADDR ]\n\t\t\t[ 6rd-relay_prefix ADDR ]\n\t\t\t[ 6rd-reset ]\n\t\t\t[ dev PHYS_DEV ]\n\t\t\t[ fwmark MARK ]\n\t\t\t[ external ]\n\t\t\t[ noencap ]\n\t\t\t[ encap {{ fou | gue | none }} ]\n\t\t\t[ encap-sport PORT ]\n\t\t\t[ encap-dport PORT ]\n\t\t\t[ [no]encap-csum ]\n\t\t\t[ [no]encap-csum6 ]\n\t\t\t[ [no]encap-remcsum ]\n\t\t\t[ mode {mode} ]\n\nWhere:\tADDR := {{ IP_ADDRESS | any }}\n\tTOS  := {{ NUMBER | inherit }}\n\tTTL  := {{ 1..255 | inherit }}\n\tMARK := {{ 0x0..0xffffffff }}\n",
                kind.kind_name()
            )
        }
        TunnelKind::Vti => "Usage: ... vti [ remote ADDR ]\n                [ local ADDR ]\n                [ [i|o]key KEY ]\n                [ dev PHYS_DEV ]\n                [ fwmark MARK ]\n\nWhere: ADDR := { IP_ADDRESS }\n       KEY  := { DOTTED_QUAD | NUMBER }\n       MARK := { 0x0..0xffffffff }\n".to_string(),
        _ => format!(
            "Usage: ... {:<9}\t[ remote ADDR ]\n\t\t\t[ local ADDR ]\n\t\t\t[ [no][i|o]seq ]\n\t\t\t[ [i|o]key KEY | no[i|o]key ]\n\t\t\t[ [no][i|o]csum ]\n\t\t\t[ ttl TTL ]\n\t\t\t[ tos TOS ]\n\t\t\t[ [no]pmtudisc ]\n\t\t\t[ [no]ignore-df ]\n\t\t\t[ dev PHYS_DEV ]\n\t\t\t[ fwmark MARK ]\n\t\t\t[ external ]\n\t\t\t[ noencap ]\n\t\t\t[ encap {{ fou | gue | none }} ]\n\t\t\t[ encap-sport PORT ]\n\t\t\t[ encap-dport PORT ]\n\t\t\t[ [no]encap-csum ]\n\t\t\t[ [no]encap-csum6 ]\n\t\t\t[ [no]encap-remcsum ]\n\nWhere:\tADDR := {{ IP_ADDRESS | any }}\n\tTOS  := {{ NUMBER | inherit }}\n\tTTL  := {{ 1..255 | inherit }}\n\tKEY  := {{ DOTTED_QUAD | NUMBER }}\n\tMARK := {{ 0x0..0xffffffff }}\n",
            kind.kind_name()
        ),
    }
}

/// The options after `type KIND` (iptunnel_parse_opt, gre_parse_opt,
/// vti_parse_opt), as the kernel's netlink parsers then read them.
fn link_parse(
    c: &mut Cmd,
    kind: TunnelKind,
    args: &[String],
    init: Option<(TunnelParm, bool)>,
) -> Res<(TunnelParm, bool)> {
    let gre = matches!(
        kind,
        TunnelKind::Gre | TunnelKind::Gretap | TunnelKind::Erspan
    );
    // A change starts from what the device has (iproute2 asks with RTM_GETLINK).
    let (mut p, mut ignore_df) = init.unwrap_or_else(|| {
        (
            TunnelParm {
                df: kind != TunnelKind::Vti,
                protocol: match kind {
                    TunnelKind::Ipip | TunnelKind::Sit => 0,
                    TunnelKind::Vti => IPPROTO_IPIP,
                    _ => IPPROTO_GRE,
                },
                ..TunnelParm::default()
            },
            false,
        )
    });
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let mut next = || -> Res<String> {
            i += 1;
            args.get(i).cloned().ok_or(Error::Incomplete)
        };
        let m = |w: &str| if gre { matches(a, w) } else { a == w };
        if m("remote") {
            p.daddr = inet_addr(&next()?)?;
        } else if m("local") {
            p.saddr = inet_addr(&next()?)?;
        } else if matches(a, "dev") {
            let v = next()?;
            match c.m.world.ns(c.ns).ifindex_of(&v) {
                Some(x) => p.link = x,
                None => return Err(Error::no_dev(&v)),
            }
        } else if kind != TunnelKind::Vti && (m("ttl") || m("hoplimit") || m("hlim")) {
            let v = next()?;
            if v == "inherit" {
                p.ttl = 0;
            } else {
                match parse_u8(&v) {
                    Some(t) => p.ttl = t,
                    None => return Err(Error::invarg("invalid TTL\n", &v)),
                }
            }
        } else if kind != TunnelKind::Vti && (m("tos") || m("tclass") || matches(a, "dsfield")) {
            let v = next()?;
            if v == "inherit" {
                p.tos = 1;
            } else {
                match dsfield_a2n(&v) {
                    Some(x) => p.tos = x,
                    None => return Err(Error::invarg("bad TOS value", &v)),
                }
            }
        } else if kind != TunnelKind::Vti && m("nopmtudisc") {
            p.df = false;
        } else if kind != TunnelKind::Vti && m("pmtudisc") {
            p.df = true;
        } else if (gre || kind == TunnelKind::Vti) && m("key") {
            let v = next()?;
            p.i_key = parse_key("key", &v)?;
            p.o_key = p.i_key;
            p.i_flags |= gref::KEY;
            p.o_flags |= gref::KEY;
        } else if (gre || kind == TunnelKind::Vti) && m("ikey") {
            let v = next()?;
            p.i_key = parse_key("ikey", &v)?;
            p.i_flags |= gref::KEY;
        } else if (gre || kind == TunnelKind::Vti) && m("okey") {
            let v = next()?;
            p.o_key = parse_key("okey", &v)?;
            p.o_flags |= gref::KEY;
        } else if gre && m("nokey") {
            p.i_flags &= !gref::KEY;
            p.o_flags &= !gref::KEY;
            p.i_key = 0;
            p.o_key = 0;
        } else if gre && m("seq") {
            p.i_flags |= gref::SEQ;
            p.o_flags |= gref::SEQ;
        } else if gre && m("iseq") {
            p.i_flags |= gref::SEQ;
        } else if gre && m("oseq") {
            p.o_flags |= gref::SEQ;
        } else if gre && m("csum") {
            p.i_flags |= gref::CSUM;
            p.o_flags |= gref::CSUM;
        } else if gre && m("icsum") {
            p.i_flags |= gref::CSUM;
        } else if gre && m("ocsum") {
            p.o_flags |= gref::CSUM;
        } else if gre && a == "ignore-df" {
            ignore_df = true;
        } else if gre && a == "noignore-df" {
            ignore_df = false;
        } else if kind == TunnelKind::Sit && a == "isatap" {
            p.i_flags |= SIT_ISATAP;
        } else if !gre && kind != TunnelKind::Vti && a == "mode" {
            let v = next()?;
            p.protocol = match v.as_str() {
                "ipv6/ipv4" | "ip6ip" if kind == TunnelKind::Sit => IPPROTO_IPV6,
                "ipv4/ipv4" | "ipip" | "ip4ip4" => IPPROTO_IPIP,
                "mpls/ipv4" | "mplsip" => 137,
                "any/ipv4" | "any" => 0,
                _ => return Err(Error::invarg("Cannot guess tunnel mode.", &v)),
            };
        } else {
            return Err(Error::Failed(link_help(kind)));
        }
        i += 1;
    }
    if kind != TunnelKind::Vti && p.ttl != 0 && !p.df {
        return Err(ttl_nopmtudisc().fatal());
    }
    if kind == TunnelKind::Vti {
        p.i_flags |= VTI_ISVTI;
    }
    Ok((p, ignore_df))
}

/// `ip link add NAME type ipip|gre|gretap|sit|vti ARGS`: request_module
/// ("rtnl-link-KIND") first, which creates the fallback devices too.
pub fn link_add(
    c: &mut Cmd,
    name: &str,
    kind: TunnelKind,
    args: &[String],
    mtu: Option<u32>,
    mac: Option<Mac>,
) -> Res {
    let (p, ignore_df) = link_parse(c, kind, args, None)?;
    crate::modules::request_module(c, &format!("rtnl-link-{}", kind.kind_name()));
    let ns = c.ns;
    let opts = TunnelOpts {
        mtu,
        mac,
        ignore_df,
        fwmark: 0,
    };
    c.m.world.tunnel_newlink(ns, name, kind, p, opts)?;
    Ok(())
}

/// `ip link set DEV type KIND ARGS`: ip_tunnel_changelink() with the
/// device's parameters changed by ARGS.
pub fn link_change(c: &mut Cmd, idx: u32, kind: &str, args: &[String], mtu_given: bool) -> Res {
    let ns = c.ns;
    let r = vnet_core::dev::DevRef { ns, ifindex: idx };
    let cur =
        c.m.world
            .dev(r)
            .and_then(|d| d.tunnel())
            .map(|t| (t.kind, t.p.clone(), t.ignore_df));
    let k = TunnelKind::from_kind(kind).ok_or(Error::Kernel(super::link::UNKNOWN_DEVICE_TYPE))?;
    let (tk, p, idf) = cur.filter(|(tk, _, _)| *tk == k).ok_or(Errno::EOPNOTSUPP)?;
    let (p, _) = link_parse(c, tk, args, Some((p, idf)))?;
    Ok(c.m.world.tunnel_changelink(r, p, mtu_given)?)
}

/// The part after `link/` on the second line of `ip link`: ARPHRD name,
/// the local address, and `peer REMOTE` or `brd REMOTE`.
pub fn lladdr(d: &Device, flags: u32) -> Option<String> {
    let t = d.tunnel()?;
    if t.kind.is_ether() {
        return None;
    }
    let ty = match d.arphrd() {
        arphrd::IPGRE => "gre",
        arphrd::SIT => "sit",
        _ => "ipip",
    };
    let how = if flags & vnet_core::dev::iff::POINTOPOINT != 0 {
        "peer"
    } else {
        "brd"
    };
    Some(format!("link/{ty} {} {how} {}", t.p.saddr, t.p.daddr))
}

/// `@NONE` or `@DEV` after a tunnel's name (IFLA_LINK is parms.link).
pub fn iflink_name(w: &World, d: &Device) -> Option<String> {
    let t = d.tunnel()?;
    if t.p.link == 0 {
        return Some("NONE".into());
    }
    Some(
        w.ns(t.net)
            .dev(t.p.link)
            .map(|l| l.name.clone())
            .unwrap_or_else(|| format!("if{}", t.p.link)),
    )
}

/// min/max MTU as `ip -d link` prints them.
pub fn mtu_bounds(t: &Tunnel) -> (u32, u32) {
    (t.min_mtu, t.max_mtu)
}

/// The `-d` kind line: `\n    ipip ipip remote ... pmtudisc ` and the like.
pub fn details(w: &World, d: &Device) -> String {
    let Some(t) = d.tunnel() else {
        return String::new();
    };
    let p = &t.p;
    let ep = |a: Ipv4Addr| {
        if a.is_unspecified() {
            "any".to_string()
        } else {
            a.to_string()
        }
    };
    let mut s = format!("\n    {} ", t.kind.kind_name());
    let link = if p.link != 0 {
        w.ns(t.net)
            .dev(p.link)
            .map(|l| format!("dev {} ", l.name))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let ttl_tos = |s: &mut String| {
        if p.ttl != 0 {
            s.push_str(&format!("ttl {} ", p.ttl));
        } else {
            s.push_str("ttl inherit ");
        }
        if p.tos == 1 {
            s.push_str("tos inherit ");
        } else if p.tos != 0 {
            s.push_str(&format!("tos {:#x} ", p.tos));
        }
    };
    match t.kind {
        TunnelKind::Ipip | TunnelKind::Sit => {
            let proto = match p.protocol {
                IPPROTO_IPIP => "ipip ",
                IPPROTO_IPV6 => "ip6ip ",
                137 => "mplsip ",
                _ => "any ",
            };
            s.push_str(proto);
            s.push_str(&format!("remote {} local {} ", ep(p.daddr), ep(p.saddr)));
            s.push_str(&link);
            ttl_tos(&mut s);
            s.push_str(if p.df { "pmtudisc " } else { "nopmtudisc " });
            if t.kind == TunnelKind::Sit {
                if p.i_flags & SIT_ISATAP != 0 {
                    s.push_str("isatap ");
                }
                s.push_str(&ip6rd_text(&t.ip6rd));
                s.push(' ');
            }
        }
        TunnelKind::Vti => {
            s.push_str(&format!("remote {} local {} ", ep(p.daddr), ep(p.saddr)));
            s.push_str(&link);
            if p.i_key != 0 {
                s.push_str(&format!("ikey {} ", Ipv4Addr::from(p.i_key)));
            }
            if p.o_key != 0 {
                s.push_str(&format!("okey {} ", Ipv4Addr::from(p.o_key)));
            }
        }
        _ => {
            s.push_str(&format!("remote {} local {} ", ep(p.daddr), ep(p.saddr)));
            s.push_str(&link);
            ttl_tos(&mut s);
            if !p.df {
                s.push_str("nopmtudisc ");
            }
            if t.ignore_df {
                s.push_str("ignore-df ");
            }
            if p.i_flags & gref::KEY != 0 {
                s.push_str(&format!("ikey {} ", Ipv4Addr::from(p.i_key)));
            }
            if p.o_flags & gref::KEY != 0 {
                s.push_str(&format!("okey {} ", Ipv4Addr::from(p.o_key)));
            }
            for (f, on, w) in [
                (p.i_flags, gref::SEQ, "iseq "),
                (p.o_flags, gref::SEQ, "oseq "),
                (p.i_flags, gref::CSUM, "icsum "),
                (p.o_flags, gref::CSUM, "ocsum "),
            ] {
                if f & on != 0 {
                    s.push_str(w);
                }
            }
            if t.kind == TunnelKind::Erspan {
                s.push_str("erspan_ver 1 ");
            }
        }
    }
    s
}

/// A tunnel's `info_data` of `ip -j -d link`: iptunnel_print_opt() (ipip,
/// sit), gre_print_opt() (gre, gretap, erspan) and vti_print_opt() in a
/// JSON context, where `ttl` is always a number (0: inherit), `tos` a
/// hex string, `pmtudisc` a boolean, endpoints `any` when unset.
pub fn json(w: &World, d: &Device) -> Option<serde_json::Map<String, serde_json::Value>> {
    use serde_json::json;
    let t = d.tunnel()?;
    let p = &t.p;
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, v: serde_json::Value| {
        m.insert(k.to_string(), v);
    };
    // tnl_print_endpoint().
    let ep = |a: Ipv4Addr| {
        if a.is_unspecified() {
            "any".to_string()
        } else {
            a.to_string()
        }
    };
    let link = w
        .ns(t.net)
        .dev(p.link)
        .filter(|_| p.link != 0)
        .map(|l| l.name.clone());
    if matches!(t.kind, TunnelKind::Ipip | TunnelKind::Sit) {
        let proto = match p.protocol {
            IPPROTO_IPIP => "ipip",
            IPPROTO_IPV6 => "ip6ip",
            137 => "mplsip",
            _ => "any",
        };
        put("proto", json!(proto));
    }
    put("remote", json!(ep(p.daddr)));
    put("local", json!(ep(p.saddr)));
    if let Some(l) = link {
        put("link", json!(l));
    }
    let key = |k: u32| Ipv4Addr::from(k).to_string();
    match t.kind {
        TunnelKind::Vti => {
            if p.i_key != 0 {
                put("ikey", json!(key(p.i_key)));
            }
            if p.o_key != 0 {
                put("okey", json!(key(p.o_key)));
            }
        }
        TunnelKind::Ipip | TunnelKind::Sit => {
            put("ttl", json!(p.ttl));
            if p.tos != 0 {
                put("tos", json!(format!("{:#x}", p.tos)));
            }
            put("pmtudisc", json!(p.df));
            if t.kind == TunnelKind::Sit {
                if p.i_flags & SIT_ISATAP != 0 {
                    put("isatap", json!(true));
                }
                let r = &t.ip6rd;
                if r.prefixlen != 0 {
                    put("prefix", json!(r.prefix.to_string()));
                    put("prefixlen", json!(r.prefixlen));
                    if !r.relay_prefix.is_unspecified() {
                        put("relay_prefix", json!(r.relay_prefix.to_string()));
                        put("relay_prefixlen", json!(r.relay_prefixlen));
                    }
                }
            }
        }
        _ => {
            put("ttl", json!(p.ttl));
            if p.tos != 0 {
                put("tos", json!(format!("{:#x}", p.tos)));
            }
            put("pmtudisc", json!(p.df));
            if t.ignore_df {
                put("ignore_df", json!(true));
            }
            if p.i_flags & gref::KEY != 0 {
                put("ikey", json!(key(p.i_key)));
            }
            if p.o_flags & gref::KEY != 0 {
                put("okey", json!(key(p.o_key)));
            }
            for (f, on, k) in [
                (p.i_flags, gref::SEQ, "iseq"),
                (p.o_flags, gref::SEQ, "oseq"),
                (p.i_flags, gref::CSUM, "icsum"),
                (p.o_flags, gref::CSUM, "ocsum"),
            ] {
                if f & on != 0 {
                    put(k, json!(true));
                }
            }
            if t.kind == TunnelKind::Erspan {
                put("erspan_ver", json!(1));
            }
        }
    }
    Some(m)
}
