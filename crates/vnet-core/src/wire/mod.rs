//! Wire formats: header views, checksums, and the tunnel headers etherparse lacks.

pub mod gre;
pub mod vxlan;
