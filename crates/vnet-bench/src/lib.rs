//! `vnet bench`: standard topologies driven through the core's API with
//! 64-byte UDP frames generated in-process, timed with a monotonic clock
//! outside the core (which only knows virtual time).
//!
//! Packet cases send from one namespace's IP layer (`ip_send`, what a UDP
//! socket's sendmsg reaches) and count datagrams taken off a bound UDP
//! socket at the far end, so a packet is counted only once it crossed every
//! stage: the sender's output path, each veth, bridge or router, and the
//! receiver's input path. Memory cases read the live heap from
//! [`Counting`], which the `vnet` binary installs as its global allocator.

pub mod alloc;
mod cases;
pub mod topo;

pub use alloc::{live_bytes, Counting};
pub use cases::{run_case, Opts, CASES};
pub use topo::PacketBench;
