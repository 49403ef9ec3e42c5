//! `iptables`, `iptables-save` and `iptables-restore` (iptables 1.8.9,
//! nf_tables variant). A command edits a copy of its table and installs it
//! with `replace_table` only if everything succeeded, as iptables-nft
//! commits one batch. A table springs into existence (with its built-in
//! chains) the first time a command changes it; listing an absent table
//! shows the empty built-in chains without creating it.
//!
//! Read `parse.rs` (rule specifications) and `print.rs` (output forms) next.

pub mod exec;
pub mod names;
pub mod parse;
pub mod print;
pub mod restore;
pub mod xt_qos;

use parse::{opt, parse_addrs, Spec, TARGET_NAMES};
use vnet_core::netfilter::rule::IpSpec;
use vnet_core::netfilter::Family;

pub use exec::main;

pub const VERSION: &str = "v1.8.9 (nf_tables)";

/// The program a family's tables are handled by.
pub fn prog(fam: Family) -> &'static str {
    match fam {
        Family::Ipv4 => "iptables",
        Family::Ipv6 => "ip6tables",
    }
}

/// How a command fails, and so what it prints and returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Fail {
    /// A parameter problem: `iptables v1.8.9 (nf_tables): MSG` and the
    /// "Try" line; exit 2.
    Param(String),
    /// `Bad argument `X'` and the "Try" line; exit 2.
    BadArg(String),
    /// An error of the kernel's, as `iptables: MSG`; exit 1.
    Kernel(String),
    /// `iptables v1.8.9 (nf_tables): MSG` without the "Try" line.
    Plain(String, i32),
    /// Something iptables has that vnet does not simulate yet:
    /// `vnet: WHAT is not simulated yet`; exit 2.
    NotSimulated(String),
}

