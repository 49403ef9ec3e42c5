//! Wire formats: header views, checksums, and the tunnel headers etherparse lacks.

pub mod checksum;
pub mod icmp;
pub mod icmp6;
pub mod ipv4;
pub mod ipv6;

pub mod gre;
pub mod vxlan;

pub const ETH_HLEN: usize = 14;
