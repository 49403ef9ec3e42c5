//! IP tunnels (seed 004 §2.6): the seed's ipip and gre pairs run verbatim,
//! and what they show and send is pinned against the seed's own output and
//! the kernel sources (net/ipv4/ip_tunnel.c, ipip.c, ip_gre.c), since the
//! reference kernel here has no ipip or gre to record goldens from.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn example(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

/// §2.5's routed topology (the host routes between ns1 and ns2).
const TOPOLOGY: &str = "echo 1 > /proc/sys/net/ipv4/ip_forward
ip link add tap1 type veth peer name tap1_peer
ip link add tap2 type veth peer name tap2_peer
ip netns add ns1
ip netns add ns2
ip link set tap1 netns ns1
ip link set tap2 netns ns2
ip addr add local 192.168.100.1/24 dev tap1_peer
ip addr add local 192.168.200.1/24 dev tap2_peer
ip netns exec ns1 ip addr add local 192.168.100.2/24 dev tap1
ip netns exec ns2 ip addr add local 192.168.200.2/24 dev tap2
ip link set tap1_peer up
ip link set tap2_peer up
ip netns exec ns1 ip link set tap1 up
ip netns exec ns2 ip link set tap2 up
ip netns exec ns1 route add -net 192.168.200.0 netmask 255.255.255.0 gw 192.168.100.1
ip netns exec ns2 route add -net 192.168.100.0 netmask 255.255.255.0 gw 192.168.200.1
";

/// The seed's two tunnel ends, in `mode` with extra options.
fn pair(mode: &str, extra: &str) -> String {
    format!(
        "ip netns exec ns1 ip tunnel add tun1 mode {mode} remote 192.168.200.2 local 192.168.100.2 ttl 255{extra}
ip netns exec ns1 ip link set tun1 up
ip netns exec ns1 ip addr add 192.168.50.10 peer 192.168.60.10 dev tun1
ip netns exec ns2 ip tunnel add tun2 mode {mode} remote 192.168.100.2 local 192.168.200.2 ttl 255{extra}
ip netns exec ns2 ip link set tun2 up
ip netns exec ns2 ip addr add 192.168.60.10 peer 192.168.50.10 dev tun2
"
    )
}

#[test]
fn seed_ipip_pair_pings_and_shows_what_the_seed_shows() {
    let t = run("seed-ipip", &example("seed004_2_6_tunnel_ipip.sh"));
    let ping = output_of(&t, "ip netns exec ns1 ping -c 2 192.168.60.10");
    assert!(
        ping.contains("2 packets transmitted, 2 received, 0% packet loss"),
        "{ping}"
    );
    let ifc = output_of(&t, "ip netns exec ns1 ifconfig -a");
    // The seed's lines; the kernel gives tunnels txqueuelen 1000 (alloc_netdev's
    // DEFAULT_TX_QUEUE_LEN), where the book's older kernel showed 1.
    assert!(
        ifc.contains(
            "tun1: flags=209<UP,POINTOPOINT,RUNNING,NOARP>  mtu 1480\n        inet 192.168.50.10  netmask 255.255.255.255  destination 192.168.60.10\n        tunnel   txqueuelen 1000  (IPIP Tunnel)\n"
        ),
        "{ifc}"
    );
    // The fallback device the module created, down, without a remote.
    assert!(
        ifc.contains(
            "tunl0: flags=128<NOARP>  mtu 1480\n        tunnel   txqueuelen 1000  (IPIP Tunnel)\n"
        ),
        "{ifc}"
    );
    // Two echo requests out, two replies in, counted as inner packets (84 bytes).
    assert!(
        ifc.contains("        RX packets 2  bytes 168 (168.0 B)\n"),
        "{ifc}"
    );
    assert!(
        ifc.contains("        TX packets 2  bytes 168 (168.0 B)\n"),
        "{ifc}"
    );
    let rt = output_of(&t, "ip netns exec ns1 route -n");
    assert!(
        rt.contains(
            "192.168.60.10   0.0.0.0         255.255.255.255 UH    0      0        0 tun1\n"
        ),
        "{rt}"
    );
    let ipr = output_of(&t, "ip netns exec ns1 ip route");
    assert!(
        ipr.starts_with("192.168.60.10 dev tun1 proto kernel scope link src 192.168.50.10 \n"),
        "{ipr}"
    );
    assert_eq!(
        output_of(&t, "ip netns exec ns1 ip tunnel show"),
        "tunl0: any/ip remote any local any ttl inherit nopmtudisc\ntun1: ip/ip remote 192.168.200.2 local 192.168.100.2 ttl 255\n"
    );
    let d = output_of(&t, "ip netns exec ns1 ip -d link show tun1");
    assert!(d.contains("tun1@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1480 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/ipip 192.168.100.2 peer 192.168.200.2 "), "{d}");
    assert!(
        d.contains("\n    ipip ipip remote 192.168.200.2 local 192.168.100.2 ttl 255 pmtudisc "),
        "{d}"
    );
    let lsmod = output_of(&t, "lsmod | grep ip");
    assert!(
        lsmod.contains("ipip ") && lsmod.contains("tunnel4 ") && lsmod.contains("ip_tunnel "),
        "{t}"
    );
}

