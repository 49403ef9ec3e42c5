//! The verdict: what happened to a probe and its answer, as one line that
//! names the namespace and the decisive stage (the netfilter table/chain
//! and rule, the route, the device), read from the trace events alone
//! plus read-only looks at the lab (a chain's rule count, a table's
//! default route, a sysctl).
//!
//! Read first: [`judge`]. A packet's `Fate` is where its own events end
//! (delivered, dropped with a reason, bounced with an ICMP error, never
//! built because no route took it, or lost on the way); the probe's fate
//! decides unless it was delivered, and then its answer's fate does.

use super::index::{Index, Ip, Kind, ICMP, TCP, TCP_RST, TCP_SYN, UDP};
use std::net::{IpAddr, Ipv4Addr};
use vnet_core::neigh::NudState;
use vnet_core::trace::{DropReason, PktId, Trace, Traced};
use vnet_core::{NsId, World};

/// How the probe ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It arrived and the answer came back (or a datagram reached a socket).
    Delivered,
    /// A netfilter rule, a route, a device or the neighbour layer dropped it.
    Dropped,
    /// A REJECT rule answered it with an error.
    Rejected,
    /// It arrived, and the destination answered that nothing listens.
    Refused,
    /// It arrived, but no answer came back.
    NoReply,
    /// The sender could not send it at all (connect or sendmsg failed).
    NotSent,
    /// A broadcast storm (a bridge loop without STP) swamped the lab.
    Storm,
    /// Its trail ends without a reason within the time waited.
    Lost,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Dropped => "dropped",
            Outcome::Rejected => "rejected",
            Outcome::Refused => "refused",
            Outcome::NoReply => "no reply",
            Outcome::NotSent => "not sent",
            Outcome::Storm => "storm",
            Outcome::Lost => "lost",
        }
    }
}

/// The verdict: one line, and its parts for tests and JSON.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub outcome: Outcome,
    /// The namespace where it was decided.
    pub place: Option<String>,
    /// The stage that decided: `filter/FORWARD`, `routing`, `ip_forward`,
    /// `neighbour`, a device.
    pub stage: Option<String>,
    /// The line as printed.
    pub line: String,
    /// The trap this looks like, when it is a well-known one.
    pub hints: Vec<String>,
    /// The probe and the answer, when there were any.
    pub probe: Option<PktId>,
    pub answer: Option<PktId>,
}

impl Verdict {
    pub fn delivered(&self) -> bool {
        self.outcome == Outcome::Delivered
    }
    pub fn new(
        outcome: Outcome,
        place: Option<String>,
        stage: Option<String>,
        line: String,
    ) -> Self {
        Verdict {
            outcome,
            place,
            stage,
            line,
            hints: Vec::new(),
            probe: None,
            answer: None,
        }
    }
}

/// Where a packet's own events end.
#[derive(Clone, Copy, Debug)]
enum Fate {
    /// Handed to the local protocol at its last destination (event index).
    Delivered(usize),
    /// Dropped: the decisive Drop event.
    Dropped(usize),
    /// Refused by the forwarding path with an ICMP error and no drop
    /// event (fragmentation needed): the IcmpSend event.
    Bounced(usize),
    /// Born but never built: no route took it on the way out.
    Unbuilt,
    /// Its events end without a reason: the last one.
    Lost(Option<usize>),
}

/// Drops that a flooded copy meets on the way to the wrong place: they
/// decide only when nothing else does.
fn incidental(r: DropReason) -> bool {
    matches!(
        r,
        DropReason::NotForUs | DropReason::FdbSamePort | DropReason::NoCarrier
    )
}

fn fate(ix: &Index, id: PktId) -> Fate {
    let evs: Vec<(usize, &Traced)> = ix.events_of(id).collect();
    let proto = ix.ip(id).map(|i| i.proto);
    let mut delivered = None;
    let mut drop = None;
    let mut weak_drop = None;
    let mut bounced = None;
    let mut built = false;
    for (k, (i, t)) in evs.iter().enumerate() {
        match &t.ev {
            Trace::Built { .. } | Trace::Tx { .. } | Trace::Rx { .. } => built = true,
            Trace::LocalDeliver { ns, proto: p, .. } if Some(*p) == proto || proto.is_none() => {
                // The outer packet of a tunnel is delivered to be decapsulated.
                let decap = evs[k + 1..]
                    .iter()
                    .find(|(_, e)| e.ev.ns() == *ns)
                    .is_some_and(|(_, e)| matches!(e.ev, Trace::Tunnel { encap: false, .. }));
                if !decap {
                    delivered = Some(*i);
                }
            }
            // ip_route_output failed: the packet was never built.
            Trace::Drop {
                reason: DropReason::OutNoRoute,
                ..
            } => {}
            Trace::Drop { reason, .. } if incidental(*reason) => {
                weak_drop.get_or_insert(*i);
            }
            Trace::Drop { .. } => {
                drop.get_or_insert(*i);
            }
            Trace::IcmpSend { icmp_type: 3, .. } | Trace::IcmpSend { icmp_type: 11, .. } => {
                bounced.get_or_insert(*i);
            }
            _ => {}
        }
    }
    if let Some(d) = delivered {
        Fate::Delivered(d)
    } else if let Some(d) = drop {
        Fate::Dropped(d)
    } else if let Some(b) = bounced {
        Fate::Bounced(b)
    } else if !built {
        Fate::Unbuilt
    } else if let Some(d) = weak_drop {
        Fate::Dropped(d)
    } else {
        Fate::Lost(evs.last().map(|(i, _)| *i))
    }
}

