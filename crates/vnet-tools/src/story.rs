//! A packet's story: the core's trace events as `vnet run --trace` prints
//! them. Each line names the packet (`#12`), the namespace as the person
//! running the lab calls it, and what happened; frames are shown in
//! tcpdump's one-line form. A tcpdump filter keeps only the packets it
//! matches and everything they caused (replies, ICMP errors, ARP requests).
//! `--trace-format=json` writes one JSON object per event (schema in the
//! README, "Trace schema").

use crate::tcpdump::filter::{self, Filter};
use crate::tcpdump::print::{FormatOpts, LinkType, Printer};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::Write;
use vnet_core::trace::{PktId, Trace, Traced};
use vnet_core::Time;

/// How events are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// What the filter has decided about a packet.
enum Fate {
    /// Not yet known: its events wait until its bytes are seen.
    Pending(Vec<Traced>),
    Kept,
    Left,
}

/// Packets whose fate is remembered: the oldest beyond this many are
/// forgotten, so a long run's memory stays bounded (an undecided packet's
/// events go with it; a packet made by a forgotten one is judged alone).
const MAX_REMEMBERED: usize = 16384;

/// Whether two IP packets print the same one-line text: all bytes equal
/// but the TTL (hop limit) and the IPv4 header checksum, which tcpdump
/// shows only with -v and forwarding changes at every hop.
fn same_text(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let skip: &[usize] = match a.first().map(|v| v >> 4) {
        Some(4) => &[8, 10, 11],
        Some(6) => &[7],
        _ => &[],
    };
    a.iter()
        .zip(b)
        .enumerate()
        .all(|(i, (x, y))| x == y || skip.contains(&i))
}

/// An IPv4 packet's bytes as its one-line text depends on them, where
/// tcpdump keeps no state about it (not TCP, whose relative sequence
/// numbers do): the packet up to its total length (an Ethernet frame's
/// padding is not shown), and whether the capture is shorter than that.
fn stateless_v4(d: &[u8]) -> Option<(&[u8], bool)> {
    if d.len() < 20 || d[0] >> 4 != 4 || d[9] == 6 {
        return None;
    }
    let len = u16::from_be_bytes([d[2], d[3]]) as usize;
    Some(match d.get(..len) {
        Some(p) if len >= 20 => (p, false),
        _ => (d, true),
    })
}

/// Whether two stateless IPv4 packets (`stateless_v4`) print the same
/// text: besides TTL and checksum, the IP id is shown only with -v (a
/// fragment's offset and flags are compared, the id is not).
fn same_text_v4(a: (&[u8], bool), b: (&[u8], bool)) -> bool {
    a.1 == b.1
        && a.0.len() == b.0.len()
        && a.0[..4] == b.0[..4]
        && a.0[6..8] == b.0[6..8]
        && a.0[9] == b.0[9]
        && a.0[12..] == b.0[12..]
}

/// Packets whose text is kept (several: packets in flight interleave).
const TEXTS: usize = 4;

/// Appends `n` in decimal, right-aligned in `width` columns by `pad`
/// (`{n:>5}`, `{n:06}`), without the formatting machinery: the trace
/// writes several numbers on every line.
fn push_num(s: &mut String, n: u64, width: usize, pad: u8) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for _ in (buf.len() - i)..width {
        s.push(pad as char);
    }
    for &d in &buf[i..] {
        s.push(d as char);
    }
}

/// Appends an address as its Display does (IPv4 by hand, as `push_num`).
fn push_ip(s: &mut String, ip: &std::net::IpAddr) {
    use std::fmt::Write as _;
    match ip {
        std::net::IpAddr::V4(a) => {
            for (k, o) in a.octets().into_iter().enumerate() {
                if k > 0 {
                    s.push('.');
                }
                if o >= 100 {
                    s.push((b'0' + o / 100) as char);
                }
                if o >= 10 {
                    s.push((b'0' + o / 10 % 10) as char);
                }
                s.push((b'0' + o % 10) as char);
            }
        }
        std::net::IpAddr::V6(a) => {
            let _ = write!(s, "{a}");
        }
    }
}

