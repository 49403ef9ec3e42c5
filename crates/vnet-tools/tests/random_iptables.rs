//! Random iptables and ip6tables command lines against the invariants of
//! the tools: no
//! panic whatever the words, and a command that fails leaves the simulated
//! kernel byte-identical (iptables-nft commits one batch or nothing).
//! `VNET_FUZZ_CASES=100000 cargo test --release --test random_iptables`
//! runs it for longer.

use proptest::prelude::*;
use vnet_core::World;
use vnet_tools::Machine;

const TOOLS: &[&str] = &[
    "iptables",
    "iptables-save",
    "iptables-restore",
    "ip6tables",
    "ip6tables-save",
    "ip6tables-restore",
];

const WORDS: &[&str] = &[
    "-A",
    "-I",
    "-D",
    "-R",
    "-C",
    "-L",
    "-S",
    "-F",
    "-Z",
    "-N",
    "-X",
    "-E",
    "-P",
    "-t",
    "nat",
    "mangle",
    "raw",
    "filter",
    "foo",
    "-n",
    "-v",
    "-x",
    "--line-numbers",
    "-nvL",
    "INPUT",
    "FORWARD",
    "OUTPUT",
    "PREROUTING",
    "POSTROUTING",
    "c1",
    "c2",
    "1",
    "2",
    "0",
    "99",
    "abc",
    "!",
    "-s",
    "-d",
    "10.0.0.1",
    "10.0.0.0/8",
    "1.2.3.4,5.6.7.8",
    "300.1.1.1",
    "10.0.0.0/33",
    "2001:db8::1",
    "2001:db8::/32",
    "::/0",
    "fe80::/129",
    "2001:db8::/ffff::",
    "icmpv6",
    "ipv6-icmp",
    "--icmpv6-type",
    "echo",
    "128/0",
    "icmp6",
    "icmp6-adm-prohibited",
    "no-route",
    "-i",
    "-o",
    "eth0",
    "eth+",
    "-p",
    "tcp",
    "udp",
    "icmp",
    "all",
    "47",
    "-f",
    "--dport",
    "--sport",
    "80",
    "1000:2000",
    ":22",
    "http",
    "--syn",
    "--tcp-flags",
    "SYN,ACK",
    "SYN",
    "--icmp-type",
    "echo-request",
    "3/4",
    "-m",
    "multiport",
    "--dports",
    "22,80",
    "conntrack",
    "--ctstate",
    "NEW,ESTABLISHED",
    "state",
    "--state",
    "mark",
    "--mark",
    "0x1/0xff",
    "comment",
    "--comment",
    "hi there",
    "limit",
    "--limit",
    "5/min",
    "--limit-burst",
    "addrtype",
    "--src-type",
    "LOCAL",
    "--limit-iface-in",
    "ttl",
    "--ttl-eq",
    "mac",
    "--mac-source",
    "02:00:00:00:00:01",
    "iprange",
    "--src-range",
    "10.0.0.1-10.0.0.9",
    "pkttype",
    "--pkt-type",
    "broadcast",
    "-j",
    "-g",
    "ACCEPT",
    "DROP",
    "RETURN",
    "REJECT",
    "--reject-with",
    "tcp-reset",
    "LOG",
    "--log-prefix",
    "--log-level",
    "MARK",
    "--set-mark",
    "CONNMARK",
    "--save-mark",
    "SNAT",
    "--to-source",
    "1.2.3.4:80",
    "DNAT",
    "--to",
    "MASQUERADE",
    "--to-ports",
    "REDIRECT",
    "NETMAP",
    "TTL",
    "--ttl-set",
    "CT",
    "--notrack",
    "--zone",
    "TRACE",
    "-c",
    "-h",
    "--bogus",
    "-w",
    "",
];

