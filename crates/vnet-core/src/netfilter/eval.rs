//! ipt_do_table(): one table's chain for one hook, rule by rule, with
//! jumps, gotos and returns, counting every rule that matches and every
//! policy taken.

use super::ct::{status, Conn, CtInfo, Dir};
use super::index::Ip4Spec;
use super::rule::{
    addr_bits, ctstate, AddrMatch, ConnmarkOp, ConntrackMatch, CtDir, IpSpec, Match, MultiportKind,
    RejectWith, StatisticMode, Target, TtlMode, TtlOp,
};
use super::{Hook, Policy, Table};
use crate::types::Time;
use crate::wire::ipv4::{Ipv4Hdr, Ipv4HdrMut};
use crate::wire::ipv6;
use std::net::{IpAddr, Ipv4Addr};

/// What a table decided for a packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    Drop,
    /// Drop, answering with an ICMP error or a TCP reset.
    Reject(RejectWith),
    /// A NAT target fired (nat table only): bind the connection with it.
    Nat(Target),
}

/// Conntrack as a rule sees it.
pub enum CtView<'a> {
    /// No conntrack entry: the packet is INVALID.
    Invalid,
    Untracked,
    Tracked {
        conn: &'a mut Conn,
        info: CtInfo,
    },
    /// An IPv6 connection: the state, status and mark matches read it; the
    /// tuple matches (IPv4 addresses) do not match it.
    Tracked6 {
        conn: &'a mut Conn<std::net::Ipv6Addr>,
        info: CtInfo,
    },
}

/// A packet with what the hooks know about it (the parts of the skb and
/// of `struct xt_action_param` that rules read or write).
pub struct Pkt<'a> {
    /// The IPv4 or IPv6 packet, from its IP header on (targets like TTL
    /// and TOS rewrite it). The version nibble says which.
    pub data: &'a mut [u8],
    pub indev: &'a str,
    pub outdev: &'a str,
    /// The path MTU TCPMSS clamps to (0 before routing), computed when asked.
    pub path_mtu: &'a dyn Fn() -> u32,
    pub mark: &'a mut u32,
    pub ct: CtView<'a>,
    /// PACKET_HOST/BROADCAST/MULTICAST (input only).
    pub pkt_type: u8,
    /// The Ethernet header it arrived with (input only).
    pub mac: Option<&'a [u8]>,
    pub now: Time,
    /// RTN_* type of an address in this namespace (for addrtype).
    pub addr_type: &'a dyn Fn(Ipv4Addr) -> u8,
    /// Lines LOG produced (without the dmesg timestamp).
    pub logs: &'a mut Vec<String>,
    /// Set by CT --notrack.
    pub notrack: bool,
    pub zone: Option<u16>,
    /// skb->nf_trace: set by TRACE, and then every rule and policy the
    /// packet meets is reported in `traced` (nft_trace_packet).
    pub trace: bool,
    pub traced: &'a mut Vec<TraceStep>,
    /// The packet comes from a user's socket (LOG --log-uid).
    pub sk_owner: bool,
    /// Where the decisions of the walk go when someone traces (`World`'s
    /// tracer): None costs nothing.
    pub decisions: Option<&'a mut Vec<Decision>>,
}

/// One chain traversal that ended: a rule that decided, jumped, went or
/// returned, a user chain's end (an implicit return), or a built-in
/// chain's policy. What `Trace::Netfilter` reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The chain's index in the table.
    pub chain: usize,
    /// The rule's index in the chain (0-based); None at the chain's end.
    pub rule: Option<usize>,
    /// How many of the chain's rules the packet was tested against, up to
    /// and including the deciding one (the position the walk reached).
    pub tried: u32,
    /// ACCEPT, DROP, REJECT, RETURN, a NAT target's name, `jump CHAIN`,
    /// `goto CHAIN`.
    pub verdict: String,
}

/// What a traced rule or policy did (the verdict of an nft trace event).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceVerdict {
    Continue,
    Accept,
    Drop,
    Jump(String),
    Goto(String),
    Return,
}

/// One trace event of a packet in a base chain's traversal.
#[derive(Clone, Debug)]
pub struct TraceStep {
    pub chain: String,
    /// The rule's handle, or None for the base chain's policy.
    pub rule: Option<u64>,
    pub verdict: TraceVerdict,
    /// The packet as it was at the first event of the traversal (the
    /// kernel dumps its headers once per base chain): devices, link-layer
    /// header, IP and transport headers, mark.
    pub packet: Option<TracePacket>,
}

#[derive(Clone, Debug)]
pub struct TracePacket {
    pub indev: String,
    pub outdev: String,
    pub mac: Option<[u8; 14]>,
    /// The IP header and up to 20 bytes of what follows it.
    pub headers: Vec<u8>,
    pub mark: u32,
}