#[test]
fn seed_gre_pair_pings_with_gre_mtu_and_hardware_type() {
    let t = run("seed-gre", &example("seed004_2_6_tunnel_gre.sh"));
    let ping = output_of(&t, "ip netns exec ns1 ping -c 2 192.168.60.10");
    assert!(ping.contains("2 packets transmitted, 2 received"), "{ping}");
    let ifc = output_of(&t, "ip netns exec ns1 ifconfig -a");
    // 1500 - 20 (IPv4) - 4 (GRE): ARPHRD_IPGRE has no net-tools hardware type.
    assert!(
        ifc.contains("tun1: flags=209<UP,POINTOPOINT,RUNNING,NOARP>  mtu 1476\n        inet 192.168.50.10  netmask 255.255.255.255  destination 192.168.60.10\n        unspec C0-A8-64-02-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen 1000  (UNSPEC)\n"),
        "{ifc}"
    );
    // ip_gre brings gre0, gretap0 and erspan0.
    assert!(ifc.contains("gre0: flags=128<NOARP>  mtu 1476\n"), "{ifc}");
    assert!(
        ifc.contains("gretap0: flags=4098<BROADCAST,MULTICAST>  mtu 1462\n"),
        "{ifc}"
    );
    assert!(
        ifc.contains("erspan0: flags=4098<BROADCAST,MULTICAST>  mtu 1450\n"),
        "{ifc}"
    );
    assert_eq!(
        output_of(&t, "ip netns exec ns1 ip tunnel show"),
        "gre0: gre/ip remote any local any ttl inherit nopmtudisc\ntun1: gre/ip remote 192.168.200.2 local 192.168.100.2 ttl 255\n"
    );
    let d = output_of(&t, "ip netns exec ns1 ip -d link show tun1");
    assert!(
        d.contains("link/gre 192.168.100.2 peer 192.168.200.2 "),
        "{d}"
    );
    assert!(
        d.contains("\n    gre remote 192.168.200.2 local 192.168.100.2 ttl 255 addrgenmode"),
        "{d}"
    );
}

#[test]
fn gre_options_grow_the_header_and_shrink_the_mtu() {
    let t = run(
        "gre-mtu",
        "modprobe ip_gre
ip tunnel add g1 mode gre remote 10.0.0.2 local 10.0.0.1 key 7
ip tunnel add g2 mode gre remote 10.0.0.3 local 10.0.0.1 key 7 csum
ip tunnel add g3 mode gre remote 10.0.0.4 local 10.0.0.1 key 7 csum seq
ip link add g4 type gretap remote 10.0.0.5 local 10.0.0.1
ip link show g1
ip link show g2
ip link show g3
ip link show g4
ip tunnel show g3
ip -d link show g2
",
    );
    for (dev, mtu) in [("g1", 1472), ("g2", 1468), ("g3", 1464)] {
        let o = output_of(&t, &format!("ip link show {dev}"));
        assert!(
            o.contains(&format!(
                "{dev}@NONE: <POINTOPOINT,NOARP> mtu {mtu} qdisc noop state DOWN"
            )),
            "{o}"
        );
    }
    let o = output_of(&t, "ip link show g4");
    assert!(
        o.contains("g4@NONE: <BROADCAST,MULTICAST> mtu 1462 "),
        "{o}"
    );
    assert!(o.contains("    link/ether "), "{o}");
    assert_eq!(
        output_of(&t, "ip tunnel show g3"),
        "g3: gre/ip remote 10.0.0.4 local 10.0.0.1 ttl inherit key 7\n  Drop packets out of sequence.\n  Checksum in received packet is required.\n  Sequence packets on output.\n  Checksum output packets.\n"
    );
    let d = output_of(&t, "ip -d link show g2");
    assert!(
        d.contains(
            "gre remote 10.0.0.3 local 10.0.0.1 ttl inherit ikey 0.0.0.7 okey 0.0.0.7 icsum ocsum "
        ),
        "{d}"
    );
}

#[test]
fn fallback_devices_appear_in_every_namespace_and_stay() {
    let t = run(
        "fallback",
        "ip netns add a
ip -n a link show
ip tunnel add t1 mode ipip remote 10.1.1.1
lsmod
ip -n a link show tunl0
ip netns add b
ip -n b link show
ip link del tunl0
ip link show tunl0
ip tunnel del tunl0
ip link set tunl0 netns a
ip tunnel show t1
modprobe -r ipip
ip link show t1
ip -n b link show
",
    );
    assert_eq!(
        output_of(&t, "ip -n a link show"),
        "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    );
    // ip tunnel add loads ipip (request_module("netdev-tunl0")).
    assert!(output_of(&t, "lsmod").contains("ipip "), "{t}");
    assert_eq!(
        output_of(&t, "ip -n a link show tunl0"),
        "2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ipip 0.0.0.0 brd 0.0.0.0\n"
    );
    assert!(
        outputs_of(&t, "ip -n b link show")[0].contains("2: tunl0@NONE: <NOARP> mtu 1480 "),
        "{t}"
    );
    // ip_tunnel_dellink() ignores the fallback; SIOCDELTUNNEL refuses it.
    assert_eq!(output_of(&t, "ip link del tunl0"), "");
    assert!(
        output_of(&t, "ip link show tunl0").contains("tunl0@NONE"),
        "{t}"
    );
    assert_eq!(
        output_of(&t, "ip tunnel del tunl0"),
        "[stderr]\ndelete tunnel \"tunl0\" failed: Operation not permitted\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip link set tunl0 netns a"),
        "[stderr]\nError: The device cannot be moved.\n[exit 2]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel show t1"),
        "t1: ip/ip remote 10.1.1.1 local any ttl inherit\n"
    );
    // Removing the module takes its devices with it.
    assert!(
        output_of(&t, "ip link show t1").contains("Device \"t1\" does not exist."),
        "{t}"
    );
    assert!(!output_of(&t, "ip -n b link show").contains("tunl0"), "{t}");
}

