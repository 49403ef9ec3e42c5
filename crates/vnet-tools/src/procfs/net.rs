//! /proc/net: the namespace's tables as the kernel's seq_files print them
//! (dev.c dev_seq_show, fib_trie.c fib_route_seq_show, arp.c, addrconf.c
//! if6_seq_show, ip6_fib.c ipv6_route_native_seq_show, tcp_ipv4.c,
//! udp.c, raw.c, af_packet.c, proc.c sockstat).
//!
//! What vnet does not keep prints the value an idle kernel shows: timers
//! and retransmits of sockets are 0, kernel pointers are printed as
//! kptr_restrict hides them (zeros), and socket inodes are numbered from
//! the socket ids.

use super::{hex_be32, pad, snmp, Node};
use std::net::{IpAddr, Ipv6Addr};
use vnet_core::addr::Scope;
use vnet_core::ipv4::fib::{RouteType, RT_TABLE_MAIN};
use vnet_core::neigh::NudState;
use vnet_core::sock::tcp::TcpState;
use vnet_core::sock::{SockKind, Socket};
use vnet_core::{NsId, World};

/// The files of /proc/net that vnet simulates.
const FILES: &[&str] = &[
    "arp",
    "dev",
    "dev_mcast",
    "if_inet6",
    "igmp",
    "igmp6",
    "ipv6_route",
    "netstat",
    "nf_conntrack",
    "packet",
    "raw",
    "raw6",
    "route",
    "snmp",
    "snmp6",
    "sockstat",
    "sockstat6",
    "tcp",
    "tcp6",
    "udp",
    "udp6",
    "unix",
];

pub(super) fn lookup(w: &World, ns: NsId, tail: &[&str]) -> Option<Node> {
    let vlan = vlan_loaded(w);
    let bonding = super::bonding::loaded(w);
    match tail {
        ["bonding", rest @ ..] if bonding => return super::bonding::proc(w, ns, rest),
        ["vlan"] if vlan => return Some(Node::dir(["config"])),
        ["vlan", "config"] if vlan => return Some(Node::text(vlan_config(w, ns))),
        _ => {}
    }
    let [name] = tail else {
        return if tail.is_empty() {
            let mut v: Vec<&str> = FILES.to_vec();
            if vlan {
                v.push("vlan");
            }
            if bonding {
                v.push("bonding");
            }
            v.sort_unstable();
            Some(Node::dir(v))
        } else {
            None
        };
    };
    Some(Node::text(match *name {
        "dev" => dev(w, ns),
        "route" => route(w, ns),
        "arp" => arp(w, ns),
        "if_inet6" => if_inet6(w, ns),
        "ipv6_route" => ipv6_route(w, ns),
        "tcp" => tcp(w, ns),
        "udp" => udp(w, ns),
        "raw" => raw(w, ns, false),
        "raw6" => raw(w, ns, true),
        "tcp6" => TCP6_HEADER.to_string(),
        "udp6" => UDP6_HEADER.to_string(),
        "packet" => packet(w, ns),
        "sockstat" => sockstat(w, ns),
        "sockstat6" => sockstat6(w, ns),
        "unix" => "Num       RefCount Protocol Flags    Type St Inode Path\n".to_string(),
        "snmp" => snmp::snmp(w, ns),
        "snmp6" => snmp::snmp6(w, ns),
        "netstat" => snmp::netstat(w, ns),
        "nf_conntrack" => crate::conntrack::proc_file(w, ns),
        "igmp" => super::mcast::igmp(w, ns),
        "igmp6" => super::mcast::igmp6(w, ns),
        "dev_mcast" => super::mcast::dev_mcast(w, ns),
        _ => return None,
    }))
}

