//! The spanning tree protocol, IEEE 802.1D as net/bridge implements it:
//! br_stp.c (root and designated port selection, port states, topology
//! change), br_stp_if.c (ports and bridges starting and stopping, ids and
//! priorities), br_stp_timer.c (the timers) and br_stp_bpdu.c (BPDUs on
//! the wire). Read br_stp.c first: the functions here carry its names.
//!
//! Bridge and port ids are u64: priority in the top 16 bits, the address
//! below, so that comparing them compares as memcmp() of the kernel's
//! bridge_id does. Times are virtual; the bridge's timers are wakeups of
//! one event per bridge (`Event::BrStp`) at the earliest deadline.

use crate::bridge::{Bridge, Port, PortState};
use crate::dev::DevRef;
use crate::types::{Mac, NsId, Time};
use crate::world::{Event, World};
use serde::{Deserialize, Serialize};

/// BR_HOLD_TIME: at most one config BPDU a second per port.
const HOLD_TIME: Time = Time::from_secs(1);
/// MESSAGE_AGE_INCR: (HZ / 256) + 1 jiffies (HZ = 250).
const MESSAGE_AGE_INCR: Time = Time::from_millis(4);

/// A bridge's spanning tree state (the STP part of struct net_bridge).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BrStp {
    pub designated_root: u64,
    pub root_path_cost: u32,
    /// The root port's number, 0 when the bridge is the root.
    pub root_port: u16,
    /// The timers in use: the root's, learned from its BPDUs.
    pub max_age: Time,
    pub hello_time: Time,
    pub forward_delay: Time,
    pub topology_change: bool,
    pub topology_change_detected: bool,
    pub hello_timer: Option<Time>,
    pub tcn_timer: Option<Time>,
    pub topology_change_timer: Option<Time>,
    /// The bridge device was up at the last look (br_stp_enable_bridge()).
    pub up: bool,
    /// When the bridge's timer event is due, if one is scheduled.
    pub wake: Option<Time>,
    /// Whether designated_root etc. were initialised (br_dev_setup()).
    pub init: bool,
}

/// A port's spanning tree state (the STP part of struct net_bridge_port).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortStp {
    pub designated_root: u64,
    pub designated_bridge: u64,
    pub designated_cost: u32,
    pub designated_port: u16,
    pub topology_change_ack: bool,
    pub config_pending: bool,
    pub message_age_timer: Option<Time>,
    pub hold_timer: Option<Time>,
    /// When the root's information now recorded was sent (now - message age).
    pub designated_age: Time,
    /// Whether br_init_port() ran.
    pub init: bool,
}

/// A configuration BPDU's fields (struct br_config_bpdu).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigBpdu {
    pub topology_change: bool,
    pub topology_change_ack: bool,
    pub root: u64,
    pub root_path_cost: u32,
    pub bridge_id: u64,
    pub port_id: u16,
    pub message_age: Time,
    pub max_age: Time,
    pub hello_time: Time,
    pub forward_delay: Time,
}

/// A BPDU as br_stp_rcv() reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bpdu {
    Config(ConfigBpdu),
    Tcn,
}

/// Times in BPDUs are in 1/256 s (br_set_ticks()).
fn ticks(t: Time) -> u16 {
    (t.0 / (1_000_000_000 / 256)).min(u16::MAX as u64) as u16
}
fn from_ticks(v: u16) -> Time {
    Time(v as u64 * (1_000_000_000 / 256))
}

impl Bpdu {
    /// The BPDU after the LLC header (br_stp_rcv()); None when malformed.
    pub fn parse(b: &[u8]) -> Option<Bpdu> {
        if b.len() < 4 || b[0] != 0 || b[1] != 0 || b[2] != 0 {
            return None;
        }
        match b[3] {
            0x80 => Some(Bpdu::Tcn),
            0x00 if b.len() >= 35 => {
                let u64at = |i: usize| u64::from_be_bytes(b[i..i + 8].try_into().unwrap());
                let u16at = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
                Some(Bpdu::Config(ConfigBpdu {
                    topology_change: b[4] & 0x01 != 0,
                    topology_change_ack: b[4] & 0x80 != 0,
                    root: u64at(5),
                    root_path_cost: u32::from_be_bytes(b[13..17].try_into().unwrap()),
                    bridge_id: u64at(17),
                    port_id: u16at(25),
                    message_age: from_ticks(u16at(27)),
                    max_age: from_ticks(u16at(29)),
                    hello_time: from_ticks(u16at(31)),
                    forward_delay: from_ticks(u16at(33)),
                }))
            }
            _ => None,
        }
    }

