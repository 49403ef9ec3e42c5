//! Shared by the brctl, bridge and tunctl tests (included with `#[path]`):
//! replays transcripts recorded from the real tools on a real kernel.
//!
//! Commands of the tools under test (`brctl`, `bridge`, `tunctl`) run
//! through `Machine::exec_in` and their stdout, stderr and status are compared
//! with the recording. Every other line (`ip`, `ping`, `sleep`, `for`,
//! `sysctl`) is carried out directly on the simulated kernel by a small shim,
//! so these tests depend only on vnet-core and the tools they test. Outputs
//! are compared after replacing what is random on a real kernel: unicast
//! MACs (numbered by first appearance), bridge timers, and the order of
//! `brctl showmacs` rows.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::Ipv4Addr;
use vnet_core::addr::{Ifaddr4, Scope};
use vnet_core::bridge::PortState;
use vnet_core::dev::rtnetlink::LinkChange;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::{Mac, NsId, Time, World};
use vnet_tools::Machine;

/// Random MACs numbered in order of first appearance.
#[derive(Default)]
struct Norm {
    macs: HashMap<[u8; 6], usize>,
}

fn random_mac(m: [u8; 6]) -> bool {
    if m == [0; 6] || m == [0xff; 6] {
        return false;
    }
    if m[0] == 0x33 && m[1] == 0x33 && m[2] == 0xff {
        return true;
    }
    m[0] & 1 == 0
}

fn hex2(s: &[u8]) -> Option<u8> {
    let t = std::str::from_utf8(s).ok()?;
    u8::from_str_radix(t, 16).ok()
}

impl Norm {
    fn name(&mut self, m: [u8; 6]) -> String {
        let n = self.macs.len() + 1;
        format!("MAC{}", self.macs.entry(m).or_insert(n))
    }

    /// Replaces `xx:xx:xx:xx:xx:xx` and `pppp.xxxxxxxxxxxx` when random.
    fn line(&mut self, l: &str, numbered: bool) -> String {
        let b = l.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < b.len() {
            let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b':');
            if boundary && i + 17 <= b.len() {
                let cand = &b[i..i + 17];
                let shape = (0..17).all(|k| {
                    if k % 3 == 2 {
                        cand[k] == b':'
                    } else {
                        cand[k].is_ascii_hexdigit()
                    }
                });
                let end_ok =
                    i + 17 == b.len() || !(b[i + 17].is_ascii_alphanumeric() || b[i + 17] == b':');
                if shape && end_ok {
                    let mut m = [0u8; 6];
                    for k in 0..6 {
                        m[k] = hex2(&cand[3 * k..3 * k + 2]).unwrap();
                    }
                    if random_mac(m) {
                        out.push_str(&if numbered { self.name(m) } else { "MAC".into() });
                    } else {
                        out.push_str(std::str::from_utf8(cand).unwrap());
                    }
                    i += 17;
                    continue;
                }
            }
            if boundary && i + 17 <= b.len() && b[i + 4] == b'.' {
                let cand = &b[i..i + 17];
                let shape = cand[..4].iter().all(|c| c.is_ascii_hexdigit())
                    && cand[5..].iter().all(|c| c.is_ascii_hexdigit());
                if shape {
                    let mut m = [0u8; 6];
                    for k in 0..6 {
                        m[k] = hex2(&cand[5 + 2 * k..7 + 2 * k]).unwrap();
                    }
                    out.push_str(std::str::from_utf8(&cand[..5]).unwrap());
                    if random_mac(m) {
                        out.push_str(&if numbered { self.name(m) } else { "MAC".into() });
                    } else {
                        out.push_str(std::str::from_utf8(&cand[5..]).unwrap());
                    }
                    i += 17;
                    continue;
                }
            }
            out.push(b[i] as char);
            i += 1;
        }
        out
    }
}

