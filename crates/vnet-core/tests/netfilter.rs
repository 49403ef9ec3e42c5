//! Netfilter end to end through the core's API: seed 000's NAT gateway
//! (MASQUERADE, FORWARD policy DROP with two ACCEPT rules, ICMP id
//! mapping) and a DNAT whose ICMP error is translated back (RFC 5508).

use std::net::Ipv4Addr;
use vnet_core::addr::Ifaddr4;
use vnet_core::dev::rtnetlink::LinkChange;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::ipv4::fib::Route;
use vnet_core::ipv4::fib_frontend::RouteAdd;
use vnet_core::netfilter::ct::{status, Dir};
use vnet_core::netfilter::rule::{IpSpec, Match, NatRange};
use vnet_core::netfilter::{Policy, Rule, Table, TableId, Target};
use vnet_core::sock::Socket;
use vnet_core::{NsId, Prefix4, Time, World};

fn veth(w: &mut World, ns: NsId, a: &str, peer_ns: NsId, b: &str) {
    w.link_add(
        ns,
        a,
        NewLink::Veth {
            peer: b.into(),
            peer_ns: Some(peer_ns),
            peer_mac: None,
        },
        None,
    )
    .unwrap();
}

fn addr(w: &mut World, ns: NsId, dev: &str, a: [u8; 4], len: u8) {
    w.sysctl_write(ns, "net.ipv6.conf.all.disable_ipv6", "1")
        .unwrap();
    let ifindex = w.ns(ns).ifindex_of(dev).unwrap();
    w.addr_add(ns, Ifaddr4::new(ifindex, Ipv4Addr::from(a), len))
        .unwrap();
    w.link_set(ns, ifindex, LinkChange::Up(true)).unwrap();
}

const MYSPACE: NsId = 1;

/// Seed 000: host (eth0 192.168.1.32 towards host2 192.168.1.15, veth1
/// 192.168.45.2) and myspace (veth2 192.168.45.3, default via veth1).
struct Lab {
    w: World,
    host: NsId,
    myspace: NsId,
    host2: NsId,
}

fn lab() -> Lab {
    let mut w = World::new(3);
    let host = 0;
    let myspace = w.netns_add("myspace").unwrap();
    assert_eq!(myspace, MYSPACE);
    let host2 = w.netns_add("host2").unwrap();
    veth(&mut w, host, "eth0", host2, "eth0");
    veth(&mut w, host, "veth1", myspace, "veth2");
    addr(&mut w, host, "eth0", [192, 168, 1, 32], 24);
    addr(&mut w, host2, "eth0", [192, 168, 1, 15], 24);
    addr(&mut w, host, "veth1", [192, 168, 45, 2], 24);
    addr(&mut w, myspace, "veth2", [192, 168, 45, 3], 24);
    let via = Route::via(Prefix4::DEFAULT, Ipv4Addr::new(192, 168, 45, 2));
    w.route_add(myspace, via, RouteAdd::Excl).unwrap();
    w.sysctl_write(host, "net.ipv4.ip_forward", "1").unwrap();
    if std::env::var("NF_TRACE").is_ok() {
        w.set_tracer(Some(Box::new(|t: &vnet_core::trace::Traced| {
            eprintln!("{t}")
        })));
    }
    let t = w.now() + Time::from_secs(2);
    w.advance(t);
    Lab {
        w,
        host,
        myspace,
        host2,
    }
}

fn rule(ip: IpSpec, target: Target) -> Rule {
    Rule {
        ip,
        matches: vec![],
        target,
        counters: Default::default(),
        handle: 0,
    }
}

fn masquerade(l: &mut Lab) {
    let mut nat = Table::new(TableId::Nat);
    nat.chain_mut("POSTROUTING").unwrap().rules.push(rule(
        IpSpec {
            src: Ipv4Addr::new(192, 168, 45, 0).into(),
            smsk: Ipv4Addr::new(255, 255, 255, 0).into(),
            outiface: "eth0".into(),
            ..IpSpec::default()
        },
        Target::Masquerade(NatRange::EMPTY),
    ));
    l.w.nf_replace_table(l.host, nat);
}