impl Pkt<'_> {
    /// Records the end of a chain traversal, if someone traces.
    #[inline]
    fn decide(
        &mut self,
        chain: usize,
        rule: Option<usize>,
        tried: usize,
        verdict: impl FnOnce() -> String,
    ) {
        if let Some(d) = self.decisions.as_mut() {
            d.push(Decision {
                chain,
                rule,
                tried: u32::try_from(tried).unwrap_or(u32::MAX),
                verdict: verdict(),
            });
        }
    }

    /// Records a trace event if the packet is traced.
    fn trace_step(&mut self, chain: &str, rule: Option<u64>, verdict: TraceVerdict) {
        if !self.trace {
            return;
        }
        let packet = self.traced.is_empty().then(|| TracePacket {
            indev: self.indev.to_string(),
            outdev: self.outdev.to_string(),
            mac: self
                .mac
                .filter(|m| m.len() >= 14)
                .map(|m| m[..14].try_into().unwrap_or([0; 14])),
            headers: self.data[..(self.l4_off() + 20).min(self.data.len())].to_vec(),
            mark: *self.mark,
        });
        self.traced.push(TraceStep {
            chain: chain.to_string(),
            rule,
            verdict,
            packet,
        });
    }
}

/// The header fields rules read, parsed once per table walk (the kernel
/// has them at fixed offsets in the skb; ipv6_find_hdr() is not free).
/// No target changes them: TTL, TOS and DSCP rewrite other bytes, and a NAT
/// target ends the walk.
struct Hdr {
    v6: bool,
    /// Where the transport header starts (clamped to the packet).
    l4_off: usize,
    /// The transport protocol (IPv6: after the extension headers).
    proto: u8,
    frag: u16,
    /// IPv4 addresses as numbers (0 for IPv6).
    src4: u32,
    dst4: u32,
    /// Source and destination ports, if an unfragmented header has them.
    ports: Option<(u16, u16)>,
}

impl Hdr {
    fn parse(d: &[u8]) -> Hdr {
        let v6 = d[0] >> 4 == 6;
        let (l4_off, proto, frag, src4, dst4) = if v6 {
            let (off, nh, frag) = ipv6::find_hdr(d);
            (off, nh, frag, 0, 0)
        } else {
            // A header shorter than 20 bytes never gets here (ip_rcv drops
            // it); reading it as zeros keeps this total.
            match Ipv4Hdr::new(d) {
                Some(h) => (
                    h.header_len().min(d.len()),
                    h.protocol(),
                    h.frag_offset(),
                    h.src().to_bits(),
                    h.dst().to_bits(),
                ),
                None => (0, 0, 0, 0, 0),
            }
        };
        let l4 = &d[l4_off..];
        let ports = (frag == 0 && l4.len() >= 4).then(|| {
            (
                u16::from_be_bytes([l4[0], l4[1]]),
                u16::from_be_bytes([l4[2], l4[3]]),
            )
        });
        Hdr {
            v6,
            l4_off,
            proto,
            frag,
            src4,
            dst4,
            ports,
        }
    }
}

impl Pkt<'_> {
    fn is_v6(&self) -> bool {
        self.data[0] >> 4 == 6
    }
    /// Where the transport header starts.
    fn l4_off(&self) -> usize {
        if self.is_v6() {
            ipv6::find_hdr(self.data).0
        } else {
            self.iph().header_len()
        }
    }
    /// The IPv4 header; an IPv4 packet at a hook has all 20 bytes (ip_rcv
    /// checked them, or the stack built them).
    fn iph(&self) -> Ipv4Hdr<'_> {
        Ipv4Hdr::new_unchecked(self.data)
    }
    fn l4(&self, h: &Hdr) -> &[u8] {
        &self.data[h.l4_off..]
    }
    /// The source address; an IPv6 packet has its 40 bytes of header
    /// (nf_hook6 refuses shorter ones).
    fn src(&self) -> IpAddr {
        if self.is_v6() {
            IpAddr::V6(ipv6::hdr_src(self.data))
        } else {
            IpAddr::V4(self.src4())
        }
    }
    fn dst(&self) -> IpAddr {
        if self.is_v6() {
            IpAddr::V6(ipv6::hdr_dst(self.data))
        } else {
            IpAddr::V4(self.dst4())
        }
    }
    /// The IPv4 source (for the IPv4-only matches: iprange, addrtype).
    fn src4(&self) -> Ipv4Addr {
        self.iph().src()
    }
    fn dst4(&self) -> Ipv4Addr {
        self.iph().dst()
    }
    fn conn(&self) -> Option<(&Conn, CtInfo)> {
        match &self.ct {
            CtView::Tracked { conn, info } => Some((conn, *info)),
            _ => None,
        }
    }
    /// The conntrack/state match's state bits.
    fn ctstate(&self) -> u8 {
        match &self.ct {
            CtView::Invalid => ctstate::INVALID,
            CtView::Untracked => ctstate::UNTRACKED,
            CtView::Tracked { conn, info } => ctstate_of(conn.status, *info),
            CtView::Tracked6 { conn, info } => ctstate_of(conn.status, *info),
        }
    }
    /// The connection's mark, to read or set (CONNMARK, connmark).
    fn ct_mark(&mut self) -> Option<&mut u32> {
        match &mut self.ct {
            CtView::Tracked { conn, .. } => Some(&mut conn.mark),
            CtView::Tracked6 { conn, .. } => Some(&mut conn.mark),
            _ => None,
        }
    }
}

