//! IPv4: input, forwarding, output, ICMP, fragments, routing and the FIB.

pub mod fib;
