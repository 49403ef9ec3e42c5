//! When the runner presses Ctrl-C for a program that can never end by
//! itself (`Machine::run_foreground`, `Machine::wait_jobs`), read off the
//! virtual clock; and the budgets that stop a run.

mod common;
use common::Lab;
use vnet_core::Time;
use vnet_tools::cost;
use vnet_tools::machine::{DEFAULT_MAX_TIME, STARVE_AFTER};

const VETH_UP: &str = "ip link add a type veth peer name b; ip link set a up; ip link set b up";

fn secs(t: Time) -> f64 {
    t.as_secs_f64()
}

#[test]
fn a_capture_starved_of_packets_is_interrupted_after_starve_after() {
    let mut lab = Lab::new();
    lab.run(VETH_UP);
    let t0 = lab.m.world.now();
    let e = lab.run("tcpdump -i lo -c 1");
    assert_eq!(e.exit, 0, "{}", e.stderr);
    assert!(e.stderr.contains("0 packets captured"), "{}", e.stderr);
    // Router solicitations kept the queue busy all along (every hour at
    // most), so only the starvation rule ended it: 1000 s after its start,
    // which came after tcpdump's start-up.
    let dt = lab.m.world.now().saturating_sub(t0);
    let from = STARVE_AFTER + cost::TCPDUMP.before;
    assert!(
        dt >= from && dt < from + Time::from_millis(1),
        "{}",
        secs(dt)
    );
    assert!(lab.m.world.next_deadline().is_some());
}

#[test]
fn a_capture_that_gets_packets_now_and_then_is_not_starved() {
    let mut lab = Lab::new();
    lab.run(VETH_UP);
    // Solicitations leave `a` about every 4, 8, 16... seconds for the
    // first minutes: five of them come before any 1000 s of silence.
    let e = lab.run("tcpdump -ni a -c 5 ip6");
    assert_eq!(e.exit, 0, "{}", e.stderr);
    assert!(e.stderr.contains("5 packets captured"), "{}", e.stderr);
    assert_eq!(e.stdout.lines().count(), 5, "{}", e.stdout);
}

#[test]
fn wait_on_endless_jobs_interrupts_them_after_auto_interrupt() {
    let mut lab = Lab::new();
    lab.run(VETH_UP);
    lab.run("tcpdump -ni a > cap.txt 2>&1 &");
    let t0 = lab.m.world.now();
    let e = lab.run("wait");
    assert_eq!(e.exit, 0);
    let dt = lab.m.world.now().saturating_sub(t0);
    let ai = lab.m.auto_interrupt;
    assert!(dt >= ai && dt < ai + Time::from_millis(1), "{}", secs(dt));
    let cap = lab.run("cat cap.txt").stdout;
    assert!(cap.contains("packets captured"), "{cap}");
}

#[test]
fn wait_on_a_job_with_deadlines_runs_until_it_ends() {
    // ping has deadlines of its own: never starved, however quiet.
    let mut lab = Lab::new();
    lab.run(VETH_UP);
    lab.run("ip addr add 10.9.0.1/24 dev a");
    lab.run("ping -c 3 -i 500 -q 10.9.0.2 > p.txt &");
    let t0 = lab.m.world.now();
    lab.run("wait");
    let dt = lab.m.world.now().saturating_sub(t0);
    // Two intervals of 500 s: longer than STARVE_AFTER, and quiet.
    assert!(dt > STARVE_AFTER, "{}", secs(dt));
    let p = lab.run("cat p.txt").stdout;
    assert!(p.contains("3 packets transmitted, 0 received"), "{p}");
}

#[test]
fn budget_stops_everything_after_it() {
    let mut lab = Lab::new();
    lab.m.set_budget(Time::from_secs(60), u64::MAX);
    let e = lab.run("sleep 100");
    assert_eq!(e.exit, 124);
    assert_eq!(
        lab.m.halted(),
        Some("vnet: virtual time budget of 1m reached at `sleep 100`; stopping (raise it with --max-time)")
    );
    assert_eq!(lab.m.world.now(), Time::from_secs(60));
    // The run is over: nothing runs any more, at once.
    assert_eq!(lab.run("ip link show lo").exit, 124);
    assert_eq!(lab.run("sleep 1").exit, 124);
    assert_eq!(lab.m.world.now(), Time::from_secs(60));
}

#[test]
fn default_budget_is_ten_days_and_time_saturates() {
    assert_eq!(DEFAULT_MAX_TIME, Time::from_secs(864_000));
    assert_eq!(Time::MAX + Time::from_secs(1), Time::MAX);
    assert_eq!(Time::from_secs(u64::MAX), Time::MAX);
    assert_eq!(Time::from_secs_f64(1.85e10), Time::MAX);
    assert_eq!(Time::from_secs_f64(f64::NAN), Time::ZERO);
    let mut lab = Lab::new();
    let e = lab.run("sleep 1.85e10");
    assert_eq!(e.exit, 124);
    assert_eq!(lab.m.world.now(), DEFAULT_MAX_TIME);
}