/// The state bits of a tracked packet (xt_conntrack's state, with the
/// SNAT/DNAT pseudo-states from the status).
fn ctstate_of(st: u32, info: CtInfo) -> u8 {
    let mut s = match info {
        CtInfo::New => ctstate::NEW,
        CtInfo::Related | CtInfo::RelatedReply => ctstate::RELATED,
        _ => ctstate::ESTABLISHED,
    };
    if st & status::SRC_NAT != 0 {
        s |= ctstate::SNAT;
    }
    if st & status::DST_NAT != 0 {
        s |= ctstate::DNAT;
    }
    s
}

/// Interface match with iptables' `+` wildcard.
fn iface_match(rule: &str, dev: &str) -> bool {
    if rule.is_empty() {
        return true;
    }
    match rule.strip_suffix('+') {
        Some(prefix) => dev.starts_with(prefix),
        None => rule == dev,
    }
}

fn masked(a: Ipv4Addr, m: Ipv4Addr) -> u32 {
    u32::from(a) & u32::from(m)
}

/// Whether `a` is in `net`/`mask` (an empty mask takes any address).
fn net_match(a: IpAddr, net: IpAddr, mask: IpAddr) -> bool {
    match (a, net, mask) {
        (IpAddr::V4(a), IpAddr::V4(n), IpAddr::V4(m)) => masked(a, m) == masked(n, m),
        _ => (addr_bits(a) ^ addr_bits(net)) & addr_bits(mask) == 0,
    }
}

/// ip_packet_match() / ip6_packet_match(): the fixed part of a rule.
fn ip_match(ip: &IpSpec, p: &Pkt, h: &Hdr) -> bool {
    let inv = |bit: u8, v: bool| v ^ (ip.inv & bit != 0);
    inv(IpSpec::INV_SRCIP, net_match(p.src(), ip.src, ip.smsk))
        && inv(IpSpec::INV_DSTIP, net_match(p.dst(), ip.dst, ip.dmsk))
        && inv(IpSpec::INV_VIA_IN, iface_match(&ip.iniface, p.indev))
        && inv(IpSpec::INV_VIA_OUT, iface_match(&ip.outiface, p.outdev))
        && (ip.proto == 0 || inv(IpSpec::INV_PROTO, h.proto == ip.proto))
        && (!ip.frag || inv(IpSpec::INV_FRAG, h.frag != 0))
}

/// ip_packet_match() on the rule's compiled IPv4 form: the same tests in
/// the same order, on numbers; rules that are not all-IPv4, and IPv6
/// packets, take `ip_match`.
fn ip4_match(c: &Ip4Spec, ip: &IpSpec, p: &Pkt, h: &Hdr) -> bool {
    if c.flags & Ip4Spec::GENERIC != 0 || h.v6 {
        return ip_match(ip, p, h);
    }
    let inv = |bit: u8, v: bool| v ^ (c.inv & bit != 0);
    inv(IpSpec::INV_SRCIP, (h.src4 ^ c.src) & c.smsk == 0)
        && inv(IpSpec::INV_DSTIP, (h.dst4 ^ c.dst) & c.dmsk == 0)
        && (c.flags & Ip4Spec::IFACES == 0
            || (inv(IpSpec::INV_VIA_IN, iface_match(&ip.iniface, p.indev))
                && inv(IpSpec::INV_VIA_OUT, iface_match(&ip.outiface, p.outdev))))
        && (c.proto == 0 || inv(IpSpec::INV_PROTO, h.proto == c.proto))
        && (c.flags & Ip4Spec::FRAG == 0 || inv(IpSpec::INV_FRAG, h.frag != 0))
}

fn in_range(v: u16, r: (u16, u16)) -> bool {
    v >= r.0 && v <= r.1
}

fn addr_match(a: &Option<AddrMatch>, v: Ipv4Addr) -> bool {
    a.as_ref()
        .is_none_or(|m| (masked(v, m.mask) == masked(m.addr, m.mask)) ^ m.inv)
}

fn conntrack_match(m: &ConntrackMatch, p: &Pkt) -> bool {
    if let Some((bits, inv)) = m.state {
        if (p.ctstate() & bits != 0) == inv {
            return false;
        }
    }
    let Some((c, info)) = p.conn() else {
        // Everything but the state needs a connection.
        return m.proto.is_none()
            && m.origsrc.is_none()
            && m.origdst.is_none()
            && m.replsrc.is_none()
            && m.repldst.is_none()
            && m.origsrcport.is_none()
            && m.origdstport.is_none()
            && m.status.is_none()
            && m.expires.is_none()
            && m.dir.is_none();
    };
    let (o, r) = (&c.tuple[0], &c.tuple[1]);
    if let Some((proto, inv)) = m.proto {
        if (o.proto == proto) == inv {
            return false;
        }
    }
    if !addr_match(&m.origsrc, o.src)
        || !addr_match(&m.origdst, o.dst)
        || !addr_match(&m.replsrc, r.src)
        || !addr_match(&m.repldst, r.dst)
    {
        return false;
    }
    if let Some((range, inv)) = m.origsrcport {
        if in_range(o.sport, range) == inv {
            return false;
        }
    }
    if let Some((range, inv)) = m.origdstport {
        if in_range(o.dport, range) == inv {
            return false;
        }
    }
    if let Some((bits, inv)) = m.status {
        if (c.status & bits != 0) == inv {
            return false;
        }
    }
    if let Some(((lo, hi), inv)) = m.expires {
        let left = (c.timeout.0.saturating_sub(p.now.0) / 1_000_000_000) as u32;
        if (left >= lo && left <= hi) == inv {
            return false;
        }
    }
    if let Some(d) = m.dir {
        let want = match d {
            CtDir::Original => Dir::Original,
            CtDir::Reply => Dir::Reply,
        };
        if info.dir() != want {
            return false;
        }
    }
    true
}

