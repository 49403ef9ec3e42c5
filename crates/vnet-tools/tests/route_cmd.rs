//! `route` against transcripts recorded from net-tools 2.10 (Debian 12) on a
//! real kernel (6.18), replayed on the simulated kernel.

mod common;
use common::replay_file;

/// Listings (-n, -e, -ee, names from /etc/hosts and /etc/networks),
/// SIOCADDRT/SIOCDELRT semantics (routes of equal metric go first, deletion
/// of the first match from the metric given, reject routes, alias devices),
/// the checks of route itself, and its usage texts and exit codes.
#[test]
fn route_forms_match_net_tools() {
    replay_file("tests/transcripts/route/forms.out");
}

/// The scenario the golden tests record (tests/scenarios/f15_route_cmd.sh).
#[test]
fn route_golden_f15_matches() {
    replay_file("../../tests/golden/f15_route_cmd.out");
}