#[test]
fn ip_tunnel_errors_read_like_iproute2() {
    let t = run(
        "errors",
        "modprobe ipip
ip tunnel add t1 mode ipip remote 10.0.0.2 local 10.0.0.1
ip tunnel add t1 mode ipip remote 10.0.0.2 local 10.0.0.1
ip tunnel add t2 mode ipip remote 10.0.0.2 local 10.0.0.1
ip tunnel add t3 mode ipip remote 10.0.0.3 key 5
ip tunnel add t3 mode foo
ip tunnel add t3 mode ipip mode gre
ip tunnel add t3 mode ipip ttl 64 nopmtudisc
ip tunnel add t3 remote 10.0.0.3
ip tunnel add t3 mode ipip ttl 300
ip tunnel add t3 mode ipip remote 10.0.0.999
ip tunnel add t3 mode ipip dev nosuch
ip tunnel change t1 remote 0.0.0.0
ip tunnel change t1 remote 10.0.0.9 ttl 9
ip tunnel show t1
ip tunnel del nosuch
ip tunnel del t1
ip tunnel show
ip tunnel frob
",
    );
    let adds = outputs_of(
        &t,
        "ip tunnel add t1 mode ipip remote 10.0.0.2 local 10.0.0.1",
    );
    assert_eq!(adds[0], "");
    assert_eq!(
        adds[1],
        "[stderr]\nadd tunnel \"tunl0\" failed: File exists\n[exit 1]\n"
    );
    assert_eq!(
        output_of(
            &t,
            "ip tunnel add t2 mode ipip remote 10.0.0.2 local 10.0.0.1"
        ),
        "[stderr]\nadd tunnel \"tunl0\" failed: File exists\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel add t3 mode ipip remote 10.0.0.3 key 5"),
        "[stderr]\nKeys are not allowed with ipip and sit tunnels\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel add t3 mode foo"),
        "[stderr]\nUnknown tunnel mode \"foo\"\n[exit 255]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel add t3 mode ipip mode gre"),
        "[stderr]\nYou managed to ask for more than one tunnel mode.\n[exit 255]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel add t3 mode ipip ttl 64 nopmtudisc"),
        "[stderr]\nttl != 0 and nopmtudisc are incompatible\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel add t3 remote 10.0.0.3"),
        "[stderr]\ncannot determine tunnel mode (ipip, gre, vti or sit)\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel add t3 mode ipip ttl 300"),
        "[stderr]\nError: argument \"300\" is wrong: invalid TTL\n\n[exit 255]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel add t3 mode ipip remote 10.0.0.999"),
        "[stderr]\nError: an IP address is expected rather than \"10.0.0.999\"\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel add t3 mode ipip dev nosuch"),
        "[stderr]\nCannot find device \"nosuch\"\n[exit 1]\n"
    );
    // A point-to-point tunnel cannot lose its remote (ip_tunnel_ctl's flags check).
    assert_eq!(
        output_of(&t, "ip tunnel change t1 remote 0.0.0.0"),
        "[stderr]\nadd tunnel \"t1\" failed: Invalid argument\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel show t1"),
        "t1: ip/ip remote 10.0.0.9 local 10.0.0.1 ttl 9\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel del nosuch"),
        "[stderr]\ndelete tunnel \"nosuch\" failed: No such device\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel show"),
        "tunl0: any/ip remote any local any ttl inherit nopmtudisc\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel frob"),
        "[stderr]\nCommand \"frob\" is unknown, try \"ip tunnel help\"\n[exit 255]\n"
    );
}

// ---- the wire -------------------------------------------------------------

/// Captures tunnel traffic on the router's side of tap1 (and, in text, on
/// tun1) while ns1 pings through the tunnel.
fn capture(name: &str, mode: &str, extra: &str) -> (PathBuf, String) {
    let dir = scratch(name);
    let script = format!(
        "{TOPOLOGY}{}tcpdump -n -i tap1_peer -c 4 -w outer.pcap ip >w.txt 2>&1 &
ip netns exec ns1 tcpdump -n -i tun1 -c 4 -w inner.pcap >wi.txt 2>&1 &
tcpdump -n -i tap1_peer -c 4 ip >outer.txt 2>&1 &
ip netns exec ns1 tcpdump -n -i tun1 -c 4 >inner.txt 2>&1 &
sleep 1
ip netns exec ns1 ping -c 2 192.168.60.10
wait
cat outer.txt
cat inner.txt
",
        pair(mode, extra)
    );
    let t = run_in(&dir, &script);
    (dir, t)
}

