//! vnet-core: the simulated Linux kernel — namespaces, devices, bridges,
//! IPv4 and IPv6, ARP and neighbour discovery, ICMP, UDP and TCP, tunnels,
//! netfilter with conntrack and NAT — as a pure state machine in virtual
//! time: no I/O, no wall clock, the same inputs give the same bytes.
//!
//! Rooms, named as the kernel names them (a reader of net/ finds
//! `ip_forward` in `ipv4/ip_forward.rs`):
//!
//! - `world` — the clock, the event queue and the namespaces; `netns`
//!   (struct net), `host` (several machines and the wires between them).
//! - `wire` — header views and checksums; depends on nothing else here.
//! - `dev` — devices (`core`: netif_receive, dev_queue_xmit; `link_watch`;
//!   `rtnetlink`: links added, changed, moved; `tun`).
//! - `bridge` — `br_input`, `br_forward`, `br_device`, `br_if` (ports),
//!   `br_netlink` (attributes and static fdb entries).
//! - `neigh` — the neighbour table and state machine (`neighbour`), `arp`,
//!   `ndisc`.
//! - `ipv4`, `ipv6` — input, forwarding, output, ICMP, fragments, route
//!   lookups, the FIB and address configuration (`devinet`,
//!   `fib_frontend`, `addrconf`).
//! - `netfilter` — x_tables rules (`rule`, `eval`, `index`), the hooks
//!   (`hook`), `ct`, `nat`, `log`, and `ops` (what userspace asks of it).
//! - `tunnel` — ipip/gre/sit/vti (`ip_tunnel`, `sit`) and `vxlan`.
//! - `sock` — sockets: raw and packet, `udp`, and `tcp`, a connection
//!   state machine testable without a `World`.
//! - `rtnl_notify` — rtnetlink notifications (what `ip monitor` prints).
//! - `sysctl`, `module`, `snmp`, `trace`.
//!
//! The packet path, in the kernel's order and with its names:
//!
//! ```text
//!  netif_receive ──► br_handle_frame ──► br_forward / br_flood ──► dev_queue_xmit
//!       │                  │ (local)
//!       ▼                  ▼
//!  l3_receive ──► arp_rcv / ipv6_rcv              ip_local_out ◄── sockets
//!       │                                            │
//!       ▼                                            ▼
//!    ip_rcv ──► PREROUTING ──► route input ──► INPUT ──► ip_local_deliver ──► icmp / udp / tcp
//!                                  │
//!                                  └──► ip_forward ──► FORWARD ──► POSTROUTING ──► neigh_output ──► dev_queue_xmit
//! ```
//!
//! Netfilter hooks sit between each stage and its `_finish`, as in the
//! kernel; every drop is counted and traced with a `DropReason`.
//!
//! **The door.** Tools change the kernel only through `World`'s typed
//! operations — rtnetlink's requests and the kernel's handlers: `link_add`,
//! `link_set`, `addr_add`, `route_add`, `route6_add`, `neigh_add`,
//! `br_set`, `br_port_set`, `br_fdb_add`, `sysctl_write`, `module_load`,
//! `tun_set_iff`, `nf_replace_table`, `ct_delete`, `nf_trace_listen`... —
//! and read through views (`World::ns`, `Netns::devs`, `Netns::nf`, ...).
//! State is `pub(crate)`, and no `&mut` to it leaves the crate, so the
//! compiler keeps the door shut.

pub mod addr;
pub mod bridge;
pub mod dev;
pub mod error;
pub mod fib_rules;
pub mod flow;
pub mod host;
pub mod ipv4;
pub mod ipv6;
pub mod module;
pub mod neigh;
pub mod netfilter;
pub mod netns;
pub mod rtnl_notify;
pub mod snmp;
pub mod sock;
pub mod sysctl;
pub mod trace;
pub mod tunnel;
pub mod types;
mod validate;
pub mod wire;
pub mod world;

pub use error::{Errno, KResult, KernelError};
pub use types::{Mac, NsId, Prefix4, Time};
pub use world::World;