/// What one ping saw: the replies' (id, ttl) back in the sender's
/// namespace, and the requests' (source, id) as host2 received them.
type Seen = (Vec<(u16, u8)>, Vec<(Ipv4Addr, u16)>);

/// Sends an echo request with `id` from `ns` to host2.
fn ping(l: &mut Lab, ns: NsId, id: u16) -> Seen {
    let mine = l.w.socket_add(Socket::icmp_raw(ns));
    let theirs = l.w.socket_add(Socket::icmp_raw(l.host2));
    let echo = vnet_core::wire::icmp::icmp_echo(id, 1, &[0u8; 56]);
    let _ = l.w.ip_send(
        ns,
        None,
        Ipv4Addr::new(192, 168, 1, 15),
        None,
        1,
        None,
        true,
        0,
        &echo,
    );
    let t = l.w.now() + Time::from_secs(1);
    l.w.advance(t);
    let got = |w: &mut World, s: usize, typ: u8| -> Vec<(Ipv4Addr, u16, u8)> {
        w.icmp_recv_all(s)
            .into_iter()
            .filter(|m| m.icmp[0] == typ)
            .filter_map(|m| match m.src {
                std::net::IpAddr::V4(a) => {
                    Some((a, u16::from_be_bytes([m.icmp[4], m.icmp[5]]), m.ttl))
                }
                _ => None,
            })
            .collect()
    };
    let replies = got(&mut l.w, mine, 0)
        .into_iter()
        .map(|(_, id, ttl)| (id, ttl))
        .collect();
    let requests = got(&mut l.w, theirs, 8)
        .into_iter()
        .map(|(src, id, _)| (src, id))
        .collect();
    l.w.socket_close(mine);
    l.w.socket_close(theirs);
    (replies, requests)
}

#[test]
fn without_masquerade_the_request_leaves_with_its_private_source_and_no_reply_comes() {
    let mut l = lab();
    let (replies, requests) = ping(&mut l, MYSPACE, 7);
    assert_eq!(requests, vec![(Ipv4Addr::new(192, 168, 45, 3), 7)]);
    assert!(replies.is_empty());
}

#[test]
fn masquerade_translates_both_ways_and_the_reply_arrives_with_ttl_63() {
    let mut l = lab();
    masquerade(&mut l);
    let (replies, requests) = ping(&mut l, MYSPACE, 29610);
    assert_eq!(requests, vec![(Ipv4Addr::new(192, 168, 1, 32), 29610)]);
    assert_eq!(replies, vec![(29610, 63)]);
    let ct = &l.w.ns(l.host).nf().conntrack;
    let (_, c) = ct.iter().next().expect("one connection");
    assert_eq!(c.tuple[0].src, Ipv4Addr::new(192, 168, 45, 3));
    assert_eq!(c.tuple[1].dst, Ipv4Addr::new(192, 168, 1, 32));
    assert!(c.has(status::SRC_NAT | status::SEEN_REPLY | status::CONFIRMED));
    assert_eq!(ct.count(), 1);
    // Nothing is tracked where no rule asked for it.
    assert_eq!(l.w.ns(l.myspace).nf().conntrack.count(), 0);
}

