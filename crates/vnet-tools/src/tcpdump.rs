//! `tcpdump` (4.99.3 with libpcap 1.10.3, as Debian 12 ships it): a
//! simulated program holding a packet socket, printing each frame that
//! passes its filter as tcpdump prints it, or writing a pcap file (`-w`);
//! `-r` prints a pcap file.
//!
//! Read `print.rs` for the text of each protocol and `filter.rs` for the
//! pcap-filter language. What this file adds is the program around them:
//! options as GNU getopt takes them, libpcap's choice of a default
//! interface, the banner and statistics lines, and the ways a capture ends
//! (`-c`, Ctrl-C, the interface disappearing).

pub mod filter;
pub mod print;
pub mod services;

pub use filter::{parse as parse_filter, Filter, FilterError};
pub use print::{format_packet, hex_and_ascii, in_cksum, port_name, FormatOpts, LinkType, Printer};

use crate::proc::{Io, Program, Step};
use crate::Cmd;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use vnet_core::dev::iff;
use vnet_core::dev::DevRef;
use vnet_core::sock::Socket;
use vnet_core::{NsId, Time, World};

/// Wall-clock seconds of virtual time 0 (2026-01-01 00:00:00 UTC): what
/// timestamps and pcap records count from.
pub const EPOCH_SECS: u64 = 1_767_225_600;

const SNAPLEN: u32 = 262144;

const VERSION: &str = "tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.19 27 Jan 2026\n";

const USAGE: &str =
    "Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
";

/// Capture direction (`-Q`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
    InOut,
}

/// The parsed command line.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub fmt: FormatOpts,
    pub iface: Option<String>,
    pub count: Option<u64>,
    pub wfile: Option<String>,
    pub rfile: Option<String>,
    /// `-t` count: 1 none, 2 epoch seconds, 3 delta, 4 date, 5 since first.
    pub tflag: u8,
    pub direction: Option<Direction>,
    pub list: bool,
    pub version: bool,
    pub help: bool,
    /// `--print`: print packets even with -w.
    pub print: bool,
    pub number: bool,
    /// -l: stdout line-buffered (each packet's line flushed).
    pub line_buffered: bool,
    pub expr: String,
}

const WITH_ARG: &str = "BcCEFGijmMQrsTVwWyzZ";
const FLAGS: &str = "AbdDefhHIJKlLnNOpqStuUvxX#";

