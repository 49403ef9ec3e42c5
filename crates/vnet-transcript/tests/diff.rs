//! Per-command diff after normalisation.

use vnet_transcript::{diff, line_diff, parse};

const KERNEL: &str = "\
$ ip netns exec ns1 ip link
1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
3: tap1@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether a2:08:de:34:e5:e2 brd ff:ff:ff:ff:ff:ff link-netns ns2
$ ip netns exec ns2 ping -c 2 192.168.50.1
PING 192.168.50.1 (192.168.50.1) 56(84) bytes of data.
64 bytes from 192.168.50.1: icmp_seq=1 ttl=64 time=0.389 ms
64 bytes from 192.168.50.1: icmp_seq=2 ttl=64 time=0.090 ms

--- 192.168.50.1 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 1029ms
rtt min/avg/max/mdev = 0.090/0.239/0.389/0.149 ms
";

#[test]
fn transcripts_differing_only_in_random_values_agree() {
    let other = KERNEL
        .replace("a2:08:de:34:e5:e2", "02:00:00:00:00:01")
        .replace("0.389", "1.5")
        .replace("1029ms", "1000ms")
        .replace("0.090/0.239/0.389/0.149", "0.010/0.020/0.030/0.040");
    assert!(diff(&parse(KERNEL), &parse(&other)).is_empty());
}

#[test]
fn a_differing_line_is_reported_under_its_command() {
    let other = KERNEL.replace("link-netns ns2", "link-netnsid 0");
    let d = diff(&parse(KERNEL), &parse(&other));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].index, 0);
    assert_eq!(d[0].command, "ip netns exec ns1 ip link");
    assert!(d[0]
        .diff
        .contains("-    link/ether MAC1 brd ff:ff:ff:ff:ff:ff link-netns ns2\n"));
    assert!(d[0]
        .diff
        .contains("+    link/ether MAC1 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n"));
    assert!(d[0].diff.contains(" 1: lo: <LOOPBACK>"));
    let shown = d[0].to_string();
    assert!(shown.starts_with("@@ command 1: $ ip netns exec ns1 ip link\n"));
}

#[test]
fn exit_status_and_stderr_count() {
    let exp = parse("$ ip link set nosuch up\n[stderr]\nCannot find device \"nosuch\"\n[exit 1]\n");
    let act = parse("$ ip link set nosuch up\n");
    let d = diff(&exp, &act);
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].diff,
        "-[stderr]\n-Cannot find device \"nosuch\"\n-[exit 1]\n"
    );
}

#[test]
fn missing_and_extra_commands_are_reported() {
    let exp = parse("$ true\n$ echo a\na\n");
    let act = parse("$ true\n");
    let d = diff(&exp, &act);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].diff, "-$ echo a\n-a\n");
    let d = diff(&act, &exp);
    assert_eq!(d[0].diff, "+$ echo a\n+a\n");
}

#[test]
fn different_command_lines_are_reported() {
    let d = diff(&parse("$ ip link\n"), &parse("$ ip addr\n"));
    assert_eq!(d[0].diff, "-$ ip link\n+$ ip addr\n");
}

#[test]
fn line_diff_keeps_common_lines() {
    assert_eq!(line_diff("a\nb\nc\n", "a\nx\nc\n"), " a\n-b\n+x\n c\n");
    assert_eq!(line_diff("", "a\n"), "+a\n");
    assert_eq!(line_diff("a", "a\n"), " a\n\\ No newline at end of file\n");
    assert_eq!(line_diff("a\n", "a\n"), " a\n");
}
