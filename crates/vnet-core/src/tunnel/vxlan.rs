//! vxlan devices as drivers/net/vxlan/vxlan_core.c has them: an Ethernet
//! device whose frames leave in UDP/IPv4 (`vxlan_xmit` → `vxlan_xmit_one`),
//! a forwarding database of remote MACs and the VTEPs behind them
//! (`vxlan_fdb_*`, learned by `vxlan_snoop`, the all-zeros entry floods),
//! and the UDP receive hook that takes frames back out (`vxlan_rcv`).
//!
//! Read first: `vxlan` (the header), then `vxlan_xmit` and `vxlan_rcv`.
//! IPv4 underlay only; no VNI filtering, no GBP/GPE, no ARP proxy (`proxy`,
//! `rsc`, `l2miss` and `l3miss` are kept and shown but change nothing).

use crate::dev::{DevKind, DevRef, Device};
use crate::error::{Errno, KResult, KernelError};
use crate::flow::Flowi4;
use crate::ipv4::fib::RouteType;
use crate::ipv4::route::OutRoute;
use crate::trace::{DropReason, Trace};
use crate::types::{Mac, NsId, Time};
use crate::wire::ipv4::{Ipv4Hdr, IPV4_HLEN};
use crate::wire::vxlan::{self as hdr, HEADER_LEN};
use crate::wire::ETH_HLEN;
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// Seconds a learned entry lives without traffic (FDB_AGE_DEFAULT).
pub const FDB_AGE_DEFAULT: u32 = 300;

/// The configuration `ip link add ... type vxlan` gives (struct vxlan_config).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VxlanConfig {
    pub vni: u32,
    /// `remote` (unicast) or `group` (multicast): the default destination.
    pub remote: Option<Ipv4Addr>,
    pub local: Option<Ipv4Addr>,
    /// The lower device (`dev PHYS`), 0 for none.
    pub link: u32,
    pub dstport: u16,
    pub port_min: u16,
    pub port_max: u16,
    pub learning: bool,
    pub proxy: bool,
    pub rsc: bool,
    pub l2miss: bool,
    pub l3miss: bool,
    /// 0 is "auto" (ip4_dst_hoplimit; 1 towards a group).
    pub ttl: u8,
    pub ttl_inherit: bool,
    /// 1 is "inherit" (the inner packet's).
    pub tos: u8,
    /// VXLAN_DF_UNSET, _SET, _INHERIT.
    pub df: u8,
    pub ageing: u32,
    pub maxaddr: u32,
    pub udpcsum: bool,
    pub udp6zerocsumtx: bool,
    pub udp6zerocsumrx: bool,
}

impl Default for VxlanConfig {
    fn default() -> Self {
        VxlanConfig {
            vni: 0,
            remote: None,
            local: None,
            link: 0,
            dstport: hdr::LINUX_DEFAULT_PORT,
            port_min: 0,
            port_max: 0,
            learning: true,
            proxy: false,
            rsc: false,
            l2miss: false,
            l3miss: false,
            ttl: 0,
            ttl_inherit: false,
            tos: 0,
            df: 0,
            ageing: FDB_AGE_DEFAULT,
            maxaddr: 0,
            udpcsum: true,
            udp6zerocsumtx: false,
            udp6zerocsumrx: false,
        }
    }
}

/// One remote of an fdb entry (struct vxlan_rdst): port, VNI and device
/// are the device's defaults when zero/None.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VxlanRdst {
    pub ip: Ipv4Addr,
    pub port: u16,
    pub vni: Option<u32>,
    pub ifindex: u32,
}

/// NUD state of an fdb entry as `bridge fdb` shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FdbState {
    /// NUD_PERMANENT (configured; the default entry).
    Permanent,
    /// NUD_REACHABLE: learned or added `dynamic`; ages out.
    Reachable,
}

/// An fdb entry (struct vxlan_fdb): a MAC and its remotes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VxlanFdb {
    pub mac: Mac,
    pub state: FdbState,
    pub updated: Time,
    pub used: Time,
    pub remotes: Vec<VxlanRdst>,
}

