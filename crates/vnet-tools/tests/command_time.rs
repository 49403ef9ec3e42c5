//! Commands take the time they take on a kernel (vnet_tools::cost), and
//! the kernel's timers run meanwhile. The figures the assertions use were
//! measured on the reference kernel by scripts/measure-costs.sh.

mod common;
use common::Lab;
use vnet_tools::cost;

const VETH: &str = "ip link add v0 type veth peer name v1; ip link set v1 up";

/// v0's TX packets, as `ip -s link show` prints them.
fn tx_packets(lab: &mut Lab) -> u64 {
    let e = lab.run("ip -s link show v0");
    let line = e.stdout.lines().nth(5).unwrap_or_default().to_string();
    line.split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no TX packets in: {}", e.stdout))
}

#[test]
fn each_command_takes_its_measured_time() {
    let mut lab = Lab::new();
    let t0 = lab.m.world.now();
    lab.run("ip link add v0 type veth peer name v1");
    let dt = lab.m.world.now().saturating_sub(t0);
    assert_eq!(dt, cost::IP_LINK_ADD.before + cost::IP_LINK_ADD.after);
    // A builtin forks nothing.
    let t1 = lab.m.world.now();
    lab.run("x=1; : $x; test -n $x");
    assert_eq!(lab.m.world.now(), t1);
    // A function's commands cost what they cost, the call nothing.
    lab.run("f() { ip link show v0 >/dev/null; }");
    let t2 = lab.m.world.now();
    lab.run("f");
    assert_eq!(
        lab.m.world.now().saturating_sub(t2),
        cost::IP.before + cost::IP.after
    );
    // Not found: bash forks nothing.
    let t3 = lab.m.world.now();
    let e = lab.run("no-such-command");
    assert_eq!(e.exit, 127);
    assert_eq!(lab.m.world.now(), t3);
}

#[test]
fn the_first_mld_report_shows_in_the_counters_some_commands_after_link_up() {
    let mut lab = Lab::new();
    lab.run(VETH);
    lab.run("ip link set v0 up");
    // At once (one command later) nothing has left: the report goes 8-12 ms
    // after the link came up, as on the kernel.
    assert_eq!(tx_packets(&mut lab), 0);
    for _ in 0..10 {
        lab.run("ip link show v0 > /dev/null");
    }
    assert!(tx_packets(&mut lab) >= 1);
}

#[test]
fn without_costs_the_report_would_not_have_left_yet() {
    // What f36_command_time's golden shows only with costs charged.
    let mut lab = Lab::without_costs();
    lab.run(VETH);
    lab.run("ip link set v0 up");
    for _ in 0..40 {
        lab.run("ip link show v0 > /dev/null");
    }
    assert_eq!(tx_packets(&mut lab), 0);
}

#[test]
fn a_background_capture_is_armed_after_tcpdump_s_start_up() {
    let mut lab = Lab::new();
    lab.run("ip netns add b; ip link add v0 type veth peer name v1 netns b");
    lab.run("ip addr add 10.9.0.1/24 dev v0; ip link set v0 up");
    lab.run("ip -n b addr add 10.9.0.2/24 dev v1; ip -n b link set v1 up");
    lab.run("ping -c 1 10.9.0.2 > /dev/null");
    // The shell goes on at once; the capture is armed 13 ms later, after
    // ping's first probe (2.45 ms in) and before its second (22.45 ms).
    let t0 = lab.m.world.now();
    lab.run("ip netns exec b tcpdump -i v1 -n -l icmp > cap.txt 2>&1 &");
    assert_eq!(lab.m.world.now(), t0);
    lab.run("ping -c 3 -i 0.02 10.9.0.2 > /dev/null");
    lab.run("sleep 0.1; kill %1; wait");
    let cap = lab.run("cat cap.txt").stdout;
    assert_eq!(cap.matches("ICMP echo request").count(), 2, "{cap}");
}

#[test]
fn unanswered_pings_go_16_ms_apart() {
    let mut lab = Lab::new();
    lab.run(VETH);
    lab.run("ip addr add 10.9.0.1/24 dev v0; ip link set v0 up");
    // The kernel sent 115 to 124 in two seconds (median gap 16 ms).
    let e = lab.run("ping -c 1000 -i 0 -w 2 -q 10.9.0.9");
    assert!(e.stdout.contains("125 packets transmitted"), "{}", e.stdout);
}

#[test]
fn a_cold_ping_i0_across_a_router_gets_every_reply() {
    // On the kernel: 10000 sent, 10000 received (scripts/measure-costs.sh).
    let mut lab = Lab::new();
    for cmd in [
        "ip netns add a; ip netns add r; ip netns add b",
        "ip link add va type veth peer name ra netns r; ip link set va netns a",
        "ip link add vb type veth peer name rb netns r; ip link set vb netns b",
        "ip -n a addr add 10.0.1.2/24 dev va; ip -n a link set va up",
        "ip -n a route add default via 10.0.1.1",
        "ip -n r addr add 10.0.1.1/24 dev ra; ip -n r addr add 10.0.2.1/24 dev rb",
        "ip -n r link set ra up; ip -n r link set rb up",
        "ip netns exec r sysctl -qw net.ipv4.ip_forward=1",
        "ip -n b addr add 10.0.2.2/24 dev vb; ip -n b link set vb up",
        "ip -n b route add default via 10.0.2.1",
    ] {
        assert_eq!(lab.run(cmd).exit, 0, "{cmd}");
    }
    let e = lab.run("ip netns exec a ping -c 10000 -i 0 -q 10.0.2.2");
    assert!(
        e.stdout
            .contains("10000 packets transmitted, 10000 received"),
        "{}",
        e.stdout
    );
}

#[test]
fn a_pipeline_stage_runs_alongside_its_writer() {
    let mut lab = Lab::new();
    lab.run(VETH);
    let t0 = lab.m.world.now();
    lab.run("ip link show v0 | grep -c v0");
    assert_eq!(
        lab.m.world.now().saturating_sub(t0),
        cost::IP.before + cost::IP.after + cost::GREP.after
    );
}

#[test]
fn a_background_command_without_a_program_runs_after_its_start_up() {
    let mut lab = Lab::new();
    // Its status reaches `wait` as ever.
    let e = lab.run("ip link show nosuch 2>/dev/null & wait $!; echo $?");
    assert_eq!(e.stdout, "1\n");
    // `&` returns at once; the link is there once its start-up has passed.
    let t0 = lab.m.world.now();
    lab.run("ip link add d0 type dummy &");
    assert_eq!(lab.m.world.now(), t0);
    assert_eq!(lab.run("wait").exit, 0);
    assert!(lab.m.world.now() >= t0 + cost::IP_LINK_ADD.before);
    assert_eq!(lab.run("ip link show d0").exit, 0);
}