/// One match extension (out of line: inlined, its many arms' setup is
/// paid on every table walk, even one that meets no match).
#[inline(never)]
fn ext_match(m: &mut Match, p: &Pkt, h: &Hdr) -> bool {
    match m {
        Match::Tcp {
            sport,
            dport,
            flags,
            option,
            inv,
        } => {
            let l4 = p.l4(h);
            if h.frag != 0 || l4.len() < 20 {
                return false;
            }
            let (sp, dp) = h.ports.unwrap_or_default();
            if in_range(sp, *sport) == (*inv & 0x01 != 0)
                || in_range(dp, *dport) == (*inv & 0x02 != 0)
            {
                return false;
            }
            if let Some((mask, cmp)) = flags {
                if ((l4[13] & *mask) == *cmp) == (*inv & 0x04 != 0) {
                    return false;
                }
            }
            if let Some(opt) = option {
                let found = tcp_has_option(l4, *opt);
                if found == (*inv & 0x08 != 0) {
                    return false;
                }
            }
            true
        }
        Match::Udp { sport, dport, inv } => {
            let Some((sp, dp)) = h.ports else {
                return false;
            };
            in_range(sp, *sport) != (*inv & 0x01 != 0) && in_range(dp, *dport) != (*inv & 0x02 != 0)
        }
        Match::Icmp { typ, code, inv } => icmp_match(p, h, *typ, *code, *inv, true),
        Match::Icmp6 { typ, code, inv } => icmp_match(p, h, *typ, *code, *inv, false),
        Match::Multiport { kind, ports, inv } => {
            let Some((sp, dp)) = h.ports else {
                return false;
            };
            let hit = ports.iter().any(|r| match kind {
                MultiportKind::Source => in_range(sp, *r),
                MultiportKind::Destination => in_range(dp, *r),
                MultiportKind::Both => in_range(sp, *r) || in_range(dp, *r),
            });
            hit != *inv
        }
        Match::Conntrack(c) => conntrack_match(c, p),
        Match::State { mask, inv } => {
            let s = p.ctstate()
                & (ctstate::INVALID
                    | ctstate::NEW
                    | ctstate::RELATED
                    | ctstate::ESTABLISHED
                    | ctstate::UNTRACKED);
            (s & *mask != 0) != *inv
        }
        Match::Mark { value, mask, inv } => ((*p.mark & *mask) == *value) != *inv,
        Match::Connmark { value, mask, inv } => match &p.ct {
            CtView::Tracked { conn, .. } => ((conn.mark & *mask) == *value) != *inv,
            CtView::Tracked6 { conn, .. } => ((conn.mark & *mask) == *value) != *inv,
            _ => false,
        },
        Match::Iprange { .. } | Match::Addrtype { .. } if h.v6 => false,
        Match::Iprange { src, dst } => {
            let within = |a: Ipv4Addr, (lo, hi, inv): (Ipv4Addr, Ipv4Addr, bool)| {
                (u32::from(a) >= u32::from(lo) && u32::from(a) <= u32::from(hi)) != inv
            };
            src.is_none_or(|r| within(p.src4(), r)) && dst.is_none_or(|r| within(p.dst4(), r))
        }
        Match::Comment(_) => true,
        Match::Addrtype {
            src,
            dst,
            inv_src,
            inv_dst,
            ..
        } => {
            let t = |a| 1u16 << (p.addr_type)(a);
            (*src == 0 || ((t(p.src4()) & *src != 0) != *inv_src))
                && (*dst == 0 || ((t(p.dst4()) & *dst != 0) != *inv_dst))
        }
        Match::Ttl { op, value } => {
            let ttl = p.ttl();
            match op {
                TtlOp::Eq => ttl == *value,
                TtlOp::Ne => ttl != *value,
                TtlOp::Lt => ttl < *value,
                TtlOp::Gt => ttl > *value,
            }
        }
        Match::Limit(l) => {
            // A token bucket in nanoseconds of allowance: one packet costs
            // the average interval, the bucket holds `burst` of them.
            let cost = u64::from(l.avg) * 100_000;
            let cap = cost * u64::from(l.burst);
            let now = p.now.0;
            l.credit = (l.credit + now.saturating_sub(l.prev)).min(cap);
            l.prev = now;
            if l.credit >= cost {
                l.credit -= cost;
                true
            } else {
                false
            }
        }
        Match::Pkttype { typ, inv } => (p.pkt_type == *typ) != *inv,
        Match::Mac { addr, inv } => match p.mac {
            Some(h) if h.len() >= 12 => (h[6..12] == addr.0) != *inv,
            _ => false,
        },
        Match::Length { min, max, inv } => {
            let len = if h.v6 {
                40 + u16::from_be_bytes([p.data[4], p.data[5]])
            } else {
                u16::from_be_bytes([p.data[2], p.data[3]])
            };
            (len >= *min && len <= *max) != *inv
        }
        Match::Tos { value, mask, inv } => (ip_tos(p, h) & *mask == *value) != *inv,
        Match::Dscp { dscp, inv } => (ip_tos(p, h) >> 2 == *dscp) != *inv,
        Match::Statistic(st) => {
            let hit = match &mut st.mode {
                StatisticMode::Random { probability, rng } => {
                    let r = crate::types::Rng(*rng).next_u64();
                    *rng = rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
                    ((r as u32) & 0x7fff_ffff) < *probability
                }
                StatisticMode::Nth { every, count, .. } => {
                    *count = if *count == *every { 0 } else { *count + 1 };
                    *count == 0
                }
            };
            hit != st.inv
        }
        Match::Tcpmss { min, max, inv } => match tcp_mss(p.l4(h)) {
            Some(mss) => (mss >= *min && mss <= *max) != *inv,
            // Not a SYN with an MSS option, or truncated: hotdrop.
            None => false,
        },
    }
}

