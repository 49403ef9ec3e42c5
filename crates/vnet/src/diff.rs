//! `vnet diff FILE...`: each scenario runs on the real kernel, inside a
//! throw-away sandbox, and in vnet; the two transcripts are compared
//! command by command after normalising only what is random on a kernel
//! (vnet_transcript::normalise).
//!
//! The sandbox is DESIGN.md's recipe: new network, mount and pid namespaces,
//! a private tmpfs on /run/netns and a fresh sysfs, `lo` up. The scenario's
//! "host" is that namespace; nothing it does reaches the machine's own
//! interfaces, routes, rules or sysctls, and whatever it leaves running dies
//! with the sandbox's pid namespace.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use vnet_transcript::{CommandDiff, Entry};

/// The runner the kernel side uses: one bash process, each line captured.
const TRANSCRIPT_SH: &str = include_str!("../../../scripts/transcript.sh");

/// What the sandbox runs before the scenario.
const SANDBOX_SETUP: &str = "mkdir -p /run/netns && mount -t tmpfs nsbox /run/netns && \
     mount -t sysfs sysfs /sys && ip link set lo up && exec bash \"$0\" \"$1\"";

#[derive(clap::Args)]
pub struct Opts {
    /// Scenario scripts to compare.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Compare with kernel transcripts recorded in DIR (DIR/NAME.out for
    /// NAME.sh) instead of running the live kernel; works anywhere.
    #[arg(long, value_name = "DIR")]
    recorded: Option<PathBuf>,
    /// Run each scenario this many times on the kernel; a command whose
    /// output the kernel itself does not repeat is reported as unstable and
    /// not held against vnet.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    kernel_runs: u32,
    /// With the live kernel: count the recordings in DIR (DIR/NAME.out) as
    /// earlier kernel runs, so what they and the live kernel disagree on is
    /// unstable too.
    #[arg(long, value_name = "DIR", conflicts_with = "recorded")]
    also_recorded: Option<PathBuf>,
    /// Scenarios run on the kernel at once.
    #[arg(long, short = 'j', default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
    jobs: u32,
    /// Only the per-scenario lines and the summary, no diffs.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// After the summary, a Markdown table: scenarios and commands
    /// identical / total, per area and per tool.
    #[arg(long)]
    table: bool,
    /// One JSON array of per-scenario results instead of text.
    #[arg(long)]
    json: bool,
}

/// One scenario's comparison.
struct Outcome {
    name: String,
    area: String,
    /// The kernel's transcript (the first run).
    kernel: Vec<Entry>,
    diffs: Vec<CommandDiff>,
    /// Commands the kernel printed differently from one run to the next.
    unstable: Vec<usize>,
}

impl Outcome {
    fn identical(&self) -> usize {
        self.kernel.len() - self.differing().min(self.kernel.len()) - self.unstable.len()
    }
    fn differing(&self) -> usize {
        self.diffs.len()
    }
    fn differs_at(&self, i: usize) -> bool {
        self.diffs.iter().any(|d| d.index == i)
    }
}

