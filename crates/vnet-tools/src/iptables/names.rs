//! Name tables iptables consults: /etc/protocols (Debian 12's netbase),
//! /etc/services (shared with tcpdump), the ICMP type names of libxt_icmp,
//! TCP flag names, and the small keyword tables of the extensions (the
//! tables the rule printer needs live in the core, next to the printer).

use crate::tcpdump::services;
pub use vnet_core::netfilter::names::{
    proto_name, CT_STATUS, PKT_TYPES, PROTOCOLS, REJECT6, TCP_FLAGS,
};

/// `-p` argument: a number 0-255, `all`, or a name (case-insensitive).
pub fn parse_proto(s: &str) -> Option<u8> {
    if let Ok(n) = s.parse::<u32>() {
        return u8::try_from(n).ok();
    }
    let l = s.to_ascii_lowercase();
    if l == "all" {
        return Some(0);
    }
    // xtables' own names besides /etc/protocols'.
    if l == "icmpv6" {
        return Some(58);
    }
    PROTOCOLS.iter().find(|(_, n)| *n == l).map(|(p, _)| *p)
}

/// The service name of a port (tcp table unless the protocol is udp).
pub fn service_name(port: u16, proto: u8) -> Option<&'static str> {
    let t = if proto == 17 {
        services::UDP
    } else {
        services::TCP
    };
    t.iter().find(|(p, _)| *p == port).map(|(_, n)| *n)
}

/// A port number (xtables_strtoui: base 0, so `0x16` is 22), or a service
/// name of the protocol's in /etc/services
/// (getservbyname(name, "udp"), as multiport resolves them).
pub fn parse_port(s: &str, proto: u8) -> Option<u16> {
    if let Some(p) = crate::args::get_unsigned(s, 0xffff) {
        return Some(p as u16);
    }
    crate::procfs::service_port(s, &proto_name(proto))
}

/// A port number, or a service name of any protocol (the port options of
/// tcp, udp and dccp: libxtables looks names up without a protocol, so
/// `-p udp --dport ssh` is 22).
pub fn parse_port_any(s: &str) -> Option<u16> {
    if let Some(p) = crate::args::get_unsigned(s, 0xffff) {
        return Some(p as u16);
    }
    crate::procfs::service_port_any(s)
}

/// libxt_icmp's names: (name, type, code min, code max).
pub const ICMP_TYPES: &[(&str, u8, u8, u8)] = &[
    ("any", 0xff, 0, 0xff),
    ("echo-reply", 0, 0, 0xff),
    ("destination-unreachable", 3, 0, 0xff),
    ("network-unreachable", 3, 0, 0),
    ("host-unreachable", 3, 1, 1),
    ("protocol-unreachable", 3, 2, 2),
    ("port-unreachable", 3, 3, 3),
    ("fragmentation-needed", 3, 4, 4),
    ("source-route-failed", 3, 5, 5),
    ("network-unknown", 3, 6, 6),
    ("host-unknown", 3, 7, 7),
    ("network-prohibited", 3, 9, 9),
    ("host-prohibited", 3, 10, 10),
    ("TOS-network-unreachable", 3, 11, 11),
    ("TOS-host-unreachable", 3, 12, 12),
    ("communication-prohibited", 3, 13, 13),
    ("host-precedence-violation", 3, 14, 14),
    ("precedence-cutoff", 3, 15, 15),
    ("source-quench", 4, 0, 0xff),
    ("redirect", 5, 0, 0xff),
    ("network-redirect", 5, 0, 0),
    ("host-redirect", 5, 1, 1),
    ("TOS-network-redirect", 5, 2, 2),
    ("TOS-host-redirect", 5, 3, 3),
    ("echo-request", 8, 0, 0xff),
    ("router-advertisement", 9, 0, 0xff),
    ("router-solicitation", 10, 0, 0xff),
    ("time-exceeded", 11, 0, 0xff),
    ("ttl-zero-during-transit", 11, 0, 0),
    ("ttl-zero-during-reassembly", 11, 1, 1),
    ("parameter-problem", 12, 0, 0xff),
    ("ip-header-bad", 12, 0, 0),
    ("required-option-missing", 12, 1, 1),
    ("timestamp-request", 13, 0, 0xff),
    ("timestamp-reply", 14, 0, 0xff),
    ("address-mask-request", 17, 0, 0xff),
    ("address-mask-reply", 18, 0, 0xff),
];

/// libip6t_icmp6's names, aliases in place: (name, type, code min, code max).
pub const ICMP6_TYPES: &[(&str, u8, u8, u8)] = &[
    ("destination-unreachable", 1, 0, 0xff),
    ("no-route", 1, 0, 0),
    ("communication-prohibited", 1, 1, 1),
    ("beyond-scope", 1, 2, 2),
    ("address-unreachable", 1, 3, 3),
    ("port-unreachable", 1, 4, 4),
    ("failed-policy", 1, 5, 5),
    ("reject-route", 1, 6, 6),
    ("packet-too-big", 2, 0, 0xff),
    ("time-exceeded", 3, 0, 0xff),
    ("ttl-exceeded", 3, 0, 0xff),
    ("ttl-zero-during-transit", 3, 0, 0),
    ("ttl-zero-during-reassembly", 3, 1, 1),
    ("parameter-problem", 4, 0, 0xff),
    ("bad-header", 4, 0, 0),
    ("unknown-header-type", 4, 1, 1),
    ("unknown-option", 4, 2, 2),
    ("echo-request", 128, 0, 0xff),
    ("ping", 128, 0, 0xff),
    ("echo-reply", 129, 0, 0xff),
    ("pong", 129, 0, 0xff),
    ("router-solicitation", 133, 0, 0xff),
    ("router-advertisement", 134, 0, 0xff),
    ("neighbour-solicitation", 135, 0, 0xff),
    ("neighbor-solicitation", 135, 0, 0xff),
    ("neighbour-advertisement", 136, 0, 0xff),
    ("neighbor-advertisement", 136, 0, 0xff),
    ("redirect", 137, 0, 0xff),
];

/// Aliases libxt_icmp accepts besides the names above.
pub const ICMP_ALIASES: &[(&str, &str)] = &[
    ("pong", "echo-reply"),
    ("ping", "echo-request"),
    ("ttl-exceeded", "time-exceeded"),
];

/// syslog levels for LOG --log-level.
pub const LOG_LEVELS: &[(&str, u8)] = &[
    ("alert", 1),
    ("crit", 2),
    ("debug", 7),
    ("emerg", 0),
    ("error", 3),
    ("info", 6),
    ("notice", 5),
    ("panic", 0),
    ("warning", 4),
];

/// DSCP class names for --set-dscp-class.
pub const DSCP_CLASSES: &[(&str, u8)] = &[
    ("CS0", 0x00),
    ("CS1", 0x08),
    ("CS2", 0x10),
    ("CS3", 0x18),
    ("CS4", 0x20),
    ("CS5", 0x28),
    ("CS6", 0x30),
    ("CS7", 0x38),
    ("BE", 0x00),
    ("AF11", 0x0a),
    ("AF12", 0x0c),
    ("AF13", 0x0e),
    ("AF21", 0x12),
    ("AF22", 0x14),
    ("AF23", 0x16),
    ("AF31", 0x1a),
    ("AF32", 0x1c),
    ("AF33", 0x1e),
    ("AF41", 0x22),
    ("AF42", 0x24),
    ("AF43", 0x26),
    ("EF", 0x2e),
];