impl Fail {
    pub fn status(&self) -> i32 {
        match self {
            Fail::Param(_) | Fail::BadArg(_) | Fail::NotSimulated(_) => 2,
            Fail::Kernel(_) => 1,
            Fail::Plain(_, c) => *c,
        }
    }
    /// The message as `prog` prints it.
    pub fn text(&self, prog: &str) -> String {
        let try_ = format!("Try `{prog} -h' or '{prog} --help' for more information.\n");
        match self {
            Fail::Param(m) => format!("{prog} {VERSION}: {m}\n{try_}"),
            Fail::BadArg(a) => format!("Bad argument `{a}'\n{try_}"),
            Fail::Kernel(m) => format!("{prog}: {m}\n"),
            Fail::Plain(m, _) => format!("{prog} {VERSION}: {m}\n"),
            Fail::NotSimulated(what) => crate::unsimulated::message(what),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Append,
    Check,
    Delete,
    Insert,
    Replace,
    List,
    ListRules,
    Flush,
    Zero,
    NewChain,
    DeleteChain,
    Rename,
    Policy,
}

impl Op {
    fn letter(self) -> char {
        match self {
            Op::Append => 'A',
            Op::Check => 'C',
            Op::Delete => 'D',
            Op::Insert => 'I',
            Op::Replace => 'R',
            Op::List => 'L',
            Op::ListRules => 'S',
            Op::Flush => 'F',
            Op::Zero => 'Z',
            Op::NewChain => 'N',
            Op::DeleteChain => 'X',
            Op::Rename => 'E',
            Op::Policy => 'P',
        }
    }
    fn from_letter(c: char) -> Option<Op> {
        Some(match c {
            'A' => Op::Append,
            'C' => Op::Check,
            'D' => Op::Delete,
            'I' => Op::Insert,
            'R' => Op::Replace,
            'L' => Op::List,
            'S' => Op::ListRules,
            'F' => Op::Flush,
            'Z' => Op::Zero,
            'N' => Op::NewChain,
            'X' => Op::DeleteChain,
            'E' => Op::Rename,
            'P' => Op::Policy,
            _ => return None,
        })
    }
}

/// A parsed command line.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub ops: Vec<Op>,
    pub chain: Option<String>,
    pub rulenum: Option<usize>,
    /// -E's new name, -P's policy.
    pub arg2: Option<String>,
    pub table: String,
    pub options: u32,
    pub spec: Spec,
    pub help: bool,
    pub version: bool,
}

/// (long name, its short letter, 0 no argument / 1 required / 2 optional).
const BASE_LONG: &[(&str, char, u8)] = &[
    ("append", 'A', 1),
    ("check", 'C', 1),
    ("delete", 'D', 1),
    ("delete-chain", 'X', 2),
    ("insert", 'I', 1),
    ("replace", 'R', 1),
    ("list", 'L', 2),
    ("list-rules", 'S', 2),
    ("flush", 'F', 2),
    ("zero", 'Z', 2),
    ("new-chain", 'N', 1),
    ("rename-chain", 'E', 1),
    ("policy", 'P', 1),
    ("source", 's', 1),
    ("src", 's', 1),
    ("destination", 'd', 1),
    ("dst", 'd', 1),
    ("protocol", 'p', 1),
    ("in-interface", 'i', 1),
    ("out-interface", 'o', 1),
    ("jump", 'j', 1),
    ("goto", 'g', 1),
    ("match", 'm', 1),
    ("numeric", 'n', 0),
    ("verbose", 'v', 0),
    ("exact", 'x', 0),
    ("line-numbers", '0', 0),
    ("table", 't', 1),
    ("fragment", 'f', 0),
    ("set-counters", 'c', 1),
    ("wait", 'w', 2),
    ("wait-interval", 'W', 1),
    ("ipv4", '4', 0),
    ("ipv6", '6', 0),
    ("modprobe", 'M', 1),
    ("help", 'h', 0),
    ("version", 'V', 0),
];

/// Short options: letter → 0 none, 1 required, 2 optional.
fn short_arg(c: char) -> Option<u8> {
    Some(match c {
        'A' | 'C' | 'D' | 'R' | 'I' | 'N' | 'E' | 'P' | 'M' => 1,
        'L' | 'S' | 'F' | 'Z' | 'X' | 'h' | 'w' | 'W' => 2,
        'o' | 'p' | 's' | 'd' | 'j' | 'g' | 'i' | 't' | 'm' | 'c' => 1,
        'V' | 'f' | 'v' | 'n' | 'x' | '4' | '6' => 0,
        _ => return None,
    })
}

fn parse_rulenum(s: &str) -> Result<usize, Fail> {
    match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(Fail::Param(format!("Invalid rule number `{s}'"))),
    }
}

pub fn check_chain_name(name: &str) -> Result<(), Fail> {
    if name.len() >= 29 {
        return Err(Fail::Param(format!(
            "chain name `{name}' too long (must be under 29 chars)"
        )));
    }
    if name.starts_with('-') {
        return Err(Fail::Param(
            "chain name not allowed to start with `-'".into(),
        ));
    }
    if TARGET_NAMES.contains(&name) || crate::unsimulated::IPT_TARGETS.contains(&name) {
        return Err(Fail::Param(
            "chain name may not clash with target name".into(),
        ));
    }
    // isspace() in the C locale; a NUL (where C would cut the name) too.
    if name.is_empty()
        || name
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b == 0x0b || b == 0)
    {
        return Err(Fail::Param(format!("Invalid chain name `{name}'")));
    }
    Ok(())
}

/// An option resolved from argv: a base option letter or an extension's long option.
enum Resolved {
    Letter(char, Option<String>),
    Ext(String, Option<String>),
}

