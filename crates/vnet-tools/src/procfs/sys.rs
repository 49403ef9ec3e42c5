//! /proc/sys: the directories over the namespace's sysctl table
//! (`vnet_core::sysctl`) and its values, as `sysctl` reads them.
//! Only the keys vnet simulates are listed; a real kernel has many more.

use super::Node;
use vnet_core::sysctl::Sysctls;
use vnet_core::{NsId, World};

/// Splits a dotted key into path components, keeping a device name whole
/// (a VLAN device "eth0.100" is one directory).
fn components(key: &str, devs: &[&str]) -> Vec<String> {
    for family in ["net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh."] {
        let Some(rest) = key.strip_prefix(family) else {
            continue;
        };
        let dev = devs
            .iter()
            .chain(["all", "default"].iter())
            .filter(|d| rest.strip_prefix(**d).is_some_and(|r| r.starts_with('.')))
            .max_by_key(|d| d.len());
        if let Some(d) = dev {
            let mut v: Vec<String> = family
                .trim_end_matches('.')
                .split('.')
                .map(String::from)
                .collect();
            v.push(d.to_string());
            v.push(rest[d.len() + 1..].to_string());
            return v;
        }
    }
    key.split('.').map(String::from).collect()
}

/// Every file under /proc/sys of `ns`, as path components.
fn files(w: &World, ns: NsId) -> Vec<Vec<String>> {
    let n = w.ns(ns);
    let devs = n.dev_names();
    let mut keys: Vec<String> = Sysctls::keys(&devs)
        .into_iter()
        .filter(|k| n.sysctl().get(k, &devs).is_some())
        .collect();
    // Read by crate::fs from conntrack itself rather than the table.
    keys.push("net.netfilter.nf_conntrack_count".into());
    keys.iter().map(|k| components(k, &devs)).collect()
}

pub(super) fn lookup(w: &World, ns: NsId, tail: &[&str]) -> Option<Node> {
    let all = files(w, ns);
    let under: Vec<&Vec<String>> = all
        .iter()
        .filter(|f| f.len() >= tail.len() && f.iter().zip(tail).all(|(a, b)| a == b))
        .collect();
    if under.is_empty() {
        return None;
    }
    if under.iter().any(|f| f.len() == tail.len()) {
        let key = tail.join(".");
        if key == "net.netfilter.nf_conntrack_count" {
            let n = crate::conntrack::live_count(w, ns);
            return Some(Node::text(format!("{n}\n")));
        }
        return w
            .sysctl_read(ns, &key)
            .map(|v| Node::text(format!("{v}\n")));
    }
    Some(Node::dir(under.iter().map(|f| f[tail.len()].clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names_with_dots_stay_whole() {
        assert_eq!(
            components("net.ipv4.conf.eth0.100.forwarding", &["eth0", "eth0.100"]),
            ["net", "ipv4", "conf", "eth0.100", "forwarding"]
        );
        assert_eq!(
            components("net.ipv4.ip_forward", &["eth0"]),
            ["net", "ipv4", "ip_forward"]
        );
    }

    #[test]
    fn listings_and_values() {
        let mut w = World::new(1);
        let ns = w.netns_add("a").unwrap();
        let Some(Node::Dir(conf)) = lookup(&w, ns, &["net", "ipv4", "conf"]) else {
            panic!("no conf directory")
        };
        assert_eq!(conf, ["all", "default", "lo"]);
        assert_eq!(
            lookup(&w, ns, &["net", "ipv4", "ip_forward"]),
            Some(Node::File(b"0\n".to_vec()))
        );
        w.sysctl_write(ns, "net.ipv4.ip_forward", "1").unwrap();
        assert_eq!(
            lookup(&w, ns, &["net", "ipv4", "conf", "lo", "forwarding"]),
            Some(Node::File(b"1\n".to_vec()))
        );
        assert_eq!(lookup(&w, ns, &["net", "ipv4", "nope"]), None);
        assert_eq!(lookup(&w, ns, &["net", "ipv4", "ip_forward", "x"]), None);
        let Some(Node::Dir(top)) = lookup(&w, ns, &[]) else {
            panic!("no /proc/sys")
        };
        assert_eq!(top, ["net"]);
    }
}