fn lab() -> Machine {
    let mut m = Machine::new(World::new(5), Box::new(std::io::sink()));
    // The lab must come out of a failure as it went in: commands take no
    // time here, so that the clock and its timers stay put too.
    m.charge_costs = false;
    for cmd in [
        "iptables -N c1",
        "iptables -A INPUT -p tcp --dport 22 -j ACCEPT",
        "iptables -A INPUT -j c1",
        "iptables -A c1 -s 10.0.0.0/8 -j DROP",
        "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
        "ip6tables -N c1",
        "ip6tables -A INPUT -s 2001:db8::/32 -p icmpv6 --icmpv6-type echo-request -j ACCEPT",
        "ip6tables -A c1 -j REJECT",
    ] {
        let argv: Vec<String> = cmd.split(' ').map(String::from).collect();
        assert_eq!(m.exec_in(0, &argv, None).0, 0, "{cmd}");
    }
    m
}

fn snapshot(m: &Machine) -> String {
    serde_json::to_string(&m.world).unwrap()
}

fn cases() -> u32 {
    std::env::var("VNET_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn no_iptables_line_panics_and_failures_change_nothing(
        prog in prop::sample::select(&["iptables", "ip6tables"][..]),
        words in prop::collection::vec(prop::sample::select(WORDS), 0..12),
    ) {
        let mut m = lab();
        let mut argv = vec![prog.to_string()];
        argv.extend(words.iter().map(|w| w.to_string()));
        let before = snapshot(&m);
        let (status, _, _) = m.exec_in(0, &argv, None);
        if status != 0 {
            prop_assert!(snapshot(&m) == before, "{:?} failed with {} but changed the lab", argv, status);
        }
    }

    #[test]
    fn random_restore_input_never_panics(
        tool in prop::sample::select(TOOLS),
        lines in prop::collection::vec(prop::collection::vec(prop::sample::select(WORDS), 0..8), 0..6),
        header in prop::sample::select(&["*filter", "*nat", "*bogus", ":INPUT DROP [1:2]", ":c9 - [0:0]", "COMMIT", ""][..]),
    ) {
        let mut m = lab();
        let mut text = format!("{header}\n");
        for l in &lines {
            text += &l.join(" ");
            text.push('\n');
        }
        text += "COMMIT\n";
        let argv = vec![tool.to_string()];
        let _ = m.exec_in(0, &argv, Some(text.into_bytes()));
    }
}

#[test]
fn save_then_restore_round_trips() {
    let mut m = lab();
    for cmd in [
        "iptables -A INPUT -m comment --comment x -m limit --limit 7/sec -j LOG --log-prefix p",
        "iptables -t mangle -A PREROUTING -j MARK --set-xmark 0x3/0xf",
        "ip6tables -A FORWARD ! -d fe80::/10 -p tcp -m multiport --dports 80,443 -j c1",
        "ip6tables -A INPUT -p icmpv6 ! --icmpv6-type 1/3 -j REJECT --reject-with tcp-reset",
        "ip6tables -t raw -A OUTPUT -s 2001:db8::/ffff:0:ffff:: -j CT --notrack",
    ] {
        let argv: Vec<String> = cmd.split(' ').map(String::from).collect();
        let (st, _, err) = m.exec_in(0, &argv, None);
        // REJECT tcp-reset needs -p tcp: refused, and nothing changes.
        assert_eq!(
            st,
            if cmd.contains("tcp-reset") { 4 } else { 0 },
            "{cmd}: {err:?}"
        );
    }
    for prog in ["iptables", "ip6tables"] {
        let save = vec![format!("{prog}-save"), "-c".to_string()];
        let (_, first, _) = m.exec_in(0, &save, None);
        assert!(String::from_utf8_lossy(&first).contains(&format!("# Generated by {prog}-save")));
        let restore = vec![format!("{prog}-restore"), "-c".to_string()];
        let (st, _, err) = m.exec_in(0, &restore, Some(first.clone()));
        assert_eq!(st, 0, "{}", String::from_utf8_lossy(&err));
        let (_, second, _) = m.exec_in(0, &save, None);
        assert_eq!(first, second);
    }
}