/// A packet in words: `echo request`, `SYN`, `echo reply`, `RST`…
pub fn what(ip: &Ip) -> String {
    match (ip.proto, ip.icmp, ip.tcp_flags) {
        (ICMP, Some((8, _)), _) => "echo request".into(),
        (ICMP, Some((0, _)), _) => "echo reply".into(),
        (ICMP, Some((3, c)), _) => format!("{} unreachable", unreach_name(c)),
        (ICMP, Some((11, _)), _) => "time exceeded".into(),
        (ICMP, Some((t, _)), _) => format!("ICMP type {t}"),
        (TCP, _, Some(f)) if f & TCP_RST != 0 => "RST".into(),
        (TCP, _, Some(f)) if f & TCP_SYN != 0 && f & 0x10 != 0 => "SYN-ACK".into(),
        (TCP, _, Some(f)) if f & TCP_SYN != 0 => "SYN".into(),
        (TCP, _, _) => "TCP segment".into(),
        (UDP, _, _) => "datagram".into(),
        (p, _, _) => format!("IP proto {p} packet"),
    }
}

fn unreach_name(code: u8) -> &'static str {
    match code {
        0 => "net",
        1 => "host",
        2 => "protocol",
        3 => "port",
        4 => "fragmentation-needed",
        9 | 10 | 13 => "admin-prohibited",
        _ => "destination",
    }
}

/// What the probe's sender asked for.
#[derive(Clone, Copy, Debug)]
pub struct Expect {
    pub ns: NsId,
    pub dst: Ipv4Addr,
    pub proto: u8,
    pub port: Option<u16>,
}

/// The verdict on probe `probe` (a packet `expect.ns` sent to `expect.dst`).
pub fn judge(ix: &Index, w: &World, expect: &Expect, probe: PktId) -> Verdict {
    let mut v = match fate(ix, probe) {
        Fate::Delivered(at) => delivered(ix, w, expect, probe, at),
        f => undelivered(ix, w, probe, f, ""),
    };
    v.probe = Some(probe);
    super::hint::add(ix, w, &mut v);
    v
}

/// The verdict when the sender could not send: `connect()` or `sendmsg()`
/// failed with `err` (the tool's message) before any packet was built.
pub fn not_sent(w: &World, expect: &Expect, err: &str) -> Verdict {
    let place = w.ns_label(expect.ns);
    let dst = expect.dst;
    let lower = err.to_ascii_lowercase();
    if lower.contains("network is unreachable") || lower.contains("no route") {
        let line = format!(
            "not sent: {place} has no route to {dst} ({})",
            table_note(w, expect.ns)
        );
        return Verdict::new(Outcome::NotSent, Some(place), Some("routing".into()), line);
    }
    if lower.contains("invalid argument") || lower.contains("permission denied") {
        if let Some(r) = lookup(w, expect.ns, dst) {
            let route = route_text(w, expect.ns, r);
            let line = format!(
                "not sent: {place} routes {dst} to `{route}` (table {})",
                table_name(r.table)
            );
            return Verdict::new(Outcome::NotSent, Some(place), Some("routing".into()), line);
        }
    }
    let msg = err.trim().lines().next().unwrap_or("").to_string();
    let line = format!("not sent: {place} could not send to {dst} ({msg})");
    Verdict::new(Outcome::NotSent, Some(place), None, line)
}

