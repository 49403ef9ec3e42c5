//! The packet printer: one captured frame in, tcpdump 4.99's text out.
//!
//! The printers follow tcpdump's own (print-ether.c, print-arp.c,
//! print-ip.c, print-ip6.c, print-icmp.c, print-icmp6.c, print-tcp.c,
//! print-udp.c, print-sll.c): the same words, the same order, the same
//! cases. Bytes are read by hand rather than through etherparse on purpose:
//! a capture tool must print malformed and truncated packets too, where a
//! validating parser would refuse them.
//!
//! Name resolution is never done: addresses print as numbers (what tcpdump
//! prints when reverse lookups fail, as in a lab), but without `-n` ports
//! get their `/etc/services` names, `ff:ff:ff:ff:ff:ff` is "Broadcast" and
//! other MACs carry their "(oui ...)" as tcpdump does.

use super::services;

mod igmp;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::net::Ipv6Addr;

/// How to print: the tcpdump flags that change the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormatOpts {
    /// `-n` count: 0 prints service names and OUIs.
    pub nflag: u8,
    /// `-e`: print the link-level header.
    pub eflag: bool,
    /// `-v` count.
    pub vflag: u8,
    /// `-q`: quick (less protocol information).
    pub qflag: bool,
    /// `-S`: absolute TCP sequence numbers.
    pub abs_seq: bool,
    /// `-x` count: hex dump (1: from the network layer, 2: the whole frame).
    pub xflag: u8,
    /// `-X` count: hex and ASCII dump.
    pub ascii_xflag: u8,
}

/// The link-layer header type of a capture (pcap's DLT_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkType {
    Ether,
    Raw,
    /// Linux cooked v1 (the default "any" device).
    LinuxSll,
    /// Linux cooked v2 (`-i any`).
    LinuxSll2,
}

impl LinkType {
    /// The DLT/LINKTYPE number in pcap files.
    pub fn dlt(self) -> u32 {
        match self {
            LinkType::Ether => 1,
            LinkType::Raw => 101,
            LinkType::LinuxSll => 113,
            LinkType::LinuxSll2 => 276,
        }
    }
    pub fn from_dlt(d: u32) -> Option<LinkType> {
        Some(match d {
            1 => LinkType::Ether,
            101 | 12 | 14 => LinkType::Raw,
            113 => LinkType::LinuxSll,
            276 => LinkType::LinuxSll2,
            _ => return None,
        })
    }
    /// pcap_datalink_val_to_name / _to_description.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            LinkType::Ether => ("EN10MB", "Ethernet"),
            LinkType::Raw => ("RAW", "Raw IP"),
            LinkType::LinuxSll => ("LINUX_SLL", "Linux cooked v1"),
            LinkType::LinuxSll2 => ("LINUX_SLL2", "Linux cooked v2"),
        }
    }
}

/// Linux packet types (sll_pkttype).
pub mod pkttype {
    pub const HOST: u8 = 0;
    pub const BROADCAST: u8 = 1;
    pub const MULTICAST: u8 = 2;
    pub const OTHERHOST: u8 = 3;
    pub const OUTGOING: u8 = 4;
}

/// Formats one frame with fresh state (TCP sequence numbers print absolute
/// for a conversation's first packet, as tcpdump prints a lone packet).
/// The text has no timestamp and no final newline; continuation lines are
/// separated by `\n`.
pub fn format_packet(data: &[u8], ether: bool, opts: &FormatOpts) -> String {
    let link = if ether {
        LinkType::Ether
    } else {
        LinkType::Raw
    };
    Printer::new(opts.clone()).format(data, link)
}

/// A printer with the state tcpdump keeps between packets (the TCP
/// conversations seen, for relative sequence numbers).
/// TCP conversations seen: (lower end addr, higher end addr, ports) -> (seq, ack) bases.
type TcpSeqs = HashMap<(Vec<u8>, Vec<u8>, u32), (u32, u32)>;

pub struct Printer {
    pub opts: FormatOpts,
    /// Interface names for the cooked (`any`) headers.
    pub ifnames: BTreeMap<u32, String>,
    tcp: TcpSeqs,
}

/// The work area for one packet.
struct P<'a> {
    o: &'a FormatOpts,
    s: String,
    tcp: &'a mut TcpSeqs,
}

fn be16(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(i)?, *d.get(i + 1)?]))
}
fn be32(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(i..i + 4)?.try_into().ok()?))
}
fn v4(d: &[u8], i: usize) -> String {
    match d.get(i..i + 4) {
        Some(b) => {
            // By hand: the trace formats every frame it follows, and std's
            // Display (padding, a formatter per octet) was most of its cost.
            let mut s = String::with_capacity(15);
            for (k, &o) in b.iter().enumerate() {
                if k > 0 {
                    s.push('.');
                }
                if o >= 100 {
                    s.push((b'0' + o / 100) as char);
                }
                if o >= 10 {
                    s.push((b'0' + o / 10 % 10) as char);
                }
                s.push((b'0' + o % 10) as char);
            }
            s
        }
        None => "?".into(),
    }
}
fn v6(d: &[u8], i: usize) -> String {
    match d.get(i..i + 16).and_then(|b| <[u8; 16]>::try_from(b).ok()) {
        Some(b) => Ipv6Addr::from(b).to_string(),
        None => "?".into(),
    }
}

/// The Internet checksum (RFC 1071) over a sequence of byte runs; 0 when
/// the data, checksum included, is correct.
pub fn in_cksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u32 = 0;
    let mut odd: Option<u8> = None;
    for p in parts {
        for &b in p.iter() {
            match odd.take() {
                Some(h) => sum += u16::from_be_bytes([h, b]) as u32,
                None => odd = Some(b),
            }
        }
    }
    if let Some(h) = odd {
        sum += (h as u32) << 8;
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// What the checksum field should have held (in_cksum_shouldbe).
fn cksum_shouldbe(field: u16, computed: u16) -> u16 {
    let mut s = field as u32 + computed as u32;
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    s as u16
}

const ETHERTYPES: &[(u16, &str)] = &[
    (0x0800, "IPv4"),
    (0x8847, "MPLS unicast"),
    (0x8848, "MPLS multicast"),
    (0x86dd, "IPv6"),
    (0x8100, "802.1Q"),
    (0x9100, "802.1Q-9100"),
    (0x88a8, "802.1Q-QinQ"),
    (0x9200, "802.1Q-9200"),
    (0x88e5, "802.1AE MACsec"),
    (0x0806, "ARP"),
    (0x8035, "Reverse ARP"),
    (0x6558, "TEB"),
    (0x809b, "Appletalk"),
    (0x80f3, "Appletalk ARP"),
    (0x8137, "IPX"),
    (0x880b, "PPP"),
    (0x8808, "MPCP"),
    (0x8809, "Slow Protocols"),
    (0x8863, "PPPoE D"),
    (0x8864, "PPPoE S"),
    (0x888e, "EAPOL"),
    (0x8899, "Realtek protocols"),
    (0x886f, "MS NLB heartbeat"),
    (0x8870, "Jumbo"),
    (0x894f, "NSH"),
    (0x9000, "Loopback"),
    (0xfefe, "OSI"),
    (0x8902, "CFM"),
    (0x88cc, "LLDP"),
    (0x88ca, "TIPC"),
];

fn ethertype_name(t: u16) -> Option<&'static str> {
    ETHERTYPES.iter().find(|e| e.0 == t).map(|e| e.1)
}

const OUIS: &[(u32, &str)] = &[
    (0x000000, "Ethernet"),
    (0x00000c, "Cisco"),
    (0x00005e, "IANA"),
    (0x000081, "Nortel Networks SONMP"),
    (0x0000f8, "Cisco bridged"),
    (0x0080c2, "Ethernet bridged"),
    (0x00a03e, "ATM Forum"),
    (0x00e02f, "DOCSIS Spanning Tree"),
    (0x080007, "Appletalk"),
    (0x009069, "Juniper"),
    (0x080009, "Hewlett-Packard"),
    (0x00120f, "IEEE 802.3 Private"),
    (0x0012bb, "ANSI/TIA"),
    (0x001b21, "DCBX"),
    (0x002320, "Nicira Networks"),
    (0x5c16c7, "Big Switch Networks"),
    (0xb0d2f5, "Vello Systems"),
    (0x002481, "HP"),
    (0x0004ea, "HP-Labs"),
    (0x748771, "Infoblox Inc"),
    (0xa42305, "Open Networking Lab"),
    (0x00049f, "Freescale"),
    (0x0015ad, "Netronome"),
    (0x001018, "Broadcom"),
    (0x00e004, "PMC-Sierra"),
    (0xd0f0db, "Ericsson"),
];

/// A service name for a port, or the number.
pub fn port_name(port: u16, tcp: bool, nflag: u8) -> String {
    if nflag == 0 {
        let table = if tcp { services::TCP } else { services::UDP };
        if let Ok(i) = table.binary_search_by_key(&port, |e| e.0) {
            return table[i].1.to_string();
        }
    }
    port.to_string()
}

/// The TCP and UDP numbers of a service name or alias in /etc/services
/// (the filter's `port http`, `port www`).
pub fn port_by_name(name: &str) -> Option<(Option<u16>, Option<u16>)> {
    let t = crate::procfs::service_port(name, "tcp");
    let u = crate::procfs::service_port(name, "udp");
    (t.is_some() || u.is_some()).then_some((t, u))
}

