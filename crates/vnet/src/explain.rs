//! `vnet explain [--lab DIR] [--json] SRC DST [icmp|tcp|udp [PORT]]` and
//! `vnet run --explain`: the command line around the engine in
//! `vnet_tools::explain`.

use crate::lab::Lab;
use anyhow::Result;
use clap::{CommandFactory, Parser};
use std::io::Write;
use std::net::Ipv4Addr;
use std::path::Path;
use vnet_core::trace::{Traced, Tracer};
use vnet_core::Time;
use vnet_shell::{Feed, Shell, Sink, System};
use vnet_tools::explain::{self, watch::Watch, Probe};
use vnet_tools::{story::Story, Machine};

/// The probe's protocol.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Proto {
    Icmp,
    Tcp,
    Udp,
}

#[derive(Parser, Debug)]
pub struct Opts {
    /// The verdict and the journey as one JSON object.
    #[arg(long)]
    json: bool,
    /// ICMP payload size in bytes, as ping -s (DF is set as ping sets it).
    #[arg(long, value_name = "BYTES")]
    size: Option<u16>,
    /// The probe's TTL, as ping -t.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..))]
    ttl: Option<u8>,
    /// How long to wait for the answer, in virtual seconds.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=600))]
    wait: u64,
    /// Write the probe's frames on every device to one annotated pcapng
    /// (as `vnet run --pcap`).
    #[arg(long, value_name = "FILE")]
    pcap: Option<std::path::PathBuf>,
    /// Source: a namespace name, `host`, or HOST:NS.
    src: String,
    /// Destination address.
    dst: Ipv4Addr,
    /// What to send: an echo request (default), a TCP SYN or a UDP datagram.
    #[arg(value_enum)]
    proto: Option<Proto>,
    /// Destination port for tcp (default 80) and udp (default 53).
    port: Option<u16>,
}

/// A usage error in clap's words, exit 2.
fn usage_error(msg: &str) -> i32 {
    let mut cmd = crate::Cli::command();
    // Built, the subcommand's usage says `vnet explain`.
    cmd.build();
    let sub = cmd.find_subcommand_mut("explain").cloned();
    let e = match sub {
        Some(mut s) => s.error(clap::error::ErrorKind::ArgumentConflict, msg),
        None => cmd.error(clap::error::ErrorKind::ArgumentConflict, msg),
    };
    let _ = e.print();
    2
}

/// `vnet explain`: loads the lab in `dir` (read only), sends the probe on
/// a copy, prints the explanation; 0 when delivered, 1 when not.
pub fn main(dir: &Path, o: Opts) -> Result<i32> {
    let proto = match o.proto.unwrap_or(Proto::Icmp) {
        Proto::Icmp => 1,
        Proto::Tcp => 6,
        Proto::Udp => 17,
    };
    if proto == 1 && o.port.is_some() {
        return Ok(usage_error("a PORT is given only with tcp or udp"));
    }
    if proto != 1 && (o.size.is_some() || o.ttl.is_some()) {
        return Ok(usage_error("--size and --ttl apply to icmp probes only"));
    }
    if o.port == Some(0) {
        return Ok(usage_error(
            "invalid value '0' for '[PORT]': port 0 cannot be probed",
        ));
    }
    if !dir.join("lab.json").exists() {
        anyhow::bail!(
            "no lab in {} (build one with `vnet run --lab {} --save SCRIPT`)",
            dir.display(),
            dir.display()
        );
    }
    // The lab is read as saved and its lock let go: the probe runs on a copy.
    let Some(world) = Lab::open(dir)?.load_as_saved()? else {
        anyhow::bail!("no lab in {}", dir.display());
    };
    let mut p = Probe::new(&o.src, o.dst);
    p.proto = proto;
    p.port = o.port;
    p.size = o.size.map(usize::from);
    p.ttl = o.ttl;
    p.wait = Time::from_secs(o.wait);
    let ex = explain::explain(world, &p).map_err(|e| anyhow::anyhow!(e))?;
    if let Some(file) = &o.pcap {
        crate::capture::write_events(file, &ex.index.events)?;
    }
    if o.json {
        println!("{}", ex.json());
    } else {
        print!("{}", ex.text());
    }
    Ok(if ex.delivered() { 0 } else { 1 })
}

/// The world's tracer for `vnet run`: the story (`--trace`) and the watch
/// (`--explain`), either or both.
pub fn tracer(story: Option<Story>, watch: Option<Watch>) -> Option<Tracer> {
    if story.is_none() && watch.is_none() {
        return None;
    }
    let mut story = story;
    Some(Box::new(move |t: &Traced| {
        if let Some(s) = story.as_mut() {
            s.event(t);
        }
        if let Some(w) = &watch {
            w.event(t);
        }
    }))
}

/// Runs a script with a verdict on stderr after each command whose
/// packets did not arrive.
pub fn run_script(
    sh: &mut Shell,
    src: &str,
    m: &mut Machine,
    watch: Watch,
    o: &mut Sink,
    e: &mut Sink,
) -> i32 {
    let mut sys = Explaining { m, watch };
    sh.run_script_to(src, &mut sys, o, e)
}

/// The machine, with the verdicts printed after each command.
struct Explaining<'a> {
    m: &'a mut Machine,
    watch: Watch,
}

impl Explaining<'_> {
    fn report(&mut self) {
        let lines = self.watch.finish(&self.m.world);
        if lines.is_empty() {
            return;
        }
        let _ = self.m.terminal.flush();
        let _ = std::io::stdout().flush();
        for l in lines {
            eprintln!("explain: {l}");
        }
    }
}

impl System for Explaining<'_> {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        stdout: &mut Sink,
        stderr: &mut Sink,
    ) -> i32 {
        self.watch.start();
        let st = self.m.exec(argv, stdin, stdout, stderr);
        self.report();
        st
    }
    fn spawn(
        &mut self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        stdout: Sink,
        stderr: Sink,
    ) -> u32 {
        self.m.spawn(argv, stdin, stdout, stderr)
    }
    fn stdin_feed(&mut self, feed: Feed) {
        self.m.stdin_feed(feed)
    }
    fn wait(&mut self, jobs: &[u32]) -> i32 {
        self.watch.start();
        let st = self.m.wait(jobs);
        self.report();
        st
    }
    fn kill(&mut self, job: u32) -> bool {
        self.m.kill(job)
    }
    fn write(&mut self, sink: &mut Sink, data: &[u8]) -> std::io::Result<()> {
        self.m.write(sink, data)
    }
    fn read_file(&mut self, path: &str) -> std::io::Result<Vec<u8>> {
        self.m.read_file(path)
    }
    fn chdir(&mut self, dir: &str) -> std::io::Result<()> {
        self.m.chdir(dir)
    }
    fn metadata(&mut self, path: &str) -> std::io::Result<vnet_fs::Meta> {
        self.m.metadata(path)
    }
    fn read_dir(&mut self, path: &str) -> std::io::Result<Vec<String>> {
        self.m.read_dir(path)
    }
    fn which(&mut self, name: &str) -> Option<String> {
        self.m.which(name)
    }
    fn has_command(&mut self, name: &str) -> Option<bool> {
        self.m.has_command(name)
    }
    fn clock_secs(&mut self) -> u64 {
        self.m.clock_secs()
    }
    fn random_seed(&mut self) -> u64 {
        self.m.random_seed()
    }
    fn signal(&mut self, job: u32, sig: i32) -> bool {
        self.m.signal(job, sig)
    }
    fn job_status(&mut self, job: u32) -> Option<i32> {
        self.m.job_status(job)
    }
}
