//! conntrack(8) from conntrack-tools 1.4.7: list, get, create, update,
//! count, delete and flush the connection tracking table, plus
//! /proc/net/nf_conntrack's line format (which differs only in its prefix,
//! zone and use count).

mod create;
mod xml;

use crate::proc::{Io, Program, Step};
use crate::{Cmd, Failure};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use vnet_core::netfilter::ct::{
    status, Conn, Conntrack, CtAddr, Event, EventKind, TcpState, Tuple,
};
use vnet_core::{Errno, NsId, World};

const PROG: &str = "conntrack v1.4.7 (conntrack-tools)";

const HELP: &str = include_str!("help.txt");

/// The protocol names conntrack knows (as it prints them).
fn proto_name(p: u8) -> &'static str {
    match p {
        1 => "icmp",
        58 => "icmpv6",
        6 => "tcp",
        17 => "udp",
        33 => "dccp",
        47 => "gre",
        132 => "sctp",
        136 => "udplite",
        _ => "unknown",
    }
}

fn proto_number(s: &str) -> Option<u8> {
    Some(match s {
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        "icmpv6" => 58,
        "udplite" => 136,
        "sctp" => 132,
        "dccp" => 33,
        "gre" => 47,
        _ => s.parse().ok()?,
    })
}

/// An address as the tuple prints it; /proc writes IPv6 ones in full
/// (eight groups of four digits, the kernel's %pI6), the tool compressed.
fn addr_text<A: CtAddr>(a: &A, full: bool) -> String {
    match a.to_string().parse::<Ipv6Addr>() {
        Ok(v6) if full => {
            let g: Vec<String> = v6.segments().iter().map(|x| format!("{x:04x}")).collect();
            g.join(":")
        }
        _ => a.to_string(),
    }
}

fn tuple_text<A: CtAddr>(t: &Tuple<A>, full: bool) -> String {
    let mut s = format!(
        "src={} dst={} ",
        addr_text(&t.src, full),
        addr_text(&t.dst, full)
    );
    match t.proto {
        1 | 58 => s.push_str(&format!(
            "type={} code={} id={} ",
            t.icmp_type(),
            t.icmp_code(),
            t.sport
        )),
        6 | 17 | 33 | 132 | 136 => s.push_str(&format!("sport={} dport={} ", t.sport, t.dport)),
        _ => {}
    }
    s
}

/// The part of a row every format shares: protocol, timeout, TCP state,
/// both tuples with the [UNREPLIED] and [ASSURED] marks (trailing space).
fn row<A: CtAddr>(c: &Conn<A>, secs: u64, full: bool) -> String {
    let t = &c.tuple[0];
    let mut s = format!("{:<8} {} {} ", proto_name(t.proto), t.proto, secs);
    if let Some(st) = c.tcp_state() {
        s.push_str(st.name());
        s.push(' ');
    }
    s.push_str(&tuple_text(t, full));
    if !c.has(status::SEEN_REPLY) {
        s.push_str("[UNREPLIED] ");
    }
    s.push_str(&tuple_text(&c.tuple[1], full));
    if c.has(status::ASSURED) {
        s.push_str("[ASSURED] ");
    }
    s
}

/// One connection as `conntrack -L` prints it (`proc`: as /proc/net/nf_conntrack).
pub fn entry_line<A: CtAddr>(w: &World, c: &Conn<A>, proc: bool) -> String {
    let mut s = String::new();
    if proc {
        s.push_str(l3_prefix(c));
    }
    s.push_str(&row(c, w.ct_seconds_left(c), proc));
    s.push_str(&format!("mark={} ", c.mark));
    if proc {
        s.push_str(&format!("zone={} use=2", c.zone));
    } else {
        if c.zone != 0 {
            s.push_str(&format!("zone={} ", c.zone));
        }
        s.push_str("use=1");
    }
    s
}

/// The layer-3 columns of `-o extended` and /proc (`%-8s %u `).
fn l3_prefix<A: CtAddr>(c: &Conn<A>) -> &'static str {
    if c.tuple[0].src.v4().is_some() {
        "ipv4     2 "
    } else {
        "ipv6     10 "
    }
}

