//! Capture filters: the pcap-filter(7) language, parsed into a tree and
//! evaluated on each frame (libpcap compiles to BPF; vnet interprets).
//!
//! Grammar, as libpcap's (grammar.y): `and`/`&&` and `or`/`||` have equal
//! precedence and associate left; `not`/`!` binds tighter. After `and`/`or`
//! a bare id reuses the previous primitive's qualifiers (`host a or b`).
//! Relations compare arithmetic over `proto[off:size]` accessors and `len`.

use super::print::{port_by_name, LinkType};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A filter error, printed as "tcpdump: {msg}".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(pub String);

fn syntax() -> FilterError {
    FilterError("can't parse filter expression: syntax error".into())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Any,
    Src,
    Dst,
    /// `src and dst`.
    Both,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    Any,
    Ether,
    Ip,
    Ip6,
    Arp,
    Rarp,
    Tcp,
    Udp,
    Icmp,
    Icmp6,
    Igmp,
    Sctp,
    /// `stp`: 802.3 frames with an LLC header for the spanning tree (SAP 0x42).
    Stp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Addr {
    V4 { addr: u32, mask: u32 },
    V6 { addr: u128, mask: u128 },
    Mac([u8; 6]),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    True,
    Not(Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    /// A protocol is present (`ip`, `tcp`, `arp`...).
    Proto(Proto),
    /// `[proto] [dir] host|net ADDR`, `ether [dir] host MAC`.
    Host(Proto, Dir, Addr),
    /// `[tcp|udp] [dir] port|portrange LO[-HI]`.
    Port(Proto, Dir, u16, u16),
    /// `ip proto N`, `ip6 proto N`, `ether proto N`.
    ProtoNum(Proto, u16),
    /// `less N` (len <= N) / `greater N` (len >= N).
    Len(bool, u32),
    Broadcast(Proto),
    Multicast(Proto),
    Vlan,
    Rel(Arith, Cmp, Arith),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arith {
    Num(u32),
    Len,
    /// `proto[off:size]`.
    Load(Proto, Box<Arith>, u8),
    Bin(char, Box<Arith>, Box<Arith>),
}

// ---- lexer ----------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Sym(&'static str),
}

fn lex(s: &str) -> Result<Vec<Tok>, FilterError> {
    const SYMS: &[&str] = &[
        "&&", "||", "==", "!=", "<=", ">=", "<<", ">>", "(", ")", "[", "]", "!", "<", ">", "=",
        "&", "|", "+", "-", "*", "/", ":", "%", "^",
    ];
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    let mut depth = 0i32;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let word_char = |c: u8, inside: bool| {
            c.is_ascii_alphanumeric()
                || c == b'_'
                || c == b'.'
                || (!inside && (c == b':' || c == b'-' || c == b'/'))
        };
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || (depth == 0 && c == b':') {
            let st = i;
            while i < b.len() {
                let ch = b[i];
                if word_char(ch, depth > 0) {
                    i += 1;
                } else if depth > 0 && ch == b'-' {
                    // `icmp-echo` inside brackets is a name, `4-1` is arithmetic.
                    let w = &s[st..i];
                    if w.chars().all(|c| c.is_ascii_digit()) {
                        break;
                    }
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(Tok::Word(s[st..i].to_string()));
            continue;
        }
        let mut matched = false;
        for sym in SYMS {
            if s[i..].starts_with(sym) {
                if *sym == "[" {
                    depth += 1;
                } else if *sym == "]" {
                    depth -= 1;
                }
                out.push(Tok::Sym(sym));
                i += sym.len();
                matched = true;
                break;
            }
        }
        if !matched {
            return Err(syntax());
        }
    }
    Ok(out)
}

// ---- parser ---------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Quals {
    proto: Proto,
    dir: Dir,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Default,
    Host,
    Net,
    Port,
    PortRange,
}

struct Parser {
    t: Vec<Tok>,
    i: usize,
    last: Option<Quals>,
}

/// Parses a filter expression; the empty expression accepts everything.
pub fn parse(expr: &str) -> Result<Filter, FilterError> {
    let t = lex(expr)?;
    if t.is_empty() {
        return Ok(Filter::True);
    }
    let mut p = Parser {
        t,
        i: 0,
        last: None,
    };
    let f = p.expr()?;
    if p.i != p.t.len() {
        return Err(syntax());
    }
    Ok(f)
}

fn proto_kw(w: &str) -> Option<Proto> {
    Some(match w {
        "ether" | "link" => Proto::Ether,
        "ip" => Proto::Ip,
        "ip6" => Proto::Ip6,
        "arp" => Proto::Arp,
        "rarp" => Proto::Rarp,
        "tcp" => Proto::Tcp,
        "udp" => Proto::Udp,
        "icmp" => Proto::Icmp,
        "icmp6" => Proto::Icmp6,
        "igmp" => Proto::Igmp,
        "sctp" => Proto::Sctp,
        "stp" => Proto::Stp,
        _ => return None,
    })
}

fn is_keyword(w: &str) -> bool {
    proto_kw(w).is_some()
        || matches!(
            w,
            "and"
                | "or"
                | "not"
                | "src"
                | "dst"
                | "host"
                | "net"
                | "port"
                | "portrange"
                | "mask"
                | "proto"
                | "broadcast"
                | "multicast"
                | "less"
                | "greater"
                | "len"
                | "vlan"
                | "gateway"
                | "inbound"
                | "outbound"
        )
}

/// Named constants usable in relations (pcap-filter(7)).
fn named_const(w: &str) -> Option<u32> {
    Some(match w {
        "icmptype" => 0,
        "icmpcode" => 1,
        "icmp-echoreply" => 0,
        "icmp-unreach" => 3,
        "icmp-sourcequench" => 4,
        "icmp-redirect" => 5,
        "icmp-echo" => 8,
        "icmp-routeradvert" => 9,
        "icmp-routersolicit" => 10,
        "icmp-timxceed" => 11,
        "icmp-paramprob" => 12,
        "icmp-tstamp" => 13,
        "icmp-tstampreply" => 14,
        "icmp-ireq" => 15,
        "icmp-ireqreply" => 16,
        "icmp-maskreq" => 17,
        "icmp-maskreply" => 18,
        "icmp6type" => 0,
        "icmp6code" => 1,
        "icmp6-destinationunreach" => 1,
        "icmp6-packettoobig" => 2,
        "icmp6-timeexceeded" => 3,
        "icmp6-parameterproblem" => 4,
        "icmp6-echo" => 128,
        "icmp6-echoreply" => 129,
        "icmp6-routersolicit" => 133,
        "icmp6-routeradvert" => 134,
        "icmp6-neighborsolicit" => 135,
        "icmp6-neighboradvert" => 136,
        "icmp6-redirect" => 137,
        "tcpflags" => 13,
        "tcp-fin" => 0x01,
        "tcp-syn" => 0x02,
        "tcp-rst" => 0x04,
        "tcp-push" => 0x08,
        "tcp-ack" => 0x10,
        "tcp-urg" => 0x20,
        "tcp-ece" => 0x40,
        "tcp-cwr" => 0x80,
        _ => return None,
    })
}

fn parse_num(w: &str) -> Option<u32> {
    if let Some(h) = w.strip_prefix("0x").or_else(|| w.strip_prefix("0X")) {
        u32::from_str_radix(h, 16).ok()
    } else if w.len() > 1 && w.starts_with('0') {
        u32::from_str_radix(&w[1..], 8).ok()
    } else {
        w.parse().ok()
    }
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }
    fn peek_word(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }
    fn peek_sym(&self) -> Option<&'static str> {
        match self.peek() {
            Some(Tok::Sym(s)) => Some(s),
            _ => None,
        }
    }
    fn word(&mut self) -> Result<String, FilterError> {
        match self.t.get(self.i) {
            Some(Tok::Word(w)) => {
                self.i += 1;
                Ok(w.clone())
            }
            _ => Err(syntax()),
        }
    }
    fn eat_sym(&mut self, s: &str) -> bool {
        if self.peek_sym() == Some(s) || (s == "=" && self.peek_sym() == Some("==")) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Word(w)) if w == "and" => true,
                Some(Tok::Sym("&&")) => true,
                Some(Tok::Word(w)) if w == "or" => false,
                Some(Tok::Sym("||")) => false,
                _ => break,
            };
            self.i += 1;
            // `expr and id`: a bare id reuses the last qualifiers.
            let right = match (self.peek_word(), self.last) {
                (Some(w), Some(q)) if !is_keyword(w) && named_const(w).is_none() => {
                    let next_is_rel = matches!(
                        self.t.get(self.i + 1),
                        Some(Tok::Sym(s)) if matches!(*s, "==" | "!=" | "<" | ">" | "<=" | ">=" | "=" | "&" | "|" | "+" | "-" | "*" | "/")
                    );
                    if next_is_rel {
                        self.unary()?
                    } else {
                        let w = self.word()?;
                        self.id(q, &w)?
                    }
                }
                _ => self.unary()?,
            };
            left = if op {
                Filter::And(Box::new(left), Box::new(right))
            } else {
                Filter::Or(Box::new(left), Box::new(right))
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, FilterError> {
        match self.peek() {
            Some(Tok::Word(w)) if w == "not" => {
                self.i += 1;
                Ok(Filter::Not(Box::new(self.unary()?)))
            }
            Some(Tok::Sym("!")) => {
                self.i += 1;
                Ok(Filter::Not(Box::new(self.unary()?)))
            }
            Some(Tok::Sym("(")) => {
                let save = self.i;
                self.i += 1;
                match self.expr() {
                    Ok(f) if self.eat_sym(")") => {
                        // `(expr) == 3` would be arithmetic; rare, not supported.
                        Ok(f)
                    }
                    _ => {
                        self.i = save;
                        self.relation()
                    }
                }
            }
            _ => self.primitive(),
        }
    }

    fn is_rel_start(&self) -> bool {
        match self.peek() {
            Some(Tok::Word(w)) => {
                let w = w.as_str();
                if w == "len" || parse_num(w).is_some() {
                    return true;
                }
                proto_kw(w).is_some() && self.t.get(self.i + 1) == Some(&Tok::Sym("["))
            }
            _ => false,
        }
    }

    fn relation(&mut self) -> Result<Filter, FilterError> {
        let a = self.arith()?;
        let cmp = match self.peek_sym() {
            Some("==") | Some("=") => Cmp::Eq,
            Some("!=") => Cmp::Ne,
            Some("<") => Cmp::Lt,
            Some("<=") => Cmp::Le,
            Some(">") => Cmp::Gt,
            Some(">=") => Cmp::Ge,
            _ => return Err(syntax()),
        };
        self.i += 1;
        let b = self.arith()?;
        self.last = None;
        Ok(Filter::Rel(a, cmp, b))
    }

    /// Arithmetic with C precedence: `* /` over `+ -` over `& | ^ << >>`.
    fn arith(&mut self) -> Result<Arith, FilterError> {
        let mut l = self.arith_add()?;
        while let Some(op) = self
            .peek_sym()
            .filter(|s| matches!(*s, "&" | "|" | "^" | "<<" | ">>"))
        {
            self.i += 1;
            let r = self.arith_add()?;
            let c = match op {
                "<<" => 'l',
                ">>" => 'r',
                o => o.chars().next().unwrap(),
            };
            l = Arith::Bin(c, Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn arith_add(&mut self) -> Result<Arith, FilterError> {
        let mut l = self.arith_mul()?;
        while let Some(op) = self.peek_sym().filter(|s| matches!(*s, "+" | "-")) {
            self.i += 1;
            let r = self.arith_mul()?;
            l = Arith::Bin(op.chars().next().unwrap(), Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn arith_mul(&mut self) -> Result<Arith, FilterError> {
        let mut l = self.arith_atom()?;
        while let Some(op) = self.peek_sym().filter(|s| matches!(*s, "*" | "/" | "%")) {
            self.i += 1;
            let r = self.arith_atom()?;
            l = Arith::Bin(op.chars().next().unwrap(), Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn arith_atom(&mut self) -> Result<Arith, FilterError> {
        if self.eat_sym("(") {
            let a = self.arith()?;
            if !self.eat_sym(")") {
                return Err(syntax());
            }
            return Ok(a);
        }
        let w = self.word()?;
        if w == "len" {
            return Ok(Arith::Len);
        }
        if let Some(n) = parse_num(&w).or_else(|| named_const(&w)) {
            return Ok(Arith::Num(n));
        }
        let Some(p) = proto_kw(&w) else {
            return Err(syntax());
        };
        if !self.eat_sym("[") {
            return Err(syntax());
        }
        let off = self.arith()?;
        let mut size = 1u8;
        if self.eat_sym(":") {
            let s = self.word()?;
            size = match s.as_str() {
                "1" => 1,
                "2" => 2,
                "4" => 4,
                _ => return Err(FilterError("data size must be 1, 2, or 4".into())),
            };
        }
        if !self.eat_sym("]") {
            return Err(syntax());
        }
        Ok(Arith::Load(p, Box::new(off), size))
    }

    fn primitive(&mut self) -> Result<Filter, FilterError> {
        if self.is_rel_start() {
            return self.relation();
        }
        let mut q = Quals {
            proto: Proto::Any,
            dir: Dir::Any,
            kind: Kind::Default,
        };
        let mut any_qual = false;
        if let Some(p) = self.peek_word().and_then(proto_kw) {
            self.i += 1;
            q.proto = p;
            any_qual = true;
        }
        // Direction: src, dst, src or dst, src and dst.
        match self.peek_word() {
            Some("src") | Some("dst") => {
                let first = self.word()?;
                q.dir = if first == "src" { Dir::Src } else { Dir::Dst };
                if let (Some(op), Some(Tok::Word(second))) =
                    (self.peek_word(), self.t.get(self.i + 1))
                {
                    if (op == "or" || op == "and")
                        && (second == "src" || second == "dst")
                        && second != &first
                    {
                        q.dir = if op == "or" { Dir::Any } else { Dir::Both };
                        self.i += 2;
                    }
                }
                any_qual = true;
            }
            _ => {}
        }
        match self.peek_word() {
            Some("host") => {
                self.i += 1;
                q.kind = Kind::Host;
            }
            Some("net") => {
                self.i += 1;
                q.kind = Kind::Net;
            }
            Some("port") => {
                self.i += 1;
                q.kind = Kind::Port;
            }
            Some("portrange") => {
                self.i += 1;
                q.kind = Kind::PortRange;
            }
            _ => {}
        }
        if q.kind != Kind::Default || q.dir != Dir::Any {
            let w = self.word()?;
            if is_keyword(&w) {
                return Err(syntax());
            }
            self.last = Some(q);
            return self.id(q, &w);
        }
        // Keywords after a bare protocol (or alone).
        match self.peek_word() {
            Some("proto") => {
                self.i += 1;
                let w = self.word()?;
                let w = w.trim_start_matches('\\');
                let n = match parse_num(w) {
                    Some(n) => n,
                    None => match w {
                        "icmp" => 1,
                        "igmp" => 2,
                        "tcp" => 6,
                        "udp" => 17,
                        "ipv6" => 41,
                        "gre" => 47,
                        "icmp6" => 58,
                        "ip" if q.proto == Proto::Ether => 0x800,
                        "ip6" if q.proto == Proto::Ether => 0x86dd,
                        "arp" if q.proto == Proto::Ether => 0x806,
                        _ => return Err(FilterError(format!("unknown ip proto '{w}'"))),
                    },
                };
                self.last = None;
                return Ok(Filter::ProtoNum(q.proto, n as u16));
            }
            Some("broadcast") => {
                self.i += 1;
                self.last = None;
                return Ok(Filter::Broadcast(q.proto));
            }
            Some("multicast") => {
                self.i += 1;
                self.last = None;
                return Ok(Filter::Multicast(q.proto));
            }
            _ => {}
        }
        if any_qual {
            self.last = None;
            return match q.proto {
                Proto::Any | Proto::Ether => Err(syntax()),
                p => Ok(Filter::Proto(p)),
            };
        }
        let w = self.word()?;
        match w.as_str() {
            "less" | "greater" => {
                let n = self.word()?;
                let n = parse_num(&n).ok_or_else(syntax)?;
                self.last = None;
                Ok(Filter::Len(w == "less", n))
            }
            "vlan" => {
                if self.peek_word().and_then(parse_num).is_some() {
                    self.i += 1;
                }
                self.last = None;
                Ok(Filter::Vlan)
            }
            "broadcast" => Ok(Filter::Broadcast(Proto::Ether)),
            "multicast" => Ok(Filter::Multicast(Proto::Ether)),
            _ => Err(syntax()),
        }
    }

    /// An id with qualifiers: a host, net, port or port range.
    fn id(&mut self, q: Quals, w: &str) -> Result<Filter, FilterError> {
        match q.kind {
            Kind::Port | Kind::PortRange => {
                let pp = match q.proto {
                    Proto::Any | Proto::Ip | Proto::Ip6 => Proto::Any,
                    Proto::Tcp | Proto::Udp | Proto::Sctp => q.proto,
                    _ => return Err(syntax()),
                };
                let (lo, hi) = if q.kind == Kind::PortRange {
                    let (a, b) = w.split_once('-').ok_or_else(syntax)?;
                    (port_num(a, pp)?, port_num(b, pp)?)
                } else {
                    let p = port_num(w, pp)?;
                    (p, p)
                };
                Ok(Filter::Port(pp, q.dir, lo.min(hi), lo.max(hi)))
            }
            Kind::Host | Kind::Net | Kind::Default => {
                if q.proto == Proto::Ether {
                    let m = parse_mac(w)
                        .ok_or_else(|| FilterError(format!("bogus ethernet address {w}")))?;
                    return Ok(Filter::Host(Proto::Ether, q.dir, Addr::Mac(m)));
                }
                if matches!(
                    q.proto,
                    Proto::Tcp
                        | Proto::Udp
                        | Proto::Icmp
                        | Proto::Icmp6
                        | Proto::Igmp
                        | Proto::Sctp
                ) {
                    return Err(FilterError(format!(
                        "'{}' modifier applied to {}",
                        match q.proto {
                            Proto::Tcp => "tcp",
                            Proto::Udp => "udp",
                            Proto::Icmp => "icmp",
                            Proto::Icmp6 => "icmp6",
                            Proto::Igmp => "igmp",
                            _ => "sctp",
                        },
                        if q.kind == Kind::Net { "net" } else { "host" }
                    )));
                }
                let net = q.kind == Kind::Net;
                let a = if net {
                    parse_net(w, self)?
                } else {
                    parse_host(w)?
                };
                Ok(Filter::Host(q.proto, q.dir, a))
            }
        }
    }
}

fn port_num(w: &str, p: Proto) -> Result<u16, FilterError> {
    if w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty() {
        let n: u64 = w.parse().unwrap_or(u64::MAX);
        if n > 65535 {
            return Err(FilterError(format!("illegal port number {n} > 65535")));
        }
        return Ok(n as u16);
    }
    match port_by_name(w) {
        // pcap_nametoport(): a name of the other protocol only is an error
        // that says which protocol it is.
        Some((t, u)) => match p {
            Proto::Udp => u.ok_or_else(|| FilterError(format!("port '{w}' is tcp"))),
            Proto::Tcp => t.ok_or_else(|| FilterError(format!("port '{w}' is udp"))),
            _ => t
                .or(u)
                .ok_or_else(|| FilterError(format!("unknown port '{w}'"))),
        },
        None => Err(FilterError(format!("unknown port '{w}'"))),
    }
}

fn parse_mac(w: &str) -> Option<[u8; 6]> {
    let parts: Vec<&str> = if w.contains(':') {
        w.split(':').collect()
    } else if w.contains('-') {
        w.split('-').collect()
    } else if w.contains('.') {
        // xxxx.xxxx.xxxx
        let p: Vec<&str> = w.split('.').collect();
        if p.len() != 3 {
            return None;
        }
        let mut m = [0u8; 6];
        for (i, x) in p.iter().enumerate() {
            let v = u16::from_str_radix(x, 16).ok()?;
            m[i * 2] = (v >> 8) as u8;
            m[i * 2 + 1] = v as u8;
        }
        return Some(m);
    } else {
        return None;
    };
    if parts.len() != 6 {
        return None;
    }
    let mut m = [0u8; 6];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        m[i] = u8::from_str_radix(p, 16).ok()?;
    }
    Some(m)
}

fn parse_host(w: &str) -> Result<Addr, FilterError> {
    if let Ok(a) = w.parse::<Ipv4Addr>() {
        return Ok(Addr::V4 {
            addr: a.into(),
            mask: u32::MAX,
        });
    }
    if let Ok(a) = w.parse::<Ipv6Addr>() {
        return Ok(Addr::V6 {
            addr: a.into(),
            mask: u128::MAX,
        });
    }
    // libpcap also takes 1-3 part dotted numbers as hosts ("10.1" = 10.0.0.1? no: 10.1 = 10.0.0.1 in inet_aton).
    Err(FilterError(format!("unknown host '{w}'")))
}

fn parse_net(w: &str, p: &mut Parser) -> Result<Addr, FilterError> {
    let (a, len) = match w.split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u32>().map_err(|_| syntax())?)),
        None => (w, None),
    };
    if a.contains(':') {
        let v: u128 = a
            .parse::<Ipv6Addr>()
            .map_err(|_| FilterError(format!("invalid IPv6 address '{a}'")))?
            .into();
        let l = len.unwrap_or(128);
        if l > 128 {
            return Err(FilterError("mask length must be <= 128".to_string()));
        }
        let mask = if l == 0 { 0 } else { u128::MAX << (128 - l) };
        if v & !mask != 0 {
            return Err(FilterError(format!("non-network bits set in \"{w}\"")));
        }
        return Ok(Addr::V6 { addr: v, mask });
    }
    // A net may have 1 to 4 parts; missing parts are the low bytes.
    let parts: Vec<&str> = a.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return Err(FilterError(format!("invalid IPv4 address '{a}'")));
    }
    let mut v: u32 = 0;
    for (i, x) in parts.iter().enumerate() {
        let n: u32 = x
            .parse()
            .ok()
            .filter(|n| *n <= 255)
            .ok_or_else(|| FilterError(format!("invalid IPv4 address '{a}'")))?;
        v |= n << (24 - 8 * i);
    }
    let mut mask_len = len.unwrap_or(8 * parts.len() as u32);
    if let Some(Tok::Word(m)) = p.t.get(p.i) {
        if m == "mask" && len.is_none() {
            p.i += 1;
            let mw = p.word()?;
            let mv: Ipv4Addr = mw
                .parse()
                .map_err(|_| FilterError(format!("invalid IPv4 address '{mw}'")))?;
            let mv: u32 = mv.into();
            if v & !mv != 0 {
                return Err(FilterError(format!(
                    "non-network bits set in \"{a} mask {mw}\""
                )));
            }
            return Ok(Addr::V4 { addr: v, mask: mv });
        }
    }
    if mask_len > 32 {
        return Err(FilterError("mask length must be <= 32".to_string()));
    }
    if len.is_none() && parts.len() == 4 {
        mask_len = 32;
    }
    let mask = if mask_len == 0 {
        0
    } else {
        u32::MAX << (32 - mask_len)
    };
    if v & !mask != 0 {
        return Err(FilterError(format!("non-network bits set in \"{w}\"")));
    }
    Ok(Addr::V4 { addr: v, mask })
}

// ---- evaluation -----------------------------------------------------------

/// The layers of one frame the filter looks at.
struct View<'a> {
    frame: &'a [u8],
    link: &'a [u8],
    ethertype: u16,
    l3: &'a [u8],
    /// IPv4/IPv6 next protocol and the transport header (unfragmented only).
    proto: Option<u8>,
    l4: Option<&'a [u8]>,
    frag_first: bool,
}

fn be16(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(i)?, *d.get(i + 1)?]))
}

