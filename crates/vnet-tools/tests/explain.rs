//! The explain engine without the binary: labs built by running a script
//! on a Machine, probes explained on them, verdicts checked part by part.

use std::net::Ipv4Addr;
use vnet_core::{Time, World};
use vnet_shell::Shell;
use vnet_tools::explain::verdict::Outcome;
use vnet_tools::explain::{self, watch::Watch, Probe};
use vnet_tools::Machine;

/// h1 (10.0.1.2) -- r (10.0.1.1 | 10.0.2.1) -- h2 (10.0.2.2), r forwarding.
const ROUTED: &str = "\
ip netns add h1
ip netns add r
ip netns add h2
ip link add veth0 netns h1 type veth peer name veth1 netns r
ip link add veth2 netns r type veth peer name veth3 netns h2
ip -n h1 addr add 10.0.1.2/24 dev veth0
ip -n r addr add 10.0.1.1/24 dev veth1
ip -n r addr add 10.0.2.1/24 dev veth2
ip -n h2 addr add 10.0.2.2/24 dev veth3
ip -n h1 link set veth0 up
ip -n r link set veth1 up
ip -n r link set veth2 up
ip -n h2 link set veth3 up
ip -n h1 route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
";

fn lab(script: &str) -> World {
    let mut m = Machine::new(World::new(1), Box::new(std::io::sink()));
    let mut sh = Shell::new("lab.sh");
    let st = sh.run_script(script, &mut m);
    assert_eq!(st, 0, "the lab script failed");
    m.kill_all();
    m.world
}

fn probe(src: &str, dst: [u8; 4]) -> Probe {
    Probe::new(src, Ipv4Addr::from(dst))
}

#[test]
fn an_answered_probe_is_delivered_with_the_answer_back_via_the_router() {
    let w = lab(&format!(
        "{ROUTED}ip -n h2 route add default via 10.0.2.1\n"
    ));
    let ex = explain::explain(w, &probe("h1", [10, 0, 2, 2])).expect("explained");
    let v = &ex.verdict;
    assert_eq!(v.outcome, Outcome::Delivered, "{}", v.line);
    assert_eq!(
        v.line,
        "delivered: 10.0.2.2 answered (echo reply back via r)"
    );
    assert!(v.probe.is_some() && v.answer.is_some());
    assert!(v.hints.is_empty(), "{:?}", v.hints);
    // The journey holds the probe leaving h1 and the answer crossing r.
    let places = |role: &str| -> Vec<String> {
        ex.journey
            .iter()
            .filter(|s| s.role == role)
            .map(|s| ex.index.events[s.event].place.clone())
            .collect()
    };
    assert!(places("probe").contains(&"h1".to_string()));
    assert!(places("probe").contains(&"h2".to_string()));
    assert!(places("answer").contains(&"r".to_string()));
    assert!(ex.text().starts_with("delivered: "));
}

#[test]
fn a_forward_policy_names_the_router_the_chain_and_the_rules_tried() {
    let w = lab(&format!(
        "{ROUTED}ip -n h2 route add default via 10.0.2.1\n\
         ip netns exec r iptables -P FORWARD DROP\n\
         ip netns exec r iptables -A FORWARD -p udp -j ACCEPT\n"
    ));
    let ex = explain::explain(w, &probe("h1", [10, 0, 2, 2])).expect("explained");
    let v = &ex.verdict;
    assert_eq!(v.outcome, Outcome::Dropped);
    assert_eq!(v.place.as_deref(), Some("r"));
    assert_eq!(v.stage.as_deref(), Some("filter/FORWARD"));
    assert_eq!(
        v.line,
        "dropped in r at filter/FORWARD: policy DROP, no rule matched (1 rule tried)"
    );
    assert!(v.hints.iter().any(|h| h.contains("FORWARD chain's policy")));
    assert!(v.answer.is_none());
}

#[test]
fn a_reply_without_a_route_back_is_no_reply_with_the_masquerade_hint() {
    let w = lab(ROUTED);
    let ex = explain::explain(w, &probe("h1", [10, 0, 2, 2])).expect("explained");
    let v = &ex.verdict;
    assert_eq!(v.outcome, Outcome::NoReply);
    assert_eq!(v.place.as_deref(), Some("h2"));
    assert_eq!(
        v.line,
        "no reply: 10.0.2.2 in h2 has no route back to 10.0.1.2 (table main, no default route)"
    );
    assert!(v.hints.iter().any(|h| h.contains("-o veth2 -j MASQUERADE")));
}

#[test]
fn tcp_and_udp_probes_to_closed_ports_are_refused() {
    let script = format!("{ROUTED}ip -n h2 route add default via 10.0.2.1\n");
    let mut p = probe("h1", [10, 0, 2, 2]);
    p.proto = 6;
    p.port = Some(8080);
    let ex = explain::explain(lab(&script), &p).expect("explained");
    assert_eq!(ex.verdict.outcome, Outcome::Refused, "{}", ex.verdict.line);
    assert!(ex.verdict.line.contains("tcp port 8080"));
    assert!(ex.verdict.line.contains("RST back via r"));
    p.proto = 17;
    let ex = explain::explain(lab(&script), &p).expect("explained");
    assert_eq!(ex.verdict.outcome, Outcome::Refused, "{}", ex.verdict.line);
    assert!(ex.verdict.line.contains("udp port 8080"));
}