/// A vxlan device's state.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Vxlan {
    pub cfg: VxlanConfig,
    /// The namespace whose UDP socket it uses (vxlan->net): where it was created.
    pub net: NsId,
    /// Entries newest first, as the kernel's fdb list dumps them.
    pub fdb: Vec<VxlanFdb>,
    /// tso_max_size, inherited from the lower device.
    pub tso_max_size: u32,
}

/// What `bridge fdb add|append|replace|del` asks of a vxlan fdb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdbOp {
    Add,
    Append,
    Replace,
    Del,
}

impl Vxlan {
    fn find(&self, mac: Mac) -> Option<usize> {
        self.fdb.iter().position(|f| f.mac == mac)
    }
}

/// Flow hash of an inner frame, the same for both directions of a flow
/// (the flow dissector's keys are put in order before hashing, as
/// __flow_hash_consistentify() does).
fn flow_hash(frame: &[u8], seed: u32) -> u32 {
    let mut a: u32;
    let mut b: u32;
    let mut ports = 0u32;
    let mut proto = 0u32;
    if frame.len() >= ETH_HLEN + IPV4_HLEN && frame[12..14] == [0x08, 0x00] {
        let iph = Ipv4Hdr::new_unchecked(&frame[ETH_HLEN..]);
        a = iph.src().to_bits();
        b = iph.dst().to_bits();
        proto = iph.protocol() as u32;
        let l4 = iph.payload();
        // Ports only from a first fragment's TCP or UDP header.
        if matches!(iph.protocol(), 6 | 17) && iph.frag_offset() == 0 && l4.len() >= 4 {
            let (mut s, mut d) = (
                u16::from_be_bytes([l4[0], l4[1]]),
                u16::from_be_bytes([l4[2], l4[3]]),
            );
            if a > b || (a == b && s > d) {
                std::mem::swap(&mut s, &mut d);
            }
            ports = (s as u32) << 16 | d as u32;
        }
    } else if frame.len() >= 14 {
        // No L3 keys (ARP and the rest): the protocol alone.
        a = u16::from_be_bytes([frame[12], frame[13]]) as u32;
        b = 0;
    } else {
        return 0;
    }
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    // A jhash-like mix of the keys with the seed.
    let mut h = seed ^ 0xdead_beef;
    for k in [a, b, ports, proto] {
        h = (h ^ k).wrapping_mul(0x9e37_79b1);
        h ^= h >> 15;
        h = h.wrapping_mul(0x85eb_ca77);
        h ^= h >> 13;
    }
    h
}

/// udp_flow_src_port(): a source port from the inner flow's hash, in the
/// device's range or else net.ipv4.ip_local_port_range.
fn udp_flow_src_port(hash: u32, min: u16, max: u16, local: (u16, u16)) -> u16 {
    let (min, max) = if min >= max { local } else { (min, max) };
    let h = hash ^ (hash << 16);
    ((((h as u64) * ((max - min) as u64)) >> 32) as u16).wrapping_add(min)
}

impl World {
    pub fn vxlan(&self, r: DevRef) -> Option<&Vxlan> {
        match &self.dev(r)?.kind {
            DevKind::Vxlan(v) => Some(v),
            _ => None,
        }
    }
    fn vxlan_mut(&mut self, r: DevRef) -> Option<&mut Vxlan> {
        match &mut self.dev_mut(r)?.kind {
            DevKind::Vxlan(v) => Some(v),
            _ => None,
        }
    }

