//! IPv6 address autoconfiguration traffic on link-up (net/ipv6/addrconf.c,
//! mcast.c, ndisc.c): what a Linux link says by itself once it has carrier.
//!
//! When a link-local address appears: the solicited-node group is joined and
//! announced with MLDv2 state-change reports (robustness 2: one at once, one
//! within unsolicited_report_interval); DAD sends one neighbour solicitation
//! (with a nonce, enhanced DAD) after a random delay up to
//! rtr_solicit_delay; one retrans_time later the address is valid, a router
//! solicitation goes out (then again with exponential backoff from
//! rtr_solicit_interval) and the deferred current-state reports follow.
//! Each packet is counted and captured like any other; nothing here answers
//! them (no IPv6 forwarding or ND replies yet).

use crate::addr::{Ifaddr6, Scope};
use crate::dev::DevRef;
use crate::error::{Errno, KResult};
use crate::ipv6::{ALL_NODES, ALL_ROUTERS};
use crate::types::{Mac, NsId, Time};
use crate::wire::checksum::icmp6_checksum;
use crate::wire::ETH_HLEN;
use crate::world::Event;
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::net::Ipv6Addr;

/// One pending step of a link's autoconfiguration.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Step {
    /// An MLDv2 report for the solicited-node group; `left` more to send.
    Mld { left: u8, after_dad: bool },
    /// The DAD probe.
    DadNs,
    /// DAD succeeded: router solicitation and current-state reports.
    DadDone,
    /// A router solicitation retransmission; the next comes `interval` later.
    Rs { interval: Time },
}

const MLD2_ALL_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x16);
const RS_MAX_INTERVAL: Time = Time::from_secs(3600);

/// ff02::1:ffXX:XXXX for an address.
pub(crate) fn solicited_node(a: Ipv6Addr) -> Ipv6Addr {
    let o = a.octets();
    Ipv6Addr::new(
        0xff02,
        0,
        0,
        0,
        0,
        1,
        0xff00 | o[13] as u16,
        u16::from_be_bytes([o[14], o[15]]),
    )
}

/// The Ethernet address of an IPv6 multicast group (RFC 2464 §7).
pub(crate) fn mcast_mac(g: Ipv6Addr) -> Mac {
    let o = g.octets();
    Mac([0x33, 0x33, o[12], o[13], o[14], o[15]])
}

impl World {
    /// addrconf_dad_start() for a new link-local address: schedules the
    /// reports, the probe and the completion. `delay` is DAD's random start.
    pub(crate) fn addrconf_start(&mut self, ns: NsId, ifindex: u32, delay: Time) {
        // The first report: mld_ifc_event() starts the interface work 2
        // jiffies out (HZ=250) after DAD's work joined the solicited-node
        // group; measured on the kernel 9.5 to 12 ms after the link-up
        // request (crates/vnet-tools/src/cost.rs says how).
        let first = self.now + Time::from_millis(8) + Time(self.rng.range(0, 4_000_000));
        self.schedule(
            first,
            Event::Addrconf {
                ns,
                ifindex,
                step: Step::Mld {
                    left: 2,
                    after_dad: false,
                },
            },
        );
        self.schedule(
            self.now + delay,
            Event::Addrconf {
                ns,
                ifindex,
                step: Step::DadNs,
            },
        );
        self.schedule(
            self.now + delay + Time::from_secs(1),
            Event::Addrconf {
                ns,
                ifindex,
                step: Step::DadDone,
            },
        );
    }

    /// The link-local address the steps are about, if the link still has it and runs.
    fn addrconf_ll(&self, ns: NsId, ifindex: u32) -> Option<(Ipv6Addr, bool)> {
        if !self.ns_alive(ns) || !self.running(DevRef { ns, ifindex }) {
            return None;
        }
        let now = self.now;
        self.ns(ns)
            .addrs6
            .iter()
            .find(|a| a.ifindex == ifindex && a.permanent && a.scope == crate::addr::Scope::Link)
            .map(|a| (a.addr, a.tentative(now)))
    }