#[test]
fn a_source_that_cannot_send_is_not_sent() {
    let w = lab(ROUTED);
    let ex = explain::explain(w, &probe("h2", [10, 0, 1, 2])).expect("explained");
    assert_eq!(ex.verdict.outcome, Outcome::NotSent);
    assert_eq!(
        ex.verdict.line,
        "not sent: h2 has no route to 10.0.1.2 (table main, no default route)"
    );
    assert!(ex.journey.is_empty());
}

#[test]
fn namespaces_are_named_as_the_user_names_them() {
    let w = lab(ROUTED);
    for name in ["h1", "host:h1", "r", "host"] {
        assert!(explain::find_ns(&w, name).is_some(), "{name}");
    }
    assert!(explain::find_ns(&w, "nosuch").is_none());
    assert!(explain::find_ns(&w, "other:h1").is_none());
    let err = explain::explain(w, &probe("nosuch", [10, 0, 2, 2]))
        .err()
        .expect("an error");
    assert!(
        err.contains("no namespace 'nosuch'") && err.contains("h2"),
        "{err}"
    );
}

#[test]
fn the_watch_reports_a_command_whose_probe_was_dropped_and_not_one_that_arrived() {
    let mut w = lab(&format!(
        "{ROUTED}ip -n h2 route add default via 10.0.2.1\n\
         ip netns exec r iptables -A FORWARD -d 10.0.2.2 -j DROP\n"
    ));
    let watch = Watch::new();
    let sink = watch.clone();
    w.set_tracer(Some(Box::new(move |t| sink.event(t))));
    let mut m = Machine::new(w, Box::new(std::io::sink()));
    let h1 = explain::find_ns(&m.world, "h1").expect("h1");
    let argv = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    watch.start();
    let (st, _, _) = m.exec_in(h1, &argv("ping -c 2 -W 1 10.0.2.2"), None);
    assert_eq!(st, 1);
    assert_eq!(
        watch.finish(&m.world),
        ["dropped in r at filter/FORWARD: rule 1 (-A FORWARD -d 10.0.2.2/32 -j DROP)"]
    );
    watch.start();
    let (st, _, _) = m.exec_in(h1, &argv("ping -c 1 10.0.2.1"), None);
    assert_eq!(st, 0);
    assert!(watch.finish(&m.world).is_empty());
}

#[test]
fn a_next_hop_still_unresolved_when_the_command_ends_is_the_verdict() {
    // The ping gives up after a second, before the router's ARP has failed.
    let mut w = lab(&format!(
        "{ROUTED}ip -n h2 route add default via 10.0.2.1\n"
    ));
    let watch = Watch::new();
    let sink = watch.clone();
    w.set_tracer(Some(Box::new(move |t| sink.event(t))));
    let mut m = Machine::new(w, Box::new(std::io::sink()));
    let h1 = explain::find_ns(&m.world, "h1").expect("h1");
    watch.start();
    let argv: Vec<String> = "ping -c 1 -W 1 10.0.2.9"
        .split(' ')
        .map(str::to_string)
        .collect();
    m.exec_in(h1, &argv, None);
    // The router still waits for 10.0.2.9, which nobody has.
    let lines = watch.finish(&m.world);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("dropped in r at neighbour: 10.0.2.9 did not answer ARP on veth2"),
        "{lines:?}"
    );
    assert!(m.world.now() >= Time::from_secs(1));
}

#[test]
fn the_watch_survives_namespaces_deleted_under_it_and_names_an_unrouted_send() {
    let mut w = lab(ROUTED);
    let watch = Watch::new();
    let sink = watch.clone();
    w.set_tracer(Some(Box::new(move |t| sink.event(t))));
    let mut m = Machine::new(w, Box::new(std::io::sink()));
    let mut sh = Shell::new("s.sh");
    let argv = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    // h2's reply finds no route; then h2 and r go while it is judged.
    let h1 = explain::find_ns(&m.world, "h1").expect("h1");
    watch.start();
    m.exec_in(h1, &argv("ping -c 1 -W 1 10.0.2.2"), None);
    assert_eq!(
        sh.run_script("ip netns del h2\nip netns del r\n", &mut m),
        0
    );
    assert_eq!(
        watch.finish(&m.world),
        ["no reply: 10.0.2.2 in h2 has no route back to 10.0.1.2 (table main, no default route)"]
    );
    // A ping left running in h1 keeps sending after its route went with r.
    let mut w = lab(ROUTED);
    w.set_tracer(Some(Box::new({
        let sink = watch.clone();
        move |t| sink.event(t)
    })));
    let mut m = Machine::new(w, Box::new(std::io::sink()));
    // The ping starts at once (no start-up cost), while r still routes.
    m.charge_costs = false;
    let bg = "ip netns exec h1 ping -c 4 -i 0.5 10.0.2.2 > /dev/null 2>&1 &\n";
    assert_eq!(sh.run_script(bg, &mut m), 0);
    watch.start();
    assert_eq!(sh.run_script("ip netns del r\nsleep 2\n", &mut m), 0);
    assert_eq!(
        watch.finish(&m.world),
        ["not sent: h1 has no route to 10.0.2.2 (table main, no default route)"]
    );
}