/// Turns trace events into lines on a writer.
pub struct Story {
    format: Format,
    filter: Option<Filter>,
    fates: BTreeMap<PktId, Fate>,
    printer: Printer,
    /// The packets formatted last (the latest first) and their text: a
    /// packet is shown at every device it crosses, mostly with the same text.
    texts: Vec<(Vec<u8>, LinkType, String)>,
    /// The line being written, kept to be reused.
    line: String,
    /// The last time stamp written and its text (`[    1.000008] `):
    /// the events of one moment are many.
    stamp: (Time, String),
    out: Box<dyn Write>,
}

impl Story {
    /// `filter`: tcpdump's expression language (`icmp and host 10.0.2.2`).
    pub fn new(format: Format, filter: Option<&str>, out: Box<dyn Write>) -> Result<Story, String> {
        let filter = match filter {
            Some(f) if !f.trim().is_empty() => {
                Some(filter::parse(f).map_err(|e| format!("trace filter: {}", e.0))?)
            }
            _ => None,
        };
        let opts = FormatOpts {
            nflag: 2,
            ..FormatOpts::default()
        };
        Ok(Story {
            format,
            filter,
            fates: BTreeMap::new(),
            printer: Printer::new(opts),
            texts: Vec::with_capacity(TEXTS),
            line: String::with_capacity(160),
            stamp: (Time(u64::MAX), String::new()),
            out,
        })
    }

    /// Takes one event from the core's tracer.
    pub fn event(&mut self, t: &Traced) {
        if self.filter.is_none() || t.pkt == PktId::NONE {
            self.write(t);
            return;
        }
        if let Trace::Born { cause, .. } = t.ev {
            if matches!(self.fates.get(&cause), Some(Fate::Kept)) {
                self.remember(t.pkt, Fate::Kept);
                self.write(t);
                return;
            }
        }
        let verdict = self.bytes(&t.ev).map(|(data, link)| {
            let f = self.filter.as_ref().expect("filter");
            f.matches(data, link)
        });
        if !self.fates.contains_key(&t.pkt) {
            self.remember(t.pkt, Fate::Pending(Vec::new()));
        }
        match (self.fates.get_mut(&t.pkt), verdict) {
            (None, _) | (Some(Fate::Left), _) => {}
            (Some(Fate::Kept), _) => self.write(t),
            (Some(Fate::Pending(q)), None) => q.push(t.clone()),
            (Some(Fate::Pending(_)), Some(keep)) => {
                let Some(Fate::Pending(q)) = self
                    .fates
                    .insert(t.pkt, if keep { Fate::Kept } else { Fate::Left })
                else {
                    return;
                };
                if keep {
                    for e in &q {
                        self.write(e);
                    }
                    self.write(t);
                }
            }
        }
    }