/// Resolves `--name[=value]` against the base and the loaded extensions'
/// options, allowing a unique prefix as getopt_long does.
fn resolve_long(p: &Parsed, a: &str, body: &str) -> Result<Resolved, Fail> {
    let (name, val) = match body.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (body, None),
    };
    let ext = p.spec.ext_long_options();
    if let Some((_, l, _)) = BASE_LONG.iter().find(|(n, _, _)| *n == name) {
        return Ok(Resolved::Letter(*l, val));
    }
    if let Some((n, _)) = ext.iter().find(|(n, _)| *n == name) {
        return Ok(Resolved::Ext(n.to_string(), val));
    }
    let mut cands: Vec<(Option<char>, String)> = BASE_LONG
        .iter()
        .filter(|(n, _, _)| n.starts_with(name))
        .map(|(n, l, _)| (Some(*l), n.to_string()))
        .collect();
    for (n, _) in ext.iter().filter(|(n, _)| n.starts_with(name)) {
        if !cands.iter().any(|(_, c)| c == n) {
            cands.push((None, n.to_string()));
        }
    }
    if cands.len() != 1 || name.is_empty() {
        return Err(Fail::Param(format!("unknown option \"{a}\"")));
    }
    Ok(match cands.remove(0) {
        (Some(l), _) => Resolved::Letter(l, val),
        (None, n) => Resolved::Ext(n, val),
    })
}

/// Parses an iptables or ip6tables command line (without the program name).
pub fn parse_args(args: &[String], fam: Family) -> Result<Parsed, Fail> {
    let mut p = Parsed {
        table: "filter".into(),
        ..Parsed::default()
    };
    p.spec.family = fam;
    let mut i = 0;
    let mut invert = false;
    let plain_at = |i: usize| -> Option<String> {
        args.get(i)
            .filter(|a| !a.starts_with('-') && a.as_str() != "!")
            .cloned()
    };
    while i < args.len() {
        let a = args[i].clone();
        i += 1;
        if a == "!" {
            if invert {
                return Err(Fail::Param("multiple consecutive ! not allowed".into()));
            }
            invert = true;
            continue;
        }
        let resolved = if let Some(body) = a.strip_prefix("--") {
            resolve_long(&p, &a, body)?
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            let mut found = None;
            while k < chars.len() {
                let c = chars[k];
                match short_arg(c) {
                    None => return Err(Fail::Param(format!("unknown option \"-{c}\""))),
                    Some(0) if k + 1 < chars.len() => {
                        flag_option(&mut p, c, invert)?;
                        invert = false;
                        k += 1;
                    }
                    Some(_) => {
                        let rest: String = chars[k + 1..].iter().collect();
                        found = Some(Resolved::Letter(c, (!rest.is_empty()).then_some(rest)));
                        break;
                    }
                }
            }
            match found {
                Some(r) => r,
                None => continue,
            }
        } else {
            return Err(Fail::BadArg(a));
        };
        match resolved {
            Resolved::Ext(name, attached) => {
                let takes = p
                    .spec
                    .ext_long_options()
                    .iter()
                    .find(|(n, _)| *n == name)
                    .is_some_and(|(_, t)| *t);
                let arg = if !takes {
                    None
                } else if attached.is_some() {
                    attached
                } else if let Some(v) = args.get(i) {
                    i += 1;
                    Some(v.clone())
                } else {
                    return Err(Fail::Param(format!(
                        "option \"--{name}\" requires an argument"
                    )));
                };
                let mut more = || {
                    let v = args.get(i).filter(|v| !v.starts_with('-')).cloned();
                    if v.is_some() {
                        i += 1;
                    }
                    v
                };
                if !p
                    .spec
                    .ext_option(&name, arg.as_deref(), invert, &mut more)?
                {
                    return Err(Fail::Param(format!("unknown option \"{a}\"")));
                }
                invert = false;
            }
            Resolved::Letter(c, mut attached) => {
                let kind = if c == '0' {
                    0
                } else {
                    short_arg(c).unwrap_or(0)
                };
                let shown = if a.starts_with("--") {
                    a.split('=').next().unwrap_or(&a).to_string()
                } else {
                    format!("-{c}")
                };
                let mut required = |attached: &mut Option<String>| -> Result<String, Fail> {
                    if let Some(v) = attached.take() {
                        return Ok(v);
                    }
                    match args.get(i) {
                        Some(v) => {
                            i += 1;
                            Ok(v.clone())
                        }
                        None => Err(Fail::Param(format!(
                            "option \"{shown}\" requires an argument"
                        ))),
                    }
                };
                if let Some(op) = Op::from_letter(c) {
                    if let Some(prev) = p.ops.first() {
                        if !matches!((prev, op), (Op::List, Op::Zero) | (Op::Zero, Op::List)) {
                            return Err(Fail::Param(format!(
                                "Cannot use -{} with -{}",
                                op.letter(),
                                prev.letter()
                            )));
                        }
                    }
                    if invert {
                        return Err(Fail::Param(format!("cannot have ! before -{c}")));
                    }
                    p.ops.push(op);
                    let chain = if kind == 1 {
                        Some(required(&mut attached)?)
                    } else if attached.is_some() {
                        attached
                    } else if let Some(v) = plain_at(i) {
                        i += 1;
                        Some(v)
                    } else {
                        None
                    };
                    if chain.is_some() {
                        p.chain = chain.clone();
                    }
                    match op {
                        Op::Insert
                        | Op::Delete
                        | Op::Replace
                        | Op::List
                        | Op::ListRules
                        | Op::Zero => {
                            if chain.is_some() {
                                if let Some(v) = plain_at(i) {
                                    i += 1;
                                    p.rulenum = Some(parse_rulenum(&v)?);
                                }
                            }
                            if op == Op::Replace && p.rulenum.is_none() {
                                return Err(Fail::Param("-R requires a rule number".into()));
                            }
                        }
                        Op::Rename => match plain_at(i) {
                            Some(v) => {
                                i += 1;
                                p.arg2 = Some(v);
                            }
                            None => {
                                return Err(Fail::Param(
                                    "-E requires old-chain-name and new-chain-name".into(),
                                ))
                            }
                        },
                        Op::Policy => match plain_at(i) {
                            Some(v) => {
                                i += 1;
                                p.arg2 = Some(v);
                            }
                            None => {
                                return Err(Fail::Param("-P requires a chain and a policy".into()))
                            }
                        },
                        _ => {}
                    }
                    if op == Op::NewChain {
                        check_chain_name(p.chain.as_deref().unwrap_or(""))?;
                    }
                    continue;
                }
                match c {
                    's' | 'd' | 'p' | 'i' | 'o' | 'j' | 'g' | 'm' | 't' | 'M' | 'W' => {
                        let v = required(&mut attached)?;
                        value_option(&mut p, c, &v, invert)?;
                    }
                    'c' => {
                        let v = required(&mut attached)?;
                        let b = args.get(i).cloned();
                        if b.is_some() {
                            i += 1;
                        }
                        counters_option(&mut p, &v, b)?;
                    }
                    'h' => p.help = true,
                    'w' => {
                        if attached.is_none() {
                            if let Some(v) = plain_at(i) {
                                if v.parse::<u32>().is_ok() {
                                    i += 1;
                                }
                            }
                        }
                    }
                    _ => flag_option(&mut p, c, invert)?,
                }
                invert = false;
            }
        }
    }
    Ok(p)
}

