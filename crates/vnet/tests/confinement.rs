//! A lab script reaches nothing of the real machine but its lab directory
//! and its private /tmp (README, "Safety"): every spelling of a path
//! outside — `//`, `/./`, `..` chains, `/dev/..`, `/tmp/..`, symlinks
//! planted in the lab and in its /tmp, absolute and relative — is tried
//! with every command that reads or writes a file, against a canary
//! directory beside the lab (its files must stay unchanged and unread)
//! and against the real kernel's `ip_default_ttl` (in an
//! `unshare --net --mount` sandbox, so that even a bug changes nothing
//! but the sandbox's namespace).

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SECRET: &str = "CANARY-7f3a9c-DO-NOT-READ";

/// A lab directory and a canary directory beside it, both outside /tmp
/// (which the tree maps elsewhere: a canary there would prove less).
struct Setup {
    root: PathBuf,
    lab: PathBuf,
    canary: PathBuf,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A scratch directory outside /tmp: the build's, else /var/tmp.
fn scratch_base() -> PathBuf {
    let target = std::fs::canonicalize(env!("CARGO_TARGET_TMPDIR")).unwrap();
    if !target.starts_with("/tmp") {
        return target;
    }
    let var = PathBuf::from("/var/tmp");
    assert!(var.is_dir(), "no scratch directory outside /tmp");
    var
}

fn setup(name: &str) -> Setup {
    let root = scratch_base().join(format!("vnet-confinement-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let lab = root.join("lab");
    let canary = root.join("canary");
    std::fs::create_dir_all(lab.join("sub/deeper")).unwrap();
    std::fs::create_dir_all(lab.join(".vnet/tmp")).unwrap();
    std::fs::create_dir_all(&canary).unwrap();
    let (lab, canary) = (
        std::fs::canonicalize(lab).unwrap(),
        std::fs::canonicalize(canary).unwrap(),
    );
    std::fs::write(canary.join("secret"), format!("{SECRET}\n")).unwrap();
    std::fs::write(lab.join("own.txt"), "lab-file-ok\n").unwrap();
    Setup { root, lab, canary }
}

/// `../` enough times to climb from anywhere in the lab to `/`.
fn up(lab: &Path) -> String {
    "../".repeat(lab.components().count() + 4)
}

/// Every spelling of `target` (absolute, a directory or file outside the
/// lab) the suite tries; symlinks named `NAME` are planted in the lab
/// (and in its /tmp) by [`plant`].
fn spellings(target: &str, lab: &Path) -> Vec<String> {
    let rel = &target[1..];
    let labs = lab.to_str().unwrap();
    let beside = target.strip_prefix(lab.parent().unwrap().to_str().unwrap());
    let mut v = vec![
        target.to_string(),
        format!("/{target}"),
        target.replace('/', "//"),
        format!("/.{target}"),
        target.replace('/', "/./"),
        format!("/dev/..{target}"),
        format!("/tmp/..{target}"),
        format!("/proc/..{target}"),
        format!("/nonexistent/..{target}"),
        format!("{}{rel}", up(lab)),
        format!("sub/deeper/{}{rel}", up(lab)),
        format!("/tmp/{}{rel}", up(lab)),
    ];
    if let Some(b) = beside {
        v.push(format!("{labs}/..{b}"));
        v.push(format!("..{b}"));
    }
    v
}

/// Plants symlinks out of the lab: absolute and relative, in the lab, in
/// a subdirectory, in the lab's /tmp, and a chain through /tmp.
fn plant(s: &Setup) -> Vec<String> {
    let lab = &s.lab;
    let c = s.canary.to_str().unwrap();
    let tmp = lab.join(".vnet/tmp");
    symlink(c, lab.join("l-abs")).unwrap();
    symlink("../canary", lab.join("l-rel")).unwrap();
    symlink("../../../canary", lab.join("sub/deeper/l-rel")).unwrap();
    symlink(format!("{}{}", up(lab), &c[1..]), lab.join("l-up")).unwrap();
    symlink(c, tmp.join("t-abs")).unwrap();
    symlink("/tmp/t-abs", lab.join("l-via-tmp")).unwrap();
    symlink(format!("//./{c}/"), lab.join("l-slashes")).unwrap();
    symlink(format!("/dev/..{c}"), lab.join("l-dev")).unwrap();
    vec![
        "l-abs".into(),
        "l-rel".into(),
        "sub/deeper/l-rel".into(),
        "l-up".into(),
        "/tmp/t-abs".into(),
        "l-via-tmp".into(),
        "l-slashes".into(),
        "l-dev".into(),
    ]
}

/// Runs `script` with `vnet run` in the lab (its state in `.vnet`).
fn vnet_run(lab: &Path, script: &str) -> Output {
    std::fs::write(lab.join("s.sh"), script).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .current_dir(lab)
        .args(["run", "s.sh"])
        .output()
        .expect("run vnet");
    std::fs::remove_file(lab.join("s.sh")).unwrap();
    o
}

/// The canary directory's names, contents, times and modes (its own
/// mode first, under the name `.`).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime, u32)> {
    use std::os::unix::fs::MetadataExt;
    let own = std::fs::symlink_metadata(dir).unwrap();
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = std::fs::symlink_metadata(e.path()).unwrap();
            let data = std::fs::read(e.path()).unwrap_or_default();
            (
                e.file_name().to_string_lossy().into_owned(),
                data,
                m.modified().unwrap(),
                m.mode(),
            )
        })
        .collect();
    v.push((".".into(), Vec::new(), own.modified().unwrap(), own.mode()));
    v.sort();
    v
}

