//! `bridge` (iproute2 6.1) against transcripts recorded on a real kernel
//! (Linux 6.18), replayed on the simulated kernel; also `brctl` where they
//! share state.

mod common;
use common::{replay_file, replay_file_skipping};

/// Seed section 2.4: four namespaces on one bridge via veth pairs.
#[test]
fn s2_4_four_namespaces_on_one_bridge() {
    replay_file("../../tests/golden/s2_4_bridge.out");
}

/// tests/scenarios/f05_bridge_ip.sh (another recording than tests/golden's):
/// a bridge managed with ip link: ports, its MAC (the lowest port MAC),
/// master/nomaster, bridge link, ip -d details.
#[test]
fn f05_bridge_managed_with_ip_link() {
    replay_file("tests/transcripts/bridge/f05_bridge_ip.out");
}

/// A bridge between three namespaces: learning (fdb / showmacs after pings),
/// flooding, ageing time 0 (no learning), port removal flushing entries.
#[test]
fn f20_fdb_learning_flooding_ageing_and_flushing() {
    replay_file("../../tests/golden/f20_bridge_fdb.out");
}

/// fdb dumps, filters, changes, errors.
#[test]
fn fdb_show_add_del() {
    // The recording kernel is built without CONFIG_BRIDGE_VLAN_FILTERING
    // (EINVAL for any fdb vlan); vnet has it, as Debian's kernel does, and
    // takes `vlan 1` on a port in vlan 1. Command 44 is that add.
    replay_file_skipping("tests/transcripts/bridge/fdb.out", &[44]);
}

/// link show/set, details, json, errors, namespaces.
#[test]
fn link_show_set() {
    // Commands 21-23 list `bridge vlan`, empty on the recording kernel
    // (no CONFIG_BRIDGE_VLAN_FILTERING); with it, as on Debian's kernel and
    // in vnet, every port and the bridge show default pvid 1
    // (crates/vnet/tests/br_vlan.rs pins that).
    replay_file_skipping("tests/transcripts/bridge/link.out", &[21, 22, 23]);
}

/// The multicast (self) entries of devices and bridges.
#[test]
fn multicast_entries() {
    replay_file("tests/transcripts/bridge/multicast.out");
}