fn view(frame: &[u8], link: LinkType) -> View<'_> {
    let (link_hdr, mut ethertype, mut l3): (&[u8], u16, &[u8]) = match link {
        LinkType::Ether if frame.len() >= 14 => {
            (&frame[..14], be16(frame, 12).unwrap(), &frame[14..])
        }
        LinkType::LinuxSll if frame.len() >= 16 => {
            (&frame[..16], be16(frame, 14).unwrap(), &frame[16..])
        }
        LinkType::LinuxSll2 if frame.len() >= 20 => {
            (&frame[..20], be16(frame, 0).unwrap(), &frame[20..])
        }
        LinkType::Raw => {
            let t = match frame.first().map(|b| b >> 4) {
                Some(4) => 0x800,
                Some(6) => 0x86dd,
                _ => 0,
            };
            (&frame[..0], t, frame)
        }
        _ => (frame, 0, &frame[frame.len()..]),
    };
    if link == LinkType::Ether {
        while ethertype == 0x8100 && l3.len() >= 4 {
            ethertype = be16(l3, 2).unwrap();
            l3 = &l3[4..];
        }
    }
    let mut v = View {
        frame,
        link: link_hdr,
        ethertype,
        l3,
        proto: None,
        l4: None,
        frag_first: true,
    };
    if ethertype == 0x800 && l3.len() >= 20 && l3[0] >> 4 == 4 {
        let ihl = (l3[0] & 0xf) as usize * 4;
        let off = be16(l3, 6).unwrap() & 0x1fff;
        v.proto = Some(l3[9]);
        v.frag_first = off == 0;
        if off == 0 && l3.len() >= ihl {
            v.l4 = Some(&l3[ihl..]);
        }
    } else if ethertype == 0x86dd && l3.len() >= 40 {
        let mut nh = l3[6];
        let mut p = 40;
        // libpcap looks through one fragment header; vnet also skips hop-by-hop.
        for _ in 0..2 {
            if (nh == 0 || nh == 60) && l3.len() > p + 1 {
                let n = l3[p];
                p += (l3[p + 1] as usize + 1) * 8;
                nh = n;
            } else if nh == 44 && l3.len() >= p + 8 {
                if be16(l3, p + 2).unwrap() & 0xfff8 != 0 {
                    v.frag_first = false;
                }
                nh = l3[p];
                p += 8;
            }
        }
        v.proto = Some(nh);
        if l3.len() >= p && v.frag_first {
            v.l4 = Some(&l3[p..]);
        }
    }
    v
}