/// Every command that reads or writes a file, on file `f` and directory `d`.
fn commands(f: &str, d: &str) -> String {
    let q = |s: &str| format!("'{s}'");
    let (f, d) = (q(f), q(d));
    [
        format!("cat {f}"),
        format!("cat < {f}"),
        format!("grep -c . {f}"),
        format!("tcpdump -r {f}"),
        format!("iptables-restore {f}"),
        format!("sysctl -p {f}"),
        format!("ls {d}"),
        format!("cd {d} && cat secret; cd \"$LAB\""),
        format!("echo PWNED > {f}"),
        format!("echo PWNED >> {f}"),
        format!("ls /nonexistent-x 2> {f}"),
        format!("echo PWNED > {d}/new"),
        format!("tcpdump -i lo -c 1 -w {f}"),
        format!("tcpdump -i lo -c 1 -w {d}/new.pcap"),
        // vnet-userland's file tools (where present).
        format!("cp {f} copied; cat copied; rm -f copied"),
        format!("cp own.txt {f}; cp -r sub {d}/"),
        format!("mv {f} moved; cat moved; mv own.txt {d}/; mv moved own.txt"),
        format!("rm -f {f}; rm -rf {d}; rmdir {d}"),
        format!("touch {f} {d}/touched; mkdir {d}/newdir; mktemp -p {d}"),
        format!("head {f}; tail {f}; wc {f}; sort {f}; uniq {f}; cut -c1- {f}"),
        format!("rev {f}; nl {f}; paste {f}; tr a b < {f}; tee -a {f} < own.txt"),
        format!("sort -o {f} own.txt; ls -la {d}"),
        format!("chmod 777 {f} {d}; chmod -R a+rwx,u+s {d}; chmod --reference=own.txt {f}"),
    ]
    .join("\n")
        + "\n"
}

#[test]
fn no_spelling_reaches_a_file_outside_the_lab() {
    let s = setup("files");
    let links = plant(&s);
    let c = s.canary.to_str().unwrap();
    let mut script = format!("LAB={}\n", s.lab.display());
    let mut tried = 0;
    for sp in spellings(c, &s.lab) {
        script += &commands(&format!("{}/secret", sp.trim_end_matches('/')), &sp);
        tried += 1;
    }
    for l in &links {
        script += &commands(&format!("{l}/secret"), l);
        tried += 1;
    }
    // A link straight at the file, and the lab's state.
    symlink(s.canary.join("secret"), s.lab.join("l-file")).unwrap();
    script += &commands("l-file", "l-abs");
    script += "cat own.txt\necho DONE\n";
    let before = snapshot(&s.canary);
    let o = vnet_run(&s.lab, &script);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(tried >= 20, "only {tried} spellings");
    // The script ran to its end and could read its own file.
    assert!(out.contains("lab-file-ok\nDONE\n"), "{out}\n{err}");
    assert!(
        !out.contains(SECRET) && !err.contains(SECRET),
        "the canary was read:\n{out}\n{err}"
    );
    assert_eq!(snapshot(&s.canary), before, "the canary changed");
    // Refusals say so as the real tools do.
    assert!(err.contains("Permission denied"), "{err}");
    // What the writes did land in the lab's private /tmp at most, never
    // outside: everything new is under the lab.
    assert_eq!(
        std::fs::read_dir(&s.root).unwrap().count(),
        2,
        "something was created beside the lab"
    );
}

