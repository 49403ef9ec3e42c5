//! Differential test of the shell language against real bash: every
//! `tests/shell-diff/CASE.sh` runs as `bash CASE.sh` and as `vnet run
//! CASE.sh`, each in its own fresh temporary directory (the current
//! directory, with the script copied in under the same name so that
//! messages name it alike), with `CASE.stdin` (if present, else nothing)
//! on stdin. Stdout, stderr and the exit status must match byte for byte.
//!
//! Cases whose divergence is known are listed in [`KNOWN`] with the
//! reason; they are run and reported but do not fail the test (one that
//! starts to pass is reported too, so it can leave the list).
//! `SHELL_DIFF=name` runs only the cases whose name contains `name`.
//! Skipped (with a message) when `/bin/bash` is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Cases known to differ, and why.
const KNOWN: &[(&str, &str)] = &[("type_function", "`type` does not print a function's body")];

/// How long one run may take.
const TIMEOUT: Duration = Duration::from_secs(20);

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/shell-diff")
}

struct Outcome {
    status: i32,
    out: Vec<u8>,
    err: Vec<u8>,
}

/// Runs `program args… CASE.sh` in a fresh directory holding a copy of
/// the script.
fn run(program: &str, args: &[&str], case: &Path, tag: &str) -> Outcome {
    let name = case.file_name().expect("case file name");
    let dir = std::env::temp_dir().join(format!(
        "vnet-shell-diff-{}-{tag}-{}",
        std::process::id(),
        case.file_stem().and_then(|s| s.to_str()).unwrap_or("case")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy(case, dir.join(name)).expect("copy case");
    let stdin = case.with_extension("stdin");
    let stdin = match std::fs::File::open(&stdin) {
        Ok(f) => Stdio::from(f),
        Err(_) => Stdio::null(),
    };
    let mut child = Command::new(program)
        .args(args)
        .arg(name)
        .current_dir(&dir)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", &dir)
        .env("LC_ALL", "C")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    // Read the pipes on threads so that a chatty case cannot block.
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out_pipe, &mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err_pipe, &mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st.code().unwrap_or(-1),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break -2;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break -3,
        }
    };
    let out = out_t.join().unwrap_or_default();
    let err = err_t.join().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    Outcome { status, out, err }
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn shell_matches_bash() {
    if !Path::new("/bin/bash").exists() {
        println!("shell_diff: skipped, /bin/bash is missing");
        return;
    }
    let filter = std::env::var("SHELL_DIFF").unwrap_or_default();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/shell-diff")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .filter(|p| p.to_string_lossy().contains(&filter))
        .collect();
    cases.sort();
    assert!(
        filter.is_empty() || !cases.is_empty(),
        "no case matches {filter}"
    );
    let vnet = env!("CARGO_BIN_EXE_vnet");
    let (mut failed, mut known_failed, mut passed) = (Vec::new(), Vec::new(), 0);
    for case in &cases {
        let name = case.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        let want = run("/bin/bash", &[], case, "bash");
        let got = run(vnet, &["run"], case, "vnet");
        let mut diffs = Vec::new();
        if want.status != got.status {
            diffs.push(format!(
                "  status: bash {} vnet {}",
                want.status, got.status
            ));
        }
        if want.out != got.out {
            diffs.push(format!(
                "  stdout:\n    bash: {:?}\n    vnet: {:?}",
                show(&want.out),
                show(&got.out)
            ));
        }
        if want.err != got.err {
            diffs.push(format!(
                "  stderr:\n    bash: {:?}\n    vnet: {:?}",
                show(&want.err),
                show(&got.err)
            ));
        }
        let known = KNOWN.iter().find(|(k, _)| name.starts_with(k));
        match (diffs.is_empty(), known) {
            (true, None) => passed += 1,
            (true, Some((k, _))) => {
                passed += 1;
                println!("{name}: now matches bash; remove `{k}` from KNOWN");
            }
            (false, Some((_, why))) => {
                known_failed.push(format!("{name} (known: {why})\n{}", diffs.join("\n")))
            }
            (false, None) => failed.push(format!("{name}\n{}", diffs.join("\n"))),
        }
    }
    for k in &known_failed {
        println!("known divergence: {k}");
    }
    println!(
        "shell_diff: {} cases, {passed} match bash, {} known divergences, {} failures",
        cases.len(),
        known_failed.len(),
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{} case(s) differ from bash:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
