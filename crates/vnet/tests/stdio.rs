//! Output interleaves as glibc's stdio makes it on a real machine: stdout
//! to a file is held in a 4096-byte buffer until exit (or the program's own
//! fflush), stderr is written at once. The orders asserted here were read
//! off the real tools (tcpdump 4.99.3, conntrack 1.4.7) in a sandbox.

use std::process::Command;

fn run(script: &str) -> String {
    let dir = std::env::temp_dir().join(format!(
        "vnet-stdio-{}-{}",
        std::process::id(),
        script.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("s.sh"), script).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .current_dir(&dir)
        .args(["run", "s.sh"])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn before(text: &str, a: &str, b: &str) -> bool {
    match (text.find(a), text.find(b)) {
        (Some(x), Some(y)) => x < y,
        _ => panic!("{a:?} or {b:?} missing in:\n{text}"),
    }
}

#[test]
fn a_summary_on_stderr_comes_first_in_a_shared_file() {
    let t = run("iptables -A OUTPUT -m conntrack --ctstate NEW -j ACCEPT\n\
                 ping -c 1 127.0.0.1 >/dev/null\n\
                 conntrack -L > log 2>&1\ncat log\n");
    assert!(
        before(&t, "flow entries have been shown", "src=127.0.0.1"),
        "{t}"
    );
}

#[test]
fn a_capture_flushes_its_packets_before_its_statistics() {
    for (how, end) in [("-c 2", ""), ("", "kill %1\n")] {
        let t = run(&format!(
            "tcpdump -ni lo {how} > cap 2>&1 &\nsleep 1\nping -c1 127.0.0.1 >/dev/null\n\
             sleep 0.5\n{end}wait\ncat cap\n"
        ));
        assert!(before(&t, "listening on lo", "ICMP echo request"), "{t}");
        assert!(before(&t, "ICMP echo reply", "packets captured"), "{t}");
    }
}