/// The probe arrived: the answer decides.
fn delivered(ix: &Index, w: &World, expect: &Expect, probe: PktId, at: usize) -> Verdict {
    let t = &ix.events[at];
    let place = t.place.clone();
    let dst_ns = t.ev.ns();
    let (to, from) = match t.ev {
        Trace::LocalDeliver { src, dst, .. } => (dst, src),
        _ => (IpAddr::V4(expect.dst), IpAddr::V4(expect.dst)),
    };
    let pip = ix.ip(probe);
    // The answer: what the destination's kernel made for the probe.
    let answer = ix.children(probe).iter().copied().find(|c| {
        ix.pkt(*c).is_some_and(|p| {
            p.born_ns == Some(dst_ns) && matches!(p.kind, Kind::Ip(_) | Kind::Unseen)
        })
    });
    let Some(answer) = answer else {
        return no_answer(w, expect, &place, dst_ns, to, pip);
    };
    let aip = ix.ip(answer);
    let aname = aip.map(|a| what(&a)).unwrap_or_else(|| "answer".into());
    let refusal = aip
        .is_some_and(|a| a.tcp_flags.is_some_and(|f| f & TCP_RST != 0) || a.icmp == Some((3, 3)));
    let port = pip.and_then(|p| p.ports).map(|(_, d)| d).or(expect.port);
    let proto = match expect.proto {
        TCP => "tcp",
        _ => "udp",
    };
    match fate(ix, answer) {
        Fate::Delivered(back) if ix.events[back].ev.ns() == expect.ns => {
            let via = via(ix, answer, expect.ns, dst_ns);
            let mut v = if refusal {
                let line = format!(
                    "refused: {to} in {place} has nothing listening on {proto} port {} ({aname} back {via})",
                    port.unwrap_or(0)
                );
                Verdict::new(Outcome::Refused, Some(place), Some("socket".into()), line)
            } else {
                let line = format!("delivered: {to} answered ({aname} back {via})");
                Verdict::new(Outcome::Delivered, Some(place), None, line)
            };
            v.answer = Some(answer);
            v
        }
        Fate::Unbuilt => {
            let line = format!(
                "no reply: {to} in {place} has no route back to {from} ({})",
                table_note(w, dst_ns)
            );
            let mut v = Verdict::new(Outcome::NoReply, Some(place), Some("routing".into()), line);
            v.answer = Some(answer);
            v
        }
        f => {
            let mut v = undelivered(
                ix,
                w,
                answer,
                f,
                &format!("no reply: the {aname} from {to} "),
            );
            v.outcome = Outcome::NoReply;
            v.answer = Some(answer);
            v
        }
    }
}

/// The probe arrived and its destination made nothing in answer.
fn no_answer(
    w: &World,
    expect: &Expect,
    place: &str,
    dst_ns: NsId,
    to: IpAddr,
    pip: Option<Ip>,
) -> Verdict {
    let sysctl = |k: &str| live(w, dst_ns).and_then(|n| n.sysctl().get(k, &[]));
    match expect.proto {
        UDP => {
            let port = pip.and_then(|p| p.ports).map(|(_, d)| d).unwrap_or(0);
            let line =
                format!("delivered: {to} in {place} received the datagram on udp port {port}");
            Verdict::new(Outcome::Delivered, Some(place.into()), None, line)
        }
        ICMP if sysctl("net.ipv4.icmp_echo_ignore_all").as_deref() == Some("1") => {
            let line = format!(
                "no reply: {to} in {place} ignores echo requests (net.ipv4.icmp_echo_ignore_all=1)"
            );
            Verdict::new(
                Outcome::NoReply,
                Some(place.into()),
                Some("icmp".into()),
                line,
            )
        }
        _ => {
            let line = format!("no reply: {to} in {place} got the probe and sent nothing back");
            Verdict::new(Outcome::NoReply, Some(place.into()), None, line)
        }
    }
}

/// The namespaces an answer crossed between its two ends: `via r`, or
/// `directly`.
fn via(ix: &Index, id: PktId, from: NsId, to: NsId) -> String {
    let mut seen: Vec<String> = Vec::new();
    for (_, t) in ix.events_of(id) {
        let ns = t.ev.ns();
        if ns == from || ns == to || !matches!(t.ev, Trace::Rx { .. }) {
            continue;
        }
        if !seen.contains(&t.place) {
            seen.push(t.place.clone());
        }
    }
    if seen.is_empty() {
        "directly".into()
    } else {
        format!("via {}", seen.join(", "))
    }
}

/// A packet that did not arrive: where and why. `prefix` names it when it
/// is an answer (`no reply: the echo reply from 10.0.2.2 `).
fn undelivered(ix: &Index, w: &World, id: PktId, f: Fate, prefix: &str) -> Verdict {
    let dropped = if prefix.is_empty() {
        "dropped".to_string()
    } else {
        format!("{prefix}was dropped")
    };
    match f {
        Fate::Dropped(at) => dropped_at(ix, w, id, at, &dropped, prefix),
        Fate::Bounced(at) => {
            let t = &ix.events[at];
            let (ty, code) = match t.ev {
                Trace::IcmpSend {
                    icmp_type, code, ..
                } => (icmp_type, code),
                _ => (0, 0),
            };
            let ip = ix.ip(id);
            let detail = match (ty, code) {
                (3, 4) => {
                    let mtu = out_mtu(ix, w, id, at);
                    format!(
                        "{} bytes with DF set do not fit the next hop's mtu{} (fragmentation needed sent back)",
                        ip.map(|i| i.len).unwrap_or(0),
                        mtu.map(|(d, m)| format!(" {m} of {d}")).unwrap_or_default()
                    )
                }
                (11, _) => "TTL exceeded (time exceeded sent back)".into(),
                (t, c) => format!("ICMP type {t} code {c} sent back"),
            };
            let line = format!("{dropped} in {} at ip_forward: {detail}", t.place);
            Verdict::new(
                Outcome::Dropped,
                Some(t.place.clone()),
                Some("ip_forward".into()),
                line,
            )
        }
        Fate::Unbuilt => {
            let born = ix
                .events_of(id)
                .next()
                .map(|(_, t)| (t.place.clone(), t.ev.ns()));
            let (place, ns) = born.unwrap_or_default();
            let dst = ix.ip(id).map(|i| i.dst.to_string()).unwrap_or_default();
            let line = format!(
                "{dropped} in {place} at routing: no route to {dst} ({})",
                table_note(w, ns)
            );
            Verdict::new(Outcome::Dropped, Some(place), Some("routing".into()), line)
        }
        Fate::Lost(last) => lost(ix, w, id, last, prefix),
        Fate::Delivered(at) => {
            // Delivered, but not where it was going (an answer arriving
            // in another namespace).
            let t = &ix.events[at];
            let line = format!("{prefix}went to {} instead", t.place);
            Verdict::new(Outcome::Lost, Some(t.place.clone()), None, line)
        }
    }
}

