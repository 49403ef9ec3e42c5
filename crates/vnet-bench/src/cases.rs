//! The named cases of `vnet bench` and what each reports.

use crate::topo::PacketBench;
use serde_json::{json, Value};
use std::time::Instant;
use vnet_core::dev::rtnetlink::LinkChange;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::trace::Traced;
use vnet_core::World;
use vnet_tools::story::{Format, Story};

/// Every case, in the order `vnet bench` runs them.
pub const CASES: [&str; 17] = [
    "veth",
    "bridge4",
    "route",
    "route-traced",
    "rules-policy-10k",
    "route-ecmp-100k",
    "nat-1",
    "nat-1k",
    "nat-100k",
    "rules-0",
    "rules-100",
    "rules-10k",
    "rules-100k",
    "netns-1k",
    "netns-100k",
    "netns-1m",
    "conntrack-1m",
];

/// How much to measure.
#[derive(Clone, Debug)]
pub struct Opts {
    /// Packets per run of a packet case.
    pub packets: u64,
    /// Runs per packet case; the median is reported.
    pub runs: usize,
    /// Wall time after which a run stops early (it reports the packets it sent).
    pub budget: std::time::Duration,
}

impl Default for Opts {
    fn default() -> Opts {
        Opts {
            packets: 1_000_000,
            runs: 5,
            budget: std::time::Duration::from_secs(3),
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn round(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}

/// Runs one case; Err names an unknown case.
pub fn run_case(name: &str, o: &Opts) -> Result<Value, String> {
    if let Some(n) = name.strip_prefix("netns-") {
        let n = match n {
            "1k" => 1_000,
            "100k" => 100_000,
            "1m" => 1_000_000,
            _ => return Err(format!("unknown case {name}")),
        };
        return Ok(netns(name, n));
    }
    if name == "conntrack-1m" {
        return Ok(conntrack(name, 1_000_000));
    }
    if name == "route-traced" {
        // `vnet run --trace`'s cost: every event told as text, to nowhere.
        let mut b = PacketBench::new("route").expect("route case");
        let mut story =
            Story::new(Format::Text, None, Box::new(std::io::sink())).expect("no filter to parse");
        b.set_tracer(Box::new(move |t: &Traced| story.event(t)));
        return packets(name, &mut b, o);
    }
    let mut b = PacketBench::new(name).ok_or_else(|| format!("unknown case {name}"))?;
    packets(name, &mut b, o)
}

/// A packet case: warm up (neighbours resolved, conntrack entries made,
/// pools grown), then `runs` timed runs of `packets` each.
fn packets(name: &str, b: &mut PacketBench, o: &Opts) -> Result<Value, String> {
    // Every flow at least once (its conntrack entry exists), then up to
    // the time budget.
    let warm = o.packets.clamp(1_000, 200_000).max(b.flows());
    let t0 = Instant::now();
    for k in 0..warm {
        if k >= b.flows().max(1_000) && t0.elapsed() > o.budget {
            break;
        }
        b.send();
    }
    b.finish();
    let mut pps = Vec::new();
    let mut delivered = 0;
    for _ in 0..o.runs.max(1) {
        let before = b.drain();
        let t0 = Instant::now();
        let mut sent = 0;
        // In batches, so that a slow case stops at its time budget.
        while sent < o.packets && t0.elapsed() < o.budget {
            let k = (o.packets - sent).min(1000);
            for _ in 0..k {
                b.send();
            }
            sent += k;
        }
        let got = b.finish() - before;
        let dt = t0.elapsed().as_secs_f64();
        if got != sent {
            return Err(format!("{name}: {got} of {sent} packets arrived"));
        }
        delivered = got;
        pps.push(got as f64 / dt);
    }
    let pps = median(pps);
    Ok(json!({
        "case": name,
        "packets": delivered,
        "pps": round(pps, 0),
        "ns_per_packet": round(1e9 / pps, 1),
    }))
}

/// Live heap bytes now (0 when the counting allocator is not installed).
fn heap() -> usize {
    crate::live_bytes().unwrap_or(0)
}

/// Namespaces per bridge (a bridge takes at most 1023 ports, BR_MAX_PORTS;
/// enslaving re-derives every port's state, so cost grows with the fan-out).
const PORTS_PER_BRIDGE: usize = 100;

/// `ip netns add nsI; ip -n nsI link add eth0 type veth peer vethJ netns swK;
/// ip -n swK link set vethJ master br0`, `n` times, with one switch
/// namespace holding a bridge for every 100: time and heap per namespace
/// (switches included).
fn netns(name: &str, n: usize) -> Value {
    let mut w = World::new(1);
    let h0 = heap();
    let t0 = Instant::now();
    let mut sw = (0, 0);
    for i in 0..n {
        if i % PORTS_PER_BRIDGE == 0 {
            let s = w.netns_add(&format!("sw{}", i / PORTS_PER_BRIDGE)).unwrap();
            sw = (s, w.link_add(s, "br0", NewLink::Bridge, None).unwrap());
        }
        let ns = w.netns_add(&format!("ns{i}")).unwrap();
        let peer = format!("veth{}", i % PORTS_PER_BRIDGE);
        w.link_add(
            ns,
            "eth0",
            NewLink::Veth {
                peer: peer.clone(),
                peer_ns: Some(sw.0),
                peer_mac: None,
            },
            None,
        )
        .unwrap();
        let p = w.ns(sw.0).ifindex_of(&peer).unwrap();
        w.link_set(sw.0, p, LinkChange::Master(Some(sw.1))).unwrap();
        // What runs after each command returns (linkwatch), as the tools' driver does.
        w.settle();
    }
    let dt = t0.elapsed().as_secs_f64();
    let bytes = heap().saturating_sub(h0);
    let v = json!({
        "case": name,
        "namespaces": n,
        "seconds": round(dt, 3),
        "bytes_per_netns": round(bytes as f64 / n as f64, 0),
    });
    drop(w);
    v
}

/// `n` UDP flows through MASQUERADE: heap per conntrack entry.
fn conntrack(name: &str, n: usize) -> Value {
    let mut b = PacketBench::new(name).expect("conntrack case");
    // Neighbours resolved and the sockets' queues grown before counting.
    for _ in 0..1000 {
        b.send();
    }
    b.finish();
    let c0 = b.conntrack_count();
    let h0 = heap();
    let t0 = Instant::now();
    while b.sent() < n as u64 {
        b.send();
    }
    b.finish();
    let dt = t0.elapsed().as_secs_f64();
    let entries = b.conntrack_count() - c0;
    let bytes = heap().saturating_sub(h0);
    json!({
        "case": name,
        "entries": b.conntrack_count(),
        "seconds": round(dt, 3),
        "bytes_per_entry": round(bytes as f64 / entries.max(1) as f64, 1),
    })
}
