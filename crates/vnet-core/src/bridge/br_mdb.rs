//! The bridge's multicast database as `bridge mdb` edits it
//! (net/bridge/br_mdb.c: br_mdb_add(), br_mdb_del(), br_mdb_dump()) and the
//! mcast_snooping switch (br_multicast_toggle(), which drops the entries
//! snooping made and keeps the permanent ones).
//!
//! Groups are listed newest first (hlist_add_head), each group's ports in
//! the order they joined. Entries snooped from IGMP reports are made in
//! `br_multicast`.

use crate::bridge::Bridge;
use crate::error::{Errno, KResult, KernelError};
use crate::types::NsId;
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// One port's membership of a group (struct net_bridge_port_group).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MdbEntry {
    /// The port's ifindex; the bridge's own for a host-joined entry.
    pub port: u32,
    pub grp: IpAddr,
    pub vid: u16,
    /// MDB_PERMANENT, else temp (it would age out without reports).
    pub permanent: bool,
    /// Group creation order (the newest group is listed first).
    pub seq: u64,
    /// When a temporary entry ages out unless reported again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<crate::types::Time>,
    /// Made by snooping a report (RTPROT_KERNEL), not by `bridge mdb add`.
    #[serde(default)]
    pub learned: bool,
}

fn ext(errno: Errno, msg: &'static str) -> KernelError {
    KernelError::ext(errno, msg)
}

/// br_mdb_valid()/is_valid_mdb_entry(): a group the bridge may hold.
fn check_group(grp: IpAddr) -> KResult<()> {
    match grp {
        IpAddr::V4(a) => {
            if !a.is_multicast() {
                return Err(ext(
                    Errno::EINVAL,
                    "IPv4 entry group address is not multicast or 0.0.0.0",
                ));
            }
            // ipv4_is_local_multicast(): 224.0.0.0/24.
            if a.octets()[..3] == [224, 0, 0] {
                return Err(ext(
                    Errno::EINVAL,
                    "IPv4 entry group address is local multicast",
                ));
            }
        }
        IpAddr::V6(a) => {
            if !a.is_multicast() {
                return Err(ext(
                    Errno::EINVAL,
                    "IPv6 entry group address is not multicast or \"::\"",
                ));
            }
            if a == std::net::Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1) {
                return Err(ext(
                    Errno::EINVAL,
                    "IPv6 entry group address is link-local all nodes",
                ));
            }
        }
    }
    Ok(())
}

impl Bridge {
    /// The entries in dump order: newest group first, its ports in order.
    pub fn mdb_dump(&self) -> Vec<&MdbEntry> {
        let mut v: Vec<&MdbEntry> = self.mdb.iter().collect();
        // Stable: members of one group keep the order they joined in.
        v.sort_by_key(|e| std::cmp::Reverse(e.seq));
        v
    }

    /// br_multicast_toggle() off: what snooping learned goes.
    pub fn mdb_flush_temp(&mut self) {
        self.mdb.retain(|e| e.permanent);
    }

    /// Where `port`'s membership of `grp` in `vid` is in the list.
    pub(crate) fn mdb_find(&self, port: u32, grp: IpAddr, vid: u16) -> Option<usize> {
        self.mdb
            .iter()
            .position(|e| e.port == port && e.grp == grp && e.vid == vid)
    }

    /// Whether multicast to `grp` in `vid` has members, and which ports.
    pub fn mdb_ports(&self, grp: IpAddr, vid: u16) -> Option<Vec<u32>> {
        if self.mcast_snooping_off {
            return None;
        }
        let v: Vec<u32> = self
            .mdb
            .iter()
            .filter(|e| e.grp == grp && e.vid == vid)
            .map(|e| e.port)
            .collect();
        (!v.is_empty()).then_some(v)
    }
}

