//! LOG's kernel-log lines, in vnet's root namespace (the initial one, where
//! LOG writes; the sandboxed recordings of n06_reject_log run in another
//! namespace, where LOG is silent). The expected text follows the kernel's
//! `net/netfilter/nf_log_syslog.c`: `nf_log_dump_packet_common()` writes
//! `PREFIX` then `IN=%s OUT=%s `, `MAC=` (destination, source and type, as
//! `%02x:` bytes) for packets that came in on a device; `dump_ipv4_packet()`
//! `SRC=%pI4 DST=%pI4 LEN=%u TOS=0x%02X PREC=0x%02X TTL=%u ID=%u `, the
//! `CE `/`DF `/`MF ` flags, `PROTO=ICMP TYPE=%u CODE=%u ` and for echoes
//! `ID=%u SEQ=%u `; `nf_log_dump_sk_uid_gid()` adds `UID=%u GID=%u ` only
//! for a packet of a full socket with a file (ping's), never for what the
//! kernel sends from its control sockets (the echo reply). dmesg puts
//! `[seconds.micros] ` in front.

mod common;

fn run(script: &str) -> String {
    common::Lab::new().run_script(script)
}

/// The dmesg lines of `out` without their timestamps, the IP header's id
/// (the first `ID=`; the kernel picks it, ip_select_ident()) masked.
fn log_lines(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| l.strip_prefix('[').and_then(|l| l.split_once("] ")))
        .map(|(_, rest)| {
            let mut seen = false;
            rest.split(' ')
                .map(|w| match (w.starts_with("ID="), seen) {
                    (true, false) => {
                        seen = true;
                        "ID=N"
                    }
                    _ => w,
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn log_lines_follow_nf_log_syslog_for_echo_request_reply_and_socket_owner() {
    let out = run("ip netns add c
ip link add eth0 address 02:00:00:00:00:02 type veth peer name eth0 address 02:00:00:00:00:01 netns c
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
sleep 3
iptables -A INPUT -p icmp -j LOG --log-prefix \"IN-ICMP: \" --log-level 4
iptables -A OUTPUT -p icmp -j LOG --log-prefix \"OUT-ICMP: \" --log-level warning --log-uid
iptables -A INPUT -p icmp -j LOG
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2 >/dev/null
ping -c 1 -s 0 -e 78 10.0.0.1 >/dev/null
dmesg | grep ICMP
");
    let mac = "MAC=02:00:00:00:00:02:02:00:00:00:00:01:08:00";
    let req_in = format!("IN=eth0 OUT= {mac} SRC=10.0.0.1 DST=10.0.0.2 LEN=28 TOS=0x00 PREC=0x00 TTL=64 ID=N DF PROTO=ICMP TYPE=8 CODE=0 ID=77 SEQ=1 ");
    let rep_in = format!("IN=eth0 OUT= {mac} SRC=10.0.0.1 DST=10.0.0.2 LEN=28 TOS=0x00 PREC=0x00 TTL=64 ID=N PROTO=ICMP TYPE=0 CODE=0 ID=78 SEQ=1 ");
    let want = vec![
        // c's echo request: both INPUT rules (the second without prefix).
        format!("IN-ICMP: {req_in}"),
        req_in.clone(),
        // The kernel's echo reply: no socket owner although --log-uid.
        "OUT-ICMP: IN= OUT=eth0 SRC=10.0.0.2 DST=10.0.0.1 LEN=28 TOS=0x00 PREC=0x00 TTL=64 ID=N PROTO=ICMP TYPE=0 CODE=0 ID=77 SEQ=1 ".to_string(),
        // ping's own request from this namespace: its socket's owner.
        "OUT-ICMP: IN= OUT=eth0 SRC=10.0.0.2 DST=10.0.0.1 LEN=28 TOS=0x00 PREC=0x00 TTL=64 ID=N DF PROTO=ICMP TYPE=8 CODE=0 ID=78 SEQ=1 UID=0 GID=0 ".to_string(),
        format!("IN-ICMP: {rep_in}"),
        rep_in,
    ];
    assert_eq!(log_lines(&out), want, "{out}");
}

#[test]
fn log_is_silent_outside_the_initial_namespace() {
    let out = run("ip netns add c
ip netns add s
ip link add eth0 type veth peer name eth0 netns c
ip link set eth0 netns s
ip -n s addr add 10.0.0.2/24 dev eth0
ip -n s link set eth0 up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
ip netns exec s iptables -A INPUT -p icmp -j LOG --log-prefix \"S: \"
ip netns exec c ping -c 1 10.0.0.2 >/dev/null
ip netns exec s iptables -L INPUT -n -v
ip netns exec s dmesg | grep -c 'S: '
");
    assert!(out.contains("    1    84 LOG "), "{out}");
    assert!(log_lines(&out).is_empty(), "{out}");
    assert!(out.trim_end().ends_with('0'), "{out}");
}
