//! IPv6: input, forwarding, output, ICMPv6, fragments, routing and address configuration.

pub mod icmp;
pub mod ip6_input;
pub mod ip6_output;
pub mod reassembly;
pub mod route;

use std::net::Ipv6Addr;
pub mod addrconf;

pub use crate::wire::ipv6::IPV6_HLEN;

/// IPV6_MIN_MTU: an ICMPv6 error never makes a packet larger than this.
pub(crate) const IPV6_MIN_MTU: usize = 1280;

pub(crate) const ALL_NODES: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);

pub(crate) const ALL_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2);
