//! NAT (nf_nat_core.c, nf_nat_proto.c): the first packet of a connection
//! picks a mapping that keeps every reply tuple unique; every later packet
//! of it is rewritten from the connection's tuples, in both directions.

use super::ct::{self, status, Conn, Conntrack, Dir, Tuple};
use super::rule::NatRange;
use crate::types::{Rng, Time};
use crate::wire::checksum::csum_replace;
use crate::wire::ipv4::{Ipv4Hdr, Ipv4HdrMut};
use std::net::Ipv4Addr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manip {
    Src,
    Dst,
}

impl Manip {
    fn done_bit(self) -> u32 {
        match self {
            Manip::Src => status::SRC_NAT_DONE,
            Manip::Dst => status::DST_NAT_DONE,
        }
    }
    fn nat_bit(self) -> u32 {
        match self {
            Manip::Src => status::SRC_NAT,
            Manip::Dst => status::DST_NAT,
        }
    }
}

/// nf_nat_initialized().
pub fn initialized(c: &Conn, m: Manip) -> bool {
    c.status & m.done_bit() != 0
}

/// Everything get_unique_tuple() needs to know besides the connection.
pub struct Ctx<'a> {
    pub table: &'a Conntrack,
    pub now: Time,
    pub rng: &'a mut Rng,
}

impl Ctx<'_> {
    /// nf_nat_used_tuple(): would the reply of `t` clash with a connection?
    fn used(&self, t: &Tuple, zone: u16) -> bool {
        t.invert()
            .is_none_or(|r| self.table.taken(&r, zone, self.now))
    }
    fn random_u16(&mut self) -> u32 {
        (self.rng.next_u64() & 0xffff) as u32
    }
}

fn in_range(t: &Tuple, m: Manip, r: &NatRange) -> bool {
    let a = match m {
        Manip::Src => t.src,
        Manip::Dst => t.dst,
    };
    if let Some((lo, hi)) = r.addr {
        if u32::from(a) < u32::from(lo) || u32::from(a) > u32::from(hi) {
            return false;
        }
    }
    match r.ports {
        None => true,
        Some((lo, hi)) => {
            let p = key(t, m);
            p >= lo.min(hi) && p <= hi.max(lo)
        }
    }
}

/// The per-protocol part a manip changes: the port, or the ICMP id (the
/// same for either manip).
fn key(t: &Tuple, m: Manip) -> u16 {
    match (t.proto, m) {
        (1, _) | (_, Manip::Src) => t.sport,
        (_, Manip::Dst) => t.dport,
    }
}

fn set_key(t: &mut Tuple, m: Manip, v: u16) {
    match (t.proto, m) {
        (1, _) | (_, Manip::Src) => t.sport = v,
        (_, Manip::Dst) => t.dport = v,
    }
}

fn has_ports(proto: u8) -> bool {
    matches!(proto, 1 | 6 | 17 | 132 | 136 | 33)
}

/// find_best_ips_proto(): an address from the range; a range of several
/// is spread by a hash of the connection's addresses, so one client keeps
/// one address.
fn best_ip(t: &mut Tuple, m: Manip, r: &NatRange) {
    let Some((lo, hi)) = r.addr else { return };
    let (lo, hi) = (u32::from(lo), u32::from(hi));
    let v = if hi <= lo {
        lo
    } else {
        let seed = match m {
            Manip::Src => u32::from(t.src) ^ if r.persistent { 0 } else { u32::from(t.dst) },
            Manip::Dst => u32::from(t.src) ^ u32::from(t.dst),
        };
        let h = seed.wrapping_mul(0x9e37_79b1);
        let dist = u64::from(hi - lo) + 1;
        lo + ((u64::from(h) * dist) >> 32) as u32
    };
    match m {
        Manip::Src => t.src = Ipv4Addr::from(v),
        Manip::Dst => t.dst = Ipv4Addr::from(v),
    }
}

