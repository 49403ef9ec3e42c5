//! Bridge VLAN filtering (net/bridge/br_vlan.c): per-port and bridge vlan
//! groups, the pvid, egress untagging, and the ingress/egress decisions
//! br_allowed_ingress(), br_allowed_egress() and br_handle_vlan() make.
//!
//! Frames inside the bridge are kept untagged with their vid beside them
//! (the kernel moves the tag into skb->vlan_tci); a port's egress puts the
//! tag back unless the vlan is "Egress Untagged" there.
//!
//! Every port and the bridge itself start with the default pvid (1) as
//! pvid and untagged, as nbp_vlan_init() and br_vlan_init() do, whether or
//! not filtering is on. Local fdb entries per vlan (the port's address in
//! each of its vlans) are made while filtering is on: the recording kernel
//! lacks CONFIG_BRIDGE_VLAN_FILTERING, so the corpus's fdb listings of
//! non-filtering bridges show vlan 0 entries only, and vnet keeps them so.

use crate::bridge::{Bridge, FdbEntry};
use crate::dev::vlan::{ETH_P_8021AD, ETH_P_8021Q, VLAN_HLEN, VLAN_VID_MASK};
use crate::dev::DevRef;
use crate::error::{Errno, KResult, KernelError};
use crate::types::{Mac, NsId};
use crate::wire::ETH_HLEN;
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A port's (or the bridge's own) vlans (struct net_bridge_vlan_group).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VlanGroup {
    /// vid → egress untagged, in vid order (the kernel keeps vlan_list sorted).
    pub vlans: BTreeMap<u16, bool>,
    /// The vid untagged frames take on ingress; 0 when there is none.
    pub pvid: u16,
}

impl VlanGroup {
    /// The default vlan as br_vlan_init()/nbp_vlan_init() add it.
    pub fn with_default(pvid: u16) -> VlanGroup {
        let mut g = VlanGroup::default();
        if pvid != 0 {
            g.vlans.insert(pvid, true);
            g.pvid = pvid;
        }
        g
    }

    /// __vlan_add() / __vlan_add_flags(): add or update; true if changed.
    pub fn add(&mut self, vid: u16, pvid: bool, untagged: bool) -> bool {
        let old = (self.vlans.get(&vid).copied(), self.pvid);
        self.vlans.insert(vid, untagged);
        if pvid {
            self.pvid = vid;
        } else if self.pvid == vid {
            self.pvid = 0;
        }
        old != (Some(untagged), self.pvid)
    }

    /// __vlan_del(): false if the vid was not there.
    pub fn del(&mut self, vid: u16) -> bool {
        if self.pvid == vid {
            self.pvid = 0;
        }
        self.vlans.remove(&vid).is_some()
    }

    /// Whether `vid` is a member, and if so whether it leaves untagged.
    pub fn egress(&self, vid: u16) -> Option<bool> {
        self.vlans.get(&vid).copied()
    }
}

/// The bridge's vlan configuration (IFLA_BR_VLAN_*) and its own group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrVlanCfg {
    /// BROPT_VLAN_ENABLED.
    pub filtering: bool,
    /// ETH_P_8021Q or ETH_P_8021AD.
    pub proto: u16,
    /// 0 disables the default pvid.
    pub default_pvid: u16,
    /// The bridge device's own ("self", brentry) vlans.
    pub group: VlanGroup,
}

impl Default for BrVlanCfg {
    fn default() -> Self {
        BrVlanCfg {
            filtering: false,
            proto: ETH_P_8021Q,
            default_pvid: 1,
            group: VlanGroup::with_default(1),
        }
    }
}

