//! Limits as a script meets them through `vnet run`: a sysctl the kernel
//! refuses is refused by the shell's redirection (bash's "write error")
//! and by sysctl, with the texts bash 5.2 and procps print on a real
//! kernel (recorded in a namespace sandbox); a known but unsimulated
//! program says so.

use std::process::Command;

fn run_script(name: &str, script: &str) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("vnet-limits-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("s.sh"), script).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args(["run", "s.sh"])
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
fn refused_sysctl_writes_fail_as_on_the_kernel() {
    let (_, out, err) = run_script(
        "sysctl",
        "echo 0 > /proc/sys/net/ipv4/ip_default_ttl\necho rc=$?\n\
         cat /proc/sys/net/ipv4/ip_default_ttl\n\
         sysctl -w net.ipv4.ip_default_ttl=0\n\
         echo 5000 100 > /proc/sys/net/ipv4/ip_local_port_range; echo rc=$?\n",
    );
    assert_eq!(out, "rc=1\n64\nrc=1\n");
    assert_eq!(
        err,
        "s.sh: line 1: echo: write error: Invalid argument\n\
         sysctl: setting key \"net.ipv4.ip_default_ttl\": Invalid argument\n\
         s.sh: line 5: echo: write error: Invalid argument\n"
    );
}

#[test]
fn unsimulated_programs_say_so_in_scripts() {
    let (_, out, err) = run_script(
        "gap",
        "nft list ruleset\necho rc=$?\nip mptcp\necho rc=$?\n",
    );
    assert_eq!(out, "rc=2\nrc=2\n");
    assert_eq!(
        err,
        "vnet: nft is not simulated yet\nvnet: ip mptcp is not simulated yet\n"
    );
}