    /// The BPDU's bytes (br_send_config_bpdu(), br_send_tcn_bpdu()).
    pub fn emit(&self) -> Vec<u8> {
        match self {
            Bpdu::Tcn => vec![0, 0, 0, 0x80],
            Bpdu::Config(c) => {
                let mut b = vec![0u8, 0, 0, 0];
                b.push((c.topology_change as u8) | ((c.topology_change_ack as u8) << 7));
                b.extend(c.root.to_be_bytes());
                b.extend(c.root_path_cost.to_be_bytes());
                b.extend(c.bridge_id.to_be_bytes());
                b.extend(c.port_id.to_be_bytes());
                for t in [c.message_age, c.max_age, c.hello_time, c.forward_delay] {
                    b.extend(ticks(t).to_be_bytes());
                }
                b
            }
        }
    }
}

/// An 802.3 frame with LLC header 42 42 03 carrying `bpdu` (br_send_bpdu()).
pub fn bpdu_frame(dst: Mac, src: Mac, bpdu: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(17 + bpdu.len());
    f.extend(dst.0);
    f.extend(src.0);
    f.extend(((3 + bpdu.len()) as u16).to_be_bytes());
    f.extend([0x42, 0x42, 0x03]);
    f.extend(bpdu);
    f
}

/// round_jiffies(): to a whole second, down when within a quarter second
/// past one, never to the past.
fn round_secs(t: Time, now: Time) -> Time {
    let s = 1_000_000_000;
    let rem = t.0 % s;
    let r = if rem < s / 4 {
        t.0 - rem
    } else {
        t.0 - rem + s
    };
    if r <= now.0 {
        t
    } else {
        Time(r)
    }
}

/// A bridge id's priority and address.
pub fn split_id(id: u64) -> (u16, Mac) {
    let b = id.to_be_bytes();
    (
        u16::from_be_bytes([b[0], b[1]]),
        Mac(b[2..].try_into().unwrap()),
    )
}

/// What is left of a timer at `now`, if it is armed.
pub fn left(t: Option<Time>, now: Time) -> Time {
    t.map_or(Time(0), |t| t.saturating_sub(now))
}

/// A bridge id from a priority and an address.
pub fn make_id(prio: u16, mac: Mac) -> u64 {
    let mut b = [0u8; 8];
    b[..2].copy_from_slice(&prio.to_be_bytes());
    b[2..].copy_from_slice(&mac.0);
    u64::from_be_bytes(b)
}

impl Bridge {
    pub fn bridge_id(&self) -> u64 {
        make_id(self.priority, self.id_mac)
    }
    /// br_is_root_bridge().
    pub fn is_root(&self) -> bool {
        self.bridge_id() == self.st.designated_root
    }
    /// br_is_designated_port().
    pub fn is_designated(&self, p: &Port) -> bool {
        p.stp.designated_bridge == self.bridge_id() && p.stp.designated_port == Bridge::port_id(p)
    }
    /// The fdb ageing in force: twice the forward delay during a topology
    /// change (__br_set_topology_change()).
    pub fn effective_ageing(&self) -> Time {
        if self.stp && self.st.topology_change {
            Time(2 * self.st.forward_delay.0)
        } else {
            self.ageing_time
        }
    }
    /// br_dev_setup() and br_init_port(), for state from before STP was simulated.
    pub(crate) fn stp_init(&mut self) {
        if !self.st.init {
            self.st.init = true;
            self.st.designated_root = self.bridge_id();
            self.st.max_age = self.max_age;
            self.st.hello_time = self.hello_time;
            self.st.forward_delay = self.forward_delay;
        }
        let (root, cost, id) = (
            self.st.designated_root,
            self.st.root_path_cost,
            self.bridge_id(),
        );
        for p in &mut self.ports {
            if !p.stp.init {
                p.stp.init = true;
                p.stp.designated_root = root;
                p.stp.designated_cost = cost;
                p.stp.designated_bridge = id;
                p.stp.designated_port = Bridge::port_id(p);
            }
        }
    }
    fn port_idx(&self, port_no: u16) -> Option<usize> {
        self.ports.iter().position(|p| p.port_no == port_no)
    }
    /// br_become_designated_port().
    fn become_designated(&mut self, i: usize) {
        let (root, cost, id) = (
            self.st.designated_root,
            self.st.root_path_cost,
            self.bridge_id(),
        );
        let p = &mut self.ports[i];
        p.stp.designated_root = root;
        p.stp.designated_cost = cost;
        p.stp.designated_bridge = id;
        p.stp.designated_port = Bridge::port_id(p);
    }
    /// br_should_become_root_port().
    fn should_become_root_port(&self, i: usize, root_port: u16) -> bool {
        let p = &self.ports[i];
        if p.state == PortState::Disabled || self.is_designated(p) {
            return false;
        }
        if self.bridge_id() <= p.stp.designated_root {
            return false;
        }
        let Some(r) = self.port_idx(root_port).map(|j| &self.ports[j]) else {
            return true;
        };
        let (a, b) = (&p.stp, &r.stp);
        let key = |x: &Port, s: &PortStp| {
            (
                s.designated_root,
                s.designated_cost as u64 + x.path_cost as u64,
                s.designated_bridge,
                s.designated_port,
                Bridge::port_id(x),
            )
        };
        key(p, a) < key(r, b)
    }
    /// br_root_selection().
    fn root_selection(&mut self) {
        let mut root_port = 0;
        for i in 0..self.ports.len() {
            if !self.should_become_root_port(i, root_port) {
                continue;
            }
            if self.ports[i].flags.root_block {
                // br_root_port_block(): it stays listening instead.
                let p = &mut self.ports[i];
                p.state = PortState::Listening;
                p.fd_timer_until = None;
                self.become_designated(i);
                continue;
            }
            root_port = self.ports[i].port_no;
        }
        self.st.root_port = root_port;
        match self.port_idx(root_port) {
            None => {
                self.st.designated_root = self.bridge_id();
                self.st.root_path_cost = 0;
            }
            Some(i) => {
                let p = &self.ports[i];
                self.st.designated_root = p.stp.designated_root;
                self.st.root_path_cost = p.stp.designated_cost + p.path_cost;
            }
        }
    }
    /// br_should_become_designated_port().
    fn should_become_designated(&self, p: &Port) -> bool {
        if self.is_designated(p) || p.stp.designated_root != self.st.designated_root {
            return true;
        }
        (self.st.root_path_cost, self.bridge_id(), Bridge::port_id(p))
            < (
                p.stp.designated_cost,
                p.stp.designated_bridge,
                p.stp.designated_port,
            )
    }
    /// br_configuration_update(): root, then designated port selection.
    fn configuration_update(&mut self) {
        self.root_selection();
        for i in 0..self.ports.len() {
            let p = &self.ports[i];
            if p.state != PortState::Disabled && self.should_become_designated(p) {
                self.become_designated(i);
            }
        }
    }
    /// br_is_designated_for_some_port().
    fn designated_for_some_port(&self) -> bool {
        let id = self.bridge_id();
        self.ports
            .iter()
            .any(|p| p.state != PortState::Disabled && p.stp.designated_bridge == id)
    }
}

