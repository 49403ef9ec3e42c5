//! `vnet explain`: why a packet does (or does not) get through.
//!
//! A probe is sent on a copy of the lab by the tool a person would use
//! (`ping -c 1`, `nc -z`, `nc -u`) in the source namespace, with a tracer
//! collecting every trace event; the events are then read back packet by
//! packet ([`index`]): the probe is the first packet the source sent to
//! the destination, its answer the packet the destination's kernel made
//! for it. [`verdict`] turns where they ended into one line that names the
//! namespace and the decisive stage; [`hint`] adds the well-known trap it
//! looks like; the journey lists each namespace and device they crossed
//! with the decisions on the way.
//!
//! [`watch`] does the same for every packet a script's command sent
//! (`vnet run --explain`).

pub mod hint;
pub mod index;
pub mod verdict;
pub mod watch;

use crate::story::{Format, Story};
use crate::tcpdump::print::{FormatOpts, LinkType, Printer};
use crate::Machine;
use index::{Index, Kind, ICMP, TCP, UDP};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::rc::Rc;
use verdict::{Expect, Verdict};
use vnet_core::trace::{PktId, Trace, Traced};
use vnet_core::{NsId, Time, World};

/// What to send.
#[derive(Clone, Debug)]
pub struct Probe {
    /// The source namespace as the person names it: `h1`, `host`, `h2:ns1`.
    pub src: String,
    pub dst: Ipv4Addr,
    /// 1 (icmp), 6 (tcp) or 17 (udp).
    pub proto: u8,
    /// The destination port for tcp and udp.
    pub port: Option<u16>,
    /// ICMP payload bytes (`ping -s`); DF is set as ping sets it.
    pub size: Option<usize>,
    /// The probe's TTL (`ping -t`).
    pub ttl: Option<u8>,
    /// How long to wait for the answer (virtual time).
    pub wait: Time,
}

impl Probe {
    pub fn new(src: &str, dst: Ipv4Addr) -> Probe {
        Probe {
            src: src.into(),
            dst,
            proto: ICMP,
            port: None,
            size: None,
            ttl: None,
            wait: Time::from_secs(5),
        }
    }

    /// The command line that sends it.
    pub fn argv(&self) -> Vec<String> {
        let secs = self.wait.0.div_ceil(1_000_000_000).max(1).to_string();
        let dst = self.dst.to_string();
        let mut v: Vec<String> = match self.proto {
            TCP => vec!["nc".into(), "-z".into(), "-w".into(), secs],
            UDP => vec!["nc".into(), "-u".into(), "-w".into(), "1".into()],
            _ => vec!["ping".into(), "-c".into(), "1".into(), "-W".into(), secs],
        };
        if self.proto == ICMP {
            if let Some(s) = self.size {
                v.extend(["-s".into(), s.to_string()]);
            }
            if let Some(t) = self.ttl {
                v.extend(["-t".into(), t.to_string()]);
            }
            v.push(dst);
        } else {
            v.push(dst);
            v.push(self.port.unwrap_or(default_port(self.proto)).to_string());
        }
        v
    }
}

/// The port probed when none is given: http for tcp, dns for udp.
pub fn default_port(proto: u8) -> u16 {
    match proto {
        TCP => 80,
        _ => 53,
    }
}

/// One step of the journey.
#[derive(Clone, Debug)]
pub struct Step {
    /// probe, answer, arp, error.
    pub role: &'static str,
    pub event: usize,
}

/// What `vnet explain` prints.
pub struct Explanation {
    pub verdict: Verdict,
    pub journey: Vec<Step>,
    /// Steps left out of a long journey (a storm).
    pub more: usize,
    pub index: Index,
    /// What the sending tool printed, for the JSON.
    pub tool: (i32, String, String),
    pub argv: Vec<String>,
}

/// Events kept at most: a storm stops being recorded there (the verdict
/// has what it needs long before).
const MAX_EVENTS: usize = 200_000;

/// Kernel events a probe may take: a normal one takes a few hundred.
const MAX_RUN_EVENTS: u64 = 300_000;

/// Floods beyond which the lab is in a broadcast storm.
pub const STORM_FLOODS: usize = 1000;

/// A storm's verdict: the bridges that flooded most, and their namespace.
fn storm(ix: &Index) -> Option<Verdict> {
    let mut count: BTreeMap<(String, String), usize> = BTreeMap::new();
    for t in &ix.events {
        if let Trace::Flood { bridge, .. } = &t.ev {
            *count.entry((t.place.clone(), bridge.clone())).or_default() += 1;
        }
    }
    if count.values().sum::<usize>() < STORM_FLOODS {
        return None;
    }
    let mut v: Vec<((String, String), usize)> = count.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1));
    let place = v[0].0 .0.clone();
    let bridges: Vec<String> = v
        .iter()
        .filter(|((p, _), n)| *p == place && *n * 10 >= v[0].1)
        .map(|((_, b), _)| b.clone())
        .collect();
    let line = format!(
        "storm in {place}: broadcasts go round {} for ever (a bridge loop without STP); the probe drowned in it",
        bridges.join(", ")
    );
    Some(Verdict::new(
        verdict::Outcome::Storm,
        Some(place),
        Some(bridges.join(",")),
        line,
    ))
}