/// The device and mtu a packet was going out of when it bounced.
fn out_mtu(ix: &Index, w: &World, id: PktId, at: usize) -> Option<(String, u32)> {
    let ns = ix.events[at].ev.ns();
    let ip = ix.ip(id)?;
    let r = lookup(w, ns, ip.dst)?;
    let d = live(w, ns)?.dev(r.dev?)?;
    Some((d.name.clone(), d.mtu))
}

/// The decisive event before a drop: the netfilter verdict, the route, …
fn dropped_at(ix: &Index, w: &World, id: PktId, at: usize, dropped: &str, prefix: &str) -> Verdict {
    let t = &ix.events[at];
    let (ns, place) = (t.ev.ns(), t.place.clone());
    let (dev, reason) = match &t.ev {
        Trace::Drop { dev, reason, .. } => (dev.clone(), *reason),
        _ => (None, DropReason::Netfilter),
    };
    let before = || {
        ix.events_of(id)
            .take_while(|(i, _)| *i < at)
            .filter(|(_, e)| e.ev.ns() == ns)
            .map(|(_, e)| e)
            .collect::<Vec<_>>()
    };
    let ip = ix.ip(id);
    let dst = ip.map(|i| i.dst.to_string()).unwrap_or_default();
    let mk = |outcome, stage: &str, detail: String| {
        let line = format!("{dropped} in {place} at {stage}: {detail}");
        Verdict::new(outcome, Some(place.clone()), Some(stage.to_string()), line)
    };
    match reason {
        DropReason::Netfilter => {
            let nf = before().into_iter().rev().find_map(|e| match &e.ev {
                Trace::Netfilter {
                    table,
                    chain,
                    rule,
                    text,
                    verdict,
                    tried,
                    ..
                } if matches!(verdict.as_str(), "DROP" | "REJECT") => Some((
                    *table,
                    chain.clone(),
                    *rule,
                    text.clone(),
                    verdict.clone(),
                    *tried,
                )),
                _ => None,
            });
            match nf {
                Some((table, chain, rule, text, verdict, tried)) => {
                    let stage = format!("{table}/{chain}");
                    let detail = match rule {
                        Some(n) => format!("rule {n} ({text})"),
                        None => format!(
                            "policy {verdict}, no rule matched ({tried} rule{} tried)",
                            if tried == 1 { "" } else { "s" }
                        ),
                    };
                    let rejected = verdict == "REJECT";
                    let mut v = if rejected && prefix.is_empty() {
                        let line = format!("rejected in {place} at {stage}: {detail}");
                        Verdict::new(Outcome::Rejected, Some(place.clone()), Some(stage), line)
                    } else {
                        mk(Outcome::Dropped, &stage, detail)
                    };
                    let invalid = text.contains("INVALID")
                        && before().iter().any(|e| {
                            matches!(
                                e.ev,
                                Trace::Conntrack {
                                    state: "INVALID",
                                    ..
                                }
                            )
                        });
                    if invalid {
                        v.line.push_str(" [conntrack INVALID]");
                    }
                    v
                }
                None => {
                    // The drop's own account of what decided (conntrack's
                    // drops, a verdict without its chain's event).
                    if let Trace::Drop {
                        detail: Some(d), ..
                    } = &t.ev
                    {
                        let (stage, rest) = d.split_once(' ').unwrap_or((d.as_str(), ""));
                        return mk(Outcome::Dropped, stage, rest.to_string());
                    }
                    let hook = hook_guess(&before());
                    mk(
                        Outcome::Dropped,
                        &format!("netfilter/{hook}"),
                        format!("a rule or policy of the {hook} hook dropped it"),
                    )
                }
            }
        }
        DropReason::RpFilter | DropReason::MartianSource => {
            let d = dev.clone().unwrap_or_default();
            let src = ip.map(|i| i.src.to_string()).unwrap_or_default();
            let detail = if reason == DropReason::MartianSource {
                format!("martian source {src} arriving on {d} (one of {place}'s own addresses, or no unicast route back)")
            } else {
                let (v, key) = conf4_max(w, ns, &d, "rp_filter");
                let mode = if v == 1 { "strict" } else { "loose" };
                let back = ip
                    .and_then(|i| lookup(w, ns, i.src))
                    .and_then(|r| r.dev)
                    .and_then(|i| live(w, ns)?.dev(i).map(|x| x.name.clone()));
                match back {
                    Some(b) => format!(
                        "{key}={v} ({mode}): {src} arrived on {d}, but the route back to it leaves by {b}"
                    ),
                    None => format!("{key}={v} ({mode}): {src} arrived on {d}, and there is no route back to it"),
                }
            };
            mk(Outcome::Dropped, "rp_filter", detail)
        }
        DropReason::ForwardingDisabled => mk(
            Outcome::Dropped,
            "ip_forward",
            "forwarding is off (net.ipv4.ip_forward=0)".into(),
        ),
        DropReason::NoRoute
        | DropReason::Blackhole
        | DropReason::Unreachable
        | DropReason::Prohibit => {
            let route = before().into_iter().rev().find_map(|e| match &e.ev {
                Trace::RouteLookup { result, table, .. } => Some((result.clone(), *table)),
                _ => None,
            });
            let detail = match (reason, route) {
                (DropReason::NoRoute, _) => format!("no route to {dst} ({})", table_note(w, ns)),
                (_, Some((r, table))) if !r.is_empty() && !r.starts_with("unicast") => {
                    format!(
                        "{dst} matches `{r}`{}",
                        table
                            .map(|t| format!(" (table {})", table_name(t)))
                            .unwrap_or_default()
                    )
                }
                _ => match ip.and_then(|i| lookup(w, ns, i.dst)) {
                    Some(r) => format!(
                        "{dst} matches `{}` (table {})",
                        route_text(w, ns, r),
                        table_name(r.table)
                    ),
                    None => format!("{dst}: {}", reason_text(reason)),
                },
            };
            mk(Outcome::Dropped, "routing", detail)
        }
        DropReason::TtlExceeded => mk(
            Outcome::Dropped,
            "ip_forward",
            format!(
                "TTL exceeded (it arrived with ttl {}; time exceeded sent back)",
                ttl_here(ix, id, at).unwrap_or(1)
            ),
        ),
        DropReason::NeighFailed | DropReason::NeighQueueFull => {
            let (nh, odev) = neigh_target(ix, id, ns, at);
            let who = nh
                .map(|a| a.to_string())
                .unwrap_or_else(|| "the next hop".into());
            let on = odev
                .or(dev.clone())
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            let detail = format!("{who} did not answer ARP{on} ({})", arp_fate(ix, w, id, nh));
            mk(Outcome::Dropped, "neighbour", detail)
        }
        DropReason::DevDown => {
            let d = dev.clone().unwrap_or_default();
            mk(Outcome::Dropped, &d, "the device is down".into())
        }
        DropReason::NoCarrier => {
            let d = dev.clone().unwrap_or_default();
            mk(
                Outcome::Dropped,
                &d,
                "no carrier (the other end of the link is down)".into(),
            )
        }
        DropReason::PortNotForwarding => {
            let d = dev.clone().unwrap_or_default();
            let br = bridge_of(w, ns, &d).unwrap_or_else(|| "bridge".into());
            mk(
                Outcome::Dropped,
                &br,
                format!(
                    "port {d} is not in the forwarding state ({})",
                    port_state(w, ns, &d)
                ),
            )
        }
        DropReason::VxlanNoTarget => {
            let d = dev.clone().unwrap_or_else(|| "vxlan".into());
            mk(
                Outcome::Dropped,
                &d,
                "no fdb entry for the destination MAC and no default remote (SKB_DROP_REASON_NO_TX_TARGET)".into(),
            )
        }
        DropReason::TunnelNoMatch => {
            let outer = before().into_iter().rev().find_map(|e| match e.ev {
                Trace::LocalDeliver { proto, .. } => Some(proto),
                _ => None,
            });
            let tun = match outer {
                Some(47) => "gre",
                Some(4) => "ipip",
                Some(41) => "sit",
                _ => "tunnel",
            };
            mk(
                Outcome::Dropped,
                &format!("{tun} receive"),
                "no tunnel matches the encapsulated packet (its remote, local or key differ)"
                    .into(),
            )
        }
        DropReason::NoSocket => mk(
            Outcome::Refused,
            "socket",
            format!("nothing listens there ({})", reason_text(reason)),
        ),
        r => {
            let stage = dev.clone().unwrap_or_else(|| "kernel".into());
            mk(Outcome::Dropped, &stage, reason_text(r))
        }
    }
}