/// dev_seq_show(): one line per device, in index order, with the folded
/// counters of dev_seq_printf_stats().
fn dev(w: &World, ns: NsId) -> String {
    let mut s = String::from(
        "Inter-|   Receive                                                |  Transmit\n \
         face |bytes    packets errs drop fifo frame compressed multicast|\
         bytes    packets errs drop fifo colls carrier compressed\n",
    );
    for d in w.ns(ns).devs().values() {
        let t = &d.stats;
        s.push_str(&format!(
            "{:>6}:{:8} {:7} {:4} {:4} {:4} {:5} {:10} {:9} {:8} {:7} {:4} {:4} {:4} {:5} {:7} {:10}\n",
            d.name,
            t.rx_bytes,
            t.rx_packets,
            t.rx_errors,
            t.rx_dropped,
            0,
            0,
            0,
            t.rx_multicast,
            t.tx_bytes,
            t.tx_packets,
            t.tx_errors,
            t.tx_dropped,
            0,
            t.collisions,
            t.tx_carrier,
            0
        ));
    }
    s
}

const RTF_UP: u32 = 0x1;
const RTF_GATEWAY: u32 = 0x2;
const RTF_HOST: u32 = 0x4;
const RTF_REJECT: u32 = 0x200;

/// fib_route_seq_show(): the main table in trie order (by network, the
/// longer prefix first), without broadcast and multicast routes; nothing
/// at all, not even the header, while the namespace has no main table
/// (fib_route_seq_start() stops at once). The kernel makes the main table
/// with the first route of any table (the local table aliases it).
fn route(w: &World, ns: NsId) -> String {
    let n = w.ns(ns);
    if n.fib().tables.is_empty() {
        return String::new();
    }
    let mut s = pad(
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
        127,
    );
    let Some(t) = n.fib().table(RT_TABLE_MAIN) else {
        return s;
    };
    let mut rs: Vec<_> = t
        .iter()
        .filter(|r| !matches!(r.rtype, RouteType::Broadcast | RouteType::Multicast))
        .collect();
    rs.sort_by_key(|r| (u32::from(r.dst.addr), std::cmp::Reverse(r.dst.len)));
    for r in rs {
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
        let iface = r
            .dev
            .and_then(|i| n.dev(i))
            .map_or("*".to_string(), |d| d.name.clone());
        let gw = r.gateway.unwrap_or(std::net::Ipv4Addr::UNSPECIFIED);
        s.push_str(&pad(
            &format!(
                // The MTU column is advmss + 40, and 0 without an advmss
                // (vnet has none): a route's `mtu` does not show here.
                "{iface}\t{}\t{}\t{flags:04X}\t0\t0\t{}\t{}\t0\t0\t0",
                hex_be32(r.dst.addr),
                hex_be32(gw),
                r.metric as i32,
                hex_be32(r.dst.mask()),
            ),
            127,
        ));
    }
    s
}

/// arp_seq_show(): the IPv4 neighbours (not the NOARP ones), with
/// ATF_COM for a valid address and ATF_PERM for a permanent entry.
fn arp(w: &World, ns: NsId) -> String {
    let n = w.ns(ns);
    let mut s = String::from(
        "IP address       HW type     Flags       HW address            Mask     Device\n",
    );
    for (ifindex, ip, e) in n.neigh().iter() {
        let IpAddr::V4(ip) = ip else { continue };
        if matches!(e.state, NudState::Noarp | NudState::None) {
            continue;
        }
        let Some(d) = n.dev(ifindex) else { continue };
        let mut flags = 0u32;
        if e.state.valid() {
            flags |= 0x2;
        }
        if e.state == NudState::Permanent {
            flags |= 0x4;
        }
        let mac = e.lladdr.unwrap_or(vnet_core::Mac::ZERO);
        s.push_str(&format!(
            "{:<16} 0x{:<10x}0x{:<10x}{:<17}     {:<8} {}\n",
            ip.to_string(),
            d.arphrd(),
            flags,
            mac.to_string(),
            "*",
            d.name
        ));
    }
    // The proxy entries follow (arp_format_pneigh_entry()): published
    // and permanent, no address; "*" for an entry of every device.
    for p in n.neigh().proxies.dump_order() {
        let IpAddr::V4(ip) = p.key else { continue };
        let d = p.dev.and_then(|i| n.dev(i));
        s.push_str(&format!(
            "{:<16} 0x{:<10x}0x{:<10x}{}     *        {}\n",
            ip.to_string(),
            d.map_or(0, |d| d.arphrd()),
            0xc,
            "00:00:00:00:00:00",
            d.map_or("*", |d| d.name.as_str())
        ));
    }
    s
}