/// One event as `conntrack -E` prints it.
fn event_line(e: &Event) -> String {
    let kind = match e.kind {
        EventKind::New => "[NEW]",
        EventKind::Update => "[UPDATE]",
        EventKind::Destroy => "[DESTROY]",
    };
    let r = row(&e.conn, e.timeout, false);
    format!("{kind:>9} {}", r.trim_end())
}

/// `conntrack -E`: prints events until interrupted, then how many.
struct Events {
    ns: NsId,
    filter: Filter,
    /// -e: which kinds (bits: NEW 1, UPDATE 2, DESTROY 4).
    mask: u8,
    /// The first event not yet read: the namespace's event list is shared
    /// by every listener (each has its own netlink socket on the kernel).
    next: usize,
    shown: u64,
}

impl Program for Events {
    fn poll(&mut self, w: &mut World, io: &mut Io) -> Step {
        let evs = &w.ns(self.ns).nf().conntrack.events;
        let fresh = evs.get(self.next..).unwrap_or_default();
        self.next = evs.len();
        let bit = |k: &EventKind| match k {
            EventKind::New => 1,
            EventKind::Update => 2,
            EventKind::Destroy => 4,
        };
        for e in fresh
            .iter()
            .filter(|e| self.mask & bit(&e.kind) != 0 && self.filter.matches(&e.conn))
        {
            io.out.extend_from_slice(event_line(e).as_bytes());
            io.out.push(b'\n');
            self.shown += 1;
        }
        Step::Wait(None)
    }
    fn interrupt(&mut self, w: &mut World, io: &mut Io) -> i32 {
        self.poll(w, io);
        io.err.extend_from_slice(
            format!("{PROG}: {} flow events have been shown.\n", self.shown).as_bytes(),
        );
        0
    }
    /// event_sighandler() takes SIGTERM as SIGINT.
    fn signal(&mut self, w: &mut World, io: &mut Io, sig: i32) -> Option<i32> {
        match sig {
            2 | 15 => Some(self.interrupt(w, io)),
            0 | 17..=23 | 28 => None,
            _ => Some(128 + sig),
        }
    }
    // Conntrack -E flushes each event.
    fn flushes(&self) -> bool {
        true
    }

    fn endless(&self) -> bool {
        true
    }
    fn close(&mut self, w: &mut World) {
        w.ct_events_unlisten(self.ns);
    }
}

/// The live connections of a table, oldest first.
fn live_in<'a, A: CtAddr>(w: &World, t: Option<&'a Conntrack<A>>) -> Vec<&'a Conn<A>> {
    let now = w.now();
    let mut v: Vec<&'a Conn<A>> = t
        .into_iter()
        .flat_map(|t| t.iter())
        .map(|(_, c)| c)
        .filter(|c| c.timeout > now)
        .collect();
    v.sort_by_key(|c| c.id);
    v
}

/// The live IPv4 connections of a namespace, oldest first.
pub fn live(w: &World, ns: NsId) -> Vec<&Conn> {
    live_in(w, Some(&w.ns(ns).nf().conntrack))
}

/// The live IPv6 connections of a namespace, oldest first.
pub fn live6(w: &World, ns: NsId) -> Vec<&Conn<Ipv6Addr>> {
    live_in(w, w.ns(ns).nf().conntrack6.as_deref())
}

/// How many live connections a namespace has, of both families.
pub fn live_count(w: &World, ns: NsId) -> usize {
    live(w, ns).len() + live6(w, ns).len()
}