/// Parses arguments as GNU getopt does (options may follow the expression).
pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut rest: Vec<String> = Vec::new();
    let mut i = 0;
    let need = |c: char| format!("tcpdump: option requires an argument -- '{c}'\n{VERSION}{USAGE}");
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            rest.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "version" => o.version = true,
                "help" => o.help = true,
                "print" => o.print = true,
                "number" => o.number = true,
                "immediate-mode" | "micro" | "nano" | "list-time-stamp-types" => {}
                "count" => {}
                "time-stamp-precision" | "time-stamp-type" => {
                    if val.is_none() {
                        i += 1;
                    }
                }
                _ => {
                    return Err(format!(
                        "tcpdump: unrecognized option '{a}'\n{VERSION}{USAGE}"
                    ))
                }
            }
            continue;
        }
        if !a.starts_with('-') || a.len() == 1 {
            rest.push(a.clone());
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            j += 1;
            if WITH_ARG.contains(c) {
                let val = if j < chars.len() {
                    let v: String = chars[j..].iter().collect();
                    j = chars.len();
                    v
                } else if i < args.len() {
                    i += 1;
                    args[i - 1].clone()
                } else {
                    return Err(need(c));
                };
                match c {
                    'c' => match val.parse::<u64>() {
                        Ok(n) if n > 0 => o.count = Some(n),
                        _ => return Err(format!("tcpdump: invalid packet count {val}\n")),
                    },
                    'i' => o.iface = Some(val),
                    'r' => o.rfile = Some(val),
                    'w' => o.wfile = Some(val),
                    's' => match val.parse::<i64>() {
                        Ok(n) if (0..=SNAPLEN as i64).contains(&n) => {}
                        _ => {
                            return Err(format!(
                                "tcpdump: invalid snaplen {val} (must be >= 0 and <= {SNAPLEN})\n"
                            ))
                        }
                    },
                    'Q' => {
                        o.direction = Some(match val.as_str() {
                            "in" => Direction::In,
                            "out" => Direction::Out,
                            "inout" => Direction::InOut,
                            _ => {
                                return Err(format!("tcpdump: unknown capture direction `{val}'\n"))
                            }
                        })
                    }
                    _ => {}
                }
            } else if FLAGS.contains(c) {
                match c {
                    'n' => o.fmt.nflag += 1,
                    'e' => o.fmt.eflag = true,
                    'v' => o.fmt.vflag += 1,
                    'q' => o.fmt.qflag = true,
                    'S' => o.fmt.abs_seq = true,
                    'x' => o.fmt.xflag += 1,
                    'X' => o.fmt.ascii_xflag += 1,
                    't' => o.tflag += 1,
                    'D' => o.list = true,
                    'h' => o.help = true,
                    '#' => o.number = true,
                    'l' => o.line_buffered = true,
                    _ => {}
                }
            } else {
                return Err(format!(
                    "tcpdump: invalid option -- '{c}'\n{VERSION}{USAGE}"
                ));
            }
        }
    }
    o.expr = rest.join(" ");
    Ok(o)
}

