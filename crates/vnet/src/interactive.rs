//! `vnet shell`: the interactive shell on a fresh lab, with line editing,
//! tab completion ([`crate::complete`]) and a history kept in the lab
//! directory (`.vnet/history`, or `--lab DIR`), so it carries over from
//! one session to the next.
//!
//! At a terminal, virtual time runs no faster than the wall clock while a
//! command runs ([`WallPace`]), so `ping` prints a reply a second and runs
//! until Ctrl-C, which interrupts the foreground program as on a terminal
//! (ping prints its statistics) and never the shell or the lab.

use crate::complete::{Names, ShellHelper};
use crate::lab::Lab;
use anyhow::Result;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use vnet_core::Time;
use vnet_core::World;
use vnet_shell::{LineResult, Shell, Sink, System};
use vnet_tools::Machine;

/// Lines kept in the history file.
const HISTORY_LINES: usize = 1000;

/// Set by the SIGINT handler: Ctrl-C was pressed while a command ran.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Virtual time paced by the wall clock from the moment a line starts.
struct WallPace {
    wall: Instant,
    virt: Time,
}

impl vnet_tools::machine::Pace for WallPace {
    fn wait_until(&mut self, t: Option<Time>) -> bool {
        loop {
            if INTERRUPTED.swap(false, Ordering::SeqCst) {
                return false;
            }
            let left = t.map(|t| {
                let due = self.wall + Duration::from_nanos(t.0.saturating_sub(self.virt.0));
                due.saturating_duration_since(Instant::now())
            });
            match left {
                Some(d) if d.is_zero() => return true,
                Some(d) => std::thread::sleep(d.min(Duration::from_millis(20))),
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}

/// The interactive shell; with `live`, on that lab (loaded now, saved
/// after every line that changed it, its lock held meanwhile). Its files
/// are `fs`; it starts in the tree's working directory.
pub fn shell(seed: u64, live: Option<&Path>, fs: vnet_fs::Tree) -> Result<i32> {
    // While a command runs the terminal sends SIGINT on Ctrl-C (rustyline
    // reads it as a key while editing): it is for the foreground program.
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst))?;
    let lab = live.map(Lab::open).transpose()?;
    let world = match &lab {
        Some(l) => l.load(seed)?,
        None => World::new(seed),
    };
    let mut m = Machine::new(world, Box::new(std::io::stdout()));
    m.fs = fs;
    m.stdout_is_tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let dir = live.map_or_else(|| Path::new(".vnet").to_path_buf(), Path::to_path_buf);
    let mut sh = Shell::new("vnet");
    sh.set_cwd(m.fs.cwd());
    let config = rustyline::Config::builder()
        .max_history_size(HISTORY_LINES)?
        .auto_add_history(false)
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut rl = rustyline::Editor::with_config(config)?;
    rl.set_helper(Some(ShellHelper::default()));
    let hist = dir.join("history");
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
                INTERRUPTED.store(false, Ordering::SeqCst);
                m.pace = Some(Box::new(WallPace {
                    wall: Instant::now(),
                    virt: m.world.now(),
                }));
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
                if let Some(l) = &lab {
                    l.save(&m.world)?;
                }
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
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = rl.save_history(&hist);
    }
    m.kill_all();
    Ok(sh.exited().unwrap_or(sh.last_status()))
}
