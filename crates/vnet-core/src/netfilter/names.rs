//! Name tables the rule printer consults: /etc/protocols (Debian 12's
//! netbase), TCP flag names, conntrack status bits, packet types and
//! ip6tables' REJECT types, in the order iptables prints them.

use super::rule::RejectWith;

/// /etc/protocols entries (number, name) that iptables can print or parse.
pub const PROTOCOLS: &[(u8, &str)] = &[
    (0, "ip"),
    (1, "icmp"),
    (2, "igmp"),
    (3, "ggp"),
    (4, "ipencap"),
    (5, "st"),
    (6, "tcp"),
    (8, "egp"),
    (9, "igp"),
    (12, "pup"),
    (17, "udp"),
    (20, "hmp"),
    (22, "xns-idp"),
    (27, "rdp"),
    (29, "iso-tp4"),
    (33, "dccp"),
    (36, "xtp"),
    (37, "ddp"),
    (38, "idpr-cmtp"),
    (41, "ipv6"),
    (43, "ipv6-route"),
    (44, "ipv6-frag"),
    (45, "idrp"),
    (46, "rsvp"),
    (47, "gre"),
    (50, "esp"),
    (51, "ah"),
    (57, "skip"),
    (58, "ipv6-icmp"),
    (59, "ipv6-nonxt"),
    (60, "ipv6-opts"),
    (73, "rspf"),
    (81, "vmtp"),
    (88, "eigrp"),
    (89, "ospf"),
    (93, "ax.25"),
    (94, "ipip"),
    (97, "etherip"),
    (98, "encap"),
    (103, "pim"),
    (108, "ipcomp"),
    (112, "vrrp"),
    (115, "l2tp"),
    (124, "isis"),
    (132, "sctp"),
    (133, "fc"),
    (135, "mobility-header"),
    (136, "udplite"),
    (137, "mpls-in-ip"),
    (138, "manet"),
    (139, "hip"),
    (140, "shim6"),
    (141, "wesp"),
    (142, "rohc"),
    (143, "ethernet"),
];

/// The protocol's name as iptables prints it (`all` for 0), or its number.
pub fn proto_name(p: u8) -> String {
    match p {
        0 => "all".into(),
        _ => PROTOCOLS
            .iter()
            .find(|(n, _)| *n == p)
            .map_or_else(|| p.to_string(), |(_, n)| n.to_string()),
    }
}

/// libip6t_REJECT's reject types: (name, alias, kind), in its order.
pub const REJECT6: &[(&str, &str, RejectWith)] = &[
    ("icmp6-no-route", "no-route", RejectWith::Icmp6NoRoute),
    (
        "icmp6-adm-prohibited",
        "adm-prohibited",
        RejectWith::Icmp6AdmProhibited,
    ),
    (
        "icmp6-addr-unreachable",
        "addr-unreach",
        RejectWith::Icmp6AddrUnreach,
    ),
    (
        "icmp6-port-unreachable",
        "port-unreach",
        RejectWith::Icmp6PortUnreach,
    ),
    ("tcp-reset", "tcp-reset", RejectWith::TcpReset),
    (
        "icmp6-policy-fail",
        "policy-fail",
        RejectWith::Icmp6PolicyFail,
    ),
    (
        "icmp6-reject-route",
        "reject-route",
        RejectWith::Icmp6RejectRoute,
    ),
];

/// TCP flag names in the order iptables prints them.
pub const TCP_FLAGS: &[(&str, u8)] = &[
    ("FIN", 0x01),
    ("SYN", 0x02),
    ("RST", 0x04),
    ("PSH", 0x08),
    ("ACK", 0x10),
    ("URG", 0x20),
];

/// conntrack --ctstatus bits (IPS_*), in printing order.
pub const CT_STATUS: &[(&str, u32)] = &[
    ("EXPECTED", 1),
    ("SEEN_REPLY", 2),
    ("ASSURED", 4),
    ("CONFIRMED", 8),
];

/// pkttype names (PACKET_*).
pub const PKT_TYPES: &[(&str, u8)] = &[
    ("unicast", 0),
    ("broadcast", 1),
    ("multicast", 2),
    ("host", 0),
    ("otherhost", 3),
];
