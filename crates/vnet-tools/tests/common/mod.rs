//! The transcript harness of the tool tests (`mod common;`).
//!
//! A transcript recorded from the real tools on a real kernel
//! (`scripts/transcript.sh` format: `$ cmd`, stdout, `[stderr]`, `[exit N]`;
//! the recordings are in `tests/transcripts/` and the workspace's
//! `tests/golden/`) is replayed command by command through the shell and
//! [`vnet_tools::Machine`] on a fresh simulated kernel, and every command's
//! output is compared with the recording by `vnet_transcript`: its parser,
//! its normalisation of what is random on a real kernel (MACs, link-local
//! addresses, timers...) and its per-command diff.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use vnet_core::{Time, World};
use vnet_shell::{LineResult, Shell, Sink};
use vnet_tools::Machine;
use vnet_transcript::Entry;

/// A simulated host, a shell on it, its terminal, and a scratch working
/// directory for the files commands write.
pub struct Lab {
    pub m: Machine,
    sh: Shell,
    screen: Screen,
    dir: PathBuf,
}

/// A terminal the test can read back.
#[derive(Clone, Default)]
struct Screen(Arc<Mutex<Vec<u8>>>);

impl Write for Screen {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
    /// A fresh lab whose commands take the time they take on the
    /// reference machine (vnet_tools::cost).
    pub fn new() -> Lab {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "vnet-tools-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let screen = Screen::default();
        let mut m = Machine::new(World::new(1), Box::new(screen.clone()));
        m.fs = vnet_tools::fs::lab_tree(&dir, &dir.join(".vnet"), &[], &[]).unwrap();
        let mut sh = Shell::new("bash");
        sh.set_cwd(m.fs.cwd());
        Lab { m, sh, screen, dir }
    }

    /// A fresh lab whose every command takes `ms` milliseconds of virtual
    /// time on top of its cost, as a process of its own did on the
    /// recording host.
    pub fn with_command_cost(ms: u64) -> Lab {
        let mut lab = Lab::new();
        lab.m.command_cost = Time::from_millis(ms);
        lab
    }

    /// A fresh lab whose commands take no virtual time.
    pub fn without_costs() -> Lab {
        let mut lab = Lab::new();
        lab.m.charge_costs = false;
        lab
    }

    /// Runs one command line; what it printed and its exit status.
    pub fn run(&mut self, cmd: &str) -> Entry {
        let (mut o, mut e) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
        let exit = match self.sh.run_line_to(cmd, &mut self.m, &mut o, &mut e) {
            LineResult::Complete(s) => s,
            LineResult::Incomplete => panic!("incomplete command line: {cmd}"),
        };
        let (Sink::Buffer(o), Sink::Buffer(e)) = (o, e) else {
            unreachable!("buffers stay buffers")
        };
        Entry {
            command: cmd.to_string(),
            stdout: String::from_utf8(o).unwrap(),
            stderr: String::from_utf8(e).unwrap(),
            exit,
        }
    }

    /// Runs a whole script as `vnet run` does, its output (and that of the
    /// background jobs it starts) to the terminal; returns what the terminal
    /// got.
    pub fn run_script(&mut self, script: &str) -> String {
        self.sh.run_script(script, &mut self.m);
        String::from_utf8(std::mem::take(&mut *self.screen.0.lock().unwrap())).unwrap()
    }

    /// Replays the transcript `text` (called `name` in messages) and panics
    /// with every command whose output differs from the recording.
    pub fn replay(&mut self, name: &str, text: &str) {
        self.replay_skipping(name, text, &[]);
    }

    /// The same, leaving out the commands numbered in `skip` (1-based, as
    /// the differences are numbered): neither run nor compared. For what
    /// the recording kernel's build could not do (see the caller).
    pub fn replay_skipping(&mut self, name: &str, text: &str, skip: &[usize]) {
        let mut recorded = vnet_transcript::parse(text);
        let mut n = 0;
        recorded.retain(|_| {
            n += 1;
            !skip.contains(&n)
        });
        assert!(!recorded.is_empty(), "{name}: no command in the transcript");
        let ours: Vec<Entry> = recorded.iter().map(|e| self.run(&e.command)).collect();
        let diffs = vnet_transcript::diff(&recorded, &ours);
        assert!(
            diffs.is_empty(),
            "{name}: {} of {} commands differ from the real kernel's \
             (-recorded +vnet, after normalisation):\n{}",
            diffs.len(),
            recorded.len(),
            diffs.iter().map(ToString::to_string).collect::<String>()
        );
    }

    /// [`replay`](Self::replay)s the file at `path`, relative to this crate.
    pub fn replay_file(&mut self, path: &str) {
        let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        let text =
            std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
        self.replay(path, &text);
    }
}

/// Replays the transcript at `path` (relative to this crate) on a fresh lab.
pub fn replay_file(path: &str) {
    Lab::new().replay_file(path);
}

/// [`replay_file`] without the commands numbered in `skip`.
#[allow(dead_code)]
pub fn replay_file_skipping(path: &str, skip: &[usize]) {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    Lab::new().replay_skipping(path, &text, skip);
}
