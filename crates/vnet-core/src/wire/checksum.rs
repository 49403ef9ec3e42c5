//! The Internet checksum (RFC 1071) and the pseudo-header sums of TCP, UDP
//! and ICMPv6.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The Internet checksum (RFC 1071) of a byte string.
pub fn checksum(data: &[u8]) -> u16 {
    !csum_fold(csum_partial(data, 0))
}

/// csum_partial(): adds `data` to a running one's-complement sum. Summing
/// 32-bit words into 64 bits and folding at the end gives the same 16-bit
/// result as adding 16-bit words one by one (2^16 ≡ 1 mod 2^16 - 1), in a
/// quarter of the steps.
pub fn csum_partial(data: &[u8], mut sum: u64) -> u64 {
    let mut words = data.chunks_exact(4);
    for w in &mut words {
        sum += u32::from_be_bytes([w[0], w[1], w[2], w[3]]) as u64;
    }
    let mut tail = [0u8; 4];
    let rest = words.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    sum + u32::from_be_bytes(tail) as u64
}

/// csum_fold(): a running sum to 16 bits, end-around carries added back.
pub fn csum_fold(mut sum: u64) -> u16 {
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// Replaces `old` by `new` under a 16-bit ones' complement checksum (RFC 1624).
/// Sized (an address or a port), so the word loop unrolls.
pub fn csum_replace<const N: usize>(sum: &mut [u8], old: &[u8; N], new: &[u8; N]) {
    let mut s = u32::from(!u16::from_be_bytes([sum[0], sum[1]]));
    for c in old.chunks_exact(2) {
        s += u32::from(!u16::from_be_bytes([c[0], c[1]]));
    }
    for c in new.chunks_exact(2) {
        s += u32::from(u16::from_be_bytes([c[0], c[1]]));
    }
    while s >> 16 != 0 {
        s = (s & 0xffff) + (s >> 16);
    }
    sum.copy_from_slice(&(!(s as u16)).to_be_bytes());
}

/// The Internet checksum of a TCP or UDP segment with its pseudo-header.
pub fn l4_checksum(src: Ipv4Addr, dst: Ipv4Addr, proto: u8, seg: &[u8]) -> u16 {
    let pseudo = u32::from(src) as u64 + u32::from(dst) as u64 + proto as u64 + seg.len() as u64;
    !crate::wire::checksum::csum_fold(crate::wire::checksum::csum_partial(seg, pseudo))
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// RFC 1071 as written: 16-bit words, carries folded as they come.
    fn checksum_by_halfwords(data: &[u8]) -> u16 {
        let mut sum = 0u32;
        for c in data.chunks(2) {
            sum += u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]) as u32;
            sum = (sum & 0xffff) + (sum >> 16);
        }
        !(sum as u16)
    }

    proptest! {
        #[test]
        fn wide_checksum_agrees_with_halfwords(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(checksum(&data), checksum_by_halfwords(&data));
        }

        #[test]
        fn l4_checksum_agrees_with_the_pseudo_header_spelt_out(
            src in any::<u32>(), dst in any::<u32>(), proto in any::<u8>(),
            seg in proptest::collection::vec(any::<u8>(), 0..100),
        ) {
            let mut all = Vec::new();
            all.extend_from_slice(&src.to_be_bytes());
            all.extend_from_slice(&dst.to_be_bytes());
            all.extend_from_slice(&[0, proto]);
            all.extend_from_slice(&(seg.len() as u16).to_be_bytes());
            all.extend_from_slice(&seg);
            let got = crate::wire::checksum::l4_checksum(src.into(), dst.into(), proto, &seg);
            prop_assert_eq!(got, checksum_by_halfwords(&all));
        }
    }
}