fn hex6(a: Ipv6Addr) -> String {
    a.octets().iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of ifa->scope (IPV6_ADDR_SCOPE_* << 4 as addrconf keeps it).
fn scope6(s: Scope) -> u8 {
    match s {
        Scope::Host => 0x10,
        Scope::Link => 0x20,
        Scope::Site => 0x50,
        _ => 0x00,
    }
}

/// if6_seq_show(): every IPv6 address with its device index, prefix
/// length, scope and flags (IFA_F_PERMANENT, TENTATIVE, NODAD). The
/// kernel walks a hash table seeded per namespace; vnet lists addresses in
/// the namespace's order.
fn if_inet6(w: &World, ns: NsId) -> String {
    let n = w.ns(ns);
    let mut s = String::new();
    for a in n.addrs6() {
        let Some(d) = n.dev(a.ifindex) else { continue };
        let mut flags = 0u8;
        if a.nodad {
            flags |= 0x02;
        }
        if a.tentative(w.now()) {
            flags |= 0x40;
        }
        // Addresses without a lifetime are permanent, whoever made them.
        flags |= 0x80;
        s.push_str(&format!(
            "{} {:02x} {:02x} {:02x} {:02x} {:>8}\n",
            hex6(a.addr),
            a.ifindex,
            a.prefix_len,
            scope6(a.scope),
            flags,
            d.name
        ));
    }
    s
}

const RTF6_GATEWAY: u32 = 0x2;
const RTF6_REJECT: u32 = 0x200;
const RTF6_NONEXTHOP: u32 = 0x0020_0000;
const RTF6_ANYCAST: u32 = 0x0010_0000;
const RTF6_LOCAL: u32 = 0x8000_0000;

/// ipv6_route_native_seq_show(): the main table (the kernel's prefix
/// routes and the administrator's, each subtree before its node, then the
/// null entry), then the local table (a host route per address, ff00::/8
/// per link, the null entry). Reference counts are those of an idle
/// kernel (1 for a route, 2 for a local one, 3 for ::1).
fn ipv6_route(w: &World, ns: NsId) -> String {
    let n = w.ns(ns);
    let name = |i: Option<u32>| {
        i.and_then(|i| n.dev(i))
            .map_or("lo".to_string(), |d| d.name.clone())
    };
    let line = |dst: Ipv6Addr,
                len: u8,
                gw: Option<Ipv6Addr>,
                metric: u32,
                refc: u32,
                flags: u32,
                dev: &str| {
        format!(
            "{} {len:02x} {} 00 {} {metric:08x} {refc:08x} 00000000 {flags:08x} {dev:>8}\n",
            hex6(dst),
            hex6(Ipv6Addr::UNSPECIFIED),
            hex6(gw.unwrap_or(Ipv6Addr::UNSPECIFIED))
        )
    };
    let null = line(
        Ipv6Addr::UNSPECIFIED,
        0,
        None,
        u32::MAX,
        1,
        RTF6_REJECT | RTF6_NONEXTHOP,
        "lo",
    );
    // The main table: fib6_walk() visits a node's subtree before the node.
    let mut main: Vec<(u128, u8, String)> = Vec::new();
    let mut seen: Vec<(Ipv6Addr, u8, Option<u32>)> = Vec::new();
    for r in w.fib6_routes(ns) {
        if r.kernel {
            if seen.contains(&(r.dst, r.len, r.dev)) {
                continue;
            }
            seen.push((r.dst, r.len, r.dev));
        }
        let mut flags = 0x1;
        if r.gateway.is_some() {
            flags |= RTF6_GATEWAY;
        }
        // Error routes (blackhole, unreachable, prohibit) hang on lo and are
        // not "up": RTF_REJECT | RTF_NONEXTHOP, as the null entry.
        let dev = if r.rtype == RouteType::Unicast {
            name(r.dev)
        } else {
            flags = RTF6_REJECT | RTF6_NONEXTHOP;
            "lo".to_string()
        };
        main.push((
            u128::from(r.dst),
            r.len,
            line(r.dst, r.len, r.gateway, r.metric, 1, flags, &dev),
        ));
    }
    main.sort_by_key(|l| {
        let host = if l.1 >= 128 { 0 } else { u128::MAX >> l.1 };
        (l.0 | host, std::cmp::Reverse(l.1))
    });
    // The root's null entry shows while no default route takes its place.
    let has_default = main.iter().any(|l| l.1 == 0);
    let mut s: String = main.into_iter().map(|l| l.2).collect();
    if !has_default {
        s.push_str(&null);
    }
    // The local table.
    let mut locals: Vec<(u128, String)> = n
        .addrs6()
        .iter()
        // The host route goes in once DAD is done (addrconf_dad_completed).
        .filter(|a| n.dev(a.ifindex).is_some_and(|d| d.up) && !a.tentative(w.now()))
        .map(|a| {
            let refc = if a.addr.is_loopback() { 3 } else { 2 };
            (
                u128::from(a.addr),
                line(
                    a.addr,
                    128,
                    None,
                    0,
                    refc,
                    RTF6_LOCAL | RTF6_NONEXTHOP | 0x1,
                    &name(Some(a.ifindex)),
                ),
            )
        })
        .collect();
    // Subnet-router anycast addresses of forwarding devices (RTF_ANYCAST).
    for d in n.devs().values().filter(|d| d.up) {
        for (ac, _) in super::mcast::anycasts(w, ns, d) {
            locals.push((
                u128::from(ac),
                line(
                    ac,
                    128,
                    None,
                    0,
                    1,
                    RTF6_ANYCAST | RTF6_NONEXTHOP | 0x1,
                    &d.name,
                ),
            ));
        }
    }
    locals.sort_by_key(|l| l.0);
    s.extend(locals.into_iter().map(|l| l.1));
    let mut links: Vec<u32> = Vec::new();
    for a in n.addrs6() {
        if a.scope == Scope::Link && !links.contains(&a.ifindex) {
            links.push(a.ifindex);
        }
    }
    for i in links {
        s.push_str(&line(
            Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0),
            8,
            None,
            256,
            2,
            0x1,
            &name(Some(i)),
        ));
    }
    s.push_str(&null);
    s
}

