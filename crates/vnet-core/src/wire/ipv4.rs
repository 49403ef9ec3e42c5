//! The IPv4 header (RFC 791; `struct iphdr` of include/uapi/linux/ip.h)
//! read and written in place.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! |Version|  IHL  |      TOS      |          Total Length         |
//! |         Identification        |Flags|     Fragment Offset     |
//! |      TTL      |   Protocol    |        Header Checksum        |
//! |                        Source Address                         |
//! |                     Destination Address                       |
//! |                    Options (IHL > 5)                          |
//! ```
//!
//! `Ipv4Hdr` is what the path reads through instead of raw offsets. It is
//! not etherparse's `Ipv4HeaderSlice`: that one refuses a header whose
//! version or ihl is wrong, and the path must read such headers too (the
//! packet an ICMP error quotes, a LOG line, ip_rcv's own checks, which
//! count as the kernel counts); and it validates on every construction,
//! where the packet path has validated once, in ip_rcv_core().

use crate::wire::checksum::checksum;
use std::net::Ipv4Addr;

/// sizeof(struct iphdr): the header without options.
pub const IPV4_HLEN: usize = 20;

/// The flag bits and offset mask of iph->frag_off (include/net/ip.h).
pub const IP_CE: u16 = 0x8000;
pub const IP_DF: u16 = 0x4000;
pub const IP_MF: u16 = 0x2000;
pub const IP_OFFSET: u16 = 0x1fff;

mod field {
    pub const VER_IHL: usize = 0;
    pub const TOS: usize = 1;
    pub const TOT_LEN: usize = 2;
    pub const ID: usize = 4;
    pub const FRAG_OFF: usize = 6;
    pub const TTL: usize = 8;
    pub const PROTOCOL: usize = 9;
    pub const CHECK: usize = 10;
    pub const SADDR: usize = 12;
    pub const DADDR: usize = 16;
}

/// A read-only view of the IPv4 header at the start of a packet.
///
/// The fixed 20 bytes are sliced once, when the view is made, so the
/// accessors read at constant offsets with no bounds check. Nothing is
/// validated: version, ihl and tot_len are what the bytes say, and the
/// callers check them where the kernel does (ip_rcv_core()).
#[derive(Clone, Copy, Debug)]
pub struct Ipv4Hdr<'a> {
    hdr: &'a [u8; IPV4_HLEN],
    buf: &'a [u8],
}

impl<'a> Ipv4Hdr<'a> {
    /// The header of `buf`, or None when it is shorter than 20 bytes.
    #[inline]
    pub fn new(buf: &'a [u8]) -> Option<Ipv4Hdr<'a>> {
        Some(Ipv4Hdr {
            hdr: buf.first_chunk()?,
            buf,
        })
    }

    /// The header of `buf`, which the caller knows holds at least 20
    /// bytes (ip_rcv has checked the packet); panics otherwise.
    #[inline]
    pub fn new_unchecked(buf: &'a [u8]) -> Ipv4Hdr<'a> {
        match buf.first_chunk() {
            Some(hdr) => Ipv4Hdr { hdr, buf },
            None => short(buf.len()),
        }
    }

    /// The whole packet the view was made on.
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// iph->version.
    #[inline]
    pub fn version(&self) -> u8 {
        self.hdr[field::VER_IHL] >> 4
    }

    /// iph->ihl, in 32-bit words.
    #[inline]
    pub fn ihl(&self) -> u8 {
        self.hdr[field::VER_IHL] & 0x0f
    }

    /// ip_hdrlen(): the header with its options, in bytes.
    #[inline]
    pub fn header_len(&self) -> usize {
        usize::from(self.ihl()) * 4
    }

    /// iph->tos.
    #[inline]
    pub fn tos(&self) -> u8 {
        self.hdr[field::TOS]
    }

    /// iph->tot_len: header and payload, in bytes.
    #[inline]
    pub fn total_len(&self) -> u16 {
        self.be16(field::TOT_LEN)
    }

    /// iph->id.
    #[inline]
    pub fn id(&self) -> u16 {
        self.be16(field::ID)
    }

    /// iph->frag_off as it stands: the flags (`IP_CE`, `IP_DF`, `IP_MF`)
    /// and the offset in 8-byte units (`IP_OFFSET`).
    #[inline]
    pub fn frag_off(&self) -> u16 {
        self.be16(field::FRAG_OFF)
    }

    /// The fragment offset in 8-byte units (frag_off & IP_OFFSET).
    #[inline]
    pub fn frag_offset(&self) -> u16 {
        self.frag_off() & IP_OFFSET
    }

    #[inline]
    pub fn more_frags(&self) -> bool {
        self.frag_off() & IP_MF != 0
    }

    #[inline]
    pub fn dont_frag(&self) -> bool {
        self.frag_off() & IP_DF != 0
    }

    /// ip_is_fragment(): a piece of a larger datagram (MF set or an offset).
    #[inline]
    pub fn is_fragment(&self) -> bool {
        self.frag_off() & (IP_MF | IP_OFFSET) != 0
    }

    /// iph->ttl.
    #[inline]
    pub fn ttl(&self) -> u8 {
        self.hdr[field::TTL]
    }

    /// iph->protocol.
    #[inline]
    pub fn protocol(&self) -> u8 {
        self.hdr[field::PROTOCOL]
    }

    /// iph->check.
    #[inline]
    pub fn checksum(&self) -> u16 {
        self.be16(field::CHECK)
    }

    /// iph->saddr.
    #[inline]
    pub fn src(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.be32(field::SADDR))
    }

    /// iph->daddr.
    #[inline]
    pub fn dst(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.be32(field::DADDR))
    }

