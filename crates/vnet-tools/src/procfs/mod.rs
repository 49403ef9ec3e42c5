//! The simulated files of the namespace a command runs in: `/proc/net`,
//! `/proc/sys`, `/sys/class/net`, `/etc` and `/run/netns`, with the content
//! and layout of Debian 12's kernel (6.1) and netbase 6.4.
//!
//! [`lookup`] is the whole interface: a normalised absolute path gives a
//! [`Node`] or `None` (no such file). The file tree (vnet-fs) asks it for
//! every path under the simulated roots; everything is computed from the
//! world at the time of the read, as the kernel's seq_files are.
//!
//! Rooms: `net` (/proc/net tables), `mcast` (its multicast groups:
//! igmp, igmp6, dev_mcast), `snmp` (the MIB counters files), `sys`
//! (/proc/sys listings over the sysctl table), `sysfs` (/sys/class/net and
//! the device directories), `etc` (/etc, /run/netns, and the
//! services/protocols databases tools resolve names with).
//!
//! Golden files: `tests/procfs_ref/` (see its README) and
//! `tests/procfs_files.rs`, which says what is normalised and why.

mod bonding;
mod etc;
mod mcast;
mod net;
mod snmp;
mod sys;
mod sysfs;

pub use etc::{protocol_number, service_port, service_port_any};

use vnet_core::{NsId, World};

/// What a path is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A file and its whole content as a read returns it.
    File(Vec<u8>),
    /// A directory and its entries' names, sorted.
    Dir(Vec<String>),
    /// A symbolic link and its target (relative targets are relative to the
    /// link's directory, as readlink(2) returns them).
    Symlink(String),
    /// A file that is listed in its directory but whose read fails with this
    /// errno: sysfs attributes the device cannot answer (`carrier` of a
    /// device that is down is EINVAL), write-only files (`flush`: EACCES).
    /// To stat(2) and ls it is a regular file; only reading it fails.
    Err(i32),
}

/// errno values the simulated files fail with.
pub mod errno {
    pub const EACCES: i32 = 13;
    pub const EINVAL: i32 = 22;
    pub const EOPNOTSUPP: i32 = 95;
}

impl Node {
    fn text(s: impl Into<String>) -> Node {
        Node::File(s.into().into_bytes())
    }
    /// A directory of these names, sorted and without duplicates.
    fn dir<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Node {
        let mut v: Vec<String> = names.into_iter().map(Into::into).collect();
        v.sort();
        v.dedup();
        Node::Dir(v)
    }
}

/// The node at `path` (normalised, absolute) for a command running in `ns`.
pub fn lookup(w: &World, ns: NsId, path: &str) -> Option<Node> {
    if !w.ns_alive(ns) {
        return None;
    }
    let rest = path.strip_prefix('/')?;
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        ["proc"] => Some(Node::dir(["net", "sys"])),
        ["proc", "net", tail @ ..] => net::lookup(w, ns, tail),
        ["proc", "sys", tail @ ..] => sys::lookup(w, ns, tail),
        ["sys", tail @ ..] => sysfs::lookup(w, ns, tail),
        ["etc", tail @ ..] => etc::lookup_etc(w, ns, tail),
        ["run", tail @ ..] => etc::lookup_run(w, tail),
        // Debian's /var/run is a link to /run; paths through it answer too.
        ["var", "run"] => Some(Node::Symlink("/run".into())),
        ["var", "run", tail @ ..] => etc::lookup_run(w, tail),
        _ => None,
    }
}

/// A write to a `/sys` file that takes one (a bridge's or a bridge port's
/// option): None when `path` is none of those, else what the store returned.
pub fn write(
    w: &mut World,
    ns: NsId,
    path: &str,
    data: &str,
) -> Option<Result<(), vnet_core::Errno>> {
    let rest = path.strip_prefix("/sys/")?;
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    sysfs::write(w, ns, &parts, data)
}

/// Pads a seq_file line to `width` characters (seq_setwidth/seq_pad) and
/// ends it.
fn pad(line: &str, width: usize) -> String {
    format!("{line:<width$}\n")
}

/// A u32 as the kernel prints a raw __be32 address with `%08X` on a
/// little-endian machine (10.0.0.1 is `0100000A`).
fn hex_be32(a: std::net::Ipv4Addr) -> String {
    format!("{:08X}", u32::from_le_bytes(a.octets()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_unknown_paths() {
        let w = World::new(1);
        assert_eq!(lookup(&w, 0, "/proc"), Some(Node::dir(["net", "sys"])));
        assert_eq!(lookup(&w, 0, "/proc/nope"), None);
        assert_eq!(lookup(&w, 0, "/home"), None);
        assert_eq!(lookup(&w, 0, "relative"), None);
        assert_eq!(lookup(&w, 99, "/proc"), None);
        assert_eq!(
            lookup(&w, 0, "/var/run"),
            Some(Node::Symlink("/run".into()))
        );
    }

    #[test]
    fn be32_is_printed_as_memory_order() {
        assert_eq!(hex_be32("10.0.0.1".parse().unwrap()), "0100000A");
        assert_eq!(hex_be32("192.168.5.0".parse().unwrap()), "0005A8C0");
    }
}