/// What a step of the protocol asks the world to do after it: BPDUs to
/// send, and the rtnetlink messages it caused, in the kernel's order.
#[derive(Default)]
struct Out {
    /// (port ifindex, BPDU bytes).
    tx: Vec<(u32, Vec<u8>)>,
    notes: Vec<Note>,
}

/// A message a protocol step causes.
enum Note {
    /// br_ifinfo_notify() for a port whose state changed.
    Port(u32),
    /// An fdb entry br_fdb_delete_by_port() removed.
    FdbGone((crate::types::Mac, u16), crate::bridge::FdbEntry),
}

impl Bridge {
    /// br_transmit_config().
    fn transmit_config(&mut self, i: usize, now: Time, out: &mut Out) {
        if self.ports[i].stp.hold_timer.is_some_and(|t| t > now) {
            self.ports[i].stp.config_pending = true;
            return;
        }
        let message_age = if self.is_root() {
            Time(0)
        } else {
            let age = self.port_idx(self.st.root_port).map_or(Time(0), |r| {
                now.saturating_sub(self.ports[r].stp.designated_age)
            });
            age + MESSAGE_AGE_INCR
        };
        let p = &self.ports[i];
        let bpdu = ConfigBpdu {
            topology_change: self.st.topology_change,
            topology_change_ack: p.stp.topology_change_ack,
            root: self.st.designated_root,
            root_path_cost: self.st.root_path_cost,
            bridge_id: self.bridge_id(),
            port_id: Bridge::port_id(p),
            message_age,
            max_age: self.st.max_age,
            hello_time: self.st.hello_time,
            forward_delay: self.st.forward_delay,
        };
        if message_age < self.st.max_age {
            out.tx.push((p.ifindex, Bpdu::Config(bpdu).emit()));
            let p = &mut self.ports[i];
            p.stp.topology_change_ack = false;
            p.stp.config_pending = false;
            p.stp.hold_timer = Some(round_secs(now + HOLD_TIME, now));
        }
    }
    /// br_config_bpdu_generation().
    fn config_bpdu_generation(&mut self, now: Time, out: &mut Out) {
        for i in 0..self.ports.len() {
            let p = &self.ports[i];
            if p.state != PortState::Disabled && self.is_designated(p) {
                self.transmit_config(i, now, out);
            }
        }
    }
    /// br_transmit_tcn().
    fn transmit_tcn(&mut self, out: &mut Out) {
        if let Some(i) = self.port_idx(self.st.root_port) {
            out.tx.push((self.ports[i].ifindex, Bpdu::Tcn.emit()));
        }
    }
    /// __br_set_topology_change().
    fn set_topology_change(&mut self, on: bool) {
        self.st.topology_change = on;
    }
    /// br_topology_change_detection().
    fn topology_change_detection(&mut self, now: Time, out: &mut Out) {
        if !self.stp {
            return;
        }
        if self.is_root() {
            self.set_topology_change(true);
            self.st.topology_change_timer = Some(now + self.forward_delay + self.max_age);
        } else if !self.st.topology_change_detected {
            self.transmit_tcn(out);
            self.st.tcn_timer = Some(now + self.hello_time);
        }
        self.st.topology_change_detected = true;
    }
    /// br_become_root_bridge().
    fn become_root(&mut self, up: bool, now: Time, out: &mut Out) {
        self.st.max_age = self.max_age;
        self.st.hello_time = self.hello_time;
        self.st.forward_delay = self.forward_delay;
        self.topology_change_detection(now, out);
        self.st.tcn_timer = None;
        if up {
            self.config_bpdu_generation(now, out);
            self.st.hello_timer = Some(now + self.st.hello_time);
        }
    }
    /// br_make_forwarding().
    fn make_forwarding(&mut self, i: usize, now: Time, out: &mut Out) {
        if self.ports[i].state != PortState::Blocking {
            return;
        }
        let fd = self.st.forward_delay;
        if !self.stp {
            self.ports[i].state = PortState::Forwarding;
            self.topology_change_detection(now, out);
        } else {
            self.ports[i].state = PortState::Listening;
        }
        out.notes.push(Note::Port(self.ports[i].ifindex));
        self.ports[i].fd_timer_until = (fd.0 != 0).then_some(now + fd);
    }
    /// br_make_blocking().
    fn make_blocking(&mut self, i: usize, now: Time, out: &mut Out) {
        let st = self.ports[i].state;
        if st != PortState::Disabled && st != PortState::Blocking {
            if matches!(st, PortState::Forwarding | PortState::Learning) {
                self.topology_change_detection(now, out);
            }
            self.ports[i].state = PortState::Blocking;
            out.notes.push(Note::Port(self.ports[i].ifindex));
            self.ports[i].fd_timer_until = None;
        }
    }
    /// br_port_state_selection().
    fn port_state_selection(&mut self, now: Time, out: &mut Out) {
        for i in 0..self.ports.len() {
            if self.ports[i].state == PortState::Disabled {
                continue;
            }
            if self.ports[i].port_no == self.st.root_port {
                let p = &mut self.ports[i];
                p.stp.config_pending = false;
                p.stp.topology_change_ack = false;
                self.make_forwarding(i, now, out);
            } else if self.is_designated(&self.ports[i]) {
                self.ports[i].stp.message_age_timer = None;
                self.make_forwarding(i, now, out);
            } else {
                let p = &mut self.ports[i];
                p.stp.config_pending = false;
                p.stp.topology_change_ack = false;
                self.make_blocking(i, now, out);
            }
        }
    }
    /// br_stp_enable_port(): br_init_port(), then state selection.
    fn enable_port(&mut self, i: usize, now: Time, out: &mut Out) {
        self.become_designated(i);
        let p = &mut self.ports[i];
        p.state = PortState::Blocking;
        p.stp.topology_change_ack = false;
        p.stp.config_pending = false;
        let idx = p.ifindex;
        self.port_state_selection(now, out);
        out.notes.push(Note::Port(idx));
    }
    /// br_stp_disable_port().
    fn disable_port(&mut self, i: usize, up: bool, now: Time, out: &mut Out) {
        let wasroot = self.is_root();
        self.become_designated(i);
        let p = &mut self.ports[i];
        p.state = PortState::Disabled;
        p.stp.topology_change_ack = false;
        p.stp.config_pending = false;
        p.stp.message_age_timer = None;
        p.stp.hold_timer = None;
        p.fd_timer_until = None;
        let idx = p.ifindex;
        out.notes.push(Note::Port(idx));
        if p.flags.backup_port.is_none() {
            // br_fdb_delete_by_port(do_all 0): the learned entries, newest first.
            let mut gone: Vec<_> = self
                .fdb
                .iter()
                .filter(|(_, e)| e.port == idx && !e.is_local && !e.is_static)
                .map(|(k, e)| (*k, e.clone()))
                .collect();
            gone.sort_by_key(|(_, e)| std::cmp::Reverse(e.seq));
            for (k, e) in gone {
                self.fdb.remove(&k);
                out.notes.push(Note::FdbGone(k, e));
            }
        }
        self.configuration_update();
        self.port_state_selection(now, out);
        if self.is_root() && !wasroot {
            self.become_root(up, now, out);
        }
    }
    /// br_received_config_bpdu().
    fn received_config(&mut self, i: usize, b: &ConfigBpdu, up: bool, now: Time, out: &mut Out) {
        let was_root = self.is_root();
        let p = &self.ports[i];
        let s = &p.stp;
        let supersedes = (b.root, b.root_path_cost, b.bridge_id)
            < (s.designated_root, s.designated_cost, s.designated_bridge)
            || ((b.root, b.root_path_cost, b.bridge_id)
                == (s.designated_root, s.designated_cost, s.designated_bridge)
                && (b.bridge_id != self.bridge_id() || b.port_id <= s.designated_port));
        if supersedes {
            // br_record_config_information().
            let p = &mut self.ports[i];
            p.stp.designated_root = b.root;
            p.stp.designated_cost = b.root_path_cost;
            p.stp.designated_bridge = b.bridge_id;
            p.stp.designated_port = b.port_id;
            p.stp.designated_age = now.saturating_sub(b.message_age);
            p.stp.message_age_timer = Some(now + b.max_age.saturating_sub(b.message_age));
            self.configuration_update();
            self.port_state_selection(now, out);
            if !self.is_root() && was_root {
                self.st.hello_timer = None;
                if self.st.topology_change_detected {
                    self.st.topology_change_timer = None;
                    self.transmit_tcn(out);
                    self.st.tcn_timer = Some(now + self.hello_time);
                }
            }
            if self.ports[i].port_no == self.st.root_port {
                // br_record_config_timeout_values().
                self.st.max_age = b.max_age;
                self.st.hello_time = b.hello_time;
                self.st.forward_delay = b.forward_delay;
                self.set_topology_change(b.topology_change);
                self.config_bpdu_generation(now, out);
                if b.topology_change_ack {
                    // br_topology_change_acknowledged().
                    self.st.topology_change_detected = false;
                    self.st.tcn_timer = None;
                }
            }
        } else if self.is_designated(&self.ports[i]) {
            self.transmit_config(i, now, out);
        }
        let _ = up;
    }
    /// br_received_tcn_bpdu().
    fn received_tcn(&mut self, i: usize, now: Time, out: &mut Out) {
        if self.is_designated(&self.ports[i]) {
            self.topology_change_detection(now, out);
            // br_acknowledge_topology_change().
            self.ports[i].stp.topology_change_ack = true;
            self.transmit_config(i, now, out);
        }
    }
    /// The timers of br_stp_timer.c that are due at `now`.
    fn run_timers(&mut self, up: bool, now: Time, out: &mut Out) {
        let due = |t: Option<Time>| t.is_some_and(|t| t <= now);
        if due(self.st.hello_timer) {
            self.st.hello_timer = None;
            if up {
                self.config_bpdu_generation(now, out);
                if self.stp {
                    self.st.hello_timer = Some(round_secs(now + self.st.hello_time, now));
                }
            }
        }
        if due(self.st.tcn_timer) {
            self.st.tcn_timer = None;
            if !self.is_root() && up {
                self.transmit_tcn(out);
                self.st.tcn_timer = Some(now + self.hello_time);
            }
        }
        if due(self.st.topology_change_timer) {
            self.st.topology_change_timer = None;
            self.st.topology_change_detected = false;
            self.set_topology_change(false);
        }
        for i in 0..self.ports.len() {
            if due(self.ports[i].stp.message_age_timer) {
                self.ports[i].stp.message_age_timer = None;
                if self.ports[i].state != PortState::Disabled {
                    let was_root = self.is_root();
                    self.become_designated(i);
                    self.configuration_update();
                    self.port_state_selection(now, out);
                    if self.is_root() && !was_root {
                        self.become_root(up, now, out);
                    }
                }
            }
            if due(self.ports[i].fd_timer_until) {
                self.ports[i].fd_timer_until = None;
                match self.ports[i].state {
                    PortState::Listening => {
                        self.ports[i].state = PortState::Learning;
                        self.ports[i].fd_timer_until = Some(now + self.st.forward_delay);
                    }
                    PortState::Learning => {
                        self.ports[i].state = PortState::Forwarding;
                        if self.designated_for_some_port() {
                            self.topology_change_detection(now, out);
                        }
                    }
                    _ => {}
                }
                // br_forward_delay_timer_expired() notifies whatever the
                // state (without STP too, forward_delay after forwarding).
                out.notes.push(Note::Port(self.ports[i].ifindex));
            }
            if due(self.ports[i].stp.hold_timer) {
                self.ports[i].stp.hold_timer = None;
                if self.ports[i].stp.config_pending {
                    self.transmit_config(i, now, out);
                }
            }
        }
    }
    /// The earliest armed timer.
    fn next_timer(&self) -> Option<Time> {
        let mut ts = vec![
            self.st.hello_timer,
            self.st.tcn_timer,
            self.st.topology_change_timer,
        ];
        for p in &self.ports {
            ts.extend([p.stp.message_age_timer, p.fd_timer_until, p.stp.hold_timer]);
        }
        ts.into_iter().flatten().min()
    }
}