    /// What follows the header (its options included), or nothing when
    /// ihl claims more than the packet has.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.buf.get(self.header_len()..).unwrap_or_default()
    }

    #[inline]
    fn be16(&self, at: usize) -> u16 {
        u16::from_be_bytes([self.hdr[at], self.hdr[at + 1]])
    }

    #[inline]
    fn be32(&self, at: usize) -> u32 {
        u32::from_be_bytes([
            self.hdr[at],
            self.hdr[at + 1],
            self.hdr[at + 2],
            self.hdr[at + 3],
        ])
    }
}

/// The header of a packet being rewritten: TTL, TOS, addresses, lengths
/// and the checksum the path changes in place.
pub struct Ipv4HdrMut<'a> {
    buf: &'a mut [u8],
}

impl<'a> Ipv4HdrMut<'a> {
    /// The header of `buf`, which holds at least 20 bytes; panics otherwise.
    #[inline]
    pub fn new_unchecked(buf: &'a mut [u8]) -> Ipv4HdrMut<'a> {
        if buf.len() < IPV4_HLEN {
            short(buf.len());
        }
        Ipv4HdrMut { buf }
    }

    /// The same header, read-only.
    #[inline]
    pub fn view(&self) -> Ipv4Hdr<'_> {
        Ipv4Hdr::new_unchecked(self.buf)
    }

    #[inline]
    fn hdr(&mut self) -> &mut [u8; IPV4_HLEN] {
        self.buf.first_chunk_mut().expect("checked at construction")
    }

    #[inline]
    pub fn set_tos(&mut self, tos: u8) {
        self.hdr()[field::TOS] = tos;
    }

    #[inline]
    pub fn set_total_len(&mut self, len: u16) {
        self.hdr()[field::TOT_LEN..field::TOT_LEN + 2].copy_from_slice(&len.to_be_bytes());
    }

    #[inline]
    pub fn set_frag_off(&mut self, frag_off: u16) {
        self.hdr()[field::FRAG_OFF..field::FRAG_OFF + 2].copy_from_slice(&frag_off.to_be_bytes());
    }

    #[inline]
    pub fn set_ttl(&mut self, ttl: u8) {
        self.hdr()[field::TTL] = ttl;
    }

    #[inline]
    pub fn set_checksum(&mut self, sum: u16) {
        self.hdr()[field::CHECK..field::CHECK + 2].copy_from_slice(&sum.to_be_bytes());
    }

    /// The address bytes of iph->saddr, for NAT to rewrite along with
    /// the checksums that cover them.
    #[inline]
    pub fn src_mut(&mut self) -> &mut [u8; 4] {
        (&mut self.hdr()[field::SADDR..field::SADDR + 4])
            .try_into()
            .unwrap()
    }

    /// iph->daddr's bytes, as `src_mut`.
    #[inline]
    pub fn dst_mut(&mut self) -> &mut [u8; 4] {
        (&mut self.hdr()[field::DADDR..field::DADDR + 4])
            .try_into()
            .unwrap()
    }