const TCP_HEADER: &str =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
const UDP_HEADER: &str = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";
const TCP6_HEADER: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
const UDP6_HEADER: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n";
const NULL_PTR: &str = "0000000000000000";

/// The inode number a socket's file would have (six digits, as on a
/// machine that has been up a while: the columns then line up alike).
fn inode(id: usize) -> usize {
    200000 + id
}

/// tcp4_seq_show(): listeners first (the listening hash), then the other
/// sockets (the established hash), numbered in that order.
fn tcp(w: &World, ns: NsId) -> String {
    let mut s = pad(TCP_HEADER, 149);
    let mut socks: Vec<(usize, &vnet_core::sock::tcp::TcpSock)> = w
        .sockets_in(ns)
        .filter_map(|(id, so)| match &so.kind {
            SockKind::Tcp(t) if t.state != TcpState::Close => Some((id, &**t)),
            _ => None,
        })
        .collect();
    socks.sort_by_key(|(_, t)| t.state != TcpState::Listen);
    for (i, (id, t)) in socks.into_iter().enumerate() {
        let l = t.local;
        let r = t.remote;
        let line = if t.state == TcpState::TimeWait {
            format!(
                "{i:4}: {}:{:04X} {}:{:04X} {:02X} {:08X}:{:08X} {:02X}:{:08X} {:08X} {:5} {:8} {} {} {NULL_PTR}",
                hex_be32(*l.ip()), l.port(), hex_be32(*r.ip()), r.port(),
                t.state as u8, 0, 0, 3, 0, 0, 0, 0, 0, 3
            )
        } else {
            let listen = t.state == TcpState::Listen;
            let (txq, rxq) = if listen {
                (0, t.accept_queue.len())
            } else {
                (t.snd_nxt.wrapping_sub(t.snd_una) as usize, t.rcv_buf.len())
            };
            let early = matches!(
                t.state,
                TcpState::Listen | TcpState::SynSent | TcpState::SynRecv
            );
            let rto = if early { 100 } else { 20 };
            format!(
                "{i:4}: {}:{:04X} {}:{:04X} {:02X} {txq:08X}:{rxq:08X} {:02X}:{:08X} {:08X} {:5} {:8} {} {} {NULL_PTR} {rto} 0 {} {} {}",
                hex_be32(*l.ip()), l.port(), hex_be32(*r.ip()), r.port(),
                t.state as u8, 0, 0, 0, 0, 0, inode(id), 1, 0, 10,
                if listen { 0 } else { -1 }
            )
        };
        s.push_str(&pad(&line, 149));
    }
    s
}

