//! The lab-wide annotated capture (`vnet run --pcap FILE.pcapng`): one
//! pcapng file holding every device of the lab, each packet with its story
//! as a packet comment, so Wireshark shows where a packet went and why.
//!
//! - One Interface Description Block per device, created when the device
//!   first carries a frame, named `NS:DEV` with the namespace as the trace
//!   names it (`myspace:veth2`, `h2:qrouter:eth0`); link type Ethernet, or
//!   raw IP for layer-3 devices (tun, ipip, gre, sit). Timestamps are the
//!   lab's virtual time in nanoseconds (`if_tsresol` 9).
//! - One Enhanced Packet Block per frame event, so each device shows its
//!   traffic as `tcpdump -i DEV` would, both directions, each frame once (a
//!   frame sent and received on the same device, as on `lo`, is kept once).
//! - The comment (`opt_comment`): the packet id, the packet that caused it,
//!   and the decisions about it at that device: for a received frame, those
//!   taken until the packet's next frame event (route, netfilter verdicts,
//!   forward, drop); for a sent frame, those taken since its previous one
//!   (so the first transmission carries what the sender decided).
//!
//! Blocks are written in event order: a frame waits in a queue until its
//! packet's next frame event closes its comment, and at most
//! [`MAX_OPEN`] frames wait (a packet that is never seen again — dropped,
//! delivered — is written when the queue is full or at [`PcapngStory::finish`]).

use pcap_file::pcapng::blocks::enhanced_packet::{EnhancedPacketBlock, EnhancedPacketOption};
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::blocks::section_header::{SectionHeaderBlock, SectionHeaderOption};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::DataLink;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write;
use std::time::Duration;
use vnet_core::trace::{PktId, Trace, Traced};

/// Frames whose comment may still grow; beyond this the oldest is written.
pub const MAX_OPEN: usize = 1024;
/// Packets whose cause and last decisions are remembered (ids only grow,
/// so the smallest are forgotten first).
const MAX_PACKETS: usize = 8192;
/// Decision lines kept per frame (a packet looping through a chain of
/// rules must not grow a comment without bound).
const MAX_LINES: usize = 64;
/// The capture length of each interface (tcpdump's default snaplen).
const SNAPLEN: u32 = 262144;

/// One frame waiting to be written.
struct Frame {
    seq: u64,
    iface: u32,
    at: Duration,
    data: Vec<u8>,
    tx: bool,
    pkt: PktId,
    lines: Vec<String>,
}

/// What is known about a packet between its frame events.
#[derive(Default)]
struct Packet {
    cause: PktId,
    /// Decisions since its last frame event.
    since: Vec<String>,
    /// The queued frame still taking its decisions.
    open: Option<u64>,
}

/// Writes trace events as an annotated pcapng: feed it every [`Traced`]
/// event, then call [`finish`](PcapngStory::finish).
pub struct PcapngStory<W: Write> {
    w: PcapNgWriter<W>,
    ifaces: HashMap<(String, String, bool), u32>,
    packets: BTreeMap<PktId, Packet>,
    queue: VecDeque<Frame>,
    next_seq: u64,
    err: Option<String>,
}

impl<W: Write> PcapngStory<W> {
    /// Starts the file (its section header) on `out`.
    pub fn new(out: W) -> Result<Self, String> {
        let shb = SectionHeaderBlock {
            options: vec![SectionHeaderOption::UserApplication(Cow::Borrowed(
                concat!("vnet ", env!("CARGO_PKG_VERSION")),
            ))],
            ..SectionHeaderBlock::default()
        };
        let w = PcapNgWriter::with_section_header(out, shb).map_err(|e| format!("pcapng: {e}"))?;
        Ok(PcapngStory {
            w,
            ifaces: HashMap::new(),
            packets: BTreeMap::new(),
            queue: VecDeque::new(),
            next_seq: 0,
            err: None,
        })
    }

