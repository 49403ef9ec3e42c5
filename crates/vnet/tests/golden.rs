//! Golden tests, through `vnet diff`: every scenario in tests/scenarios with
//! a transcript recorded from the real kernel (tests/golden/NAME.out, made by
//! scripts/record-golden.sh) runs in vnet and is compared command by command
//! after normalising only what is random on a real kernel (MACs, times, ids);
//! as root on Linux the same scenarios also run on the live kernel.
//!
//! Scenarios listed in tests/golden/PINNED must match exactly; the others are
//! reported (per-scenario identical/total) so progress is visible without
//! blocking CI on features not built yet.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The scenarios that have a recording, sorted.
fn scenarios() -> Vec<PathBuf> {
    let r = root();
    let mut v: Vec<PathBuf> = std::fs::read_dir(r.join("tests/golden"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_str()?.strip_suffix(".out")?.to_string();
            Some(r.join("tests/scenarios").join(format!("{n}.sh")))
        })
        .filter(|p| p.exists())
        .collect();
    v.sort();
    v
}

fn pinned() -> Vec<String> {
    std::fs::read_to_string(root().join("tests/golden/PINNED"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.to_string())
        .collect()
}

/// Runs `vnet diff ARGS... SCENARIOS...` from a scratch directory; its exit
/// status and stdout.
fn vnet_diff(args: &[&str]) -> (i32, String) {
    let dir = std::env::temp_dir().join(format!("vnet-golden-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .arg("diff")
        .args(args)
        .args(scenarios())
        .current_dir(&dir)
        .output()
        .expect("run vnet diff");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `vnet diff --json`'s per-scenario results.
fn results(json: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(json)
        .expect("vnet diff --json prints JSON")
        .as_array()
        .expect("an array")
        .clone()
}

/// Reports every scenario; returns the reports of pinned ones that differ.
fn pinned_failures(what: &str, results: &[serde_json::Value]) -> Vec<String> {
    let pinned = pinned();
    let mut failures = Vec::new();
    for r in results {
        let name = r["scenario"].as_str().unwrap();
        let differ = r["differ"].as_array().unwrap().len();
        eprintln!(
            "{what}: {name:<28} {:>3}/{:<3} commands identical",
            r["identical"], r["commands"]
        );
        if pinned.iter().any(|p| p == name) && differ > 0 {
            failures.push(format!("== {name} ==\n{}", r["report"].as_str().unwrap()));
        }
        if std::env::var_os("VNET_GOLDEN_VERBOSE").is_some() && differ > 0 {
            eprintln!("{}", r["report"].as_str().unwrap());
        }
    }
    failures
}

#[test]
fn golden_transcripts_match_the_real_kernel() {
    let golden = root().join("tests/golden");
    let (status, out) = vnet_diff(&["--json", "--recorded", golden.to_str().unwrap()]);
    assert!(status == 0 || status == 1, "vnet diff failed: {status}");
    let results = results(&out);
    assert_eq!(results.len(), scenarios().len());
    let failures = pinned_failures("fidelity", &results);
    assert!(
        failures.is_empty(),
        "pinned scenarios differ from the real kernel:\n{}",
        failures.join("\n")
    );
}

/// The README's fidelity table is the one `vnet diff --table` makes from the
/// recordings now (regenerate with scripts/fidelity-table.sh).
#[test]
fn readme_fidelity_table_is_current() {
    let golden = root().join("tests/golden");
    let (_, out) = vnet_diff(&["--quiet", "--table", "--recorded", golden.to_str().unwrap()]);
    let table = out
        .split_once("\n\n")
        .map(|(_, t)| t)
        .expect("a table after the summary");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(table),
        "README.md's fidelity table is stale; run scripts/fidelity-table.sh. Now:\n{table}"
    );
}

/// Why the live kernel cannot be asked here, if it cannot.
fn live_kernel_unavailable() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return Some("not Linux".into());
    }
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if uid.as_deref() != Some("0") {
        return Some("not root (the sandbox needs unshare --net --mount)".into());
    }
    for tool in [
        "unshare", "ip", "ping", "brctl", "tcpdump", "iptables", "nc",
    ] {
        let found = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(format!(
                "`{tool}` is missing (scripts/install-deps.sh installs it)"
            ));
        }
    }
    None
}

