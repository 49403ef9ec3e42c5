//! ping (iputils 20221126), IPv4 and IPv6 (`-6`, `ping6`, or an IPv6
//! destination), over a raw ICMP or ICMPv6 socket in virtual time.
//!
//! The statistics block and its rounding follow ping_common.c's finish();
//! replies carry a timeval in the first 16 payload bytes, as iputils sends,
//! so RTTs come from the packets themselves.

use crate::proc::{Io, Program, Step};
use crate::{Cmd, Failure};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use vnet_core::flow::Flowi4;
use vnet_core::ipv6::addrconf::addr_scope;
use vnet_core::sock::Socket;
use vnet_core::wire::checksum::icmp6_checksum;
use vnet_core::wire::icmp;
use vnet_core::wire::icmp::icmp_echo;
use vnet_core::wire::icmp6;
use vnet_core::{Errno, NsId, Time, World};

const USAGE: &str = "

Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
";

struct Opts {
    count: Option<u64>,
    interval: Time,
    timeout: Option<Time>,
    deadline: Option<Time>,
    ttl: Option<u8>,
    /// -Q: IP_TOS of the socket.
    tos: u8,
    size: usize,
    quiet: bool,
    iface: Option<String>,
    ident: Option<u16>,
    numeric: bool,
    /// -b: SO_BROADCAST, so that a broadcast destination may be connected.
    broadcast: bool,
    /// -p: up to 16 pad bytes repeated through the payload.
    pattern: Option<Vec<u8>>,
    /// -M: IP_MTU_DISCOVER (want, the default, unless given).
    pmtudisc: Pmtudisc,
    /// -6: only IPv6 addresses will do.
    v6: bool,
    /// -4: only IPv4 addresses will do.
    v4: bool,
    /// Hosts before the last one: IPv4 source-route hops.
    hops: usize,
    target: String,
    /// -f: flood (a dot per probe, a backspace per reply; interval 0
    /// unless -i is given).
    flood: bool,
    /// -i was given.
    interval_set: bool,
    /// -m: SO_MARK, which the route lookups (and policy rules) see.
    mark: u32,
}

/// IP_PMTUDISC_*: whether probes carry DF and may be fragmented locally.
#[derive(Clone, Copy, PartialEq)]
enum Pmtudisc {
    /// DF when the probe fits the device, else fragmented (IP_PMTUDISC_WANT).
    Want,
    /// Never DF (IP_PMTUDISC_DONT).
    Dont,
    /// Always DF; a probe over the MTU fails locally (IP_PMTUDISC_DO, PROBE).
    Do,
}

/// iputils' ping_strtod(): strtod() with trailing garbage only warned about
/// (the number read so far is used, 0 when there is none).
fn ping_strtod(c: &mut Cmd, v: &str) -> f64 {
    let t = v.trim_start();
    // The longest prefix that reads as a number (strtod's "inf" and "nan"
    // included; they fail the range checks after).
    let end = (1..=t.len())
        .rev()
        .find(|&i| t.is_char_boundary(i) && t[..i].parse::<f64>().is_ok())
        .unwrap_or(0);
    let (num, rest) = if end == 0 {
        (0.0, v)
    } else {
        (t[..end].parse::<f64>().unwrap_or(0.0), &t[end..])
    };
    if !rest.is_empty() {
        c.eprint(&format!(
            "ping: option argument contains garbage: {rest}\nping: this will become fatal error in the future\n"
        ));
    }
    num
}

/// How ping gives up before it sends anything: [`Display`](fmt::Display)
/// is what iputils prints on stderr, [`Failure::status`] its exit status.
/// [`main`] prints it, after whatever ping printed before.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Error {
    /// getopt's complaint (`ping: MSG`) and the usage text; exit 2.
    Usage(String),
    /// strtol_or_err(): `ping: invalid argument: 'VALUE'`, with `: RANGE`
    /// when VALUE is a number out of range; exit 1.
    BadArg { value: String, range: &'static str },
    /// `ping: usage error: Destination address required`; exit 1.
    NoDestination,
    /// error(2, ...): `ping: MSG`; exit 2.
    Fatal(String),
}

impl Failure for Error {
    fn status(&self) -> i32 {
        match self {
            Error::BadArg { .. } | Error::NoDestination => 1,
            Error::Usage(_) | Error::Fatal(_) => 2,
        }
    }
}

impl Error {
    fn bad_arg(value: &str, range: &'static str) -> Error {
        Error::BadArg {
            value: value.into(),
            range,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "ping: {m}{USAGE}"),
            Error::BadArg { value, .. } if value.trim().parse::<i64>().is_err() => {
                writeln!(f, "ping: invalid argument: '{value}'")
            }
            Error::BadArg { value, range } => {
                writeln!(f, "ping: invalid argument: '{value}': {range}")
            }
            Error::NoDestination => writeln!(f, "ping: usage error: Destination address required"),
            Error::Fatal(m) => writeln!(f, "ping: {m}"),
        }
    }
}

/// What the command line asks for.
enum Parsed {
    Ping(Opts),
    /// -h: the usage text on stdout, exit 2.
    Help,
    /// -V: the version on stdout, exit 0.
    Version,
}

