//! Several hosts in one lab and VXLAN between them: the two-host Neutron
//! example pings across, the underlay shows the encapsulation byte by byte
//! (RFC 7348 header, UDP port 4789, source port from the flow hash), the
//! vxlan fdb learns remote MACs with their VTEP, and each host keeps its own
//! namespaces, modules and NICs. The vxlan goldens (tests/scenarios/v0*)
//! pin the text against the real kernel; this pins what a kernel with two
//! machines would do.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn example() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/vxlan_two_hosts.sh");
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn two_host_example_pings_across_the_vxlan() {
    let t = run("example", &example());
    let ping = output_of(&t, "ssh h1 ip netns exec vm ping -c 2 10.0.0.2");
    assert!(
        ping.contains("2 packets transmitted, 2 received, 0% packet loss"),
        "{ping}"
    );
    assert_eq!(
        output_of(&t, "vnet-host"),
        "h1 eth0 (wire to h2:eth0)\nh2 eth0 (wire to h1:eth0)\n"
    );
    // tcpdump on the underlay: the VXLAN header, then the inner frame.
    let cap = output_of(&t, "cat cap.txt");
    let lines: Vec<&str> = cap.lines().collect();
    assert!(
        lines[2].contains(" > 192.168.0.2.4789: VXLAN, flags [I] (0x08), vni 42"),
        "{cap}"
    );
    assert!(
        lines[3].ends_with(
            "ARP (0x0806), length 42: Request who-has 10.0.0.2 tell 10.0.0.1, length 28"
        ),
        "{cap}"
    );
    assert!(lines[7].contains("ICMP echo request"), "{cap}");
    assert!(lines[9].contains("ICMP echo reply"), "{cap}");
    // The fdb learned vm2's MAC behind h2's VTEP (no `via`, not permanent).
    let arp = lines[5].split_whitespace().next().unwrap();
    let fdb = output_of(&t, "on h1 bridge fdb show dev vxlan-42");
    assert!(
        fdb.contains(&format!("{arp} dst 192.168.0.2 self \n")),
        "{arp}\n{fdb}"
    );
    assert!(fdb.contains("00:00:00:00:00:00 dst 192.168.0.2 self permanent\n"));
    // ip -d link: the lower device's MTU less 50, and the configuration.
    let d = output_of(&t, "on h1 ip -d link show vxlan-42");
    assert!(d.contains(" mtu 1450 "), "{d}");
    assert!(
        d.contains("vxlan id 42 dev eth0 srcport 0 0 dstport 4789 ttl auto ageing 300 udpcsum"),
        "{d}"
    );
}

#[test]
fn hosts_keep_their_own_namespaces_modules_and_nics() {
    let t = run(
        "isolation",
        "hostname
vnet-host add h2 h3
vnet-host add h2
ip netns add ns1
on h2 ip netns add ns1
on h2 ip netns add only2
ip netns
on h2 ip netns
on h2 hostname
on h2 ip netns exec ns1 hostname
ip netns exec ns1 ip link set lo up
ip -n ns1 link show lo
on h2 ip -n ns1 link show lo
on h2 modprobe ipip
lsmod
on h2 lsmod
ip link show tunl0
on h2 ip link show tunl0
on h9 ip link
ssh h9 ip link
ssh root@h2 hostname
vnet-host link h1:eth0 h2:eth0 h3:eth1
vnet-host link h1:eth0 h3:eth0
vnet-host
",
    );
    assert_eq!(output_of(&t, "hostname"), "h1\n");
    assert_eq!(
        output_of(&t, "vnet-host add h2"),
        "[stderr]\nvnet-host: host \"h2\" exists\n[exit 1]\n"
    );
    assert_eq!(output_of(&t, "ip netns"), "ns1\n");
    assert_eq!(output_of(&t, "on h2 ip netns"), "only2\nns1\n");
    assert_eq!(output_of(&t, "on h2 hostname"), "h2\n");
    assert_eq!(output_of(&t, "on h2 ip netns exec ns1 hostname"), "h2\n");
    // Two different namespaces: lo is up only in h1's ns1.
    assert!(output_of(&t, "ip -n ns1 link show lo").contains("LOOPBACK,UP"));
    assert!(!output_of(&t, "on h2 ip -n ns1 link show lo").contains("UP"));
    // Modules are per host, and so are their fallback devices.
    assert!(output_of(&t, "on h2 lsmod").contains("ipip"));
    assert!(!output_of(&t, "lsmod").contains("ipip"));
    assert!(output_of(&t, "ip link show tunl0").contains("does not exist"));
    assert!(output_of(&t, "on h2 ip link show tunl0").contains("tunl0@NONE"));
    assert_eq!(
        output_of(&t, "on h9 ip link"),
        "[stderr]\non: no host \"h9\"\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "ssh h9 ip link"),
        "[stderr]\nssh: Could not resolve hostname h9: Name or service not known\n[exit 255]\n"
    );
    assert_eq!(output_of(&t, "ssh root@h2 hostname"), "h2\n");
    assert_eq!(
        output_of(&t, "vnet-host link h1:eth0 h3:eth0"),
        "[stderr]\nvnet-host: h1:eth0 is already linked\n[exit 1]\n"
    );
    assert_eq!(
        output_of(&t, "vnet-host"),
        "h1 eth0 (switch to h2:eth0 h3:eth1)\nh2 eth0 (switch to h1:eth0 h3:eth1)\nh3 eth1 (switch to h1:eth0 h2:eth0)\n"
    );
}

