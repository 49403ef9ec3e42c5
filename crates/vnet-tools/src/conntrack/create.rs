//! `conntrack -I`: an entry made by hand (IPCTNL_MSG_CT_NEW with
//! NLM_F_CREATE), as conntrack 1.4.7 checks and fills it in.

use super::{param_problem, Error, Filter, PROG};
use crate::Cmd;
use vnet_core::netfilter::ct::{status, Conn, ProtoState, Tuple};
use vnet_core::Time;

/// Checks the options, builds the entry and asks the kernel to add it.
pub(super) fn create(c: &mut Cmd, f: &Filter, timeout: Option<u32>) -> Result<(), Error> {
    let need = |what: &str| {
        param_problem(format!(
            "You need to supply the `--{what}' option for this command"
        ))
    };
    let proto = f.proto.ok_or_else(|| need("protonum"))?;
    let timeout = timeout.ok_or_else(|| need("timeout"))?;
    let state = match f.state {
        Some(state) => ProtoState::Tcp { state },
        None if proto == 6 => return Err(need("state")),
        None => match proto {
            1 => ProtoState::Icmp,
            58 => ProtoState::Icmpv6,
            17 => ProtoState::Udp {
                stream_ts: c.m.world.now(),
            },
            _ => ProtoState::Generic,
        },
    };
    let (sport, dport) = if proto == 1 {
        let (t, code) = (f.icmp_type.unwrap_or(0), f.icmp_code.unwrap_or(0));
        (f.icmp_id.unwrap_or(0), u16::from(t) << 8 | u16::from(code))
    } else {
        (f.sport.unwrap_or(0), f.dport.unwrap_or(0))
    };
    // Without a reply tuple, libnetfilter_conntrack makes it the inverse
    // of the original (NFCT_SOPT_SETUP_REPLY), and the other way round.
    let orig = match (f.orig_src, f.orig_dst, f.reply_src, f.reply_dst) {
        (Some(src), Some(dst), ..) => Tuple {
            src,
            dst,
            proto,
            sport,
            dport,
        },
        (.., Some(src), Some(dst)) => Tuple {
            src: dst,
            dst: src,
            proto,
            sport,
            dport,
        },
        _ => return Err(param_problem("you have to specify `--src' and `--dst'")),
    };
    let mut reply = orig.invert().unwrap_or(Tuple {
        src: orig.dst,
        dst: orig.src,
        ..orig
    });
    reply.src = f.reply_src.unwrap_or(reply.src);
    reply.dst = f.reply_dst.unwrap_or(reply.dst);
    let mut st = f.status.unwrap_or(0);
    // CTA_NAT_SRC/CTA_NAT_DST: the kernel sets the binding up at once.
    if let Some(a) = f.snat {
        reply.dst = a;
        st |= status::SRC_NAT;
    }
    if let Some(a) = f.dnat {
        reply.src = a;
        st |= status::DST_NAT;
    }
    let w = &mut c.m.world;
    let conn = Conn {
        tuple: [orig, reply],
        status: st,
        timeout: w.now() + Time::from_secs(u64::from(timeout)),
        mark: f.mark.map_or(0, |(v, m)| v & m),
        zone: f.zone.unwrap_or(0),
        proto: state,
        masq_index: None,
        id: 0,
    };
    if !w.ct_create(c.ns, conn) {
        return Err(Error::Failed("Such conntrack exists, try -U to update"));
    }
    c.eprint(&format!("{PROG}: 1 flow entries have been created.\n"));
    Ok(())
}