fn parse(c: &mut Cmd, args: &[String]) -> Result<Parsed, Error> {
    let mut o = Opts {
        count: None,
        interval: Time::from_secs(1),
        timeout: None,
        deadline: None,
        ttl: None,
        tos: 0,
        size: 56,
        quiet: false,
        iface: None,
        ident: None,
        numeric: false,
        broadcast: false,
        pattern: None,
        pmtudisc: Pmtudisc::Want,
        v6: false,
        v4: false,
        hops: 0,
        target: String::new(),
        flood: false,
        interval_set: false,
        mark: 0,
    };
    let mut targets = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if !a.starts_with('-') || a == "-" {
            targets.push(a.clone());
            i += 1;
            continue;
        }
        let mut chars = a[1..].chars();
        while let Some(ch) = chars.next() {
            let takes = "cieIlmMpQsStTwWF".contains(ch);
            let val = if takes {
                let rest: String = chars.clone().collect();
                if !rest.is_empty() {
                    chars = "".chars();
                    Some(rest)
                } else if i + 1 < args.len() {
                    i += 1;
                    Some(args[i].clone())
                } else {
                    return Err(Error::Usage(format!(
                        "option requires an argument -- '{ch}'"
                    )));
                }
            } else {
                None
            };
            let v = val.clone().unwrap_or_default();
            match ch {
                'c' => match v.parse::<i64>() {
                    Ok(n) if n >= 1 => o.count = Some(n as u64),
                    _ => {
                        return Err(Error::bad_arg(
                            &v,
                            "out of range: 1 <= value <= 9223372036854775807",
                        ))
                    }
                },
                'i' => match Some(ping_strtod(c, &v)).filter(|x| x.is_finite()) {
                    // iputils keeps whole milliseconds: -i 0.0001 is 0.
                    Some(x) if x >= 0.0 => {
                        o.interval = Time::from_millis((x * 1000.0) as u64);
                        o.interval_set = true;
                    }
                    _ => return Err(Error::Fatal(format!("bad timing interval: {v}"))),
                },
                'W' => match Some(ping_strtod(c, &v)).filter(|x| x.is_finite()) {
                    Some(x) if x >= 0.0 => o.timeout = Some(Time((x * 1e9) as u64)),
                    _ => return Err(Error::Fatal(format!("bad linger time: {v}"))),
                },
                'w' => match v.parse::<i64>() {
                    Ok(n) if n >= 0 => o.deadline = Some(Time::from_secs(n as u64)),
                    _ => return Err(Error::bad_arg(&v, "out of range: 0 <= value <= 2147483647")),
                },
                't' => match v.parse::<i64>() {
                    Ok(n) if (0..=255).contains(&n) => o.ttl = Some(n as u8),
                    _ => return Err(Error::bad_arg(&v, "out of range: 0 <= value <= 255")),
                },
                's' => match v.parse::<i64>() {
                    Ok(n) if (0..=i32::MAX as i64).contains(&n) => o.size = n as usize,
                    _ => return Err(Error::bad_arg(&v, "out of range: 0 <= value <= 2147483647")),
                },
                'e' => match v.parse::<i64>() {
                    Ok(n) if (0..=65535).contains(&n) => o.ident = Some(n as u16),
                    _ => return Err(Error::bad_arg(&v, "out of range: 0 <= value <= 65535")),
                },
                'I' => o.iface = Some(v),
                'q' => o.quiet = true,
                // Flood also means numeric output (no getaddrinfo() per reply).
                'f' => {
                    o.flood = true;
                    o.numeric = true;
                }
                'n' => o.numeric = true,
                'b' => o.broadcast = true,
                '6' => o.v6 = true,
                '4' => o.v4 = true,
                'v' | 'D' | 'O' | 'A' | 'a' | 'B' | 'C' | 'd' | 'L' | 'U' => {}
                'p' => {
                    let hex: String = v.chars().take(32).collect();
                    if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                        return Err(Error::Fatal(format!(
                            "patterns must be specified as hex digits: {v}"
                        )));
                    }
                    let bytes: Vec<u8> = hex
                        .as_bytes()
                        .chunks(2)
                        .map(|ch| u8::from_str_radix(std::str::from_utf8(ch).unwrap(), 16).unwrap())
                        .collect();
                    c.print(&format!(
                        "PATTERN: 0x{}\n",
                        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
                    ));
                    o.pattern = Some(bytes);
                }
                'M' => {
                    o.pmtudisc = match v.as_str() {
                        "do" | "probe" => Pmtudisc::Do,
                        "dont" => Pmtudisc::Dont,
                        "want" => Pmtudisc::Want,
                        _ => return Err(Error::Fatal(format!("invalid -M argument: {v}"))),
                    }
                }
                'm' => match v.parse::<u64>() {
                    Ok(n) if n <= u64::from(u32::MAX) => o.mark = n as u32,
                    _ => return Err(Error::bad_arg(&v, "out of range: 0 <= value <= 4294967295")),
                },
                'Q' => o.tos = parse_tos(&v)?,
                'l' | 'S' | 'T' | 'F' => {}
                'h' => return Ok(Parsed::Help),
                'V' => return Ok(Parsed::Version),
                _ => return Err(Error::Usage(format!("invalid option -- '{ch}'"))),
            }
        }
        i += 1;
    }
    o.hops = targets.len().saturating_sub(1);
    o.target = targets.last().ok_or(Error::NoDestination)?.clone();
    Ok(Parsed::Ping(o))
}

/// iputils' parse_tos(): decimal, or hex after `0x`.
fn parse_tos(v: &str) -> Result<u8, Error> {
    let n = match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(h) => i64::from_str_radix(h, 16),
        None => v.parse::<i64>(),
    }
    .map_err(|_| Error::Fatal(format!("bad TOS value: {v}")))?;
    u8::try_from(n).map_err(|_| {
        Error::Fatal(format!(
            "the decimal value of TOS bits must be in range 0-255: {n}"
        ))
    })
}

/// One inet_aton() number: decimal, 0x hex or 0 octal.
fn aton_part(p: &str) -> Option<u64> {
    if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
        return if h.is_empty() {
            Some(0)
        } else {
            u64::from_str_radix(h, 16).ok()
        };
    }
    if p.len() > 1 && p.starts_with('0') {
        return u64::from_str_radix(&p[1..], 8).ok();
    }
    p.parse().ok()
}

