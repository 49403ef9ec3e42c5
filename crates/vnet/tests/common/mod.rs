//! What the integration tests share: a scratch directory per test, running
//! a script with `vnet run --transcript`, reading a transcript back by
//! command, and the pcap and checksum helpers the wire tests use.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh directory for one test (named after the test binary and `name`).
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "vnet-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs a script with `vnet run --transcript` in `dir`; returns the transcript.
pub fn run_in(dir: &Path, script: &str) -> String {
    let f = dir.join("s.sh");
    std::fs::write(&f, script).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .current_dir(dir)
        .args(["run", "--transcript"])
        .arg(&f)
        .output()
        .expect("run vnet");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

pub fn run(name: &str, script: &str) -> String {
    run_in(&scratch(name), script)
}

/// The transcript as (command, what it printed) blocks.
pub fn blocks(t: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    for line in t.split_inclusive('\n') {
        if let Some(c) = line.strip_prefix("$ ") {
            v.push((c.trim_end().to_string(), String::new()));
        } else if let Some(last) = v.last_mut() {
            last.1.push_str(line);
        }
    }
    v
}

/// What the last run of `cmd` printed (stdout, then `[stderr]` and `[exit N]` lines).
pub fn output_of(t: &str, cmd: &str) -> String {
    blocks(t)
        .into_iter()
        .rev()
        .find(|(c, _)| c == cmd)
        .map(|(_, o)| o)
        .unwrap_or_else(|| panic!("no `{cmd}` in\n{t}"))
}

/// What each run of `cmd` printed, in order.
pub fn outputs_of(t: &str, cmd: &str) -> Vec<String> {
    blocks(t)
        .into_iter()
        .filter(|(c, _)| c == cmd)
        .map(|(_, o)| o)
        .collect()
}

/// The packets of a pcap file (classic format, microsecond timestamps).
pub fn pcap_packets(path: &Path) -> (u32, Vec<Vec<u8>>) {
    let b = std::fs::read(path).unwrap();
    assert_eq!(
        &b[0..4],
        &[0xd4, 0xc3, 0xb2, 0xa1],
        "little-endian pcap magic"
    );
    let link = u32::from_le_bytes(b[20..24].try_into().unwrap());
    let mut v = Vec::new();
    let mut off = 24;
    while off + 16 <= b.len() {
        let incl = u32::from_le_bytes(b[off + 8..off + 12].try_into().unwrap()) as usize;
        v.push(b[off + 16..off + 16 + incl].to_vec());
        off += 16 + incl;
    }
    (link, v)
}

/// RFC 1071 over `d` (0 when a checksum inside it is right).
pub fn csum(d: &[u8]) -> u16 {
    let mut s = 0u32;
    for c in d.chunks(2) {
        s += u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]) as u32;
    }
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}
