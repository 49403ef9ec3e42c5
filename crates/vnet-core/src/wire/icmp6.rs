//! ICMPv6 message types and codes (RFC 4443, RFC 4861; include/uapi/linux/icmpv6.h).

pub const DEST_UNREACH: u8 = 1;
pub const PKT_TOOBIG: u8 = 2;
pub const TIME_EXCEED: u8 = 3;
pub const PARAMPROB: u8 = 4;
pub const ECHO_REQUEST: u8 = 128;
pub const ECHO_REPLY: u8 = 129;
pub const NDISC_NEIGHBOUR_SOLICITATION: u8 = 135;
pub const NDISC_NEIGHBOUR_ADVERTISEMENT: u8 = 136;
// DEST_UNREACH codes.
pub const NOROUTE: u8 = 0;
pub const ADM_PROHIBITED: u8 = 1;
pub const NOT_NEIGHBOUR: u8 = 2;
pub const ADDR_UNREACH: u8 = 3;
pub const PORT_UNREACH: u8 = 4;
pub const REJECT_ROUTE: u8 = 6;
// PARAMPROB codes.
pub const UNK_NEXTHDR: u8 = 1;
