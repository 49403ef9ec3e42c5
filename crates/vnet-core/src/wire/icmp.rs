//! ICMP message types and codes (RFC 792; include/uapi/linux/icmp.h).

use etherparse::{Icmpv4Header, Icmpv4Type};

pub const ECHO_REPLY: u8 = 0;
pub const DEST_UNREACH: u8 = 3;
pub const ECHO: u8 = 8;
pub const TIME_EXCEEDED: u8 = 11;
pub const NET_UNREACH: u8 = 0;
pub const HOST_UNREACH: u8 = 1;
pub const PROT_UNREACH: u8 = 2;
pub const PORT_UNREACH: u8 = 3;
pub const FRAG_NEEDED: u8 = 4;
pub const PKT_FILTERED: u8 = 13;

/// Builds an ICMP echo request body (header + payload) with a valid checksum.
pub fn icmp_echo(id: u16, seq: u16, payload: &[u8]) -> Vec<u8> {
    let h = Icmpv4Header::with_checksum(
        Icmpv4Type::EchoRequest(etherparse::IcmpEchoHeader { id, seq }),
        payload,
    );
    let mut v = h.to_bytes().to_vec();
    v.extend_from_slice(payload);
    v
}