#[test]
fn ipip_outer_header_field_by_field() {
    let (dir, t) = capture("wire-ipip", "ipip", "");
    let (link, pkts) = pcap_packets(&dir.join("outer.pcap"));
    assert_eq!(link, 1, "Ethernet on a veth");
    assert_eq!(pkts.len(), 4, "{t}");
    let f = &pkts[0];
    assert_eq!(&f[12..14], &[0x08, 0x00]);
    let ip = &f[14..];
    assert_eq!(ip[0], 0x45, "IPv4, 20-byte header");
    assert_eq!(
        u16::from_be_bytes([ip[2], ip[3]]),
        20 + 84,
        "outer length: header + inner packet"
    );
    assert_eq!(ip[6] & 0x40, 0x40, "DF: pmtudisc (ttl 255 implies it)");
    assert_eq!(ip[8], 255, "the tunnel's ttl");
    assert_eq!(ip[9], 4, "IPPROTO_IPIP");
    assert_eq!(csum(&ip[..20]), 0, "outer header checksum");
    assert_eq!(&ip[12..16], &[192, 168, 100, 2]);
    assert_eq!(&ip[16..20], &[192, 168, 200, 2]);
    let inner = &ip[20..];
    assert_eq!(inner[0], 0x45);
    assert_eq!(inner[8], 64, "the inner TTL is the sender's, untouched");
    assert_eq!(inner[9], 1, "ICMP");
    assert_eq!(&inner[12..16], &[192, 168, 50, 10]);
    assert_eq!(&inner[16..20], &[192, 168, 60, 10]);
    assert_eq!(inner[20], 8, "echo request");
    // The reply comes back the same way, from ns2's tunnel end.
    let r = &pkts[1][14..];
    assert_eq!(
        (r[9], &r[12..16], &r[16..20]),
        (4, &[192u8, 168, 200, 2][..], &[192u8, 168, 100, 2][..])
    );
    assert_eq!(r[8], 254, "ttl 255 less the router's hop");
    assert_eq!(r[20 + 20], 0, "echo reply");
    // On tun1 the packets are bare IP (DLT_RAW for ARPHRD_TUNNEL).
    let (link, inner_pkts) = pcap_packets(&dir.join("inner.pcap"));
    assert_eq!(link, 101);
    assert_eq!(inner_pkts[0], inner.to_vec());
    let txt = output_of(&t, "cat outer.txt");
    let lines: Vec<&str> = txt.lines().filter(|l| l.contains(" IP ")).collect();
    assert_eq!(lines.len(), 4, "{txt}");
    assert!(
        lines[0].contains(" IP 192.168.100.2 > 192.168.200.2: IP 192.168.50.10 > 192.168.60.10: ICMP echo request, id "),
        "{txt}"
    );
    assert!(lines[0].ends_with(", seq 1, length 64"), "{txt}");
    assert!(lines[1].contains(" IP 192.168.200.2 > 192.168.100.2: IP 192.168.60.10 > 192.168.50.10: ICMP echo reply, id "), "{txt}");
    let itxt = output_of(&t, "cat inner.txt");
    assert!(
        itxt.contains("listening on tun1, link-type RAW (Raw IP), snapshot length 262144 bytes"),
        "{itxt}"
    );
    assert!(
        itxt.contains(" IP 192.168.50.10 > 192.168.60.10: ICMP echo request, id "),
        "{itxt}"
    );
}

#[test]
fn gre_header_with_key_checksum_and_sequence() {
    let (dir, t) = capture("wire-gre", "gre", " key 42 csum seq");
    let (_, pkts) = pcap_packets(&dir.join("outer.pcap"));
    assert_eq!(pkts.len(), 4, "{t}");
    for (n, f) in pkts.iter().enumerate() {
        let ip = &f[14..];
        assert_eq!(ip[9], 47, "IPPROTO_GRE");
        assert_eq!(u16::from_be_bytes([ip[2], ip[3]]), 20 + 16 + 84);
        let g = &ip[20..];
        assert_eq!(&g[0..2], &[0xb0, 0x00], "C, K and S set; version 0");
        assert_eq!(&g[2..4], &[0x08, 0x00], "carries IPv4");
        assert_eq!(csum(g), 0, "the checksum covers header and payload");
        assert_eq!(&g[8..12], &42u32.to_be_bytes(), "the key");
        // Each direction numbers its packets from 0.
        assert_eq!(
            &g[12..16],
            &((n / 2) as u32).to_be_bytes(),
            "sequence number"
        );
        assert_eq!(g[16], 0x45, "the inner packet follows");
    }
    let txt = output_of(&t, "cat outer.txt");
    assert!(
        txt.contains(" IP 192.168.100.2 > 192.168.200.2: GREv0, off 0x0, key=0x2a, seq 0, length 100: IP 192.168.50.10 > 192.168.60.10: ICMP echo request, id "),
        "{txt}"
    );
    // ARPHRD_IPGRE has no DLT: libpcap falls back to a cooked socket.
    let itxt = output_of(&t, "cat inner.txt");
    assert!(itxt.contains("listening on tun1, link-type LINUX_SLL (Linux cooked v1), snapshot length 262144 bytes"), "{itxt}");
    assert!(
        itxt.contains(" IP 192.168.50.10 > 192.168.60.10: ICMP echo request, id "),
        "{itxt}"
    );
    let (link, ipk) = pcap_packets(&dir.join("inner.pcap"));
    assert_eq!(link, 113);
    assert_eq!(
        &ipk[0][2..4],
        &778u16.to_be_bytes(),
        "SLL hatype ARPHRD_IPGRE"
    );
    assert_eq!(&ipk[0][14..16], &[0x08, 0x00]);
}

#[test]
fn mismatched_keys_go_nowhere_and_port_unreachable_comes_back() {
    // ns2's end expects key 2; ns1 sends key 1: ip_tunnel_lookup() finds no
    // tunnel and gre0 is down, so gre_rcv() answers port unreachable (tcpdump
    // takes the "port" from bytes 2-3 of the quoted payload: GRE's 0x0800).
    let script = format!(
        "{TOPOLOGY}modprobe ip_gre
ip netns exec ns1 ip tunnel add tun1 mode gre remote 192.168.200.2 local 192.168.100.2 ttl 255 key 1
ip netns exec ns1 ip link set tun1 up
ip netns exec ns1 ip addr add 192.168.50.10 peer 192.168.60.10 dev tun1
ip netns exec ns2 ip tunnel add tun2 mode gre remote 192.168.100.2 local 192.168.200.2 ttl 255 key 2
ip netns exec ns2 ip link set tun2 up
ip netns exec ns2 ip addr add 192.168.60.10 peer 192.168.50.10 dev tun2
tcpdump -n -i tap2_peer -c 2 ip >o.txt 2>&1 &
sleep 1
ip netns exec ns1 ping -c 1 -W 1 192.168.60.10
wait
cat o.txt
ip netns exec ns2 ip -s link show tun2
"
    );
    let t = run("keys", &script);
    assert!(
        output_of(&t, "ip netns exec ns1 ping -c 1 -W 1 192.168.60.10")
            .contains("1 packets transmitted, 0 received"),
        "{t}"
    );
    let o = output_of(&t, "cat o.txt");
    assert!(
        o.contains(
            "GREv0, key=0x1, length 92: IP 192.168.50.10 > 192.168.60.10: ICMP echo request"
        ),
        "{o}"
    );
    assert!(o.contains("IP 192.168.200.2 > 192.168.100.2: ICMP 192.168.200.2 protocol 47 port 2048 unreachable, length 120"), "{o}");
}