/// The TOS byte (IPv4) or traffic class (IPv6).
fn ip_tos(p: &Pkt, h: &Hdr) -> u8 {
    if h.v6 {
        (p.data[0] << 4) | (p.data[1] >> 4)
    } else {
        p.data[1]
    }
}

/// The MSS option of a TCP SYN (xt_tcpmss walks the options; a packet
/// without it does not match).
fn tcp_mss(l4: &[u8]) -> Option<u16> {
    if l4.len() < 20 || l4[13] & 0x02 == 0 {
        return None;
    }
    let doff = usize::from(l4[12] >> 4) * 4;
    let opts = l4.get(20..doff.min(l4.len()))?;
    let mut i = 0;
    while i < opts.len() {
        match opts[i] {
            0 => return None,
            1 => i += 1,
            kind => {
                let len = usize::from(*opts.get(i + 1)?);
                if len < 2 {
                    return None;
                }
                if kind == 2 && len == 4 {
                    return Some(u16::from_be_bytes([*opts.get(i + 2)?, *opts.get(i + 3)?]));
                }
                i += len;
            }
        }
    }
    None
}

/// icmp_type_code_match() (only ICMP's type 0xff means any type).
fn icmp_match(p: &Pkt, h: &Hdr, typ: u8, code: (u8, u8), inv: bool, v4: bool) -> bool {
    let l4 = p.l4(h);
    if h.frag != 0 || l4.len() < 2 {
        return false;
    }
    let hit = (v4 && typ == 0xff) || (l4[0] == typ && l4[1] >= code.0 && l4[1] <= code.1);
    hit != inv
}

fn tcp_has_option(l4: &[u8], opt: u8) -> bool {
    let doff = ((l4[12] >> 4) as usize) * 4;
    let opts = &l4[20..doff.min(l4.len()).max(20)];
    let mut i = 0;
    while i < opts.len() {
        match opts[i] {
            0 => return opt == 0,
            1 => {
                if opt == 1 {
                    return true;
                }
                i += 1;
            }
            k => {
                if k == opt {
                    return true;
                }
                i += opts.get(i + 1).copied().unwrap_or(2).max(2) as usize;
            }
        }
    }
    false
}

impl Pkt<'_> {
    /// iph->ttl (IPv6: the hop limit).
    fn ttl(&self) -> u8 {
        if self.is_v6() {
            ipv6::hop_limit(self.data)
        } else {
            self.iph().ttl()
        }
    }
    /// A new TTL; IPv4's header checksum is computed again (IPv6 has none).
    fn set_ttl(&mut self, ttl: u8) {
        if self.is_v6() {
            ipv6::set_hop_limit(self.data, ttl);
        } else {
            let mut h = Ipv4HdrMut::new_unchecked(self.data);
            h.set_ttl(ttl);
            h.fill_checksum();
        }
    }
    /// The TOS byte (IPv6: the traffic class, across the first two bytes).
    fn tos(&self) -> u8 {
        if self.is_v6() {
            ipv6::traffic_class(self.data)
        } else {
            self.iph().tos()
        }
    }
    fn set_tos(&mut self, tos: u8) {
        if self.is_v6() {
            ipv6::set_traffic_class(self.data, tos);
        } else {
            let mut h = Ipv4HdrMut::new_unchecked(self.data);
            h.set_tos(tos);
            h.fill_checksum();
        }
    }
}

/// What a target does, for the non-terminal ones applied in place.
enum Flow {
    Continue,
    Verdict(Verdict),
    Jump(usize),
    Goto(usize),
    Return,
}