    /// vxlan_newlink(): validates the configuration (vxlan_config_validate),
    /// registers the device (MTU from the lower device, vxlan_config_apply)
    /// and the default fdb entry for `remote`/`group`.
    pub fn vxlan_newlink(
        &mut self,
        ns: NsId,
        name: &str,
        cfg: VxlanConfig,
        mac: Option<Mac>,
        mtu: Option<u32>,
    ) -> KResult<u32> {
        self.check_name(ns, name)?;
        let clash = self.ns(ns).devs.values().any(|d| match &d.kind {
            DevKind::Vxlan(v) => {
                v.net == ns && v.cfg.vni == cfg.vni && v.cfg.dstport == cfg.dstport
            }
            _ => false,
        });
        if clash {
            return Err(KernelError::ext(
                Errno::EEXIST,
                "A VXLAN device with the specified VNI already exists",
            ));
        }
        let lower = (cfg.link != 0)
            .then(|| self.ns(ns).dev(cfg.link))
            .flatten()
            .map(|d| (d.mtu, lower_tso(d)));
        if cfg.link != 0 && lower.is_none() {
            return Err(Errno::ENODEV.into());
        }
        let max_mtu = lower.map(|(m, _)| m.saturating_sub(hdr::HEADROOM).max(68));
        let mtu = match (mtu, max_mtu) {
            (Some(m), _) if m < 68 => {
                return Err(KernelError::ext(
                    Errno::EINVAL,
                    "mtu less than device minimum",
                ))
            }
            // vxlan_config_apply(): no more than the lower device leaves room for.
            (Some(m), Some(max)) => m.min(max),
            (Some(m), None) => m,
            (None, Some(max)) => max,
            (None, None) => 1500,
        };
        let idx = self.ns_mut(ns).alloc_ifindex(None);
        let m = mac.unwrap_or_else(|| self.rng.mac());
        let mut fdb = Vec::new();
        if let Some(ip) = cfg.remote {
            fdb.push(VxlanFdb {
                mac: Mac::ZERO,
                state: FdbState::Permanent,
                updated: self.now,
                used: self.now,
                remotes: vec![VxlanRdst {
                    ip,
                    port: 0,
                    vni: None,
                    ifindex: cfg.link,
                }],
            });
        }
        let v = Vxlan {
            cfg,
            net: ns,
            fdb,
            tso_max_size: lower.map(|(_, t)| t).unwrap_or(65536),
        };
        let mut d = Device::new(idx, name, DevKind::Vxlan(Box::new(v)), m);
        d.mac_set = mac.is_some();
        d.mtu = mtu;
        self.ns_mut(ns).list_netdevice(Box::new(d));
        Ok(idx)
    }

    /// The largest MTU a vxlan device may take (vxlan_change_mtu): the
    /// lower device's less the headroom, else ETH_MAX_MTU.
    pub(crate) fn vxlan_max_mtu(&self, r: DevRef) -> Option<u32> {
        let v = self.vxlan(r)?;
        let link = v.cfg.link;
        if link == 0 {
            return Some(65535);
        }
        let m = self.ns(v.net).dev(link).map(|d| d.mtu).unwrap_or(1500);
        Some(m.saturating_sub(hdr::HEADROOM))
    }

    // ---- fdb --------------------------------------------------------------

    /// vxlan_fdb_add()/_append()/_replace()/vxlan_fdb_delete() for `bridge fdb`.
    pub fn vxlan_fdb_op(
        &mut self,
        r: DevRef,
        op: FdbOp,
        mac: Mac,
        rd: VxlanRdst,
        dst_given: bool,
        state: FdbState,
    ) -> KResult<()> {
        let now = self.now;
        let v = self.vxlan_mut(r).ok_or(Errno::EOPNOTSUPP)?;
        let cur = v.find(mac);
        match op {
            FdbOp::Del => {
                let i = cur.ok_or(Errno::ENOENT)?;
                if dst_given {
                    let f = &mut v.fdb[i];
                    let k = f
                        .remotes
                        .iter()
                        .position(|x| x.ip == rd.ip && (rd.port == 0 || x.port == rd.port))
                        .ok_or(Errno::ENOENT)?;
                    f.remotes.remove(k);
                    if !f.remotes.is_empty() {
                        return Ok(());
                    }
                }
                v.fdb.remove(i);
                Ok(())
            }
            _ => {
                if let Some(i) = cur {
                    let f = &mut v.fdb[i];
                    match op {
                        FdbOp::Add => return Err(Errno::EEXIST.into()),
                        FdbOp::Append => {
                            if !f.remotes.contains(&rd) {
                                f.remotes.push(rd);
                            }
                        }
                        _ => f.remotes[0] = rd,
                    }
                    f.state = state;
                    f.updated = now;
                    return Ok(());
                }
                if v.cfg.maxaddr != 0 && v.fdb.len() as u32 >= v.cfg.maxaddr {
                    return Err(Errno::ENOSPC.into());
                }
                v.fdb.insert(
                    0,
                    VxlanFdb {
                        mac,
                        state,
                        updated: now,
                        used: now,
                        remotes: vec![rd],
                    },
                );
                Ok(())
            }
        }
    }

