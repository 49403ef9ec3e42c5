//! The LOG target's lines as the kernel prints them (nf_log_syslog.c), and
//! the kernel log they go to.

use crate::types::NsId;
use crate::wire::ipv4::{Ipv4Hdr, IP_CE, IP_DF, IP_MF, IP_OFFSET};
use crate::wire::ipv6;
use crate::world::World;
use std::net::Ipv4Addr;

/// The line LOG writes (nf_log_syslog's dump_ipv4_packet), without the
/// timestamp dmesg adds.
/// `flags` are LOG's XT_LOG_* bits: TCPSEQ 1, UID 8, MACDECODE 0x20.
#[allow(clippy::too_many_arguments)]
pub fn log_line(
    prefix: &str,
    flags: u8,
    indev: &str,
    outdev: &str,
    mac: Option<&[u8]>,
    p: &[u8],
    mark: u32,
    sk_owner: bool,
) -> String {
    use std::fmt::Write;
    let mut s = format!("{prefix}IN={indev} OUT={outdev} ");
    if let (Some(h), false) = (mac, indev.is_empty()) {
        let hex = |b: &[u8]| {
            b.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":")
        };
        if flags & 0x20 != 0 {
            let _ = write!(
                s,
                "MACSRC={} MACDST={} MACPROTO={:02x}{:02x} ",
                hex(&h[6..12]),
                hex(&h[..6]),
                h[12],
                h[13]
            );
        } else {
            let _ = write!(s, "MAC={} ", hex(h));
        }
    }
    if p.first().is_some_and(|b| b >> 4 == 6) {
        dump_ipv6(&mut s, p, true, flags);
    } else {
        dump_ipv4(&mut s, p, true, flags);
    }
    // nf_log_dump_sk_uid_gid(): only a full socket with a file has an
    // owner to show (programs in vnet run as root).
    if flags & 0x08 != 0 && sk_owner {
        s.push_str("UID=0 GID=0 ");
    }
    if mark != 0 {
        let _ = write!(s, "MARK=0x{mark:x} ");
    }
    s
}

fn dump_ipv4(s: &mut String, p: &[u8], outer: bool, flags: u8) {
    use std::fmt::Write;
    let Some(iph) = Ipv4Hdr::new(p) else {
        s.push_str("TRUNCATED");
        return;
    };
    // TOS is IPTOS_TOS(), PREC IPTOS_PREC(), of iph->tos.
    let _ = write!(
        s,
        "SRC={} DST={} LEN={} TOS=0x{:02X} PREC=0x{:02X} TTL={} ID={} ",
        iph.src(),
        iph.dst(),
        iph.total_len(),
        iph.tos() & 0x1e,
        iph.tos() & 0xe0,
        iph.ttl(),
        iph.id(),
    );
    let fo = iph.frag_off();
    if fo & IP_CE != 0 {
        s.push_str("CE ");
    }
    if fo & IP_DF != 0 {
        s.push_str("DF ");
    }
    if fo & IP_MF != 0 {
        s.push_str("MF ");
    }
    if fo & IP_OFFSET != 0 {
        let _ = write!(s, "FRAG:{} ", fo & IP_OFFSET);
        return;
    }
    let l4 = iph.payload();
    let be = |i: usize| u16::from_be_bytes([l4[i], l4[i + 1]]);
    if dump_tcp_udp(s, iph.protocol(), l4, flags) {
        return;
    }
    match iph.protocol() {
        1 => {
            s.push_str("PROTO=ICMP ");
            if l4.len() < 4 {
                let _ = write!(s, "INCOMPLETE [{} bytes] ", l4.len());
                return;
            }
            let _ = write!(s, "TYPE={} CODE={} ", l4[0], l4[1]);
            match l4[0] {
                0 | 8 if l4.len() >= 8 => {
                    let _ = write!(s, "ID={} SEQ={} ", be(4), be(6));
                }
                3 | 4 | 5 | 11 | 12 if outer && l4.len() >= 8 => {
                    if l4[0] == 5 {
                        let _ = write!(s, "GATEWAY={} ", Ipv4Addr::new(l4[4], l4[5], l4[6], l4[7]));
                    }
                    if l4[0] == 12 {
                        let _ = write!(s, "PARAMETER={} ", l4[4]);
                    }
                    s.push('[');
                    dump_ipv4(s, &l4[8..], false, flags);
                    s.push_str("] ");
                    if l4[0] == 3 && l4[1] == 4 {
                        let _ = write!(s, "MTU={} ", be(6));
                    }
                }
                _ => {}
            }
        }
        n => {
            let _ = write!(s, "PROTO={n} ");
        }
    }
}

/// The TCP or UDP part of a LOG line (the same for both IP versions);
/// false for other protocols.
fn dump_tcp_udp(s: &mut String, proto: u8, l4: &[u8], flags: u8) -> bool {
    use std::fmt::Write;
    let be = |i: usize| u16::from_be_bytes([l4[i], l4[i + 1]]);
    match proto {
        6 => {
            s.push_str("PROTO=TCP ");
            if l4.len() < 20 {
                let _ = write!(s, "INCOMPLETE [{} bytes] ", l4.len());
                return true;
            }
            let _ = write!(s, "SPT={} DPT={} ", be(0), be(2));
            if flags & 0x01 != 0 {
                let u32at = |i: usize| u32::from_be_bytes([l4[i], l4[i + 1], l4[i + 2], l4[i + 3]]);
                let _ = write!(s, "SEQ={} ACK={} ", u32at(4), u32at(8));
            }
            let _ = write!(s, "WINDOW={} RES=0x{:02x} ", be(14), l4[12] & 0x0f);
            for (bit, name) in [
                (0x80, "CWR"),
                (0x40, "ECE"),
                (0x20, "URG"),
                (0x10, "ACK"),
                (0x08, "PSH"),
                (0x04, "RST"),
                (0x02, "SYN"),
                (0x01, "FIN"),
            ] {
                if l4[13] & bit != 0 {
                    let _ = write!(s, "{name} ");
                }
            }
            let _ = write!(s, "URGP={} ", be(18));
        }
        17 => {
            s.push_str("PROTO=UDP ");
            if l4.len() < 8 {
                let _ = write!(s, "INCOMPLETE [{} bytes] ", l4.len());
                return true;
            }
            let _ = write!(s, "SPT={} DPT={} LEN={} ", be(0), be(2), be(4));
        }
        _ => return false,
    }
    true
}

