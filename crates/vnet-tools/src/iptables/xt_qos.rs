//! The match extensions on packet size and class of service, as
//! libxtables 1.8.9 parses and prints them: length, tos, dscp, statistic
//! and tcpmss (what firewall and QoS guides use beside the basic ones).

use super::names::DSCP_CLASSES;
use super::Fail;
use crate::args::strtoul0;
use vnet_core::netfilter::rule::{Match, Statistic, StatisticMode};
use vnet_core::netfilter::save::{range_text, statistic_text};

/// The options of each match here, in libxt's table order.
pub fn options(name: &str) -> Option<&'static [(&'static str, bool)]> {
    Some(match name {
        "length" => &[("length", true)],
        "tos" => &[("tos", true)],
        "dscp" => &[("dscp", true), ("dscp-class", true)],
        "statistic" => &[
            ("mode", true),
            ("probability", true),
            ("every", true),
            ("packet", true),
        ],
        "tcpmss" => &[("mss", true)],
        _ => return None,
    })
}

/// A match as `-m NAME` loads it, before its options.
pub fn new_match(name: &str) -> Option<Match> {
    Some(match name {
        "length" => Match::Length {
            min: 0,
            max: 0,
            inv: false,
        },
        "tos" => Match::Tos {
            value: 0,
            mask: 0,
            inv: false,
        },
        "dscp" => Match::Dscp {
            dscp: 0,
            inv: false,
        },
        "statistic" => Match::Statistic(Statistic {
            mode: StatisticMode::Random {
                probability: 0,
                rng: 0,
            },
            inv: false,
        }),
        "tcpmss" => Match::Tcpmss {
            min: 0,
            max: 0,
            inv: false,
        },
        _ => return None,
    })
}

/// The TOS names of libxtables' tos_symbol_names (mask 0x3f).
const TOS_NAMES: &[(&str, u8)] = &[
    ("Normal-Service", 0x00),
    ("Minimize-Cost", 0x02),
    ("Maximize-Reliability", 0x04),
    ("Maximize-Throughput", 0x08),
    ("Minimize-Delay", 0x10),
];

/// XTTYPE_TOSMASK: `VALUE[/MASK]` (C numbers up to 0xff; the mask
/// defaults to 0xff) or a symbolic name (mask 0x3f).
pub fn tos_mask(arg: &str) -> Result<(u8, u8), Fail> {
    let (v, rest) = match arg.split_once('/') {
        Some((v, m)) => (v, Some(m)),
        None => (arg, None),
    };
    let num = |s: &str| crate::args::get_unsigned(s, 0xff).map(|v| v as u8);
    if let Some(value) = num(v) {
        match rest.map(num) {
            None => return Ok((value, 0xff)),
            Some(Some(mask)) => return Ok((value, mask)),
            Some(None) => {}
        }
    }
    TOS_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(arg))
        .map(|(_, v)| (*v, 0x3f))
        .ok_or_else(|| Fail::Param(format!("Symbolic name \"{arg}\" is unknown")))
}

/// XTTYPE_UINT16RC: `N`, `N:`, `:M` or `N:M` (C numbers; min may exceed max).
fn range16(ext: &str, opt: &str, arg: &str) -> Result<(u16, u16), Fail> {
    let bad = |near: &str| {
        Fail::Param(format!(
            "{ext}: bad value for option \"--{opt}\" near \"{near}\", or out of range (0-65535).\n"
        ))
    };
    let num = |s: &str| -> Result<u16, Fail> {
        match strtoul0(s) {
            (v, n, false) if n > 0 && n == s.len() && v <= 0xffff => Ok(v as u16),
            _ => Err(bad(s)),
        }
    };
    match arg.split_once(':') {
        None => num(arg).map(|v| (v, v)),
        Some((a, b)) => {
            let lo = if a.is_empty() { 0 } else { num(a)? };
            let hi = if b.is_empty() { 0xffff } else { num(b)? };
            Ok((lo, hi))
        }
    }
}