/// Where a netfilter drop without its decision event happened, from the
/// events before it.
fn hook_guess(before: &[&Traced]) -> &'static str {
    match before.iter().rev().find_map(|e| match e.ev {
        Trace::Forward { .. } => Some("FORWARD"),
        Trace::RouteLookup { .. } => Some("INPUT"),
        Trace::Built { .. } => Some("OUTPUT"),
        Trace::Rx { .. } => Some("PREROUTING"),
        _ => None,
    }) {
        Some(h) => h,
        None => "OUTPUT",
    }
}

/// The TTL a packet had when it reached the event `at`'s namespace.
fn ttl_here(ix: &Index, id: PktId, at: usize) -> Option<u8> {
    let ns = ix.events[at].ev.ns();
    ix.events_of(id)
        .take_while(|(i, _)| *i < at)
        .filter(|(_, t)| t.ev.ns() == ns)
        .find_map(|(_, t)| match super::index::event_kind(&t.ev) {
            Some(Kind::Ip(ip)) => Some(ip.ttl),
            _ => None,
        })
}

/// The neighbour a packet waited for in `ns`: the ARP request it caused
/// there, and its device.
fn neigh_target(ix: &Index, id: PktId, ns: NsId, at: usize) -> (Option<Ipv4Addr>, Option<String>) {
    for c in ix.children(id) {
        for (_, t) in ix.events_of(*c) {
            if let Trace::Tx {
                ns: n, dev, frame, ..
            } = &t.ev
            {
                if *n == ns {
                    if let Some(a) = arp_target(frame) {
                        return (Some(a), Some(dev.clone()));
                    }
                }
            }
        }
    }
    // No request of its own: it queued behind another packet's.
    let neigh = ix.events[..at].iter().rev().find_map(|t| match &t.ev {
        Trace::Neigh {
            ns: n,
            dev,
            ip: IpAddr::V4(a),
            state: NudState::Incomplete | NudState::Failed,
        } if *n == ns => Some((*a, dev.clone())),
        _ => None,
    });
    match neigh {
        Some((a, d)) => (Some(a), Some(d)),
        None => (None, None),
    }
}

