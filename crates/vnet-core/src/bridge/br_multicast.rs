//! IGMP snooping (net/bridge/br_multicast.c): a snooping bridge reads the
//! IGMP reports and leaves that cross it, from its ports or from its own
//! stack, and keeps the groups they join in its mdb as temporary entries
//! that age out after the membership interval unless reported again
//! (br_multicast_add_group(), br_ip4_multicast_igmp3_report(),
//! br_multicast_leave_group(), br_multicast_port_group_expired()).
//!
//! Without a querier on the link (none is simulated yet) the kernel floods
//! multicast whatever the mdb holds (br_multicast_querier_exists() is
//! false), so the entries are what `bridge mdb` and the monitors show and
//! forwarding stays a flood.

use crate::bridge::br_mdb::MdbEntry;
use crate::bridge::PortState;
use crate::dev::DevRef;
use crate::error::KResult;
use crate::ipv4::igmp::{is_local_multicast, ALL_SNOOPERS};
use crate::types::{NsId, Time};
use crate::world::{Event, World};
use std::net::{IpAddr, Ipv4Addr};

/// IGMP message types (include/uapi/linux/igmp.h).
const V1_REPORT: u8 = 0x12;
const V2_REPORT: u8 = 0x16;
const V2_LEAVE: u8 = 0x17;
const V3_REPORT: u8 = 0x22;
/// IGMPv3 group record types that say "no more members" when they carry
/// no sources: MODE_IS_INCLUDE and CHANGE_TO_INCLUDE.
const IS_INCLUDE: u8 = 1;
const TO_INCLUDE: u8 = 3;

/// One thing an IGMP message asks of the snooping bridge.
#[derive(Debug, PartialEq, Eq)]
enum Igmp {
    Join(Ipv4Addr),
    Leave(Ipv4Addr),
}

