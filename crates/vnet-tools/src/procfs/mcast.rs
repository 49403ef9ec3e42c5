//! /proc/net/igmp, igmp6 and dev_mcast: the multicast groups each device
//! is in (igmp.c igmp_mc_seq_show, mcast.c igmp6_mc_seq_show, dev_addr_lists
//! dev_mc_seq_show), derived from what the kernel joins by itself:
//!
//! - IPv4: the device's groups as the core keeps them (`World::mc_groups4`:
//!   224.0.0.1 while up, a snooping bridge's 224.0.0.106, autojoin
//!   addresses).
//! - IPv6: ff02::1 and ff01::1 on every device from its registration, the
//!   solicited-node group of each address, ff02::6a on a snooping bridge
//!   that is up, and while forwarding ff02::2, ff01::2, ff05::2 and the
//!   solicited-node groups of the subnet-router anycast addresses.
//!
//! Every group reads as a kernel's does once its unsolicited reports are
//! done: no timer running, loaded.

use std::net::Ipv6Addr;
use vnet_core::dev::Device;
use vnet_core::{NsId, World};

/// MAF_* flags of an IPv6 group (net/ipv6/mcast.c).
const MAF_LOADED: u32 = 0x4;
const MAF_NOREPORT: u32 = 0x8;

fn ip6(a: [u16; 8]) -> Ipv6Addr {
    Ipv6Addr::new(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])
}

fn solicited_node(a: Ipv6Addr) -> Ipv6Addr {
    let s = a.segments();
    ip6([0xff02, 0, 0, 0, 0, 1, 0xff00 | (s[6] & 0xff), s[7]])
}

/// Whether `d`'s IPv6 forwarding is on (conf.DEV.forwarding, which a
/// write to conf.all.forwarding sets on every device).
pub(super) fn forwarding6(w: &World, ns: NsId, d: &Device) -> bool {
    ["all", d.name.as_str()].iter().any(|dev| {
        let key = format!("net.ipv6.conf.{dev}.forwarding");
        w.sysctl_read(ns, &key).is_some_and(|v| v.trim() != "0")
    })
}

/// The subnet-router anycast addresses of a forwarding device: the prefix
/// of each of its addresses, host part zero (addrconf_join_anycast()),
/// each once, with how many addresses share it.
pub(super) fn anycasts(w: &World, ns: NsId, d: &Device) -> Vec<(Ipv6Addr, u32)> {
    let mut v: Vec<(Ipv6Addr, u32)> = Vec::new();
    if d.is_loopback() || !forwarding6(w, ns, d) {
        return v;
    }
    for a in w.ns(ns).addrs6().iter().filter(|a| a.ifindex == d.ifindex) {
        let len = if a.scope == vnet_core::addr::Scope::Link {
            64
        } else {
            a.prefix_len
        };
        if len >= 127 {
            continue;
        }
        let net = Ipv6Addr::from(u128::from(a.addr) & !(u128::MAX >> len));
        match v.iter_mut().find(|x| x.0 == net) {
            Some(x) => x.1 += 1,
            None => v.push((net, 1)),
        }
    }
    v
}

/// Whether `d` is a bridge that is up and snoops (br_multicast_open()).
fn snooping_bridge(d: &Device) -> bool {
    d.up && d.bridge().is_some_and(|b| !b.mcast_snooping_off)
}

/// A device's IPv6 groups, newest first: (group, users, flags).
fn groups6(w: &World, ns: NsId, d: &Device) -> Vec<(Ipv6Addr, u32, u32)> {
    let n = w.ns(ns);
    let mut v: Vec<(Ipv6Addr, u32, u32)> = Vec::new();
    let join = |v: &mut Vec<(Ipv6Addr, u32, u32)>, g: Ipv6Addr, n: u32| match v
        .iter_mut()
        .find(|x| x.0 == g)
    {
        Some(x) => x.1 += n,
        None => v.push((g, n, MAF_LOADED)),
    };
    // Forwarding came last (a router is configured after its addresses):
    // the anycast addresses' groups and the all-routers ones are newest.
    if forwarding6(w, ns, d) {
        for (ac, n) in anycasts(w, ns, d) {
            join(&mut v, solicited_node(ac), n);
        }
        v.push((ip6([0xff05, 0, 0, 0, 0, 0, 0, 2]), 1, MAF_LOADED));
        v.push((ip6([0xff01, 0, 0, 0, 0, 0, 0, 2]), 1, MAF_NOREPORT));
        v.push((ip6([0xff02, 0, 0, 0, 0, 0, 0, 2]), 1, MAF_LOADED));
    }
    if !d.is_loopback() {
        // The addresses in the order their groups were joined, newest
        // first (ties in the device list's reverse order).
        let mut addrs: Vec<(usize, &vnet_core::addr::Ifaddr6)> = n
            .addrs6()
            .iter()
            .filter(|a| a.ifindex == d.ifindex && a.mc_joined(w.now()))
            .enumerate()
            .collect();
        addrs.sort_by_key(|(i, a)| std::cmp::Reverse((a.joined_at, *i)));
        for (_, a) in addrs {
            join(&mut v, solicited_node(a.addr), 1);
        }
    }
    if snooping_bridge(d) {
        v.push((ip6([0xff02, 0, 0, 0, 0, 0, 0, 0x6a]), 1, MAF_LOADED));
    }
    // All-nodes is never reported (MAF_NOREPORT); interface-local scope is
    // not loaded into the device's filter either.
    v.push((
        ip6([0xff02, 0, 0, 0, 0, 0, 0, 1]),
        1,
        MAF_LOADED | MAF_NOREPORT,
    ));
    v.push((ip6([0xff01, 0, 0, 0, 0, 0, 0, 1]), 1, MAF_NOREPORT));
    v
}

