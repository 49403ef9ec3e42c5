//! `vnet shell`: the interactive shell on a fresh lab, with line editing,
//! tab completion ([`crate::complete`]) and a history kept in the lab
//! directory (`.vnet/history`, or `--lab DIR`), so it carries over from
//! one session to the next.

use crate::complete::{Names, ShellHelper};
use anyhow::Result;
use std::path::Path;
use vnet_core::World;
use vnet_shell::{LineResult, Shell, Sink, System};
use vnet_tools::Machine;

/// Lines kept in the history file.
const HISTORY_LINES: usize = 1000;

/// The shell on a fresh lab whose files are `fs` (it starts in its
/// working directory); `lab` is the state directory, for the history.
pub fn shell(seed: u64, lab: &Path, fs: vnet_fs::Tree) -> Result<i32> {
    let mut m = Machine::new(World::new(seed), Box::new(std::io::stdout()));
    m.fs = fs;
    let mut sh = Shell::new("vnet");
    sh.set_cwd(m.fs.cwd());
    let config = rustyline::Config::builder()
        .max_history_size(HISTORY_LINES)?
        .auto_add_history(false)
        .build();
    let mut rl = rustyline::Editor::with_config(config)?;
    rl.set_helper(Some(ShellHelper::default()));
    let hist = lab.join("history");
    let _ = rl.load_history(&hist);
    let mut last = std::time::Instant::now();
    let mut prompt = "vnet# ";
    loop {
        if let Some(h) = rl.helper_mut() {
            let files = m.read_dir(".").unwrap_or_default();
            h.names = Names::snapshot(&m, m.shell_ns, files);
        }
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
                if sh.exited().is_some() {
                    break;
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => {
                sh.discard_pending();
                prompt = "vnet# ";
            }
            Err(_) => break,
        }
    }
    if std::fs::create_dir_all(lab).is_ok() {
        let _ = rl.save_history(&hist);
    }
    m.kill_all();
    Ok(sh.exited().unwrap_or(sh.last_status()))
}