/// /proc/net/nf_conntrack: both families.
pub fn proc_file(w: &World, ns: NsId) -> String {
    let four = live(w, ns).into_iter().map(|c| entry_line(w, c, true));
    let six = live6(w, ns).into_iter().map(|c| entry_line(w, c, true));
    four.chain(six).map(|l| l + "\n").collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Command {
    List,
    Event,
    Get,
    Update,
    Create,
    Delete,
    Flush,
    Count,
    Stats,
    Help,
    Version,
}

/// What -L/-D/-G select.
#[derive(Default, Clone)]
struct Filter {
    proto: Option<u8>,
    orig_src: Option<Ipv4Addr>,
    orig_dst: Option<Ipv4Addr>,
    reply_src: Option<Ipv4Addr>,
    reply_dst: Option<Ipv4Addr>,
    sport: Option<u16>,
    dport: Option<u16>,
    reply_sport: Option<u16>,
    reply_dport: Option<u16>,
    state: Option<TcpState>,
    mark: Option<(u32, u32)>,
    /// --src-nat/--dst-nat/--any-nat ADDR: the address NAT gave.
    snat: Option<Ipv4Addr>,
    dnat: Option<Ipv4Addr>,
    any_nat: Option<Ipv4Addr>,
    status: Option<u32>,
    zone: Option<u16>,
    icmp_type: Option<u8>,
    icmp_code: Option<u8>,
    icmp_id: Option<u16>,
}

impl Filter {
    fn matches<A: CtAddr>(&self, c: &Conn<A>) -> bool {
        let (o, r) = (&c.tuple[0], &c.tuple[1]);
        // The address options take IPv4 addresses only here.
        let is = |want: Option<Ipv4Addr>, got: A| want.is_none_or(|w| got.v4() == Some(w));
        let port = |want: Option<u16>, got: u16| want.is_none_or(|w| w == got);
        self.proto.is_none_or(|p| p == o.proto)
            && is(self.orig_src, o.src)
            && is(self.orig_dst, o.dst)
            && is(self.reply_src, r.src)
            && is(self.reply_dst, r.dst)
            && (matches!(o.proto, 1 | 58) || port(self.sport, o.sport))
            && (matches!(o.proto, 1 | 58) || port(self.dport, o.dport))
            && (matches!(o.proto, 1 | 58) || port(self.reply_sport, r.sport))
            && (matches!(o.proto, 1 | 58) || port(self.reply_dport, r.dport))
            && self.state.is_none_or(|s| c.tcp_state() == Some(s))
            && self.mark.is_none_or(|(v, m)| c.mark & m == v)
            && self
                .snat
                .is_none_or(|a| is_snat(c) && r.dst.v4() == Some(a))
            && self
                .dnat
                .is_none_or(|a| is_dnat(c) && r.src.v4() == Some(a))
            && self.any_nat.is_none_or(|a| {
                (is_snat(c) && r.dst.v4() == Some(a)) || (is_dnat(c) && r.src.v4() == Some(a))
            })
            && self.status.is_none_or(|s| c.status & s == s)
            && self.zone.is_none_or(|z| z == c.zone)
            && self.icmp_type.is_none_or(|t| o.icmp_type() == t)
            && self.icmp_code.is_none_or(|t| o.icmp_code() == t)
            && self.icmp_id.is_none_or(|t| o.sport == t)
    }
}

/// libnetfilter_conntrack's NFCT_GOPT_IS_SNAT: the reply goes back to
/// another address than the original came from.
fn is_snat<A: CtAddr>(c: &Conn<A>) -> bool {
    c.tuple[0].src != c.tuple[1].dst
}

/// NFCT_GOPT_IS_DNAT: the reply comes from another address than the
/// original went to.
fn is_dnat<A: CtAddr>(c: &Conn<A>) -> bool {
    c.tuple[0].dst != c.tuple[1].src
}

/// How conntrack fails: [`Display`](fmt::Display) is what it prints on
/// stderr, [`Failure::status`] its exit status. [`main`] prints it, after
/// whatever conntrack printed before.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Error {
    /// A parameter problem: `PROG: MSG` and the "Try" line; exit 2.
    Param(String),
    /// The kernel refused: `PROG: Operation failed: MSG`; exit 1.
    Failed(&'static str),
    /// An update through a filtered dump the kernel refused: the dump's
    /// `Operation failed: MSG`, then conntrack's own line; exit 1.
    DumpFailed(&'static str),
}

impl Failure for Error {
    fn status(&self) -> i32 {
        match self {
            Error::Param(_) => 2,
            Error::Failed(_) | Error::DumpFailed(_) => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Param(m) => write!(
                f,
                "{PROG}: {m}\nTry `conntrack -h' or 'conntrack --help' for more information.\n"
            ),
            Error::Failed(m) => writeln!(f, "{PROG}: Operation failed: {m}"),
            Error::DumpFailed(m) => {
                writeln!(f, "Operation failed: {m}")?;
                Error::Failed(m).fmt(f)
            }
        }
    }
}

/// A parameter problem (exit 2).
fn param_problem(msg: impl Into<String>) -> Error {
    Error::Param(msg.into())
}

/// `such conntrack doesn't exist`: no entry has the tuple.
const NO_SUCH_CONNTRACK: Error = Error::Failed("such conntrack doesn't exist");

fn tcp_state(s: &str) -> Option<TcpState> {
    use TcpState::*;
    [
        None,
        SynSent,
        SynRecv,
        Established,
        FinWait,
        CloseWait,
        LastAck,
        TimeWait,
        Close,
        SynSent2,
    ]
    .into_iter()
    .find(|t| t.name() == s)
}

fn status_bits(s: &str) -> Option<u32> {
    let mut bits = 0;
    for part in s.split(',') {
        bits |= match part {
            "EXPECTED" => status::EXPECTED,
            "SEEN_REPLY" => status::SEEN_REPLY,
            "ASSURED" => status::ASSURED,
            "FIXED_TIMEOUT" => status::FIXED_TIMEOUT,
            "UNSET" => 0,
            _ => return None,
        };
    }
    Some(bits)
}

fn parse_mark(s: &str) -> Option<(u32, u32)> {
    let num = |t: &str| match t.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => t.parse().ok(),
    };
    match s.split_once('/') {
        Some((v, m)) => Some((num(v)?, num(m)?)),
        None => Some((num(s)?, u32::MAX)),
    }
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let r = run(c, args);
    c.exit(r)
}

fn run(c: &mut Cmd, args: &[String]) -> Result<i32, Error> {
    let mut cmd: Option<Command> = None;
    let mut table = "conntrack".to_string();
    let mut f = Filter::default();
    let mut extended = false;
    let mut xml = false;
    // -t: the timeout of an entry -I makes.
    let mut timeout: Option<u32> = None;
    // -f: one family's table only (the kernel dumps by l3proto).
    let mut family: Option<u8> = None;
    let mut event_mask: Option<u8> = None;
    let mut i = 0;
    let set_cmd = |cmd: &mut Option<Command>, new: Command| -> Result<(), Error> {
        // One command per invocation, even the same one twice (-L -L).
        if cmd.is_some() {
            return Err(param_problem("Invalid commands combination"));
        }
        *cmd = Some(new);
        Ok(())
    };
    while i < args.len() {
        let a = args[i].as_str();
        // Options that take a value, in short and long spellings.
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a, None),
        };
        // Whether an optional argument follows (conntrack takes the next
        // word unless it is an option).
        let has_value = inline.is_some() || args.get(i + 1).is_some_and(|v| !v.starts_with('-'));
        let mut value = || -> Result<String, Error> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| param_problem(format!("option `{name}' requires an argument")))
        };
        {
            match name {
                "-L" | "--dump" => set_cmd(&mut cmd, Command::List)?,
                "-G" | "--get" => set_cmd(&mut cmd, Command::Get)?,
                "-U" | "--update" => set_cmd(&mut cmd, Command::Update)?,
                "-I" | "--create" => set_cmd(&mut cmd, Command::Create)?,
                "-E" | "--event" => set_cmd(&mut cmd, Command::Event)?,
                "-D" | "--delete" => set_cmd(&mut cmd, Command::Delete)?,
                "-F" | "--flush" => set_cmd(&mut cmd, Command::Flush)?,
                "-C" | "--count" => set_cmd(&mut cmd, Command::Count)?,
                "-S" | "--stats" => set_cmd(&mut cmd, Command::Stats)?,
                "-h" | "--help" => set_cmd(&mut cmd, Command::Help)?,
                "-V" | "--version" => set_cmd(&mut cmd, Command::Version)?,
                "conntrack" | "expect" | "dying" | "unconfirmed" => table = name.to_string(),
                "-p" | "--protonum" | "--proto" => {
                    let v = value()?;
                    match proto_number(&v) {
                        Some(p) => f.proto = Some(p),
                        None => return Err(param_problem(format!("`{v}' unsupported protocol"))),
                    }
                }
                // The NAT filters take their address optionally: bare, they
                // select nothing more (the kernel's dump filter ignores them).
                "-n" | "--src-nat" | "-g" | "--dst-nat" | "-j" | "--any-nat" if !has_value => {}
                "-s" | "--src" | "--orig-src" | "-d" | "--dst" | "--orig-dst" | "-r"
                | "--reply-src" | "-q" | "--reply-dst" | "-n" | "--src-nat" | "-g"
                | "--dst-nat" | "-j" | "--any-nat" => {
                    let v = value()?;
                    let Some(ip) = inet_aton(&v) else {
                        return Err(param_problem(format!("Bad IP address `{v}'")));
                    };
                    match name {
                        "-s" | "--src" | "--orig-src" => f.orig_src = Some(ip),
                        "-d" | "--dst" | "--orig-dst" => f.orig_dst = Some(ip),
                        "-r" | "--reply-src" => f.reply_src = Some(ip),
                        "-q" | "--reply-dst" => f.reply_dst = Some(ip),
                        "-n" | "--src-nat" => f.snat = Some(ip),
                        "-g" | "--dst-nat" => f.dnat = Some(ip),
                        _ => f.any_nat = Some(ip),
                    }
                }
                "-m" | "--mark" => {
                    let v = value()?;
                    f.mark = Some(
                        parse_mark(&v)
                            .ok_or_else(|| param_problem(format!("Bad mark value `{v}'")))?,
                    );
                }
                "-u" | "--status" => {
                    let v = value()?;
                    f.status = Some(
                        status_bits(&v)
                            .ok_or_else(|| param_problem(format!("Bad parameter `{v}'")))?,
                    );
                }
                "-w" | "--zone" => {
                    let v = value()?;
                    f.zone = Some(
                        v.parse()
                            .map_err(|_| param_problem(format!("Bad zone value `{v}'")))?,
                    );
                }
                "-f" | "--family" => {
                    let v = value()?;
                    if v != "ipv4" && v != "ipv6" {
                        return Err(param_problem(format!("`{v}' unsupported protocol")));
                    }
                    family = Some(if v == "ipv6" { 6 } else { 4 });
                }
                "-o" | "--output" => {
                    let v = value()?;
                    for o in v.split(',') {
                        match o {
                            "extended" => extended = true,
                            "xml" => xml = true,
                            "timestamp" | "id" | "ktimestamp" | "labels" | "userspace" => {}
                            _ => return Err(param_problem(format!("Bad parameter `{o}'"))),
                        }
                    }
                }
                "-z" | "--zero" => {}
                "-t" | "--timeout" => {
                    let v = value()?;
                    timeout = Some(atoi(&v));
                }
                "-e" | "--event-mask" => {
                    let v = value()?;
                    let mut m = 0;
                    for k in v.split(',') {
                        m |= match k {
                            "NEW" => 1,
                            "UPDATE" => 2,
                            "DESTROY" => 4,
                            "ALL" => 7,
                            _ => return Err(param_problem(format!("Bad parameter `{k}'"))),
                        };
                    }
                    event_mask = Some(m);
                }
                // Protocol options exist only after -p names the protocol.
                "--sport" | "--orig-port-src" | "--dport" | "--orig-port-dst"
                | "--reply-port-src" | "--reply-port-dst"
                    if matches!(f.proto, Some(6 | 17 | 33 | 132 | 136)) =>
                {
                    let v = value()?;
                    let p: u16 = v
                        .parse()
                        .map_err(|_| param_problem(format!("invalid port `{v}'")))?;
                    match name {
                        "--sport" | "--orig-port-src" => f.sport = Some(p),
                        "--dport" | "--orig-port-dst" => f.dport = Some(p),
                        "--reply-port-src" => f.reply_sport = Some(p),
                        _ => f.reply_dport = Some(p),
                    }
                }
                "--state" if f.proto == Some(6) => {
                    let v = value()?;
                    f.state = Some(
                        tcp_state(&v)
                            .ok_or_else(|| param_problem(format!("unknown TCP state `{v}'")))?,
                    );
                }
                "--icmp-type" | "--icmp-code" | "--icmp-id" if f.proto == Some(1) => {
                    // conntrack reads these with atoi(): `x' is 0.
                    let n = atoi(&value()?) as u16;
                    match name {
                        "--icmp-type" => f.icmp_type = Some(n as u8),
                        "--icmp-code" => f.icmp_code = Some(n as u8),
                        _ => f.icmp_id = Some(n),
                    }
                }
                _ => return Err(param_problem(format!("unknown option `{a}'"))),
            }
        }
        i += 1;
    }
    let ns = c.ns;
    let (four, six) = (family != Some(6), family != Some(4));
    if !four && matches!(cmd, Some(Command::Get)) {
        f.proto = Some(255); // matches no IPv4 entry
    }
    Ok(match cmd {
        None | Some(Command::Help) => {
            c.print(HELP);
            0
        }
        Some(Command::Event) => {
            let next = c.m.world.ct_events_listen(ns);
            c.run(Box::new(Events {
                ns,
                filter: f,
                mask: event_mask.unwrap_or(7),
                next,
                shown: 0,
            }))
        }
        Some(Command::Version) => {
            c.print(&format!("{PROG}\n"));
            0
        }
        Some(Command::Stats) => {
            let line = "found=0 invalid=0 insert=0 insert_failed=0 drop=0 early_drop=0 error=0 search_restart=0 clash_resolve=0 chaintoolong=0 \n";
            c.print(&format!("cpu=0   \t{line}"));
            0
        }
        Some(Command::Count) => {
            let n = if table == "conntrack" {
                live_count(&c.m.world, ns)
            } else {
                0
            };
            c.print(&format!("{n}\n"));
            0
        }
        Some(Command::Flush) => {
            if table == "expect" {
                c.eprint(&format!("{PROG}: expectation table has been emptied.\n"));
                return Ok(0);
            }
            let w = &mut c.m.world;
            w.ct_flush(ns);
            c.eprint(&format!(
                "{PROG}: connection tracking table has been emptied.\n"
            ));
            0
        }
        Some(Command::List) => {
            if table == "expect" {
                c.eprint(&format!("{PROG}: 0 expectations have been shown.\n"));
                return Ok(0);
            }
            let w = &c.m.world;
            let line = |l3: &str, l: String| if extended { format!("{l3}{l}") } else { l };
            let mut lines: Vec<String> = Vec::new();
            if table == "conntrack" && four {
                let v = live(w, ns).into_iter().filter(|x| f.matches(*x));
                lines.extend(v.map(|x| match xml {
                    true => xml::flow(w, x),
                    false => line(l3_prefix(x), entry_line(w, x, false)),
                }));
            }
            if table == "conntrack" && six {
                let v = live6(w, ns).into_iter().filter(|x| f.matches(*x));
                lines.extend(v.map(|x| match xml {
                    true => xml::flow(w, x),
                    false => line(l3_prefix(x), entry_line(w, x, false)),
                }));
            }
            if xml && !lines.is_empty() {
                c.print(xml::HEADER);
            }
            for l in &lines {
                c.print(&format!("{l}\n"));
            }
            if xml && !lines.is_empty() {
                c.print(xml::FOOTER);
            }
            c.eprint(&format!(
                "{PROG}: {} flow entries have been shown.\n",
                lines.len()
            ));
            0
        }
        Some(Command::Get) => {
            if f.proto.is_none() {
                return Err(param_problem(
                    "You need to supply the `--protonum' option for this command",
                ));
            }
            let w = &c.m.world;
            let hit = live(w, ns).into_iter().find(|x| f.matches(x));
            match hit {
                Some(x) => {
                    // The get holds a reference while the entry is printed.
                    let l = entry_line(w, x, false).replace(" use=1", " use=2");
                    c.print(&format!("{l}\n"));
                    c.eprint(&format!("{PROG}: 1 flow entries have been shown.\n"));
                    0
                }
                None => return Err(NO_SUCH_CONNTRACK),
            }
        }
        Some(Command::Update) => update(c, &f)?,
        Some(Command::Create) => {
            create::create(c, &f, timeout)?;
            0
        }
        Some(Command::Delete) => {
            let w = &mut c.m.world;
            let now = w.now();
            let mut doomed = Vec::new();
            if four {
                let v: Vec<(u32, String)> = w
                    .ns(ns)
                    .nf()
                    .conntrack
                    .iter()
                    .filter(|(_, x)| x.timeout > now && f.matches(*x))
                    .map(|(i, x)| (i, entry_line(w, x, false)))
                    .collect();
                for (i, _) in &v {
                    w.ct_delete(ns, *i);
                }
                doomed.extend(v.into_iter().map(|(_, l)| l));
            }
            if six {
                let v = pick6(w, ns, &f, now);
                for (i, _) in &v {
                    w.ct6_delete(ns, *i);
                }
                doomed.extend(v.into_iter().map(|(_, l)| l));
            }
            for l in &doomed {
                c.print(&format!("{l}\n"));
            }
            c.eprint(&format!(
                "{PROG}: {} flow entries have been deleted.\n",
                doomed.len()
            ));
            i32::from(doomed.is_empty())
        }
    })
}

