//! The GRE header (RFC 2784; key and sequence number from RFC 2890), as
//! Linux's gre and gretap tunnels put it between the outer IPv4 header and
//! the packet they carry. etherparse has no GRE, so this is a thin view
//! over bytes plus a `Repr`, in the smoltcp manner.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! |C| |K|S| Reserved0       | Ver |         Protocol Type         |
//! |      Checksum (optional)      |       Reserved1 (optional)    |
//! |                         Key (optional)                        |
//! |                 Sequence Number (optional)                    |
//! ```

/// Flag bits of the first 16-bit word (GRE_CSUM, GRE_KEY, GRE_SEQ of
/// include/uapi/linux/if_tunnel.h, in host order).
pub mod flags {
    pub const CSUM: u16 = 0x8000;
    pub const ROUTING: u16 = 0x4000;
    pub const KEY: u16 = 0x2000;
    pub const SEQ: u16 = 0x1000;
    pub const VERSION: u16 = 0x0007;
}

/// Protocol types GRE carries (ETH_P_*).
pub mod proto {
    pub const IPV4: u16 = 0x0800;
    pub const IPV6: u16 = 0x86dd;
    /// Transparent Ethernet Bridging (gretap).
    pub const TEB: u16 = 0x6558;
    /// ERSPAN type II.
    pub const ERSPAN: u16 = 0x88be;
}

mod field {
    use std::ops::Range;
    pub const FLAGS: Range<usize> = 0..2;
    pub const PROTOCOL: Range<usize> = 2..4;
}

/// Why bytes are not a GRE header Linux accepts (gre_parse_header()).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// Shorter than the header its flags announce.
    Truncated,
    /// Version other than 0 (1 is PPTP's enhanced GRE, handled elsewhere).
    Version(u8),
    /// The routing bit (RFC 1701 source routing), which Linux refuses.
    Routing,
}

/// A read-only view of a GRE header at the start of `buffer`.
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Checks that the header its flags describe fits; no accessor panics after this.
    pub fn new_checked(buffer: T) -> Result<Packet<T>, Error> {
        let p = Packet { buffer };
        let b = p.buffer.as_ref();
        if b.len() < 4 || b.len() < header_len(u16::from_be_bytes([b[0], b[1]])) {
            return Err(Error::Truncated);
        }
        Ok(p)
    }
    pub fn flags(&self) -> u16 {
        let b = self.buffer.as_ref();
        u16::from_be_bytes([b[field::FLAGS.start], b[field::FLAGS.start + 1]])
    }
    pub fn version(&self) -> u8 {
        (self.flags() & flags::VERSION) as u8
    }
    pub fn protocol(&self) -> u16 {
        let b = self.buffer.as_ref();
        u16::from_be_bytes([b[field::PROTOCOL.start], b[field::PROTOCOL.start + 1]])
    }
    pub fn has_csum(&self) -> bool {
        self.flags() & flags::CSUM != 0
    }
    pub fn has_key(&self) -> bool {
        self.flags() & flags::KEY != 0
    }
    pub fn has_seq(&self) -> bool {
        self.flags() & flags::SEQ != 0
    }
    pub fn header_len(&self) -> usize {
        header_len(self.flags())
    }
    fn word_at(&self, off: usize) -> u32 {
        let b = self.buffer.as_ref();
        u32::from_be_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
    }
    /// The checksum field (0 when absent).
    pub fn checksum(&self) -> u16 {
        if self.has_csum() {
            (self.word_at(4) >> 16) as u16
        } else {
            0
        }
    }
    pub fn key(&self) -> Option<u32> {
        self.has_key()
            .then(|| self.word_at(4 + 4 * self.has_csum() as usize))
    }
    pub fn seq(&self) -> Option<u32> {
        self.has_seq()
            .then(|| self.word_at(4 + 4 * (self.has_csum() as usize + self.has_key() as usize)))
    }
    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[self.header_len()..]
    }
    /// Whether the checksum covers header and payload correctly (RFC 2784 §2.5).
    pub fn verify_checksum(&self) -> bool {
        !self.has_csum() || crate::wire::checksum::checksum(self.buffer.as_ref()) == 0
    }
}

/// The header length the flags call for: 4, plus 4 for each of C, K, S.
pub fn header_len(f: u16) -> usize {
    4 + 4
        * ((f & flags::CSUM != 0) as usize
            + (f & flags::KEY != 0) as usize
            + (f & flags::SEQ != 0) as usize)
}

/// A GRE header's meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repr {
    pub csum: bool,
    pub key: Option<u32>,
    pub seq: Option<u32>,
    pub protocol: u16,
}

