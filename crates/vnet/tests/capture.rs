//! `vnet run --pcap FILE.pcapng`: the lab-wide annotated capture, read back
//! by tshark (Wireshark's reader) — interface names and packet comments.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

#[test]
fn nat_lab_capture_reads_back_in_tshark_with_names_and_stories() {
    let dir = std::env::temp_dir().join(format!("vnet-pcapng-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lab.pcapng");
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .arg("run")
        .arg("--pcap")
        .arg(&file)
        .arg(root().join("examples/seed000_nat.sh"))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The file is a pcapng: its section header block type.
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..4], &[0x0a, 0x0d, 0x0d, 0x0a]);
    if !have("tshark") {
        eprintln!("SKIPPED: tshark is not installed (scripts/install-deps.sh installs it)");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let t = Command::new("tshark")
        .arg("-r")
        .arg(&file)
        .args(["-Y", "icmp", "-T", "fields", "-e", "frame.interface_name"])
        .args(["-e", "frame.comment", "-e", "ip.src", "-e", "ip.dst"])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(t.status.success(), "{}", String::from_utf8_lossy(&t.stderr));
    let out = String::from_utf8_lossy(&t.stdout);
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    // The echo request and its reply on each of the four devices they
    // cross, in the order they crossed them, with the NAT'd addresses on
    // the outside.
    let hops: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[0], r[2], r[3])).collect();
    assert_eq!(
        hops,
        [
            ("myspace:veth2", "192.168.45.3", "192.168.1.15"),
            ("host:veth1", "192.168.45.3", "192.168.1.15"),
            ("host:eth0", "192.168.1.32", "192.168.1.15"),
            ("host2:eth0", "192.168.1.32", "192.168.1.15"),
            ("host2:eth0", "192.168.1.15", "192.168.1.32"),
            ("host:eth0", "192.168.1.15", "192.168.1.32"),
            ("host:veth1", "192.168.1.15", "192.168.45.3"),
            ("myspace:veth2", "192.168.1.15", "192.168.45.3"),
        ],
        "{out}"
    );
    // tshark shows the comment's newlines as \n.
    let comment = |i: usize| rows[i][1].replace("\\n", "\n");
    let req = comment(1);
    let id = req.lines().next().unwrap();
    assert!(id.starts_with("packet #"), "{req}");
    assert!(req.contains("host veth1 in"), "{req}");
    // The decisions at the router: route, FORWARD's rule, the NAT mapping.
    for d in [
        "route 192.168.1.15: 192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.32",
        "filter/FORWARD rule 2: -A FORWARD -i veth1 -o eth0 -j ACCEPT: ACCEPT",
        "MASQUERADE: 192.168.45.3 -> 192.168.1.15 id ",
        "=> 192.168.1.32 -> 192.168.1.15 id ",
    ] {
        assert!(req.contains(d), "{d}\n{req}");
    }
    assert!(req.contains("out eth0"), "{req}");
    // The same packet id on the next device; the reply names its cause.
    assert!(comment(2).starts_with(&format!("{id}\n")), "{}", comment(2));
    let reply = comment(4);
    assert!(
        reply.starts_with("packet #") && reply.contains(&format!("caused by #{}", &id[8..])),
        "{reply}"
    );
    assert!(
        comment(7).contains("deliver 192.168.1.15 -> 192.168.45.3"),
        "{}",
        comment(7)
    );
}

#[test]
fn explain_probe_writes_its_frames_as_pcapng() {
    let dir = std::env::temp_dir().join(format!("vnet-pcapng-ex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let vnet = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vnet"))
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let script = root().join("examples/seed000_nat.sh");
    let o = vnet(&["run", "--lab", "lab", "--save", script.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let o = vnet(&[
        "explain",
        "--lab",
        "lab",
        "--pcap",
        "ex.pcapng",
        "myspace",
        "192.168.1.15",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let bytes = std::fs::read(dir.join("ex.pcapng")).unwrap();
    assert_eq!(&bytes[..4], &[0x0a, 0x0d, 0x0d, 0x0a]);
    if !have("tshark") {
        eprintln!("SKIPPED: tshark is not installed (scripts/install-deps.sh installs it)");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let t = Command::new("tshark")
        .arg("-r")
        .arg(dir.join("ex.pcapng"))
        .args(["-Y", "icmp", "-T", "fields", "-e", "frame.interface_name"])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let out = String::from_utf8_lossy(&t.stdout);
    let names: Vec<&str> = out.lines().collect();
    // The probe there and its answer back, on every device they crossed.
    assert_eq!(
        names,
        [
            "myspace:veth2",
            "host:veth1",
            "host:eth0",
            "host2:eth0",
            "host2:eth0",
            "host:eth0",
            "host:veth1",
            "myspace:veth2"
        ],
        "{out}"
    );
}
