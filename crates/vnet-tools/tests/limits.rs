//! The kernel's and the tools' limits, each answered as on Debian 12 (the
//! expected texts were printed by the real tools in a namespace sandbox):
//! names, nf_tables jump depth and loops, sysctl ranges, and the honest
//! gaps (`vnet: X is not simulated yet`).

use vnet_core::World;
use vnet_tools::Machine;

/// A lab whose commands take no time: a refused command must leave it
/// exactly as it was, clock and timers included.
fn lab() -> Machine {
    let mut m = Machine::new(World::new(1), Box::new(std::io::sink()));
    m.charge_costs = false;
    m
}

fn run_argv(m: &mut Machine, argv: &[&str]) -> (i32, String, String) {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let (st, out, err) = m.exec_in(0, &argv, None);
    (
        st,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn run(m: &mut Machine, cmd: &str) -> (i32, String, String) {
    let argv: Vec<&str> = cmd.split(' ').collect();
    run_argv(m, &argv)
}

fn ok(m: &mut Machine, cmd: &str) {
    let (st, _, err) = run(m, cmd);
    assert_eq!((st, err.as_str()), (0, ""), "{cmd}");
}

fn fails(m: &mut Machine, argv: &[&str], status: i32, err: &str) {
    let before = serde_json::to_string(&m.world).unwrap();
    let r = run_argv(m, argv);
    assert_eq!((r.0, r.2.as_str()), (status, err), "{argv:?}");
    assert_eq!(
        serde_json::to_string(&m.world).unwrap(),
        before,
        "{argv:?} changed the lab"
    );
}

#[test]
fn ip_options_without_their_value_do_not_panic() {
    let mut m = lab();
    let (st, _, err) = run(&mut m, "ip -f");
    assert_eq!(st, 255);
    assert!(err.starts_with("Usage: ip [ OPTIONS ] OBJECT"), "{err}");
    let (st, _, err) = run(&mut m, "ip -family");
    assert_eq!(st, 255);
    assert!(err.starts_with("Usage: ip [ OPTIONS ] OBJECT"), "{err}");
    fails(
        &mut m,
        &["ip", "-f", "foo"],
        255,
        "Error: argument \"foo\" is wrong: invalid protocol family\n",
    );
    fails(
        &mut m,
        &["ip", "link", "add", "va", "type"],
        255,
        "Command line is not complete. Try option \"help\"\n",
    );
    fails(
        &mut m,
        &["ip", "-n"],
        255,
        "Cannot open network namespace \"(null)\": No such file or directory\n",
    );
}

#[test]
fn netns_names_follow_iproute2() {
    let mut m = lab();
    fails(
        &mut m,
        &["ip", "netns", "add", ""],
        255,
        "Invalid netns name \"\"\n",
    );
    let long = "a".repeat(256);
    fails(
        &mut m,
        &["ip", "netns", "add", &long],
        255,
        &format!("Invalid netns name \"{long}\"\n"),
    );
    fails(
        &mut m,
        &["ip", "netns", "add", "a/b"],
        255,
        "Invalid netns name \"a/b\"\n",
    );
    fails(
        &mut m,
        &["ip", "netns", "add", ".."],
        255,
        "Invalid netns name \"..\"\n",
    );
    fails(
        &mut m,
        &["ip", "netns", "add", "a\0b"],
        255,
        "Invalid netns name \"a\0b\"\n",
    );
    // Every subcommand checks the word after it first.
    fails(
        &mut m,
        &["ip", "netns", "exec", "", "true"],
        255,
        "Invalid netns name \"\"\n",
    );
    fails(
        &mut m,
        &["ip", "netns", "foo", ""],
        255,
        "Invalid netns name \"\"\n",
    );
    let max = "a".repeat(255);
    let (st, _, _) = run_argv(&mut m, &["ip", "netns", "add", &max]);
    assert_eq!(st, 0);
    assert!(m.world.netns_by_name(&max).is_some());
    // The core refuses them too.
    assert!(m.world.netns_add("").is_err());
    assert!(m.world.netns_add("x\0").is_err());
}

#[test]
fn device_names_follow_iproute2_then_the_kernel() {
    let mut m = lab();
    fails(
        &mut m,
        &["ip", "link", "add", "a b", "type", "veth"],
        255,
        "Error: argument \"a b\" is wrong: \"dev\" not a valid ifname\n",
    );
    fails(
        &mut m,
        &["ip", "link", "add", "", "type", "veth"],
        255,
        "Error: argument \"\" is wrong: \"dev\" not a valid ifname\n",
    );
    fails(
        &mut m,
        &["ip", "link", "add", "a/b", "type", "veth"],
        255,
        "Error: argument \"a/b\" is wrong: \"dev\" not a valid ifname\n",
    );
    fails(
        &mut m,
        &["ip", "link", "add", "a\0b", "type", "veth"],
        255,
        "Error: argument \"a\0b\" is wrong: \"dev\" not a valid ifname\n",
    );
    let sixteen = "a".repeat(16);
    fails(
        &mut m,
        &["ip", "link", "add", &sixteen, "type", "veth"],
        2,
        "Error: Attribute failed policy validation.\n",
    );
    fails(
        &mut m,
        &["ip", "link", "add", "name", &sixteen, "type", "veth"],
        255,
        &format!("Error: argument \"{sixteen}\" is wrong: \"name\" not a valid ifname\n"),
    );
    fails(
        &mut m,
        &["ip", "link", "add", "a:b", "type", "veth"],
        2,
        "RTNETLINK answers: Invalid argument\n",
    );
    fails(
        &mut m,
        &["ip", "link", "add", ".", "type", "veth"],
        2,
        "RTNETLINK answers: Invalid argument\n",
    );
    fails(
        &mut m,
        &[
            "ip", "link", "add", "x", "type", "veth", "peer", "name", &sixteen,
        ],
        255,
        &format!("Error: argument \"{sixteen}\" is wrong: \"name\" not a valid ifname\n"),
    );
    fails(
        &mut m,
        &["ip", "link", "add", "x", "type", "veth", "peer", "a:b"],
        2,
        "RTNETLINK answers: Invalid argument\n",
    );
    fails(
        &mut m,
        &["ip", "link", "set", "lo", "name", "a:b"],
        2,
        "RTNETLINK answers: Invalid argument\n",
    );
    fails(
        &mut m,
        &["ip", "link", "set", "lo", "name", &sixteen],
        255,
        &format!("Error: argument \"{sixteen}\" is wrong: \"name\" not a valid ifname\n"),
    );
    fails(
        &mut m,
        &["ip", "link", "set", "dev", "a b", "up"],
        255,
        "Error: argument \"a b\" is wrong: \"dev\" not a valid ifname\n",
    );
    let fifteen = "a".repeat(15);
    let (st, _, err) = run_argv(&mut m, &["ip", "link", "add", &fifteen, "type", "veth"]);
    assert_eq!((st, err.as_str()), (0, ""));
    assert!(vnet_core::netns::dev_valid_name(&fifteen));
    assert!(!vnet_core::netns::dev_valid_name(&sixteen));
}

#[test]
fn chain_names_follow_iptables() {
    let mut m = lab();
    let try_ = "Try `iptables -h' or 'iptables --help' for more information.\n";
    let long = "a".repeat(29);
    fails(&mut m, &["iptables", "-N", &long], 2, &format!("iptables v1.8.9 (nf_tables): chain name `{long}' too long (must be under 29 chars)\n{try_}"));
    fails(
        &mut m,
        &["iptables", "-N", "a b"],
        2,
        &format!("iptables v1.8.9 (nf_tables): Invalid chain name `a b'\n{try_}"),
    );
    fails(
        &mut m,
        &["iptables", "-N", "a\0b"],
        2,
        &format!("iptables v1.8.9 (nf_tables): Invalid chain name `a\0b'\n{try_}"),
    );
    fails(
        &mut m,
        &["iptables", "-N", "NFLOG"],
        2,
        &format!("iptables v1.8.9 (nf_tables): chain name may not clash with target name\n{try_}"),
    );
    ok(&mut m, &format!("iptables -N {}", "a".repeat(28)));
    // isspace() in the C locale: a no-break space is a name character.
    let (st, _, _) = run_argv(&mut m, &["iptables", "-N", "a\u{a0}b"]);
    assert_eq!(st, 0);
}

/// Chains c1..=cn, each jumping to the next.
fn ladder(m: &mut Machine, n: usize) {
    for i in 1..=n {
        ok(m, &format!("iptables -N c{i}"));
    }
    for i in 1..n {
        ok(m, &format!("iptables -A c{i} -j c{}", i + 1));
    }
}

#[test]
fn jumps_nest_fifteen_deep_and_no_deeper() {
    let mut m = lab();
    ladder(&mut m, 20);
    // OUTPUT -> c6..c20: c20 at level 15.
    ok(&mut m, "iptables -A OUTPUT -j c6");
    ok(&mut m, "iptables -D OUTPUT -j c6");
    let e =
        "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Too many links): rule in chain OUTPUT\n";
    fails(&mut m, &["iptables", "-A", "OUTPUT", "-j", "c5"], 4, e);
    fails(&mut m, &["iptables", "-A", "OUTPUT", "-g", "c3"], 4, e);
}

#[test]
fn loops_count_only_where_a_base_chain_reaches_them() {
    let mut m = lab();
    for cmd in [
        "iptables -N a",
        "iptables -N b",
        "iptables -A a -j b",
        "iptables -A b -j a",
        "iptables -A a -j a",
    ] {
        ok(&mut m, cmd);
    }
    fails(
        &mut m,
        &["iptables", "-A", "INPUT", "-j", "a"],
        4,
        "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Too many links): rule in chain INPUT\n",
    );
}

#[test]
fn restore_names_the_line_the_kernel_refuses() {
    let mut m = lab();
    let rules = "*filter\n:x - [0:0]\n:y - [0:0]\n-A x -j y\n-A y -j x\n-A INPUT -j x\n-A INPUT -j ACCEPT\nCOMMIT\n";
    let before = serde_json::to_string(&m.world).unwrap();
    let (st, _, err) = {
        let argv = vec!["iptables-restore".to_string()];
        let (st, out, err) = m.exec_in(0, &argv, Some(rules.as_bytes().to_vec()));
        (st, out, String::from_utf8(err).unwrap())
    };
    assert_eq!(
        (st, err.as_str()),
        (4, "iptables-restore v1.8.9 (nf_tables): \nline 6: RULE_APPEND failed (Too many links): rule in chain INPUT\n")
    );
    assert_eq!(serde_json::to_string(&m.world).unwrap(), before);
}

#[test]
fn chains_jumping_twice_to_the_next_are_checked_at_once() {
    // 2^27 paths from INPUT: a walk of every path would not end.
    let mut rules = String::from("*filter\n");
    for i in 1..=28 {
        rules += &format!(":c{i} - [0:0]\n");
    }
    for i in 1..28 {
        rules += &format!(
            "-A c{i} -p tcp -j c{}\n-A c{i} -p udp -j c{}\n",
            i + 1,
            i + 1
        );
    }
    rules += "-A INPUT -j c14\nCOMMIT\n";
    let mut m = lab();
    let argv = vec!["iptables-restore".to_string()];
    let (st, _, err) = m.exec_in(0, &argv, Some(rules.as_bytes().to_vec()));
    assert_eq!(st, 0, "{}", String::from_utf8_lossy(&err));
    let deep = rules.replace("-A INPUT -j c14", "-A INPUT -j c1");
    let (st, _, err) = m.exec_in(0, &argv, Some(deep.into_bytes()));
    let err = String::from_utf8(err).unwrap();
    assert_eq!(st, 4);
    assert!(
        err.ends_with(&format!(
            "line {}: RULE_APPEND failed (Too many links): rule in chain INPUT\n",
            2 + 28 + 54
        )),
        "{err}"
    );
}

#[test]
fn sysctl_refuses_what_the_kernel_refuses() {
    let mut m = lab();
    for (kv, key) in [
        ("net.ipv4.ip_default_ttl=0", "net.ipv4.ip_default_ttl"),
        ("net.ipv4.ip_default_ttl=256", "net.ipv4.ip_default_ttl"),
        ("net.ipv4.ip_default_ttl=-5", "net.ipv4.ip_default_ttl"),
        ("net.ipv4.icmp_ratelimit=-1", "net.ipv4.icmp_ratelimit"),
        ("net.core.somaxconn=-1", "net.core.somaxconn"),
        (
            "net.ipv4.ip_local_port_range=5000 100",
            "net.ipv4.ip_local_port_range",
        ),
        ("net.ipv6.conf.lo.hop_limit=0", "net.ipv6.conf.lo.hop_limit"),
    ] {
        fails(
            &mut m,
            &["sysctl", "-w", kv],
            1,
            &format!("sysctl: setting key \"{key}\": Invalid argument\n"),
        );
    }
    let (st, out, _) = run(&mut m, "sysctl -w net.ipv4.ip_default_ttl=0x10");
    assert_eq!((st, out.as_str()), (0, "net.ipv4.ip_default_ttl = 0x10\n"));
    assert_eq!(
        m.world.sysctl_read(0, "net.ipv4.ip_default_ttl").as_deref(),
        Some("16")
    );
}

#[test]
fn gaps_say_so() {
    let mut m = lab();
    let gap = |what: &str| format!("vnet: {what} is not simulated yet\n");
    fails(&mut m, &["ip", "mptcp"], 2, &gap("ip mptcp"));
    fails(&mut m, &["ip", "xfrm", "state"], 2, &gap("ip xfrm"));
    fails(
        &mut m,
        &["ip", "nosuch"],
        1,
        "Object \"nosuch\" is unknown, try \"ip help\".\n",
    );
    fails(
        &mut m,
        &["ip", "link", "add", "x", "type", "team"],
        2,
        &gap("ip link type team"),
    );
    fails(
        &mut m,
        &[
            "ip", "link", "add", "link", "lo", "name", "v", "type", "vlan", "id", "5",
        ],
        2,
        // lo is NETIF_F_VLAN_CHALLENGED: vlan_check_real_dev() refuses it.
        "Error: 8021q: VLANs not supported on device.\n",
    );
    fails(
        &mut m,
        &["ip", "link", "add", "x", "type", "nosuch"],
        2,
        "Error: Unknown device type.\n",
    );
    fails(
        &mut m,
        &["ip", "route", "add", "10.0.0.0/8", "realm", "5"],
        2,
        &gap("ip route realm"),
    );
    fails(
        &mut m,
        &[
            "ip",
            "route",
            "add",
            "10.0.0.0/8",
            "encap",
            "mpls",
            "100",
            "dev",
            "lo",
        ],
        2,
        &gap("ip route encap"),
    );
    fails(
        &mut m,
        &["iptables", "-A", "INPUT", "-m", "recent", "--set"],
        2,
        &gap("iptables match \"recent\""),
    );
    fails(
        &mut m,
        &["iptables", "-A", "INPUT", "-j", "NFLOG"],
        2,
        &gap("iptables target \"NFLOG\""),
    );
    fails(
        &mut m,
        &["ip6tables", "-A", "INPUT", "-m", "hl", "--hl-eq", "5"],
        2,
        &gap("iptables match \"hl\""),
    );
    // An IPv6-only match is unknown to iptables.
    let (st, _, err) = run(&mut m, "iptables -A INPUT -m hl");
    assert_eq!(st, 2);
    assert!(err.contains("Couldn't load match `hl'"), "{err}");
    for p in [
        "nft",
        "ss",
        "tc",
        "ethtool",
        "iperf3",
        "traceroute",
        "arping",
        "ipset",
        "netstat",
    ] {
        fails(&mut m, &[p], 2, &gap(p));
        fails(&mut m, &[p, "-h"], 2, &gap(p));
    }
    fails(
        &mut m,
        &["nosuchprogram"],
        127,
        "bash: nosuchprogram: command not found\n",
    );
}

#[test]
fn gap_programs_are_not_userland_tools() {
    for p in vnet_tools::unsimulated::PROGRAMS {
        assert!(
            vnet_userland::lookup(p).is_none(),
            "{p} is simulated by vnet-userland"
        );
    }
}

#[test]
fn iptables_restore_of_a_gap_says_so() {
    let mut m = lab();
    let rules = "*filter\n-A INPUT -j NFLOG\nCOMMIT\n";
    let argv = vec!["iptables-restore".to_string()];
    let (st, _, err) = m.exec_in(0, &argv, Some(rules.as_bytes().to_vec()));
    assert_eq!(
        (st, String::from_utf8(err).unwrap()),
        (
            2,
            "vnet: iptables target \"NFLOG\" is not simulated yet\n".to_string()
        )
    );
}

#[test]
fn appends_in_place_leave_what_a_whole_table_replace_leaves() {
    // `-v` takes the general path (copy, check, replace); without it a
    // plain -A is applied in place. Both must leave the same state,
    // handles and the conntrack switch included.
    let cmds = [
        "iptables -A INPUT -s 10.0.0.1 -j ACCEPT",
        "iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT",
        "iptables -N x",
        "iptables -A x -j DROP",
        "iptables -A INPUT -j x",
        "iptables -t nat -A POSTROUTING -o lo -j MASQUERADE",
        "iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.2",
        "iptables -A OUTPUT -s 10.0.0.1,10.0.0.2 -d 10.0.0.3 -j REJECT",
        "ip6tables -A INPUT -p udp -j ACCEPT",
        "iptables -A FORWARD -m state --state ESTABLISHED -j ACCEPT",
    ];
    let mut fast = lab();
    let mut slow = lab();
    for cmd in cmds {
        assert_eq!(run(&mut fast, cmd).0, 0, "{cmd}");
        let verbose = cmd.replacen(" -A ", " -v -A ", 1);
        assert_eq!(run(&mut slow, &verbose).0, 0, "{verbose}");
        assert_eq!(
            serde_json::to_string(m_nf(&fast)).unwrap(),
            serde_json::to_string(m_nf(&slow)).unwrap(),
            "after {cmd}"
        );
    }
    // An append the kernel refuses (REJECT reached from PREROUTING) fails the same way.
    for m in [&mut fast, &mut slow] {
        fails(m, &["iptables", "-t", "nat", "-A", "OUTPUT", "-j", "MASQUERADE"], 4, "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain OUTPUT\n");
    }
}

fn m_nf(m: &Machine) -> &vnet_core::netfilter::Netfilter {
    m.world.ns(0).nf()
}