impl View<'_> {
    fn is_ip4(&self) -> bool {
        self.ethertype == 0x800
    }
    fn is_ip6(&self) -> bool {
        self.ethertype == 0x86dd
    }
    fn is_arp(&self) -> bool {
        self.ethertype == 0x806
    }
    fn proto_is(&self, p: Proto) -> bool {
        let ipp = |n: u8| (self.is_ip4() || self.is_ip6()) && self.proto == Some(n);
        match p {
            Proto::Any => true,
            Proto::Ether => !self.link.is_empty(),
            Proto::Ip => self.is_ip4(),
            Proto::Ip6 => self.is_ip6(),
            Proto::Arp => self.is_arp(),
            Proto::Rarp => self.ethertype == 0x8035,
            Proto::Tcp => ipp(6),
            Proto::Udp => ipp(17),
            Proto::Sctp => ipp(132),
            Proto::Icmp => self.is_ip4() && self.proto == Some(1),
            Proto::Icmp6 => self.is_ip6() && self.proto == Some(58),
            Proto::Igmp => self.is_ip4() && self.proto == Some(2),
            Proto::Stp => self.ethertype <= 1500 && self.l3.first() == Some(&0x42),
        }
    }
    fn ip4_addrs(&self) -> Option<(u32, u32)> {
        if self.is_ip4() && self.l3.len() >= 20 {
            let a = u32::from_be_bytes(self.l3[12..16].try_into().ok()?);
            let b = u32::from_be_bytes(self.l3[16..20].try_into().ok()?);
            return Some((a, b));
        }
        None
    }
    fn arp_addrs(&self) -> Option<(u32, u32)> {
        if (self.is_arp() || self.ethertype == 0x8035) && self.l3.len() >= 28 && self.l3[5] == 4 {
            let hl = self.l3[4] as usize;
            let s = 8 + hl;
            let t = s + 4 + hl;
            let a = u32::from_be_bytes(self.l3.get(s..s + 4)?.try_into().ok()?);
            let b = u32::from_be_bytes(self.l3.get(t..t + 4)?.try_into().ok()?);
            return Some((a, b));
        }
        None
    }
    fn ip6_addrs(&self) -> Option<(u128, u128)> {
        if self.is_ip6() && self.l3.len() >= 40 {
            let a = u128::from_be_bytes(self.l3[8..24].try_into().ok()?);
            let b = u128::from_be_bytes(self.l3[24..40].try_into().ok()?);
            return Some((a, b));
        }
        None
    }
    fn load(&self, p: Proto, off: u32, size: u8) -> Option<u32> {
        let base: &[u8] = match p {
            Proto::Ether => self.frame,
            Proto::Ip => self.is_ip4().then_some(self.l3)?,
            Proto::Ip6 => self.is_ip6().then_some(self.l3)?,
            Proto::Arp | Proto::Rarp => {
                (self.is_arp() || self.ethertype == 0x8035).then_some(self.l3)?
            }
            Proto::Any => self.frame,
            _ => {
                if !self.proto_is(p) {
                    return None;
                }
                self.l4?
            }
        };
        let o = off as usize;
        let b = base.get(o..o + size as usize)?;
        Some(match size {
            1 => b[0] as u32,
            2 => u16::from_be_bytes([b[0], b[1]]) as u32,
            _ => u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        })
    }
}