fn run_target(t: &Target, table: &Table, p: &mut Pkt) -> Flow {
    match t {
        Target::None => Flow::Continue,
        Target::Accept => Flow::Verdict(Verdict::Accept),
        Target::Drop => Flow::Verdict(Verdict::Drop),
        Target::Return => Flow::Return,
        Target::Jump(c) => table.chain_index(c).map_or(Flow::Continue, Flow::Jump),
        Target::Goto(c) => table.chain_index(c).map_or(Flow::Continue, Flow::Goto),
        Target::Reject(w) => Flow::Verdict(Verdict::Reject(*w)),
        Target::Log { prefix, flags, .. } => {
            let line = super::log::log_line(
                prefix, *flags, p.indev, p.outdev, p.mac, p.data, *p.mark, p.sk_owner,
            );
            p.logs.push(line);
            Flow::Continue
        }
        Target::Mark { value, mask } => {
            *p.mark = (*p.mark & !*mask) ^ *value;
            Flow::Continue
        }
        Target::Connmark(op) => {
            let mark = *p.mark;
            let restored = p.ct_mark().and_then(|cm| match *op {
                ConnmarkOp::SetXmark { value, mask } => {
                    *cm = (*cm & !mask) ^ value;
                    None
                }
                ConnmarkOp::Save { nfmask, ctmask } => {
                    *cm = (*cm & !ctmask) ^ (mark & nfmask);
                    None
                }
                ConnmarkOp::Restore { nfmask, ctmask } => Some((mark & !nfmask) ^ (*cm & ctmask)),
            });
            if let Some(m) = restored {
                *p.mark = m;
            }
            Flow::Continue
        }
        Target::Snat(_)
        | Target::Dnat(_)
        | Target::Masquerade(_)
        | Target::Redirect(_)
        | Target::Netmap { .. } => Flow::Verdict(Verdict::Nat(t.clone())),
        Target::Ttl { mode, value } => {
            let ttl = p.ttl();
            p.set_ttl(match mode {
                TtlMode::Set => *value,
                TtlMode::Inc => ttl.saturating_add(*value),
                TtlMode::Dec => ttl.saturating_sub(*value),
            });
            Flow::Continue
        }
        Target::Tos { value, mask } => {
            let tos = p.tos();
            p.set_tos((tos & !*mask) ^ *value);
            Flow::Continue
        }
        Target::Dscp(d) => {
            let tos = p.tos();
            p.set_tos((tos & 0x03) | (*d << 2));
            Flow::Continue
        }
        Target::Tcpmss { mss } => {
            let pmtu = if *mss == crate::netfilter::rule::TCPMSS_CLAMP_PMTU {
                (p.path_mtu)()
            } else {
                0
            };
            if !crate::netfilter::tcpmss::mangle(p.data, *mss, pmtu) {
                return Flow::Verdict(Verdict::Drop);
            }
            Flow::Continue
        }
        Target::Notrack | Target::NotrackAlias | Target::NotrackZone(_) => {
            p.notrack = true;
            Flow::Continue
        }
        Target::CtZone(z) => {
            p.zone = Some(*z);
            Flow::Continue
        }
        Target::Trace => {
            p.trace = true;
            Flow::Continue
        }
    }
}

/// The end of a built-in chain: its policy, counted if it has a counter.
/// `tried`: how many of its rules the packet met.
fn policy(table: &mut Table, start: usize, tried: usize, p: &mut Pkt) -> Verdict {
    let c = &mut table.chains[start];
    p.decide(start, None, tried, || {
        super::save::policy_name(c.policy).to_string()
    });
    if c.policy_counted {
        c.counters.add(p.data.len());
    }
    let (v, tv) = match c.policy {
        Policy::Accept => (Verdict::Accept, TraceVerdict::Accept),
        Policy::Drop => (Verdict::Drop, TraceVerdict::Drop),
    };
    if c.handle != 0 {
        p.trace_step(&c.name, None, tv);
    }
    v
}

/// How a rule's outcome reads in a trace event.
fn trace_verdict(flow: &Flow, table: &Table) -> TraceVerdict {
    match flow {
        Flow::Continue => TraceVerdict::Continue,
        Flow::Verdict(Verdict::Accept) => TraceVerdict::Accept,
        // REJECT drops (and answers); a NAT mapping accepts.
        Flow::Verdict(Verdict::Drop | Verdict::Reject(_)) => TraceVerdict::Drop,
        Flow::Verdict(Verdict::Nat(_)) => TraceVerdict::Accept,
        Flow::Jump(c) => TraceVerdict::Jump(table.chains[*c].name.clone()),
        Flow::Goto(c) => TraceVerdict::Goto(table.chains[*c].name.clone()),
        Flow::Return => TraceVerdict::Return,
    }
}

/// Runs the built-in chain of `hook` in `table` over the packet.
pub fn do_table(table: &mut Table, hook: Hook, p: &mut Pkt) -> Verdict {
    table.index.ensure(&table.chains);
    do_table_with(table, hook, p, true)
}

