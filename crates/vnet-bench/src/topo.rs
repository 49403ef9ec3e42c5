//! The standard topologies, built through the core's configuration API as
//! `ip`/`iptables` would, and a sender that pushes 64-byte UDP frames
//! (14 Ethernet + 20 IPv4 + 8 UDP + 22 payload) through them.

use std::net::{Ipv4Addr, SocketAddrV4};
use vnet_core::addr::Ifaddr4;
use vnet_core::dev::rtnetlink::LinkChange;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::ipv4::fib::{FibNh, Nexthops, Route};
use vnet_core::ipv4::fib_frontend::RouteAdd;
use vnet_core::netfilter::rule::{IpSpec, Match, NatRange, Rule, Target};
use vnet_core::netfilter::{Policy, Table, TableId};
use vnet_core::{NsId, Prefix4, Time, World};

/// UDP payload that makes a 64-byte Ethernet frame (without FCS).
pub const PAYLOAD: usize = 64 - 14 - 20 - 8;
/// The first destination port; flows beyond one port's worth use the next ones.
const DPORT: u16 = 9;
/// Source ports per destination port when flows vary.
const SPORTS: u32 = 50_000;
/// Virtual time between two packets (the clock moves; the cost is wall time).
const GAP: Time = Time::from_micros(1);

/// A topology ready to carry packets from `src` to the receivers.
pub struct PacketBench {
    pub w: World,
    src: NsId,
    src_ip: Ipv4Addr,
    /// Receivers: destination address and the UDP sockets bound there (one per port).
    dsts: Vec<(Ipv4Addr, Vec<usize>)>,
    flows: u32,
    seg: [u8; 8 + PAYLOAD],
    next: u64,
    received: u64,
    /// The receiving program's buffer.
    buf: Vec<u8>,
    /// The router namespace, where there is one (for conntrack counts).
    pub router: Option<NsId>,
}

fn quiet(w: &mut World, ns: NsId) {
    // IPv6 autoconfiguration's timers are control traffic, not the data path.
    w.sysctl_write(ns, "net.ipv6.conf.all.disable_ipv6", "1")
        .unwrap();
    w.sysctl_write(ns, "net.ipv6.conf.default.disable_ipv6", "1")
        .unwrap();
}

fn netns(w: &mut World, name: &str) -> NsId {
    let ns = w.netns_add(name).unwrap();
    quiet(w, ns);
    ns
}

fn veth(w: &mut World, ns: NsId, name: &str, peer_ns: NsId, peer: &str) {
    w.link_add(
        ns,
        name,
        NewLink::Veth {
            peer: peer.into(),
            peer_ns: Some(peer_ns),
            peer_mac: None,
        },
        None,
    )
    .unwrap();
}

fn up(w: &mut World, ns: NsId, dev: &str) {
    let i = w.ns(ns).ifindex_of(dev).unwrap();
    w.link_set(ns, i, LinkChange::Up(true)).unwrap();
}

fn addr(w: &mut World, ns: NsId, dev: &str, a: [u8; 4], len: u8) {
    let i = w.ns(ns).ifindex_of(dev).unwrap();
    w.addr_add(ns, Ifaddr4::new(i, Ipv4Addr::from(a), len))
        .unwrap();
    w.link_set(ns, i, LinkChange::Up(true)).unwrap();
}

fn via(w: &mut World, ns: NsId, gw: [u8; 4]) {
    let r = Route::via(Prefix4::DEFAULT, Ipv4Addr::from(gw));
    w.route_add(ns, r, RouteAdd::Excl).unwrap();
}

/// Two namespaces joined by a veth pair.
fn veth_pair(w: &mut World) -> (NsId, Ipv4Addr, Vec<(NsId, Ipv4Addr)>) {
    let a = netns(w, "a");
    let b = netns(w, "b");
    veth(w, a, "va", b, "vb");
    addr(w, a, "va", [10, 0, 0, 1], 24);
    addr(w, b, "vb", [10, 0, 0, 2], 24);
    (a, [10, 0, 0, 1].into(), vec![(b, [10, 0, 0, 2].into())])
}