#[test]
fn tunnel_without_route_to_remote_counts_carrier_errors() {
    let t = run(
        "noroute",
        "ip netns add a
ip netns exec a ip link set lo up
ip netns exec a ip tunnel add t1 mode ipip remote 10.9.9.9 local 10.0.0.1
ip netns exec a ip link set t1 up
ip netns exec a ip addr add 172.16.0.1/30 dev t1
ip netns exec a ping -c 1 -W 1 172.16.0.2
ip netns exec a ip -s link show t1
",
    );
    let s = output_of(&t, "ip netns exec a ip -s link show t1");
    // One error, no route (tx_carrier_errors), nothing sent.
    assert!(s.contains("    TX:  bytes packets errors dropped carrier collsns           \n             0       0      1       0       1       0 \n"), "{s}");
}

/// tshark (Wireshark) dissects the capture as it should; skipped without it.
#[test]
fn wireshark_dissects_ipip_and_gre_captures() {
    if Command::new("tshark").arg("-v").output().is_err() {
        eprintln!("SKIP: tshark is not installed (apt-get install tshark)");
        return;
    }
    for (mode, extra, fields, want) in [
        ("ipip", "", "ip.proto", "4,1"),
        ("gre", " key 42", "gre.key", "0x0000002a"),
    ] {
        let (dir, _) = capture(&format!("tshark-{mode}"), mode, extra);
        let o = Command::new("tshark")
            .args([
                "-r",
                "outer.pcap",
                "-T",
                "fields",
                "-e",
                fields,
                "-e",
                "ip.src",
                "-e",
                "icmp.type",
            ])
            .current_dir(&dir)
            .env("HOME", &dir)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let first = out.lines().next().unwrap_or_default().to_string();
        assert!(
            first.starts_with(&format!("{want}\t192.168.100.2,192.168.50.10\t8")),
            "{mode}: {out} {}",
            String::from_utf8_lossy(&o.stderr)
        );
        // Every packet is well formed: no expert warnings about malformed frames.
        let o = Command::new("tshark")
            .args([
                "-r",
                "outer.pcap",
                "-Y",
                "_ws.malformed || _ws.expert.severity >= error",
            ])
            .current_dir(&dir)
            .env("HOME", &dir)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&o.stdout), "", "{mode}");
    }
}

#[test]
fn a_path_narrower_than_the_tunnel_sends_fragmentation_needed() {
    // tun1 keeps its 1480 while tap1 shrinks to 1400: tnl_update_pmtu()
    // answers an inner DF packet that no longer fits (1400 - 20 = 1380).
    let script = format!(
        "{TOPOLOGY}ip netns exec ns1 ip link set lo up
modprobe ipip
{}ip netns exec ns1 ip link set tap1 mtu 1400
ip netns exec ns1 ping -c 1 -M do -s 1452 192.168.60.10
ip netns exec ns1 ping -c 1 -M do -s 1352 192.168.60.10
ip netns exec ns1 ip -s link show tun1
",
        pair("ipip", "")
    );
    let t = run("fragneeded", &script);
    let big = output_of(
        &t,
        "ip netns exec ns1 ping -c 1 -M do -s 1452 192.168.60.10",
    );
    assert!(
        big.contains("From 192.168.50.10 icmp_seq=1 Frag needed and DF set (mtu = 1380)\n"),
        "{big}"
    );
    let fits = output_of(
        &t,
        "ip netns exec ns1 ping -c 1 -M do -s 1352 192.168.60.10",
    );
    assert!(fits.contains("1 packets transmitted, 1 received"), "{fits}");
    let s = output_of(&t, "ip netns exec ns1 ip -s link show tun1");
    // The refused packet is a tx error; the one that fitted went out (1380 bytes).
    assert!(s.contains("    TX:  bytes packets errors dropped carrier collsns           \n          1380       1      1       0       0       0 \n"), "{s}");
}

#[test]
fn ip_link_add_and_set_type_ipip_go_through_netlink() {
    let t = run(
        "netlink",
        "ip link add t1 type ipip remote 10.0.0.2 local 10.0.0.1 ttl 64
ip tunnel show t1
ip -d link show t1
ip link set t1 type ipip ttl 32 remote 10.0.0.9
ip tunnel show t1
ip link set t1 type ipip remote any
ip link set t1 type gre ttl 3
ip link add t2 type ipip remote 10.0.0.2 local 10.0.0.1
ip link add t3 type ipip ttl 9 nopmtudisc
ip link add t3 type ipip frob
ip link set t1 mtu 60
ip link show tunl0
",
    );
    // iproute2 sends IFLA_IPTUN_PROTO 0 unless a mode is given: "any".
    assert_eq!(
        output_of(&t, "ip tunnel show t1"),
        "t1: any/ip remote 10.0.0.9 local 10.0.0.1 ttl 32\n"
    );
    let d = output_of(&t, "ip -d link show t1");
    // Netlink-created tunnels keep min/max MTU 0 (only ip_tunnel_create sets them).
    assert!(
        d.contains(
            " minmtu 0 maxmtu 0 \n    ipip any remote 10.0.0.2 local 10.0.0.1 ttl 64 pmtudisc "
        ),
        "{d}"
    );
    assert_eq!(
        output_of(&t, "ip link set t1 type ipip remote any"),
        "[stderr]\nRTNETLINK answers: Invalid argument\n[exit 2]\n"
    );
    assert_eq!(
        output_of(&t, "ip link set t1 type gre ttl 3"),
        "[stderr]\nRTNETLINK answers: Operation not supported\n[exit 2]\n"
    );
    // Same endpoints as t1 had... t1 moved to 10.0.0.9, so t2 is new; the module was loaded on demand.
    assert_eq!(
        output_of(
            &t,
            "ip link add t2 type ipip remote 10.0.0.2 local 10.0.0.1"
        ),
        ""
    );
    assert_eq!(
        output_of(&t, "ip link add t3 type ipip ttl 9 nopmtudisc"),
        "[stderr]\nttl != 0 and nopmtudisc are incompatible\n[exit 255]\n"
    );
    assert!(
        output_of(&t, "ip link add t3 type ipip frob")
            .starts_with("[stderr]\nUsage: ... ipip  \t[ remote ADDR ]\n"),
        "{t}"
    );
    assert_eq!(
        output_of(&t, "ip link set t1 mtu 60"),
        "[stderr]\nRTNETLINK answers: Invalid argument\n[exit 2]\n"
    );
    assert!(
        output_of(&t, "ip link show tunl0").starts_with("2: tunl0@NONE: <NOARP> mtu 1480 "),
        "{t}"
    );
}

