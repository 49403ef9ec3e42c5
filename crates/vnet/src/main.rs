//! vnet: Linux virtual networking in userspace, driven by the real tools' commands.

mod diff;
mod lab;
mod transcript;

// Live heap bytes for `vnet bench`'s memory cases.
#[global_allocator]
static ALLOC: vnet_bench::Counting = vnet_bench::Counting;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use vnet_core::World;
use vnet_shell::{LineResult, Shell, Sink};
use vnet_tools::Machine;

#[derive(Parser)]
#[command(
    name = "vnet",
    version,
    about = "Linux virtual networking in userspace: namespaces, veth, bridges, routing — driven by ip, brctl, ping, tcpdump...",
    after_help = "One command against the lab on disk (./.vnet, or --lab DIR):\n  vnet <tool> [ARGS...]   tools: ip ifconfig route arp brctl bridge tunctl sysctl ping tcpdump\n                          modprobe lsmod modinfo cat grep sleep ls dmesg\n\nExamples:\n  vnet run examples/seed004_2_5_router.sh\n  vnet ip netns add ns1 && vnet ip netns list"
)]
struct Cli {
    /// Lab directory for one-shot commands.
    #[arg(long, global = true, default_value = ".vnet")]
    lab: PathBuf,
    /// Seed for MAC addresses and other random choices.
    #[arg(long, global = true, default_value_t = 1)]
    seed: u64,
    #[command(subcommand)]
    cmd: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a lab script in a fresh lab.
    Run {
        file: PathBuf,
        // The help as an attribute: in a doc comment rustdoc would take
        // the brackets for links.
        #[arg(
            long,
            help = "Print a transcript: each command, its stdout, [stderr] and [exit N]"
        )]
        transcript: bool,
        /// Explain every packet: each decision of the packet path on stderr,
        /// stamped with virtual time.
        #[arg(long)]
        trace: bool,
        /// Virtual-time budget: the run stops with exit 124 when its clock
        /// gets this far (seconds, or with a suffix s, m, h, d).
        #[arg(long, default_value = "10d", value_parser = parse_max_time)]
        max_time: vnet_core::Time,
        /// Event budget: the run stops with exit 124 after this many kernel
        /// events (frames, timers).
        #[arg(long, default_value_t = vnet_tools::machine::DEFAULT_MAX_EVENTS)]
        max_events: u64,
    },
    /// Run scenarios on the real kernel (in a sandbox) and in vnet, and
    /// show every command whose output differs after normalisation.
    Diff(diff::Opts),
    /// Interactive shell on a fresh lab.
    Shell,
    /// Measure packets/s and memory on the standard topologies (all cases
    /// when none is named): veth bridge4 route nat-1 nat-1k nat-100k
    /// rules-0 rules-100 rules-10k rules-100k netns-1k netns-100k netns-1m
    /// conntrack-1m.
    Bench {
        /// One JSON array of results on stdout.
        #[arg(long)]
        json: bool,
        /// Packets per run (default 1000000, or $VNET_BENCH_PACKETS).
        #[arg(long)]
        packets: Option<u64>,
        /// Runs per packet case; the median is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        cases: Vec<String>,
    },
    /// Any tool (`ip`, `ping`, `brctl`, ...) against the lab on disk.
    #[command(external_subcommand)]
    Tool(Vec<String>),
}

fn main() {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("vnet: {e:#}");
            1
        }
    };
    std::process::exit(code);
}

fn run(cli: Cli) -> Result<i32> {
    match cli.cmd {
        Command::Run {
            file,
            transcript,
            trace,
            max_time,
            max_events,
        } => {
            let src = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let mut world = World::new(cli.seed);
            if trace {
                world.set_tracer(Some(Box::new(
                    |t: vnet_core::Time, e: &vnet_core::trace::Trace| {
                        eprintln!("[{:>12.6}] {e}", t.as_secs_f64());
                    },
                )));
            }
            if transcript {
                transcript::print(world, &file.display().to_string(), &src)?;
                Ok(0)
            } else {
                let mut m = Machine::new(world, Box::new(std::io::stdout()));
                m.set_budget(max_time, max_events);
                m.on_halt = Some(Box::new(|msg: &str| {
                    let _ = std::io::stdout().flush();
                    eprintln!("{msg}");
                    std::process::exit(124);
                }));
                let mut sh = Shell::new(&file.display().to_string());
                let mut o = Sink::Terminal;
                let mut e = Sink::File {
                    path: "/dev/stderr".into(),
                    append: true,
                };
                let st = sh.run_script_to(&src, &mut m, &mut o, &mut e);
                m.kill_all();
                Ok(st)
            }
        }
        Command::Diff(opts) => diff::main(opts, cli.seed),
        Command::Shell => shell(cli.seed),
        Command::Bench {
            json,
            packets,
            runs,
            cases,
        } => bench(json, packets, runs, cases),
        Command::Tool(argv) => {
            let lab = lab::Lab::open(&cli.lab)?;
            let world = lab.load(cli.seed)?;
            let mut m = Machine::new(world, Box::new(std::io::stdout()));
            let (st, out, err) = m.exec_in(0, &argv, None);
            std::io::stdout().write_all(&out)?;
            std::io::stderr().write_all(&err)?;
            m.kill_all();
            // A failed configuration command leaves the lab exactly as it was;
            // programs that ran in time (a ping that lost packets) keep what
            // happened on the wire.
            let ran_in_time = matches!(
                argv.first().map(|s| s.as_str()),
                Some("ping" | "tcpdump" | "sleep")
            );
            if st == 0 || ran_in_time {
                lab.save(m.world)?;
            }
            Ok(st)
        }
    }
}