/// inet_aton(): a, a.b, a.b.c or a.b.c.d, each part decimal, hex or octal.
fn inet_aton(name: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = name.split('.').collect();
    if parts.is_empty() || parts.len() > 4 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let nums: Option<Vec<u64>> = parts.iter().map(|p| aton_part(p)).collect();
    let nums = nums?;
    let (last, head) = nums.split_last().unwrap();
    if head.iter().any(|&n| n > 255) {
        return None;
    }
    let room = 8 * (4 - head.len() as u32);
    if *last >= (1u64 << room) {
        return None;
    }
    let mut v: u32 = 0;
    for (i, n) in head.iter().enumerate() {
        v |= (*n as u32) << (24 - 8 * i);
    }
    Some(Ipv4Addr::from(v | *last as u32))
}

/// Resolves a host as getaddrinfo would on a bare host: numeric forms and
/// localhost. Returns the address and whether it came from a name.
fn resolve(name: &str) -> Option<(Ipv4Addr, bool)> {
    if name == "localhost" || name == "ip6-localhost" {
        return Some((Ipv4Addr::LOCALHOST, true));
    }
    inet_aton(name).map(|a| (a, false))
}

/// `ping6`: iputils' ping run as ping -6.
pub fn main6(c: &mut Cmd, args: &[String]) -> i32 {
    let mut a = vec!["-6".to_string()];
    a.extend_from_slice(args);
    main(c, &a)
}

/// An IPv6 literal with an optional `%DEV` scope, as getaddrinfo takes it.
fn parse_v6(name: &str) -> Option<(Ipv6Addr, Option<&str>)> {
    let (a, scope) = match name.split_once('%') {
        Some((a, s)) => (a, Some(s)),
        None => (name, None),
    };
    a.parse().ok().map(|a| (a, scope))
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let r = run(c, args);
    c.exit(r)
}

/// Parses, checks and starts the ping; its exit status.
fn run(c: &mut Cmd, args: &[String]) -> Result<i32, Error> {
    let o = match parse(c, args)? {
        Parsed::Ping(o) => o,
        Parsed::Help => {
            c.print(USAGE.trim_start_matches('\n'));
            return Ok(2);
        }
        Parsed::Version => {
            c.print("ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n");
            return Ok(0);
        }
    };
    let no_family = || {
        Error::Fatal(format!(
            "{}: Address family for hostname not supported",
            o.target
        ))
    };
    if let Some((a, scope)) = parse_v6(&o.target) {
        if o.v4 {
            return Err(no_family());
        }
        let scope = scope.map(str::to_string);
        return main_v6(c, o, a, scope);
    }
    // An IPv4 literal, or a name with only IPv4 addresses (localhost in
    // a bare /etc/hosts), under -6: getaddrinfo() with AF_INET6 refuses it.
    if o.v6 && resolve(&o.target).is_some() {
        return Err(no_family());
    }
    // No resolver is reachable from a lab: getaddrinfo gives EAI_AGAIN.
    let (dst, by_name) = resolve(&o.target).ok_or_else(|| {
        Error::Fatal(format!(
            "{}: Temporary failure in name resolution",
            o.target
        ))
    })?;
    let ns = c.ns;
    // -I: an address is a source address, anything else a device.
    let (mut oif, mut src) = (None, None);
    if let Some(i) = &o.iface {
        if let Ok(a) = i.parse::<Ipv4Addr>() {
            if !c.m.world.ns(ns).is_local4(a) {
                return Err(Error::Fatal(format!(
                    "bind: {}",
                    Errno::EADDRNOTAVAIL.strerror()
                )));
            }
            src = Some(a);
        } else {
            match c.m.world.ns(ns).ifindex_of(i) {
                Some(x) => oif = Some(x),
                None => return Err(Error::Fatal(format!("SO_BINDTODEVICE {i}: No such device"))),
            }
        }
    }
    if o.hops > 0 {
        // The hops become an IP_OPTIONS source route, which the kernel
        // refuses here (as recorded).
        return Err(Error::Fatal("record route: Operation not permitted".into()));
    }
    if o.ttl == Some(0) {
        return Err(Error::Fatal(
            "cannot set unicast time-to-live: Invalid argument".into(),
        ));
    }
    // The probe connect() iputils does to learn the source address.
    // connect() refuses a broadcast route without SO_BROADCAST (EACCES,
    // as a prohibit route does); with -b ping warns, sets it and connects
    // again (__ip4_datagram_connect, iputils' ping4_run).
    // Under `ip vrf exec` the socket is bound to the VRF (not named by -I).
    let bound = oif.or(c.m.bound_vrf);
    let fl = Flowi4::output(dst, src, bound).with_mark(o.mark);
    let mut route = c.m.world.route_output(ns, &fl);
    let eacces = match &route {
        Ok(rt) => rt.rtype == vnet_core::ipv4::fib::RouteType::Broadcast,
        Err(e) => e.errno == Errno::EACCES,
    };
    if eacces {
        if !o.broadcast {
            return Err(Error::Fatal(
                "Do you want to ping broadcast? Then -b. If not, check your local firewall rules"
                    .into(),
            ));
        }
        c.eprint("WARNING: pinging broadcast address\n");
        route = c.m.world.route_output(ns, &fl);
    }
    let rt = route.map_err(|e| connect_failed(e.errno))?;
    let sock = c.m.world.socket_add(Socket::icmp_raw(ns));
    let mut header = format!("PING {} ({}) ", o.target, dst);
    if oif.is_some() || src.is_some() {
        header.push_str(&format!(
            "from {} {}: ",
            rt.src,
            if oif.is_some() {
                o.iface.clone().unwrap()
            } else {
                String::new()
            }
        ));
    }
    header.push_str(&format!("{}({}) bytes of data.\n", o.size, o.size + 28));
    Ok(start(
        c,
        o,
        sock,
        header,
        dst.into(),
        src.map(IpAddr::from),
        bound,
        by_name,
    ))
}

/// The probe connect() failing.
fn connect_failed(e: Errno) -> Error {
    Error::Fatal(format!("connect: {}", e.strerror()))
}