impl World {
    /// br_mdb_add(): `port` joins `grp` on bridge `br`.
    pub fn br_mdb_add(
        &mut self,
        ns: NsId,
        br: u32,
        port: u32,
        grp: IpAddr,
        vid: u16,
        permanent: bool,
    ) -> KResult<()> {
        let n = self.ns(ns);
        let bd = n.dev(br).ok_or(Errno::ENODEV)?;
        let Some(b) = bd.bridge() else {
            return Err(ext(Errno::EINVAL, "Device does not support MDB operations"));
        };
        check_group(grp)?;
        if !bd.up {
            return Err(ext(Errno::EINVAL, "bridge: Bridge device is not running"));
        }
        if b.mcast_snooping_off {
            return Err(ext(
                Errno::EINVAL,
                "bridge: Bridge's multicast processing is disabled",
            ));
        }
        if port != br {
            let pd = n
                .dev(port)
                .ok_or_else(|| ext(Errno::ENODEV, "bridge: Port net device doesn't exist"))?;
            match pd.master {
                Some(m) if m == br => {}
                Some(m) if n.dev(m).is_some_and(|d| d.is_bridge()) => {
                    return Err(ext(
                        Errno::EINVAL,
                        "bridge: Port belongs to a different bridge device",
                    ))
                }
                _ => {
                    return Err(ext(
                        Errno::EINVAL,
                        "bridge: Net device is not a bridge port",
                    ))
                }
            }
        }
        let now = self.now;
        let b = self.bridge_mut(ns, br)?;
        // br_mdb_add_group(): a disabled port takes permanent entries only.
        let disabled = b
            .port(port)
            .is_some_and(|p| p.state == crate::bridge::PortState::Disabled);
        if disabled && !permanent {
            return Err(ext(
                Errno::EINVAL,
                "bridge: Port is in disabled state and entry is not permanent",
            ));
        }
        if b.mdb_find(port, grp, vid).is_some() {
            return Err(ext(
                Errno::EEXIST,
                "bridge: (*, G) group is already joined by port",
            ));
        }
        let seq = match b.mdb.iter().find(|e| e.grp == grp && e.vid == vid) {
            Some(e) => e.seq,
            None => {
                b.fdb_seq += 1;
                b.fdb_seq
            }
        };
        // A temporary entry ages out like a snooped one.
        let expires = (!permanent)
            .then(|| now + crate::types::Time::from_millis(b.conf.mcast_membership_interval * 10));
        let e = MdbEntry {
            port,
            grp,
            vid,
            permanent,
            seq,
            expires,
            learned: false,
        };
        b.mdb.push(e.clone());
        self.notify_mdb(ns, br, &e, false);
        if let Some(at) = expires {
            self.br_mdb_arm(ns, br, at);
        }
        Ok(())
    }

    /// br_mdb_del(): EINVAL when the port is not in the group.
    pub fn br_mdb_del(
        &mut self,
        ns: NsId,
        br: u32,
        port: u32,
        grp: IpAddr,
        vid: u16,
    ) -> KResult<()> {
        let n = self.ns(ns);
        let Some(_) = n.dev(br).ok_or(Errno::ENODEV)?.bridge() else {
            return Err(ext(Errno::EINVAL, "Device does not support MDB operations"));
        };
        let b = self.bridge_mut(ns, br)?;
        let Some(i) = b.mdb_find(port, grp, vid) else {
            return Err(Errno::EINVAL.into());
        };
        let e = b.mdb.remove(i);
        self.notify_mdb(ns, br, &e, true);
        Ok(())
    }

    /// The entries of `port` go (the temporary ones only unless `all`:
    /// br_multicast_disable_port() and br_multicast_del_port()), each
    /// announced.
    pub(crate) fn br_mdb_del_port(&mut self, ns: NsId, br: u32, port: u32, all: bool) {
        let Ok(b) = self.bridge_mut(ns, br) else {
            return;
        };
        let gone: Vec<MdbEntry> = b
            .mdb
            .iter()
            .filter(|e| e.port == port && (all || !e.permanent))
            .cloned()
            .collect();
        b.mdb.retain(|e| !(e.port == port && (all || !e.permanent)));
        for e in gone {
            self.notify_mdb(ns, br, &e, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_must_be_routable_multicast() {
        assert!(check_group("239.1.1.1".parse().unwrap()).is_ok());
        assert!(check_group("10.0.0.1".parse().unwrap()).is_err());
        assert!(check_group("224.0.0.1".parse().unwrap()).is_err());
        assert!(check_group("ff0e::1".parse().unwrap()).is_ok());
        assert!(check_group("ff02::1".parse().unwrap()).is_err());
    }

    #[test]
    fn snooping_off_keeps_permanent_entries_only() {
        let mut b = Bridge::default();
        for (port, permanent, seq) in [(3, true, 1), (4, false, 1), (4, false, 2)] {
            b.mdb.push(MdbEntry {
                port,
                grp: "239.1.1.1".parse().unwrap(),
                vid: 0,
                permanent,
                seq,
                expires: None,
                learned: !permanent,
            });
        }
        assert_eq!(b.mdb_dump()[0].seq, 2);
        b.mdb_flush_temp();
        assert_eq!(b.mdb.len(), 1);
        assert_eq!(b.mdb[0].port, 3);
    }
}
