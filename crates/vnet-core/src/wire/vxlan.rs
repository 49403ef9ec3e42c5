//! The VXLAN header (RFC 7348 §5), as Linux's vxlan driver puts it after the
//! outer UDP header and before the inner Ethernet frame. etherparse has no
//! VXLAN, so this is a thin view over bytes plus a `Repr`, as in `gre`.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! |R|R|R|R|I|R|R|R|            Reserved                           |
//! |                VXLAN Network Identifier (VNI) |   Reserved    |
//! ```

/// The I flag: the VNI is valid (VXLAN_HF_VNI, in the first byte).
pub const FLAG_I: u8 = 0x08;
/// Bytes of the header.
pub const HEADER_LEN: usize = 8;
/// What vxlan adds in front of the inner frame over IPv4: outer IPv4 (20),
/// UDP (8), VXLAN (8) and the inner Ethernet header (14) — VXLAN_HEADROOM.
pub const HEADROOM: u32 = 50;
/// The kernel's default UDP port (IANA's is 4789): the Linux driver predates
/// the assignment (VXLAN_DST_PORT... in iproute2's words "non-standard").
pub const LINUX_DEFAULT_PORT: u16 = 8472;
/// The largest VNI (24 bits).
pub const VNI_MAX: u32 = (1 << 24) - 1;

mod field {
    pub const FLAGS: usize = 0;
    pub const VNI: std::ops::Range<usize> = 4..7;
}

/// A read-only view of a VXLAN header at the start of `buffer`.
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// The view, if the buffer holds a whole header.
    pub fn new_checked(buffer: T) -> Option<Packet<T>> {
        (buffer.as_ref().len() >= HEADER_LEN).then_some(Packet { buffer })
    }
    pub fn flags(&self) -> u8 {
        self.buffer.as_ref()[field::FLAGS]
    }
    pub fn vni(&self) -> u32 {
        let b = &self.buffer.as_ref()[field::VNI];
        u32::from_be_bytes([0, b[0], b[1], b[2]])
    }
    /// The inner Ethernet frame.
    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[HEADER_LEN..]
    }
}

/// A VXLAN header's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repr {
    pub flags: u8,
    pub vni: u32,
}

impl Repr {
    /// The header vxlan_xmit_one() writes: the I flag and the VNI.
    pub fn new(vni: u32) -> Repr {
        Repr {
            flags: FLAG_I,
            vni: vni & VNI_MAX,
        }
    }
    pub fn parse<T: AsRef<[u8]>>(p: &Packet<T>) -> Repr {
        Repr {
            flags: p.flags(),
            vni: p.vni(),
        }
    }
    /// Writes the header into the first HEADER_LEN bytes of `buf`.
    pub fn emit(&self, buf: &mut [u8]) {
        let v = self.vni.to_be_bytes();
        buf[..HEADER_LEN].copy_from_slice(&[self.flags, 0, 0, 0, v[1], v[2], v[3], 0]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // VNI 42 as the kernel sends it (recorded with tcpdump -x).
    const VNI42: [u8; 8] = [
        0x08, 0x00, 0x00, 0x00, // flags: I; reserved
        0x00, 0x00, 0x2a, // VNI 42
        0x00, // reserved
    ];

    #[test]
    fn parse_vni_42() {
        let p = Packet::new_checked(&VNI42[..]).unwrap();
        assert_eq!(Repr::parse(&p), Repr::new(42));
        assert!(p.payload().is_empty());
    }

    #[test]
    fn emit_vni_42() {
        let mut b = [0xffu8; 8];
        Repr::new(42).emit(&mut b);
        assert_eq!(b, VNI42);
    }

    #[test]
    fn largest_vni_round_trips() {
        let mut b = [0u8; 8];
        Repr::new(VNI_MAX).emit(&mut b);
        assert_eq!(b[4..7], [0xff, 0xff, 0xff]);
        assert_eq!(Packet::new_checked(&b[..]).unwrap().vni(), VNI_MAX);
    }

    #[test]
    fn short_buffer_is_refused() {
        assert!(Packet::new_checked(&VNI42[..7]).is_none());
    }
}