#[test]
fn forward_policy_drop_needs_both_accept_rules() {
    let mut l = lab();
    masquerade(&mut l);
    let mut filter = Table::new(TableId::Filter);
    // iptables -P: the policy and, from now on, its counter.
    let fwd = filter.chain_mut("FORWARD").unwrap();
    fwd.policy = Policy::Drop;
    fwd.policy_counted = true;
    l.w.nf_replace_table(l.host, filter);
    assert!(
        ping(&mut l, MYSPACE, 1).1.is_empty(),
        "dropped on the way out"
    );
    let out = rule(
        IpSpec {
            iniface: "veth1".into(),
            outiface: "eth0".into(),
            ..IpSpec::default()
        },
        Target::Accept,
    );
    // Like iptables -A: edit the installed table, counters included.
    let mut filter = l.w.ns(l.host).nf().table(TableId::Filter).unwrap().clone();
    filter.chain_mut("FORWARD").unwrap().rules.push(out);
    l.w.nf_replace_table(l.host, filter);
    let (replies, requests) = ping(&mut l, MYSPACE, 2);
    assert_eq!(requests.len(), 1);
    assert!(replies.is_empty(), "the reply is dropped on the way back");
    let back = rule(
        IpSpec {
            iniface: "eth0".into(),
            outiface: "veth1".into(),
            ..IpSpec::default()
        },
        Target::Accept,
    );
    let mut filter = l.w.ns(l.host).nf().table(TableId::Filter).unwrap().clone();
    filter.chain_mut("FORWARD").unwrap().rules.push(back);
    l.w.nf_replace_table(l.host, filter);
    let (replies, _) = ping(&mut l, MYSPACE, 3);
    assert_eq!(replies, vec![(3, 63)]);
    let f = l.w.ns(l.host).nf().table(TableId::Filter).unwrap();
    let fwd = f.chain("FORWARD").unwrap();
    // Policy: ids 1 and 2's reply; rule 1: requests 2 and 3; rule 2: reply 3.
    assert_eq!(fwd.counters.pkts, 2);
    assert_eq!(fwd.rules[0].counters.pkts, 2);
    assert_eq!(fwd.rules[1].counters.pkts, 1);
    assert_eq!(fwd.rules[1].counters.bytes, 84);
}

#[test]
fn two_namespaces_with_the_same_id_behind_one_masquerade_both_get_replies() {
    let mut l = lab();
    masquerade(&mut l);
    let other = l.w.netns_add("other").unwrap();
    veth(&mut l.w, l.host, "veth3", other, "veth4");
    addr(&mut l.w, l.host, "veth3", [192, 168, 45, 129], 25);
    // A second /24 would overlap; use a /25 split instead.
    addr(&mut l.w, other, "veth4", [192, 168, 45, 130], 25);
    let via = Route::via(Prefix4::DEFAULT, Ipv4Addr::new(192, 168, 45, 129));
    l.w.route_add(other, via, RouteAdd::Excl).unwrap();
    let t = l.w.now() + Time::from_secs(2);
    l.w.advance(t);
    let (r1, q1) = ping(&mut l, MYSPACE, 500);
    let (r2, q2) = ping(&mut l, other, 500);
    assert_eq!(r1, vec![(500, 63)]);
    assert_eq!(
        r2,
        vec![(500, 63)],
        "the reply is mapped back to the original id"
    );
    assert_eq!(q1, vec![(Ipv4Addr::new(192, 168, 1, 32), 500)]);
    assert_eq!(q2.len(), 1);
    assert_ne!(
        q2[0].1, 500,
        "the second flow needed another id on the wire"
    );
    let ct = &l.w.ns(l.host).nf().conntrack;
    assert_eq!(ct.count(), 2);
    assert!(ct
        .iter()
        .all(|(_, c)| c.tuple[Dir::Original as usize].sport == 500));
}

#[test]
fn dnat_error_is_translated_back_to_what_the_client_sent() {
    let mut l = lab();
    let mut nat = Table::new(TableId::Nat);
    let mut r = rule(
        IpSpec {
            iniface: "eth0".into(),
            proto: 17,
            ..IpSpec::default()
        },
        Target::Dnat(NatRange {
            addr: Some((
                Ipv4Addr::new(192, 168, 45, 3),
                Ipv4Addr::new(192, 168, 45, 3),
            )),
            ports: Some((80, 80)),
            ..NatRange::EMPTY
        }),
    );
    r.matches.push(Match::Udp {
        sport: (0, 65535),
        dport: (8080, 8080),
        inv: 0,
    });
    nat.chain_mut("PREROUTING").unwrap().rules.push(r);
    l.w.nf_replace_table(l.host, nat);
    let err = l.w.socket_add(Socket::icmp_raw(l.host2));
    let mut udp = vec![0u8; 8];
    udp[0..2].copy_from_slice(&5555u16.to_be_bytes());
    udp[2..4].copy_from_slice(&8080u16.to_be_bytes());
    udp[4..6].copy_from_slice(&8u16.to_be_bytes());
    l.w.ip_send(
        l.host2,
        None,
        Ipv4Addr::new(192, 168, 1, 32),
        None,
        17,
        None,
        false,
        0,
        &udp,
    )
    .unwrap();
    let t = l.w.now() + Time::from_secs(1);
    l.w.advance(t);
    let rx = l.w.icmp_recv_all(err);
    let m = rx
        .iter()
        .find(|m| m.icmp[0] == 3)
        .expect("port unreachable");
    assert_eq!(m.icmp[1], 3);
    // The outer source is the address the client talked to, and the quoted
    // datagram is the one it sent: to 192.168.1.32:8080.
    assert_eq!(m.src, Ipv4Addr::new(192, 168, 1, 32));
    let q = &m.icmp[8..];
    assert_eq!(&q[16..20], &[192, 168, 1, 32]);
    assert_eq!(u16::from_be_bytes([q[22], q[23]]), 8080);
    assert_eq!(
        vnet_core::wire::checksum::checksum(&q[..20]),
        0,
        "inner header checksum"
    );
    assert_eq!(
        vnet_core::wire::checksum::checksum(&m.icmp),
        0,
        "ICMP checksum"
    );
}

