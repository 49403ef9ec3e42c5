//! conntrack(8) against a NAT gateway: events, listings, deletion, and the
//! exit codes conntrack-tools 1.4.7 gives (formats as recorded on the real
//! kernel in tests/golden/n05_conntrack_states.out).

mod common;

fn run(script: &str) -> String {
    common::Lab::new().run_script(script)
}

const GATEWAY: &str = "ip netns add host2
ip link add eth0 type veth peer name eth0 netns host2
ip addr add 192.168.1.32/24 dev eth0
ip link set eth0 up
ip -n host2 addr add 192.168.1.15/24 dev eth0
ip -n host2 link set eth0 up
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
";

#[test]
fn events_follow_a_tcp_connection_through_its_states() {
    let out = run(&format!(
        "{GATEWAY}conntrack -E -p tcp >ev.txt 2>&1 &
ip netns exec host2 nc -l -p 80 >srv.txt &
sleep 1
echo hi | nc -N -p 7001 192.168.1.15 80
sleep 1
kill %1
wait
cat ev.txt
"
    ));
    let t = "src=192.168.1.32 dst=192.168.1.15 sport=7001 dport=80";
    let r = "src=192.168.1.15 dst=192.168.1.32 sport=80 dport=7001";
    assert!(
        out.contains(&format!(
            "    [NEW] tcp      6 120 SYN_SENT {t} [UNREPLIED] {r}\n"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(" [UPDATE] tcp      6 60 SYN_RECV {t} {r}\n")),
        "{out}"
    );
    assert!(out.contains(&format!(
        " [UPDATE] tcp      6 432000 ESTABLISHED {t} {r} [ASSURED]\n"
    )));
    assert!(out.contains(&format!(
        " [UPDATE] tcp      6 120 TIME_WAIT {t} {r} [ASSURED]\n"
    )));
    assert!(
        out.contains("conntrack v1.4.7 (conntrack-tools): "),
        "{out}"
    );
    assert!(!out.contains("icmp"), "the -p filter applies to events");
}

#[test]
fn delete_reports_what_it_removed_and_fails_when_nothing_matched() {
    let out = run(&format!(
        "{GATEWAY}ping -c 1 -e 42 192.168.1.15 >/dev/null
conntrack -C
conntrack -D -p udp
echo rc=$?
conntrack -D -p icmp -d 192.168.1.15
echo rc=$?
conntrack -C
conntrack -L -p bogus
echo rc=$?
"
    ));
    assert!(out.contains("1\n"), "{out}");
    assert!(
        out.contains("0 flow entries have been deleted.\nrc=1\n"),
        "{out}"
    );
    // stdout and stderr share one file here: the summary (stderr) comes
    // before the entry, which stdio holds until exit.
    assert!(out.contains(
        "1 flow entries have been deleted.\nicmp     1 29 src=192.168.1.32 dst=192.168.1.15 type=8 code=0 id=42 src=192.168.1.15 dst=192.168.1.32 type=0 code=0 id=42 mark=0 use=1\nrc=0\n0\n"
    ), "{out}");
    assert!(out.contains("`bogus' unsupported protocol\nTry `conntrack -h' or 'conntrack --help' for more information.\nrc=2\n"), "{out}");
}