/// udp4_seq_show(): bound sockets by hash bucket (the port modulo the
/// table size, host-dependent in the kernel: 128 slots here).
fn udp(w: &World, ns: NsId) -> String {
    let mut s = pad(UDP_HEADER, 127);
    let mut socks: Vec<(usize, &vnet_core::sock::udp::UdpSock)> = w
        .sockets_in(ns)
        .filter_map(|(id, so)| match &so.kind {
            SockKind::Udp(u) if u.local.port() != 0 => Some((id, u)),
            _ => None,
        })
        .collect();
    socks.sort_by_key(|(_, u)| u.local.port() & 127);
    for (id, u) in socks {
        let l = u.local;
        let r = u.remote.unwrap_or(std::net::SocketAddrV4::new(
            std::net::Ipv4Addr::UNSPECIFIED,
            0,
        ));
        let st = if u.remote.is_some() { 1 } else { 7 };
        let rxq: usize = u.rx.iter().map(|d| d.data.len()).sum();
        s.push_str(&pad(
            &format!(
                "{:5}: {}:{:04X} {}:{:04X} {st:02X} {:08X}:{rxq:08X} 00:00000000 00000000 {:5} {:8} {} 2 {NULL_PTR} 0",
                l.port() & 127,
                hex_be32(*l.ip()),
                l.port(),
                hex_be32(*r.ip()),
                r.port(),
                0,
                0,
                0,
                inode(id)
            ),
            127,
        ));
    }
    s
}

/// raw_seq_show(): raw ICMP sockets (ping's), by protocol bucket; the
/// "port" is the protocol number.
fn raw(w: &World, ns: NsId, v6: bool) -> String {
    let proto = if v6 { 58 } else { 1 };
    let mut s = if v6 {
        UDP6_HEADER.to_string()
    } else {
        String::from(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n",
        )
    };
    for (id, so) in w.sockets_in(ns) {
        let SockKind::IcmpRaw { v6: sv6, .. } = &so.kind else {
            continue;
        };
        if *sv6 != v6 {
            continue;
        }
        let zero = if v6 {
            hex6(Ipv6Addr::UNSPECIFIED)
        } else {
            "00000000".to_string()
        };
        s.push_str(&format!(
            "{proto:4}: {zero}:{proto:04X} {zero}:0000 07 00000000:00000000 00:00000000 00000000     0        0 {} 2 {NULL_PTR} 0\n",
            inode(id)
        ));
    }
    s
}

/// packet_seq_show(): packet sockets (tcpdump's): SOCK_RAW, ETH_P_ALL.
fn packet(w: &World, ns: NsId) -> String {
    let mut s = format!(
        "{:<17}RefCnt Type Proto  Iface R Rmem   User   Inode\n",
        "sk"
    );
    for (id, so) in w.sockets_in(ns) {
        let SockKind::Packet { ifindex, .. } = &so.kind else {
            continue;
        };
        s.push_str(&format!(
            "{NULL_PTR} {:<6} {:<4} {:04x}   {:<5} {:1} {:<6} {:<6} {:<6}\n",
            3,
            3,
            0x0003,
            ifindex.filter(|i| *i != u32::MAX).unwrap_or(0),
            1,
            0,
            0,
            inode(id)
        ));
    }
    s
}