    /// The entries `bridge fdb show` lists for a vxlan device (learned ones
    /// that aged out are gone, as vxlan_cleanup() would have removed them).
    pub fn vxlan_fdb_entries(&self, r: DevRef) -> Vec<VxlanFdb> {
        let Some(v) = self.vxlan(r) else {
            return Vec::new();
        };
        v.fdb
            .iter()
            .filter(|f| !self.vxlan_fdb_expired(v, f))
            .cloned()
            .collect()
    }

    fn vxlan_fdb_expired(&self, v: &Vxlan, f: &VxlanFdb) -> bool {
        f.state == FdbState::Reachable
            && self.now >= f.updated + Time::from_secs(v.cfg.ageing as u64)
    }

    /// vxlan_snoop(): learn (or move) the sender's MAC behind the outer
    /// source address. False when the frame must be dropped: a static
    /// entry does not migrate.
    fn vxlan_snoop(&mut self, r: DevRef, src_mac: Mac, src_ip: Ipv4Addr) -> bool {
        let now = self.now;
        let Some(v) = self.vxlan(r) else { return false };
        if let Some(i) = v.find(src_mac) {
            let expired = self.vxlan_fdb_expired(v, &v.fdb[i]);
            let v = self.vxlan_mut(r).unwrap();
            let f = &mut v.fdb[i];
            if f.remotes.first().is_some_and(|rd| rd.ip == src_ip) {
                f.used = now;
                if f.state == FdbState::Reachable {
                    f.updated = now;
                }
                return true;
            }
            if f.state == FdbState::Permanent && !expired {
                return false;
            }
            f.remotes.truncate(1);
            f.remotes[0] = VxlanRdst {
                ip: src_ip,
                port: 0,
                vni: None,
                ifindex: 0,
            };
            f.updated = now;
            return true;
        }
        let v = self.vxlan_mut(r).unwrap();
        if v.cfg.maxaddr != 0 && v.fdb.len() as u32 >= v.cfg.maxaddr {
            return true;
        }
        v.fdb.insert(
            0,
            VxlanFdb {
                mac: src_mac,
                state: FdbState::Reachable,
                updated: now,
                used: now,
                remotes: vec![VxlanRdst {
                    ip: src_ip,
                    port: 0,
                    vni: None,
                    ifindex: 0,
                }],
            },
        );
        self.trace(|| Trace::FdbLearn {
            ns: r.ns,
            bridge: String::new(),
            mac: src_mac,
            port: String::new(),
        });
        true
    }

    // ---- transmit ---------------------------------------------------------

    /// vxlan_xmit(): find the destination MAC's entry (else the all-zeros
    /// one, which floods) and send a copy to each of its remotes.
    pub(crate) fn vxlan_xmit(&mut self, r: DevRef, frame: &[u8]) {
        let now = self.now;
        let Some(v) = self.vxlan(r) else { return };
        if frame.len() < 14 {
            return;
        }
        let dst = Mac(frame[0..6].try_into().unwrap());
        let mut fi = v
            .find(dst)
            .filter(|&i| !self.vxlan_fdb_expired(v, &v.fdb[i]));
        if fi.is_none() {
            fi = v.find(Mac::ZERO);
        }
        let Some(fi) = fi else {
            // No target: counted and dropped (SKB_DROP_REASON_NO_TX_TARGET).
            self.dev_mut(r).unwrap().stats.tx_dropped += 1;
            self.drop_pkt(r.ns, Some(r.ifindex), DropReason::VxlanNoTarget);
            return;
        };
        self.vxlan_mut(r).unwrap().fdb[fi].used = now;
        // By index: each send needs the world mutably, and copying the
        // remote list would allocate per packet.
        let mut k = 0;
        while let Some(rd) = self
            .vxlan(r)
            .and_then(|v| v.fdb.get(fi)?.remotes.get(k).copied())
        {
            self.vxlan_xmit_one(r, rd, frame);
            k += 1;
        }
    }

