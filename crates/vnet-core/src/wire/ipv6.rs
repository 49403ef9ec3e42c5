//! Fields of an IPv6 header read in place.

use std::net::Ipv6Addr;

/// sizeof(struct ipv6hdr): the fixed header, extension headers apart.
pub const IPV6_HLEN: usize = 40;

pub(crate) fn hdr_src(p: &[u8]) -> Ipv6Addr {
    Ipv6Addr::from(<[u8; 16]>::try_from(&p[8..24]).unwrap())
}

pub(crate) fn hdr_dst(p: &[u8]) -> Ipv6Addr {
    Ipv6Addr::from(<[u8; 16]>::try_from(&p[24..40]).unwrap())
}

/// The upper-layer header behind the extension headers the path skips
/// (hop-by-hop, routing, destination options): (protocol, offset).
pub(crate) fn upper_layer(p: &[u8]) -> Option<(u8, usize)> {
    let mut nh = p[6];
    let mut off = IPV6_HLEN;
    while matches!(nh, 0 | 43 | 60) {
        let h = p.get(off..off + 2)?;
        nh = h[0];
        off += (h[1] as usize + 1) * 8;
    }
    (off <= p.len()).then_some((nh, off))
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
