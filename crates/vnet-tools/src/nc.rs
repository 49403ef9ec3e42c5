//! nc (netcat-openbsd 1.219, Debian): connect or listen over TCP or UDP,
//! copy stdin to the network and the network to stdout.
//!
//! The loop follows netcat.c's readwrite(): stdin and the network are
//! "inputs" that go away on EOF; with -N the socket's write side is shut
//! down after stdin's EOF; a listener (or UDP) also stops reading the
//! network after stdin's EOF only with -q; -w is poll()'s timeout, -q a
//! delay before exiting once both inputs are gone.

use crate::proc::{Io, Program, Step};
use crate::tcpdump::services;
use crate::Cmd;
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};
use vnet_core::sock::tcp::{Read, TcpState};
use vnet_core::{Errno, NsId, Time, World};

const USAGE: &str = "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
\t  [destination] [port]
";

const HELP: &str = "\tCommand Summary:
\t\t-4\t\tUse IPv4
\t\t-6\t\tUse IPv6
\t\t-b\t\tAllow broadcast
\t\t-C\t\tSend CRLF as line-ending
\t\t-D\t\tEnable the debug socket option
\t\t-d\t\tDetach from stdin
\t\t-F\t\tPass socket fd
\t\t-h\t\tThis help text
\t\t-I length\tTCP receive buffer length
\t\t-i interval\tDelay interval for lines sent, ports scanned
\t\t-k\t\tKeep inbound sockets open for multiple connects
\t\t-l\t\tListen mode, for inbound connects
\t\t-M ttl\t\tOutgoing TTL / Hop Limit
\t\t-m minttl\tMinimum incoming TTL / Hop Limit
\t\t-N\t\tShutdown the network socket after EOF on stdin
\t\t-n\t\tSuppress name/port resolutions
\t\t-O length\tTCP send buffer length
\t\t-P proxyuser\tUsername for proxy authentication
\t\t-p port\t\tSpecify local port for remote connects
\t\t-q secs\t\tquit after EOF on stdin and delay of secs
\t\t-r\t\tRandomize remote ports
\t\t-S\t\tEnable the TCP MD5 signature option
\t\t-s sourceaddr\tLocal source address
\t\t-T keyword\tTOS value
\t\t-t\t\tAnswer TELNET negotiation
\t\t-U\t\tUse UNIX domain socket
\t\t-u\t\tUDP mode
\t\t-V rtable\tSpecify alternate routing table
\t\t-v\t\tVerbose
\t\t-W recvlimit\tTerminate after receiving a number of packets
\t\t-w timeout\tTimeout for connects and final net reads
\t\t-X proto\tProxy protocol: \"4\", \"5\" (SOCKS) or \"connect\"
\t\t-x addr[:port]\tSpecify proxy address and port
\t\t-Z\t\tDCCP mode
\t\t-z\t\tZero-I/O mode [used for scanning]
\tPort numbers can be individual or ranges: lo-hi [inclusive]
";

/// netcat.c's BUFSIZE: the most one read takes.
const BUFSIZE: usize = 16384;
/// UDP_SCAN_TIMEOUT: seconds udptest() waits without -w.
const UDP_SCAN_TIMEOUT: u32 = 3;

#[derive(Clone, Default)]
struct Opts {
    listen: bool,
    udp: bool,
    keep: bool,
    verbose: bool,
    numeric: bool,
    zero: bool,
    detach: bool,
    shut_wr: bool,
    /// -q: negative (the default) waits forever.
    quit: i64,
    /// -w in milliseconds.
    timeout: Option<u64>,
    recvlimit: u64,
    source: Option<String>,
    sport: Option<String>,
    host: Option<String>,
    ports: Vec<String>,
}

/// strtonum()'s error words.
fn strtonum(s: &str, lo: i64, hi: i64) -> Result<i64, &'static str> {
    match s.parse::<i64>() {
        Ok(v) if v < lo => Err("too small"),
        Ok(v) if v > hi => Err("too large"),
        Ok(v) => Ok(v),
        Err(_)
            if !s.is_empty()
                && s.trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit()) =>
        {
            Err(if s.starts_with('-') {
                "too small"
            } else {
                "too large"
            })
        }
        Err(_) => Err("invalid"),
    }
}