/// A step of the protocol on one bridge.
enum Step<'a> {
    EnablePort(u32),
    DisablePort(u32),
    EnableBridge,
    DisableBridge,
    Start,
    Stop,
    Recalc,
    Rx(u32, &'a Bpdu),
    Timers,
}

impl World {
    /// Runs one protocol step on bridge `br`, sends what it produced and
    /// schedules the bridge's next timer.
    fn stp_step(&mut self, ns: NsId, br: u32, step: Step) {
        let now = self.now;
        let Some(d) = self.ns_mut(ns).dev_mut(br) else {
            return;
        };
        let up = d.up;
        let Some(b) = d.bridge_mut() else { return };
        b.stp_init();
        let mut out = Out::default();
        let pos = |b: &Bridge, i: u32| b.ports.iter().position(|p| p.ifindex == i);
        match step {
            Step::EnablePort(i) => {
                if let Some(i) = pos(b, i) {
                    b.enable_port(i, now, &mut out);
                }
            }
            Step::DisablePort(i) => {
                if let Some(i) = pos(b, i) {
                    b.disable_port(i, up, now, &mut out);
                }
            }
            Step::EnableBridge => {
                b.st.up = true;
                if b.stp {
                    b.st.hello_timer = Some(now + b.st.hello_time);
                }
                b.config_bpdu_generation(now, &mut out);
            }
            Step::DisableBridge => {
                b.st.up = false;
                for i in 0..b.ports.len() {
                    if b.ports[i].state != PortState::Disabled {
                        b.disable_port(i, false, now, &mut out);
                    }
                }
                b.set_topology_change(false);
                b.st.topology_change_detected = false;
                b.st.hello_timer = None;
                b.st.tcn_timer = None;
                b.st.topology_change_timer = None;
                out.tx.clear();
            }
            Step::Start => {
                if up {
                    b.st.hello_timer = Some(now + b.st.hello_time);
                }
                b.port_state_selection(now, &mut out);
            }
            Step::Stop => {
                b.st.hello_timer = None;
            }
            Step::Recalc => {
                let wasroot = b.is_root();
                b.configuration_update();
                b.port_state_selection(now, &mut out);
                if b.is_root() && !wasroot {
                    b.become_root(up, now, &mut out);
                }
            }
            Step::Rx(i, bpdu) => {
                if let Some(i) = pos(b, i) {
                    match bpdu {
                        Bpdu::Config(c) => b.received_config(i, c, up, now, &mut out),
                        Bpdu::Tcn => b.received_tcn(i, now, &mut out),
                    }
                }
            }
            Step::Timers => b.run_timers(up, now, &mut out),
        }
        // Without STP nothing is sent (br_send_config_bpdu()'s check).
        let (stp, group) = (b.stp, b.conf.group_addr);
        let next = b.next_timer();
        if let Some(t) = next {
            if b.st.wake.is_none_or(|w| w > t || w < now) {
                b.st.wake = Some(t);
                self.schedule(t, Event::BrStp { ns, br });
            }
        }
        for n in std::mem::take(&mut out.notes) {
            match n {
                Note::Port(p) => self.notify_brport(ns, br, p, false),
                Note::FdbGone(k, e) => {
                    let st = self.fdb_state(ns, br, &e);
                    self.notify_fdb(ns, br, k, &e, st, true);
                }
            }
        }
        if !stp || !up {
            return;
        }
        for (port, bpdu) in out.tx {
            let r = DevRef { ns, ifindex: port };
            let Some(src) = self.dev(r).map(|d| d.mac) else {
                continue;
            };
            if !self.running(r) {
                continue;
            }
            self.dev_queue_xmit(r, bpdu_frame(group, src, &bpdu));
        }
    }