/// igmp6_mc_seq_show(): "%-4d %-15s %pi6 %5d %08X %ld" per group.
pub(super) fn igmp6(w: &World, ns: NsId) -> String {
    let mut s = String::new();
    for d in w.ns(ns).devs().values() {
        for (g, users, flags) in groups6(w, ns, d) {
            let hex: String = g.octets().iter().map(|b| format!("{b:02x}")).collect();
            s.push_str(&format!(
                "{:<4} {:<15} {hex} {users:5} {flags:08X} 0\n",
                d.ifindex, d.name
            ));
        }
    }
    s
}

/// igmp_mc_seq_show(): each device with groups, then its groups.
pub(super) fn igmp(w: &World, ns: NsId) -> String {
    let mut s = String::from("Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n");
    for d in w.ns(ns).devs().values() {
        let gs = w.mc_groups4(ns, d.ifindex);
        if gs.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "{}\t{:<10}: {:5} {:>7}\n",
            d.ifindex,
            d.name,
            gs.len(),
            "V3"
        ));
        for (g, users) in gs {
            s.push_str(&format!(
                "\t\t\t\t{:08X} {users:5} 0:00000000\t\t0\n",
                u32::from_le_bytes(g.octets()),
            ));
        }
    }
    s
}

/// The link-layer group of an IPv6 group (33:33 + its last 32 bits).
fn mac6(g: Ipv6Addr) -> [u8; 6] {
    let o = g.octets();
    [0x33, 0x33, o[12], o[13], o[14], o[15]]
}

/// dev_mc_seq_show(): a device's link-layer multicast list, oldest first
/// (ff02::1's at registration; the administrator's IPv6 addresses, taken
/// to come before the device went up; a snooping bridge's at open;
/// 224.0.0.1's at up; the kernel's link-local addresses after). Loopback
/// keeps none.
pub(super) fn dev_mcast(w: &World, ns: NsId) -> String {
    let n = w.ns(ns);
    let mut s = String::new();
    for d in n.devs().values() {
        if d.is_loopback() || !d.is_ether() {
            continue;
        }
        // Each IPv6 group adds its link-layer address once, however many
        // addresses share the group; distinct groups may share an address
        // (ff02::2 and ff05::2), which then counts them.
        let mut list: Vec<([u8; 6], u32)> = Vec::new();
        let mut groups: Vec<Ipv6Addr> = Vec::new();
        let mut add = |m: [u8; 6]| match list.iter_mut().find(|x| x.0 == m) {
            Some(x) => x.1 += 1,
            None => list.push((m, 1)),
        };
        let mut join = |g: Ipv6Addr, add: &mut dyn FnMut([u8; 6])| {
            if !groups.contains(&g) {
                groups.push(g);
                add(mac6(g));
            }
        };
        join(ip6([0xff02, 0, 0, 0, 0, 0, 0, 1]), &mut add);
        let addrs: Vec<_> = n
            .addrs6()
            .iter()
            .filter(|a| a.ifindex == d.ifindex && a.mc_joined(w.now()))
            .collect();
        for a in addrs.iter().filter(|a| !a.permanent) {
            join(solicited_node(a.addr), &mut add);
        }
        if snooping_bridge(d) {
            add([0x01, 0x00, 0x5e, 0, 0, 106]);
            join(ip6([0xff02, 0, 0, 0, 0, 0, 0, 0x6a]), &mut add);
        }
        // The IPv4 groups, oldest first (224.0.0.1 from the device's up;
        // 224.0.0.106 is the bridge's, above).
        let mut gs4 = w.mc_groups4(ns, d.ifindex);
        gs4.reverse();
        for (g, _) in gs4 {
            if g != vnet_core::ipv4::igmp::ALL_SNOOPERS {
                add(vnet_core::ipv4::igmp::eth_mc_map(g).0);
            }
        }
        for a in addrs.iter().filter(|a| a.permanent) {
            join(solicited_node(a.addr), &mut add);
        }
        if forwarding6(w, ns, d) {
            join(ip6([0xff02, 0, 0, 0, 0, 0, 0, 2]), &mut add);
            join(ip6([0xff05, 0, 0, 0, 0, 0, 0, 2]), &mut add);
            for (ac, _) in anycasts(w, ns, d) {
                join(solicited_node(ac), &mut add);
            }
        }
        for (m, users) in list {
            let hex: String = m.iter().map(|b| format!("{b:02x}")).collect();
            s.push_str(&format!(
                "{:<4} {:<15} {users:<5} {:<5} {hex}\n",
                d.ifindex, d.name, 0
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solicited_node_groups_and_their_macs() {
        let a: Ipv6Addr = "fe80::e0eb:80ff:fedc:1124".parse().unwrap();
        let g = solicited_node(a);
        assert_eq!(g, "ff02::1:ffdc:1124".parse::<Ipv6Addr>().unwrap());
        assert_eq!(mac6(g), [0x33, 0x33, 0xff, 0xdc, 0x11, 0x24]);
    }

    #[test]
    fn a_fresh_namespace_has_loopback_groups_only_once_up() {
        let mut w = World::new(1);
        let ns = w.netns_add("a").unwrap();
        assert_eq!(
            igmp(&w, ns),
            "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
        );
        assert_eq!(
            igmp6(&w, ns),
            "1    lo              ff020000000000000000000000000001     1 0000000C 0\n\
             1    lo              ff010000000000000000000000000001     1 00000008 0\n"
        );
        assert_eq!(dev_mcast(&w, ns), "");
    }
}