    /// vxlan_xmit_one(): the outer UDP/IPv4 headers for one remote.
    fn vxlan_xmit_one(&mut self, r: DevRef, rd: VxlanRdst, frame: &[u8]) {
        let v = self.vxlan(r).unwrap();
        let c = &v.cfg;
        let net = v.net;
        if rd.ip.is_unspecified() {
            self.dev_mut(r).unwrap().stats.tx_dropped += 1;
            self.drop_pkt(r.ns, Some(r.ifindex), DropReason::VxlanNoTarget);
            return;
        }
        let port = if rd.port != 0 { rd.port } else { c.dstport };
        let vni = rd.vni.unwrap_or(c.vni);
        let ifindex = if rd.ifindex != 0 { rd.ifindex } else { c.link };
        let inner_ip = (frame.len() >= ETH_HLEN + IPV4_HLEN && frame[12..14] == [0x08, 0x00])
            .then(|| Ipv4Hdr::new_unchecked(&frame[ETH_HLEN..]));
        let inner_tos = inner_ip.map(|h| h.tos()).unwrap_or(0);
        let mut tos = if c.tos == 1 { inner_tos } else { c.tos };
        // ip_tunnel_ecn_encap(): the outer ECN follows the inner (CE → ECT(0)).
        let ecn = match inner_tos & 3 {
            3 => 2,
            e => e,
        };
        tos = (tos & !3) | ecn;
        let mut ttl = c.ttl;
        if c.ttl_inherit {
            ttl = inner_ip.map(|h| h.ttl()).unwrap_or(0);
        }
        if ttl == 0 && rd.ip.is_multicast() {
            ttl = 1;
        }
        let df = match c.df {
            1 => true,
            2 => inner_ip.is_some_and(|h| h.dont_frag()),
            _ => false,
        };
        let (pmin, pmax) = (c.port_min, c.port_max);
        let udpcsum = c.udpcsum;
        // One seed per host (the flow dissector's hashrnd is per boot), so
        // both directions of a flow leave with the same source port.
        let hash = flow_hash(frame, self.host_of(net) as u32);
        let local = c.local;
        let oif = (ifindex != 0).then_some(ifindex);
        let rt: OutRoute = match self.route_output(net, &Flowi4::output(rd.ip, local, oif)) {
            Ok(rt)
                if matches!(
                    rt.rtype,
                    RouteType::Unicast | RouteType::Local | RouteType::Multicast
                ) =>
            {
                rt
            }
            _ => {
                // vxlan_get_route() failed: a carrier error.
                let st = &mut self.dev_mut(r).unwrap().stats;
                st.tx_carrier += 1;
                st.tx_errors += 1;
                self.drop_pkt(r.ns, Some(r.ifindex), DropReason::TunnelNoRoute);
                return;
            }
        };
        if net == r.ns && rt.dev == r.ifindex {
            // The route to the remote goes through the device itself.
            let st = &mut self.dev_mut(r).unwrap().stats;
            st.collisions += 1;
            st.tx_errors += 1;
            self.drop_pkt(r.ns, Some(r.ifindex), DropReason::TunnelLoop);
            return;
        }
        if ttl == 0 {
            ttl = self.ns(net).sysctl.default_ttl();
        }
        let range = self.ns(net).sysctl.local_port_range();
        let sport = udp_flow_src_port(hash, pmin, pmax, range);
        // The UDP payload: VXLAN header and the frame.
        let ulen = 8 + HEADER_LEN + frame.len();
        let Ok(ip) = etherparse::Ipv4Header::new(
            ulen as u16,
            ttl,
            etherparse::IpNumber::UDP,
            rt.src.octets(),
            rd.ip.octets(),
        ) else {
            self.dev_mut(r).unwrap().stats.tx_errors += 1;
            return;
        };
        let mut ip = ip;
        ip.dont_fragment = df;
        ip.identification = (self.rng.next_u64() & 0xffff) as u16;
        ip.dscp = etherparse::IpDscp::try_new(tos >> 2).unwrap_or_default();
        ip.ecn = etherparse::IpEcn::try_new(tos & 3).unwrap_or_default();
        ip.header_checksum = ip.calc_header_checksum();
        let mut p = self.take_buf();
        p.extend_from_slice(&ip.to_bytes());
        let udp_at = p.len();
        p.extend_from_slice(&sport.to_be_bytes());
        p.extend_from_slice(&port.to_be_bytes());
        p.extend_from_slice(&(ulen as u16).to_be_bytes());
        p.extend_from_slice(&[0, 0]);
        let at = p.len();
        p.resize(at + HEADER_LEN, 0);
        hdr::Repr::new(vni).emit(&mut p[at..]);
        p.extend_from_slice(frame);
        if udpcsum {
            let c = udp4_checksum(rt.src, rd.ip, &p[udp_at..]);
            p[udp_at + 6..udp_at + 8].copy_from_slice(&c.to_be_bytes());
        }
        // iptunnel_xmit_stats(): the inner frame past its Ethernet header.
        let st = &mut self.dev_mut(r).unwrap().stats;
        st.tx_packets += 1;
        st.tx_bytes += (frame.len() - 14) as u64;
        if self.tracer.is_some() {
            let dev = self.dev(r).map(|d| d.name.clone()).unwrap_or_default();
            let (s, d) = (rt.src, rd.ip);
            self.trace(|| Trace::Tunnel {
                ns: r.ns,
                dev,
                encap: true,
                outer_src: s,
                outer_dst: d,
            });
        }
        let _ = self.ip_local_out(net, p, rt, oif, crate::netfilter::hook::Skb::default());
    }