/// Steps the journey shows at most.
const MAX_STEPS: usize = 400;

/// The namespace a person means by `name`: `host`, an `ip netns` name, a
/// host's name (its root), `HOST:NS`.
pub fn find_ns(w: &World, name: &str) -> Option<NsId> {
    let ids: Vec<NsId> = w.netns_iter().map(|n| n.id()).collect();
    if let Some(id) = ids.iter().find(|id| w.ns_label(**id) == name) {
        return Some(*id);
    }
    // The first host's namespaces go without their host's name (which is
    // also `host`, as its root namespace is labelled).
    let (h, local) = name.split_once(':')?;
    let first = w.host_names().into_iter().next()?;
    if h != first && h != "host" {
        return None;
    }
    ids.into_iter().find(|id| w.ns_label(*id) == local)
}

/// The names [`find_ns`] knows, for an error message.
pub fn ns_names(w: &World) -> Vec<String> {
    w.netns_iter().map(|n| w.ns_label(n.id())).collect()
}

/// Sends `p` in `world` (a copy of the lab: it is consumed) and explains it.
pub fn explain(world: World, p: &Probe) -> Result<Explanation, String> {
    let Some(ns) = find_ns(&world, &p.src) else {
        return Err(format!(
            "no namespace '{}' in the lab (it has: {})",
            p.src,
            ns_names(&world).join(", ")
        ));
    };
    let events = Rc::new(RefCell::new(Vec::new()));
    let mut world = world;
    let sink = events.clone();
    world.set_tracer(Some(Box::new(move |t: &Traced| {
        let mut v = sink.borrow_mut();
        if v.len() < MAX_EVENTS {
            v.push(t.clone());
        }
    })));
    let mut m = Machine::new(world, Box::new(std::io::sink()));
    m.stderr = Box::new(std::io::sink());
    // A storm would run the probe's whole wait at millions of events per
    // virtual second: the event budget ends it (see `storm`).
    m.set_budget(p.wait + Time::from_secs(60), MAX_RUN_EVENTS);
    let argv = p.argv();
    let stdin = (p.proto == UDP).then(|| b"vnet explain probe\n".to_vec());
    let (st, out, err) = m.exec_in(ns, &argv, stdin);
    // What is due shortly after (a neighbour giving up, an error on its way).
    let until = m.world.now() + Time::from_secs(1);
    m.world.advance(until);
    m.kill_all();
    m.world.set_tracer(None);
    let events = std::mem::take(&mut *events.borrow_mut());
    let ix = Index::new(events);
    let expect = Expect {
        ns,
        dst: p.dst,
        proto: p.proto,
        port: p.port.or((p.proto != ICMP).then(|| default_port(p.proto))),
    };
    let err_s = String::from_utf8_lossy(&err).into_owned();
    let probe = find_probe(&ix, &expect);
    let mut verdict = match probe {
        Some(id) => verdict::judge(&ix, &m.world, &expect, id),
        None => verdict::not_sent(&m.world, &expect, &err_s),
    };
    if !verdict.delivered() {
        if let Some(s) = storm(&ix) {
            let hints = std::mem::take(&mut verdict.hints);
            let (probe, answer) = (verdict.probe, verdict.answer);
            verdict = s;
            verdict.hints = hints;
            verdict.probe = probe;
            verdict.answer = answer;
        }
    }
    let (journey, more) = journey(&ix, &verdict);
    Ok(Explanation {
        verdict,
        journey,
        more,
        index: ix,
        tool: (st, String::from_utf8_lossy(&out).into_owned(), err_s),
        argv,
    })
}

/// The probe: the first packet the source namespace sent to the
/// destination with the expected protocol.
fn find_probe(ix: &Index, e: &Expect) -> Option<PktId> {
    ix.roots_in(Some(e.ns))
        .into_iter()
        .find(|id| match ix.ip(*id) {
            Some(ip) => {
                ip.dst == e.dst
                    && ip.proto == e.proto
                    && (e.proto != ICMP || ip.icmp.is_some_and(|(t, _)| t == 8))
            }
            None => false,
        })
}