/// ping -6: the same checks and program for an IPv6 destination.
fn main_v6(c: &mut Cmd, o: Opts, dst: Ipv6Addr, scope: Option<String>) -> Result<i32, Error> {
    let ns = c.ns;
    let mut oif = None;
    if let Some(sc) = &scope {
        match c.m.world.ns(ns).ifindex_of(sc) {
            Some(x) => oif = Some(x),
            // getaddrinfo() cannot map the scope to an interface.
            None => {
                return Err(Error::Fatal(format!(
                    "{}: Name or service not known",
                    o.target
                )))
            }
        }
    }
    let mut src = None;
    let mut bound_dev = None;
    if let Some(i) = &o.iface {
        if let Some((a, scope)) = parse_v6(i) {
            // ADDR%DEV binds the address and, through its scope, the device.
            let sdev = scope.and_then(|d| c.m.world.ns(ns).ifindex_of(d));
            if !c.m.world.ipv6_chk_addr(ns, a, sdev) {
                return Err(Error::Fatal(format!(
                    "bind icmp socket: {}",
                    Errno::EADDRNOTAVAIL.strerror()
                )));
            }
            src = Some(a);
            if let (Some(x), Some(name)) = (sdev, scope) {
                bound_dev = Some(name.to_string());
                oif = Some(x);
            }
        } else {
            match c.m.world.ns(ns).ifindex_of(i) {
                Some(x) => {
                    bound_dev = Some(i.clone());
                    oif = Some(x);
                }
                None => return Err(Error::Fatal(format!("unknown iface: {i}"))),
            }
        }
    }
    let oif = oif.or(c.m.bound_vrf);
    let fl = vnet_core::flow::Flowi6 {
        saddr: src.unwrap_or(Ipv6Addr::UNSPECIFIED),
        oif,
        mark: o.mark,
        proto: 58,
        ..vnet_core::flow::Flowi6::to(dst)
    };
    let rt =
        c.m.world
            .route6_output_fl(ns, &fl)
            .map_err(|e| connect_failed(e.errno))?;
    let sock = c.m.world.socket_add(Socket::icmp6_raw(ns));
    let mut shown = dst.to_string();
    if let Some(sc) = &scope {
        shown = format!("{shown}%{sc}");
    }
    let mut header = format!("PING {}({shown}) ", o.target);
    if bound_dev.is_some() || src.is_some() {
        // A link-local source shows its scope, as getnameinfo() prints it.
        let mut from = rt.src.to_string();
        if let (2, Some(d)) = (addr_scope(rt.src), &bound_dev) {
            from = format!("{from}%{d}");
        }
        header.push_str(&format!(
            "from {from} {}: ",
            bound_dev.clone().unwrap_or_default()
        ));
    }
    header.push_str(&format!("{} data bytes\n", o.size));
    Ok(start(
        c,
        o,
        sock,
        header,
        dst.into(),
        src.map(IpAddr::from),
        oif,
        false,
    ))
}

/// Prints the header and runs the program.
#[allow(clippy::too_many_arguments)]
fn start(
    c: &mut Cmd,
    o: Opts,
    sock: usize,
    header: String,
    dst: IpAddr,
    src: Option<IpAddr>,
    oif: Option<u32>,
    by_name: bool,
) -> i32 {
    let ident = o
        .ident
        .unwrap_or_else(|| (c.m.world.prandom_u64() & 0xffff) as u16);
    let name = if by_name && !o.numeric {
        Some(o.target.clone())
    } else {
        None
    };
    c.print(&header);
    let start = c.m.world.now();
    let mut o = o;
    if o.flood && !o.interval_set {
        o.interval = Time::ZERO;
    }
    let p = Ping {
        ns: c.ns,
        sock,
        dst,
        src,
        oif,
        ident,
        name,
        target: o.target.clone(),
        o,
        seq: 0,
        ntransmitted: 0,
        nreceived: 0,
        nerrors: 0,
        local_error: false,
        nrepeats: 0,
        rcvd: Box::new([0; MAX_DUP_CHK / 64]),
        acked: 0,
        tsum: 0.0,
        tsum2: 0.0,
        tmin: i64::MAX,
        tmax: 0,
        rtt: 0,
        timed: false,
        next_send: start,
        start,
        last_send: start,
        pipesize: 0,
    };
    c.run(Box::new(p))
}

/// What an ICMP message means to a ping: a reply to probe `seq`, or an
/// error about it with iputils' text.
enum Answer {
    Reply(u16),
    Error(u16, String),
}

fn v4(a: IpAddr) -> Option<Ipv4Addr> {
    match a {
        IpAddr::V4(a) => Some(a),
        IpAddr::V6(_) => None,
    }
}

fn v6(a: IpAddr) -> Option<Ipv6Addr> {
    match a {
        IpAddr::V6(a) => Some(a),
        IpAddr::V4(_) => None,
    }
}

/// Bits in iputils' received table (ping.h).
const MAX_DUP_CHK: usize = 0x10000;

/// ping.h's MININTERVAL (10 ms) as a flood or `-i 0` with no reply waits
/// it out: through SO_RCVTIMEO, in whole jiffies, so the probes go 16 ms
/// apart (measured: crate::cost::PING_UNANSWERED_GAP).
const MININTERVAL: Time = crate::cost::PING_UNANSWERED_GAP;

struct Ping {
    ns: NsId,
    sock: usize,
    dst: IpAddr,
    src: Option<IpAddr>,
    oif: Option<u32>,
    ident: u16,
    name: Option<String>,
    target: String,
    o: Opts,
    seq: u16,
    ntransmitted: u64,
    nreceived: u64,
    nerrors: u64,
    /// The last probe failed locally (EMSGSIZE): main_loop() then waits
    /// the interval pinger() returned before it checks for the end.
    local_error: bool,
    nrepeats: u64,
    /// The received table: one bit per sequence number modulo
    /// MAX_DUP_CHK, cleared as each probe is sent (rcvd_clear).
    rcvd: Box<[u64; MAX_DUP_CHK / 64]>,
    /// The newest sequence number answered (acknowledge()), for in_flight().
    acked: u16,
    /// Round-trip statistics in microseconds as iputils keeps them: sums
    /// (as doubles), extremes, and the moving average times 8 (`rtt`).
    tsum: f64,
    tsum2: f64,
    tmin: i64,
    tmax: i64,
    rtt: i64,
    /// Whether any reply carried a timestamp.
    timed: bool,
    next_send: Time,
    start: Time,
    last_send: Time,
    pipesize: u64,
}

