//! 802.1Q and 802.1ad vlan devices (net/8021q: vlan_netlink.c vlan_newlink,
//! vlan_dev.c vlan_dev_hard_start_xmit, vlan_core.c vlan_do_receive).
//!
//! A vlan device sits on a lower ("real") device: what it sends leaves the
//! lower with a tag inserted after the MAC addresses; tagged frames arriving
//! on the lower with its protocol and id are untagged and received on it.
//! It takes the lower's MAC and MTU, follows its carrier, and goes down and
//! up with it.

use crate::dev::{DevKind, DevRef};
use crate::error::{Errno, KResult, KernelError};
use crate::types::NsId;
use crate::wire::ETH_HLEN;
use crate::World;
use serde::{Deserialize, Serialize};

pub const ETH_P_8021Q: u16 = 0x8100;
pub const ETH_P_8021AD: u16 = 0x88a8;
/// VLAN_HLEN: the tag's four bytes.
pub const VLAN_HLEN: usize = 4;
/// VLAN_VID_MASK: ids are 0..4094 (4095 is reserved).
pub const VLAN_VID_MASK: u16 = 0xfff;

/// VLAN_FLAG_* (include/uapi/linux/if_vlan.h).
pub mod vlanf {
    pub const REORDER_HDR: u32 = 0x1;
    pub const GVRP: u32 = 0x2;
    pub const LOOSE_BINDING: u32 = 0x4;
    pub const MVRP: u32 = 0x8;
    pub const BRIDGE_BINDING: u32 = 0x10;
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Vlan {
    pub lower: DevRef,
    pub id: u16,
    /// ETH_P_8021Q or ETH_P_8021AD.
    pub proto: u16,
    /// VLAN_FLAG_* bits.
    pub flags: u32,
    /// ingress_priority_map: the skb priority for each TCI priority.
    #[serde(default)]
    pub ingress: [u32; 8],
    /// egress_priority_map as (skb priority, TCI priority) in dump order:
    /// by hash bucket (priority & 0xF), the newest first within one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub egress: Vec<(u32, u8)>,
}

impl Vlan {
    /// vlan_dev_get_egress_qos_mask(): the TCI priority bits for a packet
    /// of skb priority `prio`.
    pub fn egress_qos(&self, prio: u32) -> u16 {
        self.egress
            .iter()
            .find(|(p, _)| *p == prio)
            .map_or(0, |(_, q)| u16::from(*q) << 13)
    }
}

/// What `ip link add ... type vlan` asks for (IFLA_VLAN_*).
#[derive(Clone, Debug, Default)]
pub struct VlanParams {
    pub id: Option<u16>,
    pub proto: Option<u16>,
    /// (mask, flags) of IFLA_VLAN_FLAGS.
    pub flags: Option<(u32, u32)>,
    /// IFLA_VLAN_INGRESS_QOS and IFLA_VLAN_EGRESS_QOS: (from, to) pairs.
    pub ingress: Vec<(u32, u32)>,
    pub egress: Vec<(u32, u32)>,
}

/// The flags vlan_validate() and vlan_dev_change_flags() accept.
const VLAN_FLAGS_ALL: u32 =
    vlanf::REORDER_HDR | vlanf::GVRP | vlanf::LOOSE_BINDING | vlanf::MVRP | vlanf::BRIDGE_BINDING;

/// NL_SET_ERR_MSG_MOD() in the 8021q module.
fn ext(errno: Errno, msg: &'static str) -> KernelError {
    KernelError::ext(errno, msg)
}

impl World {
    /// vlan_validate(): what is checked before newlink or changelink.
    fn vlan_validate(p: &VlanParams) -> KResult<()> {
        if let Some(proto) = p.proto {
            if proto != ETH_P_8021Q && proto != ETH_P_8021AD {
                return Err(ext(Errno::EPROTONOSUPPORT, "8021q: Invalid VLAN protocol"));
            }
        }
        if p.id.is_some_and(|id| id >= VLAN_VID_MASK) {
            return Err(ext(Errno::ERANGE, "8021q: Invalid VLAN id"));
        }
        if let Some((mask, flags)) = p.flags {
            if (flags & mask) & !VLAN_FLAGS_ALL != 0 {
                return Err(ext(Errno::EINVAL, "8021q: Invalid VLAN flags"));
            }
        }
        Ok(())
    }

    /// vlan_changelink() (`ip link set DEV type vlan ...`): flags and QoS
    /// maps change; the id and protocol are not looked at.
    pub fn vlan_changelink(&mut self, r: DevRef, p: &VlanParams) -> KResult<()> {
        Self::vlan_validate(p)?;
        match self.dev_mut(r).map(|d| &mut d.kind) {
            Some(DevKind::Vlan(v)) => vlan_apply(v, p),
            _ => Err(Errno::EOPNOTSUPP.into()),
        }
    }

