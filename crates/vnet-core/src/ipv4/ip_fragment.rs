//! Reassembling IPv4 fragments (net/ipv4/ip_fragment.c).

use crate::types::NsId;
use crate::wire::ipv4::{Ipv4Hdr, Ipv4HdrMut, IP_DF};
use crate::world::World;

impl World {
    /// ip_defrag(): queues a fragment; returns the whole packet once complete.
    pub(crate) fn ip_defrag(&mut self, ns: NsId, pkt: Vec<u8>) -> Option<Vec<u8>> {
        let iph = Ipv4Hdr::new_unchecked(&pkt);
        let ihl = iph.header_len();
        // ipqhashfn(): a datagram's fragments share saddr, daddr, id and protocol.
        let key = (iph.src(), iph.dst(), iph.id(), iph.protocol());
        let off = usize::from(iph.frag_offset()) * 8;
        let mf = iph.more_frags();
        let q = self.ns_mut(ns).frags.entry(key).or_default();
        if off == 0 {
            q.retain(|p| p.0 != 0);
            q.push((0, mf, pkt.clone()));
        } else {
            q.retain(|p| p.0 != off);
            q.push((off, mf, pkt[ihl..].to_vec()));
        }
        q.sort_by_key(|p| p.0);
        // Complete when the pieces are contiguous from 0 to a last fragment.
        let mut next = 0;
        let mut done = false;
        for (o, m, d) in q.iter() {
            if *o != next {
                return None;
            }
            next += if *o == 0 {
                d.len() - Ipv4Hdr::new_unchecked(d).header_len()
            } else {
                d.len()
            };
            if !*m {
                done = true;
            }
        }
        if !done {
            return None;
        }
        let parts = self.ns_mut(ns).frags.remove(&key).unwrap();
        let mut whole = parts[0].2.clone();
        for (_, _, d) in &parts[1..] {
            whole.extend_from_slice(d);
        }
        // ip_frag_reasm(): the first fragment's header, made whole: its
        // length, no MF and no offset (DF as it was), a new checksum.
        let total = whole.len() as u16;
        let df = Ipv4Hdr::new_unchecked(&whole).frag_off() & IP_DF;
        let mut h = Ipv4HdrMut::new_unchecked(&mut whole);
        h.set_total_len(total);
        h.set_frag_off(df);
        h.fill_checksum();
        Some(whole)
    }
}