/// iputils' RTT text: 3 decimals under 1 ms, 2 under 10, 1 under 100, none above.
fn fmt_rtt(ns: u64) -> String {
    let us = ns / 1000;
    let ms = us as f64 / 1000.0;
    if us >= 100_000 {
        format!("{}", us / 1000)
    } else if us >= 10_000 {
        format!("{ms:.1}")
    } else if us >= 1_000 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.3}")
    }
}

impl Ping {
    /// pr_addr(): the name when the address is the target's, and a
    /// link-local IPv6 address with the scope it arrived on.
    fn from(&self, w: &World, a: IpAddr, ifindex: u32) -> String {
        let mut s = a.to_string();
        if let IpAddr::V6(v6) = a {
            if addr_scope(v6) == 2 {
                if let Some(d) = w.ns(self.ns).dev(ifindex) {
                    s = format!("{s}%{}", d.name);
                }
            }
        }
        match &self.name {
            Some(n) if a == self.dst => format!("{n} ({s})"),
            _ => s,
        }
    }

    /// advance_ntransmitted(): one more probe; `acked` is invalidated when
    /// the 16-bit sequence has run more than half way round past it.
    fn advance_ntransmitted(&mut self) {
        self.ntransmitted += 1;
        let n = self.ntransmitted as u16;
        if n.wrapping_sub(self.acked) > 0x7fff {
            self.acked = n.wrapping_add(1);
        }
    }

    /// in_flight(): probes sent and not yet answered.
    fn in_flight(&self) -> u64 {
        let diff = (self.ntransmitted as u16).wrapping_sub(self.acked);
        if diff <= 0x7fff {
            u64::from(diff)
        } else {
            self.ntransmitted
                .saturating_sub(self.nreceived + self.nerrors)
        }
    }

    fn rcvd_test(&self, seq: u16) -> bool {
        let bit = seq as usize % MAX_DUP_CHK;
        self.rcvd[bit / 64] & (1 << (bit % 64)) != 0
    }

    fn rcvd_set(&mut self, seq: u16, on: bool) {
        let bit = seq as usize % MAX_DUP_CHK;
        if on {
            self.rcvd[bit / 64] |= 1 << (bit % 64);
        } else {
            self.rcvd[bit / 64] &= !(1 << (bit % 64));
        }
    }

    fn send(&mut self, w: &mut World, io: &mut Io) {
        self.seq = self.seq.wrapping_add(1);
        self.local_error = false;
        self.rcvd_set(self.seq, false);
        if self.o.flood && !self.o.quiet {
            // pinger(): a dot per probe (the screen is never narrower than
            // the pipe when stdout is not a terminal).
            io.out.push(b'.');
        }
        if self.o.size > 65507 {
            // sendmsg() fails with EMSGSIZE; iputils counts the probe and says nothing.
            self.advance_ntransmitted();
            self.last_send = w.now();
            return;
        }
        let mut data: Vec<u8> = match &self.o.pattern {
            Some(p) => (0..self.o.size).map(|i| p[i % p.len()]).collect(),
            None => (0..self.o.size).map(|i| i as u8).collect(),
        };
        if self.o.size >= 16 {
            let t = w.now().0;
            data[..8].copy_from_slice(&(t / 1_000_000_000).to_le_bytes());
            data[8..16].copy_from_slice(&((t % 1_000_000_000) / 1000).to_le_bytes());
        }
        self.advance_ntransmitted();
        self.last_send = w.now();
        let (dst, src) = match (self.dst, self.src) {
            (IpAddr::V4(d), s) => (d, s.and_then(v4)),
            (IpAddr::V6(d), s) => return self.send6(w, io, d, s.and_then(v6), &data),
        };
        let msg = icmp_echo(self.ident, self.seq, &data);
        if self.o.pmtudisc == Pmtudisc::Do {
            // ip_append_data(): with IP_PMTUDISC_DO a datagram over the MTU
            // is refused with EMSGSIZE and queued as a local error, which
            // iputils reads back from the error queue and counts.
            let mtu = w
                .route_output(
                    self.ns,
                    &Flowi4::output(dst, src, self.oif).with_mark(self.o.mark),
                )
                .ok()
                .map(|rt| w.ip_path_mtu(self.ns, rt.dev, dst));
            if let Some(mtu) = mtu.filter(|&m| msg.len() + 20 > m) {
                self.nerrors += 1;
                self.local_error = true;
                io.err.extend_from_slice(
                    format!("ping: local error: message too long, mtu={mtu}\n").as_bytes(),
                );
                return;
            }
        }
        let df = self.o.pmtudisc != Pmtudisc::Dont;
        if let Err(e) = w.ip_send_marked(
            self.ns,
            src,
            dst,
            self.oif,
            self.o.mark,
            1,
            self.o.ttl,
            df,
            self.o.tos,
            &msg,
        ) {
            io.err
                .extend_from_slice(format!("ping: sendmsg: {}\n", e.errno.strerror()).as_bytes());
        }
    }