/// `--max-time`'s value.
fn parse_max_time(s: &str) -> Result<vnet_core::Time, String> {
    vnet_tools::machine::parse_duration(s)
        .ok_or_else(|| format!("invalid duration '{s}' (seconds, or with a suffix s, m, h, d)"))
}

fn bench(json: bool, packets: Option<u64>, runs: usize, cases: Vec<String>) -> Result<i32> {
    let packets = match packets {
        Some(n) => n,
        None => match std::env::var("VNET_BENCH_PACKETS") {
            Ok(v) => v
                .parse()
                .map_err(|_| anyhow::anyhow!("VNET_BENCH_PACKETS: not a number: {v}"))?,
            Err(_) => vnet_bench::Opts::default().packets,
        },
    };
    let opts = vnet_bench::Opts {
        packets: packets.max(1),
        runs,
        ..vnet_bench::Opts::default()
    };
    let names: Vec<String> = if cases.is_empty() {
        vnet_bench::CASES.iter().map(|s| s.to_string()).collect()
    } else {
        cases
    };
    if let Some(bad) = names
        .iter()
        .find(|n| !vnet_bench::CASES.contains(&n.as_str()))
    {
        anyhow::bail!(
            "unknown case {bad} (cases: {})",
            vnet_bench::CASES.join(" ")
        );
    }
    let mut results = Vec::new();
    for n in &names {
        let r = vnet_bench::run_case(n, &opts).map_err(|e| anyhow::anyhow!(e))?;
        if !json {
            println!("{}", human(&r));
        }
        results.push(r);
    }
    if json {
        println!("{}", serde_json::Value::Array(results));
    }
    Ok(0)
}

/// One result as a line for people.
fn human(r: &serde_json::Value) -> String {
    let case = r["case"].as_str().unwrap_or("?");
    if let Some(pps) = r["pps"].as_f64() {
        format!(
            "{case:<14} {:>8.3} Mpps {:>9.1} ns/packet  ({} packets)",
            pps / 1e6,
            r["ns_per_packet"].as_f64().unwrap_or(0.0),
            r["packets"]
        )
    } else if let Some(b) = r["bytes_per_netns"].as_f64() {
        format!(
            "{case:<14} {:>8.3} s      {b:>9.0} bytes/netns ({} namespaces)",
            r["seconds"].as_f64().unwrap_or(0.0),
            r["namespaces"]
        )
    } else {
        format!(
            "{case:<14} {:>8.3} s      {:>9.1} bytes/entry ({} entries)",
            r["seconds"].as_f64().unwrap_or(0.0),
            r["bytes_per_entry"].as_f64().unwrap_or(0.0),
            r["entries"]
        )
    }
}

fn shell(seed: u64) -> Result<i32> {
    let mut m = Machine::new(World::new(seed), Box::new(std::io::stdout()));
    let mut sh = Shell::new("vnet");
    let mut rl = rustyline::DefaultEditor::new()?;
    let hist = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".vnet_history"));
    if let Some(h) = &hist {
        let _ = rl.load_history(h);
    }
    let mut last = std::time::Instant::now();
    let mut prompt = "vnet# ";
    loop {
        match rl.readline(prompt) {
            Ok(line) => {
                let _ = rl.add_history_entry(line.as_str());
                // The virtual clock follows the person at the keyboard.
                let gap = last.elapsed().as_secs_f64().min(3600.0);
                let to = m.world.now() + vnet_core::Time((gap * 1e9) as u64);
                m.world.advance(to);
                let mut o = Sink::Terminal;
                let mut e = Sink::File {
                    path: "/dev/stderr".into(),
                    append: true,
                };
                match sh.run_line_to(&line, &mut m, &mut o, &mut e) {
                    LineResult::Incomplete => prompt = "> ",
                    LineResult::Complete(_) => prompt = "vnet# ",
                }
                last = std::time::Instant::now();
                if let Some(code) = sh.exited() {
                    return Ok(code);
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => {
                sh.discard_pending();
                prompt = "vnet# ";
            }
            Err(_) => break,
        }
    }
    if let Some(h) = &hist {
        let _ = rl.save_history(h);
    }
    Ok(sh.last_status())
}