/// A conf knob as a device sees it, with the key that decides it: the
/// larger of `all` and the device's own (IN_DEV_MAXCONF).
pub fn conf4_max(w: &World, ns: NsId, dev: &str, knob: &str) -> (i64, String) {
    let Some(n) = live(w, ns) else {
        return (0, String::new());
    };
    let read = |d: &str| {
        let key = format!("net.ipv4.conf.{d}.{knob}");
        let v = n
            .sysctl()
            .get(&key, &[dev])
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0i64);
        (v, key)
    };
    let (all, own) = (read("all"), read(dev));
    if own.0 >= all.0 && own.0 != 0 {
        own
    } else {
        all
    }
}

/// Why the owner of `tip` kept quiet when a request for it came in on
/// `dev`: arp_ignore (as net/ipv4/arp.c's arp_ignore() decides) or
/// arp_filter (the route back to the asker leaves by another device).
fn arp_silence(w: &World, ns: NsId, dev: &str, tip: Ipv4Addr) -> Option<String> {
    let n = live(w, ns)?;
    let ifindex = n.ifindex_of(dev)?;
    let (ignore, key) = conf4_max(w, ns, dev, "arp_ignore");
    let on_dev = n
        .addrs4()
        .iter()
        .any(|a| a.ifindex == ifindex && a.local == tip);
    let why = match ignore {
        1 if !on_dev => Some(format!("{tip} is not on {dev}")),
        2 if !on_dev => Some(format!("{tip} is not on {dev}")),
        2 => Some(format!("the asker is not in a subnet of {dev} with {tip}")),
        3 => Some(format!("{tip} has scope host")),
        8 => Some("it never answers".to_string()),
        _ => None,
    };
    if let Some(why) = why {
        return Some(format!("{key}={ignore} ({why})"));
    }
    let (filter, key) = conf4_max(w, ns, dev, "arp_filter");
    (filter != 0).then(|| format!("{key}=1 (the route back to the asker leaves by another device)"))
}

/// The address an ARP request asks for.
pub fn arp_target(frame: &[u8]) -> Option<Ipv4Addr> {
    if frame.get(12..14)? != [0x08, 0x06] || frame.get(20..22)? != [0, 1] {
        return None;
    }
    let t = frame.get(38..42)?;
    Some(Ipv4Addr::new(t[0], t[1], t[2], t[3]))
}

