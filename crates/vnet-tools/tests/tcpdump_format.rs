//! tcpdump's printer, filter and pcap I/O against the real tool.
//!
//! `tests/tcpdump_ref/NAME.pcap` were captured by tcpdump 4.99.3 in a
//! sandbox; `NAME-FLAGS.txt` is what `tcpdump -r NAME.pcap FLAGS` printed.
//! Each capture is printed again with vnet's printer and compared line by
//! line (timestamps aside, which depend on the capture's wall clock).

use std::path::PathBuf;
use vnet_tools::tcpdump::{
    format_packet, format_ts, parse_args, parse_filter, FormatOpts, LinkType, Printer,
};

fn ref_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/tcpdump_ref")
}

/// (link type, [(timestamp ns since the Unix epoch, frame)]).
fn read_pcap(name: &str) -> (LinkType, Vec<(u128, Vec<u8>)>) {
    let data = std::fs::read(ref_dir().join(name)).unwrap();
    let mut r = pcap_file::pcap::PcapReader::new(&data[..]).unwrap();
    let link = LinkType::from_dlt(u32::from(r.header().datalink)).unwrap();
    let mut v = Vec::new();
    while let Some(p) = r.next_packet() {
        let p = p.unwrap();
        v.push((p.timestamp.as_nanos(), p.data.to_vec()));
    }
    (link, v)
}

/// Drops the timestamp (`-tttt` has two words of it) from packet lines.
fn strip_ts(line: &str, words: usize) -> String {
    if words > 0 && line.starts_with(|c: char| c.is_ascii_digit()) {
        line.splitn(words + 1, ' ').last().unwrap_or("").to_string()
    } else {
        line.to_string()
    }
}

/// Lines vnet does not decode yet (DNS payloads).
fn skipped(line: &str) -> bool {
    line.contains(".53: ") || line.contains(".domain: ")
}

fn check(pcap: &str, flags: &str) -> Vec<String> {
    let args: Vec<String> = flags.split_whitespace().map(String::from).collect();
    let o = parse_args(&args).unwrap();
    let (link, pkts) = read_pcap(pcap);
    let mut p = Printer::new(o.fmt.clone());
    let mut out = String::new();
    for (_, f) in &pkts {
        out.push_str("00:00:00.000000 ");
        out.push_str(&p.format(f, link));
        out.push('\n');
    }
    let stem = pcap.trim_end_matches(".pcap");
    let want =
        std::fs::read_to_string(ref_dir().join(format!("{stem}{}.txt", flags.replace(' ', ""))))
            .unwrap();
    let words = match o.tflag {
        1 => 0,
        4 => 2,
        _ => 1,
    };
    let got: Vec<String> = out.lines().map(|l| strip_ts(l, 1)).collect();
    let want: Vec<String> = want.lines().map(|l| strip_ts(l, words)).collect();
    let mut bad = Vec::new();
    if got.len() != want.len() {
        let i = got.iter().zip(&want).position(|(g, w)| g != w).unwrap_or(0);
        bad.push(format!(
            "{pcap} {flags}: {} lines, want {}; first difference:\n  want: {}\n  got:  {}",
            got.len(),
            want.len(),
            want.get(i).map(String::as_str).unwrap_or(""),
            got.get(i).map(String::as_str).unwrap_or("")
        ));
        return bad;
    }
    let mut skip_cont = false;
    for (g, w) in got.iter().zip(&want) {
        if skipped(w) {
            skip_cont = true;
            continue;
        }
        if skip_cont && (w.starts_with(' ') || w.starts_with('\t')) {
            continue;
        }
        skip_cont = false;
        if g != w {
            bad.push(format!("{pcap} {flags}\n  want: {w}\n  got:  {g}"));
        }
    }
    bad
}

