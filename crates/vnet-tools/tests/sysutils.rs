//! The programs that run other programs (`timeout`, `xargs`, `env`) in
//! virtual time, and what the simulated machine says about itself
//! (`date`, `uname`, `id`, `nproc`, `which`, the environment). What does
//! not depend on the machine is compared with the real tools in
//! `tests/shell-diff/su-*.sh`; these pin the simulated values.

mod common;
use common::Lab;
use vnet_core::Time;

/// Virtual seconds `cmd` took.
fn timed(lab: &mut Lab, cmd: &str) -> (vnet_transcript::Entry, f64) {
    let t0 = lab.m.world.now();
    let e = lab.run(cmd);
    (e, lab.m.world.now().saturating_sub(t0).as_secs_f64())
}

#[test]
fn timeout_kills_ping_silently_at_the_deadline_as_sigterm_does() {
    let mut lab = Lab::new();
    let (e, dt) = timed(&mut lab, "timeout 2 ping 127.0.0.1");
    assert_eq!(e.exit, 124, "{}", e.stderr);
    // Echoes at 0 s and 1 s; the one due at 2 s never leaves: timeout's
    // alarm, set before ping started, fires first. No statistics.
    assert_eq!(
        e.stdout.matches(" bytes from 127.0.0.1").count(),
        2,
        "{}",
        e.stdout
    );
    assert!(!e.stdout.contains("statistics"), "{}", e.stdout);
    assert!((2.0..2.01).contains(&dt), "{dt}");
}

#[test]
fn timeout_with_sigint_lets_ping_print_its_statistics() {
    let mut lab = Lab::new();
    let (e, dt) = timed(&mut lab, "timeout -s INT 2 ping -i 0.5 127.0.0.1");
    assert_eq!(e.exit, 124);
    assert!(
        e.stdout.contains("4 packets transmitted, 4 received"),
        "{}",
        e.stdout
    );
    assert!((2.0..2.01).contains(&dt), "{dt}");
    let e = lab.run("timeout -s INT --preserve-status 1 ping 127.0.0.1");
    assert_eq!(e.exit, 0, "ping's own status on SIGINT after replies");
    let e = lab.run("timeout --preserve-status 1 ping 127.0.0.1");
    assert_eq!(e.exit, 143);
}

#[test]
fn timeout_ends_tcpdump_with_its_statistics_as_sigterm_does() {
    let mut lab = Lab::new();
    let (e, dt) = timed(&mut lab, "timeout 3 tcpdump -ni lo");
    assert_eq!(e.exit, 124);
    assert!(e.stderr.contains("0 packets captured"), "{}", e.stderr);
    assert!((3.0..3.01).contains(&dt), "{dt}");
}

#[test]
fn timeout_ends_a_whole_shell_loop() {
    let mut lab = Lab::new();
    let (e, dt) = timed(
        &mut lab,
        "timeout 3.5 sh -c 'while true; do echo tick; sleep 1; done; echo never'",
    );
    assert_eq!(e.exit, 124);
    assert_eq!(e.stdout, "tick\ntick\ntick\ntick\n");
    assert!((3.5..3.51).contains(&dt), "{dt}");
    // A command that ends in time keeps its status; the deadline is gone.
    let (e, dt) = timed(&mut lab, "timeout 5 sh -c 'sleep 1; exit 7'");
    assert_eq!((e.exit, dt.round()), (7, 1.0));
    assert_eq!(lab.run("sleep 6; echo $?").stdout, "0\n");
}

#[test]
fn timeout_kill_after_sends_sigkill_to_a_program_that_ignores_the_signal() {
    let mut lab = Lab::new();
    let (e, dt) = timed(&mut lab, "timeout -v -s CONT -k 2 1 sleep 10");
    assert_eq!(e.exit, 137);
    assert_eq!(
        e.stderr,
        "timeout: sending signal CONT to command 'sleep'\n\
         timeout: sending signal KILL to command 'sleep'\n"
    );
    assert!((3.0..3.01).contains(&dt), "{dt}");
}