    pub(crate) fn addrconf_step(&mut self, ns: NsId, ifindex: u32, step: Step) {
        let Some((ll, tentative)) = self.addrconf_ll(ns, ifindex) else {
            return;
        };
        let r = DevRef { ns, ifindex };
        match step {
            Step::Mld { left, after_dad } => {
                // During DAD reports come from the unspecified address.
                let src = if tentative { Ipv6Addr::UNSPECIFIED } else { ll };
                // CHANGE_TO_EXCLUDE for the join, MODE_IS_EXCLUDE once DAD is over.
                self.send_mld2_report(r, src, solicited_node(ll), if after_dad { 2 } else { 4 });
                if left > 1 {
                    let next = self.now + Time(self.rng.range(0, 1_000_000_000));
                    self.schedule(
                        next,
                        Event::Addrconf {
                            ns,
                            ifindex,
                            step: Step::Mld {
                                left: left - 1,
                                after_dad,
                            },
                        },
                    );
                }
            }
            Step::DadNs => self.send_dad_ns(r, ll),
            Step::DadDone => {
                if self.ns(ns).sysctl.get_int("net.ipv6.conf.all.forwarding") == 0 {
                    self.send_rs(r, ll);
                    // rfc3315_s14_backoff_init(): the interval, randomised by ±10 %.
                    let base = Time::from_secs(4).0;
                    let interval = Time(base - base / 10 + self.rng.range(0, base / 5));
                    self.schedule(
                        self.now + interval,
                        Event::Addrconf {
                            ns,
                            ifindex,
                            step: Step::Rs { interval },
                        },
                    );
                }
                self.addrconf_step(
                    ns,
                    ifindex,
                    Step::Mld {
                        left: 2,
                        after_dad: true,
                    },
                );
            }
            Step::Rs { interval } => {
                self.send_rs(r, ll);
                // rfc3315_s14_backoff_update(): double, ±10 %, capped.
                let doubled = interval.0 * 2;
                let next = Time(
                    (doubled - doubled / 10 + self.rng.range(0, doubled / 5))
                        .min(RS_MAX_INTERVAL.0),
                );
                self.schedule(
                    self.now + next,
                    Event::Addrconf {
                        ns,
                        ifindex,
                        step: Step::Rs { interval: next },
                    },
                );
            }
        }
    }

    /// Wraps an ICMPv6 message (with optional hop-by-hop header) and sends it.
    fn send_icmp6(
        &mut self,
        r: DevRef,
        src: Ipv6Addr,
        dst: Ipv6Addr,
        hop_limit: u8,
        hbh: Option<[u8; 8]>,
        mut msg: Vec<u8>,
    ) {
        let Some(d) = self.dev(r) else { return };
        let mac = d.mac;
        // ndisc's neighbour for a multicast destination: NOARP, the group's MAC.
        self.nd_mcast_note(r, dst);
        let ck = icmp6_checksum(src, dst, &msg);
        msg[2..4].copy_from_slice(&ck.to_be_bytes());
        let payload_len = msg.len() + hbh.map_or(0, |h| h.len());
        let mut f = self.take_buf();
        f.extend_from_slice(&mcast_mac(dst).0);
        f.extend_from_slice(&mac.0);
        f.extend_from_slice(&0x86ddu16.to_be_bytes());
        debug_assert_eq!(f.len(), ETH_HLEN);
        f.extend_from_slice(&[0x60, 0, 0, 0]);
        f.extend_from_slice(&(payload_len as u16).to_be_bytes());
        f.push(if hbh.is_some() { 0 } else { 58 });
        f.push(hop_limit);
        f.extend_from_slice(&src.octets());
        f.extend_from_slice(&dst.octets());
        if let Some(h) = hbh {
            f.extend_from_slice(&h);
        }
        f.extend_from_slice(&msg);
        self.made(r.ns, |w| w.dev_queue_xmit(r, f));
    }

