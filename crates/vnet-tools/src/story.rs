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
use std::collections::{BTreeMap, BTreeSet};
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

/// Packets whose fate is pending are bounded: a filter that never sees a
/// packet's bytes (a packet dropped before it was built) lets its events
/// go after this many other packets.
const MAX_PENDING: usize = 4096;

/// Turns trace events into lines on a writer.
pub struct Story {
    format: Format,
    filter: Option<Filter>,
    fates: BTreeMap<PktId, Fate>,
    /// Packets kept: the ones their descendants are checked against.
    kept: BTreeSet<PktId>,
    printer: Printer,
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
            kept: BTreeSet::new(),
            printer: Printer::new(opts),
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
            if self.kept.contains(&cause) {
                self.kept.insert(t.pkt);
                self.fates.insert(t.pkt, Fate::Kept);
                self.write(t);
                return;
            }
        }
        let verdict = self.bytes(&t.ev).map(|(data, link)| {
            let f = self.filter.as_ref().expect("filter");
            f.matches(data, link)
        });
        let fate = self
            .fates
            .entry(t.pkt)
            .or_insert_with(|| Fate::Pending(Vec::new()));
        match (fate, verdict) {
            (Fate::Kept, _) => self.write(t),
            (Fate::Left, _) => {}
            (Fate::Pending(_), None) => {
                if let Some(Fate::Pending(q)) = self.fates.get_mut(&t.pkt) {
                    q.push(t.clone());
                }
                self.bound_pending();
            }
            (Fate::Pending(_), Some(keep)) => {
                let Some(Fate::Pending(q)) = self
                    .fates
                    .insert(t.pkt, if keep { Fate::Kept } else { Fate::Left })
                else {
                    return;
                };
                if keep {
                    self.kept.insert(t.pkt);
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

    /// Forgets the oldest undecided packets beyond `MAX_PENDING`.
    fn bound_pending(&mut self) {
        let pending = self
            .fates
            .values()
            .filter(|f| matches!(f, Fate::Pending(_)))
            .count();
        if pending > MAX_PENDING {
            let oldest = self
                .fates
                .iter()
                .find(|(_, f)| matches!(f, Fate::Pending(_)))
                .map(|(k, _)| *k);
            if let Some(k) = oldest {
                self.fates.insert(k, Fate::Left);
            }
        }
    }

    fn write(&mut self, t: &Traced) {
        let line = match self.format {
            Format::Text => self.text(t),
            Format::Json => self.json(t).to_string(),
        };
        let _ = writeln!(self.out, "{line}");
    }

    /// The one-line tcpdump form of a packet's bytes.
    fn packet(&mut self, data: &[u8], link: LinkType) -> String {
        let s = self.printer.format(data, link);
        s.lines().next().unwrap_or_default().to_string()
    }

    /// `[    1.000008] #3 r veth1 > IP 10.0.1.2 > 10.0.2.2: ICMP echo request, ...`
    pub fn text(&mut self, t: &Traced) -> String {
        let what = match &t.ev {
            Trace::Born { cause, .. } if *cause != PktId::NONE => {
                format!("{} new packet, caused by #{}", t.place, cause.0)
            }
            Trace::Born { .. } => format!("{} new packet", t.place),
            Trace::Built { packet, .. } => {
                format!("{} built {}", t.place, self.packet(packet, LinkType::Raw))
            }
            Trace::Rx {
                dev, frame, ether, ..
            }
            | Trace::Tx {
                dev, frame, ether, ..
            } => {
                let dir = if matches!(t.ev, Trace::Rx { .. }) {
                    "in"
                } else {
                    "out"
                };
                let link = if *ether {
                    LinkType::Ether
                } else {
                    LinkType::Raw
                };
                format!("{} {dev} {dir} {}", t.place, self.packet(frame, link))
            }
            _ => t.to_string(),
        };
        match t.pkt {
            PktId::NONE => format!("[{:>12.6}] {what}", t.at.as_secs_f64()),
            p => format!("[{:>12.6}] #{} {what}", t.at.as_secs_f64(), p.0),
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
                json!({ "packet": self.packet(packet, LinkType::Raw), "len": packet.len() }),
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
                    json!({ "dev": dev, "packet": self.packet(frame, link), "len": frame.len() }),
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