#[test]
fn ping_sequence_wraps_without_duplicates() {
    // 70,000 probes: the 16-bit sequence wraps once; iputils clears each
    // number's bit as it sends it, so none counts as a duplicate.
    let mut lab = Lab::new();
    let e = lab.run("ping -c 70000 -i 0 -q 127.0.0.1");
    assert_eq!(e.exit, 0, "{}", e.stderr);
    assert!(
        e.stdout
            .contains("70000 packets transmitted, 70000 received, 0% packet loss"),
        "{}",
        e.stdout
    );
    assert!(!e.stdout.contains("duplicates"), "{}", e.stdout);
}

#[test]
fn ping_flood_prints_a_dot_per_probe_and_a_backspace_per_reply() {
    let mut lab = Lab::new();
    let e = lab.run("ping -f -c 3 127.0.0.1");
    assert_eq!(e.exit, 0, "{}", e.stderr);
    let (head, stats) = e.stdout.split_once("\n--- ").unwrap();
    assert_eq!(
        head,
        "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n.\x08 \x08.\x08 \x08.\x08 \x08"
    );
    // The interval is 0: the summary adds the gap between probes and the
    // moving average of the round trip, as iputils prints them.
    let last = stats.lines().last().unwrap();
    assert!(last.starts_with("rtt min/avg/max/mdev = "), "{stats}");
    assert!(last.contains(" ms, ipg/ewma "), "{stats}");
    // Each probe leaves once the previous one is answered.
    let e = lab.run("ping -q -f -c 1000 127.0.0.1");
    assert!(e.stdout.contains("1000 received"), "{}", e.stdout);
}

#[test]
fn unanswered_flood_sends_a_probe_every_16_ms() {
    let mut lab = Lab::new();
    lab.run(VETH_UP);
    lab.run("ip addr add 10.9.0.1/24 dev a");
    let e = lab.run("ping -q -f -w 2 10.9.0.2");
    // No reply: 16 ms between probes as measured on the kernel
    // (MININTERVAL waited out in jiffies), 125 in two seconds.
    let line = e
        .stdout
        .lines()
        .find(|l| l.contains("transmitted"))
        .unwrap();
    let sent: u64 = line.split(' ').next().unwrap().parse().unwrap();
    assert_eq!(cost::PING_UNANSWERED_GAP, Time::from_millis(16));
    assert_eq!(sent, 125, "{}", e.stdout);
}

#[test]
fn job_table_lists_stops_continues_and_signals_jobs() {
    use vnet_tools::machine::{sig, JobState};
    let mut lab = Lab::new();
    lab.run("ping -c 100 -q 127.0.0.1 > p.txt &");
    lab.run("sleep 1000 &");
    let jobs = lab.m.jobs();
    assert_eq!(jobs.len(), 2);
    // Jobs are processes: their ids are pids, handed out after the shell's.
    let (p1, p2) = (jobs[0].id, jobs[1].id);
    assert_eq!(
        (p1, p2),
        (vnet_shell::SHELL_PID + 1, vnet_shell::SHELL_PID + 2)
    );
    assert_eq!(jobs[0].state, JobState::Running);
    assert_eq!(jobs[0].cmd, "ping -c 100 -q 127.0.0.1");
    assert_eq!(jobs[1].cmd, "sleep 1000");
    // Stopped, ping sends nothing while time goes on. (Its probes go at
    // 0, 1 and 2 s from its start, 2.45 ms after the `&`.)
    lab.run("sleep 2.1");
    assert!(lab.m.signal_job(p1, sig::SIGSTOP));
    assert_eq!(lab.m.jobs()[0].state, JobState::Stopped);
    lab.run("sleep 50");
    // SIGINT: ping's statistics, as Ctrl-C; 3 probes went in 2 s.
    assert!(lab.m.signal_job(p1, sig::SIGINT));
    assert_eq!(lab.m.jobs()[0].state, JobState::Done(0));
    let p = lab.run("cat p.txt").stdout;
    assert!(p.contains("3 packets transmitted, 3 received"), "{p}");
    // SIGKILL: at once, 137, nothing printed.
    assert!(lab.m.signal_job(p2, sig::SIGKILL));
    assert_eq!(lab.m.jobs()[1].state, JobState::Done(137));
    assert!(!lab.m.signal_job(9, sig::SIGINT));
}

#[test]
fn fg_runs_a_stopped_job_to_its_end() {
    use vnet_tools::machine::sig;
    let mut lab = Lab::new();
    lab.run("sleep 30 &");
    let pid = lab.m.jobs()[0].id;
    lab.m.signal_job(pid, sig::SIGTSTP);
    let t0 = lab.m.world.now();
    assert_eq!(lab.m.foreground_job(pid), Some(0));
    // It had not started yet: its start-up comes first.
    assert_eq!(
        lab.m.world.now().saturating_sub(t0),
        cost::SLEEP.before + Time::from_secs(30) + Time::from_micros(100)
    );
    assert_eq!(lab.m.foreground_job(pid), None);
}