/// Why the kernel sandbox cannot be made here, if it cannot.
pub fn sandbox_unavailable() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return Some("the kernel side needs Linux (network namespaces)".into());
    }
    let uid = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        });
    if uid.as_deref() != Some("0") {
        return Some("the kernel side needs root (unshare --net --mount)".into());
    }
    match Command::new("unshare")
        .args(["--net", "--mount", "--pid", "--fork", "true"])
        .output()
    {
        Err(e) => Some(format!("cannot run unshare: {e}")),
        Ok(o) if !o.status.success() => Some(format!(
            "unshare cannot make a sandbox: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Ok(_) => None,
    }
}

/// Runs `script` on the real kernel inside a fresh sandbox; its transcript.
pub fn kernel_transcript(script: &Path) -> Result<String> {
    let dir = crate::transcript::tempdir("vnet-diff-kernel")?;
    let runner = dir.join("transcript.sh");
    std::fs::write(&runner, TRANSCRIPT_SH)?;
    let script = script
        .canonicalize()
        .with_context(|| script.display().to_string())?;
    let out = Command::new("timeout")
        .args([
            "--kill-after=10",
            "600",
            "unshare",
            "--net",
            "--mount",
            "--pid",
        ])
        .args([
            "--fork",
            "--kill-child",
            "--mount-proc",
            "--propagation",
            "private",
        ])
        .args(["bash", "-c", SANDBOX_SETUP])
        .arg(&runner)
        .arg(&script)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let out = out.context("running the kernel sandbox")?;
    if !out.status.success() {
        bail!(
            "{}: the kernel sandbox failed ({}): {}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn scenario_name(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string())
}

/// The area a scenario covers: its `# area: NAME` line, else what its
/// name's prefix stands for in tests/scenarios.
fn area(name: &str, src: &str) -> String {
    if let Some(a) = src
        .lines()
        .find_map(|l| l.trim().strip_prefix("# area:"))
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        return a.to_string();
    }
    let by_prefix = [
        ("s2_", "seed 004 §2.1-2.5"),
        ("e", "tool errors"),
        ("f", "devices, addresses, routes"),
        ("i", "iptables"),
        ("n", "conntrack and NAT"),
        ("c", "conntrack and NAT"),
        ("t", "TCP, UDP and nc"),
        ("v", "vxlan"),
    ];
    by_prefix
        .iter()
        .find(|(p, _)| name.starts_with(p))
        .map_or("other", |(_, a)| a)
        .to_string()
}

/// The program a command line runs, looking through `ip netns exec NS`,
/// `ip -n NS`'s namespace is the same tool; the shell's own words are
/// "shell".
pub fn tool_of(command: &str) -> String {
    let words: Vec<&str> = command.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w == "!" || w == "(" || w == "{" || (w.contains('=') && !w.starts_with('-')) {
            i += 1;
            continue;
        }
        let w = w.trim_start_matches(['(', '{']);
        let prog = w.rsplit('/').next().unwrap_or(w);
        if prog == "ip" && words.get(i + 1) == Some(&"netns") && words.get(i + 2) == Some(&"exec") {
            i += 4;
            continue;
        }
        if prog == "timeout" {
            i += 2;
            continue;
        }
        // Builtins, keywords, functions and their definitions are the
        // shell's; a program is counted under its own name.
        return match prog {
            "sleep" | "true" | "false" => "shell".to_string(),
            p if vnet_tools::COMMANDS.contains(&p) => p.to_string(),
            _ => "shell".to_string(),
        };
    }
    "shell".to_string()
}

fn compare_one(file: &Path, opts: &Opts, seed: u64) -> Result<Outcome> {
    let name = scenario_name(file);
    let src = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
    let (kernel, unstable) = match &opts.recorded {
        Some(dir) => {
            let golden = dir.join(format!("{name}.out"));
            let text = std::fs::read_to_string(&golden)
                .with_context(|| format!("{}: no recording", golden.display()))?;
            (vnet_transcript::parse(&text), Vec::new())
        }
        None => {
            let first = vnet_transcript::parse(&kernel_transcript(file)?);
            let mut others = Vec::new();
            for _ in 1..opts.kernel_runs {
                others.push(vnet_transcript::parse(&kernel_transcript(file)?));
            }
            if let Some(dir) = &opts.also_recorded {
                if let Ok(text) = std::fs::read_to_string(dir.join(format!("{name}.out"))) {
                    others.push(vnet_transcript::parse(&text));
                }
            }
            let mut unstable = Vec::new();
            for again in &others {
                for d in vnet_transcript::diff(&first, again) {
                    if !unstable.contains(&d.index) {
                        unstable.push(d.index);
                    }
                }
            }
            unstable.sort_unstable();
            (first, unstable)
        }
    };
    let ours = crate::transcript::collect(seed, &file.display().to_string(), &src)?;
    let diffs = vnet_transcript::diff(&kernel, &ours)
        .into_iter()
        .filter(|d| !unstable.contains(&d.index))
        .collect();
    Ok(Outcome {
        area: area(&name, &src),
        name,
        kernel,
        diffs,
        unstable,
    })
}

pub fn main(opts: Opts, seed: u64) -> Result<i32> {
    if opts.recorded.is_none() {
        if let Some(why) = sandbox_unavailable() {
            eprintln!(
                "vnet diff: cannot run the real kernel here: {why}. \
                 Run as root on Linux, or compare with recordings: --recorded DIR"
            );
            return Ok(2);
        }
    }
    let next = std::sync::Mutex::new(opts.files.iter().enumerate());
    let results = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..opts.jobs {
            s.spawn(|| loop {
                let Some((i, file)) = next.lock().unwrap().next() else {
                    break;
                };
                let r = compare_one(file, &opts, seed);
                results.lock().unwrap().insert(i, r);
            });
        }
    });
    let mut outcomes = Vec::new();
    let mut failed = false;
    for (_, r) in results.into_inner().unwrap() {
        match r {
            Ok(o) => outcomes.push(o),
            Err(e) => {
                eprintln!("vnet diff: {e:#}");
                failed = true;
            }
        }
    }
    if opts.json {
        println!("{}", json(&outcomes));
    } else {
        print_text(&outcomes, &opts);
    }
    let differ = outcomes.iter().any(|o| o.differing() > 0);
    Ok(if failed { 2 } else { i32::from(differ) })
}