fn service_port(name: &str, udp: bool) -> Option<u16> {
    let t = if udp { services::UDP } else { services::TCP };
    t.iter().find(|e| e.1 == name).map(|e| e.0)
}

fn service_name(port: u16, udp: bool) -> Option<&'static str> {
    let t = if udp { services::UDP } else { services::TCP };
    t.iter().find(|e| e.0 == port).map(|e| e.1)
}

/// strtoport().
fn strtoport(s: &str, udp: bool) -> Result<u16, String> {
    match strtonum(s, 1, 65535) {
        Ok(v) => Ok(v as u16),
        Err("invalid") => service_port(s, udp).ok_or_else(|| format!("port number invalid: {s}")),
        Err(e) => Err(format!("port number {e}: {s}")),
    }
}

/// build_ports(): names, single ports and lo-hi ranges.
fn build_ports(p: &[String], udp: bool) -> Result<Vec<u16>, String> {
    let mut out = Vec::new();
    for s in p {
        if let Some(v) = service_port(s, udp) {
            out.push(v);
        } else if s.starts_with(|c: char| c.is_ascii_digit()) && s.contains('-') {
            let (a, b) = s.split_once('-').unwrap();
            let hi = strtoport(b, udp)?;
            let lo = strtoport(a, udp)?;
            let (lo, hi) = (lo.min(hi), lo.max(hi));
            out.extend(lo..=hi);
        } else {
            out.push(strtoport(s, udp)?);
        }
    }
    Ok(out)
}

enum Parsed {
    Run(Opts),
    Exit(i32),
}