fn dir_match<T: Copy>(d: Dir, s: T, t: T, f: impl Fn(T) -> bool) -> bool {
    match d {
        Dir::Any => f(s) || f(t),
        Dir::Src => f(s),
        Dir::Dst => f(t),
        Dir::Both => f(s) && f(t),
    }
}

fn arith(a: &Arith, v: &View) -> Option<u32> {
    Some(match a {
        Arith::Num(n) => *n,
        Arith::Len => v.frame.len() as u32,
        Arith::Load(p, off, size) => v.load(*p, arith(off, v)?, *size)?,
        Arith::Bin(op, l, r) => {
            let (l, r) = (arith(l, v)?, arith(r, v)?);
            match op {
                '+' => l.wrapping_add(r),
                '-' => l.wrapping_sub(r),
                '*' => l.wrapping_mul(r),
                '/' => l.checked_div(r)?,
                '%' => l.checked_rem(r)?,
                '&' => l & r,
                '|' => l | r,
                '^' => l ^ r,
                'l' => l.checked_shl(r).unwrap_or(0),
                _ => l.checked_shr(r).unwrap_or(0),
            }
        }
    })
}

impl Filter {
    /// Whether a frame of this link type passes the filter.
    pub fn matches(&self, frame: &[u8], link: LinkType) -> bool {
        self.eval(&view(frame, link))
    }

