//! The lab as one model: hosts, namespaces, devices, and the links between
//! them (veth pairs, bridge ports, host wires and switches, tunnels and
//! vxlan), with each namespace's addresses, routes, neighbours, firewall
//! chains with their counters and conntrack entries. `vnet web` serves it
//! as JSON (`/api/lab`) and `vnet topo --dot` draws it with Graphviz.
//!
//! What a tool prints is read through that tool: addresses, routes and
//! neighbours are `ip -j`'s objects, bridge ports `bridge -j link`'s,
//! chains come from `iptables-save -c`, entries from `conntrack -L`; the
//! devices' kinds and the links between them come from the core's read
//! views. Devices are named `NS:DEV`, with the namespace as the trace
//! names it (`myspace:veth2`), so trace events find them.

use crate::Machine;
use serde_json::{json, Map, Value};
use std::net::Ipv4Addr;
use vnet_core::dev::{DevKind, DevRef};
use vnet_core::NsId;

/// Namespaces described in full; a lab with more lists only their names
/// (a million-namespace benchmark lab must not make a page of gigabytes).
pub const MAX_NAMESPACES: usize = 256;

/// The model of the lab `m` holds.
pub fn model(m: &mut Machine) -> Value {
    let ids: Vec<NsId> = m.world.netns_iter().map(|n| n.id()).collect();
    let hosts = m.world.host_names();
    let mut namespaces = Vec::new();
    let mut links = Vec::new();
    // Tunnel endpoints, paired once every namespace's addresses are known.
    let mut tunnels: Vec<Endpoint> = Vec::new();
    for &ns in ids.iter().take(MAX_NAMESPACES) {
        // The tools first (they need the machine), then the core's views.
        let addr = run_json(m, ns, &["ip", "-j", "addr", "show"]);
        let routes = run_json(m, ns, &["ip", "-j", "route", "show", "table", "all"]);
        let routes6 = run_json(m, ns, &["ip", "-j", "-6", "route", "show"]);
        let neigh = run_json(m, ns, &["ip", "-j", "neigh", "show"]);
        let bridge_link = run_json(m, ns, &["bridge", "-j", "link", "show"]);
        let iptables = chains(&run_text(m, ns, &["iptables-save", "-c"]));
        let conntrack: Vec<String> = run_text(m, ns, &["conntrack", "-L"])
            .lines()
            .map(str::to_string)
            .collect();
        let forwarding = run_text(m, ns, &["sysctl", "-n", "net.ipv4.ip_forward"]);
        let name = m.world.ns_label(ns);
        let host = hosts.get(m.world.host_of(ns)).cloned().unwrap_or_default();
        let mut devices = Vec::new();
        let netns = m.world.ns(ns);
        for (_, d) in netns.devs().iter() {
            let id = format!("{name}:{}", d.name);
            let ipj = addr
                .as_array()
                .and_then(|a| a.iter().find(|x| x["ifindex"] == json!(d.ifindex)))
                .cloned()
                .unwrap_or(Value::Null);
            let addrs: Vec<String> = ipj["addr_info"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| format!("{}/{}", str_of(&x["local"]), x["prefixlen"]))
                        .collect()
                })
                .unwrap_or_default();
            let kind = match &d.kind {
                DevKind::Loopback => "loopback",
                DevKind::Nic { .. } => "nic",
                DevKind::Tun { tap: true, .. } => "tap",
                k => k.kind_name().unwrap_or("device"),
            };
            let master = d
                .master
                .and_then(|i| netns.dev(i))
                .map(|b| format!("{name}:{}", b.name));
            let mut dev = json!({
                "id": id, "name": d.name, "ifindex": d.ifindex, "kind": kind,
                "mac": d.mac.to_string(), "mtu": d.mtu, "up": d.up,
                "state": ipj["operstate"].clone(), "flags": ipj["flags"].clone(),
                "master": master, "addrs": addrs,
            });
            match &d.kind {
                DevKind::Veth { peer } if (peer.ns, peer.ifindex) > (ns, d.ifindex) => {
                    if let Some(p) = dev_id(m, *peer) {
                        links.push(json!({ "kind": "veth", "a": id, "b": p }));
                    }
                }
                DevKind::Bridge(b) => {
                    let ports: Vec<Value> = b
                        .ports
                        .iter()
                        .filter_map(|p| {
                            let dev = netns.dev(p.ifindex)?;
                            Some(json!({ "dev": format!("{name}:{}", dev.name),
                                         "state": format!("{:?}", p.state).to_lowercase() }))
                        })
                        .collect();
                    dev["ports"] = json!(ports);
                    dev["stp"] = json!(b.stp);
                }
                DevKind::Tunnel(t) => {
                    let kind = t.kind.kind_name().to_string();
                    dev["local"] = json!(t.p.saddr.to_string());
                    dev["remote"] = json!(t.p.daddr.to_string());
                    // Fallback devices (gre0) and any-remote tunnels lead nowhere.
                    if !t.fallback && !t.p.daddr.is_unspecified() {
                        tunnels.push((kind, t.p.daddr, t.p.o_key, id.clone(), name.clone()));
                    }
                }
                DevKind::Vxlan(v) => {
                    let mut remotes: Vec<Ipv4Addr> = v
                        .cfg
                        .remote
                        .into_iter()
                        .chain(v.fdb.iter().flat_map(|f| f.remotes.iter().map(|r| r.ip)))
                        .collect();
                    remotes.sort();
                    remotes.dedup();
                    dev["vni"] = json!(v.cfg.vni);
                    dev["local"] = json!(v.cfg.local.map(|a| a.to_string()));
                    dev["remotes"] =
                        json!(remotes.iter().map(|a| a.to_string()).collect::<Vec<_>>());
                    for r in remotes {
                        tunnels.push(("vxlan".into(), r, v.cfg.vni, id.clone(), name.clone()));
                    }
                }
                _ => {}
            }
            devices.push(dev);
        }
        namespaces.push(json!({
            "name": name,
            "host": host,
            "root": ns == m.world.host_root(m.world.host_of(ns)),
            "ip_forward": forwarding.trim() == "1",
            "devices": devices,
            "addr": addr,
            "routes": routes,
            "routes6": routes6,
            "neigh": neigh,
            "bridge_link": bridge_link,
            "iptables": iptables,
            "conntrack": conntrack,
        }));
    }
    links.extend(tunnel_links(&tunnels, &namespaces));
    for seg in m.world.segments() {
        let members: Vec<String> = seg.members.iter().filter_map(|r| dev_id(m, *r)).collect();
        match members.as_slice() {
            [a, b] => links.push(json!({ "kind": "wire", "a": a, "b": b })),
            _ => links.push(json!({ "kind": "switch", "members": members })),
        }
    }
    let more: Vec<String> = ids
        .iter()
        .skip(MAX_NAMESPACES)
        .map(|&n| m.world.ns_label(n))
        .collect();
    json!({
        "time": m.world.now().as_secs_f64(),
        "hosts": hosts,
        "namespaces": namespaces,
        "links": links,
        "more_namespaces": more,
    })
}

