//! Runaway scripts end, bounded: each runs `vnet run` under `ulimit -v`
//! (1 GB of address space) and a wall-clock timeout, and must finish with
//! the documented result (the budget message and exit 124, or the
//! runner's Ctrl-C) instead of growing until the machine kills it.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address space allowed to one run, in KiB (`ulimit -v`).
const MEM_KIB: u64 = 1_000_000;
/// Wall time allowed to one run.
const WALL: Duration = Duration::from_secs(60);

/// Runs `script` with `vnet run ARGS` under the memory cap and the wall
/// timeout; (exit code, stdout, stderr). Panics when the wall time runs out.
fn run_capped(name: &str, script: &str, args: &[&str]) -> (i32, String, String) {
    run_capped_kib(name, script, args, MEM_KIB)
}

/// `run_capped` with another address-space cap.
fn run_capped_kib(name: &str, script: &str, args: &[&str], kib: u64) -> (i32, String, String) {
    run_fed(name, "true", script, args, kib)
}

/// `run_capped_kib` with the output of shell command `feed` (`yes`,
/// `printf ...`) on vnet's stdin; `true` gives it an empty pipe.
fn run_fed(name: &str, feed: &str, script: &str, args: &[&str], kib: u64) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("vnet-bounds-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("lab.sh"), script).unwrap();
    // The pipeline's status is vnet's (the last stage).
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {kib} && {feed} | \"$0\" run \"$@\" lab.sh"
        ))
        .arg(env!("CARGO_BIN_EXE_vnet"))
        .args(args)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t0.elapsed() > WALL {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name}: still running after {WALL:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut out, mut err) = (String::new(), String::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (status.code().unwrap_or(-1), out, err)
}

const VETH_UP: &str = "ip link add a type veth peer name b; ip link set a up; ip link set b up\n";

#[test]
fn sleep_past_the_end_of_time_stops_at_the_time_budget() {
    let (code, out, err) = run_capped("sleep", "sleep 1.85e10\necho not reached\n", &[]);
    assert_eq!(code, 124, "{err}");
    assert_eq!(out, "");
    assert_eq!(
        err,
        "vnet: virtual time budget of 10d reached at `sleep 1.85e10`; stopping (raise it with --max-time)\n"
    );
}

#[test]
fn max_time_takes_units_and_a_loop_of_sleeps_stops_at_it() {
    let script = "i=0\nwhile true; do sleep 600; i=$((i+1)); echo $i; done\n";
    let (code, out, err) = run_capped("loop", script, &["--max-time", "1h"]);
    assert_eq!(code, 124, "{err}");
    // Five sleeps of ten minutes end before the hour; the sixth meets it.
    assert_eq!(out, "1\n2\n3\n4\n5\n");
    assert!(
        err.contains("virtual time budget of 1h reached at `sleep 600`"),
        "{err}"
    );
}

#[test]
fn max_events_stops_a_run_that_handles_too_many() {
    let script = format!("{VETH_UP}ping -c 100 -i 0.2 -q 127.0.0.1\necho not reached\n");
    let (code, out, err) = run_capped("events", &script, &["--max-events", "50"]);
    assert_eq!(code, 124, "{err}");
    assert!(!out.contains("not reached"), "{out}");
    assert!(
        err.contains("vnet: event budget of 50 events reached at `ping -c 100"),
        "{err}"
    );
}

