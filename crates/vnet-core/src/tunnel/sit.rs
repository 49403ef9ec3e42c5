//! What only sit has: 6rd (RFC 5969), ISATAP's potential router list, and
//! the IPv4 next hop of an IPv6 destination (net/ipv6/sit.c).

use crate::dev::{DevRef, Device};
use crate::error::{Errno, KResult};
use crate::tunnel::{Tunnel, TunnelKind, SIT_ISATAP};
use crate::types::NsId;
use crate::world::World;
use serde::{Deserialize, Serialize};
use std::net::{Ipv4Addr, Ipv6Addr};

/// PRL_DEFAULT: the router is a default router (`prl-default`).
pub const PRL_DEFAULT: u16 = 0x0001;

/// struct ip_tunnel_6rd_parm: which IPv6 prefix embeds which IPv4 bits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ip6rd {
    pub prefix: Ipv6Addr,
    pub prefixlen: u8,
    pub relay_prefix: Ipv4Addr,
    pub relay_prefixlen: u8,
}

impl Default for Ip6rd {
    /// ipip6_tunnel_clone_6rd() for a new tunnel: 6to4's 2002::/16.
    fn default() -> Self {
        Ip6rd {
            prefix: Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0),
            prefixlen: 16,
            relay_prefix: Ipv4Addr::UNSPECIFIED,
            relay_prefixlen: 0,
        }
    }
}

/// try_6rd(): the IPv4 address a 6rd (or 6to4) destination embeds right
/// after the prefix, the relay prefix's bits put back in front; 0.0.0.0
/// when `dst` is outside the prefix.
pub fn try_6rd(p: &Ip6rd, dst: Ipv6Addr) -> Ipv4Addr {
    let plen = p.prefixlen as u32;
    let n = 32 - p.relay_prefixlen.min(32) as u32;
    let bits = u128::from(dst);
    let pmask = if plen == 0 {
        0
    } else {
        u128::MAX << (128 - plen)
    };
    if bits & pmask != u128::from(p.prefix) & pmask || plen + n > 128 || n == 0 {
        return if n == 0 {
            p.relay_prefix
        } else {
            Ipv4Addr::UNSPECIFIED
        };
    }
    let d = ((bits >> (128 - plen - n)) as u64 & ((1u64 << n) - 1)) as u32;
    Ipv4Addr::from(u32::from(p.relay_prefix) | d)
}

/// The link-local address addrconf_sit_config() gives a sit device when it
/// comes up: fe80::5efe:a.b.c.d (with the u/l bit for a global IPv4
/// address, __ipv6_isatap_ifid) for isatap, fe80::a.b.c.d for a
/// point-to-point tunnel with a local address (sit_add_v4_addrs).
pub(crate) fn sit_lladdr(d: &Device) -> Option<Ipv6Addr> {
    let t = d.tunnel().filter(|t| t.kind == TunnelKind::Sit)?;
    let local = t.p.saddr;
    if local.is_unspecified() {
        return None;
    }
    let mut b = [0u8; 16];
    b[0] = 0xfe;
    b[1] = 0x80;
    b[12..].copy_from_slice(&local.octets());
    if t.p.i_flags & SIT_ISATAP != 0 {
        let o = local.octets();
        let local_only = local.is_private()
            || local.is_loopback()
            || local.is_link_local()
            || local.is_broadcast()
            || local.is_unspecified()
            || (o[0] == 100 && o[1] & 0xc0 == 64)
            || (o[0] == 192 && o[1] == 0 && o[2] == 2)
            || (o[0] == 198 && o[1] & 0xfe == 18)
            || (o[0] == 198 && o[1] == 51 && o[2] == 100)
            || (o[0] == 203 && o[1] == 0 && o[2] == 113);
        b[8] = if local_only { 0 } else { 2 };
        b[10] = 0x5e;
        b[11] = 0xfe;
        return Some(Ipv6Addr::from(b));
    }
    (!t.p.daddr.is_unspecified()).then(|| Ipv6Addr::from(b))
}