/// br_allowed_ingress(): the vid a frame belongs to on a port with group
/// `g`, or None when the port must drop it. With filtering off every frame
/// is vid 0. A frame tagged with the bridge's protocol carries its vid
/// (vid 0, priority-tagged, counts as untagged); an untagged one takes the
/// pvid, and is dropped where there is none.
pub fn allowed_ingress(cfg: &BrVlanCfg, g: &VlanGroup, frame: &[u8]) -> Option<u16> {
    if !cfg.filtering {
        return Some(0);
    }
    let vid = match frame_tag(cfg.proto, frame) {
        Some(v) if v != 0 => v,
        _ => g.pvid,
    };
    if vid == 0 || !g.vlans.contains_key(&vid) {
        return None;
    }
    Some(vid)
}

/// The vid of a frame tagged with `proto`, if it is.
pub fn frame_tag(proto: u16, frame: &[u8]) -> Option<u16> {
    if frame.len() < ETH_HLEN + VLAN_HLEN || u16::from_be_bytes([frame[12], frame[13]]) != proto {
        return None;
    }
    Some(u16::from_be_bytes([frame[14], frame[15]]) & VLAN_VID_MASK)
}

/// The frame without its outer tag of `proto` (a copy when it had one).
pub fn untag(proto: u16, frame: Vec<u8>) -> Vec<u8> {
    if frame_tag(proto, &frame).is_none() {
        return frame;
    }
    let mut out = Vec::with_capacity(frame.len() - VLAN_HLEN);
    out.extend_from_slice(&frame[..12]);
    out.extend_from_slice(&frame[16..]);
    out
}

/// br_handle_vlan(): what leaves a port (or goes up the bridge device) for
/// an untagged internal frame of `vid`: None when the port is not in the
/// vlan (br_allowed_egress), else the frame, tagged unless untagged there.
pub fn egress(cfg: &BrVlanCfg, g: &VlanGroup, vid: u16, frame: &[u8]) -> Option<Vec<u8>> {
    if !cfg.filtering || vid == 0 {
        return Some(frame.to_vec());
    }
    let untagged = g.egress(vid)?;
    if untagged || frame.len() < ETH_HLEN {
        return Some(frame.to_vec());
    }
    let mut out = Vec::with_capacity(frame.len() + VLAN_HLEN);
    out.extend_from_slice(&frame[..12]);
    out.extend_from_slice(&cfg.proto.to_be_bytes());
    out.extend_from_slice(&vid.to_be_bytes());
    out.extend_from_slice(&frame[12..]);
    Some(out)
}

/// NL_SET_ERR_MSG_MOD() in the bridge module.
fn ext(errno: Errno, msg: &'static str) -> KernelError {
    KernelError::ext(errno, msg)
}

impl Bridge {
    /// The vlan group of `ifindex`: a port's, or the bridge's own.
    pub fn vlan_group(&self, ifindex: u32, br: u32) -> Option<&VlanGroup> {
        if ifindex == br {
            return Some(&self.vlan.group);
        }
        self.port(ifindex).map(|p| &p.vlans)
    }

    /// br_fdb_add_local() for each vlan of `port` (with `mac`), while
    /// filtering is on.
    fn vlan_local_entries(&mut self, port: u32, mac: Mac, vids: &[u16], now: crate::types::Time) {
        if !self.vlan.filtering || mac == Mac::ZERO {
            return;
        }
        for &vid in vids {
            if self.fdb.get(&(mac, vid)).is_some_and(|e| e.is_local) {
                continue;
            }
            self.fdb_insert(
                (mac, vid),
                FdbEntry {
                    port,
                    is_local: true,
                    is_static: true,
                    updated: now,
                    used: now,
                    seq: 0,
                },
            );
        }
    }
}

impl World {
    fn br_of(&self, ns: NsId, dev: u32) -> KResult<(u32, bool)> {
        let d = self.ns(ns).dev(dev).ok_or(Errno::ENODEV)?;
        if d.is_bridge() {
            return Ok((dev, true));
        }
        match d.master {
            Some(m) if self.ns(ns).dev(m).is_some_and(|b| b.is_bridge()) => Ok((m, false)),
            _ => Err(Errno::EOPNOTSUPP.into()),
        }
    }