const IPPROTOS: &[(u8, &str)] = &[
    (0, "Options"),
    (1, "ICMP"),
    (2, "IGMP"),
    (4, "IPIP"),
    (6, "TCP"),
    (8, "EGP"),
    (9, "IGRP"),
    (17, "UDP"),
    (33, "DCCP"),
    (41, "IPv6"),
    (43, "Routing"),
    (44, "Fragment"),
    (46, "RSVP"),
    (47, "GRE"),
    (50, "ESP"),
    (51, "AH"),
    (55, "Mobile IP"),
    (58, "ICMPv6"),
    (62, "Mobile IP (old)"),
    (88, "EIGRP"),
    (89, "OSPF"),
    (103, "PIM"),
    (108, "Compressed IP"),
    (112, "VRRP"),
    (113, "PGM"),
    (132, "SCTP"),
    (135, "Mobility"),
    (143, "Ethernet"),
];

fn ipproto_name(p: u8) -> &'static str {
    IPPROTOS
        .iter()
        .find(|e| e.0 == p)
        .map(|e| e.1)
        .unwrap_or("unknown")
}

/// /etc/protocols names (netdb_protoname) for the numbers labs meet.
fn netdb_protoname(p: u8) -> Option<&'static str> {
    Some(match p {
        0 => "hopopt",
        1 => "icmp",
        2 => "igmp",
        4 => "ipencap",
        6 => "tcp",
        17 => "udp",
        41 => "ipv6",
        43 => "ipv6-route",
        44 => "ipv6-frag",
        47 => "gre",
        50 => "esp",
        51 => "ah",
        58 => "ipv6-icmp",
        59 => "ipv6-nonxt",
        60 => "ipv6-opts",
        89 => "ospf",
        103 => "pim",
        112 => "vrrp",
        132 => "sctp",
        _ => return None,
    })
}

const HTTP_CMDS: &[&str] = &[
    "GET",
    "PUT",
    "COPY",
    "HEAD",
    "LOCK",
    "MOVE",
    "POLL",
    "POST",
    "BCOPY",
    "BMOVE",
    "MKCOL",
    "TRACE",
    "LABEL",
    "MERGE",
    "DELETE",
    "SEARCH",
    "UNLOCK",
    "REPORT",
    "UPDATE",
    "NOTIFY",
    "BDELETE",
    "CONNECT",
    "OPTIONS",
    "CHECKIN",
    "PROPFIND",
    "CHECKOUT",
    "CCM_POST",
    "SUBSCRIBE",
    "PROPPATCH",
    "BPROPFIND",
    "BPROPPATCH",
    "UNCHECKOUT",
    "MKACTIVITY",
    "MKWORKSPACE",
    "UNSUBSCRIBE",
    "RPC_CONNECT",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
];

impl Printer {
    pub fn new(opts: FormatOpts) -> Printer {
        Printer {
            opts,
            ifnames: BTreeMap::new(),
            tcp: HashMap::new(),
        }
    }

    /// Formats one captured frame of the given link type (no timestamp, no
    /// final newline).
    pub fn format(&mut self, data: &[u8], link: LinkType) -> String {
        let mut p = P {
            o: &self.opts,
            s: String::new(),
            tcp: &mut self.tcp,
        };
        let hdrlen = match link {
            LinkType::Ether => p.ether(data),
            LinkType::Raw => {
                p.raw_ip(data);
                0
            }
            LinkType::LinuxSll => p.sll(data, &self.ifnames),
            LinkType::LinuxSll2 => p.sll2(data, &self.ifnames),
        };
        let o = &self.opts;
        if o.ascii_xflag > 0 {
            let from = if o.ascii_xflag > 1 { 0 } else { hdrlen };
            if data.len() > from {
                hex_and_ascii(&mut p.s, "\n\t", &data[from..]);
            }
        } else if o.xflag > 0 {
            let from = if o.xflag > 1 { 0 } else { hdrlen };
            if data.len() > from {
                hex_only(&mut p.s, "\n\t", &data[from..]);
            }
        }
        p.s
    }
}

/// hex_and_ascii_print: 16 bytes a line, "0x0000:  4500 0054 ...  E..T".
pub fn hex_and_ascii(s: &mut String, ident: &str, d: &[u8]) {
    for (n, chunk) in d.chunks(16).enumerate() {
        let mut hex = String::new();
        let mut asc = String::new();
        for pair in chunk.chunks(2) {
            hex.push(' ');
            for &b in pair {
                let _ = write!(hex, "{b:02x}");
                asc.push(if b > 0x20 && b <= 0x7e {
                    b as char
                } else {
                    '.'
                });
            }
        }
        let _ = write!(s, "{ident}0x{:04x}: {hex:<40}  {asc}", n * 16);
    }
}

/// hex_print: the same without the ASCII column.
pub fn hex_only(s: &mut String, ident: &str, d: &[u8]) {
    for (n, chunk) in d.chunks(16).enumerate() {
        let _ = write!(s, "{ident}0x{:04x}: ", n * 16);
        for pair in chunk.chunks(2) {
            s.push(' ');
            for &b in pair {
                let _ = write!(s, "{b:02x}");
            }
        }
    }
}