/// The steps worth showing: the probe's and the answer's events, the ARP
/// exchanges and ICMP errors they caused.
fn journey(ix: &Index, v: &Verdict) -> (Vec<Step>, usize) {
    let mut roles: BTreeMap<PktId, &'static str> = BTreeMap::new();
    let add_family =
        |root: PktId, role: &'static str, roles: &mut BTreeMap<PktId, &'static str>| {
            roles.insert(root, role);
            let mut stack = vec![(root, 0)];
            while let Some((id, depth)) = stack.pop() {
                if depth > 3 {
                    continue;
                }
                for c in ix.children(id) {
                    if roles.contains_key(c) || Some(*c) == v.answer {
                        continue;
                    }
                    let r = match ix.pkt(*c).map(|p| p.kind) {
                        Some(Kind::Arp) => "arp",
                        Some(Kind::Ip(_)) | Some(Kind::Unseen) => "error",
                        _ => continue,
                    };
                    roles.insert(*c, r);
                    stack.push((*c, depth + 1));
                }
            }
        };
    if let Some(p) = v.probe {
        add_family(p, "probe", &mut roles);
    }
    if let Some(a) = v.answer {
        add_family(a, "answer", &mut roles);
    }
    let mut steps = Vec::new();
    let mut more = 0;
    for (i, t) in ix.events.iter().enumerate() {
        let Some(role) = roles.get(&t.pkt) else {
            continue;
        };
        if matches!(t.ev, Trace::Born { .. }) {
            continue;
        }
        // An ARP exchange shows as its frames leaving: the request, the
        // reply, and whatever dropped them.
        if *role == "arp" && matches!(t.ev, Trace::Rx { .. } | Trace::Neigh { .. }) {
            continue;
        }
        if steps.len() < MAX_STEPS {
            steps.push(Step { role, event: i });
        } else {
            more += 1;
        }
    }
    (steps, more)
}

impl Explanation {
    pub fn delivered(&self) -> bool {
        self.verdict.delivered()
    }

    /// The verdict line, the journey, the hints.
    pub fn text(&self) -> String {
        let mut s = format!("{}\n", self.verdict.line);
        if !self.journey.is_empty() {
            s.push_str("journey:\n");
            let width = self
                .journey
                .iter()
                .map(|st| self.index.events[st.event].place.len())
                .max()
                .unwrap_or(0);
            let mut shown: BTreeMap<PktId, String> = BTreeMap::new();
            let mut printer = Printer::new(FormatOpts {
                nflag: 2,
                ..FormatOpts::default()
            });
            for st in &self.journey {
                let t = &self.index.events[st.event];
                let what = step_text(t, &mut printer, &mut shown);
                s.push_str(&format!("  {:<6} {:<width$}  {what}\n", st.role, t.place));
            }
            if self.more > 0 {
                s.push_str(&format!("  … {} more steps\n", self.more));
            }
        } else {
            let (st, _, err) = &self.tool;
            if !err.trim().is_empty() {
                s.push_str(&format!(
                    "{} said: {} (exit {st})\n",
                    self.argv.first().map(|a| a.as_str()).unwrap_or(""),
                    err.trim()
                ));
            }
        }
        for h in &self.verdict.hints {
            s.push_str(&format!("hint: {h}\n"));
        }
        s
    }

    /// The verdict and the journey as one JSON object.
    pub fn json(&self) -> Value {
        let mut story = match Story::new(Format::Json, None, Box::new(std::io::sink())) {
            Ok(s) => s,
            Err(_) => return Value::Null,
        };
        let steps: Vec<Value> = self
            .journey
            .iter()
            .map(|st| {
                let mut v = story.json(&self.index.events[st.event]);
                if let Value::Object(o) = &mut v {
                    o.insert("role".into(), json!(st.role));
                }
                v
            })
            .collect();
        let v = &self.verdict;
        json!({
            "verdict": v.line,
            "outcome": v.outcome.name(),
            "delivered": v.delivered(),
            "ns": v.place,
            "stage": v.stage,
            "probe": v.probe.map(|p| p.0),
            "answer": v.answer.map(|p| p.0),
            "command": self.argv.join(" "),
            "journey": steps,
            "more_steps": self.more,
            "hints": v.hints,
        })
    }
}

/// One event of the journey in words; a packet's tcpdump line is shown
/// where it is built and wherever it has changed (NAT, encapsulation).
fn step_text(t: &Traced, printer: &mut Printer, shown: &mut BTreeMap<PktId, String>) -> String {
    let mut line = |data: &[u8], link: LinkType| -> Option<String> {
        let s = printer.format(data, link);
        let s = s.lines().next().unwrap_or_default().to_string();
        let changed = shown.get(&t.pkt) != Some(&s);
        shown.insert(t.pkt, s.clone());
        changed.then_some(s)
    };
    match &t.ev {
        Trace::Built { packet, .. } => {
            format!("built {}", line(packet, LinkType::Raw).unwrap_or_default())
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
            match line(frame, link) {
                Some(p) => format!("{dev} {dir}  {p}"),
                None => format!("{dev} {dir}"),
            }
        }
        Trace::Drop { dev, reason, .. } => {
            let on = dev.as_ref().map(|d| format!(" on {d}")).unwrap_or_default();
            format!("DROP{on}: {}", verdict::reason_text(*reason))
        }
        _ => {
            // The plain form without its leading place.
            let s = t.to_string();
            s.strip_prefix(&format!("{} ", t.place))
                .map(str::to_string)
                .unwrap_or(s)
        }
    }
}