#[test]
fn printer_matches_real_tcpdump() {
    let mut bad = Vec::new();
    for f in [
        "-n", "-nn", "-en", "-e", "-vn", "-vvn", "-qn", "-q", "-evn", "-tn",
    ] {
        bad.extend(check("a.pcap", f));
    }
    for f in [
        "-n", "-vn", "-vvn", "-en", "-e", "-qn", "-Xn", "-xn", "-tttt",
    ] {
        bad.extend(check("b.pcap", f));
    }
    assert!(
        bad.is_empty(),
        "{} differences:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Frames built by hand (etherparse), against lines the real tool printed
/// for the same packets in the sandbox.
#[test]
fn hand_built_frames() {
    use etherparse::PacketBuilder;
    let n = FormatOpts {
        nflag: 1,
        ..Default::default()
    };
    let mut f = Vec::new();
    PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 0xfe])
        .ipv4([10, 0, 1, 1], [10, 0, 1, 254], 64)
        .icmpv4_echo_request(59, 1)
        .write(&mut f, &[0u8; 56])
        .unwrap();
    assert_eq!(
        format_packet(&f, true, &n),
        "IP 10.0.1.1 > 10.0.1.254: ICMP echo request, id 59, seq 1, length 64"
    );
    let e = FormatOpts {
        eflag: true,
        ..n.clone()
    };
    assert_eq!(
        format_packet(&f, true, &e),
        "02:00:00:00:00:01 > 02:00:00:00:00:fe, ethertype IPv4 (0x0800), length 98: 10.0.1.1 > 10.0.1.254: ICMP echo request, id 59, seq 1, length 64"
    );
    // The same packet on a tun device (no link header).
    assert_eq!(
        format_packet(&f[14..], false, &e),
        "10.0.1.1 > 10.0.1.254: ICMP echo request, id 59, seq 1, length 64"
    );
    let mut u = Vec::new();
    PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 0xfe])
        .ipv4([10, 0, 1, 1], [10, 0, 2, 1], 64)
        .udp(39687, 9999)
        .write(&mut u, b"hi\n")
        .unwrap();
    assert_eq!(
        format_packet(&u, true, &n),
        "IP 10.0.1.1.39687 > 10.0.2.1.9999: UDP, length 3"
    );
    let vv = FormatOpts {
        vflag: 2,
        ..n.clone()
    };
    assert!(format_packet(&u, true, &vv).contains("[udp sum ok] UDP, length 3"));
    // Without -n: service names, OUIs and "Broadcast".
    let arp = [
        0xffu8, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 8, 6, 0, 1, 8, 0, 6, 4, 0, 1, 2, 0,
        0, 0, 0, 1, 10, 0, 1, 1, 0, 0, 0, 0, 0, 0, 10, 0, 1, 254,
    ];
    let e0 = FormatOpts {
        eflag: true,
        ..Default::default()
    };
    assert_eq!(
        format_packet(&arp, true, &e0),
        "02:00:00:00:00:01 (oui Unknown) > Broadcast, ethertype ARP (0x0806), length 42: Request who-has 10.0.1.254 tell 10.0.1.1, length 28"
    );
}

#[test]
fn tcp_relative_sequence_numbers_need_state() {
    let (link, pkts) = read_pcap("b.pcap");
    let o = FormatOpts {
        nflag: 1,
        ..Default::default()
    };
    // The HTTP request, alone, prints absolute numbers; after its handshake, relative.
    let i = pkts
        .iter()
        .position(|(_, f)| format_packet(f, true, &o).contains("HTTP: GET"))
        .unwrap();
    assert!(format_packet(&pkts[i].1, true, &o).contains("seq 2000898906:2000898933"));
    let mut p = Printer::new(o);
    let text: Vec<String> = pkts[..=i].iter().map(|(_, f)| p.format(f, link)).collect();
    assert!(text[i].contains("seq 1:28, ack 1,"), "{}", text[i]);
}