/// One option of a match here.
pub fn option(m: &mut Match, ext: &str, opt: &str, arg: &str, inv: bool) -> Result<(), Fail> {
    let out_of = |range: &str| {
        Fail::Param(format!(
            "{ext}: bad value for option \"--{opt}\", or out of range ({range}).\n"
        ))
    };
    match m {
        Match::Length { min, max, inv: i } | Match::Tcpmss { min, max, inv: i } => {
            (*min, *max) = range16(ext, opt, arg)?;
            *i = inv;
        }
        Match::Tos {
            value,
            mask,
            inv: i,
        } => {
            (*value, *mask) = tos_mask(arg)?;
            *i = inv;
        }
        Match::Dscp { dscp, inv: i } => {
            *dscp = if opt == "dscp" {
                crate::args::get_unsigned(arg, 0x3f).ok_or_else(|| out_of("0-63"))? as u8
            } else {
                DSCP_CLASSES
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(arg))
                    .map(|(_, v)| *v)
                    .ok_or_else(|| Fail::Param(format!("Invalid DSCP value `{arg}'")))?
            };
            *i = inv;
        }
        Match::Statistic(st) => {
            if opt == "mode" && inv {
                return Err(Fail::Param(format!(
                    "{ext}: option \"--mode\" cannot be inverted.\n"
                )));
            }
            st.inv |= inv;
            let (every, packet) = match st.mode {
                StatisticMode::Nth { every, packet, .. } => (every, packet),
                _ => (0, 0),
            };
            match opt {
                "mode" => {
                    st.mode = match arg {
                        "random" => StatisticMode::Random {
                            probability: 0,
                            rng: 0,
                        },
                        "nth" => StatisticMode::Nth {
                            every,
                            packet,
                            count: every.saturating_sub(packet),
                        },
                        _ => return Err(Fail::Param(format!("Bad mode \"{arg}\""))),
                    }
                }
                "probability" => {
                    let p = arg
                        .parse::<f64>()
                        .ok()
                        .filter(|p| (0.0..=1.0).contains(p))
                        .ok_or_else(|| out_of("0-1"))?;
                    let probability = (f64::from(0x8000_0000u32) * p).round() as u32;
                    // The rule's random stream starts from its probability.
                    if let StatisticMode::Random { .. } = st.mode {
                        st.mode = StatisticMode::Random {
                            probability,
                            rng: u64::from(probability),
                        };
                    }
                }
                _ => {
                    let (lo, range) = if opt == "every" {
                        (1, "1-4294967295")
                    } else {
                        (0, "0-4294967295")
                    };
                    let v = crate::args::get_unsigned(arg, u32::MAX as u64)
                        .filter(|v| *v >= lo)
                        .ok_or_else(|| out_of(range))? as u32;
                    let (every, packet) = if opt == "every" {
                        (v - 1, packet)
                    } else {
                        (every, v)
                    };
                    if let StatisticMode::Nth { .. } = st.mode {
                        st.mode = StatisticMode::Nth {
                            every,
                            packet,
                            count: every.saturating_sub(packet),
                        };
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The extension's final check, then x6's generic one over the option
/// table (xtables_options_fcheck: mandatory, "also" and exclusions, option
/// by option). `seen` has bit k for option k of [`options`].
pub fn final_check(m: &Match, ext: &str, seen: u32) -> Result<(), Fail> {
    let required = |opt: &str| {
        Err(Fail::Param(format!(
            "{ext}: option \"--{opt}\" must be specified\n"
        )))
    };
    let excl = |a: &str, b: &str| {
        Err(Fail::Param(format!(
            "{ext}: option \"--{a}\" cannot be used together with \"--{b}\".\n"
        )))
    };
    match m {
        Match::Length { .. } if seen == 0 => required("length"),
        Match::Tos { .. } if seen == 0 => required("tos"),
        Match::Tcpmss { .. } if seen == 0 => required("mss"),
        Match::Dscp { .. } if seen == 0 => Err(Fail::Param(
            "DSCP match: Parameter --dscp is required".into(),
        )),
        Match::Dscp { .. } if seen == 3 => excl("dscp", "dscp-class"),
        Match::Statistic(st) => {
            let (mode, prob, every, packet) =
                (seen & 1 != 0, seen & 2 != 0, seen & 4 != 0, seen & 8 != 0);
            // statistic_check(): the mode defaults to random.
            let msg = match st.mode {
                StatisticMode::Random { .. } if !prob => {
                    Some("--probability must be specified when using random mode")
                }
                StatisticMode::Nth { .. } if !every && !packet => {
                    Some("--every and --packet must be specified when using nth mode")
                }
                StatisticMode::Nth { every, packet, .. } if packet > every => {
                    Some("the --packet p must be 0 <= p <= n-1")
                }
                _ => None,
            };
            if let Some(m) = msg {
                return Err(Fail::Param(m.into()));
            }
            if !mode {
                return required("mode");
            }
            if prob && every {
                return excl("probability", "every");
            }
            if prob && packet {
                return excl("probability", "packet");
            }
            if every && !packet {
                return Err(Fail::Param(format!(
                    "{ext}: option \"--every\" also requires \"--packet\".\n"
                )));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// How `-L` shows a match here (None: not one of these).
pub fn list_text(m: &Match, numeric: bool) -> Option<String> {
    let bang = |inv: bool| if inv { "!" } else { "" };
    Some(match m {
        Match::Length { min, max, inv } => {
            format!(" length {}{}", bang(*inv), range_text(*min, *max))
        }
        Match::Tos { value, mask, inv } => {
            let name = TOS_NAMES.iter().find(|(_, v)| v == value).map(|(n, _)| n);
            match name {
                Some(n) if *mask == 0x3f && !numeric => format!(" tos match{} {n}", bang(*inv)),
                _ => format!(" tos match{}0x{value:02x}/0x{mask:02x}", bang(*inv)),
            }
        }
        Match::Dscp { dscp, inv } => format!(" DSCP match {}0x{dscp:02x}", bang(*inv)),
        Match::Statistic(st) => format!(" statistic{}", statistic_text(st, "")),
        Match::Tcpmss { min, max, inv } => {
            format!(" tcpmss match {}{}", bang(*inv), range_text(*min, *max))
        }
        _ => return None,
    })
}