#[test]
fn bad_max_time_is_refused() {
    let (code, _, err) = run_capped("badtime", "echo x\n", &["--max-time", "soon"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("invalid duration 'soon'"), "{err}");
}

/// A capture that never gets its packet while router solicitations go
/// on forever: the runner's Ctrl-C (when is checked in vnet-tools'
/// `tests/bounds.rs`), tcpdump's statistics, and the script goes on.
#[test]
fn tcpdump_waiting_for_a_packet_that_never_comes_is_interrupted() {
    let script = format!("{VETH_UP}tcpdump -i lo -c 1\necho status $?\n");
    let (code, out, err) = run_capped("tcpdump", &script, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.ends_with(
            "0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n"
        ),
        "{err}"
    );
    assert_eq!(out, "\nstatus 0\n");
}

#[test]
fn wait_on_an_endless_capture_ends() {
    let script = format!("{VETH_UP}tcpdump -ni a >/dev/null 2>&1 &\nwait\necho waited $?\n");
    let (code, out, err) = run_capped("waitcap", &script, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "waited 0\n");
}

/// `nc -u -l` that has received a datagram waits for more (and for its
/// stdin) forever: `wait` ends it as Ctrl-C would, with what it got.
#[test]
fn wait_on_udp_listener_that_received_a_datagram_ends() {
    let script = format!(
        "{VETH_UP}nc -u -l -p 5000 > got.txt &\nsleep 1\necho hi | nc -u -w 1 127.0.0.1 5000\nwait\necho waited $?\ncat got.txt\n"
    );
    let (code, out, err) = run_capped("ncudp", &script, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "waited 0\nhi\n");
}

/// A flood of 300,000 probes keeps nothing per probe: iputils' 64 Kibit
/// received table, running sums, and the next probe only once the last
/// is answered (or 10 ms later).
#[test]
fn ping_flood_of_300k_probes_runs_in_bounded_memory() {
    let script = "ping -q -i 0 -c 300000 127.0.0.1\n";
    let (code, out, err) = run_capped_kib("pingflood", script, &[], 200_000);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("300000 packets transmitted, 300000 received, 0% packet loss"),
        "{out}"
    );
    assert!(!out.contains("duplicates"), "{out}");
    assert!(out.contains(", ipg/ewma "), "{out}");
}

/// Three bridges in a ring of veth links, and a second link between two
/// of them, without STP: every broadcast goes round and multiplies. The
/// backlog (netdev_max_backlog) drops what exceeds it, so memory stays
/// flat (the run fits in 200 MB; before, it reached 2.8 GB in 19 s), and
/// the loop is named on stderr.
const STORM: &str = "for i in 0 1 2; do ip link add br$i type bridge; ip link set br$i up; done
ip link add a0 type veth peer name b1
ip link add a1 type veth peer name b2
ip link add a2 type veth peer name b0
ip link add c0 type veth peer name c1
ip link set a0 master br0; ip link set b1 master br1
ip link set a1 master br1; ip link set b2 master br2
ip link set a2 master br2; ip link set b0 master br0
ip link set c0 master br0; ip link set c1 master br1
for d in a0 a1 a2 b0 b1 b2 c0 c1; do ip link set $d up; done
sleep 0.02
ip -s link show a0
sleep 3600
";

#[test]
fn bridge_loop_storm_is_bounded_named_and_stopped_by_the_event_budget() {
    let (code, out, err) = run_capped_kib("storm", STORM, &["--max-events", "3000000"], 200_000);
    assert_eq!(code, 124, "{err}");
    assert!(
        err.starts_with("vnet: broadcast storm: frames loop through br0, br1, br2 (no STP)\n"),
        "{err}"
    );
    assert!(err.ends_with("vnet: event budget of 3000000 events reached at `sleep 3600`; stopping (raise it with --max-events)\n"), "{err}");
    // a0's peer's backlog refused frames: counted as a0's TX dropped.
    let tx = out
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("TX:"))
        .nth(1)
        .unwrap();
    let dropped: u64 = tx.split_whitespace().nth(3).unwrap().parse().unwrap();
    assert!(dropped > 0, "{out}");
}

#[test]
fn bridge_ring_without_multiplying_is_still_named() {
    // Each bridge has two ports in the ring: frames go round without
    // multiplying and never fill the backlog; the floods give it away.
    let script = STORM
        .replace("ip link add c0 type veth peer name c1\n", "")
        .replace("ip link set c0 master br0; ip link set c1 master br1\n", "");
    let script = script.replace(" c0 c1;", ";");
    let (code, _, err) = run_capped_kib("ring", &script, &["--max-events", "3000000"], 200_000);
    assert_eq!(code, 124, "{err}");
    assert!(
        err.contains("vnet: broadcast storm: frames loop through br0, br1, br2 (no STP)\n"),
        "{err}"
    );
}

/// Address space for the pipe-bound cases (the default 16 MiB pipe, a
/// few copies of it, the binary).
const PIPE_KIB: u64 = 400_000;

#[test]
fn the_script_reads_vnets_stdin_a_line_at_a_time() {
    let script =
        "read -r x; echo \"first $x\"\nread -r y; echo \"second $y\"\ngrep -c o\necho end\n";
    let (code, out, err) = run_fed(
        "stdin",
        "printf 'one\\ntwo\\nfoo\\nbar\\nboo\\n'",
        script,
        &[],
        MEM_KIB,
    );
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, "first one\nsecond two\n2\nend\n");
}

