//! vnet-transcript: the transcript format of `scripts/transcript.sh`
//! (commands with their stdout, stderr and exit status), its normalisation
//! (what is random on a real kernel: MACs, link-local addresses, times, ICMP
//! ids...) and a per-command diff. Used by the golden tests (kernel
//! transcripts in `tests/golden/`) and by `vnet diff`.
//!
//! Pure: no I/O beyond the strings passed in.

mod diff;
mod format;
mod normalise;

pub use diff::{diff, line_diff, normalise_entries, CommandDiff};
pub use format::{parse, render, Entry};
pub use normalise::normalise;
