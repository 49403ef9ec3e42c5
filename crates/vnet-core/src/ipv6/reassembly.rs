//! Reassembling IPv6 fragments (net/ipv6/reassembly.c).

use crate::ipv6::IPV6_HLEN;
use crate::types::NsId;
use crate::wire::ipv6::hdr_dst;
use crate::wire::ipv6::hdr_src;
use crate::wire::ipv6::{set_next_header, set_payload_len};
use crate::world::World;

impl World {
    /// ipv6_frag_rcv(): queues a fragment; returns the whole packet, its
    /// fragment header removed, once every piece is there.
    pub(crate) fn ipv6_frag_rcv(&mut self, ns: NsId, pkt: &[u8], off: usize) -> Option<Vec<u8>> {
        let fh = pkt.get(off..off + 8)?;
        let nexthdr = fh[0];
        let fo = u16::from_be_bytes([fh[2], fh[3]]);
        let foff = (fo & !7) as usize;
        let more = fo & 1 != 0;
        let id = u32::from_be_bytes([fh[4], fh[5], fh[6], fh[7]]);
        let key = (hdr_src(pkt), hdr_dst(pkt), id);
        let q = self.ns_mut(ns).frags6.entry(key).or_default();
        q.retain(|f| f.0 != foff);
        if foff == 0 {
            // The first keeps the unfragmentable part, with the upper
            // protocol in place of the fragment header.
            let mut head = pkt[..off].to_vec();
            set_next_header(&mut head, nexthdr);
            head.extend_from_slice(&pkt[off + 8..]);
            q.push((0, more, head));
        } else {
            q.push((foff, more, pkt[off + 8..].to_vec()));
        }
        q.sort_by_key(|f| f.0);
        let mut next = 0;
        let mut done = false;
        for (o, m, d) in q.iter() {
            if *o != next {
                return None;
            }
            next += if *o == 0 { d.len() - off } else { d.len() };
            done = !*m;
        }
        if !done {
            return None;
        }
        let parts = self.ns_mut(ns).frags6.remove(&key)?;
        let mut whole = parts[0].2.clone();
        for (_, _, d) in &parts[1..] {
            whole.extend_from_slice(d);
        }
        let plen = (whole.len() - IPV6_HLEN) as u16;
        set_payload_len(&mut whole, plen);
        Some(whole)
    }
}

#[cfg(test)]
mod tests {
    use crate::ipv6::ip6_output::{ip6_build, ip6_fragment};
    use crate::World;
    use std::net::Ipv6Addr;

    #[test]
    fn fragments_are_eights_with_more_flags_and_reassemble_to_the_packet() {
        let (src, dst): (Ipv6Addr, Ipv6Addr) =
            ("fd00::1".parse().unwrap(), "fd00::2".parse().unwrap());
        let payload: Vec<u8> = (0..3008u32).map(|i| i as u8).collect();
        let mut p = Vec::new();
        ip6_build(&mut p, src, dst, 58, 64, 0, &payload);
        let frags = ip6_fragment(&p, 1400, 0xabcd);
        // 1400 - 40 - 8 = 1352 bytes a piece (a multiple of 8), the rest last.
        let sizes: Vec<usize> = frags.iter().map(|f| f.len() - 48).collect();
        assert_eq!(sizes, vec![1352, 1352, 304]);
        for (i, f) in frags.iter().enumerate() {
            assert_eq!(f[6], 44, "fragment header follows");
            assert_eq!(u16::from_be_bytes([f[4], f[5]]) as usize, f.len() - 40);
            assert_eq!(f[40], 58, "the upper protocol inside it");
            let offlg = u16::from_be_bytes([f[42], f[43]]);
            assert_eq!((offlg & !7) as usize, i * 1352);
            assert_eq!(offlg & 1 == 1, i < 2, "M on all but the last");
            assert_eq!(&f[44..48], &0xabcdu32.to_be_bytes());
        }
        // Arriving out of order, they come back whole.
        let mut w = World::new(1);
        assert!(w.ipv6_frag_rcv(0, &frags[2], 40).is_none());
        assert!(w.ipv6_frag_rcv(0, &frags[0], 40).is_none());
        assert_eq!(w.ipv6_frag_rcv(0, &frags[1], 40), Some(p));
        assert!(w.ns(0).frags6.is_empty());
    }
}