#[test]
fn an_endless_stdin_is_read_only_as_far_as_needed() {
    // Nothing reads it; then head takes two lines and stops.
    let script = "echo start\nip link show lo > /dev/null\nhead -2\nwhile read -r x; do echo \"got $x\"; break; done\necho end\n";
    let (code, out, err) = run_fed("yes", "yes", script, &[], PIPE_KIB);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "start\ny\ny\ngot y\nend\n");
}

#[test]
fn a_tool_reading_all_of_an_endless_stdin_stops_at_the_pipe_bound() {
    let (code, out, err) = run_fed(
        "yeswc",
        "yes",
        "wc -l\necho not reached\n",
        &["--max-output", "1M"],
        PIPE_KIB,
    );
    assert_eq!(code, 124, "{err}");
    // No count at all rather than a wrong one.
    assert_eq!(out, "");
    assert_eq!(
        err,
        "vnet: `wc -l` read more than the pipe limit of 1 MiB of its input; stopping (raise it with --max-output)\n"
    );
}

#[test]
fn endless_writers_into_head_end_as_by_sigpipe() {
    let script = r#"seq 1e12 | head -3; echo "${PIPESTATUS[@]}"
awk 'BEGIN{while(1)print "y"}' | head -2; echo "${PIPESTATUS[@]}"
sed ':a;p;ba' <<< x | head -2; echo "${PIPESTATUS[@]}"
while :; do echo w; done | head -1; echo "${PIPESTATUS[@]}"
seq 1e12 | { read a; echo "read $a"; }; echo "${PIPESTATUS[@]}"
set -o pipefail; seq 1e12 | head -1; echo "pipefail $?"
"#;
    // The shell loop writes a line at a time: a smaller pipe keeps it quick.
    let (code, out, err) = run_fed(
        "sigpipe",
        "true",
        script,
        &["--max-output", "256K"],
        PIPE_KIB,
    );
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "1\n2\n3\n141 0\ny\ny\n141 0\nx\nx\n141 0\nw\n141 0\nread 1\n141 0\n1\npipefail 141\n"
    );
    // The default bound, under the memory cap.
    let (code, out, err) = run_fed(
        "sigpipe16",
        "true",
        "seq 1e12 | head -3; echo \"${PIPESTATUS[@]}\"\n",
        &[],
        PIPE_KIB,
    );
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, "1\n2\n3\n141 0\n");
}

#[test]
fn a_reader_that_needs_more_than_the_pipe_holds_stops_the_run() {
    let (code, out, err) = run_fed(
        "seqwc",
        "true",
        "seq 1e12 | wc -l\necho not reached\n",
        &["--max-output", "1M"],
        PIPE_KIB,
    );
    assert_eq!(code, 124, "{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("`wc -l` read more than the pipe limit of 1 MiB"),
        "{err}"
    );
    // Output to a file (or the terminal) past the bound: what real seq
    // would write forever.
    let (code, out, err) = run_fed(
        "seqfile",
        "true",
        "seq 1e12 > /dev/null\necho not reached\n",
        &["--max-output", "1M"],
        PIPE_KIB,
    );
    assert_eq!(code, 124, "{err}");
    assert_eq!(out, "");
    assert_eq!(
        err,
        "vnet: `seq 1e12` wrote more than the output limit of 1 MiB; stopping (raise it with --max-output)\n"
    );
}

#[test]
fn endless_interpreter_loops_stop_at_the_event_budget() {
    for (prog, cmd) in [
        (
            "awk 'BEGIN{print \"before\"; while(1);}'",
            "awk BEGIN{print \"before\"; while(1);}",
        ),
        ("echo x | sed ':a;ba'", "sed :a;ba"),
    ] {
        let script = format!("{prog}\necho not reached\n");
        let (code, out, err) = run_fed(
            "steps",
            "true",
            &script,
            &["--max-events", "100000"],
            PIPE_KIB,
        );
        assert_eq!(code, 124, "{err}");
        assert!(!out.contains("not reached"), "{out}");
        assert!(
            err.contains(&format!("vnet: step budget of 100000 reached at `{cmd}` (an endless loop?); stopping (raise it with --max-events)")),
            "{err}"
        );
    }
}

#[test]
fn sleep_forever_waits_for_a_signal() {
    let script = "sleep inf & sleep 5; kill %1; wait; echo \"killed\"\nsleep infinity; echo \"interrupted $?\"\n";
    let (code, out, err) = run_fed("sleepinf", "true", script, &[], MEM_KIB);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, "killed\ninterrupted 130\n");
}