/// What became of the ARP requests for `nh`: dropped on the way (a
/// vxlan without a target, a link down), not passed by a bridge port,
/// nobody has the address, or its owner heard and stayed silent.
fn arp_fate(ix: &Index, w: &World, id: PktId, nh: Option<Ipv4Addr>) -> String {
    let Some(nh) = nh else {
        return "no reply".into();
    };
    let requests: Vec<PktId> = ix
        .children(id)
        .iter()
        .copied()
        .filter(|c| ix.pkt(*c).is_some_and(|p| p.kind == Kind::Arp))
        .collect();
    let owner = w
        .netns_iter()
        .find(|n| n.addrs4().iter().any(|a| a.local == nh))
        .map(|n| n.id());
    // Whether a request reached the owner.
    let reached = owner.and_then(|o| {
        requests.iter().find_map(|c| {
            ix.events_of(*c).find_map(|(_, t)| match &t.ev {
                Trace::Rx { ns, dev, .. } if *ns == o => Some((t.place.clone(), *ns, dev.clone())),
                _ => None,
            })
        })
    });
    if let Some((p, ns, dev)) = reached {
        return match arp_silence(w, ns, &dev, nh) {
            Some(why) => format!("the request reached {p} on {dev}, which ignored it: {why}"),
            None => format!("the request reached {p}, which did not answer"),
        };
    }
    // A request dropped on its way: the first drop that is not a flooded
    // copy meeting the wrong host.
    let dropped = requests.iter().find_map(|c| {
        ix.events_of(*c).find_map(|(_, t)| match &t.ev {
            Trace::Drop { dev, reason, .. } if !incidental(*reason) => {
                Some((t.place.clone(), dev.clone(), *reason))
            }
            _ => None,
        })
    });
    if let Some((place, dev, reason)) = dropped {
        let ns = find_place(w, &place);
        let dev_name = dev.clone();
        let at = match (dev, ns) {
            (Some(d), Some(ns)) => match bridge_of(w, ns, &d) {
                Some(br) => format!(" at {br} port {d}"),
                None => format!(" at {d}"),
            },
            (Some(d), None) => format!(" at {d}"),
            _ => String::new(),
        };
        let why = match reason {
            DropReason::VxlanNoTarget => {
                "no fdb entry for the destination MAC and no default remote".to_string()
            }
            DropReason::PortNotForwarding => format!(
                "not in the forwarding state ({})",
                ns.zip(dev_name.as_deref())
                    .map(|(n, d)| port_state(w, n, d))
                    .unwrap_or_default()
            ),
            r => reason_text(r),
        };
        return format!("the request was dropped in {place}{at}: {why}");
    }
    // A bridge that flooded it and has a port that passes nothing.
    for c in &requests {
        for (_, t) in ix.events_of(*c) {
            if let Trace::Flood { ns, bridge, .. } = &t.ev {
                if let Some(p) = silent_port(w, *ns, bridge) {
                    return format!(
                        "{bridge} in {} flooded the request, but its port {p}",
                        t.place
                    );
                }
            }
        }
    }
    match owner {
        None => format!("no namespace has {nh}"),
        Some(o) => format!(
            "{} has {nh} but the request never reached it",
            w.ns_label(o)
        ),
    }
}

/// The namespace a place names.
fn find_place(w: &World, place: &str) -> Option<NsId> {
    w.netns_iter()
        .map(|n| n.id())
        .find(|id| w.ns_label(*id) == place)
}

/// A bridge port's STP state by name: `disabled`, `blocking`…
fn port_state(w: &World, ns: NsId, port: &str) -> String {
    let state = (|| {
        let n = live(w, ns)?;
        let d = n.dev_by_name(port)?;
        let br = n.dev(d.master?)?;
        let vnet_core::dev::DevKind::Bridge(b) = &br.kind else {
            return None;
        };
        Some(b.port(d.ifindex)?.state.name())
    })();
    format!("state {}", state.unwrap_or("unknown"))
}

/// A port of `bridge` that passes no frames: down, or not forwarding.
fn silent_port(w: &World, ns: NsId, bridge: &str) -> Option<String> {
    let n = live(w, ns)?;
    let br = n.dev_by_name(bridge)?;
    let vnet_core::dev::DevKind::Bridge(b) = &br.kind else {
        return None;
    };
    b.ports.iter().find_map(|p| {
        let d = n.dev(p.ifindex)?;
        if !d.up {
            Some(format!("{} is down", d.name))
        } else if p.state != vnet_core::bridge::PortState::Forwarding {
            Some(format!("{} is in state {}", d.name, p.state.name()))
        } else {
            None
        }
    })
}

/// A namespace still alive (a command may have deleted the one an event
/// happened in).
fn live(w: &World, ns: NsId) -> Option<&vnet_core::netns::Netns> {
    w.ns_alive(ns).then(|| w.ns(ns))
}

/// fib_lookup() in a namespace still alive.
fn lookup(w: &World, ns: NsId, dst: Ipv4Addr) -> Option<&vnet_core::ipv4::fib::Route> {
    live(w, ns)?;
    w.fib_lookup(ns, &vnet_core::flow::Flowi4::to(dst))
        .ok()
        .map(|r| r.route)
}

/// The bridge a port belongs to.
fn bridge_of(w: &World, ns: NsId, port: &str) -> Option<String> {
    let n = live(w, ns)?;
    let m = n.dev_by_name(port)?.master?;
    Some(n.dev(m)?.name.clone())
}

/// `table main, no default route` for a failed lookup.
fn table_note(w: &World, ns: NsId) -> String {
    let has_default = live(w, ns)
        .and_then(|n| n.fib().table(vnet_core::ipv4::fib::RT_TABLE_MAIN))
        .is_some_and(|t| t.iter().any(|r| r.dst.len == 0));
    if has_default {
        "table main".into()
    } else {
        "table main, no default route".into()
    }
}

fn table_name(t: u32) -> String {
    match t {
        254 => "main".into(),
        255 => "local".into(),
        253 => "default".into(),
        n => n.to_string(),
    }
}

