//! Shared by the ifconfig, route, sysctl and modules tests (included with
//! `#[path]`): replays a transcript recorded from the real tools on a real
//! kernel (scripts/transcript.sh format) on the simulated one.
//!
//! Every command runs through `Machine::exec_in` (`ip netns exec NS CMD` runs
//! CMD in NS; `printf ... > FILE` and `echo ... > FILE` are carried out by the
//! harness). Only the outputs of the tools under test are compared, after
//! numbering unicast MACs and IPv6 link-local addresses by first appearance.
#![allow(dead_code)]

use std::collections::HashMap;
use vnet_core::World;
use vnet_tools::Machine;

/// One command of a transcript and what it printed.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub cmd: String,
    pub out: String,
    pub err: String,
    pub status: i32,
}

/// Parses `$ cmd` / stdout / `[stderr]` / stderr / `[exit N]` blocks.
pub fn parse(text: &str) -> Vec<Entry> {
    let mut v: Vec<Entry> = Vec::new();
    let mut in_err = false;
    for line in text.split_inclusive('\n') {
        if let Some(cmd) = line.strip_prefix("$ ") {
            v.push(Entry {
                cmd: cmd.trim_end_matches('\n').to_string(),
                out: String::new(),
                err: String::new(),
                status: 0,
            });
            in_err = false;
            continue;
        }
        let e = v.last_mut().expect("output before the first command");
        if line == "[stderr]\n" {
            in_err = true;
        } else if let Some(n) = line
            .strip_prefix("[exit ")
            .and_then(|r| r.trim_end().strip_suffix(']'))
        {
            e.status = n.parse().unwrap();
        } else if in_err {
            e.err.push_str(line);
        } else {
            e.out.push_str(line);
        }
    }
    v
}

/// Words of a command line: blanks separate, '...' and "..." quote.
fn words(cmd: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut q: Option<char> = None;
    for ch in cmd.chars() {
        match (q, ch) {
            (Some(x), c) if c == x => q = None,
            (Some(_), c) => cur.push(c),
            (None, '\'') | (None, '"') => {
                q = Some(ch);
                have = true;
            }
            (None, ' ') => {
                if have || !cur.is_empty() {
                    v.push(std::mem::take(&mut cur));
                }
                have = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if have || !cur.is_empty() {
        v.push(cur);
    }
    v
}

/// printf's escapes that the recordings use.
fn unescape(s: &str) -> String {
    s.replace("\\n", "\n").replace("\\t", "\t")
}

/// Replaces unicast MACs and fe80:: addresses by `MACn` / `LLn`.
#[derive(Default)]
pub struct Norm {
    macs: HashMap<String, usize>,
    lls: HashMap<String, usize>,
}

impl Norm {
    pub fn text(&mut self, s: &str) -> String {
        let b = s.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < b.len() {
            let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b':');
            if boundary && i + 17 <= b.len() {
                let cand = &s[i..i + 17];
                let shape = cand.bytes().enumerate().all(|(k, c)| {
                    if k % 3 == 2 {
                        c == b':'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                });
                let end_ok =
                    i + 17 == b.len() || !(b[i + 17].is_ascii_alphanumeric() || b[i + 17] == b':');
                let first = u8::from_str_radix(&cand[..2], 16).unwrap_or(1);
                if shape && end_ok && first & 1 == 0 && cand != "00:00:00:00:00:00" {
                    let n = self.macs.len() + 1;
                    let k = *self.macs.entry(cand.to_string()).or_insert(n);
                    out.push_str(&format!("MAC{k}"));
                    i += 17;
                    continue;
                }
            }
            if boundary && s[i..].starts_with("fe80::") {
                let end = s[i..]
                    .find(|c: char| !(c.is_ascii_hexdigit() || c == ':'))
                    .map(|e| i + e)
                    .unwrap_or(s.len());
                let n = self.lls.len() + 1;
                let k = *self.lls.entry(s[i..end].to_string()).or_insert(n);
                out.push_str(&format!("LL{k}"));
                i = end;
                continue;
            }
            let ch = s[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }
}

/// A simulated host and a scratch directory for the files commands use.
pub struct Lab {
    pub m: Machine,
    dir: std::path::PathBuf,
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Default for Lab {
    fn default() -> Self {
        Self::new()
    }
}

impl Lab {
    pub fn new() -> Lab {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "vnet-nettools-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut m = Machine::new(World::new(1), Box::new(std::io::sink()));
        // The recorded probes ran a hundred `ip netns exec` commands in well
        // over a second, so linkwatch's deferred work ran in between.
        m.command_cost = vnet_core::Time::from_millis(15);
        m.cwd = dir.display().to_string();
        Lab { m, dir }
    }

    /// Runs one command line; returns (program, status, stdout, stderr).
    pub fn run(&mut self, cmd: &str) -> (String, i32, String, String) {
        let mut argv = words(cmd);
        let mut ns = 0;
        while argv.len() > 4 && argv[0] == "ip" && argv[1] == "netns" && argv[2] == "exec" {
            ns = self.m.world.netns_by_name(&argv[3]).expect("namespace");
            argv.drain(..4);
        }
        // Redirections to a file: `printf FMT > F`, `echo WORDS > F`.
        if let Some(p) = argv.iter().position(|w| w == ">") {
            let file = argv[p + 1].clone();
            let text = match argv[0].as_str() {
                "printf" => unescape(&argv[1]),
                "echo" => format!("{}\n", argv[1..p].join(" ")),
                other => panic!("unsupported redirection of {other}"),
            };
            let cwd = self.m.cwd.clone();
            vnet_tools::fs::write(&mut self.m.world, ns, &cwd, &file, text.as_bytes(), false)
                .unwrap();
            return (argv[0].clone(), 0, String::new(), String::new());
        }
        let (st, out, err) = self.m.exec_in(ns, &argv, None);
        (
            argv[0].clone(),
            st,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }
}

/// Replays `recorded` and compares the outputs of the programs in `tools`;
/// panics with every difference.
pub fn replay(recorded: &str, tools: &[&str]) {
    let mut lab = Lab::new();
    let (mut ne, mut na) = (Norm::default(), Norm::default());
    let mut failures = Vec::new();
    for e in parse(recorded) {
        let (prog, st, out, err) = lab.run(&e.cmd);
        if !tools.contains(&prog.as_str()) {
            continue;
        }
        // transcript.sh ends every non-empty block with a newline.
        let nl = |s: String| {
            if s.is_empty() || s.ends_with('\n') {
                s
            } else {
                s + "\n"
            }
        };
        let want = (e.status, ne.text(&e.out), ne.text(&e.err));
        let got = (st, na.text(&nl(out)), na.text(&nl(err)));
        if want != got {
            failures.push(format!(
                "$ {}\n--- expected (exit {})\n{}{}--- got (exit {})\n{}{}",
                e.cmd, want.0, want.1, want.2, got.0, got.1, got.2
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} command(s) differ from the real tools:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