impl World {
    /// The IPv4 destination an NBMA sit tunnel sends an IPv6 packet to
    /// (ipip6_tunnel_xmit): the next hop's embedded address when it is an
    /// ISATAP (::0:5efe:a.b.c.d) or IPv4-compatible (::a.b.c.d) one, else
    /// the IPv4 address inside the destination's 6rd/6to4 prefix (try_6rd).
    pub(crate) fn sit_nexthop4(&self, r: DevRef, nexthop: Ipv6Addr, dst: Ipv6Addr) -> Ipv4Addr {
        let Some(t) = self.dev(r).and_then(|d| d.tunnel()) else {
            return Ipv4Addr::UNSPECIFIED;
        };
        if !t.p.daddr.is_unspecified() {
            return t.p.daddr;
        }
        let o = nexthop.octets();
        let v4 = Ipv4Addr::new(o[12], o[13], o[14], o[15]);
        let isatap = o[8] & 0xfd == 0 && o[9..12] == [0x00, 0x5e, 0xfe];
        let compat = o[..12] == [0; 12] && u32::from(v4) > 1;
        if isatap || compat {
            return v4;
        }
        try_6rd(&t.ip6rd, dst)
    }

    /// The sit tunnel an ioctl names: ENODEV when there is no such
    /// device, EOPNOTSUPP when it is no tunnel, EINVAL when it is another kind.
    fn sit_by_name(&mut self, ns: NsId, name: &str) -> KResult<&mut Tunnel> {
        let d = self
            .ns_mut(ns)
            .devs
            .values_mut()
            .find(|d| d.name == name)
            .ok_or(Errno::ENODEV)?;
        match d.tunnel_mut() {
            Some(t) if t.kind == TunnelKind::Sit => Ok(t),
            Some(_) => Err(Errno::EINVAL.into()),
            None => Err(Errno::EOPNOTSUPP.into()),
        }
    }

    /// SIOCADD6RD (`Some`) and SIOCDEL6RD (`None`, back to 6to4's prefix):
    /// ipip6_tunnel_update_6rd() refuses prefixes with host bits set and
    /// more than 64 bits of prefix plus embedded address.
    pub fn tunnel_6rd(&mut self, ns: NsId, name: &str, p: Option<Ip6rd>) -> KResult<()> {
        let t = self.sit_by_name(ns, name)?;
        let Some(p) = p else {
            t.ip6rd = Ip6rd::default();
            return Ok(());
        };
        let plen = p.prefixlen as u32;
        let rlen = p.relay_prefixlen as u32;
        if rlen > 32 || plen + (32 - rlen) > 64 {
            return Err(Errno::EINVAL.into());
        }
        let pmask = if plen == 0 {
            0
        } else {
            u128::MAX << (128 - plen)
        };
        let rmask = if rlen == 0 {
            0
        } else {
            u32::MAX << (32 - rlen)
        };
        if u128::from(p.prefix) & !pmask != 0 || u32::from(p.relay_prefix) & !rmask != 0 {
            return Err(Errno::EINVAL.into());
        }
        t.ip6rd = p;
        Ok(())
    }

    /// SIOCADDPRL / SIOCDELPRL (ipip6_tunnel_add_prl, _del_prl): one router
    /// at a time; deleting 0.0.0.0 empties the list. Not on the fallback.
    pub fn tunnel_prl(
        &mut self,
        ns: NsId,
        name: &str,
        addr: Ipv4Addr,
        add: Option<u16>,
    ) -> KResult<()> {
        let t = self.sit_by_name(ns, name)?;
        if t.fallback {
            return Err(Errno::EINVAL.into());
        }
        match add {
            Some(flags) => {
                if addr.is_unspecified() {
                    return Err(Errno::EINVAL.into());
                }
                if t.prl.iter().any(|(a, _)| *a == addr) {
                    return Err(Errno::EEXIST.into());
                }
                t.prl.push((addr, flags));
            }
            None if addr.is_unspecified() => t.prl.clear(),
            None => {
                let n = t.prl.len();
                t.prl.retain(|(a, _)| *a != addr);
                if t.prl.len() == n {
                    return Err(Errno::ENXIO.into());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[test]
    fn try_6rd_takes_the_bits_after_the_prefix() {
        let d = |s: &str| s.parse::<Ipv6Addr>().unwrap();
        // 6to4: 2002:V4::/48.
        let p = Ip6rd::default();
        assert_eq!(
            try_6rd(&p, d("2002:c0a8:c802::1")),
            Ipv4Addr::new(192, 168, 200, 2)
        );
        assert_eq!(try_6rd(&p, d("2001:db8::1")), Ipv4Addr::UNSPECIFIED);
        // A 6rd domain 2001:db8::/32 over 10.0.0.0/8: 24 bits follow the prefix.
        let p = Ip6rd {
            prefix: d("2001:db8::"),
            prefixlen: 32,
            relay_prefix: Ipv4Addr::new(10, 0, 0, 0),
            relay_prefixlen: 8,
        };
        assert_eq!(
            try_6rd(&p, d("2001:db8:0102:0300::1")),
            Ipv4Addr::new(10, 1, 2, 3)
        );
    }
}