#[test]
fn icmp_errors_about_outer_packets_become_link_failures() {
    // ns2 has no tunnel: tunnel4_rcv() answers port unreachable; ipip_err()
    // counts it against tun1, whose next packet reports "host unreachable"
    // to its sender (dst_link_failure) and still goes out.
    let script = format!(
        "{TOPOLOGY}ip netns exec ns1 ip link set lo up
modprobe ipip
ip netns exec ns1 ip tunnel add tun1 mode ipip remote 192.168.200.2 local 192.168.100.2 ttl 255
ip netns exec ns1 ip link set tun1 up
ip netns exec ns1 ip addr add 192.168.50.10 peer 192.168.60.10 dev tun1
tcpdump -n -i tap2_peer -c 2 ip >o.txt 2>&1 &
sleep 1
ip netns exec ns1 ping -c 3 192.168.60.10
wait
cat o.txt
"
    );
    let t = run("linkfail", &script);
    let p = output_of(&t, "ip netns exec ns1 ping -c 3 192.168.60.10");
    assert!(
        !p.contains("icmp_seq=1 Destination Host Unreachable"),
        "{p}"
    );
    assert!(
        p.contains("From 192.168.50.10 icmp_seq=2 Destination Host Unreachable\n"),
        "{p}"
    );
    assert!(
        p.contains("From 192.168.50.10 icmp_seq=3 Destination Host Unreachable\n"),
        "{p}"
    );
    assert!(
        p.contains("3 packets transmitted, 0 received, +2 errors, 100% packet loss"),
        "{p}"
    );
    let o = output_of(&t, "cat o.txt");
    // tcpdump takes the "port" from bytes 2-3 after the quoted header: the inner length.
    assert!(o.contains("IP 192.168.200.2 > 192.168.100.2: ICMP 192.168.200.2 protocol 4 port 84 unreachable, length 112"), "{o}");
}

#[test]
fn sit_and_vti_fallbacks_show_as_their_modules_make_them() {
    let t = run(
        "sitvti",
        "modprobe ip_vti
modprobe sit
ip tunnel show
ip link show sit0
ifconfig sit0
",
    );
    // ipip6_fb_tunnel_init() gives sit0 a TTL of 64 and every sit the 6to4
    // prefix; vti_tunnel_ctl() reports keys as set.
    assert_eq!(
        output_of(&t, "ip tunnel show"),
        "ip_vti0: ip/ip remote any local any ttl inherit nopmtudisc key 0\nsit0: ipv6/ip remote any local any ttl 64 nopmtudisc 6rd-prefix 2002::/16\n"
    );
    assert!(output_of(&t, "ip link show sit0").contains("sit0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/sit 0.0.0.0 brd 0.0.0.0\n"), "{t}");
    assert!(
        output_of(&t, "ifconfig sit0").contains("        sit  txqueuelen 1000  (IPv6-in-IPv4)\n"),
        "{t}"
    );
}

#[test]
fn gretap_carries_ethernet_arp_included() {
    let script = format!(
        "{TOPOLOGY}ip netns exec ns1 ip link add gt1 type gretap remote 192.168.200.2 local 192.168.100.2 key 3
ip netns exec ns2 ip link add gt2 type gretap remote 192.168.100.2 local 192.168.200.2 key 3
ip netns exec ns1 ip addr add 10.9.0.1/24 dev gt1
ip netns exec ns2 ip addr add 10.9.0.2/24 dev gt2
ip netns exec ns1 ip link set gt1 up
ip netns exec ns2 ip link set gt2 up
tcpdump -n -i tap1_peer -c 4 ip proto 47 >o.txt 2>&1 &
sleep 0.1
ip netns exec ns1 ping -c 2 10.9.0.2
wait
cat o.txt
ip netns exec ns1 ip link show gt1
"
    );
    // The capture is armed 13 ms after tcpdump starts, as on a kernel:
    // without the sleep it would miss ping's ARP exchange.
    let t = run("gretap", &script);
    assert!(
        output_of(&t, "ip netns exec ns1 ping -c 2 10.9.0.2")
            .contains("2 packets transmitted, 2 received"),
        "{t}"
    );
    // 1500 - 20 - 8 (GRE with key) - 14 (the carried Ethernet header).
    assert!(
        output_of(&t, "ip netns exec ns1 ip link show gt1")
            .contains("gt1@NONE: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1458 "),
        "{t}"
    );
    let o = output_of(&t, "cat o.txt");
    assert!(o.contains("IP 192.168.100.2 > 192.168.200.2: GREv0, key=0x3, length 50: ARP, Request who-has 10.9.0.2 tell 10.9.0.1, length 28"), "{o}");
}