    /// Takes one event from the core's tracer.
    pub fn event(&mut self, t: &Traced) {
        if t.pkt == PktId::NONE || self.err.is_some() {
            return;
        }
        match &t.ev {
            Trace::Born { cause, .. } => {
                self.packet(t.pkt).cause = *cause;
            }
            // The bytes show in the frames; "built N bytes" says nothing more.
            Trace::Built { .. } => {}
            Trace::Rx {
                dev, frame, ether, ..
            }
            | Trace::Tx {
                dev, frame, ether, ..
            } => {
                let tx = matches!(t.ev, Trace::Tx { .. });
                self.frame(t, dev, frame, *ether, tx);
            }
            _ => {
                let line = note(t);
                let p = self.packet(t.pkt);
                if p.since.len() < MAX_LINES {
                    p.since.push(line.clone());
                }
                if let Some(seq) = p.open {
                    if let Some(f) = self.queued(seq) {
                        if f.lines.len() < MAX_LINES {
                            f.lines.push(line);
                        }
                    }
                }
            }
        }
    }

    /// Writes what is still queued and returns the writer.
    pub fn finish(mut self) -> Result<W, String> {
        while !self.queue.is_empty() {
            self.write_front();
        }
        match self.err {
            Some(e) => Err(e),
            None => Ok(self.w.into_inner()),
        }
    }

    fn packet(&mut self, pkt: PktId) -> &mut Packet {
        if !self.packets.contains_key(&pkt) && self.packets.len() >= MAX_PACKETS {
            self.packets.pop_first();
        }
        self.packets.entry(pkt).or_default()
    }

    fn queued(&mut self, seq: u64) -> Option<&mut Frame> {
        let first = self.queue.front()?.seq;
        let i = usize::try_from(seq.checked_sub(first)?).ok()?;
        self.queue.get_mut(i)
    }

