//! Hints: where a verdict is one of the kernel's well-known traps, what
//! the trap is and the usual way out.

use super::index::Index;
use super::verdict::{Outcome, Verdict};
use vnet_core::trace::Trace;
use vnet_core::World;

/// Adds the hints that fit `v`.
pub fn add(ix: &Index, _w: &World, v: &mut Verdict) {
    let mut hints = Vec::new();
    let stage = v.stage.clone().unwrap_or_default();
    let place = v.place.clone().unwrap_or_default();
    let line = v.line.clone();
    if stage.ends_with("/FORWARD") && line.contains("policy DROP") {
        hints.push(format!(
            "the FORWARD chain's policy in {place} is DROP and no rule accepts this packet: \
             accept it (and its replies: `iptables -A FORWARD -m conntrack --ctstate \
             RELATED,ESTABLISHED -j ACCEPT`)"
        ));
    }
    if line.contains("[conntrack INVALID]") {
        hints.push(
            "conntrack classed the packet INVALID: it saw only part of the flow (asymmetric \
             routing sends the request and the reply through different routers, so the \
             reply's router has no entry), and a rule drops INVALID packets"
                .into(),
        );
    }
    if stage == "ip_forward" && line.contains("ip_forward=0") {
        hints.push(format!(
            "{place} routes between its interfaces only with `sysctl -w net.ipv4.ip_forward=1`"
        ));
    }
    if stage == "ip_forward" && line.contains("DF") {
        hints.push(
            "the packet is larger than the next link's MTU and Don't Fragment is set: the \
             sender must learn the smaller path MTU from the ICMP fragmentation-needed \
             (a firewall dropping ICMP breaks this), or the MTUs must match"
                .into(),
        );
    }
    if stage == "ip_forward" && line.contains("TTL") {
        hints.push(
            "the TTL runs out before the packet arrives: a TTL set too low, or a routing loop"
                .into(),
        );
    }
    if v.outcome == Outcome::NoReply && stage == "routing" {
        if let Some((r, tried)) = nat_missed(ix, v) {
            hints.push(format!(
                "{r}'s nat POSTROUTING chain has {tried} rule{} and none matched the probe: a SNAT or MASQUERADE rule \
                 whose -o, -s or -d does not fit it (name the interface towards the destination)",
                if tried == 1 { "" } else { "s" }
            ));
        }
        let router = forwarded_by(ix, v);
        match router {
            Some((r, out)) => hints.push(format!(
                "the reply has no way back: add a route on {place} to the sender's network \
                 through {r}, or masquerade on {r} (`iptables -t nat -A POSTROUTING -o {out} \
                 -j MASQUERADE`) so the reply goes to {r}'s own address"
            )),
            None => hints.push(format!(
                "{place} has no route to the sender: check the netmask of its address and its routes"
            )),
        }
    }
    if stage == "neighbour" && !line.contains("which ignored it") {
        if line.contains("which did not answer") {
            hints.push(
                "the owner of the address heard the ARP request and did not answer: \
                 net.ipv4.conf.*.arp_ignore (1: answer only for addresses on the receiving \
                 interface) or arp_filter make the kernel ignore requests"
                    .into(),
            );
        } else if line.contains("no namespace has") {
            hints.push(
                "nobody owns the next hop's address: a wrong gateway, a wrong netmask that \
                 makes a remote address look on-link, or an address never added"
                    .into(),
            );
        } else {
            hints.push("the next hop is not reachable on that link: is the link up at both ends, and the bridge port forwarding?".into());
        }
    }
    if line.contains("not in the forwarding state") {
        hints.push(
            "a bridge port forwards only in state forwarding (3): with STP it passes through \
             listening and learning first (forward_delay), `bridge link set dev PORT state 3` \
             forces it, and a disabled port (0) stays silent"
                .into(),
        );
    }
    if line.contains("the device is down") || line.contains("no carrier") {
        hints.push(
            "both ends of a veth, and every bridge port, must be up (`ip link set DEV up`)".into(),
        );
    }
    if v.outcome == Outcome::Rejected {
        hints.push(
            "REJECT answers at once with an ICMP error (ping shows it, nc says refused); \
             DROP says nothing and the sender waits until it times out"
                .into(),
        );
    }
    if line.contains("no fdb entry") {
        hints.push(
            "a vxlan device without `remote`/`group` sends only where its fdb says: add \
             `bridge fdb append 00:00:00:00:00:00 dev VXLAN dst REMOTE_VTEP`"
                .into(),
        );
    }
    if line.contains("no tunnel matches") {
        hints.push(
            "the receiving tunnel takes a packet only when the outer addresses match its \
             `local`/`remote` and the GRE key matches its `ikey`: check both ends agree"
                .into(),
        );
    }
    if stage == "routing"
        && (line.contains("blackhole") || line.contains("prohibit") || line.contains("unreachable"))
    {
        hints.push("a blackhole, unreachable or prohibit route catches this destination: delete it or add a more specific route".into());
    }
    let storm = ix
        .events
        .iter()
        .filter(|t| matches!(t.ev, Trace::Flood { .. }))
        .count()
        > super::STORM_FLOODS;
    if storm {
        hints.push(
            "the frames went round a loop of bridges: a bridge loop without STP floods \
             broadcasts forever (`ip link set BRIDGE type bridge stp_state 1`, or break the loop)"
                .into(),
        );
    }
    if stage == "rp_filter" && line.contains("rp_filter=1") {
        let key = line
            .split_whitespace()
            .find(|w| w.starts_with("net.ipv4.conf."))
            .and_then(|w| w.split('=').next())
            .unwrap_or("net.ipv4.conf.all.rp_filter");
        hints.push(format!(
            "strict reverse-path filtering drops a packet that arrives on an interface other \
             than the one the route back to its source uses (asymmetric routing): in {place}, \
             `sysctl -w {key}=2` (loose: any route back will do; the larger of `all` and the \
             interface's value counts, so lower both) or make the routes symmetric"
        ));
    }
    if stage == "rp_filter" && line.contains("martian source") {
        hints.push(format!(
            "{place} refuses packets whose source is one of its own addresses (a loop, or a \
             duplicate address); `net.ipv4.conf.*.accept_local=1` takes them"
        ));
    }
    if line.contains("which ignored it") && line.contains("arp_ignore") {
        hints.push(
            "arp_ignore keeps the kernel from answering ARP for an address that is not on the \
             interface the request came in on (1), or not in the asker's subnet (2): put the \
             address on that interface, or `sysctl -w net.ipv4.conf.all.arp_ignore=0` (and the \
             interface's)"
                .into(),
        );
    }
    if line.contains("which ignored it") && line.contains("arp_filter") {
        hints.push(
            "arp_filter answers only on the interface the route back to the asker uses: \
             give the asker's network a route through the interface it asks on, or turn \
             arp_filter off"
                .into(),
        );
    }
    v.hints = hints;
}

/// A router whose nat POSTROUTING rules all missed the probe: its name
/// and how many rules the probe was tested against.
fn nat_missed(ix: &Index, v: &Verdict) -> Option<(String, u32)> {
    let probe = v.probe?;
    ix.events_of(probe).find_map(|(_, t)| match &t.ev {
        Trace::Netfilter {
            table: "nat",
            chain,
            rule: None,
            tried,
            ..
        } if chain == "POSTROUTING" && *tried > 0 => Some((t.place.clone(), *tried)),
        _ => None,
    })
}

/// The router that forwarded the probe last, and the device it sent it out of.
fn forwarded_by(ix: &Index, v: &Verdict) -> Option<(String, String)> {
    let probe = v.probe?;
    ix.events_of(probe)
        .filter_map(|(_, t)| match &t.ev {
            Trace::Forward { out, .. } => Some((t.place.clone(), out.clone())),
            _ => None,
        })
        .last()
}
