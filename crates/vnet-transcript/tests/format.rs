//! The transcript format: parse/render, with snippets from tests/golden and a
//! round-trip property.

use proptest::prelude::*;
use vnet_transcript::{parse, render, Entry};

// From tests/golden/s2_5_router.out.
const ROUTER: &str = "\
$ cat /proc/sys/net/ipv4/ip_forward
1
$ ip link add tap1 type veth peer name tap1_peer
$ ip netns exec ns1 ping -c 2 192.168.200.2
[stderr]
ping: connect: Network is unreachable
[exit 2]
$ ip netns exec ns1 route -nee
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt
192.168.100.0   0.0.0.0         255.255.255.0   U     0      0        0 tap1     0     0      0
";

#[test]
fn parses_stdout_stderr_and_exit_of_each_command() {
    let e = parse(ROUTER);
    assert_eq!(e.len(), 4);
    assert_eq!(e[0], Entry::ok("cat /proc/sys/net/ipv4/ip_forward", "1\n"));
    assert_eq!(
        e[1],
        Entry::ok("ip link add tap1 type veth peer name tap1_peer", "")
    );
    assert_eq!(e[2].command, "ip netns exec ns1 ping -c 2 192.168.200.2");
    assert_eq!(e[2].stdout, "");
    assert_eq!(e[2].stderr, "ping: connect: Network is unreachable\n");
    assert_eq!(e[2].exit, 2);
    assert!(e[3].stdout.starts_with("Kernel IP routing table\n"));
    assert_eq!(e[3].stdout.lines().count(), 3);
}

#[test]
fn render_is_the_inverse_of_parse_on_a_golden() {
    assert_eq!(render(&parse(ROUTER)), ROUTER);
}

// From tests/golden/f13_ping_errors.out: stdout, then exit, no stderr; the
// blank lines belong to stdout.
#[test]
fn blank_lines_are_part_of_stdout() {
    let t = "$ ip netns exec a ping -c 1 -W 1 10.0.2.1\nPING 10.0.2.1 (10.0.2.1) 56(84) bytes of data.\n\n--- 10.0.2.1 ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n[exit 1]\n";
    let e = parse(t);
    assert_eq!(e.len(), 1);
    assert!(e[0].stdout.ends_with("time 0ms\n\n"));
    assert_eq!(e[0].exit, 1);
    assert_eq!(render(&e), t);
}

// From tests/golden/f10_route_get.out: both stdout and stderr, exit 0.
#[test]
fn stdout_and_stderr_of_a_successful_command() {
    let t = "$ ip route get 10.0.0.0/24\n10.0.0.0 dev v0 src 10.0.0.1 uid 0 \n    cache \n[stderr]\nWarning: /24 as prefix is invalid, only /32 (or none) is supported.\n";
    let e = parse(t);
    assert_eq!(e[0].exit, 0);
    assert_eq!(
        e[0].stdout,
        "10.0.0.0 dev v0 src 10.0.0.1 uid 0 \n    cache \n"
    );
    assert!(e[0].stderr.starts_with("Warning: /24"));
    assert_eq!(render(&e), t);
}

#[test]
fn continuation_lines_belong_to_the_command() {
    let t = "$ echo a \\\n  b\na b\n$ true\n";
    let e = parse(t);
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].command, "echo a \\\n  b");
    assert_eq!(e[0].stdout, "a b\n");
    assert_eq!(render(&e), t);
}

#[test]
fn render_adds_a_missing_final_newline() {
    let e = [Entry::ok("printf x", "x")];
    assert_eq!(render(&e), "$ printf x\nx\n");
    assert_eq!(parse(&render(&e))[0].stdout, "x\n");
}

#[test]
fn text_before_the_first_command_is_ignored() {
    assert_eq!(parse("noise\n$ true\n"), vec![Entry::ok("true", "")]);
    assert!(parse("").is_empty());
}

fn is_marker(line: &str) -> bool {
    line.starts_with("$ ")
        || line == "[stderr]"
        || (line.starts_with("[exit ") && line.ends_with(']'))
}

fn block() -> impl Strategy<Value = String> {
    prop::collection::vec("[ -~\t]{0,20}", 0..5).prop_map(|lines| {
        lines
            .into_iter()
            .filter(|l| !is_marker(l))
            .map(|l| format!("{l}\n"))
            .collect()
    })
}

fn command() -> impl Strategy<Value = String> {
    prop::collection::vec("[ -~]{0,15}[ -\\[\\]-~]", 1..3).prop_map(|segs| segs.join("\\\n"))
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        command(),
        block(),
        block(),
        prop_oneof![Just(0), any::<i32>()],
    )
        .prop_map(|(command, stdout, stderr, exit)| Entry {
            command,
            stdout,
            stderr,
            exit,
        })
}

proptest! {
    #[test]
    fn parse_inverts_render(entries in prop::collection::vec(entry(), 0..6)) {
        let text = render(&entries);
        prop_assert_eq!(parse(&text), entries);
        prop_assert_eq!(render(&parse(&text)), text);
    }
}

#[test]
fn a_command_of_several_lines_shows_them_after_bash_second_prompt() {
    let e = vec![
        Entry::ok("for i in 1 2; do\n    echo $i\ndone", "1\n2\n"),
        Entry::ok("ip link add a \\\n  type dummy", ""),
        Entry::ok("f() {\n  echo x \\\n    y\n}", ""),
    ];
    let text = render(&e);
    assert_eq!(
        text,
        "$ for i in 1 2; do\n>     echo $i\n> done\n1\n2\n$ ip link add a \\\n  type dummy\n\
         $ f() {\n>   echo x \\\n    y\n> }\n"
    );
    assert_eq!(parse(&text), e);
}