#[test]
fn timeout_in_the_background_is_a_job_with_the_deadline() {
    let mut lab = Lab::new();
    let out = lab.run_script("timeout 1 sleep 5 &\nwait $!\necho \"st=$?\"\n");
    assert_eq!(out, "st=124\n");
}

#[test]
fn xargs_runs_programs_in_virtual_time() {
    let mut lab = Lab::new();
    let (e, dt) = timed(&mut lab, "echo 127.0.0.1 127.0.0.1 | xargs -n1 ping -c 2");
    assert_eq!(e.exit, 0, "{}", e.stderr);
    assert_eq!(e.stdout.matches("2 received").count(), 2, "{}", e.stdout);
    assert!((2.0..2.1).contains(&dt), "{dt}");
    // timeout's deadline covers the command's every program, and xargs
    // dies with it.
    let (e, dt) = timed(&mut lab, "seq 5 | timeout 2.5 xargs -n1 sleep");
    assert_eq!(e.exit, 124);
    assert!((2.5..2.51).contains(&dt), "{dt}");
}

#[test]
fn date_counts_virtual_time_from_2026() {
    let mut lab = Lab::new();
    // Exact virtual times: commands cost nothing here.
    lab.m.charge_costs = false;
    assert_eq!(lab.run("date").stdout, "Thu Jan  1 00:00:00 UTC 2026\n");
    lab.run("sleep 3723.5");
    assert_eq!(lab.run("date -u +%H:%M:%S.%3N").stdout, "01:02:03.500\n");
    let secs = lab.run("date +%s").stdout;
    let now = lab.m.world.now().0 / 1_000_000_000;
    assert_eq!(
        secs.trim(),
        (vnet_tools::tcpdump::EPOCH_SECS + now).to_string()
    );
    assert_eq!(lab.run("date -d '1 hour ago' +%T").stdout, "00:02:03\n");
    assert_eq!(
        lab.run("date -R").stdout,
        "Thu, 01 Jan 2026 01:02:03 +0000\n"
    );
}

#[test]
fn the_machine_is_a_debian_host_run_as_root_on_one_cpu() {
    let mut lab = Lab::new();
    let host = lab.run("hostname").stdout.trim().to_string();
    assert!(!host.is_empty());
    assert_eq!(
        lab.run("uname -a").stdout,
        format!(
            "Linux {host} 6.1.0-vnet #1 SMP PREEMPT_DYNAMIC Debian 6.1.0-vnet (2026-01-01) x86_64 GNU/Linux\n"
        )
    );
    assert_eq!(lab.run("uname").stdout, "Linux\n");
    assert_eq!(lab.run("uname -r").stdout, "6.1.0-vnet\n");
    assert_eq!(
        lab.run("uname -snrvmpio").stdout,
        format!("Linux {host} 6.1.0-vnet #1 SMP PREEMPT_DYNAMIC Debian 6.1.0-vnet (2026-01-01) x86_64 unknown unknown GNU/Linux\n")
    );
    assert_eq!(lab.run("uname -r -x").exit, 1);
    assert_eq!(
        lab.run("id").stdout,
        "uid=0(root) gid=0(root) groups=0(root)\n"
    );
    assert_eq!(lab.run("id -u; id -gn; whoami").stdout, "0\nroot\nroot\n");
    let e = lab.run("id -n");
    assert_eq!(
        (e.exit, e.stderr.as_str()),
        (
            1,
            "id: cannot print only names or real IDs in default format\n"
        )
    );
    assert_eq!(
        lab.run("nproc; nproc --all; nproc --ignore=3").stdout,
        "1\n1\n1\n"
    );
    // The file the kernel and `conntrack -S` agree with: one CPU.
    assert_eq!(lab.run("conntrack -S | wc -l").stdout, "1\n");
}