/// A bridge in the root namespace with four ports, each a veth into a namespace.
fn bridge4(w: &mut World) -> (NsId, Ipv4Addr, Vec<(NsId, Ipv4Addr)>) {
    quiet(w, 0);
    let br = w.link_add(0, "br0", NewLink::Bridge, None).unwrap();
    let mut hosts = Vec::new();
    for k in 1..=4u8 {
        let ns = netns(w, &format!("h{k}"));
        veth(w, ns, "eth0", 0, &format!("p{k}"));
        let p = w.ns(0).ifindex_of(&format!("p{k}")).unwrap();
        w.link_set(0, p, LinkChange::Master(Some(br))).unwrap();
        up(w, 0, &format!("p{k}"));
        addr(w, ns, "eth0", [10, 0, 0, k], 24);
        hosts.push((ns, Ipv4Addr::new(10, 0, 0, k)));
    }
    w.link_set(0, br, LinkChange::Up(true)).unwrap();
    // What runs after each command returns (linkwatch): a port whose
    // carrier came up is enabled there (br_port_carrier_check).
    w.settle();
    let (src, ip) = hosts.remove(0);
    (src, ip, hosts)
}

/// a ─ r ─ b: a router namespace with ip_forward between two /24s.
fn router(w: &mut World) -> (NsId, NsId, Ipv4Addr, Vec<(NsId, Ipv4Addr)>) {
    let a = netns(w, "a");
    let r = netns(w, "r");
    let b = netns(w, "b");
    veth(w, a, "va", r, "ra");
    veth(w, b, "vb", r, "rb");
    addr(w, a, "va", [10, 0, 1, 1], 24);
    addr(w, r, "ra", [10, 0, 1, 254], 24);
    addr(w, r, "rb", [10, 0, 2, 254], 24);
    addr(w, b, "vb", [10, 0, 2, 1], 24);
    via(w, a, [10, 0, 1, 254]);
    via(w, b, [10, 0, 2, 254]);
    w.sysctl_write(r, "net.ipv4.ip_forward", "1").unwrap();
    (r, a, [10, 0, 1, 1].into(), vec![(b, [10, 0, 2, 1].into())])
}

/// `n` policy routing rules the traffic matches none of, each added as
/// `ip rule add from PREFIX table T` (so with the automatic priorities,
/// all before the main table's rule): the source prefixes of
/// [`nonmatching_rule`], per-tenant source routing as a provider's
/// router has it.
fn policy_rules(w: &mut World, r: NsId, n: u32) {
    use vnet_core::fib_rules::FibRule;
    for i in 0..n {
        let ip = nonmatching_rule(i).ip;
        let len = match ip.smsk {
            std::net::IpAddr::V4(m) => u32::from(m).count_ones() as u8,
            std::net::IpAddr::V6(_) => 128,
        };
        let rule = FibRule {
            src: Some((ip.src, len)),
            ..FibRule::lookup(0, 1000 + i % 250)
        };
        // Prefixes repeat now and then (the same rule twice is EEXIST).
        let _ = w.rule_add(r, false, rule, None);
    }
}

/// a ─ r ═ b: the router reaches b over two links, and the traffic's
/// destination (10.9.0.1, on b) through a two-way multipath route, beside
/// `n` other multipath routes (/24s in 11.0.0.0/8 over the same links).
fn router_ecmp(w: &mut World, n: u32) -> (NsId, NsId, Ipv4Addr, Vec<(NsId, Ipv4Addr)>) {
    let (r, a, ip, d) = router(w);
    let b = d[0].0;
    veth(w, b, "vb2", r, "rb2");
    addr(w, r, "rb2", [10, 0, 3, 254], 24);
    addr(w, b, "vb2", [10, 0, 3, 1], 24);
    addr(w, b, "vb", [10, 9, 0, 1], 32);
    let (rb, rb2) = {
        let n = w.ns(r);
        (n.ifindex_of("rb").unwrap(), n.ifindex_of("rb2").unwrap())
    };
    let hops: std::sync::Arc<[FibNh]> = [
        FibNh {
            gateway: Some([10, 0, 2, 1].into()),
            dev: rb,
            weight: 1,
            onlink: false,
        },
        FibNh {
            gateway: Some([10, 0, 3, 1].into()),
            dev: rb2,
            weight: 1,
            onlink: false,
        },
    ]
    .into();
    let mp = |dst: Prefix4| Route {
        gateway: None,
        nh: Nexthops::Multi(hops.clone()),
        ..Route::via(dst, Ipv4Addr::UNSPECIFIED)
    };
    for i in 0..n {
        let dst = Prefix4::new(Ipv4Addr::from(0x0b00_0000 + (i << 8)), 24);
        w.route_add(r, mp(dst), RouteAdd::Excl).unwrap();
    }
    let dst = Prefix4::new([10, 9, 0, 0].into(), 24);
    w.route_add(r, mp(dst), RouteAdd::Excl).unwrap();
    (r, a, ip, vec![(b, [10, 9, 0, 1].into())])
}