#[test]
fn a_moved_tunnel_names_its_namespace_and_dies_with_it() {
    let t = run(
        "moved",
        "ip netns add a
ip netns add b
ip -n a tunnel add t1 mode gre remote 10.0.0.2
ip -n a link set t1 netns b
ip -n b link show t1
ip netns del a
ip -n b link show t1
",
    );
    let o = outputs_of(&t, "ip -n b link show t1");
    assert!(
        o[0].contains("    link/gre 0.0.0.0 peer 10.0.0.2 link-netns a\n"),
        "{t}"
    );
    // ip_tunnel_delete_nets() takes the tunnels of a dying namespace wherever they are.
    assert_eq!(o[1], "[stderr]\nDevice \"t1\" does not exist.\n[exit 1]\n");
}

// ---- IPv6 over sit ------------------------------------------------------------

#[test]
fn seed_sit_pair_carries_ipv6_with_link_local_addresses_from_ipv4() {
    let t = run("sit-pair", &example("seed004_2_6_tunnel_sit.sh"));
    let p = output_of(&t, "ip netns exec ns1 ping -6 -c 2 fd00:50::2");
    assert!(
        p.starts_with("PING fd00:50::2(fd00:50::2) 56 data bytes\n"),
        "{p}"
    );
    assert!(
        p.contains("64 bytes from fd00:50::2: icmp_seq=2 ttl=64 time="),
        "{p}"
    );
    assert!(
        p.contains("2 packets transmitted, 2 received, 0% packet loss"),
        "{p}"
    );
    // sit_add_v4_addrs(): fe80:: with the local IPv4 address, no DAD.
    let ll = output_of(&t, "ip netns exec ns1 ping6 -c 1 fe80::c0a8:c802%tun1");
    assert!(
        ll.contains("64 bytes from fe80::c0a8:c802%tun1: icmp_seq=1 ttl=64"),
        "{ll}"
    );
    let a = output_of(&t, "ip netns exec ns1 ip -6 addr show dev tun1");
    assert!(a.contains("inet6 fe80::c0a8:6402/64 scope link"), "{a}");
    let r = output_of(&t, "ip netns exec ns1 ip -6 route");
    assert!(
        r.contains("fd00:50::/64 dev tun1 proto kernel metric 256 pref medium\n"),
        "{r}"
    );
    assert!(
        r.contains("fe80::/64 dev tun1 proto kernel metric 256 pref medium\n"),
        "{r}"
    );
}

#[test]
fn sit_outer_header_and_inner_ipv6_field_by_field() {
    let dir = scratch("wire-sit");
    let script = format!(
        "{TOPOLOGY}ip netns exec ns1 ip tunnel add tun1 mode sit remote 192.168.200.2 local 192.168.100.2 ttl 255
ip netns exec ns1 ip link set tun1 up
ip netns exec ns1 ip addr add fd00:50::1/64 dev tun1
ip netns exec ns2 ip tunnel add tun2 mode sit remote 192.168.100.2 local 192.168.200.2 ttl 255
ip netns exec ns2 ip link set tun2 up
ip netns exec ns2 ip addr add fd00:50::2/64 dev tun2
sleep 2
tcpdump -n -i tap1_peer -c 2 -w outer.pcap ip >w.txt 2>&1 &
tcpdump -n -i tap1_peer -c 2 ip >outer.txt 2>&1 &
sleep 1
ip netns exec ns1 ping -6 -c 1 fd00:50::2
wait
cat outer.txt
"
    );
    let t = run_in(&dir, &script);
    let (_, pkts) = pcap_packets(&dir.join("outer.pcap"));
    assert_eq!(pkts.len(), 2, "{t}");
    let ip = &pkts[0][14..];
    assert_eq!(ip[9], 41, "IPPROTO_IPV6");
    assert_eq!(ip[8], 255, "the tunnel's ttl");
    assert_eq!(u16::from_be_bytes([ip[2], ip[3]]), 20 + 40 + 64);
    assert_eq!(csum(&ip[..20]), 0);
    let v6 = &ip[20..];
    assert_eq!(v6[0] >> 4, 6);
    assert_eq!(u16::from_be_bytes([v6[4], v6[5]]), 64, "payload length");
    assert_eq!((v6[6], v6[7]), (58, 64), "ICMPv6, hop limit 64");
    assert_eq!(
        &v6[8..24],
        &"fd00:50::1".parse::<std::net::Ipv6Addr>().unwrap().octets()
    );
    assert_eq!(v6[40], 128, "echo request");
    // The ICMPv6 checksum covers the pseudo-header: summing it all gives 0.
    let mut ph = Vec::new();
    ph.extend_from_slice(&v6[8..40]);
    ph.extend_from_slice(&64u32.to_be_bytes());
    ph.extend_from_slice(&[0, 0, 0, 58]);
    ph.extend_from_slice(&v6[40..]);
    assert_eq!(csum(&ph), 0, "ICMPv6 checksum");
    let r = &pkts[1][14..];
    assert_eq!((r[9], r[8]), (41, 254), "the reply, one router hop later");
    assert_eq!(r[20 + 40], 129, "echo reply");
    let txt = output_of(&t, "cat outer.txt");
    assert!(
        txt.contains(" IP 192.168.100.2 > 192.168.200.2: IP6 fd00:50::1 > fd00:50::2: ICMP6, echo request, id "),
        "{txt}"
    );
}