/// getopt(3) with glibc's argument permutation, then main()'s checks.
fn parse(c: &mut Cmd, args: &[String]) -> Parsed {
    const WITH_ARG: &str = "IiMmOPpqsTVWwXx";
    const FLAGS: &str = "46bCDdFhklNnrStUuvZz";
    let mut o = Opts {
        quit: -1,
        ..Default::default()
    };
    let mut operands = Vec::new();
    let mut i = 0;
    let die = |c: &mut Cmd, m: String| {
        c.eprint(&format!("nc: {m}\n"));
        Parsed::Exit(1)
    };
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if !a.starts_with('-') || a.len() == 1 {
            operands.push(a.clone());
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let ch = chars[k];
            k += 1;
            if WITH_ARG.contains(ch) {
                let val = if k < chars.len() {
                    let v: String = chars[k..].iter().collect();
                    k = chars.len();
                    v
                } else if i < args.len() {
                    i += 1;
                    args[i - 1].clone()
                } else {
                    c.eprint(&format!(
                        "nc: option requires an argument -- '{ch}'\n{USAGE}"
                    ));
                    return Parsed::Exit(1);
                };
                match ch {
                    'i' => {
                        if let Err(e) = strtonum(&val, 0, u32::MAX as i64) {
                            return die(c, format!("interval {e}: {val}"));
                        }
                    }
                    'I' | 'O' => {
                        if let Err(e) = strtonum(&val, 1, 65536 << 14) {
                            let w = if ch == 'I' { "receive" } else { "send" };
                            return die(c, format!("TCP {w} window {e}: {val}"));
                        }
                    }
                    'M' => {
                        if let Err(e) = strtonum(&val, 0, 255) {
                            return die(c, format!("ttl is {e}"));
                        }
                    }
                    'm' => {
                        if let Err(e) = strtonum(&val, 0, 255) {
                            return die(c, format!("minttl is {e}"));
                        }
                    }
                    'p' => o.sport = Some(val),
                    's' => o.source = Some(val),
                    'q' => match strtonum(&val, i32::MIN as i64, i32::MAX as i64) {
                        Ok(v) => {
                            o.quit = v;
                            if v >= 0 {
                                o.shut_wr = true;
                            }
                        }
                        Err(e) => return die(c, format!("quit timer {e}: {val}")),
                    },
                    'V' => return die(c, "no alternate routing table support available".into()),
                    'W' => match strtonum(&val, 1, i32::MAX as i64) {
                        Ok(v) => o.recvlimit = v as u64,
                        Err(e) => return die(c, format!("receive limit {e}: {val}")),
                    },
                    'w' => match strtonum(&val, 0, i32::MAX as i64 / 1000) {
                        Ok(v) => o.timeout = Some(v as u64 * 1000),
                        Err(e) => return die(c, format!("timeout {e}: {val}")),
                    },
                    'X' if !matches!(val.to_ascii_lowercase().as_str(), "connect" | "4" | "5") => {
                        return die(c, "unsupported proxy protocol".into());
                    }
                    'x' => return die(c, "proxies are not simulated".into()),
                    _ => {} // -P, -T: accepted, no effect here.
                }
            } else if FLAGS.contains(ch) {
                match ch {
                    'h' => {
                        c.eprint(&format!(
                            "OpenBSD netcat (Debian patchlevel 1.219-1)\n{USAGE}{HELP}"
                        ));
                        return Parsed::Exit(0);
                    }
                    'l' => o.listen = true,
                    'u' => o.udp = true,
                    'k' => o.keep = true,
                    'v' => o.verbose = true,
                    'n' => o.numeric = true,
                    'z' => o.zero = true,
                    'd' => o.detach = true,
                    'N' => o.shut_wr = true,
                    'U' => return die(c, "unix domain sockets are not simulated".into()),
                    'Z' => return die(c, "DCCP is not simulated".into()),
                    'S' => return die(c, "Unable to read TCP MD5SIG password".into()),
                    '6' => return die(c, "IPv6 sockets are not simulated".into()),
                    _ => {}
                }
            } else {
                c.eprint(&format!("nc: invalid option -- '{ch}'\n{USAGE}"));
                return Parsed::Exit(1);
            }
        }
    }
    // "Cruft to make sure options are clean, and used properly."
    if operands.is_empty() && o.listen {
        o.host = o.source.clone();
        o.ports = o.sport.iter().cloned().collect();
    } else if operands.len() == 1 && o.sport.is_none() && o.source.is_none() && o.listen {
        o.ports = operands.clone();
    } else if operands.len() >= 2 {
        if o.listen && (o.sport.is_some() || o.source.is_some() || operands.len() > 2) {
            c.eprint(USAGE);
            return Parsed::Exit(1);
        }
        o.host = Some(operands[0].clone());
        o.ports = operands[1..].to_vec();
    } else {
        c.eprint(USAGE);
        return Parsed::Exit(1);
    }
    if o.ports.is_empty() {
        return die(c, "missing port number".into());
    }
    if o.listen && o.zero {
        return die(c, "cannot use -z and -l".into());
    }
    if !o.listen && o.keep {
        return die(c, "must use -l with -k".into());
    }
    Parsed::Run(o)
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let o = match parse(c, args) {
        Parsed::Run(o) => o,
        Parsed::Exit(code) => return code,
    };
    let stdin = if o.detach {
        None
    } else {
        let data = c.stdin.take().unwrap_or_default();
        Some(match c.m.take_feed() {
            Some((start, feed)) => Input::fed(start, feed),
            None => Input::at_once(c.m.world.now(), data),
        })
    };
    let mut nc = Nc {
        o,
        ns: c.ns,
        stdin,
        ports: Vec::new(),
        port_idx: 0,
        ret: 1,
        phase: Phase::Start,
        lsock: None,
        sock: None,
        rw: None,
    };
    let mut io = Io::default();
    if let Some(code) = nc.start(&mut c.m.world, &mut io) {
        c.out.extend_from_slice(&io.out);
        c.err.extend_from_slice(&io.err);
        nc.close(&mut c.m.world);
        return code;
    }
    c.out.extend_from_slice(&io.out);
    c.err.extend_from_slice(&io.err);
    c.run(Box::new(nc))
}

enum Phase {
    Start,
    /// Client: a connect in progress to ports[port_idx], given up at the deadline.
    Connecting(Option<Time>),
    /// UDP -z -v: udptest()'s writes; how many are left and when the next is due.
    UdpTest(u32, Time),
    Accepting,
    UdpWaiting,
    ReadWrite,
    /// -q: exiting at this time.
    Quitting(Time),
}

/// nc's stdin: bytes that become readable at given times, then EOF (a
/// pipe from a writer that runs alongside, or all at once from a file).
struct Input {
    chunks: VecDeque<(Time, Vec<u8>)>,
    eof: Time,
}