/// get_unique_tuple(): the tuple after this manip, unique in the table.
fn unique_tuple(orig: &Tuple, zone: u16, r: &NatRange, m: Manip, cx: &mut Ctx) -> Tuple {
    let random_all = r.random || r.random_fully;
    // Source NAT keeps the connection as it is if that is already fine.
    if m == Manip::Src && !r.random_fully && in_range(orig, m, r) && !cx.used(orig, zone) {
        return *orig;
    }
    let mut t = *orig;
    best_ip(&mut t, m, r);
    if !random_all {
        match r.ports {
            Some((lo, hi)) => {
                if in_range(&t, m, r) && (lo == hi || !cx.used(&t, zone)) {
                    return t;
                }
            }
            None => {
                if !cx.used(&t, zone) {
                    return t;
                }
            }
        }
    }
    if !has_ports(t.proto) {
        return t;
    }
    // nf_nat_l4proto_unique_tuple(): search the id or port range.
    let (min, size): (u32, u32) = match r.ports {
        Some((a, b)) => (u32::from(a.min(b)), u32::from(a.max(b) - a.min(b)) + 1),
        None if t.proto == 1 => (0, 65536),
        None if m == Manip::Dst => return t,
        None => {
            let p = key(&t, m);
            if p < 512 {
                (1, 511)
            } else if p < 1024 {
                (600, 424)
            } else {
                (1024, 65535 - 1024 + 1)
            }
        }
    };
    let mut off = if random_all || m != Manip::Dst {
        cx.random_u16()
    } else {
        0
    };
    let mut attempts = size.min(128);
    loop {
        for _ in 0..attempts {
            set_key(&mut t, m, (min + off % size) as u16);
            if !cx.used(&t, zone) {
                return t;
            }
            off = off.wrapping_add(1);
        }
        if attempts >= size || attempts < 16 {
            return t;
        }
        attempts /= 2;
        off = cx.random_u16();
    }
}

/// nf_nat_setup_info(): binds a new connection for one manip. `range` None
/// is the null binding (no rule matched): nothing changes but the manip
/// counts as done.
pub fn setup(c: &mut Conn, m: Manip, range: Option<&NatRange>, cx: &mut Ctx) {
    if let Some(r) = range {
        let curr = c.tuple[1].invert().unwrap_or(c.tuple[0]);
        let new = unique_tuple(&curr, c.zone, r, m, cx);
        if new != curr {
            if let Some(reply) = new.invert() {
                c.tuple[1] = reply;
                c.status |= m.nat_bit();
            }
        }
    }
    c.status |= m.done_bit();
}

/// Which manip a hook performs (HOOK2MANIP): destination on the way in
/// and out of the stack's routing, source after it.
pub fn hook_manip(h: super::Hook) -> Manip {
    match h {
        super::Hook::PreRouting | super::Hook::LocalOut => Manip::Dst,
        _ => Manip::Src,
    }
}

/// nf_nat_packet(): rewrites a packet of direction `dir` for the manip of
/// this hook, if the connection has that kind of NAT in that direction.
pub fn packet(c: &Conn, dir: Dir, m: Manip, pkt: &mut [u8]) {
    let mut bit = m.nat_bit();
    if dir == Dir::Reply {
        bit ^= status::NAT_MASK;
    }
    if c.status & bit == 0 {
        return;
    }
    let other = c.tuple[dir.flip() as usize];
    if let Some(target) = other.invert() {
        manip_pkt(pkt, 0, &target, m);
    }
}