    /// The bridge's timer event.
    pub(crate) fn br_stp_timer(&mut self, ns: NsId, br: u32) {
        if let Some(b) = self.ns_mut(ns).dev_mut(br).and_then(|d| d.bridge_mut()) {
            b.st.wake = None;
        } else {
            return;
        }
        self.stp_step(ns, br, Step::Timers);
    }

    /// A port became able to work (bridge up, port running): br_stp_enable_port().
    pub(crate) fn br_stp_enable_port(&mut self, ns: NsId, br: u32, port: u32) {
        self.stp_step(ns, br, Step::EnablePort(port));
    }
    /// br_stp_disable_port().
    pub(crate) fn br_stp_disable_port(&mut self, ns: NsId, br: u32, port: u32) {
        self.stp_step(ns, br, Step::DisablePort(port));
    }
    /// The bridge device went up (br_stp_enable_bridge(), before its ports).
    pub(crate) fn br_stp_enable_bridge(&mut self, ns: NsId, br: u32) {
        self.stp_step(ns, br, Step::EnableBridge);
    }
    /// The bridge device went down (br_stp_disable_bridge()).
    pub(crate) fn br_stp_disable_bridge(&mut self, ns: NsId, br: u32) {
        self.stp_step(ns, br, Step::DisableBridge);
    }
    /// br_stp_start() / br_stp_stop(), after `stp` changed.
    pub(crate) fn br_stp_toggle(&mut self, ns: NsId, br: u32, on: bool) {
        self.stp_step(ns, br, if on { Step::Start } else { Step::Stop });
    }
    /// After an id, priority or cost changed: br_configuration_update() and
    /// br_port_state_selection(), becoming root if it now is.
    pub(crate) fn br_stp_recalc(&mut self, ns: NsId, br: u32) {
        self.stp_step(ns, br, Step::Recalc);
    }