    fn eval(&self, v: &View) -> bool {
        match self {
            Filter::True => true,
            Filter::Not(f) => !f.eval(v),
            Filter::And(a, b) => a.eval(v) && b.eval(v),
            Filter::Or(a, b) => a.eval(v) || b.eval(v),
            Filter::Proto(p) => v.proto_is(*p),
            Filter::Host(p, d, a) => match a {
                Addr::Mac(m) => {
                    if v.link.len() < 14 || v.link.len() != 14 {
                        return false;
                    }
                    let (dst, src) = (&v.link[0..6], &v.link[6..12]);
                    dir_match(*d, src, dst, |x| x == m)
                }
                Addr::V4 { addr, mask } => {
                    let hit = |x: u32| x & mask == *addr;
                    let ip = matches!(p, Proto::Any | Proto::Ip)
                        && v.ip4_addrs().is_some_and(|(s, t)| dir_match(*d, s, t, hit));
                    let arp = matches!(p, Proto::Any | Proto::Arp | Proto::Rarp)
                        && v.arp_addrs().is_some_and(|(s, t)| dir_match(*d, s, t, hit));
                    ip || arp
                }
                Addr::V6 { addr, mask } => {
                    matches!(p, Proto::Any | Proto::Ip6)
                        && v.ip6_addrs()
                            .is_some_and(|(s, t)| dir_match(*d, s, t, |x: u128| x & mask == *addr))
                }
            },
            Filter::Port(p, d, lo, hi) => {
                let ok = match p {
                    Proto::Any => {
                        v.proto_is(Proto::Tcp) || v.proto_is(Proto::Udp) || v.proto_is(Proto::Sctp)
                    }
                    _ => v.proto_is(*p),
                };
                if !ok {
                    return false;
                }
                let Some(l4) = v.l4 else { return false };
                let (Some(s), Some(t)) = (be16(l4, 0), be16(l4, 2)) else {
                    return false;
                };
                dir_match(*d, s, t, |x| x >= *lo && x <= *hi)
            }
            Filter::ProtoNum(p, n) => match p {
                Proto::Ether => v.ethertype == *n,
                Proto::Ip => v.is_ip4() && v.proto == Some(*n as u8),
                Proto::Ip6 => v.is_ip6() && v.proto == Some(*n as u8),
                _ => (v.is_ip4() || v.is_ip6()) && v.proto == Some(*n as u8),
            },
            Filter::Len(less, n) => {
                let l = v.frame.len() as u32;
                if *less {
                    l <= *n
                } else {
                    l >= *n
                }
            }
            Filter::Broadcast(p) => match p {
                Proto::Ip => v.ip4_addrs().is_some_and(|(_, d)| d == u32::MAX),
                _ => v.link.len() == 14 && v.link[0..6] == [0xff; 6],
            },
            Filter::Multicast(p) => match p {
                Proto::Ip => v.ip4_addrs().is_some_and(|(_, d)| d >> 28 == 0xe),
                Proto::Ip6 => v.ip6_addrs().is_some_and(|(_, d)| d >> 120 == 0xff),
                _ => v.link.len() == 14 && v.link[0] & 1 == 1,
            },
            Filter::Vlan => v.link.len() == 14 && be16(v.link, 12) == Some(0x8100),
            Filter::Rel(a, c, b) => {
                let (Some(a), Some(b)) = (arith(a, v), arith(b, v)) else {
                    return false;
                };
                match c {
                    Cmp::Eq => a == b,
                    Cmp::Ne => a != b,
                    Cmp::Lt => a < b,
                    Cmp::Le => a <= b,
                    Cmp::Gt => a > b,
                    Cmp::Ge => a >= b,
                }
            }
        }
    }
}