impl Input {
    fn at_once(now: Time, data: Vec<u8>) -> Input {
        let chunks = if data.is_empty() {
            VecDeque::new()
        } else {
            VecDeque::from([(now, data)])
        };
        Input { chunks, eof: now }
    }

    fn fed(start: Time, feed: vnet_shell::Feed) -> Input {
        let at = |us| start + Time::from_micros(us);
        Input {
            chunks: feed.chunks.into_iter().map(|(t, d)| (at(t), d)).collect(),
            eof: at(feed.eof),
        }
    }

    /// Everything readable at `now`, if anything is.
    fn read(&mut self, now: Time) -> Option<Vec<u8>> {
        let mut data = Vec::new();
        while self.chunks.front().is_some_and(|c| c.0 <= now) {
            data.extend(self.chunks.pop_front().map(|c| c.1).unwrap_or_default());
        }
        (!data.is_empty()).then_some(data)
    }

    fn ready(&self, now: Time) -> bool {
        self.chunks.front().is_some_and(|c| c.0 <= now)
    }

    fn at_eof(&self, now: Time) -> bool {
        self.chunks.is_empty() && now >= self.eof
    }

    /// When something next becomes readable (data or EOF).
    fn next_event(&self) -> Time {
        self.chunks.front().map_or(self.eof, |c| c.0)
    }
}

/// readwrite()'s state: which inputs and outputs are still open.
/// The time between two passes of readwrite()'s loop. On the kernel, what a
/// write() sets off on veth (the peer's ACK, across several namespaces)
/// completes within the syscall, before the next pass; virtual hops take
/// time, so the next pass waits for them.
const READ_LOOP_GAP: Time = Time::from_millis(1);

struct Rw {
    stdin_open: bool,
    netin_open: bool,
    netout_open: bool,
    recvcount: u64,
    /// poll()'s timeout counts from the last event.
    last_event: Time,
    /// When the loop's next pass reads stdin's EOF (after sending data).
    eof_at: Option<Time>,
}

enum Sock {
    Tcp(usize),
    Udp(usize),
}

pub struct Nc {
    o: Opts,
    ns: NsId,
    stdin: Option<Input>,
    ports: Vec<u16>,
    port_idx: usize,
    ret: i32,
    phase: Phase,
    lsock: Option<Sock>,
    sock: Option<Sock>,
    rw: Option<Rw>,
}

fn proto(udp: bool) -> &'static str {
    if udp {
        "udp"
    } else {
        "tcp"
    }
}

impl Nc {
    fn err(io: &mut Io, m: &str) {
        io.err.extend_from_slice(format!("nc: {m}\n").as_bytes());
    }

    /// Sets up the listener or the first connect; Some(code) when nc is done already.
    fn start(&mut self, w: &mut World, io: &mut Io) -> Option<i32> {
        if self.o.listen {
            return self.local_listen(w, io);
        }
        let host = self.o.host.clone().unwrap_or_default();
        if host.parse::<Ipv4Addr>().is_err() {
            Self::err(
                io,
                &format!(
                    "getaddrinfo for host \"{host}\" port {}: Temporary failure in name resolution",
                    self.o.ports[0]
                ),
            );
            return Some(1);
        }
        match build_ports(&self.o.ports, self.o.udp) {
            Ok(p) => self.ports = p,
            Err(m) => {
                Self::err(io, &m);
                return Some(1);
            }
        }
        self.port_idx = 0;
        self.next_connect(w, io)
    }

    fn dst(&self) -> SocketAddrV4 {
        let ip = self
            .o
            .host
            .as_deref()
            .unwrap_or("")
            .parse()
            .unwrap_or(Ipv4Addr::UNSPECIFIED);
        SocketAddrV4::new(ip, self.ports[self.port_idx])
    }