/// The live IPv6 entries `-D` takes, with their rows.
fn pick6(w: &World, ns: NsId, f: &Filter, now: vnet_core::Time) -> Vec<(u32, String)> {
    let t = w.ns(ns).nf().conntrack6.as_deref();
    t.into_iter()
        .flat_map(|t| t.iter())
        .filter(|(_, x)| x.timeout > now && f.matches(*x))
        .map(|(i, x)| (i, entry_line(w, x, false)))
        .collect()
}

/// inet_aton(): `a.b.c.d`, and the short forms `a.b.c` (c fills 16 bits),
/// `a.b` and `a`, each part decimal, 0x-hex or 0-octal.
fn inet_aton(s: &str) -> Option<Ipv4Addr> {
    let num = |p: &str| -> Option<u32> {
        if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            u32::from_str_radix(h, 16).ok()
        } else if p.len() > 1 && p.starts_with('0') {
            u32::from_str_radix(&p[1..], 8).ok()
        } else {
            p.parse().ok()
        }
    };
    let parts: Vec<u32> = s.split('.').map(num).collect::<Option<_>>()?;
    let (head, last) = parts.split_at(parts.len().checked_sub(1)?);
    if head.len() > 3 || head.iter().any(|&p| p > 255) {
        return None;
    }
    let bits = 32 - 8 * head.len() as u32;
    if bits < 32 && last[0] >> bits != 0 {
        return None;
    }
    let mut v = last[0];
    for (i, p) in head.iter().enumerate() {
        v |= p << (24 - 8 * i);
    }
    Some(Ipv4Addr::from(v))
}

