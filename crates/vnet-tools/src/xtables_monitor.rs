//! `xtables-monitor --trace` (iptables 1.8.9, nf_tables): with iptables-nft,
//! `-j TRACE` sets the packet's nftrace bit, and the kernel reports every
//! rule and policy a traced packet meets in each base chain (NFT_MSG_TRACE);
//! this prints those events as the tool does: a `PACKET:` line with the
//! headers the first event of a chain carries, then one ` TRACE:` line per
//! event, with the rule looked up by its handle and printed in save syntax.

use crate::iptables::print::rule_save;
use crate::proc::{Io, Program, Step};
use crate::Cmd;
use std::fmt::Write;
use vnet_core::netfilter::eval::{TracePacket, TraceVerdict};
use vnet_core::netfilter::NfTrace;
use vnet_core::{NsId, World};

const VERSION: &str = "1.8.9";
/// NFPROTO_IPV4, the family every trace line starts with.
const FAMILY: u8 = 2;

fn usage() -> String {
    format!(
        "xtables-monitor {VERSION} (nf_tables)\n\
         Usage: xtables-monitor [ -t | -e ]\n        \
         --trace    -t    trace ruleset traversal of packets tagged via -j TRACE rule\n        \
         --event    -e    show events that modify the ruleset\n\
         Optional arguments:\n        \
         --ipv4     -4    only monitor IPv4\n        \
         --ipv6     -6    only monitor IPv6\n\
         \t--counters -c    show counters in rules\n"
    )
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let mut trace = false;
    let mut ipv6_only = false;
    for a in args {
        let flags: Vec<char> = match a.as_str() {
            "--trace" => vec!['t'],
            "--event" => vec!['e'],
            "--ipv4" => vec!['4'],
            "--ipv6" => vec!['6'],
            "--counters" => vec!['c'],
            "--version" => vec!['V'],
            "--help" => vec!['h'],
            s if s.starts_with("--") => vec!['?'],
            s if s.starts_with('-') && !s.starts_with("--") && s.len() > 1 => {
                s[1..].chars().collect()
            }
            _ => continue, // getopt leaves operands alone; the tool ignores them
        };
        for f in flags {
            match f {
                't' => trace = true,
                '4' => ipv6_only = false,
                '6' => ipv6_only = true,
                'c' => {}
                'e' => {
                    // Ruleset events would need every table change reported
                    // as it commits; vnet does not make them.
                    c.eprint("xtables-monitor: --event is not simulated by vnet\n");
                    return 1;
                }
                'h' => {
                    c.print(&usage());
                    return 0;
                }
                'V' => {
                    c.print(&format!("xtables-monitor {VERSION}\n"));
                    return 0;
                }
                _ => {
                    c.eprint(&format!(
                        "xtables-monitor {VERSION}: Bad argument.\n\
                         Try `xtables-monitor -h' for more information.\n"
                    ));
                    return 2;
                }
            }
        }
    }
    if !trace {
        c.print(&usage());
        return 1;
    }
    let ns = c.ns;
    c.m.world.nf_trace_listen(ns);
    c.run(Box::new(Monitor { ns, ipv6_only }))
}

/// The running monitor: prints the namespace's trace events as they come.
struct Monitor {
    ns: NsId,
    /// `-6`: IPv4 traces are filtered out (vnet traces IPv4 only).
    ipv6_only: bool,
}

impl Program for Monitor {
    fn poll(&mut self, w: &mut World, io: &mut Io) -> Step {
        let events = w.nf_trace_take(self.ns);
        if !self.ipv6_only {
            for e in &events {
                io.out
                    .extend_from_slice(event_text(w, self.ns, e).as_bytes());
            }
        }
        Step::Wait(None)
    }
    fn interrupt(&mut self, w: &mut World, io: &mut Io) -> i32 {
        self.poll(w, io);
        130 // no SIGINT handler: killed by the signal
    }
    fn endless(&self) -> bool {
        true
    }
    fn close(&mut self, w: &mut World) {
        w.nf_trace_unlisten(self.ns);
    }
}

/// One event's lines: the packet first if the event carries it.
fn event_text(w: &World, ns: NsId, e: &NfTrace) -> String {
    let mut s = String::new();
    let table = e.table.name();
    let step = &e.step;
    if let Some(p) = &step.packet {
        s += &packet_line(e.id, p);
    }
    let _ = write!(s, " TRACE: {FAMILY} {:08x} {table}:{}", e.id, step.chain);
    match step.rule {
        Some(handle) => {
            let _ = write!(s, ":rule:0x{handle:x}:{} ", verdict(&step.verdict));
            // The tool asks the kernel for the rule by its handle.
            let rule = w
                .ns(ns)
                .nf()
                .table(e.table)
                .and_then(|t| t.chain(&step.chain))
                .and_then(|c| c.rules.iter().find(|r| r.handle == handle));
            if let Some(r) = rule {
                let _ = write!(s, " -4 -t {table} -A {}{}", step.chain, rule_save(r, false));
            }
        }
        None => {
            let _ = write!(s, ":policy:{} ", verdict(&step.verdict));
        }
    }
    s.push('\n');
    s
}

fn verdict(v: &TraceVerdict) -> String {
    match v {
        TraceVerdict::Continue => "CONTINUE".into(),
        TraceVerdict::Accept => "ACCEPT".into(),
        TraceVerdict::Drop => "DROP".into(),
        TraceVerdict::Jump(c) => format!("JUMP:{c}"),
        TraceVerdict::Goto(c) => format!("GOTO:{c}"),
        // NFT_RETURN (-5), which the tool prints as a number.
        TraceVerdict::Return => "0xfffffffb".into(),
    }
}

