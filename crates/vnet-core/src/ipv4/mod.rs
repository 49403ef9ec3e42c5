//! IPv4: input, forwarding, output, ICMP, fragments, routing and the FIB.

pub mod devinet;
pub mod fib;
pub mod fib_frontend;
pub mod fib_multipath;
pub mod fib_validate;
pub mod fnhe;
pub mod icmp;
pub mod igmp;
pub mod ip_forward;
pub mod ip_fragment;
pub mod ip_input;
pub mod ip_output;
pub mod nexthop;
pub mod route;
pub mod route_text;