/// nf_nat_icmp_reply_translation(): an ICMP error about a NATed connection
/// gets its quoted packet put back as the connection's peer sent it
/// (the opposite manip), and its outer header addressed as a reply would be.
pub fn icmp_reply_translation(c: &Conn, dir: Dir, m: Manip, pkt: &mut [u8]) {
    let mut bit = m.nat_bit();
    if dir == Dir::Reply {
        bit ^= status::NAT_MASK;
    }
    if c.status & bit == 0 {
        return;
    }
    let ihl = Ipv4Hdr::new_unchecked(pkt).header_len();
    let inner = ihl + 8;
    if pkt.len() < inner + 20 {
        return;
    }
    let opposite = match m {
        Manip::Src => Manip::Dst,
        Manip::Dst => Manip::Src,
    };
    let quoted = c.tuple[dir.flip() as usize];
    manip_pkt(pkt, inner, &quoted, opposite);
    // The ICMP checksum covers the whole message: recompute it.
    pkt[ihl + 2] = 0;
    pkt[ihl + 3] = 0;
    let ck = crate::wire::checksum::checksum(&pkt[ihl..]);
    pkt[ihl + 2..ihl + 4].copy_from_slice(&ck.to_be_bytes());
    // The outer header: like the reply's, protocol part left alone.
    if let Some(mut target) = quoted.invert() {
        target.proto = 1;
        manip_addr(pkt, 0, &target, m);
    }
}

/// The IP address part of a manip, with the L4 checksums that cover it.
fn manip_addr(pkt: &mut [u8], off: usize, target: &Tuple, m: Manip) {
    let mut iph = Ipv4HdrMut::new_unchecked(&mut pkt[off..]);
    let (addr, new) = match m {
        Manip::Src => (iph.src_mut(), target.src.octets()),
        Manip::Dst => (iph.dst_mut(), target.dst.octets()),
    };
    let old = *addr;
    if old == new {
        return;
    }
    *addr = new;
    csum_replace(iph.checksum_mut(), &old, &new);
    let h = iph.view();
    let (ihl, first, proto) = (h.header_len(), h.frag_offset() == 0, h.protocol());
    // TCP and UDP checksums cover the pseudo header's addresses; only the
    // first fragment has the L4 header.
    let l4 = off + ihl;
    let avail = pkt.len().saturating_sub(l4);
    if !first {
        return;
    }
    match proto {
        6 if avail >= 20 => csum_replace(&mut pkt[l4 + 16..l4 + 18], &old, &new),
        17 if avail >= 8 && (pkt[l4 + 6], pkt[l4 + 7]) != (0, 0) => {
            csum_replace(&mut pkt[l4 + 6..l4 + 8], &old, &new);
            if (pkt[l4 + 6], pkt[l4 + 7]) == (0, 0) {
                pkt[l4 + 6] = 0xff;
                pkt[l4 + 7] = 0xff;
            }
        }
        _ => {}
    }
}