    /// vlan_validate() + vlan_newlink(): checks in the kernel's order.
    pub(crate) fn vlan_check(
        &self,
        ns: NsId,
        lower: Option<u32>,
        p: &VlanParams,
        mtu: Option<u32>,
    ) -> KResult<(DevRef, u16, u16, u32)> {
        Self::vlan_validate(p)?;
        let Some(id) = p.id else {
            return Err(ext(Errno::EINVAL, "8021q: VLAN id not specified"));
        };
        let Some(li) = lower else {
            return Err(ext(Errno::EINVAL, "8021q: link not specified"));
        };
        let lr = DevRef { ns, ifindex: li };
        let Some(ld) = self.dev(lr) else {
            return Err(ext(Errno::ENODEV, "8021q: link does not exist"));
        };
        let proto = p.proto.unwrap_or(ETH_P_8021Q);
        // vlan_check_real_dev(): NETIF_F_VLAN_CHALLENGED devices (loopback,
        // L3 devices) take no vlans; a (proto, id) is taken once per lower.
        if !ld.is_ether() {
            return Err(ext(
                Errno::EOPNOTSUPP,
                "8021q: VLANs not supported on device",
            ));
        }
        if self.vlan_find(lr, proto, id).is_some() {
            return Err(ext(Errno::EEXIST, "8021q: VLAN device already exists"));
        }
        if mtu.is_some_and(|m| m > ld.mtu) {
            return Err(Errno::EINVAL.into());
        }
        Ok((lr, id, proto, vlanf::REORDER_HDR))
    }

    /// vlan_find_dev(): the vlan upper of `lower` with this protocol and id.
    pub(crate) fn vlan_find(&self, lower: DevRef, proto: u16, id: u16) -> Option<DevRef> {
        let d = self.dev(lower)?;
        d.uppers.iter().copied().find(|u| {
            matches!(self.dev(*u).map(|d| &d.kind),
                Some(DevKind::Vlan(v)) if v.proto == proto && v.id == id)
        })
    }

    /// vlan_dev_hard_start_xmit(): the tag goes in after the MAC addresses
    /// and the frame leaves through the lower device.
    pub(crate) fn vlan_xmit(&mut self, r: DevRef, frame: Vec<u8>) {
        let Some(DevKind::Vlan(v)) = self.dev(r).map(|d| &d.kind) else {
            return;
        };
        let (lower, proto, id, qos) = (v.lower, v.proto, v.id, v.egress_qos(0));
        if frame.len() < ETH_HLEN {
            return;
        }
        let mut out = self.take_buf();
        out.extend_from_slice(&frame[..12]);
        out.extend_from_slice(&proto.to_be_bytes());
        // TCI: the egress-qos-map's priority for skb priority 0 (vnet's
        // packets carry no other), DEI 0, the id.
        out.extend_from_slice(&((id & VLAN_VID_MASK) | qos).to_be_bytes());
        out.extend_from_slice(&frame[12..]);
        let st = &mut self.dev_mut(r).unwrap().stats;
        st.tx_packets += 1;
        st.tx_bytes += frame.len() as u64;
        self.put_buf(frame);
        self.dev_queue_xmit(lower, out);
    }

    /// vlan_do_receive(): a tagged frame on `lower` for one of its vlans is
    /// untagged and received again on the vlan. False when no vlan takes it.
    pub(crate) fn vlan_receive(&mut self, lower: DevRef, frame: &[u8]) -> bool {
        if frame.len() < ETH_HLEN + VLAN_HLEN {
            return false;
        }
        let proto = u16::from_be_bytes([frame[12], frame[13]]);
        if proto != ETH_P_8021Q && proto != ETH_P_8021AD {
            return false;
        }
        let id = u16::from_be_bytes([frame[14], frame[15]]) & VLAN_VID_MASK;
        let Some(up) = self.vlan_find(lower, proto, id) else {
            return false;
        };
        let mut inner = self.take_buf();
        inner.extend_from_slice(&frame[..12]);
        inner.extend_from_slice(&frame[16..]);
        self.netif_receive(up, inner);
        true
    }
}

/// vlan_changelink()'s body: vlan_dev_change_flags(), then
/// vlan_dev_set_ingress_priority() and vlan_dev_set_egress_priority() for
/// each mapping.
pub(crate) fn vlan_apply(v: &mut Vlan, p: &VlanParams) -> KResult<()> {
    if let Some((mask, f)) = p.flags {
        if mask & !VLAN_FLAGS_ALL != 0 {
            return Err(Errno::EINVAL.into());
        }
        v.flags = (v.flags & !mask) | (f & mask);
    }
    for &(from, to) in &p.ingress {
        v.ingress[(from & 7) as usize] = to;
    }
    for &(from, to) in &p.egress {
        let qos = (to & 7) as u8;
        if let Some(e) = v.egress.iter_mut().find(|(p, _)| *p == from) {
            e.1 = qos;
            continue;
        }
        // A new entry heads its bucket's chain.
        let at = v
            .egress
            .iter()
            .position(|(p, _)| p & 0xf >= from & 0xf)
            .unwrap_or(v.egress.len());
        v.egress.insert(at, (from, qos));
    }
    Ok(())
}