/// ether_ntoa(): hex bytes without leading zeros.
fn ether_ntoa(m: &[u8]) -> String {
    m.iter()
        .map(|b| format!("{b:x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The `PACKET:` line: devices, link layer, IPv4 header, ports and flags.
fn packet_line(id: u32, p: &TracePacket) -> String {
    let mut s = format!("PACKET: {FAMILY} {id:08x} ");
    if !p.indev.is_empty() {
        let _ = write!(s, "IN={} ", p.indev);
    }
    if !p.outdev.is_empty() {
        let _ = write!(s, "OUT={} ", p.outdev);
    }
    if let Some(mac) = &p.mac {
        let _ = write!(
            s,
            "MACSRC={} MACDST={} MACPROTO={:04x} ",
            ether_ntoa(&mac[6..12]),
            ether_ntoa(&mac[0..6]),
            u16::from_be_bytes([mac[12], mac[13]])
        );
    }
    let h = &p.headers;
    if h.len() >= 20 {
        let frag = u16::from_be_bytes([h[6], h[7]]);
        let _ = write!(
            s,
            "SRC={}.{}.{}.{} DST={}.{}.{}.{} LEN={} TOS=0x{:x} TTL={} ID={} ",
            h[12],
            h[13],
            h[14],
            h[15],
            h[16],
            h[17],
            h[18],
            h[19],
            u16::from_be_bytes([h[2], h[3]]),
            h[1],
            h[8],
            u16::from_be_bytes([h[4], h[5]])
        );
        for (bit, name) in [(0x8000, "CE "), (0x4000, "DF "), (0x2000, "MF ")] {
            if frag & bit != 0 {
                s += name;
            }
        }
        if frag & 0x1fff != 0 {
            let _ = write!(s, "FRAG:{} ", frag & 0x1fff);
        }
        let ihl = usize::from(h[0] & 0x0f) * 4;
        if ihl > 20 {
            s += "OPT (";
            for b in h.get(20..ihl).unwrap_or_default() {
                let _ = write!(s, "{b:02X}");
            }
            s += ")";
        }
        let l4 = h.get(ihl..).unwrap_or_default();
        if frag & 0x1fff == 0 {
            transport(&mut s, h[9], l4);
        }
    }
    if p.mark != 0 {
        let _ = write!(s, "MARK=0x{:x} ", p.mark);
    }
    s.push('\n');
    s
}

fn transport(s: &mut String, proto: u8, l4: &[u8]) {
    let ports = |l4: &[u8]| {
        (
            u16::from_be_bytes([l4[0], l4[1]]),
            u16::from_be_bytes([l4[2], l4[3]]),
        )
    };
    match proto {
        // DCCP, UDP, UDP-Lite, SCTP.
        33 | 17 | 136 | 132 if l4.len() >= 4 => {
            let (sp, dp) = ports(l4);
            let _ = write!(s, "SPORT={sp} DPORT={dp} ");
        }
        6 if l4.len() >= 20 => {
            let (sp, dp) = ports(l4);
            let _ = write!(s, "SPORT={sp} DPORT={dp} ");
            let flags = l4[13];
            for (bit, name) in [
                (0x02, "SYN "),
                (0x10, "ACK "),
                (0x01, "FIN "),
                (0x04, "RST "),
                (0x08, "PSH "),
                (0x20, "URG "),
            ] {
                if flags & bit != 0 {
                    *s += name;
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A forwarded TCP SYN as the kernel's trace carries it.
    #[test]
    fn packet_line_reads_the_headers_as_the_tool_does() {
        let mut h = vec![
            0x45, 0x00, 0x00, 0x3c, // version/ihl, tos, total length 60
            0x2a, 0xfd, 0x40, 0x00, // id 11005, DF
            0x3f, 0x06, 0x00, 0x00, // ttl 63, tcp, checksum
            10, 2, 0, 2, // source
            10, 1, 0, 2, // destination
        ];
        h.extend_from_slice(&[0x98, 0xb8, 0x00, 0x51]); // ports 39096 > 81
        h.extend_from_slice(&[0; 9]);
        h.push(0x02); // SYN
        h.extend_from_slice(&[0; 6]);
        let mut mac = [0u8; 14];
        mac[..6].copy_from_slice(&[0xba, 0x62, 0xe8, 0x64, 0x6b, 0xc1]);
        mac[6..12].copy_from_slice(&[0xae, 0x0f, 0xd4, 0x04, 0x4d, 0x4b]);
        mac[12..].copy_from_slice(&[0x08, 0x00]);
        let p = TracePacket {
            indev: "vcr".into(),
            outdev: "vsr".into(),
            mac: Some(mac),
            headers: h,
            mark: 0x10,
        };
        assert_eq!(
            packet_line(0xeed2fcfb, &p),
            "PACKET: 2 eed2fcfb IN=vcr OUT=vsr MACSRC=ae:f:d4:4:4d:4b MACDST=ba:62:e8:64:6b:c1 \
             MACPROTO=0800 SRC=10.2.0.2 DST=10.1.0.2 LEN=60 TOS=0x0 TTL=63 ID=11005 DF \
             SPORT=39096 DPORT=81 SYN MARK=0x10 \n"
        );
    }
}