#[test]
fn a_nic_looks_like_a_physical_device() {
    let t = run(
        "nic",
        "vnet-host add h2
vnet-host link h1:eth0 h2:eth0
ip link show eth0
ip link set eth0 up
ip -d link show eth0
ip link del eth0
ip link add eth1 type nic
",
    );
    let first = output_of(&t, "ip link show eth0");
    assert!(
        first.starts_with("2: eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ether 52:54:00:"),
        "{first}"
    );
    let d = output_of(&t, "ip -d link show eth0");
    assert!(
        d.starts_with(
            "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP "
        ),
        "{d}"
    );
    // No kind line: the attributes follow `maxmtu` directly, and the bus.
    assert!(
        d.contains(" minmtu 68 maxmtu 65535 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 parentbus virtio parentdev virtio0 \n"),
        "{d}"
    );
    assert_eq!(
        output_of(&t, "ip link del eth0"),
        "[stderr]\nRTNETLINK answers: Operation not supported\n[exit 2]\n"
    );
}

#[test]
fn three_hosts_on_a_switch_reach_each_other() {
    let t = run(
        "switch",
        "vnet-host add h2 h3
vnet-host link h1:eth0 h2:eth0 h3:eth0
for h in 1 2 3; do on h$h ip addr add 192.168.0.$h/24 dev eth0; on h$h ip link set eth0 up; done
on h2 tcpdump -n -i eth0 -c 1 icmp >cap2.txt 2>&1 &
on h1 ping -c 2 192.168.0.3
on h3 ping -c 1 192.168.0.2
wait
cat cap2.txt
",
    );
    assert!(output_of(&t, "on h1 ping -c 2 192.168.0.3").contains(", 0% packet loss"));
    assert!(output_of(&t, "on h3 ping -c 1 192.168.0.2").contains(", 0% packet loss"));
    // The switch learned where 192.168.0.3 is: h2 sees none of h1's pings.
    let cap = output_of(&t, "cat cap2.txt");
    assert!(!cap.contains("192.168.0.1 > 192.168.0.3"), "{cap}");
    assert!(
        cap.contains("192.168.0.3 > 192.168.0.2: ICMP echo request"),
        "{cap}"
    );
}

// ---- the wire -------------------------------------------------------------

fn capture(name: &str) -> PathBuf {
    let dir = scratch(name);
    let script = example().replace(
        "on h1 tcpdump -n -e -i eth0 -c 4 udp port 4789 > cap.txt 2>&1 &",
        "on h1 tcpdump -n -i eth0 -c 8 -w outer.pcap udp port 4789 > w.txt 2>&1 &",
    );
    run_in(&dir, &script);
    dir
}

#[test]
fn outer_headers_field_by_field() {
    let dir = capture("wire");
    let (_, pkts) = pcap_packets(&dir.join("outer.pcap"));
    assert_eq!(pkts.len(), 8);
    let mut sport_of_echo = Vec::new();
    for p in &pkts {
        assert_eq!(&p[12..14], &[0x08, 0x00]);
        let ip = &p[14..];
        assert_eq!(ip[0], 0x45);
        assert_eq!(ip[6] & 0x40, 0, "vxlan sends without DF by default");
        assert_eq!(ip[8], 64, "ttl auto is the namespace's default TTL");
        assert_eq!(ip[9], 17);
        assert_eq!(csum(&ip[..20]), 0, "IPv4 header checksum");
        let udp = &ip[20..];
        let sport = u16::from_be_bytes([udp[0], udp[1]]);
        assert!((32768..=60999).contains(&sport), "{sport}");
        assert_eq!(u16::from_be_bytes([udp[2], udp[3]]), 4789);
        assert_eq!(u16::from_be_bytes([udp[4], udp[5]]) as usize, udp.len());
        // The UDP checksum over the pseudo-header sums to zero.
        let mut ph = Vec::new();
        ph.extend_from_slice(&ip[12..20]);
        ph.extend_from_slice(&[0, 17]);
        ph.extend_from_slice(&(udp.len() as u16).to_be_bytes());
        ph.extend_from_slice(udp);
        assert_eq!(csum(&ph), 0, "UDP checksum");
        // RFC 7348: flags I, VNI 42, reserved bytes zero.
        assert_eq!(&udp[8..16], &[0x08, 0, 0, 0, 0, 0, 42, 0]);
        let inner = &udp[16..];
        if inner[12..14] == [0x08, 0x00] && inner[14 + 9] == 1 && ip[12..16] == [192, 168, 0, 1] {
            sport_of_echo.push(sport);
        }
    }
    // One flow, one source port (udp_flow_src_port of the same hash).
    assert!(sport_of_echo.len() >= 2);
    assert!(sport_of_echo.iter().all(|p| *p == sport_of_echo[0]));
}

/// tshark (Wireshark) dissects the capture as VXLAN; skipped without it.
#[test]
fn wireshark_dissects_the_vxlan_capture() {
    if Command::new("tshark").arg("-v").output().is_err() {
        eprintln!("SKIP: tshark is not installed (apt-get install tshark)");
        return;
    }
    let dir = capture("tshark");
    let o = Command::new("tshark")
        .args([
            "-r",
            "outer.pcap",
            "-Y",
            "icmp",
            "-T",
            "fields",
            "-e",
            "vxlan.vni",
            "-e",
            "vxlan.flags",
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
        first.starts_with("42\t0x0800\t192.168.0.1,10.0.0.1\t8"),
        "{out} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = Command::new("tshark")
        .args([
            "-r",
            "outer.pcap",
            "-Y",
            "_ws.malformed || _ws.expert.severity >= error || udp.checksum.status == 0",
            "-o",
            "udp.check_checksum:TRUE",
        ])
        .current_dir(&dir)
        .env("HOME", &dir)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
}