fn print_text(outcomes: &[Outcome], opts: &Opts) {
    let (mut same, mut differ, mut unstable) = (0, 0, 0);
    for o in outcomes {
        if !opts.quiet {
            for d in &o.diffs {
                print!("== {} ==\n{d}", o.name);
            }
        }
        let mut line = format!(
            "{}: {} identical, {} differ",
            o.name,
            o.identical(),
            o.differing()
        );
        if !o.unstable.is_empty() {
            let cmds: Vec<String> = o.unstable.iter().map(|i| (i + 1).to_string()).collect();
            line.push_str(&format!(
                " (unstable on the kernel: command {})",
                cmds.join(", ")
            ));
        }
        println!("{line}");
        same += o.identical();
        differ += o.differing();
        unstable += o.unstable.len();
    }
    let mut summary = format!("{same} identical, {differ} differ");
    if unstable > 0 {
        summary.push_str(&format!(", {unstable} unstable on the kernel"));
    }
    println!("{summary}");
    if opts.table {
        println!();
        print!("{}", table(outcomes));
    }
}

/// Scenarios identical / total and commands identical / total, per key.
#[derive(Default)]
struct Tally {
    scenarios: (usize, usize),
    commands: (usize, usize),
}

fn table(outcomes: &[Outcome]) -> String {
    let mut areas: BTreeMap<String, Tally> = BTreeMap::new();
    let mut tools: BTreeMap<String, Tally> = BTreeMap::new();
    for o in outcomes {
        let a = areas.entry(o.area.clone()).or_default();
        a.scenarios.0 += usize::from(o.differing() == 0);
        a.scenarios.1 += 1;
        a.commands.0 += o.identical();
        a.commands.1 += o.kernel.len() - o.unstable.len();
        // Per tool: this scenario's commands of that tool.
        let mut mine: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (i, e) in o.kernel.iter().enumerate() {
            if o.unstable.contains(&i) {
                continue;
            }
            let t = mine.entry(tool_of(&e.command)).or_default();
            t.0 += usize::from(!o.differs_at(i));
            t.1 += 1;
        }
        for (tool, (same, all)) in mine {
            let t = tools.entry(tool).or_default();
            t.scenarios.0 += usize::from(same == all);
            t.scenarios.1 += 1;
            t.commands.0 += same;
            t.commands.1 += all;
        }
    }
    let mut s = String::new();
    for (head, rows) in [("area", &areas), ("tool", &tools)] {
        s.push_str(&format!(
            "| {head} | scenarios identical | commands identical |\n|---|---|---|\n"
        ));
        for (k, t) in rows {
            s.push_str(&format!(
                "| {k} | {}/{} | {}/{} |\n",
                t.scenarios.0, t.scenarios.1, t.commands.0, t.commands.1
            ));
        }
        s.push('\n');
    }
    let (same, all) = outcomes.iter().fold((0, 0), |(s, a), o| {
        (s + usize::from(o.differing() == 0), a + 1)
    });
    s.push_str(&format!("{same}/{all} scenarios identical.\n"));
    s
}

fn json(outcomes: &[Outcome]) -> String {
    let v: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            serde_json::json!({
                "scenario": o.name,
                "area": o.area,
                "commands": o.kernel.len(),
                "identical": o.identical(),
                "differ": o.diffs.iter().map(|d| d.index + 1).collect::<Vec<_>>(),
                "unstable": o.unstable.iter().map(|i| i + 1).collect::<Vec<_>>(),
                "report": o.diffs.iter().map(|d| d.to_string()).collect::<String>(),
            })
        })
        .collect();
    serde_json::Value::Array(v).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_of_looks_through_netns_exec_and_assignments() {
        assert_eq!(tool_of("ip netns exec ns1 ping -c 1 10.0.0.1"), "ping");
        assert_eq!(
            tool_of("ip netns exec a ip netns exec b tcpdump -i x"),
            "tcpdump"
        );
        assert_eq!(tool_of("ip -n ns1 link show"), "ip");
        assert_eq!(tool_of("X=1 /usr/sbin/iptables -L"), "iptables");
        assert_eq!(tool_of("sleep 3"), "shell");
        assert_eq!(tool_of("iptables -S | grep FORWARD"), "iptables");
        assert_eq!(tool_of("cat /proc/net/nf_conntrack"), "cat");
        assert_eq!(tool_of("(echo hi; sleep 1) | nc -u 10.0.0.1 5000"), "shell");
        assert_eq!(tool_of("fw -A INPUT -j DROP"), "shell");
        assert_eq!(tool_of("cleanup() { echo done; }"), "shell");
        assert_eq!(tool_of("for ns in a b; do ip -n $ns link; done"), "shell");
    }

    #[test]
    fn area_comes_from_the_header_line_or_the_name() {
        assert_eq!(area("f09_route", "# area: routing\nip r\n"), "routing");
        assert_eq!(area("i01_chains", "iptables -L\n"), "iptables");
        assert_eq!(area("s2_4_bridge", ""), "seed 004 §2.1-2.5");
        assert_eq!(area("zz", ""), "other");
    }
}
