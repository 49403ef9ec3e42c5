//! /etc and /run/netns, and the two netbase databases tools resolve names
//! with (getservbyname, getprotobyname).
//!
//! `data/services` and `data/protocols` are Debian 12's netbase 6.4 files,
//! unmodified (`dpkg -V netbase` was clean on the machine they came from).

use super::Node;
use vnet_core::{NsId, World};

const SERVICES: &str = include_str!("data/services");
const PROTOCOLS: &str = include_str!("data/protocols");

/// The entries of a netbase file: each line without its comment, split
/// into fields (name, number, aliases...).
fn entries(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines().filter_map(|l| {
        let l = l.split('#').next().unwrap_or("");
        let f: Vec<&str> = l.split_whitespace().collect();
        (f.len() >= 2).then_some(f)
    })
}

/// getservbyname(name, proto): the port of a service name or alias, as
/// /etc/services lists it for that protocol ("tcp", "udp", ...).
pub fn service_port(name: &str, proto: &str) -> Option<u16> {
    entries(SERVICES).find_map(|f| {
        let (port, p) = f[1].split_once('/')?;
        if p != proto || (f[0] != name && !f[2..].contains(&name)) {
            return None;
        }
        port.parse().ok()
    })
}

/// getservbyname(name, NULL): the port of the first service of that name
/// or alias, whatever its protocol (`ssh` is 22 for UDP too).
pub fn service_port_any(name: &str) -> Option<u16> {
    entries(SERVICES).find_map(|f| {
        let (port, _) = f[1].split_once('/')?;
        if f[0] != name && !f[2..].contains(&name) {
            return None;
        }
        port.parse().ok()
    })
}

/// getprotobyname(name): the number of a protocol name or alias in
/// /etc/protocols ("tcp" and "TCP" are both listed there).
pub fn protocol_number(name: &str) -> Option<u8> {
    entries(PROTOCOLS).find_map(|f| {
        if f[0] != name && !f[2..].contains(&name) {
            return None;
        }
        f[1].parse().ok()
    })
}

/// The name of the host `ns` belongs to.
fn hostname(w: &World, ns: NsId) -> String {
    w.host_names()
        .get(w.host_of(ns))
        .cloned()
        .unwrap_or_default()
}

/// Debian's installer writes this /etc/hosts (the host's own name on
/// 127.0.1.1).
fn hosts(name: &str) -> String {
    format!(
        "127.0.0.1\tlocalhost\n127.0.1.1\t{name}\n\n\
         # The following lines are desirable for IPv6 capable hosts\n\
         ::1     localhost ip6-localhost ip6-loopback\n\
         ff02::1 ip6-allnodes\n\
         ff02::2 ip6-allrouters\n"
    )
}

pub(super) fn lookup_etc(w: &World, ns: NsId, tail: &[&str]) -> Option<Node> {
    Some(match tail {
        [] => Node::dir(["hostname", "hosts", "protocols", "resolv.conf", "services"]),
        ["services"] => Node::text(SERVICES),
        ["protocols"] => Node::text(PROTOCOLS),
        ["hostname"] => Node::text(format!("{}\n", hostname(w, ns))),
        ["hosts"] => Node::text(hosts(&hostname(w, ns))),
        // No resolver: names resolve through /etc/hosts only.
        ["resolv.conf"] => Node::File(Vec::new()),
        _ => return None,
    })
}

/// /run: the mount points `ip netns add` makes (one empty file per name).
pub(super) fn lookup_run(w: &World, tail: &[&str]) -> Option<Node> {
    let names = w.netns_names();
    match tail {
        [] => Some(Node::dir(["netns"])),
        ["netns"] => Some(Node::dir(names.into_iter().map(|(n, _)| n))),
        ["netns", n] => names
            .iter()
            .any(|(x, _)| x == n)
            .then(|| Node::File(Vec::new())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_by_name_alias_and_protocol() {
        assert_eq!(service_port("ssh", "tcp"), Some(22));
        assert_eq!(service_port("http", "tcp"), Some(80));
        assert_eq!(service_port("www", "tcp"), Some(80)); // an alias
        assert_eq!(service_port("domain", "udp"), Some(53));
        assert_eq!(service_port("ssh", "sctp"), None);
        assert_eq!(service_port("nosuchservice", "tcp"), None);
        assert_eq!(service_port("", "tcp"), None);
        assert_eq!(service_port_any("ssh"), Some(22));
        assert_eq!(service_port("ssh", "udp"), None);
        assert_eq!(service_port_any("SSH"), None);
    }

    #[test]
    fn protocols_by_name_and_alias() {
        assert_eq!(protocol_number("tcp"), Some(6));
        assert_eq!(protocol_number("TCP"), Some(6));
        assert_eq!(protocol_number("icmp"), Some(1));
        assert_eq!(protocol_number("ipv6-icmp"), Some(58));
        assert_eq!(protocol_number("gre"), Some(47));
        assert_eq!(protocol_number("nope"), None);
    }

    #[test]
    fn netns_names_are_empty_files() {
        let mut w = World::new(1);
        w.netns_add("red").unwrap();
        w.netns_add("blue").unwrap();
        assert_eq!(
            lookup_run(&w, &["netns"]),
            Some(Node::Dir(vec!["blue".into(), "red".into()]))
        );
        assert_eq!(lookup_run(&w, &["netns", "red"]), Some(Node::File(vec![])));
        assert_eq!(lookup_run(&w, &["netns", "green"]), None);
    }
}