/// nf_log_syslog's dump_ipv6_packet(): the header, the fragment offset of
/// a fragment, then the upper layer as for IPv4 (ICMPv6 quoting the packet
/// of an error once).
fn dump_ipv6(s: &mut String, p: &[u8], outer: bool, flags: u8) {
    use std::fmt::Write;
    if p.len() < ipv6::IPV6_HLEN {
        s.push_str("TRUNCATED");
        return;
    }
    let _ = write!(
        s,
        "SRC={} DST={} LEN={} TC={} HOPLIMIT={} FLOWLBL={} ",
        ipv6::hdr_src(p),
        ipv6::hdr_dst(p),
        usize::from(ipv6::payload_len(p)) + ipv6::IPV6_HLEN,
        ipv6::traffic_class(p),
        ipv6::hop_limit(p),
        ipv6::flow_label(p)
    );
    let (off, proto, frag) = ipv6::find_hdr(p);
    if frag != 0 {
        let _ = write!(s, "FRAG:{frag} ");
        return;
    }
    let l4 = &p[off..];
    if dump_tcp_udp(s, proto, l4, flags) {
        return;
    }
    if proto != 58 {
        let _ = write!(s, "PROTO={proto} ");
        return;
    }
    s.push_str("PROTO=ICMPv6 ");
    if l4.len() < 4 {
        let _ = write!(s, "INCOMPLETE [{} bytes] ", l4.len());
        return;
    }
    let _ = write!(s, "TYPE={} CODE={} ", l4[0], l4[1]);
    let be = |i: usize| u16::from_be_bytes([l4[i], l4[i + 1]]);
    match l4[0] {
        128 | 129 if l4.len() >= 8 => {
            let _ = write!(s, "ID={} SEQ={} ", be(4), be(6));
        }
        1..=4 if outer && l4.len() >= 8 => {
            if l4[0] == 4 {
                let _ = write!(
                    s,
                    "POINTER={:08x} ",
                    u32::from_be_bytes([l4[4], l4[5], l4[6], l4[7]])
                );
            }
            s.push('[');
            dump_ipv6(s, &l4[8..], false, flags);
            s.push_str("] ");
            if l4[0] == 2 {
                let _ = write!(
                    s,
                    "MTU={} ",
                    u32::from_be_bytes([l4[4], l4[5], l4[6], l4[7]])
                );
            }
        }
        _ => {}
    }
}

impl World {
    /// Appends LOG lines to the kernel log. Only the initial namespace logs
    /// unless net.netfilter.nf_log_all_netns is set (nf_log_syslog).
    pub(crate) fn nf_log(&mut self, ns: NsId, lines: Vec<String>) {
        const INIT: NsId = 0;
        if ns != INIT
            && self
                .ns(INIT)
                .sysctl
                .get_int("net.netfilter.nf_log_all_netns")
                == 0
        {
            return;
        }
        for l in lines {
            self.printk(&l);
        }
    }

    /// printk(): a line in the kernel log, which is one for the whole machine
    /// (it lives with the initial namespace), stamped with the uptime.
    pub fn printk(&mut self, line: &str) {
        let t = self.now.0;
        let l = format!(
            "[{:>5}.{:06}] {line}",
            t / 1_000_000_000,
            (t % 1_000_000_000) / 1000
        );
        let log = &mut self.ns_mut(0).dmesg;
        log.push(l);
        // The kernel's log is a ring (CONFIG_LOG_BUF_SHIFT=18 on Debian:
        // 256 KiB): the oldest lines go. Checked now and then, as a line
        // is some 100 bytes.
        if log.len().is_multiple_of(256) {
            let mut total: usize = log.iter().map(|l| l.len() + 1).sum();
            let mut drop = 0;
            while total > LOG_BUF_LEN {
                total -= log[drop].len() + 1;
                drop += 1;
            }
            log.drain(..drop);
        }
    }
}

/// The size of the kernel's log buffer (`dmesg` shows at most this much).
const LOG_BUF_LEN: usize = 256 << 10;

#[cfg(test)]
mod tests {
    #[test]
    fn the_kernel_log_is_a_ring() {
        let mut w = crate::World::new(1);
        for i in 0..20_000 {
            w.printk(&format!("line {i} {}", "x".repeat(80)));
        }
        let log = w.ns(0).dmesg();
        let bytes: usize = log.iter().map(|l| l.len() + 1).sum();
        // At most the buffer and the lines since the last check.
        assert!(bytes <= super::LOG_BUF_LEN + 256 * 120, "{bytes}");
        assert!(log.last().is_some_and(|l| l.contains("line 19999 ")));
        assert!(!log.iter().any(|l| l.contains("line 0 ")));
    }
}