impl Repr {
    /// gre_parse_header(): version 0 without routing; the checksum is the
    /// caller's to verify (it covers the payload).
    pub fn parse<T: AsRef<[u8]>>(p: &Packet<T>) -> Result<Repr, Error> {
        if p.version() != 0 {
            return Err(Error::Version(p.version()));
        }
        if p.flags() & flags::ROUTING != 0 {
            return Err(Error::Routing);
        }
        Ok(Repr {
            csum: p.has_csum(),
            key: p.key(),
            seq: p.seq(),
            protocol: p.protocol(),
        })
    }
    pub fn flags(&self) -> u16 {
        (if self.csum { flags::CSUM } else { 0 })
            | (if self.key.is_some() { flags::KEY } else { 0 })
            | (if self.seq.is_some() { flags::SEQ } else { 0 })
    }
    pub fn header_len(&self) -> usize {
        header_len(self.flags())
    }
    /// gre_build_header(): writes the header into `buf[..header_len]`,
    /// where the payload already follows; the checksum covers both.
    pub fn emit(&self, buf: &mut [u8]) {
        buf[0..2].copy_from_slice(&self.flags().to_be_bytes());
        buf[2..4].copy_from_slice(&self.protocol.to_be_bytes());
        let mut off = 4;
        if self.csum {
            buf[off..off + 4].fill(0);
            off += 4;
        }
        if let Some(k) = self.key {
            buf[off..off + 4].copy_from_slice(&k.to_be_bytes());
            off += 4;
        }
        if let Some(s) = self.seq {
            buf[off..off + 4].copy_from_slice(&s.to_be_bytes());
        }
        if self.csum {
            let ck = crate::wire::checksum::checksum(buf);
            buf[4..6].copy_from_slice(&ck.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No options: flags 0, version 0, protocol IPv4.
    const PLAIN: [u8; 4] = [0x00, 0x00, 0x08, 0x00];

    /// Key and sequence: K and S set, key 42, seq 7, carrying Ethernet (gretap).
    const KEY_SEQ: [u8; 12] = [
        0x30, 0x00, // K|S, version 0
        0x65, 0x58, // Transparent Ethernet Bridging
        0x00, 0x00, 0x00, 0x2a, // key 42
        0x00, 0x00, 0x00, 0x07, // sequence 7
    ];

    #[test]
    fn parse_plain() {
        let p = Packet::new_checked(&PLAIN[..]).unwrap();
        assert_eq!(p.header_len(), 4);
        let r = Repr::parse(&p).unwrap();
        assert_eq!(
            r,
            Repr {
                csum: false,
                key: None,
                seq: None,
                protocol: proto::IPV4
            }
        );
    }

    #[test]
    fn emit_plain() {
        let mut b = [0xffu8; 4];
        Repr {
            csum: false,
            key: None,
            seq: None,
            protocol: proto::IPV4,
        }
        .emit(&mut b);
        assert_eq!(b, PLAIN);
    }

    #[test]
    fn parse_and_emit_key_seq() {
        let p = Packet::new_checked(&KEY_SEQ[..]).unwrap();
        let r = Repr::parse(&p).unwrap();
        assert_eq!(r.key, Some(42));
        assert_eq!(r.seq, Some(7));
        assert_eq!(r.protocol, proto::TEB);
        assert!(!r.csum);
        let mut b = [0u8; 12];
        r.emit(&mut b);
        assert_eq!(b, KEY_SEQ);
    }

    #[test]
    fn checksum_covers_header_and_payload() {
        // C|K, key 1, then a 4-byte payload.
        let r = Repr {
            csum: true,
            key: Some(1),
            seq: None,
            protocol: proto::IPV4,
        };
        let mut b = vec![0u8; r.header_len()];
        b.extend_from_slice(&[0x45, 0x00, 0x00, 0x14]);
        r.emit(&mut b);
        assert_eq!(&b[0..4], &[0xa0, 0x00, 0x08, 0x00]);
        assert_eq!(&b[8..12], &[0, 0, 0, 1]);
        // One's complement sum of 0xa000 0x0800 0x0000 0x0001 0x4500 0x0014 = 0xed15.
        assert_eq!(u16::from_be_bytes([b[4], b[5]]), !0xed15u16);
        let p = Packet::new_checked(&b[..]).unwrap();
        assert!(p.verify_checksum());
        assert_eq!(p.payload(), &[0x45, 0x00, 0x00, 0x14]);
        b[13] ^= 1;
        assert!(!Packet::new_checked(&b[..]).unwrap().verify_checksum());
    }

    #[test]
    fn refuses_short_other_versions_and_routing() {
        assert_eq!(
            Packet::new_checked(&KEY_SEQ[..8]).err(),
            Some(Error::Truncated)
        );
        assert_eq!(
            Packet::new_checked(&[0u8; 3][..]).err(),
            Some(Error::Truncated)
        );
        let v1 = [0x30, 0x01, 0x88, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0];
        let p = Packet::new_checked(&v1[..]).unwrap();
        assert_eq!(Repr::parse(&p), Err(Error::Version(1)));
        let rt = [0x40, 0x00, 0x08, 0x00];
        let p = Packet::new_checked(&rt[..]).unwrap();
        assert_eq!(Repr::parse(&p), Err(Error::Routing));
    }
}