/// atoi(): the leading decimal digits, 0 when there are none.
fn atoi(s: &str) -> u32 {
    let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    d.parse().unwrap_or(0)
}

/// -U: sets the mark of the entry the original tuple names (and prints it
/// as the get after the update does); the exit status. Without a full
/// tuple conntrack 1.4.7 updates through a dump filtered in the kernel,
/// which refuses a filter on the layer-4 protocol (EOPNOTSUPP).
fn update(c: &mut Cmd, f: &Filter) -> Result<i32, Error> {
    let ns = c.ns;
    let full = f.orig_src.is_some() && f.orig_dst.is_some() && f.proto.is_some();
    if !full && f.proto.is_some() {
        return Err(Error::DumpFailed(Errno::EOPNOTSUPP.strerror()));
    }
    let w = &mut c.m.world;
    let now = w.now();
    let ids: Vec<u32> = w
        .ns(ns)
        .nf()
        .conntrack
        .iter()
        .filter(|(_, x)| {
            x.timeout > now
                && Filter {
                    mark: None,
                    ..f.clone()
                }
                .matches(x)
        })
        .map(|(i, _)| i)
        .take(if full { 1 } else { usize::MAX })
        .collect();
    if ids.is_empty() && full {
        return Err(NO_SUCH_CONNTRACK);
    }
    let mut lines = Vec::new();
    for i in ids {
        if let Some((v, m)) = f.mark {
            w.ct_set_mark(ns, i, v, m);
        }
        if let Some(x) = w.ns(ns).nf().conntrack.get(i) {
            lines.push(entry_line(w, x, false).replace(" use=1", " use=2"));
        }
    }
    for l in &lines {
        c.print(&format!("{l}\n"));
    }
    c.eprint(&format!(
        "{PROG}: {} flow entries have been updated.\n",
        lines.len()
    ));
    Ok(i32::from(lines.is_empty()))
}