    /// The packet bytes an event shows, for the filter.
    fn bytes<'a>(&self, ev: &'a Trace) -> Option<(&'a [u8], LinkType)> {
        match ev {
            Trace::Built { packet, .. } => Some((packet, LinkType::Raw)),
            Trace::Rx { frame, ether, .. } | Trace::Tx { frame, ether, .. } => Some((
                frame,
                if *ether {
                    LinkType::Ether
                } else {
                    LinkType::Raw
                },
            )),
            _ => None,
        }
    }

    /// Records a packet's fate, forgetting the oldest beyond `MAX_REMEMBERED`.
    fn remember(&mut self, pkt: PktId, fate: Fate) {
        self.fates.insert(pkt, fate);
        if self.fates.len() > MAX_REMEMBERED {
            self.fates.pop_first();
        }
    }

    fn write(&mut self, t: &Traced) {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        match self.format {
            Format::Text => self.text_into(t, &mut line),
            Format::Json => line.push_str(&self.json(t).to_string()),
        }
        line.push('\n');
        let _ = self.out.write_all(line.as_bytes());
        self.line = line;
    }

    /// The one-line tcpdump form of a packet's bytes.
    fn packet(&mut self, data: &[u8], link: LinkType) -> &str {
        let (data, link) = match link {
            // Without -e the link header is not printed: an IP frame reads
            // as its packet does.
            LinkType::Ether if matches!(data.get(12..14), Some([0x08, 0x00] | [0x86, 0xdd])) => {
                (&data[14..], LinkType::Raw)
            }
            l => (data, l),
        };
        let v4 = (link == LinkType::Raw)
            .then(|| stateless_v4(data))
            .flatten();
        let hit = match v4 {
            // Any kept text: printing these packets changes no state.
            Some(k) => self.texts.iter().position(|(d, l, _)| {
                *l == link && stateless_v4(d).is_some_and(|e| same_text_v4(e, k))
            }),
            // Only the last formatted, as tcpdump's state might have moved.
            None => self
                .texts
                .first()
                .filter(|(d, l, _)| *l == link && same_text(d, data))
                .map(|_| 0),
        };
        let i = match hit {
            Some(i) => i,
            None => {
                let mut line = self.printer.format(data, link);
                line.truncate(line.find('\n').unwrap_or(line.len()));
                let mut e = if self.texts.len() >= TEXTS {
                    self.texts.pop().expect("full")
                } else {
                    (Vec::new(), link, String::new())
                };
                e.0.clear();
                e.0.extend_from_slice(data);
                e.1 = link;
                e.2 = line;
                self.texts.insert(0, e);
                0
            }
        };
        &self.texts[i].2
    }

    /// `[    1.000008] #3 r veth1 out IP 10.0.1.2 > 10.0.2.2: ICMP echo request, ...`
    pub fn text(&mut self, t: &Traced) -> String {
        let mut s = String::with_capacity(120);
        self.text_into(t, &mut s);
        s
    }

    /// The line of `text`, appended to `s`.
    /// The commonest events are written by hand, as `Traced`'s Display
    /// words them (a test holds the two equal); the rest through Display.
    fn text_into(&mut self, t: &Traced, s: &mut String) {
        use std::fmt::Write as _;
        if self.stamp.0 != t.at {
            let (sec, us) = (t.at.0 / 1_000_000_000, t.at.0 % 1_000_000_000 / 1000);
            let st = &mut self.stamp.1;
            st.clear();
            st.push('[');
            push_num(st, sec, 5, b' ');
            st.push('.');
            push_num(st, us, 6, b'0');
            st.push_str("] ");
            self.stamp.0 = t.at;
        }
        s.push_str(&self.stamp.1);
        if t.pkt != PktId::NONE {
            s.push('#');
            push_num(s, t.pkt.0, 0, b' ');
            s.push(' ');
        }
        let p = &t.place;
        match &t.ev {
            Trace::Born { cause, .. } => {
                s.push_str(p);
                s.push_str(" new packet");
                if *cause != PktId::NONE {
                    s.push_str(", caused by #");
                    push_num(s, cause.0, 0, b' ');
                }
            }
            Trace::Built { packet, .. } => {
                s.push_str(p);
                s.push_str(" built ");
                s.push_str(self.packet(packet, LinkType::Raw));
            }
            Trace::Rx {
                dev, frame, ether, ..
            }
            | Trace::Tx {
                dev, frame, ether, ..
            } => {
                s.push_str(p);
                s.push(' ');
                s.push_str(dev);
                s.push_str(if matches!(t.ev, Trace::Rx { .. }) {
                    " in "
                } else {
                    " out "
                });
                let link = if *ether {
                    LinkType::Ether
                } else {
                    LinkType::Raw
                };
                s.push_str(self.packet(frame, link));
            }
            Trace::RouteLookup {
                dst, result, rule, ..
            } => {
                s.push_str(p);
                s.push_str(" route ");
                push_ip(s, dst);
                s.push_str(": ");
                s.push_str(result);
                if let Some(r) = rule {
                    s.push_str(" (rule ");
                    s.push_str(r);
                    s.push(')');
                }
            }
            Trace::Forward { src, dst, out, .. } => {
                s.push_str(p);
                s.push_str(" forward ");
                push_ip(s, src);
                s.push_str(" -> ");
                push_ip(s, dst);
                s.push_str(" out ");
                s.push_str(out);
            }
            Trace::LocalDeliver {
                src, dst, proto, ..
            } => {
                s.push_str(p);
                s.push_str(" deliver ");
                push_ip(s, src);
                s.push_str(" -> ");
                push_ip(s, dst);
                s.push_str(" proto ");
                push_num(s, *proto as u64, 0, b' ');
            }
            Trace::Neigh { dev, ip, state, .. } => {
                s.push_str(p);
                s.push(' ');
                s.push_str(dev);
                s.push_str(": neigh ");
                push_ip(s, ip);
                s.push(' ');
                s.push_str(state.name());
            }
            _ => {
                let _ = write!(s, "{t}");
            }
        }
    }

    /// The event as one JSON object (see the README's "Trace schema").
    pub fn json(&mut self, t: &Traced) -> Value {
        let mut o = Map::new();
        o.insert("t".into(), json!(t.at.as_secs_f64()));
        o.insert("pkt".into(), json!(t.pkt.0));
        o.insert("ns".into(), json!(t.place));
        let (kind, fields) = match &t.ev {
            Trace::Born { cause, .. } => ("born", json!({ "cause": cause.0 })),
            Trace::Built { packet, .. } => (
                "built",
                json!({ "packet": self.packet(packet, LinkType::Raw).to_string(), "len": packet.len() }),
            ),
            Trace::Rx {
                dev, frame, ether, ..
            }
            | Trace::Tx {
                dev, frame, ether, ..
            } => {
                let link = if *ether {
                    LinkType::Ether
                } else {
                    LinkType::Raw
                };
                let kind = if matches!(t.ev, Trace::Rx { .. }) {
                    "rx"
                } else {
                    "tx"
                };
                (
                    kind,
                    json!({ "dev": dev, "packet": self.packet(frame, link).to_string(), "len": frame.len() }),
                )
            }
            Trace::FdbLearn {
                bridge, mac, port, ..
            } => (
                "fdb_learn",
                json!({ "bridge": bridge, "mac": mac.to_string(), "port": port }),
            ),
            Trace::FdbLookup {
                bridge, mac, port, ..
            } => (
                "fdb_lookup",
                json!({ "bridge": bridge, "mac": mac.to_string(), "port": port }),
            ),
            Trace::Flood { bridge, ports, .. } => {
                ("flood", json!({ "bridge": bridge, "ports": ports }))
            }
            Trace::RouteLookup {
                dst,
                table,
                result,
                rule,
                ..
            } => (
                "route",
                json!({ "dst": dst.to_string(), "table": table, "route": result, "rule": rule }),
            ),
            Trace::Neigh { dev, ip, state, .. } => (
                "neigh",
                json!({ "dev": dev, "ip": ip.to_string(), "state": state.name() }),
            ),
            Trace::IcmpSend {
                to,
                icmp_type,
                code,
                ..
            } => (
                "icmp_send",
                json!({ "to": to.to_string(), "type": icmp_type, "code": code }),
            ),
            Trace::LocalDeliver {
                src, dst, proto, ..
            } => (
                "deliver",
                json!({ "src": src.to_string(), "dst": dst.to_string(), "proto": proto }),
            ),
            Trace::Forward { src, dst, out, .. } => (
                "forward",
                json!({ "src": src.to_string(), "dst": dst.to_string(), "out": out }),
            ),
            Trace::Netfilter {
                family,
                hook,
                table,
                chain,
                rule,
                text,
                verdict,
                tried,
                ..
            } => (
                "netfilter",
                json!({ "family": family, "hook": hook, "table": table, "chain": chain,
                        "rule": rule, "text": text, "verdict": verdict, "tried": tried }),
            ),
            Trace::Conntrack {
                hook, state, reply, ..
            } => (
                "conntrack",
                json!({ "hook": hook, "state": state, "reply": reply }),
            ),
            Trace::Nat {
                hook,
                kind,
                before,
                after,
                ..
            } => (
                "nat",
                json!({ "hook": hook, "kind": kind, "before": before, "after": after }),
            ),
            Trace::Drop {
                dev,
                reason,
                kernel_reason,
                counter,
                detail,
                ..
            } => (
                "drop",
                json!({ "dev": dev, "reason": format!("{reason:?}"),
                        "kernel_reason": kernel_reason, "counter": counter, "detail": detail }),
            ),
            Trace::Tunnel {
                dev,
                encap,
                outer_src,
                outer_dst,
                ..
            } => (
                "tunnel",
                json!({ "dev": dev, "encap": encap, "outer_src": outer_src.to_string(),
                        "outer_dst": outer_dst.to_string() }),
            ),
        };
        o.insert("event".into(), json!(kind));
        if let Value::Object(m) = fields {
            o.extend(m);
        }
        Value::Object(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_filtered_run_remembers_a_bounded_number_of_packets() {
        let mut s = Story::new(Format::Text, Some("icmp"), Box::new(std::io::sink())).unwrap();
        for p in 1..=(MAX_REMEMBERED as u64 * 3) {
            // Packets the filter never sees the bytes of stay undecided.
            s.event(&Traced {
                at: Time::ZERO,
                pkt: PktId(p),
                place: "a".into(),
                ev: Trace::Born {
                    ns: 0,
                    cause: PktId::NONE,
                },
            });
        }
        assert_eq!(s.fates.len(), MAX_REMEMBERED);
        assert!(!s.fates.contains_key(&PktId(1)), "the oldest are forgotten");
    }

    #[test]
    fn the_hand_written_lines_read_as_the_events_display() {
        use std::net::IpAddr;
        use vnet_core::neigh::NudState;
        let v4: IpAddr = "10.0.2.2".parse().unwrap();
        let v6: IpAddr = "fe80::1".parse().unwrap();
        let evs = [
            Trace::RouteLookup {
                ns: 0,
                dst: v4,
                table: Some(254),
                result: "default via 10.0.1.1 dev veth0".into(),
                rule: None,
            },
            Trace::RouteLookup {
                ns: 0,
                dst: v6,
                table: None,
                result: "no route".into(),
                rule: Some("32766: from all lookup main".into()),
            },
            Trace::Forward {
                ns: 0,
                src: "192.168.100.255".parse().unwrap(),
                dst: v4,
                out: "veth2".into(),
            },
            Trace::LocalDeliver {
                ns: 0,
                src: v6,
                dst: "::".parse().unwrap(),
                proto: 58,
            },
            Trace::Neigh {
                ns: 0,
                dev: "eth0".into(),
                ip: "0.0.0.0".parse().unwrap(),
                state: NudState::Incomplete,
            },
            Trace::Born {
                ns: 0,
                cause: PktId(1234567),
            },
        ];
        let mut s = Story::new(Format::Text, None, Box::new(std::io::sink())).unwrap();
        for (k, ev) in evs.into_iter().enumerate() {
            for (at, pkt) in [
                (Time(0), PktId::NONE),
                (Time(123_456_789_012_345), PktId(k as u64 + 90)),
            ] {
                let t = Traced {
                    at,
                    pkt,
                    place: "h2:qrouter-1".into(),
                    ev: ev.clone(),
                };
                let (sec, us) = (at.0 / 1_000_000_000, at.0 % 1_000_000_000 / 1000);
                let id = match pkt.0 {
                    0 => String::new(),
                    n => format!("#{n} "),
                };
                assert_eq!(s.text(&t), format!("[{sec:>5}.{us:06}] {id}{t}"));
            }
        }
    }

    #[test]
    fn a_packet_reads_the_same_with_another_ip_id_or_ethernet_padding() {
        let mut s = Story::new(Format::Text, None, Box::new(std::io::sink())).unwrap();
        // IPv4 UDP 10.0.1.2.1024 > 10.0.2.2.5000, 4 bytes of payload.
        let mut p = vec![
            0x45, 0, 0, 32, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0, 10, 0, 1, 2, 10, 0, 2, 2, 4, 0,
            0x13, 0x88, 0, 12, 0, 0, 1, 2, 3, 4,
        ];
        let a = s.packet(&p, LinkType::Raw).to_string();
        assert_eq!(a, "IP 10.0.1.2.1024 > 10.0.2.2.5000: UDP, length 4");
        p[4] = 0x99;
        p.extend_from_slice(&[0; 6]);
        assert_eq!(s.packet(&p, LinkType::Raw), a);
        // Another port is another text.
        p[21] = 1;
        assert_eq!(
            s.packet(&p, LinkType::Raw),
            "IP 10.0.1.2.1025 > 10.0.2.2.5000: UDP, length 4"
        );
        // A later fragment's offset is compared: it reads otherwise.
        p[21] = 0;
        p[7] = 1;
        assert_eq!(
            s.packet(&p, LinkType::Raw),
            "IP 10.0.1.2 > 10.0.2.2: ip-proto-17"
        );
    }
}
