//! `tunctl` against transcripts recorded from uml-utilities' tunctl
//! (Debian 12) on a real kernel, replayed on the simulated kernel.

mod common;
use common::{replay_file, Lab};
use vnet_core::dev::DevKind;

/// tests/scenarios/f03_tunctl.sh (another recording than tests/golden's):
/// create, brief mode, owner, delete; the tap devices it makes.
#[test]
fn f03_taps_created_owned_and_deleted() {
    replay_file("tests/transcripts/tunctl/f03_tunctl.out");
}

/// Options, owners, names and errors.
#[test]
fn options_owners_and_errors() {
    replay_file("tests/transcripts/tunctl/options.out");
}

#[test]
fn creates_persistent_taps_with_owner_and_group() {
    let mut lab = Lab::new();
    lab.replay(
        "owners",
        "$ tunctl -u 1000 -g 1000 -t tap10\nSet 'tap10' persistent and owned by uid 1000 gid 1000\n\
         $ tunctl -g users\nSet 'tap0' persistent and owned by gid 100\n",
    );
    let w = &lab.m.world;
    let d = w.ns(0).dev_by_name("tap10").unwrap();
    assert!(matches!(
        d.kind,
        DevKind::Tun {
            tap: true,
            persist: true,
            owner: Some(1000),
            group: Some(1000),
            ..
        }
    ));
    let d = w.ns(0).dev_by_name("tap0").unwrap();
    assert!(matches!(
        d.kind,
        DevKind::Tun {
            tap: true,
            persist: true,
            owner: None,
            group: Some(100),
            ..
        }
    ));
    assert!(!d.up && d.mac != vnet_core::Mac::ZERO);
}

#[test]
fn delete_of_a_missing_device_uses_up_an_index() {
    let mut lab = Lab::new();
    lab.replay(
        "missing device",
        "$ tunctl -d nosuch\nSet 'nosuch' nonpersistent\n$ tunctl -b\ntap0\n",
    );
    // lo is 1, the vanished nosuch took 2.
    assert_eq!(lab.m.world.ns(0).ifindex_of("tap0"), Some(3));
    assert_eq!(lab.m.world.ns(0).ifindex_of("nosuch"), None);
}

#[test]
fn a_tap_held_by_a_program_is_busy() {
    let mut lab = Lab::new();
    lab.replay(
        "create",
        "$ tunctl -t tap0\nSet 'tap0' persistent and owned by uid 0\n",
    );
    let i = lab.m.world.ns(0).ifindex_of("tap0").unwrap();
    lab.m.world.tun_attach(0, i, true).unwrap();
    lab.replay(
        "delete while attached",
        "$ tunctl -d tap0\n[stderr]\nTUNSETIFF: Device or resource busy\n[exit 1]\n",
    );
}