/// nf_nat_ipv4_manip_pkt(): the address, then the port or ICMP id, of the
/// IPv4 packet at `off` (0, or inside an ICMP error), from `target`.
pub fn manip_pkt(pkt: &mut [u8], off: usize, target: &Tuple, m: Manip) {
    let Some(iph) = pkt.get(off..).and_then(Ipv4Hdr::new) else {
        return;
    };
    let (ihl, first, proto) = (iph.header_len(), iph.frag_offset() == 0, iph.protocol());
    let l4 = off + ihl;
    let avail = pkt.len().saturating_sub(l4);
    if first {
        let (port_at, new) = match (proto, m) {
            (1, _) => (4, target.sport),
            (_, Manip::Src) => (0, target.sport),
            (_, Manip::Dst) => (2, target.dport),
        };
        let sum_at = match proto {
            6 if avail >= 20 => Some(16),
            17 if avail >= 8 && (pkt[l4 + 6], pkt[l4 + 7]) != (0, 0) => Some(6),
            1 if avail >= 8 => Some(2),
            _ => None,
        };
        if matches!(proto, 1 | 6 | 17) && avail >= port_at + 2 && (proto != 1 || avail >= 8) {
            let p = l4 + port_at;
            let old = [pkt[p], pkt[p + 1]];
            let new = new.to_be_bytes();
            // An ICMP id only changes for queries, not for errors.
            let icmp_query = proto != 1 || ct::icmp_is_query(pkt[l4]);
            if old != new && icmp_query {
                pkt[p..p + 2].copy_from_slice(&new);
                if let Some(s) = sum_at {
                    csum_replace(&mut pkt[l4 + s..l4 + s + 2], &old, &new);
                }
            }
        }
    }
    manip_addr(pkt, off, target, m);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::checksum::checksum;

    fn udp(src: [u8; 4], dst: [u8; 4], sp: u16, dp: u16) -> Vec<u8> {
        let mut p = vec![0u8; 28];
        p[0] = 0x45;
        p[2..4].copy_from_slice(&28u16.to_be_bytes());
        p[8] = 64;
        p[9] = 17;
        p[12..16].copy_from_slice(&src);
        p[16..20].copy_from_slice(&dst);
        p[20..22].copy_from_slice(&sp.to_be_bytes());
        p[22..24].copy_from_slice(&dp.to_be_bytes());
        p[24..26].copy_from_slice(&8u16.to_be_bytes());
        let ck = checksum(&p[..20]);
        p[10..12].copy_from_slice(&ck.to_be_bytes());
        let ck = udp_sum(&p);
        p[26..28].copy_from_slice(&ck.to_be_bytes());
        p
    }

    fn udp_sum(p: &[u8]) -> u16 {
        let mut ph = Vec::new();
        ph.extend_from_slice(&p[12..20]);
        ph.extend_from_slice(&[0, 17]);
        ph.extend_from_slice(&((p.len() - 20) as u16).to_be_bytes());
        let mut l4 = p[20..].to_vec();
        l4[6] = 0;
        l4[7] = 0;
        ph.extend_from_slice(&l4);
        checksum(&ph)
    }

    #[test]
    fn manip_keeps_ip_and_udp_checksums_valid() {
        let mut p = udp([192, 168, 45, 3], [192, 168, 1, 15], 5000, 53);
        let target = Tuple {
            src: Ipv4Addr::new(192, 168, 1, 32),
            dst: Ipv4Addr::new(192, 168, 1, 15),
            proto: 17,
            sport: 6000,
            dport: 53,
        };
        manip_pkt(&mut p, 0, &target, Manip::Src);
        assert_eq!(&p[12..16], &[192, 168, 1, 32]);
        assert_eq!(u16::from_be_bytes([p[20], p[21]]), 6000);
        assert_eq!(checksum(&p[..20]), 0, "IP header checksum");
        assert_eq!(u16::from_be_bytes([p[26], p[27]]), udp_sum(&p));
    }

    #[test]
    fn masquerade_keeps_a_free_id_and_moves_a_taken_one() {
        let defaults = ct::CtTimeouts::default();
        let mut table = Conntrack::default();
        let mut rng = Rng(7);
        let range = NatRange {
            addr: Some((
                Ipv4Addr::new(192, 168, 1, 32),
                Ipv4Addr::new(192, 168, 1, 32),
            )),
            ..NatRange::EMPTY
        };
        let ping = |table: &mut Conntrack, src: [u8; 4], rng: &mut Rng| {
            let t = Tuple {
                src: Ipv4Addr::from(src),
                dst: Ipv4Addr::new(192, 168, 1, 15),
                proto: 1,
                sport: 4242,
                dport: 8 << 8,
            };
            let mut p = vec![0u8; 28];
            p[0] = 0x45;
            p[9] = 1;
            p[20] = 8;
            let mut c = ct::new_conn(&p, t, 0, Time::ZERO, &defaults).unwrap();
            ct::packet(&mut c, Dir::Original, &p, Time::ZERO, &defaults);
            let mut cx = Ctx {
                table,
                now: Time::ZERO,
                rng,
            };
            setup(&mut c, Manip::Src, Some(&range), &mut cx);
            let reply = c.tuple[1];
            table.confirm(c, Time::ZERO).unwrap();
            reply
        };
        let a = ping(&mut table, [192, 168, 45, 3], &mut rng);
        assert_eq!(a.dst, Ipv4Addr::new(192, 168, 1, 32));
        assert_eq!(a.sport, 4242, "a free id is kept");
        let b = ping(&mut table, [192, 168, 46, 3], &mut rng);
        assert_eq!(b.dst, Ipv4Addr::new(192, 168, 1, 32));
        assert_ne!(b.sport, 4242, "a taken id is replaced");
        assert_eq!(table.count(), 2);
    }
}