    // ---- receive ----------------------------------------------------------

    /// The vxlan socket's encap_rcv (vxlan_rcv): true when a vxlan device
    /// of namespace `ns` listens on the datagram's port (it is then
    /// consumed: decapsulated, or dropped for a bad header or unknown VNI).
    pub(crate) fn vxlan_udp_encap_rcv(&mut self, ns: NsId, pkt: &[u8], ihl: usize) -> bool {
        let Some(u) = pkt.get(ihl..ihl + 8) else {
            return false;
        };
        let port = u16::from_be_bytes([u[2], u[3]]);
        // The socket exists while a device on the port is up (vxlan_open).
        let mut listening = false;
        let mut target = None;
        let Some(h) = pkt.get(ihl + 8..).and_then(hdr::Packet::new_checked) else {
            return self.vxlan_port_open(ns, port);
        };
        let vni = h.vni();
        for d in self.ns(ns).devs.values() {
            if let DevKind::Vxlan(v) = &d.kind {
                if v.net == ns && d.up && v.cfg.dstport == port {
                    listening = true;
                    if v.cfg.vni == vni {
                        target = Some(d.ifindex);
                    }
                }
            }
        }
        if !listening {
            return false;
        }
        let Some(ifindex) = target.filter(|_| h.flags() & hdr::FLAG_I != 0) else {
            // Bad flags or a VNI nobody has: dropped in the socket.
            self.drop_pkt(ns, None, DropReason::VxlanNoVni);
            return true;
        };
        let r = DevRef { ns, ifindex };
        let inner = h.payload();
        if inner.len() < 14 {
            self.dev_mut(r).unwrap().stats.rx_errors += 1;
            return true;
        }
        let src_mac = Mac(inner[6..12].try_into().unwrap());
        let outer = Ipv4Hdr::new_unchecked(pkt);
        let src_ip = outer.src();
        let learn = self.vxlan(r).is_some_and(|v| v.cfg.learning);
        let own = self.dev(r).is_some_and(|d| d.mac == src_mac);
        let ok = !own
            && (!learn
                || src_mac.is_multicast()
                || src_mac == Mac::ZERO
                || self.vxlan_snoop(r, src_mac, src_ip));
        if !ok {
            self.dev_mut(r).unwrap().stats.rx_dropped += 1;
            self.drop_pkt(ns, Some(ifindex), DropReason::VxlanLoop);
            return true;
        }
        if self.tracer.is_some() {
            let dev = self.dev(r).map(|d| d.name.clone()).unwrap_or_default();
            let dst = outer.dst();
            self.trace(|| Trace::Tunnel {
                ns,
                dev,
                encap: false,
                outer_src: src_ip,
                outer_dst: dst,
            });
        }
        let mut f = self.take_buf();
        f.extend_from_slice(inner);
        // gro_cells_receive(): the frame comes in on the vxlan device.
        self.netif_receive(r, f);
        true
    }