    /// local_listen(): SO_REUSEADDR, bind, listen(1).
    fn local_listen(&mut self, w: &mut World, io: &mut Io) -> Option<i32> {
        let ip = match self.o.host.as_deref() {
            None => Ipv4Addr::UNSPECIFIED,
            Some(h) => match h.parse() {
                Ok(a) => a,
                Err(_) => {
                    Self::err(io, "getaddrinfo: Temporary failure in name resolution");
                    return Some(1);
                }
            },
        };
        let pstr = &self.o.ports[0];
        let port = match pstr.parse::<u16>() {
            Ok(p) => p,
            Err(_) => match service_port(pstr, self.o.udp) {
                Some(p) => p,
                None => {
                    Self::err(io, "getaddrinfo: Servname not supported for ai_socktype");
                    return Some(1);
                }
            },
        };
        let addr = SocketAddrV4::new(ip, port);
        let r = if self.o.udp {
            let s = w.udp_socket(self.ns);
            self.lsock = Some(Sock::Udp(s));
            let _ = w.udp_set_reuseaddr(s, true);
            w.udp_bind(s, addr)
        } else {
            let s = w.tcp_socket(self.ns);
            self.lsock = Some(Sock::Tcp(s));
            let _ = w.tcp_set_reuseaddr(s, true);
            w.tcp_bind(s, addr).and_then(|_| w.tcp_listen(s, 1))
        };
        if let Err(e) = r {
            Self::err(io, e.errno.strerror());
            return Some(1);
        }
        if self.o.verbose {
            let word = if self.o.udp { "Bound" } else { "Listening" };
            io.err
                .extend_from_slice(format!("{word} on {} {}\n", addr.ip(), addr.port()).as_bytes());
        }
        self.ret = 0;
        self.phase = if self.o.udp {
            Phase::UdpWaiting
        } else {
            Phase::Accepting
        };
        None
    }

    /// remote_connect() for the current port; on to the next on failure.
    fn next_connect(&mut self, w: &mut World, io: &mut Io) -> Option<i32> {
        loop {
            if self.port_idx >= self.ports.len() {
                return Some(self.ret);
            }
            let dst = self.dst();
            let udp = self.o.udp;
            let s = if udp {
                w.udp_socket(self.ns)
            } else {
                w.tcp_socket(self.ns)
            };
            self.sock = Some(if udp { Sock::Udp(s) } else { Sock::Tcp(s) });
            // Bind to a source address or port if given.
            if self.o.source.is_some() || self.o.sport.is_some() {
                let ip = match self.o.source.as_deref().map(|h| h.parse::<Ipv4Addr>()) {
                    None => Ipv4Addr::UNSPECIFIED,
                    Some(Ok(a)) => a,
                    Some(Err(_)) => {
                        Self::err(io, "getaddrinfo: Temporary failure in name resolution");
                        return Some(1);
                    }
                };
                let port = match self.o.sport.as_deref().map(|p| strtoport(p, udp)) {
                    None => 0,
                    Some(Ok(p)) => p,
                    Some(Err(_)) => {
                        Self::err(io, "getaddrinfo: Servname not supported for ai_socktype");
                        return Some(1);
                    }
                };
                let a = SocketAddrV4::new(ip, port);
                let r = if udp {
                    w.udp_bind(s, a)
                } else {
                    w.tcp_bind(s, a)
                };
                if let Err(e) = r {
                    Self::err(io, &format!("bind failed: {}", e.errno.strerror()));
                    return Some(1);
                }
            }
            let r = if udp {
                w.udp_connect(s, dst)
            } else {
                w.tcp_connect(s, dst)
            };
            match r {
                Ok(()) if udp => {
                    self.connected(w, io);
                    if let Some(code) = self.after_connect(w, io) {
                        return Some(code);
                    }
                    if !matches!(self.phase, Phase::Start) {
                        return None;
                    }
                }
                Ok(()) => {
                    let dl = self
                        .o
                        .timeout
                        .filter(|&t| t > 0)
                        .map(|t| w.now() + Time::from_millis(t));
                    self.phase = Phase::Connecting(dl);
                    return None;
                }
                Err(e) => {
                    self.connect_failed(w, io, false, e.errno);
                }
            }
        }
    }

    /// The connect failed: the -v message, then the next port.
    fn connect_failed(&mut self, w: &mut World, io: &mut Io, timed_out: bool, e: Errno) {
        if self.o.verbose {
            let dst = self.dst();
            let how = if timed_out { "timed out" } else { "failed" };
            Self::err(
                io,
                &format!(
                    "connect to {} port {} ({}) {how}: {}",
                    self.o.host.as_deref().unwrap_or(""),
                    dst.port(),
                    proto(self.o.udp),
                    e.strerror()
                ),
            );
        }
        self.close_sock(w);
        self.port_idx += 1;
        self.phase = Phase::Start;
    }