/// A route as `ip route` starts it: `blackhole 10.0.2.0/24`, `10.0.0.0/8 via 10.0.1.1 dev eth0`.
fn route_text(w: &World, ns: NsId, r: &vnet_core::ipv4::fib::Route) -> String {
    use vnet_core::ipv4::fib::RouteType;
    let dst = if r.dst.len == 0 {
        "default".to_string()
    } else if r.dst.len == 32 {
        r.dst.addr.to_string()
    } else {
        format!("{}/{}", r.dst.addr, r.dst.len)
    };
    let mut s = match r.rtype {
        RouteType::Unicast => dst,
        t => format!("{} {dst}", t.name()),
    };
    if let Some(g) = r.gateway {
        s.push_str(&format!(" via {g}"));
    }
    if let Some(d) = r.dev.and_then(|d| live(w, ns)?.dev(d)) {
        s.push_str(&format!(" dev {}", d.name));
    }
    s
}

/// A drop reason in words, with the kernel's SKB_DROP_REASON name and
/// the counter that moved (`DropReason::kernel_name`, `counter`).
pub fn reason_text(r: DropReason) -> String {
    use DropReason::*;
    let words = match r {
        DevDown => "the device is down",
        NoCarrier => "no carrier",
        NotForUs => "the frame is for another host",
        IpHdr => "bad IP header",
        IpInAddrErrors => "martian or unroutable address",
        NoRoute => "no route",
        OutNoRoute => "no route on the way out",
        Blackhole => "blackhole route",
        Unreachable => "unreachable route",
        Prohibit => "prohibit route",
        TtlExceeded => "TTL exceeded",
        NeighFailed => "neighbour unresolved",
        NeighQueueFull => "neighbour queue full",
        NoSocket => "no socket",
        FdbSamePort => "the fdb says the same port",
        PortNotForwarding => "bridge port not forwarding",
        VlanFilter => "the bridge port is not in the frame's vlan (vlan filtering)",
        TapNotAttached => "tap with no process attached",
        Netfilter => "netfilter",
        ConntrackFull => "conntrack table full",
        TunnelNoRoute => "no route to the tunnel's remote",
        TunnelLoop => "the tunnel's remote is routed through itself",
        TunnelFragNeeded => "too big for the tunnel with DF",
        TunnelProtocol => "a protocol the tunnel does not carry",
        TunnelNoMatch => "no tunnel matches",
        TunnelHeader => "bad tunnel header",
        TunnelCsum => "bad GRE checksum",
        TunnelSeq => "GRE sequence number",
        VxlanNoTarget => "vxlan: no fdb entry, no remote",
        VxlanNoVni => "vxlan: unknown VNI",
        VxlanLoop => "vxlan: a frame from our own MAC",
        RcvBuf => "socket receive buffer full",
        Backlog => "input backlog full",
        RpFilter => "reverse-path filter (rp_filter)",
        MartianSource => "martian source",
        IfbNotRedirected => "ifb without a tc redirect",
        BondInactive => "bond: frame on an inactive slave",
        _ => "dropped",
    };
    match r.counter() {
        Some(c) => format!("{words} (SKB_DROP_REASON_{}, {c})", r.kernel_name()),
        None => format!("{words} (SKB_DROP_REASON_{})", r.kernel_name()),
    }
}

/// A packet whose trail ends without a reason.
fn lost(ix: &Index, w: &World, id: PktId, last: Option<usize>, prefix: &str) -> Verdict {
    let Some(at) = last else {
        let line = format!("{prefix}lost: nothing of it was seen");
        return Verdict::new(Outcome::Lost, None, None, line);
    };
    let t = &ix.events[at];
    let (ns, place) = (t.ev.ns(), t.place.clone());
    // Waiting for a neighbour that never answered within the time waited.
    if let (Some(nh), odev) = neigh_target(ix, id, ns, at + 1) {
        let waiting = ix
            .events_of(id)
            .all(|(_, e)| !matches!(e.ev, Trace::Tx { ns: n, .. } if n == ns))
            || matches!(t.ev, Trace::Neigh { .. });
        if waiting {
            let on = odev.map(|d| format!(" on {d}")).unwrap_or_default();
            let line = format!(
                "{}in {place} at neighbour: {nh} did not answer ARP{on} ({})",
                if prefix.is_empty() {
                    "dropped ".to_string()
                } else {
                    format!("{prefix}was dropped ")
                },
                arp_fate(ix, w, id, Some(nh))
            );
            return Verdict::new(
                Outcome::Dropped,
                Some(place),
                Some("neighbour".into()),
                line,
            );
        }
    }
    let where_ = match &t.ev {
        Trace::Tx { dev, .. } => format!("leaving {place} by {dev}"),
        Trace::Rx { dev, .. } => format!("arriving in {place} on {dev}"),
        _ => format!("in {place}"),
    };
    let line = if prefix.is_empty() {
        format!("lost: the probe was last seen {where_}; nothing more happened to it")
    } else {
        format!("{prefix}was lost: last seen {where_}")
    };
    Verdict::new(Outcome::Lost, Some(place), None, line)
}
