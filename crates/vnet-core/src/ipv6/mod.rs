//! IPv6 (net/ipv6/): input, forwarding, output, ICMPv6, fragments, routing
//! and address configuration, sharing the devices, the neighbour state
//! machine and the sockets with IPv4:
//!
//! ```text
//!  l3_receive ──► ipv6_rcv ──► ip6_rcv_finish ──► ip6_input ──► icmpv6_rcv ──► ndisc_rcv
//!                                   │                                  └────► echo reply / raw sockets
//!                                   └──► ip6_forward ──► ip6_finish_output2 ──► neigh (nd_tbl) ──► dev_queue_xmit
//!  sockets (ping -6) ──► ip6_send ──► ip6_local_out ──► ip6_finish_output2
//! ```
//!
//! Routes are the ones `ip -6 route` lists: the kernel's, derived from the
//! addresses (local host routes, connected prefixes, fe80::/64 per link),
//! and the administrator's (`Netns::routes6`). Read RFC 4861 (neighbour
//! discovery), RFC 4443 (ICMPv6) and RFC 6724 (source selection) first.

pub mod addrconf;
pub mod icmp;
pub mod ip6_input;
pub mod ip6_output;
pub mod reassembly;
pub mod route;

use std::net::Ipv6Addr;

pub use crate::wire::ipv6::IPV6_HLEN;

/// IPV6_MIN_MTU: an ICMPv6 error never makes a packet larger than this.
pub(crate) const IPV6_MIN_MTU: usize = 1280;

pub(crate) const ALL_NODES: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);

pub(crate) const ALL_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2);
