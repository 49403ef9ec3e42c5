//! Reassembling IPv4 fragments (net/ipv4/ip_fragment.c).

use crate::types::NsId;
use crate::wire::checksum::checksum;
use crate::world::World;
use std::net::Ipv4Addr;

impl World {
    /// ip_defrag(): queues a fragment; returns the whole packet once complete.
    pub(crate) fn ip_defrag(&mut self, ns: NsId, pkt: Vec<u8>) -> Option<Vec<u8>> {
        let ihl = ((pkt[0] & 0x0f) as usize) * 4;
        let key = (
            Ipv4Addr::new(pkt[12], pkt[13], pkt[14], pkt[15]),
            Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]),
            u16::from_be_bytes([pkt[4], pkt[5]]),
            pkt[9],
        );
        let fo = u16::from_be_bytes([pkt[6], pkt[7]]);
        let off = (fo & 0x1fff) as usize * 8;
        let mf = fo & 0x2000 != 0;
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
                d.len() - (((d[0] & 0x0f) as usize) * 4)
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
        let h = ((whole[0] & 0x0f) as usize) * 4;
        for (_, _, d) in &parts[1..] {
            whole.extend_from_slice(d);
        }
        let total = whole.len() as u16;
        whole[2..4].copy_from_slice(&total.to_be_bytes());
        whole[6] &= 0x40;
        whole[7] = 0;
        whole[10] = 0;
        whole[11] = 0;
        let ck = checksum(&whole[..h]);
        whole[10..12].copy_from_slice(&ck.to_be_bytes());
        Some(whole)
    }
}
