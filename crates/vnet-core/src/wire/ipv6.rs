//! Fields of an IPv6 header read in place.

use std::net::Ipv6Addr;

/// sizeof(struct ipv6hdr): the fixed header, extension headers apart.
pub const IPV6_HLEN: usize = 40;

/// ip6h->payload_len: what follows the fixed header, in bytes.
pub(crate) fn payload_len(p: &[u8]) -> u16 {
    u16::from_be_bytes([p[4], p[5]])
}

pub(crate) fn set_payload_len(p: &mut [u8], len: u16) {
    p[4..6].copy_from_slice(&len.to_be_bytes());
}

/// ip6h->nexthdr: the first extension header, or the upper layer's protocol.
pub(crate) fn next_header(p: &[u8]) -> u8 {
    p[6]
}

pub(crate) fn set_next_header(p: &mut [u8], nh: u8) {
    p[6] = nh;
}

/// The traffic class, across the first two bytes (ip6_tclass()).
pub(crate) fn traffic_class(p: &[u8]) -> u8 {
    (p[0] << 4) | (p[1] >> 4)
}

pub(crate) fn set_traffic_class(p: &mut [u8], tc: u8) {
    p[0] = (p[0] & 0xf0) | (tc >> 4);
    p[1] = (p[1] & 0x0f) | (tc << 4);
}

/// The flow label, the low 20 bits of the first word.
pub(crate) fn flow_label(p: &[u8]) -> u32 {
    u32::from_be_bytes([p[0], p[1], p[2], p[3]]) & 0xfffff
}

/// ip6h->hop_limit.
pub(crate) fn hop_limit(p: &[u8]) -> u8 {
    p[7]
}

pub(crate) fn set_hop_limit(p: &mut [u8], hl: u8) {
    p[7] = hl;
}

pub(crate) fn hdr_src(p: &[u8]) -> Ipv6Addr {
    Ipv6Addr::from(<[u8; 16]>::try_from(&p[8..24]).unwrap())
}

pub(crate) fn hdr_dst(p: &[u8]) -> Ipv6Addr {
    Ipv6Addr::from(<[u8; 16]>::try_from(&p[24..40]).unwrap())
}

/// The upper-layer header behind the extension headers the path skips
/// (hop-by-hop, routing, destination options): (protocol, offset).
pub(crate) fn upper_layer(p: &[u8]) -> Option<(u8, usize)> {
    let mut nh = next_header(p);
    let mut off = IPV6_HLEN;
    while matches!(nh, 0 | 43 | 60) {
        let h = p.get(off..off + 2)?;
        nh = h[0];
        off += (h[1] as usize + 1) * 8;
    }
    (off <= p.len()).then_some((nh, off))
}

/// Where an IPv6 packet's upper-layer header starts, which protocol it is,
/// and the fragment offset (ipv6_find_hdr(): the extension headers —
/// hop-by-hop, routing, destination options, AH, fragment — are skipped;
/// a non-first fragment ends the walk). What netfilter's matches and LOG
/// read; total on any bytes.
pub(crate) fn find_hdr(d: &[u8]) -> (usize, u8, u16) {
    const HOPOPTS: u8 = 0;
    const ROUTING: u8 = 43;
    const FRAGMENT: u8 = 44;
    const AH: u8 = 51;
    const DSTOPTS: u8 = 60;
    let (mut off, mut nh) = (IPV6_HLEN, d.get(6).copied().unwrap_or(59));
    let mut frag = 0;
    while let (HOPOPTS | ROUTING | FRAGMENT | AH | DSTOPTS, Some(h)) = (nh, d.get(off..off + 8)) {
        let len = match nh {
            FRAGMENT => {
                frag = u16::from_be_bytes([h[2], h[3]]) >> 3;
                8
            }
            AH => (usize::from(h[1]) + 2) * 4,
            _ => (usize::from(h[1]) + 1) * 8,
        };
        nh = h[0];
        off += len;
        if frag != 0 {
            break;
        }
    }
    (off.min(d.len()), nh, frag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_layer_skips_hop_by_hop() {
        let mut p = vec![0u8; 40];
        p[0] = 0x60;
        p[6] = 0; // hop-by-hop
        p.extend_from_slice(&[58, 0, 5, 2, 0, 0, 1, 0]);
        p.extend_from_slice(&[143, 0, 0, 0]);
        assert_eq!(upper_layer(&p), Some((58, 48)));
        p[41] = 9; // claims 80 bytes: runs past the packet
        assert_eq!(upper_layer(&p), None);
    }
}