fn set_opt(p: &mut Parsed, bit: u32, letter: &str) -> Result<(), Fail> {
    if p.options & bit != 0 {
        return Err(Fail::Param(format!("multiple {letter} flags not allowed")));
    }
    p.options |= bit;
    Ok(())
}

fn flag_option(p: &mut Parsed, c: char, invert: bool) -> Result<(), Fail> {
    match c {
        'n' => p.options |= opt::NUMERIC,
        'v' => p.options |= opt::VERBOSE,
        'x' => p.options |= opt::EXACT,
        '0' => p.options |= opt::LINENUMBERS,
        'f' if p.spec.family == Family::Ipv6 => {
            return Err(Fail::Param(
                "`-f' is not supported in IPv6, use -m frag instead".into(),
            ))
        }
        'f' => {
            set_opt(p, opt::FRAGMENT, "-f")?;
            p.spec.ip.frag = true;
            if invert {
                p.spec.ip.inv |= IpSpec::INV_FRAG;
            }
        }
        'V' => p.version = true,
        'h' => p.help = true,
        _ => {}
    }
    Ok(())
}

fn counters_option(p: &mut Parsed, pk: &str, b: Option<String>) -> Result<(), Fail> {
    set_opt(p, opt::COUNTERS, "-c")?;
    let pk = pk
        .parse::<u64>()
        .map_err(|_| Fail::Param("-c packet counter not numeric".into()))?;
    let b = b.ok_or_else(|| Fail::Param("-c requires packet and byte counter".into()))?;
    let b = b
        .parse::<u64>()
        .map_err(|_| Fail::Param("-c byte counter not numeric".into()))?;
    p.spec.counters = Some((pk, b));
    Ok(())
}

