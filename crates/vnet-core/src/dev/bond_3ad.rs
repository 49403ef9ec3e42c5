//! 802.3ad link aggregation (drivers/net/bonding/bond_3ad.c): LACPDUs,
//! the partner each port learns from them, aggregator selection.
//!
//! The kernel runs its state machines every 100 ms (ad_tick); here a port
//! acts on each event at once: it sends a LACPDU when it comes up, when
//! what it says changed, or when its partner's view of it is stale
//! (need-to-transmit), at most AD_MAX_TX_IN_SECOND (3) a second. No
//! periodic LACPDUs are sent and partners do not time out (a port whose
//! link fails forgets its partner). A port that never heard a LACPDU is
//! "defaulted" and aggregates alone, as an individual link.

use crate::dev::bond::{Bond, SlaveLink};
use crate::dev::{DevKind, DevRef};
use crate::types::{Mac, Time};
use crate::World;
use serde::{Deserialize, Serialize};

/// LACP_STATE_* bits of a port's state (include/net/bond_3ad.h).
pub mod state {
    pub const ACTIVITY: u8 = 0x1;
    pub const TIMEOUT: u8 = 0x2;
    pub const AGGREGATION: u8 = 0x4;
    pub const SYNC: u8 = 0x8;
    pub const COLLECTING: u8 = 0x10;
    pub const DISTRIBUTING: u8 = 0x20;
    pub const DEFAULTED: u8 = 0x40;
    pub const EXPIRED: u8 = 0x80;
}

/// The slow protocols' multicast address (01:80:C2:00:00:02).
pub const SLOW_PROTO_MAC: Mac = Mac([0x01, 0x80, 0xc2, 0x00, 0x00, 0x02]);
/// AD_MAX_TX_IN_SECOND.
const MAX_TX_IN_SECOND: u8 = 3;

/// One side's parameters in a LACPDU (`struct port_params`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LacpInfo {
    pub system_priority: u16,
    pub system: Mac,
    pub key: u16,
    pub port_priority: u16,
    pub port_number: u16,
    pub state: u8,
}

/// ad_initialize_port()'s partner_admin: what a defaulted port records.
pub const PARTNER_ADMIN: LacpInfo = LacpInfo {
    system_priority: 0xffff,
    system: Mac::ZERO,
    key: 1,
    port_priority: 0xff,
    port_number: 1,
    state: 1,
};

/// A slave's 802.3ad port (`struct port`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AdPort {
    /// actor_port_number, and the id of the port's own aggregator.
    pub id: u16,
    /// The link is up (port_enabled).
    pub enabled: bool,
    /// The aggregator the port is attached to; None before its first selection.
    pub agg: Option<u16>,
    /// What the partner's last LACPDU said of itself; None: defaulted.
    pub partner: Option<LacpInfo>,
    /// actor_oper_port_state, as last computed.
    pub actor_state: u8,
    /// The partner's last LACPDU described us as we are (AD_PORT_MATCHED).
    pub matched: bool,
    /// LACPDUs sent in the current second, and when it began.
    pub tx_count: u8,
    pub tx_window: Time,
    /// A LACPDU is owed (held back by the budget).
    #[serde(default)]
    pub ntt: bool,
}

impl AdPort {
    pub fn new(id: u16) -> AdPort {
        AdPort {
            id,
            enabled: false,
            agg: None,
            partner: None,
            actor_state: 0,
            matched: false,
            tx_count: 0,
            tx_window: Time::ZERO,
            ntt: false,
        }
    }
    /// The link went down: the partner is forgotten.
    pub(crate) fn reset_partner(&mut self) {
        self.partner = None;
        self.matched = false;
    }
    /// partner_oper as the listings show it.
    pub fn partner_oper(&self) -> LacpInfo {
        self.partner.unwrap_or(PARTNER_ADMIN)
    }
    /// Can aggregate with others: a partner that said it aggregates.
    fn group(&self, actor_key: u16) -> Option<Group> {
        let p = self.partner?;
        (p.system != Mac::ZERO && p.state & state::AGGREGATION != 0)
            .then_some((actor_key, p.system, p.key))
    }
}