/// ipt_do_table() rule by rule on the rules as written, or (`compiled`)
/// with each chain's compiled form: the IPv4 fixed parts as numbers, and
/// the index skipping the rules whose source cannot match (the same
/// verdict, counters and side effects).
fn do_table_with(table: &mut Table, hook: Hook, p: &mut Pkt, compiled: bool) -> Verdict {
    let Some(start) = table.chains.iter().position(|c| c.hook == Some(hook)) else {
        return Verdict::Accept;
    };
    let len = p.data.len();
    let h = Hdr::parse(p.data);
    let src = if h.v6 {
        addr_bits(p.src())
    } else {
        u128::from(h.src4)
    };
    // The return stack: (chain, next rule) for each jump taken.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let (mut chain, mut i) = (start, 0);
    // How far the walk got in the built-in chain (for its policy's event).
    let mut base_tried = 0;
    loop {
        let cx = if compiled {
            table.index.chain(chain)
        } else {
            None
        };
        if let Some(ix) = cx.and_then(|c| c.by_src.as_ref()) {
            i = ix.next(src, i).unwrap_or(usize::MAX);
        }
        let rules = &mut table.chains[chain].rules;
        if i >= rules.len() {
            // Fell off the end: return, or the policy of a built-in chain.
            let len = rules.len();
            if chain == start {
                base_tried = len;
            } else {
                p.decide(chain, None, len, || "RETURN".into());
            }
            match stack.pop() {
                Some((c, r)) if table.chains[chain].hook.is_none() => {
                    chain = c;
                    i = r;
                    continue;
                }
                _ => return policy(table, start, base_tried, p),
            }
        }
        let rule = &mut rules[i];
        let fixed = match cx {
            Some(c) => ip4_match(&c.ip4[i], &rule.ip, p, &h),
            None => ip_match(&rule.ip, p, &h),
        };
        if !(fixed && rule.matches.iter_mut().all(|m| ext_match(m, p, &h))) {
            i += 1;
            continue;
        }
        rule.counters.add(len);
        let flow = run_target(&table.chains[chain].rules[i].target, table, p);
        if p.trace {
            let tv = trace_verdict(&flow, table);
            let c = &table.chains[chain];
            p.trace_step(&c.name, Some(c.rules[i].handle), tv);
        }
        if p.decisions.is_some() && !matches!(flow, Flow::Continue) {
            let target = &table.chains[chain].rules[i].target;
            p.decide(chain, Some(i), i + 1, || match (&flow, target) {
                (Flow::Jump(_), Target::Jump(c)) => format!("jump {c}"),
                (Flow::Goto(_), Target::Goto(c)) => format!("goto {c}"),
                (Flow::Return, _) => "RETURN".into(),
                _ => super::save::target_name(target),
            });
        }
        if chain == start {
            base_tried = i + 1;
        }
        match flow {
            Flow::Continue => i += 1,
            Flow::Verdict(v) => return v,
            Flow::Jump(c) => {
                stack.push((chain, i + 1));
                chain = c;
                i = 0;
            }
            Flow::Goto(c) => {
                chain = c;
                i = 0;
            }
            Flow::Return => match stack.pop() {
                Some((c, r)) => {
                    chain = c;
                    i = r;
                }
                None => return policy(table, start, base_tried, p),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    //! The compiled chains (IPv4 fixed parts as numbers, the source index)
    //! change nothing: verdicts, marks, traces, counters and limit buckets
    //! agree with the plain linear walk over the rules as written.
    use super::*;
    use crate::netfilter::rule::{Limit, Rule};
    use crate::netfilter::{Chain, TableId};
    use proptest::prelude::*;
    use std::net::Ipv6Addr;

    const ADDRS: [([u8; 4], [u8; 4]); 7] = [
        ([0, 0, 0, 0], [0, 0, 0, 0]),
        ([10, 0, 0, 0], [255, 0, 0, 0]),
        ([10, 0, 1, 0], [255, 255, 255, 0]),
        ([10, 0, 1, 1], [255, 255, 255, 255]),
        ([10, 0, 2, 0], [255, 255, 255, 0]),
        ([10, 0, 1, 2], [255, 255, 255, 255]),
        // Non-contiguous masks are legal in ipt_ip.
        ([10, 0, 0, 1], [255, 0, 0, 255]),
    ];
    const SRCS: [[u8; 4]; 5] = [
        [10, 0, 1, 1],
        [10, 0, 1, 2],
        [10, 0, 2, 1],
        [192, 168, 0, 1],
        [10, 9, 9, 1],
    ];

    /// (source, `! -s`, destination, protocol, match, target, more): `more`
    /// sets the rest of the fixed part, which the compiled IPv4 form tests
    /// its own way: `! -d` (bit 0), `! -p` (1), `-f` (2) and its `!` (3),
    /// an interface (bits 4-5: none, -i ra, -i r+, -o rb) and its `!` (6);
    /// bit 7 makes the destination IPv6 ::/0 (a rule matched as `IpSpec`).
    type Spec = (usize, bool, usize, u8, u8, u8, u8);

    fn rule((s, sinv, d, proto, m, t, x): Spec, in_user: bool) -> Rule {
        let (sa, sm) = ADDRS[s];
        let (da, dm) = ADDRS[d];
        let bit = |b: u8, v: u8| if x & b != 0 { v } else { 0 };
        let mut ip = IpSpec {
            src: sa.into(),
            smsk: sm.into(),
            dst: da.into(),
            dmsk: dm.into(),
            proto: [0, 17, 6][proto as usize % 3],
            inv: if sinv { IpSpec::INV_SRCIP } else { 0 }
                | bit(0x01, IpSpec::INV_DSTIP)
                | bit(0x02, IpSpec::INV_PROTO)
                | bit(0x08, IpSpec::INV_FRAG),
            frag: x & 0x04 != 0,
            ..IpSpec::default()
        };
        let inv_if = |via: u8| bit(0x40, via);
        match (x >> 4) & 3 {
            1 => (ip.iniface, ip.inv) = ("ra".into(), ip.inv | inv_if(IpSpec::INV_VIA_IN)),
            2 => (ip.iniface, ip.inv) = ("r+".into(), ip.inv | inv_if(IpSpec::INV_VIA_IN)),
            3 => (ip.outiface, ip.inv) = ("rb".into(), ip.inv | inv_if(IpSpec::INV_VIA_OUT)),
            _ => {}
        }
        if x & 0x80 != 0 {
            (ip.dst, ip.dmsk) = (Ipv6Addr::UNSPECIFIED.into(), Ipv6Addr::UNSPECIFIED.into());
        }
        let udp = ip.proto == 17;
        let matches = match m % 4 {
            1 if udp => vec![Match::Udp {
                sport: (0, 65535),
                dport: (9, 9),
                inv: 0,
            }],
            2 => vec![Match::Limit(Limit::new(1000, 2))],
            _ => vec![],
        };
        let target = match t % 6 {
            0 => Target::Accept,
            1 => Target::Drop,
            2 => Target::None,
            3 => Target::Mark {
                value: t as u32,
                mask: 0xff,
            },
            4 if !in_user => Target::Jump("U".into()),
            4 => Target::Return,
            _ => Target::None,
        };
        Rule {
            ip,
            matches,
            target,
            counters: Default::default(),
            handle: 0,
        }
    }

    /// The verdict, the mark, the trace (every rule met, by handle) and the
    /// decisions (each chain's end, with the rules tried).
    fn run(
        t: &mut Table,
        compiled: bool,
        src: [u8; 4],
        (dport, frag): (u16, bool),
        now: u64,
    ) -> (Verdict, u32, String) {
        let mut data = [0u8; 28];
        data[0] = 0x45;
        if frag {
            data[7] = 1;
        }
        data[9] = 17;
        data[12..16].copy_from_slice(&src);
        data[16..20].copy_from_slice(&[10, 0, 2, 1]);
        data[22..24].copy_from_slice(&dport.to_be_bytes());
        let mut mark = 0;
        let mut logs = Vec::new();
        let mut traced = Vec::new();
        let mut decisions = Vec::new();
        let at = |_: Ipv4Addr| 1u8;
        let mut p = Pkt {
            data: &mut data,
            indev: "ra",
            outdev: "rb",
            path_mtu: &|| 1500,
            mark: &mut mark,
            ct: CtView::Invalid,
            pkt_type: 0,
            mac: None,
            now: Time(now),
            addr_type: &at,
            logs: &mut logs,
            notrack: false,
            zone: None,
            // Traced, so that the rules met (not only the verdict) must agree.
            trace: true,
            traced: &mut traced,
            sk_owner: false,
            decisions: Some(&mut decisions),
        };
        let v = if compiled {
            do_table(t, Hook::Forward, &mut p)
        } else {
            do_table_with(t, Hook::Forward, &mut p, false)
        };
        (v, mark, format!("{traced:?} {decisions:?}"))
    }

    fn spec() -> impl Strategy<Value = Spec> {
        // Mostly plain rules (`more` = 0), so that some packets get far.
        let more = prop_oneof![3 => Just(0u8), 1 => any::<u8>()];
        (
            0..7usize,
            any::<bool>(),
            0..7usize,
            0..3u8,
            0..4u8,
            0..6u8,
            more,
        )
    }

    proptest! {
        #[test]
        fn compiled_chains_agree_with_the_linear_walk(
            fwd in proptest::collection::vec(spec(), 0..90),
            user in proptest::collection::vec(spec(), 0..60),
            policy_drop in any::<bool>(),
            pkts in proptest::collection::vec(
                (0..5usize, (prop_oneof![Just(9u16), Just(10u16)], proptest::bool::weighted(0.2))),
                1..40,
            ),
        ) {
            let mut t = Table::new(TableId::Filter);
            let mut u = Chain::user("U");
            u.rules = user.into_iter().map(|s| rule(s, true)).collect();
            t.chains.push(u);
            let f = t.chain_mut("FORWARD").unwrap();
            f.rules = fwd.into_iter().map(|s| rule(s, false)).collect();
            if policy_drop {
                f.policy = super::super::Policy::Drop;
            }
            for i in 0..t.chains.len() {
                t.create_chain(i);
            }
            t.number_rules();
            let mut lin = t.clone();
            for (k, (s, l4)) in pkts.into_iter().enumerate() {
                let now = k as u64 * 300_000_000;
                let a = run(&mut t, true, SRCS[s], l4, now);
                let b = run(&mut lin, false, SRCS[s], l4, now);
                prop_assert_eq!(a, b);
            }
            // Counters and limit buckets: Table's equality covers every rule.
            prop_assert_eq!(&t.chains, &lin.chains);
        }
    }
}