    /// br_handle_frame()'s link-local branch for a frame to
    /// 01:80:c2:00:00:0X on `port`: true when the bridge keeps it (STP
    /// takes BPDUs, pause frames drop, groups outside group_fwd_mask stay
    /// local), false when it is forwarded like any other frame.
    pub(crate) fn br_handle_link_local(&mut self, port: DevRef, br: u32, frame: &[u8]) -> bool {
        let brdev = DevRef {
            ns: port.ns,
            ifindex: br,
        };
        let Some(b) = self.dev(brdev).and_then(|d| d.bridge()) else {
            return true;
        };
        let Some(p) = b.port(port.ifindex) else {
            return true;
        };
        let x = frame[5];
        let mut mask = p.flags.group_fwd_mask;
        match x {
            0 if !b.stp || mask & 1 != 0 => return false,
            0 => {}
            1 => return true,
            _ => {
                mask |= b.conf.group_fwd_mask;
                if mask & (1 << x) != 0 {
                    return false;
                }
            }
        }
        // __br_handle_local_finish(): learn the sender.
        let src = Mac(frame[6..12].try_into().unwrap());
        let learn = p.learning
            && matches!(p.state, PortState::Learning | PortState::Forwarding)
            && !b.conf.no_linklocal_learn
            && !src.is_multicast();
        if learn {
            self.br_fdb_update(port.ns, br, src, 0, port.ifindex);
        }
        let llc = frame.len() >= 17
            && u16::from_be_bytes([frame[12], frame[13]]) < 0x600
            && frame[14..17] == [0x42, 0x42, 0x03];
        if x == 0 && llc {
            let dst = Mac(frame[0..6].try_into().unwrap());
            self.br_stp_rcv(port, br, dst, &frame[17..]);
        }
        true
    }