/// What ports must share to aggregate: actor key, partner system and key.
type Group = (u16, Mac, u16);

/// The active aggregator and how many enabled ports it has.
pub(crate) fn active_agg(b: &Bond) -> Option<(u16, usize)> {
    let a = b.ad_active?;
    let n = b
        .slaves
        .iter()
        .filter(|s| s.ad.as_ref().is_some_and(|p| p.enabled && p.agg == Some(a)))
        .count();
    Some((a, n))
}

/// The active aggregator's info (bond_3ad_get_active_agg_info): id, ports,
/// actor key, partner key, partner system.
pub fn active_agg_info(w: &World, r: DevRef, b: &Bond) -> Option<(u16, usize, u16, u16, Mac)> {
    let (a, n) = active_agg(b)?;
    let port = b
        .slaves
        .iter()
        .find(|s| s.ad.as_ref().is_some_and(|p| p.agg == Some(a)))?;
    let p = port.ad.as_ref()?;
    let key = actor_key(w, r, b, port.ifindex);
    let partner = p.partner_oper();
    let (pkey, psys) = match p.partner {
        Some(_) => (partner.key, partner.system),
        None => (0, Mac::ZERO),
    };
    Some((a, n, key, pkey, psys))
}

/// The speed (Mb/s) and duplex a device reports through ethtool: a veth
/// 10000 full (veth_get_link_ksettings), a tap 10 full; others unknown.
pub fn link_ksettings(w: &World, r: DevRef) -> Option<(u32, bool)> {
    match w.dev(r)?.kind {
        DevKind::Veth { .. } => Some((10000, true)),
        DevKind::Tun { .. } => Some((10, true)),
        _ => None,
    }
}

/// The port key: the user's key, the speed class and full duplex
/// (ad_update_actor_keys(): key << 6 | speed << 1 | duplex).
pub fn actor_key(w: &World, bond: DevRef, b: &Bond, slave: u32) -> u16 {
    let ks = link_ksettings(
        w,
        DevRef {
            ns: bond.ns,
            ifindex: slave,
        },
    );
    // enum ad_link_speed_type.
    let speed: u16 = match ks.map(|k| k.0) {
        Some(1) => 1,
        Some(10) => 2,
        Some(100) => 3,
        Some(1000) => 4,
        Some(2500) => 5,
        Some(5000) => 6,
        Some(10000) => 7,
        _ => 0,
    };
    let duplex = u16::from(ks.is_some_and(|k| k.1));
    (b.params.ad_user_port_key << 6) | (speed << 1) | duplex
}

/// The actor's system: ad_actor_system when set, the bond's address otherwise.
pub fn actor_system(w: &World, bond: DevRef, b: &Bond) -> Mac {
    if b.params.ad_actor_system != Mac::ZERO {
        b.params.ad_actor_system
    } else {
        w.dev(bond).map(|d| d.mac).unwrap_or(Mac::ZERO)
    }
}

impl World {
    /// What this port says of itself in a LACPDU.
    fn ad_actor(&self, br: DevRef, slave: u32) -> Option<LacpInfo> {
        let DevKind::Bond(b) = &self.dev(br)?.kind else {
            return None;
        };
        let s = b.slave(slave)?;
        let p = s.ad.as_ref()?;
        Some(LacpInfo {
            system_priority: b.params.ad_actor_sys_prio,
            system: actor_system(self, br, b),
            key: actor_key(self, br, b, slave),
            port_priority: 0xff,
            port_number: p.id,
            state: p.actor_state,
        })
    }

