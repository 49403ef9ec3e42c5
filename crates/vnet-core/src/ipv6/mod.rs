//! IPv6: input, forwarding, output, ICMPv6, fragments, routing and address configuration.

pub mod addrconf;