    /// br_stp_rcv(): a BPDU (the bytes after the LLC header) on `port`.
    pub(crate) fn br_stp_rcv(&mut self, port: DevRef, br: u32, dst: Mac, payload: &[u8]) {
        let Some(b) = self
            .dev(DevRef {
                ns: port.ns,
                ifindex: br,
            })
            .and_then(|d| d.bridge())
        else {
            return;
        };
        let Some(p) = b.port(port.ifindex) else {
            return;
        };
        if p.state == PortState::Disabled || !b.stp || dst != b.conf.group_addr {
            return;
        }
        if p.flags.guard {
            // BPDU guard: "BPDU received on blocked port", the port goes down.
            self.br_stp_disable_port(port.ns, br, port.ifindex);
            return;
        }
        let Some(bpdu) = Bpdu::parse(payload) else {
            return;
        };
        if let Bpdu::Config(c) = &bpdu {
            if c.message_age > c.max_age {
                return;
            }
        }
        self.stp_step(port.ns, br, Step::Rx(port.ifindex, &bpdu));
    }
}

/// br_stp_change_bridge_id(): ports that recorded the old address as their
/// designated bridge or root take the new one.
pub(crate) fn change_bridge_addr(b: &mut Bridge, old: Mac, new: Mac) {
    b.stp_init();
    let swap = |id: &mut u64| {
        let bytes = id.to_be_bytes();
        if bytes[2..] == old.0 {
            *id = make_id(u16::from_be_bytes([bytes[0], bytes[1]]), new);
        }
    };
    for p in &mut b.ports {
        swap(&mut p.stp.designated_bridge);
        swap(&mut p.stp.designated_root);
    }
    swap(&mut b.st.designated_root);
}

/// br_stp_set_bridge_priority(): enabled designated ports and the root id follow.
pub(crate) fn set_bridge_priority(b: &mut Bridge, prio: u16) {
    b.stp_init();
    let wasroot = b.is_root();
    let id = b.bridge_id();
    for p in &mut b.ports {
        if p.state != PortState::Disabled
            && p.stp.designated_bridge == id
            && p.stp.designated_port == Bridge::port_id(p)
        {
            p.stp.designated_bridge = make_id(prio, b.id_mac);
        }
    }
    b.priority = prio;
    if wasroot {
        b.st.designated_root = b.bridge_id();
    }
}