#[test]
fn which_finds_the_simulated_programs_where_debian_installs_them() {
    let mut lab = Lab::new();
    let e = lab.run("which ip ls xargs nosuch");
    assert_eq!(e.stdout, "/usr/sbin/ip\n/usr/bin/ls\n/usr/bin/xargs\n");
    assert_eq!(e.exit, 1);
    assert_eq!(
        lab.run("which -a sort").stdout,
        "/usr/bin/sort\n/bin/sort\n"
    );
    let e = lab.run("which -s ls");
    assert_eq!((e.exit, e.stderr.as_str()), (2, "Illegal option -s\n"));
    assert_eq!(lab.run("command -v timeout").stdout, "/usr/bin/timeout\n");
}

#[test]
fn env_lists_the_exported_variables_and_what_bash_adds() {
    let mut lab = Lab::new();
    lab.run("export A=1 B=2; C=3");
    assert_eq!(lab.run("env").stdout, "A=1\nB=2\n_=/usr/bin/env\n");
    // Prefix assignments come first, as bash builds the environment.
    assert_eq!(
        lab.run("Z=9 A=0 printenv").stdout,
        "Z=9\nA=0\nB=2\n_=/usr/bin/printenv\n"
    );
    assert_eq!(lab.run("env -u A env").stdout, "B=2\n_=/usr/bin/env\n");
    assert_eq!(lab.run("printenv C").exit, 1);
    // ip netns exec runs its command with the same environment.
    lab.run("ip netns add n");
    assert_eq!(lab.run("ip netns exec n printenv B").stdout, "2\n");
}

#[test]
fn yes_writes_what_a_pipe_holds_then_dies_of_sigpipe() {
    let mut lab = Lab::new();
    // Exact virtual times: commands cost nothing here.
    lab.m.charge_costs = false;
    assert_eq!(lab.run("yes | wc -c").stdout, "65536\n");
    let e = lab.run("yes | head -3; echo ${PIPESTATUS[@]}");
    assert_eq!(e.stdout, "y\ny\ny\n141 0\n");
    // A line longer than the pipe is still written once.
    let long = "x".repeat(70000);
    assert_eq!(lab.run(&format!("yes {long} | wc -l")).stdout, "1\n");
    assert_eq!(lab.m.world.now(), Time::ZERO);
}

#[test]
fn commands_nested_too_deeply_stop_with_a_message() {
    let mut lab = Lab::new();
    let e = lab.run(&format!("{}true", "env ".repeat(200)));
    assert_eq!(e.exit, 126);
    assert_eq!(e.stderr, "vnet: commands nested too deeply\n");
    assert_eq!(
        lab.run(&format!("{}echo ok", "env ".repeat(30))).stdout,
        "ok\n"
    );
}

#[test]
fn ip_netns_exec_runs_what_execvp_would_and_timeout_kills_a_whole_pipeline() {
    let mut lab = Lab::new();
    lab.run("ip netns add c");
    let e = lab.run("ip netns exec c sh -c 'ip link set lo up; ip -br addr show lo'");
    assert_eq!(
        e.stdout, "lo               UNKNOWN        127.0.0.1/8 ::1/128 \n",
        "{}",
        e.stderr
    );
    assert_eq!(lab.run("ip netns exec c echo -e 'a\\tb'").stdout, "a\tb\n");
    let e = lab.run("ip netns exec c nosuch");
    assert_eq!(
        (e.exit, e.stderr.as_str()),
        (1, "exec of \"nosuch\" failed: No such file or directory\n")
    );
    // The pipeline's reader dies with the shell: nothing reaches tail.
    let (e, dt) = timed(
        &mut lab,
        "timeout 3 ip netns exec c sh -c 'ping -c 10 -i 0.5 127.0.0.1 | tail -1'",
    );
    assert_eq!((e.exit, e.stdout.as_str()), (124, ""));
    assert!((3.0..3.01).contains(&dt), "{dt}");
}