    /// An ICMPv6 echo request; the kernel fills in the checksum of a raw
    /// ICMPv6 socket's message with the source the route picks.
    fn send6(
        &mut self,
        w: &mut World,
        io: &mut Io,
        dst: Ipv6Addr,
        src: Option<Ipv6Addr>,
        data: &[u8],
    ) {
        let mut msg = vec![icmp6::ECHO_REQUEST, 0, 0, 0];
        msg.extend_from_slice(&self.ident.to_be_bytes());
        msg.extend_from_slice(&self.seq.to_be_bytes());
        msg.extend_from_slice(data);
        if self.o.pmtudisc == Pmtudisc::Do {
            // IPV6_PMTUDISC_DO: over the path MTU is a local error (with
            // ping6's own wording), not a fragmented probe.
            if let Ok(rt) = w.route6_output(self.ns, dst, src, self.oif) {
                let mtu = w.ip6_path_mtu(self.ns, rt.dev, dst);
                if msg.len() + 40 > mtu {
                    self.nerrors += 1;
                    self.local_error = true;
                    io.err.extend_from_slice(
                        format!("ping: local error: message too long, mtu: {mtu}\n").as_bytes(),
                    );
                    return;
                }
            }
        }
        let fl = vnet_core::flow::Flowi6 {
            saddr: src.unwrap_or(Ipv6Addr::UNSPECIFIED),
            oif: self.oif,
            mark: self.o.mark,
            proto: 58,
            ..vnet_core::flow::Flowi6::to(dst)
        };
        let sent = w.route6_output_fl(self.ns, &fl).and_then(|rt| {
            let ck = icmp6_checksum(rt.src, dst, &msg);
            msg[2..4].copy_from_slice(&ck.to_be_bytes());
            let (ns, oif, mark, ttl) = (self.ns, self.oif, self.o.mark, self.o.ttl);
            w.ip6_send_marked(ns, Some(rt.src), dst, oif, mark, 58, ttl, &msg)
        });
        if let Err(e) = sent {
            io.err
                .extend_from_slice(format!("ping: sendmsg: {}\n", e.errno.strerror()).as_bytes());
        }
    }

    fn receive(&mut self, w: &mut World, io: &mut Io) {
        let msgs = w.icmp_recv_all(self.sock);
        for m in msgs {
            let b = &m.icmp;
            let answer = if self.dst.is_ipv6() {
                self.parse6(b)
            } else {
                self.parse4(b)
            };
            match answer {
                Some(Answer::Reply(seq)) => {
                    self.acknowledge(seq);
                    let data = &b[8..];
                    let rtt = if data.len() >= 16 {
                        let s = u64::from_le_bytes(data[..8].try_into().unwrap());
                        let us = u64::from_le_bytes(data[8..16].try_into().unwrap());
                        Some(m.at.0.saturating_sub(s * 1_000_000_000 + us * 1000))
                    } else {
                        None
                    };
                    if let Some(r) = rtt {
                        self.gather(r);
                    }
                    let dup = self.rcvd_test(seq);
                    if dup {
                        self.nrepeats += 1;
                    } else {
                        self.rcvd_set(seq, true);
                        self.nreceived += 1;
                    }
                    if self.o.flood && !self.o.quiet {
                        io.out.extend_from_slice(b"\x08 \x08");
                    } else if !self.o.quiet {
                        let mut line = format!(
                            "{} bytes from {}: icmp_seq={} ttl={}",
                            b.len(),
                            self.from(w, m.src, m.ifindex),
                            seq,
                            m.ttl
                        );
                        if let Some(r) = rtt {
                            line.push_str(&format!(" time={} ms", fmt_rtt(r)));
                        }
                        if dup {
                            line.push_str(" (DUP!)");
                        }
                        line.push('\n');
                        io.out.extend_from_slice(line.as_bytes());
                    }
                }
                Some(Answer::Error(seq, text)) => {
                    // ping6's error path does not widen the pipe; ping4's does.
                    if self.dst.is_ipv4() {
                        self.acknowledge(seq);
                    }
                    self.nerrors += 1;
                    if self.o.flood && !self.o.quiet {
                        io.out.extend_from_slice(b"\x08E");
                    } else if !self.o.quiet {
                        // Errors name their sender by address only.
                        let mut from = m.src.to_string();
                        if let IpAddr::V6(a) = m.src {
                            if addr_scope(a) == 2 {
                                if let Some(d) = w.ns(self.ns).dev(m.ifindex) {
                                    from = format!("{from}%{}", d.name);
                                }
                            }
                        }
                        io.out.extend_from_slice(
                            format!("From {from} icmp_seq={seq} {text}\n").as_bytes(),
                        );
                    }
                }
                None => {}
            }
        }
    }

    /// An ICMP message for this ping: a reply with our id, or an error
    /// quoting one of our echo requests to the target.
    fn parse4(&self, b: &[u8]) -> Option<Answer> {
        match b[0] {
            icmp::ECHO_REPLY => {
                let id = u16::from_be_bytes([b[4], b[5]]);
                (id == self.ident).then(|| Answer::Reply(u16::from_be_bytes([b[6], b[7]])))
            }
            icmp::DEST_UNREACH | icmp::TIME_EXCEEDED => {
                let q = &b[8..];
                if q.len() < 28 {
                    return None;
                }
                let ihl = ((q[0] & 0x0f) as usize) * 4;
                if q.len() < ihl + 8 || q[9] != 1 {
                    return None;
                }
                let e = &q[ihl..];
                if e[0] != icmp::ECHO || u16::from_be_bytes([e[4], e[5]]) != self.ident {
                    return None;
                }
                let qdst = Ipv4Addr::new(q[16], q[17], q[18], q[19]);
                if IpAddr::V4(qdst) != self.dst {
                    return None;
                }
                let text = match (b[0], b[1]) {
                    (icmp::TIME_EXCEEDED, 0) => "Time to live exceeded".to_string(),
                    (icmp::TIME_EXCEEDED, _) => "Frag reassembly time exceeded".to_string(),
                    (_, 0) => "Destination Net Unreachable".to_string(),
                    (_, 1) => "Destination Host Unreachable".to_string(),
                    (_, 2) => "Destination Protocol Unreachable".to_string(),
                    (_, 3) => "Destination Port Unreachable".to_string(),
                    (_, 4) => format!(
                        "Frag needed and DF set (mtu = {})",
                        u16::from_be_bytes([b[6], b[7]])
                    ),
                    (_, 5) => "Source Route Failed".to_string(),
                    (_, 6) => "Destination Net Unknown".to_string(),
                    (_, 7) => "Destination Host Unknown".to_string(),
                    (_, 9) => "Destination Net Prohibited".to_string(),
                    (_, 10) => "Destination Host Prohibited".to_string(),
                    (_, 13) => "Packet filtered".to_string(),
                    (_, 14) => "Precedence Violation".to_string(),
                    (_, 15) => "Precedence Cutoff".to_string(),
                    (_, c) => format!("Dest Unreachable, Bad Code: {c}"),
                };
                Some(Answer::Error(u16::from_be_bytes([e[6], e[7]]), text))
            }
            _ => None,
        }
    }