    fn vxlan_port_open(&self, ns: NsId, port: u16) -> bool {
        self.ns(ns).devs.values().any(|d| match &d.kind {
            DevKind::Vxlan(v) => v.net == ns && d.up && v.cfg.dstport == port,
            _ => false,
        })
    }
}

/// tso_max_size a device passes on to a vxlan device on top of it.
fn lower_tso(d: &Device) -> u32 {
    match d.kind {
        DevKind::Veth { .. } | DevKind::Loopback => 524280,
        _ => 65536,
    }
}

/// The UDP checksum over the IPv4 pseudo-header (0 is sent as 0xffff).
fn udp4_checksum(src: Ipv4Addr, dst: Ipv4Addr, udp: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for c in src.octets().chunks(2).chain(dst.octets().chunks(2)) {
        sum += u16::from_be_bytes([c[0], c[1]]) as u32;
    }
    sum += 17 + udp.len() as u32;
    let mut it = udp.chunks_exact(2);
    for c in &mut it {
        sum += u16::from_be_bytes([c[0], c[1]]) as u32;
    }
    if let [b] = it.remainder() {
        sum += (*b as u32) << 8;
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    match !(sum as u16) {
        0 => 0xffff,
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_port_stays_in_the_range() {
        for h in [0u32, 1, 0x8000_0000, u32::MAX] {
            let p = udp_flow_src_port(h, 0, 0, (32768, 60999));
            assert!((32768..60999).contains(&p), "{p}");
            let p = udp_flow_src_port(h, 1000, 2000, (32768, 60999));
            assert!((1000..2000).contains(&p), "{p}");
        }
    }

    #[test]
    fn flow_hash_is_the_same_both_ways() {
        let mut f = vec![0u8; 14 + 28];
        f[12..14].copy_from_slice(&[0x08, 0x00]);
        f[14] = 0x45;
        f[14 + 9] = 17;
        f[14 + 12..14 + 16].copy_from_slice(&[10, 0, 0, 1]);
        f[14 + 16..14 + 20].copy_from_slice(&[10, 0, 0, 2]);
        f[34..36].copy_from_slice(&1234u16.to_be_bytes());
        f[36..38].copy_from_slice(&80u16.to_be_bytes());
        let mut g = f.clone();
        g[14 + 12..14 + 16].copy_from_slice(&[10, 0, 0, 2]);
        g[14 + 16..14 + 20].copy_from_slice(&[10, 0, 0, 1]);
        g[34..36].copy_from_slice(&80u16.to_be_bytes());
        g[36..38].copy_from_slice(&1234u16.to_be_bytes());
        assert_eq!(flow_hash(&f, 7), flow_hash(&g, 7));
        f[36..38].copy_from_slice(&81u16.to_be_bytes());
        assert_ne!(flow_hash(&f, 7), flow_hash(&g, 7));
    }

    #[test]
    fn udp_checksum_of_a_known_datagram() {
        // 192.168.0.1:45481 → 192.168.0.2:4789, 8 bytes of payload: the
        // pseudo-header and data sum to the complement of the field.
        let mut u = vec![
            0xb1, 0xa9, 0x12, 0xb5, 0x00, 0x10, 0, 0, 8, 0, 0, 0, 0, 0, 42, 0,
        ];
        let c = udp4_checksum(
            Ipv4Addr::new(192, 168, 0, 1),
            Ipv4Addr::new(192, 168, 0, 2),
            &u,
        );
        u[6..8].copy_from_slice(&c.to_be_bytes());
        assert_eq!(
            udp4_checksum(
                Ipv4Addr::new(192, 168, 0, 1),
                Ipv4Addr::new(192, 168, 0, 2),
                &u
            ),
            0xffff
        );
    }
}
