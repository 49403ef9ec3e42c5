//! The lab kept on disk for one-shot invocations: state survives between
//! commands, concurrent writers never lose each other's changes, failed
//! commands and corrupt files leave it untouched.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vnet(lab: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vnet"))
        .arg("--lab")
        .arg(lab)
        .args(args)
        .output()
        .expect("run vnet")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn fresh(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vnet-lab-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn state_survives_between_invocations() {
    let lab = fresh("survive");
    assert!(vnet(
        &lab,
        &["ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"]
    )
    .status
    .success());
    assert!(vnet(&lab, &["ip", "netns", "add", "ns1"]).status.success());
    assert!(vnet(&lab, &["ip", "link", "set", "v1", "netns", "ns1"])
        .status
        .success());
    assert!(
        vnet(&lab, &["ip", "addr", "add", "10.0.0.1/24", "dev", "v0"])
            .status
            .success()
    );
    assert!(vnet(
        &lab,
        &[
            "ip",
            "netns",
            "exec",
            "ns1",
            "ip",
            "addr",
            "add",
            "10.0.0.2/24",
            "dev",
            "v1"
        ]
    )
    .status
    .success());
    assert!(vnet(&lab, &["ip", "link", "set", "v0", "up"])
        .status
        .success());
    assert!(vnet(
        &lab,
        &["ip", "netns", "exec", "ns1", "ip", "link", "set", "v1", "up"]
    )
    .status
    .success());
    let ping = vnet(&lab, &["ping", "-c", "1", "10.0.0.2"]);
    assert!(ping.status.success(), "{}", text(&ping));
    assert!(text(&ping).contains("1 packets transmitted, 1 received"));
    // The ARP entry the ping made is still there in the next process.
    let neigh = text(&vnet(&lab, &["ip", "neigh", "show", "dev", "v0"]));
    assert!(neigh.starts_with("10.0.0.2 lladdr "), "{neigh}");
    assert_eq!(text(&vnet(&lab, &["ip", "netns", "list"])), "ns1 (id: 0)\n");
    let _ = std::fs::remove_dir_all(&lab);
}

#[test]
fn concurrent_invocations_lose_no_update() {
    let lab = fresh("concurrent");
    assert!(vnet(&lab, &["ip", "netns", "list"]).status.success());
    let children: Vec<_> = (0..12)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_vnet"))
                .arg("--lab")
                .arg(&lab)
                .args(["ip", "netns", "add", &format!("n{i}")])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let list = text(&vnet(&lab, &["ip", "netns", "list"]));
    for i in 0..12 {
        assert!(
            list.lines().any(|l| l == format!("n{i}")),
            "n{i} lost:\n{list}"
        );
    }
    let _ = std::fs::remove_dir_all(&lab);
}

#[test]
fn a_failed_command_leaves_the_lab_unchanged() {
    let lab = fresh("failed");
    assert!(vnet(
        &lab,
        &["ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"]
    )
    .status
    .success());
    let before = std::fs::read(lab.join("lab.json")).unwrap();
    let o = vnet(
        &lab,
        &[
            "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v2",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "RTNETLINK answers: File exists\n"
    );
    let o = vnet(&lab, &["ip", "addr", "add", "10.0.0.1/33", "dev", "v0"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(lab.join("lab.json")).unwrap(), before);
    let _ = std::fs::remove_dir_all(&lab);
}

#[test]
fn a_corrupt_lab_is_reported_and_kept() {
    let lab = fresh("corrupt");
    std::fs::create_dir_all(&lab).unwrap();
    std::fs::write(lab.join("lab.json"), b"{ not json").unwrap();
    let o = vnet(&lab, &["ip", "netns", "add", "x"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("corrupt lab file"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read(lab.join("lab.json")).unwrap(), b"{ not json");
    let _ = std::fs::remove_dir_all(&lab);
}

#[test]
fn a_torn_temporary_file_from_a_killed_writer_is_ignored() {
    let lab = fresh("torn");
    assert!(vnet(&lab, &["ip", "netns", "add", "kept"]).status.success());
    // A writer killed mid-write leaves only its temporary file behind.
    std::fs::write(lab.join("lab.json.tmp"), b"{\"version\":1,\"saved_at\"").unwrap();
    assert_eq!(text(&vnet(&lab, &["ip", "netns", "list"])), "kept\n");
    let _ = std::fs::remove_dir_all(&lab);
}

/// The conntrack hash is left out of the lab file and rebuilt on loading:
/// a second ping with the same identifier, one invocation later, belongs
/// to the connection the first one made (a lost hash would confirm a
/// second entry for the same tuples).
#[test]
fn a_saved_conntrack_entry_is_found_again_after_loading() {
    let lab = fresh("conntrack");
    for cmd in [
        "ip netns add c",
        "ip link add eth0 type veth peer name eth0 netns c",
        "ip addr add 10.0.0.2/24 dev eth0",
        "ip link set eth0 up",
        "ip -n c addr add 10.0.0.1/24 dev eth0",
        "ip -n c link set eth0 up",
        "iptables -A INPUT -m conntrack --ctstate INVALID -j DROP",
        "ip netns exec c ping -c 1 -e 600 10.0.0.2",
    ] {
        let args: Vec<&str> = cmd.split(' ').collect();
        let o = vnet(&lab, &args);
        assert!(o.status.success(), "{cmd}: {o:?}");
    }
    assert_eq!(text(&vnet(&lab, &["conntrack", "-C"])), "1\n");
    let first = text(&vnet(&lab, &["conntrack", "-L", "-o", "id"]));
    assert!(first.contains("id=600"), "{first}");
    let o = vnet(
        &lab,
        &[
            "ip", "netns", "exec", "c", "ping", "-c", "1", "-e", "600", "10.0.0.2",
        ],
    );
    assert!(o.status.success(), "{o:?}");
    assert_eq!(text(&vnet(&lab, &["conntrack", "-C"])), "1\n");
    let second = text(&vnet(&lab, &["conntrack", "-L", "-o", "id"]));
    let id = |s: &str| s.split_whitespace().last().map(str::to_owned);
    assert_eq!(id(&first), id(&second), "{first}{second}");
    // A different identifier is a different connection.
    let o = vnet(
        &lab,
        &[
            "ip", "netns", "exec", "c", "ping", "-c", "1", "-e", "601", "10.0.0.2",
        ],
    );
    assert!(o.status.success(), "{o:?}");
    assert_eq!(text(&vnet(&lab, &["conntrack", "-C"])), "2\n");
    let _ = std::fs::remove_dir_all(&lab);
}

/// Symlinks planted in the lab directory never make vnet write (or read)
/// their targets: the temporary file is created afresh, lab.json and the
/// lock are opened without following a link.
#[test]
fn planted_symlinks_are_not_followed() {
    let lab = fresh("symlinks");
    let victim = fresh("symlinks-victim");
    std::fs::create_dir_all(&lab).unwrap();
    std::fs::write(&victim, b"VICTIM").unwrap();
    std::os::unix::fs::symlink(&victim, lab.join("lab.json.tmp")).unwrap();
    let o = vnet(&lab, &["ip", "netns", "add", "a"]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(std::fs::read(&victim).unwrap(), b"VICTIM");
    assert!(!lab.join("lab.json.tmp").exists());
    assert!(std::fs::symlink_metadata(lab.join("lab.json"))
        .unwrap()
        .is_file());
    assert_eq!(text(&vnet(&lab, &["ip", "netns", "list"])), "a\n");
    // lab.json itself a link: refused, named, the target untouched.
    std::fs::remove_file(lab.join("lab.json")).unwrap();
    std::os::unix::fs::symlink(&victim, lab.join("lab.json")).unwrap();
    let o = vnet(&lab, &["ip", "netns", "add", "b"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains(&format!("{}", lab.join("lab.json").display())),
        "{err}"
    );
    assert_eq!(std::fs::read(&victim).unwrap(), b"VICTIM");
    // The lock too.
    std::fs::remove_file(lab.join("lab.json")).unwrap();
    std::fs::remove_file(lab.join("lock")).unwrap();
    std::os::unix::fs::symlink(&victim, lab.join("lock")).unwrap();
    assert!(!vnet(&lab, &["ip", "netns", "list"]).status.success());
    assert_eq!(std::fs::read(&victim).unwrap(), b"VICTIM");
    let _ = std::fs::remove_dir_all(&lab);
    let _ = std::fs::remove_file(&victim);
}

#[test]
fn a_newer_lab_file_is_a_version_mismatch() {
    let lab = fresh("version");
    std::fs::create_dir_all(&lab).unwrap();
    let newer = br#"{"version":99,"saved_at":0,"world":{"a":"shape this vnet does not know"}}"#;
    std::fs::write(lab.join("lab.json"), newer).unwrap();
    let o = vnet(&lab, &["ip", "netns", "list"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("has version 99"), "{err}");
    assert!(!err.contains("corrupt"), "{err}");
    assert!(err.contains(&lab.join("lab.json").display().to_string()));
    assert_eq!(std::fs::read(lab.join("lab.json")).unwrap(), newer);
    let _ = std::fs::remove_dir_all(&lab);
}

/// A full disk (a small tmpfs, mounted in a private mount namespace) makes
/// the save fail loudly, leaves the old lab and no temporary file.
#[test]
fn a_full_disk_fails_the_save_and_leaves_no_temporary_file() {
    let ok = Command::new("unshare")
        .args(["--mount", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: needs root and unshare --mount");
        return;
    }
    let dir = fresh("fulldisk");
    std::fs::create_dir_all(&dir).unwrap();
    let script = r#"set -e
mount -t tmpfs -o size=64k vnet-full "$1"
"$0" --lab "$1/s" ip netns add a
dd if=/dev/zero of="$1/fill" bs=1k 2>/dev/null || true
set +e
"$0" --lab "$1/s" ip netns add b
echo "status=$?"
ls -a "$1/s"
"$0" --lab "$1/s" ip netns list
"#;
    let o = in_mount_ns(script, &dir);
    let out = text(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(out.contains("status=1\n"), "{out}{err}");
    assert!(
        err.contains("cannot save lab file") && err.contains("No space left on device"),
        "{err}"
    );
    assert!(!out.contains("lab.json.tmp"), "{out}");
    assert!(out.ends_with("a\n"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// tcpdump -w on a disk that fills up mid-capture: the failed write is
/// reported and the capture ends with status 1 (not success over a torn
/// file).
#[test]
fn tcpdump_on_a_full_disk_reports_the_error() {
    let ok = Command::new("unshare")
        .args(["--mount", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: needs root and unshare --mount");
        return;
    }
    let dir = fresh("fullpcap");
    std::fs::create_dir_all(&dir).unwrap();
    // One free page: the header and a few packets fit, not five pings.
    let script = r#"mount -t tmpfs -o size=64k vnet-full "$1" || exit 9
cd "$1"
printf 'tcpdump -i lo -w x.pcap &\nping -c 5 -s 1000 127.0.0.1 > /dev/null\nwait %%1\necho st=$?\n' > s.sh
i=0; while dd if=/dev/zero of="f$i" bs=4k count=1 2>/dev/null; do i=$((i+1)); done
rm -f "f$i" f0
"$0" run s.sh
wc -c < x.pcap
"#;
    let o = in_mount_ns(script, &dir);
    let out = text(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(out.starts_with("st=1\n"), "{out}{err}");
    assert!(
        err.ends_with("tcpdump: x.pcap: No space left on device\n"),
        "{err}"
    );
    // Some packets were written before the disk filled.
    let size: u64 = out
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    assert!(size > 24, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `vnet iptables-restore < rules` reads the rules from stdin; a read-only
/// command neither creates the lab nor rewrites it.
#[test]
fn oneshot_stdin_and_read_only_commands() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = std::env::temp_dir().join(format!("vnet-oneshot-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let lab = dir.join("lab");
    let vnet = |args: &[&str], stdin: &[u8]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vnet"))
            .arg("--lab")
            .arg(&lab)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        c.stdin.take().unwrap().write_all(stdin).unwrap();
        let o = c.wait_with_output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    assert_eq!(vnet(&["ip", "link", "show", "lo"], b"").0, Some(0));
    assert!(!lab.exists(), "a read-only command created the lab");
    let rules = b"*filter\n-A INPUT -s 10.9.9.9 -j DROP\nCOMMIT\n";
    assert_eq!(vnet(&["iptables-restore"], rules).0, Some(0));
    let saved = std::fs::metadata(lab.join("lab.json"))
        .unwrap()
        .modified()
        .unwrap();
    let (st, out) = vnet(&["iptables", "-S", "INPUT"], b"");
    assert_eq!(st, Some(0));
    assert!(out.contains("-A INPUT -s 10.9.9.9/32 -j DROP"), "{out}");
    let again = std::fs::metadata(lab.join("lab.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(saved, again, "a read-only command rewrote the lab");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `vnet lab save/load/list/reset` and `vnet run --lab DIR [--save]`.
#[test]
fn lab_snapshots_and_run_on_a_lab() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("vnet-labops-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let lab = dir.join("lab");
    let vnet = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
            .current_dir(&dir)
            .arg("--lab")
            .arg(&lab)
            .args(args)
            .output()
            .unwrap();
        let text =
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
        (o.status.code(), text)
    };
    let links = || vnet(&["ip", "-br", "link"]).1;
    assert_eq!(
        vnet(&["ip", "link", "add", "d0", "type", "dummy"]).0,
        Some(0)
    );
    assert_eq!(vnet(&["lab", "save", "one"]).0, Some(0));
    assert_eq!(
        vnet(&["ip", "link", "add", "d1", "type", "dummy"]).0,
        Some(0)
    );
    assert_eq!(vnet(&["lab", "list"]), (Some(0), "one\n".into()));
    assert_eq!(vnet(&["lab", "load", "one"]).0, Some(0));
    let l = links();
    assert!(l.contains("d0") && !l.contains("d1"), "{l}");
    let (st, msg) = vnet(&["lab", "save", "../escape"]);
    assert_eq!(st, Some(1));
    assert!(msg.contains("invalid snapshot name"), "{msg}");
    assert_eq!(vnet(&["lab", "reset"]).0, Some(0));
    assert!(!links().contains("d0"));
    // run starts from the lab and keeps its result only with --save.
    std::fs::write(
        dir.join("s.sh"),
        "ip link add z type dummy\nip -br link | cat\n",
    )
    .unwrap();
    assert_eq!(vnet(&["run", "s.sh"]).0, Some(0));
    assert!(!links().contains('z'));
    assert_eq!(vnet(&["run", "--save", "s.sh"]).0, Some(0));
    assert!(links().contains('z'));
    let (st, out) = vnet(&["run", "s.sh"]);
    assert_eq!(st, Some(0));
    assert!(out.contains("RTNETLINK answers: File exists"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `vnet lab save` never writes through a symlink planted where the
/// snapshot goes, and `vnet lab load` refuses one in place of a snapshot.
#[test]
fn snapshots_do_not_follow_planted_symlinks() {
    let lab = fresh("snapsym");
    let victim = fresh("snapsym-victim");
    std::fs::write(&victim, b"VICTIM").unwrap();
    assert!(vnet(&lab, &["ip", "netns", "add", "a"]).status.success());
    std::fs::create_dir_all(lab.join("snapshots")).unwrap();
    std::os::unix::fs::symlink(&victim, lab.join("snapshots/s1.json")).unwrap();
    std::os::unix::fs::symlink(&victim, lab.join("snapshots/s1.json.tmp")).unwrap();
    let o = vnet(&lab, &["lab", "save", "s1"]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(std::fs::read(&victim).unwrap(), b"VICTIM");
    assert!(std::fs::symlink_metadata(lab.join("snapshots/s1.json"))
        .unwrap()
        .is_file());
    std::os::unix::fs::symlink(&victim, lab.join("snapshots/s2.json")).unwrap();
    let o = vnet(&lab, &["lab", "load", "s2"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("s2.json"),
        "{o:?}"
    );
    assert_eq!(text(&vnet(&lab, &["ip", "netns", "list"])), "a\n");
    let _ = std::fs::remove_dir_all(&lab);
    let _ = std::fs::remove_file(&victim);
}

/// Runs `sh -c script vnet DIR` in a private mount namespace (where a
/// script may mount a small tmpfs over DIR).
fn in_mount_ns(script: &str, dir: &std::path::Path) -> std::process::Output {
    Command::new("unshare")
        .args([
            "--mount",
            "--propagation",
            "private",
            "--",
            "sh",
            "-c",
            script,
        ])
        .arg(env!("CARGO_BIN_EXE_vnet"))
        .arg(dir)
        .output()
        .unwrap()
}