/// `iptables -t nat -A POSTROUTING -o rb -j MASQUERADE`.
fn masquerade(w: &mut World, r: NsId) {
    let mut t = Table::new(TableId::Nat);
    let rule = Rule {
        ip: IpSpec {
            outiface: "rb".into(),
            ..IpSpec::default()
        },
        matches: vec![],
        target: Target::Masquerade(NatRange::EMPTY),
        counters: Default::default(),
        handle: 0,
    };
    t.chain_mut("POSTROUTING").unwrap().rules.push(rule);
    w.nf_replace_table(r, t);
    let max = "4000000";
    w.sysctl_write(r, "net.netfilter.nf_conntrack_max", max)
        .unwrap();
}

/// Rule `i` of the non-matching ones: a source prefix (lengths /16 to /32
/// inside 172.16.0.0/12) and a UDP destination port, neither of which the
/// benchmark's traffic (10.0.1.1 → 10.0.2.1:9) has.
pub fn nonmatching_rule(i: u32) -> Rule {
    let len = 16 + (i % 17);
    let base = u32::from(Ipv4Addr::new(172, 16, 0, 0)) | (i.wrapping_mul(2_654_435_761) >> 12);
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    let port = 1024 + (i % 60_000) as u16;
    Rule {
        ip: IpSpec {
            src: Ipv4Addr::from(base & mask).into(),
            smsk: Ipv4Addr::from(mask).into(),
            proto: 17,
            ..IpSpec::default()
        },
        matches: vec![Match::Udp {
            sport: (0, 65535),
            dport: (port, port),
            inv: 0,
        }],
        target: Target::Drop,
        counters: Default::default(),
        handle: 0,
    }
}

/// FORWARD: `n` non-matching rules, then
/// `-s 10.0.1.0/24 -d 10.0.2.0/24 -p udp --dport 9 -j ACCEPT`; policy DROP.
fn forward_rules(w: &mut World, r: NsId, n: u32) {
    let mut t = Table::new(TableId::Filter);
    let c = t.chain_mut("FORWARD").unwrap();
    c.policy = Policy::Drop;
    c.rules.reserve(n as usize + 1);
    for i in 0..n {
        c.rules.push(nonmatching_rule(i));
    }
    c.rules.push(Rule {
        ip: IpSpec {
            src: Ipv4Addr::new(10, 0, 1, 0).into(),
            smsk: Ipv4Addr::new(255, 255, 255, 0).into(),
            dst: Ipv4Addr::new(10, 0, 2, 0).into(),
            dmsk: Ipv4Addr::new(255, 255, 255, 0).into(),
            proto: 17,
            ..IpSpec::default()
        },
        matches: vec![Match::Udp {
            sport: (0, 65535),
            dport: (DPORT, DPORT),
            inv: 0,
        }],
        target: Target::Accept,
        counters: Default::default(),
        handle: 0,
    });
    w.nf_replace_table(r, t);
}