fn value_option(p: &mut Parsed, c: char, v: &str, invert: bool) -> Result<(), Fail> {
    let inv = |b: u8| if invert { b } else { 0 };
    match c {
        's' => {
            set_opt(p, opt::SOURCE, "-s")?;
            p.spec.srcs = parse_addrs(v, p.spec.family)?;
            p.spec.ip.inv |= inv(IpSpec::INV_SRCIP);
        }
        'd' => {
            set_opt(p, opt::DEST, "-d")?;
            p.spec.dsts = parse_addrs(v, p.spec.family)?;
            p.spec.ip.inv |= inv(IpSpec::INV_DSTIP);
        }
        'p' => {
            set_opt(p, opt::PROTO, "-p")?;
            p.spec.ip.proto = names::parse_proto(v)
                .ok_or_else(|| Fail::Param(format!("unknown protocol \"{v}\" specified")))?;
            p.spec.ip.inv |= inv(IpSpec::INV_PROTO);
            if p.spec.ip.proto == 0 && invert {
                return Err(Fail::Param("rule would never match protocol".into()));
            }
        }
        'i' | 'o' => {
            let (bit, name) = if c == 'i' {
                (opt::VIA_IN, "-i")
            } else {
                (opt::VIA_OUT, "-o")
            };
            set_opt(p, bit, name)?;
            if v.len() >= 16 {
                return Err(Fail::Param(format!(
                    "interface name `{v}' must be shorter than IFNAMSIZ (15)"
                )));
            }
            if c == 'i' {
                p.spec.ip.iniface = v.to_string();
                p.spec.ip.inv |= inv(IpSpec::INV_VIA_IN);
            } else {
                p.spec.ip.outiface = v.to_string();
                p.spec.ip.inv |= inv(IpSpec::INV_VIA_OUT);
            }
        }
        'j' | 'g' => {
            set_opt(p, opt::JUMP, if c == 'j' { "-j" } else { "-g" })?;
            if invert {
                return Err(Fail::Param("cannot have ! before -j".into()));
            }
            if let Some(what) = crate::unsimulated::ipt_target(v) {
                return Err(Fail::NotSimulated(what));
            }
            p.spec.set_target(v, c == 'g');
        }
        'm' => {
            if invert {
                return Err(Fail::Param("unexpected ! flag before --match".into()));
            }
            p.spec.load_match(v)?;
        }
        't' => {
            if invert {
                return Err(Fail::Param("unexpected ! flag before --table".into()));
            }
            p.table = v.to_string();
        }
        _ => {}
    }
    Ok(())
}

/// iptables' table of which options each command allows: for the options
/// -n -s -d -p -j -v -x -i -o --line-numbers -c -f, `x` = illegal.
fn legal(op: Op, delete_num: bool) -> &'static [u8; 12] {
    match op {
        Op::Insert | Op::Replace | Op::Append => b"x     x  x  ",
        Op::Delete if delete_num => b"xxxxx xxxxxx",
        Op::Delete | Op::Check => b"x     x  xx ",
        Op::List => b" xxxx  xx xx",
        Op::Policy => b"xxxxx xxxx x",
        _ => b"xxxxx xxxxxx",
    }
}

pub fn option_check(p: &Parsed) -> Result<(), Fail> {
    for (k, name) in opt::NAMES.iter().enumerate() {
        if p.options & (1 << k) == 0 {
            continue;
        }
        let ok = p
            .ops
            .iter()
            .any(|op| legal(*op, p.rulenum.is_some())[k] != b'x');
        if !ok {
            return Err(Fail::Param(format!(
                "Illegal option `{name}' with this command"
            )));
        }
    }
    Ok(())
}