    fn frame(&mut self, t: &Traced, dev: &str, data: &[u8], ether: bool, tx: bool) {
        let iface = match self.iface(&t.place, dev, ether) {
            Some(i) => i,
            None => return,
        };
        let at = Duration::from_nanos(t.at.0);
        let open = self.packet(t.pkt).open;
        // The same frame sent and received on one device (loopback): once.
        if let Some(seq) = open {
            if let Some(f) = self.queued(seq) {
                if f.iface == iface && f.data == data && f.tx && !tx {
                    return;
                }
            }
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let p = self.packet(t.pkt);
        let since = std::mem::take(&mut p.since);
        p.open = Some(seq);
        let mut lines = vec![match p.cause {
            PktId::NONE => format!("packet #{}", t.pkt.0),
            c => format!("packet #{}, caused by #{}", t.pkt.0, c.0),
        }];
        lines.push(format!(
            "{} {dev} {}",
            t.place,
            if tx { "out" } else { "in" }
        ));
        if tx {
            lines.extend(since);
        }
        self.queue.push_back(Frame {
            seq,
            iface,
            at,
            data: data.to_vec(),
            tx,
            pkt: t.pkt,
            lines,
        });
        // Frames before this one of the same packet are complete; write
        // from the front whatever no longer waits.
        while let Some(f) = self.queue.front() {
            let waiting = self.packets.get(&f.pkt).and_then(|p| p.open) == Some(f.seq);
            if waiting && self.queue.len() <= MAX_OPEN {
                break;
            }
            self.write_front();
        }
    }

    /// The interface id of a device, its description block written the
    /// first time.
    fn iface(&mut self, place: &str, dev: &str, ether: bool) -> Option<u32> {
        let key = (place.to_string(), dev.to_string(), ether);
        if let Some(i) = self.ifaces.get(&key) {
            return Some(*i);
        }
        let id = u32::try_from(self.ifaces.len()).ok()?;
        let idb = InterfaceDescriptionBlock {
            linktype: if ether {
                DataLink::ETHERNET
            } else {
                DataLink::RAW
            },
            snaplen: SNAPLEN,
            options: vec![
                InterfaceDescriptionOption::IfName(Cow::Owned(format!("{place}:{dev}"))),
                InterfaceDescriptionOption::IfTsResol(9),
            ],
        };
        if let Err(e) = self.w.write_pcapng_block(idb) {
            self.err = Some(format!("pcapng: {e}"));
            return None;
        }
        self.ifaces.insert(key, id);
        Some(id)
    }

    fn write_front(&mut self) {
        let Some(f) = self.queue.pop_front() else {
            return;
        };
        if let Some(p) = self.packets.get_mut(&f.pkt) {
            if p.open == Some(f.seq) {
                p.open = None;
            }
        }
        if self.err.is_some() {
            return;
        }
        let epb = EnhancedPacketBlock {
            interface_id: f.iface,
            timestamp: f.at,
            original_len: u32::try_from(f.data.len()).unwrap_or(u32::MAX),
            data: Cow::Borrowed(&f.data),
            options: vec![EnhancedPacketOption::Comment(Cow::Owned(
                f.lines.join("\n"),
            ))],
        };
        if let Err(e) = self.w.write_pcapng_block(epb) {
            self.err = Some(format!("pcapng: {e}"));
        }
    }
}

/// A decision as one comment line: the trace's plain form without the
/// namespace (the interface already names it).
fn note(t: &Traced) -> String {
    let s = t.to_string();
    match s.strip_prefix(&t.place) {
        Some(rest) => rest.trim_start().to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcap_file::pcapng::{Block, PcapNgReader};
    use vnet_core::trace::DropReason;
    use vnet_core::Time;

    fn ev(at: u64, pkt: u64, place: &str, ev: Trace) -> Traced {
        Traced {
            at: Time(at),
            pkt: PktId(pkt),
            place: place.into(),
            ev,
        }
    }

    fn frame(dev: &str, tx: bool, bytes: &[u8]) -> Trace {
        let (ns, dev, frame, ether) = (0, dev.to_string(), bytes.to_vec(), true);
        if tx {
            Trace::Tx {
                ns,
                dev,
                frame,
                ether,
            }
        } else {
            Trace::Rx {
                ns,
                dev,
                frame,
                ether,
            }
        }
    }

    fn no_route() -> Trace {
        let reason = DropReason::NoRoute;
        Trace::Drop {
            ns: 2,
            dev: None,
            reason,
            kernel_reason: reason.kernel_name(),
            counter: reason.counter(),
            detail: None,
        }
    }

    /// (interface name, timestamp ns, comment) of every packet, in order.
    fn read(bytes: &[u8]) -> Vec<(String, u128, String)> {
        let mut r = PcapNgReader::new(bytes).expect("section");
        let mut names = Vec::new();
        let mut out = Vec::new();
        while let Some(b) = r.next_block() {
            match b.expect("block") {
                Block::InterfaceDescription(i) => {
                    let name = i.options.iter().find_map(|o| match o {
                        InterfaceDescriptionOption::IfName(n) => Some(n.to_string()),
                        _ => None,
                    });
                    names.push(name.unwrap_or_default());
                }
                Block::EnhancedPacket(p) => {
                    let c = p.options.iter().find_map(|o| match o {
                        EnhancedPacketOption::Comment(c) => Some(c.to_string()),
                        _ => None,
                    });
                    out.push((
                        names[p.interface_id as usize].clone(),
                        p.timestamp.as_nanos(),
                        c.unwrap_or_default(),
                    ));
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn forwarded_packet_carries_cause_and_decisions_on_each_device() {
        let mut s = PcapngStory::new(Vec::new()).unwrap();
        let route = Trace::RouteLookup {
            ns: 1,
            dst: "10.0.2.2".parse().unwrap(),
            table: Some(254),
            result: "unicast 10.0.2.0/24".into(),
            rule: None,
        };
        s.event(&ev(
            5,
            7,
            "a",
            Trace::Born {
                ns: 0,
                cause: PktId(3),
            },
        ));
        s.event(&ev(5, 7, "a", frame("veth0", true, &[1; 60])));
        s.event(&ev(13, 7, "r", frame("veth1", false, &[1; 60])));
        s.event(&ev(13, 7, "r", route));
        // Another packet in between: its frame waits behind #7's.
        s.event(&ev(14, 8, "b", frame("eth0", true, &[2; 60])));
        s.event(&ev(21, 7, "r", frame("veth2", true, &[1; 60])));
        s.event(&ev(29, 7, "b", no_route()));
        let got = read(&s.finish().unwrap());
        let names: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(names, ["a:veth0", "r:veth1", "b:eth0", "r:veth2"]);
        assert_eq!(got[1].1, 13);
        assert_eq!(got[0].2, "packet #7, caused by #3\na veth0 out");
        assert_eq!(
            got[1].2,
            "packet #7, caused by #3\nr veth1 in\nroute 10.0.2.2: unicast 10.0.2.0/24"
        );
        // The sent frame repeats what was decided since the received one,
        // and the drop after it lands on it.
        assert_eq!(
            got[3].2,
            "packet #7, caused by #3\nr veth2 out\nroute 10.0.2.2: unicast 10.0.2.0/24\n\
             drop IP_INNOROUTES (NoRoute; IpExtInNoRoutes)"
        );
        assert_eq!(got[2].2, "packet #8\nb eth0 out");
    }

    #[test]
    fn loopback_frame_sent_and_received_is_kept_once() {
        let mut s = PcapngStory::new(Vec::new()).unwrap();
        s.event(&ev(1, 1, "host", frame("lo", true, &[9; 60])));
        s.event(&ev(1, 1, "host", frame("lo", false, &[9; 60])));
        let got = read(&s.finish().unwrap());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "host:lo");
    }

    #[test]
    fn the_queue_is_bounded_by_packets_never_seen_again() {
        let mut s = PcapngStory::new(Vec::new()).unwrap();
        for i in 0..(MAX_OPEN as u64 + 10) {
            s.event(&ev(i, i + 1, "a", frame("eth0", false, &[0; 60])));
        }
        assert!(s.queue.len() <= MAX_OPEN);
        assert_eq!(read(&s.finish().unwrap()).len(), MAX_OPEN + 10);
    }

    proptest::proptest! {
        /// Any event sequence: no panic, a file tshark's reader would take
        /// (it parses back), one block per frame at most, every comment
        /// naming its packet, stamps in the order the events came.
        #[test]
        fn any_event_sequence_gives_a_readable_file(
            evs in proptest::collection::vec((1u64..6, 0u8..5, 0u8..3, 0usize..3), 0..200)
        ) {
            let mut s = PcapngStory::new(Vec::new()).unwrap();
            let mut frames = 0;
            for (i, (pkt, kind, dev, len)) in evs.iter().enumerate() {
                let dev = ["eth0", "veth1", "lo"][*dev as usize];
                let data = vec![*pkt as u8; [0, 14, 60][*len]];
                let e = match kind {
                    0 => Trace::Born { ns: 0, cause: PktId(pkt - 1) },
                    1 => { frames += 1; frame(dev, false, &data) }
                    2 => { frames += 1; frame(dev, true, &data) }
                    3 => no_route(),
                    _ => Trace::Neigh {
                        ns: 0,
                        dev: dev.into(),
                        ip: "10.0.0.1".parse().unwrap(),
                        state: vnet_core::neigh::NudState::Reachable,
                    },
                };
                s.event(&ev(i as u64, *pkt, ["a", "h2:b"][i % 2], e));
            }
            let got = read(&s.finish().unwrap());
            proptest::prop_assert!(got.len() <= frames);
            for w in got.windows(2) {
                proptest::prop_assert!(w[0].1 <= w[1].1);
            }
            for g in &got {
                proptest::prop_assert!(g.2.starts_with("packet #"), "{}", g.2);
            }
        }
    }
}