/// A device's `NS:DEV` name.
fn dev_id(m: &Machine, r: DevRef) -> Option<String> {
    if !m.world.ns_alive(r.ns) {
        return None;
    }
    let d = m.world.dev(r)?;
    Some(format!("{}:{}", m.world.ns_label(r.ns), d.name))
}

/// A tunnel endpoint: kind, remote address, key (vxlan: VNI), device, namespace.
type Endpoint = (String, Ipv4Addr, u32, String, String);

/// The namespace that owns an address.
fn owner(namespaces: &[Value], addr: Ipv4Addr) -> Option<&str> {
    let a = addr.to_string();
    namespaces.iter().find_map(|n| {
        let owns = n["devices"].as_array()?.iter().any(|d| {
            d["addrs"].as_array().is_some_and(|x| {
                x.iter()
                    .any(|x| x.as_str().and_then(|s| s.split('/').next()) == Some(a.as_str()))
            })
        });
        owns.then(|| n["name"].as_str()).flatten()
    })
}

/// Pairs tunnel devices of one kind (and VNI) each sending to an address
/// the other's namespace owns; a tunnel with no such peer is linked to the
/// namespace owning its remote, when one does.
fn tunnel_links(tunnels: &[Endpoint], namespaces: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, (kind, remote, key, id, ns)) in tunnels.iter().enumerate() {
        let far = owner(namespaces, *remote);
        let peer = tunnels.iter().enumerate().find(|(j, t)| {
            *j != i
                && t.0 == *kind
                && (kind != "vxlan" || t.2 == *key)
                && Some(t.4.as_str()) == far
                && owner(namespaces, t.1) == Some(ns.as_str())
        });
        match (peer, far) {
            (Some((j, t)), _) => {
                if seen.insert((i.min(j), i.max(j))) {
                    out.push(json!({ "kind": kind, "a": id, "b": t.3 }));
                }
            }
            (None, Some(n)) => {
                if seen.insert((i, usize::MAX)) {
                    out.push(
                        json!({ "kind": kind, "a": id, "ns": n, "remote": remote.to_string() }),
                    );
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// A tool's stdout (empty when it failed).
fn run_text(m: &mut Machine, ns: NsId, argv: &[&str]) -> String {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let (st, out, _) = m.exec_in(ns, &argv, None);
    if st != 0 {
        return String::new();
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A tool's JSON output (`null` when it failed or printed none).
fn run_json(m: &mut Machine, ns: NsId, argv: &[&str]) -> Value {
    serde_json::from_str(&run_text(m, ns, argv)).unwrap_or(Value::Null)
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// `iptables-save -c`'s tables as objects: each table's chains with their
/// policy and counters, each rule with its counters and `-A` text. Tables
/// that hold nothing but ACCEPT policies are left out.
pub fn chains(save: &str) -> Value {
    let mut tables = Vec::new();
    let mut table: Option<(String, Vec<Map<String, Value>>)> = None;
    for line in save.lines() {
        if let Some(t) = line.strip_prefix('*') {
            table = Some((t.to_string(), Vec::new()));
        } else if line == "COMMIT" {
            if let Some((name, chains)) = table.take() {
                let busy = chains.iter().any(|c| {
                    c["policy"] != "ACCEPT" || c["rules"].as_array().is_some_and(|r| !r.is_empty())
                });
                if busy {
                    tables.push(json!({ "table": name, "chains": chains }));
                }
            }
        } else if let Some(rest) = line.strip_prefix(':') {
            // :FORWARD DROP [0:0]
            let mut it = rest.split_whitespace();
            let (Some(name), Some(policy)) = (it.next(), it.next()) else {
                continue;
            };
            let (p, b) = counters(it.next().unwrap_or(""));
            let mut c = Map::new();
            c.insert("name".into(), json!(name));
            c.insert("policy".into(), json!(policy));
            c.insert("packets".into(), json!(p));
            c.insert("bytes".into(), json!(b));
            c.insert("rules".into(), json!([]));
            if let Some((_, chains)) = table.as_mut() {
                chains.push(c);
            }
        } else if line.starts_with('[') {
            // [1:84] -A FORWARD -i eth0 -o veth1 -j ACCEPT
            let Some((cnt, rule)) = line.split_once(' ') else {
                continue;
            };
            let (p, b) = counters(cnt);
            let chain = rule.split_whitespace().nth(1).unwrap_or("");
            if let Some((_, chains)) = table.as_mut() {
                if let Some(c) = chains.iter_mut().find(|c| c["name"] == chain) {
                    if let Some(Value::Array(rules)) = c.get_mut("rules") {
                        rules.push(json!({ "packets": p, "bytes": b, "rule": rule }));
                    }
                }
            }
        }
    }
    Value::Array(tables)
}

/// `[packets:bytes]`.
fn counters(s: &str) -> (u64, u64) {
    let s = s.trim_start_matches('[').trim_end_matches(']');
    let (p, b) = s.split_once(':').unwrap_or(("0", "0"));
    (p.parse().unwrap_or(0), b.parse().unwrap_or(0))
}

/// The model as a Graphviz graph: a cluster per host and per namespace, a
/// node per device (loopbacks left out), edges for veth pairs, bridge
/// ports, wires, switches and tunnels.
pub fn dot(model: &Value) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = String::from("graph lab {\n  compound=true;\n  node [shape=box, style=rounded, fontname=\"monospace\"];\n");
    let hosts: Vec<&str> = model["hosts"]
        .as_array()
        .map(|h| h.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let empty = Vec::new();
    let nss = model["namespaces"].as_array().unwrap_or(&empty);
    for (hi, h) in hosts.iter().enumerate() {
        out += &format!("  subgraph cluster_h{hi} {{\n    label={};\n", q(h));
        for (ni, ns) in nss.iter().enumerate().filter(|(_, n)| n["host"] == *h) {
            out += &format!(
                "    subgraph cluster_h{hi}_n{ni} {{\n      label={};\n      style=filled; fillcolor=\"#f4f6fb\";\n",
                q(str_of(&ns["name"]))
            );
            for d in ns["devices"].as_array().unwrap_or(&empty) {
                if d["kind"] == "loopback" {
                    continue;
                }
                let mut label = format!("{} ({})", str_of(&d["name"]), str_of(&d["kind"]));
                for a in d["addrs"].as_array().unwrap_or(&empty) {
                    let a = str_of(a);
                    if !a.starts_with("fe80:") {
                        label += &format!("\\n{a}");
                    }
                }
                let shape = if d["kind"] == "bridge" {
                    ", shape=hexagon"
                } else {
                    ""
                };
                out += &format!(
                    "      {} [label={}{shape}];\n",
                    q(str_of(&d["id"])),
                    q(&label).replace("\\\\n", "\\n")
                );
            }
            out += "    }\n";
        }
        out += "  }\n";
    }
    for ns in nss {
        for d in ns["devices"].as_array().unwrap_or(&empty) {
            if let Some(mst) = d["master"].as_str() {
                out += &format!("  {} -- {} [style=bold];\n", q(str_of(&d["id"])), q(mst));
            }
        }
    }
    for (i, l) in model["links"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .enumerate()
    {
        let kind = str_of(&l["kind"]);
        match (l["a"].as_str(), l["b"].as_str()) {
            (Some(a), Some(b)) => {
                let style = match kind {
                    "veth" | "wire" => "",
                    _ => ", style=dashed",
                };
                out += &format!("  {} -- {} [label={}{style}];\n", q(a), q(b), q(kind));
            }
            _ => {
                if let Some(m) = l["members"].as_array() {
                    let sw = format!("switch{i}");
                    out += &format!("  {} [shape=diamond, label=\"switch\"];\n", q(&sw));
                    for x in m {
                        out += &format!("  {} -- {};\n", q(&sw), q(str_of(x)));
                    }
                }
            }
        }
    }
    out += "}\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vnet_core::World;

    fn lab(script: &[&str]) -> Machine {
        let mut m = Machine::new(World::new(1), Box::new(std::io::sink()));
        for line in script {
            let argv: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            let (st, _, err) = m.exec_in(0, &argv, None);
            assert_eq!(st, 0, "{line}: {}", String::from_utf8_lossy(&err));
        }
        m
    }

    #[test]
    fn veth_pair_across_namespaces_and_bridge_ports_are_links() {
        let mut m = lab(&[
            "ip netns add a",
            "ip link add v0 type veth peer name v1 netns a",
            "ip link add br0 type bridge",
            "ip link set v0 master br0",
            "ip addr add 10.0.0.1/24 dev br0",
            "ip -n a addr add 10.0.0.2/24 dev v1",
            "ip -n a link set v1 up",
            "iptables -P FORWARD DROP",
            "iptables -A FORWARD -i br0 -j ACCEPT",
        ]);
        let v = model(&mut m);
        let names: Vec<&str> = v["namespaces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["host", "a"]);
        assert_eq!(
            v["links"],
            json!([{ "kind": "veth", "a": "host:v0", "b": "a:v1" }])
        );
        let host = &v["namespaces"][0];
        let br = host["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == "br0")
            .unwrap();
        assert_eq!(br["kind"], "bridge");
        assert_eq!(br["ports"][0]["dev"], "host:v0");
        assert!(br["addrs"]
            .as_array()
            .unwrap()
            .contains(&json!("10.0.0.1/24")));
        let v0 = host["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == "v0")
            .unwrap();
        assert_eq!(v0["master"], "host:br0");
        // The filter table: FORWARD's policy and its one rule with counters.
        let filter = &host["iptables"][0];
        assert_eq!(filter["table"], "filter");
        let fwd = filter["chains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "FORWARD")
            .unwrap();
        assert_eq!(fwd["policy"], "DROP");
        assert_eq!(fwd["rules"][0]["rule"], "-A FORWARD -i br0 -j ACCEPT");
        assert_eq!(fwd["rules"][0]["packets"], 0);
        // Routes are ip -j's objects.
        let routes = v["namespaces"][1]["routes"].as_array().unwrap();
        assert!(routes
            .iter()
            .any(|r| r["dst"] == "10.0.0.0/24" && r["dev"] == "v1"));
        let dot = dot(&v);
        assert!(
            dot.contains("\"host:v0\" -- \"a:v1\" [label=\"veth\"]"),
            "{dot}"
        );
        assert!(dot.contains("\"host:v0\" -- \"host:br0\""), "{dot}");
        assert!(dot.contains("10.0.0.2/24"), "{dot}");
    }

    #[test]
    fn tunnels_pair_by_addresses_their_namespaces_own() {
        let mut m = lab(&[
            "ip netns add a",
            "ip netns add b",
            "ip -n a addr add 1.1.1.1/32 dev lo",
            "ip -n b addr add 2.2.2.2/32 dev lo",
            "ip -n a tunnel add t mode gre local 1.1.1.1 remote 2.2.2.2",
            "ip -n b tunnel add t mode gre local 2.2.2.2 remote 1.1.1.1",
            "ip -n b tunnel add u mode ipip remote 1.1.1.1",
        ]);
        let v = model(&mut m);
        assert_eq!(
            v["links"],
            json!([{ "kind": "gre", "a": "a:t", "b": "b:t" },
                   { "kind": "ipip", "a": "b:u", "ns": "a", "remote": "1.1.1.1" }])
        );
    }

    #[test]
    fn iptables_save_counters_become_chains() {
        let t = chains("*nat\n:POSTROUTING ACCEPT [3:180]\n[1:84] -A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n*raw\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n");
        assert_eq!(
            t,
            json!([{ "table": "nat", "chains": [{ "name": "POSTROUTING", "policy": "ACCEPT",
                "packets": 3, "bytes": 180,
                "rules": [{ "packets": 1, "bytes": 84, "rule": "-A POSTROUTING -o eth0 -j MASQUERADE" }] }] }])
        );
    }
}