    /// ad_port_selection_logic() and ad_agg_selection_logic(): ports with
    /// the same key and partner share the lowest aggregator among them;
    /// the active aggregator is chosen; each port's state follows. Ports
    /// whose state changed send a LACPDU.
    pub(crate) fn bond_3ad_select(&mut self, br: DevRef) {
        let Some(DevKind::Bond(b)) = self.dev(br).map(|d| &d.kind) else {
            return;
        };
        let keys: Vec<u16> = b
            .slaves
            .iter()
            .map(|s| actor_key(self, br, b, s.ifindex))
            .collect();
        let speeds: Vec<u32> = b
            .slaves
            .iter()
            .map(|s| {
                link_ksettings(
                    self,
                    DevRef {
                        ns: br.ns,
                        ifindex: s.ifindex,
                    },
                )
                .map_or(0, |k| k.0)
            })
            .collect();
        let DevKind::Bond(b) = &mut self.dev_mut(br).unwrap().kind else {
            return;
        };
        // Port selection (ad_port_selection_logic), in slave order: a port
        // stays on its aggregator while that still suits it; the others
        // join their group's aggregator, or take the first free one.
        let groups: Vec<Option<Group>> = b
            .slaves
            .iter()
            .enumerate()
            .map(|(i, s)| s.ad.as_ref().and_then(|p| p.group(keys[i])))
            .collect();
        let mut used: Vec<(u16, Option<Group>)> = Vec::new();
        let mut unplaced = Vec::new();
        for (i, s) in b.slaves.iter_mut().enumerate() {
            let Some(p) = s.ad.as_mut().filter(|p| p.enabled) else {
                continue;
            };
            let g = groups[i];
            let keep = p.agg.is_some_and(|a| match used.iter().find(|u| u.0 == a) {
                Some(u) => g.is_some() && u.1 == g,
                None => g.is_none() || !used.iter().any(|u| u.1 == g),
            });
            if keep {
                let a = p.agg.unwrap();
                if !used.iter().any(|u| u.0 == a) {
                    used.push((a, g));
                }
            } else {
                unplaced.push(i);
            }
        }
        let ids: Vec<u16> = b
            .slaves
            .iter()
            .filter_map(|s| s.ad.as_ref().map(|p| p.id))
            .collect();
        for i in unplaced {
            let g = groups[i];
            let own = b.slaves[i].ad.as_ref().unwrap().id;
            let a = match used.iter().find(|u| g.is_some() && u.1 == g) {
                Some(u) => u.0,
                None => {
                    let free = |a: &u16| !used.iter().any(|u| u.0 == *a);
                    let a = if free(&own) {
                        own
                    } else {
                        ids.iter().copied().find(free).unwrap_or(own)
                    };
                    used.push((a, g));
                    a
                }
            };
            b.slaves[i].ad.as_mut().unwrap().agg = Some(a);
        }
        // Aggregator selection: (partnered, bandwidth or count, lowest id).
        let mut aggs: Vec<(u16, bool, u64, usize)> = Vec::new();
        for (i, s) in b.slaves.iter().enumerate() {
            let Some(p) = s.ad.as_ref().filter(|p| p.enabled) else {
                continue;
            };
            let a = p.agg.unwrap();
            let partnered = p.group(keys[i]).is_some();
            match aggs.iter_mut().find(|x| x.0 == a) {
                Some(x) => {
                    x.2 += speeds[i] as u64;
                    x.3 += 1;
                }
                None => aggs.push((a, partnered, speeds[i] as u64, 1)),
            }
        }
        let count = b.params.ad_select == 2;
        let score = |x: &(u16, bool, u64, usize)| {
            (
                x.1,
                if count { x.3 as u64 } else { x.2 },
                x.3,
                u16::MAX - x.0,
            )
        };
        let best = aggs.iter().max_by_key(|x| score(x)).copied();
        let curr = b
            .ad_active
            .and_then(|a| aggs.iter().find(|x| x.0 == a).copied());
        b.ad_active = match (curr, best) {
            // stable: the active one stays while it is as good a kind.
            (Some(c), Some(n)) if b.params.ad_select == 0 && c.1 >= n.1 => Some(c.0),
            (Some(c), Some(n)) if score(&c) >= score(&n) => Some(c.0),
            (_, n) => n.map(|x| x.0),
        };
        let active = b.ad_active;
        let base = state::AGGREGATION
            | if b.params.lacp_active != 0 {
                state::ACTIVITY
            } else {
                0
            }
            | if b.params.lacp_fast != 0 {
                state::TIMEOUT
            } else {
                0
            };
        let mut send = Vec::new();
        for s in &mut b.slaves {
            let link_up = s.link == SlaveLink::Up;
            let Some(p) = s.ad.as_mut() else { continue };
            let mut st = base;
            if p.partner.is_none() {
                st |= state::DEFAULTED;
            }
            let in_active = p.enabled && p.agg.is_some() && p.agg == active;
            if in_active {
                st |= state::SYNC;
                let partner_sync = p.partner.is_none_or(|q| q.state & state::SYNC != 0);
                if partner_sync {
                    st |= state::COLLECTING | state::DISTRIBUTING;
                }
            }
            // __enable_port()/__disable_port(): only distributing ports carry traffic.
            s.backup = !(in_active && st & state::DISTRIBUTING != 0 && link_up);
            if st != p.actor_state {
                p.actor_state = st;
                if p.enabled {
                    send.push(s.ifindex);
                }
            }
        }
        for i in send {
            self.bond_3ad_send(br, i);
        }
    }