#[test]
fn nbma_sit_finds_the_ipv4_end_in_6to4_and_isatap_next_hops() {
    let script = format!(
        "{TOPOLOGY}modprobe sit
ip netns exec ns1 ip tunnel add tun6to4 mode sit remote any local 192.168.100.2 ttl 64
ip netns exec ns1 ip link set tun6to4 up
ip netns exec ns1 ip addr add 2002:c0a8:6402::1/16 dev tun6to4
ip netns exec ns2 ip tunnel add tun6to4 mode sit remote any local 192.168.200.2 ttl 64
ip netns exec ns2 ip link set tun6to4 up
ip netns exec ns2 ip addr add 2002:c0a8:c802::1/16 dev tun6to4
ip netns exec ns1 ping -c 1 2002:c0a8:c802::1
ip netns exec ns1 ip -6 route add fd00:99::/64 via ::192.168.200.2 dev tun6to4
ip netns exec ns2 ip addr add fd00:99::1/64 dev tun6to4
ip netns exec ns1 ping -c 1 fd00:99::1
ip netns exec ns1 ping -c 1 2002:0a00:0001::1
ip netns exec ns1 ip -s link show tun6to4
"
    );
    let t = run("sit-6to4", &script);
    let p = output_of(&t, "ip netns exec ns1 ping -c 1 2002:c0a8:c802::1");
    assert!(
        p.contains("64 bytes from 2002:c0a8:c802::1: icmp_seq=1 ttl=64"),
        "{p}"
    );
    // An IPv4-compatible next hop names the far end itself.
    let p = output_of(&t, "ip netns exec ns1 ping -c 1 fd00:99::1");
    assert!(p.contains("64 bytes from fd00:99::1: icmp_seq=1"), "{p}");
    // 10.0.0.1 has no route in ns1: the tunnel counts a carrier error.
    let p = output_of(&t, "ip netns exec ns1 ping -c 1 2002:0a00:0001::1");
    assert!(p.contains("0 received"), "{p}");
    let s = output_of(&t, "ip netns exec ns1 ip -s link show tun6to4");
    let tx: Vec<&str> = s
        .lines()
        .skip_while(|l| !l.contains("TX:"))
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(tx[2], "1", "one tx error: {s}");
}

#[test]
fn ip_tunnel_6rd_and_prl_set_what_show_prints_and_refuse_like_the_ioctls() {
    let t = run(
        "sit-6rd-prl",
        "ip tunnel add t6 mode sit remote any local 10.0.0.1
ip tunnel 6rd dev t6 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8
ip tunnel show t6
ip -d link show t6
ip tunnel 6rd dev t6 6rd-prefix 2001:db8::1/32
ip tunnel 6rd dev t6 6rd-prefix 2001:db8::/48 6rd-relay_prefix 10.0.0.0/8
ip tunnel 6rd 6rd-reset
ip tunnel 6rd dev t6 6rd-reset
ip tunnel show t6
ip tunnel add isa mode isatap local 10.0.0.1
ip tunnel add isa mode isatap local 10.0.0.2
ip tunnel prl prl-default 10.0.0.9 dev isa
ip tunnel prl prl-default 10.0.0.9 dev isa
ip tunnel prl prl-delete 10.0.0.8 dev isa
ip tunnel prl prl-delete 10.0.0.9 dev isa
ip tunnel prl prl-default 10.0.0.9 prl-nodefault 10.0.0.8 dev isa
ip tunnel prl prl-default 10.0.0.9 dev sit0
ip tunnel prl prl-default 10.0.0.9 dev lo
ip tunnel prl prl-default 10.0.0.9
ip link set isa up
ip -6 addr show dev isa
",
    );
    assert_eq!(
        output_of(&t, "ip tunnel show t6"),
        "t6: ipv6/ip remote any local 10.0.0.1 ttl inherit 6rd-prefix 2002::/16\n",
        "6rd-reset restores 6to4's prefix"
    );
    let first = outputs_of(&t, "ip tunnel show t6").remove(0);
    assert!(
        first.ends_with(" 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8\n"),
        "{first}"
    );
    assert!(output_of(&t, "ip -d link show t6")
        .contains(" pmtudisc 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8 "));
    // Host bits in the prefix, and 48 + 24 embedded bits > 64: EINVAL.
    for cmd in [
        "ip tunnel 6rd dev t6 6rd-prefix 2001:db8::1/32",
        "ip tunnel 6rd dev t6 6rd-prefix 2001:db8::/48 6rd-relay_prefix 10.0.0.0/8",
    ] {
        assert_eq!(
            output_of(&t, cmd),
            "[stderr]\nt6: ioctl 89f9 failed: Invalid argument\n[exit 1]\n"
        );
    }
    assert_eq!(
        output_of(&t, "ip tunnel 6rd 6rd-reset"),
        "[stderr]\nMust specify device\n[exit 255]\n"
    );
    // Same endpoints as t6: the tunnel exists already.
    assert!(output_of(&t, "ip tunnel add isa mode isatap local 10.0.0.1").contains("File exists"));
    let adds = outputs_of(&t, "ip tunnel prl prl-default 10.0.0.9 dev isa");
    assert_eq!(adds[0], "");
    assert_eq!(
        adds[1],
        "[stderr]\nisa: ioctl 89f5 failed: File exists\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel prl prl-delete 10.0.0.8 dev isa"),
        "[stderr]\nisa: ioctl 89f6 failed: No such device or address\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ip tunnel prl prl-delete 10.0.0.9 dev isa"),
        ""
    );
    assert_eq!(
        output_of(
            &t,
            "ip tunnel prl prl-default 10.0.0.9 prl-nodefault 10.0.0.8 dev isa"
        ),
        "[stderr]\nOne PRL entry at a time\n[exit 255]\n"
    );
    assert!(
        output_of(&t, "ip tunnel prl prl-default 10.0.0.9 dev sit0").contains("Invalid argument")
    );
    assert!(output_of(&t, "ip tunnel prl prl-default 10.0.0.9 dev lo")
        .contains("Operation not supported"));
    // An ISATAP interface id for a private IPv4 address: 0000:5efe:a.b.c.d.
    let a = output_of(&t, "ip -6 addr show dev isa");
    assert!(a.contains("inet6 fe80::5efe:a00:2/64 scope link"), "{a}");
}