#[test]
fn timestamps() {
    // Virtual time 0 is 2026-01-01 00:00:00 UTC.
    let t = 3_723_000_123_456u64; // 1h 2m 3.000123456s
    assert_eq!(format_ts(0, t, None, None), "01:02:03.000123 ");
    assert_eq!(format_ts(1, t, None, None), "");
    assert_eq!(format_ts(2, t, None, None), "1767229323.000123 ");
    assert_eq!(
        format_ts(3, t, Some(t - 1_500_000), None),
        "00:00:00.001500 "
    );
    assert_eq!(format_ts(4, t, None, None), "2026-01-01 01:02:03.000123 ");
}

fn matches(expr: &str, pcap: &str) -> Vec<usize> {
    let f = parse_filter(expr).unwrap();
    let (link, pkts) = read_pcap(pcap);
    pkts.iter()
        .enumerate()
        .filter(|(_, (_, d))| f.matches(d, link))
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn filters_select_what_tcpdump_selects() {
    let (_, pkts) = read_pcap("a.pcap");
    let o = FormatOpts {
        nflag: 1,
        ..Default::default()
    };
    let text: Vec<String> = pkts
        .iter()
        .map(|(_, f)| format_packet(f, true, &o))
        .collect();
    let sel = |expr: &str, pred: &dyn Fn(&str) -> bool| {
        let got = matches(expr, "a.pcap");
        let want: Vec<usize> = (0..text.len()).filter(|i| pred(&text[*i])).collect();
        assert_eq!(got, want, "filter {expr}");
    };
    sel("icmp", &|t| t.starts_with("IP ") && t.contains(": ICMP "));
    sel("arp", &|t| t.starts_with("ARP"));
    sel("ip6", &|t| t.starts_with("IP6"));
    sel("icmp6", &|t| t.contains("ICMP6"));
    sel("tcp", &|t| t.contains("Flags ["));
    sel("udp", &|t| {
        t.starts_with("IP ") && (t.contains("UDP") || t.contains(".53: "))
    });
    sel("port 8080", &|t| t.contains(".8080"));
    sel("tcp and dst port 8080", &|t| t.contains("> 10.0.2.1.8080"));
    sel("src port 8080 or src port 8081", &|t| {
        t.contains(".8080 >") || t.contains(".8081 >")
    });
    sel("udp port 7777 || udp port 7778", &|t| {
        t.contains(".7777:") || t.contains(".7778:")
    });
    sel("host 10.9.9.9", &|t| t.contains("> 10.9.9.9:"));
    sel("icmp and not host 10.0.1.254", &|t| {
        t.contains(": ICMP ") && !t.contains("10.0.1.254 >") && !t.contains("> 10.0.1.254:")
    });
    sel("dst host 10.0.2.77 or dst 10.9.9.9", &|t| {
        t.contains("> 10.0.2.77:") || t.contains("> 10.9.9.9:")
    });
    sel("arp and host 10.0.1.254 and src 10.0.1.1", &|t| {
        t.contains("ARP, Request who-has 10.0.1.254 tell 10.0.1.1")
    });
    sel("net 10.0.2.0/24 and icmp", &|t| {
        t.starts_with("IP ")
            && t.split(": ICMP ").count() == 2
            && t.split(": ICMP ").next().unwrap().contains("10.0.2.")
    });
    sel("icmp[icmptype] == icmp-echo", &|t| {
        t.starts_with("IP ") && t.contains("ICMP echo request")
    });
    sel("icmp[0] = 3 and icmp[1] == 13", &|t| {
        t.contains("admin prohibited filter")
    });
    sel("tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", &|t| {
        t.contains("Flags [S") || t.contains("Flags [F")
    });
    sel("ip6 and (icmp6 and ip6[40] == 135)", &|t| {
        t.contains("neighbor solicitation")
    });
    sel(
        "ether host 02:00:00:00:00:fe and not ip and not ip6",
        &|t| t.contains("is-at 02:00:00:00:00:fe") || t.contains("who-has 10.0.1.1 "),
    );
    sel("ether broadcast", &|t| {
        t.contains("who-has") || t.contains("0x88b5") || t.contains("10.0.1.255")
    });
    sel("ip proto 200", &|t| t.contains("ip-proto-200 11"));
    sel("less 60 and ip", &|t| {
        ["length 8", "Flags [R.]", "UDP, length 3", "ip-proto-200"]
            .iter()
            .any(|x| t.contains(x))
    });
    sel("not (icmp or arp or ip6 or tcp or udp)", &|t| {
        t.contains("0x88b5") || t.contains("ip-proto-200 11")
    });
    sel("", &|_| true);
}

#[test]
fn filter_errors_read_like_tcpdump() {
    let err = |e: &str| parse_filter(e).unwrap_err().0;
    let syntax = "can't parse filter expression: syntax error";
    for e in [
        "tcp port",
        "foo",
        "host",
        "(",
        "icmp and",
        "tcp 80",
        "bogusfilter",
        "port 80 )",
    ] {
        assert_eq!(err(e), syntax, "{e}");
    }
    assert_eq!(err("port 99999"), "illegal port number 99999 > 65535");
    assert_eq!(
        err("net 10.0.0.1/8"),
        "non-network bits set in \"10.0.0.1/8\""
    );
    assert_eq!(err("host 1.2.3.4.5"), "unknown host '1.2.3.4.5'");
    assert_eq!(err("net 300.1.1.1"), "invalid IPv4 address '300.1.1.1'");
    assert_eq!(err("port foo"), "unknown port 'foo'");
    assert!(parse_filter("port http or port ssh").is_ok());
    assert!(parse_filter("host 10.0.0.1 or 10.0.0.2").is_ok());
    assert!(parse_filter("src or dst net 10.0.0.0/8").is_ok());
}

#[test]
fn options_parse_like_getopt() {
    let a = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
    let o = parse_args(&a("-envi eth0 -c 3 icmp and host 1.2.3.4 -p")).unwrap();
    assert_eq!(o.iface.as_deref(), Some("eth0"));
    assert_eq!(o.count, Some(3));
    assert!(o.fmt.eflag && o.fmt.nflag == 1 && o.fmt.vflag == 1);
    assert_eq!(o.expr, "icmp and host 1.2.3.4");
    assert_eq!(
        parse_args(&a("-c 0")).unwrap_err(),
        "tcpdump: invalid packet count 0\n"
    );
    assert_eq!(
        parse_args(&a("-c abc")).unwrap_err(),
        "tcpdump: invalid packet count abc\n"
    );
    assert!(parse_args(&a("-k"))
        .unwrap_err()
        .starts_with("tcpdump: invalid option -- 'k'\ntcpdump version 4.99.3\n"));
    assert!(parse_args(&a("-Z"))
        .unwrap_err()
        .starts_with("tcpdump: option requires an argument -- 'Z'\n"));
    assert_eq!(
        parse_args(&a("-Q foo")).unwrap_err(),
        "tcpdump: unknown capture direction `foo'\n"
    );
    assert_eq!(
        parse_args(&a("-s abc")).unwrap_err(),
        "tcpdump: invalid snaplen abc (must be >= 0 and <= 262144)\n"
    );
}

#[test]
fn pcap_write_then_read_round_trip() {
    use std::io::Write;
    use vnet_tools::Machine;
    let dir = std::env::temp_dir().join(format!("vnet-tcpdump-rt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Copy a real capture with -w (through the same writer live captures
    // use), then read both back.
    std::fs::copy(ref_dir().join("a.pcap"), dir.join("in.pcap")).unwrap();
    let mut m = Machine::new(vnet_core::World::new(1), Box::new(std::io::sink()));
    m.fs = vnet_tools::fs::lab_tree(&dir, &dir.join(".vnet"), &[], &[]).unwrap();
    let run = |m: &mut Machine, s: &str| {
        let argv: Vec<String> = s.split_whitespace().map(String::from).collect();
        m.exec_in(0, &argv, None)
    };
    let (st, _, err) = run(&mut m, "tcpdump -r in.pcap -w out.pcap icmp");
    assert_eq!(st, 0, "{}", String::from_utf8_lossy(&err));
    let (_, a, _) = run(&mut m, "tcpdump -r in.pcap -n icmp");
    let (st, b, err) = run(&mut m, "tcpdump -r out.pcap -n");
    assert_eq!(st, 0);
    assert_eq!(
        String::from_utf8_lossy(&err),
        "reading from file out.pcap, link-type EN10MB (Ethernet), snapshot length 262144\n"
    );
    let strip = |v: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(v)
            .lines()
            .map(|l| strip_ts(l, 1))
            .collect()
    };
    assert!(!a.is_empty());
    assert_eq!(strip(&a), strip(&b));
    // Frames survive byte for byte.
    let (_, x) = read_pcap_at(&dir.join("out.pcap"));
    let (_, y) = read_pcap("a.pcap");
    let f = parse_filter("icmp").unwrap();
    let y: Vec<Vec<u8>> = y
        .into_iter()
        .map(|p| p.1)
        .filter(|d| f.matches(d, LinkType::Ether))
        .collect();
    assert_eq!(x, y);
    let (st, _, err) = run(&mut m, "tcpdump -r nosuch.pcap");
    assert_eq!(
        (st, String::from_utf8_lossy(&err).to_string()),
        (
            1,
            "tcpdump: nosuch.pcap: No such file or directory\n".to_string()
        )
    );
    std::fs::File::create(dir.join("junk"))
        .unwrap()
        .write_all(b"not a pcap file at all")
        .unwrap();
    let (st, _, err) = run(&mut m, "tcpdump -r junk");
    assert_eq!(
        (st, String::from_utf8_lossy(&err).to_string()),
        (1, "tcpdump: unknown file format\n".to_string())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn read_pcap_at(p: &std::path::Path) -> (LinkType, Vec<Vec<u8>>) {
    let data = std::fs::read(p).unwrap();
    let mut r = pcap_file::pcap::PcapReader::new(&data[..]).unwrap();
    let link = LinkType::from_dlt(u32::from(r.header().datalink)).unwrap();
    let mut v = Vec::new();
    while let Some(pk) = r.next_packet() {
        v.push(pk.unwrap().data.to_vec());
    }
    (link, v)
}

/// `-i any` (Linux cooked v2): the frames of b.pcap were also captured by
/// `tcpdump -i any -n -e`; these lines are what it printed.
#[test]
fn cooked_v2_lines() {
    let (_, pkts) = read_pcap("b.pcap");
    let o = FormatOpts {
        nflag: 1,
        eflag: true,
        ..Default::default()
    };
    let mut p = Printer::new(o);
    p.ifnames.insert(3, "va".into());
    let find = |s: &str| {
        let q = FormatOpts {
            nflag: 1,
            ..Default::default()
        };
        pkts.iter()
            .map(|(_, f)| f.clone())
            .find(|f| format_packet(f, true, &q).contains(s))
            .unwrap()
    };
    let sll2 = |f: &[u8], pkttype: u8| {
        let mut v = vec![f[12], f[13], 0, 0, 0, 0, 0, 3, 0, 1, pkttype, 6];
        v.extend_from_slice(&f[6..12]);
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(&f[14..]);
        v
    };
    let req = find("ICMP echo request, id 41, seq 1,");
    assert_eq!(
        p.format(&sll2(&req, 4), LinkType::LinuxSll2),
        "va    Out ifindex 3 02:00:00:00:00:01 ethertype IPv4 (0x0800), length 104: 10.0.1.1 > 10.0.1.254: ICMP echo request, id 41, seq 1, length 64"
    );
    let rep = find("ICMP echo reply, id 41, seq 1,");
    p.opts.eflag = false;
    assert_eq!(
        p.format(&sll2(&rep, 0), LinkType::LinuxSll2),
        "va    In  IP 10.0.1.254 > 10.0.1.1: ICMP echo reply, id 41, seq 1, length 64"
    );
}