    /// `bridge vlan add`: nbp_vlan_add() on a port, br_vlan_add() (a
    /// brentry) on the bridge itself. Checks br_vlan_valid_id().
    pub fn br_vlan_add(
        &mut self,
        ns: NsId,
        dev: u32,
        vid: u16,
        pvid: bool,
        untagged: bool,
    ) -> KResult<()> {
        if vid == 0 || vid >= VLAN_VID_MASK {
            return Err(ext(Errno::EINVAL, "bridge: Vlan id is invalid"));
        }
        let (br, is_br) = self.br_of(ns, dev)?;
        let now = self.now;
        let mac = self.ns(ns).dev(dev).map(|d| d.mac).unwrap_or(Mac::ZERO);
        let b = self.bridge_mut(ns, br)?;
        if is_br {
            b.vlan.group.add(vid, pvid, untagged);
        } else if let Some(p) = b.port_mut(dev) {
            p.vlans.add(vid, pvid, untagged);
        }
        b.vlan_local_entries(dev, mac, &[vid], now);
        Ok(())
    }

    /// `bridge vlan del`: a vid that is not there is no error (br_vlan_info
    /// ignores the result); the port's fdb entries in that vlan go.
    pub fn br_vlan_del(&mut self, ns: NsId, dev: u32, vid: u16) -> KResult<()> {
        if vid == 0 || vid >= VLAN_VID_MASK {
            return Err(Errno::EINVAL.into());
        }
        let (br, is_br) = self.br_of(ns, dev)?;
        let b = self.bridge_mut(ns, br)?;
        let had = if is_br {
            b.vlan.group.del(vid)
        } else {
            b.port_mut(dev).is_some_and(|p| p.vlans.del(vid))
        };
        if had {
            b.fdb.retain(|k, e| !(e.port == dev && k.1 == vid));
        }
        Ok(())
    }

    /// br_vlan_filter_toggle(): learned entries stay (vid 0 ones are simply
    /// not found while filtering); turning on makes the per-vlan local entries.
    pub fn br_vlan_filter_toggle(&mut self, ns: NsId, br: u32, on: bool) -> KResult<()> {
        let now = self.now;
        let macs: Vec<(u32, Mac)> = {
            let n = self.ns(ns);
            let d = n.dev(br).ok_or(Errno::ENODEV)?;
            let b = d.bridge().ok_or(Errno::EOPNOTSUPP)?;
            std::iter::once((br, d.mac))
                .chain(
                    b.ports
                        .iter()
                        .filter_map(|p| n.dev(p.ifindex).map(|pd| (p.ifindex, pd.mac))),
                )
                .collect()
        };
        let b = self.bridge_mut(ns, br)?;
        if b.vlan.filtering == on {
            return Ok(());
        }
        b.vlan.filtering = on;
        if on {
            for (i, mac) in macs {
                let vids: Vec<u16> = b
                    .vlan_group(i, br)
                    .map(|g| g.vlans.keys().copied().collect())
                    .unwrap_or_default();
                b.vlan_local_entries(i, mac, &vids, now);
            }
        }
        Ok(())
    }

    /// __br_vlan_set_proto(): 802.1Q or 802.1ad.
    pub fn br_vlan_set_proto(&mut self, ns: NsId, br: u32, proto: u16) -> KResult<()> {
        if proto != ETH_P_8021Q && proto != ETH_P_8021AD {
            return Err(Errno::EPROTONOSUPPORT.into());
        }
        self.bridge_mut(ns, br)?.vlan.proto = proto;
        Ok(())
    }