impl PacketBench {
    /// The topology of a packet case (`veth`, `bridge4`, `route`, `nat-N`,
    /// `rules-N`), with `flows` distinct 5-tuples for NAT.
    pub fn new(case: &str) -> Option<PacketBench> {
        let mut w = World::new(1);
        let flows: u32 = match case {
            "nat-1" => 1,
            "nat-1k" => 1_000,
            "nat-100k" => 100_000,
            "conntrack-1m" => 1_000_000,
            _ => 1,
        };
        let (router, src, src_ip, dsts) = match case {
            "veth" => {
                let (s, ip, d) = veth_pair(&mut w);
                (None, s, ip, d)
            }
            "bridge4" => {
                let (s, ip, d) = bridge4(&mut w);
                (None, s, ip, d)
            }
            "route" | "nat-1" | "nat-1k" | "nat-100k" | "conntrack-1m" => {
                let (r, s, ip, d) = router(&mut w);
                if case != "route" {
                    masquerade(&mut w, r);
                }
                (Some(r), s, ip, d)
            }
            "rules-policy-10k" => {
                let (r, s, ip, d) = router(&mut w);
                policy_rules(&mut w, r, 10_000);
                (Some(r), s, ip, d)
            }
            "route-ecmp-100k" => {
                let (r, s, ip, d) = router_ecmp(&mut w, 100_000);
                (Some(r), s, ip, d)
            }
            c => {
                let n: u32 = match c.strip_prefix("rules-")? {
                    "0" => 0,
                    "100" => 100,
                    "10k" => 10_000,
                    "100k" => 100_000,
                    _ => return None,
                };
                let (r, s, ip, d) = router(&mut w);
                forward_rules(&mut w, r, n);
                (Some(r), s, ip, d)
            }
        };
        let ports = flows.div_ceil(SPORTS) as u16;
        let dsts = dsts
            .into_iter()
            .map(|(ns, ip)| {
                let socks = (0..ports)
                    .map(|k| {
                        let s = w.udp_socket(ns);
                        w.udp_bind(s, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, DPORT + k))
                            .unwrap();
                        s
                    })
                    .collect();
                (ip, socks)
            })
            .collect();
        let mut seg = [0u8; 8 + PAYLOAD];
        seg[4..6].copy_from_slice(&((8 + PAYLOAD) as u16).to_be_bytes());
        Some(PacketBench {
            w,
            src,
            src_ip,
            dsts,
            flows,
            seg,
            next: 0,
            received: 0,
            buf: Vec::with_capacity(2048),
            router,
        })
    }

    /// Sends the next packet (flows and receivers in turn) and runs the
    /// world until it has crossed the topology.
    #[inline]
    pub fn send(&mut self) {
        let k = self.next;
        self.next += 1;
        let f = (k % self.flows as u64) as u32;
        let (dst, _) = self.dsts[(k % self.dsts.len() as u64) as usize];
        let sport = 1024 + (f % SPORTS) as u16;
        let dport = DPORT + (f / SPORTS) as u16;
        self.seg[0..2].copy_from_slice(&sport.to_be_bytes());
        self.seg[2..4].copy_from_slice(&dport.to_be_bytes());
        self.seg[6..8].copy_from_slice(&[0, 0]);
        let ck = vnet_core::wire::checksum::l4_checksum(self.src_ip, dst, 17, &self.seg);
        self.seg[6..8].copy_from_slice(&ck.to_be_bytes());
        let seg = self.seg;
        self.w
            .ip_send(
                self.src,
                Some(self.src_ip),
                dst,
                None,
                17,
                None,
                false,
                0,
                &seg,
            )
            .expect("route to the receiver");
        let t = self.w.now() + GAP;
        self.w.advance(t);
        if k % 64 == 63 {
            self.drain();
        }
    }

    /// Lets everything in flight land and reads the receivers' sockets, as
    /// the receiving programs would; returns datagrams received so far.
    pub fn drain(&mut self) -> u64 {
        for (_, socks) in &self.dsts {
            for &s in socks {
                while let Ok(Some(_)) = self.w.udp_recv_into(s, &mut self.buf) {
                    self.received += 1;
                }
            }
        }
        self.received
    }

    /// Runs until nothing is in flight, then drains.
    pub fn finish(&mut self) -> u64 {
        let t = self.w.now() + Time::from_millis(1);
        self.w.advance(t);
        self.drain()
    }

    /// Installs a tracer (the traced cases).
    pub fn set_tracer(&mut self, t: vnet_core::trace::Tracer) {
        self.w.set_tracer(Some(t));
    }

    /// Distinct flows the sender cycles through.
    pub fn flows(&self) -> u64 {
        self.flows as u64
    }

    pub fn sent(&self) -> u64 {
        self.next
    }

    /// Connections in the router's conntrack table.
    pub fn conntrack_count(&self) -> usize {
        self.router
            .map(|r| self.w.ns(r).nf().conntrack.count())
            .unwrap_or(0)
    }
}
