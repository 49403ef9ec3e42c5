//! `vnet run --trace` tells why a packet went where it went: the route as
//! `ip route` prints it, each netfilter chain's decision with the rule in
//! `iptables -S` form or the policy, conntrack's state and NAT's rewrite,
//! and drops with the kernel's reason and the counter that moved, in text
//! and in JSON.

use std::process::Command;

/// a — r — b: r forwards; `rules` are run in r; b has no default route.
fn lab(rules: &str) -> String {
    format!(
        "ip netns add a
ip netns add r
ip netns add b
ip link add va netns a type veth peer name ra netns r
ip link add vb netns b type veth peer name rb netns r
ip -n a addr add 10.0.1.2/24 dev va
ip -n a link set va up
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r link set ra up
ip -n r addr add 10.0.2.1/24 dev rb
ip -n r link set rb up
ip -n b addr add 10.0.2.2/24 dev vb
ip -n b link set vb up
ip -n a route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
{rules}
ip netns exec a ping -c1 -W1 10.0.2.2
"
    )
}

/// Runs the lab with `--trace=icmp` (and more options); stderr's lines.
fn trace(name: &str, script: &str, extra: &[&str]) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("vnet-trace-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lab.sh");
    std::fs::write(&path, script).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args(["run", "--trace=icmp"])
        .args(extra)
        .arg(&path)
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    renumbered(&String::from_utf8_lossy(&o.stderr))
}