    /// __br_vlan_set_default_pvid(): the bridge and every port still on the
    /// old default (it as pvid, untagged) move to the new one; 0 removes it
    /// (br_vlan_disable_default_pvid). Refused while filtering is on.
    pub fn br_vlan_set_default_pvid(&mut self, ns: NsId, br: u32, pvid: u16) -> KResult<()> {
        if pvid >= VLAN_VID_MASK {
            return Err(Errno::EINVAL.into());
        }
        let b = self.bridge_mut(ns, br)?;
        let old = b.vlan.default_pvid;
        if old == pvid {
            return Ok(());
        }
        if b.vlan.filtering {
            return Err(ext(
                Errno::EPERM,
                "bridge: Can't change default pvid while vlan filtering is enabled",
            ));
        }
        let mv = |g: &mut VlanGroup| {
            let on_default = old != 0 && g.pvid == old && g.vlans.get(&old) == Some(&true);
            if old == 0 || on_default {
                if on_default {
                    g.del(old);
                }
                if pvid != 0 && !g.vlans.contains_key(&pvid) {
                    g.add(pvid, true, true);
                }
            }
        };
        mv(&mut b.vlan.group);
        for p in &mut b.ports {
            mv(&mut p.vlans);
        }
        b.vlan.default_pvid = pvid;
        Ok(())
    }

    /// nbp_vlan_init(): a new port gets the bridge's default pvid.
    pub(crate) fn br_vlan_port_init(&mut self, ns: NsId, br: u32, port: u32) {
        let now = self.now;
        let mac = self.ns(ns).dev(port).map(|d| d.mac).unwrap_or(Mac::ZERO);
        let Ok(b) = self.bridge_mut(ns, br) else {
            return;
        };
        let pvid = b.vlan.default_pvid;
        if let Some(p) = b.port_mut(port) {
            p.vlans = VlanGroup::with_default(pvid);
        }
        if pvid != 0 {
            b.vlan_local_entries(port, mac, &[pvid], now);
        }
    }

    /// br_allowed_ingress() for a frame on `port` of `br` (the bridge
    /// itself for what it sends): its vid and the frame untagged, or None
    /// to drop.
    pub(crate) fn br_vlan_ingress(
        &self,
        brdev: DevRef,
        port: u32,
        frame: Vec<u8>,
    ) -> Result<(u16, Vec<u8>), Vec<u8>> {
        let Some(b) = self.dev(brdev).and_then(|d| d.bridge()) else {
            return Ok((0, frame));
        };
        if !b.vlan.filtering {
            return Ok((0, frame));
        }
        let Some(g) = b.vlan_group(port, brdev.ifindex) else {
            return Err(frame);
        };
        match allowed_ingress(&b.vlan, g, &frame) {
            Some(vid) => Ok((vid, untag(b.vlan.proto, frame))),
            None => Err(frame),
        }
    }

    /// br_handle_vlan() toward `to` (a port, or the bridge device itself):
    /// None when `to` is not in the vlan.
    pub(crate) fn br_vlan_egress(
        &self,
        brdev: DevRef,
        to: u32,
        vid: u16,
        frame: &[u8],
    ) -> Option<Vec<u8>> {
        let b = self.dev(brdev).and_then(|d| d.bridge())?;
        if !b.vlan.filtering {
            return Some(frame.to_vec());
        }
        egress(&b.vlan, b.vlan_group(to, brdev.ifindex)?, vid, frame)
    }

    /// br_handle_vlan() as br_forward() sends to port `to`.
    pub(crate) fn br_vlan_port_egress(
        &mut self,
        to: DevRef,
        frame: Vec<u8>,
        vid: u16,
    ) -> Option<Vec<u8>> {
        if vid == 0 {
            return Some(frame);
        }
        let br = DevRef {
            ns: to.ns,
            ifindex: self.dev(to)?.master?,
        };
        let out = self.br_vlan_egress(br, to.ifindex, vid, &frame);
        self.put_buf(frame);
        out
    }