    /// An MLDv2 report (RFC 3810 §5.2) with one record for `group`.
    fn send_mld2_report(&mut self, r: DevRef, src: Ipv6Addr, group: Ipv6Addr, record_type: u8) {
        let mut m = vec![143, 0, 0, 0, 0, 0, 0, 1, record_type, 0, 0, 0];
        m.extend_from_slice(&group.octets());
        // Hop-by-hop: next header ICMPv6, router alert (MLD), PadN.
        let hbh = [58, 0, 5, 2, 0, 0, 1, 0];
        self.send_icmp6(r, src, MLD2_ALL_ROUTERS, 1, Some(hbh), m);
    }

    /// A DAD neighbour solicitation from :: with a nonce option (RFC 7527).
    fn send_dad_ns(&mut self, r: DevRef, target: Ipv6Addr) {
        let mut m = vec![135, 0, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&target.octets());
        let nonce = self.rng.next_u64().to_be_bytes();
        m.extend_from_slice(&[14, 1]);
        m.extend_from_slice(&nonce[..6]);
        self.send_icmp6(
            r,
            Ipv6Addr::UNSPECIFIED,
            solicited_node(target),
            255,
            None,
            m,
        );
    }

    /// A router solicitation with the source link-layer address option.
    fn send_rs(&mut self, r: DevRef, src: Ipv6Addr) {
        let Some(mac) = self.dev(r).map(|d| d.mac) else {
            return;
        };
        let mut m = vec![133, 0, 0, 0, 0, 0, 0, 0, 1, 1];
        m.extend_from_slice(&mac.0);
        self.send_icmp6(r, src, ALL_ROUTERS, 255, None, m);
    }
}