/// Timers of `brctl showstp`/`showmacs` become `T`.
fn timers(l: &str) -> String {
    const KEYS: [&str; 7] = [
        "hello timer",
        "tcn timer",
        "topology change timer",
        "gc timer",
        "message age timer",
        "forward delay timer",
        "hold timer",
    ];
    let mut s = l.to_string();
    for k in KEYS {
        if let Some(p) = s.find(k) {
            let after = &s[p + k.len()..];
            let ws = after.len() - after.trim_start_matches(['\t', ' ']).len();
            let num = after[ws..]
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'.')
                .count();
            // The width of a timer depends on its value, which depends on
            // when the kernel's work ran: only that it is a timer is compared.
            let (head, tail) = (s[..p + k.len()].to_string(), after[ws + num..].to_string());
            s = format!("{head} T{tail}");
        }
    }
    s
}

/// One command of a transcript and what it printed.
pub struct Entry {
    pub cmd: String,
    pub block: String,
}

/// Splits a transcript (`$ cmd` lines, output, `[stderr]`, `[exit N]`).
pub fn parse(t: &str) -> Vec<Entry> {
    let mut v: Vec<Entry> = Vec::new();
    for line in t.split_inclusive('\n') {
        if let Some(cmd) = line.strip_prefix("$ ") {
            v.push(Entry {
                cmd: cmd.trim_end_matches('\n').to_string(),
                block: String::new(),
            });
        } else if let Some(e) = v.last_mut() {
            e.block.push_str(line);
        }
    }
    v
}