    /// ad_lacpdu_send(): a LACPDU leaves the slave from its own permanent address.
    pub(crate) fn bond_3ad_send(&mut self, br: DevRef, slave: u32) {
        let now = self.now;
        let Some(actor) = self.ad_actor(br, slave) else {
            return;
        };
        let DevKind::Bond(b) = &mut self.dev_mut(br).unwrap().kind else {
            return;
        };
        let Some(s) = b.slaves.iter_mut().find(|s| s.ifindex == slave) else {
            return;
        };
        let src = s.perm_hwaddr;
        let p = s.ad.as_mut().unwrap();
        if !p.enabled {
            return;
        }
        if now.saturating_sub(p.tx_window) >= Time::from_secs(1) {
            p.tx_window = now;
            p.tx_count = 0;
        }
        if p.tx_count >= MAX_TX_IN_SECOND {
            // Held back until the next second (need-to-transmit stays set).
            if !p.ntt {
                p.ntt = true;
                let at = p.tx_window + Time::from_secs(1);
                self.schedule(
                    at,
                    crate::world::Event::BondNtt {
                        ns: br.ns,
                        bond: br.ifindex,
                    },
                );
            }
            return;
        }
        p.tx_count += 1;
        p.ntt = false;
        let partner = p.partner_oper();
        let mut f = self.take_buf();
        f.extend_from_slice(&SLOW_PROTO_MAC.0);
        f.extend_from_slice(&src.0);
        f.extend_from_slice(&[0x88, 0x09]);
        f.extend_from_slice(&lacpdu(&actor, &partner));
        let r = DevRef {
            ns: br.ns,
            ifindex: slave,
        };
        self.made(br.ns, |w| w.dev_queue_xmit(r, f));
    }

    /// The budget's second is over: the ports that owe a LACPDU send it.
    pub(crate) fn bond_3ad_ntt(&mut self, br: DevRef) {
        let owed: Vec<u32> = match self.dev(br).map(|d| &d.kind) {
            Some(DevKind::Bond(b)) => b
                .slaves
                .iter()
                .filter(|s| s.ad.as_ref().is_some_and(|p| p.ntt))
                .map(|s| s.ifindex)
                .collect(),
            _ => return,
        };
        for i in owed {
            if let Some(DevKind::Bond(b)) = self.dev_mut(br).map(|d| &mut d.kind) {
                if let Some(p) = b
                    .slaves
                    .iter_mut()
                    .find(|s| s.ifindex == i)
                    .and_then(|s| s.ad.as_mut())
                {
                    p.ntt = false;
                }
            }
            self.bond_3ad_send(br, i);
        }
    }