/// The address scope of RFC 4291 as the kernel numbers it
/// (IPV6_ADDR_SCOPE_*): 1 node, 2 link, 5 site, 0xe global.
pub fn addr_scope(a: Ipv6Addr) -> u8 {
    let o = a.octets();
    if o[0] == 0xff {
        o[1] & 0x0f
    } else if a.is_loopback() {
        1
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0x80 {
        2
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0xc0 {
        5
    } else {
        0xe
    }
}

pub(crate) fn prefix_match(a: Ipv6Addr, net: Ipv6Addr, len: u8) -> bool {
    let m = if len == 0 {
        0
    } else {
        u128::MAX << (128 - len.min(128) as u32)
    };
    u128::from(a) & m == u128::from(net) & m
}

pub(crate) fn common_prefix(a: Ipv6Addr, b: Ipv6Addr) -> u32 {
    (u128::from(a) ^ u128::from(b)).leading_zeros()
}

/// The default policy table's label (RFC 6724 §2.1), rule 6 of source selection.
pub(crate) fn label(a: Ipv6Addr) -> u8 {
    const TABLE: &[(u128, u8, u8)] = &[
        (1, 128, 0),                     // ::1
        (0xffff_0000_0000, 96, 4),       // ::ffff:0:0/96
        (0, 96, 3),                      // ::/96
        (0x2001_0000_u128 << 96, 32, 5), // 2001::/32
        (0x2002_u128 << 112, 16, 2),     // 2002::/16
        (0xfc_u128 << 120, 7, 13),       // fc00::/7
        (0xfec0_u128 << 112, 10, 11),    // fec0::/10
        (0x3ffe_u128 << 112, 16, 12),    // 3ffe::/16
        (0, 0, 1),                       // ::/0
    ];
    TABLE
        .iter()
        .filter(|(net, len, _)| prefix_match(a, Ipv6Addr::from(*net), *len))
        .max_by_key(|(_, len, _)| *len)
        .map_or(1, |t| t.2)
}

impl World {
    /// ipv6_link_dev_addr(): newest first among addresses of equal scope,
    /// the device's list ordered global, host, link.
    pub(crate) fn addr6_insert(&mut self, ns: NsId, a: Ifaddr6) {
        let list = &mut self.ns_mut(ns).addrs6;
        let pos = list
            .iter()
            .position(|x| x.ifindex == a.ifindex && x.scope_rank() >= a.scope_rank())
            .unwrap_or_else(|| {
                list.iter()
                    .rposition(|x| x.ifindex == a.ifindex)
                    .map(|i| i + 1)
                    .unwrap_or(list.len())
            });
        list.insert(pos, a);
    }

    /// `ip -6 addr add`: tentative until DAD finishes (never while the link is down).
    pub fn addr6_add(
        &mut self,
        ns: NsId,
        ifindex: u32,
        addr: Ipv6Addr,
        prefix_len: u8,
        scope: Scope,
        nodad: bool,
    ) -> KResult<()> {
        self.ns(ns).dev(ifindex).ok_or(Errno::ENODEV)?;
        if self
            .ns(ns)
            .addrs6
            .iter()
            .any(|a| a.ifindex == ifindex && a.addr == addr)
        {
            return Err(Errno::EEXIST.into());
        }
        let running = self.running(DevRef { ns, ifindex });
        // addrconf_dad_begin(): NOARP devices (tunnels, lo) skip DAD.
        let noarp = self.flags(DevRef { ns, ifindex }) & crate::dev::iff::NOARP != 0
            || self.ns(ns).dev(ifindex).is_some_and(|d| d.is_loopback());
        let dad_until = if nodad || (noarp && running) {
            None
        } else if running {
            Some(self.now + Time::from_secs(1))
        } else {
            Some(Time(u64::MAX))
        };
        self.addr6_insert(
            ns,
            Ifaddr6 {
                ifindex,
                addr,
                prefix_len,
                scope,
                dad_until,
                permanent: false,
                nodad,
                joined_at: Time::ZERO,
            },
        );
        Ok(())
    }

    pub fn addr6_del(&mut self, ns: NsId, ifindex: u32, addr: Ipv6Addr) -> KResult<()> {
        let list = &mut self.ns_mut(ns).addrs6;
        let pos = list
            .iter()
            .position(|a| a.ifindex == ifindex && a.addr == addr)
            .ok_or(Errno::EADDRNOTAVAIL)?;
        list.remove(pos);
        Ok(())
    }

    /// Whether `a` is one of the namespace's addresses; with `dev`, on that
    /// device (ipv6_chk_addr). Tentative addresses are not yet ours.
    pub fn ipv6_chk_addr(&self, ns: NsId, a: Ipv6Addr, dev: Option<u32>) -> bool {
        let now = self.now;
        self.ns(ns)
            .addrs6
            .iter()
            .any(|x| x.addr == a && dev.is_none_or(|d| d == x.ifindex) && !x.tentative(now))
    }

    /// ipv6_get_lladdr(): the device's link-local address, once DAD is over.
    pub(crate) fn ipv6_get_lladdr(&self, r: DevRef) -> Option<Ipv6Addr> {
        let now = self.now;
        self.ns(r.ns)
            .addrs6
            .iter()
            .find(|a| a.ifindex == r.ifindex && addr_scope(a.addr) == 2 && !a.tentative(now))
            .map(|a| a.addr)
    }

    /// ipv6_dev_get_saddr(): the best source for `dst` leaving through
    /// `dev` (RFC 6724 §5: same address, scope, outgoing interface, label,
    /// longest matching prefix). Link-scope destinations take only `dev`'s.
    pub fn ipv6_dev_get_saddr(
        &self,
        ns: NsId,
        dev: Option<u32>,
        dst: Ipv6Addr,
    ) -> Option<Ipv6Addr> {
        let now = self.now;
        let dscope = addr_scope(dst) as i32;
        let oif_only = dev.is_some() && dscope <= 2;
        let n = self.ns(ns);
        n.addrs6
            .iter()
            .filter(|a| !a.tentative(now))
            .filter(|a| !oif_only || Some(a.ifindex) == dev)
            .filter(|a| n.dev(a.ifindex).is_some_and(|d| d.up))
            .map(|a| {
                let s = addr_scope(a.addr) as i32;
                let scope = if s >= dscope { 1000 - s } else { s };
                let key = (
                    a.addr == dst,
                    scope,
                    Some(a.ifindex) == dev,
                    label(a.addr) == label(dst),
                    common_prefix(a.addr, dst).min(a.prefix_len as u32),
                );
                (key, a.addr)
            })
            // The first of equals wins, as the kernel's walk keeps its best.
            .fold(None, |best: Option<(_, Ipv6Addr)>, c| match best {
                Some(b) if b.0 >= c.0 => Some(b),
                _ => Some(c),
            })
            .map(|b| b.1)
    }

    /// The groups a device listens to: all-nodes, the solicited-node group
    /// of each of its addresses and of each address it proxies
    /// (pndisc_constructor()), all-routers when forwarding.
    pub(crate) fn ipv6_mc_joined(&self, r: DevRef, group: Ipv6Addr) -> bool {
        if group == ALL_NODES || group == Ipv6Addr::new(0xff01, 0, 0, 0, 0, 0, 0, 1) {
            return true;
        }
        if group == ALL_ROUTERS {
            return self.ip6_forwarding(r.ns);
        }
        self.ns(r.ns)
            .addrs6
            .iter()
            .any(|a| a.ifindex == r.ifindex && solicited_node(a.addr) == group)
            || self.ns(r.ns).neigh.proxies.dump_order().iter().any(|p| {
                p.dev == Some(r.ifindex)
                    && matches!(p.key, std::net::IpAddr::V6(k) if solicited_node(k) == group)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solicited_node_group_and_its_mac() {
        let a: Ipv6Addr = "fe80::e0eb:80ff:fedc:1124".parse().unwrap();
        assert_eq!(
            solicited_node(a),
            "ff02::1:ffdc:1124".parse::<Ipv6Addr>().unwrap()
        );
        assert_eq!(
            mcast_mac(solicited_node(a)).to_string(),
            "33:33:ff:dc:11:24"
        );
    }

    #[test]
    fn icmp6_checksum_of_a_known_router_solicitation() {
        // RS from fe80::1 to ff02::2 with SLLA 02:00:00:00:00:01; verifying a
        // message with its checksum in place yields zero.
        let src: Ipv6Addr = "fe80::1".parse().unwrap();
        let mut m = vec![133, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 1];
        let ck = icmp6_checksum(src, ALL_ROUTERS, &m);
        m[2..4].copy_from_slice(&ck.to_be_bytes());
        assert_eq!(icmp6_checksum(src, ALL_ROUTERS, &m), 0);
    }

    #[test]
    fn scopes_follow_rfc4291() {
        let s = |a: &str| addr_scope(a.parse().unwrap());
        assert_eq!(s("::1"), 1);
        assert_eq!(s("fe80::1"), 2);
        assert_eq!(s("ff02::1"), 2);
        assert_eq!(s("ff05::2"), 5);
        assert_eq!(s("2001:db8::1"), 0xe);
        assert_eq!(s("fd00::1"), 0xe);
    }

    #[test]
    fn labels_of_the_default_policy_table() {
        let l = |a: &str| label(a.parse().unwrap());
        assert_eq!(l("::1"), 0);
        assert_eq!(l("2001::1"), 5, "Teredo, 2001::/32");
        assert_eq!(l("2001:db8::1"), 1, "outside 2001::/32");
        assert_eq!(l("2002::1"), 2);
        assert_eq!(l("fd00::1"), 13);
        assert_eq!(l("2400::1"), 1);
        assert_eq!(l("::ffff:10.0.0.1"), 4);
    }
}