/// stderr's lines without the time column (`[    0.000024] #1 r ...` →
/// `#1 r ...`), packet ids renumbered by first appearance: #1 is the first
/// packet the filter keeps, whatever the lab made before it (IPv6
/// autoconfiguration while commands take their time).
fn renumbered(stderr: &str) -> Vec<String> {
    let mut ids = std::collections::HashMap::new();
    stderr
        .lines()
        .map(|l| l.split_once("] ").map_or(l, |x| x.1))
        .map(|l| {
            l.split(' ')
                .map(
                    |w| match w.strip_prefix('#').and_then(|n| n.parse::<u64>().ok()) {
                        Some(n) => {
                            let k = ids.len() + 1;
                            format!("#{}", ids.entry(n).or_insert(k))
                        }
                        None => w.to_string(),
                    },
                )
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn has(lines: &[String], want: &str) {
    assert!(
        lines.iter().any(|l| l == want),
        "no line {want:?} in:\n{}",
        lines.join("\n")
    );
}

#[test]
fn a_forward_policy_drop_names_the_policy_the_rules_tried_and_the_kernel_reason() {
    let rules = "ip netns exec r iptables -P FORWARD DROP
ip netns exec r iptables -A FORWARD -s 10.9.0.0/16 -j ACCEPT
ip netns exec r iptables -A FORWARD -p tcp --dport 22 -j ACCEPT";
    let l = trace("policy", &lab(rules), &[]);
    has(
        &l,
        "#1 r route 10.0.2.2: 10.0.2.0/24 dev rb proto kernel scope link src 10.0.2.1",
    );
    has(&l, "#1 r filter/FORWARD policy DROP (2 rules tried)");
    has(&l, "#1 r drop NETFILTER_DROP (filter/FORWARD policy DROP)");
}

#[test]
fn a_drop_rule_is_quoted_as_iptables_s_prints_it() {
    let rules = "ip netns exec r iptables -A FORWARD -s 10.9.0.0/16 -j ACCEPT
ip netns exec r iptables -A FORWARD -d 10.0.2.2 -p icmp --icmp-type echo-request -j DROP";
    let l = trace("rule", &lab(rules), &[]);
    let rule = "-A FORWARD -d 10.0.2.2/32 -p icmp -m icmp --icmp-type 8 -j DROP";
    has(&l, &format!("#1 r filter/FORWARD rule 2: {rule}: DROP"));
    has(
        &l,
        &format!("#1 r drop NETFILTER_DROP (filter/FORWARD rule 2: {rule})"),
    );
}

#[test]
fn masquerade_and_conntrack_show_the_mapping_both_ways() {
    let rules = "ip netns exec r iptables -t nat -A POSTROUTING -o rb -j MASQUERADE";
    let l = trace("masq", &lab(rules), &[]);
    has(&l, "#1 r PREROUTING conntrack: NEW");
    has(
        &l,
        "#1 r nat/POSTROUTING rule 1: -A POSTROUTING -o rb -j MASQUERADE: MASQUERADE",
    );
    let mapped = l
        .iter()
        .find(|x| x.starts_with("#1 r POSTROUTING MASQUERADE: 10.0.1.2 -> 10.0.2.2 id "))
        .expect("the request is masqueraded");
    let id = mapped.rsplit(' ').next().unwrap();
    assert!(
        mapped.ends_with(&format!("=> 10.0.2.1 -> 10.0.2.2 id {id}")),
        "{mapped}"
    );
    has(&l, "#6 r PREROUTING conntrack: ESTABLISHED (reply)");
    has(
        &l,
        &format!(
            "#6 r PREROUTING DNAT: 10.0.2.2 -> 10.0.2.1 id {id} => 10.0.2.2 -> 10.0.1.2 id {id}"
        ),
    );
}

#[test]
fn without_masquerade_the_replys_missing_route_ends_the_story() {
    let l = trace("noroute", &lab(""), &[]);
    has(&l, "#6 b new packet, caused by #1");
    has(
        &l,
        "#6 b route 10.0.1.2: no route to 10.0.1.2 (table main has no default route): ENETUNREACH",
    );
    has(&l, "#6 b drop IP_OUTNOROUTES (OutNoRoute; IpOutNoRoutes)");
    // The same in JSON: the fields a program reads.
    let j = trace("noroute-json", &lab(""), &["--trace-format=json"]);
    let drop: serde_json::Value = j
        .iter()
        .filter_map(|x| serde_json::from_str::<serde_json::Value>(x).ok())
        .find(|v| v["event"] == "drop")
        .expect("a drop event");
    // The drop is the reply's: a packet b made because of the request.
    let born = |pkt: &serde_json::Value| {
        j.iter()
            .filter_map(|x| serde_json::from_str::<serde_json::Value>(x).ok())
            .find(|v| v["event"] == "born" && &v["pkt"] == pkt)
            .expect("born")
    };
    let cause = born(&drop["pkt"])["cause"].clone();
    let request = j
        .iter()
        .filter_map(|x| serde_json::from_str::<serde_json::Value>(x).ok())
        .find(|v| v["event"] == "built" && v["packet"].as_str().unwrap().contains("echo request"))
        .expect("the request");
    assert_eq!(cause, request["pkt"]);
    assert_eq!(drop["ns"], "b");
    assert_eq!(drop["reason"], "OutNoRoute");
    assert_eq!(drop["kernel_reason"], "IP_OUTNOROUTES");
    assert_eq!(drop["counter"], "IpOutNoRoutes");
}

#[test]
fn ip6tables_decisions_name_their_family_and_no_conntrack_is_claimed_without_it() {
    let script = "ip netns add a
ip netns add r
ip netns add b
ip link add va netns a type veth peer name ra netns r
ip link add vb netns b type veth peer name rb netns r
ip -n a addr add fd00:1::2/64 dev va nodad
ip -n a link set va up
ip -n r addr add fd00:1::1/64 dev ra nodad
ip -n r link set ra up
ip -n r addr add fd00:2::1/64 dev rb nodad
ip -n r link set rb up
ip -n b addr add fd00:2::2/64 dev vb nodad
ip -n b link set vb up
ip -n a -6 route add default via fd00:1::1
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec r ip6tables -P FORWARD DROP
ip netns exec r ip6tables -A FORWARD -p tcp -j ACCEPT
ip netns exec a ping -c1 -W1 fd00:2::2
";
    let dir = std::env::temp_dir().join(format!("vnet-trace-cli-{}-ip6", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lab.sh");
    std::fs::write(&path, script).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args(["run", "--trace=icmp6 and ip6[40] == 128"])
        .arg(&path)
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let l = renumbered(&String::from_utf8_lossy(&o.stderr));
    has(
        &l,
        "#1 r route fd00:2::2: fd00:2::/64 dev rb proto kernel metric 256 pref medium",
    );
    has(&l, "#1 r ip6 filter/FORWARD policy DROP (1 rule tried)");
    has(
        &l,
        "#1 r drop NETFILTER_DROP (ip6 filter/FORWARD policy DROP)",
    );
    assert!(
        !l.iter().any(|x| x.contains("conntrack")),
        "no rule needs conntrack: {l:?}"
    );
}
