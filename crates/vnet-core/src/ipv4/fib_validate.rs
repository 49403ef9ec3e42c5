//! Source validation of an arriving IPv4 packet: reverse-path filtering
//! (rp_filter) and martian sources, as net/ipv4/fib_frontend.c's
//! fib_validate_source() and __fib_validate_source() decide them, called
//! from route input (ip_route_input_slow: for a local or broadcast
//! destination, and in __mkroute_input for one to forward).
//!
//! Read first: Documentation/networking/ip-sysctl.rst, `rp_filter`. The
//! reverse lookup asks the FIB for the route back to the packet's source,
//! as if the namespace were sending to it. Strict mode (1) wants that
//! route to leave by the device the packet came in on; loose mode (2)
//! wants any unicast route. `all` and the device's own value: the larger
//! counts (IN_DEV_MAXCONF).

use crate::flow::Flowi4;
use crate::ipv4::fib::RouteType;
use crate::snmp::Mib;
use crate::types::NsId;
use crate::world::World;
use std::net::Ipv4Addr;

/// Why a source was refused: the errno fib_validate_source returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BadSource {
    /// -EINVAL: a martian (the source is one of our own addresses, or its
    /// route is not unicast); dropped without a reason of its own.
    Martian,
    /// -EXDEV: reverse-path filtering refused it (SKB_DROP_REASON_IP_RPFILTER,
    /// IPReversePathFilter).
    Rpf,
}

impl World {
    /// fib_validate_source(): may a packet from `src` to `dst` arriving on
    /// `dev` be taken? `oif`: the device a forwarded packet leaves by (0 for
    /// one delivered locally); `mark`: the packet's skb->mark.
    pub(crate) fn fib_validate_source(
        &self,
        ns: NsId,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        oif: u32,
        dev: u32,
        mark: u32,
    ) -> Result<(), BadSource> {
        let n = self.ns(ns);
        let sc = &n.sysctl;
        let knobs = sc.src_knobs();
        // The common case first, with no knob to read (per packet).
        if !knobs && dev != oif {
            return match n.is_local4(src) {
                true => Err(BadSource::Martian),
                false => Ok(()),
            };
        }
        let Some(d) = n.dev(dev) else { return Ok(()) };
        let rpf = if knobs {
            sc.conf4(&d.name, "rp_filter", false)
        } else {
            0
        };
        let accept_local = knobs && sc.conf4(&d.name, "accept_local", true) != 0;
        // Without rp_filter, the full check runs only for a packet going
        // back out the device it came in on while redirects are sent
        // (the lookup then says whether a redirect is due).
        if rpf == 0 && (dev != oif || sc.conf4(&d.name, "send_redirects", true) == 0) {
            if accept_local {
                return Ok(());
            }
            // Custom local routes or policy rules force the full check in
            // the kernel; vnet does not tell them apart yet, so the common
            // case.
            // "Within the same container, it is regarded as a martian source."
            if n.is_local4(src) {
                return Err(BadSource::Martian);
            }
            return Ok(());
        }
        let src_valid_mark = knobs && sc.conf4(&d.name, "src_valid_mark", true) != 0;
        // The lookup back to the source, as __fib_validate_source builds it.
        let fl = Flowi4 {
            saddr: dst,
            iif: Some(if oif != 0 { oif } else { n.loopback_ifindex() }),
            mark: if src_valid_mark { mark } else { 0 },
            ..Flowi4::to(src)
        };
        let no_addr = n.addrs4_of(dev).next().is_none();
        let Ok(rt) = self.fib_lookup(ns, &fl).map(|r| r.route) else {
            // last_resort: no route back at all.
            return if rpf != 0 {
                Err(BadSource::Rpf)
            } else {
                Ok(())
            };
        };
        match rt.rtype {
            RouteType::Unicast => {}
            RouteType::Local if accept_local => {}
            _ => return Err(BadSource::Martian),
        }
        let dev_match =
            rt.dev == Some(dev) || (rt.rtype == RouteType::Local && dev == n.loopback_ifindex());
        if dev_match {
            return Ok(());
        }
        if no_addr {
            return if rpf != 0 {
                Err(BadSource::Rpf)
            } else {
                Ok(())
            };
        }
        if rpf == 1 {
            return Err(BadSource::Rpf);
        }
        // Loose mode (or no filter): any route back will do; the second
        // lookup, bound to `dev`, only decides about redirects.
        Ok(())
    }

    /// What route input does with a refused source: -EXDEV counts in
    /// IPReversePathFilter (ip_rcv_finish_core's drop_error); a martian
    /// is logged when log_martians is on (ip_handle_martian_source).
    pub(crate) fn bad_source(
        &mut self,
        ns: NsId,
        dev: u32,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        why: BadSource,
        ll: Option<&[u8; 14]>,
    ) {
        if why == BadSource::Rpf {
            self.ns_mut(ns).snmp.inc(Mib::IPReversePathFilter);
        }
        let n = self.ns(ns);
        let Some(d) = n.dev(dev) else { return };
        if !n.sysctl.src_knobs() || n.sysctl.conf4(&d.name, "log_martians", true) == 0 {
            return;
        }
        let name = d.name.clone();
        // pr_warn() under route.c's pr_fmt, then print_hex_dump() of the
        // link header (DUMP_PREFIX_OFFSET, 16 bytes a row, no ASCII).
        self.printk(&format!(
            "IPv4: martian source {dst} from {src}, on dev {name}"
        ));
        if let Some(h) = ll {
            let hex: Vec<String> = h.iter().map(|b| format!("{b:02x}")).collect();
            self.printk(&format!("ll header: 00000000: {}", hex.join(" ")));
        }
    }
}