    /// parse4() for ICMPv6, with iputils' ping6 texts (pr_icmph).
    fn parse6(&self, b: &[u8]) -> Option<Answer> {
        if b.len() < 8 {
            return None;
        }
        let info = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
        match b[0] {
            icmp6::ECHO_REPLY => {
                let id = u16::from_be_bytes([b[4], b[5]]);
                (id == self.ident).then(|| Answer::Reply(u16::from_be_bytes([b[6], b[7]])))
            }
            icmp6::DEST_UNREACH | icmp6::PKT_TOOBIG | icmp6::TIME_EXCEED | icmp6::PARAMPROB => {
                let q = &b[8..];
                if q.len() < 48 || q[6] != 58 {
                    return None;
                }
                let e = &q[40..];
                if e[0] != icmp6::ECHO_REQUEST || u16::from_be_bytes([e[4], e[5]]) != self.ident {
                    return None;
                }
                let qdst = Ipv6Addr::from(<[u8; 16]>::try_from(&q[24..40]).unwrap());
                if IpAddr::V6(qdst) != self.dst {
                    return None;
                }
                let code = b[1];
                let text = match b[0] {
                    icmp6::DEST_UNREACH => format!(
                        "Destination unreachable: {}",
                        match code {
                            0 => "No route".to_string(),
                            1 => "Administratively prohibited".to_string(),
                            2 => "Beyond scope of source address".to_string(),
                            3 => "Address unreachable".to_string(),
                            4 => "Port unreachable".to_string(),
                            c => format!("Unknown code {c}"),
                        }
                    ),
                    icmp6::PKT_TOOBIG if code == 0 => format!("Packet too big: mtu={info}"),
                    icmp6::PKT_TOOBIG => format!("Packet too big: mtu={info}, code={code}"),
                    icmp6::TIME_EXCEED => format!(
                        "Time exceeded: {}",
                        match code {
                            0 => "Hop limit".to_string(),
                            1 => "Defragmentation failure".to_string(),
                            c => format!("code {c}"),
                        }
                    ),
                    _ => format!(
                        "Parameter problem: {}at {info}",
                        match code {
                            0 => "Wrong header field ".to_string(),
                            1 => "Unknown header ".to_string(),
                            2 => "Unknown option ".to_string(),
                            c => format!("code {c} "),
                        }
                    ),
                };
                Some(Answer::Error(u16::from_be_bytes([e[6], e[7]]), text))
            }
            _ => None,
        }
    }

    /// iputils' acknowledge(): the pipe is how many probes were out when an
    /// answer (reply or error) came; probes that only time out never widen it.
    fn acknowledge(&mut self, seq: u16) {
        let n = self.ntransmitted as u16;
        let diff = n.wrapping_sub(seq);
        if diff <= 0x7fff {
            self.pipesize = self.pipesize.max(u64::from(diff) + 1);
            if (seq.wrapping_sub(self.acked) as i16) > 0 || n.wrapping_sub(self.acked) > 0x7fff {
                self.acked = seq;
            }
        }
    }

    /// gather_statistics()'s timing: a reply's round trip (duplicates
    /// included) in whole microseconds.
    fn gather(&mut self, rtt_ns: u64) {
        let t = (rtt_ns / 1000).min(i64::MAX as u64) as i64;
        self.timed = true;
        self.tsum += t as f64;
        self.tsum2 += (t as f64) * (t as f64);
        self.tmin = self.tmin.min(t);
        self.tmax = self.tmax.max(t);
        // The moving average of ping_rts.rtt, an int scaled by 8.
        self.rtt = if self.rtt == 0 {
            t.saturating_mul(8)
        } else {
            self.rtt + t - self.rtt / 8
        };
    }

