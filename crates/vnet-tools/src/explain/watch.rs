//! `vnet run --explain`: after each command, a verdict for the packets it
//! sent that did not arrive.
//!
//! "What a command sent" is read from the events recorded while it ran:
//! the packets born then with no cause (a socket's, not the kernel's
//! answers) that start an exchange — an echo request, a TCP SYN, a UDP
//! datagram — or that were dropped on the way. Each gets the verdict
//! `vnet explain` would give; the ones not delivered are reported, once
//! per distinct line. A packet still in flight when the command ended
//! (younger than [`SETTLE`], with no decisive drop yet) is not judged.

use super::index::{Index, Kind, ICMP, TCP, TCP_ACK, TCP_SYN, UDP};
use super::verdict::{self, Expect, Outcome};
use std::cell::RefCell;
use std::rc::Rc;
use vnet_core::trace::{DropReason, Trace, Traced};
use vnet_core::{Time, World};

/// How old an unanswered packet must be before it counts as lost.
pub const SETTLE: Time = Time::from_secs(1);

/// Verdicts reported per command at most.
const MAX_LINES: usize = 3;

/// The events of the command running now, shared with the world's tracer.
#[derive(Clone, Default)]
pub struct Watch {
    events: Rc<RefCell<Vec<Traced>>>,
}

/// Events kept per command: beyond, a storm stops being recorded.
const MAX_EVENTS: usize = 200_000;

impl Watch {
    pub fn new() -> Watch {
        Watch::default()
    }

    /// Records one event (from the world's tracer).
    pub fn event(&self, t: &Traced) {
        let mut v = self.events.borrow_mut();
        if v.len() < MAX_EVENTS {
            v.push(t.clone());
        }
    }

    /// A command starts: what came before is not its doing.
    pub fn start(&self) {
        self.events.borrow_mut().clear();
    }

    /// The command ended: the verdict lines for what it sent that did not
    /// arrive.
    pub fn finish(&self, w: &World) -> Vec<String> {
        let events = std::mem::take(&mut *self.events.borrow_mut());
        if events.is_empty() {
            return Vec::new();
        }
        command_verdicts(Index::new(events), w, w.now())
    }
}

/// A packet a socket sent that no route took: `not sent: …`.
fn unrouted(
    ix: &Index,
    w: &World,
    id: vnet_core::trace::PktId,
    ns: vnet_core::NsId,
) -> Option<String> {
    let mut dst = None;
    let mut failed = false;
    for (_, t) in ix.events_of(id) {
        match &t.ev {
            Trace::RouteLookup {
                dst: std::net::IpAddr::V4(d),
                ..
            } => dst = Some(*d),
            Trace::Drop {
                reason: DropReason::OutNoRoute,
                ..
            } => failed = true,
            _ => {}
        }
    }
    let e = Expect {
        ns,
        dst: dst?,
        proto: 0,
        port: None,
    };
    failed.then(|| verdict::not_sent(w, &e, "Network is unreachable").line)
}

/// The verdicts for a command's packets (see the module's doc).
pub fn command_verdicts(ix: Index, w: &World, now: Time) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for id in ix.roots_in(None) {
        let Some(p) = ix.pkt(id) else { continue };
        let Some(ns) = p.born_ns else { continue };
        let ip = match p.kind {
            Kind::Ip(ip) => ip,
            // Never built: the route lookup on the way out failed.
            Kind::Unseen => {
                if let Some(line) = unrouted(&ix, w, id, ns) {
                    if !lines.contains(&line) && lines.len() < MAX_LINES {
                        lines.push(line);
                    }
                }
                continue;
            }
            _ => continue,
        };
        if ip.dst.is_multicast() || ip.dst.is_broadcast() || ip.dst.is_loopback() {
            continue;
        }
        let starts = match ip.proto {
            ICMP => ip.icmp.is_some_and(|(t, _)| t == 8),
            TCP => ip
                .tcp_flags
                .is_some_and(|f| f & TCP_SYN != 0 && f & TCP_ACK == 0),
            UDP => true,
            _ => false,
        };
        let dropped = ix
            .events_of(id)
            .any(|(_, t)| matches!(t.ev, Trace::Drop { .. }));
        if !starts && !dropped {
            continue;
        }
        let born = p.events.first().map(|&i| ix.events[i].at).unwrap_or(now);
        let e = Expect {
            ns,
            dst: ip.dst,
            proto: ip.proto,
            port: ip.ports.map(|(_, d)| d),
        };
        let v = verdict::judge(&ix, w, &e, id);
        let young = now.0.saturating_sub(born.0) < SETTLE.0;
        let settled = match v.outcome {
            Outcome::Delivered => continue,
            Outcome::Lost => !young,
            Outcome::NoReply if v.stage.is_none() => !young,
            _ => true,
        };
        if settled && !lines.contains(&v.line) && lines.len() < MAX_LINES {
            lines.push(v.line);
        }
    }
    lines
}
