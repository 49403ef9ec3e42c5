//! The vlan options of `ip link {add,set} ... type bridge` (iplink_bridge.c's
//! parsing; br_changelink() applies them): vlan_filtering, vlan_protocol,
//! vlan_default_pvid. The other bridge options are in bridge_opts.rs; this
//! skips them.

use super::Error;
use vnet_core::{Errno, KResult, NsId, World};

/// One option as br_changelink() takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VlanOpt {
    Filtering(bool),
    /// ll_proto_a2n()'s number, host order.
    Protocol(u16),
    DefaultPvid(u16),
}

/// get_u8()/get_u16() with base 0: decimal, 0x hex or 0 octal.
fn get_uint(s: &str, max: u64) -> Option<u64> {
    crate::args::get_unsigned(s, max)
}

/// ll_proto_a2n(): a protocol name (case-insensitive) or a number.
fn proto_a2n(s: &str) -> Option<u16> {
    const NAMES: &[(&str, u16)] = &[
        ("802.1Q", 0x8100),
        ("802.1ad", 0x88a8),
        ("ip", 0x0800),
        ("arp", 0x0806),
        ("ipv6", 0x86dd),
        ("all", 0x0003),
    ];
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s))
        .map(|(_, v)| *v)
        .or_else(|| get_uint(s, 0xffff).map(|v| v as u16))
}

/// Picks this module's options out of the words after `type bridge`.
pub fn parse(args: &[String]) -> Result<Vec<VlanOpt>, Error> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let k = args[i].as_str();
        let val = args.get(i + 1).map(String::as_str);
        let want = |max: u64, what: &str| -> Result<u64, Error> {
            let Some(s) = val else {
                return Err(Error::Incomplete);
            };
            get_uint(s, max).ok_or_else(|| Error::invarg(&format!("invalid {what}"), s))
        };
        match k {
            "vlan_filtering" => v.push(VlanOpt::Filtering(want(0xff, k)? != 0)),
            "vlan_default_pvid" => v.push(VlanOpt::DefaultPvid(want(0xffff, k)? as u16)),
            "vlan_protocol" => {
                let Some(s) = val else {
                    return Err(Error::Incomplete);
                };
                let p = proto_a2n(s).ok_or_else(|| Error::invarg("invalid vlan_protocol", s))?;
                v.push(VlanOpt::Protocol(p));
            }
            _ => {}
        }
        i += 2;
    }
    Ok(v)
}

/// br_validate(): what the kernel refuses before creating or changing.
pub fn validate(opts: &[VlanOpt]) -> KResult<()> {
    for o in opts {
        match *o {
            VlanOpt::Protocol(p) if p != 0x8100 && p != 0x88a8 => {
                return Err(Errno::EPROTONOSUPPORT.into())
            }
            VlanOpt::DefaultPvid(p) if p >= 4095 => return Err(Errno::EINVAL.into()),
            _ => {}
        }
    }
    Ok(())
}

/// br_changelink() for these options, in its order.
pub fn apply(w: &mut World, ns: NsId, br: u32, opts: &[VlanOpt]) -> KResult<()> {
    validate(opts)?;
    if !w.ns(ns).dev(br).is_some_and(|d| d.is_bridge()) {
        return Err(Errno::EOPNOTSUPP.into());
    }
    for o in opts {
        if let VlanOpt::Filtering(on) = *o {
            w.br_vlan_filter_toggle(ns, br, on)?;
        }
    }
    for o in opts {
        if let VlanOpt::Protocol(p) = *o {
            w.br_vlan_set_proto(ns, br, p)?;
        }
    }
    for o in opts {
        if let VlanOpt::DefaultPvid(p) = *o {
            w.br_vlan_set_default_pvid(ns, br, p)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn picks_its_options_and_skips_the_others() {
        let v = parse(&words(
            "stp_state 1 vlan_filtering 1 vlan_protocol 802.1ad vlan_default_pvid 0x10",
        ))
        .unwrap();
        assert_eq!(
            v,
            vec![
                VlanOpt::Filtering(true),
                VlanOpt::Protocol(0x88a8),
                VlanOpt::DefaultPvid(16)
            ]
        );
    }

    #[test]
    fn bad_values_are_invargs() {
        assert!(matches!(
            parse(&words("vlan_filtering 256")),
            Err(Error::InvArg { .. })
        ));
        assert!(matches!(
            parse(&words("vlan_protocol foo")),
            Err(Error::InvArg { .. })
        ));
        assert!(matches!(
            parse(&words("vlan_filtering")),
            Err(Error::Incomplete)
        ));
    }
}
