//! `vnet explain` on the catalogue of broken labs (tests/explain/*.sh):
//! each lab is built with `vnet run --lab DIR --save`, explained, and the
//! first line must name the namespace and the decisive stage the file
//! expects (`# first-line:` parts), the exit status must be the file's
//! (`# status:`), and the lab directory must be exactly as it was.
//! Plus `--json`, usage errors, and `vnet run --explain`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

fn vnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args(args)
        .output()
        .expect("run vnet")
}

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/explain")
}

fn fresh(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vnet-explain-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Every file of a directory: its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut m = BTreeMap::new();
    for e in std::fs::read_dir(dir).expect("lab dir") {
        let e = e.expect("entry");
        let p = e.path();
        let meta = std::fs::metadata(&p).expect("metadata");
        if meta.is_dir() {
            m.extend(snapshot(&p));
        } else {
            let bytes = std::fs::read(&p).expect("read");
            m.insert(p, (bytes, meta.modified().expect("mtime")));
        }
    }
    m
}

/// A case's header: `# explain: ARGS`, `# first-line: PART`…, `# status: N`.
struct Case {
    name: String,
    file: PathBuf,
    args: Vec<String>,
    parts: Vec<String>,
    status: i32,
}

fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(catalogue())
        .expect("tests/explain")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("case");
        let field = |k: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.strip_prefix(&format!("# {k}: ")))
                .map(str::to_string)
                .collect()
        };
        let args = field("explain");
        assert_eq!(args.len(), 1, "{}: one '# explain:' line", file.display());
        let status = field("status");
        assert_eq!(status.len(), 1, "{}: one '# status:' line", file.display());
        v.push(Case {
            name: file.file_stem().unwrap().to_string_lossy().into_owned(),
            args: args[0].split_whitespace().map(str::to_string).collect(),
            parts: field("first-line"),
            status: status[0].parse().expect("status"),
            file,
        });
    }
    v
}

