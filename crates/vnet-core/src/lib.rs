//! vnet-core: the simulated Linux kernel — namespaces, devices, bridge,
//! IPv4 routing, ARP, ICMP, UDP and TCP — as a pure state machine in virtual time.
//!
//! Start with `world.rs` (configuration, the clock and events), then
//! `path.rs` (the packet path, drawn at its top).

pub mod addr;
pub mod bridge;
pub mod dev;
pub mod error;
pub mod host;
pub mod ipv4;
pub mod ipv6;
pub mod module;
pub mod neigh;
pub mod netfilter;
pub mod netns;
pub mod snmp;
pub mod sock;
pub mod sysctl;
pub mod trace;
pub mod tunnel;
pub mod types;
pub mod wire;
pub mod world;

pub use error::{Errno, KResult, KernelError};
pub use types::{Mac, NsId, Prefix4, Time};
pub use world::World;