    /// Connected: the -v report (after udptest for UDP), then readwrite.
    fn connected(&mut self, w: &mut World, io: &mut Io) {
        self.ret = 0;
        if self.o.verbose && self.o.udp {
            // udptest(): writes that fail once the port is known closed.
            let n = 2 + self
                .o
                .timeout
                .map(|t| (t / 1000) as u32)
                .unwrap_or(UDP_SCAN_TIMEOUT);
            self.phase = Phase::UdpTest(n, w.now());
            return;
        }
        self.report_success(io);
        self.begin_rw(w);
    }

    fn report_success(&mut self, io: &mut Io) {
        if !self.o.verbose {
            return;
        }
        let port = self.ports[self.port_idx];
        let sv = if self.o.numeric {
            None
        } else {
            service_name(port, self.o.udp)
        };
        io.err.extend_from_slice(
            format!(
                "Connection to {} {port} port [{}/{}] succeeded!\n",
                self.o.host.as_deref().unwrap_or(""),
                proto(self.o.udp),
                sv.unwrap_or("*")
            )
            .as_bytes(),
        );
    }

    fn begin_rw(&mut self, w: &mut World) {
        if self.o.zero && !self.o.listen {
            self.phase = Phase::Start;
            self.close_sock(w);
            self.port_idx += 1;
            return;
        }
        self.rw = Some(Rw {
            stdin_open: self.stdin.is_some(),
            netin_open: true,
            netout_open: true,
            recvcount: 0,
            last_event: w.now(),
            eof_at: None,
        });
        self.phase = Phase::ReadWrite;
    }

    /// What follows a finished connection attempt on the client: more
    /// ports, or the exit status.
    fn after_connect(&mut self, w: &mut World, io: &mut Io) -> Option<i32> {
        match self.phase {
            Phase::Start => self.next_connect(w, io),
            _ => None,
        }
    }

    fn close_sock(&mut self, w: &mut World) {
        match self.sock.take() {
            Some(Sock::Tcp(s)) => w.tcp_close(s),
            Some(Sock::Udp(s)) => w.socket_close(s),
            None => {}
        }
    }

    /// readwrite() finished: the client moves to the next port, the
    /// listener accepts again with -k, else nc exits.
    fn rw_done(&mut self, w: &mut World, io: &mut Io) -> Step {
        self.rw = None;
        if self.o.listen {
            if self.o.udp {
                // A UDP "connection" is the listening socket itself.
                self.sock = None;
                if self.o.keep {
                    self.phase = Phase::UdpWaiting;
                    return Step::Wait(None);
                }
            } else {
                self.close_sock(w);
                if self.o.keep {
                    self.phase = Phase::Accepting;
                    return Step::Wait(None);
                }
            }
            return Step::Exit(self.ret);
        }
        self.close_sock(w);
        self.port_idx += 1;
        self.phase = Phase::Start;
        match self.next_connect(w, io) {
            Some(code) => Step::Exit(code),
            None => self.poll(w, io),
        }
    }

    fn sock_id(&self) -> Option<&Sock> {
        self.sock.as_ref()
    }