#[test]
fn nat_loopback_reaches_an_inside_server_through_the_public_address_and_back() {
    use std::net::SocketAddrV4;
    // A server behind the gateway, 192.168.46.4, serves UDP port 80; the
    // gateway forwards 192.168.1.32:8080 to it and masquerades inside →
    // inside traffic, so an inside client can use the public address and
    // the answer comes back through the gateway (NAT loopback).
    let mut l = lab();
    let server = l.w.netns_add("server").unwrap();
    veth(&mut l.w, l.host, "veth5", server, "veth6");
    addr(&mut l.w, l.host, "veth5", [192, 168, 46, 1], 24);
    addr(&mut l.w, server, "veth6", [192, 168, 46, 4], 24);
    let via = Route::via(Prefix4::DEFAULT, Ipv4Addr::new(192, 168, 46, 1));
    l.w.route_add(server, via, RouteAdd::Excl).unwrap();
    let t = l.w.now() + Time::from_secs(2);
    l.w.advance(t);
    let mut nat = Table::new(TableId::Nat);
    let mut dnat = rule(
        IpSpec {
            dst: Ipv4Addr::new(192, 168, 1, 32).into(),
            dmsk: Ipv4Addr::BROADCAST.into(),
            proto: 17,
            ..IpSpec::default()
        },
        Target::Dnat(NatRange {
            addr: Some((
                Ipv4Addr::new(192, 168, 46, 4),
                Ipv4Addr::new(192, 168, 46, 4),
            )),
            ports: Some((80, 80)),
            ..NatRange::EMPTY
        }),
    );
    dnat.matches.push(Match::Udp {
        sport: (0, 65535),
        dport: (8080, 8080),
        inv: 0,
    });
    nat.chain_mut("PREROUTING").unwrap().rules.push(dnat);
    nat.chain_mut("POSTROUTING").unwrap().rules.push(rule(
        IpSpec {
            src: Ipv4Addr::new(192, 168, 45, 0).into(),
            smsk: Ipv4Addr::new(255, 255, 255, 0).into(),
            outiface: "veth5".into(),
            ..IpSpec::default()
        },
        Target::Masquerade(NatRange::EMPTY),
    ));
    l.w.nf_replace_table(l.host, nat);
    let srv = l.w.udp_socket(server);
    l.w.udp_bind(srv, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 80))
        .unwrap();
    let cli = l.w.udp_socket(MYSPACE);
    l.w.udp_bind(cli, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 5000))
        .unwrap();
    let public = SocketAddrV4::new(Ipv4Addr::new(192, 168, 1, 32), 8080);
    l.w.udp_sendto(cli, Some(public), b"ping").unwrap();
    let t = l.w.now() + Time::from_secs(1);
    l.w.advance(t);
    let got =
        l.w.udp_recv(srv, false)
            .unwrap()
            .expect("the server got it");
    // The server sees the gateway, not the LAN client.
    assert_eq!(*got.from.ip(), Ipv4Addr::new(192, 168, 46, 1));
    l.w.udp_sendto(srv, Some(got.from), b"pong").unwrap();
    let t = l.w.now() + Time::from_secs(1);
    l.w.advance(t);
    let back =
        l.w.udp_recv(cli, false)
            .unwrap()
            .expect("the answer came back");
    // ... and the client sees the public address it talked to.
    assert_eq!(back.from, public);
    assert_eq!(back.data, b"pong");
}

