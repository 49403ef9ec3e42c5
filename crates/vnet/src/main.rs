//! vnet: Linux virtual networking in userspace, driven by the real tools' commands.

mod capture;
mod complete;
mod diff;
mod explain;
mod interactive;
mod lab;
mod oneshot;
mod transcript;
mod web;

// Live heap bytes for `vnet bench`'s memory cases.
#[global_allocator]
static ALLOC: vnet_bench::Counting = vnet_bench::Counting;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use vnet_core::World;
use vnet_shell::{Shell, Sink};
use vnet_tools::{story, Machine};

#[derive(Parser)]
#[command(
    name = "vnet",
    version,
    about = "Linux virtual networking in userspace: namespaces, veth, bridges, routing — driven by ip, brctl, ping, tcpdump...",
    after_help = "One command against the lab on disk (./.vnet, or --lab DIR):\n  vnet <tool> [ARGS...]   tools: ip ifconfig route arp brctl bridge tunctl sysctl ping tcpdump\n                          modprobe lsmod modinfo cat grep sleep ls dmesg\n\nExamples:\n  vnet run examples/seed004_2_5_router.sh\n  vnet ip netns add ns1 && vnet ip netns list"
)]
struct Cli {
    /// Lab directory: the lab one-shot commands and `vnet lab` work on
    /// (default ./.vnet); `run` starts from it and `shell` works on it live
    /// when it is given. It also holds the private directory scripts see as
    /// /tmp; scripts never reach the rest of it.
    #[arg(long, global = true)]
    lab: Option<PathBuf>,
    /// Let scripts and commands read this directory too (repeatable);
    /// they see the directory vnet starts in, /tmp and the simulated
    /// files otherwise (README, "Safety").
    #[arg(long = "allow-read", global = true, value_name = "DIR")]
    allow_read: Vec<PathBuf>,
    /// Let scripts and commands read and write this directory too (repeatable).
    #[arg(long = "allow-write", global = true, value_name = "DIR")]
    allow_write: Vec<PathBuf>,
    /// Seed for MAC addresses and other random choices.
    #[arg(long, global = true, default_value_t = 1)]
    seed: u64,
    #[command(subcommand)]
    cmd: Command,
}