/// The joins and leaves in an Ethernet frame, if it carries a valid IGMP
/// message (ip_mc_check_igmp(): the IP header, the checksum, the length).
fn parse_igmp(frame: &[u8]) -> Vec<Igmp> {
    let mut out = Vec::new();
    if frame.len() < 14 + 20 || frame[12..14] != [0x08, 0x00] {
        return out;
    }
    let ip = &frame[14..];
    let ihl = usize::from(ip[0] & 0x0f) * 4;
    let total = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
    if ip[0] >> 4 != 4 || ihl < 20 || ip[9] != 2 || total < ihl + 8 || total > ip.len() {
        return out;
    }
    let m = &ip[ihl..total];
    if crate::wire::checksum::checksum(m) != 0 {
        return out;
    }
    let group = |b: &[u8]| Ipv4Addr::new(b[0], b[1], b[2], b[3]);
    match m[0] {
        V1_REPORT | V2_REPORT => out.push(Igmp::Join(group(&m[4..8]))),
        V2_LEAVE => out.push(Igmp::Leave(group(&m[4..8]))),
        V3_REPORT => {
            let n = u16::from_be_bytes([m[6], m[7]]);
            let mut off = 8;
            for _ in 0..n {
                let Some(rec) = m.get(off..off + 8) else {
                    break;
                };
                let nsrcs = usize::from(u16::from_be_bytes([rec[2], rec[3]]));
                let len = 8 + 4 * nsrcs + 4 * usize::from(rec[1]);
                if m.len() < off + len {
                    break;
                }
                off += len;
                let g = group(&rec[4..8]);
                // The bridge snoops IGMPv2 by default: an INCLUDE {} is a
                // leave, every other record a join of the whole group.
                match rec[0] {
                    IS_INCLUDE | TO_INCLUDE if nsrcs == 0 => out.push(Igmp::Leave(g)),
                    1..=6 => out.push(Igmp::Join(g)),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

/// A centisecond option as a time.
fn cs(v: u64) -> Time {
    Time::from_millis(v.saturating_mul(10))
}

impl World {
    /// Whether `ifindex` is a bridge that snoops multicast.
    pub(crate) fn br_snooping(&self, ns: NsId, ifindex: u32) -> bool {
        self.ns(ns)
            .dev(ifindex)
            .and_then(|d| d.bridge())
            .is_some_and(|b| !b.mcast_snooping_off)
    }

    /// br_multicast_toggle(): snooping on or off; a running bridge joins
    /// or leaves the snoopers' group, and off drops what snooping learned.
    pub(crate) fn br_multicast_toggle(&mut self, ns: NsId, br: u32, on: bool) -> KResult<()> {
        let up = self.ns(ns).dev(br).is_some_and(|d| d.up);
        let b = self.bridge_mut(ns, br)?;
        if b.mcast_snooping_off != on {
            return Ok(());
        }
        b.mcast_snooping_off = !on;
        if !on {
            b.mdb_flush_temp();
        }
        if up {
            if on {
                self.ip_mc_inc_group(ns, br, ALL_SNOOPERS);
            } else {
                self.ip_mc_dec_group(ns, br, ALL_SNOOPERS);
            }
        }
        Ok(())
    }

    /// br_multicast_rcv() for IPv4: the IGMP a frame carries, arriving on
    /// `port`, or sent by the bridge's own stack when `port` is None.
    pub(crate) fn br_multicast_rcv(
        &mut self,
        brdev: DevRef,
        port: Option<u32>,
        frame: &[u8],
        vid: u16,
    ) {
        if !self.br_snooping(brdev.ns, brdev.ifindex) {
            return;
        }
        for m in parse_igmp(frame) {
            match m {
                Igmp::Join(g) => self.br_multicast_add_group(brdev, port, g, vid),
                Igmp::Leave(g) => self.br_multicast_leave_group(brdev, port, g, vid),
            }
        }
    }

    /// Whether the bridge runs and the port (if any) is not disabled: the
    /// condition every join and leave starts with.
    fn br_multicast_ready(&self, brdev: DevRef, port: Option<u32>) -> bool {
        let Some(d) = self.dev(brdev).filter(|d| d.up) else {
            return false;
        };
        match port {
            None => true,
            Some(p) => d
                .bridge()
                .and_then(|b| b.port(p))
                .is_some_and(|p| p.state != PortState::Disabled),
        }
    }

    /// br_multicast_add_group(): the port (or the bridge itself) is in the
    /// group; a new entry is announced, a known one lives another
    /// membership interval.
    fn br_multicast_add_group(&mut self, brdev: DevRef, port: Option<u32>, g: Ipv4Addr, vid: u16) {
        if is_local_multicast(g) || !self.br_multicast_ready(brdev, port) {
            return;
        }
        let (ns, br) = (brdev.ns, brdev.ifindex);
        let pidx = port.unwrap_or(br);
        let now = self.now;
        let Ok(b) = self.bridge_mut(ns, br) else {
            return;
        };
        let expires = now + cs(b.conf.mcast_membership_interval);
        let grp = IpAddr::V4(g);
        if let Some(i) = b.mdb_find(pidx, grp, vid) {
            // A later expiry: the pending timer finds it not due and
            // re-arms (br_mdb_expire), so a flood of reports queues nothing.
            let e = &mut b.mdb[i];
            if !e.permanent {
                e.expires = Some(expires);
            }
            return;
        }
        let seq = match b.mdb.iter().find(|e| e.grp == grp && e.vid == vid) {
            Some(e) => e.seq,
            None => {
                // br_multicast_new_group(): a full table (hash_max groups)
                // turns snooping off rather than grow.
                let mut groups: Vec<(IpAddr, u16)> = b.mdb.iter().map(|e| (e.grp, e.vid)).collect();
                groups.sort_unstable();
                groups.dedup();
                if groups.len() as u64 >= u64::from(b.conf.mcast_hash_max) {
                    let _ = self.br_multicast_toggle(ns, br, false);
                    return;
                }
                b.fdb_seq += 1;
                b.fdb_seq
            }
        };
        let e = MdbEntry {
            port: pidx,
            grp,
            vid,
            permanent: false,
            seq,
            expires: Some(expires),
            learned: true,
        };
        b.mdb.push(e.clone());
        self.notify_mdb(ns, br, &e, false);
        self.br_mdb_arm(ns, br, expires);
    }

    /// br_multicast_leave_group(): a fast-leave port goes at once; else,
    /// with no querier to ask whether others remain, the entry lives
    /// last_member_count × last_member_interval more at most.
    fn br_multicast_leave_group(
        &mut self,
        brdev: DevRef,
        port: Option<u32>,
        g: Ipv4Addr,
        vid: u16,
    ) {
        if !self.br_multicast_ready(brdev, port) {
            return;
        }
        let (ns, br) = (brdev.ns, brdev.ifindex);
        let pidx = port.unwrap_or(br);
        let now = self.now;
        let Ok(b) = self.bridge_mut(ns, br) else {
            return;
        };
        let grp = IpAddr::V4(g);
        let Some(i) = b.mdb_find(pidx, grp, vid) else {
            return;
        };
        let fast = port
            .and_then(|p| b.port(p))
            .is_some_and(|p| p.flags.fastleave);
        if fast {
            let e = b.mdb.remove(i);
            self.notify_mdb(ns, br, &e, true);
            return;
        }
        let at = now
            + Time(
                cs(b.conf.mcast_last_member_interval)
                    .0
                    .saturating_mul(u64::from(b.conf.mcast_last_member_count)),
            );
        let e = &mut b.mdb[i];
        if !e.permanent && e.expires.is_none_or(|x| x > at) {
            e.expires = Some(at);
            self.br_mdb_arm(ns, br, at);
        }
    }

    /// The mdb timer fires at `at` unless it is armed for sooner.
    pub(crate) fn br_mdb_arm(&mut self, ns: NsId, br: u32, at: Time) {
        let now = self.now;
        let Ok(b) = self.bridge_mut(ns, br) else {
            return;
        };
        if b.mdb_timer.is_none_or(|t| at < t || t < now) {
            b.mdb_timer = Some(at);
            self.schedule(at, Event::BrMdbExpire { ns, br });
        }
    }

    /// br_multicast_port_group_expired(): the entries no report renewed
    /// go, each announced; the timer is re-armed for the next one.
    pub(crate) fn br_mdb_expire(&mut self, ns: NsId, br: u32) {
        let now = self.now;
        let Ok(b) = self.bridge_mut(ns, br) else {
            return;
        };
        // A stale event: the timer was re-armed sooner since.
        if b.mdb_timer != Some(now) {
            return;
        }
        b.mdb_timer = None;
        let due = |e: &MdbEntry| !e.permanent && e.expires.is_some_and(|x| x <= now);
        let gone: Vec<MdbEntry> = b.mdb.iter().filter(|e| due(e)).cloned().collect();
        b.mdb.retain(|e| !due(e));
        let next = b.mdb.iter().filter_map(|e| e.expires).min();
        for e in gone {
            self.notify_mdb(ns, br, &e, true);
        }
        if let Some(at) = next {
            self.br_mdb_arm(ns, br, at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Ethernet frame around an IP packet carrying `igmp`.
    fn frame(igmp: &[u8]) -> Vec<u8> {
        let mut m = igmp.to_vec();
        let ck = crate::wire::checksum::checksum(&m);
        m[2..4].copy_from_slice(&ck.to_be_bytes());
        let mut f = vec![0u8; 14];
        f[12..14].copy_from_slice(&[0x08, 0x00]);
        let total = (20 + m.len()) as u16;
        f.extend_from_slice(&[0x45, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0]);
        f[16..18].copy_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[10, 0, 0, 1, 224, 0, 0, 22]);
        f.extend_from_slice(&m);
        f
    }

    #[test]
    fn v3_records_are_joins_except_an_empty_include() {
        let g1 = [239, 1, 1, 1];
        let g2 = [239, 2, 2, 2];
        let mut m = vec![0x22, 0, 0, 0, 0, 0, 0, 3];
        m.extend_from_slice(&[4, 0, 0, 0]); // TO_EX {}
        m.extend_from_slice(&g1);
        m.extend_from_slice(&[3, 0, 0, 0]); // TO_IN {}
        m.extend_from_slice(&g2);
        m.extend_from_slice(&[1, 0, 0, 1]); // IS_IN {10.0.0.9}
        m.extend_from_slice(&g2);
        m.extend_from_slice(&[10, 0, 0, 9]);
        assert_eq!(
            parse_igmp(&frame(&m)),
            vec![
                Igmp::Join(g1.into()),
                Igmp::Leave(g2.into()),
                Igmp::Join(g2.into())
            ]
        );
    }

    #[test]
    fn a_bad_checksum_or_a_short_record_is_ignored() {
        let mut f = frame(&[0x16, 0, 0, 0, 239, 1, 1, 1]);
        assert_eq!(parse_igmp(&f), vec![Igmp::Join([239, 1, 1, 1].into())]);
        let last = f.len() - 1;
        f[last] ^= 1;
        assert!(parse_igmp(&f).is_empty());
        // Two records announced, one present.
        let mut m = vec![0x22, 0, 0, 0, 0, 0, 0, 2, 4, 0, 0, 0, 239, 1, 1, 1];
        m.extend_from_slice(&[4, 0, 0, 5]);
        assert_eq!(
            parse_igmp(&frame(&m)),
            vec![Igmp::Join([239, 1, 1, 1].into())]
        );
    }
}
