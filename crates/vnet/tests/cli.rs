//! The entry points as a newcomer uses them: the seed examples under
//! `vnet run`, the interactive shell fed from a pipe, and script errors.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn run_example(name: &str) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("vnet-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args(["run"])
        .arg(root().join("examples").join(name))
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn seed_router_example_shows_what_the_seed_shows() {
    let (_, out, err) = run_example("seed004_2_5_router.sh");
    // Before the static routes: no route to the other subnet.
    assert!(
        err.contains("ping: connect: Network is unreachable"),
        "{err}"
    );
    // The forwarding switch starts off, as /proc shows it.
    assert!(out.starts_with("0\n"), "{out}");
    // route -nee after `route add -net ... gw ...`.
    assert!(
        out.contains(
            "192.168.200.0   192.168.100.1   255.255.255.0   UG    0      0        0 tap1"
        ),
        "{out}"
    );
    // Then ping crosses the host router: ttl 63 both ways.
    assert!(
        out.contains("64 bytes from 192.168.200.2: icmp_seq=1 ttl=63 time="),
        "{out}"
    );
    assert!(
        out.contains("64 bytes from 192.168.100.2: icmp_seq=1 ttl=63 time="),
        "{out}"
    );
    // The seed's endless pings end as if Ctrl-C was pressed, with statistics.
    assert!(out.contains("--- 192.168.200.2 ping statistics ---\n5 packets transmitted, 5 received, 0% packet loss"), "{out}");
}

#[test]
fn seed_veth_and_bridge_examples_ping_across() {
    let (_, out, _) = run_example("seed004_2_3_veth.sh");
    assert!(
        out.contains("64 bytes from 192.168.50.1: icmp_seq=1 ttl=64"),
        "{out}"
    );
    assert!(
        out.contains("64 bytes from 192.168.50.2: icmp_seq=1 ttl=64"),
        "{out}"
    );
    let (_, out, _) = run_example("seed004_2_4_bridge.sh");
    assert!(
        out.contains("64 bytes from 192.168.50.2: icmp_seq=1 ttl=64"),
        "{out}"
    );
    assert!(
        out.contains("64 bytes from 192.168.50.1: icmp_seq=1 ttl=64"),
        "{out}"
    );
    assert!(
        out.contains("br1\t\t8000."),
        "brctl show lists the bridge:\n{out}"
    );
}

#[test]
fn seed_tap_and_namespace_examples_show_the_devices() {
    let (_, out, _) = run_example("seed004_2_1_tap.sh");
    assert!(
        out.contains("Set 'tap_test' persistent and owned by uid 0"),
        "{out}"
    );
    assert!(out.contains("tap_test: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000"), "{out}");
    assert!(
        out.contains("        inet 192.168.100.1  netmask 255.255.255.0  broadcast 0.0.0.0"),
        "{out}"
    );
    let (_, out, _) = run_example("seed004_2_2_netns.sh");
    assert!(out.contains("ns_test\n"), "{out}");
    assert!(
        out.contains("        inet 192.168.50.1  netmask 255.255.255.0  broadcast 192.168.50.255"),
        "{out}"
    );
}

#[test]
fn shell_reads_commands_from_a_pipe() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .arg("shell")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"ip netns add a\nfor n in b c; do ip netns add $n; done\nip netns list\ncat /proc/sys/net/ipv4/ip_forward\necho 1 > /proc/sys/net/ipv4/ip_forward\nsysctl net.ipv4.ip_forward\nnosuchcmd\necho $?\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out, "c\nb\na\n0\nnet.ipv4.ip_forward = 1\n127\n");
    assert!(String::from_utf8_lossy(&o.stderr).contains("nosuchcmd: command not found"));
}

#[test]
fn script_exit_status_is_the_last_commands() {
    let dir = std::env::temp_dir().join(format!("vnet-cli-{}-status", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("s.sh");
    std::fs::write(
        &script,
        "ip link add v0 type veth peer name v1\nip link add v0 type veth peer name v1\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .arg("run")
        .arg(&script)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "RTNETLINK answers: File exists\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn trace_explains_a_ping_on_stderr() {
    let dir = std::env::temp_dir().join(format!("vnet-cli-{}-trace", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("s.sh");
    std::fs::write(
        &script,
        "ip netns add a\nip link add va type veth peer name vb\nip link set va netns a\nip -n a addr add 10.0.0.1/24 dev va\nip addr add 10.0.0.2/24 dev vb\nip -n a link set va up\nip link set vb up\nip netns exec a ping -c 1 10.0.0.2\nip netns exec a ping -c 1 -W 1 10.0.0.9\nsleep 3\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args(["run", "--trace"])
        .arg(&script)
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("a va: neigh 10.0.0.2 INCOMPLETE"), "{err}");
    assert!(err.contains("a va: neigh 10.0.0.2 REACHABLE"), "{err}");
    assert!(
        err.contains("host deliver 10.0.0.1 -> 10.0.0.2 proto 1"),
        "{err}"
    );
    assert!(err.contains("a va: neigh 10.0.0.9 FAILED"), "{err}");
    assert!(
        err.contains("a va: drop NEIGH_FAILED (NeighFailed; unresolved_discards)"),
        "{err}"
    );
    // Without --trace, stderr has none of it.
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .arg("run")
        .arg(&script)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("neigh"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `vnet diff --recorded DIR`: a recording that agrees and one that does not
/// (the recordings here are made up: this pins the diff's report, not vnet's
/// fidelity, which tests/golden.rs checks against the kernel's).
#[test]
fn diff_reports_each_differing_command_and_a_summary() {
    let dir = std::env::temp_dir().join(format!("vnet-cli-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("same.sh"), "ip link show lo\necho hi\n").unwrap();
    std::fs::write(
        dir.join("other.sh"),
        "ip link show lo\nip link show nosuch\n",
    )
    .unwrap();
    let lo = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n";
    std::fs::write(
        dir.join("same.out"),
        format!("$ ip link show lo\n{lo}$ echo hi\nhi\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("other.out"),
        format!("$ ip link show lo\n{lo}$ ip link show nosuch\n[stderr]\nDevice \"nosuch\" is missing.\n[exit 1]\n"),
    )
    .unwrap();
    let run = |files: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
            .arg("diff")
            .arg("--recorded")
            .arg(&dir)
            .args(files.iter().map(|f| dir.join(f)))
            .current_dir(&dir)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let (status, out) = run(&["same.sh"]);
    assert_eq!(
        (status, out.as_str()),
        (
            Some(0),
            "same: 2 identical, 0 differ\n2 identical, 0 differ\n"
        )
    );
    let (status, out) = run(&["same.sh", "other.sh"]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("== other ==\n@@ command 2: $ ip link show nosuch\n"),
        "{out}"
    );
    assert!(
        out.contains("-Device \"nosuch\" is missing.\n+Device \"nosuch\" does not exist.\n"),
        "{out}"
    );
    assert!(
        out.ends_with("other: 1 identical, 1 differ\n3 identical, 1 differ\n"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_without_a_recording_says_so_and_fails() {
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args([
            "diff",
            "--recorded",
            "/nonexistent-dir",
            "/nonexistent-dir/x.sh",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("vnet diff: /nonexistent-dir/x.sh: "));
}
