//! Random command lines against the invariants every tool must keep: no
//! panic, whatever the input; and a configuration command that fails leaves
//! the simulated kernel exactly as it was (the real tools' "nothing changed").

use proptest::prelude::*;
use vnet_core::World;
use vnet_tools::Machine;

const TOOLS: &[&str] = &[
    "ip",
    "ifconfig",
    "route",
    "brctl",
    "bridge",
    "tunctl",
    "sysctl",
    "arp",
    "ping",
    "tcpdump",
    "modprobe",
    "cat",
    "conntrack",
    "nc",
    "xtables-monitor",
];

const WORDS: &[&str] = &[
    "--trace",
    "--event",
    "-V",
    "-h",
    "link",
    "addr",
    "address",
    "route",
    "neigh",
    "netns",
    "tuntap",
    "add",
    "del",
    "delete",
    "set",
    "show",
    "list",
    "flush",
    "get",
    "replace",
    "change",
    "exec",
    "identify",
    "dev",
    "type",
    "veth",
    "bridge",
    "dummy",
    "peer",
    "name",
    "up",
    "down",
    "master",
    "nomaster",
    "mtu",
    "address",
    "via",
    "table",
    "local",
    "main",
    "metric",
    "proto",
    "scope",
    "src",
    "blackhole",
    "unreachable",
    "prohibit",
    "default",
    "lladdr",
    "nud",
    "permanent",
    "mode",
    "tap",
    "tun",
    "label",
    "brd",
    "+",
    "peer",
    "-4",
    "-6",
    "-br",
    "-j",
    "-d",
    "-s",
    "-o",
    "-n",
    "v0",
    "v1",
    "br0",
    "lo",
    "ns1",
    "nosuch",
    "10.0.0.1",
    "10.0.0.1/24",
    "10.0.0.0/8",
    "10.0.0.2",
    "0.0.0.0/0",
    "1.2.3",
    "300.1.1.1",
    "10.0.0.1/33",
    "02:00:00:00:00:01",
    "zz",
    "0",
    "1",
    "65536",
    "-1",
    "abc",
    "-c",
    "1",
    "-W",
    "-i",
    "-t",
    "-s",
    "-w",
    "addbr",
    "addif",
    "delif",
    "delbr",
    "showmacs",
    "showstp",
    "stp",
    "on",
    "off",
    "setageing",
    "fdb",
    "-t",
    "-d",
    "-u",
    "-w",
    "net.ipv4.ip_forward",
    "net.ipv4.ip_forward=1",
    "/proc/sys/net/ipv4/ip_forward",
    "-net",
    "-host",
    "netmask",
    "gw",
    "255.255.255.0",
    "broadcast",
    "hw",
    "ether",
    "promisc",
    "-arp",
    "tun",
    "help",
    "-L",
    "-D",
    "-F",
    "-G",
    "-C",
    "-S",
    "-p",
    "icmp",
    "tcp",
    "udp",
    "--state",
    "ESTABLISHED",
    "--sport",
    "--dport",
    "-u",
    "ASSURED",
    "-m",
    "0x1/0xff",
    "expect",
    "--orig-src",
    "/proc/net/nf_conntrack",
    "-l",
    "-z",
    "-v",
    "-w",
    "-N",
    "-k",
    "-q",
    "nexthop",
    "id",
    "1",
    "group",
    "1/2",
    "1,3/2",
    "blackhole",
    "via",
    "10.0.0.2",
    "nhid",
    "10.9.0.0/24",
    "bucket",
    "resilient",
    "buckets",
    "onlink",
    "80",
    "8080",
    "1-1024",
    "",
];

/// Where random commands may write files (`tcpdump -w -c`, `> 80`): a
/// scratch directory, never the directory the tests were started in.
fn scratch() -> String {
    let dir = std::env::temp_dir().join(format!("vnet-random-commands-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.to_string_lossy().into_owned()
}

fn lab() -> Machine {
    let mut m = Machine::new(World::new(5), Box::new(std::io::sink()));
    // The lab must come out of a failure as it went in: commands take no
    // time here, so that the clock and its timers stay put too.
    m.charge_costs = false;
    let dir = std::path::PathBuf::from(scratch());
    m.fs = vnet_tools::fs::lab_tree(&dir, &dir.join(".vnet"), &[], &[]).unwrap();
    for cmd in [
        "ip link add v0 type veth peer name v1",
        "ip link add br0 type bridge",
        "ip netns add ns1",
        "ip addr add 10.0.0.1/24 dev v0",
        "ip link set v0 up",
        "ip link set v1 up",
        "ip nexthop add id 1 via 10.0.0.2 dev v0",
        "ip nexthop add id 2 dev v0",
        "ip nexthop add id 3 group 1/2 type resilient buckets 4",
    ] {
        let argv: Vec<String> = cmd.split(' ').map(String::from).collect();
        assert_eq!(m.exec_in(0, &argv, None).0, 0, "{cmd}");
    }
    m
}

/// The tools to draw from: VNET_FUZZ_TOOLS=conntrack,nc narrows a long run
/// (a random `ping -i 0 -w 65536` legitimately floods for hours).
fn tools() -> Vec<&'static str> {
    match std::env::var("VNET_FUZZ_TOOLS") {
        Ok(only) => TOOLS
            .iter()
            .copied()
            .filter(|t| only.split(',').any(|o| o == *t))
            .collect(),
        Err(_) => TOOLS.to_vec(),
    }
}

fn snapshot(m: &Machine) -> String {
    serde_json::to_string(&m.world).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("VNET_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(600), ..ProptestConfig::default() })]

    #[test]
    fn no_command_line_panics_and_failures_change_nothing(
        tool in prop::sample::select(tools()),
        words in prop::collection::vec(prop::sample::select(WORDS), 0..8),
    ) {
        let mut m = lab();
        let mut argv = vec![tool.to_string()];
        argv.extend(words.iter().map(|w| w.to_string()));
        let before = snapshot(&m);
        let (status, _, _) = m.exec_in(0, &argv, None);
        // Programs that ran in time (ping, tcpdump, nc, xtables-monitor) legitimately change the
        // world even when they fail, and sysctl and ifconfig apply their
        // arguments one by one as the real ones do; the others validate first.
        let partial = matches!(
            tool,
            "ping" | "tcpdump" | "nc" | "xtables-monitor" | "sysctl" | "ifconfig"
        );
        if status != 0 && !partial {
            let after = snapshot(&m);
            prop_assert!(after == before, "{:?} failed with {} but changed the lab", argv, status);
        }
    }
}