/// Formats a capture timestamp (nanoseconds of virtual time) as `-t` asks.
pub fn format_ts(tflag: u8, at_ns: u64, prev_ns: Option<u64>, first_ns: Option<u64>) -> String {
    let us = |ns: u64| (ns / 1000) % 1_000_000;
    match tflag {
        0 => {
            let s = (EPOCH_SECS + at_ns / 1_000_000_000) % 86400;
            format!(
                "{:02}:{:02}:{:02}.{:06} ",
                s / 3600,
                s / 60 % 60,
                s % 60,
                us(at_ns)
            )
        }
        1 => String::new(),
        2 => format!("{}.{:06} ", EPOCH_SECS + at_ns / 1_000_000_000, us(at_ns)),
        3 | 5 => {
            let base = if tflag == 3 { prev_ns } else { first_ns }.unwrap_or(at_ns);
            let d = at_ns.saturating_sub(base);
            let s = d / 1_000_000_000;
            format!(
                "{:02}:{:02}:{:02}.{:06} ",
                s / 3600,
                s / 60 % 60,
                s % 60,
                us(d)
            )
        }
        _ => {
            let secs = EPOCH_SECS + at_ns / 1_000_000_000;
            let (y, mo, d) = civil(secs / 86400);
            let s = secs % 86400;
            format!(
                "{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}.{:06} ",
                s / 3600,
                s / 60 % 60,
                s % 60,
                us(at_ns)
            )
        }
    }
}

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
fn civil(days: u64) -> (i64, u32, u32) {
    let z = days as i64 + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// One entry of `tcpdump -D` / pcap_findalldevs.
struct DevEntry {
    name: String,
    desc: Option<&'static str>,
    text: String,
    merit: u32,
}

/// pcap_findalldevs for a namespace, sorted as libpcap sorts (up and
/// running first, loopback after, "any" between; discovery order otherwise).
fn find_all_devs(w: &World, ns: NsId) -> Vec<DevEntry> {
    let mut v = Vec::new();
    for d in w.ns(ns).devs().values() {
        let r = DevRef {
            ns,
            ifindex: d.ifindex,
        };
        let f = w.flags(r);
        let (up, running, lo) = (f & iff::UP != 0, f & iff::RUNNING != 0, d.is_loopback());
        let mut words = Vec::new();
        if up {
            words.push("Up");
        }
        if running {
            words.push("Running");
        }
        if lo {
            words.push("Loopback");
        }
        let mut text = if words.is_empty() {
            "none".to_string()
        } else {
            words.join(", ")
        };
        let disconnected = !lo && !running;
        if !lo {
            text.push_str(if running {
                ", Connected"
            } else {
                ", Disconnected"
            });
        }
        let mut merit = 0;
        if !running {
            merit |= 0x8000_0000;
        }
        if !up {
            merit |= 0x4000_0000;
        }
        if disconnected {
            merit |= 0x2000_0000;
        }
        if lo {
            merit |= 0x1000_0000;
        }
        v.push(DevEntry {
            name: d.name.clone(),
            desc: None,
            text,
            merit,
        });
    }
    v.push(DevEntry {
        name: "any".into(),
        desc: Some("Pseudo-device that captures on all interfaces"),
        text: "Up, Running".into(),
        merit: 0x0800_0000,
    });
    for (n, d, t) in [
        ("bluetooth-monitor", "Bluetooth Linux Monitor", "Wireless"),
        ("nflog", "Linux netfilter log (NFLOG) interface", "none"),
        (
            "nfqueue",
            "Linux netfilter queue (NFQUEUE) interface",
            "none",
        ),
        ("dbus-system", "D-Bus system bus", "none"),
        ("dbus-session", "D-Bus session bus", "none"),
    ] {
        v.push(DevEntry {
            name: n.into(),
            desc: Some(d),
            text: t.into(),
            merit: 0xc000_0000,
        });
    }
    v.sort_by_key(|e| e.merit);
    v
}

/// The running capture.
pub struct Tcpdump {
    ns: NsId,
    opts: Options,
    filter: Filter,
    printer: Printer,
    link: LinkType,
    /// The packet socket (AF_PACKET, bound to the device or to all).
    sock: usize,
    captured: u64,
    received: u64,
    prev_ts: Option<u64>,
    first_ts: Option<u64>,
    writer: Option<PcapOut>,
    /// Writing the file failed: the capture ends.
    failed: bool,
}

/// A pcap file being written, record by record, through the machine's
/// file tree (a copy of it: the capture outlives the command line).
struct PcapOut {
    tree: vnet_fs::Tree,
    /// As given (for messages).
    path: String,
    w: pcap_file::pcap::PcapWriter<SharedBuf>,
    buf: Rc<RefCell<Vec<u8>>>,
}

#[derive(Clone)]
struct SharedBuf(Rc<RefCell<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn pcap_header(link: LinkType) -> pcap_file::pcap::PcapHeader {
    pcap_file::pcap::PcapHeader {
        version_major: 2,
        version_minor: 4,
        ts_correction: 0,
        ts_accuracy: 0,
        snaplen: SNAPLEN,
        datalink: pcap_file::DataLink::from(link.dlt()),
        ts_resolution: pcap_file::TsResolution::MicroSecond,
        endianness: pcap_file::Endianness::Little,
    }
}

impl PcapOut {
    fn create(
        w: &mut World,
        ns: NsId,
        tree: &vnet_fs::Tree,
        path: &str,
        link: LinkType,
    ) -> std::io::Result<PcapOut> {
        let buf = Rc::new(RefCell::new(Vec::new()));
        let pw =
            pcap_file::pcap::PcapWriter::with_header(SharedBuf(buf.clone()), pcap_header(link))
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut o = PcapOut {
            tree: tree.clone(),
            path: path.to_string(),
            w: pw,
            buf,
        };
        let data = std::mem::take(&mut *o.buf.borrow_mut());
        o.write(w, ns, &data, false)?;
        Ok(o)
    }
    fn write(&mut self, w: &mut World, ns: NsId, data: &[u8], append: bool) -> std::io::Result<()> {
        let mut sim = crate::fs::Sim::new(w, ns, None);
        vnet_fs::Fs::write(&mut self.tree.bind(&mut sim), &self.path, data, append)
    }
    /// Appends one packet; an error (a full disk) ends the capture.
    fn record(&mut self, w: &mut World, ns: NsId, at_ns: u64, data: &[u8]) -> std::io::Result<()> {
        let ts = Duration::from_nanos(EPOCH_SECS * 1_000_000_000 + at_ns);
        let pkt = pcap_file::pcap::PcapPacket::new(ts, data.len() as u32, data);
        let _ = self.w.write_packet(&pkt);
        let bytes = std::mem::take(&mut *self.buf.borrow_mut());
        self.write(w, ns, &bytes, true)
    }
    /// What tcpdump says when writing the file failed.
    fn failure(&self, e: &std::io::Error) -> String {
        format!("tcpdump: {}: {}\n", self.path, crate::fs::strerror(e))
    }
}

/// Builds the cooked header libpcap puts before an `any` capture's frames.
fn cooked(
    link: LinkType,
    ifindex: u32,
    pkttype: u8,
    hatype: u16,
    addr: &[u8],
    proto: u16,
    payload: &[u8],
) -> Vec<u8> {
    let mut v = Vec::with_capacity(payload.len() + 20);
    let mut a8 = [0u8; 8];
    let n = addr.len().min(8);
    a8[..n].copy_from_slice(&addr[..n]);
    if link == LinkType::LinuxSll2 {
        v.extend_from_slice(&proto.to_be_bytes());
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(&ifindex.to_be_bytes());
        v.extend_from_slice(&hatype.to_be_bytes());
        v.push(pkttype);
        v.push(n as u8);
        v.extend_from_slice(&a8);
    } else {
        v.extend_from_slice(&(pkttype as u16).to_be_bytes());
        v.extend_from_slice(&hatype.to_be_bytes());
        v.extend_from_slice(&(n as u16).to_be_bytes());
        v.extend_from_slice(&a8);
        v.extend_from_slice(&proto.to_be_bytes());
    }
    v.extend_from_slice(payload);
    v
}

/// The summary on exit; `dropped` is the socket's PACKET_STATISTICS
/// tp_drops (frames its full receive buffer refused).
fn stats(captured: u64, received: u64, dropped: u64) -> String {
    let s = |n: u64| if n == 1 { "" } else { "s" };
    format!(
        "{captured} packet{} captured\n{received} packet{} received by filter\n{dropped} packet{} dropped by kernel\n",
        s(captured),
        s(received),
        s(dropped)
    )
}

impl Tcpdump {
    fn sock_state(&self, w: &mut World) -> Option<Vec<vnet_core::sock::Captured>> {
        w.packet_recv_all(self.sock)
    }

    /// Turns a captured frame into what libpcap hands tcpdump for this link type.
    fn frame_for_link(&self, w: &World, c: &vnet_core::sock::Captured) -> Vec<u8> {
        match self.link {
            LinkType::Ether | LinkType::Raw => c.data.clone(),
            LinkType::LinuxSll | LinkType::LinuxSll2 => {
                let dev = w.dev(DevRef {
                    ns: self.ns,
                    ifindex: c.ifindex,
                });
                let (proto, payload, addr, hatype): (u16, &[u8], Vec<u8>, u16) =
                    if c.ether && c.data.len() >= 14 {
                        let lo = dev.is_some_and(|d| d.is_loopback());
                        (
                            u16::from_be_bytes([c.data[12], c.data[13]]),
                            &c.data[14..],
                            c.data[6..12].to_vec(),
                            if lo { 772 } else { 1 },
                        )
                    } else {
                        let p = match c.data.first().map(|b| b >> 4) {
                            Some(6) => 0x86dd,
                            _ => 0x0800,
                        };
                        let hatype = dev.map(|d| d.arphrd()).unwrap_or(65534);
                        (p, &c.data[..], Vec::new(), hatype)
                    };
                let pkttype = if c.outgoing {
                    print::pkttype::OUTGOING
                } else if c.ether && c.data.len() >= 6 {
                    let dst = &c.data[0..6];
                    if dst == [0xff; 6] {
                        print::pkttype::BROADCAST
                    } else if dst[0] & 1 == 1 {
                        print::pkttype::MULTICAST
                    } else if dev.is_some_and(|d| d.mac.0 == dst || d.is_loopback()) {
                        print::pkttype::HOST
                    } else {
                        print::pkttype::OTHERHOST
                    }
                } else {
                    print::pkttype::HOST
                };
                cooked(self.link, c.ifindex, pkttype, hatype, &addr, proto, payload)
            }
        }
    }

    fn handle(&mut self, w: &mut World, io: &mut Io, at: u64, frame: &[u8]) -> bool {
        if let Some(n) = self.opts.count {
            if self.captured >= n {
                return false;
            }
        }
        self.captured += 1;
        if let Some(out) = self.writer.as_mut() {
            if let Err(e) = out.record(w, self.ns, at, frame) {
                io.err.extend_from_slice(out.failure(&e).as_bytes());
                self.failed = true;
                return false;
            }
            if !self.opts.print {
                return true;
            }
        }
        let ts = format_ts(self.opts.tflag, at, self.prev_ts, self.first_ts);
        self.prev_ts = Some(at);
        self.first_ts.get_or_insert(at);
        let text = self.printer.format(frame, self.link);
        let num = if self.opts.number {
            format!("{:5}  ", self.captured)
        } else {
            String::new()
        };
        io.out
            .extend_from_slice(format!("{num}{ts}{text}\n").as_bytes());
        true
    }
}

/// Whether `ifindex` is the namespace's loopback.
fn is_lo(w: &World, ns: NsId, ifindex: u32) -> bool {
    w.ns(ns).dev(ifindex).is_some_and(|d| d.is_loopback())
}

impl Program for Tcpdump {
    fn poll(&mut self, w: &mut World, io: &mut Io) -> Step {
        let Some(frames) = self.sock_state(w) else {
            io.err
                .extend_from_slice(b"tcpdump: pcap_loop: The interface disappeared\n");
            io.err.extend_from_slice(
                stats(self.captured, self.received, w.sock_drops(self.sock)).as_bytes(),
            );
            return Step::Exit(1);
        };
        if let Some(names) = (self.link == LinkType::LinuxSll2).then(|| w.ifnames(self.ns)) {
            self.printer.ifnames = names;
        }
        for c in frames {
            let frame = self.frame_for_link(w, &c);
            if !self.filter.matches(&frame, self.link) {
                continue;
            }
            // The kernel counts what passed the filter; libpcap drops the
            // other direction after it (pcap-linux.c).
            self.received += 1;
            match self.opts.direction {
                Some(Direction::In) if c.outgoing => continue,
                Some(Direction::Out) if !c.outgoing => continue,
                _ => {}
            }
            if c.outgoing && is_lo(w, self.ns, c.ifindex) {
                // pcap-linux.c: outgoing copies on lo are counted, not shown.
                continue;
            }
            self.handle(w, io, c.at.0, &frame);
            if self.failed {
                return Step::Exit(1);
            }
        }
        if let Some(n) = self.opts.count {
            if self.captured >= n {
                // Printed packets are flushed before the statistics.
                io.flush = true;
                io.err.extend_from_slice(
                    stats(self.captured, self.received, w.sock_drops(self.sock)).as_bytes(),
                );
                return Step::Exit(0);
            }
        }
        Step::Wait(None)
    }

    fn interrupt(&mut self, w: &mut World, io: &mut Io) -> i32 {
        // Packets already queued are read before the signal lands.
        if let Some(frames) = self.sock_state(w) {
            for c in frames {
                let frame = self.frame_for_link(w, &c);
                if self.filter.matches(&frame, self.link) {
                    self.received += 1;
                    if !(c.outgoing && is_lo(w, self.ns, c.ifindex)) {
                        self.handle(w, io, c.at.0, &frame);
                    }
                    if self.failed {
                        return 1;
                    }
                }
            }
        }
        // cleanup(): a newline, fflush(stdout), then the statistics.
        io.out.push(b'\n');
        io.flush = true;
        io.err.extend_from_slice(
            stats(self.captured, self.received, w.sock_drops(self.sock)).as_bytes(),
        );
        0
    }

    /// tcpdump's cleanup() handles SIGHUP and SIGTERM as SIGINT.
    fn signal(&mut self, w: &mut World, io: &mut Io, sig: i32) -> Option<i32> {
        match sig {
            1 | 2 | 15 => Some(self.interrupt(w, io)),
            0 | 17..=23 | 28 => None,
            _ => Some(128 + sig),
        }
    }

    fn endless(&self) -> bool {
        self.opts.count.is_none()
    }

    fn flushes(&self) -> bool {
        self.opts.line_buffered
    }

    fn close(&mut self, w: &mut World) {
        w.socket_close(self.sock);
    }
}

/// Reads a pcap file and prints (or copies, with -w) what passes the filter.
fn read_file(c: &mut Cmd, o: &Options, path: &str) -> i32 {
    let data = match c.read_file(path) {
        Ok(d) => d,
        Err(e) => {
            c.eprint(&format!("tcpdump: {path}: {}\n", crate::fs::strerror(&e)));
            return 1;
        }
    };
    let mut reader = match pcap_file::pcap::PcapReader::new(&data[..]) {
        Ok(r) => r,
        Err(_) => {
            c.eprint("tcpdump: unknown file format\n");
            return 1;
        }
    };
    let hdr = reader.header();
    let dlt: u32 = u32::from(hdr.datalink);
    let Some(link) = LinkType::from_dlt(dlt) else {
        c.eprint(&format!(
            "reading from file {path}, link-type {dlt}, snapshot length {}\n",
            hdr.snaplen
        ));
        return 0;
    };
    let (n, d) = link.names();
    c.eprint(&format!(
        "reading from file {path}, link-type {n} ({d}), snapshot length {}\n",
        hdr.snaplen
    ));
    let filter = match filter::parse(&o.expr) {
        Ok(f) => f,
        Err(e) => {
            c.eprint(&format!("tcpdump: {}\n", e.0));
            return 1;
        }
    };
    let mut printer = Printer::new(o.fmt.clone());
    printer.ifnames = c.m.world.ifnames(c.ns);
    let mut writer = None;
    if let Some(wf) = &o.wfile {
        match PcapOut::create(&mut c.m.world, c.ns, &c.m.fs, wf, link) {
            Ok(w) => writer = Some(w),
            Err(e) => {
                c.eprint(&format!("tcpdump: {wf}: {}\n", crate::fs::strerror(&e)));
                return 1;
            }
        }
    }
    let (mut n, mut prev, mut first) = (0u64, None, None);
    while let Some(p) = reader.next_packet() {
        let Ok(p) = p else { break };
        if !filter.matches(&p.data, link) {
            continue;
        }
        if o.count.is_some_and(|c| n >= c) {
            break;
        }
        n += 1;
        let at = (p.timestamp.as_nanos() as u64).saturating_sub(EPOCH_SECS * 1_000_000_000);
        if let Some(w) = writer.as_mut() {
            if let Err(e) = w.record(&mut c.m.world, c.ns, at, &p.data) {
                c.eprint(&w.failure(&e));
                return 1;
            }
            if !o.print {
                continue;
            }
        }
        let ts = format_ts(o.tflag, at, prev, first);
        prev = Some(at);
        first.get_or_insert(at);
        let text = printer.format(&p.data, link);
        let num = if o.number {
            format!("{n:5}  ")
        } else {
            String::new()
        };
        c.print(&format!("{num}{ts}{text}\n"));
    }
    0
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let o = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            c.eprint(&e);
            return 1;
        }
    };
    if o.version {
        c.print(VERSION);
        return 0;
    }
    if o.help {
        c.print(VERSION);
        c.print(USAGE);
        return 0;
    }
    if o.list {
        for (i, d) in find_all_devs(&c.m.world, c.ns).iter().enumerate() {
            let desc = d.desc.map(|s| format!(" ({s})")).unwrap_or_default();
            c.print(&format!("{}.{}{desc} [{}]\n", i + 1, d.name, d.text));
        }
        return 0;
    }
    if let Some(r) = &o.rfile {
        return read_file(c, &o, &r.clone());
    }
    let ns = c.ns;
    // Which device: -i, else the first of pcap_findalldevs.
    let explicit = o.iface.is_some();
    let name = match &o.iface {
        Some(n) => n.clone(),
        None => find_all_devs(&c.m.world, ns)
            .first()
            .map(|d| d.name.clone())
            .unwrap_or_else(|| "any".into()),
    };
    let (bound, link) = if name == "any" {
        (
            None,
            if explicit {
                LinkType::LinuxSll2
            } else {
                LinkType::LinuxSll
            },
        )
    } else {
        let Some(d) = c.m.world.ns(ns).dev_by_name(&name) else {
            c.eprint(&format!(
                "tcpdump: {name}: No such device exists\n(No such device exists)\n"
            ));
            return 1;
        };
        if !d.up {
            c.eprint(&format!("tcpdump: {name}: That device is not up\n"));
            return 1;
        }
        // map_arphrd_to_dlt(): ipip and sit are raw IP; gre (778) has no
        // mapping, so libpcap falls back to a cooked socket.
        let link = if d.is_ether() || d.is_loopback() {
            LinkType::Ether
        } else if d.arphrd() == vnet_core::dev::arphrd::IPGRE {
            LinkType::LinuxSll
        } else {
            LinkType::Raw
        };
        (Some(d.ifindex), link)
    };
    let filter = match filter::parse(&o.expr) {
        Ok(f) => f,
        Err(e) => {
            c.eprint(&format!("tcpdump: {}\n", e.0));
            return 1;
        }
    };
    let mut writer = None;
    if let Some(wf) = &o.wfile {
        match PcapOut::create(&mut c.m.world, ns, &c.m.fs, wf, link) {
            Ok(w) => writer = Some(w),
            Err(e) => {
                c.eprint(&format!("tcpdump: {wf}: {}\n", crate::fs::strerror(&e)));
                return 1;
            }
        }
    }
    if explicit && link == LinkType::LinuxSll2 {
        c.eprint("tcpdump: data link type LINUX_SLL2\n");
    }
    if o.fmt.vflag == 0 && o.wfile.is_none() {
        c.eprint("tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n");
    } else {
        c.eprint("tcpdump: ");
    }
    let (ln, ld) = link.names();
    c.eprint(&format!(
        "listening on {name}, link-type {ln} ({ld}), snapshot length {SNAPLEN} bytes\n"
    ));
    let id = c.m.world.socket_add(Socket::packet(ns, bound));
    let mut printer = Printer::new(o.fmt.clone());
    printer.ifnames = c.m.world.ifnames(ns);
    let prog = Tcpdump {
        ns,
        failed: false,
        opts: o,
        filter,
        printer,
        link,
        sock: id,
        captured: 0,
        received: 0,
        prev_ts: None,
        first_ts: None,
        writer,
    };
    c.run(Box::new(prog))
}

/// The current time as tcpdump would stamp a packet now (for other tools' use).
pub fn now_ts(w: &World) -> String {
    let Time(ns) = w.now();
    format_ts(0, ns, None, None)
}
