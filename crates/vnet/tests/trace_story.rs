//! `vnet run --trace`: a packet's story. Each event names the packet and
//! the namespace as the script named it; packets made in answer to
//! another (ARP requests, echo replies) are linked to it; a tcpdump
//! filter keeps the packets it matches and what they caused; the JSON
//! form follows the schema in docs/trace-schema.json.

use std::process::Command;

/// a — r — b, forwarding on in r, and `tail` (a ping or more).
fn lab(tail: &str) -> String {
    format!(
        "ip netns add a; ip netns add r; ip netns add b
ip link add va type veth peer name ra
ip link add vb type veth peer name rb
ip link set va netns a; ip link set ra netns r
ip link set rb netns r; ip link set vb netns b
ip -n a addr add 10.0.1.2/24 dev va
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n b addr add 10.0.2.2/24 dev vb
ip -n a link set va up; ip -n r link set ra up
ip -n r link set rb up; ip -n b link set vb up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
{tail}
"
    )
}

/// Runs `script` with `flags`; the trace is stderr.
fn trace(name: &str, script: &str, flags: &[&str]) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("vnet-trace-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("s.sh"), script).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .arg("run")
        .args(flags)
        .arg("s.sh")
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The packet id a line is about (`#12`).
fn pkt(line: &str) -> Option<u64> {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix('#'))
        .and_then(|n| n.parse().ok())
}

#[test]
fn an_echo_request_keeps_its_id_across_the_router_and_its_reply_names_it() {
    let (_, err) = trace(
        "follow",
        &lab("ip netns exec a ping -c 1 10.0.2.2"),
        &["--trace=icmp"],
    );
    let req: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("ICMP echo request"))
        .collect();
    // Built in a, out of va, into ra, out of rb, into vb: one packet.
    let places: Vec<String> = req
        .iter()
        .map(|l| {
            l.split_whitespace().nth(3).unwrap_or("").to_string()
                + " "
                + l.split_whitespace().nth(4).unwrap_or("")
        })
        .collect();
    assert_eq!(places, ["a built", "a va", "r ra", "r rb", "b vb"], "{err}");
    let id = pkt(req[0]).unwrap();
    assert!(req.iter().all(|l| pkt(l) == Some(id)), "{err}");
    // The reply is a new packet caused by the request, and delivered in a.
    let reply = pkt(err.lines().find(|l| l.contains("ICMP echo reply")).unwrap()).unwrap();
    assert_ne!(reply, id);
    assert!(
        err.lines().any(|l| pkt(l) == Some(reply) && l.contains(&format!("b new packet, caused by #{id}"))),
        "{err}"
    );
    assert!(err
        .lines()
        .any(|l| pkt(l) == Some(reply) && l.contains("a deliver 10.0.2.2 -> 10.0.1.2")));
    // The ARP request a sent before the echo request left is its consequence, kept by the filter.
    assert!(
        err.lines()
            .any(|l| l.contains(&format!("a new packet, caused by #{id}"))),
        "{err}"
    );
    assert!(
        err.contains("a va out ARP, Request who-has 10.0.1.1 tell 10.0.1.2"),
        "{err}"
    );
}

#[test]
fn the_filter_leaves_out_what_it_does_not_match() {
    let script = lab("ip netns exec a ping -c 1 10.0.2.2");
    let (_, all) = trace("all", &script, &["--trace"]);
    let (_, udp) = trace("udp", &script, &["--trace=udp"]);
    // Unfiltered, ARP and ICMP show; a UDP filter keeps none of them.
    assert!(all.contains("ICMP echo request"));
    assert!(all.contains("ARP, Request"), "{all}");
    assert!(!udp.contains("ICMP") && !udp.contains("ARP"), "{udp}");
    assert!(udp.lines().all(|l| pkt(l).is_none()), "{udp}");
}

#[test]
fn a_bad_filter_is_refused_before_the_script_runs() {
    let (out, err) = trace("bad", &lab("echo ran"), &["--trace=icmp and and"]);
    assert_eq!(out, "");
    assert!(err.contains("trace filter:"), "{err}");
}

#[test]
fn json_events_follow_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/trace-schema.json")).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let script = lab(
        "ip netns exec r iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
ip netns exec r iptables -P FORWARD DROP
ip netns exec a ping -c 1 -W 1 10.0.2.2",
    );
    let (_, err) = trace("json", &script, &["--trace", "--trace-format=json"]);
    let mut kinds = std::collections::BTreeSet::new();
    for line in err.lines() {
        let e: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|x| panic!("{x}: {line}"));
        if let Err(x) = v.validate(&e) {
            panic!("{x}: {line}");
        }
        kinds.insert(e["event"].as_str().unwrap().to_string());
    }
    for k in [
        "born",
        "built",
        "tx",
        "rx",
        "route",
        "neigh",
        "forward",
        "drop",
        "netfilter",
        "conntrack",
    ] {
        assert!(kinds.contains(k), "no {k} event in {kinds:?}");
    }
    // A document that breaks the schema is caught (the schema is not vacuous).
    let bad = serde_json::json!({"t": 0.0, "pkt": 1, "ns": "a", "event": "rx", "dev": "va"});
    assert!(v.validate(&bad).is_err());
}