    /// One pass of readwrite()'s loop.
    fn readwrite(&mut self, w: &mut World, io: &mut Io) -> Step {
        let now = w.now();
        let o = self.o.clone();
        let Some(sock) = self.sock_id() else {
            return Step::Exit(self.ret);
        };
        let (tcp, id) = match sock {
            Sock::Tcp(s) => (true, *s),
            Sock::Udp(s) => (false, *s),
        };
        let mut rw = self.rw.take().expect("readwrite state");
        let mut event = false;
        // stdin → network: what is readable now; the read that finds EOF
        // is a later pass of the loop, by when the peer's ACK of the data
        // has come (veth delivers within the sending syscall).
        let ready = self.stdin.as_ref().is_some_and(|i| i.ready(now));
        if rw.stdin_open && rw.netout_open && ready {
            let data = self
                .stdin
                .as_mut()
                .and_then(|i| i.read(now))
                .unwrap_or_default();
            rw.eof_at = Some(now + READ_LOOP_GAP);
            for chunk in data.chunks(BUFSIZE) {
                let r = if tcp {
                    w.tcp_send(id, chunk)
                } else {
                    w.udp_sendto(id, None, chunk)
                };
                if r.is_err() {
                    rw.netout_open = false;
                    break;
                }
            }
            event = true;
        } else if rw.stdin_open
            && self.stdin.as_ref().is_none_or(|i| i.at_eof(now))
            && rw.eof_at.is_none_or(|t| now >= t)
        {
            rw.stdin_open = false;
            event = true;
        }
        if !rw.netout_open {
            rw.stdin_open = false;
        }
        // stdin gone and queue empty.
        if !rw.stdin_open {
            if rw.netout_open && o.shut_wr && tcp {
                let _ = w.tcp_shutdown_wr(id);
            }
            rw.netout_open = false;
            if (o.listen || o.udp) && rw.netin_open && o.quit >= 0 {
                if tcp {
                    let _ = w.tcp_shutdown_rd(id);
                }
                rw.netin_open = false;
                self.o.keep = false;
            }
        }
        // network → stdout.
        while rw.netin_open {
            if tcp {
                match w.tcp_recv(id, BUFSIZE) {
                    Ok(Read::Data(d)) => io.out.extend_from_slice(&d),
                    Ok(Read::Eof) | Err(_) => {
                        let _ = w.tcp_shutdown_rd(id);
                        rw.netin_open = false;
                    }
                    Ok(Read::WouldBlock) => break,
                }
            } else {
                match w.udp_recv(id, false) {
                    Ok(Some(d)) => io.out.extend_from_slice(&d.data),
                    Ok(None) => break,
                    Err(_) => rw.netin_open = false,
                }
            }
            event = true;
            rw.recvcount += 1;
            if o.recvlimit > 0 && rw.recvcount >= o.recvlimit {
                if tcp && rw.netin_open {
                    let _ = w.tcp_shutdown_rd(id);
                }
                rw.netin_open = false;
                rw.stdin_open = false;
            }
        }
        if event {
            rw.last_event = now;
        }
        let both_gone = !rw.stdin_open && !rw.netin_open;
        let listen_done = o.listen && !rw.netin_open;
        if both_gone || listen_done {
            if o.quit <= 0 {
                return self.rw_done(w, io);
            }
            self.close_sock(w);
            let at = now + Time::from_secs(o.quit as u64);
            self.phase = Phase::Quitting(at);
            return Step::Wait(Some(at));
        }
        // poll()'s timeout: nothing happened for -w.
        let next_in = self.stdin.as_ref().map(Input::next_event);
        let soon = [rw.eof_at, next_in]
            .into_iter()
            .flatten()
            .filter(|t| rw.stdin_open && *t > now)
            .min();
        if let Some(t) = o.timeout {
            let at = rw.last_event + Time::from_millis(t);
            if now >= at {
                return self.rw_done(w, io);
            }
            self.rw = Some(rw);
            return Step::Wait(Some(soon.map_or(at, |s| s.min(at))));
        }
        self.rw = Some(rw);
        Step::Wait(soon)
    }
}