impl P<'_> {
    /// ND_DEFAULTPRINT: raw bytes of what no printer knows, unless -q/-x/-X.
    fn default_print(&mut self, d: &[u8]) {
        if !(self.o.qflag || self.o.xflag > 0 || self.o.ascii_xflag > 0) {
            hex_and_ascii(&mut self.s, "\n\t", d);
        }
    }

    fn p(&mut self, t: &str) {
        self.s.push_str(t);
    }

    fn mac(&self, d: &[u8]) -> String {
        let m: String = d
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":");
        if self.o.nflag == 0 && d.len() == 6 {
            if d == [0xff; 6] {
                return "Broadcast".into();
            }
            let oui = u32::from_be_bytes([0, d[0], d[1], d[2]]);
            let name = OUIS
                .iter()
                .find(|e| e.0 == oui)
                .map(|e| e.1)
                .unwrap_or("Unknown");
            return format!("{m} (oui {name})");
        }
        m
    }

    fn ethertype_print(&mut self, t: u16) {
        if !self.o.qflag {
            let n = ethertype_name(t).unwrap_or("Unknown");
            let _ = write!(self.s, "ethertype {n} (0x{t:04x})");
        } else {
            match ethertype_name(t) {
                Some(n) => self.p(n),
                None => {
                    let _ = write!(self.s, "Unknown Ethertype (0x{t:04x})");
                }
            }
        }
    }

    /// ether_print: returns the link header length.
    fn ether(&mut self, d: &[u8]) -> usize {
        let orig = d.len();
        if d.len() < 14 {
            self.p("[|ether]");
            return d.len();
        }
        let (dst, src) = (&d[0..6], &d[6..12]);
        if self.o.eflag {
            let t = format!("{} > {}, ", self.mac(src), self.mac(dst));
            self.p(&t);
        }
        let mut p = 12;
        let mut t = be16(d, p).unwrap_or(0);
        p += 2;
        let mut printed_len = false;
        while matches!(t, 0x8100 | 0x9100 | 0x9200 | 0x88a8) {
            if d.len() < p + 4 {
                self.p("[|vlan]");
                return d.len();
            }
            if self.o.eflag {
                let tci = be16(d, p).unwrap_or(0);
                self.ethertype_print(t);
                if !printed_len {
                    let _ = write!(self.s, ", length {orig}: ");
                    printed_len = true;
                } else {
                    self.p(", ");
                }
                let _ = write!(self.s, "vlan {}, p {}", tci & 0xfff, tci >> 13);
                if tci & 0x1000 != 0 {
                    self.p(", DEI");
                }
                self.p(", ");
            }
            t = be16(d, p + 2).unwrap_or(0);
            p += 4;
        }
        let payload = &d[p..];
        if t <= 1500 {
            let len = (t as usize).min(payload.len());
            if self.o.eflag {
                self.p("802.3");
                if !printed_len {
                    let _ = write!(self.s, ", length {len}: ");
                }
            }
            self.llc(&payload[..len]);
            return p;
        }
        if self.o.eflag {
            self.ethertype_print(t);
            if !printed_len {
                let _ = write!(self.s, ", length {orig}: ");
            } else {
                self.p(", ");
            }
        }
        if !self.ethertype_dispatch(t, payload) {
            if !self.o.eflag {
                let t2 = format!("{} > {}, ", self.mac(src), self.mac(dst));
                self.p(&t2);
                self.ethertype_print(t);
                let _ = write!(self.s, ", length {orig}: ");
            }
            self.default_print(payload);
        }
        p
    }

    /// llc_print, for the one LLC user a Linux lab meets: STP BPDUs.
    fn llc(&mut self, d: &[u8]) {
        if d.len() >= 3 && d[0] == 0x42 && d[1] == 0x42 && d[2] == 0x03 {
            self.stp(&d[3..]);
            return;
        }
        if d.len() >= 3 {
            let _ = write!(
                self.s,
                "LLC, dsap Unknown (0x{:02x}) Individual, ssap Unknown (0x{:02x}) Command, ctrl 0x{:02x}: ",
                d[0] & 0xfe,
                d[1] & 0xfe,
                d[2]
            );
            self.default_print(&d[3..]);
        } else {
            self.default_print(d);
        }
    }

    /// stp_print for 802.1D configuration and TCN BPDUs.
    fn stp(&mut self, d: &[u8]) {
        let (Some(proto), Some(&ver), Some(&typ)) = (be16(d, 0), d.get(2), d.get(3)) else {
            self.p("[|stp]");
            return;
        };
        if proto != 0 {
            self.p("unknown STP version, length ");
            let _ = write!(self.s, "{}", d.len());
            return;
        }
        match (ver, typ) {
            (0, 0x80) => {
                self.p("STP 802.1d, Topology Change");
            }
            (0, 0x00) if d.len() >= 35 => {
                let fl = bittok2str(
                    d[4] as u32,
                    &[(0x80, "Topology change ACK"), (0x01, "Topology change")],
                    ", ",
                );
                let bid = |o: usize| {
                    format!(
                        "{:04x}.{}",
                        be16(d, o).unwrap_or(0),
                        d[o + 2..o + 8]
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect::<Vec<_>>()
                            .join(":")
                    )
                };
                let _ = write!(
                    self.s,
                    "STP 802.1d, Config, Flags [{fl}], bridge-id {}.{:04x}, length {}",
                    bid(17),
                    be16(d, 25).unwrap_or(0),
                    d.len()
                );
                if self.o.vflag > 0 {
                    let t = |o: usize| be16(d, o).unwrap_or(0) as f64 / 256.0;
                    let _ = write!(
                        self.s,
                        "\n\tmessage-age {:.2}s, max-age {:.2}s, hello-time {:.2}s, forwarding-delay {:.2}s\n\troot-id {}, root-pathcost {}",
                        t(27),
                        t(29),
                        t(31),
                        t(33),
                        bid(5),
                        be32(d, 13).unwrap_or(0)
                    );
                }
            }
            _ => {
                let _ = write!(self.s, "STP, length {}", d.len());
            }
        }
    }

    /// ethertype_print: false when the type is unknown.
    fn ethertype_dispatch(&mut self, t: u16, d: &[u8]) -> bool {
        match t {
            0x0800 => self.ip(d, d.len()),
            0x86dd => self.ip6(d, d.len()),
            0x0806 | 0x8035 => self.arp(d),
            // print-slow.c's first line (the -v decode is not done here).
            0x8809 if self.o.vflag == 0 && d.len() >= 2 && d[0] == 1 => {
                if d[1] == 1 {
                    let _ = write!(self.s, "LACPv1, length {}", d.len());
                } else {
                    let _ = write!(self.s, "LACP version {} packet not supported", d[1]);
                }
            }
            _ => return false,
        }
        true
    }

    /// DLT_RAW: the version nibble says which IP.
    fn raw_ip(&mut self, d: &[u8]) {
        match d.first().map(|b| b >> 4) {
            Some(4) => self.ip(d, d.len()),
            Some(6) => self.ip6(d, d.len()),
            Some(v) => {
                let _ = write!(self.s, "IP{v} (invalid)");
            }
            None => self.p("[|ip]"),
        }
    }

    fn pkttype_name(t: u16) -> &'static str {
        match t as u8 {
            pkttype::HOST => "In",
            pkttype::BROADCAST => "B",
            pkttype::MULTICAST => "M",
            pkttype::OTHERHOST => "P",
            pkttype::OUTGOING => "Out",
            _ => "?",
        }
    }

    /// The part of the cooked header printing both versions share.
    fn sll_common(&mut self, proto: u16, halen: usize, addr: &[u8], length: usize) {
        if halen == 6 {
            let m = self.mac(&addr[..6]);
            let _ = write!(self.s, "{m} ");
        }
        if !self.o.qflag {
            if proto <= 1500 {
                match proto {
                    1 => self.p("802.3"),
                    4 => self.p("802.2"),
                    _ => {
                        let _ = write!(self.s, "ethertype Unknown (0x{proto:04x})");
                    }
                }
            } else {
                let n = ethertype_name(proto).unwrap_or("Unknown");
                let _ = write!(self.s, "ethertype {n} (0x{proto:04x})");
            }
            let _ = write!(self.s, ", length {length}: ");
        }
    }

    fn sll_payload(&mut self, proto: u16, d: &[u8]) {
        if proto <= 1500 {
            if proto == 4 {
                self.llc(d);
            } else {
                self.default_print(d);
            }
        } else if !self.ethertype_dispatch(proto, d) {
            if !self.o.eflag {
                self.ethertype_print(proto);
                let _ = write!(self.s, ", length {}: ", d.len());
            }
            self.default_print(d);
        }
    }

    /// sll_if_print (Linux cooked v1, 16-byte header).
    fn sll(&mut self, d: &[u8], _ifnames: &BTreeMap<u32, String>) -> usize {
        if d.len() < 16 {
            self.p("[|sll]");
            return d.len();
        }
        let proto = be16(d, 14).unwrap_or(0);
        if self.o.eflag {
            let t = be16(d, 0).unwrap_or(0);
            let _ = write!(self.s, "{:>3} ", Self::pkttype_name(t));
            let halen = be16(d, 4).unwrap_or(0) as usize;
            self.sll_common(proto, halen, &d[6..14], d.len());
        }
        self.sll_payload(proto, &d[16..]);
        16
    }

    /// sll2_if_print (Linux cooked v2, 20-byte header): "va    Out IP ...".
    fn sll2(&mut self, d: &[u8], ifnames: &BTreeMap<u32, String>) -> usize {
        if d.len() < 20 {
            self.p("[|sll2]");
            return d.len();
        }
        let proto = be16(d, 0).unwrap_or(0);
        let ifindex = be32(d, 4).unwrap_or(0);
        let name = ifnames.get(&ifindex).cloned().unwrap_or_else(|| "?".into());
        let _ = write!(self.s, "{name:<5} {:<3} ", Self::pkttype_name(d[10] as u16));
        if self.o.eflag {
            let _ = write!(self.s, "ifindex {ifindex} ");
            self.sll_common(proto, d[11] as usize, &d[12..20], d.len());
        }
        self.sll_payload(proto, &d[20..]);
        20
    }

    fn arp(&mut self, d: &[u8]) {
        let length = d.len();
        if d.len() < 8 {
            self.p("[|arp]");
            return;
        }
        let hrd = be16(d, 0).unwrap_or(0);
        let pro = be16(d, 2).unwrap_or(0);
        let (hln, pln) = (d[4] as usize, d[5] as usize);
        let op = be16(d, 6).unwrap_or(0);
        let sha = 8;
        let spa = sha + hln;
        let tha = spa + pln;
        let tpa = tha + hln;
        if d.len() < tpa + pln {
            self.p("[|arp]");
            return;
        }
        if !self.o.eflag {
            self.p("ARP, ");
        }
        let v = self.o.vflag > 0;
        if (pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0 || v {
            let h = match hrd {
                1 => "Ethernet".to_string(),
                6 => "IEEE 802".to_string(),
                24 => "IEEE 1394".to_string(),
                32 => "InfiniBand".to_string(),
                _ => format!("Unknown Hardware ({hrd})"),
            };
            let pr = match ethertype_name(pro) {
                Some(n) => n.to_string(),
                None => format!("Unknown Protocol (0x{pro:04x})"),
            };
            let _ = write!(self.s, "{h} (len {hln}), {pr} (len {pln})");
            if !v {
                let _ = write!(self.s, ", length {length}");
                return;
            }
        }
        let opname = match op {
            1 => "Request".to_string(),
            2 => "Reply".to_string(),
            3 => "Reverse Request".to_string(),
            4 => "Reverse Reply".to_string(),
            8 => "Inverse Request".to_string(),
            9 => "Inverse Reply".to_string(),
            10 => "NACK Reply".to_string(),
            _ => format!("Unknown ({op})"),
        };
        let _ = write!(self.s, "{}{} ", if v { ", " } else { "" }, opname);
        let ipok = (pro == 0x0800 || pro == 0x1000) && pln == 4;
        let ip_at = |i: usize| {
            if pro != 0x0800 && pro != 0x1000 {
                "<wrong proto type>".to_string()
            } else if pln != 4 {
                "<wrong len>".to_string()
            } else {
                v4(d, i)
            }
        };
        let _ = ipok;
        match op {
            1 => {
                let t = format!("who-has {}", ip_at(tpa));
                self.p(&t);
                if d[tha..tha + hln].iter().any(|&b| b != 0) {
                    let m = self.mac(&d[tha..tha + hln]);
                    let _ = write!(self.s, " ({m})");
                }
                let t = format!(" tell {}", ip_at(spa));
                self.p(&t);
            }
            2 => {
                let m = self.mac(&d[sha..sha + hln]);
                let _ = write!(self.s, "{} is-at {m}", ip_at(spa));
            }
            3 | 8 => {
                let (a, b) = (self.mac(&d[tha..tha + hln]), self.mac(&d[sha..sha + hln]));
                let _ = write!(self.s, "who-is {a} tell {b}");
            }
            4 => {
                let a = self.mac(&d[tha..tha + hln]);
                let _ = write!(self.s, "{a} at {}", ip_at(tpa));
            }
            9 => {
                let a = self.mac(&d[sha..sha + hln]);
                let _ = write!(self.s, "{a} at {}", ip_at(spa));
            }
            _ => {
                self.default_print(d);
                return;
            }
        }
        let _ = write!(self.s, ", length {length}");
    }

    /// ip_print.
    fn ip(&mut self, bp: &[u8], length: usize) {
        let Some(&b0) = bp.first() else {
            self.p("[|ip]");
            return;
        };
        if b0 >> 4 != 4 {
            if b0 >> 4 == 6 {
                self.p("IP6, wrong link-layer encapsulation (invalid)");
            } else {
                let _ = write!(self.s, "IP{} (invalid)", b0 >> 4);
            }
            return;
        }
        if !self.o.eflag {
            self.p("IP ");
        }
        if bp.len() < 20 {
            self.p("[|ip]");
            return;
        }
        if length < 20 {
            let _ = write!(self.s, "truncated-ip {length}");
            return;
        }
        let hlen = (b0 & 0xf) as usize * 4;
        if hlen < 20 {
            let _ = write!(self.s, "bad-hlen {hlen}");
            return;
        }
        let len = be16(bp, 2).unwrap_or(0) as usize;
        if length < len {
            let _ = write!(self.s, "truncated-ip - {} bytes missing! ", len - length);
        }
        if len < hlen {
            let _ = write!(self.s, "bad-len {len}");
            return;
        }
        let bp = &bp[..len.min(bp.len())];
        let plen = len - hlen;
        let off = be16(bp, 6).unwrap_or(0);
        let proto = bp[9];
        let ttl = bp[8];
        if self.o.vflag > 0 {
            let tos = bp[1];
            let _ = write!(self.s, "(tos 0x{tos:x}");
            match tos & 3 {
                1 => self.p(",ECT(1)"),
                2 => self.p(",ECT(0)"),
                3 => self.p(",CE"),
                _ => {}
            }
            if ttl >= 1 {
                let _ = write!(self.s, ", ttl {ttl}");
            }
            let fl = bittok2str(
                off as u32,
                &[(0x2000, "+"), (0x4000, "DF"), (0x8000, "rsvd")],
                "",
            );
            let _ = write!(
                self.s,
                ", id {}, offset {}, flags [{fl}], proto {} ({proto}), length {len}",
                be16(bp, 4).unwrap_or(0),
                (off & 0x1fff) as u32 * 8,
                ipproto_name(proto)
            );
            if hlen > 20 {
                self.p(", options (");
                if bp.len() >= hlen {
                    self.ip_options(&bp[20..hlen]);
                } else {
                    self.p(" [truncated-option]");
                }
                self.p(")");
            }
            if bp.len() >= hlen {
                let sum = in_cksum(&[&bp[..hlen]]);
                if sum != 0 {
                    let f = be16(bp, 10).unwrap_or(0);
                    let _ = write!(
                        self.s,
                        ", bad cksum {f:x} (->{:x})!",
                        cksum_shouldbe(f, sum)
                    );
                }
            }
            self.p(")\n    ");
        }
        let (src, dst) = (v4(bp, 12), v4(bp, 16));
        if off & 0x1fff == 0 {
            if !matches!(proto, 6 | 17 | 132 | 33) {
                let _ = write!(self.s, "{src} > {dst}: ");
            }
            if bp.len() < hlen {
                let _ = write!(
                    self.s,
                    " [remaining caplen({}) < header length({hlen})]",
                    bp.len()
                );
                return;
            }
            let payload = &bp[hlen..];
            let ip = Ip::V4 { h: &bp[..hlen] };
            self.demux(proto, payload, plen, ip, off & 0x2000 != 0);
        } else {
            let _ = write!(self.s, "{src} > {dst}:");
            match netdb_protoname(proto).filter(|_| self.o.nflag == 0) {
                Some(n) => {
                    let _ = write!(self.s, " {n}");
                }
                None => {
                    let _ = write!(self.s, " ip-proto-{proto}");
                }
            }
        }
    }

    fn ip_options(&mut self, mut o: &[u8]) {
        let mut first = true;
        while let Some(&t) = o.first() {
            if !first {
                self.p(",");
            }
            first = false;
            let len = if t == 0 || t == 1 {
                1
            } else {
                o.get(1).copied().unwrap_or(0) as usize
            };
            let name = match t {
                0 => "EOL".to_string(),
                1 => "NOP".to_string(),
                7 => "RR".to_string(),
                68 => "TS".to_string(),
                130 => "security".to_string(),
                131 => "LSRR".to_string(),
                137 => "SSRR".to_string(),
                148 => "RA".to_string(),
                _ => format!("unknown {t}"),
            };
            self.p(&name);
            if t == 148 && len == 4 {
                let v = be16(o, 2).unwrap_or(0);
                if v != 0 {
                    let _ = write!(self.s, " value {v}");
                }
            } else if len > 2 && t != 0 && t != 1 {
                let _ = write!(self.s, " {{{len}}}");
            }
            if len == 0 || len > o.len() {
                self.p(" [bad length]");
                return;
            }
            if t == 0 {
                return;
            }
            o = &o[len..];
        }
    }

    /// ip6_print.
    fn ip6(&mut self, bp: &[u8], length: usize) {
        if bp.len() < 40 {
            if length < 40 {
                let _ = write!(self.s, "truncated-ip6 {length}");
            } else {
                self.p("[|ip6]");
            }
            return;
        }
        if !self.o.eflag {
            self.p("IP6 ");
        }
        if bp[0] >> 4 != 6 {
            let _ = write!(self.s, "version error: {} != 6", bp[0] >> 4);
            return;
        }
        let payload_len = be16(bp, 4).unwrap_or(0) as usize;
        let len = payload_len + 40;
        if length < len {
            let _ = write!(self.s, "truncated-ip6 - {} bytes missing!", len - length);
        }
        let mut nh = bp[6];
        if self.o.vflag > 0 {
            let flow = be32(bp, 0).unwrap_or(0);
            self.p("(");
            if flow & 0x0ff0_0000 != 0 {
                let _ = write!(self.s, "class 0x{:02x}, ", (flow & 0x0ff0_0000) >> 20);
            }
            if flow & 0x000f_ffff != 0 {
                let _ = write!(self.s, "flowlabel 0x{:05x}, ", flow & 0x000f_ffff);
            }
            let _ = write!(
                self.s,
                "hlim {}, next-header {} ({nh}) payload length: {payload_len}) ",
                bp[7],
                ipproto_name(nh)
            );
        }
        let bp = &bp[..len.min(bp.len())];
        let hdr = &bp[..40];
        let (src, dst) = (v6(bp, 8), v6(bp, 24));
        if !matches!(nh, 6 | 17 | 33 | 132) {
            let _ = write!(self.s, "{src} > {dst}: ");
        }
        let mut cp = 40usize;
        let mut rem = payload_len;
        let mut fragmented = false;
        loop {
            match nh {
                0 | 60 => {
                    // Hop-by-hop and destination options.
                    let Some(hl) = bp.get(cp + 1).map(|l| (*l as usize + 1) * 8) else {
                        self.p("[|hbhopt]");
                        return;
                    };
                    if bp.len() < cp + hl {
                        self.p("[|hbhopt]");
                        return;
                    }
                    self.p(if nh == 0 { "HBH " } else { "DSTOPT " });
                    self.ip6_opts(&bp[cp + 2..cp + hl]);
                    nh = bp[cp];
                    cp += hl;
                    rem = rem.saturating_sub(hl);
                }
                44 => {
                    let Some(fh) = bp.get(cp..cp + 8) else {
                        self.p("[|frag]");
                        return;
                    };
                    let off = be16(fh, 2).unwrap_or(0);
                    // frag6_print(): the id only with -v; a space before
                    // what follows, which only a first fragment has.
                    if self.o.vflag > 0 {
                        let _ = write!(self.s, "frag (0x{:08x}:", be32(fh, 4).unwrap_or(0));
                    } else {
                        self.p("frag (");
                    }
                    let _ = write!(self.s, "{}|{})", off & 0xfff8, rem.saturating_sub(8));
                    if off & 0xfff8 == 0 {
                        self.p(" ");
                    }
                    nh = fh[0];
                    cp += 8;
                    rem = rem.saturating_sub(8);
                    fragmented = true;
                    if off & 0xfff8 != 0 {
                        return;
                    }
                }
                _ => break,
            }
        }
        let payload = &bp[cp.min(bp.len())..];
        self.demux(nh, payload, rem, Ip::V6 { h: hdr }, fragmented);
    }

    fn ip6_opts(&mut self, o: &[u8]) {
        let v = self.o.vflag > 0;
        let mut i = 0;
        while i < o.len() {
            let t = o[i];
            let ol = if t == 0 {
                1
            } else {
                o.get(i + 1).map(|l| *l as usize + 2).unwrap_or(1)
            };
            if v {
                match t {
                    0 => self.p("(pad1)"),
                    1 => self.p("(padn)"),
                    5 => {
                        let _ = write!(self.s, "(rtalert: 0x{:04x}) ", be16(o, i + 2).unwrap_or(0));
                    }
                    _ => {
                        let _ = write!(
                            self.s,
                            "(opt_type 0x{t:02x}: len={})",
                            o.get(i + 1).copied().unwrap_or(0)
                        );
                    }
                }
            }
            i += ol;
        }
        if v {
            self.p(" ");
        }
    }

    /// ip_demux_print.
    fn demux(&mut self, nh: u8, d: &[u8], length: usize, ip: Ip, fragmented: bool) {
        let v6 = matches!(ip, Ip::V6 { .. });
        match nh {
            6 => self.tcp(d, length, ip, fragmented),
            17 => self.udp(d, length, ip, fragmented),
            1 if !v6 => self.icmp(d, length, fragmented),
            2 if !v6 => self.igmp(d, length),
            58 if v6 => self.icmp6(d, length, ip, fragmented),
            1 | 58 => {
                let _ = write!(
                    self.s,
                    "[{} requires IPv{}] (invalid)",
                    ipproto_name(nh),
                    if v6 { 4 } else { 6 }
                );
            }
            4 => self.ip(d, length),
            41 => self.ip6(d, length),
            47 => self.gre(d, length),
            59 => self.p("no next header"),
            _ => {
                match netdb_protoname(nh).filter(|_| self.o.nflag == 0) {
                    Some(n) => {
                        let _ = write!(self.s, " {n}");
                    }
                    None => {
                        let _ = write!(self.s, " ip-proto-{nh}");
                    }
                }
                let _ = write!(self.s, " {length}");
            }
        }
    }

    /// gre_print for version 0 (what Linux gre/gretap tunnels send).
    fn gre(&mut self, d: &[u8], length: usize) {
        let Some(flags) = be16(d, 0) else {
            self.p("[|gre]");
            return;
        };
        let ver = flags & 7;
        if ver != 0 {
            let _ = write!(self.s, "GREv{ver}, length {length}");
            return;
        }
        self.p("GREv0");
        if self.o.vflag > 0 {
            let f = bittok2str(
                flags as u32,
                &[
                    (0x8000, "checksum present"),
                    (0x4000, "routing present"),
                    (0x2000, "key present"),
                    (0x1000, "sequence# present"),
                    (0x0800, "source routing present"),
                    (0x0080, "ack present"),
                ],
                ", ",
            );
            let _ = write!(self.s, ", Flags [{f}]");
        }
        let proto = be16(d, 2).unwrap_or(0);
        let mut p = 4;
        if flags & 0xc000 != 0 {
            if self.o.vflag > 0 {
                let _ = write!(self.s, ", sum 0x{:x}", be16(d, p).unwrap_or(0));
            }
            let _ = write!(self.s, ", off 0x{:x}", be16(d, p + 2).unwrap_or(0));
            p += 4;
        }
        if flags & 0x2000 != 0 {
            let _ = write!(self.s, ", key=0x{:x}", be32(d, p).unwrap_or(0));
            p += 4;
        }
        if flags & 0x1000 != 0 {
            let _ = write!(self.s, ", seq {}", be32(d, p).unwrap_or(0));
            p += 4;
        }
        if self.o.eflag {
            let n = ethertype_name(proto).unwrap_or("unknown");
            let _ = write!(self.s, ", proto {n} (0x{proto:04x})");
        }
        let _ = write!(self.s, ", length {length}");
        // A colon as protocol demarcation; verbose output goes multiline.
        self.p(if self.o.vflag > 0 { "\n\t" } else { ": " });
        let inner = d.get(p..).unwrap_or(&[]);
        match proto {
            0x0800 => self.ip(inner, length.saturating_sub(p)),
            0x86dd => self.ip6(inner, length.saturating_sub(p)),
            0x6558 => {
                self.ether(inner);
            }
            _ => {
                let _ = write!(self.s, "gre-proto-0x{proto:x}");
            }
        }
    }

    fn icmp(&mut self, dp: &[u8], plen: usize, fragmented: bool) {
        let (Some(&ty), Some(&code)) = (dp.first(), dp.get(1)) else {
            self.p("[|icmp]");
            return;
        };
        let inner_dst = || v4(dp, 8 + 16);
        let str: String = match ty {
            0 | 8 => format!(
                "echo {}, id {}, seq {}",
                if ty == 8 { "request" } else { "reply" },
                be16(dp, 4).unwrap_or(0),
                be16(dp, 6).unwrap_or(0)
            ),
            3 => match code {
                0 => format!("net {} unreachable", inner_dst()),
                1 => format!("host {} unreachable", inner_dst()),
                2 => format!(
                    "{} protocol {} unreachable",
                    inner_dst(),
                    dp.get(8 + 9).copied().unwrap_or(0)
                ),
                3 => {
                    let ihl = dp.get(8).map(|b| (b & 0xf) as usize * 4).unwrap_or(20);
                    let dport = be16(dp, 8 + ihl + 2).unwrap_or(0);
                    match dp.get(8 + 9).copied().unwrap_or(0) {
                        6 => format!(
                            "{} tcp port {} unreachable",
                            inner_dst(),
                            port_name(dport, true, self.o.nflag)
                        ),
                        17 => format!(
                            "{} udp port {} unreachable",
                            inner_dst(),
                            port_name(dport, false, self.o.nflag)
                        ),
                        p => format!("{} protocol {p} port {dport} unreachable", inner_dst()),
                    }
                }
                4 => {
                    let mtu = be16(dp, 6).unwrap_or(0);
                    if mtu != 0 {
                        format!("{} unreachable - need to frag (mtu {mtu})", inner_dst())
                    } else {
                        format!("{} unreachable - need to frag", inner_dst())
                    }
                }
                5 => format!("{} unreachable - source route failed", inner_dst()),
                6 => format!("net {} unreachable - unknown", inner_dst()),
                7 => format!("host {} unreachable - unknown", inner_dst()),
                8 => format!("{} unreachable - source host isolated", inner_dst()),
                9 => format!("net {} unreachable - admin prohibited", inner_dst()),
                10 => format!("host {} unreachable - admin prohibited", inner_dst()),
                11 => format!("net {} unreachable - tos prohibited", inner_dst()),
                12 => format!("host {} unreachable - tos prohibited", inner_dst()),
                13 => format!("host {} unreachable - admin prohibited filter", inner_dst()),
                14 => format!(
                    "host {} unreachable - host precedence violation",
                    inner_dst()
                ),
                15 => format!("host {} unreachable - precedence cutoff", inner_dst()),
                c => format!("{} unreachable - #{c}", inner_dst()),
            },
            5 => {
                let gw = v4(dp, 4);
                match code {
                    0 => format!("redirect {} to net {gw}", inner_dst()),
                    1 => format!("redirect {} to host {gw}", inner_dst()),
                    2 => format!("redirect-tos {} to net {gw}", inner_dst()),
                    3 => format!("redirect-tos {} to host {gw}", inner_dst()),
                    c => format!("redirect-#{c} {} to {gw}", inner_dst()),
                }
            }
            11 => match code {
                0 => "time exceeded in-transit".into(),
                1 => "ip reassembly time exceeded".into(),
                c => format!("time exceeded-#{c}"),
            },
            12 => {
                if code != 0 {
                    format!("parameter problem - code {code}")
                } else {
                    format!(
                        "parameter problem - octet {}",
                        dp.get(4).copied().unwrap_or(0)
                    )
                }
            }
            18 => format!("address mask is 0x{:08x}", be32(dp, 8).unwrap_or(0)),
            13 => format!(
                "time stamp query id {} seq {}",
                be16(dp, 4).unwrap_or(0),
                be16(dp, 6).unwrap_or(0)
            ),
            4 => "source quench".into(),
            10 => "router solicitation".into(),
            14 => "time stamp reply".into(),
            15 => "information request".into(),
            16 => "information reply".into(),
            17 => "address mask request".into(),
            9 => "router advertisement".into(),
            t => format!("type-#{t}"),
        };
        let _ = write!(self.s, "ICMP {str}, length {plen}");
        if self.o.vflag > 0 && !fragmented && dp.len() >= plen {
            let sum = in_cksum(&[&dp[..plen]]);
            if sum != 0 {
                let f = be16(dp, 2).unwrap_or(0);
                let _ = write!(
                    self.s,
                    " (wrong icmp cksum {f:x} (->{:x})!)",
                    cksum_shouldbe(f, sum)
                );
            }
        }
        if self.o.vflag > 0 && matches!(ty, 3 | 4 | 5 | 11 | 12) && dp.len() > 8 {
            self.p("\n\t");
            let inner = &dp[8..];
            let ilen = be16(inner, 2).map(|l| l as usize).unwrap_or(inner.len());
            let inner = &inner[..ilen.min(inner.len())];
            self.ip(inner, ilen);
        }
    }

    fn icmp6(&mut self, dp: &[u8], length: usize, ip: Ip, fragmented: bool) {
        if length == 0 {
            self.p("ICMP6, length 0 (invalid)");
            return;
        }
        let Some(&ty) = dp.first() else {
            self.p("[|icmp6]");
            return;
        };
        let v = self.o.vflag;
        if v > 0 && !fragmented && dp.len() >= length {
            if let Ip::V6 { h } = ip {
                let sum = pseudo6_cksum(h, 58, &dp[..length]);
                let f = be16(dp, 2).unwrap_or(0);
                if sum != 0 {
                    let _ = write!(
                        self.s,
                        "[bad icmp6 cksum 0x{f:04x} -> 0x{:04x}!] ",
                        cksum_shouldbe(f, sum)
                    );
                } else {
                    self.p("[icmp6 sum ok] ");
                }
            }
        }
        let name = match ty {
            1 => "destination unreachable".to_string(),
            2 => "packet too big".into(),
            3 => "time exceeded in-transit".into(),
            4 => "parameter problem".into(),
            128 => "echo request".into(),
            129 => "echo reply".into(),
            130 => "multicast listener query".into(),
            131 => "multicast listener report".into(),
            132 => "multicast listener done".into(),
            133 => "router solicitation".into(),
            134 => "router advertisement".into(),
            135 => "neighbor solicitation".into(),
            136 => "neighbor advertisement".into(),
            137 => "redirect".into(),
            138 => "router renumbering".into(),
            141 => "inverse neighbor solicitation".into(),
            142 => "inverse neighbor advertisement".into(),
            143 => "multicast listener report v2".into(),
            139 => "node information query".into(),
            140 => "node information reply".into(),
            t => format!("unknown icmp6 type ({t})"),
        };
        let _ = write!(self.s, "ICMP6, {name}");
        if v > 0 && (133..=137).contains(&ty) {
            let _ = write!(self.s, ", length {length}");
        }
        let code = dp.get(1).copied().unwrap_or(0);
        let oip = dp.get(8..).unwrap_or(&[]);
        match ty {
            1 => {
                let c = match code {
                    0 => "unreachable route".to_string(),
                    1 => " unreachable prohibited".into(),
                    2 => "beyond scope".into(),
                    3 => "unreachable address".into(),
                    4 => "unreachable port".into(),
                    c => format!("unknown unreach code ({c})"),
                };
                let _ = write!(self.s, ", {c}");
                match code {
                    0 | 1 | 3 => {
                        let _ = write!(self.s, " {}", v6(oip, 24));
                    }
                    2 => {
                        let _ = write!(self.s, " {}, source address {}", v6(oip, 24), v6(oip, 8));
                    }
                    4 => {
                        let proto = oip.get(6).copied().unwrap_or(0);
                        let dport = be16(oip, 42).unwrap_or(0);
                        let dst = v6(oip, 24);
                        match proto {
                            6 => {
                                let _ = write!(
                                    self.s,
                                    ", {dst} tcp port {}",
                                    port_name(dport, true, self.o.nflag)
                                );
                            }
                            17 => {
                                let _ = write!(
                                    self.s,
                                    ", {dst} udp port {}",
                                    port_name(dport, false, self.o.nflag)
                                );
                            }
                            p => {
                                let _ =
                                    write!(self.s, ", {dst} protocol {p} port {dport} unreachable");
                            }
                        }
                    }
                    _ => {
                        if v <= 1 {
                            hex_and_ascii(&mut self.s, "\n\t", &dp[..length.min(dp.len())]);
                            return;
                        }
                    }
                }
            }
            2 => {
                let _ = write!(self.s, ", mtu {}", be32(dp, 4).unwrap_or(0));
            }
            3 => match code {
                0 => {
                    let _ = write!(self.s, " for {}", v6(oip, 24));
                }
                1 => self.p(" (reassembly)"),
                c => {
                    let _ = write!(self.s, ", unknown code ({c})");
                }
            },
            4 => {
                let ptr = be32(dp, 4).unwrap_or(0);
                let _ = match code {
                    0 => write!(self.s, ", erroneous - octet {ptr}"),
                    1 => write!(self.s, ", next header - octet {ptr}"),
                    2 => write!(self.s, ", option - octet {ptr}"),
                    3 => write!(self.s, ", incomplete header chain - octet {ptr}"),
                    c => write!(self.s, ", code-#{c}"),
                };
            }
            128 | 129 => {
                let _ = write!(
                    self.s,
                    ", id {}, seq {}",
                    be16(dp, 4).unwrap_or(0),
                    be16(dp, 6).unwrap_or(0)
                );
            }
            130 if length >= 28 => {
                self.p(" v2");
            }
            130..=132 => {
                if length >= 24 && dp.len() >= 24 {
                    let _ = write!(
                        self.s,
                        "max resp delay: {} addr: {}",
                        be16(dp, 4).unwrap_or(0),
                        v6(dp, 8)
                    );
                }
            }
            133 => {
                if v > 0 {
                    self.nd_opts(dp.get(8..length.min(dp.len())).unwrap_or(&[]));
                }
            }
            134 => {
                if v > 0 {
                    let fl = dp.get(5).copied().unwrap_or(0);
                    let f = bittok2str(
                        fl as u32,
                        &[
                            (0x80, "managed"),
                            (0x40, "other stateful"),
                            (0x20, "home agent"),
                            (0x02, "ipv6 only"),
                        ],
                        ", ",
                    );
                    let pref = match (fl >> 3) & 3 {
                        0 => "medium",
                        1 => "high",
                        3 => "low",
                        _ => "reserved",
                    };
                    let _ = write!(
                        self.s,
                        "\n\thop limit {}, Flags [{}], pref {pref}, router lifetime {}s, reachable time {}ms, retrans timer {}ms",
                        dp.get(4).copied().unwrap_or(0),
                        f,
                        be16(dp, 6).unwrap_or(0),
                        be32(dp, 8).unwrap_or(0),
                        be32(dp, 12).unwrap_or(0)
                    );
                    self.nd_opts(dp.get(16..length.min(dp.len())).unwrap_or(&[]));
                }
            }
            135 => {
                let _ = write!(self.s, ", who has {}", v6(dp, 8));
                if v > 0 {
                    self.nd_opts(dp.get(24..length.min(dp.len())).unwrap_or(&[]));
                }
            }
            136 => {
                let _ = write!(self.s, ", tgt is {}", v6(dp, 8));
                if v > 0 {
                    let fl = be32(dp, 4).unwrap_or(0);
                    let f = bittok2str(
                        fl,
                        &[
                            (0x8000_0000, "router"),
                            (0x4000_0000, "solicited"),
                            (0x2000_0000, "override"),
                        ],
                        ", ",
                    );
                    let _ = write!(self.s, ", Flags [{f}]");
                    self.nd_opts(dp.get(24..length.min(dp.len())).unwrap_or(&[]));
                }
            }
            137 => {
                let _ = write!(self.s, ", {} to {}", v6(dp, 24), v6(dp, 8));
                if v > 0 {
                    self.nd_opts(dp.get(40..length.min(dp.len())).unwrap_or(&[]));
                }
            }
            143 => {
                let ngroups = be16(dp, 6).unwrap_or(0) as usize;
                let _ = write!(self.s, ", {ngroups} group record(s)");
                if v > 0 {
                    let mut g = 8;
                    for _ in 0..ngroups {
                        if length < g + 20 || dp.len() < g + 20 {
                            self.p(" [invalid number of groups]");
                            return;
                        }
                        let _ = write!(self.s, " [gaddr {}", v6(dp, g + 4));
                        let rt = dp[g];
                        let rts = match rt {
                            1 => "is_in".to_string(),
                            2 => "is_ex".into(),
                            3 => "to_in".into(),
                            4 => "to_ex".into(),
                            5 => "allow".into(),
                            6 => "block".into(),
                            t => format!(" [v2-report-#{t}]"),
                        };
                        let _ = write!(self.s, " {rts}");
                        let nsrcs = be16(dp, g + 2).unwrap_or(0) as usize;
                        if length < g + 20 + nsrcs * 16 {
                            let _ = write!(self.s, " [invalid number of sources {nsrcs}]");
                            return;
                        }
                        if v == 1 {
                            let _ = write!(self.s, ", {nsrcs} source(s)");
                        } else {
                            self.p(" {");
                            for j in 0..nsrcs {
                                let _ = write!(self.s, " {}", v6(dp, g + 20 + j * 16));
                            }
                            self.p(" }");
                        }
                        g += 20 + nsrcs * 16;
                        self.p("]");
                    }
                }
            }
            141 | 142 => {}
            _ => {
                let _ = write!(self.s, ", length {length}");
                if v <= 1 {
                    hex_and_ascii(&mut self.s, "\n\t", &dp[..length.min(dp.len())]);
                }
                return;
            }
        }
        if v == 0 {
            let _ = write!(self.s, ", length {length}");
        }
    }

    /// icmp6_opt_print: neighbour discovery options, one a line.
    fn nd_opts(&mut self, mut d: &[u8]) {
        while d.len() >= 2 {
            let (t, l) = (d[0], d[1] as usize);
            if l == 0 || d.len() < l * 8 {
                self.p("[|icmp6]");
                return;
            }
            let name = match t {
                1 => "source link-address",
                2 => "destination link-address",
                3 => "prefix info",
                4 => "redirected header",
                5 => "mtu",
                25 => "rdnss",
                31 => "dnssl",
                7 => "advertisement interval",
                8 => "homeagent information",
                24 => "route info",
                _ => "unknown",
            };
            let _ = write!(
                self.s,
                "\n\t  {name} option ({t}), length {} ({l}): ",
                l * 8
            );
            let body = &d[2..l * 8];
            match t {
                1 | 2 => {
                    let m: Vec<String> = body.iter().map(|b| format!("{b:02x}")).collect();
                    self.p(&m.join(":"));
                }
                3 if body.len() >= 30 => {
                    let lt = |x: u32| {
                        if x == u32::MAX {
                            "infinity".to_string()
                        } else {
                            format!("{x}s")
                        }
                    };
                    let f = bittok2str(
                        body[1] as u32,
                        &[(0x80, "onlink"), (0x40, "auto"), (0x20, "router")],
                        ", ",
                    );
                    let _ = write!(
                        self.s,
                        "{}/{}{}, Flags [{}], valid time {}, pref. time {}",
                        v6(body, 14),
                        body[0],
                        if l != 4 { "badlen" } else { "" },
                        f,
                        lt(be32(body, 2).unwrap_or(0)),
                        lt(be32(body, 6).unwrap_or(0))
                    );
                }
                5 => {
                    let _ = write!(
                        self.s,
                        " {}{}",
                        be32(body, 2).unwrap_or(0),
                        if l != 1 { "bad option length" } else { "" }
                    );
                }
                _ => {}
            }
            if self.o.vflag > 1 {
                hex_and_ascii_noascii_opt(&mut self.s, body);
            }
            d = &d[l * 8..];
        }
    }

    fn tcp(&mut self, tp: &[u8], length: usize, ip: Ip, fragmented: bool) {
        let (src, dst) = ip.addrs();
        let (Some(sport), Some(dport)) = (be16(tp, 0), be16(tp, 2)) else {
            let _ = write!(self.s, "{src} > {dst}: [|tcp]");
            return;
        };
        let n = self.o.nflag;
        let (sp, dp) = (port_name(sport, true, n), port_name(dport, true, n));
        // After IPv6 extension headers the addresses were printed already.
        let _ = if ip.next_header() == 6 {
            write!(self.s, "{src}.{sp} > {dst}.{dp}: ")
        } else {
            write!(self.s, "{sp} > {dp}: ")
        };
        if tp.len() < 20 {
            self.p("[|tcp]");
            return;
        }
        let hlen = (tp[12] >> 4) as usize * 4;
        if hlen < 20 {
            let _ = write!(
                self.s,
                " tcp {} [bad hdr length {hlen} - too short, < 20]",
                length.wrapping_sub(hlen)
            );
            return;
        }
        let mut seq = be32(tp, 4).unwrap_or(0);
        let mut ack = be32(tp, 8).unwrap_or(0);
        let win = be16(tp, 14).unwrap_or(0);
        let urp = be16(tp, 18).unwrap_or(0);
        if self.o.qflag {
            let _ = write!(self.s, "tcp {}", length.saturating_sub(hlen));
            if hlen > length {
                let _ = write!(self.s, " [bad hdr length {hlen} - too long, > {length}]");
            }
            return;
        }
        let flags = tp[13];
        let fl: String = [
            (0x01, "F"),
            (0x02, "S"),
            (0x04, "R"),
            (0x08, "P"),
            (0x10, "."),
            (0x20, "U"),
            (0x40, "E"),
            (0x80, "W"),
        ]
        .iter()
        .filter(|(b, _)| flags & b != 0)
        .map(|(_, s)| *s)
        .collect();
        let _ = write!(
            self.s,
            "Flags [{}]",
            if fl.is_empty() { "none" } else { &fl }
        );
        let (mut thseq, mut thack, mut rev) = (0u32, 0u32, false);
        if !self.o.abs_seq && flags & 0x10 != 0 {
            let (sa, da) = ip.raw_addrs();
            rev = sport > dport || (sport == dport && sa > da);
            let key = if rev {
                (
                    da.to_vec(),
                    sa.to_vec(),
                    (dport as u32) << 16 | sport as u32,
                )
            } else {
                (
                    sa.to_vec(),
                    da.to_vec(),
                    (sport as u32) << 16 | dport as u32,
                )
            };
            match self.tcp.get(&key) {
                Some(&(s, a)) if flags & 0x02 == 0 => {
                    if rev {
                        seq = seq.wrapping_sub(a);
                        ack = ack.wrapping_sub(s);
                    } else {
                        seq = seq.wrapping_sub(s);
                        ack = ack.wrapping_sub(a);
                    }
                    thseq = s;
                    thack = a;
                }
                _ => {
                    let e = if rev {
                        (ack.wrapping_sub(1), seq)
                    } else {
                        (seq, ack.wrapping_sub(1))
                    };
                    self.tcp.insert(key, e);
                    thseq = e.0;
                    thack = e.1;
                }
            }
        }
        if hlen > length {
            let _ = write!(self.s, " [bad hdr length {hlen} - too long, > {length}]");
            return;
        }
        if self.o.vflag > 0 && !fragmented && tp.len() >= length {
            let sum = ip.pseudo_cksum(6, &tp[..length]);
            let f = be16(tp, 16).unwrap_or(0);
            let _ = write!(self.s, ", cksum 0x{f:04x}");
            if sum != 0 {
                let _ = write!(self.s, " (incorrect -> 0x{:04x})", cksum_shouldbe(f, sum));
            } else {
                self.p(" (correct)");
            }
        }
        let dlen = length - hlen;
        if self.o.vflag > 1 || dlen > 0 || flags & 0x07 != 0 {
            let _ = write!(self.s, ", seq {seq}");
            if dlen > 0 {
                let _ = write!(self.s, ":{}", seq.wrapping_add(dlen as u32));
            }
        }
        if flags & 0x10 != 0 {
            let _ = write!(self.s, ", ack {ack}");
        }
        let _ = write!(self.s, ", win {win}");
        if flags & 0x20 != 0 {
            let _ = write!(self.s, ", urg {urp}");
        }
        if hlen > 20 {
            self.tcp_options(tp.get(20..hlen).unwrap_or(&[]), rev, thseq, thack);
        }
        let _ = write!(self.s, ", length {dlen}");
        if dlen == 0 {
            return;
        }
        let data = tp.get(hlen..).unwrap_or(&[]);
        let data = &data[..dlen.min(data.len())];
        if flags & 0x04 != 0 && self.o.vflag > 0 {
            self.p(" [RST");
            let t: String = data
                .iter()
                .take(30)
                .map(|&b| {
                    if (0x20..0x7f).contains(&b) {
                        b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            let _ = write!(self.s, " {t}]");
            return;
        }
        let port = |p: u16| sport == p || dport == p;
        if port(80) || port(8080) {
            self.p(": ");
            self.txtproto(data, dlen, "HTTP", HTTP_CMDS, true);
        } else if port(22) {
            self.ssh(data);
        }
    }

    fn tcp_options(&mut self, mut o: &[u8], rev: bool, thseq: u32, thack: u32) {
        self.p(", options [");
        let mut first = true;
        while let Some(&opt) = o.first() {
            if !first {
                self.p(",");
            }
            first = false;
            let len = if opt == 0 || opt == 1 {
                1
            } else {
                match o.get(1) {
                    Some(&l) if l >= 2 && l as usize <= o.len() => l as usize,
                    _ => {
                        self.p("[bad opt]]");
                        return;
                    }
                }
            };
            let name = match opt {
                0 => "eol".to_string(),
                1 => "nop".into(),
                2 => "mss".into(),
                3 => "wscale".into(),
                4 => "sackOK".into(),
                5 => "sack".into(),
                6 => "echo".into(),
                7 => "echoreply".into(),
                8 => "TS".into(),
                11 => "cc".into(),
                12 => "ccnew".into(),
                13 => "".into(),
                19 => "md5".into(),
                20 => "scps".into(),
                28 => "uto".into(),
                29 => "tcp-ao".into(),
                30 => "mptcp".into(),
                34 => "tfo".into(),
                254 => "exp".into(),
                n => format!("unknown-{n}"),
            };
            self.p(&name);
            let body = &o[if len == 1 { 1 } else { 2 }..len];
            let mut datalen = body.len();
            match opt {
                2 if body.len() >= 2 => {
                    datalen = 2;
                    let _ = write!(self.s, " {}", be16(body, 0).unwrap_or(0));
                }
                3 if !body.is_empty() => {
                    datalen = 1;
                    let _ = write!(self.s, " {}", body[0]);
                }
                5 => {
                    if !body.len().is_multiple_of(8) {
                        self.p(" invalid sack");
                    } else {
                        let _ = write!(self.s, " {} ", body.len() / 8);
                        for c in body.chunks(8) {
                            let (mut s, mut e) = (be32(c, 0).unwrap_or(0), be32(c, 4).unwrap_or(0));
                            let base = if rev { thseq } else { thack };
                            s = s.wrapping_sub(base);
                            e = e.wrapping_sub(base);
                            let _ = write!(self.s, "{{{s}:{e}}}");
                        }
                    }
                }
                6 | 7 | 11 | 12 | 13 if body.len() >= 4 => {
                    datalen = 4;
                    let _ = write!(self.s, " {}", be32(body, 0).unwrap_or(0));
                }
                8 if body.len() >= 8 => {
                    datalen = 8;
                    let _ = write!(
                        self.s,
                        " val {} ecr {}",
                        be32(body, 0).unwrap_or(0),
                        be32(body, 4).unwrap_or(0)
                    );
                }
                0 | 1 | 4 => {}
                28 if body.len() >= 2 => {
                    datalen = 2;
                    let u = be16(body, 0).unwrap_or(0);
                    let v = if u & 1 != 0 {
                        (u >> 1) as u32 * 60
                    } else {
                        (u >> 1) as u32
                    };
                    let _ = write!(self.s, " 0x{u:x} {v}");
                }
                _ => {
                    if !body.is_empty() {
                        self.p(" 0x");
                        for b in body {
                            let _ = write!(self.s, "{b:02x}");
                        }
                    }
                }
            }
            let expect = datalen + if len == 1 { 1 } else { 2 };
            if expect != len {
                let _ = write!(self.s, "[len {len}]");
            }
            if opt == 0 {
                break;
            }
            o = &o[len..];
        }
        self.p("]");
    }

    /// txtproto_print (HTTP and friends).
    fn txtproto(&mut self, d: &[u8], len: usize, caps: &str, cmds: &[&str], code_second: bool) {
        let tok = |from: usize| -> Option<(String, usize)> {
            let mut i = from;
            while i < d.len() && d[i] == b' ' {
                i += 1;
            }
            let start = i;
            while i < d.len() && !matches!(d[i], b' ' | b'\r' | b'\n') {
                if !(0x21..0x7f).contains(&d[i]) {
                    return None;
                }
                i += 1;
            }
            if i == start || i >= d.len() {
                return None;
            }
            let t = String::from_utf8_lossy(&d[start..i]).to_string();
            while i < d.len() && d[i] == b' ' {
                i += 1;
            }
            Some((t, i))
        };
        let mut print_this = false;
        if let Some((t, idx)) = tok(0) {
            if cmds.iter().any(|c| c.eq_ignore_ascii_case(&t)) {
                print_this = true;
            }
            let second = if code_second {
                tok(idx).map(|x| x.0)
            } else {
                Some(t)
            };
            if let Some(t2) = second {
                let b = t2.as_bytes();
                if b.len() == 3 && b.iter().all(|c| c.is_ascii_digit()) {
                    print_this = true;
                }
            }
        }
        self.p(caps);
        if !print_this {
            return;
        }
        if self.o.vflag > 0 {
            let _ = write!(self.s, ", length: {len}");
            let mut idx = 0;
            while idx < len.min(d.len()) {
                match self.txt_line("\n\t", d, idx) {
                    Some(e) => idx = e,
                    None => break,
                }
            }
        } else {
            self.txt_line(": ", d, 0);
        }
    }

    fn txt_line(&mut self, prefix: &str, d: &[u8], start: usize) -> Option<usize> {
        let mut i = start;
        while i < d.len() {
            let c = d[i];
            if c == b'\n' {
                let _ = write!(self.s, "{prefix}{}", String::from_utf8_lossy(&d[start..i]));
                return Some(i + 1);
            } else if c == b'\r' {
                if i + 1 >= d.len() {
                    return None;
                }
                if d[i + 1] == b'\n' {
                    let _ = write!(self.s, "{prefix}{}", String::from_utf8_lossy(&d[start..i]));
                    return Some(i + 2);
                }
                return None;
            } else if !(0x20..0x7f).contains(&c) && c != b'\t' {
                return None;
            }
            i += 1;
        }
        let _ = write!(
            self.s,
            "{prefix}{} [|http]",
            String::from_utf8_lossy(&d[start..])
        );
        None
    }

    /// ssh_print: the identification string.
    fn ssh(&mut self, d: &[u8]) {
        if d.starts_with(b"SSH-") {
            let end = d
                .iter()
                .position(|&c| c == b'\r' || c == b'\n')
                .unwrap_or(d.len());
            let _ = write!(self.s, ": {}", String::from_utf8_lossy(&d[..end]));
        }
    }

    fn udp(&mut self, up: &[u8], length: usize, ip: Ip, fragmented: bool) {
        let (src, dst) = ip.addrs();
        let (Some(sport), Some(dport)) = (be16(up, 0), be16(up, 2)) else {
            let _ = write!(self.s, "{src} > {dst}: [|udp]");
            return;
        };
        let n = self.o.nflag;
        let (sp, dp) = (port_name(sport, false, n), port_name(dport, false, n));
        let addrs = if ip.next_header() == 17 {
            format!("{src}.{sp} > {dst}.{dp}: ")
        } else {
            format!("{sp} > {dp}: ")
        };
        if length < 8 {
            let _ = write!(self.s, "{addrs}truncated-udp {length}");
            return;
        }
        let Some(mut ulen) = be16(up, 4).map(|l| l as usize) else {
            let _ = write!(self.s, "{addrs}[|udp]");
            return;
        };
        if ulen == 0 && length > 65535 {
            ulen = length;
        }
        if ulen < 8 {
            let _ = write!(self.s, "{addrs}truncated-udplength {ulen}");
            return;
        }
        let ulen = ulen - 8;
        let mut length = length - 8;
        if ulen < length {
            length = ulen;
        }
        self.p(&addrs);
        let v6 = matches!(ip, Ip::V6 { .. });
        if self.o.vflag > 0 && !fragmented {
            let f = be16(up, 6).unwrap_or(0);
            if !v6 && self.o.vflag > 1 {
                if f == 0 {
                    self.p("[no cksum] ");
                } else if up.len() >= length + 8 {
                    let sum = ip.pseudo_cksum(17, &up[..length + 8]);
                    if sum != 0 {
                        let _ = write!(
                            self.s,
                            "[bad udp cksum 0x{f:04x} -> 0x{:04x}!] ",
                            cksum_shouldbe(f, sum)
                        );
                    } else {
                        self.p("[udp sum ok] ");
                    }
                }
            } else if v6 && up.len() >= length + 8 {
                let sum = ip.pseudo_cksum(17, &up[..length + 8]);
                if sum != 0 {
                    let _ = write!(
                        self.s,
                        "[bad udp cksum 0x{f:04x} -> 0x{:04x}!] ",
                        cksum_shouldbe(f, sum)
                    );
                } else {
                    self.p("[udp sum ok] ");
                }
            }
        }
        let port = |p: u16| sport == p || dport == p;
        if !self.o.qflag && port(4789) && up.len() >= 16 {
            self.vxlan(&up[8..], length);
            return;
        }
        // DNS comes before RX in udp_print()'s port dispatch; a payload
        // shorter than a DNS header is invalid. (Longer ones are not
        // decoded: they print as plain UDP.)
        if !self.o.qflag && port(53) && length < 12 {
            let _ = write!(self.s, "domain [length {length} < 12] (invalid)");
            return;
        }
        // AFS's RX ports (RX_PORT_LOW..RX_PORT_HIGH): rx_print() gives up
        // on a payload shorter than its 28-byte header. (Full RX decoding
        // is not done: longer payloads print as plain UDP.)
        if !self.o.qflag && (7000..=7009).any(port) && length < 28 {
            let _ = write!(self.s, " [|rx] ({length})");
            return;
        }
        if ulen > length && !fragmented {
            let _ = write!(self.s, "UDP, bad length {ulen} > {length}");
        } else {
            let _ = write!(self.s, "UDP, length {ulen}");
        }
    }

    /// vxlan_print.
    fn vxlan(&mut self, d: &[u8], length: usize) {
        let flags = d[0];
        let vni = be32(d, 4).unwrap_or(0) >> 8;
        let _ = write!(self.s, "VXLAN, flags [");
        if flags & 0x08 != 0 {
            self.p("I");
        } else {
            self.p(".");
        }
        let _ = writeln!(self.s, "] (0x{flags:02x}), vni {vni}");
        let _ = length;
        self.ether(&d[8..]);
    }
}

/// The -vv hex dump of an ND option body ("\n\t    0x0000:  0200 0000 0001").
fn hex_and_ascii_noascii_opt(s: &mut String, d: &[u8]) {
    hex_only(s, "\n\t    ", d);
}

/// The network header a transport printer needs (addresses, pseudo-header).
#[derive(Clone, Copy)]
enum Ip<'a> {
    V4 { h: &'a [u8] },
    V6 { h: &'a [u8] },
}

impl Ip<'_> {
    /// The protocol field of the IP header itself.
    fn next_header(&self) -> u8 {
        match self {
            Ip::V4 { h } => h[9],
            Ip::V6 { h } => h[6],
        }
    }
    fn addrs(&self) -> (String, String) {
        match self {
            Ip::V4 { h } => (v4(h, 12), v4(h, 16)),
            Ip::V6 { h } => (v6(h, 8), v6(h, 24)),
        }
    }
    fn raw_addrs(&self) -> (&[u8], &[u8]) {
        match self {
            Ip::V4 { h } => (&h[12..16], &h[16..20]),
            Ip::V6 { h } => (&h[8..24], &h[24..40]),
        }
    }
    fn pseudo_cksum(&self, proto: u8, seg: &[u8]) -> u16 {
        match self {
            Ip::V4 { h } => {
                let len = (seg.len() as u16).to_be_bytes();
                in_cksum(&[&h[12..20], &[0, proto], &len, seg])
            }
            Ip::V6 { h } => pseudo6_cksum(h, proto, seg),
        }
    }
}

fn pseudo6_cksum(h: &[u8], proto: u8, seg: &[u8]) -> u16 {
    let len = (seg.len() as u32).to_be_bytes();
    in_cksum(&[&h[8..40], &len, &[0, 0, 0, proto], seg])
}

/// tcpdump's bittok2str(): the names of the bits set, in table order, or "none".
fn bittok2str(v: u32, table: &[(u32, &str)], sep: &str) -> String {
    let names: Vec<&str> = table
        .iter()
        .filter(|(bit, _)| v & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(sep)
    }
}