/// Splits a command line into words: spaces, '...' and "..." quoting.
pub fn words(line: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut q: Option<char> = None;
    for ch in line.chars() {
        match q {
            Some(c) if ch == c => q = None,
            Some(_) => cur.push(ch),
            None if ch == '\'' || ch == '"' => {
                q = Some(ch);
                have = true;
            }
            None if ch == ' ' || ch == '\t' => {
                if have {
                    v.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            None => {
                cur.push(ch);
                have = true;
            }
        }
    }
    if have {
        v.push(cur);
    }
    v
}

pub struct Lab {
    pub m: Machine,
    exp: Norm,
    act: Norm,
    pub failures: Vec<String>,
    pub compared: usize,
    /// Programs whose output is compared.
    pub tools: Vec<&'static str>,
}

impl Default for Lab {
    fn default() -> Self {
        Self::new()
    }
}

impl Lab {
    pub fn new() -> Lab {
        Lab {
            m: Machine::new(World::new(7), Box::new(std::io::sink())),
            exp: Norm::default(),
            act: Norm::default(),
            failures: Vec::new(),
            compared: 0,
            tools: vec!["brctl", "bridge", "tunctl"],
        }
    }

    pub fn w(&mut self) -> &mut World {
        &mut self.m.world
    }

    pub fn ns(&self, name: &str) -> NsId {
        self.m
            .world
            .netns_by_name(name)
            .unwrap_or_else(|| panic!("no netns {name}"))
    }

    pub fn idx(&self, ns: NsId, dev: &str) -> u32 {
        self.m
            .world
            .ns(ns)
            .ifindex_of(dev)
            .unwrap_or_else(|| panic!("no device {dev}"))
    }

    /// Runs a tool and renders what it did as a transcript block.
    pub fn exec(&mut self, ns: NsId, argv: &[String]) -> String {
        let (st, out, err) = self.m.exec_in(ns, argv, None);
        let mut s = String::from_utf8(out).unwrap();
        if !s.is_empty() && !s.ends_with('\n') {
            s.push('\n');
        }
        if !err.is_empty() {
            s.push_str("[stderr]\n");
            s.push_str(&String::from_utf8(err).unwrap());
            if !s.ends_with('\n') {
                s.push('\n');
            }
        }
        if st != 0 {
            s.push_str(&format!("[exit {st}]\n"));
        }
        s
    }

    fn normalise(n: &mut Norm, cmd: &str, block: &str) -> String {
        let showmacs = cmd.contains("brctl showmacs");
        let mut lines: Vec<String> = block
            .lines()
            .map(|l| timers(&n.line(l, !showmacs)))
            .collect();
        if showmacs {
            for l in lines.iter_mut() {
                if let Some((head, _)) = l.rsplit_once('\t') {
                    if head.ends_with("\tyes\t") || head.ends_with("\tno\t") {
                        *l = format!("{head}\t T");
                    }
                }
            }
            let end = lines
                .iter()
                .position(|l| l.starts_with('['))
                .unwrap_or(lines.len());
            if end > 1 {
                lines[1..end].sort();
            }
        }
        lines.join("\n")
    }

    /// Runs one line of a scenario; compares the tools' output with `expected`.
    pub fn step(&mut self, line: &str, expected: &str) {
        let w = words(line);
        let (ns, argv) = self.strip_netns(0, &w);
        if argv
            .first()
            .is_some_and(|p| self.tools.contains(&p.as_str()))
        {
            let got = self.exec(ns, &argv);
            self.compared += 1;
            let e = Self::normalise(&mut self.exp, line, expected);
            let g = Self::normalise(&mut self.act, line, &got);
            if e != g {
                let mut d = String::new();
                let (el, gl): (Vec<&str>, Vec<&str>) = (e.lines().collect(), g.lines().collect());
                for k in 0..el.len().max(gl.len()) {
                    let (a, b) = (el.get(k).copied(), gl.get(k).copied());
                    if a != b {
                        d.push_str(&format!(
                            "  line {}: expected {:?}\n          got      {:?}\n",
                            k + 1,
                            a,
                            b
                        ));
                    }
                }
                self.failures.push(format!(
                    "$ {line}\n{d}--- expected\n{expected}--- got\n{got}"
                ));
            }
        } else {
            self.shim(line);
        }
    }

    /// Replays a whole transcript. Commands in `skip` (the command and which
    /// occurrence of it, from 1; 0 for all) run without being compared.
    pub fn replay(&mut self, transcript: &str, skip: &[(&str, usize)]) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for e in parse(transcript) {
            let nth = {
                let n = seen.entry(e.cmd.clone()).or_insert(0);
                *n += 1;
                *n
            };
            if skip
                .iter()
                .any(|(c, k)| *c == e.cmd && (*k == 0 || *k == nth))
            {
                let w = words(&e.cmd);
                let (ns, argv) = self.strip_netns(0, &w);
                if argv
                    .first()
                    .is_some_and(|p| self.tools.contains(&p.as_str()))
                {
                    self.exec(ns, &argv);
                } else {
                    self.shim(&e.cmd);
                }
                continue;
            }
            self.step(&e.cmd, &e.block);
        }
    }

    /// Panics with every mismatch.
    pub fn finish(&self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} commands differ:\n{}",
            self.failures.len(),
            self.compared,
            self.failures.join("\n")
        );
    }

    fn strip_netns(&self, ns: NsId, w: &[String]) -> (NsId, Vec<String>) {
        if w.len() > 4 && w[0] == "ip" && w[1] == "netns" && w[2] == "exec" {
            return (self.ns(&w[3]), w[4..].to_vec());
        }
        (ns, w.to_vec())
    }

    // ---- the shim: other commands, straight on the kernel ------------------

    pub fn shim(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("for ") {
            // for VAR in A B C; do X; Y; done
            let (head, body) = rest.split_once("; do ").expect("for ... do");
            let body = body.strip_suffix("; done").expect("done");
            let (var, list) = head.split_once(" in ").unwrap();
            for val in list.split_whitespace() {
                for cmd in body.split("; ") {
                    let c = cmd
                        .replace(&format!("${{{var}}}"), val)
                        .replace(&format!("${var}"), val);
                    self.step(&c, "");
                }
            }
            return;
        }
        let w = words(line);
        self.shim_words(0, &w);
    }

    fn shim_words(&mut self, ns: NsId, w: &[String]) {
        let s: Vec<&str> = w.iter().map(|x| x.as_str()).collect();
        match s.as_slice() {
            ["sleep", t] => {
                let secs: f64 = t.parse().unwrap();
                let to = self.m.world.now + Time((secs * 1e9) as u64);
                let early = self.m.world.now + Time((secs.min(1.0) * 0.5e9) as u64);
                self.m.world.advance(early);
                self.ipv6_chatter();
                self.m.world.advance(to);
            }
            ["ip", "netns", "exec", n, rest @ ..] => {
                let ns = self.ns(n);
                let rest: Vec<String> = rest.iter().map(|x| x.to_string()).collect();
                if rest
                    .first()
                    .is_some_and(|p| self.tools.contains(&p.as_str()))
                {
                    self.exec(ns, &rest);
                } else {
                    self.shim_words(ns, &rest);
                }
            }
            ["ip", "-n", n, rest @ ..] => {
                let ns = self.ns(n);
                let mut v = vec!["ip".to_string()];
                v.extend(rest.iter().map(|x| x.to_string()));
                self.shim_words(ns, &v);
            }
            ["ip", "netns", "add", n] => {
                self.m.world.netns_add(n).unwrap();
            }
            ["ip", "link", "add", name, rest @ ..] => self.link_add(ns, name, rest),
            ["ip", "link", "del", name] => {
                let i = self.idx(ns, name);
                self.m.world.link_del(ns, i).unwrap();
            }
            ["ip", "link", "set", name, rest @ ..] => self.link_set(ns, name, rest),
            ["ip", "addr", "add", rest @ ..] => self.addr_add(ns, rest),
            ["ip", "-6", "addr", "add", a, "dev", d] => {
                let (a, l) = a.split_once('/').unwrap();
                let ifindex = self.idx(ns, d);
                self.m
                    .world
                    .addr6_add(
                        ns,
                        ifindex,
                        a.parse().unwrap(),
                        l.parse().unwrap(),
                        Scope::Universe,
                        false,
                    )
                    .unwrap();
            }
            ["ip", "tuntap", "add", name, "mode", mode] => {
                let kind = NewLink::Tun {
                    tap: *mode == "tap",
                    owner: None,
                    group: None,
                };
                self.m.world.link_add(ns, name, kind, None).unwrap();
            }
            ["ping", args @ ..] => self.ping(ns, args),
            ["sysctl", "-w", kv] => {
                let (k, v) = kv.split_once('=').unwrap();
                let names: Vec<String> = self
                    .m
                    .world
                    .ns(ns)
                    .dev_names()
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let names: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
                let _ = self.m.world.ns_mut(ns).sysctl.set(k, v, &names);
                if k.starts_with("net.ipv6") {
                    self.m
                        .world
                        .ns_mut(ns)
                        .sysctl
                        .values
                        .insert(k.into(), v.into());
                }
            }
            // Listings of other tools: their output is not compared here.
            ["ip", ..]
            | ["ifconfig", ..]
            | ["route", ..]
            | ["modinfo", ..]
            | ["modprobe", ..]
            | ["lsmod", ..] => {}
            _ => panic!("shim: unsupported command {s:?}"),
        }
    }

    /// What a real bridge learns without any traffic of the scenario's own:
    /// a link that comes up with carrier sends IPv6 DAD probes, MLD reports
    /// and router solicitations within a second, so the bridge learns the
    /// address of the device at the other end of each forwarding port. The
    /// simulated kernel sends no IPv6 yet; this fixture gives its bridges
    /// the entries those frames would have made (once per address).
    fn ipv6_chatter(&mut self) {
        let now = self.m.world.now;
        let mut learn = Vec::new();
        for ns in 0..self.m.world.netns.len() {
            if !self.m.world.ns_alive(ns) {
                continue;
            }
            for br in self
                .m
                .world
                .ns(ns)
                .devs
                .values()
                .filter_map(|d| d.bridge().map(|b| (d.ifindex, b)))
            {
                let (bidx, b) = br;
                for p in &b.ports {
                    if !matches!(p.state, PortState::Forwarding | PortState::Learning)
                        || !p.learning
                    {
                        continue;
                    }
                    let Some(peer) = self.m.world.ns(ns).dev(p.ifindex).and_then(|d| d.iflink())
                    else {
                        continue;
                    };
                    let Some(pd) = self.m.world.dev(peer) else {
                        continue;
                    };
                    if pd.up && self.m.world.running(peer) && !b.fdb.contains_key(&(pd.mac, 0)) {
                        learn.push((ns, bidx, p.ifindex, pd.mac));
                    }
                }
            }
        }
        for (ns, br, port, mac) in learn {
            self.m
                .world
                .bridge_mut(ns, br)
                .unwrap()
                .learn(mac, port, now);
        }
    }

    fn link_add(&mut self, ns: NsId, name: &str, rest: &[&str]) {
        let mut mac = None;
        let mut peer = None;
        let mut peer_mac = None;
        let mut kind = "";
        let mut k = 0;
        while k < rest.len() {
            match rest[k] {
                "address" if peer.is_none() && kind.is_empty() => {
                    mac = Mac::parse(rest[k + 1]);
                    k += 1;
                }
                "address" => {
                    peer_mac = Mac::parse(rest[k + 1]);
                    k += 1;
                }
                "type" => {
                    kind = rest[k + 1];
                    k += 1;
                }
                "name" => {
                    peer = Some(rest[k + 1].to_string());
                    k += 1;
                }
                _ => {}
            }
            k += 1;
        }
        let nl = match kind {
            "veth" => NewLink::Veth {
                peer: peer.expect("peer"),
                peer_ns: None,
                peer_mac,
            },
            "bridge" => NewLink::Bridge,
            "dummy" => NewLink::Dummy,
            other => panic!("shim: link type {other}"),
        };
        self.m.world.link_add(ns, name, nl, mac).unwrap();
    }

    fn link_set(&mut self, ns: NsId, name: &str, rest: &[&str]) {
        // A command that failed on the real kernel fails here too: no-op.
        let Some(i) = self.m.world.ns(ns).ifindex_of(name) else {
            return;
        };
        let mut k = 0;
        while k < rest.len() {
            let ch = match rest[k] {
                "up" => LinkChange::Up(true),
                "down" => LinkChange::Up(false),
                "nomaster" => LinkChange::Master(None),
                "master" => {
                    k += 1;
                    LinkChange::Master(Some(self.idx(ns, rest[k])))
                }
                "netns" => {
                    k += 1;
                    LinkChange::Netns(self.ns(rest[k]))
                }
                "address" => {
                    k += 1;
                    LinkChange::Address(Mac::parse(rest[k]).unwrap())
                }
                other => panic!("shim: ip link set {other}"),
            };
            self.m.world.link_set(ns, i, ch).unwrap();
            k += 1;
        }
    }

    fn addr_add(&mut self, ns: NsId, rest: &[&str]) {
        let rest: Vec<&str> = rest.iter().copied().filter(|w| *w != "local").collect();
        let (a, l) = rest[0].split_once('/').unwrap();
        let dev = rest[rest.iter().position(|w| *w == "dev").unwrap() + 1];
        let ifindex = self.idx(ns, dev);
        let local: Ipv4Addr = a.parse().unwrap();
        self.m
            .world
            .addr_add(
                ns,
                Ifaddr4 {
                    ifindex,
                    local,
                    address: local,
                    prefix_len: l.parse().unwrap(),
                    broadcast: None,
                    label: String::new(),
                    scope: Scope::Universe,
                    secondary: false,
                    noprefixroute: false,
                    metric: 0,
                    valid_until: None,
                    preferred_until: None,
                },
            )
            .unwrap();
    }

    /// Echo requests as ping sends them, in virtual time.
    fn ping(&mut self, ns: NsId, args: &[&str]) {
        let mut count = 1;
        let mut interval: f64 = 1.0;
        let mut wait: f64 = 1.0;
        let mut dst = None;
        let mut k = 0;
        while k < args.len() {
            match args[k] {
                "-c" => {
                    count = args[k + 1].parse().unwrap();
                    k += 1;
                }
                "-i" => {
                    interval = args[k + 1].parse().unwrap();
                    k += 1;
                }
                "-W" => {
                    wait = args[k + 1].parse().unwrap();
                    k += 1;
                }
                a => dst = Some(a.parse::<Ipv4Addr>().unwrap()),
            }
            k += 1;
        }
        let dst = dst.unwrap();
        for seq in 1..=count {
            let payload = vnet_core::wire::icmp::icmp_echo(0x1234, seq, &[0u8; 56]);
            let _ = self
                .m
                .world
                .ip_send(ns, None, dst, None, 1, None, true, 0, &payload);
            let step = if seq < count {
                interval
            } else {
                wait.min(0.01)
            };
            let to = self.m.world.now + Time((step * 1e9) as u64);
            self.m.world.advance(to);
        }
    }
}