#[test]
fn chmod_through_a_link_out_of_the_lab_changes_nothing_outside() {
    use std::os::unix::fs::PermissionsExt;
    let s = setup("chmod");
    let links = plant(&s);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    std::fs::set_permissions(&s.canary, std::fs::Permissions::from_mode(0o700)).unwrap();
    let secret = s.canary.join("secret");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    symlink(&secret, s.lab.join("l-file")).unwrap();
    // A link inside the lab: chmod goes through it to the lab's file.
    symlink("own.txt", s.lab.join("l-own")).unwrap();
    std::fs::set_permissions(
        s.lab.join("own.txt"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let mut script = String::new();
    for l in &links {
        script += &format!("chmod 4777 {l} {l}/secret\nchmod -R a+rwx {l}\n");
    }
    script += "chmod -v 0777 l-file; echo \"status $?\"\nchmod -v 751 l-own\n";
    let before = snapshot(&s.canary);
    let o = vnet_run(&s.lab, &script);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(snapshot(&s.canary), before, "the canary changed");
    assert_eq!(mode(&s.canary), 0o700);
    assert_eq!(mode(&secret), 0o600);
    assert!(
        err.contains("chmod: cannot access 'l-file': Permission denied"),
        "{err}"
    );
    assert!(
        out.contains("'l-file' could not be accessed\nstatus 1\n"),
        "{out}"
    );
    // The link itself is untouched, and the lab's own file did change.
    assert!(std::fs::symlink_metadata(s.lab.join("l-file"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(
        out.contains("mode of 'l-own' changed from 0644 (rw-r--r--) to 0751 (rwxr-x--x)"),
        "{out}\n{err}"
    );
    assert_eq!(mode(&s.lab.join("own.txt")), 0o751);
}

#[test]
fn the_lab_state_is_out_of_reach() {
    let s = setup("state");
    std::fs::write(s.lab.join(".vnet/lab.json"), format!("{{\"{SECRET}\":1}}")).unwrap();
    let script = "cat .vnet/lab.json\necho x > .vnet/lab.json\necho x > .vnet/new\n\
                  cat \"$PWD/.vnet/lab.json\"\ncd .vnet\nls .vnet\nls\necho DONE\n";
    let o = vnet_run(&s.lab, script);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(out.contains("DONE"), "{out}{err}");
    assert!(!out.contains(SECRET) && !err.contains(SECRET), "{out}{err}");
    assert!(!out.contains(".vnet"), "ls shows the state: {out}");
    assert_eq!(
        std::fs::read_to_string(s.lab.join(".vnet/lab.json")).unwrap(),
        format!("{{\"{SECRET}\":1}}")
    );
    assert!(!s.lab.join(".vnet/new").exists());
    assert_eq!(err.matches("Permission denied").count(), 6, "{err}");
}

#[test]
fn cd_and_relative_paths_stay_in_the_tree() {
    let s = setup("cd");
    let script = "cd sub\necho hi > f\ncat f\ncat ../own.txt\npwd\n\
                  cd /nonexistent\necho $?\n\
                  cd /proc/sys/net/ipv4 && cat ip_default_ttl\n\
                  cd /tmp && echo t > t && cat /tmp/t\n\
                  cd \"$OLDPWD\"; pwd\n\
                  ls /sys/class/net\n";
    let o = vnet_run(&s.lab, script);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    let lab = s.lab.display();
    assert_eq!(
        out,
        format!("hi\nlab-file-ok\n{lab}/sub\n1\n64\nt\n/proc/sys/net/ipv4\nlo\n"),
        "{err}"
    );
    assert_eq!(
        err,
        "s.sh: line 6: cd: /nonexistent: No such file or directory\n"
    );
    assert_eq!(std::fs::read(s.lab.join("sub/f")).unwrap(), b"hi\n");
    assert_eq!(std::fs::read(s.lab.join(".vnet/tmp/t")).unwrap(), b"t\n");
}

/// Whether this process may make `unshare --net --mount` sandboxes.
fn sandbox_ok() -> bool {
    Command::new("unshare")
        .args(["--net", "--mount", "true"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn no_spelling_changes_the_real_kernel_sysctl() {
    if !sandbox_ok() {
        eprintln!("SKIPPED: the real-kernel canary needs root and unshare --net --mount");
        return;
    }
    let s = setup("sysctl");
    let key = "/proc/sys/net/ipv4/ip_default_ttl";
    let mut targets = spellings(key, &s.lab);
    let lab = &s.lab;
    symlink("/proc/sys/net/ipv4", lab.join("p-abs")).unwrap();
    symlink(format!("{}proc/sys/net/ipv4", up(lab)), lab.join("p-rel")).unwrap();
    symlink("/proc/sys/net/ipv4", lab.join(".vnet/tmp/p-tmp")).unwrap();
    symlink("/dev/../proc/self/../sys/net/ipv4", lab.join("p-dev")).unwrap();
    symlink(key, lab.join("p-file")).unwrap();
    for l in ["p-abs", "p-rel", "/tmp/p-tmp", "p-dev"] {
        targets.push(format!("{l}/ip_default_ttl"));
    }
    targets.push("p-file".into());
    std::fs::write(lab.join("ttl.conf"), "net.ipv4.ip_default_ttl = 99\n").unwrap();
    let mut script = String::new();
    for (i, t) in targets.iter().enumerate() {
        script += &format!("echo {} > '{t}'\n", 90 + i % 9);
        script += &format!("echo 99 >> '{t}'\n");
        script += &format!("tcpdump -i lo -c 1 -w '{t}'\n");
    }
    script += "sysctl -w net.ipv4.ip_default_ttl=99\nsysctl -p ttl.conf\n";
    script += "cat /proc/sys/net/ipv4/ip_default_ttl\n";
    std::fs::write(lab.join("s.sh"), script).unwrap();
    let o = Command::new("unshare")
        .args([
            "--net",
            "--mount",
            "--propagation",
            "private",
            "--",
            "sh",
            "-c",
        ])
        .arg("\"$0\" run s.sh; echo \"REAL=$(cat /proc/sys/net/ipv4/ip_default_ttl)\"")
        .arg(env!("CARGO_BIN_EXE_vnet"))
        .current_dir(lab)
        .output()
        .expect("unshare");
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(targets.len() >= 15);
    // The simulated sysctl took the writes (so the spellings were tried)...
    assert!(out.contains("\n99\nREAL="), "{out}\n{err}");
    // ...and the sandbox's real one did not.
    assert!(out.ends_with("REAL=64\n"), "{out}\n{err}");
}

#[test]
fn allow_read_and_allow_write_open_more_on_purpose() {
    let s = setup("allow");
    let c = s.canary.display().to_string();
    let script = format!("cat {c}/secret\necho new > {c}/new\necho DONE\n");
    std::fs::write(s.lab.join("s.sh"), &script).unwrap();
    let run = |flag: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
            .current_dir(&s.lab)
            .args([flag, &c, "run", "s.sh"])
            .output()
            .expect("run vnet");
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (out, err) = run("--allow-read");
    assert_eq!(out, format!("{SECRET}\nDONE\n"));
    assert_eq!(err, format!("s.sh: line 2: {c}/new: Permission denied\n"));
    assert!(!s.canary.join("new").exists());
    let (out, err) = run("--allow-write");
    assert_eq!(
        (out.as_str(), err.as_str()),
        (format!("{SECRET}\nDONE\n").as_str(), "")
    );
    assert_eq!(std::fs::read(s.canary.join("new")).unwrap(), b"new\n");
    // Never the real /proc, whatever is allowed.
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .current_dir(&s.lab)
        .args(["--allow-write", "/proc/sys", "run", "s.sh"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "vnet: cannot open the lab's files: /proc/sys: Permission denied\n"
    );
}