/// What this machine's own namespace looks like: links, addresses, routes,
/// rules, firewall and net sysctls, with only what moves by itself masked
/// (address lifetimes counting down, firewall packet counters, the live
/// conntrack count).
fn host_state() -> String {
    let cmds: [&[&str]; 11] = [
        &["ip", "-d", "link", "show"],
        &["ip", "address", "show"],
        &["ip", "-4", "route", "show", "table", "all"],
        &["ip", "-6", "route", "show", "table", "all"],
        &["ip", "-4", "rule", "show"],
        &["ip", "-6", "rule", "show"],
        &["iptables-save"],
        &["ip6tables-save"],
        &["nft", "list", "ruleset"],
        &["sysctl", "-a", "--pattern", "^net"],
        &["ip", "netns", "list"],
    ];
    let mut s = String::new();
    for c in cmds {
        s.push_str(&format!("### {}\n", c.join(" ")));
        match Command::new(c[0]).args(&c[1..]).output() {
            Ok(o) => {
                s.push_str(&String::from_utf8_lossy(&o.stdout));
                s.push_str(&String::from_utf8_lossy(&o.stderr));
            }
            Err(e) => s.push_str(&format!("{e}\n")),
        }
    }
    s.lines()
        .filter(|l| !l.starts_with("# Generated") && !l.starts_with("# Completed"))
        .filter(|l| !l.starts_with("net.netfilter.nf_conntrack_count"))
        .map(mask_moving)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `valid_lft 3599sec` → `valid_lft Nsec`, `[12:3456]` → `[C]`,
/// `packets 3 bytes 180` → `packets P bytes B`.
fn mask_moving(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let prev = if i > 0 { words[i - 1] } else { "" };
        let counter = w.starts_with('[')
            && w.ends_with(']')
            && w[1..w.len() - 1]
                .split(':')
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let masked = if matches!(prev, "valid_lft" | "preferred_lft") && w.ends_with("sec") {
            "Nsec"
        } else if counter {
            "[C]"
        } else if matches!(prev, "packets" | "bytes") && w.bytes().all(|b| b.is_ascii_digit()) {
            "N"
        } else {
            w
        };
        out.push(masked);
    }
    out.join(" ")
}

#[test]
fn moving_host_values_are_masked_and_nothing_else() {
    assert_eq!(
        mask_moving("    valid_lft 3599sec preferred_lft 3599sec"),
        "    valid_lft Nsec preferred_lft Nsec"
    );
    assert_eq!(mask_moving(":INPUT ACCEPT [12:3456]"), ":INPUT ACCEPT [C]");
    assert_eq!(
        mask_moving("counter packets 3 bytes 180 accept"),
        "counter packets N bytes N accept"
    );
    assert_eq!(
        mask_moving("inet 10.0.0.1/24 brd 10.0.0.255 [x]"),
        "inet 10.0.0.1/24 brd 10.0.0.255 [x]"
    );
}

/// The whole corpus on the live kernel, each scenario twice (a command whose
/// output the kernel itself does not repeat, in these runs and the
/// recording, is not held against vnet): the
/// pinned ones must agree with vnet, and the machine's own namespace must be
/// exactly as it was before.
#[test]
fn corpus_on_the_live_kernel_matches_vnet_and_leaves_the_host_as_it_was() {
    if let Some(why) = live_kernel_unavailable() {
        eprintln!(
            "SKIPPED corpus_on_the_live_kernel_matches_vnet_and_leaves_the_host_as_it_was: {why}"
        );
        return;
    }
    let before = host_state();
    // The recording is a third kernel run: a count the kernel gets one way
    // in one run and another way in the next is the kernel's randomness.
    let golden = root().join("tests/golden");
    let (status, out) = vnet_diff(&[
        "--json",
        "--kernel-runs",
        "2",
        "--also-recorded",
        golden.to_str().unwrap(),
    ]);
    let after = host_state();
    assert!(status == 0 || status == 1, "vnet diff failed: {status}");
    let failures = pinned_failures("live kernel", &results(&out));
    let changed = vnet_transcript::line_diff(&before, &after);
    assert!(
        before == after,
        "running the corpus on the kernel changed this machine:\n{}",
        changed
            .lines()
            .filter(|l| l.starts_with(['-', '+']))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        failures.is_empty(),
        "vnet differs from the live kernel:\n{}",
        failures.join("\n")
    );
}