/// br_stp_set_port_priority(): a designated port's designated_port follows
/// its new id; a better id makes it designated.
pub(crate) fn set_port_priority(b: &mut Bridge, i: usize, prio: u8) -> bool {
    b.stp_init();
    let designated = b.is_designated(&b.ports[i]);
    let p = &mut b.ports[i];
    p.priority = prio;
    let id = Bridge::port_id(p);
    if designated {
        p.stp.designated_port = id;
    }
    if b.ports[i].stp.designated_bridge == b.bridge_id() && id < b.ports[i].stp.designated_port {
        b.become_designated(i);
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_bpdu_round_trips() {
        let c = ConfigBpdu {
            topology_change: true,
            topology_change_ack: false,
            root: make_id(0x1000, Mac([2, 0, 0, 0, 7, 3])),
            root_path_cost: 2,
            bridge_id: make_id(0x8000, Mac([2, 0, 0, 0, 7, 1])),
            port_id: 0x8001,
            message_age: Time::from_secs(1),
            max_age: Time::from_secs(6),
            hello_time: Time::from_secs(1),
            forward_delay: Time::from_secs(2),
        };
        let b = Bpdu::Config(c).emit();
        assert_eq!(b.len(), 35);
        // protocol 0, version 0, type config, flags TC, root id 1000.02:00:00:00:07:03
        assert_eq!(&b[..7], &[0, 0, 0, 0, 1, 0x10, 0]);
        // message age 1 s = 256/256 s.
        assert_eq!(&b[27..29], &[1, 0]);
        assert_eq!(Bpdu::parse(&b), Some(Bpdu::Config(c)));
        assert_eq!(Bpdu::parse(&[0, 0, 0, 0x80]), Some(Bpdu::Tcn));
        assert_eq!(Bpdu::parse(&[0, 0, 1, 0x80]), None);
        assert_eq!(Bpdu::parse(&[0, 0, 0, 0]), None);
    }

    #[test]
    fn round_jiffies_rounds_to_seconds() {
        let ms = Time::from_millis;
        assert_eq!(round_secs(ms(3100), ms(0)), ms(3000));
        assert_eq!(round_secs(ms(3400), ms(0)), ms(4000));
        // Never into the past.
        assert_eq!(round_secs(ms(3100), ms(3050)), ms(3100));
    }

    fn bridge(mac: u8, ports: &[u16]) -> Bridge {
        let mut b = Bridge {
            id_mac: Mac([2, 0, 0, 0, 0, mac]),
            stp: true,
            ..Default::default()
        };
        for (k, &no) in ports.iter().enumerate() {
            b.ports.push(Port {
                ifindex: 10 + k as u32,
                port_no: no,
                state: PortState::Disabled,
                path_cost: 2,
                priority: 32,
                hairpin: false,
                learning: true,
                flood: true,
                fd_timer_until: None,
                flags: Default::default(),
                stp: Default::default(),
                vlans: Default::default(),
            });
        }
        // As an address given at creation does (rtnetlink).
        b.st.designated_root = b.bridge_id();
        b.stp_init();
        b
    }

    #[test]
    fn a_better_root_makes_the_port_root_and_others_designated() {
        let mut b = bridge(2, &[1, 2]);
        let now = Time::from_secs(1);
        let mut out = Out::default();
        b.enable_port(0, now, &mut out);
        b.enable_port(1, now, &mut out);
        assert!(b.is_root());
        assert_eq!(b.ports[0].state, PortState::Listening);
        let root = make_id(0x1000, Mac([2, 0, 0, 0, 0, 3]));
        let c = ConfigBpdu {
            topology_change: false,
            topology_change_ack: false,
            root,
            root_path_cost: 0,
            bridge_id: root,
            port_id: 0x8001,
            message_age: Time(0),
            max_age: Time::from_secs(20),
            hello_time: Time::from_secs(2),
            forward_delay: Time::from_secs(15),
        };
        b.received_config(1, &c, true, now, &mut out);
        assert_eq!(b.st.root_port, 2);
        assert_eq!(b.st.designated_root, root);
        assert_eq!(b.st.root_path_cost, 2);
        assert!(b.is_designated(&b.ports[0]));
        // A bridge that is no longer root relays on its designated port.
        assert!(out.tx.iter().any(|(p, _)| *p == 10));
        // Superior info from a bridge with a better path on port 1 blocks it.
        let other = make_id(0x8000, Mac([2, 0, 0, 0, 0, 1]));
        let c2 = ConfigBpdu {
            root_path_cost: 2,
            bridge_id: other,
            ..c
        };
        b.received_config(0, &c2, true, now, &mut out);
        assert_eq!(b.ports[0].state, PortState::Blocking);
        assert!(!b.is_designated(&b.ports[0]));
        // Its information ages out: the port is designated again, listening.
        let later = now + Time::from_secs(21);
        b.run_timers(true, later, &mut out);
        assert!(b.is_designated(&b.ports[0]));
        assert_eq!(b.ports[0].state, PortState::Listening);
    }

    #[test]
    fn listening_learning_forwarding_after_forward_delays() {
        let mut b = bridge(1, &[1]);
        let mut out = Out::default();
        let t0 = Time::from_secs(10);
        b.enable_port(0, t0, &mut out);
        assert_eq!(b.ports[0].state, PortState::Listening);
        b.run_timers(true, t0 + Time::from_secs(15), &mut out);
        assert_eq!(b.ports[0].state, PortState::Learning);
        b.run_timers(true, t0 + Time::from_secs(30), &mut out);
        assert_eq!(b.ports[0].state, PortState::Forwarding);
        // Forwarding on a designated port is a topology change: the root
        // shortens its ageing to twice the forward delay.
        assert!(b.st.topology_change);
        assert_eq!(b.effective_ageing(), Time::from_secs(30));
    }
}