impl Program for Nc {
    fn poll(&mut self, w: &mut World, io: &mut Io) -> Step {
        let now = w.now();
        match self.phase {
            Phase::Start => match self.next_connect(w, io) {
                Some(code) => Step::Exit(code),
                None => self.poll(w, io),
            },
            Phase::Quitting(at) => {
                if now >= at {
                    Step::Exit(0)
                } else {
                    Step::Wait(Some(at))
                }
            }
            Phase::Connecting(deadline) => {
                let Some(Sock::Tcp(s)) = self.sock else {
                    return Step::Exit(1);
                };
                match w.tcp_state(s) {
                    Some(TcpState::SynSent) => {
                        if let Some(dl) = deadline {
                            if now >= dl {
                                self.connect_failed(w, io, true, Errno::EINPROGRESS);
                                return match self.next_connect(w, io) {
                                    Some(code) => Step::Exit(code),
                                    None => self.poll(w, io),
                                };
                            }
                        }
                        Step::Wait(deadline)
                    }
                    Some(TcpState::Close) | None => {
                        let e = w.tcp_error(s).unwrap_or(Errno::ECONNREFUSED);
                        self.connect_failed(w, io, false, e);
                        match self.next_connect(w, io) {
                            Some(code) => Step::Exit(code),
                            None => self.poll(w, io),
                        }
                    }
                    Some(_) => {
                        self.connected(w, io);
                        match self.phase {
                            Phase::Start => match self.next_connect(w, io) {
                                Some(code) => Step::Exit(code),
                                None => self.poll(w, io),
                            },
                            _ => self.poll(w, io),
                        }
                    }
                }
            }
            Phase::UdpTest(left, at) => {
                if now < at {
                    return Step::Wait(Some(at));
                }
                let Some(Sock::Udp(s)) = self.sock else {
                    return Step::Exit(1);
                };
                let total = 2 + self
                    .o
                    .timeout
                    .map(|t| (t / 1000) as u32)
                    .unwrap_or(UDP_SCAN_TIMEOUT);
                let first = left == total;
                if let Err(e) = w.udp_sendto(s, None, b"X") {
                    let refused = e.errno == Errno::ECONNREFUSED;
                    if first || refused {
                        // udptest() failed: quietly on to the next port.
                        self.ret = 1;
                        self.close_sock(w);
                        self.port_idx += 1;
                        self.phase = Phase::Start;
                        return self.poll(w, io);
                    }
                }
                if left <= 1 {
                    self.report_success(io);
                    self.begin_rw(w);
                    return self.poll(w, io);
                }
                // The second write follows at once (a syscall later: time
                // enough for an ICMP error from a neighbour); then one a second.
                let next = if first {
                    now + Time::from_micros(50)
                } else {
                    now + Time::from_secs(1)
                };
                self.phase = Phase::UdpTest(left - 1, next);
                Step::Wait(Some(next))
            }
            Phase::Accepting => {
                let Some(Sock::Tcp(l)) = self.lsock else {
                    return Step::Exit(1);
                };
                match w.tcp_accept(l) {
                    Ok(Some((c, peer))) => {
                        if self.o.verbose {
                            io.err.extend_from_slice(
                                format!("Connection received on {} {}\n", peer.ip(), peer.port())
                                    .as_bytes(),
                            );
                        }
                        self.sock = Some(Sock::Tcp(c));
                        self.begin_rw(w);
                        // Come back at once: the report reaches stderr before
                        // any data reaches stdout (they may share a file).
                        Step::Wait(Some(w.now()))
                    }
                    Ok(None) => Step::Wait(None),
                    Err(e) => {
                        Self::err(io, &format!("accept: {}", e.errno.strerror()));
                        Step::Exit(1)
                    }
                }
            }
            Phase::UdpWaiting => {
                let Some(Sock::Udp(l)) = self.lsock else {
                    return Step::Exit(1);
                };
                if self.o.keep {
                    // -u -k: the socket stays unconnected and hears everyone.
                    self.sock = Some(Sock::Udp(l));
                    self.begin_rw(w);
                    return self.poll(w, io);
                }
                match w.udp_recv(l, true) {
                    Ok(Some(d)) => {
                        let _ = w.udp_connect(l, d.from);
                        if self.o.verbose {
                            io.err.extend_from_slice(
                                format!(
                                    "Connection received on {} {}\n",
                                    d.from.ip(),
                                    d.from.port()
                                )
                                .as_bytes(),
                            );
                        }
                        self.sock = Some(Sock::Udp(l));
                        self.begin_rw(w);
                        Step::Wait(Some(w.now()))
                    }
                    Ok(None) => Step::Wait(None),
                    Err(_) => Step::Wait(None),
                }
            }
            Phase::ReadWrite => self.readwrite(w, io),
        }
    }

    fn interrupt(&mut self, _w: &mut World, _io: &mut Io) -> i32 {
        // nc does not catch SIGINT: the shell sees 128 + 2.
        130
    }

    // Nc writes what it receives with write(2).
    fn flushes(&self) -> bool {
        true
    }

    fn endless(&self) -> bool {
        self.o.listen
    }

    fn close(&mut self, w: &mut World) {
        self.close_sock(w);
        match self.lsock.take() {
            Some(Sock::Tcp(s)) => w.tcp_close(s),
            Some(Sock::Udp(s)) => w.socket_close(s),
            None => {}
        }
    }
}