    /// bond_3ad_lacpdu_recv() → ad_rx_machine(CURRENT): the partner is
    /// recorded (__record_pdu); its sync counts only when it described us
    /// as we are.
    pub(crate) fn bond_3ad_rx(&mut self, br: DevRef, slave: u32, pdu: &[u8]) {
        let Some((actor_of_peer, partner_of_peer)) = parse_lacpdu(pdu) else {
            return;
        };
        let Some(me) = self.ad_actor(br, slave) else {
            return;
        };
        let matched = partner_of_peer.system == me.system
            && partner_of_peer.system_priority == me.system_priority
            && partner_of_peer.key == me.key
            && partner_of_peer.port_number == me.port_number
            && partner_of_peer.port_priority == me.port_priority
            && partner_of_peer.state & state::AGGREGATION == me.state & state::AGGREGATION;
        let DevKind::Bond(b) = &mut self.dev_mut(br).unwrap().kind else {
            return;
        };
        let Some(p) = b
            .slaves
            .iter_mut()
            .find(|s| s.ifindex == slave)
            .and_then(|s| s.ad.as_mut())
        else {
            return;
        };
        if !p.enabled {
            return;
        }
        let mut rec = actor_of_peer;
        if !matched {
            rec.state &= !state::SYNC;
        }
        let stale = !matched;
        p.partner = Some(rec);
        p.matched = matched;
        let before = p.actor_state;
        self.bond_3ad_select(br);
        // Need-to-transmit when the partner has us wrong and selection did
        // not already send (its state unchanged).
        let after = self
            .dev(br)
            .and_then(|d| match &d.kind {
                DevKind::Bond(b) => b.slave(slave)?.ad.as_ref().map(|p| p.actor_state),
                _ => None,
            })
            .unwrap_or(before);
        if stale && after == before {
            self.bond_3ad_send(br, slave);
        }
        self.refresh_carriers(br.ns);
    }
}

/// A LACPDU's 110 bytes after the Ethernet header (IEEE 802.1AX §6.4.2):
/// subtype and version, the actor and partner TLVs, the collector TLV,
/// the terminator and its padding.
pub fn lacpdu(actor: &LacpInfo, partner: &LacpInfo) -> Vec<u8> {
    let mut v = vec![0x01, 0x01];
    for (t, i) in [(1u8, actor), (2u8, partner)] {
        v.extend_from_slice(&[t, 20]);
        v.extend_from_slice(&i.system_priority.to_be_bytes());
        v.extend_from_slice(&i.system.0);
        v.extend_from_slice(&i.key.to_be_bytes());
        v.extend_from_slice(&i.port_priority.to_be_bytes());
        v.extend_from_slice(&i.port_number.to_be_bytes());
        v.push(i.state);
        v.extend_from_slice(&[0; 3]);
    }
    // Collector: max delay 0 (AD_COLLECTOR_MAX_DELAY), 12 reserved bytes.
    v.extend_from_slice(&[3, 16, 0, 0]);
    v.extend_from_slice(&[0; 12]);
    // Terminator and 50 reserved bytes.
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&[0; 50]);
    v
}

/// The actor and partner of a LACPDU (subtype 1, the two TLVs where they belong).
pub fn parse_lacpdu(p: &[u8]) -> Option<(LacpInfo, LacpInfo)> {
    if p.len() < 110 || p[0] != 1 || p[2] != 1 || p[3] != 20 || p[22] != 2 || p[23] != 20 {
        return None;
    }
    let info = |b: &[u8]| LacpInfo {
        system_priority: u16::from_be_bytes([b[0], b[1]]),
        system: Mac([b[2], b[3], b[4], b[5], b[6], b[7]]),
        key: u16::from_be_bytes([b[8], b[9]]),
        port_priority: u16::from_be_bytes([b[10], b[11]]),
        port_number: u16::from_be_bytes([b[12], b[13]]),
        state: b[14],
    };
    Some((info(&p[4..19]), info(&p[24..39])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lacpdu_round_trips_and_has_the_standard_length() {
        let a = LacpInfo {
            system_priority: 65535,
            system: Mac([2, 0, 0, 0, 0, 1]),
            key: 15,
            port_priority: 255,
            port_number: 1,
            state: 0x3d,
        };
        let b = PARTNER_ADMIN;
        let pdu = lacpdu(&a, &b);
        assert_eq!(pdu.len(), 110);
        // Actor TLV: type 1, length 20, then system priority 0xffff.
        assert_eq!(&pdu[2..6], &[1, 20, 0xff, 0xff]);
        // The actor's state byte sits at offset 18.
        assert_eq!(pdu[18], 0x3d);
        assert_eq!(parse_lacpdu(&pdu), Some((a, b)));
        assert_eq!(parse_lacpdu(&pdu[..100]), None);
    }
}
