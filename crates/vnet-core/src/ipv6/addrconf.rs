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

use crate::dev::DevRef;
use crate::path::ETH_HLEN;
use crate::types::{Mac, NsId, Time};
use crate::world::{Event, World};
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
const ALL_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2);
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

/// The ICMPv6 checksum over the pseudo-header (RFC 8200 §8.1).
pub fn icmp6_checksum(src: Ipv6Addr, dst: Ipv6Addr, msg: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut add = |b: &[u8]| {
        for c in b.chunks(2) {
            sum += u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]) as u32;
        }
    };
    add(&src.octets());
    add(&dst.octets());
    add(&(msg.len() as u32).to_be_bytes());
    add(&[0, 0, 0, 58]);
    add(msg);
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

impl World {
    /// addrconf_dad_start() for a new link-local address: schedules the
    /// reports, the probe and the completion. `delay` is DAD's random start.
    pub(crate) fn addrconf_start(&mut self, ns: NsId, ifindex: u32, delay: Time) {
        let first = self.now + Time(self.rng.range(0, 4_000_000));
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
        self.dev_queue_xmit(r, f);
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
}