/// Builds a case's lab in a fresh directory.
fn build(c: &Case) -> PathBuf {
    let lab = fresh(&c.name);
    let o = vnet(&[
        "run",
        "--lab",
        lab.to_str().unwrap(),
        "--save",
        c.file.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "{}: building the lab failed: {}",
        c.name,
        String::from_utf8_lossy(&o.stderr)
    );
    lab
}

fn explain(lab: &Path, args: &[String]) -> Output {
    let mut a = vec!["explain", "--lab", lab.to_str().unwrap()];
    a.extend(args.iter().map(|s| s.as_str()));
    vnet(&a)
}

#[test]
fn every_broken_lab_is_explained_by_its_first_line() {
    let cases = cases();
    let broken = cases.iter().filter(|c| c.status == 1).count();
    assert!(broken >= 25, "the catalogue has {broken} broken labs");
    let mut failures = Vec::new();
    for c in &cases {
        assert!(
            c.parts.len() >= 2 || c.status == 0,
            "{}: a broken lab's first line must be pinned by at least its namespace and stage",
            c.name
        );
        let lab = build(c);
        let before = snapshot(&lab);
        let o = explain(&lab, &c.args);
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let first = out.lines().next().unwrap_or("").to_string();
        let missing: Vec<&String> = c
            .parts
            .iter()
            .filter(|p| !first.contains(p.as_str()))
            .collect();
        if !missing.is_empty() || o.status.code() != Some(c.status) {
            failures.push(format!(
                "{}: exit {:?} (want {}), first line {first:?} lacks {missing:?}\n{}",
                c.name,
                o.status.code(),
                c.status,
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        assert_eq!(before, snapshot(&lab), "{}: the lab changed", c.name);
        let _ = std::fs::remove_dir_all(&lab);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn json_carries_the_same_verdict_and_the_journey() {
    let c = cases()
        .into_iter()
        .find(|c| c.name == "forward_policy_drop")
        .expect("case");
    let lab = build(&c);
    let text = explain(&lab, &c.args);
    let first = String::from_utf8_lossy(&text.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    let mut args = vec!["--json".to_string()];
    args.extend(c.args.iter().cloned());
    let o = explain(&lab, &args);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    assert_eq!(v["verdict"], first.as_str());
    assert_eq!(v["delivered"], false);
    assert_eq!(v["outcome"], "dropped");
    assert_eq!(v["ns"], "r");
    assert_eq!(v["stage"], "filter/FORWARD");
    let journey = v["journey"].as_array().expect("journey");
    // The probe is seen leaving h1 and arriving in r, where the policy decides.
    let has = |role: &str, ns: &str, event: &str| {
        journey
            .iter()
            .any(|s| s["role"] == role && s["ns"] == ns && s["event"] == event)
    };
    assert!(has("probe", "h1", "tx"), "{journey:?}");
    assert!(has("probe", "r", "rx"), "{journey:?}");
    assert!(has("probe", "r", "netfilter"), "{journey:?}");
    assert!(has("probe", "r", "drop"), "{journey:?}");
    assert!(!v["hints"].as_array().expect("hints").is_empty());
    let _ = std::fs::remove_dir_all(&lab);
}

#[test]
fn bad_usage_is_a_clap_error_with_status_2() {
    let c = cases()
        .into_iter()
        .find(|c| c.name == "routed_ok")
        .expect("case");
    let lab = build(&c);
    let l = lab.to_str().unwrap();
    // clap prints the usage for a missing or conflicting argument, not
    // for a value it could not parse.
    for (args, usage) in [
        (vec!["explain", "--lab", l, "h1"], true),
        (vec!["explain", "--lab", l, "h1", "10.0.2.300"], false),
        (vec!["explain", "--lab", l, "h1", "10.0.2.2", "sctp"], false),
        (
            vec!["explain", "--lab", l, "h1", "10.0.2.2", "icmp", "80"],
            true,
        ),
        (
            vec!["explain", "--lab", l, "h1", "10.0.2.2", "tcp", "99999"],
            false,
        ),
    ] {
        let o = vnet(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains("try '--help'"), "{args:?}: {err}");
        assert_eq!(
            err.contains("Usage: vnet explain"),
            usage,
            "{args:?}: {err}"
        );
        assert!(o.stdout.is_empty());
    }
    // An unknown namespace names the ones there are.
    let o = vnet(&["explain", "--lab", l, "nosuch", "10.0.2.2"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no namespace 'nosuch'") && err.contains("h1"),
        "{err}"
    );
    // No lab: an error, and no directory made.
    let none = fresh("none");
    let o = vnet(&["explain", "--lab", none.to_str().unwrap(), "h1", "10.0.2.2"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no lab in"));
    assert!(!none.exists());
    // HOST:NS names the first host's namespace too.
    let o = vnet(&["explain", "--lab", l, "host:h1", "10.0.2.2"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let _ = std::fs::remove_dir_all(&lab);
}

#[test]
fn run_explain_adds_the_verdict_after_a_command_whose_packets_did_not_arrive() {
    let dir = fresh("run");
    std::fs::create_dir_all(&dir).unwrap();
    let lab = std::fs::read_to_string(catalogue().join("forward_policy_drop.sh")).unwrap();
    let script = dir.join("s.sh");
    std::fs::write(
        &script,
        format!(
            "{lab}ip netns exec h1 ping -c 2 -W 1 10.0.2.2\necho after\n\
             ip netns exec h1 ping -c 1 10.0.1.1\n"
        ),
    )
    .unwrap();
    let o = vnet(&["run", "--explain", script.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("explain: ")).collect();
    // Once for the failing ping (two lost probes, one verdict), none for
    // the ping that got its answer.
    assert_eq!(
        lines,
        ["explain: dropped in r at filter/FORWARD: policy DROP, no rule matched (2 rules tried)"],
        "{err}"
    );
    assert!(
        out.contains("100% packet loss") && out.contains("1 received"),
        "{out}"
    );
    // Without the flag, nothing is added.
    let o = vnet(&["run", script.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("explain:"));
    let _ = std::fs::remove_dir_all(&dir);
}
