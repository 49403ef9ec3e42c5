//! The TCPMSS target (net/netfilter/xt_TCPMSS.c tcpmss_mangle_packet()):
//! a TCP segment's MSS option is lowered, never raised, to the value set
//! or to the path MTU less the IP and TCP headers.
//!
//! A segment without an MSS option and without payload gets one added by
//! the kernel; vnet's packets have a fixed size inside the hooks, so such
//! a segment (vnet's own stacks always send the option in a SYN) passes
//! unchanged.

use crate::netfilter::rule::TCPMSS_CLAMP_PMTU;
use crate::wire::checksum::csum_replace;

/// TCPOPT_MSS and TCPOLEN_MSS.
const OPT_MSS: u8 = 2;
const OLEN_MSS: usize = 4;

/// optlen(): NOP and END are one byte, and a zero length makes progress.
fn optlen(opt: &[u8], i: usize) -> usize {
    if opt[i] <= 1 || opt.get(i + 1).is_none_or(|l| *l == 0) {
        1
    } else {
        usize::from(opt[i + 1])
    }
}

/// Rewrites the MSS option of the IPv4 or IPv6 packet `data` (from its IP
/// header on), for `mss` or TCPMSS_CLAMP_PMTU with the path MTU `pmtu`.
/// False: the packet is dropped (a short header, or no usable path MTU).
pub fn mangle(data: &mut [u8], mss: u16, pmtu: u32) -> bool {
    let v6 = data.first().is_some_and(|b| b >> 4 == 6);
    let (tcphoff, minlen) = if v6 {
        let (off, proto, _) = crate::wire::ipv6::find_hdr(data);
        if proto != 6 {
            return true;
        }
        (off, 40 + 20)
    } else {
        let Some(b) = data.first() else { return false };
        let frag = data
            .get(6..8)
            .map_or(0, |f| u16::from_be_bytes([f[0], f[1]]) & 0x1fff);
        if frag != 0 {
            // A fragment carries no TCP header.
            return true;
        }
        (usize::from(b & 0x0f) * 4, 20 + 20)
    };
    let len = data.len().saturating_sub(tcphoff);
    if len < 20 {
        return false;
    }
    let tcph = &mut data[tcphoff..];
    let hdrlen = usize::from(tcph[12] >> 4) * 4;
    if len < hdrlen || hdrlen < 20 {
        return false;
    }
    let newmss = if mss == TCPMSS_CLAMP_PMTU {
        if pmtu as usize <= minlen {
            return false;
        }
        (pmtu as usize - minlen).min(usize::from(u16::MAX)) as u16
    } else {
        mss
    };
    let mut i = 20;
    while i + OLEN_MSS <= hdrlen {
        if tcph[i] == OPT_MSS && usize::from(tcph[i + 1]) == OLEN_MSS {
            let old = [tcph[i + 2], tcph[i + 3]];
            // Never increase the MSS, even when setting it.
            if u16::from_be_bytes(old) <= newmss {
                return true;
            }
            let new = newmss.to_be_bytes();
            tcph[i + 2..i + 4].copy_from_slice(&new);
            csum_replace(&mut tcph[16..18], &old, &new);
            return true;
        }
        i += optlen(tcph, i);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An IPv4 SYN from 10.0.0.1 to 10.0.0.2 with an MSS option `mss`.
    fn syn(mss: u16) -> Vec<u8> {
        let mut p = vec![
            0x45, 0, 0, 44, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        p.extend_from_slice(&[
            0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0x02, 0xfa, 0xf0,
        ]);
        p.extend_from_slice(&[0, 0, 0, 0, 2, 4]);
        p.extend_from_slice(&mss.to_be_bytes());
        let ck = l4(&p);
        p[36..38].copy_from_slice(&ck.to_be_bytes());
        p
    }

    fn l4(p: &[u8]) -> u16 {
        let a = |o: usize| std::net::Ipv4Addr::new(p[o], p[o + 1], p[o + 2], p[o + 3]);
        crate::wire::checksum::l4_checksum(a(12), a(16), 6, &p[20..])
    }

    fn mss_of(p: &[u8]) -> u16 {
        u16::from_be_bytes([p[42], p[43]])
    }

    fn checksum_ok(p: &[u8]) -> bool {
        l4(p) == 0
    }

    #[test]
    fn set_lowers_and_never_raises() {
        let mut p = syn(1460);
        assert!(mangle(&mut p, 1360, 0));
        assert_eq!(mss_of(&p), 1360);
        assert!(checksum_ok(&p));
        assert!(mangle(&mut p, 1400, 0));
        assert_eq!(mss_of(&p), 1360);
    }

    #[test]
    fn clamp_takes_the_path_mtu_less_the_headers() {
        let mut p = syn(1460);
        assert!(mangle(&mut p, TCPMSS_CLAMP_PMTU, 1400));
        assert_eq!(mss_of(&p), 1360);
        assert!(checksum_ok(&p));
        // No path MTU beyond the headers: dropped.
        assert!(!mangle(&mut syn(1460), TCPMSS_CLAMP_PMTU, 40));
    }

    #[test]
    fn a_short_header_is_dropped() {
        let mut p = syn(1460);
        p.truncate(30);
        assert!(!mangle(&mut p, 1000, 0));
    }
}