fn count(w: &World, ns: NsId, f: impl Fn(&Socket) -> bool) -> usize {
    w.sockets_in(ns).filter(|(_, s)| f(s)).count()
}

fn is_tcp(s: &Socket, pred: impl Fn(TcpState) -> bool) -> bool {
    matches!(&s.kind, SockKind::Tcp(t) if pred(t.state))
}

/// sockstat_seq_show(). `alloc` and `mem` are machine-wide in the kernel
/// (every namespace's sockets, pages of buffers); vnet counts this
/// namespace's sockets and keeps no page accounting.
fn sockstat(w: &World, ns: NsId) -> String {
    let used = count(w, ns, |_| true);
    let tcp_inuse = count(w, ns, |s| {
        is_tcp(s, |st| !matches!(st, TcpState::Close | TcpState::TimeWait))
    });
    let tw = count(w, ns, |s| is_tcp(s, |st| st == TcpState::TimeWait));
    let alloc = count(w, ns, |s| is_tcp(s, |st| st != TcpState::TimeWait));
    let udp = count(
        w,
        ns,
        |s| matches!(&s.kind, SockKind::Udp(u) if u.local.port() != 0),
    );
    let raw = count(w, ns, |s| {
        matches!(&s.kind, SockKind::IcmpRaw { v6: false, .. })
    });
    format!(
        "sockets: used {used}\nTCP: inuse {tcp_inuse} orphan 0 tw {tw} alloc {alloc} mem 0\n\
         UDP: inuse {udp} mem 0\nUDPLITE: inuse 0\nRAW: inuse {raw}\nFRAG: inuse 0 memory 0\n"
    )
}

fn sockstat6(w: &World, ns: NsId) -> String {
    let raw = count(w, ns, |s| {
        matches!(&s.kind, SockKind::IcmpRaw { v6: true, .. })
    });
    format!(
        "TCP6: inuse 0\nUDP6: inuse 0\nUDPLITE6: inuse 0\nRAW6: inuse {raw}\nFRAG6: inuse 0 memory 0\n"
    )
}

/// Whether 8021q is loaded: here, while a vlan exists on the host (the
/// module's pernet init makes /proc/net/vlan in every namespace).
fn vlan_loaded(w: &World) -> bool {
    w.netns_iter().any(|n| {
        w.host_of(n.id()) == w.cur_host()
            && n.devs()
                .values()
                .any(|d| matches!(d.kind, vnet_core::dev::DevKind::Vlan(_)))
    })
}

/// /proc/net/vlan/config (net/8021q/vlanproc.c vlan_seq_show): the
/// namespace's vlans with their ids and real devices.
fn vlan_config(w: &World, ns: NsId) -> String {
    let mut s =
        String::from("VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\n");
    for d in w.ns(ns).devs().values() {
        if let vnet_core::dev::DevKind::Vlan(v) = &d.kind {
            let lower = w.dev(v.lower).map(|l| l.name.as_str()).unwrap_or("");
            s.push_str(&format!("{:<15}| {}  | {}\n", d.name, v.id, lower));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_namespace_has_headers_only() {
        let mut w = World::new(1);
        let ns = w.netns_add("a").unwrap();
        // No main table yet: not even the header.
        assert_eq!(route(&w, ns), "");
        assert_eq!(tcp(&w, ns).len(), 150);
        assert_eq!(udp(&w, ns).len(), 128);
        assert!(dev(&w, ns).ends_with(
            "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n"
        ));
        assert_eq!(arp(&w, ns).lines().count(), 1);
        assert!(lookup(&w, ns, &["nope"]).is_none());
        assert!(lookup(&w, ns, &["dev", "x"]).is_none());
    }
}