#[test]
fn log_writes_the_kernel_line_in_the_initial_namespace_only() {
    let mut l = lab();
    masquerade(&mut l);
    let log = |prefix: &str| {
        rule(
            IpSpec {
                proto: 1,
                ..IpSpec::default()
            },
            Target::Log {
                level: 4,
                prefix: prefix.into(),
                flags: 0,
            },
        )
    };
    let mut filter = Table::new(TableId::Filter);
    filter
        .chain_mut("FORWARD")
        .unwrap()
        .rules
        .push(log("FWD: "));
    l.w.nf_replace_table(l.host, filter.clone());
    // The same rule inside myspace: LOG is silent outside the initial namespace.
    let mut inner = Table::new(TableId::Filter);
    inner
        .chain_mut("OUTPUT")
        .unwrap()
        .rules
        .push(log("INNER: "));
    l.w.nf_replace_table(MYSPACE, inner);
    let (replies, _) = ping(&mut l, MYSPACE, 9);
    assert_eq!(replies.len(), 1);
    let dmesg = l.w.ns(0).dmesg().join("\n");
    assert!(!dmesg.contains("INNER: "), "{dmesg}");
    let lines: Vec<&str> = dmesg.lines().filter(|x| x.contains("FWD: ")).collect();
    assert_eq!(lines.len(), 2, "request and reply: {dmesg}");
    let req = lines[0];
    assert!(req.starts_with('['), "{req}");
    assert!(req.contains("] FWD: IN=veth1 OUT=eth0 MAC="), "{req}");
    assert!(
        req.contains(" SRC=192.168.45.3 DST=192.168.1.15 LEN=84 TOS=0x00 PREC=0x00 TTL=63 ID="),
        "{req}"
    );
    assert!(
        req.ends_with(" DF PROTO=ICMP TYPE=8 CODE=0 ID=9 SEQ=1 "),
        "{req}"
    );
    // The reply is logged de-NATed, as FORWARD sees it.
    assert!(
        lines[1].contains("SRC=192.168.1.15 DST=192.168.45.3"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("PROTO=ICMP TYPE=0 CODE=0 ID=9 SEQ=1 "));
}

#[test]
fn snat_port_range_gives_each_flow_its_own_port_until_the_range_is_used_up() {
    use std::net::SocketAddrV4;
    let mut l = lab();
    let mut nat = Table::new(TableId::Nat);
    nat.chain_mut("POSTROUTING").unwrap().rules.push(rule(
        IpSpec {
            outiface: "eth0".into(),
            proto: 17,
            ..IpSpec::default()
        },
        Target::Snat(NatRange {
            addr: Some((
                Ipv4Addr::new(192, 168, 1, 32),
                Ipv4Addr::new(192, 168, 1, 32),
            )),
            ports: Some((1000, 1001)),
            ..NatRange::EMPTY
        }),
    ));
    l.w.nf_replace_table(l.host, nat);
    let srv = l.w.udp_socket(l.host2);
    l.w.udp_bind(srv, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 53))
        .unwrap();
    let dst = SocketAddrV4::new(Ipv4Addr::new(192, 168, 1, 15), 53);
    let mut seen = Vec::new();
    for port in [5000, 5001, 5002] {
        let c = l.w.udp_socket(MYSPACE);
        l.w.udp_bind(c, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port))
            .unwrap();
        l.w.udp_sendto(c, Some(dst), b"q").unwrap();
        let t = l.w.now() + Time::from_millis(100);
        l.w.advance(t);
        if let Some(d) = l.w.udp_recv(srv, false).unwrap() {
            seen.push(d.from);
        }
    }
    let ports: Vec<u16> = seen.iter().map(|a| a.port()).collect();
    assert_eq!(seen.len(), 2, "the third flow finds no free port: {seen:?}");
    assert!(ports.iter().all(|p| (1000..=1001).contains(p)), "{ports:?}");
    assert_ne!(ports[0], ports[1]);
    assert!(seen
        .iter()
        .all(|a| *a.ip() == Ipv4Addr::new(192, 168, 1, 32)));
}