    /// iph->check's bytes, for an incremental update (csum_replace4()).
    #[inline]
    pub fn checksum_mut(&mut self) -> &mut [u8; 2] {
        (&mut self.hdr()[field::CHECK..field::CHECK + 2])
            .try_into()
            .unwrap()
    }

    /// ip_send_check(): the checksum over the header and its options
    /// (those the buffer holds), computed afresh.
    #[inline]
    pub fn fill_checksum(&mut self) {
        self.set_checksum(0);
        let hlen = self.view().header_len().min(self.buf.len());
        let sum = checksum(&self.buf[..hlen]);
        self.set_checksum(sum);
    }

    /// ip_decrease_ttl(): one hop less, the checksum updated incrementally
    /// (RFC 1624) with the kernel's carry: a sum of 0xffff wraps to 0, the
    /// checksum a full computation gives. The caller has checked TTL > 0.
    #[inline]
    pub fn decrease_ttl(&mut self) {
        let h = self.hdr();
        h[field::TTL] -= 1;
        let sum = u32::from(u16::from_be_bytes([h[field::CHECK], h[field::CHECK + 1]])) + 0x0100;
        let sum = sum + u32::from(sum >= 0xffff);
        h[field::CHECK..field::CHECK + 2].copy_from_slice(&(sum as u16).to_be_bytes());
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn short(len: usize) -> ! {
    panic!("IPv4 header: {len} bytes, fewer than {IPV4_HLEN}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A UDP datagram 10.0.0.1 → 192.168.1.2, as Linux sends it: DF, TTL
    /// 64, id 0x1c46, 28 bytes, header checksum 0x52e0.
    const PKT: [u8; 28] = [
        0x45, 0x00, 0x00, 0x1c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x11, 0x52, 0xe0, 10, 0, 0, 1, 192,
        168, 1, 2, // the UDP header:
        0x04, 0x00, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,
    ];

    #[test]
    fn reads_a_known_header() {
        let h = Ipv4Hdr::new(&PKT).unwrap();
        assert_eq!(h.version(), 4);
        assert_eq!(h.ihl(), 5);
        assert_eq!(h.header_len(), 20);
        assert_eq!(h.tos(), 0);
        assert_eq!(h.total_len(), 28);
        assert_eq!(h.id(), 0x1c46);
        assert_eq!(h.frag_off(), IP_DF);
        assert!(h.dont_frag());
        assert!(!h.more_frags());
        assert_eq!(h.frag_offset(), 0);
        assert!(!h.is_fragment());
        assert_eq!(h.ttl(), 64);
        assert_eq!(h.protocol(), 17);
        assert_eq!(h.checksum(), 0x52e0);
        assert_eq!(h.src(), Ipv4Addr::new(10, 0, 0, 1));
        assert_eq!(h.dst(), Ipv4Addr::new(192, 168, 1, 2));
        assert_eq!(h.payload(), &PKT[20..]);
        // The checksum is right: the header sums to zero.
        assert_eq!(checksum(&PKT[..20]), 0);
    }

    #[test]
    fn short_buffers_and_long_ihl() {
        assert!(Ipv4Hdr::new(&PKT[..19]).is_none());
        let mut p = PKT;
        p[0] = 0x4f; // 60 bytes of header claimed, 28 there
        let h = Ipv4Hdr::new(&p).unwrap();
        assert_eq!(h.header_len(), 60);
        assert!(h.payload().is_empty());
        let r = std::panic::catch_unwind(|| Ipv4Hdr::new_unchecked(&PKT[..12]));
        assert!(r.is_err());
    }

    #[test]
    fn fragment_bits() {
        let mut p = PKT;
        p[6..8].copy_from_slice(&(IP_MF | 185).to_be_bytes());
        let h = Ipv4Hdr::new(&p).unwrap();
        assert!(h.more_frags() && !h.dont_frag() && h.is_fragment());
        assert_eq!(h.frag_offset(), 185);
    }

    #[test]
    fn rewrites_in_place() {
        let mut p = PKT;
        let mut h = Ipv4HdrMut::new_unchecked(&mut p);
        h.decrease_ttl();
        assert_eq!(h.view().ttl(), 63);
        assert_eq!(
            checksum(&p[..20]),
            0,
            "the incremental update is exact here"
        );
        let mut h = Ipv4HdrMut::new_unchecked(&mut p);
        *h.src_mut() = [172, 16, 0, 9];
        *h.dst_mut() = [172, 16, 0, 10];
        h.set_tos(0x10);
        h.set_total_len(100);
        h.set_frag_off(IP_MF | 3);
        h.set_ttl(5);
        h.fill_checksum();
        let r = h.view();
        assert_eq!(r.src(), Ipv4Addr::new(172, 16, 0, 9));
        assert_eq!(r.dst(), Ipv4Addr::new(172, 16, 0, 10));
        assert_eq!(
            (r.tos(), r.total_len(), r.frag_off(), r.ttl()),
            (0x10, 100, IP_MF | 3, 5)
        );
        assert_eq!(checksum(&p[..20]), 0);
        assert_eq!(&p[20..], &PKT[20..], "the payload is left alone");
    }

    /// A header etherparse accepts: version 4, ihl 5..=15, the options there.
    fn header() -> impl Strategy<Value = Vec<u8>> {
        (5u8..=15, proptest::collection::vec(any::<u8>(), 60 + 8)).prop_map(|(ihl, mut b)| {
            b[0] = 0x40 | ihl;
            b
        })
    }

    proptest! {
        #[test]
        fn fields_agree_with_etherparse(b in header(), cut in 0usize..8) {
            let len = (usize::from(b[0] & 0x0f) * 4 + cut).min(b.len());
            let b = &b[..len];
            let e = etherparse::Ipv4HeaderSlice::from_slice(b).unwrap();
            let h = Ipv4Hdr::new(b).unwrap();
            prop_assert_eq!(h.version(), e.version());
            prop_assert_eq!(h.ihl(), e.ihl());
            prop_assert_eq!(h.header_len(), e.slice().len());
            prop_assert_eq!(h.tos(), e.dcp().value() << 2 | e.ecn().value());
            prop_assert_eq!(h.total_len(), e.total_len());
            prop_assert_eq!(h.id(), e.identification());
            prop_assert_eq!(h.dont_frag(), e.dont_fragment());
            prop_assert_eq!(h.more_frags(), e.more_fragments());
            prop_assert_eq!(h.frag_offset(), e.fragments_offset().value());
            prop_assert_eq!(h.is_fragment(), e.is_fragmenting_payload());
            prop_assert_eq!(h.ttl(), e.ttl());
            prop_assert_eq!(h.protocol(), e.protocol().0);
            prop_assert_eq!(h.checksum(), e.header_checksum());
            prop_assert_eq!(h.src(), e.source_addr());
            prop_assert_eq!(h.dst(), e.destination_addr());
            prop_assert_eq!(h.payload(), &b[e.slice().len()..]);
        }

        #[test]
        fn fill_checksum_agrees_with_etherparse(b in header()) {
            let mut b = b;
            // etherparse's Ipv4Header keeps DF and MF, not the reserved
            // bit (IP_CE), so its checksum is of a header without it.
            b[6] &= 0x7f;
            let hlen = usize::from(b[0] & 0x0f) * 4;
            Ipv4HdrMut::new_unchecked(&mut b).fill_checksum();
            let e = etherparse::Ipv4HeaderSlice::from_slice(&b).unwrap().to_header();
            prop_assert_eq!(Ipv4Hdr::new(&b).unwrap().checksum(), e.calc_header_checksum());
            prop_assert_eq!(checksum(&b[..hlen]), 0);
        }

        /// ip_decrease_ttl()'s update gives what a full computation
        /// gives: neither ever writes 0xffff (-0), the carry makes it 0.
        #[test]
        fn decrease_ttl_matches_a_full_checksum(b in header(), ttl in 1u8..=255) {
            let mut b = b;
            b[0] = 0x45;
            b[8] = ttl;
            Ipv4HdrMut::new_unchecked(&mut b).fill_checksum();
            let mut inc = b.clone();
            Ipv4HdrMut::new_unchecked(&mut inc).decrease_ttl();
            let mut full = b.clone();
            let mut h = Ipv4HdrMut::new_unchecked(&mut full);
            h.set_ttl(ttl - 1);
            h.fill_checksum();
            prop_assert_eq!(&inc[..20], &full[..20]);
        }
    }
}