/// `--trace-format`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum TraceFormat {
    Text,
    Json,
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
        /// stamped with virtual time; `--trace='FILTER'` (tcpdump's filter
        /// language) keeps the packets it matches and what they caused.
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "",
              value_name = "FILTER")]
        trace: Option<String>,
        /// The trace's form: text lines, or one JSON object per event.
        #[arg(long, value_enum, default_value = "text")]
        trace_format: TraceFormat,
        /// Write every device's frames to one pcapng file, each with its
        /// story as a packet comment (README, "Annotated capture").
        #[arg(long, value_name = "FILE")]
        pcap: Option<PathBuf>,
        /// After each command whose packets did not arrive (a ping with
        /// 100% loss, an nc that could not connect), print on stderr the
        /// verdict `vnet explain` gives for them.
        #[arg(long)]
        explain: bool,
        /// Keep the lab the script leaves in --lab DIR (default ./.vnet).
        #[arg(long)]
        save: bool,
        /// Virtual-time budget: the run stops with exit 124 when its clock
        /// gets this far (seconds, or with a suffix s, m, h, d).
        #[arg(long, default_value = "10d", value_parser = parse_max_time)]
        max_time: vnet_core::Time,
        /// Event budget: the run stops with exit 124 after this many kernel
        /// events (frames, timers).
        #[arg(long, default_value_t = vnet_tools::machine::DEFAULT_MAX_EVENTS)]
        max_events: u64,
        /// Pipe bound: a command may write this much into a pipe (more and
        /// it stops as on SIGPIPE) and its reader may take this much; more
        /// output to the terminal or a file, or a reader needing more,
        /// stops the run with exit 124 (bytes, or with a suffix K, M, G).
        #[arg(long, default_value = "16M", value_parser = parse_size)]
        max_output: usize,
    },
    /// Why a packet does or does not get through: send a probe from SRC
    /// (a namespace, `host`, or HOST:NS) to DST on a copy of the lab
    /// (--lab DIR, default ./.vnet; it is not changed), print one verdict
    /// line, the journey hop by hop and a hint; exit 0 when delivered, 1
    /// when not.
    Explain(explain::Opts),
    /// Run scenarios on the real kernel (in a sandbox) and in vnet, and
    /// show every command whose output differs after normalisation.
    Diff(diff::Opts),
    /// Interactive shell on a fresh lab, or live on --lab DIR.
    Shell,
    /// The lab on disk: `reset` it to a freshly booted host, `save NAME` a
    /// snapshot of it, `load NAME` one back, `list` the snapshots.
    Lab {
        #[command(subcommand)]
        op: lab::LabOp,
    },
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
    /// Serve a page on 127.0.0.1 drawing the lab (--lab DIR, followed live)
    /// or the lab a SCRIPT leaves, with the script's packet timeline.
    Web {
        script: Option<PathBuf>,
        /// The port (0: any free one); the URL is printed.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Keep only the packets this tcpdump filter matches in the timeline.
        #[arg(long, value_name = "FILTER")]
        trace: Option<String>,
    },
    /// The lab's topology (--lab DIR, or the lab a SCRIPT leaves) as
    /// JSON, or with --dot as a Graphviz graph.
    Topo {
        script: Option<PathBuf>,
        #[arg(long)]
        dot: bool,
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

/// The file tree scripts and commands see: the directory vnet started in,
/// /tmp in the lab's state, the simulated files, what the flags allow.
fn tree(cli: &Cli) -> Result<vnet_fs::Tree> {
    let dir = std::env::current_dir()?;
    let state = cli.lab.clone().unwrap_or_else(default_lab);
    vnet_tools::fs::lab_tree(&dir, &state, &cli.allow_read, &cli.allow_write)
        .map_err(|e| anyhow::anyhow!("cannot open the lab's files: {e}"))
}

fn run(cli: Cli) -> Result<i32> {
    let fs = tree(&cli)?;
    match cli.cmd {
        Command::Run {
            file,
            transcript,
            trace,
            trace_format,
            pcap,
            explain,
            save,
            max_time,
            max_events,
            max_output,
        } => {
            let src = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let lab = match (&cli.lab, save) {
                (Some(dir), false) if !dir.exists() => None,
                (Some(dir), _) => Some(lab::Lab::open(dir)?),
                (None, true) => Some(lab::Lab::open(&default_lab())?),
                (None, false) => None,
            };
            let mut world = match &lab {
                Some(l) if cli.lab.is_some() => l.load(cli.seed)?,
                _ => World::new(cli.seed),
            };
            let story = match &trace {
                Some(filter) => {
                    let format = match trace_format {
                        TraceFormat::Text => story::Format::Text,
                        TraceFormat::Json => story::Format::Json,
                    };
                    Some(
                        story::Story::new(format, Some(filter), Box::new(std::io::stderr()))
                            .map_err(|e| anyhow::anyhow!(e))?,
                    )
                }
                None => None,
            };
            let watch = explain.then(vnet_tools::explain::watch::Watch::new);
            let capture = pcap.as_deref().map(capture::Capture::create).transpose()?;
            capture::install(
                &mut world,
                explain::tracer(story, watch.clone()),
                capture.clone(),
            );
            if transcript {
                transcript::print(world, &file.display().to_string(), &src, fs)?;
                capture::finish(capture)?;
                Ok(0)
            } else {
                let mut m = Machine::new(world, Box::new(std::io::stdout()));
                m.fs = fs;
                m.stdout_is_tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
                m.set_budget(max_time, max_events);
                m.pipe_limit = max_output;
                let halted = capture.clone();
                m.on_halt = Some(Box::new(move |msg: &str| {
                    let _ = capture::finish(halted.clone());
                    let _ = std::io::Write::flush(&mut std::io::stdout());
                    eprintln!("{msg}");
                    std::process::exit(124);
                }));
                let mut sh = Shell::new(&file.display().to_string());
                sh.set_cwd(m.fs.cwd());
                // The script's commands read vnet's stdin, as bash hands
                // its own on; nothing is read until one does.
                let stdin = std::io::stdin();
                let tty = std::io::IsTerminal::is_terminal(&stdin);
                let source = vnet_fs::stream::Stream::shared(Box::new(stdin), tty);
                sh.set_stdin_source(source.clone());
                m.script_stdin = Some(source);
                let mut o = Sink::Terminal;
                let mut e = Sink::File {
                    path: "/dev/stderr".into(),
                    append: true,
                };
                let st = match watch {
                    Some(w) => explain::run_script(&mut sh, &src, &mut m, w, &mut o, &mut e),
                    None => sh.run_script_to(&src, &mut m, &mut o, &mut e),
                };
                m.kill_all();
                m.world.set_tracer(None);
                capture::finish(capture)?;
                if let (Some(l), true) = (&lab, save) {
                    l.save(&m.world)?;
                }
                Ok(st)
            }
        }
        Command::Explain(opts) => explain::main(&cli.lab.clone().unwrap_or_else(default_lab), opts),
        Command::Diff(opts) => diff::main(opts, cli.seed),
        Command::Shell => interactive::shell(cli.seed, cli.lab.as_deref(), fs),
        Command::Lab { op } => lab::main(&cli.lab.unwrap_or_else(default_lab), op),
        Command::Bench {
            json,
            packets,
            runs,
            cases,
        } => bench(json, packets, runs, cases),
        Command::Web {
            script,
            port,
            trace,
        } => {
            let lab = cli.lab.unwrap_or_else(default_lab);
            let o = web::Opts {
                lab,
                script,
                port,
                trace,
                seed: cli.seed,
            };
            web::main(o, fs)
        }
        Command::Topo { script, dot } => {
            let lab = cli.lab.unwrap_or_else(default_lab);
            let o = web::Opts {
                lab,
                script,
                port: 0,
                trace: None,
                seed: cli.seed,
            };
            web::topo(o, dot, fs)
        }
        Command::Tool(argv) => {
            oneshot::run(&cli.lab.unwrap_or_else(default_lab), cli.seed, &argv, &fs)
        }
    }
}

/// The lab one-shot commands use without --lab.
fn default_lab() -> PathBuf {
    PathBuf::from(".vnet")
}

/// `--max-output`'s value: bytes, or K, M, G (binary units).
fn parse_size(s: &str) -> Result<usize, String> {
    let (num, mult) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (&s[..i], 1usize << 10),
        Some((i, 'M' | 'm')) => (&s[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("invalid size '{s}' (bytes, or with a suffix K, M, G)"))
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
