//! `sysctl` against transcripts recorded from procps-ng 4.0.2 (Debian 12)
//! on a real kernel (6.18), replayed on the simulated kernel.

mod common;
use common::{replay_file, Lab};

/// Reads and writes in dotted and slash form, several keys, -n -b -N -e -q
/// -w --dry-run, -a with -r patterns, -p files (comments, bad lines, globs,
/// exclusions), --system on a default Debian, and every error and usage path.
#[test]
fn sysctl_forms_match_procps() {
    replay_file("tests/transcripts/sysctl/forms.out");
}

/// The scenario the golden tests record (tests/scenarios/f16_sysctl.sh):
/// namespaces have their own values.
#[test]
fn sysctl_golden_f16_matches() {
    replay_file("../../tests/golden/f16_sysctl.out");
}

/// Writes land in the namespace the command runs in.
#[test]
fn writes_reach_the_namespace_of_the_command() {
    let mut lab = Lab::new();
    assert_eq!(lab.run("ip netns add a").exit, 0);
    assert_eq!(
        lab.run("ip netns exec a sysctl -w net.ipv4.ip_forward=1")
            .stdout,
        "net.ipv4.ip_forward = 1\n"
    );
    let a = lab.m.world.netns_by_name("a").unwrap();
    assert!(lab.m.world.ns(a).sysctl().ip_forward());
    assert!(!lab.m.world.ns(0).sysctl().ip_forward());
}
