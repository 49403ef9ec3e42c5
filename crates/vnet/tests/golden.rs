//! Golden tests: every scenario in tests/scenarios with a transcript recorded
//! from the real kernel (tests/golden/NAME.out, made by scripts/record-golden.sh)
//! runs in vnet and is compared command by command after normalising only
//! what is random on a real kernel (MACs, times, ids).
//!
//! Scenarios listed in tests/golden/PINNED must match exactly; the others are
//! reported (per-scenario identical/total) so progress is visible without
//! blocking CI on features not built yet.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run_vnet(script: &Path) -> String {
    let dir = std::env::temp_dir().join(format!(
        "vnet-golden-{}-{}",
        std::process::id(),
        script.file_stem().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .arg("run")
        .arg("--transcript")
        .arg(script.canonicalize().unwrap())
        .current_dir(&dir)
        .output()
        .expect("run vnet");
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Outcome {
    name: String,
    total: usize,
    differing: usize,
    report: String,
}

fn compare(name: &str) -> Outcome {
    let r = root();
    let script = r.join("tests/scenarios").join(format!("{name}.sh"));
    let golden =
        std::fs::read_to_string(r.join("tests/golden").join(format!("{name}.out"))).unwrap();
    let expected = vnet_transcript::parse(&golden);
    let actual = vnet_transcript::parse(&run_vnet(&script));
    let diffs = vnet_transcript::diff(&expected, &actual);
    let mut report = String::new();
    for d in &diffs {
        report.push_str(&format!("{d}\n"));
    }
    Outcome {
        name: name.to_string(),
        total: expected.len(),
        differing: diffs.len(),
        report,
    }
}

fn scenarios() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("tests/golden"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".out"))
                .map(|s| s.to_string())
        })
        .filter(|n| {
            root()
                .join("tests/scenarios")
                .join(format!("{n}.sh"))
                .exists()
        })
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

#[test]
fn golden_transcripts_match_the_real_kernel() {
    let pinned = pinned();
    let mut failures = Vec::new();
    let (mut same, mut all) = (0, 0);
    for name in scenarios() {
        let o = compare(&name);
        same += o.total - o.differing.min(o.total);
        all += o.total;
        eprintln!(
            "fidelity: {:<28} {:>3}/{:<3} commands identical",
            o.name,
            o.total - o.differing.min(o.total),
            o.total
        );
        if pinned.contains(&name) && o.differing > 0 {
            failures.push(format!("== {} ==\n{}", o.name, o.report));
        }
        if std::env::var_os("VNET_GOLDEN_VERBOSE").is_some() && o.differing > 0 {
            eprintln!("{}", o.report);
        }
    }
    eprintln!("fidelity: total {same}/{all} commands identical");
    assert!(
        failures.is_empty(),
        "pinned scenarios differ from the real kernel:\n{}",
        failures.join("\n")
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
    for tool in ["unshare", "ip", "ping", "brctl", "tcpdump"] {
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

/// Runs a scenario on the real kernel inside a throw-away sandbox (new
/// net, mount and pid namespaces, private /run/netns and /sys), exactly as
/// scripts/record-golden.sh does; never in this machine's own namespace.
fn run_kernel(script: &Path) -> String {
    let r = root().canonicalize().unwrap();
    let out = Command::new("timeout")
        .args(["--kill-after=10", "600", "unshare", "--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private", "bash", "-c"])
        .arg("mkdir -p /run/netns && mount -t tmpfs nsbox /run/netns && mount -t sysfs sysfs /sys && ip link set lo up && exec bash \"$0\" \"$1\"")
        .arg(r.join("scripts/transcript.sh"))
        .arg(script.canonicalize().unwrap())
        .output()
        .expect("run the sandbox");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn pinned_scenarios_match_the_live_kernel() {
    if let Some(why) = live_kernel_unavailable() {
        eprintln!("SKIPPED pinned_scenarios_match_the_live_kernel: {why}");
        return;
    }
    let names = pinned();
    let next = std::sync::Mutex::new(names.iter());
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let Some(name) = next.lock().unwrap().next() else {
                    break;
                };
                let script = root().join("tests/scenarios").join(format!("{name}.sh"));
                // Two kernel runs: a command whose output the kernel itself does
                // not repeat (a route refcount caught mid-update) is not held
                // against vnet.
                let kernel = vnet_transcript::parse(&run_kernel(&script));
                let again = vnet_transcript::parse(&run_kernel(&script));
                let unstable: Vec<usize> = vnet_transcript::diff(&kernel, &again)
                    .iter()
                    .map(|d| d.index)
                    .collect();
                let ours = vnet_transcript::parse(&run_vnet(&script));
                let diffs: Vec<_> = vnet_transcript::diff(&kernel, &ours)
                    .into_iter()
                    .filter(|d| !unstable.contains(&d.index))
                    .collect();
                eprintln!(
                    "live kernel: {name:<28} {} of {} commands differ",
                    diffs.len(),
                    kernel.len()
                );
                if !diffs.is_empty() {
                    let report: String = diffs.iter().map(|d| format!("{d}\n")).collect();
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("== {name} ==\n{report}"));
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "vnet differs from the live kernel:\n{}",
        failures.join("\n")
    );
}
