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

/// Turns trace events into lines on a writer.
pub struct Story {
    format: Format,
    filter: Option<Filter>,
    fates: BTreeMap<PktId, Fate>,
    printer: Printer,
    /// The last packet formatted (its `text_key`) and its text: a packet
    /// is shown at every device it crosses, mostly with the same text.
    last: (Vec<u8>, LinkType, String),
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
            last: (Vec::new(), LinkType::Raw, String::new()),
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
        let mut line = match self.format {
            Format::Text => self.text(t),
            Format::Json => self.json(t).to_string(),
        };
        line.push('\n');
        let _ = self.out.write_all(line.as_bytes());
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
        if self.last.1 != link || !same_text(&self.last.0, data) {
            let mut line = self.printer.format(data, link);
            line.truncate(line.find('\n').unwrap_or(line.len()));
            self.last.0.clear();
            self.last.0.extend_from_slice(data);
            self.last.1 = link;
            self.last.2 = line;
        }
        &self.last.2
    }

    /// `[    1.000008] #3 r veth1 out IP 10.0.1.2 > 10.0.2.2: ICMP echo request, ...`
    pub fn text(&mut self, t: &Traced) -> String {
        use std::fmt::Write as _;
        let mut s = String::with_capacity(120);
        // The stamp in integers: a float's formatting was a tenth of the cost.
        let (sec, us) = (t.at.0 / 1_000_000_000, t.at.0 % 1_000_000_000 / 1000);
        let _ = write!(s, "[{sec:>5}.{us:06}] ");
        if t.pkt != PktId::NONE {
            let _ = write!(s, "#{} ", t.pkt.0);
        }
        match &t.ev {
            Trace::Born { cause, .. } => {
                s.push_str(&t.place);
                s.push_str(" new packet");
                if *cause != PktId::NONE {
                    let _ = write!(s, ", caused by #{}", cause.0);
                }
            }
            Trace::Built { packet, .. } => {
                s.push_str(&t.place);
                s.push_str(" built ");
                s.push_str(self.packet(packet, LinkType::Raw));
            }
            Trace::Rx {
                dev, frame, ether, ..
            }
            | Trace::Tx {
                dev, frame, ether, ..
            } => {
                s.push_str(&t.place);
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
            _ => {
                let _ = write!(s, "{t}");
            }
        }
        s
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
    use vnet_core::Time;

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
}