    fn finish(&mut self, io: &mut Io) -> i32 {
        // iputils reports the time up to its last probe (rts->cur_time is
        // read when it sends), not when the last answer or error came.
        let elapsed_ms = (self.last_send.0.saturating_sub(self.start.0) + 500_000) / 1_000_000;
        let mut s = format!("\n--- {} ping statistics ---\n", self.target);
        s.push_str(&format!(
            "{} packets transmitted, {} received",
            self.ntransmitted, self.nreceived
        ));
        if self.nrepeats > 0 {
            s.push_str(&format!(", +{} duplicates", self.nrepeats));
        }
        if self.nerrors > 0 {
            s.push_str(&format!(", +{} errors", self.nerrors));
        }
        if self.ntransmitted > 0 {
            let loss = (self.ntransmitted - self.nreceived.min(self.ntransmitted)) as f64 * 100.0
                / self.ntransmitted as f64;
            s.push_str(&format!(
                ", {}% packet loss, time {}ms",
                fmt_g(loss),
                elapsed_ms
            ));
        }
        s.push('\n');
        let mut comma = "";
        if self.nreceived > 0 && self.timed {
            let total = (self.nreceived + self.nrepeats) as f64;
            let tmavg = (self.tsum / total) as i64;
            let tmvar = if self.tsum < i32::MAX as f64 {
                // iputils' order, against rounding errors for small times.
                ((self.tsum2 - (self.tsum * self.tsum) / total) / total) as i64
            } else {
                (self.tsum2 / total) as i64 - tmavg * tmavg
            };
            let f = |v: i64| format!("{}.{:03}", v / 1000, v % 1000);
            s.push_str(&format!(
                "rtt min/avg/max/mdev = {}/{}/{}/{} ms",
                f(self.tmin),
                f(tmavg),
                f(self.tmax),
                f(llsqrt(tmvar))
            ));
            comma = ", ";
        }
        if self.pipesize > 1 {
            s.push_str(&format!("{comma}pipe {}", self.pipesize));
            comma = ", ";
        }
        if self.nreceived > 0
            && (self.o.interval == Time::ZERO || self.o.flood)
            && self.ntransmitted > 1
        {
            let elapsed_us = self.last_send.saturating_sub(self.start).0 / 1000;
            let ipg = elapsed_us / (self.ntransmitted - 1);
            s.push_str(&format!(
                "{comma}ipg/ewma {}.{:03}/{}.{:03} ms",
                ipg / 1000,
                ipg % 1000,
                self.rtt / 8000,
                (self.rtt / 8) % 1000
            ));
        }
        s.push('\n');
        io.out.extend_from_slice(s.as_bytes());
        if self.nreceived == 0
            || (self.o.deadline.is_some() && self.o.count.is_some_and(|c| self.nreceived < c))
        {
            1
        } else {
            0
        }
    }
}

/// ping_common.c's llsqrt(): the integer square root by Newton's method
/// (0 for a negative variance).
fn llsqrt(a: i64) -> i64 {
    let mut prev = i64::MAX;
    let mut x = a;
    if x > 0 {
        while x < prev {
            prev = x;
            x = (x + a / x) / 2;
        }
    }
    x
}

/// C's `%g` for a percentage (6 significant digits, no trailing zeros).
fn fmt_g(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let digits = 6 - 1 - v.abs().log10().floor() as i32;
    let s = format!("{:.*}", digits.max(0) as usize, v);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

impl Program for Ping {
    fn poll(&mut self, w: &mut World, io: &mut Io) -> Step {
        self.receive(w, io);
        let now = w.now();
        if let Some(d) = self.o.deadline {
            if now >= self.start + d {
                return Step::Exit(self.finish(io));
            }
        }
        if let Some(c) = self.o.count {
            if self.ntransmitted >= c {
                let waiting = self.local_error && now < self.last_send + self.o.interval;
                if self.nreceived + self.nerrors >= c && !waiting {
                    return Step::Exit(self.finish(io));
                }
                // After the last probe: wait -W (default 10 s) for stragglers.
                let linger = self.o.timeout.unwrap_or(Time::from_secs(10));
                if self.o.deadline.is_none() && now >= self.last_send + linger {
                    return Step::Exit(self.finish(io));
                }
            }
        }
        let more = self.o.count.is_none_or(|c| self.ntransmitted < c);
        if self.o.interval == Time::ZERO {
            // pinger()'s unlimited flood: the next probe as soon as the
            // last one is answered, else MININTERVAL after it.
            self.next_send = if self.ntransmitted == 0 || self.in_flight() == 0 {
                now
            } else {
                self.last_send + MININTERVAL
            };
        }
        if more && now >= self.next_send {
            self.send(w, io);
            self.next_send = self.next_send + self.o.interval;
            if self.o.interval == Time::ZERO {
                self.next_send = now + MININTERVAL;
            }
            self.receive(w, io);
        }
        let mut wake: Option<Time> = None;
        let mut at = |t: Time| wake = Some(wake.map_or(t, |w: Time| w.min(t)));
        if self.o.count.is_none_or(|c| self.ntransmitted < c) {
            at(self.next_send);
        } else if self.o.deadline.is_none() {
            at(self.last_send + self.o.timeout.unwrap_or(Time::from_secs(10)));
        }
        if self.local_error {
            at(self.last_send + self.o.interval);
        }
        if let Some(d) = self.o.deadline {
            at(self.start + d);
        }
        Step::Wait(wake)
    }

    fn interrupt(&mut self, w: &mut World, io: &mut Io) -> i32 {
        self.receive(w, io);
        self.finish(io)
    }

    // Iputils flushes stdout after each line it prints.
    fn flushes(&self) -> bool {
        true
    }

    fn endless(&self) -> bool {
        self.o.count.is_none() && self.o.deadline.is_none()
    }

    fn close(&mut self, w: &mut World) {
        w.socket_close(self.sock);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtt_text_follows_iputils_precision() {
        assert_eq!(fmt_rtt(66_000), "0.066");
        assert_eq!(fmt_rtt(1_234_000), "1.23");
        assert_eq!(fmt_rtt(12_345_000), "12.3");
        assert_eq!(fmt_rtt(123_456_000), "123");
    }

    #[test]
    fn loss_percent_is_printf_g() {
        assert_eq!(fmt_g(100.0), "100");
        assert_eq!(fmt_g(50.0), "50");
        assert_eq!(fmt_g(100.0 / 3.0), "33.3333");
    }

    #[test]
    fn resolve_accepts_inet_aton_forms_only() {
        assert_eq!(resolve("10.1"), Some((Ipv4Addr::new(10, 0, 0, 1), false)));
        assert_eq!(
            resolve("0x0a000002"),
            Some((Ipv4Addr::new(10, 0, 0, 2), false))
        );
        assert_eq!(
            resolve("012.0.0.1"),
            Some((Ipv4Addr::new(10, 0, 0, 1), false))
        );
        assert_eq!(resolve("300.1.1.1"), None);
        assert_eq!(resolve("localhost"), Some((Ipv4Addr::LOCALHOST, true)));
        assert_eq!(resolve("nosuch.invalid"), None);
    }
}