    /// br_pass_frame_up()'s br_allowed_egress() and br_handle_vlan() for
    /// the bridge device: None (dropped) when the bridge is not in the vlan.
    pub(crate) fn br_vlan_up(
        &mut self,
        brdev: DevRef,
        frame: Vec<u8>,
        vid: u16,
    ) -> Option<Vec<u8>> {
        if vid == 0 {
            return Some(frame);
        }
        let out = self.br_vlan_egress(brdev, brdev.ifindex, vid, &frame);
        self.put_buf(frame);
        if out.is_none() {
            self.drop_pkt(
                brdev.ns,
                Some(brdev.ifindex),
                crate::trace::DropReason::VlanFilter,
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> BrVlanCfg {
        BrVlanCfg {
            filtering: true,
            ..BrVlanCfg::default()
        }
    }
    fn frame(tag: Option<(u16, u16)>) -> Vec<u8> {
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&[2, 0, 0, 0, 0, 1]);
        if let Some((proto, vid)) = tag {
            f.extend_from_slice(&proto.to_be_bytes());
            f.extend_from_slice(&vid.to_be_bytes());
        }
        f.extend_from_slice(&[0x08, 0x06]);
        f.extend_from_slice(&[0u8; 28]);
        f
    }
    fn access(vid: u16) -> VlanGroup {
        let mut g = VlanGroup::default();
        g.add(vid, true, true);
        g
    }

    #[test]
    fn untagged_frames_take_the_pvid() {
        assert_eq!(allowed_ingress(&cfg(), &access(10), &frame(None)), Some(10));
    }

    #[test]
    fn untagged_frames_without_pvid_are_dropped() {
        let mut g = VlanGroup::default();
        g.add(10, false, false);
        assert_eq!(allowed_ingress(&cfg(), &g, &frame(None)), None);
    }

    #[test]
    fn tagged_frames_of_a_vlan_the_port_lacks_are_dropped() {
        let g = access(10);
        assert_eq!(
            allowed_ingress(&cfg(), &g, &frame(Some((0x8100, 20)))),
            None
        );
        assert_eq!(
            allowed_ingress(&cfg(), &g, &frame(Some((0x8100, 10)))),
            Some(10)
        );
    }

    #[test]
    fn priority_tagged_and_foreign_tags_count_as_untagged() {
        let g = access(10);
        assert_eq!(
            allowed_ingress(&cfg(), &g, &frame(Some((0x8100, 0)))),
            Some(10)
        );
        // An 802.1Q tag on an 802.1ad bridge is payload: the pvid applies.
        let ad = BrVlanCfg {
            proto: ETH_P_8021AD,
            ..cfg()
        };
        assert_eq!(
            allowed_ingress(&ad, &g, &frame(Some((0x8100, 20)))),
            Some(10)
        );
    }

    #[test]
    fn filtering_off_admits_everything_as_vid_0() {
        let off = BrVlanCfg::default();
        assert_eq!(
            allowed_ingress(&off, &VlanGroup::default(), &frame(Some((0x8100, 99)))),
            Some(0)
        );
    }

    #[test]
    fn egress_tags_unless_untagged_and_skips_non_members() {
        let c = cfg();
        let mut trunk = VlanGroup::default();
        trunk.add(10, false, false);
        let f = frame(None);
        let out = egress(&c, &trunk, 10, &f).unwrap();
        assert_eq!(&out[12..16], &[0x81, 0x00, 0x00, 0x0a]);
        assert_eq!(untag(0x8100, out), f);
        assert_eq!(egress(&c, &access(10), 10, &f).unwrap(), f);
        assert_eq!(egress(&c, &trunk, 20, &f), None);
    }

    #[test]
    fn pvid_moves_and_clears_with_flags() {
        let mut g = VlanGroup::with_default(1);
        g.add(10, true, true);
        assert_eq!(g.pvid, 10);
        assert_eq!(g.vlans.get(&1), Some(&true));
        // Re-adding the pvid's vlan without `pvid` takes the pvid away.
        g.add(10, false, false);
        assert_eq!(g.pvid, 0);
        assert!(g.del(10));
        assert!(!g.del(10));
    }
}
