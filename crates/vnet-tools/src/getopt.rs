//! getopt_long for the tools of this crate that coreutils and findutils
//! write: vnet-userland's parser (`vnet_userland::args`: glibc's rules
//! and messages), with the options and operands it found.

pub use vnet_userland::args::Has as Arg;
use vnet_userland::args::{parse_raw, Spec};

/// A long option: its name, whether it takes an argument, its key.
pub type Long = (&'static str, Arg, char);

/// One option found: its key and its argument.
pub type Found = (char, Option<String>);

/// Parses `args` by getopt's `short` string and the `long` options; with
/// `stop`, options end at the first operand (a command to run). Err:
/// getopt's message, without the program name.
pub fn parse(
    args: &[String],
    short: &str,
    long: &[Long],
    stop: bool,
) -> Result<(Vec<Found>, Vec<String>), String> {
    let short = if stop {
        format!("+{short}")
    } else {
        short.to_string()
    };
    let spec = Spec {
        prog: "",
        short: &short,
        long,
        fail: 1,
    };
    parse_raw(&spec, args).map(|p| (p.opts, p.operands))
}
