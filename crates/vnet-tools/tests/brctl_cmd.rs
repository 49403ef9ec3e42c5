//! `brctl` against transcripts recorded from bridge-utils 1.7.1 on a real
//! kernel (Linux 6.18, Debian 12 tools), replayed on the simulated kernel.

mod common;
use common::replay_file;

/// tests/scenarios/f17_brctl.sh (another recording than tests/golden's):
/// usage, addbr/delbr/addif/delif, show/showmacs/showstp, ageing, stp.
#[test]
fn f17_bridges_ports_macs_ageing_and_stp() {
    replay_file("tests/transcripts/brctl/f17_brctl.out");
}

#[test]
fn usage_options_and_errors() {
    replay_file("tests/transcripts/brctl/usage_options_and_errors.out");
}

#[test]
fn ports_priorities_and_stp() {
    replay_file("tests/transcripts/brctl/ports_priorities_and_stp.out");
}
